//! The pipeline every command runs: configuration, theme and git dates, then the content
//! stages (read, parse, validate, index, compare, render), then publishing.
//!
//! `build`, `check` and `serve` are the same call with different [`Options`]: [`run`] takes
//! the site root and the options once (`check` publishes nothing, `build` publishes through
//! `output::Writer`, `--deny-warnings` refuses to publish a build with warnings, decided
//! before the commit in the same run); a [`Session`] (`serve`) keeps the last good build and
//! runs the same stages again after an edit. Every run returns one [`Report`]. Must not
//! print, and must not write anywhere but through the sink it is given.
//!
//! A [`Session`] holds the last good build's sources, per-file parses, validated site and
//! indexes. After an edit under `content/` it reads again only files whose size or
//! modification time changed, parses again only files whose text changed, validates and
//! indexes the whole site (cheap, and the only way to find every error), then compares the
//! new site with the last one record by record and renders only the pages that show
//! something that changed: the edited incident's page and its neighbours', its groups',
//! year's, country's and tags' pages, the listing pages whose entries moved, and the site's
//! overview pages. A change to `site.yaml` or to the theme, or one that reaches every page
//! (a new year of coverage, a free page's title in the menu, a group's name), renders
//! everything. Feeds, exports and the search index are always produced whole.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::{self, BuildOptions, Config};
use crate::content::Site;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::index::Index;
use crate::load::{self, FileParse, Sources};
use crate::output::{self, WriteStats};
use crate::render::dirty::{Dirty, Snapshot, dirty_pages};
use crate::render::{self, Sink, theme::ThemeFiles};
use crate::validate;

/// What a run is asked to do. `check` is the default; `build` sets `publish`.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Output folder, base URL, drafts, `--force`.
    pub build: BuildOptions,
    /// Publish into the output folder (`build`); otherwise render and discard (`check`).
    pub publish: bool,
    /// Refuse to publish when there are warnings (`--deny-warnings`): the run fails with
    /// [`Error::Denied`] before anything is committed.
    pub deny_warnings: bool,
}

/// What one run produced: the only report type, for `build`, `check` and `serve`.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// HTML pages of the site.
    pub pages: usize,
    /// Pages rendered this time (all of them unless a session rendered only what changed).
    pub rendered: usize,
    /// Files handed to the sink.
    pub files: usize,
    /// Files of the site not handed to the sink this time, because they cannot have changed.
    pub skipped: Vec<String>,
    /// Whether every page was rendered.
    pub full: bool,
    /// Incidents published.
    pub incidents: usize,
    /// Group profiles published.
    pub groups: usize,
    /// Briefings published.
    pub briefings: usize,
    /// How much is translated into each language but the default (empty on a site with
    /// one language): a summary for `check`, never a warning.
    pub coverage: Vec<crate::content::Coverage>,
    /// Warnings found.
    pub warnings: Diagnostics,
    /// What publishing did (zero when nothing was published).
    pub written: WriteStats,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Where the site is (or would be) written.
    pub output_dir: PathBuf,
    /// Wall time per stage.
    pub timings: Timings,
}

/// Wall time of each stage of a build, in order.
#[derive(Debug, Clone, Default)]
pub struct Timings(pub Vec<(&'static str, Duration)>);

impl Timings {
    /// The time of the stage `name` (zero if it did not run).
    pub fn of(&self, name: &str) -> Duration {
        self.0
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, d)| *d)
            .sum()
    }

    /// Runs `f` as the stage `name`, recording how long it took.
    pub(crate) fn stage<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.0.push((name, start.elapsed()));
        out
    }
}

/// Runs the pipeline once for the site at `root`: `check`, or `build` with `publish`.
/// Publishes nothing unless every stage succeeds (and, with `deny_warnings`, found no
/// warning), then switches the output directory from the old site to the new one in one
/// step; removes only files it wrote itself (see [`output`]).
pub fn run(root: &Path, opts: &Options) -> Result<Report, Error> {
    let start = Instant::now();
    let mut t = Timings::default();
    let config = t.stage("config", || config::load(root, &opts.build))?;
    // Before rendering: a refused output directory costs nothing, and the lock is held for
    // the whole build.
    let writer = match opts.publish {
        true => Some(output::Writer::begin(&config.output_dir, opts.build.force)?),
        false => None,
    };
    let setup = Setup::for_config(config, &mut t)?;
    let sink: &dyn Sink = match &writer {
        Some(w) => w,
        None => &output::Discard,
    };
    let (mut report, _) = stages(&setup, Since::default(), t, sink)?;
    if opts.deny_warnings && !report.warnings.is_empty() {
        // The writer is dropped uncommitted: the live site stays as it was.
        return Err(Error::Denied(report.warnings));
    }
    if let Some(w) = writer {
        report.written = report.timings.stage("write", || w.commit())?;
    }
    report.elapsed = start.elapsed();
    Ok(report)
}

