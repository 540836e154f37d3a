//! Data exports (issue 6): `data/incidents.{csv,json,geojson}`, `data/groups.json`, and the
//! same three incident files beside every group page (`groups/<id>/incidents.*`) and country
//! page (`countries/<cc>/incidents.*`); `data/acled.csv` (issue 10), the incidents in
//! ACLED's own columns, which `briefwerk import acled` reads back without loss; and
//! `data/datapackage.json` (issue 15), a Frictionless Data Package describing all of them.
//!
//! Takes the validated site and returns files; reads and writes nothing. Drafts are never
//! exported, even in a `--drafts` build: these files are what other analysts download and
//! cite. Output is deterministic: records in the site's chronological order (ties by id),
//! coordinates rounded to six decimals, no timestamps. Every CSV cell that a spreadsheet
//! would run as a formula is neutralised ([`neutralise_cell`], issue 14). Every column is
//! documented in docs/data.md and in [`datapackage`]; change a column only together with
//! [`SCHEMA_VERSION`] and those.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;

use super::{Inputs, OutputFile};
use crate::codec::acled::{ACLED_COLUMNS, acled_row};
use crate::codec::cell::{LIST_SEPARATOR, neutralise_cell, round6};
use crate::content::country;
use crate::content::{Attribution, Count, Incident, PartialDate, Precision, Site};
use crate::index::Index;
use crate::routes;

pub mod datapackage;

/// Version of the export format, written into every record. Bump it when a column is added,
/// removed, renamed or changes meaning, and say so in docs/data.md.
pub const SCHEMA_VERSION: u32 = 2;

/// CSV columns of `incidents.csv`, in order (the JSON records are nested: [`IncidentJson`]).
pub const COLUMNS: &[&str] = &[
    "event_id",
    "event_date",
    "date_precision",
    "end_date",
    "event_type",
    "actors",
    "actor_ids",
    "attribution",
    "groups_claimed",
    "groups_suspected",
    "groups_disputed",
    "claims",
    "claim_dates",
    "claim_media",
    "claimed_killed",
    "claimed_wounded",
    "claimed_captured",
    "country",
    "iso",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "location_precision",
    "killed_min",
    "killed_max",
    "killed_unknown",
    "wounded_min",
    "wounded_max",
    "wounded_unknown",
    "captured_min",
    "captured_max",
    "captured_unknown",
    "attackers_killed_min",
    "attackers_killed_max",
    "attackers_killed_unknown",
    "fatalities_min",
    "fatalities_max",
    "fatalities_unknown",
    "targets",
    "target_kinds",
    "target_groups",
    "sources",
    "tags",
    "title",
    "summary",
    "after_cutoff",
    "same_event_as",
    "distinct_from",
    "url",
    "schema_version",
];

/// The three incident export files for one set of incidents, by file name.
pub const INCIDENT_FILES: [&str; 3] = ["incidents.csv", "incidents.json", "incidents.geojson"];

// ---------------------------------------------------------------------------------------------
// Incident records.
// ---------------------------------------------------------------------------------------------

/// A casualty figure as exported: `{min, max, unknown}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// Lower bound; null when unknown.
    pub min: Option<u32>,
    /// Upper bound; null when open-ended ("at least") or unknown.
    pub max: Option<u32>,
    /// The record states the figure as unknown.
    pub unknown: bool,
}

impl Figure {
    /// The exported form of a figure, `None` when the record gives none.
    pub fn of(c: Option<&Count>) -> Option<Figure> {
        c.map(|c| match c {
            Count::Unknown => Figure {
                min: None,
                max: None,
                unknown: true,
            },
            c => Figure {
                min: c.min(),
                max: c.max(),
                unknown: false,
            },
        })
    }

    /// `(min, max, unknown)` CSV cells: empty for a figure not given.
    fn cells(f: Option<Figure>) -> [String; 3] {
        let f = f.unwrap_or(Figure {
            min: None,
            max: None,
            unknown: false,
        });
        [opt(f.min), opt(f.max), flag(f.unknown)]
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn flag(b: bool) -> String {
    if b { "true".into() } else { "false".into() }
}

/// The word of a date precision in the exports: `day`, `month` or `year`.
pub fn precision_word(p: Precision) -> &'static str {
    match p {
        Precision::Day => "day",
        Precision::Month => "month",
        Precision::Year => "year",
    }
}

/// One group's tie to an incident in `incidents.json`.
#[derive(Debug, Clone, Serialize)]
pub struct GroupTie<'a> {
    /// Group id (see `groups.json`).
    pub id: &'a str,
    /// Group name.
    pub name: &'a str,
    /// claimed | suspected | disputed | unattributed.
    pub attribution: &'static str,
    /// When the group claimed it, at its precision.
    pub claim_date: Option<String>,
    /// How it claimed it.
    pub claim_medium: Option<&'a str>,
    /// The group's own figure of people killed (never in any total).
    pub claimed_killed: Option<Figure>,
    /// The group's own figure of people wounded.
    pub claimed_wounded: Option<Figure>,
    /// The group's own figure of people captured.
    pub claimed_captured: Option<Figure>,
}

