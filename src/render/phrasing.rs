//! The sentences a reader sees, built from the data here rather than in templates, so every
//! theme says who did it, where, and what a total leaves out at the same honest precision:
//! who-did-it sentences (as `Words`, text and group links in order), places at their
//! precision, claimed figures, and totals in words. Takes records, counted totals and the
//! render's language (`words::Words`: every word comes from its strings, with CLDR plurals);
//! returns strings and view values (`context`).

use super::context::{CountTotals, FigureTotal, GroupRef, Totals, Words};
use super::words::Words as Lang;
use crate::content::{Attribution, ClaimKind, Incident, PlacePrecision};

/// The words of message `key` before and after its placeholder `name`, for a sentence whose
/// placeholder is filled with links: "Claimed by {groups}" → ("Claimed by ", "").
fn around(w: &Lang, key: &str, name: &str, n: Option<u64>) -> (String, String) {
    const MARK: &str = "\u{1}";
    let filled = match n {
        Some(n) => w.count(key, n, &[(name, MARK)]),
        None => w.text(key, &[(name, MARK)]),
    };
    match filled.split_once(MARK) {
        Some((a, b)) => (a.to_string(), b.to_string()),
        None => (filled, String::new()),
    }
}

/// " and " between the last two items of a list, in the render's language.
fn and_word(w: &Lang) -> String {
    format!(" {} ", w.text("list.and", &[]))
}

impl Words {
    fn text(s: impl Into<String>) -> Words {
        Words {
            text: s.into(),
            group: None,
        }
    }

    fn group(g: &GroupRef) -> Words {
        Words {
            text: String::new(),
            group: Some(g.clone()),
        }
    }
}

/// The sentence as plain text (group links by their label).
pub fn words_text(words: &[Words]) -> String {
    words
        .iter()
        .map(|w| {
            w.group
                .as_ref()
                .map_or(w.text.as_str(), |g| g.label.as_str())
        })
        .collect()
}

/// "A", "A and B", "A, B and C", with each group a link.
fn list_of(w: &Lang, groups: &[&GroupRef], out: &mut Vec<Words>) {
    for (k, g) in groups.iter().enumerate() {
        if k > 0 {
            out.push(Words::text(if k + 1 == groups.len() {
                and_word(w)
            } else {
                ", ".to_string()
            }));
        }
        out.push(Words::group(g));
    }
}

/// "on 19 June 2017", "in June 2017", "in 2017".
fn when_claimed(w: &Lang, d: &crate::content::PartialDate) -> String {
    let date = w.date(d);
    match d.precision() {
        crate::content::Precision::Day => w.text("claim.on_date", &[("date", &date)]),
        _ => w.text("claim.in_period", &[("date", &date)]),
    }
}

/// "in a statement", "in an audio message", "via Amaq": the medium as a phrase. The medium
/// is the record's own words; English chooses its article and keeps a preposition the record
/// wrote, other languages say `claim.medium`.
fn medium_phrase(w: &Lang, m: &str) -> String {
    let m = m.trim();
    if w.lang.language() != "en" {
        return w.text("claim.medium", &[("medium", m)]);
    }
    let first = m
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match first.as_str() {
        "via" | "through" | "by" | "on" | "in" => m.to_string(),
        "a" | "an" | "the" => format!("in {m}"),
        _ => {
            let vowel = m.chars().next().is_some_and(|c| "aeiouAEIOU".contains(c));
            format!("in {} {m}", if vowel { "an" } else { "a" })
        }
    }
}

