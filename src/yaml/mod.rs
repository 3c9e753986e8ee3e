//! The YAML adapter: serde-saphyr reads a file into a small generic node tree in which every key
//! and value keeps its span. The typed models are built from this tree by error-collecting
//! builders, so one run reports every problem of a file, not only the first.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{MessageFormatter, Spanned};

use crate::source::{Source, Span};

mod block;
mod fast;

/// A YAML node with the byte span of its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// A key's or a string value's text: inline up to 23 bytes (most keys, terms and ids), shared
/// past that.
pub type Text = smol_str::SmolStr;

/// A mapping key: always read as a string (`1:` and `true:` become "1" and "true").
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: Text,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Map(Vec<(Key, Node)>),
    Seq(Vec<Node>),
    Str(Text),
    Bool(bool),
    Int(i64),
    Float(f64),
    Null,
}

impl Value {
    /// How the value is named in "expected X, found Y" messages.
    pub fn kind(&self) -> &'static str {
        self.kind_in(crate::i18n::Lang::En)
    }

    /// The kind in English or French.
    pub fn kind_in(&self, lang: crate::i18n::Lang) -> &'static str {
        let (en, fr) = match self {
            Value::Map(_) => ("a mapping", "un dictionnaire"),
            Value::Seq(_) => ("a list", "une liste"),
            Value::Str(_) => ("a string", "du texte"),
            Value::Bool(_) => ("a boolean", "un booléen"),
            Value::Int(_) => ("an integer", "un entier"),
            Value::Float(_) => ("a number", "un nombre"),
            Value::Null => ("an empty value", "une valeur vide"),
        };
        crate::i18n::s(lang, en, fr)
    }
}

/// A file that is not valid YAML (or breaks a parse budget).
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

/// Limits that keep hostile files (alias bombs, deep nesting) cheap to reject.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        // YAML 1.2: only `true` and `false` are booleans; `yes`, `no`, `on`, `n` stay strings.
        strict_booleans: true,
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::AsString,
        with_snippet: false,
        budget: serde_saphyr::budget! {
            // well below what a worker thread's stack holds in a debug build (serde-saphyr
            // recurses once per level; about 60 levels overflowed 2 MiB there)
            max_depth: 48,
            max_nodes: 250_000,
            max_aliases: 10_000,
        },
    }
}

/// Parses a whole file. An empty file or one holding only comments parses to `Null`.
///
/// Most manifests are plain YAML: one document of mappings, lists and untagged scalars, with no
/// anchor, alias, tag, merge key or duplicate key. Those are built straight from the parser's
/// events ([`fast`]), which is about twice as fast as going through serde; the events of block
/// YAML as manifests are usually written come from a line reader ([`block`]) several times
/// faster than the parser, which checks nothing less: it declines what it does not know, and
/// the parser's events are then used. Everything else, and
/// every error, goes through serde-saphyr ([`parse_reference`]), so the result (tree, spans,
/// errors, budgets) is the same either way; `tests/it/yaml.rs` checks this on every fixture,
/// the benchmark corpus and generated text.
pub fn parse(source: &Source) -> Result<Node, SyntaxError> {
    let text = source.text.strip_prefix('\u{feff}').unwrap_or(&source.text);
    let bom = source.text.len() - text.len();
    match fast::build(source, text, bom) {
        Some(node) => Ok(node),
        None => reference(source, text, bom),
    }
}

/// [`parse`] through serde-saphyr only: the reference the fast path is checked against.
#[doc(hidden)]
pub fn parse_reference(source: &Source) -> Result<Node, SyntaxError> {
    let text = source.text.strip_prefix('\u{feff}').unwrap_or(&source.text);
    let bom = source.text.len() - text.len();
    reference(source, text, bom)
}

/// Whether [`parse`] takes the fast path for this file (for the equivalence tests).
#[doc(hidden)]
pub fn takes_fast_path(source: &Source) -> bool {
    let text = source.text.strip_prefix('\u{feff}').unwrap_or(&source.text);
    fast::build(source, text, source.text.len() - text.len()).is_some()
}

