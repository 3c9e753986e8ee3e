//! The engine: the library every command runs on. It owns the middle of the one-way flow:
//!
//! ```text
//! settings (ropa.yaml + flags) → catalogs → discover → read → parse → per-activity rules
//!   → repository rules (MF005) → deviations and levels, once → Outcome
//! ```
//!
//! Commands (`app/`) turn flags into a [`Request`], call [`settings`], [`catalogs`] and
//! [`run::lint`], and hand the [`Outcome`] to a renderer. Nothing here prints, and nothing here
//! knows about the command line. Every problem that keeps the engine from doing its job is a
//! [`Problem`](crate::diag::Problem), located where it can be, so that every renderer can show
//! it.

pub mod discover;
pub mod git;
mod index;
pub mod outcome;
pub mod read;
pub mod run;
mod untracked;
mod walk;

use std::path::PathBuf;
use std::sync::Arc;

pub use outcome::Outcome;

use crate::catalog::load::{self, Loaded};
use crate::config::{Origin, Set, Settings};
use crate::diag::{Problem, ProblemKind, Severity};
use crate::i18n::{Lang, t};
use crate::source::{Source, Span, display_path};

/// What the command line adds to the configuration file.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// Where the configuration and the repository are looked for, instead of the working
    /// directory ([`start_for`]).
    pub start: Option<PathBuf>,
    /// `--config FILE`.
    pub config: Option<PathBuf>,
    /// `--isolated`: no configuration file at all.
    pub isolated: bool,
    /// `--catalog FILE`, in order.
    pub catalogs: Vec<PathBuf>,
    /// `--lang`.
    pub lang: Option<Lang>,
    /// `--fail-on`.
    pub fail_on: Option<Severity>,
}

/// The repository a run is in: the nearest directory at or above `root` (the configuration's
/// directory, or the working directory) that has a `.git`, else `root` itself. Manifests may
/// link, and references point, only inside it.
pub fn repo_root(root: &std::path::Path) -> PathBuf {
    let abs = crate::source::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let abs = crate::source::lexical(&abs);
    abs.ancestors()
        .find(|dir| dir.join(".git").exists())
        .unwrap_or(&abs)
        .to_path_buf()
}

/// Where a run over `paths` looks for its configuration and its repository: the working
/// directory, unless a path lies outside the working directory's repository (`ropa lint
/// ../other-repo`, a fixture under `/tmp`). Then it is that path's directory (the first such
/// path's), as if ropa were run there: its `ropa.yaml` applies, and `code:` globs and document
/// references are checked against its repository, not the working directory's.
///
/// A path counts as outside only if it is outside both as written and once its links are
/// followed: a link in the repository that leads out of it (untrusted, and the hooks pass the
/// repository's own file names) never moves where the configuration is looked for.
pub fn start_for(paths: &[PathBuf]) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let home = repo_root(&cwd);
    let real_home = std::fs::canonicalize(&home).ok()?;
    paths.iter().find_map(|path| {
        let real = std::fs::canonicalize(path).ok()?;
        let written = crate::source::absolute(path).ok()?;
        if real.starts_with(&real_home) || crate::source::lexical(&written).starts_with(&home) {
            return None;
        }
        let dir = if real.is_dir() {
            path.as_path()
        } else {
            crate::source::dir_of(path)
        };
        crate::source::absolute(dir).ok()
    })
}

/// How many threads to run at once: the cores this process may use, asked once (each asking
/// reads the control group's files again).
pub(crate) fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
}

