//! Casualty figures and their totals. The one place that decides how ranges, "at least"
//! and unknown figures add up, so pages, charts and exports agree, and (issue 10) which
//! incidents a total counts at all: none dated after the site's data cutoff, and never a
//! claim and a suspicion in one figure. Issue 15: a record repeating another
//! (`same_event_as`) is counted once, through the other; a figure stated as unknown and a
//! figure never given are told apart; the all-deaths figure (`fatalities`) is counted
//! apart from the victims; a group's own claimed figures are never counted at all.

use serde::Serialize;

use super::{Attribution, Incident, PartialDate};

/// One casualty figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Count {
    /// Known exactly.
    Exact {
        /// The figure.
        n: u32,
    },
    /// Between `min` and `max`, or at least `min` when `max` is `None`.
    Range {
        /// Lower bound.
        min: u32,
        /// Upper bound; `None` = open-ended.
        max: Option<u32>,
    },
    /// Stated as unknown (which is not zero).
    Unknown,
}

impl Count {
    /// Human form: "12", "10–12", "at least 257", "unknown".
    pub fn display(&self) -> String {
        match *self {
            Count::Exact { n } => n.to_string(),
            Count::Range {
                min,
                max: Some(max),
            } if min == max => min.to_string(),
            Count::Range {
                min,
                max: Some(max),
            } => format!("{min}–{max}"),
            Count::Range { min, max: None } => format!("at least {min}"),
            Count::Unknown => "unknown".to_string(),
        }
    }

    /// The most conservative figure (the lower bound), if known.
    pub fn min(&self) -> Option<u32> {
        match *self {
            Count::Exact { n } => Some(n),
            Count::Range { min, .. } => Some(min),
            Count::Unknown => None,
        }
    }

    /// The upper bound, if bounded.
    pub fn max(&self) -> Option<u32> {
        match *self {
            Count::Exact { n } => Some(n),
            Count::Range { max, .. } => max,
            Count::Unknown => None,
        }
    }
}

/// A sum of casualty figures that remembers what it could not add.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Sum of lower bounds.
    pub min: u64,
    /// Sum of upper bounds (meaningless when `open`).
    pub max: u64,
    /// Some figure had no upper bound, so the total is "at least".
    pub open: bool,
    /// Records whose figure was stated as unknown.
    pub unknown: u32,
    /// Records that gave a figure.
    pub reported: u32,
    /// Records that did not give the field at all (not recorded; not zero either).
    pub missing: u32,
}

impl Tally {
    /// Adds one record's figure; `None` (field absent) adds to `missing` only.
    pub fn add(&mut self, c: Option<&Count>) {
        match c {
            None => self.missing += 1,
            Some(Count::Unknown) => self.unknown += 1,
            Some(c) => {
                self.reported += 1;
                self.min += u64::from(c.min().unwrap_or(0));
                match c.max() {
                    Some(m) => self.max += u64::from(m),
                    None => self.open = true,
                }
            }
        }
    }

    /// The total alone: "312", "312–347" or "at least 312".
    pub fn display(&self) -> String {
        if self.open {
            format!("at least {}", self.min)
        } else if self.min == self.max {
            self.min.to_string()
        } else {
            format!("{}–{}", self.min, self.max)
        }
    }

    /// The total with what it leaves out: "312–347, 3 incidents with unknown figures".
    pub fn display_full(&self) -> String {
        match self.unknown {
            0 => self.display(),
            1 => format!("{}, 1 incident with an unknown figure", self.display()),
            n => format!("{}, {n} incidents with unknown figures", self.display()),
        }
    }
}

impl Tally {
    /// What the total leaves out, alone: "3 incidents with unknown figures", or `None`.
    pub fn unknown_note(&self) -> Option<String> {
        match self.unknown {
            0 => None,
            1 => Some("1 incident with an unknown figure".to_string()),
            n => Some(format!("{n} incidents with unknown figures")),
        }
    }

    /// Nothing was reported and nothing was stated as unknown: the figure was never given.
    pub fn is_empty(&self) -> bool {
        self.reported == 0 && self.unknown == 0
    }

