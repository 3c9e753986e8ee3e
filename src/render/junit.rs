//! JUnit XML: one test suite per manifest, one test case per activity. An activity with errors or
//! warnings fails; notes (findings excused by a deviation) are kept as output of a passing case.
//! Paths that could not be read make a last suite, `(unread)`, with one erroring case each, so
//! that a test viewer shows an incomplete run as such.

use std::fmt::Write;

use super::{Report, escape_markup as escape};
use crate::diag::{Diagnostic, Severity};

/// Errors and warnings fail a test case; notes do not.
fn failing(d: &Diagnostic) -> bool {
    d.severity != Severity::Note
}

fn line(report: &Report<'_>, d: &Diagnostic) -> String {
    let source = &report.files[d.file];
    let pos = source.position(d.span.unwrap_or_default().start);
    format!(
        "{}:{}:{}: {} [{}] {}",
        source.display,
        pos.line,
        pos.column,
        d.severity.word(report.lang),
        d.code,
        d.message
    )
}

pub fn render(report: &Report<'_>) -> String {
    let s = &report.summary;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let unread = report.problems.len();
    let _ = writeln!(
        out,
        "<testsuites name=\"ropa\" tests=\"{}\" failures=\"{}\" errors=\"{unread}\">",
        s.activities.max(s.files) + unread,
        report.diagnostics.iter().filter(|d| failing(d)).count()
    );
    for (file, source) in report.files.iter().enumerate() {
        let diags: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.file == file)
            .collect();
        // test cases: the activities that have an id, in order, plus one for the file itself
        let mut cases: Vec<(String, Vec<&Diagnostic>)> = Vec::new();
        let mut file_level = Vec::new();
        for d in &diags {
            match &d.activity {
                Some(id) => match cases.iter_mut().find(|(n, _)| n == id) {
                    Some((_, v)) => v.push(d),
                    None => cases.push((id.clone(), vec![d])),
                },
                None => file_level.push(*d),
            }
        }
        cases.insert(0, ("(manifest)".to_string(), file_level));
        let failures = cases
            .iter()
            .filter(|(_, ds)| ds.iter().any(|d| failing(d)))
            .count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">",
            escape(&source.display),
            cases.len(),
            failures
        );
        for (name, ds) in &cases {
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\"",
                escape(&source.display),
                escape(name)
            );
            if ds.is_empty() {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            let failed: Vec<&&Diagnostic> = ds.iter().filter(|d| failing(d)).collect();
            if let Some(first) = failed.first() {
                let body: Vec<String> = failed.iter().map(|d| line(report, d)).collect();
                let _ = writeln!(
                    out,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    escape(&first.message),
                    first.code,
                    escape(&body.join("\n"))
                );
            }
            let notes: Vec<String> = ds
                .iter()
                .filter(|d| d.severity == Severity::Note)
                .map(|d| line(report, d))
                .collect();
            if !notes.is_empty() {
                let _ = writeln!(
                    out,
                    "      <system-out>{}</system-out>",
                    escape(&notes.join("\n"))
                );
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    if unread > 0 {
        let _ = writeln!(
            out,
            "  <testsuite name=\"(unread)\" tests=\"{unread}\" failures=\"0\" errors=\"{unread}\">"
        );
        for p in report.problems {
            let _ = writeln!(
                out,
                "    <testcase classname=\"(unread)\" name=\"{0}\">\n      <error message=\"{0}\" type=\"{1}\"/>\n    </testcase>",
                escape(&p.one_line()),
                escape(p.kind.title(report.lang)),
            );
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
