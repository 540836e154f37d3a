//! `briefwerk import acled FILE.csv [--into content/incidents]` (issue 6): turns an ACLED-format
//! CSV export into incident records.
//!
//! Takes the site root, the CSV and the target folder; reads the site's configuration and
//! content (to match actors to groups and to know which records exist), and writes one
//! `acled-<year>.yaml` file per year holding an `incidents:` list, in parts
//! (`acled-<year>-2.yaml`, …) of at most [`FILE_BUDGET`] bytes so every file loads. It owns
//! those files and
//! nothing else:
//!
//! - a record's id is `acled-` + ACLED's `event_id_cnty` in lower case, so a second run finds
//!   it again: an unchanged row leaves its file byte-for-byte as it was, a corrected row
//!   replaces its record (moving it to another year's file if its date moved);
//! - a file is written only if its bytes change, and only if it carries the importer's header
//!   (an `acled-<year>.yaml` written by hand is an error, not overwritten);
//! - an `acled-…` id defined anywhere else (a record moved out of the importer's files to be
//!   edited by hand) is reported as skipped and never touched;
//! - records already in the importer's files but absent from this CSV are kept (ACLED
//!   exports are often partial);
//! - malformed rows are reported with their line numbers and left out; the rest are imported.
//!
//! Mapping: the perpetrators (`actor1`, `assoc_actor_1`) are matched to group ids through
//! each group's `acled_actor` first, then its id, name, short name and aliases, ignoring case
//! and accents (also trying the part before and after a colon and without a trailing
//! parenthesis, as in `JNIM: Group for Support of Islam and Muslims`); their ties are
//! `suspected` (ACLED codes reported perpetrators, not claims); unmatched ones are counted and
//! left out of `groups`. `actor2` and `assoc_actor_2` are who was acted against: typed targets,
//! `actor2` with the kind of its `inter2` code, each linked to a profiled group it matches.
//! `time_precision` 1 keeps the day; 2 (a week) and 3 (a month) keep the month.
//! `geo_precision` 2 is a `near` place, 3 a `region`; `admin2` is kept. `fatalities` becomes
//! the not-separated `fatalities` figure (never `killed`), `notes` the summary, `source` one
//! source entry, `sub_event_type` the event type when the site's vocabulary has a match. Every
//! record is tagged `acled`. YAML is written through [`crate::yaml::to_string`]. Cells our
//! exporter guarded against formula injection are read without the guard.
//!
//! A row of briefwerk's own `data/acled.csv` (issue 10; its `tags` carry `id=`) is restored
//! from its tags instead: same id, title, dates, groups with their attribution, figures,
//! targets, tags and sources, so the record rebuilds to the same page.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::codec::acled::{parse_count_tag, parse_tags, place_precision};
use crate::codec::cell::restore_cell;
use crate::config::{self, BuildOptions, Config};
use crate::content::country::COUNTRIES;
use crate::content::raw::{
    RawCasualties, RawCount, RawGroupClaim, RawGroupRef, RawIncident, RawIncidentFile, RawLocation,
    RawSource, RawTarget, RawTargetActor, Text,
};
use crate::content::{Count, PartialDate, PlacePrecision};
use crate::error::Error;
use crate::text::fold;

/// First line of every file the importer writes; a file without it is not the importer's.
pub const HEADER: &str = "# Written by `briefwerk import acled`. Records with an `acled-` id are replaced when a\n\
# corrected row is imported again: to edit one by hand, move it to a file of your own first.\n";

/// Prefix of every record id the importer creates.
pub const ID_PREFIX: &str = "acled-";

/// Tag put on every imported record.
pub const TAG: &str = "acled";

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Data rows read (not counting the header).
    pub rows: usize,
    /// Records created.
    pub created: usize,
    /// Records replaced because their row changed.
    pub updated: usize,
    /// Records whose row had not changed.
    pub unchanged: usize,
    /// Rows left alone because their record is defined outside the importer's files.
    pub skipped: Vec<Skipped>,
    /// Rows that could not be imported, with why.
    pub malformed: Vec<RowProblem>,
    /// Actor names matching no group, with the number of rows naming each, most frequent first.
    pub unmatched_actors: Vec<UnmatchedActor>,
    /// Files written or removed, relative to the site root (empty when nothing changed).
    pub files_written: Vec<PathBuf>,
    /// New rows that may repeat a hand-written record (`possible-duplicate`), not created
    /// unless [`ImportOptions::allow_duplicates`].
    pub duplicates: Vec<Duplicate>,
    /// Possible duplicates could not be looked for: the site has errors.
    pub duplicates_unchecked: bool,
    /// Rows whose cells held control characters, which were removed before importing.
    pub cleaned: Vec<RowProblem>,
}

/// How to import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Create rows that may repeat a hand-written record (`--allow-duplicates`).
    pub allow_duplicates: bool,
}

/// A new row that may describe the same event as a hand-written record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// Line of the CSV file where the row starts.
    pub line: u64,
    /// The id the row would have.
    pub id: String,
    /// The hand-written record it may repeat.
    pub of: String,
    /// Where that record is, relative to the site root.
    pub file: String,
    /// Whether it was created all the same (`--allow-duplicates`).
    pub created: bool,
}

/// A row that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// Line of the CSV file where the row starts (1-based; the header is line 1).
    pub line: u64,
    /// ACLED event id, when the row had one.
    pub event_id: Option<String>,
    /// What is wrong, every problem of the row joined by "; ".
    pub message: String,
}

/// A row whose record lives in a file the importer did not write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Line of the CSV file.
    pub line: u64,
    /// Record id.
    pub id: String,
    /// Where the record is defined, relative to the site root.
    pub file: String,
}

/// An actor name no group matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmatchedActor {
    /// The name as ACLED writes it.
    pub name: String,
    /// Rows naming it.
    pub rows: usize,
}

/// Imports the ACLED CSV at `csv` into the site at `root`, writing `acled-<year>.yaml` files
/// into `into` (relative to `root` unless absolute; it must be `content/incidents` or a folder
/// inside it). Row problems are reported, not fatal; an unreadable CSV, a CSV without the
/// required columns, or an `acled-<year>.yaml` the importer did not write is an `Err`.
pub fn import_acled(root: &Path, csv: &Path, into: &Path) -> Result<ImportReport, Error> {
    import_acled_with(root, csv, into, ImportOptions::default())
}

/// [`import_acled`] with options: a new row that may repeat a hand-written record (the
/// `possible-duplicate` rule of `check`, [`crate::validate::may_repeat`]) is reported with
/// both ids and created only with `allow_duplicates`.
pub fn import_acled_with(
    root: &Path,
    csv: &Path,
    into: &Path,
    opts: ImportOptions,
) -> Result<ImportReport, Error> {
    let config = config::load(root, &BuildOptions::default())?;
    let root = config.root.clone();
    let into_abs = target_dir(&root, into)?;
    let rel = |p: &Path| p.strip_prefix(&root).unwrap_or(p).to_path_buf();

    // The site as it is: groups to match, and ids defined outside the importer's files.
    let (sources, _) = crate::load::read_sources(&root)?;
    let (raw, _) = crate::load::parse(&sources);
    let matcher = GroupMatcher::new(raw.groups.iter().map(|g| {
        let stem = &sources.files[g.loc.file].stem;
        (g.raw.id.clone().unwrap_or_else(|| stem.clone()), &g.raw)
    }));
    let own = own_files(&into_abs)?;
    let own_rel: BTreeSet<String> = own.keys().map(|p| slash(&rel(p))).collect();
    let elsewhere = defined_elsewhere(&raw, &sources, &own_rel);
    let mut records = own_records(&own);

    // The hand-written records, validated, to look for rows that repeat one of them.
    let today = chrono::Local::now().date_naive();
    let (site, _) = crate::validate::validate(raw, &sources, &config, today);
    let mut report = ImportReport::default();
    let hand = HandWritten::new(site.as_ref(), &own_rel, &sources);
    report.duplicates_unchecked = site.is_none();
    let rows = read_rows(csv, &config, &matcher, &mut report)?;
    let known = Known {
        elsewhere: &elsewhere,
        hand: &hand,
        opts,
    };
    for (line, inc) in rows {
        known.merge(line, inc, &mut records, &mut report);
    }

    // Lay the records out by year and write what changed.
    let wanted = lay_out(&own, records, &into_abs)?;
    if !wanted.is_empty() {
        std::fs::create_dir_all(&into_abs).map_err(|e| Error::io(&into_abs, e))?;
    }
    for (path, text) in &wanted {
        let old = own.get(path).map(|f| f.text.as_str());
        if old != Some(text.as_str()) {
            write_file(path, text)?;
            report.files_written.push(rel(path));
        }
    }
    for path in own.keys() {
        if !wanted.contains_key(path) {
            std::fs::remove_file(path).map_err(|e| Error::io(path, e))?;
            report.files_written.push(rel(path));
        }
    }
    Ok(report)
}

