//! The files coverage reads, kept small between the walk that finds them and the pass that reads
//! them. The walk's threads add each path to one buffer ([`Gathered`]); the list is then sorted
//! and front-coded ([`Paths`]): each path is kept as the number of bytes it shares with the path
//! before it and the bytes that follow. At 50,000 manifests the walk keeps about 134,000 paths:
//! about 14 MB as `PathBuf`s, about 4 MB here. The code files coverage's findings point into
//! are kept the same way while the matching goes on (about 33,000 at 50,000 manifests).

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
        crate::source::sort_by_path(&mut ranges, true, |r| path_of(&raw.bytes[r.clone()]));
        let mut paths = Paths::default();
        paths.entries.reserve_exact(ranges.len());
        for r in ranges {
            paths.push(path_of(&raw.bytes[r]));
        }
        let mut odd = raw.odd;
        odd.sort();
        odd.dedup();
        for p in &odd {
            paths.push(p);
        }
        paths.bytes.shrink_to_fit();
        paths
    }
}

/// Paths in the order they were pushed, front-coded; see the module's documentation. Every
/// [`RESTART`]th path is kept whole, so that any one is found without decoding those before it.
#[derive(Debug, Default)]
pub struct Paths {
    /// Each path's own bytes (those it does not share with the path before it), in order.
    bytes: Vec<u8>,
    /// For each path: how many bytes it shares with the path before it, and where its own bytes
    /// end in `bytes`; or [`ODD`] and its place in `odd`.
    entries: Vec<(u32, u32)>,
    /// The paths whose bytes cannot stand for them (see [`Gathered`]), or past 4 GiB of paths.
    odd: Vec<PathBuf>,
    /// The last path kept as bytes, whole, and how many have been kept since one was kept whole.
    last: Vec<u8>,
    since_whole: usize,
}

/// How often a path is kept whole.
const RESTART: usize = 32;

/// Marks an entry kept in `odd`.
const ODD: u32 = u32::MAX;

impl Paths {
    /// Adds a path at the end; paths that follow each other in sorted order share the most.
    pub fn push(&mut self, path: &Path) {
        let Some(this) = bytes_of(path).filter(|b| !b.contains(&0)) else {
            return self.push_odd(path);
        };
        let shared = if self.since_whole + 1 >= RESTART {
            0
        } else {
            self.last
                .iter()
                .zip(this)
                .take_while(|(a, b)| a == b)
                .count()
        };
        let own = &this[shared..];
        let (Ok(shared32), Ok(end)) = (
            u32::try_from(shared),
            u32::try_from(self.bytes.len() + own.len()),
        ) else {
            return self.push_odd(path);
        };
        if shared32 == ODD {
            return self.push_odd(path);
        }
        self.bytes.extend_from_slice(own);
        self.entries.push((shared32, end));
        self.since_whole = if shared == 0 { 0 } else { self.since_whole + 1 };
        self.last.truncate(shared);
        self.last.extend_from_slice(own);
    }

    fn push_odd(&mut self, path: &Path) {
        let k = u32::try_from(self.odd.len()).unwrap_or(u32::MAX);
        self.odd.push(path.to_path_buf());
        self.entries.push((ODD, k));
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Where path `i`'s own bytes start.
    fn start(&self, i: usize) -> usize {
        self.entries[..i]
            .iter()
            .rev()
            .find(|e| e.0 != ODD)
            .map_or(0, |e| e.1 as usize)
    }

    /// Path `i`, or `None` past the end.
    pub fn get(&self, i: usize) -> Option<PathBuf> {
        let &(shared, end) = self.entries.get(i)?;
        if shared == ODD {
            return self.odd.get(end as usize).cloned();
        }
        // back to the nearest path kept whole, then forward
        let whole = (0..=i).rev().find(|&j| self.entries[j].0 == 0).unwrap_or(0);
        let mut current = Vec::new();
        let mut start = self.start(whole);
        for &(shared, end) in self.entries[whole..=i].iter().filter(|e| e.0 != ODD) {
            current.truncate(shared as usize);
            current.extend_from_slice(&self.bytes[start..end as usize]);
            start = end as usize;
        }
        Some(path_of(&current).to_path_buf())
    }

    /// Every path, in order, each made as it is handed over.
    pub fn iter(&self) -> impl Iterator<Item = PathBuf> + '_ {
        let mut current: Vec<u8> = Vec::new();
        let mut start = 0;
        self.entries.iter().map(move |&(shared, end)| {
            if shared == ODD {
                return self.odd.get(end as usize).cloned().unwrap_or_default();
            }
            current.truncate(shared as usize);
            current.extend_from_slice(&self.bytes[start..end as usize]);
            start = end as usize;
            path_of(&current).to_path_buf()
        })
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
    fn any_path_is_found_without_the_ones_before() {
        let mut paths = Paths::default();
        let mut want = Vec::new();
        for i in 0..200 {
            // some share nothing with the path before, some all but their end
            let p = PathBuf::from(if i % 7 == 0 {
                format!("other{i}/x.py")
            } else {
                format!("deep/service/src/models/m{:03}.py", i / 3)
            });
            paths.push(&p);
            want.push(p);
        }
        assert_eq!(listed(&paths), want);
        for (i, p) in want.iter().enumerate() {
            assert_eq!(paths.get(i).as_ref(), Some(p), "path {i}");
        }
        assert_eq!(paths.get(want.len()), None);
        // kept whole every RESTART paths at the least
        let mut since = 0;
        for &(shared, _) in &paths.entries {
            since = if shared == 0 { 0 } else { since + 1 };
            assert!(since < RESTART);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_path_its_bytes_cannot_stand_for_keeps_its_place() {
        use std::os::unix::ffi::OsStrExt;
        let raw: [&[u8]; 5] = [b"a/x.sql", b"a/\0y.sql", b"a/y.sql", b"b\0", b"b/z.sql"];
        let mut paths = Paths::default();
        let given: Vec<PathBuf> = raw
            .iter()
            .map(|b| PathBuf::from(std::ffi::OsStr::from_bytes(b)))
            .collect();
        for p in &given {
            paths.push(p);
        }
        assert_eq!(paths.odd.len(), 2);
        assert_eq!(listed(&paths), given);
        for (i, p) in given.iter().enumerate() {
            assert_eq!(paths.get(i).as_ref(), Some(p), "path {i}");
        }
        // gathered, they come last, sorted
        let gathered: Paths = given.iter().cloned().collect();
        assert_eq!(listed(&gathered), [0, 2, 4, 1, 3].map(|i| given[i].clone()));
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
