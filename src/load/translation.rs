//! Translation files (issue 17): `<id>.<lang>.md` beside a record, holding that record's
//! words in another of the site's languages. Here: which files are translations (by name
//! alone, before any configuration is read) and their parse. A fact written in a
//! translation is kept apart from a misspelt field, so that `validate` can say where the
//! fact is written instead (it knows the record's file; this stage does not).

use std::path::Path;

use crate::content::RecordKind;
use crate::content::frontmatter;
use crate::content::raw::RawWords;
use crate::diagnostic::{Diagnostic, Location};
use crate::yaml;

use super::{FileParse, Kind, Parsed, Placer, RecordLoc, SourceFile};

/// A translation file as read: which record it names, in which language, its words and
/// the facts it wrongly holds.
#[derive(Debug, Clone)]
pub struct RawTranslation {
    /// The kind of record it translates (by its folder).
    pub of: RecordKind,
    /// The record's id (the file name before the language suffix).
    pub id: String,
    /// The language suffix as written (`fr`, `ar-MA`).
    pub lang: String,
    /// Its words (the fields in error left out).
    pub words: RawWords,
    /// Fact fields written in it, each placed: reported by `validate` with the record's path.
    pub facts: Vec<(String, Location)>,
    /// Markdown body.
    pub body: String,
    /// Where it is.
    pub loc: RecordLoc,
}

/// The record id and language of a file named `<id>.<lang>.md`, when the part after the
/// last dot of the stem is a language tag of the usual shape (language, optional script and
/// region). Ids are `[a-z0-9-]+`, so a dotted stem names no record and the suffix is
/// unambiguous.
pub(crate) fn split_stem(stem: &str) -> Option<(&str, &str)> {
    let (id, lang) = stem.rsplit_once('.')?;
    let alpha =
        |s: &str, n: &[usize]| n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic());
    let digits = |s: &str| s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit());
    // language, then an optional script and region: `fr`, `ar-MA`, `zh-Hant`, `es-419`.
    let mut parts = lang.split('-');
    let language = parts.next().is_some_and(|p| alpha(p, &[2, 3]));
    let rest: Vec<&str> = parts.collect();
    let shaped = match rest.as_slice() {
        [] => true,
        [one] => alpha(one, &[2, 4]) || digits(one),
        [script, region] => alpha(script, &[4]) && (alpha(region, &[2]) || digits(region)),
        _ => false,
    };
    (language && shaped && !id.is_empty() && crate::locale::Lang::parse(lang).is_ok())
        .then_some((id, lang))
}

/// The kind of record a translation file in `content/` translates, from the kind its path
/// would have as a record.
pub(crate) fn translates(kind: Kind) -> Option<RecordKind> {
    match kind {
        Kind::Incident => Some(RecordKind::Incident),
        Kind::Group => Some(RecordKind::Group),
        Kind::Briefing => Some(RecordKind::Briefing),
        Kind::Page => Some(RecordKind::Page),
        Kind::Home => Some(RecordKind::Home),
        _ => None,
    }
}

/// The record kind of a translation file, from its path relative to the site root.
fn of(rel: &str) -> RecordKind {
    let in_content = rel.strip_prefix("content/").unwrap_or(rel);
    match in_content.split('/').next() {
        Some("incidents") => RecordKind::Incident,
        Some("groups") => RecordKind::Group,
        Some("briefings") => RecordKind::Briefing,
        Some("pages") => RecordKind::Page,
        _ => RecordKind::Home,
    }
}

/// Fields of the record that a translation may not hold, by YAML path of the mapping
/// they are in (`""` for the top, `location`, `leaders[]`).
fn facts_of(of: RecordKind, mapping: &str) -> &'static [&'static str] {
    match (of, mapping) {
        (RecordKind::Incident, "") => &[
            "id",
            "date",
            "end_date",
            "groups",
            "attribution",
            "claims",
            "event_type",
            "casualties",
            "tags",
            "sources",
            "distinct_from",
            "same_event_as",
            "draft",
            "body",
        ],
        (RecordKind::Incident, "location") => {
            &["admin1", "admin2", "country", "lat", "lon", "precision"]
        }
        (RecordKind::Group, "") => &[
            "id",
            "founded",
            "dissolved",
            "status",
            "affiliations",
            "merged_from",
            "merged_into",
            "area",
            "ideology",
            "acled_actor",
            "inter",
            "relationships",
            "draft",
        ],
        (RecordKind::Group, "leaders[]") => &["from", "to"],
        (RecordKind::Briefing, "") => &[
            "id",
            "date",
            "authors",
            "groups",
            "incidents",
            "tags",
            "data_cutoff",
            "draft",
        ],
        (RecordKind::Page | RecordKind::Home, "") => &["draft"],
        _ => &[],
    }
}

/// `leaders[3]` → `leaders[]`: the mapping's place without list positions.
fn without_indices(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut skipping = false;
    for c in path.chars() {
        match c {
            '[' => {
                skipping = true;
                out.push('[');
            }
            ']' => {
                skipping = false;
                out.push(']');
            }
            _ if skipping => {}
            _ => out.push(c),
        }
    }
    out
}

