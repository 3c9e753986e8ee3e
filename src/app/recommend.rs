//! `ropa recommend PURPOSE...`: the catalog's answer for a purpose, with its sources.

use serde_json::{Value, json};
use serde_saphyr::Spanned;

use super::Failure;
use crate::catalog::load::Loaded;
use crate::catalog::lookup::Found;
use crate::catalog::{AppliesTo, BasisStatus, Bound, Nature, Purpose};
use crate::i18n::Lang;
use crate::manifest::vocab::{StartEvent, Vocabulary};

/// Finds the purposes asked for. Only a confident match is an answer: for anything else the
/// catalog has no such purpose, and the candidates are named as candidates (exit 2).
pub fn resolve<'a>(
    catalog: &'a Loaded,
    queries: &[String],
    lang: Lang,
) -> Result<Vec<(&'a Purpose, bool)>, Failure> {
    let mut out = Vec::new();
    for q in queries {
        match catalog.search(q) {
            Found::Exact(i) => out.push((&catalog.purposes()[i], true)),
            Found::Close(v) => return Err(not_found(catalog, q, &v, lang)),
            Found::Nothing => return Err(not_found(catalog, q, &[], lang)),
        }
    }
    Ok(out)
}

/// No purpose is named `query`; the close ones are suggested.
pub fn not_found(catalog: &Loaded, query: &str, close: &[usize], lang: Lang) -> Failure {
    if close.is_empty() {
        return Failure::usage(crate::i18n::t(
            lang,
            format!("no purpose `{query}` in the catalog; `ropa catalog list` shows them"),
            format!("aucune finalité `{query}` dans le catalogue ; `ropa catalog list` les liste"),
        ));
    }
    let names: Vec<String> = close
        .iter()
        .take(3)
        .map(|&i| format!("`{}`", catalog.purposes()[i].id))
        .collect();
    let names = names.join(", ");
    Failure::usage(crate::i18n::t(
        lang,
        format!(
            "no purpose `{query}` in the catalog; candidates, not an answer: {names} (ask for one by its id)"
        ),
        format!(
            "aucune finalité `{query}` dans le catalogue ; candidates, ce n'est pas une réponse : {names} (demandez-en une par son identifiant)"
        ),
    ))
}

/// Words of the human output, in English and French.
struct Words {
    answer: &'static str,
    legal_basis: &'static str,
    recommended: &'static str,
    consistent: &'static str,
    only_if: &'static str,
    not_consistent: &'static str,
    see: &'static str,
    dpia: &'static str,
    required_when: &'static str,
    implies: &'static str,
    check: &'static str,
    /// A colon as the language sets it (French puts a space before it).
    colon: &'static str,
    retention: &'static str,
    at_most: &'static str,
    at_least: &'static str,
    from: &'static str,
    statutory: &'static str,
    recommendation: &'static str,
    evidence: &'static str,
    /// The language, for the evidence grades ([`crate::catalog::Evidence::word`]).
    lang: crate::i18n::Lang,
    notes: &'static str,
    sources: &'static str,
    closest: &'static str,
    applies: [&'static str; 4],
    duty: [&'static str; 3],
}

const EN: Words = Words {
    answer: "Recommended legal basis: ",
    legal_basis: "Legal basis",
    recommended: "recommended",
    consistent: "consistent",
    only_if: "under a condition:",
    not_consistent: "not consistent",
    see: "see",
    dpia: "DPIA (AIPD)",
    required_when: "Required in particular for",
    implies: "Meets by its nature the WP248 criterion",
    check: "check it in the primary text before relying on it",
    colon: ":",
    retention: "Retention",
    at_most: "at most",
    at_least: "at least",
    from: "from",
    statutory: "statutory",
    recommendation: "CNIL recommendation",
    evidence: "evidence",
    lang: crate::i18n::Lang::En,
    notes: "Notes",
    sources: "Sources",
    closest: "closest match for",
    applies: [
        "active data",
        "intermediate archive",
        "active + archive",
        "for information",
    ],
    duty: ["required", "not required", "assess case by case"],
};

const FR: Words = Words {
    answer: "Base légale recommandée : ",
    legal_basis: "Base légale",
    recommended: "recommandée",
    consistent: "cohérente",
    only_if: "sous condition :",
    not_consistent: "non cohérente",
    see: "voir",
    dpia: "AIPD (DPIA)",
    required_when: "Requise notamment en cas de",
    implies: "Remplit par nature le critère du WP248",
    check: "à vérifier dans le texte primaire avant de s'y fier",
    colon: " :",
    retention: "Conservation",
    at_most: "au plus",
    at_least: "au moins",
    from: "à compter",
    statutory: "obligation légale",
    recommendation: "recommandation de la CNIL",
    evidence: "source",
    lang: crate::i18n::Lang::Fr,
    notes: "Remarques",
    sources: "Sources",
    closest: "meilleure correspondance pour",
    applies: [
        "base active",
        "archivage intermédiaire",
        "base active + archive",
        "pour information",
    ],
    duty: ["obligatoire", "non requise", "à évaluer au cas par cas"],
};

fn level(w: &Words, e: crate::catalog::Evidence) -> &'static str {
    e.word(w.lang)
}

/// A fact as `recommend` prints it: its text, its evidence level, its numbered sources.
fn graded<'a>(
    w: &Words,
    refs: &mut Refs<'a>,
    text: &str,
    evidence: crate::catalog::Evidence,
    sources: &'a [Spanned<String>],
) -> String {
    format!(
        "{text} ({}{} {}) {}",
        w.evidence,
        w.colon,
        level(w, evidence),
        refs.cite(sources)
    )
}