/// Where, in `incidents.json`.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceRecord<'a> {
    /// Town, village or site.
    pub place: Option<&'a str>,
    /// First-level administrative region.
    pub admin1: Option<&'a str>,
    /// Second-level administrative region.
    pub admin2: Option<&'a str>,
    /// ISO 3166-1 alpha-2 code.
    pub country: &'a str,
    /// English short name of the country.
    pub country_name: &'a str,
    /// Latitude, six decimals at most.
    pub lat: Option<f64>,
    /// Longitude, six decimals at most.
    pub lon: Option<f64>,
    /// exact | near | region | country.
    pub precision: &'static str,
}

/// A target, in `incidents.json`.
#[derive(Debug, Clone, Serialize)]
pub struct TargetRecord<'a> {
    /// Who or what was targeted.
    pub actor: &'a str,
    /// ACLED-style actor kind (`state_forces`, `civilians`, …), when given.
    pub kind: Option<&'static str>,
    /// The profiled group targeted, when given.
    pub group: Option<&'a str>,
}

/// The five figures of an incident, in `incidents.json`.
#[derive(Debug, Clone, Serialize)]
pub struct CasualtiesRecord {
    /// Victims killed.
    pub killed: Option<Figure>,
    /// Wounded.
    pub wounded: Option<Figure>,
    /// Captured or kidnapped.
    pub captured: Option<Figure>,
    /// Attackers killed, never added to the victims.
    pub attackers_killed: Option<Figure>,
    /// Every death, victims and attackers not separated (ACLED's `fatalities`).
    pub fatalities: Option<Figure>,
}

/// A source, in `incidents.json`.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRecord<'a> {
    /// Title.
    pub title: &'a str,
    /// Link.
    pub url: Option<&'a str>,
    /// Outlet.
    pub publisher: Option<&'a str>,
    /// Publication date at its precision.
    pub date: Option<String>,
}

/// One incident in `incidents.json` and as GeoJSON `properties`: the whole model.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentJson<'a> {
    /// Record id (also the last segment of its URL).
    pub id: &'a str,
    /// Headline.
    pub title: &'a str,
    /// Start date at its written precision: `2017-06-18`, `2017-06` or `2017`.
    pub date: String,
    /// End date of a multi-day event, at its precision.
    pub end_date: Option<String>,
    /// day | month | year.
    pub date_precision: &'static str,
    /// Event type id from the site's vocabulary.
    pub event_type: Option<&'a str>,
    /// The record's attribution.
    pub attribution: Option<&'static str>,
    /// joint | competing, when two or more groups claimed it and the record says which.
    pub claims: Option<&'static str>,
    /// Each group with its own tie.
    pub groups: Vec<GroupTie<'a>>,
    /// Where.
    pub location: PlaceRecord<'a>,
    /// Who or what was targeted.
    pub targets: Vec<TargetRecord<'a>>,
    /// Figures.
    pub casualties: CasualtiesRecord,
    /// Tags as written.
    pub tags: &'a [String],
    /// One-sentence summary.
    pub summary: Option<&'a str>,
    /// Sources in full.
    pub sources: Vec<SourceRecord<'a>>,
    /// Dated after the site's `data_cutoff` (published, left out of totals).
    pub after_cutoff: bool,
    /// The record this one repeats (it is then left out of every total).
    pub same_event_as: Option<&'a str>,
    /// Records said not to be the same event.
    pub distinct_from: Vec<&'a str>,
    /// Absolute URL of the incident page.
    pub url: String,
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
}

