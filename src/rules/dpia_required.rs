use super::Context;
use crate::catalog::{Duty, Evidence};
use crate::diag::{Diagnostic, Severity};
use crate::manifest::vocab::{DpiaCriterion, SpecialCategory};

declare_rule! {
    /// ## What it checks
    /// `dpia.required` is not `false` when a DPIA is mandatory: the catalog's DPIA duty for the
    /// purpose is `always` (for example whistleblowing, item 6 of the CNIL list), or the manifest
    /// shows a case from the CNIL list of processing that requires a DPIA (délibération
    /// 2018-327): biometric recognition (item 11), genetic data of vulnerable persons (item 2).
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
    let has = |c: SpecialCategory| a.special_categories.iter().find(|s| s.value == c);
    let vulnerable = a.dpia.as_ref().is_some_and(|d| {
        d.criteria
            .iter()
            .any(|c| c.value == DpiaCriterion::VulnerableSubjects)
    }) || super::dpia_criteria_met::vulnerable_subject(a).is_some();
    let listed = if let Some(b) = has(SpecialCategory::Biometric) {
        Some((
            b.span,
            "biometric recognition of persons (CNIL list, item 11)",
        ))
    } else {
        has(SpecialCategory::Genetic)
            .filter(|_| vulnerable)
            .map(|g| {
                (
                    g.span,
                    "genetic data of vulnerable persons (CNIL list, item 2)",
                )
            })
    };
    if let Some((span, item)) = listed {
        out.push(
            cx.diag(&RULE, format!("a DPIA is mandatory for {item}"))
                .at(required.span)
                .label("a DPIA is mandatory here")
                .secondary(span, "this puts the processing on the CNIL list")
                .help("set `required: true` and point `reference:` at the DPIA")
                .cite(cx.catalog.cite_keys(&["cnil-aipd-2018-327"])),
        );
    }
}
