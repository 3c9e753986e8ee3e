//! One file per subcommand. `lint.rs` is the only place that wires the lint stages together;
//! the settings (configuration file and flags) are built once here and passed down.

pub mod catalog;
pub mod config;
pub mod coverage;
pub mod diff;
pub mod explain;
pub mod export;
pub mod init;
pub mod lint;
pub mod recommend;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::catalog::load::Loaded;
use crate::cli::{CatalogFlags, FailOn};
use crate::config::Settings;
use crate::diag::{Problem, ProblemKind, Severity};
use crate::engine::{self, Overrides};
use crate::i18n::Lang;
use crate::render::console::{Out, Sink, neutralize};

/// Plain text without colours.
const TEXT: Sink = Sink::Text { color: false };

/// Writes to standard error, neutralised like standard output.
pub fn say(text: &str, color: bool) {
    let text = neutralize(text, Sink::Text { color });
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// How a run ends (spec §7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Nothing at or above the fail threshold.
    Clean = 0,
    /// Findings at or above the fail threshold.
    Findings = 1,
    /// The tool could not do its job.
    Failure = 2,
}

/// What stops a command: problems, drawn on standard error in the run's language (exit 2).
#[derive(Debug)]
pub struct Failure(pub Vec<Problem>);

impl Failure {
    /// The command line asked for something that cannot be done.
    pub fn usage(message: String) -> Failure {
        Failure(vec![Problem::new(ProblemKind::Usage, message)])
    }

    fn output(message: String) -> Failure {
        Failure(vec![Problem::new(ProblemKind::Output, message)])
    }

    /// What could not be written (`what`: a path, or standard output), and the system's reason
    /// in the run's language.
    fn output_io(what: &str, e: &std::io::Error, lang: Lang) -> Failure {
        let colon = crate::i18n::s(lang, ":", " :");
        Failure::output(format!("{what}{colon} {}", crate::i18n::io_error(lang, e)))
    }
}

impl std::fmt::Display for Failure {
    /// One problem a line, without a place: for logs and tests.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lines: Vec<String> = self.0.iter().map(Problem::one_line).collect();
        f.write_str(&lines.join("\n"))
    }
}

impl From<Problem> for Failure {
    fn from(problem: Problem) -> Self {
        Failure(vec![problem])
    }
}

impl From<Vec<Problem>> for Failure {
    fn from(problems: Vec<Problem>) -> Self {
        Failure(problems)
    }
}

/// The engine's view of the configuration, catalog and language flags, for a run over `paths`
/// (none: the working directory).
fn overrides(flags: &CatalogFlags, fail_on: Option<FailOn>, paths: &[PathBuf]) -> Overrides {
    let start = engine::start_for(paths);
    // git too is asked there (`--changed-since`, `--new-since`)
    if let Some(dir) = &start {
        engine::git::run_in(dir);
    }
    Overrides {
        start,
        config: flags.config.clone(),
        isolated: flags.isolated,
        catalogs: flags.catalogs.clone(),
        lang: flags.lang,
        fail_on: fail_on.map(|f| match f {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
        }),
    }
}

/// The settings, or the problems that keep them from being made (the language they are in is
/// set in `lang` either way).
fn settings(
    flags: &CatalogFlags,
    fail_on: Option<FailOn>,
    paths: &[PathBuf],
    lang: &mut Lang,
) -> Result<Settings, Failure> {
    match engine::settings(&overrides(flags, fail_on, paths)) {
        Ok(settings) => {
            *lang = settings.lang.value;
            Ok(settings)
        }
        Err(e) => {
            *lang = e.lang;
            Err(Failure(e.problems))
        }
    }
}

/// The settings and the catalogs, for the commands that need both (over `paths`, for those
/// that read the repository).
fn settings_and_catalog(
    flags: &CatalogFlags,
    paths: &[PathBuf],
    lang: &mut Lang,
) -> Result<(Settings, Loaded), Failure> {
    let settings = settings(flags, None, paths, lang)?;
    let catalog = engine::catalogs(&settings)?;
    Ok((settings, catalog))
}

