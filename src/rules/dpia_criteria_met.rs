use std::collections::BTreeMap;

use super::Context;
use crate::diag::{Diagnostic, Severity};
use crate::manifest::model::{Activity, Sp};
use crate::manifest::vocab::{DpiaCriterion, fold};
use crate::source::Span;

declare_rule! {
    /// ## What it checks
    /// When two or more of the nine WP248 criteria are met, `dpia.required` must not be `false`.
    /// Criteria count when they are declared in `dpia.criteria`, and when other fields imply them:
    ///
    /// - `special_categories` not empty implies `sensitive-data`;
    /// - `data_categories` naming location, financial or banking data, or communications, imply
    ///   `sensitive-data` (highly personal data, WP248);
    /// - `data_subjects` naming employees, children or minors, patients, pupils or students,
    ///   elderly people or asylum seekers imply `vulnerable-subjects`.
    ///
    /// Two or more declared criteria are an error; reaching two only through implied criteria is
    /// a warning, because the implication may not hold for the activity.
    ///
    /// ## Why
    /// The CNIL holds a DPIA mandatory when a processing meets at least two of the nine criteria
    /// of the WP248 guidelines, whatever its purpose.
    ///
    /// ## Example
    /// ```yaml
    ///     dpia:
    ///       required: false
    ///       criteria: [large-scale, evaluation-or-scoring]
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///     dpia:
    ///       required: true
    ///       reference: docs/privacy/dpia-scoring.pdf
    ///       criteria: [large-scale, evaluation-or-scoring]
    /// ```
    code: "DP004",
    name: "dpia-criteria-met",
    severity: Error,
    summary: "two or more WP248 criteria are met but `dpia.required` is false (a warning when some are only implied)",
    check: Some(check),
}

const VULNERABLE: &[&str] = &[
    "employee",
    "salarie",
    "staff",
    "personnel",
    "child",
    "enfant",
    "minor",
    "mineur",
    "patient",
    "pupil",
    "eleve",
    "student",
    "etudiant",
    "elderly",
    "personneagee",
    "asylum",
    "demandeurdasile",
    "vulnerable",
];
const HIGHLY_PERSONAL: &[&str] = &[
    "location",
    "geoloc",
    "localisation",
    "financial",
    "financier",
    "financiere",
    "bank",
    "bancaire",
    "iban",
    "communication",
    "correspondance",
];

fn matches_any(value: &str, words: &[&str]) -> bool {
    let f = fold(value);
    words.iter().any(|w| f.contains(w))
}

/// The first data subject that implies `vulnerable-subjects`.
pub fn vulnerable_subject(a: &Activity) -> Option<&Sp<String>> {
    a.data_subjects
        .iter()
        .find(|s| matches_any(&s.value, VULNERABLE))
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let a = cx.activity;
    let Some(dpia) = &a.dpia else { return };
    let Some(required) = &dpia.required else {
        return;
    };
    if required.value {
        return;
    }
    let mut declared: BTreeMap<DpiaCriterion, Span> = BTreeMap::new();
    for c in &dpia.criteria {
        declared.entry(c.value).or_insert(c.span);
    }
    let mut implied: BTreeMap<DpiaCriterion, (Span, String)> = BTreeMap::new();
    if let Some(first) = a.special_categories.first() {
        implied.insert(
            DpiaCriterion::SensitiveData,
            (
                first.span,
                "special categories imply `sensitive-data`".into(),
            ),
        );
    }
    if let Some(c) = a
        .data_categories
        .iter()
        .find(|c| matches_any(&c.value, HIGHLY_PERSONAL))
    {
        implied.entry(DpiaCriterion::SensitiveData).or_insert((
            c.span,
            format!(
                "`{}` is highly personal data: implies `sensitive-data`",
                c.value
            ),
        ));
    }
    if let Some(s) = vulnerable_subject(a) {
        implied.insert(
            DpiaCriterion::VulnerableSubjects,
            (
                s.span,
                format!("`{}` implies `vulnerable-subjects`", s.value),
            ),
        );
    }
    implied.retain(|c, _| !declared.contains_key(c));
    let total = declared.len() + implied.len();
    if total < 2 {
        return;
    }
    let names: Vec<String> = declared
        .keys()
        .chain(implied.keys())
        .map(|c| format!("`{c}`"))
        .collect();
    let mut d = cx
        .diag(
            &RULE,
            format!(
                "{total} DPIA criteria are met ({}) but `dpia.required` is false",
                names.join(", ")
            ),
        )
        .at(required.span)
        .label("the CNIL holds a DPIA mandatory from two criteria")
        .help("carry out the DPIA and set `required: true` with its `reference:`, or remove criteria that do not apply");
    for (c, span) in &declared {
        d = d.secondary(*span, format!("declared: {}", c.describe()));
    }
    for (span, why) in implied.values() {
        d = d.secondary(*span, why.clone());
    }
    if declared.len() < 2 {
        d.severity = Severity::Warning;
        d = d.note("some of these criteria are implied by other fields; declare the criteria that apply in `dpia.criteria` to confirm");
    }
    d = d.cite(cx.catalog.cite_keys(&["cnil-aipd", "wp248"]));
    out.push(d);
}