/// Numbers the sources in the order they are first cited.
struct Refs<'a> {
    catalog: &'a Loaded,
    keys: Vec<&'a str>,
}

impl<'a> Refs<'a> {
    fn cite(&mut self, keys: &'a [Spanned<String>]) -> String {
        let mut nums = Vec::new();
        for k in keys {
            let n = match self.keys.iter().position(|x| *x == k.value) {
                Some(i) => i + 1,
                None => {
                    self.keys.push(&k.value);
                    self.keys.len()
                }
            };
            nums.push(format!("[{n}]"));
        }
        nums.join("")
    }

    fn list(&self) -> String {
        let mut out = String::new();
        for (i, k) in self.keys.iter().enumerate() {
            if let Some(s) = self.catalog.catalog.sources.get(*k) {
                out.push_str(&format!("  [{}] {}", i + 1, s.title));
                if let Some(url) = &s.url {
                    out.push_str(&format!("\n      {url}"));
                }
                out.push('\n');
            }
        }
        out
    }
}

/// Wraps text with an indent.
fn wrap(text: &str, indent: usize) -> String {
    hang(text, indent, indent)
}

/// Wraps text: the first line indented by `first`, the others by `rest`.
fn hang(text: &str, first: usize, rest: usize) -> String {
    crate::render::wrap(text, &" ".repeat(first), &" ".repeat(rest))
}

