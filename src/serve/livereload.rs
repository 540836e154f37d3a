//! Live reload: the script every served page loads, the event stream it listens to, and the
//! error overlay's text.
//!
//! Takes the [`Shared`] state the build loop updates; returns HTML with the script tag added
//! ([`inject`]) and server-sent events (`reload` after a good build, `error` with the
//! diagnostics as escaped HTML after a bad one). The script itself is
//! `src/serve/livereload.js`, compiled in. It is added to HTML responses here, at serve
//! time only: must never reach `build` output, and must never put unescaped diagnostics
//! into a page.

use std::net::TcpStream;
use std::sync::PoisonError;
use std::time::{Duration, Instant};

use super::http::{INTERNAL, Shared, send};
use crate::error::Error;

/// The script every served HTML page loads: listens for `reload` and `error` events and shows
/// errors in an overlay. The diagnostics arrive already escaped as HTML.
pub(super) const SCRIPT: &str = include_str!("livereload.js");

/// How often an idle event stream checks whether its page went away, so a closed tab gives
/// its place back within a second rather than at the next ping.
const STREAM_CHECK: Duration = Duration::from_secs(1);
/// Interval of keep-alive comments on event streams (finds clients that went away).
const PING: Duration = Duration::from_secs(15);

/// The diagnostics of a failed build as escaped HTML for the overlay.
pub(super) fn error_html(e: &Error) -> String {
    let text = match e {
        Error::Invalid(d) => format!("{}{}", d.render(false), d.summary()),
        other => format!("error: {other}"),
    };
    crate::text::escape(&text)
}

/// Adds the live-reload script before the last `</body>` (or at the end).
pub(super) fn inject(mut html: Vec<u8>, generation: u64) -> Vec<u8> {
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
pub(super) fn event_stream(stream: &mut TcpStream, shared: &Shared, query: &str) {
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
            crate::text::escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
