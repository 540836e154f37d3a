//! Every call into a YAML library lives here, so that the YAML crate can be swapped in one
//! place (as it was: `serde_yaml` is now the YAML organisation's maintained fork `yaml_serde`,
//! renamed in Cargo.toml; serde_yaml itself is archived upstream).
//!
//! Valid content goes through serde_yaml only. Spans for semantic errors come from saphyr's
//! marked nodes, parsed again only on the error path (issue 3: valid content pays nothing
//! for precise positions).

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::source::offset_of;

/// What kind of problem a [`YamlError`] is, recovered from serde_yaml's message so that
/// callers can word and place each kind well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The text is not YAML (libyaml's scanner or parser gave up).
    Syntax,
    /// The document nests deeper than [`MAX_DEPTH`].
    TooDeep,
    /// The document uses more than [`MAX_ALIASES`] aliases, or its aliases would expand it
    /// beyond [`MAX_EXPANDED_BYTES`].
    AliasLimit,
    /// The text holds a character YAML does not allow (a control character).
    ControlCharacter,
    /// A mapping has a key the record does not know.
    UnknownField {
        /// The key as written.
        field: String,
        /// The keys allowed in that mapping.
        expected: Vec<String>,
    },
    /// A mapping has the same key twice.
    DuplicateField {
        /// The key.
        field: String,
    },
    /// A mapping lacks a key the record needs.
    MissingField {
        /// The key that is missing.
        field: String,
    },
    /// A value has the wrong YAML type.
    WrongType {
        /// What was found, e.g. `string "north"`.
        found: String,
        /// What was expected, e.g. `f64`.
        expected: String,
    },
    /// Anything else a deserializer rejected (e.g. a negative casualty figure).
    Invalid,
}

/// A YAML parse or type error with its position (relative to the YAML text given).
#[derive(Debug, Clone)]
pub struct YamlError {
    /// The parser's message with the position removed, e.g.
    /// `location.lat: invalid type: string "north", expected f64`.
    pub message: String,
    /// Byte offset in the YAML text, if the parser knew it.
    pub offset: Option<usize>,
    /// The message without serde_yaml's path prefix.
    pub detail: String,
    /// serde_yaml's path to the value in error (`incidents[1].location`), empty at the root.
    pub path: String,
    /// What the parser was doing, and where it started doing it
    /// (e.g. `while parsing a flow sequence` at the `[`), for syntax errors.
    pub context: Option<(String, Option<usize>)>,
    /// The kind of problem.
    pub kind: ErrorKind,
    /// Where to point, when the error was placed already (by [`from_str_collecting`], which
    /// sees the text it parsed): the unknown key, the value of the wrong type, the second of
    /// two equal keys.
    pub span: Option<(usize, usize)>,
    /// For a duplicate key: the first of the two.
    pub first: Option<(usize, usize)>,
}

/// Deepest nesting a content file may have; deeper documents are rejected before parsing
/// so that hostile input cannot exhaust the stack.
pub const MAX_DEPTH: usize = 64;

/// Most aliases (`*name`) one YAML text may use: honest content repeats a source or a
/// location with an alias now and then, never thousands of times.
pub const MAX_ALIASES: usize = 10_000;

/// Largest size (in bytes of scalar text, plus one per node) a YAML text may reach once
/// every alias is replaced by what it names: twice the largest content file. Without it a
/// 2 MB file aliasing a 2 MB string 20,000 times expands to 40 GB in the parser.
pub const MAX_EXPANDED_BYTES: u64 = 16 * 1024 * 1024;

/// Parses `text` into `T`, or explains where and why it could not.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Box<YamlError>> {
    guard(text)?;
    serde_yaml::from_str(text).map_err(|e| Box::new(convert(text, &e)))
}

/// Refuses, before any parser builds anything, a text that nests deeper than [`MAX_DEPTH`]
/// or whose aliases exceed [`MAX_ALIASES`] or [`MAX_EXPANDED_BYTES`].
fn guard(text: &str) -> Result<(), Box<YamlError>> {
    let refuse = |kind: ErrorKind, message: String, offset: usize| {
        Err(Box::new(YamlError {
            detail: message.clone(),
            message,
            offset: Some(offset),
            path: String::new(),
            context: None,
            kind,
            span: None,
            first: None,
        }))
    };
    if let Some(offset) = too_deep(text) {
        return refuse(
            ErrorKind::TooDeep,
            format!("YAML nested more than {MAX_DEPTH} levels deep"),
            offset,
        );
    }
    match alias_excess(text) {
        Some(Excess::Count(offset)) => refuse(
            ErrorKind::AliasLimit,
            format!("more than {MAX_ALIASES} YAML aliases in one file"),
            offset,
        ),
        Some(Excess::Size(offset)) => refuse(
            ErrorKind::AliasLimit,
            format!(
                "YAML aliases expand this file beyond {} MB",
                MAX_EXPANDED_BYTES / (1024 * 1024)
            ),
            offset,
        ),
        None => Ok(()),
    }
}

/// Which alias limit a text exceeds, at the byte offset of the alias that crossed it.
enum Excess {
    Count(usize),
    Size(usize),
}

/// Walks the parser's events once, counting aliases and the size each anchored node would
/// have once expanded (an anchor holding aliases counts what they name), and stops at the
/// first alias that crosses a limit. A text with no `&` or no `*` has no alias to expand and
/// is not walked at all. Syntax errors end the walk: the parsers report them.
fn alias_excess(text: &str) -> Option<Excess> {
    use saphyr_parser::{Event, Parser};

    if !text.contains('&') || !text.contains('*') {
        return None;
    }
    let mut anchors: std::collections::HashMap<usize, u64> = std::collections::HashMap::new();
    // Open collections: anchor id and expanded size so far.
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut total: u64 = 0;
    let mut aliases = 0usize;
    let at =
        |span: saphyr_parser::Span| crate::source::char_index_to_byte(text, span.start.index());
    for event in Parser::new_from_str(text) {
        let Ok((event, span)) = event else {
            return None;
        };
        let (anchor, size) = match event {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                open.push((anchor, 1));
                total += 1;
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some((anchor, size)) = open.pop() else {
                    continue;
                };
                if anchor > 0 {
                    anchors.insert(anchor, size);
                }
                if let Some(parent) = open.last_mut() {
                    parent.1 = parent.1.saturating_add(size);
                }
                continue;
            }
            Event::Scalar(value, _, anchor, _) => {
                let size = value.len() as u64 + 1;
                total = total.saturating_add(size);
                (anchor, size)
            }
            Event::Alias(id) => {
                aliases += 1;
                if aliases > MAX_ALIASES {
                    return Some(Excess::Count(at(span)));
                }
                let size = anchors.get(&id).copied().unwrap_or(1);
                total = total.saturating_add(size);
                if total > MAX_EXPANDED_BYTES {
                    return Some(Excess::Size(at(span)));
                }
                (0, size)
            }
            _ => continue,
        };
        if anchor > 0 {
            anchors.insert(anchor, size);
        }
        if let Some(parent) = open.last_mut() {
            parent.1 = parent.1.saturating_add(size);
        }
    }
    None
}

