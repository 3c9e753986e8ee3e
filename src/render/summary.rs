//! The Markdown job summary (`--summary-file "$GITHUB_STEP_SUMMARY"`): the counts, a table of the
//! findings with links, and the catalog. It stays well under GitHub's 1 MiB limit for a step
//! summary: past a budget, rows are left out and the summary says how many.

use std::fmt::Write;

use super::Report;
use crate::i18n::s as w;

/// GitHub accepts 1 MiB per step summary; stay well below it.
pub const BUDGET: usize = 512 * 1024;

/// Escapes text for a Markdown table cell: markup characters, line ends, and the characters
/// that act on a reader (controls, bidirectional controls: shown as `\u{202e}`).
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
            // shown, neither acting on the page nor dropped: the name stays findable
            c if super::console::is_hostile(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

/// A link to a line of a file on GitHub when the workflow variables are set.
pub fn link(path: &str, line: usize, blob: Option<&str>) -> String {
    match blob {
        Some(blob) => {
            // every byte a URL could misread (`#`, `%`, `?`, spaces, brackets, line ends) is
            // percent-encoded, as in SARIF
            let encoded = super::sarif::percent_path(path);
            format!("[{}:{line}]({blob}/{encoded}#L{line})", cell(path))
        }
        None => format!("{}:{line}", cell(path)),
    }
}

/// Where a workflow's files are on GitHub (`$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA`),
/// when the workflow variables say so: the caller reads them and passes them to [`render`].
pub fn github_blob() -> Option<String> {
    let vars = ["GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"].map(std::env::var);
    match vars {
        [Ok(server), Ok(repo), Ok(sha)] => Some(format!("{server}/{repo}/blob/{sha}")),
        _ => None,
    }
}

/// The summary; `blob` is where links to the files point (none: paths without links).
pub fn render(report: &Report<'_>, blob: Option<&str>) -> String {
    let s = &report.summary;
    let lang = report.lang;
    let mut out = format!(
        "## ropa — {}\n\n",
        w(
            lang,
            "record of processing activities",
            "registre des activités de traitement"
        )
    );
    let verdict = if !report.problems.is_empty() {
        w(
            lang,
            "❌ incomplete: ropa could not do all of its job",
            "❌ incomplet : ropa n'a pas pu faire tout son travail",
        )
    } else if s.errors > 0 {
        w(lang, "❌ findings to fix", "❌ problèmes à corriger")
    } else if s.warnings > 0 {
        w(lang, "⚠️ warnings", "⚠️ avertissements")
    } else {
        w(lang, "✅ all checks passed", "✅ aucun problème")
    };
    let _ = writeln!(out, "**{verdict}**\n");
    let colon = w(lang, ":", " :");
    for p in report.problems.iter().take(50) {
        let _ = writeln!(
            out,
            "- {}{colon} {}",
            p.kind.title(lang),
            cell(&p.one_line())
        );
    }
    if report.problems.len() > 50 {
        let more = report.problems.len() - 50;
        let _ = writeln!(
            out,
            "- {}",
            crate::i18n::t(
                lang,
                format!("and {more} more"),
                format!("et {more} de plus")
            )
        );
    }
    if !report.problems.is_empty() {
        out.push('\n');
    }
    out.push_str(w(
        lang,
        "| manifests | activities | errors | warnings | notes |\n|---|---|---|---|---|\n",
        "| manifestes | activités | erreurs | avertissements | notes |\n|---|---|---|---|---|\n",
    ));
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} |\n",
        s.files, s.activities, s.errors, s.warnings, s.notes
    );
    if let Some(line) = report.coverage_line() {
        let _ = writeln!(out, "{line}\n");
    }
    if !report.diagnostics.is_empty() {
        out.push_str(w(
            lang,
            "| | rule | where | activity | finding |\n|---|---|---|---|---|\n",
            "| | règle | où | activité | constat |\n|---|---|---|---|---|\n",
        ));
        let mut left_out = 0;
        for d in report.diagnostics {
            let line = report.range(&d).0.line;
            let icon = match d.severity {
                crate::diag::Severity::Error => "❌",
                crate::diag::Severity::Warning => "⚠️",
                crate::diag::Severity::Note => "ℹ️",
            };
            let name = d.code.name();
            let row = format!(
                "| {icon} | {} `{name}` | {} | {} | {} |\n",
                d.code,
                link(report.files[d.file].display(), line, blob),
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
                "\n{}",
                crate::i18n::t(
                    lang,
                    format!(
                        "{left_out} more finding(s) left out to keep this summary small; run `ropa lint` or read the SARIF report for all of them."
                    ),
                    format!(
                        "{left_out} autre(s) constat(s) omis pour garder ce résumé court ; lancez `ropa lint` ou lisez le rapport SARIF pour les voir tous."
                    ),
                )
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{}{colon} `{}` · ropa {}",
        w(lang, "Catalog", "Catalogue"),
        cell(report.catalog),
        env!("CARGO_PKG_VERSION")
    );
    out
}
