//! `ropa coverage`: the manifests (linted, kept), the coverage scan, the report, the exit status.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::{Exit, Failure, emit};
use crate::cli::{AnswerFormat, CoverageArgs};
use crate::coverage::scan::{self, Report};
use crate::coverage::vendors::Catalog;
use crate::i18n::{Lang, s, t};
use crate::render::console::Sink;

/// Runs `ropa coverage`: exit 1 when there is an error or a warning, 2 when a file could not be
/// read (after the report is written, with the problems on standard error).
pub fn run(a: CoverageArgs, lang: &mut Lang) -> Result<Exit, Failure> {
    let (settings, catalog) = super::settings_and_catalog(&a.catalog, lang)?;
    let paths = if a.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        a.paths.clone()
    };
    let request = crate::engine::run::Request {
        paths: paths.clone(),
        changed: None,
        keep_manifests: true,
        keep_only: None,
        use_index: false,
        staged: false,
    };
    let outcome = crate::engine::run::lint(&request, &catalog, &settings);
    let vendors = Catalog::built_in();
    let found = scan::scan(&paths, &settings, &vendors);
    let report = scan::analyse(&outcome, &found, &vendors, *lang);
    let (text, sink) = match a.format {
        AnswerFormat::Human => (human(&report, *lang), Sink::Text { color: false }),
        AnswerFormat::Json => (json(&report), Sink::Json),
    };
    emit(&text, a.output.as_deref(), sink)?;
    let mut problems = outcome.problems;
    problems.extend(found.problems);
    if !problems.is_empty() {
        return Err(Failure(problems));
    }
    Ok(if report.summary.errors + report.summary.warnings > 0 {
        Exit::Findings
    } else {
        Exit::Clean
    })
}

/// The JSON report (`version` 1).
pub fn json(report: &Report) -> String {
    let mut value = serde_json::json!({ "version": 1 });
    let body = serde_json::to_value(report).unwrap_or_default();
    if let (Some(out), Some(body)) = (value.as_object_mut(), body.as_object()) {
        for (k, v) in body {
            out.insert(k.clone(), v.clone());
        }
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// The directory of a `/`-separated path (`.` at the root).
fn dir(path: &str) -> &str {
    path.rsplit_once('/').map_or(".", |(d, _)| d)
}

/// The report for people: the numbers, a table per directory, the vendors, then the findings.
pub fn human(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    let sum = &report.summary;
    let _ = writeln!(
        out,
        "{}",
        t(
            lang,
            format!(
                "Personal data found in {} files, {} covered by a manifest; {} processor SDKs in the dependencies.",
                sum.files_with_personal_data, sum.covered, sum.vendors
            ),
            format!(
                "Données personnelles trouvées dans {} fichiers, dont {} couverts par un manifeste ; {} SDK de sous-traitants dans les dépendances.",
                sum.files_with_personal_data, sum.covered, sum.vendors
            ),
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
    for f in &report.findings {
        out.push('\n');
        let _ = writeln!(out, "{}[{}]: {}", f.level.word(lang), f.kind, f.message);
        let _ = writeln!(out, " --> {}:{}:{}", f.at.path, f.at.line, f.at.column);
        for r in &f.related {
            let _ = writeln!(
                out,
                " {} {}:{}:{}",
                s(lang, "see", "voir"),
                r.path,
                r.line,
                r.column
            );
        }
    }
    out
}
