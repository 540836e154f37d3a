//! Incident maps: country borders from embedded Natural Earth data, points
//! sized by the number killed and coloured by series (group).
//!
//! A mark never claims more precision than the record has (issue 10): a filled
//! disc is an exact place, a hollow ring a place near the point, a large dashed
//! circle somewhere in a region, and a hatched country somewhere in that country
//! (no pin at all). The legend names every kind shown, and the description says
//! how many of each there are.
//!
//! Projection: equirectangular with the x axis scaled by cos(latitude) of
//! the map centre. Over the small windows used here (a country or region in
//! Africa and its neighbours) the distortion is negligible and the maths
//! stays trivially invertible and deterministic.

use super::{PALETTE, PathData, content_id, group_thousands, n1, open_svg, text_width};
use crate::text::escape;
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

/// One incident to mark on a map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPoint {
    /// Latitude in degrees (WGS84).
    pub lat: f64,
    /// Longitude in degrees (WGS84).
    pub lon: f64,
    /// People killed; sets the mark's area (`None` draws the smallest mark).
    pub killed: Option<u32>,
    /// Tooltip and accessible name, e.g. "18 June 2017 — Kangaba".
    pub label: String,
    /// Link target of the mark.
    pub url: String,
    /// Group name used for the colour and legend (`None` = not attributed).
    pub series: Option<String>,
    /// How precisely the place is known, which decides how it is drawn.
    pub mark: Mark,
}

/// How precisely a map point is known.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// A filled disc at the coordinates.
    Exact,
    /// A hollow ring: near the coordinates.
    Near,
    /// A large dashed circle of `km` radius around the coordinates: somewhere in a region.
    Region {
        /// Radius in kilometres.
        km: f64,
    },
    /// The country (ISO 3166-1 alpha-2) hatched, with no pin: somewhere in the country.
    /// The point's coordinates only place the map; the country's outline is drawn.
    Country {
        /// Country code.
        code: String,
    },
}

impl Mark {
    fn rank(&self) -> usize {
        match self {
            Mark::Exact => 0,
            Mark::Near => 1,
            Mark::Region { .. } => 2,
            Mark::Country { .. } => 3,
        }
    }
}

/// The label point (lat, lon) of a country on the embedded map, to place a point that is
/// only known to be somewhere in it.
pub fn country_centre(code: &str) -> Option<(f64, f64)> {
    find_country(code).map(|c| (c.label.1, c.label.0))
}

fn find_country(code: &str) -> Option<&'static Country> {
    countries()
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(code))
}

/// Title, size and kind of a map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapOptions {
    /// Accessible name (SVG `<title>`).
    pub title: String,
    /// Longer description (SVG `<desc>`); generated from the points if empty.
    pub desc: String,
    /// Single-incident locator: ~6° window, overview inset, no legend.
    pub locator: bool,
    /// Width of the SVG in px (also the viewBox width), clamped to 120..=4000.
    pub width: u32,
    /// Height of the SVG in px (also the viewBox height), clamped to 90..=4000.
    pub height: u32,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            title: String::new(),
            desc: String::new(),
            locator: false,
            width: 720,
            height: 480,
        }
    }
}

// ---------------------------------------------------------------- data

/// Natural Earth 1:50m admin-0 borders for Africa and neighbours, prepared
/// by prepare_borders.mjs (see README.md beside it).
const BORDERS_JSON: &str = include_str!("borders.json");

#[derive(Deserialize)]
struct RawData {
    countries: Vec<RawCountry>,
}

#[derive(Deserialize)]
struct RawCountry {
    a: String,
    n: String,
    l: [f64; 2],
    p: Vec<Vec<Vec<f64>>>,
}

type Ring = Vec<(f64, f64)>;

struct Country {
    code: String,
    name: String,
    /// Label point (lon, lat): the interior point farthest from the edges.
    label: (f64, f64),
    /// Polygons, each an outer ring followed by holes, as (lon, lat).
    polys: Vec<Vec<Ring>>,
    /// (west, south, east, north) for quick rejection.
    bbox: (f64, f64, f64, f64),
}

/// (west, south, east, north) covered by the border data.
fn data_box() -> (f64, f64, f64, f64) {
    static BOX: OnceLock<(f64, f64, f64, f64)> = OnceLock::new();
    *BOX.get_or_init(|| {
        let mut b = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for c in countries() {
            b = (
                b.0.min(c.bbox.0),
                b.1.min(c.bbox.1),
                b.2.max(c.bbox.2),
                b.3.max(c.bbox.3),
            );
        }
        if b.0 > b.2 {
            (-180.0, -90.0, 180.0, 90.0)
        } else {
            b
        }
    })
}

fn countries() -> &'static [Country] {
    static DATA: OnceLock<Vec<Country>> = OnceLock::new();
    DATA.get_or_init(|| {
        // The data is embedded and covered by tests; a parse failure would
        // only drop the background, never the points, so do not panic.
        let raw: RawData =
            serde_json::from_str(BORDERS_JSON).unwrap_or(RawData { countries: vec![] });
        raw.countries
            .into_iter()
            .map(|c| {
                let polys: Vec<Vec<Ring>> =
                    c.p.into_iter()
                        .map(|poly| {
                            poly.into_iter()
                                .map(|flat| flat.chunks_exact(2).map(|xy| (xy[0], xy[1])).collect())
                                .collect()
                        })
                        .collect();
                let mut bbox = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
                for &(x, y) in polys.iter().flatten().flatten() {
                    bbox = (bbox.0.min(x), bbox.1.min(y), bbox.2.max(x), bbox.3.max(y));
                }
                Country {
                    code: c.a,
                    name: c.n,
                    label: (c.l[0], c.l[1]),
                    polys,
                    bbox,
                }
            })
            .collect()
    })
}

// ---------------------------------------------------------------- geometry

#[derive(Clone, Copy, Debug)]
struct View {
    lon_c: f64,
    lat_c: f64,
    kx: f64,
    /// Pixels per degree of latitude.
    scale: f64,
    w: f64,
    h: f64,
}

impl View {
    /// Fits the geographic box (with a minimum span in degrees and a
    /// fractional padding) into `w`×`h` px, keeping `margin` px free on
    /// every side so that marks of that radius stay fully visible.
    fn fit(
        bbox: (f64, f64, f64, f64),
        min_span: f64,
        pad: f64,
        w: f64,
        h: f64,
        margin: f64,
    ) -> View {
        let (lon0, lat0, lon1, lat1) = bbox;
        let lat_c = ((lat0 + lat1) / 2.0).clamp(-80.0, 80.0);
        let lon_c = (lon0 + lon1) / 2.0;
        let kx = lat_c.to_radians().cos();
        let sx = ((lon1 - lon0) * kx).max(min_span) * (1.0 + 2.0 * pad);
        let sy = (lat1 - lat0).max(min_span) * (1.0 + 2.0 * pad);
        let aw = (w - 2.0 * margin).max(w * 0.2);
        let ah = (h - 2.0 * margin).max(h * 0.2);
        let mut scale = (aw / sx).min(ah / sy);
        if !scale.is_finite() || scale <= 0.0 {
            scale = 1.0;
        }
        View {
            lon_c,
            lat_c,
            kx,
            scale,
            w,
            h,
        }
    }

    fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            self.w / 2.0 + (lon - self.lon_c) * self.kx * self.scale,
            self.h / 2.0 - (lat - self.lat_c) * self.scale,
        )
    }

    /// Geographic (west, south, east, north) of the pixel box grown by `m` px.
    fn geo_bounds(&self, m: f64) -> (f64, f64, f64, f64) {
        let dx = (self.w / 2.0 + m) / (self.kx * self.scale);
        let dy = (self.h / 2.0 + m) / self.scale;
        (
            self.lon_c - dx,
            self.lat_c - dy,
            self.lon_c + dx,
            self.lat_c + dy,
        )
    }

    /// Shifts the view (never zooms) so that it does not reach past the
    /// edge of the border data, where the map would show a false straight
    /// coast. With `keep`, the points' box must stay `margin` px inside.
    fn keep_inside_data(&mut self, keep: Option<((f64, f64, f64, f64), f64)>) {
        let (dw, ds, de, dn) = data_box();
        let g = self.geo_bounds(0.0);
        let deg_x = 1.0 / (self.kx * self.scale);
        let deg_y = 1.0 / self.scale;
        // Allowed shift interval for the data box, then for the points.
        let shift =
            |lo: f64, hi: f64, data_lo: f64, data_hi: f64, pts: Option<(f64, f64, f64)>| -> f64 {
                let (mut a, mut b) = (data_lo - lo, data_hi - hi);
                // View larger than the data: nothing to gain. (NaN-safe:
                // `clamp` below must never see an empty or NaN interval.)
                if a.is_nan() || b.is_nan() || a > b {
                    return 0.0;
                }
                if let Some((p_lo, p_hi, m)) = pts {
                    a = a.max(p_hi + m - hi);
                    b = b.min(p_lo - m - lo);
                }
                if a.is_nan() || b.is_nan() || a > b {
                    0.0
                } else {
                    0.0f64.clamp(a, b)
                }
            };
        let px = keep.map(|(b, m)| (b.0, b.2, m * deg_x));
        let py = keep.map(|(b, m)| (b.1, b.3, m * deg_y));
        self.lon_c += shift(g.0, g.2, dw, de, px);
        self.lat_c += shift(g.1, g.3, ds, dn, py);
    }

    /// Kilometres per pixel (same along both axes in this projection).
    fn km_per_px(&self) -> f64 {
        111.32 / self.scale
    }
}

fn boxes_overlap(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 <= b.2 && b.0 <= a.2 && a.1 <= b.3 && b.1 <= a.3
}

fn seg_dist(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    ((p.0 - a.0 - t * dx).powi(2) + (p.1 - a.1 - t * dy).powi(2)).sqrt()
}

/// Douglas-Peucker on a closed ring, tolerance in the ring's units. Drops
/// detail that would be finer than the output's resolution anyway.
fn simplify_ring(ring: &[(f64, f64)], tol: f64) -> Ring {
    let n = ring.len();
    if n < 4 || tol <= 0.0 {
        return ring.to_vec();
    }
    let mut pts = ring.to_vec();
    pts.push(ring[0]);
    let mut keep = vec![false; pts.len()];
    keep[0] = true;
    keep[n] = true;
    // A closed ring's endpoints coincide; split it at its farthest point so
    // each half is a proper polyline.
    let far = (1..n)
        .max_by(|&i, &j| {
            let di = (pts[i].0 - pts[0].0).hypot(pts[i].1 - pts[0].1);
            let dj = (pts[j].0 - pts[0].0).hypot(pts[j].1 - pts[0].1);
            di.total_cmp(&dj).then(j.cmp(&i))
        })
        .unwrap_or(1);
    keep[far] = true;
    let mut stack = vec![(0, far), (far, n)];
    while let Some((i, j)) = stack.pop() {
        let mut best = 0;
        let mut best_d = tol;
        for k in i + 1..j {
            let d = seg_dist(pts[k], pts[i], pts[j]);
            if d > best_d {
                best_d = d;
                best = k;
            }
        }
        if best > 0 {
            keep[best] = true;
            stack.push((i, best));
            stack.push((best, j));
        }
    }
    pts.pop();
    pts.into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(p, _)| p)
        .collect()
}

/// Sutherland-Hodgman clip of a ring to an axis-aligned box (x0, y0, x1, y1).
/// Concave rings may gain zero-width edges along the box border; they lie
/// outside the visible area because the box is larger than the viewBox.
fn clip_ring(ring: &[(f64, f64)], b: (f64, f64, f64, f64)) -> Ring {
    let mut out: Ring = ring.to_vec();
    for edge in 0..4 {
        if out.is_empty() {
            break;
        }
        let inside = |p: (f64, f64)| match edge {
            0 => p.0 >= b.0,
            1 => p.0 <= b.2,
            2 => p.1 >= b.1,
            _ => p.1 <= b.3,
        };
        let cross = |a: (f64, f64), c: (f64, f64)| {
            let (axis_v, t) = match edge {
                0 => (b.0, (b.0 - a.0) / (c.0 - a.0)),
                1 => (b.2, (b.2 - a.0) / (c.0 - a.0)),
                2 => (b.1, (b.1 - a.1) / (c.1 - a.1)),
                _ => (b.3, (b.3 - a.1) / (c.1 - a.1)),
            };
            if edge < 2 {
                (axis_v, a.1 + t * (c.1 - a.1))
            } else {
                (a.0 + t * (c.0 - a.0), axis_v)
            }
        };
        let src = std::mem::take(&mut out);
        for k in 0..src.len() {
            let cur = src[k];
            let prev = src[(k + src.len() - 1) % src.len()];
            if inside(cur) {
                if !inside(prev) {
                    out.push(cross(prev, cur));
                }
                out.push(cur);
            } else if inside(prev) {
                out.push(cross(prev, cur));
            }
        }
    }
    out
}

fn ring_area(r: &[(f64, f64)]) -> f64 {
    let mut s = 0.0;
    for k in 0..r.len() {
        let (a, b) = (r[k], r[(k + 1) % r.len()]);
        s += a.0 * b.1 - b.0 * a.1;
    }
    s / 2.0
}

/// Even-odd point-in-polygon over a set of rings (outer rings and holes).
fn inside_rings(p: (f64, f64), rings: &[Ring]) -> bool {
    let mut inside = false;
    for r in rings {
        let n = r.len();
        let mut j = n.wrapping_sub(1);
        for i in 0..n {
            let (a, b) = (r[i], r[j]);
            if (a.1 > p.1) != (b.1 > p.1) && p.0 < (b.0 - a.0) * (p.1 - a.1) / (b.1 - a.1) + a.0 {
                inside = !inside;
            }
            j = i;
        }
    }
    inside
}

