//! A reader for the block YAML most manifests are written in, several times faster than a
//! general parser. It hands over exactly the events granit-parser would (values, styles and
//! byte spans), or declines (`None`) at the first thing outside what it knows, and the file is
//! then read by granit-parser from the start.
//!
//! What it reads, one line at a time:
//! - block mappings with plain keys, and block sequences (a mapping may start on a `- ` line);
//! - plain scalars on one line, single- and double-quoted scalars on one line (without `\`
//!   escapes), flow sequences of such scalars on one line;
//! - literal and folded block scalars (`|`, `|-`, `>`, `>-`) whose lines are all indented alike;
//! - comments, blank lines, LF and CRLF line ends.
//!
//! Everything else is declined: tabs, control and special characters, a lone CR, `---` and
//! `...` markers, directives, anchors, aliases, tags, flow mappings, complex keys, quoted keys,
//! multi-line plain and quoted scalars, escapes, an explicit indentation or keep (`+`)
//! indicator, lines indented more than their block scalar's first line, whitespace-only lines
//! near a block scalar, empty sequence items, and any indentation that is not plainly right.
//! The events are checked against granit-parser's, on every YAML file of the repository and on
//! generated and mutated text, by `tests/it/yaml.rs`.

use std::borrow::Cow;

use serde_saphyr::granit_parser::ScalarStyle;

use super::fast::Sink;

/// A simple key this long is past what YAML allows (1,024 characters); stay well below it.
const MAX_KEY: usize = 256;

/// The bytes of a plain key this reader takes, besides spaces (and the `:` that ends it).
const KEY_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/') || b >= 0x80;
        c += 1;
    }
    table
};

/// Reads the whole text, or declines.
pub(super) fn read(text: &str, sink: &mut impl Sink) -> Option<()> {
    if !plain_characters(text.as_bytes()) {
        return None;
    }
    let mut reader = Reader {
        text,
        b: text.as_bytes(),
        pos: 0,
        sink,
    };
    let first = reader.content()?;
    reader.node(first, first.indent)?;
    // anything left over (a second node at the root, or text the blocks above did not end at)
    if reader.content().is_some() {
        return None;
    }
    Some(())
}

/// No character this reader leaves to granit-parser: control characters (tab included), a CR
/// not before an LF, C1 controls and NEL, the line and paragraph separators, a BOM past the
/// start, and the noncharacters U+FFFE and U+FFFF. (`---` and `...` lines are declined where
/// they are read: no block this reader knows can hold them.)
fn plain_characters(b: &[u8]) -> bool {
    let n = b.len();
    if n < 3 {
        return (0..n).all(|i| !declined_at(b, i));
    }
    // each byte with the two after it, 64 at a time, without branches so that it vectorises
    // (as bytes, not `bool`s: LLVM vectorises an `|` of bytes); the last two bytes alone
    const CHUNK: usize = 64;
    let (first, second, third) = (&b[..n - 2], &b[1..n - 1], &b[2..]);
    let declined = first
        .chunks(CHUNK)
        .zip(second.chunks(CHUNK))
        .zip(third.chunks(CHUNK))
        .any(|((c, d), e)| {
            // most chunks hold no byte that can start such a character: a cheaper test first
            let candidates = c.iter().fold(0u8, |any, &c| {
                any | (u8::from(c < 0x20) & u8::from(c != b'\n'))
                    | u8::from(c == 0x7f)
                    | u8::from(c == 0xc2)
                    | u8::from(c == 0xe2)
                    | u8::from(c == 0xef)
            });
            let three = c.iter().zip(d).zip(e);
            candidates != 0 && three.fold(0u8, |any, ((&c, &d), &e)| any | declined(c, d, e)) != 0
        });
    !declined && !declined_at(b, n - 2) && !declined_at(b, n - 1)
}

/// [`declined`] for the byte at `i`, with zeros past the end.
fn declined_at(b: &[u8], i: usize) -> bool {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    declined(at(i), at(i + 1), at(i + 2)) != 0
}

