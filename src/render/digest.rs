//! Monthly country digests: which months get a page, and how a month compares with the
//! calendar month before it. docs/content.md (*Monthly digests*) states the rule in prose
//! with worked examples; keep the two in step.
//!
//! The rule is deliberately shy. A computed word ("deteriorated") on a briefing site reads
//! as an analyst's judgement, so it is given only when the record can carry it: both months
//! need enough incidents to be more than noise, every incident of both months must give a
//! killed figure (an `unknown` could hide any number, so no fall and no rise is inferred
//! from it), and a measure moves only when it changed by a material share. Otherwise the
//! page says why it does not compare.

use std::collections::BTreeMap;

use serde::Serialize;

use super::words::Words;
use crate::content::count::{Totals, Trend};
use crate::content::{PartialDate, Site};
use crate::index::Index;

/// Counted incidents each of the two months needs before they are compared.
pub const MIN_INCIDENTS: usize = 3;

/// A measure rose or fell only when it changed by at least 1/`MATERIAL_SHARE` (a quarter)
/// of the larger of the two months' values; smaller changes are level.
pub const MATERIAL_SHARE: u64 = 4;

/// The rule in one paragraph, for the digest page.
pub fn rule(w: &Words) -> String {
    w.text("digest.rule", &[("n", &w.integer(MIN_INCIDENTS as i64))])
}

/// How one measure moved between two months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Move {
    /// Rose by a material share.
    Rose,
    /// Fell by a material share.
    Fell,
    /// Changed by less than a material share, or not at all.
    Level,
}

impl Move {
    /// `now` against `before`, by the material-share rule.
    pub fn between(now: u64, before: u64) -> Move {
        let (hi, lo) = (now.max(before), now.min(before));
        if hi - lo == 0 || (hi - lo) * MATERIAL_SHARE < hi {
            Move::Level
        } else if now > before {
            Move::Rose
        } else {
            Move::Fell
        }
    }

    /// +1, −1 or 0.
    fn score(self) -> i8 {
        match self {
            Move::Rose => 1,
            Move::Fell => -1,
            Move::Level => 0,
        }
    }

    /// "rose", "fell", "level".
    pub fn as_str(self) -> &'static str {
        match self {
            Move::Rose => "rose",
            Move::Fell => "fell",
            Move::Level => "level",
        }
    }
}

/// What the comparison of a month with the month before concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Both months could be compared.
    Trend(Trend),
    /// The country's first month on record: nothing before it.
    FirstMonth,
    /// One of the two months has fewer than [`MIN_INCIDENTS`] counted incidents.
    TooFew,
    /// Some counted incident of either month gives no killed figure.
    Incomplete,
}

impl Verdict {
    /// `deteriorated`, `improved`, `unchanged`, `first`, `too-few` or `incomplete`.
    pub fn status(&self) -> &'static str {
        match self {
            Verdict::Trend(t) => t.as_str(),
            Verdict::FirstMonth => "first",
            Verdict::TooFew => "too-few",
            Verdict::Incomplete => "incomplete",
        }
    }

    /// The trend word, when there is one.
    pub fn trend(&self) -> Option<&'static str> {
        match self {
            Verdict::Trend(t) => Some(t.as_str()),
            _ => None,
        }
    }

    /// What an archive shows beside the month: the trend word, or why there is none.
    pub fn words(&self) -> &'static str {
        match self {
            Verdict::Trend(t) => t.as_str(),
            Verdict::FirstMonth => "first month on record",
            Verdict::TooFew => "too few incidents to compare",
            Verdict::Incomplete => "figures too incomplete to compare",
        }
    }
}

/// Compares a month's totals with the calendar month before by the rule above.
pub fn compare(now: &Totals, before: &Totals) -> Verdict {
    if now.incidents < MIN_INCIDENTS || before.incidents < MIN_INCIDENTS {
        return Verdict::TooFew;
    }
    let complete = |t: &Totals| t.killed.reported as usize == t.incidents;
    if !complete(now) || !complete(before) {
        return Verdict::Incomplete;
    }
    let (incidents, killed) = moves(now, before);
    match incidents.score() + killed.score() {
        s if s > 0 => Verdict::Trend(Trend::Deteriorated),
        s if s < 0 => Verdict::Trend(Trend::Improved),
        _ => Verdict::Trend(Trend::Unchanged),
    }
}

/// How incidents and killed (lower bounds) moved.
fn moves(now: &Totals, before: &Totals) -> (Move, Move) {
    (
        Move::between(now.incidents as u64, before.incidents as u64),
        Move::between(now.killed.min, before.killed.min),
    )
}

