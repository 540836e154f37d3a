//! Indexes over the validated site, built once per build: group → incidents, group →
//! incidents it was targeted in, year → incidents, country → incidents, tag → records,
//! incident → briefings, incident ↔ other records of the same event, the reverse of
//! every group relationship, and each incident's related incidents. Holds positions into
//! `Site`'s vectors, never copies.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::{PartialDate, RelationKind, Site, Source, Tally};
use crate::ids::slug;

/// Reverse and forward group relationships, resolved both ways.
#[derive(Debug, Clone, Default)]
pub struct Relations {
    /// Groups that merged into this one (from their `merged_into` and this one's `merged_from`).
    pub merged_from: Vec<usize>,
    /// Group this one merged into.
    pub merged_into: Option<usize>,
    /// Groups this one lists as affiliations.
    pub affiliated_with: Vec<usize>,
    /// Groups that list this one as an affiliation.
    pub affiliates: Vec<usize>,
}

/// One typed relationship as a group's page shows it: written in its own file, or derived
/// from the other group's file (`inverse`).
#[derive(Debug, Clone, Serialize)]
pub struct RelationView {
    /// Position of the other group in `Site::groups`.
    pub other: usize,
    /// The kind as written by whichever group wrote it.
    pub kind: RelationKind,
    /// True when the other group wrote it: read with [`RelationKind::inverse_label`].
    pub inverse: bool,
    /// Since when.
    pub from: Option<PartialDate>,
    /// Until when.
    pub to: Option<PartialDate>,
    /// Context.
    pub note: Option<String>,
    /// Where it is documented.
    pub sources: Vec<Source>,
}

impl RelationView {
    /// "ally of", "splinter group", … as it reads before the other group's name.
    pub fn label(&self) -> &'static str {
        if self.inverse {
            self.kind.inverse_label()
        } else {
            self.kind.label()
        }
    }
}

/// The records carrying one tag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagRecords {
    /// The tag as first written (its display name).
    pub name: String,
    /// Positions of the incidents carrying it, chronological.
    pub incidents: Vec<usize>,
    /// Positions of the briefings carrying it.
    pub briefings: Vec<usize>,
}

impl TagRecords {
    /// Records carrying the tag, incidents and briefings together.
    pub fn count(&self) -> usize {
        self.incidents.len() + self.briefings.len()
    }
}

/// All indexes of one build. Incident positions are into `Site::incidents`, which is in
/// chronological order, so every list here is chronological too.
#[derive(Debug, Default)]
pub struct Index {
    /// Position of each incident id.
    pub incident_pos: BTreeMap<String, usize>,
    /// Position of each briefing id.
    pub briefing_pos: BTreeMap<String, usize>,
    /// Position of each page id.
    pub page_pos: BTreeMap<String, usize>,
    /// Incidents of each group (by group position).
    pub by_group: Vec<Vec<usize>>,
    /// Incidents in which each group (by group position) was targeted (a `targets` entry
    /// with its `group`), apart from its own chronology; chronological.
    pub targeted: Vec<Vec<usize>>,
    /// Other records of the same event, both ways, by incident position: for a record with
    /// `same_event_as`, the record it repeats; for that record, every record repeating it.
    /// Chronological; empty for most incidents.
    pub same_event: Vec<Vec<usize>>,
    /// Incidents per year.
    pub by_year: BTreeMap<i32, Vec<usize>>,
    /// Incidents per country code: only countries with at least one incident.
    pub by_country: BTreeMap<String, Vec<usize>>,
    /// The records carrying each tag, by tag slug.
    pub by_tag: BTreeMap<String, TagRecords>,
    /// Briefings citing each incident (by incident position).
    pub briefings_of_incident: Vec<Vec<usize>>,
    /// Briefings discussing each group (by group position).
    pub briefings_of_group: Vec<Vec<usize>>,
    /// Relationships of each group (by group position).
    pub relations: Vec<Relations>,
    /// Typed relationships of each group (by group position), its own and the inverses of
    /// the others', sorted by start date then the other group's id. A relationship both
    /// sides write appears once on each side.
    pub relationships: Vec<Vec<RelationView>>,
    /// Killed, summed over all incidents but repeats of another record (`same_event_as`);
    /// the data cutoff is not applied here: pages count through `content::count::Totals`.
    pub killed_total: Tally,
    /// Up to [`RELATED`] related incidents of each incident (by position): those sharing a
    /// group first, then those in the same first-level region, each nearest in time by start
    /// date, ties by id. Computed once per build so that a rebuild can diff it.
    pub related: Vec<Vec<usize>>,
}

