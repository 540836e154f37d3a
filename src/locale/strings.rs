//! Interface strings: the words a theme shows around the facts ("Killed", "Data as of",
//! "3 incidents"), one YAML file per language in the theme (`themes/<theme>/i18n/<lang>.yaml`)
//! that a site overrides key by key (`i18n/<lang>.yaml` at the site root). A message is a
//! string, or a mapping of CLDR plural categories to strings when a number chooses its form.
//! `{name}` in a message is a placeholder. Format and rules: docs/i18n.md.
//!
//! Takes file texts and a language; returns looked-up, filled-in text, or every problem in
//! the files at once, located. The theme's English file (`en.yaml`) is the reference: it
//! names every key a theme may ask for.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use super::format::plural_name;
use super::{Lang, Locale};
use crate::diagnostic::{Diagnostic, Diagnostics, Location, did_you_mean};
use crate::site_files::SiteDir;

/// The default theme's string files, compiled in as the rest of the default theme is (an
/// installed binary has no copy of the repository).
const DEFAULT_STRINGS: &[(&str, &str)] = &[
    ("en", include_str!("../../themes/default/i18n/en.yaml")),
    ("fr", include_str!("../../themes/default/i18n/fr.yaml")),
    ("ar", include_str!("../../themes/default/i18n/ar.yaml")),
];

/// Largest string file read (the default theme's are about 20 KB).
const MAX_STRINGS_BYTES: u64 = 1024 * 1024;

/// One message as written: a string, or its forms by CLDR plural category.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Message {
    /// The same words whatever the number.
    Text(String),
    /// Forms keyed `zero`, `one`, `two`, `few`, `many`, `other`.
    Plural(BTreeMap<String, String>),
}

/// One string file's text, with the path diagnostics name it by.
#[derive(Debug, Clone)]
pub struct StringFile {
    /// Path relative to the site root (or `<embedded default theme>/i18n/fr.yaml`).
    pub path: String,
    /// The YAML text.
    pub text: String,
}

/// The interface strings of one language, checked complete: every key of the reference file,
/// each plural message with every form the language's CLDR rules distinguish.
#[derive(Debug, Clone)]
pub struct Strings {
    messages: BTreeMap<String, Message>,
}

/// The CLDR plural categories, as keys of a plural message.
const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

impl Strings {
    /// The strings for `lang` of the theme `theme` at the site `root`, lowest layer first:
    /// the default theme's file for the language (`ar.yaml`), then the region's (`ar-MA.yaml`)
    /// if any; the same two from `themes/<theme>/i18n/` when the site has that theme folder;
    /// then the site's own `i18n/`. The reference keys are the default theme's `en.yaml` with
    /// the theme's and site's `en.yaml` laid over it.
    pub fn load(
        root: &Path,
        theme: &str,
        lang: &Lang,
        locale: &Locale,
    ) -> Result<Strings, Diagnostics> {
        let site = SiteDir::new(root).map_err(|e| {
            let mut d = Diagnostics::default();
            d.push(Diagnostic::error("unreadable", e.to_string()));
            d
        })?;
        let mut diags = Diagnostics::default();
        let names = |l: &str, t: &str| -> Vec<String> {
            let mut v = vec![format!("{l}.yaml")];
            if t != l {
                v.push(format!("{t}.yaml"));
            }
            v
        };
        let read_layers = |names: &[String], diags: &mut Diagnostics| -> Vec<StringFile> {
            let mut files = Vec::new();
            for name in names {
                if let Some((_, text)) = DEFAULT_STRINGS
                    .iter()
                    .find(|(l, _)| format!("{l}.yaml") == *name)
                {
                    files.push(StringFile {
                        path: format!("<embedded default theme>/i18n/{name}"),
                        text: text.to_string(),
                    });
                }
            }
            for dir in [
                root.join("themes").join(theme).join("i18n"),
                root.join("i18n"),
            ] {
                for name in names {
                    let path = dir.join(name);
                    if path.symlink_metadata().is_err() {
                        continue;
                    }
                    match site.read(&path, MAX_STRINGS_BYTES) {
                        Ok(bytes) => files.push(StringFile {
                            path: site.rel(&path),
                            text: String::from_utf8_lossy(&bytes).into_owned(),
                        }),
                        Err(d) => diags.push(d),
                    }
                }
            }
            files
        };
        let reference = read_layers(&names("en", "en"), &mut diags);
        let files = read_layers(&names(lang.language(), lang.tag()), &mut diags);
        if files.is_empty() {
            diags.push(
                Diagnostic::error(
                    "no-strings",
                    format!(
                        "no interface strings for `{}`: the theme has no i18n/{}.yaml",
                        lang.tag(),
                        lang.language()
                    ),
                )
                .at(Location::file("site.yaml"), "")
                .help(format!(
                    "write i18n/{}.yaml at the site root with every key of the theme's en.yaml \
                     (docs/i18n.md), or publish in en, fr or ar",
                    lang.language()
                )),
            );
        }
        if diags.has_errors() {
            return Err(diags);
        }
        Strings::from_files(&reference, &files, locale)
    }

