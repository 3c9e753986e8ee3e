//! `ropa lint`: flags → engine → renderer → exit status.

use std::path::{Path, PathBuf};

use super::{Exit, Failure, emit_with};
use crate::catalog::load::Loaded;
use crate::cli::LintArgs;
use crate::engine::{self, Outcome, run::Request};
use crate::i18n::Lang;
use crate::render::console::Sink;
use crate::render::{self, Format, Report};

/// Runs `ropa lint`. A configuration or catalog that cannot be used is reported in the format
/// asked for, like every other problem, so that a JSON or SARIF consumer always gets a report.
pub fn run(a: LintArgs, lang: &mut Lang) -> Result<Exit, Failure> {
    let format = a.format.unwrap_or_else(|| {
        if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
            Format::Github
        } else {
            Format::Human
        }
    });
    let settings = match engine::settings(&super::overrides(&a.catalog, a.fail_on, &a.paths)) {
        Ok(settings) => settings,
        Err(e) => {
            *lang = e.lang;
            write(&a, format, &Outcome::failed(e.problems), None, *lang)?;
            return Ok(Exit::Failure);
        }
    };
    *lang = settings.lang.value;
    let catalog = match engine::catalogs(&settings) {
        Ok(catalog) => catalog,
        Err(problems) => {
            write(&a, format, &Outcome::failed(problems), None, *lang)?;
            return Ok(Exit::Failure);
        }
    };
    let changed = match &a.changed_since {
        Some(reference) => Some(engine::git::changed_since(reference, *lang)?),
        None => None,
    };
    let new_since = match &a.new_since {
        Some(reference) => Some(NewSince::of(reference, *lang)?),
        None => None,
    };
    let request = Request {
        paths: a.paths.clone(),
        changed,
        keep_manifests: false,
        keep_only: None,
        use_index: !a.no_cache,
        staged: a.staged,
        coverage: engine::run::Coverage::Findings,
        // when a file appeared or vanished since REF, the manifests that name it
        touched_by: new_since
            .as_ref()
            .filter(|n| n.partial.is_none())
            .map(|n| n.changes.iter().map(|f| n.top.join(&f.path)).collect()),
    };
    let mut outcome = engine::run::lint(&request, &catalog, &settings);
    if let Some(new_since) = new_since {
        only_new(&mut outcome, new_since, &settings, &catalog, *lang)?;
    }
    if outcome.sources.is_empty() && outcome.is_complete() && !a.quiet {
        warn_nothing_found(&request.paths, *lang);
    }
    write(&a, format, &outcome, Some(&catalog), *lang)?;
    if !outcome.is_complete() {
        return Ok(Exit::Failure);
    }
    let failing = outcome.summary.fails(settings.fail_on.value);
    Ok(if failing { Exit::Findings } else { Exit::Clean })
}

/// Renders and writes every output asked for: the report, the SARIF file, the job summary,
/// the step outputs. When the report is not drawn on the terminal, what kept the run from being
/// complete is drawn on standard error too.
fn write(
    a: &LintArgs,
    format: Format,
    outcome: &Outcome,
    catalog: Option<&Loaded>,
    lang: Lang,
) -> Result<(), Failure> {
    // without the catalogs asked for, the report names the built-in one (loaded only then)
    let builtin = match catalog {
        Some(_) => None,
        None => crate::catalog::load::builtin().ok(),
    };
    let name = catalog.or(builtin.as_ref()).map_or("-", Loaded::name);
    let report = Report::new(outcome, name, lang);
    let options = render::human::Options {
        color: a.output.is_none() && super::colors(a.color, &std::io::stdout()),
        quiet: a.quiet,
    };
    emit_with(
        a.output.as_deref(),
        format.sink(options.color),
        lang,
        |out| {
            report.write(format, &options, out);
        },
    )?;
    if let Some(path) = &a.sarif_file {
        super::write_atomic_with(path, lang, |dest| {
            let mut out = render::console::Out::new(dest, Some(Sink::Json));
            report.write(Format::Sarif, &options, &mut out);
            out.finish()
        })?;
    }
    if let Some(path) = &a.summary_file {
        let blob = render::summary::github_blob();
        super::append(
            path,
            &render::summary::render(&report, blob.as_deref()),
            lang,
        )?;
    }
    if let Some(path) = &a.github_output {
        let s = &outcome.summary;
        super::append(
            path,
            &format!(
                "errors={}\nwarnings={}\nnotes={}\n",
                s.errors, s.warnings, s.notes
            ),
            lang,
        )?;
    }
    if !outcome.is_complete() && (format != Format::Human || a.output.is_some()) {
        let color = super::colors(a.color, &std::io::stderr());
        super::say(
            &render::human::problems(&outcome.problems, lang, color),
            color,
        );
    }
    Ok(())
}

/// What `--new-since REF` compares with, worked out before the run: the commit, the files
/// changed since (relative to the top), and the old side's files when the changed manifests
/// are enough ([`super::diff::partial`]).
struct NewSince {
    commit: String,
    changes: Vec<engine::git::Changed>,
    partial: Option<std::collections::HashSet<PathBuf>>,
    top: PathBuf,
}

