//! JSON Schemas for editors and validators, generated from the same vocabularies and field lists
//! the parser uses: `manifest` (format v1), `config`, `catalog`, `report` (spec §6), `diff` and
//! `coverage`. The committed copies in `schemas/` are checked against these by a test.
//!
//! The manifest schema accepts exactly what ropa's parser accepts structurally (MF002–MF004):
//! vocabulary terms in any of their spellings (case, accents and punctuation ignored, as ropa
//! matches them), durations in every form ropa reads, and no `TODO` placeholders. Fields whose
//! absence has a rule of its own (`dpia`, `retention`: DP001, RT001) are not required here.

use serde_json::{Map, Value, json};

use crate::manifest::duration::{UNBOUNDED, UNIT_WORDS};
use crate::manifest::parse::{ACTIVITY_FIELDS, TOP_FIELDS};
use crate::manifest::vocab::{
    Art9Condition, DpiaCriterion, EndOfLife, LegalBasis, Safeguard, SpecialCategory, Vocabulary,
    fold,
};
use crate::rules;

/// The schemas ropa publishes, by name.
pub const NAMES: &[&str] = &[
    "manifest", "config", "catalog", "report", "diff", "coverage",
];

/// The file each schema is committed as, in `schemas/`.
pub fn file_name(name: &str) -> &'static str {
    match name {
        "manifest" => "processing.schema.json",
        "config" => "config.schema.json",
        "catalog" => "catalog.schema.json",
        "diff" => "diff.schema.json",
        "coverage" => "coverage.schema.json",
        _ => "report.schema.json",
    }
}

/// A schema by name, pretty-printed.
pub fn render(name: &str) -> Option<String> {
    let schema = match name {
        "manifest" => manifest(),
        "config" => config(),
        "catalog" => catalog(),
        "report" => report(),
        "diff" => diff(),
        "coverage" => coverage(),
        _ => return None,
    };
    Some(format!(
        "{}\n",
        serde_json::to_string_pretty(&schema).unwrap_or_default()
    ))
}

const ID_BASE: &str = "https://github.com/ropa-lint/ropa/blob/main/schemas/";

/// What counts as "not a letter or digit" when ropa folds a term (an approximation of Unicode
/// alphanumerics good for Latin scripts).
const SEP: &str = "[^0-9A-Za-zÀ-ÖØ-öø-ÿŒœÆæ]*";

/// A character class matching a folded character in any case and with any accent.
fn class(c: char) -> String {
    let variants = match c {
        'a' => "aAàáâäãåÀÁÂÄÃÅ",
        'c' => "cCçÇ",
        'e' => "eEéèêëÉÈÊË",
        'i' => "iIîïíìÎÏÍÌ",
        'o' => "oOôöóòõÔÖÓÒÕ",
        'u' => "uUûüúùÛÜÚÙ",
        'y' => "yYÿŸ",
        'n' => "nNñÑ",
        c if c.is_ascii_alphabetic() => {
            return format!("[{}{}]", c, c.to_ascii_uppercase());
        }
        c => return regex_escape(c),
    };
    format!("[{variants}]")
}

/// A literal character in an ECMA-262 (Unicode mode) pattern, outside a class.
fn regex_escape(c: char) -> String {
    if "\\^$.|?*+()[]{}/".contains(c) {
        format!("\\{c}")
    } else {
        c.to_string()
    }
}

/// A pattern matching the strings whose folded form is one of the words' folded forms.
fn folded_pattern<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let mut alternatives: Vec<String> = words
        .into_iter()
        .map(fold)
        .filter(|f| !f.is_empty())
        .map(|f| f.chars().map(|c| format!("{}{SEP}", class(c))).collect())
        .collect();
    alternatives.sort();
    alternatives.dedup();
    format!("^{SEP}({})$", alternatives.join("|"))
}

