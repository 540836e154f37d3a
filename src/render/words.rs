//! The words of one language a render writes (issue 17): the language, its CLDR formatting
//! (`locale::Locale`) and the theme's interface strings (`locale::Strings`), built once per
//! language per build by the load stage, and read by every page of that language. Rust that
//! writes a word a reader sees asks a `Words`; templates ask the Tera function `t` and the
//! filters registered here, which find the page's language in its `lang` variable.
//!
//! English keeps the forms briefwerk has always printed where CLDR's differ: integers
//! without grouping ("12345"), the site's own English country names, and ranges joined with
//! the dash the templates write (docs/i18n.md, *English output*).

use std::collections::BTreeMap;
use std::sync::Arc;

use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::config::Config;
use crate::content::{Count, PartialDate, Precision, Tally, country};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::locale::strings::Strings;
use crate::locale::{Lang, Locale};

/// The words of one language: what it is, how CLDR writes its dates and numbers, and its
/// interface strings (theme's, with the site's overrides).
pub struct Words {
    /// The language of this render.
    pub lang: Lang,
    /// CLDR formatting for it.
    pub locale: Locale,
    /// The theme's interface strings for it, the site's overrides laid over.
    pub strings: Strings,
}

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Words").field("lang", &self.lang).finish()
    }
}

impl Words {
    /// Reads the strings of `lang` for the site of `config` (theme files, then the site's
    /// `i18n/` overrides), every problem located. The load stage calls this; nothing later
    /// reads a file.
    pub fn load(config: &Config, lang: &Lang) -> Result<Words, Diagnostics> {
        let locale = Locale::new(lang).map_err(|e| {
            let mut d = Diagnostics::default();
            d.push(Diagnostic::error("locale", e.to_string()));
            d
        })?;
        let strings = Strings::load(&config.root, &config.theme, lang, &locale)?;
        Ok(Words {
            lang: lang.clone(),
            locale,
            strings,
        })
    }

    /// The default theme's words for `tag` with no site overrides (tests, tools).
    pub fn default_theme(tag: &str) -> Option<Words> {
        let lang = Lang::parse(tag).ok()?;
        let locale = Locale::new(&lang).ok()?;
        let reference = crate::locale::strings::default_theme_file("en")?;
        let file = crate::locale::strings::default_theme_file(lang.language())?;
        let strings = Strings::from_files(&[reference], &[file], &locale).ok()?;
        Some(Words {
            lang,
            locale,
            strings,
        })
    }

    /// English keeps briefwerk's historical forms where CLDR's differ.
    fn english(&self) -> bool {
        self.lang.language() == "en"
    }

    /// The message `key` with its placeholders filled.
    pub fn text(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.strings.text(key, args)
    }

    /// The form of plural message `key` that `n` takes, `{n}` written as [`Words::integer`].
    pub fn count(&self, key: &str, n: u64, args: &[(&str, &str)]) -> String {
        let digits = self.integer(i64::try_from(n).unwrap_or(i64::MAX));
        self.strings
            .count_written(key, n, &digits, &self.locale, args)
    }

    /// The form of plural message `key` that `n` takes, the message not writing `n` itself
    /// (its placeholders all come from `args`).
    pub fn count_with(&self, key: &str, n: u64, args: &[(&str, &str)]) -> String {
        self.count(key, n, args)
    }

    /// An integer as this language writes it ("12 345" in French); English as briefwerk
    /// always wrote totals, without grouping ("12345").
    pub fn integer(&self, n: i64) -> String {
        if self.english() {
            n.to_string()
        } else {
            self.locale.integer(n)
        }
    }

    /// A date at its precision: "20 November 2015", "juin 2017", "2015".
    pub fn date(&self, d: &PartialDate) -> String {
        if self.english() {
            // CLDR en-001 writes single dates exactly as briefwerk always did.
            d.display()
        } else {
            self.locale.date(d)
        }
    }

    /// A month's name alone ("June", "juin").
    pub fn month_name(&self, month: u8) -> String {
        if self.english() {
            PartialDate::month_name(month).to_string()
        } else {
            self.locale.month_name(month)
        }
    }

