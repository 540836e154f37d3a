//! Incremental rebuilds (`serve` after an edit): after every kind of edit, the pages the
//! session renders again, laid over the previous output, must give exactly the site a full
//! build gives, and an edit to one incident must not render the whole site.

use crate::support::{self, full};

use std::collections::BTreeMap;
use std::path::Path;

use briefwerk::BuildOptions;
use briefwerk::pipeline::Session;
use briefwerk::render::Collect;

/// The repository's example site, with short listing pages so that moves between them show.
fn example(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("site");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    support::copy_dir(&repo.join("content"), &root.join("content"));
    let yaml = std::fs::read_to_string(repo.join("site.yaml"))
        .unwrap()
        .replace("paginate_by: 20", "paginate_by: 4");
    assert!(yaml.contains("paginate_by: 4"));
    std::fs::write(root.join("site.yaml"), yaml).unwrap();
    root
}

fn opts(dir: &Path) -> BuildOptions {
    BuildOptions {
        output: Some(dir.join("out")),
        ..BuildOptions::default()
    }
}

struct Incremental {
    session: Session,
    files: BTreeMap<String, Vec<u8>>,
}

impl Incremental {
    fn start(root: &Path, opts: &BuildOptions) -> Incremental {
        let mut session = Session::new(root, opts.clone());
        let sink = Collect::default();
        let b = session.build(&[], &sink).expect("first build");
        assert!(b.full);
        let files = sink
            .into_files()
            .into_iter()
            .map(|f| (f.path, f.bytes))
            .collect();
        Incremental { session, files }
    }

    /// Rebuilds after `changed`; returns (pages rendered, pages in the site).
    fn rebuild(&mut self, changed: &[&str]) -> Result<(usize, usize), briefwerk::Error> {
        let changed: Vec<String> = changed.iter().map(|s| s.to_string()).collect();
        let sink = Collect::default();
        let b = self.session.build(&changed, &sink)?;
        let mut next: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        // Files left alone keep their previous bytes; everything rendered replaces them.
        for p in &b.skipped {
            if let Some(old) = self.files.get(p) {
                next.insert(p.clone(), old.clone());
            }
        }
        for f in sink.into_files() {
            next.insert(f.path, f.bytes);
        }
        self.files = next;
        Ok((b.rendered, b.pages))
    }
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let p = root.join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    let new = f(text.clone());
    assert_ne!(text, new, "the edit of {rel} changed nothing");
    std::fs::write(p, new).unwrap();
}

fn assert_same(inc: &Incremental, root: &Path, opts: &BuildOptions, step: &str) {
    let want = full(root, opts);
    let stale: Vec<&String> = want
        .iter()
        .filter(|(p, b)| inc.files.get(*p) != Some(*b))
        .map(|(p, _)| p)
        .collect();
    let extra: Vec<&String> = inc
        .files
        .keys()
        .filter(|p| !want.contains_key(*p))
        .collect();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "after {step}: pages differing from a full build: {stale:?}; pages a full build does not have: {extra:?}"
    );
}

const KIDAL: &str = "content/incidents/2016-02-12-kidal-minusma-base.md";
const MISSENI: &str = "content/incidents/2015-06-10-misseni.md";

