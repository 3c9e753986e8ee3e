//! `ropa lint`: walk → parse → model → rules → deviations → sink → renderer → exit status.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::{Exit, Failure, emit, load_catalogs};
use crate::catalog::Lang;
use crate::catalog::load::Loaded;
use crate::config::Settings;
use crate::diag::sink;
use crate::diag::{Diagnostic, Severity, deviations};
use crate::i18n;
use crate::manifest::model::{Manifest, Sp};
use crate::manifest::parse;
use crate::render::{self, Format, Report};
use crate::rules::{self, Context};
use crate::source::{Source, Span};
use crate::walk;

/// Manifests larger than this are not read (a diagnostic says so).
pub const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;

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
    check_scoped(paths, catalog, settings, None)
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
) -> Outcome {
    let lang = settings.lang.value;
    let only_files = !paths.is_empty() && paths.iter().all(|p| p.is_file());
    let scope = match changed {
        Some(c) => Scope::Changed(c.iter().map(|p| canonical(p)).collect()),
        None if only_files => Scope::Files(paths.iter().map(|p| canonical(p)).collect()),
        None => Scope::All,
    };
    let mut found = walk::discover(paths, settings);
    if !matches!(scope, Scope::All) {
        // the rest of the repository, for cross-file rules
        let mut context = walk::discover(std::slice::from_ref(&settings.root), settings);
        let known: std::collections::HashSet<PathBuf> =
            found.manifests.iter().map(|p| canonical(p)).collect();
        context.manifests.retain(|p| !known.contains(&canonical(p)));
        found.manifests.extend(context.manifests);
        found.manifests.sort_by_key(|p| walk::display_path(p));
    }
    let mut failures = Vec::new();
    for m in &found.missing {
        failures.push(format!("{}: no such file or directory", m.display()));
    }
    failures.extend(found.errors.iter().cloned());

    let mut sources: Vec<Source> = Vec::new();
    let mut manifests: Vec<Manifest> = Vec::new();
    let mut diags: Vec<Diagnostic> = Vec::new();
    let files = RealFiles;
    for path in &found.manifests {
        let file = sources.len();
        let display = walk::display_path(path);
        let (source, problem) = match read(path, lang) {
            Ok(Ok(text)) => (Source::new(display, path.clone(), text), None),
            Ok(Err(problem)) => (
                Source::new(display, path.clone(), String::new()),
                Some(problem),
            ),
            Err(e) => {
                failures.push(format!("{display}: cannot read: {e}"));
                continue;
            }
        };
        sources.push(source);
        let source = &sources[file];
        if let Some(problem) = problem {
            diags.push(
                Diagnostic::new(rules::MF001, Severity::Error, file, problem).at(Span::new(0, 0)),
            );
            manifests.push(Manifest::default());
            continue;
        }
        let mut parsed = parse::parse(source, file, lang);
        inherit_defaults(&mut parsed.manifest, settings);
        let mut file_diags = parsed.diagnostics;
        for activity in &parsed.manifest.activities {
            let purpose = activity
                .purpose
                .as_ref()
                .and_then(|p| catalog.index.resolve(&p.value))
                .map(|i| &catalog.purposes()[i]);
            let cx = Context {
                file,
                source,
                activity,
                catalog,
                purpose,
                lang,
                files: &files,
            };
            rules::check_activity(&cx, &mut file_diags);
        }
        deviations::apply(file, &parsed.manifest.activities, &mut file_diags, lang);
        diags.extend(file_diags);
        manifests.push(parsed.manifest);
    }
    let reported: Vec<bool> = sources
        .iter()
        .zip(&manifests)
        .map(|(s, m)| match &scope {
            Scope::All => true,
            Scope::Files(files) => files.contains(&canonical(&s.path)),
            Scope::Changed(changed) => {
                changed.contains(&canonical(&s.path)) || references_changed(s, m, changed)
            }
        })
        .collect();
    duplicate_ids(&sources, &manifests, &reported, &mut diags, lang);
    sink::apply_levels(&mut diags, &sources, settings);
    diags.retain(|d| reported[d.file]);
    let files = reported.iter().filter(|r| **r).count();
    let activities = manifests
        .iter()
        .zip(&reported)
        .filter(|(_, r)| **r)
        .map(|(m, _)| m.activities.len())
        .sum();
    let summary = sink::finish(&mut diags, &sources, files, activities);
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
    let outcome = check_scoped(&paths, &catalog, settings, changed.as_deref());
    let report = Report {
        files: &outcome.sources,
        diagnostics: &outcome.diagnostics,
        summary: outcome.summary,
        catalog: catalog.name(),
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
    eprintln!("warning: {message}");
}

/// Whether a manifest refers to a changed file: a referenced document, or code under `code:`.
fn references_changed(source: &Source, manifest: &Manifest, changed: &[PathBuf]) -> bool {
    let dir = source.path.parent().unwrap_or(Path::new("."));
    let globs: Vec<globset::GlobMatcher> = manifest
        .activities
        .iter()
        .flat_map(|a| &a.code)
        .filter_map(|g| globset::Glob::new(g.value.trim_start_matches("./")).ok())
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
        git(&["diff", "--name-only", "--no-renames", reference, "--"])?,
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
fn read(path: &Path, lang: Lang) -> std::io::Result<Result<String, String>> {
    let too_large = || {
        i18n::t(
            lang,
            format!("file is over the {MAX_MANIFEST_BYTES}-byte limit for a manifest; not read"),
            format!(
                "le fichier dépasse la limite de {MAX_MANIFEST_BYTES} octets d'un manifeste ; il n'est pas lu"
            ),
        )
    };
    let file = std::fs::File::open(path)?;
    if file.metadata()?.len() > MAX_MANIFEST_BYTES {
        return Ok(Err(too_large()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_MANIFEST_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_MANIFEST_BYTES {
        return Ok(Err(too_large()));
    }
    Ok(String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        i18n::t(
            lang,
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
    sources: &[Source],
    manifests: &[Manifest],
    reported: &[bool],
    diags: &mut Vec<Diagnostic>,
    lang: Lang,
) {
    let t = |en: String, fr: String| i18n::t(lang, en, fr);
    let mut first: HashMap<&str, (usize, Span)> = HashMap::new();
    for pass_context in [true, false] {
        for (file, m) in manifests.iter().enumerate() {
            if reported[file] == pass_context {
                continue;
            }
            for a in &m.activities {
                if let Some(id) = &a.id {
                    first.entry(&id.value).or_insert((file, id.span));
                }
            }
        }
    }
    for (file, m) in manifests.iter().enumerate() {
        for a in &m.activities {
            let Some(id) = &a.id else { continue };
            match first.get(id.value.as_str()) {
                None => {}
                Some(&(f0, s0)) if (f0, s0) == (file, id.span) => {}
                Some(&(f0, s0)) => {
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
                    d.activity_index = Some(a.index);
                    diags.push(d);
                }
            }
        }
    }
}

/// The real file system, for RF001 and RF002.
struct RealFiles;

impl rules::Files for RealFiles {
    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    fn glob_matches(&self, base: &Path, glob: &str) -> bool {
        let Ok(matcher) = globset::GlobBuilder::new(glob.trim_start_matches("./"))
            .literal_separator(true)
            .build()
            .map(|g| g.compile_matcher())
        else {
            return false;
        };
        ignore::WalkBuilder::new(base)
            .hidden(false)
            .require_git(false)
            .build()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
            .any(|e| {
                e.path()
                    .strip_prefix(base)
                    .is_ok_and(|rel| matcher.is_match(rel))
            })
    }
}
