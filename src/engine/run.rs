//! One run: discover → (in the walker's threads) read → parse → per-activity rules →
//! repository rules → deviations and levels, once → sink.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::Outcome;
use super::read::{self, ReadError};
use super::{discover, held};
use crate::catalog::load::Loaded;
use crate::config::Settings;
use crate::diag::deviations;
use crate::diag::store::{Encoded, Findings};
use crate::diag::{Diagnostic, Problem, ProblemKind, RuleId, Severity, sink};
use crate::manifest::model::{Manifest, Sp};
use crate::manifest::parse;
use crate::rules::{self, Context, Seen, duplicate_activity_id::ActivityIds};
use crate::source::{Source, Span, display_path};

/// What to lint.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// Files and directories; the working directory when empty.
    pub paths: Vec<PathBuf>,
    /// Report only on the manifests changed since a git ref (and those whose referenced
    /// documents or code changed): the files [`super::git::changed_since`] listed.
    pub changed: Option<Vec<PathBuf>>,
    /// Keep every reported manifest in the outcome (the register and the export need them);
    /// `lint` lets them go, so that memory stays flat on large repositories.
    pub keep_manifests: bool,
    /// With `keep_manifests`: keep only these manifests (canonical paths), the others are let
    /// go like `lint`'s (`ropa diff` compares only the files a change touched).
    pub keep_only: Option<std::collections::HashSet<PathBuf>>,
    /// When only files are named, compare their ids with the rest of the repository through
    /// git's index and the id cache rather than a walk (`--no-cache` turns it off).
    pub use_index: bool,
    /// With `use_index`: compare with the other manifests as staged, without checking whether
    /// their work-tree files changed (`--staged`, what pre-commit runs once it has set unstaged
    /// changes aside).
    pub staged: bool,
    /// Run coverage (CV001-CV005): the walk also hands over the data definitions and
    /// dependency files, which are read and matched against the activities. Only a whole-tree
    /// run does it (files named or changed since a ref are not enough to know what is covered).
    pub coverage: Coverage,
    /// Note which manifests name one of these files (a referenced document, or code under
    /// `code:`), without changing what is reported: [`Outcome::touching`]. `ropa diff` reads on
    /// the old side only the manifests a change can have touched.
    pub touched_by: Option<Vec<PathBuf>>,
}

/// How much of coverage a run keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Coverage {
    /// None: no file is scanned.
    #[default]
    Off,
    /// The CV findings and the numbers (`lint`).
    Findings,
    /// Also every file's fields, every vendor, and each activity's processors (`ropa
    /// coverage`, the register): they grow with the repository.
    Table,
}

/// Which of the files read are reported on.
enum Scope {
    /// Everything found under the paths.
    All,
    /// Only these files (named on the command line, e.g. by pre-commit); the rest of the
    /// repository is read too, so that repository rules see it.
    Files(Vec<PathBuf>),
    /// Only the manifests changed since a git ref, and those whose referenced documents or code
    /// changed; the rest of the repository is read too.
    Changed(Vec<PathBuf>),
}

/// A path made absolute and free of links where it exists. A path that does not exist (a
/// deleted document) is resolved through its nearest existing directory, with `..` applied, so
/// that it compares equal however it was written.
pub(crate) fn canonical(p: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(p) {
        return c;
    }
    let abs = crate::source::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    // the part that exists, free of links; the rest as written
    let mut existing = out.as_path();
    let mut rest = Vec::new();
    while let Some(parent) = existing.parent() {
        if let Ok(c) = std::fs::canonicalize(existing) {
            return rest.into_iter().rev().fold(c, |p, name| p.join(name));
        }
        rest.extend(existing.file_name());
        existing = parent;
    }
    out
}

/// How many directories [`Resolved`] remembers at most.
const REMEMBERED_DIRS: usize = 1024;

/// [`canonical`] for many files, with the directories above them resolved once: a file that is
/// not a link, in a directory that is not one, is its directory's canonical path and its name.
/// Paths with `.` or `..` in them, or that cannot be looked at, go through [`canonical`] itself.
#[derive(Default)]
pub(crate) struct Resolved {
    dirs: HashMap<PathBuf, PathBuf>,
    /// The directories the run walked ([`Resolved::walked`]).
    walked: Walked,
}

/// The directories a run walked, as the paths of what the walk found begin (`./` dropped),
/// with their canonical paths, the longest first; and the files named on their own, which were
/// not found by a walk. Below its start the walk enters no link (`walk::list`), so a file it found
/// is its start's canonical path and the rest of its path: nothing to look at.
#[derive(Clone, Default)]
pub(crate) struct Walked {
    starts: Vec<(PathBuf, PathBuf)>,
    named: std::collections::HashSet<PathBuf>,
}

impl Walked {
    /// The starts of a whole-tree run, looked at once each.
    fn of(paths: &[PathBuf]) -> Walked {
        let mut walked = Walked::default();
        for path in paths {
            let clean = discover::clean(path);
            match std::fs::metadata(path) {
                Ok(m) if m.is_dir() => walked.starts.push((clean, canonical(path))),
                _ => {
                    walked.named.insert(clean);
                }
            }
        }
        // the nearest start decides: a start inside another may have been reached through a link
        walked
            .starts
            .sort_by_key(|(start, _)| std::cmp::Reverse(start.components().count()));
        walked
    }

    /// The canonical path of a file the walk found, when its path says so: below a start, by
    /// plain names only, and not also named on its own.
    fn canonical(&self, path: &Path) -> Option<PathBuf> {
        if self.starts.is_empty() || self.named.contains(path) {
            return None;
        }
        self.starts.iter().find_map(|(start, canonical)| {
            let rest = crate::source::names_below(path, start)?;
            Some(crate::source::joined(canonical, rest.as_os_str()))
        })
    }
}

impl Resolved {
    /// [`Resolved`] for the files of a run that walked these directories.
    pub(crate) fn walked(walked: Walked) -> Resolved {
        Resolved {
            dirs: HashMap::new(),
            walked,
        }
    }

    pub(crate) fn canonical(&mut self, path: &Path) -> PathBuf {
        self.canonical_known(path, false)
    }

    /// [`Resolved::canonical`]; `direct`: the file was opened at this path without following
    /// a link (it is not one), so it is not looked at again.
    pub(crate) fn canonical_known(&mut self, path: &Path, direct: bool) -> PathBuf {
        let Some((dir, name)) = crate::source::names_only(path) else {
            return canonical(path);
        };
        if dir.as_os_str().is_empty() {
            return canonical(path);
        }
        let not_link =
            direct || std::fs::symlink_metadata(path).is_ok_and(|m| !m.file_type().is_symlink());
        if !not_link {
            return canonical(path);
        }
        match self.walked.canonical(path) {
            Some(found) => found,
            None => self.dir(dir, false).join(name),
        }
    }

    /// A file's own directory is not remembered (most hold one manifest: remembering each
    /// would grow with the repository); the directories above it are.
    fn dir(&mut self, dir: &Path, remember: bool) -> PathBuf {
        if let Some(known) = self.dirs.get(dir) {
            return known.clone();
        }
        let resolved = match (dir.parent(), dir.file_name()) {
            (Some(parent), Some(name))
                if !parent.as_os_str().is_empty()
                    && std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) =>
            {
                self.dir(parent, true).join(name)
            }
            _ => canonical(dir),
        };
        if remember {
            // files come in path order, so the directories just seen are the ones asked for
            // again: a bounded memory, not one that grows with the repository
            if self.dirs.len() >= REMEMBERED_DIRS {
                self.dirs.clear();
            }
            self.dirs.insert(dir.to_path_buf(), resolved.clone());
        }
        resolved
    }
}

/// Lints what the request names.
pub fn lint(request: &Request, catalog: &Loaded, settings: &Settings) -> Outcome {
    let files = RealFiles::new(&super::repo_root(&settings.root));
    lint_in(request, catalog, settings, Box::new(files))
}

