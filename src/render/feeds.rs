//! Discovery files (issue 6): Atom 1.0 feeds (`atom.xml`, `groups/<id>/atom.xml`,
//! `countries/<cc>/atom.xml`), `sitemap.xml` (a sitemap index with `sitemap-N.xml` parts past
//! [`SITEMAP_MAX_URLS`]) and `robots.txt`.
//!
//! Takes the validated site and returns files; reads and writes nothing. Every value comes from
//! the data, never from the clock, so two builds of the same content are byte-identical: an
//! entry's `updated` is the first day of its date at midnight UTC and a feed's `updated` is its
//! newest entry's (the site's newest when the feed is empty). Drafts are left out of feeds and
//! the sitemap even in a `--drafts` build.
//!
//! Feeds and sitemaps need absolute URLs (RFC 4287 ids, sitemaps.org `loc`), so they are only
//! written when `base_url` has a scheme and host; `robots.txt` is always written.

use std::cmp::Reverse;
use std::fmt::Write as _;

use chrono::NaiveDate;

use super::{Inputs, OutputFile};
use crate::config::Config;
use crate::content::{PartialDate, Site, country};
use crate::ids::slug;
use crate::index::Index;
use crate::routes;
use crate::text::escape_xml;

/// Entries in each feed (newest first) when `site.yaml` sets no `feed_entries`.
pub const FEED_ENTRIES: usize = crate::config::DEFAULT_FEED_ENTRIES;

/// Most URLs one sitemap file may list (sitemaps.org protocol limit).
pub const SITEMAP_MAX_URLS: usize = 50_000;

/// Whether `base_url` is absolute (`http(s)://host/…`), as feeds and sitemaps require.
pub fn is_absolute(base_url: &str) -> bool {
    base_url.starts_with("https://") || base_url.starts_with("http://")
}

/// RFC 3339 timestamp of the first day of a date, at midnight UTC.
pub fn timestamp(d: &PartialDate) -> String {
    format!("{}T00:00:00Z", d.first_day().format("%Y-%m-%d"))
}

/// Paths (relative to the site root, `""` for the home page) of every HTML page the build
/// renders except the 404 page and draft records, in the order of the page table.
/// tests/testsuite/publish.rs checks this against the pages actually built.
pub fn html_pages(site: &Site, index: &Index, config: &Config) -> Vec<String> {
    super::pages::listed(site, index, config)
}

/// `sitemap.xml` for `urls` (absolute, each with its `lastmod` date when known); past `max`
/// URLs, a sitemap index named `sitemap.xml` pointing at `sitemap-1.xml`, `sitemap-2.xml`, …
/// of at most `max` URLs each.
pub fn sitemap_files(
    base_url: &str,
    urls: &[(String, Option<NaiveDate>)],
    max: usize,
) -> Vec<OutputFile> {
    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
    let urlset = |urls: &[(String, Option<NaiveDate>)]| {
        let mut s = format!("{HEAD}<urlset xmlns=\"{NS}\">\n");
        for (u, lastmod) in urls {
            let _ = match lastmod {
                Some(d) => writeln!(
                    s,
                    "<url><loc>{}</loc><lastmod>{}</lastmod></url>",
                    escape_xml(u),
                    d.format("%Y-%m-%d")
                ),
                None => writeln!(s, "<url><loc>{}</loc></url>", escape_xml(u)),
            };
        }
        s.push_str("</urlset>\n");
        s.into_bytes()
    };
    let max = max.max(1);
    if urls.len() <= max {
        return vec![OutputFile {
            path: routes::SITEMAP.into(),
            bytes: urlset(urls),
        }];
    }
    let mut files = Vec::new();
    let mut index = format!("{HEAD}<sitemapindex xmlns=\"{NS}\">\n");
    for (n, chunk) in urls.chunks(max).enumerate() {
        let name = routes::sitemap_part(n + 1);
        let _ = writeln!(
            index,
            "<sitemap><loc>{}</loc></sitemap>",
            escape_xml(&routes::absolute(base_url, &name))
        );
        files.push(OutputFile {
            path: name,
            bytes: urlset(chunk),
        });
    }
    index.push_str("</sitemapindex>\n");
    files.push(OutputFile {
        path: routes::SITEMAP.into(),
        bytes: index.into_bytes(),
    });
    files
}

/// `robots.txt`: allow everything and name the sitemap when it exists.
pub fn robots(config: &Config) -> OutputFile {
    let mut s = String::from("User-agent: *\nAllow: /\n");
    if is_absolute(&config.base_url) {
        let _ = write!(
            s,
            "\nSitemap: {}\n",
            routes::absolute(&config.base_url, routes::SITEMAP)
        );
    }
    OutputFile {
        path: routes::ROBOTS.into(),
        bytes: s.into_bytes(),
    }
}

/// One feed entry: an incident or a briefing, by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Briefing(usize),
    Incident(usize),
}

