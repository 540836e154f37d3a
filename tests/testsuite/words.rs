//! A site in French or Arabic (`language: fr`, `language: ar`): every interface word, date,
//! number, plural and country name a reader sees is in the site's language, from the theme's
//! strings and CLDR (issue 17). The fixtures are the basic site with another `language:` and
//! one more incident (a two-day range with coordinates).

use std::collections::BTreeSet;

use briefwerk::render::words::Words;
use scraper::{Html, Node, Selector};

use crate::support::{SiteTest, texts};

/// Builds fixture `name` and returns it.
fn built(name: &str) -> SiteTest {
    let s = SiteTest::fixture(name);
    s.build().unwrap_or_else(|e| panic!("{name}: {e:?}"));
    s
}

/// The text a reader sees on a page, whitespace collapsed: everything but scripts, styles,
/// and the pictures (maps and charts with their captions and data tables, whose words are
/// still English: docs/i18n.md).
fn visible(doc: &Html) -> String {
    let mut out = String::new();
    for node in doc.tree.root().descendants() {
        if let Node::Text(t) = node.value() {
            let hidden = node.ancestors().any(|a| {
                a.value().as_element().is_some_and(|e| {
                    matches!(e.name(), "script" | "style" | "svg" | "title")
                        || e.attr("class").is_some_and(|c| c.contains("pictures"))
                })
            });
            if !hidden {
                out.push_str(t);
                out.push(' ');
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of the first element matching `css`, exactly as written (no spaces added
/// between its children: "19–20 juin 2017" is three elements).
fn raw_text(doc: &Html, css: &str) -> String {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .next()
        .map(|e| e.text().collect::<String>())
        .unwrap_or_default()
}

/// The `<html>` element's attribute `name`.
fn html_attr(doc: &Html, name: &str) -> Option<String> {
    let sel = Selector::parse("html").unwrap();
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr(name).map(str::to_string))
}

/// Every HTML page of a built site, by path.
fn pages(s: &SiteTest) -> Vec<(String, Html)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(&s.out) {
        let e = e.unwrap();
        let p = e.path();
        if p.extension().is_some_and(|x| x == "html") {
            let rel = p
                .strip_prefix(&s.out)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push((rel.clone(), s.page(&rel)));
        }
    }
    out
}

#[test]
fn a_french_site_writes_dates_numbers_and_plurals_in_french() {
    let s = built("words-fr");
    let home = s.page("index.html");
    assert_eq!(html_attr(&home, "lang").as_deref(), Some("fr"));
    assert_eq!(html_attr(&home, "dir"), None, "French is left to right");

    // A day, at its precision.
    let siege = s.page("incidents/2015-11-20-radisson/index.html");
    let facts = texts(&siege, ".facts__list dd").join(" | ");
    assert!(facts.contains("20 novembre 2015"), "{facts}");
    // A range within a month, said once as French says it.
    let range = s.page("incidents/2017-06-19-range/index.html");
    let dateline = raw_text(&range, ".dateline");
    assert!(dateline.contains("19–20 juin 2017"), "{dateline}");
    // Coordinates with a decimal comma and French hemisphere letters (O for ouest).
    let coords = raw_text(&range, ".coords");
    assert!(coords.contains("12,64°\u{202f}N"), "{coords}");
    assert!(coords.contains("\u{202f}O"), "{coords}");
    // Figures: "au moins 4" for an open range.
    let casualties = texts(&range, ".casualties").join(" ");
    assert!(casualties.contains("au moins 4"), "{casualties}");
    // A month: the country's digests are named by month.
    let mali = s.page("countries/ml/index.html");
    let archive = texts(&mali, ".archive__list a").join(" | ");
    assert!(archive.contains("juin 2017"), "{archive}");

    // Plurals by CLDR: one incident, several incidents.
    let counts = texts(&mali, ".year-heading__count");
    assert!(counts.iter().any(|c| c == "1 incident"), "{counts:?}");
    assert!(
        counts
            .iter()
            .any(|c| c.ends_with(" incidents") && !c.starts_with("1 ")),
        "{counts:?}"
    );
    let bf = s.page("countries/bf/index.html");
    assert_eq!(texts(&bf, "h1"), vec!["Burkina Faso"]);
    let menu = texts(&home, ".site-nav a").join(" | ");
    assert!(menu.contains("Chronologie"), "{menu}");
}

#[test]
fn a_french_site_shows_no_english_interface_words() {
    // Every phrase of two words or more that en.yaml says differently from fr.yaml.
    let en = briefwerk::locale::strings::default_theme_file("en").unwrap();
    let fr = briefwerk::locale::strings::default_theme_file("fr").unwrap();
    let values = |text: &str| -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut key = String::new();
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (k, v) = match line.split_once(':') {
                Some(kv) => kv,
                None => continue,
            };
            if !line.starts_with(' ') {
                key = k.to_string();
            }
            let v = v.trim().trim_matches('"').to_string();
            if !v.is_empty() {
                out.push((key.clone(), v));
            }
        }
        out
    };
    let fr_values: BTreeSet<String> = values(&fr.text).into_iter().map(|(_, v)| v).collect();
    let mut phrases = BTreeSet::new();
    for (key, v) in values(&en.text) {
        if fr_values.contains(&v) {
            continue;
        }
        for part in v.split(['{', '}']).step_by(2) {
            let part = part
                .replace("<strong>", "")
                .replace("</strong>", "")
                .replace("\\\"", "\"");
            let part = part.trim_matches(|c: char| " .,:;()".contains(c));
            if part.split_whitespace().count() >= 2 && part.len() >= 8 && !part.contains('<') {
                phrases.insert((part.to_string(), key.clone()));
            }
        }
    }
    assert!(phrases.len() > 100, "{}", phrases.len());
    let s = built("words-fr");
    let mut found = Vec::new();
    for (path, doc) in pages(&s) {
        let text = visible(&doc);
        for (p, key) in &phrases {
            if text.contains(p.as_str()) {
                found.push(format!("{path}: \"{p}\" ({key})"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "English on French pages:\n{}",
        found.join("\n")
    );
}

#[test]
fn an_arabic_site_is_right_to_left_with_arabic_plurals() {
    let s = built("words-ar");
    let home = s.page("index.html");
    assert_eq!(html_attr(&home, "lang").as_deref(), Some("ar"));
    assert_eq!(html_attr(&home, "dir").as_deref(), Some("rtl"));
    let range = s.page("incidents/2017-06-19-range/index.html");
    let dateline = raw_text(&range, ".dateline");
    assert!(dateline.contains("19–20 يونيو 2017"), "{dateline}");
    let mali = s.page("countries/ml/index.html");
    assert_eq!(texts(&mali, "h1"), vec!["مالي"]);
    // One incident is "حادثة واحدة" (no digit), as Arabic says it.
    let counts = texts(&mali, ".year-heading__count");
    assert!(counts.iter().any(|c| c == "حادثة واحدة"), "{counts:?}");

    // The six CLDR forms, each chosen by its number.
    let ar = Words::default_theme("ar").unwrap();
    let n = |n: u64| ar.count("count.incidents", n, &[]);
    assert_eq!(n(0), "لا حوادث");
    assert_eq!(n(1), "حادثة واحدة");
    assert_eq!(n(2), "حادثتان");
    assert_eq!(n(3), "3 حوادث");
    assert_eq!(n(11), "11 حادثة");
    assert_eq!(n(100), "100 حادثة");
}

#[test]
fn french_plurals_and_numbers_follow_cldr() {
    let fr = Words::default_theme("fr").unwrap();
    assert_eq!(fr.count("count.incidents", 0, &[]), "0 incident");
    assert_eq!(fr.count("count.incidents", 1, &[]), "1 incident");
    assert_eq!(fr.count("count.incidents", 3, &[]), "3 incidents");
    assert_eq!(fr.integer(12345), "12\u{202f}345");
    let en = Words::default_theme("en").unwrap();
    // English totals as briefwerk always printed them (no grouping).
    assert_eq!(en.count("count.incidents", 12345, &[]), "12345 incidents");
}

#[test]
fn a_site_overrides_one_string_and_a_missing_key_is_named() {
    let s = SiteTest::fixture("words-fr");
    s.write("i18n/fr.yaml", "figure.killed: Personnes tuées\n");
    s.build().unwrap();
    let page = s.page("incidents/2017-06-19-range/index.html");
    let labels = texts(&page, ".casualties__label");
    assert!(
        labels.contains(&"Personnes tuées".to_string()),
        "{labels:?}"
    );

    // A language without a complete file: the build names the keys it lacks.
    let s = SiteTest::fixture("words-fr");
    s.write(
        "site.yaml",
        &std::fs::read_to_string(s.root.join("site.yaml"))
            .unwrap()
            .replace("language: fr", "language: de"),
    );
    s.write("i18n/de.yaml", "figure.killed: Getötet\n");
    let err = format!("{:?}", s.build().unwrap_err());
    assert!(err.contains("missing-strings"), "{err}");
    assert!(err.contains("figure.wounded"), "{err}");
}
