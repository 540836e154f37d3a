//! Publishing (issue 6): Atom feeds and sitemaps that a real parser accepts, data exports that
//! round-trip through real readers, a search index that finds records, absolute URLs that
//! carry the base path, byte-identical rebuilds, and the ACLED importer's fixture round trip.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::support::{SiteTest, copy_dir};
use briefwerk::BuildOptions;
use briefwerk::import::import_acled;
use briefwerk::render::export::COLUMNS;

const BASE: &str = "https://example.org/sahel/";

/// The repository's example site (site.yaml + content/), copied so tests can change it.
fn example() -> SiteTest {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(&root).unwrap();
    std::fs::copy(repo.join("site.yaml"), root.join("site.yaml")).unwrap();
    copy_dir(&repo.join("content"), &root.join("content"));
    let out = dir.path().join("out");
    SiteTest { dir, root, out }
}

/// The small fixture site with a draft incident, built.
fn basic_built(opts: BuildOptions) -> (SiteTest, briefwerk::Report) {
    let t = SiteTest::fixture("basic");
    let report = t.build_with(opts).expect("fixture builds");
    (t, report)
}

fn read(t: &SiteTest, rel: &str) -> Vec<u8> {
    std::fs::read(t.out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn text(t: &SiteTest, rel: &str) -> String {
    String::from_utf8(read(t, rel)).unwrap()
}

/// Every file under `dir`, relative, `/`-separated, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// XML: strict well-formedness, then a real feed parser.
// ---------------------------------------------------------------------------------------------

/// Reads the whole document with quick-xml's checks on; returns the text of every element
/// named `collect` (e.g. `loc`) and every attribute value named `href`.
fn well_formed(bytes: &[u8], collect: &str) -> (Vec<String>, Vec<String>) {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_reader(bytes);
    r.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let (mut texts, mut hrefs) = (Vec::new(), Vec::new());
    let mut current: Option<String> = None;
    let mut depth = 0i32;
    let mut roots = 0;
    loop {
        let ev = r
            .read_event_into(&mut buf)
            .unwrap_or_else(|e| panic!("not well-formed at {}: {e}", r.buffer_position()));
        match ev {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                if depth == 0 {
                    roots += 1;
                }
                for a in e.attributes().with_checks(true) {
                    let a = a.expect("well-formed attribute");
                    if AsRef::<str>::as_ref(&a.key) == "href" {
                        hrefs.push(a.value.to_string());
                    }
                }
                if matches!(ev, Event::Start(_)) {
                    depth += 1;
                    if AsRef::<str>::as_ref(&e.name()) == collect {
                        current = Some(String::new());
                    }
                }
            }
            Event::End(ref e) => {
                depth -= 1;
                if AsRef::<str>::as_ref(&e.name()) == collect {
                    texts.push(current.take().unwrap());
                }
            }
            Event::Text(ref t) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(t);
                }
            }
            Event::GeneralRef(ref g) => {
                let name: &str = g;
                assert!(
                    g.is_char_ref() || ["amp", "lt", "gt", "quot", "apos"].contains(&name),
                    "undefined entity &{name};"
                );
            }
            Event::DocType(_) => panic!("no DOCTYPE expected"),
            _ => {}
        }
        buf.clear();
    }
    assert_eq!((roots, depth), (1, 0), "one root element, all closed");
    (texts, hrefs)
}

