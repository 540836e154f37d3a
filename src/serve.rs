//! `briefwerk serve` (issue 5): build, serve over HTTP, watch, rebuild, and reload every open
//! page by itself.
//!
//! Takes [`ServeOptions`]; builds the site with [`crate::render_site`] into a private temporary
//! directory (outside the site, removed on stop) with `base_url` pointing at the server;
//! serves that directory and nothing else; watches `content/`, `themes/`, `templates/`,
//! `static/` and `site.yaml`, debounced so that an editor's save-by-rename makes one rebuild.
//! A rebuild writes only the files whose bytes changed (their hashes from the previous build
//! are kept in memory). Open pages learn about it over server-sent events from
//! `/__briefwerk/events`: `reload` after a good build, `error` (the diagnostics as escaped
//! HTML, shown as an overlay) after a bad one, while the last good site keeps being served.
//! The script that listens is injected into HTML responses here, at serve time only; `build`
//! output never contains it.
//!
//! The library never prints: what happens is reported through [`Event`]s to the caller.
//! One thread per connection, so a long-lived event stream never holds up a page request.
//! What a client may hold is bounded by [`Limits`] (issue 14): the whole request head must
//! arrive within a deadline, connections and event streams are capped in all and per peer
//! address, and a connection still waiting for its head is closed to make room for a new
//! one, so slow clients cannot starve the others. The shared state is [`Live`] (behind one
//! mutex and a condvar) and the table of open connections.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash as _, Hasher as _};
use std::io::{BufRead, BufReader, Write as _};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher as _};

use crate::config::BuildOptions;
use crate::error::Error;
use crate::output::{self, WriteStats};
use crate::render::OutputFile;

/// Quiet time after the last file event before a rebuild starts. Long enough to fold an
/// editor's write-temp/rename/chmod into one batch, short enough to feel immediate.
const DEBOUNCE: Duration = Duration::from_millis(150);
/// Longest a rebuild waits for events to settle.
const MAX_DEBOUNCE: Duration = Duration::from_secs(1);
/// Requests served on one keep-alive connection before it is closed.
const MAX_REQUESTS_PER_CONNECTION: usize = 1000;
/// Longest a single write may stall (the whole response has [`Limits::write_deadline`]).
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// How often an idle event stream checks whether its page went away, so a closed tab gives
/// its place back within a second rather than at the next ping.
const STREAM_CHECK: Duration = Duration::from_secs(1);
/// Interval of keep-alive comments on event streams (finds clients that went away).
const PING: Duration = Duration::from_secs(15);
/// Longest request head (request line and headers) accepted; browsers send 1–2 KiB.
const MAX_HEAD: usize = 16 * 1024;
/// Most header lines in a request head.
const MAX_HEADER_LINES: usize = 100;
/// URL prefix of the server's own endpoints (no site path can start with `_`).
const INTERNAL: &str = "/__briefwerk/";

/// The script every served HTML page loads: listens for `reload` and `error` events and shows
/// errors in an overlay. The diagnostics arrive already escaped as HTML.
const LIVE_JS: &str = r#"(function () {
  "use strict";
  var me = document.currentScript;
  var generation = (me && me.getAttribute("data-generation")) || "";
  var overlay = null;
  function show(html) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "briefwerk-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(24,24,24,.97);color:#f2f2f2;padding:2rem;text-align:left;" +
        "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
      overlay.innerHTML = '<p style="margin:0 0 1rem;font-weight:bold;color:#ff9e80">' +
        "briefwerk: the last edit has errors. This is the last good build; " +
        "fix the file and the page reloads.</p>" +
        '<pre style="white-space:pre-wrap;margin:0 0 1rem"></pre>' +
        '<button type="button">Hide</button>';
      overlay.querySelector("button").onclick = function () {
        overlay.remove();
        overlay = null;
      };
      document.body.appendChild(overlay);
    }
    overlay.querySelector("pre").innerHTML = html;
  }
  var events = new EventSource("/__briefwerk/events?generation=" + encodeURIComponent(generation));
  events.addEventListener("reload", function () {
    events.close();
    location.reload();
  });
  events.addEventListener("error", function (e) {
    // The browser fires a plain `error` when the connection drops (it reconnects by
    // itself); ours carries data.
    if (typeof e.data === "string") show(e.data);
  });
})();
"#;

/// What `serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Site root (holds site.yaml).
    pub root: PathBuf,
    /// Address to listen on (loopback unless the editor asks otherwise).
    pub bind: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Include drafts.
    pub drafts: bool,
    /// Host names answered to besides loopback ones and the address listened on
    /// (`--allow-host`); any other `Host` is refused (DNS rebinding).
    pub allowed_hosts: Vec<String>,
    /// Bounds on what clients may hold.
    pub limits: Limits,
}

/// Bounds on what clients may hold. The defaults are what `briefwerk serve` uses; tests
/// shorten them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Longest wait for a complete request head, counted from the moment the server starts
    /// waiting for it (also how long a kept-alive connection may sit idle).
    pub head_deadline: Duration,
    /// Longest time to send one response (or one event).
    pub write_deadline: Duration,
    /// Connections served at once; each costs one thread.
    pub max_connections: usize,
    /// Connections at once from one peer address.
    pub max_connections_per_peer: usize,
    /// Live-reload event streams open at once.
    pub max_event_streams: usize,
    /// Live-reload event streams open at once from one peer address.
    pub max_event_streams_per_peer: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            head_deadline: Duration::from_secs(10),
            write_deadline: Duration::from_secs(60),
            max_connections: 1024,
            max_connections_per_peer: 256,
            max_event_streams: 256,
            max_event_streams_per_peer: 64,
        }
    }
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            root: PathBuf::from("."),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            drafts: false,
            allowed_hosts: Vec::new(),
            limits: Limits::default(),
        }
    }
}

/// What one build in `serve` did.
#[derive(Debug)]
pub struct Rebuilt {
    /// True for the build made at start-up.
    pub first: bool,
    /// HTML pages in the site.
    pub pages: usize,
    /// Pages rendered by this build (the others could not have changed).
    pub rendered: usize,
    /// What the write did.
    pub written: WriteStats,
    /// Time spent reading, validating and rendering.
    pub render: Duration,
    /// Time spent writing changed files.
    pub write: Duration,
    /// Warnings of the build.
    pub warnings: crate::Diagnostics,
}

/// Something the caller may want to tell the editor about.
#[derive(Debug)]
pub enum Event {
    /// The server accepts connections at `url`.
    Listening {
        /// The site's address, e.g. `http://127.0.0.1:1111/`.
        url: String,
        /// The private directory the site is built into.
        output_dir: PathBuf,
    },
    /// Files changed (paths relative to the site root); a rebuild follows.
    Changed(Vec<String>),
    /// A build succeeded and is being served.
    Built(Rebuilt),
    /// A build failed; the previous good site is still served and pages show the error.
    Failed(Error),
    /// The file watcher reported a problem (the server goes on).
    WatchError(String),
    /// The server stopped and removed its output directory.
    Stopped,
}

enum Msg {
    Files(Vec<PathBuf>),
    WatchError(String),
    Stop,
}

/// Stops a running [`Server`] from another thread (e.g. a Ctrl-C handler).
#[derive(Debug, Clone)]
pub struct StopHandle(Sender<Msg>);

impl std::fmt::Debug for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Msg::Files(_) => "Files",
            Msg::WatchError(_) => "WatchError",
            Msg::Stop => "Stop",
        })
    }
}

impl StopHandle {
    /// Asks the server to stop; [`Server::run`] returns soon after.
    pub fn stop(&self) {
        let _ = self.0.send(Msg::Stop);
    }
}

/// A bound server, ready to [`run`](Server::run).
pub struct Server {
    opts: ServeOptions,
    root: PathBuf,
    listener: TcpListener,
    addr: SocketAddr,
    url: String,
    tmp: tempfile::TempDir,
    out: PathBuf,
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("url", &self.url)
            .field("out", &self.out)
            .finish()
    }
}

