//! What a reader sees on a built site: chronologies, dates at their precision, casualty
//! ranges, relationships both ways, resolved `@` links, drafts, base paths, determinism,
//! and a failed build leaving the previous site alone.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{SiteTest, hrefs, incident_links, resolve, texts};
use briefwerk::{BuildOptions, Error};

fn built() -> SiteTest {
    let t = SiteTest::fixture("basic");
    t.build().expect("fixture builds");
    t
}

#[test]
fn group_chronology_lists_its_incidents_oldest_first_with_precision_ties() {
    let t = built();
    let doc = t.page("groups/ansar-dine/index.html");
    // A year-only date sorts at the start of its year, a month-only date at the start of
    // its month, and every record of the group is there.
    assert_eq!(
        incident_links(&doc),
        [
            "2015-11-20-radisson",
            "2016-year",
            "2016-07-month",
            "2016-07-19-nampala"
        ],
    );
    let main = texts(&doc, "main").join(" ");
    assert!(main.contains("2015") && main.contains("2016"));
    // Kangaba belongs to JNIM only.
    assert!(!incident_links(&doc).contains(&"2017-06-18-kangaba".to_string()));
    assert_eq!(
        incident_links(&t.page("groups/jnim/index.html")),
        ["2017-06-18-kangaba"]
    );
}

#[test]
fn dates_show_at_their_precision() {
    let t = built();
    let times = |rel: &str| texts(&t.page(rel), "main time");
    assert!(times("incidents/2017-06-18-kangaba/index.html").contains(&"18 June 2017".to_string()));
    assert!(times("incidents/2016-07-month/index.html").contains(&"July 2016".to_string()));
    assert!(times("incidents/2016-year/index.html").contains(&"2016".to_string()));
    let doc = t.page("incidents/2016-07-month/index.html");
    let sel = scraper::Selector::parse("main time[datetime]").unwrap();
    let dt: Vec<&str> = doc
        .select(&sel)
        .filter_map(|e| e.value().attr("datetime"))
        .collect();
    assert!(dt.contains(&"2016-07"), "{dt:?}");
}

#[test]
fn casualty_ranges_are_shown_as_ranges() {
    let t = built();
    let month = texts(&t.page("incidents/2016-07-month/index.html"), "main").join(" ");
    assert!(month.contains("10–12"), "{month}");
    let kangaba = texts(&t.page("incidents/2017-06-18-kangaba/index.html"), "main").join(" ");
    assert!(kangaba.contains("8–10"), "wounded range missing");
    // Group totals add ranges: 20–22 + 10–12 + 17 = 47–51 killed for Ansar Dine.
    let group = texts(&t.page("groups/ansar-dine/index.html"), "main").join(" ");
    assert!(group.contains("47–51"), "{group}");
}

#[test]
fn relationships_link_both_ways() {
    let t = built();
    let links = |rel: &str| hrefs(&t.page(rel), "main a[href]");
    let jnim = links("groups/jnim/index.html");
    assert!(
        jnim.iter().any(|h| h.ends_with("groups/ansar-dine/")),
        "merged from"
    );
    assert!(
        jnim.iter().any(|h| h.ends_with("groups/al-qaeda/")),
        "affiliated with"
    );
    let ad = links("groups/ansar-dine/index.html");
    assert!(
        ad.iter().any(|h| h.ends_with("groups/jnim/")),
        "merged into"
    );
    let aq = links("groups/al-qaeda/index.html");
    assert!(
        aq.iter().any(|h| h.ends_with("groups/jnim/")),
        "affiliates (reverse)"
    );
}

#[test]
fn at_links_resolve_to_pages() {
    let t = built();
    let doc = t.page("briefings/merger/index.html");
    let links = hrefs(&doc, "main a[href]");
    for want in [
        "../../incidents/2016-07-19-nampala/",
        "../../groups/jnim/",
        "../../methodology/",
    ] {
        assert!(links.iter().any(|h| h == want), "{want} not in {links:?}");
    }
    let home = hrefs(&t.page("index.html"), "main a[href]");
    assert!(
        home.iter().any(|h| h == "./incidents/2017-06-18-kangaba/"),
        "{home:?}"
    );
}

#[test]
fn unknown_at_link_fails_with_file_and_line() {
    let t = SiteTest::fixture("basic");
    t.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nFirst line.\n\nSee [x](@incident/no-such-thing).\n",
    );
    let Err(Error::Invalid(d)) = t.build() else {
        panic!("build should fail")
    };
    let d =
        d.0.iter()
            .find(|d| d.code == "unknown-link")
            .expect("unknown-link diagnostic");
    let loc = d.location.as_ref().unwrap();
    assert_eq!(loc.path, "content/pages/about.md");
    assert_eq!(loc.start.line, 6);
    assert!(!t.out.exists(), "nothing written");
}