/// A case-insensitive pattern for a literal word.
fn ci(word: &str) -> String {
    word.chars()
        .map(|c| {
            if c.is_alphabetic() {
                let lower: String = c.to_lowercase().collect();
                let upper: String = c.to_uppercase().collect();
                if lower == upper {
                    c.to_string()
                } else {
                    format!("[{lower}{upper}]")
                }
            } else {
                regex_escape(c)
            }
        })
        .collect()
}

/// Text: a non-blank string that is not a `TODO` placeholder.
fn text(description: &str) -> Value {
    json!({
        "type": "string",
        "description": description,
        "pattern": "\\S",
        "not": {"pattern": "^\\s*TODO"},
    })
}

fn nullable(mut schema: Value) -> Value {
    if let Some(t) = schema.get("type").cloned() {
        schema["type"] = match t {
            Value::String(s) => json!([s, "null"]),
            other => other,
        };
    } else {
        schema = json!({"anyOf": [schema, {"type": "null"}]});
    }
    schema
}

/// A vocabulary term: the canonical tokens are offered as completions, every accepted spelling
/// validates.
fn term<V: Vocabulary>(description: &str) -> Value {
    let spellings = V::all()
        .iter()
        .flat_map(|v| std::iter::once(v.token()).chain(v.aliases().iter().copied()));
    json!({
        "description": description,
        "anyOf": [
            {"type": "string", "enum": V::tokens()},
            {"type": "string", "pattern": folded_pattern(spellings)},
        ],
        "examples": [V::tokens()[0]],
    })
}

fn duration(description: &str) -> Value {
    let mut units: Vec<String> = UNIT_WORDS.iter().map(|(w, _)| ci(w)).collect();
    // longest first, so that `years` is tried before `y`
    units.sort_by_key(|u| std::cmp::Reverse(u.len()));
    let unit = format!("(?:{})", units.join("|"));
    let amount = format!("\\d+\\s*{unit}");
    let sep = format!(
        "(?:\\s*,\\s*|\\s+(?:{}|{}|\\+)\\s+|\\s*\\+\\s*|\\s+)",
        ci("and"),
        ci("et")
    );
    let words = format!("{amount}(?:{sep}{amount})*");
    let iso = "[pP](?:\\d+[yYmMwWdD])+";
    let unbounded: Vec<String> = UNBOUNDED.iter().map(|w| ci(w)).collect();
    json!({
        "type": "string",
        "description": description,
        "pattern": format!("^\\s*(?:{words}|{iso}|{})\\s*$", unbounded.join("|")),
        "examples": ["3 years", "36 months", "1 year 6 months", "6 mois", "P3Y"],
    })
}

fn text_list(description: &str) -> Value {
    json!({
        "type": "array",
        "description": description,
        "minItems": 1,
        "items": text("an entry"),
    })
}