    /// The strings of `files` (lowest layer first; a later file replaces a key of an earlier
    /// one), checked against the keys of `reference` (laid over each other the same way) and
    /// the plural categories of `locale`'s language. Every problem is reported at once.
    pub fn from_files(
        reference: &[StringFile],
        files: &[StringFile],
        locale: &Locale,
    ) -> Result<Strings, Diagnostics> {
        let mut diags = Diagnostics::default();
        let parse = |f: &StringFile, diags: &mut Diagnostics| -> Vec<(String, Message, Location)> {
            parse_file(f, diags)
        };
        let mut wanted: BTreeMap<String, Message> = BTreeMap::new();
        for f in reference {
            for (k, m, _) in parse(f, &mut diags) {
                wanted.insert(k, m);
            }
        }
        let needed: Vec<&'static str> = locale
            .plural_categories()
            .into_iter()
            .map(plural_name)
            .collect();
        let mut messages: BTreeMap<String, (Message, Location)> = BTreeMap::new();
        for f in files {
            for (k, m, at) in parse(f, &mut diags) {
                let Some(reference) = wanted.get(&k) else {
                    let mut d = Diagnostic::error(
                        "unknown-string",
                        format!("`{k}` is not an interface string the theme uses"),
                    )
                    .at(at, "unknown key");
                    if let Some(s) = did_you_mean(&k, wanted.keys().map(String::as_str)) {
                        d = d.help(format!("did you mean `{s}`?"));
                    }
                    diags.push(d);
                    continue;
                };
                check_message(&k, &m, reference, &needed, locale, &at, &mut diags);
                messages.insert(k, (m, at));
            }
        }
        let missing: Vec<&str> = wanted
            .keys()
            .filter(|k| !messages.contains_key(*k))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() && !files.is_empty() {
            let last = &files[files.len() - 1];
            diags.push(
                Diagnostic::error(
                    "missing-strings",
                    format!(
                        "{} interface string{} not translated for `{}`: {}",
                        missing.len(),
                        if missing.len() == 1 { " is" } else { "s are" },
                        locale.lang().tag(),
                        missing.join(", ")
                    ),
                )
                .at(Location::file(&last.path), "")
                .help("copy them from the theme's en.yaml and translate them"),
            );
        }
        if diags.has_errors() {
            diags.sort();
            return Err(diags);
        }
        Ok(Strings {
            messages: messages.into_iter().map(|(k, (m, _))| (k, m)).collect(),
        })
    }

    /// Every key, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.messages.keys().map(String::as_str)
    }

    /// The message `key` with its `{name}` placeholders filled from `args`. A plural message
    /// gives its `other` form; an unknown key gives the key itself (loading checked that every
    /// key a theme asks for exists, so this shows a theme's typo on the page, never panics).
    pub fn text(&self, key: &str, args: &[(&str, &str)]) -> String {
        match self.messages.get(key) {
            Some(Message::Text(t)) => fill(t, args),
            Some(Message::Plural(forms)) => {
                fill(forms.get("other").map_or("", String::as_str), args)
            }
            None => key.to_string(),
        }
    }

    /// The form of plural message `key` that `n` takes in this language, with `{n}` as the
    /// locale writes `n` ("3", "٣") and the other placeholders from `args`. A text message
    /// is used whatever `n`.
    pub fn count(&self, key: &str, n: u64, locale: &Locale, args: &[(&str, &str)]) -> String {
        let digits = locale.integer(i64::try_from(n).unwrap_or(i64::MAX));
        self.count_written(key, n, &digits, locale, args)
    }

    /// As [`Strings::count`], with `{n}` written as `digits` (the caller's form of `n`).
    pub fn count_written(
        &self,
        key: &str,
        n: u64,
        digits: &str,
        locale: &Locale,
        args: &[(&str, &str)],
    ) -> String {
        let mut all: Vec<(&str, &str)> = vec![("n", digits)];
        all.extend_from_slice(args);
        match self.messages.get(key) {
            Some(Message::Plural(forms)) => {
                let form = forms
                    .get(plural_name(locale.plural(n)))
                    .or_else(|| forms.get("other"))
                    .map_or("", String::as_str);
                fill(form, &all)
            }
            Some(Message::Text(t)) => fill(t, &all),
            None => key.to_string(),
        }
    }
}

