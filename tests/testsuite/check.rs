//! `briefwerk check` against a corpus of deliberately broken sites (issue 3).
//!
//! The fixtures are one small valid site, `tests/fixtures/check/base/`, and one folder per
//! case under `tests/fixtures/check/cases/` holding only the file(s) the case breaks or adds
//! (and, if it needs one, a `removed.txt` of base files to delete): see
//! `support::overlay`. Each test lays its case over the base in a temporary folder, runs
//! `check`, and compares two snapshots kept in the case folder (snapbox): `expected.txt`,
//! exactly what `check` prints (the plain rendering plus the summary line), and
//! `diagnostics.txt`, one line per diagnostic with its place, severity, code and message.
//! Each case below also states the code, file, line, column and message of the diagnostic
//! it is about, so a change of wording or position shows up as a named failure.
//! `SNAPSHOTS=overwrite cargo test --test testsuite check::` rewrites the snapshots after a
//! deliberate change; review the diff before committing.
//!
//! Also here: the binary's exit codes, JSON lines, colour and summary; that `check` and a
//! failed `build` leave content and output untouched; a property test that feeds mutated
//! content to the parser and validator; and the inputs that fuzzing found.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use briefwerk::diagnostic::Diagnostic;
use briefwerk::{BuildOptions, Diagnostics, Error, Severity};

use crate::support::overlay::{self, assert_snapshot};

/// A case laid over the base site in a temporary directory, with what some cases must
/// create at run time (a symlink out of the site, a 50 MB file) instead of committing it.
struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

fn site(case: &str) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let overlay = overlay::case_dir(case);
    assert!(overlay.is_dir(), "no case folder {}", overlay.display());
    overlay::materialise(&overlay::base(), &overlay, &root);
    match case {
        "symlink-outside" => {
            let outside = dir.path().join("outside.md");
            std::fs::write(
                &outside,
                "---\ntitle: Secret\ndate: \"2017\"\nlocation: {country: ML}\n---\n",
            )
            .unwrap();
            // Relative, as a contributor would commit it, so the message is the same on
            // every machine.
            #[cfg(unix)]
            std::os::unix::fs::symlink(
                "../../../outside.md",
                root.join("content/incidents/2017-06-19-linked.md"),
            )
            .unwrap();
        }
        "alias-limit" => {
            // The issue's input: a 2 MB string aliased 20,000 times (40 GB expanded), which
            // used to abort the process; generated here rather than committed.
            let mut text = format!(
                "incidents:\n  - id: 2017-01-01-bomb\n    title: &t \"{}\"\n    date: \"2017-01-01\"\n    location: {{country: ML}}\n    tags:\n",
                "x".repeat(2 * 1024 * 1024)
            );
            for _ in 0..20_000 {
                text.push_str("      - *t\n");
            }
            std::fs::write(root.join("content/incidents/2017-bomb.yaml"), text).unwrap();
        }
        "large-file" => {
            // Sparse: 50 MB long, no disk used; the size alone must stop it.
            let f =
                std::fs::File::create(root.join("content/incidents/2017-06-19-huge.md")).unwrap();
            f.set_len(50 * 1024 * 1024).unwrap();
        }
        _ => {}
    }
    Site { _dir: dir, root }
}

/// The diagnostics `check` reports for a site (errors and warnings alike).
fn diagnostics(root: &Path) -> Diagnostics {
    match briefwerk::check(root, &BuildOptions::default()) {
        Ok(report) => report.warnings,
        Err(Error::Invalid(d)) => d,
        Err(e) => panic!("check could not run: {e}"),
    }
}

