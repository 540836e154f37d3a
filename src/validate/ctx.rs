//! The context every validation check writes to: where each record is (to point a diagnostic
//! at the exact node, parsing a file's YAML with positions only on its first error), the
//! diagnostics found so far, and the field checks that every record kind shares (required
//! fields, dates, countries, vocabularies, figures, URLs, ids).
//!
//! Takes raw values and returns validated ones, pushing a diagnostic for each problem; never
//! stops at the first, reads no file and knows no record kind.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use crate::content::count::Count;
use crate::content::date::{DateError, PartialDate};
use crate::content::raw::{RawCount, Text};
use crate::content::{Origin, country};
use crate::diagnostic::{Budget, Diagnostic, Diagnostics, Location, did_you_mean};
use crate::ids::{MAX_NAME_BYTES, id_slug, is_valid_id, shorten, slug};
use crate::load::{RecordLoc, Sources};
use crate::source::LineIndex;
use crate::yaml::{self, Part, Seg};

/// What every check of one run shares: the sources (to place a diagnostic), the
/// diagnostics found so far, and the budget of "did you mean" searches.
pub(super) struct Ctx<'a> {
    pub(super) sources: &'a Sources,
    /// Per file, made on its first error: its YAML parsed with positions and its line
    /// index, so that a file with thousands of errors is parsed and scanned once.
    located: RefCell<HashMap<usize, Rc<Located<'a>>>>,
    pub(super) diags: Diagnostics,
    /// Groups suggested by a "did you mean" for an unknown reference: most likely named
    /// there, so not reported as unused on top of the typo.
    pub(super) suggested_groups: BTreeSet<String>,
    /// What every "did you mean" of the run may spend, so that thousands of unknown ids
    /// against thousands of records cost a bounded time.
    pub(super) budget: Budget,
}

struct Located<'a> {
    tree: Option<yaml::Tree<'a>>,
    lines: LineIndex,
}

impl<'a> Ctx<'a> {
    /// A run over `sources`, with nothing found yet and the whole budget.
    pub(super) fn new(sources: &'a Sources) -> Ctx<'a> {
        Ctx {
            located: RefCell::new(HashMap::new()),
            sources,
            diags: Diagnostics::default(),
            suggested_groups: BTreeSet::new(),
            budget: Budget::new(Budget::RUN),
        }
    }

    fn located(&self, loc: &RecordLoc) -> Rc<Located<'a>> {
        let file: &'a crate::load::SourceFile = &self.sources.files[loc.file];
        let mut cache = self.located.borrow_mut();
        let entry = cache.entry(loc.file).or_insert_with(|| {
            let yaml_text: &'a str = &file.text[loc.yaml.clone()];
            Rc::new(Located {
                tree: yaml::Tree::parse(yaml_text),
                lines: LineIndex::new(&file.text),
            })
        });
        Rc::clone(entry)
    }

    fn location(&self, loc: &RecordLoc, start: usize, end: usize) -> Location {
        let f = &self.sources.files[loc.file];
        Location::indexed(&f.rel, &f.text, &self.located(loc).lines, start, end)
    }

    pub(super) fn rel(&self, loc: &RecordLoc) -> &str {
        &self.sources.files[loc.file].rel
    }

    /// The file name of a record's file without its extension: the id of a one-record file.
    pub(super) fn stem(&self, loc: &RecordLoc) -> &str {
        &self.sources.files[loc.file].stem
    }

    /// Location of the node at `path` inside a record (resolved only on this error path).
    pub(super) fn at(&self, loc: &RecordLoc, path: &[Seg], part: Part) -> Location {
        let mut full = loc.prefix.clone();
        full.extend_from_slice(path);
        let found = self
            .located(loc)
            .tree
            .as_ref()
            .and_then(|t| t.locate(&full, part));
        let (s, e) = found.unwrap_or((0, 0));
        self.location(loc, loc.yaml.start + s, loc.yaml.start + e)
    }

