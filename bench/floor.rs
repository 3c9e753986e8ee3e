//! The floor ropa is measured against (bench/run.sh): an in-process walk with the `ignore`
//! crate's parallel walker, configured like ropa's discovery (hidden directories searched,
//! `.gitignore` honoured without git, no global excludes), that reads every manifest it finds
//! and does nothing else.
//!
//! With `--candidates`, it reads instead every file coverage reads (the files
//! `ropa::coverage::scan::wanted` accepts): the floor of `ropa coverage`.
//!
//! ```sh
//! cargo run --release --example floor -- target/bench/corpus-10000
//! cargo run --release --example floor -- --candidates target/bench/corpus-10000
//! ```

use std::sync::atomic::{AtomicU64, Ordering};

#[allow(
    clippy::print_stdout,
    reason = "a measuring tool printing what it read"
)]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let candidates = args.iter().any(|a| a == "--candidates");
    let root = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| ".".into());
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
                    && if candidates {
                        ropa::coverage::scan::wanted(e.path(), e.file_name())
                    } else {
                        ropa::engine::discover::is_manifest_file_name(e.file_name())
                    }
                    && let Ok(text) = std::fs::read(e.path())
                {
                    files.fetch_add(1, Ordering::Relaxed);
                    bytes.fetch_add(text.len() as u64, Ordering::Relaxed);
                }
                ignore::WalkState::Continue
            })
        });
    println!(
        "{} files, {} bytes",
        files.load(Ordering::Relaxed),
        bytes.load(Ordering::Relaxed)
    );
}