fn country_contains(c: &Country, lon: f64, lat: f64) -> bool {
    if lon < c.bbox.0 || lon > c.bbox.2 || lat < c.bbox.1 || lat > c.bbox.3 {
        return false;
    }
    c.polys.iter().any(|poly| inside_rings((lon, lat), poly))
}

/// A country projected and clipped to one view, in px.
struct Clipped<'a> {
    country: &'a Country,
    rings: Vec<Ring>,
    area: f64,
    /// The most interior grid point of the clipped shape, computed once with the shape.
    interior: Option<(f64, f64)>,
}

/// Projects, simplifies (tolerance `tol` px) and clips every country that
/// touches the view; countries outside it are skipped entirely, which is
/// what keeps a single map small.
fn clip_countries(view: &View, tol: f64, margin: f64) -> Arc<Vec<Clipped<'static>>> {
    // Locator maps snap their centre to a grid (see `map_svg`), so thousands of incident
    // pages share a few hundred views; the clipped land is a pure function of the view,
    // so it is computed once per view and shared. Output bytes are unchanged by the cache.
    type Key = [u64; 7];
    static CACHE: OnceLock<Mutex<HashMap<Key, Arc<Vec<Clipped<'static>>>>>> = OnceLock::new();
    let key: Key = [
        view.lon_c.to_bits(),
        view.lat_c.to_bits(),
        view.scale.to_bits(),
        view.w.to_bits(),
        view.h.to_bits(),
        tol.to_bits(),
        margin.to_bits(),
    ];
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return hit;
    }
    let computed = Arc::new(clip_countries_uncached(view, tol, margin));
    if let Ok(mut c) = cache.lock() {
        // Bound the memory an unusual site (many distinct overview maps) can take.
        if c.len() > 4096 {
            c.clear();
        }
        c.insert(key, Arc::clone(&computed));
    }
    computed
}

fn clip_countries_uncached(view: &View, tol: f64, margin: f64) -> Vec<Clipped<'static>> {
    let gb = view.geo_bounds(margin);
    let pbox = (-margin, -margin, view.w + margin, view.h + margin);
    let mut out = Vec::new();
    for c in countries() {
        if !boxes_overlap(c.bbox, gb) {
            continue;
        }
        let mut rings = Vec::new();
        for poly in &c.polys {
            for ring in poly {
                let projected: Ring = ring
                    .iter()
                    .map(|&(lon, lat)| view.project(lon, lat))
                    .collect();
                let clipped = clip_ring(&simplify_ring(&projected, tol), pbox);
                if clipped.len() >= 3 && ring_area(&clipped).abs() >= 0.5 {
                    rings.push(clipped);
                }
            }
        }
        if rings.is_empty() {
            continue;
        }
        let area = rings.iter().map(|r| ring_area(r).abs()).fold(0.0, f64::max);
        let interior = interior_point(&rings);
        out.push(Clipped {
            country: c,
            rings,
            area,
            interior,
        });
    }
    out
}

// ---------------------------------------------------------------- styling

const SEA: &str = "#e3edf4";
const LAND: &str = "#f5f2ea";
const LAND_FOCUS: &str = "#ebe3cf";
const BORDER: &str = "#8f8f8f";
const LABEL_FONT: f64 = 11.0;

/// Mark radius in px: area grows with the number killed (sqrt scale) and is
/// capped so one massacre cannot hide a whole region.
fn radius(killed: Option<u32>) -> f64 {
    match killed {
        None | Some(0) => 3.5,
        Some(k) => (3.5 + 1.5 * f64::from(k).sqrt()).min(16.0),
    }
}

fn valid(p: &MapPoint) -> bool {
    p.lat.is_finite()
        && p.lon.is_finite()
        && (-90.0..=90.0).contains(&p.lat)
        && (-180.0..=180.0).contains(&p.lon)
}

/// Colour per point plus the legend entries, in order of first appearance.
/// Seven named series get their own colour; further series and points
/// without a series share black, so the legend stays short and honest.
fn assign_colours(points: &[&MapPoint]) -> (Vec<&'static str>, Vec<(String, &'static str)>) {
    let mut names: Vec<&str> = Vec::new();
    for p in points {
        if let Some(s) = p.series.as_deref()
            && !names.contains(&s)
        {
            names.push(s);
        }
    }
    let named = names.len().min(7);
    let overflow = names.len() > 7;
    let unattributed = points.iter().any(|p| p.series.is_none());
    let colours = points
        .iter()
        .map(|p| match p.series.as_deref() {
            Some(s) => names
                .iter()
                .position(|n| *n == s)
                .filter(|&i| i < 7)
                .map_or(PALETTE[7], |i| PALETTE[i]),
            // With no series at all, use the first colour, not black.
            None if names.is_empty() => PALETTE[0],
            None => PALETTE[7],
        })
        .collect();
    let mut legend: Vec<(String, &'static str)> = names
        .iter()
        .take(named)
        .enumerate()
        .map(|(i, n)| (n.to_string(), PALETTE[i]))
        .collect();
    if !names.is_empty() {
        let other = match (overflow, unattributed) {
            (true, true) => Some("Other or not attributed"),
            (true, false) => Some("Other groups"),
            (false, true) => Some("Not attributed"),
            (false, false) => None,
        };
        if let Some(o) = other {
            legend.push((o.to_string(), PALETTE[7]));
        }
    }
    (colours, legend)
}

/// A "nice" number (1, 2 or 5 × 10^k) not above `v`.
fn nice_floor(v: f64) -> f64 {
    if v.is_nan() || v <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * p)
        .find(|&c| c <= v)
        .unwrap_or(p)
}

// ---------------------------------------------------------------- rendering

/// Renders an incident map as an inline `<svg>`; returns an empty string when
/// no point has usable coordinates (there is nothing to centre a map on).
pub fn map_svg(points: &[MapPoint], opts: &MapOptions) -> String {
    let pts: Vec<&MapPoint> = points.iter().filter(|p| valid(p)).collect();
    if pts.is_empty() {
        return String::new();
    }
    let w = f64::from(opts.width.clamp(120, 4000));
    let h = f64::from(opts.height.clamp(90, 4000));
    let radii: Vec<f64> = pts.iter().map(|p| radius(p.killed)).collect();
    let bbox = extent(&pts);
    let view = projection(&pts, &radii, bbox, opts, (w, h));
    let counts = holding_countries(&pts);
    let is_focus = |c: &Country| counts.iter().any(|(_, k)| std::ptr::eq(*k, c));
    let id = map_id(&pts, opts);
    let desc = if opts.desc.is_empty() {
        let mut d = auto_desc(pts.len(), &counts);
        d.push_str(&precision_desc(&pts));
        d
    } else {
        opts.desc.clone()
    };
    let title = if opts.title.is_empty() {
        "Map"
    } else {
        opts.title.as_str()
    };

    let mut out = String::with_capacity(16 * 1024);
    open_svg(&mut out, "bw-map", &id, (w, h), "group", title, &desc);
    let _ = write!(
        out,
        "<rect class=\"bw-map-sea\" width=\"{}\" height=\"{}\" fill=\"{SEA}\"/>",
        n1(w),
        n1(h)
    );
    let clipped = clip_countries(&view, 0.4, 4.0);
    write_land(&mut out, &clipped[..], &is_focus, 0.6);
    let (colours, legend) = assign_colours(&pts);
    let mut overlays = Overlays::write(&pts, &legend, &view, &bbox, opts.locator);
    // Names must not hide under marks either (areas are see-through: names may sit on them).
    for (p, r) in pts.iter().zip(&radii) {
        if matches!(p.mark, Mark::Exact | Mark::Near) {
            let (x, y) = view.project(p.lon, p.lat);
            overlays.reserved.push((x - r, y - r, x + r, y + r));
        }
    }
    write_country_labels(&mut out, &clipped[..], &is_focus, &view, &overlays.reserved);
    write_areas(&mut out, &pts, &colours, &view, &clipped[..], &id);
    write_points(&mut out, &pts, &radii, &colours, &view);
    out.push_str(&overlays.inset);
    out.push_str(&overlays.legend);
    let _ = write!(
        out,
        "<rect class=\"bw-map-frame\" x=\".5\" y=\".5\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#999\"/></svg>",
        n1(w - 1.0),
        n1(h - 1.0)
    );
    out
}

