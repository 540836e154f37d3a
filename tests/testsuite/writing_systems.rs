//! Sites in any script (issue 17): tags in Arabic get a page and working links, and the
//! search page folds what a reader types exactly as the index was folded.

use std::path::Path;
use std::process::Command;

use briefwerk::text::fold;

/// Words a reader may type, in Latin with accents, Arabic with and without harakat, hamza,
/// madda, alef wasla, taa marbuta, alef maqsura and tatweel, and other scripts with case.
const WORDS: &[&str] = &[
    "Ménaka",
    "ÉTÉ",
    "Ségou, Tombouctou",
    "Jama’at Nusrat al-Islam",
    "Straße",
    "İstanbul",
    "ΟΔΥΣΣΕΥΣ",
    "Ꭰ",
    "أَحْمَد",
    "مُحَمَّد",
    "هٰذا",
    "أ إ آ ٱ",
    "مؤتمر",
    "هيئة",
    "الساحلية",
    "موسى",
    "الســـاحل",
    "إمارة الصحراء الكُبرى",
    "جماعة نصرة الإسلام والمسلمين",
    "ﻻ",
    "١٢٣ 123",
    "Привет",
    "Ǆemal",
];

/// Runs search.js's `fold` in Node over `words` (one per line) and returns its output.
fn fold_in_node(words: &[&str]) -> Vec<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js");
    let code = "const { fold } = require(process.argv[1]);\
        const words = JSON.parse(require('fs').readFileSync(0, 'utf8'));\
        process.stdout.write(JSON.stringify(words.map(fold)));";
    let mut child = Command::new("node")
        .arg("-e")
        .arg(code)
        .arg(&script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "this test runs search.js in Node and `node` could not be started ({e}); \
                 install Node.js 20 (apt-get install nodejs) — .ci/run installs it"
            )
        });
    let input = serde_json::to_string(words).unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), input.as_bytes()).unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "node failed on search.js: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn search_js_folds_queries_as_text_fold_folds_the_index() {
    let js = fold_in_node(WORDS);
    assert_eq!(js.len(), WORDS.len());
    for (word, js) in WORDS.iter().zip(&js) {
        assert_eq!(
            *js,
            fold(word),
            "search.js and text::fold disagree on {word:?}"
        );
    }
    // The comparison is not vacuous: the Arabic forms a reader types interchangeably meet.
    assert_eq!(js[11], "ا ا ا ا");
    assert_eq!(js[17], fold("امارة الصحراء الكبري"));
}

/// The file a link on the page at `page` (a path below the site root, ending in `/`) leads
/// to, as a browser and a static server find it: resolved, percent-decoded, `index.html`
/// for a folder.
fn file_of_link(out: &Path, page: &str, href: &str) -> std::path::PathBuf {
    const BASE: &str = "https://example.org/sahel/";
    let url = crate::support::resolve(&format!("{BASE}{page}"), href);
    let path = url
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{href} on {page} leaves the site: {url}"));
    let path = path.split('#').next().unwrap();
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .unwrap()
        .into_owned();
    out.join(briefwerk::routes::page_file(&decoded))
}

#[test]
fn an_arabic_tag_has_a_page_listing_its_incidents_and_links_that_reach_it() {
    let t = crate::support::SiteTest::fixture("basic");
    let set_tags = |rel: &str, from: &str, to: &str| {
        let p = t.root.join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} has no `{from}`");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    };
    set_tags(
        "content/incidents/2017-06-18-kangaba.md",
        "tags: [Bamako, resorts]",
        "tags: [Bamako, resorts, الساحل, Sécurité au Sahel]",
    );
    // Written with harakat: the same tag to a reader, so the same page.
    set_tags(
        "content/incidents/2016-07-19-nampala.md",
        "casualties:",
        "tags: [السَّاحِل]\ncasualties:",
    );
    t.build().unwrap();

    let tag_dir = "tags/الساحل/";
    assert!(t.has(&format!("{tag_dir}index.html")), "no Arabic tag page");
    assert!(
        t.has("tags/securite-au-sahel/index.html"),
        "Latin slug moved"
    );
    let tag_page = t.page(&format!("{tag_dir}index.html"));
    let listed = crate::support::incident_links(&tag_page);
    for id in ["2017-06-18-kangaba", "2016-07-19-nampala"] {
        assert!(
            listed.iter().any(|l| l == id),
            "{id} not on the tag page: {listed:?}"
        );
    }
    // Every incident link on the tag page reaches a page on disk.
    for href in crate::support::text_hrefs(&tag_page) {
        let f = file_of_link(&t.out, tag_dir, &href);
        assert!(f.is_file(), "{href} on the tag page: no {}", f.display());
    }

    // From the incident page, the tag's link leads to the tag page's file.
    let page = "incidents/2017-06-18-kangaba/";
    let doc = t.page(&format!("{page}index.html"));
    let sel = scraper::Selector::parse("a[href]").unwrap();
    let links: Vec<String> = doc
        .select(&sel)
        .filter(|a| a.text().collect::<String>().contains("الساحل"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert!(!links.is_empty(), "no link to the Arabic tag on {page}");
    for href in &links {
        let f = file_of_link(&t.out, page, href);
        assert_eq!(
            f,
            t.out.join(tag_dir).join("index.html"),
            "{href} leads elsewhere"
        );
        assert!(f.is_file());
    }

    // The sitemap lists it as an ASCII URL, percent-encoded.
    let sitemap = std::fs::read_to_string(t.out.join("sitemap.xml")).unwrap();
    let encoded = "https://example.org/sahel/tags/%D8%A7%D9%84%D8%B3%D8%A7%D8%AD%D9%84/";
    assert!(sitemap.contains(encoded), "sitemap lacks {encoded}");
    assert!(
        !sitemap.contains("tags/ال"),
        "raw Arabic URL in the sitemap"
    );
}