    /// Records counted that give no figure: stated unknown, or not given at all. A total
    /// must say how many of these it leaves out.
    pub fn no_figure(&self) -> u32 {
        self.unknown + self.missing
    }

    /// No record gave a number: the total is not known (never "0"), whatever the records
    /// said instead (unknown, or nothing).
    pub fn not_known(&self) -> bool {
        self.reported == 0
    }
}

/// Totals over a set of incidents, counted the one way every page counts them: incidents
/// after the data cutoff and records repeating another (`same_event_as`) are only counted
/// as such; victims, attackers killed and not-separated deaths apart; (for one group)
/// claimed, suspected and disputed incidents apart; claimed figures never.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Incidents counted (dated up to the cutoff, not repeating another record).
    pub incidents: usize,
    /// Incidents left out because they are dated after the cutoff.
    pub after_cutoff: usize,
    /// Records left out because they describe an event counted through another record
    /// (`same_event_as`); a record both after the cutoff and a repeat is in `after_cutoff`.
    pub same_event: usize,
    /// Victims killed. `missing` counts incidents with no `killed`, including those whose
    /// deaths are known only as `fatalities`.
    pub killed: Tally,
    /// Wounded.
    pub wounded: Tally,
    /// Captured or kidnapped.
    pub captured: Tally,
    /// Attackers killed, never added to the victims.
    pub attackers_killed: Tally,
    /// Deaths not separated into victims and attackers (`fatalities`), only of incidents
    /// that give neither `killed` nor `attackers_killed` as a number
    /// ([`super::Casualties::fatalities_only`]): where the parts are given, they are
    /// counted and `fatalities` would count them again. Never added to `killed`; its
    /// `missing` is always 0 (no incident is expected to give it).
    pub fatalities: Tally,
    /// For one group: incidents it claimed.
    pub claimed: usize,
    /// For one group: incidents it is suspected of.
    pub suspected: usize,
    /// For one group: incidents whose tie to it is disputed.
    pub disputed: usize,
    /// For one group: incidents naming it without any attribution.
    pub unattributed: usize,
    /// For one group: victims killed in the incidents it claimed.
    pub killed_claimed: Tally,
    /// For one group: victims killed in the incidents it is suspected of.
    pub killed_suspected: Tally,
    /// For one group: victims killed in the incidents whose tie to it is disputed.
    pub killed_disputed: Tally,
}

impl Totals {
    /// Adds up `incidents`, leaving out those after `cutoff`. With `group`, also splits the
    /// count by that group's own attribution on each incident (`Incident::claims`).
    pub fn over<'a>(
        incidents: impl IntoIterator<Item = &'a Incident>,
        cutoff: Option<&PartialDate>,
        group: Option<&str>,
    ) -> Totals {
        let mut t = Totals::default();
        for i in incidents {
            t.add(i, cutoff, group);
        }
        t
    }

    /// Adds one incident (see [`Totals::over`]).
    pub fn add(&mut self, i: &Incident, cutoff: Option<&PartialDate>, group: Option<&str>) {
        if i.after_cutoff(cutoff) {
            self.after_cutoff += 1;
            return;
        }
        if i.same_event_as.is_some() {
            self.same_event += 1;
            return;
        }
        debug_assert!(i.counted(cutoff));
        self.incidents += 1;
        let c = &i.casualties;
        let killed = c.killed.as_ref();
        self.killed.add(killed);
        self.wounded.add(c.wounded.as_ref());
        self.captured.add(c.captured.as_ref());
        self.attackers_killed.add(c.attackers_killed.as_ref());
        if c.fatalities_only() {
            self.fatalities.add(c.fatalities.as_ref());
        }
        // Claimed figures (`GroupClaim::claimed`) are deliberately not read here: a
        // group's own figure is propaganda to report, not a count to add.
        let Some(g) = group else { return };
        match i.claims.iter().find(|c| c.id == g).map(|c| c.attribution) {
            Some(Attribution::Claimed) => {
                self.claimed += 1;
                self.killed_claimed.add(killed);
            }
            Some(Attribution::Suspected) => {
                self.suspected += 1;
                self.killed_suspected.add(killed);
            }
            Some(Attribution::Disputed) => {
                self.disputed += 1;
                self.killed_disputed.add(killed);
            }
            Some(Attribution::Unattributed) | None => self.unattributed += 1,
        }
    }
}

