use super::{Context, figures};
use crate::catalog::{AppliesTo, Bound, Nature};
use crate::diag::{Diagnostic, Severity};

declare_rule! {
    /// ## What it checks
    /// `retention.active` plus `retention.archive` is not shorter than a minimum the catalog
    /// holds for the purpose, such as the 10 years for which accounting documents must be kept
    /// (Code de commerce, art. L123-22).
    ///
    /// ## Why
    /// Some data must be kept for a time set by law. Deleting them earlier breaks that law and
    /// loses the proof the organisation may need.
    ///
    /// ## Example
    /// ```yaml
    ///     purpose: accounting
    ///     retention:
    ///       active: 3 years
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     purpose: accounting
    ///     retention:
    ///       active: 3 years
    ///       archive: 7 years
    ///       archive_reason: "Code de commerce, art. L123-22"
    /// ```
    code: RT004,
    severity: Error,
    summary: "active + archive is shorter than a statutory minimum in the catalog",
    fr_summary: "base active + archive est plus courte qu'un minimum légal du catalogue",
    fr_checks: "`retention.active` plus `retention.archive` n'est pas plus court qu'un minimum du catalogue pour la finalité, comme les 10 ans de conservation des documents comptables (Code de commerce, art. L123-22).",
    fr_why: "Certaines données doivent être conservées pendant une durée fixée par la loi. Les supprimer plus tôt enfreint cette loi et fait perdre une preuve dont l'organisme peut avoir besoin.",
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let (Some(p), Some(r)) = (cx.purpose, &cx.activity.retention) else {
        return;
    };
    let Some(active) = &r.active else { return };
    let total = r
        .archive
        .as_ref()
        .map_or(active.value, |a| active.value.plus(a.value));
    let span = r
        .archive
        .as_ref()
        .map_or(active.span, |a| active.span.join(a.span));
    for f in figures::applicable(cx, Bound::Minimum) {
        let Some(min) = f.duration else {
            continue;
        };
        if f.nature != Nature::Statutory || f.applies_to == AppliesTo::Informative || total >= min {
            continue;
        }
        let (total_w, min_w) = (total.words(cx.lang), min.words(cx.lang));
        let mut d = cx
            .diag(
                &RULE,
                cx.t(
                    format!(
                        "data are kept {total_w} in all but the law requires at least {min_w} for {}",
                        figures::scope(cx, p, f)
                    ),
                    format!(
                        "les données sont conservées {total_w} au total mais la loi impose au moins {min_w} pour {}",
                        figures::scope(cx, p, f)
                    ),
                ),
            )
            .at(span)
            .label(cx.t(
                format!("shorter than the statutory {min_w}"),
                format!("moins que les {min_w} légaux"),
            ))
            .help(cx.t(
                format!("keep the data {min_w} at least, e.g. with `archive:` and an `archive_reason:` naming the statute"),
                format!("conservez les données {min_w} au moins, par exemple avec `archive:` et un `archive_reason:` citant le texte"),
            ))
            .note(f.what.get(cx.lang).to_string())
            .cite(cx.catalog.cite(&f.sources));
        if !f.evidence.binding() {
            d.severity = Severity::Warning;
        }
        out.push(d);
    }
}
