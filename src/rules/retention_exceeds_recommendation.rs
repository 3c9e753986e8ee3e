use super::{Context, figures};
use crate::catalog::{AppliesTo, Bound, Nature};
use crate::diag::{Diagnostic, Severity};
use crate::manifest::duration::Duration;
use crate::manifest::model::Sp;
use crate::manifest::vocab::{StartEvent, Vocabulary};
use crate::source::Span;

declare_rule! {
    /// ## What it checks
    /// The declared durations do not exceed the catalog's maximum for the purpose: each maximum
    /// applies to `retention.active`, to `retention.archive`, or to their sum. Exceeding a CNIL
    /// recommendation is a warning; exceeding a maximum set by statute is an error (a warning
    /// where the catalog marks the figure unverified).
    ///
    /// ## Why
    /// Storage limitation (GDPR art. 5(1)(e)). The CNIL's référentiels give the durations it
    /// considers proportionate. They are not binding: an organisation that needs longer documents
    /// why with a `deviations:` entry for RT003.
    ///
    /// ## Example
    /// ```yaml
    ///     purpose: video-surveillance
    ///     retention:
    ///       active: 3 months
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     purpose: video-surveillance
    ///     retention:
    ///       active: 30 days
    /// ```
    code: RT003,
    severity: Warning,
    summary: "a duration exceeds the catalog's maximum for the purpose (an error where the maximum is statutory)",
    fr_summary: "une durée dépasse le maximum du catalogue pour la finalité (erreur si le maximum est légal)",
    fr_checks: "Les durées déclarées ne dépassent pas le maximum du catalogue pour la finalité : chaque maximum porte sur `retention.active`, sur `retention.archive` ou sur leur somme. Dépasser une recommandation de la CNIL donne un avertissement ; dépasser un maximum fixé par la loi, une erreur (un avertissement si le catalogue marque la donnée comme non vérifiée).",
    fr_why: "Limitation de la conservation (RGPD, art. 5(1)(e)). Les référentiels de la CNIL donnent les durées qu'elle juge proportionnées. Ils ne sont pas contraignants : un organisme qui a besoin de plus justifie l'écart par une entrée `deviations:` pour RT003.",
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let (Some(p), Some(r)) = (cx.purpose, &cx.activity.retention) else {
        return;
    };
    let total = match (&r.active, &r.archive) {
        (Some(a), Some(b)) => Some(Sp {
            value: a.value.plus(b.value),
            span: Span::join(a.span, b.span),
        }),
        (Some(a), None) => Some(a.clone()),
        _ => None,
    };
    for f in figures::applicable(cx, Bound::Maximum) {
        let Some(max) = f.duration else {
            continue;
        };
        let (field, declared): (&str, Option<&Sp<Duration>>) = match f.applies_to {
            AppliesTo::Active => ("retention.active", r.active.as_ref()),
            AppliesTo::Archive => ("retention.archive", r.archive.as_ref()),
            AppliesTo::Total => ("retention.active + retention.archive", total.as_ref()),
            AppliesTo::Informative => continue,
        };
        let Some(declared) = declared else { continue };
        // unlimited durations are RT002's
        if declared.value.is_unbounded() || declared.value <= max {
            continue;
        }
        let statutory = f.nature == Nature::Statutory;
        let (max_w, declared_w) = (max.words(cx.lang), declared.value.words(cx.lang));
        let nothing = max == Duration::days(0);
        let starts = f.starts.as_deref().map_or(String::new(), |s| {
            let event = StartEvent::parse(s).map_or(s, |e| e.describe(cx.lang));
            match nothing {
                true => cx.t(format!(" after {event}"), format!(" après {event}")),
                false => cx.t(
                    format!(" from {event}"),
                    format!(" à compter {}", crate::i18n::de(event)),
                ),
            }
        });
        // whose maximum it is: the law's, the CNIL's, or an organisation catalog's own
        let (kind_en, kind_fr) = match (statutory, &f.set_by) {
            (true, _) => (
                "the statutory maximum".to_string(),
                "le maximum légal".to_string(),
            ),
            (false, Some(org)) => (
                format!("the maximum set by catalog `{org}`"),
                format!("le maximum fixé par le catalogue `{org}`"),
            ),
            (false, None) => (
                "the CNIL-recommended maximum".to_string(),
                "le maximum recommandé par la CNIL".to_string(),
            ),
        };
        let scope = figures::scope(cx, p, f);
        // a maximum of nothing: the data are kept only until the event that starts the clock
        let message = if nothing {
            cx.t(
                format!("`{field}` is {declared_w} but {kind_en} for {scope} is to keep nothing{starts}"),
                format!("`{field}` vaut {declared_w} mais {kind_fr} pour {scope} est de ne rien garder{starts}"),
            )
        } else {
            cx.t(
                format!("`{field}` is {declared_w} but {kind_en} for {scope} is {max_w}{starts}"),
                format!(
                    "`{field}` vaut {declared_w} mais {kind_fr} pour {scope} est de {max_w}{starts}"
                ),
            )
        };
        let mut d = cx
            .diag(&RULE, message)
            .at(declared.span)
            .label(cx.t(format!("longer than {max_w}"), format!("plus de {max_w}")))
            .help(cx.t(
                format!("shorten it to {max_w} at most, or document why with a `deviations:` entry for RT003"),
                format!("ramenez-la à {max_w} au plus, ou justifiez l'écart par une entrée `deviations:` pour RT003"),
            ))
            .note(f.what.get(cx.lang).to_string())
            .cite(cx.catalog.cite(&f.sources));
        d.severity = if statutory && f.evidence.binding() {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.push(d);
    }
}
