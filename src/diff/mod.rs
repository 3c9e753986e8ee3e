//! `ropa diff`: what a change does to the record of processing. Both sides are linted by the
//! engine; this module compares their activities and classifies every change with a level
//! (`review`: the DPO must look; `info`: worth telling; `none`: editorial), and compares their
//! findings by fingerprint (introduced, fixed, kept). It reads nothing and prints nothing.

pub mod render;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::catalog::load::Loaded;
use crate::diag::Severity;
use crate::engine::Outcome;
use crate::i18n::{Lang, t};
use crate::manifest::duration::Duration;
use crate::manifest::model::Activity;

/// How much a change matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The DPO must look.
    Review,
    /// Worth telling.
    Info,
    /// Editorial: not shown unless asked.
    None,
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "review" => Some(Level::Review),
            "info" => Some(Level::Info),
            "none" => Some(Level::None),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Review => "review",
            Level::Info => "info",
            Level::None => "none",
        }
    }

    /// The level for people, in a language.
    pub fn word(self, lang: Lang) -> &'static str {
        crate::i18n::s(
            lang,
            self.as_str(),
            match self {
                Level::Review => "à examiner",
                Level::Info => "info",
                Level::None => "sans effet",
            },
        )
    }
}

/// Declares the kinds of change: their name in reports and in `ropa.yaml`, and their default
/// level.
macro_rules! kinds {
    ($($kind:ident $name:literal $level:ident,)*) => {
        /// A kind of change to an activity.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind {
            $($kind),*
        }

        impl Kind {
            /// Every kind, in the order reports list them.
            pub const ALL: &[Kind] = &[$(Kind::$kind),*];

            /// The name in reports and in `ropa.yaml`'s `diff.levels`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Kind::$kind => $name),*
                }
            }

            /// The level when `ropa.yaml` does not set one.
            pub fn default_level(self) -> Level {
                match self {
                    $(Kind::$kind => Level::$level),*
                }
            }

            pub fn parse(s: &str) -> Option<Kind> {
                Kind::ALL.iter().copied().find(|k| k.name() == s)
            }
        }
    };
}

kinds! {
    ManifestUnreadable "manifest-unreadable" Review,
    ActivityAdded "activity-added" Review,
    ActivityRemoved "activity-removed" Info,
    ActivityRenamed "activity-renamed" Info,
    ActivityMoved "activity-moved" None,
    PurposeChanged "purpose-changed" Review,
    LegalBasisChanged "legal-basis-changed" Review,
    SpecialCategoryAdded "special-category-added" Review,
    SpecialCategoryRemoved "special-category-removed" Info,
    DataCategoryAdded "data-category-added" Info,
    DataCategoryRemoved "data-category-removed" Info,
    DataSubjectAdded "data-subject-added" Info,
    DataSubjectRemoved "data-subject-removed" Info,
    RecipientAdded "recipient-added" Info,
    RecipientRemoved "recipient-removed" None,
    TransferAdded "transfer-added" Review,
    SafeguardWeakened "safeguard-weakened" Review,
    SafeguardChanged "safeguard-changed" Info,
    TransferRemoved "transfer-removed" Info,
    RetentionLengthened "retention-lengthened" Review,
    RetentionShortened "retention-shortened" Info,
    ArchiveAdded "archive-added" Info,
    ArchiveRemoved "archive-removed" Info,
    DpiaTurnedOff "dpia-turned-off" Review,
    DpiaTurnedOn "dpia-turned-on" Info,
    DpiaReferenceChanged "dpia-reference-changed" Info,
    DeviationAdded "deviation-added" Review,
    DeviationChanged "deviation-changed" Review,
    DeviationRemoved "deviation-removed" Review,
    ControllerChanged "controller-changed" Review,
    CodeChanged "code-changed" Info,
    NameChanged "name-changed" None,
}

