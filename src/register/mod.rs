//! The record of processing activities (GDPR art. 30), built from the manifests: one entry per
//! activity, grouped by controller, with the columns of the CNIL's register template. Activities
//! with findings are marked and the findings listed, so that nothing is dropped silently.
//! One renderer per format, one file each.

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;

use crate::catalog::load::Loaded;
use crate::diag::Severity;
use crate::engine::Outcome;
use crate::i18n;
use crate::i18n::Lang;

/// One activity of the register.
#[derive(Clone, Debug, Default)]
pub struct Entry {
    pub id: String,
    pub name: String,
    /// The catalog purpose's label when the purpose is known, else what the manifest says.
    pub purpose: String,
    pub purpose_id: Option<String>,
    pub legal_basis: String,
    pub data_subjects: Vec<String>,
    pub data_categories: Vec<String>,
    /// Special categories and the art. 9(2) condition.
    pub special_categories: Vec<String>,
    pub recipients: Vec<String>,
    /// `country (safeguard)`, for transfers outside the EEA.
    pub transfers: Vec<String>,
    pub retention: String,
    pub dpia: String,
    pub code: Vec<String>,
    /// Processors whose SDKs coverage found in the dependencies in, above or below the
    /// manifest's directory (empty when coverage did not run).
    pub processors: Vec<String>,
    /// `path:line` of the activity.
    pub manifest: String,
    /// Findings on this activity, `CODE message`.
    pub findings: Vec<(Severity, String)>,
}

/// The activities of one controller.
#[derive(Clone, Debug, Default)]
pub struct Group {
    pub controller: Option<String>,
    pub contact: Option<String>,
    pub entries: Vec<Entry>,
}

/// The whole register.
#[derive(Clone, Debug)]
pub struct Register {
    pub lang: Lang,
    pub catalog: String,
    pub groups: Vec<Group>,
    /// Findings that concern no activity (a file that cannot be read), `path:line CODE message`.
    pub file_findings: Vec<(Severity, String)>,
    pub manifests: usize,
    /// `--date`, as given (YYYY-MM-DD).
    pub date: Option<String>,
}

/// Column headings, in the order of the CNIL's register template.
pub fn headings(lang: Lang) -> [&'static str; 15] {
    let t = |en: &'static str, fr: &'static str| i18n::s(lang, en, fr);
    [
        t("Activity", "Activité"),
        t("Purpose", "Finalité"),
        t("Legal basis", "Base légale"),
        t("Data subjects", "Personnes concernées"),
        t("Data categories", "Catégories de données"),
        t("Special categories", "Données sensibles"),
        t("Recipients", "Destinataires"),
        t("Transfers outside the EU", "Transferts hors UE"),
        t("Retention", "Durées de conservation"),
        t("DPIA", "AIPD"),
        t("Code", "Code"),
        t("Processors in the code", "Sous-traitants dans le code"),
        t("Manifest", "Manifeste"),
        t("Findings", "Constats"),
        "id",
    ]
}

impl Entry {
    /// Whether the activity has findings to act on (errors or warnings; notes are excused).
    pub fn flagged(&self) -> bool {
        self.findings.iter().any(|(s, _)| *s != Severity::Note)
    }

