//! Command-line interface: parses arguments, calls the library, renders its reports and
//! diagnostics for humans. The only place that prints.
//!
//! Standard output carries only what a script may want to capture (the URL of `serve`, the
//! path written by `new`, JSON diagnostics); everything for people goes to standard error.

use std::io::IsTerminal;

// Printing never fails a command. `briefwerk build | head -0`, `check 2>&-` or a log
// collector that went away turn every write into EPIPE; `println!` would panic (exit 101)
// and a build that published the site would look failed. Output is a courtesy: the exit
// status alone says whether the command worked, so write errors are ignored.

/// `print!` to standard output, ignoring write errors.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($t)*);
    }};
}

/// `println!` to standard output, ignoring write errors.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

/// `eprint!` to standard error, ignoring write errors.
macro_rules! err {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($t)*);
    }};
}

/// `eprintln!` to standard error, ignoring write errors.
macro_rules! errln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

use briefwerk::{BuildOptions, Diagnostics, Error};

/// A static-site generator for conflict and terrorism briefings.
#[derive(Debug, Parser)]
#[command(name = "briefwerk", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more: timings, where files go, what changed.
    #[arg(long, short, global = true)]
    verbose: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into the output directory.
    Build(BuildArgs),
    /// Validate the site without writing anything.
    Check(CheckArgs),
    /// Serve the site locally, rebuild on every change and reload open pages.
    Serve(ServeArgs),
    /// Create a new incident, group, briefing or page from its archetype.
    New(NewArgs),
    /// Create a new site that builds at once.
    Init(InitArgs),
    /// Import records from another dataset.
    #[command(subcommand)]
    Import(ImportCommand),
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// Turn an ACLED CSV export into incident records (idempotent, keyed by event id).
    Acled(AcledArgs),
}

#[derive(Debug, clap::Args)]
struct AcledArgs {
    /// The ACLED-format CSV file.
    file: PathBuf,
    /// Site root (holds site.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Folder for the generated `acled-<year>.yaml` files, under content/incidents.
    #[arg(long, default_value = "content/incidents")]
    into: PathBuf,
    /// Create rows that may repeat a hand-written record (reported either way).
    #[arg(long)]
    allow_duplicates: bool,
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
    /// Publish into a non-empty output directory briefwerk did not create: write the site's
    /// files (replacing files of the same path), keep every other file, never touch `.git`.
    #[arg(long)]
    force: bool,
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
    /// Also check every internal link, asset and #fragment of the built site.
    #[arg(long)]
    links: bool,
    /// The built site to check with --links (default: the site's output_dir).
    #[arg(long, requires = "links")]
    output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Site root (holds site.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Port to listen on; 0 picks a free one (the URL printed says which).
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Address to listen on. The default serves this machine only; another address makes
    /// the preview readable by anyone who can reach it.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Also answer requests addressed to this host name (e.g. `laptop.local` when previewing
    /// on a phone); repeatable. Loopback names and the address listened on always work.
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_host: Vec<String>,
    /// Include drafts.
    #[arg(long)]
    drafts: bool,
    /// Open the site in a browser once it is built.
    #[arg(long)]
    open: bool,
}

#[derive(Debug, clap::Args)]
struct NewArgs {
    /// What to create.
    #[arg(value_enum)]
    kind: NewKind,
    /// Title (a group's name); the id is made from it. For a digest: the country code.
    title: String,
    /// For a digest only: the month it assesses, YYYY-MM (`new digest ML 2017-06`).
    #[arg(value_name = "MONTH")]
    month: Option<String>,
    /// Site root (holds site.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Date as YYYY, YYYY-MM or YYYY-MM-DD: required for incidents, today by default for
    /// briefings, the founding date of a group.
    #[arg(long)]
    date: Option<String>,
    /// A group id, repeatable: an incident's or briefing's groups, a group's affiliations.
    #[arg(long = "group", value_name = "ID")]
    groups: Vec<String>,
    /// ISO 3166-1 alpha-2 code: an incident's country, a group's area (repeatable:
    /// `--country DZ --country ML`). Lower case is accepted.
    #[arg(long = "country", value_name = "CC")]
    countries: Vec<String>,
    /// Use this id instead of the one made from date and title.
    #[arg(long)]
    id: Option<String>,
    /// Translate instead: the title is then the id of an existing record (`_index` for the
    /// home introduction), and its words are copied into `<id>.<LANG>.md` beside it as a
    /// start. LANG is one of site.yaml's `languages` other than the default.
    #[arg(long, value_name = "LANG", conflicts_with_all = ["date", "groups", "countries", "id", "month"])]
    lang: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum NewKind {
    Incident,
    Group,
    Briefing,
    Page,
    /// An analyst's assessment of a country's month: `new digest ML 2017-06`.
    Digest,
}

#[derive(Debug, clap::Args)]
struct InitArgs {
    /// Directory of the new site (created if missing).
    dir: PathBuf,
    /// Also write into a non-empty directory (existing files are never overwritten).
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

/// How much to say.
#[derive(Debug, Clone, Copy)]
struct Ui {
    quiet: bool,
    verbose: bool,
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn print_diags(d: &Diagnostics, format: Format) {
    if d.is_empty() {
        return;
    }
    match format {
        Format::Json => out!("{}", d.to_json_lines()),
        Format::Human => err!("{}", d.render(color())),
    }
}

/// Shows `e` and returns its exit status (decided by [`Error::exit_code`], nowhere else).
fn fail(e: Error, format: Format) -> ExitCode {
    let code = ExitCode::from(e.exit_code());
    match e {
        Error::Invalid(d) => {
            print_diags(&d, format);
            errln!("{}", d.summary());
        }
        Error::Denied(d) => {
            print_diags(&d, format);
            errln!("{} (denied by --deny-warnings)", d.summary());
        }
        other => errln!("error: {other}"),
    }
    code
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn ms(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

fn no_site(root: &Path) -> Option<ExitCode> {
    // Present in any form: a link or a FIFO in its place is refused by `config::load`
    // with its own message, not called missing.
    if root.join("site.yaml").symlink_metadata().is_ok() {
        return None;
    }
    errln!(
        "error: no site.yaml in `{}` (use --root to point at a site)",
        root.display()
    );
    Some(ExitCode::from(2))
}

/// A spinner naming the current stage, on standard error, only for a person watching a
/// terminal: never with `--quiet`, when standard error is piped, or in CI.
struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn new(ui: Ui, stage: &'static str) -> Progress {
        if ui.quiet || !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
            return Progress(None);
        }
        let bar = indicatif::ProgressBar::new_spinner();
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
            bar.set_style(style);
        }
        bar.set_message(stage);
        bar.enable_steady_tick(Duration::from_millis(100));
        Progress(Some(bar))
    }

