//! The coverage pass: the walk hands over the files that can hold personal-data fields or
//! processor SDKs; each is read under the read policy, its fields and dependencies found, and the
//! result matched against the manifests' activities.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::deps::{self, Dep};
use super::fields::{self, Field};
use super::vendors::{Catalog, Vendor};
use super::words::{self, Category};
use crate::config::Settings;
use crate::diag::{Diagnostic, Problem, RuleId, Severity};
use crate::engine::read::{self, Policy};
use crate::i18n::{Lang, t};
use crate::manifest::model::Activity;
use crate::rules::duplicate_activity_id::ActivityIds;
use crate::source::{Source, Span, display_path, slashed};

/// The largest dependency file or data definition read (lockfiles run to megabytes).
pub const MAX_CANDIDATE_BYTES: u64 = 16 * 1024 * 1024;

/// One file read for coverage.
#[derive(Debug)]
pub struct Scanned {
    /// Its text is let go once read, when the renderers can read it again (see
    /// [`Scanned::position`]).
    pub source: Source,
    /// Every field's and dependency's span placed, by span (see [`Scanned::placed`]).
    places: Vec<(Span, crate::diag::Placed)>,
    /// Relative to the repository's root, `/`-separated.
    pub rel: String,
    pub fields: Vec<Field>,
    /// Dependencies that belong to a vendor of the catalog, with the vendor's index.
    pub vendors: Vec<(Dep, usize)>,
    /// Whether the file was opened at its path, no link followed to it.
    pub direct: bool,
}

/// Whether the walk should hand a file over for coverage.
pub fn wanted(path: &Path, name: &std::ffi::OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    if deps::reader(name).is_some() {
        return true;
    }
    // most files are rejected on their extension alone, without building their path
    const KINDS: &[&str] = &[
        "sql", "prisma", "proto", "graphql", "graphqls", "gql", "py", "ts", "js", "mts", "cts",
        "mjs", "cjs", "yaml", "yml", "json",
    ];
    let ext = memchr::memrchr(b'.', name.as_bytes()).map_or("", |dot| &name[dot + 1..]);
    if !KINDS.iter().any(|k| ext.eq_ignore_ascii_case(k)) {
        return false;
    }
    // the directories as written (above the repository too: this only picks what is read, and
    // what is read decides on its path in the repository), split as this system splits them:
    // what comes before the last separator (the words looked for are whole parts, which a
    // doubled or trailing separator, or a `.` part, does not change)
    let separator = if cfg!(windows) { b'\\' } else { b'/' };
    let bytes = path.as_os_str().as_encoded_bytes();
    let last = memchr::memrchr2(b'/', separator, bytes);
    let dirs = last.map_or(&[][..], |at| &bytes[..at]);
    fields::kind_in(name, dirs, separator).is_some()
}

/// How many candidate files each core reads before they are matched: what is held at once.
const WINDOW: usize = 512;

/// Reads the candidate files the walk handed over ([`super::paths::Paths`]: sorted, each once),
/// finds their fields and vendors, and hands each file with something found to `each`, in path
/// order, a window at a time: nothing is kept here. A file that could not be read (too large,
/// not UTF-8, a link out of the repository) is handed over as its problem, never skipped in
/// silence. A dependency file's lockfiles are not read beside it (it says which dependencies are
/// for development).
pub fn read_candidates(
    candidates: super::paths::Paths,
    settings: &Settings,
    vendors: &Catalog,
    mut each: impl FnMut(Result<Scanned, Problem>),
) {
    let repository = crate::engine::repo_root(&settings.root);
    let policy = Policy::within(&repository, MAX_CANDIDATE_BYTES);
    let root = code_root(settings);
    let lang = settings.lang.value;
    let reread_limit = settings.max_file_size.value;
    let exclude = settings.coverage_exclude_set();
    let with_manifest: std::collections::HashSet<PathBuf> = candidates
        .iter()
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            deps::reader(name).is_some_and(|(_, lock, _)| !lock)
        })
        .filter_map(|p| p.parent().map(|d| d.join(lock_family(&p))))
        .collect();
    let wanted = |path: &PathBuf| {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let lock_beside_manifest = matches!(deps::reader(name), Some((_, true, _)))
            && path
                .parent()
                .is_some_and(|d| with_manifest.contains(&d.join(lock_family(path))));
        let opted_out =
            !exclude.is_empty() && settings.relative(path).is_some_and(|r| exclude.is_match(r));
        !lock_beside_manifest && !opted_out
    };
    // read and searched on every core, a window at a time, handed over in path order; the next
    // window is read while the caller matches the one before
    let threads = crate::engine::cores();
    let (policy, root) = (&policy, &root);
    // each thread keeps only the files with something found (most have nothing)
    let read = |window: &[PathBuf]| -> Vec<Result<Scanned, Problem>> {
        crate::engine::on_every_core(window, |p| {
            read_one(p, policy, root, vendors, lang, reread_limit).transpose()
        })
    };
    let read = &read;
    let mut paths = candidates.iter().filter(wanted);
    std::thread::scope(|scope| {
        let mut reading = None;
        loop {
            let window: Vec<PathBuf> = paths.by_ref().take(WINDOW * threads).collect();
            if window.is_empty() {
                break;
            }
            let next = scope.spawn(move || read(&window));
            if let Some(done) = reading.replace(next) {
                hand_over(done, &mut each);
            }
        }
        if let Some(done) = reading {
            hand_over(done, &mut each);
        }
    });
}

/// The root code files' names are relative to: the repository's, absolute.
pub fn code_root(settings: &Settings) -> PathBuf {
    crate::source::absolute(crate::engine::repo_root(&settings.root)).unwrap_or_default()
}

/// A code file's names: as shown, on disk, and relative to `root` ([`code_root`]), or as given
/// when outside it.
pub fn names(path: &Path, root: &Path) -> crate::source::Names {
    let abs = crate::source::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let rel =
        crate::source::below(&crate::source::lexical(&abs), root).unwrap_or_else(|| slashed(path));
    let mut names = crate::source::Names::new(display_path(path), path.to_path_buf());
    names.set_in_repo(Some(&rel));
    names
}

/// Hands a window's files over, once read.
fn hand_over(
    reading: std::thread::ScopedJoinHandle<'_, Vec<Result<Scanned, Problem>>>,
    each: &mut impl FnMut(Result<Scanned, Problem>),
) {
    let read = reading
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e));
    read.into_iter().for_each(each);
}