impl Server {
    /// Binds the port (so that `port: 0` is resolved) and creates the private output directory.
    pub fn bind(mut opts: ServeOptions) -> Result<Server, Error> {
        opts.allowed_hosts = opts
            .allowed_hosts
            .iter()
            .map(|n| allowed_name(n))
            .collect::<Result<_, _>>()?;
        let root = opts
            .root
            .canonicalize()
            .map_err(|e| Error::io(&opts.root, e))?;
        let listener = TcpListener::bind((opts.bind, opts.port)).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                Error::Other(format!(
                    "port {} is already in use on {}; pass another `--port`, or `--port 0` for any free one",
                    opts.port, opts.bind
                ))
            } else {
                Error::Other(format!("cannot listen on {}:{}: {e}", opts.bind, opts.port))
            }
        })?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::Other(format!("cannot read the bound address: {e}")))?;
        // Links must work in a browser: an unspecified address (0.0.0.0) is not one to visit.
        let host = if addr.ip().is_unspecified() {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
        } else {
            addr
        };
        let url = format!("http://{host}/");
        let tmp = tempfile::Builder::new()
            .prefix("briefwerk-serve-")
            .tempdir()
            .map_err(|e| Error::io(std::env::temp_dir(), e))?;
        let out = tmp.path().join("public");
        let (tx, rx) = channel();
        Ok(Server {
            opts,
            root,
            listener,
            addr,
            url,
            tmp,
            out,
            tx,
            rx,
        })
    }

    /// The address to open in a browser, ending in `/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Where the site is built (a private temporary directory).
    pub fn output_dir(&self) -> &Path {
        &self.out
    }

    /// A handle that stops the server from another thread.
    pub fn stop_handle(&self) -> StopHandle {
        StopHandle(self.tx.clone())
    }

    /// Builds, serves and rebuilds until stopped. Reports what happens through `on_event`.
    pub fn run(self, mut on_event: impl FnMut(Event)) -> Result<(), Error> {
        let Server {
            opts,
            root,
            listener,
            addr,
            url,
            tmp,
            out,
            tx,
            rx,
        } = self;
        let build_opts = BuildOptions {
            output: Some(out.clone()),
            base_url: Some(url.clone()),
            drafts: opts.drafts,
            // The private output is patched in place between full builds (`write_changed`),
            // so its manifest lags: a full build adopts what is there.
            force: true,
        };
        let mut builder = Builder {
            root: root.clone(),
            session: crate::rebuild::Session::new(&root, build_opts.clone()),
            opts: build_opts,
            out: out.clone(),
            hashes: HashMap::new(),
        };
        // Watch before the first build, so that no edit made after start-up goes unnoticed.
        let mut watcher = Watcher::new(&root, tx.clone())?;
        let watch_problems = watcher.add_new_dirs(&root);
        let first = builder.build(true, &[]);
        std::fs::create_dir_all(&out).map_err(|e| Error::io(&out, e))?;
        let out_canon = out.canonicalize().map_err(|e| Error::io(&out, e))?;
        let shared = Arc::new(Shared {
            out: out_canon,
            limits: opts.limits.clone(),
            hosts: Hosts {
                bound: addr.ip(),
                names: opts.allowed_hosts.clone(),
            },
            live: Mutex::new(Live::default()),
            changed: Condvar::new(),
            conns: Mutex::default(),
        });
        for problem in watch_problems {
            on_event(Event::WatchError(problem));
        }
        report(&shared, first, &mut on_event);

        let accept = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("briefwerk-accept".into())
                .spawn(move || accept_loop(&listener, &shared))
                .map_err(|e| Error::Other(format!("cannot start the server thread: {e}")))?
        };
        on_event(Event::Listening {
            url,
            output_dir: out.clone(),
        });

        while let Ok(first) = rx.recv() {
            let mut paths = BTreeSet::new();
            // Debounce: wait until the events stop for a moment (an editor's save is several:
            // write a temporary file, rename it over the old one, change its mode), but never
            // longer than MAX_DEBOUNCE, so a stream of changes cannot hold rebuilds back.
            let started = Instant::now();
            let mut next = Some(first);
            let mut stop = false;
            while let Some(msg) = next.take() {
                match msg {
                    Msg::Files(p) => paths.extend(p),
                    Msg::WatchError(e) => on_event(Event::WatchError(e)),
                    Msg::Stop => stop = true,
                }
                if stop || started.elapsed() > MAX_DEBOUNCE {
                    break;
                }
                next = rx.recv_timeout(DEBOUNCE).ok();
            }
            if stop {
                break;
            }
            let relevant: Vec<String> = paths.iter().filter_map(|p| relevant(&root, p)).collect();
            if relevant.is_empty() {
                continue;
            }
            on_event(Event::Changed(relevant.clone()));
            for problem in watcher.add_new_dirs(&root) {
                on_event(Event::WatchError(problem));
            }
            let result = builder.build(false, &relevant);
            report(&shared, result, &mut on_event);
        }

        drop(watcher);
        {
            let mut live = shared.lock();
            live.shutdown = true;
        }
        shared.changed.notify_all();
        // Wake the accept loop so it sees the shutdown flag.
        let wake = if addr.ip().is_unspecified() {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
        } else {
            addr
        };
        let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
        let _ = accept.join();
        // Connection threads still finishing a response may fail now; the site is going away.
        drop(tmp);
        on_event(Event::Stopped);
        Ok(())
    }
}

/// Updates the live state after a build and reports it.
fn report(shared: &Shared, result: Result<Rebuilt, Error>, on_event: &mut dyn FnMut(Event)) {
    match result {
        Ok(r) => {
            {
                let mut live = shared.lock();
                let changed = r.written.written + r.written.removed > 0;
                // A fixed error must clear the overlay even when the output is unchanged.
                if changed || live.error.is_some() || r.first {
                    live.generation += 1;
                }
                live.error = None;
                live.version += 1;
            }
            shared.changed.notify_all();
            on_event(Event::Built(r));
        }
        Err(e) => {
            {
                let mut live = shared.lock();
                let html = error_html(&e);
                // The same errors again (another save of a still-broken file) need no new event.
                if live.error.as_deref() != Some(html.as_str()) {
                    live.error = Some(html);
                    live.version += 1;
                }
            }
            shared.changed.notify_all();
            on_event(Event::Failed(e));
        }
    }
}

/// The diagnostics of a failed build as escaped HTML for the overlay.
fn error_html(e: &Error) -> String {
    let text = match e {
        Error::Invalid(d) => format!("{}{}", d.render(false), d.summary()),
        other => format!("error: {other}"),
    };
    escape_html(&text)
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Builds the site and writes what changed since the previous build.
struct Builder {
    root: PathBuf,
    opts: BuildOptions,
    session: crate::rebuild::Session,
    out: PathBuf,
    /// Hash of every file of the last written build, by output path.
    hashes: HashMap<String, u64>,
}

fn hash_bytes(b: &[u8]) -> u64 {
    // SipHash with fixed keys: not for adversaries, only to notice that a page changed.
    let mut h = std::hash::DefaultHasher::new();
    b.hash(&mut h);
    h.finish()
}

/// Keeps the hash of every file and the bytes of those that differ from the last build.
struct Changes<'a> {
    old: &'a HashMap<String, u64>,
    hashes: Mutex<HashMap<String, u64>>,
    changed: Mutex<Vec<OutputFile>>,
}

impl crate::render::Sink for Changes<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        let h = hash_bytes(&file.bytes);
        let same = self.old.get(&file.path) == Some(&h);
        self.hashes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(file.path.clone(), h);
        if !same {
            self.changed
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(file);
        }
        Ok(())
    }
}

