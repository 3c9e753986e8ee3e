//! The fast paths: a spanned tree built from a stream of events, without serde. Two readers make
//! the events:
//! - [`super::block`], for the block YAML most manifests are written in;
//! - granit-parser, the parser under serde-saphyr (same version, same options), for the rest.
//!
//! [`Builder`] declines (returns `None`) at the first thing it does not handle itself, and
//! serde-saphyr then reads the file from the start:
//! - any parse error, a second document, or an empty one;
//! - an anchor, alias or tag;
//! - a key that is not a scalar, a plain key that could be null, a number or a merge key (`<<`),
//!   and a key seen twice in one mapping (serde-saphyr compares integer keys by value);
//! - a file above [`MAX_BYTES`], nesting near the depth budget, or more nodes than a fraction of
//!   the node budget, so that no budget serde-saphyr enforces can be reached here.
//!
//! A plain scalar that could be a number is resolved by serde-saphyr itself (on that scalar's
//! text alone), so YAML 1.2 number resolution has one implementation.

use std::borrow::Cow;

use serde_saphyr::granit_parser::{Event, Options, Parser, ScalarStyle};

use super::{Key, Node, Raw, Text, Value};
use crate::source::{Source, Span};

/// Larger files go through serde-saphyr (manifests are a few kilobytes).
const MAX_BYTES: usize = 1 << 20;
/// Below the `max_depth` budget (48).
const MAX_DEPTH: usize = 44;
/// A fifth of serde-saphyr's `max_nodes` (250,000).
const MAX_NODES: usize = 50_000;
/// Keys compared one by one; a larger mapping goes through serde-saphyr.
const MAX_KEYS: usize = 512;

/// What a reader hands over: granit-parser's events for one document, with byte offsets into
/// the text after any BOM. `None` declines the file.
pub(super) trait Sink {
    fn scalar(
        &mut self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        start: usize,
        end: usize,
    ) -> Option<()>;
    fn start(&mut self, map: bool, start: usize, end: usize) -> Option<()>;
    fn end(&mut self, map: bool) -> Option<()>;
}

/// The tree, or `None` to leave the file to serde-saphyr.
pub(super) fn build(source: &Source, text: &str, bom: usize) -> Option<Node> {
    if text.len() > MAX_BYTES {
        return None;
    }
    let mut builder = Builder::new(source, bom);
    if super::block::read(text, &mut builder).is_some() {
        return builder.finish();
    }
    // the builder refused what the block reader read: granit-parser's events would be the same
    if builder.refused {
        return None;
    }
    let mut builder = Builder::new(source, bom);
    granit(text, &mut builder)?;
    builder.finish()
}

/// granit-parser's events, handed over as they come.
pub(super) fn granit(text: &str, sink: &mut impl Sink) -> Option<()> {
    let mut options = Options::default();
    options.set_emit_comments(false);
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut documents = 0;
    while let Some(event) = parser.next_event() {
        let (event, span) = event.ok()?;
        let start = span.start.byte_offset()?;
        let end = span.end.byte_offset()?;
        if end < start {
            return None;
        }
        match event {
            Event::StreamStart | Event::DocumentEnd => {}
            Event::StreamEnd => break,
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
            }
            Event::Scalar(value, style, 0, None) => sink.scalar(value, style, start, end)?,
            Event::MappingStart(_, 0, None) => sink.start(true, start, end)?,
            Event::SequenceStart(_, 0, None) => sink.start(false, start, end)?,
            Event::MappingEnd => sink.end(true)?,
            Event::SequenceEnd => sink.end(false)?,
            // comments (not emitted with these options), anchors, aliases, tags, and any event
            // added later
            _ => return None,
        }
    }
    (documents == 1).then_some(())
}

enum Frame {
    Map {
        span: Span,
        entries: Vec<(Key, Node)>,
        key: Option<Key>,
        /// One bit for each key's [`key_bit`]: a key whose bit is clear is new to the mapping.
        keys: u64,
    },
    Seq {
        span: Span,
        items: Vec<Node>,
    },
}

/// Builds the spanned tree from the events.
pub(super) struct Builder<'a> {
    source: &'a Source,
    bom: usize,
    stack: Vec<Frame>,
    root: Option<Node>,
    nodes: usize,
    /// The builder itself declined (not the reader).
    refused: bool,
}

impl<'a> Builder<'a> {
    fn new(source: &'a Source, bom: usize) -> Self {
        Builder {
            source,
            bom,
            stack: Vec::new(),
            root: None,
            nodes: 0,
            refused: false,
        }
    }

    fn finish(self) -> Option<Node> {
        if self.refused || !self.stack.is_empty() {
            return None;
        }
        self.root
    }

    fn span(&self, start: usize, end: usize) -> Span {
        self.source
            .clamp(Span::new(start + self.bom, end + self.bom))
    }

    fn refuse<T>(&mut self) -> Option<T> {
        self.refused = true;
        None
    }

    /// Places a finished node in its parent.
    fn place(&mut self, node: Node) -> Option<()> {
        if self.nodes > MAX_NODES {
            return self.refuse();
        }
        match self.stack.last_mut() {
            Some(Frame::Map {
                span, entries, key, ..
            }) => {
                let Some(key) = key.take() else {
                    return self.refuse();
                };
                *span = span.join(key.span).join(node.span);
                entries.push((key, node));
            }
            Some(Frame::Seq { span, items }) => {
                *span = span.join(node.span);
                items.push(node);
            }
            None if self.root.is_none() => self.root = Some(node),
            None => return self.refuse(),
        }
        Some(())
    }
}

