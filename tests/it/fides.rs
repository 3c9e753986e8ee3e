//! fides `system` manifests: linted as they are, with positions in the fides YAML.

use crate::common;

use common::{diagnostics, field, json, line, repo, repo_root, ropa};

/// (code, severity, line) of every diagnostic.
fn found(r: &serde_json::Value) -> Vec<(String, String, u64)> {
    diagnostics(r)
        .iter()
        .map(|d| (field(d, "/code"), field(d, "/severity"), line(d)))
        .collect()
}

#[test]
fn the_fides_example_lints_with_its_planted_finding() {
    let o = ropa(
        &repo_root(),
        &["lint", "examples/fides/system.yml", "--format", "json"],
    );
    let r = json(&o);
    assert_eq!(found(&r), [("LB001".into(), "warning".into(), 19)]);
    assert_eq!(r["summary"]["activities"], 2);
    assert_eq!(
        r["diagnostics"][0]["activity"],
        "demo-marketing-system-marketing-emails"
    );
}

#[test]
fn fides_fields_map_to_ropa_rules_with_positions() {
    let fides = "system:
  - fides_key: hr_system
    name: HR
    system_type: Service
    privacy_declarations:
      - name: Sick leave
        data_use: employment.recruitment.screening
        data_categories: [user.health_and_medical, user.name]
        data_subjects: [employee]
        legal_basis_for_processing: Contract
        retention_period: until the employee leaves
        colour: blue
      - name: Payroll
        data_categories: [user.financial]
        data_subjects: [employee]
        legal_basis_for_processing: Legal obligations
        special_category_legal_basis: Employment, social security and social protection
        retention_period: 6 years
";
    let dir = repo(&[("system.yml", fides)]);
    let o = ropa(dir.path(), &["lint", "system.yml", "--format", "json"]);
    let r = json(&o);
    let got = found(&r);
    let want: Vec<(String, String, u64)> = [
        // no DPIA decision on the system: recorded nowhere
        ("DP001", "error", 6),
        // health data without an art. 9(2) condition
        ("LB005", "error", 8),
        // free text without a duration
        ("MF004", "error", 11),
        // not a fideslang key
        ("MF002", "error", 12),
        ("DP001", "error", 13),
        // the second declaration has no data_use
        ("MF003", "error", 13),
        ("LB004", "warning", 16),
    ]
    .into_iter()
    .map(|(c, s, l)| (c.to_string(), s.to_string(), l))
    .collect();
    let mut got_sorted = got.clone();
    got_sorted.sort();
    let mut want_sorted = want.clone();
    want_sorted.sort();
    assert_eq!(got_sorted, want_sorted, "{:#}", r["diagnostics"]);
    // `employment.recruitment.screening` resolves to its parent `employment.recruitment`
    assert!(!got.iter().any(|g| g.0 == "MF006"));
}

/// A misspelled fides field is one finding (MF002), not also the rule about the field it fills
/// (`retention_peroid` is not "no retention").
#[test]
fn a_misspelled_fides_field_is_one_finding() {
    let system = "\
system:
  - fides_key: crm
    name: CRM
    privacy_declarations:
      - name: Customers
        data_use: essential.service
        data_categories: [user.contact.email]
        data_subjects: [customer]
        legal_basis_for_processing: Contract
        retention_peroid: \"3 years\"
";
    let dir = repo(&[("system.processing.yaml", system)]);
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    let report = json(&o);
    let codes: Vec<&str> = diagnostics(&report)
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"MF002"), "{codes:?}");
    assert!(!codes.contains(&"RT001"), "{codes:?}");
}
