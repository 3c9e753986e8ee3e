//! The JSON report (spec §6). Lines and columns start at 1; columns count characters; `end` is
//! the position just after the last character of the span.

use serde_json::{Value, json};

use super::Report;
use crate::diag::Diagnostic;
use crate::rules;
use crate::source::{Source, Span};

pub fn render(report: &Report<'_>) -> String {
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| diagnostic(d, &report.files[d.file]))
        .collect();
    let doc = json!({
        "version": 1,
        "tool": {
            "name": "ropa",
            "version": env!("CARGO_PKG_VERSION"),
            "catalog": report.catalog,
        },
        "diagnostics": diagnostics,
        "summary": report.summary,
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

fn diagnostic(d: &Diagnostic, source: &Source) -> Value {
    let span = d.span.unwrap_or(Span::new(0, 0));
    let start = source.position(span.start);
    let end = source.position(span.end);
    json!({
        "code": d.code,
        "rule": rules::by_code(d.code).map_or("", |r| r.name),
        "severity": d.severity.as_str(),
        "message": d.message,
        "path": source.display,
        "activity": d.activity,
        "range": {
            "start": {"line": start.line, "column": start.column},
            "end": {"line": end.line, "column": end.column},
        },
        "help": d.help,
        "notes": d.notes,
        "sources": d.sources,
        "deviation": d.deviation,
    })
}