/// The (west, south, east, north) box of the points; areas are shown whole, so it takes in
/// their extent, not just their centre.
fn extent(pts: &[&MapPoint]) -> (f64, f64, f64, f64) {
    let mut bbox = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in pts {
        let (w, s, e, n) = match &p.mark {
            Mark::Region { km } => {
                let dlat = km.clamp(0.0, 2000.0) / 111.32;
                let dlon = dlat / p.lat.to_radians().cos().max(0.2);
                (p.lon - dlon, p.lat - dlat, p.lon + dlon, p.lat + dlat)
            }
            Mark::Country { code } => match find_country(code) {
                Some(c) => c.bbox,
                None => (p.lon, p.lat, p.lon, p.lat),
            },
            _ => (p.lon, p.lat, p.lon, p.lat),
        };
        bbox = (bbox.0.min(w), bbox.1.min(s), bbox.2.max(e), bbox.3.max(n));
    }
    bbox
}

/// The view of a map `size` pixels large that shows `bbox` with room for the largest mark.
fn projection(
    pts: &[&MapPoint],
    radii: &[f64],
    bbox: (f64, f64, f64, f64),
    opts: &MapOptions,
    size: (f64, f64),
) -> View {
    let max_r = radii.iter().copied().fold(0.0, f64::max);
    let margin = max_r + if opts.locator { 4.0 } else { 6.0 };
    let mut view = View::fit(
        bbox,
        6.0,
        if opts.locator { 0.0 } else { 0.08 },
        size.0,
        size.1,
        margin,
    );
    view.keep_inside_data(Some((bbox, margin)));
    if opts.locator && pts.len() == 1 {
        // A whole-degree centre keeps the point well inside its 6° window and lets
        // neighbouring incidents share one computed background (see `clip_countries`).
        view.lon_c = view.lon_c.round();
        view.lat_c = view.lat_c.round();
        view.kx = view.lat_c.to_radians().cos();
    }
    view
}

