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

/// What a date written in another form most likely means, for the help of an
/// `invalid-date` error: `June 2015` is `2015-06`, `18/06/2017` is `2017-06-18`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateHint {
    /// One reading.
    One(PartialDate),
    /// Day and month could be either way round (`05/06/2017`): day first, then month first.
    Ambiguous(PartialDate, PartialDate),
}

/// Month names and their usual abbreviations, in English and French (the languages of the
/// sources of this theatre).
const MONTH_NAMES: [&[&str]; 12] = [
    &["january", "jan", "janvier", "janv"],
    &["february", "feb", "février", "fevrier", "févr", "fevr"],
    &["march", "mar", "mars"],
    &["april", "apr", "avril", "avr"],
    &["may", "mai"],
    &["june", "jun", "juin"],
    &["july", "jul", "juillet", "juil"],
    &["august", "aug", "août", "aout"],
    &["september", "sep", "sept", "septembre"],
    &["october", "oct", "octobre"],
    &["november", "nov", "novembre"],
    &["december", "dec", "décembre", "decembre", "déc"],
];

/// Words around a date that say how well it is known, not which date it is.
const QUALIFIERS: &[&str] = &[
    "early",
    "mid",
    "late",
    "around",
    "about",
    "circa",
    "c",
    "ca",
    "approx",
    "approximately",
    "on",
    "the",
    "of",
    "in",
    "début",
    "debut",
    "mi",
    "fin",
    "vers",
    "le",
    "en",
];

/// Reads a date written in a common form other than ISO: month names (`June 2015`, `18 June
/// 2017`, `June 18, 2017`, `18 juin 2017`, with ordinals and qualifiers such as `early` left
/// aside), and numbers (`18/06/2017`, `2017/6/18`, `06.2017`, `20170618`). Two-digit years
/// are left alone: their century is a guess.
pub fn hint(written: &str) -> Option<DateHint> {
    let lower = written.trim().to_lowercase();
    let tokens: Vec<String> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | '.' | '-' | '–'))
        .filter(|t| !t.is_empty() && !QUALIFIERS.contains(t))
        .map(|t| {
            // 18th, 1st, 2nd, 3rd, 1er
            let digits = t.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            if !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && ["st", "nd", "rd", "th", "er", ""].contains(&&t[digits.len()..])
            {
                digits.to_string()
            } else {
                t.to_string()
            }
        })
        .collect();
    let month_of = |t: &str| {
        MONTH_NAMES
            .iter()
            .position(|names| names.contains(&t))
            .map(|i| i as u32 + 1)
    };
    let number = |t: &str| -> Option<(u32, usize)> {
        (t.bytes().all(|b| b.is_ascii_digit()) && t.len() <= 8)
            .then(|| t.parse().ok().map(|n| (n, t.len())))
            .flatten()
    };
    let date = |y: u32, m: Option<u32>, d: Option<u32>| -> Option<PartialDate> {
        let iso = match (m, d) {
            (Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
            (Some(m), None) => format!("{y:04}-{m:02}"),
            _ => format!("{y:04}"),
        };
        (1000..=9999)
            .contains(&y)
            .then(|| PartialDate::parse(&iso).ok())
            .flatten()
    };
    let names: Vec<u32> = tokens.iter().filter_map(|t| month_of(t)).collect();
    if let [month] = names[..] {
        // A month by name: the year is the four-digit number, the day the small one.
        let mut year = None;
        let mut day = None;
        for t in tokens.iter().filter(|t| month_of(t).is_none()) {
            match number(t)? {
                (y, 4) if year.is_none() => year = Some(y),
                (d, 1 | 2) if day.is_none() => day = Some(d),
                _ => return None,
            }
        }
        return date(year?, Some(month), day).map(DateHint::One);
    }
    if !names.is_empty() {
        return None;
    }
    let nums: Vec<(u32, usize)> = tokens.iter().map(|t| number(t)).collect::<Option<_>>()?;
    match nums[..] {
        [(n, 8)] => date(n / 10000, Some(n / 100 % 100), Some(n % 100)).map(DateHint::One),
        [(y, 4)] => date(y, None, None).map(DateHint::One),
        [(y, 4), (m, 1 | 2)] | [(m, 1 | 2), (y, 4)] => date(y, Some(m), None).map(DateHint::One),
        [(y, 4), (m, 1 | 2), (d, 1 | 2)] => date(y, Some(m), Some(d)).map(DateHint::One),
        [(a, 1 | 2), (b, 1 | 2), (y, 4)] => {
            let day_first = date(y, Some(b), Some(a));
            let month_first = date(y, Some(a), Some(b));
            match (day_first, month_first) {
                (Some(x), Some(z)) if x != z => Some(DateHint::Ambiguous(x, z)),
                (Some(x), _) | (None, Some(x)) => Some(DateHint::One(x)),
                (None, None) => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_other_forms_are_read_for_a_suggestion() {
        let one = |s: &str| match hint(s) {
            Some(DateHint::One(d)) => d.iso(),
            other => panic!("{s}: {other:?}"),
        };
        assert_eq!(one("June 2015"), "2015-06");
        assert_eq!(one("Jun. 2015"), "2015-06");
        assert_eq!(one("juin 2015"), "2015-06");
        assert_eq!(one("18 June 2017"), "2017-06-18");
        assert_eq!(one("June 18, 2017"), "2017-06-18");
        assert_eq!(one("June 18th 2017"), "2017-06-18");
        assert_eq!(one("1er août 2016"), "2016-08-01");
        assert_eq!(one("early June 2017"), "2017-06");
        assert_eq!(one("mid-2017"), "2017");
        assert_eq!(one("18/06/2017"), "2017-06-18");
        assert_eq!(one("06/18/2017"), "2017-06-18");
        assert_eq!(one("05/05/2017"), "2017-05-05");
        assert_eq!(one("2017/6/8"), "2017-06-08");
        assert_eq!(one("2017.06.18"), "2017-06-18");
        assert_eq!(one("06/2017"), "2017-06");
        assert_eq!(one("20170618"), "2017-06-18");
        match hint("05/06/2017") {
            Some(DateHint::Ambiguous(a, b)) => {
                assert_eq!(
                    (a.iso(), b.iso()),
                    ("2017-06-05".into(), "2017-05-06".into())
                )
            }
            other => panic!("{other:?}"),
        }
        for nothing in [
            "yesterday",
            "18/06/17",
            "31 June 2017",
            "June",
            "June July 2017",
            "2017-02-30",
        ] {
            assert_eq!(hint(nothing), None, "{nothing}");
        }
    }

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
