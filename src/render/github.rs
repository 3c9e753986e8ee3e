//! GitHub workflow commands (`::error file=…,line=…::message`), one annotation per finding.
//!
//! GitHub shows at most 10 annotations per level in a step and drops the rest silently, so the
//! most important come first (errors, then warnings, then notes, each by path and position) and
//! a closing notice says how many were left out. Manifest text is escaped so that it can never
//! start a workflow command of its own.

use super::Report;
use crate::diag::{Diagnostic, Problem, Severity};
use crate::i18n::{Lang, s, t};

/// Problems listed by name in the closing annotation of an incomplete run.
const MAX_LISTED: usize = 20;

/// Annotations GitHub displays per level and step.
pub const PER_LEVEL: usize = 10;

/// Escapes a command's message (`%`, CR, LF).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property: the message escapes, plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

fn annotation(report: &Report<'_>, d: &Diagnostic) -> String {
    let mut props = vec![format!(
        "file={}",
        escape_property(report.files[d.file].display())
    )];
    if d.span.is_some() {
        let (start, end) = report.range(d);
        props.push(format!("line={}", start.line));
        props.push(format!("endLine={}", end.line.max(start.line)));
        // columns only for one-line spans; GitHub's end column is inclusive
        if start.line == end.line {
            props.push(format!("col={}", start.column));
            props.push(format!(
                "endColumn={}",
                (end.column.max(start.column + 1)) - 1
            ));
        }
    }
    let lang = report.lang;
    props.push(format!(
        "title={}",
        escape_property(&format!("ropa {} ({})", d.code, d.code.name()))
    ));
    let mut text = d.message.clone();
    if let Some(dev) = &d.deviation {
        let word = s(
            lang,
            "excused by a deviation: ",
            "excusé par une dérogation : ",
        );
        text.push_str(&format!("\n{word}{}", dev.justification));
    }
    let colon = s(lang, ":", " :");
    if let Some(help) = &d.help {
        text.push_str(&format!("\n{}{colon} {help}", s(lang, "help", "aide")));
    }
    for c in &d.sources {
        text.push_str(&format!("\nsource{colon} {}", c.title));
        if let Some(url) = &c.url {
            text.push_str(&format!(" <{url}>"));
        }
    }
    format!(
        "::{} {}::{}\n",
        command(d.severity),
        props.join(","),
        escape_data(&text)
    )
}

