//! The rebuild's dirty set: which pages a change between two builds reaches.
//!
//! [`Changes`] compares two builds record by record (what changed, not where it shows);
//! each page kind of the table then adds the pages whose dependencies meet those changes
//! (`Kind::dirty`, beside the kind's context builder, so a template that starts showing one
//! more fact of a neighbour is one edit in one file). Changes that reach every page, or
//! more pages than are worth tracking, return `None`: render everything. Reads and writes
//! nothing; the rebuild tests (tests/testsuite/rebuild*.rs) check a partial render laid
//! over the old output equals a full build.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};

use super::TABLE;
use crate::content::{Briefing, Incident, Origin, Site};
use crate::index::Index;
use crate::load::Sources;

/// Pages to render again: exact page paths, and path prefixes (every page below).
#[derive(Debug, Default)]
pub struct Dirty {
    paths: HashSet<String>,
    prefixes: Vec<String>,
    /// Records whose content changed, as search document keys (`i/<id>`, `b/<id>`, `g/<id>`).
    pub records: HashSet<String>,
}

impl Dirty {
    /// Whether the page at `path` must be rendered again.
    pub fn wants(&self, path: &str) -> bool {
        self.paths.contains(path) || self.prefixes.iter().any(|p| path.starts_with(p.as_str()))
    }

    /// The page at `path`.
    pub(super) fn add(&mut self, path: String) {
        self.paths.insert(path);
    }

    /// Every page at or below `prefix`.
    pub(super) fn below(&mut self, prefix: String) {
        self.prefixes.push(prefix);
    }
}

/// One build as the dirty set compares it.
#[derive(Clone, Copy)]
pub struct Snapshot<'s> {
    /// The validated site.
    pub site: &'s Site,
    /// Its indexes.
    pub index: &'s Index,
    /// The files it was read from.
    pub sources: &'s Sources,
}

/// What changed between two builds, record by record: what page kinds meet their
/// dependencies against.
pub(crate) struct Changes<'s> {
    /// The last build.
    pub(super) old: Snapshot<'s>,
    /// This build.
    pub(super) new: Snapshot<'s>,
    /// Incidents a listing page shows, `paginate_by`.
    pub(super) per_page: usize,
    /// Incidents whose record changed in any way (their own page shows every field).
    pub(super) incidents: HashSet<&'s str>,
    /// Incidents whose listed facts changed (not only body or sources), by id…
    pub(super) shown: HashSet<&'s str>,
    /// …and as records, before and after the change (a moved incident leaves one year,
    /// country or tag for another).
    pub(super) shown_records: Vec<&'s Incident>,
    /// Countries (ISO codes) whose archive of months changes: an incident entered or left
    /// one of their months, or an analyst's assessment changed.
    pub(super) archives: BTreeSet<&'s str>,
    /// Whether an analyst's assessment changed.
    pub(super) assessments: bool,
    /// Whether the set of years with incidents changed.
    pub(super) years: bool,
    /// Groups whose profile text changed.
    pub(super) group_bodies: Vec<&'s str>,
    /// Free pages whose body or description changed.
    pub(super) pages: Vec<&'s str>,
    /// Whether the home page's introduction changed.
    pub(super) home: bool,
    /// Briefings that changed, appeared or went, before and after.
    pub(super) briefings: Vec<&'s Briefing>,
    /// Tags (slugs) whose counts changed or that went.
    pub(super) tags: BTreeSet<&'s str>,
}

impl Changes<'_> {
    /// Whether the site's overview pages (home, the lists, search, 404), which list and
    /// count incidents and briefings, change.
    pub(super) fn overview(&self) -> bool {
        !self.shown.is_empty() || self.assessments || !self.briefings.is_empty()
    }
}

fn hash_debug<T: std::fmt::Debug>(v: &T) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    format!("{v:?}").hash(&mut h);
    h.finish()
}

/// A record's fingerprint without its origin (which moves when other files come and go).
fn fingerprint<T: Clone + std::fmt::Debug>(v: &T, origin: impl Fn(&mut T) -> &mut Origin) -> u64 {
    let mut c = v.clone();
    *origin(&mut c) = Origin {
        file: 0,
        body_offset: 0,
    };
    hash_debug(&c)
}