impl<'a> IncidentJson<'a> {
    /// Builds the exported form of one incident.
    pub fn new(
        i: &'a Incident,
        site: &'a Site,
        base_url: &str,
        cutoff: Option<&PartialDate>,
    ) -> IncidentJson<'a> {
        let code = i.location.country.as_str();
        let cas = &i.casualties;
        IncidentJson {
            id: &i.id,
            title: &i.title,
            date: i.date.iso(),
            end_date: i.end_date.as_ref().map(|d| d.iso()),
            date_precision: precision_word(i.date.precision()),
            event_type: i.event_type.as_deref(),
            attribution: i.attribution.map(|a| a.as_str()),
            claims: i.claim_relation.map(|c| c.as_str()),
            groups: i
                .claims
                .iter()
                .map(|c| GroupTie {
                    id: &c.id,
                    name: site.group(&c.id).map_or(c.id.as_str(), |g| g.name.as_str()),
                    attribution: c.attribution.as_str(),
                    claim_date: c.claim_date.map(|d| d.iso()),
                    claim_medium: c.claim_medium.as_deref(),
                    claimed_killed: Figure::of(c.claimed.killed.as_ref()),
                    claimed_wounded: Figure::of(c.claimed.wounded.as_ref()),
                    claimed_captured: Figure::of(c.claimed.captured.as_ref()),
                })
                .collect(),
            location: PlaceRecord {
                place: i.location.place.as_deref(),
                admin1: i.location.admin1.as_deref(),
                admin2: i.location.admin2.as_deref(),
                country: code,
                country_name: country::name(code).unwrap_or(code),
                lat: i.location.coords.map(|c| round6(c.0)),
                lon: i.location.coords.map(|c| round6(c.1)),
                precision: i.location.precision.as_str(),
            },
            targets: i
                .targets
                .iter()
                .map(|t| TargetRecord {
                    actor: &t.actor,
                    kind: t.kind.map(|k| k.as_str()),
                    group: t.group.as_deref(),
                })
                .collect(),
            casualties: CasualtiesRecord {
                killed: Figure::of(cas.killed.as_ref()),
                wounded: Figure::of(cas.wounded.as_ref()),
                captured: Figure::of(cas.captured.as_ref()),
                attackers_killed: Figure::of(cas.attackers_killed.as_ref()),
                fatalities: Figure::of(cas.fatalities.as_ref()),
            },
            tags: &i.tags,
            summary: i.summary.as_deref(),
            sources: i
                .sources
                .iter()
                .map(|s| SourceRecord {
                    title: &s.title,
                    url: s.url.as_deref(),
                    publisher: s.publisher.as_deref(),
                    date: s.date.map(|d| d.iso()),
                })
                .collect(),
            after_cutoff: i.after_cutoff(cutoff),
            same_event_as: i.same_event_as.as_deref(),
            distinct_from: i.distinct_from.iter().map(String::as_str).collect(),
            url: routes::absolute(base_url, &routes::incident(&i.id)),
            schema_version: SCHEMA_VERSION,
        }
    }

    /// The CSV fields of `incidents.csv`, in [`COLUMNS`] order, not yet neutralised.
    pub fn csv_fields(&self) -> Vec<String> {
        let join = |v: Vec<&str>| v.join(LIST_SEPARATOR);
        let with = |a: &str| -> String {
            join(
                self.groups
                    .iter()
                    .filter(|g| g.attribution == a)
                    .map(|g| g.id)
                    .collect(),
            )
        };
        // `id=value` per group, for the per-group facts that have no column of their own.
        let per_group = |f: &dyn Fn(&GroupTie<'_>) -> Option<String>| -> String {
            self.groups
                .iter()
                .filter_map(|g| f(g).map(|v| format!("{}={v}", g.id)))
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR)
        };
        let claimed = |f: fn(&GroupTie<'_>) -> Option<Figure>| per_group(&|g| f(g).map(figure_tag));
        let loc = &self.location;
        let cas = &self.casualties;
        let mut kinds: Vec<&str> = self.targets.iter().filter_map(|t| t.kind).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let mut out = vec![
            self.id.to_string(),
            self.date.clone(),
            self.date_precision.to_string(),
            opt(self.end_date.as_deref()),
            opt(self.event_type),
            join(self.groups.iter().map(|g| g.name).collect()),
            join(self.groups.iter().map(|g| g.id).collect()),
            opt(self.attribution),
            with(Attribution::Claimed.as_str()),
            with(Attribution::Suspected.as_str()),
            with(Attribution::Disputed.as_str()),
            opt(self.claims),
            per_group(&|g| g.claim_date.clone()),
            per_group(&|g| g.claim_medium.map(str::to_string)),
            claimed(|g| g.claimed_killed),
            claimed(|g| g.claimed_wounded),
            claimed(|g| g.claimed_captured),
            loc.country_name.to_string(),
            loc.country.to_string(),
            opt(loc.admin1),
            opt(loc.admin2),
            opt(loc.place),
            opt(loc.lat),
            opt(loc.lon),
            loc.precision.to_string(),
        ];
        for f in [
            cas.killed,
            cas.wounded,
            cas.captured,
            cas.attackers_killed,
            cas.fatalities,
        ] {
            out.extend(Figure::cells(f));
        }
        out.extend([
            join(self.targets.iter().map(|t| t.actor).collect()),
            join(kinds),
            join(self.targets.iter().filter_map(|t| t.group).collect()),
            join(
                self.sources
                    .iter()
                    .map(|s| s.url.unwrap_or(s.title))
                    .collect(),
            ),
            join(self.tags.iter().map(String::as_str).collect()),
            self.title.to_string(),
            opt(self.summary),
            flag(self.after_cutoff),
            opt(self.same_event_as),
            join(self.distinct_from.clone()),
            self.url.clone(),
            self.schema_version.to_string(),
        ]);
        out
    }
}

