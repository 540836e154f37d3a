//! Text helpers every output format shares: escaping for HTML and XML, and the fold that
//! search (and the importer's name matching) compare words with.
//!
//! Takes text and returns text. Pure; knows nothing of pages, records or where the text is
//! written, so that an escape is written once and every writer agrees.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Escapes text for HTML and XML (SVG) element content and attribute values, the apostrophe
/// as `&#39;` (which HTML 4 readers understand too), dropping what XML 1.0 forbids.
pub fn escape(s: &str) -> String {
    escape_as(s, "&#39;")
}

/// [`escape`] with the apostrophe as `&apos;`, as the Atom feeds and sitemaps have always
/// been written (a change would rewrite every published feed).
pub fn escape_xml(s: &str) -> String {
    escape_as(s, "&apos;")
}

/// The one escape: markup characters as entities, `apostrophe` for `'`; control characters
/// other than tab, line feed and carriage return, and U+FFFE and U+FFFF, are dropped (XML 1.0
/// does not allow them, and a browser shows nothing for them), so a stray one in content
/// never makes a feed or a picture unreadable.
fn escape_as(s: &str, apostrophe: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str(apostrophe),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds text for matching: lower case, NFD, combining marks removed. search.js does the same
/// (`toLowerCase().normalize("NFD").replace(/\p{M}/gu, "")`).
pub fn fold(s: &str) -> String {
    s.to_lowercase()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_what_xml_forbids() {
        assert_eq!(escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
        assert_eq!(
            escape_xml("a & b <c> \"d\" 'e'\u{1}"),
            "a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;"
        );
        assert_eq!(escape("a\u{1}b\u{FFFE}\u{FFFF}c\td\r\ne"), "abc\td\r\ne");
    }

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Ménaka ÉTÉ"), "menaka ete");
    }
}
