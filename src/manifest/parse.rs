//! Builds the typed manifest from the YAML node tree, collecting every structural problem
//! (MF002 unknown field, MF003 missing field, MF004 invalid value) instead of stopping at the first.

use super::duration::Duration;
use super::model::*;
use super::vocab::{self, Vocabulary};
use crate::diag::{Diagnostic, RuleId, Severity};
use crate::i18n;
use crate::i18n::Lang;
use crate::source::{Source, Span};
use crate::yaml::{self, Key, Node, Value};

/// The most activities read from one manifest: what one file can make ropa produce is bounded.
pub const MAX_ACTIVITIES: usize = 1_000;

/// The keys of a manifest.
pub const TOP_FIELDS: &[&str] = &["version", "activities"];
/// The keys of an activity.
pub const ACTIVITY_FIELDS: &[&str] = &[
    "id",
    "name",
    "purpose",
    "description",
    "controller",
    "legal_basis",
    "legitimate_interests",
    "consent",
    "legal_obligation",
    "data_subjects",
    "data_categories",
    "special_categories",
    "special_category_condition",
    "dpia",
    "retention",
    "recipients",
    "transfers",
    "code",
    "deviations",
];

pub mod fides;

/// The outcome of reading one manifest file.
pub struct Parsed {
    pub manifest: Manifest,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads a manifest. Never fails: every problem is a diagnostic.
pub fn parse(source: &Source, file: usize, lang: Lang) -> Parsed {
    let mut b = Builder {
        file,
        lang,
        diags: Vec::new(),
        activity: None,
        invalid: Vec::new(),
    };
    let manifest = match yaml::parse(source) {
        Ok(root) if fides::is_fides(&root) => b.fides(&root),
        Ok(root) => match fides::other_resource(&root) {
            Some((kind, at)) => {
                b.other_resource(kind, at);
                Manifest::default()
            }
            None => b.manifest(&root),
        },
        Err(err) => {
            let t = |en: &str, fr: &str| i18n::t(lang, en, fr);
            let mut d = Diagnostic::new(
                RuleId::MF001,
                Severity::Error,
                file,
                i18n::t(
                    lang,
                    format!("invalid YAML: {}", err.message),
                    format!("YAML invalide : {}", err.message),
                ),
            )
            .at(err.span)
            .label(t(
                "the YAML parser stopped here",
                "l'analyse YAML s'est arrêtée ici",
            ));
            if err.message.contains("mapping values are not allowed") {
                d = d.help(t(
                    "a value that contains `: ` must be quoted, e.g. `name: \"Gestion de clientèle : fiche client\"`",
                    "une valeur qui contient `: ` doit être entre guillemets, par exemple `name: \"Gestion de clientèle : fiche client\"`",
                ));
            } else if err.message.contains("tab") {
                d = d.help(t(
                    "YAML indentation uses spaces, not tabs",
                    "l'indentation YAML se fait avec des espaces, pas des tabulations",
                ));
            } else if err.message.contains("several") {
                d = d
                    .label(t(
                        "a second document starts here",
                        "un deuxième document commence ici",
                    ))
                    .help(t(
                        "split the file: one manifest per file",
                        "séparez le fichier : un manifeste par fichier",
                    ));
            }
            b.diags.push(d);
            Manifest::default()
        }
    };
    Parsed {
        manifest,
        diagnostics: b.diags,
    }
}

/// A mapping's entries, with a record of which keys were read.
struct Fields<'n> {
    entries: &'n [(Key, Node)],
    /// The keys' names, looked up by each field asked for: taken out of their strings once
    /// (comparing a `str` with another fails at once on a different length).
    names: Vec<&'n str>,
    used: Vec<bool>,
}

impl<'n> Fields<'n> {
    fn new(entries: &'n [(Key, Node)]) -> Self {
        Self {
            entries,
            names: entries.iter().map(|(k, _)| k.name.as_str()).collect(),
            used: vec![false; entries.len()],
        }
    }

    /// The key and value of a field; an empty value (`key:` or `key: ~`) counts as absent.
    fn get(&mut self, name: &str) -> Option<(&'n Key, &'n Node)> {
        let i = self.names.iter().position(|k| *k == name)?;
        self.used[i] = true;
        let (k, v) = &self.entries[i];
        (v.value != Value::Null).then_some((k, v))
    }

