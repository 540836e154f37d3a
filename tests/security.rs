//! briefwerk as a hostile contributor and a careless user would try it (issue 14): script
//! from content, symlinks and special files out of the site, closed pipes. Each test states
//! what an attacker tried and what a reader or an editor must (not) see.

mod support;

use briefwerk::{BuildOptions, Error};
use support::SiteTest;

/// The error diagnostics of a failed build, as (code, file, line, column, message).
fn errors(r: Result<briefwerk::BuildReport, Error>) -> Vec<(String, String, usize, usize, String)> {
    match r {
        Err(Error::Invalid(d)) => d
            .0
            .iter()
            .filter(|d| d.severity == briefwerk::Severity::Error)
            .map(|d| {
                let (file, line, col) = d.location.as_ref().map_or((String::new(), 0, 0), |l| {
                    (l.path.clone(), l.start.line, l.start.col)
                });
                (d.code.to_string(), file, line, col, d.message.clone())
            })
            .collect(),
        Err(e) => panic!("expected located errors, got {e}"),
        Ok(_) => panic!("the build succeeded"),
    }
}

#[test]
fn heading_attribute_script_is_refused_under_every_raw_html_policy() {
    for policy in ["sanitize", "escape", "allow"] {
        let t = SiteTest::fixture("basic");
        let yaml = std::fs::read_to_string(t.root.join("site.yaml")).unwrap();
        t.write(
            "site.yaml",
            &format!("{yaml}markdown: {{raw_html: {policy}}}\n"),
        );
        let page = std::fs::read_to_string(t.root.join("content/pages/methodology.md")).unwrap();
        t.write(
            "content/pages/methodology.md",
            &format!("{page}\n### Hi {{#h autofocus tabindex=0 onfocus=alert(document.domain)}}\n"),
        );
        let errs = errors(t.build());
        let codes: Vec<_> = errs.iter().map(|e| e.4.as_str()).collect();
        assert_eq!(errs.len(), 3, "{policy}: {codes:?}");
        for (code, file, line, col, _) in &errs {
            assert_eq!(code, "unsafe-attribute");
            assert_eq!(file, "content/pages/methodology.md");
            assert_eq!((*line, *col), (6, 8), "{policy}");
        }
        assert!(codes.iter().any(|m| m.contains("`onfocus`")), "{codes:?}");
        // Nothing was published: a reader never gets the page.
        assert!(!t.out.exists(), "{policy}: output written");
        // `check` says the same, so CI on a pull request fails before anything is built.
        let Err(Error::Invalid(d)) = briefwerk::check(&t.root, &BuildOptions::default()) else {
            panic!("{policy}: check passed");
        };
        assert!(d.0.iter().any(|d| d.code == "unsafe-attribute"));
    }
}

// ---------------------------------------------------------------------------------------
// Closed pipes: `briefwerk build | head -0`, `briefwerk check 2>&-`, a CI log collector that
// went away. Printing is a courtesy; the exit status says whether the command worked.

/// Runs the binary with `args`, its stdout and/or stderr a pipe whose reading end is
/// already closed (every write fails with EPIPE), and returns its exit code.
fn run_with_closed_pipes(args: &[&std::ffi::OsStr], stdout: bool, stderr: bool) -> Option<i32> {
    use std::process::{Command, Stdio};
    let closed = || {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        Stdio::from(writer)
    };
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_briefwerk"));
    cmd.args(args).stdin(Stdio::null());
    cmd.stdout(if stdout { closed() } else { Stdio::null() });
    cmd.stderr(if stderr { closed() } else { Stdio::null() });
    cmd.status().unwrap().code()
}

#[test]
fn build_check_and_new_exit_cleanly_when_their_output_pipes_are_closed() {
    let t = SiteTest::fixture("basic");
    let os = |s: &str| std::ffi::OsString::from(s);
    let root = t.root.clone().into_os_string();
    let out = t.out.clone().into_os_string();
    for (stdout, stderr) in [(true, false), (false, true), (true, true)] {
        let what = format!("stdout closed: {stdout}, stderr closed: {stderr}");
        let _ = std::fs::remove_dir_all(&t.out);
        let build = [
            os("build"),
            os("--root"),
            root.clone(),
            os("--output"),
            out.clone(),
        ];
        let args: Vec<&std::ffi::OsStr> = build.iter().map(|s| s.as_os_str()).collect();
        assert_eq!(
            run_with_closed_pipes(&args, stdout, stderr),
            Some(0),
            "build, {what}"
        );
        assert!(t.out.join("index.html").is_file(), "build, {what}: no site");

        let check = [
            os("check"),
            os("--root"),
            root.clone(),
            os("--format"),
            os("json"),
        ];
        let args: Vec<&std::ffi::OsStr> = check.iter().map(|s| s.as_os_str()).collect();
        assert_eq!(
            run_with_closed_pipes(&args, stdout, stderr),
            Some(0),
            "check, {what}"
        );

        let title = format!("Closed pipe {}{}", stdout as u8, stderr as u8);
        let new = [
            os("new"),
            os("page"),
            os(&title),
            os("--root"),
            root.clone(),
        ];
        let args: Vec<&std::ffi::OsStr> = new.iter().map(|s| s.as_os_str()).collect();
        assert_eq!(
            run_with_closed_pipes(&args, stdout, stderr),
            Some(0),
            "new, {what}"
        );
        let slug = format!("closed-pipe-{}{}", stdout as u8, stderr as u8);
        assert!(
            t.root.join(format!("content/pages/{slug}.md")).is_file(),
            "new, {what}: no page"
        );
    }
    // A failing check still fails (1), it does not panic (101) while printing its errors.
    t.write(
        "content/incidents/2017-06-18-kangaba.md",
        "---\ntitle: K\ndate: \"2017-06-18\"\nlocation: {country: ML}\ngroups: [jnm]\n---\n",
    );
    for format in ["json", "human"] {
        let check = [
            os("check"),
            os("--root"),
            root.clone(),
            os("--format"),
            os(format),
        ];
        let args: Vec<&std::ffi::OsStr> = check.iter().map(|s| s.as_os_str()).collect();
        assert_eq!(
            run_with_closed_pipes(&args, true, true),
            Some(1),
            "{format}"
        );
    }
}

#[test]
fn build_with_stderr_closed_by_the_shell_succeeds_and_writes_nothing_into_the_site() {
    // `2>&-` leaves descriptor 2 closed: the first file the build opens could get it, and
    // whatever it then prints would land in that file. The build must succeed and every
    // published page must be exactly what a normal build publishes.
    let t = SiteTest::fixture("basic");
    let normal = t.dir.path().join("normal");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg("\"$0\" build --root \"$1\" --output \"$2\" 2>&- >&-")
        .arg(env!("CARGO_BIN_EXE_briefwerk"))
        .arg(&t.root)
        .arg(&t.out)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    t.build_with(BuildOptions {
        output: Some(normal.clone()),
        ..BuildOptions::default()
    })
    .unwrap();
    for e in walkdir::WalkDir::new(&normal) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(&normal).unwrap();
            assert_eq!(
                std::fs::read(e.path()).unwrap(),
                std::fs::read(t.out.join(rel)).unwrap(),
                "{}",
                rel.display()
            );
        }
    }
}
