//! Markdown bodies to HTML: pulldown-cmark with tables, footnotes, strikethrough, smart
//! punctuation and heading anchors; `@kind/id` links resolved to page URLs; raw HTML handled
//! by the site's policy. Reports unknown link targets at their line in the source file.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::config::RawHtml;
use crate::diagnostic::{Diagnostic, Location};

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Headings with their anchors (level, id, text), for tables of contents.
    pub headings: Vec<(u8, String, String)>,
}

/// Resolves `@incident/<id>` and friends to a site-root-relative path (e.g. `incidents/x/`).
pub trait LinkResolver: Sync {
    /// The path for `kind`/`id`, or `None` when there is no such page.
    fn resolve(&self, kind: &str, id: &str) -> Option<String>;
    /// Ids of that kind, for "did you mean".
    fn candidates(&self, kind: &str) -> Vec<&str>;
    /// The help line for a link to `kind`/`id` that does not resolve (by default a "did you
    /// mean" among [`LinkResolver::candidates`]).
    fn help(&self, kind: &str, id: &str) -> Option<String> {
        let cands = self.candidates(kind);
        crate::diagnostic::did_you_mean(id, cands.iter().copied())
            .map(|s| format!("did you mean `@{kind}/{s}`?"))
    }
}

/// Where the body sits in its file, for diagnostics.
pub struct BodySource<'a> {
    /// Path of the file relative to the site root.
    pub rel: &'a str,
    /// Whole file text.
    pub file_text: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `body` to HTML. `root` is the relative prefix from the page to the site root
/// (e.g. `../../`), prepended to resolved `@` links.
pub fn render(
    body: &str,
    src: &BodySource<'_>,
    root: &str,
    links: &dyn LinkResolver,
    raw_html: RawHtml,
    diags: &mut Vec<Diagnostic>,
) -> Rendered {
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut has_html = false;
    let mut at = Placer::default();
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let ev = match ev {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = check_link(
                    &dest_url,
                    src,
                    &mut at,
                    range.clone(),
                    body,
                    root,
                    links,
                    diags,
                );
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = check_link(
                    &dest_url,
                    src,
                    &mut at,
                    range.clone(),
                    body,
                    root,
                    links,
                    diags,
                );
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let (id, classes) = heading_attributes(
                    id,
                    classes,
                    attrs,
                    src,
                    &mut at,
                    range.clone(),
                    body,
                    diags,
                );
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs: Vec::new(),
                })
            }
            Event::Html(h) | Event::InlineHtml(h) if raw_html == RawHtml::Escape => Event::Text(h),
            e @ (Event::Html(_) | Event::InlineHtml(_)) => {
                has_html = true;
                e
            }
            e => e,
        };
        events.push(ev);
    }
    let headings = assign_heading_ids(&mut events);
    let mut out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    if has_html && raw_html == RawHtml::Sanitize {
        out = sanitize(&out);
    }
    Rendered {
        html: out,
        headings,
    }
}

/// URL schemes a link or image may use: those ammonia keeps in sanitised raw HTML, so that
/// Markdown links and raw `<a>` elements follow one rule. Anything else (`javascript:`,
/// `vbscript:`, `data:`, `file:`, schemes a browser may learn later) is refused.
const SAFE_SCHEMES: &[&str] = &[
    "bitcoin",
    "ftp",
    "ftps",
    "geo",
    "http",
    "https",
    "im",
    "irc",
    "ircs",
    "magnet",
    "mailto",
    "mms",
    "mx",
    "news",
    "nntp",
    "openpgp4fpr",
    "sip",
    "sms",
    "smsto",
    "ssh",
    "tel",
    "url",
    "webcal",
    "wtai",
    "xmpp",
];

