use super::{Context, criteria};
use crate::catalog::Duty;
use crate::diag::{Diagnostic, Severity};

declare_rule! {
    /// ## What it checks
    /// `dpia.required` is not `false` when a DPIA is mandatory: the catalog's DPIA duty for the
    /// purpose is `always` (for example whistleblowing), or the manifest shows a case from the
    /// CNIL list of processing that requires a DPIA (délibération 2018-327). The list is data in
    /// the catalog (`ropa catalog dpia`); the cases recognised in a manifest are: health data of
    /// vulnerable persons (item 1), genetic data of vulnerable persons (2), HR profiling (3),
    /// systematic monitoring of employees (4), whistleblowing (6), profiling that can exclude
    /// from a contract (8), profiling with external data (10), biometric recognition of
    /// persons among whom vulnerable persons such as employees or pupils (11), large-scale
    /// location data (14). The rule warns instead where the case rests on a criterion only
    /// implied by other fields (see DP004), on a way of recognising the item that the catalog
    /// has not checked against the list's own words, or on a DPIA duty not read in a primary
    /// text.
    ///
    /// ## Why
    /// For processing on the CNIL list a DPIA is mandatory before the processing starts (GDPR
    /// art. 35(4)); there is no case-by-case assessment to make.
    ///
    /// ## Example
    /// ```yaml
    ///     purpose: whistleblowing
    ///     dpia:
    ///       required: false
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     purpose: whistleblowing
    ///     dpia:
    ///       required: true
    ///       reference: docs/privacy/dpia-whistleblowing.pdf
    /// ```
    code: DP002,
    severity: Error,
    summary: "the catalog (or a CNIL mandatory-DPIA list item) requires a DPIA but `dpia.required` is false",
    fr_summary: "le catalogue (ou un point de la liste de la CNIL) impose une AIPD mais `dpia.required` vaut false",
    fr_checks: "`dpia.required` ne vaut pas `false` lorsqu'une AIPD est obligatoire : l'obligation du catalogue pour la finalité est `always` (par exemple les alertes professionnelles), ou le manifeste montre un cas de la liste de la CNIL des traitements soumis à AIPD (délibération 2018-327), comme la reconnaissance biométrique de personnes parmi lesquelles des personnes vulnérables, salariés ou élèves (point 11), ou des données de localisation à grande échelle (point 14). La règle avertit seulement si le cas repose sur des critères déduits d'autres champs, sur une façon de reconnaître le point que le catalogue n'a pas vérifiée dans le texte de la liste, ou sur une obligation d'AIPD non lue dans un texte primaire.",
    fr_why: "Pour un traitement figurant sur la liste de la CNIL, l'AIPD est obligatoire avant sa mise en œuvre (RGPD, art. 35(4)) ; il n'y a pas d'appréciation au cas par cas.",
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let a = cx.activity;
    let Some(required) = a.dpia.as_ref().and_then(|d| d.required.as_ref()) else {
        return;
    };
    if required.value {
        return;
    }
    let help = cx.t(
        "set `required: true` and point `reference:` at the DPIA",
        "indiquez `required: true` et faites pointer `reference:` vers l'AIPD",
    );
    if let Some(p) = cx.purpose
        && p.dpia.duty == Duty::Always
    {
        let mut d = cx
            .diag(
                &RULE,
                cx.t(
                    format!("a DPIA is mandatory for purpose {}", cx.purpose_title(p)),
                    format!(
                        "une AIPD est obligatoire pour la finalité {}",
                        cx.purpose_title(p)
                    ),
                ),
            )
            .at(required.span)
            .label(cx.t(
                "the catalog requires a DPIA for this purpose",
                "le catalogue exige une AIPD pour cette finalité",
            ))
            .help(help)
            .note(p.dpia.why.get(cx.lang).to_string())
            .cite(cx.catalog.cite(&p.dpia.sources));
        if !p.dpia.evidence.binding() {
            d.severity = Severity::Warning;
        }
        out.push(d);
        return;
    }
    let met = criteria::met(cx);
    let listed = criteria::listed(cx, met);
    let Some(first) = listed.first() else {
        return;
    };
    let item = first.item.text.get(cx.lang);
    let mut d = cx
        .diag(
            &RULE,
            cx.t(
                format!(
                    "a DPIA is mandatory for {item} (CNIL list, item {})",
                    first.item.item
                ),
                format!(
                    "une AIPD est obligatoire pour : {item} (liste de la CNIL, point {})",
                    first.item.item
                ),
            ),
        )
        .at(required.span)
        .label(cx.t("a DPIA is mandatory here", "une AIPD est obligatoire ici"))
        .help(help);
    let mut seen = Vec::new();
    for (span, why) in &first.evidence {
        if !seen.contains(span) {
            seen.push(*span);
            d = d.secondary(*span, why.clone());
        }
    }
    for other in &listed[1..] {
        d = d.note(cx.t(
            format!(
                "also on the list: {} (item {})",
                other.item.text.en, other.item.item
            ),
            format!(
                "figure aussi sur la liste : {} (point {})",
                other.item.text.fr, other.item.item
            ),
        ));
    }
    if first.implied {
        d.severity = Severity::Warning;
        d = d.note(cx.t(
            "this rests on criteria implied by other fields; declare the criteria that apply in `dpia.criteria` to confirm",
            "ceci repose sur des critères déduits d'autres champs ; déclarez ceux qui s'appliquent dans `dpia.criteria` pour confirmer",
        ));
    }
    if first
        .item
        .when
        .as_ref()
        .is_some_and(|w| !w.evidence.binding())
    {
        d.severity = Severity::Warning;
        d = d.note(cx.t(
            "how the catalog recognises this item has not been checked against the list's own words, so this is a warning",
            "la façon dont le catalogue reconnaît ce point n'a pas été vérifiée dans le texte de la liste : ce n'est qu'un avertissement",
        ));
    }
    if let Some(lists) = &cx.catalog.catalog.dpia_lists {
        d = d.cite(cx.catalog.cite(&lists.required.sources));
    }
    out.push(d);
}
