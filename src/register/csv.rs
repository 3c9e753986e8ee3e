//! The register as CSV (RFC 4180): UTF-8 with a byte-order mark, so that spreadsheets keep the
//! accents; one row per activity, the controller in the first column. Fields are separated by
//! commas, or by semicolons for spreadsheets in locales that use the comma in numbers.

use super::{Register, headings};

/// Quotes a field when it needs it; a field that starts like a formula (`= + - @`, a tab or a
/// carriage return, also after leading blanks) is prefixed with `'` so that a spreadsheet shows
/// it as text instead of evaluating it.
pub fn field(s: &str) -> String {
    let formula = |t: &str| t.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let s = if formula(s) || formula(s.trim_start_matches([' ', '\n'])) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r', ';']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// `separator` is `,` or `;`; a field containing either is quoted, so the choice never changes
/// how a field reads.
pub fn render(r: &Register, separator: char) -> String {
    let separator = separator.to_string();
    let mut out = String::from("\u{feff}");
    let heads = headings(r.lang);
    let mut header = vec![r.t("Controller", "Responsable de traitement").to_string()];
    header.extend(heads.iter().map(|h| h.to_string()));
    out.push_str(
        &header
            .iter()
            .map(|h| field(h))
            .collect::<Vec<_>>()
            .join(&separator),
    );
    out.push_str("\r\n");
    for g in &r.groups {
        let controller = g.controller.clone().unwrap_or_default();
        for e in &g.entries {
            let mut row = vec![field(&controller)];
            row.extend(e.cells().iter().map(|c| field(c)));
            out.push_str(&row.join(&separator));
            out.push_str("\r\n");
        }
    }
    // findings that concern no activity (a file that cannot be read): a row each, so that a
    // manifest the register could not read is not dropped from the sheet
    for (_, f) in &r.file_findings {
        let mut row = vec![String::new(); heads.len() + 1];
        row[1] = field(r.t("(no activity)", "(aucune activité)"));
        row[heads.len() - 1] = field(f);
        out.push_str(&row.join(&separator));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("a; b"), "\"a; b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("clientèle"), "clientèle");
        for formula in ["\t=1+1", "\r=1", " =1+1", "-2+3", "@SUM(A1)", "+1"] {
            assert!(
                field(formula).trim_start_matches('"').starts_with('\''),
                "{formula:?}"
            );
        }
    }
}
