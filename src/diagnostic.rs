//! Diagnostics: what went wrong, where, and how to fix it.
//!
//! Every stage pushes `Diagnostic`s instead of stopping at the first problem; the edge
//! (`cli`) renders them with annotate-snippets or as JSON lines. Positions are resolved to
//! line and column when a diagnostic is made, which happens only on the error path.

use std::fmt::Write as _;

use serde::Serialize;

use crate::source::{LineCol, LineIndex};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails `check` and `build`.
    Error,
    /// Reported, fails only with `--deny-warnings`.
    Warning,
}

/// Where a problem is: a file (relative to the site root) and a span in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// Start of the span.
    pub start: LineCol,
    /// End of the span, on the same line as `start` (clamped to that line).
    pub end: LineCol,
    /// The text of the line holding `start`, for the snippet (only the part around the
    /// span when the line is very long).
    #[serde(skip)]
    pub source_line: String,
    /// Characters of the line left out before `source_line` (less the `…` marking the cut):
    /// column `c` of the line is column `c - line_cut` of `source_line`.
    #[serde(skip)]
    pub line_cut: usize,
}

/// Lines longer than this (in characters) are shown only around the span of a diagnostic.
pub const MAX_SHOWN_CHARS: usize = 240;

/// Characters shown on either side of a span on a line longer than [`MAX_SHOWN_CHARS`].
const SHOWN_CONTEXT: usize = 60;

impl Location {
    /// Locates the byte range `start..end` in `text` of the file `path`.
    pub fn new(path: &str, text: &str, start: usize, end: usize) -> Location {
        Location::indexed(path, text, &LineIndex::new(text), start, end)
    }

    /// Like [`Location::new`] with a [`LineIndex`] of `text` made once for many locations.
    /// Costs time in the length of the span shown, never in the length of the file or
    /// of the line: a line longer than [`MAX_SHOWN_CHARS`] is kept only around the span.
    pub fn indexed(
        path: &str,
        text: &str,
        index: &LineIndex,
        start: usize,
        end: usize,
    ) -> Location {
        let s = index.line_col(text, start);
        let line_begin = index.line_start(text, s.line);
        let line_end = index.line_end(text, s.line);
        let line_chars = index.chars_between(text, line_begin, line_end);
        let end = if end.max(start) <= line_end {
            index.line_col(text, end.max(start))
        } else {
            LineCol {
                line: s.line,
                col: line_chars + 1,
            }
        };
        let mut end = LineCol {
            line: s.line,
            col: end.col.min(line_chars + 1).max(s.col),
        };
        if line_chars <= MAX_SHOWN_CHARS {
            return Location {
                path: path.to_string(),
                start: s,
                end,
                source_line: text[line_begin..line_end].to_string(),
                line_cut: 0,
            };
        }
        // A very long line (a minified page, a whole list on one line): show the span with
        // some context on either side, marked as cut with `…`.
        let first = s.col.saturating_sub(SHOWN_CONTEXT).max(1);
        let last = (end.col.max(s.col + 1) - 1 + SHOWN_CONTEXT)
            .min(line_chars)
            .min(first + MAX_SHOWN_CHARS - 1);
        end.col = end.col.min(last + 1);
        let start = crate::source::floor_char_boundary(text, start.min(line_end));
        let from = match s.col - first {
            0 => start,
            back => text[line_begin..start]
                .char_indices()
                .rev()
                .nth(back - 1)
                .map_or(line_begin, |(i, _)| line_begin + i),
        };
        let to = text[start..line_end]
            .char_indices()
            .nth(last + 1 - s.col)
            .map_or(line_end, |(i, _)| start + i);
        let mut shown = String::with_capacity(to - from + 8);
        if first > 1 {
            shown.push('…');
        }
        shown.push_str(&text[from..to]);
        if last < line_chars {
            shown.push('…');
        }
        Location {
            path: path.to_string(),
            start: s,
            end,
            source_line: shown,
            line_cut: if first > 1 { first - 2 } else { 0 },
        }
    }

