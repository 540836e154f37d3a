//! The English a reader sees, built from the data here rather than in templates, so every
//! theme says who did it, where, and what a total leaves out at the same honest precision:
//! who-did-it sentences (as `Words`, text and group links in order), places at their
//! precision, claimed figures, and totals in words. Takes records and counted totals; returns
//! strings and view values (`context`). Issue 17 replaces these words with translations: keep
//! every English word a page shows from Rust here, and none in `context.rs`.

use super::context::{CountTotals, FigureTotal, GroupRef, Totals, Words};
use crate::content::{Attribution, ClaimKind, Incident, PlacePrecision};

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
fn list_of(groups: &[&GroupRef], out: &mut Vec<Words>) {
    for (k, g) in groups.iter().enumerate() {
        if k > 0 {
            out.push(Words::text(if k + 1 == groups.len() {
                " and "
            } else {
                ", "
            }));
        }
        out.push(Words::group(g));
    }
}

/// "on 19 June 2017", "in June 2017", "in 2017".
fn when_claimed(d: &crate::content::PartialDate) -> String {
    match d.precision() {
        crate::content::Precision::Day => format!("on {}", d.display()),
        _ => format!("in {}", d.display()),
    }
}

/// "in a statement", "in an audio message", "via Amaq": the medium as a phrase.
fn medium_phrase(m: &str) -> String {
    let m = m.trim();
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
pub fn who_did_it(i: &Incident, groups: &[GroupRef]) -> Vec<Words> {
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
        out.push(Words::text(match i.attribution {
            Some(Attribution::Claimed) => "Claimed, by a group not on record.",
            Some(Attribution::Suspected) => "A group not on record is suspected.",
            Some(Attribution::Disputed) => "Its attribution is disputed.",
            _ => "Unattributed: no group claimed it and none is blamed.",
        }));
        return out;
    }
    let details = |k: usize| -> String {
        let c = &i.claims[k];
        let mut d = String::new();
        if let Some(date) = &c.claim_date {
            d.push(' ');
            d.push_str(&when_claimed(date));
        }
        if let Some(m) = c.claim_medium.as_deref().filter(|m| !m.trim().is_empty()) {
            d.push(' ');
            d.push_str(&medium_phrase(m));
        }
        d
    };
    let mut clauses: Vec<Vec<Words>> = Vec::new();
    let claimed = of(Attribution::Claimed);
    match (claimed.len(), i.claim_kind()) {
        (0, _) => {}
        (1, _) | (_, ClaimKind::None | ClaimKind::Single) => {
            let mut c = vec![Words::text("Claimed by ")];
            for (n, (k, g)) in claimed.iter().enumerate() {
                if n > 0 {
                    c.push(Words::text(" and by "));
                }
                c.push(Words::group(g));
                c.push(Words::text(details(*k)));
            }
            clauses.push(c);
        }
        (_, ClaimKind::Joint) => {
            // One claim made together: when the claimants give the same date and medium
            // (one joint statement), say it once.
            let mut c = vec![Words::text("Jointly claimed by ")];
            let gs: Vec<&GroupRef> = claimed.iter().map(|(_, g)| *g).collect();
            list_of(&gs, &mut c);
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
            clauses.push(c);
        }
        (_, ClaimKind::Competing) => {
            let mut c = vec![Words::text("Competing claims: ")];
            for (n, (k, g)) in claimed.iter().enumerate() {
                if n > 0 {
                    c.push(Words::text("; "));
                }
                c.push(Words::group(g));
                c.push(Words::text(" claimed it"));
                c.push(Words::text(details(*k)));
            }
            clauses.push(c);
        }
        (_, ClaimKind::Several) => {
            // Two claims the record does not relate: side by side, neither joint nor
            // competing ("Claimed by AQIM and by Mourabitoun").
            let mut c = vec![Words::text("Claimed by ")];
            for (n, (k, g)) in claimed.iter().enumerate() {
                if n > 0 {
                    c.push(Words::text(if n + 1 == claimed.len() {
                        " and by "
                    } else {
                        ", by "
                    }));
                }
                c.push(Words::group(g));
                c.push(Words::text(details(*k)));
            }
            clauses.push(c);
        }
    }
    let mut group_clause = |a: Attribution, one: &str, many: &str, lead: &str| {
        let gs: Vec<&GroupRef> = of(a).into_iter().map(|(_, g)| g).collect();
        if gs.is_empty() {
            return;
        }
        let mut c = vec![Words::text(lead)];
        list_of(&gs, &mut c);
        c.push(Words::text(if gs.len() == 1 { one } else { many }));
        clauses.push(c);
    };
    group_clause(
        Attribution::Suspected,
        " is suspected",
        " are suspected",
        "",
    );
    group_clause(
        Attribution::Disputed,
        " is disputed",
        " are disputed",
        "the role of ",
    );
    group_clause(
        Attribution::Unattributed,
        " is named without a firm attribution",
        " are named without a firm attribution",
        "",
    );
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
pub fn where_phrase(i: &Incident, country_name: &str) -> String {
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
            (Some(p), Some(a)) => format!("{p}, {a}"),
            (Some(p), None) => p.to_string(),
            (None, Some(a)) => a.to_string(),
            // Only the country, which every page shows on its own.
            (None, None) => String::new(),
        },
        // A place written "Near Douna" already says so.
        PlacePrecision::Near => match (place, admin1) {
            (Some(p), a) if p.to_lowercase().starts_with("near ") => match a {
                Some(a) => format!("{p}, {a}"),
                None => p.to_string(),
            },
            (Some(p), Some(a)) => format!("near {p}, {a}"),
            (Some(p), None) => format!("near {p}"),
            (None, Some(a)) => format!("near a place in {a} region"),
            (None, None) => format!("near a place in {country_name}"),
        },
        PlacePrecision::Region => match region {
            Some(a) => format!("somewhere in {a} region"),
            None => format!("somewhere in {country_name}"),
        },
        PlacePrecision::Country => format!("somewhere in {country_name}"),
    }
}

