//! `briefwerk new` and `briefwerk init` as an editor runs them (issue 5): ids made from date and
//! title, files never overwritten, arguments checked with suggestions, and a new site that
//! builds from a copy of the binary alone.

use crate::support::bin;

use std::path::Path;
use std::process::{Command, Output};

use crate::support::SiteTest;

fn run(cmd: &mut Command) -> Output {
    // A binary copied a moment ago can be "busy" (ETXTBSY) while another test thread's
    // fork still holds the copy's write descriptor until that child execs: try again.
    for _ in 0..50 {
        match cmd.output() {
            Err(e) if e.raw_os_error() == Some(26) => {
                std::thread::sleep(std::time::Duration::from_millis(100))
            }
            other => return other.expect("run briefwerk"),
        }
    }
    cmd.output().expect("run briefwerk")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn new(root: &Path, args: &[&str]) -> Output {
    run(bin().arg("new").args(args).arg("--root").arg(root))
}

fn check(root: &Path) -> Output {
    run(bin().args(["check", "--root"]).arg(root))
}

#[test]
fn new_incident_gets_its_id_from_date_and_title_and_builds_at_once() {
    let t = SiteTest::fixture("basic");
    let o = new(
        &t.root,
        &[
            "incident",
            "Attaque à Ségou",
            "--date",
            "2019-05-03",
            "--group",
            "jnim",
            "--country",
            "ML",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let printed = stdout(&o);
    assert!(
        printed
            .trim_end()
            .ends_with("content/incidents/2019-05-03-attaque-a-segou.md"),
        "{printed}"
    );
    let path = t
        .root
        .join("content/incidents/2019-05-03-attaque-a-segou.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("title: \"Attaque à Ségou\""), "{text}");
    assert!(text.contains("date: \"2019-05-03\""), "{text}");
    assert!(text.contains("groups: [jnim]"), "{text}");
    assert!(text.contains("country: ML"), "{text}");
    // Every field of the format is in the skeleton, the optional ones as hints.
    for field in [
        "end_date",
        "place",
        "admin1",
        "admin2",
        "precision",
        "claim_date",
        "claim_medium",
        "claimed_killed",
        "claimed_wounded",
        "claimed_captured",
        "claims",
        "kind",
        "attackers_killed",
        "fatalities",
        "distinct_from",
        "same_event_as",
        "lat",
        "lon",
        "attribution",
        "event_type",
        "targets",
        "casualties",
        "killed",
        "wounded",
        "captured",
        "tags",
        "summary",
        "sources",
        "publisher",
        "url",
        "draft",
    ] {
        assert!(
            text.contains(&format!("{field}:")),
            "no `{field}` in\n{text}"
        );
    }

    // Unfilled optional fields are not errors: the site checks and builds as it is.
    let o = check(&t.root);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("error:"), "{}", stderr(&o));
    let r = t.build().unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(r.incidents, 6);
    assert!(t.has("incidents/2019-05-03-attaque-a-segou/index.html"));
}

#[test]
fn new_refuses_to_overwrite() {
    let t = SiteTest::fixture("basic");
    let args = [
        "incident",
        "Attaque à Ségou",
        "--date",
        "2019-05-03",
        "--country",
        "ML",
    ];
    assert!(new(&t.root, &args).status.success());
    let path = t
        .root
        .join("content/incidents/2019-05-03-attaque-a-segou.md");
    std::fs::write(&path, "the editor's work").unwrap();
    let o = new(&t.root, &args);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("refusing to overwrite"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("content/incidents/2019-05-03-attaque-a-segou.md"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "the editor's work");

    // An id already used by a record in another file is refused too.
    let o = new(
        &t.root,
        &[
            "incident",
            "x",
            "--id",
            "2015-11-20-radisson",
            "--date",
            "2015",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("already used in `content/incidents/2015-list.yaml`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn unknown_group_gets_a_suggestion_and_nothing_is_written() {
    let t = SiteTest::fixture("basic");
    let o = new(
        &t.root,
        &[
            "incident",
            "Attack",
            "--date",
            "2019-05-03",
            "--group",
            "jnm",
            "--country",
            "ML",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("unknown group `jnm`"), "{err}");
    assert!(err.contains("did you mean `jnim`?"), "{err}");
    assert!(
        !t.root
            .join("content/incidents/2019-05-03-attack.md")
            .exists()
    );
}

#[test]
fn new_checks_dates_and_countries() {
    let t = SiteTest::fixture("basic");
    let cases: &[(&[&str], &str)] = &[
        (&["incident", "A"], "an incident needs `--date`"),
        (
            &["incident", "A", "--date", "May 2019"],
            "invalid date `May 2019`",
        ),
        (
            &["incident", "A", "--date", "2019-02-30"],
            "date `2019-02-30` does not exist",
        ),
        (
            &[
                "incident",
                "A",
                "--date",
                "2019",
                "--country",
                "ML",
                "--country",
                "BF",
            ],
            "an incident has one country, not 2",
        ),
        (
            &["incident", "Attack", "Boni", "--date", "2019"],
            "quote a title of several words",
        ),
        (&["digest", "ML"], "a digest needs its month"),
        (&["digest", "Mali", "2017-06"], "the code of Mali is `ML`"),
        (
            &["digest", "ML", "2017-06-18"],
            "`2017-06-18` is not a month",
        ),
        (
            &["digest", "ML", "2017-06", "--group", "jnim"],
            "`--group` does not apply to digests",
        ),
        (
            &["incident", "A", "--date", "2019", "--country", "Mali"],
            "the code of Mali is `ML`",
        ),
        (
            &["incident", "A", "--date", "2019", "--country", "XX"],
            "not an ISO 3166-1 alpha-2",
        ),
        (
            &["page", "Incidents"],
            "a page cannot be called `incidents`",
        ),
        (
            &["page", "About", "--date", "2019"],
            "`--date` does not apply to pages",
        ),
        (&["incident", "!!!", "--date", "2019"], "empty id"),
    ];
    for (args, expected) in cases {
        let o = new(&t.root, args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{args:?}: {}", stderr(&o));
    }
    // All three date forms are accepted.
    for (date, id) in [
        ("2019", "2019-a"),
        ("2019-05", "2019-05-a"),
        ("2019-05-03", "2019-05-03-a"),
    ] {
        let o = new(
            &t.root,
            &["incident", "A", "--date", date, "--country", "ML"],
        );
        assert!(o.status.success(), "{date}: {}", stderr(&o));
        assert!(t.root.join(format!("content/incidents/{id}.md")).is_file());
    }
}

#[test]
fn a_group_takes_several_countries_and_keeps_apostrophes_out_of_its_id() {
    let t = SiteTest::fixture("basic");
    let o = new(
        &t.root,
        &[
            "group",
            "Jama'at Nusrat al-Islam wal-Muslimin",
            "--country",
            "dz",
            "--country",
            "ML",
            "--country",
            "ml",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let path = t
        .root
        .join("content/groups/jamaat-nusrat-al-islam-wal-muslimin.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}: {}", stdout(&o)));
    assert!(text.contains("area: [DZ, ML]\n"), "{text}");
    // Every group field is in the skeleton.
    for field in [
        "short_name",
        "aliases",
        "dissolved",
        "status",
        "merged_from",
        "merged_into",
        "leaders",
        "ideology",
        "acled_actor",
        "inter",
        "relationships",
        "type",
        "note",
        "draft",
    ] {
        assert!(
            text.contains(&format!("{field}:")),
            "no `{field}` in\n{text}"
        );
    }
    let o = check(&t.root);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("error:"), "{}", stderr(&o));
}

#[test]
fn new_digest_writes_an_assessment_that_checks_and_is_loaded() {
    let t = SiteTest::fixture("basic");
    let o = new(&t.root, &["digest", "ml", "2017-06"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o)
            .trim_end()
            .ends_with("content/digests/ml/2017-06.md"),
        "{}",
        stdout(&o)
    );
    let text = std::fs::read_to_string(t.root.join("content/digests/ml/2017-06.md")).unwrap();
    assert!(text.contains("trend: unchanged"), "{text}");
    assert!(text.contains("# author:"), "{text}");
    assert!(text.contains("\"Mali June 2017\""), "{text}");
    // Either case of the folder is the same assessment: never a second one.
    let again = new(&t.root, &["digest", "ML", "2017-06"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    let o = check(&t.root);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("error:"), "{}", stderr(&o));
    // The assessment is part of the site as written.
    let config = briefwerk::config::load(&t.root, &Default::default()).unwrap();
    let (sources, _) = briefwerk::load::read_sources(&t.root).unwrap();
    let (raw, _) = briefwerk::load::parse(&sources);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let (site, d) = briefwerk::validate::validate(raw, &sources, &config, today);
    let site = site.unwrap_or_else(|| panic!("{}", d.render(false)));
    let a = site.assessment("ML", (2017, 6)).expect("assessment loaded");
    assert_eq!(a.trend, briefwerk::content::Trend::Unchanged);
}

#[test]
fn every_kind_of_record_checks_as_written() {
    let t = SiteTest::fixture("basic");
    let made = [
        new(
            &t.root,
            &[
                "group",
                "Ansar al-Islam",
                "--country",
                "BF",
                "--group",
                "al-qaeda",
            ],
        ),
        new(
            &t.root,
            &[
                "group",
                "Islamic State Sahel Province",
                "--id",
                "issp",
                "--date",
                "2015-05",
            ],
        ),
        new(
            &t.root,
            &[
                "briefing",
                "Weekly: Mali",
                "--date",
                "2019-05-10",
                "--group",
                "jnim",
            ],
        ),
        new(&t.root, &["briefing", "Today's note"]),
        new(&t.root, &["page", "Über uns"]),
    ];
    for o in &made {
        assert!(o.status.success(), "{}", stderr(o));
    }
    for f in [
        "content/groups/ansar-al-islam.md",
        "content/groups/issp.md",
        "content/briefings/2019-05-10-weekly-mali.md",
        "content/pages/uber-uns.md",
    ] {
        assert!(t.root.join(f).is_file(), "{f}");
    }
    let o = check(&t.root);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("0 errors") || !stderr(&o).contains("error:"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_site_archetype_overrides_the_theme_and_the_default() {
    let t = SiteTest::fixture("basic");
    t.write(
        "themes/default/archetypes/page.md",
        "---\ntitle: {{ title }}\ndescription: from the theme\n---\n",
    );
    let o = new(&t.root, &["page", "One"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let one = std::fs::read_to_string(t.root.join("content/pages/one.md")).unwrap();
    assert!(one.contains("description: from the theme"), "{one}");

    t.write(
        "archetypes/page.md",
        "---\ntitle: {{ title }}\ndescription: from the site\n---\n",
    );
    assert!(new(&t.root, &["page", "Two"]).status.success());
    let two = std::fs::read_to_string(t.root.join("content/pages/two.md")).unwrap();
    assert!(two.contains("description: from the site"), "{two}");

    t.write("archetypes/page.md", "---\ntitle: {{ titl }}\n---\n");
    let o = new(&t.root, &["page", "Three"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("did you mean `{{ title }}`?"),
        "{}",
        stderr(&o)
    );
    assert!(!t.root.join("content/pages/three.md").exists());
}

#[test]
fn init_then_build_works_from_a_copy_of_the_binary_alone() {
    let dir = tempfile::tempdir().unwrap();
    // A copy of the binary, run from a directory with no checkout of the repository around.
    let exe = dir.path().join("bin").join("briefwerk");
    std::fs::create_dir_all(exe.parent().unwrap()).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_briefwerk"), &exe).unwrap();
    let alone = |cwd: &Path, args: &[&str]| {
        run(Command::new(&exe)
            .args(args)
            .current_dir(cwd)
            .env_remove("CARGO_MANIFEST_DIR"))
    };

    let o = alone(dir.path(), &["init", "newsite"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let site = dir.path().join("newsite");
    for f in [
        "site.yaml",
        ".gitignore",
        "content/_index.md",
        "themes/default/templates/base.html",
        "themes/default/archetypes/incident.md",
    ] {
        assert!(site.join(f).is_file(), "{f}");
    }
    assert!(
        std::fs::read_to_string(site.join(".gitignore"))
            .unwrap()
            .lines()
            .any(|l| l == "/public")
    );
    for dir in ["groups", "incidents", "briefings", "pages"] {
        let n = std::fs::read_dir(site.join("content").join(dir))
            .unwrap()
            .count();
        assert_eq!(n, 1, "one example in content/{dir}");
    }

    let o = alone(&site, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("(1 incident, 1 group, 1 briefing)"),
        "{}",
        stderr(&o)
    );
    assert!(
        !stderr(&o).contains("warning"),
        "the example site is clean: {}",
        stderr(&o)
    );
    assert!(site.join("public/index.html").is_file());
    assert!(
        site.join("public/incidents/2024-03-14-example-attack-on-a-checkpoint/index.html")
            .is_file()
    );

    // `new` works in the new site from its own archetypes.
    let o = alone(
        &site,
        &[
            "new",
            "incident",
            "Second example",
            "--date",
            "2024-05-01",
            "--group",
            "example-armed-group",
            "--country",
            "ML",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim(),
        "content/incidents/2024-05-01-second-example.md"
    );
    assert!(alone(&site, &["build", "--quiet"]).status.success());

    // A second init into the same, now non-empty, directory is refused; --force adds only
    // what is missing.
    std::fs::write(site.join("site.yaml"), "title: Mine\n").unwrap();
    std::fs::remove_file(site.join("content/pages/about.md")).unwrap();
    let o = alone(dir.path(), &["init", "newsite"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not empty"), "{}", stderr(&o));
    let o = alone(dir.path(), &["init", "newsite", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(site.join("site.yaml")).unwrap(),
        "title: Mine\n"
    );
    assert!(site.join("content/pages/about.md").is_file());
}

#[test]
fn quiet_and_verbose_are_accepted_by_every_command() {
    let t = SiteTest::fixture("basic");
    let o = run(bin()
        .args(["build", "--quiet", "--root"])
        .arg(&t.root)
        .arg("--output")
        .arg(&t.out));
    assert!(o.status.success());
    assert!(!stderr(&o).contains("built "), "{}", stderr(&o));
    let o = run(bin()
        .args(["build", "--verbose", "--root"])
        .arg(&t.root)
        .arg("--output")
        .arg(&t.out));
    assert!(o.status.success());
    assert!(stderr(&o).contains("unchanged"), "{}", stderr(&o));
    let o = run(bin().args(["check", "-v", "--root"]).arg(&t.root));
    assert!(stderr(&o).contains("checked "), "{}", stderr(&o));
    let o = run(bin()
        .args(["-q", "new", "page", "Quiet page", "--root"])
        .arg(&t.root));
    assert!(
        o.status.success() && stderr(&o).is_empty(),
        "{}",
        stderr(&o)
    );
    let dir = tempfile::tempdir().unwrap();
    let o = run(bin().args(["init", "--quiet"]).arg(dir.path().join("s")));
    assert!(
        o.status.success() && stderr(&o).is_empty(),
        "{}",
        stderr(&o)
    );
    // No spinner or control characters when standard error is not a terminal.
    let o = run(bin()
        .args(["build", "--root"])
        .arg(&t.root)
        .arg("--output")
        .arg(&t.out));
    assert!(
        !stderr(&o).contains('\u{1b}') && !stderr(&o).contains('\r'),
        "{:?}",
        stderr(&o)
    );
}