impl NewSince {
    fn of(reference: &str, lang: Lang) -> Result<NewSince, Failure> {
        let fail = |p| Failure(vec![p]);
        let commit = engine::git::commit(reference, "--new-since", lang).map_err(fail)?;
        let changes =
            engine::git::changed_between(&commit, None, "--new-since", lang).map_err(fail)?;
        Ok(NewSince {
            commit,
            partial: super::diff::partial(Some(&changes)),
            changes,
            top: engine::git::top("--new-since", lang).map_err(fail)?,
        })
    }
}

/// `--new-since REF`: keeps only the findings REF did not have, matched by fingerprint (the
/// rule, the file, the activity and the YAML the finding points at, so that moved lines still
/// match), and those of the rules in `diff.always_report`. REF is read from git's objects.
fn only_new(
    outcome: &mut Outcome,
    since: NewSince,
    settings: &crate::config::Settings,
    catalog: &Loaded,
    lang: Lang,
) -> Result<(), Failure> {
    // a file that did not change (nor the documents and code it names) has the findings it
    // had: only the changed ones are linted on the base side and compared, with, when a file
    // appeared or vanished, the manifests that name it (the run noted them)
    let NewSince {
        commit,
        changes,
        partial,
        top,
    } = since;
    let changed: Vec<PathBuf> = changes.iter().map(|f| f.path.clone()).collect();
    let partial = partial.or_else(|| Some(super::diff::touched(&changes, outcome, &top)));
    let mut base = super::diff::Where::rev(commit, settings, lang, partial.as_ref())?;
    let old = base.lint(settings, catalog, false, Some(&changed), (true, false));
    let old = crate::diff::side(&old, catalog, &base.root(), lang, None);
    let reach = crate::diff::Reach::of(&changed, &old, partial.as_ref());
    // a finding outside the reach is one that was already there: only those inside it are
    // fingerprinted
    let new = crate::diff::side(outcome, catalog, &top, lang, Some(&reach.scope));
    let statuses = crate::diff::statuses(&old, &new, Some(&reach));
    // coverage's findings cannot be matched with REF's: REF's coverage is not worked out (that
    // would read every data definition it has). Those the change can have made, near a changed
    // manifest or data definition, are kept rather than passed over as already there
    let near = near_coverage_inputs(&changes, settings, &top);
    let mut fresh = statuses.into_iter().zip(&new.findings).map(|(s, f)| {
        s == crate::diff::Status::Introduced || (f.code.starts_with("CV") && near(&f.path))
    });
    outcome
        .diagnostics
        .retain(|d| fresh.next().unwrap_or(true) || settings.always_report.contains(&d.code));
    // the sink counts what is left (the order is already the sink's)
    let s = outcome.summary;
    outcome.summary = crate::diag::sink::finish(&outcome.diagnostics, s.files, s.activities);
    Ok(())
}

/// Whether a file (relative to the top) is where a coverage finding can come or go with these
/// changes: a changed manifest or coverage file (a data definition, a dependency file: every
/// file a coverage finding is on) lies in its directory, above it or below it. A manifest covers
/// code below its directory; a dependency file counts for the manifests in, above and below its
/// own. A changed configuration or vendor catalog can move any of them.
fn near_coverage_inputs(
    changes: &[engine::git::Changed],
    settings: &crate::config::Settings,
    top: &Path,
) -> impl Fn(&str) -> bool {
    let include = settings.include_set();
    let canonical = engine::run::canonical;
    let everywhere: Vec<PathBuf> = settings
        .file
        .iter()
        .chain(settings.coverage_vendors.iter().map(|v| &v.value))
        .map(|p| canonical(p))
        .collect();
    // the directory each changed input counts from (the top for one that counts everywhere)
    let inputs: Vec<&Path> = changes
        .iter()
        .filter_map(|f| {
            let path = top.join(&f.path);
            if everywhere.contains(&canonical(&path)) {
                return Some(Path::new(""));
            }
            let input = f.path.file_name().is_some_and(|name| {
                engine::discover::is_manifest_file_name(name)
                    || crate::coverage::scan::wanted(&f.path, name)
            }) || settings
                .relative(&path)
                .is_some_and(|rel| include.is_match(rel));
            input.then(|| f.path.parent().unwrap_or(Path::new("")))
        })
        .collect();
    move |path: &str| {
        let dir = Path::new(path).parent().unwrap_or(Path::new(""));
        inputs
            .iter()
            .any(|input| dir.starts_with(input) || input.starts_with(dir))
    }
}

fn warn_nothing_found(paths: &[PathBuf], lang: Lang) {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let shown = paths
        .iter()
        .map(|p| crate::source::display_path(p))
        .collect::<Vec<_>>()
        .join(", ");
    let names = "processing.yaml, processing.yml, *.processing.yaml, *.processing.yml";
    super::say(
        &(render::human::terminal_safe(&crate::i18n::t(
            lang,
            format!("warning: no manifests found under {shown} (looked for {names})"),
            format!(
                "avertissement : aucun manifeste trouvé sous {shown} (noms cherchés : {names})"
            ),
        )) + "\n"),
        false,
    );
}
