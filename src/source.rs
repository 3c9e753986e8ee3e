//! Loaded files: display path, text, line starts; byte offset ↔ line/column.

use std::path::{Path, PathBuf};

/// A byte range into a [`Source`]'s text.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A span in 8 bytes, for what is kept of every activity of a large repository until the run
/// is assembled: offsets as `u32` (a manifest is read whole, far below 4 GiB; a larger offset is
/// clamped), and a value for no span, where `Option` would take 12 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span32 {
    start: u32,
    end: u32,
}

impl Span32 {
    /// No span.
    pub const NONE: Span32 = Span32 {
        start: u32::MAX,
        end: u32::MAX,
    };

    pub fn of(span: Span) -> Span32 {
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX - 1).min(u32::MAX - 1);
        Span32 {
            start: n(span.start),
            end: n(span.end),
        }
    }

    /// The span, unless this is [`Span32::NONE`].
    pub fn get(self) -> Option<Span> {
        (self != Span32::NONE).then(|| Span::new(self.start as usize, self.end as usize))
    }
}

/// A position for people: 1-based line, 1-based column counted in characters.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A file's names, kept for every file of a large run: the path as shown, the path relative to
/// the repository and the path on disk, in one allocation where they share their text. The path
/// in the repository is most often the end of the path as shown, and the path as shown the path
/// on disk itself or its end (a tree named by its absolute path below the working directory);
/// each is stored apart only when it is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// The path on disk when the path as shown is its end, else the path as shown; then the
    /// path in the repository when it is not the end of the path as shown.
    text: Box<str>,
    /// Where the path as shown starts and ends in `text`.
    from: u32,
    shown: u32,
    /// Where the path in the repository starts in `text` (it ends with `text`); [`NO_REPO`]:
    /// not known.
    repo: u32,
    /// The path on disk, when `text` does not start with it.
    path: Option<Box<Path>>,
}

/// [`Names::repo`]: the path in the repository is not known.
const NO_REPO: u32 = u32::MAX;

impl Names {
    pub fn new(display: String, path: PathBuf) -> Names {
        let Ok(shown) = u32::try_from(display.len()) else {
            // a name of 4 GiB cannot be shown; kept as its path alone
            return Names::new(String::new(), path);
        };
        if path.as_os_str() == std::ffi::OsStr::new(&display) {
            return Names {
                text: display.into_boxed_str(),
                from: 0,
                shown,
                repo: NO_REPO,
                path: None,
            };
        }
        // the path as shown is the end of the path on disk: one text for both
        if let Some(whole) = path.to_str()
            && whole.ends_with(&display)
            && let Ok(end) = u32::try_from(whole.len())
        {
            return Names {
                text: whole.into(),
                from: end - shown,
                shown: end,
                repo: NO_REPO,
                path: None,
            };
        }
        Names {
            text: display.into_boxed_str(),
            from: 0,
            shown,
            repo: NO_REPO,
            path: Some(path.into_boxed_path()),
        }
    }

    /// The path as shown to users.
    pub fn display(&self) -> &str {
        &self.text[self.from as usize..self.shown as usize]
    }

    /// The path on disk.
    pub fn path(&self) -> &Path {
        self.path
            .as_deref()
            .unwrap_or_else(|| Path::new(&self.text[..self.shown as usize]))
    }

    /// The path relative to the repository's root, when known.
    pub fn in_repo(&self) -> Option<&str> {
        (self.repo != NO_REPO).then(|| &self.text[self.repo as usize..])
    }

    /// Sets the path in the repository; shares the text of the path as shown when it ends so.
    pub fn set_in_repo(&mut self, in_repo: Option<&str>) {
        let shown = self.shown as usize;
        // a path in the repository kept after the path as shown is given back first
        if self.text.len() != shown {
            self.text = self.text[..shown].into();
        }
        self.repo = NO_REPO;
        let Some(in_repo) = in_repo else { return };
        if self.display().ends_with(in_repo) {
            self.repo = (shown - in_repo.len()) as u32;
        } else {
            let mut text = String::with_capacity(shown + in_repo.len());
            text.push_str(&self.text[..shown]);
            text.push_str(in_repo);
            self.text = text.into_boxed_str();
            self.repo = self.shown;
        }
    }