/// Parses an Atom feed strictly and checks what RFC 4287 requires of it.
fn atom(t: &SiteTest, rel: &str, base: &str) -> feed_rs::model::Feed {
    let bytes = read(t, rel);
    let (ids, hrefs) = well_formed(&bytes, "id");
    for u in ids.iter().chain(&hrefs) {
        assert!(u.starts_with(base), "{rel}: `{u}` is not under {base}");
    }
    let feed = feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(
        feed.id,
        format!("{base}{rel}"),
        "{rel}: feed id is its own URL"
    );
    assert!(
        feed.title.is_some() && feed.updated.is_some() && !feed.authors.is_empty(),
        "{rel}: title, updated, author"
    );
    assert!(
        feed.links
            .iter()
            .any(|l| l.rel.as_deref() == Some("self") && l.href == feed.id)
    );
    assert!(feed.entries.len() <= briefwerk::render::feeds::FEED_ENTRIES);
    let mut seen = BTreeSet::new();
    for e in &feed.entries {
        assert!(
            seen.insert(e.id.clone()),
            "{rel}: duplicate entry id {}",
            e.id
        );
        assert!(
            e.id.starts_with(base),
            "{rel}: entry id {} not absolute",
            e.id
        );
        assert!(
            e.title.is_some() && e.updated.is_some(),
            "{rel}: entry {} lacks title or updated",
            e.id
        );
        assert!(
            e.links
                .iter()
                .any(|l| l.href == e.id && l.rel.as_deref() == Some("alternate"))
        );
    }
    let updated: Vec<_> = feed.entries.iter().map(|e| e.updated.unwrap()).collect();
    assert!(
        updated.windows(2).all(|w| w[0] >= w[1]),
        "{rel}: entries newest first"
    );
    assert_eq!(
        feed.updated,
        updated.first().copied().or(feed.updated),
        "{rel}: feed updated = newest entry"
    );
    feed
}

#[test]
fn feeds_parse_strictly_and_leave_drafts_out() {
    let (t, report) = basic_built(BuildOptions::default());
    let feed = atom(&t, "atom.xml", BASE);
    // Every published incident and briefing, the draft not.
    assert_eq!(feed.entries.len(), report.incidents + report.briefings);
    let ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
    assert!(ids.contains(&"https://example.org/sahel/incidents/2017-06-18-kangaba/"));
    assert!(!ids.iter().any(|i| i.contains("draft")));
    let kangaba = feed
        .entries
        .iter()
        .find(|e| e.id.ends_with("2017-06-18-kangaba/"))
        .unwrap();
    assert_eq!(
        kangaba.updated.unwrap().to_rfc3339(),
        "2017-06-18T00:00:00+00:00"
    );

    let jnim = atom(&t, "groups/jnim/atom.xml", BASE);
    assert!(
        jnim.entries
            .iter()
            .any(|e| e.id.ends_with("2017-06-18-kangaba/"))
    );
    assert!(jnim.title.unwrap().content.ends_with("JNIM"));
    atom(&t, "countries/ml/atom.xml", BASE);
    for g in ["al-qaeda", "ansar-dine"] {
        atom(&t, &format!("groups/{g}/atom.xml"), BASE);
    }

    // Drafts stay out of a --drafts build's feeds too.
    let (t, _) = basic_built(BuildOptions {
        drafts: true,
        ..Default::default()
    });
    let feed = atom(&t, "atom.xml", BASE);
    assert!(!feed.entries.iter().any(|e| e.id.contains("draft")));
}

#[test]
fn feeds_of_the_example_site_parse() {
    let t = example();
    let report = t.build().unwrap();
    let feed = atom(&t, "atom.xml", BASE);
    let all = report.incidents + report.briefings;
    assert_eq!(
        feed.entries.len(),
        all.min(briefwerk::render::feeds::FEED_ENTRIES)
    );
    for (rel, _) in files(&t.out)
        .iter()
        .filter(|(p, _)| p.ends_with("atom.xml"))
    {
        atom(&t, rel, BASE);
    }
}

// ---------------------------------------------------------------------------------------------
// Sitemap and robots.txt.
// ---------------------------------------------------------------------------------------------

/// URL of every HTML page in the output except the 404 page.
fn built_page_urls(out: &Path, base: &str) -> BTreeSet<String> {
    files(out)
        .keys()
        .filter(|p| p.ends_with(".html") && *p != "404.html")
        .map(|p| format!("{base}{}", p.strip_suffix("index.html").unwrap_or(p)))
        .collect()
}

