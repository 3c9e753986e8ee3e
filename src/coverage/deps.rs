//! Dependencies read from package manifests and lockfiles, by file name. Each reader is a small,
//! bounded pass over the text: no package manager runs, nothing is resolved over the network.
//! Development-only dependencies are left out where the file says which they are.

use super::lines;
use super::vendors::Ecosystem;
use crate::source::Span;

/// One dependency, at the place its name is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dep {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub span: Span,
}

/// Reads the names a file depends on, each with the byte offset it is written at.
pub type Reader = fn(&str) -> Vec<(String, usize)>;

/// The reader for a file name, if it is a dependency file; with whether it is a lockfile (a
/// lockfile is not read when its directory's manifest is: the manifest says what is a
/// development dependency).
pub fn reader(file_name: &str) -> Option<(Ecosystem, bool, Reader)> {
    Some(match file_name {
        "package.json" => (Ecosystem::Npm, false, package_json),
        "package-lock.json" | "npm-shrinkwrap.json" => (Ecosystem::Npm, true, package_lock),
        "pnpm-lock.yaml" => (Ecosystem::Npm, true, pnpm_lock),
        "yarn.lock" => (Ecosystem::Npm, true, yarn_lock),
        "poetry.lock" | "uv.lock" => (Ecosystem::Pypi, true, toml_packages),
        "Pipfile.lock" => (Ecosystem::Pypi, true, pipfile_lock),
        "go.mod" => (Ecosystem::Go, false, go_mod),
        "Cargo.lock" => (Ecosystem::Cargo, true, toml_packages),
        "Gemfile.lock" => (Ecosystem::Gem, true, gemfile_lock),
        "composer.lock" => (Ecosystem::Composer, true, composer_lock),
        "pom.xml" => (Ecosystem::Maven, false, pom_xml),
        "build.gradle" | "build.gradle.kts" => (Ecosystem::Maven, false, gradle),
        n if n.starts_with("requirements") && n.ends_with(".txt") => {
            (Ecosystem::Pypi, false, requirements)
        }
        _ => return None,
    })
}

/// Reads a file's dependencies.
pub fn read(file_name: &str, text: &str) -> Vec<Dep> {
    let Some((ecosystem, _, read)) = reader(file_name) else {
        return Vec::new();
    };
    let mut out: Vec<Dep> = read(text)
        .into_iter()
        .map(|(name, at)| Dep {
            ecosystem,
            span: Span::new(at, (at + name.len()).min(text.len())),
            name,
        })
        .collect();
    out.sort_by(|a, b| (a.span.start, &a.name).cmp(&(b.span.start, &b.name)));
    out.dedup_by(|a, b| a.name == b.name);
    out
}

/// Why a dependency file in JSON could not be read (its readers find nothing in it then):
/// `None` for a file that parses, or that is not JSON.
pub fn json_error(file_name: &str, text: &str) -> Option<String> {
    let json =
        file_name.ends_with(".json") || matches!(file_name, "Pipfile.lock" | "composer.lock");
    if !json {
        return None;
    }
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .err()
        .map(|e| format!("invalid JSON at line {}, column {}", e.line(), e.column()))
}

/// Where `"name"` is first written as a key (or `0`).
fn key_at(text: &str, name: &str) -> usize {
    let quoted = format!("\"{name}\"");
    text.find(&quoted).map_or(0, |i| i + 1)
}

fn json_keys(text: &str, sections: &[&str]) -> Vec<(String, usize)> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for s in sections {
        if let Some(map) = value.get(*s).and_then(|v| v.as_object()) {
            for name in map.keys() {
                out.push((name.clone(), key_at(text, name)));
            }
        }
    }
    out
}

fn package_json(text: &str) -> Vec<(String, usize)> {
    json_keys(
        text,
        &["dependencies", "optionalDependencies", "peerDependencies"],
    )
}

fn package_lock(text: &str) -> Vec<(String, usize)> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let dev = |v: &serde_json::Value| v.get("dev").and_then(|d| d.as_bool()) == Some(true);
    if let Some(packages) = value.get("packages").and_then(|v| v.as_object()) {
        // lockfile v2 and v3: `node_modules/<name>`, top level only
        for (key, v) in packages {
            if let Some(name) = key.strip_prefix("node_modules/")
                && !name.contains("/node_modules/")
                && !dev(v)
            {
                out.push((name.to_string(), key_at(text, key) + "node_modules/".len()));
            }
        }
    } else if let Some(deps) = value.get("dependencies").and_then(|v| v.as_object()) {
        for (name, v) in deps {
            if !dev(v) {
                out.push((name.clone(), key_at(text, name)));
            }
        }
    }
    out
}

fn pipfile_lock(text: &str) -> Vec<(String, usize)> {
    json_keys(text, &["default"])
}