    /// Like [`Ctx::at`], but `None` when the record has no node at `path`.
    pub(super) fn at_exact(&self, loc: &RecordLoc, path: &[Seg], part: Part) -> Option<Location> {
        let mut full = loc.prefix.clone();
        full.extend_from_slice(path);
        let (s, e) = self.located(loc).tree.as_ref()?.locate_exact(&full, part)?;
        Some(self.location(loc, loc.yaml.start + s, loc.yaml.start + e))
    }

    pub(super) fn record_start(&self, loc: &RecordLoc) -> Location {
        if loc.prefix.is_empty() {
            // Point at the opening `---` of the front matter.
            self.location(loc, 0, 3)
        } else {
            self.at(loc, &[], Part::Value)
        }
    }

    pub(super) fn err(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub(super) fn required(
        &mut self,
        loc: &RecordLoc,
        value: Option<&String>,
        field: &'static str,
        what: &str,
    ) -> String {
        match value {
            Some(v) if !v.trim().is_empty() => v.trim().to_string(),
            Some(_) => {
                let l = self.at(loc, &[Seg::Key(field)], Part::Value);
                self.err(
                    Diagnostic::error("empty-field", format!("`{field}` is empty"))
                        .at(l, format!("{what} needs a non-empty `{field}`")),
                );
                String::new()
            }
            // Left out for a wrong type or a misspelt key, already reported.
            None if loc.dropped(&[Seg::Key(field)]) => String::new(),
            None => {
                // `title:` with nothing after it reads as no title at all; point at the key.
                if let Some(l) = self.at_exact(loc, &[Seg::Key(field)], Part::Key) {
                    self.err(
                        Diagnostic::error("empty-field", format!("`{field}` is empty"))
                            .at(l, format!("{what} needs a non-empty `{field}`"))
                            .help(format!("write the {what}'s {field} after `{field}: `")),
                    );
                    return String::new();
                }
                let l = self.record_start(loc);
                self.err(
                    Diagnostic::error("missing-field", format!("missing required field `{field}`"))
                        .at(l, format!("this {what} has no `{field}`"))
                        .help(format!("add a line `{field}: …` to the {what}")),
                );
                String::new()
            }
        }
    }

    pub(super) fn date(
        &mut self,
        loc: &RecordLoc,
        path: &[Seg],
        value: Option<&Text>,
    ) -> Option<PartialDate> {
        let v = value?;
        match PartialDate::parse(&v.0) {
            Ok(d) => Some(d),
            Err(e) => {
                let l = self.at(loc, path, Part::Value);
                let d = match e {
                    DateError::Format => {
                        Diagnostic::error("invalid-date", format!("invalid date `{}`", v.0))
                            .at(l, "expected YYYY, YYYY-MM or YYYY-MM-DD")
                            .help(date_help(&v.0))
                    }
                    DateError::NoSuchDate => {
                        Diagnostic::error("invalid-date", format!("date `{}` does not exist", v.0))
                            .at(l, "no such day in the calendar")
                    }
                };
                self.err(d);
                None
            }
        }
    }

    /// A required `date:` field: parsed and checked, or reported as missing.
    pub(super) fn required_date(
        &mut self,
        loc: &RecordLoc,
        value: Option<&Text>,
        what: &str,
        help: Option<&str>,
    ) -> Option<PartialDate> {
        if value.is_some() {
            return self.date(loc, &[Seg::Key("date")], value);
        }
        if loc.dropped(&[Seg::Key("date")]) {
            return None;
        }
        let l = self.record_start(loc);
        let mut d = Diagnostic::error("missing-field", "missing required field `date`")
            .at(l, format!("this {what} has no `date`"));
        if let Some(h) = help {
            d = d.help(h);
        }
        self.err(d);
        None
    }

    pub(super) fn country(&mut self, loc: &RecordLoc, path: &[Seg], code: &str) -> bool {
        if country::by_code(code).is_some() {
            return true;
        }
        let l = self.at(loc, path, Part::Value);
        let upper = code.to_ascii_uppercase();
        let mut d = Diagnostic::error(
            "invalid-country",
            format!("`{code}` is not an ISO 3166-1 alpha-2 country code"),
        )
        .at(l, "expected a two-letter code such as `ML`");
        if country::by_code(&upper).is_some() {
            d = d.help(format!("country codes are upper case: `{upper}`"));
        } else if let Some(c) = country::COUNTRIES
            .iter()
            .find(|c| c.2.eq_ignore_ascii_case(code))
        {
            d = d.help(format!("the code for {} is `{}`", c.2, c.0));
        } else if let Some(b) = country::bbox::by_alpha3(&upper) {
            let name = country::name(b.code).unwrap_or(b.code);
            d = d.help(format!(
                "`{upper}` is the three-letter code of {name}; its two-letter code is `{}`",
                b.code
            ));
        }
        self.err(d);
        false
    }

    pub(super) fn vocab(
        &mut self,
        loc: &RecordLoc,
        field: &'static str,
        value: &str,
        allowed: &[&str],
    ) {
        self.vocab_at(loc, &[Seg::Key(field)], field, value, allowed);
    }

    /// Reports `value` at `path` as not one of `allowed`, with a "did you mean".
    pub(super) fn vocab_at(
        &mut self,
        loc: &RecordLoc,
        path: &[Seg],
        field: &'static str,
        value: &str,
        allowed: &[&str],
    ) {
        let l = self.at(loc, path, Part::Value);
        let list = allowed
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut d = Diagnostic::error(
            "invalid-value",
            format!("`{value}` is not an allowed `{field}`"),
        )
        .at(l, format!("expected one of {list}"));
        if let Some(s) = did_you_mean(value, allowed.iter().copied()) {
            d = d.help(format!("did you mean `{s}`?"));
        }
        self.err(d);
    }

    pub(super) fn count(
        &mut self,
        loc: &RecordLoc,
        field: &'static str,
        c: Option<RawCount>,
    ) -> Option<Count> {
        self.count_at(loc, &[Seg::Key("casualties"), Seg::Key(field)], field, c)
    }

    /// A casualty figure found at `path` (a `casualties` field, or a group's `claimed_*`).
    pub(super) fn count_at(
        &mut self,
        loc: &RecordLoc,
        path: &[Seg],
        field: &'static str,
        c: Option<RawCount>,
    ) -> Option<Count> {
        match c? {
            RawCount::Exact(n) => Some(Count::Exact { n }),
            RawCount::Unknown => Some(Count::Unknown),
            RawCount::Range { min, max } => {
                if let Some(max) = max
                    && min > max
                {
                    let l = self.at(loc, path, Part::Value);
                    self.err(
                        Diagnostic::error(
                            "invalid-range",
                            format!("`{field}` has `min` {min} greater than `max` {max}"),
                        )
                        .at(l, "min must not exceed max")
                        .help(format!("did you mean `{{min: {max}, max: {min}}}`?")),
                    );
                }
                Some(Count::Range { min, max })
            }
        }
    }

    pub(super) fn url(&mut self, loc: &RecordLoc, path: &[Seg], url: &str) -> bool {
        let lower = url.trim().to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return true;
        }
        let l = self.at(loc, path, Part::Value);
        let what = if lower.starts_with("javascript:") || lower.starts_with("data:") {
            "scripts and data URLs are never allowed in links"
        } else {
            "expected an http:// or https:// URL"
        };
        self.err(
            Diagnostic::error("invalid-url", format!("source URL `{url}` is not http(s)"))
                .at(l, what),
        );
        false
    }

