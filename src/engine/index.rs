//! The other manifests' activity ids, for a run that names only files (a pre-commit hook): read
//! from git's index and a content-addressed cache instead of walking and parsing the whole
//! repository.
//!
//! git's index lists every tracked manifest with the id of its staged content (its blob), which
//! is what a commit will hold. A blob's activity ids depend on its content alone, so a cache keyed
//! by blob id never goes stale: a file changed and staged has a new blob id, which the cache does
//! not know, and its ids are read again from git. Only the files that share an id with a named
//! file are then linted, as the whole-tree run would lint them, so that MF005 says the same.
//!
//! Whenever the index cannot stand for the walk, [`candidates`] answers `None` and the caller
//! walks the repository as before: `.git` not a directory (a worktree, a submodule), an index
//! that does not decode, a merge in progress, `include:` globs in the configuration, or a
//! tracked `.ignore` file (git does not read those; the walk does). Tracked manifests whose
//! work-tree file differs from what the index recorded are linted from the work tree, unless the
//! run says the index is the truth (`--staged`). So are the manifests git does not track, found
//! through a table of the walk's directories ([`super::untracked`]), which also tells which
//! tracked manifests the walk would not find (hidden by an ignore file git does not read); with
//! `--staged` they are not looked for: a commit does not hold them.
//!
//! The cache is three files per repository (each content's ids; the snapshot of the index; the
//! table of the walk's directories) under
//! `$ROPA_CACHE_DIR`, else `$XDG_CACHE_HOME/ropa`, else `~/.cache/ropa`. They are bounded,
//! rewritten atomically with the entries of the current index only, and thrown away and rebuilt
//! when they cannot be read exactly.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::config::Settings;
use crate::manifest::parse;
use crate::source::{Source, slashed};

/// The cache's format; a change makes older caches unreadable, hence rebuilt.
pub(super) const FORMAT: &str = "ropa-ids 1";
/// A cache file larger than this is not read (and is rebuilt).
const MAX_CACHE_BYTES: u64 = 256 * 1024 * 1024;

/// The tracked manifests under the configuration root that may share an activity id with the
/// named files: the only other files a named-file run needs to read. `None`: the index cannot
/// stand for the walk here, walk instead.
pub(crate) fn candidates(
    settings: &Settings,
    named: &HashSet<PathBuf>,
    ids: &HashSet<&str>,
    work_tree: bool,
) -> Option<Vec<PathBuf>> {
    if !settings.include_set().is_empty() {
        return None;
    }
    let root = super::run::canonical(&settings.root);
    let top = super::run::canonical(&super::repo_root(&root));
    let prefix = match slashed(root.strip_prefix(&top).ok()?) {
        p if p.is_empty() => p,
        p => format!("{p}/"),
    };
    let dir = cache_dir();
    let snapshot = Snapshot::current(&top, dir.as_deref(), settings)?;
    let exclude = settings.exclude_set();
    let named_rel: HashSet<String> = named
        .iter()
        .filter_map(|p| p.strip_prefix(&top).ok())
        .map(slashed)
        .collect();
    // excluded as the walk excludes: the file, or a directory above it
    let excluded = |rel: &str| {
        !exclude.is_empty()
            && (exclude.is_match(rel)
                || rel
                    .match_indices('/')
                    .any(|(i, _)| exclude.is_match(&rel[..i])))
    };
    // under the root, not named, not excluded
    let wanted = |path: &str| {
        path.strip_prefix(&prefix)
            .is_some_and(|rel| !named_rel.contains(path) && !excluded(rel))
    };
    // a link is read the way the walk reads it: linted, never trusted from the index
    let mut out: Vec<String> = snapshot.links();
    if work_tree {
        out.extend(snapshot.changed());
    }
    for id in ids {
        out.extend(snapshot.paths_of(id));
    }
    out.retain(|p| wanted(p));
    out.sort();
    out.dedup();
    if work_tree {
        // the walk's own list, from the table of its directories: of the tracked candidates,
        // only those it finds (an ignore file git does not read, or a file deleted since, hides
        // the others); and the manifests git does not track, which it lints too
        let tracked = snapshot.tracked();
        let candidates: HashSet<&str> = out.iter().map(String::as_str).collect();
        let (mut found, mut untracked) = (HashSet::new(), Vec::new());
        super::untracked::manifests(&top, &root, settings, dir.as_deref(), &mut |path| {
            if !tracked.contains(path) {
                if wanted(path) {
                    untracked.push(path.to_string());
                }
            } else if candidates.contains(path) {
                found.insert(path.to_string());
            }
        })?;
        out.retain(|p| found.contains(p));
        out.extend(untracked);
        out.sort();
        return Some(out.iter().map(|p| top.join(p)).collect());
    }
    let mut out: Vec<PathBuf> = out.iter().map(|p| top.join(p)).collect();
    // a file deleted from the work tree but still staged is not there to lint, as the walk
    // would not find it
    out.retain(|p| std::fs::symlink_metadata(p).is_ok());
    // nor one the ignore files hide, tracked or not
    let ignored = ignored(&top, &out)?;
    out.retain(|p| !ignored.contains(p));
    Some(out)
}