#[test]
fn drafts_only_with_drafts_flag() {
    let t = built();
    assert!(!t.has("incidents/2017-draft/index.html"));
    let ids = incident_links(&t.page("groups/jnim/index.html"));
    assert!(!ids.contains(&"2017-draft".to_string()));
    t.build_with(BuildOptions {
        drafts: true,
        ..Default::default()
    })
    .unwrap();
    assert!(t.has("incidents/2017-draft/index.html"));
    assert!(incident_links(&t.page("groups/jnim/index.html")).contains(&"2017-draft".to_string()));
}

#[test]
fn incidents_are_paginated_newest_first() {
    let t = built();
    let p1 = incident_links(&t.page("incidents/index.html"));
    assert_eq!(p1, ["2017-06-18-kangaba", "2016-07-19-nampala"]);
    let p2 = incident_links(&t.page("incidents/page/2/index.html"));
    assert_eq!(p2, ["2016-07-month", "2016-year"]);
    assert!(t.has("incidents/page/3/index.html"));
    assert!(!t.has("incidents/page/4/index.html"));
}

#[test]
fn every_internal_link_stays_under_a_base_path() {
    let t = SiteTest::fixture("basic");
    t.build_with(BuildOptions {
        base_url: Some("https://example.org/deep/sahel/".into()),
        ..Default::default()
    })
    .unwrap();
    let base = "https://example.org/deep/sahel/";
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&t.out) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&t.out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.ends_with(".html") || rel == "404.html" {
            continue;
        }
        let dir = rel.trim_end_matches("index.html");
        let page_url = format!("{base}{dir}");
        let doc = t.page(&rel);
        let canon = hrefs(&doc, "link[rel=canonical]");
        assert_eq!(canon, std::slice::from_ref(&page_url), "canonical of {rel}");
        let sel = scraper::Selector::parse("a[href], link[href], img[src], script[src]").unwrap();
        for e in doc.select(&sel) {
            let url = e
                .value()
                .attr("href")
                .or_else(|| e.value().attr("src"))
                .unwrap();
            if url.starts_with("http") && !url.starts_with("https://example.org/")
                || url.starts_with('#')
            {
                continue;
            }
            let abs = resolve(&page_url, url);
            assert!(abs.starts_with(base), "{rel}: {url} resolves to {abs}");
            let target = abs[base.len()..].split('#').next().unwrap().to_string();
            let file = if target.is_empty() || target.ends_with('/') {
                format!("{target}index.html")
            } else {
                target
            };
            assert!(
                t.out.join(&file).exists(),
                "{rel}: {url} points to missing {file}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    // The 404 page is served at any depth, so its links are absolute paths with the base.
    let nf = hrefs(&t.page("404.html"), "a[href]");
    assert!(
        nf.iter()
            .all(|h| h.starts_with("/deep/sahel/") || h.starts_with("http") || h.starts_with('#')),
        "{nf:?}"
    );
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn two_builds_are_byte_identical() {
    let t = SiteTest::fixture("basic");
    let a = t.dir.path().join("a");
    let b = t.dir.path().join("b");
    t.build_with(BuildOptions {
        output: Some(a.clone()),
        ..Default::default()
    })
    .unwrap();
    t.build_with(BuildOptions {
        output: Some(b.clone()),
        ..Default::default()
    })
    .unwrap();
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() > 20, "{}", ta.len());
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(v == &tb[k], "{k} differs between builds");
    }
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let t = built();
    let before = tree(&t.out);
    t.write(
        "content/incidents/2017-06-18-kangaba.md",
        "---\ntitle: Broken\ndate: \"2017-02-30\"\nlocation: {country: ML}\n---\n",
    );
    let err = t.build().unwrap_err();
    assert!(matches!(err, Error::Invalid(_)));
    assert_eq!(tree(&t.out), before, "output changed after a failed build");
    // And a template error is just as harmless.
    let t2 = built();
    let before = tree(&t2.out);
    t2.write("templates/group.html", "{% extends \"base.html\" %}{% block content %}{{ no_such_variable }}{% endblock content %}");
    assert!(t2.build().is_err());
    assert_eq!(tree(&t2.out), before);
}

#[test]
fn rebuild_rewrites_only_changed_files() {
    let t = built();
    t.write(
        "content/pages/methodology.md",
        "---\ntitle: Methodology\n---\nRevised text.\n",
    );
    let r = t.build().unwrap();
    assert!(
        r.written.written >= 1 && r.written.written < 10,
        "{:?}",
        r.written
    );
    assert!(r.written.unchanged > 20);
    let m = texts(&t.page("methodology/index.html"), "main").join(" ");
    assert!(m.contains("Revised text."));
}

