//! The hash maps of the run's own data: std's maps with a faster hasher ([`foldhash`]), seeded at
//! random for each map as std's is, so that keys read from a repository cannot be chosen to
//! collide.

/// The hasher.
pub type State = foldhash::fast::RandomState;
/// A hash map with [`State`].
pub type Map<K, V> = std::collections::HashMap<K, V, State>;
/// A hash set with [`State`].
pub type Set<T> = std::collections::HashSet<T, State>;
