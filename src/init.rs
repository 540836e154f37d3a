//! `briefwerk init` (issue 5): creates a new site that builds at once, from the binary alone.
//!
//! Takes a directory, writes `site.yaml`, a copy of the default theme (from the copy embedded
//! in the binary, so no checkout of this repository is needed), one example of every content
//! type that cross-reference each other, and a `.gitignore` for the output. It refuses a
//! non-empty directory unless forced, and even then never overwrites a file: an editor's
//! existing work is worth more than an example. It never prints.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// What `init` did.
#[derive(Debug, Clone, Default)]
pub struct InitReport {
    /// Files written, relative to the directory, `/`-separated.
    pub written: Vec<String>,
    /// Files that already existed and were left alone (only with `force`).
    pub kept: Vec<String>,
}

const SITE_YAML: &str = r#"# The site's settings. Every key is described in docs/content.md of briefwerk.
title: New Briefing Site
description: Incidents, armed groups and analysis.
# The address where the site will be published; links in feeds and the sitemap use it.
base_url: https://example.org/
language: en
# author: Your desk or institution
# paginate_by: 50
# output_dir: public
# Take each page's "last updated" date from git history (off by default, so that two
# builds of the same content are identical).
# git_info: true
"#;

const GITIGNORE: &str = "/public\n";

const HOME: &str = r#"---
title: Welcome
---
This site was created by `briefwerk init`. Its group, incident and briefing are fictional
examples showing the format: delete them and add your own with `briefwerk new` (this text
links to none of them, so the site checks clean without them). Say who you are on the
[about page](@page/about).
"#;

const GROUP: &str = r#"---
# A fictional example: delete it once you have real profiles.
name: Example Armed Group
short_name: EAG
aliases: [Example Front]
founded: "2015-06"
status: active
leaders:
  - {name: Example Leader, role: emir, from: "2015-06"}
area: [ML]
ideology: Example ideology
---
This profile is an example of the group format. Incidents name the group by its id,
`example-armed-group`, and each record links back here.
"#;

const INCIDENT: &str = r#"---
# A fictional example: delete it once you have real records.
title: Example attack on a checkpoint
date: "2024-03-14"
location: {place: Example Town, admin1: Example Region, country: ML}
groups: [example-armed-group]
attribution: claimed
event_type: attack
targets:
  - {actor: Example Security Forces, kind: state_forces}
casualties: {killed: 2, wounded: {min: 3, max: 5}}
tags: [example]
summary: An example record showing every common field.
sources:
  - {title: Example report, url: "https://example.org/report", publisher: Example News, date: "2024-03-15"}
---
The narrative of the incident, in Markdown. Links to other records use their ids, as in
[the group's profile](@group/example-armed-group).
"#;

const BRIEFING: &str = r#"---
title: An example briefing
date: "2024-04-02"
authors: [Example Analyst]
summary: What a briefing looks like.
groups: [example-armed-group]
incidents: [2024-03-14-example-attack-on-a-checkpoint]
tags: [example]
---
## Context

Briefings cite the incidents they rest on, such as
[the checkpoint attack](@incident/2024-03-14-example-attack-on-a-checkpoint).

## Assessment

Level-2 headings become the briefing's table of contents.
"#;

const ABOUT: &str = r#"---
title: About
description: Who publishes this site and how records are coded.
---
Say who you are, how incidents are selected and coded, and how to contact you.
"#;

/// The example site, apart from the theme: (path, text).
const FILES: &[(&str, &str)] = &[
    ("site.yaml", SITE_YAML),
    (".gitignore", GITIGNORE),
    ("content/_index.md", HOME),
    ("content/groups/example-armed-group.md", GROUP),
    (
        "content/incidents/2024-03-14-example-attack-on-a-checkpoint.md",
        INCIDENT,
    ),
    ("content/briefings/2024-04-02-example-briefing.md", BRIEFING),
    ("content/pages/about.md", ABOUT),
];

/// Creates a site in `dir` (created if missing). Refuses a non-empty `dir` unless `force`.
pub fn init(dir: &Path, force: bool) -> Result<InitReport, Error> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() && !force {
                return Err(Error::Refused(format!(
                    "`{}` is not empty; choose an empty or new directory, or pass --force \
                     (which adds the missing files and overwrites none)",
                    dir.display()
                )));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        Err(e) => return Err(Error::io(dir, e)),
    }
    let theme = crate::render::theme::embedded()
        .iter()
        .map(|(rel, bytes)| (format!("themes/default/{rel}"), *bytes));
    let site = FILES
        .iter()
        .map(|(rel, text)| ((*rel).to_string(), text.as_bytes()));
    let mut report = InitReport::default();
    let guard = crate::site_files::SiteDir::new(dir)?;
    for (rel, bytes) in site.chain(theme) {
        let path: PathBuf = rel.split('/').fold(dir.to_path_buf(), |p, c| p.join(c));
        if let Some(parent) = path.parent() {
            // `init --force` in a folder whose `content/` or `themes/` is a link out of it
            // would otherwise write the example site wherever the link points.
            guard.resolve(parent).map_err(|d| {
                let mut all = crate::diagnostic::Diagnostics::default();
                all.push(d);
                Error::Invalid(all)
            })?;
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                use std::io::Write as _;
                f.write_all(bytes).map_err(|e| Error::io(&path, e))?;
                report.written.push(rel);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => report.kept.push(rel),
            Err(e) => return Err(Error::io(&path, e)),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BuildOptions;

    #[test]
    fn the_new_site_builds_without_warnings() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let r = init(&site, false).unwrap();
        assert!(
            r.written
                .iter()
                .any(|f| f == "themes/default/archetypes/incident.md"),
            "{:?}",
            r.written
        );
        let opts = BuildOptions {
            output: Some(dir.path().join("out")),
            ..BuildOptions::default()
        };
        let report = crate::build(&site, &opts).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(
            report.warnings.is_empty(),
            "{}",
            report.warnings.render(false)
        );
        assert_eq!(
            (report.incidents, report.groups, report.briefings),
            (1, 1, 1)
        );
    }

    #[test]
    fn deleting_the_examples_leaves_a_site_that_checks_clean() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        init(&site, false).unwrap();
        let examples: Vec<&str> = FILES
            .iter()
            .map(|(rel, _)| *rel)
            .filter(|rel| {
                [
                    "content/groups/",
                    "content/incidents/",
                    "content/briefings/",
                ]
                .iter()
                .any(|d| rel.starts_with(d))
            })
            .collect();
        assert_eq!(examples.len(), 3, "{examples:?}");
        for rel in examples {
            std::fs::remove_file(site.join(rel)).unwrap();
        }
        let report =
            crate::check(&site, &BuildOptions::default()).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(
            report.warnings.is_empty(),
            "{}",
            report.warnings.render(false)
        );
        assert_eq!(
            (report.incidents, report.groups, report.briefings),
            (0, 0, 0)
        );
    }

    #[test]
    fn refuses_a_non_empty_directory_unless_forced_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), "title: Mine\n").unwrap();
        assert!(init(dir.path(), false).is_err());
        let r = init(dir.path(), true).unwrap();
        assert_eq!(r.kept, ["site.yaml"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("site.yaml")).unwrap(),
            "title: Mine\n"
        );
    }
}
