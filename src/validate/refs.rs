//! The cross-reference tables, built before any record is checked: the id of every group,
//! incident and briefing (each id checked, each duplicate reported once), the ids of files
//! that did not parse, and whether ids may have been lost to such files. Every check of a
//! reference (`groups:`, `incidents:`, `merged_into`, `@` links…) reads these.
//!
//! Takes the raw records and returns them paired with their ids, drafts left out unless the
//! run includes them; reports only bad and duplicate ids, never anything else of a record.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use super::ctx::Ctx;
use crate::content::raw::{RawBriefing, RawGroup, RawIncident, RawTarget};
use crate::diagnostic::{Diagnostic, Suggester, Suggestion};
use crate::load::{Kind, Record, RecordLoc, Unparsed};
use crate::yaml::{Part, Seg};

/// Every id the site defines, and what may be missing from them.
pub(super) struct Refs {
    /// Group ids, with where each is defined first.
    pub(super) groups: BTreeMap<String, RecordLoc>,
    /// Published incident ids (drafts too when the run includes drafts).
    pub(super) incidents: BTreeMap<String, RecordLoc>,
    /// Ids of draft incidents left out of this run, to say so when one is cited.
    pub(super) draft_incidents: BTreeSet<String>,
    /// Briefing ids.
    pub(super) briefings: BTreeMap<String, RecordLoc>,
    /// Ids that files which failed to parse seem to define: references to them are not
    /// reported again as unknown (issue 3: one mistake, one error).
    pub(super) unparsed_groups: BTreeSet<String>,
    /// The same for incidents.
    pub(super) unparsed_incidents: BTreeSet<String>,
    /// An incident (or its `groups`/`targets`) was lost to an error: which groups are named
    /// is not known for sure.
    pub(super) incidents_lost: bool,
    /// An incident id may be missing (a broken list file, an `id` in error): an unknown
    /// incident reference may be to it.
    pub(super) incident_ids_lost: bool,
    /// Groups named by a published incident, in `groups` or as a target.
    pub(super) named_groups: BTreeSet<String>,
}

/// The records to check, each with its id, drafts left out unless the run includes them.
pub(super) struct Ided {
    /// Groups in the order read.
    pub(super) groups: Vec<(String, Record<RawGroup>)>,
    /// Incidents in the order read.
    pub(super) incidents: Vec<(String, Record<RawIncident>)>,
    /// Briefings in the order read.
    pub(super) briefings: Vec<(String, Record<RawBriefing>)>,
}

/// Checks the id of every group, incident and briefing and builds the tables.
pub(super) fn build(
    cx: &mut Ctx<'_>,
    unparsed: &[Unparsed],
    groups: Vec<Record<RawGroup>>,
    incidents: Vec<Record<RawIncident>>,
    briefings: Vec<Record<RawBriefing>>,
    drafts: bool,
) -> (Refs, Ided) {
    let unparsed_ids = |kinds: &[Kind]| -> BTreeSet<String> {
        unparsed
            .iter()
            .filter(|u| kinds.contains(&u.kind))
            .flat_map(|u| u.ids.iter().cloned())
            .collect()
    };
    let mut refs = Refs {
        groups: BTreeMap::new(),
        incidents: BTreeMap::new(),
        draft_incidents: BTreeSet::new(),
        briefings: BTreeMap::new(),
        unparsed_groups: unparsed_ids(&[Kind::Group]),
        unparsed_incidents: unparsed_ids(&[Kind::Incident, Kind::IncidentList]),
        incidents_lost: unparsed
            .iter()
            .any(|u| matches!(u.kind, Kind::Incident | Kind::IncidentList)),
        incident_ids_lost: unparsed
            .iter()
            .any(|u| u.kind == Kind::IncidentList && !u.ids_complete),
        named_groups: BTreeSet::new(),
    };
    let groups = group_ids(cx, &mut refs, groups, drafts);
    let incidents = incident_ids(cx, &mut refs, incidents, drafts);
    let briefings = briefing_ids(cx, &mut refs, briefings, drafts);
    let ided = Ided {
        groups,
        incidents,
        briefings,
    };
    (refs, ided)
}

