//! Link checker for a built site: every internal link, asset reference and `#fragment` in
//! every page must resolve.
//!
//! [`check_links`] walks every `.html` file under an output directory, parses it with an HTML5
//! parser (`scraper`, i.e. html5ever, the parser browsers follow), and checks each internal
//! reference it finds:
//!
//! - `href` (`a`, `area`, `link`, SVG `use`/`image`, also `xlink:href`), `src` (`img`, `script`,
//!   `iframe`, `source`, `audio`, `video`, `track`, `embed`, `input`), `srcset` (`img`,
//!   `source`), `poster` (`video`), `data` (`object`), `action` (`form`), the `content` of
//!   `og:url`/`og:image`/`twitter:image` meta tags, and `url(…)` in `style` attributes,
//!   `<style>` elements and every `.css` file of the site;
//! - relative URLs are resolved against the page's own path, absolute paths must start with the
//!   site's base path (`/sahel/` for `base_url: https://example.org/sahel/`), and absolute URLs
//!   on the site's own origin count as internal;
//! - a URL ending in `/` (or naming a directory) means that directory's `index.html`;
//! - a `#fragment` must name an `id` (or an `<a name>`) in the target page (`#` and `#top` are
//!   always fine, as in browsers);
//! - external `http(s)://` URLs, `mailto:`, `tel:` and other schemes are not followed; a
//!   `data:` URL is fine for images and other embedded resources but not as a link target.
//!
//! Each broken reference becomes one [`Diagnostic`] at the page (path relative to the output
//! directory), line and column of the attribute value, with a "did you mean" when a close path
//! or id exists. The check reads only; it never writes.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;
use scraper::{ElementRef, Html};

use crate::diagnostic::{Diagnostic, Diagnostics, Location, did_you_mean};
use crate::error::Error;
use crate::routes;

/// What [`check_links`] found.
#[derive(Debug, Clone, Default)]
pub struct LinkReport {
    /// HTML pages parsed.
    pub pages: usize,
    /// CSS files scanned.
    pub stylesheets: usize,
    /// Internal references checked (links, assets, fragments).
    pub links: usize,
    /// One error per broken reference (plus warnings), sorted by file and position.
    pub diagnostics: Diagnostics,
}

impl LinkReport {
    /// Number of broken references (the errors).
    pub fn broken(&self) -> usize {
        self.diagnostics.error_count()
    }

    /// One line for the CLI, e.g. `checked 1,204 links in 214 pages: 0 broken`.
    pub fn summary(&self) -> String {
        format!(
            "checked {} internal links in {} pages and {} stylesheets: {} broken",
            self.links,
            self.pages,
            self.stylesheets,
            self.broken()
        )
    }
}

/// Checks every internal link, asset reference and fragment of the built site in `out_dir`.
///
/// `base_url` is the site's `base_url` as configured (e.g. `https://example.org/sahel/`, or a
/// bare path such as `/sahel/`, or `/`): it tells which absolute paths and absolute URLs are
/// internal. Fails only when the directory (or a file in it) cannot be read; broken links are
/// reported in [`LinkReport::diagnostics`].
pub fn check_links(out_dir: &Path, base_url: &str) -> Result<LinkReport, Error> {
    let base = Base::parse(base_url);
    let mut files = BTreeSet::new();
    for entry in walkdir::WalkDir::new(out_dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(out_dir).to_path_buf();
            Error::io(
                path,
                e.into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("walk failed")),
            )
        })?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(out_dir).unwrap_or(entry.path());
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.insert(rel.join("/"));
        }
    }

    let docs: Vec<&String> = files
        .iter()
        .filter(|f| is_html(f) || f.ends_with(".css"))
        .collect();
    let scanned: Vec<Scanned> = docs
        .par_iter()
        .map(|rel| {
            let path = out_dir.join(rel.as_str());
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            Ok(if is_html(rel) {
                scan_html(rel, text)
            } else {
                scan_css(rel, text)
            })
        })
        .collect::<Result<_, Error>>()?;

    let ids: HashMap<&str, &HashSet<String>> = scanned
        .iter()
        .filter(|s| s.is_html)
        .map(|s| (s.rel.as_str(), &s.ids))
        .collect();
    let site = Site {
        files: &files,
        ids,
        base: &base,
        suggestions: Mutex::new(HashMap::new()),
    };

    let results: Vec<(usize, Diagnostics)> =
        scanned.par_iter().map(|s| site.check_page(s)).collect();
    let mut report = LinkReport {
        pages: scanned.iter().filter(|s| s.is_html).count(),
        stylesheets: scanned.iter().filter(|s| !s.is_html).count(),
        ..LinkReport::default()
    };
    for (n, d) in results {
        report.links += n;
        report.diagnostics.extend(d);
    }
    report.diagnostics.sort();
    Ok(report)
}