/// Whether the block reader takes this text, and if it does, whether it hands over exactly
/// granit-parser's events (for the equivalence tests): `Err` names the first difference.
#[doc(hidden)]
pub fn block_reader_agrees(text: &str) -> Result<bool, String> {
    let mut ours = Vec::new();
    if block::read(text, &mut ours).is_none() {
        return Ok(false);
    }
    let mut theirs = Vec::new();
    if fast::granit(text, &mut theirs).is_none() {
        return Err(format!(
            "the block reader took a text granit-parser declines: {theirs:?}"
        ));
    }
    match ours.iter().zip(&theirs).position(|(a, b)| a != b) {
        Some(i) => Err(format!(
            "event {i}: block reader {:?}, granit-parser {:?}",
            ours[i], theirs[i]
        )),
        None if ours.len() != theirs.len() => Err(format!(
            "{} events from the block reader, {} from granit-parser",
            ours.len(),
            theirs.len()
        )),
        None => Ok(true),
    }
}

fn reference(source: &Source, text: &str, bom: usize) -> Result<Node, SyntaxError> {
    match serde_saphyr::from_str_with_options::<Spanned<Raw>>(text, options()) {
        Ok(root) => {
            let mut conv = Converter { source, bom };
            Ok(conv.node(root))
        }
        Err(err) => Err(syntax_error(source, bom, &err)),
    }
}

fn syntax_error(source: &Source, bom: usize, err: &serde_saphyr::Error) -> SyntaxError {
    let inner = err.without_snippet();
    let message = match inner {
        serde_saphyr::Error::MultipleDocuments { .. } => {
            "a manifest holds one YAML document, but this file has several (`---`)".to_string()
        }
        other => {
            let text = serde_saphyr::DefaultMessageFormatter.format_message(other);
            tidy_message(&text)
        }
    };
    let span = match err.location() {
        Some(loc) if loc.line() > 0 => {
            // the location is relative to the text after a BOM (one character) on the first line
            let shift = usize::from(loc.line() == 1 && bom > 0);
            let start = source.offset(loc.line() as usize, loc.column() as usize + shift);
            let len = loc
                .span()
                .byte_len()
                .map_or(1, |l| l as usize)
                .clamp(1, 256);
            source.clamp(Span::new(start, start + len))
        }
        _ => Span::new(0, 0),
    };
    // a second document: point at its `---`, the last one before where the parser stopped
    let span = match inner {
        serde_saphyr::Error::MultipleDocuments { .. } => {
            let before = &source.text[..span.start.min(source.text.len())];
            before
                .rmatch_indices("---")
                .find(|(at, _)| *at == 0 || before[..*at].ends_with('\n'))
                .map_or(span, |(at, _)| Span::new(at, at + 3))
        }
        _ => span,
    };
    SyntaxError { message, span }
}

/// Keeps serde-saphyr's wording but drops advice aimed at Rust programmers and control characters.
fn tidy_message(text: &str) -> String {
    let text = text
        .split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(text);
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut text = text.trim().to_string();
    if let Some(first) = text.get(..1) {
        let lower = first.to_lowercase();
        text.replace_range(..1, &lower);
    }
    text.trim_end_matches('.').to_string()
}

struct Converter<'a> {
    source: &'a Source,
    bom: usize,
}

