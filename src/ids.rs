//! Ids and slugs: which strings may name a record (and so a folder of the site), and how a
//! tag, a name or a bad id becomes a URL-safe slug.
//!
//! Takes strings and returns strings or a yes/no. Pure; reports nothing (the validator says
//! where a bad id is written and what to do) and knows nothing of records or URLs.

use icu_properties::CodePointMapData;
use icu_properties::props::Script;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The longest id, and the longest tag once made a slug, in bytes. Each becomes one folder
/// name of the built site (`incidents/<id>/`, `tags/<slug>/`); file systems refuse names over
/// 255 bytes, and `check` must refuse what `build` cannot write, at the place it is written.
pub const MAX_NAME_BYTES: usize = 200;

/// True for ids made of `[a-z0-9-]+` that cannot escape a path.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_NAME_BYTES
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

/// Makes a slug of a tag or a heading: its letters and digits, lower case where the script
/// has case, every run of anything else one dash, in NFC.
///
/// Latin text gives the slugs briefwerk has always given, so no published URL moves: ASCII
/// letters and digits, the accented vowels, `ç` and `ñ` as their base letter, and other Latin
/// letters (`ß`, `ø`, `ł`) a dash. Letters and digits of every other script are kept as they
/// are (`الساحل`, `сахель`, `萨赫勒`). Combining marks stay with the letters they belong to
/// (Devanagari and Thai vowel signs are part of the word), except the optional ones: accents
/// left over after a Latin letter, and Arabic harakat and Hebrew points, which writers put
/// in or leave out, so `السَّاحِل` and `الساحل` are one tag. Tatweel (the stretching stroke)
/// and the zero-width joiners are dropped. The slug is a folder name and a URL path segment:
/// [`crate::routes::absolute`] percent-encodes it where an absolute URL must be ASCII.
pub fn slug(s: &str) -> String {
    let scripts = CodePointMapData::<Script>::new();
    let mut out = String::new();
    // The script of the letter written last, while inside a word: marks and modifier letters
    // that follow belong to it.
    let mut word: Option<Script> = None;
    for c in s.nfc().flat_map(char::to_lowercase) {
        let c = latin_base(c);
        if c.is_ascii_alphanumeric() {
            out.push(c);
            word = Some(Script::Latin);
            continue;
        }
        if matches!(c, '\u{0640}' | '\u{200C}' | '\u{200D}') {
            continue;
        }
        let script = scripts.get(c);
        if is_combining_mark(c) {
            if word.is_some_and(|w| !OPTIONAL_MARKS.contains(&w)) {
                out.push(c);
            }
            continue;
        }
        let shared = matches!(script, Script::Common | Script::Inherited | Script::Unknown);
        let kept = c.is_alphanumeric()
            && script != Script::Latin
            // A letter of no one script (the Japanese prolonged sound mark ー) is kept
            // inside a word of another script; among Latin letters it is a dash, as before.
            && (!shared || word.is_some_and(|w| w != Script::Latin));
        if kept {
            out.push(c);
            if !shared {
                word = Some(script);
            }
        } else {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            word = None;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Scripts whose combining marks are optional to their readers, dropped from slugs: accents
/// left over after a Latin letter (NFC has already made `é` one letter), Arabic harakat,
/// Syriac and Hebrew vowel points.
const OPTIONAL_MARKS: [Script; 4] = [
    Script::Latin,
    Script::Arabic,
    Script::Syriac,
    Script::Hebrew,
];

/// The accented Latin letters slugs have always written as their base letter.
fn latin_base(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        c => c,
    }
}

/// [`slug`] as a record id (`[a-z0-9-]`): letters of other scripts transliterated to ASCII
/// (`الساحل` → `alsahl`). Latin text gives the same as [`slug`].
pub fn id_slug(s: &str) -> String {
    let slugged = slug(s);
    if slugged.is_ascii() {
        slugged
    } else {
        slug(&deunicode::deunicode(&slugged))
    }
}

/// `name` (a slug) cut to at most [`MAX_NAME_BYTES`] bytes at a dash, so that the
/// suggestion keeps whole words; cut mid-word only when there is no dash to cut at.
pub fn shorten(name: &str) -> &str {
    if name.len() <= MAX_NAME_BYTES {
        return name;
    }
    // Slugs of other scripts than Latin are not ASCII: cut at a character boundary.
    let mut end = MAX_NAME_BYTES;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    let head = &name[..end];
    // A dash right at the limit still keeps the word before it whole.
    let cut = if name[end..].starts_with('-') {
        Some(end)
    } else {
        head.rfind('-')
    };
    match cut {
        Some(i) if i > 0 => name[..i].trim_end_matches('-'),
        _ => head,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The slugger before issue 17, kept here to prove Latin slugs did not move.
    fn old_slug(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars().flat_map(char::to_lowercase) {
            let c = latin_base(c);
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        out.trim_end_matches('-').to_string()
    }

    #[test]
    fn latin_text_gives_the_slugs_it_always_gave() {
        for s in [
            "Sécurité au Sahel",
            "JNIM",
            "Jama'at Nusrat al-Islam",
            "L'État islamique — Grand Sahara",
            "Straße Łódź øre Ærø",
            "  --IED / VBIED--  ",
            "Ségou, Tombouctou, Ménaka, Kidal",
            "ﬁnance ½ ² Ⅻ ０１ Ａ",
            "Ñandú Çà & Co. 2019-06",
        ] {
            assert_eq!(slug(s), old_slug(s), "{s}");
        }
        assert_eq!(slug("Sécurité au Sahel"), "securite-au-sahel");
        assert_eq!(slug("Straße"), "stra-e");
    }

    #[test]
    fn other_scripts_keep_their_letters() {
        assert_eq!(slug("الساحل"), "الساحل");
        assert_eq!(slug("جماعة نصرة الإسلام"), "جماعة-نصرة-الإسلام");
        // Harakat and tatweel are optional: one tag with or without them.
        assert_eq!(slug("السَّاحِل"), "الساحل");
        assert_eq!(slug("الســـاحل"), "الساحل");
        // Hamza written as a mark after alef is the same letter as أ (NFC).
        assert_eq!(slug("ا\u{0654}من"), "أمن");
        // Arabic-Indic digits are digits.
        assert_eq!(slug("عملية ٢٠١٩"), "عملية-٢٠١٩");
        // Case is lowered where the script has it.
        assert_eq!(slug("Сахель ΣΆΧΕΛ"), "сахель-σάχελ");
        // Marks that are part of the word stay (Devanagari vowel signs, virama).
        assert_eq!(slug("साहेल क्षेत्र"), "साहेल-क्षेत्र");
        // A letter of no one script inside a Japanese word stays.
        assert_eq!(slug("サヘール 地域"), "サヘール-地域");
        // Mixed text: Latin as before, Arabic kept, punctuation one dash.
        assert_eq!(slug("Mali: الساحل (2019)"), "mali-الساحل-2019");
        assert_eq!(slug("«؟،»"), "");
    }

    #[test]
    fn id_slugs_are_valid_ids_in_any_script() {
        assert_eq!(id_slug("Sécurité au Sahel"), "securite-au-sahel");
        for s in ["الساحل", "جماعة نصرة الإسلام", "Сахель", "地域"] {
            let id = id_slug(s);
            assert!(is_valid_id(&id), "{s} → {id}");
        }
    }

    #[test]
    fn shorten_cuts_at_a_dash_and_a_character_boundary() {
        let latin = format!("{}-tail", "a".repeat(199));
        assert_eq!(shorten(&latin), "a".repeat(199));
        let arabic = "الساحل-".repeat(30);
        let short = shorten(&arabic);
        assert!(
            short.len() <= MAX_NAME_BYTES && short.ends_with('ل'),
            "{short}"
        );
        let word = "ل".repeat(150);
        assert_eq!(shorten(&word).len(), MAX_NAME_BYTES);
    }
}
