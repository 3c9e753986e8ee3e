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

type Expectation = (String, String, usize, usize);

/// The `# expect:` lines of a fixture, sorted (duplicates kept).
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
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let out = lint::check(std::slice::from_ref(&path), &catalog, &settings());
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
                let pos = out.sources[d.file].position(d.span.unwrap_or_default().start);
                (
                    d.code.to_string(),
                    d.severity.as_str().to_string(),
                    pos.line,
                    pos.column,
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
            let text = std::fs::read_to_string(dir.join(f)).unwrap();
            assert!(
                expectations(&text).iter().any(|e| e.0 == r.code),
                "{}/{f} does not expect {}",
                r.code,
                r.code
            );
        }
        for p in names.iter().filter(|n| n.starts_with("pass")) {
            let text = std::fs::read_to_string(dir.join(p)).unwrap();
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
