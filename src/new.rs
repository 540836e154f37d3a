//! `briefwerk new` (issue 5): writes a new content file from an archetype, so an editor adds
//! a record without remembering the schema.
//!
//! Takes the site root and what the editor gave on the command line; checks it (date form,
//! group ids against `content/groups`, country code) and returns the path it wrote. The
//! archetype comes from the site (`archetypes/<kind>.md`), else the theme
//! (`themes/<theme>/archetypes/<kind>.md`), else the default theme embedded in the binary.
//! It never overwrites a file and never prints; problems come back as [`Diagnostics`] inside
//! [`Error::Invalid`] so the command line renders them like `check` does.
//!
//! Archetypes are plain text with placeholders that expand to ready-to-use YAML values:
//! `{{ title }}` (a quoted string), `{{ date }}` (a quoted date, or nothing), `{{ today }}`,
//! `{{ id }}`, `{{ groups }}` (a flow list such as `[jnim]` or `[]`), `{{ country }}` (a code,
//! or nothing) and `{{ countries }}` (a flow list). An unknown placeholder is an error rather
//! than text copied into content.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::{self, BuildOptions};
use crate::content::country;
use crate::content::date::{DateError, PartialDate};
use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::error::Error;
use crate::ids::is_valid_id;
use crate::validate::RESERVED_PAGE_IDS;

mod translate;

pub use translate::{Translate, translate};

/// Longest slug taken from a title; longer titles are cut at a word boundary, so ids and
/// URLs stay readable.
const MAX_SLUG: usize = 60;

/// The kind of record to create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `content/incidents/<date>-<title>.md`
    Incident,
    /// `content/groups/<title>.md`
    Group,
    /// `content/briefings/<date>-<title>.md`
    Briefing,
    /// `content/pages/<title>.md`
    Page,
    /// `content/digests/<cc>/<yyyy-mm>.md`: an analyst's assessment of a country's month;
    /// the "title" is the country code and the date the month.
    Digest,
}

impl Kind {
    /// The name used on the command line and for the archetype file.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Incident => "incident",
            Kind::Group => "group",
            Kind::Briefing => "briefing",
            Kind::Page => "page",
            Kind::Digest => "digest",
        }
    }

    /// The folder under `content/` that holds this kind.
    pub fn dir(self) -> &'static str {
        match self {
            Kind::Incident => "incidents",
            Kind::Group => "groups",
            Kind::Briefing => "briefings",
            Kind::Page => "pages",
            Kind::Digest => "digests",
        }
    }
}

/// What the editor asked for.
#[derive(Debug, Clone)]
pub struct NewRecord {
    /// Kind of record.
    pub kind: Kind,
    /// Title (a group's name).
    pub title: String,
    /// `--date`: required for incidents, defaults to today for briefings, a group's founding date.
    pub date: Option<String>,
    /// `--id`: overrides the id derived from date and title.
    pub id: Option<String>,
    /// `--group`: an incident's or briefing's groups, a group's affiliations.
    pub groups: Vec<String>,
    /// `--country`, repeatable: an incident's country (one), a group's area (any number);
    /// lower case is accepted and written upper case.
    pub countries: Vec<String>,
}

/// Apostrophes and the letters written with them in transliterations (`Jama'at`, `ʿAli`):
/// dropped from ids rather than made a dash, so `Jama'at` is `jamaat`, not `jama-at`.
const APOSTROPHES: [char; 7] = ['\'', '’', '‘', 'ʼ', 'ʻ', 'ʿ', '`'];

