//! The CI formats: GitHub annotations, SARIF, JUnit, GitLab, the job summary, and several
//! outputs from one run. A hostile manifest cannot inject a workflow command in any of them.

use crate::common;

use common::{CLEAN, repo, repo_root, ropa, stdout};
use serde_json::Value;

/// A manifest whose values try to start workflow commands and terminal escapes.
const HOSTILE: &str = "version: 1
activities:
  - id: evil
    name: \"x%0A::error::pwned\\n::warning file=a::b \\u001b[31m\"
    purpose: \"nope\\n::error::injected, title=x\"
    legal_basis: consent
    consent: {withdrawal: \"link\"}
    data_subjects: [\"a|b`c\"]
    data_categories: [x]
    dpia: {required: false}
    retention: {active: 1 year}
";

#[test]
fn github_annotations_cannot_be_injected() {
    let dir = repo(&[("processing.yaml", HOSTILE)]);
    let o = ropa(dir.path(), &["lint", "--format", "github"]);
    let out = stdout(&o);
    for line in out.lines() {
        // every line is one of our commands, or our closing line
        assert!(
            line.starts_with("::error file=processing.yaml,")
                || line.starts_with("::warning file=processing.yaml,")
                || line.starts_with("::notice ")
                || line.starts_with("ropa: "),
            "unexpected line: {line:?}"
        );
        assert!(!line.contains('\u{1b}'));
        // one `::` opens the command, one separates it from its message; the message is escaped
        let message = line.splitn(3, "::").nth(2).unwrap_or("");
        assert!(!message.contains('\n') && !message.contains('\r'));
    }
    assert!(out.contains("MF006"), "{out}");
    assert!(out.contains("%0A::error::injected"), "{out}");
}

#[test]
fn github_is_the_default_format_in_actions_and_limits_annotations() {
    // 12 activities, each with an unknown purpose (a warning): only 10 warnings are shown
    let mut manifest = String::from("version: 1\nactivities:\n");
    for i in 0..12 {
        manifest.push_str(
            &CLEAN
                .split("activities:\n")
                .nth(1)
                .unwrap()
                .replace("id: crm", &format!("id: a{i}"))
                .replace("purpose: customer-management", "purpose: nope"),
        );
    }
    let dir = repo(&[("processing.yaml", &manifest)]);
    let o = common::command()
        .args(["lint"])
        .current_dir(dir.path())
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    let out = stdout(&o);
    assert_eq!(
        out.lines().filter(|l| l.starts_with("::warning ")).count(),
        10,
        "{out}"
    );
    let notice = out
        .lines()
        .find(|l| l.starts_with("::notice title=ropa::"))
        .expect(&out);
    assert!(notice.contains("2 more finding(s)"), "{notice}");
}

#[test]
fn sarif_has_rules_results_and_stable_fingerprints() {
    let o = ropa(&repo_root(), &["lint", "examples", "--format", "sarif"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), ropa::rules::all().len());
    assert!(
        rules
            .iter()
            .all(|r| r["helpUri"].as_str().unwrap().starts_with("https://"))
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 7);
    let tr = results.iter().find(|r| r["ruleId"] == "TR001").unwrap();
    let loc = &tr["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "examples/services/analytics/processing.yaml"
    );
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 18);
    // the deviation is a suppression
    let lb = results.iter().find(|r| r["ruleId"] == "LB001").unwrap();
    assert_eq!(lb["suppressions"][0]["kind"], "inSource");

    // moving the finding down two lines keeps its fingerprint
    let text =
        std::fs::read_to_string(repo_root().join("examples/services/analytics/processing.yaml"))
            .unwrap();
    let fp = |text: &str| {
        let dir = repo(&[("processing.yaml", text)]);
        let o = ropa(dir.path(), &["lint", "--format", "sarif"]);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        let r = v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ruleId"] == "TR001")
            .unwrap()
            .clone();
        (
            r["partialFingerprints"]["ropaFinding/v1"].clone(),
            r["locations"][0]["physicalLocation"]["region"]["startLine"].clone(),
        )
    };
    let (a, la) = fp(&text);
    let (b, lb) = fp(&format!("# moved\n# down\n{text}"));
    assert_eq!(a, b);
    assert_ne!(la, lb);
}

#[test]
fn junit_and_gitlab_reports() {
    let o = ropa(&repo_root(), &["lint", "examples", "--format", "junit"]);
    let xml = stdout(&o);
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ropa\"")
    );
    assert_eq!(xml.matches("<testsuite ").count(), 6);
    assert!(
        xml.contains("<testcase classname=\"examples/services/hr/processing.yaml\" name=\"cctv\">")
    );
    assert!(xml.contains("type=\"RT003\""));
    // one case per activity, clean ones too, plus one per file; the counts are the cases'
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let top = doc.root_element();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let failing = cases
        .iter()
        .filter(|c| c.children().any(|e| e.has_tag_name("failure")))
        .count();
    assert_eq!(cases.len(), 6 + 9, "six files, nine activities");
    assert_eq!(
        top.attribute("tests"),
        Some(cases.len().to_string().as_str())
    );
    assert_eq!(
        top.attribute("failures"),
        Some(failing.to_string().as_str())
    );
    for suite in doc.descendants().filter(|n| n.has_tag_name("testsuite")) {
        let n = suite
            .children()
            .filter(|c| c.has_tag_name("testcase"))
            .count();
        assert_eq!(suite.attribute("tests"), Some(n.to_string().as_str()));
    }
    let o = ropa(&repo_root(), &["lint", "examples", "--format", "gitlab"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let issues = v.as_array().unwrap();
    assert_eq!(issues.len(), 7);
    for i in issues {
        for key in [
            "description",
            "check_name",
            "fingerprint",
            "severity",
            "location",
        ] {
            assert!(!i[key].is_null(), "{key} in {i}");
        }
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    // hostile text stays well-formed XML text
    let dir = repo(&[("processing.yaml", HOSTILE)]);
    let xml = stdout(&ropa(dir.path(), &["lint", "--format", "junit"]));
    assert!(!xml.contains('\u{1b}'));
}

#[test]
fn several_outputs_from_one_run() {
    let dir = repo(&[("processing.yaml", HOSTILE)]);
    let args = [
        "lint",
        "--format",
        "github",
        "--sarif-file",
        "out/r.sarif",
        "--summary-file",
        "summary.md",
        "--github-output",
        "gh-output",
    ];
    let o = ropa(dir.path(), &args);
    // the SARIF file's directory does not exist: the annotations are out, and the run exits 2
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("::warning "));
    std::fs::create_dir_all(dir.path().join("out")).unwrap();
    let o = ropa(dir.path(), &args);
    assert_eq!(o.status.code(), Some(0));
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/r.sarif")).unwrap())
            .unwrap();
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(summary.contains("| manifests | activities | errors | warnings | notes |"));
    assert!(
        summary.contains("a\\|b") || !summary.contains("a|b"),
        "cells are escaped"
    );
    assert!(summary.contains("Catalog: `cnil-fr@"));
    let outputs = std::fs::read_to_string(dir.path().join("gh-output")).unwrap();
    assert!(outputs.contains("errors=") && outputs.contains("warnings="));
}

/// SARIF and GitLab name files relative to the repository's root and fingerprint each finding
/// alone, the same in both languages and from any working directory.
#[test]
fn paths_and_fingerprints_do_not_depend_on_where_or_how_ropa_runs() {
    let two_transfers = CLEAN.replace(
        "    retention:",
        "    transfers:\n      - country: US\n      - country: CN\n    retention:",
    );
    let dir = repo(&[("svc/api/processing.yaml", &two_transfers)]);
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let sarif = |cwd: &std::path::Path, lang: &str| -> Value {
        let o = ropa(cwd, &["lint", "--format", "sarif", "--lang", lang]);
        serde_json::from_str(&stdout(&o)).unwrap()
    };
    let results = |v: &Value| -> Vec<(String, String, String)> {
        v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let at = &r["locations"][0]["physicalLocation"]["artifactLocation"];
                (
                    r["ruleId"].as_str().unwrap().to_string(),
                    at["uri"].as_str().unwrap().to_string(),
                    r["partialFingerprints"]["ropaFinding/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                )
            })
            .collect()
    };
    let root = results(&sarif(dir.path(), "en"));
    let tr: Vec<&(String, String, String)> = root.iter().filter(|r| r.0 == "TR001").collect();
    assert_eq!(tr.len(), 2, "{root:?}");
    assert_ne!(tr[0].2, tr[1].2, "two transfers share a fingerprint");
    assert!(
        root.iter().all(|r| r.1 == "svc/api/processing.yaml"),
        "{root:?}"
    );
    assert_eq!(
        results(&sarif(dir.path(), "fr")),
        root,
        "the language changed the results"
    );
    let from_below = sarif(&dir.path().join("svc"), "en");
    assert_eq!(
        results(&from_below),
        root,
        "the working directory changed the results"
    );
    let base = from_below["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(base.ends_with('/') && !base.ends_with("svc/"), "{base}");
    // GitLab reads the same paths and fingerprints
    let o = ropa(&dir.path().join("svc"), &["lint", "--format", "gitlab"]);
    let gitlab: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let prints: Vec<&str> = gitlab
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            assert_eq!(i["location"]["path"], "svc/api/processing.yaml");
            i["fingerprint"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        prints,
        root.iter().map(|r| r.2.as_str()).collect::<Vec<_>>()
    );
}

/// The annotation that lists what kept a run from being complete is bounded: the first twenty
/// problems by name, then how many more.
#[test]
fn the_incomplete_run_annotation_is_bounded() {
    let dir = repo(&[("processing.yaml", CLEAN)]);
    let missing: Vec<String> = (0..30).map(|i| format!("nope{i}")).collect();
    let mut args = vec!["lint", "--format", "github"];
    args.extend(missing.iter().map(String::as_str));
    let out = stdout(&ropa(dir.path(), &args));
    let line = out
        .lines()
        .find(|l| l.contains("the run is incomplete"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("30 problem(s)"), "{line}");
    assert!(line.ends_with("; and 10 more"), "{line}");
    assert_eq!(line.matches("nope").count(), 20, "{line}");
}

/// A run keeps its findings encoded, in a temporary file past a few MiB: every format gives the
/// same bytes whether they went through the file (`ROPA_TEST_SPILL_AT=0`, debug builds only) or
/// stayed in memory, on manifests and code files with findings of every kind.
#[test]
fn findings_kept_in_a_temporary_file_give_the_same_reports() {
    // spill: never, at once, or at once with no temporary directory to spill to (then the
    // findings stay in memory)
    let run = |dir: &std::path::Path, format: &str, spill: Option<&str>| {
        let mut cmd = common::command();
        cmd.args(["lint", ".", "--isolated", "--format", format])
            .current_dir(dir)
            .env_remove("NO_COLOR")
            .env_remove("GITHUB_ACTIONS")
            .env_remove("ROPA_TEST_SPILL_AT");
        if let Some(tmp) = spill {
            cmd.env("ROPA_TEST_SPILL_AT", "0").env("TMPDIR", tmp);
        }
        cmd.output().unwrap()
    };
    let tmp = std::env::temp_dir();
    let nowhere = tmp.join("ropa-test-no-such-directory");
    for dir in ["examples", "tests/fixtures/coverage-eval"] {
        let dir = repo_root().join(dir);
        for format in ["human", "json", "sarif", "github", "junit", "gitlab"] {
            let kept = run(&dir, format, None);
            for to in [&tmp, &nowhere] {
                let spilled = run(&dir, format, Some(to.to_str().unwrap()));
                assert_eq!(
                    stdout(&kept),
                    stdout(&spilled),
                    "{format} in {dir:?}, {to:?}"
                );
                assert_eq!(kept.status.code(), spilled.status.code(), "{format}");
                assert!(spilled.stderr.is_empty(), "{}", common::stderr(&spilled));
            }
            if format == "json" {
                let r: Value = serde_json::from_str(&stdout(&kept)).unwrap();
                assert!(
                    r["diagnostics"].as_array().unwrap().len() > 3,
                    "{dir:?} has findings to compare"
                );
            }
        }
    }
}