/// A figure in the compact form of tags and per-group cells: `12`, `10-12`, `257+`, `unknown`.
fn figure_tag(f: Figure) -> String {
    match (f.unknown, f.min, f.max) {
        (true, _, _) => "unknown".into(),
        (_, Some(a), Some(b)) if a == b => a.to_string(),
        (_, Some(a), Some(b)) => format!("{a}-{b}"),
        (_, Some(a), None) => format!("{a}+"),
        _ => String::new(),
    }
}

/// One incident pre-rendered in every export format, so the per-group and per-country files
/// are concatenations rather than re-serialisations.
#[derive(Debug)]
struct Encoded {
    csv: Vec<u8>,
    json: String,
    feature: String,
}

/// One CSV line (CRLF), every cell neutralised against formula injection.
fn csv_line(fields: &[String]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(fields.iter().map(|f| neutralise_cell(f).into_owned()));
    w.into_inner().unwrap_or_default()
}

fn encode(i: &Incident, site: &Site, base_url: &str, cutoff: Option<&PartialDate>) -> Encoded {
    let r = IncidentJson::new(i, site, base_url, cutoff);
    let json = serde_json::to_string(&r).unwrap_or_default();
    // RFC 7946 §3.2: a feature without a location has a null geometry, so the GeoJSON has
    // one feature per published incident, like the CSV and the JSON.
    let geometry = match (r.location.lat, r.location.lon) {
        (Some(lat), Some(lon)) => format!(
            "{{\"type\":\"Point\",\"coordinates\":[{},{}]}}",
            serde_json::to_string(&lon).unwrap_or_default(),
            serde_json::to_string(&lat).unwrap_or_default(),
        ),
        _ => "null".to_string(),
    };
    let mut feature = String::with_capacity(json.len() + 120);
    let _ = write!(
        feature,
        "{{\"type\":\"Feature\",\"id\":{},\"geometry\":{geometry},\"properties\":{json}}}",
        serde_json::to_string(r.id).unwrap_or_default(),
    );
    Encoded {
        csv: csv_line(&r.csv_fields()),
        json,
        feature,
    }
}

fn json_array<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::from("[");
    let mut first = true;
    for it in items {
        out.push_str(if first { "\n" } else { ",\n" });
        out.push_str(it);
        first = false;
    }
    out.push_str(if first { "]\n" } else { "\n]\n" });
    out
}

