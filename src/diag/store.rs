//! Where a run keeps its findings until the renderers draw them: encoded, file by file, in a
//! log that moves to an unnamed temporary file once it passes 1 MiB. A large repository's
//! findings (tens of thousands, with their messages, notes and citations) then cost a few
//! bytes each in memory, whatever their number; the renderers decode them one file at a time,
//! in the sink's order.
//!
//! A worker encodes a file's findings as soon as they are final ([`Findings::encode`]); the run
//! places each batch under its file's number once files are numbered ([`Findings::add`]).
//! Nothing is lost if the temporary file cannot be made or written: the log stays in memory.

use std::io::{Seek, SeekFrom, Write};
use std::sync::{Mutex, PoisonError};

use super::{Diagnostic, Severity};

/// Past this many bytes of encoded findings, the log moves to a temporary file.
pub const SPILL_AT: usize = 1 << 20;

/// One file's findings, encoded in the log.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Encoded {
    at: u64,
    len: u32,
    /// Notes, warnings and errors, by [`Severity`] as a number.
    counts: [u32; 3],
    /// Whether every finding is placed ([`Diagnostic::is_placed`]).
    placed: bool,
}

impl Encoded {
    /// How many findings the batch holds.
    pub fn len(&self) -> usize {
        self.counts.iter().map(|&c| c as usize).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A batch placed under its file.
#[derive(Clone, Copy, Debug)]
struct Slot {
    file: usize,
    batch: Encoded,
}

/// The bytes: the oldest in the temporary file, the newest in memory (offsets past what the
/// file holds).
#[derive(Debug, Default)]
struct Log {
    file: Option<(std::fs::File, u64)>,
    memory: Vec<u8>,
    /// The temporary file could not be made or written: everything stays in memory.
    failed: bool,
}

impl Log {
    fn end(&self) -> u64 {
        self.file.as_ref().map_or(0, |(_, len)| *len) + self.memory.len() as u64
    }

    fn append(&mut self, bytes: &[u8], spill_at: usize) -> u64 {
        let at = self.end();
        self.memory.extend_from_slice(bytes);
        if self.memory.len() > spill_at && !self.failed {
            self.spill();
        }
        at
    }

    /// Moves what is in memory to the end of the temporary file; on any failure it stays.
    fn spill(&mut self) {
        if self.file.is_none() {
            match tempfile::tempfile() {
                Ok(f) => self.file = Some((f, 0)),
                Err(_) => {
                    self.failed = true;
                    return;
                }
            }
        }
        let Some((f, len)) = self.file.as_mut() else {
            return;
        };
        let written = f
            .seek(SeekFrom::Start(*len))
            .and_then(|_| f.write_all(&self.memory));
        match written {
            Ok(()) => {
                *len += self.memory.len() as u64;
                // the room is kept for the next batches: no large buffer is made and freed again
                self.memory.clear();
            }
            Err(_) => {
                // what may have been written past `len` is never read
                self.failed = true;
            }
        }
    }

    fn read(&mut self, at: u64, len: u32) -> Vec<u8> {
        let in_file = self.file.as_ref().map_or(0, |(_, l)| *l);
        if at >= in_file {
            let start = usize::try_from(at - in_file).unwrap_or(usize::MAX);
            return self
                .memory
                .get(start..start.saturating_add(len as usize))
                .unwrap_or_default()
                .to_vec();
        }
        let mut bytes = vec![0; len as usize];
        // one call where the system reads at an offset (no seek first)
        #[cfg(unix)]
        let read = self.file.as_ref().map(|(f, _)| {
            use std::os::unix::fs::FileExt;
            f.read_exact_at(&mut bytes, at)
        });
        #[cfg(not(unix))]
        let read = self.file.as_mut().map(|(f, _)| {
            use std::io::Read;
            f.seek(SeekFrom::Start(at))
                .and_then(|_| f.read_exact(&mut bytes))
        });
        match read {
            Some(Ok(())) => bytes,
            // the run's own temporary file, written moments ago, cannot be read back: nothing
            // can be reported truthfully (the app turns this into exit status 2)
            _ => panic!("the temporary file holding the findings could not be read back"),
        }
    }
}

/// The run's findings, in the sink's order when iterated: by file (files are numbered in path
/// order), then byte offset, rule and message.
#[derive(Debug)]
pub struct Findings {
    /// Sorted by file; a file's batches in the order they were added.
    slots: Vec<Slot>,
    log: Mutex<Log>,
    spill_at: usize,
}

impl Default for Findings {
    fn default() -> Self {
        Findings::new()
    }
}

impl Findings {
    pub fn new() -> Self {
        // debug builds only (the tests'): every batch goes through the temporary file
        #[cfg(debug_assertions)]
        let spill_at = match std::env::var("ROPA_TEST_SPILL_AT") {
            Ok(v) => v.parse().unwrap_or(SPILL_AT),
            Err(_) => SPILL_AT,
        };
        #[cfg(not(debug_assertions))]
        let spill_at = SPILL_AT;
        Findings {
            slots: Vec::new(),
            log: Mutex::new(Log::default()),
            spill_at,
        }
    }

    /// Findings given whole (a single file, a report rebuilt after filtering).
    pub fn from_vec(diags: Vec<Diagnostic>) -> Self {
        let mut findings = Findings::new();
        findings.extend(diags);
        findings
    }

    /// Encodes one file's findings into the log (from any thread); [`Findings::add`] places
    /// them under the file.
    pub fn encode(&self, diags: &[Diagnostic]) -> Encoded {
        if diags.is_empty() {
            return Encoded::default();
        }
        let mut counts = [0u32; 3];
        for d in diags {
            counts[d.severity as usize] += 1;
        }
        let placed = diags.iter().all(Diagnostic::is_placed);
        // the types are plain data with lengths known: encoding them into memory does not fail,
        // and if it ever did, nothing could be reported truthfully (the app turns the panic
        // into exit status 2) rather than findings lost in silence
        let bytes = postcard::to_allocvec(diags)
            .unwrap_or_else(|e| panic!("the findings could not be kept for the report: {e}"));
        let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
        let at = self
            .log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .append(&bytes, self.spill_at);
        Encoded {
            at,
            len,
            counts,
            placed,
        }
    }

    /// Places a batch under its file, after the file's earlier batches (cheap when files come
    /// in order, as the run adds them).
    pub fn add(&mut self, file: usize, batch: Encoded) {
        if batch.is_empty() {
            return;
        }
        let at = self.slots.partition_point(|s| s.file <= file);
        self.slots.insert(at, Slot { file, batch });
    }

    /// Encodes findings of any files and places them, each file's after its earlier ones.
    pub fn extend(&mut self, mut diags: Vec<Diagnostic>) {
        diags.sort_by_key(|d| d.file);
        let mut more = Vec::new();
        for group in diags.chunk_by(|a, b| a.file == b.file) {
            let batch = self.encode(group);
            more.push(Slot {
                file: group[0].file,
                batch,
            });
        }
        // one stable sort, not an insertion a file (a finding on every manifest of a large
        // repository): a file's earlier batches stay first
        self.slots.append(&mut more);
        self.slots.sort_by_key(|s| s.file);
    }

    /// How many findings.
    pub fn len(&self) -> usize {
        self.slots.iter().map(|s| s.batch.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// How many findings of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.slots
            .iter()
            .map(|s| s.batch.counts[severity as usize] as usize)
            .sum()
    }

    /// The files with findings, in order.
    pub fn files(&self) -> impl Iterator<Item = usize> + '_ {
        once_each(self.slots.iter())
    }

    /// The files with a finding that is not placed ([`Diagnostic::is_placed`]), in order: the
    /// ones a renderer without snippets reads again.
    pub fn files_unplaced(&self) -> impl Iterator<Item = usize> + '_ {
        once_each(self.slots.iter().filter(|s| !s.batch.placed))
    }

    /// Keeps the findings `keep` says yes to (the order does not change).
    pub fn retain(&mut self, mut keep: impl FnMut(&Diagnostic) -> bool) {
        let kept: Vec<Diagnostic> = self.iter().filter(|d| keep(d)).collect();
        *self = Findings::from_vec(kept);
    }

    /// Every finding, in the sink's order, decoded and drawn by `draw` on every core, and
    /// handed to `each` in that order, on the calling thread, as soon as what comes before it
    /// is: the writer then only writes. A finding `draw` hands back (`Err`: it needs what only
    /// the writer has) is handed to `each` as it is, in its place. The threads take a few files
    /// at a time and keep at most [`PARTS_AHEAD`] parts ahead of the writer, so what is held at
    /// once stays small however many findings there are.
    pub fn drawn(
        &self,
        draw: impl Fn(Diagnostic) -> Result<String, Box<Diagnostic>> + Sync,
        mut each: impl FnMut(Result<String, Box<Diagnostic>>),
    ) {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
        let files: Vec<&[Slot]> = self.slots.chunk_by(|a, b| a.file == b.file).collect();
        // a few files, or fewer when they hold many findings
        let mut parts: Vec<&[&[Slot]]> = Vec::new();
        let (mut start, mut findings) = (0, 0);
        for (i, slots) in files.iter().enumerate() {
            findings += slots.iter().map(|s| s.batch.len()).sum::<usize>();
            if findings >= FINDINGS_A_PART || i + 1 - start == FILES_A_PART || i + 1 == files.len()
            {
                parts.push(&files[start..=i]);
                (start, findings) = (i + 1, 0);
            }
        }
        let draw_part = |part: &[&[Slot]]| -> Vec<Result<String, Box<Diagnostic>>> {
            part.iter()
                .flat_map(|slots| self.decode(slots).into_iter().map(&draw))
                .collect()
        };
        let threads = crate::engine::cores();
        if threads < 2 || parts.len() < 2 {
            for part in &parts {
                draw_part(part).into_iter().for_each(&mut each);
            }
            return;
        }
        let next = AtomicUsize::new(0);
        // how many parts were written; whether a thread stopped (it panicked, the writer too):
        // the others then stop waiting, and the panic is the caller's
        let written = (Mutex::new(0usize), std::sync::Condvar::new());
        let stopped = AtomicBool::new(false);
        struct Stop<'a>(&'a AtomicBool, &'a std::sync::Condvar);
        impl Drop for Stop<'_> {
            fn drop(&mut self) {
                if std::thread::panicking() {
                    self.0.store(true, Relaxed);
                    self.1.notify_all();
                }
            }
        }
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::scope(|scope| {
            for _ in 0..threads {
                let tx = tx.clone();
                let (next, written, stopped, draw_part, parts) =
                    (&next, &written, &stopped, &draw_part, &parts);
                scope.spawn(move || {
                    let _stop = Stop(stopped, &written.1);
                    loop {
                        let i = next.fetch_add(1, Relaxed);
                        if i >= parts.len() {
                            return;
                        }
                        let mut done = written.0.lock().unwrap_or_else(PoisonError::into_inner);
                        while i >= *done + PARTS_AHEAD && !stopped.load(Relaxed) {
                            done = written.1.wait(done).unwrap_or_else(PoisonError::into_inner);
                        }
                        drop(done);
                        if stopped.load(Relaxed) || tx.send((i, draw_part(parts[i]))).is_err() {
                            return;
                        }
                    }
                });
            }
            drop(tx);
            // the writer stopping (a panic while writing) stops the threads too
            let _stop = Stop(&stopped, &written.1);
            // parts come in any order: each is written once those before it are
            let mut ready = std::collections::BTreeMap::new();
            let mut want = 0;
            for (i, drawn) in rx {
                ready.insert(i, drawn);
                while let Some(drawn) = ready.remove(&want) {
                    drawn.into_iter().for_each(&mut each);
                    want += 1;
                    *written.0.lock().unwrap_or_else(PoisonError::into_inner) = want;
                    written.1.notify_all();
                }
            }
        });
    }

