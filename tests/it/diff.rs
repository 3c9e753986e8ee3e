//! `ropa diff` and `ropa lint --new-since` on two-commit repositories built by the tests.

use crate::common;

use common::{git, raw_json, repo, repo_root, ropa, ropa_env};
use serde_json::Value;

/// An activity in manifest YAML, with the fields a test changes.
fn activity(id: &str, fields: &str) -> String {
    format!(
        "  - id: {id}
    name: {id}
    purpose: customer-management
    data_subjects: [customers]
{fields}"
    )
}

const BASE_FIELDS: &str = "    legal_basis: contract
    data_categories: [identity, email]
    recipients: [support]
    dpia: { required: true, reference: docs/dpia.md }
    retention: { active: 3 years, starts: end of the relationship }
    controller: { name: Shop SAS, contact: dpo@shop.example }
    transfers:
      - country: US
        safeguard: scc
    code: [src/**]
";

/// A repository whose `main` has `base` and whose working tree has `head` (path, text) files.
fn two_sides(base: &[(&str, &str)], head: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = repo(base);
    std::fs::write(dir.path().join("docs-dpia.md"), "dpia\n").unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    for (path, _) in base {
        let _ = std::fs::remove_file(dir.path().join(path));
    }
    for (path, text) in head {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// The diff as JSON, checked against `schemas/diff.schema.json`.
fn diff_json(dir: &std::path::Path, args: &[&str]) -> Value {
    diff_json_env(dir, args, &[])
}

/// [`diff_json`] with extra environment variables for `ropa`.
fn diff_json_env(dir: &std::path::Path, args: &[&str], env: &[(&str, &std::path::Path)]) -> Value {
    let mut all = vec!["diff", "--format", "json"];
    all.extend_from_slice(args);
    let o = ropa_env(dir, &all, env);
    let v = raw_json(&o);
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("schemas/diff.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}\n{v:#}");
    v
}

/// (kind, level, before, after) of every change.
fn changes(v: &Value) -> Vec<(String, String, String, String)> {
    let s = |c: &Value, k: &str| c[k].as_str().unwrap_or("").to_string();
    v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (s(c, "kind"), s(c, "level"), s(c, "before"), s(c, "after")))
        .collect()
}

fn has(v: &Value, kind: &str, level: &str) -> bool {
    changes(v).iter().any(|c| c.0 == kind && c.1 == level)
}

#[test]
fn every_kind_of_change_is_classified_with_its_level() {
    let base = format!(
        "version: 1\nactivities:\n{}",
        activity("customers", BASE_FIELDS)
    );
    let head_fields = "    legal_basis: legitimate-interests
    legitimate_interests: { interest: sales, balancing_test: docs-dpia.md }
    data_categories: [identity, email, phone]
    special_categories: [health]
    special_category_condition: explicit-consent
    recipients: [support, payment provider]
    dpia: { required: false }
    retention: { active: 5 years, starts: end of the relationship }
    controller: { name: Shop Group, contact: dpo@shop.example }
    transfers:
      - country: US
        safeguard: derogation
      - country: IN
        safeguard: scc
    code: [src/**]
    deviations:
      - rule: RT003
        justification: customers come back after four years
        approved_by: DPO
";
    let head = format!(
        "version: 1\nactivities:\n{}",
        activity("customers", head_fields)
    );
    let dir = two_sides(
        &[("crm/processing.yaml", &base)],
        &[("crm/processing.yaml", &head)],
    );
    let v = diff_json(dir.path(), &["main"]);
    for (kind, level) in [
        ("legal-basis-changed", "review"),
        ("special-category-added", "review"),
        ("data-category-added", "info"),
        ("recipient-added", "info"),
        ("dpia-turned-off", "review"),
        ("retention-lengthened", "review"),
        ("controller-changed", "review"),
        ("safeguard-weakened", "review"),
        ("transfer-added", "review"),
        ("deviation-added", "review"),
    ] {
        assert!(has(&v, kind, level), "{kind} {level}: {:#?}", changes(&v));
    }
    // review items come first
    let levels: Vec<String> = changes(&v).into_iter().map(|c| c.1).collect();
    let mut sorted = levels.clone();
    sorted.sort_by_key(|l| ["review", "info", "none"].iter().position(|x| x == l));
    assert_eq!(levels, sorted);
    // the human form says the same, with the catalog's answer next to the changed basis
    let o = ropa(dir.path(), &["diff", "main"]);
    let text = common::stdout(&o);
    assert!(
        text.contains(
            "legal basis changed: contract → legitimate-interests (the catalog recommends"
        ),
        "{text}"
    );
}

#[test]
fn activities_added_removed_renamed_and_moved() {
    let base = format!(
        "version: 1\nactivities:\n{}{}",
        activity(
            "old-one",
            "    legal_basis: contract\n    code: [src/a/**]\n"
        ),
        activity("gone", "    legal_basis: contract\n    code: [src/b/**]\n"),
    );
    let other = format!(
        "version: 1\nactivities:\n{}",
        activity("stays", "    legal_basis: contract\n")
    );
    let head = format!(
        "version: 1\nactivities:\n{}{}",
        activity(
            "new-name",
            "    legal_basis: contract\n    code: [src/a/**]\n"
        ),
        activity(
            "brand-new",
            "    legal_basis: contract\n    code: [src/c/**]\n"
        ),
    );
    let dir = two_sides(
        &[("a/processing.yaml", &base), ("b/processing.yaml", &other)],
        &[
            ("a/processing.yaml", &head),
            ("moved/b/processing.yaml", &other),
        ],
    );
    let v = diff_json(dir.path(), &["main", "--all"]);
    let got = changes(&v);
    let kinds: Vec<&str> = got.iter().map(|c| c.0.as_str()).collect();
    assert!(has(&v, "activity-added", "review"), "{got:#?}");
    assert!(has(&v, "activity-removed", "info"), "{got:#?}");
    assert!(
        got.iter()
            .any(|c| c.0 == "activity-renamed" && c.2 == "old-one" && c.3 == "new-name"),
        "{got:#?}"
    );
    // a moved manifest is a move, not a removal and an addition
    assert!(
        got.iter()
            .any(|c| c.0 == "activity-moved" && c.3 == "moved/b/processing.yaml"),
        "{got:#?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "activity-added").count(),
        1,
        "{got:#?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "activity-removed").count(),
        1,
        "{got:#?}"
    );
}

#[test]
fn findings_introduced_fixed_and_kept_and_new_since() {
    let base = format!(
        "version: 1\nactivities:\n{}{}",
        // no retention: RT001, kept
        activity(
            "kept",
            "    legal_basis: contract\n    data_categories: [identity]\n    dpia: { required: false }\n"
        ),
        // broken on the base side: fixed
        activity(
            "fixed",
            "    legal_basis: nonsense\n    data_categories: [identity]\n    dpia: { required: false }\n    retention: { active: 1 year }\n"
        ),
    );
    let head = format!(
        "version: 1\nactivities:\n{}{}{}",
        activity(
            "kept",
            "    legal_basis: contract\n    data_categories: [identity]\n    dpia: { required: false }\n"
        ),
        activity(
            "fixed",
            "    legal_basis: contract\n    data_categories: [identity]\n    dpia: { required: false }\n    retention: { active: 1 year }\n"
        ),
        // introduced: no DPIA decision
        activity(
            "introduced",
            "    legal_basis: contract\n    data_categories: [identity]\n    retention: { active: 1 year }\n"
        ),
    );
    let broken = "version: 1\nactivities: [\n";
    let dir = two_sides(
        &[
            ("crm/processing.yaml", &base),
            ("bad/processing.yaml", broken),
        ],
        &[
            ("crm/processing.yaml", &head),
            ("bad/processing.yaml", broken),
        ],
    );
    let v = diff_json(dir.path(), &["main"]);
    let by = |status: &str| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["status"] == status)
            .map(|f| {
                format!(
                    "{} {}",
                    f["code"].as_str().unwrap(),
                    f["activity"].as_str().unwrap_or("-")
                )
            })
            .collect()
    };
    assert_eq!(by("introduced"), ["DP001 introduced"], "{v:#}");
    assert_eq!(by("fixed"), ["MF004 fixed"], "{v:#}");
    let kept = by("kept");
    assert!(
        kept.contains(&"RT001 kept".to_string()) && kept.contains(&"MF001 -".to_string()),
        "{kept:?}"
    );
    // `lint --new-since`: only what the base did not have, and the exit status follows it
    let o = ropa(
        dir.path(),
        &["lint", "--new-since", "main", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(1));
    let r = common::json(&o);
    let codes: Vec<String> = common::diagnostics(&r)
        .iter()
        .map(|d| common::field(d, "/code"))
        .collect();
    assert_eq!(codes, ["DP001"], "{r:#}");
    // a rule in `diff.always_report` is reported even when the base had it
    std::fs::write(
        dir.path().join("ropa.yaml"),
        "diff:\n  always_report: [RT001]\n",
    )
    .unwrap();
    let r = common::json(&ropa(
        dir.path(),
        &["lint", "--new-since", "main", "--format", "json"],
    ));
    let mut codes: Vec<String> = common::diagnostics(&r)
        .iter()
        .map(|d| common::field(d, "/code"))
        .collect();
    codes.sort();
    assert_eq!(codes, ["DP001", "RT001"], "{r:#}");
}

#[test]
fn levels_exit_statuses_markdown_and_configuration() {
    let base = format!(
        "version: 1\nactivities:\n{}",
        activity("customers", BASE_FIELDS)
    );
    let head = base.replace("[identity, email]", "[identity, email, phone]");
    let dir = two_sides(
        &[("crm/processing.yaml", &base)],
        &[("crm/processing.yaml", &head)],
    );
    // only an `info` change: --fail-on review passes, --fail-on info fails
    assert_eq!(
        ropa(dir.path(), &["diff", "main", "--fail-on", "review"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        ropa(dir.path(), &["diff", "main", "--fail-on", "info"])
            .status
            .code(),
        Some(1)
    );
    // ropa.yaml raises the kind to review
    std::fs::write(
        dir.path().join("ropa.yaml"),
        "diff:\n  levels:\n    data-category-added: review\n",
    )
    .unwrap();
    assert_eq!(
        ropa(dir.path(), &["diff", "main", "--fail-on", "review"])
            .status
            .code(),
        Some(1)
    );
    let o = ropa(dir.path(), &["diff", "main", "--format", "markdown"]);
    let md = common::stdout(&o);
    assert!(md.starts_with("<!-- ropa-diff -->\n"), "{md}");
    assert!(
        md.contains("| **review** | customers | data category added: phone |"),
        "{md}"
    );
    // an unknown kind is a configuration problem (exit 2)
    std::fs::write(
        dir.path().join("ropa.yaml"),
        "diff:\n  levels:\n    nope: review\n",
    )
    .unwrap();
    assert_eq!(ropa(dir.path(), &["diff", "main"]).status.code(), Some(2));
    // a revision that does not exist, or looks like an option, is a usage problem (exit 2)
    std::fs::remove_file(dir.path().join("ropa.yaml")).unwrap();
    assert_eq!(
        ropa(dir.path(), &["diff", "no-such-branch"]).status.code(),
        Some(2)
    );
    assert_eq!(
        ropa(dir.path(), &["diff", "--", "--output=x"])
            .status
            .code(),
        Some(2)
    );
    assert!(!dir.path().join("x").exists());
    // nothing changed: no change, and a Markdown that says so
    let o = ropa(
        dir.path(),
        &["diff", "main", "main", "--format", "markdown"],
    );
    assert!(common::stdout(&o).contains("No change to the record of processing."));
}

/// Two directories, and the register: what the diff lists as added and removed is what the
/// registers of the two sides differ by.
#[test]
fn two_directories_and_the_register_agree() {
    let a = format!(
        "version: 1\nactivities:\n{}{}",
        activity("one", "    legal_basis: contract\n"),
        activity("two", "    legal_basis: contract\n    code: [x/**]\n"),
    );
    let b = format!(
        "version: 1\nactivities:\n{}{}",
        activity("one", "    legal_basis: contract\n"),
        activity("three", "    legal_basis: consent\n    code: [y/**]\n"),
    );
    let dir = repo(&[("old/processing.yaml", &a), ("new/processing.yaml", &b)]);
    let v = diff_json(dir.path(), &["old", "new"]);
    let ids = |kind: &str| -> Vec<String> {
        v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["kind"] == kind)
            .map(|c| c["activity"].as_str().unwrap().to_string())
            .collect()
    };
    let register = |side: &str| -> std::collections::BTreeSet<String> {
        let o = ropa(dir.path(), &["register", side, "--format", "json"]);
        let r = raw_json(&o);
        r["controllers"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["activities"].as_array().unwrap().clone())
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    let (old, new) = (register("old"), register("new"));
    let added: Vec<String> = new.difference(&old).cloned().collect();
    let removed: Vec<String> = old.difference(&new).cloned().collect();
    assert_eq!(ids("activity-added"), added);
    // `two` was removed (its id is the old side's)
    assert_eq!(ids("activity-removed"), removed);
}

/// A manifest broken on one side: broken on the new side, it is one change to review, not its
/// activities removed; fixed on the new side, its activities are new to the register and its
/// MF001 is fixed.
#[test]
fn a_manifest_broken_on_one_side() {
    let good = format!(
        "version: 1\nactivities:\n{}{}",
        activity("one", "    legal_basis: contract\n"),
        activity("two", "    legal_basis: contract\n"),
    );
    let broken = "version: 1\nactivities: [\n";
    let dir = two_sides(
        &[("a/processing.yaml", &good), ("b/processing.yaml", broken)],
        &[
            ("a/processing.yaml", broken),
            (
                "b/processing.yaml",
                &good.replace("one", "three").replace("two", "four"),
            ),
        ],
    );
    let v = diff_json(dir.path(), &["main"]);
    let got = changes(&v);
    assert!(has(&v, "manifest-unreadable", "review"), "{got:#?}");
    assert!(!got.iter().any(|c| c.0 == "activity-removed"), "{got:#?}");
    assert_eq!(
        got.iter().filter(|c| c.0 == "activity-added").count(),
        2,
        "{got:#?}"
    );
    let statuses: Vec<(String, String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "MF001")
        .map(|f| {
            (
                f["status"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        statuses.contains(&(
            "introduced".into(),
            "a/processing.yaml".into(),
            "MF001".into()
        )),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&("fixed".into(), "b/processing.yaml".into(), "MF001".into())),
        "{statuses:?}"
    );
}

/// Duplicate ids across a changed and an unchanged manifest: one that was there stays kept, one
/// the change adds is introduced, one it removes is fixed; the same when a document was added
/// (the old side is then read whole).
#[test]
fn duplicate_ids_across_changed_and_unchanged_manifests() {
    let a = format!(
        "version: 1\nactivities:\n{}",
        activity("shared", "    legal_basis: contract\n")
    );
    let b_old = format!(
        "version: 1\nactivities:\n{}{}",
        activity("shared", "    legal_basis: contract\n"),
        activity("gone-dup", "    legal_basis: contract\n"),
    );
    let c = format!(
        "version: 1\nactivities:\n{}",
        activity("gone-dup", "    legal_basis: contract\n")
    );
    let b_new = format!(
        "version: 1\nactivities:\n{}{}",
        activity("shared", "    legal_basis: consent\n"),
        activity("c-copy", "    legal_basis: contract\n"),
    );
    let d = format!(
        "version: 1\nactivities:\n{}",
        activity("c-copy", "    legal_basis: contract\n")
    );
    for add_document in [false, true] {
        let mut head = vec![
            ("a/processing.yaml", a.as_str()),
            ("b/processing.yaml", b_new.as_str()),
            ("c/processing.yaml", c.as_str()),
            ("d/processing.yaml", d.as_str()),
        ];
        if add_document {
            head.push(("docs/new.md", "new\n"));
        }
        let dir = two_sides(
            &[
                ("a/processing.yaml", &a),
                ("b/processing.yaml", &b_old),
                ("c/processing.yaml", &c),
                ("d/processing.yaml", &d),
            ],
            &head,
        );
        let v = diff_json(dir.path(), &["main"]);
        let dup = |status: &str| -> Vec<String> {
            let mut ids: Vec<String> = v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["code"] == "MF005" && f["status"] == status)
                .map(|f| f["activity"].as_str().unwrap().to_string())
                .collect();
            ids.sort();
            ids
        };
        assert_eq!(dup("kept"), ["shared"], "{add_document}: {v:#}");
        assert_eq!(dup("introduced"), ["c-copy"], "{add_document}: {v:#}");
        assert_eq!(dup("fixed"), ["gone-dup"], "{add_document}: {v:#}");
    }
}

/// A manifest that is a link, on both sides: the revision's link is written as a link with the
/// file it leads to, so its activities are on both sides and nothing changed.
#[cfg(unix)]
#[test]
fn a_manifest_that_is_a_link_is_read_on_both_sides() {
    let shared = format!(
        "version: 1\nactivities:\n{}",
        activity("linked", "    legal_basis: contract\n")
    );
    let dir = repo(&[("shared/crm.yaml", &shared)]);
    std::fs::create_dir_all(dir.path().join("crm")).unwrap();
    std::os::unix::fs::symlink("../shared/crm.yaml", dir.path().join("crm/processing.yaml"))
        .unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    std::fs::write(dir.path().join("other.md"), "unrelated\n").unwrap();
    let v = diff_json(dir.path(), &["main", "--all"]);
    assert_eq!(
        changes(&v),
        Vec::<(String, String, String, String)>::new(),
        "{v:#}"
    );
    let lint = ropa(dir.path(), &["lint", "--format", "json"]);
    let r = common::json(&lint);
    assert_eq!(r["summary"]["activities"], 1, "{r:#}");
}

/// Two revisions, the second checked out with nothing changed: the same diff as the working
/// tree against the first (the second is read from the working tree).
#[test]
fn two_revisions_the_second_checked_out() {
    let base = format!(
        "version: 1\nactivities:\n{}",
        activity("customers", BASE_FIELDS)
    );
    let head = base.replace("legal_basis: contract", "legal_basis: consent");
    let dir = two_sides(
        &[("crm/processing.yaml", &base)],
        &[("crm/processing.yaml", &head)],
    );
    let worktree = diff_json(dir.path(), &["main"]);
    git(dir.path(), &["checkout", "-q", "-b", "feature"]);
    git(dir.path(), &["commit", "-q", "-am", "head"]);
    let revisions = diff_json(dir.path(), &["main", "feature"]);
    assert_eq!(changes(&worktree), changes(&revisions));
    assert_eq!(revisions["head"], "feature");
    assert!(has(&revisions, "legal-basis-changed", "review"));
    // and with the working tree elsewhere, the second is read from git: the same changes
    git(dir.path(), &["checkout", "-q", "main"]);
    let from_git = diff_json(dir.path(), &["main", "feature"]);
    assert_eq!(changes(&from_git), changes(&revisions));
}

/// Activities without a valid id are known by their place: two of them are never taken for one.
#[test]
fn activities_without_ids_are_told_apart() {
    let no_id = |basis: &str| {
        format!(
            "  - name: unnamed
    purpose: customer-management
    legal_basis: {basis}
    data_subjects: [customers]
"
        )
    };
    let base = format!(
        "version: 1\nactivities:\n{}{}",
        no_id("contract"),
        no_id("contract")
    );
    let head = format!(
        "version: 1\nactivities:\n{}{}",
        no_id("contract"),
        no_id("consent")
    );
    let dir = two_sides(
        &[("a/processing.yaml", &base)],
        &[("a/processing.yaml", &head)],
    );
    let v = diff_json(dir.path(), &["main"]);
    let got = changes(&v);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].0, "legal-basis-changed");
    assert_eq!(v["changes"][0]["activity"], "a/processing.yaml#2");
}

/// Text from the repository cannot mention anyone in the pull-request comment.
#[test]
fn the_markdown_mentions_nobody() {
    let base = format!(
        "version: 1\nactivities:\n{}",
        activity("customers", BASE_FIELDS)
    );
    let head = base.replace(
        "[identity, email]",
        "[identity, email, \"@org/dpo-team ping\"]",
    );
    let dir = two_sides(
        &[("crm/processing.yaml", &base)],
        &[("crm/processing.yaml", &head)],
    );
    let o = ropa(dir.path(), &["diff", "main", "--format", "markdown"]);
    let md = common::stdout(&o);
    assert!(md.contains("org/dpo-team ping"), "{md}");
    assert!(!md.contains("@org"), "{md}");
}

/// The Markdown fits a GitHub comment (65,536 characters) however large the change, and says
/// how much it left out.
#[test]
fn the_markdown_fits_a_comment() {
    let many = |basis: &str| {
        let mut m = String::from("version: 1\nactivities:\n");
        for i in 0..800 {
            m.push_str(&activity(
                &format!("activity-{i:04}"),
                &format!("    legal_basis: {basis}\n"),
            ));
        }
        m
    };
    let dir = two_sides(
        &[("a/processing.yaml", &many("contract"))],
        &[("a/processing.yaml", &many("consent"))],
    );
    let md = common::stdout(&ropa(dir.path(), &["diff", "main", "--format", "markdown"]));
    assert!(md.chars().count() < 65_536, "{}", md.len());
    assert!(md.contains("more lines are not shown here"), "{md}");
}

/// Files that appear or vanish reach the unchanged manifests that name them, and only those are
/// read again on the old side: code added under a glob that matched nothing fixes its RF002,
/// code removed introduces one, a document added fixes its RF001, and a manifest the change does
/// not touch keeps its findings. `lint --new-since` reports the one introduced.
#[test]
fn files_that_appear_or_vanish_reach_the_unchanged_manifests_that_name_them() {
    let fields = |code: &str, dpia: &str| {
        format!(
            "    legal_basis: contract\n    data_categories: [identity]\n    dpia: {dpia}\n    retention: {{ active: 1 year }}\n    code: [{code}]\n"
        )
    };
    let manifest = |id: &str, code: &str, dpia: &str| {
        format!(
            "version: 1\nactivities:\n{}",
            activity(id, &fields(code, dpia))
        )
    };
    let no_dpia = "{ required: false }";
    let svc = manifest("code-added", "src/**", no_dpia);
    let lib = manifest("code-removed", "impl/**", no_dpia);
    let doc = manifest(
        "document-added",
        "src/**",
        "{ required: true, reference: docs/dpia.md }",
    );
    let other = manifest("untouched", "nothing/**", no_dpia);
    let manifests = [
        ("svc/processing.yaml", svc.as_str()),
        ("lib/processing.yaml", lib.as_str()),
        ("doc/processing.yaml", doc.as_str()),
        ("other/processing.yaml", other.as_str()),
        ("doc/src/x.py", "x = 1\n"),
    ];
    let mut base = manifests.to_vec();
    base.push(("lib/impl/x.py", "x = 1\n"));
    let mut head = manifests.to_vec();
    head.extend([
        ("svc/src/a.py", "a = 1\n"),
        ("doc/docs/dpia.md", "dpia\n"),
        ("README.md", "unrelated\n"),
    ]);
    let dir = two_sides(&base, &head);
    let v = diff_json(dir.path(), &["main"]);
    let by = |status: &str| -> Vec<String> {
        let mut found: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["status"] == status && f["code"].as_str().unwrap().starts_with("RF"))
            .map(|f| {
                format!(
                    "{} {}",
                    f["code"].as_str().unwrap(),
                    f["activity"].as_str().unwrap_or("-")
                )
            })
            .collect();
        found.sort();
        found
    };
    assert_eq!(
        by("fixed"),
        ["RF001 document-added", "RF002 code-added"],
        "{v:#}"
    );
    assert_eq!(by("introduced"), ["RF002 code-removed"], "{v:#}");
    assert_eq!(by("kept"), ["RF002 untouched"], "{v:#}");
    let o = ropa(
        dir.path(),
        &[
            "lint",
            "--new-since",
            "main",
            "--fail-on",
            "warning",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let r = common::json(&o);
    let found: Vec<String> = common::diagnostics(&r)
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                common::field(d, "/code"),
                common::field(d, "/activity")
            )
        })
        .collect();
    assert_eq!(found, ["RF002 code-removed"], "{r:#}");
}

/// A manifest that `include:` names (not a `processing.yaml`), edited: the old side reads it
/// too, so the change is its legal basis, not an activity added, and a finding it had is kept.
#[test]
fn an_included_manifest_edited_is_compared_with_its_old_self() {
    let fields = "    legal_basis: contract\n    data_categories: [identity]\n    retention: { active: 1 year }\n";
    let before = format!("version: 1\nactivities:\n{}", activity("records", fields));
    let after = before.replace("legal_basis: contract", "legal_basis: consent");
    let config = "include: [\"records/*.yaml\"]\n";
    let dir = two_sides(
        &[("ropa.yaml", config), ("records/a.yaml", &before)],
        &[("ropa.yaml", config), ("records/a.yaml", &after)],
    );
    let v = diff_json(dir.path(), &["main"]);
    let kinds: Vec<String> = changes(&v).into_iter().map(|c| c.0).collect();
    assert_eq!(kinds, ["legal-basis-changed"], "{v:#}");
    let dp001: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "DP001")
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert_eq!(dp001, ["kept"], "{v:#}");
}

/// `lint --new-since`: a coverage finding the change makes (a manifest's `code:` no longer
/// covers a data definition) is reported, though REF's coverage is not worked out; one far from
/// the change (another directory's uncovered model) is not.
#[test]
fn new_since_keeps_the_coverage_findings_near_the_change() {
    let model = "class Customer(models.Model):\n    email = models.EmailField()\n";
    let manifest = |code: &str| {
        format!(
            "version: 1\nactivities:\n{}",
            activity(
                "crm",
                &format!(
                    "    legal_basis: contract\n    data_categories: [identity, email]\n    dpia: {{ required: false }}\n    retention: {{ active: 1 year }}\n    code: [{code}]\n"
                )
            )
        )
    };
    let (before, after) = (manifest("\"src/**\""), manifest("\"lib/**\""));
    // a data definition edited under an unchanged manifest: a field of a category its activity
    // does not declare (CV003, on the manifest)
    let declared = manifest("\"src/**\"").replace("[identity, email]", "[identity]");
    let (user, user_with_email) = (
        "class User(models.Model):\n    first_name = models.CharField()\n",
        "class User(models.Model):\n    first_name = models.CharField()\n    email = models.EmailField()\n",
    );
    let dir = two_sides(
        &[
            ("svc/processing.yaml", &before),
            ("svc/src/models/customer.py", model),
            ("far/app/models.py", model),
            ("users/processing.yaml", &declared),
            ("users/src/models/user.py", user),
        ],
        &[
            ("svc/processing.yaml", &after),
            ("svc/src/models/customer.py", model),
            ("far/app/models.py", model),
            ("users/processing.yaml", &declared),
            ("users/src/models/user.py", user_with_email),
        ],
    );
    let all = common::json(&ropa(dir.path(), &["lint", "--format", "json"]));
    // the files a rule's findings are on
    let on = |r: &Value, code: &str| -> Vec<String> {
        common::diagnostics(r)
            .iter()
            .filter(|d| common::field(d, "/code") == code)
            .map(|d| common::field(d, "/path"))
            .collect()
    };
    let cv001 = |r: &Value| on(r, "CV001");
    assert_eq!(
        cv001(&all),
        ["far/app/models.py", "svc/src/models/customer.py"],
        "{all:#}"
    );
    let new = common::json(&ropa(
        dir.path(),
        &["lint", "--new-since", "main", "--format", "json"],
    ));
    assert_eq!(cv001(&new), ["svc/src/models/customer.py"], "{new:#}");
    assert_eq!(on(&new, "CV003"), ["users/processing.yaml"], "{new:#}");
    // a configuration written since can move any of them (`coverage.exclude`): all are kept
    std::fs::write(
        dir.path().join("ropa.yaml"),
        "coverage:\n  exclude: [\"nothing/**\"]\n",
    )
    .unwrap();
    let new = common::json(&ropa(
        dir.path(),
        &["lint", "--new-since", "main", "--format", "json"],
    ));
    assert_eq!(
        cv001(&new),
        ["far/app/models.py", "svc/src/models/customer.py"],
        "{new:#}"
    );
}

/// Runs git with `input` on its standard input, and gives what it printed, trimmed.
fn git_with_input(dir: &std::path::Path, args: &[&str], input: &str) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success());
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}

/// A revision whose tree holds entries named `..`, `.git` or `.GIT` (git's plumbing makes
/// them, a checkout refuses them): none of them is written out of the temporary directory or
/// into a `.git`, and the revision's other manifests are read as usual.
#[test]
fn a_revision_with_hostile_tree_entries_is_read_safely() {
    let manifest = format!(
        "version: 1\nactivities:\n{}",
        activity("customers", "    legal_basis: contract\n")
    );
    let dir = repo(&[("crm/processing.yaml", &manifest)]);
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    // a tree with the same manifest under hostile names and under a plain one
    let other = manifest.replace("customers", "elsewhere");
    let blob = git_with_input(dir.path(), &["hash-object", "-w", "--stdin"], &other);
    let inner = git_with_input(
        dir.path(),
        &["mktree"],
        &format!("100644 blob {blob}\tprocessing.yaml\n"),
    );
    let crm = git_with_input(dir.path(), &["rev-parse", "HEAD:crm"], "");
    let mut entries = format!("040000 tree {crm}\tcrm\n040000 tree {inner}\tplain\n");
    for name in ["..", ".git", ".GIT", ".Git"] {
        entries.push_str(&format!("040000 tree {inner}\t{name}\n"));
    }
    let tree = git_with_input(dir.path(), &["mktree"], &entries);
    let commit = git_with_input(
        dir.path(),
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit-tree",
            &tree,
            "-m",
            "hostile",
        ],
        "",
    );
    // ropa checks REF out under a temporary directory of this test's own, so that a `..` entry
    // written one level too high would land in `outer`, where nothing else is
    let outer = tempfile::tempdir().unwrap();
    let tmp = outer.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let v = diff_json_env(dir.path(), &[&commit, "--all"], &[("TMPDIR", &tmp)]);
    let got = changes(&v);
    // the plain one is read (removed in the working tree), the hostile ones are not
    assert_eq!(
        got,
        [("activity-removed", "info", "elsewhere", "")].map(|(a, b, c, d)| (
            a.to_string(),
            b.to_string(),
            c.to_string(),
            d.to_string()
        )),
        "{v:#}"
    );
    let outer_entries: Vec<_> = std::fs::read_dir(outer.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        outer_entries,
        ["tmp"],
        "written beside ropa's temporary directory"
    );
    // nothing beside ropa's temporary directory either, which ropa removed
    let tmp_entries: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(tmp_entries.is_empty(), "{tmp_entries:?}");
    assert!(!dir.path().join(".git/processing.yaml").exists());
}
