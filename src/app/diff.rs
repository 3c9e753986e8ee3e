//! `ropa diff [BASE [HEAD]]`: both sides through the engine, then [`crate::diff`], then a
//! renderer. A side is a directory, or a git revision read from git's objects into a temporary
//! directory (no checkout: the working tree is never touched, nothing the repository names is
//! run).

use std::path::{Path, PathBuf};

use super::{Exit, Failure, emit};
use crate::catalog::load::Loaded;
use crate::cli::{DiffArgs, DiffFailOn, DiffFormat};
use crate::config::Settings;
use crate::diff::{self, Level};
use crate::engine::{self, Outcome, run::Request};
use crate::i18n::Lang;
use crate::render::console::Sink;

/// How git problems of this command are introduced.
const WHAT: &str = "ropa diff";

/// One side of a comparison, ready to lint.
pub enum Where {
    /// A directory on disk (the working tree, or one named on the command line).
    Dir(PathBuf),
    /// A commit, read into a temporary directory that lives as long as this value.
    Rev {
        commit: String,
        dir: tempfile::TempDir,
        tree: Option<Box<engine::git::Tree>>,
    },
}

impl Where {
    /// A commit's manifests (with `only`, only those among these paths, relative to the
    /// repository's top), written into a new temporary directory.
    pub fn rev(
        commit: String,
        settings: &Settings,
        lang: Lang,
        only: Option<&std::collections::HashSet<PathBuf>>,
    ) -> Result<Where, Failure> {
        let dir = tempfile::Builder::new()
            .prefix("ropa-diff-")
            .tempdir()
            .map_err(|e| {
                let what = crate::i18n::s(lang, "temporary directory", "dossier temporaire");
                Failure::output_io(what, &e, lang)
            })?;
        let top = engine::git::top(WHAT, lang).map_err(|p| Failure(vec![p]))?;
        // the configuration's globs are relative to its directory, in the repository
        let base = settings
            .root
            .canonicalize()
            .ok()
            .and_then(|r| {
                r.strip_prefix(top.canonicalize().ok()?)
                    .ok()
                    .map(Path::to_path_buf)
            })
            .unwrap_or_default();
        let include: Vec<globset::GlobMatcher> = settings
            .include
            .iter()
            .filter_map(|g| {
                crate::manifest::glob(&g.value)
                    .ok()
                    .map(|g| g.compile_matcher())
            })
            .collect();
        // asked of every file of the revision: the cheap questions first
        let want = |rel: &Path| {
            let manifest = rel
                .file_name()
                .is_some_and(engine::discover::is_manifest_file_name)
                || (!include.is_empty()
                    && rel
                        .strip_prefix(&base)
                        .is_ok_and(|r| include.iter().any(|g| g.is_match(r))));
            manifest && only.is_none_or(|o| o.contains(rel))
        };
        let tree = engine::git::Tree::read(
            &commit,
            dir.path(),
            want,
            settings.max_file_size.value,
            lang,
        )
        .map_err(|p| Failure(vec![p]))?;
        Ok(Where::Rev {
            commit,
            dir,
            tree: Some(Box::new(tree)),
        })
    }

    /// The directory the side's files are in.
    pub fn root(&self) -> PathBuf {
        match self {
            Where::Dir(p) => p.clone(),
            Where::Rev { dir, .. } => dir.path().to_path_buf(),
        }
    }

    /// How the side is named in reports: the directory, or the revision as given with its
    /// commit.
    pub fn label(&self, given: Option<&str>, lang: Lang) -> String {
        match (self, given) {
            (Where::Dir(_), None) => crate::i18n::t(lang, "the working tree", "l'arbre de travail"),
            (Where::Dir(p), Some(g)) if Path::new(g).is_dir() => crate::source::display_path(p),
            // a revision read from the working tree that holds it
            (Where::Dir(_), Some(g)) => g.to_string(),
            (Where::Rev { commit, .. }, given) => {
                let short: String = commit.chars().take(12).collect();
                match given {
                    Some(g) if g != commit => format!("{g} ({short})"),
                    Some(_) => short,
                    None => crate::i18n::t(
                        lang,
                        format!("merge base ({short})"),
                        format!("base de fusion ({short})"),
                    ),
                }
            }
        }
    }

