//! The command line (spec §5).

use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::i18n::Lang;
use crate::render::Format;

// clap stays in this file: the domain types it offers as values are described here.
impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &Format::ALL
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()).help(self.about()))
    }
}

impl ValueEnum for Lang {
    fn value_variants<'a>() -> &'a [Self] {
        &Lang::ALL
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.code()))
    }
}

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

mod fr;

/// The command line, its help in a language.
pub fn command(lang: Lang) -> clap::Command {
    match lang {
        Lang::En => Args::command(),
        Lang::Fr => fr::command(Args::command()),
    }
}

/// Parses a command line (the program's name first), with its help in `lang`: the language
/// the command line asks for ([`lang_asked`]), in which a mistake is said too.
pub fn parse_from<I, S>(args: I, lang: Lang) -> Result<Args, clap::Error>
where
    I: IntoIterator<Item = S>,
    S: Into<std::ffi::OsString> + Clone,
{
    let mut matches = command(lang).try_get_matches_from(args)?;
    Args::from_arg_matches_mut(&mut matches)
}

impl Args {
    /// `--lang`, wherever it was given.
    pub fn lang(&self) -> Option<Lang> {
        let flags = match &self.command {
            Command::Lint(a) => &a.catalog,
            Command::Recommend(a) => &a.catalog,
            Command::Catalog(a) => &a.catalog,
            Command::Init(a) => &a.catalog,
            Command::Config(a) => &a.catalog,
            Command::Register(a) => &a.catalog,
            Command::Export(a) => &a.catalog,
            Command::Diff(a) => &a.catalog,
            Command::Coverage(a) => &a.catalog,
            Command::Explain(a) => &a.catalog,
            Command::Schema { .. } => return None,
        };
        flags.lang
    }
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
    /// What a change does to the record of processing: activities, bases, data, transfers,
    /// retention, DPIA and deviations changed, and the findings it introduces and fixes
    Diff(DiffArgs),
    /// What the code processes that no manifest declares: personal-data fields in data
    /// definitions and processor SDKs in the dependencies, matched against `code:`,
    /// `data_categories` and `recipients`
    Coverage(CoverageArgs),
    /// Print a JSON Schema: manifest, config, catalog, report, diff or coverage
    Schema {
        /// Which schema
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(crate::schema::NAMES))]
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
    /// Report, and fail on, only the findings the git REF did not have (matched by their
    /// fingerprints): adopt ropa on an old repository without fixing everything first. Rules in
    /// ropa.yaml's `diff.always_report` are reported all the same; coverage findings near a
    /// change are too, as REF's coverage is not worked out
    #[arg(long, value_name = "REF")]
    pub new_since: Option<String>,
    /// When only files are named, walk the repository for duplicate ids instead of reading git's
    /// index and the id cache
    #[arg(long)]
    pub no_cache: bool,
    /// When only files are named, compare their ids with the other manifests as staged in git,
    /// without checking the work tree for unstaged edits or untracked manifests (pre-commit has
    /// set those edits aside, and a commit holds neither)
    #[arg(long, conflicts_with = "no_cache")]
    pub staged: bool,
    #[command(flatten)]
    pub catalog: CatalogFlags,
    /// Exit with status 1 when there are findings at or above this severity [default: error]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Print only the diagnostics, without the summary line
    #[arg(long, short)]
    pub quiet: bool,
    /// When to use colours (`auto` honours NO_COLOR, CLICOLOR, CLICOLOR_FORCE and TERM=dumb)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// The configuration, catalog and language flags shared by the commands that read the catalog.
