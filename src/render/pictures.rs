//! Builds the inline SVG pictures of each page (maps, charts, lineage, timeline) from the
//! site and its indexes, through the drawing code in [`super::svg`]. One function per
//! picture; each returns ready-to-embed HTML, or an empty string when there is nothing to draw.
//!
//! Issue 10: incidents after the data cutoff are left out of every chart and overview map,
//! each picture says "Data as of …", and a map mark is only as precise as the record.

use std::collections::BTreeMap;

use super::svg::{
    self, Band, BarChart, EdgeKind, LineageEdge, LineageNode, MapOptions, MapPoint, Mark, Range,
    Series,
};
use crate::content::{Count, Incident, PartialDate, PlacePrecision, RelationKind, Site};
use crate::index::Index;
use crate::text::escape;

/// Radius of the dashed circle that stands for "somewhere in this region": about the size
/// of a Sahel region, and large enough that nobody reads it as a place.
const REGION_KM: f64 = 120.0;

/// "Data as of 30 June 2017." for a picture's caption, or nothing without a cutoff.
fn as_of(cutoff: Option<&PartialDate>) -> String {
    cutoff.map_or(String::new(), |c| format!(" Data as of {}.", c.display()))
}

/// `positions` without the incidents after the cutoff and those repeating another record
/// (`same_event_as`): they are published, not counted.
fn counted(site: &Site, positions: &[usize], cutoff: Option<&PartialDate>) -> Vec<usize> {
    positions
        .iter()
        .copied()
        .filter(|&p| site.incidents[p].counted(cutoff))
        .collect()
}

/// A bar chart figure with its "Data as of" line.
fn chart_figure(chart: &BarChart, cutoff: Option<&PartialDate>) -> String {
    let fig = svg::bar_chart_figure(chart);
    let note = as_of(cutoff);
    match fig.strip_suffix("</figure>") {
        Some(open) if !note.is_empty() => format!(
            "{open}<p class=\"bw-asof\">{}</p></figure>",
            escape(note.trim())
        ),
        _ => fig,
    }
}

/// Most groups a stacked chart or overview map colours separately; the rest are "other".
const TOP_GROUPS: usize = 6;

fn killed_range(c: Option<&Count>) -> Option<Range> {
    match c {
        Some(Count::Exact { n }) => Some(Range::exact(u64::from(*n))),
        Some(Count::Range {
            min,
            max: Some(max),
        }) => Some(Range::between(u64::from(*min), u64::from(*max))),
        Some(Count::Range { min, max: None }) => Some(Range::at_least(u64::from(*min))),
        Some(Count::Unknown) | None => None,
    }
}

fn add(a: &mut Range, b: Range) {
    a.min += b.min;
    a.max = match (a.max, b.max) {
        (Some(x), Some(y)) => Some(x + y),
        _ => None,
    };
}

/// The mark of an incident at its precision: a disc or ring at its coordinates, a dashed
/// circle around a region's given centre, or its whole country. `None` when it cannot be
/// placed (an exact or near place without coordinates).
fn point(i: &Incident, root: &str, series: Option<String>) -> Option<MapPoint> {
    let l = &i.location;
    let country = || Mark::Country {
        code: l.country.clone(),
    };
    let ((lat, lon), mark) = match l.precision {
        PlacePrecision::Exact => (l.coords?, Mark::Exact),
        PlacePrecision::Near => (l.coords?, Mark::Near),
        // Without a centre for the region there is only the country to show.
        PlacePrecision::Region => match l.coords {
            Some(c) => (c, Mark::Region { km: REGION_KM }),
            None => (svg::country_centre(&l.country)?, country()),
        },
        PlacePrecision::Country => (svg::country_centre(&l.country).or(l.coords)?, country()),
    };
    let country_name = crate::content::country::name(&l.country).unwrap_or(&l.country);
    Some(MapPoint {
        lat,
        lon,
        killed: i.casualties.killed.as_ref().and_then(Count::min),
        label: format!(
            "{} — {}: {}",
            i.date.display(),
            super::phrasing::where_phrase_english(i, country_name),
            i.title
        ),
        url: format!("{root}incidents/{}/", i.id),
        series,
        mark,
    })
}

fn figure(class: &str, body: String, caption: String) -> String {
    if body.is_empty() {
        return String::new();
    }
    format!(
        "<figure class=\"bw-figure {class}\">{body}<figcaption>{}</figcaption></figure>",
        escape(&caption)
    )
}

/// The label of the group that colours an incident on an overview map.
fn series_of(site: &Site, i: &Incident, shown: &[&str]) -> Option<String> {
    let g = i.groups.first()?;
    let grp = site.group(g)?;
    if shown.contains(&g.as_str()) {
        Some(grp.label().to_string())
    } else {
        Some("Other groups".to_string())
    }
}

