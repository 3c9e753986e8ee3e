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
    let git = |args: &[&str]| -> Result<String, Problem> {
        let out = std::process::Command::new("git")
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
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(top.trim());
    let mut files = Vec::new();
    for list in [
        git(&[
            "diff",
            "--name-only",
            "-z",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
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
            list.split('\0')
                .filter(|l| !l.is_empty())
                .map(|l| super::run::canonical(&top.join(l))),
        );
    }
    Ok(files)
}
