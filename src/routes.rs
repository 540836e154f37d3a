//! The site's URL space: where each page, feed, export and search file lives, relative to
//! the site root.
//!
//! Every URL path is spelled here and only here: the page table (`render::pages`), the
//! rebuild's dirty set, feeds and sitemap, exports, the search index, `@` links, the menu
//! and the reserved page ids all ask this module, so moving a section is one edit. A page
//! path is a directory ending in `/` (published as `<path>index.html`), `""` for the home
//! page, or a file name (`404.html`). Takes ids, slugs and dates already validated; reads
//! nothing. Paths are returned as written (a tag slug may hold letters of any script, and
//! the path is also the file's name); [`absolute`] percent-encodes what is not ASCII, and a
//! relative `href` may carry them as they are (HTML resolves it to the encoded URL).

/// The home page.
pub const HOME: &str = "";
/// The first page of the incidents listing.
pub const INCIDENTS: &str = "incidents/";
/// Below this, the incidents listing's further pages (`incidents/page/2/`, …).
pub const INCIDENTS_PAGES: &str = "incidents/page/";
/// The list of armed groups.
pub const GROUPS: &str = "groups/";
/// The chronology (years).
pub const CHRONOLOGY: &str = "chronology/";
/// The list of countries.
pub const COUNTRIES: &str = "countries/";
/// The list of briefings.
pub const BRIEFINGS: &str = "briefings/";
/// The list of tags.
pub const TAGS: &str = "tags/";
/// The search page (its index files live below it too).
pub const SEARCH: &str = "search/";
/// The page served for a missing path.
pub const NOT_FOUND: &str = "404.html";
/// The file a directory path is published as (`x/` → `x/index.html`).
pub const INDEX_FILE: &str = "index.html";
/// An Atom feed's file name, at the root (site-wide) and in group and country folders.
pub const FEED: &str = "atom.xml";
/// The sitemap (or sitemap index, past one file's limit).
pub const SITEMAP: &str = "sitemap.xml";
/// Crawler rules.
pub const ROBOTS: &str = "robots.txt";
/// The folder of the site-wide data exports.
pub const DATA: &str = "data/";
/// The site-wide export of groups.
pub const DATA_GROUPS: &str = "data/groups.json";
/// The ACLED-format export of every published incident.
pub const DATA_ACLED: &str = "data/acled.csv";
/// The folder of the theme's and site's static files.
pub const STATIC: &str = "static/";
/// The stylesheet of the charts and maps.
pub const PICTURES_CSS: &str = "static/pictures.css";
/// The search index's manifest.
pub const SEARCH_INDEX: &str = "search/index.json";

/// Top-level URL segments that the site itself takes, so no free page may be called so.
pub const RESERVED: &[&str] = &[
    "incidents",
    "groups",
    "chronology",
    "countries",
    "briefings",
    "tags",
    "data",
    "search",
    "static",
    "404",
    "index",
    "atom",
    "sitemap",
    "robots",
    "page",
];

/// The main sections, as the site menu lists them: label and path.
pub const SECTIONS: &[(&str, &str)] = &[
    ("Incidents", INCIDENTS),
    ("Groups", GROUPS),
    ("Chronology", CHRONOLOGY),
    ("Countries", COUNTRIES),
    ("Briefings", BRIEFINGS),
    ("Tags", TAGS),
    ("Search", SEARCH),
];

/// Page `n` (from 1) of the incidents listing.
pub fn incidents_page(n: usize) -> String {
    if n == 1 {
        INCIDENTS.to_string()
    } else {
        format!("{INCIDENTS_PAGES}{n}/")
    }
}

/// An incident's page.
pub fn incident(id: &str) -> String {
    format!("{INCIDENTS}{id}/")
}

/// A group's page (and the folder of its feed and exports).
pub fn group(id: &str) -> String {
    format!("{GROUPS}{id}/")
}

/// A year's page in the chronology.
pub fn year(year: i32) -> String {
    format!("{CHRONOLOGY}{year}/")
}

/// A country's page (and the folder of its feed, exports and digests), from its ISO code in
/// either case (`ML` → `countries/ml/`).
pub fn country(code: &str) -> String {
    format!("{COUNTRIES}{}/", code.to_ascii_lowercase())
}

/// A month's key in digest URLs: `2024-03`.
pub fn month_key(year: i32, month: u8) -> String {
    format!("{year:04}-{month:02}")
}

/// A country's digest of one month (`countries/ml/2024-03/`), from its country's code and
/// its month key; also the prefix of anything below it.
pub fn country_month(code: &str, key: &str) -> String {
    format!("{}{key}/", country(code))
}

