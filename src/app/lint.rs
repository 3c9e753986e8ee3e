//! `ropa lint`: walk → parse → model → rules → deviations → sink → renderer → exit status.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::{Exit, Failure, emit, load_catalogs};
use crate::catalog::load::Loaded;
use crate::config::Settings;
use crate::diag::sink;
use crate::diag::{Diagnostic, Severity, deviations};
use crate::i18n;
use crate::i18n::Lang;
use crate::manifest::model::{Manifest, Sp};
use crate::manifest::parse;
use crate::render::{self, Format, Report};
use crate::rules::{self, Context};
use crate::source::{Source, Span};
use crate::walk;

/// What `ropa lint` was asked for beyond the settings.
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub sarif_file: Option<PathBuf>,
    pub summary_file: Option<PathBuf>,
    pub github_output: Option<PathBuf>,
    pub changed_since: Option<String>,
    pub quiet: bool,
    pub color: bool,
}

/// What linting a set of paths produced, before rendering.
pub struct Outcome {
    pub sources: Vec<Source>,
    /// The manifest read from each source (empty when it could not be read).
    pub manifests: Vec<Manifest>,
    /// Whether each source is reported on (see `check_scoped`).
    pub reported: Vec<bool>,
    /// Sorted by path, line, column, code.
    pub diagnostics: Vec<Diagnostic>,
    pub summary: sink::Summary,
    /// Problems that make the run exit 2: missing explicit paths, unreadable files.
    pub failures: Vec<String>,
}

/// Lints manifests: the whole pipeline up to the sink.
pub fn check(paths: &[PathBuf], catalog: &Loaded, settings: &Settings) -> Outcome {
    check_scoped(paths, catalog, settings, None, true)
}

/// Which of the files read are reported on.
enum Scope {
    /// Everything found under the paths.
    All,
    /// Only these files (named on the command line, e.g. by pre-commit); the rest of the
    /// repository is read too, so that cross-file rules see it.
    Files(Vec<PathBuf>),
    /// Only the manifests changed since a git ref, and those whose referenced documents or code
    /// changed; the rest of the repository is read too.
    Changed(Vec<PathBuf>),
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| std::path::absolute(p).unwrap_or(p.to_path_buf()))
}

/// Lints manifests, reporting only on the files changed since a git ref when `changed` is
/// given (`--changed-since`).
pub fn check_scoped(
    paths: &[PathBuf],
    catalog: &Loaded,
    settings: &Settings,
    changed: Option<&[PathBuf]>,
    keep: bool,
) -> Outcome {
    let lang = settings.lang.value;
    let only_files = !paths.is_empty() && paths.iter().all(|p| p.is_file());
    let scope = match changed {
        Some(c) => Scope::Changed(c.iter().map(|p| canonical(p)).collect()),
        None if only_files => Scope::Files(paths.iter().map(|p| canonical(p)).collect()),
        None => Scope::All,
    };
    let files = RealFiles::default();
    if matches!(scope, Scope::All) {
        // walk and lint at once: the walker hands manifests to the lint workers as it finds them
        let (found, results) = walk_and_lint(paths, settings, |path| {
            lint_file(path, catalog, settings, &files, &scope, keep)
        });
        return assemble(found, results, settings, lang);
    }
    let mut found = walk::discover(paths, settings);
    {
        // the rest of the repository, for cross-file rules
        let mut context = walk::discover(std::slice::from_ref(&settings.root), settings);
        let known: std::collections::HashSet<PathBuf> =
            found.manifests.iter().map(|p| canonical(p)).collect();
        context.manifests.retain(|p| !known.contains(&canonical(p)));
        found.manifests.extend(context.manifests);
        found.manifests.sort_by_key(|p| walk::display_path(p));
    }
    // read, parse and check the files on every core; the results keep the walk's order
    let results = parallel_map(&found.manifests, |path| {
        lint_file(path, catalog, settings, &files, &scope, keep)
    });
    assemble(found, results, settings, lang)
}

