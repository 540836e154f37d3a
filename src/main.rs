//! The `briefwerk` binary: parses arguments and hands them to the library.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    cli::run(cli::Cli::parse())
}