/// How many related incidents an incident page lists.
pub const RELATED: usize = 5;

fn push_unique(v: &mut Vec<usize>, x: usize) {
    if !v.contains(&x) {
        v.push(x);
    }
}

/// Pushes `x` unless it is already last: for lists filled in ascending order, where a
/// repeat can only come from the same record (a group named twice). Searching the whole
/// list instead made the index quadratic: minutes at a million incidents.
fn push_ascending(v: &mut Vec<usize>, x: usize) {
    if v.last() != Some(&x) {
        v.push(x);
    }
}

impl Index {
    /// Builds every index in one pass over each collection.
    pub fn build(site: &Site) -> Index {
        let group_pos: BTreeMap<&str, usize> = site
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.id.as_str(), i))
            .collect();
        let mut ix = Index {
            by_group: vec![Vec::new(); site.groups.len()],
            targeted: vec![Vec::new(); site.groups.len()],
            same_event: vec![Vec::new(); site.incidents.len()],
            briefings_of_incident: vec![Vec::new(); site.incidents.len()],
            briefings_of_group: vec![Vec::new(); site.groups.len()],
            relations: vec![Relations::default(); site.groups.len()],
            ..Index::default()
        };
        for (i, inc) in site.incidents.iter().enumerate() {
            ix.incident_pos.insert(inc.id.clone(), i);
            for g in &inc.groups {
                if let Some(&gp) = group_pos.get(g.as_str()) {
                    push_ascending(&mut ix.by_group[gp], i);
                }
            }
            for t in &inc.targets {
                if let Some(&gp) = t.group.as_deref().and_then(|g| group_pos.get(g)) {
                    push_ascending(&mut ix.targeted[gp], i);
                }
            }
            ix.by_year.entry(inc.date.year).or_default().push(i);
            ix.by_country
                .entry(inc.location.country.clone())
                .or_default()
                .push(i);
            for t in &inc.tags {
                let e = ix.by_tag.entry(slug(t)).or_insert_with(|| TagRecords {
                    name: t.clone(),
                    ..TagRecords::default()
                });
                push_ascending(&mut e.incidents, i);
            }
            if inc.same_event_as.is_none() {
                ix.killed_total.add(inc.casualties.killed.as_ref());
            }
        }
        // After every id is known: a record may repeat a later one.
        for (i, inc) in site.incidents.iter().enumerate() {
            if let Some(&other) = inc
                .same_event_as
                .as_deref()
                .and_then(|o| ix.incident_pos.get(o))
            {
                ix.same_event[i].push(other);
                ix.same_event[other].push(i);
            }
        }
        for v in &mut ix.same_event {
            v.sort_unstable();
            v.dedup();
        }
        for (b, br) in site.briefings.iter().enumerate() {
            ix.briefing_pos.insert(br.id.clone(), b);
            for id in &br.incidents {
                if let Some(&p) = ix.incident_pos.get(id) {
                    push_ascending(&mut ix.briefings_of_incident[p], b);
                }
            }
            for g in &br.groups {
                if let Some(&gp) = group_pos.get(g.as_str()) {
                    push_ascending(&mut ix.briefings_of_group[gp], b);
                }
            }
            for t in &br.tags {
                let e = ix.by_tag.entry(slug(t)).or_insert_with(|| TagRecords {
                    name: t.clone(),
                    ..TagRecords::default()
                });
                push_ascending(&mut e.briefings, b);
            }
        }
        for (p, page) in site.pages.iter().enumerate() {
            ix.page_pos.insert(page.id.clone(), p);
        }
        // Only countries with incidents are indexed: a group's `area` names where it is said
        // to operate, and a page (and a count on the home page) for a country without any
        // recorded incident would say the site covers it (issue 15).
        for (gi, g) in site.groups.iter().enumerate() {
            if let Some(&into) = g.merged_into.as_deref().and_then(|m| group_pos.get(m)) {
                ix.relations[gi].merged_into = Some(into);
                push_unique(&mut ix.relations[into].merged_from, gi);
            }
            for from in &g.merged_from {
                if let Some(&f) = group_pos.get(from.as_str()) {
                    push_unique(&mut ix.relations[gi].merged_from, f);
                    if ix.relations[f].merged_into.is_none() {
                        ix.relations[f].merged_into = Some(gi);
                    }
                }
            }
            for a in &g.affiliations {
                if let Some(&ap) = group_pos.get(a.as_str()) {
                    push_unique(&mut ix.relations[gi].affiliated_with, ap);
                    push_unique(&mut ix.relations[ap].affiliates, gi);
                }
            }
        }
        ix.relationships = relationships(site, &group_pos);
        ix.related = related(site, &ix.by_group, &group_pos);
        for r in &mut ix.relations {
            r.merged_from.sort_unstable();
            r.affiliated_with.sort_unstable();
            r.affiliates.sort_unstable();
        }
        ix
    }
}

