//! ropa: a linter for GDPR records of processing activities kept as code.
//!
//! The flow is one-way: [`engine`] (discover, read) → [`yaml`] (spanned nodes) → [`manifest`] (typed model) →
//! [`rules`] → [`diag::deviations`] → [`diag::sink`] → [`render`] → exit status. Only renderers
//! produce text; everything before them is data.

pub mod allocator;
pub mod app;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod coverage;
pub mod diag;
pub mod diff;
pub mod engine;
pub mod harness;
pub mod hash;
pub mod i18n;
pub mod manifest;
pub mod register;
pub mod render;
pub mod rules;
pub mod schema;
pub mod source;
pub mod yaml;