    /// The path as shown, then on disk: the order a report lists files in.
    pub fn key(&self) -> (&str, &Path) {
        (self.display(), self.path())
    }
}

/// One loaded file.
#[derive(Debug)]
pub struct Source {
    /// Its names: as shown to users (relative to the working directory when below it, `/`
    /// separated), on disk, and relative to the repository's root (`/` separated, when the
    /// engine knows it: the same whatever the working directory; SARIF `%SRCROOT%`,
    /// fingerprints).
    names: Names,
    pub text: String,
    /// Where each line starts, made when a position is first asked for: most files are checked
    /// and let go without one.
    line_starts: std::sync::OnceLock<Box<[usize]>>,
    /// The text was let go by `forget`.
    forgotten: bool,
}

impl Source {
    pub fn new(display: String, path: PathBuf, text: String) -> Self {
        Self::named(Names::new(display, path), text)
    }

    /// A file with its names made already.
    pub fn named(names: Names, text: String) -> Self {
        Self {
            names,
            text,
            line_starts: std::sync::OnceLock::new(),
            forgotten: false,
        }
    }

    /// Where each line starts; none for a text let go (everything is then at 1:1).
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            if self.forgotten {
                return Box::default();
            }
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
    }

    /// A file whose text was let go ([`Source::forget`]), for the tests.
    #[cfg(test)]
    pub fn forgotten(display: String, path: PathBuf) -> Self {
        Self::forgotten_named(Names::new(display, path))
    }

    /// A file whose text was let go, with its names made already.
    pub fn forgotten_named(names: Names) -> Self {
        Self {
            names,
            text: String::new(),
            line_starts: std::sync::OnceLock::new(),
            forgotten: true,
        }
    }

    /// The path as shown to users: relative to the working directory when below it, `/`
    /// separated.
    pub fn display(&self) -> &str {
        self.names.display()
    }

    /// The path on disk.
    pub fn path(&self) -> &Path {
        self.names.path()
    }

    /// The path relative to the repository's root, `/` separated, when the engine knows it.
    pub fn in_repo(&self) -> Option<&str> {
        self.names.in_repo()
    }

    pub fn set_in_repo(&mut self, in_repo: Option<&str>) {
        self.names.set_in_repo(in_repo);
    }

    pub fn names(&self) -> &Names {
        &self.names
    }

    /// The names, the text let go.
    pub fn into_names(self) -> Names {
        self.names
    }

    /// The line and column of a byte offset (clamped to the text and to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.floor_boundary(offset);
        // a text let go has no line starts: everything is at 1:1
        let line_starts = self.line_starts();
        let line = line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = line_starts.get(line).copied().unwrap_or(0);
        let column = self.text[start..offset].chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// The byte offset of a 1-based line and character column (clamped to the line's end).
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let line_starts = self.line_starts();
        let Some(&start) = line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let end = line_starts
            .get(line)
            .map_or(self.text.len(), |&next| next - 1);
        let line_text = &self.text[start..end];
        let within = line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i);
        start + within
    }

    fn floor_boundary(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// A span clamped to the text and to character boundaries.
    pub fn clamp(&self, span: Span) -> Span {
        let start = self.floor_boundary(span.start);
        let end = self.floor_boundary(span.end.max(start));
        Span::new(start, end)
    }

    /// Lets the text go (a file without findings need not be kept).
    pub fn forget(&mut self) {
        self.text = String::new();
        self.line_starts = std::sync::OnceLock::new();
        self.forgotten = true;
    }

    /// The path to key findings by: relative to the repository when known, else as shown.
    pub fn key(&self) -> &str {
        self.in_repo().unwrap_or(self.display())
    }

    /// Whether the text was let go by `forget` (the engine reads it again, under its read
    /// policy, when a late finding needs it).
    pub fn is_forgotten(&self) -> bool {
        self.forgotten
    }
}

/// A path with `/` between its parts whatever the system, `.` parts left out, each part read as
/// UTF-8 (lossily): how a relative path is shown, matched by globs and keyed.
pub fn slashed(path: &std::path::Path) -> String {
    // most paths are already so: plain UTF-8, relative, each part a name
    if let Some(s) = plain(path)
        && !s.starts_with('/')
    {
        return s.to_string();
    }
    slashed_parts(path)
}

