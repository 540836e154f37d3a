//! The incidents listing (newest first, paginated) and each incident's page.

use super::dirty::{Changes, Dirty};
use super::{Job, Kind, lazy, pusher};
use crate::config::Config;
use crate::content::Site;
use crate::index::Index;
use crate::render::context::*;
use crate::render::phrasing::*;
use crate::render::*;
use crate::routes;

/// The incidents listing, `paginate_by` incidents a page, newest first.
pub(super) struct Incidents;

impl Kind for Incidents {
    fn template(&self) -> &'static str {
        "incidents.html"
    }

    fn jobs<'a>(&self, sh: &'a Shared<'a>, _: &'a Bodies<'a>, out: &mut Vec<Job<'a>>) {
        let (site, config) = (sh.site, sh.config);
        let cutoff = config.data_cutoff.as_ref();
        let mut push = pusher(out);
        let total = sh.incidents.len();
        let per = config.paginate_by;
        let pages = std::sync::Arc::new(paginate(total, per));
        for (n, path) in pages.iter() {
            let (n, pages) = (*n, pages.clone());
            let title = if n == 1 {
                sh.words.text("section.incidents", &[])
            } else {
                sh.words.text(
                    "title.incidents_page",
                    &[("page", &sh.words.integer(n as i64))],
                )
            };
            push(
                self.template(),
                path.clone(),
                title,
                None,
                lazy(move || {
                    // Positions n..m of the newest-first list are site positions counted from the end.
                    let start = (n - 1) * per;
                    let on_page: Vec<usize> =
                        (0..total).rev().skip(start).take(per).collect::<Vec<_>>();
                    let mut sorted = on_page.clone();
                    sorted.sort_unstable();
                    IncidentsPage {
                        incidents: on_page.iter().map(|&p| &sh.incidents[p]).collect(),
                        pagination: Pagination {
                            current: n,
                            total_pages: pages.len(),
                            total_items: total,
                            prev: (n > 1).then(|| pages[n - 2].1.clone()),
                            next: pages.get(n).map(|p| p.1.clone()),
                            pages: page_window(&pages, n),
                        },
                        map: pictures::overview(
                            site,
                            &sorted,
                            &root_of(&pages[n - 1].1),
                            "Incidents on this page",
                            true,
                            cutoff,
                        ),
                    }
                }),
            );
        }
    }

    fn listed(&self, site: &Site, _: &Index, config: &Config, out: &mut Vec<String>) {
        let pages = site
            .incidents
            .len()
            .div_ceil(config.paginate_by.max(1))
            .max(1);
        out.extend((1..=pages).map(routes::incidents_page));
    }

    fn dirty(&self, c: &Changes<'_>, d: &mut Dirty) {
        fn newest_first(s: &Site) -> Vec<&str> {
            s.incidents.iter().rev().map(|i| i.id.as_str()).collect()
        }
        let (la, lb) = (newest_first(c.old.site), newest_first(c.new.site));
        let per = c.per_page;
        if la.len() != lb.len() {
            d.below(routes::INCIDENTS_PAGES.into());
            d.add(routes::INCIDENTS.into());
        } else {
            for (k, chunk) in lb.chunks(per).enumerate() {
                let before = la.get(k * per..((k + 1) * per).min(la.len()));
                if before != Some(chunk) || chunk.iter().any(|id| c.shown.contains(id)) {
                    d.add(routes::incidents_page(k + 1));
                }
            }
        }
        if lb.is_empty() {
            d.add(routes::INCIDENTS.into());
        }
    }
}

/// An incident's page: its facts, sources, body, neighbours and related records.
pub(super) struct Incident;

