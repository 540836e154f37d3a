//! Site quality gates that need nothing but Rust: no broken internal link in the example site,
//! byte-identical builds, and the link checker seen to fail on a deliberately broken site.
//!
//! `links_gate` also serves `.ci/run`: with `BRIEFWERK_LINKS_DIR` (and optionally
//! `BRIEFWERK_LINKS_BASE_URL`) set it checks that already-built directory instead and prints
//! `broken_links=N`; without them it says so and passes.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use briefwerk::BuildOptions;
use briefwerk::links::{LinkReport, check_links};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the example site into `out` and returns its configured base URL.
fn build_example(out: &Path) -> String {
    let opts = BuildOptions {
        output: Some(out.to_path_buf()),
        ..Default::default()
    };
    if let Err(e) = briefwerk::build(root(), &opts) {
        match e {
            briefwerk::Error::Invalid(d) => {
                panic!("the example site does not build:\n{}", d.render(false))
            }
            other => panic!("the example site does not build: {other}"),
        }
    }
    briefwerk::config::load(root(), &opts)
        .expect("site.yaml loads")
        .base_url
}

fn show(r: &LinkReport) -> String {
    format!("{}{}", r.diagnostics.render(false), r.summary())
}

#[test]
fn example_site_has_no_broken_links() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let base_url = build_example(&out);
    let r = check_links(&out, &base_url).unwrap();
    println!("{}", r.summary());
    assert!(r.pages > 20, "suspiciously few pages: {}", r.pages);
    assert!(r.links > r.pages, "suspiciously few links: {}", r.links);
    assert_eq!(
        r.broken(),
        0,
        "broken links in the example site:\n{}",
        show(&r)
    );

    // The same site under a root base URL and under another origin (a preview deploy).
    for base in ["/", "http://127.0.0.1:8765/preview/"] {
        let out = tmp.path().join(format!("public-{}", base.len()));
        let opts = BuildOptions {
            output: Some(out.clone()),
            base_url: Some(base.into()),
            ..Default::default()
        };
        briefwerk::build(root(), &opts).unwrap();
        let r = check_links(&out, base).unwrap();
        assert_eq!(
            r.broken(),
            0,
            "broken links with base_url {base}:\n{}",
            show(&r)
        );
    }
}

fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(dir).unwrap().to_path_buf();
        let bytes = if entry.file_type().is_file() {
            std::fs::read(entry.path()).unwrap()
        } else {
            Vec::new()
        };
        files.insert(rel, bytes);
    }
    files
}

#[test]
fn two_clean_builds_are_byte_identical() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    build_example(&a.path().join("public"));
    build_example(&b.path().join("public"));
    let ta = tree(&a.path().join("public"));
    let tb = tree(&b.path().join("public"));
    assert!(ta.len() > 20, "suspiciously few files: {}", ta.len());
    let only_a: Vec<_> = ta.keys().filter(|k| !tb.contains_key(*k)).collect();
    let only_b: Vec<_> = tb.keys().filter(|k| !ta.contains_key(*k)).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "file lists differ: {only_a:?} vs {only_b:?}"
    );
    let differ: Vec<_> = ta
        .iter()
        .filter(|(k, v)| tb.get(*k) != Some(*v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        differ.is_empty(),
        "files differ between two builds: {differ:?}"
    );
}

#[test]
fn link_checker_fails_on_the_broken_fixture() {
    let dir = root().join("tests/fixtures/broken-site");
    let r = check_links(&dir, "/").unwrap();
    let text = show(&r);
    println!("{text}");
    // Each deliberate break is reported where it is, with a suggestion where one exists.
    for needle in [
        "index.html:", // positions are reported
        "broken link `incidents/2017-06-18-kangabaa/`",
        "did you mean `/incidents/2017-06-18-kangaba/`?",
        "broken link `groups/jnim/#chronolgy`",
        "did you mean `#chronology`?",
        "broken link `img/mapp.svg`",
        "broken link `/sahel/groups/jnim/`",
        "did you mean `/groups/jnim/`?",
    ] {
        assert!(text.contains(needle), "expected `{needle}` in:\n{text}");
    }
    assert!(r.broken() >= 4, "{text}");
}

/// The link gate of `.ci/run`: checks an already-built directory named by the environment.
#[test]
fn links_gate() {
    let Some(dir) = std::env::var_os("BRIEFWERK_LINKS_DIR") else {
        println!("links_gate: skipped (set BRIEFWERK_LINKS_DIR to check a built site)");
        return;
    };
    let base = std::env::var("BRIEFWERK_LINKS_BASE_URL").unwrap_or_else(|_| "/".into());
    let r = check_links(Path::new(&dir), &base).unwrap();
    print!("{}", r.diagnostics.render(false));
    println!("{}", r.summary());
    println!("broken_links={}", r.broken());
    assert_eq!(
        r.broken(),
        0,
        "{} broken links in {}",
        r.broken(),
        Path::new(&dir).display()
    );
}
