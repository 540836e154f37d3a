//! What a reader sees of issue 10 on a built site (tests/fixtures/sites/rigour): who did it
//! in words, honest totals ("at least", unknown figures, attackers apart, the data cutoff),
//! places and map marks at their precision, typed relationships both ways, the cutoff line,
//! monthly country digests with their trend, and related incidents in order.

use crate::support;

use crate::support::{SiteTest, hrefs};
use scraper::{Html, Selector};

/// Text of every element matching `css` as a reader reads it: text nodes joined as they
/// are (support::texts puts a space between nodes, "2017 ."), whitespace collapsed.
fn texts(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn built() -> SiteTest {
    let t = SiteTest::fixture("rigour");
    t.build().expect("fixture builds");
    t
}

fn one(doc: &Html, css: &str) -> String {
    let all = texts(doc, css);
    assert_eq!(all.len(), 1, "{css}: {all:?}");
    all.into_iter().next().unwrap_or_default()
}

fn count(doc: &Html, css: &str) -> usize {
    doc.select(&Selector::parse(css).unwrap()).count()
}

/// The figure whose label is `label` on a totals panel, value only.
fn figure(doc: &Html, label: &str) -> String {
    let sel = Selector::parse(".figure").unwrap();
    let dt = Selector::parse("dt").unwrap();
    let dd = Selector::parse("dd").unwrap();
    // The note under a figure is its own line, after a separator only screen readers hear.
    let norm = |e: scraper::ElementRef<'_>| e.text().collect::<String>();
    let norm = |e| norm(e).split_whitespace().collect::<Vec<_>>().join(" ");
    doc.select(&sel)
        .find(|f| f.select(&dt).next().map(norm).as_deref() == Some(label))
        .and_then(|f| f.select(&dd).next().map(norm))
        .unwrap_or_else(|| panic!("no figure `{label}`"))
}

fn incident(t: &SiteTest, id: &str) -> Html {
    t.page(&format!("incidents/{id}/index.html"))
}

#[test]
fn who_did_it_is_said_in_words_and_a_competing_claim_as_such() {
    let t = built();
    let doc = incident(&t, "2017-05-10-boulkessi");
    assert_eq!(
        one(&doc, ".who"),
        "Competing claims: JNIM claimed it on 11 May 2017 in a statement; ISGS claimed it in a video."
    );
    let links = hrefs(&doc, ".who a");
    assert_eq!(links, ["../../groups/jnim/", "../../groups/isgs/"]);
    // One claims, another is blamed: the two are never merged into one word.
    let gao = incident(&t, "2017-06-15-gao");
    assert_eq!(
        one(&gao, ".who"),
        "Claimed by JNIM on 19 June 2017 in a statement; ISGS is suspected."
    );
    assert_eq!(
        one(&incident(&t, "2017-03-15-sevare"), ".who"),
        "The role of Mourabitoun is disputed."
    );
    // Listings say "competing claims" too, and mark each group when they differ.
    let list = t.page("incidents/index.html");
    let cells = texts(&list, "td.col-groups");
    assert!(
        cells.contains(&"JNIM, ISGS competing claims".to_string()),
        "{cells:?}"
    );
    assert!(
        cells.contains(&"JNIM claimed, ISGS suspected".to_string()),
        "{cells:?}"
    );
}

#[test]
fn group_chronology_marks_each_incident_by_that_groups_own_attribution() {
    let t = built();
    let isgs = t.page("groups/isgs/index.html");
    assert_eq!(
        texts(&isgs, ".chronology td.col-role"),
        ["claimed competing claims", "suspected", "suspected"]
    );
    assert_eq!(figure(&isgs, "Claimed by ISGS"), "1");
    assert_eq!(figure(&isgs, "Blamed on ISGS (suspected)"), "2");
    assert_eq!(figure(&isgs, "Disputed"), "0");
    // Killed in claimed and in suspected incidents are kept apart.
    let rows: Vec<String> = texts(&isgs, ".split-table tbody tr > *")
        .chunks(3)
        .map(|r| r.join(" | "))
        .collect();
    assert_eq!(
        rows,
        [
            "Claimed by ISGS | 1 | at least 20",
            "Blamed on ISGS, not claimed | 2 | 7",
            "Disputed | 0 | 0"
        ]
    );
    let mourabitoun = t.page("groups/mourabitoun/index.html");
    assert_eq!(figure(&mourabitoun, "Disputed"), "1");
}

#[test]
fn totals_say_at_least_count_unknowns_and_keep_attackers_apart() {
    let t = built();
    let home = t.page("index.html");
    // 20+ (open), unknown, 3, 4, 2, 1; the 100 killed after the cutoff are not counted.
    assert_eq!(
        figure(&home, "Killed"),
        "at least 30; 1 incident gives no figure"
    );
    assert_eq!(figure(&home, "Incidents"), "6");
    assert_eq!(
        figure(&home, "Attackers killed"),
        "5; 5 incidents give no figure"
    );
    let jnim = t.page("groups/jnim/index.html");
    assert_eq!(
        figure(&jnim, "Killed"),
        "at least 24; 1 incident gives no figure"
    );
    assert_eq!(
        figure(&jnim, "Attackers killed"),
        "5; 2 incidents give no figure"
    );
    // No incident gives a wounded figure: that is "not known", not 0.
    assert_eq!(
        figure(&jnim, "Wounded"),
        "not known; 3 incidents give no figure"
    );
    let country = t.page("countries/ml/index.html");
    assert_eq!(
        figure(&country, "Killed"),
        "at least 30; 1 incident gives no figure"
    );
    let year = one(&t.page("chronology/2017/index.html"), ".lede");
    assert_eq!(
        year,
        "7 incidents (1 after the data cutoff, not counted). Killed: at least 30 (1 incident gives no figure). Wounded: not known (6 incidents give no figure). Attackers killed: 5 (5 incidents give no figure)."
    );
    // On the incident page, attackers killed stand apart from the victims.
    let doc = incident(&t, "2017-05-10-boulkessi");
    assert_eq!(
        texts(&doc, ".casualties li"),
        [
            "Killed at least 20",
            "Wounded not recorded",
            "Captured not recorded",
            "Attackers killed 5"
        ]
    );
}

#[test]
fn an_incident_after_the_cutoff_is_published_marked_and_not_counted() {
    let t = built();
    let doc = incident(&t, "2017-07-05-after-cutoff");
    assert!(
        one(&doc, ".notice--cutoff").starts_with("This incident is dated after the data cutoff"),
    );
    let list = t.page("incidents/index.html");
    let marked: Vec<String> = texts(&list, "tr:has(.badge--cutoff) th a");
    assert_eq!(marked, ["Raid after the cutoff"]);
    assert_eq!(
        texts(&t.page("groups/jnim/index.html"), ".as-of")[0],
        "Data as of 30 June 2017. 1 later incident is published but not counted."
    );
    // Per-group counts leave it out too: JNIM has 4 incidents listed, 3 counted.
    let groups = t.page("groups/index.html");
    assert_eq!(
        texts(&groups, ".groups-table td.num"),
        ["1", "1", "3", "3"],
        "Mourabitoun, AQIM, JNIM, ISGS"
    );
    let ml = t.page("countries/ml/index.html");
    assert_eq!(
        texts(&ml, ".groups-count-table td.num"),
        ["3", "3", "1", "1"],
        "ISGS, JNIM, AQIM, Mourabitoun"
    );
    // No digest for a month with only later incidents.
    assert!(!t.has("countries/ml/2017-07/index.html"));
}

#[test]
fn every_page_with_totals_charts_or_maps_states_the_data_cutoff() {
    let t = built();
    for page in [
        "index.html",
        "groups/jnim/index.html",
        "countries/ml/index.html",
        "countries/ml/2017-05/index.html",
        "chronology/index.html",
        "chronology/2017/index.html",
        "countries/index.html",
        "incidents/index.html",
    ] {
        let lines = texts(&t.page(page), ".as-of, .bw-asof, figcaption");
        assert!(
            lines.iter().any(|l| l.contains("Data as of 30 June 2017")),
            "{page}: {lines:?}"
        );
    }
    // Every chart and overview map says it itself.
    let jnim = t.page("groups/jnim/index.html");
    assert_eq!(texts(&jnim, ".bw-asof").len(), 2, "both charts");
    assert!(one(&jnim, "figure.bw-map figcaption").ends_with("Data as of 30 June 2017."));
    // A briefing states its own cutoff.
    assert_eq!(
        one(
            &t.page("briefings/2017-06-may-review/index.html"),
            ".page-header .as-of"
        ),
        "Data as of 31 May 2017."
    );
}

#[test]
fn places_are_said_and_drawn_at_their_precision() {
    let t = built();
    let near = incident(&t, "2017-05-10-boulkessi");
    assert_eq!(one(&near, ".dateline__place"), "near Boulkessi, Mopti");
    // A hollow ring, explained in the legend; no filled disc.
    assert_eq!(count(&near, "svg circle.bw-point-approx"), 1);
    assert_eq!(count(&near, "svg circle.bw-point:not(.bw-point-approx)"), 0);
    assert!(texts(&near, "svg .bw-map-legend text").contains(&"Near this point".to_string()));

    let region = incident(&t, "2017-05-20-mopti-region");
    assert_eq!(
        one(&region, ".dateline__place"),
        "somewhere in Mopti region"
    );
    assert_eq!(count(&region, "svg circle.bw-area-region"), 1);
    assert_eq!(
        count(&region, "svg circle.bw-point"),
        0,
        "no pin that pretends"
    );
    assert!(
        texts(&region, "svg .bw-map-legend text").contains(&"Somewhere in this region".to_string())
    );

    let country = incident(&t, "2017-06-02-somewhere-in-mali");
    assert_eq!(one(&country, ".dateline__place"), "somewhere in Mali");
    assert_eq!(count(&country, "svg path.bw-area-country"), 1);
    assert_eq!(count(&country, "svg circle.bw-point"), 0);
    assert!(
        texts(&country, "svg .bw-map-legend text")
            .contains(&"Somewhere in this country".to_string())
    );
    // The map is named and described, the precision included.
    let desc = one(&country, "svg > desc");
    assert!(desc.contains("somewhere in a country"), "{desc}");
    assert_eq!(
        one(&country, "svg > title"),
        "Location of Kidnapping somewhere in Mali"
    );

    // The country overview draws all three kinds and says how many of each.
    let ml = t.page("countries/ml/index.html");
    assert_eq!(count(&ml, "svg circle.bw-point-approx"), 1);
    assert_eq!(count(&ml, "svg circle.bw-area-region"), 1);
    assert_eq!(count(&ml, "svg path.bw-area-country"), 1);
    let desc = one(&ml, "figure.bw-map svg desc");
    assert!(
        desc.contains("3 at an exact place (filled disc), 1 near the place marked (hollow ring), 1 somewhere in a region (dashed circle), 1 somewhere in a country"),
        "{desc}"
    );
}

#[test]
fn maps_are_deterministic() {
    let a = built();
    let b = built();
    for page in [
        "countries/ml/index.html",
        "incidents/2017-06-02-somewhere-in-mali/index.html",
    ] {
        let svg = |t: &SiteTest| {
            let s = std::fs::read_to_string(t.out.join(page)).unwrap();
            s[s.find("<svg").unwrap()..].to_string()
        };
        assert_eq!(svg(&a), svg(&b), "{page}");
    }
}

#[test]
fn relationships_are_dated_and_shown_inverse_on_the_other_group() {
    let t = built();
    let rels = |g: &str| {
        texts(
            &t.page(&format!("groups/{g}/index.html")),
            ".relationship__line",
        )
    };
    assert_eq!(
        rels("jnim"),
        [
            "Pledged allegiance to AQIM, from March 2017",
            "Rival of ISGS, from July 2019"
        ]
    );
    // Written only on JNIM's and ISGS's files: derived on the other side.
    assert_eq!(
        rels("isgs"),
        [
            "Splinter of Mourabitoun, from May 2015",
            "Rival of JNIM, from July 2019"
        ]
    );
    assert_eq!(rels("mourabitoun"), ["Splinter group ISGS, from May 2015"]);
    assert_eq!(
        rels("aqim"),
        ["Received a pledge from JNIM, from March 2017"]
    );
    // Notes and sources come along to the other side.
    let isgs = t.page("groups/isgs/index.html");
    assert_eq!(
        texts(&isgs, ".relationship__note"),
        ["Open fighting in the Gourma from mid-2019."]
    );
    assert!(
        hrefs(&isgs, ".relationship__sources a").contains(&"https://example.com/rivalry".into())
    );
    // The lineage draws them as typed edges, with a legend.
    let desc = one(&isgs, ".bw-lineage desc");
    assert!(desc.contains("ISGS and JNIM are rivals."), "{desc}");
    assert!(desc.contains("ISGS split from Mourabitoun."), "{desc}");
    let legend = texts(&isgs, ".bw-lineage text").join(" | ");
    assert!(
        legend.contains("rivals") && legend.contains("split off to form"),
        "{legend}"
    );
    // /groups/ shows the whole network, each relationship once.
    let groups = t.page("groups/index.html");
    assert_eq!(
        texts(&groups, ".relationships--network li"),
        [
            "JNIM: pledged allegiance to AQIM, from March 2017",
            "JNIM: rival of ISGS, from July 2019",
            "ISGS: splinter of Mourabitoun, from May 2015"
        ]
    );
    assert!(
        one(&groups, ".bw-lineage desc").contains("JNIM pledged allegiance to AQIM."),
        "network diagram"
    );
    // Boxes say which groups are still active (Mourabitoun merged), and none is the page's own.
    assert_eq!(
        texts(&groups, ".bw-lineage-node > title"),
        [
            "AQIM (founded 2007)",
            "Mourabitoun (founded 2013 · inactive)",
            "ISGS (founded 2015)",
            "JNIM (founded 2017)"
        ]
    );
    assert_eq!(count(&groups, ".bw-lineage .bw-focus"), 0);
    assert_eq!(count(&isgs, ".bw-lineage .bw-focus[aria-current=page]"), 1);
}

#[test]
fn monthly_digests_compare_with_the_month_before_and_are_archived() {
    let t = built();
    let trend = |m: &str| {
        texts(
            &t.page(&format!("countries/ml/{m}/index.html")),
            ".page-header .trend",
        )
    };
    // Every month of this fixture has fewer than 3 counted incidents: no trend word is
    // computed from so little (the rule is in docs/content.md; tests/testsuite/truth.rs has months
    // that can be compared).
    assert_eq!(trend("2017-05"), ["Too few incidents to compare"]);
    assert_eq!(trend("2017-06"), ["Too few incidents to compare"]);
    assert!(
        trend("2017-03").is_empty(),
        "the first month has nothing to compare"
    );
    let june = t.page("countries/ml/2017-06/index.html");
    assert_eq!(
        one(&june, ".trend-reason"),
        "Too few incidents to compare: 2 incidents against 2 in May 2017. A trend needs at least 3 counted incidents in each of the two months."
    );
    assert_eq!(
        support::incident_links(&june),
        ["2017-06-02-somewhere-in-mali", "2017-06-15-gao"]
    );
    // The country page archives them, newest first, each with its trend.
    let ml = t.page("countries/ml/index.html");
    assert_eq!(
        hrefs(&ml, ".archive a"),
        [
            "../../countries/ml/2017-06/",
            "../../countries/ml/2017-05/",
            "../../countries/ml/2017-04/",
            "../../countries/ml/2017-03/"
        ]
    );
    assert_eq!(
        texts(&ml, ".archive li"),
        [
            "June 2017 2 incidents · too few incidents to compare",
            "May 2017 2 incidents · too few incidents to compare",
            "April 2017 1 incident · too few incidents to compare",
            "March 2017 1 incident"
        ]
    );
}

#[test]
fn related_incidents_share_a_group_then_a_region_then_are_nearest_in_time() {
    let t = built();
    let doc = incident(&t, "2017-05-10-boulkessi");
    let related: Vec<String> = hrefs(&doc, ".related a")
        .into_iter()
        .map(|h| {
            h.trim_start_matches("../../incidents/")
                .trim_end_matches('/')
                .to_string()
        })
        .collect();
    assert_eq!(
        related,
        [
            // JNIM or ISGS, and Mopti: nearest first.
            "2017-05-20-mopti-region",
            "2017-07-05-after-cutoff",
            // JNIM or ISGS elsewhere.
            "2017-06-02-somewhere-in-mali",
            "2017-06-15-gao",
            // Mopti, another group: the nearer of the two in time.
            "2017-04-01-douentza",
        ]
    );
}
