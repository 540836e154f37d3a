//! What a reader sees of issue 15 on a built site (tests/fixtures/sites/truth): every total
//! says what it leaves out and never turns an unknown into 0, only countries with incidents
//! are counted and listed (by name), monthly digests compare only what the record can
//! carry, and stacked charts say how they colour an incident naming several groups.

use crate::support;

use crate::support::{SiteTest, hrefs};
use scraper::{Html, Selector};

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
        "not known; 4 incidents give no figure"
    );
    assert_eq!(figure(&m, "Killed"), "at least 34");
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
        "25 incidents. Killed: at least 80 (3 incidents give no figure). Wounded: 4 (24 incidents give no figure). Captured: at least 2 (24 incidents give no figure). Attackers killed: 2 (24 incidents give no figure). Dead in all, not separated: 9 (1 incident gives only this figure)."
    );
    // The chronology's table of years keeps the count of incidents without a figure.
    let chron = t.page("chronology/index.html");
    assert_eq!(
        texts(&chron, ".years-table tbody td"),
        ["25", "at least 80; 3 incidents give no figure"]
    );
    // Home: the killed total and what it leaves out; one incident reads in the singular.
    let home = t.page("index.html");
    assert_eq!(
        figure(&home, "Killed"),
        "at least 80; 3 incidents give no figure"
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
            "Burkina Faso 4 at least 37; 1 incident gives no figure",
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
    // Level incidents, killed fell from 9 to 2: improved, by the counts (an analyst's
    // assessment of August says otherwise, and leads the page).
    let august = t.page("countries/ml/2016-08/index.html");
    assert_eq!(
        one(&august, ".computed-trend"),
        "By the counts alone, the month would read improved."
    );
    assert_eq!(
        one(&august, ".trend-reason"),
        "3 incidents against 3 in July 2016, about level; 2 killed against 9 (lower bounds compared: 2 and 9), a fall."
    );
    // The rule is on the page, with its threshold.
    assert!(one(&july, ".trend-rule").contains("at least 3 counted incidents"));
    // The archive says why a month has no trend word.
    let ml = t.page("countries/ml/index.html");
    assert_eq!(
        texts(&ml, ".archive li"),
        [
            "August 2016 3 incidents · deteriorated (analyst's assessment)",
            "July 2016 3 incidents · figures too incomplete to compare",
            "June 2016 3 incidents · too few incidents to compare",
            "May 2016 1 incident · too few incidents to compare",
            "April 2016 3 incidents · too few incidents to compare",
            "March 2016 0 incidents · deteriorated (analyst's assessment)",
            "February 2016 4 incidents · deteriorated",
            "January 2016 3 incidents"
        ]
    );
}

#[test]
fn stacked_charts_say_an_incident_is_coloured_by_its_first_group() {
    let t = built();
    // Ouagadougou, Markoye and Djibo name two groups each.
    let said = "Each incident is counted once, in the colour of the first group its record names; 3 incidents shown name more than one group.";
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
        // May and June give `unknown`; Soum gives only deaths not separated.
        ["3 incidents give no killed figure and add nothing to their years."]
    );
}

