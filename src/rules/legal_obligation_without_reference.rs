use super::Context;
use crate::diag::Diagnostic;
use crate::manifest::vocab::LegalBasis;

declare_rule! {
    /// ## What it checks
    /// An activity based on a legal obligation names the text that imposes it, in
    /// `legal_obligation.reference`.
    ///
    /// ## Why
    /// GDPR art. 6(3): the obligation must be laid down by EU or member-state law. Naming the
    /// article lets a DPO check that the law really requires this processing, and tells people
    /// why they cannot object to it or have it erased.
    ///
    /// ## Example
    /// ```yaml
    ///     legal_basis: legal-obligation
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     legal_basis: legal-obligation
    ///     legal_obligation:
    ///       reference: "Code de commerce, art. L123-22"
    /// ```
    code: LB004,
    severity: Warning,
    summary: "legal obligation without `legal_obligation.reference`",
    fr_summary: "obligation légale sans `legal_obligation.reference`",
    fr_checks: "Une activité fondée sur une obligation légale cite le texte qui l'impose, dans `legal_obligation.reference`.",
    fr_why: "RGPD, art. 6(3) : l'obligation doit être prévue par le droit de l'Union ou d'un État membre. Citer l'article permet au DPO de vérifier que la loi impose bien ce traitement, et explique aux personnes pourquoi elles ne peuvent ni s'y opposer ni obtenir l'effacement.",
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let a = cx.activity;
    let Some(basis) = super::declared_basis(a, LegalBasis::LegalObligation) else {
        return;
    };
    let found = a
        .legal_obligation
        .as_ref()
        .map(|l| (l.key, l.reference.is_some()));
    let Some(at) = super::missing_in_section(a, "legal_obligation", "reference", found, basis)
    else {
        return;
    };
    out.push(
        cx.diag(
            &RULE,
            cx.t(
                "legal obligation without the text that imposes it",
                "obligation légale sans le texte qui l'impose",
            ),
        )
        .at(at)
        .label(cx.t("no `legal_obligation.reference`", "pas de `legal_obligation.reference`"))
        .help(cx.t(
            "add `legal_obligation: { reference: \"Code de commerce, art. L123-22\" }` with the article that applies",
            "ajoutez `legal_obligation: { reference: \"Code de commerce, art. L123-22\" }` avec l'article applicable",
        ))
        .note(cx.t(
            "a legal obligation must be laid down by EU or member-state law (GDPR art. 6(3))",
            "une obligation légale doit être prévue par le droit de l'Union ou d'un État membre (RGPD, art. 6(3))",
        ))
            .cite(cx.catalog.cite_keys(&["gdpr"])),
    );
}
