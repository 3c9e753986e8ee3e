//! Finding a purpose by id, label or alias, and "did you mean" when nothing matches.

use super::model::Purpose;
use crate::manifest::vocab::{distance, fold};

/// Each purpose once, in order of first appearance.
fn dedup(v: Vec<usize>) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for i in v {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// Whether every word of the query is its name word but for a typing error or two.
fn typos(query: &[Word], name: &[Word]) -> bool {
    query.iter().zip(name).all(|(q, n)| {
        let (a, b) = (&q.folded, &n.folded);
        let most = (b.chars().count() / 4).clamp(1, 2);
        a.chars().count().abs_diff(b.chars().count()) <= most && distance(a, b) <= most
    })
}

/// The longest text compared with the catalog's names, in bytes.
pub const MAX_QUERY: usize = 256;

/// Folded names (id, labels, aliases) → purpose position, and each name's words.
#[derive(Debug, Default)]
pub struct Index {
    names: crate::hash::Map<String, usize>,
    /// Made by the first search: a lint looks purposes up by name only, and splitting every
    /// name into words took a tenth of a one-manifest run.
    phrases: std::sync::OnceLock<Vec<(Vec<Word>, usize)>>,
}

/// The id, labels and aliases of a purpose.
fn names_of(p: &Purpose) -> impl Iterator<Item = &str> {
    [p.id.as_str(), p.label.en.as_str(), p.label.fr.as_str()]
        .into_iter()
        .chain(p.aliases.iter().map(String::as_str))
}

/// What a search for a purpose found.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    /// One purpose is named, confidently: the query is one of its names (ignoring case, accents
    /// and punctuation), or has the same words as one.
    Exact(usize),
    /// No purpose is named; these are candidates (best first), never an answer: a name whose
    /// words stand whole in the query, a query whose words stand in a name, or a name a few
    /// typing errors away.
    Close(Vec<usize>),
    Nothing,
}

/// A word of a name or a query: folded (lowercase, no accents) to compare, and as written in
/// lowercase, so that a word typed with accents only matches the same accents ("salariés", the
/// employees, is not "salaries", the pay).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Word {
    folded: String,
    accented: Option<String>,
}

impl Word {
    /// Whether a query word (`self`) is the name word `other`.
    fn is(&self, other: &Word) -> bool {
        self.folded == other.folded
            && match &self.accented {
                None => true,
                Some(a) => other.accented.as_deref().is_some_and(|b| a == b),
            }
    }
}

/// Words that carry no meaning for matching, in French and English.
const STOPWORDS: &[&str] = &[
    "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "par", "pour",
    "sur", "un", "une", "an", "and", "for", "in", "of", "on", "the", "to", "by", "with", "avec",
];

/// The meaningful words of a text.
fn words(text: &str) -> Vec<Word> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower = w.to_lowercase();
            let folded = fold(&lower);
            let accented = (lower != folded).then_some(lower);
            Word {
                folded: folded.into(),
                accented,
            }
        })
        .filter(|w| !STOPWORDS.contains(&w.folded.as_str()))
        .collect()
}

/// Whether the words `part` stand whole, in order and together, in `whole`; `is(w, p)` compares
/// a word of `whole` with one of `part`.
fn contains(whole: &[Word], part: &[Word], is: impl Fn(&Word, &Word) -> bool) -> bool {
    !part.is_empty()
        && whole.len() >= part.len()
        && whole
            .windows(part.len())
            .any(|w| w.iter().zip(part).all(|(a, b)| is(a, b)))
}

/// Whether the words of `phrase` stand whole, in order, in `text` (case, accents, punctuation
/// and a plural `s` or `x` ignored): "access logs" mentions "log", "catalogue" does not.
pub fn mentions_phrase(text: &str, phrase: &str) -> bool {
    fn stem(w: &Word) -> &str {
        let f = w.folded.as_str();
        if f.len() > 3 {
            f.strip_suffix('s')
                .or_else(|| f.strip_suffix('x'))
                .unwrap_or(f)
        } else {
            f
        }
    }
    contains(&words(text), &words(phrase), |a, b| stem(a) == stem(b))
}

/// A name (its words) in a query.
fn name_in_query(query: &[Word], name: &[Word]) -> bool {
    contains(query, name, |q, n| q.is(n))
}