/// [`lint`], with the documents and code that RF001 and RF002 look for seen through `files`
/// (for a git revision that is not checked out: [`super::git::Tree`]).
pub fn lint_in(
    request: &Request,
    catalog: &Loaded,
    settings: &Settings,
    files: Box<dyn rules::Files>,
) -> Outcome {
    let paths = if request.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        request.paths.clone()
    };
    let only_files = paths.iter().all(|p| p.is_file());
    let scope = match &request.changed {
        Some(c) => Scope::Changed(c.iter().map(|p| canonical(p)).collect()),
        None if only_files => Scope::Files(paths.iter().map(|p| canonical(p)).collect()),
        None => Scope::All,
    };
    let mut job = Job {
        staged: request.staged,
        catalog,
        settings,
        files,
        scope,
        keep: request.keep_manifests,
        coverage: request.coverage != Coverage::Off
            && request.changed.is_none()
            && !only_files
            && !coverage_off(settings),
        texts: crate::coverage::scan::Interner::default(),
        covers: std::sync::Mutex::default(),
        tags: std::sync::atomic::AtomicU32::new(0),
        candidate_seen: std::sync::atomic::AtomicBool::new(false),
        keep_only: request.keep_only.clone(),
        touched_by: request
            .touched_by
            .as_ref()
            .map(|t| t.iter().map(|p| canonical(p)).collect()),
        table: request.coverage == Coverage::Table,
        findings: Findings::new(),
        walked: Walked::default(),
        policy: read::Policy::within(
            &super::repo_root(&settings.root),
            settings.max_file_size.value,
        ),
    };
    // the named files, linted once: if the index cannot stand for the walk, the walk below
    // lints the others only
    let mut named_done = None;
    if let Scope::Files(named) = &job.scope
        && request.use_index
    {
        let named = named.clone();
        match lint_named(&mut job, &paths, &named) {
            Ok(outcome) => return outcome,
            Err(done) => named_done = Some(done),
        }
    }
    // (a changed-files run walks the tree as a whole-tree run does)
    if matches!(job.scope, Scope::All | Scope::Changed(_)) {
        job.walked = Walked::of(&paths);
    }
    let candidates = crate::coverage::paths::Gathered::default();
    // every path comes from a walk, or was named and looked at
    let (named_found, named_results) = named_done.unzip();
    let (found, mut results) = pool(&job, read::Known::Listed, |send| {
        if matches!(job.scope, Scope::All) {
            // the walker's threads lint manifests as they find them, and keep the files coverage
            // reads
            let keep = |p: PathBuf| {
                job.candidate_seen
                    .store(true, std::sync::atomic::Ordering::Relaxed);
                candidates.add(&p);
            };
            let wanted = crate::coverage::scan::wanted;
            let other = job.coverage.then_some((
                &wanted as &(dyn Fn(&Path, &std::ffi::OsStr) -> bool + Sync),
                &keep as &(dyn Fn(PathBuf) + Sync),
            ));
            return discover::stream_with(&paths, settings, send, other);
        }
        // the rest of the repository too, for the repository rules
        let linted = named_found.is_some();
        let mut found = named_found.unwrap_or_else(|| discover::discover(&paths, settings));
        let mut context = discover::discover(std::slice::from_ref(&settings.root), settings);
        // a file named on the command line and found again by the walk is one file, however
        // its path was written (`../repo/processing.yaml`)
        let mut named = std::collections::HashSet::new();
        found.manifests.retain(|p| named.insert(canonical(p)));
        context.manifests.retain(|p| !named.contains(&canonical(p)));
        if !linted {
            spread(&found.manifests, send);
        }
        spread(&context.manifests, send);
        found.manifests.extend(context.manifests);
        found
    });
    if let Some(named) = named_results {
        results.extend(named);
        in_path_order(&mut results);
    }
    let candidates = job.coverage.then(|| candidates.into_paths());
    let findings = std::mem::take(&mut job.findings);
    assemble(&job, found, results, findings, candidates)
}

/// A run that names only files: the named files, then only the other manifests that git's index
/// says may share an activity id with them ([`super::index`]). When the index cannot stand for
/// the walk: what was found and linted of the named files, for the walk to go on from.
fn lint_named(
    job: &mut Job<'_>,
    paths: &[PathBuf],
    named: &[PathBuf],
) -> Result<Outcome, (discover::Found, Vec<Done>)> {
    let (found, mut results) = pool(job, read::Known::Listed, |send| {
        let mut found = discover::discover(paths, job.settings);
        // a file named twice, however its path was written, is one file
        let mut named = std::collections::HashSet::new();
        found.manifests.retain(|p| named.insert(canonical(p)));
        spread(&found.manifests, send);
        found
    });
    let ids: std::collections::HashSet<&str> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .flat_map(|l| l.ids.iter().filter_map(|(_, id)| id.map(|(id, _)| id)))
        .collect();
    let named: std::collections::HashSet<PathBuf> = named.iter().cloned().collect();
    let Some(context) = super::index::candidates(job.settings, &named, &ids, !job.staged) else {
        return Err((found, results));
    };
    // paths from git's index: the work tree may hold anything there
    let (_, more) = pool(job, read::Known::Nothing, |send| {
        spread(&context, send);
        discover::Found::default()
    });
    results.extend(more);
    in_path_order(&mut results);
    let findings = std::mem::take(&mut job.findings);
    Ok(assemble(job, found, results, findings, None))
}

/// Whether `ropa.yaml` turns every coverage rule off (then nothing is scanned): `rules` sets
/// them all `off`, and no `per_path` entry turns one back on.
fn coverage_off(settings: &Settings) -> bool {
    use crate::config::Level;
    let cv = [
        RuleId::CV001,
        RuleId::CV002,
        RuleId::CV003,
        RuleId::CV004,
        RuleId::CV005,
    ];
    cv.iter()
        .all(|r| settings.rules.get(r).is_some_and(|l| l.value == Level::Off))
        && settings.per_path.iter().all(|p| {
            cv.iter()
                .all(|r| p.rules.get(r).is_none_or(|l| l.value == Level::Off))
        })
}

/// Lints everything under `paths`, keeping the manifests: the shortest way to the outcome.
pub fn check(paths: &[PathBuf], catalog: &Loaded, settings: &Settings) -> Outcome {
    let request = Request {
        paths: paths.to_vec(),
        changed: None,
        keep_manifests: true,
        keep_only: None,
        use_index: false,
        staged: false,
        coverage: Coverage::Table,
        touched_by: None,
    };
    lint(&request, catalog, settings)
}

/// Everything a worker needs.
struct Job<'a> {
    /// `Request::staged`.
    staged: bool,
    catalog: &'a Loaded,
    settings: &'a Settings,
    files: Box<dyn rules::Files>,
    scope: Scope,
    keep: bool,
    /// [`Request::coverage`], for a whole-tree run.
    coverage: bool,
    /// The texts coverage keeps of every activity, one copy each.
    texts: crate::coverage::scan::Interner,
    /// What coverage keeps of the activities, added by the workers as they go, each file's
    /// under a tag ([`Cover::Kept`]) until the files are numbered: one list that grows in
    /// place, never a second copy made when the run is assembled.
    covers: std::sync::Mutex<crate::coverage::scan::Covers>,
    /// The next tag.
    tags: std::sync::atomic::AtomicU32,
    /// Whether the walk has handed over a file for coverage yet.
    candidate_seen: std::sync::atomic::AtomicBool,
    keep_only: Option<std::collections::HashSet<PathBuf>>,
    /// [`Request::touched_by`], canonical.
    touched_by: Option<Vec<PathBuf>>,
    /// [`Coverage::Table`].
    table: bool,
    /// Where the workers put each file's findings once they are final.
    findings: Findings,
    /// The directories a whole-tree run walks, to name the files it finds.
    walked: Walked,
    policy: read::Policy,
}

/// What linting a file gave. Not boxed: each worker's results are one list, given back to the
/// system whole once the run has taken them (50,000 small boxes freed in the workers' arenas left
/// about 6 MiB there that the rest of the run could not use).
type Done = Result<Linted, Box<Unread>>;

