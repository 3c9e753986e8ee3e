//! A repository rule: the engine runs it once every manifest is read, before the deviations
//! (which never excuse it: ids key the register and the diff).

use crate::hash::{Map, Set};
use std::hash::BuildHasher;

use crate::diag::{Diagnostic, RuleId, Severity};
use crate::i18n::{self, Lang};
use crate::manifest::model::Sp;
use crate::source::{Source, Span, Span32};

/// Each activity of a file: its position in the file and its id, with the id's span. Kept for
/// every file of a run until the run is assembled, so kept compactly: the ids in one text, one
/// small entry an activity.
#[derive(Clone, Debug, Default)]
pub struct ActivityIds {
    text: Box<str>,
    entries: Box<[IdEntry]>,
}

/// 20 bytes: offsets as `u32` (a manifest is read whole, far below 4 GiB).
#[derive(Clone, Copy, Debug)]
struct IdEntry {
    index: u32,
    /// The id's bytes in the text; [`Span32::NONE`] for an activity without one.
    at: Span32,
    /// The id's span in the file.
    span: Span32,
}

impl ActivityIds {
    /// The ids of a manifest's activities.
    pub fn of(activities: &[crate::manifest::model::Activity]) -> Self {
        let mut text = String::new();
        let entries = activities
            .iter()
            .map(|a| {
                let (at, span) = match &a.id {
                    Some(id) => {
                        let start = text.len();
                        text.push_str(&id.value);
                        (
                            Span32::of(Span::new(start, text.len())),
                            Span32::of(id.span),
                        )
                    }
                    None => (Span32::NONE, Span32::NONE),
                };
                IdEntry {
                    index: u32::try_from(a.index).unwrap_or(u32::MAX),
                    at,
                    span,
                }
            })
            .collect();
        ActivityIds {
            text: text.into(),
            entries,
        }
    }

    /// Each activity's position in its file, and its id with the id's span.
    pub fn iter(&self) -> impl Iterator<Item = (usize, Option<(&str, Span)>)> {
        self.entries.iter().map(|e| {
            let id = e.at.get().map(|at| {
                let id = self.text.get(at.start..at.end).unwrap_or("");
                (id, e.span.get().unwrap_or_default())
            });
            (e.index as usize, id)
        })
    }

    /// The id of the activity at `index` in its file, if it has one.
    pub fn id_of(&self, index: usize) -> Option<&str> {
        self.iter().find(|(i, _)| *i == index)?.1.map(|(id, _)| id)
    }

