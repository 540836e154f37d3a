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
