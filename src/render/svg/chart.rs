//! Bar charts of counts that may be uncertain ranges, plus the same figures
//! as an accessible HTML table.
//!
//! Ranges are drawn as ranges: a solid bar up to the lower figure and a
//! hatched segment up to the upper one; open-ended values ("at least N") get
//! an arrow on top. No midpoint is ever invented. With several series the
//! solid lower figures are stacked first and the hatched uncertainty on top,
//! so the solid top is the total's lower bound and the hatched top its
//! upper bound.

use super::{PALETTE, content_id, group_thousands, n1, open_svg, text_width};
use crate::text::escape;
use std::fmt::Write as _;

/// A count known exactly, as a range, or only as a lower bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Range {
    /// Lower (or exact) figure.
    pub min: u64,
    /// Upper figure; `None` = open-ended ("at least `min`"). Equal to `min`
    /// for an exact count; values below `min` are treated as `min`.
    pub max: Option<u64>,
}

impl Range {
    /// An exact count.
    pub fn exact(n: u64) -> Range {
        Range {
            min: n,
            max: Some(n),
        }
    }

    /// A range from `min` to `max` (swapped if given the wrong way round).
    pub fn between(min: u64, max: u64) -> Range {
        Range {
            min: min.min(max),
            max: Some(min.max(max)),
        }
    }

    /// An open-ended count: at least `min`.
    pub fn at_least(min: u64) -> Range {
        Range { min, max: None }
    }

    /// Upper figure if known, never below `min`.
    fn hi(&self) -> Option<u64> {
        self.max.map(|m| m.max(self.min))
    }

    /// Reader-facing text: "12", "10–12" or "at least 5".
    pub fn display(&self) -> String {
        match self.hi() {
            None => format!("at least {}", group_thousands(self.min)),
            Some(h) if h == self.min => group_thousands(h),
            Some(h) => format!("{}–{}", group_thousands(self.min), group_thousands(h)),
        }
    }
}

/// One stacked layer of a bar chart (e.g. one group).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Series {
    /// Legend and table column name.
    pub name: String,
    /// One value per category, aligned with `BarChart::labels`; missing
    /// trailing values mean "no figure" (no bar, "—" in the table).
    pub values: Vec<Range>,
}

/// A (stacked) bar chart over categories such as years or months.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BarChart {
    /// Accessible name and table caption.
    pub title: String,
    /// Longer description; generated if empty.
    pub desc: String,
    /// Category labels along the x axis.
    pub labels: Vec<String>,
    /// Stacked series, bottom first.
    pub series: Vec<Series>,
    /// What is counted, shown above the y axis (e.g. "Killed").
    pub y_label: String,
    /// A caveat every reader must see (how incidents are coloured, what is left out):
    /// appended to the description and printed under the chart's table.
    pub note: String,
}

const W: f64 = 720.0;
const H: f64 = 340.0;
const FS: f64 = 11.0;

/// Sum of ranges at category `i`.
fn total(chart: &BarChart, i: usize) -> Total {
    let mut lo = 0u64;
    let mut hi = 0u64;
    let mut open = false;
    let mut any = false;
    for s in &chart.series {
        if let Some(v) = s.values.get(i) {
            any = true;
            lo = lo.saturating_add(v.min);
            match v.hi() {
                Some(h) => hi = hi.saturating_add(h),
                None => {
                    open = true;
                    hi = hi.saturating_add(v.min);
                }
            }
        }
    }
    (lo, hi, open, any)
}

fn total_display(lo: u64, hi: u64, open: bool) -> String {
    if open {
        format!("at least {}", group_thousands(lo))
    } else {
        Range::between(lo, hi).display()
    }
}

/// Tick step 1, 2 or 5 × 10^k (at least 1: these are counts).
fn nice_step(raw: f64) -> u64 {
    if raw.is_nan() || raw <= 1.0 {
        return 1;
    }
    let p = 10f64.powf(raw.log10().floor());
    let m = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|&m| m * p >= raw)
        .unwrap_or(10.0);
    (m * p).round().max(1.0) as u64
}

