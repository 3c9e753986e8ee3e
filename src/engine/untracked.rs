//! The manifests that git does not track, for a named-file run that compares with the work tree
//! ([`super::index`]): the whole-tree walk lints them, so their activity ids count as much as
//! the tracked ones'.
//!
//! Only a walk finds them, and a walk is what the index is there to avoid. So what the walk
//! found is kept, as git's own untracked cache keeps it: a table of every directory the walk
//! entered (with its modification time, size and inode, taken before it was read), every ignore
//! file it obeyed, and every manifest it found. Adding, removing or renaming an entry changes a
//! directory's modification time; so a run looks at each directory of the table, reads again
//! only those that changed (one level: their subdirectories have their own line), walks the
//! directories new under them, and keeps the rest.
//!
//! The table is built again by a whole walk whenever it cannot be trusted: it does not read
//! exactly, the configuration's `exclude` or root changed, an ignore file changed, appeared or
//! went (in the tree, or in a directory above the repository, which the walk obeys too), or the walk could not search a directory (then the caller walks, and reports it). A
//! directory or ignore file modified less than two seconds before it was looked at is recorded
//! as unknown, so that a change in the same instant is not missed: it is read again next run.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::discover::{self, Dirs};
use super::held;
use super::index::{
    FORMAT, Stat, WorkTree, escape, read_cache, repo_key, stat_then_path, unescaped, write_atomic,
};
use crate::config::Settings;

/// A stat that no file has: the directory or file is looked at again next run.
const UNKNOWN: Stat = [0; 4];

/// The most directories and manifests a table holds (about 100 bytes each in memory): past it,
/// no table is kept, and a named-file run walks, in the bounded memory of a walk.
const MAX_ENTRIES: usize = 1_000_000;

/// The manifests the walk of `root` (inside the repository whose top is `top`) would find, as
/// paths relative to `top`, tracked or not: from the table kept in `cache` (a directory, if
/// any), brought up to date, or from a walk. `None`: not known without reporting something (a
/// directory that could not be searched, a path that is not UTF-8), or more than
/// [`MAX_ENTRIES`]; the caller walks.
pub(super) fn manifests(
    top: &Path,
    root: &Path,
    settings: &Settings,
    cache: Option<&Path>,
    found: &mut dyn FnMut(&str),
) -> Option<()> {
    let prefix = crate::source::slashed(root.strip_prefix(top).ok()?);
    let file = cache.map(|d| d.join(format!("{}.dirs", repo_key(top))));
    let tree = Arc::new(WorkTree::open(top));
    let tag = fingerprint(top, &tree, &prefix, settings)?;
    let text = file.as_deref().and_then(read_cache);
    let kept = text.as_deref().and_then(|text| Lines::parse(text, &tag));
    let table = match kept {
        Some(lines) => {
            // an ignore file is read through a link: its target is what counts
            let moved = super::on_every_core(&lines.ignores, |(path, was)| {
                (tree.stat_followed(path) != *was).then_some(())
            });
            // each directory's line read and its directory looked at: `Err` for a line that
            // does not read (the table is then built again)
            let looked = super::on_every_core(&lines.dirs, |line| {
                Some(match dir_line(line) {
                    Some((path, was)) => Ok((tree.stat(at(&path)) != Some(was)).then_some(path)),
                    None => Err(()),
                })
            });
            let dirty: Option<Vec<String>> = looked
                .into_iter()
                .filter_map(|l| l.map(|d| d.map(Cow::into_owned)).transpose())
                .collect::<Result<_, _>>()
                .ok();
            if moved.is_empty() && dirty.as_ref().is_some_and(Vec::is_empty) {
                // the common case: nothing changed, nothing to write
                lines.manifests.iter().for_each(|m| found(m));
                return Some(());
            }
            let refreshed = match (moved.is_empty(), dirty, lines.owned()) {
                (true, Some(dirty), Some(mut table)) => {
                    table.refresh(top, &dirty, settings, &tree).map(|()| table)
                }
                _ => None,
            };
            match refreshed {
                Some(table) => table,
                None => Table::build(top, root, &prefix, settings, &tree)?,
            }
        }
        None => Table::build(top, root, &prefix, settings, &tree)?,
    };
    if table.dirs.len() + table.manifests.len() > MAX_ENTRIES {
        return None;
    }
    if let Some(file) = &file {
        write_atomic(file, &table.text(&tag));
    }
    table.manifests.iter().for_each(|m| found(m));
    Some(())
}

