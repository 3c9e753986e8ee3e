//! The walk of a directory tree, on every core: each directory is listed once, and its ignore
//! files are found in that listing and read once, under the read policy, before anything below
//! it is looked at.
//!
//! What it ignores is what the `ignore` crate's walker ignores with discovery's settings
//! (hidden files walked, `.gitignore` honoured outside git too, no global excludes file): the
//! crate's own matchers (`ignore::gitignore`) match, and the order in which they are asked is
//! the crate's. A test walks random trees with both and compares. Owning the walk removes three
//! look-ups a directory (the safety check of a directory's ignore files looked for each one by
//! name before the crate read them) and the window between that check and the crate's read.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::held;
use super::read::{self, Known, Policy, ReadError};
use crate::diag::{Problem, ProblemKind};
use crate::i18n::Lang;
use crate::source::display_path;

/// The largest `.gitignore`, `.ignore` or `info/exclude` file the walk reads: a few megabytes
/// of patterns would take seconds and gigabytes to compile, and a link to `/dev/zero` would
/// never end.
pub(super) const MAX_IGNORE_FILE: u64 = 64 * 1024;

/// The most bytes of ignore files on one path from `/` down to a directory: the matchers of a
/// directory and of all the directories above it are held in memory together.
pub(super) const MAX_IGNORE_CHAIN: u64 = 256 * 1024;

/// Files of a directory handed to the callback by one worker at a time: a directory with more
/// files is shared out between the cores.
const FILES_AT_ONCE: usize = 64;

/// Told of a directory entered: its path and depth.
pub(super) type Entered<'a> = dyn Fn(&Path, usize) + Sync + 'a;

/// One walk.
pub(super) struct Walk<'a> {
    /// The directory walked, as given.
    pub(super) dir: &'a Path,
    /// The repository: links from ignore files must stay inside it (canonical).
    pub(super) base: &'a Path,
    /// How many levels below `dir` are read (`None`: all).
    pub(super) max_depth: Option<usize>,
    /// The language of the problems.
    pub(super) lang: Lang,
    /// Whether a directory is left out (the configuration's `exclude`).
    pub(super) excluded: &'a (dyn Fn(&Path) -> bool + Sync),
    /// Told of each directory entered, with its depth, before anything in it is read (one that
    /// is then not searched has been told of too; the walk reports why).
    pub(super) seen: Option<&'a Entered<'a>>,
    /// Each entry that is not a directory (a link is not followed), with its name and type;
    /// what it returns is a problem to report.
    pub(super) visit: &'a (dyn Fn(&Path, &OsStr, Kind) -> Option<String> + Sync),
}

/// Walks; returns the problems, in no particular order. A directory whose ignore files cannot
/// be read safely is not searched, and that is one of the problems.
pub(super) fn run(walk: &Walk<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let canonical = std::fs::canonicalize(walk.dir).ok();
    // the directories above the walked one: their rules apply too, matched with absolute paths
    // (as the crate does; none when the directory has no canonical path)
    let mut chain: Chain = None;
    let mut bytes = 0;
    let mut errors = Vec::new();
    let above = canonical.as_deref().unwrap_or(walk.dir);
    for dir in above
        .ancestors()
        .skip(1)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        // inside the repository, links are held to it; above it, only type and size count
        let policy = Policy {
            within: dir.starts_with(walk.base).then(|| walk.base.to_path_buf()),
            limit: MAX_IGNORE_FILE,
        };
        let own = own_rules(dir, Names::ALL, &policy, Known::Nothing, walk.lang)
            .and_then(|own| Ok((chained(dir, bytes, own.bytes, walk.lang)?, own)));
        match own {
            Ok((total, mut own)) => {
                bytes = total;
                errors.append(&mut own.problems);
                if canonical.is_some() {
                    chain = own.onto(dir, chain, true);
                }
            }
            Err(problem) => return vec![unread(not_searched(&problem, walk.dir, walk.lang))],
        }
    }
    problems.append(&mut errors);
    let start = Start::new(walk.dir, canonical.unwrap_or_default());
    let queue = Queue::new(Work::Dir(Dir {
        path: walk.dir.to_path_buf(),
        depth: 0,
        chain,
        bytes,
    }));
    let found = Mutex::new(problems);
    let threads = crate::engine::cores();
    let work = || {
        while let Some(item) = queue.next() {
            let _busy = Busy(&queue);
            let mut problems = Vec::new();
            match item {
                Work::Dir(dir) => enter(walk, &start, &queue, dir, &mut problems),
                Work::Files(files) => {
                    for (path, kind) in files {
                        problems.extend((walk.visit)(&path, name_of(&path), kind).map(unread));
                    }
                }
            }
            if !problems.is_empty() {
                held(&found).append(&mut problems);
            }
        }
    };
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
    found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A directory to enter.
struct Dir {
    path: PathBuf,
    depth: usize,
    /// The rules of the directories above it.
    chain: Chain,
    /// Bytes of ignore files from `/` down to its parent.
    bytes: u64,
}

enum Work {
    Dir(Dir),
    /// Files of a large directory, handed out in parts.
    Files(Vec<(PathBuf, Kind)>),
}

