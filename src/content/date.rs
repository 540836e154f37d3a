//! Dates with precision: `2017`, `2017-06` or `2017-06-18`, kept at the precision written.

use std::cmp::Ordering;
use std::fmt;

use serde::Serialize;

/// How precisely a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// Only the year.
    Year,
    /// Year and month.
    Month,
    /// The exact day.
    Day,
}

/// A calendar date known to the year, month or day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    /// Year (four digits).
    pub year: i32,
    /// Month 1–12, if known.
    pub month: Option<u8>,
    /// Day of month, if known (only with a month).
    pub day: Option<u8>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Why a date string was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Format,
    /// Well-formed but not on the calendar, e.g. 2017-02-30.
    NoSuchDate,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<PartialDate, DateError> {
        let s = s.trim();
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Result<u32, DateError> {
            if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().map_err(|_| DateError::Format)
            } else {
                Err(DateError::Format)
            }
        };
        let (year, month, day) = match parts.as_slice() {
            [y] => (num(y, 4)?, None, None),
            [y, m] => (num(y, 4)?, Some(num(m, 2)?), None),
            [y, m, d] => (num(y, 4)?, Some(num(m, 2)?), Some(num(d, 2)?)),
            _ => return Err(DateError::Format),
        };
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(DateError::NoSuchDate);
        }
        if let (Some(m), Some(d)) = (month, day)
            && chrono::NaiveDate::from_ymd_opt(year as i32, m, d).is_none()
        {
            return Err(DateError::NoSuchDate);
        }
        Ok(PartialDate {
            year: year as i32,
            month: month.map(|m| m as u8),
            day: day.map(|d| d as u8),
        })
    }

    /// The precision the date was written with.
    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// ISO form at the written precision: `2017`, `2017-06`, `2017-06-18`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => format!("{:04}-{:02}", self.year, m),
            _ => format!("{:04}", self.year),
        }
    }

    /// Human form at the written precision: "18 June 2017", "June 2017", "2017".
    pub fn display(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{} {} {}", d, MONTHS[m as usize - 1], self.year),
            (Some(m), None) => format!("{} {}", MONTHS[m as usize - 1], self.year),
            _ => self.year.to_string(),
        }
    }

    /// The first calendar day the date can mean (for feeds and sorting).
    pub fn first_day(&self) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(
            self.year,
            u32::from(self.month.unwrap_or(1)),
            u32::from(self.day.unwrap_or(1)),
        )
        .unwrap_or_default()
    }

    /// The last calendar day the date can mean (for "is it in the future" and range checks).
    pub fn last_day(&self) -> chrono::NaiveDate {
        use chrono::Datelike;
        match (self.month, self.day) {
            (Some(_), Some(_)) => self.first_day(),
            (Some(m), None) => {
                let (y, nm) = if m == 12 {
                    (self.year + 1, 1)
                } else {
                    (self.year, u32::from(m) + 1)
                };
                chrono::NaiveDate::from_ymd_opt(y, nm, 1)
                    .and_then(|d| d.pred_opt())
                    .unwrap_or_default()
            }
            _ => chrono::NaiveDate::from_ymd_opt(self.year, 12, 31)
                .unwrap_or_default()
                .with_day(31)
                .unwrap_or_default(),
        }
    }

    /// Month name of a 1-based month number.
    pub fn month_name(month: u8) -> &'static str {
        MONTHS[(month.clamp(1, 12) - 1) as usize]
    }

    /// Compares at the coarser precision of the two: `2017-03` equals `2017-03-02` here.
    pub fn cmp_coarse(&self, other: &PartialDate) -> Ordering {
        let p = self.precision().min(other.precision());
        let key = |d: &PartialDate| match p {
            Precision::Year => (d.year, 0, 0),
            Precision::Month => (d.year, d.month.unwrap_or(0), 0),
            Precision::Day => (d.year, d.month.unwrap_or(0), d.day.unwrap_or(0)),
        };
        key(self).cmp(&key(other))
    }
}

/// Chronological order; a less precise date sorts at the start of its period
/// (`2017` before `2017-01` before `2017-01-01`).
impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.year, self.month.unwrap_or(0), self.day.unwrap_or(0)).cmp(&(
            other.year,
            other.month.unwrap_or(0),
            other.day.unwrap_or(0),
        ))
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl From<chrono::NaiveDate> for PartialDate {
    fn from(d: chrono::NaiveDate) -> PartialDate {
        use chrono::Datelike;
        PartialDate {
            year: d.year(),
            month: Some(d.month() as u8),
            day: Some(d.day() as u8),
        }
    }
}

/// A date as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// `2017-06-18`, `2017-06` or `2017`, for `<time datetime>`.
    pub iso: String,
    /// "18 June 2017", "June 2017" or "2017".
    pub display: String,
    /// `day`, `month` or `year`.
    pub precision: Precision,
    /// The year alone.
    pub year: i32,
}

impl From<&PartialDate> for DateView {
    fn from(d: &PartialDate) -> DateView {
        DateView {
            iso: d.iso(),
            display: d.display(),
            precision: d.precision(),
            year: d.year,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_three_precisions() {
        assert_eq!(PartialDate::parse("2017").unwrap().display(), "2017");
        assert_eq!(
            PartialDate::parse("2017-06").unwrap().display(),
            "June 2017"
        );
        assert_eq!(
            PartialDate::parse("2017-06-18").unwrap().display(),
            "18 June 2017"
        );
    }

    #[test]
    fn rejects_impossible_and_free_text() {
        assert_eq!(PartialDate::parse("2017-02-30"), Err(DateError::NoSuchDate));
        assert_eq!(PartialDate::parse("2017-13"), Err(DateError::NoSuchDate));
        assert_eq!(PartialDate::parse("June 2017"), Err(DateError::Format));
        assert_eq!(PartialDate::parse("17-06-18"), Err(DateError::Format));
    }

    #[test]
    fn orders_coarse_dates_first_in_their_period() {
        let y = PartialDate::parse("2017").unwrap();
        let m = PartialDate::parse("2017-01").unwrap();
        let d = PartialDate::parse("2017-01-01").unwrap();
        assert!(y < m && m < d);
        assert_eq!(
            m.cmp_coarse(&PartialDate::parse("2017-01-02").unwrap()),
            Ordering::Equal
        );
    }

    #[test]
    fn last_day_of_month() {
        assert_eq!(
            PartialDate::parse("2016-02")
                .unwrap()
                .last_day()
                .to_string(),
            "2016-02-29"
        );
    }
}
