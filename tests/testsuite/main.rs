//! briefwerk's integration tests, as one test binary (one link instead of eighteen): each
//! module tests one thing a user or a maintainer relies on, and `support` holds every helper
//! they share (fixture sites, the binary, reading built pages, a full render to compare with).
//!
//! Run one module with a filter: `cargo test --test testsuite check::`; the browser test of
//! the search page, ignored by default: `cargo test --test testsuite publish:: -- --ignored`.

// Not every module uses every helper.
#[allow(dead_code)]
mod support;

mod acled;
mod build;
mod check;
mod cli;
mod exports;
mod import;
mod oracle;
mod output_safety;
mod publish;
mod quality;
mod rebuild;
mod rebuild_property;
mod rigour;
mod security;
mod serve;
mod shape;
mod transcripts;
mod translations;
mod truth;
mod words;
mod workflow;
mod writing_systems;
