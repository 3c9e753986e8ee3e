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
    code: "LB003",
    name: "consent-without-withdrawal",
    severity: Warning,
    summary: "consent without `consent.withdrawal`",
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
        cx.diag(&RULE, "consent without a way to withdraw it".to_string())
            .at(at)
            .label("no `consent.withdrawal`")
            .help("add `consent: { withdrawal: \"how people withdraw their consent\" }`")
            .note("withdrawing consent must be as easy as giving it (GDPR art. 7(3))")
            .cite(cx.catalog.cite_keys(&["gdpr"])),
    );
}