/// What changed between two builds, as pages; `None` when every page must be rendered.
/// `touched` names the files whose text changed (`None`: any may have); `per_page` is
/// `paginate_by`.
pub fn dirty_pages(
    old: Snapshot<'_>,
    new: Snapshot<'_>,
    touched: Option<&HashSet<String>>,
    per_page: usize,
) -> Option<Dirty> {
    let mut d = Dirty::default();
    let changes = Changes::between(old, new, touched, per_page, &mut d.records)?;
    for kind in TABLE {
        kind.dirty(&changes, &mut d);
    }
    Some(d)
}

impl<'s> Changes<'s> {
    /// Compares two builds; `None` for a change that reaches every page (the menu, the
    /// coverage line) or that too many pages show to track (a group's name appears wherever
    /// its incidents are listed). Changed records go to `records` as search keys.
    fn between(
        old: Snapshot<'s>,
        new: Snapshot<'s>,
        touched: Option<&HashSet<String>>,
        per_page: usize,
        records: &mut HashSet<String>,
    ) -> Option<Changes<'s>> {
        if site_wide(old, new) {
            return None;
        }
        let (o, n) = (old.site, new.site);
        let mut group_bodies = Vec::new();
        for (a, b) in o.groups.iter().zip(&n.groups) {
            if a.body != b.body {
                group_bodies.push(b.id.as_str());
                records.insert(format!("g/{}", b.id));
            }
        }
        let pages = o
            .pages
            .iter()
            .zip(&n.pages)
            .filter(|(a, b)| a.body != b.body || a.description != b.description)
            .map(|(_, b)| b.id.as_str())
            .collect();
        let home = o.home.as_ref().map(|h| (&h.title, &h.body))
            != n.home.as_ref().map(|h| (&h.title, &h.body));
        let mut c = Changes {
            old,
            new,
            per_page: per_page.max(1),
            incidents: HashSet::new(),
            shown: HashSet::new(),
            shown_records: Vec::new(),
            archives: BTreeSet::new(),
            assessments: false,
            years: !old.index.by_year.keys().eq(new.index.by_year.keys()),
            group_bodies,
            pages,
            home,
            briefings: Vec::new(),
            tags: BTreeSet::new(),
        };
        c.compare_incidents(touched, records);
        c.compare_assessments();
        c.compare_briefings(records);
        c.compare_tags();
        Some(c)
    }

    /// Incidents that changed, appeared or went. Only records from files whose text changed
    /// can differ.
    fn compare_incidents(
        &mut self,
        touched: Option<&HashSet<String>>,
        records: &mut HashSet<String>,
    ) {
        let (old, new) = (self.old, self.new);
        // `summary`: the facts listings show (not body or sources).
        let fps = |b: Snapshot<'_>, summary: bool| -> HashMap<String, u64> {
            use rayon::prelude::*;
            b.site
                .incidents
                .par_iter()
                .filter(|i| {
                    touched.is_none_or(|t| {
                        b.sources
                            .files
                            .get(i.origin.file)
                            .is_none_or(|f| t.contains(&f.rel))
                    })
                })
                .map(|i| {
                    let fp = if summary {
                        let mut c = i.clone();
                        c.body.clear();
                        c.sources.clear();
                        fingerprint(&c, |x| &mut x.origin)
                    } else {
                        fingerprint(i, |x| &mut x.origin)
                    };
                    (i.id.clone(), fp)
                })
                .collect()
        };
        let (fa, fb) = (fps(old, false), fps(new, false));
        let (sa, sb) = (fps(old, true), fps(new, true));
        for i in old.site.incidents.iter().chain(&new.site.incidents) {
            let id = i.id.as_str();
            if fa.get(id) != fb.get(id) {
                self.incidents.insert(id);
                records.insert(format!("i/{id}"));
            }
            if sa.get(id) != sb.get(id) {
                self.shown.insert(id);
                self.shown_records.push(i);
            }
        }
        // Digests link to the months on either side: when an incident enters or leaves a
        // month, that country's whole archive of months may change.
        let month_of = |b: Snapshot<'s>, id: &str| {
            b.index.incident_pos.get(id).map(|&p| {
                let i = &b.site.incidents[p];
                (i.location.country.as_str(), i.date.year, i.date.month)
            })
        };
        for id in &self.shown {
            let (a, b) = (month_of(old, id), month_of(new, id));
            if a != b {
                self.archives
                    .extend(a.into_iter().chain(b).map(|(cc, _, _)| cc));
            }
        }
    }

    /// Analysts' assessments: their country's archive changes (the month's digest, its
    /// neighbours' links and comparisons, the country's page), and the list of countries (a
    /// country may have a page for its assessments alone).
    fn compare_assessments(&mut self) {
        let assessed = |s: &'s Site| -> HashMap<(&'s str, (i32, u32)), u64> {
            s.assessments
                .iter()
                .map(|a| {
                    (
                        (a.country.as_str(), a.month),
                        hash_debug(&(&a.trend, &a.author, &a.body)),
                    )
                })
                .collect()
        };
        let (aa, ab) = (assessed(self.old.site), assessed(self.new.site));
        for key in aa.keys().chain(ab.keys()) {
            if aa.get(key) != ab.get(key) {
                self.assessments = true;
                self.archives.insert(key.0);
            }
        }
    }

    /// Briefings that changed, appeared or went, both versions.
    fn compare_briefings(&mut self, records: &mut HashSet<String>) {
        let fp = |s: &'s Site| -> HashMap<&'s str, u64> {
            s.briefings
                .iter()
                .map(|b| (b.id.as_str(), fingerprint(b, |x| &mut x.origin)))
                .collect()
        };
        let (bfa, bfb) = (fp(self.old.site), fp(self.new.site));
        for b in self
            .old
            .site
            .briefings
            .iter()
            .chain(&self.new.site.briefings)
        {
            if bfa.get(b.id.as_str()) != bfb.get(b.id.as_str()) {
                self.briefings.push(b);
                records.insert(format!("b/{}", b.id));
            }
        }
    }

    /// Tags whose counts changed (every page showing the tag shows its count) or that went.
    fn compare_tags(&mut self) {
        let (old, new) = (self.old.index, self.new.index);
        for (s, t) in &new.by_tag {
            let before = old
                .by_tag
                .get(s)
                .map(|e| (e.incidents.len(), e.briefings.len()));
            if before != Some((t.incidents.len(), t.briefings.len())) {
                self.tags.insert(s.as_str());
            }
        }
        for s in old.by_tag.keys() {
            if !new.by_tag.contains_key(s) {
                self.tags.insert(s.as_str());
            }
        }
    }

    /// Tags whose counts changed and that this build still has, with their records.
    pub(super) fn counted_tags(&self) -> impl Iterator<Item = &'s crate::index::TagRecords> {
        let by_tag = &self.new.index.by_tag;
        self.tags.iter().filter_map(|s| by_tag.get(*s))
    }
}

