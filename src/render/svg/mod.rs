//! Build-time SVG pictures: maps, bar charts, group lineage diagrams and
//! year timelines, all returned as self-contained inline SVG/HTML strings.
//!
//! Everything here is pure: the same input gives the same bytes (fixed
//! number formatting, no hash-map iteration, ids derived from content), so
//! the generated site is reproducible and diff-friendly. No JavaScript, no
//! external requests; the pictures carry their own presentation attributes
//! so they look right (and print) without the theme stylesheet.

pub mod chart;
pub mod lineage;
pub mod map;
pub mod timeline;

pub use chart::{BarChart, Range, Series, bar_chart_figure, bar_chart_svg, data_table_html};
pub use lineage::{EdgeKind, LineageEdge, LineageNode, lineage_svg};
pub use map::{MapOptions, MapPoint, Mark, country_centre, map_svg};
pub use timeline::{Band, timeline_css, timeline_html};

use std::fmt::Write as _;

use crate::text::escape;

/// Okabe-Ito palette, ordered so the most distinct (and darkest) come first;
/// yellow sits late because it vanishes on light backgrounds.
pub const PALETTE: [&str; 8] = [
    "#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000",
];

/// Font stack used for all SVG text (system fonts only: nothing is fetched).
pub(crate) const FONT: &str =
    "system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

/// Formats a number with at most one decimal ("12", "12.5", never "-0").
pub(crate) fn n1(v: f64) -> String {
    let t = if v.is_finite() {
        (v * 10.0).round() as i64
    } else {
        0
    };
    fmt_tenths(t)
}

/// Formats an integer count of tenths as a decimal ("125" -> "12.5").
pub(crate) fn fmt_tenths(t: i64) -> String {
    let sign = if t < 0 { "-" } else { "" };
    let a = t.unsigned_abs();
    if a.is_multiple_of(10) {
        format!("{sign}{}", a / 10)
    } else {
        format!("{sign}{}.{}", a / 10, a % 10)
    }
}

/// Groups thousands with commas ("12,345") for counts shown to readers.
pub(crate) fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Rough rendered width of `s` in px: ~0.6 em per character is a safe upper
/// estimate for proportional sans-serif fonts without shaping.
pub(crate) fn text_width(s: &str, font_px: f64) -> f64 {
    s.chars().count() as f64 * 0.6 * font_px
}

/// FNV-1a hash of the given parts, as a short id suffix. Element ids must be
/// unique within a page; deriving them from the content keeps output
/// deterministic while two different pictures on one page get different ids.
pub(crate) fn content_id(prefix: &str, parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{prefix}-{:08x}", (h ^ (h >> 32)) as u32)
}