/// Wording that belongs to other parts of the program and changes with them (the variables
/// a template may use, the keys of site.yaml) is cut, so these snapshots pin only what the
/// diagnostics themselves decide.
fn normalise(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let line = match (
            line.find("Available variables: "),
            line.find(", expected one of `"),
        ) {
            (Some(i), _) => format!("{}Available variables: …", &line[..i]),
            (None, Some(i)) if line.starts_with("error: invalid site.yaml") => {
                format!("{}, expected one of …", &line[..i])
            }
            _ => line.to_string(),
        };
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// What `check` prints for the site at `root`: every diagnostic, then the summary line.
fn rendered(d: &Diagnostics, root: &Path) -> String {
    normalise(&format!(
        "{}{}\n",
        d.render(false),
        d.check_summary(briefwerk::checked_files(root))
    ))
}

/// Every diagnostic on one line: `path:line:col: severity[code]: message`, each note
/// below it, indented, with its own place. Wording from elsewhere is cut as in `normalise`.
fn located(d: &Diagnostics) -> String {
    fn place(loc: Option<&briefwerk::diagnostic::Location>) -> String {
        loc.map_or_else(
            || "(no place)".to_string(),
            |l| format!("{}:{}:{}", l.path, l.start.line, l.start.col),
        )
    }
    let mut out = String::new();
    for x in &d.0 {
        let severity = match x.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = x.message.replace('\n', "\n    ");
        if let Some(i) = message.find("Available variables: ") {
            message = format!("{}Available variables: …", &message[..i]);
        } else if let (Some(i), "config") = (message.find(", expected one of `"), x.code) {
            message = format!("{}, expected one of …", &message[..i]);
        }
        out.push_str(&format!(
            "{}: {severity}[{}]: {message}\n",
            place(x.location.as_deref()),
            x.code
        ));
        for n in &x.notes {
            out.push_str(&format!(
                "  {}: note: {}\n",
                place(n.location.as_ref()),
                n.message
            ));
        }
    }
    out.lines().map(|l| format!("{}\n", l.trim_end())).collect()
}

/// Compares what `check` found in `case` with the case's two snapshots.
#[track_caller]
fn snapshot(case: &str, d: &Diagnostics, root: &Path) {
    assert_snapshot(case, "expected.txt", &rendered(d, root));
    assert_snapshot(case, "diagnostics.txt", &located(d));
}

/// What one case is about: its main diagnostic.
struct Want {
    severity: Severity,
    code: &'static str,
    path: &'static str,
    line: usize,
    col: usize,
    message: &'static str,
}

fn check_case(case: &str, want: Want) -> Diagnostics {
    let s = site(case);
    let d = diagnostics(&s.root);
    snapshot(case, &d, &s.root);
    let found: Vec<&Diagnostic> =
        d.0.iter()
            .filter(|x| x.code == want.code && x.message.contains(want.message))
            .collect();
    assert!(
        !found.is_empty(),
        "`{case}`: no `{}` diagnostic containing {:?}; got:\n{}",
        want.code,
        want.message,
        d.render(false)
    );
    let x = found[0];
    assert_eq!(x.severity, want.severity, "`{case}`: severity");
    let loc = x
        .location
        .as_ref()
        .unwrap_or_else(|| panic!("`{case}`: no location"));
    assert_eq!(
        (loc.path.as_str(), loc.start.line, loc.start.col),
        (want.path, want.line, want.col),
        "`{case}`: position of `{}`",
        x.message
    );
    // Errors are the point of an error case: no warning may hide among them unasked.
    if want.severity == Severity::Error {
        assert!(d.has_errors());
    } else {
        assert!(
            !d.has_errors(),
            "`{case}`: unexpected errors\n{}",
            d.render(false)
        );
    }
    d
}

const INC: &str = "content/incidents/2017-06-18-kangaba.md";
const LIST: &str = "content/incidents/2015-list.yaml";
const BRIEF: &str = "content/briefings/merger.md";
const GROUP: &str = "content/groups/jnim.md";

macro_rules! cases {
    ($($name:ident: $case:literal => $sev:ident $code:literal at $path:expr, $line:literal : $col:literal, $msg:literal;)*) => {
        $(
            #[test]
            fn $name() {
                check_case($case, Want {
                    severity: Severity::$sev,
                    code: $code,
                    path: $path,
                    line: $line,
                    col: $col,
                    message: $msg,
                });
            }
        )*

        /// Every case folder has a test here, and every test a case folder.
        #[test]
        fn every_fixture_has_a_case() {
            let mut named: Vec<&str> = vec![$($case),*];
            named.extend(["clean", "template-missing"]);
            named.sort_unstable();
            assert_eq!(overlay::cases(), named);
        }
    };
}

cases! {
    // The file as a whole.
    yaml_syntax: "yaml-syntax" => Error "yaml-syntax" at INC, 2:15, "invalid YAML: mapping values are not allowed";
    yaml_syntax_unclosed_flow: "yaml-syntax-unclosed-flow" => Error "yaml-syntax" at INC, 9:9, "invalid YAML: this `[` is never closed";
    yaml_syntax_unclosed_brace: "yaml-syntax-unclosed-brace" => Error "yaml-syntax" at INC, 14:12, "invalid YAML: this `{` is never closed";
    yaml_syntax_indentation: "yaml-syntax-indentation" => Error "yaml-syntax" at INC, 3:3, "invalid YAML: `date` is indented more than `title` above it";
    yaml_syntax_tab: "yaml-syntax-tab" => Error "yaml-syntax" at INC, 6:1, "tab character";
    unclosed_front_matter: "unclosed-front-matter" => Error "unclosed-front-matter" at INC, 1:1, "front matter is never closed";
    no_front_matter: "no-front-matter" => Error "no-front-matter" at INC, 1:1, "must start with a `---` line";
    front_matter_not_mapping: "front-matter-not-mapping" => Error "wrong-type" at "content/incidents/2017-06-19-note.md", 2:1, "front matter must be `key: value` fields";
    not_utf8: "not-utf8" => Error "not-utf8" at INC, 5:16, "is not valid UTF-8";
    empty_file: "empty-file" => Error "empty-file" at "content/incidents/2017-06-19-empty.md", 1:1, "is empty";
    deep_nesting: "deep-nesting" => Error "too-deep" at INC, 9:73, "nested more than 64 levels";
    deep_nesting_block: "deep-nesting-block" => Error "too-deep" at INC, 265:256, "nested more than 64 levels";
    symlink_outside: "symlink-outside" => Error "symlink-outside" at "content/incidents/2017-06-19-linked.md", 1:1, "is a symbolic link to `../../../outside.md`, outside the site";
    large_file: "large-file" => Error "file-too-large" at "content/incidents/2017-06-19-huge.md", 1:1, "content files may be at most";
    alias_limit: "alias-limit" => Error "alias-limit" at "content/incidents/2017-bomb.yaml", 13:9, "YAML aliases expand this file beyond 16 MB";
    control_character: "control-character" => Error "control-character" at INC, 2:30, "control character U+0007 is not allowed in YAML";
    // Fields.
    unknown_field: "unknown-field" => Error "unknown-field" at INC, 12:1, "unknown field `casualites`";
    unknown_field_nested: "unknown-field-nested" => Error "unknown-field" at INC, 8:3, "unknown field `long` in `location`";
    unknown_field_flow: "unknown-field-flow" => Error "unknown-field" at INC, 14:21, "unknown field `maxi` in `casualties.wounded`";
    unknown_field_quoted_key: "unknown-field-quoted-key" => Error "unknown-field" at INC, 10:1, "unknown field `atribution`";
    unknown_field_multibyte: "unknown-field-multibyte" => Error "unknown-field" at INC, 4:36, "unknown field `régión` in `location`";
    wrong_type: "wrong-type" => Error "wrong-type" at INC, 7:8, "wrong type for `location.lat`: expected a number";
    wrong_type_sequence: "wrong-type-sequence" => Error "wrong-type" at INC, 9:9, "wrong type for `groups`: expected a list";
    wrong_type_flow: "wrong-type-flow" => Error "invalid-count" at INC, 14:18, "invalid casualty figure `eight` in `casualties.wounded.min`";
    wrong_type_multibyte: "wrong-type-multibyte" => Error "wrong-type" at INC, 4:56, "found string \"nord\"";
    duplicate_field: "duplicate-field" => Error "duplicate-field" at INC, 12:1, "`attribution` is given twice";
    missing_field: "missing-field" => Error "missing-field" at INC, 1:1, "missing required field `title`";
    missing_field_serde: "missing-field-serde" => Error "missing-field" at INC, 14:12, "missing required field `min` in `casualties.wounded`";
    empty_title: "empty-title" => Error "empty-field" at INC, 2:8, "`title` is empty";
    empty_title_null: "empty-title-null" => Error "empty-field" at INC, 2:1, "`title` is empty";
    // Dates.
    impossible_date: "impossible-date" => Error "invalid-date" at INC, 3:7, "date `2017-02-30` does not exist";
    free_text_date: "free-text-date" => Error "invalid-date" at INC, 3:7, "invalid date `June 2017`";
    date_ambiguous: "date-ambiguous" => Error "invalid-date" at INC, 3:7, "invalid date `05/06/2017`";
    end_date_before_date: "end-date-before-date" => Error "date-order" at INC, 4:11, "`end_date` 2017-06-17 is before `date` 2017-06-18";
    leader_dates_reversed: "leader-dates-reversed" => Error "date-order" at GROUP, 11:9, "leader's `to` is before `from`";
    // Places.
    invalid_country: "invalid-country" => Error "invalid-country" at INC, 6:12, "`MLI` is not an ISO 3166-1 alpha-2 country code";
    invalid_country_multibyte: "invalid-country-multibyte" => Error "invalid-country" at INC, 4:45, "`MLI` is not";
    lowercase_country: "lowercase-country" => Error "invalid-country" at INC, 6:12, "`ml` is not an ISO 3166-1 alpha-2 country code";
    lat_out_of_range: "lat-out-of-range" => Error "invalid-coordinates" at INC, 7:8, "latitude 125.8 is out of range";
    lat_without_lon: "lat-without-lon" => Error "invalid-coordinates" at INC, 7:3, "`lat` given without `lon`";
    // Casualties.
    negative_casualties: "negative-casualties" => Error "invalid-count" at INC, 13:11, "negative casualty figure -5 in `casualties.killed`";
    count_in_words: "count-in-words" => Error "invalid-count" at INC, 13:11, "invalid casualty figure `at least 6` in `casualties.killed`";
    casualties_min_gt_max: "casualties-min-gt-max" => Error "invalid-range" at INC, 14:12, "`wounded` has `min` 10 greater than `max` 8";
    // Vocabularies.
    invalid_event_type: "invalid-event-type" => Error "invalid-value" at INC, 11:13, "`atack` is not an allowed `event_type`";
    invalid_attribution: "invalid-attribution" => Error "invalid-value" at INC, 10:14, "`alleged` is not an allowed `attribution`";
    invalid_status: "invalid-status" => Error "invalid-value" at GROUP, 5:9, "`dormant` is not an allowed `status`";
    // References.
    unknown_group: "unknown-group" => Error "unknown-group" at INC, 9:10, "unknown group `jnm` in `groups`";
    unknown_group_quoted_key: "unknown-group-quoted-key" => Error "unknown-group" at INC, 9:12, "unknown group `jnm` in `groups`";
    unknown_incident: "unknown-incident" => Error "unknown-incident" at BRIEF, 5:13, "unknown incident `2017-06-18-kangab`";
    unknown_incident_draft: "unknown-incident-draft" => Error "unknown-incident" at BRIEF, 5:33, "unknown incident `2017-07-01-rumour`";
    unknown_link: "unknown-link" => Error "unknown-link" at BRIEF, 7:1, "link to unknown incident `2017-06-18-kangab`";
    unknown_link_nearest: "unknown-link-nearest" => Error "unknown-link" at BRIEF, 7:1, "link to unknown incident `kangaba-resort-attack`";
    duplicate_id: "duplicate-id" => Error "duplicate-id" at INC, 1:1, "incident id `2017-06-18-kangaba` is defined twice";
    invalid_id: "invalid-id" => Error "invalid-id" at INC, 2:5, "invalid incident id `Kangaba_2017`";
    path_escaping_id: "path-escaping-id" => Error "invalid-id" at INC, 2:5, "invalid incident id `../x`";
    // Group relationships.
    self_merge: "self-merge" => Error "self-merge" at GROUP, 6:14, "group `jnim` is merged into itself";
    merge_cycle: "merge-cycle" => Error "merge-cycle" at "content/groups/ansar-dine.md", 5:14, "`merged_into` forms a cycle: ansar-dine → jnim → ansar-dine";
    merge_conflict: "merge-conflict" => Error "merge-conflict" at GROUP, 6:15, "`jnim` lists `ansar-dine` in `merged_from`, but `ansar-dine` merged into `al-qaeda`";
    // Links.
    non_http_source_url: "non-http-source-url" => Error "invalid-url" at INC, 17:10, "source URL `ftp://example.com/a` is not http(s)";
    javascript_link: "javascript-link" => Error "unsafe-url" at INC, 20:28, "link to a `javascript` URL";
    data_link: "data-link" => Error "unsafe-url" at BRIEF, 8:1, "link to a `data` URL";
    // Templates and site.yaml.
    template_syntax: "template-syntax" => Error "template" at "templates/incident.html", 3:23, "template error:";
    template_unknown_variable: "template-unknown-variable" => Error "template" at "templates/incident.html", 3:7, "Variable `no_such_variable` is not defined";
    site_yaml_unknown_key: "site-yaml-unknown-key" => Error "config" at "site.yaml", 3:1, "unknown field `paginte_by`";
    // Encodings: positions are those the editor shows.
    crlf: "crlf" => Error "unknown-group" at INC, 9:10, "unknown group `jnm`";
    crlf_wrong_type: "crlf-wrong-type" => Error "wrong-type" at INC, 7:8, "wrong type for `location.lat`";
    bom: "bom" => Error "unknown-group" at INC, 9:10, "unknown group `jnm`";
    bom_list: "bom-list" => Error "unknown-group" at LIST, 16:14, "unknown group `jnm`";
    // Multi-record list files.
    list_unknown_field: "list-unknown-field" => Error "unknown-field" at LIST, 17:5, "unknown field `event_typ` in `incidents[1]`";
    list_wrong_type: "list-wrong-type" => Error "wrong-type" at LIST, 15:16, "wrong type for `incidents[1].location.country`: expected a string, found a list";
    list_missing_id: "list-missing-id" => Error "missing-field" at LIST, 10:5, "missing required field `id`";
    list_no_incidents_key: "list-no-incidents-key" => Error "unknown-field" at LIST, 1:1, "unknown field `incident`";
    list_duplicate_id: "list-duplicate-id" => Error "duplicate-id" at LIST, 10:9, "incident id `2015-11-20-radisson` is defined twice";
    list_unknown_group: "list-unknown-group" => Error "unknown-group" at LIST, 16:14, "unknown group `jmin` in `groups`";
    list_body_unknown_link: "list-body-unknown-link" => Error "unknown-link" at LIST, 23:18, "link to unknown group `jnm`";
    // Every problem in one run (issue 15 §5): a bad date, country `XX`, `tags` as a string
    // and a negative figure in one incident are four errors, not one per run.
    multi_defect_incident: "multi-defect-incident" => Error "wrong-type" at INC, 12:7, "wrong type for `tags`: expected a list";
    multi_defect_date_and_link: "multi-defect-date-and-link" => Error "unknown-link" at BRIEF, 7:61, "link to unknown group `jnm`";
    multi_defect_relationship_and_typo: "multi-defect-relationship-and-typo" => Error "relationship-conflict" at "content/groups/isgs.md", 8:11, "`isgs` and `jnim` give different dates";
    // Warnings.
    warn_no_sources: "warn-no-sources" => Warning "no-sources" at INC, 1:1, "incident `2017-06-18-kangaba` cites no sources";
    warn_unused_group: "warn-unused-group" => Warning "unused-group" at "content/groups/al-qaeda.md", 1:1, "no incident names group `al-qaeda`";
    warn_future_date: "warn-future-date" => Warning "future-date" at INC, 3:7, "date 2099-06-18 is in the future";
    warn_uncited_briefing: "warn-uncited-briefing" => Warning "uncited-briefing" at BRIEF, 1:1, "briefing `merger` cites no incident";
    warn_coordinates_outside_country: "warn-coordinates-outside-country" => Warning "coordinates-outside-country" at INC, 7:8, "coordinates 48.85, 2.35 are far outside Mali (`ML`)";
    warn_coordinates_swapped: "warn-coordinates-swapped" => Warning "coordinates-outside-country" at INC, 7:8, "coordinates -7.93, 12.58 are far outside Mali";
    // Data rigour (issue 10).
    warn_after_cutoff: "warn-after-cutoff" => Warning "after-cutoff" at INC, 3:7, "incident dated 2017-06-18 is after the site's data cutoff 2017-06-17";
    warn_before_founded: "warn-before-founded" => Warning "before-founded" at INC, 9:10, "incident dated 2017-02 is attributed to `jnim`, before the group was founded (2017-03-02)";
    warn_after_dissolved: "warn-after-dissolved" => Warning "after-dissolved" at INC, 9:10, "incident dated 2017-06-18 is attributed to `jnim`, after the group was dissolved (2017-05)";
    warn_sources_predate: "warn-sources-predate" => Warning "sources-predate" at INC, 3:7, "incident dated 2017-06-18 is reported only by sources from before it";
    warn_overlapping_leaders: "warn-overlapping-leaders" => Warning "overlapping-leaders" at GROUP, 11:5, "Iyad Ag Ghaly and Amadou Kouffa both hold the role `Emir` at the same time";
    warn_false_precision: "warn-false-precision" => Warning "false-precision" at INC, 7:8, "`lat` 12.58312 has 5 decimals, but the location is only `near`";
    unknown_group_claim: "unknown-group-claim" => Error "unknown-group" at INC, 10:9, "unknown group `jnm` in `groups`";
    unknown_field_group_claim: "unknown-field-group-claim" => Error "unknown-field" at INC, 11:5, "unknown field `claimed_by` in `groups[0]`";
    invalid_group_attribution: "invalid-group-attribution" => Error "invalid-value" at INC, 10:29, "`claimd` is not an allowed `attribution`";
    invalid_claim_date: "invalid-claim-date" => Error "invalid-date" at INC, 10:28, "invalid date `19 June 2017`";
    invalid_precision: "invalid-precision" => Error "invalid-value" at INC, 9:14, "`nearby` is not an allowed `precision`";
    attackers_killed_unknown_in_range: "attackers-killed-unknown-in-range" => Error "invalid-count" at INC, 14:21, "`unknown` cannot be a bound of a range in `casualties.attackers_killed`";
    relationship_unknown_group: "relationship-unknown-group" => Error "unknown-group" at GROUP, 8:12, "unknown group `isgs` in `relationships`";
    self_relationship: "self-relationship" => Error "self-relationship" at GROUP, 8:13, "group `jnim` has a relationship with itself";
    invalid_relationship_type: "invalid-relationship-type" => Error "invalid-value" at GROUP, 9:11, "`splinter-of` is not an allowed `type`";
    relationship_conflict: "relationship-conflict" => Error "relationship-conflict" at "content/groups/isgs.md", 8:11, "`isgs` and `jnim` give different dates for the same `rival` relationship";
    invalid_inter: "invalid-inter" => Error "invalid-value" at GROUP, 8:8, "`inter` 9 is not an ACLED actor type";
    site_yaml_invalid_cutoff: "site-yaml-invalid-cutoff" => Error "config" at "site.yaml", 3:14, "invalid `data_cutoff` `30 June 2017`";
    // Translation files (issue 17).
    translation_facts: "translation-facts" => Error "fact-in-translation" at "content/incidents/2017-06-18-kangaba.fr.md", 3:1, "`date` is a fact and is written once, in `content/incidents/2017-06-18-kangaba.md`";
    translation_orphan: "translation-orphan" => Error "orphan-translation" at "content/incidents/2017-06-18-kangab.fr.md", 1:1, "this translates incident `2017-06-18-kangab`, which does not exist";
    translation_language: "translation-language" => Error "translation-language" at "content/groups/jnim.de.md", 1:1, "`de` is not one of the site's languages (en, fr)";
    translation_misplaced: "translation-misplaced" => Error "misplaced-translation" at "content/incidents/2017/2017-06-18-kangaba.fr.md", 1:1, "a translation lives beside its record, and incident `2017-06-18-kangaba` is in `content/incidents/2017-06-18-kangaba.md`";
    translation_mismatch: "translation-mismatch" => Error "translation-mismatch" at "content/groups/jnim.fr.md", 4:11, "leader 1 of the record is `Iyad Ag Ghaly`, not `Iyad ag Ghali`";
    translation_link: "translation-link" => Error "unknown-link" at "content/incidents/2017-06-18-kangaba.fr.md", 5:1, "link to unknown group `jnm`";
    translation_one_language: "translation-one-language" => Error "translation-language" at "content/incidents/2017-06-18-kangaba.fr.md", 1:1, "but the site has one language (en)";
}

#[test]
fn template_missing() {
    let s = site("template-missing");
    let d = diagnostics(&s.root);
    snapshot("template-missing", &d, &s.root);
    let t = one(&d, "template");
    assert!(t.message.contains("layout.html"), "{}", t.message);
}

/// The template error for an `extends` of a missing template names no file yet: that is
/// decided in `render::template_diag`, outside this suite's reach (issue 3 follow-up).
#[test]
fn template_missing_points_at_the_extends_line() {
    let t = one(&diagnostics(&site("template-missing").root), "template");
    let loc = t.location.expect("a location");
    assert_eq!(
        (loc.path.as_str(), loc.start.line),
        ("templates/page.html", 1)
    );
}

fn one(d: &Diagnostics, code: &str) -> Diagnostic {
    let v: Vec<&Diagnostic> = d.0.iter().filter(|x| x.code == code).collect();
    assert_eq!(v.len(), 1, "expected one `{code}`:\n{}", d.render(false));
    v[0].clone()
}

fn note_at(d: &Diagnostic) -> (String, usize, usize) {
    let l = d.notes[0].location.as_ref().expect("note has a place");
    (l.path.clone(), l.start.line, l.start.col)
}

#[test]
fn the_clean_base_has_nothing_to_report() {
    let s = site("clean");
    let d = diagnostics(&s.root);
    assert!(d.is_empty(), "{}", d.render(false));
    snapshot("clean", &d, &s.root);
}

/// A case folder shows its defect and nothing else: every file in it differs from the base
/// file at the same path (or adds one), every file it removes is a base file, and it has
/// both snapshots.
#[test]
fn overlays_hold_only_what_their_case_changes() {
    let base = overlay::base();
    for case in overlay::cases() {
        let dir = overlay::case_dir(&case);
        for rel in overlay::overlay_files(&dir) {
            if let Ok(original) = std::fs::read(base.join(&rel)) {
                assert_ne!(
                    std::fs::read(dir.join(&rel)).unwrap(),
                    original,
                    "`{case}`: {rel} is the base file unchanged; delete it from the case"
                );
            }
        }
        for rel in overlay::removed_files(&dir) {
            assert!(
                base.join(&rel).is_file(),
                "`{case}`: removes {rel}, not a base file"
            );
        }
        for snapshot in ["expected.txt", "diagnostics.txt"] {
            assert!(dir.join(snapshot).is_file(), "`{case}`: no {snapshot}");
        }
    }
}

#[test]
fn an_overlay_replaces_adds_and_removes_base_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (base, case, to) = (
        tmp.path().join("base"),
        tmp.path().join("case"),
        tmp.path().join("site"),
    );
    crate::support::write_file(&base, "site.yaml", "title: Base\n");
    crate::support::write_file(&base, "content/groups/a.md", "a");
    crate::support::write_file(&base, "content/groups/b.md", "b");
    crate::support::write_file(&case, "site.yaml", "title: Case\n");
    crate::support::write_file(&case, "content/pages/new.md", "new");
    crate::support::write_file(&case, "removed.txt", "content/groups/b.md\n");
    crate::support::write_file(&case, "expected.txt", "not a site file");
    overlay::materialise(&base, &case, &to);
    let files: Vec<String> = walkdir::WalkDir::new(&to)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&to)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        files,
        ["content/groups/a.md", "content/pages/new.md", "site.yaml"]
    );
    assert_eq!(
        std::fs::read_to_string(to.join("site.yaml")).unwrap(),
        "title: Case\n"
    );
}