/// What the table depends on besides the tree: ropa's version (in the header), the root's place
/// in the repository, the `exclude` globs, and the ignore files of the directories above the
/// repository, which the walk obeys too (each one there, with its stat: one more, one fewer or
/// one changed, and the table is built again). `None` above a path that is not UTF-8.
fn fingerprint(top: &Path, tree: &WorkTree, prefix: &str, settings: &Settings) -> Option<String> {
    let mut tag = format!("root\t{}", escape(prefix));
    for glob in &settings.exclude {
        tag.push('\t');
        tag.push_str(&escape(&glob.value));
    }
    for dir in top.ancestors().skip(1) {
        for name in [".gitignore", ".ignore"] {
            // absolute: looked up as it reads
            let path = dir.join(name);
            let path = path.to_str()?;
            if let Some([a, b, c, d]) = tree.stat_followed(path) {
                tag.push_str(&format!("\tabove {a} {b} {c} {d} {}", escape(path)));
            }
        }
    }
    Some(tag)
}

fn header() -> String {
    format!("{FORMAT} dirs {}", env!("CARGO_PKG_VERSION"))
}

/// A path of the table as the work tree is asked for it (the top is `.`).
fn at(path: &str) -> &str {
    if path.is_empty() { "." } else { path }
}

/// A stat as the table records it: unknown when it is too recent to be sure that nothing
/// changed in the same instant after it was taken.
fn settled(stat: Stat, now: u64) -> Stat {
    if u64::from(stat[0]) + 2 >= now {
        UNKNOWN
    } else {
        stat
    }
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(u64::MAX, |d| d.as_secs())
}

/// Paths relative to the top of the repository, `/`-separated; lines of the table.
#[derive(Default)]
struct Table {
    dirs: BTreeMap<String, Stat>,
    /// `None`: the file was not there (and must still not be).
    ignores: BTreeMap<String, Option<Stat>>,
    manifests: BTreeSet<String>,
}

/// What one walk saw.
#[derive(Default)]
struct Walked {
    /// Each directory with its depth below the walk's start.
    dirs: Vec<(String, Stat, usize)>,
    ignores: Vec<(String, Option<Stat>, usize)>,
    manifests: Vec<String>,
    /// A path that is not UTF-8, or more entries than [`MAX_ENTRIES`]: no table can be kept.
    unfit: bool,
}

impl Table {
    /// The table of a whole walk of `root`.
    fn build(
        top: &Path,
        root: &Path,
        prefix: &str,
        settings: &Settings,
        tree: &Arc<WorkTree>,
    ) -> Option<Table> {
        let mut table = Table::default();
        // the files of git's own that exclude, and the ignore files of the directories between
        // the top and the root, which apply under the root too: there or not, as they are now
        let mut above = vec![".git/info/exclude".to_string()];
        let mut dir = String::new();
        for part in prefix.split('/').filter(|p| !p.is_empty()) {
            for name in [".gitignore", ".ignore"] {
                above.push(format!("{dir}{name}"));
            }
            dir = format!("{dir}{part}/");
        }
        let now = now();
        for path in above {
            let stat = tree.stat_followed(&path).map(|s| settled(s, now));
            table.ignores.insert(path, stat);
        }
        table.absorb(walk(top, &[root.to_path_buf()], None, settings, tree)?);
        Some(table)
    }

    /// Brings the table up to date with the directories that changed (`dirty`); `None` when
    /// only a whole walk can: an ignore file appeared where one was not, or a walk could not say.
    fn refresh(
        &mut self,
        top: &Path,
        dirty: &[String],
        settings: &Settings,
        tree: &Arc<WorkTree>,
    ) -> Option<()> {
        let dirty_set: BTreeSet<&str> = dirty.iter().map(String::as_str).collect();
        // what was found right in a changed directory is looked for again
        self.manifests
            .retain(|m| !dirty_set.contains(m.rsplit_once('/').map_or("", |(d, _)| d)));
        let mut still = Vec::new();
        for d in dirty {
            self.dirs.remove(d);
            // a directory gone (or no longer one) has no entries; its parent changed too
            if std::fs::symlink_metadata(top.join(at(d))).is_ok_and(|m| m.is_dir()) {
                still.push(top.join(d));
            }
        }
        let again = walk(top, &still, Some(1), settings, tree)?;
        if again
            .ignores
            .iter()
            .any(|(path, _, depth)| *depth == 0 && !self.ignores.contains_key(path))
        {
            return None;
        }
        let new: Vec<PathBuf> = again
            .dirs
            .iter()
            .filter(|(path, _, depth)| *depth == 1 && !self.dirs.contains_key(path))
            .map(|(path, _, _)| top.join(path))
            .collect();
        self.absorb(again);
        if !new.is_empty() {
            self.absorb(walk(top, &new, None, settings, tree)?);
        }
        Some(())
    }

