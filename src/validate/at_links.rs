//! The links of every record's Markdown body — `@kind/id` targets first — checked with the
//! rest of validation, so that a broken link is reported in the same run as a bad date in
//! another record (issue 15 §5: rendering, which used to be the only place links were
//! checked, never runs while any record has an error).
//!
//! The checks are [`markdown::check`]'s, the same as rendering's, so the two cannot disagree;
//! only the help for an unknown target is better here: a "did you mean" drawn from a
//! budget ([`Budget`]), and for an incident with no close id, the nearest by title and date.
//! Bodies without an `@` are not parsed unless the run has errors already (then every body
//! is, for unsafe links and heading attributes too, which rendering would otherwise report).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use rayon::prelude::*;

use super::ctx::Ctx;
use crate::content::Incident;
use crate::content::date::PartialDate;
use crate::diagnostic::{Budget, Diagnostic, Suggester, Suggestion, did_you_mean};
use crate::ids::{is_valid_id, slug};
use crate::load::{Kind, RawSite, RecordLoc, Sources};
use crate::markdown::{self, BodySource, LinkResolver, Placer};

/// The kinds of `@` links.
const KINDS: [&str; 4] = ["incident", "group", "briefing", "page"];

/// One body to check: where its record is, and its text when it is not the rest of its
/// file (a record of a list file, whose body is a YAML string).
pub(super) struct Body {
    loc: RecordLoc,
    owned: Option<String>,
}

/// Every body that rendering would render: published records (drafts too with `--drafts`).
pub(super) fn bodies(raw: &RawSite, drafts: bool) -> Vec<Body> {
    let mut out = Vec::new();
    let mut add = |loc: &RecordLoc, body: &str, draft: bool| {
        if draft && !drafts {
            return;
        }
        out.push(Body {
            loc: loc.clone(),
            owned: (!loc.prefix.is_empty()).then(|| body.to_string()),
        });
    };
    raw.groups
        .iter()
        .for_each(|r| add(&r.loc, &r.body, r.raw.draft));
    raw.incidents
        .iter()
        .for_each(|r| add(&r.loc, &r.body, r.raw.draft));
    raw.briefings
        .iter()
        .for_each(|r| add(&r.loc, &r.body, r.raw.draft));
    raw.pages
        .iter()
        .for_each(|r| add(&r.loc, &r.body, r.raw.draft));
    if let Some(h) = &raw.home {
        add(&h.loc, &h.body, false);
    }
    raw.assessments
        .iter()
        .for_each(|r| add(&r.loc, &r.body, false));
    // A translated body's links are checked as its record's are.
    raw.translations
        .iter()
        .for_each(|t| add(&t.loc, &t.body, false));
    // In file order, so that one file's bodies are placed with one Placer.
    out.sort_by_key(|b| b.loc.file);
    out
}

/// What exists to link to.
pub(super) struct Known<'a> {
    /// Published incidents (valid or not).
    pub incidents: &'a BTreeMap<String, RecordLoc>,
    /// Valid incidents, for "nearest by title and date".
    pub valid: &'a [Incident],
    /// Drafts left out of this build.
    pub drafts: &'a BTreeSet<String>,
    /// Groups.
    pub groups: &'a BTreeMap<String, RecordLoc>,
    /// Briefings.
    pub briefings: &'a BTreeMap<String, RecordLoc>,
    /// Free pages.
    pub pages: BTreeSet<&'a str>,
    /// Ids of files that could not be read, by kind: links to them are not reported.
    pub unparsed: BTreeMap<&'static str, BTreeSet<String>>,
    /// Some incident ids could not be recovered: no incident link is reported.
    pub incident_ids_lost: bool,
}

impl Known<'_> {
    fn exists(&self, kind: &str, id: &str) -> bool {
        let listed = match kind {
            "incident" => self.incident_ids_lost || self.incidents.contains_key(id),
            "group" => self.groups.contains_key(id),
            "briefing" => self.briefings.contains_key(id),
            "page" => self.pages.contains(id),
            _ => return false,
        };
        listed || self.unparsed.get(kind).is_some_and(|u| u.contains(id))
    }
}

/// A link target that did not resolve: (kind, id).
type Miss = (String, String);

/// The resolver given to [`markdown::check`] for one file: it notes the targets it could
/// not resolve, in order, so their help can be written afterwards, in file order, from the
/// run's one budget (the same output whatever the threads did).
struct Noting<'k, 'a> {
    known: &'k Known<'a>,
    misses: Mutex<Vec<Miss>>,
}

