//! fides `system` manifests (YAML with a top-level `system:` list), read into the same model as
//! ropa manifests: one activity per privacy declaration. Diagnostics point at the fides YAML.
//!
//! | fides | ropa |
//! |---|---|
//! | `fides_key` + declaration name | `id` |
//! | `name` (declaration, else system) | `name` |
//! | `data_use` (a catalog alias; parents are tried: `marketing.advertising.first_party` → `marketing.advertising`) | `purpose` |
//! | `legal_basis_for_processing` | `legal_basis` |
//! | `special_category_legal_basis` | `special_category_condition` |
//! | `data_categories` (special-category keys such as `user.health_and_medical` too) | `data_categories`, `special_categories` |
//! | `data_subjects` | `data_subjects` |
//! | `retention_period` (free text: the duration found in it) | `retention.active` (the text as `starts`) |
//! | `impact_assessment_location` | `legitimate_interests.balancing_test` |
//! | system `requires_data_protection_assessments`, `dpa_location` | `dpia.required`, `dpia.reference` |

use super::{Builder, Fields, Section};
use crate::diag::{Diagnostic, RuleId, Severity};
use crate::manifest::duration::Duration;
use crate::manifest::model::{
    Activity, Dpia, LegitimateInterests, Manifest, Retention, Sp, Transfer,
};
use crate::manifest::vocab::{
    self, Art9Condition, LegalBasis, Safeguard, SpecialCategory, Vocabulary, fold,
};
use crate::source::Span;
use crate::yaml::Text;
use crate::yaml::{Node, Value};

/// Keys of a fides `System` (fideslang).
const SYSTEM_FIELDS: &[&str] = &[
    "fides_key",
    "organization_fides_key",
    "tags",
    "name",
    "description",
    "meta",
    "fidesctl_meta",
    "system_type",
    "egress",
    "ingress",
    "privacy_declarations",
    "administrating_department",
    "vendor_id",
    "previous_vendor_id",
    "vendor_deleted_date",
    "dataset_references",
    "processes_personal_data",
    "exempt_from_privacy_regulations",
    "reason_for_exemption",
    "uses_profiling",
    "legal_basis_for_profiling",
    "does_international_transfers",
    "legal_basis_for_transfers",
    "requires_data_protection_assessments",
    "dpa_location",
    "dpa_progress",
    "privacy_policy",
    "legal_name",
    "legal_address",
    "responsibility",
    "dpo",
    "joint_controller_info",
    "data_security_practices",
    "cookie_max_age_seconds",
    "uses_cookies",
    "cookie_refresh",
    "uses_non_cookie_access",
    "legitimate_interest_disclosure_url",
    "data_responsibility_title",
    "third_country_transfers",
    "data_protection_impact_assessment",
    "cookies",
    // fideslang 1.x–2.x (accepted by the versions ropa reads; see `FIDESLANG`)
    "registry_id",
    "joint_controller",
    "system_dependencies",
];

/// The fideslang versions whose files ropa reads: the keys of every `System` and
/// `PrivacyDeclaration` from 1.0 to 3.1 are known, and the values of their enumerations (which
/// have not changed since 1.3) are checked as fideslang checks them.
pub const FIDESLANG: &str = "1.0–3.1";

/// The keys of fideslang 1.x's `data_protection_impact_assessment` block.
const DPIA_FIELDS: &[&str] = &["is_required", "progress", "link"];

/// `legal_basis_for_processing` as fideslang spells it (`LegalBasisForProcessingEnum`).
pub const LEGAL_BASES: &[&str] = &[
    "Consent",
    "Contract",
    "Legal obligations",
    "Vital interests",
    "Public interest",
    "Legitimate interests",
];

/// `special_category_legal_basis` as fideslang spells it (`SpecialCategoryLegalBasisEnum`).
pub const SPECIAL_CATEGORY_BASES: &[&str] = &[
    "Explicit consent",
    "Employment, social security and social protection",
    "Vital interests",
    "Not-for-profit bodies",
    "Made public by the data subject",
    "Legal claims or judicial acts",
    "Reasons of substantial public interest (with a basis in law)",
    "Health or social care (with a basis in law)",
    "Public health (with a basis in law)",
    "Archiving, research and statistics (with a basis in law)",
];

/// `legal_basis_for_profiling` as fideslang spells it (`LegalBasisForProfilingEnum`).
const PROFILING_BASES: &[&str] = &["Explicit consent", "Contract", "Authorised by law"];

/// `responsibility` (and 1.x `data_responsibility_title`) as fideslang spells it
/// (`DataResponsibilityTitle`).
const RESPONSIBILITIES: &[&str] = &["Controller", "Processor", "Sub-Processor"];