    /// The cells, in the order of `headings`.
    pub fn cells(&self) -> [String; 15] {
        let findings = self
            .findings
            .iter()
            .map(|(_, f)| f.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        [
            self.name.clone(),
            self.purpose.clone(),
            self.legal_basis.clone(),
            self.data_subjects.join(", "),
            self.data_categories.join(", "),
            self.special_categories.join(", "),
            self.recipients.join(", "),
            self.transfers.join(", "),
            self.retention.clone(),
            self.dpia.clone(),
            self.code.join(", "),
            self.processors.join(", "),
            self.manifest.clone(),
            findings,
            self.id.clone(),
        ]
    }
}

/// A finding as the register lists it: `CODE message`, and for a finding a deviation excuses,
/// the justification and who approved it, so that the reader of the register sees why the
/// departure from the catalog is accepted.
fn finding(d: &crate::diag::Diagnostic, lang: Lang) -> String {
    let Some(dev) = &d.deviation else {
        return format!("{} {}", d.code, d.message);
    };
    let colon = i18n::s(lang, ":", " :");
    let approved = dev.approved_by.as_ref().map_or(String::new(), |by| {
        i18n::t(
            lang,
            format!(", approved by {by}"),
            format!(", approuvée par {by}"),
        )
    });
    format!(
        "{} {} ({}{colon} {}{approved})",
        d.code,
        d.message,
        i18n::s(lang, "deviation", "dérogation"),
        dev.justification
    )
}

/// Builds the register from a lint run.
pub fn build(outcome: &Outcome, catalog: &Loaded, lang: Lang) -> Register {
    let t = |en: &str, frs: &str| i18n::t(lang, en, frs);
    let mut groups: Vec<Group> = Vec::new();
    let mut file_findings = Vec::new();
    // each finding is looked up once, by file and activity: the register is linear in them
    let mut by_activity: std::collections::HashMap<
        (usize, Option<usize>),
        Vec<crate::diag::Diagnostic>,
    > = std::collections::HashMap::new();
    for d in &outcome.diagnostics {
        by_activity
            .entry((d.file, d.activity_index))
            .or_default()
            .push(d);
    }
    let of = |file: usize, activity: Option<usize>| {
        by_activity
            .get(&(file, activity))
            .map_or(&[][..], Vec::as_slice)
    };
    for (file, (source, manifest)) in outcome.sources.iter().zip(&outcome.manifests).enumerate() {
        if !outcome.reported[file] {
            continue;
        }
        for d in of(file, None) {
            let pos = source.position(d.span.unwrap_or_default().start);
            file_findings.push((
                d.severity,
                format!("{}:{} {}", source.display(), pos.line, finding(d, lang)),
            ));
        }
        for a in &manifest.activities {
            let purpose_entry = a.purpose.as_ref().and_then(|p| catalog.resolve(&p.value));
            let purpose = match (purpose_entry, &a.purpose) {
                (Some(p), _) => format!("{} ({})", p.label.get(lang), p.id),
                (None, Some(p)) => p.value.to_string(),
                (None, None) => String::new(),
            };
            let mut special: Vec<String> = a
                .special_categories
                .iter()
                .map(|c| c.value.to_string())
                .collect();
            if let Some(c) = &a.special_category_condition {
                special.push(t(
                    &format!("condition: {}", c.value),
                    &format!("exception : {}", c.value),
                ));
            }
            let transfers = a
                .transfers
                .iter()
                .filter_map(|tr| {
                    let country = tr.country.as_ref()?.value;
                    if crate::manifest::vocab::in_eea(country) {
                        return None;
                    }
                    let safeguard = tr.safeguard.as_ref().map_or_else(
                        || t("no safeguard", "aucune garantie"),
                        |s| s.value.to_string(),
                    );
                    Some(format!("{country} ({safeguard})"))
                })
                .collect();
            let retention = a.retention.as_ref().map_or(String::new(), |r| {
                let mut parts = Vec::new();
                if let Some(active) = &r.active {
                    let mut s = format!(
                        "{} {}",
                        t("active", "base active"),
                        active.value.words(lang)
                    );
                    if let Some(st) = &r.starts {
                        let start = st
                            .value
                            .1
                            .map_or(st.value.0.to_string(), |e| e.describe(lang).to_string());
                        s.push_str(&format!(" ({} {start})", t("from", "à compter de")));
                    }
                    parts.push(s);
                }
                if let Some(archive) = &r.archive {
                    let mut s =
                        format!("{} {}", t("archive", "archive"), archive.value.words(lang));
                    if let Some(reason) = &r.archive_reason {
                        s.push_str(&format!(" ({})", reason.value));
                    }
                    parts.push(s);
                }
                if let Some(then) = &r.then {
                    let action = match then.value {
                        crate::manifest::vocab::EndOfLife::Delete => t("delete", "suppression"),
                        crate::manifest::vocab::EndOfLife::Anonymise => {
                            t("anonymise", "anonymisation")
                        }
                    };
                    parts.push(format!("{} {action}", t("then", "puis")));
                }
                parts.join("; ")
            });
            let dpia = match a
                .dpia
                .as_ref()
                .and_then(|d| d.required.as_ref().map(|r| (r.value, d)))
            {
                Some((true, d)) => {
                    let reference = d
                        .reference
                        .as_ref()
                        .map_or(String::new(), |r| format!(" — {}", r.value));
                    format!("{}{reference}", t("required", "requise"))
                }
                Some((false, _)) => t("not required", "non requise"),
                None => t("not recorded", "non renseignée"),
            };
            let line = source.position(a.span.start).line;
            let findings = of(file, Some(a.index))
                .iter()
                .map(|d| (d.severity, finding(d, lang)))
                .collect();
            let entry = Entry {
                id: a.id_str().unwrap_or_default().to_string(),
                name: a
                    .name
                    .as_ref()
                    .map_or(String::new(), |n| n.value.to_string()),
                purpose,
                purpose_id: purpose_entry.map(|p| p.id.clone()),
                legal_basis: a
                    .legal_basis
                    .as_ref()
                    .map_or(String::new(), |b| b.value.describe(lang)),
                data_subjects: a
                    .data_subjects
                    .iter()
                    .map(|s| s.value.to_string())
                    .collect(),
                data_categories: a
                    .data_categories
                    .iter()
                    .map(|s| s.value.to_string())
                    .collect(),
                special_categories: special,
                recipients: a.recipients.iter().map(|s| s.value.to_string()).collect(),
                transfers,
                retention,
                dpia,
                code: a.code.iter().map(|s| s.value.to_string()).collect(),
                processors: outcome
                    .coverage
                    .as_ref()
                    .and_then(|c| {
                        c.detected.get(&crate::coverage::scan::label(
                            a.id_str(),
                            source.display(),
                            a.index,
                        ))
                    })
                    .map(|v| v.iter().cloned().collect())
                    .unwrap_or_default(),
                manifest: format!("{}:{line}", source.display()),
                findings,
            };
            let controller = a
                .controller
                .as_ref()
                .and_then(|c| c.name.as_ref())
                .map(|n| n.value.to_string());
            let contact = a
                .controller
                .as_ref()
                .and_then(|c| c.contact.as_ref())
                .map(|n| n.value.to_string());
            match groups.iter_mut().find(|g| g.controller == controller) {
                Some(g) => {
                    if g.contact.is_none() {
                        g.contact = contact;
                    }
                    g.entries.push(entry);
                }
                None => groups.push(Group {
                    controller,
                    contact,
                    entries: vec![entry],
                }),
            }
        }
    }
    // named controllers in name order, then the activities without a controller
    groups.sort_by(|a, b| {
        (a.controller.is_none(), &a.controller).cmp(&(b.controller.is_none(), &b.controller))
    });
    Register {
        lang,
        catalog: catalog.name().to_string(),
        groups,
        file_findings,
        manifests: outcome.summary.files,
        date: None,
    }
}

impl Register {
    pub fn t(&self, en: &'static str, fr: &'static str) -> &'static str {
        i18n::s(self.lang, en, fr)
    }

