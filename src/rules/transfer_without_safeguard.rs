use super::Context;
use crate::diag::Diagnostic;
use crate::manifest::vocab::in_eea;

declare_rule! {
    /// ## What it checks
    /// Every transfer to a country outside the EEA (the EU plus Iceland, Liechtenstein and
    /// Norway) names its safeguard: `adequacy`, `scc`, `bcr`, `derogation` or `other` (with a
    /// description).
    ///
    /// ## Why
    /// GDPR chapter V: personal data may leave the EEA only to a country with an adequacy
    /// decision, under appropriate safeguards (standard contractual clauses, binding corporate
    /// rules) or under an art. 49 derogation. The register must name them (art. 30(1)(e)).
    ///
    /// ## Example
    /// ```yaml
    ///     transfers:
    ///       - country: US
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     transfers:
    ///       - country: US
    ///         safeguard: scc
    /// ```
    code: "TR001",
    name: "transfer-without-safeguard",
    severity: Error,
    summary: "a transfer outside the EEA has no safeguard",
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if cx.activity.is_invalid("transfers.safeguard") {
        return;
    }
    for t in &cx.activity.transfers {
        let Some(country) = &t.country else { continue };
        if in_eea(country.value) || t.safeguard.is_some() {
            continue;
        }
        out.push(
            cx.diag(
                &RULE,
                format!(
                    "transfer to `{}`, outside the EEA, has no safeguard",
                    country.value
                ),
            )
            .at(country.span)
            .label("no `safeguard` for this transfer")
            .help("add `safeguard:` with one of adequacy, scc, bcr, derogation, other")
            .cite(cx.catalog.cite_keys(&["gdpr"])),
        );
    }
}
