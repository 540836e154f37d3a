//! Markdown bodies to HTML: pulldown-cmark with tables, footnotes, strikethrough, smart
//! punctuation and heading anchors; `@kind/id` links resolved to page URLs; raw HTML handled
//! by the site's policy. Reports unknown link targets at their line in the source file.

use std::collections::HashSet;

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
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let ev = match ev {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = check_link(&dest_url, src, range.clone(), body, root, links, diags);
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
                let dest = check_link(&dest_url, src, range.clone(), body, root, links, diags);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
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

fn check_link<'a>(
    dest: &CowStr<'a>,
    src: &BodySource<'_>,
    range: std::ops::Range<usize>,
    body: &str,
    root: &str,
    links: &dyn LinkResolver,
    diags: &mut Vec<Diagnostic>,
) -> CowStr<'a> {
    let loc = || {
        let (s, e) = file_span(src, body, range.clone());
        Location::new(src.rel, src.file_text, s, e)
    };
    let lower = dest.trim().to_ascii_lowercase();
    if lower.starts_with("javascript:")
        || lower.starts_with("data:")
        || lower.starts_with("vbscript:")
    {
        diags.push(
            Diagnostic::error(
                "unsafe-url",
                format!("link to a `{}` URL", &lower[..lower.find(':').unwrap_or(0)]),
            )
            .at(loc(), "scripts and data URLs are never allowed in links")
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
            let cands = links.candidates(kind);
            if let Some(s) = crate::diagnostic::did_you_mean(id, cands.iter().copied()) {
                d = d.help(format!("did you mean `@{kind}/{s}`?"));
            }
            diags.push(d);
            CowStr::Borrowed("#")
        }
    }
}

/// Where `range` of `body` is in the file. A front-matter body is a slice of the file at
/// `body_offset`. A body from a multi-record `.yaml` file is a YAML string (usually a `|`
/// block, indented), so it is found again on this error path: the first line of the body,
/// then the first line of the snippet at or after it.
fn file_span(src: &BodySource<'_>, body: &str, range: std::ops::Range<usize>) -> (usize, usize) {
    let range = range.start.min(body.len())..range.end.min(body.len());
    let from_yaml = src.rel.ends_with(".yaml") || src.rel.ends_with(".yml");
    let direct = src
        .file_text
        .get(src.body_offset..)
        .is_some_and(|rest| rest.starts_with(body));
    if !from_yaml || direct {
        return (src.body_offset + range.start, src.body_offset + range.end);
    }
    let first = |s: &str| {
        s.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("")
            .to_string()
    };
    let snippet = &body[range.clone()];
    let snippet_line = snippet.lines().next().unwrap_or("");
    let text = src.file_text;
    let anchor = match first(body) {
        b if b.is_empty() => 0,
        b => text.find(&b).unwrap_or(0),
    };
    let found = if snippet_line.is_empty() {
        None
    } else {
        text[anchor..]
            .find(snippet_line)
            .map(|i| anchor + i)
            .or_else(|| text.find(snippet_line))
    };
    match found {
        Some(s) => (s, s + snippet_line.len()),
        None => (anchor, anchor),
    }
}

/// Gives every heading a stable, unique id (its slug), keeping ids written with `{#id}`.
fn assign_heading_ids(events: &mut [Event<'_>]) -> Vec<(u8, String, String)> {
    let mut used: HashSet<String> = HashSet::new();
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
                    let s = crate::validate::slug(&text);
                    if s.is_empty() {
                        "section".to_string()
                    } else {
                        s
                    }
                }
            };
            let mut candidate = base.clone();
            let mut n = 1;
            while !used.insert(candidate.clone()) {
                candidate = format!("{base}-{n}");
                n += 1;
            }
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

fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["id", "class"])
        .add_tags(["figure", "figcaption", "abbr", "sup", "sub", "section"])
        .link_rel(None)
        .url_relative(ammonia::UrlRelative::PassThrough)
        .clean(html)
        .to_string()
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
            body_offset: 16,
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
    fn headings_get_unique_anchors() {
        let (r, _) = md("## Context\n\n## Context\n", RawHtml::Sanitize);
        assert!(r.html.contains(r#"<h2 id="context">"#));
        assert!(r.html.contains(r#"<h2 id="context-1">"#));
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
    fn javascript_links_are_errors() {
        let (r, d) = md("[x](javascript:alert(1))\n", RawHtml::Sanitize);
        assert!(!r.html.contains("javascript"));
        assert_eq!(d[0].code, "unsafe-url");
    }
}
