//! Reads `content/` once into memory and parses every file into raw records.
//!
//! `read_sources` is the only function in the pipeline that reads content from disk;
//! `parse` is pure and reports every syntax and type error it finds, file by file.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::frontmatter::{self, SplitError};
use crate::content::raw::{
    RawAssessment, RawBriefing, RawGroup, RawIncident, RawIncidentFile, RawPage,
};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::error::Error;
use crate::yaml::{self, Seg};

mod translation;

pub use translation::RawTranslation;
pub(crate) use translation::split_stem;

/// Files larger than this are refused: no honest content file is this big, and reading one
/// would only slow the build down or exhaust memory.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// What a content file holds, decided by where it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `content/incidents/**/*.md`
    Incident,
    /// `content/incidents/**/*.yaml`
    IncidentList,
    /// `content/groups/*.md`
    Group,
    /// `content/briefings/*.md`
    Briefing,
    /// `content/pages/*.md`
    Page,
    /// `content/_index.md`
    Home,
    /// `content/digests/**/*.md`: an analyst's monthly assessment, meant to live at
    /// `digests/<cc>/<yyyy-mm>.md` (`validate` reports any other place).
    Digest,
    /// `<id>.<lang>.md` where an incident, group, briefing, page or `_index.<lang>.md`
    /// would be: a record's words in another language (issue 17).
    Translation,
}

/// One content file's text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, with `/` separators (as shown in diagnostics).
    pub rel: String,
    /// File stem (default id).
    pub stem: String,
    /// What it holds.
    pub kind: Kind,
    /// The text, BOM removed (shared: a rebuild reuses an unchanged file's text).
    pub text: std::sync::Arc<str>,
    /// Size and modification time when read, so a rebuild can reuse an unchanged file's
    /// text without reading it again (`None` when unknown: never reused).
    pub stamp: Option<(u64, std::time::SystemTime)>,
}

/// Every content file, sorted by path.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The files.
    pub files: Vec<SourceFile>,
    /// Content files that could not be read (already reported: not UTF-8, too large, a
    /// symlink out of the site), as (path, stem, kind), so that references to the records
    /// they hold are not reported as unknown too.
    pub unreadable: Vec<(String, String, Kind)>,
}

/// Where a raw record's YAML is inside its file, so validation can point at fields.
#[derive(Debug, Clone, Default)]
pub struct RecordLoc {
    /// Index into [`Sources::files`].
    pub file: usize,
    /// Byte range of the YAML text in the file.
    pub yaml: std::ops::Range<usize>,
    /// Path from the YAML root to this record (empty for front matter).
    pub prefix: Vec<Seg>,
    /// Byte offset of the Markdown body in the file.
    pub body_offset: usize,
    /// Fields left out of the record because they were wrong (already reported).
    pub dropped: std::sync::Arc<Vec<yaml::Dropped>>,
}

impl RecordLoc {
    /// Whether the field at `path` (within the record) was left out because of an error
    /// already reported — it, a mapping or list above it, or a misspelt key beside it — so
    /// that it is not reported again as missing.
    pub fn dropped(&self, path: &[Seg]) -> bool {
        if self.dropped.is_empty() {
            return false;
        }
        let parents: Vec<String> = (0..=path.len())
            .map(|n| yaml::written(&path[..n]))
            .collect();
        let mapping = &parents[parents.len().saturating_sub(2)];
        self.dropped.iter().any(|d| {
            (d.unknown_key && d.path == *mapping) || parents.iter().skip(1).any(|p| *p == d.path)
        })
    }

    /// Like [`RecordLoc::dropped`], and also when anything below `path` was left out (an
    /// item of a list, a key of a mapping).
    pub fn touched(&self, path: &[Seg]) -> bool {
        if self.dropped(path) {
            return true;
        }
        let written = yaml::written(path);
        self.dropped.iter().any(|d| {
            d.path.starts_with(&written) && d.path[written.len()..].starts_with(['.', '['])
        })
    }
}

/// A parsed record of some kind with its location.
#[derive(Debug, Clone)]
pub struct Record<T> {
    /// The raw fields.
    pub raw: T,
    /// Markdown body.
    pub body: String,
    /// Where it is.
    pub loc: RecordLoc,
}

/// All raw records of a site.
#[derive(Debug, Default)]
pub struct RawSite {
    /// Incidents.
    pub incidents: Vec<Record<RawIncident>>,
    /// Groups.
    pub groups: Vec<Record<RawGroup>>,
    /// Briefings.
    pub briefings: Vec<Record<RawBriefing>>,
    /// Pages.
    pub pages: Vec<Record<RawPage>>,
    /// Home introduction.
    pub home: Option<Record<RawPage>>,
    /// Analysts' monthly assessments.
    pub assessments: Vec<Record<RawAssessment>>,
    /// Translation files.
    pub translations: Vec<RawTranslation>,
    /// Files that could not be parsed (their error is already reported), with the ids they
    /// seem to define, so that validation does not also call every reference to them unknown.
    pub unparsed: Vec<Unparsed>,
}

/// A file whose records could not be parsed.
#[derive(Debug, Clone)]
pub struct Unparsed {
    /// Path relative to the site root.
    pub rel: String,
    /// What it should have held.
    pub kind: Kind,
    /// Ids it seems to define: its stem, and any `id:` a lenient second look could find.
    pub ids: Vec<String>,
    /// False when the file may define ids that could not be recovered (a broken list file).
    pub ids_complete: bool,
}

fn kind_of(rel_in_content: &Path) -> Option<Kind> {
    let ext = rel_in_content.extension()?.to_str()?;
    let top = rel_in_content.components().next()?.as_os_str().to_str()?;
    let depth = rel_in_content.components().count();
    match (top, ext, depth) {
        ("incidents", "md", _) => Some(Kind::Incident),
        ("incidents", "yaml" | "yml", _) => Some(Kind::IncidentList),
        ("groups", "md", 2) => Some(Kind::Group),
        ("briefings", "md", 2) => Some(Kind::Briefing),
        ("pages", "md", 2) => Some(Kind::Page),
        ("_index.md", _, 1) => Some(Kind::Home),
        // `_index.fr.md`: the home introduction's translation (anything else is not read).
        (top, "md", 1)
            if top
                .strip_suffix(".md")
                .is_some_and(|s| split_stem(s).is_some_and(|(id, _)| id == "_index")) =>
        {
            Some(Kind::Home)
        }
        ("digests", "md", _) => Some(Kind::Digest),
        _ => None,
    }
    .map(
        |kind| match translation::is_translation(rel_in_content, kind) {
            true => Kind::Translation,
            false => kind,
        },
    )
}