/// Lists a directory, reads its ignore files, hands its subdirectories to the queue and its
/// other entries to the callback.
fn enter(walk: &Walk<'_>, start: &Start, queue: &Queue, dir: Dir, problems: &mut Vec<Problem>) {
    let policy = Policy {
        within: Some(walk.base.to_path_buf()),
        limit: MAX_IGNORE_FILE,
    };
    // before anything in it is read: what changes after it was noted is seen by the next run
    // that compares (the table of untracked manifests)
    if let Some(seen) = walk.seen {
        seen(&dir.path, dir.depth);
    }
    if walk.max_depth.is_some_and(|max| dir.depth >= max) {
        // not listed, but its ignore files are looked at, as if it were
        let checked = own_rules(&dir.path, Names::ALL, &policy, Known::Nothing, walk.lang)
            .and_then(|own| chained(&dir.path, dir.bytes, own.bytes, walk.lang));
        if let Err(problem) = checked {
            problems.push(unread(not_searched(&problem, &dir.path, walk.lang)));
        }
        return;
    }
    // a directory below the start was listed as one: should a link have taken its place since,
    // it is not followed
    let said = |path: &Path, e: &std::io::Error| {
        unread(format!(
            "{}{} {}",
            display_path(path),
            crate::i18n::s(walk.lang, ":", " :"),
            crate::i18n::io_error(walk.lang, e)
        ))
    };
    let entries = match list(&dir.path, dir.depth == 0, &mut |path, e| {
        problems.push(said(path, &e));
    }) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(said(&dir.path, &e));
            return;
        }
    };
    let own = own_rules(
        &dir.path,
        Names::of(&entries),
        &policy,
        Known::Listed,
        walk.lang,
    )
    .and_then(|own| Ok((chained(&dir.path, dir.bytes, own.bytes, walk.lang)?, own)));
    let (bytes, mut own) = match own {
        Ok(checked) => checked,
        Err(problem) => {
            problems.push(unread(not_searched(&problem, &dir.path, walk.lang)));
            return;
        }
    };
    // a line the crate cannot compile is left out of the rules: said, as for the directories
    // above the walked one, whichever directory the walk starts from
    problems.append(&mut own.problems);
    let chain = own.onto(&dir.path, dir.chain, false);
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    for (path, kind) in entries {
        if ignored(chain.as_deref(), &path, kind.is_dir(), start) {
            continue;
        }
        if !kind.is_dir() {
            files.push((path, kind));
        } else if name_of(&path) != ".git" && !(walk.excluded)(&path) {
            dirs.push(Work::Dir(Dir {
                path,
                depth: dir.depth + 1,
                chain: chain.clone(),
                bytes,
            }));
        }
    }
    // what the other cores can take first, then this directory's first files
    while files.len() > FILES_AT_ONCE {
        dirs.push(Work::Files(files.split_off(files.len() - FILES_AT_ONCE)));
    }
    queue.push(dirs);
    for (path, kind) in files {
        problems.extend((walk.visit)(&path, name_of(&path), kind).map(unread));
    }
}

/// A path that could not be searched or read; the message names it.
pub(super) fn unread(message: String) -> Problem {
    Problem::new(ProblemKind::Unread, message)
}

/// What a directory entry is, as its directory's listing says (looked up only where the file
/// system does not say).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Dir,
    File,
    Link,
    /// A FIFO, a socket or a device.
    Other,
}

impl Kind {
    pub(crate) fn is_dir(self) -> bool {
        self == Kind::Dir
    }

    pub(crate) fn is_file(self) -> bool {
        self == Kind::File
    }

    pub(crate) fn is_symlink(self) -> bool {
        self == Kind::Link
    }

    #[cfg(unix)]
    fn of(kind: rustix::fs::FileType) -> Option<Kind> {
        use rustix::fs::FileType as T;
        Some(match kind {
            T::Directory => Kind::Dir,
            T::RegularFile => Kind::File,
            T::Symlink => Kind::Link,
            T::Unknown => return None,
            _ => Kind::Other,
        })
    }
}

/// Whether listings are to take no entry's kind from the system (debug builds only, for the
/// tests: `ROPA_TEST_NO_DTYPE`), as on file systems that do not say it, so that the look each
/// entry then needs is tested.
fn kinds_unknown() -> bool {
    #[cfg(debug_assertions)]
    {
        static UNKNOWN: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        *UNKNOWN.get_or_init(|| std::env::var_os("ROPA_TEST_NO_DTYPE").is_some())
    }
    #[cfg(not(debug_assertions))]
    false
}

/// A directory's entries, each path (the directory's joined with the name) with its kind, in
/// the order the system gives them; `follow`: whether the directory may be reached through a
/// link (the start of a walk), else it is refused if it is one. An entry that cannot be read or
/// whose kind cannot be had goes to `failed`, with the directory's path or the entry's. Opened
/// without waiting, and without the look that std's listing makes at every directory it opens
/// (one system call a directory).
pub(crate) fn list(
    dir: &Path,
    follow: bool,
    failed: &mut dyn FnMut(&Path, std::io::Error),
) -> std::io::Result<Vec<(PathBuf, Kind)>> {
    let mut entries = Vec::new();
    list_until(dir, follow, failed, &mut |path, kind| {
        entries.push((path, kind));
        false
    })?;
    Ok(entries)
}

