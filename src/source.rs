//! Source text and positions: turns byte offsets into the line and column an editor shows.
//!
//! Owns nothing but arithmetic on text; it never reads files.

/// A 1-based line and column (in characters) in a file as the editor shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in Unicode scalar values.
    pub col: usize,
}

/// Computes the line and column of `offset` (a byte offset) in `text`.
///
/// CRLF endings count as one line break because only `\n` starts a line.
pub fn line_col(text: &str, offset: usize) -> LineCol {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..offset].chars().count() + 1;
    LineCol { line, col }
}

/// Where every line of a text starts, and how many characters come before every
/// [`CHUNK`]th byte, so that many offsets in one file (thousands of diagnostics in a large
/// list file, or on one very long line) cost a binary search and a short count each instead
/// of a scan from the top of the file or the start of the line.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    chars_before: Vec<usize>,
}

/// Bytes between two character-count checkpoints of a [`LineIndex`].
const CHUNK: usize = 1024;

/// Characters in `bytes` (of valid UTF-8 text, possibly cut mid-character): every byte that
/// is not a continuation byte starts one.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut chars_before = Vec::with_capacity(text.len() / CHUNK + 1);
        let mut n = 0;
        chars_before.push(0);
        for chunk in text.as_bytes().chunks(CHUNK) {
            n += chars_in(chunk);
            chars_before.push(n);
        }
        LineIndex {
            starts,
            chars_before,
        }
    }

    /// Characters before byte `offset` (a character boundary) of the indexed text.
    fn chars_to(&self, text: &str, offset: usize) -> usize {
        let k = offset / CHUNK;
        self.chars_before[k] + chars_in(&text.as_bytes()[k * CHUNK..offset])
    }

    /// Same as [`line_col`] for the text this index was made from.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        LineCol {
            line,
            col: self.chars_to(text, offset) - self.chars_to(text, start) + 1,
        }
    }

    /// Characters in `text[a..b]` (character boundaries of the indexed text).
    pub fn chars_between(&self, text: &str, a: usize, b: usize) -> usize {
        self.chars_to(text, b)
            .saturating_sub(self.chars_to(text, a))
    }

    /// Byte offset where 1-based `line` ends: before its `\n` (and a `\r` before that).
    pub fn line_end(&self, text: &str, line: usize) -> usize {
        let end = match self.starts.get(line) {
            Some(&next) => next - 1,
            None => text.len(),
        };
        let begin = self.line_start(text, line).min(end);
        if text[begin..end].ends_with('\r') {
            end - 1
        } else {
            end
        }
    }

    /// Byte offset where 1-based `line` starts (the end of the text past the last line).
    pub fn line_start(&self, text: &str, line: usize) -> usize {
        self.starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(text.len())
    }
}

/// Returns the byte offset of the start of 1-based `line` (clamped to the text).
pub fn line_start_offset(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    let mut seen = 1;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            seen += 1;
            if seen == line {
                return i + 1;
            }
        }
    }
    text.len()
}

/// Byte offset of a 1-based line and 1-based character column.
pub fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let start = line_start_offset(text, line);
    let rest = &text[start..];
    let line_end = rest.find('\n').map_or(rest.len(), |i| i);
    rest[..line_end]
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(start + line_end, |(i, _)| start + i)
}

/// Byte offset of the `n`th character (as counted by YAML parsers that report character indices).
pub fn char_index_to_byte(text: &str, n: usize) -> usize {
    text.char_indices().nth(n).map_or(text.len(), |(i, _)| i)
}

/// The largest character boundary of `text` at or before byte `i`.
pub(crate) fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Strips a UTF-8 byte-order mark, which editors do not show and which must not shift columns.
pub fn strip_bom(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_and_chars() {
        let t = "a: 1\r\nbé: [x]\n";
        assert_eq!(line_col(t, 0), LineCol { line: 1, col: 1 });
        let off = t.find('[').unwrap();
        assert_eq!(line_col(t, off), LineCol { line: 2, col: 5 });
        assert_eq!(offset_of(t, 2, 5), off);
    }

    #[test]
    fn line_index_agrees_with_scanning() {
        let t = "a: 1\r\nbé: [x]\n\nlast é";
        let ix = LineIndex::new(t);
        for off in 0..=t.len() + 2 {
            assert_eq!(ix.line_col(t, off), line_col(t, off), "offset {off}");
        }
        assert_eq!(ix.line_start(t, 2), line_start_offset(t, 2));
        // Across checkpoints, on a line far longer than one.
        let long = format!("a\n{}x\n", "é—b".repeat(2000));
        let ix = LineIndex::new(&long);
        for off in (0..=long.len()).step_by(97) {
            assert_eq!(
                ix.line_col(&long, off),
                line_col(&long, off),
                "offset {off}"
            );
        }
        assert_eq!(ix.line_start(t, 9), t.len());
    }

    #[test]
    fn char_index_maps_to_bytes() {
        assert_eq!(char_index_to_byte("éa", 1), 2);
        assert_eq!(char_index_to_byte("éa", 9), 3);
    }
}