/// How one month compares with the month before, for a digest (docs/content.md states the
/// rule): each of two measures, incidents counted and killed (lower bound), scores +1 when
/// it rose, −1 when it fell and 0 when level; a positive sum is `Deteriorated`, a negative
/// one `Improved`, zero `Unchanged`. Lower bounds because they are what is sure: an
/// "at least 200" month is not worse than a "200–260" month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    /// More violence than the month before.
    Deteriorated,
    /// Less violence than the month before.
    Improved,
    /// As much (or one measure up, the other down).
    Unchanged,
}

impl Trend {
    /// Compares `now` with `before` by the rule above.
    pub fn between(now: &Totals, before: &Totals) -> Trend {
        let sign = |a: u64, b: u64| i8::from(a > b) - i8::from(a < b);
        let score = sign(now.incidents as u64, before.incidents as u64)
            + sign(now.killed.min, before.killed.min);
        match score {
            s if s > 0 => Trend::Deteriorated,
            s if s < 0 => Trend::Improved,
            _ => Trend::Unchanged,
        }
    }

    /// The allowed words of an analyst's `trend:`.
    pub const ALL: &'static [&'static str] = &["deteriorated", "improved", "unchanged"];

    /// Parses one of [`Self::ALL`].
    pub fn parse(s: &str) -> Option<Trend> {
        match s {
            "deteriorated" => Some(Trend::Deteriorated),
            "improved" => Some(Trend::Improved),
            "unchanged" => Some(Trend::Unchanged),
            _ => None,
        }
    }

    /// The word shown: deteriorated | improved | unchanged.
    pub fn as_str(&self) -> &'static str {
        match self {
            Trend::Deteriorated => "deteriorated",
            Trend::Improved => "improved",
            Trend::Unchanged => "unchanged",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_open_ends_and_unknowns_add_honestly() {
        let mut t = Tally::default();
        t.add(Some(&Count::Exact { n: 5 }));
        t.add(Some(&Count::Range {
            min: 10,
            max: Some(12),
        }));
        assert_eq!(t.display(), "15–17");
        t.add(Some(&Count::Unknown));
        assert_eq!(t.display_full(), "15–17, 1 incident with an unknown figure");
        t.add(Some(&Count::Range {
            min: 257,
            max: None,
        }));
        assert_eq!(t.display(), "at least 272");
        t.add(None);
        assert_eq!(t.reported, 3);
    }

    #[test]
    fn unknown_and_missing_figures_are_told_apart() {
        let mut t = Tally::default();
        t.add(Some(&Count::Unknown));
        t.add(None);
        t.add(None);
        assert_eq!((t.unknown, t.missing, t.reported), (1, 2, 0));
        assert_eq!(t.no_figure(), 3);
        assert!(t.not_known(), "no number given: not known, never 0");
        t.add(Some(&Count::Exact { n: 4 }));
        assert!(!t.not_known());
        assert_eq!((t.display(), t.no_figure()), ("4".to_string(), 3));
    }

    fn incident(id: &str, date: &str) -> Incident {
        use crate::content::{Casualties, Location, Origin, PlacePrecision};
        Incident {
            id: id.into(),
            title: id.into(),
            date: PartialDate::parse(date).unwrap(),
            end_date: None,
            location: Location {
                place: None,
                admin1: None,
                admin2: None,
                country: "ML".into(),
                coords: None,
                precision: PlacePrecision::Country,
            },
            groups: vec![],
            claims: vec![],
            attribution: None,
            claim_relation: None,
            event_type: None,
            targets: vec![],
            casualties: Casualties::default(),
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

    fn n(n: u32) -> Option<Count> {
        Some(Count::Exact { n })
    }

    #[test]
    fn a_record_of_an_event_counted_elsewhere_is_not_counted() {
        let mut a = incident("a", "2017-06-18");
        a.casualties.killed = n(5);
        let mut b = incident("b", "2017-06-18");
        b.casualties.killed = n(6);
        b.same_event_as = Some("a".into());
        let mut late = incident("late", "2017-08");
        late.casualties.killed = n(100);
        late.same_event_as = Some("a".into());
        let cutoff = PartialDate::parse("2017-06").unwrap();
        let t = Totals::over([&a, &b, &late], Some(&cutoff), None);
        assert_eq!((t.incidents, t.same_event, t.after_cutoff), (1, 1, 1));
        assert_eq!(t.killed.display(), "5");
        assert_eq!(
            t.killed.missing, 0,
            "the repeat is not a record without a figure"
        );
    }

    #[test]
    fn not_separated_deaths_are_counted_apart_and_never_as_victims() {
        let mut acled = incident("acled", "2017-06");
        acled.casualties.fatalities = n(9);
        let mut both = incident("both", "2017-06");
        both.casualties.killed = n(5);
        both.casualties.attackers_killed = n(4);
        both.casualties.fatalities = n(9);
        let mut unknown_victims = incident("unknown-victims", "2017-06");
        unknown_victims.casualties.killed = Some(Count::Unknown);
        unknown_victims.casualties.fatalities = Some(Count::Range {
            min: 3,
            max: Some(4),
        });
        let t = Totals::over([&acled, &both, &unknown_victims], None, None);
        assert_eq!(t.killed.display(), "5");
        assert_eq!((t.killed.unknown, t.killed.missing), (1, 1));
        assert_eq!(t.attackers_killed.display(), "4");
        // `both` gives its parts: its 9 are already in killed and attackers killed.
        assert_eq!(t.fatalities.display(), "12–13");
        assert_eq!(t.fatalities.reported, 2);
    }

    #[test]
    fn captured_is_totalled_and_claimed_figures_never_are() {
        use crate::content::{ClaimedFigures, GroupClaim};
        let mut a = incident("a", "2017-06");
        a.casualties.captured = Some(Count::Range { min: 2, max: None });
        a.casualties.killed = n(3);
        a.groups = vec!["jnim".into()];
        a.claims = vec![GroupClaim {
            id: "jnim".into(),
            attribution: Attribution::Claimed,
            claim_date: None,
            claim_medium: None,
            claimed: ClaimedFigures {
                killed: n(30),
                wounded: n(50),
                captured: n(7),
            },
        }];
        let b = incident("b", "2017-07");
        let t = Totals::over([&a, &b], None, Some("jnim"));
        assert_eq!(t.captured.display(), "at least 2");
        assert_eq!(t.captured.missing, 1);
        assert_eq!(t.killed.display(), "3");
        assert_eq!(t.killed_claimed.display(), "3");
        assert_eq!(t.wounded.display(), "0");
        assert!(t.wounded.not_known());
    }

    #[test]
    fn displays_single_figures() {
        assert_eq!(
            Count::Range {
                min: 10,
                max: Some(12)
            }
            .display(),
            "10–12"
        );
        assert_eq!(
            Count::Range {
                min: 257,
                max: None
            }
            .display(),
            "at least 257"
        );
        assert_eq!(Count::Unknown.display(), "unknown");
    }

    #[test]
    fn trend_scores_incidents_and_killed_lower_bounds() {
        let t = |incidents: usize, killed: u64| Totals {
            incidents,
            killed: Tally {
                min: killed,
                max: killed,
                ..Tally::default()
            },
            ..Totals::default()
        };
        assert_eq!(Trend::between(&t(3, 10), &t(1, 10)), Trend::Deteriorated);
        assert_eq!(Trend::between(&t(1, 2), &t(2, 9)), Trend::Improved);
        assert_eq!(Trend::between(&t(3, 2), &t(1, 9)), Trend::Unchanged);
        assert_eq!(Trend::between(&t(2, 9), &t(2, 9)), Trend::Unchanged);
    }
}