/// [`list`], each entry handed to `each` as it is read, until `each` says it has what it
/// wanted (`true`): the rest is not read.
pub(crate) fn list_until(
    dir: &Path,
    follow: bool,
    failed: &mut dyn FnMut(&Path, std::io::Error),
    each: &mut dyn FnMut(PathBuf, Kind) -> bool,
) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use rustix::fs::{AtFlags, Mode, OFlags};
        use std::os::unix::ffi::OsStrExt;
        let mut flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NONBLOCK | OFlags::CLOEXEC;
        if !follow {
            flags |= OFlags::NOFOLLOW;
        }
        let fd = rustix::fs::open(dir, flags, Mode::empty())?;
        // one entry, or the error that ends the listing (it would not go away by asking
        // again): whether to read no further (an error, or `each` has what it wanted)
        let mut step = |entry: rustix::io::Result<(&std::ffi::CStr, rustix::fs::FileType)>| {
            let (name, kind) = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    failed(dir, e.into());
                    return true;
                }
            };
            let bytes = name.to_bytes();
            if bytes == b"." || bytes == b".." {
                return false;
            }
            let path = crate::source::joined(dir, OsStr::from_bytes(bytes));
            let kind = match Kind::of(kind).filter(|_| !kinds_unknown()) {
                Some(kind) => kind,
                None => match rustix::fs::statat(&fd, name, AtFlags::SYMLINK_NOFOLLOW) {
                    Ok(st) => Kind::of(rustix::fs::FileType::from_raw_mode(st.st_mode))
                        .unwrap_or(Kind::Other),
                    Err(e) => {
                        failed(&path, e.into());
                        return false;
                    }
                },
            };
            each(path, kind)
        };
        #[cfg(target_os = "linux")]
        {
            // a buffer as large as the C library's (std's listing): most directories are read
            // in one call, and a second says the end
            let mut buf = [std::mem::MaybeUninit::<u8>::uninit(); 32 * 1024];
            let mut listing = rustix::fs::RawDir::new(&fd, &mut buf);
            while let Some(entry) = listing.next() {
                if step(
                    entry
                        .as_ref()
                        .map(|e| (e.file_name(), e.file_type()))
                        .map_err(|e| *e),
                ) {
                    break;
                }
            }
        }
        #[cfg(not(target_os = "linux"))]
        {
            let mut listing = rustix::fs::Dir::read_from(&fd)?;
            while let Some(entry) = listing.read() {
                if step(
                    entry
                        .as_ref()
                        .map(|e| (e.file_name(), e.file_type()))
                        .map_err(|e| *e),
                ) {
                    break;
                }
            }
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        let _ = follow;
        for entry in std::fs::read_dir(dir)? {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    // as on unix: an error ends the listing
                    failed(dir, e);
                    break;
                }
            };
            let kind = match entry.file_type() {
                Ok(t) if t.is_dir() => Kind::Dir,
                Ok(t) if t.is_file() => Kind::File,
                Ok(t) if t.is_symlink() => Kind::Link,
                Ok(_) => Kind::Other,
                Err(e) => {
                    failed(&entry.path(), e);
                    continue;
                }
            };
            if each(entry.path(), kind) {
                break;
            }
        }
        Ok(())
    }
}

/// The name of a path the walk made by joining a directory and a name: what follows the last
/// `/` (cheaper than `Path::file_name`, which parses the path's components).
fn name_of(path: &Path) -> &OsStr {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        let start = memchr::memrchr(b'/', bytes).map_or(0, |i| i + 1);
        OsStr::from_bytes(&bytes[start..])
    }
    #[cfg(not(unix))]
    {
        path.file_name().unwrap_or_default()
    }
}

/// The work left, shared by the workers; the walk ends when none is left and no worker is busy
/// (a busy one may add more).
struct Queue {
    state: Mutex<State>,
    changed: Condvar,
}

struct State {
    /// Taken last in, first out: depth first, as the crate does, so that few directories wait.
    work: Vec<Work>,
    busy: usize,
    /// Workers waiting for work: only then is one woken (a wake-up is a system call).
    waiting: usize,
}

impl Queue {
    fn new(first: Work) -> Queue {
        Queue {
            state: Mutex::new(State {
                work: vec![first],
                busy: 0,
                waiting: 0,
            }),
            changed: Condvar::new(),
        }
    }

    /// The next piece of work, once there is some; `None` when the walk is over.
    fn next(&self) -> Option<Work> {
        let mut state = held(&self.state);
        loop {
            if let Some(work) = state.work.pop() {
                state.busy += 1;
                return Some(work);
            }
            if state.busy == 0 {
                return None;
            }
            state.waiting += 1;
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            state.waiting -= 1;
        }
    }

    fn push(&self, more: Vec<Work>) {
        if more.is_empty() {
            return;
        }
        let n = more.len();
        let mut state = held(&self.state);
        state.work.extend(more);
        let waiting = state.waiting;
        drop(state);
        if waiting > 0 && n == 1 {
            self.changed.notify_one();
        } else if waiting > 0 {
            self.changed.notify_all();
        }
    }
}

/// A worker's piece of work under way; when it ends (or panics), the worker is no longer busy.
struct Busy<'a>(&'a Queue);

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        let mut state = held(&self.0.state);
        state.busy -= 1;
        if state.busy == 0 && state.work.is_empty() && state.waiting > 0 {
            drop(state);
            self.0.changed.notify_all();
        }
    }
}

/// The rules of one directory that has some, and those of the directories above it.
struct Rules {
    /// From `.ignore`.
    ignore: Gitignore,
    /// From `.gitignore`.
    gitignore: Gitignore,
    /// From the `info/exclude` of the directory's `.git`.
    exclude: Gitignore,
    /// A directory above the walked one: its rules are matched with absolute paths.
    above: bool,
    /// The directory, as the crate's matcher would hold it (`None` for `.`); the matchers
    /// themselves are rooted at `.` and given paths already made relative to it
    /// ([`relative_to`]): the crate would compare its root with `.`, as paths, on every call.
    root: Option<PathBuf>,
    parent: Chain,
}

type Chain = Option<Arc<Rules>>;

/// The walked directory, as given and canonical, to make a path absolute for the rules above it.
struct Start {
    /// As given, without a leading `./`; `None` when given as `.`.
    given: Option<PathBuf>,
    canonical: PathBuf,
}

impl Start {
    /// What [`Start::absolute`] asks of the walked directory, worked out once (it is asked of
    /// every entry below ignore files above the walked directory).
    fn new(given: &Path, canonical: PathBuf) -> Start {
        let given = (given != Path::new("."))
            .then(|| strip_if_prefix(Path::new("./"), given).to_path_buf());
        Start { given, canonical }
    }

    /// `path` (below the walked directory, as the walk spells it) made absolute, as the crate
    /// does it.
    fn absolute(&self, path: &Path) -> PathBuf {
        let rel = match &self.given {
            None => path,
            Some(given) => strip_if_prefix(Path::new("/"), strip_if_prefix(given, path)),
        };
        crate::source::joined(&self.canonical, rel.as_os_str())
    }
}