/// Group ids naming the most incidents among `positions`, most first (ties by id).
fn top_groups<'a>(site: &'a Site, positions: &[usize], n: usize) -> Vec<&'a str> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for &p in positions {
        for g in &site.incidents[p].groups {
            *counts.entry(g.as_str()).or_default() += 1;
        }
    }
    let mut v: Vec<(&str, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    v.into_iter()
        .take(n)
        .filter_map(|(g, _)| site.group(g).map(|gr| gr.id.as_str()))
        .collect()
}

/// A small locator map for one incident page.
pub fn locator(i: &Incident, root: &str) -> String {
    let Some(p) = point(i, root, None) else {
        return String::new();
    };
    let country_name =
        crate::content::country::name(&i.location.country).unwrap_or(&i.location.country);
    let phrase = super::phrasing::where_phrase_english(i, country_name);
    let svg = svg::map_svg(
        &[p],
        &MapOptions {
            title: format!("Location of {}", i.title),
            desc: String::new(),
            locator: true,
            width: 360,
            height: 260,
        },
    );
    let caption = match i.location.precision {
        PlacePrecision::Exact => format!("Location: {phrase}."),
        PlacePrecision::Near => {
            format!("Location: {phrase} (the ring marks the place named, not the spot).")
        }
        PlacePrecision::Region if i.location.coords.is_some() => {
            format!(
                "Location: {phrase} (the dashed circle is not the region's outline; the exact place is not known)."
            )
        }
        _ => format!("Location: {phrase} (the whole country is hatched; the place is not known)."),
    };
    figure("bw-map bw-map-locator", svg, caption)
}

/// An overview map of `positions`, coloured by group (or by one colour for a single group).
pub fn overview(
    site: &Site,
    positions: &[usize],
    root: &str,
    title: &str,
    colour_by_group: bool,
    cutoff: Option<&PartialDate>,
) -> String {
    let later = positions
        .iter()
        .filter(|&&p| site.incidents[p].after_cutoff(cutoff))
        .count();
    let repeats = positions
        .iter()
        .filter(|&&p| {
            let i = &site.incidents[p];
            i.same_event_as.is_some() && !i.after_cutoff(cutoff)
        })
        .count();
    let positions = &counted(site, positions, cutoff)[..];
    let shown = if colour_by_group {
        top_groups(site, positions, TOP_GROUPS)
    } else {
        Vec::new()
    };
    let points: Vec<MapPoint> = positions
        .iter()
        .filter_map(|&p| {
            let i = &site.incidents[p];
            let series = if colour_by_group {
                series_of(site, i, &shown)
            } else {
                None
            };
            point(i, root, series)
        })
        .collect();
    let missing = positions.len() - points.len();
    let svg = svg::map_svg(
        &points,
        &MapOptions {
            title: title.to_string(),
            desc: String::new(),
            locator: false,
            width: 720,
            height: 480,
        },
    );
    let mut caption = format!(
        "{title}: {} {} placed; marks sized by people killed, drawn as precisely as the place is known.",
        points.len(),
        if points.len() == 1 {
            "incident"
        } else {
            "incidents"
        }
    );
    if missing > 0 {
        caption.push_str(&format!(" {missing} without coordinates not shown."));
    }
    if later > 0 {
        caption.push_str(&format!(" {later} after the data cutoff not shown."));
    }
    match repeats {
        0 => {}
        1 => caption.push_str(" 1 record repeating another not shown."),
        n => caption.push_str(&format!(" {n} records repeating others not shown.")),
    }
    caption.push_str(&as_of(cutoff));
    figure("bw-map", svg, caption)
}