fn is_html(rel: &str) -> bool {
    rel.ends_with(".html") || rel.ends_with(".htm")
}

// ---------------------------------------------------------------------------------------------
// Base URL
// ---------------------------------------------------------------------------------------------

/// The site's origin (`https://example.org`, lower-cased, no default port) and base path
/// (`/sahel/`, always with leading and trailing slash).
#[derive(Debug)]
struct Base {
    origin: Option<String>,
    path: String,
}

impl Base {
    fn parse(base_url: &str) -> Base {
        let s = base_url.trim();
        let (origin, path) = match split_origin(s) {
            Some((o, p)) => (Some(o), p),
            None => (None, s.to_string()),
        };
        let mut path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        if !path.ends_with('/') {
            path.push('/');
        }
        Base {
            origin,
            path: percent_decode(&path),
        }
    }
}

/// Splits `scheme://host[:port]/path` into a normalised origin and the path (with query and
/// fragment still attached). `None` when `s` is not an absolute http(s) or protocol-relative URL.
///
/// The origin is the `url` crate's reading (scheme and host lower-cased, user info dropped,
/// default port omitted); the path is kept as written, because `url` would already have
/// removed `..` segments, hiding a link that climbs above the site root.
fn split_origin(s: &str) -> Option<(String, String)> {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    let (scheme, rest) = if lower.starts_with("https://") {
        ("https", &s[8..])
    } else if lower.starts_with("http://") {
        ("http", &s[7..])
    } else if let Some(rest) = s.strip_prefix("//") {
        ("", rest)
    } else {
        return None;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    // A protocol-relative authority is read with a scheme that has no default port, so that
    // `//host:80` and `//host` stay different (the page's own scheme decides what they mean).
    let as_url = format!(
        "{}://{}/",
        if scheme.is_empty() {
            "relative"
        } else {
            scheme
        },
        &rest[..end]
    );
    let authority = match url::Url::parse(&as_url) {
        Ok(u) => {
            let host = u.host_str().unwrap_or("").to_ascii_lowercase();
            match u.port() {
                Some(port) => format!("{host}:{port}"),
                None => host,
            }
        }
        // Not a host `url` accepts: compared as written, so it matches no site.
        Err(_) => rest[..end].to_ascii_lowercase(),
    };
    let path = &rest[end..];
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    Some((format!("{scheme}://{authority}"), path))
}

fn same_origin(a: &str, site: &str) -> bool {
    // A protocol-relative URL (`//host`) matches the site's host whatever its scheme.
    match a.strip_prefix("://") {
        Some(host) => site.split_once("://").is_some_and(|(_, h)| h == host),
        None => a == site,
    }
}

// ---------------------------------------------------------------------------------------------
// Scanning pages
// ---------------------------------------------------------------------------------------------

/// Where a reference was found and what kind of element carried it.
#[derive(Debug)]
struct Reference {
    url: String,
    /// Byte range of the URL in the page text, when it could be located.
    span: Option<(usize, usize)>,
    /// The reference navigates (a link, a form) rather than embeds a resource.
    navigates: bool,
    /// `data:` is acceptable here.
    data_ok: bool,
}

struct Scanned {
    rel: String,
    text: String,
    is_html: bool,
    ids: HashSet<String>,
    refs: Vec<Reference>,
}

fn scan_html(rel: &str, text: String) -> Scanned {
    let doc = Html::parse_document(&text);
    let mut ids = HashSet::new();
    let mut refs = PageRefs {
        loc: Locator {
            text: &text,
            cursor: 0,
        },
        list: Vec::new(),
    };
    let mut base_href: Option<String> = None;

    for node in doc.tree.root().descendants() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let v = el.value();
        let name = v.name();
        if let Some(id) = v.attr("id") {
            ids.insert(id.to_string());
        }
        if name == "a"
            && let Some(n) = v.attr("name")
        {
            ids.insert(n.to_string());
        }
        if name == "base" {
            if base_href.is_none()
                && let Some(h) = v.attr("href")
            {
                base_href = Some(h.trim().to_string());
            }
            continue;
        }
        for (attr_name, value) in v.attrs() {
            let attr = attr_name.to_ascii_lowercase();
            match attr_kind(v, &attr) {
                Some(AttrKind::Url { navigates, data_ok }) => {
                    refs.push_url(&attr, value, navigates, data_ok)
                }
                Some(AttrKind::Srcset) => refs.push_srcset(&attr, value),
                Some(AttrKind::Style) => refs.push_style_attr(&attr, value),
                None => {}
            }
        }
        if name == "style" {
            refs.push_style_element(&el.text().collect::<String>());
        }
    }

    let mut refs = refs.list;
    resolve_against_base(&mut refs, base_href);
    Scanned {
        rel: rel.to_string(),
        text,
        is_html: true,
        ids,
        refs,
    }
}

