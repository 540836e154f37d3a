//! `datapackage.json` (issue 15): a Frictionless Data Package (datapackage.org) describing the
//! export files beside it: for every CSV and JSON file its columns, in order, with their
//! Table Schema types, constraints and descriptions. `data/datapackage.json` describes the
//! site-wide files; each group's and country's folder gets one for its own three files, since
//! a package may only name files in or under its own folder (no `../`).
//!
//! The tables here are the one statement of every column: the exporter's column lists are
//! checked against them in tests, CI validates every built export against them with the
//! `frictionless` Python package, and docs/data.md says the same in prose.

use serde_json::{Value, json};

use super::SCHEMA_VERSION;

/// File name of a package descriptor.
pub const FILE: &str = "datapackage.json";

/// One column: name, Table Schema type, description, extra constraints (a JSON object).
type Field = (&'static str, &'static str, &'static str, fn() -> Value);

fn none() -> Value {
    json!({})
}
fn required() -> Value {
    json!({"required": true})
}
fn count() -> Value {
    json!({"minimum": 0})
}
fn date_text() -> Value {
    json!({"pattern": r"\d{4}(-\d{2}(-\d{2})?)?"})
}
fn required_date_text() -> Value {
    json!({"required": true, "pattern": r"\d{4}(-\d{2}(-\d{2})?)?"})
}
fn precision_words() -> Value {
    json!({"required": true, "enum": ["day", "month", "year"]})
}
fn place_words() -> Value {
    json!({"required": true, "enum": ["exact", "near", "region", "country"]})
}
fn attribution_words() -> Value {
    json!({"enum": ["claimed", "suspected", "unattributed", "disputed"]})
}
fn claims_words() -> Value {
    json!({"enum": ["joint", "competing"]})
}
fn latitude() -> Value {
    json!({"minimum": -90, "maximum": 90})
}
fn longitude() -> Value {
    json!({"minimum": -180, "maximum": 180})
}
fn iso2() -> Value {
    json!({"required": true, "pattern": "[A-Z]{2}"})
}
fn version() -> Value {
    json!({"required": true, "enum": [SCHEMA_VERSION]})
}
fn inter() -> Value {
    json!({"minimum": 1, "maximum": 8})
}

/// `incidents.csv`, in [`COLUMNS`] order.
pub const INCIDENT_CSV: &[Field] = &[
    (
        "event_id",
        "string",
        "Record id, also the last segment of the incident page's URL.",
        required,
    ),
    (
        "event_date",
        "string",
        "Start date at the precision the record gives: YYYY-MM-DD, YYYY-MM or YYYY.",
        required_date_text,
    ),
    (
        "date_precision",
        "string",
        "How precisely the start date is known: day, month or year.",
        precision_words,
    ),
    (
        "end_date",
        "string",
        "End of a multi-day event, at its own precision; empty for one day.",
        date_text,
    ),
    (
        "event_type",
        "string",
        "Event type id from the site's vocabulary (site.yaml event_types).",
        none,
    ),
    (
        "actors",
        "string",
        "Names of the groups the record names, in its order, joined by '; '.",
        none,
    ),
    (
        "actor_ids",
        "string",
        "Their group ids in the same order, joined by '; ' (see groups.json).",
        none,
    ),
    (
        "attribution",
        "string",
        "The record's attribution as a whole.",
        attribution_words,
    ),
    (
        "groups_claimed",
        "string",
        "Ids of the groups whose own tie is 'claimed', joined by '; '.",
        none,
    ),
    (
        "groups_suspected",
        "string",
        "Ids of the groups whose own tie is 'suspected' (every imported ACLED actor), joined by '; '.",
        none,
    ),
    (
        "groups_disputed",
        "string",
        "Ids of the groups whose own tie is 'disputed', joined by '; '.",
        none,
    ),
    (
        "claims",
        "string",
        "With two or more claimants: whether they claimed it jointly or competing; empty when the record does not say.",
        claims_words,
    ),
    (
        "claim_dates",
        "string",
        "When each claimant claimed it: 'id=date' items joined by '; '.",
        none,
    ),
    (
        "claim_media",
        "string",
        "How each claimant claimed it: 'id=medium' items joined by '; '.",
        none,
    ),
    (
        "claimed_killed",
        "string",
        "Each group's own figure of people killed, 'id=N', 'id=N-M', 'id=N+' or 'id=unknown', joined by '; '. Never part of any total.",
        none,
    ),
    (
        "claimed_wounded",
        "string",
        "Each group's own figure of people wounded, as claimed_killed.",
        none,
    ),
    (
        "claimed_captured",
        "string",
        "Each group's own figure of people captured, as claimed_killed.",
        none,
    ),
    (
        "country",
        "string",
        "English short name of the country.",
        required,
    ),
    (
        "iso",
        "string",
        "ISO 3166-1 alpha-2 code of the country.",
        iso2,
    ),
    (
        "admin1",
        "string",
        "First-level administrative region.",
        none,
    ),
    (
        "admin2",
        "string",
        "Second-level administrative region.",
        none,
    ),
    ("location", "string", "Town, village or site.", none),
    (
        "latitude",
        "number",
        "WGS 84 latitude, six decimals at most; empty without coordinates.",
        latitude,
    ),
    (
        "longitude",
        "number",
        "WGS 84 longitude, six decimals at most; empty without coordinates.",
        longitude,
    ),
    (
        "location_precision",
        "string",
        "How precisely the place is known: exact, near, region or country.",
        place_words,
    ),
    (
        "killed_min",
        "integer",
        "Lower bound of victims killed; empty when not given or unknown.",
        count,
    ),
    (
        "killed_max",
        "integer",
        "Upper bound of victims killed; empty when open-ended ('at least'), not given or unknown.",
        count,
    ),
    (
        "killed_unknown",
        "boolean",
        "The record states the number killed as unknown (not zero).",
        required,
    ),
    (
        "wounded_min",
        "integer",
        "Lower bound of people wounded.",
        count,
    ),
    (
        "wounded_max",
        "integer",
        "Upper bound of people wounded; empty when open-ended.",
        count,
    ),
    (
        "wounded_unknown",
        "boolean",
        "Wounded stated as unknown.",
        required,
    ),
    (
        "captured_min",
        "integer",
        "Lower bound of people captured or kidnapped.",
        count,
    ),
    (
        "captured_max",
        "integer",
        "Upper bound of people captured or kidnapped; empty when open-ended.",
        count,
    ),
    (
        "captured_unknown",
        "boolean",
        "Captured stated as unknown.",
        required,
    ),
    (
        "attackers_killed_min",
        "integer",
        "Lower bound of attackers killed, never added to the victims.",
        count,
    ),
    (
        "attackers_killed_max",
        "integer",
        "Upper bound of attackers killed; empty when open-ended.",
        count,
    ),
    (
        "attackers_killed_unknown",
        "boolean",
        "Attackers killed stated as unknown.",
        required,
    ),
    (
        "fatalities_min",
        "integer",
        "Lower bound of every death, victims and attackers not separated (ACLED's fatalities); never a victim figure.",
        count,
    ),
    (
        "fatalities_max",
        "integer",
        "Upper bound of every death, victims and attackers not separated.",
        count,
    ),
    (
        "fatalities_unknown",
        "boolean",
        "The all-deaths figure stated as unknown.",
        required,
    ),
    (
        "targets",
        "string",
        "Who or what was targeted, joined by '; '.",
        none,
    ),
    (
        "target_kinds",
        "string",
        "The distinct kinds of the targets (state_forces, rebels, political_militia, identity_militia, rioters, protesters, civilians, external_forces), joined by '; '.",
        none,
    ),
    (
        "target_groups",
        "string",
        "Ids of profiled groups that were targeted, joined by '; '.",
        none,
    ),
    (
        "sources",
        "string",
        "Each source's URL, or its title when it has none, joined by '; '.",
        none,
    ),
    ("tags", "string", "Tags as written, joined by '; '.", none),
    ("title", "string", "Headline.", required),
    (
        "summary",
        "string",
        "One-sentence summary (ACLED's notes).",
        none,
    ),
    (
        "after_cutoff",
        "boolean",
        "Dated after the site's data_cutoff: published, but left out of the site's totals.",
        required,
    ),
    (
        "same_event_as",
        "string",
        "Id of the record this one repeats; this one is then left out of every total.",
        none,
    ),
    (
        "distinct_from",
        "string",
        "Ids of records said not to be the same event, joined by '; '.",
        none,
    ),
    (
        "url",
        "string",
        "Absolute URL of the incident page.",
        required,
    ),
    (
        "schema_version",
        "integer",
        "Version of the export format (docs/data.md).",
        version,
    ),
];

/// `incidents.json` and the GeoJSON `properties`, in key order.
pub const INCIDENT_JSON: &[Field] = &[
    (
        "id",
        "string",
        "Record id, also the last segment of the incident page's URL.",
        required,
    ),
    ("title", "string", "Headline.", required),
    (
        "date",
        "string",
        "Start date at its precision: YYYY-MM-DD, YYYY-MM or YYYY.",
        required_date_text,
    ),
    (
        "end_date",
        "string",
        "End of a multi-day event, at its precision, or null.",
        date_text,
    ),
    (
        "date_precision",
        "string",
        "day, month or year.",
        precision_words,
    ),
    (
        "event_type",
        "string",
        "Event type id from the site's vocabulary, or null.",
        none,
    ),
    (
        "attribution",
        "string",
        "The record's attribution as a whole, or null.",
        attribution_words,
    ),
    (
        "claims",
        "string",
        "joint or competing with two or more claimants when the record says which, else null.",
        claims_words,
    ),
    (
        "groups",
        "array",
        "Each group named, in order: {id, name, attribution, claim_date, claim_medium, claimed_killed, claimed_wounded, claimed_captured}; the claimed figures are the group's own and never in totals.",
        required,
    ),
    (
        "location",
        "object",
        "{place, admin1, admin2, country (ISO alpha-2), country_name, lat, lon, precision}.",
        required,
    ),
    (
        "targets",
        "array",
        "Each target: {actor, kind (one of eight ACLED-style kinds, or null), group (a profiled group's id, or null)}.",
        required,
    ),
    (
        "casualties",
        "object",
        "{killed, wounded, captured, attackers_killed, fatalities}, each a figure {min, max, unknown} or null when not given. fatalities counts every death, attackers included, and is never a victim figure.",
        required,
    ),
    ("tags", "array", "Tags as written.", required),
    ("summary", "string", "One-sentence summary, or null.", none),
    (
        "sources",
        "array",
        "Each source in full: {title, url, publisher, date}.",
        required,
    ),
    (
        "after_cutoff",
        "boolean",
        "Dated after the site's data_cutoff (published, left out of totals).",
        required,
    ),
    (
        "same_event_as",
        "string",
        "Id of the record this one repeats (then left out of every total), or null.",
        none,
    ),
    (
        "distinct_from",
        "array",
        "Ids of records said not to be the same event.",
        required,
    ),
    (
        "url",
        "string",
        "Absolute URL of the incident page.",
        required,
    ),
    (
        "schema_version",
        "integer",
        "Version of the export format.",
        version,
    ),
];

/// `groups.json`, in key order.
pub const GROUP_JSON: &[Field] = &[
    ("id", "string", "Group id.", required),
    ("name", "string", "Full name.", required),
    ("short_name", "string", "Abbreviation, or null.", none),
    ("aliases", "array", "Other names.", required),
    (
        "founded",
        "string",
        "Founding date at its precision, or null.",
        date_text,
    ),
    (
        "dissolved",
        "string",
        "Dissolution date at its precision, or null.",
        date_text,
    ),
    (
        "status",
        "string",
        "active, merged or defunct, or null.",
        status_words,
    ),
    ("ideology", "string", "Ideology, or null.", none),
    (
        "area",
        "array",
        "ISO alpha-2 codes of the countries where it operates.",
        required,
    ),
    (
        "leaders",
        "array",
        "Leaders: {name, role, from, to}.",
        required,
    ),
    (
        "merged_from",
        "array",
        "Ids of groups that merged to form it (resolved both ways).",
        required,
    ),
    (
        "merged_into",
        "string",
        "Id of the group it merged into, or null.",
        none,
    ),
    (
        "affiliated_with",
        "array",
        "Ids of the groups its profile lists as affiliations.",
        required,
    ),
    (
        "affiliates",
        "array",
        "Ids of the groups whose profiles list it as an affiliation.",
        required,
    ),
    (
        "relationships",
        "array",
        "Typed, dated relationships on both groups' records: {group, kind, inverse, label, from, to, note, sources}; inverse is true on the record of the group that did not write it.",
        required,
    ),
    (
        "acled_actor",
        "string",
        "The name ACLED uses for this actor, or null.",
        none,
    ),
    (
        "inter",
        "integer",
        "ACLED's actor type code (1-8), or null.",
        inter,
    ),
    (
        "incident_count",
        "integer",
        "Published incidents naming it.",
        required_count,
    ),
    (
        "first_incident",
        "string",
        "Date of its first published incident, or null.",
        date_text,
    ),
    (
        "last_incident",
        "string",
        "Date of its last published incident, or null.",
        date_text,
    ),
    (
        "url",
        "string",
        "Absolute URL of its profile page.",
        required,
    ),
    (
        "exports",
        "object",
        "Absolute URLs of its csv, json and geojson incident files.",
        required,
    ),
    (
        "schema_version",
        "integer",
        "Version of the export format.",
        version,
    ),
];

fn status_words() -> Value {
    json!({"enum": ["active", "merged", "defunct"]})
}
fn required_count() -> Value {
    json!({"required": true, "minimum": 0})
}
fn iso_numeric() -> Value {
    json!({"minimum": 0, "maximum": 999})
}
fn acled_precision() -> Value {
    json!({"required": true, "enum": [1, 2, 3]})
}
fn acled_geo_precision() -> Value {
    json!({"enum": [1, 2, 3]})
}

/// `acled.csv`, in [`crate::codec::acled::ACLED_COLUMNS`] order.
pub const ACLED_CSV: &[Field] = &[
    (
        "event_id_cnty",
        "string",
        "The record id (ACLED's column for its event id).",
        required,
    ),
    (
        "event_date",
        "date",
        "The day; a month is dated the 15th and a year 1 July.",
        required,
    ),
    ("year", "integer", "The year.", required),
    (
        "time_precision",
        "integer",
        "1 a day; 3 a month or a year (ACLED's 2, a week, is never written).",
        acled_precision,
    ),
    (
        "disorder_type",
        "string",
        "ACLED disorder type of our event type.",
        none,
    ),
    (
        "event_type",
        "string",
        "ACLED event type of our event type.",
        none,
    ),
    (
        "sub_event_type",
        "string",
        "ACLED sub-event type of our event type.",
        none,
    ),
    (
        "actor1",
        "string",
        "The first group: its acled_actor, else its name.",
        none,
    ),
    (
        "assoc_actor_1",
        "string",
        "The other groups, the same way, joined by '; '.",
        none,
    ),
    (
        "inter1",
        "integer",
        "The first group's ACLED actor type code (1-8).",
        inter,
    ),
    (
        "actor2",
        "string",
        "The first target that is a typed actor, else 'Civilians (<country>)' when a target names civilians.",
        none,
    ),
    (
        "assoc_actor_2",
        "string",
        "The other typed targets, joined by '; '.",
        none,
    ),
    (
        "inter2",
        "integer",
        "ACLED actor type code of actor2 (1-8).",
        inter,
    ),
    (
        "interaction",
        "integer",
        "The two actor type codes, lower first; a lone actor N0.",
        none,
    ),
    (
        "civilian_targeting",
        "string",
        "'Civilian targeting' when civilians are a target.",
        none,
    ),
    (
        "iso",
        "integer",
        "ISO 3166-1 numeric code of the country.",
        iso_numeric,
    ),
    (
        "region",
        "string",
        "Empty (ACLED's regions are not in our data).",
        none,
    ),
    (
        "country",
        "string",
        "English short name of the country.",
        required,
    ),
    (
        "admin1",
        "string",
        "First-level administrative region.",
        none,
    ),
    (
        "admin2",
        "string",
        "Second-level administrative region.",
        none,
    ),
    ("admin3", "string", "Empty.", none),
    ("location", "string", "Town, village or site.", none),
    (
        "latitude",
        "number",
        "WGS 84 latitude, six decimals at most.",
        latitude,
    ),
    (
        "longitude",
        "number",
        "WGS 84 longitude, six decimals at most.",
        longitude,
    ),
    (
        "geo_precision",
        "integer",
        "1 exact, 2 near, 3 region or country.",
        acled_geo_precision,
    ),
    (
        "source",
        "string",
        "Each source's publisher (or title), without repeats, joined by '; '.",
        none,
    ),
    ("source_scale", "string", "Empty.", none),
    ("notes", "string", "The summary.", none),
    (
        "fatalities",
        "integer",
        "Every death: the record's all-deaths figure when it gives one, else the lower bound of victims killed plus that of attackers killed; empty when none is known.",
        count,
    ),
    (
        "tags",
        "string",
        "key=value items carrying what ACLED's columns cannot hold (docs/data.md).",
        none,
    ),
    (
        "timestamp",
        "integer",
        "Empty (ACLED's is the time of its last edit).",
        none,
    ),
];

/// A Table Schema of `fields`, with `key` as primary key.
fn schema(fields: &[Field], key: &str) -> Value {
    let fields: Vec<Value> = fields
        .iter()
        .map(|(name, ty, description, extra)| {
            let mut f = json!({"name": name, "type": ty, "description": description});
            let c = extra();
            if c.as_object().is_some_and(|o| !o.is_empty()) {
                f["constraints"] = c;
            }
            f
        })
        .collect();
    json!({"fields": fields, "primaryKey": [key], "missingValues": [""]})
}

/// A JSON resource with no rows is not marked `"type": "table"`: Frictionless cannot read
/// a table out of `[]`, and a package must validate as published.
fn tabular_json(mut r: Value, empty: bool) -> Value {
    if empty && let Some(o) = r.as_object_mut() {
        o.remove("type");
    }
    r
}

/// The three incident resources of a folder (`empty` when it has no incidents).
fn incident_resources(what: &str, empty: bool) -> Vec<Value> {
    vec![
        json!({
            "name": "incidents-csv",
            "type": "table",
            "path": "incidents.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": format!("Incidents{what} (CSV)"),
            "description": "One row per published incident, flat columns. Cells a spreadsheet would run as a formula begin with an apostrophe (docs/data.md).",
            "schema": schema(INCIDENT_CSV, "event_id"),
        }),
        tabular_json(
            json!({
                "name": "incidents-json",
                "type": "table",
                "path": "incidents.json",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "title": format!("Incidents{what} (JSON)"),
                "description": "The same incidents as an array of nested records: the whole model.",
                "schema": schema(INCIDENT_JSON, "id"),
            }),
            empty,
        ),
        json!({
            "name": "incidents-geojson",
            "path": "incidents.geojson",
            "format": "geojson",
            "mediatype": "application/geo+json",
            "encoding": "utf-8",
            "title": format!("Incidents{what} (GeoJSON)"),
            "description": "The same incidents as a GeoJSON FeatureCollection, one Feature each: geometry a Point at [longitude, latitude] or null without coordinates (RFC 7946 section 3.2); properties exactly the incidents-json record, whose schema applies.",
        }),
    ]
}

/// `data/datapackage.json`: every site-wide export file.
pub fn site(
    name: &str,
    title: &str,
    description: &str,
    homepage: &str,
    (no_incidents, no_groups): (bool, bool),
) -> Vec<u8> {
    let mut resources = incident_resources("", no_incidents);
    resources.push(tabular_json(
        json!({
            "name": "groups",
            "type": "table",
            "path": "groups.json",
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            "title": "Armed groups",
            "description": "Every group profile, relationships resolved both ways.",
            "schema": schema(GROUP_JSON, "id"),
        }),
        no_groups,
    ));
    resources.push(json!({
        "name": "acled",
        "type": "table",
        "path": "acled.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": "Incidents in ACLED's columns",
        "description": "One row per published incident in the 31 columns of an ACLED export, readable back by `briefwerk import acled`. Cells a spreadsheet would run as a formula begin with an apostrophe.",
        "schema": schema(ACLED_CSV, "event_id_cnty"),
    }));
    package(
        name,
        title,
        &format!(
            "{description} Every group's and country's folder (groups/<id>/, countries/<cc>/) has its own datapackage.json describing its incidents.csv, incidents.json and incidents.geojson, with the schemas used here."
        ),
        homepage,
        resources,
    )
}

/// `groups/<id>/datapackage.json` or `countries/<cc>/datapackage.json`: that folder's three
/// incident files; `of` names the group or country.
pub fn folder(name: &str, of: &str, homepage: &str, empty: bool) -> Vec<u8> {
    package(
        name,
        &format!("Incidents of {of}"),
        &format!(
            "The published incidents of {of}, in three formats with the schemas of data/datapackage.json."
        ),
        homepage,
        incident_resources(&format!(" of {of}"), empty),
    )
}

fn package(
    name: &str,
    title: &str,
    description: &str,
    homepage: &str,
    resources: Vec<Value>,
) -> Vec<u8> {
    let mut p = json!({
        "name": name,
        "title": title,
        "description": description,
        "version": format!("{SCHEMA_VERSION}.0.0"),
        "resources": resources,
    });
    if homepage.starts_with("http://") || homepage.starts_with("https://") {
        p["homepage"] = json!(homepage);
    }
    let mut out = serde_json::to_vec_pretty(&p).unwrap_or_default();
    out.push(b'\n');
    out
}

/// A package name: lower case, `[a-z0-9._-]`, as the Data Package spec asks.
pub fn name(s: &str) -> String {
    let n = crate::ids::id_slug(s);
    if n.is_empty() { "briefwerk".into() } else { n }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::acled::ACLED_COLUMNS;
    use crate::render::export::COLUMNS;

    #[test]
    fn every_exported_column_is_described_in_order() {
        let names = |f: &[Field]| f.iter().map(|f| f.0).collect::<Vec<_>>();
        assert_eq!(names(INCIDENT_CSV), COLUMNS);
        assert_eq!(names(ACLED_CSV), ACLED_COLUMNS);
        for f in INCIDENT_CSV
            .iter()
            .chain(INCIDENT_JSON)
            .chain(GROUP_JSON)
            .chain(ACLED_CSV)
        {
            assert!(f.2.ends_with('.'), "{}: describe it in a sentence", f.0);
        }
    }
}
