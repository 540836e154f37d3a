//! The `briefwerk` binary: parses arguments and hands them to the library.

mod cli;

// Rendering allocates many short-lived strings on every thread; mimalloc's thread-local
// heaps cut the allocator's share of a 10,000-incident build (glibc malloc was ~15% of CPU).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

fn main() -> std::process::ExitCode {
    cli::run(cli::Cli::parse())
}
