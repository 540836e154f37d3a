//! Data exports (issue 6): `data/incidents.{csv,json,geojson}`, `data/groups.json`, and the
//! same three incident files beside every group page (`groups/<id>/incidents.*`) and country
//! page (`countries/<cc>/incidents.*`).
//!
//! Takes the validated site and returns files; reads and writes nothing. Drafts are never
//! exported, even in a `--drafts` build: these files are what other analysts download and
//! cite. Output is deterministic: records in the site's chronological order (ties by id),
//! coordinates rounded to six decimals, no timestamps. Every column is documented in
//! docs/data.md; change a column only together with [`SCHEMA_VERSION`] and that page.

use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;

use super::{Inputs, OutputFile};
use crate::content::country;
use crate::content::{Count, Incident, Precision, Site};
use crate::index::Index;

/// Version of the export format, written into every record. Bump it when a column is added,
/// removed, renamed or changes meaning, and say so in docs/data.md.
pub const SCHEMA_VERSION: u32 = 1;

/// CSV columns, in order. The JSON and GeoJSON properties carry the same names in the same
/// order (a unit test keeps the two in step).
pub const COLUMNS: &[&str] = &[
    "event_id",
    "event_date",
    "time_precision",
    "end_date",
    "event_type",
    "actors",
    "actor_ids",
    "attribution",
    "country",
    "iso",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "killed_min",
    "killed_max",
    "killed_unknown",
    "wounded_min",
    "wounded_max",
    "wounded_unknown",
    "captured_min",
    "captured_max",
    "captured_unknown",
    "targets",
    "sources",
    "tags",
    "title",
    "summary",
    "url",
    "schema_version",
];

/// Separator of list values inside one CSV field.
pub const LIST_SEPARATOR: &str = "; ";

/// The three incident export files for one set of incidents, by file name.
pub const INCIDENT_FILES: [&str; 3] = ["incidents.csv", "incidents.json", "incidents.geojson"];

/// One incident as exported. Lists are arrays in JSON and `"; "`-joined in CSV.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentRecord<'a> {
    /// Incident id (also the last segment of its URL).
    pub event_id: &'a str,
    /// Start date at its written precision: `2017-06-18`, `2017-06` or `2017`.
    pub event_date: String,
    /// 1 = day, 2 = month, 3 = year.
    pub time_precision: u8,
    /// End date of a multi-day event, at its precision.
    pub end_date: Option<String>,
    /// Event type id from the site's vocabulary.
    pub event_type: Option<&'a str>,
    /// Group names.
    pub actors: Vec<&'a str>,
    /// Group ids, in the same order as `actors`.
    pub actor_ids: Vec<&'a str>,
    /// claimed | suspected | unattributed.
    pub attribution: Option<&'static str>,
    /// Country name.
    pub country: &'a str,
    /// ISO 3166-1 alpha-2 code.
    pub iso: &'a str,
    /// First-level administrative region.
    pub admin1: Option<&'a str>,
    /// Town, village or site.
    pub location: Option<&'a str>,
    /// Latitude, six decimals at most.
    pub latitude: Option<f64>,
    /// Longitude, six decimals at most.
    pub longitude: Option<f64>,
    /// Lower bound of people killed.
    pub killed_min: Option<u32>,
    /// Upper bound; empty when open-ended ("at least").
    pub killed_max: Option<u32>,
    /// The record states the figure as unknown (min and max are then empty).
    pub killed_unknown: bool,
    /// Lower bound of people wounded.
    pub wounded_min: Option<u32>,
    /// Upper bound of people wounded.
    pub wounded_max: Option<u32>,
    /// Wounded stated as unknown.
    pub wounded_unknown: bool,
    /// Lower bound of people captured or kidnapped.
    pub captured_min: Option<u32>,
    /// Upper bound of people captured or kidnapped.
    pub captured_max: Option<u32>,
    /// Captured stated as unknown.
    pub captured_unknown: bool,
    /// Who or what was targeted.
    pub targets: Vec<&'a str>,
    /// Each source's URL, or its title when it has none.
    pub sources: Vec<&'a str>,
    /// Tags as written.
    pub tags: Vec<&'a str>,
    /// Headline.
    pub title: &'a str,
    /// One-sentence summary.
    pub summary: Option<&'a str>,
    /// Absolute URL of the incident page.
    pub url: String,
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
}

