//! How one value is written in an export cell and read back: the CSV formula guard (issue 14),
//! the list separator, coordinates rounded to six decimals.
//!
//! Takes values and returns cells (or cells and returns values). Pure; knows nothing of which
//! column a cell is in.

use std::borrow::Cow;

/// Separator of list values inside one CSV field.
pub const LIST_SEPARATOR: &str = "; ";

/// Rounds a coordinate to six decimals (about 10 cm), so output never depends on how a float
/// was written in the source and stays byte-stable.
pub fn round6(x: f64) -> f64 {
    let r = (x * 1e6).round() / 1e6;
    if r == 0.0 { 0.0 } else { r }
}

/// First characters that make a spreadsheet read a cell as a formula (OWASP's list: `=`, `+`,
/// `-`, `@`, tab, carriage return), and the apostrophe itself, so that the guard can always be
/// undone exactly by [`restore_cell`].
const FORMULA_LEADS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// A plain decimal number (`-2.2167`, `12`): a spreadsheet reads it as a number, never a
/// formula, so numeric columns such as longitude stay numbers.
fn is_plain_number(v: &str) -> bool {
    let digits = v.strip_prefix('-').unwrap_or(v);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// The CSV cell for a value: with a leading apostrophe when the value begins with a formula
/// character (OWASP's advice; never a leading tab, itself on the list) or with an apostrophe,
/// unless it is a plain number. A spreadsheet then shows the text instead of running it.
pub fn neutralise_cell(v: &str) -> Cow<'_, str> {
    match v.chars().next() {
        Some(c) if FORMULA_LEADS.contains(&c) && !is_plain_number(v) => Cow::Owned(format!("'{v}")),
        _ => Cow::Borrowed(v),
    }
}

/// Undoes [`neutralise_cell`]: removes one leading apostrophe when what follows it is a
/// character the exporter guards. Any other apostrophe is the value's own and stays.
pub fn restore_cell(v: &str) -> &str {
    match v.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_LEADS) => rest,
        _ => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_restored_exactly() {
        for (v, cell) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("+cmd", "'+cmd"),
            ("-2+3+cmd", "'-2+3+cmd"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'quoted", "''quoted"),
            ("''", "'''"),
            ("-", "'-"),
            ("-2.2167", "-2.2167"),
            ("-12", "-12"),
            ("12", "12"),
            ("Boni", "Boni"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(neutralise_cell(v), cell, "{v:?}");
            assert_eq!(restore_cell(&neutralise_cell(v)), v, "{v:?}");
        }
        // An apostrophe the exporter did not add is the value's own.
        assert_eq!(restore_cell("'Ndjamena"), "'Ndjamena");
        assert!(!is_plain_number("-1.") && !is_plain_number("-.5") && !is_plain_number("1e5"));
    }
}
