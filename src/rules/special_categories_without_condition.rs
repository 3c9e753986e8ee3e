use super::Context;
use crate::diag::Diagnostic;

declare_rule! {
    /// ## What it checks
    /// An activity that lists `special_categories` (GDPR art. 9: health, biometric, genetic…,
    /// or art. 10 criminal data) states the art. 9(2) condition that lifts the ban, in
    /// `special_category_condition`.
    ///
    /// ## Why
    /// Processing special categories is prohibited unless one of the art. 9(2) exceptions
    /// applies, on top of an art. 6 legal basis. Without a condition the processing is unlawful.
    ///
    /// ## Example
    /// ```yaml
    ///     special_categories: [health]
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     special_categories: [health]
    ///     special_category_condition: explicit-consent
    /// ```
    code: LB005,
    severity: Error,
    summary: "special categories without an art. 9(2) condition",
    fr_summary: "catégories particulières sans exception de l'art. 9(2)",
    fr_checks: "Une activité qui déclare des `special_categories` (RGPD, art. 9 : santé, biométrie, génétique… ; art. 10 : données pénales) indique l'exception de l'art. 9(2) qui lève l'interdiction, dans `special_category_condition`.",
    fr_why: "Le traitement des catégories particulières est interdit sauf exception de l'art. 9(2), en plus d'une base légale de l'art. 6. Sans exception, le traitement est illicite.",
    check: Some(check),
}

const CONDITIONS: &str = "explicit-consent, employment-social-protection, vital-interests, not-for-profit-members, made-public, legal-claims, substantial-public-interest, health-care, public-health, archiving-research-statistics";

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let a = cx.activity;
    let Some(first) = a.special_categories.first() else {
        return;
    };
    if a.special_category_condition.is_some() || a.is_invalid("special_category_condition") {
        return;
    }
    let list: Vec<String> = a
        .special_categories
        .iter()
        .map(|c| format!("`{}`", c.value))
        .collect();
    let span = a
        .special_categories
        .iter()
        .fold(first.span, |s, c| s.join(c.span));
    out.push(
        cx.diag(
            &RULE,
            cx.t(
                format!(
                    "special categories {} without an art. 9(2) condition",
                    list.join(", ")
                ),
                format!(
                    "catégories particulières {} sans exception de l'art. 9(2)",
                    list.join(", ")
                ),
            ),
        )
        .at(span)
        .label(cx.t(
            "processing these is prohibited unless an art. 9(2) exception applies",
            "leur traitement est interdit sauf exception de l'art. 9(2)",
        ))
        .help(cx.t(
            format!("add `special_category_condition:` with one of {CONDITIONS}"),
            format!("ajoutez `special_category_condition:` avec l'une des valeurs {CONDITIONS}"),
        ))
        .cite(cx.catalog.cite_keys(&["gdpr"])),
    );
}
