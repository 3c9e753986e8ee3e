//! Configuration files: discovery, precedence (flags > file > defaults), rule levels, paths, and
//! located errors.

use crate::common;

use common::{CLEAN, diagnostics, field, json, repo, ropa};
use serde_json::Value;

fn codes(v: &Value) -> Vec<(String, String, String)> {
    diagnostics(v)
        .iter()
        .map(|d| (field(d, "/path"), field(d, "/code"), field(d, "/severity")))
        .collect()
}

fn four_years() -> String {
    CLEAN.replace("active: 3 years", "active: 4 years")
}

#[test]
fn a_config_in_a_parent_directory_sets_rule_levels() {
    let m = four_years();
    let dir = repo(&[
        ("ropa.yaml", "rules:\n  RT003: error\n"),
        ("svc/processing.yaml", &m),
    ]);
    let o = ropa(&dir.path().join("svc"), &["lint", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        codes(&json(&o)),
        [("processing.yaml".into(), "RT003".into(), "error".into())]
    );
    // --isolated ignores it
    let o = ropa(
        &dir.path().join("svc"),
        &["lint", "--format", "json", "--isolated"],
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(codes(&json(&o))[0].2, "warning");
}

#[test]
fn per_path_levels_and_off() {
    let m = four_years();
    let cfg = "rules:\n  RT003: error\nper_path:\n  \"legacy/**\":\n    RT003: off\n";
    let dir = repo(&[
        (".ropa.yaml", cfg),
        ("legacy/processing.yaml", &m),
        ("new/processing.yaml", &m.replace("id: crm", "id: crm2")),
    ]);
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    assert_eq!(
        codes(&json(&o)),
        [("new/processing.yaml".into(), "RT003".into(), "error".into())]
    );
}

#[test]
fn include_and_exclude_globs() {
    let cfg = "exclude: [\"vendor/**\"]\ninclude: [\"privacy/*.yaml\"]\n";
    let dir = repo(&[
        ("ropa.yaml", cfg),
        ("vendor/lib/processing.yaml", "version: [\n"),
        ("privacy/crm.yaml", CLEAN),
        ("privacy/notes.txt", "not yaml"),
    ]);
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    let r = json(&o);
    assert_eq!(r["summary"]["files"], 1, "{r}");
    assert_eq!(o.status.code(), Some(0));
    // a file named explicitly is linted even when excluded
    let o = ropa(
        dir.path(),
        &["lint", "vendor/lib/processing.yaml", "--format", "json"],
    );
    assert_eq!(codes(&json(&o))[0].1, "MF001");
}

#[test]
fn flags_win_over_the_file() {
    let m = four_years();
    let dir = repo(&[
        ("ropa.yaml", "fail_on: warning\nlang: fr\n"),
        ("processing.yaml", &m),
    ]);
    assert_eq!(ropa(dir.path(), &["lint"]).status.code(), Some(1));
    assert_eq!(
        ropa(dir.path(), &["lint", "--fail-on", "error"])
            .status
            .code(),
        Some(0)
    );
    let o = ropa(dir.path(), &["config", "--fail-on", "error"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("# fichier de configuration : ropa.yaml"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("lang") && l.contains("fr") && l.ends_with("# ropa.yaml:2")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("fail_on") && l.contains("error") && l.ends_with("# --fail-on")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("include") && l.ends_with("# par défaut")),
        "{text}"
    );
}

#[test]
fn configuration_errors_are_located_and_exit_2() {
    let cfg = "rules:\n  RT03: error\n  LB002: silent\nfail-on: warning\nexclude: \"vendor\"\n";
    let dir = repo(&[("ropa.yaml", cfg), ("processing.yaml", CLEAN)]);
    let o = ropa(dir.path(), &["lint"]);
    assert_eq!(o.status.code(), Some(2));
    // the human report draws each problem at its place
    let err = String::from_utf8(o.stdout).unwrap();
    for want in [
        "ropa.yaml:2:3",
        "unknown rule `RT03`",
        "did you mean `RT003`",
        "ropa.yaml:3:10",
        "`silent` is not a level",
        "ropa.yaml:4:1",
        "unknown key `fail-on`",
        "did you mean `fail_on`",
        "ropa.yaml:5:10",
        "`exclude` must be a list",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
}

#[test]
fn words_outside_their_choices_are_located() {
    let dir = repo(&[
        ("ropa.yaml", "lang: de\nfail_on: note\n"),
        ("processing.yaml", CLEAN),
    ]);
    let o = ropa(dir.path(), &["lint"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stdout).unwrap();
    for want in [
        "ropa.yaml:1:7",
        "`de` is not a language; expected `en` or `fr`",
        "ropa.yaml:2:10",
        "`note` is not a threshold; expected `error` or `warning`",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
}

#[test]
fn an_explicit_config_file_must_exist() {
    let dir = repo(&[("processing.yaml", CLEAN)]);
    let o = ropa(dir.path(), &["lint", "--config", "nope.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    let o = ropa(dir.path(), &["lint", "--config", "nope.yaml", "--isolated"]);
    assert_eq!(o.status.code(), Some(2), "the two flags conflict");
}

#[test]
fn catalogs_in_the_config_are_relative_to_it() {
    let org = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/catalogs/stricter.yaml"
    ))
    .unwrap();
    let dir = repo(&[
        ("ropa.yaml", "catalogs: [policy/acme.yaml]\n"),
        ("policy/acme.yaml", &org),
        ("svc/processing.yaml", CLEAN),
    ]);
    let o = ropa(&dir.path().join("svc"), &["lint", "--format", "json"]);
    let r = json(&o);
    assert!(
        r["tool"]["catalog"]
            .as_str()
            .unwrap()
            .contains("acme-policy")
    );
    // the stricter policy requires a DPIA for customer management
    assert_eq!(
        codes(&r),
        [("processing.yaml".into(), "DP002".into(), "error".into())]
    );
}

/// A configuration that cannot be used is a problem every format reports, at its place, in
/// the run's language, with exit status 2: a JSON or SARIF consumer always gets a report.
#[test]
fn a_bad_configuration_reaches_every_format_in_both_languages() {
    let dir = repo(&[
        (
            "ropa.yaml",
            "fail_on: maybe
",
        ),
        ("processing.yaml", CLEAN),
    ]);
    for (lang, want) in [("en", "is not a threshold"), ("fr", "n'est pas un seuil")] {
        let run = |format: &str| {
            let o = ropa(dir.path(), &["lint", "--lang", lang, "--format", format]);
            assert_eq!(o.status.code(), Some(2), "{format} {lang}");
            let out = String::from_utf8(o.stdout).unwrap();
            let in_xml = want.replace('\'', "&apos;");
            assert!(
                out.contains(want) || out.contains(&in_xml),
                "{format} {lang}: {out}"
            );
            // the problem is drawn on stderr for the machine formats
            if format != "human" {
                let err = String::from_utf8(o.stderr).unwrap();
                assert!(
                    err.contains("ropa.yaml:1:10") && err.contains(want),
                    "{err}"
                );
            }
            out
        };
        let human = run("human");
        assert!(human.contains("ropa.yaml:1:10"), "{human}");
        let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
        common::assert_report_schema(&json);
        let p = &json["problems"][0];
        assert_eq!(p["kind"], "configuration");
        assert_eq!(p["path"], "ropa.yaml");
        assert_eq!(p["range"]["start"]["line"], 1);
        assert_eq!(p["range"]["start"]["column"], 10);
        let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
        let invocation = &sarif["runs"][0]["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        let n = &invocation["toolExecutionNotifications"][0];
        let at = &n["locations"][0]["physicalLocation"];
        assert_eq!(at["artifactLocation"]["uri"], "ropa.yaml");
        assert_eq!(at["region"]["startLine"], 1);
        let github = run("github");
        assert!(
            github
                .lines()
                .any(|l| l.starts_with("::error file=ropa.yaml,line=1,col=10,")),
            "{github}"
        );
        let junit = run("junit");
        roxmltree::Document::parse(&junit).expect("JUnit XML");
        let gitlab: serde_json::Value = serde_json::from_str(&run("gitlab")).unwrap();
        assert_eq!(gitlab[0]["location"]["path"], "ropa.yaml");
        assert_eq!(gitlab[0]["location"]["lines"]["begin"], 1);
    }
}

/// Without `--lang`, the configuration's own `lang:` sets the language of its problems.
#[test]
fn a_french_configuration_reports_its_problems_in_french() {
    let dir = repo(&[
        (
            "ropa.yaml",
            "lang: fr
bogus: 1
",
        ),
        ("processing.yaml", CLEAN),
    ]);
    let o = ropa(dir.path(), &["lint"]);
    assert_eq!(o.status.code(), Some(2));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("clé inconnue `bogus`"), "{out}");
    assert!(out.contains("erreur"), "{out}");
}

/// A catalog named by the configuration that is a FIFO is never opened: the run reports it
/// instead of blocking.
#[cfg(unix)]
#[test]
fn a_fifo_catalog_is_reported_not_opened() {
    let dir = repo(&[
        ("ropa.yaml", "catalogs: [org.yaml]\n"),
        ("processing.yaml", CLEAN),
    ]);
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("org.yaml"))
        .status();
    assert!(made.unwrap().success());
    let o = common::ropa_within(
        dir.path(),
        &["lint", "--format", "json"],
        std::time::Duration::from_secs(60),
    );
    assert_eq!(o.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["problems"][0]["kind"], "catalog");
    assert_eq!(json["problems"][0]["path"], "org.yaml");
}

/// A repository linted from inside another (`ropa lint ../other`, a fixture under `/tmp`) is
/// linted as if ropa ran there: its own `ropa.yaml` applies, and its `code:` globs are checked
/// against it, not reported as leading out of the working directory's repository. Inside the
/// working directory's repository, the working directory's configuration still applies.
#[test]
fn a_path_outside_the_working_directorys_repository_is_linted_as_its_own() {
    let m = four_years().replace("    retention:", "    code: [\"src/**\"]\n    retention:");
    let other = repo(&[
        ("ropa.yaml", "rules:\n  RT003: error\n"),
        ("svc/processing.yaml", &m),
        ("svc/src/app.py", "print()\n"),
    ]);
    let here = repo(&[("ropa.yaml", "rules:\n  RT003: off\n")]);
    let only = |o: &std::process::Output| -> Vec<(String, String)> {
        codes(&json(o))
            .into_iter()
            .map(|(_, code, severity)| (code, severity))
            .collect()
    };
    let want = [("RT003".to_string(), "error".to_string())];
    // written through `..` from the working directory, as people write it
    let sibling = std::path::Path::new("..")
        .join(other.path().file_name().unwrap())
        .join("svc");
    assert_eq!(here.path().parent(), other.path().parent());
    for path in [
        other.path().join("svc"),
        other.path().join("svc/processing.yaml"),
        sibling,
    ] {
        let o = ropa(
            here.path(),
            &["lint", "--format", "json", path.to_str().unwrap()],
        );
        assert_eq!(only(&o), want, "{}", path.display());
        assert_eq!(o.status.code(), Some(1));
    }
    // without a configuration of its own, the defaults apply, not the working directory's
    // (a git repository here), however the path is written
    std::fs::create_dir(here.path().join(".git")).unwrap();
    let bare = repo(&[("svc/processing.yaml", &m), ("svc/src/app.py", "print()\n")]);
    assert_eq!(here.path().parent(), bare.path().parent());
    let default = [("RT003".to_string(), "warning".to_string())];
    for path in [
        bare.path().join("svc"),
        std::path::Path::new("..")
            .join(bare.path().file_name().unwrap())
            .join("svc"),
    ] {
        let o = ropa(
            here.path(),
            &["lint", "--format", "json", path.to_str().unwrap()],
        );
        assert_eq!(only(&o), default, "{}", path.display());
    }
    // the register and coverage read the same repository
    let o = ropa(
        here.path(),
        &[
            "coverage",
            "--format",
            "json",
            other.path().to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let o = ropa(other.path(), &["lint", "--format", "json", "svc"]);
    assert_eq!(only(&o), want);
}

/// A link in the repository that leads out of it does not move where the configuration is
/// looked for: the hooks pass the repository's own file names, and a planted `ropa.yaml` behind
/// a link must never be read.
#[cfg(unix)]
#[test]
fn a_link_out_of_the_repository_does_not_move_the_configuration() {
    let outside = repo(&[
        ("ropa.yaml", "planted_key: 1\n"),
        ("processing.yaml", CLEAN),
    ]);
    let dir = repo(&[("ropa.yaml", "rules:\n  RT003: error\n")]);
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("lnk")).unwrap();
    let o = ropa(
        dir.path(),
        &["lint", "--format", "json", "lnk/processing.yaml"],
    );
    let all = format!("{}{}", common::stdout(&o), common::stderr(&o));
    assert!(!all.contains("planted_key"), "{all}");
}
