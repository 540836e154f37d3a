//! Group lineage diagrams: boxes placed left to right by founding year,
//! linked by mergers, splits, pledges, affiliations, alliances and rivalries.
//!
//! Layout is a small layered drawing: columns are founding-year ranks
//! (bucketed when there are many years), rows are ordered by a few
//! barycentre sweeps to cut edge crossings, and boxes in a column share one
//! width wide enough for the longest wrapped name, so text always fits.

use super::{PALETTE, content_id, n1, open_svg, text_width, wrap};
use crate::text::escape;
use std::fmt::Write as _;

/// One armed group (or other organisation) in a lineage diagram.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineageNode {
    /// Stable identifier referenced by edges.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Link target (the group's page).
    pub url: String,
    /// Founding year; unknown years go into a last column.
    pub founded: Option<i32>,
    /// Still active; merged or defunct groups get a dashed grey box.
    pub current: bool,
    /// The group whose page this is: drawn with a heavier outline.
    pub focus: bool,
}

/// A relation between two groups; `from` is the subject ("A merged into B").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineageEdge {
    /// Id of the subject group.
    pub from: String,
    /// Id of the object group.
    pub to: String,
    /// Kind of relation.
    pub kind: EdgeKind,
}

/// Kinds of relation between groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeKind {
    /// `from` merged into `to`.
    MergedInto,
    /// `from` is an affiliate (branch, franchise) of `to`.
    Affiliate,
    /// `from` and `to` are allies.
    Ally,
    /// `from` and `to` are rivals.
    Rival,
    /// `from` split from `to`.
    SplinterOf,
    /// `from` pledged allegiance to `to`.
    PledgedTo,
}

/// How each kind is drawn: colour, dash pattern, width, arrowhead end.
struct Style {
    colour: &'static str,
    dash: &'static str,
    width: f64,
    /// Some(true): arrow at `to`; Some(false): arrow at `from`; None: none.
    head_at_to: Option<bool>,
    legend: &'static str,
}

impl EdgeKind {
    const ALL: [EdgeKind; 6] = [
        EdgeKind::MergedInto,
        EdgeKind::SplinterOf,
        EdgeKind::PledgedTo,
        EdgeKind::Affiliate,
        EdgeKind::Ally,
        EdgeKind::Rival,
    ];

    // Colour and dash pattern both differ, so kinds stay apart in greyscale.
    fn style(self) -> Style {
        match self {
            EdgeKind::MergedInto => Style {
                colour: PALETTE[1],
                dash: "",
                width: 2.0,
                head_at_to: Some(true),
                legend: "merged into",
            },
            // Drawn from the parent to the splinter, following time.
            EdgeKind::SplinterOf => Style {
                colour: "#555",
                dash: "",
                width: 1.2,
                head_at_to: Some(false),
                legend: "split off to form",
            },
            EdgeKind::PledgedTo => Style {
                colour: PALETTE[3],
                dash: "7 3",
                width: 1.6,
                head_at_to: Some(true),
                legend: "pledged allegiance to",
            },
            EdgeKind::Affiliate => Style {
                colour: PALETTE[4],
                dash: "3 3",
                width: 1.6,
                head_at_to: Some(true),
                legend: "affiliate of",
            },
            EdgeKind::Ally => Style {
                colour: PALETTE[2],
                dash: "1 3",
                width: 2.0,
                head_at_to: None,
                legend: "allied",
            },
            EdgeKind::Rival => Style {
                colour: PALETTE[0],
                dash: "8 3 1 3",
                width: 1.4,
                head_at_to: None,
                legend: "rivals",
            },
        }
    }

    fn sentence(self, from: &str, to: &str) -> String {
        match self {
            EdgeKind::MergedInto => format!("{from} merged into {to}."),
            EdgeKind::Affiliate => format!("{from} is an affiliate of {to}."),
            EdgeKind::Ally => format!("{from} and {to} are allies."),
            EdgeKind::Rival => format!("{from} and {to} are rivals."),
            EdgeKind::SplinterOf => format!("{from} split from {to}."),
            EdgeKind::PledgedTo => format!("{from} pledged allegiance to {to}."),
        }
    }
}

const FS: f64 = 12.0;
const SUB_FS: f64 = 10.0;
const LINE_H: f64 = 15.0;
const WRAP_CHARS: usize = 20;
const MAX_COLS: usize = 8;
const COL_GAP: f64 = 60.0;
const ROW_GAP: f64 = 16.0;
const MARGIN: f64 = 12.0;

const DUMMY_GAP: f64 = 8.0;

