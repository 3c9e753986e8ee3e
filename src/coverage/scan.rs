//! The coverage pass: the walk hands over the files that can hold personal-data fields or
//! processor SDKs; each is read under the read policy, its fields and dependencies found, and the
//! result matched against the manifests' activities.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::deps::{self, Dep};
use super::fields::{self, Field};
use super::vendors::{Catalog, Vendor};
use super::words::{self, Category};
use crate::config::Settings;
use crate::diag::{Problem, Severity};
use crate::engine::Outcome;
use crate::engine::read::{self, Policy};
use crate::i18n::{Lang, t};
use crate::manifest::model::Activity;
use crate::source::{Source, Span, display_path, slashed};

/// The largest dependency file or data definition read (lockfiles run to megabytes).
pub const MAX_CANDIDATE_BYTES: u64 = 16 * 1024 * 1024;

/// One file read for coverage.
#[derive(Debug)]
pub struct Scanned {
    pub source: Source,
    /// Relative to the repository's root, `/`-separated.
    pub rel: String,
    pub fields: Vec<Field>,
    /// Dependencies that belong to a vendor of the catalog, with the vendor's index.
    pub vendors: Vec<(Dep, usize)>,
}

/// What the walk found, read.
#[derive(Debug, Default)]
pub struct Scan {
    pub files: Vec<Scanned>,
    /// Files that could not be read (too large, not UTF-8, a link out of the repository): said,
    /// never skipped in silence.
    pub problems: Vec<Problem>,
}

/// Whether the walk should hand a file over for coverage.
pub fn wanted(path: &Path, name: &std::ffi::OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    deps::reader(name).is_some()
        || fields::kind(&path.to_string_lossy().replace('\\', "/")).is_some()
}

/// Walks `paths` for candidate files and reads them (the manifests themselves are linted by
/// the engine; the walk here applies the same ignore files and `exclude` globs).
pub fn scan(paths: &[PathBuf], settings: &Settings, vendors: &Catalog) -> Scan {
    let found = std::sync::Mutex::new(Vec::new());
    let sink = |p: PathBuf| {
        found.lock().map(|mut v| v.push(p)).ok();
    };
    let walk =
        crate::engine::discover::stream_with(paths, settings, &|_| {}, Some((&wanted, &sink)));
    let mut candidates = found.into_inner().unwrap_or_default();
    candidates.sort();
    candidates.dedup();
    let root = std::path::absolute(crate::engine::repo_root(&settings.root)).unwrap_or_default();
    let policy = Policy::within(
        &crate::engine::repo_root(&settings.root),
        MAX_CANDIDATE_BYTES,
    );
    let lang = settings.lang.value;
    // a directory's manifest says which dependencies are for development: its lockfile is not
    // read beside it
    let with_manifest: std::collections::HashSet<PathBuf> = candidates
        .iter()
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            deps::reader(name).is_some_and(|(_, lock, _)| !lock)
        })
        .filter_map(|p| p.parent().map(|d| d.join(lock_family(p))))
        .collect();
    let mut scan = Scan {
        problems: walk.problems,
        ..Scan::default()
    };
    for path in candidates {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        if let Some((_, true, _)) = deps::reader(&name)
            && path
                .parent()
                .is_some_and(|d| with_manifest.contains(&d.join(lock_family(&path))))
        {
            continue;
        }
        let text = match read::text(&path, &policy) {
            Ok(text) => text,
            Err(e) => {
                scan.problems.push(
                    Problem::new(
                        crate::diag::ProblemKind::Unread,
                        t(
                            lang,
                            format!("not scanned for coverage: {}", e.message(lang)),
                            format!("non analysé pour la couverture : {}", e.message(lang)),
                        ),
                    )
                    .on(display_path(&path)),
                );
                continue;
            }
        };
        let abs = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
        let rel = abs
            .strip_prefix(&root)
            .map(slashed)
            .unwrap_or_else(|_| slashed(&path));
        let source = Source::new(display_path(&path), path.clone(), text);
        let fields = fields::kind(&rel)
            .map(|k| fields::read(k, &source))
            .unwrap_or_default();
        let found_vendors: Vec<(Dep, usize)> = deps::read(&name, &source.text)
            .into_iter()
            .filter_map(|d| {
                let v = vendors.vendor_of(d.ecosystem, &d.name)?;
                let i = vendors.vendors.iter().position(|x| x.id == v.id)?;
                Some((d, i))
            })
            .collect();
        if fields.is_empty() && found_vendors.is_empty() {
            continue;
        }
        let mut source = source;
        source.in_repo = Some(rel.clone());
        scan.files.push(Scanned {
            source,
            rel,
            fields,
            vendors: found_vendors,
        });
    }
    scan
}

