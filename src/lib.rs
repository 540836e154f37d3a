//! briefwerk: a static-site generator for conflict and terrorism briefings.
//!
//! Data flows one way: [`config`] → [`load`] → [`validate`] → [`index`] → [`render`] →
//! [`output`]. Each stage owns its types; later stages never re-read files or re-parse YAML.
//! The library never prints: it returns reports and [`Diagnostics`] for the binary to show.

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
pub mod markdown;
pub mod new;
pub mod output;
pub mod rebuild;
pub mod render;
pub mod serve;
pub mod site_files;
pub mod source;
pub mod text;
pub mod validate;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

pub use config::{BuildOptions, Config};
pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use error::Error;

/// What a successful build or check produced.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// HTML pages rendered.
    pub pages: usize,
    /// All files (pages, static, data).
    pub files: usize,
    /// Incidents published.
    pub incidents: usize,
    /// Group profiles published.
    pub groups: usize,
    /// Briefings published.
    pub briefings: usize,
    /// Warnings found.
    pub warnings: Diagnostics,
    /// What the write did (zero for `check`).
    pub written: output::WriteStats,
    /// Wall time.
    pub elapsed: Duration,
    /// Where the site was written.
    pub output_dir: std::path::PathBuf,
    /// Wall time per stage.
    pub timings: Timings,
}

/// A site taken through every stage, its files handed to a [`render::Sink`].
pub struct Rendered {
    /// The configuration used.
    pub config: Config,
    /// What the stages produced: counts, warnings, timings.
    pub built: rebuild::Built,
}

/// Runs every stage, handing the files to `sink`. Errors carry every diagnostic found.
pub fn render_site(
    root: &Path,
    opts: &BuildOptions,
    sink: &dyn render::Sink,
) -> Result<Rendered, Error> {
    let mut timings = Timings::default();
    let config = timings.stage("config", || config::load(root, opts))?;
    render_config(config, timings, sink)
}

/// [`render_site`] for an already loaded configuration: the same stages `serve` runs
/// ([`rebuild::stages`]), from nothing and keeping nothing.
fn render_config(
    config: Config,
    mut timings: Timings,
    sink: &dyn render::Sink,
) -> Result<Rendered, Error> {
    let (theme, mut diags) = timings.stage("theme", || render::theme::load_reporting(&config))?;
    let updated = git_dates(&config, &mut diags);
    let (built, _) = rebuild::stages(
        &config,
        &theme,
        &updated,
        None,
        &[],
        None,
        diags,
        timings,
        sink,
    )?;
    Ok(Rendered { config, built })
}

/// Last-commit dates of the content files when `git_info` is on; a warning when they
/// cannot be read.
fn git_dates(config: &Config, diags: &mut Diagnostics) -> BTreeMap<String, chrono::NaiveDate> {
    if !config.git_info {
        return BTreeMap::new();
    }
    match git::last_commit_dates(&config.root) {
        Ok(d) => d,
        Err(why) => {
            diags.push(
                Diagnostic::warning(
                    "git-info",
                    format!("`git_info` is on but no dates could be read: {why}"),
                )
                .help("turn `git_info` off in site.yaml, or build inside a git repository"),
            );
            BTreeMap::new()
        }
    }
}

/// Wall time of each stage of a build, in order.
#[derive(Debug, Clone, Default)]
pub struct Timings(pub Vec<(&'static str, Duration)>);

impl Timings {
    pub(crate) fn stage<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.0.push((name, start.elapsed()));
        out
    }
}

/// Validates and renders the site at `root` without writing anything.
pub fn check(root: &Path, opts: &BuildOptions) -> Result<BuildReport, Error> {
    let start = Instant::now();
    let r = render_site(root, opts, &output::Discard)?;
    Ok(report(r, output::WriteStats::default(), start))
}

/// Builds the site at `root`. Publishes nothing unless every stage succeeds, then switches
/// the output directory from the old site to the new one in one step; removes only files it
/// wrote itself (see [`output`]).
pub fn build(root: &Path, opts: &BuildOptions) -> Result<BuildReport, Error> {
    let start = Instant::now();
    let mut timings = Timings::default();
    let config = timings.stage("config", || config::load(root, opts))?;
    // Before rendering: a refused output directory costs nothing, and the lock is held for
    // the whole build.
    let writer = output::Writer::begin(&config.output_dir, opts.force)?;
    let mut r = render_config(config, timings, &writer)?;
    let stats = r.built.timings.stage("write", || writer.commit())?;
    Ok(report(r, stats, start))
}

fn report(r: Rendered, written: output::WriteStats, start: Instant) -> BuildReport {
    BuildReport {
        pages: r.built.pages,
        files: r.built.files,
        incidents: r.built.counts.incidents,
        groups: r.built.counts.groups,
        briefings: r.built.counts.briefings,
        warnings: r.built.warnings,
        written,
        elapsed: start.elapsed(),
        output_dir: r.config.output_dir,
        timings: r.built.timings,
    }
}
