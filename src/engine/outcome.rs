//! What a run produced, for every command that consumes it: `lint` renders it, `register` and
//! `export` turn it into documents.

use crate::diag::Problem;
use crate::diag::sink::Summary;
use crate::diag::store::Findings;
use crate::manifest::model::Manifest;
use crate::source::Source;

/// The result of linting a set of paths. A file's id is its index in `sources`, assigned once,
/// in path order; `manifests` and `reported` are indexed the same way.
#[derive(Debug, Default)]
pub struct Outcome {
    pub sources: Vec<Source>,
    /// The manifest read from each source, when the request keeps them (`keep_manifests`;
    /// otherwise this list is empty): empty for a file that could not be parsed, or that the
    /// request did not keep.
    pub manifests: Vec<Manifest>,
    /// Whether each source is reported on (all of them, unless the request named files or a
    /// git ref).
    pub reported: Vec<bool>,
    /// Given in the sink's order: path, line, column, code.
    pub diagnostics: Findings,
    pub summary: Summary,
    /// What kept the run from being complete: paths that could not be read, a configuration
    /// or catalog that could not be used. Not empty means exit status 2.
    pub problems: Vec<Problem>,
    /// Each file's activities, by id (`None` for one without), in the file's order.
    pub activities: Vec<crate::rules::duplicate_activity_id::ActivityIds>,
    /// The repository's root (paths in reports are relative to it).
    pub root: Option<std::path::PathBuf>,
    /// How to read again the texts the run let go (a renderer reads them one at a time).
    pub reread: Option<super::read::Policy>,
    /// What coverage found (a whole-tree run with coverage only).
    pub coverage: Option<crate::coverage::scan::Table>,
    /// With [`super::run::Request::touched_by`]: the manifests that name one of those files,
    /// by their paths as walked.
    pub touching: Vec<std::path::PathBuf>,
}

impl Outcome {
    /// A run that could not start: only problems.
    pub fn failed(problems: Vec<Problem>) -> Outcome {
        Outcome {
            problems,
            ..Outcome::default()
        }
    }

    /// Whether the run did all of its job.
    pub fn is_complete(&self) -> bool {
        self.problems.is_empty()
    }
}
