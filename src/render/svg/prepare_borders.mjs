// One-off data preparation for the briefwerk SVG maps.
//
// Reads Natural Earth 1:50m admin-0 boundaries as packaged in the npm package
// `world-atlas` (TopoJSON), keeps Africa and its neighbours, simplifies and
// writes the compact `borders.json` that map.rs embeds with include_str!.
//
// Reproduce:
//   npm install world-atlas@2.0.2
//   node prepare_borders.mjs node_modules/world-atlas/countries-50m.json borders.json
//
// Shared borders are simplified once per TopoJSON arc (not per ring) so that
// neighbouring countries keep identical edges and no slivers or gaps appear.
import { readFileSync, writeFileSync } from "node:fs";

const [input = "node_modules/world-atlas/countries-50m.json", output = "borders.json"] =
  process.argv.slice(2);

// Data box: the brief asks for roughly lon -20..45, lat -5..38; we keep a margin
// so that maps near the edge of that area (and Cabo Delgado, the Gulf, the
// Levant) still have land around their points.
const BOX = { w: -26, e: 60, s: -36, n: 44 };
const TOLERANCE = 0.05; // degrees, Douglas-Peucker
const MIN_RING_AREA = 0.002; // square degrees; drops specks that never show

// ISO 3166-1 numeric -> alpha-2 for every country that reaches into BOX.
// world-atlas has no numeric id for a few de-facto entities; they are keyed by
// name and get user-assigned codes (X*), except Kosovo's customary XK.
const ALPHA2 = {
  "008": "AL", "012": "DZ", "020": "AD", "024": "AO", "051": "AM", "031": "AZ",
  "048": "BH", "204": "BJ", "070": "BA", "072": "BW", "100": "BG", "854": "BF",
  "108": "BI", "132": "CV", "120": "CM", "140": "CF", "148": "TD", "174": "KM",
  "178": "CG", "191": "HR", "196": "CY", "384": "CI", "180": "CD", "262": "DJ",
  "818": "EG", "226": "GQ", "232": "ER", "231": "ET", "250": "FR", "266": "GA",
  "270": "GM", "268": "GE", "288": "GH", "300": "GR", "324": "GN", "624": "GW",
  "364": "IR", "368": "IQ", "376": "IL", "380": "IT", "400": "JO", "398": "KZ",
  "404": "KE", "414": "KW", "422": "LB", "426": "LS", "430": "LR", "434": "LY",
  "807": "MK", "450": "MG", "454": "MW", "466": "ML", "470": "MT", "478": "MR",
  "480": "MU", "492": "MC", "499": "ME", "504": "MA", "508": "MZ", "516": "NA",
  "562": "NE", "566": "NG", "512": "OM", "275": "PS", "620": "PT", "634": "QA",
  "642": "RO", "643": "RU", "646": "RW", "728": "SS", "654": "SH", "674": "SM",
  "682": "SA", "686": "SN", "688": "RS", "690": "SC", "694": "SL", "706": "SO",
  "710": "ZA", "724": "ES", "729": "SD", "760": "SY", "678": "ST", "834": "TZ",
  "768": "TG", "788": "TN", "792": "TR", "795": "TM", "800": "UG", "784": "AE",
  "860": "UZ", "336": "VA", "732": "EH", "887": "YE", "894": "ZM", "716": "ZW",
  "748": "SZ", "Kosovo": "XK", "N. Cyprus": "XC", "Somaliland": "XS",
};

// Short display names: Natural Earth's abbreviated forms are good map labels;
// a few are expanded or corrected for readers.
const NAMES = {
  "Bosnia and Herz.": "Bosnia and Herz.",
  "Macedonia": "North Macedonia",
  "eSwatini": "Eswatini",
  "São Tomé and Principe": "São Tomé and Príncipe",
  "United Arab Emirates": "UAE",
};

const topo = JSON.parse(readFileSync(input, "utf8"));
const [sx, sy] = topo.transform.scale;
const [tx, ty] = topo.transform.translate;

// Decode quantised, delta-encoded arcs to absolute lon/lat.
const arcs = topo.arcs.map((arc) => {
  let x = 0, y = 0;
  return arc.map(([dx, dy]) => {
    x += dx; y += dy;
    return [x * sx + tx, y * sy + ty];
  });
});