/// Incidents per year and killed per year for a group page.
pub fn group_charts(
    site: &Site,
    positions: &[usize],
    name: &str,
    cutoff: Option<&PartialDate>,
) -> String {
    let positions = &counted(site, positions, cutoff)[..];
    let mut years: BTreeMap<i32, (u64, Range)> = BTreeMap::new();
    let mut no_figure = 0;
    for &p in positions {
        let i = &site.incidents[p];
        let e = years.entry(i.date.year).or_insert((0, Range::exact(0)));
        e.0 += 1;
        match killed_range(i.casualties.killed.as_ref()) {
            Some(r) => add(&mut e.1, r),
            None => no_figure += 1,
        }
    }
    if years.is_empty() {
        return String::new();
    }
    let (first, last) = (
        *years.keys().next().unwrap_or(&0),
        *years.keys().next_back().unwrap_or(&0),
    );
    let labels: Vec<String> = (first..=last).map(|y| y.to_string()).collect();
    let get = |y: i32| years.get(&y).cloned().unwrap_or((0, Range::exact(0)));
    let incidents = BarChart {
        title: format!("Incidents per year: {name}"),
        desc: String::new(),
        labels: labels.clone(),
        series: vec![Series {
            name: "Incidents".into(),
            values: (first..=last).map(|y| Range::exact(get(y).0)).collect(),
        }],
        y_label: "Incidents".into(),
        note: String::new(),
    };
    // A year whose incidents give no killed figure would otherwise read as a year without
    // deaths.
    let note = match no_figure {
        0 => String::new(),
        1 => "1 incident gives no killed figure and adds nothing to its year.".to_string(),
        n => format!("{n} incidents give no killed figure and add nothing to their years."),
    };
    let killed = BarChart {
        title: format!("People killed per year: {name}"),
        desc: String::new(),
        labels,
        series: vec![Series {
            name: "Killed".into(),
            values: (first..=last).map(|y| get(y).1).collect(),
        }],
        y_label: "Killed".into(),
        note,
    };
    format!(
        "{}{}",
        chart_figure(&incidents, cutoff),
        chart_figure(&killed, cutoff)
    )
}

fn stacked(
    site: &Site,
    positions: &[usize],
    labels: Vec<String>,
    key: impl Fn(&Incident) -> Option<usize>,
    title: &str,
    cutoff: Option<&PartialDate>,
) -> String {
    let shown = top_groups(site, positions, TOP_GROUPS);
    let mut names: Vec<String> = shown
        .iter()
        .filter_map(|g| site.group(g).map(|gr| gr.label().to_string()))
        .collect();
    let other = names.len();
    names.push("Other or unattributed".to_string());
    let mut values = vec![vec![0u64; labels.len()]; names.len()];
    let mut several = 0;
    for &p in positions {
        let i = &site.incidents[p];
        let Some(k) = key(i) else { continue };
        if i.groups.len() > 1 {
            several += 1;
        }
        let s = i
            .groups
            .first()
            .and_then(|g| shown.iter().position(|x| x == g))
            .unwrap_or(other);
        values[s][k] += 1;
    }
    let series: Vec<Series> = names
        .into_iter()
        .zip(values)
        .filter(|(_, v)| v.iter().any(|x| *x > 0))
        .map(|(name, v)| Series {
            name,
            values: v.into_iter().map(Range::exact).collect(),
        })
        .collect();
    // Stacking counts each incident once, so an incident naming two groups shows in one
    // colour only: say which, and how many incidents that hides.
    let mut note =
        "Each incident is counted once, in the colour of the first group its record names"
            .to_string();
    note.push_str(&match several {
        0 => ".".to_string(),
        1 => "; 1 incident shown names more than one group.".to_string(),
        n => format!("; {n} incidents shown name more than one group."),
    });
    chart_figure(
        &BarChart {
            title: title.to_string(),
            desc: String::new(),
            labels,
            series,
            y_label: "Incidents".into(),
            note,
        },
        cutoff,
    )
}

/// Incidents per month over the whole period, stacked by the most active groups.
pub fn monthly(
    site: &Site,
    positions: &[usize],
    title: &str,
    cutoff: Option<&PartialDate>,
) -> String {
    let positions = &counted(site, positions, cutoff)[..];
    let (Some(&f), Some(&l)) = (positions.first(), positions.last()) else {
        return String::new();
    };
    let (fy, fm) = (
        site.incidents[f].date.year,
        site.incidents[f].date.month.unwrap_or(1),
    );
    let (ly, lm) = (
        site.incidents[l].date.year,
        site.incidents[l].date.month.unwrap_or(12),
    );
    monthly_between(site, positions, (fy, fm), (ly, lm), title, cutoff)
}

fn monthly_between(
    site: &Site,
    positions: &[usize],
    from: (i32, u8),
    to: (i32, u8),
    title: &str,
    cutoff: Option<&PartialDate>,
) -> String {
    let idx = |y: i32, m: u8| (y - from.0) as i64 * 12 + i64::from(m) - i64::from(from.1);
    let n = idx(to.0, to.1) + 1;
    if n <= 0 || n > 12 * 200 {
        return String::new();
    }
    let labels: Vec<String> = (0..n)
        .map(|k| {
            let t = i64::from(from.1) - 1 + k;
            format!("{:04}-{:02}", i64::from(from.0) + t / 12, t % 12 + 1)
        })
        .collect();
    // Year-only incidents have no month, so they cannot be placed on a monthly axis.
    let key = |i: &Incident| {
        let m = i.date.month?;
        let k = idx(i.date.year, m);
        (0..n).contains(&k).then_some(k as usize)
    };
    stacked(site, positions, labels, key, title, cutoff)
}

