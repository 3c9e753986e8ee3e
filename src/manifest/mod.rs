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

/// The most globs a thread remembers as valid ([`glob_error`]), and the longest one it keeps.
const REMEMBERED: usize = 1024;
const LONGEST: usize = 256;

thread_local! {
    /// The globs this thread found valid.
    static VALID: std::cell::RefCell<std::collections::HashSet<Box<str>>> =
        std::cell::RefCell::default();
}

/// Why a `code:` glob does not read ([`glob`]), or `None` when it reads. Repositories repeat a
/// few globs (`src/**`) in manifest after manifest: each thread remembers the globs it found
/// valid, a bounded set emptied when full, so that a glob is parsed once rather than once an
/// activity. An invalid glob is never remembered: its error is worked out each time.
pub fn glob_error(text: &str) -> Option<globset::Error> {
    VALID.with_borrow_mut(|valid| {
        if valid.contains(text) {
            return None;
        }
        let error = glob(text).err();
        if error.is_none() && text.len() <= LONGEST {
            if valid.len() >= REMEMBERED {
                valid.clear();
            }
            valid.insert(text.into());
        }
        error
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The remembered answer is the one [`glob`] gives, the first time and after; the set of
    /// remembered globs never grows past its bound, and keeps no long glob.
    #[test]
    fn glob_errors_are_remembered_within_bounds() {
        for text in [
            "src/**",
            "./src/*.py",
            "a/{b,c}/[de]?",
            "src/[",
            "{a,",
            "src/**",
        ] {
            let expected = glob(text).err().map(|e| e.kind().clone());
            for _ in 0..2 {
                assert_eq!(
                    glob_error(text).map(|e| e.kind().clone()),
                    expected,
                    "{text}"
                );
            }
        }
        assert!(VALID.with_borrow(|v| v.contains("src/**") && !v.contains("src/[")));
        let long = "x".repeat(LONGEST + 1);
        assert!(glob_error(&long).is_none());
        assert!(VALID.with_borrow(|v| !v.contains(long.as_str())));
        for n in 0..3 * REMEMBERED {
            assert!(glob_error(&format!("dir-{n}/**")).is_none());
            assert!(VALID.with_borrow(|v| v.len() <= REMEMBERED));
        }
        // still right once the set was emptied
        assert!(glob_error("src/[").is_some());
        assert!(glob_error("src/**").is_none());
    }
}
