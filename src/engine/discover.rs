//! Manifest discovery (spec §1): files named `processing.yaml`, `processing.yml`,
//! `*.processing.yaml` or `*.processing.yml` under the given directories, honouring `.gitignore`
//! and `.ignore`; files named explicitly are linted whatever their name.

use std::path::{Path, PathBuf};

use globset::GlobSet;

use super::read::ReadError;
use crate::config::Settings;
use crate::diag::{Problem, ProblemKind};
use crate::i18n::Lang;
use crate::source::display_path;

/// What discovery found.
#[derive(Debug, Default)]
pub struct Found {
    /// Manifests to lint, sorted and without duplicates.
    pub manifests: Vec<PathBuf>,
    /// Explicit paths that do not exist, directories or entries that could not be read.
    pub problems: Vec<Problem>,
}

/// Whether a file name, as bytes (it need not be UTF-8), is a manifest name: a manifest whose
/// name holds bytes that are not UTF-8 is still found, never dropped.
pub fn is_manifest_file_name(name: &std::ffi::OsStr) -> bool {
    let bytes = name.as_encoded_bytes();
    matches!(bytes, b"processing.yaml" | b"processing.yml")
        || bytes.ends_with(b".processing.yaml")
        || bytes.ends_with(b".processing.yml")
}

/// Finds the manifests under the paths. The configuration's `exclude` globs skip files and
/// directories found by walking, and its `include` globs name more files as manifests; both are
/// relative to the configuration's directory. Files named explicitly are always linted.
pub fn discover(paths: &[PathBuf], settings: &Settings) -> Found {
    let manifests = std::sync::Mutex::new(Vec::new());
    let mut found = stream(paths, settings, &|p| {
        manifests.lock().map(|mut v| v.push(p)).ok();
    });
    found.manifests = manifests.into_inner().unwrap_or_default();
    found.manifests.sort_by_cached_key(|p| display_path(p));
    found.manifests.dedup();
    found
}

/// Finds the manifests and hands each one to `send` as soon as it is found (from the walker's
/// threads, in no particular order, possibly twice when paths overlap), so that linting can
/// start while the walk goes on. The returned `Found` has the missing paths and the errors.
pub fn stream(paths: &[PathBuf], settings: &Settings, send: &(dyn Fn(PathBuf) + Sync)) -> Found {
    stream_with(paths, settings, send, None)
}

/// A file other than a manifest that the walk also hands over, by name (coverage's dependency
/// files and data definitions): `(path, name) -> wanted`.
pub type Wanted<'a> = (
    &'a (dyn Fn(&Path, &std::ffi::OsStr) -> bool + Sync),
    &'a (dyn Fn(PathBuf) + Sync),
);

/// [`stream`], also handing the files `other` wants to its sink, in the same walk (with the same
/// ignore files, `exclude` globs and checks).
pub fn stream_with(
    paths: &[PathBuf],
    settings: &Settings,
    send: &(dyn Fn(PathBuf) + Sync),
    other: Option<Wanted<'_>>,
) -> Found {
    stream_all(paths, settings, send, other, None)
}

/// Told of a directory entered: its path, and its depth below the walk's start.
pub type Seen = std::sync::Arc<dyn Fn(&Path, usize) + Send + Sync>;

/// What a walk also tells of the directories it enters, for the table of untracked manifests
/// ([`super::untracked`]): each directory it will read, once, before reading it (the start of
/// the walk first), with its depth below the start; and how deep to go (`None`: all the way).
#[derive(Clone)]
pub struct Dirs {
    pub seen: Seen,
    pub depth: Option<usize>,
}

/// [`stream`], also telling `dirs` of each directory entered.
pub fn stream_dirs(
    paths: &[PathBuf],
    settings: &Settings,
    send: &(dyn Fn(PathBuf) + Sync),
    dirs: &Dirs,
) -> Found {
    stream_all(paths, settings, send, None, Some(dirs))
}