/// The last 12 months of data (ending with the newest counted incident's month) at a glance.
pub fn last_twelve_months(site: &Site, cutoff: Option<&PartialDate>) -> String {
    let Some(last) = site
        .incidents
        .iter()
        .rev()
        .find(|i| i.date.month.is_some() && i.counted(cutoff))
    else {
        return String::new();
    };
    let (ly, lm) = (last.date.year, last.date.month.unwrap_or(12));
    let (fy, fm) = if lm == 12 { (ly, 1) } else { (ly - 1, lm + 1) };
    let all = counted(site, &(0..site.incidents.len()).collect::<Vec<_>>(), cutoff);
    monthly_between(
        site,
        &all,
        (fy, fm),
        (ly, lm),
        "Incidents in the last 12 months of data, by group",
        cutoff,
    )
}

/// Incidents per year in a country, stacked by group.
pub fn yearly_by_group(
    site: &Site,
    positions: &[usize],
    title: &str,
    cutoff: Option<&PartialDate>,
) -> String {
    let positions = &counted(site, positions, cutoff)[..];
    let (Some(&f), Some(&l)) = (positions.first(), positions.last()) else {
        return String::new();
    };
    let (fy, ly) = (site.incidents[f].date.year, site.incidents[l].date.year);
    let labels = (fy..=ly).map(|y| y.to_string()).collect();
    stacked(
        site,
        positions,
        labels,
        |i| Some((i.date.year - fy) as usize),
        title,
        cutoff,
    )
}

/// A group's box; `focus` marks the group whose page it is. Merged, defunct and dissolved
/// groups are drawn as no longer active.
fn lineage_node(site: &Site, g: usize, root: &str, focus: bool) -> LineageNode {
    let gr = &site.groups[g];
    let gone = matches!(
        gr.status,
        Some(crate::content::Status::Defunct | crate::content::Status::Merged)
    ) || gr.dissolved.is_some();
    LineageNode {
        id: gr.id.clone(),
        name: gr.label().to_string(),
        url: format!("{root}groups/{}/", gr.id),
        founded: gr.founded.map(|d| d.year),
        current: !gone,
        focus,
    }
}

fn edges_of(index: &Index, g: usize, site: &Site) -> Vec<LineageEdge> {
    let r = &index.relations[g];
    let id = |x: usize| site.groups[x].id.clone();
    let mut e = Vec::new();
    for &f in &r.merged_from {
        e.push(LineageEdge {
            from: id(f),
            to: id(g),
            kind: EdgeKind::MergedInto,
        });
    }
    if let Some(t) = r.merged_into {
        e.push(LineageEdge {
            from: id(g),
            to: id(t),
            kind: EdgeKind::MergedInto,
        });
    }
    for &a in &r.affiliated_with {
        e.push(LineageEdge {
            from: id(g),
            to: id(a),
            kind: EdgeKind::Affiliate,
        });
    }
    // Typed relationships, drawn from the group that wrote them.
    for v in &index.relationships[g] {
        let (from, to) = if v.inverse {
            (v.other, g)
        } else {
            (g, v.other)
        };
        e.push(typed_edge(id(from), id(to), v.kind));
    }
    e
}

/// An edge for a typed relationship; a symmetric one (ally, rival, affiliate) always runs
/// from the smaller id, so both sides writing it make one edge.
fn typed_edge(from: String, to: String, k: RelationKind) -> LineageEdge {
    let (from, to) = if k.symmetric() && to < from {
        (to, from)
    } else {
        (from, to)
    };
    LineageEdge {
        from,
        to,
        kind: edge_kind(k),
    }
}

fn edge_kind(k: RelationKind) -> EdgeKind {
    match k {
        RelationKind::Ally => EdgeKind::Ally,
        RelationKind::Rival => EdgeKind::Rival,
        RelationKind::Affiliate => EdgeKind::Affiliate,
        RelationKind::SplinterOf => EdgeKind::SplinterOf,
        RelationKind::PledgedTo => EdgeKind::PledgedTo,
    }
}