fn read_one(
    path: &Path,
    policy: &Policy,
    root: &Path,
    vendors: &Catalog,
    lang: Lang,
    reread_limit: u64,
) -> Result<Option<Scanned>, Problem> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_string();
    // the walk listed it as a regular file or a link
    let (text, direct) = read::text_opened(path, policy, read::Known::Listed).map_err(|e| {
        Problem::new(
            crate::diag::ProblemKind::Unread,
            t(
                lang,
                format!("not scanned for coverage: {}", e.message(lang)),
                format!("non analysé pour la couverture : {}", e.message(lang)),
            ),
        )
        .on(display_path(path))
    })?;
    let names = names(path, root);
    let rel = names.in_repo().unwrap_or_default().to_string();
    let mut source = Source::named(names, text);
    let kind = fields::kind(&rel);
    let fields = kind.map(|k| fields::read(k, &source)).unwrap_or_default();
    let found_vendors: Vec<(Dep, usize)> = deps::read(&name, &source.text)
        .into_iter()
        .filter_map(|d| {
            let v = vendors.vendor_of(d.ecosystem, &d.name)?;
            let i = vendors.vendors.iter().position(|x| x.id == v.id)?;
            Some((d, i))
        })
        .collect();
    if fields.is_empty() && found_vendors.is_empty() {
        // nothing found: say so when it is because the file could not be parsed
        let broken = deps::json_error(&name, &source.text).or_else(|| {
            (kind == Some(fields::Kind::Schema))
                .then(|| crate::yaml::parse(&source).err())
                .flatten()
                .map(|e| {
                    let p = source.position(e.span.start);
                    format!("{} (line {}, column {})", e.message, p.line, p.column)
                })
        });
        if let Some(why) = broken {
            return Err(Problem::new(
                crate::diag::ProblemKind::Unread,
                t(
                    lang,
                    format!("not scanned for coverage: {why}"),
                    format!("non analysé pour la couverture : {why}"),
                ),
            )
            .on(display_path(path)));
        }
        return Ok(None);
    }
    let mut places: Vec<_> = fields
        .iter()
        .map(|f| f.span)
        .chain(found_vendors.iter().map(|(d, _)| d.span))
        .map(|span| {
            (
                span,
                crate::diag::Placed::of(&source, Some(span), &[], crate::diag::EXCERPT_TEXT),
            )
        })
        .collect();
    places.sort_unstable_by_key(|(span, _)| *span);
    places.dedup_by_key(|(span, _)| *span);
    // the findings and the table need only these places; a renderer that draws snippets reads
    // the text again, under the report's read policy, if it can (a file over that policy's limit
    // keeps it)
    if source.text.len() as u64 <= reread_limit {
        source.forget();
    }
    Ok(Some(Scanned {
        source,
        places,
        rel,
        fields,
        vendors: found_vendors,
        direct,
    }))
}

/// The ecosystem a dependency file belongs to, as a key shared by a manifest and its lockfiles.
fn lock_family(path: &Path) -> &'static str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match deps::reader(name).map(|(e, _, _)| e) {
        Some(super::vendors::Ecosystem::Npm) => ".npm",
        Some(super::vendors::Ecosystem::Pypi) => ".pypi",
        Some(super::vendors::Ecosystem::Go) => ".go",
        Some(super::vendors::Ecosystem::Cargo) => ".cargo",
        Some(super::vendors::Ecosystem::Gem) => ".gem",
        Some(super::vendors::Ecosystem::Composer) => ".composer",
        Some(super::vendors::Ecosystem::Maven) => ".maven",
        None => ".none",
    }
}

/// A place in a file, for the report.
#[derive(Clone, Debug, Serialize)]
pub struct Place {
    pub path: String,
    pub line: usize,
    pub column: usize,
}

impl Scanned {
    /// A field's or a dependency's span, placed when the file was read (`None` for another
    /// span: the renderer reads the text again).
    pub fn placed(&self, span: Span) -> Option<crate::diag::Placed> {
        let i = self.places.binary_search_by_key(&span, |(s, _)| *s).ok()?;
        Some(self.places[i].1.clone())
    }

    /// The position of a field's or a dependency's span, kept when the file was read.
    fn position(&self, span: Span) -> crate::source::Position {
        match self.places.binary_search_by_key(&span, |(s, _)| *s) {
            Ok(i) => self.places[i].1.start,
            Err(_) => self.source.position(span.start),
        }
    }

    fn place(&self, span: Span) -> Place {
        let p = self.position(span);
        Place {
            path: self
                .source
                .in_repo()
                .map_or_else(|| self.source.display().to_string(), str::to_string),
            line: p.line,
            column: p.column,
        }
    }
}

/// A file a finding is in: a manifest (its index in the run's file list) or the scanned file
/// being matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileRef {
    Manifest(usize),
    Scanned,
}

/// A coverage finding, before it is a diagnostic.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    pub message: String,
    pub label: String,
    pub help: String,
    pub file: FileRef,
    pub span: Span,
    /// A place in the scanned file being matched, and its text (`path:line:col`).
    pub related: Option<(Span, String)>,
    pub activity: Option<(usize, Option<String>)>,
    /// The finding rests on the GDPR (art. 9, chapter V): it cites it.
    pub gdpr: bool,
}

/// A file with personal data, as the report shows it.
#[derive(Clone, Debug, Serialize)]
pub struct FileRow {
    pub path: String,
    pub categories: Vec<Category>,
    pub fields: Vec<FieldRow>,
    pub covered_by: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FieldRow {
    pub name: String,
    pub category: Category,
    pub line: usize,
    pub column: usize,
}

/// A vendor found in the dependencies.
#[derive(Clone, Debug, Serialize)]
pub struct VendorRow {
    pub vendor: String,
    pub name: String,
    pub package: String,
    #[serde(flatten)]
    pub at: Place,
    pub location: Option<String>,
    pub transfer: Option<String>,
    pub evidence: String,
    pub privacy: String,
    pub named_by: Vec<String>,
}

/// What coverage found, for `ropa coverage`, the summaries and the register.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Table {
    pub summary: Summary,
    /// For each activity (by [`label`]), the processors whose SDKs are in the dependencies in,
    /// above or below its manifest's directory: the register's column.
    #[serde(skip)]
    pub detected: std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    /// Where the code files a finding points into start in the run's file list.
    #[serde(skip)]
    pub first_code_file: usize,
    pub files: Vec<FileRow>,
    pub vendors: Vec<VendorRow>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files in which personal data fields were found.
    pub files_with_personal_data: usize,
    /// Of those, files that an activity's `code:` covers.
    pub covered: usize,
    /// Vendor SDKs found in the dependencies.
    pub vendors: usize,
}

/// A text coverage keeps of every activity, shared between the activities that write it alike
/// (`identity`, `src/**`, `stripe`): a large repository repeats its words.
pub type Text = std::sync::Arc<str>;

/// One copy of each text, for the whole run (every worker shares it), each known by its number.
#[derive(Debug, Default)]
pub struct Interner(std::sync::Mutex<Numbered>);

#[derive(Debug, Default)]
struct Numbered {
    numbers: crate::hash::Map<Text, u32>,
    texts: Vec<Text>,
}

impl Interner {
    /// The text's number.
    fn number(&self, s: &str) -> u32 {
        let mut inner = crate::engine::held(&self.0);
        if let Some(&n) = inner.numbers.get(s) {
            return n;
        }
        let n = u32::try_from(inner.texts.len()).unwrap_or(u32::MAX);
        let t: Text = s.into();
        inner.texts.push(t.clone());
        inner.numbers.insert(t, n);
        n
    }

