//! The one read policy. Every file ropa opens goes through here: manifests, the configuration,
//! catalogs, ignore files, and the re-reads of files whose text was let go.
//!
//! A file is read only when it is a regular file (a FIFO or a device is never opened: opening a
//! FIFO blocks until a writer comes, and `/dev/zero` never ends), when a link leads to a regular
//! file inside the directory it must stay in, and when it is no larger than the limit, which is
//! checked before reading and enforced while reading.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::i18n::{Lang, t};

/// Why a file was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// Nothing at that path.
    NotFound,
    /// A directory, a FIFO, a socket or a device.
    NotRegular,
    /// A link whose target leaves the directory it must stay in, or is not a regular file.
    LinkOutside,
    /// A link that leads nowhere.
    BrokenLink,
    /// Over the size limit.
    TooLarge { limit: u64 },
    /// A NUL byte: a binary file.
    Binary { at: usize },
    /// Not UTF-8 text.
    NotUtf8 { at: usize },
    /// The system refused (permissions, I/O): what it said, kept to be said in the run's
    /// language ([`crate::i18n::io_error`]).
    Io {
        kind: std::io::ErrorKind,
        code: Option<i32>,
        system: String,
    },
}

impl ReadError {
    /// Whether the file was there to read but is not text ropa can use (a finding on the file),
    /// as opposed to a path that could not be read at all (the run is incomplete).
    pub fn is_content(&self) -> bool {
        match self {
            ReadError::LinkOutside
            | ReadError::BrokenLink
            | ReadError::TooLarge { .. }
            | ReadError::Binary { .. }
            | ReadError::NotUtf8 { .. } => true,
            ReadError::NotFound | ReadError::NotRegular | ReadError::Io { .. } => false,
        }
    }

    /// Why, in a language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ReadError::NotFound => t(
                lang,
                "no such file or directory",
                "fichier ou dossier introuvable",
            ),
            ReadError::NotRegular => t(
                lang,
                "not a regular file; not read",
                "pas un fichier ordinaire ; il n'est pas lu",
            ),
            ReadError::LinkOutside => t(
                lang,
                "symbolic link to a file outside the repository (or not a file); not read",
                "lien symbolique vers un fichier hors du dépôt (ou qui n'est pas un fichier) ; il n'est pas lu",
            ),
            ReadError::BrokenLink => t(
                lang,
                "broken symbolic link; not read",
                "lien symbolique cassé ; il n'est pas lu",
            ),
            ReadError::TooLarge { limit } => t(
                lang,
                format!("file is over the {limit}-byte limit; not read"),
                format!("le fichier dépasse la limite de {limit} octets ; il n'est pas lu"),
            ),
            ReadError::Binary { at } => t(
                lang,
                format!("file holds a NUL byte (at offset {at}): it is binary, not YAML text"),
                format!(
                    "le fichier contient un octet NUL (à la position {at}) : il est binaire, ce n'est pas du texte YAML"
                ),
            ),
            ReadError::NotUtf8 { at } => t(
                lang,
                format!(
                    "file is not valid UTF-8 (invalid byte at offset {at}); YAML files must be UTF-8 text"
                ),
                format!(
                    "le fichier n'est pas en UTF-8 valide (octet invalide à la position {at}) ; un fichier YAML doit être du texte UTF-8"
                ),
            ),
            ReadError::Io { kind, code, system } => {
                crate::i18n::io_error_parts(lang, *kind, *code, system)
            }
        }
    }
}

/// Where a file may be and how large it may be.
#[derive(Clone, Debug)]
pub struct Policy {
    /// A link must lead inside this directory (canonical); `None` lets links go anywhere, for
    /// files the user named on the command line.
    pub within: Option<PathBuf>,
    /// The largest file, in bytes.
    pub limit: u64,
}

impl Policy {
    /// Links held to `dir` (made canonical here), files up to `limit` bytes.
    pub fn within(dir: &Path, limit: u64) -> Policy {
        Policy {
            within: Some(std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())),
            limit,
        }
    }

    /// A file the user named: links may go anywhere; the size and the file type still count.
    pub fn named(limit: u64) -> Policy {
        Policy {
            within: None,
            limit,
        }
    }
}