/// Top-level keys of the fides resource files that are not systems: linted as nothing, with a
/// note, when an `include:` glob brings them in.
const OTHER_RESOURCES: &[&str] = &[
    "dataset",
    "policy",
    "organization",
    "data_category",
    "data_use",
    "data_subject",
    "data_qualifier",
    "registry",
    "evaluation",
    "taxonomy",
    "connection",
];

/// Keys of a fides `PrivacyDeclaration` (fideslang).
const DECLARATION_FIELDS: &[&str] = &[
    "name",
    "data_categories",
    "data_use",
    "data_subjects",
    "dataset_references",
    "egress",
    "ingress",
    "features",
    "flexible_legal_basis_for_processing",
    "legal_basis_for_processing",
    "impact_assessment_location",
    "retention_period",
    "processes_special_category_data",
    "special_category_legal_basis",
    "data_shared_with_third_parties",
    "third_parties",
    "shared_categories",
    "cookies",
    "data_qualifier",
];

/// The ropa field each fides declaration field fills.
const FILLS: &[(&str, &str)] = &[
    ("data_use", "purpose"),
    ("legal_basis_for_processing", "legal_basis"),
    ("retention_period", "retention"),
    ("impact_assessment_location", "dpia"),
    ("special_category_legal_basis", "special_category_condition"),
];

/// Whether a YAML document is a fides manifest rather than a ropa one.
pub(super) fn is_fides(root: &Node) -> bool {
    matches!(&root.value, Value::Map(entries)
        if entries.iter().any(|(k, _)| k.name == "system")
            && !entries.iter().any(|(k, _)| k.name == "activities"))
}

/// The kind of a fides resource file that holds no system (`policy`, `dataset`…): its top-level
/// keys are all fides resource kinds other than `system`.
pub(super) fn other_resource(root: &Node) -> Option<(&str, Span)> {
    let Value::Map(entries) = &root.value else {
        return None;
    };
    let (first, _) = entries.first()?;
    entries
        .iter()
        .all(|(k, _)| OTHER_RESOURCES.contains(&k.name.as_str()))
        .then_some((first.name.as_str(), first.span))
}

/// ropa's names for fields and values, as a fides file spells them: a rule's message about a
/// fides file names what is in the file.
const FIDES_WORDS: &[(&str, &str)] = &[
    (
        "`legitimate_interests.balancing_test`",
        "`impact_assessment_location`",
    ),
    ("`legitimate_interests`", "`impact_assessment_location`"),
    ("`dpia.reference`", "`dpa_location`"),
    ("`dpia.required`", "`requires_data_protection_assessments`"),
    ("`retention.active`", "`retention_period`"),
    ("`retention`", "`retention_period`"),
    (
        "`special_category_condition`",
        "`special_category_legal_basis`",
    ),
    ("`legal_basis`", "`legal_basis_for_processing`"),
    ("`purpose`", "`data_use`"),
    ("`contract`", "`Contract`"),
    ("`consent`", "`Consent`"),
    ("`legal-obligation`", "`Legal obligations`"),
    ("`legitimate-interests`", "`Legitimate interests`"),
    ("`vital-interests`", "`Vital interests`"),
    ("`public-task`", "`Public interest`"),
];

/// A rule's text about a fides file, with ropa's field names and legal-basis tokens replaced by
/// the fides ones.
pub fn speak(text: &str) -> String {
    let mut out = text.to_string();
    for (ropa, fides) in FIDES_WORDS {
        if out.contains(ropa) {
            out = out.replace(ropa, fides);
        }
    }
    out
}