    /// Lints the side with the settings rooted in it, keeping its manifests when `keep`. With
    /// `changed` (paths relative to the side's root), only the manifests among them are kept;
    /// when `scoped`, only they, and those whose documents or code are among them, are
    /// reported, the others being read for their ids only; when `touched`, the outcome notes
    /// the manifests whose documents or code are among them ([`Outcome::touching`]).
    pub fn lint(
        &mut self,
        settings: &Settings,
        catalog: &Loaded,
        keep: bool,
        changed: Option<&[PathBuf]>,
        (scoped, touched): (bool, bool),
    ) -> Outcome {
        let root = self.root();
        let changed: Option<Vec<PathBuf>> = changed.map(|c| {
            c.iter()
                .map(|p| engine::run::canonical(&root.join(p)))
                .collect()
        });
        let keep_only = changed.as_ref().map(|c| c.iter().cloned().collect());
        let touched_by = changed.clone().filter(|_| touched);
        let changed = changed.filter(|_| scoped);
        let mut settings = settings.clone();
        // the configuration's relative globs (`per_path`, `exclude`) apply from the side's root
        if let Where::Rev { .. } = self {
            settings.root = root.clone();
        }
        let request = Request {
            paths: vec![root],
            changed,
            keep_manifests: keep,
            keep_only,
            use_index: false,
            staged: false,
            coverage: crate::engine::run::Coverage::Off,
            touched_by,
        };
        match self {
            Where::Rev { tree, .. } => match tree.take() {
                Some(tree) => engine::run::lint_in(&request, catalog, &settings, tree),
                None => engine::run::lint(&request, catalog, &settings),
            },
            Where::Dir(_) => engine::run::lint(&request, catalog, &settings),
        }
    }
}

/// The changed files, when the changed manifests among them are all the old side needs: every
/// other changed file kept its place (only its content changed), so no document or code a
/// manifest names appeared or vanished, and the unchanged manifests are the same on both sides.
/// `None`: a file appeared or vanished, and the manifests that name it are needed too
/// ([`touched`]).
pub fn partial(
    changes: Option<&[engine::git::Changed]>,
) -> Option<std::collections::HashSet<PathBuf>> {
    let changes = changes?;
    let manifest = |p: &Path| {
        p.file_name()
            .is_some_and(engine::discover::is_manifest_file_name)
    };
    if changes.iter().any(|f| !f.modified && !manifest(&f.path)) {
        return None;
    }
    Some(changes.iter().map(|f| f.path.clone()).collect())
}

/// What the old side needs when a file appeared or vanished: the changed files, and the
/// manifests whose documents or code are among them, as the new side found them (`new`, linted
/// with `touched` from `root`). An unchanged manifest is the same text on both sides, so it
/// names the same files on both; any other unchanged manifest has the findings it had, and its
/// ids are taken from the new side.
pub fn touched(
    changes: &[engine::git::Changed],
    new: &Outcome,
    root: &Path,
) -> std::collections::HashSet<PathBuf> {
    let root = engine::run::canonical(root);
    changes
        .iter()
        .map(|f| f.path.clone())
        .chain(new.touching.iter().filter_map(|p| {
            engine::run::canonical(p)
                .strip_prefix(&root)
                .ok()
                .map(Path::to_path_buf)
        }))
        .collect()
}

/// Whether `commit` is the one checked out and the working tree differs from it in nothing
/// (no staged, unstaged or untracked change).
fn checked_out(commit: &str, lang: Lang) -> bool {
    engine::git::commit("HEAD", "ropa diff", lang).is_ok_and(|head| head == commit)
        && engine::git::changed_between(commit, None, WHAT, lang).is_ok_and(|c| c.is_empty())
}

