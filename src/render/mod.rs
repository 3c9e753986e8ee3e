//! Renderers: one file per output format. They turn diagnostics into text and decide nothing
//! about compliance.

pub mod console;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod summary;

use std::cell::RefCell;
use std::fmt::Write;
use std::sync::Arc;

use crate::diag::sink::Summary;
use crate::diag::store::Findings;
use crate::diag::{Diagnostic, Problem};
use crate::engine::read::Known;
use crate::i18n::Lang;
use crate::source::{Names, Position, Source};

/// Everything a renderer needs.
pub struct Report<'a> {
    pub files: &'a [Source],
    pub diagnostics: &'a Findings,
    pub summary: Summary,
    /// `cnil-fr@2026.11`
    pub catalog: &'a str,
    /// What kept the run from being complete (the run exits 2): a configuration or catalog
    /// that could not be used, paths that could not be read.
    pub problems: &'a [Problem],
    /// The language of every word the renderer writes itself.
    pub lang: Lang,
    /// The repository's root, which SARIF's `%SRCROOT%` names; the working directory when not
    /// given.
    pub root: Option<&'a std::path::Path>,
    /// Whether each file is reported on (all, when empty).
    pub reported: &'a [bool],
    /// Each file's activities, by id (`None` for an activity without one), for the formats
    /// that list clean activities too (JUnit); empty when not known.
    pub activities: &'a [crate::rules::duplicate_activity_id::ActivityIds],
    /// How to read again a file whose text the run let go (see [`Report::source`]); `None`
    /// when every text was kept.
    pub reread: Option<&'a crate::engine::read::Policy>,
    /// The texts read again for the renderer (see [`Report::source`]).
    pub loaded: Reread,
    /// The files whose texts are wanted (all, when `None`): the others are not read again, and
    /// their findings are fingerprinted as [`fingerprinted`] says.
    pub texts_for: Option<&'a [bool]>,
    /// What coverage found, when it ran (a whole-tree lint).
    pub coverage: Option<crate::coverage::scan::Summary>,
    /// Where coverage's code files start in `files` (they follow the manifests).
    pub first_code_file: Option<usize>,
}

/// A file of the report with its text: kept by the run, or read again for the renderer.
pub enum Loaded<'a> {
    Kept(&'a Source),
    Read(Arc<Source>),
}

/// The texts a report reads again (only files with a finding not placed, see [`Ahead::start`]).
/// Findings are sorted by file, so the one read last is kept, and a thread reads the next such
/// files ahead of the renderer, in the same order, a few at a time: the reading and the writing
/// of the report then share the two cores.
#[derive(Default)]
pub struct Reread {
    last: RefCell<Option<(usize, Arc<Source>)>>,
    ahead: RefCell<Option<Ahead>>,
}

/// Files read ahead, as they come from the reading thread, with the next ones not yet asked
/// for. The thread is told which files to read [`READ_AHEAD`] at a time, as the renderer goes,
/// and hands them back in batches, so that what is held for it stays small however many files
/// have findings, and the two threads wake each other once a batch, not once a file.
struct Ahead {
    /// The files to read, in the findings' order; `order[..sent]` were asked of the thread.
    order: Vec<usize>,
    sent: usize,
    /// How many the thread has handed back.
    received: usize,
    places: std::sync::mpsc::Sender<Vec<(usize, Names)>>,
    texts: std::sync::mpsc::Receiver<Batch>,
    /// Handed back and not yet asked for, in order.
    next: std::collections::VecDeque<(usize, Option<Arc<Source>>)>,
}

/// Files read ahead, in order; `None` for a file left to be read when asked for.
type Batch = Vec<(usize, Option<Arc<Source>>)>;

/// How many files may be asked of the reading thread at once; at most twice as many are asked
/// and not yet handed back.
const READ_AHEAD: usize = 16;

/// A larger file is not read ahead, but when the renderer asks for it; a batch is handed back
/// once it holds this much text. What is held ahead thus stays small (about 12 MiB at most:
/// [`BATCHES`] in the channel, one being read and one being rendered, each under twice this)
/// whatever the files.
const READ_AHEAD_BYTES: u64 = 1024 * 1024;

/// How many batches the channel holds before the reading thread waits.
const BATCHES: usize = 4;

