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
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for glob in &cx.activity.code {
        if cx.files.glob_matches(cx.manifest_dir(), &glob.value) {
            continue;
        }
        out.push(
            cx.diag(
                &RULE,
                format!("`code` glob `{}` matches no file", glob.value),
            )
            .at(glob.span)
            .label("nothing matches, relative to this manifest's directory")
            .help("update the glob to where the code is now, or remove it"),
        );
    }
}