/// One month of a country's record, compared with the calendar month before: what a
/// monthly digest page and the country's archive show. Not a template view.
#[derive(Debug, Clone)]
pub struct Digest {
    /// "2017-06".
    pub key: String,
    /// "June 2017".
    pub label: String,
    /// The month's incidents (none after the data cutoff), oldest first.
    pub positions: Vec<usize>,
    /// Their totals.
    pub totals: Totals,
    /// "2017-05".
    pub prev_key: String,
    /// "May 2017".
    pub prev_label: String,
    /// The previous month's totals (zero when it had no incident).
    pub prev: Totals,
    /// What the comparison concluded.
    pub verdict: Verdict,
    /// The comparison in words.
    pub reason: String,
    /// An analyst's assessment of the month (position in `Site::assessments`).
    pub assessment: Option<usize>,
}

/// "June 2017", "juin 2017".
pub fn month_label(w: &Words, (y, m): (i32, u8)) -> String {
    w.date(&PartialDate {
        year: y,
        month: Some(m),
        day: None,
    })
}

/// The countries that get a page, with their incidents' positions: every country with an
/// incident, and every country an analyst assessed a month of (its digests need a country
/// page to be archived on; its list of incidents is then empty).
pub fn countries<'a>(site: &'a Site, index: &'a Index) -> BTreeMap<&'a str, &'a [usize]> {
    let mut out: BTreeMap<&str, &[usize]> = index
        .by_country
        .iter()
        .map(|(c, v)| (c.as_str(), v.as_slice()))
        .collect();
    for a in &site.assessments {
        out.entry(a.country.as_str()).or_insert(&[]);
    }
    out
}

/// The months of a country's monthly digests: every (year, month) of `positions` with a
/// counted incident dated at least to the month (not after `cutoff`, not repeating another
/// record), and every month of `country` an analyst assessed, each with its counted
/// incidents in order. The digest pages and the sitemap both list exactly these.
pub fn digest_months(
    site: &Site,
    country: &str,
    positions: &[usize],
    cutoff: Option<&PartialDate>,
) -> BTreeMap<(i32, u8), Vec<usize>> {
    let mut months: BTreeMap<(i32, u8), Vec<usize>> = Default::default();
    for &p in positions {
        let i = &site.incidents[p];
        if let Some(m) = i.date.month
            && i.counted(cutoff)
        {
            months.entry((i.date.year, m)).or_default().push(p);
        }
    }
    for a in assessments_of(site, country) {
        if let Ok(m) = u8::try_from(a.1.month.1) {
            months.entry((a.1.month.0, m)).or_default();
        }
    }
    months
}

