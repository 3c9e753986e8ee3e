//! Lints arbitrary bytes as a manifest and renders the findings in every format and language,
//! through the harness the property tests use (`ropa::harness`). Any panic is a bug: so is a
//! span outside the file or off a character boundary, or a report that is not well formed.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    ropa::harness::lint_and_render(text);
});
