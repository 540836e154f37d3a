//! Fuzz target: one content file of any kind through the front-matter split, the YAML record
//! parser and validation (`briefwerk::load::parse` + `briefwerk::validate::validate`), then
//! the rendering of whatever diagnostics come out. It must never panic or hang.
//!
//! With the default `libfuzzer` feature this is a cargo-fuzz target (nightly); without it,
//! a stable binary that runs a seeded mutation loop (see `briefwerk_fuzz::stable_loop`).
#![cfg_attr(feature = "libfuzzer", no_main)]

#[cfg(feature = "libfuzzer")]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    briefwerk_fuzz::run(data);
});

#[cfg(not(feature = "libfuzzer"))]
fn main() {
    briefwerk_fuzz::stable_loop();
}
