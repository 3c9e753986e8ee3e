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

/// A finding placed while its text was at hand renders where the renderer would have found it
/// in that text: the same range, the same text under the span (fingerprints) and the same lines
/// drawn, finding by finding and format by format, in both languages' shared sets.
#[test]
fn placed_findings_render_as_their_texts_would() {
    for lang in Lang::ALL {
        let (outcome, catalog) = shared(lang);
        let (mut unplaced, _) = shared(lang);
        unplaced.diagnostics = ropa::diag::store::Findings::from_vec(
            outcome
                .diagnostics
                .iter()
                .map(|mut d| {
                    d.placed = None;
                    d
                })
                .collect(),
        );
        let report = Report::new(&outcome, &catalog, lang);
        let bare = Report::new(&unplaced, &catalog, lang);
        for format in Format::ALL {
            assert_eq!(
                report.render(format, &plain()),
                bare.render(format, &plain()),
                "{}",
                format.name()
            );
        }
        let mut placed = 0;
        for d in outcome.diagnostics.iter() {
            let mut bare = d.clone();
            bare.placed = None;
            assert_eq!(report.range(&d), report.range(&bare), "{d:?}");
            assert_eq!(report.span_text(&d), report.span_text(&bare), "{d:?}");
            placed += usize::from(d.is_placed());
        }
        let total = outcome.diagnostics.len();
        assert!(
            placed > 5 && placed * 2 > total,
            "placed: {placed} of {total}"
        );
    }
}

/// A large run lets the files' texts go. Every format says where each finding is in the text
/// that was linted, and the human format draws its lines, without reading the files again:
/// changed since, they render the same. A finding whose lines are too many to keep is drawn
/// from the file read again, as it is now.
#[test]
fn a_report_does_not_read_the_files_again() {
    let tmp = tempfile::tempdir().unwrap();
    let manifest =
        std::fs::read_to_string(root().join("examples/services/analytics/processing.yaml"))
            .unwrap();
    std::fs::create_dir_all(tmp.path().join("svc/db/migrations")).unwrap();
    std::fs::write(tmp.path().join("svc/processing.yaml"), &manifest).unwrap();
    std::fs::write(
        tmp.path().join("svc/db/migrations/1_init.sql"),
        "CREATE TABLE customers (\n  id BIGSERIAL PRIMARY KEY,\n  diagnosis TEXT\n);\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("svc/package.json"),
        "{\"dependencies\": {\"stripe\": \"1.0.0\"}}\n",
    )
    .unwrap();
    let catalog = load::builtin().unwrap();
    let settings = Settings::defaults(tmp.path().to_path_buf());
    let request = run::Request {
        paths: vec![tmp.path().to_path_buf()],
        changed: None,
        keep_manifests: false,
        keep_only: None,
        use_index: false,
        staged: false,
        coverage: run::Coverage::Findings,
        touched_by: None,
    };
    let outcome = run::lint(&request, &catalog, &settings);
    let files: Vec<String> = outcome
        .sources
        .iter()
        .map(|s| s.display().to_string())
        .collect();
    assert!(
        outcome.sources.iter().all(Source::is_forgotten),
        "{files:?}"
    );
    let codes: Vec<String> = outcome
        .diagnostics
        .iter()
        .map(|d| d.code.to_string())
        .collect();
    for code in ["CV001", "CV004"] {
        assert!(codes.iter().any(|c| c == code), "{code} in {codes:?}");
    }
    let render = |format| Report::new(&outcome, catalog.name(), Lang::En).render(format, &plain());
    let before: Vec<String> = Format::ALL.iter().map(|&f| render(f)).collect();
    // every file gets three lines more at its start
    for path in [
        "svc/processing.yaml",
        "svc/db/migrations/1_init.sql",
        "svc/package.json",
    ] {
        let path = tmp.path().join(path);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("\n\n\n{text}")).unwrap();
    }
    for (format, before) in Format::ALL.iter().zip(&before) {
        assert_eq!(&render(*format), before, "{}", format.name());
    }
    // a finding whose lines are not kept: its file is read again, as it is now
    let mut outcome = outcome;
    outcome.diagnostics = ropa::diag::store::Findings::from_vec(
        outcome
            .diagnostics
            .iter()
            .map(|mut d| {
                if let Some(p) = d.placed.as_mut() {
                    p.excerpt = None;
                }
                d
            })
            .collect(),
    );
    let human = Report::new(&outcome, catalog.name(), Lang::En).render(Format::Human, &plain());
    let at = Format::ALL
        .iter()
        .position(|&f| f == Format::Human)
        .unwrap();
    assert_ne!(human, before[at], "drawn from the file as it is now");
    assert!(human.contains("processing.yaml:"), "{human}");
}
