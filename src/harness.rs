//! The checks shared by the property tests (`tests/it/properties.rs`) and the fuzz target
//! (`fuzz/fuzz_targets/lint.rs`): lint text that is not on disk, then render the findings in
//! every format and language, and panic on anything that must never happen. Callers add what
//! needs their own tools (the report schema, an XML parser).

use std::sync::OnceLock;

use crate::catalog::load::{self, Loaded};
use crate::config::Settings;
use crate::diag::{Diagnostic, Problem, sink};
use crate::engine::run::{NoFiles, lint_source};
use crate::i18n::Lang;
use crate::render::{Format, Report, human, summary};
use crate::source::Source;

/// What every format gave, in English, for the caller's own checks.
#[derive(Debug, Default)]
pub struct Rendered {
    pub json: String,
    pub sarif: String,
    pub junit: String,
    pub gitlab: String,
    pub github: String,
}

/// The built-in catalog, loaded once.
pub fn catalog() -> &'static Loaded {
    static CATALOG: OnceLock<Loaded> = OnceLock::new();
    CATALOG.get_or_init(|| load::builtin().expect("the built-in catalog loads"))
}

/// Lints `text` as the manifest `m/processing.yaml` and renders it; panics if a span leaves
/// the text or a character boundary, or if a format is not well formed.
pub fn lint_and_render(text: &str) -> Rendered {
    let source = Source::new(
        "m/processing.yaml".into(),
        "m/processing.yaml".into(),
        text.into(),
    );
    let settings = Settings::defaults(".".into());
    let (manifest, diags) = lint_source(&source, catalog(), &settings, &NoFiles);
    for d in &diags {
        for s in d.span.iter().chain(d.labels.iter().map(|l| &l.span)) {
            assert!(
                s.start <= s.end && s.end <= text.len(),
                "{s:?} outside {} bytes",
                text.len()
            );
            assert!(
                text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
                "{s:?} off a character boundary"
            );
        }
    }
    let files = [source];
    let findings = crate::diag::store::Findings::from_vec(diags.clone());
    let summary = sink::finish(&findings, 1, manifest.activities.len());
    render_all(&files, &diags, summary, &[])
}

/// Renders findings and problems in every format and language; panics on a JSON or SARIF
/// report that does not parse, a stray line in the GitHub output, a control character or bidi
/// override reaching the terminal, or a job summary over GitHub's limit.
pub fn render_all(
    files: &[Source],
    diags: &[Diagnostic],
    summary: sink::Summary,
    problems: &[Problem],
) -> Rendered {
    let mut out = Rendered::default();
    let diags = &crate::diag::store::Findings::from_vec(diags.to_vec());
    for lang in Lang::ALL {
        let report = Report {
            files,
            diagnostics: diags,
            summary,
            catalog: "cnil-fr@test",
            problems,
            lang,
            root: None,
            reported: &[],
            activities: &[],
            reread: None,
            loaded: crate::render::Reread::default(),
            texts_for: None,
            coverage: None,
            first_code_file: None,
        };
        let options = human::Options {
            color: false,
            quiet: false,
        };
        let mut rendered = Rendered::default();
        for format in Format::ALL {
            let text = report.render(format, &options);
            match format {
                Format::Human => {
                    assert!(!text.contains('\u{1b}'), "an escape reached the terminal");
                    assert!(
                        !text.contains('\u{202e}'),
                        "a bidi override reached the terminal"
                    );
                }
                Format::Json | Format::Sarif | Format::Gitlab => {
                    serde_json::from_str::<serde_json::Value>(&text)
                        .unwrap_or_else(|e| panic!("{} does not parse: {e}", format.name()));
                }
                Format::Github => {
                    for line in text.lines() {
                        assert!(
                            line.starts_with("::")
                                || line.starts_with("ropa: ")
                                || line.starts_with("ropa : "),
                            "stray line {line:?}"
                        );
                    }
                }
                Format::Junit => {}
            }
            match format {
                Format::Json => rendered.json = text,
                Format::Sarif => rendered.sarif = text,
                Format::Junit => rendered.junit = text,
                Format::Gitlab => rendered.gitlab = text,
                Format::Github => rendered.github = text,
                Format::Human => {}
            }
        }
        let md = summary::render(&report, Some("https://github.example/o/r/blob/abc"));
        assert!(md.len() < 1024 * 1024, "the job summary is over 1 MiB");
        if lang == Lang::En {
            out = rendered;
        }
    }
    out
}

/// Every text of up to `most` characters drawn from `alphabet`, each once, in order: the
/// exhaustive inputs of the tests that hold a byte scan to a character-by-character oracle.
pub fn every_text(alphabet: &[char], most: usize) -> Vec<String> {
    let mut texts = vec![String::new()];
    let mut last = texts.clone();
    for _ in 0..most {
        last = last
            .iter()
            .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
            .collect();
        texts.extend(last.iter().cloned());
    }
    texts.sort();
    texts.dedup();
    texts
}

/// A small deterministic generator (xorshift), so that a test that draws random inputs names
/// its seed when it fails and can be replayed. The seed must not be zero.
pub struct Rng(pub u64);

impl Rng {
    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    /// One of `from`.
    pub fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

/// Makes a FIFO at `path` (coreutils' `mkfifo`), for the unit tests that one is never waited on.
#[cfg(all(test, unix))]
pub(crate) fn fifo(path: &std::path::Path) {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo (coreutils) runs");
}
