//! The manifest: its typed model, the builder that makes it from YAML, and its vocabularies.

pub mod duration;
pub mod model;
pub mod parse;
pub mod vocab;