#[derive(Debug, clap::Args)]
pub struct CatalogFlags {
    /// Use this configuration file instead of looking for ropa.yaml or .ropa.yaml
    #[arg(long, value_name = "FILE", conflicts_with = "isolated", global = true)]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file
    #[arg(long, global = true)]
    pub isolated: bool,
    /// Load an extra catalog (repeatable): it adds purposes and changes built-in ones field by field
    #[arg(long = "catalog", value_name = "FILE", global = true)]
    pub catalogs: Vec<PathBuf>,
    /// Language of everything ropa writes: messages, catalog texts, reports, errors, help [default: en]
    #[arg(long, value_enum, global = true)]
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

#[derive(Debug, clap::Args)]
pub struct CoverageArgs {
    /// Directories to scan [default: .]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = AnswerFormat::Human)]
    pub format: AnswerFormat,
    /// Write the report to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
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
    /// Date the register: YYYY-MM-DD, or `today` (UTC). Without it the register carries no date,
    /// so that the same manifests always give the same file
    #[arg(long, value_name = "DATE", value_parser = register_date)]
    pub date: Option<String>,
    /// CSV only: the field separator. `semicolon` for spreadsheets set to a French (or other
    /// decimal-comma) locale, which split CSV files on semicolons
    #[arg(long, value_enum, default_value_t = Delimiter::Comma)]
    pub delimiter: Delimiter,
    #[command(flatten)]
    pub catalog: CatalogFlags,
}

/// Why a value on the command line was refused, in both languages: clap shows the English
/// ([`std::fmt::Display`]), [`usage_error`] the one `--lang` asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub en: String,
    pub fr: String,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

impl std::error::Error for Refused {}

/// `--date`: `today` (UTC) or a real calendar date written `YYYY-MM-DD`.
pub fn register_date(s: &str) -> Result<String, Refused> {
    if s == "today" {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|e| Refused {
                en: format!("the system clock is before 1970: {e}"),
                fr: format!("l'horloge du système est avant 1970 : {e}"),
            })?
            .as_secs();
        let (y, m, d) = civil_from_days((secs / 86_400) as i64);
        return Ok(format!("{y:04}-{m:02}-{d:02}"));
    }
    let bad = || Refused {
        en: format!("`{s}` is not a date written YYYY-MM-DD (or `today`)"),
        fr: format!("`{s}` n'est pas une date écrite AAAA-MM-JJ (ni `today`)"),
    };
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts[..] else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let num = |t: &str| {
        t.parse::<u32>()
            .ok()
            .filter(|_| t.bytes().all(|b| b.is_ascii_digit()))
    };
    let (Some(y), Some(m), Some(d)) = (num(y), num(m), num(d)) else {
        return Err(bad());
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if d == 0 || d > days {
        return Err(bad());
    }
    Ok(s.to_string())
}

/// The calendar date (proleptic Gregorian) of a day counted from 1970-01-01: years are counted
/// in 400-year eras from 0000-03-01, so that the leap day ends each year.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::{Args, Lang, civil_from_days, lang_asked, register_date, usage_error};
    use clap::Parser;

    #[test]
    fn the_language_is_read_from_the_command_line_before_clap() {
        for (args, want) in [
            (&["lint", "--lang", "fr"][..], Lang::Fr),
            (&["lint", "--lang=fr"], Lang::Fr),
            (&["--lang", "fr", "recommend"], Lang::Fr),
            // the last one counts, as a mistake's message should follow what was asked last
            (&["lint", "--lang", "fr", "--lang", "en"], Lang::En),
            (&["lint", "--lang", "en", "--lang=fr"], Lang::Fr),
            // an unknown language, a missing value, or `--lang` after `--` (a path)
            (&["lint", "--lang", "de"], Lang::En),
            (&["lint", "--lang"], Lang::En),
            (&["lint", "--", "--lang", "fr"], Lang::En),
            (&["lint", "--language=fr"], Lang::En),
        ] {
            assert_eq!(lang_asked(args), want, "{args:?}");
        }
    }

    /// Every kind of mistake ropa's command line can make is said wholly in French under
    /// `--lang fr` (none of clap's English is left), and as clap says it otherwise.
    #[test]
    fn every_command_line_mistake_is_said_in_french() {
        let cases: &[(&[&str], &str)] = &[
            (
                &["lint", "--format", "nope"],
                "valeur 'nope' invalide pour '--format <FORMAT>'",
            ),
            (
                &["lint", "--format"],
                "une valeur est requise pour '--format <FORMAT>'",
            ),
            (
                &["lint", "--fail-on", "warn"],
                "une valeur proche existe : 'warning'",
            ),
            (
                &["lint", "--bogus"],
                "pour passer '--bogus' comme valeur, écrivez '-- --bogus'",
            ),
            (
                &["lint", "--quiet", "--quiet"],
                "l'argument '--quiet' ne peut être donné qu'une fois",
            ),
            (
                &["lint", "--staged", "--no-cache", "a"],
                "ne peut pas être employé avec",
            ),
            (&["lintt"], "sous-commande inconnue 'lintt'"),
            (&["--lang", "recommend"], "'recommend --lang' existe"),
            (&["recommend"], "ces arguments obligatoires manquent"),
            (
                &["register", "--date", "2026-02-30"],
                "n'est pas une date écrite AAAA-MM-JJ",
            ),
            (&["schema", "nope"], "valeur 'nope' invalide pour"),
        ];
        for (args, want) in cases {
            // as `main` parses: with the French help when `--lang fr` is asked for
            let argv = std::iter::once("ropa").chain(args.iter().copied());
            let e = Args::try_parse_from(argv.clone()).expect_err("a mistake");
            // (`schema` writes JSON Schemas, the same in every language: it takes no `--lang`)
            let lang: &[&str] = if args[0] == "schema" {
                &[]
            } else {
                &["--lang", "fr"]
            };
            let asked = super::parse_from(argv.chain(lang.iter().copied()), Lang::Fr)
                .expect_err("a mistake");
            let fr = usage_error(&asked, Lang::Fr);
            assert!(e.use_stderr(), "{args:?}: {e}");
            assert!(fr.starts_with("erreur: "), "{args:?}: {fr}");
            assert!(fr.contains(want), "{args:?}: {fr}");
            for english in [
                "error:",
                "tip:",
                "Usage:",
                "For more information",
                " exists",
                "value",
            ] {
                assert!(!fr.contains(english), "{args:?}: `{english}` in {fr}");
            }
            assert_eq!(usage_error(&e, Lang::En), e.render().to_string());
        }
    }