/// Turns a title into `[a-z0-9-]+`: apostrophes dropped, transliterated to ASCII (record ids
/// are ASCII, whatever the script of the title: `جماعة نصرة الإسلام` → `jm-nsr-lslm`),
/// then made a slug by [`crate::ids::slug`], the one slugger tags and headings use too, and
/// cut at a dash to at most [`MAX_SLUG`] bytes. Deterministic.
pub fn slugify(title: &str) -> String {
    let kept: String = title.chars().filter(|c| !APOSTROPHES.contains(c)).collect();
    // Transliteration may write an apostrophe (ʾ → '); it is dropped like the others.
    let ascii: String = deunicode::deunicode(&kept)
        .chars()
        .filter(|c| !APOSTROPHES.contains(c))
        .collect();
    let mut out = crate::ids::slug(&ascii);
    if out.len() > MAX_SLUG {
        let cut = out[..=MAX_SLUG].rfind('-').unwrap_or(MAX_SLUG);
        out.truncate(cut);
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The id of a new record: `<date>-<slug>` for incidents and briefings, `<slug>` otherwise.
pub fn derive_id(kind: Kind, title: &str, date: Option<&str>) -> String {
    let slug = slugify(title);
    match (kind, date) {
        (Kind::Incident | Kind::Briefing, Some(d)) if !slug.is_empty() => {
            format!("{}-{slug}", d.trim())
        }
        _ => slug,
    }
}

/// Checks `rec`, writes the new file under `root/content/` and returns its path.
/// `today` is the default date of a briefing.
pub fn create(root: &Path, rec: &NewRecord, today: NaiveDate) -> Result<PathBuf, Error> {
    if rec.kind == Kind::Digest {
        return create_digest(root, rec, today);
    }
    let config = config::load(root, &BuildOptions::default())?;
    let mut diags = Diagnostics::default();

    let title = rec.title.trim();
    if title.is_empty() {
        diags.push(
            Diagnostic::error("invalid-argument", "the title is empty").help(format!(
                "e.g. `briefwerk new {} \"Attack on Ségou\"`",
                rec.kind.name()
            )),
        );
    }

    let date = check_date(rec, today, &mut diags);
    let countries = check_countries(rec, &mut diags);
    let existing = existing_ids(root, rec.kind)?;
    check_groups(rec, &existing.groups, &mut diags);

    let id = match &rec.id {
        Some(id) => id.trim().to_string(),
        None => derive_id(rec.kind, title, date.as_deref()),
    };
    if !title.is_empty() || rec.id.is_some() {
        check_id(rec, &id, &mut diags);
    }
    if diags.has_errors() {
        return Err(Error::Invalid(diags));
    }

    let rel = format!("content/{}/{id}.md", rec.kind.dir());
    let path = root.join(&rel);
    if path.exists() {
        return Err(refusal(&rel, &format!("`{rel}` already exists")));
    }
    // The same id in another file (a sub-folder, a multi-record `.yaml`) would be a
    // duplicate-id error at the next build.
    if let Some((_, other)) = existing.same_kind.iter().find(|(i, _)| *i == id) {
        return Err(refusal(
            other,
            &format!("{} id `{id}` is already used in `{other}`", rec.kind.name()),
        ));
    }

    let values = Values {
        title: yaml_string(title),
        date: date.as_deref().map(yaml_string).unwrap_or_default(),
        today: yaml_string(&today.format("%Y-%m-%d").to_string()),
        id: id.clone(),
        groups: flow_list(&rec.groups),
        country: countries.first().cloned().unwrap_or_default(),
        countries: flow_list(&countries),
    };
    write_new(root, &config.theme, rec.kind, &rel, &path, &values)?;
    Ok(path)
}

/// `briefwerk new digest ML 2017-06`: `content/digests/ml/2017-06.md`.
fn create_digest(root: &Path, rec: &NewRecord, today: NaiveDate) -> Result<PathBuf, Error> {
    let config = config::load(root, &BuildOptions::default())?;
    let mut diags = Diagnostics::default();
    let usage = "e.g. `briefwerk new digest ML 2017-06`";
    let code = rec.title.trim().to_ascii_uppercase();
    if country::by_code(&code).is_none() {
        let mut d = Diagnostic::error(
            "invalid-country",
            format!(
                "`{}` is not an ISO 3166-1 alpha-2 country code",
                rec.title.trim()
            ),
        );
        d = match country::COUNTRIES
            .iter()
            .find(|c| c.2.eq_ignore_ascii_case(rec.title.trim()))
        {
            Some(c) => d.help(format!("the code of {} is `{}`", c.2, c.0)),
            None => d.help(format!("give the country's two-letter code first: {usage}")),
        };
        diags.push(d);
    }
    let month = match rec.date.as_deref().map(str::trim) {
        None => {
            diags.push(
                Diagnostic::error("invalid-argument", "a digest needs its month")
                    .help(format!("give the month as YYYY-MM: {usage}")),
            );
            None
        }
        Some(m) => match PartialDate::parse(m) {
            Ok(d) if d.precision() == crate::content::Precision::Month => Some(d),
            _ => {
                diags.push(
                    Diagnostic::error("invalid-date", format!("`{m}` is not a month"))
                        .help(format!("give the month as YYYY-MM: {usage}")),
                );
                None
            }
        },
    };
    for (what, given) in [
        ("--group", !rec.groups.is_empty()),
        ("--id", rec.id.is_some()),
        ("--country", !rec.countries.is_empty()),
    ] {
        if given {
            diags.push(
                Diagnostic::error(
                    "invalid-argument",
                    format!("`{what}` does not apply to digests"),
                )
                .help(usage),
            );
        }
    }
    if diags.has_errors() {
        return Err(Error::Invalid(diags));
    }
    let Some(month) = month else {
        return Err(Error::Invalid(diags));
    };
    let iso = month.iso();
    let folder = code.to_ascii_lowercase();
    let rel = format!("content/digests/{folder}/{iso}.md");
    let path = root.join(&rel);
    // The folder may be written in either case: `ML/2017-06.md` is the same assessment.
    for existing in [folder.clone(), code.clone()] {
        let other = format!("content/digests/{existing}/{iso}.md");
        if root.join(&other).exists() {
            return Err(refusal(&other, &format!("`{other}` already exists")));
        }
    }
    let values = Values {
        title: yaml_string(&format!(
            "{} {}",
            country::name(&code).unwrap_or(&code),
            month.display()
        )),
        date: yaml_string(&iso),
        today: yaml_string(&today.format("%Y-%m-%d").to_string()),
        id: iso,
        groups: flow_list(&[]),
        country: code.clone(),
        countries: flow_list(std::slice::from_ref(&code)),
    };
    write_new(root, &config.theme, Kind::Digest, &rel, &path, &values)?;
    Ok(path)
}

/// Expands the archetype of `kind` with `values` and writes it to `path` (never over an
/// existing file, never through a link out of the site).
fn write_new(
    root: &Path,
    theme: &str,
    kind: Kind,
    rel: &str,
    path: &Path,
    values: &Values,
) -> Result<(), Error> {
    let (origin, archetype) = archetype(root, theme, kind)?;
    let text = expand(&archetype, values).map_err(|message| {
        let mut all = Diagnostics::default();
        all.push(
            Diagnostic::error("archetype", message).help(format!("fix the archetype `{origin}`")),
        );
        Error::Invalid(all)
    })?;
    write_text(root, rel, path, &text)
}

/// Writes `text` to a new file at `path` (never over an existing file, never through a
/// link out of the site).
fn write_text(root: &Path, rel: &str, path: &Path, text: &str) -> Result<(), Error> {
    let dir = path.parent().unwrap_or(root);
    // Never write through a link out of the site (`content/incidents -> /elsewhere`).
    crate::site_files::SiteDir::new(root)?
        .resolve(dir)
        .map_err(|d| {
            let mut all = Diagnostics::default();
            all.push(d);
            Error::Invalid(all)
        })?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    // `create_new` makes the check and the creation one step: a file that appeared since the
    // check above is still not overwritten.
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(refusal(rel, &format!("`{rel}` already exists")));
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io(path, e))?;
    Ok(())
}

fn refusal(rel: &str, message: &str) -> Error {
    let mut d = Diagnostics::default();
    d.push(
        Diagnostic::error("file-exists", format!("refusing to overwrite: {message}"))
            .help(format!("edit `{rel}`, or choose another title (or `--id`)")),
    );
    Error::Invalid(d)
}

fn check_date(rec: &NewRecord, today: NaiveDate, diags: &mut Diagnostics) -> Option<String> {
    let date = match (&rec.date, rec.kind) {
        (Some(_), Kind::Page) => {
            diags.push(
                Diagnostic::error("invalid-argument", "`--date` does not apply to pages")
                    .help("pages carry no date; leave `--date` out"),
            );
            return None;
        }
        (Some(d), _) => d.trim().to_string(),
        (None, Kind::Incident) => {
            diags.push(
                Diagnostic::error("invalid-argument", "an incident needs `--date`")
                    .help("give the date at the precision known: `--date 2019-05-03`, `--date 2019-05` or `--date 2019`"),
            );
            return None;
        }
        (None, Kind::Briefing) => return Some(today.format("%Y-%m-%d").to_string()),
        (None, Kind::Group | Kind::Page | Kind::Digest) => return None,
    };
    match PartialDate::parse(&date) {
        Ok(_) => Some(date),
        Err(DateError::Format) => {
            diags.push(
                Diagnostic::error("invalid-date", format!("invalid date `{date}`"))
                    .help("expected YYYY, YYYY-MM or YYYY-MM-DD, e.g. `2019-05-03`"),
            );
            None
        }
        Err(DateError::NoSuchDate) => {
            diags.push(Diagnostic::error(
                "invalid-date",
                format!("date `{date}` does not exist"),
            ));
            None
        }
    }
}

/// The `--country` codes, upper-cased and checked: one for an incident, any number for a
/// group's area, none for briefings and pages.
fn check_countries(rec: &NewRecord, diags: &mut Diagnostics) -> Vec<String> {
    if rec.countries.is_empty() {
        return Vec::new();
    }
    if matches!(rec.kind, Kind::Briefing | Kind::Page | Kind::Digest) {
        diags.push(Diagnostic::error(
            "invalid-argument",
            format!("`--country` does not apply to {}s", rec.kind.name()),
        ));
        return Vec::new();
    }
    if rec.kind == Kind::Incident && rec.countries.len() > 1 {
        diags.push(
            Diagnostic::error(
                "invalid-argument",
                format!(
                    "an incident has one country, not {}",
                    rec.countries.len()
                ),
            )
            .help("give `--country` once; an event across a border is one record per country, or one record in the country where it began"),
        );
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for given in &rec.countries {
        let code = given.trim().to_ascii_uppercase();
        if country::by_code(&code).is_some() {
            if !out.contains(&code) {
                out.push(code);
            }
            continue;
        }
        let mut d = Diagnostic::error(
            "invalid-country",
            format!(
                "`{}` is not an ISO 3166-1 alpha-2 country code",
                given.trim()
            ),
        );
        if let Some(c) = country::COUNTRIES
            .iter()
            .find(|c| c.2.eq_ignore_ascii_case(given.trim()))
        {
            d = d.help(format!("the code of {} is `{}`", c.2, c.0));
        } else {
            d = d.help("use a two-letter code such as `ML`, `BF` or `NE`");
        }
        diags.push(d);
    }
    out
}

fn check_groups(rec: &NewRecord, known: &[String], diags: &mut Diagnostics) {
    if rec.groups.is_empty() {
        return;
    }
    if rec.kind == Kind::Page {
        diags.push(Diagnostic::error(
            "invalid-argument",
            "`--group` does not apply to pages",
        ));
        return;
    }
    for g in &rec.groups {
        if known.iter().any(|k| k == g) {
            continue;
        }
        let mut d = Diagnostic::error("unknown-group", format!("unknown group `{g}`"));
        d = match did_you_mean(g, known.iter().map(String::as_str)) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help(format!(
                "create it first: `briefwerk new group \"Its name\" --id {g}`"
            )),
        };
        diags.push(d);
    }
}

fn check_id(rec: &NewRecord, id: &str, diags: &mut Diagnostics) {
    if id.is_empty() {
        diags.push(
            Diagnostic::error("invalid-id", "the title gives an empty id")
                .help("use a title with letters or digits, or pass `--id`"),
        );
    } else if !is_valid_id(id) {
        diags.push(
            Diagnostic::error("invalid-id", format!("invalid id `{id}`"))
                .help("ids may contain only lower-case letters, digits and dashes"),
        );
    } else if rec.kind == Kind::Page && RESERVED_PAGE_IDS.contains(&id) {
        diags.push(
            Diagnostic::error("reserved-id", format!("a page cannot be called `{id}`")).help(
                format!("`/{id}/` belongs to the site itself; choose another title or `--id`"),
            ),
        );
    }
}

/// Ids already taken: every group id (to check `--group`) and the ids of the kind being
/// created, with the file that holds each.
struct Existing {
    groups: Vec<String>,
    same_kind: Vec<(String, String)>,
}

fn existing_ids(root: &Path, kind: Kind) -> Result<Existing, Error> {
    // Content with errors still yields the records that parsed: `new` must work on a site
    // that is half-way through an edit.
    let (sources, _) = crate::load::read_sources(root)?;
    let (raw, _) = crate::load::parse(&sources);
    let id_of = |explicit: &Option<String>, file: usize| -> (String, String) {
        let f = &sources.files[file];
        (
            explicit.clone().unwrap_or_else(|| f.stem.clone()),
            f.rel.clone(),
        )
    };
    let groups: Vec<(String, String)> = raw
        .groups
        .iter()
        .map(|r| id_of(&r.raw.id, r.loc.file))
        .collect();
    let same_kind = match kind {
        Kind::Group => groups.clone(),
        Kind::Incident => raw
            .incidents
            .iter()
            .map(|r| id_of(&r.raw.id, r.loc.file))
            .collect(),
        Kind::Briefing => raw
            .briefings
            .iter()
            .map(|r| id_of(&r.raw.id, r.loc.file))
            .collect(),
        Kind::Page => raw.pages.iter().map(|r| id_of(&None, r.loc.file)).collect(),
        Kind::Digest => Vec::new(),
    };
    let mut names: Vec<String> = groups.into_iter().map(|(id, _)| id).collect();
    names.sort();
    names.dedup();
    Ok(Existing {
        groups: names,
        same_kind,
    })
}

/// Finds the archetype of `kind`: the site's, the theme's, or the embedded default.
/// Returns where it came from (for messages) and its text.
fn archetype(root: &Path, theme: &str, kind: Kind) -> Result<(String, String), Error> {
    let file = format!("{}.md", kind.name());
    let candidates = [
        format!("archetypes/{file}"),
        format!("themes/{theme}/archetypes/{file}"),
    ];
    for rel in candidates {
        let path = root.join(&rel);
        if std::fs::symlink_metadata(&path).is_err() {
            continue;
        }
        // Through the site's guard: an archetype linked to a file outside the site (or a
        // FIFO) is refused, never read into a new record.
        let site = crate::site_files::SiteDir::new(root)?;
        let text = site
            .read(&path, crate::load::MAX_FILE_BYTES)
            .and_then(|b| {
                String::from_utf8(b).map_err(|_| {
                    Diagnostic::error("not-utf8", format!("`{rel}` is not valid UTF-8"))
                        .at(crate::diagnostic::Location::file(&rel), "")
                        .help("save it as UTF-8 text in your editor")
                })
            })
            .map_err(|d| {
                let mut all = Diagnostics::default();
                all.push(d);
                Error::Invalid(all)
            })?;
        return Ok((rel, crate::source::strip_bom(text)));
    }
    let rel = format!("archetypes/{file}");
    crate::render::theme::embedded()
        .iter()
        .find(|(p, _)| *p == rel)
        .map(|(_, bytes)| {
            (
                format!("<embedded default theme>/{rel}"),
                String::from_utf8_lossy(bytes).into_owned(),
            )
        })
        .ok_or_else(|| {
            Error::Input(format!(
                "no archetype for {}s (looked for {rel})",
                kind.name()
            ))
        })
}

/// The expansions of the placeholders, already in YAML form.
struct Values {
    title: String,
    date: String,
    today: String,
    id: String,
    groups: String,
    country: String,
    countries: String,
}

const PLACEHOLDERS: &[&str] = &[
    "title",
    "date",
    "today",
    "id",
    "groups",
    "country",
    "countries",
];

/// Replaces every `{{ name }}` in `text`.
fn expand(text: &str, v: &Values) -> Result<String, String> {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err("unclosed `{{` in archetype".to_string());
        };
        let name = after[..end].trim();
        let value = match name {
            "title" => &v.title,
            "date" => &v.date,
            "today" => &v.today,
            "id" => &v.id,
            "groups" => &v.groups,
            "country" => &v.country,
            "countries" => &v.countries,
            other => {
                let mut m = format!("unknown placeholder `{{{{ {other} }}}}` in archetype");
                if let Some(s) = did_you_mean(other, PLACEHOLDERS.iter().copied()) {
                    m.push_str(&format!("; did you mean `{{{{ {s} }}}}`?"));
                }
                return Err(m);
            }
        };
        out.push_str(value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.replace('"', "'")))
}

