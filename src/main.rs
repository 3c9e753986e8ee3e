//! The `ropa` binary: parse arguments, run, map the outcome to an exit status.

use std::process::ExitCode;

use ropa::app::{self, Exit};

/// mimalloc rather than the system's allocator, tuned by `ropa::allocator::tune` (the feature
/// `system-allocator` keeps the system's, for heap profilers).
#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ropa::allocator::tune();
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let asked = ropa::cli::lang_asked(argv.iter().skip(1));
    let args = match ropa::cli::parse_from(argv, asked) {
        Ok(args) => args,
        // a mistake on the command line: clap's message, in the language `--lang` asked for,
        // which quotes what was typed, as plain text neutralised like every other (a
        // bidirectional override or an escape sequence in an argument is shown, not obeyed)
        Err(e) if e.use_stderr() => {
            app::say(&ropa::cli::usage_error(&e, asked), false);
            return ExitCode::from(Exit::Failure as u8);
        }
        // `--help`, `--version`: ropa's own text
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(Exit::Clean as u8);
        }
    };
    // a panic is a bug: say so briefly, in the language `--lang` asked for, and exit 2, not
    // with Rust's 101
    let lang = args.lang().unwrap_or_default();
    std::panic::set_hook(Box::new(move |info| {
        let file = ropa::engine::run::current_file().map(|f| f.escape_debug().to_string());
        let what = info.to_string().escape_debug().to_string();
        let line = ropa::i18n::t(
            lang,
            format!(
                "error: ropa crashed{} ({what}). This is a bug, please report it with the input that caused it.\n",
                file.as_ref()
                    .map_or(String::new(), |f| format!(" while linting {f}"))
            ),
            format!(
                "erreur: ropa s'est arrêté sur une erreur interne{} ({what}). C'est un bogue : signalez-le, avec le fichier qui l'a provoqué.\n",
                file.as_ref()
                    .map_or(String::new(), |f| format!(" en vérifiant {f}"))
            ),
        );
        ropa::app::say(&line, false);
    }));
    let outcome = std::panic::catch_unwind(move || app::main(args));
    match outcome {
        Ok(exit) => ExitCode::from(exit as u8),
        Err(_) => ExitCode::from(Exit::Failure as u8),
    }
}
