//! The rebuild property: on a generated small site, after any single-field edit of an
//! incident (title, date, figures, groups, a tag, the country, a link in the body), the pages
//! the `serve` session renders again, laid over its previous output, are byte for byte the
//! site a full build gives. `tests/testsuite/rebuild.rs` walks the example site through hand-picked
//! edits; this test lets proptest pick sites and edit sequences, and shrinks a failure to a
//! small site and the fewest edits.
//!
//! Runs 12 cases of up to 4 edits (a few seconds in debug); `PROPTEST_CASES=200 cargo test
//! --test testsuite rebuild_property::` runs more. A failure is saved under `proptest-regressions/` and
//! replayed first on every later run.

use crate::support::{self, full};

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use briefwerk::BuildOptions;
use briefwerk::pipeline::Session;
use briefwerk::render::Collect;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};

/// Group ids and names of every generated site (all defined; incidents use some of them).
const GROUPS: [(&str, &str); 3] = [
    ("jnim", "Group for the Support of Islam and Muslims"),
    ("ansar-dine", "Ansar Dine"),
    ("isgs", "Islamic State in the Greater Sahara"),
];
const COUNTRIES: [&str; 3] = ["ML", "BF", "NE"];
const TAGS: [&str; 4] = ["ambush", "convoys", "markets", "minusma"];
const TITLES: [&str; 6] = [
    "Ambush near Boni",
    "Attack on a convoy",
    "Market bombing",
    "Raid on a police post",
    "Kidnapping of aid workers",
    "Assault on a camp",
];

/// One incident record, written as `content/incidents/<id>.md`.
#[derive(Clone, Debug)]
struct Incident {
    title: usize,
    /// Year, month, day (days up to 28: every month has them).
    date: (i32, u32, u32),
    country: usize,
    /// Indexes into GROUPS, at least one.
    groups: Vec<usize>,
    /// Indexes into TAGS.
    tags: Vec<usize>,
    killed: Option<u32>,
    wounded: Option<u32>,
    /// Another incident (index) the body links to with `@incident/…`.
    link: Option<usize>,
}

fn id(i: usize) -> String {
    format!("incident-{i:02}")
}

impl Incident {
    fn file(&self, n: usize) -> String {
        let mut s = String::from("---\n");
        // Titles repeat across incidents on purpose (listings sort by date, then id).
        writeln!(s, "title: \"{} ({n})\"", TITLES[self.title]).unwrap();
        let (y, m, d) = self.date;
        writeln!(s, "date: \"{y:04}-{m:02}-{d:02}\"").unwrap();
        writeln!(
            s,
            "location: {{place: Town {n}, country: {}}}",
            COUNTRIES[self.country]
        )
        .unwrap();
        let groups: Vec<&str> = self.groups.iter().map(|g| GROUPS[*g].0).collect();
        writeln!(s, "groups: [{}]", groups.join(", ")).unwrap();
        s.push_str("attribution: suspected\nevent_type: attack\n");
        if !self.tags.is_empty() {
            let tags: Vec<&str> = self.tags.iter().map(|t| TAGS[*t]).collect();
            writeln!(s, "tags: [{}]", tags.join(", ")).unwrap();
        }
        let mut figs = Vec::new();
        if let Some(k) = self.killed {
            figs.push(format!("killed: {k}"));
        }
        if let Some(w) = self.wounded {
            figs.push(format!("wounded: {w}"));
        }
        if !figs.is_empty() {
            writeln!(s, "casualties: {{{}}}", figs.join(", ")).unwrap();
        }
        s.push_str("sources:\n  - {title: Wire report, url: \"https://example.com/wire\"}\n---\n");
        match self.link {
            Some(j) => writeln!(s, "Compare [the other attack](@incident/{}).", id(j)).unwrap(),
            None => s.push_str("No further detail.\n"),
        }
        s
    }
}