/// Who did it, in words: "Claimed by JNIM on 19 June 2017 in a statement; ISGS is
/// suspected." Two or more claimants read as the record says they relate: "Jointly claimed
/// by AQIM and Mourabitoun …" (`claims: joint`), "Competing claims: JNIM claimed it …; ISGS
/// claimed it …" (`claims: competing`), or, when it does not say, neutrally: "Claimed by
/// JNIM … and by ISGS …". `groups` are the refs of `i.claims`, in order.
pub fn who_did_it(w: &Lang, i: &Incident, groups: &[GroupRef]) -> Vec<Words> {
    let mut out: Vec<Words> = Vec::new();
    let of = |a: Attribution| -> Vec<(usize, &GroupRef)> {
        i.claims
            .iter()
            .zip(groups)
            .enumerate()
            .filter(|(_, (c, _))| c.attribution == a)
            .map(|(k, (_, g))| (k, g))
            .collect()
    };
    if groups.is_empty() {
        out.push(Words::text(w.text(
            match i.attribution {
                Some(Attribution::Claimed) => "claim.by_unknown_group",
                Some(Attribution::Suspected) => "claim.suspected_unknown_group",
                Some(Attribution::Disputed) => "claim.disputed_attribution",
                _ => "claim.unattributed_sentence",
            },
            &[],
        )));
        return out;
    }
    let details = |k: usize| -> String {
        let c = &i.claims[k];
        let mut d = String::new();
        if let Some(date) = &c.claim_date {
            d.push(' ');
            d.push_str(&when_claimed(w, date));
        }
        if let Some(m) = c.claim_medium.as_deref().filter(|m| !m.trim().is_empty()) {
            d.push(' ');
            d.push_str(&medium_phrase(w, m));
        }
        d
    };
    let mut clauses: Vec<Vec<Words>> = Vec::new();
    let claimed = of(Attribution::Claimed);
    match (claimed.len(), i.claim_kind()) {
        (0, _) => {}
        (1, _) | (_, ClaimKind::None | ClaimKind::Single) => {
            let (before, after) = around(w, "claim.by", "groups", None);
            let mut c = vec![Words::text(before)];
            for (n, (k, g)) in claimed.iter().enumerate() {
                if n > 0 {
                    c.push(Words::text(w.text("claim.and_by", &[])));
                }
                c.push(Words::group(g));
                c.push(Words::text(details(*k)));
            }
            c.push(Words::text(after));
            clauses.push(c);
        }
        (_, ClaimKind::Joint) => {
            // One claim made together: when the claimants give the same date and medium
            // (one joint statement), say it once.
            let (before, after) = around(w, "claim.jointly_by", "groups", None);
            let mut c = vec![Words::text(before)];
            let gs: Vec<&GroupRef> = claimed.iter().map(|(_, g)| *g).collect();
            list_of(w, &gs, &mut c);
            let all: Vec<String> = claimed.iter().map(|(k, _)| details(*k)).collect();
            if all.iter().all(|d| *d == all[0]) {
                c.push(Words::text(all[0].clone()));
            } else {
                let mut first = true;
                for ((_, g), d) in claimed.iter().zip(&all) {
                    if d.is_empty() {
                        continue;
                    }
                    c.push(Words::text(if first { " (" } else { "; " }));
                    first = false;
                    c.push(Words::group(g));
                    c.push(Words::text(d.clone()));
                }
                if !first {
                    c.push(Words::text(")"));
                }
            }
            c.push(Words::text(after));
            clauses.push(c);
        }
        (_, ClaimKind::Competing) => {
            let (before, after) = around(w, "claim.competing", "claims", None);
            let (g_before, g_after) = around(w, "claim.claimed_it", "group", None);
            let mut c = vec![Words::text(before)];
            for (n, (k, g)) in claimed.iter().enumerate() {
                if n > 0 {
                    c.push(Words::text("; "));
                }
                c.push(Words::text(g_before.clone()));
                c.push(Words::group(g));
                c.push(Words::text(g_after.clone()));
                c.push(Words::text(details(*k)));
            }
            c.push(Words::text(after));
            clauses.push(c);
        }
        (_, ClaimKind::Several) => {
            // Two claims the record does not relate: side by side, neither joint nor
            // competing ("Claimed by AQIM and by Mourabitoun").
            let (before, after) = around(w, "claim.by", "groups", None);
            let mut c = vec![Words::text(before)];
            for (n, (k, g)) in claimed.iter().enumerate() {
                if n > 0 {
                    c.push(Words::text(w.text(
                        if n + 1 == claimed.len() {
                            "claim.and_by"
                        } else {
                            "claim.comma_by"
                        },
                        &[],
                    )));
                }
                c.push(Words::group(g));
                c.push(Words::text(details(*k)));
            }
            c.push(Words::text(after));
            clauses.push(c);
        }
    }
    let mut group_clause = |a: Attribution, key: &str| {
        let gs: Vec<&GroupRef> = of(a).into_iter().map(|(_, g)| g).collect();
        if gs.is_empty() {
            return;
        }
        let (before, after) = around(w, key, "groups", Some(gs.len() as u64));
        let mut c = vec![Words::text(before)];
        list_of(w, &gs, &mut c);
        c.push(Words::text(after));
        clauses.push(c);
    };
    group_clause(Attribution::Suspected, "claim.suspected");
    group_clause(Attribution::Disputed, "claim.disputed");
    group_clause(Attribution::Unattributed, "claim.named_without_attribution");
    sentence(out, clauses)
}

