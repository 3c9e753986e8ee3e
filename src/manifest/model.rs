//! The typed manifest model (format v1, spec §2). Values that rules cite keep their span.

use std::collections::HashSet;

use super::duration::Duration;
use super::vocab::{
    Art9Condition, DpiaCriterion, EndOfLife, LegalBasis, Safeguard, SpecialCategory, StartEvent,
};
use crate::source::Span;
pub use crate::yaml::Text;

/// A value and the span of its YAML.
#[derive(Clone, Debug, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Clone, Debug, Default)]
pub struct Manifest {
    pub activities: Vec<Activity>,
    /// Read from a fides `system` file: help lines name fides fields
    /// ([`crate::manifest::parse::fides::help`]).
    pub fides: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Activity {
    /// Position in the file's `activities` list.
    pub index: usize,
    /// The whole activity mapping.
    pub span: Span,
    /// Where "missing field" diagnostics about the activity point: its first key.
    pub head: Span,
    pub id: Option<Sp<Text>>,
    pub name: Option<Sp<Text>>,
    pub purpose: Option<Sp<Text>>,
    pub description: Option<Sp<Text>>,
    pub controller: Option<Controller>,
    pub legal_basis: Option<Sp<LegalBasis>>,
    pub legitimate_interests: Option<LegitimateInterests>,
    pub consent: Option<Consent>,
    pub legal_obligation: Option<LegalObligation>,
    pub data_subjects: Vec<Sp<Text>>,
    pub data_categories: Vec<Sp<Text>>,
    pub special_categories: Vec<Sp<SpecialCategory>>,
    pub special_category_condition: Option<Sp<Art9Condition>>,
    pub dpia: Option<Dpia>,
    pub retention: Option<Retention>,
    pub recipients: Vec<Sp<Text>>,
    pub transfers: Vec<Transfer>,
    pub code: Vec<Sp<Text>>,
    pub deviations: Vec<Deviation>,
    /// Dotted paths of fields that were present but invalid (already reported as MF004), so that
    /// rules about missing fields stay quiet about them.
    pub invalid: HashSet<String>,
}

impl Activity {
    pub fn is_invalid(&self, path: &str) -> bool {
        self.invalid.contains(path)
    }

    pub fn id_str(&self) -> Option<&str> {
        self.id.as_ref().map(|i| i.value.as_str())
    }
}

#[derive(Clone, Debug, Default)]
pub struct Controller {
    pub key: Span,
    pub name: Option<Sp<Text>>,
    pub contact: Option<Sp<Text>>,
}

#[derive(Clone, Debug, Default)]
pub struct LegitimateInterests {
    pub key: Span,
    pub interest: Option<Sp<Text>>,
    pub balancing_test: Option<Sp<Text>>,
}

#[derive(Clone, Debug, Default)]
pub struct Consent {
    pub key: Span,
    pub collection: Option<Sp<Text>>,
    pub withdrawal: Option<Sp<Text>>,
}

#[derive(Clone, Debug, Default)]
pub struct LegalObligation {
    pub key: Span,
    pub reference: Option<Sp<Text>>,
}

#[derive(Clone, Debug, Default)]
pub struct Dpia {
    pub key: Span,
    pub required: Option<Sp<bool>>,
    pub reference: Option<Sp<Text>>,
    pub criteria: Vec<Sp<DpiaCriterion>>,
}

#[derive(Clone, Debug, Default)]
pub struct Retention {
    pub key: Span,
    pub active: Option<Sp<Duration>>,
    /// The free text and, when recognised, the well-known event.
    pub starts: Option<Sp<(Text, Option<StartEvent>)>>,
    pub archive: Option<Sp<Duration>>,
    pub archive_reason: Option<Sp<Text>>,
    pub then: Option<Sp<EndOfLife>>,
}

#[derive(Clone, Debug)]
pub struct Transfer {
    pub span: Span,
    pub country: Option<Sp<&'static str>>,
    pub safeguard: Option<Sp<Safeguard>>,
    pub description: Option<Sp<Text>>,
}

#[derive(Clone, Debug)]
pub struct Deviation {
    pub span: Span,
    pub rule: Option<Sp<crate::diag::RuleId>>,
    pub justification: Option<Sp<Text>>,
    pub approved_by: Option<Sp<Text>>,
}