/// How an attribute refers to other files.
enum AttrKind {
    /// One URL: whether it navigates, and whether `data:` is acceptable there.
    Url { navigates: bool, data_ok: bool },
    /// A `srcset`: several image URLs.
    Srcset,
    /// A `style` attribute: the `url(…)`s of its CSS.
    Style,
}

/// What attribute `attr` (lowercased) of element `v` refers to, or `None` if nothing.
fn attr_kind(v: &scraper::node::Element, attr: &str) -> Option<AttrKind> {
    let url = |navigates, data_ok| Some(AttrKind::Url { navigates, data_ok });
    let name = v.name();
    match (name, attr) {
        ("a" | "area", "href") => url(true, false),
        ("form", "action") => url(true, false),
        ("link", "href") => {
            let rel_attr = v.attr("rel").unwrap_or("").to_ascii_lowercase();
            if rel_attr
                .split_ascii_whitespace()
                .any(|r| r == "preconnect" || r == "dns-prefetch")
            {
                return None;
            }
            let nav = rel_attr.split_ascii_whitespace().any(|r| {
                matches!(
                    r,
                    "alternate"
                        | "canonical"
                        | "next"
                        | "prev"
                        | "author"
                        | "help"
                        | "license"
                        | "search"
                )
            });
            url(nav, !nav)
        }
        (_, "href" | "xlink:href") if matches!(name, "use" | "image" | "feimage") => {
            url(false, true)
        }
        ("iframe", "src") => url(true, false),
        ("img" | "script" | "source" | "audio" | "video" | "track" | "embed" | "input", "src") => {
            url(false, true)
        }
        ("img" | "source", "srcset") => Some(AttrKind::Srcset),
        ("video", "poster") | ("object", "data") => url(false, true),
        ("meta", "content") => {
            let prop = v.attr("property").or_else(|| v.attr("name")).unwrap_or("");
            if !matches!(prop, "og:url" | "og:image" | "twitter:image") {
                return None;
            }
            // Only absolute URLs are meaningful here; relative ones are checked too.
            url(prop == "og:url", prop != "og:url")
        }
        (_, "style") => Some(AttrKind::Style),
        _ => None,
    }
}

/// The references of one page, located in its text as they are found.
struct PageRefs<'a> {
    loc: Locator<'a>,
    list: Vec<Reference>,
}

impl PageRefs<'_> {
    /// An embedded resource, which a `data:` URL may stand for.
    fn push_resource(&mut self, url: &str, span: Option<(usize, usize)>) {
        self.list.push(Reference {
            url: url.to_string(),
            span,
            navigates: false,
            data_ok: true,
        });
    }

    /// The one URL an attribute holds.
    fn push_url(&mut self, attr: &str, value: &str, navigates: bool, data_ok: bool) {
        let text = self.loc.text;
        let span = self
            .loc
            .find(attr, value)
            .map(|(s, e)| trim_span(text, s, e));
        self.list.push(Reference {
            url: value.trim().to_string(),
            span,
            navigates,
            data_ok,
        });
    }

    /// Each URL of a `srcset` attribute.
    fn push_srcset(&mut self, attr: &str, value: &str) {
        let text = self.loc.text;
        let at = self.loc.find(attr, value);
        for (url, off) in srcset_urls(value) {
            let span = at.map(|(s, _)| {
                let raw = &text[s..];
                // The raw value may hold entities; find the URL inside it if we can.
                match raw.find(url) {
                    Some(i) if i <= off + 16 => (s + i, s + i + url.len()),
                    _ => (s, s + value.len().min(raw.len())),
                }
            });
            self.push_resource(url, span);
        }
    }

    /// Each `url(…)` of a `style` attribute.
    fn push_style_attr(&mut self, attr: &str, value: &str) {
        let at = self.loc.find(attr, value);
        for (url, off) in css_urls(value) {
            self.push_resource(url, at.map(|(s, _)| (s + off, s + off + url.len())));
        }
    }

    /// Each `url(…)` of a `<style>` element's CSS, looked for after the last attribute found.
    fn push_style_element(&mut self, css: &str) {
        let cursor = self.loc.cursor;
        let start = self
            .loc
            .text
            .get(cursor..)
            .and_then(|t| t.find(css))
            .map(|i| cursor + i);
        for (url, off) in css_urls(css) {
            self.push_resource(url, start.map(|s| (s + off, s + off + url.len())));
        }
    }
}

/// Relative URLs resolved against the page's `<base href>`, which changes what they mean.
fn resolve_against_base(refs: &mut [Reference], base_href: Option<String>) {
    if let Some(b) = base_href.filter(|b| !b.is_empty()) {
        for r in refs {
            if !r.url.starts_with('#') && !has_scheme(&r.url) && !r.url.starts_with('/') {
                r.url = join_base(&b, &r.url);
            }
        }
    }
}

