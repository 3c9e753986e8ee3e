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
use crate::manifest::duration::Duration;
use crate::manifest::model::{Activity, Dpia, LegitimateInterests, Manifest, Retention, Sp};
use crate::manifest::vocab::{SpecialCategory, fold};
use crate::source::Span;
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

/// The special category a fides data category names, if any.
fn special_category(key: &str) -> Option<SpecialCategory> {
    let k = fold(key);
    let has = |w: &str| k.contains(w);
    Some(if has("health") || has("medical") {
        SpecialCategory::Health
    } else if has("biometric") {
        SpecialCategory::Biometric
    } else if has("genetic") {
        SpecialCategory::Genetic
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
        Manifest { activities }
    }

    fn system(&mut self, node: &Node, activities: &mut Vec<Activity>) {
        let Some(mut s) = self.map("system", node) else {
            return;
        };
        self.activity = None;
        self.invalid.clear();
        self.unknown_keys(&s, SYSTEM_FIELDS, Section::Named("system"));
        let at = |f: &Fields<'_>, k: &str| f.key(k).map_or(node.span, |k| k.span);
        let key = match s.get("fides_key") {
            Some((_, v)) => self.string("fides_key", v),
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
        let dpia_required = match s.get("requires_data_protection_assessments") {
            Some((_, v)) => match v.value {
                Value::Bool(b) => Some(Sp {
                    value: b,
                    span: v.span,
                }),
                _ => {
                    self.wrong_type(
                        "requires_data_protection_assessments",
                        v,
                        ("`true` or `false`", "`true` ou `false`"),
                    );
                    None
                }
            },
            None => None,
        };
        let dpia_key = s
            .key("requires_data_protection_assessments")
            .map(|k| k.span);
        let dpa_location = self.opt_string(&mut s, "dpa_location");
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
        for (i, d) in self
            .list("privacy_declarations", declarations)
            .iter()
            .enumerate()
        {
            let index = activities.len();
            if let Some(mut a) = self.declaration(d, index, i, &base) {
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
                activities.push(a);
            }
        }
    }

    fn declaration(
        &mut self,
        node: &Node,
        index: usize,
        nth: usize,
        base: &str,
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
        let id = format!("{base}-{suffix}");
        self.activity = Some((index, Some(id.clone())));
        let mut a = Activity {
            index,
            span: node.span,
            head,
            id: Some(Sp {
                value: id,
                span: head,
            }),
            name,
            ..Activity::default()
        };
        match f.get("data_use") {
            Some((_, v)) => a.purpose = self.string("purpose", v),
            None => self.missing(
                "data_use",
                f.key("data_use").map_or(head, |k| k.span),
                section,
                "essential.service",
            ),
        }
        match f.get("legal_basis_for_processing") {
            Some((_, v)) => a.legal_basis = self.term("legal_basis", v),
            None => self.missing(
                "legal_basis_for_processing",
                f.key("legal_basis_for_processing").map_or(head, |k| k.span),
                section,
                "Legitimate interests",
            ),
        }
        if let Some((_, v)) = f.get("special_category_legal_basis") {
            a.special_category_condition = self.term("special_category_condition", v);
        }
        match f.get("data_categories") {
            Some((_, v)) => a.data_categories = self.string_list("data_categories", v),
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
            Some((_, v)) => a.data_subjects = self.string_list("data_subjects", v),
            None => self.missing(
                "data_subjects",
                f.key("data_subjects").map_or(head, |k| k.span),
                section,
                "[customer]",
            ),
        }
        if let Some((k, v)) = f.get("retention_period") {
            let text = self.string("retention_period", v);
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
                let d = self
                    .invalid_value("retention.active", t.span, message, &label)
                    .help(self.t(
                        "state the period, e.g. \"3 years after the last purchase\"",
                        "indiquez la durée, par exemple « 3 ans après le dernier achat »",
                    ));
                self.push(d);
            }
            a.retention = Some(Retention {
                key: k.span,
                active,
                starts: text.map(|t| Sp {
                    value: (t.value.clone(), None),
                    span: t.span,
                }),
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
