//! The `possible-duplicate` warning (issue 15 §4): two published incidents in the same
//! country, with a group in common, whose dates overlap at their precision (`date` to
//! `end_date`, each at the precision written) and which lie in the same first-level region
//! (`admin1`, without case) or within [`NEAR_KM`] of each other.
//!
//! A hand-written record and an imported row of the same attack are the commonest source
//! of double counting. The check must stay fast at a million incidents, so it never
//! compares every pair: incidents are bucketed by (country, group) and then by region, or
//! by a grid of cells at least [`NEAR_KM`] wide; in each bucket they are sorted by first
//! day, and each is compared only with those that start before it ends. The work is the
//! number of incidents (times a logarithm) plus the number of pairs whose dates overlap
//! in one bucket, which are (for regions) exactly the pairs reported. Each record gets at
//! most one warning, so the output grows with the records, not with the pairs.

use std::collections::HashMap;

use rayon::prelude::*;

use super::ctx::Ctx;
use crate::content::Incident;
use crate::diagnostic::{Diagnostic, Location};
use crate::load::RecordLoc;
use crate::yaml::Part;

/// Two places at most this far apart (in km) may be one place.
pub const NEAR_KM: f64 = 25.0;

/// How many of a record's possible duplicates are shown as notes; the rest are counted.
const NOTES: usize = 3;

/// How many more are named, without a place, after the notes.
const ALSO: usize = 10;

/// Positions of incidents by grid cell (latitude band, longitude cell).
type Grid = HashMap<(i64, i64), Vec<u32>>;

/// What the check needs of one incident.
struct Key {
    /// First and last day the dates can mean (days from the common era).
    start: i32,
    end: i32,
}

/// Reports every possible duplicate among `incidents` (published, valid, sorted by date
/// then id): one warning per record, at the record a pair is reported at
/// ([`reported_at`]), with a note at each of the others.
pub(super) fn check(
    cx: &mut Ctx<'_>,
    incidents: &[Incident],
    ids: &std::collections::BTreeMap<String, RecordLoc>,
) {
    for (at, others) in by_record(incidents, &pairs(incidents)) {
        report(cx, incidents, ids, at as usize, &others);
    }
}

/// The pairs grouped by the record each is reported at: (record, the others, in site order),
/// by record.
pub fn by_record(incidents: &[Incident], pairs: &[(u32, u32)]) -> Vec<(u32, Vec<u32>)> {
    let mut owned: Vec<(u32, u32)> = pairs
        .iter()
        .map(|&(a, b)| {
            let at = reported_at(&incidents[a as usize], &incidents[b as usize]);
            if at { (a, b) } else { (b, a) }
        })
        .collect();
    owned.sort_unstable();
    let mut out: Vec<(u32, Vec<u32>)> = Vec::new();
    for (at, other) in owned {
        match out.last_mut() {
            Some((r, v)) if *r == at => v.push(other),
            _ => out.push((at, vec![other])),
        }
    }
    out
}

/// Whether a pair (`a` before `b` in site order) is reported at `a`: at the record whose
/// dates span more days (the vaguer one: a record dated only `2017` may repeat many of that
/// year, and one warning there says so, instead of one on each of them), else at `b`.
fn reported_at(a: &Incident, b: &Incident) -> bool {
    let span = |i: &Incident| {
        i.end_date
            .unwrap_or(i.date)
            .last_day()
            .max(i.date.last_day())
            - i.date.first_day()
    };
    span(a) > span(b)
}