/// `(min, max, unknown)` of a casualty figure, as exported.
fn figure(c: Option<&Count>) -> (Option<u32>, Option<u32>, bool) {
    match c {
        None => (None, None, false),
        Some(Count::Unknown) => (None, None, true),
        Some(c) => (c.min(), c.max(), false),
    }
}

/// Rounds a coordinate to six decimals (about 10 cm), so output never depends on how a float
/// was written in the source and stays byte-stable.
pub fn round6(x: f64) -> f64 {
    let r = (x * 1e6).round() / 1e6;
    if r == 0.0 { 0.0 } else { r }
}

/// The export time precision code of a date precision.
pub fn precision_code(p: Precision) -> u8 {
    match p {
        Precision::Day => 1,
        Precision::Month => 2,
        Precision::Year => 3,
    }
}

impl<'a> IncidentRecord<'a> {
    /// Builds the exported form of one incident.
    pub fn new(i: &'a Incident, site: &'a Site, base_url: &str) -> IncidentRecord<'a> {
        let groups: Vec<(&'a str, &'a str)> = i
            .groups
            .iter()
            .map(|id| {
                (
                    id.as_str(),
                    site.group(id).map_or(id.as_str(), |g| g.name.as_str()),
                )
            })
            .collect();
        let (killed_min, killed_max, killed_unknown) = figure(i.casualties.killed.as_ref());
        let (wounded_min, wounded_max, wounded_unknown) = figure(i.casualties.wounded.as_ref());
        let (captured_min, captured_max, captured_unknown) = figure(i.casualties.captured.as_ref());
        let code = i.location.country.as_str();
        IncidentRecord {
            event_id: &i.id,
            event_date: i.date.iso(),
            time_precision: precision_code(i.date.precision()),
            end_date: i.end_date.as_ref().map(|d| d.iso()),
            event_type: i.event_type.as_deref(),
            actors: groups.iter().map(|g| g.1).collect(),
            actor_ids: groups.iter().map(|g| g.0).collect(),
            attribution: i.attribution.map(|a| a.as_str()),
            country: country::name(code).unwrap_or(code),
            iso: code,
            admin1: i.location.admin1.as_deref(),
            location: i.location.place.as_deref(),
            latitude: i.location.coords.map(|c| round6(c.0)),
            longitude: i.location.coords.map(|c| round6(c.1)),
            killed_min,
            killed_max,
            killed_unknown,
            wounded_min,
            wounded_max,
            wounded_unknown,
            captured_min,
            captured_max,
            captured_unknown,
            targets: i.targets.iter().map(String::as_str).collect(),
            sources: i
                .sources
                .iter()
                .map(|s| s.url.as_deref().unwrap_or(&s.title))
                .collect(),
            tags: i.tags.iter().map(String::as_str).collect(),
            title: &i.title,
            summary: i.summary.as_deref(),
            url: format!("{base_url}incidents/{}/", i.id),
            schema_version: SCHEMA_VERSION,
        }
    }

    /// The CSV fields, in [`COLUMNS`] order.
    pub fn csv_fields(&self) -> Vec<String> {
        fn opt<T: ToString>(v: Option<T>) -> String {
            v.map(|x| x.to_string()).unwrap_or_default()
        }
        fn flag(b: bool) -> String {
            if b { "true".into() } else { "false".into() }
        }
        vec![
            self.event_id.to_string(),
            self.event_date.clone(),
            self.time_precision.to_string(),
            opt(self.end_date.as_deref()),
            opt(self.event_type),
            self.actors.join(LIST_SEPARATOR),
            self.actor_ids.join(LIST_SEPARATOR),
            opt(self.attribution),
            self.country.to_string(),
            self.iso.to_string(),
            opt(self.admin1),
            opt(self.location),
            opt(self.latitude),
            opt(self.longitude),
            opt(self.killed_min),
            opt(self.killed_max),
            flag(self.killed_unknown),
            opt(self.wounded_min),
            opt(self.wounded_max),
            flag(self.wounded_unknown),
            opt(self.captured_min),
            opt(self.captured_max),
            flag(self.captured_unknown),
            self.targets.join(LIST_SEPARATOR),
            self.sources.join(LIST_SEPARATOR),
            self.tags.join(LIST_SEPARATOR),
            self.title.to_string(),
            opt(self.summary),
            self.url.clone(),
            self.schema_version.to_string(),
        ]
    }
}

