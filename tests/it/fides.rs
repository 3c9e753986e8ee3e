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
        // free text without a duration: fideslang accepts it, ropa cannot check it
        ("MF004", "warning", 11),
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

/// (code, severity, help) of every diagnostic, sorted.
fn helps(r: &serde_json::Value) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = diagnostics(r)
        .iter()
        .map(|d| {
            let help = d["help"].as_str().unwrap_or_default().to_string();
            (field(d, "/code"), field(d, "/severity"), help)
        })
        .collect();
    out.sort();
    out
}

/// fideslang's history: the 1.x DPIA block is read, the 1.x system keys are known, and two
/// declarations may share a name.
#[test]
fn fideslang_1_files_are_read_as_fideslang_reads_them() {
    let system = "\
system:
  - fides_key: shop
    name: Shop
    registry_id: 3
    joint_controller: {name: ACME}
    system_dependencies: [billing]
    data_protection_impact_assessment:
      is_required: true
      progress: Complete
      link: https://example.com/dpia
    privacy_declarations:
      - name: Orders
        data_categories: [user.contact.email]
        data_use: essential.service
        data_subjects: [customer]
        legal_basis_for_processing: Contract
        retention_period: 3 years
      - name: Orders
        data_categories: [user.contact.address]
        data_use: essential.service
        data_subjects: [customer]
        legal_basis_for_processing: Contract
        retention_period: 3 years
  - fides_key: blog
    name: Blog
    data_protection_impact_assessment:
      is_required: true
    privacy_declarations:
      - name: Comments
        data_categories: [user.name]
        data_use: essential.service
        data_subjects: [customer]
        legal_basis_for_processing: Contract
        retention_period: 1 year
";
    let dir = repo(&[("system.processing.yml", system)]);
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    let r = json(&o);
    // only the DPIA decided without its place is reported, at the 1.x `is_required`
    assert_eq!(found(&r), [("DP003".into(), "warning".into(), 27)], "{r:#}");
    assert!(field(&diagnostics(&r)[0], "/help").contains("dpa_location"));
    assert_eq!(r["summary"]["activities"], 3);
}

/// A value fideslang's enumeration rejects is reported with fideslang's spelling; the activity
/// is still checked with the basis ropa understood.
#[test]
fn values_fideslang_rejects_are_reported_with_its_spelling() {
    let system = "\
system:
  - fides_key: crm
    name: CRM
    requires_data_protection_assessments: false
    privacy_declarations:
      - name: Leads
        data_use: marketing.advertising
        data_categories: [user.contact.email]
        data_subjects: [customer]
        legal_basis_for_processing: Legitimate interest
        impact_assessment_location: https://example.com/lia
        retention_period: 3 years
      - name: Letters
        data_use: marketing.communications.email
        data_categories: [user.contact.email, user.health_and_medical]
        data_subjects: [customer]
        legal_basis_for_processing: consent
        special_category_legal_basis: explicit consent
        retention_period: 3 years
";
    let dir = repo(&[("system.processing.yml", system)]);
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    let r = json(&o);
    let fides: Vec<(String, String)> = diagnostics(&r)
        .iter()
        .filter(|d| field(d, "/message").starts_with("fideslang does not accept"))
        .map(|d| (field(d, "/code"), field(d, "/help")))
        .collect();
    assert_eq!(fides.len(), 3, "{r:#}");
    for (code, help) in &fides {
        assert_eq!(code, "MF004");
        assert!(help.contains("as fideslang spells it"), "{help}");
    }
    assert!(fides[0].1.contains("`Legitimate interests`"), "{fides:?}");
    assert!(fides[1].1.contains("`Consent`"), "{fides:?}");
    assert!(fides[2].1.contains("`Explicit consent`"), "{fides:?}");
}

/// In a fides file the help names the fides field, or says that fides has no field; a typo,
/// camelCase too, is one finding; a missing legal basis is not a "required field"; another
/// fides resource is skipped with a note.
#[test]
fn fides_findings_speak_fides() {
    let system = "\
system:
  - fides_key: crm
    name: CRM
    privacyDeclarations: []
    privacy_declarations:
      - name: Leads
        dataUse: marketing.advertising
        data_categories: [user.contact.email]
        data_subjects: [customer]
        legal_basis_for_processing: Consent
      - name: Mail
        data_use: essential.service
        data_categories: [user.contact.email]
        data_subjects: [customer]
";
    let policy = "policy:\n  - fides_key: p\n    rules: []\n";
    let dir = repo(&[
        ("system.processing.yml", system),
        ("policy.processing.yml", policy),
    ]);
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    let r = json(&o);
    let got = helps(&r);
    let codes: Vec<(&str, &str)> = got
        .iter()
        .map(|(c, s, _)| (c.as_str(), s.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("DP001", "error"),
            ("DP001", "error"),
            ("LB003", "warning"),
            // `privacyDeclarations` and `dataUse`, each with its snake_case suggestion
            ("MF002", "error"),
            ("MF002", "error"),
            ("MF002", "note"),
            ("MF003", "warning"),
            ("RT001", "error"),
            ("RT001", "error"),
        ],
        "{r:#}"
    );
    for (code, _, help) in &got {
        match code.as_str() {
            "DP001" => assert!(
                help.contains("requires_data_protection_assessments"),
                "{help}"
            ),
            "LB003" => assert!(help.contains("fides has no field"), "{help}"),
            "RT001" => assert!(help.contains("retention_period"), "{help}"),
            "MF003" => assert!(help.contains("legal_basis_for_processing"), "{help}"),
            _ => {}
        }
        assert!(
            !help.contains("dpia:") && !help.contains("retention: {"),
            "{help}"
        );
    }
    let mf003 = diagnostics(&r)
        .iter()
        .find(|d| d["code"] == "MF003")
        .unwrap();
    assert!(field(mf003, "/message").starts_with("no legal basis recorded"));
}