/// One activity as the diff sees it: what the register records, in comparable form.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct View {
    pub id: String,
    pub name: String,
    /// The manifest, relative to the repository, `/`-separated.
    pub path: String,
    pub line: usize,
    /// The catalog purpose's id when the catalog knows it, else what the manifest says.
    pub purpose: Option<String>,
    pub legal_basis: Option<String>,
    pub categories: BTreeSet<String>,
    pub special: BTreeSet<String>,
    pub subjects: BTreeSet<String>,
    pub recipients: BTreeSet<String>,
    /// Country (or `?`) → safeguard.
    pub transfers: BTreeMap<String, Option<String>>,
    pub active: Option<Duration>,
    pub archive: Option<Duration>,
    pub dpia: Option<bool>,
    pub dpia_reference: Option<String>,
    /// Rule → (justification, approved by).
    pub deviations: BTreeMap<String, (String, String)>,
    pub controller: Option<String>,
    pub code: Vec<String>,
}

impl View {
    fn of(a: &Activity, path: &str, line: usize, catalog: &Loaded) -> View {
        let strings = |v: &[crate::manifest::model::Sp<crate::manifest::model::Text>]| {
            v.iter().map(|s| s.value.trim().to_string()).collect()
        };
        let purpose = a.purpose.as_ref().map(|p| {
            catalog
                .resolve(&p.value)
                .map_or_else(|| p.value.to_string(), |c| c.id.clone())
        });
        let retention = a.retention.as_ref();
        View {
            // an activity without a valid id (reported by MF003 or MF004) is known by its place,
            // so that two of them are never taken for one
            id: a
                .id_str()
                .map_or_else(|| format!("{path}#{}", a.index + 1), str::to_string),
            name: a
                .name
                .as_ref()
                .map_or(String::new(), |n| n.value.to_string()),
            path: path.to_string(),
            line,
            purpose,
            legal_basis: a.legal_basis.as_ref().map(|b| b.value.to_string()),
            categories: strings(&a.data_categories),
            special: a
                .special_categories
                .iter()
                .map(|c| c.value.to_string())
                .collect(),
            subjects: strings(&a.data_subjects),
            recipients: strings(&a.recipients),
            transfers: a
                .transfers
                .iter()
                .map(|tr| {
                    (
                        tr.country
                            .as_ref()
                            .map_or("?".into(), |c| c.value.to_string()),
                        tr.safeguard.as_ref().map(|s| s.value.to_string()),
                    )
                })
                .collect(),
            active: retention.and_then(|r| r.active.as_ref()).map(|d| d.value),
            archive: retention.and_then(|r| r.archive.as_ref()).map(|d| d.value),
            dpia: a
                .dpia
                .as_ref()
                .and_then(|d| d.required.as_ref())
                .map(|r| r.value),
            dpia_reference: a
                .dpia
                .as_ref()
                .and_then(|d| d.reference.as_ref())
                .map(|r| r.value.to_string()),
            deviations: a
                .deviations
                .iter()
                .map(|d| {
                    (
                        d.rule
                            .as_ref()
                            .map_or(String::new(), |r| r.value.to_string()),
                        (
                            d.justification
                                .as_ref()
                                .map_or(String::new(), |j| j.value.to_string()),
                            d.approved_by
                                .as_ref()
                                .map_or(String::new(), |b| b.value.to_string()),
                        ),
                    )
                })
                .collect(),
            controller: a
                .controller
                .as_ref()
                .and_then(|c| c.name.as_ref())
                .map(|n| n.value.to_string()),
            code: a.code.iter().map(|s| s.value.trim().to_string()).collect(),
        }
    }
}

/// A finding as the diff compares it.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    pub path: String,
    pub line: usize,
    pub activity: Option<String>,
    pub message: String,
    pub fingerprint: String,
}

/// One side of the diff: its activities and its findings.
#[derive(Debug, Default)]
pub struct Side {
    pub activities: Vec<View>,
    pub findings: Vec<Finding>,
    /// The files the run reported on, relative.
    pub reported: Vec<String>,
    /// The files that could not be read as manifests (MF001), relative.
    pub broken: BTreeSet<String>,
    /// Every file's activity ids (reported or not), relative path first.
    pub ids: Vec<(String, Vec<String>)>,
}

