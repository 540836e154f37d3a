//! `briefwerk serve` as an editor meets it (issue 5): the binary on a free loopback port over a
//! copy of the basic fixture. Edits are served and announced, broken files raise an error
//! event while the last good site stays up, nothing outside the output directory is ever
//! served, and the server holds 200 concurrent clients. Plain `TcpStream` HTTP, no client
//! crate; every request goes to 127.0.0.1 only, and every loop is bounded in time.
// The figures (reload latency, requests per second) are printed for the report.
#![allow(clippy::print_stderr)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::SiteTest;

const KANGABA: &str = "content/incidents/2017-06-18-kangaba.md";
const KANGABA_PAGE: &str = "/incidents/2017-06-18-kangaba/";
const WAIT: Duration = Duration::from_secs(20);

/// A running `briefwerk serve`; stopped with SIGINT (as Ctrl-C would) and killed if it does
/// not stop, whatever the test's outcome.
struct Served {
    child: Child,
    port: u16,
    out_dir: PathBuf,
    stderr: Arc<Mutex<String>>,
}

impl Served {
    fn start(root: &Path) -> Served {
        Served::start_with(root, &[])
    }

    /// Starts with more command-line arguments.
    fn start_with(root: &Path, args: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefwerk"))
            .args(["serve", "--port", "0", "--verbose"])
            .args(args)
            .arg("--root")
            .arg(root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start briefwerk serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        {
            // Drain stderr so the child never blocks on a full pipe.
            let mut pipe = child.stderr.take().unwrap();
            let sink = Arc::clone(&stderr);
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    sink.lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            });
        }
        let mut served = Served {
            child,
            port: 0,
            out_dir: PathBuf::new(),
            stderr,
        };
        let stdout = served.child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let line = rx
            .recv_timeout(WAIT)
            .unwrap_or_else(|_| panic!("no URL printed; stderr:\n{}", served.stderr()));
        let url = line
            .strip_prefix("serving ")
            .unwrap_or_else(|| panic!("unexpected stdout line {line:?}"));
        let port = url
            .strip_prefix("http://127.0.0.1:")
            .and_then(|r| r.strip_suffix('/'))
            .expect("loopback URL");
        served.port = port.parse().unwrap();
        // `--verbose` names the output directory on stderr, just after the URL.
        let deadline = Instant::now() + WAIT;
        loop {
            // Whole lines only: the pipe may have delivered half of this one so far.
            if let Some(dir) = served
                .stderr()
                .split_inclusive('\n')
                .filter_map(|l| l.strip_suffix('\n'))
                .find_map(|l| l.strip_prefix("output in ").map(PathBuf::from))
            {
                // Tests write into it: never anywhere else (such as the repository).
                assert!(dir.is_absolute() && dir.is_dir(), "output dir {dir:?}");
                served.out_dir = dir;
                return served;
            }
            assert!(
                Instant::now() < deadline,
                "no output directory named:\n{}",
                served.stderr()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn get(&self, path: &str) -> Response {
        request(self.port, "GET", path)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Reads one response (head, then `Content-Length` bytes unless `head_only`).
fn read_response(reader: &mut impl BufRead, head_only: bool) -> std::io::Result<Response> {
    let mut status_line = String::new();
    if reader.read_line(&mut status_line)? == 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "no response",
        ));
    }
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {status_line:?}")))?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (k, v) = line
            .split_once(':')
            .ok_or_else(|| std::io::Error::other("bad header"))?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; if head_only { 0 } else { len }];
    reader.read_exact(&mut body)?;
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// One request on a fresh connection; the raw `target` goes on the wire as given.
fn request(port: u16, method: &str, target: &str) -> Response {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(s);
    let r = read_response(&mut reader, method == "HEAD").unwrap();
    if method == "HEAD" {
        let mut rest = Vec::new();
        let _ = reader.read_to_end(&mut rest);
        assert!(rest.is_empty(), "HEAD sent a body");
    }
    r
}

/// A client of `/__briefwerk/events`.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn connect(port: u16, generation: Option<&str>) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let query = generation
            .map(|g| format!("?generation={g}"))
            .unwrap_or_default();
        write!(
            s,
            "GET /__briefwerk/events{query} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .unwrap();
        s.set_read_timeout(Some(WAIT)).unwrap();
        let mut reader = BufReader::new(s);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if line.trim_end().is_empty() {
                break;
            }
            if line.to_ascii_lowercase().starts_with("content-type:") {
                assert!(line.contains("text/event-stream"), "{line}");
            }
        }
        Events { reader }
    }

    /// The next named event as (name, data); comments and `retry:` are skipped.
    fn next(&mut self) -> (String, String) {
        let mut name = String::new();
        let mut data: Vec<String> = Vec::new();
        loop {
            let mut line = String::new();
            let n = self
                .reader
                .read_line(&mut line)
                .expect("event within the time limit");
            assert!(n > 0, "event stream closed");
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if !name.is_empty() {
                    return (name, data.join("\n"));
                }
                continue;
            }
            if let Some(v) = line.strip_prefix("event: ") {
                name = v.to_string();
            } else if let Some(v) = line.strip_prefix("data: ") {
                data.push(v.to_string());
            }
        }
    }
}