impl Builder {
    /// Builds after `changed` (root-relative paths) changed, writing what differs.
    fn build(&mut self, first: bool, changed: &[String]) -> Result<Rebuilt, Error> {
        let start = Instant::now();
        let changes = Changes {
            old: &self.hashes,
            hashes: Mutex::default(),
            changed: Mutex::default(),
        };
        let built = self.session.build(changed, &changes)?;
        let render = start.elapsed();
        let start = Instant::now();
        let mut new = changes
            .hashes
            .into_inner()
            .unwrap_or_else(|p| p.into_inner());
        // Files not rendered this time are as they were.
        for page in &built.skipped {
            if !new.contains_key(page)
                && let Some(h) = self.hashes.get(page)
            {
                new.insert(page.clone(), *h);
            }
        }
        let mut files = changes
            .changed
            .into_inner()
            .unwrap_or_else(|p| p.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let written = if self.hashes.is_empty() {
            output::write_site(&self.out, &files)?
        } else {
            match write_changed(&self.out, &files, &self.hashes, &new) {
                Ok(s) => s,
                // Something unexpected on disk (a file where a folder should be, say): a
                // full build's comparison with the disk sorts it out.
                Err(_) => {
                    self.hashes.clear();
                    self.session.reset();
                    crate::build(&self.root, &self.opts).map(|r| r.written)?
                }
            }
        };
        self.hashes = new;
        Ok(Rebuilt {
            first,
            pages: built.pages,
            rendered: built.rendered,
            written,
            render,
            write: start.elapsed(),
            warnings: built.warnings,
        })
    }
}

/// Writes the files whose hash changed (to a temporary name, then renamed, so a request never
/// sees half a file) and removes those the new build no longer has.
fn write_changed(
    out: &Path,
    files: &[OutputFile],
    old: &HashMap<String, u64>,
    new: &HashMap<String, u64>,
) -> std::io::Result<WriteStats> {
    let mut stats = WriteStats::default();
    for f in files {
        if old.get(&f.path) == new.get(&f.path) && out.join(&f.path).is_file() {
            stats.unchanged += 1;
            continue;
        }
        if !safe_relative(&f.path) {
            return Err(std::io::Error::other(format!(
                "unsafe output path {}",
                f.path
            )));
        }
        let path = output::checked_target(out, &f.path)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
        std::fs::write(&tmp, &f.bytes)?;
        std::fs::rename(&tmp, &path)?;
        stats.written += 1;
    }
    for gone in old.keys().filter(|p| !new.contains_key(*p)) {
        let path = output::checked_target(out, gone)?;
        match std::fs::remove_file(&path) {
            Ok(()) => stats.removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        // Empty folders go with their last file; a non-empty one refuses, which is fine.
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == out || std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(stats)
}

fn safe_relative(p: &str) -> bool {
    let path = Path::new(p);
    !p.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Watches the sources of the site.
struct Watcher {
    watcher: notify::RecommendedWatcher,
    watched: BTreeSet<PathBuf>,
    /// Folders whose watch failed (reported once, retried at every rebuild).
    failed: BTreeSet<PathBuf>,
}

/// Folders watched recursively, when they exist.
const WATCHED_DIRS: &[&str] = &["content", "themes", "templates", "static"];

impl Watcher {
    fn new(root: &Path, tx: Sender<Msg>) -> Result<Watcher, Error> {
        let handler = move |res: notify::Result<notify::Event>| {
            let msg = match res {
                // Reads are not changes: inotify reports every open, including the build's
                // own, which would otherwise rebuild forever. A close after writing is kept.
                Ok(e) if is_read(&e.kind) => return,
                Ok(e) => Msg::Files(e.paths),
                Err(e) => Msg::WatchError(e.to_string()),
            };
            let _ = tx.send(msg);
        };
        let watcher = notify::recommended_watcher(handler)
            .map_err(|e| Error::Other(format!("cannot watch the site for changes: {e}")))?;
        let mut w = Watcher {
            watcher,
            watched: BTreeSet::new(),
            failed: BTreeSet::new(),
        };
        // The root itself, not recursively: `site.yaml` is often replaced by a rename, which
        // a watch on the file alone would miss; folders created later show up here too.
        w.watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| Error::Other(format!("cannot watch {}: {e}", root.display())))?;
        Ok(w)
    }

    /// Starts watching source folders that did not exist before, or that were replaced (a
    /// folder deleted and created again, as a branch switch may do, loses its watch).
    /// Returns the problems not reported before.
    fn add_new_dirs(&mut self, root: &Path) -> Vec<String> {
        let mut problems = Vec::new();
        for d in WATCHED_DIRS {
            let p = root.join(d);
            if !p.is_dir() {
                if self.watched.remove(&p) {
                    let _ = self.watcher.unwatch(&p);
                }
                self.failed.remove(&p);
                continue;
            }
            if self.watched.contains(&p) {
                continue;
            }
            match self.watcher.watch(&p, RecursiveMode::Recursive) {
                Ok(()) => {
                    self.failed.remove(&p);
                    self.watched.insert(p);
                }
                Err(e) => {
                    if self.failed.insert(p) {
                        problems.push(format!(
                            "cannot watch {d}/ ({e}); edits there will not rebuild the site \
                             (on Linux, raise fs.inotify.max_user_watches)"
                        ));
                    }
                }
            }
        }
        problems
    }
}

fn is_read(kind: &notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, EventKind};
    matches!(kind, EventKind::Access(a) if !matches!(a, AccessKind::Close(AccessMode::Write)))
}

/// The path of a changed file relative to the root, if a change there can change the site.
fn relevant(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut comps = rel.components();
    let top = comps.next()?.as_os_str().to_str()?;
    let deeper = comps.next().is_some();
    if !(WATCHED_DIRS.contains(&top) || (top == "site.yaml" && !deeper)) {
        return None;
    }
    let name = rel.file_name()?.to_str()?;
    // Editors' swap, backup and probe files (vim writes `4913` to test a folder).
    let noise = name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913";
    if noise {
        return None;
    }
    Some(rel.to_string_lossy().replace('\\', "/"))
}

// ---------------------------------------------------------------------------------------
// HTTP

/// State shared by the build loop and the connection threads.
struct Shared {
    /// Canonical output directory: every file served lies under it.
    out: PathBuf,
    limits: Limits,
    hosts: Hosts,
    live: Mutex<Live>,
    /// Signalled whenever `live` changes.
    changed: Condvar,
    conns: Mutex<Conns>,
}

#[derive(Debug, Default)]
struct Live {
    /// Bumped by every build that changed what is served.
    generation: u64,
    /// The rendered diagnostics while the sources are broken.
    error: Option<String>,
    /// Bumped on every change of this struct.
    version: u64,
    shutdown: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Live> {
        self.live.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn conns(&self) -> MutexGuard<'_, Conns> {
        self.conns.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One open connection, as admission sees it.
#[derive(Debug)]
struct Conn {
    peer: IpAddr,
    /// A second handle on the socket, to close it when the connection is evicted.
    socket: TcpStream,
    /// Since when its thread has been waiting for a request head; `None` before the thread
    /// starts reading (its request may be there already, unread) and while a response or an
    /// event stream is being sent.
    waiting_since: Option<Instant>,
    /// A live-reload event stream.
    stream: bool,
}

/// Every open connection. Who gets in, who is closed to make room and the per-peer caps are
/// decided here, under one lock, so the counts can never drift.
#[derive(Debug, Default)]
struct Conns {
    next: u64,
    open: HashMap<u64, Conn>,
}

/// What [`Conns::admit`] decided.
#[derive(Debug, PartialEq, Eq)]
enum Admit {
    /// Admitted under this id.
    Accepted(u64),
    /// Refused, with the message for the 503.
    Refused(&'static str),
}

impl Conns {
    /// Admits a new connection from `peer`, closing a stalled one if a cap is reached.
    ///
    /// A connection still waiting for its request head costs the server a thread and gives
    /// nothing back, so it is the one that goes when room is needed (slowloris): a peer at
    /// its cap makes room from its own stalled heads; the server at its cap from those of
    /// the peer holding the most connections. A connection busy with a response or an event
    /// stream is never closed for a newcomer, nor one admitted so recently that its thread
    /// has not started reading (on a busy machine a burst of arrivals would otherwise close
    /// a request that had arrived whole); if nothing can go, the newcomer is refused.
    fn admit(&mut self, peer: IpAddr, socket: TcpStream, limits: &Limits) -> Admit {
        while self.from(peer) >= limits.max_connections_per_peer.max(1) {
            match self.stalled(Some(peer)) {
                Some(id) => self.evict(id),
                None => return Admit::Refused("too many connections from your address\n"),
            }
        }
        while self.open.len() >= limits.max_connections.max(1) {
            match self.stalled(None) {
                Some(id) => self.evict(id),
                None => return Admit::Refused("too many connections\n"),
            }
        }
        self.next += 1;
        self.open.insert(
            self.next,
            Conn {
                peer,
                socket,
                waiting_since: None,
                stream: false,
            },
        );
        Admit::Accepted(self.next)
    }

    fn from(&self, peer: IpAddr) -> usize {
        self.open.values().filter(|c| c.peer == peer).count()
    }

    /// The connection to close for room: among those waiting for a head (of `peer` only,
    /// if given), one of the peer with the most connections, the longest waiting.
    fn stalled(&self, peer: Option<IpAddr>) -> Option<u64> {
        let mut per_peer: HashMap<IpAddr, usize> = HashMap::new();
        if peer.is_none() {
            for c in self.open.values() {
                *per_peer.entry(c.peer).or_default() += 1;
            }
        }
        self.open
            .iter()
            .filter(|(_, c)| peer.is_none_or(|p| c.peer == p))
            .filter_map(|(id, c)| Some((*id, c.peer, c.waiting_since?)))
            .max_by_key(|&(id, p, since)| {
                (
                    per_peer.get(&p).copied().unwrap_or(0),
                    std::cmp::Reverse(since),
                    std::cmp::Reverse(id),
                )
            })
            .map(|(id, _, _)| id)
    }

    /// Closes a connection: its thread's blocked read returns at once and the thread ends.
    fn evict(&mut self, id: u64) {
        if let Some(c) = self.open.remove(&id) {
            let _ = c.socket.shutdown(std::net::Shutdown::Both);
        }
    }

    /// Marks a connection as waiting for a head (`Some`) or busy (`None`). False if it was
    /// evicted meanwhile (its thread must stop).
    fn set_waiting(&mut self, id: u64, since: Option<Instant>) -> bool {
        match self.open.get_mut(&id) {
            Some(c) => {
                c.waiting_since = since;
                true
            }
            None => false,
        }
    }

    /// Turns a connection into an event stream, within the caps; the message for a 503 if not.
    fn start_stream(&mut self, id: u64, limits: &Limits) -> Result<(), &'static str> {
        let Some(peer) = self.open.get(&id).map(|c| c.peer) else {
            return Err("closed\n");
        };
        let streams = || self.open.values().filter(|c| c.stream);
        if streams().count() >= limits.max_event_streams {
            return Err("too many live-reload streams\n");
        }
        if streams().filter(|c| c.peer == peer).count() >= limits.max_event_streams_per_peer {
            return Err("too many live-reload streams from your address\n");
        }
        if let Some(c) = self.open.get_mut(&id) {
            c.stream = true;
            c.waiting_since = None;
        }
        Ok(())
    }
}

/// Removes a connection from [`Conns`] when its thread ends, even by a panic.
struct ConnGuard<'a> {
    shared: &'a Shared,
    id: u64,
}

impl Drop for ConnGuard<'_> {
    fn drop(&mut self) {
        self.shared.conns().open.remove(&self.id);
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.lock().shutdown {
            break;
        }
        let stream = match stream {
            Ok(s) => s,
            Err(_) => {
                // Out of file descriptors and the like: back off instead of spinning.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        let (Ok(peer), Ok(handle)) = (stream.peer_addr(), stream.try_clone()) else {
            continue;
        };
        let admitted = shared.conns().admit(peer.ip(), handle, &shared.limits);
        let id = match admitted {
            Admit::Accepted(id) => id,
            Admit::Refused(why) => {
                let mut stream = stream;
                let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
                let _ = stream.write_all(&simple(503, "Service Unavailable", why, false));
                continue;
            }
        };
        let sh = Arc::clone(shared);
        let spawned = std::thread::Builder::new()
            .name("briefwerk-http".into())
            .spawn(move || {
                let guard = ConnGuard { shared: &sh, id };
                serve_connection(stream, &sh, guard.id);
            });
        if spawned.is_err() {
            shared.conns().evict(id);
        }
    }
}

/// A parsed request head.
#[derive(Debug)]
struct Request {
    method: String,
    target: String,
    /// HTTP/1.1 (which requires a `Host` header) rather than 1.0.
    http11: bool,
    /// The `Host` header, if there was one.
    host: Option<String>,
    keep_alive: bool,
    has_body: bool,
}

#[derive(Debug)]
enum ReadError {
    /// The client closed the connection, went quiet between requests, or was evicted:
    /// just close.
    Closed,
    /// The head did not arrive in time: answer 408, then close.
    TimedOut,
    /// Malformed: answer 400, then close.
    Bad(&'static str),
    /// Over the size or line limit: answer 431, then close.
    TooLarge,
}

/// Reads one request head within `deadline` (the whole head, not each read: a client that
/// sends a byte now and then cannot hold the connection longer), at most [`MAX_HEAD`] bytes
/// and [`MAX_HEADER_LINES`] header lines.
fn read_head(reader: &mut BufReader<TcpStream>, deadline: Instant) -> Result<Vec<u8>, ReadError> {
    let mut head = Vec::new();
    let mut line_start = 0;
    let mut lines = 0;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(if head.is_empty() {
                ReadError::Closed
            } else {
                ReadError::TimedOut
            });
        }
        let _ = reader.get_ref().set_read_timeout(Some(left));
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                continue;
            }
            Err(_) => return Err(ReadError::Closed),
        };
        if buf.is_empty() {
            return Err(if head.is_empty() {
                ReadError::Closed
            } else {
                ReadError::Bad("incomplete request head")
            });
        }
        let (take, ends_line) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if head.len() + take > MAX_HEAD {
            return Err(ReadError::TooLarge);
        }
        head.extend_from_slice(&buf[..take]);
        reader.consume(take);
        if !ends_line {
            continue;
        }
        let line = &head[line_start..];
        if line == b"\r\n" || line == b"\n" {
            if line_start == 0 {
                // Blank lines before a request are tolerated (RFC 9112 §2.2).
                head.clear();
                continue;
            }
            return Ok(head);
        }
        lines += 1;
        if lines > MAX_HEADER_LINES + 1 {
            return Err(ReadError::TooLarge);
        }
        line_start = head.len();
    }
}