/// A side from a lint run: its activities from the manifests the run kept (none when it kept
/// none), the files it reported on and its findings from every file. `root` is the directory
/// paths are made relative to (the repository, or the directory read). With `within` (paths
/// relative to `root`), only the findings on those files are fingerprinted and placed: the
/// others, which a comparison counts as already there whatever they say, come with an empty
/// fingerprint and line 0, and their files are not read again.
pub fn side(
    outcome: &Outcome,
    catalog: &Loaded,
    root: &std::path::Path,
    lang: Lang,
    within: Option<&std::collections::HashSet<String>>,
) -> Side {
    let mut rel = Relative::new(outcome, root);
    let mut activities = Vec::new();
    let mut reported = Vec::new();
    for (file, source) in outcome.sources.iter().enumerate() {
        if !outcome.reported.get(file).copied().unwrap_or(true) {
            continue;
        }
        let path = rel.of(file);
        reported.push(path.clone());
        // a run that kept no manifest (`lint --new-since`'s old side) still reported its files
        let Some(manifest) = outcome.manifests.get(file) else {
            continue;
        };
        for a in &manifest.activities {
            let line = source.position(a.span.start).line;
            activities.push(View::of(a, &path, line, catalog));
        }
    }
    // the texts of the files with findings outside `within` are not read again
    let wanted: Option<Vec<bool>> = within.map(|within| {
        let mut wanted = vec![false; outcome.sources.len()];
        for file in outcome.diagnostics.files() {
            wanted[file] = within.contains(&rel.of(file));
        }
        wanted
    });
    let mut report = crate::render::Report::new(outcome, catalog.name(), lang);
    report.texts_for = wanted.as_deref();
    let findings: Vec<Finding> = crate::render::fingerprinted(&report)
        .map(|(d, fingerprint)| {
            let line = match (report.text_wanted(d.file), d.span) {
                (true, Some(_)) => report.range(&d).0.line,
                _ => 0,
            };
            Finding {
                code: d.code.to_string(),
                severity: d.severity,
                path: rel.of(d.file),
                line,
                activity: d.activity.clone(),
                message: d.message.clone(),
                fingerprint,
            }
        })
        .collect();
    let broken = findings
        .iter()
        .filter(|f| f.code == "MF001" && f.severity == Severity::Error)
        .map(|f| f.path.clone())
        .collect();
    let ids = (0..outcome.sources.len())
        .zip(&outcome.activities)
        .map(|(file, ids)| {
            let ids = ids
                .iter()
                .filter_map(|(_, id)| id.map(|(id, _)| id.to_string()));
            (rel.of(file), ids.collect())
        })
        .collect();
    Side {
        activities,
        findings,
        reported,
        broken,
        ids,
    }
}

/// Each file of a run named relative to a side's root: its canonical path (links resolved)
/// under the root, or the path as it is when not under it. Worked out once a file. A file the
/// run already named relative to the same root (every file with a finding) takes that name;
/// the others are resolved with the directories above them remembered.
struct Relative<'o> {
    outcome: &'o Outcome,
    root: std::path::PathBuf,
    /// The run named its files relative to this root.
    same_root: bool,
    resolved: crate::engine::run::Resolved,
    names: Vec<Option<String>>,
}

impl<'o> Relative<'o> {
    fn new(outcome: &'o Outcome, root: &std::path::Path) -> Relative<'o> {
        let root = crate::engine::run::canonical(root);
        Relative {
            same_root: outcome.root.as_deref() == Some(root.as_path()),
            root,
            outcome,
            resolved: crate::engine::run::Resolved::default(),
            names: vec![None; outcome.sources.len()],
        }
    }

    fn of(&mut self, file: usize) -> String {
        let source = &self.outcome.sources[file];
        let (root, same_root, resolved) = (&self.root, self.same_root, &mut self.resolved);
        self.names[file]
            .get_or_insert_with(|| match source.in_repo() {
                Some(in_repo) if same_root => in_repo.to_string(),
                _ => {
                    let path = source.path();
                    resolved
                        .canonical(path)
                        .strip_prefix(root)
                        .map_or_else(|_| crate::source::slashed(path), crate::source::slashed)
                }
            })
            .clone()
    }
}

/// One change to one activity.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    #[serde(serialize_with = "kind_name")]
    pub kind: Kind,
    pub level: Level,
    /// The activity's id (on the new side; on the old one when it was removed).
    pub activity: String,
    pub name: String,
    pub path: String,
    pub line: usize,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn kind_name<S: serde::Serializer>(k: &Kind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(k.name())
}

/// What happened to a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Introduced,
    Fixed,
    Kept,
}

