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