impl Sink for Builder<'_> {
    fn scalar(
        &mut self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        start: usize,
        end: usize,
    ) -> Option<()> {
        self.nodes += 1;
        let span = self.span(start, end);
        if let Some(Frame::Map {
            key, entries, keys, ..
        }) = self.stack.last_mut()
            && key.is_none()
        {
            let bit = key_bit(&value);
            if !plain_key_is_text(&value, style)
                || entries.len() >= MAX_KEYS
                || (*keys & bit != 0 && entries.iter().any(|(k, _)| k.name == *value))
            {
                return self.refuse();
            }
            *keys |= bit;
            *key = Some(Key {
                name: Text::new(&value),
                span,
            });
            return Some(());
        }
        let Some(value) = scalar(&value, style) else {
            return self.refuse();
        };
        self.place(Node { value, span })
    }

    fn start(&mut self, map: bool, start: usize, end: usize) -> Option<()> {
        self.nodes += 1;
        // too deep, too many nodes, or a collection as a mapping key
        if self.stack.len() >= MAX_DEPTH
            || self.nodes > MAX_NODES
            || matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
        {
            return self.refuse();
        }
        let span = self.span(start, end);
        // room for a typical manifest's mappings and lists from the start (an activity has
        // about twenty keys): fewer reallocations as they fill
        self.stack.push(if map {
            Frame::Map {
                span,
                entries: Vec::with_capacity(8),
                key: None,
                keys: 0,
            }
        } else {
            Frame::Seq {
                span,
                items: Vec::with_capacity(4),
            }
        });
        Some(())
    }

    fn end(&mut self, map: bool) -> Option<()> {
        let node = match self.stack.pop() {
            Some(Frame::Map {
                span,
                entries,
                key: None,
                ..
            }) if map => Node {
                value: Value::Map(entries),
                span,
            },
            Some(Frame::Seq { span, items }) if !map => Node {
                value: Value::Seq(items),
                span,
            },
            _ => return self.refuse(),
        };
        self.place(node)
    }
}

/// One of 64 bits for a key, from its length and its ends: two keys with different bits differ,
/// so a mapping's keys are compared only when the bits say they may be the same.
fn key_bit(key: &str) -> u64 {
    let b = key.as_bytes();
    let (first, last) = (
        b.first().copied().unwrap_or(0),
        b.last().copied().unwrap_or(0),
    );
    1 << ((b.len() * 7 + usize::from(first) * 3 + usize::from(last)) % 64)
}

/// A key serde-saphyr reads as this very text: not a plain scalar that could be null (an
/// error there), a number (compared by value there) or a merge key.
fn plain_key_is_text(value: &str, style: ScalarStyle) -> bool {
    style != ScalarStyle::Plain
        || !(matches!(value, "" | "~" | "null" | "Null" | "NULL" | "<<")
            || value.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.')))
}

/// YAML 1.2 core resolution of an untagged scalar, as serde-saphyr does it with ropa's
/// options: only a plain scalar can be other than text.
fn scalar(value: &str, style: ScalarStyle) -> Option<Value> {
    if style != ScalarStyle::Plain {
        return Some(Value::Str(Text::new(value)));
    }
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    let bytes = value.as_bytes();
    // a small decimal without a leading zero
    if bytes.len() <= 18
        && bytes.iter().all(u8::is_ascii_digit)
        && (bytes[0] != b'0' || bytes.len() == 1)
    {
        return value.parse().ok().map(Value::Int);
    }
    // Numbers (any radix, floats, `.inf`, `.nan`) start with a digit, a sign or a dot and
    // hold only these characters; anything else is text whatever its shape.
    // (the first byte alone settles most text: the rest is looked at only after it)
    let numeric_start = bytes[0].is_ascii_digit() || matches!(bytes[0], b'+' | b'-' | b'.');
    let numeric_chars = || {
        bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.' | b'_'))
    };
    if !(numeric_start && numeric_chars()) {
        return Some(Value::Str(Text::new(value)));
    }
    // serde-saphyr resolves it, on this token alone, as it would in place
    let raw = serde_saphyr::from_str_with_options::<Raw>(value, super::options()).ok()?;
    Some(match raw {
        Raw::Str(s) => Value::Str(s),
        Raw::Bool(b) => Value::Bool(b),
        Raw::Int(i) => Value::Int(i),
        Raw::Float(f) => Value::Float(f),
        Raw::Null => Value::Null,
        Raw::Map(_) | Raw::Seq(_) => return None,
    })
}

/// One event as a reader handed it over (for the tests that compare the two readers).
#[derive(Debug, PartialEq)]
pub(super) enum Recorded {
    Scalar(String, ScalarStyle, usize, usize),
    Start(bool, usize, usize),
    End(bool),
}

impl Sink for Vec<Recorded> {
    fn scalar(
        &mut self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        start: usize,
        end: usize,
    ) -> Option<()> {
        self.push(Recorded::Scalar(value.into_owned(), style, start, end));
        Some(())
    }
    fn start(&mut self, map: bool, start: usize, end: usize) -> Option<()> {
        self.push(Recorded::Start(map, start, end));
        Some(())
    }
    fn end(&mut self, map: bool) -> Option<()> {
        self.push(Recorded::End(map));
        Some(())
    }
}
