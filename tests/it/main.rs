//! The integration tests, in one binary (linking one test binary per file costs minutes on two
//! cores). Each module is one area; `common` holds what they share.

mod catalog;
mod cli;
mod cmd;
mod common;
mod config;
mod coverage;
mod diff;
mod docs;
mod fides;
mod formats;
mod hostile;
mod index;
mod lang;
mod properties;
mod purposes;
mod questions;
mod register;
mod rules;
mod snapshots;
mod yaml;
