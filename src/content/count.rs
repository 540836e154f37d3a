//! Casualty figures and their totals. The one place that decides how ranges, "at least"
//! and unknown figures add up, so pages, charts and exports agree.

use serde::Serialize;

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
}

impl Tally {
    /// Adds one record's figure; `None` (field absent) adds nothing.
    pub fn add(&mut self, c: Option<&Count>) {
        match c {
            None => {}
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
}