/// Which of the files `.gitignore` files and `.git/info/exclude` hide from the walk, as
/// `git check-ignore` says (without the machine's global excludes file, which the walk does not
/// read either).
fn ignored(top: &Path, files: &[PathBuf]) -> Option<HashSet<PathBuf>> {
    if files.is_empty() {
        return Some(HashSet::new());
    }
    let mut child = git(top)
        .args([
            "-c",
            "core.excludesFile=",
            "check-ignore",
            "--no-index",
            "-z",
            "--stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let list: Vec<u8> = files
        .iter()
        .flat_map(|p| [p.as_os_str().as_encoded_bytes(), b"\0"].concat())
        .collect();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&list);
    });
    let out = child.wait_with_output().ok()?;
    let _ = writer.join();
    // 0: some are ignored; 1: none is; anything else: git could not tell
    if !matches!(out.status.code(), Some(0 | 1)) {
        return None;
    }
    Some(
        out.stdout
            .split(|b| *b == 0)
            .filter(|l| !l.is_empty())
            .map(|l| top.join(super::git::path_of(l)))
            .collect(),
    )
}

/// Which tracked manifest holds which activity id, as of one state of the index. It is kept as
/// the text of its cache file and read in place: three sections, each headed by its byte length
/// (the manifests that are links; each manifest's work-tree file as the index recorded it;
/// `<id>\t<path>` lines, escaped, sorted), so that a run reads only what it needs and finds an
/// id by binary search.
struct Snapshot {
    top: PathBuf,
    text: String,
    /// The index's own modification time: a file modified in that second or later may have
    /// changed without its recorded time showing it (git's "racily clean" entries).
    racy_from: u32,
    links: std::ops::Range<usize>,
    stats: std::ops::Range<usize>,
    ids: std::ops::Range<usize>,
}

