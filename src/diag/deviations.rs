//! Deviations (spec §2, §4): a documented departure from the catalog turns the matching finding
//! into a note that carries the justification; a deviation that matches nothing is SP001.
//! They are applied once, after every rule (per-activity and repository rules) has run.

use super::{AppliedDeviation, Diagnostic, RuleId, Severity};
use crate::i18n::{self, Lang};
use crate::manifest::model::{Activity, Deviation};

/// One activity's deviations: what the engine keeps of a manifest to apply them.
#[derive(Clone, Debug)]
pub struct ActivityDeviations {
    pub index: usize,
    pub id: Option<String>,
    pub deviations: Vec<Deviation>,
}

/// A file's deviations, activity by activity (activities without any are left out).
pub type Deviations = Vec<ActivityDeviations>;

/// What `apply` needs of a file's activities.
pub fn of(activities: &[Activity]) -> Deviations {
    activities
        .iter()
        .filter(|a| !a.deviations.is_empty())
        .map(|a| ActivityDeviations {
            index: a.index,
            id: a.id_str().map(str::to_string),
            deviations: a.deviations.clone(),
        })
        .collect()
}

/// Applies one file's deviations to the diagnostics of that file.
pub fn apply(
    file: usize,
    activities: &[ActivityDeviations],
    diags: &mut Vec<Diagnostic>,
    lang: Lang,
) {
    let mut unused = Vec::new();
    for a in activities {
        // SP001 at the deviation's rule
        let mut stale = |span, message: String, label: &str, help: Option<&str>| {
            let mut d = Diagnostic::new(RuleId::SP001, Severity::Warning, file, message)
                .at(span)
                .label(label);
            d.help = help.map(str::to_string);
            d.activity.clone_from(&a.id);
            d.activity_index = Some(a.index);
            unused.push(d);
        };
        for dev in &a.deviations {
            let (Some(rule), Some(justification)) = (&dev.rule, &dev.justification) else {
                continue;
            };
            let code = rule.value;
            if !code.deviable() {
                stale(
                    rule.span,
                    i18n::t(
                        lang,
                        format!("a deviation cannot excuse {code}: it must be fixed"),
                        format!("une dérogation ne peut pas excuser {code} : il faut le corriger"),
                    ),
                    i18n::s(
                        lang,
                        "this deviation has no effect",
                        "cette dérogation est sans effet",
                    ),
                    None,
                );
                continue;
            }
            let mut matched = false;
            for d in diags
                .iter_mut()
                .filter(|d| d.file == file && d.activity_index == Some(a.index) && d.code == code)
            {
                // a finding excused twice keeps the first justification, and is still matched
                matched = true;
                if d.deviation.is_none() {
                    d.severity = Severity::Note;
                    d.deviation = Some(AppliedDeviation {
                        justification: justification.value.to_string(),
                        approved_by: dev.approved_by.as_ref().map(|a| a.value.to_string()),
                    });
                }
            }
            if !matched {
                stale(
                    rule.span,
                    i18n::t(
                        lang,
                        format!("deviation for {code} but {code} did not fire on this activity"),
                        format!(
                            "dérogation pour {code} alors que {code} ne s'est pas déclenchée sur cette activité"
                        ),
                    ),
                    i18n::s(lang, "nothing to excuse here", "rien à excuser ici"),
                    Some(i18n::s(
                        lang,
                        "remove the deviation, or keep it only while the rule fires",
                        "retirez la dérogation, ou ne la gardez que tant que la règle se déclenche",
                    )),
                );
            }
        }
    }
    diags.extend(unused);
}