/// A placed box, or (with `node: None`) a waypoint slot that reserves room
/// for a long edge to pass through an intermediate column between boxes.
#[derive(Debug, Clone)]
struct Placed<'a> {
    node: Option<&'a LineageNode>,
    lines: Vec<String>,
    sub: String,
    col: usize,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Placed<'_> {
    fn cy(&self) -> f64 {
        self.y + self.h / 2.0
    }
}

/// Result of the layout. The first `nodes.len()` items are the groups in
/// input order; the rest are edge waypoints.
struct Layout<'a> {
    items: Vec<Placed<'a>>,
    /// Per edge: item indices from the left-most column to the right-most.
    chains: Vec<Vec<usize>>,
    /// Per edge: true when the edge's `from` is the right end of its chain.
    flipped: Vec<bool>,
    headers: Vec<String>,
    width: f64,
    height: f64,
}

fn layout<'a>(nodes: &[&'a LineageNode], edges: &[(usize, usize, EdgeKind)]) -> Layout<'a> {
    let columns = Columns::of(nodes);
    let headers = columns.headers();
    let mut items = boxes(nodes, &columns);
    let (chains, flipped) = route_edges(&mut items, edges);
    grow_for_edges(&mut items, &chains, nodes.len());
    let col_w = column_widths(&items, &headers);
    let cols = order_rows(&items, &chains, columns.count);
    let (width, height) = place(&mut items, &cols, &col_w);
    Layout {
        items,
        chains,
        flipped,
        headers,
        width,
        height,
    }
}

/// The diagram's columns: founding-year ranks, bucketed to at most `MAX_COLS`, then one for
/// groups whose year is unknown if there are any.
struct Columns {
    /// The distinct known founding years, ascending.
    years: Vec<i32>,
    /// Columns of known years.
    known: usize,
    /// All columns.
    count: usize,
}

impl Columns {
    /// The columns the founding years of `nodes` need.
    fn of(nodes: &[&LineageNode]) -> Columns {
        let mut years: Vec<i32> = nodes.iter().filter_map(|n| n.founded).collect();
        years.sort_unstable();
        years.dedup();
        let known = years.len().min(MAX_COLS);
        let any_unknown = nodes.iter().any(|n| n.founded.is_none());
        Columns {
            years,
            known,
            count: known + usize::from(any_unknown),
        }
    }

    /// The column of a founding year (`None`: the unknown years' column).
    fn of_year(&self, year: Option<i32>) -> usize {
        match year {
            Some(y) => self
                .years
                .binary_search(&y)
                .map_or(0, |r| r * self.known / self.years.len().max(1)),
            None => self.known,
        }
    }

    /// Each column's header: its year or range of years, or "year unknown".
    fn headers(&self) -> Vec<String> {
        let mut headers = vec![String::new(); self.count];
        for (c, header) in headers.iter_mut().enumerate().take(self.known) {
            let ys: Vec<i32> = self
                .years
                .iter()
                .copied()
                .filter(|&y| self.of_year(Some(y)) == c)
                .collect();
            *header = match (ys.first(), ys.last()) {
                (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
                (Some(a), _) => a.to_string(),
                _ => String::new(),
            };
        }
        if self.count > self.known {
            headers[self.known] = "year unknown".into();
        }
        headers
    }
}

/// One unplaced box per group, in input order: its wrapped name, its sub-line and column.
fn boxes<'a>(nodes: &[&'a LineageNode], columns: &Columns) -> Vec<Placed<'a>> {
    nodes
        .iter()
        .map(|n| {
            let lines = wrap(&n.name, WRAP_CHARS);
            let lines = if lines.is_empty() {
                vec![n.id.clone()]
            } else {
                lines
            };
            let mut sub = match n.founded {
                Some(y) => format!("founded {y}"),
                None => String::new(),
            };
            if !n.current {
                sub.push_str(if sub.is_empty() {
                    "inactive"
                } else {
                    " · inactive"
                });
            }
            let h = lines.len() as f64 * LINE_H + 12.0 + if sub.is_empty() { 0.0 } else { 13.0 };
            Placed {
                node: Some(n),
                lines,
                sub,
                col: columns.of_year(n.founded),
                x: 0.0,
                y: 0.0,
                w: 0.0,
                h,
            }
        })
        .collect()
}

/// Each edge's chain of items from left to right, and whether it runs from `to` to `from`.
///
/// Long edges get one waypoint per intermediate column (as in Sugiyama layouts), so they are
/// routed between boxes rather than through them; the waypoints are pushed onto `items`.
fn route_edges(
    items: &mut Vec<Placed<'_>>,
    edges: &[(usize, usize, EdgeKind)],
) -> (Vec<Vec<usize>>, Vec<bool>) {
    let mut chains = Vec::with_capacity(edges.len());
    let mut flipped = Vec::with_capacity(edges.len());
    for &(a, b, _) in edges {
        let (l, r, flip) = if items[a].col <= items[b].col {
            (a, b, false)
        } else {
            (b, a, true)
        };
        let mut chain = vec![l];
        for c in items[l].col + 1..items[r].col {
            items.push(Placed {
                node: None,
                lines: vec![],
                sub: String::new(),
                col: c,
                x: 0.0,
                y: 0.0,
                w: 0.0,
                h: 2.0,
            });
            chain.push(items.len() - 1);
        }
        chain.push(r);
        chains.push(chain);
        flipped.push(flip);
    }
    (chains, flipped)
}