/// `ropa export --format fides`, then `ropa lint` of the export: what fides can hold comes back.
#[test]
fn the_fides_export_survives_the_round_trip() {
    let billing = "\
version: 1
activities:
  - id: ledgers
    name: Grand livre et identité
    purpose: accounting
    legal_basis: legal-obligation
    legal_obligation: { reference: \"Code de commerce, art. L123-22\" }
    data_subjects: [customers]
    data_categories: [identity]
    special_categories: [health]
    special_category_condition: explicit-consent
    dpia: { required: false }
    retention:
      active: 3 years
      starts: end of the financial year
      archive: 7 years
      archive_reason: Code de commerce (art. L123-22)
    transfers:
      - country: US
";
    let crm = "\
version: 1
activities:
  - id: leads
    name: Leads
    purpose: customer-management
    legal_basis: legitimate-interests
    legitimate_interests: { interest: sales, balancing_test: docs/lia.md }
    data_subjects: [customers]
    data_categories: [identity]
    dpia: { required: false }
    retention: { active: 3 years, starts: end of the relationship }
  - id: leads-scoring
    name: Scoring
    purpose: customer-management
    legal_basis: legitimate-interests
    legitimate_interests: { interest: sales, balancing_test: docs/lia.md }
    data_subjects: [customers]
    data_categories: [identity]
    retention: { active: 3 years, starts: end of the relationship }
";
    let dir = repo(&[
        ("a/b/processing.yaml", billing),
        ("a/b.processing.yaml", crm),
        ("a/docs/lia.md", "# LIA\n"),
        ("out/.keep", ""),
    ]);
    let before = json(&ropa(dir.path(), &["lint", "--format", "json"]));
    let o = ropa(
        dir.path(),
        &[
            "export",
            "--format",
            "fides",
            "--output",
            "out/fides.processing.yml",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(dir.path().join("out/fides.processing.yml")).unwrap();
    // one key per manifest (and per DPIA decision), accents folded, not dropped
    let keys: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- fides_key: "))
        .collect();
    let unique: std::collections::HashSet<&&str> = keys.iter().collect();
    assert_eq!(unique.len(), keys.len(), "{keys:?}");
    assert_eq!(keys.len(), 3, "{keys:?}");
    let after = json(&ropa(
        dir.path(),
        &["lint", "out/fides.processing.yml", "--format", "json"],
    ));
    let codes = |r: &serde_json::Value| {
        let mut c: Vec<String> = diagnostics(r).iter().map(|d| field(d, "/code")).collect();
        c.sort();
        c
    };
    let (b, a) = (codes(&before), codes(&after));
    // the same findings come back, on the same activity ids (kept in `meta.ropa`): the export
    // sits in the same repository as its manifests, so each id is also reported as used twice
    let without_duplicates: Vec<String> = a.iter().filter(|c| *c != "MF005").cloned().collect();
    assert_eq!(b, without_duplicates, "{text}");
    let ids = |r: &serde_json::Value| {
        let mut ids: Vec<String> = diagnostics(r)
            .iter()
            .filter(|d| d["code"] != "MF005")
            .map(|d| field(d, "/activity"))
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&before), ids(&after));
    assert_eq!(a.iter().filter(|c| *c == "MF005").count(), 3, "{a:?}");
    // (that every key is in fideslang's default taxonomy is checked with fideslang itself, in
    // tests/integration/run.sh)
    // kept: the transfer without safeguard, the DPIA decision not recorded
    for kept in ["TR001", "DP001"] {
        assert!(
            b.contains(&kept.to_string()) && a.contains(&kept.to_string()),
            "{kept}: {b:?} → {a:?}"
        );
    }
    // not introduced: paths resolve, the archive is read back with its reason, special
    // categories keep their condition
    for new in ["RF001", "RT004", "RT005", "LB005"] {
        assert!(
            !a.contains(&new.to_string()),
            "{new}: {b:?} → {a:?}\n{text}"
        );
    }
    assert!(text.contains("user.health_and_medical"), "{text}");
}

/// What `meta.ropa` keeps comes back only while the fides field it stands behind still says
/// what the export wrote: an edit made in fides wins over a stale detail.
#[test]
fn ropa_meta_never_overrides_an_edit_made_in_fides() {
    let system = "\
system:
  - fides_key: shop
    name: Shop
    requires_data_protection_assessments: false
    meta:
      ropa:
        - id: orders
          data_use: essential.service
          purpose: video-surveillance
          fides_categories: [user.name]
          data_categories: [identité]
          fides_subjects: [customer]
          data_subjects: [clients]
    privacy_declarations:
      - name: Orders
        data_use: marketing.communications.email
        data_categories: [user.name]
        data_subjects: [customer, prospect]
        legal_basis_for_processing: Consent
        retention_period: 1 year
";
    let dir = repo(&[("system.processing.yml", system)]);
    let o = ropa(dir.path(), &["register", "--format", "json"]);
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let a = &r["controllers"][0]["activities"][0];
    // the id and the unchanged categories come back; the edited use and subjects are fides's
    assert_eq!(a["id"], "orders", "{a:#}");
    assert_eq!(a["data_categories"][0], "identité", "{a:#}");
    assert_eq!(a["data_subjects"][1], "prospect", "{a:#}");
    assert_ne!(a["purpose_id"], "video-surveillance", "{a:#}");
}

/// A data use of an older fideslang (`provide.service`, `advertising.first_party`) is the purpose
/// its current key names; one the catalog does not know is still said to be unknown.
#[test]
fn older_fideslang_data_uses_resolve_to_their_purposes() {
    let decl = |name: &str, data_use: &str| {
        format!(
            "      - name: {name}
        data_use: {data_use}
        data_categories: [user.contact.email]
        data_subjects: [customer]
        legal_basis_for_processing: Consent
        retention_period: 1 year
"
        )
    };
    let system = format!(
        "system:\n  - fides_key: shop\n    name: Shop\n    requires_data_protection_assessments: false\n    privacy_declarations:\n{}{}",
        decl("Ads", "advertising.first_party"),
        decl("Tuning", "improve.system"),
    );
    let dir = repo(&[("system.processing.yml", &system)]);
    let r = json(&ropa(dir.path(), &["lint", "--format", "json"]));
    let unknown: Vec<String> = diagnostics(&r)
        .iter()
        .filter(|d| d["code"] == "MF006")
        .map(|d| field(d, "/message"))
        .collect();
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    assert!(unknown[0].contains("improve.system"), "{unknown:?}");
}

/// fideslang's own checks on keys and the system's enumerations; what it coerces, ropa reads.
#[test]
fn fides_keys_and_system_enumerations_are_checked_as_fideslang_checks_them() {
    let system = "\
system:
  - fides_key: my shop
    name: Shop
    responsibility: [controller]
    legal_basis_for_profiling: [Authorised by law]
    requires_data_protection_assessments: false
    privacy_declarations:
      - name: Orders
        data_use: essential.service
        data_categories: [user.contact.email, e-mail adresse]
        data_subjects: [customer]
        legal_basis_for_processing: Contract
        retention_period: 30
";
    let dir = repo(&[("system.processing.yml", system)]);
    let r = json(&ropa(dir.path(), &["lint", "--format", "json"]));
    let mut got: Vec<(String, String, u64)> = found(&r)
        .into_iter()
        .filter(|(c, _, _)| c.starts_with("MF"))
        .collect();
    got.sort();
    let want: Vec<(String, String, u64)> = [
        // `my shop` and `e-mail adresse` are not fides keys; `controller` is `Controller`
        ("MF004", "error", 2),
        ("MF004", "error", 4),
        ("MF004", "error", 10),
        // `30` is text to fideslang; ropa finds no duration in it
        ("MF004", "warning", 13),
    ]
    .into_iter()
    .map(|(c, s, l)| (c.to_string(), s.to_string(), l))
    .collect();
    assert_eq!(got, want, "{r:#}");
}

/// A rule's message about a fides file names the fides fields and values, not ropa's.
#[test]
fn rule_messages_about_a_fides_file_name_fides_fields() {
    let system = "\
system:
  - fides_key: shop
    name: Shop
    requires_data_protection_assessments: true
    dpa_location: docs/missing-dpia.md
    privacy_declarations:
      - name: Orders
        data_use: essential.service
        data_categories: [user.contact.email]
        data_subjects: [customer]
        legal_basis_for_processing: Consent
        impact_assessment_location: docs/missing-lia.md
        retention_period: 3 years
";
    let dir = repo(&[("system.processing.yml", system)]);
    let r = json(&ropa(dir.path(), &["lint", "--format", "json"]));
    let texts: Vec<String> = diagnostics(&r)
        .iter()
        .flat_map(|d| {
            [&d["message"], &d["help"]]
                .into_iter()
                .filter_map(|v| v.as_str().map(str::to_string))
        })
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("`dpa_location`")),
        "{texts:#?}"
    );
    for ropa_word in [
        "`dpia.reference`",
        "`legal_basis`",
        "`consent`",
        "dpia:",
        "`retention`",
    ] {
        assert!(
            !texts.iter().any(|t| t.contains(ropa_word)),
            "{ropa_word}: {texts:#?}"
        );
    }
}
