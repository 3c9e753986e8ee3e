//! Diagnostics are data: rules and the parse layer produce them, the sink orders and counts
//! them, and only renderers turn them into text.

pub mod deviations;
pub mod sink;
pub mod store;

use serde::{Deserialize, Serialize};

use crate::source::{Position, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    /// The level as a word for people, in a language.
    pub fn word(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::s;
        match self {
            Severity::Note => "note",
            Severity::Warning => s(lang, "warning", "avertissement"),
            Severity::Error => s(lang, "error", "erreur"),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A citation: where a legal fact comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A finding's citations in the findings log ([`store`]): every field written, where the reports
/// leave out a citation's missing address.
mod citations {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Citation;

    pub(super) fn serialize<S: Serializer>(list: &[Citation], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(list.iter().map(|c| (&c.title, &c.url)))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Citation>, D::Error> {
        let pairs = Vec::<(String, Option<String>)>::deserialize(d)?;
        Ok(pairs
            .into_iter()
            .map(|(title, url)| Citation { title, url })
            .collect())
    }
}

/// A secondary place in a file that explains a diagnostic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// Where a finding's span is, read from the text it was found in ([`Placed::of`]): the renderers
/// then need not read the file again for the report (the human format draws its excerpt).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placed {
    pub start: Position,
    pub end: Position,
    /// The text under the span, trimmed (what fingerprints are made of); `None` when longer
    /// than [`PLACED_TEXT`], and read again if a renderer needs it.
    pub text: Option<String>,
    /// The lines the human format draws (see [`Excerpt`]); `None` without a span, or when
    /// longer than [`EXCERPT_TEXT`] (the file is read again to draw them).
    pub excerpt: Option<Excerpt>,
}

/// The whole lines that hold a finding's span and labels ([`window`]), and the character that
/// ends them: what the human format draws, so that it need not read the file again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excerpt {
    /// Where the lines start in the file, in bytes.
    pub at: usize,
    /// The number of their first line.
    pub line: usize,
    pub text: String,
}

/// The longest text under a span a finding keeps for its fingerprint.
pub const PLACED_TEXT: usize = 256;

/// The longest excerpt a finding keeps.
pub const EXCERPT_TEXT: usize = 4096;

/// The most excerpt text one file's findings keep together: past it, the next are drawn from the
/// file read again, so that a file with many findings on long spans cannot make the findings'
/// log grow by its excerpts.
pub const EXCERPTS_PER_FILE: usize = 64 * 1024;

/// Places a file's findings in its text ([`Diagnostic::place`]), their excerpts within
/// [`EXCERPTS_PER_FILE`].
pub fn place_all(diags: &mut [Diagnostic], source: &crate::source::Source) {
    let mut left = EXCERPTS_PER_FILE;
    for d in diags {
        d.place_within(source, left);
        let kept = d.placed.as_ref().and_then(|p| p.excerpt.as_ref());
        left -= kept.map_or(0, |e| e.text.len());
    }
}

impl Placed {
    /// The place of a span (`None`: the whole file, at its start) with its labels' spans in a
    /// text, its excerpt kept if no longer than `room` (and [`EXCERPT_TEXT`]). A text let go
    /// places everything at its start, as a renderer would.
    pub fn of(
        source: &crate::source::Source,
        span: Option<Span>,
        labels: &[Span],
        room: usize,
    ) -> Placed {
        let at = span.unwrap_or_default();
        let text = span.map_or("", |s| {
            let s = source.clamp(s);
            source.text[s.start..s.end].trim()
        });
        let excerpt = span.and_then(|span| {
            let ranges: Vec<_> = std::iter::once(span)
                .chain(labels.iter().copied())
                .map(|s| visible(source, s))
                .collect();
            let lines = window(&source.text, ranges.iter());
            // with the line end that follows, which a span may take in
            let end = (lines.end + 1).min(source.text.len());
            (end - lines.start <= room.min(EXCERPT_TEXT)).then(|| Excerpt {
                at: lines.start,
                line: source.position(lines.start).line,
                text: source.text[lines.start..end].to_string(),
            })
        });
        Placed {
            start: source.position(at.start),
            end: source.position(at.end),
            text: (text.len() <= PLACED_TEXT).then(|| text.to_string()),
            excerpt,
        }
    }
}

/// A span that annotate-snippets can draw: at least one character where there is one.
pub fn visible(source: &crate::source::Source, span: Span) -> std::ops::Range<usize> {
    let span = source.clamp(span);
    if span.start < span.end {
        return span.start..span.end;
    }
    let next = source.text[span.start..]
        .chars()
        .next()
        .filter(|c| *c != '\n' && *c != '\r')
        .map_or(0, char::len_utf8);
    span.start..span.start + next
}

/// The whole lines that hold the ranges (byte search: a line end is never inside a character).
pub fn window<'r>(
    text: &str,
    ranges: impl Iterator<Item = &'r std::ops::Range<usize>>,
) -> std::ops::Range<usize> {
    let bytes = text.as_bytes();
    let (mut low, mut last) = (text.len(), 0);
    for r in ranges {
        low = low.min(r.start);
        last = last.max(if r.end > r.start { r.end - 1 } else { r.start });
    }
    let low = low.min(text.len());
    let last = last.min(text.len()).max(low);
    let start = bytes[..low]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let end = bytes[last..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(text.len(), |i| last + i);
    start..end
}

/// A place in another file that explains a diagnostic (SARIF `relatedLocations`): the code line
/// a coverage finding on a manifest is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    /// Index of the file in the run's file list.
    pub file: usize,
    pub span: Span,
    pub message: String,
}

/// A documented departure that turned a finding into a note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedDeviation {
    pub justification: String,
    pub approved_by: Option<String>,
}