    /// A location naming only a file (for problems that concern the file as a whole).
    pub fn file(path: &str) -> Location {
        Location {
            path: path.to_string(),
            start: LineCol { line: 1, col: 1 },
            end: LineCol { line: 1, col: 1 },
            source_line: String::new(),
            line_cut: 0,
        }
    }
}

/// A secondary place that explains the primary one (e.g. the first definition of a duplicate id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// Where, if anywhere.
    pub location: Option<Location>,
    /// What to say there.
    pub message: String,
}

/// One problem found in the site's input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable machine-readable code, e.g. `unknown-group`.
    pub code: &'static str,
    /// One-line summary.
    pub message: String,
    /// Where the problem is (boxed to keep `Result<_, Diagnostic>` small).
    pub location: Option<Box<Location>>,
    /// Short label under the caret.
    pub label: String,
    /// Further places and remarks.
    pub notes: Vec<Note>,
    /// A suggestion, e.g. "did you mean `jnim`?" (a `Box<str>` so that a `Diagnostic` stays
    /// under clippy's `result_large_err` limit).
    pub help: Option<Box<str>>,
}

impl Diagnostic {
    /// An error with a message; add a location and label with the builder methods.
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            label: String::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    /// A warning with a message.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Sets the primary location and its label.
    pub fn at(mut self, location: Location, label: impl Into<String>) -> Diagnostic {
        self.location = Some(Box::new(location));
        self.label = label.into();
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into().into_boxed_str());
        self
    }

    /// Adds a note, optionally at another place.
    pub fn note(mut self, location: Option<Location>, message: impl Into<String>) -> Diagnostic {
        self.notes.push(Note {
            location,
            message: message.into(),
        });
        self
    }

    fn sort_key(&self) -> (String, usize, usize, Severity, String) {
        let (p, l, c) = match &self.location {
            Some(loc) => (loc.path.clone(), loc.start.line, loc.start.col),
            None => (String::new(), 0, 0),
        };
        (p, l, c, self.severity, self.message.clone())
    }
}

/// A collection of diagnostics from one run, kept sorted by file and position.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Adds all of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// True when there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sorts by file, line, column so output is deterministic whatever the thread order.
    pub fn sort(&mut self) {
        self.0.sort_by_cached_key(Diagnostic::sort_key);
        self.0.dedup();
    }

    /// The summary line, e.g. `3 errors, 2 warnings in 2 files`.
    pub fn summary(&self) -> String {
        let mut files: Vec<&str> = self
            .0
            .iter()
            .filter_map(|d| d.location.as_ref().map(|l| l.path.as_str()))
            .collect();
        files.sort_unstable();
        files.dedup();
        let e = self.error_count();
        let w = self.warning_count();
        format!(
            "{} {}, {} {} in {} {}",
            e,
            plural(e, "error", "errors"),
            w,
            plural(w, "warning", "warnings"),
            files.len(),
            plural(files.len(), "file", "files")
        )
    }

    /// `check`'s last line: how many files it read, then the problems, each count with
    /// the number of files it is in when that is not plain from the count, e.g. `checked 12
    /// files: 3 errors (in 2 files), 1 warning`, or `checked 12 files: 0 errors, 0 warnings`.
    pub fn check_summary(&self, files_read: usize) -> String {
        let c = self.counts(files_read);
        let part = |n: usize, files: usize, one: &str, many: &str| {
            let mut s = format!("{n} {}", plural(n, one, many));
            // One problem is in one file; a count in as many files as problems still says
            // how many files to open.
            if n > 1 && files > 0 {
                s.push_str(&format!(" (in {files} {})", plural(files, "file", "files")));
            }
            s
        };
        format!(
            "checked {} {}: {}, {}",
            c.files,
            plural(c.files, "file", "files"),
            part(c.errors, c.files_with_errors, "error", "errors"),
            part(c.warnings, c.files_with_warnings, "warning", "warnings"),
        )
    }

    /// [`check_summary`](Self::check_summary) as one JSON object,
    /// `{"summary": {"files": …, "errors": …, "files_with_errors": …, "warnings": …,
    /// "files_with_warnings": …}}`, the last line of `check --format json`.
    pub fn check_summary_json(&self, files_read: usize) -> String {
        serde_json::json!({ "summary": self.counts(files_read) }).to_string()
    }

    fn counts(&self, files: usize) -> Counts {
        let files_with = |sev: Severity| {
            let mut f: Vec<&str> = self
                .0
                .iter()
                .filter(|d| d.severity == sev)
                .filter_map(|d| d.location.as_ref().map(|l| l.path.as_str()))
                .collect();
            f.sort_unstable();
            f.dedup();
            f.len()
        };
        Counts {
            files,
            errors: self.error_count(),
            files_with_errors: files_with(Severity::Error),
            warnings: self.warning_count(),
            files_with_warnings: files_with(Severity::Warning),
        }
    }

    /// Renders every diagnostic rustc-style, with colour when `color` is true.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&render_one(d, color));
            out.push('\n');
        }
        out
    }

    /// Renders every diagnostic as one JSON object per line.
    pub fn to_json_lines(&self) -> String {
        let mut out = String::new();
        for d in &self.0 {
            // Serialising plain data cannot fail.
            let _ = writeln!(out, "{}", serde_json::to_string(d).unwrap_or_default());
        }
        out
    }
}