/// A content file whose extension differs from `.md` / `.yaml` only in case or spelling
/// (`x.MD`, `x.Yaml`, `x.markdown`): it would otherwise be skipped without a word and its
/// record silently missing from the site. Returns what it would hold and the error.
fn misnamed(in_content: &Path, rel: &str) -> Option<(Kind, Diagnostic)> {
    let ext = in_content.extension()?.to_str()?;
    let fixed = match ext.to_ascii_lowercase().as_str() {
        "md" | "markdown" | "mdown" => "md",
        "yaml" => "yaml",
        "yml" => "yml",
        _ => return None,
    };
    let renamed = in_content.with_extension(fixed);
    let kind = kind_of(&renamed)?;
    let name = renamed.file_name()?.to_string_lossy().into_owned();
    Some((
        kind,
        Diagnostic::error(
            "misnamed-file",
            format!("`{rel}` is not read: content files end in `.{fixed}`"),
        )
        .at(Location::file(rel), "")
        .help(format!("rename it to `{name}`")),
    ))
}

/// Reads every content file under `root/content`. Problems with single files (not UTF-8,
/// too large, a symlink leading out of the site) become diagnostics; only an unreadable
/// content directory is an `Err`.
pub fn read_sources(root: &Path) -> Result<(Sources, Diagnostics), Error> {
    read_sources_reusing(root, None, &[])
}

/// [`read_sources`], taking the text of files whose size and modification time are those
/// recorded in `prev` from there instead of reading them again (`serve` after an edit).
/// Files in `changed` (root-relative paths) are always read: two saves within the clock's
/// resolution can leave size and time as they were.
pub fn read_sources_reusing(
    root: &Path,
    prev: Option<&Sources>,
    changed: &[String],
) -> Result<(Sources, Diagnostics), Error> {
    let Some(Listing {
        paths,
        mut unreadable,
        mut diags,
    }) = list(root)?
    else {
        return Ok((Sources::default(), Diagnostics::default()));
    };
    let read: Vec<(Result<SourceFile, Diagnostic>, String, String, Kind)> = paths
        .into_par_iter()
        .map(|(path, rel, stem, kind)| {
            let reused = prev
                .filter(|_| !changed.contains(&rel))
                .and_then(|p| reuse(p, &path, &rel, kind));
            (
                reused.map_or_else(|| read_one(&path, rel.clone(), stem.clone(), kind), Ok),
                rel,
                stem,
                kind,
            )
        })
        .collect();
    let mut files = Vec::with_capacity(read.len());
    for (r, rel, stem, kind) in read {
        match r {
            Ok(f) => files.push(f),
            Err(d) => {
                diags.push(d);
                unreadable.push((rel, stem, kind));
            }
        }
    }
    Ok((Sources { files, unreadable }, diags))
}

/// How many content files a run reads: every file under `content/` that holds records,
/// those it cannot read included (a refused link, a misnamed `.MD`: each is reported).
/// Walks the tree without reading any file.
pub fn count_content_files(root: &Path) -> Result<usize, Error> {
    Ok(list(root)?.map_or(0, |l| l.paths.len() + l.unreadable.len()))
}

/// The content files found by walking `content/`, before any is read.
struct Listing {
    /// Files to read: real path, path relative to the root, stem, kind.
    paths: Vec<(PathBuf, String, String, Kind)>,
    /// Files already known unreadable (refused, misnamed), as in [`Sources::unreadable`].
    unreadable: Vec<(String, String, Kind)>,
    /// Why they are unreadable.
    diags: Diagnostics,
}

/// Walks `content/`; `None` when there is no content directory.
fn list(root: &Path) -> Result<Option<Listing>, Error> {
    let content = root.join("content");
    let mut diags = Diagnostics::default();
    if !content.is_dir() && !content.is_symlink() {
        return Ok(None);
    }
    let site = crate::site_files::SiteDir::new(root)?;
    let mut paths: Vec<(PathBuf, String, String, Kind)> = Vec::new();
    let mut unreadable = Vec::new();
    // Editor swap and backup files are not content.
    let skip = |name: &str| name.starts_with('.') || name.ends_with('~');
    let (found, refused) = site.walk(&content, &skip);
    for d in refused {
        // A record behind a refused link or special file is reported once, not again as
        // unknown wherever it is cited.
        if let Some(rel) = d.location.as_ref().map(|l| l.path.clone())
            && let Some(in_content) = rel.strip_prefix("content/")
            && let Some(kind) = kind_of(Path::new(in_content))
        {
            unreadable.push((rel.clone(), stem_of(Path::new(&rel)), kind));
        }
        diags.push(d);
    }
    for f in found {
        let rel = site.rel(&f.path);
        let Ok(in_content) = f.path.strip_prefix(&content) else {
            continue;
        };
        let Some(kind) = kind_of(in_content) else {
            if let Some((kind, d)) = misnamed(in_content, &rel) {
                unreadable.push((rel, stem_of(&f.path), kind));
                diags.push(d);
            }
            continue;
        };
        paths.push((f.real, rel, stem_of(&f.path), kind));
    }
    Ok(Some(Listing {
        paths,
        unreadable,
        diags,
    }))
}

