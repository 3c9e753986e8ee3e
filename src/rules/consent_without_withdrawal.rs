use super::Context;
use crate::diag::Diagnostic;
use crate::manifest::vocab::LegalBasis;

declare_rule! {
    /// ## What it checks
    /// An activity based on consent says how consent is withdrawn, in `consent.withdrawal`.
    ///
    /// ## Why
    /// GDPR art. 7(3): withdrawing consent must be as easy as giving it, and people are told how
    /// before they consent. Without a withdrawal path the consent is not valid.
    ///
    /// ## Example
    /// ```yaml
    ///     legal_basis: consent
    ///     consent:
    ///       collection: "Unticked checkbox on the signup form"
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     legal_basis: consent
    ///     consent:
    ///       collection: "Unticked checkbox on the signup form"
    ///       withdrawal: "Unsubscribe link in every message and in account settings"
    /// ```
    code: LB003,
    severity: Warning,
    summary: "consent without `consent.withdrawal`",
    fr_summary: "consentement sans `consent.withdrawal`",
    fr_checks: "Une activité fondée sur le consentement indique comment le retirer, dans `consent.withdrawal`.",
    fr_why: "RGPD, art. 7(3) : retirer son consentement doit être aussi simple que le donner, et les personnes en sont informées avant de consentir. Sans moyen de retrait, le consentement n'est pas valable.",
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let a = cx.activity;
    let Some(basis) = super::declared_basis(a, LegalBasis::Consent) else {
        return;
    };
    let found = a.consent.as_ref().map(|c| (c.key, c.withdrawal.is_some()));
    let Some(at) = super::missing_in_section(a, "consent", "withdrawal", found, basis) else {
        return;
    };
    out.push(
        cx.diag(
            &RULE,
            cx.t(
                "consent without a way to withdraw it",
                "consentement sans moyen de le retirer",
            ),
        )
        .at(at)
        .label(cx.t("no `consent.withdrawal`", "pas de `consent.withdrawal`"))
        .help(cx.t(
            "add `consent: { withdrawal: \"how people withdraw their consent\" }`",
            "ajoutez `consent: { withdrawal: \"comment les personnes retirent leur consentement\" }`",
        ))
        .note(cx.t(
            "withdrawing consent must be as easy as giving it (GDPR art. 7(3))",
            "retirer son consentement doit être aussi simple que le donner (RGPD, art. 7(3))",
        ))
            .cite(cx.catalog.cite_keys(&["gdpr"])),
    );
}