fn composer_lock(text: &str) -> Vec<(String, usize)> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(list) = value.get("packages").and_then(|v| v.as_array()) {
        for p in list {
            if let Some(name) = p.get("name").and_then(|n| n.as_str()) {
                out.push((name.to_string(), key_at(text, name)));
            }
        }
    }
    out
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn unquote(s: &str) -> &str {
    s.trim().trim_matches(|c| c == '"' || c == '\'')
}

/// pnpm: the keys of `dependencies:` and `optionalDependencies:` blocks (top level in lockfile
/// v5, under each importer from v6), not of `devDependencies:`.
fn pnpm_lock(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut section: Option<usize> = None;
    for (at, line) in lines(text) {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let ind = indent(line);
        if let Some(s) = section {
            if ind <= s {
                section = None;
            } else if ind == s + 2 {
                if let Some((key, _)) = t.split_once(':') {
                    let name = unquote(key);
                    let offset = at + ind + usize::from(key.trim_start().starts_with(['"', '\'']));
                    out.push((name.to_string(), offset));
                }
                continue;
            } else {
                continue;
            }
        }
        if t == "dependencies:" || t == "optionalDependencies:" {
            section = Some(ind);
        }
    }
    out
}

/// yarn (classic and berry): each entry's header, `"name@range", name@range:` at column 0.
fn yarn_lock(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (at, line) in lines(text) {
        if line.starts_with([' ', '#']) || !line.ends_with(':') || line.is_empty() {
            continue;
        }
        let first = line.trim_end_matches(':').split(", ").next().unwrap_or("");
        let spec = unquote(first);
        // the name ends at the `@` of the range (a scoped name starts with `@`)
        let Some(i) = spec[1.min(spec.len())..].find('@').map(|i| i + 1) else {
            continue;
        };
        let name = &spec[..i];
        if !name.is_empty() {
            out.push((name.to_string(), at + usize::from(line.starts_with('"'))));
        }
    }
    out
}

/// `[[package]]` tables with `name = "…"` (Cargo.lock, poetry.lock, uv.lock).
fn toml_packages(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut in_package = false;
    for (at, line) in lines(text) {
        let t = line.trim();
        if t.starts_with('[') {
            in_package = t == "[[package]]";
            continue;
        }
        if in_package
            && let Some(rest) = t.strip_prefix("name")
            && let Some(value) = rest.trim_start().strip_prefix('=')
        {
            let name = unquote(value);
            let offset = line.find(name).map_or(at, |i| at + i);
            out.push((name.to_string(), offset));
            in_package = false;
        }
    }
    out
}

/// Gemfile.lock: the `DEPENDENCIES` section (what the Gemfile asks for).
fn gemfile_lock(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut in_deps = false;
    for (at, line) in lines(text) {
        if !line.starts_with(' ') {
            in_deps = line.trim() == "DEPENDENCIES";
            continue;
        }
        if in_deps && indent(line) == 2 {
            let name = line.trim().split([' ', '(', '!']).next().unwrap_or("");
            if !name.is_empty() {
                out.push((name.to_string(), at + 2));
            }
        }
    }
    out
}

fn requirements(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (at, line) in lines(text) {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with(['#', '-']) || t.contains("://") {
            continue;
        }
        let end = t
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .unwrap_or(t.len());
        if end > 0 {
            out.push((t[..end].to_string(), at + (line.len() - t.len())));
        }
    }
    out
}

/// go.mod: `require` lines and blocks; indirect requirements are kept (they are linked in).
fn go_mod(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut block = false;
    for (at, line) in lines(text) {
        let t = line.trim();
        let spec = if block {
            if t.starts_with(')') {
                block = false;
                continue;
            }
            t
        } else if let Some(rest) = t.strip_prefix("require") {
            let rest = rest.trim();
            if rest.starts_with('(') {
                block = true;
                continue;
            }
            rest
        } else {
            continue;
        };
        let module = spec.split_whitespace().next().unwrap_or("");
        if module.contains('.') && !module.starts_with("//") {
            let offset = line.find(module).map_or(at, |i| at + i);
            out.push((module.to_string(), offset));
        }
    }
    out
}

/// The text between `<tag>` and `</tag>` in `block`, with its offset in `block`.
fn xml_value<'a>(block: &'a str, tag: &str) -> Option<(&'a str, usize)> {
    let open = format!("<{tag}>");
    let start = block.find(&open)? + open.len();
    let end = block[start..].find("</")? + start;
    Some((block[start..end].trim(), start))
}