    /// The start of a range without what it shares with the end: "18" (same month), "30
    /// June" / "30 juin" (same year), else the whole start.
    pub fn range_start(&self, start: &PartialDate, end: Option<&PartialDate>) -> String {
        let days = |d: &PartialDate| matches!(d.precision(), Precision::Day);
        match end {
            Some(e) if days(start) && days(e) && start.year == e.year => {
                if start.month == e.month {
                    self.integer(i64::from(start.day.unwrap_or_default()))
                } else {
                    let full = self.date(start);
                    let year = self.integer(i64::from(start.year));
                    full.strip_suffix(&format!(" {year}"))
                        .unwrap_or(&full)
                        .to_string()
                }
            }
            _ => self.date(start),
        }
    }

    /// A range of two dates: "19–20 June 2017", "30 June – 2 July 2017", "2015–2017".
    pub fn date_range(&self, start: &PartialDate, end: &PartialDate) -> String {
        if start == end {
            return self.date(start);
        }
        let days = |d: &PartialDate| matches!(d.precision(), Precision::Day);
        let tight =
            !(days(start) && days(end)) || (start.year == end.year && start.month == end.month);
        let sep = if tight && start.precision() == end.precision() {
            "–"
        } else {
            " – "
        };
        format!(
            "{}{sep}{}",
            self.range_start(start, Some(end)),
            self.date(end)
        )
    }

    /// A country's name: CLDR's in this language; in English the site's own names (as
    /// briefwerk always wrote them); the code when neither knows it.
    pub fn country(&self, code: &str) -> String {
        let english = country::name(code);
        let name = if self.english() {
            english
        } else {
            self.locale.country(code).or(english)
        };
        name.unwrap_or(code).to_string()
    }

    /// A figure of one record: "5", "10–12", "at least 257", "unknown".
    pub fn figure(&self, c: &Count) -> String {
        match *c {
            Count::Exact { n } => self.integer(i64::from(n)),
            Count::Range {
                min,
                max: Some(max),
            } if min == max => self.integer(i64::from(min)),
            Count::Range {
                min,
                max: Some(max),
            } => self.text(
                "figure.range",
                &[
                    ("min", &self.integer(i64::from(min))),
                    ("max", &self.integer(i64::from(max))),
                ],
            ),
            Count::Range { min, max: None } => self.count("figure.at_least", u64::from(min), &[]),
            Count::Unknown => self.text("figure.unknown", &[]),
        }
    }

    /// A total: "312", "312–347" or "at least 312".
    pub fn tally(&self, t: &Tally) -> String {
        let n = |x: u64| self.integer(i64::try_from(x).unwrap_or(i64::MAX));
        if t.open {
            self.count("figure.at_least", t.min, &[])
        } else if t.min == t.max {
            n(t.min)
        } else {
            self.text("figure.range", &[("min", &n(t.min)), ("max", &n(t.max))])
        }
    }

    /// A coordinate pair in words: "12.64° N, 8.00° W" ("12,64° N" in French).
    pub fn coords(&self, lat: f64, lon: f64) -> String {
        let ns = if lat < 0.0 {
            "coords.south"
        } else {
            "coords.north"
        };
        let ew = if lon < 0.0 {
            "coords.west"
        } else {
            "coords.east"
        };
        format!(
            "{} {}, {} {}",
            self.locale.degrees(lat),
            self.text(ns, &[]),
            self.locale.degrees(lon),
            self.text(ew, &[])
        )
    }
}

/// Every language's words a Tera instance renders with, by tag.
type Langs = Arc<BTreeMap<String, Arc<Words>>>;

/// The words of the page being rendered: the language its `lang` variable names, else the
/// first (default) language.
fn of_page<'w>(langs: &'w Langs, first: &'w Arc<Words>, state: &State<'_>) -> &'w Words {
    // One language (every site today): no lookup on each of the many calls a page makes.
    if langs.len() < 2 {
        return first;
    }
    match state.get::<String>("lang") {
        Ok(Some(tag)) => langs.get(&tag).unwrap_or(first),
        _ => first,
    }
}