pub fn render(report: &Report<'_>) -> String {
    // most important first; the sink's order (path, position, code) within a level: no more
    // than a level can show is kept
    let mut first: [Vec<Diagnostic>; 3] = Default::default();
    for d in report.diagnostics {
        let level = &mut first[d.severity as usize];
        if level.len() < PER_LEVEL {
            level.push(d);
        }
    }
    let mut out = String::new();
    let lang = report.lang;
    // what kept the run from being complete comes first: each problem with a place is an
    // annotation on it, the others one annotation together; they take one error slot at most
    // beside the findings
    let incomplete = !report.problems.is_empty();
    if incomplete {
        out.push_str(&problems(report.problems, lang));
    }
    let problem_slots = out.lines().count();
    let mut left_out = 0;
    let total_notes = report.diagnostics.count(Severity::Note);
    for severity in [Severity::Error, Severity::Warning, Severity::Note] {
        // one slot is kept for the closing notice when notes are left out, and for the
        // incomplete-run annotation when paths could not be read
        let limit = match severity {
            Severity::Note => PER_LEVEL - usize::from(left_out > 0 || total_notes > PER_LEVEL),
            Severity::Error => PER_LEVEL.saturating_sub(problem_slots),
            Severity::Warning => PER_LEVEL,
        };
        for d in first[severity as usize].iter().take(limit) {
            out.push_str(&annotation(report, d));
        }
        left_out += report.diagnostics.count(severity).saturating_sub(limit);
    }
    if left_out > 0 {
        out.push_str(&format!(
            "::notice title=ropa::{}\n",
            escape_data(&t(
                lang,
                format!(
                    "{left_out} more finding(s) not shown here: GitHub displays at most {PER_LEVEL} annotations per level. Run `ropa lint` locally, or see the SARIF report or the job summary, for all of them."
                ),
                format!(
                    "{left_out} autre(s) problème(s) non affiché(s) ici : GitHub n'affiche que {PER_LEVEL} annotations par niveau. Lancez `ropa lint` en local, ou consultez le rapport SARIF ou le résumé du job, pour les voir tous."
                ),
            ))
        ));
    }
    let c = &report.summary;
    let incomplete = if incomplete {
        let n = report.problems.len();
        t(
            lang,
            format!("; {n} problem(s) kept the run from being complete"),
            format!(" ; {n} problème(s) ont empêché une analyse complète"),
        )
    } else {
        String::new()
    };
    // the closing line is plain log text: escaped like a message, so that a catalog's name
    // cannot start a command
    let line = t(
        lang,
        format!(
            "ropa: {} error(s), {} warning(s), {} note(s) in {} manifest(s), {} activities, catalog {}{incomplete}",
            c.errors, c.warnings, c.notes, c.files, c.activities, report.catalog
        ),
        format!(
            "ropa : {} erreur(s), {} avertissement(s), {} note(s) dans {} manifeste(s), {} activités, catalogue {}{incomplete}",
            c.errors, c.warnings, c.notes, c.files, c.activities, report.catalog
        ),
    );
    out.push_str(&escape_data(&line));
    out.push('\n');
    out
}

/// The annotations of the problems: one on each located problem's file, then one for all the
/// problems without a place.
fn problems(problems: &[Problem], lang: Lang) -> String {
    let mut out = String::new();
    let title = |p: &Problem| escape_property(&format!("ropa: {}", p.kind.title(lang)));
    let (placed, loose): (Vec<&Problem>, Vec<&Problem>) =
        problems.iter().partition(|p| p.range().is_some());
    for p in placed.iter().take(PER_LEVEL / 2) {
        let Some((start, _)) = p.range() else {
            continue;
        };
        let path = p.path.as_deref().unwrap_or_default();
        out.push_str(&format!(
            "::error file={},line={},col={},title={}::{}\n",
            escape_property(path),
            start.line,
            start.column,
            title(p),
            escape_data(&p.message)
        ));
    }
    let rest: Vec<&&Problem> = placed.iter().skip(PER_LEVEL / 2).chain(&loose).collect();
    if !rest.is_empty() {
        // one annotation, of bounded size: the first problems, then how many more
        let shown: Vec<String> = rest.iter().take(MAX_LISTED).map(|p| p.one_line()).collect();
        let tail = match rest.len() - shown.len() {
            0 => String::new(),
            n => t(
                lang,
                format!("; and {n} more"),
                format!(" ; et {n} de plus"),
            ),
        };
        let n = rest.len();
        out.push_str(&format!(
            "::error title={}::{}\n",
            escape_property(s(
                lang,
                "ropa: the run is incomplete",
                "ropa : l'analyse est incomplète"
            )),
            escape_data(&t(
                lang,
                format!("{n} problem(s) (exit 2): {}{tail}", shown.join("; ")),
                format!(
                    "{n} problème(s) (code de sortie 2) : {}{tail}",
                    shown.join(" ; ")
                ),
            ))
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_and_properties_are_escaped() {
        assert_eq!(escape_data("a%b\r\nc"), "a%25b%0D%0Ac");
        assert_eq!(escape_property("x: y, z\n"), "x%3A y%2C z%0A");
        // a value trying to start its own command stays inside the message
        let evil = "ok\n::error::pwned %0A::warning::";
        let escaped = escape_data(evil);
        assert!(!escaped.contains('\n'));
        assert!(escaped.contains("%250A"));
    }
}