#[test]
fn content_text_is_escaped() {
    let t = SiteTest::fixture("basic");
    t.write(
        "content/incidents/2017-01-01-xss.md",
        "---\ntitle: \"<script>alert(1)</script> attack\"\ndate: \"2017-01-01\"\nlocation: {place: \"<b>Gao</b>\", country: ML}\nsources: [{title: \"<img src=x onerror=alert(1)>\", url: \"https://example.com\"}]\n---\n",
    );
    t.build().unwrap();
    let raw = std::fs::read_to_string(t.out.join("incidents/2017-01-01-xss/index.html")).unwrap();
    assert!(!raw.contains("<script>alert"), "title not escaped");
    assert!(!raw.contains("<img src=x"), "source title not escaped");
    assert!(raw.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn refuses_to_build_over_content() {
    let t = SiteTest::fixture("basic");
    let r = t.build_with(BuildOptions {
        output: Some(t.root.join("content")),
        ..Default::default()
    });
    assert!(matches!(r, Err(Error::Invalid(_))));
    assert!(t.root.join("content/groups/jnim.md").exists());
}

#[test]
fn git_info_dates_pages_from_their_last_commit() {
    let t = SiteTest::fixture("basic");
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(&t.root)
            .env("GIT_AUTHOR_DATE", "2020-03-04T12:00:00Z")
            .env("GIT_COMMITTER_DATE", "2020-03-04T12:00:00Z")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "git {args:?}");
    };
    // Off by default: no date, whatever the repository says.
    t.build().unwrap();
    assert!(
        texts(&t.page("incidents/2017-06-18-kangaba/index.html"), "footer")
            .join(" ")
            .contains("Built with")
    );
    assert!(
        !texts(&t.page("incidents/2017-06-18-kangaba/index.html"), "footer")
            .join(" ")
            .contains("last updated")
    );
    let yaml = std::fs::read_to_string(t.root.join("site.yaml")).unwrap();
    t.write("site.yaml", &format!("{yaml}git_info: true\n"));
    // Not a repository yet: one warning, and the build still succeeds.
    let r = t.build().unwrap();
    assert!(r.warnings.0.iter().any(|d| d.code == "git-info"));
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "init"]);
    let r = t.build().unwrap();
    assert!(!r.warnings.0.iter().any(|d| d.code == "git-info"));
    let footer = texts(&t.page("incidents/2017-06-18-kangaba/index.html"), "footer").join(" ");
    assert!(footer.contains("last updated on 4 March 2020"), "{footer}");
}

#[test]
fn feed_length_follows_site_yaml() {
    let t = SiteTest::fixture("basic");
    let yaml = std::fs::read_to_string(t.root.join("site.yaml")).unwrap();
    t.write("site.yaml", &format!("{yaml}feed_entries: 2\n"));
    t.build().unwrap();
    let atom = std::fs::read_to_string(t.out.join("atom.xml")).unwrap();
    assert_eq!(atom.matches("<entry>").count(), 2, "{atom}");
}

#[test]
fn figures_read_by_their_state_and_ranges_by_what_their_ends_share() {
    let t = SiteTest::fixture("basic");
    t.write(
        "content/incidents/2017-03-30-toll-unknown.md",
        "---\ntitle: Attack with an unknown toll\ndate: \"2017-03-30\"\nend_date: \"2017-04-02\"\nlocation: {country: ML}\ncasualties: {killed: unknown, wounded: 4}\nsources:\n  - {title: Report}\n---\n",
    );
    t.build().expect("builds");
    // The theme branches on each figure's state: stated unknown, known, not recorded.
    let doc = t.page("incidents/2017-03-30-toll-unknown/index.html");
    assert_eq!(
        texts(&doc, ".casualties__n"),
        ["unknown", "4", "not recorded"]
    );
    assert_eq!(texts(&doc, ".casualties__none"), ["unknown"]);
    // Ranges come from the range's data: a shared year is said once, a shared month too.
    assert_eq!(texts(&doc, ".dateline time"), ["30 March", "2 April 2017"]);
    let radisson = t.page("incidents/2015-11-20-radisson/index.html");
    assert_eq!(
        texts(&radisson, ".dateline time"),
        ["20", "21 November 2015"]
    );
    assert_eq!(
        texts(&radisson, ".casualties__n"),
        ["20–22", "not recorded", "not recorded"]
    );
}

#[test]
fn a_site_overrides_one_theme_component_by_its_file() {
    let t = SiteTest::fixture("basic");
    t.write(
        "templates/partials/breadcrumb.html",
        "{% component breadcrumb(trail, @root) %}<nav class=\"crumbs\">{% for l in trail %}<a href=\"{{ root }}{{ l.path }}\">{{ l.title }}</a>{% endfor %}</nav>{% endcomponent breadcrumb %}",
    );
    t.build().expect("builds");
    let doc = t.page("incidents/2017-06-18-kangaba/index.html");
    assert_eq!(texts(&doc, "nav.crumbs a"), ["Incidents", "2017"]);
    assert_eq!(
        hrefs(&doc, "nav.crumbs a"),
        ["../../incidents/", "../../chronology/2017/"]
    );
    assert!(texts(&doc, "nav.breadcrumb").is_empty());
    // The other components still come from the default theme.
    assert!(!texts(&doc, ".casualties__n").is_empty());
}
