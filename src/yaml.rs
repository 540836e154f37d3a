//! Every call into a YAML library lives here, so that serde_yaml (deprecated upstream) can be
//! swapped for a maintained fork in one place.
//!
//! Valid content goes through serde_yaml only. Spans for semantic errors come from saphyr's
//! marked nodes, parsed again only on the error path.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::source::{char_index_to_byte, offset_of};

/// A YAML parse or type error with its position (relative to the YAML text given).
#[derive(Debug, Clone)]
pub struct YamlError {
    /// The parser's message, position suffix removed.
    pub message: String,
    /// Byte offset in the YAML text, if the parser knew it.
    pub offset: Option<usize>,
}

/// Deepest nesting a content file may have; deeper documents are rejected before parsing
/// so that hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

/// Parses `text` into `T`, or explains where and why it could not.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if let Some(offset) = too_deep(text) {
        return Err(YamlError {
            message: format!("YAML nested more than {MAX_DEPTH} levels deep"),
            offset: Some(offset),
        });
    }
    serde_yaml::from_str(text).map_err(|e| {
        let offset = e.location().map(|l| offset_of(text, l.line(), l.column()));
        let mut message = e.to_string();
        // serde_yaml appends " at line X column Y"; we print positions ourselves.
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        YamlError { message, offset }
    })
}

/// Serialises a value to YAML (for files that briefwerk writes, e.g. `new` and `import`).
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

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
    // Block-style nesting shows up as indentation.
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > MAX_DEPTH * 4 {
            return Some(offset);
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

/// Finds the byte span of the node at `path` in `text`; falls back to the deepest ancestor
/// found, so an error always points somewhere near its cause.
pub fn locate(text: &str, path: &[Seg], part: Part) -> Option<(usize, usize)> {
    use saphyr::{LoadableYamlNode, MarkedYaml, YamlData};

    let docs = MarkedYaml::load_from_str(text).ok()?;
    let mut node = docs.first()?;
    let mut key_span = None;
    for seg in path {
        let next = match (&node.data, seg) {
            (YamlData::Mapping(map), Seg::Key(k)) => map.iter().find_map(|(key, v)| {
                let name = match &key.data {
                    YamlData::Value(saphyr::Scalar::String(s)) => Some(s.as_ref()),
                    YamlData::Representation(s, _, _) => Some(s.as_ref()),
                    _ => None,
                };
                (name == Some(*k)).then_some((key, v))
            }),
            (YamlData::Sequence(seq), Seg::Index(i)) => seq.get(*i).map(|v| (v, v)),
            _ => None,
        };
        match next {
            Some((k, v)) => {
                key_span = Some(k.span);
                node = v;
            }
            None => break,
        }
    }
    let span = match part {
        Part::Key => key_span.unwrap_or(node.span),
        Part::Value => node.span,
    };
    let start = char_index_to_byte(text, span.start.index());
    let mut end = char_index_to_byte(text, span.end.index()).max(start);
    // Block collections end at the start of the next line; keep the caret on the first line.
    if let Some(nl) = text[start..end].find('\n') {
        end = start + nl;
    }
    let trimmed = text[start..end].trim_end();
    Some((start, start + trimmed.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
    }

    #[test]
    fn type_errors_carry_offsets() {
        let text = "title: a\ncasualites: 3\n";
        let e = from_str::<T>(text).unwrap_err();
        assert!(e.message.contains("unknown field `casualites`"), "{}", e.message);
        assert_eq!(e.offset, Some(9));
    }

    #[test]
    fn locates_values_in_sequences() {
        let text = "title: x\ngroups: [aqim, jnm]\nlocation:\n  country: XX\n";
        let (s, e) = locate(text, &[Seg::Key("groups"), Seg::Index(1)], Part::Value).unwrap();
        assert_eq!(&text[s..e], "jnm");
        let (s, e) = locate(text, &[Seg::Key("location"), Seg::Key("country")], Part::Value).unwrap();
        assert_eq!(&text[s..e], "XX");
        let (s, e) = locate(text, &[Seg::Key("location"), Seg::Key("country")], Part::Key).unwrap();
        assert_eq!(&text[s..e], "country");
    }

    #[test]
    fn rejects_deep_nesting() {
        let text = format!("a: {}{}", "[".repeat(200), "]".repeat(200));
        assert!(from_str::<serde_yaml::Value>(&text).is_err());
    }
}