/// Each incident's related incidents (see [`Index::related`]).
///
/// Ranked by (shares a group, same region, days apart, id). Each tier draws from lists that
/// hold exactly its members — a group's incidents in the region, the group's incidents, the
/// region's incidents, all incidents — each sorted by (day, id), so the candidates at one
/// distance in days are two runs of ascending ids found by binary search. A tier takes runs
/// outward from the incident's day until it has enough, whatever the number of incidents on
/// one day (at a million incidents, hundreds share the first of a month). That keeps it
/// linear in the number of incidents, where comparing every pair would take hours at
/// 100,000.
fn related(
    site: &Site,
    by_group: &[Vec<usize>],
    group_pos: &BTreeMap<&str, usize>,
) -> Vec<Vec<usize>> {
    use rayon::prelude::*;
    let incs = &site.incidents;
    let days: Vec<i64> = incs
        .iter()
        .map(|i| i64::from(chrono::Datelike::num_days_from_ce(&i.date.first_day())))
        .collect();
    let by_day_id = |v: &mut Vec<usize>| {
        v.sort_by(|&a, &b| {
            days[a]
                .cmp(&days[b])
                .then_with(|| incs[a].id.cmp(&incs[b].id))
        });
    };
    // Regions are (country, admin1 without case), numbered.
    let mut region_ids: BTreeMap<(&str, String), usize> = BTreeMap::new();
    let region: Vec<Option<usize>> = incs
        .iter()
        .map(|i| {
            let a = i.location.admin1.as_deref().filter(|a| !a.is_empty())?;
            let next = region_ids.len();
            Some(
                *region_ids
                    .entry((i.location.country.as_str(), a.to_lowercase()))
                    .or_insert(next),
            )
        })
        .collect();
    let mut by_region: Vec<Vec<usize>> = vec![Vec::new(); region_ids.len()];
    let mut by_group_region: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    let mut groups_of: Vec<Vec<usize>> = Vec::with_capacity(incs.len());
    for (p, i) in incs.iter().enumerate() {
        let mut gs: Vec<usize> = i
            .groups
            .iter()
            .filter_map(|g| group_pos.get(g.as_str()).copied())
            .collect();
        gs.sort_unstable();
        gs.dedup();
        if let Some(r) = region[p] {
            by_region[r].push(p);
            for &g in &gs {
                by_group_region.entry((g, r)).or_default().push(p);
            }
        }
        groups_of.push(gs);
    }
    by_region.iter_mut().for_each(&by_day_id);
    by_group_region.values_mut().for_each(&by_day_id);
    let by_group: Vec<Vec<usize>> = by_group
        .iter()
        .map(|v| {
            let mut v = v.clone();
            by_day_id(&mut v);
            v
        })
        .collect();
    let mut all: Vec<usize> = (0..incs.len()).collect();
    by_day_id(&mut all);
    (0..incs.len())
        .into_par_iter()
        .map(|p| {
            let gs = &groups_of[p];
            let tiers: [Vec<&[usize]>; 4] = [
                match region[p] {
                    Some(r) => gs
                        .iter()
                        .filter_map(|&g| by_group_region.get(&(g, r)).map(Vec::as_slice))
                        .collect(),
                    None => Vec::new(),
                },
                gs.iter().map(|&g| by_group[g].as_slice()).collect(),
                region[p]
                    .map(|r| by_region[r].as_slice())
                    .into_iter()
                    .collect(),
                vec![all.as_slice()],
            ];
            let mut chosen: Vec<usize> = Vec::new();
            for lists in tiers {
                if chosen.len() >= RELATED {
                    break;
                }
                let want = RELATED - chosen.len();
                let mut cands: Vec<usize> = Vec::new();
                for list in lists {
                    nearest_in(
                        list,
                        days[p],
                        want,
                        &days,
                        site,
                        &|q| q != p && !chosen.contains(&q),
                        &mut cands,
                    );
                }
                cands.sort_unstable();
                cands.dedup();
                let apart = |q: usize| (days[q] - days[p]).abs();
                cands.sort_by(|&a, &b| {
                    apart(a)
                        .cmp(&apart(b))
                        .then_with(|| incs[a].id.cmp(&incs[b].id))
                });
                chosen.extend(cands.into_iter().take(want));
            }
            chosen
        })
        .collect()
}