/// The three export files of the incidents at `positions` (into `Site::incidents`), under
/// `dir` (`""`, `groups/jnim/`, …).
fn incident_files(
    dir: &str,
    base_url: &str,
    positions: &[usize],
    enc: &[Option<&Encoded>],
    put: &(dyn Fn(OutputFile) -> Result<(), crate::Error> + Sync),
) -> Result<(), crate::Error> {
    // Each file is handed over before the next is encoded: at 100,000 incidents the three
    // site-wide files are several hundred megabytes together.
    let rows: Vec<&Encoded> = positions.iter().filter_map(|&p| enc[p]).collect();
    let mut csv = csv_line(&COLUMNS.iter().map(|c| (*c).to_string()).collect::<Vec<_>>());
    for r in &rows {
        csv.extend_from_slice(&r.csv);
    }
    put(OutputFile {
        path: routes::export_file(dir, INCIDENT_FILES[0]),
        bytes: csv,
    })?;
    put(OutputFile {
        path: routes::export_file(dir, INCIDENT_FILES[1]),
        bytes: json_array(rows.iter().map(|r| r.json.as_str())).into_bytes(),
    })?;
    let mut geojson = format!(
        "{{\"type\":\"FeatureCollection\",\"schema_version\":{SCHEMA_VERSION},\"features\":"
    );
    geojson.push_str(json_array(rows.iter().map(|r| r.feature.as_str())).trim_end());
    geojson.push_str("}\n");
    put(OutputFile {
        path: routes::export_file(dir, INCIDENT_FILES[2]),
        bytes: geojson.into_bytes(),
    })?;
    // A group's or country's folder describes its own files (a package may not name files
    // outside its folder); `data/` gets the site-wide package from `render`.
    if let Some(of) = folder_label(dir) {
        put(OutputFile {
            path: routes::export_file(dir, datapackage::FILE),
            bytes: datapackage::folder(&datapackage::name(dir), &of, base_url, rows.is_empty()),
        })?;
    }
    Ok(())
}

/// What a group's or country's export folder holds, for its package's title: "group `jnim`",
/// "country ML"; `None` for `data/`. Ids, not names, so the file changes only with the folder.
fn folder_label(dir: &str) -> Option<String> {
    match routes::export_folder(dir) {
        Some(("groups", id)) => Some(format!("group `{id}`")),
        Some(("countries", cc)) => Some(format!(
            "country {} ({})",
            cc.to_ascii_uppercase(),
            country::name(&cc.to_ascii_uppercase()).unwrap_or(cc)
        )),
        _ => None,
    }
}

/// A leader in `groups.json`.
#[derive(Serialize)]
struct LeaderRecord<'a> {
    name: &'a str,
    role: Option<&'a str>,
    from: Option<String>,
    to: Option<String>,
}

/// Links to a group's or country's own incident exports.
#[derive(Serialize)]
struct ExportLinks {
    csv: String,
    json: String,
    geojson: String,
}

/// One group profile in `groups.json`, relationships resolved both ways.
#[derive(Serialize)]
struct GroupRecord<'a> {
    id: &'a str,
    name: &'a str,
    short_name: Option<&'a str>,
    aliases: &'a [String],
    founded: Option<String>,
    dissolved: Option<String>,
    status: Option<&'static str>,
    ideology: Option<&'a str>,
    area: &'a [String],
    leaders: Vec<LeaderRecord<'a>>,
    merged_from: Vec<&'a str>,
    merged_into: Option<&'a str>,
    affiliated_with: Vec<&'a str>,
    affiliates: Vec<&'a str>,
    relationships: Vec<RelationshipRecord<'a>>,
    acled_actor: Option<&'a str>,
    inter: Option<u8>,
    incident_count: usize,
    first_incident: Option<String>,
    last_incident: Option<String>,
    url: String,
    exports: ExportLinks,
    schema_version: u32,
}

/// A typed, dated relationship in `groups.json`, on both groups' records.
#[derive(Serialize)]
struct RelationshipRecord<'a> {
    /// The other group's id.
    group: &'a str,
    /// The kind as written by whichever group wrote it (ally, rival, affiliate, splinter_of,
    /// pledged_to).
    kind: &'static str,
    /// True when the other group's file wrote it: read `kind` from the other side.
    inverse: bool,
    /// How it reads before the other group's name on this group ("splinter group").
    label: &'static str,
    from: Option<String>,
    to: Option<String>,
    note: Option<&'a str>,
    sources: Vec<SourceRecord<'a>>,
}

fn status_word(s: crate::content::Status) -> &'static str {
    match s {
        crate::content::Status::Active => "active",
        crate::content::Status::Merged => "merged",
        crate::content::Status::Defunct => "defunct",
    }
}

