//! Every catalog purpose, exercised through the manifest `ropa init` writes for it: the template
//! reports only its placeholders; filled in, it is clean; with a basis the catalog does not list,
//! LB001 fires (an error where a primary text backs it, a warning otherwise).

use std::path::Path;

use ropa::app::init;
use ropa::catalog::{Evidence, load};
use ropa::config::Settings;
use ropa::engine::run as lint;
use ropa::i18n::Lang;
use ropa::manifest::vocab::{LegalBasis, Vocabulary};

/// Replaces each `"TODO…"` value with a plausible real one.
fn fill(template: &str) -> String {
    template
        .lines()
        .map(|line| {
            let Some(start) = line.find("\"TODO") else {
                return line.to_string();
            };
            let end = start + 1 + line[start + 1..].find('"').unwrap() + 1;
            let key = line.trim_start().split(':').next().unwrap_or("");
            let value = match key {
                "balancing_test" | "reference" => "https://intranet.example.com/privacy/doc",
                "active" => "1 year",
                "data_subjects" => "customers",
                "data_categories" => "identity",
                _ => "Filled in by the team",
            };
            format!("{}\"{value}\"{}", &line[..start], &line[end..])
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn lint_text(dir: &Path, name: &str, text: &str) -> Vec<(String, String, String)> {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let catalog = load::builtin().unwrap();
    let out = lint::check(&[path], &catalog, &Settings::defaults(dir.to_path_buf()));
    out.diagnostics
        .iter()
        .map(|d| {
            (
                d.code.to_string(),
                d.severity.as_str().to_string(),
                d.message.clone(),
            )
        })
        .collect()
}

#[test]
fn every_purpose_has_a_consistent_and_an_inconsistent_manifest() {
    let catalog = load::builtin().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for lang in [Lang::En, Lang::Fr] {
        for p in catalog.purposes() {
            let template = init::template(&catalog, p, lang);
            // the template: only its placeholders are reported
            let diags = lint_text(dir.path(), "t.yaml", &template);
            let placeholders = template.matches("\"TODO").count();
            let all_placeholders = diags
                .iter()
                .all(|(c, _, m)| c == "MF004" && m.contains("placeholder"));
            if !all_placeholders || diags.len() != placeholders || placeholders == 0 {
                failures.push(format!("{} ({lang:?}) template: {diags:#?}", p.id));
            }
            // filled in: clean
            let filled = fill(&template);
            let diags = lint_text(dir.path(), "f.yaml", &filled);
            if !diags.is_empty() {
                failures.push(format!("{} ({lang:?}) filled:\n{filled}\n{diags:#?}", p.id));
            }
            // an inconsistent basis: LB001
            let wrong = LegalBasis::all()
                .iter()
                .copied()
                .find(|b| p.basis(*b).is_none())
                .expect("a basis the purpose does not list");
            let recommended = p.recommended().next().unwrap().basis;
            let inconsistent = filled.replace(
                &format!("legal_basis: {recommended}\n"),
                &format!("legal_basis: {wrong}\n"),
            );
            assert_ne!(inconsistent, filled);
            let diags = lint_text(dir.path(), "i.yaml", &inconsistent);
            // an error only where a primary text backs it: every listed basis was read in one,
            // or the catalog says in so many words, from one, that this basis does not fit
            let all_primary = p
                .legal_bases
                .iter()
                .all(|b| b.evidence == Evidence::Primary);
            let said = p
                .not_consistent
                .iter()
                .any(|n| n.basis == wrong && n.evidence == Evidence::Primary);
            let want = if all_primary || said {
                "error"
            } else {
                "warning"
            };
            let lb001: Vec<_> = diags.iter().filter(|d| d.0 == "LB001").collect();
            if lb001.len() != 1 || lb001[0].1 != want {
                failures.push(format!("{} ({lang:?}) with {wrong}: {diags:#?}", p.id));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn init_never_overwrites() {
    let catalog = load::builtin().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = init::run(&catalog, dir.path(), Some("accounting"), Lang::Fr).unwrap();
    let first = std::fs::read_to_string(&path).unwrap();
    assert!(first.contains("purpose: accounting"));
    assert!(first.contains("legal_basis: legal-obligation"));
    // the statutory ten years are intermediate archiving, with the statute as the reason
    assert!(first.contains("archive: 10 years"), "{first}");
    assert!(
        first.contains("archive_reason: \"Code de commerce, art. L123-22"),
        "{first}"
    );
    let err = init::run(&catalog, dir.path(), Some("recruitment"), Lang::En).unwrap_err();
    assert!(err.to_string().contains("never overwrites"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
    let err = init::run(&catalog, dir.path(), Some("zzzz qqqq"), Lang::En).unwrap_err();
    assert!(err.to_string().contains("no purpose"), "{err}");
}