/// Runs every stage for the site at `root`, handing the files to `sink` and publishing
/// nothing itself (tests compare what a full render gives with a session's).
pub fn render_to(root: &Path, opts: &BuildOptions, sink: &dyn Sink) -> Result<Report, Error> {
    let start = Instant::now();
    let mut t = Timings::default();
    let setup = Setup::load(root, opts, &mut t)?;
    let (mut report, _) = stages(&setup, Since::default(), t, sink)?;
    report.elapsed = start.elapsed();
    Ok(report)
}

/// What the content stages need besides the content: loaded once per run, and kept by a
/// session until `site.yaml` or the theme changes.
struct Setup {
    config: Config,
    theme: ThemeFiles,
    /// The words of each language the site is rendered in, the default first: the theme's
    /// interface strings with the site's overrides, read here so later stages read no file.
    words: Vec<std::sync::Arc<render::words::Words>>,
    /// Last-commit dates of the content files (`git_info`).
    updated: BTreeMap<String, chrono::NaiveDate>,
    /// Warnings of these stages (git dates), repeated on every rebuild.
    notes: Diagnostics,
}

impl Setup {
    /// Loads the configuration of the site at `root`, then the rest.
    fn load(root: &Path, opts: &BuildOptions, t: &mut Timings) -> Result<Setup, Error> {
        let config = t.stage("config", || config::load(root, opts))?;
        Setup::for_config(config, t)
    }

    /// Loads the theme and the git dates for a loaded configuration.
    fn for_config(config: Config, t: &mut Timings) -> Result<Setup, Error> {
        let (theme, mut notes) = t.stage("theme", || render::theme::load_reporting(&config))?;
        let words = t.stage("strings", || load_words(&config))?;
        let updated = git_dates(&config, &mut notes);
        Ok(Setup {
            config,
            theme,
            words,
            updated,
            notes,
        })
    }
}

/// The words of the site's default language (`language:`): its CLDR formatting and the
/// theme's strings with the site's `i18n/` overrides, every problem located. The renderer
/// takes a list so that each language of `languages:` can have its own.
fn load_words(config: &Config) -> Result<Vec<std::sync::Arc<render::words::Words>>, Error> {
    let lang = match config.languages.first() {
        Some(l) => l.clone(),
        None => crate::locale::Lang::parse(&config.language).map_err(|e| {
            let mut d = Diagnostics::default();
            d.push(Diagnostic::error("language", e.to_string()));
            Error::Invalid(d)
        })?,
    };
    let words = render::words::Words::load(config, &lang).map_err(Error::Invalid)?;
    Ok(vec![std::sync::Arc::new(words)])
}

