//! CLDR formatting for one language: the ICU4X formatters, built once per language (building
//! one reads compiled data; formatting is then cheap), behind plain functions of dates,
//! numbers and codes.

use std::fmt;

use fixed_decimal::Decimal;
use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::{M, Y, YM, YMD};
use icu_datetime::parts::{MONTH, RANGE_END, RANGE_START};
use icu_datetime::range::FixedCalendarDateRangeFormatter;
use icu_datetime::{DateTimeFormatterPreferences, FixedCalendarDateTimeFormatter};
use icu_decimal::DecimalFormatter;
use icu_decimal::options::DecimalFormatterOptions;
use icu_experimental::displaynames::DisplayNamesOptions;
use icu_experimental::displaynames::multi::RegionDisplayNames;
use icu_list::ListFormatter;
use icu_list::options::{ListFormatterOptions, ListLength};
use icu_plurals::{PluralCategory, PluralRules};
use writeable::{Part, PartsWrite, Writeable};

use super::Lang;
use crate::content::{PartialDate, Precision};

/// Why a language's CLDR formatters could not be made (ICU4X has no data it needs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocaleError {
    /// The language tag.
    pub tag: String,
    /// What was missing, as ICU4X says it.
    pub reason: String,
}

impl fmt::Display for LocaleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no CLDR data to format `{}` with: {}",
            self.tag, self.reason
        )
    }
}

impl std::error::Error for LocaleError {}

/// Dates, ranges, numbers, plural categories, lists and country names for one language, as
/// CLDR writes them. Dates are Gregorian whatever the locale's own calendar (records are
/// dated in it, and `ar-SA` readers of a Sahel briefing expect those dates).
pub struct Locale {
    lang: Lang,
    day: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    month: FixedCalendarDateTimeFormatter<Gregorian, YM>,
    year: FixedCalendarDateTimeFormatter<Gregorian, Y>,
    month_alone: FixedCalendarDateTimeFormatter<Gregorian, M>,
    /// Day ranges by CLDR's long interval patterns ("d–d MMMM y"). ICU4X 2.4's range
    /// formatter (an `unstable` feature) loads no month names for them and writes a
    /// placeholder ("M06") marked as the month, which [`Locale::day_range`] replaces with
    /// the month's name as a long date writes it (its debug assertion on this is turned off
    /// in Cargo.toml's dev profile).
    day_range: FixedCalendarDateRangeFormatter<Gregorian, YMD>,
    month_range: FixedCalendarDateRangeFormatter<Gregorian, YM>,
    year_range: FixedCalendarDateRangeFormatter<Gregorian, Y>,
    /// How CLDR joins two dates that share nothing ("{0} – {1}"), as (before, between,
    /// after): used for the ends of a range written at two precisions.
    range_glue: (String, String, String),
    decimal: DecimalFormatter,
    plurals: PluralRules,
    list: ListFormatter,
    countries: RegionDisplayNames,
}

impl fmt::Debug for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Locale").field("lang", &self.lang).finish()
    }
}

/// A CLDR plural category ("one", "few" …): which form of an interface string a number
/// takes. English uses `one` and `other`; Arabic all six.
pub use icu_plurals::PluralCategory as Plural;

/// The CLDR name of a plural category, as translation files key plural forms.
pub fn plural_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