/// Writes a file atomically: a temporary file next to it, then a rename, so that an interrupted
/// run never leaves a truncated report.
///
/// A destination that exists and is not a regular file once links are followed (`/dev/null`,
/// `/dev/stdout`, a named pipe) is written through instead: renaming over it would replace the
/// device or pipe with a plain file, which as root breaks `/dev/null` for the whole machine.
pub fn write_atomic(path: &Path, text: &str, lang: Lang) -> Result<(), Failure> {
    write_atomic_with(path, lang, |f| f.write_all(text.as_bytes()))
}

/// [`write_atomic`], for text written in pieces by `write`.
pub fn write_atomic_with(
    path: &Path,
    lang: Lang,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    let fail = |e: std::io::Error| Failure::output_io(&path.display().to_string(), &e, lang);
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut f| write(&mut f))
            .map_err(fail);
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or("report".into(), |n| n.to_string_lossy().into_owned());
    // the temporary file is created new (never opened through an existing file or link), so a
    // repository cannot plant a link where ropa will write
    let (tmp, mut file) = (0..100)
        .find_map(|n| {
            let tmp = dir.join(format!(".{name}.ropa-{}-{n}.tmp", std::process::id()));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)
            {
                Ok(file) => Some(Ok((tmp, file))),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => None,
                Err(e) => Some(Err(e)),
            }
        })
        .unwrap_or_else(|| Err(std::io::Error::other("no free temporary file name")))
        .map_err(fail)?;
    let written = {
        let mut buffered = std::io::BufWriter::new(&mut file);
        write(&mut buffered).and_then(|()| buffered.flush())
    }
    .and_then(|()| file.sync_all());
    drop(file);
    written
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            fail(e)
        })
}

/// Appends to a file (a GitHub step summary collects what every step appends).
pub fn append(path: &Path, text: &str, lang: Lang) -> Result<(), Failure> {
    let fail = |e: std::io::Error| Failure::output_io(&path.display().to_string(), &e, lang);
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(fail)?;
    f.write_all(text.as_bytes()).map_err(fail)
}

/// Writes a command's output to stdout or to `--output`, neutralised for its sink (what came from
/// the repository can act neither on a terminal nor on a GitHub runner).
pub fn emit(text: &str, output: Option<&Path>, sink: Sink, lang: Lang) -> Result<(), Failure> {
    emit_with(output, sink, lang, |out| out.push_str(text))
}

/// [`emit`], for text written in pieces by `write` (a report is never held whole).
pub fn emit_with(
    output: Option<&Path>,
    sink: Sink,
    lang: Lang,
    write: impl FnOnce(&mut Out<'_>),
) -> Result<(), Failure> {
    let through = |dest: &mut dyn Write| {
        let mut out = Out::new(dest, Some(sink));
        write(&mut out);
        out.finish()
    };
    match output {
        Some(path) => write_atomic_with(path, lang, through),
        None => {
            let mut stdout = std::io::stdout().lock();
            match through(&mut stdout) {
                Ok(()) => Ok(()),
                // the reader went away (`ropa lint | head`): not an error of ours
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(Failure::output_io(
                    crate::i18n::s(lang, "standard output", "sortie standard"),
                    &e,
                    lang,
                )),
            }
        }
    }
}

/// Runs a parsed command line, draws what stopped it on standard error, and says how it ended.
pub fn main(args: crate::cli::Args) -> Exit {
    let mut lang = args.lang().unwrap_or_default();
    match run(args, &mut lang) {
        Ok(exit) => exit,
        Err(Failure(problems)) => {
            let color = colors(crate::cli::ColorChoice::Auto, &std::io::stderr());
            say(
                &crate::render::human::problems(&problems, lang, color),
                color,
            );
            Exit::Failure
        }
    }
}

/// Whether to colour what goes to a stream: `--color`, and with `auto` what anstream reads
/// from the environment (`NO_COLOR`, `CLICOLOR_FORCE`, `CLICOLOR`, `TERM=dumb`) and whether the
/// stream is a terminal.
pub fn colors<S: anstream::stream::RawStream>(choice: crate::cli::ColorChoice, stream: &S) -> bool {
    use crate::cli::ColorChoice;
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !matches!(
            anstream::AutoStream::choice(stream),
            anstream::ColorChoice::Never
        ),
    }
}