/// Newest first; on the same date briefings before incidents, then by id.
fn newest_first(site: &Site, items: &mut [Item]) {
    items.sort_by_cached_key(|it| match *it {
        Item::Briefing(b) => (
            Reverse(site.briefings[b].date),
            0,
            site.briefings[b].id.clone(),
        ),
        Item::Incident(i) => (
            Reverse(site.incidents[i].date),
            1,
            site.incidents[i].id.clone(),
        ),
    });
}

struct Feed<'a> {
    /// Path of the feed file, e.g. `groups/jnim/atom.xml`.
    path: String,
    /// Page the feed belongs to, e.g. `groups/jnim/`.
    page: String,
    title: String,
    subtitle: &'a str,
    items: Vec<Item>,
}

fn incident_summary(site: &Site, config: &Config, p: usize) -> String {
    let i = &site.incidents[p];
    if let Some(s) = &i.summary {
        return s.clone();
    }
    let what = i
        .event_type
        .as_deref()
        .and_then(|e| config.event_label(e))
        .unwrap_or("Incident");
    let place: Vec<&str> = [i.location.place.as_deref(), i.location.admin1.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
    let cname = country::name(&i.location.country).unwrap_or(&i.location.country);
    let mut s = format!("{what} in ");
    if !place.is_empty() {
        let _ = write!(s, "{}, ", place.join(", "));
    }
    let _ = write!(s, "{cname}, {}.", i.date.display());
    s
}

fn entry(out: &mut String, site: &Site, config: &Config, item: Item) {
    let base = &config.base_url;
    out.push_str("  <entry>\n");
    let (title, path, date) = match item {
        Item::Incident(p) => {
            let i = &site.incidents[p];
            (&i.title, routes::incident(&i.id), &i.date)
        }
        Item::Briefing(b) => {
            let br = &site.briefings[b];
            (&br.title, routes::briefing(&br.id), &br.date)
        }
    };
    let url = escape_xml(&routes::absolute(base, &path));
    let ts = timestamp(date);
    let _ = writeln!(
        out,
        "    <title type=\"text\">{}</title>",
        escape_xml(title)
    );
    let _ = writeln!(
        out,
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>"
    );
    let _ = writeln!(out, "    <id>{url}</id>");
    let _ = writeln!(out, "    <published>{ts}</published>");
    let _ = writeln!(out, "    <updated>{ts}</updated>");
    let tag_scheme = escape_xml(&format!("{base}tags/"));
    match item {
        Item::Incident(p) => {
            let i = &site.incidents[p];
            if let Some(et) = &i.event_type {
                let label = config.event_label(et).unwrap_or(et);
                let _ = writeln!(
                    out,
                    "    <category term=\"{}\" label=\"{}\"/>",
                    escape_xml(et),
                    escape_xml(label)
                );
            }
            let group_scheme = escape_xml(&format!("{base}groups/"));
            for g in &i.groups {
                let label = site.group(g).map_or(g.as_str(), |g| g.label());
                let _ = writeln!(
                    out,
                    "    <category term=\"{}\" scheme=\"{group_scheme}\" label=\"{}\"/>",
                    escape_xml(g),
                    escape_xml(label)
                );
            }
            for t in &i.tags {
                let _ = writeln!(
                    out,
                    "    <category term=\"{}\" scheme=\"{tag_scheme}\" label=\"{}\"/>",
                    escape_xml(&slug(t)),
                    escape_xml(t)
                );
            }
            let _ = writeln!(
                out,
                "    <summary type=\"text\">{}</summary>",
                escape_xml(&incident_summary(site, config, p))
            );
        }
        Item::Briefing(b) => {
            let br = &site.briefings[b];
            for a in &br.authors {
                let _ = writeln!(out, "    <author><name>{}</name></author>", escape_xml(a));
            }
            for t in &br.tags {
                let _ = writeln!(
                    out,
                    "    <category term=\"{}\" scheme=\"{tag_scheme}\" label=\"{}\"/>",
                    escape_xml(&slug(t)),
                    escape_xml(t)
                );
            }
            if let Some(s) = &br.summary {
                let _ = writeln!(
                    out,
                    "    <summary type=\"text\">{}</summary>",
                    escape_xml(s)
                );
            }
        }
    }
    out.push_str("  </entry>\n");
}

/// `updated` of the newest of `items` (sorted newest first), if any.
fn newest(site: &Site, items: &[Item]) -> Option<String> {
    items.first().map(|it| match *it {
        Item::Incident(p) => timestamp(&site.incidents[p].date),
        Item::Briefing(b) => timestamp(&site.briefings[b].date),
    })
}

/// Writes one feed. An empty feed (a group or country with nothing published yet) takes
/// `fallback`, the site's newest date, as its `updated`: still from the data, never the clock.
fn feed_file(site: &Site, config: &Config, feed: Feed<'_>, fallback: &str) -> OutputFile {
    let base = &config.base_url;
    let mut items = feed.items;
    newest_first(site, &mut items);
    items.truncate(config.feed_entries);
    let updated = newest(site, &items).unwrap_or_else(|| fallback.to_string());
    let self_url = escape_xml(&routes::absolute(base, &feed.path));
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape_xml(&config.language)
    );
    let _ = writeln!(
        out,
        "  <title type=\"text\">{}</title>",
        escape_xml(&feed.title)
    );
    if !feed.subtitle.trim().is_empty() {
        let _ = writeln!(
            out,
            "  <subtitle type=\"text\">{}</subtitle>",
            escape_xml(feed.subtitle)
        );
    }
    let _ = writeln!(
        out,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{self_url}\"/>"
    );
    let _ = writeln!(
        out,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape_xml(&routes::absolute(base, &feed.page))
    );
    let _ = writeln!(out, "  <id>{self_url}</id>");
    let _ = writeln!(out, "  <updated>{updated}</updated>");
    let author = config
        .author
        .as_deref()
        .filter(|a| !a.trim().is_empty())
        .unwrap_or(&config.title);
    let _ = writeln!(
        out,
        "  <author><name>{}</name></author>",
        escape_xml(author)
    );
    out.push_str("  <generator>briefwerk</generator>\n");
    for it in items {
        entry(&mut out, site, config, it);
    }
    out.push_str("</feed>\n");
    OutputFile {
        path: feed.path,
        bytes: out.into_bytes(),
    }
}