/// A closed object.
fn object(description: &str, properties: Value, required: &[&str]) -> Value {
    json!({
        "type": "object",
        "description": description,
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn countries() -> String {
    let mut codes: Vec<String> = crate::manifest::vocab::ISO_3166
        .split_ascii_whitespace()
        .chain(["UK", "EL"])
        .map(ci)
        .collect();
    codes.sort();
    format!("^\\s*({})\\s*$", codes.join("|"))
}

fn rule_pattern() -> String {
    let alternatives: Vec<String> = rules::all()
        .iter()
        .flat_map(|r| [ci(r.code), r.name.to_string()])
        .collect();
    format!("^\\s*({})\\s*$", alternatives.join("|"))
}

/// The description of every activity field, in the order of `ACTIVITY_FIELDS`.
fn activity_properties() -> Map<String, Value> {
    let mut p = Map::new();
    let mut put = |k: &str, v: Value| {
        p.insert(k.to_string(), v);
    };
    put(
        "id",
        json!({
            "type": "string",
            "description": "Unique across the repository: lowercase letters, digits and `-` (MF005).",
            "pattern": "^[a-z0-9][a-z0-9-]*$",
            "examples": ["customer-management"],
        }),
    );
    put(
        "name",
        text("What the activity is called in the record of processing activities."),
    );
    put(
        "purpose",
        json!({
            "type": "string",
            "description": "A catalog purpose: its id, French or English label, or an alias (`ropa catalog list`). An unknown purpose cannot be checked (MF006).",
            "pattern": "\\S",
            "not": {"pattern": "^\\s*TODO"},
            "examples": ["customer-management", "Gestion de clientèle : fiche client, courriers et relances"],
        }),
    );
    put("description", nullable(text("What the activity does.")));
    put(
        "controller",
        nullable(object(
            "The controller, for the art. 30 register (the configuration's `defaults:` can set it).",
            json!({
                "name": nullable(text("The controller's name.")),
                "contact": nullable(text("How to reach the controller or its DPO.")),
            }),
            &[],
        )),
    );
    put(
        "legal_basis",
        term::<LegalBasis>("The GDPR art. 6(1) legal basis: one per purpose (LB001)."),
    );
    put(
        "legitimate_interests",
        nullable(object(
            "Expected with legitimate interests (LB002).",
            json!({
                "interest": nullable(text("The interest pursued.")),
                "balancing_test": nullable(text("Path (relative to this file) or URL of the documented balancing test (RF001).")),
            }),
            &[],
        )),
    );
    put(
        "consent",
        nullable(object(
            "Expected with consent (LB003).",
            json!({
                "collection": nullable(text("How consent is collected.")),
                "withdrawal": nullable(text("How people withdraw their consent.")),
            }),
            &[],
        )),
    );
    put(
        "legal_obligation",
        nullable(object(
            "Expected with a legal obligation (LB004).",
            json!({"reference": nullable(text("The statute and article that impose the processing."))}),
            &[],
        )),
    );
    put(
        "data_subjects",
        text_list("Whose data: at least one category of people."),
    );
    put(
        "data_categories",
        text_list("Which data: at least one category."),
    );
    put(
        "special_categories",
        nullable(json!({
            "type": "array",
            "description": "GDPR art. 9 special categories and art. 10 criminal data (LB005, DP002, DP004).",
            "items": term::<SpecialCategory>("A special category."),
        })),
    );
    put(
        "special_category_condition",
        nullable(term::<Art9Condition>(
            "The art. 9(2) exception that lifts the ban (LB005).",
        )),
    );
    put(
        "dpia",
        nullable(object(
            "The DPIA (AIPD) decision; `required` is checked by DP001.",
            json!({
                "required": nullable(json!({"type": "boolean", "description": "Whether a DPIA is required (DP001, DP002, DP004). `yes`/`no` are text in YAML 1.2."})),
                "reference": nullable(text("Path or URL of the DPIA (DP003, RF001).")),
                "criteria": nullable(json!({
                    "type": "array",
                    "description": "The WP248 criteria the processing meets (DP004).",
                    "items": term::<DpiaCriterion>("A WP248 criterion."),
                })),
            }),
            &[],
        )),
    );
    put(
        "retention",
        nullable(object(
            "How long the data are kept; `active` is checked by RT001.",
            json!({
                "active": nullable(duration("Time in active use (RT001–RT004).")),
                "starts": nullable(text("The event that starts the clock, e.g. end-of-relationship, last-contact, collection.")),
                "archive": nullable(duration("Intermediate archive after the active period (RT005).")),
                "archive_reason": nullable(text("The legal obligation or proof the archive serves.")),
                "then": nullable(term::<EndOfLife>("What happens at the end: delete (default) or anonymise.")),
            }),
            &[],
        )),
    );
    put(
        "recipients",
        nullable(
            json!({"type": "array", "description": "Who receives the data.", "items": text("A recipient.")}),
        ),
    );
    let other = folded_pattern(
        std::iter::once(Safeguard::Other.token()).chain(Safeguard::Other.aliases().iter().copied()),
    );
    put(
        "transfers",
        nullable(json!({
            "type": "array",
            "description": "Transfers outside the EEA need a safeguard (TR001).",
            "items": {
                "type": "object",
                "properties": {
                    "country": {"type": "string", "description": "ISO 3166 alpha-2 country code.", "pattern": countries(), "examples": ["US"]},
                    "safeguard": nullable(term::<Safeguard>("adequacy, scc, bcr, derogation or other.")),
                    "description": nullable(text("The safeguard, when it is `other`.")),
                },
                "required": ["country"],
                "additionalProperties": false,
                "if": {"properties": {"safeguard": {"type": "string", "pattern": other}}, "required": ["safeguard"]},
                "then": {"required": ["description"], "properties": {"description": {"type": "string"}}},
            },
        })),
    );
    put(
        "code",
        nullable(
            json!({"type": "array", "description": "Globs, relative to this file, of the code the activity covers: one that does not compile is MF004, one that matches no file RF002.", "items": text("A glob.")}),
        ),
    );
    put(
        "deviations",
        nullable(json!({
            "type": "array",
            "description": "Documented departures from the catalog: the matching finding becomes a note (SP001 if it does not fire).",
            "items": object(
                "A deviation.",
                json!({
                    "rule": {"type": "string", "description": "The rule code, e.g. LB001.", "pattern": rule_pattern()},
                    "justification": text("Why the activity departs from the catalog."),
                    "approved_by": nullable(text("Who approved it.")),
                }),
                &["rule", "justification"],
            ),
        })),
    );
    p
}

/// The manifest schema (format v1).
pub fn manifest() -> Value {
    let properties = activity_properties();
    debug_assert_eq!(properties.len(), ACTIVITY_FIELDS.len());
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{ID_BASE}processing.schema.json"),
        "title": "ropa manifest (processing.yaml), format v1",
        "description": "A record of processing activities kept as code, checked by `ropa lint` against the CNIL's recommendations.",
        "type": "object",
        "properties": {
            "version": {"const": 1, "type": "integer", "description": "The manifest format version: 1."},
            "activities": {
                "type": "array",
                "description": "The processing activities.",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "description": "A processing activity.",
                    "properties": Value::Object(properties),
                    "required": ["id", "name", "purpose", "legal_basis", "data_subjects", "data_categories"],
                    "additionalProperties": false,
                },
            },
        },
        "required": TOP_FIELDS,
        "additionalProperties": false,
    })
}

