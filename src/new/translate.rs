//! `briefwerk new <kind> <id> --lang fr` (issue 17): writes the translation file of an
//! existing record beside it, `<id>.fr.md`, its words copied from the record as a starting
//! point for the translator (the record itself is only read). The copy is plain YAML and
//! Markdown, not comments: the file is valid at once, and `check` counts it as translated
//! from then on, so a translator replaces the words rather than fills in blanks.

use std::path::{Path, PathBuf};

use crate::config::{self, BuildOptions};
use crate::content::raw::RawTarget;
use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::error::Error;
use crate::load::RawSite;

use super::{Kind, yaml_string};

/// What the editor asked to translate.
#[derive(Debug, Clone)]
pub struct Translate {
    /// Kind of the record (`page` with id `_index` is the home introduction).
    pub kind: Kind,
    /// The record's id.
    pub id: String,
    /// The language, one of the site's other than the default.
    pub lang: String,
}

/// A record's words as front matter lines and body.
struct Found {
    front: Vec<String>,
    body: String,
}

fn invalid(d: Diagnostic) -> Error {
    let mut all = Diagnostics::default();
    all.push(d);
    Error::Invalid(all)
}

/// Writes the translation of record `t.id` into `t.lang` beside the record and returns its
/// path. Refuses an existing translation, a language the site does not publish in, and an
/// unknown id (with "did you mean").
pub fn translate(root: &Path, t: &Translate) -> Result<PathBuf, Error> {
    let config = config::load(root, &BuildOptions::default())?;
    let tags: Vec<&str> = config.languages.iter().map(|l| l.tag()).collect();
    let tag = crate::locale::Lang::parse(&t.lang)
        .map(|l| l.tag().to_string())
        .map_err(|e| {
            invalid(Diagnostic::error(
                "invalid-argument",
                format!("`{}` is not a language tag: {}", e.tag, e.reason),
            ))
        })?;
    if !tags[1..].contains(&tag.as_str()) {
        let list = tags.join(", ");
        let d = match tags.len() {
            1 => Diagnostic::error(
                "invalid-argument",
                format!("the site has one language ({list}): there is nothing to translate into"),
            )
            .help(format!(
                "add `{tag}` to `languages:` in site.yaml first (`languages: [{list}, {tag}]`)"
            )),
            _ if tags[0] == tag => Diagnostic::error(
                "invalid-argument",
                format!("`{tag}` is the site's default language: the record holds its words"),
            ),
            _ => Diagnostic::error(
                "invalid-argument",
                format!("`{tag}` is not one of the site's languages ({list})"),
            ),
        };
        return Err(invalid(d));
    }
    if t.kind == Kind::Digest {
        return Err(invalid(Diagnostic::error(
            "invalid-argument",
            "digests (analysts' assessments) have no translation files",
        )));
    }
    let (sources, _) = crate::load::read_sources(root)?;
    let (raw, _) = crate::load::parse(&sources);
    let stem = |file: usize| sources.files[file].stem.clone();
    let (found, ids) = find(&raw, t, &stem);
    let Some((file, words)) = found else {
        let mut d = Diagnostic::error(
            "unknown-id",
            format!("there is no {} `{}` to translate", t.kind.name(), t.id),
        );
        d = match did_you_mean(&t.id, ids.iter().map(String::as_str)) {
            Some(m) => d.help(format!("did you mean `{m}`?")),
            None => d.help(format!(
                "give the id of an existing {} (its file name without `.md`)",
                t.kind.name()
            )),
        };
        return Err(invalid(d));
    };
    // Relative to the root whatever the root was given as (`--root .` included).
    let record = sources.files[file].rel.trim_start_matches("./");
    let folder = record.rsplit_once('/').map_or("content", |(d, _)| d);
    let rel = format!("{folder}/{}.{tag}.md", t.id);
    let path = root.join(&rel);
    if path.exists() || path.is_symlink() {
        return Err(invalid(
            Diagnostic::error(
                "file-exists",
                format!("refusing to overwrite: `{rel}` already exists"),
            )
            .help(format!("edit `{rel}`")),
        ));
    }
    let mut text = format!(
        "---\n# {tag} words of {record}, copied from it as a start: translate them.\n# Facts (dates, figures, groups, coordinates, sources) stay in the record only.\n"
    );
    for line in &words.front {
        text.push_str(line);
        text.push('\n');
    }
    text.push_str("---\n");
    text.push_str(&words.body);
    super::write_text(root, &rel, &path, &text)?;
    Ok(path)
}