/// Serialises a value to YAML (for files that briefwerk writes, e.g. `new` and `import`).
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

/// Splits serde_yaml's one-line message into its parts. Its shape is
/// `[path: ]message[ at line L column C][, context[ at line L column C]]`, and the position
/// suffix is left out when the mark is at line 1 column 1.
fn convert(text: &str, e: &serde_yaml::Error) -> YamlError {
    let full = e.to_string();
    let loc = e.location();
    let offset = loc.as_ref().map(|l| offset_of(text, l.line(), l.column()));
    let (mut problem, mut rest) = (full.as_str(), "");
    if let Some(l) = &loc {
        let suffix = format!(" at line {} column {}", l.line(), l.column());
        if let Some(i) = full.find(&suffix) {
            problem = &full[..i];
            rest = &full[i + suffix.len()..];
        }
    }
    if rest.is_empty()
        && let Some(i) = problem.find(", while ")
    {
        rest = &problem[i..];
        problem = &problem[..i];
    }
    if let Some(i) = problem.find(" at position ") {
        problem = &problem[..i];
    }
    let context = rest.strip_prefix(", ").map(|c| match c.rfind(" at line ") {
        Some(i) => {
            let mark = parse_line_col(&c[i + " at line ".len()..]);
            (
                c[..i].to_string(),
                mark.map(|(l, col)| offset_of(text, l, col)),
            )
        }
        None => (c.to_string(), None),
    });
    let (path, detail) = split_path(problem);
    // libyaml refuses a control character where its reader stops, far from the character;
    // point at the character itself.
    if detail.starts_with("control characters are not allowed")
        && let Some((at, c)) = text.char_indices().find(|&(_, c)| !allowed_in_yaml(c))
    {
        let detail = format!(
            "control character U+{:04X} is not allowed in YAML",
            c as u32
        );
        return YamlError {
            message: detail.clone(),
            detail,
            offset: Some(at),
            path: String::new(),
            context: None,
            kind: ErrorKind::ControlCharacter,
            span: None,
            first: None,
        };
    }
    // serde_yaml shows libyaml's own errors (the scanner's and parser's) as a struct in
    // `Debug`, and every other error as a tuple; that is the one way to tell them apart.
    let from_libyaml = format!("{e:?}").starts_with("Error {");
    YamlError {
        message: problem.to_string(),
        offset,
        detail: detail.to_string(),
        path: path.to_string(),
        kind: kind_of(detail, from_libyaml),
        context,
        span: None,
        first: None,
    }
}

/// Characters YAML allows in a text (libyaml's `IS_PRINTABLE`): tab, line breaks,
/// printable ASCII, NEL, and the rest of Unicode but for C1 controls, surrogates and
/// U+FFFE/U+FFFF.
pub fn allowed_in_yaml(c: char) -> bool {
    matches!(c as u32,
        0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0x85 | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

fn parse_line_col(s: &str) -> Option<(usize, usize)> {
    let (l, c) = s.split_once(" column ")?;
    Some((l.trim().parse().ok()?, c.trim().parse().ok()?))
}

/// serde_yaml prefixes errors below the root with the path of the value, e.g.
/// `incidents[1].location.country: invalid type …`. Paths are made of field names and
/// indices only, so a prefix with a space in it is part of the message instead.
fn split_path(message: &str) -> (&str, &str) {
    if let Some((p, rest)) = message.split_once(": ")
        && !p.is_empty()
        && p.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'[' | b']' | b'?')
        })
    {
        return (p, rest);
    }
    ("", message)
}

fn kind_of(detail: &str, from_libyaml: bool) -> ErrorKind {
    let ticked = |s: &str| -> Vec<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    if let Some(rest) = detail.strip_prefix("duplicate field `")
        && let Some((field, _)) = rest.split_once('`')
    {
        return ErrorKind::DuplicateField {
            field: field.to_string(),
        };
    }
    if let Some(rest) = detail.strip_prefix("unknown field `")
        && let Some((field, expected)) = rest.split_once('`')
    {
        return ErrorKind::UnknownField {
            field: field.to_string(),
            expected: ticked(expected),
        };
    }
    if let Some(rest) = detail.strip_prefix("missing field `")
        && let Some((field, _)) = rest.split_once('`')
    {
        return ErrorKind::MissingField {
            field: field.to_string(),
        };
    }
    if let Some(rest) = detail.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.rsplit_once(", expected ")
    {
        return ErrorKind::WrongType {
            found: found.to_string(),
            expected: expected.to_string(),
        };
    }
    if detail == "recursion limit exceeded" {
        return ErrorKind::TooDeep;
    }
    if from_libyaml || is_syntax_message(detail) {
        return ErrorKind::Syntax;
    }
    ErrorKind::Invalid
}

/// Errors of serde_yaml itself (not libyaml's) that concern the YAML rather than a field.
fn is_syntax_message(detail: &str) -> bool {
    [
        "EOF while parsing",
        "deserializing from YAML containing more than one document",
        "unknown anchor",
        "repetition limit exceeded",
        "empty YAML tag",
        "failed to parse YAML number",
    ]
    .iter()
    .any(|p| detail.starts_with(p))
}

/// A conservative (never too small) estimate of the nesting depth of `text`, as the offset
/// where it first exceeds [`MAX_DEPTH`]. Flow collections are counted by their brackets;
/// block collections by indentation and by the `- `, `? ` and `: ` indicators that can
/// open a nested collection on the same line.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let indicators = line
            .as_bytes()
            .windows(2)
            .filter(|w| matches!(w, [b'-' | b'?' | b':', b' ']))
            .count();
        if indent + indicators * 2 > MAX_DEPTH * 4 {
            return Some(offset + indent);
        }
        offset += line.len();
    }
    None
}

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A mapping key.
    Key(&'static str),
    /// A sequence index.
    Index(usize),
}

/// What part of the node at a path to point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The value.
    Value,
    /// The key naming the value (for "unknown field" and "duplicate" errors).
    Key,
}

/// A step of a path with a borrowed key, so that paths read from error messages work too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// What [`walk`] found.
struct Found {
    /// Span (in characters) of the deepest node reached.
    node: (usize, usize),
    /// Span of the key naming it, when it is a mapping value.
    key: Option<(usize, usize)>,
    /// Whether the whole path was found.
    complete: bool,
}

/// Finds the byte span of the node at `path` in `text`; falls back to the deepest ancestor
/// found, so an error always points somewhere near its cause. Parses `text` each time: to
/// place many errors in one file, parse it once with [`Tree::parse`].
pub fn locate(text: &str, path: &[Seg], part: Part) -> Option<(usize, usize)> {
    Tree::parse(text)?.locate(path, part)
}

/// Like [`locate`], but only when every step of `path` exists (e.g. to tell `title:` with
/// no value from no `title` at all).
pub fn locate_exact(text: &str, path: &[Seg], part: Part) -> Option<(usize, usize)> {
    Tree::parse(text)?.locate_exact(path, part)
}