fn scan_css(rel: &str, text: String) -> Scanned {
    let refs = css_urls(&text)
        .into_iter()
        .map(|(url, off)| Reference {
            url: url.to_string(),
            span: Some((off, off + url.len())),
            navigates: false,
            data_ok: true,
        })
        .collect();
    Scanned {
        rel: rel.to_string(),
        text,
        is_html: false,
        ids: HashSet::new(),
        refs,
    }
}

fn join_base(base: &str, url: &str) -> String {
    if base.ends_with('/') {
        format!("{base}{url}")
    } else {
        format!("{}/{url}", base.rsplit_once('/').map_or("", |x| x.0))
    }
}

fn trim_span(text: &str, s: usize, e: usize) -> (usize, usize) {
    let raw = &text[s..e];
    let lead = raw.len() - raw.trim_start().len();
    let trail = raw.len() - raw.trim_end().len();
    if lead + trail >= raw.len() {
        (s, e)
    } else {
        (s + lead, e - trail)
    }
}

/// The URLs of a `srcset` value with their byte offsets in it.
fn srcset_urls(v: &str) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    let b = v.as_bytes();
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b',') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut url = &v[start..i];
        // A URL directly followed by a comma has no descriptor.
        let mut trailing_commas = 0;
        while url.ends_with(',') {
            url = &url[..url.len() - 1];
            trailing_commas += 1;
        }
        if !url.is_empty() {
            out.push((url, start));
        }
        if trailing_commas > 0 {
            continue;
        }
        // Skip the descriptor up to the next comma.
        while i < b.len() && b[i] != b',' {
            i += 1;
        }
    }
    out
}

/// The URLs in CSS `url(…)` and `@import "…"`, with their byte offsets. Comments are skipped.
fn css_urls(css: &str) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    let b = css.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if css[i..].starts_with("/*") {
            i = css[i + 2..].find("*/").map_or(b.len(), |j| i + 2 + j + 2);
            continue;
        }
        if b[i] == b'"' || b[i] == b'\'' {
            // A string outside url(): only `@import "x"` makes it a URL.
            let q = b[i];
            let end = css[i + 1..].find(q as char).map_or(b.len(), |j| i + 1 + j);
            let before = css[..i].trim_end();
            if before.to_ascii_lowercase().ends_with("@import") {
                out.push((&css[i + 1..end], i + 1));
            }
            i = end + 1;
            continue;
        }
        if (b[i] == b'u' || b[i] == b'U')
            && css[i..].len() >= 4
            && css[i..i + 4].eq_ignore_ascii_case("url(")
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'-'))
        {
            let mut j = i + 4;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let (start, end, next) = if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                let q = b[j] as char;
                let end = css[j + 1..].find(q).map_or(b.len(), |k| j + 1 + k);
                let close = css[end..].find(')').map_or(b.len(), |k| end + k + 1);
                (j + 1, end, close)
            } else {
                let close = css[j..].find(')').map_or(b.len(), |k| j + k);
                let raw = &css[j..close];
                (j, j + raw.trim_end().len(), close + 1)
            };
            if start <= end && end <= b.len() {
                out.push((&css[start..end], start));
            }
            i = next;
            continue;
        }
        i += 1;
    }
    out
}

/// Finds attribute values in the raw page text, in document order, to report line and column.
struct Locator<'a> {
    text: &'a str,
    cursor: usize,
}

impl Locator<'_> {
    /// Byte range of the raw value of attribute `attr` whose decoded value is `value`.
    fn find(&mut self, attr: &str, value: &str) -> Option<(usize, usize)> {
        let hit = find_attr(self.text, self.cursor, attr, value)
            .or_else(|| find_attr(self.text, 0, attr, value));
        if let Some((_, e)) = hit {
            self.cursor = e;
        }
        hit
    }
}

fn find_attr(text: &str, from: usize, attr: &str, value: &str) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let a = attr.as_bytes();
    let mut i = from;
    while i + a.len() < b.len() {
        let hit = b[i..i + a.len()].eq_ignore_ascii_case(a)
            && i > 0
            && (b[i - 1].is_ascii_whitespace() || b[i - 1] == b'"' || b[i - 1] == b'\'');
        if !hit {
            i += 1;
            continue;
        }
        let mut j = i + a.len();
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= b.len() || b[j] != b'=' {
            i += 1;
            continue;
        }
        j += 1;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let (s, e) = if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
            let q = b[j] as char;
            match text[j + 1..].find(q) {
                Some(k) => (j + 1, j + 1 + k),
                None => return None,
            }
        } else {
            let k = text[j..]
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .unwrap_or(text.len() - j);
            (j, j + k)
        };
        let raw = &text[s..e];
        if raw == value || decode_entities(raw) == value {
            return Some((s, e));
        }
        i = e;
    }
    None
}