/// A single-field edit of incident `.0`.
#[derive(Clone, Debug)]
enum Edit {
    Title(usize, usize),
    Date(usize, (i32, u32, u32)),
    Figures(usize, Option<u32>, Option<u32>),
    Groups(usize, Vec<usize>),
    /// Adds the tag when the incident lacks it, removes it otherwise.
    Tag(usize, usize),
    Country(usize, usize),
    /// A link to another incident (an index, taken modulo the number of incidents), or none.
    Link(usize, Option<usize>),
}

impl Edit {
    fn target(&self) -> usize {
        match self {
            Edit::Title(i, _)
            | Edit::Date(i, _)
            | Edit::Figures(i, _, _)
            | Edit::Groups(i, _)
            | Edit::Tag(i, _)
            | Edit::Country(i, _)
            | Edit::Link(i, _) => *i,
        }
    }

    fn apply(&self, inc: &mut Incident) {
        match self {
            Edit::Title(_, t) => inc.title = *t,
            Edit::Date(_, d) => inc.date = *d,
            Edit::Figures(_, k, w) => (inc.killed, inc.wounded) = (*k, *w),
            Edit::Groups(_, g) => inc.groups = g.clone(),
            Edit::Tag(_, t) => match inc.tags.iter().position(|x| x == t) {
                Some(p) => {
                    inc.tags.remove(p);
                }
                None => inc.tags.push(*t),
            },
            Edit::Country(_, c) => inc.country = *c,
            Edit::Link(_, l) => inc.link = *l,
        }
    }
}

fn date() -> impl Strategy<Value = (i32, u32, u32)> {
    (2015i32..=2018, 1u32..=12, 1u32..=28)
}

fn groups() -> impl Strategy<Value = Vec<usize>> {
    proptest::sample::subsequence(vec![0usize, 1, 2], 1..=2)
}

fn figure() -> impl Strategy<Value = Option<u32>> {
    proptest::option::of(0u32..40)
}

fn incident() -> impl Strategy<Value = Incident> {
    (
        0..TITLES.len(),
        date(),
        0..COUNTRIES.len(),
        groups(),
        proptest::sample::subsequence(vec![0usize, 1, 2, 3], 0..=2),
        figure(),
        figure(),
        proptest::option::of(0usize..16),
    )
        .prop_map(
            |(title, date, country, groups, tags, killed, wounded, link)| Incident {
                title,
                date,
                country,
                groups,
                tags,
                killed,
                wounded,
                link,
            },
        )
}

fn edit() -> impl Strategy<Value = Edit> {
    let i = 0usize..16;
    prop_oneof![
        (i.clone(), 0..TITLES.len()).prop_map(|(i, t)| Edit::Title(i, t)),
        (i.clone(), date()).prop_map(|(i, d)| Edit::Date(i, d)),
        (i.clone(), figure(), figure()).prop_map(|(i, k, w)| Edit::Figures(i, k, w)),
        (i.clone(), groups()).prop_map(|(i, g)| Edit::Groups(i, g)),
        (i.clone(), 0..TAGS.len()).prop_map(|(i, t)| Edit::Tag(i, t)),
        (i.clone(), 0..COUNTRIES.len()).prop_map(|(i, c)| Edit::Country(i, c)),
        (i, proptest::option::of(0usize..16)).prop_map(|(i, l)| Edit::Link(i, l)),
    ]
}

/// A site of 3 to 7 incidents and up to 4 edits to make one after another.
fn scenario() -> impl Strategy<Value = (Vec<Incident>, Vec<Edit>)> {
    (
        proptest::collection::vec(incident(), 3..=7),
        proptest::collection::vec(edit(), 1..=4),
    )
}