#[test]
fn sitemap_lists_every_built_page_and_robots_names_it() {
    for t in [SiteTest::fixture("basic"), example()] {
        t.build().unwrap();
        let (locs, _) = well_formed(&read(&t, "sitemap.xml"), "loc");
        let listed: BTreeSet<String> = locs.iter().cloned().collect();
        assert_eq!(listed.len(), locs.len(), "no URL listed twice");
        assert_eq!(listed, built_page_urls(&t.out, BASE));
        assert!(
            listed.contains(&format!("{BASE}incidents/page/2/")),
            "pagination pages are listed"
        );
        assert!(listed.contains(&format!("{BASE}search/")));
        assert!(
            text(&t, "sitemap.xml")
                .contains("xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"")
        );
        assert!(
            text(&t, "robots.txt")
                .lines()
                .any(|l| l == format!("Sitemap: {BASE}sitemap.xml"))
        );
    }
}

#[test]
fn sitemap_becomes_an_index_past_the_limit() {
    use briefwerk::render::feeds::sitemap_files;
    let urls: Vec<String> = (0..7).map(|n| format!("{BASE}p{n}/")).collect();
    let dated: Vec<(String, Option<chrono::NaiveDate>)> =
        urls.iter().map(|u| (u.clone(), None)).collect();
    let files = sitemap_files(BASE, &dated, 3);
    let by_name: BTreeMap<&str, &[u8]> = files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    let (parts, _) = well_formed(by_name["sitemap.xml"], "loc");
    assert_eq!(
        parts,
        [
            format!("{BASE}sitemap-1.xml"),
            format!("{BASE}sitemap-2.xml"),
            format!("{BASE}sitemap-3.xml")
        ]
    );
    let mut all = Vec::new();
    for n in 1..=3 {
        let (locs, _) = well_formed(by_name[format!("sitemap-{n}.xml").as_str()], "loc");
        assert!(locs.len() <= 3);
        all.extend(locs);
    }
    assert_eq!(all, urls);
}

// ---------------------------------------------------------------------------------------------
// Data exports.
// ---------------------------------------------------------------------------------------------

fn csv_rows(bytes: &[u8]) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut r = csv::Reader::from_reader(bytes);
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.expect("RFC 4180 row");
            headers
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect();
    (headers, rows)
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("valid JSON")
}

#[test]
fn csv_round_trips_with_one_row_per_published_incident() {
    for drafts in [false, true] {
        let (t, report) = basic_built(BuildOptions {
            drafts,
            ..Default::default()
        });
        let (headers, rows) = csv_rows(&read(&t, "data/incidents.csv"));
        assert_eq!(headers, COLUMNS);
        let published = if drafts {
            report.incidents - 1
        } else {
            report.incidents
        };
        assert_eq!(rows.len(), published, "drafts = {drafts}");
        assert!(rows.iter().all(|r| r["event_id"] != "2017-draft"));
        assert!(rows.iter().all(|r| r["schema_version"] == "2"));
        let ids: Vec<&str> = rows.iter().map(|r| r["event_id"].as_str()).collect();
        assert!(ids.windows(2).all(|w| w[0] != w[1]));
        let k = rows
            .iter()
            .find(|r| r["event_id"] == "2017-06-18-kangaba")
            .unwrap();
        assert_eq!(k["event_date"], "2017-06-18");
        assert_eq!(k["date_precision"], "day");
        assert_eq!(k["iso"], "ML");
        assert_eq!(k["country"], "Mali");
        assert_eq!(k["url"], format!("{BASE}incidents/2017-06-18-kangaba/"));
    }
}

#[test]
fn csv_keeps_precision_ranges_and_unknowns_apart() {
    let t = example();
    t.write(
        "content/incidents/zz-figures.md",
        "---\ntitle: 'Figures, \"quoted\"; with a comma'\ndate: \"2016-05\"\nlocation: {place: \"Gao, north\", country: ML}\n\
         groups: [jnim, aqim]\ncasualties: {killed: {min: 257}, wounded: unknown, captured: {min: 2, max: 4}}\n\
         sources: [{title: A print source}]\n---\n",
    );
    t.build().unwrap();
    let (_, rows) = csv_rows(&read(&t, "data/incidents.csv"));
    let r = rows.iter().find(|r| r["event_id"] == "zz-figures").unwrap();
    assert_eq!(r["title"], "Figures, \"quoted\"; with a comma");
    assert_eq!(r["location"], "Gao, north");
    assert_eq!(
        (r["event_date"].as_str(), r["date_precision"].as_str()),
        ("2016-05", "month")
    );
    assert_eq!(
        (
            r["killed_min"].as_str(),
            r["killed_max"].as_str(),
            r["killed_unknown"].as_str()
        ),
        ("257", "", "false")
    );
    assert_eq!(
        (
            r["wounded_min"].as_str(),
            r["wounded_max"].as_str(),
            r["wounded_unknown"].as_str()
        ),
        ("", "", "true")
    );
    assert_eq!(
        (r["captured_min"].as_str(), r["captured_max"].as_str()),
        ("2", "4")
    );
    assert_eq!(r["actor_ids"], "jnim; aqim");
    assert_eq!(
        r["actors"],
        "Jama'at Nusrat al-Islam wal-Muslimin; Al-Qaeda in the Islamic Maghreb"
    );
    assert_eq!(r["sources"], "A print source");
    assert_eq!((r["latitude"].as_str(), r["longitude"].as_str()), ("", ""));
    let j = json(&read(&t, "data/incidents.json"));
    let o = j
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "zz-figures")
        .unwrap();
    assert_eq!(o["casualties"]["killed"]["max"], serde_json::Value::Null);
    assert_eq!(o["casualties"]["killed"]["min"], 257);
    let ids: Vec<&str> = o["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["jnim", "aqim"]);
}

