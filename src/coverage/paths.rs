//! The files coverage reads, kept small between the walk that finds them and the pass that reads
//! them. The walk's threads add each path to one buffer ([`Gathered`]); the list is then sorted
//! and front-coded ([`Paths`]): each path is kept as the number of bytes it shares with the path
//! before it and the bytes that follow. At 50,000 manifests the walk keeps about 134,000 paths:
//! about 14 MB as `PathBuf`s, about 4 MB here.

use std::path::{Path, PathBuf};

/// Paths added from any thread while the walk goes on.
#[derive(Debug, Default)]
pub struct Gathered(std::sync::Mutex<Raw>);

#[derive(Debug, Default)]
struct Raw {
    /// Each path's bytes, then a NUL (no path holds one).
    bytes: Vec<u8>,
    /// The paths whose bytes cannot stand for them: not UTF-8 where paths are not bytes, or
    /// (never seen) holding a NUL.
    odd: Vec<PathBuf>,
}

impl Gathered {
    /// Adds one path; the same path added twice is kept once.
    pub fn add(&self, path: &Path) {
        let mut raw = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match bytes_of(path).filter(|b| !b.contains(&0)) {
            Some(bytes) => {
                raw.bytes.extend_from_slice(bytes);
                raw.bytes.push(0);
            }
            None => raw.odd.push(path.to_path_buf()),
        }
    }

    /// The paths, sorted as paths sort ([`Path`]'s order, component by component) and each once.
    pub fn into_paths(self) -> Paths {
        let raw = self
            .0
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
        let mut start = 0;
        for end in memchr::memchr_iter(0, &raw.bytes) {
            ranges.push(start..end);
            start = end + 1;
        }
        let path = |r: &std::ops::Range<usize>| path_of(&raw.bytes[r.clone()]);
        ranges.sort_unstable_by(|a, b| path(a).cmp(path(b)));
        ranges.dedup_by(|a, b| path(a) == path(b));
        let mut paths = Paths {
            bytes: Vec::new(),
            entries: Vec::with_capacity(ranges.len()),
            odd: raw.odd,
        };
        let mut before: &[u8] = &[];
        for r in ranges {
            let this = &raw.bytes[r];
            let shared = before.iter().zip(this).take_while(|(a, b)| a == b).count();
            let own = &this[shared..];
            match (
                u32::try_from(shared),
                u32::try_from(paths.bytes.len() + own.len()),
            ) {
                (Ok(shared), Ok(end)) => {
                    paths.bytes.extend_from_slice(own);
                    paths.entries.push((shared, end));
                    before = this;
                }
                // past 4 GiB of paths: kept whole rather than lost
                _ => paths.odd.push(path_of(this).to_path_buf()),
            }
        }
        paths.bytes.shrink_to_fit();
        paths.odd.sort();
        paths.odd.dedup();
        paths
    }
}

/// Sorted paths, each once, front-coded; see the module's documentation. The odd paths (see
/// [`Gathered`]) come last, sorted among themselves.
#[derive(Debug, Default)]
pub struct Paths {
    /// Each path's own bytes (those it does not share with the path before it), in order.
    bytes: Vec<u8>,
    /// For each path: how many bytes it shares with the path before it, and where its own bytes
    /// end in `bytes`.
    entries: Vec<(u32, u32)>,
    odd: Vec<PathBuf>,
}

impl Paths {
    pub fn len(&self) -> usize {
        self.entries.len() + self.odd.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every path, in order, each made as it is handed over.
    pub fn iter(&self) -> impl Iterator<Item = PathBuf> + '_ {
        let mut current: Vec<u8> = Vec::new();
        let mut start = 0;
        self.entries
            .iter()
            .map(move |&(shared, end)| {
                current.truncate(shared as usize);
                current.extend_from_slice(&self.bytes[start..end as usize]);
                start = end as usize;
                path_of(&current).to_path_buf()
            })
            .chain(self.odd.iter().cloned())
    }
}

