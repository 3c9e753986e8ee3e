//! Reading a configuration file into [`Settings`], with every problem located (unknown keys,
//! wrong types, unknown rule codes and levels, invalid globs).

use std::collections::BTreeMap;

use super::{Level, Origin, PathRules, Set, Settings};
use crate::diag::RuleId;
use crate::diag::Severity;
use crate::i18n::Lang;
use crate::manifest::vocab::suggest;
use crate::source::{Source, Span};
use crate::yaml::{self, Key, Node, Value};

/// What a key of `ropa.yaml` holds.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// A list of strings.
    Strings,
    /// One of a few words.
    Word(&'static [&'static str]),
    /// A positive whole number.
    PositiveInt,
    /// Rule code → level.
    Levels,
    /// Glob → (rule code → level).
    LevelsPerGlob,
    /// `controller: {name, contact}`.
    Defaults,
    /// `levels: {kind: level}`, `always_report: [rule]`.
    Diff,
    /// `exclude: [glob]`.
    Coverage,
}

/// A key of `ropa.yaml`. The reader's list of known keys and `schemas/config.schema.json` both
/// come from this one declaration, so they cannot drift.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub shape: Shape,
    /// For the schema and editors.
    pub description: &'static str,
}

/// Every key of `ropa.yaml`, in the order the schema lists them.
pub const FIELDS: &[Field] = &[
    Field {
        name: "include",
        shape: Shape::Strings,
        description: "More files to treat as manifests (globs relative to this file).",
    },
    Field {
        name: "exclude",
        shape: Shape::Strings,
        description: "Files and directories never walked (globs relative to this file).",
    },
    Field {
        name: "catalogs",
        shape: Shape::Strings,
        description: "Organisation catalogs, relative to this file.",
    },
    Field {
        name: "lang",
        shape: Shape::Word(&["en", "fr"]),
        description: "Language of the output.",
    },
    Field {
        name: "fail_on",
        shape: Shape::Word(&["error", "warning"]),
        description: "The severity that makes the run exit 1.",
    },
    Field {
        name: "max_file_size",
        shape: Shape::PositiveInt,
        description: "Manifests larger than this many bytes are reported, not read (default 1048576).",
    },
    Field {
        name: "rules",
        shape: Shape::Levels,
        description: "Rule code → level.",
    },
    Field {
        name: "per_path",
        shape: Shape::LevelsPerGlob,
        description: "Manifest glob → rule levels; the last matching glob wins.",
    },
    Field {
        name: "defaults",
        shape: Shape::Defaults,
        description: "Values every activity inherits when it does not set them.",
    },
    Field {
        name: "diff",
        shape: Shape::Diff,
        description: "`ropa diff` and `ropa lint --new-since`: the level of each kind of change (review, info, none), and the rules whose findings `--new-since` reports even when the base had them.",
    },
    Field {
        name: "coverage",
        shape: Shape::Coverage,
        description: "Coverage (CV001-CV005, `ropa coverage`): `exclude`, files never read for personal-data fields or dependencies (globs relative to this file), such as generated code and test fixtures; `vendors`, organisation vendor catalogs (relative to this file, in the shape of ropa's `catalogs/vendors.yaml`; a vendor with a built-in id replaces it).",
    },
];

/// A problem in the configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub span: Span,
    pub message: String,
}

struct Reader<'a> {
    source: &'a Source,
    problems: Vec<Problem>,
    lang: Lang,
    /// Globs read so far.
    globs: usize,
}

/// The most globs a configuration holds (`include`, `exclude`, `per_path`).
pub const MAX_GLOBS: usize = 1_000;
/// The longest glob, in bytes.
pub const MAX_GLOB_LEN: usize = 1_024;
/// The most `{…}` groups in one glob.
pub const MAX_GLOB_BRACES: usize = 8;

