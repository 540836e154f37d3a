//! The chronology: the list of years and each year's page.

use super::dirty::{Changes, Dirty, overview};
use super::{Job, Kind, lazy, pusher};
use crate::config::Config;
use crate::content::Site;
use crate::index::Index;
use crate::render::context::*;
use crate::render::phrasing::*;
use crate::render::*;
use crate::routes;

/// The list of years, with the monthly chart and timeline.
pub(super) struct Chronology;

impl Kind for Chronology {
    fn template(&self) -> &'static str {
        "chronology.html"
    }

    fn jobs<'a>(&self, sh: &'a Shared<'a>, _: &'a Bodies<'a>, out: &mut Vec<Job<'a>>) {
        let (site, index, config) = (sh.site, sh.index, sh.config);
        let cutoff = config.data_cutoff.as_ref();
        let mut push = pusher(out);
        push(
            self.template(),
            routes::CHRONOLOGY.into(),
            sh.words.text("section.chronology", &[]),
            None,
            lazy(move || ChronologyPage {
                years: index
                    .by_year
                    .iter()
                    .map(|(y, v)| {
                        let t = sh.count(v, None);
                        let k = figure_total(sh.words, "killed", &t.killed, t.incidents);
                        YearCount {
                            year: *y,
                            count: t.incidents,
                            killed: k.total,
                            killed_note: k.note,
                            path: routes::year(*y),
                        }
                    })
                    .collect(),
                total: site.incidents.len(),
                chart: pictures::monthly(
                    site,
                    &(0..site.incidents.len()).collect::<Vec<_>>(),
                    "Incidents per month, by group",
                    cutoff,
                ),
                timeline: pictures::timeline(site, index, "../", cutoff),
            }),
        );
    }

    fn listed(&self, _: &Site, _: &Index, _: &Config, out: &mut Vec<String>) {
        out.push(routes::CHRONOLOGY.into());
    }

    fn dirty(&self, c: &Changes<'_>, d: &mut Dirty) {
        overview(c, d, routes::CHRONOLOGY);
    }
}

/// A year's incidents, month by month, with links to the years on either side.
pub(super) struct Year;

impl Kind for Year {
    fn template(&self) -> &'static str {
        "year.html"
    }

    fn jobs<'a>(&self, sh: &'a Shared<'a>, _: &'a Bodies<'a>, out: &mut Vec<Job<'a>>) {
        let (site, index) = (sh.site, sh.index);
        let year_list: std::sync::Arc<Vec<i32>> =
            std::sync::Arc::new(index.by_year.keys().copied().collect());
        let mut push = pusher(out);
        for (k, (year, positions)) in index.by_year.iter().enumerate() {
            let year_list = year_list.clone();
            push(
                self.template(),
                routes::year(*year),
                sh.words
                    .text("title.chronology_year", &[("year", &year.to_string())]),
                None,
                lazy(move || {
                    let mut months: Vec<MonthBlock<'_>> = Vec::new();
                    for &p in positions {
                        let m = site.incidents[p].date.month;
                        if months.last().is_none_or(|b| b.month != m) {
                            let (label, anchor) = match m {
                                Some(m) => (
                                    super::super::digest::month_label(sh.words, (*year, m)),
                                    format!("m{m:02}"),
                                ),
                                None => (
                                    sh.words.text(
                                        "chronology.month_unknown",
                                        &[("year", &year.to_string())],
                                    ),
                                    "unknown".to_string(),
                                ),
                            };
                            months.push(MonthBlock {
                                label,
                                month: m,
                                anchor,
                                count: 0,
                                incidents: Vec::new(),
                            });
                        }
                        let block = months.last_mut().expect("just pushed");
                        block.incidents.push(&sh.incidents[p]);
                        if sh.incidents[p].same_event_as.is_none() {
                            block.count += 1;
                        }
                    }
                    let t = sh.count(positions, None);
                    let link = |y: i32| Link {
                        title: y.to_string(),
                        path: routes::year(y),
                    };
                    let totals = totals_view(sh.words, &t);
                    YearPage {
                        year: *year,
                        count: positions.len(),
                        killed: totals.killed.clone(),
                        totals,
                        months,
                        prev: k.checked_sub(1).map(|j| link(year_list[j])),
                        next: year_list.get(k + 1).map(|&y| link(y)),
                    }
                }),
            );
        }
    }

    fn listed(&self, _: &Site, index: &Index, _: &Config, out: &mut Vec<String>) {
        out.extend(index.by_year.keys().map(|&y| routes::year(y)));
    }

    fn dirty(&self, c: &Changes<'_>, d: &mut Dirty) {
        for i in &c.shown_records {
            d.add(routes::year(i.date.year));
        }
        // A year page links to the years on either side: a year that appears or goes changes
        // its neighbours' links (tests/testsuite/rebuild_property.rs found a 2017 page still
        // pointing at a 2016 that had just emptied).
        if c.years {
            d.below(routes::CHRONOLOGY.into());
        }
    }
}
