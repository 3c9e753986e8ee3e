use super::Context;
use crate::diag::Diagnostic;

declare_rule! {
    /// ## What it checks
    /// An intermediate archive (`retention.archive`) comes with `retention.archive_reason`: the
    /// legal obligation or the need for proof that justifies it.
    ///
    /// ## Why
    /// After the active period, data may be kept in an intermediate archive, with restricted
    /// access, only to meet a legal obligation or to keep proof within a limitation period. The
    /// CNIL rejects archives kept "just in case".
    ///
    /// ## Example
    /// ```yaml
    ///     retention:
    ///       active: 3 years
    ///       archive: 5 years
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     retention:
    ///       active: 3 years
    ///       archive: 5 years
    ///       archive_reason: "Proof of the contract, Code civil art. 2224"
    /// ```
    code: RT005,
    severity: Warning,
    summary: "`archive` without `archive_reason`",
    fr_summary: "`archive` sans `archive_reason`",
    fr_checks: "Un archivage intermédiaire (`retention.archive`) s'accompagne de `retention.archive_reason` : l'obligation légale ou le besoin de preuve qui le justifie.",
    fr_why: "Après la base active, les données ne peuvent être conservées en archivage intermédiaire, à accès restreint, que pour respecter une obligation légale ou se ménager une preuve pendant un délai de prescription. La CNIL écarte l'archivage « au cas où ».",
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(r) = &cx.activity.retention else {
        return;
    };
    let Some(archive) = &r.archive else { return };
    if r.archive_reason.is_some() || cx.activity.is_invalid("retention.archive_reason") {
        return;
    }
    out.push(
        cx.diag(
            &RULE,
            cx.t(
                "an intermediate archive without a reason",
                "un archivage intermédiaire sans justification",
            ),
        )
        .at(archive.span)
        .label(cx.t("no `archive_reason`", "pas de `archive_reason`"))
        .help(cx.t(
            "add `archive_reason:` with the legal obligation or the proof it serves",
            "ajoutez `archive_reason:` avec l'obligation légale ou la preuve qu'il sert",
        ))
        .cite(cx.catalog.cite_keys(&["cnil-guide-conservation"])),
    );
}
