//! The rules. Each lives in a file of its own, and its doc comment is its documentation: the
//! same text serves `ropa explain`, the README's rule table and (later) the SARIF rule help.
//!
//! A rule never prints, never reads files, and never knows about output formats or severity
//! overrides: it turns a [`Context`] into diagnostics.

use std::path::Path;

use crate::catalog::Purpose;
use crate::catalog::load::Loaded;
use crate::diag::{Diagnostic, Severity};
use crate::i18n::Lang;
use crate::manifest::model::Activity;
use crate::source::{Source, Span};

/// Declares a rule's metadata and captures its `///` docs as its explanation.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        code: $code:ident,
        severity: $sev:ident,
        summary: $summary:literal,
        fr_summary: $fr_summary:literal,
        fr_checks: $fr_checks:literal,
        fr_why: $fr_why:literal,
        $(fr_fix: $fr_fix:literal,)?
        check: $check:expr $(,)?
    ) => {
        pub(crate) const RULE: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            id: $crate::diag::RuleId::$code,
            code: $crate::diag::RuleId::$code.as_str(),
            name: $crate::diag::RuleId::$code.name(),
            default_severity: $crate::diag::Severity::$sev,
            summary: $summary,
            doc: concat!($($doc, "\n"),*),
            fr: $crate::rules::French {
                summary: $fr_summary,
                checks: $fr_checks,
                why: $fr_why,
                fix: $crate::rules::first(&[$($fr_fix)?]),
            },
            check: $check,
        };
    };
}

mod archive_without_reason;
pub(crate) mod category_not_declared;
pub mod code_paths_match_nothing;
mod consent_without_withdrawal;
mod criteria;
pub(crate) mod declared_category_not_seen;
mod dpia_criteria_met;
mod dpia_flag_missing;
mod dpia_required;
mod dpia_without_reference;
pub mod duplicate_activity_id;
mod figures;
mod invalid_value;
mod legal_basis_inconsistent;
mod legal_obligation_without_reference;
mod legitimate_interests_without_balancing_test;
mod missing_field;
pub(crate) mod personal_data_not_covered;
pub(crate) mod processor_not_declared;
mod referenced_document_missing;
mod retention_below_statutory_minimum;
mod retention_exceeds_recommendation;
mod retention_missing;
mod retention_unbounded;
mod special_categories_without_condition;
pub(crate) mod special_category_not_declared;
mod transfer_without_safeguard;
mod unknown_field;
mod unknown_purpose;
pub mod unused_deviation;
mod yaml_syntax;

/// How a rule is run.
pub type Check = Option<fn(&Context<'_>, &mut Vec<Diagnostic>)>;

/// What a rule is: its public code and name, default severity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// The handle diagnostics carry.
    pub id: crate::diag::RuleId,
    pub code: &'static str,
    pub name: &'static str,
    pub default_severity: Severity,
    /// One line: what makes the rule fire.
    pub summary: &'static str,
    /// Markdown, with the sections *What it checks*, *Why*, *Example* and *Fix*.
    pub doc: &'static str,
    /// The French texts; the examples are shared with the English documentation.
    pub fr: French,
    /// The per-activity check; `None` for rules the parser or a cross-file pass reports.
    pub check: Check,
}

/// A rule's documentation in French.
#[derive(Debug)]
pub struct French {
    pub summary: &'static str,
    /// *Ce qu'elle vérifie*.
    pub checks: &'static str,
    /// *Pourquoi*.
    pub why: &'static str,
    /// The prose of *Correction*, where the English *Fix* has prose besides its example.
    pub fix: Option<&'static str>,
}

