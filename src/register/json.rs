//! The register as JSON.

use serde_json::{Value, json};

use super::Register;

pub fn render(r: &Register) -> String {
    let groups: Vec<Value> = r
        .groups
        .iter()
        .map(|g| {
            let entries: Vec<Value> = g
                .entries
                .iter()
                .map(|e| {
                    json!({
                        "id": e.id,
                        "name": e.name,
                        "purpose": e.purpose,
                        "purpose_id": e.purpose_id,
                        "legal_basis": e.legal_basis,
                        "data_subjects": e.data_subjects,
                        "data_categories": e.data_categories,
                        "special_categories": e.special_categories,
                        "recipients": e.recipients,
                        "transfers": e.transfers,
                        "retention": e.retention,
                        "dpia": e.dpia,
                        "code": e.code,
                        "processors": e.processors,
                        "manifest": e.manifest,
                        "findings": e.findings.iter().map(|(s, f)| json!({"severity": s.as_str(), "finding": f})).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({"controller": g.controller, "contact": g.contact, "activities": entries})
        })
        .collect();
    let doc = json!({
        "version": 1,
        "catalog": r.catalog,
        "manifests": r.manifests,
        "date": r.date,
        "controllers": groups,
        "file_findings": r.file_findings.iter().map(|(s, f)| json!({"severity": s.as_str(), "finding": f})).collect::<Vec<_>>(),
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    )
}