    /// Every text, by its number.
    fn texts(&self) -> Vec<Text> {
        crate::engine::held(&self.0).texts.clone()
    }
}

/// Compiled `code:` globs, by their text's number in the run's [`Interner`] (`None`: not a
/// valid glob, MF004 says so).
type Globs = crate::hash::Map<u32, Option<globset::GlobMatcher>>;

/// What coverage needs of an activity, kept from each manifest while the others are let go: a
/// large repository has one per activity, so it is kept encoded, about 30 bytes an activity
/// (LEB128 numbers, spans from the activity's head, texts as their number in the run's
/// [`Interner`]), and its id, manifest and directory are found from the run's files when
/// needed. In order: its index, its head (start, length), `special_categories` (one bit each)
/// and the first one's span, whether a transfer has a safeguard, how many `code:` globs,
/// `data_categories` and `recipients` it has, then the globs' texts, then each data category's
/// and each recipient's (lowercase) text and span.
mod encoded {
    use crate::source::Span;

    pub(super) fn put(out: &mut Vec<u8>, mut n: u64) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }

    /// The next number; the bytes are the run's own, so never cut short (0 if they were).
    pub(super) fn take(bytes: &mut &[u8]) -> u64 {
        let mut n = 0u64;
        let mut shift = 0;
        while let Some((&byte, rest)) = bytes.split_first() {
            *bytes = rest;
            if shift < 64 {
                n |= u64::from(byte & 0x7f) << shift;
            }
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        n
    }

    pub(super) fn take_usize(bytes: &mut &[u8]) -> usize {
        usize::try_from(take(bytes)).unwrap_or(usize::MAX)
    }

    /// A span, from a base (the activity's head): its start's distance either way, then its
    /// length.
    pub(super) fn put_span(out: &mut Vec<u8>, span: Span, base: usize) {
        let distance = if span.start >= base {
            ((span.start - base) as u64) << 1
        } else {
            (((base - span.start) as u64) << 1) | 1
        };
        put(out, distance);
        put(out, span.end.saturating_sub(span.start) as u64);
    }

    pub(super) fn take_span(bytes: &mut &[u8], base: usize) -> Span {
        let distance = take(bytes);
        let len = take_usize(bytes);
        let far = usize::try_from(distance >> 1).unwrap_or(usize::MAX);
        let start = if distance & 1 == 0 {
            base.saturating_add(far)
        } else {
            base.saturating_sub(far)
        };
        Span::new(start, start.saturating_add(len))
    }
}

/// An activity as coverage reads it back.
#[derive(Clone, Copy, Debug)]
struct ActCover<'a> {
    /// The manifest's index in the run's file list.
    file: u32,
    index: usize,
    head: Span,
    /// `special_categories`, one bit each, and the first one's span.
    special: u32,
    special_span: Option<Span>,
    transfer_with_safeguard: bool,
    globs: usize,
    categories: usize,
    recipients: usize,
    /// The texts and spans, still encoded.
    words: &'a [u8],
}

impl<'a> ActCover<'a> {
    fn decode(file: u32, mut bytes: &'a [u8]) -> ActCover<'a> {
        let b = &mut bytes;
        let index = encoded::take_usize(b);
        let start = encoded::take_usize(b);
        let head = Span::new(start, start.saturating_add(encoded::take_usize(b)));
        let special = u32::try_from(encoded::take(b)).unwrap_or(0);
        let special_span = (encoded::take(b) == 1).then(|| encoded::take_span(b, head.start));
        let transfer_with_safeguard = encoded::take(b) == 1;
        let globs = encoded::take_usize(b);
        let categories = encoded::take_usize(b);
        let recipients = encoded::take_usize(b);
        ActCover {
            file,
            index,
            head,
            special,
            special_span,
            transfer_with_safeguard,
            globs,
            categories,
            recipients,
            words: bytes,
        }
    }

    /// The `code:` globs' texts, by number.
    fn globs(self) -> impl Iterator<Item = u32> + 'a {
        let mut bytes = self.words;
        (0..self.globs).map(move |_| text_number(&mut bytes))
    }

    /// `skip` spanned words, then `take` of them: texts by number, with their spans.
    fn spanned(self, skip: usize, take: usize) -> impl Iterator<Item = (u32, Span)> + 'a {
        let mut bytes = self.words;
        for _ in 0..self.globs + 3 * skip {
            encoded::take(&mut bytes);
        }
        let base = self.head.start;
        (0..take).map(move |_| {
            let text = text_number(&mut bytes);
            (text, encoded::take_span(&mut bytes, base))
        })
    }
}

fn text_number(bytes: &mut &[u8]) -> u32 {
    u32::try_from(encoded::take(bytes)).unwrap_or(u32::MAX)
}

/// What coverage keeps of one manifest's activities, made by the worker that linted it.
#[derive(Debug, Default)]
pub struct FileCover {
    bytes: Vec<u8>,
    /// Each activity's index in its file, and where its encoding starts in `bytes`.
    starts: Vec<(u32, usize)>,
}

impl FileCover {
    /// What coverage keeps of a manifest's activities.
    pub fn of(activities: &[Activity], texts: &Interner) -> FileCover {
        let mut out = FileCover::default();
        for activity in activities {
            let bytes = &mut out.bytes;
            out.starts.push((
                u32::try_from(activity.index).unwrap_or(u32::MAX),
                bytes.len(),
            ));
            let head = activity.head;
            encoded::put(bytes, activity.index as u64);
            encoded::put(bytes, head.start as u64);
            encoded::put(bytes, head.end.saturating_sub(head.start) as u64);
            let special = activity
                .special_categories
                .iter()
                .fold(0u32, |bits, c| bits | 1 << (c.value as u32));
            encoded::put(bytes, u64::from(special));
            match activity.special_categories.first() {
                Some(c) => {
                    encoded::put(bytes, 1);
                    encoded::put_span(bytes, c.span, head.start);
                }
                None => encoded::put(bytes, 0),
            }
            let safeguard = activity.transfers.iter().any(|tr| tr.safeguard.is_some());
            encoded::put(bytes, u64::from(safeguard));
            encoded::put(bytes, activity.code.len() as u64);
            encoded::put(bytes, activity.data_categories.len() as u64);
            encoded::put(bytes, activity.recipients.len() as u64);
            for g in &activity.code {
                encoded::put(bytes, u64::from(texts.number(&g.value)));
            }
            for c in &activity.data_categories {
                encoded::put(bytes, u64::from(texts.number(&c.value)));
                encoded::put_span(bytes, c.span, head.start);
            }
            for r in &activity.recipients {
                encoded::put(bytes, u64::from(texts.number(&r.value.to_lowercase())));
                encoded::put_span(bytes, r.span, head.start);
            }
        }
        out
    }
}

/// Where an activity is kept: its manifest (a tag until the run is assembled), its index there
/// (for the order), and where its encoding starts in [`Covers::bytes`].
#[derive(Clone, Copy, Debug)]
struct At {
    at: u64,
    file: u32,
    index: u32,
}

