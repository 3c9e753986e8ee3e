//! Rule fixtures: `tests/fixtures/rules/<CODE>/*.yaml`. Each file starts with `# expect:` lines
//! (`# expect: LB001 error 7:18`) listing every diagnostic the file must produce, and nothing
//! else may be produced. Files named `pass*` show the rule not firing, `fail*` show it firing.
//!
//! Meta-tests: the rule codes, names and default severities match the spec's table; every rule
//! has documentation in the expected sections and both kinds of fixtures; messages follow the
//! house style.

use std::path::{Path, PathBuf};

use ropa::catalog::load;
use ropa::config::Settings;
use ropa::engine::run as lint;
use ropa::rules;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

/// The single-file fixtures (`*.yaml`).
fn fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(fixture_dir()).unwrap() {
        let dir = dir.unwrap().path();
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|e| e == "yaml") {
                out.push(f);
            }
        }
    }
    out.sort();
    out
}

/// The repository fixtures: directories (`fail/`, `pass/`) linted whole, for the rules that
/// look at more than a manifest (coverage). Their expectations are in their `processing.yaml`.
fn repository_fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(fixture_dir()).unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let f = f.unwrap().path();
            if f.is_dir() {
                out.push(f);
            }
        }
    }
    out.sort();
    out
}

/// A fixture's text with its expectations: the file, or a repository fixture's manifest.
fn fixture_text(path: &Path) -> String {
    let file = if path.is_dir() {
        path.join("processing.yaml")
    } else {
        path.to_path_buf()
    };
    std::fs::read_to_string(file).unwrap()
}

/// (code, severity, line, column, file): the file is empty for the manifest itself.
type Expectation = (String, String, usize, usize, String);

