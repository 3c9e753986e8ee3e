//! Human output: rustc-style diagnostics drawn with annotate-snippets, and a one-line summary.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::Report;
use crate::diag::{Diagnostic, Problem, ProblemKind, Severity, visible, window};
use crate::i18n;
use crate::i18n::Lang;
use crate::source::Source;

#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    pub color: bool,
    /// Leave out the summary line.
    pub quiet: bool,
}

pub fn write(report: &Report<'_>, options: &Options, out: &mut super::console::Out<'_>) {
    let renderer = if options.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let lang = report.lang;
    for p in report.problems {
        out.push_str(&draw_problem(&renderer, p, lang));
        out.push_str("\n\n");
    }
    // drawn on every core from the lines each finding kept when it was found; one that kept
    // none is drawn here, from its file read again (in order: the files are read ahead)
    let files = report.files;
    let draw = |d: &Diagnostic, source: &Source, first_line: usize| {
        let mut text = renderer.render(&groups(d, source, first_line, lang));
        text.push_str("\n\n");
        text
    };
    report.diagnostics.drawn(
        |found| match found.excerpted(files[found.file].names()) {
            Some((d, source, line)) => Ok(draw(&d, &source, line)),
            None => Err(Box::new(found)),
        },
        |drawn| match drawn {
            Ok(text) => out.push_str(&text),
            Err(found) => out.push_str(&draw(&found, &report.source(found.file), 1)),
        },
    );
    if !options.quiet {
        out.push_str(&summary(report, lang));
        out.push('\n');
        if let Some(line) = report.coverage_line() {
            out.push_str(&line);
            out.push('\n');
        }
    }
}

/// Problems that stopped a command, drawn like diagnostics (for standard error).
pub fn problems(problems: &[Problem], lang: Lang, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for p in problems {
        out.push_str(&draw_problem(&renderer, p, lang));
        out.push('\n');
    }
    out
}

/// A problem: `error: invalid configuration: …` with the snippet of its place, or with its path.
fn draw_problem(renderer: &Renderer, p: &Problem, lang: Lang) -> String {
    let colon = i18n::s(lang, ":", " :");
    // a usage problem is its message alone: it names what was asked for
    let message = match p.kind {
        ProblemKind::Usage => terminal_safe(&p.message),
        _ => terminal_safe(&format!("{}{colon} {}", p.kind.title(lang), p.message)),
    };
    let title = level(Severity::Error, lang).primary_title(message);
    let group = match (&p.source, p.span) {
        (Some(source), Some(span)) => title.element(
            Snippet::source(source.text.as_str())
                .path(terminal_safe(source.display()))
                .line_start(1)
                .fold(true)
                .annotation(AnnotationKind::Primary.span(visible(source, span))),
        ),
        _ => match &p.path {
            Some(path) => title.element(annotate_snippets::Origin::path(terminal_safe(path))),
            None => annotate_snippets::Group::with_title(title),
        },
    };
    renderer.render(&[group])
}

fn level(severity: Severity, lang: Lang) -> Level<'static> {
    let level = match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    };
    match (lang, severity) {
        (Lang::En, _) => level,
        (Lang::Fr, Severity::Error) => level.with_name("erreur"),
        (Lang::Fr, Severity::Warning) => level.with_name("avertissement"),
        (Lang::Fr, Severity::Note) => level.with_name("note"),
    }
}

/// The `= help:` line's level.
fn help(lang: Lang) -> Level<'static> {
    match lang {
        Lang::En => Level::HELP,
        Lang::Fr => Level::HELP.with_name("aide"),
    }
}

