//! `site.yaml`: read once, checked, and resolved into a [`Config`] that every later stage
//! borrows. Command-line overrides are applied here and nowhere else.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

use crate::content::date::{DateError, PartialDate};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::error::Error;
use crate::locale::Lang;
use crate::yaml;

/// Options given on the command line (or by a test) for one build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Override of `output_dir`, relative to the current directory.
    pub output: Option<PathBuf>,
    /// Override of `base_url` (e.g. for preview deploys).
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Publish into a non-empty output directory briefwerk did not create: its own files are
    /// written, every other file is kept, `.git` is never touched (`build --force`).
    pub force: bool,
}

/// What raw HTML inside Markdown becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Keep safe markup, drop scripts, handlers and dangerous URLs.
    #[default]
    Sanitize,
    /// Pass through untouched (trusted authors only).
    Allow,
    /// Show it as text.
    Escape,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    languages: Option<Vec<String>>,
    language_settings: Option<BTreeMap<String, RawLanguageSettings>>,
    theme: Option<String>,
    output_dir: Option<String>,
    paginate_by: Option<usize>,
    author: Option<String>,
    event_types: Option<Vec<RawEventType>>,
    markdown: Option<RawMarkdown>,
    git_info: Option<bool>,
    feed_entries: Option<usize>,
    data_cutoff: Option<crate::content::raw::Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEventType {
    id: String,
    label: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLanguageSettings {
    title: Option<String>,
    description: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    raw_html: Option<RawHtml>,
}

/// One allowed event type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventType {
    /// Key used in content, e.g. `ambush`.
    pub id: String,
    /// Display label, e.g. "Ambush".
    pub label: String,
}

/// The resolved site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site root (holds site.yaml).
    pub root: PathBuf,
    /// Site title.
    pub title: String,
    /// One-line description.
    pub description: String,
    /// Absolute base URL, always ending in `/`.
    pub base_url: String,
    /// Path part of the base URL, starting and ending with `/` (e.g. `/sahel/`).
    pub base_path: String,
    /// The default language's BCP 47 tag, in canonical case (`languages[0]`).
    pub language: String,
    /// The languages the site publishes in, the default first (at the site root; the
    /// others under `/<tag>/`). One entry unless `languages:` lists several.
    pub languages: Vec<Lang>,
    /// Title and description per language tag, where `language_settings:` gives them.
    pub language_settings: BTreeMap<String, LanguageSettings>,
    /// Theme name under `themes/`.
    pub theme: String,
    /// Absolute output directory.
    pub output_dir: PathBuf,
    /// Items per listing page.
    pub paginate_by: usize,
    /// Site author or institution.
    pub author: Option<String>,
    /// Allowed event types, in display order.
    pub event_types: Vec<EventType>,
    /// Raw HTML policy for Markdown bodies.
    pub raw_html: RawHtml,
    /// Include drafts.
    pub drafts: bool,
    /// Take each page's "last updated" date from git (off by default: builds stay deterministic).
    pub git_info: bool,
    /// Entries per Atom feed, newest first.
    pub feed_entries: usize,
    /// The date the site's data runs to: later incidents are published but left out of
    /// totals, charts and digests.
    pub data_cutoff: Option<PartialDate>,
}

/// What one language of a multilingual site says differently from the default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LanguageSettings {
    /// The site title in that language.
    pub title: Option<String>,
    /// The one-line description in that language.
    pub description: Option<String>,
}

/// Entries per Atom feed when `feed_entries` is not set.
pub const DEFAULT_FEED_ENTRIES: usize = 50;

/// The event types a site gets when `site.yaml` names none.
pub const DEFAULT_EVENT_TYPES: &[(&str, &str)] = &[
    ("attack", "Attack"),
    ("ambush", "Ambush"),
    ("bombing", "Bombing"),
    ("shelling", "Shelling"),
    ("kidnapping", "Kidnapping"),
    ("assassination", "Assassination"),
    ("massacre", "Massacre"),
    ("clash", "Clash"),
    ("announcement", "Announcement"),
];

