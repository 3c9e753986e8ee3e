use super::Context;
use crate::diag::Diagnostic;

declare_rule! {
    /// ## What it checks
    /// `purpose` names a catalog purpose: its id, its French or English label, or one of its
    /// aliases (case, accents and punctuation do not matter). `ropa catalog list` shows them.
    ///
    /// ## Why
    /// Legal basis, DPIA and retention are checked against the catalog purpose. A purpose the
    /// catalog does not know cannot be checked, and ropa says so instead of passing silently.
    /// It never guesses: a close name is suggested, not used.
    ///
    /// ## Example
    /// ```yaml
    ///     purpose: customer-managment
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     purpose: customer-management
    /// ```
    /// or add the purpose to an organisation catalog.
    code: MF006,
    severity: Warning,
    summary: "`purpose` matches no catalog purpose, so it cannot be checked",
    fr_summary: "`purpose` ne correspond à aucune finalité du catalogue et ne peut donc pas être vérifiée",
    fr_checks: "`purpose` désigne une finalité du catalogue : son identifiant, son libellé français ou anglais, ou l'un de ses alias (casse, accents et ponctuation indifférents). `ropa catalog list` les affiche.",
    fr_why: "La base légale, l'AIPD et la conservation sont vérifiées par rapport à la finalité du catalogue. Une finalité inconnue ne peut pas être vérifiée, et ropa le dit au lieu de laisser passer en silence. Il ne devine jamais : un nom proche est suggéré, pas utilisé.",
    fr_fix: "ou ajoutez la finalité à un catalogue de l'organisme.",
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(purpose) = &cx.activity.purpose else {
        return;
    };
    if cx.purpose.is_some() {
        return;
    }
    let mut d = cx
        .diag(
            &RULE,
            cx.t(
                format!(
                    "purpose `{}` is not in the catalog, so its legal basis, DPIA and retention are not checked",
                    purpose.value
                ),
                format!(
                    "la finalité `{}` n'est pas au catalogue : sa base légale, son AIPD et sa conservation ne sont pas vérifiées",
                    purpose.value
                ),
            ),
        )
        .at(purpose.span)
        .label(cx.t("unknown purpose", "finalité inconnue"));
    d = match cx.catalog.suggest(&purpose.value) {
        Some(i) => {
            let p = &cx.catalog.purposes()[i];
            d.help(cx.t(
                format!("did you mean `{}` ({})?", p.id, p.label.en),
                format!("vouliez-vous dire `{}` ({}) ?", p.id, p.label.fr),
            ))
        }
        None => d.help(cx.t(
            "`ropa catalog list` shows the purposes the catalog knows",
            "`ropa catalog list` montre les finalités du catalogue",
        )),
    };
    out.push(d);
}
