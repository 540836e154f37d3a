//! Translations of records (issue 17): the words of a record in another of the site's
//! languages, read from a file beside the record (`<id>.fr.md`). A translation holds words
//! only — never dates, figures, groups, places' coordinates or attribution — so a record's
//! facts are written once and every language site shows the same facts.
//!
//! Built by `validate` from translation files; read by `render` for each language site.
//! Holds no fallbacks: a missing translation or field is `None`, and the renderer decides
//! what a reader sees then (the default language's words, marked).

use std::collections::BTreeMap;

/// Which kind of record a translation belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordKind {
    /// An incident (`content/incidents/`).
    Incident,
    /// An armed group's profile (`content/groups/`).
    Group,
    /// A briefing (`content/briefings/`).
    Briefing,
    /// A free page (`content/pages/`).
    Page,
    /// The home page's introduction (`content/_index.md`, id `_index`).
    Home,
}

/// One record's words in one language. Every field is optional: what is absent is shown
/// in the default language.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Translation {
    /// The translation file, relative to the site root, `/`-separated (for diagnostics and
    /// the "stale translation" check).
    pub path: String,
    /// Headline (incident, briefing, page) or full name (group).
    pub title: Option<String>,
    /// One-paragraph summary (incident, briefing), or a page's (and the home
    /// introduction's) `description`.
    pub summary: Option<String>,
    /// `location.place` of an incident.
    pub place: Option<String>,
    /// A group's short name.
    pub short_name: Option<String>,
    /// A group's other names.
    pub aliases: Option<Vec<String>>,
    /// A group's leaders' roles, by the leader's position in the record's `leaders`.
    pub leader_roles: BTreeMap<usize, String>,
    /// Target names of an incident (a plain target's name, an object's `actor`), by the
    /// target's position in `targets`.
    pub targets: BTreeMap<usize, String>,
    /// The Markdown body (empty when the translation has none).
    pub body: String,
    /// Index of the file in the loaded sources, and the body's byte offset in it (as
    /// `Origin` for records).
    pub origin: super::Origin,
}

/// Every translation of the site: by record, then by language tag (`fr`, `ar-MA`).
#[derive(Debug, Clone, Default)]
pub struct Translations(pub BTreeMap<(RecordKind, String), BTreeMap<String, Translation>>);

impl Translations {
    /// The translation of record `id` of `kind` into language `tag`, if there is one.
    pub fn get(&self, kind: RecordKind, id: &str, tag: &str) -> Option<&Translation> {
        self.0.get(&(kind, id.to_string()))?.get(tag)
    }

    /// How many records of `kind` have a translation into `tag`.
    pub fn count(&self, kind: RecordKind, tag: &str) -> usize {
        self.0
            .iter()
            .filter(|((k, _), by_lang)| *k == kind && by_lang.contains_key(tag))
            .count()
    }
}

/// How much of a site is translated into one language: (translated, published) per kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// The language's tag.
    pub lang: String,
    /// Incidents translated, of those published.
    pub incidents: (usize, usize),
    /// Group profiles translated, of those published.
    pub groups: (usize, usize),
    /// Briefings translated, of those published.
    pub briefings: (usize, usize),
    /// Free pages translated, of those published.
    pub pages: (usize, usize),
}

impl Coverage {
    /// The coverage of `site` in language `tag`.
    pub fn of(site: &super::Site, tag: &str) -> Coverage {
        let t = &site.translations;
        Coverage {
            lang: tag.to_string(),
            incidents: (t.count(RecordKind::Incident, tag), site.incidents.len()),
            groups: (t.count(RecordKind::Group, tag), site.groups.len()),
            briefings: (t.count(RecordKind::Briefing, tag), site.briefings.len()),
            pages: (t.count(RecordKind::Page, tag), site.pages.len()),
        }
    }

    /// `check`'s line for it: `fr: 18 of 24 incidents, 14 of 15 groups, 2 of 3 briefings,
    /// 2 of 2 pages translated`.
    pub fn line(&self) -> String {
        let part = |(n, of): (usize, usize), one: &str, many: &str| {
            format!("{n} of {of} {}", if of == 1 { one } else { many })
        };
        format!(
            "{}: {}, {}, {}, {} translated",
            self.lang,
            part(self.incidents, "incident", "incidents"),
            part(self.groups, "group", "groups"),
            part(self.briefings, "briefing", "briefings"),
            part(self.pages, "page", "pages"),
        )
    }
}

impl Translations {
    /// Records whose translations differ between `self` (an earlier build) and `new`: one
    /// added, removed or edited, in any language (`serve` marks these records changed).
    pub fn changed(&self, new: &Translations) -> Vec<(RecordKind, String)> {
        let keys: std::collections::BTreeSet<&(RecordKind, String)> =
            self.0.keys().chain(new.0.keys()).collect();
        keys.into_iter()
            .filter(|k| self.0.get(*k) != new.0.get(*k))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_names_records_whose_translations_were_added_edited_or_removed() {
        let one = |title: &str| Translation {
            title: Some(title.into()),
            ..Translation::default()
        };
        let site = |entries: &[(RecordKind, &str, &str, &str)]| {
            let mut t = Translations::default();
            for (kind, id, tag, title) in entries {
                t.0.entry((*kind, id.to_string()))
                    .or_default()
                    .insert(tag.to_string(), one(title));
            }
            t
        };
        let old = site(&[
            (RecordKind::Incident, "a", "fr", "A"),
            (RecordKind::Group, "g", "fr", "G"),
            (RecordKind::Page, "p", "fr", "P"),
        ]);
        let new = site(&[
            (RecordKind::Incident, "a", "fr", "A2"),
            (RecordKind::Group, "g", "fr", "G"),
            (RecordKind::Briefing, "b", "ar", "B"),
        ]);
        assert_eq!(
            old.changed(&new),
            [
                (RecordKind::Incident, "a".to_string()),
                (RecordKind::Briefing, "b".to_string()),
                (RecordKind::Page, "p".to_string()),
            ]
        );
        assert_eq!(new.count(RecordKind::Group, "fr"), 1);
        assert_eq!(new.count(RecordKind::Group, "ar"), 0);
    }
}