/// `f` over the items, split between the cores; the results in the items' order. A panic in
/// one of the threads is the caller's (a crash is reported as one, never taken for no result).
/// One item is done on the calling thread: no thread is started for it.
pub(crate) fn on_every_core<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> Option<R> + Sync,
) -> Vec<R> {
    let threads = cores();
    if items.len() < 2 || threads < 2 {
        return items.iter().filter_map(f).collect();
    }
    let chunk = items.len().div_ceil(threads).max(1);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().filter_map(f).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// A lock on a cache, taken even if a thread panicked while holding it (a cache stays usable).
pub(crate) fn held<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The largest configuration or catalog file ropa reads.
pub const MAX_SETTINGS_BYTES: u64 = 4 * 1024 * 1024;

/// Why the settings could not be made: the problems, in the language the flags or the file ask
/// for, which is the language to report them in.
#[derive(Debug)]
pub struct SettingsError {
    pub lang: Lang,
    pub problems: Vec<Problem>,
}

/// The effective settings: defaults, then the configuration file, then the flags.
pub fn settings(flags: &Overrides) -> Result<Settings, SettingsError> {
    let cwd = flags
        .start
        .clone()
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."));
    let mut fallback = Settings::defaults(cwd.clone());
    apply_flags(&mut fallback, flags);
    let lang = fallback.lang.value;
    let file = match (&flags.config, flags.isolated) {
        (_, true) => None,
        (Some(path), false) => Some(path.clone()),
        (None, false) => crate::config::discover(&cwd),
    };
    let Some(path) = file else {
        return Ok(fallback);
    };
    let shown = display_path(&path);
    // a configuration found in the repository may be a link, but not one out of its directory;
    // one named on the command line is the user's choice
    let policy = if flags.config.is_some() {
        read::Policy::named(MAX_SETTINGS_BYTES)
    } else {
        read::Policy::within(crate::source::dir_of(&path), MAX_SETTINGS_BYTES)
    };
    let text = match read::text(&path, &policy) {
        Ok(text) => text,
        Err(e) => {
            let problem = Problem::new(ProblemKind::Configuration, e.message(lang)).on(shown);
            return Err(SettingsError {
                lang,
                problems: vec![problem],
            });
        }
    };
    let source = Arc::new(Source::new(shown, path.clone(), text));
    let defaults = Settings::defaults(cwd.clone());
    let read = |lang| crate::config::file::read(&source, defaults.clone(), lang);
    let mut result = read(lang);
    // without --lang, the file's own `lang:` says in which language to report its problems
    if flags.lang.is_none()
        && let Err(problems) = &result
        && crate::config::file::declared_lang(&source) == Some(Lang::Fr)
        && !problems.is_empty()
    {
        result = read(Lang::Fr);
        fallback.lang = Set::default(Lang::Fr);
    }
    match result {
        Ok(mut settings) => {
            apply_flags(&mut settings, flags);
            Ok(settings)
        }
        Err(problems) => {
            let problems = problems
                .into_iter()
                .map(|p| {
                    Problem::new(ProblemKind::Configuration, p.message).at(source.clone(), p.span)
                })
                .collect();
            Err(SettingsError {
                lang: fallback.lang.value,
                problems,
            })
        }
    }
}

fn apply_flags(settings: &mut Settings, flags: &Overrides) {
    for c in &flags.catalogs {
        settings.catalogs.push(Set {
            value: c.clone(),
            origin: Origin::Flag("--catalog"),
        });
    }
    if let Some(lang) = flags.lang {
        settings.lang = Set {
            value: lang,
            origin: Origin::Flag("--lang"),
        };
    }
    if let Some(severity) = flags.fail_on {
        settings.fail_on = Set {
            value: severity,
            origin: Origin::Flag("--fail-on"),
        };
    }
}

/// The built-in catalog extended by the configured and `--catalog` files, in that order. A
/// catalog named by the configuration file is held to the configuration's directory (the
/// configuration checks that the path is; the read checks that no link leads out).
pub fn catalogs(settings: &Settings) -> Result<Loaded, Vec<Problem>> {
    let lang = settings.lang.value;
    let mut base = load::builtin().map_err(|e| {
        vec![Problem::new(
            ProblemKind::Catalog,
            t(
                lang,
                format!("built-in catalog: {e}"),
                format!("catalogue intégré : {e}"),
            ),
        )]
    })?;
    for c in &settings.catalogs {
        let path = &c.value;
        let shown = display_path(path);
        let policy = match c.origin {
            Origin::File(..) => read::Policy::within(&settings.root, MAX_SETTINGS_BYTES),
            Origin::Default | Origin::Flag(_) => read::Policy::named(MAX_SETTINGS_BYTES),
        };
        let text = read::text(path, &policy).map_err(|e| {
            vec![Problem::new(ProblemKind::Catalog, e.message(lang)).on(shown.clone())]
        })?;
        let source = Arc::new(Source::new(shown.clone(), path.clone(), text));
        base = load::merge(base, &source.text, &shown, lang).map_err(|errors| {
            errors
                .0
                .into_iter()
                .map(|e| {
                    let message = load::message_in(&e.message, lang);
                    let problem = Problem::new(ProblemKind::Catalog, message);
                    if e.line == 0 {
                        problem.on(shown.clone())
                    } else {
                        let at = source.offset(e.line as usize, e.column as usize);
                        problem.at(source.clone(), Span::new(at, at))
                    }
                })
                .collect::<Vec<_>>()
        })?;
    }
    Ok(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The results come in the items' order whatever the number of items; one item is done on
    /// the calling thread, several on as many threads as there are cores (when there are two).
    #[test]
    fn work_is_shared_between_cores_in_order_and_one_item_starts_no_thread() {
        let caller = std::thread::current().id();
        for n in [0usize, 1, 2, 3, 17, 1000] {
            let items: Vec<usize> = (0..n).collect();
            let threads = std::sync::Mutex::new(std::collections::HashSet::new());
            let got = on_every_core(&items, |&i| {
                threads.lock().unwrap().insert(std::thread::current().id());
                (i % 5 != 0).then_some(i * 2)
            });
            let want: Vec<usize> = items
                .iter()
                .filter(|i| *i % 5 != 0)
                .map(|i| i * 2)
                .collect();
            assert_eq!(got, want, "{n}");
            let threads = threads.into_inner().unwrap();
            if n == 1 || cores() < 2 {
                assert!(threads.iter().all(|t| *t == caller), "{n}");
            } else if n >= 2 {
                assert!(!threads.contains(&caller), "{n}");
            }
        }
        assert_eq!(
            cores(),
            std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
        );
    }
}