/// Maven: `<dependency>` blocks, as `groupId:artifactId`, except test-scoped ones.
fn pom_xml(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("<dependency>") {
        let start = from + i;
        let Some(len) = text[start..].find("</dependency>") else {
            break;
        };
        let block = &text[start..start + len];
        from = start + len;
        if xml_value(block, "scope").is_some_and(|(s, _)| s == "test") {
            continue;
        }
        if let (Some((group, _)), Some((artifact, at))) =
            (xml_value(block, "groupId"), xml_value(block, "artifactId"))
        {
            out.push((format!("{group}:{artifact}"), start + at));
        }
    }
    out
}

/// Gradle: `implementation`, `api`, `compile`, `runtimeOnly` with a `"group:artifact:version"`
/// string (Groovy or Kotlin DSL).
fn gradle(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (at, line) in lines(text) {
        let t = line.trim_start();
        if !["implementation", "api", "compile", "runtimeOnly"]
            .iter()
            .any(|k| t.starts_with(k))
        {
            continue;
        }
        let Some(q) = t.find(['"', '\'']) else {
            continue;
        };
        let rest = &t[q + 1..];
        let Some(end) = rest.find(['"', '\'']) else {
            continue;
        };
        let mut parts = rest[..end].split(':');
        if let (Some(g), Some(a)) = (parts.next(), parts.next()) {
            let offset = at + (line.len() - t.len()) + q + 1;
            out.push((format!("{g}:{a}"), offset));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(file: &str, text: &str) -> Vec<String> {
        read(file, text).into_iter().map(|d| d.name).collect()
    }

    #[test]
    fn every_format_gives_its_runtime_dependencies() {
        assert_eq!(
            names(
                "package.json",
                r#"{"dependencies": {"stripe": "^12"}, "devDependencies": {"jest": "1"}}"#
            ),
            ["stripe"]
        );
        assert_eq!(
            names(
                "package-lock.json",
                r#"{"packages": {"": {}, "node_modules/stripe": {}, "node_modules/jest": {"dev": true}, "node_modules/a/node_modules/b": {}}}"#
            ),
            ["stripe"]
        );
        let pnpm = "importers:\n  .:\n    dependencies:\n      stripe:\n        specifier: ^1\n    devDependencies:\n      jest:\n        specifier: ^1\n";
        assert_eq!(names("pnpm-lock.yaml", pnpm), ["stripe"]);
        let yarn = "# yarn\n\"@sentry/node@^7.0.0\", \"@sentry/node@^7.1\":\n  version \"7\"\n\nstripe@^12.0.0:\n  version \"12\"\n";
        assert_eq!(names("yarn.lock", yarn), ["@sentry/node", "stripe"]);
        assert_eq!(
            names(
                "requirements-prod.txt",
                "# c\nsentry-sdk[flask]==1.0\n-r base.txt\nDjango>=4\n"
            ),
            ["sentry-sdk", "Django"]
        );
        assert_eq!(
            names(
                "poetry.lock",
                "[[package]]\nname = \"stripe\"\nversion = \"1\"\n"
            ),
            ["stripe"]
        );
        assert_eq!(
            names(
                "go.mod",
                "module x\n\nrequire (\n\tgithub.com/stripe/stripe-go/v76 v76.0.0\n)\nrequire github.com/getsentry/sentry-go v0.1\n"
            ),
            [
                "github.com/stripe/stripe-go/v76",
                "github.com/getsentry/sentry-go"
            ]
        );
        assert_eq!(
            names(
                "Gemfile.lock",
                "GEM\n  specs:\n    stripe (1.0)\n\nDEPENDENCIES\n  stripe (~> 1)\n  rails\n"
            ),
            ["stripe", "rails"]
        );
        assert_eq!(
            names(
                "pom.xml",
                "<dependency><groupId>com.stripe</groupId><artifactId>stripe-java</artifactId></dependency><dependency><groupId>junit</groupId><artifactId>junit</artifactId><scope>test</scope></dependency>"
            ),
            ["com.stripe:stripe-java"]
        );
        assert_eq!(
            names(
                "build.gradle.kts",
                "dependencies {\n  implementation(\"com.stripe:stripe-java:24.0.0\")\n  testImplementation(\"junit:junit:4\")\n}\n"
            ),
            ["com.stripe:stripe-java"]
        );
        assert_eq!(
            names(
                "composer.lock",
                r#"{"packages": [{"name": "stripe/stripe-php"}], "packages-dev": [{"name": "phpunit/phpunit"}]}"#
            ),
            ["stripe/stripe-php"]
        );
        assert!(names("package.json", "{not json").is_empty());
    }

    #[test]
    fn spans_point_at_the_name() {
        let text = "{\n  \"dependencies\": {\n    \"stripe\": \"1\"\n  }\n}\n";
        let d = &read("package.json", text)[0];
        assert_eq!(&text[d.span.start..d.span.end], "stripe");
        let text = "stripe@^12.0.0:\n  version \"12\"\n";
        let d = &read("yarn.lock", text)[0];
        assert_eq!(&text[d.span.start..d.span.end], "stripe");
    }
}
