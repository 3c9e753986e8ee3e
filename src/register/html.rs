//! The register as one self-contained, printable HTML page: no script, no external asset.

use std::fmt::Write;

use super::{Register, headings};
use crate::diag::Severity;
use crate::render::escape_markup as escape;

const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 2rem; color: #1a1a1a; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 2px solid #1f4e8c; padding-bottom: .2rem; }
p.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: .8rem; }
th, td { border: 1px solid #999; padding: .3rem .4rem; vertical-align: top; text-align: left; overflow-wrap: anywhere; hyphens: auto; }
th { background: #e8eef7; }
tr.finding td:first-child { border-left: 4px solid #c0392b; }
td.findings { color: #8a1f11; }
td.path { word-break: break-all; }
ul.findings li.error { color: #8a1f11; }
ul.findings li.warning { color: #8a5a00; }
@page { size: A4 landscape; margin: 1cm; }
@media print { body { margin: 0; } table { font-size: 7pt; } tr { page-break-inside: avoid; } }
";

/// The share of the width each column gets, in the order of [`headings`]: the findings and the
/// purpose, which hold sentences, get the most.
const WIDTHS: [u32; 14] = [8, 9, 7, 6, 8, 6, 7, 6, 8, 6, 6, 6, 7, 10];

pub fn render(r: &Register) -> String {
    let lang = r.lang.code();
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(r.title()),
        escape(r.title())
    );
    let _ = writeln!(
        out,
        "<p class=\"meta\">{}</p>",
        r.meta_line(&escape(&r.catalog))
    );
    let heads = headings(r.lang);
    // an id used twice (MF005) anchors its first row only: an `id` is unique in a page
    let mut anchored = std::collections::HashSet::new();
    for g in &r.groups {
        let _ = writeln!(out, "<h2>{}</h2>\n<table>", escape(&r.group_title(g)));
        // fixed column widths (in %), so that the table fits the page whatever its words: a
        // long token wraps inside its cell instead of widening the table
        out.push_str("<colgroup>");
        for w in WIDTHS {
            let _ = write!(out, "<col style=\"width: {w}%\">");
        }
        out.push_str("</colgroup>\n<thead><tr>");
        for h in &heads[..14] {
            let _ = write!(out, "<th>{}</th>", escape(h));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for e in &g.entries {
            let class = if e.flagged() {
                " class=\"finding\""
            } else {
                ""
            };
            // an activity without a valid id has no anchor (an empty `id` is not valid HTML)
            let anchor = if e.id.is_empty() || !anchored.insert(e.id.as_str()) {
                String::new()
            } else {
                format!(" id=\"{}\"", escape(&e.id))
            };
            let _ = write!(out, "<tr{anchor}{class}>");
            for (i, c) in e.cells()[..14].iter().enumerate() {
                let cls = match i {
                    10 | 12 => " class=\"path\"",
                    13 => " class=\"findings\"",
                    _ => "",
                };
                let _ = write!(out, "<td{cls}>{}</td>", escape(c));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    let findings = r.all_findings();
    if !findings.is_empty() {
        let _ = writeln!(
            out,
            "<h2>{}</h2>\n<ul class=\"findings\">",
            escape(r.t("Findings", "Constats"))
        );
        for (severity, at, text) in findings {
            let class = match severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "note",
            };
            let at = if at.is_empty() {
                String::new()
            } else {
                format!("{} — ", escape(&at))
            };
            let _ = writeln!(
                out,
                "<li class=\"{class}\"><strong>{}</strong> {at}{}</li>",
                severity.word(r.lang),
                escape(&text)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}
