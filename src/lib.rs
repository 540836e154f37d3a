//! briefwerk: a static-site generator for conflict and terrorism briefings.
//!
//! Data flows one way: [`config`] → [`load`] → [`validate`] → [`index`] → [`render`] →
//! [`output`], driven by [`pipeline`] (the one pipeline `build`, `check` and `serve` run).
//! Each stage owns its types; later stages never re-read files or re-parse YAML.
//! The library never prints: it returns a [`Report`] and [`Diagnostics`] for the binary to
//! show.

pub mod codec;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod error;
pub mod git;
pub mod ids;
pub mod import;
pub mod index;
pub mod init;
pub mod links;
pub mod load;
pub mod locale;
pub mod markdown;
pub mod new;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod routes;
pub mod serve;
pub mod site_files;
pub mod source;
pub mod text;
pub mod validate;
pub mod yaml;

use std::path::Path;

pub use config::{BuildOptions, Config};
pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use error::Error;
pub use pipeline::{Report, Timings};

/// Validates and renders the site at `root` without writing anything.
pub fn check(root: &Path, opts: &BuildOptions) -> Result<Report, Error> {
    pipeline::run(
        root,
        &pipeline::Options {
            build: opts.clone(),
            ..pipeline::Options::default()
        },
    )
}

/// How many files `check` reads at `root`, for its summary line: site.yaml and every
/// content file, readable or not (templates are checked too, but belong to the theme and
/// are not counted). Walks the content tree without reading it.
pub fn checked_files(root: &Path) -> usize {
    let config = usize::from(root.join("site.yaml").symlink_metadata().is_ok());
    // A content tree that cannot be walked is reported by `check` itself.
    config + load::count_content_files(root).unwrap_or(0)
}

/// Builds the site at `root`. Publishes nothing unless every stage succeeds, then switches
/// the output directory from the old site to the new one in one step; removes only files it
/// wrote itself (see [`output`]).
pub fn build(root: &Path, opts: &BuildOptions) -> Result<Report, Error> {
    pipeline::run(
        root,
        &pipeline::Options {
            build: opts.clone(),
            publish: true,
            deny_warnings: false,
        },
    )
}

/// Runs every stage, handing the files to `sink` (publishing nothing itself). Errors carry
/// every diagnostic found.
pub fn render_site(
    root: &Path,
    opts: &BuildOptions,
    sink: &dyn render::Sink,
) -> Result<Report, Error> {
    pipeline::render_to(root, opts, sink)
}
