//! git as a data source. Only plumbing-safe invocations: a ref is never taken as an option, no
//! external diff driver or text conversion from the repository's configuration runs, and what
//! git prints is read, never executed.

use std::path::{Path, PathBuf};

use crate::diag::{Problem, ProblemKind};
use crate::i18n::{Lang, t};

/// The files changed since a git ref: committed, staged, unstaged and untracked, as canonical
/// paths.
pub fn changed_since(reference: &str, lang: Lang) -> Result<Vec<PathBuf>, Problem> {
    let usage = |en: String, fr: String| Problem::new(ProblemKind::Usage, t(lang, en, fr));
    // a ref is never an option: `--output=…` would make git write a file
    if reference.starts_with('-') || reference.is_empty() {
        return Err(usage(
            format!("--changed-since {reference:?}: not a git ref"),
            format!("--changed-since {reference:?} : ce n'est pas une référence git"),
        ));
    }
    let what = format!("--changed-since {reference}");
    let top = super::run::canonical(&top(&what, lang)?);
    Ok(changed_between(reference, None, &what, lang)?
        .into_iter()
        .map(|f| super::run::canonical(&top.join(f.path)))
        .collect())
}

/// A path git printed: bytes, not necessarily UTF-8.
pub(crate) fn path_of(bytes: &[u8]) -> PathBuf {
    borrowed_path(bytes).into_owned()
}

/// Where git is run when it is not the working directory: the directory of the paths linted,
/// when they lie outside the working directory's repository ([`super::start_for`]).
static RUN_IN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Runs git in `dir` from now on, as if ropa had been started there (set once, by the command
/// that finds its paths outside the working directory's repository).
pub fn run_in(dir: &std::path::Path) {
    let _ = RUN_IN.set(dir.to_path_buf());
}

/// git with nothing the repository's configuration names run (no file-system monitor, no
/// hooks, no pager), where ropa runs it ([`run_in`]).
fn git() -> std::process::Command {
    in_dir(RUN_IN.get().map(PathBuf::as_path))
}

/// git with nothing the repository's configuration names run (no file-system monitor, no
/// hooks, no pager), in `dir` when given: the one place every run of git is made.
pub(crate) fn in_dir(dir: Option<&std::path::Path>) -> std::process::Command {
    let mut git = std::process::Command::new("git");
    if let Some(dir) = dir {
        git.current_dir(dir);
    }
    git.args([
        "--no-pager",
        "-c",
        "core.fsmonitor=false",
        "-c",
        "core.hooksPath=/dev/null",
    ]);
    git
}

/// Runs git with the same safety as [`changed_since`]: nothing the repository's configuration
/// names is run, and what it prints is data. `what` names the step in an error.
fn run_git(args: &[&str], what: &str, lang: Lang) -> Result<Vec<u8>, Problem> {
    let usage = |en: String, fr: String| Problem::new(ProblemKind::Usage, t(lang, en, fr));
    let out = git()
        .args(["-c", "core.untrackedCache=false"])
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| {
            let why = crate::i18n::io_error(lang, &e);
            usage(
                format!("{what} needs git: {why}"),
                format!("{what} a besoin de git : {why}"),
            )
        })?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr).trim().to_string();
        let args = args.join(" ");
        return Err(usage(
            format!("{what}: git {args} failed: {why}"),
            format!("{what} : échec de git {args} : {why}"),
        ));
    }
    Ok(out.stdout)
}

/// The commit a revision names (a ref is never taken as an option).
pub fn commit(rev: &str, what: &str, lang: Lang) -> Result<String, Problem> {
    if rev.starts_with('-') || rev.is_empty() {
        return Err(Problem::new(
            ProblemKind::Usage,
            t(
                lang,
                format!("{what} {rev:?}: not a git revision"),
                format!("{what} {rev:?} : ce n'est pas une révision git"),
            ),
        ));
    }
    let spec = format!("{rev}^{{commit}}");
    let out = run_git(
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ],
        what,
        lang,
    )?;
    Ok(String::from_utf8_lossy(&out).trim().to_string())
}