/// The default theme's string file for `language` (`en`, `fr`, `ar`), if it has one.
pub fn default_theme_file(language: &str) -> Option<StringFile> {
    DEFAULT_STRINGS
        .iter()
        .find(|(l, _)| *l == language)
        .map(|(l, text)| StringFile {
            path: format!("<embedded default theme>/i18n/{l}.yaml"),
            text: text.to_string(),
        })
}

/// The languages the default theme has strings for.
pub fn default_theme_languages() -> impl Iterator<Item = &'static str> {
    DEFAULT_STRINGS.iter().map(|(l, _)| *l)
}

/// Parses one file into its messages, each with where its key is written.
fn parse_file(f: &StringFile, diags: &mut Diagnostics) -> Vec<(String, Message, Location)> {
    let map: BTreeMap<String, Message> = match crate::yaml::from_str(&f.text) {
        Ok(m) => m,
        Err(e) => {
            let at = e.span.or_else(|| crate::yaml::locate_error(&f.text, &e));
            let loc = match at.or(e.offset.map(|o| (o, o))) {
                Some((s, end)) => Location::new(&f.path, &f.text, s, end),
                None => Location::file(&f.path),
            };
            diags.push(
                Diagnostic::error(
                    "bad-strings",
                    format!("cannot read the strings: {}", e.message),
                )
                .at(loc, "here")
                .help(
                    "each key is a string (`killed: Killed`) or a mapping of CLDR plural \
                         categories (`incidents: {one: …, other: …}`)",
                ),
            );
            return Vec::new();
        }
    };
    let spans: BTreeMap<String, (usize, usize)> =
        crate::yaml::root_keys(&f.text).into_iter().collect();
    map.into_iter()
        .map(|(k, m)| {
            let loc = match spans.get(&k) {
                Some(&(s, e)) => Location::new(&f.path, &f.text, s, e),
                None => Location::file(&f.path),
            };
            (k, m, loc)
        })
        .collect()
}

/// Checks a translation of `key` against its reference message: the same kind (text or
/// plural), every plural form the language needs and no other, no placeholder the
/// reference does not offer.
fn check_message(
    key: &str,
    m: &Message,
    reference: &Message,
    needed: &[&str],
    locale: &Locale,
    at: &Location,
    diags: &mut Diagnostics,
) {
    let tag = locale.lang().tag();
    match (m, reference) {
        (Message::Text(_), Message::Plural(_)) => diags.push(
            Diagnostic::error(
                "plural-string",
                format!("`{key}` takes a number and needs its plural forms"),
            )
            .at(at.clone(), "a single string")
            .help(format!(
                "write `{key}:` with the forms {}",
                needed.join(", ")
            )),
        ),
        (Message::Plural(_), Message::Text(_)) => diags.push(
            Diagnostic::error(
                "plural-string",
                format!("`{key}` takes no number: write one string, not plural forms"),
            )
            .at(at.clone(), "plural forms"),
        ),
        (Message::Plural(forms), Message::Plural(_)) => {
            let have: BTreeSet<&str> = forms.keys().map(String::as_str).collect();
            let lacking: Vec<&str> = needed
                .iter()
                .copied()
                .filter(|c| !have.contains(c))
                .collect();
            if !lacking.is_empty() {
                diags.push(
                    Diagnostic::error(
                        "plural-forms",
                        format!(
                            "`{key}` lacks the plural form{} {} that `{tag}` needs",
                            if lacking.len() == 1 { "" } else { "s" },
                            lacking.join(", ")
                        ),
                    )
                    .at(at.clone(), "here")
                    .help(format!(
                        "`{tag}` distinguishes {} (CLDR plural rules)",
                        needed.join(", ")
                    )),
                );
            }
            let extra: Vec<&str> = have
                .iter()
                .copied()
                .filter(|c| !needed.contains(c))
                .collect();
            if !extra.is_empty() {
                let help = if extra.iter().all(|c| CATEGORIES.contains(c)) {
                    format!(
                        "`{tag}` never uses them: it distinguishes {}",
                        needed.join(", ")
                    )
                } else {
                    format!(
                        "plural forms are keyed by CLDR category: {}",
                        CATEGORIES.join(", ")
                    )
                };
                diags.push(
                    Diagnostic::error(
                        "plural-forms",
                        format!(
                            "`{key}` has plural form{} {} that `{tag}` does not have",
                            if extra.len() == 1 { "" } else { "s" },
                            extra.join(", ")
                        ),
                    )
                    .at(at.clone(), "here")
                    .help(help),
                );
            }
        }
        (Message::Text(_), Message::Text(_)) => {}
    }
    let offered = placeholders_of(reference);
    let used = placeholders_of(m);
    let unknown: Vec<&String> = used.difference(&offered).collect();
    if !unknown.is_empty() {
        let list: Vec<String> = unknown.iter().map(|p| format!("{{{p}}}")).collect();
        let offer: Vec<String> = offered.iter().map(|p| format!("{{{p}}}")).collect();
        diags.push(
            Diagnostic::error(
                "unknown-placeholder",
                format!(
                    "`{key}` uses {} which the theme does not fill in",
                    list.join(", ")
                ),
            )
            .at(at.clone(), "here")
            .help(if offer.is_empty() {
                "this string has no placeholders".to_string()
            } else {
                format!("this string can use {}", offer.join(", "))
            }),
        );
    }
}

