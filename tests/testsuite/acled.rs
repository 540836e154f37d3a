//! ACLED round trip (issue 10): the example site exported as `data/acled.csv`, imported into an
//! empty site with the same site.yaml and groups, and built again, shows every incident page's
//! facts as the original build does.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{SiteTest, copy_dir, hrefs, texts};
use briefwerk::codec::acled::{ACLED_COLUMNS, parse_tags};
use briefwerk::import::import_acled;
use briefwerk::render::export::ACLED_FILE;
use scraper::{ElementRef, Html, Selector};

/// The repository's example site, or only its site.yaml and groups (`groups_only`).
fn example(groups_only: bool) -> SiteTest {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(root.join("content/incidents")).unwrap();
    std::fs::copy(repo.join("site.yaml"), root.join("site.yaml")).unwrap();
    if groups_only {
        copy_dir(&repo.join("content/groups"), &root.join("content/groups"));
    } else {
        copy_dir(&repo.join("content"), &root.join("content"));
    }
    let out = dir.path().join("out");
    SiteTest { dir, root, out }
}

/// The CSV's header and rows, each row by column name.
fn rows(bytes: &[u8]) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut rdr = csv::Reader::from_reader(bytes);
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let rows = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect();
    (header, rows)
}

/// The first line that differs between two CSV files, both versions.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    a.lines()
        .zip(b.lines())
        .find(|(x, y)| x != y)
        .map(|(x, y)| format!("before: {x}\nafter:  {y}"))
        .unwrap_or_else(|| "one file has more lines".to_string())
}

/// What a reader sees of an incident: headline, dateline, standfirst, every key fact (date at
/// its precision, place, coordinates, event type, groups with the attribution words,
/// casualties, targets, record id), where the group names link, sources and tags.
fn facts(doc: &Html) -> Vec<(&'static str, Vec<String>)> {
    [
        ("headline", "main h1"),
        ("dateline", ".dateline"),
        ("standfirst", ".standfirst"),
        ("facts", ".facts__list > div"),
        ("sources", ".sources__list li"),
        ("tags", "section[aria-labelledby=tags-heading] li"),
    ]
    .into_iter()
    .map(|(name, css)| (name, texts(doc, css)))
    .chain([("group links", hrefs(doc, ".facts__list a[href*='groups/']"))])
    .collect()
}

/// Every text of `<main>` a reader sees, whitespace collapsed, except the analysis (the
/// Markdown body, which the export does not carry) and the briefings citing the incident
/// (the imported site has none).
fn reader_text(doc: &Html) -> String {
    let main = Selector::parse("main").unwrap();
    let mut words = Vec::new();
    for m in doc.select(&main) {
        for node in m.descendants() {
            let Some(text) = node.value().as_text() else {
                continue;
            };
            let hidden = node.ancestors().filter_map(ElementRef::wrap).any(|e| {
                let el = e.value();
                el.classes().any(|c| c == "prose")
                    || el.attr("aria-labelledby") == Some("briefings-heading")
                    || matches!(el.name(), "script" | "style")
            });
            if !hidden {
                words.extend(text.split_whitespace().map(str::to_string));
            }
        }
    }
    words.join(" ")
}

#[test]
fn the_example_site_survives_export_and_import() {
    let first = example(false);
    let built = first.build().expect("example builds");
    let csv = std::fs::read(first.out.join(ACLED_FILE)).unwrap();
    let (header, rows) = rows(&csv);
    assert_eq!(header, ACLED_COLUMNS);
    assert_eq!(
        rows.len(),
        built.incidents,
        "one row per published incident"
    );

    let second = example(true);
    let path = second.dir.path().join("acled.csv");
    std::fs::write(&path, &csv).unwrap();
    let report = import_acled(&second.root, &path, Path::new("content/incidents")).unwrap();
    assert!(report.malformed.is_empty(), "{:?}", report.malformed);
    assert!(
        report.unmatched_actors.is_empty(),
        "{:?}",
        report.unmatched_actors
    );
    assert_eq!(report.created, rows.len());
    let rebuilt = second.build().expect("imported site builds");
    assert_eq!(rebuilt.incidents, built.incidents);
    // Exported again, the imported site gives the same file byte for byte: every fact the
    // tags carry (per-group attribution and claims, figures, precision) came back, including
    // those no page shows yet.
    let again = std::fs::read(second.out.join(ACLED_FILE)).unwrap();
    assert!(
        again == csv,
        "acled.csv changed in the round trip:\n{}",
        first_difference(&csv, &again)
    );

    let mut compared = 0;
    for row in &rows {
        let tags = parse_tags(&row["tags"]);
        let id = &tags.iter().find(|(k, _)| k == "id").expect("id tag").1;
        let page = format!("incidents/{id}/index.html");
        let (a, b) = (first.page(&page), second.page(&page));
        assert_eq!(
            reader_text(&a),
            reader_text(&b),
            "{page}: the page reads differently after the round trip"
        );
        let (a, b) = (facts(&a), facts(&b));
        assert!(
            !a[0].1.is_empty() && !a[3].1.is_empty(),
            "{page}: no facts found"
        );
        for ((name, x), (_, y)) in a.iter().zip(&b) {
            assert_eq!(x, y, "{page}: {name} differ after the round trip");
        }
        compared += 1;
    }
    assert_eq!(compared, built.incidents);

    // What ACLED's columns cannot say came back: a year-only date, a range, an unknown, an
    // end date, the sources in full.
    let text = |id: &str| reader_text(&second.page(&format!("incidents/{id}/index.html")));
    let shelling = text("2016-timbuktu-french-base-shelling");
    assert!(
        shelling.contains("Date 2016 (month not known)"),
        "{shelling}"
    );
    assert!(shelling.contains("Killed unknown"), "{shelling}");
    let radisson = text("2015-11-20-radisson-blu-bamako");
    assert!(radisson.contains("Killed 19–20"), "{radisson}");
    assert!(
        radisson.contains("Radisson Blu Bamako attack . Wikipedia"),
        "{radisson}"
    );
    let kangaba = text("2017-06-18-kangaba");
    assert!(kangaba.contains("End date 19 June 2017"), "{kangaba}");
}

#[test]
fn importing_a_sites_own_export_into_it_changes_nothing() {
    let t = example(false);
    t.build().expect("example builds");
    let path = t.dir.path().join("acled.csv");
    std::fs::copy(t.out.join(ACLED_FILE), &path).unwrap();
    let report = import_acled(&t.root, &path, Path::new("content/incidents")).unwrap();
    // Every record already lives in a file of the editors, so each row is skipped, not doubled.
    assert_eq!(report.created, 0);
    assert_eq!(report.skipped.len(), report.rows);
    assert!(report.rows > 0);
    assert!(report.files_written.is_empty());
    assert!(
        report
            .skipped
            .iter()
            .any(|s| s.id == "2017-06-18-kangaba"
                && s.file == "content/incidents/2017-06-18-kangaba.md"),
        "{:?}",
        report.skipped
    );
}

#[test]
fn the_incident_list_links_the_acled_file() {
    let site = example(false);
    site.build().expect("example builds");
    let page = site.page("incidents/index.html");
    let sel = scraper::Selector::parse("a[href$='acled.csv']").unwrap();
    let hrefs: Vec<&str> = page
        .select(&sel)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(hrefs, ["../data/acled.csv"]);
    assert!(site.out.join("incidents").join(hrefs[0]).is_file());
    // Group pages link their own exports only: ACLED's format is one site-wide file.
    let group = site.page("groups/jnim/index.html");
    assert_eq!(group.select(&sel).count(), 0);
}