/// The `# expect:` lines of a fixture, sorted (duplicates kept): `CODE level line:col [file]`,
/// the file relative to a repository fixture (its manifest when not given).
fn expectations(text: &str) -> Vec<Expectation> {
    let mut out: Vec<Expectation> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(|l| {
            let p: Vec<&str> = l.split_whitespace().collect();
            let (line, col) = p[2].split_once(':').unwrap();
            (
                p[0].into(),
                p[1].into(),
                line.parse().unwrap(),
                col.parse().unwrap(),
                p.get(3).map_or(String::new(), |f| (*f).to_string()),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_fixture_produces_exactly_its_expectations() {
    let catalog = load::builtin().unwrap();
    let mut failures = Vec::new();
    let files = fixtures();
    assert!(
        files.len() >= 48,
        "expected fixtures, found {}",
        files.len()
    );
    for path in files.into_iter().chain(repository_fixtures()) {
        let text = fixture_text(&path);
        let settings = if path.is_dir() {
            Settings::defaults(path.clone())
        } else {
            settings()
        };
        let out = lint::check(std::slice::from_ref(&path), &catalog, &settings);
        assert!(
            out.problems.is_empty(),
            "{}: {:?}",
            path.display(),
            out.problems
        );
        let mut got: Vec<Expectation> = out
            .diagnostics
            .iter()
            .map(|d| {
                let source = &out.sources[d.file];
                let text = std::fs::read_to_string(source.path()).unwrap_or_default();
                let here =
                    ropa::source::Source::new(String::new(), source.path().to_path_buf(), text);
                let pos = here.position(d.span.unwrap_or_default().start);
                let file = match source.path().strip_prefix(&path) {
                    Ok(rel) if path.is_dir() && rel != Path::new("processing.yaml") => {
                        ropa::source::slashed(rel)
                    }
                    _ => String::new(),
                };
                (
                    d.code.to_string(),
                    d.severity.as_str().to_string(),
                    pos.line,
                    pos.column,
                    file,
                )
            })
            .collect();
        got.sort();
        let want = expectations(&text);
        if got != want {
            let messages: Vec<String> = out
                .diagnostics
                .iter()
                .map(|d| format!("{} {}", d.code, d.message))
                .collect();
            failures.push(format!(
                "{}\n  want {want:?}\n  got  {got:?}\n  {messages:#?}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The spec's rule table (spec §4): codes are public and never reused.
const SPEC: &[(&str, &str, &str)] = &[
    ("MF001", "yaml-syntax", "error"),
    ("MF002", "unknown-field", "error"),
    ("MF003", "missing-field", "error"),
    ("MF004", "invalid-value", "error"),
    ("MF005", "duplicate-activity-id", "error"),
    ("MF006", "unknown-purpose", "warning"),
    ("LB001", "legal-basis-inconsistent", "error"),
    (
        "LB002",
        "legitimate-interests-without-balancing-test",
        "warning",
    ),
    ("LB003", "consent-without-withdrawal", "warning"),
    ("LB004", "legal-obligation-without-reference", "warning"),
    ("LB005", "special-categories-without-condition", "error"),
    ("DP001", "dpia-flag-missing", "error"),
    ("DP002", "dpia-required", "error"),
    ("DP003", "dpia-without-reference", "warning"),
    ("DP004", "dpia-criteria-met", "error"),
    ("RT001", "retention-missing", "error"),
    ("RT002", "retention-unbounded", "error"),
    ("RT003", "retention-exceeds-recommendation", "warning"),
    ("RT004", "retention-below-statutory-minimum", "error"),
    ("RT005", "archive-without-reason", "warning"),
    ("RF001", "referenced-document-missing", "warning"),
    ("RF002", "code-paths-match-nothing", "warning"),
    ("TR001", "transfer-without-safeguard", "error"),
    ("SP001", "unused-deviation", "warning"),
    ("CV001", "personal-data-not-covered", "warning"),
    ("CV002", "special-category-not-declared", "error"),
    ("CV003", "category-not-declared", "warning"),
    ("CV004", "processor-not-declared", "warning"),
    ("CV005", "declared-category-not-seen", "note"),
];

#[test]
fn rule_codes_match_the_spec_table() {
    let registry: Vec<(&str, &str, &str)> = rules::all()
        .iter()
        .map(|r| (r.code, r.name, r.default_severity.as_str()))
        .collect();
    assert_eq!(registry, SPEC);
}

#[test]
fn every_rule_has_documentation_in_sections() {
    for r in rules::all() {
        let doc = r.explanation();
        for section in ["## What it checks", "## Why", "## Example", "## Fix"] {
            assert!(doc.contains(section), "{} lacks `{section}`", r.code);
        }
        assert!(doc.contains("```yaml"), "{} has no YAML example", r.code);
        assert!(
            !r.summary.is_empty() && !r.summary.ends_with('.'),
            "{}",
            r.code
        );
    }
}

#[test]
fn every_rule_has_a_failing_and_a_passing_fixture() {
    for r in rules::all() {
        let dir = fixture_dir().join(r.code);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("no fixtures for {}", r.code))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let fail = names
            .iter()
            .filter(|n| n.starts_with("fail"))
            .collect::<Vec<_>>();
        assert!(
            names.iter().any(|n| n.starts_with("pass")),
            "{}: no pass fixture",
            r.code
        );
        assert!(!fail.is_empty(), "{}: no fail fixture", r.code);
        for f in fail {
            let text = fixture_text(&dir.join(f));
            assert!(
                expectations(&text).iter().any(|e| e.0 == r.code),
                "{}/{f} does not expect {}",
                r.code,
                r.code
            );
        }
        for p in names.iter().filter(|n| n.starts_with("pass")) {
            let text = fixture_text(&dir.join(p));
            assert!(
                !expectations(&text)
                    .iter()
                    .any(|e| e.0 == r.code && e.1 != "note"),
                "{}/{p} expects {} to fire",
                r.code,
                r.code
            );
        }
    }
}

#[test]
fn messages_follow_the_house_style() {
    let catalog = load::builtin().unwrap();
    let out = lint::check(&fixtures(), &catalog, &settings());
    assert!(!out.diagnostics.is_empty());
    for d in &out.diagnostics {
        let first = d.message.chars().next().unwrap();
        assert!(
            !first.is_uppercase(),
            "{}: message starts with a capital: {}",
            d.code,
            d.message
        );
        assert!(
            !d.message.ends_with('.'),
            "{}: trailing period: {}",
            d.code,
            d.message
        );
        assert!(!d.message.contains('\n'), "{}: multi-line message", d.code);
        assert!(d.span.is_some(), "{}: no span", d.code);
    }
}

#[test]
fn catalog_backed_diagnostics_cite_their_sources() {
    let catalog = load::builtin().unwrap();
    let out = lint::check(&fixtures(), &catalog, &settings());
    for code in [
        "LB001", "DP002", "DP004", "RT003", "RT004", "TR001", "LB005",
    ] {
        let ds: Vec<_> = out
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == code)
            .collect();
        assert!(!ds.is_empty(), "no {code} in the fixtures");
        for d in ds {
            assert!(!d.sources.is_empty(), "{code} cites nothing: {}", d.message);
        }
    }
}

/// Settings rooted at the fixtures, so that no manifest of the repository (`examples/`) is read
/// as context.
fn settings() -> Settings {
    Settings::defaults(fixture_dir())
}

/// Every diagnostic exists in English and in French: linting every fixture in both languages
/// gives the same findings, and no message, label or help line is left untranslated.
#[test]
fn every_message_is_translated() {
    let catalog = load::builtin().unwrap();
    let mut fr_settings = settings();
    fr_settings.lang = ropa::config::Set::default(ropa::i18n::Lang::Fr);
    let en = lint::check(&fixtures(), &catalog, &settings());
    let fr = lint::check(&fixtures(), &catalog, &fr_settings);
    assert_eq!(en.diagnostics.len(), fr.diagnostics.len());
    let mut untranslated = Vec::new();
    for (e, f) in en.diagnostics.iter().zip(&fr.diagnostics) {
        assert_eq!((e.code, e.span, e.severity), (f.code, f.span, f.severity));
        let pairs = [
            (Some(&e.message), Some(&f.message)),
            (e.label.as_ref(), f.label.as_ref()),
            (e.help.as_ref(), f.help.as_ref()),
        ];
        for (a, b) in pairs {
            if let Some(text) = a
                && a == b
            {
                untranslated.push(format!("{}: {text}", e.code));
            }
        }
        for (a, b) in e.labels.iter().zip(&f.labels) {
            if a.message == b.message {
                untranslated.push(format!("{} label: {}", e.code, a.message));
            }
        }
    }
    assert!(untranslated.is_empty(), "{untranslated:#?}");
}

#[test]
fn every_rule_is_documented_in_french() {
    for r in rules::all() {
        let fr = r.explanation_in(ropa::i18n::Lang::Fr);
        for section in [
            "## Ce qu'elle vérifie",
            "## Pourquoi",
            "## Exemple",
            "## Correction",
        ] {
            assert!(
                fr.contains(section),
                "{} lacks `{section}` in French",
                r.code
            );
        }
        assert!(fr.contains("```yaml"), "{}: no example in French", r.code);
        assert_ne!(r.summary, r.fr.summary, "{}", r.code);
        assert!(!r.fr.summary.ends_with('.'), "{}", r.code);
    }
}
