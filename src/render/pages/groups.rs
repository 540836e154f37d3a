//! The list of armed groups and each group's profile.

use super::dirty::{Changes, Dirty, overview};
use super::{Job, Kind, lazy, pusher};
use crate::config::Config;
use crate::content::Site;
use crate::index::Index;
use crate::render::context::*;
use crate::render::*;
use crate::routes;

/// The list of armed groups, their network and lineage.
pub(super) struct Groups;

impl Kind for Groups {
    fn template(&self) -> &'static str {
        "groups.html"
    }

    fn jobs<'a>(&self, sh: &'a Shared<'a>, _: &'a Bodies<'a>, out: &mut Vec<Job<'a>>) {
        let (site, index) = (sh.site, sh.index);
        let mut push = pusher(out);
        push(
            self.template(),
            routes::GROUPS.into(),
            sh.words.text("section.groups", &[]),
            None,
            lazy(move || {
                let mut by_name: Vec<usize> = (0..site.groups.len()).collect();
                by_name.sort_by(|&a, &b| {
                    site.groups[a]
                        .name
                        .to_lowercase()
                        .cmp(&site.groups[b].name.to_lowercase())
                });
                GroupsPage {
                    lineage: pictures::lineage_overview(site, index, "../"),
                    network: by_name
                        .iter()
                        .flat_map(|&g| {
                            index.relationships[g]
                                .iter()
                                .filter(|v| !v.inverse)
                                .map(move |v| NetworkRow {
                                    group: sh.groups[g].clone(),
                                    relationship: sh.relationship(v),
                                })
                        })
                        .collect(),
                    groups: by_name
                        .iter()
                        .map(|&g| {
                            let gr = &site.groups[g];
                            GroupListItem {
                                group: sh.groups[g].clone(),
                                status: gr.status.map(status_word),
                                founded: gr.founded.as_ref().map(DateView::from),
                                // Counted like every total: none after the data cutoff.
                                incidents: index.by_group[g]
                                    .iter()
                                    .filter(|&&p| sh.incidents[p].counted)
                                    .count(),
                                aliases: gr.aliases.clone(),
                            }
                        })
                        .collect(),
                }
            }),
        );
    }

    fn listed(&self, _: &Site, _: &Index, _: &Config, out: &mut Vec<String>) {
        out.push(routes::GROUPS.into());
    }

    fn dirty(&self, c: &Changes<'_>, d: &mut Dirty) {
        overview(c, d, routes::GROUPS);
    }
}

/// A group's profile: facts, relations, totals, chronology, map and charts.
pub(super) struct Group;

impl Kind for Group {
    fn template(&self) -> &'static str {
        "group.html"
    }

    fn jobs<'a>(&self, sh: &'a Shared<'a>, bodies: &'a Bodies<'a>, out: &mut Vec<Job<'a>>) {
        let (site, index, config) = (sh.site, sh.index, sh.config);
        let cutoff = config.data_cutoff.as_ref();
        let mut push = pusher(out);
        for (g, gr) in site.groups.iter().enumerate() {
            let title = match &gr.short_name {
                Some(s) => format!("{} ({s})", gr.name),
                None => gr.name.clone(),
            };
            push(
                self.template(),
                routes::group(&gr.id),
                title,
                None,
                lazy(move || {
                    let rel = &index.relations[g];
                    let refs =
                        |v: &[usize]| v.iter().map(|&x| sh.groups[x].clone()).collect::<Vec<_>>();
                    GroupPage {
                        group: GroupView {
                            r#ref: sh.groups[g].clone(),
                            aliases: gr.aliases.clone(),
                            founded: gr.founded.as_ref().map(DateView::from),
                            dissolved: gr.dissolved.as_ref().map(DateView::from),
                            status: gr.status.map(status_word),
                            ideology: gr.ideology.clone(),
                            area: gr.area.iter().map(|c| country_ref(sh.words, c)).collect(),
                            leaders: gr
                                .leaders
                                .iter()
                                .map(|l| LeaderView {
                                    name: l.name.clone(),
                                    role: l.role.clone(),
                                    from: l.from.as_ref().map(DateView::from),
                                    to: l.to.as_ref().map(DateView::from),
                                })
                                .collect(),
                        },
                        relations: RelationsView {
                            merged_from: refs(&rel.merged_from),
                            merged_into: rel.merged_into.map(|x| sh.groups[x].clone()),
                            affiliated_with: refs(&rel.affiliated_with),
                            affiliates: refs(&rel.affiliates),
                        },
                        relationships: index.relationships[g]
                            .iter()
                            .map(|v| sh.relationship(v))
                            .collect(),
                        totals: sh.totals(&index.by_group[g], Some(&gr.id)),
                        chronology: sh.chronology(&index.by_group[g], Some(&gr.id)),
                        targeted_in: sh.targeted_in[g]
                            .iter()
                            .map(|&p| &sh.incidents[p])
                            .collect(),
                        briefings: index.briefings_of_group[g]
                            .iter()
                            .map(|&b| &sh.briefings[b])
                            .collect(),
                        body: bodies.groups[g].html.clone(),
                        map: pictures::overview(
                            site,
                            &index.by_group[g],
                            "../../",
                            &format!("Incidents of {}", gr.label()),
                            false,
                            cutoff,
                        ),
                        charts: pictures::group_charts(
                            site,
                            &index.by_group[g],
                            gr.label(),
                            cutoff,
                        ),
                        lineage: pictures::lineage(site, index, g, "../../"),
                    }
                }),
            );
        }
    }

    fn listed(&self, site: &Site, _: &Index, _: &Config, out: &mut Vec<String>) {
        out.extend(site.groups.iter().map(|g| routes::group(&g.id)));
    }

    fn dirty(&self, c: &Changes<'_>, d: &mut Dirty) {
        for g in &c.group_bodies {
            d.add(routes::group(g));
        }
        // Its incidents' listed facts, and the incidents that target it ("Targeted in").
        for i in &c.shown_records {
            for g in &i.groups {
                d.add(routes::group(g));
            }
            for g in i.targets.iter().filter_map(|t| t.group.as_deref()) {
                d.add(routes::group(g));
            }
        }
        // The briefings naming it.
        for b in &c.briefings {
            for g in &b.groups {
                d.add(routes::group(g));
            }
        }
    }
}
