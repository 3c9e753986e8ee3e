//! The block YAML reader against granit-parser on arbitrary text: wherever the reader takes a
//! text, its events (values, styles, byte spans) must be granit-parser's, and the whole tree
//! serde-saphyr's. A difference or a panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(diff) = ropa::yaml::block_reader_agrees(text) {
        panic!("block reader and granit-parser disagree on {text:?}: {diff}");
    }
    let source = ropa::source::Source::new("t.yaml".into(), "t.yaml".into(), text.into());
    assert_eq!(
        ropa::yaml::parse(&source),
        ropa::yaml::parse_reference(&source),
        "fast path and serde-saphyr disagree on {text:?}"
    );
});