impl Reader<'_> {
    fn problem(&mut self, span: Span, message: String) {
        self.problems.push(Problem { span, message });
    }

    fn t(&self, en: String, fr: String) -> String {
        crate::i18n::t(self.lang, en, fr)
    }

    /// A list of files relative to the configuration's directory (`root`). A configuration in
    /// a repository may not read files outside it: one that leads out is a problem, and left
    /// out. `noun` names such a file in English and French.
    fn files_inside(
        &mut self,
        node: &Node,
        what: &str,
        root: &std::path::Path,
        noun: (&str, &str),
    ) -> Vec<Set<std::path::PathBuf>> {
        let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let mut files = Vec::new();
        for (p, span) in self.strings(node, what) {
            let path = root.join(p);
            let inside = std::fs::canonicalize(&path).is_ok_and(|c| c.starts_with(&canonical_root));
            if !inside && path.exists() {
                let message = self.t(
                    format!(
                        "{} `{p}` is outside the configuration's directory; it is not read",
                        noun.0
                    ),
                    format!(
                        "{} `{p}` est hors du dossier de la configuration ; il n'est pas lu",
                        noun.1
                    ),
                );
                self.problem(span, message);
                continue;
            }
            files.push(Set {
                value: path,
                origin: self.origin(span),
            });
        }
        files
    }

    /// `what` holds a value of the wrong type; `expected` in English and French.
    fn wrong_type(&mut self, span: Span, what: &str, found: &Value, expected: (&str, &str)) {
        let message = self.t(
            format!(
                "`{what}` must be {}, found {}",
                expected.0,
                found.kind_in(Lang::En)
            ),
            format!(
                "`{what}` doit être {}, trouvé : {}",
                expected.1,
                found.kind_in(Lang::Fr)
            ),
        );
        self.problem(span, message);
    }

    fn origin(&self, span: Span) -> Origin {
        Origin::File(
            self.source.display().to_string(),
            self.source.position(span.start).line,
        )
    }

    fn unknown(&mut self, key: &Key, known: &[&str], context: &str) {
        let hint = match suggest(&key.name, known.iter().copied()) {
            Some(s) => self.t(
                format!("; did you mean `{s}`?"),
                format!(" ; vouliez-vous dire `{s}` ?"),
            ),
            None => self.t(
                format!("; expected one of: {}", known.join(", ")),
                format!(" ; valeurs possibles : {}", known.join(", ")),
            ),
        };
        let message = self.t(
            format!("unknown key `{}` in {context}{hint}", key.name),
            format!("clé inconnue `{}` dans {context}{hint}", key.name),
        );
        self.problem(key.span, message);
    }

    fn map<'n>(&mut self, node: &'n Node, what: &str) -> &'n [(Key, Node)] {
        match &node.value {
            Value::Map(entries) => entries,
            Value::Null => &[],
            other => {
                self.wrong_type(node.span, what, other, ("a mapping", "un dictionnaire"));
                &[]
            }
        }
    }

    fn string<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n str> {
        match &node.value {
            Value::Str(s) => Some(s),
            other => {
                self.wrong_type(node.span, what, other, ("a string", "une chaîne"));
                None
            }
        }
    }

    /// A string that must be one of a few words, each standing for a value.
    fn choice<T: Copy>(
        &mut self,
        node: &Node,
        what: &str,
        kind: (&str, &str),
        options: &[(&str, T)],
    ) -> Option<Set<T>> {
        let s = self.string(node, what)?;
        if let Some((_, value)) = options.iter().find(|(name, _)| *name == s) {
            return Some(Set {
                value: *value,
                origin: self.origin(node.span),
            });
        }
        let expected: Vec<String> = options.iter().map(|(n, _)| format!("`{n}`")).collect();
        let message = self.t(
            format!(
                "`{s}` is not {}; expected {}",
                kind.0,
                expected.join(" or ")
            ),
            format!(
                "`{s}` n'est pas {} ; attendu : {}",
                kind.1,
                expected.join(" ou ")
            ),
        );
        self.problem(node.span, message);
        None
    }

    fn strings<'n>(&mut self, node: &'n Node, what: &str) -> Vec<(&'n str, Span)> {
        let items = match &node.value {
            Value::Seq(items) => items.as_slice(),
            Value::Null => &[],
            other => {
                self.wrong_type(node.span, what, other, ("a list", "une liste"));
                &[]
            }
        };
        items
            .iter()
            .filter_map(|n| self.string(n, what).map(|s| (s, n.span)))
            .collect()
    }

    /// Whether one more glob may be compiled: their number and size are bounded, since a
    /// configuration could otherwise make compiling them take gigabytes.
    fn glob_allowed(&mut self, g: &str, span: Span) -> bool {
        self.globs += 1;
        let (count, max) = (self.globs, MAX_GLOBS);
        if count > max {
            if count == max + 1 {
                let message = self.t(
                    format!("more than {max} globs in the configuration; the rest are not read"),
                    format!("plus de {max} motifs glob dans la configuration ; les autres ne sont pas lus"),
                );
                self.problem(span, message);
            }
            return false;
        }
        let braces = g.matches('{').count();
        if g.len() > MAX_GLOB_LEN || braces > MAX_GLOB_BRACES {
            let message = self.t(
                format!(
                    "glob too large: at most {MAX_GLOB_LEN} bytes and {MAX_GLOB_BRACES} `{{…}}` groups"
                ),
                format!(
                    "motif glob trop grand : {MAX_GLOB_LEN} octets et {MAX_GLOB_BRACES} groupes `{{…}}` au plus"
                ),
            );
            self.problem(span, message);
            return false;
        }
        true
    }

    fn globs(&mut self, node: &Node, what: &str) -> Vec<Set<String>> {
        let mut out = Vec::new();
        for (g, span) in self.strings(node, what) {
            if !self.glob_allowed(g, span) {
                continue;
            }
            match globset::Glob::new(g.trim_start_matches("./")) {
                Ok(_) => out.push(Set {
                    value: g.to_string(),
                    origin: self.origin(span),
                }),
                Err(e) => {
                    let message = self.t(
                        format!("invalid glob `{g}`: {}", e.kind()),
                        format!("motif glob invalide `{g}` : {}", e.kind()),
                    );
                    self.problem(span, message);
                }
            }
        }
        out
    }

    fn levels(&mut self, node: &Node, what: &str) -> BTreeMap<RuleId, Set<Level>> {
        let mut out = BTreeMap::new();
        for (key, value) in self.map(node, what) {
            let Some(rule) = RuleId::from_code(&key.name) else {
                let hint = suggest(&key.name, RuleId::ALL.iter().map(|r| r.as_str())).map_or(
                    String::new(),
                    |c| {
                        self.t(
                            format!("; did you mean `{c}`?"),
                            format!(" ; vouliez-vous dire `{c}` ?"),
                        )
                    },
                );
                let message = self.t(
                    format!("unknown rule `{}` in `{what}`{hint}", key.name),
                    format!("règle inconnue `{}` dans `{what}`{hint}", key.name),
                );
                self.problem(key.span, message);
                continue;
            };
            let Some(s) = self.string(value, &format!("{what}.{rule}")) else {
                continue;
            };
            match Level::parse(s) {
                Some(level) => {
                    out.insert(
                        rule,
                        Set {
                            value: level,
                            origin: self.origin(value.span),
                        },
                    );
                }
                None => {
                    let message = self.t(
                        format!("`{s}` is not a level; expected one of: error, warning, note, off"),
                        format!("`{s}` n'est pas un niveau ; valeurs possibles : error, warning, note, off"),
                    );
                    self.problem(value.span, message);
                }
            }
        }
        out
    }
}

