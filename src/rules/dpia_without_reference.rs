use super::Context;
use crate::diag::Diagnostic;

declare_rule! {
    /// ## What it checks
    /// When `dpia.required` is `true`, `dpia.reference` says where the DPIA is (a path relative
    /// to the manifest, or a URL).
    ///
    /// ## Why
    /// A DPIA must be carried out before the processing starts and kept up to date. Pointing at
    /// it lets reviewers check that it exists and covers this activity.
    ///
    /// ## Example
    /// ```yaml
    ///     dpia:
    ///       required: true
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     dpia:
    ///       required: true
    ///       reference: docs/privacy/dpia-crm.pdf
    /// ```
    code: DP003,
    severity: Warning,
    summary: "`dpia.required: true` without `dpia.reference`",
    fr_summary: "`dpia.required: true` sans `dpia.reference`",
    fr_checks: "Lorsque `dpia.required` vaut `true`, `dpia.reference` indique où se trouve l'AIPD (un chemin relatif au manifeste, ou une URL).",
    fr_why: "Une AIPD doit être réalisée avant le traitement et tenue à jour. Y renvoyer permet de vérifier qu'elle existe et couvre cette activité.",
    check: Some(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(dpia) = &cx.activity.dpia else {
        return;
    };
    let Some(required) = &dpia.required else {
        return;
    };
    if !required.value || dpia.reference.is_some() || cx.activity.is_invalid("dpia.reference") {
        return;
    }
    out.push(
        cx.diag(
            &RULE,
            cx.t(
                "a DPIA is required but no reference to it is given",
                "une AIPD est requise mais aucune référence n'y renvoie",
            ),
        )
        .at(required.span)
        .label(cx.t("no `dpia.reference`", "pas de `dpia.reference`"))
        .help(cx.t(
            "add `reference:` with the path or URL of the DPIA",
            "ajoutez `reference:` avec le chemin ou l'URL de l'AIPD",
        )),
    );
}