/// The assessments of one country, with their positions in `Site::assessments` (which is
/// sorted by country, then month).
fn assessments_of<'a>(
    site: &'a Site,
    country: &'a str,
) -> impl Iterator<Item = (usize, &'a crate::content::Assessment)> + 'a {
    let start = site
        .assessments
        .partition_point(|a| a.country.as_str() < country);
    site.assessments[start..]
        .iter()
        .take_while(move |a| a.country == country)
        .enumerate()
        .map(move |(k, a)| (start + k, a))
}

/// The digests of one country's `months` (from [`digest_months`]), oldest first, each
/// compared with the calendar month before it; `count` totals a list of positions.
pub fn digests(
    w: &Words,
    site: &Site,
    country: &str,
    months: &BTreeMap<(i32, u8), Vec<usize>>,
    count: impl Fn(&[usize]) -> Totals,
) -> Vec<Digest> {
    let none = Vec::new();
    let assessed: BTreeMap<(i32, u32), usize> = assessments_of(site, country)
        .map(|(k, a)| (a.month, k))
        .collect();
    months
        .iter()
        .enumerate()
        .map(|(k, (&(y, m), v))| {
            let prev_ym = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
            let totals = count(v);
            let prev = count(months.get(&prev_ym).unwrap_or(&none));
            let verdict = if k == 0 {
                Verdict::FirstMonth
            } else {
                compare(&totals, &prev)
            };
            let reason = reason(w, &totals, &prev, &month_label(w, prev_ym), verdict);
            Digest {
                key: crate::routes::month_key(y, m),
                label: month_label(w, (y, m)),
                positions: v.clone(),
                totals,
                prev_key: crate::routes::month_key(prev_ym.0, prev_ym.1),
                prev_label: month_label(w, prev_ym),
                prev,
                verdict,
                reason,
                assessment: assessed.get(&(y, u32::from(m))).copied(),
            }
        })
        .collect()
}

/// The comparison in words, e.g. "4 incidents against 3 in January 2016, a rise; 17
/// killed against 6 (lower bounds), a rise."
fn reason(w: &Words, now: &Totals, before: &Totals, prev_label: &str, verdict: Verdict) -> String {
    use super::phrasing::{figure_total, incidents_word};
    let k_now = figure_total(w, "killed", &now.killed, now.incidents);
    let k_before = figure_total(w, "killed", &before.killed, before.incidents);
    let moved = |m: Move| {
        w.text(
            match m {
                Move::Rose => "digest.a_rise",
                Move::Fell => "digest.a_fall",
                Move::Level => "digest.about_level",
            },
            &[],
        )
    };
    let n = |x: u64| w.integer(i64::try_from(x).unwrap_or(i64::MAX));
    let incidents = incidents_word(w, now.incidents);
    let before_n = n(before.incidents as u64);
    match verdict {
        Verdict::FirstMonth => w.text(
            "digest.reason_first",
            &[("incidents", &incidents), ("killed", &k_now.full)],
        ),
        Verdict::TooFew => w.text(
            "digest.reason_too_few",
            &[
                ("incidents", &incidents),
                ("before", &before_n),
                ("month", prev_label),
                ("min", &n(MIN_INCIDENTS as u64)),
            ],
        ),
        Verdict::Incomplete => {
            let mut gaps = Vec::new();
            if k_now.no_figure > 0 {
                let i = incidents_word(w, k_now.no_figure);
                gaps.push(w.text("digest.gap_this_month", &[("incidents", &i)]));
            }
            if k_before.no_figure > 0 {
                let i = incidents_word(w, k_before.no_figure);
                gaps.push(w.text(
                    "digest.gap_in_month",
                    &[("incidents", &i), ("month", prev_label)],
                ));
            }
            let missing = (k_now.no_figure + k_before.no_figure) as u64;
            let and = format!(" {} ", w.text("list.and", &[]));
            w.count_with(
                "digest.reason_incomplete",
                missing,
                &[
                    ("gaps", &gaps.join(&and)),
                    ("incidents", &incidents),
                    ("before", &before_n),
                    ("month", prev_label),
                ],
            )
        }
        Verdict::Trend(_) => {
            let (incidents_move, killed_move) = moves(now, before);
            w.text(
                "digest.reason_trend",
                &[
                    ("incidents", &incidents),
                    ("before", &before_n),
                    ("month", prev_label),
                    ("incidents_move", &moved(incidents_move)),
                    ("killed", &k_now.total),
                    ("killed_before", &k_before.total),
                    ("min", &n(now.killed.min)),
                    ("min_before", &n(before.killed.min)),
                    ("killed_move", &moved(killed_move)),
                ],
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Tally;

    fn t(incidents: usize, killed: u64, reported: u32) -> Totals {
        Totals {
            incidents,
            killed: Tally {
                min: killed,
                max: killed,
                reported,
                ..Tally::default()
            },
            ..Totals::default()
        }
    }

    #[test]
    fn a_measure_moves_only_by_a_material_share() {
        assert_eq!(Move::between(4, 3), Move::Rose);
        assert_eq!(Move::between(3, 4), Move::Fell);
        assert_eq!(Move::between(14, 12), Move::Level);
        assert_eq!(Move::between(16, 12), Move::Rose);
        assert_eq!(Move::between(0, 0), Move::Level);
        assert_eq!(Move::between(1, 0), Move::Rose);
    }

    #[test]
    fn sparse_or_incomplete_months_are_not_compared() {
        // After an empty month: not "deteriorated".
        assert_eq!(compare(&t(3, 9, 3), &t(0, 0, 0)), Verdict::TooFew);
        // One incident with an unknown figure: not "improved".
        assert_eq!(compare(&t(1, 0, 0), &t(3, 9, 3)), Verdict::TooFew);
        assert_eq!(compare(&t(3, 2, 2), &t(3, 9, 3)), Verdict::Incomplete);
        assert_eq!(compare(&t(3, 9, 3), &t(3, 2, 2)), Verdict::Incomplete);
        assert_eq!(
            compare(&t(4, 17, 4), &t(3, 6, 3)),
            Verdict::Trend(Trend::Deteriorated)
        );
        assert_eq!(
            compare(&t(3, 2, 3), &t(3, 9, 3)),
            Verdict::Trend(Trend::Improved)
        );
        // One measure up, the other down.
        assert_eq!(
            compare(&t(4, 2, 4), &t(3, 9, 3)),
            Verdict::Trend(Trend::Unchanged)
        );
    }
}
