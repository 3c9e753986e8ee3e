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
    let pos = report.range(d).0;
    format!(
        "{}:{}:{}: {} [{}] {}",
        report.files[d.file].display(),
        pos.line,
        pos.column,
        d.severity.word(report.lang),
        d.code,
        d.message
    )
}

pub fn render(report: &Report<'_>) -> String {
    let unread = report.problems.len();
    // findings come by file, in the files' order: each file takes its own as it goes
    let mut all = report.diagnostics.iter().peekable();
    let (mut tests, mut failed_cases) = (unread, 0);
    let mut out = String::new();
    for (file, source) in report.files.iter().enumerate() {
        let mut here = Vec::new();
        while let Some(d) = all.next_if(|d| d.file <= file) {
            if d.file == file {
                here.push(d);
            }
        }
        if !report.reported.get(file).copied().unwrap_or(true) {
            continue;
        }
        // one case for the file itself, then one per activity, clean ones too
        let ids = report
            .activities
            .get(file)
            .into_iter()
            .flat_map(|ids| ids.iter());
        let mut cases: Vec<(String, Vec<Diagnostic>)> =
            std::iter::once(("(manifest)".to_string(), Vec::new()))
                .chain(
                    ids.enumerate()
                        .map(|(i, (_, id))| (case_name(id.map(|(id, _)| id), i), Vec::new())),
                )
                .collect();
        for d in here {
            let slot = d.activity_index.map_or(0, |i| i + 1);
            while cases.len() <= slot {
                let i = cases.len() - 1;
                let name = if i + 1 == slot {
                    d.activity.as_deref()
                } else {
                    None
                };
                cases.push((case_name(name, i), Vec::new()));
            }
            cases[slot].1.push(d);
        }
        let failures = cases
            .iter()
            .filter(|(_, ds)| ds.iter().any(failing))
            .count();
        tests += cases.len();
        failed_cases += failures;
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">",
            escape(source.display()),
            cases.len(),
            failures
        );
        for (name, ds) in &cases {
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\"",
                escape(source.display()),
                escape(name)
            );
            if ds.is_empty() {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            let failed: Vec<&Diagnostic> = ds.iter().filter(|d| failing(d)).collect();
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
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ropa\" tests=\"{tests}\" failures=\"{failed_cases}\" errors=\"{unread}\">\n{out}"
    )
}

/// An activity's case: its id, or its position when it has none.
fn case_name(id: Option<&str>, index: usize) -> String {
    id.map_or_else(|| format!("activity {}", index + 1), str::to_string)
}
