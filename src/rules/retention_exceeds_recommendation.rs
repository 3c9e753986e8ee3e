use super::Context;
use crate::catalog::{AppliesTo, Bound, Evidence, Nature};
use crate::diag::{Diagnostic, Severity};
use crate::manifest::duration::Duration;
use crate::manifest::model::Sp;
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
    code: "RT003",
    name: "retention-exceeds-recommendation",
    severity: Warning,
    summary: "a duration exceeds the catalog's maximum for the purpose (an error where the maximum is statutory)",
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
    for f in &p.retention {
        let Some(max) = f.duration.filter(|_| f.bound == Bound::Maximum) else {
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
        let kind = if statutory {
            "statutory maximum"
        } else {
            "CNIL-recommended maximum"
        };
        let starts = f
            .starts
            .as_deref()
            .map_or(String::new(), |s| format!(" from {s}"));
        let mut d = cx
            .diag(
                &RULE,
                format!(
                    "`{field}` is {} but the {kind} for purpose `{}` is {max}{starts}",
                    declared.value, p.id
                ),
            )
            .at(declared.span)
            .label(format!("longer than {max}"))
            .help(format!(
                "shorten it to {max} at most, or document why with a `deviations:` entry for RT003"
            ))
            .note(f.what.get(cx.lang).to_string())
            .cite(cx.catalog.cite(&f.sources));
        d.severity = if statutory && f.evidence != Evidence::Unverified {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.push(d);
    }
}