#[test]
fn every_kind_of_edit_gives_the_same_site_as_a_full_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = example(dir.path());
    let opts = opts(dir.path());
    let mut inc = Incremental::start(&root, &opts);

    // A sentence in a body: that page, and the few overview pages, nothing else.
    edit(&root, KIDAL, |t| {
        t.replace(
            "Shortly before 7 a.m.",
            "According to the mission, shortly before 7 a.m.",
        )
    });
    let (rendered, pages) = inc.rebuild(&[KIDAL]).unwrap();
    assert_same(&inc, &root, &opts, "a body edit");
    assert!(
        rendered * 3 < pages,
        "a body edit rendered {rendered} of {pages} pages"
    );

    // A title: every list showing it, and its neighbours' prev/next links.
    edit(&root, KIDAL, |t| {
        t.replace(
            "Complex attack on the MINUSMA camp",
            "Complex assault on the MINUSMA camp",
        )
    });
    inc.rebuild(&[KIDAL]).unwrap();
    assert_same(&inc, &root, &opts, "a title edit");

    // A date that moves the incident to another year, month and listing page.
    edit(&root, MISSENI, |t| {
        t.replacen("date: \"2015-06-10\"", "date: \"2016-11-03\"", 1)
    });
    inc.rebuild(&[MISSENI]).unwrap();
    assert_same(&inc, &root, &opts, "a date edit");

    // A new tag (tag counts show on every page carrying the tag).
    edit(&root, KIDAL, |t| {
        t.replace("tags: [minusma,", "tags: [military-base, minusma,")
    });
    inc.rebuild(&[KIDAL]).unwrap();
    assert_same(&inc, &root, &opts, "a tag edit");

    // A new incident file, then its removal.
    let new_rel = "content/incidents/2016-05-29-sevare-test-ambush.md";
    std::fs::write(
        root.join(new_rel),
        "---\ntitle: \"Test ambush near Sévaré\"\ndate: \"2016-05-29\"\nlocation:\n  place: \"Sévaré\"\n  admin1: \"Mopti\"\n  country: ML\n  lat: 14.53\n  lon: -4.09\ngroups: [ansar-dine]\nattribution: suspected\nevent_type: attack\ncasualties:\n  killed: {min: 3}\ntags: [minusma, ambush-test]\nsources:\n  - title: \"Test source\"\n    publisher: \"Test\"\n    date: \"2016-05-30\"\n---\n\nA record added while the server runs.\n",
    )
    .unwrap();
    inc.rebuild(&[new_rel]).unwrap();
    assert_same(&inc, &root, &opts, "a new incident");
    std::fs::remove_file(root.join(new_rel)).unwrap();
    inc.rebuild(&[new_rel]).unwrap();
    assert_same(&inc, &root, &opts, "a removed incident");

    // Issue 15: a record repeating another (`same_event_as`: both pages name each other,
    // the repeat leaves every total) that targets a profiled group ("Targeted in" on its
    // page); then the repeated record's title, which the repeat shows; then the link undone.
    // The repeat is dated, placed and attributed apart from Kidal's record (a mis-dated
    // import), so that only the link ties their pages together.
    let repeat = "content/incidents/2017-05-15-kidal-acled.md";
    std::fs::write(
        root.join(repeat),
        "---\ntitle: \"Attack on Kidal camp (imported)\"\ndate: \"2017-05-15\"\nlocation: {place: Ménaka, admin1: Ménaka, country: ML, lat: 15.91, lon: 2.4}\ngroups: [mujao]\nattribution: suspected\nevent_type: attack\ntargets: [{actor: \"MNLA fighters\", kind: rebels, group: mnla}]\ncasualties: {fatalities: 9}\nsame_event_as: 2016-02-12-kidal-minusma-base\nsources:\n  - {title: ACLED row, url: \"https://example.com/acled\", date: \"2016-02-20\"}\n---\nImported.\n",
    )
    .unwrap();
    inc.rebuild(&[repeat]).unwrap();
    assert_same(&inc, &root, &opts, "a record repeating another");
    edit(&root, KIDAL, |t| {
        t.replace("Complex assault", "Complex attack")
    });
    inc.rebuild(&[KIDAL]).unwrap();
    assert_same(&inc, &root, &opts, "the title of a repeated record");
    edit(&root, repeat, |t| {
        t.replace("same_event_as: 2016-02-12-kidal-minusma-base\n", "")
    });
    inc.rebuild(&[repeat]).unwrap();
    assert_same(&inc, &root, &opts, "a repeat counted again");
    std::fs::remove_file(root.join(repeat)).unwrap();
    inc.rebuild(&[repeat]).unwrap();
    assert_same(&inc, &root, &opts, "a removed repeat");

    // An analyst's assessment: of a month with incidents, of a month without (a new digest
    // page between two), of a country without incidents (a new country page); then edited
    // and removed.
    let assessment = "content/digests/ml/2016-03.md";
    let elsewhere = "content/digests/tn/2016-05.md";
    std::fs::create_dir_all(root.join("content/digests/ml")).unwrap();
    std::fs::create_dir_all(root.join("content/digests/tn")).unwrap();
    std::fs::write(
        root.join(assessment),
        "---\ntrend: deteriorated\nauthor: A. Analyst\n---\nWorse.\n",
    )
    .unwrap();
    std::fs::write(root.join(elsewhere), "---\ntrend: unchanged\n---\nQuiet.\n").unwrap();
    inc.rebuild(&[assessment, elsewhere]).unwrap();
    assert_same(&inc, &root, &opts, "new assessments");
    edit(&root, assessment, |t| t.replace("deteriorated", "improved"));
    inc.rebuild(&[assessment]).unwrap();
    assert_same(&inc, &root, &opts, "an assessment's trend");
    std::fs::remove_file(root.join(assessment)).unwrap();
    std::fs::remove_file(root.join(elsewhere)).unwrap();
    inc.rebuild(&[assessment, elsewhere]).unwrap();
    assert_same(&inc, &root, &opts, "removed assessments");

    // A new folder with a record in it (the watcher may name only the folder).
    let folder = "content/incidents/extra";
    std::fs::create_dir_all(root.join(folder)).unwrap();
    std::fs::copy(root.join(KIDAL), root.join(folder).join("kidal-copy.md")).unwrap();
    edit(&root, &format!("{folder}/kidal-copy.md"), |t| {
        t.replace("title: \"", "title: \"Copy: ")
    });
    inc.rebuild(&[folder]).unwrap();
    assert_same(&inc, &root, &opts, "a new folder");
    std::fs::remove_dir_all(root.join(folder)).unwrap();
    inc.rebuild(&[folder]).unwrap();
    assert_same(&inc, &root, &opts, "a removed folder");

    // A briefing's text and a group profile's text.
    let briefing = std::fs::read_dir(root.join("content/briefings"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "md"))
        .unwrap();
    let briefing_rel = format!(
        "content/briefings/{}",
        briefing.file_name().unwrap().to_str().unwrap()
    );
    edit(&root, &briefing_rel, |t| {
        format!("{t}\nOne more paragraph.\n")
    });
    inc.rebuild(&[&briefing_rel]).unwrap();
    assert_same(&inc, &root, &opts, "a briefing edit");
    let group_rel = "content/groups/ansar-dine.md";
    edit(&root, group_rel, |t| format!("{t}\nOne more paragraph.\n"));
    inc.rebuild(&[group_rel]).unwrap();
    assert_same(&inc, &root, &opts, "a group profile edit");

    // A group's name reaches every page listing its incidents: a full render, still right.
    edit(&root, group_rel, |t| t.replacen("name: ", "name: The ", 1));
    let (rendered, pages) = inc.rebuild(&[group_rel]).unwrap();
    assert_eq!(rendered, pages);
    assert_same(&inc, &root, &opts, "a group rename");
}