    /// How many activities.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// An id used again: where (file, activity, id) and where it was first used (file, span).
#[derive(Clone, Debug)]
pub struct Duplicate {
    pub file: usize,
    pub index: usize,
    pub id: Sp<String>,
    pub first: (usize, Span),
}

/// The second and later uses of every id. One occurrence is kept as the original, preferably
/// in a file not reported on (so that the files reported on get the finding), else the first
/// in path and position order.
pub fn find(ids: &[ActivityIds], reported: &[bool]) -> Vec<Duplicate> {
    // a large repository has hundreds of thousands of ids and few duplicates: the ids whose
    // hash comes back are found first, in a set of hashes sized once, and only they are mapped
    let state = crate::hash::State::default();
    let all = || {
        ids.iter()
            .flat_map(ActivityIds::iter)
            .filter_map(|(_, id)| id.map(|(id, _)| id))
    };
    let mut once = Set::with_capacity_and_hasher(all().count(), crate::hash::State::default());
    let mut again = Set::default();
    for id in all() {
        let hash = state.hash_one(id);
        if !once.insert(hash) {
            again.insert(hash);
        }
    }
    drop(once);
    let maybe_twice = |id: &str| again.contains(&state.hash_one(id));
    let mut first: Map<&str, (usize, Span)> = Map::default();
    for pass_context in [true, false] {
        for (file, activities) in ids.iter().enumerate() {
            if reported[file] == pass_context {
                continue;
            }
            for (id, span) in activities.iter().filter_map(|(_, id)| id) {
                if maybe_twice(id) {
                    first.entry(id).or_insert((file, span));
                }
            }
        }
    }
    let mut out = Vec::new();
    for (file, activities) in ids.iter().enumerate() {
        for (index, id) in activities.iter() {
            let Some((id, span)) = id else { continue };
            if let Some(&at) = first.get(id)
                && at != (file, span)
            {
                out.push(Duplicate {
                    file,
                    index,
                    id: Sp {
                        value: id.to_string(),
                        span,
                    },
                    first: at,
                });
            }
        }
    }
    out
}

impl Duplicate {
    /// The finding; `sources` must hold the texts of both files.
    pub fn diagnostic(&self, sources: &[Source], lang: Lang) -> Diagnostic {
        let t = |en: String, fr: String| i18n::t(lang, en, fr);
        let (f0, s0) = self.first;
        let id = &self.id.value;
        let mut d = Diagnostic::new(
            RuleId::MF005,
            Severity::Error,
            self.file,
            t(
                format!("activity id `{id}` is already used"),
                format!("l'identifiant d'activité `{id}` est déjà utilisé"),
            ),
        )
        .at(self.id.span)
        .label(i18n::s(lang, "duplicate id", "identifiant en double"))
        .help(i18n::s(
            lang,
            "give each activity an id of its own, unique across the repository",
            "donnez à chaque activité un identifiant propre, unique dans tout le dépôt",
        ));
        if f0 == self.file {
            d = d.secondary(
                s0,
                i18n::s(lang, "first used here", "première utilisation ici"),
            );
        } else {
            let pos = sources[f0].position(s0.start);
            let at = format!("{}:{}:{}", sources[f0].display(), pos.line, pos.column);
            d = d.note(t(
                format!("first used in {at}"),
                format!("première utilisation dans {at}"),
            ));
        }
        d.activity = Some(id.clone());
        d.activity_index = Some(self.index);
        d
    }
}

declare_rule! {
    /// ## What it checks
    /// Activity ids are unique across the whole repository, not only within one file. The
    /// second and later uses are reported, each pointing at the first.
    ///
    /// When only files are named (a pre-commit hook), their ids are still compared with every
    /// other manifest: inside a git repository, with the tracked manifests as git's index holds
    /// them (and as the work tree holds them where it differs), through a cache of each
    /// content's ids, and with the manifests git does not track, found through a table of the
    /// walk's directories. With `--staged` (what the hooks run), the index is the truth: the
    /// work tree is not looked at and untracked manifests are not compared, as a commit holds
    /// neither. `--no-cache` walks the whole repository instead.
    ///
    /// ## Why
    /// The id is how the record of processing activities, deviations and reports refer to an
    /// activity. Two activities with one id make the register ambiguous.
    ///
    /// ## Example
    /// ```yaml
    /// # services/crm/processing.yaml
    ///   - id: customers
    /// # services/billing/processing.yaml
    ///   - id: customers
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// # services/crm/processing.yaml
    ///   - id: customers
    /// # services/billing/processing.yaml
    ///   - id: customer-invoicing
    /// ```
    code: MF005,
    severity: Error,
    summary: "two activities share an `id`, in one file or across files",
    fr_summary: "deux activités partagent un `id`, dans un même fichier ou entre fichiers",
    fr_checks: "Les identifiants d'activité sont uniques dans tout le dépôt, pas seulement dans un fichier. Les utilisations suivantes sont signalées et renvoient à la première. Lorsque seuls des fichiers sont nommés (un hook pre-commit), leurs identifiants sont tout de même comparés à tous les autres manifestes : dans un dépôt git, aux manifestes suivis tels que l'index de git les contient (et tels que l'arbre de travail les contient là où il diffère), au moyen d'un cache des identifiants de chaque contenu, et aux manifestes que git ne suit pas, trouvés grâce à une table des dossiers du parcours. Avec `--staged` (ce que lancent les hooks), l'index fait foi : l'arbre de travail n'est pas examiné et les manifestes non suivis ne sont pas comparés, puisqu'un commit ne contient ni l'un ni les autres. `--no-cache` parcourt plutôt tout le dépôt.",
    fr_why: "L'identifiant est la façon dont le registre, les dérogations et les rapports désignent une activité. Deux activités avec le même identifiant rendent le registre ambigu.",
    check: None,
}