    fn done(self) {
        if let Some(bar) = self.0 {
            bar.finish_and_clear();
        }
    }
}

/// Runs the parsed command line and returns the process exit code
/// (0 ok, 1 content errors or a refusal, 2 could not run).
pub fn run(cli: Cli) -> ExitCode {
    let ui = Ui {
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    match cli.command {
        Command::Build(a) => build(a, ui),
        Command::Check(a) => check(a, ui),
        Command::Serve(a) => serve(a, ui),
        Command::New(a) => new(a, ui),
        Command::Init(a) => init(a, ui),
        Command::Import(ImportCommand::Acled(a)) => import_acled(a, ui),
    }
}

fn import_acled(a: AcledArgs, ui: Ui) -> ExitCode {
    use briefwerk::import::printable as p;
    if let Some(code) = no_site(&a.root) {
        return code;
    }
    // Everything printed goes through `printable`: a CSV from a stranger must not be able to
    // move the cursor, retitle the terminal or hide text with escape sequences.
    let file = a.file.display().to_string();
    let opts = briefwerk::import::ImportOptions {
        allow_duplicates: a.allow_duplicates,
    };
    match briefwerk::import::import_acled_with(&a.root, &a.file, &a.into, opts) {
        Ok(r) => {
            for m in &r.malformed {
                errln!("warning: {}:{}: {}", p(&file), m.line, p(&m.message));
            }
            for m in &r.cleaned {
                errln!("note: {}:{}: {}", p(&file), m.line, p(&m.message));
            }
            for s in &r.skipped {
                errln!(
                    "note: {}:{}: `{}` is already defined in {}; left alone",
                    p(&file),
                    s.line,
                    p(&s.id),
                    p(&s.file)
                );
            }
            for d in &r.duplicates {
                errln!(
                    "note: {}:{}: `{}` may be the same event as `{}` in {} (possible-duplicate); {}",
                    p(&file),
                    d.line,
                    p(&d.id),
                    p(&d.of),
                    p(&d.file),
                    if d.created {
                        "created all the same (--allow-duplicates)"
                    } else {
                        "not created: link it by hand (`same_event_as`), or import with --allow-duplicates"
                    }
                );
            }
            if r.duplicates_unchecked {
                errln!(
                    "warning: the site has errors, so rows were not compared with hand-written records; run `briefwerk check`"
                );
            }
            if !r.unmatched_actors.is_empty() {
                errln!(
                    "perpetrators (actor1, assoc_actor_1) matched to no group, left out of `groups`; if one is a group you profile, add the name as its `acled_actor` or an alias (actor2 and its associates are imported as targets):"
                );
                for u in &r.unmatched_actors {
                    errln!("  {:>5} × {}", u.rows, p(&u.name));
                }
            }
            if !ui.quiet {
                for f in &r.files_written {
                    errln!("wrote {}", p(&f.display().to_string()));
                }
            }
            let held = r.duplicates.iter().filter(|d| !d.created).count();
            let mut summary = format!(
                "imported {} rows: {} created, {} updated, {} unchanged, {} malformed",
                r.rows,
                r.created,
                r.updated,
                r.unchanged,
                r.malformed.len()
            );
            if held > 0 {
                summary.push_str(&format!(", {} not created as possible duplicates", held));
            }
            if r.malformed.is_empty() {
                if !ui.quiet {
                    errln!("{summary}");
                }
                ExitCode::SUCCESS
            } else {
                // The last line says the import is incomplete, even with --quiet.
                errln!(
                    "{summary}; error: {} left out (see the warnings above); the other rows were imported",
                    count(
                        r.malformed.len(),
                        "malformed row was",
                        "malformed rows were"
                    )
                );
                ExitCode::from(1)
            }
        }
        // Diagnostics (a file refused by the site guard) print as everywhere else.
        Err(e @ Error::Invalid(_)) => fail(e, Format::Human),
        Err(e) => {
            errln!("error: {}", p(&e.to_string()));
            ExitCode::from(e.exit_code())
        }
    }
}

fn build(a: BuildArgs, ui: Ui) -> ExitCode {
    if let Some(code) = no_site(&a.root) {
        return code;
    }
    let opts = BuildOptions {
        output: a.output,
        base_url: a.base_url,
        drafts: a.drafts,
        force: a.force,
    };
    // One run: with --deny-warnings, warnings stop it before anything is published.
    let run = briefwerk::pipeline::Options {
        build: opts,
        publish: true,
        deny_warnings: a.deny_warnings,
    };
    let progress = Progress::new(ui, "building");
    let built = briefwerk::pipeline::run(&a.root, &run);
    progress.done();
    match built {
        Ok(r) => {
            if !ui.quiet {
                print_diags(&r.warnings, a.format);
            }
            if !ui.quiet {
                errln!(
                    "built {} ({}, {}, {}) in {}",
                    count(r.pages, "page", "pages"),
                    count(r.incidents, "incident", "incidents"),
                    count(r.groups, "group", "groups"),
                    count(r.briefings, "briefing", "briefings"),
                    ms(r.elapsed)
                );
            }
            if ui.verbose {
                print_timings(&r.timings);
                errln!(
                    "wrote {} into {} ({} unchanged, {} removed)",
                    count(r.written.written, "file", "files"),
                    r.output_dir.display(),
                    r.written.unchanged,
                    r.written.removed
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e, a.format),
    }
}

/// `check --links`: every internal link of the built site must resolve.
fn check_built_links(a: &CheckArgs, opts: &BuildOptions) -> ExitCode {
    let config = match briefwerk::config::load(&a.root, opts) {
        Ok(c) => c,
        Err(e) => return fail(e, a.format),
    };
    let out = a
        .output
        .clone()
        .unwrap_or_else(|| config.output_dir.clone());
    if !out
        .join(briefwerk::routes::page_file(briefwerk::routes::HOME))
        .is_file()
    {
        errln!(
            "error: no built site in `{}`: run `briefwerk build` first",
            out.display()
        );
        return ExitCode::from(2);
    }
    match briefwerk::links::check_links(&out, &config.base_url) {
        Ok(report) => {
            print_diags(&report.diagnostics, a.format);
            errln!("{}", report.summary());
            if report.broken() > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => fail(e, a.format),
    }
}

fn print_timings(t: &briefwerk::Timings) {
    for (stage, d) in &t.0 {
        errln!("  {stage:<9} {:>8.1} ms", d.as_secs_f64() * 1000.0);
    }
}

fn check(a: CheckArgs, ui: Ui) -> ExitCode {
    if let Some(code) = no_site(&a.root) {
        return code;
    }
    let opts = BuildOptions {
        drafts: a.drafts,
        ..BuildOptions::default()
    };
    let progress = Progress::new(ui, "checking");
    let checked = briefwerk::check(&a.root, &opts);
    let files = briefwerk::checked_files(&a.root);
    progress.done();
    match checked {
        Ok(r) => {
            print_diags(&r.warnings, a.format);
            if !ui.quiet {
                for c in &r.coverage {
                    errln!("{}", c.line());
                }
            }
            check_summary(
                &r.warnings,
                files,
                a.format,
                ui.quiet && r.warnings.is_empty(),
            );
            if ui.verbose {
                print_timings(&r.timings);
                errln!(
                    "rendered {} without writing them, in {}",
                    count(r.files, "file", "files"),
                    ms(r.elapsed)
                );
            }
            if a.links {
                let code = check_built_links(&a, &opts);
                if code != ExitCode::SUCCESS {
                    return code;
                }
            }
            if a.deny_warnings && !r.warnings.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(Error::Invalid(d)) => {
            print_diags(&d, a.format);
            check_summary(&d, files, a.format, false);
            ExitCode::from(1)
        }
        Err(e) => fail(e, a.format),
    }
}

/// `check`'s last line (`checked 12 files: 0 errors, 0 warnings`) on standard error, and
/// with `--format json` the same counts as the last JSON line on standard output.
fn check_summary(d: &Diagnostics, files: usize, format: Format, quiet: bool) {
    if let Format::Json = format {
        outln!("{}", d.check_summary_json(files));
    }
    if !quiet {
        errln!("{}", d.check_summary(files));
    }
}

fn serve(a: ServeArgs, ui: Ui) -> ExitCode {
    use briefwerk::serve::{Event, ServeOptions, Server};

    if let Some(code) = no_site(&a.root) {
        return code;
    }
    let opts = ServeOptions {
        root: a.root,
        bind: a.bind,
        port: a.port,
        drafts: a.drafts,
        allowed_hosts: a.allow_host,
        ..ServeOptions::default()
    };
    let server = match Server::bind(opts) {
        Ok(s) => s,
        Err(e) => return fail(e, Format::Human),
    };
    let stop = server.stop_handle();
    if let Err(e) = ctrlc::set_handler(move || stop.stop()) {
        errln!("warning: cannot catch Ctrl-C ({e}); stopping may leave a temporary folder behind");
    }
    if !a.bind.is_loopback() && !ui.quiet {
        errln!(
            "warning: listening on {}: anyone who can reach this address can read the site",
            a.bind
        );
    }
    let mut progress = Some(Progress::new(ui, "building"));
    let mut last_warnings = Diagnostics::default();
    let result = server.run(|event| match event {
        Event::Listening {
            url,
            elsewhere,
            output_dir,
        } => {
            if let Some(p) = progress.take() {
                p.done();
            }
            // The one line on standard output, so scripts and tests can read the URL.
            outln!("serving {url}");
            for other in &elsewhere {
                errln!("from other machines: {other}");
            }
            if ui.verbose {
                errln!("output in {}", output_dir.display());
            }
            if !ui.quiet {
                errln!("watching for changes; Ctrl-C stops");
            }
            if a.open {
                open_browser(&url);
            }
        }
        Event::Changed(paths) => {
            if ui.verbose {
                errln!("changed: {}", paths.join(", "));
            }
        }
        Event::Built { first, report: r } => {
            if let Some(p) = progress.take() {
                p.done();
            }
            if r.warnings != last_warnings {
                print_diags(&r.warnings, Format::Human);
                last_warnings = r.warnings.clone();
            }
            if !ui.quiet {
                let what = if first { "built" } else { "rebuilt" };
                let write = r.timings.of("write");
                let mut line = format!(
                    "{what} {} in {}: {} written, {} removed",
                    count(r.pages, "page", "pages"),
                    ms(r.elapsed),
                    r.written.written,
                    r.written.removed
                );
                if !first && r.rendered < r.pages {
                    line.push_str(&format!(" ({} rendered again)", r.rendered));
                }
                if !r.warnings.is_empty() {
                    line.push_str(&format!(", {}", r.warnings.summary()));
                }
                if ui.verbose {
                    line.push_str(&format!(
                        " (render {}, write {})",
                        ms(r.elapsed.saturating_sub(write)),
                        ms(write)
                    ));
                }
                errln!("{line}");
            }
        }
        Event::Failed(e) => {
            if let Some(p) = progress.take() {
                p.done();
            }
            match e {
                Error::Invalid(d) => {
                    print_diags(&d, Format::Human);
                    errln!("{}", d.summary());
                }
                other => errln!("error: {other}"),
            }
            last_warnings = Diagnostics::default();
            errln!(
                "still serving the last good build; pages show the errors until the files are fixed"
            );
        }
        Event::WatchError(e) => errln!("warning: file watcher: {e}"),
        Event::Stopped => {
            if !ui.quiet {
                errln!("stopped");
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e, Format::Human),
    }
}

/// Opens `url` in the desktop's browser, best effort.
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let spawned = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        // Reap it in the background so it does not linger as a zombie.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => errln!("could not open a browser ({program}: {e}); open {url} yourself"),
    }
}

fn new(a: NewArgs, ui: Ui) -> ExitCode {
    use briefwerk::new::{Kind, NewRecord};

    if let Some(code) = no_site(&a.root) {
        return code;
    }
    let kind = match a.kind {
        NewKind::Incident => Kind::Incident,
        NewKind::Group => Kind::Group,
        NewKind::Briefing => Kind::Briefing,
        NewKind::Page => Kind::Page,
        NewKind::Digest => Kind::Digest,
    };
    if let Some(lang) = a.lang {
        let t = briefwerk::new::Translate {
            kind,
            id: a.title,
            lang,
        };
        return created(briefwerk::new::translate(&a.root, &t), ui);
    }
    // A second word is a digest's month; anywhere else it is most likely an unquoted title.
    let date = match (kind, a.month, a.date) {
        (Kind::Digest, Some(m), None) => Some(m),
        (Kind::Digest, Some(_), Some(_)) => {
            errln!("error: give a digest's month once: `briefwerk new digest ML 2017-06`");
            return ExitCode::from(1);
        }
        (_, Some(extra), _) if kind != Kind::Digest => {
            errln!(
                "error: unexpected argument `{extra}` after the title\nhelp: quote a title of several words: `briefwerk new {} \"{} {extra}\"`",
                kind.name(),
                a.title
            );
            return ExitCode::from(1);
        }
        (_, _, date) => date,
    };
    let rec = NewRecord {
        kind,
        title: a.title,
        date,
        id: a.id,
        groups: a.groups,
        countries: a.countries,
    };
    let today = chrono::Local::now().date_naive();
    created(briefwerk::new::create(&a.root, &rec, today), ui)
}

/// What `new` prints for the file it wrote (its path), or for why it wrote none.
fn created(result: Result<std::path::PathBuf, Error>, ui: Ui) -> ExitCode {
    match result {
        Ok(path) => {
            let shown = path.strip_prefix(".").unwrap_or(&path);
            outln!("{}", shown.display());
            if ui.verbose {
                errln!(
                    "fill in the fields, then `briefwerk check` (or keep `briefwerk serve` open)"
                );
            }
            ExitCode::SUCCESS
        }
        // Problems with what was asked are not problems of the site: no summary line.
        Err(Error::Invalid(d)) => {
            print_diags(&d, Format::Human);
            ExitCode::from(1)
        }
        Err(e) => fail(e, Format::Human),
    }
}

fn init(a: InitArgs, ui: Ui) -> ExitCode {
    match briefwerk::init::init(&a.dir, a.force) {
        Ok(r) => {
            if !ui.quiet {
                errln!(
                    "created a new site in {} ({})",
                    a.dir.display(),
                    count(r.written.len(), "file", "files")
                );
                if !r.kept.is_empty() {
                    errln!(
                        "kept {} that already existed",
                        count(r.kept.len(), "file", "files")
                    );
                }
                errln!("next: cd {} && briefwerk serve --open", a.dir.display());
            }
            if ui.verbose {
                for f in &r.written {
                    errln!("  wrote {f}");
                }
                for f in &r.kept {
                    errln!("  kept  {f}");
                }
            }
            ExitCode::SUCCESS
        }
        // A refusal (non-empty directory) exits 1, I/O 2: `Error::exit_code` decides.
        Err(e) => fail(e, Format::Human),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_app() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_work_after_the_subcommand() {
        let cli = Cli::try_parse_from([
            "briefwerk",
            "new",
            "incident",
            "T",
            "--date",
            "2019",
            "--group",
            "a",
            "--group",
            "b",
            "-q",
        ])
        .unwrap();
        assert!(cli.quiet && !cli.verbose);
        let Command::New(a) = cli.command else {
            panic!()
        };
        assert_eq!(a.groups, ["a", "b"]);
        assert!(Cli::try_parse_from(["briefwerk", "build", "--quiet", "--verbose"]).is_err());
        let cli = Cli::try_parse_from(["briefwerk", "serve", "--port", "0", "--verbose"]).unwrap();
        let Command::Serve(s) = cli.command else {
            panic!()
        };
        assert_eq!((s.port, s.bind.to_string().as_str()), (0, "127.0.0.1"));
    }
}
