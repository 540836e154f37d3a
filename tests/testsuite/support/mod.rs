//! Shared helpers for the integration tests: copy a fixture site into a temporary
//! directory, build it through the library, and read what a reader would see.

use std::path::{Path, PathBuf};

use briefwerk::BuildOptions;
use scraper::{Html, Selector};

pub mod overlay;

/// A fixture site copied into a temporary directory, so tests can edit it freely.
pub struct SiteTest {
    /// Keeps the directory alive.
    pub dir: tempfile::TempDir,
    /// The site root inside it.
    pub root: PathBuf,
    /// Where builds go.
    pub out: PathBuf,
}

/// Path of a fixture under tests/fixtures/sites/.
pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sites")
        .join(name)
}

/// Recursively copies `from` into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

impl SiteTest {
    /// Copies fixture `name` into a fresh temporary directory.
    pub fn fixture(name: &str) -> SiteTest {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_dir(&fixture_path(name), &root);
        let out = dir.path().join("out");
        SiteTest { dir, root, out }
    }

    /// Writes (or replaces) a file of the site.
    pub fn write(&self, rel: &str, text: &str) -> &SiteTest {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Builds with default options into `self.out`.
    pub fn build(&self) -> Result<briefwerk::Report, briefwerk::Error> {
        self.build_with(BuildOptions::default())
    }

    /// Builds with the given options (output defaults to `self.out`).
    pub fn build_with(
        &self,
        mut opts: BuildOptions,
    ) -> Result<briefwerk::Report, briefwerk::Error> {
        if opts.output.is_none() {
            opts.output = Some(self.out.clone());
        }
        briefwerk::build(&self.root, &opts)
    }

    /// Parses an output page.
    pub fn page(&self, rel: &str) -> Html {
        let text =
            std::fs::read_to_string(self.out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        Html::parse_document(&text)
    }

    /// True when the output has this file.
    pub fn has(&self, rel: &str) -> bool {
        self.out.join(rel).is_file()
    }
}

/// Text of every element matching `css`, whitespace collapsed.
pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// `href` of every link matching `css`, in document order.
pub fn hrefs(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr("href").map(str::to_string))
        .collect()
}

/// `href` of every text link inside `<main>` (not the links on map marks inside SVG).
pub fn text_hrefs(doc: &Html) -> Vec<String> {
    let sel = Selector::parse("main a[href]").unwrap();
    doc.select(&sel)
        .filter(|e| {
            !e.ancestors()
                .any(|a| a.value().as_element().is_some_and(|el| el.name() == "svg"))
        })
        .filter_map(|e| e.value().attr("href").map(str::to_string))
        .collect()
}

/// Ids of the incidents a page links to in its text, in document order, without repeats.
pub fn incident_links(doc: &Html) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for h in text_hrefs(doc) {
        let Some(i) = h.find("incidents/") else {
            continue;
        };
        let rest = &h[i + "incidents/".len()..];
        let id = rest.trim_end_matches('/');
        if id.is_empty() || id.contains('/') || id.contains('.') || id == "page" {
            continue;
        }
        if !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    }
    out
}

/// Resolves a relative `href` found on the page at `page_url` (a directory URL ending in `/`).
pub fn resolve(page_url: &str, href: &str) -> String {
    if href.contains("://") || href.starts_with('#') || href.starts_with("mailto:") {
        return href.to_string();
    }
    let (scheme_host, path) = match page_url
        .find("://")
        .and_then(|i| page_url[i + 3..].find('/').map(|j| i + 3 + j))
    {
        Some(k) => (&page_url[..k], &page_url[k..]),
        None => (page_url, "/"),
    };
    let mut segs: Vec<&str> = if href.starts_with('/') {
        Vec::new()
    } else {
        let base = &path[..path.rfind('/').map_or(0, |i| i + 1)];
        base.split('/').filter(|s| !s.is_empty()).collect()
    };
    let (href_path, frag) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    let trailing = href_path.ends_with('/')
        || href_path.is_empty()
        || href_path.ends_with("/.")
        || href_path == ".";
    for s in href_path.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    let mut url = format!("{scheme_host}/{}", segs.join("/"));
    if trailing && !url.ends_with('/') {
        url.push('/');
    }
    if let Some(f) = frag {
        url.push('#');
        url.push_str(f);
    }
    url
}

/// Writes `text` at `rel` under `root`, creating the folders on the way.
pub fn write_file(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// The briefwerk binary built for these tests, as a command to add arguments to.
pub fn bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_briefwerk"))
}

/// Every file a full build of `root` renders, by output path: what an incremental
/// rebuild must equal byte for byte.
pub fn full(root: &Path, opts: &BuildOptions) -> std::collections::BTreeMap<String, Vec<u8>> {
    let sink = briefwerk::render::Collect::default();
    briefwerk::render_site(root, opts, &sink).expect("full build");
    sink.into_files()
        .into_iter()
        .map(|f| (f.path, f.bytes))
        .collect()
}