/// The clauses of a who-did-it sentence joined with "; ", capitalised, ending in ".".
fn sentence(mut out: Vec<Words>, clauses: Vec<Vec<Words>>) -> Vec<Words> {
    for (n, c) in clauses.into_iter().enumerate() {
        if n > 0 {
            out.push(Words::text("; "));
        }
        out.extend(c);
    }
    // Capitalise the sentence: the first piece is text unless it opens with a group.
    if let Some(first) = out.first_mut()
        && first.group.is_none()
    {
        let mut cs = first.text.chars();
        if let Some(c) = cs.next() {
            first.text = c.to_uppercase().chain(cs).collect();
        }
    }
    out.push(Words::text("."));
    out
}

/// The place in words at its precision: "Kangaba, Koulikoro" (exact), "near Boulkessi,
/// Mopti" (near), "somewhere in Mopti region" (region), "somewhere in Mali" (country).
/// Empty for an exact place that names neither place nor region.
pub fn where_phrase(w: &Lang, i: &Incident, country_name: &str) -> String {
    let pr = |p: &str, a: &str| w.text("place.place_region", &[("place", p), ("region", a)]);
    let l = &i.location;
    let place = l.place.as_deref().filter(|s| !s.is_empty());
    // "Gao, Gao" and "Radisson Blu hotel, Bamako, Bamako" say the region twice.
    let region = l.admin1.as_deref().filter(|a| !a.is_empty());
    let admin1 = region.filter(|a| {
        !a.is_empty()
            && place.is_none_or(|p| {
                p.rsplit(',')
                    .next()
                    .is_none_or(|last| !last.trim().eq_ignore_ascii_case(a))
            })
    });
    match l.precision {
        PlacePrecision::Exact => match (place, admin1) {
            (Some(p), Some(a)) => pr(p, a),
            (Some(p), None) => p.to_string(),
            (None, Some(a)) => a.to_string(),
            // Only the country, which every page shows on its own.
            (None, None) => String::new(),
        },
        // A place written "Near Douna" already says so.
        PlacePrecision::Near => match (place, admin1) {
            (Some(p), a) if p.to_lowercase().starts_with("near ") => match a {
                Some(a) => pr(p, a),
                None => p.to_string(),
            },
            (Some(p), Some(a)) => w.text("place.near", &[("place", &pr(p, a))]),
            (Some(p), None) => w.text("place.near", &[("place", p)]),
            (None, Some(a)) => w.text("place.near_in_region", &[("region", a)]),
            (None, None) => w.text("place.near_in_country", &[("country", country_name)]),
        },
        PlacePrecision::Region => match region {
            Some(a) => w.text("place.somewhere_in_region", &[("region", a)]),
            None => w.text("place.somewhere_in_country", &[("country", country_name)]),
        },
        PlacePrecision::Country => {
            w.text("place.somewhere_in_country", &[("country", country_name)])
        }
    }
}

/// The place in English with the default theme's words, for the pictures, whose labels stay
/// English until they are given the render's `Words`.
pub fn where_phrase_english(i: &Incident, country_name: &str) -> String {
    static EN: std::sync::OnceLock<Option<Lang>> = std::sync::OnceLock::new();
    match EN.get_or_init(|| Lang::default_theme("en")) {
        Some(en) => where_phrase(en, i, country_name),
        None => String::new(),
    }
}

/// "1 incident", "3 incidents".
pub fn incidents_word(w: &Lang, n: usize) -> String {
    w.count("count.incidents", n as u64, &[])
}

/// "1 incident gives no figure", "3 incidents give no figure".
pub fn no_figure_note(w: &Lang, n: usize) -> String {
    w.count("figure.no_figure_note", n as u64, &[])
}