impl Config {
    /// The default language (the first of `languages`).
    pub fn default_language(&self) -> &Lang {
        &self.languages[0]
    }

    /// Whether the site publishes in more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The site title in `lang` (its `language_settings` title, else the default one).
    pub fn title_in(&self, lang: &Lang) -> &str {
        self.language_settings
            .get(lang.tag())
            .and_then(|s| s.title.as_deref())
            .unwrap_or(&self.title)
    }

    /// The site description in `lang` (its `language_settings` one, else the default one).
    pub fn description_in(&self, lang: &Lang) -> &str {
        self.language_settings
            .get(lang.tag())
            .and_then(|s| s.description.as_deref())
            .unwrap_or(&self.description)
    }

    /// The label of an event type id.
    pub fn event_label(&self, id: &str) -> Option<&str> {
        self.event_types
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.label.as_str())
    }
}

/// Largest `site.yaml` read: a real one is a few kilobytes.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Reads and checks `root/site.yaml`, applying `opts`. A `site.yaml` that is a link out of
/// the site (`-> /proc/self/environ`), a FIFO or a device is refused without being read, so
/// nothing from outside the site can appear in a message.
pub fn load(root: &Path, opts: &BuildOptions) -> Result<Config, Error> {
    let path = root.join("site.yaml");
    if let Err(e) = std::fs::symlink_metadata(&path) {
        return Err(Error::Io { path, source: e });
    }
    let site = crate::site_files::SiteDir::new(root)?;
    let refuse = |d: Diagnostic| {
        let mut all = Diagnostics::default();
        all.push(d);
        Error::Invalid(all)
    };
    let bytes = site.read(&path, MAX_CONFIG_BYTES).map_err(refuse)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        refuse(
            Diagnostic::error("not-utf8", "`site.yaml` is not valid UTF-8")
                .at(Location::file("site.yaml"), "")
                .help("save it as UTF-8 text in your editor"),
        )
    })?;
    parse(root, &crate::source::strip_bom(text), opts)
}

/// Parses the text of `site.yaml` (separate from [`load`] so tests need no files).
pub fn parse(root: &Path, text: &str, opts: &BuildOptions) -> Result<Config, Error> {
    let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let raw: RawConfig = yaml::from_str(text).map_err(|e| syntax_error(text, &e))?;
    let at = |key: &'static str| value_at(text, key);
    // Every setting is checked before giving up, so one run reports all of the file's problems.
    let mut diags = Diagnostics::default();

    let title = raw.title.unwrap_or_default();
    if title.trim().is_empty() {
        diags.push(
            Diagnostic::error("config", "site.yaml needs a `title`")
                .at(Location::file("site.yaml"), "")
                .help("add a line such as `title: Sahel Briefing`"),
        );
    }
    let base_url = opts
        .base_url
        .clone()
        .or(raw.base_url)
        .unwrap_or_else(|| "/".to_string());
    let (base_url, base_path) = match normalise_base_url(&base_url) {
        Ok(v) => v,
        Err(msg) => {
            diags.push(
                Diagnostic::error("config", format!("invalid `base_url`: {msg}"))
                    .at(
                        at("base_url"),
                        "expected an http(s) URL or a path starting with `/`",
                    )
                    .help("e.g. `base_url: https://example.org/sahel/`"),
            );
            ("/".to_string(), "/".to_string())
        }
    };
    let paginate_by = raw.paginate_by.unwrap_or(50);
    if paginate_by == 0 {
        diags.push(
            Diagnostic::error("config", "`paginate_by` must be at least 1")
                .at(at("paginate_by"), "zero"),
        );
    }
    let theme = raw.theme.unwrap_or_else(|| "default".to_string());
    if !crate::ids::is_valid_id(&theme) {
        diags.push(Diagnostic::error("config", "invalid theme name").at(
            at("theme"),
            "a theme name is a folder under themes/: [a-z0-9-]+",
        ));
    }
    let event_types = event_types(raw.event_types);
    let output_rel = raw.output_dir.unwrap_or_else(|| "public".to_string());
    let output_dir = output_dir(&root, &output_rel, opts, text, &mut diags);
    let data_cutoff = raw
        .data_cutoff
        .and_then(|t| data_cutoff(&t.0, text, &mut diags));
    let languages = languages(raw.language, raw.languages, text, &mut diags);
    let language_settings = language_settings(raw.language_settings, &languages, text, &mut diags);
    if diags.has_errors() {
        return Err(Error::Invalid(diags));
    }
    Ok(Config {
        root,
        title,
        description: raw.description.unwrap_or_default(),
        base_url,
        base_path,
        language: languages[0].tag().to_string(),
        languages,
        language_settings,
        theme,
        output_dir,
        paginate_by,
        author: raw.author,
        event_types,
        raw_html: raw
            .markdown
            .unwrap_or_default()
            .raw_html
            .unwrap_or_default(),
        drafts: opts.drafts,
        git_info: raw.git_info.unwrap_or(false),
        feed_entries: raw.feed_entries.unwrap_or(DEFAULT_FEED_ENTRIES).max(1),
        data_cutoff,
    })
}