/// A file the run let go, read again under the run's policy by its names, as the renderer sees
/// it. It was read as a file already: it is opened at once, as one a listing gave (a link, or
/// anything else now in its place, then goes the careful way).
fn read_again(names: Names, policy: &crate::engine::read::Policy) -> Source {
    let text =
        crate::engine::read::text_known(names.path(), policy, Known::Listed).unwrap_or_default();
    Source::named(names, text)
}

impl Ahead {
    /// Starts a thread that reads, in the findings' order, the files whose text the run let go
    /// that have a finding not placed ([`Diagnostic::is_placed`]): the others are not asked for
    /// (a related place in one is read when asked).
    fn start(report: &Report<'_>, policy: &crate::engine::read::Policy) -> Ahead {
        let order: Vec<usize> = report
            .diagnostics
            .files_unplaced()
            .filter(|&f| report.files[f].is_forgotten() && report.text_wanted(f))
            .collect();
        let policy = policy.clone();
        let (places, asked) = std::sync::mpsc::channel::<Vec<(usize, Names)>>();
        let (send, texts) = std::sync::mpsc::sync_channel::<Batch>(BATCHES);
        let reader = std::thread::Builder::new().name("ropa-reread".into());
        // without a thread (none can be made), every file is read when it is asked for
        let _ = reader.spawn(move || {
            // read ahead only up to the smaller limit: a larger file is read when asked for
            let ahead = crate::engine::read::Policy {
                limit: policy.limit.min(READ_AHEAD_BYTES),
                ..policy.clone()
            };
            for places in asked {
                let mut batch = Vec::with_capacity(places.len());
                let mut held = 0;
                for (file, place) in places {
                    let read = crate::engine::read::text_known(place.path(), &ahead, Known::Listed);
                    let text = match read {
                        Err(crate::engine::read::ReadError::TooLarge { .. })
                            if ahead.limit < policy.limit =>
                        {
                            None
                        }
                        read => Some(Arc::new(Source::named(place, read.unwrap_or_default()))),
                    };
                    held += text.as_ref().map_or(0, |t| t.text.len());
                    batch.push((file, text));
                    if held as u64 >= READ_AHEAD_BYTES {
                        held = 0;
                        // the renderer is done (or gone): stop
                        if send.send(std::mem::take(&mut batch)).is_err() {
                            return;
                        }
                    }
                }
                if !batch.is_empty() && send.send(batch).is_err() {
                    return;
                }
            }
        });
        Ahead {
            order,
            sent: 0,
            received: 0,
            places,
            texts,
            next: std::collections::VecDeque::new(),
        }
    }

    /// Asks the thread for the next files, [`READ_AHEAD`] at a time, so that it has up to twice
    /// that to go.
    fn top_up(&mut self, files: &[Source]) {
        while self.sent - self.received <= READ_AHEAD && self.sent < self.order.len() {
            let end = (self.sent + READ_AHEAD).min(self.order.len());
            let places = self.order[self.sent..end]
                .iter()
                .map(|&file| (file, files[file].names().clone()))
                .collect();
            // a thread that is gone is seen when its texts are asked for
            let _ = self.places.send(places);
            self.sent = end;
        }
    }

    /// The file if it comes next and was read ahead; files before it the renderer did not ask
    /// for are passed by.
    fn take(&mut self, file: usize, files: &[Source]) -> Option<Arc<Source>> {
        loop {
            if self.next.is_empty() {
                self.top_up(files);
                // nothing more is coming
                if self.received == self.sent {
                    return None;
                }
                let batch = self.texts.recv().ok()?;
                self.received += batch.len();
                self.next.extend(batch);
                continue;
            }
            let (at, _) = self.next.front()?;
            match (*at).cmp(&file) {
                std::cmp::Ordering::Less => {
                    self.next.pop_front();
                }
                std::cmp::Ordering::Equal => return self.next.pop_front().and_then(|(_, s)| s),
                // asked out of order (a related place in another file): read it here
                std::cmp::Ordering::Greater => return None,
            }
        }
    }
}

impl std::ops::Deref for Loaded<'_> {
    type Target = Source;
    fn deref(&self) -> &Source {
        match self {
            Loaded::Kept(s) => s,
            Loaded::Read(s) => s,
        }
    }
}