/// What coverage keeps of the run's activities: one list of where each is, one of their bytes.
#[derive(Debug, Default)]
pub struct Covers {
    acts: Vec<At>,
    bytes: Vec<u8>,
}

impl Covers {
    /// Adds a manifest's activities, under its index in the run's file list, or under a tag
    /// that [`Covers::renumber`] turns into that index.
    pub fn add(&mut self, file: usize, part: FileCover) {
        let file = u32::try_from(file).unwrap_or(u32::MAX);
        let base = self.bytes.len() as u64;
        self.bytes.extend_from_slice(&part.bytes);
        self.acts
            .extend(part.starts.iter().map(|&(index, start)| At {
                at: base + start as u64,
                file,
                index,
            }));
    }

    /// Gives the activities added under tags their manifest's index in the run's file list:
    /// `files[tag]`, or `None` when the file is not in the run (linted twice under two names),
    /// whose activities are dropped. The activities are then in file order, each file's in
    /// its order.
    pub fn renumber(&mut self, files: &[Option<usize>]) {
        self.acts.retain_mut(|a| {
            let file = files.get(a.file as usize).copied().flatten();
            if let Some(file) = file {
                a.file = u32::try_from(file).unwrap_or(u32::MAX);
            }
            file.is_some()
        });
        self.acts.sort_unstable_by_key(|a| (a.file, a.index));
    }

    fn len(&self) -> usize {
        self.acts.len()
    }

    /// The activity at `i`, in the run's order.
    fn get(&self, i: usize) -> ActCover<'_> {
        let a = self.acts[i];
        let at = usize::try_from(a.at).unwrap_or(usize::MAX);
        ActCover::decode(a.file, self.bytes.get(at..).unwrap_or_default())
    }
}

/// How coverage names an activity: its id, or its manifest and position when it has none.
pub fn label(id: Option<&str>, manifest: &str, index: usize) -> String {
    id.map_or_else(|| format!("{manifest}#{}", index + 1), str::to_string)
}

/// What the matching reads and does not change: the activities, their texts, their
/// directories, and the run's files for their names and ids.
struct View<'a> {
    covers: &'a Covers,
    texts: Vec<Text>,
    sources: &'a [Source],
    ids: &'a [ActivityIds],
    /// Each activity's directory, as a number in `dirs`.
    dir_of: Vec<u32>,
    /// The manifests' directories (absolute), sorted, each once.
    dirs: Vec<Box<Path>>,
    /// The directories by hash, as numbers in `dirs`: a file's ancestors are looked up this way
    /// (ordered lookups compare paths part by part).
    exact: hashbrown::HashTable<u32>,
    /// Hashes a path's [`crate::source::spelling`].
    hasher: crate::hash::State,
    /// The activities of directory `d` are `members[starts[d]..starts[d + 1]]`, in order.
    starts: Vec<u32>,
    members: Vec<u32>,
    vendors: &'a Catalog,
    lang: Lang,
    rows: bool,
}

impl View<'_> {
    fn act(&self, i: usize) -> ActCover<'_> {
        self.covers.get(i)
    }

    fn text(&self, number: u32) -> &str {
        self.texts.get(number as usize).map_or("", |t| &**t)
    }

    /// The `code:` globs (the run matches them by number: [`View::covers`]).
    #[cfg(test)]
    fn globs<'s>(&'s self, a: ActCover<'s>) -> impl Iterator<Item = &'s str> {
        a.globs().map(|t| self.text(t))
    }

    /// `data_categories`, with their spans.
    fn data_categories<'s>(&'s self, a: ActCover<'s>) -> impl Iterator<Item = (&'s str, Span)> {
        a.spanned(0, a.categories)
            .map(|(t, span)| (self.text(t), span))
    }

    /// `recipients`, lowercase, with their spans.
    fn recipients<'s>(&'s self, a: ActCover<'s>) -> impl Iterator<Item = (&'s str, Span)> {
        a.spanned(a.categories, a.recipients)
            .map(|(t, span)| (self.text(t), span))
    }

    fn id(&self, a: ActCover<'_>) -> Option<&str> {
        self.ids.get(a.file as usize)?.id_of(a.index)
    }

    fn label(&self, a: ActCover<'_>) -> String {
        let shown = self
            .sources
            .get(a.file as usize)
            .map_or("", |s| s.display());
        label(self.id(a), shown, a.index)
    }

    /// Where a finding on an activity is: its position and id.
    fn activity(&self, a: ActCover<'_>) -> Option<(usize, Option<String>)> {
        Some((a.index, self.id(a).map(str::to_string)))
    }

    /// Whether a `code:` glob of activity `i` matches a file (an absolute path); globs are
    /// compiled once per run, in `cache`.
    fn covers(&self, i: usize, file: &Path, cache: &mut Globs) -> bool {
        let Some(rel) = crate::source::below(file, &self.dirs[self.dir_of[i] as usize]) else {
            return false;
        };
        self.act(i).globs().any(|t| {
            cache
                .entry(t)
                .or_insert_with(|| {
                    let g = self.text(t);
                    crate::manifest::glob(g).ok().map(|g| g.compile_matcher())
                })
                .as_ref()
                .is_some_and(|m| m.is_match(&rel))
        })
    }

    /// The `recipients` entry that names a vendor, if one does.
    fn names_vendor(&self, a: ActCover<'_>, v: &Vendor) -> Option<Span> {
        let id = v.id.to_lowercase();
        let name = v.name.to_lowercase();
        let first = name.split([' ', '(']).next().unwrap_or(&name).to_string();
        self.recipients(a)
            .find(|(r, _)| {
                r.contains(&id) || r.contains(&name) || (first.len() > 2 && r.contains(&first))
            })
            .map(|(_, span)| span)
    }

    /// Whether the activity declares a category: special ones in `special_categories`, the
    /// others in `data_categories`.
    fn declares(&self, a: ActCover<'_>, c: Category) -> bool {
        match c.special() {
            Some(s) => a.special & 1 << (s as u32) != 0,
            None => words::declares(self.data_categories(a).map(|d| d.0), c),
        }
    }

    /// The number of a manifest's directory in `dirs`.
    fn dir(&self, dir: &Path) -> Option<u32> {
        use std::hash::BuildHasher;
        self.exact
            .find(self.hasher.hash_one(crate::source::spelling(dir)), |&d| {
                *self.dirs[d as usize] == *dir
            })
            .copied()
    }

    fn members(&self, d: usize) -> &[u32] {
        &self.members[self.starts[d] as usize..self.starts[d + 1] as usize]
    }

    /// The activities whose manifest is in `dir` or above it, in order.
    fn above(&self, dir: &Path) -> Vec<usize> {
        let mut out: Vec<usize> = dir
            .ancestors()
            .filter_map(|d| self.dir(d))
            .flat_map(|d| self.members(d as usize))
            .map(|&i| i as usize)
            .collect();
        out.sort_unstable();
        out
    }

    /// The activities whose manifest is below `dir`.
    fn below(&self, dir: &Path) -> Vec<usize> {
        let from = self.dirs.partition_point(|d| **d <= *dir);
        self.dirs[from..]
            .iter()
            .take_while(|d| d.starts_with(dir))
            .enumerate()
            .flat_map(|(k, _)| self.members(from + k))
            .map(|&i| i as usize)
            .collect()
    }
}

