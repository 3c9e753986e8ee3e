//! Lints arbitrary bytes as a manifest and renders the findings in every format. Any panic is a
//! bug; so is a span outside the file or off a character boundary.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use ropa::engine::run::{NoFiles, lint_source};
use ropa::catalog::load::{self, Loaded};
use ropa::config::Settings;
use ropa::diag::sink;
use ropa::render::{self, Report};
use ropa::source::Source;

fn catalog() -> &'static Loaded {
    static CATALOG: OnceLock<Loaded> = OnceLock::new();
    CATALOG.get_or_init(|| load::builtin().expect("the built-in catalog"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let source = Source::new("fuzz/processing.yaml".into(), "fuzz/processing.yaml".into(), text.into());
    let settings = Settings::defaults(".".into());
    let (manifest, mut diags) = lint_source(&source, catalog(), &settings, &NoFiles);
    for d in &diags {
        let spans = d.span.iter().chain(d.labels.iter().map(|l| &l.span));
        for s in spans {
            assert!(s.start <= s.end && s.end <= text.len(), "span {s:?} outside the file");
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end), "span {s:?} off a boundary");
        }
    }
    let files = [source];
    let summary = sink::finish(&mut diags, &files, 1, manifest.activities.len());
    let report = Report { files: &files, diagnostics: &diags, summary, catalog: "fuzz", failures: &[] };
    let json = render::json::render(&report);
    serde_json::from_str::<serde_json::Value>(&json).expect("the JSON report parses");
    let sarif = render::sarif::render(&report);
    serde_json::from_str::<serde_json::Value>(&sarif).expect("the SARIF report parses");
    let _ = render::human::render(&report, &render::human::Options { color: true, lang: ropa::i18n::Lang::En, quiet: false });
    let github = render::github::render(&report);
    assert!(github.lines().all(|l| l.starts_with("::") || l.starts_with("ropa: ")), "a stray line in the GitHub output");
    let _ = render::junit::render(&report);
    let _ = render::gitlab::render(&report);
});