/// The countries that hold the points, with how many each holds, in order of first point:
/// they are shaded, labelled first and named in the description.
fn holding_countries(pts: &[&MapPoint]) -> Vec<(usize, &'static Country)> {
    let mut counts: Vec<(usize, &'static Country)> = Vec::new();
    for p in pts {
        let holder = match &p.mark {
            Mark::Country { code } => find_country(code),
            _ => countries()
                .iter()
                .find(|c| country_contains(c, p.lon, p.lat)),
        };
        if let Some(c) = holder {
            match counts.iter_mut().find(|(_, k)| std::ptr::eq(*k, c)) {
                Some(e) => e.0 += 1,
                None => counts.push((1, c)),
            }
        }
    }
    counts
}

/// The SVG's id, from everything drawn, so that two maps on a page never share one.
fn map_id(pts: &[&MapPoint], opts: &MapOptions) -> String {
    let mut id_parts: Vec<String> = vec![
        opts.title.clone(),
        opts.desc.clone(),
        opts.locator.to_string(),
    ];
    for p in pts {
        id_parts.push(format!(
            "{}|{}|{:?}|{}|{}|{:?}|{:?}",
            p.lat, p.lon, p.killed, p.label, p.url, p.series, p.mark
        ));
    }
    let id_refs: Vec<&str> = id_parts.iter().map(String::as_str).collect();
    content_id("bw-map", &id_refs)
}

/// What is drawn over the map last (legend, scale bar, locator inset) and the boxes it
/// covers, where country names must not go.
struct Overlays {
    /// The legend and the scale bar.
    legend: String,
    /// The locator's overview inset.
    inset: String,
    /// The boxes the overlays (and then the marks) cover.
    reserved: Vec<(f64, f64, f64, f64)>,
}

impl Overlays {
    /// The legend of `series` and of the kinds of mark, the inset and the scale bar.
    fn write(
        pts: &[&MapPoint],
        series: &[(String, &str)],
        view: &View,
        bbox: &(f64, f64, f64, f64),
        locator: bool,
    ) -> Overlays {
        let mut legend = String::new();
        let mut reserved: Vec<(f64, f64, f64, f64)> = Vec::new();
        let mut kinds = [false; 4];
        for p in pts {
            kinds[p.mark.rank()] = true;
        }
        // A locator has one incident and no series: its legend only explains an inexact mark.
        if !locator || kinds[1..].iter().any(|k| *k) {
            let max_killed = if locator {
                0
            } else {
                pts.iter().filter_map(|p| p.killed).max().unwrap_or(0)
            };
            let series: &[(String, &str)] = if locator { &[] } else { series };
            if let Some(rect) =
                write_legend(&mut legend, series, kinds, max_killed, pts, view, locator)
            {
                reserved.push(rect);
            }
        }
        let mut inset = String::new();
        if locator && let Some(rect) = write_inset(&mut inset, view, bbox) {
            reserved.push(rect);
        }
        reserved.push(write_scale_bar(&mut legend, view));
        Overlays {
            legend,
            inset,
            reserved,
        }
    }
}

/// The exact and near marks, each a link: largest first so small marks stay on top and
/// clickable.
fn write_points(out: &mut String, pts: &[&MapPoint], radii: &[f64], colours: &[&str], view: &View) {
    let mut order: Vec<usize> = (0..pts.len()).collect();
    order.sort_by(|&a, &b| radii[b].total_cmp(&radii[a]).then(a.cmp(&b)));
    // Shared presentation on the group keeps each mark short.
    out.push_str(
        "<g class=\"bw-points\" fill-opacity=\".8\" stroke=\"#1a1a1a\" stroke-width=\".8\">",
    );
    for i in order {
        let p = pts[i];
        if !matches!(p.mark, Mark::Exact | Mark::Near) {
            continue;
        }
        let (x, y) = view.project(p.lon, p.lat);
        let _ = write!(
            out,
            "<a href=\"{}\"><title>{}</title>",
            escape(&p.url),
            escape(&p.label)
        );
        if p.mark == Mark::Exact {
            let _ = write!(
                out,
                "<circle class=\"bw-point\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"/>",
                n1(x),
                n1(y),
                n1(radii[i]),
                colours[i]
            );
        } else {
            // Hollow: a thick coloured ring over a faint white disc, so the
            // mark stays clickable and reads as "approximate" in greyscale.
            let _ = write!(
                out,
                "<circle class=\"bw-point bw-point-approx\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"#fff\" fill-opacity=\".5\" stroke=\"{}\" stroke-width=\"2\"/>",
                n1(x),
                n1(y),
                n1((radii[i] - 1.0).max(2.5)),
                colours[i]
            );
        }
        out.push_str("</a>");
    }
    out.push_str("</g>");
}

/// Draws the marks that are areas, under the points: dashed circles for regions, then
/// hatched countries (each hatched in its series colour).
fn write_areas(
    out: &mut String,
    pts: &[&MapPoint],
    colours: &[&str],
    view: &View,
    clipped: &[Clipped<'_>],
    id: &str,
) {
    let mut body = String::new();
    let mut patterns: Vec<&str> = Vec::new();
    // Countries first (largest), so a region's circle stays visible on top.
    let mut order: Vec<usize> = (0..pts.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(pts[i].mark.rank()), i));
    for i in order {
        let p = pts[i];
        match &p.mark {
            Mark::Region { km } => {
                let (x, y) = view.project(p.lon, p.lat);
                let r = (km / view.km_per_px()).clamp(6.0, view.w.max(view.h));
                let _ = write!(
                    body,
                    "<a href=\"{}\"><title>{}</title><circle class=\"bw-area bw-area-region\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{c}\" fill-opacity=\".12\" stroke=\"{c}\" stroke-width=\"1.6\" stroke-dasharray=\"6 4\"/></a>",
                    escape(&p.url),
                    escape(&p.label),
                    n1(x),
                    n1(y),
                    n1(r),
                    c = colours[i]
                );
            }
            Mark::Country { code } => {
                let Some(shape) = clipped
                    .iter()
                    .find(|c| c.country.code.eq_ignore_ascii_case(code))
                else {
                    continue;
                };
                let mut d = PathData::default();
                for r in &shape.rings {
                    d.ring(r);
                }
                if d.is_empty() {
                    continue;
                }
                let k = match patterns.iter().position(|c| *c == colours[i]) {
                    Some(k) => k,
                    None => {
                        patterns.push(colours[i]);
                        patterns.len() - 1
                    }
                };
                let _ = write!(
                    body,
                    "<a href=\"{}\"><title>{}</title><path class=\"bw-area bw-area-country\" d=\"{}\" fill=\"url(#{id}-h{k})\" stroke=\"{c}\" stroke-width=\"1.6\" stroke-dasharray=\"2 3\" fill-rule=\"evenodd\"/></a>",
                    escape(&p.url),
                    escape(&p.label),
                    d.finish(),
                    c = colours[i]
                );
            }
            Mark::Exact | Mark::Near => {}
        }
    }
    if body.is_empty() {
        return;
    }
    out.push_str("<defs>");
    for (k, c) in patterns.iter().enumerate() {
        let _ = write!(
            out,
            "<pattern id=\"{id}-h{k}\" width=\"7\" height=\"7\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><path d=\"M0 0V7\" stroke=\"{c}\" stroke-width=\"2\" stroke-opacity=\".55\"/></pattern>"
        );
    }
    let _ = write!(out, "</defs><g class=\"bw-areas\">{body}</g>");
}

/// "; 2 near the point shown, 1 somewhere in a region (dashed circle)": how precise the
/// places are, for the description; empty when every place is exact.
fn precision_desc(pts: &[&MapPoint]) -> String {
    let mut n = [0usize; 4];
    for p in pts {
        n[p.mark.rank()] += 1;
    }
    if n[1..].iter().all(|k| *k == 0) {
        return String::new();
    }
    let mut parts = vec![format!("{} at an exact place (filled disc)", n[0])];
    if n[1] > 0 {
        parts.push(format!("{} near the place marked (hollow ring)", n[1]));
    }
    if n[2] > 0 {
        parts.push(format!("{} somewhere in a region (dashed circle)", n[2]));
    }
    if n[3] > 0 {
        parts.push(format!(
            "{} somewhere in a country (country hatched, no point)",
            n[3]
        ));
    }
    if n[0] == 0 {
        parts.remove(0);
    }
    format!(" Of these: {}.", parts.join(", "))
}

fn auto_desc(n: usize, counts: &[(usize, &Country)]) -> String {
    let mut sorted: Vec<&(usize, &Country)> = counts.iter().collect();
    sorted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.name.cmp(&b.1.name)));
    let names: Vec<&str> = sorted
        .iter()
        .take(5)
        .map(|(_, c)| c.name.as_str())
        .collect();
    let noun = if n == 1 { "incident" } else { "incidents" };
    match names.len() {
        0 => format!("Map of {n} {noun}."),
        1 => format!("Map of {n} {noun} in {}.", names[0]),
        k => {
            let more = if sorted.len() > 5 {
                " and other countries"
            } else {
                ""
            };
            format!(
                "Map of {n} {noun} in {} and {}{more}.",
                names[..k - 1].join(", "),
                names[k - 1]
            )
        }
    }
}