impl Locale {
    /// The formatters for `lang`. Fails only when ICU4X's compiled data lacks something for
    /// it, which CLDR's locale fallback (`ar-MA` → `ar` → root) makes unusual.
    pub fn new(lang: &Lang) -> Result<Locale, LocaleError> {
        let err = |e: &dyn fmt::Display| LocaleError {
            tag: lang.tag().to_string(),
            reason: e.to_string(),
        };
        let cldr = lang.cldr_locale();
        let prefs = || DateTimeFormatterPreferences::from(&cldr);
        let day =
            FixedCalendarDateTimeFormatter::try_new(prefs(), YMD::long()).map_err(|e| err(&e))?;
        let month =
            FixedCalendarDateTimeFormatter::try_new(prefs(), YM::long()).map_err(|e| err(&e))?;
        let year =
            FixedCalendarDateTimeFormatter::try_new(prefs(), Y::long()).map_err(|e| err(&e))?;
        let month_alone =
            FixedCalendarDateTimeFormatter::try_new(prefs(), M::long()).map_err(|e| err(&e))?;
        let day_range =
            FixedCalendarDateRangeFormatter::try_new(prefs(), YMD::long()).map_err(|e| err(&e))?;
        let month_range =
            FixedCalendarDateRangeFormatter::try_new(prefs(), YM::long()).map_err(|e| err(&e))?;
        let year_range =
            FixedCalendarDateRangeFormatter::try_new(prefs(), Y::long()).map_err(|e| err(&e))?;
        let decimal = DecimalFormatter::try_new((&cldr).into(), DecimalFormatterOptions::default())
            .map_err(|e| err(&e))?;
        let plurals = PluralRules::try_new_cardinal((&cldr).into()).map_err(|e| err(&e))?;
        let list = ListFormatter::try_new_and(
            (&cldr).into(),
            ListFormatterOptions::default().with_length(ListLength::Wide),
        )
        .map_err(|e| err(&e))?;
        let countries = RegionDisplayNames::try_new((&cldr).into(), DisplayNamesOptions::default())
            .map_err(|e| err(&e))?;
        let mut l = Locale {
            lang: lang.clone(),
            day,
            month,
            year,
            month_alone,
            day_range,
            month_range,
            year_range,
            range_glue: Default::default(),
            decimal,
            plurals,
            list,
            countries,
        };
        l.range_glue = l.find_range_glue();
        Ok(l)
    }

    /// The language these formatters are for.
    pub fn lang(&self) -> &Lang {
        &self.lang
    }

    /// CLDR's text around and between two dates that share nothing ("{0} – {1}" in most
    /// languages), read off a range of two dates in different years.
    fn find_range_glue(&self) -> (String, String, String) {
        let r = spans(
            &self
                .day_range
                .format(&gregorian(2001, 1, 2), &gregorian(2003, 4, 5)),
        );
        match (r.part(RANGE_START), r.part(RANGE_END)) {
            (Some((start, a)), Some((b, end))) if a <= b => (
                r.text[..start].to_string(),
                r.text[a..b].to_string(),
                r.text[end..].to_string(),
            ),
            // Not a shape CLDR has for any locale today; an en dash is CLDR root's glue.
            _ => (String::new(), " – ".to_string(), String::new()),
        }
    }

    /// The long (format-context) month name of `d` as a long date writes it.
    fn long_month_in_date(&self, d: &Date<Gregorian>) -> String {
        let r = spans(&self.day.format(d));
        r.part(MONTH)
            .map_or_else(String::new, |(s, e)| r.text[s..e].to_string())
    }

    /// A day range by CLDR's interval pattern, with the months' names written in (see
    /// `day_range` on [`Locale`]).
    fn day_range(&self, a: &Date<Gregorian>, b: &Date<Gregorian>) -> String {
        let r = spans(&self.day_range.format(a, b));
        let end_side = r.part(RANGE_END);
        let mut out = String::with_capacity(r.text.len() + 8);
        let mut at = 0;
        let mut months: Vec<(usize, usize)> = r
            .parts
            .iter()
            .filter(|(_, _, p)| *p == MONTH)
            .map(|(s, e, _)| (*s, *e))
            .collect();
        months.sort_unstable();
        for (s, e) in months {
            out.push_str(&r.text[at..s]);
            // A month inside the end's side is the end's; one shared by both ends (outside
            // either side) is the same month for both; otherwise it is the start's.
            let in_end = end_side.is_some_and(|(es, ee)| s >= es && e <= ee);
            let shared = !in_end && r.part(RANGE_START).is_none_or(|(ss, se)| s < ss || e > se);
            out.push_str(&self.long_month_in_date(if in_end || shared { b } else { a }));
            at = e;
        }
        out.push_str(&r.text[at..]);
        out
    }

    /// A date at the precision it was written with: "20 November 2015", "June 2017", "2015"
    /// in English; "20 novembre 2015", "juin 2017" in French; Arabic with its digits.
    pub fn date(&self, d: &PartialDate) -> String {
        match d.precision() {
            Precision::Day => self.day.format(&at_day(d)).to_string(),
            Precision::Month => self.month.format(&at_day(d)).to_string(),
            Precision::Year => self.year.format(&at_day(d)).to_string(),
        }
    }

