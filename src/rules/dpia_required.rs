use super::{Context, criteria};
use crate::catalog::{Duty, Evidence};
use crate::diag::{Diagnostic, Severity};

declare_rule! {
    /// ## What it checks
    /// `dpia.required` is not `false` when a DPIA is mandatory: the catalog's DPIA duty for the
    /// purpose is `always` (for example whistleblowing), or the manifest shows a case from the
    /// CNIL list of processing that requires a DPIA (délibération 2018-327). The list is data in
    /// the catalog (`ropa catalog dpia`); the cases recognised in a manifest are: health data of
    /// vulnerable persons (item 1), genetic data of vulnerable persons (2), HR profiling (3),
    /// systematic monitoring of employees (4), whistleblowing (6), profiling that can exclude
    /// from a contract (8), profiling with external data (10), biometric data (11), large-scale
    /// location data (14). Where a case rests on a criterion only implied by other fields (see
    /// DP004), the rule warns instead.
    ///
    /// ## Why
    /// For processing on the CNIL list a DPIA is mandatory before the processing starts (GDPR
    /// art. 35(4)); there is no case-by-case assessment to make.
    ///
    /// ## Example
    /// ```yaml
    ///     purpose: whistleblowing
    ///     dpia:
    ///       required: false
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     purpose: whistleblowing
    ///     dpia:
    ///       required: true
    ///       reference: docs/privacy/dpia-whistleblowing.pdf
    /// ```
    code: "DP002",
    name: "dpia-required",
    severity: Error,
    summary: "the catalog (or a CNIL mandatory-DPIA list item) requires a DPIA but `dpia.required` is false",
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let a = cx.activity;
    let Some(required) = a.dpia.as_ref().and_then(|d| d.required.as_ref()) else {
        return;
    };
    if required.value {
        return;
    }
    if let Some(p) = cx.purpose
        && p.dpia.duty == Duty::Always
    {
        let mut d = cx
            .diag(
                &RULE,
                format!("a DPIA is mandatory for purpose {}", cx.purpose_title(p)),
            )
            .at(required.span)
            .label("the catalog requires a DPIA for this purpose")
            .help("set `required: true` and point `reference:` at the DPIA")
            .note(p.dpia.why.get(cx.lang).to_string())
            .cite(cx.catalog.cite(&p.dpia.sources));
        if p.dpia.evidence == Evidence::Unverified {
            d.severity = Severity::Warning;
        }
        out.push(d);
        return;
    }
    let met = criteria::met(cx);
    let listed = criteria::listed(cx, &met);
    let Some(first) = listed.first() else { return };
    let mut d = cx
        .diag(
            &RULE,
            format!(
                "a DPIA is mandatory for {} (CNIL list, item {})",
                first.item.text.get(cx.lang),
                first.item.item
            ),
        )
        .at(required.span)
        .label("a DPIA is mandatory here")
        .help("set `required: true` and point `reference:` at the DPIA");
    let mut seen = Vec::new();
    for (span, why) in &first.evidence {
        if !seen.contains(span) {
            seen.push(*span);
            d = d.secondary(*span, why.clone());
        }
    }
    for other in &listed[1..] {
        d = d.note(format!(
            "also on the list: {} (item {})",
            other.item.text.get(cx.lang),
            other.item.item
        ));
    }
    if first.implied {
        d.severity = Severity::Warning;
        d = d.note("this rests on criteria implied by other fields; declare the criteria that apply in `dpia.criteria` to confirm");
    }
    if let Some(lists) = &cx.catalog.catalog.dpia_lists {
        d = d.cite(cx.catalog.cite(&lists.required.sources));
    }
    out.push(d);
}