fn stream_all(
    paths: &[PathBuf],
    settings: &Settings,
    send: &(dyn Fn(PathBuf) + Sync),
    other: Option<Wanted<'_>>,
    dirs: Option<&Dirs>,
) -> Found {
    let mut found = Found::default();
    let cwd = std::env::current_dir().unwrap_or_default();
    let filter = std::sync::Arc::new(Filter {
        include: settings.include_set(),
        exclude: settings.exclude_set(),
        root: crate::source::lexical(
            &crate::source::absolute(&settings.root).unwrap_or_else(|_| settings.root.clone()),
        )
        .into_owned(),
        cwd,
        lang: settings.lang.value,
    });
    let t = |en: String, fr: String| crate::i18n::t(filter.lang, en, fr);
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => found.problems.push(
                Problem::new(
                    ProblemKind::Unread,
                    ReadError::NotFound.message(filter.lang),
                )
                .on(display_path(path)),
            ),
            Err(e) => found.problems.push(
                Problem::new(
                    ProblemKind::Unread,
                    ReadError::Io(e.to_string()).message(filter.lang),
                )
                .on(display_path(path)),
            ),
            Ok(meta) if meta.is_file() => send(clean(path)),
            Ok(meta) if meta.is_dir() => walk_dir(path, &filter, send, other, dirs, &mut found),
            // a FIFO, socket or device: reading it could block or never end
            Ok(_) => found.problems.push(unread(t(
                format!(
                    "{}: not a regular file or directory; not read",
                    display_path(path)
                ),
                format!(
                    "{} : ni un fichier ordinaire ni un dossier ; il n'est pas lu",
                    display_path(path)
                ),
            ))),
        }
    }
    found
}

struct Filter {
    include: GlobSet,
    exclude: GlobSet,
    cwd: PathBuf,
    root: PathBuf,
    /// The language of the problems the walk reports.
    lang: Lang,
}

impl Filter {
    /// A path relative to the configuration root, `/`-separated (computed without system calls).
    fn relative(&self, path: &Path) -> Option<String> {
        let abs = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.cwd.join(path)
        };
        let abs = crate::source::lexical(&abs);
        let rel = abs.strip_prefix(&self.root).ok()?;
        Some(crate::source::slashed(rel))
    }

    fn matches(&self, set: &GlobSet, path: &Path) -> bool {
        !set.is_empty() && self.relative(path).is_some_and(|rel| set.is_match(rel))
    }
}

/// The largest `.gitignore` or `.ignore` file the walk lets the `ignore` crate read: it reads
/// and compiles such a file whole, with no limit of its own (a few megabytes of patterns take
/// seconds and gigabytes), and a link to `/dev/zero` would never end.
pub const MAX_IGNORE_FILE: u64 = 64 * 1024;

/// The most bytes of ignore files on one path from `/` down to a directory: the matchers of a
/// directory and of all the directories above it are held in memory together.
pub const MAX_IGNORE_CHAIN: u64 = 256 * 1024;

/// The size of a directory's ignore files, or why they cannot be read safely. A link must stay
/// inside `base` (the repository) when `base` is given, so that no outside file is read as
/// patterns; any link must lead to a regular file, and no file may be over the limit.
fn ignore_files(dir: &Path, base: Option<&Path>, lang: Lang) -> Result<u64, String> {
    let policy = super::read::Policy {
        within: base.map(Path::to_path_buf),
        limit: MAX_IGNORE_FILE,
    };
    let mut bytes = 0;
    let names = [dir.join(".gitignore"), dir.join(".ignore")];
    for path in names.iter().chain(&git_files(dir)) {
        use super::read::ReadError;
        let problem = match super::read::check(path, &policy) {
            Ok(size) => {
                bytes += size;
                continue;
            }
            // nothing there, a broken link, or a directory that cannot be read: the walker
            // cannot open it either, and reports the directory itself
            Err(ReadError::NotFound | ReadError::BrokenLink | ReadError::Io(_)) => continue,
            Err(problem) => problem,
        };
        // named only when something is wrong (most directories have no ignore file at all)
        let shown = display_path(path);
        match problem {
            ReadError::TooLarge { .. } => {
                let size = std::fs::metadata(path).map_or(0, |m| m.len());
                return Err(crate::i18n::t(
                    lang,
                    format!(
                        "{shown}: {size} bytes, over the {MAX_IGNORE_FILE}-byte limit for an ignore file"
                    ),
                    format!(
                        "{shown} : {size} octets, au-delà de la limite de {MAX_IGNORE_FILE} octets d'un fichier d'exclusion"
                    ),
                ));
            }
            ReadError::LinkOutside if base.is_some() => {
                return Err(crate::i18n::t(
                    lang,
                    format!("{shown}: a link out of the repository, or not to a regular file"),
                    format!("{shown} : un lien hors du dépôt, ou pas vers un fichier ordinaire"),
                ));
            }
            ReadError::NotRegular | ReadError::LinkOutside => {
                return Err(crate::i18n::t(
                    lang,
                    format!("{shown}: not a regular file"),
                    format!("{shown} : pas un fichier ordinaire"),
                ));
            }
            e => {
                let colon = crate::i18n::s(lang, ":", " :");
                return Err(format!("{shown}{colon} {}", e.message(lang)));
            }
        }
    }
    Ok(bytes)
}

