//! Helpers shared by the integration tests that run the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A manifest that lints clean.
pub(crate) const CLEAN: &str = "version: 1
activities:
  - id: crm
    name: Customer file
    purpose: customer-management
    legal_basis: legitimate-interests
    legitimate_interests:
      balancing_test: https://intranet.example.com/lia
    data_subjects: [customers]
    data_categories: [identity, contact]
    dpia:
      required: false
    retention:
      active: 3 years
";

/// Runs `ropa` in a directory.
pub(crate) fn ropa(dir: &Path, args: &[&str]) -> Output {
    ropa_env(dir, args, &[])
}

/// Runs `ropa` like [`ropa`], with extra environment variables.
pub(crate) fn ropa_env(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Output {
    command()
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("ropa runs")
}

/// Where the test runs keep ropa's id cache: under Cargo's scratch directory for integration
/// tests (`target/tmp`), so that runs leave nothing in the system's temporary directory. Every
/// run shares it: each test's repository is a fresh temporary directory, with a cache entry of
/// its own.
pub(crate) fn test_cache_dir() -> PathBuf {
    PathBuf::from(TEST_CACHE_DIR)
}

/// [`test_cache_dir`] as text, for trycmd's environment.
pub(crate) const TEST_CACHE_DIR: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/ropa-test-cache");

/// A command that runs the `ropa` under test with its id cache in [`test_cache_dir`], never in
/// the user's own cache.
pub(crate) fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ropa"));
    c.env("ROPA_CACHE_DIR", test_cache_dir());
    c
}

/// Runs `ropa` like [`ropa`], but fails the test (killing ropa) if it has not finished within
/// `limit`, and caps its address space at 2 GiB (`prlimit`, util-linux): for tests whose
/// regression would be a run that blocks for ever or eats the machine's memory.
pub(crate) fn ropa_within(dir: &Path, args: &[&str], limit: std::time::Duration) -> Output {
    use std::process::Stdio;
    let child = Command::new("prlimit")
        .args(["--as=2147483648", "--", env!("CARGO_BIN_EXE_ropa")])
        .args(args)
        .current_dir(dir)
        .env("ROPA_CACHE_DIR", test_cache_dir())
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ropa runs under prlimit (util-linux)");
    let pid = child.id().to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output()));
    match rx.recv_timeout(limit) {
        Ok(out) => out.expect("ropa runs"),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid]).status();
            panic!("ropa {args:?} did not finish within {limit:?}");
        }
    }
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary repository with the given files.
pub(crate) fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// JSON on standard output that is not a lint report (e.g. `ropa recommend --format json`).
pub(crate) fn raw_json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(o), stderr(o)))
}

/// The JSON report on standard output, checked against `schemas/report.schema.json`.
pub(crate) fn json(o: &Output) -> Value {
    let v = raw_json(o);
    assert_report_schema(&v);
    v
}

/// Fails when a JSON report does not match the published report schema.
pub(crate) fn assert_report_schema(report: &Value) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("schemas/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "the report does not match report.schema.json: {errors:#?}"
    );
}

/// The diagnostics of a JSON report.
pub(crate) fn diagnostics(report: &Value) -> &[Value] {
    report["diagnostics"]
        .as_array()
        .expect("a diagnostics array")
}

/// A string field of a diagnostic, by JSON pointer (`/code`, `/path`).
pub(crate) fn field(d: &Value, pointer: &str) -> String {
    d.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {d}"))
        .to_string()
}

/// The 1-based start line of a diagnostic.
pub(crate) fn line(d: &Value) -> u64 {
    d["range"]["start"]["line"].as_u64().expect("a start line")
}

/// Runs git in a test repository, as a fixed author; fails the test if git fails.
pub(crate) fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
