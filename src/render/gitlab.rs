//! GitLab Code Quality report: a JSON array of issues (description, check_name, fingerprint,
//! severity, location with path and begin line).

use serde_json::json;

use super::Report;
use crate::diag::Severity;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Note => "info",
    }
}

pub fn write(report: &Report<'_>, out: &mut super::console::Out<'_>) {
    let issues = super::fingerprinted(report)
        .map(|(d, fingerprint)| {
            let line = report.range(&d).0.line;
            json!({
                "type": "issue",
                "description": format!("{} {}", d.code, d.message),
                "check_name": d.code,
                "fingerprint": fingerprint,
                "severity": severity(d.severity),
                // GitLab resolves paths from the repository's root
                "location": {"path": report.files[d.file].key(), "lines": {"begin": line}},
            })
        })
        .chain(report.problems.iter().map(|p| {
            // what kept the run from being complete blocks the merge request
            let line = p.range().map_or(1, |(start, _)| start.line);
            let colon = crate::i18n::s(report.lang, ":", " :");
            let text = format!("{}{colon} {}", p.kind.title(report.lang), p.message);
            json!({
                "type": "issue",
                "description": text,
                "check_name": "ropa-incomplete",
                "fingerprint": super::fnv(&p.one_line()),
                "severity": "blocker",
                "location": {"path": p.path.as_deref().unwrap_or("."), "lines": {"begin": line}},
            })
        }));
    // each issue made as it is written; the writer keeps its own error (see `Out::finish`)
    let _ = serde_json::to_writer_pretty(&mut *out, &super::Seq::new(issues));
    out.push('\n');
}
