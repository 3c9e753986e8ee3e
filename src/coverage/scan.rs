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
use crate::diag::{Diagnostic, Problem, RuleId, Severity};
use crate::engine::read::{self, Policy};
use crate::i18n::{Lang, t};
use crate::manifest::model::Activity;
use crate::source::{Source, Span, display_path, slashed};

/// The largest dependency file or data definition read (lockfiles run to megabytes).
pub const MAX_CANDIDATE_BYTES: u64 = 16 * 1024 * 1024;

/// One file read for coverage.
#[derive(Debug)]
pub struct Scanned {
    /// Its text is let go once read, when the renderers can read it again (see
    /// [`Scanned::position`]).
    pub source: Source,
    /// The position of every field and dependency, by byte offset.
    positions: Vec<(usize, crate::source::Position)>,
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
    if deps::reader(name).is_some() {
        return true;
    }
    // most files are rejected on their extension alone, without building their path
    const KINDS: &[&str] = &[
        "sql", "prisma", "proto", "graphql", "graphqls", "gql", "py", "ts", "js", "mts", "cts",
        "mjs", "cjs", "yaml", "yml", "json",
    ];
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    KINDS.iter().any(|k| ext.eq_ignore_ascii_case(k))
        && fields::kind(&path.to_string_lossy().replace('\\', "/")).is_some()
}