/// The scheme a browser would read from `dest`, lower-cased, or `None` for a relative URL.
/// Browsers drop leading C0 controls and spaces and ignore tabs and newlines anywhere in a
/// URL, so `" java\tscript:"` is a `javascript:` URL to them; it is to us too.
pub fn url_scheme(dest: &str) -> Option<String> {
    let cleaned: String = dest
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take_while(|&c| !matches!(c, '/' | '?' | '#'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let mut chars = scheme.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    (first_ok && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .then(|| scheme.to_ascii_lowercase())
}

/// Whether a link to `dest` is safe to publish: relative, or with a scheme in the allow-list.
pub fn is_safe_url(dest: &str) -> bool {
    url_scheme(dest).is_none_or(|s| SAFE_SCHEMES.contains(&s.as_str()))
}

/// At most `max` characters of `s` (with `…` when cut), for quoting hostile input in a
/// diagnostic without echoing a megabyte of it.
fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Whether `s` is a safe anchor or class name: letters, digits, `-` and `_` only, so it
/// can neither leave its attribute nor read as anything but a name.
fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars().count() <= 100
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// The attributes a heading may carry: `{#id}` and `{.class}`, each a plain name. Every
/// other attribute (`{onfocus=…}`, `{autofocus}`, `{style=…}`) is an error and is dropped,
/// whatever the raw-HTML policy: they are generated by the Markdown parser, not written as
/// HTML, so the sanitiser would never see them.
#[allow(clippy::too_many_arguments)]
fn heading_attributes<'a>(
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    src: &BodySource<'_>,
    at: &mut Placer,
    range: std::ops::Range<usize>,
    body: &str,
    diags: &mut Vec<Diagnostic>,
) -> (Option<CowStr<'a>>, Vec<CowStr<'a>>) {
    let mut report = |what: String, label: &str, help: String| {
        let (s, e) = file_span(src, body, range.clone(), at);
        // Point at the `{…}` block when it is on the heading's first line.
        let text = &src.file_text[s.min(src.file_text.len())..e.min(src.file_text.len())];
        let line = text.lines().next().unwrap_or("");
        let (s, e) = match line.rfind('{') {
            Some(b) => (s + b, s + line.len()),
            None => (s, s + line.len()),
        };
        diags.push(
            Diagnostic::error("unsafe-attribute", what)
                .at(at.location(src, s, e), label)
                .help(help),
        );
    };
    let id = match id {
        Some(i) if !is_name(&i) => {
            report(
                format!("heading id `{}` is not a plain name", clip(&i, 40)),
                "ids may hold only letters, digits, `-` and `_`",
                "write e.g. `{#context}`, or leave the id out to get one from the text".into(),
            );
            None
        }
        i => i,
    };
    let classes = classes
        .into_iter()
        .filter(|c| {
            let ok = is_name(c);
            if !ok {
                report(
                    format!("heading class `{}` is not a plain name", clip(c, 40)),
                    "classes may hold only letters, digits, `-` and `_`",
                    "write e.g. `{.note}`".into(),
                );
            }
            ok
        })
        .collect();
    for (name, _) in &attrs {
        report(
            format!("heading attribute `{}` is not allowed", clip(name, 40)),
            "headings take only `{#id}` and `{.class}`",
            format!("remove `{}` from the heading's `{{…}}`", clip(name, 40)),
        );
    }
    (id, classes)
}

/// Checks the links and heading attributes of `body` as [`render`] does, with the same
/// diagnostics, without writing any HTML: so that `check` finds every problem of a body even
/// when other records keep the site from being rendered. `at` places them in the file.
pub(crate) fn check(
    body: &str,
    src: &BodySource<'_>,
    links: &dyn LinkResolver,
    at: &mut Placer,
    diags: &mut Vec<Diagnostic>,
) {
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                check_link(&dest_url, src, at, range, body, "", links, diags);
            }
            Event::Start(Tag::Heading {
                id, classes, attrs, ..
            }) => {
                heading_attributes(id, classes, attrs, src, at, range, body, diags);
            }
            _ => {}
        }
    }
}