/// Every pair (earlier, later) of possible duplicates, as positions in `incidents` (sorted
/// by date, then id, as in `Site`), sorted by the later then the earlier, each once, those
/// silenced by `distinct_from` or `same_event_as` left out. Used by `check` and by anyone
/// who must find repeats among many records (an import).
pub fn pairs(incidents: &[Incident]) -> Vec<(u32, u32)> {
    use chrono::Datelike;
    let keys: Vec<Key> = incidents
        .iter()
        .map(|i| Key {
            start: i.date.first_day().num_days_from_ce(),
            end: i
                .end_date
                .unwrap_or(i.date)
                .last_day()
                .num_days_from_ce()
                .max(i.date.last_day().num_days_from_ce()),
        })
        .collect();

    // Regions as numbers: (country, admin1 without case or edge spaces).
    let mut region_ids: HashMap<(&str, String), u32> = HashMap::new();
    let region: Vec<Option<u32>> = incidents
        .iter()
        .map(|i| {
            let a = i.location.admin1.as_deref()?.trim().to_lowercase();
            if a.is_empty() {
                return None;
            }
            let next = region_ids.len() as u32;
            Some(
                *region_ids
                    .entry((i.location.country.as_str(), a))
                    .or_insert(next),
            )
        })
        .collect();
    let coords: Vec<Option<(f64, f64)>> = incidents.iter().map(|i| i.location.coords).collect();

    // Buckets: (country, group, region) and (country, group, cell), each a list of positions.
    let mut by_region: HashMap<(&str, u32), Vec<u32>> = HashMap::new();
    let mut by_cell: HashMap<(&str, &str), Grid> = HashMap::new();
    // Longitude cells are NEAR_KM wide at the highest latitude of the country's points, so
    // two points within NEAR_KM are at most one cell apart in each direction anywhere in it.
    let mut max_lat: HashMap<&str, f64> = HashMap::new();
    for i in incidents {
        if let Some((lat, _)) = i.location.coords {
            let m = max_lat.entry(i.location.country.as_str()).or_insert(0.0);
            *m = m.max(lat.abs());
        }
    }
    let lat_cell = NEAR_KM / KM_PER_DEGREE;
    for (p, i) in incidents.iter().enumerate() {
        let p = p as u32;
        let country = i.location.country.as_str();
        let mut groups: Vec<&str> = i.groups.iter().map(String::as_str).collect();
        groups.sort_unstable();
        groups.dedup();
        let cell = i.location.coords.map(|(lat, lon)| {
            let lon_cell = lat_cell / cos_at(max_lat.get(country).copied().unwrap_or(0.0));
            (
                (lat / lat_cell).floor() as i64,
                (lon / lon_cell).floor() as i64,
            )
        });
        for g in groups {
            // The region's number stands for the country too.
            if let Some(r) = region[p as usize] {
                by_region.entry((g, r)).or_default().push(p);
            }
            if let Some(c) = cell {
                by_cell
                    .entry((country, g))
                    .or_default()
                    .entry(c)
                    .or_default()
                    .push(p);
            }
        }
    }
    let by_start = |v: &mut Vec<u32>| {
        v.sort_unstable_by_key(|&p| (keys[p as usize].start, p));
    };
    // The pair (a, b) with `b` starting at or after `a` (ties by position): each pair is
    // found once per bucket, from its earlier-starting side.
    let after = |a: u32, b: u32| (keys[b as usize].start, b) > (keys[a as usize].start, a);

    let mut regions: Vec<Vec<u32>> = by_region.into_values().collect();
    let mut found: Vec<(u32, u32)> = regions
        .par_iter_mut()
        .flat_map_iter(|list| {
            by_start(list);
            let list = &*list;
            let mut out = Vec::new();
            for (x, &a) in list.iter().enumerate() {
                let end = keys[a as usize].end;
                for &b in list[x + 1..]
                    .iter()
                    .take_while(|&&b| keys[b as usize].start <= end)
                {
                    out.push(ordered(a, b));
                }
            }
            out
        })
        .collect();

    let mut grids: Vec<Grid> = by_cell.into_values().collect();
    found.par_extend(grids.par_iter_mut().flat_map_iter(|cells| {
        cells.values_mut().for_each(by_start);
        let cells = &*cells;
        let mut out = Vec::new();
        for (&(y, x), list) in cells {
            for dy in -1..=1 {
                for dx in -1..=1 {
                    let Some(other) = cells.get(&(y + dy, x + dx)) else {
                        continue;
                    };
                    for &a in list {
                        let ka = &keys[a as usize];
                        let from = other.partition_point(|&b| keys[b as usize].start < ka.start);
                        for &b in other[from..]
                            .iter()
                            .take_while(|&&b| keys[b as usize].start <= ka.end)
                        {
                            // Pairs in one region were found above.
                            let same_region = region[a as usize].is_some()
                                && region[a as usize] == region[b as usize];
                            if after(a, b)
                                && !same_region
                                && coords[a as usize]
                                    .zip(coords[b as usize])
                                    .is_some_and(|(x, y)| distance_km(x, y) <= NEAR_KM)
                            {
                                out.push(ordered(a, b));
                            }
                        }
                    }
                }
            }
        }
        out.into_iter()
    }));
    found.par_sort_unstable_by_key(|&(a, b)| (b, a));
    found.dedup();
    found.retain(|&(a, b)| !silenced(&incidents[a as usize], &incidents[b as usize]));
    found
}