/// The whole diff.
#[derive(Debug, Serialize)]
pub struct Diff {
    pub base: String,
    pub head: String,
    pub changes: Vec<Change>,
    pub findings: Vec<(Status, Finding)>,
    /// Each new-side activity's purpose, for the catalog's answer next to a changed basis.
    #[serde(skip)]
    pub purposes: BTreeMap<String, String>,
}

/// Where the old side was read, between git states (the paths relative and `/`-separated).
pub struct Reach {
    /// The changed files and those the old side reported on: a new-side finding elsewhere is
    /// one that was already there.
    pub scope: std::collections::HashSet<String>,
    /// The changed manifests, when only they were read on the old side (see [`old_ids`]).
    pub partial: Option<std::collections::HashSet<String>>,
}

impl Reach {
    /// `changed` (relative paths), the old side as linted, and the manifests it was read for
    /// when not all (`partial`).
    pub fn of(
        changed: &[std::path::PathBuf],
        old: &Side,
        partial: Option<&std::collections::HashSet<std::path::PathBuf>>,
    ) -> Reach {
        let slashed = |p: &std::path::PathBuf| crate::source::slashed(p);
        Reach {
            scope: changed
                .iter()
                .map(slashed)
                .chain(old.reported.iter().cloned())
                .collect(),
            partial: partial.map(|p| p.iter().map(slashed).collect()),
        }
    }
}

/// How many changes of each level, and findings of each status, a diff has.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Counts {
    pub review: usize,
    pub info: usize,
    pub none: usize,
    pub introduced: usize,
    pub fixed: usize,
    pub kept: usize,
}

impl Diff {
    /// The counts every output gives.
    pub fn counts(&self) -> Counts {
        let level = |l: Level| self.changes.iter().filter(|c| c.level == l).count();
        let status = |s: Status| self.findings.iter().filter(|(f, _)| *f == s).count();
        Counts {
            review: level(Level::Review),
            info: level(Level::Info),
            none: level(Level::None),
            introduced: status(Status::Introduced),
            fixed: status(Status::Fixed),
            kept: status(Status::Kept),
        }
    }
}