/// The first text given, if any (for the macro's optional fields).
pub(crate) const fn first(texts: &[&'static str]) -> Option<&'static str> {
    match texts {
        [t, ..] => Some(t),
        [] => None,
    }
}

impl RuleMeta {
    /// The documentation with the one-space indent of `///` comments removed.
    pub fn explanation(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string()
    }

    /// The one-line summary in a language.
    pub fn summary_in(&self, lang: Lang) -> &'static str {
        crate::i18n::s(lang, self.summary, self.fr.summary)
    }

    /// What the rule checks, one paragraph, in a language.
    pub fn checks_in(&self, lang: Lang) -> String {
        if lang == Lang::Fr {
            return self.fr.checks.to_string();
        }
        let en = self.explanation();
        let body = en
            .split("## What it checks")
            .nth(1)
            .and_then(|rest| rest.split("\n## ").next())
            .unwrap_or(self.summary);
        body.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The documentation in a language. In French, the prose is the rule's French text and the
    /// YAML examples are the English documentation's.
    pub fn explanation_in(&self, lang: Lang) -> String {
        let en = self.explanation();
        if lang == Lang::En {
            return en;
        }
        let mut out = format!(
            "## Ce qu'elle vérifie\n{}\n\n## Pourquoi\n{}\n",
            self.fr.checks, self.fr.why
        );
        // the code blocks of the Example and Fix sections, under French headings
        let examples = en.find("## Example").map_or("", |i| &en[i..]);
        let mut in_code = false;
        let mut in_fix = false;
        for line in examples.lines() {
            if line.starts_with("## Example") {
                out.push_str("\n## Exemple\n");
            } else if line.starts_with("## Fix") {
                out.push_str("\n## Correction\n");
                in_fix = true;
            } else if line.starts_with("```") {
                in_code = !in_code;
                out.push_str(line);
                out.push('\n');
            } else if in_code {
                out.push_str(line);
                out.push('\n');
            }
        }
        // the English Fix's prose, in French
        if in_fix && let Some(fix) = self.fr.fix {
            out.push('\n');
            out.push_str(fix);
            out.push('\n');
        }
        out.trim().to_string()
    }
}

/// Every rule, in code order: the one list.
pub static ALL: &[&RuleMeta] = &[
    &yaml_syntax::RULE,
    &unknown_field::RULE,
    &missing_field::RULE,
    &invalid_value::RULE,
    &duplicate_activity_id::RULE,
    &unknown_purpose::RULE,
    &legal_basis_inconsistent::RULE,
    &legitimate_interests_without_balancing_test::RULE,
    &consent_without_withdrawal::RULE,
    &legal_obligation_without_reference::RULE,
    &special_categories_without_condition::RULE,
    &dpia_flag_missing::RULE,
    &dpia_required::RULE,
    &dpia_without_reference::RULE,
    &dpia_criteria_met::RULE,
    &retention_missing::RULE,
    &retention_unbounded::RULE,
    &retention_exceeds_recommendation::RULE,
    &retention_below_statutory_minimum::RULE,
    &archive_without_reason::RULE,
    &referenced_document_missing::RULE,
    &code_paths_match_nothing::RULE,
    &transfer_without_safeguard::RULE,
    &unused_deviation::RULE,
    &personal_data_not_covered::RULE,
    &special_category_not_declared::RULE,
    &category_not_declared::RULE,
    &processor_not_declared::RULE,
    &declared_category_not_seen::RULE,
];

pub fn all() -> &'static [&'static RuleMeta] {
    ALL
}

/// A rule's documentation and check, by its handle.
pub fn meta(id: crate::diag::RuleId) -> &'static RuleMeta {
    // ALL is in RuleId order (a meta-test checks it)
    ALL[id as usize]
}

/// A rule by code (`lb001` works too) or by name (`legal-basis-inconsistent`).
pub fn by_code(code: &str) -> Option<&'static RuleMeta> {
    crate::diag::RuleId::from_code(code).map(meta)
}

/// What a rule may look at besides the activity: the file system, asked through this trait so
/// that rules stay free of I/O.
pub trait Files: Sync {
    /// Whether a file or directory exists.
    fn exists(&self, path: &Path) -> Seen;
    /// Whether a glob, relative to `base`, matches at least one file; `Unknown` when the search
    /// stopped before it could tell, having visited as many entries as `budget` allowed (what
    /// it visits is taken from `budget`).
    fn glob_matches(&self, base: &Path, glob: &str, budget: &std::cell::Cell<usize>) -> Seen;
}

/// What a look at the file system found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    Yes,
    No,
    /// The search stopped before it could tell.
    Unknown,
    /// The path leads out of the repository: it is not looked at, so that a manifest cannot
    /// learn which files exist elsewhere on the machine.
    Outside,
}

/// How many directory entries the `code:` globs of one manifest may visit in all (RF002), so
/// that a manifest listing thousands of globs cannot make the run walk the repository
/// thousands of times. Each glob alone may visit at most [`GLOB_WALK_LIMIT`].
pub const GLOB_BUDGET: usize = 1_000_000;

/// How many directory entries the `code:` globs of a whole run may visit: past it, globs are
/// reported as not checked (which ones then depends on the order the files were read in, but
/// none passes in silence).
pub const GLOB_RUN_BUDGET: usize = 20_000_000;

/// How many directory entries one `code:` glob may visit.
pub const GLOB_WALK_LIMIT: usize = 200_000;

