use super::Context;
use crate::diag::Diagnostic;
use crate::manifest::vocab::LegalBasis;

declare_rule! {
    /// ## What it checks
    /// An activity based on legitimate interests points to its documented balancing test in
    /// `legitimate_interests.balancing_test` (a path relative to the manifest, or a URL).
    ///
    /// ## Why
    /// Legitimate interests is the only basis that requires the controller to weigh its interest
    /// against the rights and expectations of the people concerned, and to be able to show that
    /// assessment (the CNIL's « mise en balance »). This is not a DPIA.
    ///
    /// ## Example
    /// ```yaml
    ///     legal_basis: legitimate-interests
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     legal_basis: legitimate-interests
    ///     legitimate_interests:
    ///       interest: "Following up the commercial relationship"
    ///       balancing_test: docs/privacy/lia-customers.md
    /// ```
    code: LB002,
    severity: Warning,
    summary: "legitimate interests without `legitimate_interests.balancing_test`",
    fr_summary: "intérêt légitime sans `legitimate_interests.balancing_test`",
    fr_checks: "Une activité fondée sur l'intérêt légitime renvoie à sa mise en balance documentée dans `legitimate_interests.balancing_test` (un chemin relatif au manifeste, ou une URL).",
    fr_why: "L'intérêt légitime est la seule base qui oblige le responsable à mettre en balance son intérêt avec les droits et attentes des personnes, et à pouvoir le démontrer. Ce n'est pas une AIPD.",
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let a = cx.activity;
    let Some(basis) = super::declared_basis(a, LegalBasis::LegitimateInterests) else {
        return;
    };
    let found = a
        .legitimate_interests
        .as_ref()
        .map(|l| (l.key, l.balancing_test.is_some()));
    let Some(at) =
        super::missing_in_section(a, "legitimate_interests", "balancing_test", found, basis)
    else {
        return;
    };
    out.push(
        cx.diag(
            &RULE,
            cx.t(
                "legitimate interests without a documented balancing test",
                "intérêt légitime sans mise en balance documentée",
            ),
        )
        .at(at)
        .label(cx.t(
            "no `legitimate_interests.balancing_test`",
            "pas de `legitimate_interests.balancing_test`",
        ))
        .help(cx.t(
            "add `legitimate_interests: { interest: \"…\", balancing_test: docs/privacy/lia.md }`",
            "ajoutez `legitimate_interests: { interest: \"…\", balancing_test: docs/privacy/lia.md }`",
        ))
        .note(cx.t(
            "the balancing of interests (« mise en balance ») must be documented for every processing based on legitimate interests",
            "la mise en balance des intérêts doit être documentée pour tout traitement fondé sur l'intérêt légitime",
        ))
        .cite(cx.catalog.cite_keys(&["cnil-interet-legitime"])),
    );
}