/// `prev` with only the files named in `changed` (root-relative paths) read again, added
/// or removed: what `serve` does after an edit instead of walking the whole tree. `None`
/// when a change is not a plain content file (a folder, a link), so that the caller walks
/// the tree after all.
pub fn update_sources(
    root: &Path,
    prev: &Sources,
    changed: &[String],
) -> Option<(Sources, Diagnostics)> {
    let mut files = prev.files.clone();
    let mut unreadable = prev.unreadable.clone();
    let mut diags = Diagnostics::default();
    let content = root.join("content");
    for rel in changed {
        let in_content = Path::new(rel.strip_prefix("content/")?);
        let path = root.join(rel);
        let name = path.file_name()?.to_str()?;
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        let kind = kind_of(in_content);
        unreadable.retain(|u| &u.0 != rel);
        let at = files.binary_search_by(|f| f.rel.as_str().cmp(rel));
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                kind?;
                if let Ok(i) = at {
                    files.remove(i);
                }
            }
            Err(_) => return None,
            Ok(m) if !m.is_file() => return None,
            Ok(_) => {
                let Some(kind) = kind else { continue };
                // A folder on the way that is a link: let the walk check where it leads.
                let mut dir = path.parent();
                while let Some(d) = dir {
                    if d == content {
                        break;
                    }
                    if d.is_symlink() {
                        return None;
                    }
                    dir = d.parent();
                }
                match read_one(&path, rel.clone(), stem_of(&path), kind) {
                    Ok(f) => match at {
                        Ok(i) => files[i] = f,
                        Err(i) => files.insert(i, f),
                    },
                    Err(d) => {
                        if let Ok(i) = at {
                            files.remove(i);
                        }
                        diags.push(d);
                        unreadable.push((rel.clone(), stem_of(&path), kind));
                    }
                }
            }
        }
    }
    Some((Sources { files, unreadable }, diags))
}

/// The earlier reading of `rel`, if the file has not changed since.
fn reuse(prev: &Sources, path: &Path, rel: &str, kind: Kind) -> Option<SourceFile> {
    let i = prev
        .files
        .binary_search_by(|f| f.rel.as_str().cmp(rel))
        .ok()?;
    let old = &prev.files[i];
    let meta = std::fs::metadata(path).ok()?;
    let stamp = (meta.len(), meta.modified().ok()?);
    (old.kind == kind && old.stamp == Some(stamp)).then(|| old.clone())
}

fn read_one(path: &Path, rel: String, stem: String, kind: Kind) -> Result<SourceFile, Diagnostic> {
    // `path` is real (no link in it): opened without following a link or waiting on a
    // FIFO, and never read past the limit.
    let (bytes, meta) =
        crate::site_files::read_regular_meta(path, &rel, MAX_FILE_BYTES).map_err(|d| {
            if d.code == "file-too-large" {
                let mb = |n: u64| n / 1_000_000;
                let len = std::fs::metadata(path).map_or(MAX_FILE_BYTES + 1, |m| m.len());
                Diagnostic::error(
                    "file-too-large",
                    format!(
                        "`{rel}` is {} MB; content files may be at most {} MB",
                        mb(len),
                        mb(MAX_FILE_BYTES)
                    ),
                )
                .at(Location::file(&rel), "")
                .help("split the records over several files")
            } else {
                d
            }
        })?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => crate::source::strip_bom(t),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let loc = crate::source::line_col(&prefix, valid);
            let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
            let mut l = Location::new(&rel, &prefix, line_start, valid);
            l.start = loc;
            l.end = crate::source::LineCol {
                line: loc.line,
                col: loc.col + 1,
            };
            l.source_line.push(' ');
            return Err(
                Diagnostic::error("not-utf8", format!("`{rel}` is not valid UTF-8"))
                    .at(l, "invalid byte here")
                    .help("save the file as UTF-8 in your editor"),
            );
        }
    };
    Ok(SourceFile {
        rel,
        stem,
        kind,
        text: text.into(),
        // From the open file itself: the stamp is that of the text read.
        stamp: meta.modified().ok().map(|t| (meta.len(), t)),
    })
}

fn stem_of(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_string()
}

/// One file's parse: its records, every error found in them, and what could not be read.
#[derive(Debug, Clone)]
pub struct FileParse {
    /// The records read (without their fields in error); `None` when nothing could be.
    parsed: Option<Parsed>,
    /// Every syntax and type error, placed.
    diags: Vec<Diagnostic>,
    /// Records of a list file that could not be read at all: the ids a lenient look found
    /// in them, and whether that look was complete.
    lost: Option<(Vec<String>, bool)>,
}

#[derive(Debug, Clone)]
enum Parsed {
    Incidents(Vec<Record<RawIncident>>),
    Group(Record<RawGroup>),
    Briefing(Record<RawBriefing>),
    Page(Record<RawPage>),
    Home(Record<RawPage>),
    Assessment(Record<RawAssessment>),
    Translation(RawTranslation),
}

/// Parses every file into raw records (in parallel), collecting all syntax and type errors.
pub fn parse(sources: &Sources) -> (RawSite, Diagnostics) {
    let parses = parse_files(sources, None);
    assemble(sources, &parses)
}

/// Parses each file on its own; a file whose text equals its text in `prev` (earlier
/// sources and their parses) shares the earlier parse instead.
pub fn parse_files(
    sources: &Sources,
    prev: Option<(&Sources, &[std::sync::Arc<FileParse>])>,
) -> Vec<std::sync::Arc<FileParse>> {
    sources
        .files
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let earlier = prev.and_then(|(ps, pp)| {
                let j = ps
                    .files
                    .binary_search_by(|o| o.rel.as_str().cmp(&f.rel))
                    .ok()?;
                ((std::sync::Arc::ptr_eq(&ps.files[j].text, &f.text) || ps.files[j].text == f.text)
                    && ps.files[j].kind == f.kind)
                    .then(|| pp.get(j).cloned())
                    .flatten()
            });
            earlier.unwrap_or_else(|| std::sync::Arc::new(parse_file(i, f)))
        })
        .collect()
}

