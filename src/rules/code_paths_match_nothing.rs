use super::Context;
use crate::diag::Diagnostic;

declare_rule! {
    /// ## What it checks
    /// Each glob in `code:` matches at least one file, relative to the manifest's directory.
    ///
    /// ## Why
    /// `code:` ties an activity to the code that carries it out. A glob that matches nothing
    /// usually means the code moved or was renamed, and the manifest no longer describes it.
    ///
    /// ## Example
    /// ```yaml
    ///     code: ["src/custmers/**"]
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     code: ["src/customers/**"]
    /// ```
    code: "RF002",
    name: "code-paths-match-nothing",
    severity: Warning,
    summary: "a `code` glob matches no file",
    fr_summary: "un motif `code` ne correspond à aucun fichier",
    fr_checks: "Chaque motif de `code:` correspond à au moins un fichier, depuis le dossier du manifeste.",
    fr_why: "`code:` rattache une activité au code qui la met en œuvre. Un motif sans correspondance signifie en général que le code a été déplacé ou renommé, et que le manifeste ne le décrit plus.",
    check: Some(check),
}

/// Reads a `code:` glob as RF002 matches it: relative to the manifest's directory, a leading
/// `./` dropped, `*` stopping at `/`. The manifest parser uses it too, so that a glob that does
/// not parse is an invalid value (MF004) rather than one that matches nothing. Reading is cheap;
/// `compile_matcher` (building the regex) is left to those who match, and cached by RF002.
pub fn glob(glob: &str) -> Result<globset::Glob, globset::Error> {
    let glob = glob.trim().trim_start_matches("./");
    globset::GlobBuilder::new(glob)
        .literal_separator(true)
        .build()
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for glob in &cx.activity.code {
        if cx.files.glob_matches(cx.manifest_dir(), &glob.value) {
            continue;
        }
        out.push(
            cx.diag(
                &RULE,
                cx.t(
                    format!("`code` glob `{}` matches no file", glob.value),
                    format!(
                        "le motif `code` `{}` ne correspond à aucun fichier",
                        glob.value
                    ),
                ),
            )
            .at(glob.span)
            .label(cx.t(
                "nothing matches, relative to this manifest's directory",
                "rien ne correspond, par rapport au dossier du manifeste",
            ))
            .help(cx.t(
                "update the glob to where the code is now, or remove it",
                "mettez le motif à jour selon l'emplacement actuel du code, ou retirez-le",
            )),
        );
    }
}
