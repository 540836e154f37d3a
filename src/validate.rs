//! Turns raw records into the validated [`Site`], checking every rule of the content format
//! and collecting every problem (never stopping at the first).
//!
//! Pure: takes parsed records and the config, returns the site or all diagnostics.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::Config;
use crate::content::count::Count;
use crate::content::date::{DateError, PartialDate};
use crate::content::raw::{RawCount, RawLocation, RawSource, Text};
use crate::content::{
    Attribution, Briefing, Casualties, Group, Incident, Leader, Location as Place, Origin, Page, Site, Source,
    Status, country,
};
use crate::diagnostic::{Diagnostic, Diagnostics, Location, did_you_mean};
use crate::load::{RawSite, RecordLoc, Sources};
use crate::yaml::{self, Part, Seg};

/// True for ids made of `[a-z0-9-]+` that cannot escape a path.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 200
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

/// Turns serde's "unknown field `x`, expected one of `a`, `b`" into a "did you mean" line.
pub fn unknown_field_help(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (word, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    match did_you_mean(word, expected.iter().copied()) {
        Some(s) => Some(format!("did you mean `{s}`?")),
        None if !expected.is_empty() => Some(format!(
            "allowed fields here: {}",
            expected.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ")
        )),
        None => None,
    }
}

/// Top-level URL segments that pages may not take.
pub const RESERVED_PAGE_IDS: &[&str] = &[
    "incidents", "groups", "chronology", "countries", "briefings", "tags", "data", "search", "static",
    "404", "index", "atom", "sitemap", "robots", "page",
];

/// Makes a URL-safe slug of a tag: lower case, ASCII letters and digits, dashes.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

struct Ctx<'a> {
    sources: &'a Sources,
    diags: Diagnostics,
}

