//! `ropa config`: the effective configuration, each value with where it comes from.

use crate::config::{Set, Settings};
use crate::source::display_path;

fn line(out: &mut String, key: &str, value: &str, origin: &crate::config::Origin) {
    out.push_str(&format!("{key:<34} {value:<28} # {origin}\n"));
}

fn list<T>(out: &mut String, key: &str, items: &[Set<T>], show: impl Fn(&T) -> String) {
    if items.is_empty() {
        line(out, key, "[]", &crate::config::Origin::Default);
    }
    for item in items {
        line(out, key, &show(&item.value), &item.origin);
    }
}

pub fn render(s: &Settings) -> String {
    let mut out = match &s.file {
        Some(f) => format!("# configuration file: {}\n", display_path(f)),
        None => "# no configuration file (defaults and flags only)\n".to_string(),
    };
    out.push_str(&format!(
        "# paths are relative to: {}\n",
        display_path(&s.root)
    ));
    let lang = s.lang.value.code();
    line(&mut out, "lang", lang, &s.lang.origin);
    line(
        &mut out,
        "fail_on",
        s.fail_on.value.as_str(),
        &s.fail_on.origin,
    );
    list(&mut out, "include", &s.include, String::clone);
    list(&mut out, "exclude", &s.exclude, String::clone);
    list(&mut out, "catalogs", &s.catalogs, |p| display_path(p));
    for (code, level) in &s.rules {
        line(
            &mut out,
            &format!("rules.{code}"),
            level.value.as_str(),
            &level.origin,
        );
    }
    for p in &s.per_path {
        for (code, level) in &p.rules {
            line(
                &mut out,
                &format!("per_path.\"{}\".{code}", p.glob),
                level.value.as_str(),
                &level.origin,
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
            line(&mut out, key, &v.value, &v.origin);
        }
    }
    out
}
