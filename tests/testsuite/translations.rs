//! Translation files (issue 17): `<id>.<lang>.md` beside a record. What `check` says about a
//! site's translations (the coverage line, stale translations), and `new … --lang`. The
//! mistakes a translation file can hold are `check` cases (`cases/translation-*`).

use std::path::Path;

use crate::support::{SiteTest, bin};

/// The basic fixture published in English and French.
fn bilingual() -> SiteTest {
    let t = SiteTest::fixture("basic");
    let yaml = std::fs::read_to_string(t.root.join("site.yaml")).unwrap();
    t.write(
        "site.yaml",
        &yaml.replace("language: en\n", "languages: [en, fr]\n"),
    );
    t
}

/// The ids of the records a built site has pages for below `section` (`incidents`), as a
/// reader finds them: one folder per record, the listing's further pages left out.
fn published(out: &Path, section: &str) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(out.join(section))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("index.html").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|id| id != "page")
        .collect();
    ids.sort();
    ids
}

/// `briefwerk new <kind> <id> --lang fr` in the site; the path it printed.
fn translate(root: &Path, kind: &str, id: &str) -> std::process::Output {
    bin()
        .args(["new", kind, id, "--lang", "fr", "--root"])
        .arg(root)
        .output()
        .unwrap()
}

fn part(n: usize, of: usize, one: &str, many: &str) -> String {
    format!("{n} of {of} {}", if of == 1 { one } else { many })
}

