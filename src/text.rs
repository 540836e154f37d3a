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

/// Folds text for matching, in every script: lower case, NFD, combining marks removed (Latin
/// accents: "Ménaka" → "menaka"; Arabic diacritics, and the hamza and madda that NFD takes
/// off alef, waw and yeh: "أَحْمَد" → "احمد"), then Arabic letters a reader types
/// interchangeably made one: alef wasla as alef, taa marbuta as haa, alef maqsura as yeh, and
/// tatweel (the stretching stroke) dropped. search.js's `fold` does the same to queries
/// (`toLowerCase().normalize("NFD").replace(/\p{M}/gu, "")` and the same Arabic mapping);
/// tests/testsuite/writing_systems.rs runs it in Node and compares.
pub fn fold(s: &str) -> String {
    s.to_lowercase()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .filter_map(|c| match c {
            '\u{0671}' => Some('\u{0627}'), // ٱ alef wasla → ا alef
            '\u{0629}' => Some('\u{0647}'), // ة taa marbuta → ه haa
            '\u{0649}' => Some('\u{064A}'), // ى alef maqsura → ي yeh
            '\u{0640}' => None,             // ـ tatweel
            c => Some(c),
        })
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
        assert_eq!(
            fold("Ségou, Tombouctou, Ménaka, Kidal"),
            "segou, tombouctou, menaka, kidal"
        );
    }

    #[test]
    fn folds_arabic_letters_readers_type_interchangeably() {
        // Alef with hamza above, below, madda, and alef wasla are all bare alef.
        for alef in ["أ", "إ", "آ", "ٱ"] {
            assert_eq!(fold(alef), "ا", "{alef}");
        }
        // Waw and yeh with hamza lose it the same way.
        assert_eq!(fold("مؤتمر"), "موتمر");
        assert_eq!(fold("هيئة"), "هييه");
        // Diacritics (harakat, shadda, sukun, superscript alef) go.
        assert_eq!(fold("أَحْمَد"), "احمد");
        assert_eq!(fold("مُحَمَّد"), "محمد");
        assert_eq!(fold("هٰذا"), "هذا");
        // Taa marbuta as haa, alef maqsura as yeh, tatweel dropped.
        assert_eq!(fold("الساحلية"), "الساحليه");
        assert_eq!(fold("موسى"), "موسي");
        assert_eq!(fold("الســـاحل"), "الساحل");
        // A query and the text it should find fold to one string.
        assert_eq!(fold("إمارة الصحراء الكُبرى"), fold("امارة الصحراء الكبري"));
        assert_eq!(fold("جماعة نصرة الإسلام"), fold("جماعه نصره الاسلام"));
    }
}
