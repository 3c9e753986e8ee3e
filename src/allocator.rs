//! How the binary's allocator (mimalloc, set in `src/main.rs`) is tuned. Measured in
//! `bench/profile-notes.md` (stop 33): with glibc's malloc, allocation and its locks took about
//! a fifth of a run's samples; mimalloc as configured here runs 14% fewer instructions on the
//! benchmark corpus, with the same peak memory.

/// mimalloc's `mi_option_purge_delay`: its 16th option (`mi_option_e` in `mimalloc.h`). The test
/// below fails if a new mimalloc numbers it otherwise.
pub const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory mimalloc frees goes back to the system at once, not a second later: the peak at 50k
/// manifests is 52 MiB this way, about 70 MiB otherwise (over the 64 MiB target). Call it first
/// thing in `main`.
#[allow(unsafe_code)]
pub fn tune() {
    // SAFETY: `mi_option_set` stores a number in mimalloc's table of options: it takes no
    // pointer, and may be called at any time from any thread.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) }
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
        assert_eq!(get(PURGE_DELAY), 0);
    }
}
