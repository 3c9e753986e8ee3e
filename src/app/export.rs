//! `ropa export --format fides`: the manifests as fides `system` YAML, one system per manifest
//! file and one privacy declaration per activity, so that teams using fides can load them.

use std::fmt::Write;

use crate::catalog::load::Loaded;
use crate::engine::Outcome;
use crate::manifest::model::Activity;
use crate::manifest::vocab::{Art9Condition, LegalBasis, Vocabulary};

/// fideslang's top-level data uses: an alias starting with one of these is a fides `data_use`.
const FIDES_USES: &[&str] = &[
    "analytics",
    "collect",
    "employment",
    "essential",
    "finance",
    "functional",
    "marketing",
    "operations",
    "personalize",
    "sales",
    "third_party_sharing",
    "train_ai_system",
];

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A fides key: letters, digits, `_`, `.` and `-`.
fn fides_key(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
            c
        } else {
            '_'
        };
        if c == '_' && out.ends_with('_') {
            continue;
        }
        out.push(c);
    }
    let out = out.trim_matches('_').to_string();
    if out.is_empty() {
        "unnamed".into()
    } else {
        out
    }
}

/// fideslang's spelling of a legal basis.
fn fides_basis(b: LegalBasis) -> &'static str {
    match b {
        LegalBasis::Consent => "Consent",
        LegalBasis::Contract => "Contract",
        LegalBasis::LegalObligation => "Legal obligations",
        LegalBasis::VitalInterests => "Vital interests",
        LegalBasis::PublicTask => "Public interest",
        LegalBasis::LegitimateInterests => "Legitimate interests",
    }
}

/// fideslang's spelling of an art. 9(2) condition: the alias that spells it.
fn fides_condition(c: Art9Condition) -> &'static str {
    c.aliases()
        .iter()
        .copied()
        .find(|a| a.chars().next().is_some_and(char::is_uppercase))
        .unwrap_or("Explicit consent")
}

fn data_use(catalog: &Loaded, a: &Activity) -> String {
    let raw = a.purpose.as_ref().map_or("", |p| p.value.as_str());
    let Some(p) = catalog.resolve(raw) else {
        return fides_key(raw);
    };
    p.aliases
        .iter()
        .find(|alias| {
            let first = alias.split('.').next().unwrap_or("");
            FIDES_USES.contains(&first) && !alias.contains(char::is_whitespace)
        })
        .cloned()
        .unwrap_or_else(|| p.id.clone())
}

fn list(out: &mut String, indent: &str, key: &str, items: &[String]) {
    if items.is_empty() {
        let _ = writeln!(out, "{indent}{key}: []");
        return;
    }
    let _ = writeln!(out, "{indent}{key}:");
    for i in items {
        let _ = writeln!(out, "{indent}  - {}", q(i));
    }
}

pub fn fides(outcome: &Outcome, catalog: &Loaded) -> String {
    let mut out =
        String::from("# fides system manifest exported by `ropa export --format fides`\nsystem:\n");
    for (file, (source, manifest)) in outcome.sources.iter().zip(&outcome.manifests).enumerate() {
        if !outcome.reported[file] || manifest.activities.is_empty() {
            continue;
        }
        let stem = source
            .path
            .parent()
            .and_then(|p| p.file_name())
            .map_or_else(
                || source.display.clone(),
                |n| n.to_string_lossy().into_owned(),
            );
        // the manifest's directory, plus its name when it is not plain processing.yaml
        let mut key = source
            .display
            .rsplit_once('/')
            .map_or("", |(dir, _)| dir)
            .replace('/', ".");
        let file_stem = source
            .path
            .file_stem()
            .map_or(String::new(), |s| s.to_string_lossy().into_owned());
        if !matches!(file_stem.as_str(), "processing") {
            key = format!("{key}.{}", file_stem.trim_end_matches(".processing"));
        }
        let _ = writeln!(
            out,
            "  - fides_key: {}",
            q(&fides_key(key.trim_matches('.')))
        );
        let _ = writeln!(out, "    name: {}", q(&stem));
        let _ = writeln!(
            out,
            "    description: {}",
            q(&format!(
                "Processing activities declared in {}",
                source.display
            ))
        );
        let _ = writeln!(out, "    system_type: \"Service\"");
        let dpia: Vec<&crate::manifest::model::Dpia> = manifest
            .activities
            .iter()
            .filter_map(|a| a.dpia.as_ref())
            .collect();
        let required = dpia
            .iter()
            .any(|d| d.required.as_ref().is_some_and(|r| r.value));
        let _ = writeln!(out, "    requires_data_protection_assessments: {required}");
        if let Some(r) = dpia.iter().find_map(|d| d.reference.as_ref()) {
            let _ = writeln!(out, "    dpa_location: {}", q(&r.value));
        }
        if let Some(c) = manifest
            .activities
            .iter()
            .find_map(|a| a.controller.as_ref()?.name.as_ref())
        {
            let _ = writeln!(out, "    legal_name: {}", q(&c.value));
        }
        out.push_str("    privacy_declarations:\n");
        for a in &manifest.activities {
            let name = a
                .name
                .as_ref()
                .map_or_else(|| a.id_str().unwrap_or("").to_string(), |n| n.value.clone());
            let _ = writeln!(out, "      - name: {}", q(&name));
            let _ = writeln!(out, "        data_use: {}", q(&data_use(catalog, a)));
            let keys = |v: &[crate::manifest::model::Sp<String>]| {
                v.iter().map(|s| fides_key(&s.value)).collect::<Vec<_>>()
            };
            list(
                &mut out,
                "        ",
                "data_categories",
                &keys(&a.data_categories),
            );
            list(
                &mut out,
                "        ",
                "data_subjects",
                &keys(&a.data_subjects),
            );
            if let Some(b) = &a.legal_basis {
                let _ = writeln!(
                    out,
                    "        legal_basis_for_processing: {}",
                    q(fides_basis(b.value))
                );
            }
            if !a.special_categories.is_empty() {
                out.push_str("        processes_special_category_data: true\n");
                if let Some(c) = &a.special_category_condition {
                    let _ = writeln!(
                        out,
                        "        special_category_legal_basis: {}",
                        q(fides_condition(c.value))
                    );
                }
            }
            if let Some(r) = &a.retention {
                let mut text = r
                    .active
                    .as_ref()
                    .map_or(String::new(), |d| d.value.to_string());
                if let Some(s) = &r.starts {
                    text.push_str(&format!(" from {}", s.value.0));
                }
                if let Some(archive) = &r.archive {
                    text.push_str(&format!(", then archived {}", archive.value));
                }
                if !text.is_empty() {
                    let _ = writeln!(out, "        retention_period: {}", q(text.trim()));
                }
            }
            if let Some(lia) = a
                .legitimate_interests
                .as_ref()
                .and_then(|l| l.balancing_test.as_ref())
            {
                let _ = writeln!(out, "        impact_assessment_location: {}", q(&lia.value));
            }
            if !a.recipients.is_empty() {
                out.push_str("        data_shared_with_third_parties: true\n");
                let recipients: Vec<&str> = a.recipients.iter().map(|r| r.value.as_str()).collect();
                let _ = writeln!(out, "        third_parties: {}", q(&recipients.join(", ")));
            }
        }
    }
    out
}