impl<'a> Report<'a> {
    /// The report of a run, in a language.
    pub fn new(outcome: &'a crate::engine::Outcome, catalog: &'a str, lang: Lang) -> Self {
        Report {
            files: &outcome.sources,
            diagnostics: &outcome.diagnostics,
            summary: outcome.summary,
            catalog,
            problems: &outcome.problems,
            lang,
            root: outcome.root.as_deref(),
            reported: &outcome.reported,
            activities: &outcome.activities,
            reread: outcome.reread.as_ref(),
            loaded: Reread::default(),
            texts_for: None,
            coverage: outcome.coverage.as_ref().map(|c| c.summary),
            first_code_file: outcome.coverage.as_ref().map(|c| c.first_code_file),
        }
    }

    /// A file with its text. A run over a large repository lets go of each file's text once
    /// the file is checked, so that memory does not grow with the findings; the text is read
    /// again here, under the run's read policy, one file at a time. A file that changed or
    /// vanished in between gives what can be read now (every position is clamped to it). The
    /// renderers ask only for a file with a finding that was not placed when it was found
    /// ([`Report::range`], [`Report::span_text`], [`Diagnostic::excerpted`]).
    pub fn source(&self, file: usize) -> Loaded<'_> {
        let kept = &self.files[file];
        let Some(policy) = self.reread.filter(|_| kept.is_forgotten()) else {
            return Loaded::Kept(kept);
        };
        let mut last = self.loaded.last.borrow_mut();
        if let Some((at, source)) = last.as_ref()
            && *at == file
        {
            return Loaded::Read(source.clone());
        }
        let mut ahead = self.loaded.ahead.borrow_mut();
        let ahead = ahead.get_or_insert_with(|| Ahead::start(self, policy));
        let source = ahead
            .take(file, self.files)
            .unwrap_or_else(|| Arc::new(read_again(kept.names().clone(), policy)));
        *last = Some((file, source.clone()));
        Loaded::Read(source)
    }

    /// Where a finding's span starts and ends: as placed when it was found, else in the file's
    /// text (read again if the run let it go). A finding without a span is at the file's start.
    pub fn range(&self, d: &Diagnostic) -> (Position, Position) {
        if let Some(placed) = &d.placed {
            return (placed.start, placed.end);
        }
        let source = self.source(d.file);
        let span = d.span.unwrap_or_default();
        (source.position(span.start), source.position(span.end))
    }

    /// Where a place in another file starts and ends (read again if the run let it go).
    pub fn related_range(&self, r: &crate::diag::Related) -> (Position, Position) {
        let source = self.source(r.file);
        (source.position(r.span.start), source.position(r.span.end))
    }

    /// The text under a finding's span, trimmed: as placed, else from the file's text.
    pub fn span_text(&self, d: &Diagnostic) -> String {
        if let Some(text) = d.placed.as_ref().and_then(|p| p.text.clone()) {
            return text;
        }
        let Some(span) = d.span else {
            return String::new();
        };
        let source = self.source(d.file);
        let s = source.clamp(span);
        source.text[s.start..s.end].trim().to_string()
    }

    /// Whether a file's text is wanted (see [`Report::texts_for`]).
    pub fn text_wanted(&self, file: usize) -> bool {
        self.texts_for
            .is_none_or(|wanted| wanted.get(file).copied().unwrap_or(true))
    }

    /// "Personal data found in N files, M covered by a manifest.", when coverage found
    /// something.
    pub fn coverage_line(&self) -> Option<String> {
        // quiet when coverage found nothing to say
        let c = self
            .coverage
            .filter(|c| c.files_with_personal_data > 0 || c.vendors > 0)?;
        Some(format!("{}.", coverage_sentence(&c, self.lang)))
    }

    /// Renders in a format, as one string. Adding a format is a variant of [`Format`] and its
    /// arm in [`Report::write`].
    pub fn render(&self, format: Format, options: &human::Options) -> String {
        console::collect(|out| self.write(format, options, out))
    }

    /// Writes in a format, in pieces as the report is made (see [`console::Out`]).
    pub fn write(&self, format: Format, options: &human::Options, out: &mut console::Out<'_>) {
        match format {
            Format::Human => human::write(self, options, out),
            Format::Json => json::write(self, out),
            Format::Github => out.push_str(&github::render(self)),
            Format::Sarif => sarif::write(self, out),
            Format::Junit => out.push_str(&junit::render(self)),
            Format::Gitlab => gitlab::write(self, out),
        }
    }
}

