//! `briefwerk serve` (issue 5): build, serve over HTTP, watch, rebuild, and reload every open
//! page by itself.
//!
//! Takes [`ServeOptions`]; returns when stopped (a [`StopHandle`]), having reported what
//! happened through [`Event`]s: the library never prints. It builds the site into a private
//! temporary directory (outside the site, removed on stop) with `base_url` pointing at the
//! server, serves that directory and nothing else, and rebuilds after each change. Must not
//! write anywhere but that directory, nor serve anything outside it.
//!
//! One room per job, and this file the loop that ties them together:
//! - [`http`]: connections, request heads, the `Host` check, files of the output directory;
//!   what a client may hold is bounded by [`Limits`] (issue 14).
//! - [`watch`]: the file watcher (`content/`, `themes/`, `templates/`, `static/`,
//!   `site.yaml`) and the debounce that makes an editor's save-by-rename one rebuild.
//! - [`session`]: one build after a batch of changes, published into the private directory
//!   through `output::Writer`, the one writer (only the files whose bytes changed are
//!   written; readers see the old site or the new one).
//! - [`livereload`]: the script injected into served HTML (`livereload.js`) and the
//!   `/__briefwerk/events` stream: `reload` after a good build, `error` (the diagnostics as
//!   escaped HTML, shown as an overlay) after a bad one, while the last good site keeps
//!   being served. `build` output never contains the script.

mod http;
mod livereload;
mod session;
mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use crate::config::BuildOptions;
use crate::error::Error;
use crate::pipeline::Report;
use http::{Hosts, Shared};
use session::Session;

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

/// Something the caller may want to tell the editor about.
#[derive(Debug)]
pub enum Event {
    /// The server accepts connections at `url`.
    Listening {
        /// The site's address on this machine, e.g. `http://127.0.0.1:1111/`.
        url: String,
        /// Addresses other machines open when the server listens on every interface
        /// (`--bind 0.0.0.0`): this machine's address on its network, if one is found.
        elsewhere: Vec<String>,
        /// The private directory the site is built into.
        output_dir: PathBuf,
    },
    /// Files changed (paths relative to the site root); a rebuild follows.
    Changed(Vec<String>),
    /// A build succeeded and is being served.
    Built {
        /// True for the build made at start-up.
        first: bool,
        /// What the build did; its stage timings end with `write`.
        report: Report,
    },
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
            .map(|n| http::allowed_name(n))
            .collect::<Result<_, _>>()?;
        let root = opts
            .root
            .canonicalize()
            .map_err(|e| Error::io(&opts.root, e))?;
        let bind_error = |source| Error::Bind {
            addr: opts.bind,
            port: opts.port,
            source,
        };
        let listener = TcpListener::bind((opts.bind, opts.port)).map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        // Links must work in a browser: an unspecified address (0.0.0.0) is not one to visit.
        let url = format!("http://{}/", loopback(addr));
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
            // The private output holds nothing but what `output::Writer` published there.
            force: false,
        };
        let mut session = Session::new(&root, build_opts, &out);
        // Watch before the first build, so that no edit made after start-up goes unnoticed.
        let mut watcher = watch::Watcher::new(&root, tx.clone())?;
        let watch_problems = watcher.add_new_dirs(&root);
        let first = session.build(&[]);
        std::fs::create_dir_all(&out).map_err(|e| Error::io(&out, e))?;
        let out_canon = out.canonicalize().map_err(|e| Error::io(&out, e))?;
        let hosts = Hosts {
            bound: addr.ip(),
            names: opts.allowed_hosts.clone(),
        };
        let shared = Arc::new(Shared::new(out_canon, opts.limits.clone(), hosts));
        for problem in watch_problems {
            on_event(Event::WatchError(problem));
        }
        report(&shared, true, first, &mut on_event);

        let accept = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("briefwerk-accept".into())
                .spawn(move || http::accept_loop(&listener, &shared))
                .map_err(|e| Error::Internal(format!("cannot start the server thread: {e}")))?
        };
        on_event(Event::Listening {
            elsewhere: network_urls(addr, machine_address(addr.ip())),
            url,
            output_dir: out.clone(),
        });

        while let Ok(first) = rx.recv() {
            let Some(paths) = watch::settle(&rx, first, &mut on_event) else {
                break;
            };
            let relevant: Vec<String> = paths
                .iter()
                .filter_map(|p| watch::relevant(&root, p))
                .collect();
            if relevant.is_empty() {
                continue;
            }
            on_event(Event::Changed(relevant.clone()));
            for problem in watcher.add_new_dirs(&root) {
                on_event(Event::WatchError(problem));
            }
            let result = session.build(&relevant);
            report(&shared, false, result, &mut on_event);
        }

        drop(watcher);
        shutdown(&shared, addr, accept);
        // Connection threads still finishing a response may fail now; the site is going away.
        drop(tmp);
        on_event(Event::Stopped);
        Ok(())
    }
}