/// The `{name}` placeholders of every form of a message.
fn placeholders_of(m: &Message) -> BTreeSet<String> {
    let texts: Vec<&String> = match m {
        Message::Text(t) => vec![t],
        Message::Plural(forms) => forms.values().collect(),
    };
    let mut out = BTreeSet::new();
    for t in texts {
        let mut rest = t.as_str();
        while let Some(i) = rest.find('{') {
            rest = &rest[i + 1..];
            match rest.find('}') {
                Some(j) if is_name(&rest[..j]) => {
                    out.insert(rest[..j].to_string());
                    rest = &rest[j + 1..];
                }
                _ => {}
            }
        }
    }
    out
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// `template` with each `{name}` of `args` replaced by its value; other braces kept as written.
fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j) if is_name(&after[..j]) => {
                let name = &after[..j];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[i..i + j + 2]),
                }
                rest = &after[j + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locale(tag: &str) -> Locale {
        Locale::new(&Lang::parse(tag).unwrap()).unwrap()
    }

    fn file(path: &str, text: &str) -> StringFile {
        StringFile {
            path: path.to_string(),
            text: text.to_string(),
        }
    }

    fn theme(lang: &str) -> Strings {
        let reference = [default_theme_file("en").unwrap()];
        let files = [default_theme_file(lang).unwrap()];
        Strings::from_files(&reference, &files, &locale(lang))
            .unwrap_or_else(|d| panic!("{lang}: {d:#?}"))
    }

    #[test]
    fn the_default_theme_is_complete_in_every_language() {
        // Loading checks it: every key of en.yaml in each file, each plural message with the
        // forms its language's CLDR rules distinguish (six for Arabic), no unknown key or
        // placeholder. Also the other way: no language has a key English lacks.
        let en = theme("en");
        for lang in default_theme_languages() {
            let s = theme(lang);
            assert_eq!(
                s.keys().collect::<Vec<_>>(),
                en.keys().collect::<Vec<_>>(),
                "{lang}"
            );
        }
        let ar = default_theme_file("ar").unwrap();
        let map: BTreeMap<String, Message> = crate::yaml::from_str(&ar.text).unwrap();
        let plurals = map
            .values()
            .filter(|m| matches!(m, Message::Plural(f) if f.len() == 6));
        assert!(
            plurals.count() >= 5,
            "Arabic plural messages have six forms"
        );
    }

    #[test]
    fn counts_take_the_form_their_number_needs_with_the_locales_digits() {
        let (en, fr, ar) = (theme("en"), theme("fr"), theme("ar"));
        // Arabic-Indic digits as Egypt writes them (CLDR gives bare `ar` Western digits).
        let (l_en, l_fr, l_ar) = (locale("en"), locale("fr"), locale("ar-EG"));
        assert_eq!(en.count("count.incidents", 1, &l_en, &[]), "1 incident");
        assert_eq!(en.count("count.incidents", 3, &l_en, &[]), "3 incidents");
        assert_eq!(fr.count("count.incidents", 0, &l_fr, &[]), "0 incident");
        assert_eq!(fr.count("count.incidents", 2, &l_fr, &[]), "2 incidents");
        let ar_forms: Vec<String> = [0, 1, 2, 3, 11, 100]
            .into_iter()
            .map(|n| ar.count("count.incidents", n, &l_ar, &[]))
            .collect();
        assert_eq!(
            ar_forms,
            [
                "لا حوادث",
                "حادثة واحدة",
                "حادثتان",
                "٣ حوادث",
                "١١ حادثة",
                "١٠٠ حادثة"
            ]
        );
        assert_eq!(fr.text("page.not_found", &[]), "Page introuvable");
        assert_eq!(
            en.text("as_of.data_as_of", &[("date", "20 November 2015")]),
            "Data as of 20 November 2015"
        );
    }

    #[test]
    fn a_site_overrides_one_string_and_every_problem_is_reported_located() {
        let reference = [default_theme_file("en").unwrap()];
        let fr = locale("fr");
        let over = file("i18n/fr.yaml", "figure.killed: Tués\n");
        let s = Strings::from_files(&reference, &[default_theme_file("fr").unwrap(), over], &fr)
            .unwrap();
        assert_eq!(s.text("figure.killed", &[]), "Tués");
        assert_eq!(s.text("figure.wounded", &[]), "Blessés");

        let bad = file(
            "i18n/fr.yaml",
            "figure.kiled: Tués\ncount.incidents:\n  one: \"{n} incident\"\n  other: \"{n} incidents\"\nfigure.wounded: \"{count} blessés\"\n",
        );
        let d = Strings::from_files(&reference, &[default_theme_file("fr").unwrap(), bad], &fr)
            .unwrap_err();
        let got: Vec<(&str, usize, Option<&str>)> =
            d.0.iter()
                .map(|d| {
                    (
                        d.code,
                        d.location.as_ref().map_or(0, |l| l.start.line),
                        d.help.as_deref(),
                    )
                })
                .collect();
        assert_eq!(
            got,
            [
                ("unknown-string", 1, Some("did you mean `figure.killed`?")),
                (
                    "plural-forms",
                    2,
                    Some("`fr` distinguishes one, many, other (CLDR plural rules)")
                ),
                (
                    "unknown-placeholder",
                    5,
                    Some("this string has no placeholders")
                ),
            ]
        );
    }

    #[test]
    fn a_language_without_strings_lists_what_is_missing() {
        let reference = [default_theme_file("en").unwrap()];
        let de = locale("de");
        let d = Strings::from_files(
            &reference,
            &[file("i18n/de.yaml", "figure.killed: Getötet\n")],
            &de,
        )
        .unwrap_err();
        let m = &d.0[0];
        assert_eq!(m.code, "missing-strings");
        assert!(
            m.message.contains("not translated for `de`"),
            "{}",
            m.message
        );
        assert!(m.message.contains("figure.wounded"), "{}", m.message);
    }

    #[test]
    fn placeholders_fill_and_unknown_braces_stay() {
        assert_eq!(fill("{a} and {b}", &[("a", "x"), ("b", "y")]), "x and y");
        assert_eq!(
            fill("{a} {missing} {not a name}", &[("a", "x")]),
            "x {missing} {not a name}"
        );
        assert_eq!(fill("{", &[]), "{");
    }

    #[test]
    fn loads_from_a_site_folder_with_overrides_and_region_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("i18n")).unwrap();
        std::fs::write(
            dir.path().join("i18n/ar-MA.yaml"),
            "figure.killed: القتلى\n",
        )
        .unwrap();
        let lang = Lang::parse("ar-MA").unwrap();
        let l = Locale::new(&lang).unwrap();
        let s = Strings::load(dir.path(), "default", &lang, &l).unwrap();
        assert_eq!(s.text("figure.killed", &[]), "القتلى");
        // Morocco's digits in an Arabic plural form.
        assert_eq!(s.count("count.incidents", 3, &l, &[]), "3 حوادث");
        let de = Lang::parse("de").unwrap();
        let e = Strings::load(dir.path(), "default", &de, &Locale::new(&de).unwrap()).unwrap_err();
        assert_eq!(e.0[0].code, "no-strings");
    }
}