/// `into` made absolute and checked: inside `content/incidents`, lexically and through links.
fn target_dir(root: &Path, into: &Path) -> Result<PathBuf, Error> {
    let into_abs = config::normalise(&if into.is_absolute() {
        into.to_path_buf()
    } else {
        root.join(into)
    });
    let incidents_dir = config::normalise(&root.join("content").join("incidents"));
    if !into_abs.starts_with(&incidents_dir) {
        return Err(Error::Refused(format!(
            "`{}` is outside content/incidents; imported records must live there to be built",
            into.display()
        )));
    }
    // The check above is lexical; a link on the way (`content/incidents/x -> /elsewhere`)
    // must not make the importer read or write outside the site.
    crate::site_files::SiteDir::new(root)?
        .resolve(&into_abs)
        .map_err(|d| {
            let mut all = crate::diagnostic::Diagnostics::default();
            all.push(d);
            Error::Invalid(all)
        })?;
    Ok(into_abs)
}

/// Incident ids defined outside the importer's files (`own_rel`), with the first file (relative
/// to the root) defining each; rows with these ids are skipped. Files that did not parse count
/// by the ids they could be read to hold.
fn defined_elsewhere(
    raw: &crate::load::RawSite,
    sources: &crate::load::Sources,
    own_rel: &BTreeSet<String>,
) -> HashMap<String, String> {
    let mut elsewhere: HashMap<String, String> = HashMap::new();
    for r in &raw.incidents {
        let f = &sources.files[r.loc.file];
        if !own_rel.contains(&f.rel) {
            let id = r.raw.id.clone().unwrap_or_else(|| f.stem.clone());
            elsewhere.entry(id).or_insert_with(|| f.rel.clone());
        }
    }
    for u in &raw.unparsed {
        if !own_rel.contains(&u.rel) {
            for id in &u.ids {
                elsewhere.entry(id.clone()).or_insert_with(|| u.rel.clone());
            }
        }
    }
    elsewhere
}

/// The key of a record in the importer's files: its id, or for a hand-added record without
/// one (which `check` rejects, but which is kept all the same) its file and position.
fn own_key(path: &Path, n: usize, r: &RawIncident) -> String {
    r.id.clone()
        .unwrap_or_else(|| format!("\u{0}{}#{n}", path.display()))
}

/// Records currently in the importer's files, by [`own_key`].
fn own_records(own: &BTreeMap<PathBuf, OwnFile>) -> BTreeMap<String, RawIncident> {
    let mut records: BTreeMap<String, RawIncident> = BTreeMap::new();
    for (path, file) in own {
        for (n, r) in file.incidents.iter().enumerate() {
            records.insert(own_key(path, n, r), r.clone());
        }
    }
    records
}

/// What decides the fate of an imported row besides the importer's own records.
struct Known<'a> {
    /// Ids defined outside the importer's files, with their file: such rows are skipped.
    elsewhere: &'a HashMap<String, String>,
    /// Hand-written records a new row may repeat.
    hand: &'a HandWritten<'a>,
    opts: ImportOptions,
}

impl Known<'_> {
    /// Merges one imported row into `records`: skipped, unchanged, updated, held back as a
    /// possible duplicate, or created; counted in `report`.
    fn merge(
        &self,
        line: u64,
        inc: RawIncident,
        records: &mut BTreeMap<String, RawIncident>,
        report: &mut ImportReport,
    ) {
        let id = inc.id.clone().unwrap_or_default();
        if let Some(file) = self.elsewhere.get(&id) {
            report.skipped.push(Skipped {
                line,
                id,
                file: file.clone(),
            });
            return;
        }
        match records.get(&id) {
            Some(old) if same(old, &inc) => report.unchanged += 1,
            Some(_) => {
                report.updated += 1;
                records.insert(id, inc);
            }
            None => {
                let allow = self.opts.allow_duplicates;
                if let Some((of, file)) = self.hand.repeated_by(&inc) {
                    report.duplicates.push(Duplicate {
                        line,
                        id: id.clone(),
                        of,
                        file,
                        created: allow,
                    });
                    if !allow {
                        return;
                    }
                }
                report.created += 1;
                records.insert(id, inc);
            }
        }
    }
}

/// The text of every file the records belong in, by path: one list per year, sorted by date
/// and id, in parts of at most [`FILE_BUDGET`] bytes. An undated record stays in the year of
/// the file it was in.
fn lay_out(
    own: &BTreeMap<PathBuf, OwnFile>,
    records: BTreeMap<String, RawIncident>,
    into_abs: &Path,
) -> Result<BTreeMap<PathBuf, String>, Error> {
    let mut by_year: BTreeMap<String, Vec<RawIncident>> = BTreeMap::new();
    let mut home: HashMap<String, String> = HashMap::new();
    for (path, file) in own {
        let year = year_of_file(path).unwrap_or_default();
        for (n, r) in file.incidents.iter().enumerate() {
            home.insert(own_key(path, n, r), year.clone());
        }
    }
    for (id, r) in records {
        let year = r
            .date
            .as_ref()
            .and_then(|d| PartialDate::parse(&d.0).ok())
            .map(|d| format!("{:04}", d.year))
            .or_else(|| home.get(&id).cloned())
            .unwrap_or_else(|| "undated".to_string());
        by_year.entry(year).or_default().push(r);
    }
    let mut wanted: BTreeMap<PathBuf, String> = BTreeMap::new();
    for (year, mut list) in by_year {
        list.sort_by(|a, b| {
            let key = |r: &RawIncident| (r.date.as_ref().map(|d| d.0.clone()), r.id.clone());
            key(a).cmp(&key(b))
        });
        for (n, text) in render_files(&list, FILE_BUDGET)?.into_iter().enumerate() {
            let name = if n == 0 {
                format!("acled-{year}.yaml")
            } else {
                format!("acled-{year}-{}.yaml", n + 1)
            };
            wanted.insert(into_abs.join(name), text);
        }
    }
    Ok(wanted)
}

/// The hand-written records (those outside the importer's files) by (country, group), to
/// find the ones a new row may repeat without comparing every pair.
struct HandWritten<'a> {
    site: Option<&'a crate::content::Site>,
    by_key: HashMap<(&'a str, &'a str), Vec<usize>>,
    files: Vec<String>,
}

impl<'a> HandWritten<'a> {
    fn new(
        site: Option<&'a crate::content::Site>,
        own_rel: &BTreeSet<String>,
        sources: &crate::load::Sources,
    ) -> HandWritten<'a> {
        let mut by_key: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        let mut files = Vec::new();
        for (n, i) in site
            .map_or(&[][..], |s| &s.incidents[..])
            .iter()
            .enumerate()
        {
            let file = sources.files[i.origin.file].rel.clone();
            if !own_rel.contains(&file) && !i.draft {
                for g in &i.groups {
                    by_key
                        .entry((i.location.country.as_str(), g.as_str()))
                        .or_default()
                        .push(n);
                }
            }
            files.push(file);
        }
        HandWritten {
            site,
            by_key,
            files,
        }
    }

    /// The first hand-written record (by date, then id) that `row` may repeat, with its file.
    fn repeated_by(&self, row: &RawIncident) -> Option<(String, String)> {
        let site = self.site?;
        let row = sketch(row)?;
        let mut found: Option<usize> = None;
        for g in &row.groups {
            for &n in self
                .by_key
                .get(&(row.location.country.as_str(), g.as_str()))
                .into_iter()
                .flatten()
            {
                if found.is_none_or(|f| n < f)
                    && crate::validate::may_repeat(&row, &site.incidents[n])
                {
                    found = Some(n);
                }
            }
        }
        found.map(|n| (site.incidents[n].id.clone(), self.files[n].clone()))
    }
}

