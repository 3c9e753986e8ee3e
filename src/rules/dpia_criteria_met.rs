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
    code: DP004,
    severity: Error,
    summary: "two or more WP248 criteria are met but `dpia.required` is false (a warning when some are only implied)",
    fr_summary: "au moins deux critères du WP248 sont remplis mais `dpia.required` vaut false (avertissement si certains sont seulement déduits)",
    fr_checks: "Lorsque deux des neuf critères du WP248 au moins sont remplis, `dpia.required` ne doit pas valoir `false`. Les critères comptent lorsqu'ils sont déclarés dans `dpia.criteria`, et lorsque d'autres champs les impliquent : catégories particulières ou données très personnelles (localisation, données financières, communications) pour `sensitive-data` ; salariés, enfants, patients, élèves, personnes âgées ou demandeurs d'asile pour `vulnerable-subjects` ; certaines finalités par nature (vidéoprotection : `systematic-monitoring`). Deux critères déclarés donnent une erreur ; deux critères atteints seulement par déduction, un avertissement. Un cas de la liste de la CNIL relève de DP002.",
    fr_why: "La CNIL rend l'AIPD obligatoire lorsqu'un traitement remplit au moins deux des neuf critères des lignes directrices WP248, quelle que soit sa finalité.",
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
    if met.len() < 2 || !criteria::listed(cx, met).is_empty() {
        return;
    }
    let names: Vec<String> = met.iter().map(|m| format!("`{}`", m.criterion)).collect();
    let mut d = cx
        .diag(
            &RULE,
            cx.t(
                format!(
                    "{} DPIA criteria are met ({}) but `dpia.required` is false",
                    met.len(),
                    names.join(", ")
                ),
                format!(
                    "{} critères d'AIPD sont remplis ({}) mais `dpia.required` vaut false",
                    met.len(),
                    names.join(", ")
                ),
            ),
        )
        .at(required.span)
        .label(cx.t(
            "the CNIL holds a DPIA mandatory from two criteria",
            "la CNIL rend l'AIPD obligatoire dès deux critères",
        ))
        .help(cx.t(
            "carry out the DPIA and set `required: true` with its `reference:`, or remove criteria that do not apply",
            "réalisez l'AIPD et indiquez `required: true` avec sa `reference:`, ou retirez les critères qui ne s'appliquent pas",
        ));
    for m in met {
        d = d.secondary(m.span, m.why.text(cx.lang));
    }
    if met.iter().filter(|m| m.declared).count() < 2 {
        d.severity = Severity::Warning;
        d = d.note(cx.t(
            "some of these criteria are implied by other fields; declare the criteria that apply in `dpia.criteria` to confirm",
            "certains de ces critères sont déduits d'autres champs ; déclarez ceux qui s'appliquent dans `dpia.criteria` pour confirmer",
        ));
    }
    d = d.cite(cx.catalog.cite_keys(&["cnil-aipd", "wp248"]));
    out.push(d);
}