/// Reads a configuration file on top of the defaults. Relative paths and globs are resolved
/// against the file's directory.
/// Problems are written in `lang`.
pub fn read(source: &Source, mut settings: Settings, lang: Lang) -> Result<Settings, Vec<Problem>> {
    let root = match yaml::parse(source) {
        Ok(root) => root,
        Err(e) => {
            return Err(vec![Problem {
                span: e.span,
                message: crate::i18n::t(
                    lang,
                    format!("invalid YAML: {}", e.message),
                    format!("YAML invalide : {}", e.message),
                ),
            }]);
        }
    };
    let mut r = Reader {
        source,
        problems: Vec::new(),
        lang,
        globs: 0,
    };
    settings.file = Some(source.path().to_path_buf());
    settings.root = crate::source::dir_of(source.path()).to_path_buf();
    let whole = crate::i18n::s(lang, "the configuration", "la configuration");
    for (key, value) in r.map(&root, whole) {
        if value.value == Value::Null {
            continue;
        }
        match key.name.as_str() {
            "include" => settings.include = r.globs(value, "include"),
            "exclude" => settings.exclude = r.globs(value, "exclude"),
            "catalogs" => {
                settings.catalogs = r.files_inside(
                    value,
                    "catalogs",
                    &settings.root,
                    ("catalog", "le catalogue"),
                );
            }
            "lang" => {
                let options = [("en", Lang::En), ("fr", Lang::Fr)];
                if let Some(set) = r.choice(value, "lang", ("a language", "une langue"), &options) {
                    settings.lang = set;
                }
            }
            "fail_on" => {
                let options = [("error", Severity::Error), ("warning", Severity::Warning)];
                if let Some(set) = r.choice(value, "fail_on", ("a threshold", "un seuil"), &options)
                {
                    settings.fail_on = set;
                }
            }
            "max_file_size" => match value.value {
                Value::Int(n) if n > 0 => {
                    settings.max_file_size = Set {
                        value: n as u64,
                        origin: r.origin(value.span),
                    };
                }
                _ => {
                    let message = r.t(
                        "`max_file_size` must be a positive number of bytes".into(),
                        "`max_file_size` doit être un nombre d'octets positif".into(),
                    );
                    r.problem(value.span, message);
                }
            },
            "rules" => settings.rules = r.levels(value, "rules"),
            "per_path" => {
                for (glob_key, rules_node) in r.map(value, "per_path") {
                    if !r.glob_allowed(&glob_key.name, glob_key.span) {
                        continue;
                    }
                    let pattern = glob_key.name.trim_start_matches("./");
                    let matcher = match globset::Glob::new(pattern) {
                        Ok(g) => g.compile_matcher(),
                        Err(e) => {
                            let message = r.t(
                                format!("invalid glob `{}`: {}", glob_key.name, e.kind()),
                                format!("motif glob invalide `{}` : {}", glob_key.name, e.kind()),
                            );
                            r.problem(glob_key.span, message);
                            continue;
                        }
                    };
                    let rules = r.levels(rules_node, &format!("per_path.\"{}\"", glob_key.name));
                    settings.per_path.push(PathRules {
                        glob: glob_key.name.to_string(),
                        matcher,
                        rules,
                    });
                }
            }
            "diff" => {
                for (k, v) in r.map(value, "diff") {
                    match k.name.as_str() {
                        "levels" => {
                            for (kind, level) in r.map(v, "diff.levels") {
                                let Some(found) = crate::diff::Kind::parse(&kind.name) else {
                                    let names: Vec<&str> =
                                        crate::diff::Kind::ALL.iter().map(|k| k.name()).collect();
                                    r.unknown(kind, &names, "`diff.levels`");
                                    continue;
                                };
                                let what = format!("diff.levels.{}", kind.name);
                                let Some(s) = r.string(level, &what) else {
                                    continue;
                                };
                                match crate::diff::Level::parse(s) {
                                    Some(l) => {
                                        settings.diff_levels.insert(found, l);
                                    }
                                    None => {
                                        let message = r.t(
                                            format!("`{what}` must be review, info or none, not `{s}`"),
                                            format!("`{what}` doit valoir review, info ou none, pas `{s}`"),
                                        );
                                        r.problem(level.span, message);
                                    }
                                }
                            }
                        }
                        "always_report" => {
                            for (code, span) in r.strings(v, "diff.always_report") {
                                match RuleId::from_code(code) {
                                    Some(rule) => settings.always_report.push(rule),
                                    None => {
                                        let message = r.t(
                                            format!(
                                                "unknown rule `{code}` in `diff.always_report`"
                                            ),
                                            format!(
                                                "règle inconnue `{code}` dans `diff.always_report`"
                                            ),
                                        );
                                        r.problem(span, message);
                                    }
                                }
                            }
                        }
                        _ => r.unknown(k, &["levels", "always_report"], "`diff`"),
                    }
                }
            }
            "coverage" => {
                for (k, v) in r.map(value, "coverage") {
                    match k.name.as_str() {
                        "exclude" => settings.coverage_exclude = r.globs(v, "coverage.exclude"),
                        "vendors" => {
                            settings.coverage_vendors = r.files_inside(
                                v,
                                "coverage.vendors",
                                &settings.root,
                                ("vendor catalog", "le catalogue de fournisseurs"),
                            );
                        }
                        _ => r.unknown(k, &["exclude", "vendors"], "`coverage`"),
                    }
                }
            }
            "defaults" => {
                for (k, v) in r.map(value, "defaults") {
                    if k.name != "controller" {
                        r.unknown(k, &["controller"], "`defaults`");
                        continue;
                    }
                    for (ck, cv) in r.map(v, "defaults.controller") {
                        let set = r
                            .string(cv, &format!("defaults.controller.{}", ck.name))
                            .map(|s| Set {
                                value: s.to_string(),
                                origin: r.origin(cv.span),
                            });
                        match ck.name.as_str() {
                            "name" => settings.defaults.controller_name = set,
                            "contact" => settings.defaults.controller_contact = set,
                            _ => r.unknown(ck, &["name", "contact"], "`defaults.controller`"),
                        }
                    }
                }
            }
            _ => {
                let known: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
                r.unknown(key, &known, whole);
            }
        }
    }
    if r.problems.is_empty() {
        Ok(settings)
    } else {
        Err(r.problems)
    }
}