fn write_site(root: &Path, incidents: &[Incident]) {
    // Two incidents a listing page, so that a new date moves records between pages.
    support::write_file(
        root,
        "site.yaml",
        "title: Rebuild Property\nbase_url: https://example.org/\npaginate_by: 2\n",
    );
    for (g, name) in GROUPS {
        support::write_file(
            root,
            &format!("content/groups/{g}.md"),
            &format!("---\nname: {name}\n---\nA profile.\n"),
        );
    }
    support::write_file(
        root,
        "content/briefings/overview.md",
        &format!(
            "---\ntitle: Overview\ndate: \"2018-12-01\"\ngroups: [jnim]\nincidents: [{}]\n---\nSee [the first](@incident/{}).\n",
            id(0),
            id(1)
        ),
    );
    for (n, inc) in incidents.iter().enumerate() {
        write_incident(root, incidents, n, inc);
    }
}

fn write_incident(root: &Path, all: &[Incident], n: usize, inc: &Incident) {
    let mut inc = inc.clone();
    // Generated links may point past the end or at the incident itself.
    if let Some(j) = inc.link {
        let j = j % all.len();
        inc.link = Some(if j == n { (n + 1) % all.len() } else { j });
    }
    support::write_file(
        root,
        &format!("content/incidents/{}.md", id(n)),
        &inc.file(n),
    );
}

/// Rebuilds that rendered fewer pages than the site has, over every case: the property is
/// only worth something if the partial path runs.
static PARTIAL: AtomicUsize = AtomicUsize::new(0);

fn run(incidents: &[Incident], edits: &[Edit]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_site(&root, incidents);
    let opts = BuildOptions {
        output: Some(dir.path().join("out")),
        ..BuildOptions::default()
    };
    let mut session = Session::new(&root, opts.clone());
    let sink = Collect::default();
    session.build(&[], &sink).expect("first build");
    let mut files: BTreeMap<String, Vec<u8>> = sink
        .into_files()
        .into_iter()
        .map(|f| (f.path, f.bytes))
        .collect();
    let mut incidents = incidents.to_vec();
    let n = incidents.len();
    for (step, e) in edits.iter().enumerate() {
        let i = e.target() % n;
        e.apply(&mut incidents[i]);
        write_incident(&root, &incidents, i, &incidents[i]);
        let changed = vec![format!("content/incidents/{}.md", id(i))];
        let sink = Collect::default();
        let b = session
            .build(&changed, &sink)
            .map_err(|err| TestCaseError::fail(format!("rebuild after {e:?}: {err}")))?;
        if b.rendered < b.pages {
            PARTIAL.fetch_add(1, Ordering::Relaxed);
        }
        let mut next: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        // Files the session skipped keep their previous bytes; what it rendered replaces them.
        for p in &b.skipped {
            if let Some(old) = files.get(p) {
                next.insert(p.clone(), old.clone());
            }
        }
        for f in sink.into_files() {
            next.insert(f.path, f.bytes);
        }
        files = next;
        let want = full(&root, &opts);
        let stale: Vec<&String> = want
            .iter()
            .filter(|(p, b)| files.get(*p) != Some(*b))
            .map(|(p, _)| p)
            .collect();
        let extra: Vec<&String> = files.keys().filter(|p| !want.contains_key(*p)).collect();
        prop_assert!(
            stale.is_empty() && extra.is_empty(),
            "after edit {} ({e:?}, {} of {} pages rendered): pages differing from a full build: {stale:?}; pages a full build does not have: {extra:?}",
            step + 1,
            b.rendered,
            b.pages
        );
    }
    Ok(())
}

#[test]
fn a_partial_render_after_any_single_field_edit_equals_a_full_build() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    let config = Config {
        cases,
        // Every case builds a site several times; shrinking a failure needs no more.
        max_shrink_iters: 64,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/rebuild_property.txt"
        )))),
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    if let Err(e) = runner.run(&scenario(), |(incidents, edits)| run(&incidents, &edits)) {
        panic!("{e}");
    }
    assert!(
        PARTIAL.load(Ordering::Relaxed) > 0,
        "no rebuild rendered fewer pages than a full build: the partial path was never tested"
    );
}