#[test]
fn a_broken_file_is_reported_once_not_again_by_every_reference_to_it() {
    // The briefing cites the incident whose YAML is broken, and the incident is the only
    // one naming its group: neither follows up with "unknown incident" or "unused group".
    for case in [
        "yaml-syntax",
        "unknown-field",
        "wrong-type",
        "not-utf8",
        "unclosed-front-matter",
        "impossible-date",
    ] {
        let d = diagnostics(&site(case).root);
        assert_eq!(d.0.len(), 1, "`{case}`:\n{}", d.render(false));
    }
    // A typo in a group id is one mistake: the "did you mean" group is not also "unused".
    let d = diagnostics(&site("unknown-group").root);
    assert_eq!(d.0.len(), 1, "{}", d.render(false));
}

#[test]
fn every_field_error_of_a_record_is_reported_with_the_rest_still_checked() {
    let d = diagnostics(&site("multi-defect-incident").root);
    let codes: Vec<(&str, usize)> =
        d.0.iter()
            .map(|x| (x.code, x.location.as_ref().unwrap().start.line))
            .collect();
    assert_eq!(
        codes,
        [
            ("invalid-date", 3),
            ("invalid-country", 6),
            ("wrong-type", 12),
            ("invalid-count", 15)
        ]
    );
}