/// A briefing's page.
pub fn briefing(id: &str) -> String {
    format!("{BRIEFINGS}{id}/")
}

/// A tag's page, from its slug.
pub fn tag(slug: &str) -> String {
    format!("{TAGS}{slug}/")
}

/// A free page (`content/pages/<id>.md`).
pub fn page(id: &str) -> String {
    format!("{id}/")
}

/// The Atom feed of the page or folder at `dir` (`""` for the site-wide feed).
pub fn feed(dir: &str) -> String {
    format!("{dir}{FEED}")
}

/// Part `n` (from 1) of a sitemap too long for one file, listed by the sitemap index.
pub fn sitemap_part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// A file of an export folder (`data/`, a group's or a country's folder).
pub fn export_file(dir: &str, name: &str) -> String {
    format!("{dir}{name}")
}

/// What an export folder holds: `Some(("groups", id))`, `Some(("countries", cc))`, or
/// `None` for the site-wide `data/`.
pub fn export_folder(dir: &str) -> Option<(&'static str, &str)> {
    let rest = |section: &'static str| {
        dir.strip_prefix(section)
            .map(|r| (section.trim_end_matches('/'), r.trim_end_matches('/')))
    };
    rest(GROUPS).or_else(|| rest(COUNTRIES))
}

/// Shard `n` of the search index's terms.
pub fn search_terms(n: usize) -> String {
    format!("{SEARCH}t/{n}.json")
}

/// Shard `n` of the search index's document metadata.
pub fn search_docs(n: usize) -> String {
    format!("{SEARCH}d/{n}.json")
}

/// The search filter listing the documents with `value` of `facet` (group, country, year).
pub fn search_filter(facet: &str, value: &str) -> String {
    format!("{SEARCH}f/{facet}/{value}.json")
}

/// Where a static file (`static_rel`, relative to a `static/` folder) is published.
pub fn static_file(static_rel: &str) -> String {
    format!("{STATIC}{static_rel}")
}

/// The page's file in the output (`x/` → `x/index.html`, `404.html` as it is).
pub fn page_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}{INDEX_FILE}")
    } else {
        path.to_string()
    }
}

/// An absolute URL: `base_url` (ending in `/`) and a path relative to the site root, the
/// path's non-ASCII letters (a tag slug in Arabic) percent-encoded as UTF-8, as sitemaps,
/// feeds and `<link rel=canonical>` readers require. ASCII paths are written as they are.
pub fn absolute(base_url: &str, path: &str) -> String {
    if path.is_ascii() {
        format!("{base_url}{path}")
    } else {
        let encoded = percent_encoding::utf8_percent_encode(path, percent_encoding::CONTROLS);
        format!("{base_url}{encoded}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_directories_below_their_section() {
        assert_eq!(incidents_page(1), "incidents/");
        assert_eq!(incidents_page(3), "incidents/page/3/");
        assert_eq!(incident("2024-001"), "incidents/2024-001/");
        assert_eq!(country("ML"), "countries/ml/");
        assert_eq!(
            country_month("ML", &month_key(2024, 3)),
            "countries/ml/2024-03/"
        );
        assert_eq!(feed(&group("jnim")), "groups/jnim/atom.xml");
        assert_eq!(page_file(HOME), "index.html");
        assert_eq!(page_file(NOT_FOUND), "404.html");
        assert_eq!(export_folder("groups/jnim/"), Some(("groups", "jnim")));
        assert_eq!(export_folder("countries/ml/"), Some(("countries", "ml")));
        assert_eq!(
            absolute("https://x.org/", &tag("الساحل")),
            "https://x.org/tags/%D8%A7%D9%84%D8%B3%D8%A7%D8%AD%D9%84/"
        );
        assert_eq!(
            absolute("https://x.org/", "tags/sahel/"),
            "https://x.org/tags/sahel/"
        );
        assert_eq!(export_folder(DATA), None);
    }

    #[test]
    fn every_section_and_file_is_reserved() {
        for (_, path) in SECTIONS {
            assert!(RESERVED.contains(&path.trim_end_matches('/')), "{path}");
        }
        for file in [FEED, SITEMAP, ROBOTS, NOT_FOUND, INDEX_FILE] {
            let stem = file.split('.').next().unwrap_or(file);
            assert!(RESERVED.contains(&stem), "{file}");
        }
        for dir in [DATA, STATIC, INCIDENTS_PAGES] {
            let seg = dir.trim_end_matches('/').rsplit('/').next().unwrap_or(dir);
            assert!(RESERVED.contains(&seg), "{dir}");
        }
    }
}