/// Whether the rules ignore `path`: for each kind of file, the nearest directory whose rules
/// say something of it decides; `.ignore` then outranks `.gitignore`, which outranks
/// `info/exclude`.
fn ignored(chain: Option<&Rules>, path: &Path, is_dir: bool, start: &Start) -> bool {
    let path = strip_if_prefix(Path::new("./"), path);
    let (mut by_ignore, mut by_gitignore, mut by_exclude) = (Match::None, Match::None, Match::None);
    let mut absolute = None;
    let mut rules = chain;
    while let Some(r) = rules {
        let path = relative_to(
            r.root.as_deref(),
            if r.above {
                absolute
                    .get_or_insert_with(|| start.absolute(path))
                    .as_path()
            } else {
                path
            },
        );
        if by_ignore.is_none() {
            by_ignore = r.ignore.matched(path, is_dir).map(|_| ());
        }
        if by_gitignore.is_none() {
            by_gitignore = r.gitignore.matched(path, is_dir).map(|_| ());
        }
        if by_exclude.is_none() {
            by_exclude = r.exclude.matched(path, is_dir).map(|_| ());
        }
        rules = r.parent.as_deref();
    }
    by_ignore.or(by_gitignore).or(by_exclude).is_ignore()
}

/// `path` relative to a matcher's root, as the crate's matcher makes it before matching: a
/// leading `./` dropped, then the root and the `/` after it (not from a bare file name, nor
/// when the root is `.`); the whole path when nothing would be left.
fn relative_to<'a>(root: Option<&Path>, path: &'a Path) -> &'a Path {
    let dotless = strip_if_prefix(Path::new("./"), path);
    let Some(root) = root else {
        return dotless;
    };
    if !dotless.as_os_str().as_encoded_bytes().contains(&b'/') {
        // a bare file name
        return dotless;
    }
    match strip_prefix(root, dotless) {
        Some(rel) => {
            let rel = strip_if_prefix(Path::new("/"), rel);
            if rel.as_os_str().is_empty() {
                path
            } else {
                rel
            }
        }
        None => dotless,
    }
}

/// `path` without `prefix` when it starts with it, whole components only (a prefix ending in
/// `/` takes what follows), compared as bytes: the crate's own way.
fn strip_if_prefix<'a>(prefix: &Path, path: &'a Path) -> &'a Path {
    strip_prefix(prefix, path).unwrap_or(path)
}

/// `path` without `prefix`, if it starts with it ([`strip_if_prefix`]).
fn strip_prefix<'a>(prefix: &Path, path: &'a Path) -> Option<&'a Path> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let (pre, all) = (prefix.as_os_str().as_bytes(), path.as_os_str().as_bytes());
        let rest = all.strip_prefix(pre)?;
        (pre.last().is_none_or(|&b| b == b'/') || rest.first().is_none_or(|&b| b == b'/'))
            .then(|| Path::new(OsStr::from_bytes(rest)))
    }
    #[cfg(not(unix))]
    {
        path.strip_prefix(prefix).ok()
    }
}

/// Which ignore files a directory holds.
#[derive(Clone, Copy)]
struct Names {
    ignore: bool,
    gitignore: bool,
    git: bool,
}

impl Names {
    /// Not listed: every one is looked for.
    const ALL: Names = Names {
        ignore: true,
        gitignore: true,
        git: true,
    };

    fn of<T>(entries: &[(PathBuf, T)]) -> Names {
        let mut names = Names {
            ignore: false,
            gitignore: false,
            git: false,
        };
        for (path, _) in entries {
            match name_of(path).as_encoded_bytes() {
                b".ignore" => names.ignore = true,
                b".gitignore" => names.gitignore = true,
                b".git" => names.git = true,
                _ => {}
            }
        }
        names
    }
}

/// A directory's own rules, the bytes of the files they came from, and the lines of those files
/// left out of the rules (a pattern that is not a glob, a line that is not UTF-8), each at its
/// place.
struct Own {
    ignore: Gitignore,
    gitignore: Gitignore,
    exclude: Gitignore,
    bytes: u64,
    problems: Vec<Problem>,
}

impl Own {
    /// The chain with the rules of `dir` added, when it has any.
    fn onto(self, dir: &Path, chain: Chain, above: bool) -> Chain {
        if self.ignore.is_empty() && self.gitignore.is_empty() && self.exclude.is_empty() {
            return chain;
        }
        Some(Arc::new(Rules {
            ignore: self.ignore,
            gitignore: self.gitignore,
            exclude: self.exclude,
            above,
            root: Some(strip_if_prefix(Path::new("./"), dir))
                .filter(|root| root.as_os_str() != ".")
                .map(Path::to_path_buf),
            parent: chain,
        }))
    }
}

/// Reads and compiles a directory's ignore files, or says why they cannot be read safely.
fn own_rules(
    dir: &Path,
    names: Names,
    policy: &Policy,
    known: Known,
    lang: Lang,
) -> Result<Own, String> {
    let mut bytes = 0;
    let mut problems = Vec::new();
    let mut load = |file: &Path, present: bool, known: Known| -> Result<Gitignore, String> {
        if !present {
            return Ok(Gitignore::empty());
        }
        let Some(content) = ignore_file(file, policy, known, lang)? else {
            return Ok(Gitignore::empty());
        };
        bytes += content.len() as u64;
        let (rules, mut left_out) = compile(file, &content, lang);
        problems.append(&mut left_out);
        Ok(rules)
    };
    let ignore = load(
        &crate::source::joined(dir, OsStr::new(".ignore")),
        names.ignore,
        known,
    )?;
    let gitignore = load(
        &crate::source::joined(dir, OsStr::new(".gitignore")),
        names.gitignore,
        known,
    )?;
    let exclude = match names.git.then(|| git_dir(dir, policy, lang)) {
        Some(Ok(Some(git))) => load(&git.join("info/exclude"), true, Known::Nothing)?,
        Some(Err(problem)) => return Err(problem),
        _ => Gitignore::empty(),
    };
    Ok(Own {
        ignore,
        gitignore,
        exclude,
        bytes,
        problems,
    })
}