/// Last-commit dates of the content files when `git_info` is on; a warning when they
/// cannot be read.
fn git_dates(config: &Config, diags: &mut Diagnostics) -> BTreeMap<String, chrono::NaiveDate> {
    if !config.git_info {
        return BTreeMap::new();
    }
    match crate::git::last_commit_dates(&config.root) {
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

/// The last good build, kept to compare the next one with.
struct Last {
    setup: Setup,
    state: State,
}

/// What the content stages produced, kept to compare the next build with.
pub(crate) struct State {
    sources: Sources,
    parses: Vec<std::sync::Arc<FileParse>>,
    site: Site,
    index: Index,
}

/// Where the content stages start from: nothing (`build`, `check`), or the last good
/// build's state and the files changed since (`serve`), with the caches it keeps.
#[derive(Default, Clone, Copy)]
struct Since<'a> {
    prev: Option<&'a State>,
    changed: &'a [String],
    caches: Option<&'a render::Caches>,
}

/// A site built again and again as its files change.
pub struct Session {
    root: PathBuf,
    opts: BuildOptions,
    last: Option<Last>,
    caches: render::Caches,
    /// Files changed since the last good build (a failed build's changes still count).
    pending: std::collections::BTreeSet<String>,
}

impl Session {
    /// A session for the site at `root`; nothing is read until the first build.
    pub fn new(root: &Path, opts: BuildOptions) -> Session {
        Session {
            root: root.to_path_buf(),
            opts,
            last: None,
            caches: render::Caches::default(),
            pending: Default::default(),
        }
    }

    /// Forgets the last build, so the next one is complete.
    pub fn reset(&mut self) {
        self.last = None;
        self.pending.clear();
    }

    /// Builds the site after the files `changed` (paths relative to the root, `/`-separated)
    /// changed, handing the files to `sink`. Only content edits are built incrementally.
    /// On error the last good build stays the reference for the next one.
    pub fn build(&mut self, changed: &[String], sink: &dyn Sink) -> Result<Report, Error> {
        let start = Instant::now();
        self.pending.extend(changed.iter().cloned());
        let changed: Vec<String> = self.pending.iter().cloned().collect();
        let content_only = changed.iter().all(|p| p.starts_with("content/"));
        let mut t = Timings::default();
        let (setup, prev) = match self.last.take() {
            Some(last) if content_only => (last.setup, Some(last.state)),
            _ => (Setup::load(&self.root, &self.opts, &mut t)?, None),
        };
        let since = Since {
            prev: prev.as_ref(),
            changed: &changed,
            caches: Some(&self.caches),
        };
        let (result, keep) = match stages(&setup, since, t, sink) {
            Ok((report, state)) => {
                self.pending.clear();
                // Freeing a large site takes a while and nobody waits for it.
                if let Some(old) = prev {
                    std::thread::spawn(move || drop(old));
                }
                (Ok(report), Some(state))
            }
            // The last good state (if there was one) stays the reference.
            Err(e) => (Err(e), prev),
        };
        if let Some(state) = keep {
            self.last = Some(Last { setup, state });
        }
        result.map(|mut r| {
            r.elapsed = start.elapsed();
            r
        })
    }
}

/// Reads the sources: all of them from nothing, or again only what changed since `since`.
fn read(config: &Config, since: Since<'_>) -> Result<(Sources, Diagnostics), Error> {
    let (prev, changed) = (since.prev, since.changed);
    match prev {
        Some(p) if !changed.is_empty() => {
            match load::update_sources(&config.root, &p.sources, changed) {
                Some(r) => Ok(r),
                None => load::read_sources_reusing(&config.root, Some(&p.sources), changed),
            }
        }
        _ => load::read_sources_reusing(&config.root, prev.map(|p| &p.sources), changed),
    }
}

/// Runs the content stages — read, parse, validate, index, compare, render — for a
/// [`Setup`]: once from nothing, or after files changed since the last good build. With
/// caches, the search index and exports are kept for the next render.
fn stages(
    setup: &Setup,
    since: Since<'_>,
    mut t: Timings,
    sink: &dyn Sink,
) -> Result<(Report, State), Error> {
    let (config, theme, prev) = (&setup.config, &setup.theme, since.prev);
    let mut diags = setup.notes.clone();
    let (sources, read_diags) = t.stage("read", || read(config, since))?;
    diags.extend(read_diags);
    let parses = t.stage("parse", || {
        load::parse_files(&sources, prev.map(|p| (&p.sources, p.parses.as_slice())))
    });
    let (raw, parse_diags) = t.stage("assemble", || load::assemble(&sources, &parses));
    diags.extend(parse_diags);
    let today = chrono::Local::now().date_naive();
    let (site, validate_diags) = t.stage("validate", || {
        validate::validate(raw, &sources, config, today)
    });
    diags.extend(validate_diags);
    let site = match site {
        Some(s) if !diags.has_errors() => s,
        _ => {
            // Template problems are worth reporting alongside content ones.
            if let Err(te) = render::compile(theme, &setup.words) {
                diags.extend(te);
            }
            diags.sort();
            return Err(Error::Invalid(diags));
        }
    };
    diags.extend(validate::stale_translations(
        &site,
        &sources,
        &setup.updated,
    ));
    let index = t.stage("index", || Index::build(&site));
    let mut dirty = match prev {
        Some(p) => t.stage("compare", || {
            let touched = touched_files(&p.sources, &sources);
            let snapshot = |site, index, sources| Snapshot {
                site,
                index,
                sources,
            };
            dirty_pages(
                snapshot(&p.site, &p.index, &p.sources),
                snapshot(&site, &index, &sources),
                Some(&touched),
                config.paginate_by,
            )
        }),
        None => None,
    };
    if let (Some(p), Some(d)) = (prev, dirty.as_mut()) {
        mark_translated(&p.site, &site, d);
    }
    let state = State {
        sources,
        parses,
        site,
        index,
    };
    let report = render_stage(setup, &state, dirty.as_ref(), since.caches, diags, t, sink)?;
    Ok((report, state))
}

/// Renders the pages `dirty` names (every page without it) and reports the run.
fn render_stage(
    setup: &Setup,
    state: &State,
    dirty: Option<&Dirty>,
    caches: Option<&render::Caches>,
    mut diags: Diagnostics,
    mut t: Timings,
    sink: &dyn Sink,
) -> Result<Report, Error> {
    let rendered_count = std::sync::atomic::AtomicUsize::new(0);
    let filter = |path: &str| {
        let keep = dirty.is_none_or(|d| d.wants(path));
        if keep {
            rendered_count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        keep
    };
    let partial = dirty.map(|d| render::Partial {
        pages: &filter,
        changed: &d.records,
    });
    let out = t.stage("render", || {
        let request = render::Request {
            site: &state.site,
            index: &state.index,
            sources: &state.sources,
            config: &setup.config,
            theme: &setup.theme,
            words: &setup.words,
            updated: &setup.updated,
            partial: partial.as_ref(),
            caches,
        };
        render::render(&request, sink)
    });
    let out = match out {
        Ok(o) => o,
        Err(e) => {
            // The caches may hold part of this failed render: start them afresh.
            if let Some(c) = caches {
                *c.search.lock().unwrap_or_else(|p| p.into_inner()) = Default::default();
            }
            if let Error::Invalid(d) = e {
                diags.extend(d);
                diags.sort();
                return Err(Error::Invalid(diags));
            }
            return Err(e);
        }
    };
    diags.sort();
    t.0.extend(out.parts.iter().map(|(n, d)| (*n, *d)));
    let site = &state.site;
    Ok(Report {
        pages: out.pages,
        rendered: match dirty {
            None => out.pages,
            Some(_) => rendered_count.into_inner(),
        },
        files: out.files,
        skipped: out.skipped,
        full: dirty.is_none(),
        incidents: site.incidents.len(),
        groups: site.groups.len(),
        briefings: site.briefings.len(),
        coverage: setup.config.languages[1..]
            .iter()
            .map(|l| crate::content::Coverage::of(site, l.tag()))
            .collect(),
        warnings: diags,
        written: WriteStats::default(),
        elapsed: Duration::default(),
        output_dir: setup.config.output_dir.clone(),
        timings: t,
    })
}

/// Marks the records whose translations changed as changed records (their search and
/// export entries), so that an edited `<id>.fr.md` is a change the dirty set sees.
fn mark_translated(old: &Site, new: &Site, dirty: &mut Dirty) {
    use crate::content::RecordKind as K;
    for (kind, id) in old.translations.changed(&new.translations) {
        let key = match kind {
            K::Incident => format!("i/{id}"),
            K::Group => format!("g/{id}"),
            K::Briefing => format!("b/{id}"),
            // Pages and the home introduction have no record key: nothing to mark.
            K::Page | K::Home => continue,
        };
        dirty.records.insert(key);
    }
}

/// Files whose text differs between two readings, or that exist in only one.
fn touched_files(old: &Sources, new: &Sources) -> HashSet<String> {
    fn text(s: &Sources) -> HashMap<&str, &std::sync::Arc<str>> {
        s.files.iter().map(|f| (f.rel.as_str(), &f.text)).collect()
    }
    let (a, b) = (text(old), text(new));
    // A reused file shares its text: the pointer comparison settles most files at once.
    let same = |x: Option<&&std::sync::Arc<str>>, y: Option<&&std::sync::Arc<str>>| match (x, y) {
        (Some(x), Some(y)) => std::sync::Arc::ptr_eq(x, y) || x == y,
        (None, None) => true,
        _ => false,
    };
    a.keys()
        .chain(b.keys())
        .filter(|r| !same(a.get(*r), b.get(*r)))
        .map(|r| r.to_string())
        .collect()
}