/// Gathers per-file parses (in file order) into the raw site, pointing every record at
/// its file's position in `sources` (a shared parse may come from an earlier position).
pub fn assemble(sources: &Sources, parses: &[std::sync::Arc<FileParse>]) -> (RawSite, Diagnostics) {
    let mut site = RawSite::default();
    let mut diags = Diagnostics::default();
    for (rel, stem, kind) in &sources.unreadable {
        let ids_complete = *kind != Kind::IncidentList;
        site.unparsed.push(Unparsed {
            rel: rel.clone(),
            kind: *kind,
            ids: vec![stem.clone()],
            ids_complete,
        });
    }
    fn at<T: Clone>(r: &Record<T>, file: usize) -> Record<T> {
        let mut r = r.clone();
        r.loc.file = file;
        r
    }
    for (i, p) in parses.iter().enumerate() {
        p.diags.iter().for_each(|d| diags.push(d.clone()));
        match &p.parsed {
            Some(Parsed::Incidents(v)) => site.incidents.extend(v.iter().map(|r| at(r, i))),
            Some(Parsed::Group(g)) => site.groups.push(at(g, i)),
            Some(Parsed::Briefing(b)) => site.briefings.push(at(b, i)),
            Some(Parsed::Page(p)) => site.pages.push(at(p, i)),
            Some(Parsed::Home(p)) => site.home = Some(at(p, i)),
            Some(Parsed::Assessment(a)) => site.assessments.push(at(a, i)),
            Some(Parsed::Translation(t)) => {
                let mut t = t.clone();
                t.loc.file = i;
                site.translations.push(t);
            }
            None => site.unparsed.push(unparsed(&sources.files[i])),
        }
        if let Some((ids, ids_complete)) = &p.lost {
            let f = &sources.files[i];
            site.unparsed.push(Unparsed {
                rel: f.rel.clone(),
                kind: f.kind,
                ids: ids.clone(),
                ids_complete: *ids_complete,
            });
        }
    }
    (site, diags)
}

/// A file that failed before any record could be read.
fn failed(d: Diagnostic) -> FileParse {
    FileParse {
        parsed: None,
        diags: vec![d],
        lost: None,
    }
}

fn parse_file(index: usize, f: &SourceFile) -> FileParse {
    if f.kind == Kind::IncidentList {
        return parse_list(index, f);
    }
    if f.kind == Kind::Translation {
        return translation::parse(index, f);
    }
    let split = match frontmatter::split(&f.text) {
        Ok(s) => s,
        Err(e) => return failed(split_error(f, e)),
    };
    let body = split.body.to_string();
    let yaml_text = if split.yaml.trim().is_empty() {
        "{}"
    } else {
        split.yaml
    };
    let place = Placer::new(f);
    let mut diags = Vec::new();
    let mut loc = RecordLoc {
        file: index,
        yaml: split.yaml_offset..split.yaml_offset + split.yaml.len(),
        prefix: Vec::new(),
        body_offset: split.body_offset,
        dropped: Default::default(),
    };
    // Every field error of the record, and the record without those fields.
    fn read<T: serde::de::DeserializeOwned>(
        yaml_text: &str,
        base: usize,
        place: &Placer<'_>,
        diags: &mut Vec<Diagnostic>,
        loc: &mut RecordLoc,
    ) -> Option<T> {
        let c = yaml::from_str_collecting::<T>(yaml_text);
        for e in c.errors {
            diags.push(yaml_error(place, base, yaml_text, Box::new(e)));
        }
        if c.truncated {
            diags.push(truncated(place, base));
        }
        loc.dropped = std::sync::Arc::new(c.dropped);
        c.value
    }
    let base = split.yaml_offset;
    let parsed = match f.kind {
        Kind::Incident => read::<RawIncident>(yaml_text, base, &place, &mut diags, &mut loc)
            .map(|raw| Parsed::Incidents(vec![Record { raw, body, loc }])),
        Kind::Group => read(yaml_text, base, &place, &mut diags, &mut loc)
            .map(|raw| Parsed::Group(Record { raw, body, loc })),
        Kind::Briefing => read(yaml_text, base, &place, &mut diags, &mut loc)
            .map(|raw| Parsed::Briefing(Record { raw, body, loc })),
        Kind::Page => read(yaml_text, base, &place, &mut diags, &mut loc)
            .map(|raw| Parsed::Page(Record { raw, body, loc })),
        Kind::Digest => read(yaml_text, base, &place, &mut diags, &mut loc)
            .map(|raw| Parsed::Assessment(Record { raw, body, loc })),
        Kind::Home | Kind::IncidentList | Kind::Translation => {
            read(yaml_text, base, &place, &mut diags, &mut loc)
                .map(|raw| Parsed::Home(Record { raw, body, loc }))
        }
    };
    FileParse {
        parsed,
        diags,
        lost: None,
    }
}

/// The note that a record has more errors than were read.
fn truncated(place: &Placer<'_>, base: usize) -> Diagnostic {
    Diagnostic::error(
        "too-many-errors",
        format!(
            "stopped reading this record after {} errors",
            yaml::MAX_ERRORS_PER_RECORD
        ),
    )
    .at(place.at(base, base), "this record")
    .help("fix the errors above and run `briefwerk check` again to see the rest")
}

/// Places diagnostics in one file: its lines are indexed once, on the first error, so that
/// thousands of errors in a list file cost a lookup each, not a scan of the file each.
struct Placer<'a> {
    f: &'a SourceFile,
    lines: std::cell::OnceCell<crate::source::LineIndex>,
}