impl Snapshot {
    /// The snapshot of the index as it is now: the cached one when the index has not changed
    /// (same size and trailing checksum), else built again from the index and the blob cache.
    fn current(top: &Path, dir: Option<&Path>, settings: &Settings) -> Option<Snapshot> {
        let key = index_key(top);
        let file = dir.map(|d| d.join(format!("{}.snapshot", repo_key(top))));
        if let (Some(key), Some(file)) = (&key, &file)
            && let Some(text) = read_cache(file)
            && let Some(snapshot) = Snapshot::parse(top, text, key)
        {
            return Some(snapshot);
        }
        let entries = tracked(top)?;
        let blob_file = dir.map(|d| d.join(format!("{}.ids", repo_key(top))));
        let mut cache = blob_file.as_deref().and_then(load).unwrap_or_default();
        let current: HashSet<&str> = entries
            .iter()
            .filter(|e| e.kind == Kind::File)
            .map(|e| e.blob.as_str())
            .collect();
        let missing: Vec<&str> = current
            .iter()
            .copied()
            .filter(|b| !cache.contains_key(*b))
            .collect();
        if !missing.is_empty() {
            let contents = cat_blobs(top, &missing, settings.max_file_size.value)?;
            cache.extend(ids_of(contents, settings));
        }
        if let Some(f) = &blob_file
            && (!missing.is_empty() || cache.len() != current.len())
        {
            cache.retain(|b, _| current.contains(b.as_str()));
            store(f, &cache);
        }
        let (mut links, mut stats, mut pairs) = (String::new(), String::new(), Vec::new());
        for e in &entries {
            match e.kind {
                Kind::Link => {
                    links.push_str(&escape(&e.path));
                    links.push('\n');
                }
                Kind::File => {
                    let [a, b, c, d] = e.stat;
                    stats.push_str(&format!("{a} {b} {c} {d}\t{}\n", escape(&e.path)));
                    for id in cache.get(&e.blob).into_iter().flatten() {
                        pairs.push(format!("{}\t{}\n", escape(id), escape(&e.path)));
                    }
                }
                Kind::Other => {}
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let key = key.unwrap_or_else(|| "-".to_string());
        let pairs = pairs.concat();
        let text = format!(
            "{}\n{key}\n{}\nlinks {}\n{links}stats {}\n{stats}ids {}\n{pairs}",
            snapshot_header(),
            index_mtime(top),
            links.len(),
            stats.len(),
            pairs.len(),
        );
        if key != "-"
            && let Some(file) = &file
        {
            write_atomic(file, &text);
        }
        Snapshot::parse(top, text, &key)
    }

    /// A snapshot's text, read exactly or not at all: this version's header, the index state
    /// `key`, and sections of the lengths the header gives.
    fn parse(top: &Path, text: String, key: &str) -> Option<Snapshot> {
        fn line<'a>(text: &'a str, at: &mut usize) -> Option<&'a str> {
            let rest = text.get(*at..)?;
            let end = rest.find('\n')?;
            *at += end + 1;
            Some(&rest[..end])
        }
        fn section(text: &str, at: &mut usize, name: &str) -> Option<std::ops::Range<usize>> {
            let len: usize = line(text, at)?
                .strip_prefix(name)?
                .strip_prefix(' ')?
                .parse()
                .ok()?;
            let range = *at..at.checked_add(len)?;
            *at = range.end;
            Some(range)
        }
        let mut at = 0;
        if line(&text, &mut at)? != snapshot_header() || line(&text, &mut at)? != key {
            return None;
        }
        let racy_from: u32 = line(&text, &mut at)?.parse().ok()?;
        let links = section(&text, &mut at, "links")?;
        let stats = section(&text, &mut at, "stats")?;
        let ids = section(&text, &mut at, "ids")?;
        // and nothing after: a file cut short, or longer, is not this snapshot
        if ids.end != text.len() {
            return None;
        }
        let sections = [&links, &stats, &ids];
        // each section is whole lines
        if sections.iter().any(|r| {
            text.get((*r).clone())
                .is_none_or(|s| !(s.is_empty() || s.ends_with('\n')))
        }) {
            return None;
        }
        Some(Snapshot {
            top: top.to_path_buf(),
            text,
            racy_from,
            links,
            stats,
            ids,
        })
    }

    /// The tracked manifests that are links.
    fn links(&self) -> Vec<String> {
        self.text[self.links.clone()]
            .lines()
            .filter_map(unescape)
            .collect()
    }

    /// Every tracked manifest's path (files and links).
    fn tracked(&self) -> HashSet<std::borrow::Cow<'_, str>> {
        let text = &self.text;
        let files = text[self.stats.clone()]
            .lines()
            .filter_map(|l| l.split_once('\t').map(|(_, path)| path));
        text[self.links.clone()]
            .lines()
            .chain(files)
            .filter_map(unescaped)
            .collect()
    }

    /// The tracked manifests whose work-tree file no longer matches what the index recorded:
    /// edited and not staged, or touched within the index's last second. Their ids may differ
    /// from the index's, so they are linted whatever ids they hold. A file that cannot be
    /// examined counts as changed.
    fn changed(&self) -> Vec<String> {
        let lines: Vec<&str> = self.text[self.stats.clone()].lines().collect();
        let top = WorkTree::open(&self.top);
        super::on_every_core(&lines, |l| {
            let (recorded, path) = stat_then_path(l)?;
            let path = unescaped(path)?;
            (recorded[0] >= self.racy_from || top.stat(&path) != Some(recorded))
                .then(|| path.into_owned())
        })
    }

    /// The paths of the manifests that hold `id`: the `<id>\t…` lines, found by binary search
    /// over the sorted section.
    fn paths_of(&self, id: &str) -> Vec<String> {
        let head = format!("{}\t", escape(id));
        let body = &self.text[self.ids.clone()];
        // the start of the line that holds byte `i`
        let line_start = |i: usize| body[..i].rfind('\n').map_or(0, |n| n + 1);
        let (mut lo, mut hi) = (0, body.len());
        while lo < hi {
            let mid = line_start(lo + (hi - lo) / 2).max(lo);
            let end = body[mid..].find('\n').map_or(body.len(), |n| mid + n);
            if body[mid..end] < *head.as_str() {
                lo = end + 1;
            } else {
                hi = mid;
            }
        }
        body[lo.min(body.len())..]
            .lines()
            .take_while(|l| l.starts_with(&head))
            .filter_map(|l| unescape(&l[head.len()..]))
            .collect()
    }
}

