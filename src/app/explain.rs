//! `ropa explain [CODE]`: a rule's documentation, or the list of rules.

use super::Failure;
use crate::i18n::Lang;
use crate::rules;

pub fn run(code: Option<&str>, lang: Lang) -> Result<String, Failure> {
    let Some(code) = code else {
        return Ok(list(lang));
    };
    let Some(rule) = rules::by_code(code) else {
        let hint = crate::manifest::vocab::suggest(code, rules::all().iter().map(|r| r.code))
            .map_or(String::new(), |c| {
                crate::i18n::t(
                    lang,
                    format!(" (did you mean {c}?)"),
                    format!(" (vouliez-vous dire {c} ?)"),
                )
            });
        return Err(Failure::usage(crate::i18n::t(
            lang,
            format!("unknown rule `{code}`{hint}; `ropa explain` lists the rules"),
            format!("règle inconnue `{code}`{hint} ; `ropa explain` liste les règles"),
        )));
    };
    let default = crate::i18n::s(lang, "default", "par défaut");
    Ok(format!(
        "{} ({}) [{default}: {}]\n\n{}\n",
        rule.code,
        rule.name,
        rule.default_severity.as_str(),
        rule.explanation_in(lang)
    ))
}

/// The rule table, as `ropa explain` prints it and the README shows it.
pub fn list(lang: Lang) -> String {
    let mut out = String::new();
    for r in rules::all() {
        out.push_str(&format!(
            "{:<6} {:<45} {:<8} {}\n",
            r.code,
            r.name,
            r.default_severity.as_str(),
            r.summary_in(lang)
        ));
    }
    out
}

/// The rule table as Markdown, as the README shows it (a test keeps the two in step).
pub fn markdown_table() -> String {
    let mut out = String::from("| code | name | default | fires when |\n|---|---|---|---|\n");
    for r in rules::all() {
        out.push_str(&format!(
            "| {} | `{}` | {} | {} |\n",
            r.code,
            r.name,
            r.default_severity.as_str(),
            r.summary
        ));
    }
    out
}

/// A rule's documentation page (`docs/rules/<CODE>.md`, where the SARIF help links point).
pub fn markdown_page(rule: &crate::rules::RuleMeta) -> String {
    format!(
        "# {} `{}`\n\nDefault severity: {}. {}.\n\n{}\n\n---\n\n## En français\n\n{}.\n\n{}\n",
        rule.code,
        rule.name,
        rule.default_severity.as_str(),
        capitalise(rule.summary),
        shift_headings(&rule.explanation()),
        capitalise(rule.fr.summary),
        shift_headings(&rule.explanation_in(Lang::Fr)),
    )
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

/// `## Why` becomes `### Why` under the page's own `##` headings.
fn shift_headings(doc: &str) -> String {
    doc.lines()
        .map(|l| {
            if l.starts_with("## ") {
                format!("#{l}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