/// Every text from a manifest or a catalog goes through `terminal_safe` before it is drawn;
/// annotate-snippets neutralises the source snippet itself.
/// `first_line`: the number of the text's first line (1 for a whole file, more for an excerpt).
fn groups<'a>(
    d: &'a Diagnostic,
    source: &'a Source,
    first_line: usize,
    lang: Lang,
) -> Vec<Group<'a>> {
    let safe = terminal_safe;
    let colon = i18n::s(lang, ":", " :");
    let title = level(d.severity, lang)
        .primary_title(safe(&d.message))
        .id(d.code.as_str());
    let path = safe(source.display());
    let first = match d.span {
        Some(span) => {
            let primary_range = visible(source, span);
            let labels: Vec<(std::ops::Range<usize>, String)> = d
                .labels
                .iter()
                .map(|l| (visible(source, l.span), safe(&l.message)))
                .collect();
            // only the lines the annotations are on are handed to the renderer: drawing a
            // diagnostic costs its own lines, not the whole file
            let window = window(
                &source.text,
                std::iter::once(&primary_range).chain(labels.iter().map(|(r, _)| r)),
            );
            let shift = |r: &std::ops::Range<usize>| r.start - window.start..r.end - window.start;
            let mut primary = AnnotationKind::Primary.span(shift(&primary_range));
            if let Some(label) = &d.label {
                primary = primary.label(safe(label));
            }
            let first_line = source.position(window.start).line + first_line - 1;
            let mut snippet = Snippet::source(&source.text[window.clone()])
                .path(path)
                .line_start(first_line)
                .fold(true)
                .annotation(primary);
            for (range, message) in labels {
                snippet =
                    snippet.annotation(AnnotationKind::Context.span(shift(&range)).label(message));
            }
            title.element(snippet)
        }
        None => title.element(annotate_snippets::Origin::path(path)),
    };
    let mut first = first;
    if let Some(dev) = &d.deviation {
        let who = dev.approved_by.as_ref().map_or(String::new(), |a| {
            i18n::t(
                lang,
                format!(" (approved by {a})"),
                format!(" (approuvée par {a})"),
            )
        });
        first = first.element(Level::NOTE.message(safe(&format!(
            "{}{}{who}",
            i18n::s(
                lang,
                "excused by a deviation: ",
                "excusé par une dérogation : "
            ),
            dev.justification
        ))));
    }
    for n in &d.notes {
        first = first.element(Level::NOTE.message(safe(n)));
    }
    if let Some(h) = &d.help {
        first = first.element(help(lang).message(safe(h)));
    }
    for s in &d.sources {
        let text = match &s.url {
            Some(url) => format!("source{colon} {} <{url}>", s.title),
            None => format!("source{colon} {}", s.title),
        };
        first = first.element(Level::NOTE.message(safe(&text)));
    }
    vec![first]
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary(report: &Report<'_>, lang: Lang) -> String {
    let s = &report.summary;
    let fr = lang == Lang::Fr;
    let w = |en: &'static str, frw: &'static str| if fr { frw } else { en };
    // in French, no participle to agree with two nouns of two genders ("1 activité vérifiés")
    let checked = format!(
        "{}, {}{} {}",
        plural(
            s.files,
            w("manifest", "manifeste"),
            w("manifests", "manifestes")
        ),
        plural(
            s.activities,
            w("activity", "activité"),
            w("activities", "activités")
        ),
        w(" checked against", " ; catalogue"),
        report.catalog
    );
    // a run that could not read everything never says "all checks passed"
    let unread = match report.problems.len() {
        0 => String::new(),
        n => i18n::t(
            lang,
            format!(
                " {} kept the run from being complete (exit 2).",
                plural(n, "problem", "problems")
            ),
            format!(
                " {} {} une analyse complète (code de sortie 2).",
                plural(n, "problème", "problèmes"),
                if n == 1 {
                    "a empêché"
                } else {
                    "ont empêché"
                }
            ),
        ),
    };
    if s.errors == 0 && s.warnings == 0 && s.notes == 0 {
        if !unread.is_empty() {
            return i18n::t(
                lang,
                format!("No findings in what was read ({checked}), but{unread}"),
                format!("Aucun problème dans ce qui a été lu ({checked}), mais{unread}"),
            );
        }
        return i18n::t(
            lang,
            format!("All checks passed ({checked})."),
            format!("Aucun problème ({checked})."),
        );
    }
    let mut parts = Vec::new();
    if s.errors > 0 {
        parts.push(plural(
            s.errors,
            w("error", "erreur"),
            w("errors", "erreurs"),
        ));
    }
    if s.warnings > 0 {
        parts.push(plural(
            s.warnings,
            w("warning", "avertissement"),
            w("warnings", "avertissements"),
        ));
    }
    if s.notes > 0 {
        parts.push(plural(s.notes, w("note", "note"), w("notes", "notes")));
    }
    // coverage's code files come after the manifests: they are counted apart
    let first_code = report.first_code_file.unwrap_or(usize::MAX);
    let (files, code): (Vec<usize>, Vec<usize>) =
        report.diagnostics.files().partition(|f| *f < first_code);
    let code_files = code.len();
    let code = match code_files {
        0 => String::new(),
        n => i18n::t(
            lang,
            format!(", and in {}", plural(n, "code file", "code files")),
            format!(
                ", et dans {}",
                plural(n, "fichier de code", "fichiers de code")
            ),
        ),
    };
    // every finding in code files: no "in 0 of 3 manifests"
    if files.is_empty() && code_files > 0 {
        let n = plural(
            code_files,
            w("code file", "fichier de code"),
            w("code files", "fichiers de code"),
        );
        return i18n::t(
            lang,
            format!("Found {} in {n}; {checked}.{unread}", parts.join(", ")),
            format!("{} dans {n} ; {checked}.{unread}", parts.join(", ")),
        );
    }
    i18n::t(
        lang,
        format!(
            "Found {} in {} of {checked}{code}.{unread}",
            parts.join(", "),
            files.len()
        ),
        format!(
            "{} dans {} sur {checked}{code}.{unread}",
            parts.join(", "),
            files.len()
        ),
    )
}