/// Compares two sides. `level` gives each kind its level (`ropa.yaml`'s `diff.levels`, else the
/// default). With `reach` (between git states), the old side was linted only where the change
/// is; see [`statuses`].
pub fn compare(
    base: &Side,
    head: &Side,
    reach: Option<&Reach>,
    lang: Lang,
    (base_label, head_label): (&str, &str),
    level: &dyn Fn(Kind) -> Level,
) -> Diff {
    let partial = reach.and_then(|r| r.partial.as_ref());
    let mut changes = Vec::new();
    let by_id = |side: &Side| -> BTreeMap<String, View> {
        side.activities
            .iter()
            .map(|a| (a.id.clone(), a.clone()))
            .collect()
    };
    let (old, new) = (by_id(base), by_id(head));
    let mut removed: Vec<&View> = old.values().filter(|a| !new.contains_key(&a.id)).collect();
    let mut added: Vec<&View> = new.values().filter(|a| !old.contains_key(&a.id)).collect();
    let push = |changes: &mut Vec<Change>,
                kind: Kind,
                at: &View,
                before: Option<String>,
                after: Option<String>| {
        changes.push(Change {
            kind,
            level: level(kind),
            activity: at.id.clone(),
            name: at.name.clone(),
            path: at.path.clone(),
            line: at.line,
            before,
            after,
        });
    };
    // a new id with the purpose and code of a removed one is that activity renamed
    let mut renamed: Vec<(&View, &View)> = Vec::new();
    added.retain(|a| {
        let same = removed.iter().position(|r| {
            r.purpose == a.purpose && r.code == a.code && (!a.code.is_empty() || r.path == a.path)
        });
        match same {
            Some(i) => {
                renamed.push((removed.remove(i), a));
                false
            }
            None => true,
        }
    });
    for a in &added {
        push(
            &mut changes,
            Kind::ActivityAdded,
            a,
            None,
            Some(a.id.clone()),
        );
    }
    // a manifest that cannot be read any more has not lost its activities: it is one change
    let mut unreadable: BTreeSet<&str> = BTreeSet::new();
    for r in &removed {
        if head.broken.contains(&r.path) {
            if unreadable.insert(&r.path) {
                changes.push(Change {
                    kind: Kind::ManifestUnreadable,
                    level: level(Kind::ManifestUnreadable),
                    activity: String::new(),
                    name: String::new(),
                    path: r.path.clone(),
                    line: 1,
                    before: None,
                    after: None,
                });
            }
            continue;
        }
        push(
            &mut changes,
            Kind::ActivityRemoved,
            r,
            Some(r.id.clone()),
            None,
        );
    }
    for (r, a) in &renamed {
        push(
            &mut changes,
            Kind::ActivityRenamed,
            a,
            Some(r.id.clone()),
            Some(a.id.clone()),
        );
        fields(&mut changes, r, a, &push, lang);
    }
    for (id, a) in &new {
        if let Some(r) = old.get(id) {
            fields(&mut changes, r, a, &push, lang);
        }
    }
    changes.sort_by(|a, b| {
        (a.level, &a.path, a.line, &a.activity, a.kind).cmp(&(
            b.level,
            &b.path,
            b.line,
            &b.activity,
            b.kind,
        ))
    });
    // findings, matched by fingerprint (duplicate ids by counting, see `statuses`)
    let counts = reach.map(|_| (old_ids(base, head, partial), id_counts(head.ids.iter())));
    let duplicate = |f: &Finding| counts.is_some() && f.code == "MF005";
    let new_fp: BTreeSet<&String> = head
        .findings
        .iter()
        .filter(|f| !duplicate(f))
        .map(|f| &f.fingerprint)
        .collect();
    let mut findings: Vec<(Status, Finding)> = statuses(base, head, reach)
        .into_iter()
        .zip(&head.findings)
        .map(|(s, f)| (s, f.clone()))
        .chain(
            base.findings
                .iter()
                .filter(|f| !duplicate(f) && !new_fp.contains(&f.fingerprint))
                .map(|f| (Status::Fixed, f.clone())),
        )
        .collect();
    // a duplicate id the change removed: at the file of its second use, as MF005 reports it
    if let Some((old, new)) = &counts {
        let files = old_files(base, head, partial);
        for (id, n) in old {
            if *n < 2 || new.get(id).copied().unwrap_or(0) >= 2 {
                continue;
            }
            let Some(path) = files.get(id).and_then(|f| f.get(1)) else {
                continue;
            };
            findings.push((
                Status::Fixed,
                Finding {
                    code: "MF005".into(),
                    severity: Severity::Error,
                    path: path.clone(),
                    line: 0,
                    activity: Some(id.clone()),
                    message: t(
                        lang,
                        format!("activity id `{id}` is already used"),
                        format!("l'identifiant d'activité `{id}` est déjà utilisé"),
                    ),
                    fingerprint: crate::render::fnv(&format!("MF005|{path}|{id}")),
                },
            ));
        }
    }
    findings.sort_by(|(sa, a), (sb, b)| {
        (sa, &a.path, a.line, &a.code).cmp(&(sb, &b.path, b.line, &b.code))
    });
    Diff {
        base: base_label.to_string(),
        head: head_label.to_string(),
        changes,
        findings,
        purposes: new
            .values()
            .filter_map(|a| Some((a.id.clone(), a.purpose.clone()?)))
            .collect(),
    }
}