/// The help that fixes a rule's finding in a fides file: the fides field to set, or that fides
/// has no field for it. `None`: the rule's own help already speaks fides (or names no field).
pub fn help(code: crate::diag::RuleId, lang: crate::i18n::Lang) -> Option<String> {
    use crate::diag::RuleId as R;
    let (en, fr) = match code {
        R::DP001 => (
            "set `requires_data_protection_assessments: false` on the system (or `true`, with `dpa_location:` naming the DPIA)",
            "indiquez `requires_data_protection_assessments: false` sur le système (ou `true`, avec `dpa_location:` désignant l'AIPD)",
        ),
        R::DP002 | R::DP004 => (
            "carry out the DPIA, then set `requires_data_protection_assessments: true` and `dpa_location:` on the system (fides cannot record DPIA criteria)",
            "réalisez l'AIPD, puis indiquez `requires_data_protection_assessments: true` et `dpa_location:` sur le système (fides ne sait pas enregistrer les critères d'AIPD)",
        ),
        R::DP003 => (
            "add `dpa_location:` to the system, with the path or URL of the DPIA",
            "ajoutez `dpa_location:` au système, avec le chemin ou l'URL de l'AIPD",
        ),
        R::LB002 => (
            "put the path or URL of the balancing test in the declaration's `impact_assessment_location`",
            "indiquez le chemin ou l'URL de la mise en balance dans `impact_assessment_location` de la déclaration",
        ),
        R::LB003 => (
            "fides has no field for how consent is withdrawn: record this activity in a ropa manifest, or set LB003's level in ropa.yaml",
            "fides n'a pas de champ pour le retrait du consentement : décrivez cette activité dans un manifeste ropa, ou réglez le niveau de LB003 dans ropa.yaml",
        ),
        R::LB004 => (
            "fides has no field for the law that imposes the processing: record this activity in a ropa manifest, or set LB004's level in ropa.yaml",
            "fides n'a pas de champ pour le texte qui impose le traitement : décrivez cette activité dans un manifeste ropa, ou réglez le niveau de LB004 dans ropa.yaml",
        ),
        R::LB005 => (
            "add `special_category_legal_basis:` to the declaration, e.g. `Explicit consent`",
            "ajoutez `special_category_legal_basis:` à la déclaration, par exemple `Explicit consent`",
        ),
        R::RT001 | R::RT002 => (
            "add `retention_period: \"3 years after the end of the contract\"` to the declaration, with the period that fits",
            "ajoutez `retention_period: \"3 years after the end of the contract\"` à la déclaration, avec la durée qui convient",
        ),
        R::RT003 => (
            "shorten the declaration's `retention_period` (fides cannot record a deviation: if the period is justified, set RT003's level for this file in ropa.yaml)",
            "raccourcissez `retention_period` dans la déclaration (fides ne sait pas enregistrer une dérogation : si la durée est justifiée, réglez le niveau de RT003 pour ce fichier dans ropa.yaml)",
        ),
        R::RT004 => (
            "lengthen the declaration's `retention_period`, e.g. \"3 years, then archived 10 years\"",
            "allongez `retention_period` dans la déclaration, par exemple \"3 years, then archived 10 years\"",
        ),
        R::RT005 => (
            "fides has no field for why data is archived: record this activity in a ropa manifest, or set RT005's level in ropa.yaml",
            "fides n'a pas de champ pour la raison de l'archivage : décrivez cette activité dans un manifeste ropa, ou réglez le niveau de RT005 dans ropa.yaml",
        ),
        R::TR001 => (
            "add `legal_basis_for_transfers:` to the system, e.g. `[SCCs]`",
            "ajoutez `legal_basis_for_transfers:` au système, par exemple `[SCCs]`",
        ),
        _ => return None,
    };
    Some(crate::i18n::t(lang, en, fr))
}

/// The special category a fides data category names, if any.
fn special_category(key: &str) -> Option<SpecialCategory> {
    let k = fold(key);
    let has = |w: &str| k.contains(w);
    // `user.health_and_medical.genetic` is genetic data: the most specific word first
    Some(if has("genetic") {
        SpecialCategory::Genetic
    } else if has("health") || has("medical") {
        SpecialCategory::Health
    } else if has("biometric") {
        SpecialCategory::Biometric
    } else if has("criminal") {
        SpecialCategory::CriminalConvictions
    } else if has("political") {
        SpecialCategory::PoliticalOpinions
    } else if has("religio") || has("philosoph") {
        SpecialCategory::ReligiousOrPhilosophicalBeliefs
    } else if has("sexual") || has("sexlife") {
        SpecialCategory::SexLifeOrOrientation
    } else if has("racial") || has("ethnic") || has("raceethnicity") {
        SpecialCategory::RacialOrEthnicOrigin
    } else if has("unionmembership") || has("tradeunion") {
        SpecialCategory::TradeUnionMembership
    } else {
        return None;
    })
}

/// A fides key as a ropa id part.
fn id_part(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_alphanumeric() { c } else { '-' };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end_matches('-').to_string()
}

/// The entries of `meta.ropa` that `ropa export` writes, one per declaration in order; empty
/// when the system has none (any other `meta` is the system's own business).
fn ropa_meta(meta: &Node) -> Vec<Node> {
    match entry(meta, "ropa").map(|r| &r.value) {
        Some(Value::Seq(items)) => items.clone(),
        _ => Vec::new(),
    }
}

/// A list's items, or a single value as one item.
fn items(node: &Node) -> Vec<&Node> {
    match &node.value {
        Value::Seq(items) => items.iter().collect(),
        _ => vec![node],
    }
}

/// A mapping's value under `key`.
fn entry<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    match &node.value {
        Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
        _ => None,
    }
}

