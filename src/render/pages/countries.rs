//! The countries: their list, each country's page and its monthly digests.

use super::dirty::{Changes, Dirty, overview};
use super::{Job, Kind, lazy, pusher};
use crate::config::Config;
use crate::content::Site;
use crate::index::Index;
use crate::render::context::*;
use crate::render::phrasing::*;
use crate::render::*;
use crate::routes;

/// The list of countries with incidents or analysts' assessments.
pub(super) struct Countries;

impl Kind for Countries {
    fn template(&self) -> &'static str {
        "countries.html"
    }

    fn jobs<'a>(&self, sh: &'a Shared<'a>, _: &'a Bodies<'a>, out: &mut Vec<Job<'a>>) {
        let (site, index) = (sh.site, sh.index);
        let mut push = pusher(out);
        push(
            self.template(),
            routes::COUNTRIES.into(),
            sh.words.text("section.countries", &[]),
            None,
            lazy(move || {
                let mut countries: Vec<(bool, CountryListItem)> = digest::countries(site, index)
                    .into_iter()
                    .map(|(c, v)| {
                        let t = sh.count(v, None);
                        let k = figure_total(sh.words, "killed", &t.killed, t.incidents);
                        let row = CountryListItem {
                            country: country_ref(sh.words, c),
                            count: t.incidents,
                            killed: k.total,
                            killed_note: k.note,
                            after_cutoff: t.after_cutoff,
                        };
                        (v.is_empty(), row)
                    })
                    .collect();
                // Readers look a country up by its name, not its code (DZ is Algeria); countries
                // with analysts' assessments only come after those with incidents.
                countries.sort_by(|(a_none, a), (b_none, b)| {
                    a_none
                        .cmp(b_none)
                        .then_with(|| by_name(&a.country.name, &b.country.name))
                });
                CountriesPage {
                    with_incidents: index.by_country.len(),
                    countries: countries.into_iter().map(|(_, row)| row).collect(),
                }
            }),
        );
    }

    fn listed(&self, _: &Site, _: &Index, _: &Config, out: &mut Vec<String>) {
        out.push(routes::COUNTRIES.into());
    }

    fn dirty(&self, c: &Changes<'_>, d: &mut Dirty) {
        overview(c, d, routes::COUNTRIES);
    }
}

/// A country's page, followed in the table by its monthly digests ([`CountryMonth`]),
/// so each country's pages stay together (the sitemap lists them so).
pub(super) struct Country;

impl Kind for Country {
    fn template(&self) -> &'static str {
        "country.html"
    }

    fn jobs<'a>(&self, sh: &'a Shared<'a>, bodies: &'a Bodies<'a>, out: &mut Vec<Job<'a>>) {
        let (site, index, config) = (sh.site, sh.index, sh.config);
        let cutoff = config.data_cutoff.as_ref();
        for (c, positions) in digest::countries(site, index) {
            let mut push = pusher(out);
            let cr = country_ref(sh.words, c);
            push(
                self.template(),
                cr.path.clone(),
                cr.name.clone(),
                None,
                lazy(move || {
                    // Groups named in the country's counted incidents, with their counts; groups
                    // that only list the country in their `area` are shown apart, uncounted.
                    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
                    for &p in positions.iter().filter(|&&p| sh.incidents[p].counted) {
                        for g in &site.incidents[p].groups {
                            if let Some(gp) = site.group_pos(g) {
                                *counts.entry(gp).or_default() += 1;
                            }
                        }
                    }
                    let mut also: Vec<usize> = site
                        .groups
                        .iter()
                        .enumerate()
                        .filter(|(gp, g)| !counts.contains_key(gp) && g.area.iter().any(|a| a == c))
                        .map(|(gp, _)| gp)
                        .collect();
                    also.sort_by(|&a, &b| by_name(site.groups[a].label(), site.groups[b].label()));
                    let mut groups: Vec<GroupCount> = counts
                        .into_iter()
                        .map(|(g, count)| GroupCount {
                            group: sh.groups[g].clone(),
                            count,
                        })
                        .collect();
                    groups.sort_by(|a, b| {
                        b.count
                            .cmp(&a.count)
                            .then_with(|| a.group.id.cmp(&b.group.id))
                    });
                    let cr = country_ref(sh.words, c);
                    CountryPage {
                        totals: sh.totals(positions, None),
                        groups,
                        also_active: also.into_iter().map(|g| sh.groups[g].clone()).collect(),
                        chronology: sh.chronology(positions, None),
                        map: pictures::overview(
                            site,
                            positions,
                            "../../",
                            &format!("Incidents in {}", cr.name),
                            true,
                            cutoff,
                        ),
                        chart: pictures::yearly_by_group(
                            site,
                            positions,
                            &format!("Incidents per year in {}, by group", cr.name),
                            cutoff,
                        ),
                        months: sh
                            .digests(c, positions)
                            .iter()
                            .rev()
                            .map(|d| MonthDigestLink {
                                label: d.label.clone(),
                                path: routes::country_month(c, &d.key),
                                count: d.totals.incidents,
                                trend: d.verdict.trend(),
                                status: d.verdict.status(),
                                status_words: d.verdict.words(),
                                assessed: d.assessment.map(|a| site.assessments[a].trend.as_str()),
                            })
                            .collect(),
                        has_data: !positions.is_empty(),
                        country: cr,
                    }
                }),
            );
            // The digests are pushed by their own kind, after this page.
            drop(push);
            CountryMonth::jobs_for(sh, bodies, c, positions, out);
        }
    }

    fn listed(&self, site: &Site, index: &Index, config: &Config, out: &mut Vec<String>) {
        for (c, positions) in digest::countries(site, index) {
            out.push(routes::country(c));
            CountryMonth::listed_for(site, c, positions, config, out);
        }
    }

    fn dirty(&self, c: &Changes<'_>, d: &mut Dirty) {
        for i in &c.shown_records {
            d.add(routes::country(&i.location.country));
        }
        // Its page (the archive) and every digest, when a month's set of incidents or an
        // assessment changed.
        for cc in &c.archives {
            d.below(routes::country(cc));
        }
        CountryMonth::dirty_for(c, d);
    }
}

