//! The last pass before text leaves ropa on standard output, standard error or into a report
//! file. Whatever a renderer wrote, text that came from the repository must not be able to act on
//! what reads it:
//!
//! - a GitHub runner reads a workflow command on any line that starts, after blanks, with `::`,
//!   and the legacy `##[command]` anywhere in a line, on standard output and standard error;
//! - a terminal, and a CI log shown like one, obeys control characters (C0, DEL and C1: `U+009B`
//!   starts an escape sequence on its own in some terminals), bidirectional overrides, and the
//!   Unicode line and paragraph separators.
//!
//! Each kind of sink is neutralised in its own syntax, so that the value a parser reads back is
//! unchanged (JSON `\u0023`, `\u202e`; XML `&#35;`, `&#x202E;`) or, for text read by people,
//! only an invisible zero-width space is added and controls are shown as escapes (`\u{1b}`).
//! HTML is read by people through a browser, which would obey a bidirectional override written
//! as `&#x202E;` as it would the character itself: its commands are escaped as in XML, and its
//! controls shown as in text.

use std::borrow::Cow;

/// How the text is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sink {
    /// Text for people (the human report, `recommend`, `catalog`, errors). With `color`, the
    /// escape sequences are the renderer's own styling; without, any escape is shown.
    Text { color: bool },
    /// JSON (the JSON report, SARIF, GitLab, `recommend --format json`).
    Json,
    /// XML (JUnit).
    Xml,
    /// HTML (the register): XML's syntax, read by people.
    Html,
    /// GitHub workflow commands: the lines that start with `::` are ropa's own.
    Github,
}

/// Text on its way out, written in pieces as it is made: a report over a large repository is
/// never held whole. What is written is neutralised for its sink (when it has one) a batch of
/// whole lines at a time, which gives what [`neutralize`] gives on the whole text: it works
/// line by line, and a batch never ends inside a line. The first write error is kept and
/// returned by [`Out::finish`]; what follows it is dropped.
pub struct Out<'w> {
    pending: Vec<u8>,
    sink: Option<Sink>,
    dest: &'w mut dyn std::io::Write,
    error: Option<std::io::Error>,
}

impl<'w> Out<'w> {
    /// The size past which whole lines are passed on.
    const BATCH: usize = 64 * 1024;

    /// Text for `dest`, neutralised for `sink` (`None`: written as it is, for a caller that
    /// neutralises the whole later).
    pub fn new(dest: &'w mut dyn std::io::Write, sink: Option<Sink>) -> Self {
        Out {
            pending: Vec::new(),
            sink,
            dest,
            error: None,
        }
    }

    pub fn push_str(&mut self, s: &str) {
        self.pending.extend_from_slice(s.as_bytes());
        if self.pending.len() >= Self::BATCH {
            self.pass_on(false);
        }
    }

    pub fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }

    /// Passes on the whole lines pending (`all`: everything pending).
    fn pass_on(&mut self, all: bool) {
        let cut = if all {
            self.pending.len()
        } else {
            match self.pending.iter().rposition(|b| *b == b'\n') {
                Some(i) => i + 1,
                None => return,
            }
        };
        if self.error.is_none() {
            // checked the fast way first (a renderer writes valid text; the lossy way walks
            // it a character at a time)
            let bytes = &self.pending[..cut];
            let text = match std::str::from_utf8(bytes) {
                Ok(text) => Cow::Borrowed(text),
                Err(_) => String::from_utf8_lossy(bytes),
            };
            let text = match self.sink {
                Some(sink) => neutralize(&text, sink),
                None => text,
            };
            if let Err(e) = self.dest.write_all(text.as_bytes()) {
                self.error = Some(e);
            }
        }
        // what follows the last line end (less than a line) moves to the front
        self.pending.drain(..cut);
    }

    /// Writes what is pending and flushes.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.pass_on(true);
        match self.error.take() {
            Some(e) => Err(e),
            None => self.dest.flush(),
        }
    }
}

impl std::fmt::Write for Out<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