/// A path's text when it reads as its parts joined by `/` (UTF-8, no empty or `.` part, no
/// trailing `/`), so that it can be shown and matched as it is; `None` for any other path.
fn plain(path: &Path) -> Option<&str> {
    let s = path.to_str().filter(|_| cfg!(unix))?;
    plain_bytes(s.as_bytes()).then_some(s)
}

/// [`plain`]'s test on a path's bytes (Unix): no part is `.`, and only the first (before a
/// leading `/`) may be empty.
fn plain_bytes(b: &[u8]) -> bool {
    // one pass over the bytes (a run asks this of every path it sees)
    let mut start = 0;
    for end in (0..b.len()).filter(|&i| b[i] == b'/').chain([b.len()]) {
        let part = &b[start..end];
        if part == b"." || (part.is_empty() && (start != 0 || end == b.len())) {
            return false;
        }
        start = end + 1;
    }
    true
}

/// [`slashed`], part by part (any path).
fn slashed_parts(path: &std::path::Path) -> String {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The directory a file is in: `.` for a file named without one (`Path::parent` gives the empty
/// path there, which no system call accepts).
pub fn dir_of(path: &std::path::Path) -> &std::path::Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."))
}

/// `dir.join(name)`, made in one allocation of the size it ends at: `Path::join` copies `dir`
/// into a buffer of its own length and grows it for the name, two allocations and a copy more,
/// on every entry the walk lists. The same path as `join` for any `dir` and `name`.
pub fn joined(dir: &Path, name: &std::ffi::OsStr) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::{OsStrExt, OsStringExt};
        let (d, n) = (dir.as_os_str().as_bytes(), name.as_bytes());
        // a name that starts at the root replaces the directory, and an empty directory takes
        // no separator: `join`'s own cases
        if !d.is_empty() && !n.starts_with(b"/") {
            let sep = !d.ends_with(b"/");
            let mut v = Vec::with_capacity(d.len() + usize::from(sep) + n.len());
            v.extend_from_slice(d);
            if sep {
                v.push(b'/');
            }
            v.extend_from_slice(n);
            return PathBuf::from(std::ffi::OsString::from_vec(v));
        }
    }
    dir.join(name)
}

/// A path's bytes in one spelling shared by every path equal to it ([`Path`]'s `==` compares
/// parts, so `a//b/.` equals `a/b`): what to hash a path by. A plain path ([`plain_bytes`]) is
/// its own spelling and is not copied; std hashes a path part by part, which a lookup of every
/// ancestor of every file coverage reads paid on each.
pub fn spelling(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    let bytes = path.as_os_str().as_encoded_bytes();
    if cfg!(unix) && plain_bytes(bytes) {
        return std::borrow::Cow::Borrowed(bytes);
    }
    let parts: PathBuf = path.components().collect();
    std::borrow::Cow::Owned(parts.into_os_string().into_encoded_bytes())
}

/// A path's directory and name, when every part of it is a name (a root may lead): what
/// `path.parent()` and `path.file_name()` give when `path.components()` holds only
/// `Normal` and `RootDir`; `None` for any other path. An orderly path ([`orderly`], most) is
/// split at its last `/`, without parsing its parts twice.
pub fn names_only(path: &Path) -> Option<(&Path, &std::ffi::OsStr)> {
    #[cfg(unix)]
    {
        use std::{ffi::OsStr, os::unix::ffi::OsStrExt};
        let bytes = path.as_os_str().as_bytes();
        if orderly(bytes) {
            let (dir, name) = match memchr::memrchr(b'/', bytes) {
                Some(0) => (&bytes[..1], &bytes[1..]),
                Some(at) => (&bytes[..at], &bytes[at + 1..]),
                None => (&bytes[..0], bytes),
            };
            return Some((Path::new(OsStr::from_bytes(dir)), OsStr::from_bytes(name)));
        }
    }
    use std::path::Component;
    let all_names = path
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::RootDir));
    all_names.then(|| Some((path.parent()?, path.file_name()?)))?
}