    /// The key of a field that is present, even with an empty value.
    fn key(&self, name: &str) -> Option<&'n Key> {
        let i = self.names.iter().position(|k| *k == name)?;
        Some(&self.entries[i].0)
    }
}

struct Builder {
    file: usize,
    lang: Lang,
    diags: Vec<Diagnostic>,
    /// The activity being read (index and id), attached to its diagnostics.
    activity: Option<(usize, Option<String>)>,
    invalid: Vec<String>,
}

impl Builder {
    fn t(&self, en: impl Into<String>, fr: impl Into<String>) -> String {
        i18n::t(self.lang, en, fr)
    }

    fn push(&mut self, mut d: Diagnostic) {
        if let Some((index, id)) = &self.activity {
            d.activity_index = Some(*index);
            d.activity = id.clone();
        }
        self.diags.push(d);
    }

    fn invalid_value(
        &mut self,
        path: &'static str,
        span: Span,
        message: String,
        label: &str,
    ) -> Diagnostic {
        self.invalid.push(path.to_string());
        Diagnostic::new(RuleId::MF004, Severity::Error, self.file, message)
            .at(span)
            .label(label.to_string())
    }

    fn wrong_type(&mut self, path: &'static str, node: &Node, expected: (&str, &str)) {
        let (en, fr) = expected;
        let found = node.value.kind_in(self.lang);
        let message = self.t(
            format!("`{}` must be {en}, found {found}", leaf(path)),
            format!("`{}` doit être {fr}, pas {found}", leaf(path)),
        );
        let label = self.t(format!("expected {en}"), format!("{fr} attendu"));
        let d = self.invalid_value(path, node.span, message, &label);
        self.push(d);
    }

    /// Whether a key already reported by MF002 (or an invalid value) stands for `field` of
    /// `section`: the finding about it is the one finding.
    fn misspelled(&self, field: &str, section: Section) -> bool {
        let prefixed = format!("{}{field}", section.prefix());
        self.invalid.iter().any(|p| *p == field || *p == prefixed)
    }

    fn missing(&mut self, field: &str, at: Span, section: Section, example: &str) {
        if self.misspelled(field, section) {
            // a misspelled key already reported by MF002 with this field as its suggestion
            return;
        }
        let parent = section.name(self.lang);
        let message = self.t(
            format!("missing required field `{field}` in {parent}"),
            format!("champ obligatoire `{field}` absent de {parent}"),
        );
        let d = Diagnostic::new(RuleId::MF003, Severity::Error, self.file, message)
            .at(at)
            .label(self.t(
                format!("`{field}` is required here"),
                format!("`{field}` est obligatoire ici"),
            ))
            .help(self.t(
                format!("add `{field}: {example}`"),
                format!("ajoutez `{field}: {example}`"),
            ));
        self.push(d);
    }

    /// Reports keys that are not in `known`. A key that looks like a misspelled known field
    /// marks that field invalid (under `prefix`), so rules about missing fields stay quiet.
    fn unknown_keys(&mut self, fields: &Fields<'_>, known: &[&str], section: Section) {
        for (i, (key, _)) in fields.entries.iter().enumerate() {
            if fields.used[i] || known.contains(&fields.names[i]) {
                continue;
            }
            // named only when a key is unknown (most sections have none)
            let prefix = section.prefix();
            let context = section.name(self.lang);
            let message = self.t(
                format!("unknown field `{}` in {context}", key.name),
                format!("champ inconnu `{}` dans {context}", key.name),
            );
            let mut d =
                Diagnostic::new(RuleId::MF002, Severity::Error, self.file, message).at(key.span);
            d = match vocab::suggest(&key.name, known.iter().copied()) {
                Some(s) => {
                    self.invalid.push(format!("{prefix}{s}"));
                    d.label(self.t(
                        format!("did you mean `{s}`?"),
                        format!("vouliez-vous dire `{s}` ?"),
                    ))
                    .help(self.t(
                        format!("rename the key to `{s}`"),
                        format!("renommez la clé en `{s}`"),
                    ))
                }
                None => d
                    .label(self.t(
                        "not part of the manifest format",
                        "ne fait pas partie du format de manifeste",
                    ))
                    .note(self.t(
                        format!("expected one of: {}", known.join(", ")),
                        format!("clés possibles : {}", known.join(", ")),
                    )),
            };
            self.push(d);
        }
    }

    fn map<'n>(&mut self, path: &'static str, node: &'n Node) -> Option<Fields<'n>> {
        match &node.value {
            Value::Map(entries) => Some(Fields::new(entries)),
            _ => {
                self.wrong_type(path, node, ("a mapping", "un dictionnaire"));
                None
            }
        }
    }

