//! Command-line interface: parses arguments, calls the library, renders its reports and
//! diagnostics for humans. The only place that prints.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use briefwerk::{BuildOptions, Error};

/// A static-site generator for conflict and terrorism briefings.
#[derive(Debug, Parser)]
#[command(name = "briefwerk", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print only errors.
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into the output directory.
    Build(BuildArgs),
    /// Validate the site without writing anything.
    Check(CheckArgs),
}

#[derive(Debug, clap::Args)]
struct BuildArgs {
    /// Site root (holds site.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Output directory (overrides `output_dir`).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Base URL (overrides `base_url`, e.g. for preview deploys).
    #[arg(long)]
    base_url: Option<String>,
    /// Include drafts.
    #[arg(long)]
    drafts: bool,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Fail when there are warnings.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Site root (holds site.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include drafts.
    #[arg(long)]
    drafts: bool,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Fail when there are warnings.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn print_diags(d: &briefwerk::Diagnostics, format: Format) {
    if d.is_empty() {
        return;
    }
    match format {
        Format::Json => print!("{}", d.to_json_lines()),
        Format::Human => {
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            eprint!("{}", d.render(color));
        }
    }
}

fn fail(e: Error, format: Format) -> ExitCode {
    match e {
        Error::Invalid(d) => {
            print_diags(&d, format);
            eprintln!("{}", d.summary());
            ExitCode::from(1)
        }
        other => {
            eprintln!("error: {other}");
            ExitCode::from(2)
        }
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Runs the parsed command line and returns the process exit code
/// (0 ok, 1 content errors, 2 could not run).
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(a) => {
            if !a.root.join("site.yaml").is_file() {
                eprintln!("error: no site.yaml in `{}` (use --root to point at a site)", a.root.display());
                return ExitCode::from(2);
            }
            let opts = BuildOptions { output: a.output, base_url: a.base_url, drafts: a.drafts };
            if a.deny_warnings {
                match briefwerk::check(&a.root, &opts) {
                    Ok(r) if !r.warnings.is_empty() => {
                        print_diags(&r.warnings, a.format);
                        eprintln!("{} (denied by --deny-warnings)", r.warnings.summary());
                        return ExitCode::from(1);
                    }
                    Ok(_) => {}
                    Err(e) => return fail(e, a.format),
                }
            }
            match briefwerk::build(&a.root, &opts) {
                Ok(r) => {
                    print_diags(&r.warnings, a.format);
                    if !cli.quiet {
                        eprintln!(
                            "built {} ({}, {}, {}) in {} ms",
                            count(r.pages, "page", "pages"),
                            count(r.incidents, "incident", "incidents"),
                            count(r.groups, "group", "groups"),
                            count(r.briefings, "briefing", "briefings"),
                            r.elapsed.as_millis()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e, a.format),
            }
        }
        Command::Check(a) => {
            if !a.root.join("site.yaml").is_file() {
                eprintln!("error: no site.yaml in `{}` (use --root to point at a site)", a.root.display());
                return ExitCode::from(2);
            }
            let opts = BuildOptions { drafts: a.drafts, ..BuildOptions::default() };
            match briefwerk::check(&a.root, &opts) {
                Ok(r) => {
                    print_diags(&r.warnings, a.format);
                    if !cli.quiet || !r.warnings.is_empty() {
                        eprintln!("{}", r.warnings.summary());
                    }
                    if a.deny_warnings && !r.warnings.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS }
                }
                Err(e) => fail(e, a.format),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn verify_app() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
