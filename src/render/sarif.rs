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

fn rule(r: &RuleMeta, lang: Lang) -> Value {
    let help = r.explanation_in(lang);
    json!({
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary_in(lang)},
        "fullDescription": {"text": r.checks_in(lang)},
        "help": {"text": help, "markdown": help},
        "helpUri": help_uri(r),
        "defaultConfiguration": {"level": level(r.default_severity)},
    })
}

fn result(report: &Report<'_>, d: &Diagnostic, fingerprint: &str) -> Value {
    let rule_index = Some(d.code as usize);
    let (start, end) = report.range(d);
    let artifact = artifact(report.files[d.file].key());
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        let word = crate::i18n::s(report.lang, "help: ", "aide : ");
        text.push_str(&format!("\n{word}{help}"));
    }
    let mut r = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact,
                "region": region(start, end),
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
    if !d.related.is_empty() {
        let related: Vec<Value> = d
            .related
            .iter()
            .enumerate()
            .map(|(id, rel)| {
                let (start, end) = report.related_range(rel);
                json!({
                    "id": id,
                    "physicalLocation": {
                        "artifactLocation": self::artifact(report.files[rel.file].key()),
                        "region": region(start, end),
                    },
                    "message": {"text": rel.message},
                })
            })
            .collect();
        r["relatedLocations"] = json!(related);
    }
    if let Some(dev) = &d.deviation {
        r["suppressions"] = json!([{
            "kind": "inSource",
            "justification": dev.justification,
        }]);
    }
    r
}

/// A region in code points; an empty span ends where it starts.
fn region(start: crate::source::Position, end: crate::source::Position) -> Value {
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line.max(start.line),
        "endColumn": if end.line > start.line { end.column } else { end.column.max(start.column) },
    })
}

/// Where a file is: relative to `%SRCROOT%`, or an absolute `file://` URI.
fn artifact(path: &str) -> Value {
    if path.starts_with('/') {
        json!({ "uri": format!("file://{}", percent_path(path)) })
    } else {
        json!({ "uri": percent_path(path), "uriBaseId": "%SRCROOT%" })
    }
}

/// What stays as it is in a path written as a URI: RFC 3986's unreserved characters and `/`;
/// every other byte (space, `#`, `%`, `?`, non-ASCII) is percent-encoded.
const PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A path as a URI reference: `/`-separated, with reserved characters escaped.
pub fn percent_path(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, PATH).to_string()
}

/// One run of the tool, its keys in the order they are written.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<R> {
    tool: Value,
    original_uri_base_ids: Value,
    column_kind: &'static str,
    results: R,
    invocations: [Value; 1],
    properties: Value,
}

/// The document around the run.
#[derive(serde::Serialize)]
struct Document<R> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<R>; 1],
}

pub fn write(report: &Report<'_>, out: &mut super::console::Out<'_>) {
    let root = report
        .root
        .map(std::path::Path::to_path_buf)
        .or_else(|| std::env::current_dir().ok())
        .map(|p| {
            let mut s = p.to_string_lossy().replace('\\', "/");
            if !s.ends_with('/') {
                s.push('/');
            }
            format!("file://{}", percent_path(&s))
        })
        .unwrap_or_else(|| "file:///".into());
    // each result is made as it is written: a report is never held whole
    let results =
        super::fingerprinted(report).map(|(d, fingerprint)| result(report, &d, &fingerprint));
    let doc = Document {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: json!({
                "driver": {
                    "name": "ropa",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules::all().iter().map(|r| rule(r, report.lang)).collect::<Vec<_>>(),
                }
            }),
            original_uri_base_ids: json!({"%SRCROOT%": {"uri": root}}),
            column_kind: "unicodeCodePoints",
            results: super::Seq::new(results),
            invocations: [invocation(report)],
            properties: json!({"catalog": report.catalog}),
        }],
    };
    // the writer keeps its own error (see `Out::finish`)
    let _ = serde_json::to_writer_pretty(&mut *out, &doc);
    out.push('\n');
}

/// Whether the run did all of its job; each problem (a configuration or catalog that could not
/// be used, a path not read) is a notification, at its place when it has one.
fn invocation(report: &Report<'_>) -> Value {
    let notifications: Vec<Value> = report
        .problems
        .iter()
        .map(|p| {
            let colon = crate::i18n::s(report.lang, ":", " :");
            let text = format!("{}{colon} {}", p.kind.title(report.lang), p.message);
            let mut n = json!({
                "level": "error",
                "message": {"text": text},
                "descriptor": {"id": format!("ropa/{}", serde_json::to_value(p.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default())},
            });
            if let Some(path) = &p.path {
                let mut physical = json!({"artifactLocation": artifact(path)});
                if let Some((start, end)) = p.range() {
                    physical["region"] = region(start, end);
                }
                n["locations"] = json!([{"physicalLocation": physical}]);
            }
            n
        })
        .collect();
    let mut v = json!({"executionSuccessful": report.problems.is_empty()});
    if !notifications.is_empty() {
        v["toolExecutionNotifications"] = Value::Array(notifications);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::percent_path;

    #[test]
    fn paths_become_valid_uri_references() {
        assert_eq!(percent_path("a b/c#d.yaml"), "a%20b/c%23d.yaml");
        // an existing escape is data, not an escape: it survives a round trip
        assert_eq!(percent_path("x%20y"), "x%2520y");
        assert_eq!(percent_path("é?(1)\n"), "%C3%A9%3F%281%29%0A");
        assert_eq!(percent_path("ok-_.~/z"), "ok-_.~/z");
    }
}