    /// Adds what a walk saw. A directory's stat taken as the start of a walk (before it was
    /// read) replaces any other; one seen below the start is added only if the table does not
    /// have it (it was not read, so what the table has of it still holds).
    fn absorb(&mut self, walked: Walked) {
        let (mut starts, below): (Vec<_>, Vec<_>) = walked
            .dirs
            .into_iter()
            .partition(|(_, _, depth)| *depth == 0);
        for (path, stat, _) in below {
            self.dirs.entry(path).or_insert(stat);
        }
        for (path, stat, _) in starts.drain(..) {
            self.dirs.insert(path, stat);
        }
        for (path, stat, _) in walked.ignores {
            self.ignores.entry(path).or_insert(stat);
        }
        self.manifests.extend(walked.manifests);
    }

    /// The table's text: a header, the fingerprint, then one line per directory (`d`), ignore
    /// file (`i`) and manifest (`m`), each path escaped as the other caches escape it.
    fn text(&self, tag: &str) -> String {
        use std::fmt::Write;
        let mut out = format!("{}\n{tag}\n", header());
        for (path, [a, b, c, d]) in &self.dirs {
            let _ = writeln!(out, "d {a} {b} {c} {d}\t{}", escape(path));
        }
        for (path, stat) in &self.ignores {
            match stat {
                Some([a, b, c, d]) => {
                    let _ = writeln!(out, "i {a} {b} {c} {d}\t{}", escape(path));
                }
                None => {
                    let _ = writeln!(out, "i -\t{}", escape(path));
                }
            }
        }
        for path in &self.manifests {
            let _ = writeln!(out, "m\t{}", escape(path));
        }
        // so that a table cut short after a line is not taken for a whole one
        let lines = self.dirs.len() + self.ignores.len() + self.manifests.len();
        let _ = writeln!(out, "end {lines}");
        out
    }
}

/// A table's text as it reads, borrowed: enough to tell whether anything changed, without
/// building the table. The directories' lines, most of the table, are read on every core as
/// their directories are looked at ([`dir_line`]).
struct Lines<'a> {
    dirs: Vec<&'a str>,
    ignores: Vec<(Cow<'a, str>, Option<Stat>)>,
    manifests: Vec<Cow<'a, str>>,
}

impl<'a> Lines<'a> {
    /// A table's text, read exactly (but for the directories' lines) or not at all.
    fn parse(text: &'a str, tag: &str) -> Option<Lines<'a>> {
        let body = text.strip_suffix('\n')?;
        let (body, end) = body.rsplit_once('\n')?;
        let count: usize = end.strip_prefix("end ")?.parse().ok()?;
        let mut lines = body.split('\n');
        if lines.next()? != header() || lines.next()? != tag {
            return None;
        }
        let mut out = Lines {
            dirs: Vec::new(),
            ignores: Vec::new(),
            manifests: Vec::new(),
        };
        let mut read = 0;
        for line in lines {
            read += 1;
            if line.starts_with("d ") {
                out.dirs.push(line);
                continue;
            }
            if let Some(field) = line.strip_prefix("m\t") {
                out.manifests.push(plain_path(field)?);
            } else if let Some(field) = line.strip_prefix("i -\t") {
                out.ignores.push((plain_path(field)?, None));
            } else {
                let (stat, field) = stat_then_path(line.strip_prefix("i ")?)?;
                out.ignores.push((plain_path(field)?, Some(stat)));
            }
        }
        (read == count).then_some(out)
    }

    /// The table, or `None` if a directory's line does not read.
    fn owned(self) -> Option<Table> {
        let mut dirs = BTreeMap::new();
        for line in self.dirs {
            let (path, stat) = dir_line(line)?;
            dirs.insert(path.into_owned(), stat);
        }
        Some(Table {
            dirs,
            ignores: self
                .ignores
                .into_iter()
                .map(|(p, s)| (p.into_owned(), s))
                .collect(),
            manifests: self.manifests.into_iter().map(Cow::into_owned).collect(),
        })
    }
}

/// A path field unescaped, if it is plain relative parts (or `""`, the top): never a way out of
/// the repository.
fn plain_path(field: &str) -> Option<Cow<'_, str>> {
    let path = unescaped(field)?;
    let bad = !path.is_empty()
        && path
            .as_bytes()
            .split(|b| *b == b'/')
            .any(|p| matches!(p, b"" | b"." | b".."));
    (!bad).then_some(path)
}

