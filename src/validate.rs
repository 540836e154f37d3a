//! Turns raw records into the validated [`Site`], checking every rule of the content format
//! and collecting every problem (never stopping at the first).
//!
//! Pure: takes parsed records and the config, returns the site or all diagnostics.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use crate::config::Config;
use crate::content::count::Count;
use crate::content::date::{DateError, PartialDate};
use crate::content::raw::{
    RawCount, RawGroupRef, RawLocation, RawRelationship, RawSource, RawTarget, Text,
};
use crate::content::{
    Attribution, Briefing, Casualties, ClaimedFigures, Group, GroupClaim, Incident, Leader,
    Location as Place, Origin, Page, PlacePrecision, RelationKind, Relationship, Site, Source,
    Status, country,
};
use crate::diagnostic::{
    Budget, Diagnostic, Diagnostics, Location, Suggester, Suggestion, did_you_mean,
};
use crate::ids::is_valid_id;
use crate::load::{Kind, RawSite, RecordLoc, Sources};
use crate::source::LineIndex;
use crate::yaml::{self, Part, Seg};

mod at_links;
mod digest;
pub mod duplicates;

pub use duplicates::may_repeat;
mod incident;

/// Moved to [`crate::ids::slug`]; re-exported only for `rebuild.rs` and `render/mod.rs`, which
/// other work is rewriting (issue 16). New code imports `crate::ids::slug`.
#[doc(hidden)]
pub use crate::ids::slug;

/// Top-level URL segments that pages may not take.
pub const RESERVED_PAGE_IDS: &[&str] = &[
    "incidents",
    "groups",
    "chronology",
    "countries",
    "briefings",
    "tags",
    "data",
    "search",
    "static",
    "404",
    "index",
    "atom",
    "sitemap",
    "robots",
    "page",
];

struct Ctx<'a> {
    sources: &'a Sources,
    /// Per file, made on its first error: its YAML parsed with positions and its line
    /// index, so that a file with thousands of errors is parsed and scanned once.
    located: RefCell<HashMap<usize, Rc<Located<'a>>>>,
    diags: Diagnostics,
    /// Groups suggested by a "did you mean" for an unknown reference: most likely named
    /// there, so not reported as unused on top of the typo.
    suggested_groups: BTreeSet<String>,
    /// What every "did you mean" of the run may spend, so that thousands of unknown ids
    /// against thousands of records cost a bounded time.
    budget: Budget,
}

struct Located<'a> {
    tree: Option<yaml::Tree<'a>>,
    lines: LineIndex,
}

