use super::Context;
use crate::diag::Diagnostic;
use crate::manifest::model::{Sp, Text};

declare_rule! {
    /// ## What it checks
    /// Documents the manifest points to exist: `legitimate_interests.balancing_test` and
    /// `dpia.reference`, when they are relative paths (resolved against the manifest's
    /// directory). URLs are accepted and not fetched; free text that does not look like a path
    /// (no `/` and no file extension) is left alone. A path that leads out of the repository is
    /// reported as not checked, whether or not something exists there.
    ///
    /// ## Why
    /// A reference to a balancing test or a DPIA that is not there is worse than none: the
    /// register says the work is done when it cannot be found.
    ///
    /// ## Example
    /// ```yaml
    ///     legitimate_interests:
    ///       balancing_test: docs/privacy/lia-custmers.md
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     legitimate_interests:
    ///       balancing_test: docs/privacy/lia-customers.md
    /// ```
    code: RF001,
    severity: Warning,
    summary: "a relative path in `balancing_test`, `dpia.reference` and the like does not exist",
    fr_summary: "un chemin relatif de `balancing_test`, `dpia.reference` ou d'un champ analogue n'existe pas",
    fr_checks: "Les documents auxquels renvoie le manifeste existent : `legitimate_interests.balancing_test` et `dpia.reference`, lorsque ce sont des chemins relatifs (résolus depuis le dossier du manifeste). Les URL sont acceptées sans être consultées ; un texte libre qui ne ressemble pas à un chemin (ni `/` ni extension) est ignoré. Un chemin qui sort du dépôt est signalé comme non vérifié, qu'il existe ou non.",
    fr_why: "Un renvoi vers une mise en balance ou une AIPD introuvable est pire que pas de renvoi : le registre affirme que le travail est fait alors qu'on ne peut pas le retrouver.",
    check: Some(check),
}

/// Whether a reference is meant as a path: not a URL, and has a `/` or a file extension.
pub(crate) fn looks_like_path(s: &str) -> bool {
    let s = s.trim();
    if s.contains("://") || s.starts_with("mailto:") || s.contains(char::is_whitespace) {
        return false;
    }
    s.contains('/')
        || s.contains('\\')
        || s.rsplit_once('.').is_some_and(|(stem, ext)| {
            !stem.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let a = cx.activity;
    let refs: [(&str, Option<&Sp<Text>>); 2] = [
        (
            "legitimate_interests.balancing_test",
            a.legitimate_interests
                .as_ref()
                .and_then(|l| l.balancing_test.as_ref()),
        ),
        (
            "dpia.reference",
            a.dpia.as_ref().and_then(|d| d.reference.as_ref()),
        ),
    ];
    for (field, value) in refs {
        let Some(v) = value else { continue };
        if !looks_like_path(&v.value) {
            continue;
        }
        let path = cx.manifest_dir().join(v.value.trim());
        let (message, label, help) = match cx.files.exists(&path) {
            super::Seen::Yes => continue,
            super::Seen::Outside => (
                cx.t(
                    format!("`{field}` points to `{}`, outside the repository: it is not checked", v.value),
                    format!("`{field}` renvoie à `{}`, hors du dépôt : il n'est pas vérifié", v.value),
                ),
                cx.t("outside the repository", "hors du dépôt"),
                cx.t(
                    "keep the document in the repository, or use a URL",
                    "gardez le document dans le dépôt, ou utilisez une URL",
                ),
            ),
            super::Seen::No | super::Seen::Unknown => (
                cx.t(
                    format!("`{field}` points to `{}`, which does not exist", v.value),
                    format!("`{field}` renvoie à `{}`, qui n'existe pas", v.value),
                ),
                cx.t(
                    "no such file, relative to this manifest's directory",
                    "aucun fichier de ce nom, par rapport au dossier du manifeste",
                ),
                cx.t(
                    "fix the path (relative paths start from the manifest's directory), or use a URL",
                    "corrigez le chemin (les chemins relatifs partent du dossier du manifeste), ou utilisez une URL",
                ),
            ),
        };
        out.push(cx.diag(&RULE, message).at(v.span).label(label).help(help));
    }
}