/// The configuration schema (`ropa.yaml`).
pub fn config() -> Value {
    use crate::config::file::{FIELDS, Shape};
    let level = json!({"type": "string", "enum": ["error", "warning", "note", "off"]});
    let codes: Vec<String> = rules::all().iter().map(|r| ci(r.code)).collect();
    let rule_levels = |description: &str| {
        json!({
            "type": "object",
            "description": description,
            "propertyNames": {"pattern": format!("^({})$", codes.join("|"))},
            "additionalProperties": level,
        })
    };
    let mut properties = serde_json::Map::new();
    for f in FIELDS {
        let d = f.description;
        let schema = match f.shape {
            Shape::Strings => {
                json!({"type": "array", "description": d, "items": {"type": "string"}})
            }
            Shape::Word(words) => json!({"type": "string", "enum": words, "description": d}),
            Shape::PositiveInt => json!({"type": "integer", "minimum": 1, "description": d}),
            Shape::Levels => rule_levels(d),
            Shape::LevelsPerGlob => json!({
                "type": "object",
                "description": d,
                "additionalProperties": rule_levels("Rule code → level."),
            }),
            Shape::Diff => json!({
                "type": "object",
                "additionalProperties": false,
                "description": d,
                "properties": {
                    "levels": {
                        "type": "object",
                        "description": "Kind of change → level.",
                        "propertyNames": {"enum": crate::diff::Kind::ALL.iter().map(|k| k.name()).collect::<Vec<_>>()},
                        "additionalProperties": {"type": "string", "enum": ["review", "info", "none"]},
                    },
                    "always_report": {
                        "type": "array",
                        "description": "Rules whose findings `lint --new-since` reports even when the base had them.",
                        "items": {"type": "string", "enum": crate::diag::RuleId::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>()},
                    },
                },
            }),
            Shape::Coverage => json!({
                "type": "object",
                "additionalProperties": false,
                "description": d,
                "properties": {
                    "exclude": {
                        "type": "array",
                        "description": "Globs relative to the configuration file.",
                        "items": {"type": "string"},
                    },
                    "vendors": {
                        "type": "array",
                        "description": "Organisation vendor catalogs, relative to the configuration file.",
                        "items": {"type": "string"},
                    },
                },
            }),
            Shape::Defaults => json!({
                "type": "object",
                "additionalProperties": false,
                "description": d,
                "properties": {
                    "controller": {
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {"name": {"type": "string"}, "contact": {"type": "string"}},
                    },
                },
            }),
        };
        properties.insert(f.name.to_string(), schema);
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{ID_BASE}config.schema.json"),
        "title": "ropa configuration (ropa.yaml)",
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    })
}