pub fn human(catalog: &Loaded, p: &Purpose, lang: Lang) -> String {
    let w = match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    };
    let mut refs = Refs {
        catalog,
        keys: Vec::new(),
    };
    let other = match lang {
        Lang::En => &p.label.fr,
        Lang::Fr => &p.label.en,
    };
    let mut out = format!("{} — {}\n", p.id, p.label.get(lang));
    out.push_str(&format!("  ({other})\n\n"));
    let answer: Vec<String> = p
        .recommended()
        .map(|b| {
            // a basis not read in a primary text is never stated as the answer without saying so
            let caveat = if b.evidence.binding() {
                String::new()
            } else {
                format!(
                    " ({}{} {}, {})",
                    w.evidence,
                    w.colon,
                    level(w, b.evidence),
                    w.check
                )
            };
            format!("`{}`, {}{caveat}", b.basis, b.basis.describe(lang))
        })
        .collect();
    out.push_str(&format!("{}{}\n\n", w.answer, answer.join("; ")));
    out.push_str(&wrap(p.summary.get(lang), 0));

    out.push_str(&format!("\n{}\n", w.legal_basis));
    let mut bases: Vec<_> = p.legal_bases.iter().collect();
    bases.sort_by_key(|b| match b.status {
        BasisStatus::Recommended => 0,
        BasisStatus::Consistent => 1,
        BasisStatus::Conditional => 2,
    });
    for b in bases {
        let status = match b.status {
            BasisStatus::Recommended => format!("✔ {} ({})", b.basis, w.recommended),
            BasisStatus::Consistent => format!("✔ {} ({})", b.basis, w.consistent),
            BasisStatus::Conditional => format!(
                "~ {} ({} {})",
                b.basis,
                w.only_if,
                b.condition.as_ref().map_or("", |c| c.get(lang))
            ),
        };
        out.push_str(&wrap(&format!("{status} — {}", b.basis.describe(lang)), 2));
        out.push_str(&wrap(
            &graded(w, &mut refs, b.why.get(lang), b.evidence, &b.sources),
            6,
        ));
    }
    for n in &p.not_consistent {
        let see = n
            .see
            .as_ref()
            .map_or(String::new(), |s| format!(" ({} `{}`)", w.see, s.value));
        out.push_str(&wrap(
            &format!("✘ {} ({}){see}", n.basis, w.not_consistent),
            2,
        ));
        out.push_str(&wrap(
            &graded(w, &mut refs, n.why.get(lang), n.evidence, &n.sources),
            6,
        ));
    }

    let duty = match p.dpia.duty {
        crate::catalog::Duty::Always => w.duty[0],
        crate::catalog::Duty::Never => w.duty[1],
        crate::catalog::Duty::Assess => w.duty[2],
    };
    out.push_str(&format!(
        "\n{}{} {duty} ({})\n",
        w.dpia,
        w.colon,
        p.dpia.duty.as_str()
    ));
    out.push_str(&wrap(
        &graded(
            w,
            &mut refs,
            p.dpia.why.get(lang),
            p.dpia.evidence,
            &p.dpia.sources,
        ),
        2,
    ));
    if !p.dpia.triggers.is_empty() {
        out.push_str(&format!("  {}{}\n", w.required_when, w.colon));
        for t in &p.dpia.triggers {
            out.push_str(&hang(&format!("- {}", t.get(lang)), 4, 6));
        }
    }
    for c in &p.implies_criteria {
        out.push_str(&wrap(
            &format!(
                "{} `{}`{} {}",
                w.implies,
                c.criterion,
                w.colon,
                graded(w, &mut refs, c.why.get(lang), c.evidence, &c.sources)
            ),
            2,
        ));
    }

    out.push_str(&format!("\n{}\n", w.retention));
    // French sets a space before a semicolon
    let semicolon = match lang {
        Lang::En => ";",
        Lang::Fr => " ;",
    };
    for f in &p.retention {
        let kind = f
            .data
            .as_ref()
            .map_or(String::new(), |k| format!("{}{} ", k.get(lang), w.colon));
        let applies = match f.applies_to {
            AppliesTo::Active => w.applies[0],
            AppliesTo::Archive => w.applies[1],
            AppliesTo::Total => w.applies[2],
            AppliesTo::Informative => w.applies[3],
        };
        let nature = match f.nature {
            Nature::Statutory => w.statutory,
            Nature::Recommended => w.recommendation,
        };
        let head = match f.duration {
            Some(d) => {
                let bound = match f.bound {
                    Bound::Maximum => w.at_most,
                    Bound::Minimum => w.at_least,
                };
                let starts = f.starts.as_ref().map_or(String::new(), |s| {
                    let event = StartEvent::parse(s).map_or(s.as_str(), |e| e.describe(lang));
                    match lang {
                        Lang::En => format!(" {} {event}", w.from),
                        Lang::Fr => format!(" {} {}", w.from, crate::i18n::de(event)),
                    }
                });
                format!(
                    "- {kind}{bound} {}{starts} — {applies}{semicolon} {nature}",
                    d.words(lang)
                )
            }
            None => format!("- {kind}{applies}{semicolon} {nature}"),
        };
        out.push_str(&hang(&head, 2, 4));
        out.push_str(&wrap(
            &graded(w, &mut refs, f.what.get(lang), f.evidence, &f.sources),
            4,
        ));
    }

    if !p.notes.is_empty() {
        out.push_str(&format!("\n{}\n", w.notes));
        for n in &p.notes {
            out.push_str(&wrap(
                &format!("- {} {}", n.text.get(lang), refs.cite(&n.sources)),
                2,
            ));
        }
    }
    refs.cite(&p.sources);
    out.push_str(&format!("\n{}\n", w.sources));
    out.push_str(&refs.list());
    out
}

