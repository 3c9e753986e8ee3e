//! The last pass before text leaves ropa on standard output, standard error or into a report
//! file. Whatever a renderer wrote, text that came from the repository must not be able to act on
//! what reads it:
//!
//! - a GitHub runner reads a workflow command on any line that starts, after blanks, with `::`,
//!   and the legacy `##[command]` anywhere in a line, on standard output and standard error;
//! - a terminal obeys control characters and bidirectional overrides.
//!
//! Each kind of sink is neutralised in its own syntax, so that the value a parser reads back is
//! unchanged (JSON `\u0023`, XML `&#35;`) or, for text read by people, only an invisible
//! zero-width space is added.

use std::borrow::Cow;

/// How the text is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sink {
    /// Text for people (the human report, `recommend`, `catalog`, errors). With `color`, the
    /// escape sequences are the renderer's own styling; without, any escape is shown.
    Text { color: bool },
    /// JSON (the JSON report, SARIF, GitLab, `recommend --format json`).
    Json,
    /// XML or HTML (JUnit, the HTML register).
    Xml,
    /// GitHub workflow commands: the lines that start with `::` are ropa's own.
    Github,
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
        Sink::Xml => "#&#35;[",
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
                Sink::Xml => out.push_str("&#58;"),
                Sink::Text { .. } | Sink::Json | Sink::Github => out.push(BREAK),
            }
            out.push_str(if sink == Sink::Xml { &rest[1..] } else { rest });
        } else {
            out.push_str(rest);
        }
    }
    if let Sink::Text { color } = sink {
        return Cow::Owned(visible_controls(&out, color));
    }
    Cow::Owned(out)
}

fn needs_work(text: &str, sink: Sink) -> bool {
    if text.contains("##[") {
        return true;
    }
    let line_start =
        sink != Sink::Github && text.split('\n').any(|l| l.trim_start().starts_with("::"));
    let controls =
        matches!(sink, Sink::Text { .. }) && text.replace("\r\n", "\n").chars().any(is_hostile);
    line_start || controls
}

/// Control characters (but line ends and tabs) and bidirectional controls.
pub(crate) fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
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
        // a CR that ends a line (CSV's CRLF) is a line end, not a control
        if is_hostile(c) && !(c == '\r' && chars.peek() == Some(&'\n')) {
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
    }
}