/// One figure's total over `counted` incidents, in words. `counted` is how many incidents
/// the tally was taken over: those that did not give the figure (stated `unknown`, or not
/// recorded) are said, and a total no incident gives a figure for is "not known", never 0.
pub fn figure_total(
    w: &Lang,
    key: &'static str,
    t: &crate::content::Tally,
    counted: usize,
) -> FigureTotal {
    let label = w.text(&format!("figure.{key}"), &[]);
    let given = t.reported as usize;
    let no_figure = counted.saturating_sub(given);
    let known = given > 0;
    let total = if known || counted == 0 {
        w.tally(t)
    } else {
        w.text("figure.not_known", &[])
    };
    let note = (no_figure > 0).then(|| no_figure_note(w, no_figure));
    let full = match &note {
        Some(n) => format!("{total} ({n})"),
        None => total.clone(),
    };
    FigureTotal {
        key,
        label,
        total,
        full,
        note,
        known,
        given,
        no_figure,
    }
}

/// The deaths not separated into victims and attackers, over the incidents that give only
/// that figure (`Totals::fatalities`): "9 (1 incident gives only this figure)". Only some
/// incidents are expected to give it, so the others are not "without a figure" here: their
/// deaths are in `killed` and attackers killed, or said missing there.
pub fn fatalities_total(w: &Lang, t: &crate::content::Tally) -> FigureTotal {
    let given = t.reported as usize;
    let total = if given > 0 {
        w.tally(t)
    } else {
        w.text("figure.not_known", &[])
    };
    let n = u64::from(t.reported + t.unknown);
    let note = Some(w.count("figure.only_this_figure_note", n, &[]));
    FigureTotal {
        key: "fatalities",
        label: w.text("figure.dead_in_all_not_separated", &[]),
        full: format!("{total} ({})", note.as_deref().unwrap_or_default()),
        total,
        note,
        known: given > 0,
        given,
        no_figure: 0,
    }
}

/// "9 dead in all; victims and attackers not separated." and, for a record that is
/// `counted` in totals, how that figure is counted.
pub fn fatalities_words(w: &Lang, c: &crate::content::Casualties, counted: bool) -> Option<String> {
    let f = c.fatalities.as_ref()?;
    let mut s = match f {
        crate::content::Count::Unknown => w.text("figure.dead_in_all_unknown_sentence", &[]),
        f => w.text(
            "figure.dead_in_all_sentence",
            &[("figure", &capitalise(&w.figure(f)))],
        ),
    };
    if !counted {
        return Some(s);
    }
    s.push(' ');
    s.push_str(&w.text(
        if c.fatalities_only() {
            "figure.counted_apart"
        } else {
            "figure.counted_as_given"
        },
        &[],
    ));
    Some(s)
}