fn generation_of(page: &str) -> String {
    let at = page
        .find("data-generation=\"")
        .expect("the live script is injected")
        + 17;
    page[at..].split('"').next().unwrap().to_string()
}

fn edit(t: &SiteTest, rel: &str, from: &str, to: &str) {
    let p = t.root.join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&p, text.replace(from, to)).unwrap();
}

#[test]
fn edits_are_served_and_reload_and_errors_show_while_the_last_good_site_stays() {
    let t = SiteTest::fixture("basic");
    let original = std::fs::read_to_string(t.root.join(KANGABA)).unwrap();
    let s = Served::start(&t.root);

    let page = s.get(KANGABA_PAGE);
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("Assault on the Kangaba resort"), "{text}");
    assert!(text.contains("/__briefwerk/live.js"));
    let script = s.get("/__briefwerk/live.js");
    assert_eq!(script.status, 200);
    assert!(
        script
            .header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
    let mut events = Events::connect(s.port, Some(&generation_of(&text)));

    // An edit: new content is served and the open page is told to reload.
    let started = Instant::now();
    edit(
        &t,
        KANGABA,
        "title: Assault on the Kangaba resort",
        "title: Assault on the Kangaba resort, updated",
    );
    let (name, _) = events.next();
    assert_eq!(name, "reload");
    let reload_after = started.elapsed();
    assert!(
        s.get(KANGABA_PAGE)
            .text()
            .contains("Kangaba resort, updated")
    );

    // A broken file: an error event carrying the diagnostic, the terminal shows it, and the
    // last good page is still served.
    edit(&t, KANGABA, "date: \"2017-06-18\"", "date: \"2017-06-31\"");
    let (name, data) = events.next();
    assert_eq!(name, "error");
    assert!(data.contains("date `2017-06-31` does not exist"), "{data}");
    assert!(data.contains(KANGABA), "{data}");
    assert!(
        !data.contains("<script"),
        "diagnostics arrive escaped: {data}"
    );
    let page = s.get(KANGABA_PAGE);
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("Kangaba resort, updated"),
        "the last good build stays"
    );
    let deadline = Instant::now() + WAIT;
    while !s
        .stderr()
        .contains("error: date `2017-06-31` does not exist")
    {
        assert!(
            Instant::now() < deadline,
            "terminal shows the diagnostic:\n{}",
            s.stderr()
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    // A page opened while the site is broken learns it at once.
    let mut late = Events::connect(s.port, None);
    let (name, data) = late.next();
    assert_eq!(name, "error");
    assert!(data.contains("2017-06-31"), "{data}");

    // The fix clears the overlay by reloading every open page.
    std::fs::write(
        t.root.join(KANGABA),
        original.replace("Kangaba resort", "Kangaba resort, fixed"),
    )
    .unwrap();
    assert_eq!(events.next().0, "reload");
    assert_eq!(late.next().0, "reload");
    assert!(s.get(KANGABA_PAGE).text().contains("Kangaba resort, fixed"));
    eprintln!("edit to reload event: {} ms", reload_after.as_millis());
}

#[test]
fn a_site_broken_from_the_start_shows_the_error_then_reloads_when_fixed() {
    let t = SiteTest::fixture("basic");
    let original = std::fs::read_to_string(t.root.join(KANGABA)).unwrap();
    std::fs::write(
        t.root.join(KANGABA),
        original.replace("groups: [jnim]", "groups: [jnm]"),
    )
    .unwrap();
    let s = Served::start(&t.root);

    // No good build yet: a bare page that still carries the script.
    let home = s.get("/");
    assert_eq!(home.status, 404);
    assert!(
        home.text().contains("/__briefwerk/live.js"),
        "{}",
        home.text()
    );
    let mut events = Events::connect(s.port, Some(&generation_of(&home.text())));
    let (name, data) = events.next();
    assert_eq!(name, "error");
    assert!(
        data.contains("unknown group `jnm`") && data.contains("did you mean `jnim`?"),
        "{data}"
    );

    std::fs::write(t.root.join(KANGABA), &original).unwrap();
    assert_eq!(events.next().0, "reload");
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("Test Briefing"));
}