/// What the duplicate rule reads of a row about to be written: its id, dates, place, groups
/// and links. `None` when its date or country does not parse (then `check` reports it).
fn sketch(r: &RawIncident) -> Option<crate::content::Incident> {
    use crate::content::{Casualties, Incident, Location, Origin};
    let date = PartialDate::parse(&r.date.as_ref()?.0).ok()?;
    let loc = r.location.as_ref()?;
    Some(Incident {
        id: r.id.clone()?,
        title: String::new(),
        date,
        end_date: r
            .end_date
            .as_ref()
            .and_then(|d| PartialDate::parse(&d.0).ok()),
        location: Location {
            place: loc.place.clone(),
            admin1: loc.admin1.clone(),
            admin2: loc.admin2.clone(),
            country: loc.country.clone()?,
            coords: loc.lat.zip(loc.lon),
            precision: PlacePrecision::Country,
        },
        groups: r
            .groups
            .iter()
            .map(|g| match g {
                RawGroupRef::Id(id) => id.clone(),
                RawGroupRef::Claim(c) => c.id.clone(),
            })
            .collect(),
        claims: Vec::new(),
        attribution: None,
        claim_relation: None,
        event_type: None,
        targets: Vec::new(),
        casualties: Casualties::default(),
        tags: Vec::new(),
        summary: None,
        sources: Vec::new(),
        distinct_from: r.distinct_from.clone(),
        same_event_as: r.same_event_as.clone(),
        draft: false,
        body: String::new(),
        origin: Origin {
            file: 0,
            body_offset: 0,
        },
    })
}

fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// An importer file as found on disk.
struct OwnFile {
    text: String,
    incidents: Vec<RawIncident>,
}

/// The year of an importer file's name: `acled-2019.yaml`, `acled-2019-2.yaml` (its second
/// part), `acled-undated.yaml`, `acled-undated-3.yaml`.
fn year_of_file(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_prefix("acled-")?.strip_suffix(".yaml")?;
    let year = match stem.split_once('-') {
        Some((year, part))
            if !part.is_empty()
                && !part.starts_with('0')
                && part.bytes().all(|b| b.is_ascii_digit()) =>
        {
            year
        }
        Some(_) => return None,
        None => stem,
    };
    (year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) || year == "undated")
        .then(|| year.to_string())
}

/// The `acled-<year>.yaml` files in `dir`, parsed; refuses any the importer did not write.
fn own_files(dir: &Path) -> Result<BTreeMap<PathBuf, OwnFile>, Error> {
    let mut out = BTreeMap::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(Error::io(dir, e)),
    };
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if year_of_file(&path).is_none() {
            continue;
        }
        // Its own files are regular files; a link or FIFO in their place is not read.
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            return Err(Error::Foreign {
                why: format!(
                    "`{}` is not a regular file (a link, a pipe or a device); the importer reads \
                     and replaces only regular files it wrote",
                    path.display()
                ),
                path,
            });
        }
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        if !text.starts_with(HEADER.lines().next().unwrap_or_default()) {
            return Err(Error::Foreign {
                why: format!(
                    "`{}` was not written by `briefwerk import acled`; rename it so the importer can own \
                     the name (it never touches files it did not write)",
                    path.display()
                ),
                path,
            });
        }
        let file: RawIncidentFile = crate::yaml::from_str(&text).map_err(|e| {
            Error::Refused(format!(
                "`{}` no longer parses ({}); fix or delete it and import again",
                path.display(),
                e.message
            ))
        })?;
        out.insert(
            path,
            OwnFile {
                text,
                incidents: file.incidents,
            },
        );
    }
    Ok(out)
}

fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("acled.yaml");
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// Whether two records would be written identically.
fn same(a: &RawIncident, b: &RawIncident) -> bool {
    crate::yaml::to_string(&OutIncident::from(a)).ok()
        == crate::yaml::to_string(&OutIncident::from(b)).ok()
}

/// Most bytes the importer writes into one file: half the loader's limit
/// ([`crate::load::MAX_FILE_BYTES`]), so that every file it writes loads, with room for an
/// analyst's later edits. A year with more is split into parts.
pub const FILE_BUDGET: usize = (crate::load::MAX_FILE_BYTES / 2) as usize;

/// Most bytes of one CSV row: a row this large (a whole report pasted into `notes`) would
/// make a record no content file could hold.
pub const MAX_ROW_BYTES: usize = 1024 * 1024;

/// The files of one year: the records in order, cut into as few files as fit `budget` bytes
/// each (a record alone is never cut). The cut depends only on the records, so the same
/// records always give the same files.
fn render_files(list: &[RawIncident], budget: usize) -> Result<Vec<String>, Error> {
    #[derive(Serialize)]
    struct File<'a> {
        incidents: [OutIncident<'a>; 1],
    }
    const KEY: &str = "incidents:\n";
    let mut files = Vec::new();
    let mut cur = format!("{HEADER}{KEY}");
    let mut items = 0;
    for r in list {
        let yaml = crate::yaml::to_string(&File {
            incidents: [OutIncident::from(r)],
        })
        .map_err(|e| Error::Internal(format!("cannot write YAML: {e}")))?;
        // A list item renders the same alone as among others: the file is the items in turn.
        let item = yaml.strip_prefix(KEY).unwrap_or(&yaml);
        if items > 0 && cur.len() + item.len() > budget {
            files.push(std::mem::replace(&mut cur, format!("{HEADER}{KEY}")));
            items = 0;
        }
        cur.push_str(item);
        items += 1;
    }
    if items > 0 {
        files.push(cur);
    }
    Ok(files)
}

// ---------------------------------------------------------------------------------------------
// Writing: the raw shapes with empty fields left out, in the order people read them.
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct OutIncident<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<OutLocation<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    groups: &'a [RawGroupRef],
    #[serde(skip_serializing_if = "Option::is_none")]
    attribution: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    claims: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event_type: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    targets: &'a [RawTarget],
    #[serde(skip_serializing_if = "Option::is_none")]
    casualties: Option<OutCasualties>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<OutSource<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    distinct_from: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    same_event_as: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    draft: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a str>,
}

#[derive(Serialize)]
struct OutLocation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    place: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    admin1: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    admin2: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lon: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    precision: Option<&'a str>,
}

#[derive(Serialize)]
struct OutCasualties {
    #[serde(skip_serializing_if = "Option::is_none")]
    killed: Option<RawCount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wounded: Option<RawCount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    captured: Option<RawCount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attackers_killed: Option<RawCount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fatalities: Option<RawCount>,
}

#[derive(Serialize)]
struct OutSource<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
}