/// The row of an incident table whose title links to incident `id`, as a reader reads its
/// cells (space between cells).
fn row(doc: &Html, id: &str) -> String {
    let sel = Selector::parse("tbody tr").unwrap();
    let link = Selector::parse("th a").unwrap();
    doc.select(&sel)
        .find(|r| {
            r.select(&link).next().and_then(|a| a.value().attr("href"))
                == Some(&format!("../../incidents/{id}/")[..])
        })
        .map(|r| {
            r.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| panic!("no row for {id}"))
}

fn incident(t: &SiteTest, id: &str) -> Html {
    t.page(&format!("incidents/{id}/index.html"))
}

#[test]
fn claims_read_as_the_record_relates_them() {
    let t = built();
    // `claims: joint`: one claim made together, in one statement.
    let ouaga = incident(&t, "2016-01-15-ouagadougou");
    assert_eq!(
        one(&ouaga, ".who"),
        "Jointly claimed by AQIM and Mourabitoun on 16 January 2016 in a statement."
    );
    assert_eq!(
        hrefs(&ouaga, ".who a"),
        ["../../groups/aqim/", "../../groups/mourabitoun/"]
    );
    assert_eq!(
        one(&ouaga, ".facts__note"),
        "Jointly claimed: the groups claimed it together."
    );
    // `claims: competing` keeps the words and the red mark.
    let markoye = incident(&t, "2016-09-10-markoye");
    assert_eq!(
        one(&markoye, ".who"),
        "Competing claims: AQIM claimed it on 11 September 2016 in a statement; Ansar Dine claimed it in a video."
    );
    // Two claims the record does not relate: side by side, and never "competing".
    let djibo = incident(&t, "2016-10-05-djibo");
    assert_eq!(
        one(&djibo, ".who"),
        "Claimed by Ansar Dine in a video and by Mourabitoun."
    );
    let main = one(&djibo, "main").to_lowercase();
    assert!(!main.contains("competing"), "{main}");
    assert!(!main.contains("joint"), "{main}");
    // Listings say the same, and only a competing claim is marked as such.
    let bf = t.page("countries/bf/index.html");
    let cells: Vec<String> = support::texts(&bf, "td.col-groups");
    assert_eq!(
        cells,
        [
            "AQIM , Mourabitoun jointly claimed",
            "AQIM , Ansar Dine competing claims",
            "AQIM suspected",
            "Ansar Dine , Mourabitoun claimed",
            "Ansar Dine suspected"
        ]
    );
    assert_eq!(
        texts(&bf, "td.col-groups .attr--competing"),
        ["competing claims"]
    );
    // A group's chronology marks its own tie, and how the claims relate.
    let aqim = t.page("groups/aqim/index.html");
    let roles = texts(&aqim, ".chronology td.col-role");
    assert_eq!(
        roles,
        [
            "claimed joint claim",
            "claimed",
            "claimed competing claims",
            "suspected"
        ]
    );
    let mourabitoun = t.page("groups/mourabitoun/index.html");
    assert_eq!(
        row(&mourabitoun, "2016-10-05-djibo"),
        "5 October 2016 Ambush near Djibo near Djibo, Sahel, Burkina Faso claimed 3 Ansar Dine claimed 12"
    );
}

#[test]
fn a_groups_own_figures_stand_beside_the_record_and_in_no_total() {
    let t = built();
    let djibo = incident(&t, "2016-10-05-djibo");
    assert_eq!(
        texts(&djibo, ".claimed-figures li"),
        ["Ansar Dine claimed 12 killed and at least 20 wounded"]
    );
    assert_eq!(
        texts(&djibo, ".casualties li"),
        ["Killed 3", "Wounded unknown", "Captured not recorded"]
    );
    // Listings show the claim beside the independent figure.
    let bf = t.page("countries/bf/index.html");
    assert_eq!(
        row(&bf, "2016-10-05-djibo"),
        "5 October 2016 Ambush near Djibo near Djibo, Sahel Ansar Dine , Mourabitoun claimed Ambush 3 Ansar Dine claimed 12"
    );
    // Totals count the 3, never the 12: 30 + 4 + 3 in Burkina Faso.
    assert_eq!(
        figure(&bf, "Killed"),
        "at least 37; 1 incident gives no figure"
    );
    let chart = texts(&t.page("groups/ansar-dine/index.html"), ".bw-data-table")
        .into_iter()
        .find(|c| c.starts_with("People killed per year"))
        .expect("killed chart");
    // Mali 43 less AQIM's 3 and Mourabitoun's 1 in Mali, plus Markoye 4 and Djibo 3.
    assert!(chart.ends_with("201646"), "{chart}");
}

#[test]
fn targets_say_their_kind_and_a_targeted_group_lists_the_incident() {
    let t = built();
    let kidal = incident(&t, "2016-07-08-kidal");
    assert_eq!(
        texts(&kidal, ".targets li"),
        [
            "civilians",
            "MNLA fighters (rebels)",
            "Malian armed forces (state forces)"
        ]
    );
    assert_eq!(hrefs(&kidal, ".targets a"), ["../../groups/mnla/"]);
    // MNLA's page lists the incident as one it was targeted in, apart from its own record.
    let mnla = t.page("groups/mnla/index.html");
    assert_eq!(
        support::incident_links(&mnla),
        ["2016-07-08-kidal"],
        "only under Targeted in"
    );
    assert_eq!(one(&mnla, ".targeted-in h2"), "Targeted in");
    assert!(
        texts(&mnla, ".chronology").is_empty(),
        "not its own incident"
    );
    assert_eq!(
        one(&mnla, ".totals .note"),
        "No incident recorded on this site and counted in its totals names MNLA."
    );
}

#[test]
fn deaths_not_separated_are_said_so_and_counted_apart() {
    let t = built();
    let soum = incident(&t, "2016-11-20-soum");
    assert_eq!(
        texts(&soum, ".casualties li"),
        [
            "Killed not recorded",
            "Wounded not recorded",
            "Captured not recorded",
            "Dead in all 9"
        ]
    );
    assert_eq!(
        one(&soum, ".fatalities"),
        "9 dead in all; victims and attackers not separated. Counted apart, never with the victims."
    );
    // Not among the killed: Burkina Faso's killed leave Soum out and say so; the deaths
    // not separated are their own figure.
    let bf = t.page("countries/bf/index.html");
    assert_eq!(
        figure(&bf, "Killed"),
        "at least 37; 1 incident gives no figure"
    );
    assert_eq!(
        figure(&bf, "Dead in all, not separated"),
        "9; 1 incident gives only this figure"
    );
    assert_eq!(
        row(&bf, "2016-11-20-soum"),
        "20 November 2016 Clash in Soum province somewhere in Sahel region Ansar Dine suspected Clash – 9 dead in all, not separated"
    );
    let home = t.page("index.html");
    assert_eq!(
        figure(&home, "Dead in all, not separated"),
        "9; 1 incident gives only this figure"
    );
}

#[test]
fn a_record_repeating_another_is_linked_both_ways_and_counted_once() {
    let t = built();
    let repeat = incident(&t, "2016-09-10-markoye-acled");
    assert_eq!(
        one(&repeat, ".notice--repeat"),
        "Same event as Attack on the Markoye gendarmerie: this record describes it again, so it is published but left out of totals, charts and digests, which count the other record."
    );
    assert_eq!(
        hrefs(&repeat, ".notice--repeat a"),
        ["../../incidents/2016-09-10-markoye/"]
    );
    // Its own deaths are not counted anywhere, and it says nothing of being counted apart.
    assert_eq!(
        one(&repeat, ".fatalities"),
        "6 dead in all; victims and attackers not separated."
    );
    let counted = incident(&t, "2016-09-10-markoye");
    assert_eq!(
        one(&counted, ".notice--repeated"),
        "Same event as Armed clash at Markoye (imported): that record describes this event again and is not counted; this one is."
    );
    assert_eq!(
        hrefs(&counted, ".notice--repeated a"),
        ["../../incidents/2016-09-10-markoye-acled/"]
    );
    // Five records in Burkina Faso, four incidents counted; the left-out one is said.
    let bf = t.page("countries/bf/index.html");
    assert_eq!(figure(&bf, "Incidents"), "4");
    assert_eq!(
        one(&bf, ".left-out"),
        "1 record repeats another record of the same event: it is published but not counted."
    );
    assert_eq!(
        texts(&bf, "tr:has(.badge--repeat) th a"),
        ["Armed clash at Markoye (imported)"]
    );
    assert_eq!(figure(&t.page("index.html"), "Incidents"), "25");
    // The chronology's timeline counts incidents, not records.
    assert_eq!(
        support::texts(&t.page("chronology/index.html"), ".bw-timeline li")[0],
        "2016 25 incidents Attack on the Splendid hotel in Ouagadougou Attack 5 in Gao"
    );
    // Chronologies list the repeat, marked, and do not count it as another incident.
    assert_eq!(one(&bf, ".chronology .year-heading__count"), "4 incidents");
    let year = t.page("chronology/2016/index.html");
    assert_eq!(texts(&year, "#m09 .year-heading__count"), ["1 incident"]);
    // AQIM is only suspected in the repeat: that suspicion is not counted either.
    let aqim = t.page("groups/aqim/index.html");
    assert_eq!(figure(&aqim, "Incidents"), "3");
    assert_eq!(figure(&aqim, "Blamed on AQIM (suspected)"), "0");
    let sept = t.page("countries/bf/2016-09/index.html");
    assert_eq!(
        support::texts(&sept, ".digest-table tbody tr")[0],
        "Incidents 1 0"
    );
}

#[test]
fn an_analysts_assessment_leads_its_month_marked_as_an_assessment() {
    let t = built();
    // A month without incidents gets its page for the assessment.
    let march = t.page("countries/ml/2016-03/index.html");
    assert_eq!(
        one(&march, ".lede"),
        "Analyst's assessment: the situation deteriorated."
    );
    assert_eq!(
        one(&march, ".assessment__verdict"),
        "The situation deteriorated, in the assessment of A. Analyst."
    );
    assert_eq!(
        one(&march, ".assessment__body"),
        "No attack was recorded in Mali this month, but armed groups moved into the Mopti region and threatened local officials."
    );
    assert_eq!(
        one(&march, ".assessment .note"),
        "This is an analyst's judgement of the month, not computed from the records. The computed comparison follows."
    );
    assert!(
        texts(&march, "main p").contains(&"No incident counted in Mali in March 2016.".to_string())
    );
    // The next month now links back to it, and the archive lists it.
    let april = t.page("countries/ml/2016-04/index.html");
    assert_eq!(
        hrefs(&april, ".digest-table thead a"),
        ["../../../countries/ml/2016-03/"]
    );
    let sitemap = std::fs::read_to_string(t.out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("https://example.org/truth/countries/ml/2016-03/"));
    // Without an author it is still an analyst's, not a computed word.
    let august = t.page("countries/ml/2016-08/index.html");
    assert_eq!(
        one(&august, ".assessment__verdict"),
        "The situation deteriorated, in an analyst's assessment."
    );
}

#[test]
fn a_month_without_incidents_says_so_and_never_killed_0() {
    let t = built();
    // March 2016 in Mali has an analyst's assessment and no counted incident; February has 4.
    let march = t.page("countries/ml/2016-03/index.html");
    assert_eq!(
        support::texts(&march, ".digest-table tbody tr"),
        ["Incidents 0 4", "Killed no incident counted 17"]
    );
    // The month after it compares with it: its column says the same.
    let april = t.page("countries/ml/2016-04/index.html");
    let rows = support::texts(&april, ".digest-table tbody tr");
    assert_eq!(rows[0], "Incidents 3 0");
    assert!(rows[1].ends_with(" no incident counted"), "{rows:?}");
    // Burkina Faso, September 2016, against an August without incidents.
    let sept = t.page("countries/bf/2016-09/index.html");
    let rows = support::texts(&sept, ".digest-table tbody tr");
    assert!(rows[1].ends_with(" no incident counted"), "{rows:?}");
}

/// Doc ids of a search filter file (`search/f/<kind>/<value>.json`, delta-coded); empty when
/// the value has no file.
fn filter_ids(t: &SiteTest, rel: &str) -> Vec<u64> {
    let Ok(text) = std::fs::read_to_string(t.out.join(rel)) else {
        return Vec::new();
    };
    let deltas: Vec<u64> = serde_json::from_str(&text).unwrap();
    deltas
        .iter()
        .scan(0, |id, d| {
            *id += d;
            Some(*id)
        })
        .collect()
}

#[test]
fn search_files_a_group_under_the_countries_of_its_incidents_not_its_whole_area() {
    let t = built();
    let docs: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(t.out.join("search/d/0.json")).unwrap())
            .unwrap();
    let aqim = docs.iter().position(|d| d["u"] == "groups/aqim/").unwrap() as u64;
    // AQIM's `area` is Mali, Algeria and Pakistan; its incidents are in Mali and Burkina Faso
    // (Ouagadougou, Markoye, the Mali list), none in Algeria or Pakistan.
    assert!(filter_ids(&t, "search/f/country/ml.json").contains(&aqim));
    assert!(filter_ids(&t, "search/f/country/bf.json").contains(&aqim));
    assert!(!filter_ids(&t, "search/f/country/dz.json").contains(&aqim));
    assert!(!t.out.join("search/f/country/pk.json").exists());
    // The country filter offers only countries with incidents, each with its count.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(t.out.join("search/index.json")).unwrap())
            .unwrap();
    let countries: Vec<&str> = manifest["filters"]["country"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[1].as_str().unwrap())
        .collect();
    assert_eq!(countries, ["Algeria", "Burkina Faso", "Mali"]);
}
