//! Deviations (spec §2, §4): a documented departure from the catalog turns the matching finding
//! into a note that carries the justification; a deviation that matches nothing is SP001.

use super::{AppliedDeviation, Diagnostic, Severity};
use crate::manifest::model::Activity;
use crate::rules;

/// Codes a deviation cannot excuse: a manifest that cannot be read correctly is never compliant.
const NOT_DEVIABLE: &[&str] = &["MF001", "MF002", "MF003", "MF004", "SP001"];

/// Applies the deviations of one file's activities to the diagnostics of that file.
pub fn apply(file: usize, activities: &[Activity], diags: &mut Vec<Diagnostic>) {
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
                    format!(
                        "a deviation cannot excuse {}: format problems must be fixed",
                        rule.value
                    ),
                )
                .at(rule.span)
                .label("this deviation has no effect");
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
                    format!(
                        "deviation for {} but {} did not fire on this activity",
                        rule.value, rule.value
                    ),
                )
                .at(rule.span)
                .label("nothing to excuse here")
                .help("remove the deviation, or keep it only while the rule fires");
                d.activity = a.id_str().map(str::to_string);
                d.activity_index = Some(a.index);
                unused.push(d);
            }
        }
    }
    diags.extend(unused);
}
