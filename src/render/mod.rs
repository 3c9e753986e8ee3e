//! Renderers: one file per output format. They turn diagnostics into text and decide nothing
//! about compliance.

pub mod human;
pub mod json;

use crate::diag::Diagnostic;
use crate::diag::sink::Summary;
use crate::source::Source;

/// Everything a renderer needs.
pub struct Report<'a> {
    pub files: &'a [Source],
    pub diagnostics: &'a [Diagnostic],
    pub summary: Summary,
    /// `cnil-fr@2026.11`
    pub catalog: &'a str,
}

/// Output formats of `ropa lint`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with source snippets
    Human,
    /// the JSON report (spec §6)
    Json,
}
