//! The YAML fast paths against their references:
//! - the tree built from events against serde-saphyr: same tree, same spans, same errors;
//! - the block reader's events against granit-parser's: same values, styles and spans, or the
//!   block reader declines.
//!
//! Both are checked on every YAML file in the repository, on the edge cases of YAML 1.2 scalar
//! resolution and of block YAML, and on generated and mutated text.

use std::path::Path;

use proptest::prelude::*;
use ropa::harness::Rng;
use ropa::source::Source;

fn source(text: &str) -> Source {
    Source::new("t.yaml".into(), "t.yaml".into(), text.into())
}

/// Both ways give the same result; returns whether the fast path took the file.
fn same(text: &str) -> bool {
    let s = source(text);
    assert_eq!(
        ropa::yaml::parse(&s),
        ropa::yaml::parse_reference(&s),
        "fast path and serde-saphyr disagree on {text:?}"
    );
    agrees(text);
    ropa::yaml::takes_fast_path(&s)
}

fn yaml_files(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml")
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            out.push(text);
        }
    }
}

fn repository_yaml() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["tests", "examples", "catalogs", "src", "action", "fuzz"] {
        if root.join(dir).is_dir() {
            yaml_files(&root.join(dir), &mut out);
        }
    }
    out.sort();
    out
}

#[test]
fn every_yaml_file_in_the_repository_parses_the_same_both_ways() {
    let files = repository_yaml();
    assert!(files.len() > 50, "only {} YAML files found", files.len());
    let fast = files.iter().filter(|t| same(t)).count();
    let block = files.iter().filter(|t| agrees(t)).count();
    // most manifests are plain YAML: the fast path must take them (or it is not being tested)
    assert!(
        fast * 10 >= files.len() * 8,
        "the fast path took only {fast} of {} files",
        files.len()
    );
    assert!(
        block * 10 >= files.len() * 8,
        "the block reader took only {block} of {} files",
        files.len()
    );
}

#[test]
fn scalar_resolution_and_declined_constructs_match_serde_saphyr() {
    // (text, whether the fast path takes it)
    let cases: &[(&str, bool)] = &[
        ("a: 1\n", true),
        ("a: 0\n", true),
        ("a: 00\n", true),
        ("a: 0127\n", true),
        ("a: +12\n", true),
        ("a: -0\n", true),
        ("a: 123456789012345678\n", true),
        ("a: 9223372036854775807\n", true),
        ("a: 9223372036854775808\n", true),
        ("a: -9223372036854775809\n", true),
        ("a: 18446744073709551616\n", true),
        ("a: 0x1F\n", true),
        ("a: 0X1F\n", true),
        ("a: 0o17\n", true),
        ("a: 0O17\n", true),
        ("a: 0b101\n", true),
        ("a: 1_000\n", true),
        ("a: 1.\n", true),
        ("a: .5\n", true),
        ("a: 1e3\n", true),
        ("a: 1E-3\n", true),
        ("a: 1e999\n", true),
        ("a: -1e999\n", true),
        ("a: .inf\n", true),
        ("a: -.Inf\n", true),
        ("a: +.INF\n", true),
        ("a: .nan\n", true),
        ("a: -.nan\n", true),
        ("a: inf\n", true),
        ("a: nan\n", true),
        ("a: 2024-01-01\n", true),
        ("a: 1:30\n", true),
        ("a: 5 years\n", true),
        ("a: -\n", false),
        ("a: - x\n", false),
        ("a: -x\n", true),
        ("a: .\n", true),
        ("a: +\n", true),
        (
            "a: true\nb: True\nc: TRUE\nd: false\ne: False\nf: FALSE\n",
            true,
        ),
        ("a: yes\nb: no\nc: on\nd: off\ne: y\nf: n\n", true),
        ("a: tRUE\n", true),
        ("a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nULL\n", true),
        ("a: '1'\nb: \"true\"\nc: 'null'\nd: ''\n", true),
        ("a: |\n  x\n  y\nb: >-\n  1\n", true),
        ("a: \"\\u00e9\\t\\\"\"\n", true),
        ("a: x\n  y\n  z\n", true),
        ("a: [1, b, {c: d}, [e]]\n", true),
        ("{a: 1, b: [x, y]}", true),
        ("- a\n- - b\n  - c\n- d: e\n  f: g\n", true),
        ("a:\n- 1\n- 2\n", true),
        ("a: 1\r\nb: 2\r\n", true),
        ("\u{feff}a: bb\n", true),
        ("---\na: 1\n...\n", true),
        ("%YAML 1.2\n---\na: 1\n", true),
        ("a: 1 # comment\n# end\n", true),
        ("'1': a\n\"2\": b\n", true),
        ("? a\n: b\n", true),
        ("? |\n  long\n: b\n", true),
        // declined: serde-saphyr decides
        ("", false),
        ("# only a comment\n", false),
        ("---\n", true),
        ("a: 1\n---\nb: 2\n", false),
        ("a: 1\na: 2\n", false),
        ("a: 1\nb: 2\nc: 3\nb: 4\n", false),
        ("x:\n  purpose: a\n  id: b\n  purpose: c\n", false),
        // `ad` and `ba` share a bit of the fast path's key mask: told apart by comparing them
        ("x:\n  ad: 1\n  ba: 2\n  abab: 3\n  a_b: 4\n", true),
        ("'a': 1\na: 2\n", false),
        ("1: a\n01: b\n", false),
        ("1: a\n0x1: b\n", false),
        ("true: a\n", true),
        ("~: a\n", false),
        (": a\n", false),
        ("<<: {a: 1}\nb: 2\n", false),
        ("a: &x 1\nb: *x\n", false),
        ("a: &x {c: 1}\nb:\n  <<: *x\n", false),
        ("a: !!str 1\n", false),
        ("a: !!int '5'\n", false),
        ("a: !custom x\n", false),
        ("? [a]\n: b\n", false),
        ("? {a: 1}\n: b\n", false),
        ("a: [1\nb: 2\n", false),
        ("a: b: c\n", false),
        ("\ta: 1\n", true),
        ("a: 'x\n", false),
        ("- a\nb: c\n", false),
    ];
    let mut wrong = Vec::new();
    for (text, fast) in cases {
        if same(text) != *fast {
            wrong.push(*text);
        }
    }
    assert!(
        wrong.is_empty(),
        "fast path taken or declined unexpectedly: {wrong:?}"
    );
}

