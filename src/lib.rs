//! briefwerk: a static-site generator for conflict and terrorism briefings.
//!
//! Data flows one way: [`config`] → [`load`] → [`validate`] → [`index`] → [`render`] →
//! [`output`]. Each stage owns its types; later stages never re-read files or re-parse YAML.
//! The library never prints: it returns reports and [`Diagnostics`] for the binary to show.

pub mod config;
pub mod content;
pub mod diagnostic;
pub mod error;
pub mod git;
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
pub mod source;
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
    /// Pages and files produced.
    pub output: render::Rendered,
    /// Warnings.
    pub warnings: Diagnostics,
    /// Counts for the report.
    counts: (usize, usize, usize),
    /// Wall time per stage.
    pub timings: Timings,
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

/// [`render_site`] for an already loaded configuration.
fn render_config(
    config: Config,
    mut timings: Timings,
    sink: &dyn render::Sink,
) -> Result<Rendered, Error> {
    let (sources, mut diags) = timings.stage("read", || load::read_sources(&config.root))?;
    let (raw, parse_diags) = timings.stage("parse", || load::parse(&sources));
    diags.extend(parse_diags);
    let today = chrono::Local::now().date_naive();
    let (site, validate_diags) = timings.stage("validate", || {
        validate::validate(raw, &sources, &config, today)
    });
    diags.extend(validate_diags);
    let theme = timings.stage("theme", || render::theme::load(&config))?;
    let site = match site {
        Some(s) if !diags.has_errors() => s,
        _ => {
            // Template problems are worth reporting alongside content ones.
            if let Err(t) = render::compile(&theme) {
                diags.extend(t);
            }
            diags.sort();
            return Err(Error::Invalid(diags));
        }
    };
    let updated = git_dates(&config, &mut diags);
    let index = timings.stage("index", || index::Index::build(&site));
    let rendered = timings.stage("render", || {
        render::render(
            &site, &index, &sources, &config, &theme, &updated, None, None, sink,
        )
    });
    let output = match rendered {
        Ok(r) => r,
        Err(Error::Invalid(d)) => {
            diags.extend(d);
            diags.sort();
            return Err(Error::Invalid(diags));
        }
        Err(e) => return Err(e),
    };
    diags.sort();
    let counts = (
        site.incidents.len(),
        site.groups.len(),
        site.briefings.len(),
    );
    Ok(Rendered {
        config,
        output,
        warnings: diags,
        counts,
        timings,
    })
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

/// Builds the site at `root`. Publishes nothing unless every stage succeeds.
pub fn build(root: &Path, opts: &BuildOptions) -> Result<BuildReport, Error> {
    let start = Instant::now();
    let mut timings = Timings::default();
    let config = timings.stage("config", || config::load(root, opts))?;
    let writer = output::Writer::begin(&config.output_dir)?;
    let mut r = render_config(config, timings, &writer)?;
    let stats = r.timings.stage("write", || writer.commit())?;
    Ok(report(r, stats, start))
}

fn report(r: Rendered, written: output::WriteStats, start: Instant) -> BuildReport {
    BuildReport {
        pages: r.output.pages,
        files: r.output.files,
        incidents: r.counts.0,
        groups: r.counts.1,
        briefings: r.counts.2,
        warnings: r.warnings,
        written,
        elapsed: start.elapsed(),
        output_dir: r.config.output_dir,
        timings: r.timings,
    }
}