#[test]
fn a_broken_edit_keeps_the_last_good_state_and_the_fix_builds_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = example(dir.path());
    let opts = opts(dir.path());
    let mut inc = Incremental::start(&root, &opts);
    let good = std::fs::read_to_string(root.join(KIDAL)).unwrap();
    edit(&root, KIDAL, |t| {
        t.replace("groups: [ansar-dine]", "groups: [ansar-dinne]")
    });
    match inc.rebuild(&[KIDAL]) {
        Err(briefwerk::Error::Invalid(d)) => assert!(d.has_errors()),
        other => panic!("expected the unknown group to fail the build, got {other:?}"),
    }
    // Another file saved while the first is still broken: still broken.
    edit(&root, MISSENI, |t| format!("{t}\nA later sentence.\n"));
    match inc.rebuild(&[MISSENI]) {
        Err(briefwerk::Error::Invalid(d)) => assert!(d.has_errors()),
        other => panic!("the first file is still broken, got {other:?}"),
    }
    std::fs::write(root.join(KIDAL), good.replace("wounded: 30", "wounded: 31")).unwrap();
    let (rendered, pages) = inc.rebuild(&[KIDAL]).unwrap();
    assert!(rendered < pages);
    assert_same(&inc, &root, &opts, "a fix after a broken edit");
}