/// The language a configuration file asks for, if it can be read that far: its problems are
/// reported in that language when no `--lang` is given.
pub fn declared_lang(source: &Source) -> Option<Lang> {
    let root = yaml::parse(source).ok()?;
    let Value::Map(entries) = &root.value else {
        return None;
    };
    entries
        .iter()
        .find_map(|(k, v)| match (&*k.name, &v.value) {
            ("lang", Value::Str(s)) if s == "fr" => Some(Lang::Fr),
            ("lang", Value::Str(s)) if s == "en" => Some(Lang::En),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<Settings, Vec<Problem>> {
        let source = Source::new("ropa.yaml".into(), "ropa.yaml".into(), text.into());
        read(&source, Settings::defaults(".".into()), Lang::En)
    }

    /// The declaration is the reader's: every declared key is read, every declared word is
    /// accepted, and a word outside the declaration is refused.
    #[test]
    fn the_reader_follows_the_declaration() {
        for f in FIELDS {
            let problems = read_text(&format!("{}:\n", f.name))
                .err()
                .unwrap_or_default();
            assert!(problems.is_empty(), "{}: {problems:?}", f.name);
            if let Shape::Word(words) = f.shape {
                for w in words {
                    assert!(
                        read_text(&format!("{}: {w}\n", f.name)).is_ok(),
                        "{}: {w}",
                        f.name
                    );
                }
                assert!(read_text(&format!("{}: nonsense\n", f.name)).is_err());
            }
        }
        assert!(read_text("not_a_key: 1\n").is_err());
    }
}

#[cfg(test)]
mod bounds {
    use super::*;

    #[test]
    fn globs_are_bounded_in_number_and_size() {
        let many: Vec<String> = (0..MAX_GLOBS + 5).map(|i| format!("\"a{i}/**\"")).collect();
        let text = format!("exclude: [{}]\n", many.join(", "));
        let source = Source::new("ropa.yaml".into(), "ropa.yaml".into(), text);
        let problems = read(&source, Settings::defaults(".".into()), Lang::En).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("more than 1000 globs"));
        let braces = format!("include: [\"{}\"]\n", "{a,b}".repeat(MAX_GLOB_BRACES + 1));
        let source = Source::new("ropa.yaml".into(), "ropa.yaml".into(), braces);
        let problems = read(&source, Settings::defaults(".".into()), Lang::En).unwrap_err();
        assert!(
            problems[0].message.contains("glob too large"),
            "{problems:?}"
        );
    }
}