/// A string value with its place.
fn text(node: &Node) -> Option<Sp<Text>> {
    match &node.value {
        Value::Str(s) => Some(Sp {
            value: s.clone(),
            span: node.span,
        }),
        _ => None,
    }
}

/// A string or a list of strings, as strings with their places.
fn texts(node: &Node) -> Vec<Sp<Text>> {
    match &node.value {
        Value::Seq(items) => items.iter().filter_map(text).collect(),
        _ => text(node).into_iter().collect(),
    }
}

/// The parts of a free-text retention period that ropa can read, in the shape
/// `ropa export --format fides` writes: `<active> [from <start>][, then archived <archive>
/// [(reason: <why>)]]`. Anything else gives the first duration as the active period.
struct Period {
    starts: Option<String>,
    archive: Option<Duration>,
    reason: Option<String>,
}

impl Period {
    fn of(text: &str) -> Period {
        let (active, archived) = match text.split_once(", then archived ") {
            Some((a, rest)) => (a, Some(rest)),
            None => (text, None),
        };
        let starts = active
            .split_once(" from ")
            .map(|(_, s)| s.trim().to_string());
        let (archive, reason) = match archived {
            Some(rest) => {
                let (period, reason) = match rest.split_once(" (reason: ") {
                    Some((p, r)) => (p, Some(r.strip_suffix(')').unwrap_or(r).trim().to_string())),
                    None => (rest, None),
                };
                (duration_in(period), reason)
            }
            None => (None, None),
        };
        Period {
            starts,
            archive,
            reason,
        }
    }
}

