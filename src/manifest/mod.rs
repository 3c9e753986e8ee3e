//! The manifest: its typed model, the builder that makes it from YAML, and its vocabularies.

pub mod duration;
pub mod model;
pub mod parse;
pub mod vocab;

/// Reads a `code:` glob as RF002 matches it: relative to the manifest's directory, a leading
/// `./` dropped, `*` stopping at `/`. The parser uses it, so that a glob that does
/// not parse is an invalid value (MF004) rather than one that matches nothing. Reading is cheap;
/// `compile_matcher` (building the regex) is left to those who match, and cached by RF002.
pub fn glob(glob: &str) -> Result<globset::Glob, globset::Error> {
    let glob = glob.trim().trim_start_matches("./");
    globset::GlobBuilder::new(glob)
        .literal_separator(true)
        .build()
}