/// The site's languages, default first: `languages:`, else `language:`, else English. A
/// tag that is not BCP 47, a repeated language, or a `language:` that is not the first of
/// `languages:` is an error at its place in `site.yaml`.
fn languages(
    language: Option<String>,
    list: Option<Vec<String>>,
    text: &str,
    diags: &mut Diagnostics,
) -> Vec<Lang> {
    let item_at = |i: usize| {
        let path = [yaml::Seg::Key("languages"), yaml::Seg::Index(i)];
        let (s, e) = yaml::locate(text, &path, yaml::Part::Value).unwrap_or((0, 0));
        Location::new("site.yaml", text, s, e)
    };
    let mut out: Vec<Lang> = Vec::new();
    let parsed = |tag: &str, at: Location, diags: &mut Diagnostics| match Lang::parse(tag) {
        Ok(l) => Some(l),
        Err(e) => {
            diags.push(
                Diagnostic::error("config", e.to_string())
                    .at(at, "expected a BCP 47 language tag")
                    .help("e.g. `en`, `fr`, `ar` or `ar-MA`"),
            );
            None
        }
    };
    match list {
        Some(list) if list.is_empty() => diags.push(
            Diagnostic::error("config", "`languages` is empty")
                .at(value_at(text, "languages"), "no language")
                .help("list at least one, the default first: `languages: [en, fr]`"),
        ),
        Some(list) => {
            for (i, tag) in list.iter().enumerate() {
                let Some(l) = parsed(tag, item_at(i), diags) else {
                    continue;
                };
                if out.iter().any(|o| o.tag() == l.tag()) {
                    diags.push(
                        Diagnostic::error(
                            "config",
                            format!("`{}` is listed twice in `languages`", l.tag()),
                        )
                        .at(item_at(i), "repeated"),
                    );
                } else {
                    out.push(l);
                }
            }
            if let (Some(one), Some(first)) = (&language, out.first())
                && Lang::parse(one).map_or(true, |l| l.tag() != first.tag())
            {
                diags.push(
                    Diagnostic::error(
                        "config",
                        format!(
                            "`language: {one}` is not the first of `languages` ({})",
                            first.tag()
                        ),
                    )
                    .at(value_at(text, "language"), "disagrees with `languages`")
                    .help("remove `language:`; the first of `languages` is the default"),
                );
            }
        }
        None => {
            let tag = language.as_deref().unwrap_or("en");
            out.extend(parsed(tag, value_at(text, "language"), diags));
        }
    }
    if out.is_empty() {
        out.push(Lang::parse("en").expect("`en` is a language tag"));
    }
    out
}

