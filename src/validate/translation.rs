//! Translation files (issue 17) checked against the records they translate and the site's
//! languages, into [`Translations`]. Every problem is reported, each at its place: a fact
//! written in a translation (with the file where that fact is written), a language the site
//! does not publish in, a translation of no record (with "did you mean"), two translations of
//! one record into one language, a list of targets or leaders that does not match the
//! record's.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::Config;
use crate::content::raw::{RawLeaderWords, RawWords};
use crate::content::{
    Briefing, Group, Incident, Origin, Page, RecordKind, Translation, Translations,
};
use crate::diagnostic::{Diagnostic, Location, did_you_mean};
use crate::load::{RawSite, RawTranslation};
use crate::yaml::{Part, Seg};

use super::ctx::Ctx;

/// Every id written for a record of each kind, drafts and records in error included: a
/// translation of one of them is not an orphan, even when its record is not published.
pub(super) struct Written(BTreeMap<RecordKind, BTreeSet<String>>);

impl Written {
    /// The ids `raw` defines, taken before validation consumes it.
    pub(super) fn of(raw: &RawSite, cx: &Ctx<'_>) -> Written {
        let mut ids: BTreeMap<RecordKind, BTreeSet<String>> = BTreeMap::new();
        let mut add = |kind, id: Option<&String>, loc: &crate::load::RecordLoc| {
            let id = match id {
                Some(id) => id.trim().to_string(),
                None if loc.prefix.is_empty() => cx.stem(loc).to_string(),
                None => return,
            };
            ids.entry(kind).or_default().insert(id);
        };
        for r in &raw.incidents {
            add(RecordKind::Incident, r.raw.id.as_ref(), &r.loc);
        }
        for r in &raw.groups {
            add(RecordKind::Group, r.raw.id.as_ref(), &r.loc);
        }
        for r in &raw.briefings {
            add(RecordKind::Briefing, r.raw.id.as_ref(), &r.loc);
        }
        for r in &raw.pages {
            add(RecordKind::Page, None, &r.loc);
        }
        if raw.home.is_some() {
            ids.entry(RecordKind::Home)
                .or_default()
                .insert("_index".into());
        }
        for u in &raw.unparsed {
            let kind = match u.kind {
                crate::load::Kind::Incident | crate::load::Kind::IncidentList => {
                    RecordKind::Incident
                }
                crate::load::Kind::Group => RecordKind::Group,
                crate::load::Kind::Briefing => RecordKind::Briefing,
                crate::load::Kind::Page => RecordKind::Page,
                crate::load::Kind::Home => RecordKind::Home,
                _ => continue,
            };
            let set = ids.entry(kind).or_default();
            set.extend(u.ids.iter().cloned());
            if kind == RecordKind::Home {
                set.insert("_index".into());
            }
        }
        Written(ids)
    }
}

/// The published records a translation may belong to.
pub(super) struct Records<'s> {
    /// Incidents.
    pub(super) incidents: &'s [Incident],
    /// Groups.
    pub(super) groups: &'s [Group],
    /// Briefings.
    pub(super) briefings: &'s [Briefing],
    /// Free pages.
    pub(super) pages: &'s [Page],
    /// The home introduction.
    pub(super) home: Option<&'s Page>,
}

/// What a translation is checked against in its record.
struct Target<'s> {
    origin: &'s Origin,
    targets: usize,
    leaders: Vec<&'s str>,
}

impl<'s> Records<'s> {
    fn find(&self, kind: RecordKind, id: &str) -> Option<Target<'s>> {
        let plain = |origin| Target {
            origin,
            targets: 0,
            leaders: Vec::new(),
        };
        match kind {
            RecordKind::Incident => self.incidents.iter().find(|i| i.id == id).map(|i| Target {
                origin: &i.origin,
                targets: i.targets.len(),
                leaders: Vec::new(),
            }),
            RecordKind::Group => {
                let pos = self.groups.binary_search_by(|g| g.id.as_str().cmp(id));
                pos.ok().map(|p| &self.groups[p]).map(|g| Target {
                    origin: &g.origin,
                    targets: 0,
                    leaders: g.leaders.iter().map(|l| l.name.as_str()).collect(),
                })
            }
            RecordKind::Briefing => self
                .briefings
                .iter()
                .find(|b| b.id == id)
                .map(|b| plain(&b.origin)),
            RecordKind::Page => self
                .pages
                .iter()
                .find(|p| p.id == id)
                .map(|p| plain(&p.origin)),
            RecordKind::Home => self
                .home
                .filter(|_| id == "_index")
                .map(|p| plain(&p.origin)),
        }
    }
}

/// The word for a kind of record in messages.
fn noun(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Incident => "incident",
        RecordKind::Group => "group",
        RecordKind::Briefing => "briefing",
        RecordKind::Page => "page",
        RecordKind::Home => "home introduction",
    }
}

