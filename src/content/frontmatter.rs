//! Splits a Markdown file into its YAML front matter and body, keeping byte offsets so that
//! positions inside the YAML map back to the file the editor has open.

/// A Markdown file cut into front matter and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// Byte offset of `yaml` in the file.
    pub yaml_offset: usize,
    /// The Markdown after the closing `---` line.
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

/// Why front matter could not be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file is empty or only whitespace.
    Empty,
    /// The file does not start with a `---` line.
    NoOpening,
    /// The opening `---` has no closing `---`.
    Unclosed,
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', '\n']).trim_end() == "---"
}

/// Splits `text` (BOM already removed) at its `---` fences.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if !is_fence(first) {
        return Err(SplitError::NoOpening);
    }
    let yaml_offset = first.len();
    let mut offset = yaml_offset;
    for line in lines {
        if is_fence(line) {
            let body_offset = offset + line.len();
            return Ok(Split {
                yaml: &text[yaml_offset..offset],
                yaml_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_offsets_and_crlf() {
        let t = "---\r\ntitle: a\r\n---\r\nBody\r\n";
        let s = split(t).unwrap();
        assert_eq!(s.yaml, "title: a\r\n");
        assert_eq!(s.yaml_offset, 5);
        assert_eq!(s.body, "Body\r\n");
        assert_eq!(&t[s.body_offset..], "Body\r\n");
    }

    #[test]
    fn reports_missing_fences() {
        assert_eq!(split(""), Err(SplitError::Empty));
        assert_eq!(split("title: a\n"), Err(SplitError::NoOpening));
        assert_eq!(split("---\ntitle: a\n"), Err(SplitError::Unclosed));
    }
}