/// The part of `path` (below `start`) after `start`, when it is one or more names: what
/// `path.strip_prefix(start)` gives when the rest holds only `Normal` parts and has a parent
/// (is not empty); `None` otherwise. Two orderly paths are compared as bytes.
pub fn names_below<'p>(path: &'p Path, start: &Path) -> Option<&'p Path> {
    #[cfg(unix)]
    {
        use std::{ffi::OsStr, os::unix::ffi::OsStrExt};
        let (p, s) = (path.as_os_str().as_bytes(), start.as_os_str().as_bytes());
        if orderly(p) && orderly(s) {
            let rest = p.strip_prefix(s)?.strip_prefix(b"/")?;
            return (!rest.is_empty()).then(|| Path::new(OsStr::from_bytes(rest)));
        }
    }
    use std::path::Component;
    let rest = path.strip_prefix(start).ok()?;
    let names = rest.components().all(|c| matches!(c, Component::Normal(_)));
    (names && rest.parent().is_some()).then_some(rest)
}

/// The working directory, asked once: ropa never changes it, and asking costs a system call
/// (`std::path::absolute` asks on every call).
fn cwd() -> Option<&'static Path> {
    static CWD: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    CWD.get_or_init(|| std::env::current_dir().ok()).as_deref()
}

/// [`std::path::absolute`], with the working directory asked once ([`cwd`]).
pub fn absolute(path: impl AsRef<Path>) -> std::io::Result<PathBuf> {
    let path = path.as_ref();
    // a plain absolute path is its own absolute form, which std would rebuild part by part (a
    // run asks for every file's)
    let rooted =
        |p: &Path| p.as_os_str().as_encoded_bytes().starts_with(b"/") && plain(p).is_some();
    match cwd() {
        _ if rooted(path) => Ok(path.to_path_buf()),
        Some(cwd) if path.is_relative() && !path.as_os_str().is_empty() => {
            let joined = cwd.join(path);
            if rooted(&joined) {
                return Ok(joined);
            }
            std::path::absolute(joined)
        }
        _ => std::path::absolute(path),
    }
}

/// `path` relative to `root`, `/`-separated ([`slashed`]), when it is `root` or below it, part
/// by part as [`Path::strip_prefix`] says.
pub fn below(path: &Path, root: &Path) -> Option<String> {
    // two plain paths (most) are compared as text: their parts are what `/` separates
    if let (Some(p), Some(r)) = (plain(path), plain(root)) {
        return match p.strip_prefix(r)? {
            "" => Some(String::new()),
            rest => rest.strip_prefix('/').map(str::to_string),
        };
    }
    path.strip_prefix(root).ok().map(slashed)
}

/// Sorts `items` by the path each holds, in [`Path`]'s order (part by part), each path once
/// when `dedup`. When every path is orderly ([`orderly`]), that order is the order of their
/// bytes with `/` below every other byte, which is what is compared: std's comparison goes part
/// by part after the common prefix, and coverage sorts a list of every candidate file and every
/// manifest directory on the one thread that assembles a run.
pub fn sort_by_path<'p, T>(items: &mut Vec<T>, dedup: bool, path: impl Fn(&T) -> &'p Path) {
    let bytes = |t: &T| path(t).as_os_str().as_encoded_bytes();
    if items.iter().all(|t| orderly(bytes(t))) {
        items.sort_unstable_by(|a, b| orderly_cmp(bytes(a), bytes(b)));
        if dedup {
            items.dedup_by(|a, b| bytes(a) == bytes(b));
        }
    } else {
        items.sort_unstable_by(|a, b| path(a).cmp(path(b)));
        if dedup {
            items.dedup_by(|a, b| path(a) == path(b));
        }
    }
}

/// Whether a path's bytes are its parts joined by `/` and each part a name (Unix): plain
/// ([`plain_bytes`]) and without a `..` part. Two such paths are equal when their bytes are,
/// and ordered as [`orderly_cmp`] says.
fn orderly(b: &[u8]) -> bool {
    cfg!(unix) && plain_bytes(b) && !has_parent_part(b)
}

/// Whether a plain path's bytes ([`plain_bytes`]) hold a `..` part.
fn has_parent_part(b: &[u8]) -> bool {
    b.split(|&c| c == b'/').any(|part| part == b"..")
}

/// The order of two orderly paths ([`orderly`]): their bytes compared with `/` below every
/// other byte. Parts compare as byte strings, and a part that is a prefix of another sorts
/// first, as the `/` (or the end) that follows it does.
fn orderly_cmp(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let i = common_prefix(a, b);
    let rank = |c: Option<&u8>| c.map(|&c| if c == b'/' { 0 } else { u16::from(c) + 1 });
    rank(a.get(i)).cmp(&rank(b.get(i)))
}

