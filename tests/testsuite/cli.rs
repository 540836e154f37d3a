//! The binary as a user runs it: exit codes, the summary line, diagnostics on stderr.

use crate::support::bin;

use crate::support::SiteTest;

#[test]
fn build_prints_one_summary_line_and_exits_zero() {
    let t = SiteTest::fixture("basic");
    let out = bin()
        .args(["build", "--root"])
        .arg(&t.root)
        .arg("--output")
        .arg(&t.out)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    let last = err.lines().last().unwrap();
    assert!(
        last.starts_with("built ")
            && last.contains(" pages (5 incidents, 3 groups, 1 briefing) in "),
        "{last}"
    );
    assert!(t.out.join("index.html").exists());
}

#[test]
fn bad_content_exits_one_with_located_diagnostics_and_writes_nothing() {
    let t = SiteTest::fixture("basic");
    t.write(
        "content/incidents/2017-06-18-kangaba.md",
        "---\ntitle: Kangaba\ndate: \"2017-06-18\"\nlocation: {country: ML}\ngroups: [jnm]\n---\n",
    );
    let out = bin()
        .args(["build", "--root"])
        .arg(&t.root)
        .arg("--output")
        .arg(&t.out)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error: unknown group `jnm` in `groups`"),
        "{err}"
    );
    assert!(
        err.contains("content/incidents/2017-06-18-kangaba.md:5:10"),
        "{err}"
    );
    assert!(err.contains("did you mean `jnim`?"), "{err}");
    assert!(!t.out.exists());
}

#[test]
fn missing_site_yaml_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_links_finds_a_page_removed_after_the_build() {
    let t = SiteTest::fixture("basic");
    t.build().unwrap();
    let ok = bin()
        .args(["check", "--links", "--root"])
        .arg(&t.root)
        .arg("--output")
        .arg(&t.out)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stderr).contains(": 0 broken"));
    std::fs::remove_file(t.out.join("groups/jnim/index.html")).unwrap();
    let bad = bin()
        .args(["check", "--links", "--root"])
        .arg(&t.root)
        .arg("--output")
        .arg(&t.out)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("groups/jnim/"), "{err}");
}

/// `build --deny-warnings` used to run the whole pipeline twice (a check, then the build);
/// now one run decides before publishing: a build with warnings exits 1, names them and
/// leaves the previous site as it was.
#[test]
fn build_deny_warnings_publishes_nothing_when_there_are_warnings() {
    let t = SiteTest::fixture("basic");
    let build = |extra: &[&str]| {
        bin()
            .args(["build", "--root"])
            .arg(&t.root)
            .arg("--output")
            .arg(&t.out)
            .args(extra)
            .output()
            .unwrap()
    };
    assert!(build(&["--deny-warnings"]).status.success());
    let page = t.out.join("incidents/2017-06-18-kangaba/index.html");
    let before = std::fs::read(&page).unwrap();
    let path = "content/incidents/2017-06-18-kangaba.md";
    let text = std::fs::read_to_string(t.root.join(path)).unwrap();
    let start = text.find("sources:").unwrap();
    let end = text[start..].find("\n---").unwrap() + start;
    let without = format!("{}{}", &text[..start], &text[end + 1..]);
    t.write(path, &without.replace("Gunmen stormed", "Gunmen attacked"));
    let out = build(&["--deny-warnings"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cites no sources"), "{err}");
    assert!(
        err.lines()
            .last()
            .is_some_and(|l| l.ends_with("(denied by --deny-warnings)")),
        "{err}"
    );
    assert_eq!(std::fs::read(&page).unwrap(), before);
    // Without the flag the same site builds, warnings and all.
    let out = build(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(std::fs::read(&page).unwrap(), before);
}