/// Changes that reach every page: a group's name or facts (shown wherever its incidents are
/// listed), the free pages in the menu, the years of the footer's coverage line.
fn site_wide(old: Snapshot<'_>, new: Snapshot<'_>) -> bool {
    let groups_fp = |s: &Site| -> Vec<u64> {
        s.groups
            .iter()
            .map(|g| {
                let mut c = g.clone();
                c.body.clear();
                fingerprint(&c, |x| &mut x.origin)
            })
            .collect()
    };
    let pages_meta = |s: &Site| -> Vec<(String, String)> {
        s.pages
            .iter()
            .map(|p| (p.id.clone(), p.title.clone()))
            .collect()
    };
    let coverage = |i: &Index| {
        (
            i.by_year.keys().next().copied(),
            i.by_year.keys().next_back().copied(),
        )
    };
    groups_fp(old.site) != groups_fp(new.site)
        || pages_meta(old.site) != pages_meta(new.site)
        || coverage(old.index) != coverage(new.index)
}

/// Adds `path` when the overview pages change (the kinds listing and counting everything).
pub(super) fn overview(c: &Changes<'_>, d: &mut Dirty, path: &str) {
    if c.overview() {
        d.add(path.to_string());
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;
    use crate::routes;

    /// One build of the repository's example site: its config, files, records and indexes.
    struct Build {
        config: Config,
        sources: Sources,
        site: Site,
        index: Index,
    }

    impl Build {
        /// The example site as `build` reads it.
        fn example() -> Build {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"));
            let config = crate::config::load(root, &Default::default()).unwrap();
            let (sources, _) = crate::load::read_sources(root).unwrap();
            let (raw, _) = crate::load::parse(&sources);
            let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
            let (site, d) = crate::validate::validate(raw, &sources, &config, today);
            let site = site.unwrap_or_else(|| panic!("{}", d.render(false)));
            let index = Index::build(&site);
            Build {
                config,
                sources,
                site,
                index,
            }
        }

        /// This build with `edit` made to its records (the files as they were).
        fn edited(&self, edit: impl FnOnce(&mut Site)) -> Build {
            let mut site = self.site.clone();
            edit(&mut site);
            Build {
                config: self.config.clone(),
                sources: self.sources.clone(),
                index: Index::build(&site),
                site,
            }
        }

        fn snapshot(&self) -> Snapshot<'_> {
            Snapshot {
                site: &self.site,
                index: &self.index,
                sources: &self.sources,
            }
        }

        /// The pages that change from this build to `new`, listing `per_page` incidents.
        fn dirty_to(&self, new: &Build, per_page: usize) -> Option<Dirty> {
            dirty_pages(self.snapshot(), new.snapshot(), None, per_page)
        }

        /// Every page this build renders.
        fn pages(&self) -> Vec<String> {
            super::super::listed(&self.site, &self.index, &self.config)
        }

        /// An incident with groups, somewhere in the middle of the list, and its position.
        fn sample_incident(&self) -> (usize, &Incident) {
            let n = self.site.incidents.len();
            self.site
                .incidents
                .iter()
                .enumerate()
                .filter(|(_, i)| !i.groups.is_empty() && !i.draft)
                .min_by_key(|(p, _)| p.abs_diff(n / 2))
                .expect("the example site has an incident with groups")
        }

        /// The listing page (1-based, newest first) that shows the incident at `pos`.
        fn listing_page(&self, pos: usize, per_page: usize) -> usize {
            (self.site.incidents.len() - 1 - pos) / per_page + 1
        }
    }

    /// Few incidents a page, so the example site has several listing pages.
    const PER_PAGE: usize = 4;

    #[test]
    fn no_change_dirties_no_page() {
        let old = Build::example();
        let new = old.edited(|_| {});
        let d = old
            .dirty_to(&new, PER_PAGE)
            .expect("nothing site-wide changed");
        let pages = old.pages();
        assert!(pages.len() > 20, "too few pages to judge: {pages:?}");
        let wanted: Vec<&String> = pages.iter().filter(|p| d.wants(p)).collect();
        assert!(wanted.is_empty(), "{wanted:?}");
        assert!(d.records.is_empty(), "{:?}", d.records);
    }

    #[test]
    fn a_new_title_dirties_the_pages_that_list_the_incident_and_no_other_group() {
        let old = Build::example();
        let (pos, inc) = old.sample_incident();
        let new = old.edited(|s| s.incidents[pos].title.push_str(" (revised)"));
        let d = old
            .dirty_to(&new, PER_PAGE)
            .expect("a title is not site-wide");

        assert!(d.wants(&routes::incident(&inc.id)));
        for g in &inc.groups {
            assert!(d.wants(&routes::group(g)), "its group {g}");
        }
        assert!(d.wants(&routes::country(&inc.location.country)));
        let page = old.listing_page(pos, PER_PAGE);
        assert!(
            d.wants(&routes::incidents_page(page)),
            "listing page {page}"
        );
        assert!(d.records.contains(&format!("i/{}", inc.id)));

        let targeted: Vec<&str> = inc
            .targets
            .iter()
            .filter_map(|t| t.group.as_deref())
            .collect();
        let unrelated = old
            .site
            .groups
            .iter()
            .find(|g| !inc.groups.contains(&g.id) && !targeted.contains(&g.id.as_str()))
            .expect("the example site has a group the incident does not name");
        assert!(!d.wants(&routes::group(&unrelated.id)), "{}", unrelated.id);
        let pages = old.site.incidents.len().div_ceil(PER_PAGE);
        assert!(pages > 2, "the example site fills several listing pages");
        let other_page = (1..=pages).find(|&k| k != page).unwrap();
        assert!(!d.wants(&routes::incidents_page(other_page)));
    }

    #[test]
    fn a_new_body_dirties_only_the_incident_page() {
        let old = Build::example();
        let (pos, inc) = old.sample_incident();
        let new = old.edited(|s| s.incidents[pos].body.push_str("\n\nOne more paragraph.\n"));
        let d = old
            .dirty_to(&new, PER_PAGE)
            .expect("a body is not site-wide");
        let wanted: Vec<String> = old.pages().into_iter().filter(|p| d.wants(p)).collect();
        assert_eq!(wanted, [routes::incident(&inc.id)]);
        assert!(d.records.contains(&format!("i/{}", inc.id)));
    }

    #[test]
    fn a_group_renamed_dirties_every_page() {
        let old = Build::example();
        let new = old.edited(|s| s.groups[0].name.push_str(" (renamed)"));
        assert!(old.dirty_to(&new, PER_PAGE).is_none());
    }
}