/// A file that differs between two states of the repository, relative to its top.
#[derive(Clone, Debug)]
pub struct Changed {
    pub path: PathBuf,
    /// Only its content changed (git's `M`): it existed on both sides.
    pub modified: bool,
}

/// The files that differ between two commits, or between a commit and the working tree (with
/// `head` `None`: committed, staged, unstaged and untracked).
pub fn changed_between(
    base: &str,
    head: Option<&str>,
    what: &str,
    lang: Lang,
) -> Result<Vec<Changed>, Problem> {
    // the untracked files are listed beside the comparison (each is a walk of its own)
    let untracked_args = [
        "ls-files",
        "-z",
        "--others",
        "--exclude-standard",
        "--full-name",
        "--",
        ":/",
    ];
    let (statuses, untracked) = std::thread::scope(|scope| {
        let untracked = head
            .is_none()
            .then(|| scope.spawn(|| run_git(&untracked_args, what, lang)));
        let statuses = match head {
            None => run_git(
                &[
                    "diff-index",
                    "--raw",
                    "--no-abbrev",
                    "-z",
                    "--no-renames",
                    "--end-of-options",
                    base,
                    "--",
                ],
                what,
                lang,
            ),
            Some(head) => run_git(
                &[
                    "diff-tree",
                    "-r",
                    "-z",
                    "--raw",
                    "--no-abbrev",
                    "--no-renames",
                    "--end-of-options",
                    base,
                    head,
                ],
                what,
                lang,
            ),
        };
        // a panic there is a bug, reported as one
        let untracked =
            untracked.map(|t| t.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        (statuses, untracked)
    });
    let statuses = statuses?;
    let mut out = Vec::new();
    // a file git could not tell from its index entry (its stat changed: touched, or written
    // again) and the id of what it was, to compare with what is there now
    let mut unsure: Vec<(usize, &[u8])> = Vec::new();
    let mut fields = statuses.split(|b| *b == 0).filter(|l| !l.is_empty());
    // `:<old mode> <new mode> <old id> <new id> <status>`, then the path
    while let (Some(raw), Some(path)) = (fields.next(), fields.next()) {
        let raw: Vec<&[u8]> = raw
            .strip_prefix(b":")
            .unwrap_or(raw)
            .split(|b| *b == b' ')
            .collect();
        let modified = raw.get(4).is_some_and(|s| s.first() == Some(&b'M'));
        if let [old_mode, new_mode, old_id, new_id, _] = raw[..]
            && modified
            && head.is_none()
            && old_mode == new_mode
            && matches!(old_mode, b"100644" | b"100755")
            && new_id.iter().all(|b| *b == b'0')
        {
            unsure.push((out.len(), old_id));
        }
        out.push(Changed {
            path: path_of(path),
            modified,
        });
    }
    if !unsure.is_empty() {
        let top = top(what, lang)?;
        let policy = super::read::Policy::within(&top, MAX_COMPARED);
        let mut same = vec![false; out.len()];
        for (at, id) in unsure {
            same[at] = holds_blob(&top.join(&out[at].path), id, &policy);
        }
        let mut same = same.into_iter();
        out.retain(|_| !same.next().unwrap_or(false));
    }
    if let Some(untracked) = untracked {
        // the whole repository's (`:/`), whatever the working directory
        out.extend(
            untracked?
                .split(|b| *b == 0)
                .filter(|l| !l.is_empty())
                .map(|l| Changed {
                    path: path_of(l),
                    modified: false,
                }),
        );
    }
    Ok(out)
}

/// The largest file whose content is compared with git's to tell whether it changed; a larger
/// one whose stat changed counts as changed.
const MAX_COMPARED: u64 = 16 * 1024 * 1024;

/// Whether the file at `path`, read under the policy, is git's blob `id` (hexadecimal SHA-1).
/// Anything that cannot be told (another hash, a file that cannot be read, a content filter
/// git applies) counts as not: the file is then taken as changed.
fn holds_blob(path: &Path, id: &[u8], policy: &super::read::Policy) -> bool {
    let Ok(id) = gix_hash::ObjectId::from_hex(id) else {
        return false;
    };
    if id.kind() != gix_hash::Kind::Sha1 {
        return false;
    }
    let Ok(bytes) = super::read::bytes(path, policy) else {
        return false;
    };
    let mut hasher = gix_hash::hasher(gix_hash::Kind::Sha1);
    hasher.update(format!("blob {}\0", bytes.len()).as_bytes());
    hasher.update(&bytes);
    hasher.try_finalize().is_ok_and(|found| found == id)
}

/// The repository's top directory.
pub fn top(what: &str, lang: Lang) -> Result<PathBuf, Problem> {
    let out = run_git(&["rev-parse", "--show-toplevel"], what, lang)?;
    Ok(path_of(out.strip_suffix(b"\n").unwrap_or(&out)))
}

/// Where a pull request starts: the merge base of `HEAD` with the default branch
/// (`origin/HEAD`, else `origin/main`, `origin/master`, `main`, `master`).
pub fn default_base(lang: Lang) -> Result<String, Problem> {
    for candidate in [
        "origin/HEAD",
        "origin/main",
        "origin/master",
        "main",
        "master",
    ] {
        if let Ok(branch) = commit(candidate, "ropa diff", lang) {
            let out = run_git(&["merge-base", &branch, "HEAD"], "ropa diff", lang)?;
            return Ok(String::from_utf8_lossy(&out).trim().to_string());
        }
    }
    Err(Problem::new(
        ProblemKind::Usage,
        t(
            lang,
            "ropa diff: no default branch found (origin/HEAD, main, master); name the base revision",
            "ropa diff : aucune branche par défaut trouvée (origin/HEAD, main, master) ; indiquez la révision de base",
        ),
    ))
}

/// A git revision's files, read from git's objects without a checkout: the manifests (the files
/// `want` names) are written under `dir`; the others are only listed, so that RF001 and RF002
/// see them. A manifest that is a link is written as the link; submodules and paths that could
/// lead out of `dir` are not written.
pub struct Tree {
    /// Where the wanted files were written, canonical.
    root: PathBuf,
    /// Every file of the revision, relative.
    files: Listing,
    globs: std::sync::Mutex<std::collections::HashMap<String, Option<globset::GlobMatcher>>>,
}

/// Relative, `/`-separated paths in one buffer, in byte order, each once. Git lists a tree in
/// that order (a directory sorts as its name and `/`), so a revision's listing is kept as it
/// comes (a damaged one is sorted here). A file is found by a binary search; a directory is the
/// run of paths that begin with its path and `/`, and a glob looks only at that run.
#[derive(Default)]
struct Listing {
    bytes: Vec<u8>,
    /// Each path's place in `bytes`.
    spans: Vec<(usize, usize)>,
}

impl Listing {
    fn push(&mut self, path: &[u8]) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(path);
        self.spans.push((start, self.bytes.len()));
    }

    fn at(&self, &(start, end): &(usize, usize)) -> &[u8] {
        &self.bytes[start..end]
    }

    /// Puts the paths in byte order, each once; git's own listing already is.
    fn settle(&mut self) {
        if !self.spans.is_sorted_by(|a, b| self.at(a) < self.at(b)) {
            let mut spans = std::mem::take(&mut self.spans);
            spans.sort_unstable_by(|a, b| self.at(a).cmp(self.at(b)));
            spans.dedup_by(|a, b| self.at(a) == self.at(b));
            self.spans = spans;
        }
        self.bytes.shrink_to_fit();
        self.spans.shrink_to_fit();
    }

    fn contains(&self, path: &[u8]) -> bool {
        self.spans
            .binary_search_by(|s| self.at(s).cmp(path))
            .is_ok()
    }

    /// The paths under a directory (every path, for the empty one), relative to it.
    fn under<'a>(&'a self, dir: &[u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
        let mut prefix = dir.to_vec();
        if !prefix.is_empty() {
            prefix.push(b'/');
        }
        let start = self
            .spans
            .partition_point(|s| self.at(s) < prefix.as_slice());
        self.spans[start..]
            .iter()
            .map_while(move |s| self.at(s).strip_prefix(prefix.as_slice()))
    }

    /// Whether a directory holds a file (the empty path, the top, always does).
    fn has_dir(&self, dir: &[u8]) -> bool {
        dir.is_empty() || self.under(dir).next().is_some()
    }
}

