//! CLI cases as data (`tests/cmd/*.toml`, run by trycmd): each pins the arguments, the working
//! directory (`<case>.in/`), the exit status and the whole of standard output and standard
//! error. After a reviewed change, `TRYCMD=overwrite cargo test --test it cmd` rewrites them.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .register_bin("ropa", std::path::Path::new(env!("CARGO_BIN_EXE_ropa")))
        // the same output on a terminal, in a workflow or not
        .env("NO_COLOR", "1")
        .env("GITHUB_ACTIONS", "false")
        .env("ROPA_CACHE_DIR", crate::common::TEST_CACHE_DIR)
        .case("tests/cmd/*.toml");
}