impl Ctx<'_> {
    fn rel(&self, loc: &RecordLoc) -> &str {
        &self.sources.files[loc.file].rel
    }

    /// Location of the node at `path` inside a record (resolved only on this error path).
    fn at(&self, loc: &RecordLoc, path: &[Seg], part: Part) -> Location {
        let f = &self.sources.files[loc.file];
        let yaml_text = &f.text[loc.yaml.clone()];
        let mut full = loc.prefix.clone();
        full.extend_from_slice(path);
        match yaml::locate(yaml_text, &full, part) {
            Some((s, e)) => Location::new(&f.rel, &f.text, loc.yaml.start + s, loc.yaml.start + e),
            None => Location::new(&f.rel, &f.text, loc.yaml.start, loc.yaml.start),
        }
    }

    fn record_start(&self, loc: &RecordLoc) -> Location {
        if loc.prefix.is_empty() {
            let f = &self.sources.files[loc.file];
            // Point at the opening `---` of the front matter.
            Location::new(&f.rel, &f.text, 0, 3)
        } else {
            self.at(loc, &[], Part::Value)
        }
    }

    fn err(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn required(&mut self, loc: &RecordLoc, value: Option<&String>, field: &'static str, what: &str) -> String {
        match value {
            Some(v) if !v.trim().is_empty() => v.trim().to_string(),
            Some(_) => {
                let l = self.at(loc, &[Seg::Key(field)], Part::Value);
                self.err(
                    Diagnostic::error("empty-field", format!("`{field}` is empty"))
                        .at(l, format!("{what} needs a non-empty `{field}`")),
                );
                String::new()
            }
            None => {
                let l = self.record_start(loc);
                self.err(
                    Diagnostic::error("missing-field", format!("missing required field `{field}`"))
                        .at(l, format!("this {what} has no `{field}`"))
                        .help(format!("add a line `{field}: …` to the {what}")),
                );
                String::new()
            }
        }
    }

    fn date(&mut self, loc: &RecordLoc, path: &[Seg], value: Option<&Text>) -> Option<PartialDate> {
        let v = value?;
        match PartialDate::parse(&v.0) {
            Ok(d) => Some(d),
            Err(e) => {
                let l = self.at(loc, path, Part::Value);
                let d = match e {
                    DateError::Format => Diagnostic::error("invalid-date", format!("invalid date `{}`", v.0))
                        .at(l, "expected YYYY, YYYY-MM or YYYY-MM-DD")
                        .help("write the date at the precision you know, e.g. `2017`, `2017-06` or `2017-06-18`"),
                    DateError::NoSuchDate => {
                        Diagnostic::error("invalid-date", format!("date `{}` does not exist", v.0))
                            .at(l, "no such day in the calendar")
                    }
                };
                self.err(d);
                None
            }
        }
    }

    fn country(&mut self, loc: &RecordLoc, path: &[Seg], code: &str) -> bool {
        if country::by_code(code).is_some() {
            return true;
        }
        let l = self.at(loc, path, Part::Value);
        let upper = code.to_ascii_uppercase();
        let mut d = Diagnostic::error("invalid-country", format!("`{code}` is not an ISO 3166-1 alpha-2 country code"))
            .at(l, "expected a two-letter code such as `ML`");
        if country::by_code(&upper).is_some() {
            d = d.help(format!("country codes are upper case: `{upper}`"));
        } else if let Some(c) = country::COUNTRIES.iter().find(|c| c.2.eq_ignore_ascii_case(code)) {
            d = d.help(format!("the code for {} is `{}`", c.2, c.0));
        }
        self.err(d);
        false
    }

    fn vocab(&mut self, loc: &RecordLoc, field: &'static str, value: &str, allowed: &[&str]) {
        let l = self.at(loc, &[Seg::Key(field)], Part::Value);
        let list = allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
        let mut d = Diagnostic::error("invalid-value", format!("`{value}` is not an allowed `{field}`"))
            .at(l, format!("expected one of {list}"));
        if let Some(s) = did_you_mean(value, allowed.iter().copied()) {
            d = d.help(format!("did you mean `{s}`?"));
        }
        self.err(d);
    }

    fn count(&mut self, loc: &RecordLoc, field: &'static str, c: Option<RawCount>) -> Option<Count> {
        match c? {
            RawCount::Exact(n) => Some(Count::Exact { n }),
            RawCount::Unknown => Some(Count::Unknown),
            RawCount::Range { min, max } => {
                if let Some(max) = max
                    && min > max
                {
                    let l = self.at(loc, &[Seg::Key("casualties"), Seg::Key(field)], Part::Value);
                    self.err(
                        Diagnostic::error("invalid-range", format!("`{field}` has `min` {min} greater than `max` {max}"))
                            .at(l, "min must not exceed max")
                            .help(format!("did you mean `{{min: {max}, max: {min}}}`?")),
                    );
                }
                Some(Count::Range { min, max })
            }
        }
    }

    fn url(&mut self, loc: &RecordLoc, path: &[Seg], url: &str) -> bool {
        let lower = url.trim().to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return true;
        }
        let l = self.at(loc, path, Part::Value);
        let what = if lower.starts_with("javascript:") || lower.starts_with("data:") {
            "scripts and data URLs are never allowed in links"
        } else {
            "expected an http:// or https:// URL"
        };
        self.err(Diagnostic::error("invalid-url", format!("source URL `{url}` is not http(s)")).at(l, what));
        false
    }

    fn id(&mut self, loc: &RecordLoc, explicit: Option<&String>, stem: &str, what: &str) -> String {
        let (id, from_field) = match explicit {
            Some(id) => (id.clone(), true),
            None if loc.prefix.is_empty() => (stem.to_string(), false),
            None => {
                let l = self.record_start(loc);
                self.err(
                    Diagnostic::error("missing-field", "missing required field `id`")
                        .at(l, format!("records in a list file need an `id`"))
                        .help("add `id: <date>-<place>` (lower case letters, digits and dashes)"),
                );
                return String::new();
            }
        };
        if !is_valid_id(&id) {
            let l = if from_field {
                self.at(loc, &[Seg::Key("id")], Part::Value)
            } else {
                Location::file(self.rel(loc))
            };
            let suggestion = slug(&id);
            let mut d = Diagnostic::error("invalid-id", format!("invalid {what} id `{id}`"))
                .at(l, "ids may contain only lower-case letters, digits and dashes");
            if !suggestion.is_empty() {
                d = d.help(if from_field {
                    format!("use `{suggestion}`")
                } else {
                    format!("rename the file to `{suggestion}` plus its extension, or set `id:`")
                });
            }
            self.err(d);
        }
        id
    }
}

