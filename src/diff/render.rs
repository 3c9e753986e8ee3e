//! The diff for people (human), for a pull-request comment and the job summary (Markdown), and
//! for programs (JSON, `schemas/diff.schema.json`). Review items come first everywhere.

use std::fmt::Write;

use super::{Change, Diff, Level, Status, title};
use crate::catalog::load::Loaded;
use crate::i18n::{Lang, s as w};
/// Text from the repository in a Markdown table cell of a pull-request comment: escaped as in
/// the job summary, and with every `@` followed by an invisible word joiner, so that no
/// manifest can mention (and notify) a user or team.
fn cell(s: &str) -> String {
    crate::render::summary::cell(s).replace('@', "@\u{2060}")
}

/// The most bytes of rows the Markdown holds: GitHub takes at most 65,536 characters in a
/// comment; past this, rows are counted, not written.
const BUDGET: usize = 60_000;

/// A place in the new side: a link to the line on GitHub when `blob` is known.
fn place(path: &str, line: usize, blob: Option<&str>) -> String {
    crate::render::summary::link(path, line, blob).replace('@', "@\u{2060}")
}

/// The hidden marker that makes the Action update its one comment instead of adding another.
pub const MARKER: &str = "<!-- ropa-diff -->";

/// `before → after`, either side left out when absent.
fn transition(c: &Change) -> String {
    match (&c.before, &c.after) {
        (Some(b), Some(a)) => format!("{b} → {a}"),
        (Some(b), None) => b.clone(),
        (None, Some(a)) => a.clone(),
        (None, None) => String::new(),
    }
}

/// What the catalog recommends for the purpose of an activity whose legal basis changed.
fn answer(c: &Change, diff: &Diff, catalog: &Loaded, lang: Lang) -> Option<String> {
    if c.kind != super::Kind::LegalBasisChanged {
        return None;
    }
    let purpose = diff.purposes.get(&c.activity)?;
    let p = catalog.resolve(purpose)?;
    // with its evidence: a basis not read in a primary text is not presented as settled
    let bases: Vec<String> = p
        .recommended()
        .map(|b| format!("{} ({})", b.basis, b.evidence.word(lang)))
        .collect();
    if bases.is_empty() {
        return None;
    }
    Some(crate::i18n::t(
        lang,
        format!("the catalog recommends {} for `{}`", bases.join(", "), p.id),
        format!(
            "le catalogue recommande {} pour `{}`",
            bases.join(", "),
            p.id
        ),
    ))
}

/// For people, on a terminal.
pub fn human(diff: &Diff, catalog: &Loaded, lang: Lang, all: bool) -> String {
    let term = crate::render::human::terminal_safe;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} → {}",
        w(lang, "ropa diff:", "ropa diff :"),
        term(&diff.base),
        term(&diff.head)
    );
    // the levels in a column as wide as the longest word for them
    let width = [Level::Review, Level::Info, Level::None]
        .map(|l| l.word(lang).chars().count())
        .into_iter()
        .max()
        .unwrap_or(0);
    for c in diff
        .changes
        .iter()
        .filter(|c| all || c.level != Level::None)
    {
        let _ = write!(
            out,
            "{:<width$} {}:{} {}{} {}",
            c.level.word(lang),
            term(&c.path),
            c.line,
            term(&c.activity),
            w(lang, ":", " :"),
            title(c.kind, lang),
        );
        let change = transition(c);
        if !change.is_empty() {
            let _ = write!(out, "{} {}", w(lang, ":", " :"), term(&change));
        }
        if let Some(a) = answer(c, diff, catalog, lang) {
            let _ = write!(out, " ({})", term(&a));
        }
        out.push('\n');
    }
    for (status, f) in &diff.findings {
        let sign = match status {
            Status::Introduced => "+",
            Status::Fixed => "-",
            Status::Kept => continue,
        };
        let _ = writeln!(
            out,
            "{sign} {}[{}] {}:{} {}",
            f.severity.word(lang),
            f.code,
            term(&f.path),
            f.line,
            term(&f.message)
        );
    }
    let n = diff.counts();
    let _ = writeln!(
        out,
        "{}",
        crate::i18n::t(
            lang,
            format!(
                "{} to review, {} to know; findings: {} introduced, {} fixed, {} kept",
                n.review, n.info, n.introduced, n.fixed, n.kept
            ),
            format!(
                "{} à examiner, {} à savoir ; constats : {} nouveaux, {} corrigés, {} inchangés",
                n.review, n.info, n.introduced, n.fixed, n.kept
            )
        )
    );
    out
}