impl<'a> From<&'a RawIncident> for OutIncident<'a> {
    fn from(r: &'a RawIncident) -> OutIncident<'a> {
        // Every field named, so a field added to RawIncident cannot be dropped silently.
        let RawIncident {
            id,
            title,
            date,
            end_date,
            location,
            groups,
            attribution,
            claims,
            event_type,
            targets,
            casualties,
            tags,
            summary,
            sources,
            distinct_from,
            same_event_as,
            draft,
            body,
        } = r;
        OutIncident {
            id: id.as_deref(),
            title: title.as_deref(),
            date: date.as_ref().map(|t| t.0.as_str()),
            end_date: end_date.as_ref().map(|t| t.0.as_str()),
            location: location.as_ref().map(|l| {
                let RawLocation {
                    place,
                    admin1,
                    admin2,
                    country,
                    lat,
                    lon,
                    precision,
                } = l;
                OutLocation {
                    place: place.as_deref(),
                    admin1: admin1.as_deref(),
                    admin2: admin2.as_deref(),
                    country: country.as_deref(),
                    lat: *lat,
                    lon: *lon,
                    precision: precision.as_deref(),
                }
            }),
            groups,
            attribution: attribution.as_deref(),
            claims: claims.as_deref(),
            event_type: event_type.as_deref(),
            targets,
            casualties: casualties.as_ref().map(|c| {
                let RawCasualties {
                    killed,
                    wounded,
                    captured,
                    attackers_killed,
                    fatalities,
                } = c;
                OutCasualties {
                    killed: *killed,
                    wounded: *wounded,
                    captured: *captured,
                    attackers_killed: *attackers_killed,
                    fatalities: *fatalities,
                }
            }),
            tags,
            summary: summary.as_deref(),
            sources: sources
                .iter()
                .map(|s| {
                    let RawSource {
                        title,
                        url,
                        publisher,
                        date,
                    } = s;
                    OutSource {
                        title: title.as_deref(),
                        url: url.as_deref(),
                        publisher: publisher.as_deref(),
                        date: date.as_ref().map(|t| t.0.as_str()),
                    }
                })
                .collect(),
            distinct_from,
            same_event_as: same_event_as.as_deref(),
            draft: *draft,
            body: body.as_deref().filter(|b| !b.is_empty()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Matching actors to groups.
// ---------------------------------------------------------------------------------------------

/// Folded group names, short names, aliases and ids → group id.
struct GroupMatcher {
    names: HashMap<String, String>,
    /// Folded `acled_actor` → group id: the name ACLED uses wins over any other match.
    acled: HashMap<String, String>,
    ids: BTreeSet<String>,
}

fn norm(s: &str) -> String {
    fold(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

impl GroupMatcher {
    fn new<'a>(
        groups: impl Iterator<Item = (String, &'a crate::content::raw::RawGroup)>,
    ) -> GroupMatcher {
        let mut acled = HashMap::new();
        let mut list: Vec<(String, Vec<String>)> = groups
            .map(|(id, g)| {
                if let Some(a) = &g.acled_actor {
                    acled.entry(norm(a)).or_insert_with(|| id.clone());
                }
                let mut names = vec![id.clone()];
                names.extend(g.name.clone());
                names.extend(g.short_name.clone());
                names.extend(g.aliases.iter().cloned());
                (id, names)
            })
            .collect();
        // First group by id wins a name two groups share, so the result never depends on
        // the order files were read in.
        list.sort_by(|a, b| a.0.cmp(&b.0));
        let ids = list.iter().map(|g| g.0.clone()).collect();
        let mut names = HashMap::new();
        for (id, ns) in list {
            for n in ns {
                names.entry(norm(&n)).or_insert_with(|| id.clone());
            }
        }
        GroupMatcher { names, acled, ids }
    }

    /// Whether a group has this exact id.
    fn has_id(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    /// The group an ACLED actor name means, if any.
    fn find(&self, actor: &str) -> Option<&str> {
        let full = norm(actor);
        if let Some(id) = self.acled.get(&full) {
            return Some(id);
        }
        let mut tries = vec![full.clone()];
        if let Some(i) = full.rfind(" (")
            && full.ends_with(')')
        {
            tries.push(full[..i].trim().to_string());
        }
        if let Some((a, b)) = full.split_once(':') {
            tries.push(a.trim().to_string());
            tries.push(b.trim().to_string());
        }
        tries
            .iter()
            .find_map(|t| self.names.get(t).map(String::as_str))
    }
}

// ---------------------------------------------------------------------------------------------
// Reading rows.
// ---------------------------------------------------------------------------------------------

/// Columns the importer reads; the first two are required.
const COLUMNS: &[&str] = &[
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "civilian_targeting",
    "iso",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "source",
    "notes",
    "fatalities",
    "geo_precision",
    "tags",
    "admin2",
    "admin3",
    "inter2",
];

/// ACLED country names that differ from the ISO short names.
const COUNTRY_ALIASES: &[(&str, &str)] = &[
    ("democratic republic of congo", "CD"),
    ("republic of congo", "CG"),
    ("ivory coast", "CI"),
    ("cape verde", "CV"),
    ("eswatini", "SZ"),
    ("iran", "IR"),
    ("laos", "LA"),
    ("moldova", "MD"),
    ("north korea", "KP"),
    ("south korea", "KR"),
    ("palestine", "PS"),
    ("russia", "RU"),
    ("syria", "SY"),
    ("tanzania", "TZ"),
    ("turkey", "TR"),
    ("venezuela", "VE"),
    ("vietnam", "VN"),
    ("bolivia", "BO"),
];

fn country_code(iso: &str, name: &str) -> Option<&'static str> {
    if let Ok(n) = iso.trim().parse::<u16>()
        && let Some(c) = COUNTRIES.iter().find(|c| c.1 == n)
    {
        return Some(c.0);
    }
    let name = norm(name);
    if name.is_empty() {
        return None;
    }
    COUNTRIES
        .iter()
        .find(|c| norm(c.2) == name)
        .map(|c| c.0)
        .or_else(|| COUNTRY_ALIASES.iter().find(|a| a.0 == name).map(|a| a.1))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Parses the date forms ACLED exports have used: `2017-06-18`, `18-06-2017`, `18/06/2017`,
/// `18 June 2017`, `18-June-2017`, `18-Jun-2017`.
fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let s = s.trim();
    let parts: Vec<&str> = s.split(['-', '/', ' ']).filter(|p| !p.is_empty()).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let num = |x: &str| x.parse::<u32>().ok();
    let month = |x: &str| {
        let x = x.to_ascii_lowercase();
        num(&x).or_else(|| {
            (x.len() >= 3)
                .then(|| MONTHS.iter().position(|m| m.starts_with(&x)))
                .flatten()
                .map(|i| i as u32 + 1)
        })
    };
    let (y, m, d) = if a.len() == 4 {
        (num(a)?, month(b)?, num(c)?)
    } else {
        (num(c)?, month(b)?, num(a)?)
    };
    chrono::NaiveDate::from_ymd_opt(y as i32, m, d)?;
    Some((y as i32, m, d))
}

/// The site's event type for an ACLED event, if its vocabulary has one.
fn event_type(config: &Config, event: &str, sub: &str) -> Option<String> {
    let sub = sub.trim().to_ascii_lowercase();
    let candidates: &[&str] = match sub.as_str() {
        "armed clash" => &["clash"],
        "attack" => &["attack"],
        "remote explosive/landmine/ied" | "suicide bomb" | "grenade" => &["bombing"],
        "shelling/artillery/missile attack" => &["shelling"],
        "abduction/forced disappearance" => &["kidnapping"],
        "air/drone strike" => &["airstrike", "air-strike"],
        _ => &[],
    };
    let own = crate::ids::slug(&sub);
    let ev = crate::ids::slug(event);
    candidates
        .iter()
        .copied()
        .chain([own.as_str(), ev.as_str()])
        .find(|c| !c.is_empty() && config.event_label(c).is_some())
        .map(str::to_string)
}

/// A record id from an ACLED event id: `MLI1234` → `acled-mli1234`.
pub fn record_id(event_id_cnty: &str) -> String {
    let mut id = String::from(ID_PREFIX);
    for c in event_id_cnty.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_string()
}

/// Reads every row; good ones come back as records with their line, bad ones go to the report.
fn read_rows(
    path: &Path,
    config: &Config,
    groups: &GroupMatcher,
    report: &mut ImportReport,
) -> Result<Vec<(u64, RawIncident)>, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let mut lines = LineCounter::new(&bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes.as_slice());
    let (headers, col) = read_header(path, &mut rdr)?;

    let mut taken = Taken::default();
    for result in rdr.records() {
        report.rows += 1;
        let rec = match result {
            Ok(r) => r,
            Err(e) => {
                report.malformed.push(unreadable(&e, &mut lines));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| lines.line_at(p.byte()));
        let rec = match without_controls(&rec, &headers) {
            Some((clean, message)) => {
                if !message.is_empty() {
                    report.cleaned.push(RowProblem {
                        line,
                        event_id: None,
                        message,
                    });
                }
                clean
            }
            None => rec,
        };
        let fields = Fields {
            rec: &rec,
            col: &col,
        };
        let event_id = fields.get("event_id_cnty");
        let problem = |message: String| RowProblem {
            line,
            event_id: Some(event_id.to_string()).filter(|s| !s.is_empty()),
            message,
        };
        if let Some(message) = misshapen(&rec, headers.len()) {
            report.malformed.push(problem(message));
            continue;
        }
        match row(&fields, config, groups) {
            Ok((inc, names)) => {
                if let Some(first) = taken.take(line, inc, names) {
                    report.malformed.push(RowProblem {
                        line,
                        event_id: Some(event_id.to_string()),
                        message: format!(
                            "event id repeats the row on line {first}; this row is left out"
                        ),
                    });
                }
            }
            Err(problems) => report.malformed.push(problem(problems.join("; "))),
        }
    }
    report.unmatched_actors = taken.unmatched_actors();
    Ok(taken.out)
}

/// The header's names (trimmed, lower case, without a byte-order mark) and where each column
/// the importer reads is; an error when a required column is missing.
fn read_header(
    path: &Path,
    rdr: &mut csv::Reader<&[u8]>,
) -> Result<(Vec<String>, HashMap<&'static str, usize>), Error> {
    let headers = rdr
        .headers()
        .map_err(|e| Error::Input(format!("{}: cannot read the header: {e}", path.display())))?;
    let headers: Vec<String> = headers
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let col: HashMap<&str, usize> = COLUMNS
        .iter()
        .filter_map(|c| headers.iter().position(|h| h == c).map(|i| (*c, i)))
        .collect();
    let missing: Vec<&str> = ["event_id_cnty", "event_date"]
        .into_iter()
        .filter(|c| !col.contains_key(c))
        .collect();
    if !missing.is_empty() || !(col.contains_key("iso") || col.contains_key("country")) {
        return Err(Error::Input(format!(
            "{} is not an ACLED export: it lacks the column(s) {}",
            path.display(),
            if missing.is_empty() {
                "`iso` or `country`".to_string()
            } else {
                format!("`{}`", missing.join("`, `"))
            }
        )));
    }
    Ok((headers, col))
}

/// The problem of a row the CSV reader could not read (bad quoting, bytes that are not UTF-8).
fn unreadable(e: &csv::Error, lines: &mut LineCounter<'_>) -> RowProblem {
    let line = e.position().map_or(0, |p| lines.line_at(p.byte()));
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!(
            "field {} is not UTF-8 text; save the file as UTF-8",
            err.field() + 1
        ),
        _ => format!("unreadable row: {e}"),
    };
    RowProblem {
        line,
        event_id: None,
        message,
    }
}

/// Why a row is not read at all: too big to be a record, or not as many fields as the header.
fn misshapen(rec: &csv::StringRecord, header_len: usize) -> Option<String> {
    if rec.as_slice().len() > MAX_ROW_BYTES {
        return Some(format!(
            "the row is {} bytes; rows of at most {} bytes are imported",
            rec.as_slice().len(),
            MAX_ROW_BYTES
        ));
    }
    if rec.len() != header_len {
        return Some(format!(
            "{} fields where the header has {}",
            rec.len(),
            header_len
        ));
    }
    None
}

/// The rows read so far: records with their line, the line of each id, and how many rows
/// named each actor no group matched.
#[derive(Default)]
struct Taken {
    out: Vec<(u64, RawIncident)>,
    seen: HashMap<String, u64>,
    unmatched: BTreeMap<String, usize>,
}

impl Taken {
    /// Keeps a converted row, unless its id was read before: then the line of the first row
    /// with it (the later row is left out, not merged, since either may be the mistake).
    fn take(&mut self, line: u64, inc: RawIncident, names: Vec<String>) -> Option<u64> {
        let id = inc.id.clone().unwrap_or_default();
        if let Some(first) = self.seen.get(&id) {
            return Some(*first);
        }
        self.seen.insert(id, line);
        for n in names {
            *self.unmatched.entry(n).or_default() += 1;
        }
        self.out.push((line, inc));
        None
    }

    /// The unmatched actor names, most frequent first, then by name.
    fn unmatched_actors(&self) -> Vec<UnmatchedActor> {
        let mut unmatched: Vec<UnmatchedActor> = self
            .unmatched
            .iter()
            .map(|(name, rows)| UnmatchedActor {
                name: name.clone(),
                rows: *rows,
            })
            .collect();
        unmatched.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.name.cmp(&b.name)));
        unmatched
    }
}

/// The row without control characters, and what was removed (empty when only carriage
/// returns were), when a cell held any. A cell
/// is text for a record: a bell, an escape sequence or a NUL from a stranger's CSV would be
/// stored in YAML and reach pages, feeds and terminals. Line breaks and tabs are text;
/// a carriage return is dropped silently (a Windows line break inside a quoted cell).
fn without_controls(
    rec: &csv::StringRecord,
    headers: &[String],
) -> Option<(csv::StringRecord, String)> {
    let bad = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !rec.iter().any(|f| f.contains(bad)) {
        return None;
    }
    let mut found: Vec<String> = Vec::new();
    let mut clean = csv::StringRecord::new();
    for (i, f) in rec.iter().enumerate() {
        let shown: std::collections::BTreeSet<String> = f
            .chars()
            .filter(|&c| bad(c) && c != '\r')
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        if !shown.is_empty() {
            let name = headers.get(i).map_or("?", String::as_str);
            found.push(format!(
                "`{name}` ({})",
                shown.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        clean.push_field(&f.chars().filter(|&c| !bad(c)).collect::<String>());
    }
    clean.set_position(rec.position().cloned());
    // Only carriage returns: cleaned without a word.
    let message = if found.is_empty() {
        String::new()
    } else {
        format!("control characters removed from {}", found.join(", "))
    };
    Some((clean, message))
}

/// Line numbers of byte offsets in the CSV, counted once from the start. The `csv` crate's
/// own line of a record is where reading of it began, before any blank lines, and quoted
/// line breaks inside earlier fields must count too: this counts every line end up to the
/// record's first byte.
struct LineCounter<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> LineCounter<'a> {
        LineCounter {
            bytes,
            at: 0,
            line: 1,
        }
    }

    /// The 1-based line where the record read from `byte` on starts (offsets never go back).
    fn line_at(&mut self, byte: u64) -> u64 {
        let mut start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        // Blank lines before the record belong to no record.
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start < self.at {
            return self.line;
        }
        for (i, &b) in self.bytes[self.at..start].iter().enumerate() {
            let next = self.bytes.get(self.at + i + 1);
            // CRLF, LF and a lone CR each end one line.
            if b == b'\n' || (b == b'\r' && next != Some(&b'\n')) {
                self.line += 1;
            }
        }
        self.at = start;
        self.line
    }
}

/// One CSV row, read by column name.
struct Fields<'a> {
    rec: &'a csv::StringRecord,
    col: &'a HashMap<&'static str, usize>,
}

impl<'a> Fields<'a> {
    /// The trimmed value of a column, `""` when the column or value is missing, without the
    /// apostrophe our exporter puts before a cell a spreadsheet would run as a formula.
    fn get(&self, c: &str) -> &'a str {
        self.col
            .get(c)
            .and_then(|&i| self.rec.get(i))
            .map_or("", |v| restore_cell(v.trim()))
    }
}

/// The `precision` to write: only one that differs from what the location would get without
/// it, so records stay as short as hand-written ones.
fn written_precision(
    p: Option<PlacePrecision>,
    coords: bool,
    place: bool,
    admin1: bool,
) -> Option<String> {
    p.filter(|p| *p != PlacePrecision::default_for(coords, place, admin1))
        .map(|p| p.as_str().to_string())
}

/// "Armed clash in Boni": the title of a record made from a row that gives none.
fn default_title(fields: &Fields<'_>, country: &str) -> String {
    let get = |c: &str| fields.get(c);
    let what = [get("sub_event_type"), get("event_type")]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or("Event");
    let cname = crate::content::country::name(country).unwrap_or(country);
    let place = [get("location"), get("admin1")]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or(cname);
    format!("{what} in {place}")
}

/// Converts one row; returns the record and the actor names no group matched, or every
/// problem of the row.
fn row(
    fields: &Fields<'_>,
    config: &Config,
    groups: &GroupMatcher,
) -> Result<(RawIncident, Vec<String>), Vec<String>> {
    let get = |c: &str| fields.get(c);
    // Every column is checked before giving up, so one message lists all of a row's problems.
    let mut problems = Vec::new();
    let event_id = get("event_id_cnty");
    if event_id.is_empty() || record_id(event_id) == ID_PREFIX.trim_end_matches('-') {
        problems.push("no `event_id_cnty`".to_string());
    }
    let date = row_date(fields, &mut problems);
    let country = country_code(get("iso"), get("country"));
    if country.is_none() {
        problems.push(format!(
            "unknown country (`iso` `{}`, `country` `{}`)",
            get("iso"),
            get("country")
        ));
    }
    let (lat, lon) = row_coordinates(fields, &mut problems);
    let fatalities = match get("fatalities") {
        "" => None,
        f => match f.parse::<u32>() {
            Ok(n) => Some(RawCount::Exact(n)),
            Err(_) => {
                problems.push(format!("`fatalities` `{f}` is not a whole number"));
                None
            }
        },
    };
    let own = Own::read(get("tags"), &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let country = country.unwrap_or_default();
    if let Some(own) = own {
        let date = own.date.clone().or(date);
        return Ok(own.into_record(
            fields,
            config,
            groups,
            Place {
                country,
                date,
                lat,
                lon,
            },
            fatalities,
        ));
    }
    Ok(acled_record(
        fields,
        config,
        groups,
        Place {
            country,
            date,
            lat,
            lon,
        },
        fatalities,
    ))
}

/// The record's date from `event_date`, to the day or (for a week or a month in
/// `time_precision`) to the month.
fn row_date(fields: &Fields<'_>, problems: &mut Vec<String>) -> Option<String> {
    let precision = match fields.get("time_precision") {
        "" | "1" => Some(1),
        "2" => Some(2),
        "3" => Some(3),
        other => {
            problems.push(format!("`time_precision` is `{other}`, expected 1, 2 or 3"));
            None
        }
    };
    match parse_date(fields.get("event_date")) {
        Some((y, m, d)) => match precision {
            Some(1) => Some(format!("{y:04}-{m:02}-{d:02}")),
            _ => Some(format!("{y:04}-{m:02}")),
        },
        None => {
            problems.push(format!(
                "`event_date` `{}` is not a date",
                fields.get("event_date")
            ));
            None
        }
    }
}

/// `latitude` and `longitude`: both or neither, each a finite number within its range.
fn row_coordinates(fields: &Fields<'_>, problems: &mut Vec<String>) -> (Option<f64>, Option<f64>) {
    let get = |c: &str| fields.get(c);
    let coord = |c: &str, limit: f64| -> Option<Option<f64>> {
        let v = get(c);
        if v.is_empty() {
            return Some(None);
        }
        v.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && x.abs() <= limit)
            .map(Some)
    };
    match (coord("latitude", 90.0), coord("longitude", 180.0)) {
        (Some(Some(a)), Some(Some(b))) => (Some(a), Some(b)),
        (Some(None), Some(None)) => (None, None),
        _ => {
            problems.push(format!(
                "coordinates `{}`, `{}` are not a latitude and longitude",
                get("latitude"),
                get("longitude")
            ));
            (None, None)
        }
    }
}

/// The group ids of a genuine ACLED row's perpetrators (`actor1`, `assoc_actor_1`), and the
/// names no group matched, each once in the order read.
fn perpetrators(fields: &Fields<'_>, groups: &GroupMatcher) -> (Vec<String>, Vec<String>) {
    let mut ids: Vec<String> = Vec::new();
    let mut unmatched: Vec<String> = Vec::new();
    // Actor 1 and its associates are the reported perpetrators; actor 2 and its associates
    // are who they acted against: targets (see `acled_targets`), never groups of the record.
    for c in ["actor1", "assoc_actor_1"] {
        for name in fields
            .get(c)
            .split(';')
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            match groups.find(name) {
                Some(g) => {
                    if !ids.iter().any(|x| x == g) {
                        ids.push(g.to_string());
                    }
                }
                None => {
                    if !unmatched.iter().any(|x| x == name) {
                        unmatched.push(name.to_string());
                    }
                }
            }
        }
    }
    (ids, unmatched)
}

/// The record of a genuine ACLED row (one without briefwerk's `id=` tag), whose checked
/// columns are in `at`; with the actor names no group matched.
fn acled_record(
    fields: &Fields<'_>,
    config: &Config,
    groups: &GroupMatcher,
    at: Place<'_>,
    fatalities: Option<RawCount>,
) -> (RawIncident, Vec<String>) {
    let get = |c: &str| fields.get(c);
    let event_id = get("event_id_cnty");
    let (ids, unmatched) = perpetrators(fields, groups);
    // ACLED codes reported perpetrators, not claims: every imported tie is `suspected`, never
    // the `unattributed` that `check` rejects on a named group.
    let attribution = (!ids.is_empty()).then(|| "suspected".to_string());
    let source = get("source");
    let source_title = if source.is_empty() {
        format!("ACLED event {event_id}")
    } else {
        format!("ACLED event {event_id}: {source}")
    };
    let inc = RawIncident {
        id: Some(record_id(event_id)),
        title: Some(default_title(fields, at.country)),
        date: at.date.clone().map(Text),
        end_date: None,
        location: Some(acled_location(fields, &at)),
        groups: ids.into_iter().map(RawGroupRef::Id).collect(),
        attribution,
        claims: None,
        event_type: event_type(config, get("event_type"), get("sub_event_type")),
        targets: acled_targets(fields, groups),
        // ACLED's `fatalities` counts every death, attackers included: it is never the
        // victims' figure (`killed`), only the not-separated `fatalities`.
        casualties: fatalities.map(|f| RawCasualties {
            killed: None,
            wounded: None,
            captured: None,
            attackers_killed: None,
            fatalities: Some(f),
        }),
        distinct_from: Vec::new(),
        same_event_as: None,
        tags: vec![TAG.to_string()],
        summary: Some(get("notes").to_string()).filter(|s| !s.is_empty()),
        sources: vec![RawSource {
            title: Some(source_title),
            url: None,
            publisher: Some("ACLED".into()),
            date: None,
        }],
        draft: false,
        body: None,
    };
    (inc, unmatched)
}

/// The location of a genuine ACLED row: `location` (else `admin3`) as the place, `admin1`,
/// `admin2`, and a precision from `geo_precision` only where it says more than the rest.
fn acled_location(fields: &Fields<'_>, at: &Place<'_>) -> RawLocation {
    let get = |c: &str| fields.get(c);
    let place = Some(get("location").to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| Some(get("admin3").to_string()).filter(|s| !s.is_empty()));
    let admin1 = Some(get("admin1").to_string()).filter(|s| !s.is_empty());
    let admin2 = Some(get("admin2").to_string()).filter(|s| !s.is_empty());
    RawLocation {
        precision: written_precision(
            place_precision(get("geo_precision")),
            at.lat.is_some(),
            place.is_some(),
            admin1.is_some(),
        ),
        place,
        admin1,
        admin2,
        country: Some(at.country.to_string()),
        lat: at.lat,
        lon: at.lon,
    }
}

/// The targets of a genuine ACLED row: `actor2` with the kind of its `inter2` code, then each
/// `assoc_actor_2` (a kind only when its name says it: "Civilians (…)", "Military Forces of
/// …", "Police Forces of …"), each linked to a profiled group when one matches; with none of
/// them, "civilians" when `civilian_targeting` is set.
fn acled_targets(fields: &Fields<'_>, groups: &GroupMatcher) -> Vec<RawTarget> {
    let get = |c: &str| fields.get(c);
    let inter2 = get("inter2")
        .parse::<u8>()
        .ok()
        .and_then(crate::content::TargetKind::from_inter);
    let by_name = |name: &str| {
        let n = name.to_ascii_lowercase();
        if n.starts_with("civilians") {
            Some(crate::content::TargetKind::Civilians)
        } else if n.starts_with("military forces of") || n.starts_with("police forces of") {
            Some(crate::content::TargetKind::StateForces)
        } else {
            None
        }
    };
    let mut out: Vec<RawTarget> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (c, first) in [("actor2", true), ("assoc_actor_2", false)] {
        for name in get(c).split(';').map(str::trim).filter(|n| !n.is_empty()) {
            if seen.iter().any(|s| s == name) {
                continue;
            }
            seen.push(name.to_string());
            let kind = if first {
                inter2.or(by_name(name))
            } else {
                by_name(name)
            };
            let group = groups.find(name).map(str::to_string);
            out.push(RawTarget::Actor(RawTargetActor {
                actor: Some(name.to_string()),
                kind: kind.map(|k| k.as_str().to_string()),
                group,
            }));
        }
    }
    if out.is_empty() && get("civilian_targeting").eq_ignore_ascii_case("civilian targeting") {
        out.push(RawTarget::Name("civilians".to_string()));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Reading back briefwerk's own export (issue 10): `data/acled.csv` carries in `tags` what
// ACLED's columns cannot hold; a row with an `id=` tag is one of ours and is restored from it.
// ---------------------------------------------------------------------------------------------

/// The parts of a row every record needs, already checked.
struct Place<'a> {
    country: &'a str,
    date: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

/// One group of a briefwerk row: id, attribution, claim date, claim medium.
#[derive(Default)]
struct OwnGroup {
    id: String,
    attribution: Option<String>,
    claim_date: Option<String>,
    claim_medium: Option<String>,
    claimed_killed: Option<RawCount>,
    claimed_wounded: Option<RawCount>,
    claimed_captured: Option<RawCount>,
}

/// What a briefwerk row's `tags` say (see docs/data.md, "ACLED format").
#[derive(Default)]
struct Own {
    id: String,
    title: Option<String>,
    date: Option<String>,
    end_date: Option<String>,
    event_type: Option<String>,
    attribution: Option<String>,
    groups: Vec<OwnGroup>,
    killed: Option<RawCount>,
    wounded: Option<RawCount>,
    captured: Option<RawCount>,
    attackers_killed: Option<RawCount>,
    fatalities: Option<RawCount>,
    claims: Option<String>,
    precision: Option<PlacePrecision>,
    targets: Vec<RawTarget>,
    tags: Vec<String>,
    sources: BTreeMap<usize, RawSource>,
    same_event_as: Option<String>,
    distinct_from: Vec<String>,
}

fn raw_count(c: Count) -> RawCount {
    match c {
        Count::Exact { n } => RawCount::Exact(n),
        Count::Range { min, max } => RawCount::Range { min, max },
        Count::Unknown => RawCount::Unknown,
    }
}

impl Own {
    /// Reads the `tags` field; `None` for a row without an `id=` tag (a genuine ACLED row).
    /// Keys it does not know are left alone, so ACLED's own `key=value` tags do no harm.
    fn read(field: &str, problems: &mut Vec<String>) -> Option<Own> {
        let items = parse_tags(field);
        let id = items.iter().find(|(k, _)| k == "id")?.1.clone();
        if !crate::ids::is_valid_id(&id) {
            problems.push(format!("`tags` id `{id}` is not a record id ([a-z0-9-]+)"));
            return None;
        }
        let mut own = Own {
            id,
            ..Own::default()
        };
        let date = |k: &str, v: &str, problems: &mut Vec<String>| {
            if PartialDate::parse(v).is_ok() {
                Some(v.to_string())
            } else {
                problems.push(format!("`tags` {k} `{v}` is not a date"));
                None
            }
        };
        for (k, v) in items {
            let count = |problems: &mut Vec<String>| {
                let c = parse_count_tag(&v).map(raw_count);
                if c.is_none() {
                    problems.push(format!(
                        "`tags` {k} `{v}` is not a figure (N, N-M, N+ or unknown)"
                    ));
                }
                c
            };
            match k.as_str() {
                "title" => own.title = Some(v),
                "date" => own.date = date(&k, &v, problems),
                "end_date" => own.end_date = date(&k, &v, problems),
                "event_type" => own.event_type = Some(v),
                "attribution" => own.attribution = Some(v),
                "killed" => own.killed = count(problems),
                "wounded" => own.wounded = count(problems),
                "captured" => own.captured = count(problems),
                "attackers_killed" => own.attackers_killed = count(problems),
                "fatalities" => own.fatalities = count(problems),
                "claims" => own.claims = Some(v),
                "same_event_as" => own.same_event_as = Some(v),
                "distinct_from" => own.distinct_from.push(v),
                // `target.kind=` and `target.group=` qualify the `target=` before them.
                "target.kind" | "target.group" => {
                    if let Some(t) = own.targets.pop() {
                        let mut a = match t {
                            RawTarget::Name(n) => RawTargetActor {
                                actor: Some(n),
                                ..RawTargetActor::default()
                            },
                            RawTarget::Actor(a) => a,
                        };
                        if k == "target.kind" {
                            a.kind = Some(v);
                        } else {
                            a.group = Some(v);
                        }
                        own.targets.push(RawTarget::Actor(a));
                    }
                }
                "precision" => {
                    own.precision = PlacePrecision::parse(&v);
                    if own.precision.is_none() {
                        problems.push(format!(
                            "`tags` precision `{v}` is not one of {}",
                            PlacePrecision::ALL.join(", ")
                        ));
                    }
                }
                "target" => own.targets.push(RawTarget::Name(v)),
                "tag" => own.tags.push(v),
                _ => {
                    if let Some(rest) = k.strip_prefix("group.") {
                        let (id, field) = rest.split_once('.').unwrap_or((rest, ""));
                        let g = match own.groups.iter_mut().position(|g| g.id == id) {
                            Some(p) => &mut own.groups[p],
                            None => {
                                own.groups.push(OwnGroup {
                                    id: id.to_string(),
                                    ..OwnGroup::default()
                                });
                                own.groups.last_mut()?
                            }
                        };
                        match field {
                            "" => g.attribution = Some(v),
                            "claim_date" => g.claim_date = date(&k, &v, problems),
                            "claim_medium" => g.claim_medium = Some(v),
                            "claimed_killed" => g.claimed_killed = count(problems),
                            "claimed_wounded" => g.claimed_wounded = count(problems),
                            "claimed_captured" => g.claimed_captured = count(problems),
                            _ => {}
                        }
                    } else if let Some(rest) = k.strip_prefix("source.")
                        && let Some((n, field)) = rest.split_once('.')
                        && let Ok(n) = n.parse::<usize>()
                    {
                        let s = own.sources.entry(n).or_default();
                        match field {
                            "title" => s.title = Some(v),
                            "url" => s.url = Some(v),
                            "publisher" => s.publisher = Some(v),
                            "date" => s.date = date(&k, &v, problems).map(Text),
                            _ => {}
                        }
                    }
                }
            }
        }
        Some(own)
    }

    /// The record the row was exported from; group ids the site does not have are returned
    /// as unmatched.
    fn into_record(
        self,
        fields: &Fields<'_>,
        config: &Config,
        groups: &GroupMatcher,
        place: Place<'_>,
        fatalities: Option<RawCount>,
    ) -> (RawIncident, Vec<String>) {
        let get = |c: &str| fields.get(c);
        let text = |c: &str| Some(get(c).to_string()).filter(|s| !s.is_empty());
        let mut ids = Vec::new();
        let mut unmatched = Vec::new();
        // A group whose attribution is the record's own is written as a plain id, as editors
        // write it; only a group that differs, or has a claim date or medium, is an object.
        let record = self.attribution.as_deref().unwrap_or("unattributed");
        for g in &self.groups {
            if groups.has_id(&g.id) {
                let attribution = g.attribution.clone().filter(|a| a != record);
                let claimed = g.claimed_killed.is_some()
                    || g.claimed_wounded.is_some()
                    || g.claimed_captured.is_some();
                ids.push(
                    if attribution.is_none()
                        && g.claim_date.is_none()
                        && g.claim_medium.is_none()
                        && !claimed
                    {
                        RawGroupRef::Id(g.id.clone())
                    } else {
                        RawGroupRef::Claim(RawGroupClaim {
                            id: g.id.clone(),
                            attribution,
                            claim_date: g.claim_date.clone().map(Text),
                            claim_medium: g.claim_medium.clone(),
                            claimed_killed: g.claimed_killed,
                            claimed_wounded: g.claimed_wounded,
                            claimed_captured: g.claimed_captured,
                        })
                    },
                );
            } else {
                unmatched.push(g.id.clone());
            }
        }
        // `fatalities` counts attackers too when the row has them, and is the all-deaths
        // figure when the tags give one; the victims are then in a `killed=` tag (or there
        // were none recorded).
        let killed = self.killed.or(
            if self.attackers_killed.is_none() && self.fatalities.is_none() {
                fatalities
            } else {
                None
            },
        );
        let casualties = RawCasualties {
            killed,
            wounded: self.wounded,
            captured: self.captured,
            attackers_killed: self.attackers_killed,
            fatalities: self.fatalities,
        };
        let has_casualties = {
            let RawCasualties {
                killed,
                wounded,
                captured,
                attackers_killed,
                fatalities,
            } = &casualties;
            killed.is_some()
                || wounded.is_some()
                || captured.is_some()
                || attackers_killed.is_some()
                || fatalities.is_some()
        };
        let event_type = self
            .event_type
            .filter(|e| config.event_label(e).is_some())
            .or_else(|| event_type(config, get("event_type"), get("sub_event_type")));
        let inc = RawIncident {
            id: Some(self.id),
            title: Some(
                self.title
                    .unwrap_or_else(|| default_title(fields, place.country)),
            ),
            date: place.date.map(Text),
            end_date: self.end_date.map(Text),
            location: Some(RawLocation {
                place: text("location"),
                admin1: text("admin1"),
                admin2: text("admin2"),
                country: Some(place.country.to_string()),
                lat: place.lat,
                lon: place.lon,
                precision: written_precision(
                    self.precision.or(place_precision(get("geo_precision"))),
                    place.lat.is_some(),
                    !get("location").is_empty(),
                    !get("admin1").is_empty(),
                ),
            }),
            groups: ids,
            attribution: self.attribution,
            claims: self.claims,
            event_type,
            targets: self.targets,
            casualties: has_casualties.then_some(casualties),
            tags: self.tags,
            summary: text("notes"),
            sources: self.sources.into_values().collect(),
            distinct_from: self.distinct_from,
            same_event_as: self.same_event_as,
            draft: false,
            body: None,
        };
        (inc, unmatched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_acled_date_forms() {
        for s in [
            "2017-06-18",
            "18-06-2017",
            "18/06/2017",
            "18 June 2017",
            "18-June-2017",
            "18-Jun-2017",
        ] {
            assert_eq!(parse_date(s), Some((2017, 6, 18)), "{s}");
        }
        assert_eq!(parse_date("31 June 2017"), None);
        assert_eq!(parse_date("June 2017"), None);
    }

    #[test]
    fn ids_are_lower_case_and_prefixed() {
        assert_eq!(record_id("MLI1234"), "acled-mli1234");
        assert_eq!(record_id(" BFO 77 "), "acled-bfo-77");
    }

    #[test]
    fn countries_by_numeric_code_then_name() {
        assert_eq!(country_code("466", ""), Some("ML"));
        assert_eq!(country_code("", "Burkina Faso"), Some("BF"));
        assert_eq!(country_code("", "Ivory Coast"), Some("CI"));
        assert_eq!(country_code("", "Atlantis"), None);
    }

    #[test]
    fn own_tags_are_read_and_acled_tags_left_alone() {
        let mut problems = Vec::new();
        assert!(
            Own::read(
                "crowd size=no report; women targeted: candidates",
                &mut problems
            )
            .is_none()
        );
        assert!(problems.is_empty());
        let own = Own::read(
            "id=2017-06-18-kangaba; title=A%3B b; date=2017; killed=5+; group.jnim=claimed; \
             group.jnim.claim_medium=statement; group.isgs=suspected; source.2.title=B; \
             source.1.title=A; source.1.date=2017-06; crowd size=no report",
            &mut problems,
        )
        .unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(own.id, "2017-06-18-kangaba");
        assert_eq!(own.title.as_deref(), Some("A; b"));
        assert_eq!(own.date.as_deref(), Some("2017"));
        assert_eq!(own.killed, Some(RawCount::Range { min: 5, max: None }));
        let groups: Vec<(&str, Option<&str>, Option<&str>)> = own
            .groups
            .iter()
            .map(|g| {
                (
                    g.id.as_str(),
                    g.attribution.as_deref(),
                    g.claim_medium.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            groups,
            [
                ("jnim", Some("claimed"), Some("statement")),
                ("isgs", Some("suspected"), None)
            ]
        );
        let titles: Vec<_> = own.sources.values().map(|s| s.title.as_deref()).collect();
        assert_eq!(titles, [Some("A"), Some("B")]);

        assert!(Own::read("id=2017; killed=many; end_date=June", &mut problems).is_some());
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(Own::read("id=Not An Id", &mut problems).is_none());
        assert_eq!(problems.len(), 3);
        let own = Own::read("id=x; precision=country", &mut problems).unwrap();
        assert_eq!(own.precision, Some(PlacePrecision::Country));
        assert!(Own::read("id=x; precision=somewhere", &mut problems).is_some());
        assert_eq!(problems.len(), 4);
    }

    #[test]
    fn only_a_precision_the_location_would_not_get_is_written() {
        let near = Some(PlacePrecision::Near);
        assert_eq!(
            written_precision(near, true, true, true).as_deref(),
            Some("near")
        );
        assert_eq!(written_precision(near, false, true, true), None);
        let region = Some(PlacePrecision::Region);
        assert_eq!(
            written_precision(region, false, true, true).as_deref(),
            Some("region")
        );
        assert_eq!(written_precision(None, true, true, true), None);
    }

    #[test]
    fn acled_actor_names_win_over_other_matches() {
        let isgs = crate::content::raw::RawGroup {
            name: Some("Islamic State Sahel Province".into()),
            acled_actor: Some("Islamic State (Greater Sahara)".into()),
            ..Default::default()
        };
        let is = crate::content::raw::RawGroup {
            name: Some("Islamic State".into()),
            ..Default::default()
        };
        let m = GroupMatcher::new(
            [
                ("a-islamic-state".to_string(), &is),
                ("isgs".to_string(), &isgs),
            ]
            .into_iter(),
        );
        assert_eq!(m.find("Islamic State (Greater Sahara)"), Some("isgs"));
        assert_eq!(m.find("Islamic State"), Some("a-islamic-state"));
    }

    #[test]
    fn actors_match_names_aliases_and_colon_parts() {
        let jnim = crate::content::raw::RawGroup {
            name: Some("Jama'at Nusrat al-Islam wal-Muslimin".into()),
            short_name: Some("JNIM".into()),
            aliases: vec!["Groupe de soutien à l'islam et aux musulmans".into()],
            ..Default::default()
        };
        let m = GroupMatcher::new([("jnim".to_string(), &jnim)].into_iter());
        assert_eq!(
            m.find("JNIM: Group for Support of Islam and Muslims"),
            Some("jnim")
        );
        assert_eq!(
            m.find("groupe de soutien a l'islam et aux musulmans"),
            Some("jnim")
        );
        assert_eq!(m.find("JNIM (2017-)"), Some("jnim"));
        assert_eq!(m.find("Military Forces of Mali (2021-)"), None);
    }
}
