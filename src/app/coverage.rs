//! `ropa coverage`: the manifests (linted, kept), the coverage scan, the report, the exit status.

use super::{Exit, Failure, emit};
use crate::cli::{AnswerFormat, CoverageArgs};
use crate::coverage::scan::Table;
use crate::i18n::{Lang, s, t};
use crate::render::Report;
use crate::render::console::Sink;
use std::fmt::Write as _;

/// Runs `ropa coverage`: the whole-tree lint's coverage part (CV001-CV005) with the table.
/// Exit 1 when a coverage finding is at or above `fail_on`, 2 when a file could not be read
/// (after the report is written, with the problems on standard error).
pub fn run(a: CoverageArgs, lang: &mut Lang) -> Result<Exit, Failure> {
    let (settings, catalog) = super::settings_and_catalog(&a.catalog, &a.paths, lang)?;
    let request = crate::engine::run::Request {
        paths: a.paths.clone(),
        changed: None,
        keep_manifests: false,
        keep_only: None,
        use_index: false,
        staged: false,
        coverage: crate::engine::run::Coverage::Table,
        touched_by: None,
    };
    let mut outcome = crate::engine::run::lint(&request, &catalog, &settings);
    let table = outcome.coverage.take().unwrap_or_default();
    outcome
        .diagnostics
        .retain(|d| d.code.as_str().starts_with("CV"));
    let files = outcome.reported.iter().filter(|r| **r).count();
    let activities = outcome
        .activities
        .iter()
        .map(crate::rules::duplicate_activity_id::ActivityIds::len)
        .sum();
    outcome.summary = crate::diag::sink::finish(&outcome.diagnostics, files, activities);
    let report = Report::new(&outcome, catalog.name(), *lang);
    let (text, sink) = match a.format {
        AnswerFormat::Human => {
            let mut text = human(&table, *lang);
            let options = crate::render::human::Options {
                color: false,
                quiet: true,
            };
            if !report.diagnostics.is_empty() {
                text.push('\n');
                text.push_str(&report.render(crate::render::Format::Human, &options));
            }
            (text, Sink::Text { color: false })
        }
        AnswerFormat::Json => (json(&table, &report), Sink::Json),
    };
    emit(&text, a.output.as_deref(), sink, *lang)?;
    if !outcome.problems.is_empty() {
        return Err(Failure(outcome.problems));
    }
    let failing = outcome.summary.fails(settings.fail_on.value);
    Ok(if failing { Exit::Findings } else { Exit::Clean })
}

/// One finding in the JSON report.
#[derive(serde::Serialize)]
struct Entry {
    code: &'static str,
    rule: &'static str,
    severity: &'static str,
    message: String,
    path: String,
    line: usize,
    column: usize,
    activity: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<serde_json::Value>,
}

/// The JSON report (`version` 1): the numbers, the files, the vendors and the findings.
pub fn json(table: &Table, report: &Report<'_>) -> String {
    let key = |file: usize| report.files[file].key().to_string();
    let findings: Vec<Entry> = report
        .diagnostics
        .iter()
        .map(|d| {
            let (path, start) = (key(d.file), report.range(&d).0);
            let (line, column) = (start.line, start.column);
            Entry {
                code: d.code.as_str(),
                rule: d.code.name(),
                severity: d.severity.as_str(),
                path,
                line,
                column,
                related: d
                    .related
                    .iter()
                    .map(|r| {
                        let p = report.related_range(r).0;
                        serde_json::json!({"path": key(r.file), "line": p.line, "column": p.column, "message": r.message})
                    })
                    .collect(),
                message: d.message,
                activity: d.activity,
            }
        })
        .collect();
    let value = serde_json::json!({
        "version": 1,
        "summary": {
            "files_with_personal_data": table.summary.files_with_personal_data,
            "covered": table.summary.covered,
            "vendors": table.summary.vendors,
            "errors": report.summary.errors,
            "warnings": report.summary.warnings,
            "notes": report.summary.notes,
        },
        "files": table.files,
        "vendors": table.vendors,
        "findings": findings,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// The directory of a `/`-separated path (`.` at the root).
fn dir(path: &str) -> &str {
    path.rsplit_once('/').map_or(".", |(d, _)| d)
}

/// The report for people: the numbers, a table per directory, the vendors, then the findings.
pub fn human(report: &Table, lang: Lang) -> String {
    let mut out = String::new();
    let sum = &report.summary;
    let sdks = sum.vendors;
    let _ = writeln!(
        out,
        "{}{}",
        crate::render::coverage_sentence(sum, lang),
        t(
            lang,
            format!(
                "; {sdks} processor {} in the dependencies.",
                if sdks == 1 { "SDK" } else { "SDKs" }
            ),
            format!(" ; {sdks} SDK de sous-traitants dans les dépendances."),
        )
    );
    // one row per directory
    let mut rows: std::collections::BTreeMap<
        &str,
        (
            usize,
            std::collections::BTreeSet<&str>,
            std::collections::BTreeSet<String>,
        ),
    > = Default::default();
    for f in &report.files {
        let row = rows.entry(dir(&f.path)).or_default();
        row.0 += 1;
        row.1.extend(f.categories.iter().map(|c| c.as_str()));
        if f.covered_by.is_empty() {
            row.2.insert("—".to_string());
        }
        row.2.extend(f.covered_by.iter().cloned());
    }
    if !rows.is_empty() {
        let head = [
            s(lang, "directory", "dossier"),
            s(lang, "files", "fichiers"),
            s(lang, "categories", "catégories"),
            s(lang, "covered by", "couvert par"),
        ];
        let body: Vec<[String; 4]> = rows
            .iter()
            .map(|(d, (n, cats, by))| {
                [
                    (*d).to_string(),
                    n.to_string(),
                    cats.iter().copied().collect::<Vec<_>>().join(", "),
                    by.iter().cloned().collect::<Vec<_>>().join(", "),
                ]
            })
            .collect();
        let width = |i: usize| {
            body.iter()
                .map(|r| r[i].chars().count())
                .chain([head[i].chars().count()])
                .max()
                .unwrap_or(0)
        };
        let w = [width(0), width(1), width(2)];
        out.push('\n');
        let line = |r: [&str; 4]| {
            format!(
                "{:<w0$}  {:>w1$}  {:<w2$}  {}",
                r[0],
                r[1],
                r[2],
                r[3],
                w0 = w[0],
                w1 = w[1],
                w2 = w[2]
            )
            .trim_end()
            .to_string()
        };
        let _ = writeln!(out, "{}", line(head));
        for r in &body {
            let _ = writeln!(out, "{}", line([&r[0], &r[1], &r[2], &r[3]]));
        }
    }
    if !report.vendors.is_empty() {
        out.push('\n');
        for v in &report.vendors {
            let named = if v.named_by.is_empty() {
                s(lang, "named by no activity", "nommé par aucune activité").to_string()
            } else {
                t(
                    lang,
                    format!("named by {}", v.named_by.join(", ")),
                    format!("nommé par {}", v.named_by.join(", ")),
                )
            };
            let _ = writeln!(
                out,
                "{}:{}: {} ({}), {named}",
                v.at.path, v.at.line, v.name, v.package
            );
        }
    }
    out
}
