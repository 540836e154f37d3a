//! What a reader sees of issue 15 on a built site (tests/fixtures/sites/truth): every total
//! says what it leaves out and never turns an unknown into 0, only countries with incidents
//! are counted and listed (by name), monthly digests compare only what the record can
//! carry, and stacked charts say how they colour an incident naming several groups.

mod support;

use scraper::{Html, Selector};
use support::{SiteTest, hrefs};

/// Text of every element matching `css` as a reader reads it: text nodes joined as they
/// are, whitespace collapsed.
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

fn one(doc: &Html, css: &str) -> String {
    let all = texts(doc, css);
    assert_eq!(all.len(), 1, "{css}: {all:?}");
    all.into_iter().next().unwrap_or_default()
}

fn built() -> SiteTest {
    let t = SiteTest::fixture("truth");
    t.build().expect("fixture builds");
    t
}

/// The figure whose label is `label` on a totals panel, value only, as a reader reads it.
fn figure(doc: &Html, label: &str) -> String {
    let sel = Selector::parse(".figure").unwrap();
    let dt = Selector::parse("dt").unwrap();
    let dd = Selector::parse("dd").unwrap();
    let norm = |e: scraper::ElementRef<'_>| {
        e.text()
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    doc.select(&sel)
        .find(|f| f.select(&dt).next().map(norm).as_deref() == Some(label))
        .and_then(|f| f.select(&dd).next().map(norm))
        .unwrap_or_else(|| panic!("no figure `{label}`"))
}

fn figure_labels(doc: &Html) -> Vec<String> {
    texts(doc, ".figure dt")
}

#[test]
fn unknown_is_never_zero_and_every_total_says_what_it_leaves_out() {
    let t = built();
    // Every incident naming Mourabitoun gives its wounded as unknown: not "0".
    let m = t.page("groups/mourabitoun/index.html");
    assert_eq!(
        figure(&m, "Wounded"),
        "not known; 3 incidents give no figure"
    );
    assert_eq!(figure(&m, "Killed"), "at least 31");
    // A country page counts its unknown and unrecorded wounded instead of hiding them.
    let ml = t.page("countries/ml/index.html");
    assert_eq!(figure(&ml, "Wounded"), "4; 19 incidents give no figure");
    assert_eq!(figure(&ml, "Killed"), "43; 2 incidents give no figure");
    assert_eq!(
        figure(&ml, "Attackers killed"),
        "2; 19 incidents give no figure"
    );
    // The year page: each figure with its own note, in words that read.
    assert_eq!(
        one(&t.page("chronology/2016/index.html"), ".lede"),
        "22 incidents. Killed: at least 73 (2 incidents give no figure). Wounded: 4 (21 incidents give no figure). Attackers killed: 2 (21 incidents give no figure)."
    );
    // The chronology's table of years keeps the count of incidents without a figure.
    let chron = t.page("chronology/index.html");
    assert_eq!(
        texts(&chron, ".years-table tbody td"),
        ["22", "at least 73; 2 incidents give no figure"]
    );
    // Home: the killed total and what it leaves out; one incident reads in the singular.
    let home = t.page("index.html");
    assert_eq!(
        figure(&home, "Killed"),
        "at least 73; 2 incidents give no figure"
    );
    let may = t.page("countries/ml/2016-05/index.html");
    assert_eq!(
        support::texts(&may, ".digest-table tbody tr")[1],
        "Killed not known ; 1 incident gives no figure 3"
    );
    // A real zero stays a zero: In Salah gives `killed: 0`.
    let countries = t.page("countries/index.html");
    assert_eq!(
        texts(&countries, ".countries-table tbody tr"),
        [
            "Algeria 1 0",
            "Burkina Faso 1 at least 30",
            "Mali 20 43; 2 incidents give no figure"
        ]
    );
}