#[test]
fn json_and_geojson_agree_with_the_csv() {
    let t = example();
    t.build().unwrap();
    for dir in [
        "data/",
        "groups/jnim/",
        "groups/aqim/",
        "countries/ml/",
        "countries/bf/",
    ] {
        let (_, rows) = csv_rows(&read(&t, &format!("{dir}incidents.csv")));
        let list = json(&read(&t, &format!("{dir}incidents.json")));
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), rows.len(), "{dir}");
        let geo = json(&read(&t, &format!("{dir}incidents.geojson")));
        assert_eq!(geo["type"], "FeatureCollection");
        let features = geo["features"].as_array().unwrap();
        assert_eq!(
            features.len(),
            list.len(),
            "{dir}: one feature per published incident"
        );
        for (f, o) in features.iter().zip(list) {
            assert_eq!(f["type"], "Feature");
            assert_eq!(f["id"], o["id"]);
            if o["location"]["lat"].is_null() {
                // RFC 7946 §3.2: an unlocated feature has a null geometry.
                assert!(f["geometry"].is_null(), "{dir}: {}", o["id"]);
            } else {
                assert_eq!(f["geometry"]["type"], "Point");
                assert_eq!(
                    f["geometry"]["coordinates"],
                    serde_json::json!([o["location"]["lon"], o["location"]["lat"]])
                );
            }
            assert_eq!(&f["properties"], o);
        }
        for (row, o) in rows.iter().zip(list) {
            assert_eq!(o["id"], row["event_id"].as_str());
            assert_eq!(row.len(), COLUMNS.len());
        }
    }
    // Every group and country page has its exports beside it.
    let index = json(&read(&t, "data/groups.json"));
    for g in index.as_array().unwrap() {
        let id = g["id"].as_str().unwrap();
        let (_, rows) = csv_rows(&read(&t, &format!("groups/{id}/incidents.csv")));
        assert_eq!(
            rows.len() as u64,
            g["incident_count"].as_u64().unwrap(),
            "{id}"
        );
        assert!(
            rows.iter()
                .all(|r| r["actor_ids"].split("; ").any(|a| a == id))
        );
        assert_eq!(
            g["exports"]["csv"],
            format!("{BASE}groups/{id}/incidents.csv")
        );
    }
    let (_, all) = csv_rows(&read(&t, "data/incidents.csv"));
    let per_country: usize = ["ml", "bf", "ne", "mr", "dz"]
        .iter()
        .filter(|c| t.has(&format!("countries/{c}/incidents.csv")))
        .map(|c| {
            csv_rows(&read(&t, &format!("countries/{c}/incidents.csv")))
                .1
                .len()
        })
        .sum();
    assert_eq!(
        per_country,
        all.len(),
        "the country files partition the incidents"
    );
}

#[test]
fn groups_json_resolves_relationships_both_ways() {
    let t = example();
    t.build().unwrap();
    let groups = json(&read(&t, "data/groups.json"));
    let by_id: BTreeMap<&str, &serde_json::Value> = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["id"].as_str().unwrap(), g))
        .collect();
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    let jnim = by_id["jnim"];
    assert!(ids(&jnim["merged_from"]).contains(&"ansar-dine".to_string()));
    assert_eq!(by_id["ansar-dine"]["merged_into"], "jnim");
    assert!(ids(&jnim["affiliated_with"]).contains(&"al-qaeda".to_string()));
    assert!(ids(&by_id["al-qaeda"]["affiliates"]).contains(&"jnim".to_string()));
    assert_eq!(jnim["schema_version"], 2);
    assert_eq!(jnim["url"], format!("{BASE}groups/jnim/"));
}

