//! What a user reads, pinned: every rule's human rendering (one snapshot per failing fixture,
//! in English and in French), and every output format over one shared set of diagnostics and
//! problems. Snapshots live in `tests/it/snapshots/`; a change is reviewed with `cargo insta
//! review` (or by reading the `.snap.new` files) and never accepted by CI (`INSTA_UPDATE=no`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ropa::catalog::load;
use ropa::config::Settings;
use ropa::diag::{Problem, ProblemKind};
use ropa::engine::run;
use ropa::i18n::Lang;
use ropa::render::{Format, Report, human};
use ropa::source::{Source, Span};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn plain() -> human::Options {
    human::Options {
        color: false,
        quiet: false,
    }
}

/// Paths are shown relative to the working directory: the tests run from the package root.
fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(root()).unwrap_or(path).to_path_buf()
}

#[test]
fn every_rule_renders_for_people() {
    let catalog = load::builtin().unwrap();
    let dir = root().join("tests/fixtures/rules");
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
        .map(|f| f.unwrap().path())
        .filter(|f| {
            f.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("fail") && (n.ends_with(".yaml") || f.is_dir()))
        })
        .collect();
    fixtures.sort();
    assert!(fixtures.len() > 30, "the fixtures are found");
    for lang in Lang::ALL {
        let mut settings = Settings::defaults(dir.clone());
        settings.lang = ropa::config::Set::default(lang);
        for path in &fixtures {
            // a repository fixture is linted from its own root, like a repository
            let settings = if path.is_dir() {
                let mut s = Settings::defaults(path.clone());
                s.lang = ropa::config::Set::default(lang);
                s
            } else {
                settings.clone()
            };
            let outcome = run::check(&[relative(path)], &catalog, &settings);
            let text = Report::new(&outcome, catalog.name(), lang).render(Format::Human, &plain());
            let code = path
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy();
            let stem = path.file_stem().unwrap().to_string_lossy();
            insta::assert_snapshot!(format!("rule-{code}-{stem}-{}", lang.code()), text);
        }
    }
}

/// The shared set: the examples' findings, and a configuration problem with its place.
fn shared(lang: Lang) -> (ropa::engine::Outcome, String) {
    let catalog = load::builtin().unwrap();
    let mut settings = Settings::defaults(root());
    settings.lang = ropa::config::Set::default(lang);
    let mut outcome = run::check(&[PathBuf::from("examples")], &catalog, &settings);
    let config = Arc::new(Source::new(
        "ropa.yaml".into(),
        "ropa.yaml".into(),
        "fail_on: sometimes\n".into(),
    ));
    let message = match lang {
        Lang::En => "`sometimes` is not a threshold; expected `error` or `warning`",
        Lang::Fr => "`sometimes` n'est pas un seuil ; attendu : `error` ou `warning`",
    };
    outcome
        .problems
        .push(Problem::new(ProblemKind::Configuration, message).at(config, Span::new(9, 18)));
    (outcome, catalog.name().to_string())
}

#[test]
fn every_format_renders_the_shared_set() {
    let cwd = std::env::current_dir().unwrap();
    let root_uri = format!(
        "file://{}/",
        ropa::render::sarif::percent_path(&cwd.to_string_lossy())
    );
    for lang in Lang::ALL {
        let (outcome, catalog) = shared(lang);
        let report = Report::new(&outcome, &catalog, lang);
        for format in Format::ALL {
            let text = report
                .render(format, &plain())
                // the working directory's absolute URI differs from machine to machine
                .replace(&root_uri, "file:///ROOT/");
            insta::assert_snapshot!(format!("format-{}-{}", format.name(), lang.code()), text);
        }
        let summary = ropa::render::summary::render(&report, None);
        insta::assert_snapshot!(format!("format-summary-{}", lang.code()), summary);
        let linked =
            ropa::render::summary::render(&report, Some("https://github.example/o/r/blob/abc"));
        assert!(
            linked.contains("[examples/services/analytics/processing.yaml:15](https://github.example/o/r/blob/abc/examples/services/analytics/processing.yaml#L15)"),
            "{linked}"
        );
    }
}