    /// A `TODO…` value left by `ropa init` (or by hand): reported, and treated as absent.
    fn placeholder(&mut self, path: &'static str, node: &Node) -> bool {
        let Value::Str(s) = &node.value else {
            return false;
        };
        if !is_placeholder(s) {
            return false;
        }
        let message = self.t(
            format!("`{}` is a placeholder to fill in", leaf(path)),
            format!("`{}` est une valeur à compléter", leaf(path)),
        );
        let label = self.t(
            "replace this placeholder",
            "remplacez cette valeur provisoire",
        );
        let d = self.invalid_value(path, node.span, message, &label).help(
            s.trim_start_matches("TODO")
                .trim_start_matches([':', ' '])
                .to_string(),
        );
        self.push(d);
        true
    }

    fn string(&mut self, path: &'static str, node: &Node) -> Option<Sp<Text>> {
        if self.placeholder(path, node) {
            return None;
        }
        match &node.value {
            Value::Str(s) if !s.trim().is_empty() => Some(Sp {
                // shared with the tree, not copied: inline up to 23 bytes, counted past that
                value: s.clone(),
                span: node.span,
            }),
            Value::Str(_) => {
                let message = self.t(
                    format!("`{}` must not be blank", leaf(path)),
                    format!("`{}` ne doit pas être vide", leaf(path)),
                );
                let label = self.t("blank text", "texte vide");
                let d = self.invalid_value(path, node.span, message, &label);
                self.push(d);
                None
            }
            _ => {
                self.wrong_type(path, node, ("a string", "du texte"));
                None
            }
        }
    }

    fn opt_string(&mut self, f: &mut Fields<'_>, path: &'static str) -> Option<Sp<Text>> {
        let (_, v) = f.get(leaf(path))?;
        self.string(path, v)
    }

    fn list<'n>(&mut self, path: &'static str, node: &'n Node) -> &'n [Node] {
        match &node.value {
            Value::Seq(items) => items,
            _ => {
                self.wrong_type(path, node, ("a list", "une liste"));
                &[]
            }
        }
    }