/// The catalog schema (built-in and organisation catalogs).
pub fn catalog() -> Value {
    let text = json!({
        "type": "object",
        "properties": {"en": {"type": "string"}, "fr": {"type": "string"}},
        "required": ["en", "fr"],
        "additionalProperties": false,
    });
    let sources =
        json!({"type": "array", "items": {"type": "string"}, "description": "Keys of `sources`."});
    let evidence = json!({"type": "string", "enum": ["primary", "secondary", "unverified"]});
    let basis = json!({"$ref": "#/$defs/basis"});
    let criterion = json!({"$ref": "#/$defs/criterion"});
    let purpose = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["id"],
        "properties": {
            "id": {"type": "string"},
            "label": text,
            "aliases": {"type": "array", "items": {"type": "string"}},
            "summary": text,
            "legal_bases": {"type": "array", "items": {
                "type": "object", "additionalProperties": false,
                "required": ["basis", "status", "why", "evidence", "sources"],
                "properties": {
                    "basis": basis, "status": {"enum": ["recommended", "consistent", "conditional"]},
                    "why": text, "condition": text, "evidence": evidence, "sources": sources,
                },
            }},
            "not_consistent": {"type": "array", "items": {
                "type": "object", "additionalProperties": false,
                "required": ["basis", "why", "evidence", "sources"],
                "properties": {"basis": basis, "why": text, "see": {"type": "string"}, "evidence": evidence, "sources": sources},
            }},
            "dpia": {
                "type": "object", "additionalProperties": false,
                "required": ["duty", "why", "evidence", "sources"],
                "properties": {
                    "duty": {"enum": ["always", "never", "assess"]}, "why": text,
                    "triggers": {"type": "array", "items": text}, "evidence": evidence, "sources": sources,
                },
            },
            "implies_criteria": {"type": "array", "items": {
                "type": "object", "additionalProperties": false,
                "required": ["criterion", "why", "evidence", "sources"],
                "properties": {"criterion": criterion, "why": text, "evidence": evidence, "sources": sources},
            }},
            "retention": {"type": "array", "items": {
                "type": "object", "additionalProperties": false,
                "required": ["bound", "applies_to", "nature", "what", "evidence", "sources"],
                "properties": {
                    "bound": {"enum": ["maximum", "minimum"]},
                    "applies_to": {"enum": ["active", "archive", "total", "informative"]},
                    "data": {
                        "type": "object", "additionalProperties": false, "required": ["en", "fr", "words"],
                        "description": "The kind of data the figure is for, and the words that recognise it in a manifest's `data_categories`.",
                        "properties": {
                            "en": {"type": "string"}, "fr": {"type": "string"},
                            "words": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                        },
                    },
                    "duration": duration("A duration."), "starts": {"type": "string"},
                    "nature": {"enum": ["statutory", "recommended"]},
                    "what": text, "evidence": evidence, "sources": sources,
                },
            }},
            "notes": {"type": "array", "items": {
                "type": "object", "additionalProperties": false, "required": ["text", "sources"],
                "properties": {"text": text, "sources": sources},
            }},
            "sources": sources,
        },
    });
    let list = json!({
        "type": "object", "additionalProperties": false, "required": ["title", "sources", "items"],
        "properties": {
            "title": text, "sources": sources,
            "items": {"type": "array", "items": {
                "type": "object", "additionalProperties": false, "required": ["item", "text"],
                "properties": {
                    "item": {"type": "integer", "minimum": 1}, "text": text,
                    "when": {
                        "type": "object", "additionalProperties": false, "required": ["evidence"],
                        "properties": {
                            "evidence": evidence,
                            "purposes": {"type": "array", "items": {"type": "string"}},
                            "special_categories": {"type": "array", "items": {"$ref": "#/$defs/special"}},
                            "criteria": {"type": "array", "items": criterion},
                            "data_categories": {"type": "array", "items": {"type": "string"}},
                            "data_subjects": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                },
            }},
        },
    });
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{ID_BASE}catalog.schema.json"),
        "title": "ropa catalog",
        "description": "A catalog of purposes. The built-in catalog is complete; in an organisation catalog, a purpose with a built-in id may give only the fields it changes.",
        "$defs": {
            "basis": term::<LegalBasis>("A legal basis."),
            "criterion": term::<DpiaCriterion>("A WP248 criterion."),
            "special": term::<SpecialCategory>("A special category."),
        },
        "type": "object",
        "additionalProperties": false,
        "required": ["catalog", "purposes"],
        "properties": {
            "catalog": {
                "type": "object", "additionalProperties": false, "required": ["id", "version", "title"],
                "properties": {"id": {"type": "string"}, "version": {"type": "string"}, "title": text},
            },
            "sources": {"type": "object", "additionalProperties": {
                "type": "object", "additionalProperties": false, "required": ["title"],
                "properties": {"title": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
            }},
            "dpia_lists": {
                "type": "object", "additionalProperties": false, "required": ["required", "exempt"],
                "properties": {"required": list, "exempt": list},
            },
            "purposes": {"type": "array", "items": purpose},
        },
    })
}