/// Each multi-defect fixture holds several independent mistakes; `check` must report every
/// one of them in a single run (each used to appear only after the one before was fixed).
#[test]
fn independent_mistakes_in_different_records_are_all_reported_in_one_run() {
    for (case, want) in [
        (
            "multi-defect-date-and-link",
            &[("unknown-link", BRIEF), ("invalid-date", INC)][..],
        ),
        (
            "multi-defect-relationship-and-typo",
            &[
                ("relationship-conflict", "content/groups/isgs.md"),
                ("unknown-field", GROUP),
            ][..],
        ),
    ] {
        let d = diagnostics(&site(case).root);
        let got: Vec<(&str, &str)> =
            d.0.iter()
                .map(|x| (x.code, x.location.as_ref().unwrap().path.as_str()))
                .collect();
        assert_eq!(got, want, "`{case}`:\n{}", d.render(false));
    }
}

#[test]
fn duplicate_ids_show_both_places() {
    let d = one(&diagnostics(&site("duplicate-id").root), "duplicate-id");
    assert_eq!(
        note_at(&d),
        (
            "content/incidents/2017-06-18-kangaba-again.md".to_string(),
            1,
            1
        )
    );
    let d = one(
        &diagnostics(&site("list-duplicate-id").root),
        "duplicate-id",
    );
    assert_eq!(note_at(&d), (LIST.to_string(), 2, 5));
    assert_eq!(d.notes[0].message, "first defined here");
}

#[test]
fn merge_problems_point_at_every_group_involved() {
    let d = one(&diagnostics(&site("merge-conflict").root), "merge-conflict");
    assert_eq!(
        note_at(&d),
        ("content/groups/ansar-dine.md".to_string(), 5, 14)
    );
    let d = one(&diagnostics(&site("merge-cycle").root), "merge-cycle");
    assert_eq!(note_at(&d), (GROUP.to_string(), 6, 14));
}

#[test]
fn rigour_warnings_point_at_the_other_place_too() {
    let at = |case: &str, code: &str| note_at(&one(&diagnostics(&site(case).root), code));
    // A two-sided relationship that disagrees is reported at both groups' entries.
    assert_eq!(
        at("relationship-conflict", "relationship-conflict"),
        (GROUP.to_string(), 10, 11)
    );
    assert_eq!(
        at("warn-before-founded", "before-founded"),
        (GROUP.to_string(), 4, 10)
    );
    assert_eq!(
        at("warn-after-dissolved", "after-dissolved"),
        (GROUP.to_string(), 6, 12)
    );
    assert_eq!(
        at("warn-sources-predate", "sources-predate"),
        (INC.to_string(), 19, 11)
    );
    assert_eq!(
        at("warn-overlapping-leaders", "overlapping-leaders"),
        (GROUP.to_string(), 8, 5)
    );
    assert_eq!(
        at("warn-false-precision", "false-precision"),
        (INC.to_string(), 9, 14)
    );
}

/// Edits one file of a fixture copy: replaces `from` (which must occur) by `to`.
fn edit(s: &Site, file: &str, from: &str, to: &str) {
    let path = s.root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn codes(root: &Path) -> Vec<&'static str> {
    diagnostics(root).0.iter().map(|d| d.code).collect()
}

#[test]
fn group_lifetimes_compare_at_the_coarser_precision() {
    // Founded 2017-03-02; an incident known only to March 2017 may have followed it.
    let s = site("clean");
    edit(&s, INC, "date: \"2017-06-18\"", "date: \"2017-03\"");
    assert_eq!(codes(&s.root), Vec::<&str>::new());
    edit(&s, INC, "date: \"2017-03\"", "date: \"2017-03-01\"");
    assert_eq!(codes(&s.root), ["before-founded"]);
    // Dissolved in 2017: anything dated in 2017 may have come before the end.
    let s = site("clean");
    edit(
        &s,
        GROUP,
        "status: active",
        "status: defunct\ndissolved: \"2017\"",
    );
    assert_eq!(codes(&s.root), Vec::<&str>::new());
}

#[test]
fn a_merged_group_named_with_its_successor_is_not_after_its_end() {
    let s = site("clean");
    std::fs::write(
        s.root.join("content/groups/katiba-macina.md"),
        "---\nname: Katiba Macina\nfounded: \"2015\"\ndissolved: \"2017-03-02\"\nstatus: merged\nmerged_into: jnim\n---\nA JNIM component.\n",
    )
    .unwrap();
    edit(&s, INC, "groups: [jnim]", "groups: [jnim, katiba-macina]");
    assert_eq!(codes(&s.root), Vec::<&str>::new());
    edit(
        &s,
        INC,
        "groups: [jnim, katiba-macina]",
        "groups: [katiba-macina]",
    );
    // jnim is no longer named by an incident, but it is Katiba Macina's successor: a
    // lineage profile, not an unused one.
    assert_eq!(codes(&s.root), ["after-dissolved"]);
}

#[test]
fn cutoff_and_sources_compare_at_the_coarser_precision() {
    let s = site("clean");
    std::fs::write(
        s.root.join("site.yaml"),
        "title: Check Fixture\nbase_url: https://example.org/\ndata_cutoff: 2017-06\n",
    )
    .unwrap();
    edit(
        &s,
        "content/incidents/2017-06-18-kangaba.md",
        "    publisher: Example News\n",
        "    publisher: Example News\n    date: \"2017-06\"\n",
    );
    assert_eq!(codes(&s.root), Vec::<&str>::new());
}

#[test]
fn two_sided_relationships_that_agree_are_fine_and_contradictions_are_not() {
    let s = site("relationship-conflict");
    edit(
        &s,
        "content/groups/isgs.md",
        "from: \"2020-01\"",
        "from: \"2019-07-20\"",
    );
    assert_eq!(codes(&s.root), Vec::<&str>::new());
    // Each the other's splinter cannot be.
    let s = site("relationship-conflict");
    edit(
        &s,
        "content/groups/isgs.md",
        "type: rival\n    from: \"2020-01\"",
        "type: splinter_of",
    );
    edit(&s, GROUP, "type: rival", "type: splinter_of");
    assert_eq!(codes(&s.root), ["relationship-conflict"]);
    // Allies and rivals at once, over overlapping periods.
    let s = site("relationship-conflict");
    edit(&s, "content/groups/isgs.md", "type: rival", "type: ally");
    assert_eq!(codes(&s.root), ["relationship-conflict"]);
    // …but not when one side's alliance ended as the rivalry began.
    let s = site("relationship-conflict");
    edit(
        &s,
        "content/groups/isgs.md",
        "type: rival\n    from: \"2020-01\"",
        "type: ally\n    from: \"2017\"\n    to: \"2019-07\"",
    );
    assert_eq!(codes(&s.root), Vec::<&str>::new());
    // …nor when one period ended before the other began.
    let s = site("relationship-conflict");
    edit(
        &s,
        GROUP,
        "from: \"2019-07\"",
        "from: \"2015\"\n    to: \"2016\"",
    );
    edit(&s, "content/groups/isgs.md", "type: rival", "type: ally");
    assert_eq!(codes(&s.root), Vec::<&str>::new());
}

