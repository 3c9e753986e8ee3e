//! One file per subcommand. `lint.rs` is the only place that wires the stages together.

pub mod catalog;
pub mod explain;
pub mod init;
pub mod lint;
pub mod recommend;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::catalog::load::{self, Loaded};

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

/// A failure that stops a command: bad usage, an unreadable catalog, an I/O error.
#[derive(Debug)]
pub struct Failure(pub String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The built-in catalog extended by `--catalog` files: a purpose with a new id is added, one
/// with a built-in id replaces the built-in purpose; sources are merged.
pub fn load_catalogs(extra: &[PathBuf]) -> Result<Loaded, Failure> {
    let mut base = load::builtin().map_err(|e| Failure(format!("built-in catalog: {e}")))?;
    for path in extra {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure(format!("cannot read catalog {}: {e}", path.display())))?;
        let display = crate::walk::display_path(path);
        base = load::merge(base, &text, &display).map_err(|e| {
            Failure(crate::render::human::file_error(
                &display,
                &text,
                e.line as usize,
                e.column as usize,
                &format!("invalid catalog: {}", e.message),
            ))
        })?;
    }
    Ok(base)
}

/// Writes a command's output to stdout or to `--output`.
pub fn emit(text: &str, output: Option<&Path>) -> Result<(), Failure> {
    match output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Failure(format!("cannot write {}: {e}", path.display()))),
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

/// Runs a parsed command line; what to print on success, or the failure.
pub fn run(args: crate::cli::Args) -> Result<Exit, Failure> {
    use crate::cli::{CatalogCommand, ColorChoice, Command, FailOn};
    use crate::diag::Severity;
    use crate::render::Format;
    use std::io::IsTerminal;

    match args.command {
        Command::Lint(a) => {
            let color = match a.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                        && std::io::stdout().is_terminal()
                }
            };
            lint::run(&lint::Options {
                paths: a.paths,
                format: a.format,
                output: a.output,
                catalogs: a.catalog.catalogs,
                lang: a.catalog.lang,
                fail_on: match a.fail_on {
                    FailOn::Error => Severity::Error,
                    FailOn::Warning => Severity::Warning,
                },
                quiet: a.quiet,
                color,
            })
        }
        Command::Recommend(a) => {
            let catalog = load_catalogs(&a.catalog.catalogs)?;
            let text = match a.format {
                Format::Human => recommend::run_human(&catalog, &a.purposes, a.catalog.lang)?,
                Format::Json => recommend::run_json(&catalog, &a.purposes, a.catalog.lang)?,
            };
            emit(&text, None)?;
            Ok(Exit::Clean)
        }
        Command::Catalog(a) => {
            let catalog = load_catalogs(&a.catalog.catalogs)?;
            let text = match a.command {
                CatalogCommand::List => catalog::list(&catalog, a.catalog.lang),
                CatalogCommand::Dpia => catalog::dpia_lists(&catalog, a.catalog.lang),
                CatalogCommand::Show { id } => catalog::show(&catalog, &id, a.catalog.lang)?,
            };
            emit(&text, None)?;
            Ok(Exit::Clean)
        }
        Command::Init(a) => {
            let catalog = load_catalogs(&a.catalog.catalogs)?;
            let dir = a.dir.unwrap_or_else(|| PathBuf::from("."));
            let path = init::run(&catalog, &dir, a.purpose.as_deref(), a.catalog.lang)?;
            emit(
                &format!(
                    "wrote {}: fill in the TODO values, then run `ropa lint`\n",
                    crate::walk::display_path(&path)
                ),
                None,
            )?;
            Ok(Exit::Clean)
        }
        Command::Explain(a) => {
            emit(&explain::run(a.code.as_deref())?, None)?;
            Ok(Exit::Clean)
        }
    }
}