/// A group's family: what merged into it, what it merged into, its affiliations.
pub fn lineage(site: &Site, index: &Index, g: usize, root: &str) -> String {
    let r = &index.relations[g];
    let mut members: Vec<usize> = vec![g];
    members.extend(&r.merged_from);
    members.extend(r.merged_into);
    members.extend(&r.affiliated_with);
    members.extend(&r.affiliates);
    members.extend(index.relationships[g].iter().map(|v| v.other));
    members.sort_unstable();
    members.dedup();
    if members.len() < 2 {
        return String::new();
    }
    let nodes: Vec<LineageNode> = members
        .iter()
        .map(|&m| lineage_node(site, m, root, m == g))
        .collect();
    let mut edges = edges_of(index, g, site);
    for &a in &r.affiliates {
        edges.push(LineageEdge {
            from: site.groups[a].id.clone(),
            to: site.groups[g].id.clone(),
            kind: EdgeKind::Affiliate,
        });
    }
    edges.sort_by(|a, b| (&a.from, &a.to, a.kind).cmp(&(&b.from, &b.to, b.kind)));
    edges.dedup();
    let name = site.groups[g].label();
    figure(
        "bw-lineage-wrap",
        svg::lineage_svg(
            &nodes,
            &edges,
            &format!("Lineage and relationships of {name}"),
        ),
        format!(
            "{name}: mergers, affiliations and relationships (allies, rivals, splinters, pledges), laid out by founding year."
        ),
    )
}

/// Every group and every relationship, for the groups index.
pub fn lineage_overview(site: &Site, index: &Index, root: &str) -> String {
    if site.groups.len() < 2 {
        return String::new();
    }
    let nodes: Vec<LineageNode> = (0..site.groups.len())
        .map(|g| lineage_node(site, g, root, false))
        .collect();
    let mut edges: Vec<LineageEdge> = Vec::new();
    for (g, gr) in site.groups.iter().enumerate() {
        if let Some(t) = index.relations[g].merged_into {
            edges.push(LineageEdge {
                from: gr.id.clone(),
                to: site.groups[t].id.clone(),
                kind: EdgeKind::MergedInto,
            });
        }
        for &a in &index.relations[g].affiliated_with {
            edges.push(LineageEdge {
                from: gr.id.clone(),
                to: site.groups[a].id.clone(),
                kind: EdgeKind::Affiliate,
            });
        }
        // Each typed relationship once, from the side that wrote it.
        for v in index.relationships[g].iter().filter(|v| !v.inverse) {
            edges.push(typed_edge(
                gr.id.clone(),
                site.groups[v.other].id.clone(),
                v.kind,
            ));
        }
    }
    edges.sort_by(|a, b| (&a.from, &a.to, a.kind).cmp(&(&b.from, &b.to, b.kind)));
    edges.dedup();
    if edges.is_empty() {
        return String::new();
    }
    figure(
        "bw-lineage-wrap",
        svg::lineage_svg(&nodes, &edges, "How the groups are related"),
        "All groups: mergers, affiliations and relationships (allies, rivals, splinters, pledges), laid out by founding year.".to_string(),
    )
}

/// The chronology's visual timeline: one band per year with its counted incidents (none
/// after the cutoff, no repeats), the deadliest labelled.
pub fn timeline(site: &Site, index: &Index, root: &str, cutoff: Option<&PartialDate>) -> String {
    let bands: Vec<Band> = index
        .by_year
        .iter()
        .map(|(y, v)| {
            // Counted like every total: none after the cutoff, no record repeating another.
            let v = counted(site, v, cutoff);
            let mut deadliest: Vec<usize> = v.clone();
            deadliest.sort_by(|&a, &b| {
                let k = |p: usize| {
                    site.incidents[p]
                        .casualties
                        .killed
                        .as_ref()
                        .and_then(Count::min)
                        .unwrap_or(0)
                };
                k(b).cmp(&k(a)).then_with(|| a.cmp(&b))
            });
            let key_events = deadliest
                .iter()
                .take(2)
                .filter(|&&p| {
                    site.incidents[p]
                        .casualties
                        .killed
                        .as_ref()
                        .and_then(Count::min)
                        .unwrap_or(0)
                        > 0
                })
                .map(|&p| {
                    (
                        site.incidents[p].title.clone(),
                        format!("{root}incidents/{}/", site.incidents[p].id),
                    )
                })
                .collect();
            Band {
                year: *y,
                count: v.len() as u32,
                url: format!("{root}chronology/{y}/"),
                key_events,
            }
        })
        .collect();
    svg::timeline_html(&bands)
}

