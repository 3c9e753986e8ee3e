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
    code: "MF006",
    name: "unknown-purpose",
    severity: Warning,
    summary: "`purpose` matches no catalog purpose, so it cannot be checked",
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
            format!(
                "purpose `{}` is not in the catalog, so its legal basis, DPIA and retention are not checked",
                purpose.value
            ),
        )
        .at(purpose.span)
        .label("unknown purpose");
    d = match cx.catalog.index.suggest(&purpose.value) {
        Some(i) => {
            let p = &cx.catalog.purposes()[i];
            d.help(format!(
                "did you mean `{}` ({})?",
                p.id,
                p.label.get(cx.lang)
            ))
        }
        None => d.help("`ropa catalog list` shows the purposes the catalog knows"),
    };
    out.push(d);
}
