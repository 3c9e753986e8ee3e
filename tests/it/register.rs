//! `ropa register` on the examples, compared with reviewed golden files in `tests/golden/`.
//! After a reviewed change, `ROPA_BLESS=1 cargo test --test it register` rewrites them.

use crate::common;

use common::{repo, repo_root, ropa, stdout};

const CASES: &[(&str, &str, &str)] = &[
    ("markdown", "en", "register.en.md"),
    ("markdown", "fr", "register.fr.md"),
    ("csv", "en", "register.en.csv"),
    ("csv", "fr", "register.fr.csv"),
    ("json", "en", "register.en.json"),
    ("html", "en", "register.en.html"),
    ("html", "fr", "register.fr.html"),
];

#[test]
fn the_register_of_the_examples_matches_the_golden_files() {
    let bless = std::env::var_os("ROPA_BLESS").is_some();
    let mut stale = Vec::new();
    for (format, lang, file) in CASES {
        let o = ropa(
            &repo_root(),
            &["register", "examples", "--format", format, "--lang", lang],
        );
        assert_eq!(o.status.code(), Some(0), "{format} {lang}");
        let got = String::from_utf8(o.stdout).unwrap();
        let path = repo_root().join("tests/golden").join(file);
        if bless {
            std::fs::write(&path, &got).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(got.as_str()) {
            stale.push(*file);
        }
    }
    assert!(
        stale.is_empty(),
        "register output changed: {stale:?} (review, then ROPA_BLESS=1)"
    );
}

#[test]
fn every_activity_is_in_the_register_even_with_findings() {
    let o = ropa(&repo_root(), &["register", "examples", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = v["controllers"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["activities"].as_array().unwrap())
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 9);
    for id in [
        "ad-trackers",
        "accounting",
        "ethics-hotline",
        "cctv",
        "customer-management",
    ] {
        assert!(ids.contains(&id), "{id} missing");
    }
    let cctv = v["controllers"][1]["activities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "cctv")
        .unwrap();
    assert_eq!(cctv["findings"][0]["severity"], "error");
    assert!(
        cctv["findings"][0]["finding"]
            .as_str()
            .unwrap()
            .starts_with("RT003")
    );
    // the controller group comes first
    assert_eq!(v["controllers"][0]["controller"], "Example SAS");
}

#[test]
fn csv_keeps_accents_and_quotes_fields() {
    let o = ropa(
        &repo_root(),
        &["register", "examples", "--format", "csv", "--lang", "fr"],
    );
    let text = stdout(&o);
    assert!(
        text.starts_with('\u{feff}'),
        "a byte-order mark for spreadsheets"
    );
    let header = text.lines().next().unwrap();
    assert!(header.contains("Activité") && header.contains("Finalité"));
    assert!(
        text.contains("\"Gestion de clientèle : fiche client, courriers et relances\"")
            || text.contains("Gestion de clientèle")
    );
    // every record has the header's number of fields (parsed as a spreadsheet would), and with
    // `--delimiter semicolon` the same records come out, field for field
    let records = |text: &str, sep: char| -> Vec<Vec<String>> {
        let mut out = Vec::new();
        for line in text.split("\r\n").filter(|l| !l.is_empty()) {
            let (mut fields, mut field, mut quoted) = (Vec::new(), String::new(), false);
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '"' if quoted && chars.peek() == Some(&'"') => {
                        field.push('"');
                        chars.next();
                    }
                    '"' => quoted = !quoted,
                    c if c == sep && !quoted => fields.push(std::mem::take(&mut field)),
                    c => field.push(c),
                }
            }
            fields.push(field);
            out.push(fields);
        }
        out
    };
    let comma = records(&text, ',');
    assert!(comma.iter().all(|r| r.len() == comma[0].len()), "{comma:?}");
    assert_eq!(comma[0].len(), 16);
    let o = ropa(
        &repo_root(),
        &[
            "register",
            "examples",
            "--format",
            "csv",
            "--lang",
            "fr",
            "--delimiter",
            "semicolon",
        ],
    );
    let semi = stdout(&o);
    assert_ne!(semi, text);
    assert_eq!(records(&semi, ';'), comma);
}

#[test]
fn hostile_text_cannot_break_the_html_page() {
    let evil = "version: 1\nactivities:\n  - id: x\n    name: \"<script>alert(1)</script>\\e[2J\"\n    purpose: \"</td></tr><img src=x onerror=alert(1)>\"\n    legal_basis: consent\n    data_subjects: [a]\n    data_categories: [b]\n";
    let dir = repo(&[("processing.yaml", evil)]);
    let html = stdout(&ropa(dir.path(), &["register", "--format", "html"]));
    assert!(!html.contains("<script>"));
    assert!(!html.contains("<img"));
    assert!(html.contains("&lt;script&gt;"));
    // a control character is shown, not passed on
    assert!(!html.contains('\u{1b}'));
    assert!(html.contains("&lt;/script&gt;\\u{1b}[2J"), "{html}");
}

#[test]
fn the_register_is_dated_only_when_asked() {
    let dir = repo(&[("processing.yaml", common::CLEAN)]);
    let undated = stdout(&ropa(dir.path(), &["register"]));
    assert!(!undated.contains("Updated"), "{undated}");
    for (format, lang, expected) in [
        ("markdown", "en", "· Updated: 2024-02-29"),
        ("markdown", "fr", "· Mis à jour le 2024-02-29"),
        ("html", "en", "· Updated: 2024-02-29"),
        ("json", "en", "\"date\": \"2024-02-29\""),
    ] {
        let o = ropa(
            dir.path(),
            &[
                "register",
                "--format",
                format,
                "--lang",
                lang,
                "--date",
                "2024-02-29",
            ],
        );
        assert_eq!(o.status.code(), Some(0));
        let out = stdout(&o);
        assert!(out.contains(expected), "{format} {lang}: {out}");
    }
    // not a calendar date: a usage error, nothing written
    let o = ropa(dir.path(), &["register", "--date", "2026-02-29"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
    assert!(common::stderr(&o).contains("`2026-02-29` is not a date written YYYY-MM-DD"));
}

/// A manifest that cannot be read is in every format of the register, CSV too, and a finding a
/// deviation excuses shows its justification and who approved it.
#[test]
fn unreadable_manifests_and_deviations_are_in_every_format() {
    let excused = "\
version: 1
activities:
  - id: cctv
    name: Cameras
    purpose: video-surveillance
    legal_basis: legitimate-interests
    legitimate_interests: { interest: security, balancing_test: https://example.com/lia }
    data_subjects: [visitors]
    data_categories: [images]
    dpia: { required: false }
    retention: { active: 3 months, starts: collection }
    deviations:
      - rule: RT003
        justification: Thefts are found at the quarterly inventory
        approved_by: DPO
";
    let dir = repo(&[
        ("shop/processing.yaml", excused),
        ("broken/processing.yaml", "activities: [\n"),
    ]);
    for (format, lang) in [
        ("csv", "en"),
        ("json", "en"),
        ("markdown", "en"),
        ("html", "en"),
        ("csv", "fr"),
    ] {
        let o = ropa(
            dir.path(),
            &["register", "--format", format, "--lang", lang],
        );
        let text = stdout(&o);
        assert!(
            text.contains("broken/processing.yaml"),
            "{format} {lang}: {text}"
        );
        assert!(text.contains("MF001"), "{format} {lang}: {text}");
        assert!(
            text.contains("Thefts are found at the quarterly inventory"),
            "{format} {lang}: {text}"
        );
        let approved = if lang == "fr" {
            "approuvée par DPO"
        } else {
            "approved by DPO"
        };
        assert!(text.contains(approved), "{format} {lang}: {text}");
    }
}

/// An activity whose id is not valid (MF004) is named by its name in the findings list,
/// escaped like any text from the repository, and its HTML row has no empty anchor.
#[test]
fn an_activity_without_a_valid_id_is_named_by_its_name() {
    let m = common::CLEAN
        .replace("id: crm", "id: \"Bad Id!\"")
        .replace("name: Customer file", "name: \"Customer <b>file</b> | x\"");
    let dir = repo(&[("processing.yaml", &m)]);
    let o = ropa(dir.path(), &["register", "--format", "markdown"]);
    let md = stdout(&o);
    assert!(
        md.contains("**error** Customer \\<b\\>file\\</b\\> \\| x (processing.yaml:3) — MF004"),
        "{md}"
    );
    let o = ropa(dir.path(), &["register", "--format", "html"]);
    let html = stdout(&o);
    assert!(
        html.contains("<strong>error</strong> Customer &lt;b&gt;file&lt;/b&gt; | x (processing.yaml:3) — MF004"),
        "{html}"
    );
    assert!(html.contains("<tr class=\"finding\">"), "{html}");
    assert!(!html.contains("id=\"\""), "{html}");
    assert!(!html.contains("<b>file"), "{html}");
}

/// Two manifests with the same activity id (MF005): both rows are in the register, and only the
/// first carries the id as its HTML anchor (an `id` attribute is unique in a page).
#[test]
fn an_id_used_twice_anchors_one_row() {
    let dir = repo(&[
        ("a/processing.yaml", common::CLEAN),
        ("b/processing.yaml", common::CLEAN),
    ]);
    let o = ropa(dir.path(), &["register", "--format", "html"]);
    let html = stdout(&o);
    assert_eq!(html.matches("<tr id=\"crm\"").count(), 1, "{html}");
    assert!(html.contains("a/processing.yaml:3"), "{html}");
    assert!(html.contains("b/processing.yaml:3"), "{html}");
}