/// Decodes the character references that serialisers put in attribute values.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(semi) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..semi];
        let ch = match ent {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "nbsp" => Some('\u{a0}'),
            _ => ent.strip_prefix('#').and_then(|n| {
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(h) => u32::from_str_radix(h, 16).ok(),
                    None => n.parse().ok(),
                };
                code.and_then(char::from_u32)
            }),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// Resolving
// ---------------------------------------------------------------------------------------------

struct Site<'a> {
    files: &'a BTreeSet<String>,
    ids: HashMap<&'a str, &'a HashSet<String>>,
    base: &'a Base,
    suggestions: Mutex<HashMap<String, Option<String>>>,
}

fn has_scheme(u: &str) -> bool {
    let Some(colon) = u.find(':') else {
        return false;
    };
    let scheme = &u[..colon];
    !scheme.is_empty()
        && scheme.as_bytes()[0].is_ascii_alphabetic()
        && scheme
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
        && !u[..colon].contains('/')
}

enum Target {
    /// Not ours to check.
    Skip,
    /// A path relative to the output directory (without query or fragment) and the fragment.
    Internal {
        path: String,
        fragment: Option<String>,
        dir_form: bool,
    },
    /// Broken before we even look at the files: why, and a suggested URL.
    Bad {
        why: String,
        suggestion: Option<String>,
    },
}