#[test]
fn check_prints_how_much_is_translated_per_language() {
    let t = bilingual();
    t.build().unwrap();
    let incidents = published(&t.out, "incidents");
    let groups = published(&t.out, "groups");
    let briefings = published(&t.out, "briefings");
    let pages = std::fs::read_dir(t.root.join("content/pages"))
        .unwrap()
        .count();
    assert!(
        incidents.len() >= 4 && groups.len() >= 2,
        "{incidents:?} {groups:?}"
    );
    // Every other incident (a record of the multi-record .yaml file among them), one group,
    // no briefing, every page; and a draft's translation, which counts for nothing.
    let chosen: Vec<&String> = incidents.iter().step_by(2).collect();
    for id in &chosen {
        let out = translate(&t.root, "incident", id);
        assert!(
            out.status.success(),
            "{id}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(translate(&t.root, "group", &groups[0]).status.success());
    assert!(translate(&t.root, "page", "methodology").status.success());
    t.write(
        "content/incidents/2017-draft.fr.md",
        "---\ntitle: Brouillon\n---\n",
    );
    let out = bin()
        .args(["check", "--root"])
        .arg(&t.root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let want = format!(
        "fr: {}, {}, {}, {} translated",
        part(chosen.len(), incidents.len(), "incident", "incidents"),
        part(1, groups.len(), "group", "groups"),
        part(0, briefings.len(), "briefing", "briefings"),
        part(1, pages, "page", "pages"),
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines.len(),
        2,
        "one coverage line, then the summary: {stderr}"
    );
    assert_eq!(lines[0], want);
    assert!(lines[1].starts_with("checked "), "{stderr}");
    // Missing translations are no warning: --deny-warnings passes.
    let out = bin()
        .args(["check", "--deny-warnings", "--root"])
        .arg(&t.root)
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn single_language_sites_print_no_coverage() {
    let t = SiteTest::fixture("basic");
    let out = bin()
        .args(["check", "--root"])
        .arg(&t.root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("checked "));
}

#[test]
fn new_lang_writes_the_translation_beside_the_record_and_leaves_the_record_alone() {
    let t = bilingual();
    // A record of the multi-record file: its translation goes into the same folder.
    let list = std::fs::read(t.root.join("content/incidents/2015-list.yaml")).unwrap();
    let text = String::from_utf8(list.clone()).unwrap();
    let id = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("- id:"))
        .unwrap()
        .trim()
        .trim_matches('"')
        .to_string();
    let out = translate(&t.root, "incident", &id);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rel = format!("content/incidents/{id}.fr.md");
    assert!(String::from_utf8_lossy(&out.stdout).trim().ends_with(&rel));
    assert_eq!(
        std::fs::read(t.root.join("content/incidents/2015-list.yaml")).unwrap(),
        list
    );
    let record = std::fs::read(t.root.join("content/groups/jnim.md")).unwrap();
    assert!(translate(&t.root, "group", "jnim").status.success());
    assert_eq!(
        std::fs::read(t.root.join("content/groups/jnim.md")).unwrap(),
        record
    );
    let written = std::fs::read_to_string(t.root.join("content/groups/jnim.fr.md")).unwrap();
    let name = String::from_utf8_lossy(&record)
        .lines()
        .find_map(|l| l.strip_prefix("name: ").map(str::to_string))
        .unwrap();
    assert!(written.contains(name.trim_matches('"')), "{written}");
    // The site is valid with both, and counts them.
    let report = briefwerk::check(&t.root, &Default::default()).unwrap();
    assert!(
        report.warnings.is_empty(),
        "{}",
        report.warnings.render(false)
    );
    let fr = &report.coverage[0];
    assert_eq!((fr.incidents.0, fr.groups.0), (1, 1));
    // Never over an existing translation; an unknown id gets "did you mean".
    let before = std::fs::read(t.root.join(&rel)).unwrap();
    let again = translate(&t.root, "incident", &id);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("refusing to overwrite"));
    assert_eq!(std::fs::read(t.root.join(&rel)).unwrap(), before);
    let typo = translate(&t.root, "group", "jnm");
    assert_eq!(typo.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&typo.stderr).contains("did you mean `jnim`?"));
}

#[test]
fn a_translation_older_than_its_record_is_stale() {
    let t = bilingual();
    let yaml = std::fs::read_to_string(t.root.join("site.yaml")).unwrap();
    t.write("site.yaml", &format!("{yaml}git_info: true\n"));
    t.write(
        "content/groups/jnim.fr.md",
        "---\nname: Groupe de soutien\n---\n",
    );
    let git = |args: &[&str], date: &str| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(&t.root)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"], "2020-03-04T12:00:00Z");
    git(&["add", "."], "2020-03-04T12:00:00Z");
    git(&["commit", "-q", "-m", "init"], "2020-03-04T12:00:00Z");
    let stale = |root: &Path| {
        let r = briefwerk::check(root, &Default::default()).unwrap();
        r.warnings
            .0
            .into_iter()
            .filter(|d| d.code == "stale-translation")
            .collect::<Vec<_>>()
    };
    assert!(stale(&t.root).is_empty(), "committed together: not stale");
    let record = std::fs::read_to_string(t.root.join("content/groups/jnim.md")).unwrap();
    t.write("content/groups/jnim.md", &format!("{record}\nMore.\n"));
    git(&["commit", "-qam", "edit"], "2021-05-06T12:00:00Z");
    let found = stale(&t.root);
    assert_eq!(found.len(), 1);
    let d = &found[0];
    assert_eq!(
        d.location.as_ref().unwrap().path,
        "content/groups/jnim.fr.md"
    );
    assert_eq!(
        d.notes[0].location.as_ref().unwrap().path,
        "content/groups/jnim.md"
    );
    assert!(d.message.contains("2020-03-04") && d.message.contains("2021-05-06"));
}

#[test]
fn two_translations_of_one_record_into_one_language_are_an_error() {
    let t = bilingual();
    // `FR` is `fr`: two files, one language. Made at run time, where names differ in case.
    t.write("content/groups/jnim.fr.md", "---\nname: Groupe\n---\n");
    t.write("content/groups/jnim.FR.md", "---\nname: Groupe bis\n---\n");
    let names = std::fs::read_dir(t.root.join("content/groups"))
        .unwrap()
        .count();
    if names < 5 {
        return; // a file system that ignores case: one file
    }
    let d = match briefwerk::check(&t.root, &Default::default()) {
        Err(briefwerk::Error::Invalid(d)) => d,
        other => panic!("expected errors, got {other:?}"),
    };
    let dup: Vec<_> =
        d.0.iter()
            .filter(|d| d.code == "duplicate-translation")
            .collect();
    assert_eq!(dup.len(), 1, "{}", d.render(false));
    assert!(
        dup[0]
            .message
            .contains("group `jnim` has two `fr` translations")
    );
    let mut places = vec![
        dup[0].location.as_ref().unwrap().path.clone(),
        dup[0].notes[0].location.as_ref().unwrap().path.clone(),
    ];
    places.sort();
    assert_eq!(
        places,
        ["content/groups/jnim.FR.md", "content/groups/jnim.fr.md"]
    );
}

#[test]
fn serve_reads_an_edited_translation_as_a_translation() {
    use briefwerk::pipeline::Session;
    use briefwerk::render::Collect;

    let t = bilingual();
    let mut session = Session::new(&t.root, Default::default());
    let first = session.build(&[], &Collect::default()).unwrap();
    assert_eq!(first.coverage[0].groups.0, 0);
    let rel = "content/groups/jnim.fr.md";
    // A new translation with a fact: the edit alone is read, as a translation.
    t.write(rel, "---\nname: Groupe\nfounded: \"2017\"\n---\n");
    match session.build(&[rel.to_string()], &Collect::default()) {
        Err(briefwerk::Error::Invalid(d)) => {
            let codes: Vec<&str> = d.0.iter().map(|d| d.code).collect();
            assert_eq!(codes, ["fact-in-translation"], "{}", d.render(false));
        }
        other => panic!("expected the fact to be refused, got {other:?}"),
    }
    t.write(rel, "---\nname: Groupe de soutien\n---\n");
    let fixed = session
        .build(&[rel.to_string()], &Collect::default())
        .unwrap();
    assert_eq!(fixed.coverage[0].groups.0, 1);
    assert!(!fixed.full, "a translation edit is not a site-wide change");
}