/// The ecosystem a dependency file belongs to, as a key shared by a manifest and its lockfiles.
fn lock_family(path: &Path) -> &'static str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match deps::reader(name).map(|(e, _, _)| e) {
        Some(super::vendors::Ecosystem::Npm) => ".npm",
        Some(super::vendors::Ecosystem::Pypi) => ".pypi",
        Some(super::vendors::Ecosystem::Go) => ".go",
        Some(super::vendors::Ecosystem::Cargo) => ".cargo",
        Some(super::vendors::Ecosystem::Gem) => ".gem",
        Some(super::vendors::Ecosystem::Composer) => ".composer",
        Some(super::vendors::Ecosystem::Maven) => ".maven",
        None => ".none",
    }
}

/// A place in a file, for the report.
#[derive(Clone, Debug, Serialize)]
pub struct Place {
    pub path: String,
    pub line: usize,
    pub column: usize,
}

fn place(source: &Source, span: Span) -> Place {
    let p = source.position(span.start);
    Place {
        path: source
            .in_repo
            .clone()
            .unwrap_or_else(|| source.display.clone()),
        line: p.line,
        column: p.column,
    }
}

/// One coverage finding.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// `uncovered`, `undeclared`, `vendor-not-recipient`, `vendor-transfer`, `not-seen`.
    pub kind: &'static str,
    pub level: Severity,
    pub message: String,
    #[serde(flatten)]
    pub at: Place,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Place>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
}

/// A file with personal data, as the report shows it.
#[derive(Clone, Debug, Serialize)]
pub struct FileRow {
    pub path: String,
    pub categories: Vec<Category>,
    pub fields: Vec<FieldRow>,
    pub covered_by: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FieldRow {
    pub name: String,
    pub category: Category,
    pub line: usize,
    pub column: usize,
}

/// A vendor found in the dependencies.
#[derive(Clone, Debug, Serialize)]
pub struct VendorRow {
    pub vendor: String,
    pub name: String,
    pub package: String,
    #[serde(flatten)]
    pub at: Place,
    pub location: Option<String>,
    pub transfer: Option<String>,
    pub evidence: String,
    pub privacy: String,
    pub named_by: Vec<String>,
}

/// The coverage report.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub summary: Summary,
    pub files: Vec<FileRow>,
    pub vendors: Vec<VendorRow>,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// Files in which personal data fields were found.
    pub files_with_personal_data: usize,
    /// Of those, files that an activity's `code:` covers.
    pub covered: usize,
    /// Vendor SDKs found in the dependencies.
    pub vendors: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

/// An activity, where it is, and what its `code:` globs match.
struct Act<'a> {
    activity: &'a Activity,
    source: &'a Source,
    dir: PathBuf,
    globs: Vec<globset::GlobMatcher>,
}

impl Act<'_> {
    fn label(&self) -> String {
        self.activity.id_str().map_or_else(
            || format!("{}#{}", self.source.display, self.activity.index + 1),
            str::to_string,
        )
    }

    fn covers(&self, file: &Path) -> bool {
        let file = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let Ok(rel) = file.strip_prefix(&self.dir) else {
            return false;
        };
        let rel = slashed(rel);
        self.globs.iter().any(|g| g.is_match(&rel))
    }

    fn names_vendor(&self, v: &Vendor) -> bool {
        let id = v.id.to_lowercase();
        let name = v.name.to_lowercase();
        let first = name.split([' ', '(']).next().unwrap_or(&name).to_string();
        self.activity.recipients.iter().any(|r| {
            let r = r.value.to_lowercase();
            r.contains(&id) || r.contains(&name) || (first.len() > 2 && r.contains(&first))
        })
    }

    fn transfer_with_safeguard(&self) -> bool {
        self.activity
            .transfers
            .iter()
            .any(|tr| tr.safeguard.is_some())
    }
}