/// A YAML text parsed once with positions (saphyr's marked nodes), to place any number of
/// errors in it. Only made on the error path; a list file with thousands of bad records is
/// parsed once, not once per record (that was quadratic: minutes for a 1 MB file).
pub struct Tree<'a> {
    text: &'a str,
    docs: Vec<saphyr::MarkedYaml<'a>>,
    /// Byte offset of every [`CHUNK`]th character: saphyr counts characters, we slice bytes.
    checkpoints: Vec<usize>,
}

const CHUNK: usize = 256;

impl<'a> Tree<'a> {
    /// Parses `text`; `None` when it is not YAML or nests too deeply to walk safely.
    pub fn parse(text: &'a str) -> Option<Tree<'a>> {
        // Guard the tree as the parse is guarded: a deep tree is dropped recursively, and
        // aliases are expanded by copying.
        if guard(text).is_err() {
            return None;
        }
        let docs = load_marked(text)?;
        let checkpoints = text.char_indices().step_by(CHUNK).map(|(i, _)| i).collect();
        Some(Tree {
            text,
            docs,
            checkpoints,
        })
    }

    /// See [`locate`].
    pub fn locate(&self, path: &[Seg], part: Part) -> Option<(usize, usize)> {
        let steps: Vec<Step<'_>> = path.iter().map(to_step).collect();
        let found = self.walk(&steps)?;
        Some(self.span_of(&found, part))
    }

    /// See [`locate_exact`].
    pub fn locate_exact(&self, path: &[Seg], part: Part) -> Option<(usize, usize)> {
        let steps: Vec<Step<'_>> = path.iter().map(to_step).collect();
        let found = self.walk(&steps)?;
        found.complete.then(|| self.span_of(&found, part))
    }

    /// Byte offset of the `n`th character.
    fn byte(&self, n: usize) -> usize {
        let Some(&base) = self.checkpoints.get(n / CHUNK) else {
            return self.text.len();
        };
        self.text[base..]
            .char_indices()
            .nth(n % CHUNK)
            .map_or(self.text.len(), |(i, _)| base + i)
    }

    fn walk(&self, path: &[Step<'_>]) -> Option<Found> {
        use saphyr::{MarkedYaml, YamlData};

        let mut node = self.docs.first()?;
        let span = |n: &MarkedYaml<'_>| (n.span.start.index(), n.span.end.index());
        let mut key = None;
        let mut complete = true;
        for step in path {
            let next = match (&node.data, step) {
                (YamlData::Mapping(map), Step::Key(k)) => map
                    .iter()
                    .find_map(|(kn, v)| (scalar_str(kn) == Some(*k)).then_some((kn, v))),
                (YamlData::Sequence(seq), Step::Index(i)) => seq.get(*i).map(|v| (v, v)),
                _ => None,
            };
            match next {
                Some((k, v)) => {
                    key = Some(span(k));
                    node = v;
                }
                None => {
                    complete = false;
                    break;
                }
            }
        }
        Some(Found {
            node: span(node),
            key,
            complete,
        })
    }

    /// Turns a character span into a byte span on one line, without trailing blanks.
    fn span_of(&self, found: &Found, part: Part) -> (usize, usize) {
        let text = self.text;
        let (s, e) = match part {
            Part::Key => found.key.unwrap_or(found.node),
            Part::Value => found.node,
        };
        let start = self.byte(s);
        let mut end = self.byte(e).max(start);
        // Block collections end at the start of the next line; keep the caret on the first line.
        if let Some(nl) = text[start..end].find('\n') {
            end = start + nl;
        }
        // saphyr ends a flow collection's span before its closing bracket; take the bracket too.
        let closer = match text[start..].chars().next() {
            Some('[') => Some(']'),
            Some('{') => Some('}'),
            _ => None,
        };
        if let Some(c) = closer
            && text[end..].starts_with(c)
            && !text[start..end].contains('\n')
        {
            end += 1;
        }
        let trimmed = text[start..end].trim_end();
        (start, start + trimmed.len())
    }
}

/// Parses `text` into marked nodes, accepting a key given twice (the later value wins) so
/// that a duplicate, reported on its own, does not hide the positions of everything else.
fn load_marked(text: &str) -> Option<Vec<saphyr::MarkedYaml<'_>>> {
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    let mut loader = saphyr::YamlLoader::<saphyr::MarkedYaml<'_>>::default();
    loader.allow_duplicate_keys(true);
    parser.load(&mut loader, true).ok()?;
    if loader.error().is_some() {
        return None;
    }
    Some(loader.into_documents())
}

impl<'a> Tree<'a> {
    /// Byte range to blank out to remove the node at `path` from its parent: the whole
    /// `key: value` entry of a mapping (with a `,` after it in a flow mapping), or the whole
    /// item of a sequence (with its `- `, or a `,` after it). `None` at the root, or when the
    /// path is not there.
    fn removal(&self, path: &[Step<'_>]) -> Option<std::ops::Range<usize>> {
        use saphyr::MarkedYaml;

        let (last, parent_path) = path.split_last()?;
        let mut node = self.docs.first()?;
        for step in parent_path {
            node = self.child(node, step)?.1;
        }
        let flow = |n: &MarkedYaml<'_>| {
            let at = self.byte(n.span.start.index());
            self.text[at..].starts_with(['[', '{'])
        };
        let end_of = |n: &MarkedYaml<'_>| {
            let s = self.byte(n.span.start.index());
            let mut e = self.byte(n.span.end.index()).max(s);
            // saphyr ends a flow collection before its closing bracket.
            let closer = match self.text[s..].chars().next() {
                Some('[') => Some(']'),
                Some('{') => Some('}'),
                _ => None,
            };
            if let Some(c) = closer
                && self.text[e..].starts_with(c)
            {
                e += 1;
            }
            (s, e)
        };
        let (key, value) = self.child(node, last)?;
        let parent_is_flow = flow(node);
        let (vs, ve) = end_of(value);
        let mut start = match (last, key) {
            (Step::Key(_), Some(k)) => self.byte(k.span.start.index()),
            _ => vs,
        };
        // An empty value (`title:`) has no extent of its own: end with the key's line.
        let mut end = if ve == vs && matches!(last, Step::Key(_)) {
            start
                + self.text[start..]
                    .find(['\n', '\r'])
                    .unwrap_or(self.text.len() - start)
        } else {
            ve
        };
        if parent_is_flow {
            let rest = &self.text[end..];
            let gap = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
            if rest[gap..].starts_with(',') {
                end += gap + 1;
            }
        } else if matches!(last, Step::Index(_)) {
            // A block sequence item: take its `- ` too, or an empty `-` item remains.
            let before = &self.text[..start];
            let trimmed = before.trim_end_matches([' ', '\t']);
            if trimmed.ends_with('-') {
                start = trimmed.len() - 1;
            }
        }
        Some(start..end.max(start))
    }

