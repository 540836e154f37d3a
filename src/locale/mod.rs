//! The locale room (issue 17): what a language tag written in site.yaml means for a reader —
//! its writing direction, and dates, date ranges, numbers, plural categories, lists and
//! country names as CLDR gives them for that tag, through ICU4X with its compiled data (no
//! tables of our own, no data files, no network) — and the theme's interface strings
//! ([`strings`]).
//!
//! Takes tags, dates, numbers and codes; returns text. Knows nothing of pages or records, so
//! the renderer, feeds, pictures and search can each ask it and agree. Not yet wired into
//! rendering: today's pages are still English from `render::phrasing` (see docs/i18n.md).

mod format;
pub mod strings;

pub use format::{Locale, LocaleError, Plural, plural_name};

use std::fmt;

use icu_locale::LocaleDirectionality;

/// Which way a language is written: the value of an HTML `dir` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Left to right (English, French …).
    Ltr,
    /// Right to left (Arabic, Hebrew, Persian, Urdu …).
    Rtl,
}

impl Direction {
    /// `ltr` or `rtl`, as HTML writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// A language a site publishes in, from a BCP 47 tag written in site.yaml (`en`, `fr`, `ar`,
/// `ar-MA`, `en-GB` …), kept as written (canonical case) for `<html lang>`, `hreflang` and
/// folder names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Lang {
    /// The parsed tag.
    id: icu_locale::Locale,
    /// The tag in canonical case: `ar-MA`, `fr`.
    tag: String,
    /// Its writing direction.
    dir: Direction,
}

/// Why a site.yaml language tag was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LangError {
    /// The tag as written.
    pub tag: String,
    /// What is wrong, for a person.
    pub reason: String,
}

impl fmt::Display for LangError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a language tag: {}", self.tag, self.reason)
    }
}

impl std::error::Error for LangError {}

impl Lang {
    /// Parses a BCP 47 tag. The language subtag is required and `und` is refused (a site's
    /// language must be a language); case is made canonical (`AR-ma` → `ar-MA`).
    pub fn parse(tag: &str) -> Result<Lang, LangError> {
        let err = |reason: &str| LangError {
            tag: tag.to_string(),
            reason: reason.to_string(),
        };
        let t = tag.trim();
        if t.is_empty() {
            return Err(err("it is empty; write a code such as en, fr or ar"));
        }
        // `_` is accepted by ICU4X's parser but never by `<html lang>`.
        if t.contains('_') {
            return Err(err(&format!(
                "use `-` between its parts, as in `{}`",
                t.replace('_', "-")
            )));
        }
        let id: icu_locale::Locale = t.parse().map_err(|_| {
            err("expected a language code (en, fr, ar), optionally a region (ar-MA, en-GB)")
        })?;
        if id.id.language.is_unknown() {
            return Err(err(
                "`und` (undetermined) is not a language a site can publish in",
            ));
        }
        // Likely subtags fill in the script when the tag has none (ar → Arab → rtl).
        let dir = if LocaleDirectionality::new_common().is_right_to_left(&id.id) {
            Direction::Rtl
        } else {
            Direction::Ltr
        };
        Ok(Lang {
            tag: id.to_string(),
            id,
            dir,
        })
    }

    /// The tag in canonical case (`ar-MA`), for `lang`, `hreflang` and URLs.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The language subtag alone (`ar` for `ar-MA`): which theme string file to fall back on.
    pub fn language(&self) -> &str {
        self.id.id.language.as_str()
    }

    /// Which way the language is written.
    pub fn dir(&self) -> Direction {
        self.dir
    }

    /// The ICU4X locale CLDR data is looked up with. Bare `en` formats as `en-001`
    /// (international English: "20 November 2015", "A, B and C"), which is how briefwerk has
    /// always written English; `en-US` written out gets US forms.
    pub(crate) fn cldr_locale(&self) -> icu_locale::Locale {
        let mut l = self.id.clone();
        if l.id.language.as_str() == "en" && l.id.region.is_none() && l.id.script.is_none() {
            l.id.region = "001".parse().ok();
        }
        l
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_parse_to_canonical_case_with_their_direction() {
        let l = |t: &str| Lang::parse(t).unwrap();
        assert_eq!((l("en").tag(), l("en").dir()), ("en", Direction::Ltr));
        assert_eq!(l("fr").dir().as_str(), "ltr");
        assert_eq!(l("AR-ma").tag(), "ar-MA");
        assert_eq!(l("ar-MA").language(), "ar");
        for rtl in ["ar", "ar-MA", "he", "fa", "ur", "ps", "ckb"] {
            assert_eq!(l(rtl).dir(), Direction::Rtl, "{rtl}");
        }
        for ltr in ["en", "en-GB", "fr", "fr-ML", "ha", "ff", "bm", "tr", "ku"] {
            assert_eq!(l(ltr).dir(), Direction::Ltr, "{ltr}");
        }
        // A script subtag overrides the language's usual script.
        assert_eq!(l("ff-Adlm").dir(), Direction::Rtl);
        assert_eq!(l("pa-Arab").dir(), Direction::Rtl);
    }

    #[test]
    fn a_bad_tag_says_what_to_write() {
        let e = Lang::parse("en_GB").unwrap_err();
        assert!(e.to_string().contains("`en-GB`"), "{e}");
        assert!(Lang::parse("").is_err());
        assert!(Lang::parse("und").is_err());
        let e = Lang::parse("english!").unwrap_err();
        assert!(e.to_string().contains("language code"), "{e}");
    }
}