/// A file that could not be read at all, with the path it is sorted by.
struct Unread {
    display: String,
    path: PathBuf,
    problem: Problem,
}

/// The path as shown, then on disk: the order a report lists files in.
fn key(done: &Done) -> (&str, &Path) {
    match done {
        Ok(linted) => linted.file.key(),
        Err(unread) => (&unread.display, &unread.path),
    }
}

/// Sorts results in path order, each path once.
fn in_path_order(results: &mut Vec<Done>) {
    results.sort_by(|a, b| key(a).cmp(&key(b)));
    results.dedup_by(|a, b| key(a) == key(b));
}

/// Lints every path `feed` hands over, in the thread that hands it over: the walker's threads,
/// which read directories and manifests alike, as the floor does (a channel to separate workers
/// cost a wake-up a file and twice the threads on the cores). A feed that has a list gives it to
/// [`spread`]. The results come back sorted by path (the key), each path once, with what `feed`
/// returned.
fn pool(
    job: &Job<'_>,
    known: read::Known,
    feed: impl FnOnce(&(dyn Fn(PathBuf) + Sync)) -> discover::Found,
) -> (discover::Found, Vec<Done>) {
    let results = std::sync::Mutex::new(Vec::new());
    let found = feed(&|path: PathBuf| {
        // sorted as shown, told apart by the path itself (two names that are not UTF-8 may
        // show alike)
        let display = display_path(&path);
        let done = match lint_file(&path, display.clone(), job, known) {
            Ok(linted) => Ok(linted),
            Err(problem) => Err(Box::new(Unread {
                display,
                path,
                problem,
            })),
        };
        held(&results).push(done);
    });
    let mut results = results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    in_path_order(&mut results);
    (found, results)
}

/// Hands each path of a list to `send`, on every core.
fn spread(paths: &[PathBuf], send: &(dyn Fn(PathBuf) + Sync)) {
    super::on_every_core(paths, |path| {
        send(path.clone());
        None::<()>
    });
}

/// Numbers the files once, runs the repository rules, then the deviations and the levels, and
/// the sink.
fn assemble(
    job: &Job<'_>,
    found: discover::Found,
    results: Vec<Done>,
    mut diags: Findings,
    candidates: Option<crate::coverage::paths::Paths>,
) -> Outcome {
    let lang = job.settings.lang.value;
    let mut problems = found.problems;
    // at their final size (coverage's code files may add a few): large lists that grow by
    // doubling leave the allocator holding on to what they outgrew
    let n = results.len();
    // only a request that keeps them has them: a lint would hold an empty one per file
    let mut manifests: Vec<Manifest> = Vec::with_capacity(if job.keep { n } else { 0 });
    let mut ids: Vec<ActivityIds> = Vec::with_capacity(n);
    let mut reported: Vec<bool> = Vec::with_capacity(n);
    let mut direct: Vec<bool> = Vec::with_capacity(n);
    let mut touching: Vec<PathBuf> = Vec::new();
    // each tag's file, once the files are numbered
    let tags = job.tags.load(std::sync::atomic::Ordering::Relaxed) as usize;
    let mut tagged: Vec<Option<usize>> = vec![None; tags];
    // the files whose activities coverage did not keep (linted before the walk found a file
    // for coverage): read again if coverage has files to match
    let mut cover_later: Vec<usize> = Vec::new();
    // the files take the results' place in memory as they are numbered (a list made from a
    // list of larger items reuses its allocation), so that the two are not held at once: at
    // 50,000 files that would be 5 MB more at the run's peak
    let mut sources: Vec<Source> = results
        .into_iter()
        .filter_map(|result| match result {
            Err(unread) => {
                problems.push(unread.problem);
                None
            }
            Ok(linted) => {
                let file = ids.len();
                match linted.cover {
                    Cover::Kept(Some(tag)) => tagged[tag as usize] = Some(file),
                    Cover::Kept(None) => {}
                    Cover::Later => cover_later.push(file),
                }
                let (source, manifest) = linted.file.into_parts();
                if linted.touching {
                    touching.push(source.path().to_path_buf());
                }
                if job.keep {
                    manifests.push(manifest);
                }
                ids.push(linted.ids);
                reported.push(linted.reported);
                direct.push(linted.direct);
                diags.add(file, linted.diagnostics);
                Some(source)
            }
        })
        .collect();
    let mut covers = std::mem::take(&mut *held(&job.covers));
    covers.renumber(&tagged);
    drop(tagged);
    // the walk finds problems on every core: one order whatever the thread timing
    problems.sort_by_key(Problem::one_line);
    problems.dedup_by(|a, b| a.one_line() == b.one_line());
    // repository rules; the texts they cite are read again if they were let go
    let duplicates = rules::duplicate_activity_id::find(&ids, &reported);
    // the repository rule's findings get their levels (each file's own got theirs already)
    let mut repository: Vec<Diagnostic> = Vec::new();
    for dup in duplicates.iter().filter(|dup| reported[dup.file]) {
        let forgotten = [dup.file, dup.first.0].map(|f| sources[f].is_forgotten());
        for f in [dup.file, dup.first.0] {
            reload(&mut sources[f], &job.policy);
        }
        let mut d = dup.diagnostic(&sources, lang);
        d.place(&sources[dup.file]);
        repository.push(d);
        for (f, forgotten) in [dup.file, dup.first.0].into_iter().zip(forgotten) {
            if forgotten {
                sources[f].forget();
            }
        }
    }
    let manifests_reported = reported.iter().filter(|r| **r).count();
    // the repository rule's findings, and coverage's as they come, get their levels and are
    // placed; the files they relate to are named below
    let mut related: Vec<usize> = Vec::new();
    settle(
        repository,
        (&sources, &reported, &CodeFiles::default()),
        job.settings,
        &mut diags,
        &mut related,
    );
    // coverage: the data definitions and dependency files the walk kept, read now and matched
    // a window at a time; the files a finding points into join the run's files, after the
    // manifests, with their texts if over the limit to read them again (they are few)
    let mut coverage = None;
    if let Some(candidates) = candidates {
        for &file in cover_later.iter().filter(|_| !candidates.is_empty()) {
            let source = &sources[file];
            if let Ok(text) = read::text(source.path(), &job.policy) {
                let again = Source::named(source.names().clone(), text);
                let (full, _) = parse_source(&again, job.settings);
                covers.add(
                    file,
                    crate::coverage::scan::FileCover::of(&full.activities, &job.texts),
                );
            }
        }
        let (vendors, unread) = crate::coverage::vendors::load(job.settings);
        problems.extend(unread);
        let gdpr: Vec<_> = job.catalog.cite_keys(&["gdpr"]).collect();
        let first = sources.len();
        let mut code_files = CodeFiles::default();
        let mut pending: Vec<Diagnostic> = Vec::new();
        let mut matcher = crate::coverage::scan::Matcher::new(
            &covers, &job.texts, &sources, &ids, &vendors, lang, job.table,
        );
        crate::coverage::scan::read_candidates(candidates, job.settings, &vendors, |read| {
            let file = match read {
                Ok(file) => file,
                Err(problem) => return problems.push(problem),
            };
            let findings = matcher.file(&file);
            if findings.is_empty() {
                return;
            }
            let index = first + code_files.len();
            pending.extend(findings.into_iter().map(|f| {
                // a finding on the code file is placed there; one on a manifest is not
                let placed = matches!(f.file, crate::coverage::scan::FileRef::Scanned)
                    .then(|| file.placed(f.span))
                    .flatten();
                let mut d = crate::coverage::scan::diagnostic(f, Some(index), &gdpr, lang);
                d.placed = placed;
                d
            }));
            code_files.push(file.source, file.direct);
            if pending.len() >= SETTLE_AT {
                let chunk = std::mem::take(&mut pending);
                let files = (&sources[..], &reported[..], &code_files);
                settle(chunk, files, job.settings, &mut diags, &mut related);
            }
        });
        let (mut table, last) = matcher.finish();
        pending.extend(
            last.into_iter()
                .map(|f| crate::coverage::scan::diagnostic(f, None, &gdpr, lang)),
        );
        let files = (&sources[..], &reported[..], &code_files);
        settle(pending, files, job.settings, &mut diags, &mut related);
        table.first_code_file = first;
        // what only the matching needed goes before the code files join the run's files
        drop(covers);
        sources.reserve_exact(code_files.len());
        direct.reserve_exact(code_files.len());
        let code_root = crate::coverage::scan::code_root(job.settings);
        code_files.into_sources(&code_root, |source, opened| {
            sources.push(source);
            direct.push(opened);
            if job.keep {
                manifests.push(Manifest::default());
            }
            ids.push(ActivityIds::default());
            reported.push(true);
        });
        coverage = Some(table);
    }
    let files = manifests_reported;
    let activities = ids
        .iter()
        .zip(&reported)
        .filter(|(_, r)| **r)
        .map(|(a, _)| a.len())
        .sum();
    // the files findings point into are named relative to the repository; their texts, if let
    // go, are read again by the renderer, one file at a time
    let root = canonical(&super::repo_root(&job.settings.root));
    let mut named = vec![false; sources.len()];
    let mut resolved = Resolved::walked(job.walked.clone());
    for file in diags.files().chain(related) {
        if !std::mem::replace(&mut named[file], true) {
            let source = &mut sources[file];
            let direct = direct.get(file).copied().unwrap_or(false);
            // (`below`: the text compared when both paths are plain, as most are)
            let canonical = resolved.canonical_known(source.path(), direct);
            let in_repo = crate::source::below(&canonical, &root);
            source.set_in_repo(in_repo.as_deref());
        }
    }
    let summary = sink::finish(&diags, files, activities);
    Outcome {
        sources,
        manifests,
        reported,
        diagnostics: diags,
        summary,
        problems,
        activities: ids,
        root: Some(root),
        reread: Some(job.policy.clone()),
        coverage,
        touching,
    }
}