/// Registers the function `t` and the filters `date`, `num`, `deg` and `range_start` on `tera`,
/// holding the words of every language of the build (`all`, the default first). A page's
/// language is its `lang` variable.
pub fn register(tera: &mut Tera, all: &[Arc<Words>]) {
    let Some(first) = all.first().cloned() else {
        return;
    };
    let langs: Langs = Arc::new(
        all.iter()
            .map(|w| (w.lang.tag().to_string(), w.clone()))
            .collect(),
    );
    let (l, f) = (langs.clone(), first.clone());
    tera.register_function("t", move |kwargs: Kwargs, state: &State<'_>| {
        translate(of_page(&l, &f, state), &kwargs, state)
    });
    let (l, f) = (langs.clone(), first.clone());
    tera.register_filter(
        "date",
        move |v: &Value, _: Kwargs, state: &State<'_>| -> TeraResult<String> {
            let w = of_page(&l, &f, state);
            Ok(date_of(v).map_or_else(String::new, |d| w.date(&d)))
        },
    );
    let (l, f) = (langs.clone(), first.clone());
    tera.register_filter(
        "num",
        move |v: &Value, _: Kwargs, state: &State<'_>| -> TeraResult<String> {
            let w = of_page(&l, &f, state);
            Ok(match v.as_i64() {
                Some(n) => w.integer(n),
                None => v.to_string(),
            })
        },
    );
    let (l, f) = (langs.clone(), first.clone());
    tera.register_filter(
        "deg",
        move |v: &Value, _: Kwargs, state: &State<'_>| -> TeraResult<String> {
            let w = of_page(&l, &f, state);
            let x = v.as_f64().unwrap_or_default().abs();
            Ok(if w.english() {
                // As `{{ x | abs }}°` always printed it.
                format!("{}°", state.escape_if_needed(&Value::from(x))?)
            } else {
                w.locale.degrees(x)
            })
        },
    );
    let (l, f) = (langs, first);
    tera.register_filter(
        "range_start",
        move |v: &Value, _: Kwargs, state: &State<'_>| -> TeraResult<String> {
            let w = of_page(&l, &f, state);
            let get = |k: &str| {
                v.as_map()
                    .and_then(|m| m.get(&tera::value::Key::Str(k)))
                    .and_then(date_of)
            };
            Ok(match get("start") {
                Some(s) => w.range_start(&s, get("end").as_ref()),
                None => String::new(),
            })
        },
    );
}

/// The date of a date view (its `iso`), or of an ISO string.
fn date_of(v: &Value) -> Option<PartialDate> {
    let iso = match v.as_map() {
        Some(m) => m.get(&tera::value::Key::Str("iso"))?.as_str()?.to_string(),
        None => v.as_str()?.to_string(),
    };
    PartialDate::parse(&iso).ok()
}

/// `t(key="…", n=…, name=…)`: the message `key`, its plural form chosen by `n`, its
/// placeholders filled from the other arguments (escaped as `{{ value }}` would be unless
/// marked safe). The message itself is theme text, written out as a template's own text is.
fn translate(w: &Words, kwargs: &Kwargs, state: &State<'_>) -> TeraResult<Value> {
    let key: &str = kwargs.must_get::<&str>("key")?;
    let mut args: Vec<(String, String)> = Vec::new();
    let mut n: Option<u64> = None;
    for (k, v) in kwargs.iter() {
        let Some(k) = k.as_str() else { continue };
        if k == "key" {
            continue;
        }
        // A number chooses the plural form; words given as `n` ("at least 3") fill `{n}`.
        if k == "n" && v.is_number() {
            n = v.as_u64().or_else(|| v.as_i64().map(|x| x.max(0) as u64));
            continue;
        }
        let text = match v.as_i64() {
            Some(x) if v.is_number() => w.integer(x),
            _ => state.escape_if_needed(v)?,
        };
        args.push((k.to_string(), text));
    }
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let out = match n {
        Some(n) => w.count(key, n, &args),
        None => w.text(key, &args),
    };
    Ok(Value::safe_string(&out))
}