/// The size of the file at `path` if the policy lets it be read; nothing is opened.
pub fn check(path: &Path, policy: &Policy) -> Result<u64, ReadError> {
    let meta = std::fs::symlink_metadata(path).map_err(io)?;
    let meta = if meta.file_type().is_symlink() {
        let target = std::fs::canonicalize(path).map_err(|_| ReadError::BrokenLink)?;
        if policy
            .within
            .as_ref()
            .is_some_and(|w| !target.starts_with(w))
        {
            return Err(ReadError::LinkOutside);
        }
        let meta = std::fs::metadata(&target).map_err(io)?;
        if !meta.is_file() {
            return Err(ReadError::LinkOutside);
        }
        meta
    } else {
        meta
    };
    size_allowed(&meta, policy)
}

/// What the caller knows of the file at a path before it is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Known {
    /// Nothing: the path is looked at (a link not followed) before anything is opened.
    Nothing,
    /// A directory listing just gave it as a regular file or a link, never as a FIFO, socket or
    /// device (the walk hands nothing else over), or it was named and looked at as such. It is
    /// opened at once, without being looked at first: one lookup of its path instead of two.
    /// The open follows no link (a link fails it and goes the careful way) and does not wait
    /// (should a FIFO have taken the file's place since the listing); what was opened must then
    /// be a regular file within the limit.
    Listed,
}

/// The bytes of the file at `path`, read under the policy.
pub fn bytes(path: &Path, policy: &Policy) -> Result<Vec<u8>, ReadError> {
    bytes_known(path, policy, Known::Nothing)
}

/// [`bytes`], for a file the caller knows something of.
pub fn bytes_known(path: &Path, policy: &Policy, known: Known) -> Result<Vec<u8>, ReadError> {
    bytes_opened(path, policy, known).map(|(bytes, _)| bytes)
}

/// [`bytes_known`], and whether the file was opened at once at its path: then no link was
/// followed to it (its path names it).
fn bytes_opened(path: &Path, policy: &Policy, known: Known) -> Result<(Vec<u8>, bool), ReadError> {
    // a link, a file gone or one that cannot be opened: the careful way says which
    if known == Known::Listed
        && let Ok(file) = open(path, false)
    {
        return Ok((read_opened(file, policy)?, true));
    }
    Ok((read_opened(open_looked_at(path, policy)?, policy)?, false))
}

/// The file at `path`, opened under the policy for the caller to read as it needs: looked at
/// first, then opened without waiting; what was opened is a regular file within the limit.
pub fn open_checked(path: &Path, policy: &Policy) -> Result<std::fs::File, ReadError> {
    let file = open_looked_at(path, policy)?;
    regular(&file, policy)?;
    Ok(file)
}

/// The careful way's open: the path looked at, then opened without waiting (what was opened is
/// for the caller to check, with [`regular`]).
fn open_looked_at(path: &Path, policy: &Policy) -> Result<std::fs::File, ReadError> {
    check(path, policy)?;
    // the link, if any, was just found to lead where the policy allows
    open(path, true)
}

/// An open file's size, if it is a regular file within the policy's limit.
fn regular(file: &std::fs::File, policy: &Policy) -> Result<u64, ReadError> {
    size_allowed(&file.metadata().map_err(io)?, policy)
}

/// The size of a regular file within the policy's limit, else why it is not read.
fn size_allowed(meta: &std::fs::Metadata, policy: &Policy) -> Result<u64, ReadError> {
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > policy.limit {
        return Err(ReadError::TooLarge {
            limit: policy.limit,
        });
    }
    Ok(meta.len())
}

