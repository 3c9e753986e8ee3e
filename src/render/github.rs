//! GitHub workflow commands (`::error file=…,line=…::message`), one annotation per finding.
//!
//! GitHub shows at most 10 annotations per level in a step and drops the rest silently, so the
//! most important come first (errors, then warnings, then notes, each by path and position) and
//! a closing notice says how many were left out. Manifest text is escaped so that it can never
//! start a workflow command of its own.

use super::Report;
use crate::diag::{Diagnostic, Severity};
use crate::rules;

/// Annotations GitHub displays per level and step.
pub const PER_LEVEL: usize = 10;

/// Escapes a command's message (`%`, CR, LF).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property: the message escapes, plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

fn annotation(report: &Report<'_>, d: &Diagnostic) -> String {
    let source = &report.files[d.file];
    let mut props = vec![format!("file={}", escape_property(&source.display))];
    if let Some(span) = d.span {
        let start = source.position(span.start);
        let end = source.position(span.end);
        props.push(format!("line={}", start.line));
        props.push(format!("endLine={}", end.line.max(start.line)));
        // columns only for one-line spans; GitHub's end column is inclusive
        if start.line == end.line {
            props.push(format!("col={}", start.column));
            props.push(format!(
                "endColumn={}",
                (end.column.max(start.column + 1)) - 1
            ));
        }
    }
    let name = rules::by_code(d.code).map_or("", |r| r.name);
    props.push(format!(
        "title={}",
        escape_property(&format!("ropa {} ({name})", d.code))
    ));
    let mut text = d.message.clone();
    if let Some(dev) = &d.deviation {
        text.push_str(&format!("\nexcused by a deviation: {}", dev.justification));
    }
    if let Some(help) = &d.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    for s in &d.sources {
        text.push_str(&format!("\nsource: {}", s.title));
        if let Some(url) = &s.url {
            text.push_str(&format!(" <{url}>"));
        }
    }
    format!(
        "::{} {}::{}\n",
        command(d.severity),
        props.join(","),
        escape_data(&text)
    )
}

pub fn render(report: &Report<'_>) -> String {
    let mut ordered: Vec<&Diagnostic> = report.diagnostics.iter().collect();
    // most important first; the sink's order (path, position, code) within a level
    ordered.sort_by_key(|d| std::cmp::Reverse(d.severity));
    let mut out = String::new();
    // paths that could not be read come first, in one annotation that takes an error slot
    let incomplete = !report.failures.is_empty();
    if incomplete {
        out.push_str(&format!(
            "::error title={}::{}\n",
            escape_property("ropa: the run is incomplete"),
            escape_data(&format!(
                "{} path(s) could not be read (exit 2): {}",
                report.failures.len(),
                report.failures.join("; ")
            ))
        ));
    }
    let mut shown = [0usize; 3];
    let mut left_out = 0;
    let total_notes = ordered
        .iter()
        .filter(|d| d.severity == Severity::Note)
        .count();
    for d in ordered {
        let level = d.severity as usize;
        // one slot is kept for the closing notice when notes are left out, and for the
        // incomplete-run annotation when paths could not be read
        let reserved = match d.severity {
            Severity::Note => left_out > 0 || total_notes > PER_LEVEL,
            Severity::Error => incomplete,
            Severity::Warning => false,
        };
        let limit = PER_LEVEL - usize::from(reserved);
        if shown[level] >= limit {
            left_out += 1;
            continue;
        }
        shown[level] += 1;
        out.push_str(&annotation(report, d));
    }
    if left_out > 0 {
        out.push_str(&format!(
            "::notice title=ropa::{}\n",
            escape_data(&format!(
                "{left_out} more finding(s) not shown here: GitHub displays at most {PER_LEVEL} annotations per level. Run `ropa lint` locally, or see the SARIF report or the job summary, for all of them."
            ))
        ));
    }
    let s = &report.summary;
    out.push_str(&format!(
        "ropa: {} error(s), {} warning(s), {} note(s) in {} manifest(s), {} activities, catalog {}{}\n",
        s.errors,
        s.warnings,
        s.notes,
        s.files,
        s.activities,
        report.catalog,
        if incomplete {
            format!("; {} path(s) could not be read", report.failures.len())
        } else {
            String::new()
        }
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_and_properties_are_escaped() {
        assert_eq!(escape_data("a%b\r\nc"), "a%25b%0D%0Ac");
        assert_eq!(escape_property("x: y, z\n"), "x%3A y%2C z%0A");
        // a value trying to start its own command stays inside the message
        let evil = "ok\n::error::pwned %0A::warning::";
        let escaped = escape_data(evil);
        assert!(!escaped.contains('\n'));
        assert!(escaped.contains("%250A"));
    }
}
