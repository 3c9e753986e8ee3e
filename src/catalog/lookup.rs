//! Finding a purpose by id, label or alias, and "did you mean" when nothing matches.

use std::collections::HashMap;

use super::model::Purpose;
use crate::manifest::vocab::{distance, fold};

/// The longest text compared with the catalog's names, in bytes.
pub const MAX_QUERY: usize = 256;

/// Folded names (id, labels, aliases) → purpose position.
#[derive(Debug, Default)]
pub struct Index {
    names: HashMap<String, usize>,
}

/// What a search for a purpose found.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    /// One purpose matches exactly (ignoring case, accents and punctuation).
    Exact(usize),
    /// No exact match; these are close (best first).
    Close(Vec<usize>),
    Nothing,
}

impl Index {
    pub fn new(purposes: &[Purpose]) -> Self {
        let mut names = HashMap::new();
        for (i, p) in purposes.iter().enumerate() {
            let all = [p.id.as_str(), p.label.en.as_str(), p.label.fr.as_str()]
                .into_iter()
                .chain(p.aliases.iter().map(String::as_str));
            for name in all {
                names.entry(fold(name)).or_insert(i);
            }
        }
        Self { names }
    }

    /// An exact match only: what the linter uses, so that a manifest is never checked against a
    /// purpose it did not name.
    pub fn exact(&self, name: &str) -> Option<usize> {
        self.names.get(&fold(name)).copied()
    }

    /// The purpose a manifest names: an exact match, or for a dotted taxonomy key (a fideslang
    /// `data_use` such as `marketing.advertising.first_party`), its nearest parent that is a
    /// catalog alias.
    pub fn resolve(&self, name: &str) -> Option<usize> {
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

    /// Exact match, else the purposes whose names contain the query or are a few edits away.
    /// A query over [`MAX_QUERY`] bytes matches nothing.
    pub fn search(&self, name: &str) -> Found {
        if let Some(i) = self.exact(name) {
            return Found::Exact(i);
        }
        // no purpose name is that long: a longer text is not compared at all, so that a huge
        // value costs nothing
        if name.len() > MAX_QUERY {
            return Found::Nothing;
        }
        let q = fold(name);
        if q.is_empty() {
            return Found::Nothing;
        }
        let q_chars = q.chars().count();
        let mut scored: Vec<(usize, usize)> = Vec::new();
        for (n, &i) in &self.names {
            let score = if n.contains(&q) || (q.len() >= 8 && q.contains(n.as_str())) {
                0
            } else {
                let n_chars = n.chars().count();
                let most = (n_chars / 4).clamp(1, 4);
                // the distance is at least the difference in length
                if q_chars.abs_diff(n_chars) > most {
                    continue;
                }
                let d = distance(&q, n);
                if d <= most {
                    d
                } else {
                    continue;
                }
            };
            scored.push((score, i));
        }
        scored.sort();
        let mut out: Vec<usize> = Vec::new();
        for (_, i) in scored {
            if !out.contains(&i) {
                out.push(i);
            }
        }
        if out.is_empty() {
            Found::Nothing
        } else {
            Found::Close(out)
        }
    }

    /// The single closest purpose to a misspelled name, for MF006.
    pub fn suggest(&self, name: &str) -> Option<usize> {
        match self.search(name) {
            Found::Exact(i) => Some(i),
            Found::Close(v) => v.first().copied(),
            Found::Nothing => None,
        }
    }
}