/// The code files coverage findings point into, kept small while the matching goes on: their
/// paths, front-coded (they come in path order), their names and text made again once the run is
/// assembled (a renderer reads the text again). A file over the limit to read it again keeps
/// what was read.
#[derive(Default)]
struct CodeFiles {
    paths: crate::coverage::paths::Paths,
    /// The files kept whole, by their place in `paths`, in order.
    whole: Vec<(usize, Source)>,
    /// Whether each was opened at its path (see [`Resolved`]).
    direct: Vec<bool>,
}

impl CodeFiles {
    fn push(&mut self, source: Source, direct: bool) {
        self.paths.push(source.path());
        self.direct.push(direct);
        if !source.is_forgotten() {
            self.whole.push((self.paths.len() - 1, source));
        }
    }

    fn len(&self) -> usize {
        self.paths.len()
    }

    fn path(&self, i: usize) -> Option<PathBuf> {
        self.paths.get(i)
    }

    /// Hands the files over in order, as the run's files; `root` as
    /// [`crate::coverage::scan::names`] takes it.
    fn into_sources(self, root: &Path, mut each: impl FnMut(Source, bool)) {
        let mut whole = self.whole.into_iter().peekable();
        for ((i, path), direct) in self.paths.iter().enumerate().zip(self.direct) {
            let source = match whole.next_if(|(at, _)| *at == i) {
                Some((_, source)) => source,
                None => Source::forgotten_named(crate::coverage::scan::names(&path, root)),
            };
            each(source, direct);
        }
    }
}

/// How many of coverage's findings are held before they are settled.
const SETTLE_AT: usize = 1024;

/// Settles findings made once the files are numbered (the repository rule's, coverage's): each
/// gets its configured level (`rules:`, `per_path:`; a rule set `off` drops it, a finding
/// excused by a deviation stays a note), one on a file not reported on is dropped, and the
/// rest are placed, with the files they relate to noted. `files`: the run's files, whether each
/// is reported on, then the code files numbered after them (all reported on).
fn settle(
    mut chunk: Vec<Diagnostic>,
    (sources, reported, code): (&[Source], &[bool], &CodeFiles),
    settings: &Settings,
    diags: &mut Findings,
    related: &mut Vec<usize>,
) {
    // a file's path as the configuration's globs see it, unless it is not reported on
    let rel = |i: usize| match sources.get(i) {
        Some(source) => reported[i].then(|| relative(source, settings)),
        None => {
            let path = code.path(i - sources.len()).unwrap_or_default();
            Some(
                settings
                    .relative(&path)
                    .unwrap_or_else(|| display_path(&path)),
            )
        }
    };
    let levels = settings.sets_levels();
    chunk.retain_mut(|d| {
        if !levels {
            return d.file >= sources.len() || reported[d.file];
        }
        rel(d.file).is_some_and(|rel| level(d, &rel, settings))
    });
    related.extend(chunk.iter().flat_map(|d| d.related.iter().map(|r| r.file)));
    diags.extend(chunk);
}

/// A file's path as the configuration's globs see it.
fn relative(f: &Source, settings: &Settings) -> String {
    settings
        .relative(f.path())
        .unwrap_or_else(|| f.display().to_string())
}

/// Gives one finding its configured level; `false`: the rule is off, drop it.
fn level(d: &mut Diagnostic, rel: &str, settings: &Settings) -> bool {
    match settings.level(d.code, rel) {
        None => true,
        Some(level) => match level.severity() {
            None => false,
            Some(_) if d.deviation.is_some() => true,
            Some(severity) => {
                d.severity = severity;
                true
            }
        },
    }
}

/// Reads a source's text again, under the same policy, when a late finding needs it. A file
/// that changed or vanished in between keeps what can be read.
fn reload(source: &mut Source, policy: &read::Policy) {
    if source.is_forgotten() {
        let text = read::text(source.path(), policy).unwrap_or_default();
        *source = Source::named(source.names().clone(), text);
    }
}

/// What linting one file gives.
struct Linted {
    file: Kept,
    /// Each activity's position and id, for the repository rules.
    ids: ActivityIds,
    /// Findings with the file's deviations and levels applied, in [`Job::findings`].
    diagnostics: Encoded,
    reported: bool,
    cover: Cover,
    /// Whether the file names one of [`Job::touched_by`].
    touching: bool,
    /// Whether the file was opened at its path, no link followed to it (see [`Resolved`]).
    direct: bool,
}

/// What coverage has of a linted file's activities.
enum Cover {
    /// In [`Job::covers`], under this tag; `None`: nothing to keep (coverage is off, or the
    /// file is not reported on).
    Kept(Option<u32>),
    /// Not kept, because the walk had not yet found a file for coverage to read: read again
    /// when the run is assembled, if coverage has files to match.
    Later,
}

/// What is kept of a linted file until the run is assembled: held for every file of the run, so
/// only its paths unless the job keeps manifests.
enum Kept {
    /// The file's names; the text was let go.
    Names(crate::source::Names),
    /// The file with its text, and its whole manifest.
    Whole(Box<(Source, Manifest)>),
}

impl Kept {
    fn of(source: Source, manifest: Option<Manifest>) -> Kept {
        match manifest {
            Some(manifest) => Kept::Whole(Box::new((source, manifest))),
            None => Kept::Names(source.into_names()),
        }
    }

    /// The path as shown, then on disk.
    fn key(&self) -> (&str, &Path) {
        match self {
            Kept::Names(names) => names.key(),
            Kept::Whole(whole) => whole.0.names().key(),
        }
    }

    /// The file (its text let go unless kept) and its manifest (empty unless kept).
    fn into_parts(self) -> (Source, Manifest) {
        match self {
            Kept::Names(names) => (Source::forgotten_named(names), Manifest::default()),
            Kept::Whole(whole) => *whole,
        }
    }
}

