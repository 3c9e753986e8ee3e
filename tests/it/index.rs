//! A run that names only files (pre-commit) compares their activity ids with the rest of the
//! repository through git's index and the id cache: it must find every duplicate the whole-tree
//! walk finds, whatever changed since the cache was written, and a cache it cannot trust is
//! rebuilt.

use std::path::Path;

use crate::common::{git, stdout};

fn manifest(id: &str) -> String {
    crate::common::CLEAN.replace("id: crm", &format!("id: {id}"))
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The MF005 findings of a JSON report, with the notes that say where else the id is; the id
/// cache lives in `<repo>/../ropa-cache-<repo name>`, inside the test's own temporary directory,
/// so that no test sees another's and none is left behind.
fn duplicates(dir: &Path, args: &[&str]) -> Vec<String> {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args(["lint", "--format", "json"])
        .args(args)
        .current_dir(dir)
        .env("ROPA_CACHE_DIR", cache_of(dir))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "MF005")
        .map(|d| {
            format!(
                "{} {} {}",
                d["path"].as_str().unwrap(),
                d["message"],
                d["notes"]
            )
        })
        .collect()
}

fn touch(path: &Path, date: &str) {
    let ok = std::process::Command::new("touch")
        .args(["-d", date])
        .arg(path)
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

fn cache_of(repo: &Path) -> std::path::PathBuf {
    let name = repo.file_name().unwrap().to_string_lossy();
    repo.parent().unwrap().join(format!("ropa-cache-{name}"))
}

/// A repository (`repo/`) in a temporary directory of its own, which also holds its id cache.
struct Repo {
    _outer: tempfile::TempDir,
    repo: std::path::PathBuf,
}

impl Repo {
    fn path(&self) -> &Path {
        &self.repo
    }
}

fn repo() -> Repo {
    let (outer, repo) = nested();
    let dir = Repo {
        _outer: outer,
        repo,
    };
    for (rel, id) in [
        ("a/processing.yaml", "alpha"),
        ("b/processing.yaml", "beta"),
        ("c/x.processing.yaml", "gamma"),
    ] {
        write(dir.path(), rel, &manifest(id));
        // older than the index, so that no entry is "racily clean" and the work tree is told
        // apart by what the index recorded of each file
        touch(&dir.path().join(rel), "2020-01-01");
    }
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "init"]);
    dir
}

/// What the walk (`--no-cache`) finds is the truth the index and its cache must match.
fn assert_like_the_walk(dir: &Path, named: &str, want: usize) {
    assert_like_the_walk_of(dir, &[named], want);
}

fn assert_like_the_walk_of(dir: &Path, named: &[&str], want: usize) {
    let walked = duplicates(dir, &[&["--no-cache"], named].concat());
    assert_eq!(walked.len(), want, "{walked:?}");
    assert_eq!(
        duplicates(dir, named),
        walked,
        "index and cache (walk: {want})"
    );
    // once more, from the cache written by the run before
    assert_eq!(duplicates(dir, named), walked, "warm cache");
}

#[test]
fn a_named_file_sees_the_duplicates_the_walk_sees_whatever_changed_since_the_cache() {
    let dir = repo();
    let d = dir.path();
    assert_like_the_walk(d, "a/processing.yaml", 0);
    // another file takes the named file's id, without staging it (and its time set back, so
    // that only what the index recorded of it tells that it changed)
    write(d, "b/processing.yaml", &manifest("alpha"));
    touch(&d.join("b/processing.yaml"), "2021-01-01");
    assert_like_the_walk(d, "a/processing.yaml", 1);
    // staged now: the index itself changed
    git(d, &["add", "b/processing.yaml"]);
    assert_like_the_walk(d, "a/processing.yaml", 1);
    assert_eq!(duplicates(d, &["--staged", "a/processing.yaml"]).len(), 1);
    // committed, then changed back in the work tree only
    git(d, &["commit", "-qm", "dup"]);
    write(d, "b/processing.yaml", &manifest("beta"));
    assert_like_the_walk(d, "a/processing.yaml", 0);
    // a staged file deleted from the work tree is not there to be a duplicate
    git(d, &["add", "b/processing.yaml"]);
    write(d, "c/x.processing.yaml", &manifest("alpha"));
    git(d, &["add", "c/x.processing.yaml"]);
    std::fs::remove_file(d.join("c/x.processing.yaml")).unwrap();
    assert_like_the_walk(d, "a/processing.yaml", 0);
}

