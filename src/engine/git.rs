//! git as a data source. Only plumbing-safe invocations: a ref is never taken as an option, no
//! external diff driver or text conversion from the repository's configuration runs, and what
//! git prints is read, never executed.

use std::path::PathBuf;

use crate::diag::{Problem, ProblemKind};
use crate::i18n::{Lang, t};

/// The files changed since a git ref: committed, staged, unstaged and untracked, as canonical
/// paths.
pub fn changed_since(reference: &str, lang: Lang) -> Result<Vec<PathBuf>, Problem> {
    let usage = |en: String, fr: String| Problem::new(ProblemKind::Usage, t(lang, en, fr));
    // a ref is never an option: `--output=…` would make git write a file
    if reference.starts_with('-') || reference.is_empty() {
        return Err(usage(
            format!("--changed-since {reference:?}: not a git ref"),
            format!("--changed-since {reference:?} : ce n'est pas une référence git"),
        ));
    }
    let git = |args: &[&str]| -> Result<Vec<u8>, Problem> {
        let out = std::process::Command::new("git")
            // nothing the repository's configuration names is run: no file-system monitor, no
            // hooks, no pager; plumbing commands that compare trees and the index, so that no
            // clean filter or diff driver is invoked either
            .args([
                "--no-pager",
                "-c",
                "core.fsmonitor=false",
                "-c",
                "core.untrackedCache=false",
                "-c",
                "core.hooksPath=/dev/null",
            ])
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| {
                usage(
                    format!("--changed-since needs git: {e}"),
                    format!("--changed-since a besoin de git : {e}"),
                )
            })?;
        if !out.status.success() {
            let why = String::from_utf8_lossy(&out.stderr).trim().to_string();
            let args = args.join(" ");
            return Err(usage(
                format!("--changed-since {reference}: git {args} failed: {why}"),
                format!("--changed-since {reference} : échec de git {args} : {why}"),
            ));
        }
        Ok(out.stdout)
    };
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let top = path_of(top.strip_suffix(b"\n").unwrap_or(&top));
    let mut files = Vec::new();
    for list in [
        // the tree at the ref against the working tree, by the index's file information
        git(&[
            "diff-index",
            "--name-only",
            "-z",
            "--no-renames",
            reference,
            "--",
        ])?,
        git(&[
            "ls-files",
            "-z",
            "--others",
            "--exclude-standard",
            "--full-name",
        ])?,
    ] {
        files.extend(
            list.split(|b| *b == 0)
                .filter(|l| !l.is_empty())
                .map(|l| super::run::canonical(&top.join(path_of(l)))),
        );
    }
    Ok(files)
}

/// A path git printed: bytes, not necessarily UTF-8.
pub(crate) fn path_of(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}
