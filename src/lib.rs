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
pub mod render;
pub mod serve;
pub mod source;
pub mod validate;
pub mod yaml;

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

/// A site taken through every stage but the write.
pub struct Rendered {
    /// The configuration used.
    pub config: Config,
    /// The files to write.
    pub files: Vec<render::OutputFile>,
    /// Warnings.
    pub warnings: Diagnostics,
    /// Counts for the report.
    counts: (usize, usize, usize),
    /// Wall time per stage.
    pub timings: Timings,
}

/// Runs every stage up to rendering, in memory. Errors carry every diagnostic found.
pub fn render_site(root: &Path, opts: &BuildOptions) -> Result<Rendered, Error> {
    let mut timings = Timings::default();
    let config = timings.stage("config", || config::load(root, opts))?;
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
    let updated = if config.git_info {
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
                Default::default()
            }
        }
    } else {
        Default::default()
    };
    let index = timings.stage("index", || index::Index::build(&site));
    let rendered = timings.stage("render", || {
        render::render(&site, &index, &sources, &config, &theme, &updated)
    });
    let files = match rendered {
        Ok(f) => f,
        Err(d) => {
            diags.extend(d);
            diags.sort();
            return Err(Error::Invalid(diags));
        }
    };
    diags.sort();
    let counts = (
        site.incidents.len(),
        site.groups.len(),
        site.briefings.len(),
    );
    Ok(Rendered {
        config,
        files,
        warnings: diags,
        counts,
        timings,
    })
}

/// Wall time of each stage of a build, in order.
#[derive(Debug, Clone, Default)]
pub struct Timings(pub Vec<(&'static str, Duration)>);

impl Timings {
    fn stage<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.0.push((name, start.elapsed()));
        out
    }
}

/// Validates and renders the site at `root` without writing anything.
pub fn check(root: &Path, opts: &BuildOptions) -> Result<BuildReport, Error> {
    let start = Instant::now();
    let r = render_site(root, opts)?;
    Ok(report(r, output::WriteStats::default(), start))
}

/// Builds the site at `root`. Writes nothing unless every stage succeeds.
pub fn build(root: &Path, opts: &BuildOptions) -> Result<BuildReport, Error> {
    let start = Instant::now();
    let mut r = render_site(root, opts)?;
    let stats = r.timings.stage("write", || {
        output::write_site(&r.config.output_dir, &r.files)
    })?;
    Ok(report(r, stats, start))
}

fn report(r: Rendered, written: output::WriteStats, start: Instant) -> BuildReport {
    BuildReport {
        pages: r.files.iter().filter(|f| f.path.ends_with(".html")).count(),
        files: r.files.len(),
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