/// The duration in a free-text retention period: the whole text when it is one, else the first
/// `<number> <unit>` in it.
pub(crate) fn duration_in(text: &str) -> Option<Duration> {
    if let Some(d) = Duration::parse(text) {
        return Some(d);
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(2).find_map(|w| {
        Duration::parse(&format!(
            "{} {}",
            w[0],
            w[1].trim_end_matches([',', '.', ';', ')'])
        ))
    })
}

impl Builder {
    /// A fides resource file that is not a system (`policy`, `dataset`…), brought in by an
    /// `include:` glob: nothing in it is a processing activity, which a note says.
    pub(super) fn other_resource(&mut self, kind: &str, at: Span) {
        let message = self.t(
            format!("fides `{kind}` resource: not a system, so no processing activity to check"),
            format!("ressource fides `{kind}` : ce n'est pas un système, donc aucune activité de traitement à vérifier"),
        );
        let d = Diagnostic::new(RuleId::MF002, Severity::Note, self.file, message)
            .at(at)
            .label(self.t("not a `system`", "pas un `system`"))
            .note(self.t(
                "ropa reads the fides `system` resources (their privacy declarations); narrow the `include:` glob to leave this file out",
                "ropa lit les ressources fides `system` (leurs déclarations de traitement) ; resserrez le motif `include:` pour écarter ce fichier",
            ));
        self.push(d);
    }

    pub(super) fn fides(&mut self, root: &Node) -> Manifest {
        let Value::Map(entries) = &root.value else {
            return Manifest::default();
        };
        let mut top = Fields::new(entries);
        let mut activities = Vec::new();
        if let Some((_, systems)) = top.get("system") {
            for system in self.list("system", systems) {
                self.system(system, &mut activities);
            }
        }
        activities
            .iter_mut()
            .enumerate()
            .for_each(|(i, a): (usize, &mut Activity)| a.index = i);
        Manifest {
            activities,
            fides: true,
        }
    }

    fn system(&mut self, node: &Node, activities: &mut Vec<Activity>) {
        let Some(mut s) = self.map("system", node) else {
            return;
        };
        self.activity = None;
        self.invalid.clear();
        self.unknown_keys(&s, SYSTEM_FIELDS, Section::Named("system"));
        let at = |f: &Fields<'_>, k: &str| f.key(k).map_or(node.span, |k| k.span);
        for (field, allowed) in [
            ("legal_basis_for_profiling", PROFILING_BASES),
            ("responsibility", RESPONSIBILITIES),
            ("data_responsibility_title", RESPONSIBILITIES),
        ] {
            for item in entry(node, field).map(items).unwrap_or_default() {
                self.fides_spelling(field, item, allowed);
            }
        }
        let key = match s.get("fides_key") {
            Some((_, v)) => self.fides_key("fides_key", v),
            None => {
                self.missing(
                    "fides_key",
                    at(&s, "fides_key"),
                    Section::Named("system"),
                    "my_system",
                );
                None
            }
        };
        let system_name = self.opt_string(&mut s, "name");
        let mut dpia_required = match s.get("requires_data_protection_assessments") {
            Some((_, v)) => self.boolean("requires_data_protection_assessments", v),
            None => None,
        };
        let mut dpia_key = s
            .key("requires_data_protection_assessments")
            .map(|k| k.span);
        let mut dpa_location = self.opt_string(&mut s, "dpa_location");
        // fideslang 1.x: `data_protection_impact_assessment: {is_required, progress, link}`;
        // the 2.x+ fields win when both are there
        if let Some((k, v)) = s.get("data_protection_impact_assessment")
            && let Some(mut block) = self.map("data_protection_impact_assessment", v)
        {
            self.unknown_keys(
                &block,
                DPIA_FIELDS,
                Section::Named("data_protection_impact_assessment"),
            );
            if let Some((rk, rv)) = block.get("is_required")
                && dpia_required.is_none()
            {
                dpia_required = self.boolean("is_required", rv);
                dpia_key = Some(rk.span);
            }
            let _ = self.opt_string(&mut block, "progress");
            let link = self.opt_string(&mut block, "link");
            if dpa_location.is_none() {
                dpa_location = link;
            }
            dpia_key.get_or_insert(k.span);
        }
        let transfers = self.system_transfers(&mut s);
        let meta = s.get("meta").map(|(_, m)| ropa_meta(m)).unwrap_or_default();
        let Some((_, declarations)) = s.get("privacy_declarations") else {
            self.missing(
                "privacy_declarations",
                at(&s, "privacy_declarations"),
                Section::Named("system"),
                "[…]",
            );
            return;
        };
        let base = key
            .as_ref()
            .map_or_else(|| "system".to_string(), |k| id_part(&k.value));
        let mut taken = std::collections::HashSet::new();
        for (i, d) in self
            .list("privacy_declarations", declarations)
            .iter()
            .enumerate()
        {
            let index = activities.len();
            if let Some(mut a) = self.declaration(d, index, i, &base, &mut taken) {
                if let Some(m) = meta.get(i) {
                    self.restore(&mut a, d, m);
                }
                if a.name.is_none() {
                    a.name = system_name.clone();
                }
                a.dpia = Some(Dpia {
                    key: dpia_key.unwrap_or(a.head),
                    required: dpia_required.clone(),
                    reference: dpa_location.clone(),
                    criteria: Vec::new(),
                });
                if dpia_key.is_none() {
                    // no DPIA decision recorded: DP001 points at the declaration
                    a.dpia = None;
                }
                a.transfers.clone_from(&transfers);
                activities.push(a);
            }
        }
    }

    /// Gives back to an activity what `ropa export` kept in `meta.ropa` for it, each detail only
    /// while the fides field it stands behind still says what the export wrote.
    fn restore(&mut self, a: &mut Activity, declaration: &Node, m: &Node) {
        let field = |name: &str| entry(declaration, name);
        let exported = |name: &str| entry(m, name);
        if let Some(id) = exported("id").and_then(text)
            && super::valid_id(&id.value)
        {
            a.id = Some(Sp {
                value: id.value,
                span: a.head,
            });
        }
        let same = |fides: Option<&Node>, kept: Option<&Node>| match (fides, kept) {
            (Some(f), Some(k)) => texts(f)
                .iter()
                .map(|s| &s.value)
                .eq(texts(k).iter().map(|s| &s.value)),
            _ => false,
        };
        if same(field("data_use"), exported("data_use"))
            && let Some(p) = exported("purpose").and_then(text)
        {
            a.purpose = Some(p);
        }
        if same(field("data_categories"), exported("fides_categories")) {
            if let Some(c) = exported("data_categories") {
                a.data_categories = texts(c);
            }
            if let Some(s) = exported("special_categories") {
                a.special_categories = texts(s)
                    .into_iter()
                    .filter_map(|t| {
                        SpecialCategory::parse(&t.value).map(|value| Sp {
                            value,
                            span: t.span,
                        })
                    })
                    .collect();
            }
        }
        if same(field("data_subjects"), exported("fides_subjects"))
            && let Some(s) = exported("data_subjects")
        {
            a.data_subjects = texts(s);
        }
        let basis = a.legal_basis.as_ref().map(|b| b.value);
        if basis == Some(LegalBasis::Consent)
            && let Some(w) = exported("consent_withdrawal").and_then(text)
        {
            a.consent = Some(crate::manifest::model::Consent {
                key: w.span,
                collection: None,
                withdrawal: Some(w),
            });
        }
        if basis == Some(LegalBasis::LegalObligation)
            && let Some(r) = exported("legal_obligation_reference").and_then(text)
        {
            a.legal_obligation = Some(crate::manifest::model::LegalObligation {
                key: r.span,
                reference: Some(r),
            });
        }
        if let Some(Value::Seq(items)) = exported("deviations").map(|d| &d.value) {
            let activity = self.activity.take();
            self.activity = Some((a.index, a.id_str().map(str::to_string)));
            a.deviations = items.iter().filter_map(|d| self.deviation(d)).collect();
            self.activity = activity;
        }
    }

    /// A string that must be a fides key (fideslang's `FidesKey`: ASCII letters, digits, `_`,
    /// `.`, `<`, `>` and `-`); one that is not is reported, and kept for the other rules.
    fn fides_key(&mut self, path: &'static str, v: &Node) -> Option<Sp<Text>> {
        let s = self.string(path, v)?;
        self.fides_keys(path, std::slice::from_ref(&s));
        Some(s)
    }

    /// Reports the values that are not fides keys.
    fn fides_keys(&mut self, path: &'static str, values: &[Sp<Text>]) {
        for s in values {
            let valid = !s.value.is_empty()
                && s.value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '<' | '>' | '-'));
            if valid {
                continue;
            }
            let message = self.t(
                format!(
                    "fideslang does not accept `{}` as a fides key in `{path}`",
                    s.value
                ),
                format!(
                    "fideslang n'accepte pas `{}` comme clé fides dans `{path}`",
                    s.value
                ),
            );
            let label = self.t("not a fides key", "pas une clé fides");
            let d = Diagnostic::new(RuleId::MF004, Severity::Error, self.file, message)
                .at(s.span)
                .label(label)
                .help(self.t(
                    "a fides key has only ASCII letters, digits, `_`, `.`, `<`, `>` and `-`, e.g. `user.contact.email`",
                    "une clé fides ne contient que des lettres ASCII, des chiffres, `_`, `.`, `<`, `>` et `-`, par exemple `user.contact.email`",
                ));
            self.push(d);
        }
    }

    /// A fides boolean (`true` or `false`).
    fn boolean(&mut self, path: &'static str, v: &Node) -> Option<Sp<bool>> {
        match v.value {
            Value::Bool(b) => Some(Sp {
                value: b,
                span: v.span,
            }),
            _ => {
                self.wrong_type(path, v, ("`true` or `false`", "`true` ou `false`"));
                None
            }
        }
    }

    /// A system's transfers, which fides records for the whole system: the countries of
    /// fideslang 1.x's `third_country_transfers`, each with the first safeguard of
    /// `legal_basis_for_transfers`; with `does_international_transfers: true` and no country,
    /// one transfer to an unnamed country.
    fn system_transfers(&mut self, s: &mut Fields<'_>) -> Vec<Transfer> {
        let does = match s.get("does_international_transfers") {
            Some((_, v)) => self.boolean("does_international_transfers", v),
            None => None,
        };
        let mut safeguard = None;
        if let Some((_, v)) = s.get("legal_basis_for_transfers") {
            for item in self.string_list("legal_basis_for_transfers", v) {
                let found = match fold(&item.value).as_str() {
                    "sccs" => Some(Safeguard::Scc),
                    "bcrs" => Some(Safeguard::Bcr),
                    "supplementarymeasures" => Some(Safeguard::Other),
                    _ => Safeguard::parse(&item.value),
                };
                if safeguard.is_none() {
                    safeguard = found.map(|value| Sp {
                        value,
                        span: item.span,
                    });
                }
            }
        }
        let mut out = Vec::new();
        if let Some((_, v)) = s.get("third_country_transfers") {
            for item in self.string_list("third_country_transfers", v) {
                out.push(Transfer {
                    span: item.span,
                    country: vocab::country(&item.value).map(|c| Sp {
                        value: c,
                        span: item.span,
                    }),
                    safeguard: safeguard.clone(),
                    description: None,
                });
            }
        }
        if out.is_empty()
            && let Some(d) = does.filter(|d| d.value)
        {
            out.push(Transfer {
                span: d.span,
                country: None,
                safeguard,
                description: None,
            });
        }
        out
    }

    /// A value of one of fideslang's enumerations, which fideslang accepts only as spelled
    /// there: a value ropa understands but fideslang would reject (`Legitimate interest`,
    /// `consent`) is read, and reported with the spelling fideslang expects.
    fn fides_spelling(&mut self, path: &'static str, node: &Node, allowed: &[&str]) {
        let Value::Str(s) = &node.value else {
            return;
        };
        if allowed.contains(&s.as_str()) {
            return;
        }
        let expected = allowed
            .iter()
            .find(|a| vocab::fold(a) == vocab::fold(s))
            .or_else(|| {
                let parsed = LegalBasis::parse(s);
                allowed
                    .iter()
                    .find(|a| parsed.is_some() && LegalBasis::parse(a) == parsed)
            })
            .or_else(|| {
                let parsed = Art9Condition::parse(s);
                allowed
                    .iter()
                    .find(|a| parsed.is_some() && Art9Condition::parse(a) == parsed)
            });
        let message = self.t(
            format!("fideslang does not accept `{s}` for `{path}`"),
            format!("fideslang n'accepte pas `{s}` pour `{path}`"),
        );
        let label = self.t(
            "not a value of fideslang's enumeration",
            "pas une valeur de l'énumération de fideslang",
        );
        let help = match expected {
            Some(e) => self.t(
                format!("write `{e}`, as fideslang spells it (`fides push` rejects the file otherwise)"),
                format!("écrivez `{e}`, comme fideslang l'orthographie (sinon `fides push` rejette le fichier)"),
            ),
            None => self.t(
                format!("use one of: {}", allowed.join(", ")),
                format!("valeurs possibles : {}", allowed.join(" ; ")),
            ),
        };
        let d = Diagnostic::new(RuleId::MF004, Severity::Error, self.file, message)
            .at(node.span)
            .label(label)
            .help(help);
        self.push(d);
    }

    /// A declaration without `legal_basis_for_processing`: optional in fideslang, so not a
    /// "missing required field", but a record of processing needs the basis (GDPR art. 6), so a
    /// warning.
    fn no_legal_basis(&mut self, at: Span, section: Section) {
        let field = "legal_basis_for_processing";
        if self.misspelled(field, section) {
            return;
        }
        let message = self.t(
            format!("no legal basis recorded: `{field}` is absent"),
            format!("aucune base légale enregistrée : `{field}` est absent"),
        );
        let d = Diagnostic::new(RuleId::MF003, Severity::Warning, self.file, message)
            .at(at)
            .label(self.t("no legal basis", "pas de base légale"))
            .help(self.t(
                format!("add `{field}:` with one of: {}", LEGAL_BASES.join(", ")),
                format!("ajoutez `{field}:` avec l'une des valeurs : {}", LEGAL_BASES.join(" ; ")),
            ))
            .note(self.t(
                "fideslang lets the field out, but every processing needs a legal basis (GDPR art. 6), and the register shows it",
                "fideslang permet d'omettre ce champ, mais tout traitement a besoin d'une base légale (RGPD art. 6), et le registre l'affiche",
            ));
        self.push(d);
    }

    fn declaration(
        &mut self,
        node: &Node,
        index: usize,
        nth: usize,
        base: &str,
        taken: &mut std::collections::HashSet<String>,
    ) -> Option<Activity> {
        let Value::Map(entries) = &node.value else {
            self.wrong_type(
                "privacy_declarations",
                node,
                ("a mapping", "un dictionnaire"),
            );
            return None;
        };
        let mut f = Fields::new(entries);
        let head = entries.first().map_or(node.span, |(k, _)| k.span);
        self.invalid.clear();
        let section = Section::Named("privacy_declarations");
        self.unknown_keys(&f, DECLARATION_FIELDS, section);
        // a misspelled fides field (`retention_peroid`) marks the ropa field it fills, so that
        // the rules about that field stay quiet: the typo is the one finding
        for (fides, ropa) in FILLS {
            let misspelled = format!("privacy_declarations.{fides}");
            if self.invalid.contains(&misspelled) {
                self.invalid.push((*ropa).to_string());
            }
        }
        let name = self.opt_string(&mut f, "name");
        let suffix = name
            .as_ref()
            .map_or_else(|| (nth + 1).to_string(), |n| id_part(&n.value));
        // fideslang lets two declarations of a system share a name: the second one's id gets its
        // position, so that ids stay unique within the system
        let mut id = format!("{base}-{suffix}");
        if !taken.insert(id.clone()) {
            id = format!("{base}-{suffix}-{}", nth + 1);
            taken.insert(id.clone());
        }
        self.activity = Some((index, Some(id.clone())));
        let mut a = Activity {
            index,
            span: node.span,
            head,
            id: Some(Sp {
                value: id.into(),
                span: head,
            }),
            name,
            ..Activity::default()
        };
        match f.get("data_use") {
            Some((_, v)) => a.purpose = self.fides_key("data_use", v),
            None => self.missing(
                "data_use",
                f.key("data_use").map_or(head, |k| k.span),
                section,
                "essential.service",
            ),
        }
        match f.get("legal_basis_for_processing") {
            Some((_, v)) => {
                a.legal_basis = self.term("legal_basis", v);
                if a.legal_basis.is_some() {
                    self.fides_spelling("legal_basis_for_processing", v, LEGAL_BASES);
                }
            }
            None => self.no_legal_basis(
                f.key("legal_basis_for_processing").map_or(head, |k| k.span),
                section,
            ),
        }
        if let Some((_, v)) = f.get("special_category_legal_basis") {
            a.special_category_condition = self.term("special_category_condition", v);
            if a.special_category_condition.is_some() {
                self.fides_spelling("special_category_legal_basis", v, SPECIAL_CATEGORY_BASES);
            }
        }
        match f.get("data_categories") {
            Some((_, v)) => {
                a.data_categories = self.string_list("data_categories", v);
                self.fides_keys("data_categories", &a.data_categories);
            }
            None => self.missing(
                "data_categories",
                f.key("data_categories").map_or(head, |k| k.span),
                section,
                "[user.contact]",
            ),
        }
        a.special_categories = a
            .data_categories
            .iter()
            .filter_map(|c| {
                special_category(&c.value).map(|s| Sp {
                    value: s,
                    span: c.span,
                })
            })
            .collect();
        match f.get("data_subjects") {
            Some((_, v)) => {
                a.data_subjects = self.string_list("data_subjects", v);
                self.fides_keys("data_subjects", &a.data_subjects);
            }
            None => self.missing(
                "data_subjects",
                f.key("data_subjects").map_or(head, |k| k.span),
                section,
                "[customer]",
            ),
        }
        if let Some((k, v)) = f.get("retention_period") {
            // fideslang 3 turns a number into text here (`coerce_numbers_to_str`)
            let text = match &v.value {
                Value::Int(n) => Some(Sp {
                    value: Text::from(n.to_string()),
                    span: v.span,
                }),
                _ => self.string("retention_period", v),
            };
            let active = text.as_ref().and_then(|t| {
                let found = duration_in(&t.value)?;
                Some(Sp {
                    value: found,
                    span: t.span,
                })
            });
            if let (Some(t), None) = (&text, &active) {
                let message = self.t(
                    format!("`retention_period` \"{}\" holds no duration ropa can check", t.value),
                    format!("`retention_period` « {} » ne contient aucune durée que ropa puisse vérifier", t.value),
                );
                let label = self.t("no duration found", "aucune durée trouvée");
                // fideslang takes any text here: a warning that ropa cannot check it, not an
                // invalid value
                let mut d = self
                    .invalid_value("retention.active", t.span, message, &label)
                    .help(self.t(
                        "state the period, e.g. \"3 years after the last purchase\"",
                        "indiquez la durée, par exemple « 3 ans après le dernier achat »",
                    ))
                    .note(self.t(
                        "fideslang accepts any text in `retention_period`; ropa checks the first duration it finds there",
                        "fideslang accepte tout texte dans `retention_period` ; ropa vérifie la première durée qu'il y trouve",
                    ));
                d.severity = Severity::Warning;
                self.push(d);
            }
            let parts = text.as_ref().map(|t| Period::of(&t.value));
            let archive = parts
                .as_ref()
                .and_then(|p| p.archive)
                .zip(text.as_ref())
                .map(|(d, t)| Sp {
                    value: d,
                    span: t.span,
                });
            let archive_reason = parts
                .as_ref()
                .and_then(|p| p.reason.clone())
                .zip(text.as_ref())
                .map(|(r, t)| Sp {
                    value: Text::from(r),
                    span: t.span,
                });
            let starts = text.map(|t| {
                let event = parts
                    .as_ref()
                    .and_then(|p| p.starts.as_deref())
                    .and_then(vocab::StartEvent::parse);
                Sp {
                    value: (t.value.clone(), event),
                    span: t.span,
                }
            });
            a.retention = Some(Retention {
                key: k.span,
                active,
                starts,
                archive,
                archive_reason,
                ..Retention::default()
            });
        }
        if let Some((k, v)) = f.get("impact_assessment_location") {
            a.legitimate_interests = Some(LegitimateInterests {
                key: k.span,
                interest: None,
                balancing_test: self.string("legitimate_interests.balancing_test", v),
            });
        }
        a.invalid = self.invalid.drain(..).collect();
        self.activity = None;
        let _: Span = a.head;
        Some(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_found_in_free_text() {
        assert_eq!(duration_in("3 years"), Some(Duration::months(36)));
        assert_eq!(
            duration_in("30 days after account closure"),
            Some(Duration::days(30))
        );
        assert_eq!(
            duration_in("Kept for 13 months."),
            Some(Duration::months(13))
        );
        assert_eq!(duration_in("until the account is deleted"), None);
    }

    #[test]
    fn ids_are_built_from_fides_keys() {
        assert_eq!(id_part("demo_analytics_system"), "demo-analytics-system");
        assert_eq!(
            id_part("Analyze customer behaviour."),
            "analyze-customer-behaviour"
        );
    }
}
