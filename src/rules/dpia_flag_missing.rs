use super::Context;
use crate::diag::Diagnostic;

declare_rule! {
    /// ## What it checks
    /// Every activity records its DPIA decision as `dpia.required: true` or `false`.
    ///
    /// ## Why
    /// Whether a data protection impact assessment (DPIA, in French AIPD) is required must be
    /// decided before the processing starts (GDPR art. 35). Recording the decision, even when it
    /// is "no", is what lets a DPO audit it and what lets ropa check it against the CNIL lists.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: crm
    ///     retention:
    ///       active: 3 years
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///   - id: crm
    ///     dpia:
    ///       required: false
    ///     retention:
    ///       active: 3 years
    /// ```
    code: DP001,
    severity: Error,
    summary: "no `dpia.required`",
    fr_summary: "pas de `dpia.required`",
    fr_checks: "Chaque activité consigne sa décision sur l'AIPD par `dpia.required: true` ou `false`.",
    fr_why: "La nécessité d'une analyse d'impact (AIPD) doit être tranchée avant le début du traitement (RGPD, art. 35). Consigner la décision, même négative, permet au DPO de la contrôler et à ropa de la confronter aux listes de la CNIL.",
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let a = cx.activity;
    let found = a.dpia.as_ref().map(|d| (d.key, d.required.is_some()));
    let fallback = a.id.as_ref().map_or(a.head, |i| i.span);
    let Some(at) = super::missing_in_section(a, "dpia", "required", found, fallback) else {
        return;
    };
    let label = if a.dpia.is_some() {
        cx.t(
            "`dpia` has no `required` flag",
            "`dpia` n'a pas d'indicateur `required`",
        )
    } else {
        cx.t(
            "this activity has no `dpia:` section",
            "cette activité n'a pas de section `dpia:`",
        )
    };
    let mut d = cx
        .diag(
            &RULE,
            cx.t(
                "the DPIA decision is not recorded",
                "la décision sur l'AIPD n'est pas consignée",
            ),
        )
        .at(at)
        .label(label)
        .help(cx.t(
            "add `dpia: { required: false }` (or `true`, with `reference:` to the DPIA)",
            "ajoutez `dpia: { required: false }` (ou `true`, avec `reference:` vers l'AIPD)",
        ));
    if let Some(p) = cx.purpose {
        d = d.note(cx.t(
            format!(
                "for purpose `{}` the catalog's DPIA duty is `{}`: {}",
                p.id,
                p.dpia.duty.as_str(),
                p.dpia.why.en
            ),
            format!(
                "pour la finalité `{}`, l'obligation d'AIPD du catalogue est `{}` : {}",
                p.id,
                p.dpia.duty.as_str(),
                p.dpia.why.fr
            ),
        ));
        d = d.cite(cx.catalog.cite(&p.dpia.sources));
    }
    out.push(d);
}