    fn string_list(&mut self, path: &'static str, node: &Node) -> Vec<Sp<Text>> {
        let items = self.list(path, node);
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            if let Some(s) = self.string(path, item) {
                out.push(s);
            }
        }
        out
    }

    fn term<V: Vocabulary>(&mut self, path: &'static str, node: &Node) -> Option<Sp<V>> {
        if self.placeholder(path, node) {
            return None;
        }
        let Value::Str(s) = &node.value else {
            let (en, fr) = (
                format!("a {}", V::WHAT),
                format!("une valeur de type {}", V::WHAT_FR),
            );
            self.wrong_type(path, node, (&en, &fr));
            return None;
        };
        if let Some(v) = V::parse(s) {
            return Some(Sp {
                value: v,
                span: node.span,
            });
        }
        let message = self.t(
            format!("`{s}` is not a known {}", V::WHAT),
            format!("`{s}` n'est pas une valeur connue ({})", V::WHAT_FR),
        );
        let label = self.t(
            format!("unknown {}", V::WHAT),
            format!("{} inconnue", V::WHAT_FR),
        );
        let mut d = self.invalid_value(path, node.span, message, &label);
        d = match V::suggest(s) {
            Some(t) => d.help(self.t(
                format!("did you mean `{t}`?"),
                format!("vouliez-vous dire `{t}` ?"),
            )),
            None => d.help(self.t(
                format!("use one of: {}", V::tokens().join(", ")),
                format!("valeurs possibles : {}", V::tokens().join(", ")),
            )),
        };
        self.push(d);
        None
    }

    fn term_list<V: Vocabulary>(&mut self, path: &'static str, node: &Node) -> Vec<Sp<V>> {
        let mut out = Vec::new();
        for item in self.list(path, node) {
            if let Some(v) = self.term(path, item) {
                out.push(v);
            }
        }
        out
    }

    fn duration(&mut self, path: &'static str, node: &Node) -> Option<Sp<Duration>> {
        if self.placeholder(path, node) {
            return None;
        }
        let text = match &node.value {
            Value::Str(s) => s.clone(),
            Value::Int(n) => {
                let message = self.t(
                    format!("`{}` needs a unit: `{n}` of what?", leaf(path)),
                    format!("`{}` doit avoir une unité : `{n}` quoi ?", leaf(path)),
                );
                let label = self.t("a number without a unit", "un nombre sans unité");
                let help = self.t(
                    format!("write `{n} years`, `{n} months` or `{n} days`"),
                    format!("écrivez `{n} ans`, `{n} mois` ou `{n} jours`"),
                );
                let d = self
                    .invalid_value(path, node.span, message, &label)
                    .help(help);
                self.push(d);
                return None;
            }
            _ => {
                self.wrong_type(
                    path,
                    node,
                    ("a duration such as `3 years`", "une durée comme `3 ans`"),
                );
                return None;
            }
        };
        match Duration::parse(&text) {
            Some(d) => Some(Sp {
                value: d,
                span: node.span,
            }),
            None => {
                let t = text.trim();
                let message = self.t(
                    format!("`{t}` is not a duration"),
                    format!("`{t}` n'est pas une durée"),
                );
                let label = self.t("not a duration", "pas une durée");
                let help = self.t(
                    "write a number and a unit (`3 years`, `36 months`, `1 year 6 months`, `6 mois`) or an ISO 8601 duration (`P3Y`, `P1Y6M`)",
                    "écrivez un nombre et une unité (`3 ans`, `36 mois`, `1 an 6 mois`, `3 years`) ou une durée ISO 8601 (`P3Y`, `P1Y6M`)",
                );
                let d = self
                    .invalid_value(path, node.span, message, &label)
                    .help(help);
                self.push(d);
                None
            }
        }
    }

    fn manifest(&mut self, root: &Node) -> Manifest {
        let Value::Map(entries) = &root.value else {
            let message = if root.value == Value::Null {
                self.t("the manifest is empty", "le manifeste est vide")
            } else {
                let kind = root.value.kind_in(self.lang);
                self.t(
                    format!("a manifest must be a mapping, found {kind}"),
                    format!("un manifeste doit être un dictionnaire, pas {kind}"),
                )
            };
            // an empty (or comments-only) file is pointed at from its start
            let at = if root.value == Value::Null {
                0
            } else {
                root.span.start
            };
            let d = Diagnostic::new(RuleId::MF003, Severity::Error, self.file, message)
                .at(Span::new(at, at))
                .label(self.t(
                    "expected `version: 1` and `activities:`",
                    "`version: 1` et `activities:` attendus",
                ))
                .help(self.t(
                    "start from `ropa init`, or see the manifest format in the README",
                    "partez de `ropa init`, ou voyez le format du manifeste dans le README",
                ));
            self.push(d);
            return Manifest::default();
        };
        let mut f = Fields::new(entries);
        // unknown keys first: a misspelled required key is then not also reported missing
        self.unknown_keys(&f, TOP_FIELDS, Section::Manifest);
        let top = Span::new(root.span.start, root.span.start);
        match f.get("version") {
            None => self.missing(
                "version",
                f.key("version").map_or(top, |k| k.span),
                Section::Manifest,
                "1",
            ),
            Some((_, v)) if v.value == Value::Int(1) => {}
            Some((_, v)) => {
                let found = yaml_text(v, self.lang);
                let message = self.t(
                    format!("unsupported manifest version: expected `1`, found {found}"),
                    format!("version de manifeste non prise en charge : `1` attendu, pas {found}"),
                );
                let label = self.t(
                    "this ropa reads manifest format version 1",
                    "cette version de ropa lit le format de manifeste version 1",
                );
                let d = self.invalid_value("version", v.span, message, &label);
                self.push(d);
            }
        }
        let mut activities = Vec::new();
        match f.get("activities") {
            None => self.missing(
                "activities",
                f.key("activities").map_or(top, |k| k.span),
                Section::Manifest,
                "[…]",
            ),
            Some((key, v)) => {
                let items = self.list("activities", v);
                if items.is_empty() && matches!(v.value, Value::Seq(_)) {
                    let message = self.t(
                        "`activities` is empty: a manifest declares at least one activity",
                        "`activities` est vide : un manifeste déclare au moins une activité",
                    );
                    let label = self.t("no activity here", "aucune activité ici");
                    let d = self.invalid_value("activities", key.span, message, &label);
                    self.push(d);
                }
                if let Some(extra) = items.get(MAX_ACTIVITIES) {
                    let (n, max) = (items.len(), MAX_ACTIVITIES);
                    let message = self.t(
                        format!("{n} activities in one manifest: at most {max} are read, the rest are not checked"),
                        format!("{n} activités dans un manifeste : {max} au plus sont lues, les autres ne sont pas vérifiées"),
                    );
                    let label = self.t(
                        "activities from here on are not read",
                        "les activités à partir d'ici ne sont pas lues",
                    );
                    let d = self
                        .invalid_value("activities", extra.span, message, &label)
                        .help(self.t(
                            "split the file: one manifest per service or team",
                            "séparez le fichier : un manifeste par service ou par équipe",
                        ));
                    self.push(d);
                }
                for (index, item) in items.iter().take(MAX_ACTIVITIES).enumerate() {
                    if let Some(a) = self.activity(index, item) {
                        activities.push(a);
                    }
                }
            }
        }
        Manifest {
            activities,
            fides: false,
        }
    }

    fn activity(&mut self, index: usize, node: &Node) -> Option<Activity> {
        let Value::Map(entries) = &node.value else {
            self.wrong_type(
                "activities",
                node,
                ("a mapping (one activity)", "un dictionnaire (une activité)"),
            );
            return None;
        };
        let mut f = Fields::new(entries);
        let head = entries.first().map_or(node.span, |(k, _)| k.span);
        self.invalid.clear();
        self.activity = Some((index, None));
        self.unknown_keys(&f, ACTIVITY_FIELDS, Section::Activity);
        let mut a = Activity {
            index,
            span: node.span,
            head,
            ..Activity::default()
        };

        // the id first, so that every other diagnostic can name the activity
        match f.get("id") {
            None => self.missing(
                "id",
                f.key("id").map_or(head, |k| k.span),
                Section::Activity,
                "my-activity",
            ),
            Some((_, v)) => {
                if let Some(id) = self.string("id", v) {
                    if valid_id(&id.value) {
                        self.activity = Some((index, Some(id.value.to_string())));
                        a.id = Some(id);
                    } else {
                        let message = self.t(
                            format!("activity id `{}` must match [a-z0-9][a-z0-9-]*", id.value),
                            format!(
                                "l'identifiant d'activité `{}` doit respecter [a-z0-9][a-z0-9-]*",
                                id.value
                            ),
                        );
                        let label = self.t(
                            "lowercase letters, digits and `-` only",
                            "minuscules, chiffres et `-` seulement",
                        );
                        let help = self.t(
                            format!("use `{}`", slug(&id.value)),
                            format!("utilisez `{}`", slug(&id.value)),
                        );
                        let d = self
                            .invalid_value("id", id.span, message, &label)
                            .help(help);
                        self.push(d);
                    }
                }
            }
        }
        for (field, example) in [("name", "\"…\""), ("purpose", "customer-management")] {
            match f.get(field) {
                None => self.missing(
                    field,
                    f.key(field).map_or(head, |k| k.span),
                    Section::Activity,
                    example,
                ),
                Some((_, v)) => {
                    let path = if field == "name" { "name" } else { "purpose" };
                    let s = self.string(path, v);
                    if field == "name" {
                        a.name = s;
                    } else {
                        a.purpose = s;
                    }
                }
            }
        }
        a.description = self.opt_string(&mut f, "description");
        if let Some((k, v)) = f.get("controller")
            && let Some(mut c) = self.map("controller", v)
        {
            a.controller = Some(Controller {
                key: k.span,
                name: self.opt_string(&mut c, "controller.name"),
                contact: self.opt_string(&mut c, "controller.contact"),
            });
            self.unknown_keys(&c, &["name", "contact"], Section::Named("controller"));
        }
        match f.get("legal_basis") {
            None => self.missing(
                "legal_basis",
                f.key("legal_basis").map_or(head, |k| k.span),
                Section::Activity,
                "legitimate-interests",
            ),
            Some((_, v)) => a.legal_basis = self.term("legal_basis", v),
        }
        if let Some((k, v)) = f.get("legitimate_interests")
            && let Some(mut m) = self.map("legitimate_interests", v)
        {
            a.legitimate_interests = Some(LegitimateInterests {
                key: k.span,
                interest: self.opt_string(&mut m, "legitimate_interests.interest"),
                balancing_test: self.opt_string(&mut m, "legitimate_interests.balancing_test"),
            });
            self.unknown_keys(
                &m,
                &["interest", "balancing_test"],
                Section::Named("legitimate_interests"),
            );
        }
        if let Some((k, v)) = f.get("consent")
            && let Some(mut m) = self.map("consent", v)
        {
            a.consent = Some(Consent {
                key: k.span,
                collection: self.opt_string(&mut m, "consent.collection"),
                withdrawal: self.opt_string(&mut m, "consent.withdrawal"),
            });
            self.unknown_keys(&m, &["collection", "withdrawal"], Section::Named("consent"));
        }
        if let Some((k, v)) = f.get("legal_obligation")
            && let Some(mut m) = self.map("legal_obligation", v)
        {
            a.legal_obligation = Some(LegalObligation {
                key: k.span,
                reference: self.opt_string(&mut m, "legal_obligation.reference"),
            });
            self.unknown_keys(&m, &["reference"], Section::Named("legal_obligation"));
        }
        for field in ["data_subjects", "data_categories"] {
            let path = if field == "data_subjects" {
                "data_subjects"
            } else {
                "data_categories"
            };
            let values = match f.get(field) {
                None => {
                    self.missing(
                        field,
                        f.key(field).map_or(head, |k| k.span),
                        Section::Activity,
                        "[…]",
                    );
                    Vec::new()
                }
                Some((k, v)) => {
                    let values = self.string_list(path, v);
                    if matches!(&v.value, Value::Seq(items) if items.is_empty()) {
                        let message = self.t(
                            format!("`{field}` must list at least one entry"),
                            format!("`{field}` doit contenir au moins une entrée"),
                        );
                        let label = self.t("empty list", "liste vide");
                        let d = self.invalid_value(path, k.span, message, &label);
                        self.push(d);
                    }
                    values
                }
            };
            if field == "data_subjects" {
                a.data_subjects = values;
            } else {
                a.data_categories = values;
            }
        }
        if let Some((_, v)) = f.get("special_categories") {
            a.special_categories = self.term_list("special_categories", v);
        }
        if let Some((_, v)) = f.get("special_category_condition") {
            a.special_category_condition = self.term("special_category_condition", v);
        }
        if let Some((k, v)) = f.get("dpia") {
            if let Some(mut m) = self.map("dpia", v) {
                let required = match m.get("required") {
                    Some((_, v)) => {
                        match v.value {
                            Value::Bool(b) => Some(Sp {
                                value: b,
                                span: v.span,
                            }),
                            Value::Str(ref s)
                                if matches!(
                                    s.to_lowercase().as_str(),
                                    "yes" | "no" | "y" | "n" | "on" | "off" | "oui" | "non"
                                ) =>
                            {
                                let message = self.t(
                                format!("`required` must be `true` or `false`, found the string `{s}`"),
                                format!("`required` doit valoir `true` ou `false`, pas le texte `{s}`"),
                            );
                                let label = self
                                    .t("expected `true` or `false`", "`true` ou `false` attendu");
                                let help = self.t(
                                "YAML 1.2 reads `yes`, `no`, `on` and `off` as text: write `true` or `false`",
                                "YAML 1.2 lit `yes`, `no`, `on`, `off` (et `oui`, `non`) comme du texte : écrivez `true` ou `false`",
                            );
                                let d = self
                                    .invalid_value("dpia.required", v.span, message, &label)
                                    .help(help);
                                self.push(d);
                                None
                            }
                            _ => {
                                self.wrong_type(
                                    "dpia.required",
                                    v,
                                    ("`true` or `false`", "`true` ou `false`"),
                                );
                                None
                            }
                        }
                    }
                    None => None,
                };
                let reference = self.opt_string(&mut m, "dpia.reference");
                let criteria = match m.get("criteria") {
                    Some((_, v)) => self.term_list("dpia.criteria", v),
                    None => Vec::new(),
                };
                a.dpia = Some(Dpia {
                    key: k.span,
                    required,
                    reference,
                    criteria,
                });
                self.unknown_keys(
                    &m,
                    &["required", "reference", "criteria"],
                    Section::Named("dpia"),
                );
            }
        } else if let Some(k) = f.key("dpia") {
            a.dpia = Some(Dpia {
                key: k.span,
                ..Dpia::default()
            });
        }
        if let Some((k, v)) = f.get("retention") {
            if let Some(mut m) = self.map("retention", v) {
                let active = m
                    .get("active")
                    .and_then(|(_, v)| self.duration("retention.active", v));
                let starts = m.get("starts").and_then(|(_, v)| {
                    self.string("retention.starts", v).map(|s| Sp {
                        value: (s.value.clone(), vocab::StartEvent::parse(&s.value)),
                        span: s.span,
                    })
                });
                let archive = m
                    .get("archive")
                    .and_then(|(_, v)| self.duration("retention.archive", v));
                let archive_reason = self.opt_string(&mut m, "retention.archive_reason");
                let then = m
                    .get("then")
                    .and_then(|(_, v)| self.term("retention.then", v));
                a.retention = Some(Retention {
                    key: k.span,
                    active,
                    starts,
                    archive,
                    archive_reason,
                    then,
                });
                self.unknown_keys(
                    &m,
                    &["active", "starts", "archive", "archive_reason", "then"],
                    Section::Named("retention"),
                );
            }
        } else if let Some(k) = f.key("retention") {
            a.retention = Some(Retention {
                key: k.span,
                ..Retention::default()
            });
        }
        if let Some((_, v)) = f.get("recipients") {
            a.recipients = self.string_list("recipients", v);
        }
        if let Some((_, v)) = f.get("transfers") {
            for item in self.list("transfers", v) {
                if let Some(t) = self.transfer(item) {
                    a.transfers.push(t);
                }
            }
        }
        if let Some((_, v)) = f.get("code") {
            a.code = self.string_list("code", v);
            a.code.retain(|glob| {
                let Some(e) = super::glob_error(&glob.value) else {
                    return true;
                };
                let message = self.t(
                    format!("`{}` is not a valid glob: {}", glob.value, e.kind()),
                    format!("`{}` n'est pas un motif valide : {}", glob.value, e.kind()),
                );
                let label = self.t("invalid glob", "motif invalide");
                let d = self.invalid_value("code", glob.span, message, &label).help(self.t(
                    "globs use `*`, `**`, `?`, `[abc]` and `{a,b}`; close every `[` and `{`",
                    "les motifs utilisent `*`, `**`, `?`, `[abc]` et `{a,b}` ; fermez chaque `[` et `{`",
                ));
                self.push(d);
                false
            });
        }
        if let Some((_, v)) = f.get("deviations") {
            for item in self.list("deviations", v) {
                if let Some(d) = self.deviation(item) {
                    a.deviations.push(d);
                }
            }
        }
        a.invalid = self.invalid.drain(..).collect();
        self.activity = None;
        Some(a)
    }

    fn transfer(&mut self, node: &Node) -> Option<Transfer> {
        let mut m = self.map("transfers", node)?;
        self.unknown_keys(
            &m,
            &["country", "safeguard", "description"],
            Section::Transfer,
        );
        let country = match m.get("country") {
            None => {
                let at = m.key("country").map_or(node.span, |k| k.span);
                self.missing("country", at, Section::Transfer, "US");
                None
            }
            Some((_, v)) => self
                .string("transfers.country", v)
                .and_then(|s| match vocab::country(&s.value) {
                    Some(code) => Some(Sp {
                        value: code,
                        span: s.span,
                    }),
                    None => {
                        let message = self.t(
                            format!("`{}` is not an ISO 3166 alpha-2 country code", s.value),
                            format!("`{}` n'est pas un code pays ISO 3166 alpha-2", s.value),
                        );
                        let label = self.t(
                            "expected a two-letter country code",
                            "code pays à deux lettres attendu",
                        );
                        let help = self.t(
                            "write the country as its ISO 3166 code, e.g. `US`, `GB`, `IN`",
                            "écrivez le pays avec son code ISO 3166, par exemple `US`, `GB`, `IN`",
                        );
                        let d = self
                            .invalid_value("transfers.country", s.span, message, &label)
                            .help(help);
                        self.push(d);
                        None
                    }
                }),
        };
        let safeguard = m
            .get("safeguard")
            .and_then(|(_, v)| self.term("transfers.safeguard", v));
        let description = self.opt_string(&mut m, "transfers.description");
        if safeguard
            .as_ref()
            .is_some_and(|s| s.value == vocab::Safeguard::Other)
            && description.is_none()
        {
            let at = m.key("safeguard").map_or(node.span, |k| k.span);
            self.missing("description", at, Section::Transfer, "\"…\"");
        }
        Some(Transfer {
            span: node.span,
            country,
            safeguard,
            description,
        })
    }

    fn deviation(&mut self, node: &Node) -> Option<Deviation> {
        let mut m = self.map("deviations", node)?;
        self.unknown_keys(
            &m,
            &["rule", "justification", "approved_by"],
            Section::Deviation,
        );
        let rule = match m.get("rule") {
            None => {
                let at = m.key("rule").map_or(node.span, |k| k.span);
                self.missing("rule", at, Section::Deviation, "LB001");
                None
            }
            Some((_, v)) => {
                self.string("deviations.rule", v)
                    .and_then(|s| match RuleId::from_code(&s.value) {
                        Some(r) => Some(Sp {
                            value: r,
                            span: s.span,
                        }),
                        None => {
                            let message = self.t(
                                format!("`{}` is not a rule code", s.value),
                                format!("`{}` n'est pas un code de règle", s.value),
                            );
                            let label = self.t("unknown rule", "règle inconnue");
                            let mut d =
                                self.invalid_value("deviations.rule", s.span, message, &label);
                            let help = match vocab::suggest(
                                &s.value,
                                RuleId::ALL.iter().map(|r| r.as_str()),
                            ) {
                                Some(c) => self.t(
                                    format!("did you mean `{c}`?"),
                                    format!("vouliez-vous dire `{c}` ?"),
                                ),
                                None => self.t(
                                    "`ropa explain` lists the rule codes",
                                    "`ropa explain` liste les codes de règle",
                                ),
                            };
                            d = d.help(help);
                            self.push(d);
                            None
                        }
                    })
            }
        };
        let justification = match m.get("justification") {
            None => {
                let at = m.key("justification").map_or(node.span, |k| k.span);
                self.missing("justification", at, Section::Deviation, "\"…\"");
                None
            }
            Some((_, v)) => self.string("deviations.justification", v),
        };
        let approved_by = self.opt_string(&mut m, "deviations.approved_by");
        Some(Deviation {
            span: node.span,
            rule,
            justification,
            approved_by,
        })
    }
}