/// Every feed, the sitemap and robots.txt.
pub fn render(inputs: &Inputs<'_>) -> Vec<OutputFile> {
    let Inputs {
        site,
        index,
        config,
        updated,
    } = *inputs;
    let mut files = vec![robots(config)];
    if !is_absolute(&config.base_url) {
        return files;
    }
    let published = |v: &[usize]| -> Vec<Item> {
        v.iter()
            .copied()
            .filter(|&p| !site.incidents[p].draft)
            .map(Item::Incident)
            .collect()
    };
    let briefings = |v: &[usize]| -> Vec<Item> {
        v.iter()
            .copied()
            .filter(|&b| !site.briefings[b].draft)
            .map(Item::Briefing)
            .collect()
    };

    let all_i: Vec<usize> = (0..site.incidents.len()).collect();
    let all_b: Vec<usize> = (0..site.briefings.len()).collect();
    let mut feeds = vec![Feed {
        path: routes::feed(routes::HOME),
        page: routes::HOME.to_string(),
        title: config.title.clone(),
        subtitle: &config.description,
        items: [briefings(&all_b), published(&all_i)].concat(),
    }];
    for (g, gr) in site.groups.iter().enumerate() {
        feeds.push(Feed {
            path: routes::feed(&routes::group(&gr.id)),
            page: routes::group(&gr.id),
            title: format!("{}: {}", config.title, gr.label()),
            subtitle: "",
            items: [
                briefings(&index.briefings_of_group[g]),
                published(&index.by_group[g]),
            ]
            .concat(),
        });
    }
    for (code, positions) in &index.by_country {
        let dir = routes::country(code);
        feeds.push(Feed {
            path: routes::feed(&dir),
            page: dir,
            title: format!("{}: {}", config.title, country::name(code).unwrap_or(code)),
            subtitle: "",
            items: published(positions),
        });
    }
    let mut all = feeds[0].items.clone();
    newest_first(site, &mut all);
    let fallback = newest(site, &all).unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    files.extend(
        feeds
            .into_iter()
            .map(|f| feed_file(site, config, f, &fallback)),
    );

    // `lastmod` only where known: the last commit touching the page's source (`git_info`).
    let urls: Vec<(String, Option<NaiveDate>)> = html_pages(site, index, config)
        .into_iter()
        .map(|p| {
            let lastmod = updated.get(&p).copied();
            (routes::absolute(&config.base_url, &p), lastmod)
        })
        .collect();
    files.extend(sitemap_files(&config.base_url, &urls, SITEMAP_MAX_URLS));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_start_the_period() {
        assert_eq!(
            timestamp(&PartialDate::parse("2017-06").unwrap()),
            "2017-06-01T00:00:00Z"
        );
        assert_eq!(
            timestamp(&PartialDate::parse("2017-06-18").unwrap()),
            "2017-06-18T00:00:00Z"
        );
    }

    #[test]
    fn sitemap_splits_past_the_limit() {
        let urls: Vec<(String, Option<NaiveDate>)> = (0..5)
            .map(|n| (format!("https://e.org/s/{n}/"), None))
            .collect();
        let one = sitemap_files("https://e.org/s/", &urls, 5);
        assert_eq!(one.len(), 1);
        let split = sitemap_files("https://e.org/s/", &urls, 2);
        let names: Vec<&str> = split.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        let index = String::from_utf8(split[3].bytes.clone()).unwrap();
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("<loc>https://e.org/s/sitemap-3.xml</loc>"));
        let last = String::from_utf8(split[2].bytes.clone()).unwrap();
        assert_eq!(last.matches("<url>").count(), 1);
    }
}
