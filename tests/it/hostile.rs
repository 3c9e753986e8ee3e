//! Hostile repositories: bombs, deep nesting, huge files, odd encodings, links out of the root.
//! Each gets a diagnostic on its own file, the run goes on, nothing else is read or printed.

use crate::common;

use common::{CLEAN, diagnostics, field, json, line, repo, ropa, ropa_within, stderr, stdout};

fn codes(r: &serde_json::Value) -> Vec<(String, String)> {
    diagnostics(r)
        .iter()
        .map(|d| (field(d, "/path"), field(d, "/code")))
        .collect()
}

#[test]
fn bombs_and_deep_nesting_are_rejected_and_the_run_goes_on() {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let deep = format!(
        "version: 1\nactivities: {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    // just under the depth budget, through serde-saphyr (an anchor keeps the fast path out):
    // its recursion must fit a worker thread's stack, in a debug build too
    let under = format!(
        "version: &v 1\nactivities: {}{}\n",
        "[".repeat(47),
        "]".repeat(47)
    );
    let deep_63 = under.replace("[]", "[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]");
    // block nesting, which the block YAML reader reads: a thousand mappings, and a thousand
    // lists, one in the other
    let deep_block: String = (0..1000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    let deep_block_seq: String = (0..1000)
        .map(|i| format!("{}-\n", " ".repeat(i)))
        .chain([format!("{}x\n", " ".repeat(1000))])
        .collect();
    let dir = repo(&[
        ("bomb/processing.yaml", &bomb),
        ("deep/processing.yaml", &deep),
        ("deep-block/processing.yaml", &deep_block),
        ("deep-block-seq/processing.yaml", &deep_block_seq),
        ("deep-under/processing.yaml", &under),
        ("deep-63/processing.yaml", &deep_63),
        ("ok/processing.yaml", CLEAN),
    ]);
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let r = json(&o);
    assert_eq!(
        codes(&r),
        [
            ("bomb/processing.yaml".into(), "MF001".into()),
            // 63 levels: over the budget (at 64, serde-saphyr's recursion overflowed a debug
            // build's worker thread here)
            ("deep-63/processing.yaml".into(), "MF001".into()),
            ("deep-block-seq/processing.yaml".into(), "MF001".into()),
            ("deep-block/processing.yaml".into(), "MF001".into()),
            // read: `activities` is a list, not a budget breach
            ("deep-under/processing.yaml".into(), "MF004".into()),
            ("deep/processing.yaml".into(), "MF001".into()),
        ]
    );
    assert_eq!(
        r["summary"]["activities"], 1,
        "the good manifest was linted"
    );
}

#[test]
fn huge_values_within_the_limit_are_linted() {
    let long = "x".repeat(600_000);
    let many: Vec<String> = (0..20_000).map(|i| format!("c{i}")).collect();
    let manifest = CLEAN
        .replace("name: Customer file", &format!("name: \"{long}\""))
        .replace("[identity, contact]", &format!("[{}]", many.join(", ")));
    let dir = repo(&[("processing.yaml", &manifest)]);
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn the_size_limit_is_configurable() {
    let dir = repo(&[
        ("processing.yaml", CLEAN),
        ("ropa.yaml", "max_file_size: 100\n"),
    ]);
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    let r = json(&o);
    assert_eq!(codes(&r), [("processing.yaml".into(), "MF001".into())]);
    assert!(
        r["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("100-byte limit")
    );
}

#[test]
fn bom_and_crlf_lint_normally_with_the_same_columns() {
    let bad = CLEAN.replace("legal_basis: legitimate-interests", "legal_basis: consnet");
    let crlf = format!(
        "\u{feff}{}",
        bad.replace("id: crm", "id: crm2").replace('\n', "\r\n")
    );
    let dir = repo(&[
        ("lf/processing.yaml", &bad),
        ("crlf/processing.yaml", &crlf),
    ]);
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    let r = json(&o);
    let ranges: Vec<_> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].clone(), d["range"].clone()))
        .collect();
    assert_eq!(ranges.len(), 2, "{r:#}");
    assert_eq!(
        ranges[0], ranges[1],
        "the BOM and CRLF file reports the same position"
    );
    assert_eq!(
        ranges[0].1["start"],
        serde_json::json!({"line": 6, "column": 18})
    );
}

#[test]
fn tabs_nul_bytes_and_invalid_utf8_get_a_diagnostic() {
    let dir = repo(&[(
        "tab/processing.yaml",
        "version: 1\nactivities:\n\t- id: x\n",
    )]);
    std::fs::create_dir_all(dir.path().join("nul")).unwrap();
    std::fs::write(dir.path().join("nul/processing.yaml"), b"version: 1\n\0\n").unwrap();
    std::fs::create_dir_all(dir.path().join("utf")).unwrap();
    std::fs::write(
        dir.path().join("utf/processing.yaml"),
        b"version: 1\nname: \xc3\x28\n",
    )
    .unwrap();
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    let r = json(&o);
    assert_eq!(
        codes(&r),
        [
            ("nul/processing.yaml".into(), "MF001".into()),
            ("tab/processing.yaml".into(), "MF001".into()),
            ("utf/processing.yaml".into(), "MF001".into())
        ]
    );
    assert!(
        r["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("NUL")
    );
}

#[cfg(unix)]
#[test]
fn links_out_of_the_repository_are_not_read() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.yaml");
    std::fs::write(
        &secret,
        "version: 1\nactivities:\n  - id: TOP-SECRET-TOKEN\n",
    )
    .unwrap();
    let dir = repo(&[("inside/processing.yaml", CLEAN)]);
    std::os::unix::fs::symlink(&secret, dir.path().join("processing.yaml")).unwrap();
    // a link inside the repository is fine
    std::fs::create_dir_all(dir.path().join("alias")).unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("inside/processing.yaml"),
        dir.path().join("alias/processing.yaml"),
    )
    .unwrap();
    // a directory loop terminates
    std::os::unix::fs::symlink(dir.path(), dir.path().join("inside/loop")).unwrap();
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    let out = stdout(&o);
    assert!(!out.contains("TOP-SECRET"), "{out}");
    let r = json(&o);
    let found = codes(&r);
    assert!(
        found.contains(&("processing.yaml".into(), "MF001".into())),
        "{found:?}"
    );
    assert!(r["diagnostics"].as_array().unwrap().iter().any(|d| {
        d["message"]
            .as_str()
            .unwrap()
            .contains("outside the repository")
    }));
    // the link inside the repository was linted: its activity duplicates the original's id
    assert!(
        found.contains(&("inside/processing.yaml".into(), "MF005".into()))
            || found.contains(&("alias/processing.yaml".into(), "MF005".into())),
        "{found:?}"
    );
    // and the human output shows nothing of the secret either
    let human = stdout(&ropa(dir.path(), &["lint", "--color", "never"]));
    assert!(!human.contains("TOP-SECRET"), "{human}");
}