// ---------------------------------------------------------------------------------------------
// Base URL with a path, determinism.
// ---------------------------------------------------------------------------------------------

#[test]
fn every_absolute_url_carries_the_base_path() {
    for base in [
        "https://example.org/sahel/",
        "https://preview.example.net/pr-42/sahel/",
    ] {
        let t = example();
        t.build_with(BuildOptions {
            base_url: Some(base.into()),
            ..Default::default()
        })
        .unwrap();
        let all = files(&t.out);
        let mut checked = 0;
        for (rel, bytes) in &all {
            if rel.ends_with("atom.xml") {
                atom(&t, rel, base);
                checked += 1;
            } else if rel.starts_with("sitemap") {
                let (locs, _) = well_formed(bytes, "loc");
                assert!(locs.iter().all(|l| l.starts_with(base)), "{rel}");
                assert_eq!(
                    locs.iter().cloned().collect::<BTreeSet<_>>(),
                    built_page_urls(&t.out, base)
                );
                checked += 1;
            } else if rel.ends_with("datapackage.json") {
                assert_eq!(json(bytes)["homepage"], base, "{rel}");
                checked += 1;
            } else if rel.ends_with(".json")
                && (rel.starts_with("data/") || rel.ends_with("incidents.json"))
            {
                let v = json(bytes);
                for o in v.as_array().unwrap() {
                    assert!(o["url"].as_str().unwrap().starts_with(base), "{rel}");
                }
                checked += 1;
            }
        }
        assert!(checked > 20, "{checked} files checked");
        assert!(
            String::from_utf8(all["robots.txt"].clone())
                .unwrap()
                .contains(&format!("Sitemap: {base}sitemap.xml"))
        );
    }
}

#[test]
fn publishing_outputs_are_byte_identical_across_builds() {
    let t = example();
    t.build().unwrap();
    let first = files(&t.out);
    let other = t.dir.path().join("again");
    t.build_with(BuildOptions {
        output: Some(other.clone()),
        ..Default::default()
    })
    .unwrap();
    let second = files(&other);
    let publishing = |p: &&String| {
        p.ends_with(".xml")
            || p.ends_with(".csv")
            || p.ends_with("json")
            || p.starts_with("search/")
            || *p == "robots.txt"
    };
    let a: Vec<&String> = first.keys().filter(publishing).collect();
    assert!(a.len() > 50);
    for p in a {
        assert!(first[p] == second[p], "{p} differs between two builds");
    }
}

// ---------------------------------------------------------------------------------------------
// Search index.
// ---------------------------------------------------------------------------------------------