/// 1 when byte `c`, followed by `d` and `e`, starts a character [`plain_characters`] declines.
/// The text is valid UTF-8, so a lead byte is followed by its continuation bytes.
#[inline(always)]
fn declined(c: u8, d: u8, e: u8) -> u8 {
    let is = |x: u8, y: u8| u8::from(x == y);
    // a control character but LF, and CR before LF
    let control = u8::from(c < 0x20) & (1 - is(c, b'\n')) & (1 - (is(c, b'\r') & is(d, b'\n')));
    // C1 controls and NEL: U+0080 to U+009F
    let c1 = is(c, 0xc2) & u8::from(d < 0xa0);
    // U+2028 and U+2029
    let separator = is(c, 0xe2) & is(d, 0x80) & (is(e, 0xa8) | is(e, 0xa9));
    // U+FEFF, and U+FFFE and U+FFFF
    let special =
        is(c, 0xef) & ((is(d, 0xbb) & is(e, 0xbf)) | (is(d, 0xbf) & (is(e, 0xbe) | is(e, 0xbf))));
    control | is(c, 0x7f) | c1 | separator | special
}

/// The style of a scalar quoted with `quote`.
fn quote_style(quote: u8) -> ScalarStyle {
    if quote == b'"' {
        ScalarStyle::DoubleQuoted
    } else {
        ScalarStyle::SingleQuoted
    }
}

/// One line of the text.
#[derive(Clone, Copy)]
struct Line {
    /// Where it starts.
    start: usize,
    /// How many spaces it starts with.
    indent: usize,
    /// Where its text ends, before `\n` or `\r\n`.
    end: usize,
    /// Where the next line starts (`end` when the text ends without a line break).
    next: usize,
}

impl Line {
    fn at(&self) -> usize {
        self.start + self.indent
    }
    fn blank(&self) -> bool {
        self.at() == self.end
    }
}

struct Reader<'t, 's, S> {
    text: &'t str,
    b: &'t [u8],
    /// Where the next line to read starts.
    pos: usize,
    sink: &'s mut S,
}