/// Declares the rule handles: one variant per rule, named by its public code.
macro_rules! rule_ids {
    ($($id:ident $name:literal,)*) => {
        /// A rule, as diagnostics and deviations name it. The rules themselves (docs, checks)
        /// are in [`crate::rules`]; a meta-test keeps the two lists in step.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $($id),*
        }

        impl RuleId {
            /// Every rule, in code order.
            pub const ALL: &[RuleId] = &[$(RuleId::$id),*];

            /// The public code, e.g. `LB001`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$id => stringify!($id)),*
                }
            }

            /// The rule's name, e.g. `legal-basis-inconsistent`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(RuleId::$id => $name),*
                }
            }
        }
    };
}

rule_ids!(
    MF001 "yaml-syntax",
    MF002 "unknown-field",
    MF003 "missing-field",
    MF004 "invalid-value",
    MF005 "duplicate-activity-id",
    MF006 "unknown-purpose",
    LB001 "legal-basis-inconsistent",
    LB002 "legitimate-interests-without-balancing-test",
    LB003 "consent-without-withdrawal",
    LB004 "legal-obligation-without-reference",
    LB005 "special-categories-without-condition",
    DP001 "dpia-flag-missing",
    DP002 "dpia-required",
    DP003 "dpia-without-reference",
    DP004 "dpia-criteria-met",
    RT001 "retention-missing",
    RT002 "retention-unbounded",
    RT003 "retention-exceeds-recommendation",
    RT004 "retention-below-statutory-minimum",
    RT005 "archive-without-reason",
    RF001 "referenced-document-missing",
    RF002 "code-paths-match-nothing",
    TR001 "transfer-without-safeguard",
    SP001 "unused-deviation",
    CV001 "personal-data-not-covered",
    CV002 "special-category-not-declared",
    CV003 "category-not-declared",
    CV004 "processor-not-declared",
    CV005 "declared-category-not-seen",
);

impl RuleId {
    /// A rule by its code, in any case (`lb001`), or by its name.
    pub fn from_code(code: &str) -> Option<RuleId> {
        let code = code.trim();
        RuleId::ALL
            .iter()
            .copied()
            .find(|r| r.as_str().eq_ignore_ascii_case(code) || r.name() == code)
    }

    /// Whether a deviation may excuse this rule's findings. A manifest that cannot be read
    /// correctly (MF001–MF004), an activity id used twice (MF005: ids key the register and the
    /// diff) and a stale deviation (SP001) are never excused.
    pub fn deviable(self) -> bool {
        !matches!(
            self,
            RuleId::MF001
                | RuleId::MF002
                | RuleId::MF003
                | RuleId::MF004
                | RuleId::MF005
                | RuleId::SP001
                // found in the code after the deviations are applied: fixed in the manifest or
                // turned off in `ropa.yaml`
                | RuleId::CV001
                | RuleId::CV002
                | RuleId::CV003
                | RuleId::CV004
                | RuleId::CV005
        )
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = std::borrow::Cow::<'de, str>::deserialize(d)?;
        RuleId::from_code(&code).ok_or_else(|| serde::de::Error::custom(format!("no rule {code}")))
    }
}