    #[test]
    fn days_from_the_epoch_become_calendar_dates() {
        // day numbers computed independently (Python's datetime)
        for (days, date) in [
            (0, (1970, 1, 1)),
            (-1, (1969, 12, 31)),
            (11_016, (2000, 2, 29)),
            (20_787, (2026, 11, 30)),
            (47_541, (2100, 3, 1)),
        ] {
            assert_eq!(civil_from_days(days), date, "{days}");
        }
    }

    #[test]
    fn only_real_dates_are_accepted() {
        for ok in ["2026-11-30", "2024-02-29", "2000-02-29"] {
            assert_eq!(register_date(ok).as_deref(), Ok(ok));
        }
        for bad in [
            "2026-02-29",
            "1900-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "2026-1-5",
            "26-11-30",
            "2026/11/30",
            "+026-11-30",
            "yesterday",
            "",
        ] {
            assert!(register_date(bad).is_err(), "{bad}");
        }
        let today = register_date("today").unwrap();
        assert_eq!(register_date(&today), Ok(today.clone()));
    }
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old side: a git revision or a directory [default: the merge base of HEAD with the
    /// default branch]
    pub base: Option<String>,
    /// The new side: a git revision or a directory [default: the working tree]
    pub head: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Write to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also append the Markdown to FILE (e.g. "$GITHUB_STEP_SUMMARY")
    #[arg(long, value_name = "FILE")]
    pub summary_file: Option<PathBuf>,
    /// Exit with status 1 when there are changes at this level (or above)
    #[arg(long, value_enum)]
    pub fail_on: Option<DiffFailOn>,
    /// Show editorial changes (level `none`) too
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub catalog: CatalogFlags,
}

/// Output formats of `ropa diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// text for people
    Human,
    /// Markdown for a pull-request comment or the job summary
    Markdown,
    /// JSON (schemas/diff.schema.json)
    Json,
}

/// `ropa diff --fail-on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFailOn {
    /// changes the DPO must review
    Review,
    /// changes to review or to know
    Info,
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

/// Field separators of the CSV register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Delimiter {
    Comma,
    Semicolon,
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

/// The language a command line asks for with `--lang`, read before clap parses it: a mistake
/// on the command line is then said in that language too. The last `--lang` counts; nothing
/// after `--` is an option.
pub fn lang_asked<I, S>(args: I) -> Lang
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut lang = Lang::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let arg = arg.as_ref();
        let value = if arg == "--" {
            break;
        } else if arg == "--lang" {
            args.next().map(|v| v.as_ref().to_os_string())
        } else {
            arg.to_str()
                .and_then(|a| a.strip_prefix("--lang="))
                .map(Into::into)
        };
        if let Some(code) = value {
            lang = Lang::ALL
                .into_iter()
                .find(|l| code == l.code())
                .unwrap_or_default();
        }
    }
    lang
}

