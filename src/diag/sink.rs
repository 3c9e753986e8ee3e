//! The sink: the last stop before rendering. It orders diagnostics deterministically and counts
//! them. The engine applies the configured levels just before.

use serde::Serialize;

use super::store::Findings;
use super::{Diagnostic, Severity};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub activities: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Summary {
    /// Whether a finding at or above `fail_on` was found (notes never fail a run).
    pub fn fails(&self, fail_on: Severity) -> bool {
        (fail_on <= Severity::Error && self.errors > 0)
            || (fail_on <= Severity::Warning && self.warnings > 0)
    }
}

/// The sink's order: by file (numbered in path order), position, code, then message, so that
/// equal keys stay stable. Within a file, a byte offset orders as its line and column do, so
/// ordering needs no text (the run may have let it go).
pub fn order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    (a.file, a.span.map_or(0, |s| s.start), a.code, &a.message).cmp(&(
        b.file,
        b.span.map_or(0, |s| s.start),
        b.code,
        &b.message,
    ))
}

/// Counts the findings (they come out of [`Findings::iter`] in [`order`]).
pub fn finish(diags: &Findings, reported_files: usize, activities: usize) -> Summary {
    Summary {
        files: reported_files,
        activities,
        errors: diags.count(Severity::Error),
        warnings: diags.count(Severity::Warning),
        notes: diags.count(Severity::Note),
    }
}