#[cfg(unix)]
#[test]
fn a_configuration_cannot_pull_in_files_from_outside() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.yaml");
    std::fs::write(&secret, "TOP-SECRET-TOKEN: [\n").unwrap();
    // a catalog outside the configuration's directory
    let cfg = format!("catalogs: [{}]\n", secret.display());
    let dir = repo(&[("processing.yaml", CLEAN), ("ropa.yaml", &cfg)]);
    let o = ropa(dir.path(), &["lint"]);
    assert_eq!(o.status.code(), Some(2));
    // the human report draws the configuration's problems
    assert!(
        stdout(&o).contains("outside the configuration's directory"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("TOP-SECRET") && !stdout(&o).contains("TOP-SECRET"));
    // a configuration that is a link out of the repository
    let dir = repo(&[("processing.yaml", CLEAN)]);
    std::os::unix::fs::symlink(&secret, dir.path().join("ropa.yaml")).unwrap();
    let o = ropa(dir.path(), &["lint"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains("TOP-SECRET"), "{}", stderr(&o));
}

#[test]
fn anchors_and_merge_keys_are_read_like_the_values_they_stand_for() {
    let manifest = "version: 1
defaults: &defaults
  legal_basis: legitimate-interests
activities:
  - &crm
    id: crm
    name: Customer file
    purpose: customer-management
    legal_basis: legitimate-interests
    legitimate_interests: {balancing_test: https://intranet.example.com/lia}
    data_subjects: &subjects [customers]
    data_categories: [identity]
    dpia: {required: false}
    retention: {active: 3 years}
  - <<: *crm
    id: crm-2
    data_subjects: *subjects
";
    let dir = repo(&[("processing.yaml", manifest)]);
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    let r = json(&o);
    // `defaults` is not part of the format; everything else is read through the merge
    assert_eq!(
        codes(&r),
        [("processing.yaml".into(), "MF002".into())],
        "{r:#}"
    );
    assert_eq!(r["summary"]["activities"], 2);
}

#[test]
fn file_names_cannot_drive_the_terminal() {
    let name = "evil\u{1b}[31m\u{202e}dir";
    let dir = repo(&[]);
    let o = ropa(dir.path(), &["lint", name]);
    assert_eq!(o.status.code(), Some(2));
    let err = stdout(&o);
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{202e}'),
        "{err:?}"
    );
    assert!(err.contains("\\u{1b}"), "{err:?}");
}

/// Runs the binary as an unprivileged user: permission bits mean nothing to root, which is what
/// CI containers often run as. As root, a copy of the binary is run through `setpriv` as
/// `nobody` (the copy sits in the temporary directory, so the checkout's own permissions do not
/// matter).
#[cfg(unix)]
fn ropa_unprivileged(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let root = std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false);
    if !root {
        return ropa(dir, args);
    }
    let bin = dir.parent().unwrap().join("ropa-copy");
    std::fs::copy(env!("CARGO_BIN_EXE_ropa"), &bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(&bin)
        .args(args)
        .current_dir(dir)
        .env("ROPA_CACHE_DIR", crate::common::test_cache_dir())
        .output()
        .expect("running as root, this test needs `setpriv` (util-linux) to drop privileges")
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_directories_are_reported_and_the_rest_is_linted() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path, m: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    };
    let other = |id: &str| CLEAN.replace("id: crm", &format!("id: {id}"));
    let outer = tempfile::tempdir().unwrap();
    mode(outer.path(), 0o755);
    let dir = outer.path().join("repo");
    for (path, text) in [
        ("ok/processing.yaml", CLEAN.to_string()),
        ("locked/processing.yaml", other("locked")),
        ("secret/processing.yaml", other("secret")),
    ] {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
    }
    for d in ["", "ok", "locked", "secret"] {
        mode(&dir.join(d), 0o777);
    }
    mode(&dir.join("ok/processing.yaml"), 0o644);
    mode(&dir.join("locked/processing.yaml"), 0o000);
    mode(&dir.join("secret"), 0o000);

    let o = ropa_unprivileged(
        &dir,
        &[
            "lint",
            "--format",
            "json",
            "--sarif-file",
            "out.sarif",
            "--summary-file",
            "summary.md",
        ],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("locked/processing.yaml"), "{err}");
    assert!(err.contains("secret"), "{err}");
    // the readable manifest is still linted and reported
    let r = json(&o);
    assert_eq!(r["summary"]["files"], 1, "{r}");
    let unread: Vec<&str> = r["unread"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(unread.len(), 2, "{r}");
    assert!(unread[0].starts_with("locked/processing.yaml: "), "{r}");
    assert!(unread[1].starts_with("secret: "), "{r}");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out.sarif")).unwrap()).unwrap();
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false, "{invocation}");
    assert_eq!(
        invocation["toolExecutionNotifications"]
            .as_array()
            .map(Vec::len),
        Some(2),
        "{invocation}"
    );
    let summary = std::fs::read_to_string(dir.join("summary.md")).unwrap();
    assert!(summary.contains("**❌ incomplete"), "{summary}");
    assert!(
        summary.contains("- not read: locked/processing.yaml"),
        "{summary}"
    );
    // the human summary does not say that all checks passed
    let o = ropa_unprivileged(&dir, &["lint"]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(!out.contains("All checks passed"), "{out}");
    assert!(
        out.contains("2 problems kept the run from being complete"),
        "{out}"
    );
    // in a workflow log, an error annotation says so
    let o = ropa_unprivileged(&dir, &["lint", "--format", "github"]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    let first = out.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("::error title=ropa%3A the run is incomplete::2 problem(s)"),
        "{out}"
    );
    assert!(first.contains("locked/processing.yaml"), "{out}");
    // a JUnit viewer shows one erroring case per path not read
    let o = ropa_unprivileged(&dir, &["lint", "--format", "junit"]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    let xml = roxmltree::Document::parse(&out).unwrap();
    let unread: Vec<_> = xml
        .descendants()
        .filter(|n| n.has_tag_name("testsuite") && n.attribute("name") == Some("(unread)"))
        .flat_map(|suite| suite.children().filter(|n| n.has_tag_name("testcase")))
        .collect();
    assert_eq!(unread.len(), 2, "{out}");
    assert!(
        unread
            .iter()
            .all(|c| c.children().any(|e| e.has_tag_name("error")))
    );
    let top = xml.root_element();
    assert_eq!(top.attribute("errors"), Some("2"), "{out}");
    // the file itself, its one activity, and the two paths not read
    assert_eq!(top.attribute("tests"), Some("4"), "{out}");
    let cases = xml
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .count();
    assert_eq!(
        top.attribute("tests"),
        Some(cases.to_string().as_str()),
        "{out}"
    );
    mode(&dir.join("secret"), 0o755);
}

#[test]
fn a_crash_exits_2_and_names_the_file() {
    let dir = repo(&[
        ("a/processing.yaml", CLEAN),
        ("b/processing.yaml", &CLEAN.replace("id: crm", "id: b")),
    ]);
    // the debug build the tests run panics on purpose on the file this variable names; it is
    // said in the language asked for
    for (lang, said, not) in [
        (
            "en",
            &[
                "ropa crashed while linting b/processing.yaml",
                "This is a bug, please report it",
            ],
            "erreur",
        ),
        (
            "fr",
            &[
                "erreur interne en vérifiant b/processing.yaml",
                "C'est un bogue : signalez-le",
            ],
            "crashed",
        ),
    ] {
        let o = crate::common::command()
            .args(["lint", "--lang", lang])
            .current_dir(dir.path())
            .env("ROPA_TEST_PANIC", "b/processing.yaml")
            .output()
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            said.iter().all(|s| err.contains(s)) && !err.contains(not),
            "{err}"
        );
        assert!(!err.contains("RUST_BACKTRACE"), "{err}");
    }
}

#[cfg(unix)]
#[test]
fn fifos_are_reported_and_never_opened() {
    let dir = repo(&[("ok/processing.yaml", CLEAN)]);
    for fifo in ["processing.yaml", "named/processing.yaml"] {
        let p = dir.path().join(fifo);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(&p)
            .status()
            .unwrap();
        assert!(made.success());
    }
    // found by the walk, and named on the command line: neither blocks the run (opening a FIFO
    // would wait for a writer for ever, so a regression is a timeout, not a hang)
    for args in [&["lint"][..], &["lint", "named/processing.yaml", "ok"][..]] {
        let o = ropa_within(dir.path(), args, std::time::Duration::from_secs(60));
        let err = stdout(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("processing.yaml: not a regular file"), "{err}");
        assert!(stdout(&o).contains("1 manifest"), "{}", stdout(&o));
    }
}

#[test]
fn several_documents_an_empty_file_and_only_comments_are_findings() {
    let two = format!("{CLEAN}---\n{CLEAN}");
    let dir = repo(&[
        ("multi/processing.yaml", &two),
        ("empty/processing.yaml", ""),
        ("comments/processing.yaml", "# nothing yet\n# TODO\n"),
        ("ok/processing.yaml", CLEAN),
    ]);
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(
        codes(&r),
        [
            ("comments/processing.yaml".into(), "MF003".into()),
            ("empty/processing.yaml".into(), "MF003".into()),
            ("multi/processing.yaml".into(), "MF001".into()),
        ]
    );
    assert_eq!(r["summary"]["files"], 4);
    let found = diagnostics(&r);
    // the comments-only file from its start; the second document at its `---`
    assert_eq!(line(&found[0]), 1, "{}", found[0]);
    assert!(
        field(&found[2], "/message").contains("several"),
        "{}",
        found[2]
    );
    assert_eq!(line(&found[2]), 15, "{}", found[2]);
}

/// The `ignore` crate reads a directory's `.gitignore` and `.ignore` whole, with no limit: a link
/// to `/dev/zero` never ends, a FIFO blocks, a few megabytes of patterns take seconds and
/// gigabytes. Such a directory is not searched, the run says so (exit 2), and the rest is linted.
#[cfg(unix)]
#[test]
fn hostile_ignore_files_are_not_read_and_their_directory_is_reported() {
    let other = |id: &str| CLEAN.replace("id: crm", &format!("id: {id}"));
    let big = "x\n".repeat(40 * 1024); // 80 KiB, over the 64 KiB limit for one file
    let part = "y\n".repeat(30 * 1024); // 60 KiB: four fit on one path, five do not
    let dir = repo(&[
        ("ok/processing.yaml", CLEAN),
        ("zero/processing.yaml", &other("zero")),
        ("fifo/processing.yaml", &other("fifo")),
        ("big/.gitignore", &big),
        ("big/processing.yaml", &other("big")),
        ("n1/.gitignore", &part),
        ("n1/n2/.ignore", &part),
        ("n1/n2/n3/.gitignore", &part),
        ("n1/n2/n3/n4/.gitignore", &part),
        ("n1/n2/n3/n4/processing.yaml", &other("four")),
        ("n1/n2/n3/n4/n5/.gitignore", &part),
        ("n1/n2/n3/n4/n5/processing.yaml", &other("five")),
        // a link to an ignore file inside the repository is read like the file
        ("shared/ignore-list", "ignored/\n"),
        ("linked/ignored/processing.yaml", "not: [a manifest"),
    ]);
    let p = dir.path();
    std::os::unix::fs::symlink("/dev/zero", p.join("zero/.gitignore")).unwrap();
    std::os::unix::fs::symlink("../shared/ignore-list", p.join("linked/.gitignore")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(p.join("fifo/.ignore"))
        .status();
    assert!(made.unwrap().success());

    let o = ropa_within(
        p,
        &["lint", "--format", "json"],
        std::time::Duration::from_secs(60),
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let r = json(&o);
    let mut unread: Vec<&str> = r["unread"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    unread.sort_unstable();
    assert_eq!(unread.len(), 4, "{r}");
    assert!(
        unread[0].starts_with("big/.gitignore: 81920 bytes, over the 65536-byte limit")
            && unread[0].ends_with("so big/ was not searched"),
        "{unread:?}"
    );
    assert!(
        unread[1].starts_with("fifo/.ignore: not a regular file"),
        "{unread:?}"
    );
    assert!(
        unread[2].starts_with("n1/n2/n3/n4/n5: with the directories above it, 307200 bytes"),
        "{unread:?}"
    );
    assert!(
        unread[3].starts_with("zero/.gitignore: a link out of the repository"),
        "{unread:?}"
    );
    // what could be searched was: the clean manifest and the one four levels down; the linked
    // ignore file was honoured (the broken manifest under linked/ignored/ is not reported)
    assert_eq!(r["summary"]["files"], 2, "{r}");
    assert_eq!(diagnostics(&r).len(), 0, "{r}");
    // in French too
    let args = ["lint", "--format", "json", "--lang", "fr"];
    let o = ropa_within(p, &args, std::time::Duration::from_secs(60));
    let r = json(&o);
    let unread = r["unread"].to_string();
    for said in [
        "zero/.gitignore : un lien hors du dépôt, ou pas vers un fichier ordinaire ; non lu, donc zero/ n'a pas été parcouru",
        "fifo/.ignore : pas un fichier ordinaire",
        "octets, au-delà de la limite de 65536 octets d'un fichier d'exclusion",
        "avec les dossiers au-dessus, 307200 octets de fichiers d'exclusion",
    ] {
        assert!(unread.contains(said), "{said}: {unread}");
    }
}

/// A `code:` glob's search starts below a link that stays inside the repository (the link is
/// followed there, and only there); a directory that is missing, or a file where a directory is
/// named, matches nothing.
#[cfg(unix)]
#[test]
fn a_code_glob_through_a_link_inside_the_repository_is_searched() {
    let globs = [
        "linked/*.py",
        "linked/**/*.py",
        "missing/*.py",
        "src/a.py/*.py",
        "src/*.py",
    ];
    let list: Vec<String> = globs.iter().map(|g| format!("\"{g}\"")).collect();
    let manifest = format!("{CLEAN}    code: [{}]\n", list.join(", "));
    let dir = repo(&[("svc/processing.yaml", &manifest), ("svc/src/a.py", "")]);
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::os::unix::fs::symlink("src", dir.path().join("svc/linked")).unwrap();
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    let report = json(&o);
    let mut unmatched: Vec<&str> = diagnostics(&report)
        .iter()
        .map(|d| {
            assert_eq!(d["code"], "RF002", "{report}");
            let message = d["message"].as_str().unwrap();
            globs
                .into_iter()
                .find(|g| message.contains(&format!("`{g}`")))
                .unwrap_or(message)
        })
        .collect();
    unmatched.sort_unstable();
    assert_eq!(unmatched, ["missing/*.py", "src/a.py/*.py"], "{report}");
}

/// Thousands of `code:` globs that match nothing would each walk the repository: the globs of
/// one manifest share a budget of entries, and those left unsearched are said to be unchecked.
#[test]
fn thousands_of_code_globs_are_bounded_and_never_pass_in_silence() {
    // 999 globs: one file reports at most 1,000 findings
    let globs: Vec<String> = (0..999).map(|i| format!("\"**/nope{i}\"")).collect();
    let manifest = format!("{CLEAN}    code: [{}]\n", globs.join(", "));
    let mut files: Vec<(String, String)> = (0..2000)
        .map(|i| (format!("src/d{}/f{i}.py", i % 20), String::new()))
        .collect();
    files.push(("processing.yaml".into(), manifest));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = repo(&refs);
    let run = || {
        ropa_within(
            dir.path(),
            &["lint", "--format", "json"],
            std::time::Duration::from_secs(60),
        )
    };
    let o = run();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = json(&o);
    let messages: Vec<&str> = diagnostics(&r)
        .iter()
        .map(|d| {
            assert_eq!(d["code"], "RF002");
            d["message"].as_str().unwrap()
        })
        .collect();
    assert_eq!(messages.len(), 999);
    // each glob visits the 2,022 entries (src/, 20 directories, 2,000 files, the manifest): 494
    // fit in the budget, in the order written; the others are reported as not checked
    let unchecked = messages
        .iter()
        .filter(|m| m.ends_with("was not checked: the search stopped without a match"))
        .count();
    assert!(
        messages[0].ends_with("`**/nope0` matches no file"),
        "{}",
        messages[0]
    );
    assert_eq!(unchecked, 999 - 1_000_000 / 2022, "{unchecked}");
    // the same report whatever the thread timing
    assert_eq!(stdout(&run()), stdout(&o));
}

/// git's own exclude files come along with a repository too: `.git/info/exclude` (where `.git`
/// is a directory) and, where `.git` is a file (a submodule or a worktree), the files it leads to.
/// The walker would read them whole, so they are checked like ignore files: a FIFO there is
/// reported and its directory not searched, never opened.
#[cfg(unix)]
#[test]
fn git_exclude_files_are_checked_like_ignore_files() {
    let other = |id: &str| CLEAN.replace("id: crm", &format!("id: {id}"));
    let dir = repo(&[
        ("ok/processing.yaml", CLEAN),
        ("plain/processing.yaml", &other("plain")),
        ("plain/.git/info/.keep", ""),
        ("sub/processing.yaml", &other("sub")),
        // the walker reads a relative gitdir from the working directory, as this one is
        ("sub/.git", "gitdir: modules/sub\n"),
        ("modules/sub/commondir", ".\n"),
        ("modules/sub/info/.keep", ""),
    ]);
    let p = dir.path();
    for fifo in ["plain/.git/info/exclude", "modules/sub/info/exclude"] {
        let made = std::process::Command::new("mkfifo")
            .arg(p.join(fifo))
            .status();
        assert!(made.unwrap().success());
    }
    let o = ropa_within(
        p,
        &["lint", "--format", "json"],
        std::time::Duration::from_secs(60),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let r = json(&o);
    let unread = r["unread"].to_string();
    assert!(unread.contains("plain/.git/info/exclude"), "{unread}");
    assert!(unread.contains("plain/ was not searched"), "{unread}");
    assert!(unread.contains("sub/ was not searched"), "{unread}");
    // what could be searched was
    assert_eq!(r["summary"]["files"], 1, "{r}");
}

/// What a GitHub runner would read as a workflow command, on standard output or standard error:
/// a line that starts, after blanks, with `::` (other than the GitHub format's own commands),
/// or `##[` anywhere in a line.
fn runner_commands(text: &str, github_format: bool) -> Vec<String> {
    text.lines()
        .filter(|l| {
            let own = github_format && (l.starts_with("::") && !l.contains("##["));
            l.contains("##[") || (!own && l.trim_start().starts_with("::"))
        })
        .map(str::to_string)
        .collect()
}

/// The commands that write a document of the whole repository, in each of their formats.
const DOCUMENTS: [&[&str]; 5] = [
    &["register"],
    &["register", "--format", "csv"],
    &["register", "--format", "html"],
    &["register", "--format", "json"],
    &["export"],
];

/// A repository whose every text tries to start a workflow command: manifest values, file
/// names, the configuration and an organisation catalog. No format, no command, on neither
/// stream, lets one through.
#[cfg(unix)]
#[test]
fn no_output_starts_a_workflow_command() {
    let evil = "x\n::error file=a::pwned\n  ::warning::also ##[error]legacy";
    let manifest = format!(
        "version: 1\nactivities:\n  - id: {id:?}\n    name: {evil:?}\n    purpose: {evil:?}\n    legal_basis: consent\n    data_subjects: [{evil:?}]\n    data_categories: [b]\n    dpia: {{required: false}}\n    retention: {{active: 3 years}}\n    code: [\"##[error]x/**\"]\n",
        id = "##[error]id",
    );
    let catalog = format!(
        "catalog: {{id: \"##[error]org\", version: \"::error::1\", title: {{en: {evil:?}, fr: {evil:?}}}}}\npurposes:\n  - id: accounting\n    label: {{en: {evil:?}, fr: {evil:?}}}\n"
    );
    let dir = repo(&[
        ("svc/processing.yaml", &manifest),
        (
            "::error::x/processing.yaml",
            &manifest.replace("##[error]id", "two"),
        ),
        ("org.yaml", &catalog),
        ("ropa.yaml", "catalogs: [org.yaml]\n"),
    ]);
    let p = dir.path();
    let mut runs: Vec<Vec<&str>> = ["human", "json", "github", "sarif", "junit", "gitlab"]
        .iter()
        .flat_map(|f| {
            [
                vec!["lint", "--format", f],
                vec!["lint", "--format", f, "--lang", "fr"],
            ]
        })
        .collect();
    runs.extend([
        vec!["recommend", "accounting"],
        vec!["recommend", "accounting", "--format", "json"],
        vec!["catalog", "list"],
        vec!["catalog", "show", "accounting"],
        vec!["config"],
        vec!["lint", "::error::nope", "##[error]nope"],
    ]);
    runs.extend(DOCUMENTS.iter().map(|d| d.to_vec()));
    for args in &runs {
        let o = ropa_within(p, args, std::time::Duration::from_secs(60));
        let github = args.contains(&"github");
        let (out, err) = (stdout(&o), stderr(&o));
        assert!(out.len() + err.len() > 0, "{args:?} said nothing");
        let leaked: Vec<String> = runner_commands(&out, github)
            .into_iter()
            .chain(runner_commands(&err, false))
            .collect();
        assert!(leaked.is_empty(), "{args:?}: {leaked:#?}");
    }
    // a bad configuration's echo on standard error too
    std::fs::write(p.join("ropa.yaml"), "lang: \"fr\\n::error title=x::y\"\n").unwrap();
    for format in ["human", "json", "github"] {
        let o = ropa_within(
            p,
            &["lint", "--format", format],
            std::time::Duration::from_secs(60),
        );
        assert_eq!(o.status.code(), Some(2));
        let leaked: Vec<String> = runner_commands(&stdout(&o), format == "github")
            .into_iter()
            .chain(runner_commands(&stderr(&o), false))
            .collect();
        assert!(leaked.is_empty(), "{format}: {leaked:#?}");
    }
}

/// Characters that act on a terminal or a log shown like one: C0 controls but line ends and
/// tabs, DEL, C1 controls (`U+009B` starts an escape sequence in some terminals), bidirectional
/// controls, and the line and paragraph separators.
fn acts_on_a_terminal(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{2028}' | '\u{2029}')
}

/// The characters an HTML or XML text writes as numeric references (`&#x202E;`, `&#8238;`).
fn references(text: &str) -> Vec<char> {
    text.split("&#")
        .skip(1)
        .filter_map(|rest| {
            let (number, _) = rest.split_once(';')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        })
        .collect()
}

/// Whether a JSON value holds a string that contains `s`.
fn holds(v: &serde_json::Value, s: &str) -> bool {
    match v {
        serde_json::Value::String(t) => t.contains(s),
        serde_json::Value::Array(a) => a.iter().any(|v| holds(v, s)),
        serde_json::Value::Object(o) => o.values().any(|v| holds(v, s)),
        _ => false,
    }
}

/// A repository whose directory names and manifest values hold terminal controls: no format of
/// any command writes one as it is, on either stream; JSON reads the name back unchanged.
#[cfg(unix)]
#[test]
fn no_output_carries_a_raw_control() {
    let dir_name = "e\u{1b}[31m\u{9b}2J\u{7f}\u{202e}\u{2028}\u{2066}x";
    let value = r#""v \e[2J \x9b6n \u202e \L \P \u2067 end""#;
    let manifest = format!(
        "version: 1\nactivities:\n  - id: a\n    name: {value}\n    purpose: {value}\n    legal_basis: consent\n    data_subjects: [{value}]\n    data_categories: [b]\n    dpia: {{required: false}}\n    retention: {{active: {value}}}\n"
    );
    // and an ignore file whose lines are not globs, drawn and quoted in the problems
    let ignore = "[\u{202e}-\u{1b}]\n::error::x\u{9b}\\\n";
    let dir = repo(&[
        (&format!("{dir_name}/processing.yaml"), &manifest),
        (&format!("{dir_name}/.gitignore"), ignore),
    ]);
    let p = dir.path();
    let mut runs: Vec<Vec<&str>> = ["human", "json", "github", "sarif", "junit", "gitlab"]
        .iter()
        .map(|f| vec!["lint", "--format", f])
        .collect();
    runs.extend([
        vec!["lint", "--format", "github", "--lang", "fr"],
        vec!["lint", "--format", "github", "--summary-file", "summary.md"],
        vec!["coverage"],
        vec!["recommend", "m\u{1b}[2J\u{9b}\u{202e}"],
        vec!["lint", "nope\u{1b}[2J\u{9b}\u{202e}\u{2028}"],
        vec!["lint", "--format", "github", "nope\u{1b}[2J\u{9b}\u{202e}"],
    ]);
    runs.extend(DOCUMENTS.iter().map(|d| d.to_vec()));
    for args in &runs {
        let o = ropa_within(p, args, std::time::Duration::from_secs(60));
        let (out, err) = (stdout(&o), stderr(&o));
        assert!(out.len() + err.len() > 0, "{args:?} said nothing");
        if args[0] == "lint" && !args.iter().any(|a| a.starts_with("nope")) {
            let left_out = ["line left out of the ignore rules", "ligne écartée"];
            assert!(
                left_out.iter().any(|s| out.contains(s) || err.contains(s)),
                "{args:?}: {out}{err}"
            );
        }
        let summary = args.iter().position(|a| *a == "--summary-file");
        let summary = summary.map(|at| std::fs::read_to_string(p.join(args[at + 1])).unwrap());
        for (place, text) in [("stdout", &out), ("stderr", &err)]
            .into_iter()
            .chain(summary.as_ref().map(|t| ("summary", t)))
        {
            let raw: Vec<char> = text.chars().filter(|c| acts_on_a_terminal(*c)).collect();
            assert!(raw.is_empty(), "{args:?} {place}: {raw:?} in {text}");
            // a browser obeys a character written as a reference as it obeys the character
            if args.contains(&"html") {
                let referred: Vec<char> = references(text)
                    .into_iter()
                    .filter(|c| acts_on_a_terminal(*c))
                    .collect();
                assert!(referred.is_empty(), "{args:?}: {referred:?} in {text}");
                assert!(place != "stdout" || text.contains("\\u{202e}"), "{text}");
            }
        }
        if let Some(text) = &summary {
            assert!(
                text.contains("\\u{1b}") && text.contains("\\u{202e}"),
                "{text}"
            );
        }
        if args.contains(&"json") {
            let report: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert!(
                holds(&report, dir_name),
                "{args:?}: the name does not read back"
            );
        }
        if args[0] == "export" {
            // YAML, its values read back as they were written in the manifest
            let doc: serde_json::Value = serde_saphyr::from_str(&out).unwrap();
            let written = "v \u{1b}[2J \u{9b}6n \u{202e} \u{2028} \u{2029} \u{2067} end";
            assert!(holds(&doc, written), "{out}");
        }
    }
}

/// A manifest whose file name is not UTF-8 is found and linted, its name shown with the
/// replacement character, never dropped in silence.
#[cfg(target_os = "linux")]
#[test]
fn manifests_with_non_utf8_names_are_linted() {
    use std::os::unix::ffi::OsStrExt;
    let dir = repo(&[("ok/processing.yaml", CLEAN)]);
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.processing.yaml");
    std::fs::create_dir(dir.path().join("odd")).unwrap();
    std::fs::write(dir.path().join("odd").join(name), "version: [\n").unwrap();
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    let report = json(&o);
    assert_eq!(report["summary"]["files"], 2, "{report}");
    let paths: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["odd/caf\u{fffd}.processing.yaml"], "{report}");
}

/// What one file can make ropa produce is bounded, in every format: at most 1,000 activities
/// are read from a manifest and at most 1,000 findings reported for a file, each cap said by a
/// finding of its own.
#[test]
fn one_file_cannot_make_a_report_unbounded() {
    let mut text = String::from("version: 1\nactivities:\n");
    for _ in 0..100_000 {
        text.push_str("  - {}\n");
    }
    let dir = repo(&[("processing.yaml", &text)]);
    let o = ropa_within(
        dir.path(),
        &["lint", "--format", "json"],
        std::time::Duration::from_secs(60),
    );
    assert_eq!(o.status.code(), Some(1));
    let report = json(&o);
    let diags = report["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1_001, "{}", diags.len());
    let said = |needle: &str| {
        diags
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains(needle))
    };
    assert!(said(
        "100000 activities in one manifest: at most 1000 are read"
    ));
    assert!(said(
        "more findings in this file are not reported: a file reports at most 1000"
    ));
    for format in ["human", "sarif", "gitlab", "junit", "github"] {
        let o = ropa_within(
            dir.path(),
            &["lint", "--format", format],
            std::time::Duration::from_secs(60),
        );
        assert!(
            o.stdout.len() < 2 * 1024 * 1024,
            "{format}: {} bytes",
            o.stdout.len()
        );
    }
}

/// An ignore file of thousands of lines that are not globs (64 KiB of `[z-a]`) is said in a
/// few problems, each drawn from the file, in every format and on both streams: not one drawing
/// of the whole file per line (37 s and 1.5 MB of terminal output before the cap).
#[test]
fn an_ignore_file_of_bad_lines_cannot_make_a_report_unbounded() {
    let dir = repo(&[
        (".gitignore", &"[z-a]\n".repeat(10_900)),
        ("processing.yaml", CLEAN),
    ]);
    for format in ["human", "json", "sarif", "gitlab", "junit", "github"] {
        let o = ropa_within(
            dir.path(),
            &["lint", "--format", format],
            std::time::Duration::from_secs(30),
        );
        assert_eq!(o.status.code(), Some(2), "{format}");
        let said = String::from_utf8_lossy(&o.stdout).to_string() + &stderr(&o);
        assert!(said.len() < 256 * 1024, "{format}: {} bytes", said.len());
        assert!(
            said.contains("10880 more lines left out of the ignore rules"),
            "{format}: {said}"
        );
    }
}

/// References and `code:` globs stay inside the repository: one that leads out of it is said
/// to be unchecked, whether or not the outside file exists, so that a pull request cannot use
/// RF001 or RF002 to learn which files exist on the runner, nor make ropa walk its disk.
#[cfg(unix)]
#[test]
fn references_and_globs_stay_inside_the_repository() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "x").unwrap();
    let out = outside.path().display().to_string();
    let manifest =
        CLEAN.replace(
            "https://intranet.example.com/lia",
            &format!("{out}/secret.md"),
        ) + &format!("    code: [\"../../../../../../**/*.md\", \"{out}/*.md\", \"src/*.py\"]\n");
    let manifest = manifest.replace("\"src/*.py\"]", "\"src/*.py\", \"link/*.md\"]");
    let dir = repo(&[("svc/processing.yaml", &manifest), ("svc/src/a.py", "")]);
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    // a directory link inside the repository that leads out of it
    std::os::unix::fs::symlink(outside.path(), dir.path().join("svc/link")).unwrap();
    let o = ropa(dir.path(), &["lint", "--format", "json"]);
    let report = json(&o);
    let messages: Vec<(&str, &str)> = diagnostics(&report)
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(messages.len(), 4, "{report}");
    assert!(
        messages.iter().all(|(_, m)| m.contains("out")),
        "{messages:?}"
    );
    assert_eq!(messages.iter().filter(|(c, _)| *c == "RF002").count(), 3);
    assert_eq!(messages.iter().filter(|(c, _)| *c == "RF001").count(), 1);
    // the same from the repository's absolute path (each directory is then resolved with the
    // ones above it remembered, not by `realpath`): the link still leads out
    let abs = dir.path().canonicalize().unwrap();
    let o = ropa(
        dir.path(),
        &["lint", "--format", "json", abs.to_str().unwrap()],
    );
    let again = json(&o);
    assert_eq!(diagnostics(&again), diagnostics(&report), "{again}");
}

/// Some file systems do not say what a directory entry is (its `d_type` is unknown): the walk
/// then looks at each entry itself, without following links. Debug builds pretend so under
/// `ROPA_TEST_NO_DTYPE`: every report is the same as when the system says, over manifests deep
/// and shallow, an ignored directory, links in and out of the repository, a directory link (not
/// followed), a FIFO (never opened) and code files for coverage.
#[cfg(unix)]
#[test]
fn a_file_system_that_does_not_say_what_entries_are_gives_the_same_reports() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.yaml");
    std::fs::write(&secret, "version: 1\nactivities:\n  - id: TOP-SECRET\n").unwrap();
    let dir = repo(&[
        ("a/processing.yaml", CLEAN),
        (
            "b/deep/er/x.processing.yaml",
            &CLEAN.replace("id: crm", "id: b"),
        ),
        ("ignored/processing.yaml", "not: [yaml"),
        (".ignore", "ignored/\n"),
        ("svc/processing.yaml", &CLEAN.replace("id: crm", "id: svc")),
        (
            "svc/db/schema.sql",
            "CREATE TABLE users (email TEXT, birth_date DATE);\n",
        ),
    ]);
    let d = dir.path();
    let link = |target: &std::path::Path, at: &str| {
        std::fs::create_dir_all(d.join(at).parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, d.join(at)).unwrap();
    };
    link(&secret, "out/processing.yaml");
    link(&d.join("a/processing.yaml"), "alias/processing.yaml");
    link(&d.join("b"), "b-again");
    std::fs::create_dir_all(d.join("fifo")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(d.join("fifo/processing.yaml"))
        .status()
        .unwrap();
    assert!(made.success());
    for format in ["json", "human", "sarif"] {
        let args = ["lint", "--format", format];
        let told = ropa_within(d, &args, std::time::Duration::from_secs(60));
        let looked = common::ropa_env(
            d,
            &args,
            &[("ROPA_TEST_NO_DTYPE", std::path::Path::new("1"))],
        );
        let (out, err) = (stdout(&told), stderr(&told));
        assert_eq!(told.status.code(), Some(2), "{format}: {out}{err}");
        assert_eq!(looked.status.code(), told.status.code(), "{format}");
        assert_eq!(stdout(&looked), out, "{format}");
        assert_eq!(stderr(&looked), err, "{format}");
        assert!(
            !out.contains("TOP-SECRET") && !err.contains("TOP-SECRET"),
            "{out}{err}"
        );
    }
    // what the report holds: the manifests found, the FIFO and the link out said, nothing ignored
    let r = json(&ropa(d, &["lint", "--format", "json"]));
    let found = codes(&r);
    for (path, code) in [
        ("out/processing.yaml", "MF001"),
        ("alias/processing.yaml", "MF005"),
    ] {
        assert!(found.contains(&(path.into(), code.into())), "{found:?}");
    }
    assert!(
        !found
            .iter()
            .any(|(p, _)| p.starts_with("ignored/") || p.starts_with("b-again/"))
    );
    assert_eq!(r["summary"]["files"], 5, "{r:#}");
}