/// Label thinning steps that read naturally: months in quarters and whole
/// years, years in fives and tens.
fn label_steps(header: &str) -> &'static [usize] {
    match header {
        "Month" => &[1, 2, 3, 4, 6, 12, 24, 36, 60, 120],
        "Year" => &[1, 2, 5, 10, 20, 25, 50, 100],
        _ => &[1, 2, 3, 4, 5, 10, 20, 25, 50, 100],
    }
}

fn colour(i: usize) -> &'static str {
    // Black is kept for marks (axes, arrows); series cycle through seven.
    PALETTE[i % 7]
}

/// A guess of what the categories are, for the table's first header.
fn category_header(labels: &[String]) -> &'static str {
    let all = |f: &dyn Fn(&[u8]) -> bool| labels.iter().all(|l| f(l.as_bytes()));
    if all(&|b| b.len() == 4 && b.iter().all(u8::is_ascii_digit)) {
        "Year"
    } else if all(&|b| {
        b.len() == 7 && b[4] == b'-' && b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit)
    }) {
        "Month"
    } else {
        "Category"
    }
}

fn auto_desc(chart: &BarChart) -> String {
    let what = if chart.y_label.is_empty() {
        "Counts".to_string()
    } else {
        chart.y_label.clone()
    };
    let span = match (chart.labels.first(), chart.labels.last()) {
        (Some(a), Some(b)) if a != b => format!(" from {a} to {b}"),
        (Some(a), _) => format!(" for {a}"),
        _ => String::new(),
    };
    let by = match chart.series.len() {
        0 | 1 => String::new(),
        _ => format!(
            ", stacked by {}",
            chart
                .series
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut peak: Option<(usize, u64)> = None;
    for i in 0..chart.labels.len() {
        let (lo, _, _, _) = total(chart, i);
        if peak.is_none_or(|(_, p)| lo > p) {
            peak = Some((i, lo));
        }
    }
    let peak = match peak {
        Some((i, _)) => {
            let (lo, hi, open, _) = total(chart, i);
            format!(
                " Highest: {} in {}.",
                total_display(lo, hi, open),
                chart.labels[i]
            )
        }
        None => String::new(),
    };
    format!(
        "Bar chart. {what}{span}{by}.{peak} Ranges are shown as a solid bar up to the lower figure and a hatched part up to the upper figure."
    )
}

/// Renders the chart as an inline `<svg role="img">`; empty string when there
/// are no categories or no series.
pub fn bar_chart_svg(chart: &BarChart) -> String {
    let n = chart.labels.len();
    if n == 0 || chart.series.is_empty() {
        return String::new();
    }
    let totals: Vec<Total> = (0..n).map(|i| total(chart, i)).collect();
    let any_range = chart.series.iter().any(|s| has_range(s, n));
    let any_open = totals.iter().any(|t| t.2);
    let (y_max, ticks) = y_scale(&totals);
    let tick_w = ticks
        .iter()
        .map(|t| text_width(&group_thousands(*t), FS))
        .fold(0.0, f64::max);
    let entries = legend_entries(chart, any_range, any_open);
    let left = (tick_w + 14.0).max(28.0);
    let legend = Legend::lay_out(entries, left, W - 12.0);
    let plot = Plot::new(left, legend.height(), y_max, n);
    let id = chart_id(chart);

    let mut out = String::with_capacity(8 * 1024);
    let title = if chart.title.is_empty() {
        "Chart"
    } else {
        &chart.title
    };
    open_svg(
        &mut out,
        "bw-chart",
        &id,
        (W, H),
        "img",
        title,
        &description(chart),
    );
    write_hatches(&mut out, chart, &id, any_range);
    legend.write(&mut out, &id);
    write_y_axis(&mut out, chart, &plot, &ticks);
    write_bars(&mut out, chart, &plot, &totals, &id);
    write_x_axis(&mut out, chart, &plot);
    out.push_str("</svg>");
    out
}

/// A category's total: (sum of lower figures, sum of upper figures, any open, any figure).
type Total = (u64, u64, bool, bool);

/// Whether any of the first `n` values of `s` is a range rather than one figure.
fn has_range(s: &Series, n: usize) -> bool {
    s.values
        .iter()
        .take(n)
        .any(|v| v.hi().is_some_and(|h| h > v.min))
}

/// The top of the y axis and its ticks from 0, about five of them at a round step.
fn y_scale(totals: &[Total]) -> (u64, Vec<u64>) {
    let top = totals.iter().map(|t| t.1).max().unwrap_or(0).max(1);
    let step = nice_step(top as f64 / 5.0);
    let y_max = top.div_ceil(step).saturating_mul(step);
    let ticks = (0..=y_max / step).map(|k| k * step).collect();
    (y_max, ticks)
}

/// The id of the chart's SVG, from everything it shows, so equal charts share it.
fn chart_id(chart: &BarChart) -> String {
    let mut parts: Vec<&str> = vec![&chart.title, &chart.desc, &chart.y_label, &chart.note];
    parts.extend(chart.labels.iter().map(String::as_str));
    parts.extend(chart.series.iter().map(|s| s.name.as_str()));
    let values_key: String = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().map(|v| format!("{}:{:?},", v.min, v.max)))
        .collect();
    parts.push(&values_key);
    content_id("bw-chart", &parts)
}

/// The accessible description: the chart's own or a generated one, then its note.
fn description(chart: &BarChart) -> String {
    let mut desc = if chart.desc.is_empty() {
        auto_desc(chart)
    } else {
        chart.desc.clone()
    };
    if !chart.note.is_empty() {
        desc.push(' ');
        desc.push_str(&chart.note);
    }
    desc
}

/// The plot area and its scales, in SVG units.
struct Plot {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    y_max: u64,
    /// The width each category takes along the x axis.
    pitch: f64,
    /// The width of a bar within its pitch.
    bar_w: f64,
}

impl Plot {
    /// The plot below a legend `legend_h` high, for `n` categories up to `y_max`.
    fn new(left: f64, legend_h: f64, y_max: u64, n: usize) -> Plot {
        let right = W - 12.0;
        let pitch = (right - left) / n as f64;
        // Bars too thin for a gap between them touch.
        let bar_w = if pitch < 3.0 {
            pitch
        } else {
            (pitch * 0.72).max(2.0)
        };
        Plot {
            left,
            right,
            top: 8.0 + legend_h + 22.0,
            bottom: H - 26.0,
            y_max,
            pitch,
            bar_w,
        }
    }

    /// The y coordinate of count `v`.
    fn y_of(&self, v: u64) -> f64 {
        self.bottom - v as f64 / self.y_max as f64 * (self.bottom - self.top)
    }
}

/// What a legend entry's swatch shows.
#[derive(Clone, Copy)]
enum Swatch {
    /// A series' colour.
    Series,
    /// The hatching of a range.
    Range,
    /// The arrow of an open-ended count.
    Open,
}

/// The legend's entries: the series (when named or several), then the marks in use.
fn legend_entries(chart: &BarChart, any_range: bool, any_open: bool) -> Vec<Entry> {
    let mut entries = Vec::new();
    if chart.series.len() > 1 || !chart.series[0].name.is_empty() {
        for (k, s) in chart.series.iter().enumerate() {
            entries.push((Swatch::Series, colour(k), s.name.clone()));
        }
    }
    if any_range {
        entries.push((Swatch::Range, "#555", "range: lower to upper figure".into()));
    }
    if any_open {
        entries.push((Swatch::Open, "#222", "at least (no upper figure)".into()));
    }
    entries
}

/// A legend entry: its swatch, colour and text.
type Entry = (Swatch, &'static str, String);

/// The legend above the plot: its entries laid out in rows that wrap at the right edge.
struct Legend {
    entries: Vec<Entry>,
    /// Each row's entries as (x, index into `entries`).
    rows: Vec<Vec<(f64, usize)>>,
}

impl Legend {
    /// Lays `entries` out from `left`, starting a new row before one would pass `right`.
    fn lay_out(entries: Vec<Entry>, left: f64, right: f64) -> Legend {
        let mut rows: Vec<Vec<(f64, usize)>> = vec![vec![]];
        let mut x = left;
        for (k, e) in entries.iter().enumerate() {
            let ew = 18.0 + text_width(&e.2, FS) * 0.92 + 14.0;
            if x + ew > right && !rows.last().is_some_and(Vec::is_empty) {
                rows.push(vec![]);
                x = left;
            }
            if let Some(row) = rows.last_mut() {
                row.push((x, k));
            }
            x += ew;
        }
        Legend { entries, rows }
    }

    /// The height the legend takes (none without entries).
    fn height(&self) -> f64 {
        if self.entries.is_empty() {
            0.0
        } else {
            self.rows.len() as f64 * 18.0 + 4.0
        }
    }

    /// Writes the legend's group; `id` names the chart's hatch patterns.
    fn write(&self, out: &mut String, id: &str) {
        let _ = write!(
            out,
            "<g class=\"bw-chart-legend\" font-size=\"{}\" fill=\"#222\">",
            n1(FS)
        );
        for (r, row) in self.rows.iter().enumerate() {
            let y = 8.0 + r as f64 * 18.0;
            for &(x, k) in row {
                let (swatch, c, text) = &self.entries[k];
                match swatch {
                    Swatch::Series => {
                        let _ = write!(
                            out,
                            "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{c}\"/>",
                            n1(x),
                            n1(y)
                        );
                    }
                    Swatch::Range => {
                        let _ = write!(
                            out,
                            "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"url(#{id}-hl)\" stroke=\"{c}\" stroke-width=\".8\"/>",
                            n1(x),
                            n1(y)
                        );
                    }
                    Swatch::Open => {
                        let _ = write!(
                            out,
                            "<path d=\"M{} {}l6-9 6 9z\" fill=\"{c}\"/>",
                            n1(x),
                            n1(y + 11.0)
                        );
                    }
                }
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\">{}</text>",
                    n1(x + 18.0),
                    n1(y + 10.0),
                    escape(text)
                );
            }
        }
        out.push_str("</g>");
    }
}

/// The hatch patterns of the series that have ranges, and the legend's.
fn write_hatches(out: &mut String, chart: &BarChart, id: &str, any_range: bool) {
    // Ids derive from the content hash, so several charts on a page do not clash.
    let mut defs = String::new();
    for (k, s) in chart.series.iter().enumerate() {
        if has_range(s, chart.labels.len()) {
            hatch(&mut defs, &format!("{id}-h{k}"), colour(k));
        }
    }
    if any_range {
        hatch(&mut defs, &format!("{id}-hl"), "#555");
    }
    if !defs.is_empty() {
        let _ = write!(out, "<defs>{defs}</defs>");
    }
}

/// The y axis: what is counted, the gridlines and the tick labels.
fn write_y_axis(out: &mut String, chart: &BarChart, plot: &Plot, ticks: &[u64]) {
    let _ = write!(
        out,
        "<text class=\"bw-chart-ylabel\" x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"#222\" font-weight=\"600\">{}</text>",
        n1(4.0),
        n1(plot.top - 10.0),
        n1(FS),
        escape(&chart.y_label)
    );
    let _ = write!(out, "<g class=\"bw-chart-grid\" stroke=\"#ddd\">");
    for t in &ticks[1..] {
        let _ = write!(
            out,
            "<path d=\"M{} {}H{}\"/>",
            n1(plot.left),
            n1(plot.y_of(*t)),
            n1(plot.right)
        );
    }
    out.push_str("</g>");
    let _ = write!(
        out,
        "<g class=\"bw-chart-yticks\" font-size=\"{}\" fill=\"#444\" text-anchor=\"end\">",
        n1(FS)
    );
    for t in ticks {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            n1(plot.left - 6.0),
            n1(plot.y_of(*t) + 4.0),
            group_thousands(*t)
        );
    }
    out.push_str("</g>");
}

/// One bar per category, each in a group titled with its figures.
fn write_bars(out: &mut String, chart: &BarChart, plot: &Plot, totals: &[Total], id: &str) {
    out.push_str("<g class=\"bw-chart-bars\">");
    for (i, label) in chart.labels.iter().enumerate() {
        let x = plot.left + i as f64 * plot.pitch + (plot.pitch - plot.bar_w) / 2.0;
        let _ = write!(
            out,
            "<g><title>{}</title>",
            escape(&bar_tooltip(chart, i, label, totals[i]))
        );
        let top = write_stack(out, chart, plot, i, x, id);
        if totals[i].2 {
            // Arrow above the bar: the true total is higher than drawn.
            let aw = plot.bar_w.clamp(4.0, 10.0);
            let cx = x + plot.bar_w / 2.0;
            let ty = plot.y_of(top) - 2.0;
            let _ = write!(
                out,
                "<path class=\"bw-chart-open\" d=\"M{} {}l{} -7 {} 7z\" fill=\"#222\"/>",
                n1(cx - aw / 2.0),
                n1(ty),
                n1(aw / 2.0),
                n1(aw / 2.0)
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</g>");
}

/// The tooltip of category `i`'s bar: every series' figure and, stacked, the total.
fn bar_tooltip(chart: &BarChart, i: usize, label: &str, (lo, hi, open, any): Total) -> String {
    let mut tip = label.to_string();
    tip.push_str(": ");
    if !any {
        tip.push_str("no figure");
    }
    let mut first = true;
    for s in &chart.series {
        if let Some(v) = s.values.get(i) {
            if !first {
                tip.push_str("; ");
            }
            first = false;
            if chart.series.len() > 1 || !s.name.is_empty() {
                let _ = write!(tip, "{} ", s.name);
            }
            tip.push_str(&v.display());
        }
    }
    if chart.series.len() > 1 && any {
        let _ = write!(tip, "; total {}", total_display(lo, hi, open));
    }
    tip
}

/// Category `i`'s stack at `x`: the solid lower figures, then the hatched ranges above
/// them; returns the count its top stands for.
fn write_stack(out: &mut String, chart: &BarChart, plot: &Plot, i: usize, x: f64, id: &str) -> u64 {
    let mut acc = 0u64;
    for (k, s) in chart.series.iter().enumerate() {
        if let Some(v) = s.values.get(i)
            && v.min > 0
        {
            bar_rect(
                out,
                x,
                plot.bar_w,
                plot.y_of(acc.saturating_add(v.min)),
                plot.y_of(acc),
                &format!("fill=\"{}\"", colour(k)),
            );
            acc = acc.saturating_add(v.min);
        }
    }
    for (k, s) in chart.series.iter().enumerate() {
        if let Some(v) = s.values.get(i)
            && let Some(h) = v.hi()
            && h > v.min
        {
            let d = h - v.min;
            bar_rect(
                out,
                x,
                plot.bar_w,
                plot.y_of(acc.saturating_add(d)),
                plot.y_of(acc),
                &format!(
                    "class=\"bw-chart-range\" fill=\"url(#{id}-h{k})\" stroke=\"{}\" stroke-width=\".8\"",
                    colour(k)
                ),
            );
            acc = acc.saturating_add(d);
        }
    }
    acc
}

/// The x axis: its baseline, and ticks and labels thinned so that labels never overlap.
fn write_x_axis(out: &mut String, chart: &BarChart, plot: &Plot) {
    let label_w = chart
        .labels
        .iter()
        .map(|l| text_width(l, FS) * 0.9)
        .fold(0.0, f64::max)
        + 8.0;
    let need = (label_w / plot.pitch).ceil() as usize;
    let every = label_steps(category_header(&chart.labels))
        .iter()
        .copied()
        .find(|&s| s >= need)
        .unwrap_or(need.max(1));
    let _ = write!(
        out,
        "<path d=\"M{} {}H{}\" stroke=\"#333\"/><g class=\"bw-chart-xticks\" font-size=\"{}\" fill=\"#444\" text-anchor=\"middle\">",
        n1(plot.left),
        n1(plot.bottom),
        n1(plot.right),
        n1(FS)
    );
    for (i, label) in chart.labels.iter().enumerate().step_by(every) {
        let cx = plot.left + (i as f64 + 0.5) * plot.pitch;
        let _ = write!(
            out,
            "<path d=\"M{} {}v4\" stroke=\"#333\"/><text x=\"{}\" y=\"{}\">{}</text>",
            n1(cx),
            n1(plot.bottom),
            n1(cx
                .max(plot.left + label_w / 2.0 - 8.0)
                .min(plot.right - label_w / 2.0 + 4.0)),
            n1(plot.bottom + 17.0),
            escape(label)
        );
    }
    out.push_str("</g>");
}

fn hatch(out: &mut String, id: &str, c: &str) {
    let _ = write!(
        out,
        "<pattern id=\"{id}\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"5\" height=\"5\" fill=\"#fff\"/><rect width=\"2\" height=\"5\" fill=\"{c}\"/></pattern>"
    );
}

fn bar_rect(out: &mut String, x: f64, w: f64, y_top: f64, y_bottom: f64, attrs: &str) {
    let _ = write!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {attrs}/>",
        n1(x),
        n1(y_top),
        n1(w),
        n1((y_bottom - y_top).max(0.0))
    );
}

/// The chart's figures as an accessible `<table>` (caption, scoped headers);
/// empty string when there are no categories or no series.
pub fn data_table_html(chart: &BarChart) -> String {
    let n = chart.labels.len();
    if n == 0 || chart.series.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(2048);
    let caption = if chart.y_label.is_empty()
        || chart
            .title
            .to_lowercase()
            .contains(&chart.y_label.to_lowercase())
    {
        escape(&chart.title)
    } else {
        format!("{} ({})", escape(&chart.title), escape(&chart.y_label))
    };
    let _ = write!(
        out,
        "<table class=\"bw-data-table\"><caption>{caption}</caption><thead><tr><th scope=\"col\">{}</th>",
        category_header(&chart.labels)
    );
    let multi = chart.series.len() > 1;
    for s in &chart.series {
        let name = if s.name.is_empty() {
            &chart.y_label
        } else {
            &s.name
        };
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(name));
    }
    if multi {
        out.push_str("<th scope=\"col\">Total</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for (i, label) in chart.labels.iter().enumerate() {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", escape(label));
        for s in &chart.series {
            match s.values.get(i) {
                Some(v) => {
                    let _ = write!(out, "<td>{}</td>", v.display());
                }
                None => out.push_str("<td>—</td>"),
            }
        }
        if multi {
            let (lo, hi, open, any) = total(chart, i);
            let t = if any {
                total_display(lo, hi, open)
            } else {
                "—".to_string()
            };
            let _ = write!(out, "<td>{t}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// Chart and table together in one `<figure>`, the table after the picture
/// so screen-reader and print users get the exact figures.
pub fn bar_chart_figure(chart: &BarChart) -> String {
    let svg = bar_chart_svg(chart);
    if svg.is_empty() {
        return svg;
    }
    let note = if chart.note.is_empty() {
        String::new()
    } else {
        format!("<p class=\"bw-note\">{}</p>", escape(&chart.note))
    };
    format!(
        "<figure class=\"bw-chart-figure\">{svg}{}{note}</figure>",
        data_table_html(chart)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> BarChart {
        BarChart {
            title: "Killed per year".into(),
            desc: String::new(),
            labels: (2012..2024).map(|y| y.to_string()).collect(),
            series: vec![
                Series {
                    name: "JNIM".into(),
                    values: (0..12).map(|i| Range::exact(i * 3)).collect(),
                },
                Series {
                    name: "ISGS".into(),
                    values: (0..12)
                        .map(|i| {
                            if i == 5 {
                                Range::at_least(7)
                            } else {
                                Range::between(i, i + i % 4)
                            }
                        })
                        .collect(),
                },
            ],
            y_label: "Killed".into(),
            note: String::new(),
        }
    }

    #[test]
    fn deterministic_and_sized() {
        let c = sample();
        let a = bar_chart_svg(&c);
        assert_eq!(a, bar_chart_svg(&c));
        assert!(a.starts_with("<svg") && a.ends_with("</svg>"));
        assert!(a.len() < 20 * 1024, "{}", a.len());
    }

    #[test]
    fn range_renders_two_segments() {
        let c = BarChart {
            title: "t".into(),
            labels: vec!["2017".into()],
            series: vec![Series {
                name: "A".into(),
                values: vec![Range::between(10, 12)],
            }],
            ..Default::default()
        };
        let svg = bar_chart_svg(&c);
        let bars = &svg[svg.find("bw-chart-bars").unwrap()..];
        assert_eq!(bars.matches("<rect").count(), 2, "{bars}");
        assert_eq!(bars.matches("bw-chart-range").count(), 1);
        // Solid part reaches 10 of 12 units.
        assert!(svg.contains("10–12"));
        assert!(!svg.contains("bw-chart-open"));
    }

    #[test]
    fn open_ended_gets_arrow_not_guess() {
        let c = BarChart {
            labels: vec!["2017".into()],
            series: vec![Series {
                name: "A".into(),
                values: vec![Range::at_least(5)],
            }],
            ..Default::default()
        };
        let svg = bar_chart_svg(&c);
        assert!(svg.contains("bw-chart-open"));
        assert!(!svg.contains("bw-chart-range\""));
        assert!(svg.contains("at least 5"));
        assert!(data_table_html(&c).contains("<td>at least 5</td>"));
    }

    #[test]
    fn table_matches_chart() {
        let t = data_table_html(&sample());
        assert!(t.contains("<caption>Killed per year</caption>"));
        assert!(t.contains("<th scope=\"col\">Year</th>"));
        assert!(t.contains("<th scope=\"row\">2013</th><td>3</td><td>1–2</td><td>4–5</td>"));
        assert!(t.contains("<td>at least 7</td><td>at least 22</td>"));
        assert_eq!(t.matches("<tr>").count(), 13);
    }

    #[test]
    fn escapes_text() {
        let c = BarChart {
            title: "<script>".into(),
            labels: vec!["<script>".into()],
            series: vec![Series {
                name: "<script>".into(),
                values: vec![Range::exact(1)],
            }],
            y_label: "a&b".into(),
            ..Default::default()
        };
        for s in [bar_chart_svg(&c), data_table_html(&c)] {
            assert!(!s.contains("<script>"));
            assert!(s.contains("&lt;script&gt;"));
        }
    }

    #[test]
    fn many_months_thin_labels() {
        let labels: Vec<String> = (0..120)
            .map(|m| format!("{}-{:02}", 2014 + m / 12, m % 12 + 1))
            .collect();
        let c = BarChart {
            labels,
            series: vec![Series {
                name: "A".into(),
                values: (0..120).map(|m| Range::exact(m % 17)).collect(),
            }],
            ..Default::default()
        };
        let svg = bar_chart_svg(&c);
        let xt = &svg[svg.find("bw-chart-xticks").unwrap()..];
        let shown = xt.matches("<text").count();
        assert!((5..=20).contains(&shown), "{shown} labels");
        assert!(xt.contains(">2014-01<") && xt.contains(">2015-01<"));
        assert!(svg.len() < 30 * 1024, "{}", svg.len());
        assert_eq!(
            data_table_html(&c).matches("<th scope=\"row\">").count(),
            120
        );
        assert!(data_table_html(&c).contains(">Month<"));
    }

    #[test]
    fn empty_and_ragged_input() {
        assert_eq!(bar_chart_svg(&BarChart::default()), "");
        assert_eq!(data_table_html(&BarChart::default()), "");
        let c = BarChart {
            labels: vec!["a".into(), "b".into()],
            series: vec![Series {
                name: "A".into(),
                values: vec![Range {
                    min: 5,
                    max: Some(2),
                }],
            }],
            ..Default::default()
        };
        let svg = bar_chart_svg(&c);
        assert!(svg.contains("b: no figure"));
        assert!(data_table_html(&c).contains("<td>5</td>"));
        assert!(data_table_html(&c).contains("<td>—</td>"));
        let zero = BarChart {
            labels: vec!["x".into()],
            series: vec![Series::default()],
            ..Default::default()
        };
        assert!(bar_chart_svg(&zero).starts_with("<svg"));
        let huge = BarChart {
            labels: vec!["x".into()],
            series: vec![
                Series {
                    name: "A".into(),
                    values: vec![Range::exact(u64::MAX)]
                };
                2
            ],
            ..Default::default()
        };
        assert!(bar_chart_svg(&huge).ends_with("</svg>"));
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(0.3), 1);
        assert_eq!(nice_step(3.0), 5);
        assert_eq!(nice_step(13.0), 20);
        assert_eq!(nice_step(50.0), 50);
    }
}
