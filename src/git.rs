//! Dates from git (issue 5, `git_info: true`): when was each source file last changed?
//!
//! Takes the site root, returns a map from file path (relative to the root, `/`-separated) to
//! the author date of the last commit that touched it. It runs ONE `git log` for the whole
//! tree, never one per file, so a site with thousands of records costs one process. It does
//! not print and does not decide what a missing repository means: the caller turns `Err` into
//! one warning and builds without dates.
//!
//! The author date is used rather than the committer date because rebases and cherry-picks
//! keep it, so the "last updated" line of a page does not move when history is rewritten.
//! Merge commits list no files (git shows no diff for them by default), so a change brought
//! in by a merge keeps the date of the commit that made it. In a shallow clone (common in CI)
//! files untouched by the fetched commits get no date at all, rather than a wrong one.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;

/// Marks the start of a commit in the `--format` output; it cannot occur in a date.
const COMMIT_MARK: char = '\u{1}';

/// Maps each file under `root` that git knows to the date of the last commit touching it.
///
/// Files never committed (new, untracked) are absent. Errors when `root` is not inside a git
/// work tree or git cannot be run; the message says which.
pub fn last_commit_dates(root: &Path) -> Result<BTreeMap<String, NaiveDate>, String> {
    let output = Command::new("git")
        .current_dir(root)
        // `-z` separates every name with NUL, so no path is ever quoted or escaped;
        // `--relative` with `-- .` keeps only files under the site root, relative to it.
        .args([
            "log",
            "-z",
            "--no-show-signature",
            "--no-renames",
            "--format=%x01%as",
            "--name-only",
            "--relative",
            "--",
            ".",
        ])
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or("").trim();
        return Err(if first.contains("not a git repository") {
            format!("{} is not in a git repository", root.display())
        } else if first.contains("does not have any commits") {
            format!(
                "the git repository at {} has no commits yet",
                root.display()
            )
        } else {
            format!("git log failed: {first}")
        });
    }
    parse_log(&String::from_utf8_lossy(&output.stdout))
}

/// Parses `git log -z --format=%x01%as --name-only`: NUL-separated tokens, where a token
/// starting with `\x01` opens a commit and carries its date, and the others are the paths
/// that commit touched. Git lists the newest commit first, so the first date seen for a path
/// is its last change.
fn parse_log(text: &str) -> Result<BTreeMap<String, NaiveDate>, String> {
    let mut dates = BTreeMap::new();
    let mut current: Option<NaiveDate> = None;
    for token in text.split('\0') {
        // The name list of a commit follows its header after a newline.
        let token = token.trim_start_matches('\n');
        if token.is_empty() {
            continue;
        }
        if let Some(date) = token.strip_prefix(COMMIT_MARK) {
            let date = date.trim();
            current = Some(
                NaiveDate::parse_from_str(date, "%Y-%m-%d")
                    .map_err(|e| format!("unexpected date `{date}` in git log output: {e}"))?,
            );
        } else if let Some(date) = current {
            dates.entry(token.to_string()).or_insert(date);
        }
    }
    Ok(dates)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str], date: &str) {
        let status = Command::new("git")
            .current_dir(dir)
            .args(args)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.org")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.org")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn last_change_wins_and_paths_are_relative_to_the_site_root() {
        let repo = tempfile::tempdir().unwrap();
        let site = repo.path().join("site");
        std::fs::create_dir_all(site.join("content/incidents")).unwrap();
        std::fs::write(repo.path().join("README"), "outside the site").unwrap();
        std::fs::write(site.join("site.yaml"), "title: T\n").unwrap();
        std::fs::write(site.join("content/incidents/a b.md"), "one").unwrap();
        std::fs::write(site.join("content/incidents/ségou.md"), "one").unwrap();
        git(repo.path(), &["init", "-q"], "2020-01-01T12:00:00Z");
        git(repo.path(), &["add", "."], "2020-01-01T12:00:00Z");
        git(
            repo.path(),
            &["commit", "-q", "-m", "first"],
            "2021-03-04T12:00:00Z",
        );
        std::fs::write(site.join("content/incidents/a b.md"), "two").unwrap();
        git(
            repo.path(),
            &["commit", "-q", "-am", "second"],
            "2022-05-06T12:00:00Z",
        );
        // A file changed but not committed keeps its committed date.
        std::fs::write(site.join("site.yaml"), "title: Changed\n").unwrap();

        let dates = last_commit_dates(&site).unwrap();
        assert_eq!(
            dates.get("content/incidents/a b.md"),
            Some(&d("2022-05-06"))
        );
        assert_eq!(
            dates.get("content/incidents/ségou.md"),
            Some(&d("2021-03-04"))
        );
        assert_eq!(dates.get("site.yaml"), Some(&d("2021-03-04")));
        assert!(
            !dates.contains_key("README") && !dates.contains_key("../README"),
            "{dates:?}"
        );
        assert_eq!(dates.len(), 3, "{dates:?}");
    }

    #[test]
    fn not_a_repository_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = last_commit_dates(dir.path()).unwrap_err();
        assert!(
            err.contains("not in a git repository") || err.contains("git"),
            "{err}"
        );
    }

    #[test]
    fn parses_names_after_each_commit_header() {
        let log = "\u{1}2024-02-03\0\nb.md\0c.md\0\0\u{1}2023-01-01\0\na.md\0b.md\0";
        let dates = parse_log(log).unwrap();
        assert_eq!(dates["a.md"], d("2023-01-01"));
        assert_eq!(dates["b.md"], d("2024-02-03"));
        assert_eq!(dates["c.md"], d("2024-02-03"));
    }
}