/// Pushes onto `out` the `want` members of `list` (sorted by day, then id) nearest to day
/// `day` that pass `keep`, ties by id: distance by distance, the run of that day before and
/// the run after, merged by id.
fn nearest_in(
    list: &[usize],
    day: i64,
    want: usize,
    days: &[i64],
    site: &Site,
    keep: &dyn Fn(usize) -> bool,
    out: &mut Vec<usize>,
) {
    let id = |q: usize| site.incidents[q].id.as_str();
    let first = |v: i64| list.partition_point(|&q| days[q] < v);
    let after = |v: i64| list.partition_point(|&q| days[q] <= v);
    let mut taken = 0;
    let mut take_runs = |a: &[usize], b: &[usize], taken: &mut usize| {
        let (mut i, mut j) = (0, 0);
        while *taken < want && (i < a.len() || j < b.len()) {
            let q = if j >= b.len() || (i < a.len() && id(a[i]) <= id(b[j])) {
                i += 1;
                a[i - 1]
            } else {
                j += 1;
                b[j - 1]
            };
            if keep(q) {
                out.push(q);
                *taken += 1;
            }
        }
    };
    let (lo, hi) = (first(day), after(day));
    take_runs(&list[lo..hi], &[], &mut taken);
    let (mut left_end, mut right_start) = (lo, hi);
    while taken < want && (left_end > 0 || right_start < list.len()) {
        let dl = (left_end > 0).then(|| day - days[list[left_end - 1]]);
        let dr = (right_start < list.len()).then(|| days[list[right_start]] - day);
        let d = match (dl, dr) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => break,
        };
        let left: &[usize] = if dl == Some(d) {
            let s = first(day - d);
            let run = &list[s..left_end];
            left_end = s;
            run
        } else {
            &[]
        };
        let right: &[usize] = if dr == Some(d) {
            let e = after(day + d);
            let run = &list[right_start..e];
            right_start = e;
            run
        } else {
            &[]
        };
        take_runs(left, right, &mut taken);
    }
}