/// What the matching has gathered so far.
struct State {
    table: Table,
    /// Per activity: the categories seen in the files it covers, one bit each, and whether it
    /// covers any file with fields (the top bit).
    seen: Vec<u32>,
    globs: Globs,
}

const SCANNED_ANY: u32 = 1 << 31;

/// Matches the scanned files against the activities, one file at a time, as they are read:
/// the table and the findings (CV001-CV005). Without `rows`, the table has only its numbers (a
/// lint needs no more, and the rows grow with the repository).
pub struct Matcher<'a> {
    view: View<'a>,
    state: State,
}

impl<'a> Matcher<'a> {
    /// `sources` and `ids` are the run's files (the manifests'), by the index the activities
    /// were added under.
    pub fn new(
        covers: &'a Covers,
        texts: &Interner,
        sources: &'a [Source],
        ids: &'a [ActivityIds],
        vendors: &'a Catalog,
        lang: Lang,
        rows: bool,
    ) -> Matcher<'a> {
        // activities by their manifest's directory: a file is covered only by activities whose
        // directory is above it, and a vendor is near those above or below its directory, so
        // each file looks at its ancestors and a range of directories instead of every
        // activity; a manifest's activities are added together, so its directory is made once
        // each manifest's directory, made once: (its first activity, the directory)
        let mut runs: Vec<(usize, Option<Box<Path>>)> = Vec::new();
        let mut last = None;
        for (i, a) in covers.acts.iter().enumerate() {
            if last != Some(a.file) {
                last = Some(a.file);
                let path = sources.get(a.file as usize).map(|s| s.path());
                let dir = path
                    .and_then(|p| crate::source::absolute(crate::source::dir_of(p)).ok())
                    .unwrap_or_default();
                runs.push((i, Some(dir.into_boxed_path())));
            }
        }
        // sorted, each once; several manifests may share a directory
        let mut order: Vec<usize> = (0..runs.len()).collect();
        crate::source::sort_by_path(&mut order, false, |&k| {
            runs[k].1.as_deref().unwrap_or(Path::new(""))
        });
        let mut dirs: Vec<Box<Path>> = Vec::new();
        let mut dir_of_run = vec![0u32; runs.len()];
        for k in order {
            let dir = runs[k]
                .1
                .take()
                .unwrap_or_else(|| PathBuf::new().into_boxed_path());
            if dirs.last() != Some(&dir) {
                dirs.push(dir);
            }
            dir_of_run[k] = u32::try_from(dirs.len() - 1).unwrap_or(u32::MAX);
        }
        let mut dir_of = vec![0u32; covers.len()];
        for (k, &(first, _)) in runs.iter().enumerate() {
            let end = runs.get(k + 1).map_or(covers.len(), |r| r.0);
            dir_of[first..end].fill(dir_of_run[k]);
        }
        drop((runs, dir_of_run));
        use std::hash::BuildHasher;
        let hasher = crate::hash::State::default();
        let hash = |dir: &Path| hasher.hash_one(crate::source::spelling(dir));
        let mut exact = hashbrown::HashTable::with_capacity(dirs.len());
        for (d, dir) in dirs.iter().enumerate() {
            let d = u32::try_from(d).unwrap_or(u32::MAX);
            exact.insert_unique(hash(dir), d, |&d| hash(&dirs[d as usize]));
        }
        let mut starts = vec![0u32; dirs.len() + 1];
        for &d in &dir_of {
            starts[d as usize + 1] += 1;
        }
        for d in 0..dirs.len() {
            starts[d + 1] += starts[d];
        }
        let mut members = vec![0u32; dir_of.len()];
        let mut next = starts.clone();
        for (i, &d) in dir_of.iter().enumerate() {
            members[next[d as usize] as usize] = u32::try_from(i).unwrap_or(u32::MAX);
            next[d as usize] += 1;
        }
        let seen = vec![0; covers.len()];
        Matcher {
            view: View {
                covers,
                texts: texts.texts(),
                sources,
                ids,
                dir_of,
                dirs,
                exact,
                hasher,
                starts,
                members,
                vendors,
                lang,
                rows,
            },
            state: State {
                table: Table::default(),
                seen,
                globs: Globs::default(),
            },
        }
    }

    /// The findings on one scanned file: each is in the file, or has its related location
    /// there.
    pub fn file(&mut self, file: &Scanned) -> Vec<Finding> {
        let (view, state) = (&self.view, &mut self.state);
        let (lang, rows, vendors) = (view.lang, view.rows, view.vendors);
        let table = &mut state.table;
        let tx = |en: String, fr: String| t(lang, en, fr);
        let mut findings = Vec::new();
        let abs = crate::source::absolute(file.source.path())
            .unwrap_or_else(|_| file.source.path().to_path_buf());
        let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
        let at_field = |f: &Field| {
            let p = file.place(f.span);
            (f.span, format!("{}:{}:{}", p.path, p.line, p.column))
        };
        if !file.fields.is_empty() {
            let covering: Vec<usize> = view
                .above(&dir)
                .into_iter()
                .filter(|&i| view.covers(i, &abs, &mut state.globs))
                .collect();
            let mut categories: Vec<Category> = file.fields.iter().map(|f| f.category).collect();
            categories.sort();
            categories.dedup();
            let bits = categories
                .iter()
                .fold(SCANNED_ANY, |bits, c| bits | 1 << (*c as u32));
            for &i in &covering {
                state.seen[i] |= bits;
            }
            table.summary.files_with_personal_data += 1;
            if !covering.is_empty() {
                table.summary.covered += 1;
            }
            if rows {
                table.files.push(FileRow {
                    path: file.rel.clone(),
                    categories: categories.clone(),
                    fields: file
                        .fields
                        .iter()
                        .map(|f| {
                            let p = file.position(f.span);
                            FieldRow {
                                name: f.name.clone(),
                                category: f.category,
                                line: p.line,
                                column: p.column,
                            }
                        })
                        .collect(),
                    covered_by: covering.iter().map(|&i| view.label(view.act(i))).collect(),
                });
            }
            if covering.is_empty() {
                let first = &file.fields[0];
                let list = categories
                    .iter()
                    .map(|c| c.word(lang))
                    .collect::<Vec<_>>()
                    .join(", ");
                findings.push(Finding {
                    rule: RuleId::CV001,
                    severity: Severity::Warning,
                    message: tx(
                        format!("personal data ({list}) in a data definition that no activity's `code:` covers"),
                        format!("données personnelles ({list}) dans une définition de données qu'aucun `code:` d'activité ne couvre"),
                    ),
                    label: tx(
                        format!("`{}` holds {} data", first.name, first.category.word(lang)),
                        format!("`{}` contient des données « {} »", first.name, first.category.word(lang)),
                    ),
                    help: tx(
                        "add this file to the `code:` of the activity that processes it, or write a manifest for it".to_string(),
                        "ajoutez ce fichier au `code:` de l'activité qui le traite, ou écrivez-lui un manifeste".to_string(),
                    ),
                    file: FileRef::Scanned,
                    span: first.span,
                    related: None,
                    activity: None,
                    gdpr: false,
                });
                return findings;
            }
            for category in &categories {
                if covering
                    .iter()
                    .any(|&i| view.declares(view.act(i), *category))
                {
                    continue;
                }
                let act = view.act(covering[0]);
                let field = file
                    .fields
                    .iter()
                    .find(|f| f.category == *category)
                    .expect("seen");
                let related = at_field(field);
                let special = category.special().is_some();
                let (rule, severity, key, span) = if special {
                    (
                        RuleId::CV002,
                        Severity::Error,
                        "special_categories",
                        act.special_span,
                    )
                } else {
                    (
                        RuleId::CV003,
                        Severity::Warning,
                        "data_categories",
                        view.data_categories(act).next().map(|c| c.1),
                    )
                };
                findings.push(Finding {
                    rule,
                    severity,
                    message: tx(
                        format!("the code stores {} data (`{}`), which `{key}` does not declare", category.word(lang), field.name),
                        format!("le code stocke des données « {} » (`{}`), que `{key}` ne déclare pas", category.word(lang), field.name),
                    ),
                    label: tx(
                        format!("{} data not declared", category.word(lang)),
                        format!("données « {} » non déclarées", category.word(lang)),
                    ),
                    help: if special {
                        tx(
                            format!("add `{}` to `special_categories` with its art. 9(2) condition, or stop storing `{}`", category.as_str(), field.name),
                            format!("ajoutez `{}` à `special_categories` avec son exception de l'art. 9(2), ou cessez de stocker `{}`", category.as_str(), field.name),
                        )
                    } else {
                        tx(
                            format!("add {} data to `data_categories`", category.word(lang)),
                            format!("ajoutez les données « {} » à `data_categories`", category.word(lang)),
                        )
                    },
                    file: FileRef::Manifest(act.file as usize),
                    span: span.unwrap_or(act.head),
                    related: Some(related),
                    activity: view.activity(act),
                    gdpr: special,
                });
            }
        }
        for (dep, vi) in &file.vendors {
            let v = &vendors.vendors[*vi];
            let mut near = view.above(&dir);
            near.extend(view.below(&dir));
            near.sort_unstable();
            near.dedup();
            for &a in near.iter().filter(|_| rows) {
                table
                    .detected
                    .entry(view.label(view.act(a)))
                    .or_default()
                    .insert(v.name.clone());
            }
            // the activities that name the vendor, with the `recipients` entry that does
            let naming: Vec<(usize, Span)> = near
                .iter()
                .filter_map(|&a| view.names_vendor(view.act(a), v).map(|span| (a, span)))
                .collect();
            table.summary.vendors += 1;
            if rows {
                table.vendors.push(VendorRow {
                    vendor: v.id.clone(),
                    name: v.name.clone(),
                    package: dep.name.clone(),
                    at: file.place(dep.span),
                    location: v.location.clone(),
                    transfer: v.transfer.clone(),
                    evidence: v.evidence.clone(),
                    privacy: v.privacy.clone(),
                    named_by: naming
                        .iter()
                        .map(|&(a, _)| view.label(view.act(a)))
                        .collect(),
                });
            }
            let p = file.place(dep.span);
            let dep_at = (dep.span, format!("{}:{}:{}", p.path, p.line, p.column));
            if naming.is_empty() {
                findings.push(Finding {
                    rule: RuleId::CV004,
                    severity: Severity::Warning,
                    message: tx(
                        format!("`{}` is {}'s SDK ({}), and no activity of a manifest in, above or below this directory names {} in `recipients`", dep.name, v.name, v.service, v.name),
                        format!("`{}` est le SDK de {} ({}), et aucune activité d'un manifeste de ce dossier, d'un parent ou d'un sous-dossier ne nomme {} dans `recipients`", dep.name, v.name, v.service, v.name),
                    ),
                    label: tx(format!("{} ({})", v.name, v.service), format!("{} ({})", v.name, v.service)),
                    help: tx(
                        format!("name {} in the `recipients` of the activities whose data it receives (vendor's DPA: {})", v.name, v.privacy),
                        format!("nommez {} dans les `recipients` des activités dont il reçoit les données (DPA du fournisseur : {})", v.name, v.privacy),
                    ),
                    file: FileRef::Scanned,
                    span: dep.span,
                    related: None,
                    activity: None,
                    gdpr: false,
                });
                continue;
            }
            // on each activity that names the vendor, with the dependency as related location
            let mut on_named =
                |(a, span): (usize, Span), severity: Severity, message: String, help: String| {
                    findings.push(Finding {
                        rule: RuleId::CV004,
                        severity,
                        message,
                        label: tx(
                            format!("{} receives this activity's data", v.name),
                            format!("{} reçoit les données de cette activité", v.name),
                        ),
                        help,
                        file: FileRef::Manifest(view.act(a).file as usize),
                        span,
                        related: Some(dep_at.clone()),
                        activity: view.activity(view.act(a)),
                        gdpr: true,
                    });
                };
            match v.outside_eea() {
                Some(false) => {}
                Some(true) => {
                    let where_ = v.location.as_deref().unwrap_or("?");
                    for &named in naming
                        .iter()
                        .filter(|(a, _)| !view.act(*a).transfer_with_safeguard)
                    {
                        on_named(
                            named,
                            Severity::Warning,
                            tx(
                                format!(
                                    "{} is a recipient, which ropa's vendor catalog places in {where_}, and no transfer with a safeguard is declared",
                                    v.name
                                ),
                                format!(
                                    "{} est destinataire, et le catalogue des fournisseurs de ropa le situe en {where_} ; aucun transfert avec garantie n'est déclaré",
                                    v.name
                                ),
                            ),
                            tx(
                                format!(
                                    "the catalog's location is not verified in a primary text: check {}'s DPA ({}), then declare the transfer under `transfers` with its safeguard",
                                    v.name, v.privacy
                                ),
                                format!(
                                    "la localisation du catalogue n'est pas vérifiée dans un texte primaire : consultez le DPA de {} ({}), puis déclarez le transfert sous `transfers` avec sa garantie",
                                    v.name, v.privacy
                                ),
                            ),
                        );
                    }
                }
                None => {
                    for &named in &naming {
                        on_named(
                            named,
                            Severity::Note,
                            tx(
                                format!(
                                    "ropa's vendor catalog does not know where {} processes data",
                                    v.name
                                ),
                                format!(
                                    "le catalogue des fournisseurs de ropa ne sait pas où {} traite les données",
                                    v.name
                                ),
                            ),
                            tx(
                                format!(
                                    "check {}'s DPA ({}) for a transfer outside the EEA",
                                    v.name, v.privacy
                                ),
                                format!(
                                    "vérifiez dans le DPA de {} ({}) s'il y a un transfert hors de l'EEE",
                                    v.name, v.privacy
                                ),
                            ),
                        );
                    }
                }
            }
        }
        findings
    }

    /// The table, and the findings that need every file seen (CV005).
    pub fn finish(self) -> (Table, Vec<Finding>) {
        let (view, state) = (self.view, self.state);
        let lang = view.lang;
        let tx = |en: String, fr: String| t(lang, en, fr);
        let mut findings = Vec::new();
        for (act, &seen) in (0..view.covers.len()).map(|i| view.act(i)).zip(&state.seen) {
            if seen & SCANNED_ANY == 0 {
                continue;
            }
            for (declared, declared_span) in view.data_categories(act) {
                let Some(category) = Category::ALL_PLAIN
                    .iter()
                    .copied()
                    .find(|c| words::declares(std::iter::once(declared), *c))
                else {
                    continue;
                };
                if seen & 1 << (category as u32) != 0 {
                    continue;
                }
                findings.push(Finding {
                    rule: RuleId::CV005,
                    severity: Severity::Note,
                    message: tx(
                        format!("`{declared}` is declared, and no data definition that `code:` covers has a {} field", category.word(lang)),
                        format!("`{declared}` est déclaré, et aucune définition de données couverte par `code:` n'a de champ « {} »", category.word(lang)),
                    ),
                    label: tx("not seen in the covered code".to_string(), "absent du code couvert".to_string()),
                    help: tx(
                        "remove it if the data is no longer processed, or add the code that holds it to `code:`".to_string(),
                        "retirez-la si la donnée n'est plus traitée, ou ajoutez à `code:` le code qui la contient".to_string(),
                    ),
                    file: FileRef::Manifest(act.file as usize),
                    span: declared_span,
                    related: None,
                    activity: view.activity(act),
                    gdpr: false,
                });
            }
        }
        (state.table, findings)
    }
}