/// The text with its first letter in upper case ("at least 9" → "At least 9").
pub fn capitalise(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(c) => c.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

/// "claimed 12 killed, at least 20 wounded and 2 captured": a group's own figures.
pub fn claimed_text(w: &Lang, f: &crate::content::ClaimedFigures) -> Option<String> {
    let parts: Vec<String> = [
        (f.killed.as_ref(), "figure.claimed_killed"),
        (f.wounded.as_ref(), "figure.claimed_wounded"),
        (f.captured.as_ref(), "figure.claimed_captured"),
    ]
    .into_iter()
    .filter_map(|(c, key)| {
        c.map(|c| match c {
            crate::content::Count::Unknown => {
                // "an unknown number killed": the figure's word alone, after the phrase.
                let what = w.text(key, &[("figure", "")]);
                w.text("figure.an_unknown_number", &[("what", what.trim())])
            }
            c => w.text(key, &[("figure", &w.figure(c))]),
        })
    })
    .collect();
    let figures = match parts.len() {
        0 => return None,
        1 => parts[0].clone(),
        n => format!(
            "{}{}{}",
            parts[..n - 1].join(", "),
            and_word(w),
            parts[n - 1]
        ),
    };
    Some(w.text("figure.claimed", &[("figures", &figures)]))
}

/// Totals for display.
pub fn totals_view(w: &Lang, t: &CountTotals) -> Totals {
    let n = t.incidents;
    let killed = figure_total(w, "killed", &t.killed, n);
    let wounded = figure_total(w, "wounded", &t.wounded, n);
    // Captives and attackers killed are not part of most incidents: shown only when some
    // counted incident mentions them (a figure or `unknown`), and then with what is missing.
    let mentioned = |x: &crate::content::Tally| !x.is_empty();
    let captured = mentioned(&t.captured).then(|| figure_total(w, "captured", &t.captured, n));
    let attackers = mentioned(&t.attackers_killed)
        .then(|| figure_total(w, "attackers_killed", &t.attackers_killed, n));
    let fatalities = mentioned(&t.fatalities).then(|| fatalities_total(w, &t.fatalities));
    let mut figures = vec![killed.clone(), wounded.clone()];
    figures.extend(captured.clone());
    figures.extend(attackers.clone());
    figures.extend(fatalities.clone());
    Totals {
        incidents: n,
        after_cutoff: t.after_cutoff,
        killed: killed.total,
        killed_full: killed.full,
        killed_unknown: killed.note,
        wounded: wounded.total,
        wounded_full: wounded.full,
        wounded_unknown: wounded.note,
        captured: captured.map(|c| c.full),
        attackers_killed: attackers.map(|a| a.full),
        fatalities: fatalities.map(|f| f.full),
        figures,
        same_event: t.same_event,
        claimed: t.claimed,
        suspected: t.suspected,
        disputed: t.disputed,
        unattributed: t.unattributed,
        killed_claimed: figure_total(w, "killed", &t.killed_claimed, t.claimed).full,
        killed_suspected: figure_total(w, "killed", &t.killed_suspected, t.suspected).full,
        killed_disputed: figure_total(w, "killed", &t.killed_disputed, t.disputed).full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Location, Origin, PartialDate};

    fn at(place: Option<&str>, admin1: Option<&str>, precision: PlacePrecision) -> Incident {
        Incident {
            id: "x".into(),
            title: "x".into(),
            date: PartialDate::parse("2017-06-18").unwrap(),
            end_date: None,
            location: Location {
                place: place.map(str::to_string),
                admin1: admin1.map(str::to_string),
                admin2: None,
                country: "ML".into(),
                coords: None,
                precision,
            },
            groups: vec![],
            claims: vec![],
            attribution: None,
            claim_relation: None,
            event_type: None,
            targets: vec![],
            casualties: Default::default(),
            tags: vec![],
            summary: None,
            sources: vec![],
            distinct_from: vec![],
            same_event_as: None,
            draft: false,
            body: String::new(),
            origin: Origin {
                file: 0,
                body_offset: 0,
            },
        }
    }

    #[test]
    fn places_read_at_their_precision_without_saying_the_region_twice() {
        use PlacePrecision::*;
        let en = crate::render::words::Words::default_theme("en").unwrap();
        let w = |p, a, k| where_phrase(&en, &at(p, a, k), "Mali");
        assert_eq!(
            w(Some("Kangaba"), Some("Koulikoro"), Exact),
            "Kangaba, Koulikoro"
        );
        assert_eq!(w(Some("Gao"), Some("Gao"), Exact), "Gao");
        assert_eq!(
            w(Some("Radisson Blu hotel, Bamako"), Some("Bamako"), Near),
            "near Radisson Blu hotel, Bamako"
        );
        assert_eq!(
            w(Some("Near Douna"), Some("Mopti"), Near),
            "Near Douna, Mopti"
        );
        assert_eq!(
            w(Some("Mopti"), Some("Mopti"), Region),
            "somewhere in Mopti region"
        );
        assert_eq!(w(None, None, Region), "somewhere in Mali");
        assert_eq!(
            w(Some("Boulkessi"), Some("Mopti"), Country),
            "somewhere in Mali"
        );
        assert_eq!(w(None, None, Exact), "");
    }

    #[test]
    fn claim_media_read_as_phrases() {
        let en = Lang::default_theme("en").unwrap();
        assert_eq!(medium_phrase(&en, "statement"), "in a statement");
        assert_eq!(medium_phrase(&en, "audio message"), "in an audio message");
        assert_eq!(medium_phrase(&en, "a video"), "in a video");
        assert_eq!(medium_phrase(&en, "via Amaq"), "via Amaq");
        let fr = Lang::default_theme("fr").unwrap();
        assert_eq!(
            medium_phrase(&fr, "statement"),
            fr.text("claim.medium", &[("medium", "statement")])
        );
    }

    #[test]
    fn places_read_in_french_at_their_precision() {
        use PlacePrecision::*;
        let fr = Lang::default_theme("fr").unwrap();
        let w = |p, a, k| where_phrase(&fr, &at(p, a, k), "Mali");
        assert_eq!(
            w(None, Some("Mopti"), Region),
            "quelque part dans la région de Mopti"
        );
        assert_eq!(
            w(Some("Kangaba"), Some("Koulikoro"), Exact),
            "Kangaba, Koulikoro"
        );
    }
}