    pub(super) fn id(
        &mut self,
        loc: &RecordLoc,
        explicit: Option<&String>,
        stem: &str,
        what: &str,
    ) -> String {
        let (id, from_field) = match explicit {
            Some(id) => (id.clone(), true),
            None if loc.prefix.is_empty() => (stem.to_string(), false),
            None if loc.dropped(&[Seg::Key("id")]) => return String::new(),
            None => {
                let l = self.record_start(loc);
                self.err(
                    Diagnostic::error("missing-field", "missing required field `id`")
                        .at(l, "records in a list file need an `id`")
                        .help("add `id: <date>-<place>` (lower case letters, digits and dashes)"),
                );
                return String::new();
            }
        };
        if id.len() > MAX_NAME_BYTES {
            let l = if from_field {
                self.at(loc, &[Seg::Key("id")], Part::Value)
            } else {
                Location::file(self.rel(loc))
            };
            let slugged = id_slug(&id);
            let short = shorten(&slugged);
            let mut d = Diagnostic::error(
                "too-long",
                format!(
                    "{what} id is {} bytes long; ids are at most {MAX_NAME_BYTES} bytes",
                    id.len()
                ),
            )
            .at(l, "the id names the page's folder in the built site");
            if !short.is_empty() {
                d = d.help(if from_field {
                    format!("use a shorter id, e.g. `{short}`")
                } else {
                    format!("rename the file to a shorter name, e.g. `{short}` plus its extension, or set a shorter `id:`")
                });
            }
            self.err(d);
        } else if !is_valid_id(&id) {
            let l = if from_field {
                self.at(loc, &[Seg::Key("id")], Part::Value)
            } else {
                Location::file(self.rel(loc))
            };
            let suggestion = id_slug(&id);
            let mut d = Diagnostic::error("invalid-id", format!("invalid {what} id `{id}`")).at(
                l,
                "ids may contain only lower-case letters, digits and dashes",
            );
            if !suggestion.is_empty() {
                d = d.help(if from_field {
                    format!("use `{suggestion}`")
                } else {
                    format!("rename the file to `{suggestion}` plus its extension, or set `id:`")
                });
            }
            self.err(d);
        }
        id
    }
}

