//! The ACLED codec, both directions: our incidents as rows in ACLED's 31 columns (what
//! `data/acled.csv` holds, issue 10) and the parsers of the codes and `tags` items those rows
//! carry, which `briefwerk import acled` uses to read them back without loss.
//!
//! Takes validated records (or cells) and returns cells (or values). Pure: reads and writes no
//! file, reports nothing (the importer says what a bad cell means and where). Every code here
//! is documented in docs/data.md; change one only together with it and
//! [`crate::render::export::SCHEMA_VERSION`].

use crate::codec::cell::{LIST_SEPARATOR, round6};
use crate::content::{Count, Incident, PlacePrecision, Precision, Site, country};

/// ACLED's 31 columns, in ACLED's order.
pub const ACLED_COLUMNS: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// Our event type ids → ACLED's `(disorder_type, event_type, sub_event_type)`; the table in
/// docs/data.md. `attack` and `ambush` are ACLED battles unless civilians are a target (see
/// [`acled_event`]).
pub const ACLED_EVENT_TYPES: &[(&str, &str, &str, &str)] = &[
    ("attack", "Political violence", "Battles", "Armed clash"),
    ("ambush", "Political violence", "Battles", "Armed clash"),
    ("clash", "Political violence", "Battles", "Armed clash"),
    (
        "bombing",
        "Political violence",
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
    ),
    (
        "shelling",
        "Political violence",
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    (
        "kidnapping",
        "Political violence",
        "Violence against civilians",
        "Abduction/forced disappearance",
    ),
    (
        "assassination",
        "Political violence",
        "Violence against civilians",
        "Attack",
    ),
    (
        "massacre",
        "Political violence",
        "Violence against civilians",
        "Attack",
    ),
    (
        "announcement",
        "Strategic developments",
        "Strategic developments",
        "Other",
    ),
];

/// ACLED's `(disorder_type, event_type, sub_event_type)` for one of our event types; empty
/// strings for a type outside [`ACLED_EVENT_TYPES`] (a site's own vocabulary), whose id still
/// travels in `tags`. An attack or ambush on civilians is ACLED's "Violence against civilians /
/// Attack", as ACLED codes one-sided violence; on armed people it is a battle.
pub fn acled_event(
    event_type: Option<&str>,
    civilians: bool,
) -> (&'static str, &'static str, &'static str) {
    let Some(row) = event_type.and_then(|t| ACLED_EVENT_TYPES.iter().find(|r| r.0 == t)) else {
        return ("", "", "");
    };
    if civilians && matches!(row.0, "attack" | "ambush") {
        return ("Political violence", "Violence against civilians", "Attack");
    }
    (row.1, row.2, row.3)
}

/// ACLED's `event_date` and `time_precision` for a date: a day is itself (1); a month is
/// dated the 15th (3), as ACLED does; a year is dated 1 July (3), its middle, and the year
/// alone travels in `tags` as `date=YYYY`.
pub fn acled_date(d: &crate::content::PartialDate) -> (String, u8) {
    match (d.month, d.day) {
        (Some(m), Some(day)) => (format!("{:04}-{m:02}-{day:02}", d.year), 1),
        (Some(m), None) => (format!("{:04}-{m:02}-15", d.year), 3),
        _ => (format!("{:04}-07-01", d.year), 3),
    }
}

/// ACLED's `geo_precision` of a place precision: 1 exact, 2 near, 3 region or country.
pub fn geo_precision(p: PlacePrecision) -> u8 {
    match p {
        PlacePrecision::Exact => 1,
        PlacePrecision::Near => 2,
        PlacePrecision::Region | PlacePrecision::Country => 3,
    }
}

/// The place precision ACLED's `geo_precision` means: 1 exact, 2 near, 3 region (a row of
/// ours says `precision=country` when only the country is known).
pub fn place_precision(geo_precision: &str) -> Option<PlacePrecision> {
    match geo_precision.trim() {
        "1" => Some(PlacePrecision::Exact),
        "2" => Some(PlacePrecision::Near),
        "3" => Some(PlacePrecision::Region),
        _ => None,
    }
}

/// A casualty figure in a tag: `12`, `10-12`, `257+` ("at least"), `unknown`.
pub fn count_tag(c: &Count) -> String {
    match *c {
        Count::Exact { n } => n.to_string(),
        Count::Range {
            min,
            max: Some(max),
        } if min == max => min.to_string(),
        Count::Range {
            min,
            max: Some(max),
        } => format!("{min}-{max}"),
        Count::Range { min, max: None } => format!("{min}+"),
        Count::Unknown => "unknown".to_string(),
    }
}

/// Reads a figure written by [`count_tag`].
pub fn parse_count_tag(s: &str) -> Option<Count> {
    let s = s.trim();
    if s == "unknown" {
        return Some(Count::Unknown);
    }
    if let Some(min) = s.strip_suffix('+') {
        return Some(Count::Range {
            min: min.parse().ok()?,
            max: None,
        });
    }
    if let Some((a, b)) = s.split_once('-') {
        let (min, max) = (a.parse().ok()?, b.parse().ok()?);
        return (min <= max).then_some(Count::Range {
            min,
            max: Some(max),
        });
    }
    s.parse().ok().map(|n| Count::Exact { n })
}

/// Escapes a tag value so that `; ` separates items unambiguously and nothing is lost to
/// the trimming of items: `%`, `;`, CR, LF and tab become `%25`, `%3B`, `%0D`, `%0A`, `%09`,
/// and a space at either end `%20`.
pub fn escape_tag(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let last = v.chars().count().saturating_sub(1);
    for (n, c) in v.chars().enumerate() {
        match c {
            '%' => out.push_str("%25"),
            ';' => out.push_str("%3B"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            '\t' => out.push_str("%09"),
            ' ' if n == 0 || n == last => out.push_str("%20"),
            c => out.push(c),
        }
    }
    out
}

/// Undoes [`escape_tag`] (any other `%` is left as written).
pub fn unescape_tag(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let code = rest.get(i + 1..i + 3);
        let c = match code {
            Some("25") => Some('%'),
            Some("3B" | "3b") => Some(';'),
            Some("0D" | "0d") => Some('\r'),
            Some("0A" | "0a") => Some('\n'),
            Some("09") => Some('\t'),
            Some("20") => Some(' '),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[i + 3..];
            }
            None => {
                out.push('%');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Splits an ACLED `tags` field into `(key, value)` items, values unescaped. Items without
/// `=` (ACLED's own free tags) come back with an empty key.
pub fn parse_tags(field: &str) -> Vec<(String, String)> {
    field
        .split(';')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| match t.split_once('=') {
            Some((k, v)) => (k.trim().to_string(), unescape_tag(v.trim())),
            None => (String::new(), t.to_string()),
        })
        .collect()
}

/// The `tags` items of one incident: everything ACLED's columns cannot hold, in a fixed order.
fn acled_tags(i: &Incident, cutoff: Option<&crate::content::PartialDate>) -> Vec<String> {
    let mut t: Vec<String> = Vec::new();
    let mut push = |k: &str, v: &str| t.push(format!("{k}={}", escape_tag(v)));
    push("id", &i.id);
    push("title", &i.title);
    if i.date.precision() == Precision::Year {
        push("date", &i.date.iso());
    }
    if let Some(e) = &i.end_date {
        push("end_date", &e.iso());
    }
    if let Some(e) = &i.event_type {
        push("event_type", e);
    }
    if let Some(a) = i.attribution {
        push("attribution", a.as_str());
    }
    if let Some(c) = i.claim_relation {
        push("claims", c.as_str());
    }
    for c in &i.claims {
        push(&format!("group.{}", c.id), c.attribution.as_str());
        if let Some(d) = &c.claim_date {
            push(&format!("group.{}.claim_date", c.id), &d.iso());
        }
        if let Some(m) = &c.claim_medium {
            push(&format!("group.{}.claim_medium", c.id), m);
        }
        for (k, f) in [
            ("claimed_killed", &c.claimed.killed),
            ("claimed_wounded", &c.claimed.wounded),
            ("claimed_captured", &c.claimed.captured),
        ] {
            if let Some(f) = f {
                push(&format!("group.{}.{k}", c.id), &count_tag(f));
            }
        }
    }
    let cas = &i.casualties;
    let attackers = cas.attackers_killed.as_ref();
    // `fatalities` holds an exact victim count alone; anything else is said here (always
    // when the record has an all-deaths figure, which the column then holds).
    if let Some(k) = &cas.killed
        && (!matches!(k, Count::Exact { .. }) || attackers.is_some() || cas.fatalities.is_some())
    {
        push("killed", &count_tag(k));
    }
    for (k, c) in [
        ("wounded", cas.wounded.as_ref()),
        ("captured", cas.captured.as_ref()),
        ("attackers_killed", attackers),
        ("fatalities", cas.fatalities.as_ref()),
    ] {
        if let Some(c) = c {
            push(k, &count_tag(c));
        }
    }
    // geo_precision 3 is `region` unless this says otherwise.
    if i.location.precision == PlacePrecision::Country {
        push("precision", PlacePrecision::Country.as_str());
    }
    // `target.kind=` and `target.group=` qualify the `target=` just before them.
    for x in &i.targets {
        push("target", &x.actor);
        if let Some(k) = x.kind {
            push("target.kind", k.as_str());
        }
        if let Some(g) = &x.group {
            push("target.group", g);
        }
    }
    for x in &i.tags {
        push("tag", x);
    }
    if let Some(s) = &i.same_event_as {
        push("same_event_as", s);
    }
    for d in &i.distinct_from {
        push("distinct_from", d);
    }
    for (n, s) in i.sources.iter().enumerate() {
        let n = n + 1;
        push(&format!("source.{n}.title"), &s.title);
        if let Some(u) = &s.url {
            push(&format!("source.{n}.url"), u);
        }
        if let Some(p) = &s.publisher {
            push(&format!("source.{n}.publisher"), p);
        }
        if let Some(d) = &s.date {
            push(&format!("source.{n}.date"), &d.iso());
        }
    }
    if let Some(c) = cutoff {
        push("data_cutoff", &c.iso());
        if i.after_cutoff(Some(c)) {
            push("after_cutoff", "true");
        }
    }
    t
}

/// Whether a target is civilians, for ACLED's `civilian_targeting` and `actor2`.
fn is_civilian(target: &str) -> bool {
    target.to_lowercase().contains("civilian")
}

/// One incident as an ACLED row, in [`ACLED_COLUMNS`] order.
pub fn acled_row(
    i: &Incident,
    site: &Site,
    cutoff: Option<&crate::content::PartialDate>,
) -> Vec<String> {
    let code = i.location.country.as_str();
    let (_, numeric, cname) = country::by_code(code).unwrap_or((code, 0, code));
    let civilians = i.targets.iter().any(|t| {
        t.kind == Some(crate::content::TargetKind::Civilians)
            || (t.kind.is_none() && is_civilian(&t.actor))
    });
    let (disorder, event, sub) = acled_event(i.event_type.as_deref(), civilians);
    let (event_date, time_precision) = acled_date(&i.date);
    let groups: Vec<&crate::content::Group> =
        i.groups.iter().filter_map(|g| site.group(g)).collect();
    fn actor<'g>(g: &&'g crate::content::Group) -> &'g str {
        g.acled_actor.as_deref().unwrap_or(&g.name)
    }
    let actor1 = groups.first().map(actor).unwrap_or_default().to_string();
    let assoc1 = groups
        .iter()
        .skip(1)
        .map(actor)
        .collect::<Vec<_>>()
        .join(LIST_SEPARATOR);
    let inter1 = groups.first().and_then(|g| g.inter);
    // ACLED names the civilians of the country as actor 2, with actor type 7.
    // Actor 2 is the first typed target (a profiled group by its ACLED name), its
    // associates the other typed ones; without typed targets, civilians when a target names
    // them, as before.
    let typed: Vec<(&str, u8)> = i
        .targets
        .iter()
        .filter_map(|t| {
            let kind = t.kind?;
            let name = t
                .group
                .as_deref()
                .and_then(|g| site.group(g))
                .map_or(t.actor.as_str(), |g| {
                    g.acled_actor.as_deref().unwrap_or(&g.name)
                });
            Some((name, kind.inter()))
        })
        .collect();
    let (actor2, assoc2, inter2) = match typed.split_first() {
        Some((first, rest)) => (
            first.0.to_string(),
            rest.iter()
                .map(|t| t.0)
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR),
            Some(first.1),
        ),
        None if civilians => (format!("Civilians ({cname})"), String::new(), Some(7u8)),
        None => (String::new(), String::new(), None),
    };
    // ACLED's interaction: the two actor types, lower first; one actor alone is `N0`.
    let interaction = match (inter1, inter2) {
        (Some(a), Some(b)) => format!("{}{}", a.min(b), a.max(b)),
        (Some(a), None) => format!("{a}0"),
        _ => String::new(),
    };
    let mut sources: Vec<&str> = Vec::new();
    for s in &i.sources {
        let name = s.publisher.as_deref().unwrap_or(&s.title);
        if !sources.contains(&name) {
            sources.push(name);
        }
    }
    let cas = &i.casualties;
    // Every death: the record's all-deaths figure when it gives a number, else the victims'
    // lower bound plus the attackers' (both conservative); empty when none is known. An
    // all-deaths figure stated `unknown` gives no number: the victims known are still dead.
    let fatalities = cas.fatalities.as_ref().and_then(Count::min).or_else(|| {
        [cas.killed.as_ref(), cas.attackers_killed.as_ref()]
            .into_iter()
            .filter_map(|c| c.and_then(Count::min))
            .reduce(|a, b| a + b)
    });
    let opt = |v: Option<String>| v.unwrap_or_default();
    vec![
        i.id.clone(),
        event_date,
        i.date.year.to_string(),
        time_precision.to_string(),
        disorder.to_string(),
        event.to_string(),
        sub.to_string(),
        actor1,
        assoc1,
        opt(inter1.map(|n| n.to_string())),
        actor2,
        assoc2,
        opt(inter2.map(|n| n.to_string())),
        interaction,
        if civilians { "Civilian targeting" } else { "" }.to_string(),
        if numeric == 0 {
            String::new()
        } else {
            numeric.to_string()
        },
        String::new(),
        cname.to_string(),
        opt(i.location.admin1.clone()),
        opt(i.location.admin2.clone()),
        String::new(),
        opt(i.location.place.clone()),
        opt(i.location.coords.map(|c| round6(c.0).to_string())),
        opt(i.location.coords.map(|c| round6(c.1).to_string())),
        geo_precision(i.location.precision).to_string(),
        sources.join(LIST_SEPARATOR),
        String::new(),
        opt(i.summary.clone()),
        opt(fatalities.map(|n| n.to_string())),
        acled_tags(i, cutoff).join(LIST_SEPARATOR),
        String::new(),
    ]
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// An incident in Mali with only what a record must have.
    pub(crate) fn incident(date: &str) -> Incident {
        Incident {
            id: "x".into(),
            title: "T".into(),
            date: crate::content::PartialDate::parse(date).unwrap(),
            end_date: None,
            location: crate::content::Location {
                place: Some("Boni".into()),
                admin1: Some("Mopti".into()),
                admin2: None,
                country: "ML".into(),
                coords: None,
                precision: crate::content::PlacePrecision::Near,
            },
            groups: vec![],
            claims: vec![],
            attribution: None,
            claim_relation: None,
            event_type: None,
            targets: vec![],
            casualties: crate::content::Casualties::default(),
            tags: vec![],
            summary: None,
            sources: vec![],
            distinct_from: vec![],
            same_event_as: None,
            draft: false,
            body: String::new(),
            origin: crate::content::Origin {
                file: 0,
                body_offset: 0,
            },
        }
    }

    /// The ACLED row of `i` by column name, and its tags.
    fn acled(i: &Incident) -> (BTreeMap<&'static str, String>, Vec<(String, String)>) {
        let row: BTreeMap<&'static str, String> = ACLED_COLUMNS
            .into_iter()
            .zip(acled_row(i, &Site::default(), None))
            .collect();
        let tags = parse_tags(&row["tags"]);
        (row, tags)
    }

    fn tag<'a>(tags: &'a [(String, String)], key: &str) -> Option<&'a str> {
        tags.iter().find(|t| t.0 == key).map(|t| t.1.as_str())
    }

    #[test]
    fn acled_dates_a_month_on_the_15th_and_a_year_on_1_july() {
        let (r, t) = acled(&incident("2017-06-18"));
        assert_eq!(
            (r["event_date"].as_str(), r["time_precision"].as_str()),
            ("2017-06-18", "1")
        );
        assert_eq!(tag(&t, "date"), None);
        let (r, t) = acled(&incident("2017-06"));
        assert_eq!(
            (r["event_date"].as_str(), r["time_precision"].as_str()),
            ("2017-06-15", "3")
        );
        assert_eq!(tag(&t, "date"), None);
        let (r, t) = acled(&incident("2017"));
        assert_eq!(
            (r["event_date"].as_str(), r["time_precision"].as_str()),
            ("2017-07-01", "3")
        );
        assert_eq!(r["year"], "2017");
        assert_eq!(tag(&t, "date"), Some("2017"));
        let mut i = incident("2015-08-07");
        i.end_date = Some(crate::content::PartialDate::parse("2015-08-08").unwrap());
        assert_eq!(tag(&acled(&i).1, "end_date"), Some("2015-08-08"));
    }

    #[test]
    fn acled_geo_precision_follows_what_the_place_says() {
        let mut i = incident("2017");
        let mut at = |p: PlacePrecision| {
            i.location.precision = p;
            let (r, t) = acled(&i);
            (
                r["geo_precision"].clone(),
                tag(&t, "precision").map(str::to_string),
            )
        };
        assert_eq!(at(PlacePrecision::Exact), ("1".into(), None));
        assert_eq!(at(PlacePrecision::Near), ("2".into(), None));
        assert_eq!(at(PlacePrecision::Region), ("3".into(), None));
        assert_eq!(
            at(PlacePrecision::Country),
            ("3".into(), Some("country".into()))
        );
        for p in [
            PlacePrecision::Exact,
            PlacePrecision::Near,
            PlacePrecision::Region,
        ] {
            assert_eq!(place_precision(&geo_precision(p).to_string()), Some(p));
        }
        let (r, _) = acled(&i);
        assert_eq!((r["iso"].as_str(), r["country"].as_str()), ("466", "Mali"));
    }

    #[test]
    fn acled_keeps_attackers_apart_and_each_groups_claim() {
        let mut i = incident("2017-06-18");
        i.casualties.killed = Some(Count::Exact { n: 4 });
        i.casualties.attackers_killed = Some(Count::Range { min: 5, max: None });
        let (r, t) = acled(&i);
        // ACLED counts every death; the victims alone are in the tag.
        assert_eq!(r["fatalities"], "9");
        assert_eq!(tag(&t, "killed"), Some("4"));
        assert_eq!(tag(&t, "attackers_killed"), Some("5+"));

        i.groups = vec!["jnim".into(), "isgs".into()];
        i.attribution = Some(crate::content::Attribution::Claimed);
        i.claims = vec![
            crate::content::GroupClaim {
                id: "jnim".into(),
                attribution: crate::content::Attribution::Claimed,
                claim_date: crate::content::PartialDate::parse("2017-06-19").ok(),
                claim_medium: Some("statement".into()),
                claimed: Default::default(),
            },
            crate::content::GroupClaim {
                id: "isgs".into(),
                attribution: crate::content::Attribution::Suspected,
                claim_date: None,
                claim_medium: None,
                claimed: Default::default(),
            },
        ];
        let t = acled(&i).1;
        let groups: Vec<(&str, &str)> = t
            .iter()
            .filter(|(k, _)| k.starts_with("group."))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            groups,
            [
                ("group.jnim", "claimed"),
                ("group.jnim.claim_date", "2017-06-19"),
                ("group.jnim.claim_medium", "statement"),
                ("group.isgs", "suspected")
            ]
        );
        assert_eq!(tag(&t, "attribution"), Some("claimed"));
    }

    #[test]
    fn acled_rows_state_the_cutoff_and_mark_what_is_after_it() {
        let cutoff = crate::content::PartialDate::parse("2017-06-30").unwrap();
        let row = |d: &str| {
            let r = acled_row(&incident(d), &Site::default(), Some(&cutoff));
            parse_tags(&r[29])
        };
        let t = row("2017-06");
        assert_eq!(tag(&t, "data_cutoff"), Some("2017-06-30"));
        assert_eq!(tag(&t, "after_cutoff"), None);
        assert_eq!(tag(&row("2017-07-01"), "after_cutoff"), Some("true"));
        assert_eq!(tag(&acled(&incident("2018")).1, "data_cutoff"), None);
    }

    #[test]
    fn acled_fatalities_are_the_lower_bound_and_the_rest_goes_to_tags() {
        let mut i = incident("2017");
        assert_eq!(
            (
                acled(&i).0["fatalities"].as_str(),
                tag(&acled(&i).1, "killed")
            ),
            ("", None)
        );
        i.casualties.killed = Some(Count::Exact { n: 4 });
        let (r, t) = acled(&i);
        assert_eq!((r["fatalities"].as_str(), tag(&t, "killed")), ("4", None));
        i.casualties.killed = Some(Count::Range {
            min: 9,
            max: Some(10),
        });
        let (r, t) = acled(&i);
        assert_eq!(
            (r["fatalities"].as_str(), tag(&t, "killed")),
            ("9", Some("9-10"))
        );
        i.casualties.killed = Some(Count::Range {
            min: 257,
            max: None,
        });
        let (r, t) = acled(&i);
        assert_eq!(
            (r["fatalities"].as_str(), tag(&t, "killed")),
            ("257", Some("257+"))
        );
        // Unknown is not zero: no figure, and the tag says why.
        i.casualties.killed = Some(Count::Unknown);
        i.casualties.wounded = Some(Count::Exact { n: 12 });
        let (r, t) = acled(&i);
        assert_eq!(
            (r["fatalities"].as_str(), tag(&t, "killed")),
            ("", Some("unknown"))
        );
        assert_eq!(tag(&t, "wounded"), Some("12"));
    }

    #[test]
    fn acled_tags_escape_separators_and_read_back() {
        let mut i = incident("2017-06-18");
        i.title = "Attack; then 100% \"quiet\"\non the road".into();
        i.tags = vec!["a=b".into()];
        i.sources = vec![crate::content::Source {
            title: "Le Monde; AFP".into(),
            url: Some("https://e.org/?a=1;b=2".into()),
            publisher: None,
            date: None,
        }];
        let (r, t) = acled(&i);
        assert!(!r["tags"].contains('\n'));
        assert_eq!(tag(&t, "id"), Some("x"));
        assert_eq!(tag(&t, "title"), Some(i.title.as_str()));
        assert_eq!(tag(&t, "tag"), Some("a=b"));
        assert_eq!(tag(&t, "source.1.title"), Some("Le Monde; AFP"));
        assert_eq!(tag(&t, "source.1.url"), Some("https://e.org/?a=1;b=2"));
        // With no publisher the source column names the title, as ACLED names outlets.
        assert_eq!(r["source"], "Le Monde; AFP");
        assert_eq!(unescape_tag("50%"), "50%");
        assert_eq!(escape_tag(" a\tb "), "%20a%09b%20");
        assert_eq!(unescape_tag(&escape_tag(" a\tb; c ")), " a\tb; c ");
        for c in [
            Count::Exact { n: 0 },
            Count::Range {
                min: 3,
                max: Some(5),
            },
            Count::Range { min: 7, max: None },
            Count::Unknown,
        ] {
            assert_eq!(parse_count_tag(&count_tag(&c)), Some(c));
        }
        assert_eq!(parse_count_tag("5-3"), None);
    }

    #[test]
    fn acled_event_types_follow_the_table_and_civilian_targeting() {
        assert_eq!(
            acled_event(Some("clash"), false),
            ("Political violence", "Battles", "Armed clash")
        );
        assert_eq!(
            acled_event(Some("attack"), true),
            ("Political violence", "Violence against civilians", "Attack")
        );
        assert_eq!(acled_event(Some("parade"), false), ("", "", ""));
        let mut i = incident("2017");
        i.event_type = Some("bombing".into());
        i.targets = vec!["Civilians at the market".into()];
        let (r, t) = acled(&i);
        assert_eq!(r["sub_event_type"], "Remote explosive/landmine/IED");
        assert_eq!(r["civilian_targeting"], "Civilian targeting");
        assert_eq!(
            (r["actor2"].as_str(), r["inter2"].as_str()),
            ("Civilians (Mali)", "7")
        );
        assert_eq!(tag(&t, "event_type"), Some("bombing"));
    }
}