/// A mistake on the command line, as clap found it, in a language: clap's own text in
/// English; in French, the same message, tips, usage and pointer to `--help`, for every kind of
/// mistake ropa's command line can make (any other keeps clap's English). The arguments are
/// quoted as typed: the caller neutralises the text before it reaches a terminal.
pub fn usage_error(e: &clap::Error, lang: Lang) -> String {
    use clap::error::{ContextKind as C, ErrorKind as K};
    let english = || e.render().to_string();
    if lang == Lang::En {
        return english();
    }
    let get = |kind| e.get(kind).map(context_text);
    let arg = get(C::InvalidArg).unwrap_or_default();
    let value = get(C::InvalidValue).unwrap_or_default();
    let mut out = String::from("erreur: ");
    match e.kind() {
        K::InvalidValue if value.is_empty() => {
            out += &format!("une valeur est requise pour '{arg}', mais aucune n'a été donnée");
        }
        K::InvalidValue => {
            out += &format!("valeur '{value}' invalide pour '{arg}'");
            if let Some(valid) = get(C::ValidValue).filter(|v| !v.is_empty()) {
                out += &format!("\n  [valeurs possibles : {valid}]");
            }
        }
        K::ValueValidation => {
            out += &format!("valeur '{value}' invalide pour '{arg}'");
            if let Some(said) = std::error::Error::source(e) {
                match said.downcast_ref::<Refused>() {
                    Some(refused) => out += &format!(" : {}", refused.fr),
                    None => out += &format!(" : {said}"),
                }
            }
        }
        K::UnknownArgument => out += &format!("argument inattendu '{arg}'"),
        K::InvalidSubcommand => {
            let sub = get(C::InvalidSubcommand).unwrap_or_default();
            out += &format!("sous-commande inconnue '{sub}'");
        }
        K::MissingRequiredArgument => {
            out += "ces arguments obligatoires manquent :";
            if let Some(clap::error::ContextValue::Strings(missing)) = e.get(C::InvalidArg) {
                for m in missing {
                    out += &format!("\n  {m}");
                }
            }
        }
        K::MissingSubcommand => {
            let sub = get(C::InvalidSubcommand).unwrap_or_default();
            out += &format!("'{sub}' demande une sous-commande, et aucune n'a été donnée");
            if let Some(valid) = get(C::ValidSubcommand).filter(|v| !v.is_empty()) {
                out += &format!("\n  [sous-commandes : {valid}]");
            }
        }
        K::ArgumentConflict => {
            let prior = get(C::PriorArg).unwrap_or_default();
            if arg == prior || prior.is_empty() {
                out += &format!("l'argument '{arg}' ne peut être donné qu'une fois");
            } else {
                out += &format!("l'argument '{arg}' ne peut pas être employé avec '{prior}'");
            }
        }
        K::NoEquals => out += &format!("'{arg}' demande un signe égal avant sa valeur"),
        K::TooManyValues => {
            out +=
                &format!("valeur '{value}' en trop pour '{arg}' : aucune autre n'était attendue");
        }
        K::TooFewValues | K::WrongNumberOfValues => {
            let expected = get(C::ExpectedNumValues).unwrap_or_default();
            let actual = get(C::ActualNumValues).unwrap_or_default();
            out += &format!("'{arg}' attend {expected} valeur(s), {actual} donnée(s)");
        }
        K::InvalidUtf8 => out += "un argument n'est pas de l'UTF-8 valide",
        _ => return english(),
    }
    let mut tips = Vec::new();
    if let Some(s) = get(C::SuggestedSubcommand).filter(|s| !s.is_empty()) {
        tips.push(format!("une sous-commande proche existe : {}", quoted(&s)));
    }
    if let Some(s) = get(C::SuggestedArg).filter(|s| !s.is_empty()) {
        tips.push(format!("un argument proche existe : {}", quoted(&s)));
    }
    if let Some(s) = get(C::SuggestedValue).filter(|s| !s.is_empty()) {
        tips.push(format!("une valeur proche existe : {}", quoted(&s)));
    }
    if let Some(clap::error::ContextValue::StyledStrs(said)) = e.get(C::Suggested) {
        tips.extend(said.iter().map(|s| tip_in_french(&s.to_string())));
    }
    if !tips.is_empty() {
        out.push('\n');
        for tip in tips {
            out += &format!("\n  astuce : {tip}");
        }
    }
    if let Some(usage) = get(C::Usage) {
        let usage = usage.strip_prefix("Usage:").unwrap_or(&usage);
        out += &format!("\n\nUtilisation :{usage}");
    }
    out + "\n\nPour en savoir plus, essayez '--help'.\n"
}

/// A context value as plain text; several are separated by commas.
fn context_text(v: &clap::error::ContextValue) -> String {
    use clap::error::ContextValue as V;
    match v {
        V::String(s) => s.clone(),
        V::Strings(v) => v.join(", "),
        V::StyledStr(s) => s.to_string(),
        V::StyledStrs(v) => v
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        V::Number(n) => n.to_string(),
        V::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// `a, b` as `'a', 'b'`.
fn quoted(list: &str) -> String {
    list.split(", ")
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// clap's tips, which it writes in English, in French (an unknown one stays as clap wrote it).
fn tip_in_french(tip: &str) -> String {
    if let Some(rest) = tip.strip_prefix("to pass ")
        && let Some((what, how)) = rest.split_once(" as a value, use ")
    {
        return format!("pour passer {what} comme valeur, écrivez {how}");
    }
    if let Some(rest) = tip.strip_prefix("subcommand ")
        && let Some((what, _)) = rest.split_once(" exists; to use it")
    {
        return format!(
            "la sous-commande {what} existe ; pour l'employer, retirez le '--' qui la précède"
        );
    }
    if let Some(what) = tip.strip_suffix(" exists") {
        return format!("{what} existe");
    }
    tip.to_string()
}