impl Site<'_> {
    fn check_page(&self, page: &Scanned) -> (usize, Diagnostics) {
        let mut diags = Diagnostics::default();
        let mut checked = 0;
        for r in &page.refs {
            let target = self.resolve(page, r);
            let (why, label, help) = match target {
                Target::Skip => continue,
                Target::Bad { why, suggestion } => {
                    checked += 1;
                    (
                        why,
                        "broken link".to_string(),
                        suggestion.map(|s| format!("did you mean `{s}`?")),
                    )
                }
                Target::Internal {
                    path,
                    fragment,
                    dir_form,
                } => {
                    checked += 1;
                    match self.check_target(r, &path, fragment.as_deref(), dir_form) {
                        None => continue,
                        Some(x) => x,
                    }
                }
            };
            let location = match r.span {
                Some((s, e)) => Location::new(&page.rel, &page.text, s, e),
                None => Location::file(&page.rel),
            };
            let code = if label.starts_with("no element") {
                "broken-fragment"
            } else {
                "broken-link"
            };
            let mut d = Diagnostic::error(
                code,
                format!("broken link `{}` in `{}`: {why}", r.url, page.rel),
            )
            .at(location, label);
            if let Some(h) = help {
                d = d.help(h);
            }
            diags.push(d);
        }
        // A 404 page is served at whatever URL was missing: relative links there go astray.
        if page.rel == routes::NOT_FOUND {
            for r in &page.refs {
                let u = r.url.as_str();
                if u.is_empty() || u.starts_with('#') || u.starts_with('/') || has_scheme(u) {
                    continue;
                }
                let location = match r.span {
                    Some((s, e)) => Location::new(&page.rel, &page.text, s, e),
                    None => Location::file(&page.rel),
                };
                diags.push(
                    Diagnostic::warning(
                        "relative-link-in-404",
                        format!("relative URL `{u}` in `404.html` resolves against the missing page's URL"),
                    )
                    .at(location, "relative URL")
                    .help("use an absolute path (with the base path) in the 404 page"),
                );
            }
        }
        (checked, diags)
    }

    /// Classifies a reference and, if internal, turns it into a path under the output dir.
    fn resolve(&self, page: &Scanned, r: &Reference) -> Target {
        let u = r.url.as_str();
        if u.is_empty() {
            return Target::Skip; // the page itself
        }
        let (without_fragment, fragment) = match u.split_once('#') {
            Some((a, f)) => (a, Some(percent_decode(f))),
            None => (u, None),
        };
        let site_path: String = if without_fragment.is_empty() || without_fragment.starts_with('?')
        {
            // Same page.
            format!("{}{}", self.base.path, page.rel)
        } else if let Some((origin, path)) = split_origin(without_fragment) {
            match &self.base.origin {
                Some(o) if same_origin(&origin, o) => path,
                _ => return Target::Skip,
            }
        } else if has_scheme(without_fragment) {
            let scheme = without_fragment
                .split(':')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if scheme == "data" && !r.data_ok {
                return Target::Bad {
                    why: "a `data:` URL cannot be followed as a link (browsers block navigation to it)".into(),
                    suggestion: None,
                };
            }
            return Target::Skip;
        } else if without_fragment.starts_with('/') {
            without_fragment.to_string()
        } else {
            let dir = match page.rel.rfind('/') {
                Some(i) => &page.rel[..=i],
                None => "",
            };
            format!("{}{}{}", self.base.path, dir, without_fragment)
        };
        let site_path = site_path.split('?').next().unwrap_or("").to_string();
        let decoded = percent_decode(&site_path);
        let Some(normal) = normalise(&decoded) else {
            return Target::Bad {
                why: "the path climbs above the site root".into(),
                suggestion: None,
            };
        };
        let Some(rel) = normal.strip_prefix(self.base.path.as_str()) else {
            if format!("{normal}/") == self.base.path {
                return Target::Bad {
                    why: "missing trailing slash".into(),
                    suggestion: Some(self.base.path.clone()),
                };
            }
            return Target::Bad {
                why: format!(
                    "the path is outside the site's base path `{}`",
                    self.base.path
                ),
                suggestion: self.rebase(&normal),
            };
        };
        let dir_form = rel.is_empty() || rel.ends_with('/');
        let path = if dir_form {
            routes::page_file(rel)
        } else {
            rel.to_string()
        };
        Target::Internal {
            path,
            fragment,
            dir_form,
        }
    }

    /// For a path outside the base path, the same page under the base path, if it exists.
    fn rebase(&self, path: &str) -> Option<String> {
        let trimmed = path.trim_start_matches('/');
        let mut candidates = vec![trimmed.to_string()];
        if let Some((_, rest)) = trimmed.split_once('/') {
            candidates.push(rest.to_string());
        }
        candidates
            .into_iter()
            .find(|c| self.exists_url(c))
            .map(|c| format!("{}{c}", self.base.path))
    }

    fn exists_url(&self, rel_url: &str) -> bool {
        self.files.contains(&routes::page_file(rel_url))
    }

    /// `None` when the target is fine; else (why, label, help).
    fn check_target(
        &self,
        r: &Reference,
        path: &str,
        fragment: Option<&str>,
        dir_form: bool,
    ) -> Option<(String, String, Option<String>)> {
        if !self.files.contains(path) {
            if !dir_form && self.files.contains(&routes::page_file(&format!("{path}/"))) {
                return Some((
                    format!("`{path}` is a directory: the URL needs a trailing slash"),
                    "missing trailing slash".into(),
                    Some(format!("did you mean `{}{path}/`?", self.base.path)),
                ));
            }
            let wanted = if dir_form {
                path.trim_end_matches(routes::INDEX_FILE).to_string()
            } else {
                path.to_string()
            };
            let help = self
                .suggest(&wanted)
                .map(|s| format!("did you mean `{}{s}`?", self.base.path));
            return Some((
                format!("no file `{path}` in the output"),
                if r.navigates {
                    "no such page".into()
                } else {
                    "no such file".into()
                },
                help,
            ));
        }
        let frag = fragment?;
        if frag.is_empty() || frag.eq_ignore_ascii_case("top") {
            return None;
        }
        let ids = self.ids.get(path)?; // not HTML: fragments are not ours to check
        if ids.contains(frag) {
            return None;
        }
        let help = did_you_mean(frag, ids.iter().map(String::as_str))
            .map(|s| format!("did you mean `#{s}`?"));
        Some((
            format!("no element with id `{frag}` in `{path}`"),
            format!("no element with id `{frag}` in the target page"),
            help,
        ))
    }

    /// The closest existing URL (relative to the base path) to `wanted`, memoised.
    fn suggest(&self, wanted: &str) -> Option<String> {
        if let Some(s) = self
            .suggestions
            .lock()
            .ok()
            .and_then(|m| m.get(wanted).cloned())
        {
            return s;
        }
        let urls = self.files.iter().map(|f| {
            if f == routes::INDEX_FILE {
                ""
            } else {
                f.strip_suffix(routes::INDEX_FILE)
                    .filter(|d| d.ends_with('/'))
                    .unwrap_or(f)
            }
        });
        // Prefer candidates in the same directory; fall back to the whole site.
        let parent = wanted
            .trim_end_matches('/')
            .rsplit_once('/')
            .map_or("", |p| p.0);
        let same_dir: Vec<&str> = urls.clone().filter(|u| u.starts_with(parent)).collect();
        let s = did_you_mean(wanted, same_dir.iter().copied())
            .or_else(|| did_you_mean(wanted, urls))
            .filter(|s| s != wanted);
        if let Ok(mut m) = self.suggestions.lock() {
            m.insert(wanted.to_string(), s.clone());
        }
        s
    }
}

/// Removes `.` and `..` segments; `None` when `..` climbs above `/`.
fn normalise(path: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len().saturating_sub(1);
    let mut trailing_slash = false;
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "" if i == 0 => {}
            "." => trailing_slash = i == last,
            ".." => {
                out.pop()?;
                trailing_slash = i == last;
            }
            "" => trailing_slash = i == last,
            s => {
                out.push(s);
                trailing_slash = false;
            }
        }
    }
    let mut s = format!("/{}", out.join("/"));
    if trailing_slash && !s.ends_with('/') {
        s.push('/');
    }
    Some(s)
}