/// "1 incident", "3 incidents".
pub fn incidents_word(n: usize) -> String {
    if n == 1 {
        "1 incident".to_string()
    } else {
        format!("{n} incidents")
    }
}

/// "1 incident gives no figure", "3 incidents give no figure".
pub fn no_figure_note(n: usize) -> String {
    if n == 1 {
        "1 incident gives no figure".to_string()
    } else {
        format!("{n} incidents give no figure")
    }
}

/// One figure's total over `counted` incidents, in words. `counted` is how many incidents
/// the tally was taken over: those that did not give the figure (stated `unknown`, or not
/// recorded) are said, and a total no incident gives a figure for is "not known", never 0.
pub fn figure_total(
    key: &'static str,
    label: &'static str,
    t: &crate::content::Tally,
    counted: usize,
) -> FigureTotal {
    let given = t.reported as usize;
    let no_figure = counted.saturating_sub(given);
    let known = given > 0;
    let total = if known || counted == 0 {
        t.display()
    } else {
        "not known".to_string()
    };
    let note = (no_figure > 0).then(|| no_figure_note(no_figure));
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
pub fn fatalities_total(t: &crate::content::Tally) -> FigureTotal {
    let given = t.reported as usize;
    let total = if given > 0 {
        t.display()
    } else {
        "not known".to_string()
    };
    let n = (t.reported + t.unknown) as usize;
    let note = Some(if n == 1 {
        "1 incident gives only this figure".to_string()
    } else {
        format!("{n} incidents give only this figure")
    });
    FigureTotal {
        key: "fatalities",
        label: "Dead in all, not separated",
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
pub fn fatalities_words(c: &crate::content::Casualties, counted: bool) -> Option<String> {
    let f = c.fatalities.as_ref()?;
    let mut s = match f {
        crate::content::Count::Unknown => {
            "Dead in all not known; victims and attackers not separated.".to_string()
        }
        f => format!(
            "{} dead in all; victims and attackers not separated.",
            capitalise(&f.display())
        ),
    };
    if !counted {
        return Some(s);
    }
    s.push_str(if c.fatalities_only() {
        " Counted apart, never with the victims."
    } else {
        " Victims and attackers killed are counted as given above, not this figure."
    });
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
pub fn claimed_text(f: &crate::content::ClaimedFigures) -> Option<String> {
    let parts: Vec<String> = [
        (f.killed.as_ref(), "killed"),
        (f.wounded.as_ref(), "wounded"),
        (f.captured.as_ref(), "captured"),
    ]
    .into_iter()
    .filter_map(|(c, what)| {
        c.map(|c| match c {
            crate::content::Count::Unknown => format!("an unknown number {what}"),
            c => format!("{} {what}", c.display()),
        })
    })
    .collect();
    match parts.len() {
        0 => None,
        1 => Some(format!("claimed {}", parts[0])),
        n => Some(format!(
            "claimed {} and {}",
            parts[..n - 1].join(", "),
            parts[n - 1]
        )),
    }
}

/// Totals for display.
pub fn totals_view(t: &CountTotals) -> Totals {
    let n = t.incidents;
    let killed = figure_total("killed", "Killed", &t.killed, n);
    let wounded = figure_total("wounded", "Wounded", &t.wounded, n);
    // Captives and attackers killed are not part of most incidents: shown only when some
    // counted incident mentions them (a figure or `unknown`), and then with what is missing.
    let mentioned = |x: &crate::content::Tally| !x.is_empty();
    let captured =
        mentioned(&t.captured).then(|| figure_total("captured", "Captured", &t.captured, n));
    let attackers = mentioned(&t.attackers_killed).then(|| {
        figure_total(
            "attackers_killed",
            "Attackers killed",
            &t.attackers_killed,
            n,
        )
    });
    let fatalities = mentioned(&t.fatalities).then(|| fatalities_total(&t.fatalities));
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
        killed_claimed: figure_total("killed", "Killed", &t.killed_claimed, t.claimed).full,
        killed_suspected: figure_total("killed", "Killed", &t.killed_suspected, t.suspected).full,
        killed_disputed: figure_total("killed", "Killed", &t.killed_disputed, t.disputed).full,
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
        let w = |p, a, k| where_phrase(&at(p, a, k), "Mali");
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
        assert_eq!(medium_phrase("statement"), "in a statement");
        assert_eq!(medium_phrase("audio message"), "in an audio message");
        assert_eq!(medium_phrase("a video"), "in a video");
        assert_eq!(medium_phrase("via Amaq"), "via Amaq");
    }
}