/// Runs a parsed command line; `lang` follows the settings as soon as they are known.
fn run(args: crate::cli::Args, lang: &mut Lang) -> Result<Exit, Failure> {
    use crate::cli::{AnswerFormat, CatalogCommand, Command};

    match args.command {
        Command::Lint(a) => lint::run(a, lang),
        Command::Recommend(a) => {
            let (_, catalog) = settings_and_catalog(&a.catalog, &[], lang)?;
            let (text, sink) = match a.format {
                AnswerFormat::Human => (recommend::run_human(&catalog, &a.purposes, *lang)?, TEXT),
                AnswerFormat::Json => (
                    recommend::run_json(&catalog, &a.purposes, *lang)?,
                    Sink::Json,
                ),
            };
            emit(&text, None, sink, *lang)?;
            Ok(Exit::Clean)
        }
        Command::Catalog(a) => {
            let (_, catalog) = settings_and_catalog(&a.catalog, &[], lang)?;
            let text = match a.command {
                CatalogCommand::List => catalog::list(&catalog, *lang),
                CatalogCommand::Dpia => catalog::dpia_lists(&catalog, *lang),
                CatalogCommand::Show { id } => catalog::show(&catalog, &id, *lang)?,
            };
            emit(&text, None, TEXT, *lang)?;
            Ok(Exit::Clean)
        }
        Command::Init(a) => {
            let (_, catalog) = settings_and_catalog(&a.catalog, &[], lang)?;
            let dir = a.dir.unwrap_or_else(|| PathBuf::from("."));
            let path = init::run(&catalog, &dir, a.purpose.as_deref(), *lang)?;
            let shown = crate::render::human::terminal_safe(&crate::source::display_path(&path));
            emit(
                &crate::i18n::t(
                    *lang,
                    format!("wrote {shown}: fill in the TODO values, then run `ropa lint`\n"),
                    format!(
                        "{shown} écrit : remplacez les valeurs TODO, puis lancez `ropa lint`\n"
                    ),
                ),
                None,
                TEXT,
                *lang,
            )?;
            Ok(Exit::Clean)
        }
        Command::Config(a) => {
            let settings = settings(&a.catalog, a.fail_on, &[], lang)?;
            emit(&config::render(&settings), None, TEXT, *lang)?;
            Ok(Exit::Clean)
        }
        Command::Register(a) => {
            use crate::cli::RegisterFormat;
            let sink = match a.format {
                RegisterFormat::Json => Sink::Json,
                RegisterFormat::Html => Sink::Html,
                RegisterFormat::Markdown | RegisterFormat::Csv => TEXT,
            };
            document(
                &a.catalog,
                a.paths,
                a.output.as_deref(),
                sink,
                lang,
                |outcome, catalog, lang| {
                    let mut register = crate::register::build(outcome, catalog, lang);
                    register.date.clone_from(&a.date);
                    match a.format {
                        RegisterFormat::Markdown => crate::register::markdown::render(&register),
                        RegisterFormat::Csv => crate::register::csv::render(
                            &register,
                            match a.delimiter {
                                crate::cli::Delimiter::Comma => ',',
                                crate::cli::Delimiter::Semicolon => ';',
                            },
                        ),
                        RegisterFormat::Json => crate::register::json::render(&register),
                        RegisterFormat::Html => crate::register::html::render(&register),
                    }
                },
            )
        }
        Command::Diff(a) => diff::run(a, lang),
        Command::Coverage(a) => coverage::run(a, lang),
        Command::Export(a) => document(
            &a.catalog,
            a.paths,
            a.output.as_deref(),
            // YAML whose every value is a JSON string: JSON's escapes are YAML's
            Sink::Json,
            lang,
            |outcome, catalog, _| {
                // paths in the export resolve from where it is written
                let dir = a
                    .output
                    .as_deref()
                    .map_or(Path::new("."), crate::source::dir_of);
                export::fides(outcome, catalog, dir)
            },
        ),
        Command::Schema { name } => {
            let text = crate::schema::render(&name).ok_or_else(|| {
                Failure::usage(crate::i18n::t(
                    *lang,
                    format!("no schema `{name}`"),
                    format!("pas de schéma `{name}`"),
                ))
            })?;
            emit(&text, None, Sink::Json, *lang)?;
            Ok(Exit::Clean)
        }
        Command::Explain(a) => {
            settings(&a.catalog, None, &[], lang)?;
            emit(&explain::run(a.code.as_deref(), *lang)?, None, TEXT, *lang)?;
            Ok(Exit::Clean)
        }
    }
}