/// CSS the pictures need, written once per build as `static/pictures.css`.
pub fn stylesheet() -> String {
    format!("{}\n{}\n", svg::svg_css(), svg::timeline_css())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Casualties, Group, Location, Origin};

    fn date(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    fn incident(id: &str, d: &str, groups: &[&str], killed: Option<Count>) -> Incident {
        Incident {
            id: id.into(),
            title: format!("Attack {id}"),
            date: date(d),
            end_date: None,
            location: Location {
                place: Some("Boni".into()),
                admin1: Some("Mopti".into()),
                admin2: None,
                country: "ML".into(),
                coords: Some((15.03, -2.22)),
                precision: PlacePrecision::Exact,
            },
            groups: groups.iter().map(|g| g.to_string()).collect(),
            claims: vec![],
            attribution: None,
            claim_relation: None,
            event_type: None,
            targets: vec![],
            casualties: Casualties {
                killed,
                ..Casualties::default()
            },
            tags: vec![],
            summary: None,
            sources: vec![],
            distinct_from: vec![],
            same_event_as: None,
            draft: false,
            body: String::new(),
            origin: Origin {
                file: 0,
                body_offset: 0,
            },
        }
    }

    fn group(id: &str, name: &str) -> Group {
        Group {
            id: id.into(),
            name: name.into(),
            short_name: None,
            aliases: vec![],
            founded: None,
            dissolved: None,
            status: None,
            affiliations: vec![],
            merged_from: vec![],
            merged_into: None,
            leaders: vec![],
            area: vec![],
            ideology: None,
            acled_actor: None,
            inter: None,
            relationships: vec![],
            body: String::new(),
            origin: Origin {
                file: 0,
                body_offset: 0,
            },
        }
    }

    fn site(incidents: Vec<Incident>) -> Site {
        Site {
            incidents,
            groups: vec![
                group("ansar-dine", "Ansar Dine"),
                group("isgs", "Islamic State in the Greater Sahara"),
                group("jnim", "JNIM"),
            ],
            ..Site::default()
        }
    }

    fn exact(n: u32) -> Option<Count> {
        Some(Count::Exact { n })
    }

    #[test]
    fn a_killed_figure_becomes_a_chart_range_and_unknown_gives_none() {
        assert_eq!(killed_range(exact(5).as_ref()), Some(Range::exact(5)));
        let between = Count::Range {
            min: 3,
            max: Some(7),
        };
        assert_eq!(killed_range(Some(&between)), Some(Range::between(3, 7)));
        let open = Count::Range { min: 4, max: None };
        assert_eq!(killed_range(Some(&open)), Some(Range::at_least(4)));
        assert_eq!(killed_range(Some(&Count::Unknown)), None);
        assert_eq!(killed_range(None), None);
    }

    #[test]
    fn one_open_ended_figure_leaves_a_sum_open_ended() {
        let mut sum = Range::exact(3);
        add(&mut sum, Range::between(2, 5));
        assert_eq!(sum, Range::between(5, 8));
        add(&mut sum, Range::at_least(1));
        assert_eq!(sum, Range::at_least(6));
        // Once open, a later exact figure raises the floor only.
        add(&mut sum, Range::exact(10));
        assert_eq!(sum, Range::at_least(16));
    }

    #[test]
    fn a_mark_is_only_as_precise_as_the_record() {
        let mut i = incident("boni", "2017-06-18", &["jnim"], exact(4));
        let p = point(&i, "../../", None).unwrap();
        assert_eq!(p.mark, Mark::Exact);
        assert_eq!((p.lat, p.lon), (15.03, -2.22));
        assert_eq!(p.killed, Some(4));
        assert_eq!(p.url, "../../incidents/boni/");
        assert!(p.label.starts_with("18 June 2017 — "), "{}", p.label);
        assert!(p.label.ends_with(": Attack boni"), "{}", p.label);

        i.location.precision = PlacePrecision::Near;
        assert_eq!(point(&i, "", None).unwrap().mark, Mark::Near);
        // A near place without coordinates cannot be drawn at all.
        i.location.coords = None;
        assert!(point(&i, "", None).is_none());

        // A region without a centre falls back to the country; with one, a dashed circle.
        i.location.precision = PlacePrecision::Region;
        let country = point(&i, "", None).unwrap();
        assert!(matches!(country.mark, Mark::Country { ref code } if code == "ML"));
        assert_eq!(
            (country.lat, country.lon),
            svg::country_centre("ML").unwrap()
        );
        i.location.coords = Some((14.5, -4.2));
        assert_eq!(
            point(&i, "", None).unwrap().mark,
            Mark::Region { km: REGION_KM }
        );
        // A country-level record ignores its coordinates: they would look like a place.
        i.location.precision = PlacePrecision::Country;
        let p = point(&i, "", None).unwrap();
        assert_eq!((p.lat, p.lon), svg::country_centre("ML").unwrap());
    }

    #[test]
    fn the_most_active_groups_come_first_ties_by_id() {
        let s = site(vec![
            incident("a", "2017-01-01", &["jnim"], None),
            incident("b", "2017-01-02", &["isgs", "jnim"], None),
            incident("c", "2017-01-03", &["isgs"], None),
            incident("d", "2017-01-04", &["ansar-dine"], None),
        ]);
        let all: Vec<usize> = (0..s.incidents.len()).collect();
        assert_eq!(top_groups(&s, &all, 6), ["isgs", "jnim", "ansar-dine"]);
        assert_eq!(top_groups(&s, &all, 2), ["isgs", "jnim"]);
        assert_eq!(top_groups(&s, &[3], 6), ["ansar-dine"]);
    }

    #[test]
    fn group_charts_keep_empty_years_and_say_which_incidents_add_no_deaths() {
        let s = site(vec![
            incident("a", "2015-03-01", &["jnim"], exact(3)),
            incident("b", "2017-05-01", &["jnim"], Some(Count::Unknown)),
            incident(
                "c",
                "2017-08-01",
                &["jnim"],
                Some(Count::Range {
                    min: 2,
                    max: Some(4),
                }),
            ),
        ]);
        let html = group_charts(&s, &[0, 1, 2], "JNIM", None);
        assert!(html.contains("Incidents per year: JNIM"), "{html}");
        assert!(html.contains("People killed per year: JNIM"), "{html}");
        // 2016 had no incident: its bar is there, at zero, not skipped.
        assert!(html.contains(">2016<"), "{html}");
        assert!(
            html.contains("1 incident gives no killed figure and adds nothing to its year."),
            "{html}"
        );
        assert!(!html.contains("Data as of"), "{html}");
        assert_eq!(group_charts(&s, &[], "JNIM", None), "");
        // Everything after the cutoff: nothing to draw.
        let cutoff = date("2014-12-31");
        assert_eq!(group_charts(&s, &[0, 1, 2], "JNIM", Some(&cutoff)), "");
        let cutoff = date("2016-12-31");
        let html = group_charts(&s, &[0, 1, 2], "JNIM", Some(&cutoff));
        assert!(
            html.contains(">2015<") && !html.contains(">2017<"),
            "{html}"
        );
        assert!(html.contains("Data as of 31 December 2016."), "{html}");
    }

    #[test]
    fn the_monthly_axis_has_every_month_and_names_multi_group_incidents() {
        let s = site(vec![
            incident("a", "2017-01-10", &["jnim"], None),
            // Year-only: cannot be placed on a monthly axis.
            incident("b", "2017", &["jnim"], None),
            incident("c", "2017-04-02", &["isgs", "jnim"], None),
        ]);
        let html = monthly(&s, &[0, 1, 2], "By month", None);
        for m in ["2017-01", "2017-02", "2017-03", "2017-04"] {
            assert!(html.contains(m), "{m} missing: {html}");
        }
        assert!(!html.contains("2017-05"), "{html}");
        assert!(
            html.contains(
                "Each incident is counted once, in the colour of the first group its record names; 1 incident shown names more than one group."
            ),
            "{html}"
        );
    }

    #[test]
    fn the_overview_caption_counts_what_the_map_leaves_out() {
        let mut s = site(vec![
            incident("a", "2017-01-10", &["jnim"], exact(1)),
            incident("b", "2017-02-10", &["jnim"], None),
            incident("c", "2017-03-10", &["isgs"], None),
            incident("d", "2017-09-10", &["isgs"], None),
        ]);
        s.incidents[1].location.precision = PlacePrecision::Near;
        s.incidents[1].location.coords = None;
        s.incidents[2].same_event_as = Some("a".into());
        let cutoff = date("2017-06-30");
        let html = overview(&s, &[0, 1, 2, 3], "", "Incidents", true, Some(&cutoff));
        assert!(
            html.contains(
                "Incidents: 1 incident placed; marks sized by people killed, drawn as precisely as the place is known. 1 without coordinates not shown. 1 after the data cutoff not shown. 1 record repeating another not shown. Data as of 30 June 2017."
            ),
            "{html}"
        );
    }

    /// The text a reader sees in the first `selector` of `html`, entities decoded.
    fn text_of(html: &str, selector: &str) -> String {
        let doc = scraper::Html::parse_fragment(html);
        let sel = scraper::Selector::parse(selector).unwrap();
        doc.select(&sel)
            .next()
            .map(|e| e.text().collect())
            .unwrap_or_default()
    }

    /// How many elements of `html` match `selector`.
    fn count(html: &str, selector: &str) -> usize {
        let doc = scraper::Html::parse_fragment(html);
        doc.select(&scraper::Selector::parse(selector).unwrap())
            .count()
    }

    #[test]
    fn a_locator_caption_says_how_precisely_the_place_is_known() {
        let mut i = incident("boni", "2017-06-18", &["jnim"], None);
        let html = locator(&i, "../../");
        assert_eq!(text_of(&html, "svg > title"), "Location of Attack boni");
        assert_eq!(
            count(&html, "a[href='../../incidents/boni/'] circle.bw-point"),
            1
        );
        assert_eq!(count(&html, "circle.bw-point-approx"), 0);
        let caption = text_of(&html, "figcaption");
        assert!(
            caption.starts_with("Location: ") && !caption.contains('('),
            "{caption}"
        );

        i.location.precision = PlacePrecision::Near;
        let html = locator(&i, "../../");
        assert_eq!(count(&html, "circle.bw-point-approx"), 1);
        assert!(
            text_of(&html, "figcaption")
                .ends_with("(the ring marks the place named, not the spot)."),
            "{html}"
        );

        i.location.precision = PlacePrecision::Region;
        let caption = text_of(&locator(&i, ""), "figcaption");
        assert!(
            caption.ends_with(
                "(the dashed circle is not the region's outline; the exact place is not known)."
            ),
            "{caption}"
        );

        i.location.precision = PlacePrecision::Country;
        let caption = text_of(&locator(&i, ""), "figcaption");
        assert!(
            caption.ends_with("(the whole country is hatched; the place is not known)."),
            "{caption}"
        );

        // An exact place without coordinates has nothing to show: no figure at all.
        i.location.precision = PlacePrecision::Exact;
        i.location.coords = None;
        assert_eq!(locator(&i, ""), "");
    }

    #[test]
    fn a_lineage_links_the_family_and_marks_the_page_group_and_the_merged_one() {
        let mut s = site(vec![]);
        let alone = Index::build(&s);
        // No relation: no diagram and no empty figure.
        assert_eq!(lineage(&s, &alone, 2, "../../"), "");
        assert_eq!(lineage_overview(&s, &alone, "../"), "");

        s.groups[0].merged_into = Some("jnim".into());
        s.groups[0].status = Some(crate::content::Status::Merged);
        let index = Index::build(&s);
        let jnim = s.groups.iter().position(|g| g.id == "jnim").unwrap();
        let html = lineage(&s, &index, jnim, "../../");
        assert_eq!(
            text_of(&html, "svg > title"),
            "Lineage and relationships of JNIM"
        );
        // Both groups link to their pages; only the page's own group is marked current.
        assert_eq!(
            count(&html, "a[href='../../groups/jnim/'][aria-current='page']"),
            1
        );
        assert_eq!(count(&html, "a[href='../../groups/ansar-dine/']"), 1);
        assert_eq!(count(&html, "a[aria-current]"), 1);
        // The merged group is drawn as no longer active, and the legend says so.
        assert_eq!(
            count(&html, "a.bw-defunct[href='../../groups/ansar-dine/']"),
            1
        );
        assert!(
            text_of(&html, ".bw-lineage-legend").contains("inactive"),
            "{html}"
        );
        // The relation reads as a sentence, for those who cannot see the arrow.
        assert_eq!(
            text_of(&html, ".bw-edge > title"),
            "Ansar Dine merged into JNIM."
        );
        // ISGS is not of the family.
        assert_eq!(count(&html, "a[href='../../groups/isgs/']"), 0);

        // The overview shows every group, the unrelated one too, and marks none as current.
        let all = lineage_overview(&s, &index, "../");
        assert_eq!(count(&all, "a.bw-lineage-node"), s.groups.len());
        assert_eq!(count(&all, "a[aria-current]"), 0);
    }

    #[test]
    fn the_timeline_counts_neither_repeats_nor_incidents_after_the_cutoff() {
        let mut s = site(vec![
            incident("a", "2016-03-01", &["jnim"], exact(2)),
            incident("b", "2017-01-10", &["jnim"], exact(9)),
            incident("c", "2017-02-10", &["jnim"], exact(1)),
            incident("d", "2017-09-10", &["isgs"], exact(30)),
        ]);
        s.incidents[2].same_event_as = Some("b".into());
        let index = Index::build(&s);
        let all = timeline(&s, &index, "../", None);
        let cutoff = date("2017-06-30");
        let cut = timeline(&s, &index, "../", Some(&cutoff));
        // 2017 loses the repeat in both, and the September incident after the cutoff.
        let counted = |html: &str, y: i32| {
            text_of(
                html,
                &format!("a[href='../chronology/{y}/'] .bw-timeline-count"),
            )
        };
        assert_eq!(counted(&all, 2016), "1 incident");
        assert_eq!(counted(&all, 2017), "2 incidents");
        assert_eq!(counted(&cut, 2017), "1 incident");
        // The deadliest counted incidents of a year are named; none after the cutoff.
        let named = |html: &str, id: &str| {
            count(
                html,
                &format!(".bw-timeline-events a[href='../incidents/{id}/']"),
            )
        };
        assert_eq!(
            (named(&all, "d"), named(&all, "b"), named(&all, "c")),
            (1, 1, 0)
        );
        assert_eq!((named(&cut, "d"), named(&cut, "b")), (0, 1));
    }
}
