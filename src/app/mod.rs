//! One file per subcommand. `lint.rs` is the only place that wires the lint stages together;
//! the settings (configuration file and flags) are built once here and passed down.

pub mod catalog;
pub mod config;
pub mod explain;
pub mod export;
pub mod init;
pub mod lint;
pub mod recommend;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::catalog::load::{self, Loaded};
use crate::cli::{CatalogFlags, FailOn};
use crate::config::{Origin, Set, Settings};
use crate::diag::Severity;
use crate::i18n::Lang;
use crate::source::Source;

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

/// A failure that stops a command: bad usage, an unreadable configuration or catalog, an I/O
/// error.
#[derive(Debug)]
pub struct Failure(pub String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The largest configuration or catalog file ropa reads.
const MAX_SETTINGS_BYTES: u64 = 4 * 1024 * 1024;

/// Reads a file that the run cannot do without (a configuration, a catalog), within a size
/// limit.
fn read_required(path: &Path, what: &str) -> Result<String, Failure> {
    use std::io::Read;
    let fail = |e: String| Failure(format!("cannot read {what} {}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(MAX_SETTINGS_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > MAX_SETTINGS_BYTES {
        return Err(fail(format!("larger than {MAX_SETTINGS_BYTES} bytes")));
    }
    String::from_utf8(bytes).map_err(|_| fail("not UTF-8 text".into()))
}

/// A configuration found in the repository may be a link, but not one that leaves the
/// directory it was found in: its errors would show another file's content.
fn contained_link(path: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return true;
    };
    if !meta.file_type().is_symlink() {
        return true;
    }
    let dir = std::fs::canonicalize(crate::source::dir_of(path)).ok();
    match (dir, std::fs::canonicalize(path)) {
        (Some(dir), Ok(target)) => target.starts_with(dir),
        _ => false,
    }
}

/// The effective settings: defaults, then the configuration file, then the flags.
pub fn settings(flags: &CatalogFlags, fail_on: Option<FailOn>) -> Result<Settings, Failure> {
    let cwd = std::env::current_dir().map_err(|e| Failure(format!("no working directory: {e}")))?;
    let mut settings = Settings::defaults(cwd.clone());
    let file = match (&flags.config, flags.isolated) {
        (_, true) => None,
        (Some(path), false) => Some(path.clone()),
        (None, false) => crate::config::discover(&cwd),
    };
    if let Some(path) = file {
        if flags.config.is_none() && !contained_link(&path) {
            return Err(Failure(format!(
                "{} is a symbolic link out of its directory; it is not read (use --config to name a configuration)",
                crate::walk::display_path(&path)
            )));
        }
        let text = read_required(&path, "configuration")?;
        let source = Source::new(crate::walk::display_path(&path), path.clone(), text);
        settings = crate::config::file::read(&source, settings).map_err(|problems| {
            Failure(
                problems
                    .iter()
                    .map(|p| {
                        let pos = source.position(p.span.start);
                        crate::render::human::file_error(
                            &source.display,
                            &source.text,
                            pos.line,
                            pos.column,
                            p.span.end - p.span.start,
                            &format!("invalid configuration: {}", p.message),
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        })?;
    }
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
    if let Some(f) = fail_on {
        settings.fail_on = Set {
            value: match f {
                FailOn::Error => Severity::Error,
                FailOn::Warning => Severity::Warning,
            },
            origin: Origin::Flag("--fail-on"),
        };
    }
    Ok(settings)
}

/// The built-in catalog extended by the configured and `--catalog` files, in that order.
pub fn load_catalogs(settings: &Settings) -> Result<Loaded, Failure> {
    let mut base = load::builtin().map_err(|e| Failure(format!("built-in catalog: {e}")))?;
    for c in &settings.catalogs {
        let path = &c.value;
        let text = read_required(path, "catalog")?;
        let display = crate::walk::display_path(path);
        base = load::merge(base, &text, &display).map_err(|errors| {
            let drawn: Vec<String> = errors
                .0
                .iter()
                .map(|e| {
                    crate::render::human::file_error(
                        &display,
                        &text,
                        e.line as usize,
                        e.column as usize,
                        0,
                        &format!("invalid catalog: {}", e.message),
                    )
                })
                .collect();
            Failure(drawn.join("\n\n"))
        })?;
    }
    Ok(base)
}

/// Writes a file atomically: a temporary file next to it, then a rename, so that an interrupted
/// run never leaves a truncated report.
///
/// A destination that exists and is not a regular file once links are followed (`/dev/null`,
/// `/dev/stdout`, a named pipe) is written through instead: renaming over it would replace the
/// device or pipe with a plain file, which as root breaks `/dev/null` for the whole machine.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), Failure> {
    let fail = |e: std::io::Error| Failure(format!("cannot write {}: {e}", path.display()));
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
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
    let written = file
        .write_all(text.as_bytes())
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
pub fn append(path: &Path, text: &str) -> Result<(), Failure> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| Failure(format!("cannot write {}: {e}", path.display())))?;
    f.write_all(text.as_bytes())
        .map_err(|e| Failure(format!("cannot write {}: {e}", path.display())))
}

/// Writes a command's output to stdout or to `--output`.
pub fn emit(text: &str, output: Option<&Path>) -> Result<(), Failure> {
    match output {
        Some(path) => write_atomic(path, text),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => Ok(()),
                // the reader went away (`ropa lint | head`): not an error of ours
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(Failure(format!("cannot write to standard output: {e}"))),
            }
        }
    }
}

/// Runs a parsed command line.
pub fn run(args: crate::cli::Args) -> Result<Exit, Failure> {
    use crate::cli::{AnswerFormat, CatalogCommand, ColorChoice, Command};
    use crate::render::Format;
    use std::io::IsTerminal;

    match args.command {
        Command::Lint(a) => {
            let settings = settings(&a.catalog, a.fail_on)?;
            let color = match a.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                        && std::io::stdout().is_terminal()
                }
            };
            let format = a.format.unwrap_or_else(|| {
                if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
                    Format::Github
                } else {
                    Format::Human
                }
            });
            lint::run(
                &settings,
                &lint::Options {
                    paths: a.paths,
                    format,
                    output: a.output,
                    sarif_file: a.sarif_file,
                    summary_file: a.summary_file,
                    github_output: a.github_output,
                    changed_since: a.changed_since,
                    quiet: a.quiet,
                    color,
                },
            )
        }
        Command::Recommend(a) => {
            let settings = settings(&a.catalog, None)?;
            let catalog = load_catalogs(&settings)?;
            let lang = settings.lang.value;
            let text = match a.format {
                AnswerFormat::Human => recommend::run_human(&catalog, &a.purposes, lang)?,
                AnswerFormat::Json => recommend::run_json(&catalog, &a.purposes, lang)?,
            };
            emit(&text, None)?;
            Ok(Exit::Clean)
        }
        Command::Catalog(a) => {
            let settings = settings(&a.catalog, None)?;
            let catalog = load_catalogs(&settings)?;
            let lang = settings.lang.value;
            let text = match a.command {
                CatalogCommand::List => catalog::list(&catalog, lang),
                CatalogCommand::Dpia => catalog::dpia_lists(&catalog, lang),
                CatalogCommand::Show { id } => catalog::show(&catalog, &id, lang)?,
            };
            emit(&text, None)?;
            Ok(Exit::Clean)
        }
        Command::Init(a) => {
            let settings = settings(&a.catalog, None)?;
            let catalog = load_catalogs(&settings)?;
            let dir = a.dir.unwrap_or_else(|| PathBuf::from("."));
            let path = init::run(&catalog, &dir, a.purpose.as_deref(), settings.lang.value)?;
            emit(
                &format!(
                    "wrote {}: fill in the TODO values, then run `ropa lint`\n",
                    crate::walk::display_path(&path)
                ),
                None,
            )?;
            Ok(Exit::Clean)
        }
        Command::Config(a) => {
            let settings = settings(&a.catalog, a.fail_on)?;
            emit(&config::render(&settings), None)?;
            Ok(Exit::Clean)
        }
        Command::Register(a) => {
            use crate::cli::RegisterFormat;
            document(
                &a.catalog,
                a.paths,
                a.output.as_deref(),
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
        Command::Export(a) => document(
            &a.catalog,
            a.paths,
            a.output.as_deref(),
            |outcome, catalog, _| export::fides(outcome, catalog),
        ),
        Command::Schema { name } => {
            let text = crate::schema::render(&name)
                .ok_or_else(|| Failure(format!("no schema `{name}`")))?;
            emit(&text, None)?;
            Ok(Exit::Clean)
        }
        Command::Explain(a) => {
            let settings = settings(&a.catalog, None)?;
            emit(&explain::run(a.code.as_deref(), settings.lang.value)?, None)?;
            Ok(Exit::Clean)
        }
    }
}