impl Index {
    pub fn new(purposes: &[Purpose]) -> Self {
        let mut names = crate::hash::Map::default();
        for (i, p) in purposes.iter().enumerate() {
            for name in names_of(p) {
                names.entry(fold(name).into()).or_insert(i);
            }
        }
        Self {
            names,
            phrases: std::sync::OnceLock::new(),
        }
    }

    /// Each name's words, with its purpose; `purposes` are those the index was made of.
    fn phrases(&self, purposes: &[Purpose]) -> &[(Vec<Word>, usize)] {
        self.phrases.get_or_init(|| {
            let mut phrases = Vec::new();
            for (i, p) in purposes.iter().enumerate() {
                for name in names_of(p) {
                    let w = words(name);
                    if !w.is_empty() {
                        phrases.push((w, i));
                    }
                }
            }
            phrases
        })
    }

    /// An exact match only: what the linter uses, so that a manifest is never checked against a
    /// purpose it did not name.
    pub fn exact(&self, name: &str) -> Option<usize> {
        self.names.get(fold(name).as_str()).copied()
    }

    /// The purpose a manifest names: an exact match, or for a dotted taxonomy key (a fideslang
    /// `data_use` such as `marketing.advertising.first_party`), its nearest parent that is a
    /// catalog alias.
    pub fn resolve(&self, name: &str) -> Option<usize> {
        self.resolve_key(name).or_else(|| {
            // a data use of an older fideslang, renamed since: its current key
            let current = fides_upgrade(name);
            (current != name)
                .then(|| self.resolve_key(&current))
                .flatten()
        })
    }

    /// A name or alias, or the nearest dotted parent that is one.
    fn resolve_key(&self, name: &str) -> Option<usize> {
        if let Some(i) = self.exact(name) {
            return Some(i);
        }
        if name.contains(char::is_whitespace) {
            return None;
        }
        let mut key = name;
        while let Some((parent, _)) = key.rsplit_once('.') {
            if let Some(i) = self.exact(parent) {
                return Some(i);
            }
            key = parent;
        }
        None
    }

    /// A confident match, else candidates. A query over [`MAX_QUERY`] bytes matches nothing.
    /// `purposes` are those the index was made of.
    pub fn search(&self, purposes: &[Purpose], name: &str) -> Found {
        if name.len() > MAX_QUERY {
            return Found::Nothing;
        }
        if let Some(i) = self.exact(name) {
            return Found::Exact(i);
        }
        let query = words(name);
        if query.is_empty() {
            return Found::Nothing;
        }
        // the same meaningful words as a name: confident, unless two purposes share them
        let phrases = self.phrases(purposes);
        let same: Vec<usize> = phrases
            .iter()
            .filter(|(w, _)| w.len() == query.len() && name_in_query(&query, w))
            .map(|(_, i)| *i)
            .collect();
        if let Some(&first) = same.first() {
            if same.iter().all(|i| *i == first) {
                return Found::Exact(first);
            }
            return Found::Close(dedup(same));
        }
        // candidates: (how much of the longer side is covered, best first; purpose); when none
        // shares the query's words with its accents, those that share them without (« vidéo »,
        // `video-surveillance`): still candidates, never an answer
        let candidates = |is: &dyn Fn(&Word, &Word) -> bool| {
            let mut scored: Vec<(usize, usize)> = Vec::new();
            for (w, i) in phrases {
                let score = if contains(&query, w, is) || contains(w, &query, |n, q| is(q, n)) {
                    // the larger the share of words in common, the better
                    100 - 100 * w.len().min(query.len()) / w.len().max(query.len())
                } else if w.len() == query.len() && typos(&query, w) {
                    50
                } else {
                    continue;
                };
                scored.push((score, *i));
            }
            scored.sort();
            dedup(scored.into_iter().map(|(_, i)| i).collect())
        };
        let mut close = candidates(&Word::is);
        if close.is_empty() {
            close = candidates(&|q, n| q.folded == n.folded);
        }
        if close.is_empty() {
            Found::Nothing
        } else {
            Found::Close(close)
        }
    }

    /// The single closest purpose to a misspelled name, for MF006.
    pub fn suggest(&self, purposes: &[Purpose], name: &str) -> Option<usize> {
        match self.search(purposes, name) {
            Found::Exact(i) => Some(i),
            Found::Close(v) => v.first().copied(),
            Found::Nothing => None,
        }
    }
}