/// docs/content.md shows real output: every example in its Diagnostics section is the
/// expected output of some fixture, and every code a fixture produces is named there.
#[test]
fn the_docs_show_real_output_and_name_every_code() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/content.md"))
            .unwrap();
    let section = &docs[docs.find("## Diagnostics").unwrap()..];
    let block = section
        .split("```text\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .unwrap();
    let cases = overlay::cases();
    let expected: Vec<String> = cases
        .iter()
        .map(|c| std::fs::read_to_string(overlay::case_dir(c).join("expected.txt")).unwrap())
        .collect();
    let mut examples = 0;
    for example in block.split("\n\n").filter(|e| !e.trim().is_empty()) {
        examples += 1;
        assert!(
            expected.iter().any(|x| x.contains(example.trim())),
            "docs/content.md shows output no fixture produces:\n{example}"
        );
    }
    assert!(examples >= 9, "{examples}");
    for case in &cases {
        for diag in diagnostics(&site(case).root).0 {
            assert!(
                section.contains(&format!("`{}`", diag.code)),
                "code `{}` (case {case}) is not named in docs/content.md",
                diag.code,
            );
        }
    }
}

#[test]
fn helps_say_how_to_fix() {
    let help = |case: &str, code: &str| {
        one(&diagnostics(&site(case).root), code)
            .help
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        help("unknown-field", "unknown-field"),
        "did you mean `casualties`?"
    );
    // Parse errors say what to write.
    assert_eq!(
        help("free-text-date", "invalid-date"),
        "write `2017-06` (June 2017): dates are YYYY, YYYY-MM or YYYY-MM-DD, at the precision you know"
    );
    assert_eq!(
        help("date-ambiguous", "invalid-date"),
        "`05/06/2017` could be 5 June 2017 or 6 May 2017: write `2017-06-05` or `2017-05-06`"
    );
    let d = diagnostics(&site("count-in-words").root);
    let helps: Vec<&str> = d.0.iter().filter_map(|x| x.help.as_deref()).collect();
    assert_eq!(
        helps,
        [
            "write `{min: 6}` (at least 6)",
            "write `{min: 11, max: 12}` (between 11 and 12)"
        ]
    );
    assert_eq!(
        help("yaml-syntax-unclosed-brace", "yaml-syntax"),
        "close it on the same line: `wounded: {min: 8, max: 10}`"
    );
    assert_eq!(
        help("yaml-syntax-indentation", "yaml-syntax"),
        "fields of one mapping start in the same column: remove 2 spaces before `date:`"
    );
    // A colon inside a value still gets the advice to quote it.
    assert!(help("yaml-syntax", "yaml-syntax").contains("must be quoted"));
    // An incident link with no close id: the nearest by the words of its title and date.
    assert_eq!(
        help("unknown-link-nearest", "unknown-link"),
        "no incident has an id close to `kangaba-resort-attack`; the nearest by title and date is `@incident/2017-06-18-kangaba` (“Assault on the Kangaba resort”, 2017-06-18)"
    );
    assert_eq!(
        help("unknown-field-nested", "unknown-field"),
        "did you mean `lon`?"
    );
    assert_eq!(
        help("list-unknown-group", "unknown-group"),
        "did you mean `jnim`?"
    );
    assert_eq!(
        help("lowercase-country", "invalid-country"),
        "country codes are upper case: `ML`"
    );
    assert!(help("invalid-country", "invalid-country").contains("`ML`"));
    assert!(help("missing-field-serde", "missing-field").contains("add `min: …`"));
    assert!(help("missing-field", "missing-field").contains("title"));
    assert_eq!(
        help("warn-coordinates-swapped", "coordinates-outside-country"),
        "did you swap `lat` and `lon`?"
    );
    // Vocabulary errors list the allowed values.
    let d = one(
        &diagnostics(&site("invalid-attribution").root),
        "invalid-value",
    );
    assert_eq!(
        d.label,
        "expected one of `claimed`, `suspected`, `unattributed`, `disputed`"
    );
    let d = one(
        &diagnostics(&site("invalid-event-type").root),
        "invalid-value",
    );
    assert!(
        d.label.contains("`attack`") && d.label.contains("`announcement`"),
        "{}",
        d.label
    );
}

#[test]
fn crlf_and_bom_do_not_shift_positions() {
    let plain = one(&diagnostics(&site("unknown-group").root), "unknown-group");
    for case in ["crlf", "bom"] {
        let d = one(&diagnostics(&site(case).root), "unknown-group");
        assert_eq!(d.location, plain.location, "{case}");
    }
    let plain = one(&diagnostics(&site("wrong-type").root), "wrong-type");
    let crlf = one(&diagnostics(&site("crlf-wrong-type").root), "wrong-type");
    assert_eq!(crlf.location, plain.location);
}

#[test]
fn hostile_files_give_errors_quickly() {
    for case in ["deep-nesting", "deep-nesting-block", "large-file"] {
        let start = Instant::now();
        let d = diagnostics(&site(case).root);
        assert!(d.has_errors(), "{case}");
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{case} took {:?}",
            start.elapsed()
        );
    }
}

#[test]
fn thousands_of_errors_in_one_list_file_are_placed_in_linear_time() {
    // Each error used to parse the whole file again to find its span: minutes for 1 MB.
    let s = site("clean");
    let mut text = String::from("incidents:\n");
    for i in 0..3000 {
        text.push_str(&format!(
            "  - id: 2015-01-01-x{i}\n    title: Record {i}\n    date: \"2015-01-01\"\n    location: {{country: ML}}\n    groups: [jnm]\n    sources: [{{title: S}}]\n"
        ));
    }
    std::fs::write(s.root.join("content/incidents/many.yaml"), text).unwrap();
    let start = Instant::now();
    let d = diagnostics(&s.root);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(d.error_count(), 3000);
    let last =
        d.0.iter()
            .filter_map(|x| x.location.as_ref())
            .map(|l| l.start.line)
            .max();
    assert_eq!(last, Some(1 + 6 * 2999 + 5));
}

#[test]
fn thousands_of_type_errors_in_one_list_file_are_each_reported_in_linear_time() {
    // Each record is read on its own after the first error: reading the whole file again
    // per error would be quadratic. The 3,001st record is fine and still checked.
    let s = site("clean");
    let mut text = String::from("incidents:\n");
    for i in 0..3000 {
        text.push_str(&format!(
            "  - id: 2015-01-01-x{i}\n    title: [Record {i}]\n    date: \"2018-01-01\"\n    location: {{country: ML}}\n    groups: [jnim]\n    sources: [{{title: S}}]\n"
        ));
    }
    text.push_str("  - id: 2015-01-02-ok\n    title: Fine\n    date: \"2018-01-02\"\n    location: {country: XX}\n    groups: [jnim]\n    sources: [{title: S}]\n");
    std::fs::write(s.root.join("content/incidents/many.yaml"), text).unwrap();
    let start = Instant::now();
    let d = diagnostics(&s.root);
    // A guard only: a quadratic reading took minutes here.
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "took {:?}",
        start.elapsed()
    );
    let wrong: Vec<usize> =
        d.0.iter()
            .filter(|x| x.code == "wrong-type")
            .map(|x| x.location.as_ref().unwrap().start.line)
            .collect();
    assert_eq!(wrong.len(), 3000, "{}", d.summary());
    assert_eq!(wrong[2999], 1 + 6 * 2999 + 2);
    assert_eq!(
        d.0.iter().filter(|x| x.code == "invalid-country").count(),
        1,
        "the valid record after them is still checked"
    );
    // No "missing title" for the titles of the wrong type, no "unused group".
    assert_eq!(d.0.len(), 3001, "{}", d.summary());
}

