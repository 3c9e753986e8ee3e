//! Configuration: `ropa.yaml` or `.ropa.yaml` in the working directory or its nearest parent
//! (`--config FILE` names one, `--isolated` ignores all). Command-line flags win over the file,
//! which wins over the defaults. Every effective value remembers where it came from, for
//! `ropa config`.

pub mod file;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::diag::Severity;
use crate::i18n::Lang;

/// Where a setting's value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Default,
    /// The configuration file, at a line.
    File(String, usize),
    /// A command-line flag.
    Flag(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File(path, line) => write!(f, "{path}:{line}"),
            Origin::Flag(flag) => f.write_str(flag),
        }
    }
}

/// A value and its origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Set<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Set<T> {
    pub fn default(value: T) -> Self {
        Self {
            value,
            origin: Origin::Default,
        }
    }
}

/// A rule's level set by the configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Note,
    Off,
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "error" => Level::Error,
            "warning" => Level::Warning,
            "note" => Level::Note,
            "off" => Level::Off,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
            Level::Off => "off",
        }
    }

    /// The severity a finding gets, or `None` when the rule is off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Note => Some(Severity::Note),
            Level::Off => None,
        }
    }
}

/// Defaults that every activity inherits when it does not set the field itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Defaults {
    pub controller_name: Option<Set<String>>,
    pub controller_contact: Option<Set<String>>,
}

/// Per-path rule levels: the manifests under a glob.
#[derive(Clone, Debug)]
pub struct PathRules {
    pub glob: String,
    pub matcher: globset::GlobMatcher,
    pub rules: BTreeMap<crate::diag::RuleId, Set<Level>>,
}

/// The effective settings of a run.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The configuration file read, if any.
    pub file: Option<PathBuf>,
    /// The directory globs and relative paths are resolved against: the file's directory, or
    /// the working directory without a file.
    pub root: PathBuf,
    pub include: Vec<Set<String>>,
    pub exclude: Vec<Set<String>>,
    pub catalogs: Vec<Set<PathBuf>>,
    pub lang: Set<Lang>,
    pub fail_on: Set<Severity>,
    /// Manifests larger than this many bytes are reported, not read.
    pub max_file_size: Set<u64>,
    pub rules: BTreeMap<crate::diag::RuleId, Set<Level>>,
    pub per_path: Vec<PathRules>,
    pub defaults: Defaults,
    /// `diff.levels`: the level of a kind of change, when not its default.
    pub diff_levels: BTreeMap<crate::diff::Kind, crate::diff::Level>,
    /// `diff.always_report`: rules whose findings `lint --new-since` reports even when the base
    /// had them (statutory rules, for instance).
    pub always_report: Vec<crate::diag::RuleId>,
    /// `coverage.exclude`: files the coverage scan never reads.
    pub coverage_exclude: Vec<Set<String>>,
    /// `coverage.vendors`: organisation vendor catalogs.
    pub coverage_vendors: Vec<Set<PathBuf>>,
    /// The root as [`Settings::relative`] compares paths with it (absolute, `..` resolved),
    /// worked out once, beside the root it was worked out from (`root` may be set again).
    root_absolute: std::sync::OnceLock<(PathBuf, Option<PathBuf>)>,
}

impl Settings {
    /// Built-in defaults, rooted at `root`.
    pub fn defaults(root: PathBuf) -> Self {
        Self {
            file: None,
            root,
            include: Vec::new(),
            exclude: Vec::new(),
            catalogs: Vec::new(),
            lang: Set::default(Lang::En),
            fail_on: Set::default(Severity::Error),
            max_file_size: Set::default(1024 * 1024),
            rules: BTreeMap::new(),
            per_path: Vec::new(),
            defaults: Defaults::default(),
            diff_levels: BTreeMap::new(),
            always_report: Vec::new(),
            coverage_exclude: Vec::new(),
            coverage_vendors: Vec::new(),
            root_absolute: std::sync::OnceLock::new(),
        }
    }

    /// The level configured for a rule on a manifest (given relative to the root, `/`-separated):
    /// the last matching `per_path` entry wins, then `rules`.
    pub fn level(&self, code: crate::diag::RuleId, rel_path: &str) -> Option<Level> {
        self.per_path
            .iter()
            .rev()
            .filter(|p| p.matcher.is_match(rel_path))
            .find_map(|p| p.rules.get(&code).map(|s| s.value))
            .or_else(|| self.rules.get(&code).map(|s| s.value))
    }

    pub fn include_set(&self) -> GlobSet {
        globs(self.include.iter().map(|s| s.value.as_str()))
    }

    pub fn exclude_set(&self) -> GlobSet {
        globs(self.exclude.iter().map(|s| s.value.as_str()))
    }

    /// `coverage.exclude`, compiled.
    pub fn coverage_exclude_set(&self) -> GlobSet {
        globs(self.coverage_exclude.iter().map(|s| s.value.as_str()))
    }

    /// Whether `rules:` or `per_path:` set any level (without them, every finding keeps its
    /// rule's own and no path needs to be made relative).
    pub fn sets_levels(&self) -> bool {
        !self.rules.is_empty() || !self.per_path.is_empty()
    }

    /// A path relative to the root, `/`-separated, when it is below the root.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let abs = crate::source::absolute(path).ok()?;
        let abs = crate::source::lexical(&abs);
        let work_out = || {
            let root = crate::source::absolute(&self.root).ok();
            let root = root.map(|r| crate::source::lexical(&r).into_owned());
            (self.root.clone(), root)
        };
        let rel = match self.root_absolute.get_or_init(work_out) {
            (from, root) if *from == self.root => abs.strip_prefix(root.as_deref()?),
            // the root was set again since
            _ => abs.strip_prefix(work_out().1?),
        };
        Some(crate::source::slashed(rel.ok()?))
    }
}

/// A glob set; `dir/**` also matches `dir` itself so that whole directories are skipped.
pub fn globs<'a>(patterns: impl IntoIterator<Item = &'a str>) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let p = p.trim_start_matches("./");
        if let Ok(g) = Glob::new(p) {
            b.add(g);
        }
        if let Some(dir) = p.strip_suffix("/**")
            && let Ok(g) = Glob::new(dir)
        {
            b.add(g);
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

/// The configuration file to use: `--config`, else `ropa.yaml` or `.ropa.yaml` in `start` or
/// its nearest parent.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = crate::source::absolute(start).ok()?;
    for dir in crate::source::lexical(&start).ancestors() {
        for name in ["ropa.yaml", ".ropa.yaml"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path relative to the root, worked out again when the root is set again after a first
    /// use (the configuration file's directory replaces the default root).
    #[test]
    fn relative_follows_the_root_when_it_is_set_again() {
        let mut settings = Settings::defaults(PathBuf::from("/repo"));
        let path = Path::new("/repo/svc/a/processing.yaml");
        assert_eq!(
            settings.relative(path).as_deref(),
            Some("svc/a/processing.yaml")
        );
        settings.root = PathBuf::from("/repo/svc");
        assert_eq!(
            settings.relative(path).as_deref(),
            Some("a/processing.yaml")
        );
        settings.root = PathBuf::from("/elsewhere");
        assert_eq!(settings.relative(path), None);
        // a clone made after a use follows its own root
        let mut clone = settings.clone();
        clone.root = PathBuf::from("/repo/svc/./a/../a");
        assert_eq!(clone.relative(path).as_deref(), Some("processing.yaml"));
        assert_eq!(settings.relative(path), None);
    }
}