impl<'a> Placer<'a> {
    fn new(f: &'a SourceFile) -> Placer<'a> {
        Placer {
            f,
            lines: std::cell::OnceCell::new(),
        }
    }

    /// The location of bytes `start..end` of the file.
    fn at(&self, start: usize, end: usize) -> Location {
        let lines = self
            .lines
            .get_or_init(|| crate::source::LineIndex::new(&self.f.text));
        Location::indexed(&self.f.rel, &self.f.text, lines, start, end)
    }
}

fn parse_list(index: usize, f: &SourceFile) -> FileParse {
    if f.text.trim().is_empty() {
        return failed(
            Diagnostic::error("empty-file", format!("`{}` is empty", f.rel))
                .at(Location::file(&f.rel), "")
                .help(
                    "a .yaml incident file holds a top-level `incidents:` list, or delete the file",
                ),
        );
    }
    let place = Placer::new(f);
    let record = |i: usize, mut raw: RawIncident, dropped: Vec<yaml::Dropped>| {
        let body = raw.body.take().unwrap_or_default();
        Record {
            raw,
            body,
            loc: RecordLoc {
                file: index,
                yaml: 0..f.text.len(),
                prefix: vec![Seg::Key("incidents"), Seg::Index(i)],
                body_offset: 0,
                dropped: std::sync::Arc::new(dropped),
            },
        }
    };
    let e = match yaml::from_str::<RawIncidentFile>(&f.text) {
        Ok(file) => {
            let records = file
                .incidents
                .into_iter()
                .enumerate()
                .map(|(i, raw)| record(i, raw, Vec::new()))
                .collect();
            return FileParse {
                parsed: Some(Parsed::Incidents(records)),
                diags: Vec::new(),
                lost: None,
            };
        }
        Err(e) => e,
    };
    let e = match e.kind.is_fatal() {
        true => e,
        false => yaml::syntax_error(&f.text).unwrap_or(e),
    };
    // An error inside a record: read every record on its own, each as far as it goes,
    // so that every record's every error is found in one run, in time linear in the file.
    let items = (!e.kind.is_fatal() && e.path.starts_with("incidents["))
        .then(|| yaml::list_items(&f.text, "incidents"))
        .flatten();
    let Some(items) = items else {
        return failed(yaml_error(&place, 0, &f.text, e));
    };
    let mut diags = Vec::new();
    for (key, at) in yaml::root_keys(&f.text) {
        if key != "incidents" {
            let e = yaml::unknown_key(&key, &["incidents"], at);
            diags.push(yaml_error(&place, 0, &f.text, Box::new(e)));
        }
    }
    let mut records = Vec::with_capacity(items.len());
    let mut lost: Option<(Vec<String>, bool)> = None;
    for (i, (base, own)) in items.into_iter().enumerate() {
        let c = yaml::from_str_collecting::<RawIncident>(&own);
        let within = format!("incidents[{i}]");
        for mut e in c.errors {
            e.path = if e.path.is_empty() {
                within.clone()
            } else {
                format!("{within}.{}", e.path)
            };
            e.message = format!("{}: {}", e.path, e.detail);
            diags.push(yaml_error(&place, base, &own, Box::new(e)));
        }
        if c.truncated {
            diags.push(truncated(&place, base));
        }
        match c.value {
            Some(raw) => records.push(record(i, raw, c.dropped)),
            None => {
                let (ids, complete) = lost.get_or_insert_with(|| (Vec::new(), true));
                match yaml::list_ids(&own, "", "id") {
                    Some(mut found) => ids.append(&mut found),
                    None => *complete = false,
                }
            }
        }
    }
    FileParse {
        parsed: Some(Parsed::Incidents(records)),
        diags,
        lost,
    }
}

fn split_error(f: &SourceFile, e: SplitError) -> Diagnostic {
    match e {
        SplitError::Empty => Diagnostic::error("empty-file", format!("`{}` is empty", f.rel))
            .at(Location::file(&f.rel), "")
            .help("start the file with front matter between two `---` lines, or delete it"),
        SplitError::NoOpening => {
            let end = f.text.find('\n').unwrap_or(f.text.len());
            Diagnostic::error(
                "no-front-matter",
                "expected front matter: the file must start with a `---` line",
            )
            .at(
                Location::new(&f.rel, &f.text, 0, end),
                "expected `---` here",
            )
            .help("put the record's YAML fields between two `---` lines at the top of the file")
        }
        SplitError::Unclosed => {
            Diagnostic::error("unclosed-front-matter", "front matter is never closed")
                .at(Location::new(&f.rel, &f.text, 0, 3), "this `---` opens it")
                .help("add a line with just `---` after the last YAML field")
        }
    }
}

/// What a file that failed to parse seems to define, found leniently on this error path.
fn unparsed(f: &SourceFile) -> Unparsed {
    let mut ids = Vec::new();
    let mut ids_complete = true;
    match f.kind {
        Kind::IncidentList => match yaml::list_ids(&f.text, "incidents", "id") {
            Some(found) => ids = found,
            None => ids_complete = false,
        },
        _ => {
            ids.push(f.stem.clone());
            if let Ok(split) = frontmatter::split(&f.text)
                && let Some(mut found) = yaml::list_ids(split.yaml, "", "id")
            {
                ids.append(&mut found);
            }
        }
    }
    Unparsed {
        rel: f.rel.clone(),
        kind: f.kind,
        ids,
        ids_complete,
    }
}

/// Words serde's type names the way an editor of content thinks of them.
fn humanize_expected(expected: &str) -> String {
    match expected {
        "f64" | "f32" => "a number".into(),
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => {
            "a whole number".into()
        }
        "a sequence" => "a list".into(),
        "a boolean" => "`true` or `false`".into(),
        "a map" => "a mapping (`key: value` fields)".into(),
        e if e.starts_with("struct ") => "a mapping (`key: value` fields)".into(),
        e => e.to_string(),
    }
}

fn humanize_found(found: &str) -> String {
    match found {
        "sequence" => "a list".into(),
        "map" => "a mapping".into(),
        "unit value" => "an empty value".into(),
        f => f.to_string(),
    }
}

/// The help for a casualty figure written in words: `at least 6` is `{min: 6}`, `11-12` is
/// `{min: 11, max: 12}`, `up to 20` is `{min: 0, max: 20}`, `?` is `unknown`.
fn count_help(written: &str) -> Option<String> {
    let lower = written.trim().to_lowercase();
    let number = |s: &str| -> Option<u32> {
        let s = s
            .trim()
            .trim_end_matches('+')
            .replace([',', '\u{a0}', ' '], "");
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    // What is left once words that name the people counted are set aside.
    let core: String = lower
        .split_whitespace()
        .filter(|w| {
            ![
                "killed",
                "dead",
                "deaths",
                "people",
                "persons",
                "civilians",
                "soldiers",
                "wounded",
                "injured",
                "captured",
                "kidnapped",
                "morts",
                "tués",
                "blessés",
                "personnes",
                "victims",
            ]
            .contains(w)
        })
        .collect::<Vec<_>>()
        .join(" ");
    let core = core.trim();
    let write = |yaml: String, what: String| Some(format!("write `{yaml}` ({what})"));
    if [
        "?",
        "unknown",
        "n/a",
        "na",
        "unk",
        "inconnu",
        "not known",
        "unclear",
    ]
    .contains(&core)
    {
        return write("unknown".into(), "the figure is not known; never 0".into());
    }
    for prefix in ["at least ", "minimum ", "min ", "au moins ", ">= ", "≥ "] {
        if let Some(n) = core.strip_prefix(prefix).and_then(number) {
            return write(format!("{{min: {n}}}"), format!("at least {n}"));
        }
    }
    if let Some(n) = core
        .strip_suffix('+')
        .and_then(number)
        .or_else(|| core.strip_suffix(" or more").and_then(number))
        .or_else(|| core.strip_suffix(" et plus").and_then(number))
    {
        return write(format!("{{min: {n}}}"), format!("at least {n}"));
    }
    for prefix in ["more than ", "over ", "plus de ", "> "] {
        if let Some(n) = core.strip_prefix(prefix).and_then(number) {
            return write(format!("{{min: {}}}", n + 1), format!("more than {n}"));
        }
    }
    for prefix in [
        "up to ",
        "at most ",
        "no more than ",
        "jusqu'à ",
        "au plus ",
        "<= ",
        "≤ ",
    ] {
        if let Some(n) = core.strip_prefix(prefix).and_then(number) {
            return write(format!("{{min: 0, max: {n}}}"), format!("at most {n}"));
        }
    }
    let between = core
        .strip_prefix("between ")
        .or_else(|| core.strip_prefix("entre "))
        .unwrap_or(core);
    for sep in [
        "-", "–", "—", " to ", " and ", " et ", " à ", " or ", " ou ",
    ] {
        if let Some((a, b)) = between.split_once(sep)
            && let (Some(a), Some(b)) = (number(a), number(b))
        {
            let (min, max) = (a.min(b), a.max(b));
            return write(
                format!("{{min: {min}, max: {max}}}"),
                format!("between {min} and {max}"),
            );
        }
    }
    if let Some(n) = number(core) {
        return write(n.to_string(), "a whole number, without separators".into());
    }
    None
}

/// For a syntax error inside a `{…}` or `[…]` that nothing closes (`wounded: {min: 2, max:
/// 3` then the next field): the bracket's offset, its closer, and its line closed.
fn unclosed(yaml_text: &str, e: &yaml::YamlError) -> Option<(usize, char, String)> {
    let closer = if e.detail.starts_with("did not find expected ',' or '}'") {
        '}'
    } else if e.detail.starts_with("did not find expected ',' or ']'") {
        ']'
    } else {
        return None;
    };
    let (_, open) = e.context.as_ref()?;
    let open = (*open)?;
    if yaml::flow_closes(yaml_text, open) {
        return None;
    }
    let line_start = yaml_text[..open].rfind('\n').map_or(0, |i| i + 1);
    let line_end = yaml_text[open..]
        .find('\n')
        .map_or(yaml_text.len(), |i| open + i);
    let line = yaml_text[line_start..line_end].trim();
    let fixed = format!("{}{closer}", line.trim_end_matches(','));
    Some((open, closer, fixed))
}

/// For "mapping values are not allowed" at a `key:` that starts its line further right
/// than the `key: value` line above it: the key, where it starts, by how many columns it is
/// too far right, and the key above. `None` when the colon is inside a value instead (a
/// value that needs quotes).
fn over_indented(yaml_text: &str, colon: usize) -> Option<(String, usize, usize, String)> {
    let line_start = yaml_text[..colon].rfind('\n').map_or(0, |i| i + 1);
    let line = &yaml_text[line_start..colon];
    let indent = line.len() - line.trim_start_matches(' ').len();
    let key = line[indent..].trim_end();
    let simple = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
        && !key.starts_with('-');
    if !simple {
        return None;
    }
    // The line above that holds something.
    let above = yaml_text[..line_start]
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))?;
    let above_indent = above.len() - above.trim_start_matches(' ').len();
    let (above_key, value) = above[above_indent..].split_once(':')?;
    // Deeper than a `key: value` line (not a `key:` line that opens a mapping).
    if indent <= above_indent || value.trim().is_empty() {
        return None;
    }
    Some((
        key.to_string(),
        line_start + indent,
        indent - above_indent,
        above_key.trim().to_string(),
    ))
}