impl LinkResolver for Noting<'_, '_> {
    fn resolve(&self, kind: &str, id: &str) -> Option<String> {
        self.known.exists(kind, id).then(String::new)
    }

    fn candidates(&self, _: &str) -> Vec<&str> {
        Vec::new()
    }

    fn help(&self, kind: &str, id: &str) -> Option<String> {
        self.misses
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((kind.to_string(), id.to_string()));
        None
    }
}

/// Checks every body (only those with an `@` unless `all`), adding the diagnostics to `cx`.
pub(super) fn check(
    cx: &mut Ctx<'_>,
    sources: &Sources,
    bodies: &[Body],
    known: &Known<'_>,
    all: bool,
) {
    fn text_of<'s>(sources: &'s Sources, b: &'s Body) -> &'s str {
        match &b.owned {
            Some(t) => t,
            None => sources.files[b.loc.file]
                .text
                .get(b.loc.body_offset..)
                .unwrap_or(""),
        }
    }
    let wanted: Vec<&Body> = bodies
        .iter()
        .filter(|b| all || text_of(sources, b).contains('@'))
        .collect();
    let files: Vec<&[&Body]> = wanted.chunk_by(|a, b| a.loc.file == b.loc.file).collect();
    let found: Vec<(Vec<Diagnostic>, Vec<Miss>)> = files
        .par_iter()
        .map(|group| {
            let f = &sources.files[group[0].loc.file];
            let resolver = Noting {
                known,
                misses: Mutex::new(Vec::new()),
            };
            let mut at = Placer::default();
            let mut diags = Vec::new();
            for b in group.iter() {
                at.next_body();
                let src = BodySource {
                    rel: &f.rel,
                    file_text: &f.text,
                    body_offset: b.loc.body_offset,
                };
                markdown::check(text_of(sources, b), &src, &resolver, &mut at, &mut diags);
            }
            let misses = resolver.misses.into_inner().unwrap_or_default();
            (diags, misses)
        })
        .collect();
    let mut helper = Helper::new(known);
    for (diags, misses) in found {
        let mut misses = misses.into_iter();
        for mut d in diags {
            if d.code == "unknown-link"
                && let Some((kind, id)) = misses.next()
                && let Some(h) = helper.help(&kind, &id, &cx.budget)
            {
                d = d.help(h);
            }
            cx.err(d);
        }
    }
}

/// Writes the help for unknown targets.
struct Helper<'k, 'a> {
    known: &'k Known<'a>,
    ids: BTreeMap<&'static str, Suggester<'k>>,
    /// Valid incidents with the words of their title and id, made on the first need.
    words: Option<Vec<(&'k Incident, Vec<String>)>>,
}

impl<'k, 'a> Helper<'k, 'a> {
    fn new(known: &'k Known<'a>) -> Helper<'k, 'a> {
        Helper {
            known,
            ids: BTreeMap::new(),
            words: None,
        }
    }

    fn help(&mut self, kind: &str, id: &str, budget: &Budget) -> Option<String> {
        let known = self.known;
        let Some(&kind) = KINDS.iter().find(|k| **k == kind) else {
            return Some(match did_you_mean(kind, KINDS) {
                Some(k) => format!("did you mean `@{k}/{id}`?"),
                None => {
                    "links to records start with `@incident/`, `@group/`, `@briefing/` or `@page/`"
                        .into()
                }
            });
        };
        if kind == "incident" && known.drafts.contains(id) {
            return Some(
                "this incident is a draft: publish it (remove `draft: true`) or build with `--drafts`"
                    .into(),
            );
        }
        let suggester = self.ids.entry(kind).or_insert_with(|| {
            Suggester::new(match kind {
                "incident" => known
                    .incidents
                    .keys()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
                "group" => known.groups.keys().map(String::as_str).collect(),
                "briefing" => known.briefings.keys().map(String::as_str).collect(),
                _ => known.pages.iter().copied().collect(),
            })
        });
        match suggester.suggest(id, budget) {
            Suggestion::Found(s) => Some(format!("did you mean `@{kind}/{s}`?")),
            Suggestion::NotSearched => Some(
                "no suggestion looked for: this run has already compared many unknown ids".into(),
            ),
            Suggestion::Nothing if kind == "incident" => self.nearest(id, budget),
            Suggestion::Nothing => None,
        }
    }

