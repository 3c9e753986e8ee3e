//! The JSON report (spec §6). Lines and columns start at 1; columns count characters; `end` is
//! the position just after the last character of the span. Written straight from the
//! diagnostics, without an intermediate document tree.

use serde::Serialize;

use super::Report;
use crate::diag::sink::Summary;
use crate::diag::{AppliedDeviation, Citation, Diagnostic};
use crate::source::Position;

#[derive(Serialize)]
struct Document<'a, D> {
    version: u32,
    tool: Tool<'a>,
    diagnostics: D,
    summary: Summary,
    /// What kept the run from being complete, one line each (`path: reason`); not empty means
    /// an incomplete run (exit status 2).
    unread: Vec<String>,
    /// The same problems, with their kind and place.
    problems: Vec<ProblemEntry<'a>>,
    /// What coverage found, when it ran (a whole-tree lint).
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage: Option<crate::coverage::scan::Summary>,
}

#[derive(Serialize)]
struct ProblemEntry<'a> {
    kind: crate::diag::ProblemKind,
    path: Option<&'a str>,
    range: Option<Range>,
    message: &'a str,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'static str,
    catalog: &'a str,
}

#[derive(Serialize)]
struct Point {
    line: usize,
    column: usize,
}

impl From<Position> for Point {
    fn from(p: Position) -> Self {
        Point {
            line: p.line,
            column: p.column,
        }
    }
}

#[derive(Serialize)]
struct Range {
    start: Point,
    end: Point,
}

#[derive(Serialize)]
struct Entry<'a> {
    code: &'static str,
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    path: &'a str,
    activity: Option<&'a str>,
    range: Range,
    help: Option<&'a str>,
    notes: &'a [String],
    sources: &'a [Citation],
    deviation: Option<&'a AppliedDeviation>,
    /// Places in other files (the code a coverage finding on a manifest is about).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<RelatedEntry<'a>>,
}

#[derive(Serialize)]
struct RelatedEntry<'a> {
    path: String,
    range: Range,
    message: &'a str,
}

fn entry<'a>(report: &'a Report<'_>, d: &'a Diagnostic) -> Entry<'a> {
    let (start, end) = report.range(d);
    Entry {
        code: d.code.as_str(),
        rule: d.code.name(),
        severity: d.severity.as_str(),
        message: &d.message,
        path: report.files[d.file].display(),
        activity: d.activity.as_deref(),
        range: Range {
            start: start.into(),
            end: end.into(),
        },
        help: d.help.as_deref(),
        notes: &d.notes,
        sources: &d.sources,
        deviation: d.deviation.as_ref(),
        related: d
            .related
            .iter()
            .map(|r| {
                let (start, end) = report.related_range(r);
                RelatedEntry {
                    path: report.files[r.file].display().to_string(),
                    range: Range {
                        start: start.into(),
                        end: end.into(),
                    },
                    message: &r.message,
                }
            })
            .collect(),
    }
}

/// A finding as the store gives it, written as its entry.
struct Decoded<'r, 'a>(&'r Report<'a>, Diagnostic);

impl Serialize for Decoded<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        entry(self.0, &self.1).serialize(s)
    }
}

pub fn write(report: &Report<'_>, out: &mut super::console::Out<'_>) {
    let doc = Document {
        version: 1,
        tool: Tool {
            name: "ropa",
            version: env!("CARGO_PKG_VERSION"),
            catalog: report.catalog,
        },
        diagnostics: super::Seq::new(report.diagnostics.iter().map(|d| Decoded(report, d))),
        summary: report.summary,
        unread: report
            .problems
            .iter()
            .map(crate::diag::Problem::one_line)
            .collect(),
        problems: report
            .problems
            .iter()
            .map(|p| ProblemEntry {
                kind: p.kind,
                path: p.path.as_deref(),
                range: p.range().map(|(start, end)| Range {
                    start: start.into(),
                    end: end.into(),
                }),
                message: &p.message,
            })
            .collect(),
        coverage: report.coverage,
    };
    // the writer keeps its own error (see `Out::finish`)
    let _ = serde_json::to_writer_pretty(&mut *out, &doc);
    out.push('\n');
}