/// Turns a YAML parse or type error into a diagnostic placed where the editor can see it.
/// `base` is the offset of the YAML text in the file.
fn yaml_error(
    placer: &Placer<'_>,
    base: usize,
    yaml_text: &str,
    e: Box<yaml::YamlError>,
) -> Diagnostic {
    use yaml::ErrorKind as K;

    let (s, end) = e
        .span
        .or_else(|| yaml::locate_error(yaml_text, &e))
        .unwrap_or((0, 0));
    let place = if e.path.is_empty() {
        String::new()
    } else {
        format!(" in `{}`", e.path)
    };
    let p = YamlProblem {
        placer,
        base,
        yaml_text,
        e: &e,
        s,
        end,
        place,
        is_list: placer.f.kind == Kind::IncidentList,
    };
    match &e.kind {
        K::UnknownField { field, expected } => p.unknown_field(field, expected),
        K::DuplicateField { field } => p.duplicate_field(field),
        K::MissingField { field } => p.missing_field(field),
        K::WrongType { found, expected } => p.wrong_type(found, expected),
        K::AliasLimit => p.alias_limit(),
        K::ControlCharacter => p.control_character(),
        K::TooDeep => p.too_deep(),
        K::Syntax => p.syntax(),
        K::Invalid => p.invalid(),
    }
}

/// One YAML error with what every kind of it needs to become a diagnostic: the text it was
/// found in, where it points, and the ` in `path`` suffix its message carries.
struct YamlProblem<'a> {
    placer: &'a Placer<'a>,
    /// Offset of `yaml_text` in the file (front matter starts after `---`).
    base: usize,
    yaml_text: &'a str,
    e: &'a yaml::YamlError,
    /// The span the error points at, in `yaml_text`.
    s: usize,
    end: usize,
    /// ` in `path`` for messages, empty at the root.
    place: String,
    /// Root-level errors read differently in an incident list than in front matter.
    is_list: bool,
}