#[test]
fn deep_wide_and_large_files_leave_the_budgets_to_serde_saphyr() {
    // nesting at and past the depth budget (64)
    for depth in [10, 43, 44, 45, 47, 48, 49, 100] {
        same(&format!("a: {}1{}\n", "[".repeat(depth), "]".repeat(depth)));
    }
    // a mapping with more keys than the fast path compares one by one
    let wide: String = (0..600).map(|i| format!("k{i}: {i}\n")).collect();
    assert!(!same(&wide));
    // more nodes than the fast path builds
    let many = format!("a: [{}]\n", vec!["x"; 60_000].join(","));
    assert!(!same(&many));
    // larger than the fast path reads
    let large = format!("a: '{}'\n", "x".repeat(1 << 20));
    assert!(!same(&large));
}

fn fragment() -> impl Strategy<Value = String> {
    let scalar = prop_oneof![
        Just("1".to_string()),
        Just("0x1F".to_string()),
        Just("-.inf".to_string()),
        Just("1e999".to_string()),
        Just("true".to_string()),
        Just("~".to_string()),
        Just("''".to_string()),
        Just("\"é\\n\"".to_string()),
        Just("2024-01-01".to_string()),
        Just("&a x".to_string()),
        Just("*a".to_string()),
        Just("!!str 3".to_string()),
        "[a-z0-9 .+_-]{1,8}",
    ];
    let leaf = scalar.prop_map(|s| s).boxed();
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec(("[a-c1<~]{1,2}", inner), 0..4).prop_map(|v| {
                let entries: Vec<String> =
                    v.into_iter().map(|(k, x)| format!("{k}: {x}")).collect();
                format!("{{{}}}", entries.join(", "))
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn generated_documents_parse_the_same_both_ways(
        entries in prop::collection::vec(("[a-d1<~-]{1,3}", fragment(), 0usize..3), 1..8),
        crlf in any::<bool>(),
    ) {
        let mut text = String::new();
        for (key, value, indent) in entries {
            text.push_str(&" ".repeat(indent));
            text.push_str(&format!("{key}: {value}"));
            text.push_str(if crlf { "\r\n" } else { "\n" });
        }
        same(&text);
    }

    #[test]
    fn mutated_repository_yaml_parses_the_same_both_ways(
        pick in 0usize..10_000,
        at in prop::collection::vec((0usize..8000, "[ -~\\n\\t:\\[\\]{}&*!|>'\"#%@-]{0,6}"), 1..4),
    ) {
        let files = repository_yaml();
        let mut text = files[pick % files.len()].clone();
        for (pos, piece) in at {
            let mut pos = pos % (text.len() + 1);
            while !text.is_char_boundary(pos) {
                pos -= 1;
            }
            text.insert_str(pos, &piece);
        }
        same(&text);
    }
}

/// The block reader hands over granit-parser's very events, or declines.
fn agrees(text: &str) -> bool {
    match ropa::yaml::block_reader_agrees(text) {
        Ok(taken) => taken,
        Err(diff) => panic!("block reader and granit-parser disagree on {text:?}: {diff}"),
    }
}

#[test]
fn block_reader_takes_plain_block_yaml_and_declines_the_rest() {
    // (text, whether the block reader takes it); either way, `agrees` checks granit-parser
    let cases: &[(&str, bool)] = &[
        ("a: 1\nb: x y\n", true),
        ("a: 1\r\nb:\r\n  - c\r\n", true),
        ("a:\n  b:\n    c: d\n", true),
        // a sequence at its key's column starts at its first entry, an indented one at its `-`
        ("a:\n- 1\n- 2\n", true),
        ("a:\n-   x: 1\n    y: 2\n- z\n", true),
        ("a:\n  - 1\n", true),
        ("- a\n-\n  - b\n", true),
        ("-\n  g: 3\n", true),
        // an empty value sits at its `:`
        ("kk  :\nb: 1\n", true),
        ("a:\n# c\nb:", true),
        ("a: [ x , 'y''s' , \"z w\" ]  # c\n", true),
        ("a: []\n", true),
        ("a: >-\n  one\n  two\n\n  three\nb: 1\n", true),
        ("a: |\n  one\n\n  two\n\n\n# c\nb: 1\n", true),
        ("a:\n  - |\n    x\n  - y\n", true),
        ("a: >\n    x\n\n  # c\n", true),
        ("a: http://x:8/y # c\nb: -1\nc: '#'\n", true),
        ("# only a head comment\n\na: 1\n", true),
        ("a: 1\n  # deeper comment after a scalar\n", true),
        ("- a\n  # deeper comment after an entry\n- b\n", true),
        ("a: b\n  c\n", false),
        ("a: b: c\n", false),
        ("a: b:\n", false),
        ("a: \"x\\ny\"\n", false),
        ("a: \"x\n  y\"\n", false),
        ("a: [x,\n  y]\n", false),
        ("a: [x,]\n", false),
        ("a: {b: c}\n", false),
        ("a: &x 1\nb: *x\n", false),
        ("a: !!str 1\n", false),
        ("\"a\": 1\n", false),
        ("? a\n: 1\n", false),
        ("a:\tb\n", false),
        ("a: b\rc: d\n", false),
        ("a: x\u{85}y\n", false),
        ("a: x\u{2028}y\n", false),
        ("a: 1\n---\nb: 2\n", false),
        ("---\na: 1\n", false),
        ("a: 1\n...\n", false),
        ("a: |\n  x\n---\nb: 1\n", false),
        ("a: >\n  x\n... # end\n", false),
        ("a:\n  - x\n---\n", false),
        ("%YAML 1.2\n---\na: 1\n", false),
        ("a: |2\n   x\n", false),
        ("a: |+\n  x\n\n", false),
        ("a: >\n  x\n    more\n  y\n", false),
        ("a: |\n\n  x\n", false),
        ("a: |\n  x\n  \n  y\n", false),
        ("a: |\n  x", false),
        ("a:\n- \nb: 1\n", false),
        ("- - a\n", false),
        ("a: 1\n b: 2\n", false),
        ("a:\n    b: 1\n  c: 2\n", false),
        ("- a\nb: 1\n", false),
        ("plain scalar\n", false),
        ("", false),
        ("# nothing\n", false),
    ];
    let wrong: Vec<_> = cases
        .iter()
        .filter(|(text, taken)| agrees(text) != *taken)
        .collect();
    assert!(
        wrong.is_empty(),
        "taken or declined unexpectedly: {wrong:?}"
    );
}

const SCALARS: &[&str] = &[
    "a",
    "b c",
    "1",
    "-1",
    "0x1F",
    "true",
    "~",
    "null",
    "\"q\"",
    "'it''s'",
    "''",
    "\"\"",
    "x # c",
    "http://a:b",
    "a:b",
    "[a, b]",
    "[]",
    "[ 'x' , \"y z\" ]",
    "[-a, .5]",
    "é à",
    "a,b",
    "a]",
    "{a: b}",
    "&x y",
    "*x",
    "!t y",
    "5 years",
    "-",
    "--x",
    ".",
    "a  ",
    "a #",
    "'a'#",
    "\"a\" # c",
    "[a,]",
    "[a b, c]",
    "\"a\\\"b\"",
    "|",
    "- a",
];

/// Block YAML as people write it, with the mistakes they make: nested mappings and sequences,
/// entries on the dash's line or below, block scalars, comments and blank lines anywhere.
fn block(r: &mut Rng, indent: usize, depth: usize, nl: &str, out: &mut String) {
    let pad = " ".repeat(indent);
    let sequence = depth < 4 && r.below(3) == 0;
    for i in 0..1 + r.below(3) {
        if r.below(6) == 0 {
            out.push_str(&" ".repeat(r.below(6)));
            out.push_str("# note");
            out.push_str(nl);
        }
        if r.below(8) == 0 {
            out.push_str(nl);
        }
        out.push_str(&pad);
        if sequence {
            out.push('-');
            match r.below(4) {
                0 => {
                    out.push(' ');
                    let mut entry = String::new();
                    block(r, indent + 2, depth + 1, nl, &mut entry);
                    out.push_str(entry.trim_start_matches(' '));
                }
                1 => {
                    out.push_str(nl);
                    let more = 1 + r.below(2);
                    block(r, indent + more, depth + 1, nl, out);
                }
                _ => {
                    out.push(' ');
                    out.push_str(r.pick(SCALARS));
                    out.push_str(nl);
                }
            }
            continue;
        }
        out.push_str(&format!("k{i}"));
        if r.below(5) == 0 {
            out.push(' ');
        }
        out.push(':');
        match r.below(6) {
            0 if depth < 4 => {
                out.push_str(nl);
                let more = r.below(3);
                block(r, indent + more, depth + 1, nl, out);
            }
            1 => {
                out.push(' ');
                out.push_str(r.pick(&["|", ">-", ">", "|-"]));
                out.push_str(nl);
                let inner = indent + 1 + r.below(3);
                for _ in 0..1 + r.below(3) {
                    if r.below(4) == 0 {
                        out.push_str(nl);
                    }
                    let more = usize::from(r.below(8) == 0);
                    out.push_str(&" ".repeat(inner + more));
                    out.push_str("line #x: y");
                    out.push_str(nl);
                }
                if r.below(3) == 0 {
                    out.push_str(nl);
                }
            }
            2 => out.push_str(nl),
            _ => {
                out.push(' ');
                out.push_str(r.pick(SCALARS));
                out.push_str(nl);
            }
        }
    }
}

#[test]
fn block_reader_matches_granit_parser_on_generated_block_yaml() {
    let mut r = Rng(0x1234_5678_9abc_def1);
    let cases = 20_000;
    let mut taken = 0;
    for _ in 0..cases {
        let nl = if r.below(4) == 0 { "\r\n" } else { "\n" };
        let mut text = String::new();
        block(&mut r, 0, 0, nl, &mut text);
        if r.below(2) == 0 {
            let at = r.below(text.len() + 1);
            if text.is_char_boundary(at) {
                text.insert_str(
                    at,
                    r.pick(&[" ", "\n", "-", ":", "#", "  ", "\n  - a\n", "'", "|"]),
                );
            }
        }
        taken += usize::from(agrees(&text));
    }
    // the generator must reach what the block reader takes, or this tests nothing
    assert!(
        taken * 5 >= cases,
        "the block reader took only {taken} of {cases}"
    );
}

#[test]
fn block_reader_matches_granit_parser_on_mutated_yaml() {
    let files = repository_yaml();
    let pieces = [
        " ", "  ", "\n", "\r\n", ":", ": ", "- ", "-", "#", " #", "\"", "'", "''", "[", "]", ",",
        "|", "|-", ">", ">-", "{", "a", "1", "é", "\t", "\\", "  - ", "\n  ", "\n\n", "x: y\n",
        "?", "&", "*", "!", "%", "@", "`", ".", "~", "---\n", "...\n", "\r", "\u{85}", "\u{a0}",
        "\u{feff}", "0x", "\n    ", "  # c\n",
    ];
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let cases = 20_000;
    let mut taken = 0;
    for _ in 0..cases {
        let mut text = files[r.below(files.len())].clone();
        for _ in 0..1 + r.below(3) {
            let mut at = r.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            if r.below(3) == 0 {
                let mut end = (at + r.below(4)).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                text.replace_range(at..end, "");
            } else {
                text.insert_str(at, r.pick(&pieces));
            }
        }
        taken += usize::from(agrees(&text));
    }
    assert!(
        taken * 10 >= cases,
        "the block reader took only {taken} of {cases}"
    );
}