/// `%XX` escapes decoded (any other `%` kept), bytes that are not UTF-8 replaced.
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    fn page(body: &str) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>t</title>\n\
             <link rel=\"stylesheet\" href=\"/sahel/style.css\">\n</head>\n<body>\n{body}\n</body>\n</html>\n"
        )
    }

    /// A small correct site under base path `/sahel/`.
    fn good_site(root: &Path) {
        write(
            root,
            "index.html",
            &page(
                "<nav id=\"nav\"><a href=\"/sahel/\">Home</a> <a href=\"incidents/\">Incidents</a>\n\
                 <a href=\"groups/jnim/#chronology\">JNIM</a> <a href=\"#main\">skip</a> <a href=\"#\">top</a></nav>\n\
                 <main id=\"main\"><img src=\"img/map.png\" alt=\"map\" srcset=\"img/map.png 1x, /sahel/img/map.png 2x\">\n\
                 <img src=\"data:image/png;base64,AAAA\" alt=\"\">\n\
                 <a href=\"https://example.org/sahel/incidents/?page=1\">abs</a>\n\
                 <a href=\"https://elsewhere.example/x\">ext</a> <a href=\"mailto:a@example.org\">mail</a>\n\
                 <a href=\"groups/jnim/index.html?x=1&amp;y=2#facts\">q</a> <a href=\"a%20b.html\">space</a></main>",
            ),
        );
        write(root, "a b.html", &page("<p>spaces</p>"));
        write(
            root,
            "incidents/index.html",
            &page("<a href=\"../groups/jnim/\">JNIM</a> <a href=\"../\">up</a>"),
        );
        write(
            root,
            "groups/jnim/index.html",
            &page(
                "<h2 id=\"chronology\">Chronology</h2><a name=\"facts\"></a><a href=\"../../incidents/#\">all</a>",
            ),
        );
        write(root, "img/map.png", "png");
        write(
            root,
            "style.css",
            "/* url(nope.png) */ body { background: url('img/map.png') } @import \"base.css\";",
        );
        write(root, "base.css", "p{}");
        write(root, "404.html", &page("<a href=\"/sahel/\">home</a>"));
    }

    fn messages(r: &LinkReport) -> Vec<String> {
        r.diagnostics
            .0
            .iter()
            .map(|d| format!("{} {}", d.message, d.help.clone().unwrap_or_default()))
            .collect()
    }

    #[test]
    fn a_correct_site_passes() {
        let dir = tempfile::tempdir().unwrap();
        good_site(dir.path());
        let r = check_links(dir.path(), "https://example.org/sahel/").unwrap();
        assert_eq!(r.broken(), 0, "{:#?}", messages(&r));
        assert!(r.diagnostics.is_empty(), "{:#?}", messages(&r));
        assert_eq!(r.pages, 5);
        assert_eq!(r.stylesheets, 2);
        assert!(r.links >= 16, "{}", r.links);
        // The same site checked with a bare base path passes too.
        let r = check_links(dir.path(), "/sahel").unwrap();
        assert_eq!(r.broken(), 0, "{:#?}", messages(&r));
    }

    #[test]
    fn deliberate_breaks_are_each_reported_with_position_and_suggestion() {
        let dir = tempfile::tempdir().unwrap();
        good_site(dir.path());
        write(
            dir.path(),
            "incidents/2017-06-18-kangaba/index.html",
            &page(
                "<a href=\"../2017-06-18-kangabaa/\">missing page</a>\n\
                 <a href=\"/sahel/groups/jnim/#chronolgy\">missing fragment</a>\n\
                 <img src=\"/sahel/img/mapp.png\" alt=\"map\">\n\
                 <a href=\"/groups/jnim/\">wrong base path</a>\n\
                 <a href=\"../../groups/jnim\">no slash</a>\n\
                 <a href=\"../../../../etc/passwd\">climb</a>\n\
                 <a href=\"#nowhere\">self</a>\n\
                 <a href=\"data:text/html,hi\">data link</a>\n\
                 <img alt=\"x\" srcset=\"/sahel/img/map.png 1x, /sahel/img/nope.png 2x\">",
            ),
        );
        write(
            dir.path(),
            "incidents/2017-06-18-kangabab/index.html",
            &page("<p>near</p>"),
        );
        let r = check_links(dir.path(), "https://example.org/sahel/").unwrap();
        let m = messages(&r);
        assert_eq!(r.broken(), 9, "{m:#?}");
        let find = |needle: &str| {
            r.diagnostics
                .0
                .iter()
                .find(|d| d.message.contains(needle))
                .unwrap_or_else(|| panic!("no diagnostic for {needle}: {m:#?}"))
        };
        let d = find("`../2017-06-18-kangabaa/`");
        let loc = d.location.as_ref().unwrap();
        assert_eq!(loc.path, "incidents/2017-06-18-kangaba/index.html");
        assert_eq!((loc.start.line, loc.start.col), (9, 10), "{loc:?}");
        assert_eq!(
            d.help.as_deref(),
            Some("did you mean `/sahel/incidents/2017-06-18-kangaba/`?")
        );

        let d = find("#chronolgy");
        assert_eq!(d.code, "broken-fragment");
        assert_eq!(d.location.as_ref().unwrap().start.line, 10);
        assert_eq!(d.help.as_deref(), Some("did you mean `#chronology`?"));

        let d = find("/sahel/img/mapp.png");
        assert_eq!(
            d.help.as_deref(),
            Some("did you mean `/sahel/img/map.png`?")
        );
        assert_eq!(d.location.as_ref().unwrap().start.line, 11);

        let d = find("`/groups/jnim/`");
        assert!(
            d.message.contains("outside the site's base path `/sahel/`"),
            "{}",
            d.message
        );
        assert_eq!(
            d.help.as_deref(),
            Some("did you mean `/sahel/groups/jnim/`?")
        );

        let d = find("`../../groups/jnim`");
        assert_eq!(
            d.help.as_deref(),
            Some("did you mean `/sahel/groups/jnim/`?")
        );
        find("climbs above the site root");
        find("#nowhere");
        find("data:text/html");
        let d = find("nope.png");
        let loc = d.location.as_ref().unwrap();
        assert_eq!(loc.start.line, 17);
        assert_eq!(
            &loc.source_line[loc.start.col - 1..loc.end.col - 1],
            "/sahel/img/nope.png"
        );
        // The rendered diagnostic names the file, line and column.
        let out = crate::diagnostic::render_one(find("kangabaa"), false);
        assert!(
            out.contains("incidents/2017-06-18-kangaba/index.html:9:10"),
            "{out}"
        );
    }

    #[test]
    fn broken_css_and_404_relative_links_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        good_site(dir.path());
        write(
            dir.path(),
            "style.css",
            "body {\n  background: url(img/gone.png);\n}\n",
        );
        write(
            dir.path(),
            "404.html",
            &page("<a href=\"incidents/\">incidents</a>"),
        );
        let r = check_links(dir.path(), "/sahel/").unwrap();
        let m = messages(&r);
        assert_eq!(r.broken(), 1, "{m:#?}");
        let d = &r
            .diagnostics
            .0
            .iter()
            .find(|d| d.message.contains("gone.png"))
            .unwrap();
        let loc = d.location.as_ref().unwrap();
        assert_eq!(
            (loc.path.as_str(), loc.start.line, loc.start.col),
            ("style.css", 2, 19)
        );
        assert_eq!(r.diagnostics.warning_count(), 1, "{m:#?}");
    }

    #[test]
    fn root_base_and_origin_with_port() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "index.html",
            &page("<a href=\"http://127.0.0.1:8123/a/\">a</a> <a href=\"http://127.0.0.1:8124/zz/\">other port</a> <a href=\"/b/\">b</a>")
                .replace("/sahel/style.css", "/style.css"),
        );
        write(dir.path(), "style.css", "");
        write(
            dir.path(),
            "a/index.html",
            &page("").replace("/sahel/style.css", "/style.css"),
        );
        let r = check_links(dir.path(), "http://127.0.0.1:8123/").unwrap();
        let m = messages(&r);
        assert_eq!(r.broken(), 1, "{m:#?}");
        assert!(m[0].contains("`/b/`"), "{m:#?}");
    }

    #[test]
    fn helpers() {
        assert_eq!(normalise("/a/./b/../c/").as_deref(), Some("/a/c/"));
        assert_eq!(normalise("/a/.."), Some("/".into()));
        assert_eq!(normalise("/.."), None);
        assert_eq!(percent_decode("a%20b%zz"), "a b%zz");
        assert_eq!(decode_entities("a&amp;b&#x27;&#39;&lt;"), "a&b''<");
        assert_eq!(
            srcset_urls("a.png 1x, b.png 2x"),
            vec![("a.png", 0), ("b.png", 10)]
        );
        assert_eq!(
            srcset_urls("a.png, b.png"),
            vec![("a.png", 0), ("b.png", 7)]
        );
        assert_eq!(srcset_urls("a,b.png 1x"), vec![("a,b.png", 0)]);
        assert_eq!(
            css_urls("a{b:url( \"x.png\" )} c{d:url(y.svg#i)}"),
            vec![("x.png", 10), ("y.svg#i", 28)]
        );
        assert!(has_scheme("mailto:x") && !has_scheme("a/b:c") && !has_scheme("/x"));
        assert_eq!(
            split_origin("HTTPS://Example.org:443/sahel").unwrap(),
            ("https://example.org".into(), "/sahel".into())
        );
    }
}
