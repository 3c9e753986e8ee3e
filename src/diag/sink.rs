//! The sink: the last stop before rendering. It orders diagnostics deterministically and counts
//! them; later it is also where severity overrides from the configuration apply.

use serde::Serialize;

use super::{Diagnostic, Severity};
use crate::config::Settings;
use crate::source::Source;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub activities: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

/// Applies the configured rule levels (`rules:`, `per_path:`): a rule set `off` is dropped,
/// others take the configured severity. A finding excused by a deviation stays a note.
pub fn apply_levels(diags: &mut Vec<Diagnostic>, files: &[Source], settings: &Settings) {
    if settings.rules.is_empty() && settings.per_path.is_empty() {
        return;
    }
    let rel: Vec<String> = files
        .iter()
        .map(|f| {
            settings
                .relative(&f.path)
                .unwrap_or_else(|| f.display.clone())
        })
        .collect();
    diags.retain_mut(|d| match settings.level(d.code.as_str(), &rel[d.file]) {
        None => true,
        Some(level) => match level.severity() {
            None => false,
            Some(_) if d.deviation.is_some() => true,
            Some(severity) => {
                d.severity = severity;
                true
            }
        },
    });
}

/// Sorts by path, line, column, code (then message, so equal keys stay stable) and counts.
pub fn finish(
    diags: &mut [Diagnostic],
    files: &[Source],
    reported_files: usize,
    activities: usize,
) -> Summary {
    diags.sort_by_cached_key(|d| {
        let pos = d.span.map(|s| files[d.file].position(s.start));
        (
            files[d.file].display.clone(),
            pos.map_or(0, |p| p.line),
            pos.map_or(0, |p| p.column),
            d.code,
            d.message.clone(),
        )
    });
    let mut summary = Summary {
        files: reported_files,
        activities,
        ..Summary::default()
    };
    for d in diags.iter() {
        match d.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Note => summary.notes += 1,
        }
    }
    summary
}
