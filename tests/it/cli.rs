//! The binary as users run it: exit codes, formats, discovery, and the other commands.

use crate::common;

use std::path::PathBuf;

use common::{CLEAN, diagnostics, field, json, line, repo, repo_root, ropa, stderr, stdout};
use serde_json::Value;

/// (path, code, line) of every diagnostic.
fn findings(report: &Value) -> Vec<(String, String, u64)> {
    diagnostics(report)
        .iter()
        .map(|d| (field(d, "/path"), field(d, "/code"), line(d)))
        .collect()
}

#[test]
fn the_examples_report_exactly_their_planted_mistakes() {
    let o = ropa(&repo_root(), &["lint", "examples/", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report = json(&o);
    let got = findings(&report);
    let want: Vec<(String, String, u64)> = [
        ("examples/services/analytics/processing.yaml", "MF002", 15),
        ("examples/services/analytics/processing.yaml", "TR001", 18),
        ("examples/services/billing/processing.yaml", "LB004", 9),
        ("examples/services/billing/processing.yaml", "RT004", 15),
        ("examples/services/ethics/processing.yaml", "DP002", 13),
        ("examples/services/hr/processing.yaml", "RT003", 30),
        (
            "examples/services/newsletter/newsletter.processing.yaml",
            "LB001",
            23,
        ),
    ]
    .into_iter()
    .map(|(p, c, l)| (p.to_string(), c.to_string(), l))
    .collect();
    assert_eq!(got, want);
    // the deviation turned LB001 into a note that carries the justification
    let lb001 = &report["diagnostics"][6];
    assert_eq!(lb001["severity"], "note");
    assert!(
        lb001["deviation"]["justification"]
            .as_str()
            .unwrap()
            .contains("L34-5")
    );
    assert_eq!(
        report["summary"],
        serde_json::json!({"files": 6, "activities": 9, "errors": 5, "warnings": 1, "notes": 1})
    );
}

#[test]
fn the_json_report_has_the_documented_shape() {
    let o = ropa(&repo_root(), &["lint", "./examples", "--format", "json"]);
    let report = json(&o);
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        keys(&report),
        [
            "version",
            "tool",
            "diagnostics",
            "summary",
            "unread",
            "problems",
            "coverage"
        ]
    );
    assert_eq!(report["unread"], serde_json::json!([]));
    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "ropa");
    assert_eq!(report["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        report["tool"]["catalog"]
            .as_str()
            .unwrap()
            .starts_with("cnil-fr@")
    );
    let d = &report["diagnostics"][1];
    assert_eq!(
        keys(d),
        [
            "code",
            "rule",
            "severity",
            "message",
            "path",
            "activity",
            "range",
            "help",
            "notes",
            "sources",
            "deviation"
        ]
    );
    assert_eq!(d["code"], "TR001");
    assert_eq!(d["rule"], "transfer-without-safeguard");
    assert_eq!(d["activity"], "ad-trackers");
    assert_eq!(
        d["range"]["start"],
        serde_json::json!({"line": 18, "column": 18})
    );
    assert_eq!(
        d["range"]["end"],
        serde_json::json!({"line": 18, "column": 20})
    );
    // no leading ./ even when the path was given with one
    assert!(d["path"].as_str().unwrap().starts_with("examples/"));
    assert!(!d["sources"].as_array().unwrap().is_empty());
}

#[test]
fn output_is_deterministic() {
    let a = ropa(&repo_root(), &["lint", "examples", "--format", "json"]);
    let b = ropa(&repo_root(), &["lint", "examples", "--format", "json"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn a_clean_repository_exits_0_and_says_so() {
    let dir = repo(&[("svc/processing.yaml", CLEAN)]);
    let o = ropa(dir.path(), &["lint"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).starts_with("All checks passed"),
        "{}",
        stdout(&o)
    );
    let o = ropa(dir.path(), &["lint", "--quiet"]);
    assert_eq!(stdout(&o), "");
}

#[test]
fn gitignored_manifests_are_not_read() {
    let dir = repo(&[
        (".gitignore", "build/\n"),
        ("svc/processing.yaml", CLEAN),
        ("build/processing.yaml", "version: [\n"),
        (".ignore", "vendor/\n"),
        ("vendor/processing.yml", "version: [\n"),
        (
            "hidden/.config/crm.processing.yml",
            CLEAN.replace("id: crm", "id: crm2").as_str(),
        ),
        ("svc/notes.yaml", "version: [\n"),
    ]);
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(json(&o)["summary"]["files"], 2);
}

/// A line of an ignore file that cannot be compiled is left out of the rules, and said, with
/// its file and line, wherever the walk starts: from the directory that holds the file or from
/// one below it. The rest of the file still applies, and the run lints what it finds.
#[test]
fn an_ignore_line_that_is_not_a_glob_is_said_from_any_start() {
    let dir = repo(&[
        ("svc/.gitignore", "build/\n**/x/[z-a]\n"),
        ("svc/api/processing.yaml", CLEAN),
        ("svc/build/processing.yaml", "version: [\n"),
    ]);
    for start in [".", "svc", "svc/api"] {
        let o = ropa(dir.path(), &["lint", start, "--format", "json"]);
        assert_eq!(o.status.code(), Some(2), "{start}: {}", stderr(&o));
        // once, at its line, whichever directory the walk starts from
        let v = json(&o);
        let problems = v["problems"].as_array().unwrap();
        assert_eq!(problems.len(), 1, "{start}: {v}");
        assert_eq!(problems[0]["path"], "svc/.gitignore", "{start}");
        assert_eq!(problems[0]["range"]["start"]["line"], 2, "{start}");
        assert_eq!(problems[0]["range"]["end"]["column"], 11, "{start}");
        // `build/` still applies
        assert_eq!(v["summary"]["files"], 1, "{start}");
        // in the user's language, with the line drawn
        let o = ropa(dir.path(), &["lint", start, "--lang", "fr"]);
        let err = format!("{}{}", stdout(&o), stderr(&o));
        let said = [
            "--> svc/.gitignore:2:1",
            "2 | **/x/[z-a]",
            "ligne écartée des règles d'exclusion : l'intervalle `z-a` est à l'envers",
        ];
        assert!(said.iter().all(|s| err.contains(s)), "{start}: {err}");
        assert!(!err.contains("error parsing glob"), "{start}: {err}");
    }
}

#[test]
fn an_explicit_file_is_linted_whatever_its_name() {
    let dir = repo(&[
        ("docs/crm.yaml", CLEAN),
        ("other/processing.yaml", "version: [\n"),
    ]);
    let o = ropa(dir.path(), &["lint", "docs/crm.yaml", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(json(&o)["summary"]["files"], 1);
}

#[test]
fn a_missing_path_exits_2_but_the_rest_is_linted() {
    let dir = repo(&[("svc/processing.yaml", "version: [\n")]);
    let o = ropa(dir.path(), &["lint", "svc", "nope/", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope"), "{}", stderr(&o));
    assert_eq!(
        findings(&json(&o)),
        [("svc/processing.yaml".to_string(), "MF001".to_string(), 1)]
    );
}

#[test]
fn broken_yaml_is_a_finding_not_a_tool_failure() {
    let dir = repo(&[(
        "processing.yaml",
        "version: 1\nactivities:\n  - id: [a\n    name: b\n",
    )]);
    let o = ropa(dir.path(), &["lint", "--color", "never"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("error[MF001]"), "{out}");
    assert!(out.contains("processing.yaml:4:"), "{out}");
}

#[test]
fn unreadable_content_is_reported_and_linting_goes_on() {
    let dir = repo(&[("a/processing.yaml", CLEAN)]);
    std::fs::write(
        dir.path().join("b/processing.yaml").tap_parent(),
        b"version: 1\n\xff\xfe\n",
    )
    .unwrap();
    let big = format!("# {}\n", "x".repeat(1024 * 1024 + 10));
    std::fs::write(dir.path().join("c/processing.yaml").tap_parent(), big).unwrap();
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let r = json(&o);
    assert_eq!(
        findings(&r),
        [
            ("b/processing.yaml".to_string(), "MF001".to_string(), 1),
            ("c/processing.yaml".to_string(), "MF001".to_string(), 1)
        ]
    );
    assert!(
        r["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("UTF-8")
    );
    assert!(
        r["diagnostics"][1]["message"]
            .as_str()
            .unwrap()
            .contains("limit")
    );
    assert_eq!(r["summary"]["activities"], 1);
}

trait TapParent {
    fn tap_parent(self) -> Self;
}

impl TapParent for PathBuf {
    /// Creates the parent directory and returns the path.
    fn tap_parent(self) -> Self {
        std::fs::create_dir_all(self.parent().unwrap()).unwrap();
        self
    }
}

#[test]
fn fail_on_warning_makes_warnings_fail() {
    let warn_only = CLEAN.replace("active: 3 years", "active: 4 years");
    let dir = repo(&[("processing.yaml", warn_only.as_str())]);
    assert_eq!(ropa(dir.path(), &["lint"]).status.code(), Some(0));
    assert_eq!(
        ropa(dir.path(), &["lint", "--fail-on", "warning"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn output_goes_to_a_file_when_asked() {
    let dir = repo(&[("processing.yaml", CLEAN)]);
    let o = ropa(
        dir.path(),
        &["lint", "--format", "json", "--output", "report.json"],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
    let text = std::fs::read_to_string(dir.path().join("report.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["summary"]["files"], 1);
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let dir = repo(&[("processing.yaml", "version: [\n")]);
    let always = ropa(dir.path(), &["lint", "--color", "always"]);
    assert!(stdout(&always).contains('\x1b'));
    let never = ropa(dir.path(), &["lint", "--color", "never"]);
    assert!(!stdout(&never).contains('\x1b'));
    // not a terminal: auto means no colour
    let auto = ropa(dir.path(), &["lint"]);
    assert!(!stdout(&auto).contains('\x1b'));
}

#[test]
fn human_output_points_at_the_value() {
    let bad = CLEAN.replace("legal_basis: legitimate-interests", "legal_basis: consent");
    let dir = repo(&[("processing.yaml", bad.as_str())]);
    let o = ropa(dir.path(), &["lint", "--color", "never"]);
    let out = stdout(&o);
    assert!(out.contains("error[LB001]: legal basis `consent` is not consistent with purpose `customer-management`"), "{out}");
    assert!(out.contains("--> processing.yaml:6:18"), "{out}");
    assert!(out.contains("^^^^^^^"), "{out}");
    assert!(
        out.contains("= help: the catalog lists `legitimate-interests` (recommended), `contract`"),
        "{out}"
    );
    assert!(out.contains("source: CNIL"), "{out}");
    assert!(
        out.contains("Found 1 error, 1 warning in 1 of 1 manifest"),
        "{out}"
    );
}

#[test]
fn recommend_answers_the_founding_question_in_english_and_french() {
    let q = "Gestion de clientèle : fiche client, courriers et relances";
    let o = ropa(&repo_root(), &["recommend", q]);
    assert_eq!(o.status.code(), Some(0));
    let en = stdout(&o);
    assert!(
        en.contains("Recommended legal basis: `legitimate-interests`"),
        "{en}"
    );
    assert!(en.contains("✔ contract (consistent)"), "{en}");
    assert!(en.contains("✘ consent (not consistent)"), "{en}");
    assert!(en.contains("DPIA (AIPD): assess case by case"), "{en}");
    assert!(
        en.contains("at most 3 years from the end of the relationship"),
        "{en}"
    );
    assert!(
        en.contains("https://www.cnil.fr/fr/les-bases-legales/interet-legitime"),
        "{en}"
    );
    assert!(
        en.contains("olympe.legal"),
        "the departure from the published answer is explained"
    );

    let o = ropa(&repo_root(), &["recommend", q, "--lang", "fr"]);
    let fr = stdout(&o);
    assert!(
        fr.contains("Base légale recommandée : `legitimate-interests`, intérêt légitime"),
        "{fr}"
    );
    assert!(
        fr.contains("AIPD (DPIA) : à évaluer au cas par cas"),
        "{fr}"
    );
    assert!(
        fr.contains("au plus 3 ans à compter de la fin de la relation commerciale"),
        "{fr}"
    );

    let o = ropa(&repo_root(), &["recommend", q, "--format", "json"]);
    let v = common::raw_json(&o);
    assert_eq!(v["purposes"][0]["id"], "customer-management");
    assert_eq!(
        v["purposes"][0]["recommended"],
        serde_json::json!(["legitimate-interests"])
    );
    assert_eq!(v["purposes"][0]["dpia"]["duty"], "assess");
}

/// `recommend` answers only a purpose it is sure of; a close spelling or a query that only
/// contains a name gets candidates, clearly marked, and exit 2 — never an answer.
#[test]
fn recommend_answers_only_a_confident_match() {
    let o = ropa(&repo_root(), &["recommend", "acounting"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
    assert!(
        stderr(&o).contains("candidates, not an answer: `accounting`"),
        "{}",
        stderr(&o)
    );
    let o = ropa(&repo_root(), &["recommend", "zzzz qqqq"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no purpose `zzzz qqqq` in the catalog"));
}

#[test]
fn explain_prints_a_rule_and_lists_them_all() {
    let o = ropa(&repo_root(), &["explain", "lb001"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(
        text.starts_with("LB001 (legal-basis-inconsistent) [default: error]"),
        "{text}"
    );
    assert!(text.contains("## Why"));
    let o = ropa(&repo_root(), &["explain"]);
    assert_eq!(stdout(&o).lines().count(), ropa::rules::all().len());
    let o = ropa(&repo_root(), &["explain", "LB009"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn catalog_list_and_show() {
    let o = ropa(&repo_root(), &["catalog", "list"]);
    let text = stdout(&o);
    for id in [
        "customer-management",
        "accounting",
        "prospecting-electronic-b2c",
        "trackers-consent",
        "whistleblowing",
        "video-surveillance",
        "recruitment",
    ] {
        assert!(text.contains(id), "{id} missing from {text}");
    }
    let o = ropa(&repo_root(), &["catalog", "show", "whistleblowing"]);
    assert!(stdout(&o).contains("required (always)"));
    let o = ropa(&repo_root(), &["catalog", "show", "nothing-like-this"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn bad_usage_exits_2() {
    let o = ropa(&repo_root(), &["lint", "--format", "yaml"]);
    assert_eq!(o.status.code(), Some(2));
    let o = ropa(&repo_root(), &["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    let o = ropa(&repo_root(), &["--help"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn an_organisation_catalog_adds_purposes_and_a_bad_one_exits_2() {
    let org = "catalog:
  id: acme
  version: '1'
  title: {en: ACME policy, fr: Politique ACME}
sources:
  acme-policy:
    title: ACME data protection policy
    url: https://intranet.example.com/policy
purposes:
  - id: acme-gift-cards
    label: {en: Gift cards, fr: Cartes cadeaux}
    summary: {en: Gift cards, fr: Cartes cadeaux}
    legal_bases:
      - basis: contract
        status: recommended
        why: {en: Membership terms, fr: Conditions d'adhésion}
        evidence: primary
        sources: [acme-policy]
    dpia:
      duty: assess
      why: {en: Two-criteria rule, fr: Règle des deux critères}
      evidence: primary
      sources: [cnil-aipd]
    retention:
      - bound: maximum
        applies_to: active
        duration: 3 years
        nature: recommended
        what: {en: Three years, fr: Trois ans}
        evidence: primary
        sources: [acme-policy]
    sources: [acme-policy]
";
    let manifest = CLEAN
        .replace("purpose: customer-management", "purpose: acme-gift-cards")
        .replace(
            "legal_basis: legitimate-interests\n    legitimate_interests:\n      balancing_test: https://intranet.example.com/lia\n",
            "legal_basis: contract\n",
        );
    let dir = repo(&[("org.yaml", org), ("processing.yaml", manifest.as_str())]);
    let o = ropa(dir.path(), &["lint", "processing.yaml", "--format", "json"]);
    assert_eq!(findings(&json(&o))[0].1, "MF006");
    let o = ropa(
        dir.path(),
        &[
            "lint",
            "processing.yaml",
            "--catalog",
            "org.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        json(&o)["tool"]["catalog"]
            .as_str()
            .unwrap()
            .ends_with("+acme@1")
    );

    let bad = org.replace("duty: assess", "duty: sometimes");
    std::fs::write(dir.path().join("bad.yaml"), bad).unwrap();
    let o = ropa(
        dir.path(),
        &["lint", "processing.yaml", "--catalog", "bad.yaml"],
    );
    assert_eq!(o.status.code(), Some(2));
    // the human report draws the problem at its place
    assert!(stdout(&o).contains("bad.yaml:20:13"), "{}", stdout(&o));
}

#[test]
fn manifest_text_cannot_drive_the_terminal() {
    // an ESC sequence and a right-to-left override inside a manifest
    let evil = "version: 1\nactivities:\n  - id: crm\n    name: x\n    purpose: \"cust \u{202e} omer \u{1b}[31m\"\n";
    let dir = repo(&[("processing.yaml", evil)]);
    let o = ropa(dir.path(), &["lint", "--color", "never"]);
    let out = stdout(&o);
    assert!(out.contains("processing.yaml:5:"), "{out}");
    assert!(!out.contains('\u{1b}'), "raw ESC in output: {out:?}");
    assert!(
        !out.contains('\u{202e}'),
        "raw bidi override in output: {out:?}"
    );
}

#[test]
fn init_writes_a_manifest_once_and_needs_a_purpose_off_a_terminal() {
    let dir = repo(&[]);
    let o = ropa(dir.path(), &["init", "svc", "--purpose", "whistleblowing"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(dir.path().join("svc/processing.yaml")).unwrap();
    assert!(text.contains("required: true"), "{text}");
    let o = ropa(dir.path(), &["init", "svc", "--purpose", "whistleblowing"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("never overwrites"));
    // standard input is not a terminal here
    let o = ropa(dir.path(), &["init", "other"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--purpose"));
    // the new manifest reports its placeholders, and only them
    let o = ropa(dir.path(), &["lint", "svc", "--format", "json"]);
    let r = json(&o);
    let diags = r["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty());
    assert!(diags.iter().all(|d| d["code"] == "MF004"
        && d["message"].as_str().unwrap().contains("placeholder")));
}

#[test]
fn the_stricter_example_catalog_changes_the_documented_verdicts() {
    let base = ropa(&repo_root(), &["lint", "examples", "--format", "json"]);
    let strict = ropa(
        &repo_root(),
        &[
            "lint",
            "examples",
            "--format",
            "json",
            "--catalog",
            "examples/catalogs/stricter.yaml",
        ],
    );
    let before: Vec<_> = findings(&json(&base));
    let after: Vec<_> = findings(&json(&strict));
    let added: Vec<_> = after
        .iter()
        .filter(|f| !before.contains(f))
        .cloned()
        .collect();
    let removed: Vec<_> = before.iter().filter(|f| !after.contains(f)).collect();
    assert_eq!(
        added,
        [
            (
                "examples/services/crm/processing.yaml".to_string(),
                "DP002".to_string(),
                19
            ),
            (
                "examples/services/hr/processing.yaml".to_string(),
                "RT003".to_string(),
                13
            ),
        ]
    );
    assert!(removed.is_empty(), "{removed:?}");
}

#[test]
fn every_problem_of_an_organisation_catalog_is_reported_at_once() {
    let org = "\
catalog: {id: acme, version: '1', title: {en: A, fr: A}}
purposes:
  - id: acme-thing
    label: {en: Thing, fr: Chose}
  - id: customer-management
    sources: [gdpr, no-such-source]
  - id: accounting
    legal_bases:
      - basis: consent
        status: consistent
        why: {en: W, fr: W}
        evidence: primary
        sources: [gdpr]
";
    let dir = repo(&[("org.yaml", org), ("processing.yaml", CLEAN)]);
    let o = ropa(dir.path(), &["lint", "--catalog", "org.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stdout(&o);
    // in file order, each at its place: the incomplete new purpose, the dangling source, and
    // the purpose left without a recommended basis (at its `id:`)
    let at = |needle: &str| {
        err.find(needle)
            .unwrap_or_else(|| panic!("{needle}: {err}"))
    };
    let (a, b, c) = (at("org.yaml:3:9"), at("org.yaml:6:21"), at("org.yaml:7:9"));
    assert!(a < b && b < c, "{err}");
    assert!(
        err.contains("new purpose `acme-thing` lacks summary"),
        "{err}"
    );
    assert!(err.contains("unknown source `no-such-source`"), "{err}");
    assert!(
        err.contains("purpose `accounting` has no recommended legal basis"),
        "{err}"
    );
}

#[test]
fn a_new_purpose_in_an_organisation_catalog_must_be_complete() {
    let org = "catalog: {id: acme, version: '1', title: {en: A, fr: A}}\npurposes:\n  - id: acme-thing\n    label: {en: Thing, fr: Chose}\n";
    let dir = repo(&[("org.yaml", org), ("processing.yaml", CLEAN)]);
    let o = ropa(dir.path(), &["lint", "--catalog", "org.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stdout(&o);
    assert!(err.contains("org.yaml:3:9"), "{err}");
    assert!(
        err.contains("lacks summary, legal_bases, dpia, retention, sources"),
        "{err}"
    );
}

#[test]
fn init_asks_for_the_purpose_on_a_terminal() {
    // `script` (util-linux) gives ropa a terminal and types the answers
    let dir = repo(&[]);
    let mut child = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("{} init d", env!("CARGO_BIN_EXE_ropa")),
            "/dev/null",
        ])
        .current_dir(dir.path())
        .env("ROPA_CACHE_DIR", crate::common::test_cache_dir())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("script(1) from util-linux runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"clientele\n1\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(screen.contains("1. customer-management"), "{screen}");
    let text = std::fs::read_to_string(dir.path().join("d/processing.yaml")).unwrap();
    assert!(text.contains("purpose: customer-management"));
}

#[test]
fn named_files_are_reported_on_but_the_repository_is_read() {
    let other = CLEAN.replace("active: 3 years", "active: unlimited");
    let dir = repo(&[("a/processing.yaml", CLEAN), ("b/processing.yaml", &other)]);
    // a/ alone: b/'s own problem (RT002) is not reported, but b/'s `crm` makes a/'s a duplicate
    let o = ropa(
        dir.path(),
        &["lint", "a/processing.yaml", "--format", "json"],
    );
    let r = json(&o);
    assert_eq!(
        findings(&r),
        [("a/processing.yaml".to_string(), "MF005".to_string(), 3)]
    );
    assert_eq!(r["summary"]["files"], 1);
    assert!(
        r["diagnostics"][0]["notes"][0]
            .as_str()
            .unwrap()
            .contains("b/processing.yaml:3:9")
    );
}

#[test]
fn changed_since_reports_only_changed_manifests_and_their_references() {
    let git = common::git;
    let lia = CLEAN.replace("https://intranet.example.com/lia", "docs/lia.md");
    let dir = repo(&[
        ("a/processing.yaml", &CLEAN.replace("id: crm", "id: a")),
        (
            "b/processing.yaml",
            &lia.replace("id: crm", "id: b")
                .replace("3 years", "4 years"),
        ),
        ("b/docs/lia.md", "v1"),
        (
            "c/processing.yaml",
            &CLEAN
                .replace("id: crm", "id: c")
                .replace("3 years", "4 years"),
        ),
        (
            "d/processing.yaml",
            &format!(
                "{}    code: [\"src/*.py\"]\n",
                CLEAN
                    .replace("id: crm", "id: d")
                    .replace("3 years", "4 years")
            ),
        ),
        ("d/src/x.py", "v1"),
        ("d/src/deep/y.py", "v1"),
    ]);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-qm", "init"]);
    // nothing changed: nothing reported
    let o = ropa(
        dir.path(),
        &["lint", "--changed-since", "HEAD", "--format", "json"],
    );
    assert_eq!(json(&o)["summary"]["files"], 0);
    // a/ changes; b/'s balancing test changes; c/ does not
    std::fs::write(
        dir.path().join("a/processing.yaml"),
        CLEAN
            .replace("id: crm", "id: a")
            .replace("3 years", "5 years"),
    )
    .unwrap();
    std::fs::write(dir.path().join("b/docs/lia.md"), "v2").unwrap();
    // `*` stops at `/`, as in RF002: d/'s `src/*.py` does not cover src/deep/
    std::fs::write(dir.path().join("d/src/deep/y.py"), "v2").unwrap();
    let o = ropa(
        dir.path(),
        &["lint", "--changed-since", "HEAD", "--format", "json"],
    );
    let r = json(&o);
    assert_eq!(
        findings(&r),
        [
            ("a/processing.yaml".to_string(), "RT003".to_string(), 14),
            ("b/processing.yaml".to_string(), "RT003".to_string(), 14),
        ]
    );
    std::fs::write(dir.path().join("d/src/x.py"), "v2").unwrap();
    let o = ropa(
        dir.path(),
        &["lint", "--changed-since", "HEAD", "--format", "json"],
    );
    let reported: Vec<String> = findings(&json(&o)).into_iter().map(|f| f.0).collect();
    assert_eq!(
        reported,
        [
            "a/processing.yaml",
            "b/processing.yaml",
            "d/processing.yaml"
        ]
    );
    let o = ropa(dir.path(), &["lint", "--changed-since", "no-such-ref"]);
    assert_eq!(o.status.code(), Some(2));
    // a ref that git would read as an option is refused before git runs
    let o = ropa(
        dir.path(),
        &["lint", "--changed-since=--output=written-by-git"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a git ref"), "{}", stderr(&o));
    assert!(!dir.path().join("written-by-git").exists());
}

/// A manifest named without a directory (`processing.yaml`, as pre-commit names files at the top
/// of a repository) has the working directory as its directory: its `code:` globs are searched
/// there, and a configuration named `--config ropa.yaml` has its globs relative to it.
#[test]
fn paths_without_a_directory_resolve_against_the_working_directory() {
    let manifest = format!("{CLEAN}    code: [\"**/*.py\", \"*.yaml\"]\n");
    let dir = repo(&[("processing.yaml", &manifest), ("src/app.py", "")]);
    let clean = |args: &[&str]| {
        let o = ropa(dir.path(), args);
        let r = json(&o);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {r}");
        assert_eq!(r["summary"]["files"], 1, "{args:?}: {r}");
        assert_eq!(r["diagnostics"], serde_json::json!([]), "{args:?}: {r}");
    };
    clean(&["lint", "--format", "json"]);
    clean(&["lint", "processing.yaml", "--format", "json"]);
    std::fs::write(dir.path().join("ropa.yaml"), "exclude: [\"vendor/**\"]\n").unwrap();
    std::fs::create_dir(dir.path().join("vendor")).unwrap();
    std::fs::write(dir.path().join("vendor/processing.yaml"), "not: [yaml").unwrap();
    clean(&["lint", "--config", "ropa.yaml", "--format", "json"]);
}

/// `--color auto` reads the environment as other command-line tools do.
#[test]
fn colours_follow_clicolor_force_no_color_and_dumb_terminals() {
    let run = |vars: &[(&str, &str)]| {
        let mut c = crate::common::command();
        c.args(["lint", "examples"]).current_dir(repo_root());
        for v in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM"] {
            c.env_remove(v);
        }
        c.envs(vars.iter().copied());
        let o = c.output().unwrap();
        String::from_utf8(o.stdout).unwrap().contains('\u{1b}')
    };
    // standard output is a pipe here: no colour unless forced
    assert!(!run(&[]));
    assert!(run(&[("CLICOLOR_FORCE", "1")]));
    assert!(!run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
}

/// serde stops at the first problem; ropa reads each section and each purpose of an
/// organisation catalog again on its own, so every such problem is reported at its place, in
/// the run's language, in every format.
#[test]
fn every_type_error_of_an_organisation_catalog_is_reported_at_its_place() {
    let org = "\
catalog: {id: acme, version: '1', title: {en: A, fr: A}}
purposes:
  - id: customer-management
    dpia:
      duty: sometimes
  - id: accounting
    legal_bases:
      - basis: consent
        status: maybe
  - id: payroll
    labels: {en: x, fr: y}
";
    let dir = repo(&[("org.yaml", org), ("processing.yaml", CLEAN)]);
    let o = ropa(
        dir.path(),
        &["lint", "--catalog", "org.yaml", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(2));
    let report = json(&o);
    let problems = report["problems"].as_array().unwrap();
    let at: Vec<(u64, u64)> = problems
        .iter()
        .map(|p| {
            assert_eq!(p["kind"], "catalog");
            assert_eq!(p["path"], "org.yaml");
            let start = &p["range"]["start"];
            (
                start["line"].as_u64().unwrap(),
                start["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(at, [(5, 13), (9, 17), (11, 5)], "{report}");
    let o = ropa(
        dir.path(),
        &["lint", "--catalog", "org.yaml", "--lang", "fr"],
    );
    let out = stdout(&o);
    assert!(out.contains("valeur inconnue `sometimes`"), "{out}");
    assert!(out.contains("champ inconnu `labels`"), "{out}");
}

/// One file named twice, by two spellings of its path, is one manifest: its ids are not
/// duplicates of themselves.
#[test]
fn a_file_named_twice_is_linted_once() {
    let dir = repo(&[("svc/processing.yaml", CLEAN)]);
    let o = ropa(
        dir.path(),
        &[
            "lint",
            "svc/processing.yaml",
            "svc/../svc/processing.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(json(&o)["summary"]["files"], 1);
}

/// Catalog texts are printed by every command: a control character or a bidirectional
/// override in one is a located problem, not text that reaches a terminal.
#[test]
fn catalog_text_cannot_hold_controls() {
    let org = "catalog: {id: acme, version: '1', title: {en: \"A\\u2028B\", fr: A}}\npurposes:\n  - id: accounting\n    label: {en: \"Acc\\u202eounting\", fr: \"Comptabilit\\u001b[31mé\"}\n";
    let dir = repo(&[("org.yaml", org), ("processing.yaml", CLEAN)]);
    let o = ropa(dir.path(), &["catalog", "list", "--catalog", "org.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("org.yaml:4:17"), "{err}");
    assert!(err.contains("org.yaml:4:41"), "{err}");
    // a line separator ends a line for some readers
    assert!(err.contains("org.yaml:1:47"), "{err}");
    assert!(
        !err.contains('\u{202e}') && !err.contains('\u{1b}') && !err.contains('\u{2028}'),
        "{err:?}"
    );
}

/// `--changed-since` never misses a change git would quote (accents, tabs), marks a manifest
/// whose document, named with `../`, was deleted, and runs nothing the repository's git
/// configuration names (a file-system monitor would run on every git status).
#[cfg(unix)]
#[test]
fn changed_since_reads_git_safely_and_misses_nothing() {
    let git = common::git;
    let doc = CLEAN.replace("https://intranet.example.com/lia", "../docs/lia.md");
    let dir = repo(&[
        (
            "données/processing.yaml",
            &CLEAN.replace("id: crm", "id: accents"),
        ),
        ("svc/processing.yaml", &doc.replace("id: crm", "id: doc")),
        ("docs/lia.md", "v1"),
    ]);
    let p = dir.path();
    git(p, &["init", "-q"]);
    git(p, &["add", "."]);
    git(p, &["commit", "-qm", "init"]);
    // the repository asks git to run a program on every status; ropa must not let it
    let marker = p.join("ran");
    let monitor = p.join("monitor.sh");
    std::fs::write(&monitor, format!("#!/bin/sh\ntouch {}\n", marker.display())).unwrap();
    let mut perms = std::fs::metadata(&monitor).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&monitor, perms).unwrap();
    git(p, &["config", "core.fsmonitor", monitor.to_str().unwrap()]);
    std::fs::write(
        p.join("données/processing.yaml"),
        CLEAN
            .replace("id: crm", "id: accents")
            .replace("3 years", "2 years"),
    )
    .unwrap();
    std::fs::remove_file(p.join("docs/lia.md")).unwrap();
    let o = ropa(p, &["lint", "--changed-since", "HEAD", "--format", "json"]);
    let report = json(&o);
    assert_eq!(report["summary"]["files"], 2, "{report}");
    assert!(
        !marker.exists(),
        "ropa let git run the repository's fsmonitor"
    );
}

/// RT003 names whose maximum was exceeded: an organisation catalog's own figure is not the
/// CNIL's recommendation.
#[test]
fn rt003_names_the_catalog_that_set_the_maximum() {
    let o = ropa(
        &repo_root().join("examples"),
        &[
            "lint",
            "--catalog",
            "catalogs/stricter.yaml",
            "--format",
            "json",
        ],
    );
    let report = json(&o);
    let rt003: Vec<&str> = diagnostics(&report)
        .iter()
        .filter(|d| d["code"] == "RT003")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        rt003
            .iter()
            .any(|m| m
                .contains("the maximum set by catalog `acme-policy` for purpose `recruitment`")),
        "{rt003:?}"
    );
    assert!(
        rt003.iter().any(|m| m.contains("the statutory maximum")),
        "{rt003:?}"
    );
    assert!(
        !rt003
            .iter()
            .any(|m| m.contains("CNIL-recommended maximum for purpose `recruitment`"))
    );
}

/// `--changed-since` and `--new-since` over a repository outside the working directory's ask
/// that repository's git, as if ropa ran there: asking the working directory's git would match
/// none of its files (or read another base) and report nothing.
#[test]
fn changed_since_asks_the_git_of_the_repository_linted() {
    let git = common::git;
    let other = repo(&[
        ("a/processing.yaml", &CLEAN.replace("id: crm", "id: a")),
        ("b/processing.yaml", &CLEAN.replace("id: crm", "id: b")),
    ]);
    let here = repo(&[("README.md", "here\n")]);
    for dir in [other.path(), here.path()] {
        git(dir, &["init", "-q"]);
        git(dir, &["add", "."]);
        git(dir, &["commit", "-qm", "init"]);
    }
    std::fs::write(
        other.path().join("b/processing.yaml"),
        CLEAN
            .replace("id: crm", "id: b")
            .replace("3 years", "5 years"),
    )
    .unwrap();
    // `--new-since` reads the base revision from that repository's objects too
    for flag in ["--changed-since", "--new-since"] {
        let o = ropa(
            here.path(),
            &[
                "lint",
                flag,
                "HEAD",
                "--format",
                "json",
                other.path().to_str().unwrap(),
            ],
        );
        let r = json(&o);
        let reported: Vec<(String, String)> = findings(&r)
            .into_iter()
            .map(|(file, code, _)| (file, code))
            .collect();
        assert_eq!(reported.len(), 1, "{flag}: {r}");
        assert!(reported[0].0.ends_with("b/processing.yaml"), "{flag}: {r}");
        assert_eq!(reported[0].1, "RT003", "{flag}: {r}");
        // a warning: the run passes, having looked
        assert_eq!(o.status.code(), Some(0), "{flag}");
    }
}

/// A file rewritten with the same content (or merely touched) is not changed: git's index
/// still has its old stat, so `git diff-index` lists it, and ropa must look at the content.
#[test]
fn a_file_touched_but_not_changed_is_not_changed() {
    let git = common::git;
    let dir = repo(&[
        ("a/processing.yaml", &CLEAN.replace("id: crm", "id: a")),
        ("b/processing.yaml", &CLEAN.replace("id: crm", "id: b")),
    ]);
    let p = dir.path();
    git(p, &["init", "-q"]);
    git(p, &["add", "."]);
    git(p, &["commit", "-qm", "init"]);
    // b: written again, same bytes, another time; a: really changed
    let b = p.join("b/processing.yaml");
    let text = std::fs::read(&b).unwrap();
    std::fs::remove_file(&b).unwrap();
    std::fs::write(&b, text).unwrap();
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(100);
    std::fs::File::options()
        .write(true)
        .open(&b)
        .unwrap()
        .set_modified(later)
        .unwrap();
    std::fs::write(
        p.join("a/processing.yaml"),
        CLEAN
            .replace("id: crm", "id: a")
            .replace("3 years", "2 years"),
    )
    .unwrap();
    let o = ropa(p, &["lint", "--changed-since", "HEAD", "--format", "json"]);
    let report = json(&o);
    assert_eq!(report["summary"]["files"], 1, "{report}");
}

/// What the system says of a file ropa cannot write is said in the run's language, with the
/// system's number; in English, in the system's own words.
#[test]
fn system_errors_are_said_in_the_run_language() {
    let dir = repo(&[("processing.yaml", CLEAN)]);
    let out = dir.path().join("missing/dir/report.json");
    let out = out.to_str().unwrap();
    for (lang, want, not) in [
        (
            "fr",
            "fichier ou dossier introuvable (erreur système 2)",
            "No such file",
        ),
        (
            "en",
            "No such file or directory (os error 2)",
            "introuvable",
        ),
    ] {
        let o = ropa(dir.path(), &["lint", "--lang", lang, "--output", out]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(want) && !err.contains(not), "{lang}: {err}");
    }
}
