//! The home page: the introduction, latest records, figures and the last twelve months.

use super::dirty::{Changes, Dirty, overview};
use super::{Job, Kind, lazy, pusher};
use crate::config::Config;
use crate::content::Site;
use crate::index::Index;
use crate::render::context::*;
use crate::render::phrasing::*;
use crate::render::*;
use crate::routes;

/// The home page.
pub(super) struct Home;

impl Kind for Home {
    fn template(&self) -> &'static str {
        "index.html"
    }

    fn jobs<'a>(&self, sh: &'a Shared<'a>, bodies: &'a Bodies<'a>, out: &mut Vec<Job<'a>>) {
        let (site, index, config) = (sh.site, sh.index, sh.config);
        let cutoff = config.data_cutoff.as_ref();
        let mut push = pusher(out);
        push(
            self.template(),
            routes::HOME.into(),
            config.title.clone(),
            None,
            lazy(move || HomePage {
                intro_title: site
                    .home
                    .as_ref()
                    .map(|h| h.title.clone())
                    .filter(|t| !t.is_empty()),
                intro: bodies
                    .home
                    .as_ref()
                    .map(|b| b.html.clone())
                    .unwrap_or_default(),
                latest_briefings: sh.briefings.iter().rev().take(5).collect(),
                latest_incidents: sh.incidents.iter().rev().take(10).collect(),
                chart: pictures::last_twelve_months(site, cutoff),
                figures: {
                    let t = sh.count(&(0..site.incidents.len()).collect::<Vec<_>>(), None);
                    let counted = site.incidents.iter().filter(|i| i.counted(cutoff));
                    let years: Vec<i32> = counted.map(|i| i.date.year).collect();
                    let v = totals_view(sh.words, &t);
                    Figures {
                        incidents: t.incidents,
                        after_cutoff: t.after_cutoff,
                        groups: site.groups.len(),
                        briefings: site.briefings.len(),
                        countries: index.by_country.len(),
                        killed: v.killed,
                        killed_full: v.killed_full,
                        killed_unknown: v.killed_unknown,
                        attackers_killed: v.attackers_killed,
                        figures: v
                            .figures
                            .into_iter()
                            .filter(|f| {
                                matches!(f.key, "killed" | "attackers_killed" | "fatalities")
                            })
                            .collect(),
                        same_event: t.same_event,
                        first_year: years.iter().min().copied(),
                        last_year: years.iter().max().copied(),
                    }
                },
            }),
        );
    }

    fn listed(&self, _: &Site, _: &Index, _: &Config, out: &mut Vec<String>) {
        out.push(routes::HOME.to_string());
    }

    fn dirty(&self, c: &Changes<'_>, d: &mut Dirty) {
        // Its introduction, and what it lists and counts.
        if c.home {
            d.add(routes::HOME.into());
        }
        overview(c, d, routes::HOME);
    }
}