    /// Every finding, decoded one file at a time, in the sink's order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            findings: self,
            next: 0,
            pending: Vec::new(),
        }
    }

    fn read(&self, batch: Encoded) -> Vec<u8> {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .read(batch.at, batch.len)
    }

    /// One file's findings, sorted.
    fn decode(&self, slots: &[Slot]) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        for slot in slots {
            let bytes = self.read(slot.batch);
            let batch: Vec<Diagnostic> = postcard::from_bytes(&bytes).unwrap_or_else(|e| {
                panic!("the findings kept for the report could not be read back: {e}")
            });
            diags.extend(batch.into_iter().map(|mut d| {
                d.file = slot.file;
                d
            }));
        }
        diags.sort_by(super::sink::order);
        diags
    }
}

/// How many files' findings a thread of [`Findings::drawn`] decodes and draws at a time, at
/// most: fewer once they hold [`FINDINGS_A_PART`] findings. Parts of 16 files and 128 findings
/// cost the human report 5 to 10% of a whole run's time in hand-overs between the threads
/// (`bench/profile-notes.md`, stop 49).
const FILES_A_PART: usize = 64;
const FINDINGS_A_PART: usize = 512;

/// How far ahead of the writer the threads of [`Findings::drawn`] may draw, in parts: what is
/// held drawn and not yet written is a few parts, a few thousand findings, however many there
/// are in all.
const PARTS_AHEAD: usize = 4;