/// The files the walker reads to find a directory's `info/exclude`, as the `ignore` crate finds
/// them: `.git/info/exclude` where `.git` is a directory; where `.git` is a file (a submodule or
/// a worktree), that file, the `commondir` file of the directory it names, and the
/// `info/exclude` there. Each must pass the same checks as an ignore file, so that none of them
/// can be a FIFO or a device that blocks the walk.
fn git_files(dir: &Path) -> Vec<PathBuf> {
    let dot_git = dir.join(".git");
    let Ok(meta) = std::fs::symlink_metadata(&dot_git) else {
        return Vec::new();
    };
    if !meta.is_file() {
        return vec![dot_git.join("info/exclude")];
    }
    let first_line = |path: &Path| {
        let policy = super::read::Policy::named(MAX_IGNORE_FILE);
        super::read::text(path, &policy)
            .ok()
            .and_then(|t| t.lines().next().map(str::to_string))
    };
    let mut files = vec![dot_git.clone()];
    let Some(real) =
        first_line(&dot_git).and_then(|l| l.strip_prefix("gitdir: ").map(PathBuf::from))
    else {
        return files;
    };
    let commondir = real.join("commondir");
    files.push(commondir.clone());
    if let Some(line) = first_line(&commondir) {
        let common = if line.starts_with('.') {
            real.join(line)
        } else {
            PathBuf::from(line)
        };
        files.push(common.join("info/exclude"));
    }
    files
}