pub fn run(a: DiffArgs, lang: &mut Lang) -> Result<Exit, Failure> {
    let (settings, catalog) = super::settings_and_catalog(&a.catalog, &[], lang)?;
    let lang = *lang;
    let fail = |p| Failure(vec![p]);
    // a side named on the command line: an existing directory, else a git revision
    let spec = |arg: &str| -> Result<Result<PathBuf, String>, Failure> {
        if Path::new(arg).is_dir() {
            return Ok(Ok(PathBuf::from(arg)));
        }
        Ok(Err(
            engine::git::commit(arg, "ropa diff", lang).map_err(fail)?
        ))
    };
    let base_spec = match &a.base {
        Some(b) => spec(b)?,
        None => Err(engine::git::default_base(lang).map_err(fail)?),
    };
    let head_spec = match &a.head {
        Some(h) => spec(h)?,
        None => Ok(engine::git::top(WHAT, lang).unwrap_or_else(|_| settings.root.clone())),
    };
    // between git states, only what changed is compared: the rest is the same on both sides
    let changes = match (&base_spec, &head_spec, &a.head) {
        (Err(b), Ok(_), None) => {
            Some(engine::git::changed_between(b, None, WHAT, lang).map_err(fail)?)
        }
        (Err(b), Err(h), _) => {
            Some(engine::git::changed_between(b, Some(h), WHAT, lang).map_err(fail)?)
        }
        _ => None,
    };
    let changed: Option<Vec<PathBuf>> = changes
        .as_ref()
        .map(|c| c.iter().map(|f| f.path.clone()).collect());
    // when no other file was added or removed, the old side's unchanged manifests are the new
    // side's: only the changed ones are read from git (see `diff::compare`'s `partial`); when
    // one was, also those that name it, which the new side tells
    let partial = partial(changes.as_deref());
    let touch = partial.is_none() && changes.is_some();
    let mut head = match head_spec {
        Ok(dir) => Where::Dir(dir),
        // the commit checked out, in a working tree that holds exactly it (a pull request's
        // head in CI): the working tree is that side, nothing needs to be read from git
        Err(commit) if checked_out(&commit, lang) => {
            Where::Dir(engine::git::top(WHAT, lang).map_err(fail)?)
        }
        Err(commit) => Where::rev(commit, &settings, lang, None)?,
    };
    // the new side is linted whole (a finding in a file the change did not touch is one that
    // was already there); the old one only where the change is
    let new = head.lint(
        &settings,
        &catalog,
        true,
        changed.as_deref(),
        (false, touch),
    );
    let partial = match (partial, changes.as_deref()) {
        (None, Some(changes)) => Some(touched(changes, &new, &head.root())),
        (partial, _) => partial,
    };
    let mut base = match base_spec {
        Ok(dir) => Where::Dir(dir),
        Err(commit) => Where::rev(commit, &settings, lang, partial.as_ref())?,
    };
    let old = base.lint(&settings, &catalog, true, changed.as_deref(), (true, false));
    let problems: Vec<_> = old.problems.iter().chain(&new.problems).cloned().collect();
    let level = |k: diff::Kind| {
        settings
            .diff_levels
            .get(&k)
            .copied()
            .unwrap_or(k.default_level())
    };
    let old_side = diff::side(&old, &catalog, &base.root(), lang, None);
    let reach = changed
        .as_ref()
        .map(|c| diff::Reach::of(c, &old_side, partial.as_ref()));
    let result = diff::compare(
        &old_side,
        &diff::side(&new, &catalog, &head.root(), lang, None),
        reach.as_ref(),
        lang,
        (
            &base.label(a.base.as_deref(), lang),
            &head.label(a.head.as_deref(), lang),
        ),
        &level,
    );
    let (text, sink) = match a.format {
        DiffFormat::Human => (
            diff::render::human(&result, &catalog, lang, a.all),
            Sink::Text { color: false },
        ),
        DiffFormat::Markdown => (
            diff::render::markdown(
                &result,
                &catalog,
                lang,
                crate::render::summary::github_blob().as_deref(),
            ),
            Sink::Text { color: false },
        ),
        DiffFormat::Json => (diff::render::json(&result), Sink::Json),
    };
    emit(&text, a.output.as_deref(), sink, lang)?;
    if let Some(path) = &a.summary_file {
        let blob = crate::render::summary::github_blob();
        super::append(
            path,
            &crate::render::console::neutralize(
                &diff::render::markdown(&result, &catalog, lang, blob.as_deref()),
                Sink::Text { color: false },
            ),
            lang,
        )?;
    }
    if !problems.is_empty() {
        super::say(
            &crate::render::human::problems(&problems, lang, false),
            false,
        );
        return Ok(Exit::Failure);
    }
    let threshold = match a.fail_on {
        None => return Ok(Exit::Clean),
        Some(DiffFailOn::Review) => Level::Review,
        Some(DiffFailOn::Info) => Level::Info,
    };
    let failing = result.changes.iter().any(|c| c.level <= threshold);
    Ok(if failing { Exit::Findings } else { Exit::Clean })
}
