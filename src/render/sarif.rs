//! SARIF 2.1.0, one run. The rules come from the registry; results point at files relative to
//! `%SRCROOT%` (the working directory), with regions in Unicode code points.

use serde_json::{Value, json};

use super::Report;
use crate::diag::{Diagnostic, Severity};
use crate::i18n::Lang;
use crate::rules::{self, RuleMeta};

/// Where the rule documentation lives (`docs/rules/<CODE>.md`, generated from the registry).
pub fn help_uri(rule: &RuleMeta) -> String {
    format!(
        "{}/blob/main/docs/rules/{}.md",
        env!("CARGO_PKG_REPOSITORY"),
        rule.code
    )
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn rule(r: &RuleMeta) -> Value {
    json!({
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": r.summary_in(Lang::Fr)},
        "help": {"text": r.explanation(), "markdown": r.explanation()},
        "helpUri": help_uri(r),
        "defaultConfiguration": {"level": level(r.default_severity)},
    })
}

fn result(report: &Report<'_>, d: &Diagnostic) -> Value {
    let source = &report.files[d.file];
    let rule_index = rules::all().iter().position(|r| r.code == d.code);
    let span = d.span.unwrap_or_default();
    let start = source.position(span.start);
    let end = source.position(span.end);
    let (uri, base) = if source.display.starts_with('/') {
        (format!("file://{}", source.display), None)
    } else {
        (percent_path(&source.display), Some("%SRCROOT%"))
    };
    let mut artifact = json!({ "uri": uri });
    if let Some(base) = base {
        artifact["uriBaseId"] = json!(base);
    }
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    let fingerprint = super::fingerprint(d, source);
    let mut r = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact,
                "region": {
                    "startLine": start.line,
                    "startColumn": start.column,
                    "endLine": end.line.max(start.line),
                    "endColumn": if end.line > start.line { end.column } else { end.column.max(start.column) },
                }
            }
        }],
        "partialFingerprints": {"ropaFinding/v1": fingerprint},
        "properties": {
            "activity": d.activity,
            "sources": d.sources,
        },
    });
    if let Some(i) = rule_index {
        r["ruleIndex"] = json!(i);
    }
    if let Some(dev) = &d.deviation {
        r["suppressions"] = json!([{
            "kind": "inSource",
            "justification": dev.justification,
        }]);
    }
    r
}

/// A relative path as a URI reference: `/`-separated, with reserved characters escaped.
fn percent_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn render(report: &Report<'_>) -> String {
    let root = std::env::current_dir()
        .ok()
        .map(|p| {
            let mut s = p.to_string_lossy().replace('\\', "/");
            if !s.ends_with('/') {
                s.push('/');
            }
            format!("file://{}", percent_path(&s))
        })
        .unwrap_or_else(|| "file:///".into());
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| result(report, d))
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "ropa",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules::all().iter().map(|r| rule(r)).collect::<Vec<_>>(),
                }
            },
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root}},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "invocations": [invocation(report)],
            "properties": {"catalog": report.catalog},
        }]
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// Whether the run could read everything; each path it could not read is a notification.
fn invocation(report: &Report<'_>) -> Value {
    let notifications: Vec<Value> = report
        .failures
        .iter()
        .map(|f| json!({"level": "error", "message": {"text": f}}))
        .collect();
    let mut v = json!({"executionSuccessful": report.failures.is_empty()});
    if !notifications.is_empty() {
        v["toolExecutionNotifications"] = Value::Array(notifications);
    }
    v
}
