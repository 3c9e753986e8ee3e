//! What DP002 and DP004 share: which WP248 criteria an activity meets, and which items of the
//! CNIL mandatory-DPIA list it shows. Not a rule of its own.

use std::collections::BTreeMap;

use super::Context;
use crate::catalog::{ListItem, When};
use crate::manifest::model::{Activity, Sp};
use crate::manifest::vocab::{DpiaCriterion, fold};
use crate::source::Span;
use crate::yaml::Text;

/// Data subjects that imply `vulnerable-subjects` (WP248: employees, children, patients…).
pub(crate) const VULNERABLE: &[&str] = &[
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

/// Data categories that imply `sensitive-data` (WP248: highly personal data).
pub(crate) const HIGHLY_PERSONAL: &[&str] = &[
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

/// A criterion the activity meets, and why.
#[derive(Clone, Debug)]
pub(crate) struct Met {
    pub criterion: DpiaCriterion,
    pub span: Span,
    pub why: String,
    /// Declared in `dpia.criteria`, as opposed to implied by other fields.
    pub declared: bool,
}

/// Whether a value contains one of the words (case, accents and punctuation ignored).
pub(crate) fn mentions(value: &str, words: &[impl AsRef<str>]) -> bool {
    let f = fold(value);
    words.iter().any(|w| {
        let w = w.as_ref();
        // the word lists are mostly folded already: fold only when needed
        if w.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        {
            f.contains(w)
        } else {
            f.contains(fold(w).as_str())
        }
    })
}

/// A fixed word list, compiled once, found in folded text in one pass.
struct Words {
    list: &'static [&'static str],
    found: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
}

impl Words {
    const fn new(list: &'static [&'static str]) -> Words {
        Words {
            list,
            found: std::sync::OnceLock::new(),
        }
    }

    /// Whether a value contains one of the words, as [`mentions`] tells.
    fn in_value(&self, value: &str) -> bool {
        let found = self.found.get_or_init(|| {
            // a few short words: building does not fail; if it did, each word is looked for
            aho_corasick::AhoCorasick::new(self.list.iter().map(|w| fold(w))).ok()
        });
        match found {
            Some(found) => found.is_match(&fold(value)),
            None => mentions(value, self.list),
        }
    }

    /// The first value that contains one of the words.
    fn first_in<'a>(&self, values: &'a [Sp<Text>]) -> Option<&'a Sp<Text>> {
        values.iter().find(|v| self.in_value(&v.value))
    }
}

/// [`VULNERABLE`], compiled.
static VULNERABLE_WORDS: Words = Words::new(VULNERABLE);
/// [`HIGHLY_PERSONAL`], compiled.
static HIGHLY_PERSONAL_WORDS: Words = Words::new(HIGHLY_PERSONAL);

fn first_mention<'a>(values: &'a [Sp<Text>], words: &[impl AsRef<str>]) -> Option<&'a Sp<Text>> {
    values.iter().find(|v| mentions(&v.value, words))
}

/// The criteria met, one entry per criterion (a declaration wins over an implication).
pub(crate) fn met<'c>(cx: &'c Context<'_>) -> &'c [Met] {
    cx.met.get_or_init(|| work_out(cx))
}

fn work_out(cx: &Context<'_>) -> Vec<Met> {
    let a = cx.activity;
    let mut out: BTreeMap<DpiaCriterion, Met> = BTreeMap::new();
    for c in a.dpia.iter().flat_map(|d| &d.criteria) {
        out.entry(c.value).or_insert(Met {
            criterion: c.value,
            span: c.span,
            why: cx.t(
                format!("declared: {}", c.value.describe(crate::i18n::Lang::En)),
                format!("déclaré : {}", c.value.describe(crate::i18n::Lang::Fr)),
            ),
            declared: true,
        });
    }
    let mut imply = |criterion: DpiaCriterion, span: Span, why: String| {
        out.entry(criterion).or_insert(Met {
            criterion,
            span,
            why,
            declared: false,
        });
    };
    if let Some(first) = a.special_categories.first() {
        let why = cx.t(
            "special categories imply `sensitive-data`",
            "les catégories particulières impliquent `sensitive-data`",
        );
        imply(DpiaCriterion::SensitiveData, first.span, why);
    }
    if let Some(c) = HIGHLY_PERSONAL_WORDS.first_in(&a.data_categories) {
        let why = cx.t(
            format!(
                "`{}` is highly personal data: implies `sensitive-data`",
                c.value
            ),
            format!(
                "`{}` est une donnée très personnelle : implique `sensitive-data`",
                c.value
            ),
        );
        imply(DpiaCriterion::SensitiveData, c.span, why);
    }
    if let Some(s) = vulnerable_subject(a) {
        let why = cx.t(
            format!("`{}` implies `vulnerable-subjects`", s.value),
            format!("`{}` implique `vulnerable-subjects`", s.value),
        );
        imply(DpiaCriterion::VulnerableSubjects, s.span, why);
    }
    if let (Some(p), Some(at)) = (cx.purpose, &a.purpose) {
        for c in &p.implies_criteria {
            let k = c.criterion;
            let why = cx.t(
                format!("purpose `{}` implies `{k}`: {}", p.id, c.why.en),
                format!("la finalité `{}` implique `{k}` : {}", p.id, c.why.fr),
            );
            imply(k, at.span, why);
        }
    }
    out.into_values().collect()
}