/// The work tree, to look at its files by their paths in the repository: from a handle on its
/// top directory where the system has one (each lookup then walks only the path's own parts,
/// not those from `/` down to the repository), else by joining the paths.
pub(super) struct WorkTree {
    top: PathBuf,
    #[cfg(unix)]
    dir: Option<rustix::fd::OwnedFd>,
}

impl WorkTree {
    pub(super) fn open(top: &Path) -> WorkTree {
        WorkTree {
            top: top.to_path_buf(),
            #[cfg(unix)]
            dir: {
                use rustix::fs::{Mode, OFlags};
                let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
                rustix::fs::open(top, flags, Mode::empty()).ok()
            },
        }
    }

    /// A file's modification time, size and inode, each in 32 bits as git keeps them, not
    /// following a link (as git records a link itself).
    pub(super) fn stat(&self, path: &str) -> Option<Stat> {
        self.stat_with(path, true)
    }

    /// [`WorkTree::stat`], following a link (for a file read through it).
    pub(super) fn stat_followed(&self, path: &str) -> Option<Stat> {
        self.stat_with(path, false)
    }

    fn stat_with(&self, path: &str, nofollow: bool) -> Option<Stat> {
        #[cfg(unix)]
        {
            use rustix::fs::AtFlags;
            let flags = if nofollow {
                AtFlags::SYMLINK_NOFOLLOW
            } else {
                AtFlags::empty()
            };
            // an absolute path or one with `..` (never in a sane index) is looked up as it
            // reads, as joining it to the top would
            let st = match &self.dir {
                Some(dir) => rustix::fs::statat(dir, path, flags),
                None => rustix::fs::statat(rustix::fs::CWD, self.top.join(path), flags),
            }
            .ok()?;
            // truncation is what git does
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Some([
                st.st_mtime as u32,
                st.st_mtime_nsec as u32,
                st.st_size as u32,
                st.st_ino as u32,
            ])
        }
        #[cfg(not(unix))]
        {
            let _ = (&self.top, path, nofollow);
            None
        }
    }
}

/// The index file's modification time, in seconds (0 when unknown: every file is then checked
/// as possibly changed).
fn index_mtime(top: &Path) -> u32 {
    std::fs::symlink_metadata(top.join(".git/index"))
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs() as u32)
}

/// What identifies the index's content: its size and trailing checksum, or `None` where that
/// cannot be had (no in-process index, or an index written without a checksum).
fn index_key(top: &Path) -> Option<String> {
    use std::io::{Read, Seek, SeekFrom};
    let dot_git = std::fs::symlink_metadata(top.join(".git")).ok()?;
    let index = top.join(".git/index");
    let meta = std::fs::symlink_metadata(&index).ok()?;
    if !dot_git.is_dir() || !meta.is_file() || meta.len() < 32 {
        return None;
    }
    let mut f = super::read::open_checked(&index, &index_policy(top)).ok()?;
    f.seek(SeekFrom::End(-20)).ok()?;
    let mut sum = [0u8; 20];
    f.read_exact(&mut sum).ok()?;
    if sum.iter().all(|b| *b == 0) {
        return None;
    }
    let hex: String = sum.iter().map(|b| format!("{b:02x}")).collect();
    Some(format!("{} {hex}", meta.len()))
}