/// Opens a file to read it, following its link or not, without ever waiting: the path may have
/// been swapped for a FIFO since it was listed or looked at, and opening a FIFO waits for a
/// writer. What was opened is checked by [`regular`].
fn open(path: &Path, follow: bool) -> Result<std::fs::File, ReadError> {
    #[cfg(unix)]
    {
        use rustix::fs::{Mode, OFlags};
        let mut flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
        if !follow {
            flags |= OFlags::NOFOLLOW;
        }
        rustix::fs::open(path, flags, Mode::empty())
            .map(std::fs::File::from)
            .map_err(|e| io(e.into()))
    }
    #[cfg(not(unix))]
    {
        let _ = follow;
        std::fs::File::open(path).map_err(io)
    }
}

/// An open file's bytes: it must be a regular file (the path may have been swapped since it was
/// looked at) within the limit, which is checked before reading and enforced while reading.
fn read_opened(file: std::fs::File, policy: &Policy) -> Result<Vec<u8>, ReadError> {
    let len = regular(&file, policy)?;
    // room for the whole file at once (two reads: the content, then the end), never more than
    // the limit allows; a file that grew since is still read whole, up to the limit
    let hint = len.min(policy.limit).saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    file.take(policy.limit + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > policy.limit {
        return Err(ReadError::TooLarge {
            limit: policy.limit,
        });
    }
    Ok(bytes)
}

/// The text of the file at `path`, read under the policy: UTF-8, no NUL byte.
pub fn text(path: &Path, policy: &Policy) -> Result<String, ReadError> {
    text_known(path, policy, Known::Nothing)
}

/// [`text`], for a file the caller knows something of.
pub fn text_known(path: &Path, policy: &Policy, known: Known) -> Result<String, ReadError> {
    text_opened(path, policy, known).map(|(text, _)| text)
}

/// [`text_known`], and whether the file was opened at once at its path (no link followed to
/// it: only a listed file can be).
pub fn text_opened(
    path: &Path,
    policy: &Policy,
    known: Known,
) -> Result<(String, bool), ReadError> {
    let (bytes, direct) = bytes_opened(path, policy, known)?;
    Ok((text_of(bytes)?, direct))
}

/// Bytes as text: UTF-8, no NUL byte.
fn text_of(bytes: Vec<u8>) -> Result<String, ReadError> {
    if let Some(at) = memchr::memchr(0, &bytes) {
        return Err(ReadError::Binary { at });
    }
    String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
        at: e.utf8_error().valid_up_to(),
    })
}

