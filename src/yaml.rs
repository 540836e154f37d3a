//! Every call into a YAML library lives here, so that serde_yaml (deprecated upstream) can be
//! swapped for a maintained fork in one place.
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
        use saphyr::{LoadableYamlNode, MarkedYaml};

        // Guard the tree as the parse is guarded: a deep tree is dropped recursively, and
        // aliases are expanded by copying.
        if guard(text).is_err() {
            return None;
        }
        let docs = MarkedYaml::load_from_str(text).ok()?;
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
    use saphyr::{LoadableYamlNode, MarkedYaml, YamlData};

    if guard(text).is_err() {
        return None;
    }
    let docs = MarkedYaml::load_from_str(text).ok()?;
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