/// One entry of the index.
struct Entry {
    kind: Kind,
    blob: String,
    path: String,
    stage: u32,
    /// What the index recorded of the file in the work tree: modification time (seconds,
    /// nanoseconds), size and inode, each as git keeps them (32 bits).
    stat: Stat,
}

pub(super) type Stat = [u32; 4];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Link,
    /// A submodule, or anything else that is not a manifest's content.
    Other,
}

/// git, with nothing the repository's configuration names run ([`super::git::in_dir`]), in
/// `dir`, reading nothing and saying nothing on its error stream.
fn git(dir: &Path) -> Command {
    let mut c = super::git::in_dir(Some(dir));
    c.stdin(Stdio::null()).stderr(Stdio::null());
    c
}

/// The largest index file read in-process.
const MAX_INDEX_BYTES: u64 = 256 * 1024 * 1024;

/// The tracked manifests (paths relative to the top of the repository), or `None` where the
/// index cannot stand for the walk. The index is read in-process where the repository's `.git`
/// is a directory; a worktree or a submodule (`.git` a file) is walked.
fn tracked(top: &Path) -> Option<Vec<Entry>> {
    let index = top.join(".git").join("index");
    let readable = std::fs::symlink_metadata(top.join(".git")).is_ok_and(|m| m.is_dir())
        && std::fs::symlink_metadata(&index)
            .is_ok_and(|m| m.is_file() && m.len() <= MAX_INDEX_BYTES);
    if !readable {
        return None;
    }
    let entries = read_index(&index, &index_policy(top))?;
    let mut out = Vec::new();
    for e in entries {
        // a merge in progress, or an ignore file git does not know: walk
        let name = e.path.rsplit('/').next().unwrap_or(&e.path);
        if e.stage != 0 || name == ".ignore" {
            return None;
        }
        if crate::engine::discover::is_manifest_file_name(std::ffi::OsStr::new(name)) {
            out.push(e);
        }
    }
    Some(out)
}

/// How git's index is read: the read policy of every file (no FIFO waited on, nothing through
/// a link out of the repository), up to [`MAX_INDEX_BYTES`].
fn index_policy(top: &Path) -> super::read::Policy {
    super::read::Policy {
        within: Some(top.to_path_buf()),
        limit: MAX_INDEX_BYTES,
    }
}

/// The entries of an index file, read under the policy and decoded by gix-index. A split or
/// sparse index, or one that does not decode as SHA-1, is left to the walk.
fn read_index(path: &Path, policy: &super::read::Policy) -> Option<Vec<Entry>> {
    let options = gix_index::decode::Options::default();
    // read whole rather than mapped as gix-index would: its open waits on a FIFO, and a mapped
    // file cut short under the reader kills the process
    let data = super::read::bytes(path, policy).ok()?;
    // the trailing checksum is not verified: a damaged index gives blob ids git does not know,
    // and `cat-file` failing then sends the run back to the walk
    let (file, _) = gix_index::State::from_bytes(
        &data,
        filetime::FileTime::zero(),
        gix_hash::Kind::Sha1,
        options,
    )
    .ok()?;
    if file.link().is_some() || file.is_sparse() {
        return None;
    }
    let mut out = Vec::with_capacity(file.entries().len());
    for e in file.entries() {
        let path = e.path(&file);
        // names of interest only: the others are not turned into strings
        let name = path.rsplit(|b| *b == b'/').next().unwrap_or(path);
        let interesting = name == b".ignore"
            || name.ends_with(b"processing.yaml")
            || name.ends_with(b"processing.yml");
        if !interesting {
            continue;
        }
        let kind = if e.mode == gix_index::entry::Mode::SYMLINK {
            Kind::Link
        } else if e.mode == gix_index::entry::Mode::FILE
            || e.mode == gix_index::entry::Mode::FILE_EXECUTABLE
        {
            Kind::File
        } else {
            Kind::Other
        };
        out.push(Entry {
            kind,
            blob: e.id.to_hex().to_string(),
            path: std::str::from_utf8(path).ok()?.to_string(),
            stage: e.stage_raw(),
            stat: [
                e.stat.mtime.secs,
                e.stat.mtime.nsecs,
                e.stat.size,
                e.stat.ino,
            ],
        });
    }
    Some(out)
}

