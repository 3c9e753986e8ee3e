//! The YAML fast path (a tree built straight from the parser's events) against the reference
//! (serde-saphyr): same tree, same spans, same errors, for every YAML file in the repository,
//! for the edge cases of YAML 1.2 scalar resolution, and for mutated and generated text.

use std::path::Path;

use proptest::prelude::*;
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
    // most manifests are plain YAML: the fast path must take them (or it is not being tested)
    assert!(
        fast * 10 >= files.len() * 8,
        "the fast path took only {fast} of {} files",
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