/// One incident pre-rendered in every export format, so the per-group and per-country files
/// are concatenations rather than re-serialisations.
struct Encoded {
    csv: Vec<u8>,
    json: String,
    feature: Option<String>,
}

fn csv_line(fields: &[String]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(fields);
    w.into_inner().unwrap_or_default()
}

fn encode(i: &Incident, site: &Site, base_url: &str) -> Encoded {
    let r = IncidentRecord::new(i, site, base_url);
    let json = serde_json::to_string(&r).unwrap_or_default();
    let feature = match (r.latitude, r.longitude) {
        (Some(lat), Some(lon)) => {
            let mut f = String::with_capacity(json.len() + 120);
            let _ = write!(
                f,
                "{{\"type\":\"Feature\",\"id\":{},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{},{}]}},\"properties\":{}}}",
                serde_json::to_string(r.event_id).unwrap_or_default(),
                serde_json::to_string(&lon).unwrap_or_default(),
                serde_json::to_string(&lat).unwrap_or_default(),
                json
            );
            Some(f)
        }
        _ => None,
    };
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
fn incident_files(dir: &str, positions: &[usize], enc: &[Option<Encoded>]) -> Vec<OutputFile> {
    let rows: Vec<&Encoded> = positions.iter().filter_map(|&p| enc[p].as_ref()).collect();
    let mut csv = csv_line(&COLUMNS.iter().map(|c| (*c).to_string()).collect::<Vec<_>>());
    for r in &rows {
        csv.extend_from_slice(&r.csv);
    }
    let json = json_array(rows.iter().map(|r| r.json.as_str()));
    let features = json_array(rows.iter().filter_map(|r| r.feature.as_deref()));
    let geojson = format!(
        "{{\"type\":\"FeatureCollection\",\"schema_version\":{SCHEMA_VERSION},\"features\":{}}}\n",
        features.trim_end()
    );
    vec![
        OutputFile {
            path: format!("{dir}{}", INCIDENT_FILES[0]),
            bytes: csv,
        },
        OutputFile {
            path: format!("{dir}{}", INCIDENT_FILES[1]),
            bytes: json.into_bytes(),
        },
        OutputFile {
            path: format!("{dir}{}", INCIDENT_FILES[2]),
            bytes: geojson.into_bytes(),
        },
    ]
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
    incident_count: usize,
    first_incident: Option<String>,
    last_incident: Option<String>,
    url: String,
    exports: ExportLinks,
    schema_version: u32,
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
            let dir = format!("{base_url}groups/{}/", gr.id);
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
                incident_count: incs.len(),
                first_incident: incs.first().map(|&p| site.incidents[p].date.iso()),
                last_incident: incs.last().map(|&p| site.incidents[p].date.iso()),
                exports: ExportLinks {
                    csv: format!("{dir}{}", INCIDENT_FILES[0]),
                    json: format!("{dir}{}", INCIDENT_FILES[1]),
                    geojson: format!("{dir}{}", INCIDENT_FILES[2]),
                },
                url: dir,
                schema_version: SCHEMA_VERSION,
            };
            serde_json::to_string(&r).unwrap_or_default()
        })
        .collect();
    json_array(records.iter().map(String::as_str))
}