/// Whether `a` and `b` may describe one event, by the rule `check` applies to every pair
/// (same country, a group in common, dates that overlap at their precision, the same admin1
/// or within [`NEAR_KM`], not silenced): `import acled` asks it of each new row against the
/// hand-written records.
pub fn may_repeat(a: &Incident, b: &Incident) -> bool {
    use chrono::Datelike;
    let span = |i: &Incident| {
        let start = i.date.first_day().num_days_from_ce();
        let end = i
            .end_date
            .unwrap_or(i.date)
            .last_day()
            .num_days_from_ce()
            .max(i.date.last_day().num_days_from_ce());
        (start, end)
    };
    let ((s1, e1), (s2, e2)) = (span(a), span(b));
    a.location.country == b.location.country
        && a.groups.iter().any(|g| b.groups.contains(g))
        && s1 <= e2
        && s2 <= e1
        && (same_region(a, b).is_some() || near(a, b))
        && !silenced(a, b)
}

fn ordered(a: u32, b: u32) -> (u32, u32) {
    (a.min(b), a.max(b))
}

const KM_PER_DEGREE: f64 = 111.2;

/// Cosine of a latitude, kept away from zero so that cells near a pole stay finite.
fn cos_at(lat: f64) -> f64 {
    // One cell more of latitude, so that a point just beyond the highest one is covered.
    (lat + NEAR_KM / KM_PER_DEGREE).min(89.0).to_radians().cos()
}

/// Great-circle distance in km.
fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

fn near(a: &Incident, b: &Incident) -> bool {
    match (a.location.coords, b.location.coords) {
        (Some(x), Some(y)) => distance_km(x, y) <= NEAR_KM,
        _ => false,
    }
}

fn same_region(a: &Incident, b: &Incident) -> Option<String> {
    let norm = |i: &Incident| {
        i.location
            .admin1
            .as_deref()
            .map(|r| r.trim().to_lowercase())
            .filter(|r| !r.is_empty())
    };
    match (norm(a), norm(b)) {
        (Some(x), Some(y)) if x == y => a.location.admin1.as_deref().map(|r| r.trim().to_string()),
        _ => None,
    }
}

/// The editor said they are different events, or linked them as one; or they share an
/// id, which is reported as `duplicate-id` already.
fn silenced(a: &Incident, b: &Incident) -> bool {
    a.id == b.id
        || a.distinct_from.contains(&b.id)
        || b.distinct_from.contains(&a.id)
        || a.same_event_as.as_deref() == Some(b.id.as_str())
        || b.same_event_as.as_deref() == Some(a.id.as_str())
        || (a.same_event_as.is_some() && a.same_event_as == b.same_event_as)
}

