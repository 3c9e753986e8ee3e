//! `ropa explain [CODE]`: a rule's documentation, or the list of rules.

use super::Failure;
use crate::rules;

pub fn run(code: Option<&str>) -> Result<String, Failure> {
    let Some(code) = code else {
        return Ok(list());
    };
    let Some(rule) = rules::by_code(code) else {
        let hint = crate::manifest::vocab::suggest(code, rules::all().iter().map(|r| r.code))
            .map_or(String::new(), |c| format!(" (did you mean {c}?)"));
        return Err(Failure(format!(
            "unknown rule `{code}`{hint}; `ropa explain` lists the rules"
        )));
    };
    Ok(format!(
        "{} ({}) [default: {}]\n\n{}\n",
        rule.code,
        rule.name,
        rule.default_severity.as_str(),
        rule.explanation()
    ))
}

/// The rule table, as `ropa explain` prints it and the README shows it.
pub fn list() -> String {
    let mut out = String::new();
    for r in rules::all() {
        out.push_str(&format!(
            "{:<6} {:<45} {:<8} {}\n",
            r.code,
            r.name,
            r.default_severity.as_str(),
            r.summary
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