function perpDist(p, a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  let t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

// Iterative Douglas-Peucker keeping both endpoints (arc ends are shared nodes).
function simplify(pts, tol) {
  if (pts.length < 3) return pts.slice();
  const keep = new Uint8Array(pts.length);
  keep[0] = keep[pts.length - 1] = 1;
  const stack = [[0, pts.length - 1]];
  while (stack.length) {
    const [i, j] = stack.pop();
    let best = -1, bestD = tol;
    for (let k = i + 1; k < j; k++) {
      const d = perpDist(pts[k], pts[i], pts[j]);
      if (d > bestD) { bestD = d; best = k; }
    }
    if (best >= 0) { keep[best] = 1; stack.push([i, best], [best, j]); }
  }
  // A closed arc (island) must keep a middle point or it collapses to a line.
  if (pts.length > 3 && keep.reduce((a, b) => a + b, 0) < 4) {
    keep[Math.floor(pts.length / 3)] = 1;
    keep[Math.floor((2 * pts.length) / 3)] = 1;
  }
  return pts.filter((_, k) => keep[k]);
}

const simpleArcs = arcs.map((a) => simplify(a, TOLERANCE));

function ringFromArcs(indices) {
  const ring = [];
  for (const ai of indices) {
    const a = ai < 0 ? simpleArcs[~ai].slice().reverse() : simpleArcs[ai];
    // Consecutive arcs share their joining point; drop the duplicate.
    a.forEach((p, k) => { if (k > 0 || ring.length === 0) ring.push(p); });
  }
  return ring;
}

// Sutherland-Hodgman clip of one ring against the data box.
function clipRing(ring, box) {
  const edges = [
    [(p) => p[0] >= box.w, (a, b) => at(a, b, 0, box.w)],
    [(p) => p[0] <= box.e, (a, b) => at(a, b, 0, box.e)],
    [(p) => p[1] >= box.s, (a, b) => at(a, b, 1, box.s)],
    [(p) => p[1] <= box.n, (a, b) => at(a, b, 1, box.n)],
  ];
  function at(a, b, axis, v) {
    const t = (v - a[axis]) / (b[axis] - a[axis]);
    const p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
    p[axis] = v;
    return p;
  }
  let out = ring;
  for (const [inside, cross] of edges) {
    const src = out;
    out = [];
    for (let k = 0; k < src.length; k++) {
      const cur = src[k], prev = src[(k + src.length - 1) % src.length];
      if (inside(cur)) {
        if (!inside(prev)) out.push(cross(prev, cur));
        out.push(cur);
      } else if (inside(prev)) {
        out.push(cross(prev, cur));
      }
    }
    if (out.length === 0) break;
  }
  return out;
}

function area(ring) {
  let s = 0;
  for (let k = 0; k < ring.length; k++) {
    const a = ring[k], b = ring[(k + 1) % ring.length];
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

const r2 = (v) => Math.round(v * 100) / 100;

function roundRing(ring) {
  const out = [];
  for (const [x, y] of ring) {
    const p = [r2(x), r2(y)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  const first = out[0], last = out[out.length - 1];
  if (out.length > 1 && first[0] === last[0] && first[1] === last[1]) out.pop();
  return out;
}

function pointInRing(p, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i], b = ring[j];
    if ((a[1] > p[1]) !== (b[1] > p[1]) &&
        p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

function edgeDist(p, polygon) {
  let d = Infinity;
  for (const ring of polygon)
    for (let k = 0; k < ring.length; k++)
      d = Math.min(d, perpDist(p, ring[k], ring[(k + 1) % ring.length]));
  return d;
}

// Label point: the point of the largest polygon farthest from its edges
// (a coarse-to-fine grid search in the spirit of "polylabel"), so that the
// name of a C- or L-shaped country lands on land.
function labelPoint(polygon) {
  const outer = polygon[0];
  const xs = outer.map((p) => p[0]), ys = outer.map((p) => p[1]);
  let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const inside = (p) => pointInRing(p, outer) && !polygon.slice(1).some((h) => pointInRing(p, h));
  let best = null, bestD = -1;
  for (let round = 0; round < 4; round++) {
    const n = 24;
    for (let i = 0; i <= n; i++)
      for (let j = 0; j <= n; j++) {
        const p = [x0 + ((x1 - x0) * i) / n, y0 + ((y1 - y0) * j) / n];
        if (!inside(p)) continue;
        const d = edgeDist(p, polygon);
        if (d > bestD) { bestD = d; best = p; }
      }
    if (!best) break;
    const hw = (x1 - x0) / 6, hh = (y1 - y0) / 6;
    [x0, x1, y0, y1] = [best[0] - hw, best[0] + hw, best[1] - hh, best[1] + hh];
  }
  if (!best) best = outer[0];
  return [r2(best[0]), r2(best[1])];
}

const countries = [];
for (const g of topo.objects.countries.geometries) {
  const polys = g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];
  const kept = [];
  for (const poly of polys) {
    let raw = poly.map(ringFromArcs);
    // Polygons that cross the antimeridian (Russia, Fiji) would clip into a
    // bogus strip; unwrap them to 0..360 first so only their real western
    // part (Russia's Caucasus) can fall inside the box.
    const lons = raw[0].map((p) => p[0]);
    if (Math.max(...lons) - Math.min(...lons) > 180)
      raw = raw.map((r) => r.map(([x, y]) => [x < 0 ? x + 360 : x, y]));
    const rings = [];
    for (const r of raw) {
      const ring = roundRing(clipRing(r, BOX));
      if (ring.length < 3 || Math.abs(area(ring)) < MIN_RING_AREA) {
        // A hole without its outer ring is meaningless: drop the polygon.
        if (rings.length === 0) break;
        continue;
      }
      rings.push(ring);
    }
    if (rings.length) kept.push(rings);
  }
  if (!kept.length) continue;
  const key = g.id ?? g.properties.name;
  const code = ALPHA2[key];
  if (!code) throw new Error(`no alpha-2 code for ${key} ${g.properties.name}`);
  const name = NAMES[g.properties.name] ?? g.properties.name;
  const largest = kept.reduce((a, b) => (Math.abs(area(b[0])) > Math.abs(area(a[0])) ? b : a));
  countries.push({
    a: code,
    n: name,
    l: labelPoint(largest),
    // Each polygon is a list of rings; each ring a flat [lon, lat, lon, lat, ...].
    p: kept.map((poly) => poly.map((ring) => ring.flat())),
  });
}
countries.sort((a, b) => (a.a < b.a ? -1 : a.a > b.a ? 1 : 0));

const doc = {
  source: "Natural Earth 1:50m Admin 0 Countries (public domain) via world-atlas 2.0.2 (ISC)",
  box: [BOX.w, BOX.s, BOX.e, BOX.n],
  tolerance: TOLERANCE,
  countries,
};
// One country per line keeps diffs of regenerated data readable.
const body = countries.map((c) => JSON.stringify(c)).join(",\n");
const head = JSON.stringify({ ...doc, countries: [] }).replace(/"countries":\[\]\}$/, '"countries":[\n');
writeFileSync(output, head + body + "\n]}\n");
console.log(`${countries.length} countries, ${(head.length + body.length) / 1024 | 0} KiB -> ${output}`);