/// How many bytes two byte strings share at their start, eight at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= n {
        let (Ok(x), Ok(y)) = (
            <[u8; 8]>::try_from(&a[i..i + 8]),
            <[u8; 8]>::try_from(&b[i..i + 8]),
        ) else {
            break;
        };
        let diff = u64::from_le_bytes(x) ^ u64::from_le_bytes(y);
        if diff != 0 {
            return i + (diff.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// Whether a path has no `.` or `..` part: [`lexical`] gives it as it is.
fn resolved(path: &Path) -> bool {
    match plain(path) {
        // a plain path has no `.` part; whether it has a `..` one is seen in its text
        Some(s) => !has_parent_part(s.as_bytes()),
        None => resolved_by_parts(path),
    }
}

/// [`resolved`], part by part (any path).
fn resolved_by_parts(path: &Path) -> bool {
    !path.components().any(|c| {
        matches!(
            c,
            std::path::Component::ParentDir | std::path::Component::CurDir
        )
    })
}

/// A path with its `.` and `..` parts resolved as written (`/a/b/../c` is `/a/c`),
/// without asking the file system: what `..` in a path given on the command line means to the
/// person who wrote it. Paths compared to a root, and the directories above a path, are taken
/// from this form, so that `ropa lint ../other` finds `../other`'s configuration and repository,
/// not the working directory's. A path without such parts is returned as it is.
pub fn lexical(path: &Path) -> std::borrow::Cow<'_, Path> {
    use std::path::Component;
    if resolved(path) {
        return std::borrow::Cow::Borrowed(path);
    }
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            // `..` after a name takes it away; at the root it stays there; at the start of a
            // relative path (or after another `..`) it is kept
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The path as users see it: relative to the working directory when below it, `/` separated,
/// no leading `./`.
pub fn display_path(path: &Path) -> String {
    let rel = if path.is_absolute() {
        cwd()
            .and_then(|cwd| path.strip_prefix(cwd).ok())
            .unwrap_or(path)
    } else {
        path
    };
    // most paths are shown as they are (one copy, where the parts below make one a part)
    match plain(rel) {
        Some(s) => s.to_string(),
        None => shown_by_parts(rel),
    }
}

/// [`display_path`] of a path relative to the working directory, or absolute outside it, part
/// by part (any path).
fn shown_by_parts(rel: &Path) -> String {
    let joined = slashed(rel);
    if joined.is_empty() && !rel.has_root() {
        // the working directory itself
        return ".".into();
    }
    if rel.has_root() && !joined.starts_with('/') && cfg!(unix) {
        format!("/{}", joined.trim_start_matches('/'))
    } else {
        joined.replace("//", "/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path shown as it is shows as it would part by part; the others take the long way.
    #[test]
    fn paths_shown_as_they_are_show_as_part_by_part() {
        for p in [
            "a/b/processing.yaml",
            "processing.yaml",
            "a/../b.yaml",
            "../x/processing.yaml",
            "./a/b.yaml",
            "a/./b.yaml",
            "a//b.yaml",
            "a/b/",
            "a/.",
            ".",
            "..",
            "/outside/x/processing.yaml",
            "/outside//x.yaml",
            "/outside/./x.yaml",
            "/outside/x/",
            "//outside/x",
            "/",
            "a\\b/c:d.yaml",
            "é/ü.yaml",
        ] {
            assert_eq!(
                display_path(Path::new(p)),
                shown_by_parts(Path::new(p)),
                "{p:?}"
            );
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let p = Path::new(std::ffi::OsStr::from_bytes(b"a/\xff/b.yaml"));
            assert_eq!(display_path(p), "a/\u{fffd}/b.yaml");
        }
    }

    /// A tree named by its absolute path below the working directory: the path as shown is the
    /// end of the path on disk, and both are one text; the path in the repository joins them.
    #[test]
    fn a_path_shown_as_the_end_of_the_path_on_disk_shares_its_text() {
        let mut n = Names::new(
            "corpus/a/processing.yaml".into(),
            "/work/repo/corpus/a/processing.yaml".into(),
        );
        assert!(n.path.is_none());
        assert_eq!(n.display(), "corpus/a/processing.yaml");
        assert_eq!(n.path(), Path::new("/work/repo/corpus/a/processing.yaml"));
        n.set_in_repo(Some("a/processing.yaml"));
        assert_eq!(n.in_repo(), Some("a/processing.yaml"));
        assert_eq!(n.display(), "corpus/a/processing.yaml");
        assert_eq!(&*n.text, "/work/repo/corpus/a/processing.yaml");
        n.set_in_repo(Some("elsewhere.yaml"));
        assert_eq!(n.in_repo(), Some("elsewhere.yaml"));
        assert_eq!(n.display(), "corpus/a/processing.yaml");
        assert_eq!(n.path(), Path::new("/work/repo/corpus/a/processing.yaml"));
        n.set_in_repo(None);
        assert_eq!(n.in_repo(), None);
        assert_eq!(n.path(), Path::new("/work/repo/corpus/a/processing.yaml"));
        assert_eq!(&*n.text, "/work/repo/corpus/a/processing.yaml");
        // shown otherwise than its end: kept apart
        let n = Names::new("corpus/a".into(), "/work/repo/corpus//a".into());
        assert_eq!(n.display(), "corpus/a");
        assert_eq!(n.path(), Path::new("/work/repo/corpus//a"));
        assert!(n.path.is_some());
    }

    /// A file's three names read back as they were given, whether they share their text or
    /// not, and the path in the repository set, changed and taken away.
    #[test]
    fn names_read_back_as_given() {
        // all three share one text: the path on disk is the path as shown, the path in the
        // repository its end
        let mut n = Names::new(
            "corpus/a/processing.yaml".into(),
            "corpus/a/processing.yaml".into(),
        );
        assert!(n.path.is_none());
        assert_eq!(n.in_repo(), None);
        n.set_in_repo(Some("a/processing.yaml"));
        assert_eq!(n.display(), "corpus/a/processing.yaml");
        assert_eq!(n.path(), Path::new("corpus/a/processing.yaml"));
        assert_eq!(n.in_repo(), Some("a/processing.yaml"));
        assert_eq!(&*n.text, "corpus/a/processing.yaml");
        // the whole shown path, and the empty one, are ends of it too
        n.set_in_repo(Some("corpus/a/processing.yaml"));
        assert_eq!(n.in_repo(), Some("corpus/a/processing.yaml"));
        n.set_in_repo(Some(""));
        assert_eq!(n.in_repo(), Some(""));
        // not an end of the shown path (a link, a path outside the working directory): kept
        // after it, and given back when the name changes again
        n.set_in_repo(Some("elsewhere/processing.yaml"));
        assert_eq!(n.in_repo(), Some("elsewhere/processing.yaml"));
        assert_eq!(n.display(), "corpus/a/processing.yaml");
        assert_eq!(n.path(), Path::new("corpus/a/processing.yaml"));
        n.set_in_repo(Some("processing.yaml"));
        assert_eq!(n.in_repo(), Some("processing.yaml"));
        assert_eq!(&*n.text, "corpus/a/processing.yaml");
        n.set_in_repo(Some("other.yaml"));
        n.set_in_repo(None);
        assert_eq!(n.in_repo(), None);
        assert_eq!(&*n.text, "corpus/a/processing.yaml");
        // a path on disk that is not the shown path is kept apart, byte for byte
        let n = Names::new("a/processing.yaml".into(), "./a/processing.yaml".into());
        assert_eq!(n.display(), "a/processing.yaml");
        assert_eq!(n.path().as_os_str(), "./a/processing.yaml");
        assert_eq!(
            n.key(),
            ("a/processing.yaml", Path::new("./a/processing.yaml"))
        );
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let raw = PathBuf::from(std::ffi::OsStr::from_bytes(b"a/\xff.yaml"));
            let n = Names::new(display_path(&raw), raw.clone());
            assert_eq!(n.display(), "a/\u{fffd}.yaml");
            assert_eq!(n.path(), raw.as_path());
        }
        // a source hands its names on unchanged
        let mut s = Source::new("x.yaml".into(), "x.yaml".into(), "a: 1\n".into());
        s.set_in_repo(Some("x.yaml"));
        assert_eq!(s.key(), "x.yaml");
        let names = s.into_names();
        let again = Source::forgotten_named(names.clone());
        assert_eq!(again.names(), &names);
        assert!(again.is_forgotten());
    }

    /// `.` and `..` are resolved as written, at the root `..` stays there, at the start of a
    /// relative path it is kept, and a path without them is not copied.
    #[test]
    fn lexical_resolves_dots_as_written() {
        for (path, want) in [
            ("/a/b/../c", "/a/c"),
            ("/a/./b/./c", "/a/b/c"),
            ("/a/b/../../..", "/"),
            ("/../a", "/a"),
            ("/a/b/c/../../d/", "/a/d"),
            ("../a", "../a"),
            ("a/../../b", "../b"),
            ("./a/./b/..", "a"),
        ] {
            assert_eq!(lexical(Path::new(path)), Path::new(want), "{path}");
        }
        assert!(matches!(
            lexical(Path::new("/a/b")),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    /// The shortcut for plain paths gives what the parts give, on every mix of names, `.`,
    /// `..`, empty parts and slashes.
    #[test]
    fn plain_paths_are_slashed_as_any_path() {
        let parts = ["a", ".", "..", "", "b.yaml", "é", " ", "x\\y", ".hidden"];
        for x in parts {
            for y in parts {
                for z in parts {
                    for p in [
                        format!("{x}/{y}/{z}"),
                        format!("{x}/{y}"),
                        format!("/{x}/{y}"),
                        format!("{x}/{y}/"),
                        x.to_string(),
                    ] {
                        let path = std::path::Path::new(&p);
                        assert_eq!(slashed(path), slashed_parts(path), "{p:?}");
                        assert_eq!(resolved(path), resolved_by_parts(path), "{p:?}");
                        // what std gives (the empty path is no path, as std says)
                        let std_absolute = if p.is_empty() {
                            std::path::absolute(path)
                        } else {
                            std::path::absolute(cwd().unwrap().join(path))
                        };
                        assert_eq!(absolute(path).ok(), std_absolute.ok(), "{p:?}");
                    }
                }
            }
        }
    }

    /// [`joined`] makes the path `join` makes, for directories empty, rooted, relative, with a
    /// trailing `/` or `.` and `..` parts, and names empty, rooted, dotted or holding `/`.
    #[test]
    fn joined_is_join() {
        let dirs = ["", "/", "a", "/a", "a/", "/a/b/", "./a", "../a/..", "a//"];
        let names = ["", "x", "/x", "x/y", ".", "..", "x/", ".hidden", "é"];
        for d in dirs {
            for n in names {
                let (dir, name) = (Path::new(d), std::ffi::OsStr::new(n));
                let made = joined(dir, name);
                assert_eq!(
                    made.as_os_str(),
                    dir.join(name).as_os_str(),
                    "{d:?} + {n:?}"
                );
            }
        }
    }

    /// Paths from every mix of names, `.`, `..` and empty parts, rooted or not, with doubled
    /// and trailing slashes.
    fn path_grid() -> Vec<String> {
        let parts = ["a", ".", "..", "", "ab", "é"];
        let mut paths = vec![String::new(), "/".to_string(), "//".to_string()];
        for x in parts {
            for y in parts {
                paths.extend([
                    x.to_string(),
                    format!("{x}/{y}"),
                    format!("/{x}"),
                    format!("/{x}/{y}"),
                    format!("{x}/{y}/"),
                    format!("{x}//{y}"),
                    format!("/a/{x}/{y}"),
                ]);
            }
        }
        paths
    }

    /// [`names_only`] and [`names_below`] give what their parts give, on every path (and pair of
    /// paths) of the grid.
    #[test]
    fn names_are_split_as_their_parts() {
        use std::path::Component;
        let paths = path_grid();
        for p in &paths {
            let path = Path::new(p);
            let by_parts = path
                .components()
                .all(|c| matches!(c, Component::Normal(_) | Component::RootDir))
                .then(|| Some((path.parent()?, path.file_name()?)))
                .flatten();
            assert_eq!(names_only(path), by_parts, "{p:?}");
            for s in &paths {
                let start = Path::new(s);
                let by_parts = path.strip_prefix(start).ok().filter(|rest| {
                    rest.components().all(|c| matches!(c, Component::Normal(_)))
                        && rest.parent().is_some()
                });
                assert_eq!(names_below(path, start), by_parts, "{p:?} below {s:?}");
            }
        }
    }

    /// Paths equal as paths have one spelling, and paths that differ have different ones.
    #[test]
    fn equal_paths_are_spelled_alike() {
        let paths = path_grid();
        for p in &paths {
            for q in &paths {
                let (a, b) = (Path::new(p), Path::new(q));
                assert_eq!(spelling(a) == spelling(b), a == b, "{p:?} and {q:?}");
            }
        }
    }

    /// [`below`]'s shortcut for two plain paths gives what their parts give, on every mix of
    /// names, `.`, `..`, empty parts and slashes on either side.
    #[test]
    fn below_reads_plain_paths_as_their_parts() {
        let paths = path_grid();
        for p in &paths {
            for r in &paths {
                let (path, root) = (Path::new(p), Path::new(r));
                let by_parts = path.strip_prefix(root).ok().map(slashed_parts);
                assert_eq!(below(path, root), by_parts, "{p:?} below {r:?}");
            }
        }
    }

    /// [`sort_by_path`] sorts as [`Path`] does, with and without the shortcut for orderly
    /// paths: names that are prefixes of one another, bytes below and above `/`, rooted and
    /// relative paths, and (on Unix) bytes that are not UTF-8; a single path that is not
    /// orderly sends the whole list the long way.
    #[test]
    fn paths_sort_as_std_sorts_them() {
        let parts: &[&[u8]] = &[
            b"a",
            b"a-b",
            b"a.b",
            b"ab",
            b"a b",
            b"a!",
            b"A",
            b"\xc3\xa9",
            b"~",
            b".x",
            b"a\x01",
        ];
        #[cfg(unix)]
        let parts = &[parts, &[b"\xff".as_slice(), b"a\xfe"]].concat();
        let mut grid: Vec<Vec<u8>> = Vec::new();
        for x in parts {
            for y in parts {
                for z in [&b""[..], b"/a", b"/a-b"] {
                    grid.push([*x, b"/", y, z].concat());
                    grid.push([b"/", *x, b"/", y, z].concat());
                }
            }
            grid.push(x.to_vec());
        }
        let path = |b: &Vec<u8>| -> PathBuf {
            #[cfg(unix)]
            {
                use std::os::unix::ffi::OsStrExt;
                Path::new(std::ffi::OsStr::from_bytes(b)).to_path_buf()
            }
            #[cfg(not(unix))]
            PathBuf::from(String::from_utf8_lossy(b).into_owned())
        };
        let mut paths: Vec<PathBuf> = grid.iter().map(path).collect();
        paths.extend(paths.clone());
        paths.reverse();
        let mut want = paths.clone();
        want.sort();
        for dedup in [false, true] {
            let mut got: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
            sort_by_path(&mut got, dedup, |p| *p);
            let mut want = want.clone();
            if dedup {
                want.dedup();
            }
            assert_eq!(
                got,
                want.iter().map(PathBuf::as_path).collect::<Vec<_>>(),
                "dedup {dedup}"
            );
        }
        assert!(
            cfg!(not(unix))
                || paths
                    .iter()
                    .all(|p| orderly(p.as_os_str().as_encoded_bytes()))
        );
        // the long way, for lists that hold a path that is not orderly
        for odd in ["a/./b", "a//b", "a/../b", "a/b/", "./a", "../a", "", "/"] {
            let mut with: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
            with.extend([Path::new(odd), Path::new("a-b/x")]);
            assert!(!orderly(odd.as_bytes()), "{odd:?}");
            let mut want = with.clone();
            want.sort();
            want.dedup();
            sort_by_path(&mut with, true, |p| *p);
            assert_eq!(with, want, "{odd:?}");
        }
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let s = Source::new("a".into(), "a".into(), "é: x\nname: clientèle\n".into());
        assert_eq!(s.position(0), Position { line: 1, column: 1 });
        // "x" is after the two-byte "é", ": "
        assert_eq!(s.position(4), Position { line: 1, column: 4 });
        let off = s.offset(2, 7);
        assert_eq!(&s.text[off..off + 1], "c");
        assert_eq!(s.position(off), Position { line: 2, column: 7 });
    }

    #[test]
    fn offsets_clamp_to_line_end() {
        let s = Source::new("a".into(), "a".into(), "ab\ncd".into());
        assert_eq!(s.offset(1, 99), 2);
        assert_eq!(s.offset(9, 1), 5);
        assert_eq!(s.clamp(Span::new(4, 99)), Span::new(4, 5));
    }
}
