//! What DP002 and DP004 share: which WP248 criteria an activity meets, and which items of the
//! CNIL mandatory-DPIA list it shows. Not a rule of its own.

use std::collections::BTreeMap;

use super::Context;
use crate::catalog::{ListItem, When};
use crate::manifest::model::Sp;
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
pub(crate) struct Met<'a> {
    pub criterion: DpiaCriterion,
    pub span: Span,
    pub why: Why<'a>,
    /// Declared in `dpia.criteria`, as opposed to implied by other fields.
    pub declared: bool,
}

/// Why a criterion is met, written out ([`Why::text`]) only for a finding that shows it: most
/// activities meet some criterion, few have a finding that says why.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Why<'a> {
    /// Declared in `dpia.criteria`.
    Declared(DpiaCriterion),
    /// The activity has special categories.
    SpecialCategories,
    /// A data category that is highly personal data.
    HighlyPersonal(&'a str),
    /// A data subject that is vulnerable.
    Vulnerable(&'a str),
    /// The catalog's purpose implies the criterion, for the reason it gives.
    Purpose {
        id: &'a str,
        criterion: DpiaCriterion,
        why: &'a crate::catalog::Text,
    },
}

impl Why<'_> {
    pub(crate) fn text(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang::{En, Fr};
        match (*self, lang) {
            (Why::Declared(c), En) => format!("declared: {}", c.describe(En)),
            (Why::Declared(c), Fr) => format!("déclaré : {}", c.describe(Fr)),
            (Why::SpecialCategories, En) => "special categories imply `sensitive-data`".to_string(),
            (Why::SpecialCategories, Fr) => {
                "les catégories particulières impliquent `sensitive-data`".to_string()
            }
            (Why::HighlyPersonal(v), En) => {
                format!("`{v}` is highly personal data: implies `sensitive-data`")
            }
            (Why::HighlyPersonal(v), Fr) => {
                format!("`{v}` est une donnée très personnelle : implique `sensitive-data`")
            }
            (Why::Vulnerable(v), En) => format!("`{v}` implies `vulnerable-subjects`"),
            (Why::Vulnerable(v), Fr) => format!("`{v}` implique `vulnerable-subjects`"),
            (Why::Purpose { id, criterion, why }, En) => {
                format!("purpose `{id}` implies `{criterion}`: {}", why.en)
            }
            (Why::Purpose { id, criterion, why }, Fr) => {
                format!("la finalité `{id}` implique `{criterion}` : {}", why.fr)
            }
        }
    }
}

/// Whether a value contains one of the words (case, accents and punctuation ignored).
#[cfg(test)]
fn mentions(value: &str, words: &[impl AsRef<str>]) -> bool {
    mentions_folded(&fold(value), words)
}

/// Whether a value folded already ([`fold`]) contains one of the words, folded too.
fn mentions_folded(f: &str, words: &[impl AsRef<str>]) -> bool {
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
    #[cfg(test)]
    fn in_value(&self, value: &str) -> bool {
        self.in_folded(&fold(value))
    }

    /// Whether a value folded already ([`fold`]) contains one of the words.
    fn in_folded(&self, folded: &str) -> bool {
        let found = self.found.get_or_init(|| {
            // a few short words: building does not fail; if it did, each word is looked for.
            // A non-contiguous NFA: the default (a DFA) took a seventh of a one-manifest run to
            // build, and a run asks it a few questions per activity
            aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
                .build(self.list.iter().map(|w| fold(w)))
                .ok()
        });
        match found {
            Some(found) => found.is_match(folded),
            None => mentions_folded(folded, self.list),
        }
    }

    /// The first value that contains one of the words; `folded`: the values folded.
    fn first_in<'a>(&self, values: &'a [Sp<Text>], folded: &[Text]) -> Option<&'a Sp<Text>> {
        values
            .iter()
            .zip(folded)
            .find_map(|(v, f)| self.in_folded(f).then_some(v))
    }
}

/// [`VULNERABLE`], compiled.
static VULNERABLE_WORDS: Words = Words::new(VULNERABLE);
/// [`HIGHLY_PERSONAL`], compiled.
static HIGHLY_PERSONAL_WORDS: Words = Words::new(HIGHLY_PERSONAL);

fn first_mention<'a>(
    values: &'a [Sp<Text>],
    folded: &[Text],
    words: &[impl AsRef<str>],
) -> Option<&'a Sp<Text>> {
    values
        .iter()
        .zip(folded)
        .find_map(|(v, f)| mentions_folded(f, words).then_some(v))
}

/// An activity's data categories and data subjects, folded (as [`fold`] does) once for all the
/// word lists they are looked up in.
pub(crate) struct Folded {
    categories: Vec<Text>,
    subjects: Vec<Text>,
}