/// A path's bytes, as git writes them.
fn bytes_of(path: &std::path::Path) -> std::borrow::Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::borrow::Cow::Borrowed(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        std::borrow::Cow::Owned(crate::source::slashed(path).into_bytes())
    }
}

/// The path of bytes git printed, borrowed where the system allows ([`path_of`] owns it).
fn borrowed_path(bytes: &[u8]) -> std::borrow::Cow<'_, std::path::Path> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::borrow::Cow::Borrowed(std::path::Path::new(std::ffi::OsStr::from_bytes(bytes)))
    }
    #[cfg(not(unix))]
    {
        std::borrow::Cow::Owned(PathBuf::from(String::from_utf8_lossy(bytes).into_owned()))
    }
}

impl Tree {
    /// Reads `commit`'s tree into `dir`.
    pub fn read(
        commit: &str,
        dir: &std::path::Path,
        want: impl Fn(&std::path::Path) -> bool,
        max_size: u64,
        lang: Lang,
    ) -> Result<Tree, Problem> {
        let listing = run_git(
            &[
                "ls-tree",
                "-r",
                "-z",
                "--full-tree",
                "--end-of-options",
                commit,
            ],
            "ropa",
            lang,
        )?;
        let mut files = Listing::default();
        let mut wanted: Vec<(String, bool, PathBuf)> = Vec::new();
        for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
            let Some(tab) = entry.iter().position(|b| *b == b'\t') else {
                continue;
            };
            let (head, path) = (&entry[..tab], &entry[tab + 1..]);
            let mut parts = head.split(|b| *b == b' ');
            let (Some(mode), Some(kind), Some(oid)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if kind != b"blob" {
                continue;
            }
            // plain names joined by `/`, none of them `..` or `.git`: what git writes
            let plain = path.split(|b| *b == b'/').all(|n| {
                !n.is_empty() && n != b"." && n != b".." && !n.eq_ignore_ascii_case(b".git")
            });
            let rel = borrowed_path(path);
            // otherwise (a damaged tree) only plain names: a tree entry cannot lead out of the
            // directory or into `.git`
            let safe = plain
                || rel.components().all(|c| match c {
                    std::path::Component::Normal(n) => !n.eq_ignore_ascii_case(".git"),
                    _ => false,
                });
            if !safe {
                continue;
            }
            if want(&rel) {
                let oid = String::from_utf8_lossy(oid).into_owned();
                wanted.push((oid, mode == b"120000", rel.to_path_buf()));
            }
            // as the path is looked up: its plain names joined by `/`
            if plain {
                files.push(path);
            } else {
                files.push(&bytes_of(&rel.components().collect::<PathBuf>()));
            }
        }
        files.settle();
        // a manifest that is a link is written as the same link, as the working tree has it (the
        // read policy then decides, as there, whether it may be followed); the file it leads to
        // inside the revision is written too
        let links = write_blobs(&wanted, dir, max_size, lang)?;
        let written: std::collections::HashSet<&PathBuf> =
            wanted.iter().map(|(_, _, r)| r).collect();
        let targets: Vec<String> = links
            .iter()
            .filter_map(|(rel, target)| inside(rel, target))
            .filter(|t| files.contains(&bytes_of(t)) && !written.contains(t))
            .map(|t| crate::source::slashed(&t))
            .collect();
        if !targets.is_empty() {
            let mut args = vec![
                "ls-tree",
                "-z",
                "--full-tree",
                "--end-of-options",
                commit,
                "--",
            ];
            args.extend(targets.iter().map(String::as_str));
            let listing = run_git(&args, "ropa", lang)?;
            let more: Vec<(String, bool, PathBuf)> = listing
                .split(|b| *b == 0)
                .filter_map(|e| {
                    let tab = e.iter().position(|b| *b == b'\t')?;
                    let head = String::from_utf8_lossy(&e[..tab]).to_string();
                    let mut parts = head.split(' ');
                    let (mode, kind, oid) = (parts.next()?, parts.next()?, parts.next()?);
                    (kind == "blob" && mode != "120000")
                        .then(|| (oid.to_string(), false, path_of(&e[tab + 1..])))
                })
                .collect();
            write_blobs(&more, dir, max_size, lang)?;
        }
        Ok(Tree {
            root: super::run::canonical(dir),
            files,
            globs: std::sync::Mutex::default(),
        })
    }