/// The JSON report schema (spec §6).
/// `ropa diff --format json`.
pub fn diff() -> Value {
    let text = json!({"type": "string"});
    let optional = json!({"type": ["string", "null"]});
    let count = json!({"type": "integer", "minimum": 0});
    let kinds: Vec<&str> = crate::diff::Kind::ALL.iter().map(|k| k.name()).collect();
    let codes: Vec<&str> = crate::diag::RuleId::ALL
        .iter()
        .map(|r| r.as_str())
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{ID_BASE}diff.schema.json"),
        "title": "ropa diff report",
        "description": "What a change does to the record of processing: each change to an activity with its level, and the findings the change introduces, fixes and keeps.",
        "type": "object",
        "additionalProperties": false,
        "required": ["version", "base", "head", "changes", "findings", "summary"],
        "properties": {
            "version": {"const": 1},
            "base": {"type": "string", "description": "The old side: a commit or a directory."},
            "head": {"type": "string", "description": "The new side: a commit or a directory."},
            "changes": {
                "type": "array",
                "description": "Changes to activities, `review` first.",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["kind", "level", "activity", "name", "path", "line", "before", "after"],
                    "properties": {
                        "kind": {"enum": kinds},
                        "level": {"enum": ["review", "info", "none"]},
                        "activity": text,
                        "name": text,
                        "path": {"type": "string", "description": "The manifest, relative to its side's root."},
                        "line": {"type": "integer", "minimum": 1},
                        "before": optional,
                        "after": optional,
                    },
                },
            },
            "findings": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["status", "code", "severity", "path", "line", "activity", "message", "fingerprint"],
                    "properties": {
                        "status": {"enum": ["introduced", "fixed", "kept"]},
                        "code": {"enum": codes},
                        "severity": {"enum": ["error", "warning", "note"]},
                        "path": text,
                        "line": {"type": "integer", "minimum": 0},
                        "activity": optional,
                        "message": text,
                        "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
                    },
                },
            },
            "summary": {
                "type": "object",
                "additionalProperties": false,
                "required": ["review", "info", "none", "introduced", "fixed", "kept"],
                "properties": {
                    "review": count, "info": count, "none": count,
                    "introduced": count, "fixed": count, "kept": count,
                },
            },
        },
    })
}

