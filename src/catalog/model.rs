//! The catalog format. The built-in catalog (`catalogs/cnil.yaml`) is data in this shape, and so
//! are organisation catalogs.

use std::collections::BTreeMap;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::i18n::Lang;
use crate::manifest::duration::Duration;
use crate::manifest::vocab::{DpiaCriterion, LegalBasis, SpecialCategory, Vocabulary};

/// A text in English and French.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    pub fr: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        }
    }
}

/// How well a fact is established, as the research graded it.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    /// Read in the primary text (CNIL deliberation or page, statute).
    Primary,
    /// Reported by a secondary source quoting the primary text.
    Secondary,
    /// Not checked against a primary text: rules built on it only warn.
    Unverified,
}

impl Evidence {
    /// Whether a finding built on this fact may be an error. Only a fact read in the primary
    /// text may; anything else only ever warns.
    pub fn binding(self) -> bool {
        self == Evidence::Primary
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Primary => "primary",
            Evidence::Secondary => "secondary",
            Evidence::Unverified => "unverified",
        }
    }

    /// The grade in a language: `primary`, or `texte primaire`.
    pub fn word(self, lang: crate::i18n::Lang) -> &'static str {
        match (self, lang) {
            (_, crate::i18n::Lang::En) => self.as_str(),
            (Evidence::Primary, crate::i18n::Lang::Fr) => "texte primaire",
            (Evidence::Secondary, crate::i18n::Lang::Fr) => "source secondaire",
            (Evidence::Unverified, crate::i18n::Lang::Fr) => "non vérifié",
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub catalog: Meta,
    /// Source documents, by key; facts cite them by key.
    pub sources: BTreeMap<String, SourceDoc>,
    pub purposes: Vec<Purpose>,
    /// The CNIL lists of processing that require a DPIA, and that do not.
    #[serde(default)]
    pub dpia_lists: Option<DpiaLists>,
}

/// An organisation catalog: it adds purposes, and overrides built-in ones field by field.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    pub catalog: Meta,
    #[serde(default)]
    pub sources: BTreeMap<String, SourceDoc>,
    #[serde(default)]
    pub purposes: Vec<PurposePatch>,
    #[serde(default)]
    pub dpia_lists: Option<DpiaLists>,
}

/// A purpose in an organisation catalog. For a new id every field a purpose needs must be given;
/// for an existing id, the fields given replace the built-in ones and the others are kept.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurposePatch {
    pub id: Spanned<String>,
    pub label: Option<Text>,
    pub aliases: Option<Vec<String>>,
    pub summary: Option<Text>,
    pub legal_bases: Option<Vec<BasisEntry>>,
    pub not_consistent: Option<Vec<NotConsistent>>,
    pub dpia: Option<DpiaDuty>,
    pub implies_criteria: Option<Vec<ImpliedCriterion>>,
    pub retention: Option<Vec<RetentionFigure>>,
    pub notes: Option<Vec<Note>>,
    pub sources: Option<Vec<Spanned<String>>>,
}

impl PurposePatch {
    /// Applies the fields given to a purpose.
    pub fn apply(self, p: &mut Purpose) {
        macro_rules! set {
            ($($field:ident),*) => { $(if let Some(v) = self.$field { p.$field = v; })* };
        }
        set!(
            label,
            aliases,
            summary,
            legal_bases,
            not_consistent,
            dpia,
            implies_criteria,
            retention,
            notes,
            sources
        );
    }