/// What happened to each of the new side's findings (in its order): kept when the old side had
/// it (same fingerprint), or when it is outside the [`Reach`] of the old side; else introduced.
/// Between git states a duplicate id is kept when the id was used twice on the old side already.
pub fn statuses(base: &Side, head: &Side, reach: Option<&Reach>) -> Vec<Status> {
    // between git states, the old side was linted only where the change is, so its duplicate
    // ids are counted rather than compared by fingerprint
    let old = reach.map(|r| old_ids(base, head, r.partial.as_ref()));
    let scope = reach.map(|r| &r.scope);
    let duplicate = |f: &Finding| old.is_some() && f.code == "MF005";
    let old_fp: BTreeSet<&String> = base
        .findings
        .iter()
        .filter(|f| !duplicate(f))
        .map(|f| &f.fingerprint)
        .collect();
    head.findings
        .iter()
        .map(|f| match &old {
            Some(old) if duplicate(f) => {
                let id = f.activity.as_deref().unwrap_or_default();
                if old.get(id).copied().unwrap_or(0) >= 2 {
                    Status::Kept
                } else {
                    Status::Introduced
                }
            }
            _ if scope.is_some_and(|s| !s.contains(&f.path)) => Status::Kept,
            _ if old_fp.contains(&f.fingerprint) => Status::Kept,
            _ => Status::Introduced,
        })
        .collect()
}

/// How many times each id occurs in a list of files' ids.
fn id_counts<'a>(
    files: impl Iterator<Item = &'a (String, Vec<String>)>,
) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for (_, ids) in files {
        for id in ids {
            *out.entry(id.clone()).or_insert(0) += 1;
        }
    }
    out
}

/// The old side's files and their ids. When only the changed manifests were read on the old
/// side (`partial`, relative), the others are taken from the new side, where they are the same.
fn old_files_ids<'a>(
    base: &'a Side,
    head: &'a Side,
    partial: Option<&'a std::collections::HashSet<String>>,
) -> impl Iterator<Item = &'a (String, Vec<String>)> {
    let unchanged = head
        .ids
        .iter()
        .filter(move |(path, _)| partial.is_some_and(|p| !p.contains(path)));
    base.ids.iter().chain(unchanged)
}

/// How many times each id occurred on the old side.
pub fn old_ids(
    base: &Side,
    head: &Side,
    partial: Option<&std::collections::HashSet<String>>,
) -> BTreeMap<String, usize> {
    id_counts(old_files_ids(base, head, partial))
}

/// The files each id was used in on the old side, in path order.
fn old_files(
    base: &Side,
    head: &Side,
    partial: Option<&std::collections::HashSet<String>>,
) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, ids) in old_files_ids(base, head, partial) {
        for id in ids {
            out.entry(id.clone()).or_default().push(path.clone());
        }
    }
    for files in out.values_mut() {
        files.sort();
    }
    out
}

/// A change of kind `kind` when a value differs.
fn value(
    one: &mut dyn FnMut(Kind, Option<String>, Option<String>),
    kind: Kind,
    old: Option<&String>,
    new: Option<&String>,
) {
    if old != new {
        one(kind, old.cloned(), new.cloned());
    }
}

type Push<'a> = dyn Fn(&mut Vec<Change>, Kind, &View, Option<String>, Option<String>) + 'a;