/// A JSON array written from an iterator, each item made as it is written: a report is never
/// held whole. Written once; a second time, it is empty.
pub struct Seq<I>(std::cell::RefCell<Option<I>>);

impl<I> Seq<I> {
    pub fn new(items: I) -> Self {
        Seq(std::cell::RefCell::new(Some(items)))
    }
}

impl<I: Iterator<Item = T>, T: serde::Serialize> serde::Serialize for Seq<I> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.borrow_mut().take() {
            Some(items) => serializer.collect_seq(items),
            None => serializer.collect_seq(std::iter::empty::<T>()),
        }
    }
}

/// The width prose is wrapped to, in display columns.
pub const WIDTH: usize = 96;

/// Prose wrapped at [`WIDTH`] display columns (accented letters count once, wide characters
/// twice): the first line starts with `first`, the others with `rest`; runs of white space
/// become one space, and a word longer than a line stays whole. Every line ends with `\n`.
pub fn wrap(text: &str, first: &str, rest: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return String::new();
    }
    let options = textwrap::Options::new(WIDTH)
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut out = textwrap::wrap(&text, options).join("\n");
    out.push('\n');
    out
}

/// Output formats of `ropa lint`. Adding one is a variant here, its file in this folder and
/// its arm in [`Format::render`]; the compiler points at every other place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
    Junit,
    Gitlab,
}

impl Format {
    /// How what this format writes is read, for [`console::neutralize`].
    pub fn sink(self, color: bool) -> console::Sink {
        match self {
            Format::Human => console::Sink::Text { color },
            Format::Json | Format::Sarif | Format::Gitlab => console::Sink::Json,
            Format::Junit => console::Sink::Xml,
            Format::Github => console::Sink::Github,
        }
    }

    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 6] = [
        Format::Human,
        Format::Json,
        Format::Github,
        Format::Sarif,
        Format::Junit,
        Format::Gitlab,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Github => "github",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Gitlab => "gitlab",
        }
    }

    /// One line for `--help`.
    pub fn about(self) -> &'static str {
        match self {
            Format::Human => "rustc-style diagnostics with source snippets",
            Format::Json => "the JSON report (spec §6)",
            Format::Github => "GitHub workflow commands (annotations on pull requests)",
            Format::Sarif => "SARIF 2.1.0 (code scanning)",
            Format::Junit => "JUnit XML (one suite per manifest, one case per activity)",
            Format::Gitlab => "GitLab Code Quality JSON",
        }
    }
}

/// A fingerprint for each finding (FNV-1a), in the report's order: the rule, the file relative
/// to the repository, the activity, and the YAML the finding points at, numbered when the same
/// key comes back. It survives line moves, and is the same whatever the language of the run and
/// the working directory; two findings of one rule on one activity (two transfers) differ.
/// Each finding comes with its fingerprint, in one pass over the findings. A finding on a file
/// whose text is not wanted ([`Report::texts_for`]) has none (an empty one).
pub fn fingerprinted<'r>(
    report: &'r Report<'_>,
) -> impl Iterator<Item = (crate::diag::Diagnostic, String)> + 'r {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    report.diagnostics.iter().map(move |d| {
        if !report.text_wanted(d.file) {
            return (d, String::new());
        }
        let key = format!(
            "{}|{}|{}|{}",
            d.code,
            report.files[d.file].key(),
            d.activity.as_deref().unwrap_or(""),
            report.span_text(&d)
        );
        let n = seen.entry(key.clone()).or_insert(0);
        *n += 1;
        let fingerprint = fnv(&format!("{key}|{n}"));
        (d, fingerprint)
    })
}