/// For a pull-request comment and the job summary: short, review items first, links to the
/// lines (`blob`: where the new side's files are on GitHub), the catalog's answer next to a
/// changed legal basis. Starts with [`MARKER`].
pub fn markdown(diff: &Diff, catalog: &Loaded, lang: Lang, blob: Option<&str>) -> String {
    let mut out = format!(
        "{MARKER}\n### {}\n\n",
        w(lang, "Privacy changes", "Changements de traitement")
    );
    let shown: Vec<&Change> = diff
        .changes
        .iter()
        .filter(|c| c.level != Level::None)
        .collect();
    let n = diff.counts();
    if shown.is_empty() && n.introduced == 0 && n.fixed == 0 {
        out.push_str(w(
            lang,
            "No change to the record of processing.\n",
            "Aucun changement du registre des traitements.\n",
        ));
        return out;
    }
    let _ = writeln!(
        out,
        "{}\n",
        crate::i18n::t(
            lang,
            format!(
                "**{} to review** by the DPO, {} to know; findings: {} introduced, {} fixed.",
                n.review, n.info, n.introduced, n.fixed
            ),
            format!(
                "**{} à examiner** par le DPO, {} à savoir ; constats : {} nouveaux, {} corrigés.",
                n.review, n.info, n.introduced, n.fixed
            )
        )
    );
    let mut left_out = 0;
    if !shown.is_empty() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |\n|---|---|---|---|",
            w(lang, "Level", "Niveau"),
            w(lang, "Activity", "Activité"),
            w(lang, "Change", "Changement"),
            w(lang, "Where", "Où")
        );
        for c in shown {
            let mut change = cell(&title(c.kind, lang));
            let t = transition(c);
            if !t.is_empty() {
                let _ = write!(change, "{} {}", w(lang, ":", " :"), cell(&t));
            }
            if let Some(a) = answer(c, diff, catalog, lang) {
                let _ = write!(change, " ({})", cell(&a));
            }
            let level = match c.level {
                Level::Review => format!("**{}**", c.level.word(lang)),
                _ => c.level.word(lang).to_string(),
            };
            if out.len() > BUDGET {
                left_out += 1;
                continue;
            }
            let _ = writeln!(
                out,
                "| {level} | {} | {change} | {} |",
                cell(&c.activity),
                place(&c.path, c.line, blob)
            );
        }
        out.push('\n');
    }
    for (status, heading) in [
        (
            Status::Introduced,
            w(lang, "Findings introduced", "Constats introduits"),
        ),
        (
            Status::Fixed,
            w(lang, "Findings fixed", "Constats corrigés"),
        ),
    ] {
        let items: Vec<_> = diff.findings.iter().filter(|(s, _)| *s == status).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "**{heading}**\n");
        for (_, f) in items {
            if out.len() > BUDGET {
                left_out += 1;
                continue;
            }
            // a fixed finding's line is on the old side: no link into the new one
            let at = place(&f.path, f.line, blob.filter(|_| status != Status::Fixed));
            let _ = writeln!(
                out,
                "- {} `{}` {at} — {}",
                f.severity.word(lang),
                f.code,
                cell(&f.message)
            );
        }
        out.push('\n');
    }
    if left_out > 0 {
        let _ = writeln!(
            out,
            "{}",
            crate::i18n::t(
                lang,
                format!(
                    "{left_out} more lines are not shown here (a comment is limited in size): run `ropa diff` for all of them."
                ),
                format!(
                    "{left_out} lignes de plus ne sont pas affichées ici (un commentaire est limité en taille) : lancez `ropa diff` pour les voir toutes."
                ),
            )
        );
    }
    out
}

/// For programs; its shape is `schemas/diff.schema.json`.
pub fn json(diff: &Diff) -> String {
    #[derive(serde::Serialize)]
    struct FindingEntry<'a> {
        status: Status,
        #[serde(flatten)]
        finding: &'a super::Finding,
    }
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        version: u32,
        base: &'a str,
        head: &'a str,
        changes: &'a [Change],
        findings: Vec<FindingEntry<'a>>,
        summary: super::Counts,
    }
    let doc = Doc {
        version: 1,
        base: &diff.base,
        head: &diff.head,
        changes: &diff.changes,
        findings: diff
            .findings
            .iter()
            .map(|(status, finding)| FindingEntry {
                status: *status,
                finding,
            })
            .collect(),
        summary: diff.counts(),
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}
