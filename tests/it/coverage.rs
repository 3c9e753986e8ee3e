//! `ropa coverage` on a small repository in several languages: planted personal-data fields and
//! SDKs are found, decoys are not, and hostile names stay inert.

use crate::common::{repo, ropa, stdout};

const BILLING: &str = "version: 1
activities:
  - id: billing
    name: Invoicing
    purpose: billing
    legal_basis: contract
    data_subjects: [customers]
    data_categories: [identity, payments, location]
    recipients: [Stripe]
    code: [\"db/**\", \"src/**\"]
";

/// `ropa coverage --format json`'s output, checked against `schemas/coverage.schema.json`.
fn coverage_json(o: &std::process::Output) -> serde_json::Value {
    let r = crate::common::raw_json(o);
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::common::repo_root().join("schemas/coverage.schema.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(&r)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "the report does not match coverage.schema.json: {errors:#?}"
    );
    r
}

fn fixture() -> tempfile::TempDir {
    repo(&[
        ("billing/processing.yaml", BILLING),
        (
            "billing/db/001_init.sql",
            "-- email in a comment is not a column\nCREATE TABLE invoices (\n  id serial PRIMARY KEY,\n  customer_email text,\n  email_template_id int,\n  iban text,\n  diagnosis text\n);\n",
        ),
        (
            "billing/src/user.entity.ts",
            "@Entity()\nexport class User {\n  @Column()\n  firstName: string;\n  @Column()\n  phoneModel: string;\n}\n",
        ),
        (
            "billing/package.json",
            r#"{"dependencies": {"stripe": "^12", "@sentry/node": "^7"}, "devDependencies": {"openai": "4"}}"#,
        ),
        // the lockfile is not read beside its manifest: openai (a dev dependency) is not reported
        (
            "billing/package-lock.json",
            r#"{"packages": {"node_modules/openai": {"dev": true}, "node_modules/stripe": {}}}"#,
        ),
        (
            "crm/models.py",
            "class Contact(models.Model):\n    email = models.EmailField()\n    phone_number = models.CharField(max_length=20)\n    smtp_email = models.CharField()\n",
        ),
        // decoys: code that is not a data definition, and names that are not personal data
        ("crm/views.py", "email = request.POST['email']\n"),
        (
            "crm/schema.prisma",
            "model Product {\n  id Int @id\n  name String\n  phoneModel String\n}\n",
        ),
        ("docs/readme.md", "CREATE TABLE people (email text);\n"),
        (
            "api/openapi.yaml",
            "openapi: 3.0.0\ncomponents:\n  schemas:\n    Person:\n      properties:\n        nir: {type: string}\n        emailTemplate: {type: string}\n",
        ),
        (
            "go.mod",
            "module x\n\nrequire github.com/stripe/stripe-go/v76 v76.0.0\n",
        ),
    ])
}

#[test]
fn planted_fields_and_sdks_are_found_and_decoys_are_not() {
    let dir = fixture();
    let o = ropa(dir.path(), &["coverage", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", crate::common::stderr(&o));
    let r = coverage_json(&o);
    assert_eq!(r["version"], 1);
    let fields: Vec<(String, String, String)> = r["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            f["fields"].as_array().unwrap().iter().map(move |x| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    x["name"].as_str().unwrap().to_string(),
                    x["category"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect();
    let want = [
        ("api/openapi.yaml", "nir", "national-id"),
        ("billing/db/001_init.sql", "customer_email", "contact"),
        ("billing/db/001_init.sql", "iban", "financial"),
        ("billing/db/001_init.sql", "diagnosis", "health"),
        ("billing/src/user.entity.ts", "firstName", "identity"),
        ("crm/models.py", "email", "contact"),
        ("crm/models.py", "phone_number", "contact"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(fields, want);
    assert_eq!(r["summary"]["files_with_personal_data"], 4);
    assert_eq!(r["summary"]["covered"], 2);
    let vendors: Vec<(&str, &str)> = r["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["at"].as_str().unwrap_or(v["path"].as_str().unwrap()),
                v["package"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        vendors,
        [
            ("billing/package.json", "stripe"),
            ("billing/package.json", "@sentry/node"),
            ("go.mod", "github.com/stripe/stripe-go/v76"),
        ]
    );
    let kinds: Vec<(&str, &str, &str)> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
                f["path"].as_str().unwrap(),
            )
        })
        .collect();
    // the special category is an error at the manifest; what no activity covers, warnings
    assert!(
        kinds.contains(&("CV002", "error", "billing/processing.yaml")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("CV003", "warning", "billing/processing.yaml")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("CV001", "warning", "crm/models.py")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("CV001", "warning", "api/openapi.yaml")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("CV004", "warning", "billing/package.json")),
        "{kinds:?}"
    );
    // Stripe is named, but the catalog places it outside the EEA and no transfer is declared
    assert!(
        kinds.contains(&("CV004", "warning", "billing/processing.yaml")),
        "{kinds:?}"
    );
    // `location` is declared and no covered definition has such a field
    assert!(
        kinds.contains(&("CV005", "note", "billing/processing.yaml")),
        "{kinds:?}"
    );
    // the related location of an undeclared category is the field
    let undeclared = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "CV002")
        .unwrap();
    assert_eq!(undeclared["related"][0]["path"], "billing/db/001_init.sql");
    assert_eq!(undeclared["related"][0]["line"], 7);
    // the transfer finding points at the `recipients` entry that names the vendor
    let transfer = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "CV004" && f["path"] == "billing/processing.yaml")
        .unwrap();
    assert_eq!(
        (transfer["line"].as_u64(), transfer["column"].as_u64()),
        (Some(9), Some(18))
    );
    // findings that rest on the GDPR cite it
    let lint = ropa(dir.path(), &["lint", "--format", "json"]);
    let lint = crate::common::json(&lint);
    for code in ["CV002", "CV004"] {
        let d = lint["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == code && d["path"] == "billing/processing.yaml")
            .unwrap();
        assert!(
            d["sources"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["title"].as_str().unwrap().contains("2016/679")),
            "{d}"
        );
    }
}

#[test]
fn the_human_report_gives_the_numbers_and_a_table_per_directory() {
    let dir = fixture();
    let o = ropa(dir.path(), &["coverage"]);
    let out = stdout(&o);
    assert!(
        out.starts_with("Personal data found in 4 files, 2 covered by a manifest; 3 processor SDKs in the dependencies.\n"),
        "{out}"
    );
    let row = |dir: &str| -> Vec<String> {
        out.lines()
            .find(|l| l.starts_with(&format!("{dir} ")))
            .unwrap_or_else(|| panic!("no row for {dir} in {out}"))
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(row("crm"), ["crm", "1", "contact", "—"]);
    assert_eq!(
        row("billing/db"),
        [
            "billing/db",
            "1",
            "contact,",
            "financial,",
            "health",
            "billing"
        ]
    );
    let o = ropa(dir.path(), &["coverage", "--lang", "fr"]);
    assert!(
        stdout(&o).starts_with("Données personnelles trouvées dans 4 fichiers, dont 2 couverts")
    );
}

#[test]
fn a_clean_repository_exits_0_and_hostile_names_stay_inert() {
    let dir = repo(&[("svc/processing.yaml", BILLING)]);
    let o = ropa(dir.path(), &["coverage"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).starts_with("Personal data found in 0 files, 0 covered"),
        "{}",
        stdout(&o)
    );
    // a data definition whose name drives a terminal
    let dir = repo(&[(
        "models/\u{1b}[31mx\u{7}.py",
        "class A(models.Model):\n    email = models.EmailField()\n",
    )]);
    let o = ropa(dir.path(), &["coverage"]);
    let out = stdout(&o);
    assert!(out.contains("CV001"), "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
}

#[cfg(unix)]
#[test]
fn a_dependency_file_that_links_out_of_the_repository_is_reported_not_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("package.json"),
        r#"{"dependencies": {"stripe": "1"}}"#,
    )
    .unwrap();
    let dir = repo(&[("svc/processing.yaml", BILLING)]);
    std::os::unix::fs::symlink(
        outside.path().join("package.json"),
        dir.path().join("svc/package.json"),
    )
    .unwrap();
    let o = ropa(dir.path(), &["coverage", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let r = coverage_json(&o);
    assert_eq!(r["summary"]["vendors"], 0);
    assert!(crate::common::stderr(&o).contains("package.json"));
}

#[test]
fn the_register_lists_the_processors_found_near_each_activity() {
    let dir = fixture();
    let o = ropa(dir.path(), &["register", "--format", "json"]);
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let billing = r["controllers"][0]["activities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "billing")
        .unwrap();
    assert_eq!(
        billing["processors"],
        serde_json::json!(["Sentry", "Stripe"])
    );
    let o = ropa(dir.path(), &["register", "--format", "csv"]);
    assert!(
        stdout(&o)
            .lines()
            .next()
            .unwrap()
            .contains("Processors in the code")
    );
}

#[test]
fn organisation_vendor_catalogs_add_and_replace_vendors_and_bad_ones_are_located() {
    let vendors = "version: 1
vendors:
  - id: acme-crm
    name: Acme CRM
    service: CRM
    role: processor
    packages:
      npm: [\"@acme/crm-sdk\"]
    location: EEA
    transfer: null
    categories: [identity, contact]
    privacy: https://acme.example/dpa
    evidence: unverified
";
    let dir = repo(&[
        (
            "ropa.yaml",
            "coverage:\n  vendors: [privacy/vendors.yaml]\n",
        ),
        ("privacy/vendors.yaml", vendors),
        ("svc/processing.yaml", BILLING),
        (
            "svc/package.json",
            r#"{"dependencies": {"@acme/crm-sdk": "1"}}"#,
        ),
    ]);
    let o = ropa(dir.path(), &["coverage", "--format", "json"]);
    let r = coverage_json(&o);
    assert_eq!(r["vendors"][0]["vendor"], "acme-crm", "{r}");
    assert!(
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "CV004" && f["path"] == "svc/package.json")
    );
    // a catalog that is not in the expected shape: exit 2, at its place
    std::fs::write(
        dir.path().join("privacy/vendors.yaml"),
        "version: 1\nvendors:\n  - id: x\n    nmae: X\n",
    )
    .unwrap();
    let o = ropa(dir.path(), &["lint"]);
    assert_eq!(o.status.code(), Some(2));
    let err = format!("{}{}", stdout(&o), crate::common::stderr(&o));
    assert!(err.contains("privacy/vendors.yaml:4"), "{err}");
    assert!(err.contains("invalid vendor catalog"), "{err}");
    // what a catalog says goes into every finding about its vendors: bounded
    let long = vendors.replace("name: Acme CRM", &format!("name: {}", "A".repeat(300)));
    std::fs::write(dir.path().join("privacy/vendors.yaml"), long).unwrap();
    let o = ropa(dir.path(), &["lint"]);
    assert_eq!(o.status.code(), Some(2));
    let err = format!("{}{}", stdout(&o), crate::common::stderr(&o));
    assert!(err.contains("over 256 bytes"), "{err}");
    assert!(!err.contains(&"A".repeat(300)), "{err}");
}

/// Precision and recall of each detector on `tests/fixtures/coverage-eval`: every planted
/// personal-data field and processor SDK is listed in `expected.tsv` and `expected-vendors.tsv`;
/// everything else in those files (look-alike names, comments, development dependencies,
/// lockfiles beside their manifest) is a decoy.
#[test]
fn each_detector_has_the_precision_and_recall_the_issue_asks_for() {
    use std::collections::BTreeMap;
    let root = crate::common::repo_root().join("tests/fixtures/coverage-eval");
    let o = ropa(&root, &["coverage", ".", "--format", "json", "--isolated"]);
    let r = coverage_json(&o);
    let read = |name: &str| -> Vec<Vec<String>> {
        std::fs::read_to_string(root.join(name))
            .unwrap()
            .lines()
            .map(|l| l.split('\t').map(str::to_string).collect())
            .collect()
    };
    // the detector of a path: its top directory (deps: its second)
    let detector = |path: &str| -> String {
        let parts: Vec<&str> = path.split('/').collect();
        if parts[0] == "deps" {
            format!("deps/{}", parts[1])
        } else {
            parts[0].to_string()
        }
    };
    let strip = |p: &str| {
        p.trim_start_matches("tests/fixtures/coverage-eval/")
            .to_string()
    };
    let mut got: Vec<Vec<String>> = Vec::new();
    for f in r["files"].as_array().unwrap() {
        for x in f["fields"].as_array().unwrap() {
            got.push(vec![
                strip(f["path"].as_str().unwrap()),
                x["name"].as_str().unwrap().to_string(),
                x["category"].as_str().unwrap().to_string(),
            ]);
        }
    }
    for v in r["vendors"].as_array().unwrap() {
        got.push(vec![
            strip(v["path"].as_str().unwrap()),
            v["package"].as_str().unwrap().to_string(),
        ]);
    }
    let mut want = read("expected.tsv");
    want.extend(read("expected-vendors.tsv"));
    // true positives, false positives, false negatives per detector (multisets)
    let mut counts: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut left = want.clone();
    for g in &got {
        let c = counts.entry(detector(&g[0])).or_default();
        match left.iter().position(|w| w == g) {
            Some(i) => {
                left.remove(i);
                c.0 += 1;
            }
            None => c.1 += 1,
        }
    }
    for w in &left {
        counts.entry(detector(&w[0])).or_default().2 += 1;
    }
    assert!(counts.len() >= 18, "{counts:?}");
    for (d, (tp, fp, fn_)) in &counts {
        let precision = *tp as f64 / (tp + fp).max(1) as f64;
        let recall = *tp as f64 / (tp + fn_).max(1) as f64;
        assert!(
            precision >= 0.95 && recall >= 0.9,
            "{d}: precision {precision:.2}, recall {recall:.2}; missed {left:?}; got {got:?}"
        );
    }
}

#[test]
fn with_every_coverage_rule_off_nothing_is_scanned() {
    let dir = fixture();
    std::fs::write(
        dir.path().join("ropa.yaml"),
        "rules: {CV001: off, CV002: off, CV003: off, CV004: off, CV005: off}\n",
    )
    .unwrap();
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    let r = crate::common::json(&o);
    assert!(r.get("coverage").is_none(), "{r}");
    // one rule back on for a path: the scan runs
    std::fs::write(
        dir.path().join("ropa.yaml"),
        "rules: {CV001: off, CV002: off, CV003: off, CV004: off, CV005: off}\nper_path:\n  \"crm/**\": {CV001: warning}\n",
    )
    .unwrap();
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    let r = crate::common::json(&o);
    assert_eq!(r["coverage"]["files_with_personal_data"], 4, "{r}");
}

#[cfg(unix)]
#[test]
fn broken_and_special_files_are_reported_never_skipped_in_silence() {
    let dir = repo(&[
        ("svc/processing.yaml", BILLING),
        ("svc/package.json", "{\"dependencies\": {\"stripe\": "),
        ("api/openapi.yaml", "openapi: 3.0.0\ncomponents: [\n"),
    ]);
    // a FIFO with a dependency file's name is never opened
    let fifo = dir.path().join("web/package.json");
    std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let o = crate::common::ropa_within(
        dir.path(),
        &["lint", "--format", "json"],
        std::time::Duration::from_secs(60),
    );
    assert_eq!(o.status.code(), Some(2));
    let r = crate::common::raw_json(&o);
    let unread: Vec<&str> = r["unread"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap())
        .collect();
    assert!(
        unread
            .iter()
            .any(|u| u.starts_with("svc/package.json") && u.contains("invalid JSON")),
        "{unread:?}"
    );
    assert!(
        unread.iter().any(|u| u.starts_with("api/openapi.yaml")),
        "{unread:?}"
    );
    assert!(
        unread
            .iter()
            .any(|u| u.starts_with("web/package.json") && u.contains("not a regular file")),
        "{unread:?}"
    );
}

/// A code file a finding points into keeps its level from `per_path` and its snippet in the
/// report, whether its text was let go (read again for the report) or kept because it is over
/// the limit to read it again.
#[test]
fn code_files_with_findings_keep_their_levels_and_snippets_whatever_their_size() {
    let padding = "# padding\n".repeat(60);
    let large = format!("{padding}class Contact(models.Model):\n    email = models.EmailField()\n");
    let dir = repo(&[
        ("billing/processing.yaml", BILLING),
        ("crm/models.py", &large),
        (
            "shop/models.py",
            "class Buyer(models.Model):\n    phone_number = models.CharField()\n",
        ),
        (
            "ropa.yaml",
            "max_file_size: 500\nper_path:\n  \"crm/**\": {CV001: error}\n",
        ),
    ]);
    assert!(large.len() > 500 && BILLING.len() < 500);
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    let r = crate::common::json(&o);
    let cv001: Vec<(String, String)> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "CV001")
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        cv001,
        vec![
            ("crm/models.py".to_string(), "error".to_string()),
            ("shop/models.py".to_string(), "warning".to_string()),
        ],
        "{r}"
    );
    let o = ropa(dir.path(), &["lint", "--format", "human"]);
    let out = stdout(&o);
    assert!(out.contains("    email = models.EmailField()"), "{out}");
    assert!(
        out.contains("    phone_number = models.CharField()"),
        "{out}"
    );
    // from another directory: the configuration's globs still see paths from the root
    let o = ropa(
        &dir.path().join("billing"),
        &["lint", "--format", "json", ".."],
    );
    let r = crate::common::json(&o);
    let levels: Vec<&str> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "CV001")
        .map(|d| d["severity"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["error", "warning"], "{r}");
}