#[test]
fn build_output_never_carries_the_live_script() {
    let t = SiteTest::fixture("basic");
    let out = Command::new(env!("CARGO_BIN_EXE_briefwerk"))
        .args(["build", "--quiet", "--root"])
        .arg(&t.root)
        .arg("--output")
        .arg(&t.out)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for entry in walkdir::WalkDir::new(&t.out) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains("__briefwerk"),
                "{}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn nothing_outside_the_output_directory_is_served() {
    let t = SiteTest::fixture("basic");
    let s = Served::start(&t.root);
    // Things that exist outside the output directory, and text that would betray them.
    let secret = t.dir.path().join("secret.txt");
    std::fs::write(&secret, "TOP SECRET").unwrap();
    std::os::unix::fs::symlink(&secret, s.out_dir.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(&t.root, s.out_dir.join("site")).unwrap();
    std::os::unix::fs::symlink("/etc", s.out_dir.join("etc")).unwrap();
    let betrays = |r: &Response| {
        let text = r.text();
        text.contains("TOP SECRET")
            || text.contains("title: Test Briefing")
            || text.contains("root:x:0:0")
    };
    for target in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E%2Fsite.yaml",
        "/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/incidents/..%2f..%2fsite.yaml",
        "/..%5csite.yaml",
        "/..\\site.yaml",
        "/static/%2e%2e/%2e%2e/site.yaml",
        "/site.yaml%00.html",
        "//etc/passwd",
        "/etc/passwd",
        "/leak.txt",
        "/site/site.yaml",
        "/site/",
        "/etc/",
        "site.yaml",
        "http://127.0.0.1/../site.yaml",
    ] {
        let r = s.get(target);
        assert!(r.status == 400 || r.status == 404, "{target}: {}", r.status);
        assert!(!betrays(&r), "{target} leaked: {}", r.text());
    }
    // The same file reached properly is served.
    assert_eq!(s.get("/static/style.css").status, 200);
}

#[test]
fn statuses_methods_redirects_and_content_types() {
    let t = SiteTest::fixture("basic");
    let s = Served::start(&t.root);

    let missing = s.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("kind-404"), "the site's 404 page");
    assert!(missing.text().contains("/__briefwerk/live.js"));

    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let r = request(s.port, method, "/");
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("allow"), Some("GET, HEAD"));
    }

    let get = s.get("/groups/jnim/");
    let head = request(s.port, "HEAD", "/groups/jnim/");
    assert_eq!((get.status, head.status), (200, 200));
    assert_eq!(head.header("content-length"), get.header("content-length"));
    assert!(head.body.is_empty());

    let r = s.get("/groups/jnim");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("/groups/jnim/"));
    let r = s.get("//groups");
    assert_eq!(
        r.header("location"),
        Some("/groups/"),
        "never a protocol-relative redirect"
    );

    // Files of every common kind, written into the output directory for the test.
    for (name, ty) in [
        ("a.json", "application/json"),
        ("a.geojson", "application/geo+json"),
        ("a.xml", "application/xml"),
        ("a.csv", "text/csv"),
        ("a.txt", "text/plain"),
        ("a.js", "text/javascript"),
        ("a.png", "image/png"),
        ("a.jpg", "image/jpeg"),
        ("a.woff2", "font/woff2"),
        ("favicon.ico", "image/x-icon"),
    ] {
        std::fs::write(s.out_dir.join(name), "x").unwrap();
        let r = s.get(&format!("/{name}"));
        assert_eq!(r.status, 200, "{name}; stderr:\n{}", s.stderr());
        assert!(
            r.header("content-type").unwrap().starts_with(ty),
            "{name}: {:?}",
            r.header("content-type")
        );
    }
    assert!(
        s.get("/")
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        s.get("/static/style.css")
            .header("content-type")
            .unwrap()
            .starts_with("text/css")
    );
    assert!(
        s.get("/static/favicon.svg")
            .header("content-type")
            .unwrap()
            .starts_with("image/svg+xml")
    );
}