/// Serialised only to keep a run's findings out of memory ([`store`], in a binary encoding that
/// writes every field, in order: no field may be skipped); reports have their own formats.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The rule.
    pub code: RuleId,
    pub severity: Severity,
    /// One line, lowercase start, no trailing period.
    pub message: String,
    /// Index of the file in the run's file list.
    pub file: usize,
    /// The YAML the diagnostic is about; `None` for a whole-file problem.
    pub span: Option<Span>,
    /// Text under the primary span.
    pub label: Option<String>,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub notes: Vec<String>,
    #[serde(with = "citations")]
    pub sources: Vec<Citation>,
    /// The activity's id, when the diagnostic is about one.
    pub activity: Option<String>,
    /// The activity's position in its file, to match deviations.
    pub activity_index: Option<usize>,
    pub deviation: Option<AppliedDeviation>,
    /// Places in other files (each also named in a note, for the formats without them).
    pub related: Vec<Related>,
    /// Where the span is, when it was placed while the text was at hand.
    pub placed: Option<Placed>,
}

impl Diagnostic {
    pub fn new(code: RuleId, severity: Severity, file: usize, message: String) -> Self {
        Self {
            code,
            severity,
            message,
            file,
            span: None,
            label: None,
            labels: Vec::new(),
            help: None,
            notes: Vec::new(),
            sources: Vec::new(),
            activity: None,
            activity_index: None,
            deviation: None,
            related: Vec::new(),
            placed: None,
        }
    }

    /// Places the span in the text it was found in (see [`Placed`]).
    pub fn place(&mut self, source: &crate::source::Source) {
        self.place_within(source, EXCERPT_TEXT);
    }

    /// [`Diagnostic::place`], its excerpt kept only if no longer than `room`.
    fn place_within(&mut self, source: &crate::source::Source, room: usize) {
        let labels: Vec<Span> = self.labels.iter().map(|l| l.span).collect();
        self.placed = Some(Placed::of(source, self.span, &labels, room));
    }

    /// Whether every format has all it needs of the file's text: the span is placed, with its
    /// text and, for a finding with a span, the lines the human format draws.
    pub fn is_placed(&self) -> bool {
        self.placed
            .as_ref()
            .is_some_and(|p| p.text.is_some() && (self.span.is_none() || p.excerpt.is_some()))
    }

    /// The finding as drawn from its excerpt: its spans made relative to the excerpt's start,
    /// with the excerpt as the text and the number of its first line; a placed finding without
    /// a span draws no line, so it comes with an empty text. `None` when not placed with what
    /// it draws.
    pub fn excerpted(
        &self,
        names: &crate::source::Names,
    ) -> Option<(Diagnostic, crate::source::Source, usize)> {
        let placed = self.placed.as_ref()?;
        if self.span.is_none() {
            let source = crate::source::Source::named(names.clone(), String::new());
            return Some((self.clone(), source, 1));
        }
        let excerpt = placed.excerpt.as_ref()?;
        let shift = |s: Span| {
            Span::new(
                s.start.saturating_sub(excerpt.at),
                s.end.saturating_sub(excerpt.at),
            )
        };
        let mut d = self.clone();
        d.span = d.span.map(shift);
        for label in &mut d.labels {
            label.span = shift(label.span);
        }
        let source = crate::source::Source::named(names.clone(), excerpt.text.clone());
        Some((d, source, excerpt.line))
    }

    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn cite(mut self, sources: impl IntoIterator<Item = Citation>) -> Self {
        for s in sources {
            if !self.sources.contains(&s) {
                self.sources.push(s);
            }
        }
        self
    }
}