/// Wraps `text` into lines of at most `max_chars` characters, breaking at
/// spaces (or inside a word only when the word alone is too long).
pub(crate) fn wrap(text: &str, max_chars: usize) -> Vec<String> {
    let max_chars = max_chars.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let cur_len = cur.chars().count();
            let need = if cur_len == 0 {
                word.len()
            } else {
                cur_len + 1 + word.len()
            };
            if need <= max_chars {
                if cur_len > 0 {
                    cur.push(' ');
                }
                cur.extend(word.iter());
                break;
            }
            if cur_len > 0 {
                lines.push(std::mem::take(&mut cur));
                continue;
            }
            // A single word longer than a line: hard-break it.
            let rest = word.split_off(max_chars);
            lines.push(word.iter().collect());
            word = rest;
            if word.is_empty() {
                break;
            }
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Compact SVG path data in tenths of a pixel: absolute move-to, then
/// relative line-tos. Relative steps are computed from already-rounded
/// absolute positions, so rounding errors never accumulate.
#[derive(Default)]
pub(crate) struct PathData {
    d: String,
    last: (i64, i64),
    start: (i64, i64),
    ring_len: usize,
}

impl PathData {
    fn num(&mut self, t: i64) {
        let s = fmt_tenths(t);
        if let Some(c) = self.d.chars().last()
            && !c.is_ascii_alphabetic()
            && !s.starts_with('-')
        {
            self.d.push(' ');
        }
        self.d.push_str(&s);
    }

    /// Starts a new sub-path at (x, y) px.
    pub(crate) fn move_to(&mut self, x: f64, y: f64) {
        let p = (tenths(x), tenths(y));
        self.d.push('M');
        self.num(p.0);
        self.num(p.1);
        self.last = p;
        self.start = p;
        self.ring_len = 1;
    }

    /// Adds a straight segment to (x, y) px; zero-length steps are skipped.
    pub(crate) fn line_to(&mut self, x: f64, y: f64) {
        let p = (tenths(x), tenths(y));
        if p == self.last {
            return;
        }
        // After the first `l`, SVG repeats the command implicitly.
        if self.ring_len == 1 {
            self.d.push('l');
        }
        self.num(p.0 - self.last.0);
        self.num(p.1 - self.last.1);
        self.last = p;
        self.ring_len += 1;
    }

    /// Closes the current sub-path.
    pub(crate) fn close(&mut self) {
        self.d.push('z');
        self.last = self.start;
    }

    /// Adds a whole closed ring; rings that collapse to fewer than three
    /// distinct rounded points are dropped so no degenerate specks remain.
    pub(crate) fn ring(&mut self, pts: &[(f64, f64)]) {
        let mut uniq: Vec<(i64, i64)> = Vec::with_capacity(pts.len());
        for &(x, y) in pts {
            let p = (tenths(x), tenths(y));
            if uniq.last() != Some(&p) {
                uniq.push(p);
            }
        }
        while uniq.len() > 1 && uniq.first() == uniq.last() {
            uniq.pop();
        }
        if uniq.len() < 3 {
            return;
        }
        self.move_to(uniq[0].0 as f64 / 10.0, uniq[0].1 as f64 / 10.0);
        for p in &uniq[1..] {
            self.line_to(p.0 as f64 / 10.0, p.1 as f64 / 10.0);
        }
        self.close();
    }

    /// True when nothing has been drawn.
    pub(crate) fn is_empty(&self) -> bool {
        self.d.is_empty()
    }

    /// The finished `d` attribute value.
    pub(crate) fn finish(self) -> String {
        self.d
    }
}

fn tenths(v: f64) -> i64 {
    if v.is_finite() {
        (v * 10.0).round() as i64
    } else {
        0
    }
}

/// Writes the opening `<svg>` tag with accessible name/description.
/// `role` is "img" for pictures without links and "group" when the picture
/// contains links, so assistive technology still exposes them.
pub(crate) fn open_svg(
    out: &mut String,
    class: &str,
    id: &str,
    (w, h): (f64, f64),
    role: &str,
    title: &str,
    desc: &str,
) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{class}\" viewBox=\"0 0 {w} {h}\" \
width=\"{w}\" height=\"{h}\" role=\"{role}\" aria-labelledby=\"{id}-t\"",
        w = n1(w),
        h = n1(h),
    );
    if !desc.is_empty() {
        let _ = write!(out, " aria-describedby=\"{id}-d\"");
    }
    // Inline sizing keeps the picture responsive even without the theme CSS.
    let _ = write!(
        out,
        " style=\"max-width:100%;height:auto\" font-family=\"{FONT}\"><title id=\"{id}-t\">{}</title>",
        escape(title)
    );
    if !desc.is_empty() {
        let _ = write!(out, "<desc id=\"{id}-d\">{}</desc>", escape(desc));
    }
}

/// Small stylesheet for the theme: focus rings for linked marks and print
/// tweaks. The pictures do not need it to render.
pub fn svg_css() -> &'static str {
    concat!(
        ".bw-map a:focus-visible circle,.bw-lineage a:focus-visible rect",
        "{stroke:#000;stroke-width:3px}\n",
        ".bw-map a:hover circle{stroke:#000;stroke-width:2px}\n",
        ".bw-lineage a:hover rect{stroke:#000}\n",
        ".bw-map,.bw-chart,.bw-lineage{display:block;max-width:100%;height:auto}\n",
        ".bw-lineage-wrap{overflow-x:auto}\n",
        "@media print{.bw-map,.bw-chart,.bw-lineage{break-inside:avoid}}\n",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers() {
        assert_eq!(n1(12.0), "12");
        assert_eq!(n1(12.34), "12.3");
        assert_eq!(n1(-0.04), "0");
        assert_eq!(n1(-1.25), "-1.3");
        assert_eq!(n1(f64::NAN), "0");
        assert_eq!(group_thousands(1234567), "1,234,567");
        assert_eq!(group_thousands(12), "12");
    }

    #[test]
    fn path_is_relative_and_compact() {
        let mut p = PathData::default();
        p.ring(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (10.0, 10.0)]);
        assert_eq!(p.finish(), "M0 0l10 0 0 10z");
        let mut p = PathData::default();
        p.ring(&[(0.0, 0.0), (0.01, 0.0)]);
        assert!(p.is_empty());
    }

    #[test]
    fn wraps_words() {
        assert_eq!(
            wrap("Islamic State Sahel Province", 14),
            vec!["Islamic State", "Sahel Province"]
        );
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert!(wrap("", 5).is_empty());
    }

    #[test]
    fn ids_depend_on_content() {
        assert_eq!(content_id("x", &["a"]), content_id("x", &["a"]));
        assert_ne!(content_id("x", &["a"]), content_id("x", &["b"]));
        assert_ne!(content_id("x", &["ab", ""]), content_id("x", &["a", "b"]));
    }
}