/// Looks a folded term up the way search.js does: binary search over the shards' first terms,
/// then the shard's postings; returns the matching documents' URLs.
fn search_exact(out: &Path, term: &str) -> Vec<String> {
    let load = |rel: &str| json(&std::fs::read(out.join("search").join(rel)).unwrap());
    let manifest = load("index.json");
    let firsts: Vec<&str> = manifest["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let n = firsts.partition_point(|f| *f <= term).saturating_sub(1);
    let shard = load(&format!("t/{n}.json"));
    let Some(postings) = shard.get(term) else {
        return Vec::new();
    };
    let per = manifest["docs_per_shard"].as_u64().unwrap();
    let mut doc = 0;
    let mut urls = Vec::new();
    for v in postings.as_array().unwrap() {
        let v = v.as_u64().unwrap();
        doc += v >> 2;
        assert!((1..=3).contains(&(v & 3)), "weight");
        let meta = load(&format!("d/{}.json", doc / per));
        urls.push(
            meta[(doc % per) as usize]["u"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    urls
}

#[test]
fn search_index_finds_records_by_folded_terms() {
    let t = example();
    t.build().unwrap();
    let kangaba = search_exact(&t.out, "kangaba");
    assert!(
        kangaba.contains(&"incidents/2017-06-18-kangaba/".to_string()),
        "{kangaba:?}"
    );
    // Accents are folded: "Sévaré" is found as "sevare".
    assert!(
        search_exact(&t.out, "sevare").contains(&"incidents/2015-08-07-sevare-byblos/".to_string())
    );
    // Groups are found by their short names, and hyphenated names both ways.
    assert!(search_exact(&t.out, "jnim").contains(&"groups/jnim/".to_string()));
    assert!(search_exact(&t.out, "alqaeda").contains(&"groups/al-qaeda/".to_string()));
    assert!(
        search_exact(&t.out, "the").is_empty(),
        "stop words are not indexed"
    );
    // Filters list every value with its documents.
    let manifest = json(&read(&t, "search/index.json"));
    assert!(
        manifest["filters"]["group"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g[0] == "jnim")
    );
    assert!(
        t.has("search/f/group/jnim.json")
            && t.has("search/f/country/ml.json")
            && t.has("search/f/year/2017.json")
    );
    // Nothing the visitor must download first is large.
    assert!(read(&t, "search/index.json").len() < 16 * 1024);
}

#[test]
fn search_index_leaves_drafts_out() {
    let (t, _) = basic_built(BuildOptions {
        drafts: true,
        ..Default::default()
    });
    assert!(search_exact(&t.out, "rumour").is_empty());
    assert!(search_exact(&t.out, "unconfirmed").is_empty());
    assert!(!search_exact(&t.out, "kangaba").is_empty());
}

/// Serves `dir` over HTTP on 127.0.0.1 (one thread per connection) for the browser test.
fn serve(dir: PathBuf) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut first = String::new();
                if reader.read_line(&mut first).is_err() {
                    return;
                }
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).map_or(true, |n| n == 0) || line == "\r\n" {
                        break;
                    }
                }
                let path = first.split_whitespace().nth(1).unwrap_or("/");
                let path = path
                    .split('?')
                    .next()
                    .unwrap_or("/")
                    .trim_start_matches('/');
                let mut file = dir.join(path);
                if path.is_empty() || path.ends_with('/') {
                    file = file.join("index.html");
                }
                let mut s = &stream;
                match std::fs::read(&file) {
                    Ok(body) if !path.contains("..") => {
                        let ty = match file.extension().and_then(|e| e.to_str()) {
                            Some("html") => "text/html; charset=utf-8",
                            Some("js") => "text/javascript",
                            Some("css") => "text/css",
                            Some("json") => "application/json",
                            Some("svg") => "image/svg+xml",
                            _ => "application/octet-stream",
                        };
                        let _ = write!(
                            s,
                            "HTTP/1.1 200 OK\r\nContent-Type: {ty}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        );
                        let _ = s.write_all(&body);
                    }
                    _ => {
                        let _ = write!(
                            s,
                            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        );
                    }
                }
            });
        }
    });
    port
}

fn on_path(names: &[&str]) -> Option<String> {
    let path = std::env::var_os("PATH")?;
    names
        .iter()
        .find_map(|n| {
            std::env::split_paths(&path)
                .map(|d| d.join(n))
                .find(|p| p.is_file())
        })
        .map(|p| p.display().to_string())
}

#[test]
#[ignore = "needs node and Chromium (or BRIEFWERK_CHROMIUM): cargo test --test testsuite publish:: -- --ignored"]
fn a_visitor_types_kangaba_in_chromium_and_finds_the_incident() {
    let chromium = std::env::var("BRIEFWERK_CHROMIUM")
        .ok()
        .or_else(|| {
            on_path(&[
                "chromium",
                "chromium-browser",
                "google-chrome",
                "google-chrome-stable",
            ])
        })
        .expect("Chromium not found; set BRIEFWERK_CHROMIUM");
    let node = on_path(&["node"]).expect("node not found");
    let t = example();
    t.build().unwrap();
    let port = serve(t.out.clone());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/search-typing.mjs");
    let out = std::process::Command::new(node)
        .arg(script)
        .arg(chromium)
        .arg(format!("http://127.0.0.1:{port}/search/"))
        .arg("Kangaba")
        .arg("../incidents/2017-06-18-kangaba/")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("result"), "{stdout}");
}

// ---------------------------------------------------------------------------------------------
// ACLED import.
// ---------------------------------------------------------------------------------------------