/// What kind of thing could not be done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProblemKind {
    /// The configuration file (`ropa.yaml`) could not be read or is invalid.
    Configuration,
    /// A catalog could not be read or is invalid.
    Catalog,
    /// A path could not be read or searched: the run is incomplete.
    Unread,
    /// The command line asked for something ropa cannot do (a bad git ref, an unknown purpose).
    Usage,
    /// A report or file could not be written.
    Output,
}

impl ProblemKind {
    /// The words a person reads before the message.
    pub fn title(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::s;
        match self {
            ProblemKind::Configuration => {
                s(lang, "invalid configuration", "configuration invalide")
            }
            ProblemKind::Catalog => s(lang, "invalid catalog", "catalogue invalide"),
            ProblemKind::Unread => s(lang, "not read", "non lu"),
            ProblemKind::Usage => s(lang, "cannot do that", "impossible"),
            ProblemKind::Output => s(lang, "cannot write", "écriture impossible"),
        }
    }
}

/// A problem that kept ropa from doing all of its job (exit status 2): not a finding about a
/// manifest, but a configuration, catalog or path that could not be used. Every renderer shows
/// them; where the place is known, they point at it like a diagnostic.
#[derive(Clone, Debug)]
pub struct Problem {
    pub kind: ProblemKind,
    /// The file or path concerned, as shown to users.
    pub path: Option<String>,
    /// The file's text, to draw and locate `span`.
    pub source: Option<std::sync::Arc<crate::source::Source>>,
    /// Where in `source`.
    pub span: Option<Span>,
    /// One line, lowercase start, no trailing period.
    pub message: String,
}

impl Problem {
    /// A problem with no place.
    pub fn new(kind: ProblemKind, message: impl Into<String>) -> Problem {
        Problem {
            kind,
            path: None,
            source: None,
            span: None,
            message: message.into(),
        }
    }

    /// About a path.
    pub fn on(mut self, path: impl Into<String>) -> Problem {
        self.path = Some(path.into());
        self
    }

    /// At a place in a file.
    pub fn at(mut self, source: std::sync::Arc<crate::source::Source>, span: Span) -> Problem {
        self.path = Some(source.display().to_string());
        self.source = Some(source);
        self.span = Some(span);
        self
    }

    /// The 1-based start and end of the place, when there is one.
    pub fn range(&self) -> Option<(crate::source::Position, crate::source::Position)> {
        let (source, span) = (self.source.as_ref()?, self.span?);
        Some((source.position(span.start), source.position(span.end)))
    }

    /// `path: message` (or the message alone), for one-line sinks.
    pub fn one_line(&self) -> String {
        match (&self.path, self.range()) {
            (Some(p), Some((start, _))) => {
                format!("{p}:{}:{}: {}", start.line, start.column, self.message)
            }
            (Some(p), None) => format!("{p}: {}", self.message),
            (None, _) => self.message.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file's findings keep their lines up to [`EXCERPTS_PER_FILE`] together; the next are
    /// placed without them (drawn from the file read again), and every one keeps its range.
    #[test]
    fn a_file_s_excerpts_are_bounded_together() {
        let long = "x".repeat(4000);
        let text = format!("{long}\n{long}\nend\n");
        let source = crate::source::Source::new("p.yaml".into(), "p.yaml".into(), text);
        let mut diags: Vec<Diagnostic> = (0..40)
            .map(|i| {
                Diagnostic::new(RuleId::ALL[0], Severity::Warning, 0, "m".into())
                    .at(Span::new(i, 4000))
            })
            .collect();
        place_all(&mut diags, &source);
        let kept: Vec<usize> = diags
            .iter()
            .filter_map(|d| d.placed.as_ref()?.excerpt.as_ref().map(|e| e.text.len()))
            .collect();
        assert_eq!(kept.len(), EXCERPTS_PER_FILE / 4001);
        assert!(kept.iter().sum::<usize>() <= EXCERPTS_PER_FILE);
        // the first ones keep theirs
        assert!(diags[0].placed.as_ref().unwrap().excerpt.is_some());
        assert!(diags[39].placed.as_ref().unwrap().excerpt.is_none());
        for (i, d) in diags.iter().enumerate() {
            let p = d.placed.as_ref().unwrap();
            assert_eq!((p.start.line, p.start.column), (1, i + 1));
            assert!(
                !d.is_placed(),
                "a text over {PLACED_TEXT} bytes is not kept"
            );
        }
    }
}