/// Places links in a file: its lines are indexed once, on the first broken link, and
/// bodies of a list file are searched for from the last place found (records come in file
/// order), so that thousands of broken links cost time in proportion to their number.
#[derive(Default)]
pub(crate) struct Placer {
    lines: Option<crate::source::LineIndex>,
    /// Where the last link was found in the file.
    cursor: usize,
    /// Where the current body starts in the file, once searched for.
    anchor: Option<usize>,
}

impl Placer {
    /// Starts on the next body of the same file (a list file's next record).
    pub(crate) fn next_body(&mut self) {
        self.anchor = None;
    }

    /// The location of `range` of `body`.
    pub(crate) fn locate(
        &mut self,
        src: &BodySource<'_>,
        body: &str,
        range: std::ops::Range<usize>,
    ) -> Location {
        let (s, e) = file_span(src, body, range, self);
        self.location(src, s, e)
    }

    /// The location of bytes `s..e` of the file.
    pub(crate) fn location(&mut self, src: &BodySource<'_>, s: usize, e: usize) -> Location {
        let lines = self
            .lines
            .get_or_insert_with(|| crate::source::LineIndex::new(src.file_text));
        Location::indexed(src.rel, src.file_text, lines, s, e)
    }
}

#[allow(clippy::too_many_arguments)]
fn check_link<'a>(
    dest: &CowStr<'a>,
    src: &BodySource<'_>,
    at: &mut Placer,
    range: std::ops::Range<usize>,
    body: &str,
    root: &str,
    links: &dyn LinkResolver,
    diags: &mut Vec<Diagnostic>,
) -> CowStr<'a> {
    let mut loc = || at.locate(src, body, range.clone());
    if !is_safe_url(dest) {
        let scheme = url_scheme(dest).unwrap_or_default();
        let label = match scheme.as_str() {
            "javascript" | "vbscript" | "data" => {
                "scripts and data URLs are never allowed in links"
            }
            _ => "only http(s), mailto, tel and other known-safe URL schemes are allowed",
        };
        diags.push(
            Diagnostic::error(
                "unsafe-url",
                format!("link to a `{}` URL", clip(&scheme, 40)),
            )
            .at(loc(), label)
            .help("link to an http(s) page or to `@incident/<id>`, `@group/<id>`…"),
        );
        return CowStr::Borrowed("#");
    }
    let Some(rest) = dest.strip_prefix('@') else {
        return dest.clone();
    };
    let (target, fragment) = match rest.split_once('#') {
        Some((t, f)) => (t, Some(f)),
        None => (rest, None),
    };
    let Some((kind, id)) = target.split_once('/') else {
        diags.push(
            Diagnostic::error("bad-link", format!("`@{target}` is not a link target")).at(
                loc(),
                "expected `@incident/<id>`, `@group/<id>`, `@briefing/<id>` or `@page/<id>`",
            ),
        );
        return CowStr::Borrowed("#");
    };
    match links.resolve(kind, id) {
        Some(path) => {
            let mut url = format!("{root}{path}");
            if let Some(f) = fragment {
                url.push('#');
                url.push_str(f);
            }
            CowStr::from(url)
        }
        None => {
            let kinds = ["incident", "group", "briefing", "page"];
            let mut d = if kinds.contains(&kind) {
                Diagnostic::error("unknown-link", format!("link to unknown {kind} `{id}`"))
                    .at(loc(), format!("no {kind} with this id"))
            } else {
                Diagnostic::error("unknown-link", format!("unknown link kind `@{kind}`"))
                    .at(loc(), "expected @incident, @group, @briefing or @page")
            };
            if let Some(h) = links.help(kind, id) {
                d = d.help(h);
            }
            diags.push(d);
            CowStr::Borrowed("#")
        }
    }
}

