//! The list of briefings and each briefing's page.

use super::dirty::{Changes, Dirty, overview};
use super::{Job, Kind, lazy, pusher};
use crate::config::Config;
use crate::content::Site;
use crate::index::Index;
use crate::render::context::*;
use crate::render::*;
use crate::routes;

/// The list of briefings, newest first.
pub(super) struct Briefings;

impl Kind for Briefings {
    fn template(&self) -> &'static str {
        "briefings.html"
    }

    fn jobs<'a>(&self, sh: &'a Shared<'a>, _: &'a Bodies<'a>, out: &mut Vec<Job<'a>>) {
        let mut push = pusher(out);
        push(
            self.template(),
            routes::BRIEFINGS.into(),
            sh.words.text("section.briefings", &[]),
            None,
            lazy(move || BriefingsPage {
                briefings: sh.briefings.iter().rev().collect(),
            }),
        );
    }

    fn listed(&self, _: &Site, _: &Index, _: &Config, out: &mut Vec<String>) {
        out.push(routes::BRIEFINGS.into());
    }

    fn dirty(&self, c: &Changes<'_>, d: &mut Dirty) {
        overview(c, d, routes::BRIEFINGS);
    }
}

/// A briefing: its body with a table of contents, and the records it names.
pub(super) struct Briefing;

impl Kind for Briefing {
    fn template(&self) -> &'static str {
        "briefing.html"
    }

    fn jobs<'a>(&self, sh: &'a Shared<'a>, bodies: &'a Bodies<'a>, out: &mut Vec<Job<'a>>) {
        let (site, index) = (sh.site, sh.index);
        let mut push = pusher(out);
        for (b, br) in site.briefings.iter().enumerate() {
            push(
                self.template(),
                routes::briefing(&br.id),
                br.title.clone(),
                br.summary.clone(),
                lazy(move || {
                    let mut incs: Vec<usize> = br
                        .incidents
                        .iter()
                        .filter_map(|i| index.incident_pos.get(i).copied())
                        .collect();
                    incs.sort_unstable();
                    incs.dedup();
                    BriefingPage {
                        briefing: &sh.briefings[b],
                        groups: br
                            .groups
                            .iter()
                            .filter_map(|g| site.group(g).map(group_ref))
                            .collect(),
                        incidents: incs.iter().map(|&p| &sh.incidents[p]).collect(),
                        tags: sh.tag_refs(&br.tags),
                        toc: headings(&bodies.briefings[b]),
                        body: bodies.briefings[b].html.clone(),
                    }
                }),
            );
        }
    }

    fn listed(&self, site: &Site, _: &Index, _: &Config, out: &mut Vec<String>) {
        out.extend(
            site.briefings
                .iter()
                .filter(|b| !b.draft)
                .map(|b| routes::briefing(&b.id)),
        );
    }

    fn dirty(&self, c: &Changes<'_>, d: &mut Dirty) {
        // Briefings citing an incident whose listed facts changed, before or after.
        for id in &c.shown {
            for b in [c.old, c.new] {
                if let Some(&p) = b.index.incident_pos.get(*id) {
                    for &x in &b.index.briefings_of_incident[p] {
                        d.add(routes::briefing(&b.site.briefings[x].id));
                    }
                }
            }
        }
        // Tag counts appear beside tags on every page that shows the tag.
        for t in c.counted_tags() {
            t.briefings
                .iter()
                .for_each(|&b| d.add(routes::briefing(&c.new.site.briefings[b].id)));
        }
        for b in &c.briefings {
            d.add(routes::briefing(&b.id));
        }
    }
}
