use super::{Context, criteria};
use crate::catalog::Duty;
use crate::diag::{Diagnostic, Severity};

declare_rule! {
    /// ## What it checks
    /// When two or more of the nine WP248 criteria are met, `dpia.required` must not be `false`.
    /// Criteria count when they are declared in `dpia.criteria`, and when other fields imply them:
    ///
    /// - `special_categories` not empty implies `sensitive-data`;
    /// - `data_categories` naming location, financial or banking data, or communications, imply
    ///   `sensitive-data` (highly personal data, WP248);
    /// - `data_subjects` naming employees, children or minors, patients, pupils or students,
    ///   elderly people or asylum seekers imply `vulnerable-subjects`;
    /// - some purposes meet a criterion by nature, as the catalog records in
    ///   `implies_criteria`: video surveillance is `systematic-monitoring`, consent-based trackers
    ///   are `evaluation-or-scoring` (behavioural profiles), card payment is `sensitive-data`
    ///   (financial data), sharing with partners is `matching-datasets`, unpaid-debt lists are
    ///   `prevents-right-or-service`.
    ///
    /// A case of the CNIL mandatory list (DP002) is reported by DP002 alone.
    ///
    /// Two or more declared criteria are an error; reaching two only through implied criteria is
    /// a warning, because the implication may not hold for the activity.
    ///
    /// ## Why
    /// The CNIL holds a DPIA mandatory when a processing meets at least two of the nine criteria
    /// of the WP248 guidelines, whatever its purpose.
    ///
    /// ## Example
    /// ```yaml
    ///     dpia:
    ///       required: false
    ///       criteria: [large-scale, evaluation-or-scoring]
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     dpia:
    ///       required: true
    ///       reference: docs/privacy/dpia-scoring.pdf
    ///       criteria: [large-scale, evaluation-or-scoring]
    /// ```
    code: "DP004",
    name: "dpia-criteria-met",
    severity: Error,
    summary: "two or more WP248 criteria are met but `dpia.required` is false (a warning when some are only implied)",
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let a = cx.activity;
    let Some(required) = a.dpia.as_ref().and_then(|d| d.required.as_ref()) else {
        return;
    };
    if required.value || cx.purpose.is_some_and(|p| p.dpia.duty == Duty::Always) {
        return;
    }
    let met = criteria::met(cx);
    // a case of the CNIL list is DP002's, with a more precise reason
    if met.len() < 2 || !criteria::listed(cx, &met).is_empty() {
        return;
    }
    let names: Vec<String> = met.iter().map(|m| format!("`{}`", m.criterion)).collect();
    let mut d = cx
        .diag(
            &RULE,
            format!(
                "{} DPIA criteria are met ({}) but `dpia.required` is false",
                met.len(),
                names.join(", ")
            ),
        )
        .at(required.span)
        .label("the CNIL holds a DPIA mandatory from two criteria")
        .help("carry out the DPIA and set `required: true` with its `reference:`, or remove criteria that do not apply");
    for m in &met {
        d = d.secondary(m.span, m.why.clone());
    }
    if met.iter().filter(|m| m.declared).count() < 2 {
        d.severity = Severity::Warning;
        d = d.note("some of these criteria are implied by other fields; declare the criteria that apply in `dpia.criteria` to confirm");
    }
    d = d.cite(cx.catalog.cite_keys(&["cnil-aipd", "wp248"]));
    out.push(d);
}