/// Where `range` of `body` is in the file. A front-matter body is a slice of the file at
/// `body_offset`. A body from a multi-record `.yaml` file is a YAML string (usually a `|`
/// block, indented), so it is found again on this error path: the first line of the body,
/// then the first line of the snippet at or after it — both searched for from where the
/// [`Placer`] last found something, never from the top of the file again.
fn file_span(
    src: &BodySource<'_>,
    body: &str,
    range: std::ops::Range<usize>,
    at: &mut Placer,
) -> (usize, usize) {
    let range = range.start.min(body.len())..range.end.min(body.len());
    let from_yaml = src.rel.ends_with(".yaml") || src.rel.ends_with(".yml");
    let direct = src
        .file_text
        .get(src.body_offset..)
        .is_some_and(|rest| rest.starts_with(body));
    if !from_yaml || direct {
        return (src.body_offset + range.start, src.body_offset + range.end);
    }
    let text = src.file_text;
    let cursor = at.cursor.min(text.len());
    let anchor = *at.anchor.get_or_insert_with(|| {
        let first = body
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        match text[cursor..].find(first) {
            Some(i) if !first.is_empty() => cursor + i,
            _ => cursor,
        }
    });
    let snippet = &body[range];
    let snippet_line = snippet.lines().next().unwrap_or("");
    let from = anchor.max(cursor);
    let found = if snippet_line.is_empty() {
        None
    } else {
        text[from..].find(snippet_line).map(|i| from + i)
    };
    match found {
        Some(s) => {
            at.cursor = s + snippet_line.len();
            (s, s + snippet_line.len())
        }
        None => (anchor, anchor),
    }
}

/// Gives every heading a stable, unique id (its slug), keeping ids written with `{#id}`.
fn assign_heading_ids(events: &mut [Event<'_>]) -> Vec<(u8, String, String)> {
    let mut anchors = Anchors::default();
    let mut out = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = *level as u8;
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = match id {
                Some(id) => id.to_string(),
                None => {
                    let s = crate::ids::slug(&text);
                    if s.is_empty() {
                        "section".to_string()
                    } else {
                        s
                    }
                }
            };
            let candidate = anchors.unique(base);
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(candidate.clone()));
            }
            out.push((level, candidate, text));
            i = j;
        }
        i += 1;
    }
    out
}

/// Unique anchors for the headings of one body: `context`, `context-1`, `context-2`…
#[derive(Default)]
struct Anchors {
    used: HashSet<String>,
    /// Per base, the next suffix to try: the ones before it are taken (the set only grows),
    /// so n equal headings cost n tries, not n²/2 (40,000 took 74 s).
    next: HashMap<String, usize>,
    /// Candidates tried, to show the work is linear.
    tries: usize,
}

impl Anchors {
    fn unique(&mut self, base: String) -> String {
        let mut candidate = base.clone();
        self.tries += 1;
        while !self.used.insert(candidate.clone()) {
            let n = self.next.entry(base.clone()).or_insert(1);
            candidate = format!("{base}-{n}");
            *n += 1;
            self.tries += 1;
        }
        candidate
    }
}

/// Cleans raw HTML of a body: ammonia's safe elements, plus `id`, `class`, and `dir` and
/// `lang` (so an Arabic quotation in an English page reads right to left and is spoken as
/// Arabic) when their values are ones a browser understands.
fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["id", "class", "dir", "lang"])
        .attribute_filter(|_, attribute, value| match attribute {
            "dir" => is_dir(value).then(|| value.to_ascii_lowercase().into()),
            "lang" => is_lang(value).then_some(value.into()),
            _ => Some(value.into()),
        })
        .add_tags(["figure", "figcaption", "abbr", "sup", "sub", "section"])
        .link_rel(None)
        .url_relative(ammonia::UrlRelative::PassThrough)
        .clean(html)
        .to_string()
}

/// Whether `value` is a writing direction HTML knows: `ltr`, `rtl` or `auto`.
fn is_dir(value: &str) -> bool {
    ["ltr", "rtl", "auto"]
        .iter()
        .any(|d| d.eq_ignore_ascii_case(value))
}