/// A directory's line, `d <stat>\t<path>`: its path and recorded stat (read byte by byte:
/// there is one for every directory of the tree).
fn dir_line(line: &str) -> Option<(Cow<'_, str>, Stat)> {
    let (stat, field) = stat_then_path(line.strip_prefix("d ")?)?;
    Some((plain_path(field)?, stat))
}

/// Walks `starts` (absolute, inside `top`) as discovery walks, `depth` levels down (`None`: all
/// the way), noting each directory before it is read, its ignore files, and the manifests.
/// `None` when the walk reported a problem or met a path the table cannot hold.
fn walk(
    top: &Path,
    starts: &[PathBuf],
    depth: Option<usize>,
    settings: &Settings,
    tree: &Arc<WorkTree>,
) -> Option<Walked> {
    if starts.is_empty() {
        return Some(Walked::default());
    }
    let walked = Arc::new(Mutex::new(Walked::default()));
    let now = now();
    let seen = {
        let (walked, tree, top) = (walked.clone(), tree.clone(), top.to_path_buf());
        move |dir: &Path, depth: usize| {
            let Some(rel) = relative(&top, dir) else {
                held(&walked).unfit = true;
                return;
            };
            let stat = tree.stat(at(&rel)).map_or(UNKNOWN, |s| settled(s, now));
            let mut ignores = Vec::new();
            for name in [".gitignore", ".ignore"] {
                let path = if rel.is_empty() {
                    name.to_string()
                } else {
                    format!("{rel}/{name}")
                };
                if let Some(s) = tree.stat_followed(&path) {
                    ignores.push((path, Some(settled(s, now)), depth));
                }
            }
            let mut w = held(&walked);
            if w.dirs.len() + w.manifests.len() >= MAX_ENTRIES {
                w.unfit = true;
                return;
            }
            w.dirs.push((rel, stat, depth));
            w.ignores.extend(ignores);
        }
    };
    let dirs = Dirs {
        seen: Arc::new(seen),
        depth,
    };
    let found = discover::stream_dirs(
        starts,
        settings,
        &|path| {
            let mut w = held(&walked);
            match relative(top, &path) {
                Some(rel) if w.dirs.len() + w.manifests.len() < MAX_ENTRIES => {
                    w.manifests.push(rel);
                }
                _ => w.unfit = true,
            }
        },
        &dirs,
    );
    drop(dirs);
    let walked = Arc::try_unwrap(walked).ok()?.into_inner().ok()?;
    (found.problems.is_empty() && !walked.unfit).then_some(walked)
}

/// A path under `top` as the table writes it: relative, `/`-separated, UTF-8.
fn relative(top: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(top).ok()?;
    let mut out = String::new();
    for part in rel.components() {
        let std::path::Component::Normal(name) = part else {
            return None;
        };
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(name.to_str()?);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let mut t = Table::default();
        t.dirs.insert(String::new(), [1, 2, 3, 4]);
        t.dirs.insert("a\tb".into(), [5, 6, 7, 8]);
        t.ignores.insert(".gitignore".into(), Some([9, 10, 11, 12]));
        t.ignores.insert(".git/info/exclude".into(), None);
        t.manifests.insert("a\tb/processing.yaml".into());
        t
    }

    #[test]
    fn a_table_reads_back_exactly_or_not_at_all() {
        let text = table().text("root\t");
        let back = Lines::parse(&text, "root\t").unwrap().owned().unwrap();
        assert_eq!(back.text("root\t"), text);
        // another configuration, a line lost, a path that leads out
        assert!(Lines::parse(&text, "root\tvendor").is_none());
        let lost: String = text
            .lines()
            .filter(|l| !l.starts_with("m\t"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(Lines::parse(&lost, "root\t").is_none());
        for path in ["..", "a/../b", "/etc", "a//b", "./a"] {
            let crafted = text.replace("m\ta\\tb/processing.yaml", &format!("m\t{path}"));
            assert!(Lines::parse(&crafted, "root\t").is_none(), "{path}");
            let crafted = text.replace("\ta\\tb\n", &format!("\t{path}\n"));
            assert_ne!(crafted, text);
            let lines = Lines::parse(&crafted, "root\t").unwrap();
            assert!(lines.dirs.iter().any(|l| dir_line(l).is_none()), "{path}");
            assert!(lines.owned().is_none(), "{path}");
        }
    }

    #[test]
    fn a_stat_too_recent_to_be_sure_of_is_unknown() {
        assert_eq!(settled([100, 5, 6, 7], 103), [100, 5, 6, 7]);
        assert_eq!(settled([100, 5, 6, 7], 102), UNKNOWN);
        assert_eq!(settled([100, 5, 6, 7], 50), UNKNOWN);
    }
}
