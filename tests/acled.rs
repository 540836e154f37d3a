//! ACLED round trip (issue 10): the example site exported as `data/acled.csv`, imported into an
//! empty site with the same site.yaml and groups, and built again, shows every incident page's
//! facts as the original build does.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use briefwerk::import::import_acled;
use briefwerk::render::export::{ACLED_COLUMNS, ACLED_FILE, parse_tags};
use scraper::Html;
use support::{SiteTest, copy_dir, hrefs, texts};

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

    let mut compared = 0;
    for row in &rows {
        let tags = parse_tags(&row["tags"]);
        let id = &tags.iter().find(|(k, _)| k == "id").expect("id tag").1;
        let page = format!("incidents/{id}/index.html");
        let (a, b) = (first.page(&page), second.page(&page));
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
