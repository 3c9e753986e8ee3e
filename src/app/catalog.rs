//! `ropa catalog list` and `ropa catalog show ID`.

use super::Failure;
use super::recommend;
use crate::catalog::load::Loaded;
use crate::catalog::lookup::Found;
use crate::i18n::Lang;

pub fn list(catalog: &Loaded, lang: Lang) -> String {
    let safe = crate::render::human::terminal_safe;
    let mut out = format!(
        "{} — {}\n\n",
        safe(catalog.name()),
        safe(catalog.catalog.catalog.title.get(lang))
    );
    let width = catalog
        .purposes()
        .iter()
        .map(|p| p.id.len())
        .max()
        .unwrap_or(0);
    for p in catalog.purposes() {
        out.push_str(&format!(
            "{:<width$}  {}\n",
            safe(&p.id),
            safe(p.label.get(lang))
        ));
    }
    out
}

/// The CNIL DPIA lists, marking the items a manifest can show (checked by DP002).
pub fn dpia_lists(catalog: &Loaded, lang: Lang) -> String {
    let Some(lists) = &catalog.catalog.dpia_lists else {
        return "the catalog has no DPIA lists\n".into();
    };
    let mut out = String::new();
    for list in [&lists.required, &lists.exempt] {
        out.push_str(&format!("{}\n", list.title.get(lang)));
        for item in &list.items {
            let mark = if item.when.is_some() {
                "DP002"
            } else {
                "     "
            };
            out.push_str(&format!(
                "  {mark} {:>2}. {}\n",
                item.item,
                item.text.get(lang)
            ));
        }
        for c in catalog.cite(&list.sources) {
            out.push_str(&format!(
                "  source{} {}",
                crate::i18n::s(lang, ":", " :"),
                c.title
            ));
            if let Some(url) = c.url {
                out.push_str(&format!(" <{url}>"));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(crate::i18n::s(
        lang,
        "Items marked DP002 are recognised in manifests (`ropa explain DP002`).\n",
        "Les éléments marqués DP002 sont reconnus dans les manifestes (`ropa explain DP002`).\n",
    ));
    out
}

pub fn show(catalog: &Loaded, id: &str, lang: Lang) -> Result<String, Failure> {
    match catalog.search(id) {
        Found::Exact(i) => Ok(recommend::human(catalog, &catalog.purposes()[i], lang)),
        Found::Close(v) => Err(recommend::not_found(catalog, id, &v, lang)),
        Found::Nothing => Err(recommend::not_found(catalog, id, &[], lang)),
    }
}

/// The purposes as a Markdown table, as the README shows them (a test keeps the two in step).
pub fn markdown_table(catalog: &Loaded) -> String {
    let mut out =
        String::from("| purpose | label (fr) | recommended basis | DPIA |\n|---|---|---|---|\n");
    for p in catalog.purposes() {
        let bases: Vec<String> = p.recommended().map(|b| format!("`{}`", b.basis)).collect();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            p.id,
            p.label.fr,
            bases.join(", "),
            p.dpia.duty.as_str()
        ));
    }
    out
}