impl Kind for Incident {
    fn template(&self) -> &'static str {
        "incident.html"
    }

    fn jobs<'a>(&self, sh: &'a Shared<'a>, bodies: &'a Bodies<'a>, out: &mut Vec<Job<'a>>) {
        let (site, index) = (sh.site, sh.index);
        let mut push = pusher(out);
        for (p, inc) in site.incidents.iter().enumerate() {
            let s = &sh.incidents[p];
            push(
                self.template(),
                s.path.clone(),
                inc.title.clone(),
                inc.summary.clone(),
                Box::new(move || {
                    let (body, errors) = bodies.renderer.render(&inc.body, &inc.origin, "../../");
                    if !errors.is_empty() {
                        return Err(errors);
                    }
                    let who = who_did_it(
                        sh.words,
                        inc,
                        &s.claims.iter().map(|c| c.group.clone()).collect::<Vec<_>>(),
                    );
                    let page = IncidentPage {
                        who_text: words_text(&who),
                        who,
                        related: index
                            .related
                            .get(p)
                            .map(|r| r.iter().map(|&q| (&sh.incidents[q]).into()).collect())
                            .unwrap_or_default(),
                        incident: s,
                        place_name: inc.location.place.clone(),
                        admin1: inc.location.admin1.clone(),
                        coords: inc.location.coords.map(|(lat, lon)| Coords { lat, lon }),
                        targets: inc.targets.iter().map(|t| t.actor.clone()).collect(),
                        typed_targets: inc
                            .targets
                            .iter()
                            .map(|t| TargetView {
                                actor: t.actor.clone(),
                                kind: t.kind.map(|k| k.as_str()),
                                kind_label: t.kind.map(|k| k.label()),
                                group: t
                                    .group
                                    .as_deref()
                                    .and_then(|g| site.group_pos(g))
                                    .map(|g| sh.groups[g].clone()),
                            })
                            .collect(),
                        captured: show(sh.words, &inc.casualties.captured),
                        fatalities_words: fatalities_words(sh.words, &inc.casualties, s.counted),
                        claimed_figures: inc
                            .claims
                            .iter()
                            .filter_map(|c| {
                                let text = claimed_text(sh.words, &c.claimed)?;
                                let g = site.group_pos(&c.id)?;
                                Some(ClaimedFigures {
                                    group: sh.groups[g].clone(),
                                    text,
                                })
                            })
                            .collect(),
                        repeated_by: sh
                            .repeated_by
                            .get(&p)
                            .map(|v| {
                                v.iter()
                                    .map(|&q| Link {
                                        title: sh.incidents[q].title.clone(),
                                        path: sh.incidents[q].path.clone(),
                                    })
                                    .collect()
                            })
                            .unwrap_or_default(),
                        sources: inc
                            .sources
                            .iter()
                            .map(|src| SourceView {
                                title: src.title.clone(),
                                url: src.url.clone(),
                                publisher: src.publisher.clone(),
                                date: src.date.as_ref().map(DateView::from),
                            })
                            .collect(),
                        tags: sh.tag_refs(&inc.tags),
                        briefings: index.briefings_of_incident[p]
                            .iter()
                            .map(|&b| &sh.briefings[b])
                            .collect(),
                        body: body.html,
                        map: pictures::locator(inc, "../../"),
                        prev: p.checked_sub(1).map(|q| Link {
                            title: sh.incidents[q].title.clone(),
                            path: sh.incidents[q].path.clone(),
                        }),
                        next: sh.incidents.get(p + 1).map(|n| Link {
                            title: n.title.clone(),
                            path: n.path.clone(),
                        }),
                    };
                    ctx(&page).map_err(|d| vec![d])
                }),
            );
        }
    }

    fn listed(&self, site: &Site, _: &Index, _: &Config, out: &mut Vec<String>) {
        out.extend(
            site.incidents
                .iter()
                .filter(|i| !i.draft)
                .map(|i| routes::incident(&i.id)),
        );
    }

    fn dirty(&self, c: &Changes<'_>, d: &mut Dirty) {
        let (old, new) = (c.old, c.new);
        for id in &c.incidents {
            d.add(routes::incident(id));
        }
        for i in &c.shown_records {
            d.add(routes::incident(&i.id));
            // The record it repeats (`same_event_as`) names it back.
            if let Some(other) = &i.same_event_as {
                d.add(routes::incident(other));
            }
        }
        // A record repeating a changed one (`same_event_as` it) names it, title and all.
        for i in old.site.incidents.iter().chain(&new.site.incidents) {
            if i.same_event_as
                .as_deref()
                .is_some_and(|o| c.shown.contains(o))
            {
                d.add(routes::incident(&i.id));
            }
        }
        // Neighbours: an incident page links to the one before and after it.
        fn neighbours(s: &Site, p: usize) -> (Option<&str>, Option<&str>) {
            (
                p.checked_sub(1).map(|q| s.incidents[q].id.as_str()),
                s.incidents.get(p + 1).map(|i| i.id.as_str()),
            )
        }
        for (p, i) in new.site.incidents.iter().enumerate() {
            let now = neighbours(new.site, p);
            let before = old
                .index
                .incident_pos
                .get(&i.id)
                .map(|&q| neighbours(old.site, q));
            let shows_changed = [now.0, now.1]
                .into_iter()
                .flatten()
                .any(|n| c.shown.contains(n));
            if before != Some(now) || shows_changed {
                d.add(routes::incident(&i.id));
            }
        }
        // Related incidents: each page lists up to five others, with their titles and dates.
        for (p, i) in new.site.incidents.iter().enumerate() {
            let now: Vec<&str> = new.index.related[p]
                .iter()
                .map(|&q| new.site.incidents[q].id.as_str())
                .collect();
            let before: Option<Vec<&str>> = old.index.incident_pos.get(&i.id).map(|&q| {
                old.index.related[q]
                    .iter()
                    .map(|&r| old.site.incidents[r].id.as_str())
                    .collect()
            });
            if before.as_ref() != Some(&now) || now.iter().any(|id| c.shown.contains(id)) {
                d.add(routes::incident(&i.id));
            }
        }
        // Tag counts appear beside tags on every page that shows the tag.
        for t in c.counted_tags() {
            t.incidents
                .iter()
                .for_each(|&p| d.add(routes::incident(&new.site.incidents[p].id)));
        }
        // A briefing's incidents list it.
        for b in &c.briefings {
            for i in &b.incidents {
                d.add(routes::incident(i));
            }
        }
    }
}