/// Ends the connection threads and the accept loop.
fn shutdown(shared: &Shared, addr: SocketAddr, accept: std::thread::JoinHandle<()>) {
    shared.lock().shutdown = true;
    shared.changed.notify_all();
    // Wake the accept loop so it sees the shutdown flag.
    let _ = TcpStream::connect_timeout(&loopback(addr), Duration::from_secs(1));
    let _ = accept.join();
}

/// Updates the live state after a build and reports it.
fn report(
    shared: &Shared,
    first: bool,
    result: Result<Report, Error>,
    on_event: &mut dyn FnMut(Event),
) {
    match result {
        Ok(r) => {
            {
                let mut live = shared.lock();
                let changed = r.written.written + r.written.removed > 0;
                // A fixed error must clear the overlay even when the output is unchanged.
                if changed || live.error.is_some() || first {
                    live.generation += 1;
                }
                live.error = None;
                live.version += 1;
            }
            shared.changed.notify_all();
            on_event(Event::Built { first, report: r });
        }
        Err(e) => {
            {
                let mut live = shared.lock();
                let html = livereload::error_html(&e);
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

/// `addr` as a browser on this machine reaches it: the loopback address when the server
/// listens on every interface (`0.0.0.0` or `::` is not an address to visit).
fn loopback(addr: SocketAddr) -> SocketAddr {
    if addr.ip().is_unspecified() {
        SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
    } else {
        addr
    }
}

/// The addresses other machines open, for a server listening on `addr`: this machine's
/// `address` on its network when listening on every interface; none otherwise (the
/// loopback URL, or the one address listened on, is already the one printed).
fn network_urls(addr: SocketAddr, address: Option<IpAddr>) -> Vec<String> {
    if !addr.ip().is_unspecified() {
        return Vec::new();
    }
    address
        .filter(|a| !a.is_loopback() && !a.is_unspecified())
        // A server listening on 0.0.0.0 takes no IPv6 connections.
        .filter(|a| a.is_ipv4() || addr.is_ipv6())
        .map(|a| format!("http://{}/", SocketAddr::new(a, addr.port())))
        .into_iter()
        .collect()
}

/// This machine's address on its network (of the family of `bound`), as the routing table
/// would choose it to reach another machine. A UDP socket "connected" to a documentation
/// address (RFC 5737, RFC 3849) sends nothing: only the local address is looked up. `None`
/// on a machine without a route (offline).
fn machine_address(bound: IpAddr) -> Option<IpAddr> {
    let (local, probe): (SocketAddr, SocketAddr) = if bound.is_ipv4() {
        (([0, 0, 0, 0], 0).into(), ([192, 0, 2, 1], 9).into())
    } else {
        (
            (std::net::Ipv6Addr::UNSPECIFIED, 0).into(),
            (std::net::Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 9).into(),
        )
    };
    let socket = UdpSocket::bind(local).ok()?;
    socket.connect(probe).ok()?;
    Some(socket.local_addr().ok()?.ip())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `serve --bind 0.0.0.0` used to print only `http://127.0.0.1:PORT/`, which a phone on
    /// the network cannot open.
    #[test]
    fn listening_everywhere_names_an_address_other_machines_can_open() {
        let all: SocketAddr = ([0, 0, 0, 0], 1111).into();
        let lan: IpAddr = [192, 168, 1, 20].into();
        assert_eq!(loopback(all).to_string(), "127.0.0.1:1111");
        assert_eq!(network_urls(all, Some(lan)), ["http://192.168.1.20:1111/"]);
        // Offline: nothing to add to the loopback URL.
        assert!(network_urls(all, None).is_empty());
        assert!(network_urls(all, Some(IpAddr::V4(Ipv4Addr::LOCALHOST))).is_empty());
        // One address listened on: it is the URL already.
        let one: SocketAddr = (lan, 1111).into();
        assert_eq!(loopback(one), one);
        assert!(network_urls(one, Some(lan)).is_empty());
        let v6: SocketAddr = (std::net::Ipv6Addr::UNSPECIFIED, 1111).into();
        let v6_lan: IpAddr = "2001:db8::20".parse().unwrap();
        assert_eq!(
            network_urls(v6, Some(v6_lan)),
            ["http://[2001:db8::20]:1111/"]
        );
        assert!(network_urls(all, Some(v6_lan)).is_empty());
    }
}