/// The help for a date that is not `YYYY[-MM[-DD]]`: what it most likely means, written
/// as it must be, or the forms allowed.
fn date_help(written: &str) -> String {
    use crate::content::date::{DateHint, hint};
    match hint(written) {
        Some(DateHint::One(d)) => format!(
            "write `{}` ({}): dates are YYYY, YYYY-MM or YYYY-MM-DD, at the precision you know",
            d.iso(),
            d.display()
        ),
        Some(DateHint::Ambiguous(day_first, month_first)) => format!(
            "`{}` could be {} or {}: write `{}` or `{}`",
            written.trim(),
            day_first.display(),
            month_first.display(),
            day_first.iso(),
            month_first.iso()
        ),
        None => "write the date at the precision you know, e.g. `2017`, `2017-06` or `2017-06-18`"
            .to_string(),
    }
}

/// Where a validated record came from, for rendering and rebuilds.
pub(super) fn origin(loc: &RecordLoc) -> Origin {
    Origin {
        file: loc.file,
        body_offset: loc.body_offset,
    }
}

/// Checks tag `i` of a record: it must make a slug (its page is `tags/<slug>/`) of at
/// most [`MAX_NAME_BYTES`] bytes. False when it cannot be published.
pub(super) fn tag_ok(cx: &mut Ctx<'_>, loc: &RecordLoc, i: usize, tag: &str) -> bool {
    let s = slug(tag);
    if s.is_empty() {
        let l = cx.at(loc, &[Seg::Key("tags"), Seg::Index(i)], Part::Value);
        cx.err(Diagnostic::error("invalid-tag", "tag has no letters or digits").at(l, "empty tag"));
        return false;
    }
    if s.len() > MAX_NAME_BYTES {
        let l = cx.at(loc, &[Seg::Key("tags"), Seg::Index(i)], Part::Value);
        cx.err(
            Diagnostic::error(
                "too-long",
                format!(
                    "tag is {} bytes long as a URL; tags are at most {MAX_NAME_BYTES} bytes",
                    s.len()
                ),
            )
            .at(
                l,
                "the tag names its page's folder, `tags/<tag>/`, in the built site",
            )
            .help(format!("use a shorter tag, e.g. `{}`", shorten(&s))),
        );
        return false;
    }
    true
}

/// A record's `tags`, each checked by [`tag_ok`]; those that cannot be published left out.
pub(super) fn valid_tags(cx: &mut Ctx<'_>, loc: &RecordLoc, raw: Vec<String>) -> Vec<String> {
    let mut tags = Vec::new();
    for (i, t) in raw.into_iter().enumerate() {
        if tag_ok(cx, loc, i, &t) {
            tags.push(t);
        }
    }
    tags
}
