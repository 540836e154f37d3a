//! Incidents: each record's fields checked (id, dates, place, groups and their claims,
//! event type, targets, figures, same-event links, sources, tags), then the links between
//! records that only the whole set can check (`same_event_as`, `distinct_from`).
//!
//! Takes the raw incidents with their ids and returns the validated ones in chronological
//! order (ties by id); pushes every problem as a diagnostic. [`model`] holds the checks of
//! issue 15's model (claims, typed targets, all-deaths figures, same-event links).

use std::collections::BTreeMap;

use super::ctx::{Ctx, origin, valid_tags};
use super::place;
use super::refs::{GroupRefs, Refs};
use super::sources::{predating_sources, sources_at, sources_predate};
use crate::config::Config;
use crate::content::date::PartialDate;
use crate::content::raw::{RawGroupRef, RawIncident};
use crate::content::{
    Attribution, Casualties, ClaimedFigures, Group, GroupClaim, Incident, Source,
};
use crate::diagnostic::Diagnostic;
use crate::load::{Record, RecordLoc};
use crate::yaml::{Part, Seg};

mod model;

/// What every incident is checked against besides its own fields.
pub(super) struct Against<'a> {
    /// The site's configuration (event types, data cutoff).
    pub(super) config: &'a Config,
    /// The day of the run, for dates in the future.
    pub(super) today: chrono::NaiveDate,
    /// Every validated group, sorted by id.
    pub(super) groups: &'a [Group],
    /// The cross-reference tables.
    pub(super) refs: &'a Refs,
    /// The group reference check.
    pub(super) checks: &'a GroupRefs<'a>,
}

/// Validates every incident, then the same-event links between them.
pub(super) fn incidents(
    cx: &mut Ctx<'_>,
    with: &Against<'_>,
    raw: Vec<(String, Record<RawIncident>)>,
) -> Vec<Incident> {
    let mut out = Vec::new();
    let mut links: Vec<model::SameEventLinks> = Vec::new();
    for (id, rec) in raw {
        out.extend(incident(cx, with, id, rec, &mut links));
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
    let refs = with.refs;
    model::check_links(
        cx,
        &links,
        &refs.incidents,
        &refs.draft_incidents,
        &refs.unparsed_incidents,
        refs.incident_ids_lost,
    );
    out
}

/// One incident, or `None` when it has no usable date or place (reported); its
/// same-event links go to `links` either way.
fn incident(
    cx: &mut Ctx<'_>,
    with: &Against<'_>,
    id: String,
    rec: Record<RawIncident>,
    links: &mut Vec<model::SameEventLinks>,
) -> Option<Incident> {
    let Record { raw, body, loc } = rec;
    let RawIncident {
        id: _,
        title,
        date,
        end_date,
        location,
        groups,
        attribution,
        claims: claim_relation,
        event_type,
        targets,
        casualties,
        tags,
        summary,
        sources,
        distinct_from,
        same_event_as,
        draft,
        body: _,
    } = raw;
    let loc = &loc;
    let title = cx.required(loc, title.as_ref(), "title", "incident");
    let (date, end_date, future) = dates(cx, with, loc, date.as_ref(), end_date.as_ref());
    let location = place::location(cx, loc, location);
    let attribution = attribution.as_deref().and_then(|a| {
        let p = Attribution::parse(a);
        if p.is_none() {
            cx.vocab(loc, "attribution", a, Attribution::ALL);
        }
        p
    });
    let claims = claims(cx, with, loc, &groups, attribution, date);
    if let Some(et) = &event_type
        && with.config.event_label(et).is_none()
    {
        let allowed: Vec<&str> = with
            .config
            .event_types
            .iter()
            .map(|e| e.id.as_str())
            .collect();
        cx.vocab(loc, "event_type", et, &allowed);
    }
    let claim_relation = model::claim_relation(cx, loc, claim_relation.as_deref(), &claims);
    let check = |cx: &mut Ctx<'_>, loc: &RecordLoc, path: &[Seg], field: &str, g: &str| {
        with.checks.check(cx, loc, path, field, g)
    };
    let targets = model::targets(cx, loc, targets, &check);
    let c = casualties.unwrap_or_default();
    let casualties = Casualties {
        killed: cx.count(loc, "killed", c.killed),
        wounded: cx.count(loc, "wounded", c.wounded),
        captured: cx.count(loc, "captured", c.captured),
        attackers_killed: cx.count(loc, "attackers_killed", c.attackers_killed),
        fatalities: cx.count(loc, "fatalities", c.fatalities),
    };
    model::fatalities_below_parts(cx, loc, &casualties);
    let distinct_from: Vec<String> = distinct_from.iter().map(|d| d.trim().to_string()).collect();
    let same_event_as = same_event_as.as_deref().map(|s| s.trim().to_string());
    if !id.is_empty() {
        links.push(model::SameEventLinks {
            id: id.clone(),
            loc: loc.clone(),
            distinct_from: distinct_from.clone(),
            same_event_as: same_event_as.clone(),
        });
    }
    let sources_out = sources_at(cx, loc, &[], sources);
    match (future, date) {
        (Some(mut w), _) => {
            if let Some((note, latest)) = predating_sources(cx, loc, date, &sources_out) {
                w = w.note(
                    Some(note),
                    format!(
                        "its sources are older: the latest is dated {}",
                        latest.iso()
                    ),
                );
            }
            cx.err(w);
        }
        (None, Some(d)) => sources_predate(cx, loc, d, &sources_out),
        (None, None) => {}
    }
    let sources_out: Vec<Source> = sources_out.into_iter().map(|(_, s)| s).collect();
    if sources_out.is_empty() && !loc.touched(&[Seg::Key("sources")]) {
        let l = cx.record_start(loc);
        cx.err(
            Diagnostic::warning("no-sources", format!("incident `{id}` cites no sources"))
                .at(l, "no `sources:`")
                .help(
                    "every claim needs a source: add `sources: [{title: …, url: …, publisher: …}]`",
                ),
        );
    }
    let tags = valid_tags(cx, loc, tags);
    let (Some(date), Some(location)) = (date, location) else {
        return None;
    };
    Some(Incident {
        id,
        title,
        date,
        end_date,
        location,
        groups: claims.iter().map(|c| c.id.clone()).collect(),
        claims,
        attribution,
        claim_relation,
        event_type,
        targets,
        casualties,
        tags,
        summary: summary.filter(|s| !s.trim().is_empty()),
        sources: sources_out,
        distinct_from: distinct_from
            .into_iter()
            .filter(|d| !d.is_empty())
            .collect(),
        same_event_as: same_event_as.filter(|s| !s.is_empty()),
        draft,
        body,
        origin: origin(loc),
    })
}