#[test]
fn stops_cleanly_on_ctrl_c_and_removes_its_output() {
    let t = SiteTest::fixture("basic");
    let mut s = Served::start(&t.root);
    assert!(
        s.out_dir.join("index.html").is_file(),
        "no index.html; stderr:\n{}",
        s.stderr()
    );
    let _events = Events::connect(s.port, None);
    Command::new("kill")
        .args(["-INT", &s.child.id().to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(st) = s.child.try_wait().unwrap() {
            break st;
        }
        assert!(Instant::now() < deadline, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    assert!(!s.out_dir.exists(), "temporary output removed");
}

/// `clients` threads, each on keep-alive connections (renewed every 50 requests) asking for
/// pages in turn, for `seconds`, with 20 event streams open all along. Returns (requests, errors).
fn load(port: u16, clients: usize, seconds: u64) -> (usize, usize) {
    let pages = [
        "/",
        KANGABA_PAGE,
        "/groups/jnim/",
        "/static/style.css",
        "/chronology/2016/",
        "/no/such/",
    ];
    let done = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    // Event streams held open all along must not take the threads that serve pages.
    let _streams: Vec<Events> = (0..20).map(|_| Events::connect(port, None)).collect();
    let threads: Vec<_> = (0..clients)
        .map(|i| {
            let (done, errors, stop) = (Arc::clone(&done), Arc::clone(&errors), Arc::clone(&stop));
            std::thread::spawn(move || {
                let mut n = i;
                'outer: while !stop.load(Ordering::Relaxed) {
                    let Ok(conn) = TcpStream::connect(("127.0.0.1", port)) else {
                        errors.fetch_add(1, Ordering::Relaxed);
                        continue;
                    };
                    conn.set_read_timeout(Some(Duration::from_secs(10)))
                        .unwrap();
                    let mut writer = conn.try_clone().unwrap();
                    let mut reader = BufReader::new(conn);
                    for _ in 0..50 {
                        if stop.load(Ordering::Relaxed) {
                            break 'outer;
                        }
                        let page = pages[n % pages.len()];
                        n += 1;
                        let sent = write!(writer, "GET {page} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                        let ok = sent.is_ok()
                            && match read_response(&mut reader, false) {
                                Ok(r) => {
                                    r.status == if page == "/no/such/" { 404 } else { 200 }
                                        && !r.body.is_empty()
                                }
                                Err(_) => false,
                            };
                        if ok {
                            done.fetch_add(1, Ordering::Relaxed);
                        } else {
                            errors.fetch_add(1, Ordering::Relaxed);
                            continue 'outer;
                        }
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    (done.load(Ordering::Relaxed), errors.load(Ordering::Relaxed))
}

#[test]
fn holds_200_concurrent_clients() {
    let t = SiteTest::fixture("basic");
    let s = Served::start(&t.root);
    let started = Instant::now();
    let (requests, errors) = load(s.port, 200, 4);
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "200 clients, {secs:.1} s: {requests} requests ({:.0}/s), {errors} errors",
        requests as f64 / secs
    );
    assert_eq!(errors, 0);
    assert!(
        requests > 200,
        "every client was answered at least once: {requests}"
    );
    // And a page still comes back promptly afterwards.
    assert_eq!(s.get("/").status, 200);
}

/// The figure: 200 clients for 10 seconds. `cargo test -- --ignored` runs it.
#[test]
#[ignore]
fn holds_200_concurrent_clients_for_10_seconds() {
    let t = SiteTest::fixture("basic");
    let s = Served::start(&t.root);
    let (requests, errors) = load(s.port, 200, 10);
    eprintln!(
        "200 clients, 10 s: {requests} requests ({:.0}/s), {errors} errors",
        requests as f64 / 10.0
    );
    assert_eq!(errors, 0);
}

// ---------------------------------------------------------------------------------------
// Issue 14: hostile clients. These run the server in this process through the library, with
// limits shortened so that the tests take seconds; `Limits::default()` (what the binary
// uses) is pinned by a unit test in src/serve.rs.

/// A server run in this process, stopped (and joined) when dropped.
struct InProcess {
    port: u16,
    stop: briefwerk::serve::StopHandle,
    thread: Option<std::thread::JoinHandle<()>>,
    _site: SiteTest,
}

impl InProcess {
    fn start(limits: briefwerk::serve::Limits) -> InProcess {
        use briefwerk::serve::{Event, ServeOptions, Server};
        let site = SiteTest::fixture("basic");
        let server = Server::bind(ServeOptions {
            root: site.root.clone(),
            port: 0,
            limits,
            ..ServeOptions::default()
        })
        .unwrap();
        let port = server
            .url()
            .strip_prefix("http://127.0.0.1:")
            .and_then(|r| r.strip_suffix('/'))
            .unwrap()
            .parse()
            .unwrap();
        let stop = server.stop_handle();
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            server
                .run(|e| {
                    if let Event::Listening { .. } = e {
                        let _ = tx.send(());
                    }
                })
                .unwrap();
        });
        rx.recv_timeout(WAIT).expect("the server listens");
        InProcess {
            port,
            stop,
            thread: Some(thread),
            _site: site,
        }
    }
}

impl Drop for InProcess {
    fn drop(&mut self) {
        self.stop.stop();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// True once the server has closed `s` (or answered on it: a slow head is only ever answered
/// with a refusal). `s` is non-blocking.
fn closed_by_server(s: &mut TcpStream) -> bool {
    let mut buf = [0u8; 512];
    match s.read(&mut buf) {
        // End of stream, or an answer (408 or 503): either way the server is done with it.
        Ok(0 | 1..) => true,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    }
}

/// One `GET` on a fresh connection from `conn`; returns the status (or why there was none)
/// and how long it took. A server that refuses a connection may answer and close before
/// the request is sent, so a failed write still reads the answer.
fn timed_get(mut conn: TcpStream, path: &str) -> (Result<u16, String>, Duration) {
    let started = Instant::now();
    conn.set_read_timeout(Some(WAIT)).unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    let _ = conn.write_all(request.as_bytes());
    let result = read_response(&mut BufReader::new(conn), false)
        .map(|r| r.status)
        .map_err(|e| e.to_string());
    (result, started.elapsed())
}

#[test]
fn slow_request_heads_are_cut_off_and_never_starve_other_clients() {
    // The attack, scaled to the test's limits: half as many connections again as
    // the server takes, each sending one header line every 300 ms (well inside any per-read
    // timeout) and never the blank line that ends the head; every one the server closes is
    // opened again at once.
    let head_deadline = Duration::from_millis(1500);
    let s = InProcess::start(briefwerk::serve::Limits {
        head_deadline,
        max_connections: 64,
        max_connections_per_peer: 64,
        ..Default::default()
    });
    let port = s.port;
    let attacking = Arc::new(AtomicBool::new(true));
    let attacker = {
        let attacking = Arc::clone(&attacking);
        std::thread::spawn(move || {
            let mut open: Vec<(TcpStream, Instant)> = Vec::new();
            let mut lifetimes: Vec<Duration> = Vec::new();
            let mut opened = 0usize;
            let drain_until = Arc::new(Mutex::new(None::<Instant>));
            loop {
                let draining = !attacking.load(Ordering::Relaxed);
                if draining {
                    let mut until = drain_until.lock().unwrap();
                    let until = until.get_or_insert_with(|| Instant::now() + head_deadline * 3);
                    if open.is_empty() || Instant::now() > *until {
                        break;
                    }
                } else {
                    while open.len() < 96 {
                        let Ok(mut c) = TcpStream::connect(("127.0.0.1", port)) else {
                            break;
                        };
                        if c.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                            .is_err()
                        {
                            continue;
                        }
                        c.set_nonblocking(true).unwrap();
                        opened += 1;
                        open.push((c, Instant::now()));
                    }
                }
                open.retain_mut(|(c, since)| {
                    let _ = c.write_all(b"X-Slow: 1\r\n");
                    if closed_by_server(c) {
                        lifetimes.push(since.elapsed());
                        false
                    } else {
                        true
                    }
                });
                std::thread::sleep(Duration::from_millis(300));
            }
            let longest_still_open = open.iter().map(|(_, since)| since.elapsed()).max();
            (opened, lifetimes, longest_still_open)
        })
    };
    // Let the attack fill the server first.
    std::thread::sleep(Duration::from_millis(800));
    let mut failures = Vec::new();
    let mut served = 0;
    let mut slowest = Duration::ZERO;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(4) {
        let (status, took) = timed_get(TcpStream::connect(("127.0.0.1", port)).unwrap(), "/");
        slowest = slowest.max(took);
        match status {
            Ok(200) if took < Duration::from_secs(2) => served += 1,
            other => failures.push(format!("{other:?} after {} ms", took.as_millis())),
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    attacking.store(false, Ordering::Relaxed);
    let (opened, lifetimes, longest_still_open) = attacker.join().unwrap();
    let longest = lifetimes.iter().max().copied().unwrap_or_default();
    eprintln!(
        "slowloris: {opened} slow connections opened; a normal client served {served} times, \
         slowest {} ms; longest slow connection {} ms",
        slowest.as_millis(),
        longest.as_millis()
    );
    assert!(
        failures.is_empty(),
        "the normal client was not served ({} of {}): {failures:?}",
        failures.len(),
        failures.len() + served
    );
    assert!(opened > 96, "the attack went on: {opened}");
    assert_eq!(
        longest_still_open, None,
        "slow connections still open {:?} after the head deadline",
        longest_still_open
    );
    // Detection is at 300 ms intervals; the rest is slack for a loaded machine.
    assert!(
        longest <= head_deadline + Duration::from_secs(2),
        "a slow connection lived {} ms with a {} ms head deadline",
        longest.as_millis(),
        head_deadline.as_millis()
    );
}

/// A TCP connection to 127.0.0.1:`port` from the loopback address `source`, so a test can be
/// two peers at once (Linux routes all of 127.0.0.0/8 to the loopback interface).
#[cfg(target_os = "linux")]
fn connect_from(source: std::net::Ipv4Addr, port: u16) -> TcpStream {
    use std::os::fd::FromRawFd;
    let sockaddr = |ip: std::net::Ipv4Addr, port: u16| libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: port.to_be(),
        sin_addr: libc::in_addr {
            s_addr: u32::from(ip).to_be(),
        },
        sin_zero: [0; 8],
    };
    let len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
    // SAFETY: plain socket calls on a descriptor this function owns until it is handed to
    // TcpStream; the addresses live across the calls that read them.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0);
        assert!(fd >= 0, "socket: {}", std::io::Error::last_os_error());
        let stream = TcpStream::from_raw_fd(fd);
        let from = sockaddr(source, 0);
        let rc = libc::bind(fd, (&raw const from).cast(), len);
        assert_eq!(rc, 0, "bind {source}: {}", std::io::Error::last_os_error());
        let to = sockaddr(std::net::Ipv4Addr::LOCALHOST, port);
        let rc = libc::connect(fd, (&raw const to).cast(), len);
        assert_eq!(rc, 0, "connect: {}", std::io::Error::last_os_error());
        stream
    }
}

/// Opens an event stream on `conn`; returns it and the response's status line.
#[cfg(target_os = "linux")]
fn open_events(mut conn: TcpStream) -> (TcpStream, String) {
    conn.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        conn,
        "GET /__briefwerk/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut line = String::new();
    let _ = reader.read_line(&mut line);
    (conn, line)
}

/// Retries `attempt` (a connection just closed frees its place a moment later) until it
/// returns `Some`, for at most five seconds.
#[cfg(target_os = "linux")]
fn within_5s<T>(what: &str, mut attempt: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(t) = attempt() {
            return t;
        }
        assert!(Instant::now() < deadline, "{what}: not within 5 s");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_peer_at_its_connection_cap_is_refused_while_others_are_served() {
    use std::net::Ipv4Addr;
    let s = InProcess::start(briefwerk::serve::Limits {
        max_connections_per_peer: 3,
        max_event_streams_per_peer: 3,
        ..Default::default()
    });
    let greedy = Ipv4Addr::new(127, 0, 0, 2);
    // Two live-reload streams and a request head that never ends: the peer's three places.
    let mut streams = Vec::new();
    for _ in 0..2 {
        let (conn, status) = open_events(connect_from(greedy, s.port));
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        streams.push(conn);
    }
    let mut slow = connect_from(greedy, s.port);
    slow.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    // A new request from the same peer takes the place of its stalled head.
    let (status, _) = timed_get(connect_from(greedy, s.port), "/");
    assert_eq!(status, Ok(200), "a new request from a peer at its cap");
    slow.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let mut rest = Vec::new();
    assert!(
        slow.read_to_end(&mut rest).is_ok(),
        "the stalled head was closed"
    );
    // Three busy connections (event streams): the next one from this peer is refused...
    within_5s("a third stream", || {
        let (conn, status) = open_events(connect_from(greedy, s.port));
        status
            .starts_with("HTTP/1.1 200")
            .then(|| streams.push(conn))
    });
    let (status, _) = timed_get(connect_from(greedy, s.port), "/");
    assert!(
        matches!(status, Ok(503) | Err(_)),
        "a fourth connection from a peer capped at three: {status:?}"
    );
    // ...while another peer is served, pages and live reload alike (the same cap applies to
    // it: each request waits until the previous connection's place is free).
    for page in ["/", "/groups/jnim/", "/static/style.css"] {
        within_5s(page, || {
            let (status, _) = timed_get(TcpStream::connect(("127.0.0.1", s.port)).unwrap(), page);
            (status == Ok(200)).then_some(())
        });
    }
    within_5s("another peer's stream", || {
        let (conn, status) = open_events(TcpStream::connect(("127.0.0.1", s.port)).unwrap());
        status.starts_with("HTTP/1.1 200").then_some(conn)
    });
}

#[cfg(target_os = "linux")]
#[test]
fn live_reload_streams_are_capped_per_peer_and_freed_when_a_page_closes() {
    use std::net::Ipv4Addr;
    let s = InProcess::start(briefwerk::serve::Limits {
        max_event_streams_per_peer: 2,
        ..Default::default()
    });
    let greedy = Ipv4Addr::new(127, 0, 0, 2);
    let mut streams: Vec<TcpStream> = (0..2)
        .map(|_| {
            let (conn, status) = open_events(connect_from(greedy, s.port));
            assert!(status.starts_with("HTTP/1.1 200"), "{status}");
            conn
        })
        .collect();
    let (_, status) = open_events(connect_from(greedy, s.port));
    assert!(
        status.starts_with("HTTP/1.1 503"),
        "a third stream: {status}"
    );
    // Pages of that peer are still served, and other peers get their own streams.
    let (status, _) = timed_get(connect_from(greedy, s.port), "/");
    assert_eq!(status, Ok(200));
    let (_other, status) = open_events(TcpStream::connect(("127.0.0.1", s.port)).unwrap());
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    // A closed tab gives its place back promptly (not at the next keep-alive ping).
    drop(streams.pop());
    within_5s("a stream after one closed", || {
        let (conn, status) = open_events(connect_from(greedy, s.port));
        status.starts_with("HTTP/1.1 200").then_some(conn)
    });
}

// ---------------------------------------------------------------------------------------
// Issue 14: what reaches the server must be addressed to it, and nothing from a request may
// end up as a header line of its own.

/// Sends `raw` as it is on a fresh connection and returns everything the server answers
/// until it closes (requests here say `Connection: close`, or are refused).
fn exchange(port: u16, raw: &[u8]) -> Vec<u8> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    let _ = s.write_all(raw);
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    answer
}

/// An answer split into status, head (as sent, bytes) and body (as text).
fn split_answer(answer: &[u8]) -> (u16, Vec<u8>, String) {
    let end = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(answer)));
    let head = answer[..end + 2].to_vec();
    let status = String::from_utf8_lossy(&head)
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = String::from_utf8_lossy(&answer[end + 4..]).into_owned();
    (status, head, body)
}

/// A GET of `target` with the given `Host` header (none if `None`).
fn get_as(port: u16, target: &str, host: Option<&str>) -> (u16, Vec<u8>, String) {
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    split_answer(&exchange(
        port,
        format!("GET {target} HTTP/1.1\r\n{host}Connection: close\r\n\r\n").as_bytes(),
    ))
}

fn header_of<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.split("\r\n").find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[test]
fn only_requests_addressed_to_this_server_are_answered() {
    let t = SiteTest::fixture("basic");
    let s = Served::start_with(&t.root, &["--allow-host", "laptop.local"]);
    let port = s.port;
    let with_port = |h: &str| format!("{h}:{port}");
    // A browser tricked by DNS rebinding sends the attacker's name. Every route refuses it:
    // pages, files, the 404 page (which carries the error overlay), the live-reload script
    // and the event stream that carries diagnostics.
    for host in [
        "evil.example".to_string(),
        with_port("evil.example"),
        with_port("localhost.evil.example"),
        with_port("127.0.0.1.evil.example"),
        with_port("0.0.0.0"),
        with_port("other.local"),
    ] {
        for target in [
            "/",
            KANGABA_PAGE,
            "/static/style.css",
            "/no/such/",
            "/__briefwerk/live.js",
            "/__briefwerk/events",
        ] {
            let (status, head, body) = get_as(port, target, Some(&host));
            assert_eq!(status, 421, "{host} {target}");
            let head = String::from_utf8_lossy(&head);
            assert!(
                header_of(&head, "content-type").is_some_and(|t| t.starts_with("text/plain")),
                "{head}"
            );
            assert!(body.contains("--allow-host"), "{body}");
            for secret in ["Test Briefing", "Kangaba", "EventSource", "event:", "body{"] {
                assert!(!body.contains(secret), "{host} {target}: {body}");
            }
        }
    }
    // The names this server goes by, with any port.
    for host in [
        "localhost".to_string(),
        with_port("localhost"),
        "LOCALHOST".to_string(),
        with_port("127.0.0.1"),
        "127.0.0.5".to_string(),
        with_port("[::1]"),
        with_port("laptop.local"),
    ] {
        let (status, _, body) = get_as(port, "/", Some(&host));
        assert_eq!(status, 200, "{host}");
        assert!(body.contains("Test Briefing"), "{host}");
    }
    // HTTP/1.1 requires Host; HTTP/1.0 did not have it.
    let (status, _, _) = get_as(port, "/", None);
    assert_eq!(status, 400, "HTTP/1.1 without Host");
    let (status, _, body) = split_answer(&exchange(port, b"GET / HTTP/1.0\r\n\r\n"));
    assert_eq!(status, 200, "HTTP/1.0 without Host");
    assert!(body.contains("Test Briefing"));
    let (status, _, _) = split_answer(&exchange(
        port,
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    ));
    assert_eq!(status, 400, "two Host headers");
    // Absolute-form targets: this server is no proxy to other hosts.
    for target in [
        "http://evil.example/".to_string(),
        format!("http://evil.example:{port}/groups/jnim/"),
        "HTTP://evil.example".to_string(),
    ] {
        let (status, _, body) = get_as(port, &target, Some("127.0.0.1"));
        assert_eq!(status, 421, "{target}");
        assert!(!body.contains("JNIM"), "{target}");
    }
    let (status, _, body) = get_as(
        port,
        &format!("http://127.0.0.1:{port}/groups/jnim/"),
        Some("127.0.0.1"),
    );
    assert_eq!(status, 200);
    assert!(body.contains("JNIM") || body.contains("Jama"), "{body}");
    let (status, head, _) = get_as(port, "HTTP://localhost/groups/jnim", Some("localhost"));
    assert_eq!(status, 301);
    assert_eq!(
        header_of(&String::from_utf8_lossy(&head), "location"),
        Some("/groups/jnim/")
    );

    // While the sources are broken, the diagnostics (file names, lines) go only to pages
    // of this server.
    edit(&t, KANGABA, "date: \"2017-06-18\"", "date: \"2017-06-31\"");
    let mut events = Events::connect(port, None);
    loop {
        let (name, data) = events.next();
        if name == "error" {
            assert!(data.contains("2017-06-31"), "{data}");
            break;
        }
    }
    let (status, _, body) = get_as(port, "/__briefwerk/events", Some("evil.example"));
    assert_eq!(status, 421);
    assert!(
        !body.contains("2017-06-31") && !body.contains(KANGABA),
        "{body}"
    );
}

/// True if `head` (a response head as sent) has a control character other than the CR LF
/// that end its lines, or a byte that is not ASCII.
fn head_is_clean(head: &[u8]) -> bool {
    let mut i = 0;
    while i < head.len() {
        let b = head[i];
        let ok = match b {
            b'\r' => head.get(i + 1) == Some(&b'\n'),
            b'\n' => i > 0 && head[i - 1] == b'\r',
            b'\t' => true,
            0x20..=0x7e => true,
            _ => false,
        };
        if !ok {
            return false;
        }
        i += 1;
    }
    true
}

#[test]
fn control_characters_from_a_request_never_reach_a_header() {
    let t = SiteTest::fixture("basic");
    let s = Served::start(&t.root);
    // `/groups/jnim` is a folder: asked without its slash it is redirected, and the
    // redirect carries the query along. Raw control characters and raw non-ASCII bytes in
    // the target are refused, whether in the query or in the path.
    let targets: [&[u8]; 11] = [
        b"/groups/jnim?a\rSet-Cookie:%20x=1",
        b"/groups/jnim?a\r\nSet-Cookie:%20x=1",
        b"/groups/jnim?a\nSet-Cookie:%20x=1",
        b"/groups/jnim?a\x00b",
        b"/groups/jnim?a\x7fb",
        b"/groups/jnim?a\x1bb",
        b"/groups/jn\rim",
        b"/groups/jn\x00im",
        b"/groups\r/jnim",
        b"/groups/jnim?caf\xc3\xa9",
        b"/groups/jnim\xff",
    ];
    for target in targets {
        let mut raw = b"GET ".to_vec();
        raw.extend_from_slice(target);
        raw.extend_from_slice(b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        let answer = exchange(s.port, &raw);
        let shown = String::from_utf8_lossy(target).escape_debug().to_string();
        let (status, head, _) = split_answer(&answer);
        assert!(
            head_is_clean(&head),
            "{shown}: {:?}",
            String::from_utf8_lossy(&head)
        );
        let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
        assert!(!head.contains("set-cookie"), "{shown}: {head}");
        assert!(header_of(&head, "location").is_none(), "{shown}: {head}");
        assert_eq!(status, 400, "{shown}");
    }
    // Percent-encoded, the same characters are only text: redirected as they came.
    let (status, head, _) = get_as(
        s.port,
        "/groups/jnim?a%0D%0ASet-Cookie:%20x=1",
        Some("127.0.0.1"),
    );
    assert_eq!(status, 301);
    assert!(head_is_clean(&head));
    let head = String::from_utf8_lossy(&head);
    assert_eq!(
        header_of(&head, "location"),
        Some("/groups/jnim/?a%0D%0ASet-Cookie:%20x=1")
    );
    assert!(
        !head
            .lines()
            .any(|l| l.to_ascii_lowercase().starts_with("set-cookie")),
        "{head}"
    );
}

#[test]
fn oversized_heads_are_refused_and_every_answer_forbids_sniffing() {
    let t = SiteTest::fixture("basic");
    let s = Served::start(&t.root);
    // Host and 100 more: 101 header lines.
    let lines: String = (0..100).map(|i| format!("X-{i}: 1\r\n")).collect();
    let (status, _, _) = split_answer(&exchange(
        s.port,
        format!("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n{lines}\r\n").as_bytes(),
    ));
    assert_eq!(status, 431, "101 header lines");
    let big = "a".repeat(17 * 1024);
    let (status, _, _) = split_answer(&exchange(
        s.port,
        format!("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {big}\r\n\r\n").as_bytes(),
    ));
    assert_eq!(status, 431, "a 17 KiB header");
    // Host, 98 more and Connection: 100.
    let lines: String = (0..98).map(|i| format!("X-{i}: 1\r\n")).collect();
    let (status, _, _) = split_answer(&exchange(
        s.port,
        format!("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n{lines}Connection: close\r\n\r\n").as_bytes(),
    ));
    assert_eq!(status, 200, "100 header lines are fine");

    // A folder without an index page is not listed: it is not found.
    let (status, _, body) = get_as(s.port, "/static/", Some("127.0.0.1"));
    assert_eq!(status, 404);
    assert!(body.contains("kind-404"), "the site's 404 page");

    // Whatever the answer, the browser may not guess another type than the one sent.
    let answers = [
        get_as(s.port, "/", Some("127.0.0.1")),
        get_as(s.port, "/groups/jnim", Some("127.0.0.1")),
        get_as(s.port, "/no/such/", Some("127.0.0.1")),
        get_as(s.port, "/%2e%2e/site.yaml", Some("127.0.0.1")),
        get_as(s.port, "/", Some("evil.example")),
        get_as(s.port, "/__briefwerk/live.js", Some("127.0.0.1")),
        split_answer(&exchange(
            s.port,
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        )),
    ];
    let statuses: Vec<u16> = answers.iter().map(|a| a.0).collect();
    assert_eq!(statuses, [200, 301, 404, 400, 421, 200, 405]);
    for (status, head, _) in answers {
        let head = String::from_utf8_lossy(&head);
        assert_eq!(
            header_of(&head, "x-content-type-options"),
            Some("nosniff"),
            "{status}"
        );
    }
}