impl Converter<'_> {
    fn span_of<T>(&self, s: &Spanned<T>) -> Span {
        let loc = &s.referenced;
        if loc.line() == 0 {
            return Span::new(0, 0);
        }
        let valid = |v: u64| (v < u64::from(u32::MAX)).then_some(v as usize);
        let len = loc.span().byte_len().and_then(valid).unwrap_or(0);
        // byte offsets are relative to the text after a BOM; without them, use line and column
        // (the BOM is one character on the first line)
        let start = match loc.span().byte_offset().and_then(valid) {
            Some(offset) => offset + self.bom,
            None => {
                let shift = usize::from(loc.line() == 1 && self.bom > 0);
                self.source
                    .offset(loc.line() as usize, loc.column() as usize + shift)
            }
        };
        self.source.clamp(Span::new(start, start + len))
    }

    fn node(&mut self, raw: Spanned<Raw>) -> Node {
        let mut span = self.span_of(&raw);
        let value = match raw.value {
            Raw::Map(entries) => {
                let mut out = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    let key = Key {
                        span: self.span_of(&k),
                        name: k.value.into(),
                    };
                    let node = self.node(v);
                    span = span.join(key.span).join(node.span);
                    out.push((key, node));
                }
                Value::Map(out)
            }
            Raw::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    let node = self.node(item);
                    span = span.join(node.span);
                    out.push(node);
                }
                Value::Seq(out)
            }
            Raw::Str(s) => Value::Str(s),
            Raw::Bool(b) => Value::Bool(b),
            Raw::Int(i) => Value::Int(i),
            Raw::Float(f) => Value::Float(f),
            Raw::Null => Value::Null,
        };
        Node { value, span }
    }
}

/// What serde-saphyr hands us: the same shape as [`Value`] with serde-saphyr's locations.
enum Raw {
    Map(Vec<(Spanned<String>, Spanned<Raw>)>),
    Seq(Vec<Spanned<Raw>>),
    Str(Text),
    Bool(bool),
    Int(i64),
    Float(f64),
    Null,
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(Text::new(v)))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v.into()))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Raw, E> {
        Ok(Raw::Str(Text::new(String::from_utf8_lossy(v))))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Raw::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Source {
        Source::new("t.yaml".into(), "t.yaml".into(), text.into())
    }

    fn slice(s: &Source, span: Span) -> &str {
        &s.text[span.start..span.end]
    }

    #[test]
    fn keys_and_values_keep_their_spans() {
        let s = src("a: 1\nlist:\n  - \"clientèle x\"\n  - n\n");
        let root = parse(&s).unwrap();
        let Value::Map(entries) = &root.value else {
            panic!("expected a map")
        };
        assert_eq!(slice(&s, entries[0].0.span), "a");
        assert_eq!(entries[0].1.value, Value::Int(1));
        let Value::Seq(items) = &entries[1].1.value else {
            panic!("expected a list")
        };
        assert_eq!(slice(&s, items[0].span), "\"clientèle x\"");
        // YAML 1.2: `n` is a string, not a boolean
        assert_eq!(items[1].value, Value::Str("n".into()));
    }

    #[test]
    fn syntax_errors_have_a_location() {
        let s = src("a: [1\nb: 2\n");
        let err = parse(&s).unwrap_err();
        assert!(s.position(err.span.start).line >= 1);
        assert!(!err.message.is_empty());
    }

    #[test]
    fn duplicate_keys_are_rejected_at_the_second_key() {
        let s = src("id: a\nid: b\n");
        let err = parse(&s).unwrap_err();
        assert_eq!(s.position(err.span.start).line, 2);
        assert!(err.message.contains("duplicate"), "{}", err.message);
        assert!(!err.message.contains("DuplicateKeyPolicy"));
    }

    #[test]
    fn empty_and_comment_only_files_are_null() {
        assert_eq!(parse(&src("")).unwrap().value, Value::Null);
        assert_eq!(parse(&src("# nothing\n")).unwrap().value, Value::Null);
    }

    #[test]
    fn a_bom_does_not_shift_columns() {
        let s = src("\u{feff}a: bb\n");
        let root = parse(&s).unwrap();
        let Value::Map(entries) = &root.value else {
            panic!("expected a map")
        };
        assert_eq!(slice(&s, entries[0].1.span), "bb");
    }

    #[test]
    fn alias_bombs_are_rejected() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(parse(&src(&text)).is_err());
    }

    #[test]
    fn several_documents_are_an_error() {
        let err = parse(&src("---\na: 1\n---\nb: 2\n")).unwrap_err();
        assert!(err.message.contains("several"));
        // the span is the second document's marker
        assert_eq!((err.span.start, err.span.end), (9, 12));
    }
}