    /// A new purpose: every required field must be given.
    pub fn into_purpose(self) -> Result<Purpose, Vec<&'static str>> {
        let mut missing = Vec::new();
        if self.label.is_none() {
            missing.push("label");
        }
        if self.summary.is_none() {
            missing.push("summary");
        }
        if self.legal_bases.is_none() {
            missing.push("legal_bases");
        }
        if self.dpia.is_none() {
            missing.push("dpia");
        }
        if self.retention.is_none() {
            missing.push("retention");
        }
        if self.sources.is_none() {
            missing.push("sources");
        }
        match (
            self.label,
            self.summary,
            self.legal_bases,
            self.dpia,
            self.retention,
            self.sources,
        ) {
            (
                Some(label),
                Some(summary),
                Some(legal_bases),
                Some(dpia),
                Some(retention),
                Some(sources),
            ) => Ok(Purpose {
                id: self.id.value,
                label,
                aliases: self.aliases.unwrap_or_default(),
                summary,
                legal_bases,
                not_consistent: self.not_consistent.unwrap_or_default(),
                dpia,
                implies_criteria: self.implies_criteria.unwrap_or_default(),
                retention,
                notes: self.notes.unwrap_or_default(),
                sources,
            }),
            _ => Err(missing),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DpiaLists {
    /// Délibération 2018-327: a DPIA is mandatory.
    pub required: DpiaList,
    /// Délibération 2019-118: no DPIA is needed.
    pub exempt: DpiaList,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DpiaList {
    pub title: Text,
    pub sources: Vec<Spanned<String>>,
    pub items: Vec<ListItem>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListItem {
    pub item: u32,
    pub text: Text,
    /// When a manifest shows this case (all the conditions hold). Items without `when` cannot be
    /// recognised from a manifest and are shown for information.
    #[serde(default)]
    pub when: Option<When>,
}

/// Conditions on an activity; every condition given must hold.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// How well these conditions render the list item's own words: a case recognised through
    /// conditions that are not `primary` is only ever a warning.
    pub evidence: Evidence,
    /// The activity's purpose is one of these.
    #[serde(default)]
    pub purposes: Vec<String>,
    /// The activity lists one of these special categories.
    #[serde(default)]
    pub special_categories: Vec<SpecialCategory>,
    /// All these WP248 criteria are met (declared or implied).
    #[serde(default)]
    pub criteria: Vec<DpiaCriterion>,
    /// A data category contains one of these words (case and accents ignored).
    #[serde(default)]
    pub data_categories: Vec<String>,
    /// A data subject contains one of these words (case and accents ignored).
    #[serde(default)]
    pub data_subjects: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub id: String,
    pub version: String,
    pub title: Text,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceDoc {
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    pub id: String,
    pub label: Text,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub summary: Text,
    pub legal_bases: Vec<BasisEntry>,
    /// Bases the catalog holds inconsistent and explains (others are simply not listed).
    #[serde(default)]
    pub not_consistent: Vec<NotConsistent>,
    pub dpia: DpiaDuty,
    /// WP248 criteria the purpose meets by its nature (e.g. CCTV is systematic monitoring); they
    /// count towards DP004 like criteria implied by the manifest.
    #[serde(default)]
    pub implies_criteria: Vec<ImpliedCriterion>,
    pub retention: Vec<RetentionFigure>,
    /// Where this answer departs from answers given elsewhere, and other advice.
    #[serde(default)]
    pub notes: Vec<Note>,
    pub sources: Vec<Spanned<String>>,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum BasisStatus {
    /// The basis the catalog recommends for the purpose.
    Recommended,
    /// Consistent with the purpose.
    Consistent,
    /// Consistent only under a condition the tool cannot check.
    Conditional,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasisEntry {
    pub basis: LegalBasis,
    pub status: BasisStatus,
    pub why: Text,
    #[serde(default)]
    pub condition: Option<Text>,
    pub evidence: Evidence,
    pub sources: Vec<Spanned<String>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotConsistent {
    pub basis: LegalBasis,
    pub why: Text,
    /// A purpose of the catalog that covers what this basis would be right for.
    #[serde(default)]
    pub see: Option<Spanned<String>>,
    pub evidence: Evidence,
    pub sources: Vec<Spanned<String>>,
}

/// A WP248 criterion a purpose meets by its nature, with the source that says so.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImpliedCriterion {
    pub criterion: DpiaCriterion,
    pub why: Text,
    pub evidence: Evidence,
    pub sources: Vec<Spanned<String>>,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Duty {
    /// A DPIA is mandatory (e.g. the purpose is on the CNIL list).
    Always,
    /// No DPIA is needed (e.g. the purpose is on the CNIL exemption list).
    Never,
    /// Decide case by case with the WP248 criteria.
    Assess,
}

impl Duty {
    pub fn as_str(self) -> &'static str {
        match self {
            Duty::Always => "always",
            Duty::Never => "never",
            Duty::Assess => "assess",
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DpiaDuty {
    pub duty: Duty,
    pub why: Text,
    /// What turns the duty into "required" for this purpose.
    #[serde(default)]
    pub triggers: Vec<Text>,
    pub evidence: Evidence,
    pub sources: Vec<Spanned<String>>,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Bound {
    Maximum,
    Minimum,
}

/// Which part of a manifest's retention a figure is compared with.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AppliesTo {
    /// `retention.active`.
    Active,
    /// `retention.archive`.
    Archive,
    /// `retention.active` + `retention.archive`.
    Total,
    /// Shown by `ropa recommend`, not compared (e.g. how long to keep a consent record).
    Informative,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Nature {
    /// Set by a statute: departing from it breaks the law.
    Statutory,
    /// A CNIL recommendation: departing from it needs a justification.
    Recommended,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionFigure {
    pub bound: Bound,
    pub applies_to: AppliesTo,
    /// The kind of data the figure is for, when the purpose has several (badge access logs and
    /// working-time records). Without it the figure is for all the purpose's data.
    #[serde(default)]
    pub data: Option<DataKind>,
    /// Required unless the figure is informative.
    #[serde(default)]
    pub duration: Option<Duration>,
    /// The event that starts the clock.
    #[serde(default)]
    pub starts: Option<String>,
    pub nature: Nature,
    pub what: Text,
    pub evidence: Evidence,
    pub sources: Vec<Spanned<String>>,
    /// The organisation catalog that set this figure (`None`: the built-in catalog).
    #[serde(skip)]
    pub set_by: Option<String>,
}

/// A kind of data within a purpose, and the words that recognise it in a manifest's
/// `data_categories` (case and accents ignored).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataKind {
    pub en: String,
    pub fr: String,
    pub words: Vec<String>,
}

impl DataKind {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub text: Text,
    pub sources: Vec<Spanned<String>>,
}

/// Reads a vocabulary term (any of its spellings) from a catalog.
fn vocab<'de, D: Deserializer<'de>, V: Vocabulary>(d: D) -> Result<V, D::Error> {
    let s = String::deserialize(d)?;
    V::parse(&s).ok_or_else(|| {
        de::Error::custom(format!(
            "unknown {} `{s}`; expected one of: {}",
            V::WHAT,
            V::tokens().join(", ")
        ))
    })
}

impl<'de> Deserialize<'de> for LegalBasis {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        vocab(d)
    }
}

impl<'de> Deserialize<'de> for SpecialCategory {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        vocab(d)
    }
}

impl<'de> Deserialize<'de> for DpiaCriterion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        vocab(d)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Duration::parse(&s).ok_or_else(|| {
            de::Error::custom(format!(
                "`{s}` is not a duration (examples: `3 years`, `36 months`, `P1Y6M`)"
            ))
        })
    }
}

impl Purpose {
    pub fn basis(&self, basis: LegalBasis) -> Option<&BasisEntry> {
        self.legal_bases.iter().find(|b| b.basis == basis)
    }

    pub fn recommended(&self) -> impl Iterator<Item = &BasisEntry> {
        self.legal_bases
            .iter()
            .filter(|b| b.status == BasisStatus::Recommended)
    }
}