/// A file named twice, in two spellings, is one file through the index as through the walk:
/// linted once, and not a duplicate of itself.
#[test]
fn a_file_named_twice_is_one_file_through_the_index() {
    let dir = repo();
    let d = dir.path();
    for extra in [&[][..], &["--staged"], &["--no-cache"]] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_ropa"))
            .args(["lint", "--format", "json"])
            .args(extra)
            .args([
                "a/processing.yaml",
                "a/../a/processing.yaml",
                "./a/processing.yaml",
            ])
            .current_dir(d)
            .env("ROPA_CACHE_DIR", cache_of(d))
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(v["summary"]["files"], 1, "{extra:?}: {v}");
        assert_eq!(o.status.code(), Some(0), "{extra:?}: {v}");
    }
}

#[test]
fn staged_compares_with_what_the_commit_holds() {
    let dir = repo();
    let d = dir.path();
    assert!(duplicates(d, &["--staged", "a/processing.yaml"]).is_empty());
    // pre-commit sets unstaged edits aside: --staged takes the index as the truth
    write(d, "b/processing.yaml", &manifest("alpha"));
    assert!(duplicates(d, &["--staged", "a/processing.yaml"]).is_empty());
    git(d, &["add", "b/processing.yaml"]);
    assert_eq!(duplicates(d, &["--staged", "a/processing.yaml"]).len(), 1);
}

#[test]
fn a_cache_that_cannot_be_trusted_is_rebuilt() {
    let dir = repo();
    let d = dir.path();
    write(d, "b/processing.yaml", &manifest("alpha"));
    git(d, &["add", "-A"]);
    // and one that git does not track, in a directory settled before the table is written
    write(d, "u/processing.yaml", &manifest("gamma"));
    settle(d);
    let named = ["a/processing.yaml", "c/x.processing.yaml"];
    assert_like_the_walk_of(d, &named, 2);
    // each cache file damaged in turn: cut short (in a line, after one), a line taken out
    // before the last, a length that points past the end, a line
    // that is not a field list, bytes that are not text, another version's header
    let files: Vec<_> = std::fs::read_dir(cache_of(d))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 3, "{files:?}");
    type Damage = fn(&str) -> Vec<u8>;
    let damages: [Damage; 7] = [
        |t| t.as_bytes()[..t.len() / 2].to_vec(),
        |t| t.as_bytes()[..=t[..t.len() / 2].rfind('\n').unwrap()].to_vec(),
        |t| {
            let mut lines: Vec<&str> = t.split_inclusive('\n').collect();
            lines.remove(lines.len() - 2);
            lines.concat().into_bytes()
        },
        |t| t.replace("links 0", "links 99999").into_bytes(),
        |t| format!("{t}not a line\u{1}\n").into_bytes(),
        |t| [t.as_bytes(), &[0xff, 0xfe, b'\n']].concat(),
        |t| t.replacen("ropa-ids 1", "ropa-ids 0", 1).into_bytes(),
    ];
    for file in &files {
        for damage in damages {
            let text = String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned();
            std::fs::write(file, damage(&text)).unwrap();
            // the blob cache is read when the snapshot is built again
            for other in files
                .iter()
                .filter(|f| *f != file && f.extension().is_some_and(|e| e == "snapshot"))
            {
                let _ = std::fs::remove_file(other);
            }
            assert_like_the_walk_of(d, &named, 2);
        }
    }
}

#[test]
fn without_a_cache_directory_the_index_still_answers() {
    let dir = repo();
    let d = dir.path();
    write(d, "b/processing.yaml", &manifest("alpha"));
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args(["lint", "--format", "json", "a/processing.yaml"])
        .current_dir(d)
        .env("ROPA_CACHE_DIR", "")
        .output()
        .unwrap();
    assert!(stdout(&o).contains("MF005"), "{}", stdout(&o));
    assert!(!cache_of(d).exists());
}

