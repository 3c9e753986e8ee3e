//! The README and `--help` stay in step with the code.

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

#[test]
fn the_readme_rule_table_matches_the_registry() {
    let readme = readme();
    let start = readme
        .find("<!-- rules:start -->\n")
        .expect("rules:start marker")
        + 21;
    let end = readme.find("<!-- rules:end -->").expect("rules:end marker");
    let table = ropa::app::explain::markdown_table();
    assert_eq!(
        &readme[start..end],
        table,
        "README rule table is stale; expected:\n{table}"
    );
}

#[test]
fn the_readme_purpose_table_matches_the_catalog() {
    let readme = readme();
    let start = readme
        .find("<!-- purposes:start -->\n")
        .expect("purposes:start marker")
        + 24;
    let end = readme
        .find("<!-- purposes:end -->")
        .expect("purposes:end marker");
    let catalog = ropa::catalog::load::builtin().unwrap();
    let table = ropa::app::catalog::markdown_table(&catalog);
    assert_eq!(
        &readme[start..end],
        table,
        "README purpose table is stale; expected:\n{table}"
    );
}

#[test]
fn the_readme_documents_every_command_and_flag() {
    let readme = readme();
    let help = |args: &[&str]| {
        let o = crate::common::command().args(args).output().unwrap();
        String::from_utf8(o.stdout).unwrap()
    };
    for cmd in [
        "lint",
        "recommend",
        "catalog",
        "explain",
        "init",
        "config",
        "schema",
        "register",
        "export",
        "diff",
        "coverage",
    ] {
        assert!(
            readme.contains(&format!("ropa {cmd}")),
            "README does not mention `ropa {cmd}`"
        );
        assert!(
            help(&["--help"]).contains(cmd),
            "--help does not list {cmd}"
        );
    }
    // every long flag of every command, as clap knows them, is in `--help` and in the README
    use clap::CommandFactory;
    let mut missing = Vec::new();
    let mut commands = vec![(Vec::<String>::new(), ropa::cli::Args::command())];
    while let Some((path, cmd)) = commands.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let text = help(&args);
        for flag in cmd.get_arguments().filter_map(|a| a.get_long()) {
            if matches!(flag, "help" | "version") {
                continue;
            }
            let flag = format!("--{flag}");
            assert!(text.contains(&flag), "`ropa {path:?} --help` lacks {flag}");
            if !readme.contains(&flag) {
                missing.push(format!("{} {flag}", path.join(" ")));
            }
        }
        for sub in cmd.get_subcommands() {
            let mut p = path.clone();
            p.push(sub.get_name().to_string());
            commands.push((p, sub.clone()));
        }
    }
    assert!(missing.is_empty(), "README does not document {missing:?}");
    // the two commands of a fresh machine
    assert!(readme.contains("cargo run --release -- lint examples/"));
    assert!(readme.contains("cargo test --locked"));
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(
        ci.contains("\ncargo test --locked "),
        ".ci/run must run the README's test command"
    );
    assert!(ci.contains("\ncargo fmt --check\n"));
    assert!(ci.contains("\ncargo clippy --all-targets --locked -- -D warnings\n"));
}

#[test]
fn the_readme_walkthrough_manifest_is_clean() {
    // the manifest shown in the README lints without findings (RF001 aside: its documents are
    // not in this repository)
    let readme = readme();
    let start = readme
        .find("```yaml\n# walkthrough")
        .expect("walkthrough block")
        + 8;
    let end = start + readme[start..].find("```").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("processing.yaml"), &readme[start..end]).unwrap();
    std::fs::create_dir_all(dir.path().join("docs/privacy")).unwrap();
    std::fs::write(dir.path().join("docs/privacy/lia-customers.md"), "LIA").unwrap();
    let o = crate::common::command()
        .args(["lint", "--format", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["diagnostics"], serde_json::json!([]), "{v:#}");
}

#[test]
fn the_readme_configuration_example_is_valid() {
    let readme = readme();
    let start = readme
        .find("```yaml\n# ropa.yaml")
        .expect("configuration block")
        + 8;
    let end = start + readme[start..].find("```").unwrap();
    let source = ropa::source::Source::new(
        "ropa.yaml".into(),
        "ropa.yaml".into(),
        readme[start..end].to_string(),
    );
    let settings = ropa::config::Settings::defaults(".".into());
    let s = ropa::config::file::read(&source, settings, ropa::i18n::Lang::En)
        .expect("the README's configuration is valid");
    assert_eq!(s.rules.len(), 2);
    assert_eq!(s.per_path.len(), 1);
    assert!(s.defaults.controller_name.is_some());
}

/// `docs/rules/<CODE>.md`, where the SARIF rule help links point, is generated from the rules'
/// documentation. `ROPA_BLESS=1 cargo test --test it docs` rewrites the pages after a reviewed change.
#[test]
fn the_rule_pages_match_the_registry() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let bless = std::env::var_os("ROPA_BLESS").is_some();
    let mut stale = Vec::new();
    for r in ropa::rules::all() {
        let path = dir.join(format!("{}.md", r.code));
        let want = ropa::app::explain::markdown_page(r);
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &want).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(want.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    let pages = std::fs::read_dir(&dir).map_or(0, |d| d.count());
    assert_eq!(
        pages,
        ropa::rules::all().len(),
        "one page per rule, no stray page"
    );
    assert!(
        stale.is_empty(),
        "stale rule pages (regenerate with ROPA_BLESS=1): {stale:?}"
    );
}

/// `schemas/*.json` are what `ropa schema NAME` prints (regenerate with `ROPA_BLESS=1`).
#[test]
fn the_committed_schemas_match_the_code() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let bless = std::env::var_os("ROPA_BLESS").is_some();
    for name in ropa::schema::NAMES {
        let path = dir.join(ropa::schema::file_name(name));
        let want = ropa::schema::render(name).unwrap();
        if bless {
            std::fs::write(&path, &want).unwrap();
        }
        let got = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            got == want,
            "{} is stale; regenerate with ROPA_BLESS=1",
            path.display()
        );
        let o = crate::common::command()
            .args(["schema", name])
            .output()
            .unwrap();
        assert_eq!(String::from_utf8(o.stdout).unwrap(), want);
    }
}

/// Every field the parser reads is described in the manifest schema, and nothing more.
#[test]
fn the_manifest_schema_describes_every_field() {
    let schema = ropa::schema::manifest();
    let props = schema["properties"]["activities"]["items"]["properties"]
        .as_object()
        .unwrap();
    let mut described: Vec<&str> = props.keys().map(String::as_str).collect();
    let mut parsed = ropa::manifest::parse::ACTIVITY_FIELDS.to_vec();
    described.sort();
    parsed.sort();
    assert_eq!(described, parsed);
    for (k, v) in props {
        let has = |v: &serde_json::Value| v.get("description").is_some();
        assert!(
            has(v) || v["anyOf"].as_array().is_some_and(|a| a.iter().any(has)),
            "{k}"
        );
    }
}