/// Grows the boxes with many edges on one side, so arrowheads do not pile up.
fn grow_for_edges(items: &mut [Placed<'_>], chains: &[Vec<usize>], groups: usize) {
    let mut side_count = vec![[0usize; 2]; groups];
    for ch in chains {
        let (first, last) = (ch[0], ch[ch.len() - 1]);
        side_count[first][1] += 1;
        if items[first].col == items[last].col {
            side_count[last][1] += 1;
        } else {
            side_count[last][0] += 1;
        }
    }
    for (i, c) in side_count.iter().enumerate() {
        let need = c[0].max(c[1]) as f64 * 9.0 / 0.6;
        items[i].h = items[i].h.max(need);
    }
}

/// Each column's width: its widest text (boxes and header) plus padding.
fn column_widths(items: &[Placed<'_>], headers: &[String]) -> Vec<f64> {
    let mut col_w = vec![90.0f64; headers.len()];
    for p in items.iter().filter(|p| p.node.is_some()) {
        let tw = p
            .lines
            .iter()
            .map(|l| text_width(l, FS))
            .fold(text_width(&p.sub, SUB_FS), f64::max);
        col_w[p.col] = col_w[p.col].max(tw + 20.0);
    }
    for (c, h) in headers.iter().enumerate() {
        col_w[c] = col_w[c].max(text_width(h, SUB_FS) + 8.0);
    }
    col_w
}

/// The items of each column, top to bottom: groups by (year, name, id), waypoints after
/// them, then reordered by barycentre sweeps over the chain segments to cut crossings.
fn order_rows(items: &[Placed<'_>], chains: &[Vec<usize>], ncols: usize) -> Vec<Vec<usize>> {
    let mut cols: Vec<Vec<usize>> = vec![Vec::new(); ncols];
    let mut idx: Vec<usize> = (0..items.len()).collect();
    idx.sort_by(|&a, &b| match (items[a].node, items[b].node) {
        (Some(na), Some(nb)) => na
            .founded
            .cmp(&nb.founded)
            .then(na.name.cmp(&nb.name))
            .then(na.id.cmp(&nb.id)),
        _ => items[a]
            .node
            .is_none()
            .cmp(&items[b].node.is_none())
            .then(a.cmp(&b)),
    });
    for i in idx {
        cols[items[i].col].push(i);
    }
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    for ch in chains {
        for w in ch.windows(2) {
            if items[w[0]].col != items[w[1]].col {
                neighbours[w[0]].push(w[1]);
                neighbours[w[1]].push(w[0]);
            }
        }
    }
    let mut pos = vec![0.0f64; items.len()];
    let set_pos = |cols: &Vec<Vec<usize>>, pos: &mut Vec<f64>| {
        for col in cols {
            for (r, &i) in col.iter().enumerate() {
                pos[i] = (r as f64 + 0.5) / col.len() as f64;
            }
        }
    };
    set_pos(&cols, &mut pos);
    for sweep in 0..8 {
        let order: Vec<usize> = if sweep % 2 == 0 {
            (0..ncols).collect()
        } else {
            (0..ncols).rev().collect()
        };
        for c in order {
            let mut keyed: Vec<(f64, usize, usize)> = cols[c]
                .iter()
                .enumerate()
                .map(|(r, &i)| {
                    let nb = &neighbours[i];
                    let key = if nb.is_empty() {
                        pos[i]
                    } else {
                        nb.iter().map(|&j| pos[j]).sum::<f64>() / nb.len() as f64
                    };
                    (key, r, i)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            cols[c] = keyed.into_iter().map(|(_, _, i)| i).collect();
            set_pos(&cols, &mut pos);
        }
    }
    cols
}

/// Gives every item its coordinates, columns left to right, each centred vertically;
/// returns the diagram's width and height.
fn place(items: &mut [Placed<'_>], cols: &[Vec<usize>], col_w: &[f64]) -> (f64, f64) {
    let gap = |a: &Placed<'_>, b: &Placed<'_>| {
        if a.node.is_none() || b.node.is_none() {
            DUMMY_GAP
        } else {
            ROW_GAP
        }
    };
    let header_h = 22.0;
    let col_h: Vec<f64> = cols
        .iter()
        .map(|col| {
            col.iter().map(|&i| items[i].h).sum::<f64>()
                + col
                    .windows(2)
                    .map(|w| gap(&items[w[0]], &items[w[1]]))
                    .sum::<f64>()
        })
        .collect();
    let body_h = col_h.iter().copied().fold(0.0, f64::max);
    let mut x = MARGIN;
    for (c, col) in cols.iter().enumerate() {
        let mut y = MARGIN + header_h + (body_h - col_h[c]) / 2.0;
        for (r, &i) in col.iter().enumerate() {
            if r > 0 {
                y += gap(&items[col[r - 1]], &items[i]);
            }
            items[i].x = x;
            items[i].y = y;
            items[i].w = col_w[c];
            y += items[i].h;
        }
        x += col_w[c] + COL_GAP;
    }
    (x - COL_GAP + MARGIN, MARGIN + header_h + body_h)
}

/// Renders a lineage diagram as an inline `<svg>` (boxes link to the groups'
/// pages); empty string when there are no nodes.
pub fn lineage_svg(nodes: &[LineageNode], edges: &[LineageEdge], title: &str) -> String {
    let (groups, edges) = distinct(nodes, edges);
    if groups.is_empty() {
        return String::new();
    }
    let lay = layout(&groups, &edges);
    let diagram = Diagram { groups, edges, lay };
    let width = diagram.lay.width.max(200.0);
    let legend = diagram.legend(width);
    let id = diagram.id(title);
    let title = if title.is_empty() {
        "Group lineage"
    } else {
        title
    };

    let mut out = String::with_capacity(8 * 1024);
    open_svg(
        &mut out,
        "bw-lineage",
        &id,
        (width, legend.bottom),
        "group",
        title,
        &diagram.description(),
    );
    diagram.write_years(&mut out);
    diagram.write_edges(&mut out);
    diagram.write_boxes(&mut out);
    legend.write(&mut out);
    out.push_str("</svg>");
    out
}

/// The groups (the first node of each id) and the edges between them as (from, to, kind)
/// positions, without repeats, self-loops or edges to unknown ids.
fn distinct<'a>(
    nodes: &'a [LineageNode],
    edges: &[LineageEdge],
) -> (Vec<&'a LineageNode>, Vec<(usize, usize, EdgeKind)>) {
    let mut uniq: Vec<&LineageNode> = Vec::new();
    for n in nodes {
        if !uniq.iter().any(|u| u.id == n.id) {
            uniq.push(n);
        }
    }
    let find = |id: &str| uniq.iter().position(|n| n.id == id);
    let mut es: Vec<(usize, usize, EdgeKind)> = Vec::new();
    for e in edges {
        if let (Some(a), Some(b)) = (find(&e.from), find(&e.to))
            && a != b
            && !es.contains(&(a, b, e.kind))
        {
            es.push((a, b, e.kind));
        }
    }
    (uniq, es)
}

/// A laid-out lineage diagram, ready to be written.
struct Diagram<'a> {
    /// The distinct groups, in input order (the first items of `lay`).
    groups: Vec<&'a LineageNode>,
    /// The edges as (from, to, kind) positions in `groups`.
    edges: Vec<(usize, usize, EdgeKind)>,
    lay: Layout<'a>,
}

/// The legend below a diagram: an entry per kind of edge drawn (and one for inactive
/// groups), in rows wrapped to the diagram width.
struct LineageLegend {
    /// Each entry's line kind (`None`: the inactive box) and text.
    items: Vec<(Option<EdgeKind>, &'static str)>,
    /// Each entry's top-left corner.
    pos: Vec<(f64, f64)>,
    /// The bottom of the whole drawing, legend included.
    bottom: f64,
}

impl Diagram<'_> {
    /// The placed boxes of the groups (the waypoints left out).
    fn placed(&self) -> &[Placed<'_>] {
        &self.lay.items[..self.groups.len()]
    }

    /// The legend of what this diagram draws, laid out for a drawing `width` wide.
    fn legend(&self, width: f64) -> LineageLegend {
        let kinds: Vec<EdgeKind> = EdgeKind::ALL
            .into_iter()
            .filter(|k| self.edges.iter().any(|e| e.2 == *k))
            .collect();
        let any_defunct = self.groups.iter().any(|n| !n.current);
        let mut items: Vec<(Option<EdgeKind>, &'static str)> =
            kinds.iter().map(|k| (Some(*k), k.style().legend)).collect();
        if any_defunct {
            items.push((None, "inactive (merged or defunct)"));
        }
        let body_h = self.lay.height;
        let mut pos: Vec<(f64, f64)> = Vec::new();
        let (mut lx, mut ly) = (MARGIN, body_h + 18.0);
        for (_, text) in &items {
            let iw = 40.0 + text_width(text, SUB_FS + 1.0) * 0.92 + 16.0;
            if lx + iw > width - MARGIN && lx > MARGIN {
                lx = MARGIN;
                ly += 20.0;
            }
            pos.push((lx, ly));
            lx += iw;
        }
        let bottom = if items.is_empty() {
            body_h + MARGIN
        } else {
            ly + 20.0 + 8.0
        };
        LineageLegend { items, pos, bottom }
    }

    /// The SVG's id, from everything drawn, so that two diagrams on a page never share one.
    fn id(&self, title: &str) -> String {
        let mut id_parts: Vec<String> = vec![title.to_string()];
        for n in &self.groups {
            id_parts.push(format!(
                "{}|{}|{}|{:?}|{}|{}",
                n.id, n.name, n.url, n.founded, n.current, n.focus
            ));
        }
        for e in &self.edges {
            id_parts.push(format!("{}>{}:{:?}", e.0, e.1, e.2));
        }
        let refs: Vec<&str> = id_parts.iter().map(String::as_str).collect();
        content_id("bw-lineage", &refs)
    }

    /// The text alternative: every relation as a sentence.
    fn description(&self) -> String {
        let uniq = &self.groups;
        let mut desc = String::new();
        for e in &self.edges {
            if !desc.is_empty() {
                desc.push(' ');
            }
            desc.push_str(&e.2.sentence(&uniq[e.0].name, &uniq[e.1].name));
        }
        if desc.is_empty() {
            desc = format!(
                "{} group{}, no recorded relations.",
                uniq.len(),
                if uniq.len() == 1 { "" } else { "s" }
            );
        }
        desc
    }

    /// The column headers (years), over the columns that hold a group.
    fn write_years(&self, out: &mut String) {
        let headers = &self.lay.headers;
        let _ = write!(
            out,
            "<g class=\"bw-lineage-years\" font-size=\"{}\" fill=\"#555\" text-anchor=\"middle\" aria-hidden=\"true\">",
            n1(SUB_FS)
        );
        let mut col_x: Vec<Option<(f64, f64)>> = vec![None; headers.len()];
        for p in self.placed() {
            col_x[p.col] = Some((p.x, p.w));
        }
        for (c, h) in headers.iter().enumerate() {
            if let Some((x, w)) = col_x[c] {
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\">{}</text>",
                    n1(x + w / 2.0),
                    n1(MARGIN + 10.0),
                    escape(h)
                );
            }
        }
        out.push_str("</g>");
    }

    /// Where each edge meets its two boxes: (start of its chain, end of its chain).
    ///
    /// Edges on one box side are spread along it, ordered by the height of the next point
    /// on the edge, so arrows do not pile up. Slot index: item * 2 + side (0 = left, 1 =
    /// right).
    fn edge_ends(&self) -> Vec<[(f64, f64); 2]> {
        let (lay, placed) = (&self.lay, self.placed());
        let mut ends: Vec<[(f64, f64); 2]> = vec![[(0.0, 0.0); 2]; self.edges.len()];
        let mut slots: Vec<Vec<(usize, usize, f64)>> = vec![Vec::new(); self.groups.len() * 2];
        for (ei, ch) in lay.chains.iter().enumerate() {
            let (first, last) = (ch[0], ch[ch.len() - 1]);
            let same_col = placed[first].col == placed[last].col;
            slots[first * 2 + 1].push((ei, 0, lay.items[ch[1]].cy()));
            slots[last * 2 + usize::from(same_col)].push((ei, 1, lay.items[ch[ch.len() - 2]].cy()));
        }
        for (si, list) in slots.iter_mut().enumerate() {
            let p = &placed[si / 2];
            let x = if si % 2 == 0 { p.x } else { p.x + p.w };
            list.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.0.cmp(&b.0)));
            let n = list.len() as f64;
            for (k, &(ei, end, _)) in list.iter().enumerate() {
                let y = p.y + p.h * (0.2 + 0.6 * (k as f64 + 0.5) / n);
                ends[ei][end] = (x, y);
            }
        }
        ends
    }

    /// Every edge: its path, in its kind's style, with its arrowhead and its sentence.
    fn write_edges(&self, out: &mut String) {
        let ends = self.edge_ends();
        out.push_str("<g class=\"bw-lineage-edges\" fill=\"none\">");
        for (ei, &(a, b, kind)) in self.edges.iter().enumerate() {
            let st = kind.style();
            let [p0, p3] = ends[ei];
            let (d, near0, near3) = self.edge_path(&self.lay.chains[ei], p0, p3);
            let uniq = &self.groups;
            let _ = write!(
                out,
                "<g class=\"bw-edge\"><title>{}</title><path d=\"{d}\" stroke=\"{}\" stroke-width=\"{}\"",
                escape(&kind.sentence(&uniq[a].name, &uniq[b].name)),
                st.colour,
                n1(st.width)
            );
            if !st.dash.is_empty() {
                let _ = write!(out, " stroke-dasharray=\"{}\"", st.dash);
            }
            if kind == EdgeKind::Ally {
                out.push_str(" stroke-linecap=\"round\"");
            }
            out.push_str("/>");
            if let Some(at_to) = st.head_at_to {
                // The chain runs left to right; `flipped` says which end is `to`.
                let at_chain_end = at_to != self.lay.flipped[ei];
                let (tip, from) = if at_chain_end {
                    (p3, near3)
                } else {
                    (p0, near0)
                };
                arrow_head(out, tip, from, st.colour);
            }
            out.push_str("</g>");
        }
        out.push_str("</g>");
    }

    /// The path data of an edge along `chain` from `p0` to `p3`, and the tangent reference
    /// points next to its two ends (for arrowheads).
    fn edge_path(
        &self,
        chain: &[usize],
        p0: (f64, f64),
        p3: (f64, f64),
    ) -> (String, (f64, f64), (f64, f64)) {
        let items = &self.lay.items;
        let mut d = format!("M{} {}", n1(p0.0), n1(p0.1));
        if items[chain[0]].col == items[chain[chain.len() - 1]].col {
            // Same column: bulge out to the right of the boxes.
            let bulge = 30.0 + (p3.1 - p0.1).abs() * 0.15;
            let (c1, c2) = ((p0.0 + bulge, p0.1), (p3.0 + bulge, p3.1));
            let _ = write!(
                d,
                "C{} {} {} {} {} {}",
                n1(c1.0),
                n1(c1.1),
                n1(c2.0),
                n1(c2.1),
                n1(p3.0),
                n1(p3.1)
            );
            return (d, c1, c2);
        }
        // Horizontal-tangent curves between columns, straight runs through the waypoint
        // slots.
        let mut pts: Vec<((f64, f64), (f64, f64))> = Vec::new();
        for &w in &chain[1..chain.len() - 1] {
            let q = &items[w];
            pts.push(((q.x, q.cy()), (q.x + q.w, q.cy())));
        }
        pts.push((p3, p3));
        let mut cur = p0;
        for (enter, exit) in pts {
            let dx = (enter.0 - cur.0) / 2.0;
            let _ = write!(
                d,
                "C{} {} {} {} {} {}",
                n1(cur.0 + dx),
                n1(cur.1),
                n1(enter.0 - dx),
                n1(enter.1),
                n1(enter.0),
                n1(enter.1)
            );
            if exit != enter {
                let _ = write!(d, "H{}", n1(exit.0));
            }
            cur = exit;
        }
        (d, (p0.0 + 10.0, p0.1), (p3.0 - 10.0, p3.1))
    }

    /// The groups' boxes, each a link to its page.
    fn write_boxes(&self, out: &mut String) {
        let placed = self.placed();
        let _ = write!(
            out,
            "<g class=\"bw-lineage-nodes\" font-size=\"{}\" text-anchor=\"middle\">",
            n1(FS)
        );
        // Emit in stable layout order (column, then top to bottom) so keyboard
        // focus moves through the diagram in reading order.
        let mut order: Vec<usize> = (0..placed.len()).collect();
        order.sort_by(|&a, &b| {
            placed[a]
                .col
                .cmp(&placed[b].col)
                .then(placed[a].y.total_cmp(&placed[b].y))
        });
        for i in order {
            let p = &placed[i];
            if let Some(node) = p.node {
                write_box(out, p, node);
            }
        }
        out.push_str("</g>");
    }
}

/// One group's box: a link holding its outline, its wrapped name and its sub-line.
fn write_box(out: &mut String, p: &Placed<'_>, node: &LineageNode) {
    let tip = if p.sub.is_empty() {
        node.name.clone()
    } else {
        format!("{} ({})", node.name, p.sub)
    };
    let (fill, stroke, dash, text_fill) = if node.current {
        ("#fff", "#333", "", "#111")
    } else {
        ("#f1f1f1", "#777", " stroke-dasharray=\"4 3\"", "#444")
    };
    let _ = write!(
        out,
        "<a href=\"{}\" class=\"bw-lineage-node{}{}\"{}><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{}\"{dash}/>",
        escape(&node.url),
        if node.current { "" } else { " bw-defunct" },
        if node.focus { " bw-focus" } else { "" },
        if node.focus {
            " aria-current=\"page\" font-weight=\"700\""
        } else {
            ""
        },
        escape(&tip),
        n1(p.x),
        n1(p.y),
        n1(p.w),
        n1(p.h),
        if node.focus { "3" } else { "1.5" }
    );
    let cx = p.x + p.w / 2.0;
    // Boxes grown for many edges keep their text vertically centred.
    let content_h =
        p.lines.len() as f64 * LINE_H + 12.0 + if p.sub.is_empty() { 0.0 } else { 13.0 };
    let mut y = p.y + (p.h - content_h) / 2.0 + 6.0 + FS;
    for l in &p.lines {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" fill=\"{text_fill}\">{}</text>",
            n1(cx),
            n1(y),
            escape(l)
        );
        y += LINE_H;
    }
    if !p.sub.is_empty() {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"#555\">{}</text>",
            n1(cx),
            n1(y - 2.0),
            n1(SUB_FS),
            escape(&p.sub)
        );
    }
    out.push_str("</a>");
}