/// One manifest through read → parse → per-activity rules. Diagnostics carry file index 0; the
/// caller numbers the files. A path that cannot be read at all is the error. Unless the job
/// keeps manifests, the manifest is slimmed to what the repository rules and the deviations
/// need, and the text of a file without findings is let go.
fn lint_file(
    path: &Path,
    display: String,
    job: &Job<'_>,
    known: read::Known,
) -> Result<Linted, Problem> {
    let lang = job.settings.lang.value;
    let (text, direct) = match read::text_opened(path, &job.policy, known) {
        Ok(read) => read,
        Err(e) if e.is_content() => {
            let message = match e {
                ReadError::TooLarge { limit } => crate::i18n::t(
                    lang,
                    format!("file is over the {limit}-byte limit for a manifest; not read"),
                    format!(
                        "le fichier dépasse la limite de {limit} octets d'un manifeste ; il n'est pas lu"
                    ),
                ),
                other => other.message(lang),
            };
            let d = Diagnostic::new(RuleId::MF001, Severity::Error, 0, message).at(Span::new(0, 0));
            let source = Source::new(display, path.to_path_buf(), String::new());
            // (not opened: not the walk's to name)
            let reported = in_scope(&job.scope, &source, &Manifest::default(), &Found(None));
            let mut diagnostics = vec![d];
            crate::diag::place_all(&mut diagnostics, &source);
            if reported {
                let rel = relative(&source, job.settings);
                diagnostics.retain_mut(|d| level(d, &rel, job.settings));
            } else {
                diagnostics.clear();
            }
            return Ok(Linted {
                file: Kept::of(source, None),
                ids: ActivityIds::default(),
                diagnostics: job.findings.encode(&diagnostics),
                reported,
                cover: Cover::Kept(None),
                touching: false,
                direct: false,
            });
        }
        Err(e) => {
            return Err(Problem::new(ProblemKind::Unread, e.message(lang)).on(display));
        }
    };
    let source = Source::new(display, path.to_path_buf(), text);
    let _current = CurrentFile::set(source.display());
    // debug builds only (the tests'): proves that a crash ends in exit 2 with the file named
    #[cfg(debug_assertions)]
    if std::env::var("ROPA_TEST_PANIC").is_ok_and(|name| source.display().ends_with(&name)) {
        panic!("induced by ROPA_TEST_PANIC");
    }
    let (full, mut diags) = parse_source(&source, job.settings);
    let found = Found::of(&job.walked, path, direct);
    let reported = in_scope(&job.scope, &source, &full, &found);
    // a file read only for the repository rules (its ids) is not checked: its findings would
    // be dropped, and RF001/RF002 would touch the file system for nothing
    if reported {
        check_manifest(
            &source,
            &full,
            job.catalog,
            job.settings,
            &*job.files,
            &mut diags,
        );
    }
    cap(&mut diags, job.settings.lang.value);
    let ids = ActivityIds::of(&full.activities);
    let touching = job
        .touched_by
        .as_ref()
        .is_some_and(|t| references_changed(&source, &full, t, &found));
    // what coverage needs of the activities, once the walk has found a file for it to read
    // (a repository without any keeps nothing; a manifest linted before the first one is read
    // again when the run is assembled)
    let cover = if !(job.coverage && reported) {
        Cover::Kept(None)
    } else if job
        .candidate_seen
        .load(std::sync::atomic::Ordering::Relaxed)
    {
        let cover = crate::coverage::scan::FileCover::of(&full.activities, &job.texts);
        let tag = job.tags.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        held(&job.covers).add(tag as usize, cover);
        Cover::Kept(Some(tag))
    } else {
        Cover::Later
    };
    // deviations and levels now, file by file, so that a file whose findings are all excused
    // away or turned off lets its text go; the repository rule (MF005) cannot be excused and
    // gets its level once the run is assembled
    if reported {
        deviations::apply(0, &deviations::of(&full.activities), &mut diags, lang);
        if job.settings.sets_levels() {
            let rel = relative(&source, job.settings);
            diags.retain_mut(|d| level(d, &rel, job.settings));
        }
    } else {
        diags.clear();
    }
    // unless the manifests are kept (the register), the text is let go: a renderer reads it
    // again if a finding needs it, so that memory does not grow with the findings
    let kept = job
        .keep_only
        .as_ref()
        .is_none_or(|only| only.contains(&found.file(path)));
    let manifest = (job.keep && reported && kept).then_some(full);
    // placed while the text is at hand: the renderers then need not read it again
    crate::diag::place_all(&mut diags, &source);
    Ok(Linted {
        file: Kept::of(source, manifest),
        ids,
        diagnostics: job.findings.encode(&diags),
        reported,
        cover,
        touching,
        direct,
    })
}

/// The most findings one file reports: past it, the first ones in the file are kept and one
/// more finding says how many were left out, so that no file can make a report unbounded.
pub const MAX_FINDINGS_PER_FILE: usize = 1_000;

fn cap(diags: &mut Vec<Diagnostic>, lang: crate::i18n::Lang) {
    if diags.len() <= MAX_FINDINGS_PER_FILE {
        return;
    }
    // the first found are kept: the parser's (the file's structure, its own caps) come first
    let left_out = diags.len() - MAX_FINDINGS_PER_FILE;
    diags.truncate(MAX_FINDINGS_PER_FILE);
    let max = MAX_FINDINGS_PER_FILE;
    let d = Diagnostic::new(
        RuleId::MF001,
        Severity::Error,
        0,
        crate::i18n::t(
            lang,
            format!("{left_out} more findings in this file are not reported: a file reports at most {max}"),
            format!("{left_out} autres problèmes de ce fichier ne sont pas signalés : un fichier en signale {max} au plus"),
        ),
    )
    .at(Span::new(0, 0))
    .help(crate::i18n::t(
        lang,
        "fix the findings reported, or split the file",
        "corrigez les problèmes signalés, ou séparez le fichier",
    ));
    diags.push(d);
}

/// Parse, per-activity rules and deviations for one loaded file, with no repository rules: for
/// text that is not in a repository (fuzzing, property tests, `init` templates).
pub fn lint_source(
    source: &Source,
    catalog: &Loaded,
    settings: &Settings,
    files: &dyn rules::Files,
) -> (Manifest, Vec<Diagnostic>) {
    let (manifest, mut diags) = parse_source(source, settings);
    check_manifest(source, &manifest, catalog, settings, files, &mut diags);
    deviations::apply(
        0,
        &deviations::of(&manifest.activities),
        &mut diags,
        settings.lang.value,
    );
    (manifest, diags)
}

/// The manifest of one loaded file, with the configured defaults, and the parser's findings.
fn parse_source(source: &Source, settings: &Settings) -> (Manifest, Vec<Diagnostic>) {
    let mut parsed = parse::parse(source, 0, settings.lang.value);
    inherit_defaults(&mut parsed.manifest, settings);
    (parsed.manifest, parsed.diagnostics)
}

/// The per-activity rules over a parsed manifest.
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
    let files = &Remembered::new(files);
    // the parser's findings come first; the rules' are those after them
    let first = diags.len();
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
            met: std::cell::OnceCell::new(),
            folded: std::cell::OnceCell::new(),
        };
        rules::check_activity(&cx, diags);
    }
    // in a fides file, the findings name fides fields and values, and the help the fides field
    // that fixes the finding (or that fides has none)
    if manifest.fides {
        use crate::manifest::parse::fides;
        for d in &mut diags[first..] {
            d.message = fides::speak(&d.message);
            d.label = d.label.as_deref().map(fides::speak);
            d.help = fides::help(d.code, lang).or_else(|| d.help.as_deref().map(fides::speak));
            for note in &mut d.notes {
                *note = fides::speak(note);
            }
        }
    }
}

/// A file system that has nothing: for linting text that is not on disk (fuzzing, property
/// tests).
pub struct NoFiles;

/// A manifest's look at the file system, each question asked once: its activities often share
/// a `code:` glob (`src/**`) or a document, and all are relative to the same directory.
struct Remembered<'a> {
    files: &'a dyn rules::Files,
    exists: std::sync::Mutex<crate::hash::Map<PathBuf, Seen>>,
    /// By directory (the manifest's, so one in practice: looked for in a list rather than hashed),
    /// then glob: a question asked again is looked up without a copy of either.
    globs: std::sync::Mutex<Vec<(PathBuf, crate::hash::Map<String, Seen>)>>,
}