    /// The key (for a mapping entry) and value node at one step below `node`.
    fn child<'n>(
        &self,
        node: &'n saphyr::MarkedYaml<'a>,
        step: &Step<'_>,
    ) -> Option<(
        Option<&'n saphyr::MarkedYaml<'a>>,
        &'n saphyr::MarkedYaml<'a>,
    )> {
        use saphyr::YamlData;
        match (&node.data, *step) {
            (YamlData::Mapping(map), Step::Key(k)) => map
                .iter()
                .find_map(|(kn, v)| (scalar_str(kn) == Some(k)).then_some((Some(kn), v))),
            (YamlData::Sequence(seq), Step::Index(i)) => seq.get(i).map(|v| (None, v)),
            _ => None,
        }
    }
}

/// Most field errors reported for one record. Each costs a parse of the record, so a record
/// written to produce a million errors costs fifty parses; a person fixes the first few and
/// runs `check` again anyway.
pub const MAX_ERRORS_PER_RECORD: usize = 50;

/// Most bytes of one record parsed again to find its next error: a big record gets fewer
/// tries than [`MAX_ERRORS_PER_RECORD`] (an 8 MB front matter, eight).
pub const MAX_REPARSED_BYTES: usize = 64 * 1024 * 1024;

/// Something left out of a record because it was wrong (and reported), so that validation
/// does not report it again as missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// serde_yaml's path of what was left out, within the record, with list indices as
    /// written (`location.lat`, `groups[1]`).
    pub path: String,
    /// A misspelt key was left out of the mapping at `path` (it may have meant any field
    /// that now seems missing there).
    pub unknown_key: bool,
}

/// A record read field by field: every field error, and the record without the fields in
/// error, when what is left can be read.
#[derive(Debug)]
pub struct Collected<T> {
    /// The record without the fields in error; `None` when it could not be read at all (a
    /// syntax error: then `errors` holds that one error).
    pub value: Option<T>,
    /// Every problem found, each placed (`span`), with paths and list indices as written.
    pub errors: Vec<YamlError>,
    /// What was left out.
    pub dropped: Vec<Dropped>,
    /// Reading stopped at [`MAX_ERRORS_PER_RECORD`] errors or [`MAX_REPARSED_BYTES`]
    /// before the end of the errors: there may be more.
    pub truncated: bool,
}

/// Parses `text` into `T` like [`from_str`], but does not stop at the first wrong field:
/// each error's field (or list item) is blanked out of the text — spaces in place of its
/// bytes, so every other position stays where it was — and the rest parsed again, up to
/// [`MAX_ERRORS_PER_RECORD`] times. Errors that only follow from an earlier removal (a
/// list left empty) are not reported. Valid text costs one parse, as with [`from_str`].
pub fn from_str_collecting<T: DeserializeOwned>(text: &str) -> Collected<T> {
    collecting(text, MAX_ERRORS_PER_RECORD, MAX_REPARSED_BYTES)
}

/// [`from_str_collecting`] with its limits given.
fn collecting<T: DeserializeOwned>(
    text: &str,
    max_errors: usize,
    max_bytes: usize,
) -> Collected<T> {
    let mut e = match from_str::<T>(text) {
        Ok(v) => {
            return Collected {
                value: Some(v),
                errors: Vec::new(),
                dropped: Vec::new(),
                truncated: false,
            };
        }
        Err(e) => e,
    };
    let mut out = Collected {
        value: None,
        errors: Vec::new(),
        dropped: Vec::new(),
        truncated: false,
    };
    let tries = (max_bytes / text.len().max(1)).clamp(1, max_errors);
    // serde_yaml reads the events before a syntax error and may stop at a wrong type there
    // first (`{min: 2, max: 3` swallows the next line as `3 sources`): a text that is not
    // YAML at all is one error, the syntax error.
    if !is_fatal(&e.kind)
        && let Some(syntax) = syntax_error(text)
    {
        e = syntax;
    }
    if is_fatal(&e.kind) {
        out.errors.push(*e);
        return out;
    }
    let mut work = text.to_string();
    // Sequence items removed so far, as (path of the list as written, index as written):
    // serde_yaml numbers the items that are left.
    let mut removed: Vec<(String, usize)> = Vec::new();
    for _ in 0..max_errors * 2 {
        let Some(tree) = Tree::parse(&work) else {
            break;
        };
        let mut steps = parse_path(&e.path);
        let written = written_path(&steps, &removed);
        if let ErrorKind::UnknownField { field, .. } = &e.kind {
            steps.push(Step::Key(field));
        }
        let (range, dropped) = match &e.kind {
            ErrorKind::DuplicateField { .. } => {
                let Some((first, second)) = duplicate_keys(&work, &e) else {
                    break;
                };
                e.span = Some(second);
                e.first = Some(first);
                let end = entry_end(&work, second.0, &e);
                (second.0..end, None)
            }
            ErrorKind::UnknownField { .. } => {
                let Some(r) = tree.removal(&steps) else { break };
                e.span = locate_error_in(&tree, &work, &e);
                let mapping = written_path(&steps[..steps.len() - 1], &removed);
                (
                    r,
                    Some(Dropped {
                        path: mapping,
                        unknown_key: true,
                    }),
                )
            }
            ErrorKind::MissingField { .. } | ErrorKind::WrongType { .. } | ErrorKind::Invalid => {
                let Some(r) = tree.removal(&steps) else { break };
                e.span = locate_error_in(&tree, &work, &e);
                if let Some(Step::Index(i)) = steps.last() {
                    let list = written_path(&steps[..steps.len() - 1], &removed);
                    let at = original_index(&list, *i, &removed);
                    removed.push((list, at));
                }
                (
                    r,
                    Some(Dropped {
                        path: written.clone(),
                        unknown_key: false,
                    }),
                )
            }
            _ => break,
        };
        if !work[range.clone()]
            .bytes()
            .any(|b| !b.is_ascii_whitespace())
        {
            break; // nothing left to remove: do not loop
        }
        // An error at a list or mapping that lost its last entry to an earlier removal is
        // that removal's consequence.
        let consequence = !matches!(e.kind, ErrorKind::UnknownField { .. })
            && !written.is_empty()
            && out.dropped.iter().any(|d| is_within(&d.path, &written));
        if !consequence {
            if out.errors.len() == tries {
                out.truncated = true;
                out.value = None;
                return out;
            }
            if e.path != written && !e.path.is_empty() {
                e.message = e.message.replacen(&e.path, &written, 1);
                e.path = written;
            }
            out.errors.push(*e.clone());
        }
        drop(tree);
        blank(&mut work, range);
        out.dropped.extend(dropped);
        let next = if work.trim().is_empty() {
            from_str::<T>("{}")
        } else {
            from_str::<T>(&work)
        };
        match next {
            Ok(v) => {
                out.value = Some(v);
                return out;
            }
            Err(next) if is_fatal(&next.kind) => return out,
            Err(next) => e = next,
        }
    }
    if out.errors.is_empty() {
        out.errors.push(*e);
    }
    out
}

/// Errors about the text as a whole, after which no field can be trusted.
fn is_fatal(kind: &ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::Syntax
            | ErrorKind::TooDeep
            | ErrorKind::AliasLimit
            | ErrorKind::ControlCharacter
    )
}