/// Reads the candidate files the walk handed over (sorted here) and finds their fields and
/// vendors. A dependency file's lockfiles are not read beside it (it says which dependencies
/// are for development).
pub fn read_candidates(
    mut candidates: Vec<PathBuf>,
    settings: &Settings,
    vendors: &Catalog,
) -> Scan {
    candidates.sort();
    candidates.dedup();
    let repository = crate::engine::repo_root(&settings.root);
    let policy = Policy::within(&repository, MAX_CANDIDATE_BYTES);
    let root = crate::source::absolute(repository).unwrap_or_default();
    let lang = settings.lang.value;
    let reread_limit = settings.max_file_size.value;
    let exclude = settings.coverage_exclude_set();
    let with_manifest: std::collections::HashSet<PathBuf> = candidates
        .iter()
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            deps::reader(name).is_some_and(|(_, lock, _)| !lock)
        })
        .filter_map(|p| p.parent().map(|d| d.join(lock_family(p))))
        .collect();
    candidates.retain(|path| {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let lock_beside_manifest = matches!(deps::reader(name), Some((_, true, _)))
            && path
                .parent()
                .is_some_and(|d| with_manifest.contains(&d.join(lock_family(path))));
        let opted_out =
            !exclude.is_empty() && settings.relative(path).is_some_and(|r| exclude.is_match(r));
        !lock_beside_manifest && !opted_out
    });
    // read and searched on every core, put back in path order
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let chunk = candidates.len().div_ceil(threads).max(1);
    // each thread keeps only the files with something found (most have nothing), and the
    // lists are joined at their final size
    let parts: Vec<Vec<Result<Scanned, Problem>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = candidates
            .chunks(chunk)
            .map(|paths| {
                let (policy, root) = (&policy, &root);
                scope.spawn(move || {
                    paths
                        .iter()
                        .filter_map(|p| {
                            read_one(p, policy, root, vendors, lang, reread_limit).transpose()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut scan = Scan::default();
    scan.files
        .reserve_exact(parts.iter().flatten().filter(|r| r.is_ok()).count());
    for r in parts.into_iter().flatten() {
        match r {
            Ok(file) => scan.files.push(file),
            Err(problem) => scan.problems.push(problem),
        }
    }
    scan
}

fn read_one(
    path: &Path,
    policy: &Policy,
    root: &Path,
    vendors: &Catalog,
    lang: Lang,
    reread_limit: u64,
) -> Result<Option<Scanned>, Problem> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_string();
    let text = read::text(path, policy).map_err(|e| {
        Problem::new(
            crate::diag::ProblemKind::Unread,
            t(
                lang,
                format!("not scanned for coverage: {}", e.message(lang)),
                format!("non analysé pour la couverture : {}", e.message(lang)),
            ),
        )
        .on(display_path(path))
    })?;
    let abs = crate::source::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let rel = abs
        .strip_prefix(root)
        .map(slashed)
        .unwrap_or_else(|_| slashed(path));
    let mut source = Source::new(display_path(path), path.to_path_buf(), text);
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
        // nothing found: say so when it is because the file could not be parsed
        let broken = deps::json_error(&name, &source.text).or_else(|| {
            (fields::kind(&rel) == Some(fields::Kind::Schema))
                .then(|| crate::yaml::parse(&source).err())
                .flatten()
                .map(|e| {
                    let p = source.position(e.span.start);
                    format!("{} (line {}, column {})", e.message, p.line, p.column)
                })
        });
        if let Some(why) = broken {
            return Err(Problem::new(
                crate::diag::ProblemKind::Unread,
                t(
                    lang,
                    format!("not scanned for coverage: {why}"),
                    format!("non analysé pour la couverture : {why}"),
                ),
            )
            .on(display_path(path)));
        }
        return Ok(None);
    }
    source.in_repo = Some(rel.clone());
    let mut positions: Vec<_> = fields
        .iter()
        .map(|f| f.span.start)
        .chain(found_vendors.iter().map(|(d, _)| d.span.start))
        .map(|at| (at, source.position(at)))
        .collect();
    positions.sort_unstable();
    positions.dedup();
    // the findings and the table need only these positions; a renderer reads the text again,
    // under the report's read policy, if it can (a file over that policy's limit keeps it)
    if source.text.len() as u64 <= reread_limit {
        source.forget();
    }
    Ok(Some(Scanned {
        source,
        positions,
        rel,
        fields,
        vendors: found_vendors,
    }))
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

impl Scanned {
    /// The position of a field's or a dependency's span, kept when the file was read.
    fn position(&self, span: Span) -> crate::source::Position {
        match self.positions.binary_search_by_key(&span.start, |p| p.0) {
            Ok(i) => self.positions[i].1,
            Err(_) => self.source.position(span.start),
        }
    }

    fn place(&self, span: Span) -> Place {
        let p = self.position(span);
        Place {
            path: self
                .source
                .in_repo
                .clone()
                .unwrap_or_else(|| self.source.display.clone()),
            line: p.line,
            column: p.column,
        }
    }
}

/// A file a finding is in: a manifest (its index in the run's file list) or a scanned file (its
/// index in [`Scan::files`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileRef {
    Manifest(usize),
    Scanned(usize),
}

/// A coverage finding, before it is a diagnostic.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    pub message: String,
    pub label: String,
    pub help: String,
    pub file: FileRef,
    pub span: Span,
    /// A place in a scanned file, with what it is, and its text (`path:line:col`).
    pub related: Option<(usize, Span, String)>,
    pub activity: Option<(usize, Option<String>)>,
    /// The finding rests on the GDPR (art. 9, chapter V): it cites it.
    pub gdpr: bool,
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

/// What coverage found, for `ropa coverage`, the summaries and the register.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Table {
    pub summary: Summary,
    /// For each activity (by [`label`]), the processors whose SDKs are in the dependencies in,
    /// above or below its manifest's directory: the register's column.
    #[serde(skip)]
    pub detected: std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    /// Where the code files a finding points into start in the run's file list.
    #[serde(skip)]
    pub first_code_file: usize,
    pub files: Vec<FileRow>,
    pub vendors: Vec<VendorRow>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files in which personal data fields were found.
    pub files_with_personal_data: usize,
    /// Of those, files that an activity's `code:` covers.
    pub covered: usize,
    /// Vendor SDKs found in the dependencies.
    pub vendors: usize,
}

/// A text coverage keeps of every activity, shared between the activities that write it alike
/// (`identity`, `src/**`, `stripe`): a large repository repeats its words.
pub type Text = std::sync::Arc<str>;

/// One copy of each text, for the whole run (every worker shares it).
#[derive(Debug, Default)]
pub struct Interner(std::sync::Mutex<std::collections::HashSet<Text>>);

impl Interner {
    pub fn get(&self, s: &str) -> Text {
        let mut set = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(t) = set.get(s) {
            return t.clone();
        }
        let t: Text = s.into();
        set.insert(t.clone());
        t
    }
}

/// Compiled `code:` globs, by their text (`None`: not a valid glob, MF004 says so).
type Globs = std::collections::HashMap<String, Option<globset::GlobMatcher>>;

/// What coverage needs of an activity (kept from each manifest while the others are let go).
#[derive(Clone, Debug)]
pub struct ActCover {
    /// The manifest's index in the run's file list (set when the run is assembled).
    pub file: usize,
    pub index: usize,
    pub id: Option<Box<str>>,
    /// The manifest's directory, absolute (shared by the manifest's activities).
    pub dir: std::sync::Arc<Path>,
    pub head: Span,
    /// The `code:` globs (their spans unused), then `data_categories`, then `recipients`
    /// (lowercase), with their spans: one list an activity, split at `globs` and `categories`.
    texts: Box<[(Text, Span)]>,
    globs: u32,
    categories: u32,
    /// `special_categories`, one bit each.
    special: u32,
    pub special_span: Option<Span>,
    pub transfer_with_safeguard: bool,
    /// The manifest as shown, for a label when the activity has no id (shared).
    pub shown: std::sync::Arc<str>,
}

impl ActCover {
    /// What coverage keeps of a manifest's activities: boxed slices without spare capacity,
    /// the directory and the manifest's name shared (a large repository has one per activity).
    pub fn of_all(activities: &[Activity], source: &Source, texts: &Interner) -> Vec<ActCover> {
        let dir: std::sync::Arc<Path> =
            crate::source::absolute(crate::source::dir_of(&source.path))
                .unwrap_or_default()
                .into();
        let shown: std::sync::Arc<str> = source.display.as_str().into();
        activities
            .iter()
            .map(|activity| {
                let globs = activity
                    .code
                    .iter()
                    .map(|g| (texts.get(&g.value), Span::default()));
                let categories = activity
                    .data_categories
                    .iter()
                    .map(|c| (texts.get(&c.value), c.span));
                let recipients = activity
                    .recipients
                    .iter()
                    .map(|r| (texts.get(&r.value.to_lowercase()), r.span));
                let n = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
                ActCover {
                    file: 0,
                    index: activity.index,
                    id: activity.id_str().map(Into::into),
                    dir: dir.clone(),
                    head: activity.head,
                    globs: n(activity.code.len()),
                    categories: n(activity.data_categories.len()),
                    texts: globs.chain(categories).chain(recipients).collect(),
                    special: activity
                        .special_categories
                        .iter()
                        .fold(0, |bits, c| bits | 1 << (c.value as u32)),
                    special_span: activity.special_categories.first().map(|c| c.span),
                    transfer_with_safeguard: activity
                        .transfers
                        .iter()
                        .any(|tr| tr.safeguard.is_some()),
                    shown: shown.clone(),
                }
            })
            .collect()
    }

    /// The `code:` globs.
    fn globs(&self) -> impl Iterator<Item = &str> {
        self.texts[..self.globs as usize].iter().map(|(g, _)| &**g)
    }

    /// `data_categories`, with their spans.
    fn data_categories(&self) -> &[(Text, Span)] {
        let start = self.globs as usize;
        &self.texts[start..start + self.categories as usize]
    }

    /// `recipients`, lowercase, with their spans.
    fn recipients(&self) -> &[(Text, Span)] {
        &self.texts[(self.globs + self.categories) as usize..]
    }

    fn id(&self) -> Option<String> {
        self.id.as_deref().map(str::to_string)
    }

    fn label(&self) -> String {
        label(self.id.as_deref(), &self.shown, self.index)
    }

    /// Whether a `code:` glob matches a file (an absolute path); globs are compiled once per
    /// run, in `cache`.
    fn covers(&self, file: &Path, cache: &mut Globs) -> bool {
        let Ok(rel) = file.strip_prefix(&self.dir) else {
            return false;
        };
        let rel = slashed(rel);
        self.globs().any(|g| {
            cache
                .entry(g.to_string())
                .or_insert_with(|| crate::manifest::glob(g).ok().map(|g| g.compile_matcher()))
                .as_ref()
                .is_some_and(|m| m.is_match(&rel))
        })
    }

    /// The `recipients` entry that names a vendor, if one does.
    fn names_vendor(&self, v: &Vendor) -> Option<Span> {
        let id = v.id.to_lowercase();
        let name = v.name.to_lowercase();
        let first = name.split([' ', '(']).next().unwrap_or(&name).to_string();
        self.recipients()
            .iter()
            .find(|(r, _)| {
                r.contains(&id) || r.contains(&name) || (first.len() > 2 && r.contains(&first))
            })
            .map(|(_, span)| *span)
    }

    /// Whether the activity declares a category: special ones in `special_categories`, the
    /// others in `data_categories`.
    fn declares(&self, c: Category) -> bool {
        match c.special() {
            Some(s) => self.special & 1 << (s as u32) != 0,
            None => words::declares(self.data_categories().iter().map(|d| &*d.0), c),
        }
    }
}

/// How coverage names an activity: its id, or its manifest and position when it has none.
pub fn label(id: Option<&str>, manifest: &str, index: usize) -> String {
    id.map_or_else(|| format!("{manifest}#{}", index + 1), str::to_string)
}

/// Matches the scan against the activities: the table and the findings (CV001-CV005). Without
/// `rows`, the table has only its numbers (a lint needs no more, and the rows grow with the
/// repository).
pub fn analyse(
    acts: &[ActCover],
    scan: &Scan,
    vendors: &Catalog,
    lang: Lang,
    rows: bool,
) -> (Table, Vec<Finding>) {
    let tx = |en: String, fr: String| t(lang, en, fr);
    let mut table = Table::default();
    let mut findings = Vec::new();
    let mut seen: Vec<std::collections::BTreeSet<Category>> = vec![Default::default(); acts.len()];
    let mut scanned_any: Vec<bool> = vec![false; acts.len()];
    // activities by their manifest's directory: a file is covered only by activities whose
    // directory is above it, and a vendor is near those above or below its directory, so each
    // file looks at its ancestors and a range of directories instead of every activity
    let mut by_dir: std::collections::BTreeMap<&Path, Vec<usize>> = Default::default();
    for (i, a) in acts.iter().enumerate() {
        by_dir.entry(&a.dir).or_default().push(i);
    }
    // the ancestors are looked up by hash: ordered lookups compare paths part by part
    let exact: std::collections::HashMap<&Path, &Vec<usize>> =
        by_dir.iter().map(|(d, v)| (*d, v)).collect();
    let above = |dir: &Path| -> Vec<usize> {
        let mut out: Vec<usize> = dir
            .ancestors()
            .filter_map(|d| exact.get(d).copied())
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out
    };
    let below = |dir: &Path| -> Vec<usize> {
        by_dir
            .range(dir..)
            .skip_while(|(d, _)| d.as_os_str() == dir.as_os_str())
            .take_while(|(d, _)| d.starts_with(dir))
            .flat_map(|(_, v)| v.iter().copied())
            .collect()
    };
    let mut globs = Globs::new();
    for (fi, file) in scan.files.iter().enumerate() {
        let abs =
            crate::source::absolute(&file.source.path).unwrap_or_else(|_| file.source.path.clone());
        let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
        let at_field = |f: &Field| {
            let p = file.place(f.span);
            (fi, f.span, format!("{}:{}:{}", p.path, p.line, p.column))
        };
        if !file.fields.is_empty() {
            let covering: Vec<usize> = above(&dir)
                .into_iter()
                .filter(|&i| acts[i].covers(&abs, &mut globs))
                .collect();
            let mut categories: Vec<Category> = file.fields.iter().map(|f| f.category).collect();
            categories.sort();
            categories.dedup();
            for &i in &covering {
                scanned_any[i] = true;
                seen[i].extend(categories.iter().copied());
            }
            table.summary.files_with_personal_data += 1;
            if !covering.is_empty() {
                table.summary.covered += 1;
            }
            if rows {
                table.files.push(FileRow {
                    path: file.rel.clone(),
                    categories: categories.clone(),
                    fields: file
                        .fields
                        .iter()
                        .map(|f| {
                            let p = file.position(f.span);
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
            }
            if covering.is_empty() {
                let first = &file.fields[0];
                let list = categories
                    .iter()
                    .map(|c| c.word(lang))
                    .collect::<Vec<_>>()
                    .join(", ");
                findings.push(Finding {
                    rule: RuleId::CV001,
                    severity: Severity::Warning,
                    message: tx(
                        format!("personal data ({list}) in a data definition that no activity's `code:` covers"),
                        format!("données personnelles ({list}) dans une définition de données qu'aucun `code:` d'activité ne couvre"),
                    ),
                    label: tx(
                        format!("`{}` holds {} data", first.name, first.category.word(lang)),
                        format!("`{}` contient des données « {} »", first.name, first.category.word(lang)),
                    ),
                    help: tx(
                        "add this file to the `code:` of the activity that processes it, or write a manifest for it".to_string(),
                        "ajoutez ce fichier au `code:` de l'activité qui le traite, ou écrivez-lui un manifeste".to_string(),
                    ),
                    file: FileRef::Scanned(fi),
                    span: first.span,
                    related: None,
                    activity: None,
                    gdpr: false,
                });
                continue;
            }
            for category in &categories {
                if covering.iter().any(|&i| acts[i].declares(*category)) {
                    continue;
                }
                let act = &acts[covering[0]];
                let field = file
                    .fields
                    .iter()
                    .find(|f| f.category == *category)
                    .expect("seen");
                let related = at_field(field);
                let special = category.special().is_some();
                let (rule, severity, key, span) = if special {
                    (
                        RuleId::CV002,
                        Severity::Error,
                        "special_categories",
                        act.special_span,
                    )
                } else {
                    (
                        RuleId::CV003,
                        Severity::Warning,
                        "data_categories",
                        act.data_categories().first().map(|c| c.1),
                    )
                };
                findings.push(Finding {
                    rule,
                    severity,
                    message: tx(
                        format!("the code stores {} data (`{}`), which `{key}` does not declare", category.word(lang), field.name),
                        format!("le code stocke des données « {} » (`{}`), que `{key}` ne déclare pas", category.word(lang), field.name),
                    ),
                    label: tx(
                        format!("{} data not declared", category.word(lang)),
                        format!("données « {} » non déclarées", category.word(lang)),
                    ),
                    help: if special {
                        tx(
                            format!("add `{}` to `special_categories` with its art. 9(2) condition, or stop storing `{}`", category.as_str(), field.name),
                            format!("ajoutez `{}` à `special_categories` avec son exception de l'art. 9(2), ou cessez de stocker `{}`", category.as_str(), field.name),
                        )
                    } else {
                        tx(
                            format!("add {} data to `data_categories`", category.word(lang)),
                            format!("ajoutez les données « {} » à `data_categories`", category.word(lang)),
                        )
                    },
                    file: FileRef::Manifest(act.file),
                    span: span.unwrap_or(act.head),
                    related: Some(related),
                    activity: Some((act.index, act.id())),
                    gdpr: special,
                });
            }
        }
        for (dep, vi) in &file.vendors {
            let v = &vendors.vendors[*vi];
            let mut near = above(&dir);
            near.extend(below(&dir));
            near.sort_unstable();
            near.dedup();
            for &a in near.iter().filter(|_| rows) {
                table
                    .detected
                    .entry(acts[a].label())
                    .or_default()
                    .insert(v.name.clone());
            }
            // the activities that name the vendor, with the `recipients` entry that does
            let naming: Vec<(usize, Span)> = near
                .iter()
                .filter_map(|&a| acts[a].names_vendor(v).map(|span| (a, span)))
                .collect();
            table.summary.vendors += 1;
            if rows {
                table.vendors.push(VendorRow {
                    vendor: v.id.clone(),
                    name: v.name.clone(),
                    package: dep.name.clone(),
                    at: file.place(dep.span),
                    location: v.location.clone(),
                    transfer: v.transfer.clone(),
                    evidence: v.evidence.clone(),
                    privacy: v.privacy.clone(),
                    named_by: naming.iter().map(|&(a, _)| acts[a].label()).collect(),
                });
            }
            let p = file.place(dep.span);
            let dep_at = (fi, dep.span, format!("{}:{}:{}", p.path, p.line, p.column));
            if naming.is_empty() {
                findings.push(Finding {
                    rule: RuleId::CV004,
                    severity: Severity::Warning,
                    message: tx(
                        format!("`{}` is {}'s SDK ({}), and no activity of a manifest in, above or below this directory names {} in `recipients`", dep.name, v.name, v.service, v.name),
                        format!("`{}` est le SDK de {} ({}), et aucune activité d'un manifeste de ce dossier, d'un parent ou d'un sous-dossier ne nomme {} dans `recipients`", dep.name, v.name, v.service, v.name),
                    ),
                    label: tx(format!("{} ({})", v.name, v.service), format!("{} ({})", v.name, v.service)),
                    help: tx(
                        format!("name {} in the `recipients` of the activities whose data it receives (vendor's DPA: {})", v.name, v.privacy),
                        format!("nommez {} dans les `recipients` des activités dont il reçoit les données (DPA du fournisseur : {})", v.name, v.privacy),
                    ),
                    file: FileRef::Scanned(fi),
                    span: dep.span,
                    related: None,
                    activity: None,
                    gdpr: false,
                });
                continue;
            }
            // on each activity that names the vendor, with the dependency as related location
            let mut on_named =
                |(a, span): (usize, Span), severity: Severity, message: String, help: String| {
                    findings.push(Finding {
                        rule: RuleId::CV004,
                        severity,
                        message,
                        label: tx(
                            format!("{} receives this activity's data", v.name),
                            format!("{} reçoit les données de cette activité", v.name),
                        ),
                        help,
                        file: FileRef::Manifest(acts[a].file),
                        span,
                        related: Some(dep_at.clone()),
                        activity: Some((acts[a].index, acts[a].id())),
                        gdpr: true,
                    });
                };
            match v.outside_eea() {
                Some(false) => {}
                Some(true) => {
                    let where_ = v.location.as_deref().unwrap_or("?");
                    for &named in naming
                        .iter()
                        .filter(|(a, _)| !acts[*a].transfer_with_safeguard)
                    {
                        on_named(
                            named,
                            Severity::Warning,
                            tx(
                                format!(
                                    "{} is a recipient, which ropa's vendor catalog places in {where_}, and no transfer with a safeguard is declared",
                                    v.name
                                ),
                                format!(
                                    "{} est destinataire, et le catalogue des fournisseurs de ropa le situe en {where_} ; aucun transfert avec garantie n'est déclaré",
                                    v.name
                                ),
                            ),
                            tx(
                                format!(
                                    "the catalog's location is not verified in a primary text: check {}'s DPA ({}), then declare the transfer under `transfers` with its safeguard",
                                    v.name, v.privacy
                                ),
                                format!(
                                    "la localisation du catalogue n'est pas vérifiée dans un texte primaire : consultez le DPA de {} ({}), puis déclarez le transfert sous `transfers` avec sa garantie",
                                    v.name, v.privacy
                                ),
                            ),
                        );
                    }
                }
                None => {
                    for &named in &naming {
                        on_named(
                            named,
                            Severity::Note,
                            tx(
                                format!(
                                    "ropa's vendor catalog does not know where {} processes data",
                                    v.name
                                ),
                                format!(
                                    "le catalogue des fournisseurs de ropa ne sait pas où {} traite les données",
                                    v.name
                                ),
                            ),
                            tx(
                                format!(
                                    "check {}'s DPA ({}) for a transfer outside the EEA",
                                    v.name, v.privacy
                                ),
                                format!(
                                    "vérifiez dans le DPA de {} ({}) s'il y a un transfert hors de l'EEE",
                                    v.name, v.privacy
                                ),
                            ),
                        );
                    }
                }
            }
        }
    }
    for (i, act) in acts.iter().enumerate() {
        if !scanned_any[i] {
            continue;
        }
        for (declared, declared_span) in act.data_categories() {
            let Some(category) = Category::ALL_PLAIN
                .iter()
                .copied()
                .find(|c| words::declares(std::iter::once(&**declared), *c))
            else {
                continue;
            };
            if seen[i].contains(&category) {
                continue;
            }
            findings.push(Finding {
                rule: RuleId::CV005,
                severity: Severity::Note,
                message: tx(
                    format!("`{}` is declared, and no data definition that `code:` covers has a {} field", declared, category.word(lang)),
                    format!("`{}` est déclaré, et aucune définition de données couverte par `code:` n'a de champ « {} »", declared, category.word(lang)),
                ),
                label: tx("not seen in the covered code".to_string(), "absent du code couvert".to_string()),
                help: tx(
                    "remove it if the data is no longer processed, or add the code that holds it to `code:`".to_string(),
                    "retirez-la si la donnée n'est plus traitée, ou ajoutez à `code:` le code qui la contient".to_string(),
                ),
                file: FileRef::Manifest(act.file),
                span: *declared_span,
                related: None,
                activity: Some((act.index, act.id())),
                gdpr: false,
            });
        }
    }
    (table, findings)
}

/// A finding as a diagnostic, once the files it points into are numbered: `scanned[i]` is the
/// run's index of scanned file `i`.
pub fn diagnostic(
    f: Finding,
    scanned: &[usize],
    gdpr: &[crate::diag::Citation],
    lang: Lang,
) -> Diagnostic {
    let file = match f.file {
        FileRef::Manifest(i) => i,
        FileRef::Scanned(i) => scanned[i],
    };
    let mut d = Diagnostic::new(f.rule, f.severity, file, f.message)
        .at(f.span)
        .label(f.label)
        .help(f.help);
    if let Some((i, span, at)) = f.related {
        d = d.note(t(
            lang,
            format!("the code: {at}"),
            format!("le code : {at}"),
        ));
        d.related.push(crate::diag::Related {
            file: scanned[i],
            span,
            message: t(lang, "the code".to_string(), "le code".to_string()),
        });
    }
    if let Some((index, id)) = f.activity {
        d.activity = id;
        d.activity_index = Some(index);
    }
    if f.gdpr {
        d = d.cite(gdpr.iter().cloned());
    }
    d
}