/// Walks the paths and lints each manifest as soon as it is found, on every core. The results
/// come back sorted by path, duplicates removed.
fn walk_and_lint(
    paths: &[PathBuf],
    settings: &Settings,
    lint: impl Fn(&Path) -> Result<Linted, String> + Sync,
) -> (walk::Found, Vec<Result<Linted, String>>) {
    let (tx, rx) = std::sync::mpsc::channel::<PathBuf>();
    let rx = std::sync::Mutex::new(rx);
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let (found, mut results) = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let next = rx.lock().ok().and_then(|r| r.recv().ok());
                        let Some(path) = next else { break };
                        let key = walk::display_path(&path);
                        done.push((key, lint(&path)));
                    }
                    done
                })
            })
            .collect();
        let found = walk::stream(paths, settings, &|p| {
            let _ = tx.send(p);
        });
        drop(tx);
        let results: Vec<(String, Result<Linted, String>)> = workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect();
        (found, results)
    });
    results.sort_by(|a, b| a.0.cmp(&b.0));
    results.dedup_by(|a, b| a.0 == b.0);
    (found, results.into_iter().map(|(_, r)| r).collect())
}

/// Numbers the files, runs the cross-file rules and the sink over what linting each file gave.
fn assemble(
    found: walk::Found,
    results: Vec<Result<Linted, String>>,
    settings: &Settings,
    lang: Lang,
) -> Outcome {
    let mut failures = Vec::new();
    for m in &found.missing {
        failures.push(i18n::t(
            lang,
            format!("{}: no such file or directory", m.display()),
            format!("{} : fichier ou dossier introuvable", m.display()),
        ));
    }
    failures.extend(found.errors.iter().cloned());
    let mut sources: Vec<Source> = Vec::new();
    let mut manifests: Vec<Manifest> = Vec::new();
    let mut ids: Vec<ActivityIds> = Vec::new();
    let mut reported: Vec<bool> = Vec::new();
    let mut diags: Vec<Diagnostic> = Vec::new();
    for result in results {
        match result {
            Err(failure) => failures.push(failure),
            Ok(linted) => {
                let file = sources.len();
                sources.push(linted.source);
                manifests.push(linted.manifest);
                ids.push(linted.ids);
                reported.push(linted.reported);
                diags.extend(linted.diagnostics.into_iter().map(|mut d| {
                    d.file = file;
                    d
                }));
            }
        }
    }
    // the walk finds problems on every core: one order whatever the thread timing
    failures.sort();
    failures.dedup();
    duplicate_ids(&mut sources, &ids, &reported, &mut diags, lang);
    sink::apply_levels(&mut diags, &sources, settings);
    diags.retain(|d| reported[d.file]);
    let files = reported.iter().filter(|r| **r).count();
    let activities = ids
        .iter()
        .zip(&reported)
        .filter(|(_, r)| **r)
        .map(|(a, _)| a.len())
        .sum();
    let summary = sink::finish(&mut diags, &sources, files, activities);
    // sources whose text was let go are read again only if a cross-file finding needs them
    for d in &diags {
        sources[d.file].ensure_loaded();
    }
    Outcome {
        sources,
        manifests,
        reported,
        diagnostics: diags,
        summary,
        failures,
    }
}

pub fn run(settings: &Settings, opts: &Options) -> Result<Exit, Failure> {
    let catalog = load_catalogs(settings)?;
    let paths = if opts.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        opts.paths.clone()
    };
    let changed = match &opts.changed_since {
        Some(reference) => Some(changed_since(reference)?),
        None => None,
    };
    let outcome = check_scoped(&paths, &catalog, settings, changed.as_deref(), false);
    let report = Report {
        files: &outcome.sources,
        diagnostics: &outcome.diagnostics,
        summary: outcome.summary,
        catalog: catalog.name(),
        failures: &outcome.failures,
    };
    let text = match opts.format {
        Format::Human => render::human::render(
            &report,
            &render::human::Options {
                color: opts.color && opts.output.is_none(),
                lang: settings.lang.value,
                quiet: opts.quiet,
            },
        ),
        Format::Json => render::json::render(&report),
        Format::Github => render::github::render(&report),
        Format::Sarif => render::sarif::render(&report),
        Format::Junit => render::junit::render(&report),
        Format::Gitlab => render::gitlab::render(&report),
    };
    if outcome.sources.is_empty() && outcome.failures.is_empty() && !opts.quiet {
        eprintln_warning(&format!(
            "no manifests found under {} (looked for processing.yaml, processing.yml, *.processing.yaml, *.processing.yml)",
            paths
                .iter()
                .map(|p| walk::display_path(p))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    emit(&text, opts.output.as_deref())?;
    if let Some(path) = &opts.sarif_file {
        super::write_atomic(path, &render::sarif::render(&report))?;
    }
    if let Some(path) = &opts.summary_file {
        super::append(path, &render::summary::render(&report))?;
    }
    if let Some(path) = &opts.github_output {
        let s = &outcome.summary;
        super::append(
            path,
            &format!(
                "errors={}\nwarnings={}\nnotes={}\n",
                s.errors, s.warnings, s.notes
            ),
        )?;
    }
    if !outcome.failures.is_empty() {
        return Err(Failure(outcome.failures.join("\n")));
    }
    let failing = outcome
        .diagnostics
        .iter()
        .any(|d| d.severity >= settings.fail_on.value && d.severity != Severity::Note);
    Ok(if failing { Exit::Findings } else { Exit::Clean })
}

#[allow(
    clippy::print_stderr,
    reason = "a warning about the run itself, not a diagnostic"
)]
fn eprintln_warning(message: &str) {
    eprintln!("warning: {}", render::human::terminal_safe(message));
}