impl<'a> Remembered<'a> {
    fn new(files: &'a dyn rules::Files) -> Remembered<'a> {
        Remembered {
            files,
            exists: std::sync::Mutex::default(),
            globs: std::sync::Mutex::default(),
        }
    }
}

impl rules::Files for Remembered<'_> {
    fn exists(&self, path: &Path) -> Seen {
        if let Some(seen) = held(&self.exists).get(path) {
            return *seen;
        }
        let seen = self.files.exists(path);
        held(&self.exists).insert(path.to_path_buf(), seen);
        seen
    }

    fn glob_matches(&self, base: &Path, glob: &str, budget: &std::cell::Cell<usize>) -> Seen {
        let asked = |globs: &[(PathBuf, crate::hash::Map<String, Seen>)]| {
            globs.iter().position(|(dir, _)| dir == base)
        };
        {
            let globs = held(&self.globs);
            if let Some(seen) = asked(&globs).and_then(|at| globs[at].1.get(glob)) {
                return *seen;
            }
        }
        let seen = self.files.glob_matches(base, glob, budget);
        let mut globs = held(&self.globs);
        let at = asked(&globs).unwrap_or_else(|| {
            globs.push((base.to_path_buf(), crate::hash::Map::default()));
            globs.len() - 1
        });
        globs[at].1.insert(glob.to_string(), seen);
        seen
    }
}

impl rules::Files for NoFiles {
    fn exists(&self, _: &Path) -> Seen {
        Seen::No
    }
    fn glob_matches(&self, _: &Path, _: &str, _: &std::cell::Cell<usize>) -> Seen {
        Seen::No
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

/// Whether a file is reported on. `found`: the file's canonical path when the walk found it
/// and it is not a link ([`Found::of`]), else it is resolved here.
fn in_scope(scope: &Scope, source: &Source, manifest: &Manifest, found: &Found) -> bool {
    match scope {
        Scope::All => true,
        Scope::Files(files) => files.contains(&found.file(source.path())),
        Scope::Changed(changed) => {
            changed.contains(&found.file(source.path()))
                || references_changed(source, manifest, changed, found)
        }
    }
}

/// A manifest's canonical path, had without looking when the walk found it: below a start by
/// plain names, opened at its path without following a link ([`Walked::canonical`]). Its
/// directory's is then that path less the name. A manifest (or a directory) reached otherwise is
/// resolved by [`canonical`], which looks at every part of its path (a `readlink` each): in a
/// changed-files run, twice for each of the repository's manifests before this.
struct Found(Option<PathBuf>);

impl Found {
    fn of(walked: &Walked, path: &Path, direct: bool) -> Found {
        Found(direct.then(|| walked.canonical(path)).flatten())
    }

    fn file(&self, path: &Path) -> PathBuf {
        self.0.clone().unwrap_or_else(|| canonical(path))
    }

    /// The canonical path of the file's directory (`dir`).
    fn dir(&self, dir: &Path) -> PathBuf {
        match self.0.as_deref().and_then(Path::parent) {
            Some(parent) => parent.to_path_buf(),
            None => canonical(dir),
        }
    }
}

/// [`canonical`] of `dir` joined with `rel`, given `dir`'s canonical path (`real`): when `rel` is
/// names only, each is looked at in turn (one `lstat`), and what does not exist is kept as
/// written, as `canonical` keeps it; a link, or any other `rel` (`..`, absolute, empty), goes
/// through `canonical` itself.
fn canonical_below(real: &Path, dir: &Path, rel: &str) -> PathBuf {
    let rel = Path::new(rel);
    let names_only = !rel.as_os_str().is_empty()
        && rel
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if !names_only {
        return canonical(&dir.join(rel));
    }
    let mut at = real.to_path_buf();
    let mut parts = rel.components();
    while let Some(part) = parts.next() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => return canonical(&dir.join(rel)),
            Ok(_) => {}
            Err(_) => {
                at.extend(parts);
                return at;
            }
        }
    }
    at
}

