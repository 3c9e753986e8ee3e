use super::Context;
use crate::diag::Diagnostic;

declare_rule! {
    /// ## What it checks
    /// Each glob in `code:` matches at least one file, relative to the manifest's directory.
    /// The search starts at the glob's literal prefix (`src/` for `src/**/*.py`) and stops at the
    /// first match. One glob may visit 200,000 entries, the globs of one manifest 1,000,000 in
    /// all, and those of a whole run 20,000,000 (a glob that several activities of a manifest
    /// share is searched once); a glob whose search stops before a match is reported as not
    /// checked, never passed in silence. A glob that leads out of the repository (an absolute
    /// path, or `../` past its root) is reported as not checked and never searched.
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
    code: RF002,
    severity: Warning,
    summary: "a `code` glob matches no file",
    fr_summary: "un motif `code` ne correspond à aucun fichier",
    fr_checks: "Chaque motif de `code:` correspond à au moins un fichier, depuis le dossier du manifeste. La recherche part du préfixe littéral du motif (`src/` pour `src/**/*.py`) et s'arrête à la première correspondance. Un motif peut parcourir 200 000 entrées, les motifs d'un manifeste 1 000 000 en tout, et ceux d'une analyse entière 20 000 000 (un motif que partagent plusieurs activités d'un manifeste n'est cherché qu'une fois) ; un motif dont la recherche s'arrête avant une correspondance est signalé comme non vérifié, jamais accepté en silence. Un motif qui sort du dépôt (chemin absolu, ou `../` au-delà de sa racine) est signalé comme non vérifié et n'est jamais parcouru.",
    fr_why: "`code:` rattache une activité au code qui la met en œuvre. Un motif sans correspondance signifie en général que le code a été déplacé ou renommé, et que le manifeste ne le décrit plus.",
    check: Some(check),
}

use super::Seen;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for glob in &cx.activity.code {
        let found = cx
            .files
            .glob_matches(cx.manifest_dir(), &glob.value, cx.glob_budget);
        let d = match found {
            Seen::Yes => continue,
            Seen::Outside => cx
                .diag(
                    &RULE,
                    cx.t(
                        format!(
                            "`code` glob `{}` leads out of the repository: it is not checked",
                            glob.value
                        ),
                        format!(
                            "le motif `code` `{}` sort du dépôt : il n'est pas vérifié",
                            glob.value
                        ),
                    ),
                )
                .label(cx.t("outside the repository", "hors du dépôt"))
                .help(cx.t(
                    "name code inside the repository, relative to this manifest's directory",
                    "désignez du code dans le dépôt, par rapport au dossier du manifeste",
                )),
            Seen::No => cx
                .diag(
                    &RULE,
                    cx.t(
                        format!("`code` glob `{}` matches no file", glob.value),
                        format!(
                            "le motif `code` `{}` ne correspond à aucun fichier",
                            glob.value
                        ),
                    ),
                )
                .label(cx.t(
                    "nothing matches, relative to this manifest's directory",
                    "rien ne correspond, par rapport au dossier du manifeste",
                ))
                .help(cx.t(
                    "update the glob to where the code is now, or remove it",
                    "mettez le motif à jour selon l'emplacement actuel du code, ou retirez-le",
                )),
            // never a silent pass: a glob that could not be checked says so
            Seen::Unknown => cx
                .diag(
                    &RULE,
                    cx.t(
                        format!(
                            "`code` glob `{}` was not checked: the search stopped without a match",
                            glob.value
                        ),
                        format!(
                            "le motif `code` `{}` n'a pas été vérifié : la recherche s'est arrêtée sans correspondance",
                            glob.value
                        ),
                    ),
                )
                .label(cx.t("not checked", "non vérifié"))
                .help(cx.t(
                    format!(
                        "a glob may visit {} entries, and the globs of one manifest {} in all; start the glob with the directory the code is in (`src/billing/**`)",
                        super::GLOB_WALK_LIMIT,
                        super::GLOB_BUDGET
                    ),
                    format!(
                        "un motif peut parcourir {} entrées, et les motifs d'un manifeste {} en tout ; commencez le motif par le dossier du code (`src/billing/**`)",
                        super::GLOB_WALK_LIMIT,
                        super::GLOB_BUDGET
                    ),
                )),
        };
        out.push(d.at(glob.span));
    }
}