/// The inputs of issue 14 that took minutes on small files: 40,000 identical headings
/// (74 s), 40,000 unknown group ids in one incident (78 s), 20,000 unknown `@group/` links
/// (3.6 s), and 20,000 unknown incident ids in a briefing against 2,000 incidents. The work
/// itself is counted in unit tests (`markdown::tests::equal_headings_cost_linear_work`,
/// `diagnostic::tests::the_suggester_agrees_with_did_you_mean_at_bounded_cost`,
/// `diagnostic::tests::a_very_long_line_is_shown_around_the_span_at_its_true_column`);
/// here every problem must still be reported, each diagnostic must stay small however long
/// its line, and the run must end (the time limit is only a guard against a regression
/// to minutes, far above what the linear code takes even unoptimised).
#[test]
fn hostile_inputs_are_reported_in_full_in_linear_time() {
    let s = site("clean");
    let ids: Vec<String> = (0..40_000).map(|i| format!("g{i}")).collect();
    edit(
        &s,
        INC,
        "groups: [jnim]",
        &format!("groups: [jnim, {}]", ids.join(", ")),
    );
    let links: String = (0..20_000).map(|i| format!("[x](@group/x{i}) ")).collect();
    let headings = "## Same heading\n\n".repeat(40_000);
    let cites: Vec<String> = (0..20_000)
        .map(|i| format!("1999-01-01-nowhere-{i}"))
        .collect();
    std::fs::write(
        s.root.join("content/briefings/hostile.md"),
        format!(
            "---\ntitle: Hostile\ndate: \"2017-07-10\"\nincidents: [{}]\n---\n{links}\n\n{headings}",
            cites.join(", ")
        ),
    )
    .unwrap();
    let mut list = String::from("incidents:\n");
    for i in 0..2000 {
        list.push_str(&format!(
            "  - {{id: 2016-01-01-place-{i}, title: Event {i}, date: \"2016-01-01\", location: {{country: ML}}, groups: [jnim], sources: [{{title: S}}]}}\n"
        ));
    }
    std::fs::write(s.root.join("content/incidents/2016.yaml"), list).unwrap();
    let start = Instant::now();
    let d = diagnostics(&s.root);
    let took = start.elapsed();
    let count = |code: &str| d.0.iter().filter(|x| x.code == code).count();
    assert_eq!(count("unknown-group"), 40_000);
    assert_eq!(count("unknown-link"), 20_000);
    assert_eq!(count("unknown-incident"), 20_000);
    let longest =
        d.0.iter()
            .filter_map(|x| x.location.as_ref())
            .map(|l| l.source_line.chars().count())
            .max()
            .unwrap();
    assert!(
        longest <= briefwerk::diagnostic::MAX_SHOWN_CHARS + 2,
        "{longest}"
    );
    let shown = d.render(false);
    assert!(
        shown.len() < 80_000 * 1_000,
        "{} bytes of output",
        shown.len()
    );
    assert!(took < Duration::from_secs(120), "took {took:?}");
}

// --- the binary -------------------------------------------------------------------------

fn bin(args: &[&str], root: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_briefwerk"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap()
}

#[test]
fn exit_codes_are_zero_one_and_two() {
    assert_eq!(bin(&["check"], &site("clean").root).status.code(), Some(0));
    assert_eq!(
        bin(&["check"], &site("yaml-syntax").root).status.code(),
        Some(1)
    );
    assert_eq!(
        bin(&["check"], &site("template-syntax").root).status.code(),
        Some(1)
    );
    // Warnings pass unless denied.
    assert_eq!(
        bin(&["check"], &site("warn-no-sources").root).status.code(),
        Some(0)
    );
    assert_eq!(
        bin(&["check", "--deny-warnings"], &site("warn-no-sources").root)
            .status
            .code(),
        Some(1)
    );
    let empty = tempfile::tempdir().unwrap();
    let out = bin(&["check"], empty.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("site.yaml"));
}

#[test]
fn human_output_is_the_snapshot_without_colour_when_piped() {
    let s = site("unknown-field");
    let out = bin(&["check"], &s.root);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        !err.contains('\u{1b}'),
        "colour escape in piped output:\n{err}"
    );
    assert_eq!(
        normalise(&err),
        std::fs::read_to_string(overlay::case_dir("unknown-field").join("expected.txt")).unwrap()
    );
    assert_eq!(
        err.lines().last(),
        Some("checked 4 files: 1 error, 0 warnings")
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn summary_counts_errors_warnings_and_files() {
    let s = site("clean");
    // Three problems in two files: a typo'd group, a future date, and a briefing citing nothing.
    let inc = s.root.join(INC);
    let text = std::fs::read_to_string(&inc).unwrap();
    std::fs::write(
        &inc,
        text.replace("[jnim]", "[jnm]")
            .replace("2017-06-18\"", "2099-06-18\""),
    )
    .unwrap();
    let brief = s.root.join(BRIEF);
    let text = std::fs::read_to_string(&brief).unwrap();
    std::fs::write(
        &brief,
        text.replace("incidents: [2017-06-18-kangaba]\n", ""),
    )
    .unwrap();
    let out = bin(&["check"], &s.root);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.lines().last(),
        Some("checked 4 files: 1 error, 2 warnings (in 2 files)"),
        "{err}"
    );
    // Sorted by file, then line.
    let order: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with(" --> ") || l.starts_with("  --> "))
        .collect();
    let mut sorted = order.clone();
    sorted.sort_by_key(|l| {
        let p = l.trim_start().trim_start_matches("--> ");
        let mut it = p.rsplitn(3, ':');
        let col: usize = it.next().unwrap().parse().unwrap();
        let line: usize = it.next().unwrap().parse().unwrap();
        (it.next().unwrap().to_string(), line, col)
    });
    assert_eq!(order, sorted);
}

#[test]
fn json_lines_carry_path_line_and_column() {
    for (case, code) in [
        ("unknown-group", "unknown-group"),
        ("merge-conflict", "merge-conflict"),
        ("warn-no-sources", "no-sources"),
    ] {
        let out = bin(&["check", "--format", "json"], &site(case).root);
        let stdout = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<serde_json::Value> = stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        let want = one(&diagnostics(&site(case).root), code);
        let v = lines
            .iter()
            .find(|v| v["code"] == code)
            .unwrap_or_else(|| panic!("{case}: {stdout}"));
        let loc = want.location.unwrap();
        assert_eq!(v["location"]["path"], loc.path.as_str());
        assert_eq!(v["location"]["start"]["line"], loc.start.line);
        assert_eq!(v["location"]["start"]["col"], loc.start.col);
        assert_eq!(v["message"], want.message.as_str());
        assert!(v["severity"] == "error" || v["severity"] == "warning");
    }
}

// --- the summary line -------------------------------------------------------------------