/// The git directory whose `info/exclude` applies to `dir`, as the crate finds it: `.git`
/// itself when it is a directory; where `.git` is a file (a submodule or a worktree), the
/// common directory named by the `commondir` file of the directory it names, if any.
fn git_dir(dir: &Path, policy: &Policy, lang: Lang) -> Result<Option<PathBuf>, String> {
    let dot_git = crate::source::joined(dir, OsStr::new(".git"));
    match std::fs::metadata(&dot_git) {
        Ok(meta) if meta.is_dir() => return Ok(Some(dot_git)),
        Ok(meta) if meta.is_file() => {}
        _ => return Ok(None),
    }
    let first_line = |path: &Path| -> Result<Option<String>, String> {
        Ok(ignore_file(path, policy, Known::Nothing, lang)?.and_then(|bytes| first_line(&bytes)))
    };
    let Some(real) =
        first_line(&dot_git)?.and_then(|line| line.strip_prefix("gitdir: ").map(PathBuf::from))
    else {
        return Ok(None);
    };
    Ok(first_line(&real.join("commondir"))?.map(|line| {
        if line.starts_with('.') {
            real.join(line)
        } else {
            PathBuf::from(line)
        }
    }))
}

/// The first line of a file, as a buffered reader gives it; `None` for an empty file or one
/// whose first line is not UTF-8.
fn first_line(bytes: &[u8]) -> Option<String> {
    lines(bytes)
        .next()
        .and_then(|line| String::from_utf8(line.to_vec()).ok())
}

/// The lines of a file as `BufRead::lines` gives them: without `\n`, or `\r\n`.
fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    bytes.split_inclusive(|&b| b == b'\n').map(|line| {
        line.strip_suffix(b"\n")
            .map_or(line, |l| l.strip_suffix(b"\r").unwrap_or(l))
    })
}

/// The bytes of an ignore file read under the policy; `None` when there is nothing to read
/// (gone, a broken link, a file that cannot be opened: the crate would read nothing either);
/// why not, when it must not be read.
fn ignore_file(
    path: &Path,
    policy: &Policy,
    known: Known,
    lang: Lang,
) -> Result<Option<Vec<u8>>, String> {
    let problem = match read::bytes_known(path, policy, known) {
        Ok(bytes) => return Ok(Some(bytes)),
        Err(ReadError::NotFound | ReadError::BrokenLink | ReadError::Io { .. }) => return Ok(None),
        Err(problem) => problem,
    };
    let shown = display_path(path);
    Err(match problem {
        ReadError::TooLarge { .. } => {
            let size = std::fs::metadata(path).map_or(0, |m| m.len());
            crate::i18n::t(
                lang,
                format!(
                    "{shown}: {size} bytes, over the {MAX_IGNORE_FILE}-byte limit for an ignore file"
                ),
                format!(
                    "{shown} : {size} octets, au-delà de la limite de {MAX_IGNORE_FILE} octets d'un fichier d'exclusion"
                ),
            )
        }
        ReadError::LinkOutside if policy.within.is_some() => crate::i18n::t(
            lang,
            format!("{shown}: a link out of the repository, or not to a regular file"),
            format!("{shown} : un lien hors du dépôt, ou pas vers un fichier ordinaire"),
        ),
        ReadError::NotRegular | ReadError::LinkOutside => crate::i18n::t(
            lang,
            format!("{shown}: not a regular file"),
            format!("{shown} : pas un fichier ordinaire"),
        ),
        e => {
            let colon = crate::i18n::s(lang, ":", " :");
            format!("{shown}{colon} {}", e.message(lang))
        }
    })
}

/// How many lines left out of one ignore file are said one by one, each drawn from the file;
/// past it, one more problem says how many others there are (a file of thousands of bad lines
/// would otherwise make thousands of drawings of the whole file).
const MAX_LEFT_OUT_SAID: usize = 20;

/// The rules of one ignore file (rooted at `.`: see [`Rules::root`]), as the crate compiles
/// them, and the lines left out of them, each a problem at its line (the first
/// [`MAX_LEFT_OUT_SAID`]): a line that is not UTF-8 (the crate reads nothing of it), a pattern
/// that is not a glob. A leading byte-order mark is dropped.
fn compile(file: &Path, bytes: &[u8], lang: Lang) -> (Gitignore, Vec<Problem>) {
    let mut builder = GitignoreBuilder::new(".");
    // (line, what is wrong with it)
    let mut left_out: Vec<(usize, String)> = Vec::new();
    for (i, line) in lines(bytes).enumerate() {
        let Ok(line) = std::str::from_utf8(line) else {
            let why = crate::i18n::s(lang, "it is not UTF-8", "elle n'est pas en UTF-8");
            left_out.push((i, why.to_string()));
            continue;
        };
        let line = if i == 0 {
            line.trim_start_matches('\u{feff}')
        } else {
            line
        };
        if builder.add_line(Some(file.to_path_buf()), line).is_err() {
            // why, for the lines that are said one by one
            let said = left_out.len() < MAX_LEFT_OUT_SAID;
            left_out.push((
                i,
                if said {
                    not_a_glob(line, lang)
                } else {
                    String::new()
                },
            ));
        }
    }
    let mut problems = Vec::new();
    if !left_out.is_empty() {
        // the file's text, to place each line (at most MAX_IGNORE_FILE bytes)
        let text = String::from_utf8_lossy(bytes).into_owned();
        let starts: Vec<usize> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        let source = Arc::new(crate::source::Source::new(
            display_path(file),
            file.to_path_buf(),
            text,
        ));
        let more = left_out.len().saturating_sub(MAX_LEFT_OUT_SAID);
        for (i, why) in left_out.into_iter().take(MAX_LEFT_OUT_SAID) {
            let start = starts[i];
            let line = &source.text[start..];
            let end = start + line.find(['\r', '\n']).unwrap_or(line.len());
            let message = crate::i18n::t(
                lang,
                format!("line left out of the ignore rules: {why}"),
                format!("ligne écartée des règles d'exclusion : {why}"),
            );
            problems.push(unread(message).at(source.clone(), crate::source::Span::new(start, end)));
        }
        if more > 0 {
            let shown = display_path(file);
            problems.push(unread(crate::i18n::t(
                lang,
                format!("{shown}: {more} more lines left out of the ignore rules"),
                format!("{shown} : {more} autres lignes écartées des règles d'exclusion"),
            )));
        }
    }
    let rules = builder.build().unwrap_or_else(|err| {
        let shown = display_path(file);
        problems.push(unread(crate::i18n::t(
            lang,
            format!("{shown}: its rules cannot be compiled ({err}); none is applied"),
            format!(
                "{shown} : ses règles ne peuvent pas être compilées ({err}) ; aucune n'est \
                 appliquée"
            ),
        )));
        Gitignore::empty()
    });
    (rules, problems)
}