/// The changes between two versions of one activity.
fn fields(changes: &mut Vec<Change>, old: &View, new: &View, push: &Push<'_>, lang: Lang) {
    let mut one = |kind: Kind, before: Option<String>, after: Option<String>| {
        push(changes, kind, new, before, after);
    };
    let one: &mut dyn FnMut(Kind, Option<String>, Option<String>) = &mut one;
    value(one, Kind::ActivityMoved, Some(&old.path), Some(&new.path));
    value(one, Kind::NameChanged, Some(&old.name), Some(&new.name));
    value(
        one,
        Kind::PurposeChanged,
        old.purpose.as_ref(),
        new.purpose.as_ref(),
    );
    value(
        one,
        Kind::LegalBasisChanged,
        old.legal_basis.as_ref(),
        new.legal_basis.as_ref(),
    );
    let sets = |one: &mut dyn FnMut(Kind, Option<String>, Option<String>),
                a: &BTreeSet<String>,
                b: &BTreeSet<String>,
                added: Kind,
                removed: Kind| {
        for x in b.difference(a) {
            one(added, None, Some(x.clone()));
        }
        for x in a.difference(b) {
            one(removed, Some(x.clone()), None);
        }
    };
    sets(
        one,
        &old.special,
        &new.special,
        Kind::SpecialCategoryAdded,
        Kind::SpecialCategoryRemoved,
    );
    sets(
        one,
        &old.categories,
        &new.categories,
        Kind::DataCategoryAdded,
        Kind::DataCategoryRemoved,
    );
    sets(
        one,
        &old.subjects,
        &new.subjects,
        Kind::DataSubjectAdded,
        Kind::DataSubjectRemoved,
    );
    sets(
        one,
        &old.recipients,
        &new.recipients,
        Kind::RecipientAdded,
        Kind::RecipientRemoved,
    );
    for (country, safeguard) in &new.transfers {
        let shown =
            |s: &Option<String>| format!("{country} ({})", s.as_deref().unwrap_or("no safeguard"));
        match old.transfers.get(country) {
            None => one(Kind::TransferAdded, None, Some(shown(safeguard))),
            Some(before) if before != safeguard => {
                let kind = if strength(safeguard.as_deref()) < strength(before.as_deref()) {
                    Kind::SafeguardWeakened
                } else {
                    Kind::SafeguardChanged
                };
                one(kind, Some(shown(before)), Some(shown(safeguard)));
            }
            Some(_) => {}
        }
    }
    for (country, safeguard) in &old.transfers {
        if !new.transfers.contains_key(country) {
            one(
                Kind::TransferRemoved,
                Some(format!(
                    "{country} ({})",
                    safeguard.as_deref().unwrap_or("no safeguard")
                )),
                None,
            );
        }
    }
    let total = |v: &View| v.active.map(|a| v.archive.map_or(a, |r| a.plus(r)));
    match (total(old), total(new)) {
        (Some(a), Some(b)) if b > a => one(
            Kind::RetentionLengthened,
            Some(words(old, lang)),
            Some(words(new, lang)),
        ),
        (Some(a), Some(b)) if b < a => one(
            Kind::RetentionShortened,
            Some(words(old, lang)),
            Some(words(new, lang)),
        ),
        (None, Some(_)) => one(
            Kind::RetentionShortened,
            Some(words(old, lang)),
            Some(words(new, lang)),
        ),
        (Some(_), None) => one(
            Kind::RetentionLengthened,
            Some(words(old, lang)),
            Some(words(new, lang)),
        ),
        _ => {}
    }
    match (old.archive, new.archive) {
        (None, Some(b)) => one(Kind::ArchiveAdded, None, Some(b.words(lang))),
        (Some(a), None) => one(Kind::ArchiveRemoved, Some(a.words(lang)), None),
        _ => {}
    }
    let dpia = |d: Option<bool>| match d {
        None => t(lang, "not recorded", "non renseignée"),
        Some(true) => t(lang, "required", "requise"),
        Some(false) => t(lang, "not required", "non requise"),
    };
    match (old.dpia, new.dpia) {
        (Some(true), Some(false) | None) => one(
            Kind::DpiaTurnedOff,
            Some(dpia(old.dpia)),
            Some(dpia(new.dpia)),
        ),
        (Some(false) | None, Some(true)) => one(
            Kind::DpiaTurnedOn,
            Some(dpia(old.dpia)),
            Some(dpia(new.dpia)),
        ),
        (None, Some(false)) | (Some(false), None) => one(
            Kind::DpiaReferenceChanged,
            Some(dpia(old.dpia)),
            Some(dpia(new.dpia)),
        ),
        _ => {}
    }
    value(
        one,
        Kind::DpiaReferenceChanged,
        old.dpia_reference.as_ref(),
        new.dpia_reference.as_ref(),
    );
    for (rule, (why, by)) in &new.deviations {
        let shown = format!("{rule}: {why} ({by})");
        match old.deviations.get(rule) {
            None => one(Kind::DeviationAdded, None, Some(shown)),
            Some((w, b)) if w != why || b != by => one(
                Kind::DeviationChanged,
                Some(format!("{rule}: {w} ({b})")),
                Some(shown),
            ),
            Some(_) => {}
        }
    }
    for (rule, (why, by)) in &old.deviations {
        if !new.deviations.contains_key(rule) {
            one(
                Kind::DeviationRemoved,
                Some(format!("{rule}: {why} ({by})")),
                None,
            );
        }
    }
    value(
        one,
        Kind::ControllerChanged,
        old.controller.as_ref(),
        new.controller.as_ref(),
    );
    if old.code != new.code {
        one(
            Kind::CodeChanged,
            Some(old.code.join(", ")),
            Some(new.code.join(", ")),
        );
    }
}

