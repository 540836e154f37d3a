//! The HTTP side of `serve`: admits connections, reads and checks request heads, answers
//! with files of the output directory.
//!
//! Takes a bound listener and the [`Shared`] state; returns nothing but responses. What a
//! client may hold is bounded by [`Limits`] (issue 14): the whole request head must arrive
//! within a deadline, connections and event streams are capped in all and per peer address,
//! and a connection still waiting for its head is closed to make room for a new one, so slow
//! clients cannot starve the others. One thread per connection, so a long-lived event stream
//! never holds up a page request. Must not serve anything outside the output directory
//! (every segment is decoded and checked, then the canonical path must stay under it), nor
//! answer a `Host` that is not this server's (DNS rebinding), nor let anything from a request
//! reach a response header unchecked. Never writes a file.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write as _};
use std::net::{IpAddr, Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::Limits;
use super::livereload;
use crate::error::Error;

/// Requests served on one keep-alive connection before it is closed.
const MAX_REQUESTS_PER_CONNECTION: usize = 1000;
/// Longest a single write may stall (the whole response has [`Limits::write_deadline`]).
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest request head (request line and headers) accepted; browsers send 1–2 KiB.
const MAX_HEAD: usize = 16 * 1024;
/// Most header lines in a request head.
const MAX_HEADER_LINES: usize = 100;
/// URL prefix of the server's own endpoints (no site path can start with `_`).
pub(super) const INTERNAL: &str = "/__briefwerk/";

/// State shared by the build loop and the connection threads.
pub(super) struct Shared {
    /// Canonical output directory: every file served lies under it.
    out: PathBuf,
    pub(super) limits: Limits,
    hosts: Hosts,
    live: Mutex<Live>,
    /// Signalled whenever `live` changes.
    pub(super) changed: Condvar,
    conns: Mutex<Conns>,
}

/// What the build loop tells the connection threads.
#[derive(Debug, Default)]
pub(super) struct Live {
    /// Bumped by every build that changed what is served.
    pub(super) generation: u64,
    /// The rendered diagnostics while the sources are broken.
    pub(super) error: Option<String>,
    /// Bumped on every change of this struct.
    pub(super) version: u64,
    /// Set when the server stops: every thread ends.
    pub(super) shutdown: bool,
}

impl Shared {
    /// Serves the canonical directory `out` within `limits`, to the names `hosts` allows.
    pub(super) fn new(out: PathBuf, limits: Limits, hosts: Hosts) -> Shared {
        Shared {
            out,
            limits,
            hosts,
            live: Mutex::new(Live::default()),
            changed: Condvar::new(),
            conns: Mutex::default(),
        }
    }

    /// The live state (a poisoned lock is taken over: the state stays consistent).
    pub(super) fn lock(&self) -> MutexGuard<'_, Live> {
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

pub(super) fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
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
pub(super) struct Hosts {
    /// The address listened on.
    pub(super) bound: IpAddr,
    /// Names added with `--allow-host`, lowercase, without a trailing dot.
    pub(super) names: Vec<String>,
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
pub(super) fn allowed_name(name: &str) -> Result<String, Error> {
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
        Err(Error::BadArgument(format!(
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
pub(super) fn send(stream: &mut TcpStream, bytes: &[u8], deadline: Instant) -> std::io::Result<()> {
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
                    Ok(()) => livereload::event_stream(writer, shared, query),
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
                    livereload::SCRIPT.as_bytes().to_vec(),
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

/// One path segment, percent-decoded. A `%` not followed by two hex digits is refused
/// (`percent-encoding` would pass it through as text; no browser sends one), and so is a
/// segment that does not decode to UTF-8.
fn decode_segment(raw: &str) -> Option<String> {
    let b = raw.as_bytes();
    let hex = |i: usize| b.get(i).is_some_and(u8::is_ascii_hexdigit);
    let malformed = b
        .iter()
        .enumerate()
        .any(|(i, &c)| c == b'%' && !(hex(i + 1) && hex(i + 2)));
    if malformed {
        return None;
    }
    percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()
        .map(Cow::into_owned)
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
        let Some(seg) = decode_segment(raw) else {
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
        let Ok(index) = canon.join(crate::routes::INDEX_FILE).canonicalize() else {
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
                    livereload::inject(bytes, generation)
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
    let page = shared.out.join(crate::routes::NOT_FOUND);
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
        livereload::inject(body, generation),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::ServeOptions;

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
}