impl<'a> Ctx<'a> {
    fn located(&self, loc: &RecordLoc) -> Rc<Located<'a>> {
        let file: &'a crate::load::SourceFile = &self.sources.files[loc.file];
        let mut cache = self.located.borrow_mut();
        let entry = cache.entry(loc.file).or_insert_with(|| {
            let yaml_text: &'a str = &file.text[loc.yaml.clone()];
            Rc::new(Located {
                tree: yaml::Tree::parse(yaml_text),
                lines: LineIndex::new(&file.text),
            })
        });
        Rc::clone(entry)
    }

    fn location(&self, loc: &RecordLoc, start: usize, end: usize) -> Location {
        let f = &self.sources.files[loc.file];
        Location::indexed(&f.rel, &f.text, &self.located(loc).lines, start, end)
    }

    fn rel(&self, loc: &RecordLoc) -> &str {
        &self.sources.files[loc.file].rel
    }

    /// Location of the node at `path` inside a record (resolved only on this error path).
    fn at(&self, loc: &RecordLoc, path: &[Seg], part: Part) -> Location {
        let mut full = loc.prefix.clone();
        full.extend_from_slice(path);
        let found = self
            .located(loc)
            .tree
            .as_ref()
            .and_then(|t| t.locate(&full, part));
        let (s, e) = found.unwrap_or((0, 0));
        self.location(loc, loc.yaml.start + s, loc.yaml.start + e)
    }

    /// Like [`Ctx::at`], but `None` when the record has no node at `path`.
    fn at_exact(&self, loc: &RecordLoc, path: &[Seg], part: Part) -> Option<Location> {
        let mut full = loc.prefix.clone();
        full.extend_from_slice(path);
        let (s, e) = self.located(loc).tree.as_ref()?.locate_exact(&full, part)?;
        Some(self.location(loc, loc.yaml.start + s, loc.yaml.start + e))
    }

    fn record_start(&self, loc: &RecordLoc) -> Location {
        if loc.prefix.is_empty() {
            // Point at the opening `---` of the front matter.
            self.location(loc, 0, 3)
        } else {
            self.at(loc, &[], Part::Value)
        }
    }

    fn err(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn required(
        &mut self,
        loc: &RecordLoc,
        value: Option<&String>,
        field: &'static str,
        what: &str,
    ) -> String {
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
            // Left out for a wrong type or a misspelt key, already reported.
            None if loc.dropped(&[Seg::Key(field)]) => String::new(),
            None => {
                // `title:` with nothing after it reads as no title at all; point at the key.
                if let Some(l) = self.at_exact(loc, &[Seg::Key(field)], Part::Key) {
                    self.err(
                        Diagnostic::error("empty-field", format!("`{field}` is empty"))
                            .at(l, format!("{what} needs a non-empty `{field}`"))
                            .help(format!("write the {what}'s {field} after `{field}: `")),
                    );
                    return String::new();
                }
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
                    DateError::Format => {
                        Diagnostic::error("invalid-date", format!("invalid date `{}`", v.0))
                            .at(l, "expected YYYY, YYYY-MM or YYYY-MM-DD")
                            .help(date_help(&v.0))
                    }
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

    /// A required `date:` field: parsed and checked, or reported as missing.
    fn required_date(
        &mut self,
        loc: &RecordLoc,
        value: Option<&Text>,
        what: &str,
        help: Option<&str>,
    ) -> Option<PartialDate> {
        if value.is_some() {
            return self.date(loc, &[Seg::Key("date")], value);
        }
        if loc.dropped(&[Seg::Key("date")]) {
            return None;
        }
        let l = self.record_start(loc);
        let mut d = Diagnostic::error("missing-field", "missing required field `date`")
            .at(l, format!("this {what} has no `date`"));
        if let Some(h) = help {
            d = d.help(h);
        }
        self.err(d);
        None
    }

    fn country(&mut self, loc: &RecordLoc, path: &[Seg], code: &str) -> bool {
        if country::by_code(code).is_some() {
            return true;
        }
        let l = self.at(loc, path, Part::Value);
        let upper = code.to_ascii_uppercase();
        let mut d = Diagnostic::error(
            "invalid-country",
            format!("`{code}` is not an ISO 3166-1 alpha-2 country code"),
        )
        .at(l, "expected a two-letter code such as `ML`");
        if country::by_code(&upper).is_some() {
            d = d.help(format!("country codes are upper case: `{upper}`"));
        } else if let Some(c) = country::COUNTRIES
            .iter()
            .find(|c| c.2.eq_ignore_ascii_case(code))
        {
            d = d.help(format!("the code for {} is `{}`", c.2, c.0));
        } else if let Some(b) = country::bbox::by_alpha3(&upper) {
            let name = country::name(b.code).unwrap_or(b.code);
            d = d.help(format!(
                "`{upper}` is the three-letter code of {name}; its two-letter code is `{}`",
                b.code
            ));
        }
        self.err(d);
        false
    }

    fn vocab(&mut self, loc: &RecordLoc, field: &'static str, value: &str, allowed: &[&str]) {
        self.vocab_at(loc, &[Seg::Key(field)], field, value, allowed);
    }

    /// Reports `value` at `path` as not one of `allowed`, with a "did you mean".
    fn vocab_at(
        &mut self,
        loc: &RecordLoc,
        path: &[Seg],
        field: &'static str,
        value: &str,
        allowed: &[&str],
    ) {
        let l = self.at(loc, path, Part::Value);
        let list = allowed
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut d = Diagnostic::error(
            "invalid-value",
            format!("`{value}` is not an allowed `{field}`"),
        )
        .at(l, format!("expected one of {list}"));
        if let Some(s) = did_you_mean(value, allowed.iter().copied()) {
            d = d.help(format!("did you mean `{s}`?"));
        }
        self.err(d);
    }

    fn count(
        &mut self,
        loc: &RecordLoc,
        field: &'static str,
        c: Option<RawCount>,
    ) -> Option<Count> {
        self.count_at(loc, &[Seg::Key("casualties"), Seg::Key(field)], field, c)
    }

    /// A casualty figure found at `path` (a `casualties` field, or a group's `claimed_*`).
    fn count_at(
        &mut self,
        loc: &RecordLoc,
        path: &[Seg],
        field: &'static str,
        c: Option<RawCount>,
    ) -> Option<Count> {
        match c? {
            RawCount::Exact(n) => Some(Count::Exact { n }),
            RawCount::Unknown => Some(Count::Unknown),
            RawCount::Range { min, max } => {
                if let Some(max) = max
                    && min > max
                {
                    let l = self.at(loc, path, Part::Value);
                    self.err(
                        Diagnostic::error(
                            "invalid-range",
                            format!("`{field}` has `min` {min} greater than `max` {max}"),
                        )
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
        self.err(
            Diagnostic::error("invalid-url", format!("source URL `{url}` is not http(s)"))
                .at(l, what),
        );
        false
    }

    fn id(&mut self, loc: &RecordLoc, explicit: Option<&String>, stem: &str, what: &str) -> String {
        let (id, from_field) = match explicit {
            Some(id) => (id.clone(), true),
            None if loc.prefix.is_empty() => (stem.to_string(), false),
            None if loc.dropped(&[Seg::Key("id")]) => return String::new(),
            None => {
                let l = self.record_start(loc);
                self.err(
                    Diagnostic::error("missing-field", "missing required field `id`")
                        .at(l, "records in a list file need an `id`")
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
            let mut d = Diagnostic::error("invalid-id", format!("invalid {what} id `{id}`")).at(
                l,
                "ids may contain only lower-case letters, digits and dashes",
            );
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

/// The help for a date that is not `YYYY[-MM[-DD]]`: what it most likely means, written
/// as it must be, or the forms allowed.
fn date_help(written: &str) -> String {
    use crate::content::date::{DateHint, hint};
    match hint(written) {
        Some(DateHint::One(d)) => format!(
            "write `{}` ({}): dates are YYYY, YYYY-MM or YYYY-MM-DD, at the precision you know",
            d.iso(),
            d.display()
        ),
        Some(DateHint::Ambiguous(day_first, month_first)) => format!(
            "`{}` could be {} or {}: write `{}` or `{}`",
            written.trim(),
            day_first.display(),
            month_first.display(),
            day_first.iso(),
            month_first.iso()
        ),
        None => "write the date at the precision you know, e.g. `2017`, `2017-06` or `2017-06-18`"
            .to_string(),
    }
}

fn origin(loc: &RecordLoc) -> Origin {
    Origin {
        file: loc.file,
        body_offset: loc.body_offset,
    }
}

/// Validates the whole raw site. Returns the site when there are no errors, and every
/// diagnostic (errors and warnings) in any case.
pub fn validate(
    raw: RawSite,
    sources: &Sources,
    config: &Config,
    today: chrono::NaiveDate,
) -> (Option<Site>, Diagnostics) {
    let mut cx = Ctx {
        located: RefCell::new(HashMap::new()),
        sources,
        diags: Diagnostics::default(),
        suggested_groups: BTreeSet::new(),
        budget: Budget::new(Budget::RUN),
    };
    let drafts = config.drafts;
    // Bodies are checked last, against every id; taken now, before the records are used.
    let bodies = at_links::bodies(&raw, drafts);
    let unparsed_by_kind = at_links::unparsed(&raw);

    // Records of files that failed to parse are already reported; references to them are
    // not reported again as unknown (issue 3: one mistake, one error).
    let unparsed_ids = |kinds: &[Kind]| -> BTreeSet<String> {
        raw.unparsed
            .iter()
            .filter(|u| kinds.contains(&u.kind))
            .flat_map(|u| u.ids.iter().cloned())
            .collect()
    };
    let unparsed_groups = unparsed_ids(&[Kind::Group]);
    let unparsed_incidents = unparsed_ids(&[Kind::Incident, Kind::IncidentList]);
    let mut incidents_lost = raw
        .unparsed
        .iter()
        .any(|u| matches!(u.kind, Kind::Incident | Kind::IncidentList));
    let mut incident_ids_lost = raw
        .unparsed
        .iter()
        .any(|u| u.kind == Kind::IncidentList && !u.ids_complete);

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
    let group_names = RefCell::new(Suggester::new(group_ids.keys().map(String::as_str)));
    let check_group_ref =
        |cx: &mut Ctx<'_>, loc: &RecordLoc, path: &[Seg], field: &str, g: &str| {
            if !group_ids.contains_key(g) && !unparsed_groups.contains(g) {
                let l = cx.at(loc, path, Part::Value);
                let mut d =
                    Diagnostic::error("unknown-group", format!("unknown group `{g}` in `{field}`"))
                        .at(l, "no group with this id");
                match group_names.borrow_mut().suggest(g, &cx.budget) {
                    Suggestion::Found(s) => {
                        d = d.help(format!("did you mean `{s}`?"));
                        cx.suggested_groups.insert(s);
                    }
                    _ => d = d.help("add a profile in content/groups/<id>.md or fix the id"),
                }
                cx.err(d);
            }
        };

    let mut out_groups = Vec::new();
    // Per group id, the position in `relationships:` as written of each parsed relationship,
    // to place diagnostics found once all groups are known.
    let mut relationship_at: BTreeMap<String, Vec<usize>> = BTreeMap::new();
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
            cx.err(
                Diagnostic::error("date-order", "`dissolved` is before `founded`")
                    .at(l, "earlier than the founding date"),
            );
        }
        let status = r.status.as_deref().and_then(|s| {
            let st = Status::parse(s);
            if st.is_none() {
                cx.vocab(loc, "status", s, Status::ALL);
            }
            st
        });
        for (i, a) in r.affiliations.iter().enumerate() {
            check_group_ref(
                &mut cx,
                loc,
                &[Seg::Key("affiliations"), Seg::Index(i)],
                "affiliations",
                a,
            );
        }
        for (i, a) in r.merged_from.iter().enumerate() {
            check_group_ref(
                &mut cx,
                loc,
                &[Seg::Key("merged_from"), Seg::Index(i)],
                "merged_from",
                a,
            );
        }
        if let Some(m) = &r.merged_into {
            if *m == id {
                let l = cx.at(loc, &[Seg::Key("merged_into")], Part::Value);
                cx.err(
                    Diagnostic::error("self-merge", format!("group `{id}` is merged into itself"))
                        .at(l, "names this same group"),
                );
            } else {
                check_group_ref(&mut cx, loc, &[Seg::Key("merged_into")], "merged_into", m);
            }
        }
        let mut leaders = Vec::new();
        for (i, l) in r.leaders.into_iter().enumerate() {
            let base = [Seg::Key("leaders"), Seg::Index(i)];
            let from = cx.date(
                loc,
                &[base[0].clone(), base[1].clone(), Seg::Key("from")],
                l.from.as_ref(),
            );
            let to = cx.date(
                loc,
                &[base[0].clone(), base[1].clone(), Seg::Key("to")],
                l.to.as_ref(),
            );
            if let (Some(f), Some(t)) = (from, to)
                && t.cmp_coarse(&f).is_lt()
            {
                let at = cx.at(
                    loc,
                    &[base[0].clone(), base[1].clone(), Seg::Key("to")],
                    Part::Value,
                );
                cx.err(
                    Diagnostic::error("date-order", "leader's `to` is before `from`")
                        .at(at, "earlier than `from`")
                        .help("swap `from` and `to`"),
                );
            }
            let name = match l.name {
                Some(n) if !n.trim().is_empty() => n,
                None if loc.dropped(&[base[0].clone(), base[1].clone(), Seg::Key("name")]) => {
                    String::new()
                }
                _ => {
                    let at = cx.at(loc, &base, Part::Value);
                    cx.err(
                        Diagnostic::error("missing-field", "leader without a `name`")
                            .at(at, "this leader"),
                    );
                    String::new()
                }
            };
            leaders.push(Leader {
                name,
                role: l.role,
                from,
                to,
            });
        }
        for (i, c) in r.area.iter().enumerate() {
            cx.country(loc, &[Seg::Key("area"), Seg::Index(i)], c);
        }
        overlapping_leaders(&mut cx, loc, &leaders);
        if let Some(n) = r.inter
            && !(1..=8).contains(&n)
        {
            let l = cx.at(loc, &[Seg::Key("inter")], Part::Value);
            cx.err(
                Diagnostic::error("invalid-value", format!("`inter` {n} is not an ACLED actor type"))
                    .at(l, "expected a code from 1 to 8")
                    .help("ACLED's codes: 1 state forces, 2 rebel groups, 3 political militias, 4 identity militias, 5 rioters, 6 protesters, 7 civilians, 8 external/other forces"),
            );
        }
        let mut relationships = Vec::new();
        let mut written_at = Vec::new();
        for (i, rel) in r.relationships.into_iter().enumerate() {
            let path = |k: Option<&'static str>| {
                let mut p = vec![Seg::Key("relationships"), Seg::Index(i)];
                p.extend(k.map(Seg::Key));
                p
            };
            let RawRelationship {
                group: other,
                kind,
                from,
                to,
                note,
                sources: rel_sources,
            } = rel;
            let mut ok = true;
            let other = other.map(|g| g.trim().to_string()).unwrap_or_default();
            if other.is_empty() && loc.dropped(&path(Some("group"))) {
                ok = false;
            } else if other.is_empty() {
                let l = cx.at(loc, &path(None), Part::Value);
                cx.err(
                    Diagnostic::error("missing-field", "relationship without a `group`")
                        .at(l, "this relationship names no group")
                        .help("add `group: <id>` with the other group's id"),
                );
                ok = false;
            } else if other == id {
                let l = cx.at(loc, &path(Some("group")), Part::Value);
                cx.err(
                    Diagnostic::error(
                        "self-relationship",
                        format!("group `{id}` has a relationship with itself"),
                    )
                    .at(l, "names this same group")
                    .help("a relationship links two different groups; fix the id"),
                );
                ok = false;
            } else {
                check_group_ref(&mut cx, loc, &path(Some("group")), "relationships", &other);
            }
            let kind = match kind.as_deref().map(str::trim) {
                Some(k) => {
                    let parsed = RelationKind::parse(k);
                    if parsed.is_none() {
                        cx.vocab_at(loc, &path(Some("type")), "type", k, RelationKind::ALL);
                    }
                    parsed
                }
                None if loc.dropped(&path(Some("type"))) => None,
                None => {
                    let l = cx.at(loc, &path(None), Part::Value);
                    cx.err(
                        Diagnostic::error("missing-field", "relationship without a `type`")
                            .at(l, "this relationship has no `type`")
                            .help(format!(
                                "add `type:` with one of {}",
                                RelationKind::ALL
                                    .iter()
                                    .map(|k| format!("`{k}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )),
                    );
                    None
                }
            };
            let from = cx.date(loc, &path(Some("from")), from.as_ref());
            let to = cx.date(loc, &path(Some("to")), to.as_ref());
            if let (Some(f), Some(t)) = (from, to)
                && t.cmp_coarse(&f).is_lt()
            {
                let l = cx.at(loc, &path(Some("to")), Part::Value);
                cx.err(
                    Diagnostic::error("date-order", "relationship's `to` is before `from`")
                        .at(l, "earlier than `from`")
                        .help("swap `from` and `to`"),
                );
            }
            let rel_sources = sources_at(&mut cx, loc, &path(None), rel_sources);
            if let (true, Some(kind)) = (ok, kind) {
                written_at.push(i);
                relationships.push(Relationship {
                    group: other,
                    kind,
                    from,
                    to,
                    note: note.filter(|n| !n.trim().is_empty()),
                    sources: rel_sources.into_iter().map(|(_, s)| s).collect(),
                });
            }
        }
        relationship_at.insert(id.clone(), written_at);
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
            acled_actor: r.acled_actor.filter(|a| !a.trim().is_empty()),
            inter: r.inter,
            relationships,
            body: rec.body,
            origin: origin(loc),
        });
    }
    out_groups.sort_by(|a, b| a.id.cmp(&b.id));
    check_lineage(&mut cx, &out_groups, &group_ids);
    check_relationships(&mut cx, &out_groups, &group_ids, &relationship_at);

    // Incidents.
    let mut incident_ids: BTreeMap<String, RecordLoc> = BTreeMap::new();
    let mut draft_ids: BTreeSet<String> = BTreeSet::new();
    let mut incidents = Vec::new();
    let mut named: BTreeSet<String> = BTreeSet::new();
    let mut links: Vec<incident::SameEventLinks> = Vec::new();
    for rec in raw.incidents {
        let r = rec.raw;
        let loc = &rec.loc;
        let stem = sources.files[loc.file].stem.clone();
        let id = cx.id(loc, r.id.as_ref(), &stem, "incident");
        if r.draft && !drafts {
            draft_ids.insert(id);
            continue;
        }
        // Every published record counts as naming its groups, even one with errors of its
        // own, so that a bad date does not also make its groups "unused". A group named as
        // a target is used too: its page lists the incidents in which it was targeted.
        named.extend(r.groups.iter().map(|g| g.id().to_string()));
        // A group or id left out for an error already reported: say nothing of what it
        // would have named or been named by.
        incidents_lost |= loc.touched(&[Seg::Key("groups")]) || loc.touched(&[Seg::Key("targets")]);
        incident_ids_lost |= loc.dropped(&[Seg::Key("id")]);
        named.extend(r.targets.iter().filter_map(|t| match t {
            RawTarget::Actor(a) => a.group.as_ref().map(|g| g.trim().to_string()),
            RawTarget::Name(_) => None,
        }));
        if let Some(first) = incident_ids.get(&id) {
            let first = cx.record_start(first);
            let here = if r.id.is_some() {
                cx.at(loc, &[Seg::Key("id")], Part::Value)
            } else {
                cx.record_start(loc)
            };
            cx.err(
                Diagnostic::error(
                    "duplicate-id",
                    format!("incident id `{id}` is defined twice"),
                )
                .at(here, "second definition")
                .note(Some(first), "first defined here")
                .help("give one of them a different `id`"),
            );
        } else if !id.is_empty() {
            incident_ids.insert(id.clone(), loc.clone());
        }
        let title = cx.required(loc, r.title.as_ref(), "title", "incident");
        let date = cx.required_date(
            loc,
            r.date.as_ref(),
            "incident",
            Some("add `date: YYYY-MM-DD` (or `YYYY-MM` / `YYYY` when less is known)"),
        );
        let end_date = cx.date(loc, &[Seg::Key("end_date")], r.end_date.as_ref());
        if let (Some(d), Some(e)) = (date, end_date)
            && e.cmp_coarse(&d).is_lt()
        {
            let l = cx.at(loc, &[Seg::Key("end_date")], Part::Value);
            cx.err(
                Diagnostic::error(
                    "date-order",
                    format!("`end_date` {} is before `date` {}", e.iso(), d.iso()),
                )
                .at(l, "earlier than the start date"),
            );
        }
        if let Some(d) = date
            && d.first_day() > today
        {
            let l = cx.at(loc, &[Seg::Key("date")], Part::Value);
            cx.err(
                Diagnostic::warning("future-date", format!("date {} is in the future", d.iso()))
                    .at(l, "after today"),
            );
        }
        if let (Some(d), Some(cutoff)) = (date, config.data_cutoff.as_ref())
            && d.cmp_coarse(cutoff).is_gt()
        {
            let l = cx.at(loc, &[Seg::Key("date")], Part::Value);
            cx.err(
                Diagnostic::warning(
                    "after-cutoff",
                    format!(
                        "incident dated {} is after the site's data cutoff {}",
                        d.iso(),
                        cutoff.iso()
                    ),
                )
                .at(l, "after `data_cutoff` in site.yaml")
                .help("it is published, marked as after the cutoff, and left out of totals, charts and digests; move `data_cutoff` in site.yaml to count it"),
            );
        }
        let location = incident_location(&mut cx, loc, r.location);
        let attribution = r.attribution.as_deref().and_then(|a| {
            let p = Attribution::parse(a);
            if p.is_none() {
                cx.vocab(loc, "attribution", a, Attribution::ALL);
            }
            p
        });
        let mut claims = Vec::with_capacity(r.groups.len());
        for (i, g) in r.groups.iter().enumerate() {
            let path = |k: Option<&'static str>| {
                let mut p = vec![Seg::Key("groups"), Seg::Index(i)];
                p.extend(k.map(Seg::Key));
                p
            };
            let claim = match g {
                RawGroupRef::Id(g) => {
                    check_group_ref(&mut cx, loc, &path(None), "groups", g);
                    GroupClaim {
                        id: g.clone(),
                        attribution: attribution.unwrap_or(Attribution::Unattributed),
                        claim_date: None,
                        claim_medium: None,
                        claimed: ClaimedFigures::default(),
                    }
                }
                RawGroupRef::Claim(c) => {
                    check_group_ref(&mut cx, loc, &path(Some("id")), "groups", &c.id);
                    let own = c.attribution.as_deref().map(str::trim).and_then(|a| {
                        match Attribution::parse(a) {
                            Some(Attribution::Unattributed) => {
                                let l = cx.at(loc, &path(Some("attribution")), Part::Value);
                                cx.err(
                                    Diagnostic::error(
                                        "invalid-value",
                                        format!("group `{}` cannot be `unattributed`", c.id),
                                    )
                                    .at(l, "expected one of `claimed`, `suspected`, `disputed`")
                                    .help("a group named in `groups` is at least suspected; remove the group if nobody is blamed"),
                                );
                                None
                            }
                            Some(p) => Some(p),
                            None => {
                                cx.vocab_at(
                                    loc,
                                    &path(Some("attribution")),
                                    "attribution",
                                    a,
                                    Attribution::GROUP,
                                );
                                None
                            }
                        }
                    });
                    let resolved = own.or(attribution).unwrap_or(Attribution::Unattributed);
                    let claimed = ClaimedFigures {
                        killed: cx.count_at(
                            loc,
                            &path(Some("claimed_killed")),
                            "claimed_killed",
                            c.claimed_killed,
                        ),
                        wounded: cx.count_at(
                            loc,
                            &path(Some("claimed_wounded")),
                            "claimed_wounded",
                            c.claimed_wounded,
                        ),
                        captured: cx.count_at(
                            loc,
                            &path(Some("claimed_captured")),
                            "claimed_captured",
                            c.claimed_captured,
                        ),
                    };
                    if resolved != Attribution::Claimed {
                        incident::claimed_without_claim(&mut cx, loc, &path, c, resolved);
                    }
                    GroupClaim {
                        id: c.id.clone(),
                        attribution: resolved,
                        claim_date: cx.date(loc, &path(Some("claim_date")), c.claim_date.as_ref()),
                        claim_medium: c
                            .claim_medium
                            .as_ref()
                            .map(|m| m.trim().to_string())
                            .filter(|m| !m.is_empty()),
                        claimed: if resolved == Attribution::Claimed {
                            claimed
                        } else {
                            ClaimedFigures::default()
                        },
                    }
                }
            };
            if let Some(d) = date {
                group_lifetime(
                    &mut cx,
                    loc,
                    &path,
                    g,
                    &r.groups,
                    d,
                    &out_groups,
                    &group_ids,
                );
            }
            claims.push(claim);
        }
        if let Some(et) = &r.event_type
            && config.event_label(et).is_none()
        {
            let allowed: Vec<&str> = config.event_types.iter().map(|e| e.id.as_str()).collect();
            cx.vocab(loc, "event_type", et, &allowed);
        }
        let claim_relation = incident::claim_relation(&mut cx, loc, r.claims.as_deref(), &claims);
        let targets = incident::targets(&mut cx, loc, r.targets, &check_group_ref);
        let c = r.casualties.unwrap_or_default();
        let casualties = Casualties {
            killed: cx.count(loc, "killed", c.killed),
            wounded: cx.count(loc, "wounded", c.wounded),
            captured: cx.count(loc, "captured", c.captured),
            attackers_killed: cx.count(loc, "attackers_killed", c.attackers_killed),
            fatalities: cx.count(loc, "fatalities", c.fatalities),
        };
        incident::fatalities_below_parts(&mut cx, loc, &casualties);
        let distinct_from: Vec<String> = r
            .distinct_from
            .iter()
            .map(|d| d.trim().to_string())
            .collect();
        let same_event_as = r.same_event_as.as_deref().map(|s| s.trim().to_string());
        if !id.is_empty() {
            links.push(incident::SameEventLinks {
                id: id.clone(),
                loc: loc.clone(),
                distinct_from: distinct_from.clone(),
                same_event_as: same_event_as.clone(),
            });
        }
        let sources_out = sources_at(&mut cx, loc, &[], r.sources);
        if let Some(d) = date {
            sources_predate(&mut cx, loc, d, &sources_out);
        }
        let sources_out: Vec<Source> = sources_out.into_iter().map(|(_, s)| s).collect();
        if sources_out.is_empty() && !loc.touched(&[Seg::Key("sources")]) {
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
                cx.err(
                    Diagnostic::error("invalid-tag", "tag has no letters or digits")
                        .at(l, "empty tag"),
                );
            } else {
                tags.push(t);
            }
        }
        let (Some(date), Some(location)) = (date, location) else {
            continue;
        };
        incidents.push(Incident {
            id,
            title,
            date,
            end_date,
            location,
            groups: claims.iter().map(|c| c.id.clone()).collect(),
            claims,
            attribution,
            claim_relation,
            event_type: r.event_type,
            targets,
            casualties,
            tags,
            summary: r.summary.filter(|s| !s.trim().is_empty()),
            sources: sources_out,
            distinct_from: distinct_from
                .into_iter()
                .filter(|d| !d.is_empty())
                .collect(),
            same_event_as: same_event_as.filter(|s| !s.is_empty()),
            draft: r.draft,
            body: rec.body,
            origin: origin(loc),
        });
    }
    incidents.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
    incident::check_links(
        &mut cx,
        &links,
        &incident_ids,
        &draft_ids,
        &unparsed_incidents,
        incident_ids_lost,
    );
    duplicates::check(&mut cx, &incidents, &incident_ids);

    // Groups no incident names. A profile tied to others (a merger, an affiliation, a typed
    // relationship, either way) is there for the lineage, not for incidents: no warning.
    let mut linked: BTreeSet<&str> = BTreeSet::new();
    for g in &out_groups {
        let others: Vec<&str> = g
            .affiliations
            .iter()
            .chain(&g.merged_from)
            .chain(&g.merged_into)
            .map(String::as_str)
            .chain(g.relationships.iter().map(|r| r.group.as_str()))
            .collect();
        if !others.is_empty() {
            linked.insert(g.id.as_str());
            linked.extend(others);
        }
    }
    for g in &out_groups {
        // An incident file that did not parse may name the group; say nothing rather than guess.
        if !named.contains(&g.id)
            && !linked.contains(g.id.as_str())
            && !cx.suggested_groups.contains(&g.id)
            && !incidents_lost
        {
            let f = &sources.files[g.origin.file];
            cx.err(
                Diagnostic::warning(
                    "unused-group",
                    format!("no incident names group `{}`", g.id),
                )
                .at(
                    Location::new(&f.rel, &f.text, 0, 3),
                    "this profile has no incidents",
                ),
            );
        }
    }

    // Briefings.
    let mut briefings = Vec::new();
    let mut briefing_ids: BTreeMap<String, RecordLoc> = BTreeMap::new();
    let mut incident_names = Suggester::new(incident_ids.keys().map(String::as_str));
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
                Diagnostic::error(
                    "duplicate-id",
                    format!("briefing id `{id}` is defined twice"),
                )
                .at(here, "second definition")
                .note(Some(first), "first defined here"),
            );
        } else {
            briefing_ids.insert(id.clone(), loc.clone());
        }
        let title = cx.required(loc, r.title.as_ref(), "title", "briefing");
        let date = cx.required_date(loc, r.date.as_ref(), "briefing", None);
        let data_cutoff = cx.date(loc, &[Seg::Key("data_cutoff")], r.data_cutoff.as_ref());
        for (i, g) in r.groups.iter().enumerate() {
            check_group_ref(
                &mut cx,
                loc,
                &[Seg::Key("groups"), Seg::Index(i)],
                "groups",
                g,
            );
        }
        for (i, inc) in r.incidents.iter().enumerate() {
            if !incident_ids.contains_key(inc)
                && !unparsed_incidents.contains(inc)
                && !incident_ids_lost
            {
                let l = cx.at(loc, &[Seg::Key("incidents"), Seg::Index(i)], Part::Value);
                let mut d = Diagnostic::error(
                    "unknown-incident",
                    format!("unknown incident `{inc}` in `incidents`"),
                )
                .at(
                    l,
                    if draft_ids.contains(inc) {
                        "this incident is a draft"
                    } else {
                        "no incident with this id"
                    },
                );
                if draft_ids.contains(inc) {
                    d = d.help(
                        "publish the incident (remove `draft: true`) or build with `--drafts`",
                    );
                } else if let Suggestion::Found(s) = incident_names.suggest(inc, &cx.budget) {
                    d = d.help(format!("did you mean `{s}`?"));
                }
                cx.err(d);
            }
        }
        if r.incidents.is_empty() && !loc.dropped(&[Seg::Key("incidents")]) {
            let l = cx.record_start(loc);
            cx.err(
                Diagnostic::warning(
                    "uncited-briefing",
                    format!("briefing `{id}` cites no incident"),
                )
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
            data_cutoff,
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
                    .help(format!(
                        "`/{id}/` belongs to the site itself; rename the file"
                    )),
            );
        }
        let title = cx.required(loc, rec.raw.title.as_ref(), "title", "page");
        pages.push(Page {
            id,
            title,
            description: rec.raw.description,
            body: rec.body,
            origin: origin(loc),
        });
    }
    pages.sort_by(|a, b| a.id.cmp(&b.id));
    let home = raw.home.map(|rec| Page {
        id: String::new(),
        title: rec.raw.title.unwrap_or_default(),
        description: rec.raw.description,
        body: rec.body,
        origin: origin(&rec.loc),
    });

    let assessments = digest::assessments(&mut cx, raw.assessments, config, today);

    let known = at_links::Known {
        incidents: &incident_ids,
        valid: &incidents,
        drafts: &draft_ids,
        groups: &group_ids,
        briefings: &briefing_ids,
        pages: pages.iter().map(|p| p.id.as_str()).collect(),
        unparsed: unparsed_by_kind,
        incident_ids_lost,
    };
    let all = cx.diags.has_errors();
    at_links::check(&mut cx, sources, &bodies, &known, all);

    let diags = cx.diags;
    if diags.has_errors() {
        return (None, diags);
    }
    (
        Some(Site {
            incidents,
            groups: out_groups,
            briefings,
            pages,
            home,
            assessments,
        }),
        diags,
    )
}

fn incident_location(cx: &mut Ctx<'_>, loc: &RecordLoc, raw: Option<RawLocation>) -> Option<Place> {
    let Some(r) = raw else {
        if loc.dropped(&[Seg::Key("location")]) {
            return None;
        }
        let l = cx.record_start(loc);
        cx.err(
            Diagnostic::error("missing-field", "missing required field `location`")
                .at(l, "this incident has no `location`")
                .help("add `location: {place: …, country: ML}` (country is required)"),
        );
        return None;
    };
    let mut country_ok = false;
    let country = match r.country {
        Some(c) => {
            country_ok = cx.country(loc, &[Seg::Key("location"), Seg::Key("country")], &c);
            c
        }
        None if loc.dropped(&[Seg::Key("location"), Seg::Key("country")]) => String::new(),
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
                let mut d = Diagnostic::error(
                    "invalid-coordinates",
                    format!("latitude {lat} is out of range"),
                )
                .at(l, "expected -90 to 90");
                if (-90.0..=90.0).contains(&lon) && (-180.0..=180.0).contains(&lat) {
                    d = d.help("did you swap `lat` and `lon`? `lat` runs north–south (-90 to 90)");
                }
                cx.err(d);
                ok = false;
            }
            if !(-180.0..=180.0).contains(&lon) {
                let l = cx.at(loc, &[Seg::Key("location"), Seg::Key("lon")], Part::Value);
                cx.err(
                    Diagnostic::error(
                        "invalid-coordinates",
                        format!("longitude {lon} is out of range"),
                    )
                    .at(l, "expected -180 to 180"),
                );
                ok = false;
            }
            if ok && country_ok {
                outside_country(cx, loc, &country, lat, lon);
            }
            ok.then_some((lat, lon))
        }
        (None, None) => None,
        // The other one left out for an error already reported.
        (lat, _)
            if loc.dropped(&[
                Seg::Key("location"),
                Seg::Key(if lat.is_some() { "lon" } else { "lat" }),
            ]) =>
        {
            None
        }
        (lat, _) => {
            let (have, missing) = if lat.is_some() {
                ("lat", "lon")
            } else {
                ("lon", "lat")
            };
            let l = cx.at(loc, &[Seg::Key("location"), Seg::Key(have)], Part::Key);
            cx.err(
                Diagnostic::error(
                    "invalid-coordinates",
                    format!("`{have}` given without `{missing}`"),
                )
                .at(l, format!("needs a `{missing}` too"))
                .help("give both coordinates, or neither"),
            );
            None
        }
    };
    let derived = PlacePrecision::default_for(
        coords.is_some(),
        r.place.as_deref().is_some_and(|p| !p.trim().is_empty()),
        r.admin1.as_deref().is_some_and(|a| !a.trim().is_empty()),
    );
    let precision = match r.precision.as_deref().map(str::trim) {
        Some(p) => match PlacePrecision::parse(p) {
            Some(p) => {
                if p != PlacePrecision::Exact
                    && let Some((lat, lon)) = coords
                {
                    false_precision(cx, loc, p, lat, lon);
                }
                p
            }
            None => {
                cx.vocab_at(
                    loc,
                    &[Seg::Key("location"), Seg::Key("precision")],
                    "precision",
                    p,
                    PlacePrecision::ALL,
                );
                derived
            }
        },
        None => derived,
    };
    Some(Place {
        place: r.place,
        admin1: r.admin1,
        admin2: r.admin2.filter(|a| !a.trim().is_empty()),
        country,
        coords,
        precision,
    })
}

/// Decimals in the shortest form of `x` that reads back as the same number: as written,
/// short of trailing zeros.
fn decimals(x: f64) -> usize {
    let s = x.to_string();
    s.split_once('.').map_or(0, |(_, frac)| frac.len())
}

/// Warns when a place known only roughly has coordinates written as if surveyed: more
/// than 2 decimals is a point within about a kilometre, which a `near` or `region`
/// location cannot honestly claim.
fn false_precision(cx: &mut Ctx<'_>, loc: &RecordLoc, p: PlacePrecision, lat: f64, lon: f64) {
    let (field, value, n) = if decimals(lat) >= decimals(lon) {
        ("lat", lat, decimals(lat))
    } else {
        ("lon", lon, decimals(lon))
    };
    if n <= 2 {
        return;
    }
    let l = cx.at(loc, &[Seg::Key("location"), Seg::Key(field)], Part::Value);
    let note = cx.at(
        loc,
        &[Seg::Key("location"), Seg::Key("precision")],
        Part::Value,
    );
    let rounded = (value * 100.0).round() / 100.0;
    cx.err(
        Diagnostic::warning(
            "false-precision",
            format!(
                "`{field}` {value} has {n} decimals, but the location is only `{}`",
                p.as_str()
            ),
        )
        .at(l, "as precise as about a hundred metres or better")
        .note(Some(note), format!("precision `{}` given here", p.as_str()))
        .help(format!(
            "round the coordinates to 2 decimals (`{field}: {rounded}`), or set `precision: exact` if the spot is known"
        )),
    );
}

/// Warns when an incident is attributed to a group before it was founded or after it was
/// dissolved, compared at the coarser precision of the two dates. A group that merged into
/// another is not reported after its end when the incident names its successor too: it
/// acts on as a part of it (ACLED codes JNIM's components as associated actors for years).
#[allow(clippy::too_many_arguments)]
fn group_lifetime(
    cx: &mut Ctx<'_>,
    loc: &RecordLoc,
    path: &dyn Fn(Option<&'static str>) -> Vec<Seg>,
    g: &RawGroupRef,
    all: &[RawGroupRef],
    date: PartialDate,
    groups: &[Group],
    group_locs: &BTreeMap<String, RecordLoc>,
) {
    let Ok(pos) = groups.binary_search_by(|x| x.id.as_str().cmp(g.id())) else {
        return;
    };
    let group = &groups[pos];
    let at = match g {
        RawGroupRef::Id(_) => path(None),
        RawGroupRef::Claim(_) => path(Some("id")),
    };
    let check = [
        (group.founded, "founded", "before-founded", "before", true),
        (
            group.dissolved,
            "dissolved",
            "after-dissolved",
            "after",
            false,
        ),
    ];
    for (bound, field, code, word, before) in check {
        let Some(bound) = bound else { continue };
        let ord = date.cmp_coarse(&bound);
        if (before && ord.is_ge()) || (!before && ord.is_le()) {
            continue;
        }
        let successor_named = group
            .merged_into
            .as_deref()
            .is_some_and(|m| all.iter().any(|x| x.id() == m));
        if !before && successor_named {
            continue;
        }
        let l = cx.at(loc, &at, Part::Value);
        let note = group_locs
            .get(&group.id)
            .map(|gl| cx.at(gl, &[Seg::Key(field)], Part::Value));
        cx.err(
            Diagnostic::warning(
                code,
                format!(
                    "incident dated {} is attributed to `{}`, {word} the group was {field} ({})",
                    date.iso(),
                    group.id,
                    bound.iso()
                ),
            )
            .at(l, format!("{word} `{}` was {field}", group.id))
            .note(note, format!("`{field}: {}` here", bound.iso()))
            .help(format!(
                "check the incident's `date`, the group's `{field}`, or whether another group is meant"
            )),
        );
    }
}

/// Warns when every dated source of an incident is dated before the incident began: the
/// date or the sources are probably wrong.
fn sources_predate(
    cx: &mut Ctx<'_>,
    loc: &RecordLoc,
    date: PartialDate,
    sources: &[(usize, Source)],
) {
    let dated: Vec<(usize, PartialDate)> = sources
        .iter()
        .filter_map(|(i, s)| s.date.map(|d| (*i, d)))
        .collect();
    if dated.is_empty() || !dated.iter().all(|(_, d)| d.cmp_coarse(&date).is_lt()) {
        return;
    }
    let Some(&(latest_i, latest)) = dated.iter().max_by(|a, b| a.1.cmp(&b.1)) else {
        return;
    };
    let l = cx.at(loc, &[Seg::Key("date")], Part::Value);
    let note = cx.at(
        loc,
        &[Seg::Key("sources"), Seg::Index(latest_i), Seg::Key("date")],
        Part::Value,
    );
    let what = if dated.len() == 1 {
        "its only dated source predates this".to_string()
    } else {
        format!("all {} of its dated sources predate this", dated.len())
    };
    cx.err(
        Diagnostic::warning(
            "sources-predate",
            format!(
                "incident dated {} is reported only by sources from before it",
                date.iso()
            ),
        )
        .at(l, what)
        .note(
            Some(note),
            format!("the latest source is dated {}", latest.iso()),
        )
        .help("check the incident's `date` and the sources' dates"),
    );
}

/// Warns when two leaders of one group held the same role over overlapping terms. Terms
/// without a start are left alone (nothing is known of them); a term without an end runs on.
fn overlapping_leaders(cx: &mut Ctx<'_>, loc: &RecordLoc, leaders: &[Leader]) {
    let role = |l: &Leader| {
        l.role
            .as_deref()
            .map(|r| r.trim().to_lowercase())
            .filter(|r| !r.is_empty())
    };
    // Coarse comparison: a handover within the month written (`to: 2017-03`,
    // `from: 2017-03`) is not an overlap.
    let before =
        |a: &PartialDate, b: Option<&PartialDate>| b.is_none_or(|b| a.cmp_coarse(b).is_lt());
    for (j, b) in leaders.iter().enumerate() {
        let Some(bf) = b.from.as_ref() else { continue };
        let Some(br) = role(b) else { continue };
        let earlier = leaders[..j].iter().enumerate().find(|(_, a)| {
            role(a).as_deref() == Some(br.as_str())
                && a.from
                    .as_ref()
                    .is_some_and(|af| before(af, b.to.as_ref()) && before(bf, a.to.as_ref()))
        });
        let Some((i, a)) = earlier else { continue };
        let l = cx.at(loc, &[Seg::Key("leaders"), Seg::Index(j)], Part::Value);
        let note = cx.at(loc, &[Seg::Key("leaders"), Seg::Index(i)], Part::Value);
        let term = |x: &Leader| match (x.from, x.to) {
            (Some(f), Some(t)) => format!("from {} to {}", f.iso(), t.iso()),
            (Some(f), None) => format!("from {}, no end given", f.iso()),
            _ => String::new(),
        };
        cx.err(
            Diagnostic::warning(
                "overlapping-leaders",
                format!(
                    "{} and {} both hold the role `{}` at the same time",
                    a.name,
                    b.name,
                    b.role.as_deref().unwrap_or_default().trim()
                ),
            )
            .at(l, format!("{}: {}", b.name, term(b)))
            .note(Some(note), format!("{}: {}", a.name, term(a)))
            .help("end the first term (`to:`) where the second begins, or tell the roles apart"),
        );
    }
}

/// The `sources:` list found at `prefix` (an incident's, or a relationship's), each with
/// its position in the list as written.
fn sources_at(
    cx: &mut Ctx<'_>,
    loc: &RecordLoc,
    prefix: &[Seg],
    raw: Vec<RawSource>,
) -> Vec<(usize, Source)> {
    let mut out = Vec::new();
    for (i, s) in raw.into_iter().enumerate() {
        let path = |k: Option<&'static str>| {
            let mut p = prefix.to_vec();
            p.extend([Seg::Key("sources"), Seg::Index(i)]);
            p.extend(k.map(Seg::Key));
            p
        };
        let url = match s.url {
            Some(u) => cx.url(loc, &path(Some("url")), &u).then_some(u),
            None => None,
        };
        let date = cx.date(loc, &path(Some("date")), s.date.as_ref());
        let title = match s.title {
            Some(t) if !t.trim().is_empty() => t,
            _ => match (&s.publisher, &url) {
                (Some(p), _) => p.clone(),
                (None, Some(u)) => u.clone(),
                (None, None) if loc.touched(&path(None)) => continue,
                (None, None) => {
                    let l = cx.at(loc, &path(None), Part::Value);
                    cx.err(
                        Diagnostic::error(
                            "empty-source",
                            "source has neither `title`, `publisher` nor `url`",
                        )
                        .at(l, "this source says nothing"),
                    );
                    continue;
                }
            },
        };
        out.push((
            i,
            Source {
                title,
                url,
                publisher: s.publisher,
                date,
            },
        ));
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
                // Report a cycle once, at its member with the smallest id, and show the
                // other links of the chain as notes.
                if seen.len() > 1 && seen.iter().all(|s| *s >= g.id.as_str()) {
                    let l = cx.at(loc, &[Seg::Key("merged_into")], Part::Value);
                    let mut d = Diagnostic::error(
                        "merge-cycle",
                        format!("`merged_into` forms a cycle: {} → {}", seen.join(" → "), g.id),
                    )
                    .at(l, format!("`{}` merged into `{}`…", g.id, seen[1]))
                    .help("a group can only merge into a group that outlived it; remove one `merged_into`");
                    for (i, member) in seen.iter().enumerate().skip(1) {
                        let into = seen.get(i + 1).copied().unwrap_or(g.id.as_str());
                        let note = locs
                            .get(*member)
                            .map(|ml| cx.at(ml, &[Seg::Key("merged_into")], Part::Value));
                        d = d.note(note, format!("…`{member}` merged into `{into}`"));
                    }
                    cx.err(d);
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
            let Some(src) = by_id.get(from.as_str()) else {
                continue;
            };
            if let Some(other) = &src.merged_into
                && other != &g.id
            {
                let l = cx.at(loc, &[Seg::Key("merged_from"), Seg::Index(i)], Part::Value);
                let note = locs
                    .get(&src.id)
                    .map(|sl| cx.at(sl, &[Seg::Key("merged_into")], Part::Value));
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

/// Checks relationships written on both sides: the same symmetric kind must give the same
/// dates where both give them; two groups cannot each be the other's splinter (or each
/// pledge to the other); allies cannot be rivals over the same time. Each conflict is one
/// error pointing at both entries.
fn check_relationships(
    cx: &mut Ctx<'_>,
    groups: &[Group],
    locs: &BTreeMap<String, RecordLoc>,
    written_at: &BTreeMap<String, Vec<usize>>,
) {
    let pos = |id: &str| groups.binary_search_by(|g| g.id.as_str().cmp(id)).ok();
    for a in groups {
        for (ai, ra) in a.relationships.iter().enumerate() {
            // Each pair once: from the group with the smaller id.
            if ra.group <= a.id {
                continue;
            }
            let Some(b) = pos(&ra.group).map(|p| &groups[p]) else {
                continue;
            };
            for (bi, rb) in b.relationships.iter().enumerate() {
                if rb.group != a.id {
                    continue;
                }
                let (problem, field) = if ra.kind == rb.kind {
                    if !ra.kind.symmetric() {
                        (
                            format!(
                                "`{}` and `{}` each say they are `{}` the other",
                                a.id,
                                b.id,
                                ra.kind.as_str()
                            ),
                            "type",
                        )
                    } else if ra.overlaps(rb) && !ra.agrees_with(rb) {
                        let from_differs = matches!((ra.from, rb.from), (Some(x), Some(y)) if !x.cmp_coarse(&y).is_eq());
                        (
                            format!(
                                "`{}` and `{}` give different dates for the same `{}` relationship",
                                a.id,
                                b.id,
                                ra.kind.as_str()
                            ),
                            if from_differs { "from" } else { "to" },
                        )
                    } else {
                        continue;
                    }
                } else if matches!(
                    (ra.kind, rb.kind),
                    (RelationKind::Ally, RelationKind::Rival)
                        | (RelationKind::Rival, RelationKind::Ally)
                ) && ra.overlaps(rb)
                {
                    (
                        format!(
                            "`{}` calls `{}` `{}`, but `{}` calls `{}` `{}` over the same time",
                            a.id,
                            b.id,
                            ra.kind.as_str(),
                            b.id,
                            a.id,
                            rb.kind.as_str()
                        ),
                        "type",
                    )
                } else {
                    continue;
                };
                let (Some(la), Some(lb)) = (locs.get(&a.id), locs.get(&b.id)) else {
                    continue;
                };
                let at = |id: &str, i: usize| {
                    written_at
                        .get(id)
                        .and_then(|v| v.get(i))
                        .copied()
                        .unwrap_or(i)
                };
                let said = |r: &Relationship| {
                    let mut s = format!("{} `{}`", r.kind.label(), r.group);
                    if let Some(f) = r.from {
                        s.push_str(&format!(" from {}", f.iso()));
                    }
                    if let Some(t) = r.to {
                        s.push_str(&format!(" to {}", t.iso()));
                    }
                    s
                };
                let path = |i: usize| [Seg::Key("relationships"), Seg::Index(i), Seg::Key(field)];
                let here = cx
                    .at_exact(la, &path(at(&a.id, ai)), Part::Value)
                    .unwrap_or_else(|| cx.at(la, &path(at(&a.id, ai))[..2], Part::Value));
                let there = cx
                    .at_exact(lb, &path(at(&b.id, bi)), Part::Value)
                    .unwrap_or_else(|| cx.at(lb, &path(at(&b.id, bi))[..2], Part::Value));
                cx.err(
                    Diagnostic::error("relationship-conflict", problem)
                        .at(here, format!("`{}` says: {}", a.id, said(ra)))
                        .note(Some(there), format!("`{}` says: {}", b.id, said(rb)))
                        .help("write the relationship on one side only, or make both sides say the same"),
                );
            }
        }
    }
}

/// Warns when coordinates lie far outside the bounding box of the named country (issue 3):
/// a swapped `lat`/`lon`, a lost minus sign or the wrong country. Countries without a box
/// in [`country::bbox`] are not checked.
fn outside_country(cx: &mut Ctx<'_>, loc: &RecordLoc, code: &str, lat: f64, lon: f64) {
    let Some(b) = country::bbox::by_code(code) else {
        return;
    };
    let km = b.distance_km(lat, lon);
    if km <= country::bbox::TOLERANCE_KM {
        return;
    }
    let name = country::name(code).unwrap_or(code);
    let l = cx.at(loc, &[Seg::Key("location"), Seg::Key("lat")], Part::Value);
    let note = cx.at(
        loc,
        &[Seg::Key("location"), Seg::Key("country")],
        Part::Value,
    );
    let rounded = ((km / 10.0).round() * 10.0) as u64;
    let mut d = Diagnostic::warning(
        "coordinates-outside-country",
        format!("coordinates {lat}, {lon} are far outside {name} (`{code}`)"),
    )
    .at(l, format!("about {rounded} km outside {name}"))
    .note(Some(note), "the country is given here");
    if b.distance_km(lon, lat) <= country::bbox::TOLERANCE_KM {
        d = d.help("did you swap `lat` and `lon`?");
    } else if b.distance_km(lat, -lon) <= country::bbox::TOLERANCE_KM {
        d = d.help("check the sign of `lon`: west of Greenwich is negative");
    } else if b.distance_km(-lat, lon) <= country::bbox::TOLERANCE_KM {
        d = d.help("check the sign of `lat`: south of the equator is negative");
    } else if let Some(other) = country::bbox::containing(lat, lon) {
        let other_name = country::name(other).unwrap_or(other);
        d = d.help(format!(
            "the point lies in or near {other_name} (`{other}`); check `country`"
        ));
    } else {
        d = d.help("check the coordinates and the country code");
    }
    cx.err(d);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Validates a site made of `files` (path, text) plus a minimal site.yaml.
    fn validated(files: &[(&str, &str)]) -> (Option<Site>, Diagnostics) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), "title: T\n").unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let config = crate::config::load(dir.path(), &Default::default()).unwrap();
        let (sources, _) = crate::load::read_sources(dir.path()).unwrap();
        let (raw, d) = crate::load::parse(&sources);
        assert!(d.is_empty(), "{}", d.render(false));
        let today = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        validate(raw, &sources, &config, today)
    }

    const GROUPS: [(&str, &str); 2] = [
        ("content/groups/jnim.md", "---\nname: JNIM\n---\n"),
        ("content/groups/isgs.md", "---\nname: ISGS\n---\n"),
    ];

    #[test]
    fn each_group_takes_its_own_attribution_else_the_records() {
        let inc = "---\ntitle: T\ndate: \"2017-06\"\nlocation: {admin1: Mopti, country: ML}\nattribution: claimed\ngroups:\n  - jnim\n  - {id: isgs, attribution: suspected, claim_medium: \" \"}\nsources: [{title: S}]\n---\n";
        let (site, d) = validated(&[GROUPS[0], GROUPS[1], ("content/incidents/a.md", inc)]);
        let site = site.unwrap_or_else(|| panic!("{}", d.render(false)));
        let i = &site.incidents[0];
        assert_eq!(i.groups, ["jnim", "isgs"]);
        let words: Vec<_> = i
            .claims
            .iter()
            .map(|c| (c.id.as_str(), c.attribution))
            .collect();
        assert_eq!(
            words,
            [
                ("jnim", Attribution::Claimed),
                ("isgs", Attribution::Suspected)
            ]
        );
        assert_eq!(i.claims[1].claim_medium, None, "blank medium is none");
        assert!(!i.competing_claim());
        assert_eq!(i.location.precision, PlacePrecision::Region);

        // No record attribution: a plain id is unattributed, an object keeps its own word.
        let inc = inc
            .replace("attribution: claimed\n", "")
            .replace("suspected", "claimed");
        let (site, _) = validated(&[GROUPS[0], GROUPS[1], ("content/incidents/a.md", &inc)]);
        let i = &site.unwrap().incidents[0];
        assert_eq!(i.claims[0].attribution, Attribution::Unattributed);
        assert_eq!(i.claims[1].attribution, Attribution::Claimed);
    }

    #[test]
    fn written_precision_wins_over_the_default() {
        let inc = |loc: &str| {
            format!(
                "---\ntitle: T\ndate: \"2017\"\nlocation: {loc}\ngroups: [jnim, isgs]\nsources: [{{title: S}}]\n---\n"
            )
        };
        for (loc, want) in [
            (
                "{place: Boni, country: ML, lat: 15.03, lon: -2.22}",
                PlacePrecision::Exact,
            ),
            ("{place: Boni, country: ML}", PlacePrecision::Near),
            ("{country: ML}", PlacePrecision::Country),
            (
                "{place: Boni, country: ML, lat: 15.03, lon: -2.22, precision: near}",
                PlacePrecision::Near,
            ),
        ] {
            let (site, d) =
                validated(&[GROUPS[0], GROUPS[1], ("content/incidents/a.md", &inc(loc))]);
            let site = site.unwrap_or_else(|| panic!("{}", d.render(false)));
            assert_eq!(site.incidents[0].location.precision, want, "{loc}");
            assert!(d.is_empty(), "{}", d.render(false));
        }
    }

    #[test]
    fn decimals_are_counted_as_written() {
        assert_eq!(decimals(12.58), 2);
        assert_eq!(decimals(12.583), 3);
        assert_eq!(decimals(12.0), 0);
        assert_eq!(decimals(-1.03), 2);
    }
}
