//! `briefwerk import acled` as a user runs it (issues 14 and 15): malformed rows reported at
//! their real line with exit status 1, nothing a hostile CSV holds reaching the terminal
//! raw, and a year of rows over the file budget split into files that every load and check
//! clean (100,000 rows, checked and built, are CI's `exports` gate).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use crate::support::SiteTest;
use briefwerk::BuildOptions;
use briefwerk::import::{FILE_BUDGET, import_acled};

const HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

/// One ACLED row: id, date, actor1, notes, fatalities (the rest fixed, in Mali).
fn row(id: &str, date: &str, actor: &str, notes: &str, fatalities: &str) -> String {
    format!(
        "{id},{date},2018,1,Political violence,Battles,Armed clash,{actor},,2,,,,20,,466,Western Africa,Mali,Mopti,Douentza,,Boni,15.0333,-2.2167,1,Fixture Wire,National,{notes},{fatalities},,1700000000"
    )
}

/// Runs the binary; returns (status, stderr).
fn run(root: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_briefwerk"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn malformed_rows_are_reported_at_their_line_and_the_import_exits_1() {
    let t = SiteTest::fixture("basic");
    // Line 1 header; 2 good; 3-4 a quoted note over two lines; 5 bad date; 6-7 blank;
    // 8 bad fatalities; 9 not UTF-8; 10 good; CRLF line ends throughout.
    let mut csv = Vec::new();
    for l in [
        HEADER.to_string(),
        row("MLI1", "2018-03-14", "JNIM", "one", "4"),
        row("MLI2", "2018-03-15", "JNIM", "\"two\r\nlines\"", "1"),
        row("MLI3", "2018-13-40", "JNIM", "bad date", "1"),
        String::new(),
        String::new(),
        row("MLI4", "2018-03-16", "JNIM", "bad figure", "many"),
    ] {
        csv.extend_from_slice(l.as_bytes());
        csv.extend_from_slice(b"\r\n");
    }
    csv.extend_from_slice(row("MLI5", "2018-03-17", "JNIM", "x", "1").as_bytes());
    csv.extend_from_slice(b"\xff\xfe\r\n");
    csv.extend_from_slice(row("MLI6", "2018-03-18", "JNIM", "six", "0").as_bytes());
    csv.extend_from_slice(b"\r\n");
    let path = t.dir.path().join("mal.csv");
    std::fs::write(&path, &csv).unwrap();

    let (code, err) = run(&t.root, &["import", "acled", path.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    let lines: Vec<&str> = err.lines().collect();
    let at = |n: u32| {
        lines
            .iter()
            .any(|l| l.starts_with("warning:") && l.contains(&format!("mal.csv:{n}: ")))
    };
    assert!(at(5) && at(8) && at(9), "{err}");
    assert!(!at(2) && !at(3) && !at(4) && !at(6) && !at(7), "{err}");
    assert!(err.contains("mal.csv:9: field 31 is not UTF-8"), "{err}");
    let last = lines.last().unwrap();
    assert!(
        last.contains("3 malformed rows were left out") && last.contains("error"),
        "{last}"
    );
    // The good rows were imported all the same.
    let report = briefwerk::check(&t.root, &BuildOptions::default()).unwrap();
    assert_eq!(report.incidents, 5 + 3);

    // Every row read: exit 0, and the same file again changes nothing.
    let good = format!(
        "{HEADER}\n{}\n{}\n",
        row("MLI1", "2018-03-14", "JNIM", "one", "4"),
        row("MLI6", "2018-03-18", "JNIM", "six", "0")
    );
    std::fs::write(&path, good).unwrap();
    let (code, err) = run(&t.root, &["import", "acled", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.lines()
            .last()
            .unwrap()
            .starts_with("imported 2 rows: 0 created, 0 updated, 2 unchanged, 0 malformed"),
        "{err}"
    );
}

#[test]
fn nothing_from_the_csv_reaches_the_terminal_as_a_control_character() {
    let t = SiteTest::fixture("basic");
    let path = t.dir.path().join("esc.csv");
    std::fs::write(
        &path,
        format!(
            "{HEADER}\n{}\n{}\n",
            row(
                "MLI1",
                "2018-03-14",
                "\x1b]0;owned\x07Evil \x1b[31mRed",
                "n",
                "1"
            ),
            row("MLI2", "\x1b[2J2018-13-01", "JNIM", "n", "1")
        ),
    )
    .unwrap();
    let (code, err) = run(&t.root, &["import", "acled", path.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        !err.chars().any(|c| c.is_control() && c != '\n'),
        "control characters printed: {err:?}"
    );
    // Control characters are taken out of cells before anything else: the reader is told
    // which, where, and sees the rest of the value.
    assert!(err.contains("2018-13-01` is not a date"), "{err}");
    assert!(
        err.contains(":3: control characters removed from `event_date` (U+001B)"),
        "{err}"
    );
    assert!(
        err.contains(":2: control characters removed from `actor1` (U+0007, U+001B)"),
        "{err}"
    );
}

/// The raw bytes a terminal would act on: C0 controls but line feed (ESC, BEL, CR…), DEL,
/// C1 controls (CSI U+009B…, as UTF-8) and bidirectional overrides, embeddings, isolates
/// and marks (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C).
fn terminal_controls(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
        })
        .map(|c| format!("U+{:04X}", c as u32))
        .collect()
}

#[test]
fn terminal_escapes_in_actor_and_notes_never_reach_stdout_or_stderr() {
    let t = SiteTest::fixture("basic");
    let evil = "\x1b[2J\x1b]0;pwned\x07\u{202e}\u{9b}31m";
    let path = t.dir.path().join("evil.csv");
    std::fs::write(
        &path,
        format!(
            "{HEADER}\n{}\n{}\n{}\n",
            // Imported: the actor matches no group and is listed, the notes are stored.
            row(
                "MLI1",
                "2018-03-14",
                &format!("Evil{evil}Actor"),
                &format!("\"notes{evil}end\""),
                "1"
            ),
            // Malformed: the bad value is echoed in the warning.
            row("MLI2", "2018-03-15", "JNIM", "n", &format!("x{evil}")),
            row(
                &format!("MLI3{evil}"),
                &format!("2018{evil}"),
                "JNIM",
                "n",
                "1"
            ),
        ),
    )
    .unwrap();
    for args in [
        vec!["import", "acled", path.to_str().unwrap()],
        vec!["--verbose", "import", "acled", path.to_str().unwrap()],
        vec!["check"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_briefwerk"))
            .args(&args)
            .arg("--root")
            .arg(&t.root)
            .output()
            .unwrap();
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let found = terminal_controls(bytes);
            assert!(
                found.is_empty(),
                "{args:?}: {stream} holds {found:?}:\n{}",
                String::from_utf8_lossy(bytes)
            );
        }
        if args.contains(&"import") {
            let err = String::from_utf8_lossy(&out.stderr);
            // Control characters are removed and named; what remains is shown with the
            // bidirectional override made visible.
            // (ACLED separates actors with `;`: the actor is listed as two names.)
            assert!(
                err.contains("Evil[2J]0") && err.contains("pwned\\u{202e}31mActor"),
                "{err}"
            );
            assert!(
                err.contains(
                    ":2: control characters removed from `actor1` (U+0007, U+001B, U+009B), `notes` (U+0007, U+001B, U+009B)"
                ),
                "{err}"
            );
            assert!(err.contains("`x[2J"), "{err}");
        }
    }
    // Nothing of them is stored: the record's YAML holds no control character.
    let stored = std::fs::read_to_string(t.root.join("content/incidents/acled-2018.yaml")).unwrap();
    let controls: Vec<char> = stored
        .chars()
        .filter(|&c| c.is_control() && c != '\n')
        .collect();
    assert!(controls.is_empty(), "{controls:?} in\n{stored}");
    assert!(stored.contains("notes[2J]0;pwned"), "{stored}");
    assert!(
        !stored.contains("\\e") && !stored.contains("\\x1B") && !stored.contains("\\a"),
        "{stored}"
    );
}

/// `n` generated rows: 25,000 a year from 2018 on, one in 300 naming JNIM, in Mali.
fn generated(n: usize) -> String {
    let mut out = String::with_capacity(n * 330);
    out.push_str(HEADER);
    out.push('\n');
    for i in 0..n {
        let year = 2018 + i / 25_000;
        let day = i % 25_000;
        // One row in 300 names JNIM, each on a day of its own: rows sharing a group, a day
        // and a region would be possible duplicates of each other.
        let (m, d) = if i % 300 == 0 {
            let k = day / 300;
            (1 + k % 12, 1 + (k / 12) % 28)
        } else {
            (1 + day % 12, 1 + day % 28)
        };
        let actor = if i % 300 == 0 {
            "JNIM: Group for Support of Islam and Muslims"
        } else {
            "Unidentified Armed Group (Mali)"
        };
        let lat = 14.0 + (i % 200) as f64 / 100.0;
        let lon = -4.0 + (i % 300) as f64 / 100.0;
        let _ = writeln!(
            out,
            "GEN{i},{year}-{m:02}-{d:02},{year},1,Political violence,Battles,Armed clash,{actor},,2,Military Forces of Mali,,1,12,,466,Western Africa,Mali,Mopti,Douentza,,Village {},{lat:.4},{lon:.4},1,Generated Wire,National,\"Generated row {i} for the import test: an armed clash near a village in Mopti, nobody real.\",{},,1700000000",
            i % 997,
            i % 7
        );
    }
    out
}

/// Rows imported here: enough that one year (2018) is over [`FILE_BUDGET`] (about 360
/// bytes a row are written, so 15,000 rows are about 5.4 MB against the 4 MB budget) and is
/// split into two files, in a debug `cargo test` of about a minute. The 100,000-row case
/// (41.5 MB, several files a year) runs in CI's `exports` gate with the release binary:
/// scripts/quality/import-100k.sh imports it, then runs `check --deny-warnings` and `build`.
const ROWS: usize = 15_000;

#[test]
fn a_year_over_the_file_budget_is_split_into_files_that_load_and_validate_clean() {
    let t = SiteTest::fixture("basic");
    let path = t.dir.path().join("big.csv");
    std::fs::write(&path, generated(ROWS)).unwrap();
    let into = Path::new("content/incidents");
    let r = import_acled(&t.root, &path, into).unwrap();
    assert_eq!((r.rows, r.created), (ROWS, ROWS));
    assert!(r.malformed.is_empty(), "{:?}", &r.malformed[..3]);
    let mut sizes = Vec::new();
    for f in &r.files_written {
        let len = std::fs::metadata(t.root.join(f)).unwrap().len();
        assert!(
            len <= FILE_BUDGET as u64 && len < briefwerk::load::MAX_FILE_BYTES,
            "{} is {len} bytes",
            f.display()
        );
        sizes.push(len);
    }
    // The rows of 2018 do not fit one file: the year is split into parts, each loading.
    let mut written = r.files_written.clone();
    written.sort();
    assert_eq!(
        written,
        [
            Path::new("content/incidents/acled-2018-2.yaml"),
            Path::new("content/incidents/acled-2018.yaml")
        ],
        "{sizes:?}"
    );
    assert!(sizes.iter().sum::<u64>() > FILE_BUDGET as u64, "{sizes:?}");

    // The same file again changes nothing.
    let again = import_acled(&t.root, &path, into).unwrap();
    assert_eq!(
        (again.created, again.updated, again.unchanged),
        (0, 0, ROWS)
    );
    assert!(again.files_written.is_empty());

    // Every file loads and validates with no error and no warning. (Rendering takes minutes
    // in a debug build: CI's `exports` gate imports 100,000 such rows with the release
    // binary, then runs `check` and `build` on the site.)
    let config = briefwerk::config::load(&t.root, &BuildOptions::default()).unwrap();
    let (sources, read) = briefwerk::load::read_sources(&t.root).unwrap();
    assert!(read.0.is_empty(), "{:?}", &read.0[..1]);
    let (raw, parsed) = briefwerk::load::parse(&sources);
    assert!(parsed.0.is_empty(), "{:?}", &parsed.0[..1]);
    let today = chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
    let (site, validated) = briefwerk::validate::validate(raw, &sources, &config, today);
    assert!(validated.0.is_empty(), "{:?}", &validated.0[..1]);
    assert_eq!(site.unwrap().incidents.len(), ROWS + 5);
}

/// A row in ACLED's columns for JNIM at Kangaba (Koulikoro) on `date`, `at` km east.
fn kangaba(id: &str, date: &str, lon: &str) -> String {
    format!(
        "{id},{date},2017,1,Political violence,Violence against civilians,Attack,JNIM: Group for Support of Islam and Muslims,,2,Civilians (Mali),,7,27,Civilian targeting,466,Western Africa,Mali,Bamako,,,Kangaba,12.58,{lon},1,Wire,National,n,5,,1"
    )
}

#[test]
fn rows_that_repeat_a_hand_written_record_are_reported_and_not_created_unless_asked() {
    let t = SiteTest::fixture("basic");
    let path = t.dir.path().join("dup.csv");
    // Same day and group as the hand-written Kangaba record: within 25 km (MLI1, though its
    // admin1 differs), then 60 km away in another region (MLI2), then another day (MLI3).
    std::fs::write(
        &path,
        format!(
            "{HEADER}\n{}\n{}\n{}\n",
            kangaba("MLI1", "2017-06-18", "-7.90"),
            kangaba("MLI2", "2017-06-18", "-7.38"),
            kangaba("MLI3", "2017-06-25", "-7.90")
        ),
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let (code, err) = run(&t.root, &["import", "acled", p]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("dup.csv:2: `acled-mli1` may be the same event as `2017-06-18-kangaba` in content/incidents/2017-06-18-kangaba.md"),
        "{err}"
    );
    assert!(
        !err.contains("acled-mli2` may be") && !err.contains("acled-mli3` may be"),
        "{err}"
    );
    assert!(
        err.lines().last().unwrap().ends_with(
            "2 created, 0 updated, 0 unchanged, 0 malformed, 1 not created as possible duplicates"
        ),
        "{err}"
    );
    let written =
        std::fs::read_to_string(t.root.join("content/incidents/acled-2017.yaml")).unwrap();
    assert!(!written.contains("acled-mli1"), "{written}");
    assert!(written.contains("acled-mli2") && written.contains("acled-mli3"));

    // Again: nothing changes, the row is still held back.
    let (code, err) = run(&t.root, &["import", "acled", p]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("0 created, 0 updated, 2 unchanged, 0 malformed, 1 not created"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(t.root.join("content/incidents/acled-2017.yaml")).unwrap(),
        written
    );

    // Asked for, it is created, still reported; `check` then warns about the pair.
    let (code, err) = run(&t.root, &["import", "acled", p, "--allow-duplicates"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("created all the same (--allow-duplicates)"),
        "{err}"
    );
    assert!(err.contains("1 created, 0 updated, 2 unchanged"), "{err}");
    let checked = briefwerk::check(&t.root, &BuildOptions::default()).unwrap();
    assert!(
        checked
            .warnings
            .0
            .iter()
            .any(|w| w.code == "possible-duplicate"),
        "{:?}",
        checked.warnings
    );
}