/// A finding as a diagnostic, once the files it points into are numbered: `scanned` is the
/// index in the run's file list of the scanned file it was found on (`None` for the findings
/// [`Matcher::finish`] gives, which are all on manifests).
pub fn diagnostic(
    f: Finding,
    scanned: Option<usize>,
    gdpr: &[crate::diag::Citation],
    lang: Lang,
) -> Diagnostic {
    // a finding on a scanned file is only ever made while that file is matched
    let scanned = || scanned.expect("a finding on a scanned file comes with it");
    let file = match f.file {
        FileRef::Manifest(i) => i,
        FileRef::Scanned => scanned(),
    };
    let mut d = Diagnostic::new(f.rule, f.severity, file, f.message)
        .at(f.span)
        .label(f.label)
        .help(f.help);
    if let Some((span, at)) = f.related {
        d = d.note(t(
            lang,
            format!("the code: {at}"),
            format!("le code : {at}"),
        ));
        d.related.push(crate::diag::Related {
            file: scanned(),
            span,
            message: t(lang, "the code".to_string(), "le code".to_string()),
        });
    }
    if let Some((index, id)) = f.activity {
        d.activity = id;
        d.activity_index = Some(index);
    }
    if f.gdpr {
        d = d.cite(gdpr.iter().cloned());
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::model::Sp;

    /// The walk picks a file for the scan exactly when the scan would read it for its fields
    /// or its dependencies, on every mix of directory and file names (with backslashes, which
    /// Unix allows in a name, and the words looked for inside longer ones).
    #[test]
    fn the_walk_picks_what_the_scan_reads() {
        let dirs = [
            "",
            "app",
            "models",
            "app/model",
            "x/entities",
            "entity",
            "schemas",
            "json-schemas",
            "jsonschema",
            "modelsx",
            "my_models",
            "a\\models",
            "schema",
            "Models",
        ];
        let names = [
            "models.py",
            "views.py",
            "__init__.py",
            "user_model.py",
            "user.entity.ts",
            "index.ts",
            "a.js",
            "b.mjs",
            "openapi.yaml",
            "api.json",
            "x.schema.json",
            "a.sql",
            "a.prisma",
            "a.proto",
            "a.gql",
            "README.md",
            "package.json",
            "Cargo.toml",
            "x\\models.py",
            "X.PY",
            "noext",
        ];
        for d in dirs {
            for n in names {
                let rel = if d.is_empty() {
                    n.to_string()
                } else {
                    format!("{d}/{n}")
                };
                let scanned =
                    deps::reader(n).is_some() || fields::kind(&slashed(Path::new(&rel))).is_some();
                let picked = wanted(Path::new(&rel), std::ffi::OsStr::new(n));
                assert_eq!(picked, scanned, "{rel:?}");
            }
        }
    }

    fn sp(value: &str, at: usize) -> Sp<crate::manifest::model::Text> {
        Sp {
            value: value.into(),
            span: Span::new(at, at + value.len()),
        }
    }

    fn activity(index: usize, id: Option<&str>, at: usize) -> Activity {
        Activity {
            index,
            head: Span::new(at, at + 2),
            id: id.map(|id| sp(id, at + 3)),
            code: vec![
                sp("src/**", at + 10),
                sp(&format!("lib{index}/**"), at + 20),
            ],
            data_categories: vec![sp("identity", at + 30), sp(&format!("c{at}"), at + 40)],
            recipients: vec![sp("Stripe", at + 50)],
            ..Activity::default()
        }
    }

    /// Each activity's texts, spans, id and label read back as written, in file order, whatever
    /// order the files were added in and whatever came before them in the run's lists.
    #[test]
    fn kept_activities_read_back_as_written() {
        let texts = Interner::default();
        let files: [(usize, Vec<Activity>); 3] = [
            (1, vec![activity(0, Some("a"), 100), activity(1, None, 200)]),
            (2, vec![]),
            (4, vec![activity(0, Some("c"), 300)]),
        ];
        let sources: Vec<Source> = (0..5)
            .map(|i| Source::forgotten(format!("m{i}.yaml"), format!("/r/d{i}/m.yaml").into()))
            .collect();
        let mut ids = vec![ActivityIds::default(); 5];
        // added as workers finish, under tags, out of order; tag 0 is a file linted twice
        // under two names, which the run keeps once
        let mut covers = Covers::default();
        let mut tagged = vec![None; files.len() + 1];
        covers.add(0, FileCover::of(&[activity(0, Some("twice"), 0)], &texts));
        for (tag, (file, activities)) in files.iter().enumerate().rev() {
            ids[*file] = ActivityIds::of(activities);
            covers.add(tag + 1, FileCover::of(activities, &texts));
            tagged[tag + 1] = Some(*file);
        }
        covers.renumber(&tagged);
        let vendors = Catalog::built_in();
        let matcher = Matcher::new(&covers, &texts, &sources, &ids, &vendors, Lang::En, true);
        let view = &matcher.view;
        let written: Vec<(usize, &Activity)> = files
            .iter()
            .flat_map(|(f, acts)| acts.iter().map(move |a| (*f, a)))
            .collect();
        assert_eq!(view.covers.len(), written.len());
        for (i, (file, a)) in written.iter().enumerate() {
            let kept = view.act(i);
            assert_eq!(kept.file as usize, *file);
            let globs: Vec<&str> = view.globs(kept).collect();
            assert_eq!(globs, a.code.iter().map(|g| &*g.value).collect::<Vec<_>>());
            let categories: Vec<(&str, Span)> = view.data_categories(kept).collect();
            let want: Vec<(&str, Span)> = a
                .data_categories
                .iter()
                .map(|c| (&*c.value, c.span))
                .collect();
            assert_eq!(categories, want);
            let recipients: Vec<(&str, Span)> = view.recipients(kept).collect();
            assert_eq!(recipients, vec![("stripe", a.recipients[0].span)]);
            assert_eq!(view.id(kept), a.id_str());
            assert_eq!(kept.head, a.head);
            let shown = format!("m{file}.yaml");
            assert_eq!(view.label(kept), label(a.id_str(), &shown, a.index));
            // each activity is found in its own manifest's directory
            let dir = PathBuf::from(format!("/r/d{file}"));
            assert!(view.above(&dir.join("src")).contains(&i));
            assert!(view.below(Path::new("/r")).contains(&i));
            assert!(!view.below(&dir).contains(&i));
        }
    }

    /// Manifests that share a directory share its entry: a file below it is above-covered by
    /// the activities of both, a vendor below the root is near all of them.
    #[test]
    fn manifests_in_one_directory_share_it() {
        let texts = Interner::default();
        let paths = [
            "/r/a/processing.yaml",
            "/r/a/x.processing.yaml",
            "/r/a/b/processing.yaml",
        ];
        let sources: Vec<Source> = paths
            .iter()
            .map(|p| Source::forgotten(p.to_string(), p.into()))
            .collect();
        let ids = vec![ActivityIds::default(); 3];
        let mut covers = Covers::default();
        for file in [2, 0, 1] {
            covers.add(file, FileCover::of(&[activity(0, None, 10 * file)], &texts));
        }
        covers.renumber(&[Some(0), Some(1), Some(2)]);
        let vendors = Catalog::built_in();
        let matcher = Matcher::new(&covers, &texts, &sources, &ids, &vendors, Lang::En, false);
        let view = &matcher.view;
        assert_eq!(view.dirs.len(), 2);
        assert_eq!(view.above(Path::new("/r/a/src")), vec![0, 1]);
        assert_eq!(view.above(Path::new("/r/a/b/src")), vec![0, 1, 2]);
        assert_eq!(view.below(Path::new("/r")), vec![0, 1, 2]);
        assert_eq!(view.below(Path::new("/r/a")), vec![2]);
        assert!(view.above(Path::new("/elsewhere")).is_empty());
    }

    /// An activity's encoding reads back whole: offsets past 4 GiB and spans before its head
    /// (a flow mapping's values may come first), special categories, transfers, empty lists.
    #[test]
    fn an_activity_reads_back_whatever_its_numbers() {
        use crate::manifest::model::Transfer;
        use crate::manifest::vocab::{Safeguard, SpecialCategory};
        let texts = Interner::default();
        let far = usize::try_from(u64::from(u32::MAX) * 3).unwrap_or(usize::MAX - 100);
        let mut a = activity(7, Some("x"), far);
        a.data_categories.push(sp("health", 5));
        a.special_categories = vec![Sp {
            value: SpecialCategory::Health,
            span: Span::new(far - 40, far - 30),
        }];
        a.transfers = vec![Transfer {
            span: Span::new(far + 80, far + 100),
            country: None,
            safeguard: Some(Sp {
                value: Safeguard::Scc,
                span: Span::new(far + 90, far + 93),
            }),
            description: None,
        }];
        let bare = Activity {
            index: 8,
            head: Span::new(0, 0),
            ..Activity::default()
        };
        let mut covers = Covers::default();
        covers.add(0, FileCover::of(&[a.clone(), bare], &texts));
        covers.renumber(&[Some(0)]);
        let view = View {
            covers: &covers,
            texts: texts.texts(),
            sources: &[],
            ids: &[],
            dir_of: Vec::new(),
            dirs: Vec::new(),
            exact: hashbrown::HashTable::new(),
            hasher: crate::hash::State::default(),
            starts: Vec::new(),
            members: Vec::new(),
            vendors: &Catalog::built_in(),
            lang: Lang::En,
            rows: false,
        };
        let kept = view.act(0);
        assert_eq!((kept.index, kept.head), (7, a.head));
        assert_eq!(kept.special, 1 << (SpecialCategory::Health as u32));
        assert_eq!(kept.special_span, Some(Span::new(far - 40, far - 30)));
        assert!(kept.transfer_with_safeguard);
        let categories: Vec<(&str, Span)> = view.data_categories(kept).collect();
        let want: Vec<(&str, Span)> = a
            .data_categories
            .iter()
            .map(|c| (&*c.value, c.span))
            .collect();
        assert_eq!(categories, want);
        assert_eq!(
            view.recipients(kept).collect::<Vec<_>>(),
            vec![("stripe", a.recipients[0].span)]
        );
        let bare = view.act(1);
        assert_eq!((bare.index, bare.head), (8, Span::new(0, 0)));
        assert_eq!((bare.special, bare.special_span), (0, None));
        assert!(!bare.transfer_with_safeguard);
        assert_eq!(view.globs(bare).count(), 0);
        assert_eq!(view.data_categories(bare).count(), 0);
        assert_eq!(view.recipients(bare).count(), 0);
    }

    /// Every candidate is handed over once, in path order, across the windows it is read in:
    /// a file that could not be read as its problem, in its place.
    #[test]
    fn candidates_are_handed_over_in_path_order_across_windows() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        std::fs::create_dir(root.join(".git")).unwrap();
        let threads = crate::engine::cores();
        let n = 2 * WINDOW * threads + 7;
        let mut candidates = Vec::new();
        for i in (0..n).rev() {
            let path = root.join(format!("t{i:05}.sql"));
            if i == WINDOW * threads {
                // not UTF-8: a problem, on the edge of a window
                std::fs::write(&path, b"CREATE TABLE t (email \xff);").unwrap();
            } else {
                std::fs::write(&path, "CREATE TABLE users (email TEXT);").unwrap();
            }
            candidates.push(path);
        }
        let settings = Settings::defaults(root.clone());
        let (vendors, _) = crate::coverage::vendors::load(&settings);
        let mut seen = Vec::new();
        read_candidates(candidates.into_iter().collect(), &settings, &vendors, |r| {
            seen.push(match r {
                Ok(file) => file.rel,
                Err(problem) => format!("problem: {}", problem.one_line()),
            });
        });
        assert_eq!(seen.len(), n);
        for (i, got) in seen.iter().enumerate() {
            let name = format!("t{i:05}.sql");
            if i == WINDOW * threads {
                assert!(got.starts_with("problem: ") && got.contains(&name), "{got}");
            } else {
                assert_eq!(got, &name);
            }
        }
    }
}