/// FNV-1a of a text, in hexadecimal.
pub fn fnv(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Escapes text for XML 1.0 and HTML (the JUnit report, the HTML register): markup characters
/// become entities, and control characters, which XML cannot carry and a reader would not see,
/// are shown as visible escapes (`\u{1b}`). Tabs and line ends are kept.
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || matches!(c as u32, 0xFFFE | 0xFFFF) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// "Personal data found in N files, M covered by a manifest" (no final stop).
pub fn coverage_sentence(c: &crate::coverage::scan::Summary, lang: Lang) -> String {
    let n = c.files_with_personal_data;
    let m = c.covered;
    crate::i18n::t(
        lang,
        format!(
            "Personal data found in {n} {}, {m} covered by a manifest",
            if n == 1 { "file" } else { "files" }
        ),
        format!(
            "Données personnelles trouvées dans {n} {}, dont {m} {} par un manifeste",
            if n == 1 { "fichier" } else { "fichiers" },
            if m > 1 { "couverts" } else { "couvert" }
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(n: usize) -> Arc<Source> {
        Arc::new(Source::new(
            format!("f{n}"),
            format!("f{n}").into(),
            format!("text {n}"),
        ))
    }

    /// The renderer gets each file it asks for, whatever it skips or asks out of order; a file
    /// not read ahead (or asked after its turn) is `None`, to be read where it is asked for.
    #[test]
    fn files_read_ahead_come_in_the_order_asked() {
        let (places, _asked) = std::sync::mpsc::channel();
        let (send, texts) = std::sync::mpsc::sync_channel(BATCHES);
        // in two batches; a large file, left to be read when asked for
        send.send(vec![(1, Some(text(1))), (3, Some(text(3)))])
            .unwrap();
        send.send(vec![(4, Some(text(4))), (7, Some(text(7))), (8, None)])
            .unwrap();
        drop(send);
        let mut ahead = Ahead {
            order: Vec::new(),
            sent: 5,
            received: 0,
            places,
            texts,
            next: std::collections::VecDeque::new(),
        };
        let files = &[];
        assert_eq!(ahead.take(1, files).unwrap().text, "text 1");
        // 2 was not read ahead: 3 stays for later
        assert!(ahead.take(2, files).is_none());
        // 4 is asked before 3: 3 is passed by
        assert_eq!(ahead.take(4, files).unwrap().text, "text 4");
        assert!(ahead.take(3, files).is_none());
        // a related place in a file before the next one does not lose the next one
        assert!(ahead.take(0, files).is_none());
        assert_eq!(ahead.take(7, files).unwrap().text, "text 7");
        assert!(ahead.take(8, files).is_none());
        // the reading thread is done
        assert!(ahead.take(9, files).is_none());
    }

    /// The reading thread is asked for a few files at a time, never for more than twice
    /// [`READ_AHEAD`] beyond what the renderer has taken, and never in vain once all are asked.
    #[test]
    fn the_reading_thread_is_asked_a_few_files_at_a_time() {
        let files: Vec<Source> = (0..100)
            .map(|n| Source::forgotten(format!("f{n}"), format!("f{n}").into()))
            .collect();
        let (places, asked) = std::sync::mpsc::channel::<Vec<(usize, Names)>>();
        let (send, texts) = std::sync::mpsc::sync_channel(BATCHES);
        let mut ahead = Ahead {
            order: (0..100).collect(),
            sent: 0,
            received: 0,
            places,
            texts,
            next: std::collections::VecDeque::new(),
        };
        // a reader that answers each place with its name as text, a batch for each ask,
        // counting what is asked and how many at once
        let reader = std::thread::spawn(move || {
            let (mut most, mut widest, mut n) = (0, 0, 0);
            for places in asked {
                widest = widest.max(places.len());
                let mut batch = Vec::new();
                for (file, names) in places {
                    most = most.max(n);
                    n += 1;
                    let text = names.display().to_string();
                    batch.push((file, Some(Arc::new(Source::named(names, text)))));
                }
                if send.send(batch).is_err() {
                    break;
                }
            }
            (most, widest)
        });
        for file in 0..100 {
            assert_eq!(ahead.take(file, &files).unwrap().text, format!("f{file}"));
            assert!(ahead.sent - ahead.received <= 2 * READ_AHEAD);
        }
        // all taken: the next ask returns at once
        assert!(ahead.take(100, &files).is_none());
        drop(ahead);
        // each file asked once, READ_AHEAD at a time
        assert_eq!(reader.join().unwrap(), (99, READ_AHEAD));
    }
}