/// Checks every translation file and returns the site's translations (complete only when
/// no error was found).
pub(super) fn translations(
    cx: &mut Ctx<'_>,
    config: &Config,
    raw: Vec<RawTranslation>,
    written: &Written,
    records: &Records<'_>,
) -> Translations {
    let mut out = Translations::default();
    let mut seen: BTreeMap<(RecordKind, String, String), Location> = BTreeMap::new();
    for t in raw {
        let rel = cx.rel(&t.loc).to_string();
        let Some(tag) = language(cx, config, &t, &rel) else {
            continue;
        };
        let record = records.find(t.of, &t.id);
        let record_rel = record
            .as_ref()
            .map(|r| cx.sources.files[r.origin.file].rel.clone());
        for (field, at) in &t.facts {
            let in_record = match &record_rel {
                Some(r) => format!("in `{r}`"),
                None => "in the record".to_string(),
            };
            cx.err(
                Diagnostic::error(
                    "fact-in-translation",
                    format!("`{field}` is a fact and is written once, {in_record}"),
                )
                .at(at.clone(), "a fact, not words")
                .help("remove it; translations hold words only"),
            );
        }
        let Some(record) = record else {
            orphan(cx, &t, &rel, written);
            continue;
        };
        let record_rel = record_rel.unwrap_or_default();
        if misplaced(cx, &t, &rel, &record_rel, &tag) {
            continue;
        }
        let here = Location::file(&rel);
        if let Some(first) = seen.insert((t.of, t.id.clone(), tag.clone()), here.clone()) {
            cx.err(
                Diagnostic::error(
                    "duplicate-translation",
                    format!("{} `{}` has two `{tag}` translations", noun(t.of), t.id),
                )
                .at(here, "second translation")
                .note(Some(first), "first translation here")
                .help("keep one file and delete the other"),
            );
            continue;
        }
        let translation = build(cx, &t, &rel, &record);
        out.0
            .entry((t.of, t.id.clone()))
            .or_default()
            .insert(tag, translation);
    }
    out
}

/// The canonical tag of a translation's language, or `None` (reported) when the site does
/// not publish in it.
fn language(cx: &mut Ctx<'_>, config: &Config, t: &RawTranslation, rel: &str) -> Option<String> {
    let tag = crate::locale::Lang::parse(&t.lang)
        .map(|l| l.tag().to_string())
        .unwrap_or_else(|_| t.lang.clone());
    let tags: Vec<&str> = config.languages.iter().map(|l| l.tag()).collect();
    let list = tags.join(", ");
    let d = if tags.len() == 1 {
        Diagnostic::error(
            "translation-language",
            format!("`{rel}` is a `{tag}` translation, but the site has one language ({list})"),
        )
        .help(format!(
            "add the language to `languages:` in site.yaml (`languages: [{list}, {tag}]`), or delete the file"
        ))
    } else if tags[0] == tag {
        Diagnostic::error(
            "translation-language",
            format!("`{tag}` is the site's default language: its words are the record's own"),
        )
        .help("write them in the record itself, and delete this file")
    } else if tags.contains(&tag.as_str()) {
        return Some(tag);
    } else {
        let mut d = Diagnostic::error(
            "translation-language",
            format!("`{tag}` is not one of the site's languages ({list})"),
        );
        d = match did_you_mean(&tag, tags[1..].iter().copied()) {
            Some(m) => d.help(format!(
                "did you mean `{m}`? (rename the file to `{}.{m}.md`)",
                t.id
            )),
            None => d.help(format!(
                "add `{tag}` to `languages:` in site.yaml, or rename the file"
            )),
        };
        d
    };
    cx.err(d.at(Location::file(rel), "not a site language"));
    None
}

/// A translation of no record: silent when the record is written but not published (a
/// draft, a record in error), an error with "did you mean" otherwise.
fn orphan(cx: &mut Ctx<'_>, t: &RawTranslation, rel: &str, written: &Written) {
    let empty = BTreeSet::new();
    let ids = written.0.get(&t.of).unwrap_or(&empty);
    if ids.contains(&t.id) {
        return;
    }
    let what = noun(t.of);
    let mut d = if t.of == RecordKind::Home {
        Diagnostic::error(
            "orphan-translation",
            "this translates the home introduction, but there is no `content/_index.md`",
        )
        .help("write `content/_index.md` first, or delete this file")
    } else {
        Diagnostic::error(
            "orphan-translation",
            format!("this translates {what} `{}`, which does not exist", t.id),
        )
    };
    if let Some(m) = did_you_mean(&t.id, ids.iter().map(String::as_str)) {
        d = d.help(format!(
            "did you mean `{m}`? (rename the file to `{m}.{}.md`)",
            t.lang
        ));
    } else if t.of != RecordKind::Home {
        d = d.help(format!(
            "a translation is named after its record: `<{what} id>.{}.md`",
            t.lang
        ));
    }
    cx.err(d.at(Location::file(rel), "no such record"));
}

/// A translation must live in its record's folder, so that the two are seen together.
/// True (reported) when it does not.
fn misplaced(cx: &mut Ctx<'_>, t: &RawTranslation, rel: &str, record_rel: &str, tag: &str) -> bool {
    let folder = |p: &str| {
        p.rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_string())
    };
    let (mine, theirs) = (folder(rel), folder(record_rel));
    if mine != theirs {
        cx.err(
            Diagnostic::error(
                "misplaced-translation",
                format!(
                    "a translation lives beside its record, and {} `{}` is in `{record_rel}`",
                    noun(t.of),
                    t.id
                ),
            )
            .at(Location::file(rel), "not beside its record")
            .help(format!("move it to `{theirs}/{}.{tag}.md`", t.id)),
        );
    }
    mine != theirs
}

