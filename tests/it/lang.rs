//! One voice: every command and every format, run in English and in French, speaks the run's
//! language. A French word in an English run, or English prose in a French run, fails, except
//! where the text is a proper name: the titles of the CNIL's and the law's texts (cited as
//! published), URLs, and manifest content (YAML examples and values written by the user).

use crate::common;

use common::{repo_root, ropa};

/// Words that only French prose uses.
const FRENCH: &[&str] = &[
    "le",
    "la",
    "les",
    "des",
    "du",
    "une",
    "est",
    "pour",
    "dans",
    "avec",
    "pas",
    "sont",
    "aucun",
    "aucune",
    "sur",
    "fichier",
    "erreur",
    "avertissement",
    "règle",
    "finalité",
    "données",
    "vérifiés",
];

/// Words that only English prose uses.
const ENGLISH: &[&str] = &[
    "the", "and", "is", "not", "with", "found", "error", "errors", "warning", "warnings", "of",
    "checked", "must", "which", "file", "purpose", "rule", "no", "for",
];

/// Lines that carry proper names or user content, in either language.
fn quoted(line: &str) -> bool {
    let l = line.to_lowercase();
    ["source", "«", "http", "délibération", "règlement", "article", "code ", "loi ", "cnil", "```"]
        .iter()
        .any(|m| l.contains(m))
        // a YAML example or a manifest snippet (`12 |   name: …`, `  - id: …`, `key: value`)
        || l.contains(" | ")
        || l.trim_start().starts_with('|')
        || l.trim_start().starts_with("- ")
        || l.trim_start().starts_with('#')
        || l.split_once(':').is_some_and(|(k, _)| !k.trim().is_empty() && !k.contains(' '))
}

/// A line without its `[…]` parts, nor a part opened on the line before or closed on the next.
fn without_brackets(line: &str) -> String {
    let mut out = String::new();
    // a `]` before any `[` closes a part the line before opened
    let closes_first = line
        .find(']')
        .is_some_and(|close| line.find('[').is_none_or(|open| close < open));
    let mut depth = usize::from(closes_first);
    for c in line.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn words(line: &str) -> Vec<String> {
    // `code spans` name fields, values and commands: the same in every language
    let line: String = line
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, part)| part)
        .collect::<Vec<_>>()
        .join(" ");
    // a rule table names rules and levels: identifiers, the same in every language
    let table = line.split_whitespace().next().is_some_and(|w| {
        w.len() == 5
            && w[..2].chars().all(|c| c.is_ascii_uppercase())
            && w[2..].chars().all(|c| c.is_ascii_digit())
    });
    line.split_whitespace()
        .filter(|w| !(w.contains('-') || (table && matches!(*w, "error" | "warning" | "note"))))
        .flat_map(|w| w.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != 'é'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn check(text: &str, lang: &str, what: &str) {
    let foreign = if lang == "en" { FRENCH } else { ENGLISH };
    for line in text.lines().filter(|l| !quoted(l)) {
        // a workflow command's name and properties are syntax, its message is prose
        let line = match line.strip_prefix("::") {
            Some(rest) => rest.split_once("::").map_or(rest, |(_, message)| message),
            None => line,
        };
        // JSON keys and enumerated values are the report's API, not prose
        let line = line
            .trim_start()
            .strip_prefix('"')
            .and_then(|rest| rest.split_once("\":"))
            .map_or(line, |(_, value)| value);
        // a help page's bracketed values and defaults (`[possible values: error, warning]`)
        // name values, even when the page wraps them across lines
        let line = without_brackets(line);
        // the text of JSON strings, XML attributes and workflow commands is read as prose
        let hits: Vec<String> = words(&line)
            .into_iter()
            .filter(|w| foreign.contains(&w.as_str()))
            .collect();
        assert!(
            hits.len() < 2,
            "{what} --lang {lang}: {hits:?} in a line that should be in {lang}:\n{line}"
        );
    }
}

#[test]
fn every_command_and_format_speaks_the_run_language() {
    let root = repo_root();
    let examples = root.join("examples");
    let tmp = tempfile::tempdir().unwrap();
    for lang in ["en", "fr"] {
        let mut runs: Vec<(String, Vec<String>)> = Vec::new();
        for format in ["human", "json", "github", "sarif", "junit", "gitlab"] {
            runs.push((
                format!("lint {format}"),
                vec!["lint".into(), "--format".into(), format.into()],
            ));
        }
        let init_dir = tmp.path().join(lang);
        for args in [
            vec!["recommend", "customer-management"],
            vec!["recommend", "customer-management", "--format", "json"],
            vec!["catalog", "list"],
            vec!["catalog", "dpia"],
            vec!["catalog", "show", "accounting"],
            vec!["catalog", "show", "no-such-purpose-at-all"],
            vec!["explain"],
            vec!["explain", "LB001"],
            vec!["explain", "XX999"],
            vec!["config"],
            vec!["register"],
            vec!["register", "--format", "csv"],
            vec!["register", "--format", "html"],
            vec!["--help"],
            vec!["lint", "--help"],
            vec!["diff", "--help"],
            vec!["register", "-h"],
            vec![
                "init",
                init_dir.to_str().unwrap(),
                "--purpose",
                "accounting",
            ],
            vec![
                "init",
                init_dir.to_str().unwrap(),
                "--purpose",
                "accounting",
            ],
        ] {
            runs.push((args.join(" "), args.iter().map(|s| s.to_string()).collect()));
        }
        for (what, mut args) in runs {
            args.push("--lang".into());
            args.push(lang.into());
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            let o = ropa(&examples, &refs);
            let out = String::from_utf8_lossy(&o.stdout);
            let err = String::from_utf8_lossy(&o.stderr);
            check(&out, lang, &what);
            check(&err, lang, &what);
        }
    }
}