fn write_land(
    out: &mut String,
    clipped: &[Clipped<'_>],
    is_focus: &dyn Fn(&Country) -> bool,
    stroke_w: f64,
) {
    let _ = write!(
        out,
        "<g class=\"bw-map-land\" fill=\"{LAND}\" stroke=\"{BORDER}\" stroke-width=\"{}\" stroke-linejoin=\"round\" fill-rule=\"evenodd\">",
        n1(stroke_w)
    );
    for c in clipped {
        let mut d = PathData::default();
        for r in &c.rings {
            d.ring(r);
        }
        if d.is_empty() {
            continue;
        }
        if is_focus(c.country) {
            let _ = write!(
                out,
                "<path class=\"bw-map-focus\" fill=\"{LAND_FOCUS}\" d=\"{}\"/>",
                d.finish()
            );
        } else {
            let _ = write!(out, "<path d=\"{}\"/>", d.finish());
        }
    }
    out.push_str("</g>");
}

/// Places country names where they fit: at the stored label point when it is
/// in view, otherwise at the clipped shape's most interior grid point; names
/// that would collide with another name or the legend are skipped.
fn write_country_labels(
    out: &mut String,
    clipped: &[Clipped<'_>],
    is_focus: &dyn Fn(&Country) -> bool,
    view: &View,
    reserved: &[(f64, f64, f64, f64)],
) {
    let mut order: Vec<&Clipped<'_>> = clipped.iter().collect();
    order.sort_by(|a, b| {
        is_focus(b.country)
            .cmp(&is_focus(a.country))
            .then(b.area.total_cmp(&a.area))
            .then(a.country.code.cmp(&b.country.code))
    });
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    let mut texts = String::new();
    for c in order {
        let tw = text_width(&c.country.name, LABEL_FONT) * 0.9;
        let th = LABEL_FONT;
        let fits = |p: (f64, f64)| {
            let r = (
                p.0 - tw / 2.0,
                p.1 - th / 2.0,
                p.0 + tw / 2.0,
                p.1 + th / 2.0,
            );
            r.0 >= 3.0
                && r.1 >= 3.0
                && r.2 <= view.w - 3.0
                && r.3 <= view.h - 3.0
                && [(r.0, p.1), (r.2, p.1), (p.0, r.1), (p.0, r.3), p]
                    .iter()
                    .all(|&q| inside_rings(q, &c.rings))
        };
        let stored = view.project(c.country.label.0, c.country.label.1);
        // Candidates: the stored label point, the clipped shape's interior
        // point, then each nudged up or down to clear marks and names.
        let mut cands = vec![stored];
        cands.extend(c.interior);
        for k in 0..cands.len() {
            let q = cands[k];
            for dy in [-1.5, 1.5, -3.0, 3.0] {
                cands.push((q.0, q.1 + dy * th));
            }
        }
        let rect_at = |p: (f64, f64)| {
            (
                p.0 - tw / 2.0 - 2.0,
                p.1 - th / 2.0 - 1.0,
                p.0 + tw / 2.0 + 2.0,
                p.1 + th / 2.0 + 1.0,
            )
        };
        let free = |p: (f64, f64)| {
            let r = rect_at(p);
            fits(p) && !placed.iter().chain(reserved).any(|&o| boxes_overlap(o, r))
        };
        let Some(p) = cands.into_iter().find(|&p| free(p)) else {
            continue;
        };
        placed.push(rect_at(p));
        let _ = write!(
            texts,
            "<text x=\"{}\" y=\"{}\"{}>{}</text>",
            n1(p.0),
            n1(p.1 + LABEL_FONT * 0.35),
            if is_focus(c.country) {
                " fill=\"#333\" font-weight=\"600\""
            } else {
                ""
            },
            escape(&c.country.name)
        );
    }
    if !texts.is_empty() {
        let _ = write!(
            out,
            "<g class=\"bw-map-label\" font-size=\"{}\" fill=\"#5e5e5e\" text-anchor=\"middle\" aria-hidden=\"true\">{texts}</g>",
            n1(LABEL_FONT)
        );
    }
}

/// The grid point inside `rings` farthest from any edge (a cheap stand-in
/// for the pole of inaccessibility), searched over the largest ring's box.
fn interior_point(rings: &[Ring]) -> Option<(f64, f64)> {
    let outer = rings
        .iter()
        .max_by(|a, b| ring_area(a).abs().total_cmp(&ring_area(b).abs()))?;
    let mut b = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in outer {
        b = (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y));
    }
    let n = 16;
    let mut best: Option<((f64, f64), f64)> = None;
    for i in 1..n {
        for j in 1..n {
            let p = (
                b.0 + (b.2 - b.0) * i as f64 / n as f64,
                b.1 + (b.3 - b.1) * j as f64 / n as f64,
            );
            if !inside_rings(p, rings) {
                continue;
            }
            let d = rings
                .iter()
                .flat_map(|r| (0..r.len()).map(move |k| seg_dist(p, r[k], r[(k + 1) % r.len()])))
                .fold(f64::MAX, f64::min);
            if best.is_none_or(|(_, bd)| d > bd) {
                best = Some((p, d));
            }
        }
    }
    best.map(|(p, _)| p)
}

/// Writes the legend into the corner holding the fewest points and returns
/// its box; `None` when there is nothing to explain.
fn write_legend(
    out: &mut String,
    series: &[(String, &str)],
    kinds: [bool; 4],
    max_killed: u32,
    pts: &[&MapPoint],
    view: &View,
    locator: bool,
) -> Option<(f64, f64, f64, f64)> {
    const FS: f64 = 11.0;
    // Rows: (height, svg drawn at local y = row top, text width).
    let mut rows: Vec<(f64, String, f64)> = Vec::new();
    for (name, colour) in series {
        let name = if name.chars().count() > 34 {
            format!("{}…", name.chars().take(33).collect::<String>())
        } else {
            name.clone()
        };
        rows.push((
            16.0,
            format!(
                "<circle cx=\"14\" cy=\"8\" r=\"5\" fill=\"{colour}\" fill-opacity=\".8\" stroke=\"#1a1a1a\" stroke-width=\".8\"/><text x=\"26\" y=\"12\">{}</text>",
                escape(&name)
            ),
            text_width(&name, FS),
        ));
    }
    // Every kind of inexact mark shown gets a row; an exact one too when it is not alone.
    let inexact = kinds[1..].iter().any(|k| *k);
    if kinds[0] && inexact && !locator {
        let t = "Exact place";
        rows.push((
            16.0,
            format!("<circle cx=\"14\" cy=\"8\" r=\"4\" fill=\"#555\" stroke=\"#1a1a1a\" stroke-width=\".8\"/><text x=\"26\" y=\"12\">{t}</text>"),
            text_width(t, FS),
        ));
    }
    if kinds[1] {
        let t = "Near this point";
        rows.push((
            16.0,
            format!("<circle cx=\"14\" cy=\"8\" r=\"4\" fill=\"#fff\" stroke=\"#555\" stroke-width=\"2\"/><text x=\"26\" y=\"12\">{t}</text>"),
            text_width(t, FS),
        ));
    }
    if kinds[2] {
        let t = "Somewhere in this region";
        rows.push((
            18.0,
            format!("<circle cx=\"14\" cy=\"9\" r=\"7\" fill=\"#555\" fill-opacity=\".12\" stroke=\"#555\" stroke-width=\"1.4\" stroke-dasharray=\"3 2\"/><text x=\"26\" y=\"13\">{t}</text>"),
            text_width(t, FS),
        ));
    }
    if kinds[3] {
        let t = "Somewhere in this country";
        rows.push((
            18.0,
            format!("<rect x=\"6\" y=\"3\" width=\"16\" height=\"12\" fill=\"#fff\" stroke=\"#555\" stroke-dasharray=\"2 2\"/><path d=\"M6 11l8-8M10 15l12-12M18 15l4-4\" stroke=\"#555\" stroke-width=\"1.5\"/><text x=\"26\" y=\"13\">{t}</text>"),
            text_width(t, FS),
        ));
    }
    if max_killed > 0 {
        let big = max_killed.min(100);
        let small = nice_floor(f64::from(big) / 10.0) as u32;
        let mut vals = vec![big];
        if small >= 1 && small < big {
            vals.insert(0, small);
        }
        for v in vals {
            let r = radius(Some(v));
            let t = format!(
                "{} killed{}",
                group_thousands(u64::from(v)),
                if v < max_killed && v == 100 {
                    " or more"
                } else {
                    ""
                }
            );
            let rh = (2.0 * r + 4.0).max(16.0);
            rows.push((
                rh,
                format!(
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"none\" stroke=\"#555\"/><text x=\"{}\" y=\"{}\">{}</text>",
                    n1(8.0 + r.max(6.0)),
                    n1(rh / 2.0),
                    n1(r),
                    n1(2.0 * r.max(6.0) + 18.0),
                    n1(rh / 2.0 + 4.0),
                    escape(&t)
                ),
                text_width(&t, FS) + 2.0 * r.max(6.0) - 12.0,
            ));
        }
    }
    if rows.is_empty() {
        return None;
    }
    let lw = rows.iter().map(|r| r.2).fold(0.0, f64::max) + 34.0;
    let lh = rows.iter().map(|r| r.0).sum::<f64>() + 8.0;
    // Candidate corners; the scale bar owns the bottom right.
    let m = 8.0;
    // A locator's inset owns the top right.
    let top_right = if locator { m } else { view.w - lw - m };
    let corners =
        [(m, view.h - lh - m), (top_right, m), (m, m)].map(|(x, y)| (x, y, x + lw, y + lh));
    let best = corners
        .iter()
        .min_by_key(|r| {
            pts.iter()
                .filter(|p| {
                    let (x, y) = view.project(p.lon, p.lat);
                    x >= r.0 - 8.0 && x <= r.2 + 8.0 && y >= r.1 - 8.0 && y <= r.3 + 8.0
                })
                .count()
        })
        .copied()?;
    let _ = write!(
        out,
        "<g class=\"bw-map-legend\" transform=\"translate({} {})\" font-size=\"{}\" fill=\"#222\"><rect width=\"{}\" height=\"{}\" fill=\"#fff\" fill-opacity=\".9\" stroke=\"#bbb\"/>",
        n1(best.0),
        n1(best.1),
        n1(FS),
        n1(lw),
        n1(lh)
    );
    let mut y = 4.0;
    for (rh, svg, _) in rows {
        let _ = write!(out, "<g transform=\"translate(0 {})\">{svg}</g>", n1(y));
        y += rh;
    }
    out.push_str("</g>");
    Some(best)
}

/// Scale bar in the bottom-right corner; returns its box.
fn write_scale_bar(out: &mut String, view: &View) -> (f64, f64, f64, f64) {
    let target_km = view.w / 6.0 * view.km_per_px();
    let km = nice_floor(target_km);
    let len = km / view.km_per_px();
    let label = format!("{} km", group_thousands(km as u64));
    let tw = text_width(&label, 10.0);
    let right = view.w - 10.0;
    let left = right - len;
    let y = view.h - 10.0;
    let bx = (left.min(right - tw) - 4.0, y - 16.0, right + 4.0, y + 4.0);
    let _ = write!(
        out,
        "<g class=\"bw-map-scale\" font-size=\"10\" fill=\"#333\" aria-hidden=\"true\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fff\" fill-opacity=\".75\"/>\
<path d=\"M{} {}v4h{}v-4\" fill=\"none\" stroke=\"#333\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text></g>",
        n1(bx.0),
        n1(bx.1),
        n1(bx.2 - bx.0),
        n1(bx.3 - bx.1),
        n1(left),
        n1(y - 4.0),
        n1(len),
        n1(right),
        n1(y - 6.0),
        escape(&label)
    );
    bx
}

/// Locator inset (top right): a wide view around the map with the main
/// view's extent outlined, so a 6° window can be placed on the continent.
fn write_inset(
    out: &mut String,
    main: &View,
    pts_bbox: &(f64, f64, f64, f64),
) -> Option<(f64, f64, f64, f64)> {
    let iw = (main.w * 0.26).round().max(80.0);
    let ih = (iw * 0.8).round();
    // The inset only orients the reader; a centre on a 5° grid is as good and shareable.
    let c = (
        ((pts_bbox.0 + pts_bbox.2) / 10.0).round() * 5.0,
        ((pts_bbox.1 + pts_bbox.3) / 10.0).round() * 5.0,
    );
    let mut view = View::fit(
        (c.0 - 20.0, c.1 - 15.0, c.0 + 20.0, c.1 + 15.0),
        0.0,
        0.0,
        iw,
        ih,
        0.0,
    );
    view.keep_inside_data(None);
    let clipped = clip_countries(&view, 0.7, 0.0);
    let (x0, y0) = (main.w - iw - 8.0, 8.0);
    let _ = write!(
        out,
        "<g class=\"bw-map-inset\" transform=\"translate({} {})\" aria-hidden=\"true\"><rect width=\"{}\" height=\"{}\" fill=\"{SEA}\"/>",
        n1(x0),
        n1(y0),
        n1(iw),
        n1(ih)
    );
    write_land(out, &clipped[..], &|_| false, 0.4);
    let g = main.geo_bounds(0.0);
    let (ax, ay) = view.project(g.0, g.3);
    let (bx, by) = view.project(g.2, g.1);
    // Keep the extent box visible even when the main view is tiny.
    let (cx, cy) = ((ax + bx) / 2.0, (ay + by) / 2.0);
    let (hw, hh) = (((bx - ax) / 2.0).max(3.0), ((by - ay) / 2.0).max(3.0));
    let _ = write!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\"/><rect width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#777\"/></g>",
        n1(cx - hw),
        n1(cy - hh),
        n1(2.0 * hw),
        n1(2.0 * hh),
        PALETTE[0],
        n1(iw),
        n1(ih)
    );
    Some((x0, y0, x0 + iw, y0 + ih))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(lat: f64, lon: f64, killed: Option<u32>, series: Option<&str>) -> MapPoint {
        MapPoint {
            lat,
            lon,
            killed,
            label: format!("{lat},{lon}"),
            url: format!("/incidents/{lat}-{lon}/"),
            series: series.map(str::to_string),
            mark: Mark::Exact,
        }
    }

    /// Thirty incidents spread over central and northern Mali.
    pub(crate) fn mali_points() -> Vec<MapPoint> {
        (0..30)
            .map(|i| {
                let f = f64::from(i);
                let mut p = pt(
                    12.0 + (f * 0.37) % 6.5,
                    -8.0 + (f * 1.13) % 9.5,
                    Some((i * 7) % 40),
                    Some(["JNIM", "ISGS", "AQIM"][i as usize % 3]),
                );
                if i % 4 == 0 {
                    p.mark = Mark::Near;
                }
                p
            })
            .collect()
    }

    fn circles(svg: &str) -> Vec<(f64, f64, f64)> {
        svg.split("<circle class=\"bw-point")
            .skip(1)
            .map(|s| {
                let attr = |name: &str| -> f64 {
                    let k = s.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                    s[k..k + s[k..].find('"').unwrap()].parse().unwrap()
                };
                (attr("cx"), attr("cy"), attr("r"))
            })
            .collect()
    }

    #[test]
    fn data_parses_with_region() {
        let cs = countries();
        assert!(cs.len() > 80, "{}", cs.len());
        let mali = cs.iter().find(|c| c.code == "ML").unwrap();
        assert_eq!(mali.name, "Mali");
        assert!(country_contains(mali, -8.0, 12.6), "Bamako is in Mali");
        assert!(!country_contains(mali, 2.1, 13.5), "Niamey is not");
        assert!(BORDERS_JSON.len() < 150 * 1024);
    }

    #[test]
    fn deterministic() {
        let pts = mali_points();
        let o = MapOptions {
            title: "Mali".into(),
            ..Default::default()
        };
        assert_eq!(map_svg(&pts, &o), map_svg(&pts, &o));
    }

    #[test]
    fn all_points_inside_viewbox() {
        for locator in [false, true] {
            let mut pts = mali_points();
            pts.push(pt(25.0, 10.0, Some(500), None));
            let o = MapOptions {
                locator,
                width: 600,
                height: 400,
                ..Default::default()
            };
            let svg = map_svg(&pts, &o);
            let cs = circles(&svg);
            assert_eq!(cs.len(), pts.len());
            for (x, y, r) in cs {
                assert!(
                    x - r >= 0.0 && y - r >= 0.0 && x + r <= 600.0 && y + r <= 400.0,
                    "{x} {y} {r}"
                );
            }
        }
    }

    #[test]
    fn single_point_gets_six_degree_window() {
        let p = [pt(11.9, -8.4, Some(3), Some("JNIM"))];
        let o = MapOptions {
            locator: true,
            width: 400,
            height: 300,
            ..Default::default()
        };
        let svg = map_svg(&p, &o);
        assert!(
            svg.contains("Mali") && svg.contains("Guinea"),
            "neighbours labelled"
        );
        assert!(svg.contains("bw-map-inset"));
        assert!(!svg.contains("bw-map-legend"));
        let v = View::fit((-8.4, 11.9, -8.4, 11.9), 6.0, 0.0, 400.0, 300.0, 10.0);
        let g = v.geo_bounds(0.0);
        assert!((g.3 - g.1 - 6.0).abs() < 1.0, "lat span {}", g.3 - g.1);
        let cs = circles(&svg);
        assert_eq!(cs.len(), 1);
        // The centre snaps to whole degrees (shared backgrounds), so the point sits near,
        // not exactly at, the middle: at most half a degree off.
        let px_per_deg = v.scale;
        assert!(
            (cs[0].0 - 200.0).abs() <= 0.5 * px_per_deg * v.kx + 1.0,
            "x {}",
            cs[0].0
        );
        assert!(
            (cs[0].1 - 150.0).abs() <= 0.5 * px_per_deg + 1.0,
            "y {}",
            cs[0].1
        );
        assert!((cs[0].0 - 200.0).abs() > 1.0, "centre snapped: -8.4 -> -8");
    }

    #[test]
    fn escapes_and_links() {
        let mut p = pt(12.0, -3.0, None, Some("<b>&"));
        p.label = "<script>alert(1)</script>".into();
        p.url = "/a?b=1&c=2".into();
        let svg = map_svg(
            &[p],
            &MapOptions {
                title: "x<y".into(),
                ..Default::default()
            },
        );
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("href=\"/a?b=1&amp;c=2\""));
        assert!(svg.contains("&lt;b&gt;&amp;"));
        assert!(svg.contains("x&lt;y"));
        assert!(!svg.contains("xlink"));
    }

    #[test]
    fn bad_input_does_not_panic() {
        let o = MapOptions::default();
        assert_eq!(map_svg(&[], &o), "");
        assert_eq!(
            map_svg(
                &[pt(f64::NAN, 3.0, None, None), pt(95.0, 3.0, None, None)],
                &o
            ),
            ""
        );
        let svg = map_svg(
            &[
                pt(f64::NAN, 3.0, None, None),
                pt(12.0, 3.0, Some(u32::MAX), None),
            ],
            &o,
        );
        assert_eq!(circles(&svg).len(), 1);
        // Far outside the border data: still a valid map of just the point.
        let svg = map_svg(
            &[pt(-60.0, -150.0, None, None)],
            &MapOptions {
                width: 0,
                height: 0,
                ..o
            },
        );
        assert_eq!(circles(&svg).len(), 1);
    }

    #[test]
    fn extreme_coordinates_do_not_panic() {
        let corners = [(90.0, 180.0), (-90.0, -180.0), (0.0, 0.0), (89.9, -179.9)];
        for locator in [false, true] {
            let o = MapOptions {
                locator,
                ..Default::default()
            };
            let pts: Vec<MapPoint> = corners
                .iter()
                .map(|&(la, lo)| pt(la, lo, Some(1), None))
                .collect();
            assert!(map_svg(&pts, &o).ends_with("</svg>"));
            for p in &pts {
                assert!(map_svg(std::slice::from_ref(p), &o).ends_with("</svg>"));
            }
            // Many marks on one spot.
            let same: Vec<MapPoint> = (0..50).map(|i| pt(14.0, -4.0, Some(i), None)).collect();
            assert_eq!(circles(&map_svg(&same, &o)).len(), 50);
        }
    }

    #[test]
    fn colours_and_legend() {
        let pts: Vec<MapPoint> = (0..10)
            .map(|i| pt(12.0, -3.0 + f64::from(i), None, Some(&format!("g{i}"))))
            .collect();
        let refs: Vec<&MapPoint> = pts.iter().collect();
        let (c, legend) = assign_colours(&refs);
        assert_eq!(c[0], PALETTE[0]);
        assert_eq!(c[9], PALETTE[7]);
        assert_eq!(legend.len(), 8);
        assert_eq!(legend[7].0, "Other groups");
        let svg = map_svg(&pts, &MapOptions::default());
        assert!(svg.contains("bw-map-legend") && svg.contains(">g6<") && !svg.contains(">g7<"));
    }

    #[test]
    fn typical_map_is_small() {
        let svg = map_svg(
            &mali_points(),
            &MapOptions {
                title: "Mali".into(),
                ..Default::default()
            },
        );
        assert!(svg.len() < 30 * 1024, "overview map is {} bytes", svg.len());
        let loc = map_svg(
            &mali_points()[..1],
            &MapOptions {
                locator: true,
                ..Default::default()
            },
        );
        assert!(loc.len() < 30 * 1024, "locator map is {} bytes", loc.len());
    }

    #[test]
    fn simplify_and_clip_keep_shapes_sane() {
        let sq: Ring = vec![
            (0.0, 0.0),
            (5.0, 0.1),
            (10.0, 0.0),
            (10.0, 10.0),
            (0.0, 10.0),
        ];
        let s = simplify_ring(&sq, 0.5);
        assert_eq!(s.len(), 4);
        let c = clip_ring(&sq, (2.0, 2.0, 8.0, 20.0));
        assert!((ring_area(&c).abs() - 48.0).abs() < 1e-9);
        assert!(clip_ring(&sq, (20.0, 20.0, 30.0, 30.0)).is_empty());
    }
}