    /// A path under the tree's directory, relative; `None` when it is not under it.
    fn relative(&self, path: &std::path::Path) -> Option<PathBuf> {
        super::run::canonical(path)
            .strip_prefix(&self.root)
            .ok()
            .map(std::path::Path::to_path_buf)
    }
}

/// Writes the blobs `wanted` names with one `git cat-file --batch`; a blob over `max_size` is
/// written as a file of its size with nothing in it, so that the run reports it as too large
/// without reading it.
fn write_blobs(
    wanted: &[(String, bool, PathBuf)],
    dir: &std::path::Path,
    max_size: u64,
    lang: Lang,
) -> Result<Vec<(PathBuf, Vec<u8>)>, Problem> {
    use std::io::{BufRead, Read, Write};
    let mut links = Vec::new();
    if wanted.is_empty() {
        return Ok(links);
    }
    let fail = |e: std::io::Error| {
        let why = crate::i18n::io_error(lang, &e);
        Problem::new(
            ProblemKind::Unread,
            t(
                lang,
                format!("reading a revision from git's objects: {why}"),
                format!("lecture d'une révision dans les objets git : {why}"),
            ),
        )
    };
    let mut child = git()
        .args(["cat-file", "--batch"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(fail)?;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return Err(fail(std::io::Error::other("no pipe to git")));
    };
    let ids: Vec<String> = wanted.iter().map(|(oid, _, _)| oid.clone()).collect();
    let result = std::thread::scope(|scope| {
        // requests are written on their own thread, so that neither pipe fills up
        scope.spawn(move || {
            for id in ids {
                if writeln!(stdin, "{id}").is_err() {
                    break;
                }
            }
        });
        let mut reader = std::io::BufReader::new(stdout);
        for (_, link, rel) in wanted {
            let mut header = String::new();
            reader.read_line(&mut header)?;
            let size: u64 = header
                .split(' ')
                .nth(2)
                .and_then(|s| s.trim().parse().ok())
                .ok_or_else(|| std::io::Error::other(format!("unexpected answer {header:?}")))?;
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            if *link {
                // a link's blob is its target: short, read whole (at most 4 KiB kept)
                let mut target = Vec::new();
                std::io::copy(&mut (&mut reader).take(size), &mut target)?;
                let mut newline = [0u8; 1];
                reader.read_exact(&mut newline)?;
                target.truncate(4096);
                #[cfg(unix)]
                {
                    use std::os::unix::ffi::OsStrExt;
                    std::os::unix::fs::symlink(std::ffi::OsStr::from_bytes(&target), &path)?;
                }
                links.push((rel.clone(), target));
                continue;
            }
            let mut file = std::fs::File::create_new(&path)?;
            if size > max_size {
                file.set_len(size)?;
                std::io::copy(&mut (&mut reader).take(size), &mut std::io::sink())?;
            } else {
                std::io::copy(&mut (&mut reader).take(size), &mut file)?;
            }
            let mut newline = [0u8; 1];
            reader.read_exact(&mut newline)?;
        }
        Ok::<(), std::io::Error>(())
    });
    let _ = child.wait();
    result.map_err(fail)?;
    Ok(links)
}

/// Where a link at `rel` leads, relative to the revision's top, when it stays inside it.
fn inside(rel: &std::path::Path, target: &[u8]) -> Option<PathBuf> {
    let target = path_of(target);
    if target.is_absolute() {
        return None;
    }
    let mut out = rel
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    for c in target.components() {
        match c {
            std::path::Component::Normal(n) => out.push(n),
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            _ => return None,
        }
    }
    Some(out)
}

impl crate::rules::Files for Tree {
    fn exists(&self, path: &std::path::Path) -> crate::rules::Seen {
        use crate::rules::Seen;
        match self.relative(path) {
            None => Seen::Outside,
            Some(rel) if self.files.contains(&bytes_of(&rel)) => Seen::Yes,
            Some(rel) if self.files.has_dir(&bytes_of(&rel)) => Seen::Yes,
            Some(_) => Seen::No,
        }
    }

    fn glob_matches(
        &self,
        base: &std::path::Path,
        glob: &str,
        budget: &std::cell::Cell<usize>,
    ) -> crate::rules::Seen {
        use crate::rules::Seen;
        let Some(base) = self.relative(base) else {
            return Seen::Outside;
        };
        let matcher = {
            let Ok(mut cache) = self.globs.lock() else {
                return Seen::Unknown;
            };
            cache
                .entry(glob.to_string())
                .or_insert_with(|| {
                    crate::manifest::glob(glob)
                        .ok()
                        .map(|g| g.compile_matcher())
                })
                .clone()
        };
        let Some(matcher) = matcher else {
            return Seen::No;
        };
        for rel in self.files.under(&bytes_of(&base)) {
            if budget.get() == 0 {
                return Seen::Unknown;
            }
            budget.set(budget.get() - 1);
            if matcher.is_match(borrowed_path(rel)) {
                return Seen::Yes;
            }
        }
        Seen::No
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(paths: &[&str]) -> Listing {
        let mut l = Listing::default();
        for p in paths {
            l.push(p.as_bytes());
        }
        l.settle();
        l
    }

    fn all(l: &Listing, dir: &str) -> Vec<String> {
        l.under(dir.as_bytes())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect()
    }

    /// In git's order a directory sorts as its name and `/`: `a-b` and `a.txt` come before
    /// `a/`, `ab` after it. A directory's files are the run after `a/`, and nothing that only
    /// begins like it.
    #[test]
    fn a_directory_is_the_run_of_its_files() {
        let git_order = ["a-b/x", "a.txt", "a/b/c", "a/d", "ab/x", "b"];
        let l = listing(&git_order);
        assert_eq!(all(&l, "a"), ["b/c", "d"]);
        assert_eq!(all(&l, "a/b"), ["c"]);
        assert_eq!(all(&l, ""), git_order);
        assert!(all(&l, "a/d").is_empty());
        assert!(all(&l, "c").is_empty());
        for dir in ["", "a", "a/b", "a-b", "ab"] {
            assert!(l.has_dir(dir.as_bytes()), "{dir}");
        }
        for not in ["a/d", "a.txt", "b", "a/b/c", "a-", "c"] {
            assert!(!l.has_dir(not.as_bytes()), "{not}");
        }
        for file in git_order {
            assert!(l.contains(file.as_bytes()), "{file}");
        }
        for not in ["a", "a/b", "a/", "", "ab/x/y"] {
            assert!(!l.contains(not.as_bytes()), "{not}");
        }
    }

    /// A listing out of order, with a path twice (a damaged tree), is put in order, each once.
    #[test]
    fn a_damaged_listing_is_sorted_and_each_path_kept_once() {
        let l = listing(&["b", "a/d", "a/b/c", "b", "a-b/x", "a/d"]);
        assert_eq!(all(&l, ""), ["a-b/x", "a/b/c", "a/d", "b"]);
        assert_eq!(all(&l, "a"), ["b/c", "d"]);
        assert!(l.contains(b"a/d") && l.contains(b"b"));
    }
}
