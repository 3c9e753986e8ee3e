//! The register as Markdown: a table per controller, then the findings.

use std::fmt::Write;

use super::{Register, headings};
use crate::render::summary::cell;

pub fn render(r: &Register) -> String {
    let mut out = format!("# {}\n\n", r.title());
    let _ = writeln!(out, "{}\n", r.meta_line(&format!("`{}`", r.catalog)));
    let heads = headings(r.lang);
    for g in &r.groups {
        let _ = writeln!(out, "## {}\n", cell(&r.group_title(g)));
        out.push_str("| ");
        out.push_str(&heads[..14].join(" | "));
        out.push_str(" |\n|");
        out.push_str(&"---|".repeat(14));
        out.push('\n');
        for e in &g.entries {
            let cells = e.cells();
            let mut row: Vec<String> = cells[..14].iter().map(|c| cell(c)).collect();
            if e.flagged() {
                row[0] = format!("⚠️ {}", row[0]);
            }
            let _ = writeln!(out, "| {} |", row.join(" | "));
        }
        out.push('\n');
    }
    let findings = r.all_findings();
    if !findings.is_empty() {
        let _ = writeln!(out, "## {}\n", r.t("Findings", "Constats"));
        for (severity, at, text) in findings {
            let at = if at.is_empty() {
                String::new()
            } else {
                format!("{} — ", cell(&at))
            };
            let _ = writeln!(out, "- **{}** {at}{}", severity.word(r.lang), cell(&text));
        }
        out.push('\n');
    }
    out
}
