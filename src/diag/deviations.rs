//! Deviations (spec §2, §4): a documented departure from the catalog turns the matching finding
//! into a note that carries the justification; a deviation that matches nothing is SP001.

use super::{AppliedDeviation, Diagnostic, Severity};
use crate::i18n;
use crate::i18n::Lang;
use crate::manifest::model::Activity;
use crate::rules;

/// Codes a deviation cannot excuse: a manifest that cannot be read correctly is never compliant.
const NOT_DEVIABLE: &[&str] = &["MF001", "MF002", "MF003", "MF004", "SP001"];

/// Applies the deviations of one file's activities to the diagnostics of that file.
pub fn apply(file: usize, activities: &[Activity], diags: &mut Vec<Diagnostic>, lang: Lang) {
    let mut unused = Vec::new();
    for a in activities {
        // SP001 at the deviation's rule
        let mut stale = |span, message: String, label: &str, help: Option<&str>| {
            let mut d = Diagnostic::new(rules::SP001, Severity::Warning, file, message)
                .at(span)
                .label(label);
            d.help = help.map(str::to_string);
            d.activity = a.id_str().map(str::to_string);
            d.activity_index = Some(a.index);
            unused.push(d);
        };
        for dev in &a.deviations {
            let (Some(rule), Some(justification)) = (&dev.rule, &dev.justification) else {
                continue;
            };
            let code = rule.value;
            if NOT_DEVIABLE.contains(&code) {
                stale(
                    rule.span,
                    i18n::t(
                        lang,
                        format!("a deviation cannot excuse {code}: format problems must be fixed"),
                        format!(
                            "une dérogation ne peut pas excuser {code} : les problèmes de format doivent être corrigés"
                        ),
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
            for d in diags.iter_mut().filter(|d| {
                d.file == file
                    && d.activity_index == Some(a.index)
                    && d.code == code
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