#[test]
fn what_git_does_not_know_is_walked() {
    let dir = repo();
    let d = dir.path();
    // an ignore file only the walk reads hides b/ from the walk: the index must not show it
    write(d, ".ignore", "b/\n");
    write(d, "b/processing.yaml", &manifest("alpha"));
    git(d, &["add", "-A"]);
    assert_like_the_walk(d, "a/processing.yaml", 0);
    // outside git: the walk
    std::fs::remove_dir_all(d.join(".git")).unwrap();
    std::fs::remove_file(d.join(".ignore")).unwrap();
    assert_like_the_walk(d, "a/processing.yaml", 1);
}

#[test]
fn what_the_walk_skips_the_index_skips() {
    let dir = repo();
    let d = dir.path();
    write(d, "b/processing.yaml", &manifest("alpha"));
    write(d, "vendor/processing.yaml", &manifest("alpha"));
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "dups"]);
    assert_like_the_walk(d, "a/processing.yaml", 1);
    // tracked, but ignored since: the walk does not read b/ any more
    write(d, ".gitignore", "b/\n");
    assert_like_the_walk(d, "a/processing.yaml", 1);
    // excluded by the configuration, as a directory
    write(d, "ropa.yaml", "exclude: [vendor]\n");
    assert_like_the_walk(d, "a/processing.yaml", 0);
}

#[test]
fn a_damaged_or_crafted_index_sends_the_run_to_the_walk() {
    let dir = repo();
    let d = dir.path();
    write(d, "b/processing.yaml", &manifest("alpha"));
    let index = d.join(".git/index");
    // bytes that are no index; a header that claims four billion entries
    let crafted: [&[u8]; 2] = [&[0x5a; 4096], b"DIRC\x00\x00\x00\x02\xff\xff\xff\xff"];
    for bytes in crafted {
        std::fs::write(&index, bytes).unwrap();
        let walked = duplicates(d, &["--no-cache", "a/processing.yaml"]);
        assert_eq!(walked.len(), 1, "{walked:?}");
        assert_eq!(duplicates(d, &["a/processing.yaml"]), walked);
    }
}

/// Every directory of the work tree (not `.git`) and git's own exclude file dated back, so that
/// the table of untracked manifests records them as settled (not just changed), and only a
/// change after this shows.
fn settle(dir: &Path) {
    for entry in walkdir(dir) {
        touch(&entry, "2020-01-01");
    }
    touch(&dir.join(".git/info/exclude"), "2020-01-01");
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    let mut i = 0;
    while i < out.len() {
        let here = out[i].clone();
        for e in std::fs::read_dir(&here).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() && e.file_name() != ".git" {
                out.push(e.path());
            }
        }
        i += 1;
    }
    out
}

#[test]
fn a_manifest_git_does_not_track_counts_as_the_walk_counts_it() {
    let dir = repo();
    let d = dir.path();
    // untracked from the start, in a directory git knows and in one it does not
    write(d, "b/copy.processing.yaml", &manifest("alpha"));
    write(d, "new/processing.yaml", &manifest("alpha"));
    settle(d);
    assert_like_the_walk(d, "a/processing.yaml", 1);
    // the table was written while all was settled: each change below is a directory's
    std::fs::remove_file(d.join("b/copy.processing.yaml")).unwrap();
    assert_like_the_walk(d, "a/processing.yaml", 1);
    std::fs::remove_dir_all(d.join("new")).unwrap();
    assert_like_the_walk(d, "a/processing.yaml", 0);
    settle(d);
    assert_like_the_walk(d, "a/processing.yaml", 0);
    // deep in a directory created since the table was written
    write(d, "x/y/z/processing.yaml", &manifest("alpha"));
    assert_like_the_walk(d, "a/processing.yaml", 1);
    settle(d);
    assert_like_the_walk(d, "a/processing.yaml", 1);
    // edited in place, no directory changes: an untracked file is always read again
    write(d, "x/y/z/processing.yaml", &manifest("omega"));
    assert_like_the_walk(d, "a/processing.yaml", 0);
    write(d, "x/y/z/processing.yaml", &manifest("alpha"));
    settle(d);
    // hidden by an ignore file written since, then shown again by its edit in place
    write(d, ".gitignore", "x/\n");
    assert_like_the_walk(d, "a/processing.yaml", 0);
    settle(d);
    write(d, ".gitignore", "other/\n");
    touch(&d.join(".gitignore"), "2021-01-01");
    assert_like_the_walk(d, "a/processing.yaml", 1);
    // staged: tracked now, and still one duplicate, not two
    git(d, &["add", "x"]);
    assert_like_the_walk(d, "a/processing.yaml", 1);
    // --staged compares with what a commit would hold: the untracked one is not in it
    write(d, "u/processing.yaml", &manifest("alpha"));
    let staged = duplicates(d, &["--staged", "a/processing.yaml"]);
    assert_eq!(staged.len(), 1);
    assert!(staged[0].contains("x/y/z/processing.yaml"), "{staged:?}");
    assert_like_the_walk(d, "a/processing.yaml", 1);
    assert_ne!(duplicates(d, &["a/processing.yaml"]), staged);
}