/// Runs the binary with `args` (no `--root`).
fn run_bin(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_briefwerk"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

#[test]
fn a_clean_run_says_how_many_files_it_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let root_s = root.to_str().unwrap();
    assert!(run_bin(&["init", root_s]).status.success());
    // Counted here without the library: site.yaml and every file under content/.
    let content = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter(|e| e.as_ref().unwrap().file_type().is_file())
        .count();
    let n = content + 1;
    let out = run_bin(&["check", "--root", root_s]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    let line = format!("checked {n} files: 0 errors, 0 warnings");
    assert_eq!(err.lines().last(), Some(line.as_str()), "{err}");
    // docs/workflow.md quotes the line a new site gives.
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/workflow.md"))
            .unwrap();
    assert!(
        docs.contains(&format!("\n{line}\n")),
        "docs/workflow.md: {line}"
    );
    // The same counts end the JSON output.
    let out = run_bin(&["check", "--root", root_s, "--format", "json"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let last: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(
        last,
        serde_json::json!({"summary": {"files": n, "errors": 0, "files_with_errors": 0, "warnings": 0, "files_with_warnings": 0}})
    );
    // One file, in the singular.
    std::fs::remove_dir_all(root.join("content")).unwrap();
    let out = run_bin(&["check", "--root", root_s]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.lines().last(),
        Some("checked 1 file: 0 errors, 0 warnings"),
        "{err}"
    );
}

#[test]
fn the_summary_says_in_how_many_files_the_problems_are() {
    let s = site("clean");
    // Two errors in the incident, one in the group, a warning in the briefing.
    edit(&s, INC, "[jnim]", "[jnm]");
    edit(&s, INC, "country: ML", "country: XX");
    edit(&s, GROUP, "status: active", "status: activ");
    edit(&s, BRIEF, "incidents: [2017-06-18-kangaba]\n", "");
    let out = bin(&["check"], &s.root);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.lines().last(),
        Some("checked 4 files: 3 errors (in 2 files), 1 warning"),
        "{err}"
    );
    let out = bin(&["check", "--format", "json"], &s.root);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let last: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(
        last,
        serde_json::json!({"summary": {"files": 4, "errors": 3, "files_with_errors": 2, "warnings": 1, "files_with_warnings": 1}})
    );
    // Every other line is a diagnostic.
    assert_eq!(stdout.lines().filter(|l| l.contains("\"code\"")).count(), 4);
}

// --- one mistake, one warning ----------------------------------------------------------

#[test]
fn a_future_date_is_one_warning_that_says_what_follows_from_it() {
    let s = site("clean");
    edit(&s, INC, "date: \"2017-06-18\"", "date: \"2031-03-14\"");
    // A dated source, older than the (mistyped) date: on its own a `sources-predate`.
    edit(
        &s,
        INC,
        "    publisher: Example News\n",
        "    publisher: Example News\n    date: \"2017-06-19\"\n",
    );
    let warnings = |root: &Path| -> Vec<Diagnostic> {
        diagnostics(root)
            .0
            .into_iter()
            .filter(|d| d.severity == Severity::Warning)
            .collect()
    };
    let w = warnings(&s.root);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(w[0].code, "future-date");
    assert_eq!(w[0].message, "date 2031-03-14 is in the future");
    let loc = w[0].location.as_ref().unwrap();
    assert_eq!((loc.path.as_str(), loc.start.line), (INC, 3));
    assert_eq!(
        w[0].notes[0].message,
        "its sources are older: the latest is dated 2017-06-19"
    );
    // With a data cutoff, still one warning, which says the record is left out of totals.
    edit(
        &s,
        "site.yaml",
        "base_url: https://example.org/\n",
        "base_url: https://example.org/\ndata_cutoff: \"2017-12-31\"\n",
    );
    let w = warnings(&s.root);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(w[0].code, "future-date");
    assert!(
        w.iter().flat_map(|d| &d.notes).any(|n| n
            .message
            .contains("after the site's data cutoff 2017-12-31")),
        "{w:#?}"
    );
    // A past date after the cutoff and before its sources keeps both of its warnings.
    edit(&s, INC, "date: \"2031-03-14\"", "date: \"2018-03-14\"");
    let codes: Vec<&str> = warnings(&s.root).iter().map(|d| d.code).collect();
    assert_eq!(codes, ["after-cutoff", "sources-predate"]);
}

// --- what build cannot write, check refuses --------------------------------------------

/// The rendered block of every diagnostic in `stderr` (everything but the summary line).
fn diagnostic_blocks(stderr: &str) -> String {
    let mut lines: Vec<&str> = stderr.lines().collect();
    lines.pop();
    lines.join("\n")
}

#[test]
fn names_too_long_for_a_folder_are_refused_where_written_by_check_and_build_alike() {
    let long = |n: usize| format!("2017-06-19-{}", "x".repeat(n - 11));
    let id212 = long(212);
    let tag = "a".repeat(300);
    struct Case {
        what: &'static str,
        file: String,
        text: String,
        message: &'static str,
        line_col: Option<(usize, usize)>,
    }
    let incident = |id: &str| {
        format!(
            "---\ntitle: Long\ndate: \"2017-06-19\"\nlocation: {{country: ML}}\ngroups: [jnim]\nattribution: claimed\nsources: [{{title: t, url: \"https://example.com/b\", publisher: p}}]\n{id}---\n"
        )
    };
    let cases = [
        Case {
            what: "incident id from the file name",
            file: format!("content/incidents/{id212}.md"),
            text: incident(""),
            message: "incident id is 212 bytes long; ids are at most 200 bytes",
            line_col: None,
        },
        Case {
            what: "incident id in a list file",
            file: "content/incidents/2017-more.yaml".into(),
            text: format!(
                "incidents:\n  - id: {id212}\n    title: Long\n    date: \"2017-06-19\"\n    location: {{country: ML}}\n    groups: [jnim]\n    attribution: claimed\n    sources: [{{title: t, url: \"https://example.com/b\", publisher: p}}]\n"
            ),
            message: "incident id is 212 bytes long; ids are at most 200 bytes",
            line_col: Some((2, 9)),
        },
        Case {
            what: "group id",
            file: format!("content/groups/{}.md", "g".repeat(230)),
            text: "---\nname: Long\narea: [ML]\n---\n".into(),
            message: "group id is 230 bytes long; ids are at most 200 bytes",
            line_col: None,
        },
        Case {
            what: "briefing id",
            file: format!("content/briefings/{}.md", "b".repeat(240)),
            text: "---\ntitle: Long\ndate: \"2017-07-10\"\nincidents: [2017-06-18-kangaba]\n---\n"
                .into(),
            message: "briefing id is 240 bytes long; ids are at most 200 bytes",
            line_col: None,
        },
        Case {
            what: "page id",
            file: format!("content/pages/{}.md", "p".repeat(250)),
            text: "---\ntitle: Long\n---\nText.\n".into(),
            message: "page id is 250 bytes long; ids are at most 200 bytes",
            line_col: None,
        },
        Case {
            what: "incident tag",
            file: "content/incidents/2017-06-19-tagged.md".into(),
            text: incident(&format!("tags: [short, \"{tag}\"]\n")),
            message: "tag is 300 bytes long as a URL; tags are at most 200 bytes",
            line_col: Some((8, 15)),
        },
        Case {
            what: "briefing tag (accents fold, so it is its URL form that counts)",
            file: "content/briefings/tagged.md".into(),
            text: format!(
                "---\ntitle: Tagged\ndate: \"2017-07-10\"\nincidents: [2017-06-18-kangaba]\ntags: [\"{}\"]\n---\n",
                "é".repeat(300)
            ),
            message: "tag is 300 bytes long as a URL; tags are at most 200 bytes",
            line_col: Some((5, 8)),
        },
    ];
    for c in cases {
        let s = site("clean");
        let path = s.root.join(&c.file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &c.text).unwrap();
        let d = diagnostics(&s.root);
        let found = one(&d, "too-long");
        assert_eq!(found.message, c.message, "{}", c.what);
        assert!(
            found.help.as_deref().is_some_and(|h| h.contains("shorter")),
            "{}: {:?}",
            c.what,
            found.help
        );
        let loc = found.location.as_ref().unwrap();
        assert_eq!(loc.path, c.file, "{}", c.what);
        if let Some((line, col)) = c.line_col {
            assert_eq!((loc.start.line, loc.start.col), (line, col), "{}", c.what);
        }
        let checked = bin(&["check"], &s.root);
        let out = tempfile::tempdir().unwrap();
        let built = bin(
            &[
                "build",
                "--output",
                out.path().join("public").to_str().unwrap(),
            ],
            &s.root,
        );
        assert_eq!(checked.status.code(), Some(1), "{}", c.what);
        assert_eq!(built.status.code(), Some(1), "{}", c.what);
        let (ce, be) = (
            String::from_utf8(checked.stderr).unwrap(),
            String::from_utf8(built.stderr).unwrap(),
        );
        assert!(!be.contains("too long (os error"), "{}: {be}", c.what);
        assert_eq!(diagnostic_blocks(&ce), diagnostic_blocks(&be), "{}", c.what);
        assert!(ce.contains(c.message), "{}: {ce}", c.what);
    }
}

#[test]
fn whatever_check_passes_build_writes() {
    let incident = |name: &str, extra: &str| {
        (
            format!("content/incidents/{name}.md"),
            format!(
                "---\ntitle: Hostile\ndate: \"2017-06-19\"\nlocation: {{country: ML}}\ngroups: [jnim]\nattribution: claimed\nsources: [{{title: t, url: \"https://example.com/b\", publisher: p}}]\n{extra}---\n"
            ),
        )
    };
    let briefing = |name: &str, extra: &str| {
        (
            format!("content/briefings/{name}.md"),
            format!(
                "---\ntitle: Hostile\ndate: \"2017-07-10\"\nincidents: [2017-06-18-kangaba]\n{extra}---\n"
            ),
        )
    };
    let list = |id: &str| {
        (
            "content/incidents/2017-more.yaml".to_string(),
            format!(
                "incidents:\n  - id: {id}\n    title: Hostile\n    date: \"2017-06-19\"\n    location: {{country: ML}}\n    groups: [jnim]\n    attribution: claimed\n    sources: [{{title: t, url: \"https://example.com/b\", publisher: p}}]\n"
            ),
        )
    };
    let tag = |t: &str| incident("2017-06-19-tagged", &format!("tags: [\"{t}\"]\n"));
    let at200 = format!("2017-06-19-{}", "x".repeat(189));
    let inputs: Vec<(&str, (String, String))> = vec![
        ("tag of 300 bytes", tag(&"a".repeat(300))),
        ("tag of 200 bytes", tag(&"a".repeat(200))),
        ("tag of 201 bytes", tag(&"a".repeat(201))),
        ("tag of 600 accented letters", tag(&"é".repeat(600))),
        ("tag of 300 letters that fold away", tag(&"ж".repeat(300))),
        ("tag that slugs to nothing", tag("!!!")),
        ("tag of dots", tag("..")),
        ("tag with a slash", tag("../../etc")),
        (
            "briefing tag that slugs to nothing",
            briefing("tagged", "tags: [\"!!!\"]\n"),
        ),
        (
            "briefing tag of 300 bytes",
            briefing("tagged", &format!("tags: [\"{}\"]\n", "a".repeat(300))),
        ),
        ("id of 200 bytes in a list file", list(&at200)),
        ("id of 201 bytes in a list file", list(&format!("{at200}x"))),
        ("id of 240 bytes in a list file", list(&"y".repeat(240))),
        ("file name id of 240 bytes", incident(&"z".repeat(240), "")),
        ("briefing id of 240 bytes", briefing(&"b".repeat(240), "")),
        (
            "page id of 250 bytes",
            (
                format!("content/pages/{}.md", "p".repeat(250)),
                "---\ntitle: P\n---\n".into(),
            ),
        ),
        (
            "page id that is a site folder",
            (
                "content/pages/tags.md".into(),
                "---\ntitle: P\n---\n".into(),
            ),
        ),
        (
            "group id of 230 bytes",
            (
                format!("content/groups/{}.md", "g".repeat(230)),
                "---\nname: G\narea: [ML]\n---\n".into(),
            ),
        ),
    ];
    for (what, (file, text)) in inputs {
        let s = site("clean");
        let path = s.root.join(&file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        let checked = bin(&["check"], &s.root);
        let out = tempfile::tempdir().unwrap();
        let built = bin(
            &[
                "build",
                "--output",
                out.path().join("public").to_str().unwrap(),
            ],
            &s.root,
        );
        let be = String::from_utf8_lossy(&built.stderr);
        // `check` passing is the promise that `build` succeeds; and what check refuses,
        // build refuses with the same words.
        assert_eq!(
            checked.status.code(),
            built.status.code(),
            "{what}: check said\n{}\nbuild said\n{be}",
            String::from_utf8_lossy(&checked.stderr)
        );
        assert!(!be.contains("os error"), "{what}: {be}");
        if built.status.success() {
            // Every tag page is its own: none took the place of the list of tags.
            let tags = std::fs::read_to_string(out.path().join("public/tags/index.html"))
                .unwrap_or_default();
            assert!(
                !tags.contains("<title>Tag:"),
                "{what}: tags/index.html is a tag page"
            );
        }
    }
}

// --- nothing lost -----------------------------------------------------------------------

/// Every file under `dir` with its bytes and modification time.
fn snapshot_tree(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().unwrap();
            (
                e.path().to_path_buf(),
                (std::fs::read(e.path()).unwrap(), meta.modified().unwrap()),
            )
        })
        .collect()
}

#[test]
fn check_and_a_failed_build_modify_nothing() {
    for case in [
        "clean",
        "yaml-syntax",
        "warn-no-sources",
        "template-syntax",
        "merge-cycle",
    ] {
        let s = site(case);
        // A previous build's output, which must survive untouched.
        let public = s.root.join("public");
        std::fs::create_dir_all(public.join("incidents")).unwrap();
        std::fs::write(public.join("index.html"), "<p>the previous site</p>").unwrap();
        std::fs::write(public.join("incidents/old.html"), "old").unwrap();
        let before = snapshot_tree(&s.root);
        let _ = briefwerk::check(&s.root, &BuildOptions::default());
        let out = bin(&["check"], &s.root);
        assert!(out.status.code().is_some());
        assert_eq!(
            snapshot_tree(&s.root),
            before,
            "`check` changed files of `{case}`"
        );
        if case != "clean" && case != "warn-no-sources" {
            let r = briefwerk::build(&s.root, &BuildOptions::default());
            assert!(matches!(r, Err(Error::Invalid(_))), "{case}");
            assert_eq!(
                snapshot_tree(&s.root),
                before,
                "a failed build changed files of `{case}`"
            );
        }
    }
}

// --- random and mutated content ---------------------------------------------------------

mod robustness {
    use briefwerk::load::{self, Kind, SourceFile, Sources};
    use proptest::prelude::*;

    const SEEDS: &[(&str, Kind)] = &[
        (
            include_str!("../fixtures/check/base/content/incidents/2017-06-18-kangaba.md"),
            Kind::Incident,
        ),
        (
            include_str!("../fixtures/check/base/content/groups/jnim.md"),
            Kind::Group,
        ),
        (
            include_str!("../fixtures/check/base/content/briefings/merger.md"),
            Kind::Briefing,
        ),
        (
            include_str!(
                "../fixtures/check/cases/list-unknown-group/content/incidents/2015-list.yaml"
            ),
            Kind::IncidentList,
        ),
        (
            include_str!("../fixtures/check/cases/leader-dates-reversed/content/groups/jnim.md"),
            Kind::Group,
        ),
    ];

    fn path_of(kind: Kind) -> &'static str {
        match kind {
            Kind::Incident => "content/incidents/x.md",
            Kind::IncidentList => "content/incidents/x.yaml",
            Kind::Group => "content/groups/x.md",
            Kind::Briefing => "content/briefings/x.md",
            Kind::Page => "content/pages/x.md",
            Kind::Home => "content/_index.md",
            Kind::Digest => "content/digests/ml/2017-06.md",
            Kind::Translation => "content/incidents/x.fr.md",
        }
    }

    /// Parses and validates one file as a whole site would; must never panic.
    pub(super) fn run(text: &str, kind: Kind) {
        let sources = Sources {
            files: vec![SourceFile {
                rel: path_of(kind).to_string(),
                stem: "x".to_string(),
                kind,
                text: text.into(),
                stamp: None,
            }],
            unreadable: Vec::new(),
        };
        let (raw, parse_diags) = load::parse(&sources);
        // Bodies go through Markdown with `@` links that resolve to nothing, so that every
        // link is reported and placed (list-file bodies are searched for in the file).
        struct NoLinks;
        impl briefwerk::markdown::LinkResolver for NoLinks {
            fn resolve(&self, _: &str, _: &str) -> Option<String> {
                None
            }
            fn candidates(&self, _: &str) -> Vec<&str> {
                vec!["jnim"]
            }
        }
        for rec in &raw.incidents {
            let f = &sources.files[rec.loc.file];
            let src = briefwerk::markdown::BodySource {
                rel: &f.rel,
                file_text: &f.text,
                body_offset: rec.loc.body_offset,
            };
            let mut link_diags = Vec::new();
            let html_policy = briefwerk::config::RawHtml::Sanitize;
            let _ = briefwerk::markdown::render(
                &rec.body,
                &src,
                "../../",
                &NoLinks,
                html_policy,
                &mut link_diags,
            );
            for d in &link_diags {
                let _ = briefwerk::diagnostic::render_one(d, false);
            }
        }
        let config = briefwerk::config::parse(
            std::path::Path::new("/tmp/site"),
            "title: T\n",
            &Default::default(),
        )
        .expect("config");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let (_, diags) = briefwerk::validate::validate(raw, &sources, &config, today);
        // Rendering the diagnostics must not panic either (spans are sliced there).
        let _ = parse_diags.render(false);
        let _ = diags.render(false);
        let _ = diags.to_json_lines();
    }

    /// A mutation of a seed: YAML punctuation inserted, bytes flipped, text cut short.
    #[derive(Debug, Clone)]
    enum Edit {
        Insert(usize, &'static str),
        Flip(usize, u8),
        Truncate(usize),
        Delete(usize, usize),
        Duplicate(usize, usize),
    }

    const PUNCT: &[&str] = &[
        ":", ": ", "-", "- ", "[", "]", "{", "}", ",", "\"", "'", "#", "&a ", "*a", "!!str ", "|",
        ">", "?", "\n", "\r\n", "\t", "  ", "---\n", "...\n", "\u{feff}", "é", "—", "%", "@", "`",
        "\0", "~", "null", "[[[[[[[[",
    ];

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            (any::<usize>(), prop::sample::select(PUNCT)).prop_map(|(i, p)| Edit::Insert(i, p)),
            (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Flip(i, b)),
            any::<usize>().prop_map(Edit::Truncate),
            (any::<usize>(), 1..20usize).prop_map(|(i, n)| Edit::Delete(i, n)),
            (any::<usize>(), 1..40usize).prop_map(|(i, n)| Edit::Duplicate(i, n)),
        ]
    }

    fn apply(seed: &str, edits: &[Edit]) -> String {
        let mut bytes = seed.as_bytes().to_vec();
        for e in edits {
            let n = bytes.len().max(1);
            match *e {
                Edit::Insert(i, p) => {
                    let i = i % (bytes.len() + 1);
                    bytes.splice(i..i, p.bytes());
                }
                Edit::Flip(i, b) => {
                    if !bytes.is_empty() {
                        bytes[i % n] ^= b;
                    }
                }
                Edit::Truncate(i) => bytes.truncate(i % (bytes.len() + 1)),
                Edit::Delete(i, len) => {
                    let i = i % (bytes.len() + 1);
                    let end = (i + len).min(bytes.len());
                    bytes.drain(i..end);
                }
                Edit::Duplicate(i, len) => {
                    let i = i % (bytes.len() + 1);
                    let end = (i + len).min(bytes.len());
                    let chunk = bytes[i..end].to_vec();
                    bytes.splice(end..end, chunk);
                }
            }
        }
        // The loader turns bytes into text first (invalid UTF-8 is its own diagnostic).
        String::from_utf8_lossy(&bytes).into_owned()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn mutated_content_gives_errors_not_panics(
            seed in 0..SEEDS.len(),
            edits in prop::collection::vec(edit(), 1..8),
        ) {
            let (text, kind) = SEEDS[seed];
            run(&apply(text, &edits), kind);
        }

        #[test]
        fn random_text_gives_errors_not_panics(
            text in "(\\PC|[:\\-\\[\\]{},#&*!|>?'\"\\n\\r\\t ]){0,200}",
            kind in 0..4usize,
        ) {
            let kind = [Kind::Incident, Kind::IncidentList, Kind::Group, Kind::Briefing][kind];
            run(&text, kind);
            run(&format!("---\n{text}\n---\n"), kind);
        }
    }
}

/// Hostile inputs, and any input that makes the fuzzer (fuzz/fuzz_targets/parse_content.rs)
/// crash or hang, kept so that the fix stays fixed; the extension says how it is read. So far
/// the fuzzer found none: `alias-bomb.yaml` (nested YAML aliases, serde_yaml's repetition
/// limit) and `dash-ladder.md` (20,000 nested `- ` on one line, the depth guard) are written
/// by hand.
#[test]
fn fuzz_regressions_stay_fixed() {
    let dir = overlay::root().join("fuzz-regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let kind = match path.extension().and_then(|e| e.to_str()) {
            Some("yaml") => briefwerk::load::Kind::IncidentList,
            Some("md") => briefwerk::load::Kind::Incident,
            _ => continue,
        };
        let bytes = std::fs::read(&path).unwrap();
        let start = Instant::now();
        robustness::run(&String::from_utf8_lossy(&bytes), kind);
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{} took {:?}",
            path.display(),
            start.elapsed()
        );
        n += 1;
    }
    assert!(n > 0, "no regression inputs in {}", dir.display());
}