/// The files of slots in file order, each once.
fn once_each<'a>(slots: impl Iterator<Item = &'a Slot>) -> impl Iterator<Item = usize> {
    let mut files = slots.map(|s| s.file).peekable();
    std::iter::from_fn(move || {
        let file = files.next()?;
        while files.next_if_eq(&file).is_some() {}
        Some(file)
    })
}

impl<'a> IntoIterator for &'a Findings {
    type Item = Diagnostic;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// [`Findings::iter`].
pub struct Iter<'a> {
    findings: &'a Findings,
    /// The next slot to decode.
    next: usize,
    /// The current file's findings not yet given, last first.
    pending: Vec<Diagnostic>,
}

impl Iterator for Iter<'_> {
    type Item = Diagnostic;

    fn next(&mut self) -> Option<Diagnostic> {
        if self.pending.is_empty() {
            let slots = &self.findings.slots[self.next..];
            let file = slots.first()?.file;
            let n = slots.iter().take_while(|s| s.file == file).count();
            self.pending = self.findings.decode(&slots[..n]);
            self.pending.reverse();
            self.next += n;
        }
        self.pending.pop()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{AppliedDeviation, Citation, Related, RuleId};
    use crate::source::Span;

    /// Findings of several files, added out of order, with every field set somewhere.
    fn sample() -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for i in 0..60usize {
            let file = (i * 7) % 5;
            let severity = [Severity::Error, Severity::Warning, Severity::Note][i % 3];
            let code = RuleId::ALL[i % RuleId::ALL.len()];
            let mut d = Diagnostic::new(code, severity, file, format!("finding {i} \"é\"\n"))
                .at(Span::new(100 - i, 120 - i))
                .label("here")
                .secondary(Span::new(1, 2), "there")
                .help("do this")
                .note("a note")
                .cite([Citation {
                    title: "CNIL".into(),
                    url: (i % 2 == 0).then(|| "https://cnil.fr".into()),
                }]);
            d.activity = Some(format!("a{i}"));
            d.activity_index = Some(i);
            if i % 3 == 1 {
                d.placed = Some(crate::diag::Placed {
                    start: crate::source::Position { line: i, column: 2 },
                    end: crate::source::Position {
                        line: i + 1,
                        column: 1,
                    },
                    text: (i % 2 == 0).then(|| format!("value {i}")),
                    excerpt: (i % 4 == 0).then(|| crate::diag::Excerpt {
                        at: i,
                        line: 3,
                        text: format!("  key: value {i}\n"),
                    }),
                });
            }
            if i % 4 == 0 {
                d.deviation = Some(AppliedDeviation {
                    justification: "ok".into(),
                    approved_by: None,
                });
                d.related.push(Related {
                    file: 3,
                    span: Span::new(4, 9),
                    message: "the code".into(),
                });
            }
            out.push(d);
        }
        out
    }

    fn sorted(mut v: Vec<Diagnostic>) -> Vec<Diagnostic> {
        v.sort_by(crate::diag::sink::order);
        v
    }

    #[test]
    fn findings_come_back_whole_in_the_sinks_order_in_memory_and_spilled() {
        for spill_at in [0, 1_000, SPILL_AT] {
            let mut findings = Findings::new();
            findings.spill_at = spill_at;
            findings.extend(sample());
            assert_eq!(findings.len(), 60);
            assert_eq!(findings.count(Severity::Error), 20);
            assert_eq!(findings.files().collect::<Vec<_>>(), vec![0, 1, 2, 3, 4]);
            let spilled = findings.log.lock().unwrap().file.is_some();
            assert_eq!(spilled, spill_at < SPILL_AT, "spill_at {spill_at}");
            let back: Vec<Diagnostic> = findings.iter().collect();
            assert_eq!(back, sorted(sample()), "spill_at {spill_at}");
            // read twice: a report and a SARIF file from one run
            assert_eq!(findings.iter().count(), 60);
        }
    }

    /// Findings drawn on every core come back in the sink's order, each once, those handed
    /// back in their places, from far more parts than are drawn ahead; a panic while drawing
    /// is the caller's, not a hang.
    #[test]
    fn findings_drawn_on_every_core_are_written_in_order() {
        let mut findings = Findings::new();
        findings.spill_at = 1_000;
        let many: Vec<Diagnostic> = (0..6_000usize)
            .map(|i| {
                Diagnostic::new(
                    RuleId::ALL[i % 7],
                    Severity::Warning,
                    i % 2_999,
                    format!("{i}"),
                )
                .at(Span::new(i % 13, 20))
            })
            .collect();
        findings.extend(many);
        let expected: Vec<String> = findings.iter().map(|d| d.message).collect();
        assert!(findings.files().count() > FILES_A_PART * PARTS_AHEAD * 8);
        let mut got = Vec::new();
        let mut handed_back = 0;
        findings.drawn(
            |d| {
                if d.message.ends_with('7') {
                    Err(Box::new(d))
                } else {
                    Ok(d.message)
                }
            },
            |drawn| match drawn {
                Ok(text) => got.push(text),
                Err(d) => {
                    handed_back += 1;
                    got.push(d.message);
                }
            },
        );
        assert_eq!(got, expected);
        assert_eq!(handed_back, 600);
        let crashed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            findings.drawn(
                |d| {
                    assert!(d.file != 500, "a bug while drawing");
                    Ok(d.message)
                },
                |_| {},
            )
        }));
        assert!(crashed.is_err());
        // the writer too
        let crashed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            findings.drawn(|d| Ok(d.message), |_| panic!("a bug while writing"))
        }));
        assert!(crashed.is_err());
    }

    #[test]
    fn batches_of_one_file_are_merged_and_retain_keeps_the_order() {
        let mut findings = Findings::new();
        findings.spill_at = 0;
        let all = sample();
        let (early, late): (Vec<_>, Vec<_>) = all.iter().cloned().partition(|d| d.file % 2 == 0);
        // a worker's batch per file, then the repository rules' findings for any file
        for file in [4, 0, 2] {
            let batch: Vec<_> = early.iter().filter(|d| d.file == file).cloned().collect();
            let encoded = findings.encode(&batch);
            findings.add(file, encoded);
        }
        findings.extend(late);
        assert_eq!(findings.iter().collect::<Vec<_>>(), sorted(all.clone()));
        findings.retain(|d| d.severity != Severity::Note);
        let kept: Vec<_> = sorted(all)
            .into_iter()
            .filter(|d| d.severity != Severity::Note)
            .collect();
        assert_eq!(findings.iter().collect::<Vec<_>>(), kept);
        assert_eq!(findings.count(Severity::Note), 0);
    }

    /// The files a renderer without snippets reads again are those with a finding that is not
    /// placed with its text, whichever batch it came in.
    #[test]
    fn the_files_read_again_are_those_with_a_finding_not_placed() {
        let placed = |file: usize, text: Option<&str>| {
            let mut d = Diagnostic::new(RuleId::ALL[0], Severity::Warning, file, "m".into());
            d.placed = Some(crate::diag::Placed {
                start: crate::source::Position { line: 1, column: 1 },
                end: crate::source::Position { line: 1, column: 3 },
                text: text.map(str::to_string),
                excerpt: None,
            });
            d
        };
        // with a span: placed only with the lines the human format draws
        let spanned = |file: usize, lines: bool| {
            let mut d = placed(file, Some("d")).at(Span::new(0, 1));
            if let Some(p) = d.placed.as_mut() {
                p.excerpt = lines.then(|| crate::diag::Excerpt {
                    at: 0,
                    line: 1,
                    text: "d\n".into(),
                });
            }
            d
        };
        let bare = |file: usize| Diagnostic::new(RuleId::ALL[1], Severity::Note, file, "n".into());
        for spill_at in [0, SPILL_AT] {
            let mut findings = Findings::new();
            findings.spill_at = spill_at;
            // 0: all placed; 1: one of two not; 2: placed, its text too long to keep; 3: none;
            // 4: placed in one batch, not in a later one; 5: a span placed without its lines;
            // 6: a span placed with them
            findings.extend(vec![
                spanned(5, false),
                spanned(6, true),
                placed(0, Some("a")),
                placed(0, Some("")),
                placed(1, Some("b")),
                bare(1),
                placed(2, None),
                bare(3),
                placed(4, Some("c")),
            ]);
            findings.extend(vec![bare(4)]);
            assert_eq!(
                findings.files().collect::<Vec<_>>(),
                vec![0, 1, 2, 3, 4, 5, 6]
            );
            assert_eq!(
                findings.files_unplaced().collect::<Vec<_>>(),
                vec![1, 2, 3, 4, 5]
            );
            // the place comes back whole
            let back: Vec<_> = findings.iter().filter(|d| d.file == 0).collect();
            assert_eq!(back[0].placed, placed(0, Some("a")).placed);
        }
    }

    #[test]
    fn nothing_is_lost_when_the_temporary_file_cannot_be_written() {
        let mut findings = Findings::new();
        findings.spill_at = 0;
        findings.log.lock().unwrap().failed = true;
        findings.extend(sample());
        assert!(findings.log.lock().unwrap().file.is_none());
        assert_eq!(findings.iter().collect::<Vec<_>>(), sorted(sample()));
    }
}