/// `ropa coverage --format json`.
pub fn coverage() -> Value {
    let text = json!({"type": "string"});
    let optional = json!({"type": ["string", "null"]});
    let count = json!({"type": "integer", "minimum": 0});
    let line = json!({"type": "integer", "minimum": 1});
    let texts = json!({"type": "array", "items": {"type": "string"}});
    let categories: Vec<&str> = crate::coverage::words::Category::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    let cv: Vec<&&rules::RuleMeta> = rules::all()
        .iter()
        .filter(|r| r.code.starts_with("CV"))
        .collect();
    let codes: Vec<&str> = cv.iter().map(|r| r.code).collect();
    let names: Vec<&str> = cv.iter().map(|r| r.name).collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{ID_BASE}coverage.schema.json"),
        "title": "ropa coverage report",
        "description": "What the code processes, matched against the manifests: the files with personal-data fields, the processors whose SDKs are in the dependencies, and the coverage findings (CV001-CV005). Paths are relative to the repository's root, `/`-separated.",
        "type": "object",
        "additionalProperties": false,
        "required": ["version", "summary", "files", "vendors", "findings"],
        "properties": {
            "version": {"const": 1},
            "summary": {
                "type": "object",
                "additionalProperties": false,
                "required": ["files_with_personal_data", "covered", "vendors", "errors", "warnings", "notes"],
                "properties": {
                    "files_with_personal_data": count,
                    "covered": {"type": "integer", "minimum": 0, "description": "Of those, the files an activity's `code:` covers."},
                    "vendors": {"type": "integer", "minimum": 0, "description": "Processor SDKs found in the dependencies."},
                    "errors": count, "warnings": count, "notes": count,
                },
            },
            "files": {
                "type": "array",
                "description": "The files with personal-data fields, in path order.",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["path", "categories", "fields", "covered_by"],
                    "properties": {
                        "path": text,
                        "categories": {"type": "array", "items": {"enum": categories}},
                        "fields": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "additionalProperties": false,
                                "required": ["name", "category", "line", "column"],
                                "properties": {
                                    "name": text,
                                    "category": {"enum": categories},
                                    "line": line,
                                    "column": line,
                                },
                            },
                        },
                        "covered_by": {"type": "array", "items": {"type": "string"}, "description": "The activities whose `code:` covers the file: their id, or `manifest#position` without one."},
                    },
                },
            },
            "vendors": {
                "type": "array",
                "description": "Each dependency that is a processor's SDK, with what ropa's vendor catalog says of the processor.",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["vendor", "name", "package", "path", "line", "column", "location", "transfer", "evidence", "privacy", "named_by"],
                    "properties": {
                        "vendor": text,
                        "name": text,
                        "package": text,
                        "path": text,
                        "line": line,
                        "column": line,
                        "location": optional,
                        "transfer": optional,
                        "evidence": text,
                        "privacy": text,
                        "named_by": texts,
                    },
                },
            },
            "findings": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["code", "rule", "severity", "message", "path", "line", "column", "activity"],
                    "properties": {
                        "code": {"enum": codes},
                        "rule": {"enum": names},
                        "severity": {"enum": ["error", "warning", "note"]},
                        "message": text,
                        "path": text,
                        "line": line,
                        "column": line,
                        "activity": optional,
                        "related": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "additionalProperties": false,
                                "required": ["path", "line", "column", "message"],
                                "properties": {"path": text, "line": line, "column": line, "message": text},
                            },
                        },
                    },
                },
            },
        },
    })
}