/// The data uses fideslang renamed, oldest release first, as fides's own database migrations
/// rename them (a key and its children): 1.1 (`provide.system`), 1.4 (`provide`,
/// `advertising`, some of `third_party_sharing`), 2.0 (`improve`). A file written for an older
/// fideslang resolves to the purpose its current key names.
const FIDES_USE_RENAMES: &[(&str, &str)] = &[
    ("provide.system", "provide.service"),
    (
        "third_party_sharing.payment_processing",
        "essential.service.payment_processing",
    ),
    (
        "third_party_sharing.fraud_detection",
        "essential.service.fraud_detection",
    ),
    (
        "third_party_sharing.personalized_advertising",
        "marketing.advertising.third_party.targeted",
    ),
    (
        "advertising.first_party.personalized",
        "marketing.advertising.first_party.targeted",
    ),
    (
        "advertising.third_party.personalized",
        "marketing.advertising.third_party.targeted",
    ),
    (
        "advertising.third_party",
        "marketing.advertising.third_party.targeted",
    ),
    ("advertising", "marketing.advertising"),
    ("provide", "essential"),
    (
        "essential.service.operations.support.optimization",
        "essential.service.operations.improve",
    ),
    ("improve.system", "functional.service.improve"),
    ("improve", "functional"),
];

/// A data use with every later fideslang rename applied.
pub fn fides_upgrade(name: &str) -> String {
    let mut key = name.to_string();
    for (old, new) in FIDES_USE_RENAMES {
        let renamed = match key.strip_prefix(old) {
            Some("") => Some(new.to_string()),
            Some(rest) if rest.starts_with('.') => Some(format!("{new}{rest}")),
            _ => None,
        };
        if let Some(r) = renamed {
            key = r;
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::{Found, fides_upgrade};

    /// Looking a purpose up by name splits no name into words; the first search does, once,
    /// and finds what it found before the words were made lazily.
    #[test]
    fn names_are_split_into_words_only_for_a_search() {
        let catalog = crate::catalog::load::builtin().unwrap();
        let index = &catalog.index;
        assert!(catalog.resolve("vidéoprotection").is_some());
        assert!(index.phrases.get().is_none());
        let purposes = catalog.purposes();
        let id = |found: Found| match found {
            Found::Exact(i) => purposes[i].id.clone(),
            other => panic!("{other:?}"),
        };
        // a name: no words needed
        assert_eq!(id(catalog.search("Recrutement")), "recruitment");
        assert!(index.phrases.get().is_none());
        // the same words as a name
        assert_eq!(id(catalog.search("Recrutement, le")), "recruitment");
        assert!(index.phrases.get().is_some_and(|p| !p.is_empty()));
        assert!(matches!(catalog.search("prospecting"), Found::Close(v) if v.len() >= 3));
    }

    /// A query word typed with accents that no name's words have with them gets the names that
    /// have it without as candidates, never as an answer.
    #[test]
    fn accents_no_name_has_still_find_candidates() {
        let catalog = crate::catalog::load::builtin().unwrap();
        let ids = |found: Found| match found {
            Found::Close(v) => v
                .into_iter()
                .map(|i| catalog.purposes()[i].id.clone())
                .collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(ids(catalog.search("vidéo")), ["video-surveillance"]);
        assert_eq!(ids(catalog.search("Vidéo")), ["video-surveillance"]);
        assert_eq!(catalog.search("vidéos"), Found::Nothing);
    }

    #[test]
    fn old_fideslang_data_uses_take_their_current_keys() {
        assert_eq!(fides_upgrade("provide.system"), "essential.service");
        assert_eq!(
            fides_upgrade("provide.service.operations.support"),
            "essential.service.operations.support"
        );
        assert_eq!(
            fides_upgrade("provide.service.operations.support.optimization"),
            "essential.service.operations.improve"
        );
        assert_eq!(
            fides_upgrade("advertising.third_party"),
            "marketing.advertising.third_party.targeted"
        );
        assert_eq!(
            fides_upgrade("improve.system"),
            "functional.service.improve"
        );
        // a current key, and a key that only begins like an old one, stay as they are
        assert_eq!(
            fides_upgrade("marketing.advertising"),
            "marketing.advertising"
        );
        assert_eq!(fides_upgrade("providers"), "providers");
        assert_eq!(fides_upgrade("improvement"), "improvement");
    }
}