    /// A range of two dates by CLDR's interval patterns, saying once what the ends share:
    /// "19–20 June 2017", "30 June – 2 July 2017", "June – August 2017", "2015–2017"; in
    /// French "19–20 juin 2017". Ends written at two precisions ("2017-06" to "2017-06-20")
    /// are each said in full, joined as CLDR joins two unrelated dates. Equal ends are one
    /// date.
    pub fn date_range(&self, start: &PartialDate, end: &PartialDate) -> String {
        if start == end {
            return self.date(start);
        }
        let (a, b) = (at_day(start), at_day(end));
        match (start.precision(), end.precision()) {
            (Precision::Day, Precision::Day) => self.day_range(&a, &b),
            (Precision::Month, Precision::Month) => self.month_range.format(&a, &b).to_string(),
            (Precision::Year, Precision::Year) => self.year_range.format(&a, &b).to_string(),
            _ => {
                let (before, between, after) = &self.range_glue;
                format!(
                    "{before}{}{between}{}{after}",
                    self.date(start),
                    self.date(end)
                )
            }
        }
    }

    /// A month's name alone ("June", "juin", "يونيو"), as headings over a month's incidents
    /// use it: CLDR's stand-alone month name ("июнь", where a date says "июня").
    pub fn month_name(&self, month: u8) -> String {
        self.month_alone
            .format(&gregorian(2001, month.clamp(1, 12), 1))
            .to_string()
    }

    /// An integer with the locale's grouping and digits: "12,345" (en), "12 345" (fr, with a
    /// narrow no-break space), "١٢٬٣٤٥" (ar).
    pub fn integer(&self, n: i64) -> String {
        self.decimal.format(&Decimal::from(n)).to_string()
    }

    /// A decimal at the precision Rust's shortest form gives (12.64 → "12.64", "12,64",
    /// "١٢٫٦٤"); NaN and infinities read as 0 (a figure is never either).
    pub fn decimal(&self, x: f64) -> String {
        let x = if x.is_finite() { x } else { 0.0 };
        // `{}` of an f64 is its shortest round-trip decimal form, which Decimal parses.
        let d: Decimal = format!("{x}").parse().unwrap_or_default();
        self.decimal.format(&d).to_string()
    }

    /// A coordinate's magnitude in degrees: "12.64°", "12,64°" (fr). The hemisphere letter
    /// (N, S, E, W; O for ouest in French) is an interface string, not CLDR data.
    pub fn degrees(&self, x: f64) -> String {
        format!("{}°", self.decimal(x.abs()))
    }

    /// The CLDR plural category of `n` in this language: which form of a string to use.
    pub fn plural(&self, n: u64) -> Plural {
        self.plurals.category_for(n)
    }

    /// The plural categories this language distinguishes (English `one`, `other`; Arabic all
    /// six), so a translation file can be checked for the forms it needs.
    pub fn plural_categories(&self) -> Vec<Plural> {
        self.plurals.categories().collect()
    }

    /// Items joined as the language lists them: "A, B and C" (en), "A, B et C" (fr),
    /// "A وB وC" (ar).
    pub fn and_list<S: AsRef<str>>(&self, items: &[S]) -> String {
        self.list
            .format(items.iter().map(|s| s.as_ref()))
            .to_string()
    }

    /// A country's name in this language from its ISO 3166 alpha-2 code ("ML" → "Mali",
    /// "BF" → "Burkina Faso" / "بوركينا فاسو"); `None` for a code CLDR does not name.
    pub fn country(&self, code: &str) -> Option<&str> {
        let region: icu_locale::subtags::Region = code.trim().to_ascii_uppercase().parse().ok()?;
        self.countries.of(region)
    }
}

/// Formatted text with the spans ICU4X marks in it (which side of a range, which field).
struct Spans {
    text: String,
    parts: Vec<(usize, usize, Part)>,
}

impl Spans {
    /// The first span marked `part`.
    fn part(&self, part: Part) -> Option<(usize, usize)> {
        self.parts
            .iter()
            .find(|(_, _, p)| *p == part)
            .map(|(s, e, _)| (*s, *e))
    }
}

impl fmt::Write for Spans {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.text.push_str(s);
        Ok(())
    }
}

impl PartsWrite for Spans {
    type SubPartsWrite = Spans;

    fn with_part(
        &mut self,
        part: Part,
        mut f: impl FnMut(&mut Self::SubPartsWrite) -> fmt::Result,
    ) -> fmt::Result {
        let start = self.text.len();
        f(self)?;
        self.parts.push((start, self.text.len(), part));
        Ok(())
    }
}

fn spans(w: &impl Writeable) -> Spans {
    let mut s = Spans {
        text: String::new(),
        parts: Vec::new(),
    };
    // Writing into a String cannot fail.
    let _ = w.write_to_parts(&mut s);
    s
}

