//! Builds the typed manifest from the YAML node tree, collecting every structural problem
//! (MF002 unknown field, MF003 missing field, MF004 invalid value) instead of stopping at the first.

use super::duration::Duration;
use super::model::*;
use super::vocab::{self, Vocabulary};
use crate::diag::{Diagnostic, Severity};
use crate::rules;
use crate::source::{Source, Span};
use crate::yaml::{self, Key, Node, Value};

const TOP_FIELDS: &[&str] = &["version", "activities"];
const ACTIVITY_FIELDS: &[&str] = &[
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

/// The outcome of reading one manifest file.
pub struct Parsed {
    pub manifest: Manifest,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads a manifest. Never fails: every problem is a diagnostic.
pub fn parse(source: &Source, file: usize) -> Parsed {
    let mut b = Builder {
        file,
        diags: Vec::new(),
        activity: None,
        invalid: Vec::new(),
    };
    let manifest = match yaml::parse(source) {
        Ok(root) => b.manifest(&root),
        Err(err) => {
            let mut d = Diagnostic::new(
                rules::MF001,
                Severity::Error,
                file,
                format!("invalid YAML: {}", err.message),
            )
            .at(err.span)
            .label("the YAML parser stopped here");
            if err.message.contains("mapping values are not allowed") {
                d = d.help("a value that contains `: ` must be quoted, e.g. `name: \"Gestion de clientèle : fiche client\"`");
            } else if err.message.contains("tab") {
                d = d.help("YAML indentation uses spaces, not tabs");
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
    used: Vec<bool>,
}

impl<'n> Fields<'n> {
    fn new(entries: &'n [(Key, Node)]) -> Self {
        Self {
            entries,
            used: vec![false; entries.len()],
        }
    }

    /// The key and value of a field; an empty value (`key:` or `key: ~`) counts as absent.
    fn get(&mut self, name: &str) -> Option<(&'n Key, &'n Node)> {
        let i = self.entries.iter().position(|(k, _)| k.name == name)?;
        self.used[i] = true;
        let (k, v) = &self.entries[i];
        (v.value != Value::Null).then_some((k, v))
    }

    /// The key of a field that is present, even with an empty value.
    fn key(&self, name: &str) -> Option<&'n Key> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(k, _)| k)
    }
}

struct Builder {
    file: usize,
    diags: Vec<Diagnostic>,
    /// The activity being read (index and id), attached to its diagnostics.
    activity: Option<(usize, Option<String>)>,
    invalid: Vec<String>,
}

impl Builder {
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
        Diagnostic::new(rules::MF004, Severity::Error, self.file, message)
            .at(span)
            .label(label.to_string())
    }

    fn wrong_type(&mut self, path: &'static str, node: &Node, expected: &str) {
        let d = self.invalid_value(
            path,
            node.span,
            format!(
                "`{}` must be {expected}, found {}",
                leaf(path),
                node.value.kind()
            ),
            &format!("expected {expected}"),
        );
        self.push(d);
    }

    fn missing(&mut self, field: &str, at: Span, parent: &str, example: &str) {
        if self.invalid.iter().any(|p| p == field) {
            // a misspelled key already reported by MF002 with this field as its suggestion
            return;
        }
        let d = Diagnostic::new(
            rules::MF003,
            Severity::Error,
            self.file,
            format!("missing required field `{field}` in {parent}"),
        )
        .at(at)
        .label(format!("`{field}` is required here"))
        .help(format!("add `{field}: {example}`"));
        self.push(d);
    }

    /// Reports keys that are not in `known`. A key that looks like a misspelled known field
    /// marks that field invalid (under `prefix`), so rules about missing fields stay quiet.
    fn unknown_keys(&mut self, fields: &Fields<'_>, known: &[&str], context: &str) {
        let prefix = match context {
            "`retention`" => "retention.",
            "`dpia`" => "dpia.",
            "`consent`" => "consent.",
            "`legitimate_interests`" => "legitimate_interests.",
            "`legal_obligation`" => "legal_obligation.",
            _ => "",
        };
        for (i, (key, _)) in fields.entries.iter().enumerate() {
            if fields.used[i] || known.contains(&key.name.as_str()) {
                continue;
            }
            let mut d = Diagnostic::new(
                rules::MF002,
                Severity::Error,
                self.file,
                format!("unknown field `{}` in {context}", key.name),
            )
            .at(key.span);
            d = match vocab::suggest(&key.name, known.iter().copied()) {
                Some(s) => {
                    self.invalid.push(format!("{prefix}{s}"));
                    d.label(format!("did you mean `{s}`?"))
                        .help(format!("rename the key to `{s}`"))
                }
                None => d
                    .label("not part of the manifest format")
                    .note(format!("expected one of: {}", known.join(", "))),
            };
            self.push(d);
        }
    }

    fn map<'n>(&mut self, path: &'static str, node: &'n Node) -> Option<Fields<'n>> {
        match &node.value {
            Value::Map(entries) => Some(Fields::new(entries)),
            _ => {
                self.wrong_type(path, node, "a mapping");
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
        let d = self
            .invalid_value(
                path,
                node.span,
                format!("`{}` is a placeholder to fill in", leaf(path)),
                "replace this placeholder",
            )
            .help(
                s.trim_start_matches("TODO")
                    .trim_start_matches([':', ' '])
                    .to_string(),
            );
        self.push(d);
        true
    }

    fn string(&mut self, path: &'static str, node: &Node) -> Option<Sp<String>> {
        if self.placeholder(path, node) {
            return None;
        }
        match &node.value {
            Value::Str(s) if !s.trim().is_empty() => Some(Sp {
                value: s.clone(),
                span: node.span,
            }),
            Value::Str(_) => {
                let d = self.invalid_value(
                    path,
                    node.span,
                    format!("`{}` must not be blank", leaf(path)),
                    "blank text",
                );
                self.push(d);
                None
            }
            _ => {
                self.wrong_type(path, node, "a string");
                None
            }
        }
    }

    fn opt_string(&mut self, f: &mut Fields<'_>, path: &'static str) -> Option<Sp<String>> {
        let (_, v) = f.get(leaf(path))?;
        self.string(path, v)
    }

    fn list<'n>(&mut self, path: &'static str, node: &'n Node) -> &'n [Node] {
        match &node.value {
            Value::Seq(items) => items,
            _ => {
                self.wrong_type(path, node, "a list");
                &[]
            }
        }
    }

    fn string_list(&mut self, path: &'static str, node: &Node) -> Vec<Sp<String>> {
        let mut out = Vec::new();
        for item in self.list(path, node) {
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
            let expected = format!("a {}", V::WHAT);
            self.wrong_type(path, node, &expected);
            return None;
        };
        if let Some(v) = V::parse(s) {
            return Some(Sp {
                value: v,
                span: node.span,
            });
        }
        let mut d = self.invalid_value(
            path,
            node.span,
            format!("`{s}` is not a known {}", V::WHAT),
            &format!("unknown {}", V::WHAT),
        );
        d = match V::suggest(s) {
            Some(t) => d.help(format!("did you mean `{t}`?")),
            None => d.help(format!("use one of: {}", V::tokens().join(", "))),
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
                let d = self
                    .invalid_value(
                        path,
                        node.span,
                        format!("`{}` needs a unit: `{n}` of what?", leaf(path)),
                        "a number without a unit",
                    )
                    .help(format!("write `{n} years`, `{n} months` or `{n} days`"));
                self.push(d);
                return None;
            }
            _ => {
                self.wrong_type(path, node, "a duration such as `3 years`");
                return None;
            }
        };
        match Duration::parse(&text) {
            Ok(d) => Some(Sp {
                value: d,
                span: node.span,
            }),
            Err(msg) => {
                let d = self
                    .invalid_value(path, node.span, msg, "not a duration")
                    .help("write a number and a unit (`3 years`, `6 mois`, `30 days`) or an ISO 8601 duration (`P3Y`)");
                self.push(d);
                None
            }
        }
    }

    fn manifest(&mut self, root: &Node) -> Manifest {
        let Value::Map(entries) = &root.value else {
            let (message, label) = if root.value == Value::Null {
                (
                    "the manifest is empty".to_string(),
                    "expected `version: 1` and `activities:`",
                )
            } else {
                (
                    format!("a manifest must be a mapping, found {}", root.value.kind()),
                    "expected `version: 1` and `activities:`",
                )
            };
            let d = Diagnostic::new(rules::MF003, Severity::Error, self.file, message)
                .at(Span::new(root.span.start, root.span.start))
                .label(label)
                .help("start from `ropa init`, or see the manifest format in the README");
            self.push(d);
            return Manifest::default();
        };
        let mut f = Fields::new(entries);
        // unknown keys first: a misspelled required key is then not also reported missing
        self.unknown_keys(&f, TOP_FIELDS, "the manifest");
        let top = Span::new(root.span.start, root.span.start);
        match f.get("version") {
            None => self.missing(
                "version",
                f.key("version").map_or(top, |k| k.span),
                "the manifest",
                "1",
            ),
            Some((_, v)) if v.value == Value::Int(1) => {}
            Some((_, v)) => {
                let d = self.invalid_value(
                    "version",
                    v.span,
                    format!(
                        "unsupported manifest version: expected `1`, found {}",
                        yaml_text(v)
                    ),
                    "this ropa reads manifest format version 1",
                );
                self.push(d);
            }
        }
        let mut activities = Vec::new();
        match f.get("activities") {
            None => self.missing(
                "activities",
                f.key("activities").map_or(top, |k| k.span),
                "the manifest",
                "[…]",
            ),
            Some((key, v)) => {
                let items = self.list("activities", v);
                if items.is_empty() && matches!(v.value, Value::Seq(_)) {
                    let d = self.invalid_value(
                        "activities",
                        key.span,
                        "`activities` is empty: a manifest declares at least one activity".into(),
                        "no activity here",
                    );
                    self.push(d);
                }
                for (index, item) in items.iter().enumerate() {
                    if let Some(a) = self.activity(index, item) {
                        activities.push(a);
                    }
                }
            }
        }
        Manifest { activities }
    }

    fn activity(&mut self, index: usize, node: &Node) -> Option<Activity> {
        let Value::Map(entries) = &node.value else {
            self.wrong_type("activities", node, "a mapping (one activity)");
            return None;
        };
        let mut f = Fields::new(entries);
        let head = entries.first().map_or(node.span, |(k, _)| k.span);
        self.invalid.clear();
        self.activity = Some((index, None));
        self.unknown_keys(&f, ACTIVITY_FIELDS, "an activity");
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
                "this activity",
                "my-activity",
            ),
            Some((_, v)) => {
                if let Some(id) = self.string("id", v) {
                    if valid_id(&id.value) {
                        self.activity = Some((index, Some(id.value.clone())));
                        a.id = Some(id);
                    } else {
                        let d = self
                            .invalid_value(
                                "id",
                                id.span,
                                format!("activity id `{}` must match [a-z0-9][a-z0-9-]*", id.value),
                                "lowercase letters, digits and `-` only",
                            )
                            .help(format!("use `{}`", slug(&id.value)));
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
                    "this activity",
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
            self.unknown_keys(&c, &["name", "contact"], "`controller`");
        }
        match f.get("legal_basis") {
            None => self.missing(
                "legal_basis",
                f.key("legal_basis").map_or(head, |k| k.span),
                "this activity",
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
                "`legitimate_interests`",
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
            self.unknown_keys(&m, &["collection", "withdrawal"], "`consent`");
        }
        if let Some((k, v)) = f.get("legal_obligation")
            && let Some(mut m) = self.map("legal_obligation", v)
        {
            a.legal_obligation = Some(LegalObligation {
                key: k.span,
                reference: self.opt_string(&mut m, "legal_obligation.reference"),
            });
            self.unknown_keys(&m, &["reference"], "`legal_obligation`");
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
                        "this activity",
                        "[…]",
                    );
                    Vec::new()
                }
                Some((k, v)) => {
                    let values = self.string_list(path, v);
                    if matches!(&v.value, Value::Seq(items) if items.is_empty()) {
                        let d = self.invalid_value(
                            path,
                            k.span,
                            format!("`{field}` must list at least one entry"),
                            "empty list",
                        );
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
                    Some((_, v)) => match v.value {
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
                            let d = self
                                .invalid_value(
                                    "dpia.required",
                                    v.span,
                                    format!("`required` must be `true` or `false`, found the string `{s}`"),
                                    "expected `true` or `false`",
                                )
                                .help("YAML 1.2 reads `yes`, `no`, `on` and `off` as text: write `true` or `false`");
                            self.push(d);
                            None
                        }
                        _ => {
                            self.wrong_type("dpia.required", v, "`true` or `false`");
                            None
                        }
                    },
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
                self.unknown_keys(&m, &["required", "reference", "criteria"], "`dpia`");
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
                    "`retention`",
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
        self.unknown_keys(&m, &["country", "safeguard", "description"], "a transfer");
        let country = match m.get("country") {
            None => {
                let at = m.key("country").map_or(node.span, |k| k.span);
                self.missing("country", at, "this transfer", "US");
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
                        let d = self
                            .invalid_value(
                                "transfers.country",
                                s.span,
                                format!("`{}` is not an ISO 3166 alpha-2 country code", s.value),
                                "expected a two-letter country code",
                            )
                            .help("write the country as its ISO 3166 code, e.g. `US`, `GB`, `IN`");
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
            self.missing(
                "description",
                at,
                "a transfer with `safeguard: other`",
                "\"…\"",
            );
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
        self.unknown_keys(&m, &["rule", "justification", "approved_by"], "a deviation");
        let rule = match m.get("rule") {
            None => {
                let at = m.key("rule").map_or(node.span, |k| k.span);
                self.missing("rule", at, "this deviation", "LB001");
                None
            }
            Some((_, v)) => {
                self.string("deviations.rule", v)
                    .and_then(|s| match rules::by_code(&s.value) {
                        Some(r) => Some(Sp {
                            value: r.code,
                            span: s.span,
                        }),
                        None => {
                            let mut d = self.invalid_value(
                                "deviations.rule",
                                s.span,
                                format!("`{}` is not a rule code", s.value),
                                "unknown rule",
                            );
                            d = match vocab::suggest(&s.value, rules::all().iter().map(|r| r.code))
                            {
                                Some(c) => d.help(format!("did you mean `{c}`?")),
                                None => d.help("`ropa explain` lists the rule codes"),
                            };
                            self.push(d);
                            None
                        }
                    })
            }
        };
        let justification = match m.get("justification") {
            None => {
                let at = m.key("justification").map_or(node.span, |k| k.span);
                self.missing(
                    "justification",
                    at,
                    "this deviation",
                    "\"why this activity departs\"",
                );
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

/// The last segment of a dotted field path.
fn leaf(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
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
            if f.is_empty() { "-".to_string() } else { f }
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

fn yaml_text(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => format!("`{s}`"),
        Value::Int(i) => format!("`{i}`"),
        Value::Float(f) => format!("`{f}`"),
        Value::Bool(b) => format!("`{b}`"),
        other => other.kind().to_string(),
    }
}