fn groups_json(site: &Site, index: &Index, published: &[Vec<usize>], base_url: &str) -> String {
    let ids = |v: &[usize]| {
        v.iter()
            .map(|&g| site.groups[g].id.as_str())
            .collect::<Vec<_>>()
    };
    let records: Vec<String> = site
        .groups
        .iter()
        .enumerate()
        .map(|(g, gr)| {
            let rel = &index.relations[g];
            let incs = &published[g];
            let dir = routes::absolute(base_url, &routes::group(&gr.id));
            let r = GroupRecord {
                id: &gr.id,
                name: &gr.name,
                short_name: gr.short_name.as_deref(),
                aliases: &gr.aliases,
                founded: gr.founded.map(|d| d.iso()),
                dissolved: gr.dissolved.map(|d| d.iso()),
                status: gr.status.map(status_word),
                ideology: gr.ideology.as_deref(),
                area: &gr.area,
                leaders: gr
                    .leaders
                    .iter()
                    .map(|l| LeaderRecord {
                        name: &l.name,
                        role: l.role.as_deref(),
                        from: l.from.map(|d| d.iso()),
                        to: l.to.map(|d| d.iso()),
                    })
                    .collect(),
                merged_from: ids(&rel.merged_from),
                merged_into: rel.merged_into.map(|m| site.groups[m].id.as_str()),
                affiliated_with: ids(&rel.affiliated_with),
                affiliates: ids(&rel.affiliates),
                relationships: index.relationships[g]
                    .iter()
                    .map(|v| RelationshipRecord {
                        group: &site.groups[v.other].id,
                        kind: v.kind.as_str(),
                        inverse: v.inverse,
                        label: v.label(),
                        from: v.from.map(|d| d.iso()),
                        to: v.to.map(|d| d.iso()),
                        note: v.note.as_deref(),
                        sources: v
                            .sources
                            .iter()
                            .map(|s| SourceRecord {
                                title: &s.title,
                                url: s.url.as_deref(),
                                publisher: s.publisher.as_deref(),
                                date: s.date.map(|d| d.iso()),
                            })
                            .collect(),
                    })
                    .collect(),
                acled_actor: gr.acled_actor.as_deref(),
                inter: gr.inter,
                incident_count: incs.len(),
                first_incident: incs.first().map(|&p| site.incidents[p].date.iso()),
                last_incident: incs.last().map(|&p| site.incidents[p].date.iso()),
                exports: ExportLinks {
                    csv: routes::export_file(&dir, INCIDENT_FILES[0]),
                    json: routes::export_file(&dir, INCIDENT_FILES[1]),
                    geojson: routes::export_file(&dir, INCIDENT_FILES[2]),
                },
                url: dir,
                schema_version: SCHEMA_VERSION,
            };
            serde_json::to_string(&r).unwrap_or_default()
        })
        .collect();
    json_array(records.iter().map(String::as_str))
}

/// Encoded rows of the last build, kept by `serve` so an edit re-encodes only the changed
/// incidents and rewrites only the group and country exports that hold them.
#[derive(Debug, Default)]
pub struct Cache {
    /// CSV, JSON and GeoJSON of each published incident, by id.
    rows: HashMap<String, Encoded>,
    /// `acled.csv` row of each published incident, by id.
    acled: HashMap<String, Vec<u8>>,
    /// Hash of the incident ids each export folder held.
    dirs: HashMap<String, u64>,
}

/// Every export file of the site, each handed to `put` as soon as it is encoded (the exports
/// of a large site are too big to hold at once). With a cache and the keys of the changed
/// records (`i/<id>`), unchanged rows are reused and unchanged folders skipped; the paths of
/// the files skipped are returned.
pub fn render(
    inputs: &Inputs<'_>,
    put: &(dyn Fn(OutputFile) -> Result<(), crate::Error> + Sync),
    cache: Option<&std::sync::Mutex<Cache>>,
    changed: Option<&HashSet<String>>,
) -> Result<Vec<String>, crate::Error> {
    let Inputs { site, index, .. } = *inputs;
    let mut guard = cache.map(|c| c.lock().unwrap_or_else(|p| p.into_inner()));
    let mut own = Cache::default();
    let keep_acled = guard.is_some();
    let c: &mut Cache = match (guard.as_deref_mut(), changed) {
        (Some(c), Some(_)) => c,
        (Some(c), None) => {
            *c = Cache::default();
            c
        }
        (None, _) => &mut own,
    };
    let stale = |id: &str| changed.is_none_or(|ch| ch.contains(&format!("i/{id}")));
    c.refresh_rows(inputs, &stale, keep_acled);
    let all: Vec<usize> = (0..site.incidents.len()).collect();
    let folders = export_folders(site, index, &all);
    let (folders, skipped) = c.folders_to_write(site, folders, changed.is_some(), &stale);
    let enc: Vec<Option<&Encoded>> = site
        .incidents
        .iter()
        .map(|i| if i.draft { None } else { c.rows.get(&i.id) })
        .collect();
    let base = inputs.config.base_url.as_str();
    folders
        .par_iter()
        .try_for_each(|(dir, positions)| incident_files(dir, base, positions, &enc, put))?;
    if !keep_acled {
        // Without a cache the ACLED rows are made now, after the other rows are freed:
        // holding both for 100,000 incidents cost a few hundred megabytes.
        drop(enc);
        c.rows = HashMap::new();
    }
    let acled = acled_csv(inputs, keep_acled.then_some(&c.acled));
    put_site_exports(inputs, acled, put)?;
    Ok(skipped)
}

