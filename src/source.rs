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

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
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
    fn char_index_maps_to_bytes() {
        assert_eq!(char_index_to_byte("éa", 1), 2);
        assert_eq!(char_index_to_byte("éa", 9), 3);
    }
}