/// Commands that turn the repository's manifests into a document (the
/// register, the Fides export): load settings and catalogs, lint the given
/// paths (the current directory by default), render, write, and fail with
/// exit 2 when a file could not be read, after the document is written.
fn document(
    flags: &CatalogFlags,
    paths: Vec<PathBuf>,
    output: Option<&Path>,
    render: impl FnOnce(&lint::Outcome, &Loaded, Lang) -> String,
) -> Result<Exit, Failure> {
    let settings = settings(flags, None)?;
    let catalog = load_catalogs(&settings)?;
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let outcome = lint::check(&paths, &catalog, &settings);
    emit(&render(&outcome, &catalog, settings.lang.value), output)?;
    if outcome.failures.is_empty() {
        Ok(Exit::Clean)
    } else {
        Err(Failure(outcome.failures.join("\n")))
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
        write_atomic(&out, "report").unwrap();
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
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success(), "mkfifo (coreutils) runs");
        let link = dir.path().join("stdout");
        std::os::unix::fs::symlink(&fifo, &link).unwrap();
        for (target, text) in [(&fifo, "direct"), (&link, "through the link")] {
            let reader = {
                let fifo = fifo.clone();
                std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
            };
            write_atomic(target, text).unwrap();
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
        assert!(write_atomic(&out, "new").is_err());
        assert_eq!(std::fs::read_to_string(out.join("keep")).unwrap(), "old");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "a temporary file was left behind");
    }
}