/// Every export file of the site.
pub fn render(inputs: &Inputs<'_>) -> Vec<OutputFile> {
    let Inputs {
        site,
        index,
        config,
        updated: _,
    } = *inputs;
    let base = config.base_url.as_str();
    let enc: Vec<Option<Encoded>> = site
        .incidents
        .par_iter()
        .map(|i| (!i.draft).then(|| encode(i, site, base)))
        .collect();
    let published = |v: &[usize]| {
        v.iter()
            .copied()
            .filter(|&p| !site.incidents[p].draft)
            .collect::<Vec<_>>()
    };
    let by_group: Vec<Vec<usize>> = index.by_group.iter().map(|v| published(v)).collect();

    let all: Vec<usize> = (0..site.incidents.len()).collect();
    let mut jobs: Vec<(String, &[usize])> = vec![("data/".to_string(), all.as_slice())];
    for (g, gr) in site.groups.iter().enumerate() {
        jobs.push((format!("groups/{}/", gr.id), &index.by_group[g]));
    }
    for (code, positions) in &index.by_country {
        // A country whose only incidents are drafts has a page in a drafts build; give it
        // (empty) exports too so its links never dangle.
        jobs.push((
            format!("countries/{}/", code.to_ascii_lowercase()),
            positions,
        ));
    }
    let mut files: Vec<OutputFile> = jobs
        .par_iter()
        .flat_map_iter(|(dir, positions)| incident_files(dir, positions, &enc))
        .collect();
    files.push(OutputFile {
        path: "data/groups.json".into(),
        bytes: groups_json(site, index, &by_group, base).into_bytes(),
    });
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_columns_match_json_keys() {
        let site = Site::default();
        let inc = Incident {
            id: "x".into(),
            title: "T".into(),
            date: crate::content::PartialDate::parse("2017-06").unwrap(),
            end_date: None,
            location: crate::content::Location {
                place: None,
                admin1: None,
                country: "ML".into(),
                coords: Some((12.600_000_04, -7.9)),
            },
            groups: vec![],
            attribution: None,
            event_type: None,
            targets: vec![],
            casualties: crate::content::Casualties {
                killed: Some(Count::Range {
                    min: 257,
                    max: None,
                }),
                wounded: Some(Count::Unknown),
                captured: None,
            },
            tags: vec![],
            summary: None,
            sources: vec![],
            draft: false,
            body: String::new(),
            origin: crate::content::Origin {
                file: 0,
                body_offset: 0,
            },
        };
        let r = IncidentRecord::new(&inc, &site, "https://e.org/");
        let json = serde_json::to_string(&r).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v.as_object().unwrap().len(), COLUMNS.len());
        // Same names, same order.
        let at: Vec<usize> = COLUMNS
            .iter()
            .map(|c| json.find(&format!("\"{c}\":")).unwrap())
            .collect();
        assert!(
            at.windows(2).all(|w| w[0] < w[1]),
            "JSON keys out of COLUMNS order"
        );
        let f = r.csv_fields();
        assert_eq!(f.len(), COLUMNS.len());
        let at = |c: &str| f[COLUMNS.iter().position(|x| *x == c).unwrap()].as_str();
        assert_eq!(at("time_precision"), "2");
        assert_eq!(at("latitude"), "12.6");
        assert_eq!(at("killed_min"), "257");
        assert_eq!(at("killed_max"), "");
        assert_eq!(at("wounded_unknown"), "true");
        assert_eq!(at("wounded_min"), "");
        assert_eq!(at("country"), "Mali");
    }

    #[test]
    fn empty_json_array_is_valid() {
        assert_eq!(json_array(std::iter::empty()), "[]\n");
        assert_eq!(json_array(["{}", "{}"].into_iter()), "[\n{},\n{}\n]\n");
    }
}
