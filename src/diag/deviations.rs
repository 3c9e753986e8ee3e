//! Deviations (spec §2, §4): a documented departure from the catalog turns the matching finding
//! into a note that carries the justification; a deviation that matches nothing is SP001.

use super::{AppliedDeviation, Diagnostic, Severity};
use crate::catalog::Lang;
use crate::i18n;
use crate::manifest::model::Activity;
use crate::rules;

/// Codes a deviation cannot excuse: a manifest that cannot be read correctly is never compliant.
const NOT_DEVIABLE: &[&str] = &["MF001", "MF002", "MF003", "MF004", "SP001"];

/// Applies the deviations of one file's activities to the diagnostics of that file.
pub fn apply(file: usize, activities: &[Activity], diags: &mut Vec<Diagnostic>, lang: Lang) {
    let t = |en: String, fr: String| i18n::t(lang, en, fr);
    let mut unused = Vec::new();
    for a in activities {
        for dev in &a.deviations {
            let (Some(rule), Some(justification)) = (&dev.rule, &dev.justification) else {
                continue;
            };
            if NOT_DEVIABLE.contains(&rule.value) {
                let mut d = Diagnostic::new(
                    rules::SP001,
                    Severity::Warning,
                    file,
                    t(
                        format!("a deviation cannot excuse {}: format problems must be fixed", rule.value),
                        format!("une dérogation ne peut pas excuser {} : les problèmes de format doivent être corrigés", rule.value),
                    ),
                )
                .at(rule.span)
                .label(i18n::s(lang, "this deviation has no effect", "cette dérogation est sans effet"));
                d.activity = a.id_str().map(str::to_string);
                d.activity_index = Some(a.index);
                unused.push(d);
                continue;
            }
            let mut matched = false;
            for d in diags.iter_mut().filter(|d| {
                d.file == file
                    && d.activity_index == Some(a.index)
                    && d.code == rule.value
                    && d.deviation.is_none()
            }) {
                matched = true;
                d.severity = Severity::Note;
                d.deviation = Some(AppliedDeviation {
                    justification: justification.value.clone(),
                    approved_by: dev.approved_by.as_ref().map(|a| a.value.clone()),
                });
            }
            if !matched {
                let mut d = Diagnostic::new(
                    rules::SP001,
                    Severity::Warning,
                    file,
                    t(
                        format!("deviation for {0} but {0} did not fire on this activity", rule.value),
                        format!("dérogation pour {0} alors que {0} ne s'est pas déclenchée sur cette activité", rule.value),
                    ),
                )
                .at(rule.span)
                .label(i18n::s(lang, "nothing to excuse here", "rien à excuser ici"))
                .help(i18n::s(
                    lang,
                    "remove the deviation, or keep it only while the rule fires",
                    "retirez la dérogation, ou ne la gardez que tant que la règle se déclenche",
                ));
                d.activity = a.id_str().map(str::to_string);
                d.activity_index = Some(a.index);
                unused.push(d);
            }
        }
    }
    diags.extend(unused);
}
