use super::Context;
use crate::diag::Diagnostic;

declare_rule! {
    /// ## What it checks
    /// No retention duration (`retention.active` or `retention.archive`) is unlimited
    /// (`unlimited`, `indefinite`, `forever`, `illimitée`).
    ///
    /// ## Why
    /// The storage-limitation principle (GDPR art. 5(1)(e)) forbids keeping identifiable data
    /// without a time limit. Data kept for archiving in the public interest or for statistics
    /// still need a defined period, or should be anonymised.
    ///
    /// ## Example
    /// ```yaml
    ///     retention:
    ///       active: unlimited
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     retention:
    ///       active: 3 years
    ///       then: anonymise
    /// ```
    code: "RT002",
    name: "retention-unbounded",
    severity: Error,
    summary: "a retention duration is unlimited",
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(r) = &cx.activity.retention else {
        return;
    };
    for (field, value) in [("active", &r.active), ("archive", &r.archive)] {
        let Some(v) = value else { continue };
        if v.value.is_unbounded() {
            out.push(
                cx.diag(&RULE, format!("`retention.{field}` is unlimited"))
                    .at(v.span)
                    .label("personal data cannot be kept without a time limit")
                    .help("set a duration, and `then: anonymise` if the data must outlive it")
                    .cite(cx.catalog.cite_keys(&["gdpr", "cnil-conservation"])),
            );
        }
    }
}
