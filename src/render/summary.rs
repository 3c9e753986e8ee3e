//! The Markdown job summary (`--summary-file "$GITHUB_STEP_SUMMARY"`): the counts, a table of the
//! findings with links, and the catalog. It stays well under GitHub's 1 MiB limit for a step
//! summary: past a budget, rows are left out and the summary says how many.

use std::fmt::Write;

use super::Report;
use crate::rules;

/// GitHub accepts 1 MiB per step summary; stay well below it.
pub const BUDGET: usize = 512 * 1024;

/// Escapes text for a Markdown table cell.
pub fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A link to a line of a file on GitHub when the workflow variables are set.
fn link(path: &str, line: usize) -> String {
    let vars = ["GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"].map(std::env::var);
    match vars {
        [Ok(server), Ok(repo), Ok(sha)] => {
            let encoded: String = path
                .chars()
                .map(|c| match c {
                    ' ' => "%20".to_string(),
                    '(' => "%28".to_string(),
                    ')' => "%29".to_string(),
                    c => c.to_string(),
                })
                .collect();
            format!(
                "[{}:{line}]({server}/{repo}/blob/{sha}/{encoded}#L{line})",
                cell(path)
            )
        }
        _ => format!("{}:{line}", cell(path)),
    }
}

pub fn render(report: &Report<'_>) -> String {
    let s = &report.summary;
    let mut out = String::from("## ropa — record of processing activities\n\n");
    let verdict = if !report.failures.is_empty() {
        "❌ incomplete: some paths could not be read"
    } else if s.errors > 0 {
        "❌ findings to fix"
    } else if s.warnings > 0 {
        "⚠️ warnings"
    } else {
        "✅ all checks passed"
    };
    let _ = writeln!(out, "**{verdict}**\n");
    for f in report.failures.iter().take(50) {
        let _ = writeln!(out, "- not read: {}", cell(f));
    }
    if report.failures.len() > 50 {
        let _ = writeln!(out, "- and {} more", report.failures.len() - 50);
    }
    if !report.failures.is_empty() {
        out.push('\n');
    }
    out.push_str("| manifests | activities | errors | warnings | notes |\n|---|---|---|---|---|\n");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} |\n",
        s.files, s.activities, s.errors, s.warnings, s.notes
    );
    if !report.diagnostics.is_empty() {
        out.push_str("| | rule | where | activity | finding |\n|---|---|---|---|---|\n");
        let mut left_out = 0;
        for d in report.diagnostics {
            let source = &report.files[d.file];
            let line = source.position(d.span.unwrap_or_default().start).line;
            let icon = match d.severity {
                crate::diag::Severity::Error => "❌",
                crate::diag::Severity::Warning => "⚠️",
                crate::diag::Severity::Note => "ℹ️",
            };
            let name = rules::by_code(d.code).map_or("", |r| r.name);
            let row = format!(
                "| {icon} | {} `{name}` | {} | {} | {} |\n",
                d.code,
                link(&source.display, line),
                cell(d.activity.as_deref().unwrap_or("")),
                cell(&d.message)
            );
            if out.len() + row.len() > BUDGET {
                left_out += 1;
                continue;
            }
            out.push_str(&row);
        }
        if left_out > 0 {
            let _ = writeln!(
                out,
                "\n{left_out} more finding(s) left out to keep this summary small; run `ropa lint` or read the SARIF report for all of them."
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "Catalog: `{}` · ropa {}",
        cell(report.catalog),
        env!("CARGO_PKG_VERSION")
    );
    out
}