/// What `check` read and found, for its summary line.
#[derive(Serialize)]
struct Counts {
    /// Files read.
    files: usize,
    errors: usize,
    /// Files with at least one error.
    files_with_errors: usize,
    warnings: usize,
    /// Files with at least one warning.
    files_with_warnings: usize,
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Renders one diagnostic through annotate-snippets.
pub fn render_one(d: &Diagnostic, color: bool) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    // Headers of snippets cut from a long line, as annotate-snippets writes them (counting
    // columns in the cut line) and as they must read.
    let mut fix_headers: Vec<(String, String)> = Vec::new();
    let mut cut = |loc: &Location| {
        if loc.line_cut > 0 {
            let at = |col: usize| format!("{}:{}:{col}", loc.path, loc.start.line);
            fix_headers.push((at(loc.start.col - loc.line_cut), at(loc.start.col)));
        }
        char_span_to_bytes(
            &loc.source_line,
            loc.start.col - loc.line_cut,
            loc.end.col - loc.line_cut,
        )
    };
    let mut title = Group::with_title(level.primary_title(d.message.as_str()));
    if let Some(loc) = &d.location {
        if loc.source_line.is_empty() {
            title = title.element(origin(loc));
        } else {
            let (s, e) = cut(loc);
            title = title.element(
                Snippet::source(loc.source_line.as_str())
                    .line_start(loc.start.line)
                    .path(loc.path.as_str())
                    .annotation(AnnotationKind::Primary.span(s..e).label(d.label.as_str())),
            );
        }
    }
    let mut groups = vec![title];
    for n in &d.notes {
        let mut g = Group::with_title(Level::NOTE.secondary_title(n.message.as_str()));
        if let Some(loc) = &n.location {
            if loc.source_line.is_empty() {
                g = g.element(origin(loc));
            } else {
                let (s, e) = cut(loc);
                g = g.element(
                    Snippet::source(loc.source_line.as_str())
                        .line_start(loc.start.line)
                        .path(loc.path.as_str())
                        .annotation(AnnotationKind::Context.span(s..e)),
                );
            }
        }
        groups.push(g);
    }
    if let Some(h) = &d.help {
        groups.push(Group::with_title(Level::HELP.secondary_title(&**h)));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    // A message about no place (a command-line argument) is lines of titles: rendered as one
    // report, annotate-snippets would draw an empty gutter line ` |` between them.
    let placeless = d.location.is_none() && d.notes.iter().all(|n| n.location.is_none());
    let mut s = if placeless {
        groups
            .iter()
            .map(|g| renderer.render(std::slice::from_ref(g)))
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        renderer.render(&groups)
    };
    for (wrong, right) in fix_headers {
        s = s.replacen(&format!("{wrong}\n"), &format!("{right}\n"), 1);
    }
    s.push('\n');
    s
}

/// A place with no text to show (a whole file, an empty line): `--> path:line:col`, which
/// editors and terminals can open like any other position.
fn origin(loc: &Location) -> annotate_snippets::Origin<'_> {
    annotate_snippets::Origin::path(loc.path.as_str())
        .line(loc.start.line)
        .char_column(loc.start.col)
}