/// A YAML flow list of ids or codes (all `[A-Za-z0-9-]`, so no quoting is needed).
fn flow_list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_date_and_transliterated_title() {
        assert_eq!(
            derive_id(Kind::Incident, "Attaque à Ségou", Some("2019-05-03")),
            "2019-05-03-attaque-a-segou"
        );
        assert_eq!(
            derive_id(Kind::Briefing, "  JNIM's year: 2019! ", Some("2020")),
            "2020-jnims-year-2019"
        );
        // Apostrophes (straight, curly, the ʿayn of transliterations) are dropped, not dashes.
        assert_eq!(
            derive_id(Kind::Group, "Jama'at Nusrat al-Islam wal-Muslimin", None),
            "jamaat-nusrat-al-islam-wal-muslimin"
        );
        assert_eq!(derive_id(Kind::Group, "Jama’at ʿAli", None), "jamaat-ali");
        assert_eq!(
            derive_id(Kind::Group, "L'État islamique", None),
            "letat-islamique"
        );
        assert_eq!(
            derive_id(Kind::Group, "Ansar al-Islam", None),
            "ansar-al-islam"
        );
        assert_eq!(
            derive_id(Kind::Page, "Über uns — Méthodologie", None),
            "uber-uns-methodologie"
        );
        assert_eq!(
            derive_id(Kind::Group, "جماعة نصرة الإسلام", None),
            slugify("جماعة نصرة الإسلام")
        );
        assert!(is_valid_id(&slugify("جماعة نصرة الإسلام")));
        assert_eq!(slugify("جماعة نصرة الإسلام"), "jm-nsr-lslm");
        assert_eq!(derive_id(Kind::Incident, "!!!", Some("2019")), "");
    }

    #[test]
    fn long_titles_are_cut_at_a_word() {
        let s = slugify(&"word ".repeat(40));
        assert!(s.len() <= MAX_SLUG && s.ends_with("word"), "{s}");
        assert_eq!(slugify("ab"), "ab");
    }

    #[test]
    fn placeholders_expand_to_yaml_and_unknown_ones_fail() {
        let v = Values {
            title: yaml_string("Say \"hi\": à"),
            date: yaml_string("2019"),
            today: String::new(),
            id: "x".into(),
            groups: flow_list(&["jnim".into(), "isgs".into()]),
            country: "ML".into(),
            countries: flow_list(&[]),
        };
        let out = expand(
            "title: {{ title }}\ndate: {{date}}\ngroups: {{ groups }}\narea: {{ countries }}\n",
            &v,
        )
        .unwrap();
        assert_eq!(
            out,
            "title: \"Say \\\"hi\\\": à\"\ndate: \"2019\"\ngroups: [jnim, isgs]\narea: []\n"
        );
        let e = expand("{{ titl }}", &v).unwrap_err();
        assert!(
            e.contains("`{{ titl }}`") && e.contains("did you mean `{{ title }}`?"),
            "{e:?}"
        );
        assert!(expand("{{ title", &v).is_err());
    }

    #[test]
    fn every_kind_has_an_embedded_archetype_that_uses_known_placeholders() {
        for kind in [
            Kind::Incident,
            Kind::Group,
            Kind::Briefing,
            Kind::Page,
            Kind::Digest,
        ] {
            let (origin, text) = archetype(Path::new("/nonexistent"), "default", kind).unwrap();
            assert!(origin.starts_with("<embedded"), "{origin}");
            let v = Values {
                title: "\"T\"".into(),
                date: String::new(),
                today: String::new(),
                id: String::new(),
                groups: "[]".into(),
                country: String::new(),
                countries: "[]".into(),
            };
            expand(&text, &v).unwrap_or_else(|e| panic!("{}: {e:?}", kind.name()));
        }
    }
}