impl YamlProblem<'_> {
    /// The location of bytes `s..e` of the YAML text.
    fn at(&self, s: usize, e: usize) -> Location {
        self.placer.at(self.base + s, self.base + e)
    }

    /// The location the error points at.
    fn here(&self) -> Location {
        self.at(self.s, self.end)
    }

    fn unknown_field(&self, field: &str, expected: &[String]) -> Diagnostic {
        let place = &self.place;
        let mut d = Diagnostic::error("unknown-field", format!("unknown field `{field}`{place}"))
            .at(self.here(), "unknown field");
        let candidates = expected.iter().map(String::as_str);
        if let Some(m) = crate::diagnostic::did_you_mean(field, candidates) {
            d = d.help(format!("did you mean `{m}`?"));
        } else if !expected.is_empty() {
            let list = expected
                .iter()
                .map(|x| format!("`{x}`"))
                .collect::<Vec<_>>()
                .join(", ");
            d = d.help(format!("allowed fields here: {list}"));
        }
        d
    }

    fn duplicate_field(&self, field: &str) -> Diagnostic {
        let place = &self.place;
        let mut d = Diagnostic::error(
            "duplicate-field",
            format!("`{field}` is given twice{place}"),
        )
        .at(self.here(), format!("second `{field}`"))
        .help(format!("keep one `{field}:` line"));
        // The parser may not have placed the first key; find it in the text then.
        let first = self
            .e
            .first
            .or_else(|| yaml::duplicate_keys(self.yaml_text, self.e).map(|(first, _)| first));
        if let Some((fs, fe)) = first {
            d = d.note(Some(self.at(fs, fe)), format!("first `{field}` here"));
        }
        d
    }

    fn missing_field(&self, field: &str) -> Diagnostic {
        let (loc, label) = if self.e.path.is_empty() {
            // A whole record lacks the field: point at the file's start (the `---` of front
            // matter), since there is no key to point at.
            let l = if self.is_list {
                self.placer.at(0, 0)
            } else {
                self.placer.at(0, 3)
            };
            (l, format!("this record has no `{field}`"))
        } else {
            (self.here(), format!("this mapping has no `{field}`"))
        };
        let place = &self.place;
        Diagnostic::error(
            "missing-field",
            format!("missing required field `{field}`{place}"),
        )
        .at(loc, label)
        .help(format!("add `{field}: …`"))
    }

    fn wrong_type(&self, found: &str, expected: &str) -> Diagnostic {
        let e = self.e;
        let want = humanize_expected(expected);
        let got = humanize_found(found);
        let message = if e.path.is_empty() && self.is_list {
            format!(
                "an incident list file must be a mapping with an `incidents:` list, found {got}"
            )
        } else if e.path.is_empty() {
            format!("front matter must be `key: value` fields, found {got}")
        } else {
            format!("wrong type for `{}`: expected {want}, found {got}", e.path)
        };
        let mut d =
            Diagnostic::error("wrong-type", message).at(self.here(), format!("expected {want}"));
        if expected == "a sequence" && found.starts_with("string ") {
            let key = e.path.rsplit('.').next().unwrap_or("groups");
            let value = self.yaml_text.get(self.s..self.end).unwrap_or("…");
            d = d.help(format!(
                "write a list, even of one item: `{key}: [{value}]`"
            ));
        } else if e.path.is_empty() && self.is_list {
            d = d.help("start the file with `incidents:` and list the records under it with `- `");
        }
        d
    }

    fn alias_limit(&self) -> Diagnostic {
        Diagnostic::error("alias-limit", self.e.detail.clone())
            .at(self.here(), "this alias goes over the limit")
            .help(format!(
                "write the values out instead of aliasing large parts of the file: a file may use at most {} aliases and reach {} MB once they are expanded",
                yaml::MAX_ALIASES,
                yaml::MAX_EXPANDED_BYTES / (1024 * 1024)
            ))
    }

    fn control_character(&self) -> Diagnostic {
        Diagnostic::error("control-character", self.e.detail.clone())
            .at(self.here(), "invisible character here")
            .help("delete it: most editors do not show it (it often comes with text pasted from a PDF or a terminal); YAML allows only tabs and line breaks")
    }

    fn too_deep(&self) -> Diagnostic {
        Diagnostic::error(
            "too-deep",
            format!("YAML nested more than {} levels deep", yaml::MAX_DEPTH),
        )
        .at(self.here(), "nested too deeply")
        .help("content records need only a few levels of nesting; check for runaway brackets")
    }

    /// A syntax error: an unclosed bracket and an over-indented key get their own message,
    /// anything else the parser's message with a note on what it was reading and a hint.
    fn syntax(&self) -> Diagnostic {
        if let Some((open, closer, fixed)) = unclosed(self.yaml_text, self.e) {
            return self.unclosed(open, closer, &fixed);
        }
        if let Some((key, key_start, by, above)) = over_indented(self.yaml_text, self.s) {
            return self.over_indented(&key, key_start, by, &above);
        }
        let e = self.e;
        let mut d = Diagnostic::error("yaml-syntax", format!("invalid YAML: {}", e.detail))
            .at(self.here(), "here");
        if let Some(note) = self.syntax_context() {
            d = d.note(Some(note.0), note.1);
        }
        let ch = self.yaml_text[self.s.min(self.yaml_text.len())..]
            .chars()
            .next();
        if let Some(h) = syntax_help(&e.detail, ch) {
            d = d.help(h);
        }
        d
    }

    fn unclosed(&self, open: usize, closer: char, fixed: &str) -> Diagnostic {
        let opener = if closer == '}' { '{' } else { '[' };
        Diagnostic::error(
            "yaml-syntax",
            format!("invalid YAML: this `{opener}` is never closed"),
        )
        .at(
            self.at(open, open + 1),
            format!("no `{closer}` closes this"),
        )
        .note(
            Some(self.here()),
            format!("YAML was still looking for `,` or `{closer}` here"),
        )
        .help(format!("close it on the same line: `{fixed}`"))
    }

    fn over_indented(&self, key: &str, key_start: usize, by: usize, above: &str) -> Diagnostic {
        let spaces = if by == 1 { "space" } else { "spaces" };
        Diagnostic::error(
            "yaml-syntax",
            format!("invalid YAML: `{key}` is indented more than `{above}` above it"),
        )
        .at(
            self.at(key_start, key_start + key.len()),
            format!("{by} {spaces} too far right"),
        )
        .help(format!(
            "fields of one mapping start in the same column: remove {by} {spaces} before `{key}:`"
        ))
    }

    /// The note on what the parser was reading when it failed, placed where that started
    /// (a scalar being scanned says nothing the message does not).
    fn syntax_context(&self) -> Option<(Location, String)> {
        let Some((context, Some(c))) = &self.e.context else {
            return None;
        };
        if context == "while scanning a plain scalar" {
            return None;
        }
        let what = match context.as_str() {
            "while parsing a flow sequence" => "the list `[…]` that starts here".to_string(),
            "while parsing a flow mapping" => "the mapping `{…}` that starts here".to_string(),
            "while parsing a block mapping" => "the mapping that starts here".to_string(),
            "while parsing a block collection" => "the list that starts here".to_string(),
            "while scanning a quoted scalar" => "the quoted text that starts here".to_string(),
            other => format!("{} (starts here)", other.trim_start_matches("while ")),
        };
        let next = self.yaml_text[*c..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        Some((self.at(*c, c + next), format!("in {what}")))
    }

    /// A value our own deserializers rejected; casualty figures get their own code and hint.
    fn invalid(&self) -> Diagnostic {
        let e = self.e;
        // Messages from our own deserializers put a short hint after "; ".
        let (msg, label) = match e.detail.split_once("; ") {
            Some((m, l)) => (m.to_string(), l.to_string()),
            None => (e.detail.clone(), "invalid value".to_string()),
        };
        let last = e.path.rsplit(['.', '[']).next().unwrap_or("");
        let code = if COUNT_FIELDS.contains(&last) {
            "invalid-count"
        } else {
            "invalid-value"
        };
        let message = if e.path.is_empty() {
            msg
        } else {
            format!("{msg} in `{}`", e.path)
        };
        let mut d = Diagnostic::error(code, message).at(self.here(), label);
        if code == "invalid-count"
            && let Some(written) = e
                .detail
                .strip_prefix("invalid casualty figure `")
                .and_then(|r| r.split_once('`'))
                .map(|(w, _)| w)
            && let Some(h) = count_help(written)
        {
            d = d.help(h);
        }
        d
    }
}