/// Parses a request head. Nothing from it may reach a response header unchecked, so the
/// request target must be visible ASCII (control characters, spaces, DEL and raw non-ASCII
/// bytes are refused, not cleaned: browsers percent-encode them), and header lines may not
/// carry control characters (a bare CR, NUL) or be folded.
fn parse_head(head: &[u8]) -> Result<Request, ReadError> {
    let text =
        std::str::from_utf8(head).map_err(|_| ReadError::Bad("request head is not UTF-8"))?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Bad("malformed request line"));
    };
    if !method.bytes().all(is_token) || method.is_empty() || target.is_empty() {
        return Err(ReadError::Bad("malformed request line"));
    }
    if !target.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ReadError::Bad(
            "the request target has a control character, a space or a byte that is not \
             percent-encoded",
        ));
    }
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return Err(ReadError::Bad("only HTTP/1.0 and HTTP/1.1 are spoken here")),
    };
    let mut keep_alive = http11;
    let mut has_body = false;
    let mut host = None;
    for line in lines.filter(|l| !l.is_empty()) {
        if line.starts_with([' ', '\t']) {
            return Err(ReadError::Bad("folded header lines are not accepted"));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(ReadError::Bad("malformed header"));
        };
        if name.is_empty() || !name.bytes().all(is_token) {
            return Err(ReadError::Bad("malformed header name"));
        }
        if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
            return Err(ReadError::Bad("a header has a control character"));
        }
        let value = value.trim_matches([' ', '\t']);
        if name.eq_ignore_ascii_case("host") {
            if host.replace(value.to_string()).is_some() {
                return Err(ReadError::Bad("more than one Host header"));
            }
        } else if name.eq_ignore_ascii_case("connection") {
            let v = value.to_ascii_lowercase();
            if v.contains("close") {
                keep_alive = false;
            } else if v.contains("keep-alive") {
                keep_alive = true;
            }
        } else if name.eq_ignore_ascii_case("content-length") {
            has_body |= value != "0";
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            has_body = true;
        }
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        http11,
        host,
        keep_alive,
        has_body,
    })
}