/// Everything a rule sees about one activity.
pub struct Context<'a> {
    pub file: usize,
    pub source: &'a Source,
    pub activity: &'a Activity,
    pub catalog: &'a Loaded,
    /// The catalog purpose the activity names, if it names one.
    pub purpose: Option<&'a Purpose>,
    pub lang: Lang,
    pub files: &'a dyn Files,
    /// What is left of the manifest's [`GLOB_BUDGET`].
    pub glob_budget: &'a std::cell::Cell<usize>,
    /// The WP248 criteria the activity meets, worked out once for the rules that need them.
    pub(crate) met: std::cell::OnceCell<Vec<criteria::Met<'a>>>,
    /// The activity's data categories and subjects folded, once for every word list.
    pub(crate) folded: std::cell::OnceCell<criteria::Folded>,
}

impl Context<'_> {
    /// A diagnostic of `rule` about this activity, at the rule's default severity.
    pub fn diag(&self, rule: &RuleMeta, message: String) -> Diagnostic {
        let mut d = Diagnostic::new(rule.id, rule.default_severity, self.file, message);
        d.activity = self.activity.id.as_ref().map(|i| i.value.to_string());
        d.activity_index = Some(self.activity.index);
        d
    }

    /// The directory of the manifest, against which relative paths are resolved (`.` for a
    /// manifest named without a directory, whose parent is the empty path).
    pub fn manifest_dir(&self) -> &Path {
        crate::source::dir_of(self.source.path())
    }

    /// The text in the run's language.
    pub fn t(&self, en: impl Into<String>, fr: impl Into<String>) -> String {
        crate::i18n::t(self.lang, en, fr)
    }

    /// `customer-management` (« Gestion de clientèle : … »), for messages.
    pub fn purpose_title(&self, p: &Purpose) -> String {
        format!("`{}` ({})", p.id, p.label.get(self.lang))
    }
}

/// Runs every per-activity rule.
pub fn check_activity(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for rule in ALL {
        if let Some(check) = rule.check {
            check(cx, out);
        }
    }
}

/// Where a "field missing" rule should point, or `None` when it should stay quiet: the field is
/// there, or its section or the field itself was already reported as invalid (MF002/MF004).
/// `section` is the span of the section's key when the section exists, `fallback` where to point
/// when it does not.
pub(crate) fn missing_in_section(
    activity: &Activity,
    section: &str,
    field: &str,
    found: Option<(Span, bool)>,
    fallback: Span,
) -> Option<Span> {
    // most activities have no invalid field: nothing to look up, no key to make
    if !activity.invalid.is_empty()
        && (activity.is_invalid(section) || activity.is_invalid(&format!("{section}.{field}")))
    {
        return None;
    }
    match found {
        Some((_, true)) => None,
        Some((key, false)) => Some(key),
        None => Some(fallback),
    }
}

/// For rules about a legal basis that needs a supporting field (LB002–LB004): the declared basis
/// if it is `basis`.
pub(crate) fn declared_basis(
    activity: &Activity,
    basis: crate::manifest::vocab::LegalBasis,
) -> Option<Span> {
    activity
        .legal_basis
        .as_ref()
        .filter(|b| b.value == basis)
        .map(|b| b.span)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the English *Fix* has prose besides its example, the French *Correction* has it too.
    #[test]
    fn french_documentation_keeps_the_fix_prose() {
        for r in ALL {
            let en = r.explanation();
            let fix = en.split("## Fix").nth(1).unwrap_or("");
            let mut in_code = false;
            let prose = fix.lines().any(|l| {
                if l.starts_with("```") {
                    in_code = !in_code;
                    return false;
                }
                !in_code && !l.trim().is_empty()
            });
            assert_eq!(prose, r.fr.fix.is_some(), "{}", r.code);
            if let Some(fix) = r.fr.fix {
                assert!(r.explanation_in(Lang::Fr).contains(fix), "{}", r.code);
            }
        }
    }

    /// `meta` indexes the registry by handle: both lists must be in the same order.
    #[test]
    fn the_registry_follows_the_rule_handles() {
        let codes: Vec<&str> = ALL.iter().map(|r| r.code).collect();
        let ids: Vec<&str> = crate::diag::RuleId::ALL
            .iter()
            .map(|r| r.as_str())
            .collect();
        assert_eq!(codes, ids);
        for id in crate::diag::RuleId::ALL {
            assert_eq!(meta(*id).id, *id);
            assert_eq!(by_code(id.name()).map(|r| r.id), Some(*id));
        }
    }
}