/// `date` (required) and `end_date`: in order, warned when in the future or after the
/// site's data cutoff.
fn dates(
    cx: &mut Ctx<'_>,
    with: &Against<'_>,
    loc: &RecordLoc,
    date: Option<&crate::content::raw::Text>,
    end_date: Option<&crate::content::raw::Text>,
) -> (Option<PartialDate>, Option<PartialDate>, Option<Diagnostic>) {
    let (today, config) = (with.today, with.config);
    let date = cx.required_date(
        loc,
        date,
        "incident",
        Some("add `date: YYYY-MM-DD` (or `YYYY-MM` / `YYYY` when less is known)"),
    );
    let end_date = cx.date(loc, &[Seg::Key("end_date")], end_date);
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
    // A date in the future is one mistake (most often the year): one warning, which says
    // what else follows from it (after the cutoff, sources older than it) instead of two more
    // warnings about the same date. The caller adds the sources' note and reports it.
    let mut future = None;
    if let Some(d) = date
        && d.first_day() > today
    {
        let l = cx.at(loc, &[Seg::Key("date")], Part::Value);
        let mut w =
            Diagnostic::warning("future-date", format!("date {} is in the future", d.iso()))
                .at(l, "after today")
                .help("check the year: an incident is recorded once it has happened");
        if let Some(cutoff) = config.data_cutoff.as_ref()
            && d.cmp_coarse(cutoff).is_gt()
        {
            w = w.note(
                None,
                format!(
                    "it is also after the site's data cutoff {}: published, marked as after the cutoff, and left out of totals, charts and digests",
                    cutoff.iso()
                ),
            );
        }
        future = Some(w);
    }
    if let (None, Some(d), Some(cutoff)) = (&future, date, config.data_cutoff.as_ref())
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
    (date, end_date, future)
}

/// The groups an incident names (`groups:`), each with its own attribution, claim and
/// claimed figures, checked against the groups' lifetimes.
fn claims(
    cx: &mut Ctx<'_>,
    with: &Against<'_>,
    loc: &RecordLoc,
    groups: &[RawGroupRef],
    attribution: Option<Attribution>,
    date: Option<PartialDate>,
) -> Vec<GroupClaim> {
    let mut claims = Vec::with_capacity(groups.len());
    for (i, g) in groups.iter().enumerate() {
        let path = |k: Option<&'static str>| {
            let mut p = vec![Seg::Key("groups"), Seg::Index(i)];
            p.extend(k.map(Seg::Key));
            p
        };
        let claim = claim(cx, with.checks, loc, &path, g, attribution);
        if let Some(d) = date {
            group_lifetime(cx, loc, &path, g, groups, d, with.groups, &with.refs.groups);
        }
        claims.push(claim);
    }
    claims
}

/// One entry of `groups:`: a plain id takes the record's attribution; an object its own.
fn claim(
    cx: &mut Ctx<'_>,
    checks: &GroupRefs<'_>,
    loc: &RecordLoc,
    path: &dyn Fn(Option<&'static str>) -> Vec<Seg>,
    g: &RawGroupRef,
    attribution: Option<Attribution>,
) -> GroupClaim {
    match g {
        RawGroupRef::Id(g) => {
            checks.check(cx, loc, &path(None), "groups", g);
            GroupClaim {
                id: g.clone(),
                attribution: attribution.unwrap_or(Attribution::Unattributed),
                claim_date: None,
                claim_medium: None,
                claimed: ClaimedFigures::default(),
            }
        }
        RawGroupRef::Claim(c) => {
            checks.check(cx, loc, &path(Some("id")), "groups", &c.id);
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
                model::claimed_without_claim(cx, loc, &path, c, resolved);
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
    }
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