impl<'t, S: Sink> Reader<'t, '_, S> {
    fn line(&self, start: usize) -> Option<Line> {
        if start >= self.b.len() {
            return None;
        }
        let rest = &self.b[start..];
        let (end, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => {
                let nl = start + i;
                let end = if i > 0 && self.b[nl - 1] == b'\r' {
                    nl - 1
                } else {
                    nl
                };
                (end, nl + 1)
            }
            None => (self.b.len(), self.b.len()),
        };
        let indent = self.b[start..end]
            .iter()
            .take_while(|&&c| c == b' ')
            .count();
        Some(Line {
            start,
            indent,
            end,
            next,
        })
    }

    /// The next line that is neither blank nor a comment, without reading past it.
    fn content(&mut self) -> Option<Line> {
        loop {
            let line = self.line(self.pos)?;
            if line.blank() || self.b[line.at()] == b'#' {
                self.pos = line.next;
                continue;
            }
            return Some(line);
        }
    }

    /// The next character after spaces from `at` on this line, or the line's end.
    fn skip_spaces(&self, line: Line, mut at: usize) -> usize {
        while at < line.end && self.b[at] == b' ' {
            at += 1;
        }
        at
    }

    /// Whether the line holds nothing more from `at` on but spaces and a comment.
    fn nothing_after(&self, line: Line, at: usize) -> bool {
        let next = self.skip_spaces(line, at);
        next == line.end || (next > at && self.b[next] == b'#')
    }

    /// Whether column `col` of the line holds a sequence entry's `-`.
    fn dash(&self, line: Line, col: usize) -> bool {
        let at = line.start + col;
        self.b.get(at) == Some(&b'-') && (at + 1 == line.end || self.b[at + 1] == b' ')
    }

    /// A block node starting at column `col` of a line: a sequence or a mapping.
    fn node(&mut self, line: Line, col: usize) -> Option<()> {
        if self.dash(line, col) {
            // `- - x`: a sequence in a sequence's entry
            if col != line.indent {
                return None;
            }
            return self.sequence(line, col, false);
        }
        let key = self.key(line, line.start + col)?;
        self.mapping(line, col, key)
    }

    /// A plain key at `at`: where its text ends and where its `:` is.
    fn key(&self, line: Line, at: usize) -> Option<(usize, usize)> {
        let first = *self.b.get(at)?;
        if !(first.is_ascii_alphanumeric() || first == b'_' || first >= 0x80) {
            return None;
        }
        let limit = line.end.min(at + MAX_KEY + 1);
        let mut i = at;
        while i < limit {
            let c = self.b[i];
            if !KEY_BYTE[c as usize] {
                match c {
                    b':' if i + 1 == line.end || self.b[i + 1] == b' ' => {
                        let mut end = i;
                        while self.b[end - 1] == b' ' {
                            end -= 1;
                        }
                        return Some((end, i));
                    }
                    b' ' if self.b.get(i + 1) != Some(&b'#') => {}
                    _ => return None,
                }
            }
            i += 1;
        }
        None
    }

    /// A block mapping whose first key, already found, is at column `col` of `line`.
    fn mapping(&mut self, mut line: Line, col: usize, first: (usize, usize)) -> Option<()> {
        self.sink.start(true, line.start + col, line.start + col)?;
        let mut key = Some(first);
        loop {
            let at = line.start + col;
            let (end, colon) = match key.take() {
                Some(found) => found,
                None => self.key(line, at)?,
            };
            self.plain_scalar(at, end)?;
            self.value(line, colon + 1, col, colon)?;
            match self.content() {
                Some(next) if next.indent == col => {
                    if self.dash(next, col) {
                        return None;
                    }
                    line = next;
                }
                Some(next) if next.indent > col => return None,
                _ => break,
            }
        }
        self.sink.end(true)
    }

    /// A block sequence whose first `-` is at column `col` of `line`. granit-parser places a
    /// sequence at its first `-`, or at its first entry when it sits at its key's own column
    /// (`indentless`).
    fn sequence(&mut self, mut line: Line, col: usize, indentless: bool) -> Option<()> {
        let start = if indentless {
            let entry = line.start + col + 1;
            if self.nothing_after(line, entry) {
                return None;
            }
            self.skip_spaces(line, entry)
        } else {
            line.start + col
        };
        self.sink.start(false, start, start)?;
        loop {
            let after = line.start + col + 1;
            let at = self.skip_spaces(line, after);
            if self.nothing_after(line, after) {
                // the entry is on the lines below, or empty (left to granit-parser)
                self.pos = line.next;
                match self.content() {
                    Some(next) if next.indent > col => self.node(next, next.indent)?,
                    _ => return None,
                }
            } else if let Some(key) = self.key(line, at) {
                self.mapping(line, at - line.start, key)?;
            } else {
                self.scalar(line, at, col)?;
            }
            match self.content() {
                Some(next) if next.indent == col && self.dash(next, col) => line = next,
                // the parent block decides whether a line at this column may follow
                Some(next) if next.indent <= col => break,
                Some(_) => return None,
                None => break,
            }
        }
        self.sink.end(false)
    }

    /// A mapping's value, from `from` (after the `:`) on `line`; the mapping is at column
    /// `col` and its key's `:` at `colon`.
    fn value(&mut self, line: Line, from: usize, col: usize, colon: usize) -> Option<()> {
        if self.nothing_after(line, from) {
            self.pos = line.next;
            return match self.content() {
                Some(next) if next.indent > col => self.node(next, next.indent),
                // a sequence may sit at its key's own column
                Some(next) if next.indent == col && self.dash(next, col) => {
                    self.sequence(next, col, true)
                }
                // an empty value: granit-parser places it at the `:`
                _ => self
                    .sink
                    .scalar(Cow::Borrowed("~"), ScalarStyle::Plain, colon, colon),
            };
        }
        let at = self.skip_spaces(line, from);
        self.scalar(line, at, col)
    }

    /// A scalar or flow sequence at `at` that is a value or an entry of a block at column
    /// `col`, on the rest of its line (or a block scalar on the lines below).
    fn scalar(&mut self, line: Line, at: usize, col: usize) -> Option<()> {
        match self.b[at] {
            b'|' | b'>' => return self.block_scalar(line, at, col),
            b'"' | b'\'' => {
                let (value, end) = self.quoted(line, at)?;
                if !self.nothing_after(line, end) {
                    return None;
                }
                let style = quote_style(self.b[at]);
                self.sink.scalar(value, style, at, end)?;
            }
            b'[' => {
                let end = self.flow_sequence(line, at)?;
                if !self.nothing_after(line, end) {
                    return None;
                }
            }
            _ => {
                let end = self.plain(line, at)?;
                self.plain_scalar(at, end)?;
            }
        }
        // a line below indented more than `col` (a plain scalar going on, or an error) is
        // declined by the block that reads it next
        self.pos = line.next;
        Some(())
    }

    /// Hands over the plain scalar `at..end`.
    fn plain_scalar(&mut self, at: usize, end: usize) -> Option<()> {
        self.sink.scalar(
            Cow::Borrowed(&self.text[at..end]),
            ScalarStyle::Plain,
            at,
            end,
        )
    }

    /// Whether a plain scalar may start with the character at `at`.
    fn plain_start(&self, line: Line, at: usize) -> bool {
        match self.b[at] {
            b'-' => {
                // `-x` is a plain scalar; `- ` is an entry
                let next = self.b.get(at + 1).copied();
                at + 1 < line.end && next.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'.')
            }
            b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
            | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' | b' ' => false,
            _ => true,
        }
    }

    /// A plain scalar in block context at `at`: where its text ends (before a comment and
    /// trailing spaces).
    fn plain(&self, line: Line, at: usize) -> Option<usize> {
        if !self.plain_start(line, at) {
            return None;
        }
        let mut end = line.end;
        let mut i = at;
        while let Some(found) = memchr::memchr2(b':', b'#', &self.b[i..line.end]) {
            let j = i + found;
            if self.b[j] == b'#' {
                if self.b[j - 1] == b' ' {
                    end = j;
                    break;
                }
            } else if j + 1 == line.end || self.b[j + 1] == b' ' {
                // `a: b: c`, or `a: b:`: a mapping where a scalar was
                return None;
            }
            i = j + 1;
        }
        while self.b[end - 1] == b' ' {
            end -= 1;
        }
        Some(end)
    }

    /// A quoted scalar on one line at `at`: its value and where its closing quote ends.
    fn quoted(&self, line: Line, at: usize) -> Option<(Cow<'t, str>, usize)> {
        let quote = self.b[at];
        let body = at + 1;
        if quote == b'"' {
            let close = body + memchr::memchr2(b'"', b'\\', &self.b[body..line.end])?;
            if self.b[close] == b'\\' {
                return None;
            }
            let text: &'t str = self.text;
            return Some((Cow::Borrowed(&text[body..close]), close + 1));
        }
        // single quotes: `''` is a quote
        let text: &'t str = self.text;
        let mut value: Option<String> = None;
        let mut from = body;
        loop {
            let close = from + memchr::memchr(b'\'', &self.b[from..line.end])?;
            if self.b.get(close + 1) == Some(&b'\'') && close + 1 < line.end {
                let v = value.get_or_insert_with(String::new);
                v.push_str(&text[from..=close]);
                from = close + 2;
                continue;
            }
            return Some(match value {
                None => (Cow::Borrowed(&text[body..close]), close + 1),
                Some(mut v) => {
                    v.push_str(&text[from..close]);
                    (Cow::Owned(v), close + 1)
                }
            });
        }
    }

    /// A flow sequence of scalars on one line at `at` (its `[`): where its `]` ends.
    fn flow_sequence(&mut self, line: Line, at: usize) -> Option<usize> {
        self.sink.start(false, at, at + 1)?;
        let mut i = self.skip_spaces(line, at + 1);
        if self.b.get(i) == Some(&b']') && i < line.end {
            self.sink.end(false)?;
            return Some(i + 1);
        }
        loop {
            if i >= line.end {
                return None;
            }
            let end = match self.b[i] {
                b'"' | b'\'' => {
                    let (value, end) = self.quoted(line, i)?;
                    let style = quote_style(self.b[i]);
                    self.sink.scalar(value, style, i, end)?;
                    end
                }
                _ => {
                    if !self.plain_start(line, i) {
                        return None;
                    }
                    let mut end = i;
                    while end < line.end && !matches!(self.b[end], b',' | b']') {
                        if matches!(
                            self.b[end],
                            b':' | b'#' | b'[' | b'{' | b'}' | b'"' | b'\'' | b'\\'
                        ) {
                            return None;
                        }
                        end += 1;
                    }
                    while self.b[end - 1] == b' ' {
                        end -= 1;
                    }
                    self.plain_scalar(i, end)?;
                    end
                }
            };
            i = self.skip_spaces(line, end);
            if i >= line.end {
                return None;
            }
            match self.b[i] {
                b']' => {
                    self.sink.end(false)?;
                    return Some(i + 1);
                }
                b',' => {
                    i = self.skip_spaces(line, i + 1);
                    // a trailing comma
                    if i >= line.end || self.b[i] == b']' {
                        return None;
                    }
                }
                _ => return None,
            }
        }
    }

    /// A literal (`|`) or folded (`>`) block scalar whose indicator is at `at`, in a block at
    /// column `col`. Its lines must all be indented alike, more than `col`.
    fn block_scalar(&mut self, line: Line, at: usize, col: usize) -> Option<()> {
        let literal = self.b[at] == b'|';
        let mut after = at + 1;
        let strip = self.b.get(after) == Some(&b'-') && after < line.end;
        if strip {
            after += 1;
        }
        // an indentation or keep indicator, or anything but a comment after the header
        if !self.nothing_after(line, after) {
            return None;
        }
        let first = self.line(line.next)?;
        if first.blank() || first.indent <= col {
            return None;
        }
        let indent = first.indent;
        let start = first.at();
        let mut value = String::new();
        let mut blanks = 0usize;
        let mut pos = first.start;
        let (end, after) = loop {
            let Some(l) = self.line(pos) else {
                // the text ends: the last line must have had its line break
                if self.b.last() != Some(&b'\n') {
                    return None;
                }
                break (self.b.len(), self.b.len());
            };
            if l.end == l.start {
                blanks += 1;
                pos = l.next;
                continue;
            }
            if l.blank() {
                // spaces alone on a line near a block scalar
                return None;
            }
            if l.indent < indent {
                break (l.at(), l.start);
            }
            if l.indent > indent {
                return None;
            }
            if l.start != first.start {
                if literal {
                    value.extend(std::iter::repeat_n('\n', blanks + 1));
                } else if blanks == 0 {
                    value.push(' ');
                } else {
                    value.extend(std::iter::repeat_n('\n', blanks));
                }
            }
            value.push_str(&self.text[l.at()..l.end]);
            blanks = 0;
            pos = l.next;
        };
        if !strip {
            value.push('\n');
        }
        let style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        self.sink.scalar(Cow::Owned(value), style, start, end)?;
        // the line that ended the scalar is read by the blocks above
        self.pos = after;
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::plain_characters;

    /// What [`plain_characters`] must tell, one character at a time.
    fn oracle(text: &str) -> bool {
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let declined = match c {
                '\r' => chars.peek() != Some(&'\n'),
                '\n' => false,
                '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => true,
                c => c.is_control(),
            };
            if declined {
                return false;
            }
        }
        true
    }

    /// Every text of up to three characters from an alphabet of the characters that matter and
    /// their neighbours, alone and at each place around a 64-byte boundary of a longer text.
    #[test]
    fn the_byte_test_declines_what_each_character_tells() {
        let alphabet = [
            'a',
            ' ',
            '\n',
            '\r',
            '\t',
            '\0',
            '\u{7f}',
            '\u{80}',
            '\u{85}',
            '\u{9f}',
            '\u{a0}',
            '°',
            'é',
            '\u{2027}',
            '\u{2028}',
            '\u{2029}',
            '’',
            '\u{feff}',
            '\u{fffd}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{1f600}',
        ];
        let texts = crate::harness::every_text(&alphabet, 3);
        for text in &texts {
            assert_eq!(plain_characters(text.as_bytes()), oracle(text), "{text:?}");
            for at in [0, 1, 60, 61, 62, 63, 64, 65, 127] {
                let long = format!("{}{text}{}", "x".repeat(at), "y".repeat(130 - at));
                assert_eq!(
                    plain_characters(long.as_bytes()),
                    oracle(&long),
                    "{text:?} at {at}"
                );
            }
        }
    }
}
