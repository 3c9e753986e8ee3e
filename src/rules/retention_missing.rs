use super::Context;
use crate::diag::Diagnostic;

declare_rule! {
    /// ## What it checks
    /// Every activity has `retention.active`: how long the data stay in active use.
    ///
    /// ## Why
    /// Personal data may be kept no longer than the purpose needs (GDPR art. 5(1)(e)), and the
    /// record of processing activities states the time limits for erasure (art. 30(1)(f)).
    ///
    /// ## Example
    /// ```yaml
    ///   - id: crm
    ///     dpia:
    ///       required: false
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///   - id: crm
    ///     dpia:
    ///       required: false
    ///     retention:
    ///       active: 3 years
    ///       starts: end-of-relationship
    /// ```
    code: RT001,
    severity: Error,
    summary: "no `retention` or no `retention.active`",
    fr_summary: "pas de `retention` ou pas de `retention.active`",
    fr_checks: "Chaque activité indique `retention.active` : combien de temps les données restent en base active.",
    fr_why: "Les données ne peuvent être conservées plus longtemps que la finalité ne l'exige (RGPD, art. 5(1)(e)), et le registre indique les délais d'effacement (art. 30(1)(f)).",
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let a = cx.activity;
    let found = a.retention.as_ref().map(|r| (r.key, r.active.is_some()));
    let fallback = a.id.as_ref().map_or(a.head, |i| i.span);
    let Some(at) = super::missing_in_section(a, "retention", "active", found, fallback) else {
        return;
    };
    let label = if a.retention.is_some() {
        cx.t(
            "`retention` has no `active` duration",
            "`retention` n'a pas de durée `active`",
        )
    } else {
        cx.t(
            "this activity has no `retention:` section",
            "cette activité n'a pas de section `retention:`",
        )
    };
    let mut d = cx
        .diag(
            &RULE,
            cx.t(
                "no retention period for the active data",
                "pas de durée de conservation pour les données actives",
            ),
        )
        .at(at)
        .label(label)
        .help(cx.t(
            "add `retention: { active: 3 years, starts: end-of-relationship }` with the period that fits",
            "ajoutez `retention: { active: 3 ans, starts: fin de la relation commerciale }` avec la durée qui convient",
        ));
    if let Some(p) = cx.purpose {
        for f in p
            .retention
            .iter()
            .filter(|f| f.applies_to == crate::catalog::AppliesTo::Active)
        {
            if f.duration.is_some() {
                d = d.note(cx.t(
                    format!("for purpose `{}` the catalog says: {}", p.id, f.what.en),
                    format!(
                        "pour la finalité `{}`, le catalogue indique : {}",
                        p.id, f.what.fr
                    ),
                ));
                d = d.cite(cx.catalog.cite(&f.sources));
            }
        }
    }
    d = d.cite(cx.catalog.cite_keys(&["gdpr"]));
    out.push(d);
}