impl Cache {
    /// Encodes the published incidents that are stale or new, and forgets the unpublished.
    fn refresh_rows(
        &mut self,
        inputs: &Inputs<'_>,
        stale: &dyn Fn(&str) -> bool,
        keep_acled: bool,
    ) {
        let Inputs { site, config, .. } = *inputs;
        let base = config.base_url.as_str();
        let cutoff = config.data_cutoff.as_ref();
        let todo: Vec<&Incident> = site
            .incidents
            .iter()
            .filter(|i| !i.draft && (stale(&i.id) || !self.rows.contains_key(&i.id)))
            .collect();
        // Without a cache the ACLED rows are made at the end (`acled_csv`), not here.
        let fresh: Vec<(String, Encoded, Option<Vec<u8>>)> = todo
            .par_iter()
            .map(|i| {
                (
                    i.id.clone(),
                    encode(i, site, base, cutoff),
                    keep_acled.then(|| csv_line(&acled_row(i, site, cutoff))),
                )
            })
            .collect();
        for (id, e, a) in fresh {
            if let Some(a) = a {
                self.acled.insert(id.clone(), a);
            }
            self.rows.insert(id, e);
        }
        let live: HashSet<&str> = site
            .incidents
            .iter()
            .filter(|i| !i.draft)
            .map(|i| i.id.as_str())
            .collect();
        self.rows.retain(|id, _| live.contains(id.as_str()));
        self.acled.retain(|id, _| live.contains(id.as_str()));
    }

    /// The folders whose incidents changed (all of them without `partial`), and the paths of
    /// the files of the others, which are left as they are.
    fn folders_to_write<'a>(
        &mut self,
        site: &Site,
        folders: Vec<(String, &'a [usize])>,
        partial: bool,
        stale: &dyn Fn(&str) -> bool,
    ) -> (Vec<(String, &'a [usize])>, Vec<String>) {
        let mut skipped = Vec::new();
        let mut dirs = HashMap::new();
        let write: Vec<(String, &[usize])> = folders
            .into_iter()
            .filter(|(dir, positions)| {
                let ids: Vec<&str> = positions
                    .iter()
                    .filter(|&&p| !site.incidents[p].draft)
                    .map(|&p| site.incidents[p].id.as_str())
                    .collect();
                let mut h = std::hash::DefaultHasher::new();
                std::hash::Hash::hash(&ids, &mut h);
                let h = std::hash::Hasher::finish(&h);
                let same =
                    partial && self.dirs.get(dir) == Some(&h) && !ids.iter().any(|id| stale(id));
                dirs.insert(dir.clone(), h);
                if same {
                    skipped.extend(INCIDENT_FILES.iter().map(|f| routes::export_file(dir, f)));
                    if folder_label(dir).is_some() {
                        skipped.push(routes::export_file(dir, datapackage::FILE));
                    }
                }
                !same
            })
            .collect();
        self.dirs = dirs;
        (write, skipped)
    }
}

/// Every export folder with the positions of the incidents it holds: the site's, then each
/// group's and each country's.
fn export_folders<'a>(
    site: &Site,
    index: &'a Index,
    all: &'a [usize],
) -> Vec<(String, &'a [usize])> {
    let mut folders: Vec<(String, &[usize])> = vec![(routes::DATA.to_string(), all)];
    for (g, gr) in site.groups.iter().enumerate() {
        folders.push((routes::group(&gr.id), &index.by_group[g]));
    }
    for (code, positions) in &index.by_country {
        // A country whose only incidents are drafts has a page in a drafts build; give it
        // (empty) exports too so its links never dangle.
        folders.push((routes::country(code), positions));
    }
    folders
}

