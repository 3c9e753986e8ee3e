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
    code: RT002,
    severity: Error,
    summary: "a retention duration is unlimited",
    fr_summary: "une durée de conservation est illimitée",
    fr_checks: "Aucune durée (`retention.active` ou `retention.archive`) n'est illimitée (`unlimited`, `forever`, `illimitée`…).",
    fr_why: "Le principe de limitation de la conservation (RGPD, art. 5(1)(e)) interdit de garder des données identifiantes sans limite. Même l'archivage d'intérêt public ou les statistiques demandent une durée définie, ou l'anonymisation.",
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
                cx.diag(
                    &RULE,
                    cx.t(
                        format!("`retention.{field}` is unlimited"),
                        format!("`retention.{field}` est illimitée"),
                    ),
                )
                .at(v.span)
                .label(cx.t(
                    "personal data cannot be kept without a time limit",
                    "des données personnelles ne peuvent pas être conservées sans limite",
                ))
                .help(cx.t(
                    "set a duration, and `then: anonymise` if the data must outlive it",
                    "fixez une durée, et `then: anonymise` si les données doivent lui survivre",
                ))
                .cite(cx.catalog.cite_keys(&["gdpr", "cnil-conservation"])),
            );
        }
    }
}