/// A `tchar` of RFC 9110 (method and header names).
fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Which `Host` values the server answers to. A page on another site can make a browser
/// send requests here under that site's name by pointing the name at 127.0.0.1 (DNS
/// rebinding); the `Host` header still carries the name, so anything but a name this
/// server is known by is refused, before any route (pages, the 404 page with its error
/// overlay, the live-reload stream) is reached.
#[derive(Debug, Clone)]
struct Hosts {
    /// The address listened on.
    bound: IpAddr,
    /// Names added with `--allow-host`, lowercase, without a trailing dot.
    names: Vec<String>,
}

impl Hosts {
    /// Whether `authority` (`host[:port]`, as in a `Host` header) names this server: a
    /// loopback name or address (`localhost`, 127.0.0.0/8, `[::1]`) with any port, the
    /// address listened on, any IP address if that is all interfaces (an address cannot be
    /// rebound; the phone on the network uses one), or a name allowed by the user.
    fn allows(&self, authority: &str) -> bool {
        let authority = authority.to_ascii_lowercase();
        let (host, port) = match authority.strip_prefix('[') {
            Some(rest) => match rest.split_once(']') {
                Some((inside, after)) => (inside, after.strip_prefix(':').or(Some(after))),
                None => return false,
            },
            None => match authority.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority.as_str(), None),
            },
        };
        if !port.is_none_or(|p| p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit())) {
            return false;
        }
        let bracketed = authority.starts_with('[');
        let ip = if bracketed {
            host.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6)
        } else {
            host.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
        };
        if let Some(ip) = ip {
            let ip = ip.to_canonical();
            return !ip.is_unspecified()
                && (ip.is_loopback()
                    || ip == self.bound.to_canonical()
                    || self.bound.is_unspecified());
        }
        if bracketed || host.is_empty() {
            return false;
        }
        let name = host.strip_suffix('.').unwrap_or(host);
        name == "localhost" || self.names.iter().any(|n| n == name)
    }
}

/// Checks and normalises a name given to `--allow-host`.
fn allowed_name(name: &str) -> Result<String, Error> {
    let n = name.to_ascii_lowercase();
    let n = n.strip_suffix('.').unwrap_or(&n).to_string();
    let valid = !n.is_empty()
        && n.len() <= 253
        && n.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if valid {
        Ok(n)
    } else {
        Err(Error::Other(format!(
            "`--allow-host {}`: not a host name (letters, digits, `-` and `.`, e.g. \
             `laptop.local`)",
            name.escape_debug()
        )))
    }
}

/// The path and query of a request (origin form), after checking that it is addressed to
/// this server: by its `Host` header, or by the target itself in absolute form
/// (`GET http://127.0.0.1:1111/ HTTP/1.1`, which a proxy would forward elsewhere; this
/// server is no proxy).
fn addressed_here<'r>(req: &'r Request, hosts: &Hosts) -> Result<Cow<'r, str>, Response> {
    let misdirected = || {
        Response::text(
            421,
            "Misdirected Request",
            "briefwerk serve answers to localhost, 127.0.0.1 and [::1] (and to the address \
             it listens on) only; to reach it by another name, start it with \
             `--allow-host NAME`\n",
        )
    };
    match &req.host {
        None if req.http11 => {
            return Err(Response::text(400, "Bad Request", "missing Host header\n"));
        }
        Some(h) if !hosts.allows(h) => return Err(misdirected()),
        _ => {}
    }
    let target = req.target.as_str();
    if target.starts_with('/') {
        return Ok(Cow::Borrowed(target));
    }
    let scheme = target.get(..7).unwrap_or("");
    if !scheme.eq_ignore_ascii_case("http://") {
        // `*`, authority form, other schemes: nothing this server serves.
        return Err(Response::text(400, "Bad Request", "bad request target\n"));
    }
    let rest = &target[7..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if !hosts.allows(&rest[..end]) {
        return Err(misdirected());
    }
    let path = &rest[end..];
    Ok(if path.starts_with('/') {
        Cow::Borrowed(path)
    } else {
        Cow::Owned(format!("/{path}"))
    })
}

/// Writes all of `bytes` by `deadline` (a client reading a byte now and then cannot hold a
/// thread for long); each write may stall at most [`IO_TIMEOUT`].
fn send(stream: &mut TcpStream, bytes: &[u8], deadline: Instant) -> std::io::Result<()> {
    for chunk in bytes.chunks(64 * 1024) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        stream.set_write_timeout(Some(left.min(IO_TIMEOUT)))?;
        stream.write_all(chunk)?;
    }
    Ok(())
}

fn serve_connection(stream: TcpStream, shared: &Shared, id: u64) {
    let limits = &shared.limits;
    let _ = stream.set_nodelay(true);
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    for served in 1..=MAX_REQUESTS_PER_CONNECTION {
        let waiting = Instant::now();
        if !shared.conns().set_waiting(id, Some(waiting)) {
            return;
        }
        let head = read_head(&mut reader, waiting + limits.head_deadline);
        if !shared.conns().set_waiting(id, None) {
            return;
        }
        let refusal = match head.and_then(|h| parse_head(&h)) {
            Ok(req) => {
                if !handle(req, &mut writer, shared, id, served) {
                    return;
                }
                continue;
            }
            Err(ReadError::Closed) => return,
            Err(ReadError::TimedOut) => simple(
                408,
                "Request Timeout",
                "the request head did not arrive in time\n",
                false,
            ),
            Err(ReadError::TooLarge) => simple(
                431,
                "Request Header Fields Too Large",
                "request head too large\n",
                false,
            ),
            Err(ReadError::Bad(why)) => simple(400, "Bad Request", &format!("{why}\n"), false),
        };
        let _ = send(
            &mut writer,
            &refusal,
            Instant::now() + Duration::from_secs(1),
        );
        return;
    }
}

/// Answers one request; false when the connection is to be closed.
fn handle(req: Request, writer: &mut TcpStream, shared: &Shared, id: u64, served: usize) -> bool {
    let deadline = Instant::now() + shared.limits.write_deadline;
    // A request body is never read, so the connection cannot be reused after one.
    let keep = req.keep_alive && !req.has_body && served < MAX_REQUESTS_PER_CONNECTION;
    let head_only = req.method == "HEAD";
    let target = match addressed_here(&req, &shared.hosts) {
        Ok(t) => t,
        Err(refusal) => {
            let _ = send(writer, &refusal.to_bytes(false, head_only), deadline);
            return false;
        }
    };
    if req.method != "GET" && !head_only {
        let mut r = Response::text(405, "Method Not Allowed", "only GET and HEAD\n");
        r.headers.push(("Allow", "GET, HEAD".to_string()));
        let _ = send(writer, &r.to_bytes(false, false), deadline);
        return false;
    }
    if let Some(internal) = target.strip_prefix(INTERNAL) {
        let (name, query) = internal.split_once('?').unwrap_or((internal, ""));
        match name {
            "events" if !head_only => {
                let started = shared.conns().start_stream(id, &shared.limits);
                match started {
                    Ok(()) => event_stream(writer, shared, query),
                    Err(why) => {
                        let r = simple(503, "Service Unavailable", why, false);
                        let _ = send(writer, &r, deadline);
                    }
                }
                return false;
            }
            "live.js" => {
                let mut r = Response::new(
                    200,
                    "OK",
                    "text/javascript; charset=utf-8",
                    LIVE_JS.as_bytes().to_vec(),
                );
                r.headers.push(("Cache-Control", "no-store".into()));
                return send(writer, &r.to_bytes(keep, head_only), deadline).is_ok() && keep;
            }
            _ => {}
        }
    }
    let response = respond(shared, &target);
    send(writer, &response.to_bytes(keep, head_only), deadline).is_ok() && keep
}

/// An HTTP response about to be sent.
struct Response {
    status: u16,
    reason: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    fn new(status: u16, reason: &'static str, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            reason,
            headers: vec![("Content-Type", content_type.to_string())],
            body,
        }
    }

    fn text(status: u16, reason: &'static str, body: &str) -> Response {
        Response::new(
            status,
            reason,
            "text/plain; charset=utf-8",
            body.as_bytes().to_vec(),
        )
    }

    fn to_bytes(&self, keep_alive: bool, head_only: bool) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, self.reason);
        for (k, v) in &self.headers {
            out.push_str(&format!("{k}: {}\r\n", header_value(v)));
        }
        out.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        out.push_str("X-Content-Type-Options: nosniff\r\n");
        if !self.headers.iter().any(|(k, _)| *k == "Cache-Control") {
            // A preview must never show a page from before the last edit.
            out.push_str("Cache-Control: no-cache\r\n");
        }
        out.push_str(if keep_alive {
            "Connection: keep-alive\r\n\r\n"
        } else {
            "Connection: close\r\n\r\n"
        });
        let mut bytes = out.into_bytes();
        if !head_only {
            bytes.extend_from_slice(&self.body);
        }
        bytes
    }
}