/// `key: "value"` when there is a value.
fn opt(key: &str, v: &Option<String>) -> Option<String> {
    v.as_ref().map(|v| format!("{key}: {}", yaml_string(v)))
}

/// The record `t.id` of `t.kind` (its file index and words), and every id of that kind.
fn find(
    raw: &RawSite,
    t: &Translate,
    stem: &dyn Fn(usize) -> String,
) -> (Option<(usize, Found)>, Vec<String>) {
    let id_of = |explicit: &Option<String>, file: usize, in_list: bool| match explicit {
        Some(id) => Some(id.trim().to_string()),
        None if !in_list => Some(stem(file)),
        None => None,
    };
    let mut ids: Vec<String> = Vec::new();
    let mut hit = None;
    let mut see = |id: String, file: usize, words: &dyn Fn() -> Found| {
        if id == t.id {
            hit = Some((file, words()));
        }
        ids.push(id);
    };
    match t.kind {
        Kind::Incident => raw.incidents.iter().for_each(|r| {
            if let Some(id) = id_of(&r.raw.id, r.loc.file, !r.loc.prefix.is_empty()) {
                see(id, r.loc.file, &|| incident_words(r));
            }
        }),
        Kind::Group => raw.groups.iter().for_each(|r| {
            let id = id_of(&r.raw.id, r.loc.file, false).unwrap_or_default();
            see(id, r.loc.file, &|| group_words(r));
        }),
        Kind::Briefing => raw.briefings.iter().for_each(|r| {
            let id = id_of(&r.raw.id, r.loc.file, false).unwrap_or_default();
            see(id, r.loc.file, &|| Found {
                front: [opt("title", &r.raw.title), opt("summary", &r.raw.summary)]
                    .into_iter()
                    .flatten()
                    .collect(),
                body: r.body.clone(),
            });
        }),
        Kind::Page | Kind::Digest => raw.pages.iter().chain(raw.home.as_ref()).for_each(|r| {
            see(stem(r.loc.file), r.loc.file, &|| Found {
                front: [
                    opt("title", &r.raw.title),
                    opt("description", &r.raw.description),
                ]
                .into_iter()
                .flatten()
                .collect(),
                body: r.body.clone(),
            });
        }),
    }
    (hit, ids)
}

/// An incident's words: title, summary, place, targets' names, body.
fn incident_words(r: &crate::load::Record<crate::content::raw::RawIncident>) -> Found {
    let mut front: Vec<String> = [opt("title", &r.raw.title), opt("summary", &r.raw.summary)]
        .into_iter()
        .flatten()
        .collect();
    if let Some(place) = r.raw.location.as_ref().and_then(|l| l.place.as_ref()) {
        front.push(format!("location:\n  place: {}", yaml_string(place)));
    }
    if !r.raw.targets.is_empty() {
        front.push("targets:".into());
        for target in &r.raw.targets {
            let name = match target {
                RawTarget::Name(n) => Some(n.as_str()),
                RawTarget::Actor(a) => a.actor.as_deref(),
            };
            front.push(format!("  - {}", name.map_or("~".into(), yaml_string)));
        }
    }
    Found {
        front,
        body: r.body.clone(),
    }
}

/// A group's words: name, short name, aliases, leaders' roles (by name), body.
fn group_words(r: &crate::load::Record<crate::content::raw::RawGroup>) -> Found {
    let mut front: Vec<String> = [
        opt("name", &r.raw.name),
        opt("short_name", &r.raw.short_name),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !r.raw.aliases.is_empty() {
        let list: Vec<String> = r.raw.aliases.iter().map(|a| yaml_string(a)).collect();
        front.push(format!("aliases: [{}]", list.join(", ")));
    }
    if !r.raw.leaders.is_empty() {
        front.push("leaders:".into());
        for l in &r.raw.leaders {
            let name = l.name.as_deref().map_or("~".into(), yaml_string);
            front.push(format!("  - name: {name}"));
            if let Some(role) = &l.role {
                front.push(format!("    role: {}", yaml_string(role)));
            }
        }
    }
    Found {
        front,
        body: r.body.clone(),
    }
}
