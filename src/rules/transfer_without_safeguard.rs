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
    code: TR001,
    severity: Error,
    summary: "a transfer outside the EEA has no safeguard",
    fr_summary: "un transfert hors de l'EEE n'a pas de garantie",
    fr_checks: "Chaque transfert vers un pays hors de l'EEE (l'UE plus l'Islande, le Liechtenstein et la Norvège) indique sa garantie : `adequacy`, `scc`, `bcr`, `derogation` ou `other` (avec une description).",
    fr_why: "RGPD, chapitre V : les données ne peuvent quitter l'EEE que vers un pays bénéficiant d'une décision d'adéquation, avec des garanties appropriées (clauses contractuelles types, règles d'entreprise contraignantes) ou au titre d'une dérogation de l'art. 49. Le registre doit les mentionner (art. 30(1)(e)).",
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
                cx.t(
                    format!(
                        "transfer to `{}`, outside the EEA, has no safeguard",
                        country.value
                    ),
                    format!(
                        "le transfert vers `{}`, hors de l'EEE, n'a pas de garantie",
                        country.value
                    ),
                ),
            )
            .at(country.span)
            .label(cx.t(
                "no `safeguard` for this transfer",
                "pas de `safeguard` pour ce transfert",
            ))
            .help(cx.t(
                "add `safeguard:` with one of adequacy, scc, bcr, derogation, other",
                "ajoutez `safeguard:` avec l'une des valeurs adequacy, scc, bcr, derogation, other",
            ))
            .cite(cx.catalog.cite_keys(&["gdpr"])),
        );
    }
}
