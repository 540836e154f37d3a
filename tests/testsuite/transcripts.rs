//! The binary as a person sees it in a terminal: a transcript (trycmd) per command's
//! `--help`, one run that works and one that fails (with its located diagnostics and its
//! exit code), in `tests/cmd/`. Each `NAME.toml` gives the arguments, the site it runs in
//! (`fs.base`, copied to a temporary folder) and the exit status; `NAME.stdout` and
//! `NAME.stderr` hold exactly what the command prints, with `[..]` where a duration or a port
//! changes from run to run.
//!
//! After a deliberate change of wording: `TRYCMD=overwrite cargo test --test testsuite transcripts::`,
//! then review the diff of `tests/cmd/` like any other change of what users read.

#[test]
fn cli_transcripts() {
    trycmd::TestCases::new()
        .register_bin(
            "briefwerk",
            std::path::Path::new(env!("CARGO_BIN_EXE_briefwerk")),
        )
        // Diagnostics are coloured only on a terminal; NO_COLOR keeps a developer's
        // environment from mattering either way.
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.toml");
}