#[test]
fn only_countries_with_incidents_are_counted_and_listed_by_name() {
    let t = built();
    // Incidents in Burkina Faso, Algeria and Mali; group areas also name Pakistan and Niger.
    assert_eq!(figure(&t.page("index.html"), "Countries"), "3");
    let countries = t.page("countries/index.html");
    assert_eq!(
        one(&countries, ".lede"),
        "3 countries with recorded incidents."
    );
    // By name (Algeria is DZ, after BF by code).
    assert_eq!(
        texts(&countries, ".countries-table tbody th"),
        ["Algeria", "Burkina Faso", "Mali"]
    );
    assert!(!t.has("countries/pk/index.html"), "no page from an area");
    assert!(!t.has("countries/ne/index.html"), "no page from an area");
    // A group's area is shown on its page, as names (no page to link to for Pakistan).
    let aqim = t.page("groups/aqim/index.html");
    let area = texts(&aqim, ".facts__list > div")
        .into_iter()
        .find(|d| d.starts_with("Area of operations"))
        .expect("area shown");
    assert_eq!(area, "Area of operationsMali, Algeria, Pakistan");
    assert!(
        !hrefs(&aqim, ".facts__list a")
            .iter()
            .any(|h| h.contains("countries/")),
        "area names are not links"
    );
    // Mali's "Groups" counts groups named in its incidents; MNLA, active there by its
    // profile only, is listed apart.
    let ml = t.page("countries/ml/index.html");
    assert_eq!(figure(&ml, "Groups"), "3");
    assert_eq!(
        texts(&ml, ".groups-count-table tbody th"),
        [
            "Ansar Dine",
            "Al-Qaeda in the Islamic Maghreb AQIM",
            "Al-Mourabitoun Mourabitoun"
        ]
    );
    assert_eq!(
        one(&ml, ".also-active"),
        "Also active here, by their profiles, but named in no incident counted in Mali: MNLA."
    );
    // The figures panel of a country shows no count of groups with nothing there.
    assert!(figure_labels(&ml).contains(&"Groups".to_string()));
}

#[test]
fn digests_compare_only_what_the_record_can_carry() {
    let t = built();
    let lede = |m: &str| one(&t.page(&format!("countries/ml/{m}/index.html")), ".lede");
    // After a month without incidents: not "deteriorated".
    assert_eq!(
        lede("2016-04"),
        "Too few incidents to compare with March 2016."
    );
    // One incident whose deaths are unknown: not "improved".
    assert_eq!(
        lede("2016-05"),
        "Too few incidents to compare with April 2016."
    );
    // 4 incidents and 17 killed against 3 and 6: both rose by more than a quarter.
    assert_eq!(
        lede("2016-02"),
        "Compared with January 2016, the situation deteriorated, by the counts below."
    );
    // Three incidents against three, but June's killed include an unknown.
    assert_eq!(
        lede("2016-07"),
        "Figures too incomplete to compare with June 2016."
    );
    let july = t.page("countries/ml/2016-07/index.html");
    assert_eq!(
        one(&july, ".trend-reason"),
        "Figures too incomplete to compare: 1 incident in June 2016 gives no killed figure, which could hide any number (3 incidents against 3 in June 2016)."
    );
    // Level incidents, killed fell from 9 to 2: improved.
    assert_eq!(
        lede("2016-08"),
        "Compared with July 2016, the situation improved, by the counts below."
    );
    assert_eq!(
        one(&t.page("countries/ml/2016-08/index.html"), ".trend-reason"),
        "3 incidents against 3 in July 2016, about level; 2 killed against 9 (lower bounds compared: 2 and 9), a fall."
    );
    // The rule is on the page, with its threshold.
    assert!(one(&july, ".trend-rule").contains("at least 3 counted incidents"));
    // The archive says why a month has no trend word.
    let ml = t.page("countries/ml/index.html");
    assert_eq!(
        texts(&ml, ".archive li"),
        [
            "August 2016 3 incidents · improved",
            "July 2016 3 incidents · figures too incomplete to compare",
            "June 2016 3 incidents · too few incidents to compare",
            "May 2016 1 incident · too few incidents to compare",
            "April 2016 3 incidents · too few incidents to compare",
            "February 2016 4 incidents · deteriorated",
            "January 2016 3 incidents"
        ]
    );
}

#[test]
fn stacked_charts_say_an_incident_is_coloured_by_its_first_group() {
    let t = built();
    let said = "Each incident is counted once, in the colour of the first group its record names; 1 incident shown names more than one group.";
    for page in [
        "chronology/index.html",
        "index.html",
        "countries/bf/index.html",
    ] {
        let doc = t.page(page);
        assert_eq!(one(&doc, ".bw-chart-figure .bw-note"), said, "{page}");
        assert!(
            one(&doc, ".bw-chart-figure svg > desc").ends_with(said),
            "{page}: the description says it too"
        );
    }
    // A chart of incidents naming one group each says how it colours them, without a count.
    assert_eq!(
        one(
            &t.page("countries/dz/index.html"),
            ".bw-chart-figure .bw-note"
        ),
        "Each incident is counted once, in the colour of the first group its record names."
    );
    // A group's killed chart says which incidents give no figure instead of drawing 0.
    let ansar = t.page("groups/ansar-dine/index.html");
    assert_eq!(
        texts(&ansar, ".bw-chart-figure .bw-note"),
        ["2 incidents give no killed figure and add nothing to their years."]
    );
}