fn fixture_csv() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/acled/sahel-sample.csv")
}

fn content(t: &SiteTest) -> BTreeMap<String, Vec<u8>> {
    files(&t.root.join("content"))
}

#[test]
fn acled_fixture_round_trips() {
    let t = example();
    let before = content(&t);
    let into = Path::new("content/incidents");
    let r = import_acled(&t.root, &fixture_csv(), into).unwrap();
    assert_eq!((r.rows, r.created, r.updated, r.unchanged), (8, 5, 0, 0));
    let lines: Vec<u64> = r.malformed.iter().map(|m| m.line).collect();
    assert_eq!(lines, [7, 8, 10], "{:?}", r.malformed);
    assert!(r.malformed[0].message.contains("2018-13-40"));
    assert!(r.malformed[1].message.contains("fatalities"));
    assert!(r.malformed[2].message.contains("country"));
    let unmatched: BTreeMap<&str, usize> = r
        .unmatched_actors
        .iter()
        .map(|u| (u.name.as_str(), u.rows))
        .collect();
    // Actor 2 is who was targeted, never a group to add: the army is not reported.
    assert_eq!(unmatched.get("Military Forces of Mali (2012-2021)"), None);
    assert_eq!(unmatched.get("Islamic State (Greater Sahara)"), Some(&1));
    assert!(
        !unmatched
            .keys()
            .any(|n| n.starts_with("JNIM") || n.starts_with("Ansaroul"))
    );
    assert_eq!(
        r.files_written,
        [
            PathBuf::from("content/incidents/acled-2018.yaml"),
            PathBuf::from("content/incidents/acled-2019.yaml")
        ]
    );
    // Nothing else in content/ changed.
    let after = content(&t);
    for (p, b) in &before {
        assert_eq!(after.get(p), Some(b), "{p} was touched");
    }

    // The site builds with the imported records, at the precision ACLED gave. The rows are
    // from 2018-19, after the example site's `data_cutoff`, so `after-cutoff` is expected.
    let report = t.build().expect("imported records pass check");
    assert!(
        report.warnings.0.iter().all(|w| w.code == "after-cutoff"
            || !w
                .location
                .as_ref()
                .is_some_and(|l| l.path.contains("acled-"))),
        "{:?}",
        report.warnings
    );
    let (_, rows) = csv_rows(&read(&t, "data/incidents.csv"));
    let row = |id: &str| {
        rows.iter()
            .find(|r| r["event_id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
            .clone()
    };
    let a = row("acled-mli90001");
    assert_eq!(
        (a["event_date"].as_str(), a["date_precision"].as_str()),
        ("2018-03-14", "day")
    );
    assert_eq!(a["actor_ids"], "jnim; katiba-macina; ansar-dine");
    // ACLED codes reported perpetrators: every tie is suspected, none "unattributed".
    assert_eq!(a["groups_suspected"], "jnim; katiba-macina; ansar-dine");
    assert_eq!(a["attribution"], "suspected");
    // ACLED's fatalities count every death: the not-separated figure, never victims killed.
    assert_eq!(
        (a["fatalities_min"].as_str(), a["fatalities_max"].as_str()),
        ("4", "4")
    );
    assert_eq!(
        (a["killed_min"].as_str(), a["killed_max"].as_str()),
        ("", "")
    );
    // Actor 2 with its inter2 code is a typed target; admin2 is kept.
    assert_eq!(a["targets"], "Military Forces of Mali (2012-2021)");
    assert_eq!(a["target_kinds"], "state_forces");
    assert_eq!(a["admin2"], "Douentza");
    assert_eq!(a["event_type"], "clash");
    assert_eq!(row("acled-mli90002")["event_date"], "2018-05");
    assert_eq!(row("acled-mli90002")["actor_ids"], "");
    assert_eq!(row("acled-bfo90003")["event_date"], "2019-01");
    assert_eq!(row("acled-bfo90003")["actor_ids"], "ansarul-islam");
    // JNIM is actor 2 there: a target that is a profiled group, not a perpetrator.
    assert_eq!(row("acled-mli90007")["actor_ids"], "isgs");
    assert_eq!(row("acled-mli90007")["target_groups"], "jnim");
    assert!(row("acled-nig90004")["summary"].contains("two lines"));
    assert_eq!(row("acled-nig90004")["latitude"], "");

    // Importing the same file again changes nothing, byte for byte.
    let once = content(&t);
    let again = import_acled(&t.root, &fixture_csv(), into).unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 5));
    assert!(again.files_written.is_empty());
    assert_eq!(content(&t), once);

    // A corrected row updates its record, moving it to another year's file if its date moved.
    let fixed = std::fs::read_to_string(fixture_csv())
        .unwrap()
        .replace("Boni,15.0333,-2.2167,1,Fixture Wire; Example Radio,National,\"Fixture row (invented for tests): JNIM militants clashed with Malian soldiers near Boni.\",4,", "Boni,15.0333,-2.2167,1,Fixture Wire; Example Radio,National,\"Fixture row (invented for tests): JNIM militants clashed with Malian soldiers near Boni.\",6,")
        .replace("BFO90003,10 January 2019,2019,3", "BFO90003,30 December 2018,2018,1");
    let fixed_path = t.dir.path().join("fixed.csv");
    std::fs::write(&fixed_path, fixed).unwrap();
    let r = import_acled(&t.root, &fixed_path, into).unwrap();
    assert_eq!((r.created, r.updated, r.unchanged), (0, 2, 3));
    let y2018 = std::fs::read_to_string(t.root.join("content/incidents/acled-2018.yaml")).unwrap();
    let y2019 = std::fs::read_to_string(t.root.join("content/incidents/acled-2019.yaml")).unwrap();
    assert!(y2018.contains("acled-bfo90003") && !y2019.contains("acled-bfo90003"));
    assert!(
        y2018.contains("date: 2018-12-30") || y2018.contains("date: '2018-12-30'"),
        "{y2018}"
    );
    t.build().expect("still builds");
    let (_, rows) = csv_rows(&read(&t, "data/incidents.csv"));
    let a = rows
        .iter()
        .find(|r| r["event_id"] == "acled-mli90001")
        .unwrap();
    assert_eq!(a["fatalities_min"], "6");
}

