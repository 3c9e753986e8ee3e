//! Manifest discovery (spec §1): files named `processing.yaml`, `processing.yml`,
//! `*.processing.yaml` or `*.processing.yml` under the given directories, honouring `.gitignore`
//! and `.ignore`; files named explicitly are linted whatever their name.

use std::path::{Path, PathBuf};

use globset::GlobSet;

use crate::config::Settings;

/// What discovery found.
#[derive(Debug, Default)]
pub struct Found {
    /// Manifests to lint, sorted and without duplicates.
    pub manifests: Vec<PathBuf>,
    /// Explicit paths that do not exist.
    pub missing: Vec<PathBuf>,
    /// Directories or entries that could not be read.
    pub errors: Vec<String>,
}

/// Whether a file name is a manifest name.
pub fn is_manifest_name(name: &str) -> bool {
    matches!(name, "processing.yaml" | "processing.yml")
        || name.ends_with(".processing.yaml")
        || name.ends_with(".processing.yml")
}

/// Finds the manifests under the paths. The configuration's `exclude` globs skip files and
/// directories found by walking, and its `include` globs name more files as manifests; both are
/// relative to the configuration's directory. Files named explicitly are always linted.
pub fn discover(paths: &[PathBuf], settings: &Settings) -> Found {
    let mut found = Found::default();
    let filter = Filter {
        include: settings.include_set(),
        exclude: settings.exclude_set(),
        settings,
    };
    for path in paths {
        match std::fs::metadata(path) {
            Err(_) => found.missing.push(path.clone()),
            Ok(meta) if meta.is_file() => found.manifests.push(clean(path)),
            Ok(_) => walk_dir(path, &filter, &mut found),
        }
    }
    found.manifests.sort_by_key(|p| display_path(p));
    found.manifests.dedup();
    found
}

struct Filter<'a> {
    include: GlobSet,
    exclude: GlobSet,
    settings: &'a Settings,
}

impl Filter<'_> {
    fn matches(&self, set: &GlobSet, path: &Path) -> bool {
        !set.is_empty()
            && self
                .settings
                .relative(path)
                .is_some_and(|rel| set.is_match(rel))
    }
}

fn walk_dir(dir: &Path, filter: &Filter<'_>, found: &mut Found) {
    let exclude = filter.exclude.clone();
    let settings = filter.settings.clone();
    let walker = ignore::WalkBuilder::new(dir)
        // manifests may live under hidden directories (e.g. `.github/`); `.git` itself is skipped
        .hidden(false)
        // honour .gitignore even when the tree is not (yet) a git repository
        .require_git(false)
        .filter_entry(move |e| {
            e.file_name() != ".git"
                && (exclude.is_empty()
                    || !settings
                        .relative(e.path())
                        .is_some_and(|rel| exclude.is_match(rel)))
        })
        .build();
    for entry in walker {
        match entry {
            Ok(e) => {
                let is_file = e.file_type().is_some_and(|t| t.is_file());
                let named = e.file_name().to_str().is_some_and(is_manifest_name);
                if is_file && (named || filter.matches(&filter.include, e.path())) {
                    found.manifests.push(clean(e.path()));
                }
            }
            Err(err) => found.errors.push(err.to_string()),
        }
    }
}

/// Drops `./` components so that paths print the same however they were given.
fn clean(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

/// The path as users see it: relative to the working directory when below it, `/` separated,
/// no leading `./`.
pub fn display_path(path: &Path) -> String {
    let rel = if path.is_absolute() {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| path.to_path_buf())
    } else {
        path.to_path_buf()
    };
    let parts: Vec<String> = rel
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let joined = parts.join("/");
    if rel.has_root() && !joined.starts_with('/') && cfg!(unix) {
        format!("/{}", joined.trim_start_matches('/'))
    } else {
        joined.replace("//", "/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_names() {
        for ok in [
            "processing.yaml",
            "processing.yml",
            "crm.processing.yaml",
            "a.b.processing.yml",
        ] {
            assert!(is_manifest_name(ok), "{ok}");
        }
        for no in [
            "processing.json",
            "xprocessing.yaml",
            "processing.yaml.bak",
            "processing",
        ] {
            assert!(!is_manifest_name(no), "{no}");
        }
    }

    #[test]
    fn display_paths_are_slash_separated_without_dot() {
        assert_eq!(
            display_path(Path::new("./a/b/processing.yaml")),
            "a/b/processing.yaml"
        );
        assert_eq!(display_path(Path::new("a/./b.yaml")), "a/b.yaml");
    }
}
