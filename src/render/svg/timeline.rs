//! Year-by-year timeline: an ordered list with one item per year, a link,
//! a count and a bar whose length is set by a CSS custom property. Without
//! CSS it is a plain, readable list; no SVG needed.

use super::group_thousands;
use crate::text::escape;
use std::fmt::Write as _;

/// One year of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Band {
    /// Calendar year.
    pub year: i32,
    /// Number of incidents that year.
    pub count: u32,
    /// Link target for the year (e.g. the year's incident list).
    pub url: String,
    /// Notable events: (label, url).
    pub key_events: Vec<(String, String)>,
}

/// Renders the timeline as `<ol class="bw-timeline">`; years are sorted and
/// gaps between them filled with unlinked zero-count years, so bar lengths
/// are not misread across missing years. Empty string for no bands.
pub fn timeline_html(bands: &[Band]) -> String {
    if bands.is_empty() {
        return String::new();
    }
    let mut sorted: Vec<&Band> = bands.iter().collect();
    sorted.sort_by_key(|b| b.year);
    let max = sorted.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let (first, last) = (sorted[0].year, sorted[sorted.len() - 1].year);
    // Fill gaps only within a sane span; a typo year like 2 or 20017 must not
    // produce thousands of empty items.
    let fill = i64::from(last) - i64::from(first) <= 200;

    let mut out = String::with_capacity(128 * sorted.len() + 64);
    out.push_str("<ol class=\"bw-timeline\">");
    let mut prev: Option<i32> = None;
    for b in sorted {
        if fill && let Some(p) = prev {
            for y in p.saturating_add(1)..b.year {
                let _ = write!(
                    out,
                    "<li class=\"bw-timeline-year bw-timeline-empty\" style=\"--n:0\"><span class=\"bw-timeline-label\">{y}</span> <span class=\"bw-timeline-count\">no incidents</span></li>"
                );
            }
        }
        prev = Some(b.year);
        // Fraction of the busiest year, 3 decimals: deterministic and fine
        // enough for a bar.
        let frac = f64::from(b.count) / f64::from(max);
        let n = format!("{:.3}", frac);
        let n = n.trim_end_matches('0').trim_end_matches('.');
        let noun = if b.count == 1 {
            "incident"
        } else {
            "incidents"
        };
        let _ = write!(
            out,
            "<li class=\"bw-timeline-year\" style=\"--n:{}\"><a href=\"{}\"><span class=\"bw-timeline-label\">{}</span> <span class=\"bw-timeline-count\">{} {noun}</span></a><span class=\"bw-timeline-bar\" aria-hidden=\"true\"></span>",
            if n.is_empty() { "0" } else { n },
            escape(&b.url),
            b.year,
            group_thousands(u64::from(b.count))
        );
        if !b.key_events.is_empty() {
            out.push_str("<ul class=\"bw-timeline-events\">");
            for (label, url) in &b.key_events {
                if url.is_empty() {
                    let _ = write!(out, "<li>{}</li>", escape(label));
                } else {
                    let _ = write!(
                        out,
                        "<li><a href=\"{}\">{}</a></li>",
                        escape(url),
                        escape(label)
                    );
                }
            }
            out.push_str("</ul>");
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>");
    out
}

/// Theme CSS for `timeline_html`: year, count and a bar scaled by `--n`
/// (0..1). Bars print with their colour forced on, and as outlines if the
/// browser drops backgrounds anyway.
pub fn timeline_css() -> &'static str {
    concat!(
        ".bw-timeline{list-style:none;margin:0;padding:0;font-variant-numeric:tabular-nums}\n",
        ".bw-timeline-year{display:grid;grid-template-columns:10.5em 1fr;",
        "column-gap:.75em;align-items:center;padding:.15em 0;border-bottom:1px solid #e5e5e5}\n",
        ".bw-timeline-year>a,.bw-timeline-empty{display:flex;gap:.6em;text-decoration:none}\n",
        ".bw-timeline-year>a:hover .bw-timeline-label,.bw-timeline-year>a:focus-visible .bw-timeline-label{text-decoration:underline}\n",
        ".bw-timeline-label{font-weight:600;min-width:3em}\n",
        ".bw-timeline-count{color:#555}\n",
        ".bw-timeline-bar{display:block;height:.8em;width:calc(var(--n,0)*100%);min-width:1px;",
        "background:#0072B2;border:1px solid #0072B2;box-sizing:border-box;",
        "-webkit-print-color-adjust:exact;print-color-adjust:exact}\n",
        ".bw-timeline-empty .bw-timeline-bar,.bw-timeline-empty::after{display:none}\n",
        ".bw-timeline-empty{color:#777;grid-column:1/-1}\n",
        ".bw-timeline-events{grid-column:1/-1;margin:.1em 0 .3em 3.6em;padding:0;font-size:.9em}\n",
        ".bw-timeline-events li{margin:.1em 0}\n",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(year: i32, count: u32) -> Band {
        Band {
            year,
            count,
            url: format!("/years/{year}/"),
            key_events: vec![],
        }
    }

    #[test]
    fn renders_sorted_with_gaps() {
        let mut b = vec![band(2019, 5), band(2017, 10)];
        b[0].key_events
            .push(("Attack <x> & y".into(), "/i/1/?a=1&b=2".into()));
        let html = timeline_html(&b);
        assert_eq!(html, timeline_html(&b));
        let i17 = html.find(">2017<").unwrap();
        let i18 = html.find(">2018<").unwrap();
        let i19 = html.find(">2019<").unwrap();
        assert!(i17 < i18 && i18 < i19);
        assert!(html.contains("style=\"--n:1\""));
        assert!(html.contains("style=\"--n:0.5\""));
        assert!(html.contains("Attack &lt;x&gt; &amp; y"));
        assert!(html.contains("href=\"/i/1/?a=1&amp;b=2\""));
        assert!(html.contains("no incidents"));
        assert_eq!(html.matches("<li class=\"bw-timeline-year").count(), 3);
    }

    #[test]
    fn edge_cases() {
        assert_eq!(timeline_html(&[]), "");
        let html = timeline_html(&[band(2020, 0)]);
        assert!(html.contains("--n:0\"") && html.contains("0 incidents"));
        assert!(timeline_html(&[band(2020, 1)]).contains("1 incident<"));
        // Absurd spans are not filled.
        let html = timeline_html(&[band(2, 1), band(20017, 1)]);
        assert_eq!(html.matches("<li").count(), 2);
        assert!(timeline_css().contains(".bw-timeline"));
    }
}