impl std::io::Write for Out<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if self.pending.len() >= Self::BATCH {
            self.pass_on(false);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What a renderer writes, as one string (tests, and outputs that are small by nature).
pub fn collect(write: impl FnOnce(&mut Out<'_>)) -> String {
    let mut bytes = Vec::new();
    let mut out = Out::new(&mut bytes, None);
    write(&mut out);
    let _ = out.finish();
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A zero-width space: breaks `::` and `##[` for the runner, invisible to people.
const BREAK: char = '\u{200b}';

/// `text`, safe for the sink.
pub fn neutralize(text: &str, sink: Sink) -> Cow<'_, str> {
    if !needs_work(text, sink) {
        return Cow::Borrowed(text);
    }
    let legacy = match sink {
        Sink::Text { .. } | Sink::Github => "#\u{200b}#[",
        Sink::Json => "#\\u0023[",
        Sink::Xml | Sink::Html => "#&#35;[",
    };
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = line.replace("##[", legacy);
        let blanks = line.len() - line.trim_start().len();
        let (lead, rest) = line.split_at(blanks);
        out.push_str(lead);
        if rest.starts_with("::") && sink != Sink::Github {
            match sink {
                Sink::Xml | Sink::Html => out.push_str("&#58;"),
                Sink::Text { .. } | Sink::Json | Sink::Github => out.push(BREAK),
            }
            out.push_str(if matches!(sink, Sink::Xml | Sink::Html) {
                &rest[1..]
            } else {
                rest
            });
        } else {
            out.push_str(rest);
        }
    }
    match sink {
        Sink::Text { color } => Cow::Owned(visible_controls(&out, color)),
        // the runner has read its commands by the time the log shows the line: no styling of
        // ropa's own is there to keep
        Sink::Github | Sink::Html => Cow::Owned(visible_controls(&out, false)),
        Sink::Json | Sink::Xml => Cow::Owned(escaped_controls(&out, sink)),
    }
}

/// Whether a hostile character is escaped in a JSON or XML text: DEL and above. A C0 control
/// cannot be in either but as a line end or a tab (JSON writers escape the others; XML 1.0 has
/// no way to write them, so its renderers leave them out).
fn escaped_in_syntax(c: char) -> bool {
    is_hostile(c) && c as u32 >= 0x7f
}

/// The hostile characters of a JSON or XML text written as escapes of that syntax: the value a
/// parser reads back is the same.
fn escaped_controls(text: &str, sink: Sink) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        // (writing to a `String` cannot fail)
        let _ = if !escaped_in_syntax(c) {
            out.write_char(c)
        } else if sink == Sink::Xml {
            write!(out, "&#x{:X};", c as u32)
        } else {
            // every hostile character is in the basic plane: one escape each
            write!(out, "\\u{:04x}", c as u32)
        };
    }
    out
}

fn needs_work(text: &str, sink: Sink) -> bool {
    if text.contains("##[") {
        return true;
    }
    let line_start = sink != Sink::Github && line_starts_with_colons(text);
    let controls = match sink {
        // line ends and tabs are the only C0 controls that are not hostile
        Sink::Text { .. } | Sink::Github | Sink::Html => any_char(
            text,
            |b| b >= 0x7f || (b < 0x20 && b != b'\n' && b != b'\t'),
            |c, next| shown(c, next.as_ref()),
        ),
        Sink::Json | Sink::Xml => any_char(text, |b| b >= 0x7f, |c, _| escaped_in_syntax(c)),
    };
    line_start || controls
}

/// Whether a line of `text` starts with `::` after blanks: each `::` is found in one pass (they
/// are rare), and only the first of a line has what comes before it looked at, so that a line
/// of thousands of `::` is read once.
fn line_starts_with_colons(text: &str) -> bool {
    let bytes = text.as_bytes();
    // where the last `::` was, and where its line starts
    let (mut last, mut line) = (None, 0);
    for at in memchr::memmem::find_iter(bytes, b"::") {
        let from = last.unwrap_or(0);
        match memchr::memrchr(b'\n', &bytes[from..at]) {
            Some(n) => line = from + n + 1,
            // on the line of an earlier `::`, which is not blank
            None if last.is_some() => {
                last = Some(at);
                continue;
            }
            None => {}
        }
        last = Some(at);
        if text[line..at].chars().all(char::is_whitespace) {
            return true;
        }
    }
    false
}

/// Whether `hit` holds for a character of `text` (given the one after it) whose first byte is a
/// `candidate`: the plain ASCII between candidates, most of every report, is not decoded. Every
/// hostile character starts with a byte under 0x20 or from 0x7f up.
fn any_char(
    text: &str,
    candidate: impl Fn(u8) -> bool,
    hit: impl Fn(char, Option<char>) -> bool,
) -> bool {
    let mut at = 0;
    while let Some(found) = first_of(&text.as_bytes()[at..], &candidate) {
        // a boundary: what came before was ASCII, or whole characters passed over
        let start = at + found;
        let mut chars = text[start..].chars();
        let Some(c) = chars.next() else {
            return false;
        };
        if hit(c, chars.next()) {
            return true;
        }
        at = start + c.len_utf8();
    }
    false
}

/// Where the first byte `candidate` picks is. The bytes are looked at 32 at a time, whole, which
/// the compiler turns into vector instructions: a report is mostly ASCII with no candidate.
fn first_of(bytes: &[u8], candidate: &impl Fn(u8) -> bool) -> Option<usize> {
    const AT_ONCE: usize = 32;
    let mut chunks = bytes.chunks_exact(AT_ONCE);
    let mut at = 0;
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |any, &b| any | candidate(b)) {
            return chunk.iter().position(|&b| candidate(b)).map(|i| at + i);
        }
        at += AT_ONCE;
    }
    let rest = chunks.remainder().iter().position(|&b| candidate(b));
    rest.map(|i| at + i)
}