fn origin(loc: &RecordLoc) -> Origin {
    Origin { file: loc.file, body_offset: loc.body_offset }
}

/// Validates the whole raw site. Returns the site when there are no errors, and every
/// diagnostic (errors and warnings) in any case.
pub fn validate(raw: RawSite, sources: &Sources, config: &Config, today: chrono::NaiveDate) -> (Option<Site>, Diagnostics) {
    let mut cx = Ctx { sources, diags: Diagnostics::default() };
    let drafts = config.drafts;

    // Ids of groups first: incidents and briefings refer to them.
    let mut group_ids: BTreeMap<String, RecordLoc> = BTreeMap::new();
    let mut groups = Vec::new();
    for rec in raw.groups {
        if rec.raw.draft && !drafts {
            continue;
        }
        let stem = sources.files[rec.loc.file].stem.clone();
        let id = cx.id(&rec.loc, rec.raw.id.as_ref(), &stem, "group");
        if let Some(first) = group_ids.get(&id) {
            let first = cx.record_start(first);
            let here = cx.record_start(&rec.loc);
            cx.err(
                Diagnostic::error("duplicate-id", format!("group id `{id}` is defined twice"))
                    .at(here, "second definition")
                    .note(Some(first), "first defined here"),
            );
        } else {
            group_ids.insert(id.clone(), rec.loc.clone());
        }
        groups.push((id, rec));
    }
    let group_names: Vec<&str> = group_ids.keys().map(String::as_str).collect();
    let check_group_ref = |cx: &mut Ctx<'_>, loc: &RecordLoc, path: &[Seg], field: &str, g: &str| {
        if !group_ids.contains_key(g) {
            let l = cx.at(loc, path, Part::Value);
            let mut d = Diagnostic::error("unknown-group", format!("unknown group `{g}` in `{field}`"))
                .at(l, "no group with this id");
            if let Some(s) = did_you_mean(g, group_names.iter().copied()) {
                d = d.help(format!("did you mean `{s}`?"));
            } else {
                d = d.help("add a profile in content/groups/<id>.md or fix the id");
            }
            cx.err(d);
        }
    };

    let mut out_groups = Vec::new();
    for (id, rec) in groups {
        let r = rec.raw;
        let loc = &rec.loc;
        let name = cx.required(loc, r.name.as_ref(), "name", "group");
        let founded = cx.date(loc, &[Seg::Key("founded")], r.founded.as_ref());
        let dissolved = cx.date(loc, &[Seg::Key("dissolved")], r.dissolved.as_ref());
        if let (Some(f), Some(d)) = (founded, dissolved)
            && d.cmp_coarse(&f).is_lt()
        {
            let l = cx.at(loc, &[Seg::Key("dissolved")], Part::Value);
            cx.err(Diagnostic::error("date-order", "`dissolved` is before `founded`").at(l, "earlier than the founding date"));
        }
        let status = r.status.as_deref().and_then(|s| {
            let st = Status::parse(s);
            if st.is_none() {
                cx.vocab(loc, "status", s, Status::ALL);
            }
            st
        });
        for (i, a) in r.affiliations.iter().enumerate() {
            check_group_ref(&mut cx, loc, &[Seg::Key("affiliations"), Seg::Index(i)], "affiliations", a);
        }
        for (i, a) in r.merged_from.iter().enumerate() {
            check_group_ref(&mut cx, loc, &[Seg::Key("merged_from"), Seg::Index(i)], "merged_from", a);
        }
        if let Some(m) = &r.merged_into {
            if *m == id {
                let l = cx.at(loc, &[Seg::Key("merged_into")], Part::Value);
                cx.err(Diagnostic::error("self-merge", format!("group `{id}` is merged into itself")).at(l, "names this same group"));
            } else {
                check_group_ref(&mut cx, loc, &[Seg::Key("merged_into")], "merged_into", m);
            }
        }
        let mut leaders = Vec::new();
        for (i, l) in r.leaders.into_iter().enumerate() {
            let base = [Seg::Key("leaders"), Seg::Index(i)];
            let from = cx.date(loc, &[base[0].clone(), base[1].clone(), Seg::Key("from")], l.from.as_ref());
            let to = cx.date(loc, &[base[0].clone(), base[1].clone(), Seg::Key("to")], l.to.as_ref());
            if let (Some(f), Some(t)) = (from, to)
                && t.cmp_coarse(&f).is_lt()
            {
                let at = cx.at(loc, &[base[0].clone(), base[1].clone(), Seg::Key("to")], Part::Value);
                cx.err(
                    Diagnostic::error("date-order", "leader's `to` is before `from`")
                        .at(at, "earlier than `from`")
                        .help("swap `from` and `to`"),
                );
            }
            let name = match l.name {
                Some(n) if !n.trim().is_empty() => n,
                _ => {
                    let at = cx.at(loc, &base, Part::Value);
                    cx.err(Diagnostic::error("missing-field", "leader without a `name`").at(at, "this leader"));
                    String::new()
                }
            };
            leaders.push(Leader { name, role: l.role, from, to });
        }
        for (i, c) in r.area.iter().enumerate() {
            cx.country(loc, &[Seg::Key("area"), Seg::Index(i)], c);
        }
        out_groups.push(Group {
            id,
            name,
            short_name: r.short_name.filter(|s| !s.trim().is_empty()),
            aliases: r.aliases,
            founded,
            dissolved,
            status,
            affiliations: r.affiliations,
            merged_from: r.merged_from,
            merged_into: r.merged_into,
            leaders,
            area: r.area,
            ideology: r.ideology,
            body: rec.body,
            origin: origin(loc),
        });
    }
    out_groups.sort_by(|a, b| a.id.cmp(&b.id));
    check_lineage(&mut cx, &out_groups, &group_ids);

    // Incidents.
    let mut incident_ids: BTreeMap<String, RecordLoc> = BTreeMap::new();
    let mut draft_ids: BTreeSet<String> = BTreeSet::new();
    let mut incidents = Vec::new();
    for rec in raw.incidents {
        let r = rec.raw;
        let loc = &rec.loc;
        let stem = sources.files[loc.file].stem.clone();
        let id = cx.id(loc, r.id.as_ref(), &stem, "incident");
        if r.draft && !drafts {
            draft_ids.insert(id);
            continue;
        }
        if let Some(first) = incident_ids.get(&id) {
            let first = cx.record_start(first);
            let here = if r.id.is_some() { cx.at(loc, &[Seg::Key("id")], Part::Value) } else { cx.record_start(loc) };
            cx.err(
                Diagnostic::error("duplicate-id", format!("incident id `{id}` is defined twice"))
                    .at(here, "second definition")
                    .note(Some(first), "first defined here")
                    .help("give one of them a different `id`"),
            );
        } else if !id.is_empty() {
            incident_ids.insert(id.clone(), loc.clone());
        }
        let title = cx.required(loc, r.title.as_ref(), "title", "incident");
        let date = match &r.date {
            Some(_) => cx.date(loc, &[Seg::Key("date")], r.date.as_ref()),
            None => {
                let l = cx.record_start(loc);
                cx.err(
                    Diagnostic::error("missing-field", "missing required field `date`")
                        .at(l, "this incident has no `date`")
                        .help("add `date: YYYY-MM-DD` (or `YYYY-MM` / `YYYY` when less is known)"),
                );
                None
            }
        };
        let end_date = cx.date(loc, &[Seg::Key("end_date")], r.end_date.as_ref());
        if let (Some(d), Some(e)) = (date, end_date)
            && e.cmp_coarse(&d).is_lt()
        {
            let l = cx.at(loc, &[Seg::Key("end_date")], Part::Value);
            cx.err(
                Diagnostic::error("date-order", format!("`end_date` {} is before `date` {}", e.iso(), d.iso()))
                    .at(l, "earlier than the start date"),
            );
        }
        if let Some(d) = date
            && d.first_day() > today
        {
            let l = cx.at(loc, &[Seg::Key("date")], Part::Value);
            cx.err(Diagnostic::warning("future-date", format!("date {} is in the future", d.iso())).at(l, "after today"));
        }
        let location = incident_location(&mut cx, loc, r.location);
        for (i, g) in r.groups.iter().enumerate() {
            check_group_ref(&mut cx, loc, &[Seg::Key("groups"), Seg::Index(i)], "groups", g);
        }
        let attribution = r.attribution.as_deref().and_then(|a| {
            let p = Attribution::parse(a);
            if p.is_none() {
                cx.vocab(loc, "attribution", a, Attribution::ALL);
            }
            p
        });
        if let Some(et) = &r.event_type
            && config.event_label(et).is_none()
        {
            let allowed: Vec<&str> = config.event_types.iter().map(|e| e.id.as_str()).collect();
            cx.vocab(loc, "event_type", et, &allowed);
        }
        let c = r.casualties.unwrap_or_default();
        let casualties = Casualties {
            killed: cx.count(loc, "killed", c.killed),
            wounded: cx.count(loc, "wounded", c.wounded),
            captured: cx.count(loc, "captured", c.captured),
        };
        let sources_out = incident_sources(&mut cx, loc, r.sources);
        if sources_out.is_empty() {
            let l = cx.record_start(loc);
            cx.err(
                Diagnostic::warning("no-sources", format!("incident `{id}` cites no sources"))
                    .at(l, "no `sources:`")
                    .help("every claim needs a source: add `sources: [{title: …, url: …, publisher: …}]`"),
            );
        }
        let mut tags = Vec::new();
        for (i, t) in r.tags.into_iter().enumerate() {
            if slug(&t).is_empty() {
                let l = cx.at(loc, &[Seg::Key("tags"), Seg::Index(i)], Part::Value);
                cx.err(Diagnostic::error("invalid-tag", "tag has no letters or digits").at(l, "empty tag"));
            } else {
                tags.push(t);
            }
        }
        let (Some(date), Some(location)) = (date, location) else { continue };
        incidents.push(Incident {
            id,
            title,
            date,
            end_date,
            location,
            groups: r.groups,
            attribution,
            event_type: r.event_type,
            targets: r.targets,
            casualties,
            tags,
            summary: r.summary.filter(|s| !s.trim().is_empty()),
            sources: sources_out,
            draft: r.draft,
            body: rec.body,
            origin: origin(loc),
        });
    }
    incidents.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));

    // Groups no incident names.
    let named: BTreeSet<&str> = incidents.iter().flat_map(|i| i.groups.iter().map(String::as_str)).collect();
    for g in &out_groups {
        if !named.contains(g.id.as_str()) {
            let f = &sources.files[g.origin.file];
            cx.err(
                Diagnostic::warning("unused-group", format!("no incident names group `{}`", g.id))
                    .at(Location::new(&f.rel, &f.text, 0, 3), "this profile has no incidents"),
            );
        }
    }

    // Briefings.
    let mut briefings = Vec::new();
    let mut briefing_ids: BTreeMap<String, RecordLoc> = BTreeMap::new();
    for rec in raw.briefings {
        let r = rec.raw;
        let loc = &rec.loc;
        if r.draft && !drafts {
            continue;
        }
        let stem = sources.files[loc.file].stem.clone();
        let id = cx.id(loc, r.id.as_ref(), &stem, "briefing");
        if let Some(first) = briefing_ids.get(&id) {
            let first = cx.record_start(first);
            let here = cx.record_start(loc);
            cx.err(
                Diagnostic::error("duplicate-id", format!("briefing id `{id}` is defined twice"))
                    .at(here, "second definition")
                    .note(Some(first), "first defined here"),
            );
        } else {
            briefing_ids.insert(id.clone(), loc.clone());
        }
        let title = cx.required(loc, r.title.as_ref(), "title", "briefing");
        let date = match &r.date {
            Some(_) => cx.date(loc, &[Seg::Key("date")], r.date.as_ref()),
            None => {
                let l = cx.record_start(loc);
                cx.err(Diagnostic::error("missing-field", "missing required field `date`").at(l, "this briefing has no `date`"));
                None
            }
        };
        for (i, g) in r.groups.iter().enumerate() {
            check_group_ref(&mut cx, loc, &[Seg::Key("groups"), Seg::Index(i)], "groups", g);
        }
        let names: Vec<&str> = incident_ids.keys().map(String::as_str).collect();
        for (i, inc) in r.incidents.iter().enumerate() {
            if !incident_ids.contains_key(inc) {
                let l = cx.at(loc, &[Seg::Key("incidents"), Seg::Index(i)], Part::Value);
                let mut d = Diagnostic::error("unknown-incident", format!("unknown incident `{inc}` in `incidents`"))
                    .at(l, if draft_ids.contains(inc) { "this incident is a draft" } else { "no incident with this id" });
                if let Some(s) = did_you_mean(inc, names.iter().copied()) {
                    d = d.help(format!("did you mean `{s}`?"));
                }
                cx.err(d);
            }
        }
        if r.incidents.is_empty() {
            let l = cx.record_start(loc);
            cx.err(
                Diagnostic::warning("uncited-briefing", format!("briefing `{id}` cites no incident"))
                    .at(l, "no `incidents:`")
                    .help("list the incidents the analysis rests on in `incidents:`"),
            );
        }
        let Some(date) = date else { continue };
        briefings.push(Briefing {
            id,
            title,
            date,
            authors: r.authors,
            summary: r.summary,
            groups: r.groups,
            incidents: r.incidents,
            tags: r.tags,
            draft: r.draft,
            body: rec.body,
            origin: origin(loc),
        });
    }
    briefings.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));

    let mut pages = Vec::new();
    for rec in raw.pages {
        let loc = &rec.loc;
        if rec.raw.draft && !drafts {
            continue;
        }
        let stem = sources.files[loc.file].stem.clone();
        let id = cx.id(loc, None, &stem, "page");
        if RESERVED_PAGE_IDS.contains(&id.as_str()) {
            let rel = cx.rel(loc).to_string();
            cx.err(
                Diagnostic::error("reserved-id", format!("a page cannot be called `{id}`"))
                    .at(Location::file(&rel), "")
                    .help(format!("`/{id}/` belongs to the site itself; rename the file")),
            );
        }
        let title = cx.required(loc, rec.raw.title.as_ref(), "title", "page");
        pages.push(Page { id, title, description: rec.raw.description, body: rec.body, origin: origin(loc) });
    }
    pages.sort_by(|a, b| a.id.cmp(&b.id));
    let home = raw.home.map(|rec| Page {
        id: String::new(),
        title: rec.raw.title.unwrap_or_default(),
        description: rec.raw.description,
        body: rec.body,
        origin: origin(&rec.loc),
    });

    let diags = cx.diags;
    if diags.has_errors() {
        return (None, diags);
    }
    (Some(Site { incidents, groups: out_groups, briefings, pages, home }), diags)
}