/// Parses a translation file: its words, every error in them, and its fact fields apart.
pub(super) fn parse(index: usize, f: &SourceFile) -> FileParse {
    let split = match frontmatter::split(&f.text) {
        Ok(s) => s,
        Err(e) => return super::failed(super::split_error(f, e)),
    };
    let (id, lang) = split_stem(&f.stem).unwrap_or((&f.stem, ""));
    let of = of(&f.rel);
    let yaml_text = if split.yaml.trim().is_empty() {
        "{}"
    } else {
        split.yaml
    };
    let base = split.yaml_offset;
    let place = Placer::new(f);
    let mut diags = Vec::new();
    let mut facts = Vec::new();
    let mut dropped = Vec::new();
    let mut read = |errors: Vec<yaml::YamlError>, d: Vec<yaml::Dropped>, truncated: bool| {
        for e in errors {
            if let yaml::ErrorKind::UnknownField { field, .. } = &e.kind
                && facts_of(of, &without_indices(&e.path)).contains(&field.as_str())
            {
                let (s, end) = e
                    .span
                    .or_else(|| yaml::locate_error(yaml_text, &e))
                    .unwrap_or((0, 0));
                let written = match e.path.as_str() {
                    "" => field.clone(),
                    p => format!("{p}.{field}"),
                };
                facts.push((written, place.at(base + s, base + end)));
                continue;
            }
            diags.push(super::yaml_error(&place, base, yaml_text, Box::new(e)));
        }
        if truncated {
            diags.push(super::truncated(&place, base));
        }
        dropped = d;
    };
    fn words<T: serde::de::DeserializeOwned + Default>(
        text: &str,
        read: &mut impl FnMut(Vec<yaml::YamlError>, Vec<yaml::Dropped>, bool),
    ) -> Option<T> {
        let c = yaml::from_str_collecting::<T>(text);
        let syntax = c.value.is_none();
        read(c.errors, c.dropped, c.truncated);
        (!syntax).then(|| c.value.unwrap_or_default())
    }
    let words = match of {
        RecordKind::Incident => words(yaml_text, &mut read).map(RawWords::Incident),
        RecordKind::Group => words(yaml_text, &mut read).map(RawWords::Group),
        RecordKind::Briefing => words(yaml_text, &mut read).map(RawWords::Briefing),
        RecordKind::Page | RecordKind::Home => words(yaml_text, &mut read).map(RawWords::Page),
    };
    let Some(words) = words else {
        return FileParse {
            parsed: None,
            diags,
            lost: None,
        };
    };
    let loc = RecordLoc {
        file: index,
        yaml: split.yaml_offset..split.yaml_offset + split.yaml.len(),
        prefix: Vec::new(),
        body_offset: split.body_offset,
        dropped: std::sync::Arc::new(dropped),
    };
    FileParse {
        parsed: Some(Parsed::Translation(RawTranslation {
            of,
            id: id.to_string(),
            lang: lang.to_string(),
            words,
            facts,
            body: split.body.to_string(),
            loc,
        })),
        diags,
        lost: None,
    }
}

/// Whether a content file at `in_content` (relative to `content/`) of record kind `kind`
/// is a translation file instead.
pub(super) fn is_translation(in_content: &Path, kind: Kind) -> bool {
    translates(kind).is_some()
        && in_content
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(split_stem)
            .is_some()
}

/// A diagnostic placed at the whole of a translation file (for `Unparsed` bookkeeping).
#[allow(dead_code)]
fn at_file(rel: &str, d: Diagnostic) -> Diagnostic {
    d.at(Location::file(rel), "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_suffix_makes_a_translation_and_nothing_else_does() {
        assert_eq!(
            split_stem("2017-06-18-kangaba.fr"),
            Some(("2017-06-18-kangaba", "fr"))
        );
        assert_eq!(split_stem("jnim.ar-MA"), Some(("jnim", "ar-MA")));
        assert_eq!(split_stem("_index.fr"), Some(("_index", "fr")));
        for not in [
            "2017-06-18-kangaba",
            "report.v2",
            "a.1",
            ".fr",
            "x.f",
            "x.fr_FR",
        ] {
            assert_eq!(split_stem(not), None, "{not}");
        }
        let kind = |p: &str| super::super::kind_of(Path::new(p));
        assert_eq!(kind("incidents/2017/x.fr.md"), Some(Kind::Translation));
        assert_eq!(kind("groups/jnim.fr.md"), Some(Kind::Translation));
        assert_eq!(kind("pages/about.fr.md"), Some(Kind::Translation));
        assert_eq!(kind("_index.fr.md"), Some(Kind::Translation));
        assert_eq!(kind("_index.md"), Some(Kind::Home));
        assert_eq!(kind("_index.old-notes.md"), None);
        assert_eq!(kind("incidents/list.fr.yaml"), Some(Kind::IncidentList));
        assert_eq!(kind("digests/ml/2017-06.md"), Some(Kind::Digest));
    }

    #[test]
    fn facts_are_told_apart_from_misspelt_words() {
        assert_eq!(without_indices("leaders[12]"), "leaders[]");
        assert!(facts_of(RecordKind::Group, "leaders[]").contains(&"from"));
        assert!(facts_of(RecordKind::Incident, "location").contains(&"lat"));
        assert!(!facts_of(RecordKind::Incident, "").contains(&"title"));
    }
}