/// `language_settings:` by tag; a key that is not one of the site's languages is an error.
fn language_settings(
    raw: Option<BTreeMap<String, RawLanguageSettings>>,
    languages: &[Lang],
    text: &str,
    diags: &mut Diagnostics,
) -> BTreeMap<String, LanguageSettings> {
    let mut out = BTreeMap::new();
    for (key, s) in raw.unwrap_or_default() {
        let lang = Lang::parse(&key)
            .ok()
            .filter(|l| languages.iter().any(|k| k == l));
        let Some(lang) = lang else {
            let tags: Vec<&str> = languages.iter().map(Lang::tag).collect();
            diags.push(
                Diagnostic::error(
                    "config",
                    format!("`language_settings` names `{key}`, which is not in `languages`"),
                )
                .at(value_at(text, "language_settings"), "unknown language")
                .help(format!("the site's languages are: {}", tags.join(", "))),
            );
            continue;
        };
        out.insert(
            lang.tag().to_string(),
            LanguageSettings {
                title: s.title,
                description: s.description,
            },
        );
    }
    out
}

/// `site.yaml` is not YAML of the expected shape: the parser's message, at the word it
/// stopped at.
fn syntax_error(text: &str, e: &yaml::YamlError) -> Error {
    let off = e.offset.unwrap_or(0);
    let end = word_end(text, off);
    let mut d = Diagnostic::error("config", format!("invalid site.yaml: {}", e.message))
        .at(Location::new("site.yaml", text, off, end), "here");
    if let Some(h) = crate::diagnostic::unknown_field_help(&e.message) {
        d = d.help(h);
    }
    let mut diags = Diagnostics::default();
    diags.push(d);
    Error::Invalid(diags)
}

/// Where the value of top-level `key` is in `site.yaml` (the file's start when it is absent).
fn value_at(text: &str, key: &'static str) -> Location {
    let (s, e) = yaml::locate(text, &[yaml::Seg::Key(key)], yaml::Part::Value).unwrap_or((0, 0));
    Location::new("site.yaml", text, s, e)
}

/// The site's event types, or the built-in list when `site.yaml` gives none.
fn event_types(raw: Option<Vec<RawEventType>>) -> Vec<EventType> {
    match raw {
        Some(list) => list
            .into_iter()
            .map(|e| EventType {
                id: e.id,
                label: e.label,
            })
            .collect(),
        None => DEFAULT_EVENT_TYPES
            .iter()
            .map(|(i, l)| EventType {
                id: (*i).to_string(),
                label: (*l).to_string(),
            })
            .collect(),
    }
}

/// The real path of the output folder (`--output`, else `output_dir` under the root); an
/// `unsafe-output` error, at `output_dir:` in `site.yaml` (`text`) unless the folder came from
/// the command line, when building there could harm the site.
fn output_dir(
    root: &Path,
    output_rel: &str,
    opts: &BuildOptions,
    text: &str,
    diags: &mut Diagnostics,
) -> PathBuf {
    let written = match &opts.output {
        Some(o) => std::path::absolute(o).unwrap_or_else(|_| o.clone()),
        None => root.join(output_rel),
    };
    // Every guard looks at real paths: an `output_dir` that is a symlink to `content/`, or a
    // root reached through a symlink, must not slip past a comparison of spellings.
    let resolved = crate::site_files::real_path(&written);
    let output_dir = resolved
        .as_ref()
        .map_or_else(|_| normalise(&written), Clone::clone);
    let checked = match &resolved {
        Ok(out) => check_output_dir(root, out),
        Err(e) => Err(format!("it cannot be resolved: {e}")),
    };
    if let Err(msg) = checked {
        let d = Diagnostic::error(
            "unsafe-output",
            format!("refusing to build into `{}`: {msg}", output_dir.display()),
        );
        diags.push(if opts.output.is_some() {
            d
        } else {
            d.at(value_at(text, "output_dir"), "unsafe output directory")
        });
    }
    output_dir
}

