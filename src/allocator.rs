//! How the binary's allocator (mimalloc, set in `src/main.rs`) is tuned. Measured in
//! `bench/profile-notes.md` (stop 33): with glibc's malloc, allocation and its locks took about
//! a fifth of a run's samples; mimalloc as configured here runs 14% fewer instructions on the
//! benchmark corpus, with the same peak memory.

/// mimalloc's `mi_option_purge_delay`: its 16th option (`mi_option_e` in `mimalloc.h`). The test
/// below fails if a new mimalloc numbers it otherwise.
pub const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long memory mimalloc frees is kept before it goes back to the system: 10 ms, not
/// mimalloc's second. Measured in `bench/profile-notes.md` (stop 47):
/// - a second keeps too much: the peak at 50k manifests is about 63 MiB with 100 ms, and about
///   70 MiB with a second, against the 64 MiB target;
/// - at once (0) costs time: each page given back is faulted in again when it is used next. A
///   one-manifest run gave back memory 47 times and took 4.0 ms, against 3.1 ms with 10 ms; at
///   50k, the run takes a quarter more page faults and about 6% more CPU time;
/// - 10 ms: peaks of about 26 MiB at 10k manifests and 55 MiB at 50k (22 and 51 at once).
pub const PURGE_AFTER_MS: std::ffi::c_long = 10;

/// Sets [`PURGE_AFTER_MS`]. Call it first thing in `main`.
#[allow(unsafe_code)]
pub fn tune() {
    // SAFETY: `mi_option_set` stores a number in mimalloc's table of options: it takes no
    // pointer, and may be called at any time from any thread.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_AFTER_MS) }
}

#[cfg(test)]
#[allow(unsafe_code)]
mod tests {
    use super::*;

    #[test]
    fn the_option_set_is_the_purge_delay() {
        // SAFETY: reads a number from mimalloc's table of options.
        let get = |option| unsafe { libmimalloc_sys::mi_option_get(option) };
        // mimalloc's default purge delay is 1000 ms: no other option has that default
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(get(PURGE_DELAY), 1000);
        }
        tune();
        assert_eq!(get(PURGE_DELAY), PURGE_AFTER_MS);
    }
}