/// `acled.csv`: its header, then each published incident's row, from `cached` or made here
/// in batches (so that only one batch of rows is held at a time).
fn acled_csv(inputs: &Inputs<'_>, cached: Option<&HashMap<String, Vec<u8>>>) -> Vec<u8> {
    let site = inputs.site;
    let cutoff = inputs.config.data_cutoff.as_ref();
    let mut acled = csv_line(
        &ACLED_COLUMNS
            .iter()
            .map(|c| (*c).to_string())
            .collect::<Vec<_>>(),
    );
    if let Some(cached) = cached {
        for i in site.incidents.iter().filter(|i| !i.draft) {
            if let Some(r) = cached.get(&i.id) {
                acled.extend_from_slice(r);
            }
        }
    } else {
        let published: Vec<&Incident> = site.incidents.iter().filter(|i| !i.draft).collect();
        for chunk in published.chunks(4096) {
            let rows: Vec<Vec<u8>> = chunk
                .par_iter()
                .map(|i| csv_line(&acled_row(i, site, cutoff)))
                .collect();
            rows.iter().for_each(|r| acled.extend_from_slice(r));
        }
    }
    acled
}

/// The exports of the whole site: `acled.csv`, the groups' JSON and the data package.
fn put_site_exports(
    inputs: &Inputs<'_>,
    acled: Vec<u8>,
    put: &(dyn Fn(OutputFile) -> Result<(), crate::Error> + Sync),
) -> Result<(), crate::Error> {
    let Inputs {
        site,
        index,
        config,
        ..
    } = *inputs;
    let base = config.base_url.as_str();
    let published = |v: &[usize]| {
        v.iter()
            .copied()
            .filter(|&p| !site.incidents[p].draft)
            .collect::<Vec<_>>()
    };
    let by_group: Vec<Vec<usize>> = index.by_group.iter().map(|v| published(v)).collect();
    put(OutputFile {
        path: ACLED_FILE.into(),
        bytes: acled,
    })?;
    put(OutputFile {
        path: routes::DATA_GROUPS.into(),
        bytes: groups_json(site, index, &by_group, base).into_bytes(),
    })?;
    put(OutputFile {
        path: routes::export_file(routes::DATA, datapackage::FILE),
        bytes: datapackage::site(
            &datapackage::name(&config.title),
            &config.title,
            &config.description,
            base,
            (
                !site.incidents.iter().any(|i| !i.draft),
                site.groups.is_empty(),
            ),
        ),
    })
}

/// Path of the ACLED-format export: one row per published incident in ACLED's own columns
/// ([`crate::codec::acled`]), with what ACLED cannot hold carried in `tags` so `briefwerk
/// import acled` restores it.
pub const ACLED_FILE: &str = routes::DATA_ACLED;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::acled::tests::incident;

    #[test]
    fn csv_fields_follow_the_columns_and_the_json_record() {
        let mut inc = incident("2017-06");
        inc.location.coords = Some((12.600_000_04, -7.9));
        inc.casualties.killed = Some(Count::Range {
            min: 257,
            max: None,
        });
        inc.casualties.wounded = Some(Count::Unknown);
        inc.casualties.attackers_killed = Some(Count::Exact { n: 3 });
        let site = Site::default();
        let r = IncidentJson::new(&inc, &site, "https://e.org/", None);
        let f = r.csv_fields();
        assert_eq!(f.len(), COLUMNS.len());
        let at = |c: &str| f[COLUMNS.iter().position(|x| *x == c).unwrap()].as_str();
        assert_eq!(at("date_precision"), "month");
        assert_eq!(at("latitude"), "12.6");
        assert_eq!(at("longitude"), "-7.9");
        assert_eq!(at("killed_min"), "257");
        assert_eq!(at("killed_max"), "");
        assert_eq!(at("wounded_unknown"), "true");
        assert_eq!(at("wounded_min"), "");
        assert_eq!(at("attackers_killed_max"), "3");
        assert_eq!(at("fatalities_unknown"), "false");
        assert_eq!(at("country"), "Mali");
        assert_eq!(at("location_precision"), "near");
        let v: serde_json::Value = serde_json::to_value(&r).unwrap();
        assert_eq!(
            v["casualties"]["killed"],
            serde_json::json!({"min": 257, "max": null, "unknown": false})
        );
        assert_eq!(v["casualties"]["captured"], serde_json::Value::Null);
        assert_eq!(v["location"]["lat"], 12.6);
    }

    #[test]
    fn empty_json_array_is_valid() {
        assert_eq!(json_array(std::iter::empty()), "[]\n");
        assert_eq!(json_array(["{}", "{}"].into_iter()), "[\n{},\n{}\n]\n");
    }
}