impl LineageLegend {
    /// Each entry: a sample of its line (or the inactive box) and its text.
    fn write(&self, out: &mut String) {
        if self.items.is_empty() {
            return;
        }
        let _ = write!(
            out,
            "<g class=\"bw-lineage-legend\" font-size=\"{}\" fill=\"#222\" aria-hidden=\"true\">",
            n1(SUB_FS + 1.0)
        );
        for ((kind, text), &(x, y)) in self.items.iter().zip(&self.pos) {
            match kind {
                Some(k) => {
                    let st = k.style();
                    let _ = write!(
                        out,
                        "<path d=\"M{} {}h30\" stroke=\"{}\" stroke-width=\"{}\"{}/>",
                        n1(x),
                        n1(y + 6.0),
                        st.colour,
                        n1(st.width),
                        if st.dash.is_empty() {
                            String::new()
                        } else {
                            format!(" stroke-dasharray=\"{}\"", st.dash)
                        }
                    );
                    if st.head_at_to.is_some() {
                        arrow_head(out, (x + 32.0, y + 6.0), (x, y + 6.0), st.colour);
                    }
                }
                None => {
                    let _ = write!(
                        out,
                        "<rect x=\"{}\" y=\"{}\" width=\"30\" height=\"12\" rx=\"3\" fill=\"#f1f1f1\" stroke=\"#777\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
                        n1(x),
                        n1(y)
                    );
                }
            }
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\">{}</text>",
                n1(x + 40.0),
                n1(y + 10.0),
                escape(text)
            );
        }
        out.push_str("</g>");
    }
}