#[test]
fn below_a_configuration_root_only_its_tree_counts() {
    let dir = repo();
    let d = dir.path();
    // the configuration (so the walk's root) is in sub/, run from there
    write(d, "sub/ropa.yaml", "lang: en\n");
    write(d, "sub/a/processing.yaml", &manifest("delta"));
    git(d, &["add", "-A"]);
    let sub = d.join("sub");
    // outside the root: the walk does not see it, nor must the table
    write(d, "out/processing.yaml", &manifest("delta"));
    settle(d);
    assert_like_the_walk(&sub, "a/processing.yaml", 0);
    // inside, untracked
    write(d, "sub/u/v/processing.yaml", &manifest("delta"));
    assert_like_the_walk(&sub, "a/processing.yaml", 1);
    settle(d);
    std::fs::remove_dir_all(d.join("sub/u")).unwrap();
    assert_like_the_walk(&sub, "a/processing.yaml", 0);
}

/// A repository (`repo/`) inside a directory of its own, for ignore files above it.
fn nested() -> (tempfile::TempDir, std::path::PathBuf) {
    let outer = tempfile::tempdir().unwrap();
    git(outer.path(), &["init", "-q", "repo"]);
    let repo = outer.path().join("repo");
    (outer, repo)
}

#[test]
fn an_ignore_file_above_the_repository_counts_as_the_walk_counts_it() {
    // the walk obeys ignore files in the directories above the repository too
    let (outer, d) = nested();
    write(&d, "a/processing.yaml", &manifest("alpha"));
    git(&d, &["add", "-A"]);
    write(&d, "u/processing.yaml", &manifest("alpha"));
    write(outer.path(), ".gitignore", "u/\n");
    settle(&d);
    touch(&outer.path().join(".gitignore"), "2020-01-01");
    assert_like_the_walk(&d, "a/processing.yaml", 0);
    // gone, then back as an `.ignore`: nothing in the repository changed
    std::fs::remove_file(outer.path().join(".gitignore")).unwrap();
    assert_like_the_walk(&d, "a/processing.yaml", 1);
    write(outer.path(), ".ignore", "u/\n");
    assert_like_the_walk(&d, "a/processing.yaml", 0);
}

#[test]
fn a_tracked_manifest_the_walk_does_not_see_is_not_compared() {
    let (outer, d) = nested();
    for rel in [
        "a/processing.yaml",
        "b/processing.yaml",
        "c/processing.yaml",
    ] {
        write(&d, rel, &manifest("alpha"));
    }
    git(&d, &["add", "-A"]);
    assert_like_the_walk(&d, "a/processing.yaml", 1);
    // hidden by ignore files git does not read: an untracked `.ignore`, one above the repository
    write(&d, ".ignore", "b/\n");
    write(outer.path(), ".gitignore", "c/\n");
    assert_like_the_walk(&d, "a/processing.yaml", 0);
    // `--staged` holds to what a commit holds, ignore files or not
    assert_eq!(duplicates(&d, &["--staged", "a/processing.yaml"]).len(), 1);
}