/// How strong a transfer safeguard is, to tell a weakened one: none < derogation/other <
/// contractual (SCC, BCR) < adequacy.
fn strength(s: Option<&str>) -> u8 {
    match s {
        None => 0,
        Some("derogation" | "other") => 1,
        Some("scc" | "bcr") => 2,
        Some("adequacy") => 3,
        Some(_) => 1,
    }
}

/// A retention in words: `3 years, archive 7 years`, or `not set`.
fn words(v: &View, lang: Lang) -> String {
    match (v.active, v.archive) {
        (Some(a), Some(r)) => format!(
            "{} + {} {}",
            a.words(lang),
            crate::i18n::s(lang, "archive", "archive"),
            r.words(lang)
        ),
        (Some(a), None) => a.words(lang),
        (None, _) => t(lang, "not set", "non fixée"),
    }
}

/// The title of a kind of change, for people.
pub fn title(kind: Kind, lang: Lang) -> String {
    let (en, fr) = match kind {
        Kind::ManifestUnreadable => (
            "manifest can no longer be read: its activities cannot be compared",
            "manifeste illisible : ses activités ne peuvent pas être comparées",
        ),
        Kind::ActivityAdded => ("new activity", "nouvelle activité"),
        Kind::ActivityRemoved => ("activity removed", "activité supprimée"),
        Kind::ActivityRenamed => ("activity renamed", "activité renommée"),
        Kind::ActivityMoved => ("manifest moved", "manifeste déplacé"),
        Kind::PurposeChanged => ("purpose changed", "finalité modifiée"),
        Kind::LegalBasisChanged => ("legal basis changed", "base légale modifiée"),
        Kind::SpecialCategoryAdded => ("special category added", "donnée sensible ajoutée"),
        Kind::SpecialCategoryRemoved => ("special category removed", "donnée sensible retirée"),
        Kind::DataCategoryAdded => ("data category added", "catégorie de données ajoutée"),
        Kind::DataCategoryRemoved => ("data category removed", "catégorie de données retirée"),
        Kind::DataSubjectAdded => ("data subjects added", "personnes concernées ajoutées"),
        Kind::DataSubjectRemoved => ("data subjects removed", "personnes concernées retirées"),
        Kind::RecipientAdded => ("recipient added", "destinataire ajouté"),
        Kind::RecipientRemoved => ("recipient removed", "destinataire retiré"),
        Kind::TransferAdded => ("new transfer outside the EEA", "nouveau transfert hors EEE"),
        Kind::SafeguardWeakened => (
            "transfer safeguard weakened",
            "garantie de transfert affaiblie",
        ),
        Kind::SafeguardChanged => (
            "transfer safeguard changed",
            "garantie de transfert modifiée",
        ),
        Kind::TransferRemoved => ("transfer removed", "transfert supprimé"),
        Kind::RetentionLengthened => ("retention lengthened", "conservation allongée"),
        Kind::RetentionShortened => ("retention shortened", "conservation raccourcie"),
        Kind::ArchiveAdded => ("archive period added", "archivage ajouté"),
        Kind::ArchiveRemoved => ("archive period removed", "archivage supprimé"),
        Kind::DpiaTurnedOff => ("DPIA no longer required", "AIPD plus requise"),
        Kind::DpiaTurnedOn => ("DPIA now required", "AIPD désormais requise"),
        Kind::DpiaReferenceChanged => ("DPIA record changed", "AIPD : mention modifiée"),
        Kind::DeviationAdded => (
            "new deviation from the catalog",
            "nouvelle dérogation au catalogue",
        ),
        Kind::DeviationChanged => ("deviation changed", "dérogation modifiée"),
        Kind::DeviationRemoved => ("deviation removed", "dérogation supprimée"),
        Kind::ControllerChanged => ("controller changed", "responsable de traitement modifié"),
        Kind::CodeChanged => ("code covered changed", "code couvert modifié"),
        Kind::NameChanged => ("name changed", "nom modifié"),
    };
    t(lang, en, fr)
}