impl ErrorKind {
    /// Whether the error concerns the text as a whole (syntax, nesting, aliases, control
    /// characters): then no field of it can be read.
    pub fn is_fatal(&self) -> bool {
        is_fatal(self)
    }
}

/// The syntax error of `text`, if it is not YAML at all. serde_yaml reads the events before
/// a syntax error and may stop at a wrong type among them first; this finds the real cause.
pub fn syntax_error(text: &str) -> Option<Box<YamlError>> {
    from_str::<serde::de::IgnoredAny>(text).err()
}

/// The keys of the mapping at the root of `text`, each with its span.
pub fn root_keys(text: &str) -> Vec<(String, (usize, usize))> {
    use saphyr::YamlData;

    let Some(tree) = Tree::parse(text) else {
        return Vec::new();
    };
    let Some(YamlData::Mapping(map)) = tree.docs.first().map(|d| &d.data) else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(k, _)| {
            let s = tree.byte(k.span.start.index());
            let e = tree.byte(k.span.end.index());
            scalar_str(k).map(|name| (name.to_string(), (s, e)))
        })
        .collect()
}

/// An "unknown field" error for `key` at `span`, as the parser would give it.
pub fn unknown_key(key: &str, expected: &[&str], span: (usize, usize)) -> YamlError {
    let list = expected
        .iter()
        .map(|x| format!("`{x}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let detail = format!("unknown field `{key}`, expected {list}");
    YamlError {
        message: detail.clone(),
        detail,
        offset: Some(span.0),
        path: String::new(),
        context: None,
        kind: ErrorKind::UnknownField {
            field: key.to_string(),
            expected: expected.iter().map(|x| x.to_string()).collect(),
        },
        span: Some(span),
        first: None,
    }
}

/// Replaces every byte in `range` but line breaks by a space: the text keeps its length,
/// its lines and every other offset.
fn blank(text: &mut String, range: std::ops::Range<usize>) {
    let blanked: String = text[range.clone()]
        .bytes()
        .map(|b| {
            if b == b'\n' || b == b'\r' {
                b as char
            } else {
                ' '
            }
        })
        .collect();
    text.replace_range(range, &blanked);
}

/// serde_yaml's way of writing `path` (`groups[1].id`).
pub fn written(path: &[Seg]) -> String {
    let steps: Vec<Step<'_>> = path.iter().map(to_step).collect();
    written_path(&steps, &[])
}

/// Whether the `{` or `[` at byte `open` of `text` is closed anywhere after it: brackets
/// are counted and quoted text and comments skipped, reading on past the line (a flow
/// collection may span lines) to the end of the text.
pub fn flow_closes(text: &str, open: usize) -> bool {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    let mut chars = text[open..].chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some('\''), '\'') if chars.peek() == Some(&'\'') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if matches!(prev, ' ' | '\t' | '\n' | ',' | '[' | '{' | ':') => {
                quote = Some(c);
            }
            (None, '#') if prev.is_whitespace() => {
                // A comment runs to the end of the line.
                for n in chars.by_ref() {
                    if n == '\n' {
                        break;
                    }
                }
                prev = '\n';
                continue;
            }
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return true;
                }
            }
            _ => {}
        }
        prev = c;
    }
    false
}

/// True when `inner` is `outer` or lies below it (`groups[0].id` within `groups`).
fn is_within(inner: &str, outer: &str) -> bool {
    inner == outer || (inner.starts_with(outer) && inner[outer.len()..].starts_with(['.', '[']))
}

/// The index as written of item `i` of the list at `list`, some of whose items were removed.
fn original_index(list: &str, i: usize, removed: &[(String, usize)]) -> usize {
    let mut gone: Vec<usize> = removed
        .iter()
        .filter(|(l, _)| l == list)
        .map(|(_, k)| *k)
        .collect();
    gone.sort_unstable();
    let mut at = i;
    for k in gone {
        if k <= at {
            at += 1;
        }
    }
    at
}

/// serde_yaml's path for `steps` with list indices as written.
fn written_path(steps: &[Step<'_>], removed: &[(String, usize)]) -> String {
    let mut path = String::new();
    for step in steps {
        match step {
            Step::Key(k) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Step::Index(i) => {
                let at = original_index(&path, *i, removed);
                path.push_str(&format!("[{at}]"));
            }
        }
    }
    path
}

/// Where the value of the key at `key_start` ends, found in the text: a key given twice is
/// not in the tree. In a flow mapping, at the next `,` or closing bracket of its level (the
/// `,` included); in a block mapping, before the next line indented no deeper than the key.
fn entry_end(text: &str, key_start: usize, e: &YamlError) -> usize {
    let flow = e
        .offset
        .is_some_and(|o| text[o.min(text.len())..].starts_with('{'));
    if flow {
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        for (i, c) in text[key_start..].char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '{') => depth += 1,
                (None, ']' | '}') if depth == 0 => return key_start + i,
                (None, ']' | '}') => depth -= 1,
                (None, ',') if depth == 0 => return key_start + i + 1,
                _ => {}
            }
        }
        return text.len();
    }
    let line_start = text[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let indent = key_start - line_start;
    let mut offset = text[key_start..]
        .find('\n')
        .map_or(text.len(), |i| key_start + i + 1);
    while offset < text.len() {
        let line = &text[offset..];
        let line = &line[..line.find('\n').map_or(line.len(), |i| i + 1)];
        let body = line.trim_start_matches(' ');
        let blank = body.trim().is_empty() || body.starts_with('#');
        if !blank && line.len() - body.len() <= indent {
            break;
        }
        offset += line.len();
    }
    offset
}

/// [`locate_error`] with a tree of `text` already parsed.
fn locate_error_in(tree: &Tree<'_>, text: &str, e: &YamlError) -> Option<(usize, usize)> {
    let mut steps = parse_path(&e.path);
    if let ErrorKind::UnknownField { field, .. } = &e.kind {
        steps.push(Step::Key(field));
    }
    let part = match e.kind {
        ErrorKind::UnknownField { .. } => Part::Key,
        _ => Part::Value,
    };
    let found = tree.walk(&steps)?;
    if found.complete {
        return Some(tree.span_of(&found, part));
    }
    let off = e.offset?.min(text.len());
    let len = text[off..].chars().next().map_or(0, char::len_utf8);
    Some((off, off + len))
}