fn incident_location(cx: &mut Ctx<'_>, loc: &RecordLoc, raw: Option<RawLocation>) -> Option<Place> {
    let Some(r) = raw else {
        let l = cx.record_start(loc);
        cx.err(
            Diagnostic::error("missing-field", "missing required field `location`")
                .at(l, "this incident has no `location`")
                .help("add `location: {place: …, country: ML}` (country is required)"),
        );
        return None;
    };
    let country = match r.country {
        Some(c) => {
            cx.country(loc, &[Seg::Key("location"), Seg::Key("country")], &c);
            c
        }
        None => {
            let l = cx.at(loc, &[Seg::Key("location")], Part::Key);
            cx.err(
                Diagnostic::error("missing-field", "missing required field `location.country`")
                    .at(l, "this location has no `country`")
                    .help("add `country:` with an ISO 3166-1 alpha-2 code, e.g. `ML`"),
            );
            String::new()
        }
    };
    let coords = match (r.lat, r.lon) {
        (Some(lat), Some(lon)) => {
            let mut ok = true;
            if !(-90.0..=90.0).contains(&lat) {
                let l = cx.at(loc, &[Seg::Key("location"), Seg::Key("lat")], Part::Value);
                cx.err(Diagnostic::error("invalid-coordinates", format!("latitude {lat} is out of range")).at(l, "expected -90 to 90"));
                ok = false;
            }
            if !(-180.0..=180.0).contains(&lon) {
                let l = cx.at(loc, &[Seg::Key("location"), Seg::Key("lon")], Part::Value);
                cx.err(Diagnostic::error("invalid-coordinates", format!("longitude {lon} is out of range")).at(l, "expected -180 to 180"));
                ok = false;
            }
            ok.then_some((lat, lon))
        }
        (None, None) => None,
        (lat, _) => {
            let (have, missing) = if lat.is_some() { ("lat", "lon") } else { ("lon", "lat") };
            let l = cx.at(loc, &[Seg::Key("location"), Seg::Key(have)], Part::Key);
            cx.err(
                Diagnostic::error("invalid-coordinates", format!("`{have}` given without `{missing}`"))
                    .at(l, format!("needs a `{missing}` too"))
                    .help("give both coordinates, or neither"),
            );
            None
        }
    };
    Some(Place { place: r.place, admin1: r.admin1, country, coords })
}