/// The translation's words, with its lists of targets and leaders checked against the
/// record's.
fn build(cx: &mut Ctx<'_>, t: &RawTranslation, rel: &str, record: &Target<'_>) -> Translation {
    let mut out = Translation {
        path: rel.to_string(),
        body: t.body.clone(),
        origin: super::ctx::origin(&t.loc),
        ..Translation::default()
    };
    match &t.words {
        RawWords::Incident(w) => {
            out.title = w.title.clone();
            out.summary = w.summary.clone();
            out.place = w.location.as_ref().and_then(|l| l.place.clone());
            if let Some(targets) = &w.targets {
                if targets.len() == record.targets {
                    out.targets = targets
                        .iter()
                        .enumerate()
                        .filter_map(|(i, t)| Some((i, t.clone()?)))
                        .collect();
                } else {
                    length(cx, t, "targets", targets.len(), record.targets);
                }
            }
        }
        RawWords::Group(w) => {
            out.title = w.name.clone();
            out.short_name = w.short_name.clone();
            out.aliases = w.aliases.clone();
            if let Some(leaders) = &w.leaders {
                out.leader_roles = leader_roles(cx, t, leaders, &record.leaders);
            }
        }
        RawWords::Briefing(w) => {
            out.title = w.title.clone();
            out.summary = w.summary.clone();
        }
        RawWords::Page(w) => {
            out.title = w.title.clone();
            out.summary = w.description.clone();
        }
    }
    out
}

/// A translated list (`targets`, `leaders`) of another length than the record's.
fn length(cx: &mut Ctx<'_>, t: &RawTranslation, field: &'static str, got: usize, want: usize) {
    let at = cx.at(&t.loc, &[Seg::Key(field)], Part::Key);
    cx.err(
        Diagnostic::error(
            "translation-mismatch",
            format!("`{field}` has {got} entries here and {want} in the record"),
        )
        .at(at, format!("expected {want}"))
        .help(format!(
            "one entry per entry of the record's `{field}`, in its order; `~` leaves one in the default language"
        )),
    );
}

/// Leaders' roles by position, each leader's `name` (when given) checked against the
/// record's leader at that position.
fn leader_roles(
    cx: &mut Ctx<'_>,
    t: &RawTranslation,
    leaders: &[RawLeaderWords],
    names: &[&str],
) -> BTreeMap<usize, String> {
    if leaders.len() != names.len() {
        length(cx, t, "leaders", leaders.len(), names.len());
        return BTreeMap::new();
    }
    let mut roles = BTreeMap::new();
    for (i, (l, want)) in leaders.iter().zip(names).enumerate() {
        if let Some(name) = &l.name
            && name.trim() != *want
        {
            let at = cx.at(
                &t.loc,
                &[Seg::Key("leaders"), Seg::Index(i), Seg::Key("name")],
                Part::Value,
            );
            cx.err(
                Diagnostic::error(
                    "translation-mismatch",
                    format!("leader {} of the record is `{want}`, not `{name}`", i + 1),
                )
                .at(at, format!("expected `{want}`"))
                .help(
                    "list the leaders in the record's order, their names as the record writes them",
                ),
            );
            continue;
        }
        if let Some(role) = &l.role {
            roles.insert(i, role.clone());
        }
    }
    roles
}

/// `stale-translation` warnings: a translation whose last commit is older than its
/// record's (`git_info`), so that its words may no longer say what the record says.
pub(crate) fn stale(
    site: &crate::content::Site,
    sources: &crate::load::Sources,
    updated: &BTreeMap<String, chrono::NaiveDate>,
) -> crate::diagnostic::Diagnostics {
    let mut out = crate::diagnostic::Diagnostics::default();
    if updated.is_empty() {
        return out;
    }
    let records = Records {
        incidents: &site.incidents,
        groups: &site.groups,
        briefings: &site.briefings,
        pages: &site.pages,
        home: site.home.as_ref(),
    };
    for ((kind, id), by_lang) in &site.translations.0 {
        let Some(record) = records.find(*kind, id) else {
            continue;
        };
        let record_rel = &sources.files[record.origin.file].rel;
        let Some(record_date) = updated.get(record_rel) else {
            continue;
        };
        for (tag, t) in by_lang {
            let Some(date) = updated.get(&t.path).filter(|d| *d < record_date) else {
                continue;
            };
            out.push(
                Diagnostic::warning(
                    "stale-translation",
                    format!(
                        "this `{tag}` translation was last changed on {date}, before its record ({record_date})"
                    ),
                )
                .at(Location::file(&t.path), "older than its record")
                .note(
                    Some(Location::file(record_rel)),
                    format!("{} `{id}` changed on {record_date}", noun(*kind)),
                )
                .help("bring the translation up to date with the record, then commit it"),
            );
        }
    }
    out
}
