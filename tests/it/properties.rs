//! Properties that hold for any input: mutated manifests never make ropa panic, every span lies
//! inside its file on character boundaries, and every output format stays well formed (the JSON
//! report matches its schema) whatever text the manifests hold.

use crate::common;

use std::sync::OnceLock;

use proptest::prelude::*;
use ropa::diag::{Diagnostic, Severity, sink};
use ropa::source::{Source, Span};

fn fixtures() -> &'static Vec<String> {
    static FIXTURES: OnceLock<Vec<String>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
        let mut out = Vec::new();
        for d in std::fs::read_dir(dir).unwrap() {
            for f in std::fs::read_dir(d.unwrap().path()).unwrap() {
                let f = f.unwrap().path();
                // a repository fixture's manifest
                let f = if f.is_dir() {
                    f.join("processing.yaml")
                } else {
                    f
                };
                out.push(std::fs::read_to_string(f).unwrap());
            }
        }
        out.sort();
        out
    })
}

/// Lints text and renders it in every format (the harness the fuzz target uses), then checks
/// what needs the test's own tools.
fn lint_and_render(text: &str) {
    check(&ropa::harness::lint_and_render(text));
}

fn check(r: &ropa::harness::Rendered) {
    let json: serde_json::Value = serde_json::from_str(&r.json).expect("JSON");
    common::assert_report_schema(&json);
    let sarif: serde_json::Value = serde_json::from_str(&r.sarif).expect("SARIF");
    assert_eq!(sarif["version"], "2.1.0");
    let gitlab: serde_json::Value = serde_json::from_str(&r.gitlab).expect("GitLab");
    assert!(gitlab.is_array());
    roxmltree::Document::parse(&r.junit).expect("JUnit XML parses");
}

/// A mutation of a fixture: delete, insert or replace a few bytes.
fn mutate(text: &str, edits: &[(usize, u8, String)]) -> String {
    let mut s = text.to_string();
    for (at, kind, piece) in edits {
        let mut at = at % (s.len() + 1);
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        match kind % 3 {
            0 => s.insert_str(at, piece),
            1 => {
                let mut end = (at + piece.len()).min(s.len());
                while !s.is_char_boundary(end) {
                    end += 1;
                }
                s.replace_range(at..end, "");
            }
            _ => {
                let mut end = (at + piece.chars().count()).min(s.len());
                while !s.is_char_boundary(end) {
                    end += 1;
                }
                s.replace_range(at..end, piece);
            }
        }
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn mutated_fixtures_never_panic(
        pick in 0usize..1000,
        edits in proptest::collection::vec((0usize..4000, any::<u8>(), "[ -~\\n\\t:\\[\\]{}&*!|>'\"#%@`é\u{202e}\u{1b}-]{0,12}"), 1..6),
    ) {
        let fixtures = fixtures();
        let text = mutate(&fixtures[pick % fixtures.len()], &edits);
        lint_and_render(&text);
    }

    #[test]
    fn arbitrary_text_in_diagnostics_keeps_every_format_well_formed(
        message in "\\PC{0,40}",
        path in "[^\\u{0}/]{1,20}(/[^\\u{0}/]{1,20}){0,2}",
        activity in proptest::option::of("\\PC{0,20}"),
        help in proptest::option::of("\\PC{0,30}"),
        control in "[\\u{0}-\\u{1f}\\u{7f}\\u{202a}-\\u{202e}%:,]{0,6}",
    ) {
        let text = format!("key: {message}\n");
        let display = format!("{path}{control}");
        let source = Source::new(display.clone(), display.into(), text.clone());
        let mut d = Diagnostic::new(ropa::diag::RuleId::LB001, Severity::Error, 0, format!("x{message}{control}")).at(Span::new(5, text.len() - 1));
        d.activity = activity.map(|a| format!("{a}{control}"));
        d.help = help;
        d.notes.push(format!("note {control}"));
        let mut note = Diagnostic::new(ropa::diag::RuleId::MF002, Severity::Note, 0, format!("finding {control}"));
        note.span = Some(Span::new(0, 3));
        let diags = vec![d, note];
        let summary = sink::Summary { files: 1, activities: 1, errors: 1, warnings: 0, notes: 1 };
        let failures = [ropa::diag::Problem::new(ropa::diag::ProblemKind::Unread, format!("cannot read{control}")).on(format!("{path}{control}"))];
        check(&ropa::harness::render_all(&[source], &diags, summary, &failures));
    }
}

#[test]
fn every_fixture_renders_in_every_format() {
    for text in fixtures() {
        lint_and_render(text);
    }
}