fn incident_sources(cx: &mut Ctx<'_>, loc: &RecordLoc, raw: Vec<RawSource>) -> Vec<Source> {
    let mut out = Vec::new();
    for (i, s) in raw.into_iter().enumerate() {
        let base = [Seg::Key("sources"), Seg::Index(i)];
        let url = match s.url {
            Some(u) => cx.url(loc, &[base[0].clone(), base[1].clone(), Seg::Key("url")], &u).then_some(u),
            None => None,
        };
        let date = cx.date(loc, &[base[0].clone(), base[1].clone(), Seg::Key("date")], s.date.as_ref());
        let title = match s.title {
            Some(t) if !t.trim().is_empty() => t,
            _ => match (&s.publisher, &url) {
                (Some(p), _) => p.clone(),
                (None, Some(u)) => u.clone(),
                (None, None) => {
                    let l = cx.at(loc, &base, Part::Value);
                    cx.err(
                        Diagnostic::error("empty-source", "source has neither `title`, `publisher` nor `url`")
                            .at(l, "this source says nothing"),
                    );
                    continue;
                }
            },
        };
        out.push(Source { title, url, publisher: s.publisher, date });
    }
    out
}

/// Checks that merges are consistent: no cycles, and `merged_from`/`merged_into` agree.
fn check_lineage(cx: &mut Ctx<'_>, groups: &[Group], locs: &BTreeMap<String, RecordLoc>) {
    let by_id: BTreeMap<&str, &Group> = groups.iter().map(|g| (g.id.as_str(), g)).collect();
    for g in groups {
        let Some(loc) = locs.get(&g.id) else { continue };
        // Follow merged_into until it ends or returns.
        let mut seen = vec![g.id.as_str()];
        let mut cur = g;
        while let Some(next) = cur.merged_into.as_deref().and_then(|n| by_id.get(n)) {
            if next.id == g.id {
                if seen.len() > 1 {
                    let l = cx.at(loc, &[Seg::Key("merged_into")], Part::Value);
                    seen.push(g.id.as_str());
                    cx.err(
                        Diagnostic::error("merge-cycle", format!("`merged_into` forms a cycle: {}", seen.join(" → ")))
                            .at(l, "leads back to this group"),
                    );
                }
                break;
            }
            if seen.contains(&next.id.as_str()) {
                break;
            }
            seen.push(next.id.as_str());
            cur = next;
        }
        for (i, from) in g.merged_from.iter().enumerate() {
            let Some(src) = by_id.get(from.as_str()) else { continue };
            if let Some(other) = &src.merged_into
                && other != &g.id
            {
                let l = cx.at(loc, &[Seg::Key("merged_from"), Seg::Index(i)], Part::Value);
                let note = locs.get(&src.id).map(|sl| cx.at(sl, &[Seg::Key("merged_into")], Part::Value));
                cx.err(
                    Diagnostic::error(
                        "merge-conflict",
                        format!("`{}` lists `{from}` in `merged_from`, but `{from}` merged into `{other}`", g.id),
                    )
                    .at(l, "claimed here")
                    .note(note, format!("`{from}` says `merged_into: {other}` here")),
                );
            }
        }
    }
}
