//! The command line (spec §5).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::catalog::Lang;
use crate::render::Format;

#[derive(Debug, Parser)]
#[command(
    name = "ropa",
    version,
    about = "Lint GDPR records of processing activities (processing.yaml) against the CNIL's recommendations",
    long_about = "Lint GDPR records of processing activities kept as code.\n\n\
        ropa finds every processing.yaml manifest in a repository and checks its purpose, legal \
        basis, DPIA decision and retention against a built-in catalog of CNIL recommendations, \
        with the sources cited.\n\n\
        Exit status: 0 clean, 1 findings at or above --fail-on, 2 the tool could not do its job.",
    after_help = "Examples:\n  ropa lint\n  ropa lint services/ --format json\n  ropa recommend \"Gestion de clientèle : fiche client, courriers et relances\"\n  ropa explain LB001"
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check manifests against the catalog
    Lint(LintArgs),
    /// The catalog's answer for a purpose: legal bases, DPIA duty, retention, sources
    Recommend(RecommendArgs),
    /// Browse the catalog
    Catalog(CatalogArgs),
    /// Write a manifest pre-filled from the catalog (never overwrites)
    Init(InitArgs),
    /// Print the effective configuration and where each value comes from
    Config(ConfigArgs),
    /// The record of processing activities (GDPR art. 30) built from the manifests
    Register(RegisterArgs),
    /// Write the manifests in another format: fides `system` YAML
    Export(ExportArgs),
    /// Print a JSON Schema: manifest, config, catalog or report
    Schema {
        /// Which schema
        #[arg(value_parser = ["manifest", "config", "catalog", "report"])]
        name: String,
    },
    /// What a rule checks and why, with a failing and a fixed example; without CODE, list the rules
    Explain(ExplainArgs),
}

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Files or directories to lint [default: .]
    pub paths: Vec<PathBuf>,
    /// Output format [default: human; github when GITHUB_ACTIONS=true]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write a SARIF report to FILE
    #[arg(long, value_name = "FILE")]
    pub sarif_file: Option<PathBuf>,
    /// Also append a Markdown summary to FILE (e.g. "$GITHUB_STEP_SUMMARY")
    #[arg(long, value_name = "FILE")]
    pub summary_file: Option<PathBuf>,
    /// Also append `errors=N`, `warnings=N` and `notes=N` to FILE (e.g. "$GITHUB_OUTPUT")
    #[arg(long, value_name = "FILE")]
    pub github_output: Option<PathBuf>,
    /// Report only on manifests changed since the git REF (and those whose referenced documents
    /// or code changed); cross-file rules still read the whole repository
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
    #[command(flatten)]
    pub catalog: CatalogFlags,
    /// Exit with status 1 when there are findings at or above this severity [default: error]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Print only the diagnostics, without the summary line
    #[arg(long, short)]
    pub quiet: bool,
    /// When to use colours (NO_COLOR is honoured with `auto`)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// The configuration, catalog and language flags shared by the commands that read the catalog.
#[derive(Debug, clap::Args)]
pub struct CatalogFlags {
    /// Use this configuration file instead of looking for ropa.yaml or .ropa.yaml
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file
    #[arg(long)]
    pub isolated: bool,
    /// Load an extra catalog (repeatable): it adds purposes and changes built-in ones field by field
    #[arg(long = "catalog", value_name = "FILE")]
    pub catalogs: Vec<PathBuf>,
    /// Language of messages, catalog texts and `recommend` output [default: en]
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
}

#[derive(Debug, clap::Args)]
pub struct RecommendArgs {
    /// Purpose ids, labels or aliases (close spellings are matched)
    #[arg(required = true, value_name = "PURPOSE")]
    pub purposes: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = AnswerFormat::Human)]
    pub format: AnswerFormat,
    #[command(flatten)]
    pub catalog: CatalogFlags,
}

/// Output formats of `ropa recommend`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AnswerFormat {
    /// text for people
    Human,
    /// JSON
    Json,
}

#[derive(Debug, clap::Args)]
pub struct CatalogArgs {
    #[command(subcommand)]
    pub command: CatalogCommand,
    #[command(flatten)]
    pub catalog: CatalogFlags,
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// List the purposes
    List,
    /// The CNIL lists of processing that require a DPIA and that do not
    Dpia,
    /// Show one purpose in full
    Show {
        /// Purpose id, label or alias
        id: String,
    },
}

#[derive(Debug, clap::Args)]
pub struct RegisterArgs {
    /// Files or directories [default: .]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = RegisterFormat::Markdown)]
    pub format: RegisterFormat,
    /// Write the register to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub catalog: CatalogFlags,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Files or directories [default: .]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ExportFormat::Fides)]
    pub format: ExportFormat,
    /// Write to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub catalog: CatalogFlags,
}

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// fides `system` manifests (fideslang)
    Fides,
}

/// Formats of the register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RegisterFormat {
    Markdown,
    Csv,
    Json,
    /// one self-contained, printable page
    Html,
}

#[derive(Debug, clap::Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    pub catalog: CatalogFlags,
    /// As for `ropa lint`
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Directory to write processing.yaml into [default: .]
    pub dir: Option<PathBuf>,
    /// Purpose id, label or alias; asked for on a terminal when missing
    #[arg(long)]
    pub purpose: Option<String>,
    #[command(flatten)]
    pub catalog: CatalogFlags,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A rule code (LB001) or name (legal-basis-inconsistent)
    pub code: Option<String>,
    #[command(flatten)]
    pub catalog: CatalogFlags,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
