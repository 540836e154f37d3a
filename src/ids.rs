//! Ids and slugs: which strings may name a record (and so a folder of the site), and how a
//! tag, a name or a bad id becomes a URL-safe slug.
//!
//! Takes strings and returns strings or a yes/no. Pure; reports nothing (the validator says
//! where a bad id is written and what to do) and knows nothing of records or URLs.

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

/// Makes a URL-safe slug of a tag: lower case, ASCII letters and digits, dashes.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// `name` (a slug) cut to at most [`MAX_NAME_BYTES`] bytes at a dash, so that the
/// suggestion keeps whole words; cut mid-word only when there is no dash to cut at.
pub fn shorten(name: &str) -> &str {
    if name.len() <= MAX_NAME_BYTES {
        return name;
    }
    // Slugs are ASCII: any byte index is a character boundary.
    let head = &name[..=MAX_NAME_BYTES];
    match head.rfind('-') {
        Some(i) if i > 0 => head[..i].trim_end_matches('-'),
        _ => &name[..MAX_NAME_BYTES],
    }
}