/// The contents of the blobs, through one `git cat-file --batch`. A blob over the size limit
/// is not read: the walk would not parse it either (MF001), so it has no ids.
fn cat_blobs(root: &Path, blobs: &[&str], limit: u64) -> Option<Vec<(String, Vec<u8>)>> {
    let mut child = git(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let list: String = blobs.iter().map(|b| format!("{b}\n")).collect();
    // written from another thread, so that neither side waits on a full pipe
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(list.as_bytes());
    });
    let mut reader = std::io::BufReader::new(child.stdout.take()?);
    let mut out = Vec::with_capacity(blobs.len());
    let mut ok = true;
    for blob in blobs {
        let mut header = String::new();
        if std::io::BufRead::read_line(&mut reader, &mut header).ok()? == 0 {
            ok = false;
            break;
        }
        // `<blob> blob <size>\n<content>\n`, or `<blob> missing\n`
        let mut fields = header.trim_end().split(' ');
        let (Some(_), Some("blob"), Some(size)) = (fields.next(), fields.next(), fields.next())
        else {
            ok = false;
            break;
        };
        let size: u64 = size.parse().ok()?;
        if size <= limit {
            let mut content = vec![0; usize::try_from(size).ok()? + 1];
            std::io::Read::read_exact(&mut reader, &mut content).ok()?;
            content.pop();
            out.push((blob.to_string(), content));
        } else {
            // over the size limit: skipped in small reads, never held in memory
            let mut rest = std::io::Read::take(&mut reader, size + 1);
            std::io::copy(&mut rest, &mut std::io::sink()).ok()?;
            out.push((blob.to_string(), Vec::new()));
        }
    }
    let _ = writer.join();
    let status = child.wait().ok()?;
    (ok && status.success()).then_some(out)
}

/// Each blob's activity ids, parsed on every core.
fn ids_of(contents: Vec<(String, Vec<u8>)>, settings: &Settings) -> Vec<(String, Vec<String>)> {
    super::on_every_core(&contents, |(blob, bytes)| {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let source = Source::new(String::new(), PathBuf::new(), text);
        let parsed = parse::parse(&source, 0, settings.lang.value);
        let ids = parsed
            .manifest
            .activities
            .into_iter()
            .filter_map(|a| a.id.map(|id| id.value.to_string()))
            .collect();
        Some((blob.clone(), ids))
    })
}

/// Where the caches live, if anywhere: `$ROPA_CACHE_DIR` (empty: nowhere), else
/// `$XDG_CACHE_HOME/ropa`, else `~/.cache/ropa`.
fn cache_dir() -> Option<PathBuf> {
    match std::env::var_os("ROPA_CACHE_DIR") {
        Some(d) if d.is_empty() => None,
        Some(d) => Some(PathBuf::from(d)),
        None => match std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
            Some(d) => Some(PathBuf::from(d).join("ropa")),
            None => Some(PathBuf::from(std::env::var_os("HOME")?).join(".cache/ropa")),
        },
    }
}

/// A repository's caches are named by its path.
pub(super) fn repo_key(top: &Path) -> String {
    let h = top
        .as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("{h:016x}")
}

/// `\`, tab, newline and carriage return escaped, so that an id is one field of one line.
pub(super) fn escape(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// [`unescape`], without a copy when there is nothing to unescape (most paths).
pub(super) fn unescaped(field: &str) -> Option<std::borrow::Cow<'_, str>> {
    if field.as_bytes().contains(&b'\\') {
        unescape(field).map(std::borrow::Cow::Owned)
    } else {
        Some(std::borrow::Cow::Borrowed(field))
    }
}