/// Whether `c`, followed by `next`, is shown as an escape in text for people: a hostile
/// character, but a CR that ends a line (CSV's CRLF), which is a line end.
fn shown(c: char, next: Option<&char>) -> bool {
    is_hostile(c) && !(c == '\r' && next == Some(&'\n'))
}

/// Control characters (but line ends and tabs), bidirectional controls, and the line and
/// paragraph separators.
pub(crate) fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{2028}' | '\u{2029}')
}

/// Shows hostile characters as escapes; with `color`, the renderer's own escape sequences
/// (`ESC [ … m`) are kept.
fn visible_controls(text: &str, color: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if color && c == '\u{1b}' && chars.peek() == Some(&'[') {
            // a styling sequence: ESC [ digits and semicolons, ending in `m`
            let mut seq = String::from(c);
            while let Some(&n) = chars.peek() {
                seq.push(n);
                chars.next();
                if n.is_ascii_alphabetic() {
                    break;
                }
            }
            if seq.ends_with('m')
                && seq[2..seq.len() - 1]
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ';')
            {
                out.push_str(&seq);
            } else {
                out.extend(seq.chars().map(|c| c.escape_unicode().to_string()));
            }
            continue;
        }
        if shown(c, chars.peek()) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `::` at a line's start is found as splitting the text into lines would find it, with
    /// every kind of blank before it, and colons elsewhere.
    #[test]
    fn colons_at_a_line_start_are_found_as_line_by_line() {
        let alphabet = [':', ' ', '\n', 'a', '\u{a0}', '\u{3000}', '\t', '\r', 'é'];
        for text in crate::harness::every_text(&alphabet, 5) {
            let by_lines = text.split('\n').any(|l| l.trim_start().starts_with("::"));
            assert_eq!(line_starts_with_colons(&text), by_lines, "{text:?}");
        }
        // a long line of colons is read once (looking back from each `::` took minutes)
        let long = format!("a{}\n  b", "::".repeat(1 << 20));
        assert!(!line_starts_with_colons(&long));
        assert!(line_starts_with_colons(&(long + "\n ::")));
    }

    #[test]
    fn text_written_in_pieces_is_neutralised_as_the_whole_would_be() {
        // hostile lines scattered over several batches, some written a byte at a time
        let mut text = String::new();
        for i in 0..20_000 {
            match i % 7 {
                0 => text.push_str("  ::error::pwned\n"),
                1 => text.push_str("a ##[group] b\r\n"),
                2 => text.push_str("bell \u{7} and \u{202e}override\n"),
                _ => text.push_str("plain line, accentuée\n"),
            }
        }
        text.push_str("::last line without an end");
        for sink in [
            Sink::Text { color: false },
            Sink::Text { color: true },
            Sink::Json,
            Sink::Xml,
            Sink::Html,
            Sink::Github,
        ] {
            let mut bytes = Vec::new();
            let mut out = Out::new(&mut bytes, Some(sink));
            // pieces of five characters: a piece ends inside `##[`, `::` and `\r\n`
            let chars: Vec<char> = text.chars().collect();
            for (i, piece) in chars.chunks(5).enumerate() {
                let piece: String = piece.iter().collect();
                if i % 3 == 0 {
                    std::io::Write::write_all(&mut out, piece.as_bytes()).unwrap();
                } else {
                    out.push_str(&piece);
                }
            }
            out.finish().unwrap();
            assert_eq!(
                String::from_utf8(bytes).unwrap(),
                neutralize(&text, sink),
                "{sink:?}"
            );
        }
        // a batch fills up inside a line: nothing is passed on before its end
        let long = format!("{}##", "a".repeat(Out::BATCH));
        let mut bytes = Vec::new();
        let mut out = Out::new(&mut bytes, Some(Sink::Json));
        out.push_str(&long);
        out.push_str("[x\n");
        out.finish().unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            neutralize(&format!("{long}[x\n"), Sink::Json)
        );
    }

    #[test]
    fn workflow_commands_cannot_start_anywhere() {
        let text = "ok\n  ::error::x\nsee ##[error]y";
        let t = neutralize(text, Sink::Text { color: false });
        assert!(!t.lines().any(|l| l.trim_start().starts_with("::")), "{t}");
        assert!(!t.contains("##["), "{t}");
        // the JSON value read back is the same
        let json = serde_json::json!({"m": "##[error] and ::x"}).to_string();
        let safe = neutralize(&json, Sink::Json);
        assert!(!safe.contains("##["));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["m"], "##[error] and ::x");
        // XML: the same text once parsed
        let xml = neutralize("<a>\n::error::x ##[warning]</a>", Sink::Xml);
        assert_eq!(xml, "<a>\n&#58;:error::x #&#35;[warning]</a>");
        // the GitHub format's own commands stay
        let gh = neutralize("::error file=a::m ##[x]\nropa: done", Sink::Github);
        assert!(gh.starts_with("::error file=a::m #"));
        assert!(!gh.contains("##["));
    }

    #[test]
    fn controls_are_shown_and_styling_is_kept() {
        let t = neutralize("a\u{1b}[31mb\u{202e}c\rd", Sink::Text { color: false });
        assert_eq!(t, "a\\u{1b}[31mb\\u{202e}c\\u{d}d");
        let styled = neutralize(
            "\u{1b}[1;31merror\u{1b}[0m \u{1b}]0;title\u{7}",
            Sink::Text { color: true },
        );
        assert!(
            styled.starts_with("\u{1b}[1;31merror\u{1b}[0m "),
            "{styled:?}"
        );
        assert!(!styled.contains('\u{7}'), "{styled:?}");
        // a GitHub log shows controls like a terminal, and none is ropa's own
        let gh = neutralize(
            "::error file=a\u{1b}[2J\u{9b}x::m\u{202e}\u{2028}",
            Sink::Github,
        );
        assert_eq!(gh, "::error file=a\\u{1b}[2J\\u{9b}x::m\\u{202e}\\u{2028}");
        // HTML: a browser obeys `&#x202E;` as it obeys the character, so the page shows it;
        // its commands are escaped in its syntax
        let html = neutralize("<td>::a \u{202e}b\u{2066} ##[c]</td>", Sink::Html);
        assert_eq!(html, "<td>::a \\u{202e}b\\u{2066} #&#35;[c]</td>");
        let html = neutralize("  ::error::x", Sink::Html);
        assert_eq!(html, "  &#58;:error::x");
    }

    /// The byte scan finds what decoding every character finds, on every text of up to three
    /// characters from an alphabet of plain, multi-byte and hostile ones, alone and after plain
    /// text that puts it on either side of where the scan's blocks of bytes meet.
    #[test]
    fn the_byte_scan_finds_what_every_character_shows() {
        let alphabet = [
            'a', 'é', '€', '😀', '\r', '\n', '\t', '\u{1b}', '\u{7f}', '\u{9b}', '\u{202e}',
            '\u{2028}',
        ];
        let texts = crate::harness::every_text(&alphabet, 3);
        let padded = [0, 1, 30, 31, 32, 33, 63, 64, 65]
            .into_iter()
            .flat_map(|n| {
                let pad = "x".repeat(n);
                texts.iter().map(move |t| format!("{pad}{t}{pad}"))
            });
        for t in &padded.collect::<Vec<_>>() {
            let high = |b: u8| b >= 0x7f;
            assert_eq!(
                first_of(t.as_bytes(), &high),
                t.bytes().position(high),
                "{t:?}"
            );
            let people = t.replace("\r\n", "\n").chars().any(is_hostile);
            let syntax = t.chars().any(escaped_in_syntax);
            assert_eq!(needs_work(t, Sink::Text { color: false }), people, "{t:?}");
            assert_eq!(needs_work(t, Sink::Github), people, "{t:?}");
            assert_eq!(needs_work(t, Sink::Html), people, "{t:?}");
            assert_eq!(needs_work(t, Sink::Json), syntax, "{t:?}");
            assert_eq!(needs_work(t, Sink::Xml), syntax, "{t:?}");
        }
    }

    #[test]
    fn json_and_xml_escape_controls_in_their_own_syntax() {
        let value = "a\u{1b}[31m\u{7f}\u{9b}2J\u{202e}\u{2028}\u{2066}b é";
        let json = serde_json::json!({ "m": value }).to_string();
        let safe = neutralize(&json, Sink::Json);
        assert!(!safe.chars().any(is_hostile), "{safe:?}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["m"], value);
        // XML: C0 controls cannot be written at all (the renderers leave them out)
        let value = "a\u{7f}\u{9b}\u{202e}\u{2029}b é";
        let xml = format!("<a m=\"{value}\">{value}</a>");
        let safe = neutralize(&xml, Sink::Xml);
        assert!(!safe.chars().any(is_hostile), "{safe:?}");
        let doc = roxmltree::Document::parse(&safe).unwrap();
        let a = doc.root_element();
        assert_eq!((a.attribute("m"), a.text()), (Some(value), Some(value)));
        // line ends and tabs, JSON's and XML's own whitespace, stay
        assert_eq!(
            neutralize("{\n\t\"a\": 1\r\n}", Sink::Json),
            "{\n\t\"a\": 1\r\n}"
        );
    }
}