/// Whether a manifest refers to a changed file: a referenced document, or code under `code:`.
fn references_changed(
    source: &Source,
    manifest: &Manifest,
    changed: &[PathBuf],
    found: &Found,
) -> bool {
    let dir = crate::source::dir_of(source.path());
    let real = found.dir(dir);
    let mut docs = manifest
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
        .map(|r| canonical_below(&real, dir, r.value.trim()));
    if docs.any(|d| changed.contains(&d)) {
        return true;
    }
    // code lies under the manifest's directory: the globs are built only when a changed file
    // does (most manifests of a large change have none under them)
    let under: Vec<&Path> = changed
        .iter()
        .filter_map(|c| c.strip_prefix(&real).ok())
        .collect();
    if under.is_empty() {
        return false;
    }
    let globs: Vec<globset::GlobMatcher> = manifest
        .activities
        .iter()
        .flat_map(|a| &a.code)
        .filter_map(|g| crate::manifest::glob(&g.value).ok())
        .map(|g| g.compile_matcher())
        .collect();
    under
        .iter()
        .any(|rel| globs.iter().any(|g| g.is_match(rel)))
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
                value: s.value.as_str().into(),
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

/// The real file system, for RF001 and RF002, seen only inside the repository. Compiled globs
/// are cached, since most activities use the same few.
struct RealFiles {
    /// The repository's root, canonical.
    root: PathBuf,
    globs: std::sync::Mutex<HashMap<String, Option<std::sync::Arc<globset::GlobMatcher>>>>,
    /// Whether the working directory lies in the repository.
    cwd_inside: bool,
    /// Entries visited by every glob of the run, against [`rules::GLOB_RUN_BUDGET`].
    visited: std::sync::atomic::AtomicUsize,
    /// Paths resolved with the directories above them remembered: a run started at an absolute
    /// path asks about every manifest's directory, and `realpath` would look at each of its
    /// parts (a `readlink` each, about ten a manifest).
    resolved: std::sync::Mutex<Resolved>,
}

impl RealFiles {
    fn new(root: &Path) -> RealFiles {
        let root = canonical(root);
        let cwd_inside =
            std::env::current_dir().is_ok_and(|cwd| canonical(&cwd).starts_with(&root));
        RealFiles {
            cwd_inside,
            root,
            globs: std::sync::Mutex::default(),
            visited: std::sync::atomic::AtomicUsize::new(0),
            resolved: std::sync::Mutex::default(),
        }
    }

    /// Whether a path, links and `..` resolved, lies in the repository.
    fn inside(&self, path: &Path) -> bool {
        held(&self.resolved).canonical(path).starts_with(&self.root)
    }

    /// Whether `base` joined with `added` lies in the repository, cheaply in the common case: a
    /// manifest's directory below the working directory (itself in the repository), found by a
    /// walk that follows no link, plus components that are plain names and not links (one
    /// `lstat` each). Anything else is resolved in full.
    fn inside_from(&self, base: &Path, added: &[&str]) -> bool {
        self.plainly_inside(base, added)
            || self.inside(&added.iter().fold(base.to_path_buf(), |p, c| p.join(c)))
    }

    /// The cheap case of [`RealFiles::inside_from`] alone: `false` when it does not apply.
    fn plainly_inside(&self, base: &Path, added: &[&str]) -> bool {
        let plain = |p: &Path| {
            p.components().all(|c| {
                matches!(
                    c,
                    std::path::Component::Normal(_) | std::path::Component::CurDir
                )
            })
        };
        if !(self.cwd_inside && base.is_relative() && plain(base)) {
            return false;
        }
        let mut at = base.to_path_buf();
        added.iter().all(|c| {
            at.push(c);
            !matches!(*c, "" | "." | "..")
                && std::fs::symlink_metadata(&at).is_ok_and(|m| !m.file_type().is_symlink())
        })
    }

    /// Searches from `start` (opened following a link only if `follow`) for a file `matcher`
    /// matches, relative to `base`, within `limit` entries; `visited` counts them. The error
    /// of opening `start` itself is returned; a directory below it that cannot be listed holds
    /// nothing to match.
    fn search(
        start: PathBuf,
        follow: bool,
        base: &Path,
        matcher: &globset::GlobMatcher,
        limit: usize,
        visited: &mut usize,
    ) -> std::io::Result<Seen> {
        let mut stack = vec![(start, follow)];
        let mut first = true;
        while let Some((dir, follow)) = stack.pop() {
            let mut seen = Seen::No;
            let listed =
                super::walk::list_until(&dir, follow, &mut |_, _| {}, &mut |path, kind| {
                    *visited += 1;
                    if *visited > limit {
                        seen = Seen::Unknown;
                    } else if kind.is_dir() {
                        if path.file_name().is_none_or(|name| name != ".git") {
                            stack.push((path, false));
                        }
                    } else if kind.is_file()
                        && path
                            .strip_prefix(base)
                            .is_ok_and(|rel| matcher.is_match(rel))
                    {
                        seen = Seen::Yes;
                    }
                    seen != Seen::No
                });
            if std::mem::replace(&mut first, false) {
                listed?;
            }
            if seen != Seen::No {
                return Ok(seen);
            }
        }
        Ok(Seen::No)
    }
}

impl rules::Files for RealFiles {
    fn exists(&self, path: &Path) -> Seen {
        match (self.inside(path), path.exists()) {
            (false, _) => Seen::Outside,
            (true, true) => Seen::Yes,
            (true, false) => Seen::No,
        }
    }

    /// Walks from the glob's literal prefix (`src/` for `src/**/*.py`), stops at the first
    /// match, and skips `.git`. Ignore files are not consulted: a glob names code on purpose.
    fn glob_matches(&self, base: &Path, glob: &str, budget: &std::cell::Cell<usize>) -> Seen {
        let glob = glob.trim().trim_start_matches("./");
        let matcher = {
            let mut globs = held(&self.globs);
            match globs.get(glob) {
                Some(matcher) => matcher.clone(),
                None => globs
                    .entry(glob.to_string())
                    .or_insert_with(|| {
                        crate::manifest::glob(glob)
                            .ok()
                            .map(|g| std::sync::Arc::new(g.compile_matcher()))
                    })
                    .clone(),
            }
        };
        let Some(matcher) = matcher else {
            return Seen::No;
        };
        let components: Vec<&str> = glob.split('/').collect();
        let literal = components
            .iter()
            .take_while(|c| !c.contains(['*', '?', '[', '{']))
            .count();
        let start = components[..literal]
            .iter()
            .fold(base.to_path_buf(), |p, c| p.join(c));
        // an absolute glob names no place relative to the manifest: it is outside by definition
        if glob.starts_with('/') {
            return Seen::Outside;
        }
        use std::sync::atomic::Ordering;
        let run_left = rules::GLOB_RUN_BUDGET.saturating_sub(self.visited.load(Ordering::Relaxed));
        let limit = budget.get().min(rules::GLOB_WALK_LIMIT).min(run_left);
        let mut visited = 0;
        // the common case, a directory to search below the manifest's: the parts before its
        // last looked at (no link), the last opened refusing a link, which looks at it too
        let quick = (1..components.len())
            .contains(&literal)
            .then(|| components[literal - 1])
            .filter(|last| !matches!(*last, "" | "." | ".."))
            .filter(|_| self.plainly_inside(base, &components[..literal - 1]))
            .map(|_| Self::search(start.clone(), false, base, &matcher, limit, &mut visited));
        let found = match quick {
            Some(Ok(seen)) => seen,
            // nothing there: inside (nothing above it is a link), and nothing to search
            Some(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => Seen::No,
            // a link at the end (refused as "not a directory", like a file), or anything else:
            // the careful way
            _ => {
                if !self.inside_from(base, &components[..literal]) {
                    return Seen::Outside;
                }
                if literal == components.len() {
                    return if start.is_file() { Seen::Yes } else { Seen::No };
                }
                // the start was found inside (a link to a place inside is followed); below it,
                // links are never followed: a search stays where it started
                Self::search(start, true, base, &matcher, limit, &mut visited).unwrap_or(Seen::No)
            }
        };
        budget.set(budget.get().saturating_sub(visited));
        self.visited.fetch_add(visited, Ordering::Relaxed);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The run's files take the results' place in memory ([`assemble`]): std reuses a list's
    /// allocation when it is collected, through `filter_map`, into a list of items no larger
    /// and as aligned. Not a promise std makes; if it stops, this says so (2 MiB more at 50k).
    #[test]
    fn the_files_take_the_results_place() {
        let findings = Findings::new();
        let results: Vec<Done> = (0..64)
            .map(|i| {
                Ok(Linted {
                    file: Kept::Names(crate::source::Names::new(
                        format!("{i}/processing.yaml"),
                        PathBuf::from(format!("{i}/processing.yaml")),
                    )),
                    ids: ActivityIds::default(),
                    diagnostics: findings.encode(&[]),
                    reported: true,
                    cover: Cover::Kept(None),
                    touching: false,
                    direct: false,
                })
            })
            .collect();
        let place = results.as_ptr() as usize;
        let sources: Vec<Source> = results
            .into_iter()
            .filter_map(|r| r.ok().map(|l| l.file.into_parts().0))
            .collect();
        assert_eq!(sources.len(), 64);
        assert_eq!(sources.as_ptr() as usize, place);
    }

    /// A file a walk found is named from its start without a look, and gets what [`canonical`]
    /// gives: a start that is a link, a start inside another that is a link, a start with a `.`
    /// part; a file named on its own, or with `..` below its start, is resolved as before.
    #[cfg(unix)]
    #[test]
    fn files_a_walk_found_are_named_from_their_start() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("real/svc")).unwrap();
        std::fs::create_dir_all(root.join("top/in")).unwrap();
        std::fs::create_dir_all(root.join("other/deep")).unwrap();
        std::fs::write(root.join("real/svc/processing.yaml"), "").unwrap();
        std::fs::write(root.join("other/deep/processing.yaml"), "").unwrap();
        std::fs::write(root.join("top/in/processing.yaml"), "").unwrap();
        std::os::unix::fs::symlink(root.join("real"), root.join("link")).unwrap();
        // a start inside another start, through a link the outer walk would not enter
        std::os::unix::fs::symlink(root.join("other"), root.join("top/inner")).unwrap();
        let starts = [
            root.join("link"),
            root.join("top"),
            root.join("top/inner/."),
            root.join("other/deep/processing.yaml"),
        ];
        let walked = Walked::of(&starts);
        let found = [
            root.join("link/svc/processing.yaml"),
            root.join("top/in/processing.yaml"),
            root.join("top/inner/deep/processing.yaml"),
        ];
        let mut resolved = Resolved::walked(walked.clone());
        for p in &found {
            assert_eq!(walked.canonical(p), Some(canonical(p)), "{}", p.display());
            assert_eq!(resolved.canonical_known(p, true), canonical(p));
        }
        // named on its own, the start itself, `..` below a start: not the walk's to name
        for p in [
            root.join("other/deep/processing.yaml"),
            root.join("top"),
            root.join("top/in/../in/processing.yaml"),
        ] {
            assert_eq!(walked.canonical(&p), None, "{}", p.display());
            assert_eq!(resolved.canonical_known(&p, true), canonical(&p));
        }
        // a file named below a start, through a link the walk would not have entered
        let named = root.join("top/inner/deep/processing.yaml");
        let walked = Walked::of(&[root.join("top"), named.clone()]);
        assert_eq!(walked.canonical(&named), None);
        let mut resolved = Resolved::walked(walked);
        assert_eq!(resolved.canonical_known(&named, true), canonical(&named));
        // a file that is a link is named by what it links to, walked or not
        std::os::unix::fs::symlink(
            root.join("other/deep/processing.yaml"),
            root.join("top/in/api.processing.yaml"),
        )
        .unwrap();
        let link = root.join("top/in/api.processing.yaml");
        assert_eq!(resolved.canonical_known(&link, false), canonical(&link));
        assert_ne!(canonical(&link), root.join("top/in/api.processing.yaml"));
    }

    /// What a changed-files run asks of each manifest, answered without looking when the walk
    /// found it ([`Found`]), and a referenced document resolved from its directory's canonical
    /// path ([`canonical_below`]): both as [`canonical`] answers, over links, missing parts,
    /// files in the middle, `..`, absolute paths and web addresses.
    #[cfg(unix)]
    #[test]
    fn found_files_and_their_documents_resolve_as_canonical_does() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("repo/svc/docs")).unwrap();
        std::fs::create_dir_all(root.join("outside/docs")).unwrap();
        std::fs::write(root.join("repo/svc/processing.yaml"), "").unwrap();
        std::fs::write(root.join("repo/svc/docs/dpia.pdf"), "").unwrap();
        std::fs::write(root.join("repo/svc/file.pdf"), "").unwrap();
        std::fs::write(root.join("outside/docs/dpia.pdf"), "").unwrap();
        std::os::unix::fs::symlink(root.join("outside/docs"), root.join("repo/svc/linked"))
            .unwrap();
        std::os::unix::fs::symlink(root.join("repo"), root.join("start")).unwrap();
        let dir = root.join("start/svc");
        let file = dir.join("processing.yaml");
        let walked = Walked::of(&[root.join("start")]);
        for direct in [true, false] {
            let found = Found::of(&walked, &file, direct);
            assert_eq!(found.0.is_some(), direct);
            assert_eq!(found.file(&file), canonical(&file));
            assert_eq!(found.dir(&dir), canonical(&dir));
        }
        // named on its own: not the walk's to answer
        let named = Found::of(&Walked::of(std::slice::from_ref(&file)), &file, true);
        assert!(named.0.is_none());
        let real = canonical(&dir);
        for rel in [
            "docs/dpia.pdf",
            "docs/./dpia.pdf",
            "docs/",
            "docs/missing.pdf",
            "missing/deeper/x.pdf",
            "file.pdf/below",
            "linked/dpia.pdf",
            "linked/missing.pdf",
            "../svc/docs/dpia.pdf",
            "/etc/hostname",
            "https://intranet.example.com/privacy/dpia",
            "",
            ".",
        ] {
            assert_eq!(
                canonical_below(&real, &dir, rel),
                canonical(&dir.join(rel)),
                "{rel:?}"
            );
        }
    }

    /// Each directory resolved once gives what [`canonical`] gives path by path: through links
    /// to files and to directories, `..`, relative paths and paths that do not exist.
    #[test]
    fn resolved_once_per_directory_is_canonical() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real");
        std::fs::create_dir_all(real.join("svc/src")).unwrap();
        std::fs::write(real.join("svc/processing.yaml"), "").unwrap();
        std::fs::write(real.join("svc/src/a.py"), "").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&real, tmp.path().join("link")).unwrap();
            std::os::unix::fs::symlink(
                real.join("svc/processing.yaml"),
                real.join("svc/other.yaml"),
            )
            .unwrap();
        }
        let paths = [
            real.join("svc/processing.yaml"),
            real.join("svc/src/a.py"),
            real.join("svc/other.yaml"),
            tmp.path().join("link/svc/processing.yaml"),
            tmp.path().join("link/svc/src/a.py"),
            real.join("svc/src/../processing.yaml"),
            real.join("svc/./processing.yaml"),
            real.join("svc/gone.yaml"),
            real.join("gone/deeper.yaml"),
            PathBuf::from("Cargo.toml"),
            PathBuf::from("src/engine/run.rs"),
            PathBuf::from("src/../Cargo.toml"),
        ];
        let mut resolved = Resolved::default();
        // twice, so that the second time is answered from what the first resolved
        for _ in 0..2 {
            for p in &paths {
                assert_eq!(resolved.canonical(p), canonical(p), "{}", p.display());
            }
        }
        #[cfg(unix)]
        assert_eq!(
            resolved.canonical(&real.join("svc/other.yaml")),
            std::fs::canonicalize(real.join("svc/processing.yaml")).unwrap()
        );
        // files opened at their path (not links, though a directory above may be one): the
        // file is not looked at again, its directories still are resolved
        let direct = [
            real.join("svc/processing.yaml"),
            real.join("svc/src/a.py"),
            tmp.path().join("link/svc/processing.yaml"),
            tmp.path().join("link/svc/src/a.py"),
            PathBuf::from("src/engine/run.rs"),
        ];
        for p in &direct {
            let mut fresh = Resolved::default();
            assert_eq!(
                fresh.canonical_known(p, true),
                canonical(p),
                "{}",
                p.display()
            );
            assert_eq!(
                resolved.canonical_known(p, true),
                canonical(p),
                "{}",
                p.display()
            );
        }
    }

    /// A named file is linted once, also when git's index cannot stand for the walk (here no
    /// repository at all): the walk that takes its place lints only the other manifests, and
    /// an id the named file shares with one of them is still caught.
    #[test]
    fn a_named_file_is_linted_once_when_the_walk_stands_in_for_the_index() {
        // the paths RF001 asks about, kept beyond the run
        struct Counting(std::sync::Arc<std::sync::Mutex<Vec<PathBuf>>>);
        impl rules::Files for Counting {
            fn exists(&self, path: &Path) -> Seen {
                held(&self.0).push(path.to_path_buf());
                Seen::Yes
            }
            fn glob_matches(&self, _: &Path, _: &str, _: &std::cell::Cell<usize>) -> Seen {
                Seen::Yes
            }
        }
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        let manifest = include_str!("../../examples/services/crm/processing.yaml");
        for dir in ["a", "b"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
            std::fs::write(root.join(dir).join("processing.yaml"), manifest).unwrap();
        }
        let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let request = Request {
            paths: vec![root.join("a/processing.yaml")],
            changed: None,
            keep_manifests: false,
            keep_only: None,
            use_index: true,
            staged: false,
            coverage: Coverage::Off,
            touched_by: None,
        };
        let catalog = crate::catalog::load::builtin().unwrap();
        let settings = Settings::defaults(root.clone());
        let outcome = lint_in(
            &request,
            &catalog,
            &settings,
            Box::new(Counting(asked.clone())),
        );
        // the named file is checked once (the other is read for its ids only)
        let asked = held(&asked).clone();
        assert_eq!(asked, [root.join("a/docs/lia-customers.md")]);
        let codes: Vec<RuleId> = outcome.diagnostics.iter().map(|d| d.code).collect();
        assert!(codes.contains(&RuleId::MF005), "{codes:?}");
    }

    /// A manifest's activities that share a `code:` glob or a document ask the file system once.
    #[test]
    fn a_manifest_asks_each_question_once() {
        struct Counting(std::sync::atomic::AtomicUsize);
        impl rules::Files for Counting {
            fn exists(&self, _: &Path) -> Seen {
                self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Seen::Yes
            }
            fn glob_matches(&self, _: &Path, glob: &str, _: &std::cell::Cell<usize>) -> Seen {
                self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if glob == "src/**" {
                    Seen::Yes
                } else {
                    Seen::No
                }
            }
        }
        let counting = Counting(std::sync::atomic::AtomicUsize::new(0));
        let files = Remembered::new(&counting);
        let budget = std::cell::Cell::new(10);
        use rules::Files;
        for _ in 0..3 {
            assert_eq!(
                files.glob_matches(Path::new("a"), "src/**", &budget),
                Seen::Yes
            );
            assert_eq!(
                files.glob_matches(Path::new("a"), "lib/**", &budget),
                Seen::No
            );
            assert_eq!(files.exists(Path::new("a/dpia.md")), Seen::Yes);
        }
        // another directory is another question
        assert_eq!(
            files.glob_matches(Path::new("b"), "src/**", &budget),
            Seen::Yes
        );
        assert_eq!(counting.0.load(std::sync::atomic::Ordering::Relaxed), 4);
    }
}