/// A cache line that starts with a stat, `<mtime> <nanoseconds> <size> <inode>\t`: the stat and
/// the rest of the line. `None` unless it is exactly that, each number plain decimal digits
/// that fit 32 bits. Read byte by byte: a run reads tens of thousands of these lines.
pub(super) fn stat_then_path(line: &str) -> Option<(Stat, &str)> {
    let bytes = line.as_bytes();
    let mut stat: Stat = [0; 4];
    let mut i = 0;
    for (k, number) in stat.iter_mut().enumerate() {
        let end = if k == 3 { b'\t' } else { b' ' };
        let start = i;
        let mut value: u32 = 0;
        while let Some(&b) = bytes.get(i)
            && b != end
        {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
            i += 1;
        }
        if i == start || bytes.get(i) != Some(&end) {
            return None;
        }
        *number = value;
        i += 1;
    }
    Some((stat, &line[i..]))
}

fn unescape(field: &str) -> Option<String> {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            '\\' => '\\',
            't' => '\t',
            'n' => '\n',
            'r' => '\r',
            _ => return None,
        });
    }
    Some(out)
}

/// A cache file's text, if it is a regular file of a sane size.
pub(super) fn read_cache(path: &Path) -> Option<String> {
    // a link is not followed (the caches are ropa's own files): it is looked at, then opened
    // at once as a listed file would be (refusing a link put in its place since)
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let policy = super::read::Policy::named(MAX_CACHE_BYTES);
    super::read::text_known(path, &policy, super::read::Known::Listed).ok()
}

/// The blob cache (`<blob>\t<id>\t<id>…` lines), read exactly or not at all: a header that is
/// not this version's, a malformed line, or a file too large, and it is rebuilt.
fn load(path: &Path) -> Option<HashMap<String, Vec<String>>> {
    let text = read_cache(path)?;
    let mut lines = text.split('\n');
    if lines.next()? != blob_header() {
        return None;
    }
    let mut map = HashMap::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let mut fields = line.split('\t');
        let blob = fields.next()?;
        if blob.is_empty() || !blob.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let ids = fields.map(unescape).collect::<Option<Vec<_>>>()?;
        map.insert(blob.to_string(), ids);
    }
    Some(map)
}

fn blob_header() -> String {
    format!("{FORMAT} blobs {}", env!("CARGO_PKG_VERSION"))
}

fn snapshot_header() -> String {
    format!("{FORMAT} snapshot {}", env!("CARGO_PKG_VERSION"))
}

/// Writes the blob cache.
fn store(path: &Path, cache: &HashMap<String, Vec<String>>) {
    let mut lines: Vec<String> = cache
        .iter()
        .map(|(blob, ids)| {
            let mut line = blob.clone();
            for id in ids {
                line.push('\t');
                line.push_str(&escape(id));
            }
            line
        })
        .collect();
    lines.sort_unstable();
    let mut text = format!("{}\n", blob_header());
    for l in lines {
        text.push_str(&l);
        text.push('\n');
    }
    write_atomic(path, &text);
}

/// Writes a cache file beside its place and renames it there, so that a reader never sees half
/// a file. A cache that cannot be written is no error: the next run builds it again.
pub(super) fn write_atomic(path: &Path, text: &str) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    // created exclusively: never written through a file or link already there
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    match written {
        Ok(()) => {
            if std::fs::rename(&tmp, path).is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
        }
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
            let _ = std::fs::remove_file(&tmp);
        }
        Err(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_the_cache_format() {
        for id in [
            "plain",
            "tab\there",
            "new\nline",
            "back\\slash",
            "\\t",
            "é",
            "",
        ] {
            assert_eq!(unescape(&escape(id)).as_deref(), Some(id));
            assert!(!escape(id).contains(['\t', '\n']));
        }
        assert_eq!(unescape("bad\\x"), None);
    }

    #[test]
    fn a_stat_line_reads_exactly_or_not_at_all() {
        assert_eq!(stat_then_path("1 2 3 4\ta/b"), Some(([1, 2, 3, 4], "a/b")));
        assert_eq!(
            stat_then_path("4294967295 0 0 7\t"),
            Some(([u32::MAX, 0, 0, 7], ""))
        );
        for bad in [
            "4294967296 0 0 7\tp",
            "1 2 3\tp",
            "1 2 3 4 5\tp",
            "1  2 3 4\tp",
            "+1 2 3 4\tp",
            "1 2 3 4",
            "1 2 3 4 \tp",
            "a 2 3 4\tp",
            "",
        ] {
            assert_eq!(stat_then_path(bad), None, "{bad:?}");
        }
    }
}