/// Applies `f` to every item on all the cores, and returns the results in the items' order.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(items.len().max(1));
    if threads <= 1 {
        return items.iter().map(&f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut slots: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    slots.sort_by_key(|(i, _)| *i);
    slots.into_iter().map(|(_, r)| r).collect()
}

/// Each activity of a file: its position in the file and its id, for the cross-file rules.
type ActivityIds = Vec<(usize, Option<Sp<String>>)>;

/// What linting one file gives.
struct Linted {
    source: Source,
    /// The whole manifest when asked to keep it, else empty.
    manifest: Manifest,
    /// Each activity's position and id, for the cross-file rules.
    ids: ActivityIds,
    diagnostics: Vec<Diagnostic>,
    reported: bool,
}

/// One manifest through read → parse → rules → deviations. Diagnostics carry file index 0;
/// the caller numbers the files. An I/O failure is the error. Unless `keep` is set, the
/// manifest is slimmed to what cross-file rules need (activity ids) and the text of a file
/// without findings is let go, so that memory stays flat on large repositories.
fn lint_file(
    path: &Path,
    catalog: &Loaded,
    settings: &Settings,
    files: &RealFiles,
    scope: &Scope,
    keep: bool,
) -> Result<Linted, String> {
    let display = walk::display_path(path);
    let text = match read(path, settings) {
        Ok(Ok(text)) => text,
        Ok(Err(problem)) => {
            let d = Diagnostic::new(rules::MF001, Severity::Error, 0, problem).at(Span::new(0, 0));
            let source = Source::new(display, path.to_path_buf(), String::new());
            let reported = in_scope(scope, &source, &Manifest::default());
            return Ok(Linted {
                source,
                manifest: Manifest::default(),
                ids: Vec::new(),
                diagnostics: vec![d],
                reported,
            });
        }
        Err(e) => {
            return Err(i18n::t(
                settings.lang.value,
                format!("{display}: cannot read: {e}"),
                format!("{display} : lecture impossible : {e}"),
            ));
        }
    };
    let mut source = Source::new(display, path.to_path_buf(), text);
    let _current = CurrentFile::set(&source.display);
    // debug builds only (the tests'): proves that a crash ends in exit 2 with the file named
    #[cfg(debug_assertions)]
    if std::env::var("ROPA_TEST_PANIC").is_ok_and(|name| source.display.ends_with(&name)) {
        panic!("induced by ROPA_TEST_PANIC");
    }
    let (full, mut diags) = parse_source(&source, settings);
    let reported = in_scope(scope, &source, &full);
    // a file read only for the cross-file rules (its ids) is not checked: its findings would be
    // dropped, and RF001/RF002 would touch the file system for nothing
    if reported {
        check_manifest(&source, &full, catalog, settings, files, &mut diags);
    }
    let ids = full
        .activities
        .iter()
        .map(|a| (a.index, a.id.clone()))
        .collect();
    let manifest = if keep {
        full
    } else {
        if diags.is_empty() {
            source.forget();
        }
        Manifest::default()
    };
    Ok(Linted {
        source,
        manifest,
        ids,
        diagnostics: diags,
        reported,
    })
}

/// Parse, per-activity rules and deviations for one loaded file (no cross-file rules).
pub fn lint_source(
    source: &Source,
    catalog: &Loaded,
    settings: &Settings,
    files: &dyn rules::Files,
) -> (Manifest, Vec<Diagnostic>) {
    let (manifest, mut diags) = parse_source(source, settings);
    check_manifest(source, &manifest, catalog, settings, files, &mut diags);
    (manifest, diags)
}

/// The manifest of one loaded file, with the configured defaults, and the parser's findings.
fn parse_source(source: &Source, settings: &Settings) -> (Manifest, Vec<Diagnostic>) {
    let mut parsed = parse::parse(source, 0, settings.lang.value);
    inherit_defaults(&mut parsed.manifest, settings);
    (parsed.manifest, parsed.diagnostics)
}

/// The per-activity rules, then the deviations, over a parsed manifest.
fn check_manifest(
    source: &Source,
    manifest: &Manifest,
    catalog: &Loaded,
    settings: &Settings,
    files: &dyn rules::Files,
    diags: &mut Vec<Diagnostic>,
) {
    let lang = settings.lang.value;
    let glob_budget = std::cell::Cell::new(rules::GLOB_BUDGET);
    for activity in &manifest.activities {
        let purpose = activity
            .purpose
            .as_ref()
            .and_then(|p| catalog.resolve(&p.value));
        let cx = Context {
            file: 0,
            source,
            activity,
            catalog,
            purpose,
            lang,
            files,
            glob_budget: &glob_budget,
        };
        rules::check_activity(&cx, diags);
    }
    deviations::apply(0, &manifest.activities, diags, lang);
}

/// A file system that has nothing: for linting text that is not on disk (fuzzing, property
/// tests).
pub struct NoFiles;

impl rules::Files for NoFiles {
    fn exists(&self, _: &Path) -> bool {
        false
    }
    fn glob_matches(&self, _: &Path, _: &str, _: &std::cell::Cell<usize>) -> Option<bool> {
        Some(false)
    }
}

thread_local! {
    static CURRENT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The file this thread is linting, for the crash message (`current_file`).
struct CurrentFile;

impl CurrentFile {
    fn set(display: &str) -> CurrentFile {
        CURRENT.with(|c| *c.borrow_mut() = Some(display.to_string()));
        CurrentFile
    }
}

impl Drop for CurrentFile {
    fn drop(&mut self) {
        CURRENT.with(|c| *c.borrow_mut() = None);
    }
}

/// The file the current thread was linting, if any: the panic hook names it.
pub fn current_file() -> Option<String> {
    CURRENT.with(|c| c.borrow().clone())
}

/// Whether a file is reported on.
fn in_scope(scope: &Scope, source: &Source, manifest: &Manifest) -> bool {
    match scope {
        Scope::All => true,
        Scope::Files(files) => files.contains(&canonical(&source.path)),
        Scope::Changed(changed) => {
            changed.contains(&canonical(&source.path))
                || references_changed(source, manifest, changed)
        }
    }
}

/// Whether a manifest refers to a changed file: a referenced document, or code under `code:`.
fn references_changed(source: &Source, manifest: &Manifest, changed: &[PathBuf]) -> bool {
    let dir = crate::source::dir_of(&source.path);
    let globs: Vec<globset::GlobMatcher> = manifest
        .activities
        .iter()
        .flat_map(|a| &a.code)
        .filter_map(|g| rules::code_paths_match_nothing::glob(&g.value).ok())
        .map(|g| g.compile_matcher())
        .collect();
    let docs: Vec<PathBuf> = manifest
        .activities
        .iter()
        .flat_map(|a| {
            let lia = a
                .legitimate_interests
                .as_ref()
                .and_then(|l| l.balancing_test.as_ref());
            let dpia = a.dpia.as_ref().and_then(|d| d.reference.as_ref());
            lia.into_iter().chain(dpia)
        })
        .map(|r| canonical(&dir.join(r.value.trim())))
        .collect();
    let dir = canonical(dir);
    changed.iter().any(|c| {
        docs.contains(c)
            || c.strip_prefix(&dir)
                .is_ok_and(|rel| globs.iter().any(|g| g.is_match(rel)))
    })
}

/// The files changed since a git ref: committed, staged, unstaged and untracked.
pub fn changed_since(reference: &str) -> Result<Vec<PathBuf>, Failure> {
    // a ref is never an option: `--output=…` would make git write a file
    if reference.starts_with('-') || reference.is_empty() {
        return Err(Failure(format!(
            "--changed-since {reference:?}: not a git ref"
        )));
    }
    let git = |args: &[&str]| -> Result<String, Failure> {
        let out = std::process::Command::new("git")
            .args(args)
            .output()
            .map_err(|e| Failure(format!("--changed-since needs git: {e}")))?;
        if !out.status.success() {
            return Err(Failure(format!(
                "--changed-since {reference}: git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(top.trim());
    let mut files = Vec::new();
    for list in [
        git(&[
            "diff",
            "--name-only",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
            reference,
            "--",
        ])?,
        git(&["ls-files", "--others", "--exclude-standard", "--full-name"])?,
    ] {
        files.extend(
            list.lines()
                .filter(|l| !l.is_empty())
                .map(|l| canonical(&top.join(l))),
        );
    }
    Ok(files)
}

/// Fills fields an activity leaves unset from the configuration's `defaults:`.
fn inherit_defaults(manifest: &mut Manifest, settings: &Settings) {
    let d = &settings.defaults;
    if d.controller_name.is_none() && d.controller_contact.is_none() {
        return;
    }
    for a in &mut manifest.activities {
        let c = a.controller.get_or_insert_with(Default::default);
        let inherit = |set: &Option<crate::config::Set<String>>| {
            set.as_ref().map(|s| Sp {
                value: s.value.clone(),
                span: Span::default(),
            })
        };
        if c.name.is_none() {
            c.name = inherit(&d.controller_name);
        }
        if c.contact.is_none() {
            c.contact = inherit(&d.controller_contact);
        }
    }
}

/// Reads a manifest. The outer error is an I/O failure (exit 2); the inner one a file that is
/// read but cannot be a manifest (too large, not UTF-8), reported as MF001.
fn read(path: &Path, settings: &Settings) -> std::io::Result<Result<String, String>> {
    let lang = settings.lang.value;
    let limit = settings.max_file_size.value;
    let t = |en: String, fr: String| i18n::t(lang, en, fr);
    // a link is read only when it stays inside the repository: a pull request must not make
    // CI print a file from elsewhere on the runner
    let kind = std::fs::symlink_metadata(path)?.file_type();
    if !kind.is_symlink() && !kind.is_file() {
        // a FIFO or a device: opening it could block for ever
        return Err(std::io::Error::other(t(
            "not a regular file; not read".into(),
            "pas un fichier ordinaire ; il n'est pas lu".into(),
        )));
    }
    if kind.is_symlink() {
        let root = std::fs::canonicalize(&settings.root).unwrap_or_else(|_| settings.root.clone());
        match std::fs::canonicalize(path) {
            Ok(target) if target.starts_with(&root) && target.is_file() => {}
            Ok(_) => {
                return Ok(Err(t(
                    "symbolic link to a file outside the repository (or not a file); not read".into(),
                    "lien symbolique vers un fichier hors du dépôt (ou qui n'est pas un fichier) ; il n'est pas lu".into(),
                )));
            }
            Err(_) => {
                return Ok(Err(t(
                    "broken symbolic link; not read".into(),
                    "lien symbolique cassé ; il n'est pas lu".into(),
                )));
            }
        }
    }
    let too_large = || {
        t(
            format!("file is over the {limit}-byte limit for a manifest; not read"),
            format!(
                "le fichier dépasse la limite de {limit} octets d'un manifeste ; il n'est pas lu"
            ),
        )
    };
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other(t(
            "not a regular file".into(),
            "pas un fichier ordinaire".into(),
        )));
    }
    if meta.len() > limit {
        return Ok(Err(too_large()));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Err(too_large()));
    }
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        return Ok(Err(t(
            format!("file holds a NUL byte (at offset {at}): it is binary, not a YAML manifest"),
            format!(
                "le fichier contient un octet NUL (à la position {at}) : il est binaire, ce n'est pas un manifeste YAML"
            ),
        )));
    }
    Ok(String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        t(
            format!("file is not valid UTF-8 (invalid byte at offset {at}); YAML manifests must be UTF-8 text"),
            format!("le fichier n'est pas en UTF-8 valide (octet invalide à la position {at}) ; un manifeste YAML doit être du texte UTF-8"),
        )
    }))
}

/// MF005: the same activity id twice, in one file or across files. One occurrence is kept as
/// the original, preferably in a file not reported on (so that the files reported on get the
/// finding), else the first in path and position order; every other one is reported and points
/// at it.
fn duplicate_ids(
    sources: &mut [Source],
    ids: &[ActivityIds],
    reported: &[bool],
    diags: &mut Vec<Diagnostic>,
    lang: Lang,
) {
    let t = |en: String, fr: String| i18n::t(lang, en, fr);
    let mut first: HashMap<&str, (usize, Span)> = HashMap::new();
    for pass_context in [true, false] {
        for (file, activities) in ids.iter().enumerate() {
            if reported[file] == pass_context {
                continue;
            }
            for (_, id) in activities {
                if let Some(id) = id {
                    first.entry(&id.value).or_insert((file, id.span));
                }
            }
        }
    }
    for (file, activities) in ids.iter().enumerate() {
        for (index, id) in activities {
            let Some(id) = id else { continue };
            match first.get(id.value.as_str()) {
                None => {}
                Some(&(f0, s0)) if (f0, s0) == (file, id.span) => {}
                Some(&(f0, s0)) => {
                    sources[f0].ensure_loaded();
                    sources[file].ensure_loaded();
                    let pos = sources[f0].position(s0.start);
                    let mut d = Diagnostic::new(
                        rules::MF005,
                        Severity::Error,
                        file,
                        t(
                            format!("activity id `{}` is already used", id.value),
                            format!("l'identifiant d'activité `{}` est déjà utilisé", id.value),
                        ),
                    )
                    .at(id.span)
                    .label(i18n::s(lang, "duplicate id", "identifiant en double"))
                    .help(i18n::s(
                        lang,
                        "give each activity an id of its own, unique across the repository",
                        "donnez à chaque activité un identifiant propre, unique dans tout le dépôt",
                    ));
                    if f0 == file {
                        d = d.secondary(
                            s0,
                            i18n::s(lang, "first used here", "première utilisation ici"),
                        );
                    } else {
                        let at = format!("{}:{}:{}", sources[f0].display, pos.line, pos.column);
                        d = d.note(t(
                            format!("first used in {at}"),
                            format!("première utilisation dans {at}"),
                        ));
                    }
                    d.activity = Some(id.value.clone());
                    d.activity_index = Some(*index);
                    diags.push(d);
                }
            }
        }
    }
}

/// The real file system, for RF001 and RF002. Compiled globs are cached, since most
/// activities use the same few.
#[derive(Default)]
struct RealFiles {
    globs: std::sync::Mutex<HashMap<String, Option<std::sync::Arc<globset::GlobMatcher>>>>,
}

impl rules::Files for RealFiles {
    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    /// Walks from the glob's literal prefix (`src/` for `src/**/*.py`), stops at the first
    /// match, and skips `.git`. Ignore files are not consulted: a glob names code on purpose.
    fn glob_matches(
        &self,
        base: &Path,
        glob: &str,
        budget: &std::cell::Cell<usize>,
    ) -> Option<bool> {
        let glob = glob.trim().trim_start_matches("./");
        let matcher = {
            let mut cache = self
                .globs
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            cache
                .entry(glob.to_string())
                .or_insert_with(|| {
                    rules::code_paths_match_nothing::glob(glob)
                        .ok()
                        .map(|g| std::sync::Arc::new(g.compile_matcher()))
                })
                .clone()
        };
        let Some(matcher) = matcher else {
            return Some(false);
        };
        let components: Vec<&str> = glob.split('/').collect();
        let literal = components
            .iter()
            .take_while(|c| !c.contains(['*', '?', '[', '{']))
            .count();
        let start = components[..literal]
            .iter()
            .fold(base.to_path_buf(), |p, c| p.join(c));
        if literal == components.len() {
            return Some(start.is_file());
        }
        let limit = budget.get().min(rules::GLOB_WALK_LIMIT);
        let mut stack = vec![start];
        let mut visited = 0;
        let found = 'walk: {
            while let Some(dir) = stack.pop() {
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    continue;
                };
                for entry in entries.flatten() {
                    visited += 1;
                    if visited > limit {
                        break 'walk None;
                    }
                    let Ok(kind) = entry.file_type() else {
                        continue;
                    };
                    let path = entry.path();
                    if kind.is_dir() {
                        if entry.file_name() != ".git" {
                            stack.push(path);
                        }
                    } else if kind.is_file()
                        && path
                            .strip_prefix(base)
                            .is_ok_and(|rel| matcher.is_match(rel))
                    {
                        break 'walk Some(true);
                    }
                }
            }
            Some(false)
        };
        budget.set(budget.get().saturating_sub(visited));
        found
    }
}