fn char_span_to_bytes(line: &str, start_col: usize, end_col: usize) -> (usize, usize) {
    let byte_at = |col: usize| {
        line.char_indices()
            .nth(col.saturating_sub(1))
            .map_or(line.len(), |(i, _)| i)
    };
    let s = byte_at(start_col);
    let e = byte_at(end_col).max(s);
    if e == s && s < line.len() {
        let next = line[s..].chars().next().map_or(0, char::len_utf8);
        return (s, s + next);
    }
    (s, e)
}

/// Suggests the closest candidate to `word` when it is a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let mut d = edit_distance(word, c);
        let limit = (word.chars().count().max(c.chars().count()) / 3).max(1);
        // The same letters in another order (`jmin` for `jnim`) are a typo however far apart.
        if d > limit && is_anagram(word, c) {
            d = limit;
        }
        if d <= limit && best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// Turns serde's "unknown field `x`, expected one of `a`, `b`" into a "did you mean" line.
pub fn unknown_field_help(message: &str) -> Option<String> {
    // Below the root, serde_yaml puts the path first: `event_types[0]: unknown field …`.
    let at = message.find("unknown field `")?;
    let rest = &message[at + "unknown field `".len()..];
    let (word, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    match did_you_mean(word, expected.iter().copied()) {
        Some(s) => Some(format!("did you mean `{s}`?")),
        None if !expected.is_empty() => Some(format!(
            "allowed fields here: {}",
            expected
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        None => None,
    }
}

/// Work allowed to "did you mean" searches in one run, in character comparisons: enough
/// for every typo a person makes, bounded for a file written to hold 20,000 unknown ids
/// against 10,000 candidates (which would otherwise compare for hours).
#[derive(Debug)]
pub struct Budget(std::cell::Cell<u64>);

impl Budget {
    /// The budget of one `check` run: about a tenth of a second of comparisons.
    pub const RUN: u64 = 50_000_000;

    /// A budget of `n` comparisons.
    pub fn new(n: u64) -> Budget {
        Budget(std::cell::Cell::new(n))
    }

    /// Takes `n` from the budget; false (taking nothing) when less than `n` is left.
    pub fn spend(&self, n: u64) -> bool {
        let left = self.0.get();
        if left < n {
            self.0.set(0);
            return false;
        }
        self.0.set(left - n);
        true
    }

    /// Whether anything is left.
    pub fn left(&self) -> bool {
        self.0.get() > 0
    }
}

/// What a [`Suggester`] found for a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suggestion {
    /// The closest candidate.
    Found(String),
    /// No candidate is close.
    Nothing,
    /// The run's [`Budget`] was spent before this word could be compared.
    NotSearched,
}

/// [`did_you_mean`] over one set of candidates for many words, with the same answers but
/// bounded work: answers are cached per word, candidates whose length alone rules them out
/// are skipped, each comparison stops once it exceeds the best distance still useful, and
/// everything is paid from a [`Budget`].
#[derive(Debug)]
pub struct Suggester<'a> {
    candidates: Vec<(&'a str, Vec<char>)>,
    cache: std::collections::HashMap<String, Suggestion>,
}

impl<'a> Suggester<'a> {
    /// A suggester over `candidates`.
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Suggester<'a> {
        Suggester {
            candidates: candidates
                .into_iter()
                .map(|c| (c, c.chars().collect()))
                .collect(),
            cache: std::collections::HashMap::new(),
        }
    }

    /// The closest candidate to `word`, as [`did_you_mean`] would find it.
    pub fn suggest(&mut self, word: &str, budget: &Budget) -> Suggestion {
        if let Some(s) = self.cache.get(word) {
            return s.clone();
        }
        let w: Vec<char> = word.chars().collect();
        let mut best: Option<(usize, &str)> = None;
        for (c, cc) in &self.candidates {
            if !budget.spend(1) {
                return Suggestion::NotSearched;
            }
            let limit = (w.len().max(cc.len()) / 3).max(1);
            if w.len().abs_diff(cc.len()) > limit {
                continue;
            }
            if !budget.spend((w.len() * cc.len()) as u64) {
                return Suggestion::NotSearched;
            }
            let cap = best.map_or(limit, |(bd, _)| bd.min(limit));
            let d = match edit_distance_within(&w, cc, cap) {
                Some(d) => d,
                // The same letters in another order are a typo however far apart.
                None if w.len() == cc.len() && is_anagram(word, c) => limit,
                None => continue,
            };
            if d <= limit && best.is_none_or(|(bd, bc)| d < bd || (d == bd && *c < bc)) {
                best = Some((d, c));
            }
        }
        let s = match best {
            Some((_, c)) => Suggestion::Found(c.to_string()),
            None => Suggestion::Nothing,
        };
        self.cache.insert(word.to_string(), s.clone());
        s
    }
}

/// [`edit_distance`], or `None` as soon as it must exceed `cap`.
fn edit_distance_within(a: &[char], b: &[char], cap: usize) -> Option<usize> {
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 0..a.len() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for j in 0..b.len() {
            let cost = usize::from(a[i] != b[j]);
            let mut d = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                d = d.min(before[j - 1] + 1);
            }
            cur[j + 1] = d;
            row_min = row_min.min(d);
        }
        // Every later cell is at least the smallest of this row (or of the one before,
        // through a transposition).
        if row_min > cap && prev.iter().min().is_some_and(|&m| m > cap) {
            return None;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= cap).then_some(d)
}