/// Why `a` and `b` may be one event, in a few words.
fn why(a: &Incident, b: &Incident) -> String {
    let common: Vec<&str> = a
        .groups
        .iter()
        .filter(|g| b.groups.contains(g))
        .map(String::as_str)
        .collect();
    let groups = match common.as_slice() {
        [one] => format!("group `{one}`"),
        many => format!(
            "groups {}",
            many.iter()
                .map(|g| format!("`{g}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let place = match (same_region(a, b), a.location.coords.zip(b.location.coords)) {
        (_, Some((x, y))) if distance_km(x, y) < 1.0 => "same place".to_string(),
        (_, Some((x, y))) if distance_km(x, y) <= NEAR_KM => {
            format!("{:.0} km apart", distance_km(x, y))
        }
        (Some(r), _) => format!("both in {r}"),
        _ => String::new(),
    };
    let one_day = |i: &Incident| i.date.day.is_some() && i.end_date.is_none_or(|e| e == i.date);
    let when = if one_day(a) && one_day(b) && a.date == b.date {
        "same day".to_string()
    } else {
        "dates overlap".to_string()
    };
    format!("{groups}, {when}, {place}")
}

/// Where a record starts, cheaply: the opening `---` of a one-record file (no YAML parse:
/// at a million incidents most warned records are such files), else its list entry.
fn record_at(cx: &Ctx<'_>, loc: &RecordLoc) -> Location {
    if loc.prefix.is_empty() {
        let f = &cx.sources.files[loc.file];
        Location::new(&f.rel, &f.text[..f.text.len().min(loc.yaml.start)], 0, 3)
    } else {
        cx.at(loc, &[], Part::Value)
    }
}

fn report(
    cx: &mut Ctx<'_>,
    incidents: &[Incident],
    ids: &std::collections::BTreeMap<String, RecordLoc>,
    at: usize,
    others: &[u32],
) {
    let others: Vec<usize> = others.iter().map(|&o| o as usize).collect();
    let b = &incidents[at];
    let Some(here) = ids.get(&b.id) else { return };
    let first = &incidents[others[0]];
    let message = match others.len() {
        1 => format!("`{}` may be the same event as `{}`", b.id, first.id),
        n => format!(
            "`{}` may be the same event as `{}` and {} other incidents",
            b.id,
            first.id,
            n - 1
        ),
    };
    let at = record_at(cx, here);
    let mut d = Diagnostic::warning("possible-duplicate", message).at(at, why(first, b));
    for &e in others.iter().take(NOTES) {
        let a = &incidents[e];
        let Some(there) = ids.get(&a.id) else {
            continue;
        };
        let l = record_at(cx, there);
        d = d.note(
            Some(l),
            format!("`{}` ({}): {}", a.id, a.date.iso(), why(a, b)),
        );
    }
    if others.len() > NOTES {
        let rest = &others[NOTES..];
        let named: Vec<&str> = rest
            .iter()
            .take(ALSO)
            .map(|&e| incidents[e].id.as_str())
            .collect();
        let more = rest.len().saturating_sub(ALSO);
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        d = d.note(None, format!("also: {}{tail}", named.join(", ")));
    }
    d = d.help(format!(
        "if both describe one event, add `same_event_as: {}` to this record (it is then counted once); if they are different events, add `distinct_from: [{}]`",
        first.id, first.id
    ));
    cx.err(d);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `may_repeat`, the rule `import acled` applies to one pair, finds exactly the pairs
    /// `check` finds by its buckets, on pseudo-random records.
    #[test]
    fn the_rule_for_one_pair_agrees_with_the_bucketed_check() {
        use crate::content::{Casualties, Location, Origin, PartialDate, PlacePrecision};
        let mut seed: u64 = 7;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let mut incidents: Vec<Incident> = (0..300)
            .map(|k| {
                let day = 1 + next(6) as u32;
                let date = match next(4) {
                    0 => format!("2017-0{}", 1 + next(2)),
                    _ => format!("2017-0{}-0{day}", 1 + next(2)),
                };
                let coords = (next(3) > 0).then(|| {
                    (
                        12.0 + next(40) as f64 / 100.0,
                        -8.0 + next(40) as f64 / 100.0,
                    )
                });
                Incident {
                    id: format!("i{k:03}"),
                    title: String::new(),
                    date: PartialDate::parse(&date).unwrap(),
                    end_date: None,
                    location: Location {
                        place: None,
                        admin1: (next(2) == 0).then(|| ["Mopti", "Gao"][next(2) as usize].into()),
                        admin2: None,
                        country: ["ML", "BF"][next(2) as usize].into(),
                        coords,
                        precision: PlacePrecision::Country,
                    },
                    groups: vec![["jnim", "isgs", "aqim"][next(3) as usize].into()],
                    claims: vec![],
                    attribution: None,
                    claim_relation: None,
                    event_type: None,
                    targets: vec![],
                    casualties: Casualties::default(),
                    tags: vec![],
                    summary: None,
                    sources: vec![],
                    distinct_from: if next(10) == 0 {
                        vec![format!("i{:03}", next(300))]
                    } else {
                        vec![]
                    },
                    same_event_as: None,
                    draft: false,
                    body: String::new(),
                    origin: Origin {
                        file: 0,
                        body_offset: 0,
                    },
                }
            })
            .collect();
        incidents.sort_by(|a, b| (a.date.first_day(), &a.id).cmp(&(b.date.first_day(), &b.id)));
        let mut brute = Vec::new();
        for b in 0..incidents.len() {
            for a in 0..b {
                if may_repeat(&incidents[a], &incidents[b]) {
                    brute.push((a as u32, b as u32));
                }
            }
        }
        let found = pairs(&incidents);
        assert!(
            found.len() > 20,
            "{} pairs: the test needs some",
            found.len()
        );
        assert_eq!(found, brute);
    }

    use crate::content::{Location, Origin, PartialDate, PlacePrecision};
    use proptest::prelude::*;

    /// An incident from small choices, so that random sets have many near-collisions.
    fn incident(n: usize, c: &Choice) -> Incident {
        let date = match c.precision {
            0 => format!("{}", 2017 + c.year),
            1 => format!("{}-{:02}", 2017 + c.year, 1 + c.month),
            _ => format!("{}-{:02}-{:02}", 2017 + c.year, 1 + c.month, 1 + c.day),
        };
        let date = PartialDate::parse(&date).unwrap();
        let end_date = (c.precision == 2 && c.span > 0).then(|| {
            let d = date.first_day() + chrono::Duration::days(i64::from(c.span));
            PartialDate::parse(&d.format("%Y-%m-%d").to_string()).unwrap()
        });
        let groups = ["jnim", "isgs", "aqim"];
        Incident {
            id: format!("i{n:03}"),
            title: String::new(),
            date,
            end_date,
            location: Location {
                place: None,
                admin1: c.region.map(|r| ["Mopti", "mopti ", "Gao"][r].to_string()),
                admin2: None,
                country: ["ML", "BF"][c.country].to_string(),
                // Points 0–60 km apart around 14.5 N, some near a grid line.
                coords: c
                    .point
                    .map(|(y, x)| (14.5 + f64::from(y) * 0.05, -1.0 + f64::from(x) * 0.05)),
                precision: PlacePrecision::Exact,
            },
            groups: c.groups.iter().map(|&g| groups[g].to_string()).collect(),
            claims: vec![],
            attribution: None,
            claim_relation: None,
            event_type: None,
            targets: vec![],
            casualties: Default::default(),
            tags: vec![],
            summary: None,
            sources: vec![],
            distinct_from: c.distinct.map(|d| format!("i{d:03}")).into_iter().collect(),
            same_event_as: c.same.map(|d| format!("i{d:03}")),
            draft: false,
            body: String::new(),
            origin: Origin {
                file: 0,
                body_offset: 0,
            },
        }
    }

    #[derive(Debug, Clone)]
    struct Choice {
        year: u32,
        month: u32,
        day: u32,
        precision: u8,
        span: u32,
        country: usize,
        region: Option<usize>,
        point: Option<(u8, u8)>,
        groups: Vec<usize>,
        distinct: Option<usize>,
        same: Option<usize>,
    }

    fn choice() -> impl Strategy<Value = Choice> {
        (
            (0u32..2, 0u32..2, 0u32..28, 0u8..3, 0u32..4),
            (0usize..2, proptest::option::of(0usize..3)),
            proptest::option::of((0u8..12, 0u8..12)),
            proptest::collection::vec(0usize..3, 0..3),
            (
                proptest::option::weighted(0.1, 0usize..40),
                proptest::option::weighted(0.1, 0usize..40),
            ),
        )
            .prop_map(
                |(
                    (year, month, day, precision, span),
                    (country, region),
                    point,
                    groups,
                    (distinct, same),
                )| Choice {
                    year,
                    month,
                    day,
                    precision,
                    span,
                    country,
                    region,
                    point,
                    groups,
                    distinct,
                    same,
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// The bucketed search finds exactly the pairs that comparing every pair finds.
        #[test]
        fn buckets_find_exactly_the_pairs_the_rule_names(choices in proptest::collection::vec(choice(), 0..40)) {
            let mut incs: Vec<Incident> =
                choices.iter().enumerate().map(|(n, c)| incident(n, c)).collect();
            incs.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
            let mut want = Vec::new();
            for b in 0..incs.len() {
                for a in 0..b {
                    if may_repeat(&incs[a], &incs[b]) {
                        want.push((a as u32, b as u32));
                    }
                }
            }
            prop_assert_eq!(pairs(&incs), want);
        }
    }

    #[test]
    fn distances_are_great_circle_km() {
        // Bamako to Kati, about 15 km.
        let d = distance_km((12.65, -8.0), (12.74, -8.07));
        assert!((10.0..15.0).contains(&d), "{d}");
        assert!(distance_km((0.0, 0.0), (0.0, 1.0)) > 110.0);
        assert_eq!(distance_km((12.0, -8.0), (12.0, -8.0)), 0.0);
    }
}