/// Filled triangle with its tip at `tip`, pointing away from `from`.
fn arrow_head(out: &mut String, tip: (f64, f64), from: (f64, f64), colour: &str) {
    let (dx, dy) = (tip.0 - from.0, tip.1 - from.1);
    let len = dx.hypot(dy);
    let (ux, uy) = if len > 1e-9 {
        (dx / len, dy / len)
    } else {
        (1.0, 0.0)
    };
    let (l, w) = (9.0, 4.0);
    let base = (tip.0 - ux * l, tip.1 - uy * l);
    let _ = write!(
        out,
        "<path d=\"M{} {}L{} {}L{} {}z\" fill=\"{colour}\"/>",
        n1(tip.0),
        n1(tip.1),
        n1(base.0 - uy * w),
        n1(base.1 + ux * w),
        n1(base.0 + uy * w),
        n1(base.1 - ux * w)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, name: &str, year: Option<i32>, current: bool) -> LineageNode {
        LineageNode {
            id: id.into(),
            name: name.into(),
            url: format!("/groups/{id}/"),
            founded: year,
            current,
            focus: false,
        }
    }

    fn edge(from: &str, to: &str, kind: EdgeKind) -> LineageEdge {
        LineageEdge {
            from: from.into(),
            to: to.into(),
            kind,
        }
    }

    pub(crate) fn family() -> (Vec<LineageNode>, Vec<LineageEdge>) {
        let nodes = vec![
            node("aq", "al-Qaeda", Some(1988), true),
            node("aqim", "al-Qaeda in the Islamic Maghreb", Some(2007), true),
            node("ad", "Ansar Dine", Some(2012), false),
            node("mur", "al-Mourabitoun", Some(2013), false),
            node("flm", "Macina Liberation Front", Some(2015), false),
            node(
                "jnim",
                "Jama'at Nasr al-Islam wal Muslimin",
                Some(2017),
                true,
            ),
            node(
                "isgs",
                "Islamic State in the Greater Sahara",
                Some(2015),
                true,
            ),
        ];
        let edges = vec![
            edge("aqim", "aq", EdgeKind::Affiliate),
            edge("ad", "jnim", EdgeKind::MergedInto),
            edge("mur", "jnim", EdgeKind::MergedInto),
            edge("flm", "jnim", EdgeKind::MergedInto),
            edge("aqim", "jnim", EdgeKind::MergedInto),
            edge("isgs", "mur", EdgeKind::SplinterOf),
            edge("jnim", "aq", EdgeKind::PledgedTo),
            edge("jnim", "isgs", EdgeKind::Rival),
            edge("ad", "aqim", EdgeKind::Ally),
        ];
        (nodes, edges)
    }

    /// ~30 groups with varied years, names and relations.
    fn overview() -> (Vec<LineageNode>, Vec<LineageEdge>) {
        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        for i in 0..30 {
            let year = if i % 11 == 10 {
                None
            } else {
                Some(1985 + (i * 7) % 36)
            };
            nodes.push(node(
                &format!("g{i}"),
                &format!(
                    "Group number {i} of the {} Front",
                    ["Sahel", "Lake Chad", "Horn"][i as usize % 3]
                ),
                year,
                i % 4 != 0,
            ));
            if i > 0 {
                let kind = EdgeKind::ALL[i as usize % 6];
                edges.push(edge(&format!("g{i}"), &format!("g{}", (i * 5) % i), kind));
            }
        }
        (nodes, edges)
    }

    fn overlaps(placed: &[Placed<'_>]) -> bool {
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                if a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h {
                    return true;
                }
            }
        }
        false
    }

    fn check_layout(nodes: &[LineageNode], edges: &[LineageEdge]) {
        let refs: Vec<&LineageNode> = nodes.iter().collect();
        let find = |id: &str| nodes.iter().position(|n| n.id == id).unwrap();
        let es: Vec<(usize, usize, EdgeKind)> = edges
            .iter()
            .map(|e| (find(&e.from), find(&e.to), e.kind))
            .collect();
        let lay = layout(&refs, &es);
        let (w, h) = (lay.width, lay.height);
        // Boxes and edge waypoints never overlap: edges pass between boxes.
        assert!(!overlaps(&lay.items));
        let placed = &lay.items[..nodes.len()];
        for p in placed {
            assert!(p.x >= 0.0 && p.y >= 0.0 && p.x + p.w <= w && p.y + p.h <= h);
            // Text fits: every line's estimated width is inside the box.
            for l in &p.lines {
                assert!(text_width(l, FS) + 8.0 <= p.w, "{l} in {}", p.w);
            }
        }
        // Columns follow founding years.
        for a in placed {
            for b in placed {
                if let (Some(ya), Some(yb)) = (
                    a.node.and_then(|n| n.founded),
                    b.node.and_then(|n| n.founded),
                ) && ya < yb
                {
                    assert!(a.x <= b.x);
                }
            }
        }
    }

    #[test]
    fn family_layout_ok() {
        let (n, e) = family();
        check_layout(&n, &e);
        let svg = lineage_svg(&n, &e, "JNIM family");
        assert_eq!(svg, lineage_svg(&n, &e, "JNIM family"));
        assert_eq!(svg.matches("<a href=").count(), 7);
        assert!(svg.contains("Ansar Dine merged into Jama&#39;at Nasr al-Islam wal Muslimin."));
        assert!(
            svg.contains("stroke-dasharray=\"3 3\""),
            "affiliation dashed"
        );
        assert!(svg.len() < 20 * 1024, "{}", svg.len());
    }

    #[test]
    fn overview_layout_ok() {
        let (n, e) = overview();
        check_layout(&n, &e);
        let svg = lineage_svg(&n, &e, "All groups");
        assert!(svg.contains("year unknown"));
        assert!(svg.len() < 60 * 1024, "{}", svg.len());
    }

    #[test]
    fn long_names_widen_or_wrap() {
        let n = vec![node(
            "a",
            "Supercalifragilisticexpialidocious-Brigade of the Very Long Name",
            Some(2000),
            true,
        )];
        check_layout(&n, &[]);
    }

    #[test]
    fn escapes_and_handles_bad_input() {
        assert_eq!(lineage_svg(&[], &[], "x"), "");
        let n = vec![
            node("a", "<script>alert(1)</script>", None, false),
            node("a", "duplicate", None, true),
            node("b", "", Some(2001), true),
        ];
        let e = vec![
            edge("a", "a", EdgeKind::Ally),
            edge("a", "zzz", EdgeKind::Ally),
            edge("a", "b", EdgeKind::Rival),
        ];
        let svg = lineage_svg(&n, &e, "<t>");
        assert!(!svg.contains("<script>") && svg.contains("&lt;script&gt;"));
        assert_eq!(svg.matches("<a href=").count(), 2);
        assert_eq!(svg.matches("class=\"bw-edge\"").count(), 1);
        assert!(svg.contains("&lt;t&gt;"));
    }
}