fn gregorian(y: i32, m: u8, d: u8) -> Date<Gregorian> {
    // Only called with dates PartialDate::parse (or this file) made sure of.
    Date::try_new_gregorian(y, m, d)
        .or_else(|_| Date::try_new_gregorian(y, 1, 1))
        .expect("a year PartialDate parsed (four digits) is a Gregorian year")
}

/// The date's first day (month and year precisions format only their own fields).
fn at_day(d: &PartialDate) -> Date<Gregorian> {
    gregorian(d.year, d.month.unwrap_or(1), d.day.unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(tag: &str) -> Locale {
        Locale::new(&Lang::parse(tag).unwrap()).unwrap()
    }

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    #[test]
    fn english_dates_read_as_briefwerk_has_always_written_them() {
        let en = loc("en");
        for s in ["2015-11-20", "2017-06", "2015", "2017-06-19", "2016-12-31"] {
            assert_eq!(en.date(&d(s)), d(s).display(), "{s}");
        }
        assert_eq!(en.date(&d("2015-11-20")), "20 November 2015");
        // en-US written out gets the US order.
        assert_eq!(loc("en-US").date(&d("2015-11-20")), "November 20, 2015");
    }

    #[test]
    fn dates_at_three_precisions_in_french_and_arabic() {
        let fr = loc("fr");
        assert_eq!(fr.date(&d("2015-11-20")), "20 novembre 2015");
        assert_eq!(fr.date(&d("2017-06")), "juin 2017");
        assert_eq!(fr.date(&d("2015")), "2015");
        assert_eq!(fr.date(&d("2017-06-01")), "1 juin 2017");
        // CLDR gives `ar` Western digits, Egypt (and Saudi Arabia, Sudan …) Arabic-Indic
        // ones, and Morocco its own month names: the tag written decides.
        let ar = loc("ar");
        assert_eq!(ar.date(&d("2015-11-20")), "20 نوفمبر 2015");
        assert_eq!(ar.date(&d("2017-06")), "يونيو 2017");
        assert_eq!(ar.date(&d("2015")), "2015");
        let eg = loc("ar-EG");
        assert_eq!(eg.date(&d("2015-11-20")), "٢٠ نوفمبر ٢٠١٥");
        assert_eq!(eg.date(&d("2017-06")), "يونيو ٢٠١٧");
        let ma = loc("ar-MA");
        assert_eq!(ma.date(&d("2015-11-20")), "20 نونبر 2015");
    }

    #[test]
    fn ranges_say_once_what_their_ends_share() {
        let en = loc("en");
        assert_eq!(
            en.date_range(&d("2017-06-19"), &d("2017-06-20")),
            "19–20 June 2017"
        );
        // CLDR's English puts thin spaces (U+2009) around a dash between words.
        assert_eq!(
            en.date_range(&d("2017-06-30"), &d("2017-07-02")),
            "30 June\u{2009}–\u{2009}2 July 2017"
        );
        assert_eq!(
            en.date_range(&d("2016-12-31"), &d("2017-01-01")),
            "31 December 2016\u{2009}–\u{2009}1 January 2017"
        );
        assert_eq!(
            en.date_range(&d("2017-06"), &d("2017-08")),
            "June\u{2009}–\u{2009}August 2017"
        );
        assert_eq!(
            en.date_range(&d("2015"), &d("2017")),
            "2015\u{2009}–\u{2009}2017"
        );
        assert_eq!(
            en.date_range(&d("2017-06"), &d("2017-06-20")),
            "June 2017\u{2009}–\u{2009}20 June 2017"
        );
        assert_eq!(en.date_range(&d("2017-06"), &d("2017-06")), "June 2017");
        let fr = loc("fr");
        assert_eq!(
            fr.date_range(&d("2017-06-19"), &d("2017-06-20")),
            "19–20 juin 2017"
        );
        assert_eq!(
            fr.date_range(&d("2017-06-30"), &d("2017-07-02")),
            "30 juin\u{2009}–\u{2009}2 juillet 2017"
        );
        assert_eq!(fr.date_range(&d("2015"), &d("2017")), "2015–2017");
        assert_eq!(
            fr.date_range(&d("2017-06"), &d("2017-06-20")),
            "juin 2017\u{2009}–\u{2009}20 juin 2017"
        );
        assert_eq!(
            loc("ar-EG").date_range(&d("2017-06-19"), &d("2017-06-20")),
            "١٩–٢٠ يونيو ٢٠١٧"
        );
        assert_eq!(
            loc("ar-MA").date_range(&d("2017-06-30"), &d("2017-07-02")),
            "30 يونيو – 2 يوليوز 2017"
        );
        // A language whose dates decline the month (genitive "июня" after a day).
        assert_eq!(
            loc("ru").date_range(&d("2017-06-30"), &d("2017-07-02")),
            "30 июня — 2 июля 2017\u{202F}г."
        );
    }

    #[test]
    fn month_names_alone() {
        assert_eq!(loc("en").month_name(6), "June");
        assert_eq!(loc("fr").month_name(6), "juin");
        assert_eq!(loc("ar").month_name(6), "يونيو");
        assert_eq!(loc("ar-MA").month_name(7), "يوليوز");
        // Stand-alone, not the form a date uses ("июня").
        assert_eq!(loc("ru").month_name(6), "июнь");
    }

    #[test]
    fn numbers_with_the_digits_cldr_gives_the_tag() {
        let (en, fr, ar, ma, eg) = (loc("en"), loc("fr"), loc("ar"), loc("ar-MA"), loc("ar-EG"));
        assert_eq!(en.integer(12345), "12,345");
        assert_eq!(en.integer(257), "257");
        assert_eq!(fr.integer(12345), "12\u{202F}345");
        // ar and ar-MA differ (Morocco groups with a dot, writes decimals with a comma), and
        // ar-EG writes Arabic-Indic digits with Arabic separators.
        assert_eq!(ar.integer(12345), "12,345");
        assert_eq!(ma.integer(12345), "12.345");
        assert_eq!(eg.integer(12345), "١٢٬٣٤٥");
        assert_eq!(en.decimal(12.64), "12.64");
        assert_eq!(fr.decimal(12.64), "12,64");
        assert_eq!(ar.decimal(12.64), "12.64");
        assert_eq!(ma.decimal(12.64), "12,64");
        assert_eq!(eg.decimal(12.64), "١٢٫٦٤");
        assert_eq!(fr.degrees(-1.5), "1,5°");
        assert_eq!(en.degrees(12.64), "12.64°");
        assert_eq!(en.decimal(f64::NAN), "0");
    }

    #[test]
    fn plural_categories_arabic_has_six() {
        use PluralCategory::*;
        let ar = loc("ar");
        let got: Vec<_> = [0, 1, 2, 3, 10, 11, 99, 100, 102]
            .into_iter()
            .map(|n| plural_name(ar.plural(n)))
            .collect();
        assert_eq!(
            got,
            [
                "zero", "one", "two", "few", "few", "many", "many", "other", "other"
            ]
        );
        assert_eq!(ar.plural_categories().len(), 6);
        let en = loc("en");
        assert_eq!(
            (en.plural(1), en.plural(0), en.plural(2)),
            (One, Other, Other)
        );
        assert_eq!(en.plural_categories(), [One, Other]);
        // French says "0 incident", "1 incident", "2 incidents"; "many" is for millions.
        let fr = loc("fr");
        assert_eq!(
            (fr.plural(0), fr.plural(1), fr.plural(2)),
            (One, One, Other)
        );
        assert_eq!(fr.plural(1_000_000), Many);
    }

    #[test]
    fn country_names_and_lists() {
        let (en, fr, ar) = (loc("en"), loc("fr"), loc("ar"));
        assert_eq!(en.country("ML"), Some("Mali"));
        assert_eq!(en.country("bf"), Some("Burkina Faso"));
        assert_eq!(fr.country("NE"), Some("Niger"));
        assert_eq!(fr.country("TD"), Some("Tchad"));
        assert_eq!(fr.country("CI"), Some("Côte d’Ivoire"));
        assert_eq!(ar.country("ML"), Some("مالي"));
        assert_eq!(ar.country("CI"), Some("ساحل العاج"));
        assert_eq!(en.country("XX"), None);
        assert_eq!(en.country("not a code"), None);
        assert_eq!(
            en.and_list(&["JNIM", "ISGS", "AQIM"]),
            "JNIM, ISGS and AQIM"
        );
        assert_eq!(fr.and_list(&["JNIM", "ISGS", "AQIM"]), "JNIM, ISGS et AQIM");
        assert_eq!(en.and_list(&["JNIM", "ISGS"]), "JNIM and ISGS");
        assert_eq!(ar.and_list(&["أ", "ب", "ج"]), "أ وب وج");
    }
}
