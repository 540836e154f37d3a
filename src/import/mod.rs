//! Importers: turn other datasets into briefwerk content files (issue 6).
//!
//! An importer reads the site (to match names to groups and to know which records exist), reads
//! the foreign file, and writes only files it owns, so that running it again is safe. It never
//! prints; it returns a report for the command line to show.

pub mod acled;

pub use acled::{
    Duplicate, FILE_BUDGET, ImportOptions, ImportReport, RowProblem, Skipped, UnmatchedActor,
    import_acled, import_acled_with,
};

/// A string safe to print on a terminal: every control character (C0, DEL, C1) and every
/// bidirectional control (embeddings and overrides, isolates, and the invisible marks LRM,
/// RLM and ALM) is written as a visible escape (`\u{1b}`), so a hostile CSV cannot send
/// escape sequences or reorder what the reader sees. Plain text comes back borrowed.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        c.is_control()
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
    };
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn control_characters_and_bidi_overrides_print_as_escapes() {
        assert_eq!(printable("JNIM"), "JNIM");
        assert_eq!(
            printable("a\u{1b}]0;pwned\u{7}b"),
            "a\\u{1b}]0;pwned\\u{7}b"
        );
        assert_eq!(printable("x\r\ny\u{9b}z"), "x\\u{d}\\u{a}y\\u{9b}z");
        assert_eq!(printable("\u{202e}cod.exe"), "\\u{202e}cod.exe");
        assert_eq!(printable("a\u{200f}b\u{61c}"), "a\\u{200f}b\\u{61c}");
        assert_eq!(printable("Ségou\tMali"), "Ségou\\u{9}Mali");
    }
}