/// Each item of the list under `key` at the root of `text` (a list file's `incidents:`), as a
/// text of its own that reads as that item alone — the part of its first line before it
/// blanked out — with the byte offset of that text in `text`. `None` when `text` has no
/// such list.
pub fn list_items(text: &str, key: &str) -> Option<Vec<(usize, String)>> {
    use saphyr::YamlData;

    let tree = Tree::parse(text)?;
    let root = tree.docs.first()?;
    let (_, list) = tree.child(root, &Step::Key(key))?;
    let YamlData::Sequence(items) = &list.data else {
        return None;
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let s = tree.byte(item.span.start.index());
        let mut e = tree.byte(item.span.end.index()).max(s);
        let closes = (text[s..].starts_with('{') && text[e..].starts_with('}'))
            || (text[s..].starts_with('[') && text[e..].starts_with(']'));
        if closes {
            e += 1;
        }
        // A block item ends where the next begins; never run into it.
        if let Some(next) = items.get(i + 1) {
            e = e.min(tree.byte(next.span.start.index()));
        }
        let line_start = text[..s].rfind('\n').map_or(0, |i| i + 1);
        let mut own = " ".repeat(s - line_start);
        own.push_str(text[s..e].trim_end_matches(' '));
        out.push((line_start, own));
    }
    Some(out)
}

/// The best span for a [`YamlError`] in the `text` it came from: the unknown key, the value
/// of the wrong type, the mapping that lacks a field. `None` when the parser gave no position.
pub fn locate_error(text: &str, e: &YamlError) -> Option<(usize, usize)> {
    let off = e.offset?;
    let at_offset = || {
        let rest = &text[off.min(text.len())..];
        let len = rest.chars().next().map_or(0, char::len_utf8);
        (off, off + len)
    };
    let mut steps = parse_path(&e.path);
    if let ErrorKind::UnknownField { field, .. } = &e.kind {
        steps.push(Step::Key(field));
    }
    let by_path = |part: Part| {
        let tree = Tree::parse(text)?;
        let found = tree.walk(&steps)?;
        // Only trust the tree walk when it reached the node the parser meant.
        found.complete.then(|| tree.span_of(&found, part))
    };
    let alias = || {
        let rest = &text[off.min(text.len())..];
        let name = rest
            .char_indices()
            .skip(1)
            .find(|&(_, c)| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}'))
            .map_or(rest.len(), |(i, _)| i);
        (off, off + name)
    };
    let span = match &e.kind {
        ErrorKind::AliasLimit if text[off.min(text.len())..].starts_with('*') => Some(alias()),
        ErrorKind::Syntax
        | ErrorKind::TooDeep
        | ErrorKind::AliasLimit
        | ErrorKind::ControlCharacter => None,
        ErrorKind::DuplicateField { .. } => duplicate_keys(text, e).map(|(_, second)| second),
        ErrorKind::UnknownField { .. } => by_path(Part::Key),
        ErrorKind::MissingField { .. } if e.path.is_empty() => None,
        ErrorKind::MissingField { .. } | ErrorKind::WrongType { .. } | ErrorKind::Invalid => {
            by_path(Part::Value)
        }
    };
    Some(span.unwrap_or_else(at_offset))
}

/// For a [`ErrorKind::DuplicateField`]: the spans of the first and the second key.
/// A document with two equal keys is not YAML to saphyr, so they are found in the text of
/// the mapping, which serde_yaml's position marks: the keys of a block mapping at its
/// indentation (up to the first line indented less), or the keys of a flow mapping after
/// `{` or `,`.
pub fn duplicate_keys(text: &str, e: &YamlError) -> Option<((usize, usize), (usize, usize))> {
    let ErrorKind::DuplicateField { field } = &e.kind else {
        return None;
    };
    let start = e.offset?.min(text.len());
    let key_at = |rest: &str| -> Option<usize> {
        let unquoted = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
        let quoted = unquoted.len() != rest.len();
        let after = unquoted.strip_prefix(field.as_str())?;
        let after = if quoted {
            after.strip_prefix(['"', '\''])?
        } else {
            after
        };
        let colon = after.trim_start_matches([' ', '\t']).strip_prefix(':')?;
        let ok = colon.is_empty() || colon.starts_with([' ', '\t', '\r', '\n']);
        ok.then_some(rest.len() - unquoted.len() + field.len() + usize::from(quoted))
    };
    let mut found = Vec::new();
    if text[start..].starts_with('{') {
        let mut depth = 0usize;
        for (i, c) in text[start..].char_indices() {
            match c {
                '{' | '[' => depth += 1,
                '}' | ']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            if depth == 1 && matches!(c, '{' | ',') {
                let rest = &text[start + i + 1..];
                let skip = rest.len() - rest.trim_start().len();
                if let Some(len) = key_at(&rest[skip..]) {
                    let at = start + i + 1 + skip;
                    found.push((at, at + len));
                }
            }
        }
    } else {
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let indent = text[line_start..start].chars().count();
        let mut offset = line_start;
        for line in text[line_start..].split_inclusive('\n') {
            let body = line.trim_start_matches(' ');
            let this = line.len() - body.len();
            let blank = body.trim().is_empty() || body.starts_with('#');
            if !blank && this < indent && offset > line_start {
                break;
            }
            if this == indent
                && let Some(len) = key_at(body)
            {
                found.push((offset + indent, offset + indent + len));
            }
            offset += line.len();
        }
    }
    let mut it = found.into_iter();
    Some((it.next()?, it.next()?))
}

/// Leniently collects the string values of `id_key` in the mapping at the root (when
/// `list_key` is empty) or in each mapping of the list under `list_key`. For files that
/// failed to parse, so that references to the records they hold are not reported twice.
/// `None` when the text is not YAML at all.
pub fn list_ids(text: &str, list_key: &str, id_key: &str) -> Option<Vec<String>> {
    use saphyr::{MarkedYaml, YamlData};

    if guard(text).is_err() {
        return None;
    }
    let docs = load_marked(text)?;
    let root = docs.first()?;
    fn get<'n, 'i>(node: &'n MarkedYaml<'i>, key: &str) -> Option<&'n MarkedYaml<'i>> {
        let YamlData::Mapping(map) = &node.data else {
            return None;
        };
        map.iter()
            .find_map(|(k, v)| (scalar_str(k) == Some(key)).then_some(v))
    }
    let records: Vec<&MarkedYaml<'_>> = if list_key.is_empty() {
        vec![root]
    } else {
        match &get(root, list_key)?.data {
            YamlData::Sequence(seq) => seq.iter().collect(),
            _ => return None,
        }
    };
    Some(
        records
            .into_iter()
            .filter_map(|r| get(r, id_key))
            .filter_map(|v| scalar_str(v).map(str::to_string))
            .collect(),
    )
}

fn scalar_str<'a>(n: &'a saphyr::MarkedYaml<'_>) -> Option<&'a str> {
    use saphyr::YamlData;
    match &n.data {
        YamlData::Value(saphyr::Scalar::String(s)) => Some(s.as_ref()),
        YamlData::Representation(s, _, _) => Some(s.as_ref()),
        _ => None,
    }
}

fn to_step(s: &Seg) -> Step<'_> {
    match s {
        Seg::Key(k) => Step::Key(k),
        Seg::Index(i) => Step::Index(*i),
    }
}