/// Every group's typed relationships, both directions.
fn relationships(site: &Site, group_pos: &BTreeMap<&str, usize>) -> Vec<Vec<RelationView>> {
    let mut out: Vec<Vec<RelationView>> = vec![Vec::new(); site.groups.len()];
    for (gi, g) in site.groups.iter().enumerate() {
        for r in &g.relationships {
            let Some(&other) = group_pos.get(r.group.as_str()) else {
                continue;
            };
            let view = |other: usize, inverse: bool| RelationView {
                other,
                kind: r.kind,
                inverse,
                from: r.from,
                to: r.to,
                note: r.note.clone(),
                sources: r.sources.clone(),
            };
            out[gi].push(view(other, false));
            // The other side wrote the same thing itself: its own entry stands there.
            let written_back = site.groups[other]
                .relationships
                .iter()
                .any(|back| back.group == g.id && back.agrees_with(r));
            if !written_back {
                out[other].push(view(gi, true));
            }
        }
    }
    for list in &mut out {
        list.sort_by(|a, b| {
            (a.from, &site.groups[a.other].id, a.kind, a.inverse).cmp(&(
                b.from,
                &site.groups[b.other].id,
                b.kind,
                b.inverse,
            ))
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Group, Incident, Location, Origin, Relationship};

    fn group(id: &str, rels: Vec<Relationship>) -> Group {
        Group {
            id: id.into(),
            name: id.to_uppercase(),
            short_name: None,
            aliases: vec![],
            founded: None,
            dissolved: None,
            status: None,
            affiliations: vec![],
            merged_from: vec![],
            merged_into: None,
            leaders: vec![],
            area: vec![],
            ideology: None,
            acled_actor: None,
            inter: None,
            relationships: rels,
            body: String::new(),
            origin: Origin {
                file: 0,
                body_offset: 0,
            },
        }
    }

    fn rel(group: &str, kind: RelationKind, from: Option<&str>) -> Relationship {
        Relationship {
            group: group.into(),
            kind,
            from: from.map(|f| PartialDate::parse(f).unwrap()),
            to: None,
            note: None,
            sources: vec![],
        }
    }

    fn shown(ix: &Index, site: &Site, g: usize) -> Vec<String> {
        ix.relationships[g]
            .iter()
            .map(|v| format!("{} {}", v.label(), site.groups[v.other].id))
            .collect()
    }

    #[test]
    fn inverse_relationships_appear_on_the_other_group_once() {
        // Sorted by id, as validate leaves them: ansar-dine, isgs, jnim, mujao.
        let site = Site {
            groups: vec![
                group(
                    "ansar-dine",
                    vec![rel("jnim", RelationKind::PledgedTo, Some("2017-03"))],
                ),
                group(
                    "isgs",
                    vec![
                        rel("mujao", RelationKind::SplinterOf, Some("2015-05")),
                        rel("jnim", RelationKind::Rival, Some("2019-07")),
                    ],
                ),
                // Written on both sides, agreeing: shown once on each.
                group(
                    "jnim",
                    vec![rel("isgs", RelationKind::Rival, Some("2019-07"))],
                ),
                group("mujao", vec![]),
            ],
            ..Site::default()
        };
        let ix = Index::build(&site);
        assert_eq!(
            shown(&ix, &site, 2),
            ["received a pledge from ansar-dine", "rival of isgs"]
        );
        assert_eq!(shown(&ix, &site, 1), ["splinter of mujao", "rival of jnim"]);
        assert_eq!(shown(&ix, &site, 3), ["splinter group isgs"]);
        assert_eq!(shown(&ix, &site, 0), ["pledged allegiance to jnim"]);
        assert!(ix.relationships[3][0].inverse);
        assert!(!ix.relationships[2][1].inverse);
    }

    fn incident(id: &str, date: &str, groups: &[&str], admin1: Option<&str>) -> Incident {
        Incident {
            id: id.into(),
            title: id.into(),
            date: PartialDate::parse(date).unwrap(),
            end_date: None,
            location: Location {
                place: None,
                admin1: admin1.map(str::to_string),
                admin2: None,
                country: "ML".into(),
                coords: None,
                precision: crate::content::PlacePrecision::Region,
            },
            groups: groups.iter().map(|g| g.to_string()).collect(),
            claims: vec![],
            attribution: None,
            claim_relation: None,
            event_type: None,
            targets: vec![],
            casualties: Default::default(),
            tags: vec![],
            summary: None,
            sources: vec![],
            distinct_from: vec![],
            same_event_as: None,
            draft: false,
            body: String::new(),
            origin: Origin {
                file: 0,
                body_offset: 0,
            },
        }
    }

    #[test]
    fn targeted_groups_and_same_event_records_are_indexed_both_ways() {
        let mut a = incident("a", "2017-05-10", &["jnim"], Some("Mopti"));
        a.targets = vec![
            "civilians".into(),
            crate::content::Target {
                actor: "MNLA fighters".into(),
                kind: Some(crate::content::TargetKind::Rebels),
                group: Some("mnla".into()),
            },
        ];
        // An earlier record repeating a later one, and a second repeat.
        let mut b = incident("b", "2017-05", &["jnim"], Some("Mopti"));
        b.same_event_as = Some("a".into());
        let mut c = incident("c", "2017-05-11", &["jnim"], Some("Mopti"));
        c.same_event_as = Some("a".into());
        let site = Site {
            incidents: vec![b, a, c],
            groups: vec![group("jnim", vec![]), group("mnla", vec![])],
            ..Site::default()
        };
        let ix = Index::build(&site);
        assert_eq!(ix.targeted, [vec![], vec![1]]);
        assert_eq!(
            ix.by_group[1],
            Vec::<usize>::new(),
            "targeted is not its chronology"
        );
        assert_eq!(ix.same_event, [vec![1], vec![0, 2], vec![1]]);
    }

    #[test]
    fn related_incidents_rank_group_then_region_then_time_then_id() {
        let mut incidents = vec![
            incident("a-self", "2017-05-10", &["jnim"], Some("Mopti")),
            // Same group, other region, 1 day apart: after every same-group same-region one.
            incident("b-group-near", "2017-05-11", &["jnim"], Some("Gao")),
            // Same group and region, far in time: first tier all the same.
            incident("c-both-far", "2015-01-01", &["jnim"], Some("mopti")),
            // Region only, two at the same distance: ties by id.
            incident("e-region", "2017-05-20", &["isgs"], Some("Mopti")),
            incident("d-region", "2017-04-30", &["isgs"], Some("Mopti")),
            // Nothing shared: only when the other tiers run out.
            incident("f-nothing", "2017-05-10", &["isgs"], None),
            incident("g-year", "2017", &["jnim"], Some("Mopti")),
        ];
        incidents.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
        let site = Site {
            incidents,
            groups: vec![group("isgs", vec![]), group("jnim", vec![])],
            ..Site::default()
        };
        let ix = Index::build(&site);
        let of = |id: &str| -> Vec<&str> {
            ix.related[ix.incident_pos[id]]
                .iter()
                .map(|&q| site.incidents[q].id.as_str())
                .collect()
        };
        // "2017" counts from 1 January: 129 days from 10 May, nearer than 2015.
        assert_eq!(
            of("a-self"),
            [
                "g-year",
                "c-both-far",
                "b-group-near",
                "d-region",
                "e-region"
            ]
        );
        assert_eq!(
            of("f-nothing"),
            ["d-region", "e-region", "a-self", "b-group-near", "g-year"]
        );
    }
}