/// Whether a value is a placeholder: it starts with `TODO`.
pub fn is_placeholder(s: &str) -> bool {
    s.trim_start().starts_with("TODO")
}

/// The last segment of a dotted field path (asked of every field of every activity: found with
/// memchr, not a string splitter).
fn leaf(path: &str) -> &str {
    memchr::memrchr(b'.', path.as_bytes()).map_or(path, |dot| &path[dot + 1..])
}

fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A valid id close to an invalid one.
fn slug(id: &str) -> String {
    let folded: String = id
        .chars()
        .map(|c| {
            let f = vocab::fold(&c.to_string());
            if f.is_empty() {
                "-".to_string()
            } else {
                f.into()
            }
        })
        .collect();
    let mut out = String::new();
    for part in folded.split('-').filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(part);
    }
    if out.is_empty() {
        "activity".into()
    } else {
        out
    }
}

fn yaml_text(node: &Node, lang: Lang) -> String {
    match &node.value {
        Value::Str(s) => format!("`{s}`"),
        Value::Int(i) => format!("`{i}`"),
        Value::Float(f) => format!("`{f}`"),
        Value::Bool(b) => format!("`{b}`"),
        other => other.kind_in(lang).to_string(),
    }
}

/// Where in a manifest a key is, for messages and for marking misspelled fields.
#[derive(Clone, Copy)]
enum Section {
    Manifest,
    Activity,
    /// A named block of an activity (`dpia`, `retention`…).
    Named(&'static str),
    Transfer,
    Deviation,
}

impl Section {
    fn name(self, lang: Lang) -> String {
        match self {
            Section::Manifest => i18n::t(lang, "the manifest", "le manifeste"),
            Section::Activity => i18n::t(lang, "an activity", "une activité"),
            Section::Named(n) => format!("`{n}`"),
            Section::Transfer => i18n::t(lang, "a transfer", "un transfert"),
            Section::Deviation => i18n::t(lang, "a deviation", "une dérogation"),
        }
    }

    /// The dotted prefix of the section's fields in `Activity::invalid`.
    fn prefix(self) -> String {
        match self {
            Section::Named(n) => format!("{n}."),
            Section::Manifest | Section::Activity | Section::Transfer | Section::Deviation => {
                String::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// [`super::leaf`] gives what follows the last dot, as splitting from the end would.
    #[test]
    fn a_leaf_is_what_follows_the_last_dot() {
        for path in [
            "a.b.c",
            "a",
            "a.",
            ".a",
            "",
            "..",
            "activities.0.dpia",
            "é.ü",
        ] {
            let by_split = path.rsplit('.').next().unwrap_or(path);
            assert_eq!(super::leaf(path), by_split, "{path:?}");
        }
    }
}
