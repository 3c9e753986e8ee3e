//! The catalog of purposes: the legal facts rules check manifests against, each with its sources.

pub mod load;
pub mod lookup;
pub mod model;

pub use model::*;