/// One value from the repository, safe for a terminal: control characters (line ends too: a
/// value stays on its line, so it cannot pass for a diagnostic of its own) and bidirectional
/// overrides (Trojan Source) are shown as visible escapes instead of acting on the terminal.
pub fn terminal_safe(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if super::console::is_hostile(c) => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    /// A finding drawn from its excerpt is drawn as from the whole text: spans that take a line
    /// end in, empty spans, spans past the end, labels lines away, CRLF, the first and the last
    /// line, characters of several bytes.
    #[test]
    fn an_excerpt_draws_what_the_whole_text_draws() {
        let text =
            "version: 1\r\nactivities:\n  - id: é-1\n    name: x\n\n    purpose: \"y\"\nlast: z";
        let source = Source::new("p.yaml".into(), "p.yaml".into(), text.into());
        let len = text.len();
        let line = |n: usize| {
            let start: usize = text.split_inclusive('\n').take(n).map(str::len).sum();
            let end = start + text[start..].find('\n').map_or(len - start, |i| i + 1);
            Span::new(start, end)
        };
        let spans = [
            Span::new(0, 7),
            line(0),
            line(2),
            line(3),
            Span::new(line(4).start, line(4).start),
            Span::new(line(2).start + 8, line(2).start + 10),
            Span::new(line(6).start, len),
            Span::new(len, len),
            Span::new(len + 5, len + 9),
            Span::new(line(1).start, line(5).end),
        ];
        let renderer = Renderer::plain();
        // a finding without a span draws no line: placed, it needs no text at all
        let mut whole_file =
            Diagnostic::new(crate::diag::RuleId::ALL[0], Severity::Note, 0, "m".into());
        whole_file.place(&source);
        let (cut, empty, first) = whole_file.excerpted(source.names()).expect("placed");
        assert!(empty.text.is_empty());
        assert_eq!(
            renderer.render(&groups(&cut, &empty, first, Lang::En)),
            renderer.render(&groups(&whole_file, &source, 1, Lang::En))
        );
        let mut drawn = 0;
        for (i, &span) in spans.iter().enumerate() {
            for label in [None, Some(spans[(i + 3) % spans.len()])] {
                let mut d = Diagnostic::new(
                    crate::diag::RuleId::ALL[0],
                    Severity::Warning,
                    0,
                    "m".into(),
                )
                .at(span)
                .label("here");
                if let Some(l) = label {
                    d = d.secondary(l, "there");
                }
                d.place(&source);
                let whole = renderer.render(&groups(&d, &source, 1, Lang::En));
                let (cut, excerpt, first) = d.excerpted(source.names()).expect("an excerpt");
                assert!(excerpt.text.len() < text.len() || span.start == 0 || label.is_some());
                let from_excerpt = renderer.render(&groups(&cut, &excerpt, first, Lang::En));
                assert_eq!(from_excerpt, whole, "span {span:?}, label {label:?}");
                drawn += 1;
            }
        }
        assert_eq!(drawn, 2 * spans.len());
    }
}