/// `data_cutoff` (`written`) as a date; an error at its value in `site.yaml` (`text`) when it
/// is not one.
fn data_cutoff(written: &str, text: &str, diags: &mut Diagnostics) -> Option<PartialDate> {
    match PartialDate::parse(written) {
        Ok(d) => Some(d),
        Err(e) => {
            let label = match e {
                DateError::Format => "expected YYYY, YYYY-MM or YYYY-MM-DD",
                DateError::NoSuchDate => "no such day in the calendar",
            };
            diags.push(
                Diagnostic::error("config", format!("invalid `data_cutoff` `{written}`"))
                    .at(value_at(text, "data_cutoff"), label)
                    .help("e.g. `data_cutoff: 2017-06-30`"),
            );
            None
        }
    }
}

fn word_end(text: &str, off: usize) -> usize {
    let rest = &text[off.min(text.len())..];
    off + rest
        .find(|c: char| c == ':' || c.is_whitespace())
        .unwrap_or(rest.len())
}

/// Returns (absolute base URL ending in `/`, path part starting and ending in `/`).
fn normalise_base_url(s: &str) -> Result<(String, String), String> {
    let s = s.trim();
    if s.chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return Err(format!(
            "`{}` holds spaces, backslashes or control characters",
            s.escape_debug()
        ));
    }
    let with_slash = if s.ends_with('/') {
        s.to_string()
    } else {
        format!("{s}/")
    };
    if let Some(rest) = with_slash
        .strip_prefix("https://")
        .or_else(|| with_slash.strip_prefix("http://"))
    {
        let path = rest.find('/').map_or("/", |i| &rest[i..]);
        if rest.starts_with('/') || rest.is_empty() {
            return Err("the URL has no host".to_string());
        }
        Ok((with_slash.clone(), path.to_string()))
    } else if with_slash.starts_with("//") {
        // Browsers read `//host/` as another host: the 404 page's links and every absolute
        // URL would lead off the site.
        Err(format!(
            "`{s}` starts with `//`, which browsers read as another host"
        ))
    } else if with_slash.starts_with('/') {
        Ok((with_slash.clone(), with_slash))
    } else {
        Err(format!("`{s}` is neither an http(s) URL nor a path"))
    }
}