fn is_anagram(a: &str, b: &str) -> bool {
    let sorted = |s: &str| {
        let mut v: Vec<char> = s.chars().collect();
        v.sort_unstable();
        v
    };
    a.chars().count() >= 3 && a != b && sorted(a) == sorted(b)
}

/// Edit distance in which swapping two neighbouring letters counts as one edit, as it is the
/// commonest typo (`jmin` for `jnim`); the "optimal string alignment" variant of Damerau.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows: two back (for transpositions), one back, current.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 0..a.len() {
        let mut cur = vec![i + 1; b.len() + 1];
        for j in 0..b.len() {
            let cost = usize::from(a[i] != b[j]);
            let mut d = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                d = d.min(before[j - 1] + 1);
            }
            cur[j + 1] = d;
        }
        before = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(
            did_you_mean("jnm", ["jnim", "aqim"]).as_deref(),
            Some("jnim")
        );
        assert_eq!(
            did_you_mean("casualites", ["casualties", "title"]).as_deref(),
            Some("casualties")
        );
        assert_eq!(did_you_mean("zzzz", ["jnim"]), None);
        assert_eq!(
            did_you_mean("jmin", ["jnim", "isgs"]).as_deref(),
            Some("jnim")
        );
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn a_very_long_line_is_shown_around_the_span_at_its_true_column() {
        // 40,000 group ids on one line: each of thousands of diagnostics on it used to copy
        // and print the whole line (quadratic in the line's length).
        let ids: Vec<String> = (0..40_000).map(|i| format!("g{i}é")).collect();
        let text = format!("---\ngroups: [{}]\n---\n", ids.join(", "));
        let index = LineIndex::new(&text);
        let off = text.find("g30000é").unwrap();
        let loc = Location::indexed("a.md", &text, &index, off, off + "g30000é".len());
        assert_eq!(loc.start, crate::source::line_col(&text, off));
        assert!(
            loc.source_line.chars().count() <= MAX_SHOWN_CHARS + 2,
            "{} characters shown",
            loc.source_line.chars().count()
        );
        assert!(loc.source_line.starts_with('…') && loc.source_line.ends_with('…'));
        let d = Diagnostic::error("unknown-group", "unknown group").at(loc.clone(), "here");
        let out = render_one(&d, false);
        assert!(
            out.contains(&format!("a.md:2:{}\n", loc.start.col)),
            "{out}"
        );
        assert!(out.contains("^^^^^^^ here"), "{out}");
        assert!(out.len() < 1000, "{out}");
        // At the start of the line nothing is cut on the left.
        let loc = Location::indexed("a.md", &text, &index, 4, 10);
        assert_eq!((loc.start.col, loc.line_cut), (1, 0));
        assert!(loc.source_line.starts_with("groups") && loc.source_line.ends_with('…'));
    }

    #[test]
    fn the_suggester_agrees_with_did_you_mean_at_bounded_cost() {
        let candidates = [
            "jnim",
            "aqim",
            "isgs",
            "al-mourabitoun",
            "ansar-dine",
            "mnla",
        ];
        let budget = Budget::new(Budget::RUN);
        let mut s = Suggester::new(candidates);
        for word in [
            "jnm",
            "jmin",
            "aqmi",
            "al-mourabitun",
            "zzzz",
            "ansardine",
            "",
            "a",
        ] {
            let want = did_you_mean(word, candidates);
            let got = match s.suggest(word, &budget) {
                Suggestion::Found(c) => Some(c),
                _ => None,
            };
            assert_eq!(got, want, "{word}");
        }
        // 2,000 distinct unknown ids against 5,000 candidates: 10 million comparisons of
        // 20-character ids unbounded; the budget stops the search and says so.
        let ids: Vec<String> = (0..5000)
            .map(|i| format!("2017-06-18-place-{i:05}"))
            .collect();
        let mut s = Suggester::new(ids.iter().map(String::as_str));
        let budget = Budget::new(5_000_000);
        let mut not_searched = 0;
        for i in 0..2000 {
            if s.suggest(&format!("1999-01-01-other-{i:05}x"), &budget) == Suggestion::NotSearched {
                not_searched += 1;
            }
        }
        assert!(!budget.left());
        assert!(not_searched > 1900, "{not_searched}");
        // The same word again costs nothing.
        let budget = Budget::new(5_000_000);
        let mut s = Suggester::new(ids.iter().map(String::as_str));
        let first = s.suggest("2017-06-18-place-0001x", &budget);
        let want = did_you_mean("2017-06-18-place-0001x", ids.iter().map(String::as_str));
        assert_eq!(first, Suggestion::Found(want.unwrap()));
        let left = budget.0.get();
        assert_eq!(s.suggest("2017-06-18-place-0001x", &budget), first);
        assert_eq!(budget.0.get(), left);
    }

    #[test]
    fn renders_like_rustc() {
        let text = "---\ntitle: x\ngroups: [jnm]\n---\n";
        let off = text.find("jnm").unwrap();
        let d = Diagnostic::error("unknown-group", "unknown group `jnm` in `groups`")
            .at(
                Location::new("content/incidents/a.md", text, off, off + 3),
                "no group with this id",
            )
            .help("did you mean `jnim`?");
        let out = render_one(&d, false);
        assert!(out.contains("content/incidents/a.md:3:10"), "{out}");
        assert!(out.contains("^^^ no group with this id"), "{out}");
        assert!(out.contains("did you mean `jnim`?"), "{out}");
    }
}