    /// The heading of a group.
    pub fn group_title(&self, g: &Group) -> String {
        match (&g.controller, &g.contact) {
            (Some(name), Some(contact)) => format!("{name} — {contact}"),
            (Some(name), None) => name.clone(),
            (None, _) => self
                .t(
                    "Controller not set",
                    "Responsable de traitement non renseigné",
                )
                .to_string(),
        }
    }

    pub fn entries(&self) -> usize {
        self.groups.iter().map(|g| g.entries.len()).sum()
    }

    /// Every finding, for the list at the end: `(severity, activity or path, text)`.
    pub fn all_findings(&self) -> Vec<(Severity, String, String)> {
        let mut out: Vec<(Severity, String, String)> = self
            .groups
            .iter()
            .flat_map(|g| &g.entries)
            .flat_map(|e| {
                // an activity without a valid id is named by its name, else by its place
                let who = [&e.id, &e.name].into_iter().find(|w| !w.is_empty());
                let at = match who {
                    Some(who) => format!("{who} ({})", e.manifest),
                    None => e.manifest.clone(),
                };
                e.findings
                    .iter()
                    .map(move |(s, f)| (*s, at.clone(), f.clone()))
            })
            .collect();
        out.extend(
            self.file_findings
                .iter()
                .map(|(s, f)| (*s, String::new(), f.clone())),
        );
        out
    }

    /// `Label: value` in English, `Libellé : valeur` in French.
    /// The line under the title: how many activities and manifests, and the catalog, which
    /// each format passes in already escaped or quoted its own way.
    pub fn meta_line(&self, catalog: &str) -> String {
        let mut line = format!(
            "{}{c} {} · {}{c} {} · {}{c} {catalog}",
            self.t("Activities", "Activités"),
            self.entries(),
            self.t("Manifests", "Manifestes"),
            self.manifests,
            self.t("Catalog", "Catalogue"),
            c = self.colon()
        );
        if let Some(date) = &self.date {
            line.push_str(&format!(
                " · {}{} {date}",
                self.t("Updated", "Mis à jour le"),
                self.t(":", "")
            ));
        }
        line
    }

    pub fn colon(&self) -> &'static str {
        self.t(":", " :")
    }

    pub fn title(&self) -> &'static str {
        self.t(
            "Record of processing activities (GDPR art. 30)",
            "Registre des activités de traitement (RGPD, art. 30)",
        )
    }
}
