use super::Context;
use crate::diag::Diagnostic;

declare_rule! {
    /// ## What it checks
    /// Every activity records its DPIA decision as `dpia.required: true` or `false`.
    ///
    /// ## Why
    /// Whether a data protection impact assessment (DPIA, in French AIPD) is required must be
    /// decided before the processing starts (GDPR art. 35). Recording the decision, even when it
    /// is "no", is what lets a DPO audit it and what lets ropa check it against the CNIL lists.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: crm
    ///     retention:
    ///       active: 3 years
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///   - id: crm
    ///     dpia:
    ///       required: false
    ///     retention:
    ///       active: 3 years
    /// ```
    code: "DP001",
    name: "dpia-flag-missing",
    severity: Error,
    summary: "no `dpia.required`",
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let a = cx.activity;
    let found = a.dpia.as_ref().map(|d| (d.key, d.required.is_some()));
    let fallback = a.id.as_ref().map_or(a.head, |i| i.span);
    let Some(at) = super::missing_in_section(a, "dpia", "required", found, fallback) else {
        return;
    };
    let label = if a.dpia.is_some() {
        "`dpia` has no `required` flag"
    } else {
        "this activity has no `dpia:` section"
    };
    let mut d = cx
        .diag(&RULE, "the DPIA decision is not recorded".to_string())
        .at(at)
        .label(label)
        .help("add `dpia: { required: false }` (or `true`, with `reference:` to the DPIA)");
    if let Some(p) = cx.purpose {
        d = d.note(format!(
            "for purpose `{}` the catalog's DPIA duty is `{}`: {}",
            p.id,
            p.dpia.duty.as_str(),
            p.dpia.why.get(cx.lang)
        ));
        d = d.cite(cx.catalog.cite(&p.dpia.sources));
    }
    out.push(d);
}