fn folded<'c>(cx: &'c Context<'_>) -> &'c Folded {
    cx.folded.get_or_init(|| {
        let all = |values: &[Sp<Text>]| values.iter().map(|v| fold(&v.value)).collect();
        Folded {
            categories: all(&cx.activity.data_categories),
            subjects: all(&cx.activity.data_subjects),
        }
    })
}

/// The criteria met, one entry per criterion (a declaration wins over an implication).
pub(crate) fn met<'c, 'a>(cx: &'c Context<'a>) -> &'c [Met<'a>] {
    cx.met.get_or_init(|| work_out(cx))
}

fn work_out<'a>(cx: &Context<'a>) -> Vec<Met<'a>> {
    let a = cx.activity;
    let mut out: BTreeMap<DpiaCriterion, Met<'a>> = BTreeMap::new();
    for c in a.dpia.iter().flat_map(|d| &d.criteria) {
        out.entry(c.value).or_insert(Met {
            criterion: c.value,
            span: c.span,
            why: Why::Declared(c.value),
            declared: true,
        });
    }
    let mut imply = |criterion: DpiaCriterion, span: Span, why: Why<'a>| {
        out.entry(criterion).or_insert(Met {
            criterion,
            span,
            why,
            declared: false,
        });
    };
    if let Some(first) = a.special_categories.first() {
        imply(
            DpiaCriterion::SensitiveData,
            first.span,
            Why::SpecialCategories,
        );
    }
    if let Some(c) = HIGHLY_PERSONAL_WORDS.first_in(&a.data_categories, &folded(cx).categories) {
        imply(
            DpiaCriterion::SensitiveData,
            c.span,
            Why::HighlyPersonal(&c.value),
        );
    }
    if let Some(s) = vulnerable_subject(cx) {
        imply(
            DpiaCriterion::VulnerableSubjects,
            s.span,
            Why::Vulnerable(&s.value),
        );
    }
    if let (Some(p), Some(at)) = (cx.purpose, &a.purpose) {
        for c in &p.implies_criteria {
            let why = Why::Purpose {
                id: &p.id,
                criterion: c.criterion,
                why: &c.why,
            };
            imply(c.criterion, at.span, why);
        }
    }
    out.into_values().collect()
}

/// The first data subject that implies `vulnerable-subjects`.
pub(crate) fn vulnerable_subject<'a>(cx: &Context<'a>) -> Option<&'a Sp<Text>> {
    VULNERABLE_WORDS.first_in(&cx.activity.data_subjects, &folded(cx).subjects)
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
    // every condition first (most items do not hold), then the evidence of one that does
    let purpose = if when.purposes.is_empty() {
        None
    } else {
        Some((
            cx.purpose.filter(|p| when.purposes.contains(&p.id))?,
            a.purpose.as_ref()?,
        ))
    };
    let special = if when.special_categories.is_empty() {
        None
    } else {
        Some(
            a.special_categories
                .iter()
                .find(|c| when.special_categories.contains(&c.value))?,
        )
    };
    let criteria = when
        .criteria
        .iter()
        .map(|criterion| met.iter().find(|m| m.criterion == *criterion))
        .collect::<Option<Vec<&Met>>>()?;
    // `Some(None)`: the item asks nothing of these values; `None`: it asks and none answers
    let mention = |values, folded, words: &[String]| {
        if words.is_empty() {
            Some(None)
        } else {
            first_mention(values, folded, words).map(Some)
        }
    };
    let f = folded(cx);
    let category = mention(&a.data_categories, &f.categories, &when.data_categories)?;
    let subject = mention(&a.data_subjects, &f.subjects, &when.data_subjects)?;
    let mut evidence = Vec::new();
    if let Some((p, at)) = purpose {
        evidence.push((
            at.span,
            cx.t(
                format!("purpose `{}`", p.id),
                format!("finalité `{}`", p.id),
            ),
        ));
    }
    if let Some(c) = special {
        let why = cx.t(
            format!("special category `{}`", c.value),
            format!("catégorie particulière `{}`", c.value),
        );
        evidence.push((c.span, why));
    }
    evidence.extend(criteria.iter().map(|m| (m.span, m.why.text(cx.lang))));
    if let Some(c) = category {
        let why = cx.t(
            format!("data category `{}`", c.value),
            format!("catégorie de données `{}`", c.value),
        );
        evidence.push((c.span, why));
    }
    if let Some(s) = subject {
        let why = cx.t(
            format!("data subjects `{}`", s.value),
            format!("personnes concernées `{}`", s.value),
        );
        evidence.push((s.span, why));
    }
    let implied = criteria.iter().any(|m| !m.declared);
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