/// Why a line is not a glob, in the user's language: the glob is built again as the crate
/// builds it, and the kind of its error told in words of ropa's own.
fn not_a_glob(line: &str, lang: Lang) -> String {
    use globset::ErrorKind as E;
    let kind = globset::GlobBuilder::new(line.trim())
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .err()
        .map(|e| e.kind().clone());
    let t = |en: String, fr: String| crate::i18n::t(lang, en, fr);
    match kind {
        Some(E::UnclosedClass) => t(
            "a `[` character class is not closed".into(),
            "une classe de caractères `[` n'est pas fermée".into(),
        ),
        Some(E::InvalidRange(a, b)) => t(
            format!("the range `{a}-{b}` runs backwards"),
            format!("l'intervalle `{a}-{b}` est à l'envers"),
        ),
        Some(E::UnopenedAlternates) => t(
            "a `}` closes no `{` group".into(),
            "une `}` ne ferme aucun groupe `{`".into(),
        ),
        Some(E::UnclosedAlternates) => t(
            "a `{` group is not closed".into(),
            "un groupe `{` n'est pas fermé".into(),
        ),
        Some(E::TooManyNestedAlternates) => t(
            "`{` groups are nested too deeply".into(),
            "des groupes `{` sont imbriqués trop profondément".into(),
        ),
        Some(E::DanglingEscape) => t(
            "it ends with a `\\` that escapes nothing".into(),
            "elle finit par un `\\` qui n'échappe rien".into(),
        ),
        _ => t(
            "it is not a pattern that can be compiled".into(),
            "ce n'est pas un motif qui peut être compilé".into(),
        ),
    }
}

/// Adds a directory's ignore files to those above it, within the limit for one path.
fn chained(dir: &Path, above: u64, own: u64, lang: Lang) -> Result<u64, String> {
    let total = above + own;
    if own > 0 && total > MAX_IGNORE_CHAIN {
        let shown = display_path(dir);
        return Err(crate::i18n::t(
            lang,
            format!(
                "{shown}: with the directories above it, {total} bytes of ignore files, over \
                 the {MAX_IGNORE_CHAIN}-byte limit for one path"
            ),
            format!(
                "{shown} : avec les dossiers au-dessus, {total} octets de fichiers d'exclusion, \
                 au-delà de la limite de {MAX_IGNORE_CHAIN} octets pour un chemin"
            ),
        ));
    }
    Ok(total)
}