/// Whether `value` is a well-formed BCP 47 language tag (`ar`, `fr-ML`, `ar-Latn`), or empty
/// (which HTML reads as "language unknown"). Checked so that nothing else reaches the
/// attribute, whatever the sanitiser's escaping.
fn is_lang(value: &str) -> bool {
    value.is_empty()
        || (value.len() <= 64
            && !value.contains('_')
            && value.parse::<icu_locale::Locale>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct R;
    impl LinkResolver for R {
        fn resolve(&self, kind: &str, id: &str) -> Option<String> {
            (kind == "group" && id == "jnim").then(|| "groups/jnim/".to_string())
        }
        fn candidates(&self, _: &str) -> Vec<&str> {
            vec!["jnim"]
        }
    }

    fn md(body: &str, policy: RawHtml) -> (Rendered, Vec<Diagnostic>) {
        let file = format!("---\ntitle: x\n---\n{body}");
        let src = BodySource {
            rel: "content/briefings/b.md",
            file_text: &file,
            body_offset: file.len() - body.len(),
        };
        let mut d = Vec::new();
        let r = render(body, &src, "../../", &R, policy, &mut d);
        (r, d)
    }

    #[test]
    fn resolves_at_links_and_reports_unknown_ones_with_line() {
        let (r, d) = md(
            "See [JNIM](@group/jnim).\n\nAnd [x](@group/jnm).\n",
            RawHtml::Sanitize,
        );
        assert!(
            r.html.contains(r#"href="../../groups/jnim/""#),
            "{}",
            r.html
        );
        assert_eq!(d.len(), 1);
        let loc = d[0].location.as_ref().unwrap();
        assert_eq!(loc.start.line, 6);
        assert_eq!(d[0].help.as_deref(), Some("did you mean `@group/jnim`?"));
    }

    #[test]
    fn links_in_yaml_list_bodies_are_found_in_the_file() {
        let file =
            "incidents:\n  - id: a\n    body: |\n      First line.\n\n      See [x](@group/jnm).\n";
        let body = "First line.\n\nSee [x](@group/jnm).\n";
        let src = BodySource {
            rel: "content/incidents/l.yaml",
            file_text: file,
            body_offset: 0,
        };
        let mut d = Vec::new();
        render(body, &src, "../../", &R, RawHtml::Sanitize, &mut d);
        let loc = d[0].location.as_ref().unwrap();
        assert_eq!((loc.start.line, loc.start.col), (6, 11));
    }

    #[test]
    fn many_links_in_a_list_body_are_each_placed_on_their_line() {
        // Each is searched for from the one before: the same text on every line must still
        // land on its own line, not on the first.
        let n = 2000;
        let lines: String = (0..n).map(|_| "      See [x](@group/jnm).\n\n").collect();
        let file = format!("incidents:\n  - id: a\n    body: |\n      First.\n\n{lines}");
        let body = format!("First.\n\n{}", lines.replace("      See", "See"));
        let src = BodySource {
            rel: "content/incidents/l.yaml",
            file_text: &file,
            body_offset: 0,
        };
        let mut d = Vec::new();
        render(&body, &src, "../../", &R, RawHtml::Sanitize, &mut d);
        let got: Vec<usize> = d
            .iter()
            .map(|x| x.location.as_ref().unwrap().start.line)
            .collect();
        let want: Vec<usize> = (0..n).map(|i| 6 + 2 * i).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn headings_get_unique_anchors() {
        let (r, _) = md("## Context\n\n## Context\n", RawHtml::Sanitize);
        assert!(r.html.contains(r#"<h2 id="context">"#));
        assert!(r.html.contains(r#"<h2 id="context-1">"#));
    }

    #[test]
    fn equal_headings_cost_linear_work() {
        let mut a = Anchors::default();
        let ids: Vec<String> = ["context", "context", "context-1", "context", "context-1"]
            .into_iter()
            .map(|b| a.unique(b.to_string()))
            .collect();
        assert_eq!(
            ids,
            [
                "context",
                "context-1",
                "context-1-1",
                "context-2",
                "context-1-2"
            ]
        );
        let mut a = Anchors::default();
        let n = 40_000;
        let last = (0..n).map(|_| a.unique("x".into())).last().unwrap();
        assert_eq!(last, format!("x-{}", n - 1));
        assert!(a.tries < 2 * n, "{} tries for {n} headings", a.tries);
        // The whole body: one heading per anchor, in order.
        let body = "## Same\n\n".repeat(2000);
        let (r, _) = md(&body, RawHtml::Escape);
        assert_eq!(r.headings.len(), 2000);
        assert_eq!(r.headings[1999].1, "same-1999");
    }

    #[test]
    fn raw_html_policies() {
        let body =
            "<script>alert(1)</script>\n\n<abbr title=\"x\">JNIM</abbr> <b onclick=\"x()\">b</b>\n";
        let (s, _) = md(body, RawHtml::Sanitize);
        assert!(
            !s.html.contains("<script") && !s.html.contains("onclick") && s.html.contains("<abbr")
        );
        let (e, _) = md(body, RawHtml::Escape);
        assert!(e.html.contains("&lt;script&gt;"));
        let (a, _) = md(body, RawHtml::Allow);
        assert!(a.html.contains("<script>"));
    }

    #[test]
    fn dir_and_lang_are_kept_when_well_formed() {
        let body = "<p dir=\"rtl\" lang=\"ar\">الساحل</p>\n\n\
            <span dir=\"RTL\" lang=\"fr-ML\">Ménaka</span> <bdi dir=\"auto\">x</bdi>\n\n\
            <p dir=\"rtl&quot; onclick=&quot;x()\" lang=\"ar onmouseover=y()\">a</p>\n\n\
            <p dir=\"sideways\" lang=\"en_GB\">b</p> <q lang=\"javascript:alert(1)\">c</q>\n";
        let (r, d) = md(body, RawHtml::Sanitize);
        assert!(d.is_empty(), "{d:?}");
        let attrs = attributes(&r.html);
        let has = |el: &str, k: &str, v: &str| attrs.contains(&(el.into(), k.into(), v.into()));
        assert!(
            has("p", "dir", "rtl") && has("p", "lang", "ar"),
            "{attrs:?}"
        );
        assert!(
            has("span", "dir", "rtl") && has("span", "lang", "fr-ML"),
            "{attrs:?}"
        );
        // Hostile or unknown values are dropped, the element and its text kept.
        for (el, k, v) in &attrs {
            match k.as_str() {
                "dir" => assert!(["ltr", "rtl", "auto"].contains(&v.as_str()), "{el} {v}"),
                "lang" => assert!(["ar", "fr-ML"].contains(&v.as_str()), "{el} {v}"),
                other => panic!("unexpected attribute {other}={v} on {el}"),
            }
        }
        assert!(!r.html.contains("onclick") && !r.html.contains("onmouseover"));
        assert!(!r.html.contains("javascript") && !r.html.contains("sideways"));
        assert_eq!(
            attrs.iter().filter(|a| a.1 == "dir").count(),
            3,
            "{attrs:?}"
        );
        assert!(r.html.contains(">a</p>") && r.html.contains(">b</p>"));
    }

    /// Every attribute of every element in `html`, as (element, attribute, value).
    fn attributes(html: &str) -> Vec<(String, String, String)> {
        let doc = scraper::Html::parse_fragment(html);
        doc.tree
            .values()
            .filter_map(|n| n.as_element())
            .flat_map(|e| {
                e.attrs()
                    .map(|(k, v)| (e.name().to_string(), k.to_string(), v.to_string()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn heading_attributes_other_than_id_and_class_never_reach_the_page() {
        let body = "### Hi {#h autofocus tabindex=0 onfocus=alert(document.domain)}\n\n\
                    ## B {.note x/onclick=alert(1) style=color:red}\n\n## C {#a\"b .c\"d}\n";
        for policy in [RawHtml::Sanitize, RawHtml::Escape, RawHtml::Allow] {
            let (r, d) = md(body, policy);
            let attrs = attributes(&r.html);
            for (el, k, v) in &attrs {
                assert!(
                    k == "id" || k == "class",
                    "{policy:?}: <{el} {k}={v:?}> in {}",
                    r.html
                );
                assert!(is_name(v) || k == "class", "{policy:?}: {k}={v:?}");
            }
            assert!(attrs.contains(&("h3".into(), "id".into(), "h".into())));
            assert!(attrs.contains(&("h2".into(), "class".into(), "note".into())));
            // Each refused attribute is an error at the heading's `{…}`, so a build
            // fails and says where; nothing was silently kept.
            let codes: Vec<_> = d.iter().map(|d| (d.code, d.message.clone())).collect();
            assert!(d.iter().all(|d| d.code == "unsafe-attribute"), "{codes:?}");
            assert_eq!(d.len(), 7, "{codes:?}");
            let loc = d[0].location.as_ref().unwrap();
            assert_eq!((loc.start.line, loc.start.col), (4, 8));
            assert!(d[0].message.contains("autofocus"), "{}", d[0].message);
        }
    }

    #[test]
    fn long_hostile_attribute_names_are_clipped_in_messages() {
        let name = "on".to_string() + &"x".repeat(10_000);
        let (_, d) = md(&format!("## T {{{name}=1}}\n"), RawHtml::Sanitize);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.len() < 100, "{}", d[0].message.len());
    }

    #[test]
    fn script_urls_are_refused_however_they_are_spelt() {
        for link in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](java&#9;script:alert(1))",
            "[x](&#1;javascript:alert(1))",
            "<javascript:alert(1)>",
            "![x](javascript:alert(1))",
            "[x][r]\n\n[r]: vbscript:msgbox(1)",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "[x](file:///etc/passwd)",
        ] {
            for policy in [RawHtml::Sanitize, RawHtml::Escape, RawHtml::Allow] {
                let (r, d) = md(&format!("{link}\n"), policy);
                assert_eq!(d.len(), 1, "{link}: {:?}", d);
                assert_eq!(d[0].code, "unsafe-url", "{link}");
                for (_, k, v) in attributes(&r.html) {
                    if k == "href" || k == "src" {
                        assert!(is_safe_url(&v), "{link} → {v}");
                        assert_eq!(v, "#", "{link}");
                    }
                }
            }
        }
        for ok in [
            "https://a.org/x",
            "mailto:a@b.org",
            "../x/",
            "#frag",
            "@group/jnim",
            "a/b:c",
        ] {
            let (_, d) = md(&format!("[x]({ok})\n"), RawHtml::Sanitize);
            let msgs: Vec<_> = d.iter().map(|d| &d.message).collect();
            assert!(d.is_empty(), "{ok}: {msgs:?}");
        }
    }

    #[test]
    fn url_scheme_reads_urls_as_a_browser_does() {
        assert_eq!(
            url_scheme(" \u{1}java\tscript:x").as_deref(),
            Some("javascript")
        );
        assert_eq!(url_scheme("HTTPS://a").as_deref(), Some("https"));
        assert_eq!(url_scheme("a/b:c"), None);
        assert_eq!(url_scheme("?a:b"), None);
        assert_eq!(url_scheme("1a:b"), None);
    }

    #[test]
    fn javascript_links_are_errors() {
        let (r, d) = md("[x](javascript:alert(1))\n", RawHtml::Sanitize);
        assert!(!r.html.contains("javascript"));
        assert_eq!(d[0].code, "unsafe-url");
    }
}
