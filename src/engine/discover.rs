//! Manifest discovery (spec §1): files named `processing.yaml`, `processing.yml`,
//! `*.processing.yaml` or `*.processing.yml` under the given directories, honouring `.gitignore`
//! and `.ignore`; files named explicitly are linted whatever their name.

use std::path::{Path, PathBuf};

use globset::GlobSet;

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
            Err(e) => found.problems.push(
                Problem::new(ProblemKind::Unread, super::read::io(e).message(filter.lang))
                    .on(display_path(path)),
            ),
            Ok(meta) if meta.is_file() => send(clean(path)),
            Ok(meta) if meta.is_dir() => walk_dir(path, &filter, send, other, dirs, &mut found),
            // a FIFO, socket or device: reading it could block or never end
            Ok(_) => found.problems.push(super::walk::unread(t(
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

/// Walks a directory on every core ([`super::walk`]); the caller sorts what is found.
///
/// A directory whose ignore files cannot be read safely is not searched, and that is
/// reported: its manifests would otherwise be missed in silence. The directories above the
/// walked one, whose ignore files also apply, are checked first.
fn walk_dir(
    dir: &Path,
    filter: &Filter,
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
    let base = if start.starts_with(&root) {
        root
    } else {
        start
    };
    let excluded = |path: &Path| filter.matches(&filter.exclude, path);
    let visit = |path: &Path, name: &std::ffi::OsStr, kind: super::walk::Kind| {
        // a link is handed over too: the linter decides whether it may be read
        if kind.is_file() || kind.is_symlink() {
            let named = is_manifest_file_name(name);
            let excluded = filter.matches(&filter.exclude, path);
            if !excluded && (named || filter.matches(&filter.include, path)) {
                send(clean(path));
            } else if !excluded
                && let Some((wanted, sink)) = other
                && wanted(path, name)
            {
                sink(clean(path));
            }
        } else if (is_manifest_file_name(name)
            || other.is_some_and(|(wanted, _)| wanted(path, name)))
            && !filter.matches(&filter.exclude, path)
        {
            // a FIFO, socket or device with a manifest's name: said, never opened
            let shown = display_path(path);
            return Some(crate::i18n::t(
                filter.lang,
                format!("{shown}: not a regular file; not read"),
                format!("{shown} : pas un fichier ordinaire ; il n'est pas lu"),
            ));
        }
        None
    };
    let problems = super::walk::run(&super::walk::Walk {
        dir,
        base: &base,
        max_depth: dirs.and_then(|d| d.depth),
        lang: filter.lang,
        excluded: &excluded,
        seen: dirs.map(|d| &*d.seen as &super::walk::Entered<'_>),
        visit: &visit,
    });
    found.problems.extend(problems);
}

/// Drops `./` components so that paths print the same however they were given (as the walk hands
/// its files over).
pub(crate) fn clean(path: &Path) -> PathBuf {
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