/// Parses serde_yaml's path syntax (`incidents[1].location.lat`) into steps. An unknown
/// step (`?`) ends the path there.
fn parse_path(path: &str) -> Vec<Step<'_>> {
    let mut steps = Vec::new();
    if path.is_empty() || path == "." {
        return steps;
    }
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if name == "?" {
            return steps;
        }
        if !name.is_empty() {
            steps.push(Step::Key(name));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let Some((n, after)) = r.split_once(']') else {
                return steps;
            };
            let Ok(i) = n.parse() else { return steps };
            steps.push(Step::Index(i));
            rest = after;
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        #[serde(default)]
        location: Option<L>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct L {
        lat: Option<f64>,
        place: Option<String>,
    }

    fn err(text: &str) -> (Box<YamlError>, String) {
        let e = from_str::<T>(text).unwrap_err();
        let (s, end) = locate_error(text, &e).unwrap();
        (e, text[s..end].to_string())
    }

    #[test]
    fn type_errors_carry_offsets() {
        let text = "title: a\ncasualites: 3\n";
        let e = from_str::<T>(text).unwrap_err();
        assert!(
            e.message.contains("unknown field `casualites`"),
            "{}",
            e.message
        );
        assert_eq!(e.offset, Some(9));
        assert_eq!(e.path, "");
        assert!(
            matches!(e.kind, ErrorKind::UnknownField { ref field, .. } if field == "casualites")
        );
    }

    #[test]
    fn nested_errors_keep_their_path_apart() {
        let (e, span) = err("title: a\nlocation:\n  place: x\n  lat: north\n");
        assert_eq!(e.path, "location.lat");
        assert_eq!(e.detail, "invalid type: string \"north\", expected f64");
        assert_eq!(span, "north");
        let (e, span) = err("title: a\nlocation: {place: Ségou — x, lon: 3}\n");
        assert_eq!(e.path, "location");
        assert!(
            matches!(e.kind, ErrorKind::UnknownField { ref expected, .. } if expected == &["lat", "place"])
        );
        assert_eq!(span, "lon");
        let (e, span) = err("title: a\n\"location\": {\"plac\": x}\n");
        assert!(matches!(e.kind, ErrorKind::UnknownField { .. }));
        assert_eq!(span, "\"plac\"");
    }

    #[test]
    fn missing_fields_point_at_the_mapping() {
        let (e, span) = err("location: {place: x}\n");
        assert!(matches!(e.kind, ErrorKind::MissingField { ref field } if field == "title"));
        assert_eq!(e.path, "");
        assert_eq!(span, "l");
    }

    #[test]
    fn syntax_errors_keep_their_context() {
        let text = "title: a\nlocation: {place: x\nother: 1\n";
        let e = from_str::<T>(text).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Syntax);
        let (ctx, at) = e.context.clone().unwrap();
        assert_eq!(ctx, "while parsing a flow mapping");
        assert_eq!(at, Some(text.find('{').unwrap()));
        assert!(!e.message.contains(" at line"), "{}", e.message);
    }

    #[test]
    fn duplicate_keys_are_both_found() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct D {
            a: Option<u32>,
            b: Option<u32>,
            c: Option<std::collections::BTreeMap<String, u32>>,
            l: Option<L2>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct L2 {
            x: Option<u32>,
        }
        for (text, first, second) in [
            ("a: 1\nb: 2\nb: 3\n", 5, 10),
            ("a: 1\nl:\n  x: 1\n  # note\n\n  x: 2\nb: 1\n", 10, 27),
            ("a: 1\nl: {x: 1, \"x\": 2}\n", 9, 15),
        ] {
            let e = from_str::<D>(text).unwrap_err();
            assert!(
                matches!(e.kind, ErrorKind::DuplicateField { .. }),
                "{text:?}: {}",
                e.message
            );
            let (f, s) = duplicate_keys(text, &e).unwrap_or_else(|| panic!("{text:?}"));
            assert_eq!((f.0, s.0), (first, second), "{text:?}");
            assert_eq!(locate_error(text, &e).map(|x| x.0), Some(second));
        }
    }

    #[test]
    fn parses_serde_paths() {
        assert_eq!(
            parse_path("incidents[1].location.lat"),
            [
                Step::Key("incidents"),
                Step::Index(1),
                Step::Key("location"),
                Step::Key("lat")
            ]
        );
        assert_eq!(parse_path("a.?.b"), [Step::Key("a")]);
        assert!(parse_path("").is_empty());
    }

    #[test]
    fn locates_values_in_sequences() {
        let text = "title: x\ngroups: [aqim, jnm]\nlocation:\n  country: XX\n";
        let (s, e) = locate(text, &[Seg::Key("groups"), Seg::Index(1)], Part::Value).unwrap();
        assert_eq!(&text[s..e], "jnm");
        let (s, e) = locate(
            text,
            &[Seg::Key("location"), Seg::Key("country")],
            Part::Value,
        )
        .unwrap();
        assert_eq!(&text[s..e], "XX");
        let (s, e) = locate(
            text,
            &[Seg::Key("location"), Seg::Key("country")],
            Part::Key,
        )
        .unwrap();
        assert_eq!(&text[s..e], "country");
        assert!(locate_exact(text, &[Seg::Key("title")], Part::Key).is_some());
        assert!(locate_exact(text, &[Seg::Key("date")], Part::Key).is_none());
    }

    #[test]
    fn locates_after_multibyte_text_crlf_and_comments() {
        let text = "# é — commentaire\r\nplace: \"Ségou — Kangaba\"\r\nlocation: {place: Tombouctou—x, country: mli}\r\n";
        let (s, e) = locate(
            text,
            &[Seg::Key("location"), Seg::Key("country")],
            Part::Value,
        )
        .unwrap();
        assert_eq!(&text[s..e], "mli");
        let (s, e) = locate(text, &[Seg::Key("place")], Part::Value).unwrap();
        assert_eq!(&text[s..e], "\"Ségou — Kangaba\"");
    }

    #[test]
    fn alias_bombs_are_refused_at_the_alias_before_any_parser_expands_them() {
        // One big string aliased many times: 64 KB × 300 = 19 MB expanded.
        let big = "x".repeat(64 * 1024);
        let mut text = format!("a: &big {big}\nlist:\n");
        for _ in 0..300 {
            text.push_str("  - *big\n");
        }
        let e = from_str::<serde_yaml::Value>(&text).unwrap_err();
        assert_eq!(e.kind, ErrorKind::AliasLimit, "{}", e.message);
        assert!(e.message.contains("16 MB"), "{}", e.message);
        // The alias that crossed the limit: the 255th (the string itself and 255 copies
        // pass 16 MB).
        let off = e.offset.unwrap();
        assert!(text[off..].starts_with("*big"));
        assert_eq!(text[..off].matches("*big").count(), 254);
        assert!(Tree::parse(&text).is_none());
        // Nested anchors (billion laughs) are measured, not expanded.
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = from_str::<serde_yaml::Value>(&text).unwrap_err();
        assert_eq!(e.kind, ErrorKind::AliasLimit, "{}", e.message);
        // Too many small aliases.
        let text = format!("a: &a x\nl: [{}]\n", vec!["*a"; MAX_ALIASES + 1].join(", "));
        let e = from_str::<serde_yaml::Value>(&text).unwrap_err();
        assert!(
            e.message.contains("more than 10000 YAML aliases"),
            "{}",
            e.message
        );
        // Honest use is untouched: a source repeated by alias.
        let text = "s: &s {title: UN report}\nl: [*s, *s, *s]\ntitle: \"AQIM & *friends*\"\n";
        assert!(from_str::<serde_yaml::Value>(text).is_ok());
    }

    #[test]
    fn control_characters_are_placed_at_the_character() {
        let text = "title: a\nsummary: \"x\u{7}y\"\n";
        let e = from_str::<T>(text).unwrap_err();
        assert_eq!(e.kind, ErrorKind::ControlCharacter, "{}", e.message);
        assert_eq!(e.offset, Some(text.find('\u{7}').unwrap()));
        assert_eq!(e.message, "control character U+0007 is not allowed in YAML");
    }

    #[derive(serde::Deserialize, Debug, Default)]
    #[serde(deny_unknown_fields)]
    struct R {
        title: Option<String>,
        date: Option<String>,
        #[serde(default)]
        tags: Vec<String>,
        location: Option<L>,
        #[serde(default)]
        groups: Vec<G>,
        wounded: Option<u32>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct G {
        id: String,
        #[allow(dead_code)]
        note: Option<String>,
    }

    /// Errors as (path, what is pointed at) and what is left.
    fn collect(text: &str) -> (Vec<(String, String)>, Option<R>, Vec<Dropped>) {
        let c = from_str_collecting::<R>(text);
        let errors = c
            .errors
            .iter()
            .map(|e| {
                let (s, end) = e.span.unwrap_or_else(|| panic!("no span: {e:?}"));
                (e.path.clone(), text[s..end].to_string())
            })
            .collect();
        (errors, c.value, c.dropped)
    }

    #[test]
    fn every_field_error_of_a_record_is_found_in_one_parse() {
        let text = "title: [a]\ndate: \"2017\"\ntags: minusma\nlocation: {place: x, lat: north, lon: 3}\nwounded: -5\n";
        let (errors, value, dropped) = collect(text);
        assert_eq!(
            errors,
            [
                ("title".to_string(), "[a]".to_string()),
                ("tags".into(), "minusma".into()),
                ("location.lat".into(), "north".into()),
                ("location".into(), "lon".into()),
                ("wounded".into(), "-5".into()),
            ]
        );
        let r = value.expect("the rest is read");
        assert_eq!(r.date.as_deref(), Some("2017"));
        assert_eq!(r.location.unwrap().place.as_deref(), Some("x"));
        assert!(r.title.is_none() && r.tags.is_empty() && r.wounded.is_none());
        assert!(dropped.contains(&Dropped {
            path: "location".into(),
            unknown_key: true
        }));
        assert!(dropped.contains(&Dropped {
            path: "title".into(),
            unknown_key: false
        }));
    }

    #[test]
    fn list_items_keep_their_written_index_and_a_lost_list_is_not_an_error() {
        // Block lists: removing item 0 renumbers the rest for serde; paths say 1 and 3.
        let text = "tags:\n  - [x]\n  - a\n  - {b: 1}\ngroups:\n  - {id: a, nte: x}\n  - id: b\n    note: [y]\n  - {nte: z}\n";
        let (errors, value, _) = collect(text);
        let paths: Vec<&str> = errors.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "tags[0]",
                "tags[2]",
                "groups[0]",
                "groups[1].note",
                "groups[2]"
            ]
        );
        assert_eq!(errors[1].1, "{b: 1}");
        assert_eq!(errors[2].1, "nte");
        let r = value.unwrap();
        assert_eq!(r.tags, ["a"]);
        assert_eq!(
            r.groups.iter().map(|g| g.id.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        // The only item removed leaves an empty list: no second error for it.
        let (errors, value, _) = collect("title: t\ntags:\n  - [x]\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(value.unwrap().title.as_deref(), Some("t"));
        let (errors, _, _) = collect("tags: [[x]]\ntitle: t\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
    }

    #[test]
    fn duplicates_and_empty_values_are_collected_too() {
        let text = "title: a\ntitle: b\ndate:\nwounded: x\nlocation:\n  place: p\n  place: q\n";
        let (errors, value, _) = collect(text);
        assert_eq!(errors[0], ("".into(), "title".into()));
        assert_eq!(errors[1], ("wounded".into(), "x".into()));
        assert_eq!(errors[2], ("location".into(), "place".into()));
        let r = value.unwrap();
        assert_eq!(r.title.as_deref(), Some("a"));
        assert_eq!(r.location.unwrap().place.as_deref(), Some("p"));
        // A syntax error stops everything: one error, nothing read.
        let c = from_str_collecting::<R>("title: [a\ndate: 1\n");
        assert!(c.value.is_none());
        assert_eq!(c.errors.len(), 1);
        assert_eq!(c.errors[0].kind, ErrorKind::Syntax);
    }

    #[test]
    fn a_record_written_to_produce_endless_errors_costs_a_bounded_number_of_parses() {
        let text: String = (0..2_000).map(|i| format!("x{i}: 1\n")).collect();
        let c = collecting::<R>(&text, 20, usize::MAX);
        assert_eq!(c.errors.len(), 20);
        assert!(c.truncated);
        assert!(c.value.is_none());
        // A big record gets fewer parses: the bytes parsed again are bounded too.
        let c = collecting::<R>(&text, 20, 4 * text.len());
        assert_eq!(c.errors.len(), 4);
        assert!(c.truncated);
        // Under the limits, nothing is cut.
        let c = collecting::<R>("a: 1\nb: 2\ntitle: t\n", 20, usize::MAX);
        assert!(!c.truncated);
        assert_eq!(c.errors.len(), 2);
        assert_eq!(c.value.unwrap().title.as_deref(), Some("t"));
    }

    #[test]
    fn list_items_read_alone_at_their_place() {
        let text = "incidents:\n  - id: a\n    title: b\n  - {id: c, title: [d]}\n";
        let items = list_items(text, "incidents").unwrap();
        assert_eq!(items.len(), 2);
        let (base, own) = &items[0];
        assert_eq!(&text[*base..*base + own.len()], "  - id: a\n    title: b\n");
        assert_eq!(own, "    id: a\n    title: b\n");
        let (base, own) = &items[1];
        assert_eq!(own.trim(), "{id: c, title: [d]}");
        assert_eq!(text[*base..].find('{'), own.find('{'));
    }

    #[test]
    fn rejects_deep_nesting() {
        for text in [
            format!("a: {}{}", "[".repeat(200), "]".repeat(200)),
            format!(
                "a:\n{}",
                (0..300)
                    .map(|i| format!("{}- \n", " ".repeat(i)))
                    .collect::<String>()
            ),
            format!("a: {}x\n", "- ".repeat(5000)),
        ] {
            let e = from_str::<serde_yaml::Value>(&text).unwrap_err();
            assert_eq!(e.kind, ErrorKind::TooDeep, "{}", e.message);
            assert!(locate(&text, &[Seg::Key("a")], Part::Value).is_none());
        }
    }
}