fn not_searched(problem: &str, dir: &Path, lang: Lang) -> String {
    let dir = display_path(dir);
    crate::i18n::t(
        lang,
        format!("{problem}; not read, so {dir}/ was not searched"),
        format!("{problem} ; non lu, donc {dir}/ n'a pas été parcouru"),
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::harness::Rng;

    /// A listing gives each entry's kind as the system does, follows a link to the directory
    /// only where asked (the start of a walk), and stops where it is told to.
    #[cfg(unix)]
    #[test]
    fn a_listing_says_what_each_entry_is_and_follows_no_link_below_the_start() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("sub")).unwrap();
        std::fs::write(d.join("file.yaml"), "a: 1").unwrap();
        std::os::unix::fs::symlink(d.join("sub"), d.join("link")).unwrap();
        crate::harness::fifo(&d.join("fifo"));
        let mut failed = Vec::new();
        let mut entries = list(d, false, &mut |p, e| {
            failed.push((p.to_path_buf(), e.kind()))
        })
        .unwrap();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let want = [
            ("fifo", Kind::Other),
            ("file.yaml", Kind::File),
            ("link", Kind::Link),
            ("sub", Kind::Dir),
        ]
        .map(|(name, kind)| (d.join(name), kind));
        assert_eq!(entries, want);
        assert!(failed.is_empty());
        // a link where a directory was listed: refused below the start, followed at the start
        assert!(list(&d.join("link"), false, &mut |_, _| {}).is_err());
        assert_eq!(list(&d.join("link"), true, &mut |_, _| {}).unwrap(), []);
        assert!(list(&d.join("file.yaml"), true, &mut |_, _| {}).is_err());
        let mut seen = 0;
        list_until(d, false, &mut |_, _| {}, &mut |_, _| {
            seen += 1;
            seen == 2
        })
        .unwrap();
        assert_eq!(seen, 2);
    }

    const NAMES: &[&str] = &[
        "a",
        "b",
        "B",
        "build",
        ".hidden",
        "x.yaml",
        "processing.yaml",
        "a.log",
        "sub dir",
        "ab",
        "a.processing.yml",
    ];

    /// Patterns of every kind: anchored, directory-only, negated, `**`, classes, escapes,
    /// comments, blanks, one that is not a glob, and names of the tree.
    const PATTERNS: &[&str] = &[
        "*.yaml",
        "!processing.yaml",
        "build/",
        "/a",
        "a/**/b",
        "**/b",
        "# a comment",
        "\\!x",
        "*.log",
        "b",
        "!b/",
        "a/b",
        "[ab]",
        "!/a",
        "sub*",
        "x.*",
        "",
        "   ",
        "/build/",
        "!**/",
        "*/",
        ".hidden",
        "!.hidden",
        "a\\",
        "B",
        "ab/",
        "!*.processing.yml",
        "**/build/**",
        "{a,b}",
        "a/",
        "!ab",
        "*",
        "!a",
        "processing.yaml ",
        "\u{feff}b",
        // anchored below the top: they decide files under a walk started below it
        "b/a",
        "/a/b",
        "a/*.yaml",
        "/b/build/",
        "b/**/processing.yaml",
        "!/b/x.yaml",
    ];

    fn patterns(rng: &mut Rng) -> String {
        let n = 1 + rng.below(4);
        let mut text = (0..n)
            .map(|_| rng.pick(PATTERNS))
            .collect::<Vec<_>>()
            .join("\n");
        if rng.below(3) == 0 {
            text = text.replace('\n', "\r\n");
        }
        if rng.below(2) == 0 {
            text.push('\n');
        }
        text
    }

    /// A random tree of directories, files and ignore files (and sometimes a `.git` with an
    /// `info/exclude`) under `dir`.
    fn tree(rng: &mut Rng, dir: &Path, depth: usize) {
        for _ in 0..rng.below(7) {
            let path = dir.join(rng.pick(NAMES));
            if path.exists() {
                continue;
            }
            if depth < 3 && rng.below(2) == 0 {
                std::fs::create_dir(&path).unwrap();
                tree(rng, &path, depth + 1);
            } else {
                std::fs::write(&path, "x").unwrap();
            }
        }
        for name in [".gitignore", ".ignore"] {
            // the top's more often: its rules apply from above to walks started below it
            if rng.below(3) < if depth == 0 { 2 } else { 1 } {
                std::fs::write(dir.join(name), patterns(rng)).unwrap();
            }
        }
        if depth < 2 && rng.below(5) == 0 {
            std::fs::create_dir_all(dir.join(".git/info")).unwrap();
            std::fs::write(dir.join(".git/info/exclude"), patterns(rng)).unwrap();
            std::fs::write(dir.join(".git/HEAD"), "x").unwrap();
        }
    }

    /// The files and the directories the `ignore` crate's walker finds, configured as
    /// discovery used to configure it.
    fn by_the_crate(dir: &Path, max_depth: Option<usize>) -> Walked {
        let found = Mutex::new(Walked::default());
        ignore::WalkBuilder::new(dir)
            .hidden(false)
            .require_git(false)
            .git_global(false)
            .filter_entry(|e| {
                !(e.file_type().is_some_and(|t| t.is_dir()) && e.file_name() == ".git")
            })
            .max_depth(max_depth)
            .threads(2)
            .build_parallel()
            .run(|| {
                Box::new(|entry| {
                    let mut found = held(&found);
                    let e = match entry {
                        Ok(e) => e,
                        Err(e) => {
                            located(&e, None, &mut found.2);
                            return ignore::WalkState::Continue;
                        }
                    };
                    // a directory's own ignore files that did not compile, as the crate
                    // tells them (on the directory's entry; ripgrep shows them), for the
                    // directories it goes into (it reads a few at the depth limit too)
                    if let Some(err) = e
                        .error()
                        .filter(|_| max_depth.is_none_or(|m| e.depth() < m))
                    {
                        located(err, None, &mut found.2);
                    }
                    if e.file_type().is_some_and(|t| t.is_dir()) {
                        found.1.insert(e.path().to_path_buf());
                    } else {
                        found.0.insert(e.path().to_path_buf());
                    }
                    ignore::WalkState::Continue
                })
            });
        let mut found = found.into_inner().unwrap();
        found.2.sort();
        found
    }

    /// Files, directories and problems.
    type Walked = (BTreeSet<PathBuf>, BTreeSet<PathBuf>, Vec<String>);

    /// Where each of the crate's errors is: `path:line` for a line of an ignore file (the
    /// crate gathers them in lists, with the file's path and the depth around them), else its
    /// text.
    fn located(err: &ignore::Error, file: Option<&Path>, out: &mut Vec<String>) {
        match (err, file) {
            (ignore::Error::Partial(errors), _) => {
                errors.iter().for_each(|e| located(e, file, out))
            }
            (ignore::Error::WithDepth { err, .. }, _) => located(err, file, out),
            (ignore::Error::WithPath { path, err }, _) => located(err, Some(path), out),
            (ignore::Error::WithLineNumber { line, .. }, Some(file)) => {
                out.push(format!("{}:{line}", display_path(file)))
            }
            (other, _) => out.push(other.to_string()),
        }
    }

    /// The same of this walk's problems: `path:line` for one placed in a file.
    fn place_of(problem: &Problem) -> String {
        match (&problem.path, problem.range()) {
            (Some(path), Some((start, _))) => format!("{path}:{}", start.line),
            _ => problem.one_line(),
        }
    }

    fn by_this_walk(dir: &Path, max_depth: Option<usize>) -> Walked {
        let files = Mutex::new(BTreeSet::new());
        let dirs = Mutex::new(BTreeSet::new());
        let base = std::fs::canonicalize(dir).unwrap();
        let mut problems: Vec<String> = run(&Walk {
            dir,
            base: &base,
            max_depth,
            lang: Lang::En,
            excluded: &|_| false,
            seen: Some(&|path, _| {
                held(&dirs).insert(path.to_path_buf());
            }),
            visit: &|path, _, _| {
                held(&files).insert(path.to_path_buf());
                None
            },
        })
        .iter()
        .map(place_of)
        .collect();
        problems.sort();
        (
            files.into_inner().unwrap(),
            dirs.into_inner().unwrap(),
            problems,
        )
    }

    #[test]
    fn ignores_what_the_ignore_crate_ignores() {
        let mut ignored_somewhere = 0;
        for seed in 1..=300u64 {
            let top = tempfile::tempdir().unwrap();
            let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
            tree(&mut rng, top.path(), 0);
            // from the top, and from a directory below it (the top's rules then apply from
            // above, with absolute paths), spelt in the ways a user may spell it
            let relative = relative(top.path());
            let mut starts = vec![
                top.path().to_path_buf(),
                top.path().join("."),
                relative.clone(),
                Path::new(".").join(&relative),
            ];
            if let Some(d) = ["a", "b", "build", "ab", ".hidden", "B"]
                .into_iter()
                .find(|d| top.path().join(d).is_dir())
            {
                starts.extend([
                    top.path().join(d),
                    relative.join(d),
                    relative.join(d).join(""),
                ]);
            }
            for start in starts {
                let depth = [None, None, Some(1)][rng.below(3)];
                let expected = by_the_crate(&start, depth);
                let got = by_this_walk(&start, depth);
                let all = walkdir_count(&start);
                ignored_somewhere += usize::from(expected.0.len() < all);
                assert_eq!(
                    got,
                    expected,
                    "seed {seed}, from {}, depth {depth:?}",
                    start.display()
                );
            }
        }
        // the generated trees do exercise the rules
        assert!(ignored_somewhere > 100, "{ignored_somewhere}");
    }

    #[test]
    fn a_large_directory_is_shared_out_and_nothing_is_lost() {
        let top = tempfile::tempdir().unwrap();
        // several parts of FILES_AT_ONCE, and a remainder
        let n = FILES_AT_ONCE * 3 + 5;
        for i in 0..n {
            std::fs::write(top.path().join(format!("{i}.processing.yaml")), "x").unwrap();
            std::fs::write(top.path().join(format!("{i}.log")), "x").unwrap();
        }
        std::fs::write(top.path().join(".gitignore"), "*.log\n").unwrap();
        let walked = by_this_walk(top.path(), None);
        assert_eq!(walked, by_the_crate(top.path(), None));
        // the files and the `.gitignore`
        assert_eq!(walked.0.len(), n + 1);
    }

    /// `path` (absolute) relative to the current directory, through `..`: the rules of the
    /// directories above a walk are then matched with paths that differ from the walk's own.
    fn relative(path: &Path) -> PathBuf {
        let cwd = std::env::current_dir().unwrap();
        let mut rel: PathBuf = cwd.components().skip(1).map(|_| "..").collect();
        rel.push(path.strip_prefix("/").unwrap());
        rel
    }

    #[test]
    fn rules_above_the_start_are_matched_with_absolute_paths() {
        let top = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(top.path().join("a/d")).unwrap();
        for file in ["a/b", "a/c", "a/d/b"] {
            std::fs::write(top.path().join(file), "x").unwrap();
        }
        std::fs::write(top.path().join(".gitignore"), "a/b\n").unwrap();
        let start = relative(top.path()).join("a");
        let walked = by_this_walk(&start, None);
        assert_eq!(walked, by_the_crate(&start, None));
        assert_eq!(
            walked.0,
            BTreeSet::from([start.join("c"), start.join("d/b")]),
            "the top's anchored pattern ignores a/b only"
        );
    }

    /// The files under `dir`, none ignored (`.git` left out).
    fn walkdir_count(dir: &Path) -> usize {
        ignore::WalkBuilder::new(dir)
            .standard_filters(false)
            .filter_entry(|e| e.file_name() != ".git")
            .build()
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| !e.file_type().is_some_and(|t| t.is_dir()))
            })
            .count()
    }

    /// Every line left out of an ignore file is said at its line, in the user's language, each
    /// kind of mistake in words of its own: a line that is not UTF-8 (alone too, where the
    /// crate says nothing), a pattern that is not a glob.
    #[test]
    fn every_line_left_out_of_an_ignore_file_is_said_at_its_line() {
        let text = b"ok\n\xff\xfe\n[z-a]\r\nfoo\\\n[abc\n{a,b\na}\nlast/\n";
        for lang in [Lang::En, Lang::Fr] {
            let (rules, problems) = compile(Path::new("d/.gitignore"), text, lang);
            // `[abc` is read as git reads it, literally
            assert_eq!(rules.num_ignores(), 3, "{problems:?}");
            let said: Vec<(usize, usize, &str)> = problems
                .iter()
                .map(|p| {
                    let (start, end) = p.range().unwrap();
                    assert_eq!(p.path.as_deref(), Some("d/.gitignore"));
                    assert_eq!(start.line, end.line);
                    (start.line, end.column - start.column, p.message.as_str())
                })
                .collect();
            let lines: Vec<(usize, usize)> = said.iter().map(|(l, w, _)| (*l, *w)).collect();
            assert_eq!(lines, [(2, 2), (3, 5), (4, 4), (6, 4), (7, 2)]);
            let mut messages: Vec<&str> = said.iter().map(|(_, _, m)| *m).collect();
            messages.sort_unstable();
            messages.dedup();
            assert_eq!(messages.len(), 5, "{messages:?}");
            if lang == Lang::Fr {
                assert!(
                    messages.iter().all(|m| m.starts_with("ligne écartée")),
                    "{messages:?}"
                );
            }
        }
        // thousands of them: the first said at their lines, the rest counted
        let many = "[z-a]\n".repeat(10_000);
        let (_, problems) = compile(Path::new(".ignore"), many.as_bytes(), Lang::En);
        assert_eq!(problems.len(), MAX_LEFT_OUT_SAID + 1);
        assert_eq!(problems[MAX_LEFT_OUT_SAID - 1].range().unwrap().0.line, 20);
        let last = &problems[MAX_LEFT_OUT_SAID];
        assert!(last.range().is_none());
        assert_eq!(
            last.message,
            ".ignore: 9980 more lines left out of the ignore rules"
        );
        // alone
        let (_, problems) = compile(Path::new(".ignore"), b"\xff", Lang::En);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].range().unwrap().0.line, 1);
    }

    #[test]
    fn lines_are_split_as_a_buffered_reader_splits_them() {
        use std::io::BufRead;
        for text in [
            "", "a", "a\n", "a\r\nb", "a\rb\r", "\n\n", "a\r", "a\r\r\n", "\r\n",
        ] {
            let expected: Vec<String> = text.as_bytes().lines().map(Result::unwrap).collect();
            let got: Vec<String> = lines(text.as_bytes())
                .map(|l| String::from_utf8(l.to_vec()).unwrap())
                .collect();
            assert_eq!(got, expected, "{text:?}");
        }
    }
}
