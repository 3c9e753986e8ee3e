//! The sink: the last stop before rendering. It orders diagnostics deterministically and counts
//! them. The engine applies the configured levels just before.

use serde::Serialize;

use super::{Diagnostic, Severity};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub activities: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

/// Sorts by file (numbered in path order), position, code (then message, so equal keys stay
/// stable) and counts.
pub fn finish(diags: &mut [Diagnostic], reported_files: usize, activities: usize) -> Summary {
    // files are numbered in path order; within a file, a byte offset orders as its line and
    // column do, so sorting needs no text (the run may have let it go)
    diags.sort_by(|a, b| {
        (a.file, a.span.map_or(0, |s| s.start), a.code, &a.message).cmp(&(
            b.file,
            b.span.map_or(0, |s| s.start),
            b.code,
            &b.message,
        ))
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