/// Adds a directory's ignore files to those above it, within the limit for one path.
fn chained(dir: &Path, above: u64, own: u64, lang: Lang) -> Result<u64, String> {
    let total = above + own;
    if total > MAX_IGNORE_CHAIN {
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

/// Walks a directory on every core; the caller sorts what is found.
///
/// A directory whose ignore files cannot be read safely (`ignore_files`, `chained`) is not searched,
/// and that is reported: its manifests would otherwise be missed in silence. The walked
/// directory and the directories above it, whose ignore files also apply, are checked first.
fn walk_dir(
    dir: &Path,
    filter: &std::sync::Arc<Filter>,
    send: &(dyn Fn(PathBuf) + Sync),
    other: Option<Wanted<'_>>,
    dirs: Option<&Dirs>,
    found: &mut Found,
) {
    if filter.matches(&filter.exclude, dir) {
        return;
    }
    let start = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let root = std::fs::canonicalize(&filter.root).unwrap_or_else(|_| filter.root.clone());
    let base = std::sync::Arc::new(if start.starts_with(&root) {
        root
    } else {
        start.clone()
    });
    let mut top = 0;
    for above in start.ancestors().collect::<Vec<_>>().into_iter().rev() {
        // inside the repository, links are held to it; above it, only type and size count
        let within = above.starts_with(&*base).then_some(&**base);
        let checked = ignore_files(above, within, filter.lang)
            .and_then(|own| chained(above, top, own, filter.lang));
        match checked {
            Ok(total) => top = total,
            Err(problem) => {
                found
                    .problems
                    .push(unread(not_searched(&problem, dir, filter.lang)));
                return;
            }
        }
    }
    if let Some(dirs) = dirs {
        (dirs.seen)(dir, 0);
    }
    // bytes of ignore files from `/` down to each directory entered that has some of its own,
    // for the limit on one path
    let chains = std::sync::Arc::new(std::sync::Mutex::new(std::collections::HashMap::<
        PathBuf,
        u64,
    >::new()));
    let errors = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let entry_filter = {
        let (filter, errors, base) = (filter.clone(), errors.clone(), base.clone());
        let (chains, dir) = (chains.clone(), dir.to_path_buf());
        let seen = dirs.map(|d| d.seen.clone());
        // runs before the walker enters a directory, so before it reads the ignore files there
        move |e: &ignore::DirEntry| {
            if !e.file_type().is_some_and(|t| t.is_dir()) {
                return true;
            }
            if e.file_name() == ".git" || filter.matches(&filter.exclude, e.path()) {
                return false;
            }
            let checked = ignore_files(e.path(), Some(&base), filter.lang).and_then(|own| {
                if own == 0 {
                    // nothing new on this path: the nearest total above stands, and was checked
                    return Ok(());
                }
                let mut chains = chains
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                // the nearest directory above with ignore files of its own was entered, so
                // recorded, before this one was looked at
                let above = e
                    .path()
                    .ancestors()
                    .skip(1)
                    .take_while(|p| *p != dir)
                    .find_map(|p| chains.get(p).copied())
                    .unwrap_or(top);
                let total = chained(e.path(), above, own, filter.lang)?;
                chains.insert(e.path().to_path_buf(), total);
                Ok(())
            });
            match checked {
                Ok(()) => {
                    if let Some(seen) = &seen {
                        seen(e.path(), e.depth());
                    }
                    true
                }
                Err(problem) => {
                    let message = not_searched(&problem, e.path(), filter.lang);
                    errors.lock().map(|mut v| v.push(message)).ok();
                    false
                }
            }
        }
    };
    ignore::WalkBuilder::new(dir)
        // manifests may live under hidden directories (e.g. `.github/`); `.git` itself is skipped
        .hidden(false)
        // honour .gitignore even when the tree is not (yet) a git repository
        .require_git(false)
        // the global excludes file (core.excludesFile) belongs to the machine, not to the
        // repository: it is not read, so that a run gives the same result everywhere
        .git_global(false)
        .filter_entry(entry_filter)
        .max_depth(dirs.and_then(|d| d.depth))
        .threads(std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
        .build_parallel()
        .run(|| {
            let errors = &errors;
            Box::new(move |entry| {
                let e = match entry {
                    Ok(e) => e,
                    Err(err) => {
                        errors.lock().map(|mut v| v.push(walk_error(&err))).ok();
                        return ignore::WalkState::Continue;
                    }
                };
                let kind = e.file_type();
                if kind.is_some_and(|t| t.is_dir()) {
                    return ignore::WalkState::Continue;
                }
                // a link is handed over too: the linter decides whether it may be read
                if kind.is_some_and(|t| t.is_file() || t.is_symlink()) {
                    let named = is_manifest_file_name(e.file_name());
                    let excluded = filter.matches(&filter.exclude, e.path());
                    if !excluded && (named || filter.matches(&filter.include, e.path())) {
                        send(clean(e.path()));
                    } else if !excluded
                        && let Some((wanted, sink)) = other
                        && wanted(e.path(), e.file_name())
                    {
                        sink(clean(e.path()));
                    }
                } else if (is_manifest_file_name(e.file_name())
                    || other.is_some_and(|(wanted, _)| wanted(e.path(), e.file_name())))
                    && !filter.matches(&filter.exclude, e.path())
                {
                    // a FIFO, socket or device with a manifest's name: said, never opened
                    let shown = display_path(e.path());
                    let message = crate::i18n::t(
                        filter.lang,
                        format!("{shown}: not a regular file; not read"),
                        format!("{shown} : pas un fichier ordinaire ; il n'est pas lu"),
                    );
                    errors.lock().map(|mut v| v.push(message)).ok();
                }
                ignore::WalkState::Continue
            })
        });
    found.problems.extend(
        errors
            .lock()
            .map(|v| v.clone())
            .unwrap_or_default()
            .into_iter()
            .map(unread),
    );
}

/// A path that could not be searched or read; the message names it.
fn unread(message: String) -> Problem {
    Problem::new(ProblemKind::Unread, message)
}

/// A walk error with its path shown like every other path (`secret: …`, not `./secret: …`).
fn walk_error(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithDepth { err, .. } => walk_error(err),
        ignore::Error::WithPath { path, err } => format!("{}: {err}", display_path(path)),
        other => other.to_string(),
    }
}

/// Drops `./` components so that paths print the same however they were given.
fn clean(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_names() {
        for ok in [
            "processing.yaml",
            "processing.yml",
            "crm.processing.yaml",
            "a.b.processing.yml",
        ] {
            assert!(is_manifest_file_name(ok.as_ref()), "{ok}");
        }
        for no in [
            "processing.json",
            "xprocessing.yaml",
            "processing.yaml.bak",
            "processing",
        ] {
            assert!(!is_manifest_file_name(no.as_ref()), "{no}");
        }
    }

    #[test]
    fn display_paths_are_slash_separated_without_dot() {
        assert_eq!(
            display_path(Path::new("./a/b/processing.yaml")),
            "a/b/processing.yaml"
        );
        assert_eq!(display_path(Path::new("a/./b.yaml")), "a/b.yaml");
    }
}