impl FromIterator<PathBuf> for Paths {
    fn from_iter<I: IntoIterator<Item = PathBuf>>(paths: I) -> Self {
        let gathered = Gathered::default();
        for p in paths {
            gathered.add(&p);
        }
        gathered.into_paths()
    }
}

#[cfg(unix)]
fn bytes_of(path: &Path) -> Option<&[u8]> {
    use std::os::unix::ffi::OsStrExt;
    Some(path.as_os_str().as_bytes())
}

#[cfg(not(unix))]
fn bytes_of(path: &Path) -> Option<&[u8]> {
    path.to_str().map(str::as_bytes)
}

/// The path that [`bytes_of`] gave these bytes for.
#[cfg(unix)]
fn path_of(bytes: &[u8]) -> &Path {
    use std::os::unix::ffi::OsStrExt;
    Path::new(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_of(bytes: &[u8]) -> &Path {
    // only UTF-8 was kept as bytes
    Path::new(std::str::from_utf8(bytes).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(paths: &Paths) -> Vec<PathBuf> {
        paths.iter().collect()
    }

    #[test]
    fn sorted_as_paths_sort_each_once() {
        // `a-b` sorts after `a/b` as paths (component by component), before it as bytes
        let given = [
            "r/a-b/x.sql",
            "r/a/b.sql",
            "r/a/b.sql",
            "r/a/c/d.py",
            "r/a.py",
            "r/a/b.sql",
            "q.py",
            "r/a/b.sq",
            "",
        ];
        let paths: Paths = given.iter().map(PathBuf::from).collect();
        let mut want: Vec<PathBuf> = given.iter().map(PathBuf::from).collect();
        want.sort();
        want.dedup();
        assert_eq!(listed(&paths), want);
        assert_eq!(paths.len(), want.len());
        assert!(!paths.is_empty());
    }

    #[test]
    fn front_coded_keeps_only_what_differs() {
        let given: Vec<PathBuf> = (0..100)
            .map(|i| PathBuf::from(format!("corpus/service-long-name/src/models/m{i:03}.py")))
            .collect();
        let paths: Paths = given.iter().cloned().collect();
        assert_eq!(listed(&paths), given);
        let whole: usize = given.iter().map(|p| p.as_os_str().len()).sum();
        assert!(
            paths.bytes.len() * 5 < whole,
            "{} of {whole}",
            paths.bytes.len()
        );
    }

    #[test]
    fn empty() {
        let paths = Paths::default();
        assert!(paths.is_empty());
        assert_eq!(paths.iter().count(), 0);
        let paths = Gathered::default().into_paths();
        assert!(paths.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn any_bytes_come_back_the_same() {
        use std::os::unix::ffi::OsStrExt;
        let raw: [&[u8]; 5] = [
            b"d/\xff\xfe.sql",
            b"d/\xff.sql",
            b"d/e\xcc\x81.py",
            b"d/\n.py",
            b"d/\x1b[31m.py",
        ];
        let given: Vec<PathBuf> = raw
            .iter()
            .map(|b| PathBuf::from(std::ffi::OsStr::from_bytes(b)))
            .collect();
        let mut want = given.clone();
        want.sort();
        let paths: Paths = given.into_iter().collect();
        assert_eq!(listed(&paths), want);
        assert!(paths.odd.is_empty());
    }

    #[test]
    fn gathered_from_many_threads() {
        let gathered = Gathered::default();
        std::thread::scope(|s| {
            for t in 0..4 {
                let gathered = &gathered;
                s.spawn(move || {
                    for i in 0..250 {
                        gathered.add(Path::new(&format!("t{t}/f{i:03}.sql")));
                    }
                });
            }
        });
        let paths = gathered.into_paths();
        assert_eq!(paths.len(), 1000);
        let listed = listed(&paths);
        assert!(listed.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(listed[0], Path::new("t0/f000.sql"));
    }
}