/// Commands that turn the repository's manifests into a document (the register, the fides
/// export): settings and catalogs, the engine over the given paths (the working directory by
/// default), render, write; exit 2 when something could not be read, after the document is
/// written, with the problems on standard error.
fn document(
    flags: &CatalogFlags,
    paths: Vec<PathBuf>,
    output: Option<&Path>,
    sink: Sink,
    lang: &mut Lang,
    render: impl FnOnce(&engine::Outcome, &Loaded, Lang) -> String,
) -> Result<Exit, Failure> {
    let (settings, catalog) = settings_and_catalog(flags, &paths, lang)?;
    let request = engine::run::Request {
        paths,
        changed: None,
        keep_manifests: true,
        keep_only: None,
        use_index: false,
        staged: false,
        coverage: engine::run::Coverage::Table,
        touched_by: None,
    };
    let outcome = engine::run::lint(&request, &catalog, &settings);
    emit(&render(&outcome, &catalog, *lang), output, sink, *lang)?;
    if outcome.is_complete() {
        Ok(Exit::Clean)
    } else {
        Err(Failure(outcome.problems))
    }
}

#[cfg(test)]
mod tests {
    use super::write_atomic;

    #[cfg(unix)]
    #[test]
    fn a_planted_link_at_the_temporary_name_is_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        std::fs::write(&outside, "untouched").unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir(&repo).unwrap();
        let planted = repo.join(format!(".out.json.ropa-{}-0.tmp", std::process::id()));
        std::os::unix::fs::symlink(&outside, &planted).unwrap();
        let out = repo.join("out.json");
        write_atomic(&out, "report", crate::i18n::Lang::En).unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "report");
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "untouched");
        // no temporary file of ropa's is left behind; the planted link is not ropa's to remove
        let left: Vec<String> = std::fs::read_dir(&repo)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert_eq!(left, [planted.file_name().unwrap().to_string_lossy()]);
    }

    /// `--output /dev/null` once renamed a regular file over the device. A named pipe stands in
    /// for the device here (a regression must not break the machine running the test), reached
    /// both directly and through a link, as `/dev/stdout` is.
    #[cfg(unix)]
    #[test]
    fn a_pipe_or_device_is_written_through_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        crate::harness::fifo(&fifo);
        let link = dir.path().join("stdout");
        std::os::unix::fs::symlink(&fifo, &link).unwrap();
        for (target, text) in [(&fifo, "direct"), (&link, "through the link")] {
            let reader = {
                let fifo = fifo.clone();
                std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
            };
            write_atomic(target, text, crate::i18n::Lang::En).unwrap();
            let kind = std::fs::metadata(&fifo).unwrap().file_type();
            assert!(kind.is_fifo(), "{} was replaced", target.display());
            assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
            assert_eq!(reader.join().unwrap(), text);
        }
    }

    #[test]
    fn a_failed_write_leaves_the_old_report_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // the destination is a non-empty directory: the rename fails
        let out = dir.path().join("report.json");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("keep"), "old").unwrap();
        assert!(write_atomic(&out, "new", crate::i18n::Lang::En).is_err());
        assert_eq!(std::fs::read_to_string(out.join("keep")).unwrap(), "old");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "a temporary file was left behind");
    }
}
