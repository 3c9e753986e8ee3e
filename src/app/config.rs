//! `ropa config`: the effective configuration, each value with where it comes from.

use crate::config::{Origin, Set, Settings};
use crate::i18n::Lang;
use crate::render::human::terminal_safe;
use crate::source::display_path;

/// Where a value comes from, in the run's language.
fn origin(o: &Origin, lang: Lang) -> String {
    match o {
        Origin::Default => crate::i18n::s(lang, "default", "par défaut").to_string(),
        Origin::File(..) | Origin::Flag(_) => o.to_string(),
    }
}

/// Paths and values come from the repository: shown without control characters.
fn line(out: &mut String, key: &str, value: &str, from: &Origin, lang: Lang) {
    let (key, value) = (terminal_safe(key), terminal_safe(value));
    let from = terminal_safe(&origin(from, lang));
    out.push_str(&format!("{key:<34} {value:<28} # {from}\n"));
}

fn list<T>(out: &mut String, key: &str, items: &[Set<T>], show: impl Fn(&T) -> String, lang: Lang) {
    if items.is_empty() {
        line(out, key, "[]", &Origin::Default, lang);
    }
    for item in items {
        line(out, key, &show(&item.value), &item.origin, lang);
    }
}

pub fn render(s: &Settings) -> String {
    let lang = s.lang.value;
    let t = |en: String, fr: String| crate::i18n::t(lang, en, fr);
    let mut out = match &s.file {
        Some(f) => {
            let f = terminal_safe(&display_path(f));
            t(
                format!("# configuration file: {f}\n"),
                format!("# fichier de configuration : {f}\n"),
            )
        }
        None => t(
            "# no configuration file (defaults and flags only)\n".into(),
            "# aucun fichier de configuration (valeurs par défaut et options seulement)\n".into(),
        ),
    };
    let root = terminal_safe(&display_path(&s.root));
    out.push_str(&t(
        format!("# paths are relative to: {root}\n"),
        format!("# les chemins sont relatifs à : {root}\n"),
    ));
    line(&mut out, "lang", lang.code(), &s.lang.origin, lang);
    line(
        &mut out,
        "fail_on",
        s.fail_on.value.as_str(),
        &s.fail_on.origin,
        lang,
    );
    list(&mut out, "include", &s.include, String::clone, lang);
    list(&mut out, "exclude", &s.exclude, String::clone, lang);
    list(&mut out, "catalogs", &s.catalogs, |p| display_path(p), lang);
    list(
        &mut out,
        "coverage.exclude",
        &s.coverage_exclude,
        String::clone,
        lang,
    );
    list(
        &mut out,
        "coverage.vendors",
        &s.coverage_vendors,
        |p| display_path(p),
        lang,
    );
    for (code, level) in &s.rules {
        line(
            &mut out,
            &format!("rules.{code}"),
            level.value.as_str(),
            &level.origin,
            lang,
        );
    }
    for p in &s.per_path {
        for (code, level) in &p.rules {
            line(
                &mut out,
                &format!("per_path.\"{}\".{code}", p.glob),
                level.value.as_str(),
                &level.origin,
                lang,
            );
        }
    }
    for (key, value) in [
        ("defaults.controller.name", &s.defaults.controller_name),
        (
            "defaults.controller.contact",
            &s.defaults.controller_contact,
        ),
    ] {
        if let Some(v) = value {
            line(&mut out, key, &v.value, &v.origin, lang);
        }
    }
    out
}