/// A header value that cannot end its line or start another: control characters, DEL and
/// non-ASCII are percent-encoded. Request targets are checked when parsed; this is the
/// second line of defence for anything derived from them (`Location`).
fn header_value(v: &str) -> Cow<'_, str> {
    if v.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Cow::Borrowed(v);
    }
    let mut out = String::with_capacity(v.len() + 8);
    for b in v.bytes() {
        if (0x20..0x7f).contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Cow::Owned(out)
}

fn simple(status: u16, reason: &'static str, body: &str, keep_alive: bool) -> Vec<u8> {
    Response::text(status, reason, body).to_bytes(keep_alive, false)
}

/// Where a request target leads inside the output directory.
#[derive(Debug, PartialEq, Eq)]
enum Resolved {
    /// A file to send (canonical path, under the output directory).
    File(PathBuf),
    /// A folder asked for without its trailing slash: redirect here.
    Redirect(String),
    /// Nothing there (or something outside the output directory).
    NotFound,
    /// A target that tries to leave the directory or cannot be a path.
    Bad,
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hi = hex(*b.get(i + 1)?)?;
            let lo = hex(*b.get(i + 2)?)?;
            out.push(hi * 16 + lo);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Maps a request target to a file under `out` (canonical). Every segment is decoded and
/// checked before the file system is touched: `..`, `.`, encoded slashes and backslashes, NUL
/// and non-UTF-8 are refused; then the path is canonicalised (following symlinks) and must
/// still lie under `out`.
fn resolve(out: &Path, target: &str) -> Resolved {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let query = target.find('?').map(|i| &target[i..]).unwrap_or("");
    if !path.starts_with('/') || path.contains('\\') {
        return Resolved::Bad;
    }
    let raw_segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut full = out.to_path_buf();
    for raw in &raw_segments {
        let Some(bytes) = percent_decode(raw) else {
            return Resolved::Bad;
        };
        let Ok(seg) = String::from_utf8(bytes) else {
            return Resolved::Bad;
        };
        if seg == "." || seg == ".." || seg.contains(['/', '\\', '\0']) {
            return Resolved::Bad;
        }
        full.push(seg);
    }
    let Ok(canon) = full.canonicalize() else {
        return Resolved::NotFound;
    };
    if !canon.starts_with(out) {
        return Resolved::NotFound;
    }
    let Ok(meta) = std::fs::metadata(&canon) else {
        return Resolved::NotFound;
    };
    let wants_dir = path.ends_with('/');
    if meta.is_dir() {
        if !wants_dir {
            // Rebuilt from the checked segments, so the redirect can only stay on this site
            // (never `//host`).
            return Resolved::Redirect(format!("/{}/{query}", raw_segments.join("/")));
        }
        let Ok(index) = canon.join("index.html").canonicalize() else {
            return Resolved::NotFound;
        };
        if index.starts_with(out) && index.is_file() {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        }
    } else if meta.is_file() && !wants_dir {
        Resolved::File(canon)
    } else {
        Resolved::NotFound
    }
}

/// The Content-Type of a file, from its extension.
fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "geojson" => "application/geo+json",
        "xml" => "application/xml",
        "atom" => "application/atom+xml",
        "rss" => "application/rss+xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

fn respond(shared: &Shared, target: &str) -> Response {
    // Read before the file, so a page is never older than the generation it announces
    // (at worst one reload too many).
    let generation = shared.lock().generation;
    match resolve(&shared.out, target) {
        Resolved::Bad => Response::text(400, "Bad Request", "bad path\n"),
        Resolved::Redirect(to) => {
            let mut r = Response::text(301, "Moved Permanently", "");
            r.headers.push(("Location", to));
            r
        }
        Resolved::File(path) => match std::fs::read(&path) {
            Ok(bytes) => {
                let ct = content_type(&path);
                let body = if ct.starts_with("text/html") {
                    inject(bytes, generation)
                } else {
                    bytes
                };
                Response::new(200, "OK", ct, body)
            }
            // Replaced or removed by a rebuild between the lookup and the read.
            Err(_) => not_found(shared, generation),
        },
        Resolved::NotFound => not_found(shared, generation),
    }
}

fn not_found(shared: &Shared, generation: u64) -> Response {
    let page = shared.out.join("404.html");
    let body = std::fs::read(&page).unwrap_or_else(|_| {
        // No site yet (the first build failed) or a theme without a 404 page: a bare page
        // still carries the script, so the error overlay shows and the fix reloads it.
        b"<!doctype html><html><head><meta charset=\"utf-8\"><title>Not found</title></head>\
          <body><h1>Not found</h1><p>briefwerk has no page here (yet).</p></body></html>"
            .to_vec()
    });
    Response::new(
        404,
        "Not Found",
        "text/html; charset=utf-8",
        inject(body, generation),
    )
}

/// Adds the live-reload script before the last `</body>` (or at the end).
fn inject(mut html: Vec<u8>, generation: u64) -> Vec<u8> {
    let tag =
        format!("<script src=\"{INTERNAL}live.js\" data-generation=\"{generation}\"></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

/// Serves `/__briefwerk/events`: `reload` once the page is older than the site, `error` while
/// the sources are broken (at once for a client that connects then), comments as keep-alive.
/// Returns when the page goes away or the server stops.
fn event_stream(stream: &mut TcpStream, shared: &Shared, query: &str) {
    let write = shared.limits.write_deadline;
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 1000\n\n";
    if send(stream, head.as_bytes(), Instant::now() + write).is_err() {
        return;
    }
    let page_generation = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("generation="))
        .and_then(|v| v.parse::<u64>().ok());
    let mut live = shared.lock();
    let mut seen_generation = page_generation.unwrap_or(live.generation);
    let mut seen_version = None;
    let mut last_write = Instant::now();
    loop {
        if live.shutdown {
            return;
        }
        let mut message = None;
        if seen_version != Some(live.version) {
            seen_version = Some(live.version);
            if let Some(err) = &live.error {
                message = Some(sse("error", err));
            } else if live.generation > seen_generation {
                seen_generation = live.generation;
                message = Some(sse("reload", &live.generation.to_string()));
            }
        }
        if message.is_none() && last_write.elapsed() >= PING {
            message = Some(": ping\n\n".to_string());
        }
        if let Some(m) = message {
            drop(live);
            if send(stream, m.as_bytes(), Instant::now() + write).is_err() {
                return;
            }
            last_write = Instant::now();
            live = shared.lock();
            continue;
        }
        let (guard, _) = shared
            .changed
            .wait_timeout(live, STREAM_CHECK)
            .unwrap_or_else(PoisonError::into_inner);
        drop(guard);
        if page_gone(stream) {
            return;
        }
        live = shared.lock();
    }
}

/// True when the other end of an event stream has closed it (the page was closed or
/// reloaded). The page never sends anything after its request, so a read that ends the
/// stream is the only thing to look for; it waits a millisecond at most.
fn page_gone(stream: &TcpStream) -> bool {
    if stream
        .set_read_timeout(Some(Duration::from_millis(1)))
        .is_err()
    {
        return true;
    }
    match stream.peek(&mut [0u8; 1]) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock
                | std::io::ErrorKind::TimedOut
                | std::io::ErrorKind::Interrupted
        ),
    }
}

