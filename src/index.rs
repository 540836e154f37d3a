//! Indexes over the validated site, built once per build: group → incidents, year →
//! incidents, country → incidents, tag → records, incident → briefings, and the reverse of
//! every group relationship. Holds positions into `Site`'s vectors, never copies.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::{PartialDate, RelationKind, Site, Source, Tally};
use crate::validate::slug;

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
    /// Incidents per year.
    pub by_year: BTreeMap<i32, Vec<usize>>,
    /// Incidents per country code.
    pub by_country: BTreeMap<String, Vec<usize>>,
    /// Tag slug → (display name, incident positions, briefing positions).
    pub by_tag: BTreeMap<String, (String, Vec<usize>, Vec<usize>)>,
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
    /// Killed, summed over all incidents.
    pub killed_total: Tally,
}

fn push_unique(v: &mut Vec<usize>, x: usize) {
    if !v.contains(&x) {
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
            briefings_of_incident: vec![Vec::new(); site.incidents.len()],
            briefings_of_group: vec![Vec::new(); site.groups.len()],
            relations: vec![Relations::default(); site.groups.len()],
            ..Index::default()
        };
        for (i, inc) in site.incidents.iter().enumerate() {
            ix.incident_pos.insert(inc.id.clone(), i);
            for g in &inc.groups {
                if let Some(&gp) = group_pos.get(g.as_str()) {
                    push_unique(&mut ix.by_group[gp], i);
                }
            }
            ix.by_year.entry(inc.date.year).or_default().push(i);
            ix.by_country
                .entry(inc.location.country.clone())
                .or_default()
                .push(i);
            for t in &inc.tags {
                let e = ix
                    .by_tag
                    .entry(slug(t))
                    .or_insert_with(|| (t.clone(), Vec::new(), Vec::new()));
                push_unique(&mut e.1, i);
            }
            ix.killed_total.add(inc.casualties.killed.as_ref());
        }
        for (b, br) in site.briefings.iter().enumerate() {
            ix.briefing_pos.insert(br.id.clone(), b);
            for id in &br.incidents {
                if let Some(&p) = ix.incident_pos.get(id) {
                    push_unique(&mut ix.briefings_of_incident[p], b);
                }
            }
            for g in &br.groups {
                if let Some(&gp) = group_pos.get(g.as_str()) {
                    push_unique(&mut ix.briefings_of_group[gp], b);
                }
            }
            for t in &br.tags {
                let e = ix
                    .by_tag
                    .entry(slug(t))
                    .or_insert_with(|| (t.clone(), Vec::new(), Vec::new()));
                push_unique(&mut e.2, b);
            }
        }
        for (p, page) in site.pages.iter().enumerate() {
            ix.page_pos.insert(page.id.clone(), p);
        }
        // Countries named only in a group's `area` get a page too, so the link from the
        // group's facts box leads somewhere (it lists the groups operating there).
        for g in &site.groups {
            for c in &g.area {
                ix.by_country.entry(c.clone()).or_default();
            }
        }
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
        for r in &mut ix.relations {
            r.merged_from.sort_unstable();
            r.affiliated_with.sort_unstable();
            r.affiliates.sort_unstable();
        }
        ix
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
    use crate::content::{Group, Origin, Relationship};

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
}