pub fn run_human(catalog: &Loaded, queries: &[String], lang: Lang) -> Result<String, Failure> {
    let w = match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    };
    let mut parts = Vec::new();
    for ((p, exact), q) in resolve(catalog, queries, lang)?.into_iter().zip(queries) {
        let mut text = String::new();
        if !exact {
            text.push_str(&format!("({} « {q} »)\n", w.closest));
        }
        text.push_str(&human(catalog, p, lang));
        parts.push(text);
    }
    Ok(parts.join("\n────────\n\n"))
}

pub fn run_json(catalog: &Loaded, queries: &[String], lang: Lang) -> Result<String, Failure> {
    let cite =
        |keys: &[Spanned<String>]| -> Value { json!(catalog.cite(keys).collect::<Vec<_>>()) };
    let mut purposes = Vec::new();
    for ((p, exact), q) in resolve(catalog, queries, lang)?.into_iter().zip(queries) {
        let bases: Vec<Value> = p
            .legal_bases
            .iter()
            .map(|b| {
                json!({
                    "basis": b.basis.to_string(),
                    "article": b.basis.article(),
                    "status": b.status,
                    "condition": b.condition.as_ref().map(|c| c.get(lang)),
                    "why": b.why.get(lang),
                    "evidence": b.evidence,
                    "sources": cite(&b.sources),
                })
            })
            .collect();
        let not_consistent: Vec<Value> = p
            .not_consistent
            .iter()
            .map(|n| {
                json!({
                    "basis": n.basis.to_string(),
                    "why": n.why.get(lang),
                    "see": n.see.as_ref().map(|s| s.value.clone()),
                    "evidence": n.evidence,
                    "sources": cite(&n.sources),
                })
            })
            .collect();
        let retention: Vec<Value> = p
            .retention
            .iter()
            .map(|f| {
                json!({
                    "data": f.data.as_ref().map(|k| k.get(lang)),
                    "bound": f.bound,
                    "applies_to": f.applies_to,
                    "duration": f.duration.map(|d| d.to_string()),
                    "starts": f.starts,
                    "nature": f.nature,
                    "what": f.what.get(lang),
                    "evidence": f.evidence,
                    "sources": cite(&f.sources),
                })
            })
            .collect();
        purposes.push(json!({
            "query": q,
            "exact": exact,
            "id": p.id,
            "label": {"en": p.label.en, "fr": p.label.fr},
            "summary": p.summary.get(lang),
            "legal_bases": bases,
            "recommended": p.recommended().map(|b| b.basis.to_string()).collect::<Vec<_>>(),
            "not_consistent": not_consistent,
            "dpia": {
                "duty": p.dpia.duty,
                "why": p.dpia.why.get(lang),
                "triggers": p.dpia.triggers.iter().map(|t| t.get(lang)).collect::<Vec<_>>(),
                "evidence": p.dpia.evidence,
                "sources": cite(&p.dpia.sources),
                "implies_criteria": p.implies_criteria.iter().map(|c| json!({
                    "criterion": c.criterion.to_string(),
                    "why": c.why.get(lang),
                    "evidence": c.evidence,
                    "sources": cite(&c.sources),
                })).collect::<Vec<_>>(),
            },
            "retention": retention,
            "notes": p.notes.iter().map(|n| json!({"text": n.text.get(lang), "sources": cite(&n.sources)})).collect::<Vec<_>>(),
            "sources": cite(&p.sources),
        }));
    }
    let doc = json!({"version": 1, "catalog": catalog.name(), "purposes": purposes});
    Ok(format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    ))
}