pub fn report() -> Value {
    let position = json!({
        "type": "object", "additionalProperties": false, "required": ["line", "column"],
        "properties": {"line": {"type": "integer", "minimum": 1}, "column": {"type": "integer", "minimum": 1}},
    });
    let codes: Vec<&str> = rules::all().iter().map(|r| r.code).collect();
    let names: Vec<&str> = rules::all().iter().map(|r| r.name).collect();
    let count = json!({"type": "integer", "minimum": 0});
    let range = json!({
        "type": "object", "additionalProperties": false, "required": ["start", "end"],
        "properties": {"start": position, "end": position},
    });
    let related = json!({
        "type": "array",
        "description": "Places in other files: the code a coverage finding on a manifest is about.",
        "items": {
            "type": "object", "additionalProperties": false, "required": ["path", "range", "message"],
            "properties": {
                "path": {"type": "string", "minLength": 1},
                "range": range,
                "message": {"type": "string"},
            },
        },
    });
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{ID_BASE}report.schema.json"),
        "title": "ropa JSON report (`ropa lint --format json`)",
        "type": "object",
        "additionalProperties": false,
        "required": ["version", "tool", "diagnostics", "summary", "unread", "problems"],
        "properties": {
            "version": {"const": 1},
            "tool": {
                "type": "object", "additionalProperties": false, "required": ["name", "version", "catalog"],
                "properties": {"name": {"const": "ropa"}, "version": {"type": "string"}, "catalog": {"type": "string"}},
            },
            "diagnostics": {"type": "array", "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["code", "rule", "severity", "message", "path", "activity", "range", "help", "notes", "sources", "deviation"],
                "properties": {
                    "code": {"enum": codes},
                    "rule": {"enum": names},
                    "severity": {"enum": ["error", "warning", "note"]},
                    "message": {"type": "string", "minLength": 1},
                    "path": {"type": "string", "minLength": 1},
                    "activity": {"type": ["string", "null"]},
                    "range": range,
                    "help": {"type": ["string", "null"]},
                    "notes": {"type": "array", "items": {"type": "string"}},
                    "sources": {"type": "array", "items": {
                        "type": "object", "additionalProperties": false, "required": ["title"],
                        "properties": {"title": {"type": "string"}, "url": {"type": "string"}},
                    }},
                    "deviation": {
                        "type": ["object", "null"], "additionalProperties": false,
                        "required": ["justification", "approved_by"],
                        "properties": {"justification": {"type": "string"}, "approved_by": {"type": ["string", "null"]}},
                    },
                    "related": related,
                },
            }},
            "coverage": {
                "type": "object", "additionalProperties": false,
                "description": "What coverage found (CV001-CV005), when it ran: a whole-tree lint.",
                "required": ["files_with_personal_data", "covered", "vendors"],
                "properties": {"files_with_personal_data": count, "covered": count, "vendors": count},
            },
            "summary": {
                "type": "object", "additionalProperties": false,
                "required": ["files", "activities", "errors", "warnings", "notes"],
                "properties": {"files": count, "activities": count, "errors": count, "warnings": count, "notes": count},
            },
            "unread": {
                "type": "array", "items": {"type": "string", "minLength": 1},
                "description": "What kept the run from being complete, one line each (`path: reason`, or `path:line:column: reason`). Not empty means the run exits with status 2.",
            },
            "problems": {
                "type": "array",
                "description": "The same problems as `unread`, with their kind and place: a configuration or catalog that could not be used, a path that could not be read.",
                "items": {
                    "type": "object", "additionalProperties": false,
                    "required": ["kind", "path", "range", "message"],
                    "properties": {
                        "kind": {"enum": ["configuration", "catalog", "unread", "usage", "output"]},
                        "path": {"type": ["string", "null"]},
                        "range": {
                            "type": ["object", "null"], "additionalProperties": false, "required": ["start", "end"],
                            "properties": {"start": position, "end": position},
                        },
                        "message": {"type": "string", "minLength": 1},
                    },
                },
            },
        },
    })
}