    /// The incident nearest to a link with no close id, by the words of its title (and
    /// id) and by its date: `@incident/kangaba` finds `2017-06-18-kangaba` ("Assault on the
    /// Kangaba resort"), `@incident/2017-06-18` the incident of that day.
    fn nearest(&mut self, id: &str, budget: &Budget) -> Option<String> {
        let (date, words) = read_link_id(id);
        if date.is_none() && words.is_empty() {
            return None;
        }
        let valid = self.known.valid;
        let indexed = self.words.get_or_insert_with(|| {
            valid
                .iter()
                .filter(|i| is_valid_id(&i.id))
                .map(|i| {
                    let mut w: Vec<String> = slug(&i.title)
                        .split('-')
                        .chain(i.id.split('-'))
                        .filter(|w| w.len() >= 3 && w.bytes().any(|b| b.is_ascii_alphabetic()))
                        .map(str::to_string)
                        .collect();
                    w.sort_unstable();
                    w.dedup();
                    (i, w)
                })
                .collect()
        });
        let matches = |word: &str, t: &str| {
            word == t
                || (word.len().min(t.len()) >= 4 && (t.starts_with(word) || word.starts_with(t)))
        };
        let mut best: Option<((usize, bool), &Incident)> = None;
        for (inc, tw) in indexed.iter() {
            if !budget.spend((words.len() * tw.len()) as u64 + 1) {
                return Some(
                    "no suggestion looked for: this run has already compared many unknown ids"
                        .into(),
                );
            }
            let shared = words
                .iter()
                .filter(|w| tw.iter().any(|t| matches(w, t)))
                .count();
            let same_day = date.is_some_and(|d| d.cmp_coarse(&inc.date).is_eq());
            if shared == 0 && !same_day {
                continue;
            }
            let score = (shared, same_day);
            // Ties go to the incident closest in date to the link's, then to the smaller id.
            let closer = |a: &Incident, b: &Incident| match date {
                Some(d) => {
                    let gap = |x: &Incident| (x.date.first_day() - d.first_day()).num_days().abs();
                    gap(a).cmp(&gap(b)).then_with(|| a.id.cmp(&b.id))
                }
                None => a.id.cmp(&b.id),
            };
            if best.is_none_or(|(bs, bi)| score > bs || (score == bs && closer(inc, bi).is_lt())) {
                best = Some((score, inc));
            }
        }
        let (_, inc) = best?;
        Some(format!(
            "no incident has an id close to `{id}`; the nearest by title and date is `@incident/{}` (“{}”, {})",
            inc.id,
            inc.title,
            inc.date.iso()
        ))
    }
}

/// The date a link id starts with (`2017-06-18-kangaba`) and its words of three letters or
/// more, lower case.
fn read_link_id(id: &str) -> (Option<PartialDate>, Vec<String>) {
    let parts: Vec<&str> = id
        .split(['-', '_', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    let digits = parts
        .iter()
        .take(3)
        .take_while(|p| p.bytes().all(|b| b.is_ascii_digit()))
        .count();
    let mut date = None;
    for n in (1..=digits).rev() {
        if let Ok(d) = PartialDate::parse(&parts[..n].join("-")) {
            date = Some(d);
            break;
        }
    }
    let words = parts
        .iter()
        .skip(digits)
        .map(|p| p.to_lowercase())
        .filter(|w| w.len() >= 3 && w.bytes().any(|b| b.is_ascii_alphabetic()))
        .collect();
    (date, words)
}

/// Ids of unreadable files, by link kind.
pub(super) fn unparsed(raw: &RawSite) -> BTreeMap<&'static str, BTreeSet<String>> {
    let mut out: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    for u in &raw.unparsed {
        let kind = match u.kind {
            Kind::Incident | Kind::IncidentList => "incident",
            Kind::Group => "group",
            Kind::Briefing => "briefing",
            Kind::Page => "page",
            _ => continue,
        };
        out.entry(kind).or_default().extend(u.ids.iter().cloned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_ids_are_read_as_a_date_and_words() {
        let (d, w) = read_link_id("2017-06-18-kangaba-resort");
        assert_eq!(d.map(|d| d.iso()), Some("2017-06-18".to_string()));
        assert_eq!(w, ["kangaba", "resort"]);
        let (d, w) = read_link_id("Kangaba");
        assert!(d.is_none());
        assert_eq!(w, ["kangaba"]);
        let (d, w) = read_link_id("2017-13");
        assert_eq!(d.map(|d| d.iso()), Some("2017".to_string()));
        assert!(w.is_empty());
    }
}