/// The first data subject that implies `vulnerable-subjects`.
pub(crate) fn vulnerable_subject(a: &Activity) -> Option<&Sp<Text>> {
    VULNERABLE_WORDS.first_in(&a.data_subjects)
}

/// A mandatory-list item the activity shows, with the evidence.
pub(crate) struct Listed<'a> {
    pub item: &'a ListItem,
    pub evidence: Vec<(Span, String)>,
    /// Some condition holds only through an implied criterion: the finding is a warning.
    pub implied: bool,
}

/// The items of the CNIL mandatory-DPIA list that the activity shows.
pub(crate) fn listed<'a>(cx: &Context<'a>, met: &[Met]) -> Vec<Listed<'a>> {
    let Some(lists) = &cx.catalog.catalog.dpia_lists else {
        return Vec::new();
    };
    lists
        .required
        .items
        .iter()
        .filter_map(|item| {
            let when = item.when.as_ref()?;
            matches(cx, when, met).map(|(evidence, implied)| Listed {
                item,
                evidence,
                implied,
            })
        })
        .collect()
}

fn matches(cx: &Context<'_>, when: &When, met: &[Met]) -> Option<(Vec<(Span, String)>, bool)> {
    let a = cx.activity;
    let mut evidence = Vec::new();
    let mut implied = false;
    if !when.purposes.is_empty() {
        let p = cx.purpose.filter(|p| when.purposes.contains(&p.id))?;
        let at = a.purpose.as_ref()?;
        evidence.push((
            at.span,
            cx.t(
                format!("purpose `{}`", p.id),
                format!("finalité `{}`", p.id),
            ),
        ));
    }
    if !when.special_categories.is_empty() {
        let c = a
            .special_categories
            .iter()
            .find(|c| when.special_categories.contains(&c.value))?;
        let why = cx.t(
            format!("special category `{}`", c.value),
            format!("catégorie particulière `{}`", c.value),
        );
        evidence.push((c.span, why));
    }
    for criterion in &when.criteria {
        let m = met.iter().find(|m| m.criterion == *criterion)?;
        implied |= !m.declared;
        evidence.push((m.span, m.why.clone()));
    }
    if !when.data_categories.is_empty() {
        let c = first_mention(&a.data_categories, &when.data_categories)?;
        let why = cx.t(
            format!("data category `{}`", c.value),
            format!("catégorie de données `{}`", c.value),
        );
        evidence.push((c.span, why));
    }
    if !when.data_subjects.is_empty() {
        let s = first_mention(&a.data_subjects, &when.data_subjects)?;
        let why = cx.t(
            format!("data subjects `{}`", s.value),
            format!("personnes concernées `{}`", s.value),
        );
        evidence.push((s.span, why));
    }
    Some((evidence, implied))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compiled word lists find what looking for each word finds.
    #[test]
    fn compiled_word_lists_find_what_each_word_finds() {
        let values = [
            "Salariés",
            "employees and contractors",
            "Enfants de moins de 15 ans",
            "personnes âgées",
            "Demandeurs d'asile",
            "customers",
            "IBAN",
            "données bancaires",
            "géolocalisation",
            "",
            "Œuvre",
            "ÉLÈVES",
            "patients' relatives",
        ];
        for words in [&VULNERABLE_WORDS, &HIGHLY_PERSONAL_WORDS] {
            for v in values {
                assert_eq!(words.in_value(v), mentions(v, words.list), "{v:?}");
            }
        }
        assert!(VULNERABLE_WORDS.in_value("Personne âgée"));
        assert!(!VULNERABLE_WORDS.in_value("customers"));
        assert!(HIGHLY_PERSONAL_WORDS.in_value("Données bancaires"));
    }
}