/// One server-sent event; every line of `data` gets its own `data:` field.
fn sse(event: &str, data: &str) -> String {
    let mut s = format!("event: {event}\n");
    for line in data.split('\n') {
        s.push_str("data: ");
        s.push_str(line.trim_end_matches('\r'));
        s.push('\n');
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("groups/jnim")).unwrap();
        std::fs::write(out.join("index.html"), "<html><body>home</body></html>").unwrap();
        std::fs::write(out.join("groups/jnim/index.html"), "jnim").unwrap();
        std::fs::write(out.join("style.css"), "body{}").unwrap();
        std::fs::write(dir.path().join("secret"), "no").unwrap();
        let out = out.canonicalize().unwrap();
        (dir, out)
    }

    /// The defaults are what `briefwerk serve` uses; tests shorten them, so pin them here.
    #[test]
    fn production_limits() {
        assert_eq!(
            Limits::default(),
            Limits {
                head_deadline: Duration::from_secs(10),
                write_deadline: Duration::from_secs(60),
                max_connections: 1024,
                max_connections_per_peer: 256,
                max_event_streams: 256,
                max_event_streams_per_peer: 64,
            }
        );
        assert_eq!(ServeOptions::default().limits, Limits::default());
        assert_eq!((MAX_HEAD, MAX_HEADER_LINES), (16 * 1024, 100));
    }

    /// A connected pair of loopback sockets: (client, server side).
    fn pair() -> (TcpStream, TcpStream) {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let (s, _) = l.accept().unwrap();
        (c, s)
    }

    fn ip(last: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(127, 0, 0, last))
    }

    #[test]
    fn a_stalled_head_makes_room_and_busy_connections_never_do() {
        let limits = Limits {
            max_connections: 4,
            max_connections_per_peer: 2,
            ..Limits::default()
        };
        let t0 = Instant::now();
        let at = |ms| t0 + Duration::from_millis(ms);
        let mut conns = Conns::default();
        let clients = std::cell::RefCell::new(Vec::new());
        // Admitted, then its thread starts waiting for the head.
        let admit = |conns: &mut Conns, peer, ms| {
            let (c, s) = pair();
            clients.borrow_mut().push(c);
            let admitted = conns.admit(peer, s, &limits);
            if let Admit::Accepted(id) = admitted {
                assert!(conns.set_waiting(id, Some(at(ms))));
            }
            admitted
        };
        assert_eq!(admit(&mut conns, ip(2), 0), Admit::Accepted(1));
        assert_eq!(admit(&mut conns, ip(2), 1), Admit::Accepted(2));
        // Peer 2 at its cap: its longest-waiting head goes.
        assert_eq!(admit(&mut conns, ip(2), 2), Admit::Accepted(3));
        assert!(!conns.open.contains_key(&1));
        let mut buf = [0u8; 1];
        let mut first = clients.borrow_mut().remove(0);
        first
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        assert_eq!(
            std::io::Read::read(&mut first, &mut buf).unwrap(),
            0,
            "the evicted connection is closed"
        );
        // Busy connections are never closed for a newcomer.
        assert!(conns.set_waiting(2, None) && conns.set_waiting(3, None));
        assert_eq!(
            admit(&mut conns, ip(2), 3),
            Admit::Refused("too many connections from your address\n")
        );
        // Other peers get in; at the server's cap, the stalled head of the peer with the
        // most connections goes, not the oldest one overall.
        assert_eq!(admit(&mut conns, ip(3), 4), Admit::Accepted(4));
        assert_eq!(admit(&mut conns, ip(4), 5), Admit::Accepted(5));
        assert!(conns.set_waiting(2, Some(at(6))));
        assert_eq!(admit(&mut conns, ip(5), 7), Admit::Accepted(6));
        assert!(!conns.open.contains_key(&2), "peer 2 held two");
        assert!(conns.open.contains_key(&4) && conns.open.contains_key(&5));
        // Nothing stalled: refused.
        for id in [3, 4, 5, 6] {
            assert!(conns.set_waiting(id, None));
        }
        assert_eq!(
            admit(&mut conns, ip(6), 8),
            Admit::Refused("too many connections\n")
        );
        assert!(!conns.set_waiting(1, None), "an evicted connection stops");
        // A connection whose thread has not started reading is not closed either.
        let mut conns = Conns::default();
        let (_c, s) = pair();
        assert_eq!(conns.admit(ip(2), s, &limits), Admit::Accepted(1));
        let (_c2, s) = pair();
        assert_eq!(conns.admit(ip(2), s, &limits), Admit::Accepted(2));
        let (_c3, s) = pair();
        assert_eq!(
            conns.admit(ip(2), s, &limits),
            Admit::Refused("too many connections from your address\n")
        );
    }

    #[test]
    fn event_streams_are_capped_in_all_and_per_peer() {
        let limits = Limits {
            max_event_streams: 3,
            max_event_streams_per_peer: 2,
            ..Limits::default()
        };
        let mut conns = Conns::default();
        let mut keep = Vec::new();
        let mut open = |conns: &mut Conns, peer| {
            let (c, s) = pair();
            keep.push(c);
            let Admit::Accepted(id) = conns.admit(peer, s, &limits) else {
                panic!("refused");
            };
            conns.start_stream(id, &limits)
        };
        assert_eq!(open(&mut conns, ip(2)), Ok(()));
        assert_eq!(open(&mut conns, ip(2)), Ok(()));
        assert_eq!(
            open(&mut conns, ip(2)),
            Err("too many live-reload streams from your address\n")
        );
        assert_eq!(open(&mut conns, ip(3)), Ok(()));
        assert_eq!(
            open(&mut conns, ip(4)),
            Err("too many live-reload streams\n")
        );
    }

    #[test]
    fn a_request_head_is_bounded_in_time_and_size() {
        // One byte every 50 ms: each read is quick, the head never ends.
        let (mut c, s) = pair();
        let dripping = std::thread::spawn(move || {
            for b in b"GET / HTTP/1.1\r\nX-a: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" {
                if c.write_all(&[*b]).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        let started = Instant::now();
        let r = read_head(&mut BufReader::new(s), started + Duration::from_millis(400));
        assert!(matches!(r, Err(ReadError::TimedOut)), "{r:?}");
        assert!(started.elapsed() < Duration::from_millis(1500));
        drop(r);
        let _ = dripping.join();

        let head = |text: String| {
            let (mut c, s) = pair();
            c.write_all(text.as_bytes()).unwrap();
            read_head(
                &mut BufReader::new(s),
                Instant::now() + Duration::from_secs(5),
            )
        };
        let lines = |n: usize| {
            let mut t = String::from("GET / HTTP/1.1\r\n");
            for i in 0..n {
                t.push_str(&format!("X-{i}: 1\r\n"));
            }
            t + "\r\n"
        };
        assert!(head(lines(MAX_HEADER_LINES)).is_ok());
        assert!(matches!(
            head(lines(MAX_HEADER_LINES + 1)),
            Err(ReadError::TooLarge)
        ));
        let big = |n: usize| format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(n));
        assert!(head(big(MAX_HEAD - 100)).is_ok());
        assert!(matches!(head(big(MAX_HEAD)), Err(ReadError::TooLarge)));
    }

    #[test]
    fn a_response_nobody_reads_is_abandoned_at_its_deadline() {
        // The other end never reads: the socket buffers fill and the write stalls.
        let (_c, mut s) = pair();
        let started = Instant::now();
        let r = send(
            &mut s,
            &vec![b'x'; 64 * 1024 * 1024],
            started + Duration::from_millis(300),
        );
        assert!(r.is_err());
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn only_names_of_this_server_are_answered() {
        let loopback = Hosts {
            bound: IpAddr::V4(Ipv4Addr::LOCALHOST),
            names: vec!["laptop.local".into()],
        };
        for ok in [
            "localhost",
            "LOCALHOST:1111",
            "localhost.",
            "localhost:",
            "127.0.0.1",
            "127.0.0.1:1111",
            "127.9.8.7:80",
            "[::1]",
            "[::1]:1111",
            "[::ffff:127.0.0.1]:1111",
            "laptop.local:1111",
            "Laptop.Local",
        ] {
            assert!(loopback.allows(ok), "{ok}");
        }
        for refused in [
            "",
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "evil.example@127.0.0.1",
            "127.0.0.1:1111@evil.example",
            "0.0.0.0:1111",
            "192.168.1.20:1111",
            "::1",
            "[::1",
            "[::1]x",
            "[localhost]",
            "localhost:http",
            "localhost:123456",
            "127.1",
            "2130706433",
            "laptop.local.evil.example",
        ] {
            assert!(!loopback.allows(refused), "{refused}");
        }
        let lan = Hosts {
            bound: "192.168.1.20".parse().unwrap(),
            names: vec![],
        };
        assert!(lan.allows("192.168.1.20:1111") && lan.allows("localhost:1111"));
        assert!(!lan.allows("192.168.1.21:1111") && !lan.allows("phone.evil.example"));
        let all = Hosts {
            bound: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            names: vec![],
        };
        assert!(all.allows("192.168.1.21:1111") && all.allows("[fe80::1]:1111"));
        assert!(!all.allows("evil.example:1111") && !all.allows("0.0.0.0:1111"));
    }

    #[test]
    fn allowed_names_are_host_names() {
        assert_eq!(allowed_name("Laptop.Local.").unwrap(), "laptop.local");
        for bad in [
            "",
            ".",
            "a..b",
            "a b",
            "evil.example:80",
            "a/b",
            "*.example",
            "x\r",
        ] {
            assert!(allowed_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn control_characters_never_pass_the_parser_or_reach_a_header() {
        let parse = |h: &[u8]| parse_head(h);
        let ok = parse(b"GET /a?b=%0D%0A HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        assert_eq!(ok.target, "/a?b=%0D%0A");
        for bad in [
            &b"GET /a?b\rSet-Cookie:x HTTP/1.1\r\n\r\n"[..],
            b"GET /a?\x00 HTTP/1.1\r\n\r\n",
            b"GET /a\tb HTTP/1.1\r\n\r\n",
            b"GET /a\x7f HTTP/1.1\r\n\r\n",
            "GET /caf\u{e9} HTTP/1.1\r\n\r\n".as_bytes(),
            b"GET /a HTTP/1.1\r\nX-A: b\rc\r\n\r\n",
            b"GET /a HTTP/1.1\r\nX-A: b\x00\r\n\r\n",
            b"GET /a HTTP/1.1\r\nX-A: b\r\n c\r\n\r\n",
            b"GET /a HTTP/1.1\r\nX A: b\r\n\r\n",
            b"GET /a HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            b"GET /a HTTP/2.0\r\n\r\n",
            b"GET /a HTTP/1.1 x\r\n\r\n",
        ] {
            assert!(
                matches!(parse(bad), Err(ReadError::Bad(_))),
                "{}",
                String::from_utf8_lossy(bad).escape_debug()
            );
        }
        assert_eq!(header_value("/a/?b"), "/a/?b");
        assert_eq!(
            header_value("/a\r\nX: y\u{e9}\x7f"),
            "/a%0D%0AX: y%C3%A9%7F"
        );
    }

    #[test]
    fn resolves_files_folders_and_redirects() {
        let (_d, out) = site();
        assert_eq!(resolve(&out, "/"), Resolved::File(out.join("index.html")));
        assert_eq!(
            resolve(&out, "/style.css?v=1"),
            Resolved::File(out.join("style.css"))
        );
        assert_eq!(
            resolve(&out, "/groups/jnim/"),
            Resolved::File(out.join("groups/jnim/index.html"))
        );
        assert_eq!(
            resolve(&out, "/groups/jnim"),
            Resolved::Redirect("/groups/jnim/".into())
        );
        assert_eq!(
            resolve(&out, "/groups/jnim?x=1"),
            Resolved::Redirect("/groups/jnim/?x=1".into())
        );
        assert_eq!(
            resolve(&out, "//groups//jnim"),
            Resolved::Redirect("/groups/jnim/".into())
        );
        assert_eq!(
            resolve(&out, "/%67roups/jnim/"),
            Resolved::File(out.join("groups/jnim/index.html"))
        );
        assert_eq!(resolve(&out, "/missing/"), Resolved::NotFound);
        assert_eq!(resolve(&out, "/style.css/"), Resolved::NotFound);
    }

    #[test]
    fn nothing_outside_the_output_directory() {
        let (_d, out) = site();
        for t in [
            "/../secret",
            "/%2e%2e/secret",
            "/%2E%2E/secret",
            "/%2e%2e%2fsecret",
            "/%2E%2E%2Fsecret",
            "/groups/..%2f..%2fsecret",
            "/..\\secret",
            "/%5c..%5csecret",
            "/style.css%00.html",
            "/./style.css",
            "/%ff",
            "/%zz",
            "secret",
            "http://example.org/",
            "*",
        ] {
            assert_eq!(resolve(&out, t), Resolved::Bad, "{t}");
        }
        assert_eq!(resolve(&out, "//etc/passwd"), Resolved::NotFound);
        assert_eq!(resolve(&out, "/etc/passwd"), Resolved::NotFound);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(out.parent().unwrap().join("secret"), out.join("leak"))
                .unwrap();
            std::os::unix::fs::symlink(out.parent().unwrap(), out.join("up")).unwrap();
            assert_eq!(resolve(&out, "/leak"), Resolved::NotFound);
            assert_eq!(resolve(&out, "/up/secret"), Resolved::NotFound);
            assert_eq!(resolve(&out, "/up/"), Resolved::NotFound);
        }
    }

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = inject(b"<html><body>x</BODY></html>".to_vec(), 3);
        let s = String::from_utf8(out).unwrap();
        assert!(
            s.contains(
                "x<script src=\"/__briefwerk/live.js\" data-generation=\"3\"></script></BODY>"
            ),
            "{s}"
        );
        let s = String::from_utf8(inject(b"plain".to_vec(), 1)).unwrap();
        assert!(s.starts_with("plain<script"), "{s}");
    }

    #[test]
    fn events_have_one_data_field_per_line_and_html_is_escaped() {
        assert_eq!(sse("error", "a\nb"), "event: error\ndata: a\ndata: b\n\n");
        assert_eq!(
            escape_html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn only_source_changes_count() {
        let root = Path::new("/site");
        assert_eq!(
            relevant(root, Path::new("/site/content/incidents/a.md")).as_deref(),
            Some("content/incidents/a.md")
        );
        assert_eq!(
            relevant(root, Path::new("/site/site.yaml")).as_deref(),
            Some("site.yaml")
        );
        assert_eq!(relevant(root, Path::new("/site/public/index.html")), None);
        assert_eq!(
            relevant(root, Path::new("/site/content/incidents/.a.md.swp")),
            None
        );
        assert_eq!(
            relevant(root, Path::new("/site/content/incidents/a.md~")),
            None
        );
        assert_eq!(relevant(root, Path::new("/site/content/4913")), None);
        assert_eq!(relevant(root, Path::new("/elsewhere/content/a.md")), None);
    }

    #[test]
    fn content_types() {
        for (f, t) in [
            ("a.html", "text/html; charset=utf-8"),
            ("a.css", "text/css; charset=utf-8"),
            ("a.js", "text/javascript; charset=utf-8"),
            ("a.svg", "image/svg+xml"),
            ("a.json", "application/json"),
            ("a.xml", "application/xml"),
            ("a.csv", "text/csv; charset=utf-8"),
            ("a.geojson", "application/geo+json"),
            ("a.txt", "text/plain; charset=utf-8"),
            ("a.png", "image/png"),
            ("a.JPG", "image/jpeg"),
            ("a.woff2", "font/woff2"),
            ("favicon.ico", "image/x-icon"),
            ("noext", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(f)), t, "{f}");
        }
    }

    #[test]
    fn writes_only_changed_files_and_removes_stale_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("o");
        let f = |p: &str, s: &str| OutputFile {
            path: p.into(),
            bytes: s.as_bytes().to_vec(),
        };
        let hashes = |fs: &[OutputFile]| {
            fs.iter()
                .map(|f| (f.path.clone(), hash_bytes(&f.bytes)))
                .collect::<HashMap<_, _>>()
        };
        let one = vec![
            f("index.html", "a"),
            f("x/index.html", "b"),
            f("y/z/index.html", "c"),
        ];
        output::write_site(&out, &one).unwrap();
        let two = vec![
            f("index.html", "a"),
            f("x/index.html", "B"),
            f("w/index.html", "d"),
        ];
        let s = write_changed(&out, &two, &hashes(&one), &hashes(&two)).unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (2, 1, 1));
        assert_eq!(
            std::fs::read_to_string(out.join("x/index.html")).unwrap(),
            "B"
        );
        assert!(!out.join("y").exists(), "empty folders go");
    }
}