#[test]
fn acled_import_never_touches_records_it_did_not_create() {
    let t = example();
    // A record taken over by hand (same id, another file) is skipped, not duplicated.
    let hand = "---\ntitle: Abduction near Ayorou, checked by hand\ndate: \"2019-06-21\"\nlocation: {place: Ayorou, country: NE}\n\
                sources: [{title: Own notes}]\n---\nEdited by an analyst.\n";
    t.write("content/incidents/acled-nig90004.md", hand);
    let r = import_acled(&t.root, &fixture_csv(), Path::new("content/incidents")).unwrap();
    assert_eq!(r.created, 4);
    assert_eq!(r.skipped.len(), 1);
    assert_eq!(r.skipped[0].id, "acled-nig90004");
    assert_eq!(r.skipped[0].file, "content/incidents/acled-nig90004.md");
    assert_eq!(
        std::fs::read_to_string(t.root.join("content/incidents/acled-nig90004.md")).unwrap(),
        hand
    );
    t.build().expect("no duplicate ids");

    // A file with the importer's name that the importer did not write is refused.
    let t = example();
    t.write("content/incidents/acled-2018.yaml", "incidents: []\n");
    let e = import_acled(&t.root, &fixture_csv(), Path::new("content/incidents")).unwrap_err();
    assert!(e.to_string().contains("not written by"), "{e}");
    assert_eq!(
        std::fs::read_to_string(t.root.join("content/incidents/acled-2018.yaml")).unwrap(),
        "incidents: []\n"
    );

    // Records must go where the build reads them.
    let e = import_acled(&t.root, &fixture_csv(), Path::new("content/groups")).unwrap_err();
    assert!(e.to_string().contains("outside content/incidents"), "{e}");
}

#[test]
fn acled_import_rejects_files_that_are_not_acled_exports() {
    let t = example();
    let path = t.dir.path().join("other.csv");
    std::fs::write(&path, "id,date\n1,2017-01-01\n").unwrap();
    let e = import_acled(&t.root, &path, Path::new("content/incidents")).unwrap_err();
    assert!(e.to_string().contains("event_id_cnty"), "{e}");
    assert!(!t.root.join("content/incidents/acled-2017.yaml").exists());
}
