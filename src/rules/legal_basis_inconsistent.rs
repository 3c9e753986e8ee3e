use super::Context;
use crate::catalog::BasisStatus;
use crate::diag::{Diagnostic, Severity};

declare_rule! {
    /// ## What it checks
    /// The declared `legal_basis` is one the catalog holds consistent with the activity's
    /// purpose. A basis the catalog does not list is an error. A basis it lists only under a
    /// condition ropa cannot verify (for example the "soft opt-in" exception for marketing
    /// emails to existing customers) is a warning that states the condition. The rule gives an
    /// error only when a primary text backs it (every basis the catalog lists for the purpose,
    /// or its entry saying this basis does not fit, was read in the primary text); otherwise it
    /// only warns.
    ///
    /// ## Why
    /// The CNIL requires exactly one legal basis per purpose (GDPR art. 6(1)), chosen before the
    /// processing starts. The basis decides which rights people have: no objection under
    /// contract, no erasure under a legal obligation, withdrawal under consent.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: crm
    ///     purpose: customer-management
    ///     legal_basis: consent
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///   - id: crm
    ///     purpose: customer-management
    ///     legal_basis: legitimate-interests
    /// ```
    /// If the activity really is consumer e-mail marketing, declare it under its own purpose
    /// (`prospecting-electronic-b2c`). If the organisation departs from the catalog on purpose,
    /// document it with a `deviations:` entry for LB001.
    code: LB001,
    severity: Error,
    summary: "the declared basis is not listed by the catalog for the purpose (a warning when it is listed under a condition ropa cannot check)",
    fr_summary: "la base déclarée n'est pas retenue par le catalogue pour la finalité (avertissement si elle l'est sous une condition que ropa ne peut pas vérifier)",
    fr_checks: "La `legal_basis` déclarée est l'une de celles que le catalogue tient pour cohérentes avec la finalité. Une base non retenue est une erreur. Une base retenue seulement sous une condition que ropa ne peut pas vérifier (par exemple l'exception des clients existants pour la prospection électronique) donne un avertissement qui énonce la condition. La règle ne donne une erreur que lorsqu'un texte primaire la fonde (toutes les bases retenues pour la finalité, ou l'entrée qui écarte cette base, ont été lues dans le texte primaire) ; sinon elle ne fait qu'avertir.",
    fr_why: "La CNIL exige une seule base légale par finalité (RGPD, art. 6(1)), choisie avant le début du traitement. La base détermine les droits des personnes : pas d'opposition au titre du contrat, pas d'effacement au titre d'une obligation légale, retrait au titre du consentement.",
    fr_fix: "Si l'activité est vraiment de la prospection électronique auprès de particuliers, déclarez-la sous sa propre finalité (`prospecting-electronic-b2c`). Si l'organisme s'écarte volontairement du catalogue, documentez-le par une entrée `deviations:` pour LB001.",
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let (Some(p), Some(basis)) = (cx.purpose, &cx.activity.legal_basis) else {
        return;
    };
    let lang = cx.lang;
    match p.basis(basis.value) {
        Some(entry) if entry.status == BasisStatus::Conditional => {
            let condition = entry.condition.as_ref().map_or("", |c| c.get(lang));
            let recommended: Vec<String> =
                p.recommended().map(|b| format!("`{}`", b.basis)).collect();
            let mut d = cx
                .diag(
                    &RULE,
                    cx.t(
                        format!(
                            "legal basis `{}` fits purpose `{}` only under a condition ropa cannot check",
                            basis.value, p.id
                        ),
                        format!(
                            "la base légale `{}` ne convient à la finalité `{}` que sous une condition que ropa ne peut pas vérifier",
                            basis.value, p.id
                        ),
                    ),
                )
                .at(basis.span)
                .label(cx.t("consistent only under a condition", "cohérente seulement sous condition"))
                .note(cx.t(format!("condition: {condition}"), format!("condition : {condition}")))
                .help(cx.t(
                    format!(
                        "check that the condition holds and record it with a `deviations:` entry for LB001; otherwise use {}",
                        recommended.join(" or ")
                    ),
                    format!(
                        "vérifiez que la condition est remplie et consignez-le par une entrée `deviations:` pour LB001 ; sinon utilisez {}",
                        recommended.join(" ou ")
                    ),
                ))
                .note(entry.why.get(lang).to_string())
                .cite(cx.catalog.cite(&entry.sources));
            d.severity = Severity::Warning;
            out.push(d);
        }
        Some(_) => {}
        None => {
            let consistent: Vec<String> = p
                .legal_bases
                .iter()
                .map(|b| match b.status {
                    BasisStatus::Recommended => cx.t(
                        format!("`{}` (recommended)", b.basis),
                        format!("`{}` (recommandée)", b.basis),
                    ),
                    BasisStatus::Consistent => format!("`{}`", b.basis),
                    BasisStatus::Conditional => cx.t(
                        format!("`{}` (under a condition)", b.basis),
                        format!("`{}` (sous condition)", b.basis),
                    ),
                })
                .collect();
            let mut d = cx
                .diag(
                    &RULE,
                    cx.t(
                        format!(
                            "legal basis `{}` is not consistent with purpose {}",
                            basis.value,
                            cx.purpose_title(p)
                        ),
                        format!(
                            "la base légale `{}` n'est pas cohérente avec la finalité {}",
                            basis.value,
                            cx.purpose_title(p)
                        ),
                    ),
                )
                .at(basis.span)
                .label(cx.t(
                    format!(
                        "the catalog does not list `{}` for this purpose",
                        basis.value
                    ),
                    format!(
                        "le catalogue ne retient pas `{}` pour cette finalité",
                        basis.value
                    ),
                ))
                .help(cx.t(
                    format!("the catalog lists {}", consistent.join(", ")),
                    format!("le catalogue retient {}", consistent.join(", ")),
                ));
            let nc = p.not_consistent.iter().find(|n| n.basis == basis.value);
            if let Some(nc) = nc {
                d = d.note(nc.why.get(lang).to_string());
                if let Some(see) = &nc.see {
                    d = d.note(cx.t(
                        format!(
                            "if this activity is that, declare it with `purpose: {}`",
                            see.value
                        ),
                        format!(
                            "si c'est le cas de cette activité, déclarez-la avec `purpose: {}`",
                            see.value
                        ),
                    ));
                }
                d = d.cite(cx.catalog.cite(&nc.sources));
            }
            for b in p.recommended() {
                d = d.cite(cx.catalog.cite(&b.sources));
            }
            // an error only when a primary text backs it: the catalog says in so many words that
            // this basis does not fit, or every basis it lists was read in the primary text
            let backed = nc.is_some_and(|n| n.evidence.binding())
                || p.legal_bases.iter().all(|b| b.evidence.binding());
            if !backed {
                d.severity = Severity::Warning;
                d = d.note(cx.t(
                    "the catalog's legal bases for this purpose are not all read in a primary text, so this is a warning",
                    "les bases légales du catalogue pour cette finalité ne sont pas toutes lues dans un texte primaire : ce n'est qu'un avertissement",
                ));
            }
            out.push(d);
        }
    }
}