/// Lexically normalises a path (no filesystem access, so it works before the dir exists).
pub fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Refuses output directories where publishing could touch the site's sources, a git
/// repository or the home folder. `out` is already resolved; the others are resolved here.
fn check_output_dir(root: &Path, out: &Path) -> Result<(), String> {
    let real = |p: &Path| crate::site_files::real_path(p).unwrap_or_else(|_| normalise(p));
    let root = real(root);
    if out.parent().is_none() {
        return Err("it is a filesystem root".to_string());
    }
    if out
        .components()
        .any(|c| c.as_os_str().eq_ignore_ascii_case(".git"))
    {
        return Err("it lies inside a `.git` folder".to_string());
    }
    if out == root {
        return Err("it is the site root".to_string());
    }
    if root.starts_with(out) {
        return Err("it contains the site root".to_string());
    }
    for sub in [
        "content",
        "themes",
        "templates",
        "static",
        "archetypes",
        ".git",
    ] {
        let s = real(&root.join(sub));
        if out == s {
            return Err(format!("it is the site's `{sub}/`"));
        }
        if out.starts_with(&s) {
            return Err(format!("it lies inside the site's `{sub}/`"));
        }
        if s.starts_with(out) {
            return Err(format!("it contains the site's `{sub}/`"));
        }
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        let home = real(Path::new(&home));
        if home.parent().is_some() && home.starts_with(out) {
            return Err("it is or contains the home folder".to_string());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(text: &str) -> Result<Config, Error> {
        parse(Path::new("/tmp/site"), text, &BuildOptions::default())
    }

    #[test]
    fn languages_default_first_with_settings() {
        let c = cfg("title: T\n").unwrap();
        assert_eq!(c.language, "en");
        assert!(!c.is_multilingual());
        let c = cfg("title: T\nlanguage: FR\n").unwrap();
        assert_eq!(c.language, "fr");
        let c = cfg(
            "title: T\nlanguages: [fr, en, ar-ma]\nlanguage_settings:\n  ar-MA: {title: عنوان}\n",
        )
        .unwrap();
        let tags: Vec<&str> = c.languages.iter().map(Lang::tag).collect();
        assert_eq!(tags, ["fr", "en", "ar-MA"]);
        assert_eq!(c.language, "fr");
        assert_eq!(c.title_in(&c.languages[2]), "عنوان");
        assert_eq!(c.title_in(&c.languages[1]), "T");
    }

    #[test]
    fn every_language_mistake_is_reported_where_written() {
        let text = "title: T\nlanguage: de\nlanguages:\n  - en\n  - fr_FR\n  - en\n  - und\nlanguage_settings:\n  es: {title: X}\n";
        let Err(Error::Invalid(d)) = cfg(text) else {
            panic!()
        };
        let lines: Vec<(usize, &str)> =
            d.0.iter()
                .map(|d| (d.location.as_ref().unwrap().start.line, d.message.as_str()))
                .collect();
        assert_eq!(lines.len(), 5, "{lines:?}");
        assert!(lines[0].0 == 5 && lines[0].1.contains("fr-FR"), "{lines:?}");
        assert!(lines[1].0 == 6 && lines[1].1.contains("twice"), "{lines:?}");
        assert!(lines[2].0 == 7 && lines[2].1.contains("und"), "{lines:?}");
        assert!(
            lines[3].0 == 2 && lines[3].1.contains("not the first"),
            "{lines:?}"
        );
        assert!(lines[4].0 == 9 && lines[4].1.contains("`es`"), "{lines:?}");
    }

    #[test]
    fn base_url_keeps_its_path() {
        let c = cfg("title: T\nbase_url: https://example.org/sahel\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/sahel/");
        assert_eq!(c.base_path, "/sahel/");
        assert_eq!(c.paginate_by, 50);
        assert_eq!(c.event_types.len(), 9);
    }

    #[test]
    fn unknown_keys_are_errors_with_position() {
        let Err(Error::Invalid(d)) = cfg("title: T\npaginte_by: 3\n") else {
            panic!()
        };
        let d = &d.0[0];
        assert_eq!(d.location.as_ref().unwrap().start.line, 2);
        assert_eq!(d.help.as_deref(), Some("did you mean `paginate_by`?"));
    }

    #[test]
    fn data_cutoff_is_a_partial_date_checked_where_written() {
        assert_eq!(cfg("title: T\n").unwrap().data_cutoff, None);
        let c = cfg("title: T\ndata_cutoff: 2017-06-30\n").unwrap();
        assert_eq!(
            c.data_cutoff.map(|d| d.iso()).as_deref(),
            Some("2017-06-30")
        );
        assert_eq!(
            cfg("title: T\ndata_cutoff: 2017\n")
                .unwrap()
                .data_cutoff
                .map(|d| d.iso())
                .as_deref(),
            Some("2017")
        );
        let Err(Error::Invalid(d)) = cfg("title: T\ndata_cutoff: 2017-06-31\n") else {
            panic!()
        };
        let loc = d.0[0].location.as_ref().unwrap();
        assert_eq!((loc.start.line, loc.start.col), (2, 14));
    }

    #[test]
    fn base_paths_that_browsers_read_as_another_host_are_refused() {
        for b in [
            "//evil.example/",
            "/\\evil.example/",
            "/a b/",
            "/a\u{1b}[2J/",
            "https://a.example/x y/",
        ] {
            let r = cfg(&format!("title: T\nbase_url: \"{}\"\n", b.escape_default()));
            assert!(matches!(r, Err(Error::Invalid(_))), "{b:?} accepted");
        }
        assert_eq!(
            cfg("title: T\nbase_url: /sahel/\n").unwrap().base_path,
            "/sahel/"
        );
    }

    #[test]
    fn refuses_dangerous_output_dirs() {
        for o in [".", "..", "content", "content/x", "themes", "/"] {
            let r = cfg(&format!("title: T\noutput_dir: \"{o}\"\n"));
            assert!(matches!(r, Err(Error::Invalid(_))), "{o} accepted");
        }
        assert!(cfg("title: T\noutput_dir: public\n").is_ok());
    }
}
