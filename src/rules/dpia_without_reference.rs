use super::Context;
use crate::diag::Diagnostic;

declare_rule! {
    /// ## What it checks
    /// When `dpia.required` is `true`, `dpia.reference` says where the DPIA is (a path relative
    /// to the manifest, or a URL).
    ///
    /// ## Why
    /// A DPIA must be carried out before the processing starts and kept up to date. Pointing at
    /// it lets reviewers check that it exists and covers this activity.
    ///
    /// ## Example
    /// ```yaml
    ///     dpia:
    ///       required: true
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     dpia:
    ///       required: true
    ///       reference: docs/privacy/dpia-crm.pdf
    /// ```
    code: "DP003",
    name: "dpia-without-reference",
    severity: Warning,
    summary: "`dpia.required: true` without `dpia.reference`",
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(dpia) = &cx.activity.dpia else {
        return;
    };
    let Some(required) = &dpia.required else {
        return;
    };
    if !required.value || dpia.reference.is_some() || cx.activity.is_invalid("dpia.reference") {
        return;
    }
    out.push(
        cx.diag(
            &RULE,
            "a DPIA is required but no reference to it is given".to_string(),
        )
        .at(required.span)
        .label("no `dpia.reference`")
        .help("add `reference:` with the path or URL of the DPIA"),
    );
}