/// A failed system call as a [`ReadError`].
pub(crate) fn io(e: std::io::Error) -> ReadError {
    if e.kind() == std::io::ErrorKind::NotFound {
        ReadError::NotFound
    } else {
        ReadError::Io {
            kind: e.kind(),
            code: e.raw_os_error(),
            system: e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_never_opened() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("catalog.yaml");
        crate::harness::fifo(&fifo);
        let policy = Policy::named(1024);
        assert_eq!(text(&fifo, &policy), Err(ReadError::NotRegular));
        let link = dir.path().join("link.yaml");
        std::os::unix::fs::symlink(&fifo, &link).unwrap();
        assert_eq!(text(&link, &policy), Err(ReadError::LinkOutside));
    }

    /// `repo/` beside `secret.txt`, with `inside.yaml` (`a: 1`) and three links: `in.yaml` to
    /// it, `out.yaml` to the secret, `broken.yaml` to nothing.
    #[cfg(unix)]
    fn repo_with_links() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("secret.txt");
        std::fs::write(&outside, "secret").unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir(&repo).unwrap();
        std::fs::write(repo.join("inside.yaml"), "a: 1").unwrap();
        std::os::unix::fs::symlink(&outside, repo.join("out.yaml")).unwrap();
        std::os::unix::fs::symlink(repo.join("inside.yaml"), repo.join("in.yaml")).unwrap();
        std::os::unix::fs::symlink(repo.join("gone"), repo.join("broken.yaml")).unwrap();
        (dir, repo)
    }

    #[cfg(unix)]
    #[test]
    fn links_stay_inside_their_directory() {
        let (_dir, repo) = repo_with_links();
        let policy = Policy::within(&repo, 1024);
        assert_eq!(
            text(&repo.join("out.yaml"), &policy),
            Err(ReadError::LinkOutside)
        );
        assert_eq!(text(&repo.join("in.yaml"), &policy).unwrap(), "a: 1");
        assert_eq!(
            text(&repo.join("broken.yaml"), &policy),
            Err(ReadError::BrokenLink)
        );
        // named on the command line, the same link is followed
        assert_eq!(
            text(&repo.join("out.yaml"), &Policy::named(1024)).unwrap(),
            "secret"
        );
    }

    /// A file opened at once because a listing gave it as a regular file or a link is refused
    /// exactly as one looked at first: the listing may be out of date, or the path a link.
    #[cfg(unix)]
    #[test]
    fn a_listed_file_is_held_to_the_same_policy() {
        let (_dir, repo) = repo_with_links();
        std::fs::write(repo.join("big.yaml"), "x".repeat(2000)).unwrap();
        std::fs::write(repo.join("nul.yaml"), b"a\0b").unwrap();
        std::fs::write(repo.join("latin.yaml"), b"ab\xe9").unwrap();
        std::fs::create_dir(repo.join("dir.yaml")).unwrap();
        crate::harness::fifo(&repo.join("fifo.yaml"));
        std::os::unix::fs::symlink(repo.join("fifo.yaml"), repo.join("to-fifo.yaml")).unwrap();
        let policy = Policy::within(&repo, 1024);
        let cases = [
            ("inside.yaml", Ok("a: 1")),
            ("in.yaml", Ok("a: 1")),
            ("out.yaml", Err(ReadError::LinkOutside)),
            ("broken.yaml", Err(ReadError::BrokenLink)),
            ("big.yaml", Err(ReadError::TooLarge { limit: 1024 })),
            ("nul.yaml", Err(ReadError::Binary { at: 1 })),
            ("latin.yaml", Err(ReadError::NotUtf8 { at: 2 })),
            ("dir.yaml", Err(ReadError::NotRegular)),
            // a FIFO where the listing saw a file: opened without waiting, then refused
            ("fifo.yaml", Err(ReadError::NotRegular)),
            ("to-fifo.yaml", Err(ReadError::LinkOutside)),
            ("none.yaml", Err(ReadError::NotFound)),
        ];
        for (name, want) in cases {
            let want = want.map(str::to_string);
            let path = repo.join(name);
            for known in [Known::Nothing, Known::Listed] {
                assert_eq!(text_known(&path, &policy, known), want, "{name} {known:?}");
            }
        }
    }

    /// The careful way looks at the path, then opens it: a FIFO put in the file's place between
    /// the two must be refused, not waited on (the open itself, here on a FIFO, must not wait).
    #[cfg(unix)]
    #[test]
    fn a_file_swapped_for_a_fifo_after_it_was_looked_at_is_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("processing.yaml");
        crate::harness::fifo(&fifo);
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for follow in [true, false] {
                let read = open(&fifo, follow).and_then(|f| read_opened(f, &Policy::named(10)));
                send.send(read).unwrap();
            }
        });
        for _ in 0..2 {
            let read = receive.recv_timeout(std::time::Duration::from_secs(20));
            assert_eq!(read, Ok(Err(ReadError::NotRegular)));
        }
    }

    #[test]
    fn size_and_content_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.yaml");
        std::fs::write(&big, "x".repeat(11)).unwrap();
        assert_eq!(
            text(&big, &Policy::named(10)),
            Err(ReadError::TooLarge { limit: 10 })
        );
        let nul = dir.path().join("nul.yaml");
        std::fs::write(&nul, b"a\0b").unwrap();
        assert_eq!(
            text(&nul, &Policy::named(10)),
            Err(ReadError::Binary { at: 1 })
        );
        let latin = dir.path().join("latin.yaml");
        std::fs::write(&latin, b"ab\xe9").unwrap();
        assert_eq!(
            text(&latin, &Policy::named(10)),
            Err(ReadError::NotUtf8 { at: 2 })
        );
        assert_eq!(
            text(&dir.path().join("none.yaml"), &Policy::named(10)),
            Err(ReadError::NotFound)
        );
        assert_eq!(
            text(dir.path(), &Policy::named(10)),
            Err(ReadError::NotRegular)
        );
    }
}