/// Matches the scan against the manifests.
pub fn analyse(outcome: &Outcome, scan: &Scan, vendors: &Catalog, lang: Lang) -> Report {
    let mut acts: Vec<Act<'_>> = Vec::new();
    for (source, manifest) in outcome.sources.iter().zip(&outcome.manifests) {
        let dir = std::path::absolute(crate::source::dir_of(&source.path)).unwrap_or_default();
        for activity in &manifest.activities {
            let globs = activity
                .code
                .iter()
                .filter_map(|g| crate::manifest::glob(&g.value).ok())
                .map(|g| g.compile_matcher())
                .collect();
            acts.push(Act {
                activity,
                source,
                dir: dir.clone(),
                globs,
            });
        }
    }
    let mut report = Report::default();
    // what each activity's covered files show, for the notes on declared categories
    let mut seen: Vec<std::collections::BTreeSet<Category>> = vec![Default::default(); acts.len()];
    let mut scanned_any: Vec<bool> = vec![false; acts.len()];
    for file in &scan.files {
        if !file.fields.is_empty() {
            let covering: Vec<usize> = (0..acts.len())
                .filter(|&i| acts[i].covers(&file.source.path))
                .collect();
            let mut categories: Vec<Category> = file.fields.iter().map(|f| f.category).collect();
            categories.sort();
            categories.dedup();
            for &i in &covering {
                scanned_any[i] = true;
                seen[i].extend(categories.iter().copied());
            }
            report.summary.files_with_personal_data += 1;
            if !covering.is_empty() {
                report.summary.covered += 1;
            }
            report.files.push(FileRow {
                path: file.rel.clone(),
                categories: categories.clone(),
                fields: file
                    .fields
                    .iter()
                    .map(|f| {
                        let p = file.source.position(f.span.start);
                        FieldRow {
                            name: f.name.clone(),
                            category: f.category,
                            line: p.line,
                            column: p.column,
                        }
                    })
                    .collect(),
                covered_by: covering.iter().map(|&i| acts[i].label()).collect(),
            });
            if covering.is_empty() {
                let first = &file.fields[0];
                let list = categories
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                report.findings.push(Finding {
                    kind: "uncovered",
                    level: Severity::Warning,
                    message: t(
                        lang,
                        format!("personal data ({list}) in a file that no activity's `code:` covers"),
                        format!("données personnelles ({list}) dans un fichier qu'aucun `code:` d'activité ne couvre"),
                    ),
                    at: place(&file.source, first.span),
                    related: Vec::new(),
                    activity: None,
                });
                continue;
            }
            // categories none of the covering activities declares
            for category in &categories {
                let declared = covering
                    .iter()
                    .any(|&i| declares(acts[i].activity, *category));
                if declared {
                    continue;
                }
                let act = &acts[covering[0]];
                let field = file
                    .fields
                    .iter()
                    .find(|f| f.category == *category)
                    .expect("seen");
                let special = category.special().is_some();
                let (key, at) = if special {
                    (
                        "special_categories",
                        act.activity.special_categories.first().map(|c| c.span),
                    )
                } else {
                    (
                        "data_categories",
                        act.activity.data_categories.first().map(|c| c.span),
                    )
                };
                report.findings.push(Finding {
                    kind: "undeclared",
                    level: if special { Severity::Error } else { Severity::Warning },
                    message: t(
                        lang,
                        format!(
                            "`{}` holds {} data, which activity `{}` does not declare in `{key}`",
                            field.name,
                            category.as_str(),
                            act.label()
                        ),
                        format!(
                            "`{}` contient des données « {} », que l'activité `{}` ne déclare pas dans `{key}`",
                            field.name,
                            category.as_str(),
                            act.label()
                        ),
                    ),
                    at: place(act.source, at.unwrap_or(act.activity.head)),
                    related: vec![place(&file.source, field.span)],
                    activity: Some(act.label()),
                });
            }
        }
        // vendors: named in `recipients` by an activity of a manifest at, above or below the
        // dependency file's directory
        for (dep, i) in &file.vendors {
            let v = &vendors.vendors[*i];
            let dir =
                std::path::absolute(crate::source::dir_of(&file.source.path)).unwrap_or_default();
            let near: Vec<usize> = (0..acts.len())
                .filter(|&a| dir.starts_with(&acts[a].dir) || acts[a].dir.starts_with(&dir))
                .collect();
            let naming: Vec<usize> = near
                .iter()
                .copied()
                .filter(|&a| acts[a].names_vendor(v))
                .collect();
            let at = place(&file.source, dep.span);
            report.vendors.push(VendorRow {
                vendor: v.id.clone(),
                name: v.name.clone(),
                package: dep.name.clone(),
                at: at.clone(),
                location: v.location.clone(),
                transfer: v.transfer.clone(),
                evidence: v.evidence.clone(),
                privacy: v.privacy.clone(),
                named_by: naming.iter().map(|&a| acts[a].label()).collect(),
            });
            if naming.is_empty() {
                report.findings.push(Finding {
                    kind: "vendor-not-recipient",
                    level: Severity::Warning,
                    message: t(
                        lang,
                        format!(
                            "`{}` is {}'s SDK ({}), and no activity near this file names {} in `recipients`",
                            dep.name, v.name, v.service, v.name
                        ),
                        format!(
                            "`{}` est le SDK de {} ({}), et aucune activité proche de ce fichier ne nomme {} dans `recipients`",
                            dep.name, v.name, v.service, v.name
                        ),
                    ),
                    at: at.clone(),
                    related: Vec::new(),
                    activity: None,
                });
                continue;
            }
            // a vendor outside the EEA, per the catalog (unverified: a warning at most)
            match v.outside_eea() {
                Some(false) => {}
                Some(true) => {
                    for &a in &naming {
                        if !acts[a].transfer_with_safeguard() {
                            report.findings.push(Finding {
                                kind: "vendor-transfer",
                                level: Severity::Warning,
                                message: t(
                                    lang,
                                    format!(
                                        "activity `{}` sends data to {}, which the vendor catalog places in {} (unverified: check its DPA, {}), and declares no transfer with a safeguard",
                                        acts[a].label(), v.name, v.location.as_deref().unwrap_or("?"), v.privacy
                                    ),
                                    format!(
                                        "l'activité `{}` transmet des données à {}, que le catalogue des fournisseurs situe en {} (non vérifié : consultez son DPA, {}), et ne déclare aucun transfert avec garantie",
                                        acts[a].label(), v.name, v.location.as_deref().unwrap_or("?"), v.privacy
                                    ),
                                ),
                                at: place(acts[a].source, acts[a].activity.head),
                                related: vec![at.clone()],
                                activity: Some(acts[a].label()),
                            });
                        }
                    }
                }
                None => report.findings.push(Finding {
                    kind: "vendor-transfer",
                    level: Severity::Note,
                    message: t(
                        lang,
                        format!(
                            "the vendor catalog does not know where {} processes data: check its DPA ({}) for a transfer outside the EEA",
                            v.name, v.privacy
                        ),
                        format!(
                            "le catalogue des fournisseurs ne sait pas où {} traite les données : vérifiez dans son DPA ({}) s'il y a un transfert hors de l'EEE",
                            v.name, v.privacy
                        ),
                    ),
                    at: at.clone(),
                    related: Vec::new(),
                    activity: None,
                }),
            }
        }
    }
    // declared categories never seen in the covered definitions (only where some were read)
    for (i, act) in acts.iter().enumerate() {
        if !scanned_any[i] {
            continue;
        }
        for declared in &act.activity.data_categories {
            let Some(category) = Category::ALL_PLAIN
                .iter()
                .copied()
                .find(|c| words::declares(std::slice::from_ref(&declared.value), *c))
            else {
                continue;
            };
            if seen[i].contains(&category) {
                continue;
            }
            report.findings.push(Finding {
                kind: "not-seen",
                level: Severity::Note,
                message: t(
                    lang,
                    format!(
                        "`{}` is declared, and no data definition that `code:` covers has a {} field",
                        declared.value,
                        category.as_str()
                    ),
                    format!(
                        "`{}` est déclaré, et aucune définition de données couverte par `code:` n'a de champ « {} »",
                        declared.value,
                        category.as_str()
                    ),
                ),
                at: place(act.source, declared.span),
                related: Vec::new(),
                activity: Some(act.label()),
            });
        }
    }
    report.summary.vendors = report.vendors.len();
    report.findings.sort_by(|a, b| {
        (&a.at.path, a.at.line, a.at.column, a.kind, &a.message).cmp(&(
            &b.at.path,
            b.at.line,
            b.at.column,
            b.kind,
            &b.message,
        ))
    });
    for f in &report.findings {
        match f.level {
            Severity::Error => report.summary.errors += 1,
            Severity::Warning => report.summary.warnings += 1,
            Severity::Note => report.summary.notes += 1,
        }
    }
    report
}

/// Whether an activity declares a category: special ones in `special_categories`, the others
/// in `data_categories`.
fn declares(a: &Activity, c: Category) -> bool {
    match c.special() {
        Some(s) => a.special_categories.iter().any(|x| x.value == s),
        None => {
            let declared: Vec<String> = a.data_categories.iter().map(|d| d.value.clone()).collect();
            words::declares(&declared, c)
        }
    }
}