/// Fields that hold a count of people: an invalid value there is an `invalid-count`.
const COUNT_FIELDS: [&str; 10] = [
    "killed",
    "wounded",
    "captured",
    "attackers_killed",
    "fatalities",
    "claimed_killed",
    "claimed_wounded",
    "claimed_captured",
    "min",
    "max",
];

/// A hint for a syntax error, chosen by the parser's message (`detail`) and the character it
/// stopped at.
fn syntax_help(detail: &str, ch: Option<char>) -> Option<&'static str> {
    if detail.starts_with("mapping values are not allowed") {
        Some("a value that contains `: ` must be quoted, e.g. `title: \"Assault: the aftermath\"`")
    } else if detail.contains("tab") || ch == Some('\t') {
        Some("indent YAML with spaces, not tabs")
    } else if detail.starts_with("found character that cannot start any token") {
        Some("quote values that start with `@`, `` ` ``, `%` or `|`")
    } else if detail.starts_with("did not find expected ',' or ']'") {
        Some("separate list items with `,` and close the list with `]`")
    } else if detail.starts_with("did not find expected ',' or '}'") {
        Some("separate fields with `,` and close the mapping with `}`")
    } else if detail.starts_with("did not find expected key") {
        Some("check the indentation of this line against the fields above it")
    } else if detail.starts_with("unknown anchor") {
        Some("`*` starts a YAML alias; quote a value that begins with `*`, e.g. `\"*text\"`")
    } else if detail.starts_with("found unexpected end of stream") {
        Some("close the quotes or brackets opened above")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(rel: &str, kind: Kind, text: &str) -> Sources {
        Sources {
            files: vec![SourceFile {
                rel: rel.into(),
                stem: "x".into(),
                kind,
                text: text.into(),
                stamp: None,
            }],
            unreadable: Vec::new(),
        }
    }

    #[test]
    fn unknown_field_points_at_file_line() {
        let s = src(
            "content/incidents/x.md",
            Kind::Incident,
            "---\ntitle: a\ncasualites: {}\n---\n",
        );
        let (_, d) = parse(&s);
        let d = &d.0[0];
        let loc = d.location.as_ref().unwrap();
        assert_eq!((loc.start.line, loc.start.col), (3, 1));
        assert_eq!(d.help.as_deref(), Some("did you mean `casualties`?"));
    }

    #[test]
    fn figures_in_words_get_the_form_to_write() {
        for (written, want) in [
            ("at least 6", "`{min: 6}` (at least 6)"),
            ("11-12", "`{min: 11, max: 12}` (between 11 and 12)"),
            (
                "between 12 and 11 killed",
                "`{min: 11, max: 12}` (between 11 and 12)",
            ),
            ("20+", "`{min: 20}` (at least 20)"),
            ("more than 30", "`{min: 31}` (more than 30)"),
            ("up to 20", "`{min: 0, max: 20}` (at most 20)"),
            ("au moins 6 morts", "`{min: 6}` (at least 6)"),
            ("?", "`unknown` (the figure is not known; never 0)"),
            ("1,200", "`1200` (a whole number, without separators)"),
        ] {
            assert_eq!(
                count_help(written),
                Some(format!("write {want}")),
                "{written}"
            );
        }
        assert_eq!(count_help("dozens"), None);
        assert_eq!(count_help("about 10"), None);
    }

    #[test]
    fn list_files_yield_records() {
        let s = src(
            "content/incidents/l.yaml",
            Kind::IncidentList,
            "incidents:\n  - title: a\n  - title: b\n    body: hi\n",
        );
        let (site, d) = parse(&s);
        assert!(d.is_empty());
        assert_eq!(site.incidents.len(), 2);
        assert_eq!(site.incidents[1].body, "hi");
    }

    #[cfg(unix)]
    #[test]
    fn files_inside_a_linked_folder_outside_the_site_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("x.md"), "---\ntitle: x\n---\n").unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content/incidents")).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("content/incidents/linked")).unwrap();
        let (sources, diags) = read_sources(&root).unwrap();
        assert!(sources.files.is_empty());
        let codes: Vec<&str> = diags.0.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["symlink-outside"]);
    }
}