fn group_ids(
    cx: &mut Ctx<'_>,
    refs: &mut Refs,
    raw: Vec<Record<RawGroup>>,
    drafts: bool,
) -> Vec<(String, Record<RawGroup>)> {
    let mut out = Vec::new();
    for rec in raw {
        if rec.raw.draft && !drafts {
            continue;
        }
        let stem = cx.stem(&rec.loc).to_string();
        let id = cx.id(&rec.loc, rec.raw.id.as_ref(), &stem, "group");
        if let Some(first) = refs.groups.get(&id) {
            let first = cx.record_start(first);
            let here = cx.record_start(&rec.loc);
            cx.err(
                Diagnostic::error("duplicate-id", format!("group id `{id}` is defined twice"))
                    .at(here, "second definition")
                    .note(Some(first), "first defined here"),
            );
        } else {
            refs.groups.insert(id.clone(), rec.loc.clone());
        }
        out.push((id, rec));
    }
    out
}

fn incident_ids(
    cx: &mut Ctx<'_>,
    refs: &mut Refs,
    raw: Vec<Record<RawIncident>>,
    drafts: bool,
) -> Vec<(String, Record<RawIncident>)> {
    let mut out = Vec::new();
    for rec in raw {
        let (r, loc) = (&rec.raw, &rec.loc);
        let stem = cx.stem(loc).to_string();
        let id = cx.id(loc, r.id.as_ref(), &stem, "incident");
        if r.draft && !drafts {
            refs.draft_incidents.insert(id);
            continue;
        }
        // Every published record counts as naming its groups, even one with errors of its
        // own, so that a bad date does not also make its groups "unused". A group named as
        // a target is used too: its page lists the incidents in which it was targeted.
        refs.named_groups
            .extend(r.groups.iter().map(|g| g.id().to_string()));
        // A group or id left out for an error already reported: say nothing of what it
        // would have named or been named by.
        refs.incidents_lost |=
            loc.touched(&[Seg::Key("groups")]) || loc.touched(&[Seg::Key("targets")]);
        refs.incident_ids_lost |= loc.dropped(&[Seg::Key("id")]);
        refs.named_groups
            .extend(r.targets.iter().filter_map(|t| match t {
                RawTarget::Actor(a) => a.group.as_ref().map(|g| g.trim().to_string()),
                RawTarget::Name(_) => None,
            }));
        if let Some(first) = refs.incidents.get(&id) {
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
            refs.incidents.insert(id.clone(), loc.clone());
        }
        out.push((id, rec));
    }
    out
}

fn briefing_ids(
    cx: &mut Ctx<'_>,
    refs: &mut Refs,
    raw: Vec<Record<RawBriefing>>,
    drafts: bool,
) -> Vec<(String, Record<RawBriefing>)> {
    let mut out = Vec::new();
    for rec in raw {
        let loc = &rec.loc;
        if rec.raw.draft && !drafts {
            continue;
        }
        let stem = cx.stem(loc).to_string();
        let id = cx.id(loc, rec.raw.id.as_ref(), &stem, "briefing");
        if let Some(first) = refs.briefings.get(&id) {
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
            refs.briefings.insert(id.clone(), loc.clone());
        }
        out.push((id, rec));
    }
    out
}

/// Checks group references (`groups:`, `merged_into`, `targets[].group`…) against
/// [`Refs::groups`], with a "did you mean" from the run's budget.
pub(super) struct GroupRefs<'r> {
    refs: &'r Refs,
    names: RefCell<Suggester<'r>>,
}

impl<'r> GroupRefs<'r> {
    /// A checker over the groups of `refs`.
    pub(super) fn new(refs: &'r Refs) -> GroupRefs<'r> {
        GroupRefs {
            refs,
            names: RefCell::new(Suggester::new(refs.groups.keys().map(String::as_str))),
        }
    }

    /// Reports `unknown-group` when `g`, written at `path` in `field`, names no group (and
    /// no group of a file that failed to parse).
    pub(super) fn check(
        &self,
        cx: &mut Ctx<'_>,
        loc: &RecordLoc,
        path: &[Seg],
        field: &str,
        g: &str,
    ) {
        if self.refs.groups.contains_key(g) || self.refs.unparsed_groups.contains(g) {
            return;
        }
        let l = cx.at(loc, path, Part::Value);
        let mut d = Diagnostic::error("unknown-group", format!("unknown group `{g}` in `{field}`"))
            .at(l, "no group with this id");
        match self.names.borrow_mut().suggest(g, &cx.budget) {
            Suggestion::Found(s) => {
                d = d.help(format!("did you mean `{s}`?"));
                cx.suggested_groups.insert(s);
            }
            _ => d = d.help("add a profile in content/groups/<id>.md or fix the id"),
        }
        cx.err(d);
    }
}
