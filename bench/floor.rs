//! The floor ropa is measured against (bench/run.sh): an in-process walk with the `ignore`
//! crate's parallel walker, configured like ropa's discovery (hidden directories searched,
//! `.gitignore` honoured without git, no global excludes), that reads every manifest it finds
//! and does nothing else.
//!
//! ```sh
//! cargo run --release --example floor -- target/bench/corpus-10000
//! ```

use std::sync::atomic::{AtomicU64, Ordering};

#[allow(
    clippy::print_stdout,
    reason = "a measuring tool printing what it read"
)]
fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let files = AtomicU64::new(0);
    let bytes = AtomicU64::new(0);
    ignore::WalkBuilder::new(&root)
        .hidden(false)
        .require_git(false)
        .git_global(false)
        .threads(std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                if let Ok(e) = entry
                    && e.file_type().is_some_and(|t| t.is_file())
                    && ropa::engine::discover::is_manifest_file_name(e.file_name())
                    && let Ok(text) = std::fs::read(e.path())
                {
                    files.fetch_add(1, Ordering::Relaxed);
                    bytes.fetch_add(text.len() as u64, Ordering::Relaxed);
                }
                ignore::WalkState::Continue
            })
        });
    println!(
        "{} manifests, {} bytes",
        files.load(Ordering::Relaxed),
        bytes.load(Ordering::Relaxed)
    );
}
