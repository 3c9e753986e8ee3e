//! The sink: the last stop before rendering. It orders diagnostics deterministically and counts
//! them. The engine applies the configured levels just before.

use serde::Serialize;

use super::{Diagnostic, Severity};
use crate::source::Source;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub activities: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
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
