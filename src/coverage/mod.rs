//! Coverage: what the code processes that no manifest declares. Files that can hold personal
//! data fields or processor SDKs are chosen by name ([`fields::kind`], [`deps::reader`]), read
//! under the run's read policy, and matched against the manifests' `code:` globs, data
//! categories and recipients.

pub mod deps;
pub mod fields;
pub mod paths;
pub mod scan;
pub mod vendors;
pub mod words;

/// A text's lines without their line ends, each with the byte offset it starts at.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n').map(move |l| {
        let start = at;
        at += l.len();
        (start, l.trim_end_matches(['\n', '\r']))
    })
}