/// A country's digest of one month: its incidents against the month before, the trend and
/// the analyst's assessment. [`Country`] lists these after its country's page.
pub(super) struct CountryMonth;

impl CountryMonth {
    /// The template of every digest.
    pub(super) const TEMPLATE: &'static str = "country_month.html";

    /// The digests of country `c` (its incidents `positions`), oldest first.
    fn jobs_for<'a>(
        sh: &'a Shared<'a>,
        bodies: &'a Bodies<'a>,
        c: &'a str,
        positions: &'a [usize],
        out: &mut Vec<Job<'a>>,
    ) {
        let site = sh.site;
        let cutoff = sh.config.data_cutoff.as_ref();
        let mut push = pusher(out);
        // Monthly digests: one page per month with counted incidents.
        let digests = std::sync::Arc::new(sh.digests(c, positions));
        for k in 0..digests.len() {
            let digests = digests.clone();
            let d = &digests[k];
            let cr = country_ref(sh.words, c);
            push(
                Self::TEMPLATE,
                routes::country_month(c, &d.key),
                format!("{}: {}", cr.name, d.label),
                Some(format!(
                    "Incidents in {} in {}, against the month before.",
                    cr.name, d.label
                )),
                Box::new(move || {
                    let d = &digests[k];
                    let cr = country_ref(sh.words, c);
                    let assessment = match d.assessment.map(|a| &site.assessments[a]) {
                        Some(a) => {
                            let (body, errors) =
                                bodies.renderer.render(&a.body, &a.origin, "../../../");
                            if !errors.is_empty() {
                                return Err(errors);
                            }
                            Some(AssessmentView {
                                trend: a.trend.as_str(),
                                author: a.author.clone(),
                                body: body.html,
                            })
                        }
                        None => None,
                    };
                    let link = |x: &Digest| Link {
                        title: x.label.clone(),
                        path: routes::country_month(c, &x.key),
                    };
                    let prev_killed =
                        figure_total(sh.words, "killed", &d.prev.killed, d.prev.incidents);
                    let page = CountryMonthPage {
                        label: d.label.clone(),
                        month: d.key.clone(),
                        incidents: d.positions.iter().map(|&p| &sh.incidents[p]).collect(),
                        totals: totals_view(sh.words, &d.totals),
                        previous: PreviousMonth {
                            label: d.prev_label.clone(),
                            path: (k > 0 && digests[k - 1].key == d.prev_key)
                                .then(|| routes::country_month(c, &d.prev_key)),
                            incidents: d.prev.incidents,
                            killed: prev_killed.total,
                            killed_note: prev_killed.note,
                        },
                        trend: d.verdict.trend(),
                        status: d.verdict.status(),
                        status_words: d.verdict.words(),
                        trend_reason: d.reason.clone(),
                        trend_rule: digest::rule(sh.words),
                        assessment,
                        prev: k.checked_sub(1).map(|j| link(&digests[j])),
                        next: digests.get(k + 1).map(link),
                        map: pictures::overview(
                            site,
                            &d.positions,
                            "../../../",
                            &format!("Incidents in {}, {}", cr.name, d.label),
                            true,
                            cutoff,
                        ),
                        country: cr,
                    };
                    ctx(&page).map_err(|d| vec![d])
                }),
            );
        }
    }

    /// The digests showing an incident whose listed facts changed: its month's and the
    /// next month's (which compares itself with it); for an incident dated to the year
    /// only, every digest of its country.
    fn dirty_for(c: &Changes<'_>, d: &mut Dirty) {
        for i in &c.shown_records {
            let cc = &i.location.country;
            match i.date.month {
                Some(m) => {
                    let next = if m == 12 {
                        (i.date.year + 1, 1)
                    } else {
                        (i.date.year, m + 1)
                    };
                    d.below(routes::country_month(
                        cc,
                        &routes::month_key(i.date.year, m),
                    ));
                    d.below(routes::country_month(
                        cc,
                        &routes::month_key(next.0, next.1),
                    ));
                }
                None => d.below(routes::country(cc)),
            }
        }
    }

    /// Paths of the digests of country `c`, oldest first.
    fn listed_for(
        site: &Site,
        c: &str,
        positions: &[usize],
        config: &Config,
        out: &mut Vec<String>,
    ) {
        let months = digest::digest_months(site, c, positions, config.data_cutoff.as_ref());
        out.extend(
            months
                .keys()
                .map(|&(y, m)| routes::country_month(c, &routes::month_key(y, m))),
        );
    }
}
