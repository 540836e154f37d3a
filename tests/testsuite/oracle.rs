//! The oracle (issue 15): random sites, built by the library, checked against figures this
//! test computes on its own.
//!
//! A seeded generator writes small sites whose records use every form the content model
//! allows (exact figures, ranges, `{min: N}`, `unknown`, absent figures, all-deaths
//! `fatalities`, attackers killed, a data cutoff with records after it, claims of every
//! kind with claimed figures, suspected and disputed ties, `same_event_as` duplicates,
//! `distinct_from`, typed targets naming profiled groups, drafts, several countries and
//! regions, dates at day, month and year precision). `briefwerk::build` is the only library
//! function called. Every expected figure, list and word is recomputed here from the
//! generator's own records, by the rules docs/content.md and docs/data.md state, and compared
//! with the built HTML (read with `scraper`) and the exported files (read with serde_json and
//! csv): nothing here calls `content::count` or a renderer's helper, so a rule broken in
//! the library cannot be broken the same way here.
//!
//! `ORACLE_SEEDS=500 cargo test --test testsuite oracle::` runs more seeds; `ORACLE_SEED=17` one seed
//! (its site is kept in /tmp/briefwerk-oracle-17 to look at). A failure names its seed and
//! lists every difference found on that site.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

// ------------------------------------------------------------------ randomness

/// SplitMix64: small, seedable and the same on every platform, so a seed names one site.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x1234_5678)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0..n.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// lo..=hi.
    fn between(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    /// True with probability `pct` percent.
    fn chance(&mut self, pct: u32) -> bool {
        self.below(100) < pct as usize
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

// ------------------------------------------------------------------ the records

/// A date at the precision the record gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Date {
    y: i32,
    m: Option<u32>,
    d: Option<u32>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    fn iso(&self) -> String {
        match (self.m, self.d) {
            (Some(m), Some(d)) => format!("{}-{m:02}-{d:02}", self.y),
            (Some(m), None) => format!("{}-{m:02}", self.y),
            _ => self.y.to_string(),
        }
    }

    /// 0 year, 1 month, 2 day.
    fn precision(&self) -> u8 {
        match (self.m, self.d) {
            (Some(_), Some(_)) => 2,
            (Some(_), None) => 1,
            _ => 0,
        }
    }

    fn precision_word(&self) -> &'static str {
        ["year", "month", "day"][self.precision() as usize]
    }

    /// Sort key: a less precise date sorts at the start of its period.
    fn key(&self) -> (i32, u32, u32) {
        (self.y, self.m.unwrap_or(0), self.d.unwrap_or(0))
    }

    fn cut(&self, p: u8) -> (i32, u32, u32) {
        let k = self.key();
        match p {
            0 => (k.0, 0, 0),
            1 => (k.0, k.1, 0),
            _ => k,
        }
    }

    /// After `other`, compared at the coarser of the two precisions (docs/content.md).
    fn after(&self, other: &Date) -> bool {
        let p = self.precision().min(other.precision());
        self.cut(p) > other.cut(p)
    }

    fn display(&self) -> String {
        match (self.m, self.d) {
            (Some(m), Some(d)) => format!("{d} {} {}", MONTHS[m as usize - 1], self.y),
            (Some(m), None) => format!("{} {}", MONTHS[m as usize - 1], self.y),
            _ => self.y.to_string(),
        }
    }
}

/// One casualty figure as a record writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fig {
    Exact(u32),
    Range(u32, u32),
    AtLeast(u32),
    Unknown,
}

impl Fig {
    fn yaml(&self) -> String {
        match *self {
            Fig::Exact(n) => n.to_string(),
            Fig::Range(a, b) => format!("{{min: {a}, max: {b}}}"),
            Fig::AtLeast(a) => format!("{{min: {a}}}"),
            Fig::Unknown => "unknown".to_string(),
        }
    }

    fn min(&self) -> Option<u32> {
        match *self {
            Fig::Exact(n) | Fig::Range(n, _) | Fig::AtLeast(n) => Some(n),
            Fig::Unknown => None,
        }
    }

    fn max(&self) -> Option<u32> {
        match *self {
            Fig::Exact(n) | Fig::Range(_, n) => Some(n),
            _ => None,
        }
    }

    /// As a reader reads one record's figure: "12", "10–12", "at least 5", "unknown".
    fn words(&self) -> String {
        match *self {
            Fig::Exact(n) => n.to_string(),
            Fig::Range(a, b) if a == b => a.to_string(),
            Fig::Range(a, b) => format!("{a}–{b}"),
            Fig::AtLeast(a) => format!("at least {a}"),
            Fig::Unknown => "unknown".to_string(),
        }
    }

    /// The export's figure object.
    fn json(&self) -> Value {
        serde_json::json!({"min": self.min(), "max": self.max(), "unknown": *self == Fig::Unknown})
    }
}

/// A group's tie to an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tie {
    Claimed,
    Suspected,
    Disputed,
    Unattributed,
}

impl Tie {
    fn word(&self) -> &'static str {
        match self {
            Tie::Claimed => "claimed",
            Tie::Suspected => "suspected",
            Tie::Disputed => "disputed",
            Tie::Unattributed => "unattributed",
        }
    }
}

/// One entry of an incident's `groups`.
#[derive(Debug, Clone)]
struct GroupTie {
    id: String,
    /// The tie as the record means it (its own `attribution`, else the record's).
    tie: Tie,
    /// Written as an object with its own `attribution` (else a plain id).
    object: bool,
    claim_date: Option<Date>,
    claim_medium: Option<String>,
    /// The group's own killed, wounded, captured (only on a claim).
    claimed: [Option<Fig>; 3],
}

#[derive(Debug, Clone)]
struct Target {
    actor: String,
    kind: Option<&'static str>,
    group: Option<String>,
    /// Written as a plain string.
    plain: bool,
}

const TARGET_KINDS: [&str; 8] = [
    "state_forces",
    "rebels",
    "political_militia",
    "identity_militia",
    "rioters",
    "protesters",
    "civilians",
    "external_forces",
];

/// Index of each figure in `Incident::figs`.
const KILLED: usize = 0;
const WOUNDED: usize = 1;
const CAPTURED: usize = 2;
const ATTACKERS: usize = 3;
const FATALITIES: usize = 4;
const FIG_KEYS: [&str; 5] = [
    "killed",
    "wounded",
    "captured",
    "attackers_killed",
    "fatalities",
];

#[derive(Debug, Clone)]
struct Incident {
    id: String,
    title: String,
    date: Date,
    end_date: Option<Date>,
    country: &'static Country,
    admin1: Option<&'static str>,
    place: Option<String>,
    coords: Option<(f64, f64)>,
    precision: Option<&'static str>,
    ties: Vec<GroupTie>,
    attribution: Option<Tie>,
    /// `claims: joint | competing`.
    relation: Option<&'static str>,
    event_type: Option<&'static str>,
    targets: Vec<Target>,
    figs: [Option<Fig>; 5],
    same_event_as: Option<String>,
    distinct_from: Vec<String>,
    draft: bool,
    /// Written into the many-records `.yaml` file instead of its own `.md`.
    in_batch: bool,
}

#[derive(Debug)]
struct Country {
    code: &'static str,
    name: &'static str,
    /// First-level regions with a point inside each.
    regions: &'static [(&'static str, f64, f64)],
}

const COUNTRIES: &[Country] = &[
    Country {
        code: "ML",
        name: "Mali",
        regions: &[
            ("Gao", 16.27, -0.04),
            ("Mopti", 14.49, -4.19),
            ("Kidal", 18.44, 1.41),
            ("Timbuktu", 16.77, -3.0),
            ("Ségou", 13.43, -6.26),
        ],
    },
    Country {
        code: "BF",
        name: "Burkina Faso",
        regions: &[("Sahel", 14.03, -0.46), ("Nord", 13.58, -2.42)],
    },
    Country {
        code: "NE",
        name: "Niger",
        regions: &[("Tillabéri", 14.21, 1.45), ("Tahoua", 14.89, 5.27)],
    },
    Country {
        code: "DZ",
        name: "Algeria",
        regions: &[("Tamanrasset", 22.79, 5.52)],
    },
];

/// Countries only named in groups' `area`: they must get no page.
const AREA_ONLY: &[(&str, &str)] = &[("PK", "Pakistan"), ("LY", "Libya"), ("TD", "Chad")];

fn country_name(code: &str) -> &'static str {
    COUNTRIES
        .iter()
        .map(|c| (c.code, c.name))
        .chain(AREA_ONLY.iter().copied())
        .find(|(c, _)| *c == code)
        .map(|(_, n)| n)
        .expect("known country")
}

#[derive(Debug, Clone)]
struct Group {
    id: String,
    name: String,
    short: Option<String>,
    area: Vec<&'static str>,
}

impl Group {
    fn label(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.name)
    }
}

/// An analyst's assessment of one country's month.
#[derive(Debug, Clone)]
struct Assessment {
    country: &'static str,
    month: (i32, u32),
    trend: &'static str,
    author: Option<String>,
    body: String,
    /// Folder written in lower case (else upper).
    lower: bool,
}

struct Site {
    seed: u64,
    cutoff: Option<Date>,
    groups: Vec<Group>,
    incidents: Vec<Incident>,
    assessments: Vec<Assessment>,
}

// ------------------------------------------------------------------ the generator

const GROUP_NAMES: &[(&str, &str, Option<&str>)] = &[
    ("ansar-nord", "Ansar al-Nord", None),
    ("katiba-ouest", "Katiba de l'Ouest", Some("KO")),
    ("front-sahel", "Front du Sahel", Some("FDS")),
    (
        "mouvement-azawad",
        "Mouvement national de l'Azawad",
        Some("MNA"),
    ),
    ("jamaat-tenere", "Jama'at Ténéré", None),
    ("brigade-fleuve", "Brigade du Fleuve", Some("BdF")),
    ("etat-grand-sahara", "État du Grand Sahara", Some("EGS")),
];

fn random_date(rng: &mut Rng, focus: (i32, u32)) -> Date {
    // Most incidents fall in a few months, so that digests have months to compare.
    let (y, m) = if rng.chance(65) {
        let k = focus.1 - 1 + rng.between(0, 3);
        (focus.0 + (k / 12) as i32, k % 12 + 1)
    } else {
        (rng.between(2015, 2017) as i32, rng.between(1, 12))
    };
    match rng.below(10) {
        0 => Date {
            y,
            m: None,
            d: None,
        },
        1 | 2 => Date {
            y,
            m: Some(m),
            d: None,
        },
        _ => Date {
            y,
            m: Some(m),
            d: Some(rng.between(1, 28)),
        },
    }
}

fn random_fig(rng: &mut Rng, absent: u32, small: bool) -> Option<Fig> {
    if rng.chance(absent) {
        return None;
    }
    let top = if small { 6 } else { 40 };
    Some(match rng.below(10) {
        0 | 1 => Fig::Unknown,
        2 | 3 => {
            let a = rng.between(0, top);
            Fig::Range(a, a + rng.between(0, 9))
        }
        4 | 5 => Fig::AtLeast(rng.between(0, top)),
        _ => Fig::Exact(rng.between(0, top)),
    })
}

fn generate(seed: u64) -> Site {
    let mut rng = Rng::new(seed);
    let cutoff = match rng.below(4) {
        0 => None,
        _ => {
            let y = rng.between(2016, 2017) as i32;
            Some(match rng.below(5) {
                0 => Date {
                    y,
                    m: None,
                    d: None,
                },
                1 | 2 => Date {
                    y,
                    m: Some(rng.between(1, 12)),
                    d: None,
                },
                _ => Date {
                    y,
                    m: Some(rng.between(1, 12)),
                    d: Some(rng.between(1, 28)),
                },
            })
        }
    };
    // Groups.
    let n_groups = rng.between(3, GROUP_NAMES.len() as u32) as usize;
    let mut pool: Vec<usize> = (0..GROUP_NAMES.len()).collect();
    let mut groups = Vec::new();
    for _ in 0..n_groups {
        let (id, name, short) = GROUP_NAMES[pool.remove(rng.below(pool.len()))];
        let mut area = Vec::new();
        for _ in 0..rng.below(3) {
            let c = if rng.chance(50) {
                rng.pick(AREA_ONLY).0
            } else {
                rng.pick(COUNTRIES).code
            };
            if !area.contains(&c) {
                area.push(c);
            }
        }
        groups.push(Group {
            id: id.to_string(),
            name: name.to_string(),
            short: short.map(str::to_string),
            area,
        });
    }
    // Incidents.
    let focus = (rng.between(2015, 2017) as i32, rng.between(1, 12));
    let n = rng.between(8, 22) as usize;
    let mut incidents: Vec<Incident> = Vec::new();
    for k in 0..n {
        // Dense incidents: Mali, two consecutive months, figures mostly given, so that
        // digests have months to compare by the trend rule.
        let dense = rng.chance(45);
        let country = if dense || rng.chance(30) {
            &COUNTRIES[0]
        } else {
            rng.pick(COUNTRIES)
        };
        let date = if dense {
            let m = focus.1 + rng.between(0, 1);
            Date {
                y: focus.0 + (m as i32 - 1) / 12,
                m: Some((m - 1) % 12 + 1),
                d: Some(rng.between(1, 28)),
            }
        } else {
            random_date(&mut rng, focus)
        };
        // A record of an event already on file, as a second source stream writes it.
        let copy_of = (k > 0 && rng.chance(12))
            .then(|| rng.below(incidents.len()))
            .filter(|&j| !incidents[j].draft && incidents[j].same_event_as.is_none());
        let region = rng.pick(country.regions);
        let mut inc = Incident {
            id: format!(
                "{}-{}-{k:02}",
                date.iso(),
                ["gao", "raid", "ambush", "attaque", "x"][rng.below(5)]
            ),
            title: format!("Incident {k} in {}", region.0),
            date,
            end_date: None,
            country,
            admin1: rng.chance(75).then_some(region.0),
            place: rng
                .chance(60)
                .then(|| format!("Village {}", rng.between(1, 30))),
            coords: None,
            precision: None,
            ties: Vec::new(),
            attribution: None,
            relation: None,
            event_type: rng.chance(80).then(|| {
                *rng.pick(&[
                    "attack",
                    "ambush",
                    "bombing",
                    "kidnapping",
                    "clash",
                    "shelling",
                ])
            }),
            targets: Vec::new(),
            figs: [None; 5],
            same_event_as: None,
            distinct_from: Vec::new(),
            draft: false,
            in_batch: rng.chance(25),
        };
        if inc.admin1 == Some(region.0) && rng.chance(40) {
            inc.coords = Some((
                (region.1 * 100.0 + f64::from(rng.between(0, 20))).round() / 100.0,
                (region.2 * 100.0 - f64::from(rng.between(0, 20))).round() / 100.0,
            ));
        }
        if rng.chance(15) {
            inc.precision = Some(if inc.admin1.is_some() {
                *rng.pick(&["near", "region", "country"])
            } else {
                "country"
            });
            if inc.precision == Some("near") && inc.place.is_none() {
                inc.place = Some("Village 0".into());
            }
        }
        if rng.chance(10) && date.precision() == 2 {
            let d = date.d.unwrap_or(1);
            inc.end_date = Some(Date {
                d: Some((d + rng.between(1, 3)).min(28)),
                ..date
            });
        }
        // Who did it.
        let n_groups = match rng.below(20) {
            0..=2 => 0,
            3..=12 => 1,
            13..=17 => 2,
            _ => 3,
        };
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < n_groups.min(groups.len()) {
            let g = rng.below(groups.len());
            if !chosen.contains(&g) {
                chosen.push(g);
            }
        }
        if chosen.is_empty() {
            inc.attribution = [
                None,
                Some(Tie::Claimed),
                Some(Tie::Suspected),
                Some(Tie::Disputed),
                Some(Tie::Unattributed),
            ][rng.below(5)];
        } else {
            let record = [
                None,
                Some(Tie::Claimed),
                Some(Tie::Suspected),
                Some(Tie::Disputed),
            ][rng.below(4)];
            inc.attribution = record;
            for &g in &chosen {
                let object = rng.chance(60);
                let tie = if object {
                    *rng.pick(&[Tie::Claimed, Tie::Claimed, Tie::Suspected, Tie::Disputed])
                } else {
                    record.unwrap_or(Tie::Unattributed)
                };
                let mut t = GroupTie {
                    id: groups[g].id.clone(),
                    tie,
                    object,
                    claim_date: None,
                    claim_medium: None,
                    claimed: [None; 3],
                };
                if object && tie == Tie::Claimed {
                    if rng.chance(35) {
                        t.claimed[0] = random_fig(&mut rng, 0, false);
                    }
                    if rng.chance(15) {
                        t.claimed[1] = random_fig(&mut rng, 0, false);
                    }
                    if rng.chance(10) {
                        t.claimed[2] = random_fig(&mut rng, 0, true);
                    }
                    if rng.chance(30) {
                        t.claim_date = Some(date);
                    }
                    if rng.chance(30) {
                        t.claim_medium = Some(
                            rng.pick(&["statement", "video", "Telegram post"])
                                .to_string(),
                        );
                    }
                }
                inc.ties.push(t);
            }
            let claimants = inc.ties.iter().filter(|t| t.tie == Tie::Claimed).count();
            if claimants >= 2 {
                inc.relation = [None, Some("joint"), Some("competing")][rng.below(3)];
            }
        }
        // Targets.
        for _ in 0..rng.below(3) {
            let t = match rng.below(4) {
                0 => Target {
                    actor: rng
                        .pick(&["civilians", "a checkpoint", "a market"])
                        .to_string(),
                    kind: None,
                    group: None,
                    plain: true,
                },
                1 => {
                    let g = rng.pick(&groups);
                    Target {
                        actor: format!("{} fighters", g.label()),
                        kind: Some(if rng.chance(50) {
                            "rebels"
                        } else {
                            "political_militia"
                        }),
                        group: Some(g.id.clone()),
                        plain: false,
                    }
                }
                _ => Target {
                    actor: rng
                        .pick(&["Malian armed forces", "UN peacekeepers", "villagers"])
                        .to_string(),
                    kind: rng.chance(80).then(|| *rng.pick(&TARGET_KINDS)),
                    group: None,
                    plain: false,
                },
            };
            if !inc.targets.iter().any(|x| x.actor == t.actor) {
                inc.targets.push(t);
            }
        }
        // Casualties.
        inc.figs[KILLED] = random_fig(&mut rng, 15, false);
        if dense && rng.chance(85) {
            inc.figs[KILLED] = Some(Fig::Exact(rng.between(0, 25)));
        }
        inc.figs[WOUNDED] = random_fig(&mut rng, 40, false);
        inc.figs[CAPTURED] = random_fig(&mut rng, 70, true);
        inc.figs[ATTACKERS] = random_fig(&mut rng, 60, true);
        if rng.chance(20) {
            inc.figs[FATALITIES] = random_fig(&mut rng, 0, false);
            if rng.chance(50) {
                // An imported row: every death in one figure, the parts not given.
                inc.figs[KILLED] = None;
                inc.figs[ATTACKERS] = if rng.chance(30) {
                    Some(Fig::Unknown)
                } else {
                    None
                };
            }
        }
        if let Some(j) = copy_of {
            let orig = incidents[j].clone();
            inc.same_event_as = Some(orig.id.clone());
            if rng.chance(60) {
                // An ACLED-style row: same day and place, perpetrators suspected, deaths
                // not separated.
                inc.date = orig.date;
                inc.end_date = orig.end_date;
                inc.country = orig.country;
                inc.admin1 = orig.admin1;
                inc.title = format!("{} (second source)", orig.title);
                inc.ties = orig
                    .ties
                    .iter()
                    .map(|t| GroupTie {
                        tie: Tie::Suspected,
                        object: true,
                        claim_date: None,
                        claim_medium: None,
                        claimed: [None; 3],
                        ..t.clone()
                    })
                    .collect();
                inc.attribution = None;
                inc.relation = None;
                inc.figs = [None, None, None, None, Some(Fig::Exact(rng.between(0, 30)))];
                inc.id = format!("{}-acled-{k:02}", orig.id);
            }
        }
        if inc.same_event_as.is_none() && k > 2 && rng.chance(10) {
            inc.draft = true;
        }
        if rng.chance(10) && !incidents.is_empty() {
            let j = rng.below(incidents.len());
            let other = &incidents[j];
            let linked = inc.same_event_as.as_deref() == Some(other.id.as_str())
                || other.same_event_as.as_deref() == Some(inc.id.as_str());
            if !linked {
                inc.distinct_from.push(other.id.clone());
            }
        }
        incidents.push(inc);
    }
    // Assessments.
    let mut assessments: Vec<Assessment> = Vec::new();
    for _ in 0..rng.below(3) {
        let (country, month) = if rng.chance(70) {
            let i = rng.pick(&incidents);
            (i.country.code, (i.date.y, i.date.m.unwrap_or(6)))
        } else {
            (rng.pick(COUNTRIES).code, (focus.0, rng.between(1, 12)))
        };
        if assessments
            .iter()
            .any(|a| a.country == country && a.month == month)
        {
            continue;
        }
        assessments.push(Assessment {
            country,
            month,
            trend: ["deteriorated", "improved", "unchanged"][rng.below(3)],
            author: rng.chance(60).then(|| "A. Analyst".to_string()),
            body: format!("Assessment {} of the month.", assessments.len()),
            lower: rng.chance(50),
        });
    }
    Site {
        seed,
        cutoff,
        groups,
        incidents,
        assessments,
    }
}

// ------------------------------------------------------------------ writing the site

/// A YAML double-quoted string.
fn q(s: &str) -> String {
    format!("{:?}", s)
}

impl Incident {
    /// The record's YAML mapping, one `key: value` per line (flow style inside).
    fn yaml_lines(&self) -> Vec<String> {
        let mut l = vec![
            format!("title: {}", q(&self.title)),
            format!("date: {}", q(&self.date.iso())),
        ];
        if let Some(e) = &self.end_date {
            l.push(format!("end_date: {}", q(&e.iso())));
        }
        l.push("location:".into());
        if let Some(p) = &self.place {
            l.push(format!("  place: {}", q(p)));
        }
        if let Some(a) = self.admin1 {
            l.push(format!("  admin1: {}", q(a)));
        }
        l.push(format!("  country: {}", self.country.code));
        if let Some((lat, lon)) = self.coords {
            l.push(format!("  lat: {lat}"));
            l.push(format!("  lon: {lon}"));
        }
        if let Some(p) = self.precision {
            l.push(format!("  precision: {p}"));
        }
        if !self.ties.is_empty() {
            let items: Vec<String> = self
                .ties
                .iter()
                .map(|t| {
                    if !t.object {
                        return t.id.clone();
                    }
                    let mut o = vec![
                        format!("id: {}", t.id),
                        format!("attribution: {}", t.tie.word()),
                    ];
                    if let Some(d) = &t.claim_date {
                        o.push(format!("claim_date: {}", q(&d.iso())));
                    }
                    if let Some(m) = &t.claim_medium {
                        o.push(format!("claim_medium: {}", q(m)));
                    }
                    for (k, f) in ["claimed_killed", "claimed_wounded", "claimed_captured"]
                        .iter()
                        .zip(&t.claimed)
                    {
                        if let Some(f) = f {
                            o.push(format!("{k}: {}", f.yaml()));
                        }
                    }
                    format!("{{{}}}", o.join(", "))
                })
                .collect();
            l.push(format!("groups: [{}]", items.join(", ")));
        }
        if let Some(a) = self.attribution {
            l.push(format!("attribution: {}", a.word()));
        }
        if let Some(r) = self.relation {
            l.push(format!("claims: {r}"));
        }
        if let Some(e) = self.event_type {
            l.push(format!("event_type: {e}"));
        }
        if !self.targets.is_empty() {
            l.push("targets:".into());
            for t in &self.targets {
                if t.plain {
                    l.push(format!("  - {}", q(&t.actor)));
                } else {
                    let mut o = vec![format!("actor: {}", q(&t.actor))];
                    if let Some(k) = t.kind {
                        o.push(format!("kind: {k}"));
                    }
                    if let Some(g) = &t.group {
                        o.push(format!("group: {g}"));
                    }
                    l.push(format!("  - {{{}}}", o.join(", ")));
                }
            }
        }
        if self.figs.iter().any(Option::is_some) {
            l.push("casualties:".into());
            for (k, f) in FIG_KEYS.iter().zip(&self.figs) {
                if let Some(f) = f {
                    l.push(format!("  {k}: {}", f.yaml()));
                }
            }
        }
        if let Some(s) = &self.same_event_as {
            l.push(format!("same_event_as: {s}"));
        }
        if !self.distinct_from.is_empty() {
            l.push(format!(
                "distinct_from: [{}]",
                self.distinct_from.join(", ")
            ));
        }
        l.push("sources:".into());
        l.push(format!(
            "  - title: {}",
            q(&format!("Report on {}", self.id))
        ));
        l.push(format!("    url: https://example.org/reports/{}", self.id));
        l.push("    publisher: Oracle Wire".into());
        if self.draft {
            l.push("draft: true".into());
        }
        l
    }
}

/// Writes the site under `root`.
fn write_site(site: &Site, root: &Path) {
    let w = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    let mut cfg = format!(
        "title: Oracle {}\nbase_url: https://example.org/oracle/\npaginate_by: 1000\n",
        site.seed
    );
    if let Some(c) = &site.cutoff {
        writeln!(cfg, "data_cutoff: {}", q(&c.iso())).unwrap();
    }
    w("site.yaml", &cfg);
    for g in &site.groups {
        let mut t = format!("---\nname: {}\n", q(&g.name));
        if let Some(s) = &g.short {
            writeln!(t, "short_name: {}", q(s)).unwrap();
        }
        if !g.area.is_empty() {
            writeln!(t, "area: [{}]", g.area.join(", ")).unwrap();
        }
        t.push_str("---\nA profile.\n");
        w(&format!("content/groups/{}.md", g.id), &t);
    }
    let mut batch = String::from("incidents:\n");
    for i in &site.incidents {
        let lines = i.yaml_lines();
        if i.in_batch {
            writeln!(batch, "  - id: {}", i.id).unwrap();
            for l in &lines {
                writeln!(batch, "    {l}").unwrap();
            }
            writeln!(batch, "    body: \"Narrative of {}.\"", i.id).unwrap();
        } else {
            let mut t = String::from("---\n");
            for l in &lines {
                writeln!(t, "{l}").unwrap();
            }
            writeln!(t, "---\nNarrative of {}.", i.id).unwrap();
            w(&format!("content/incidents/{}.md", i.id), &t);
        }
    }
    if site.incidents.iter().any(|i| i.in_batch) {
        w("content/incidents/batch.yaml", &batch);
    }
    for a in &site.assessments {
        let cc = if a.lower {
            a.country.to_lowercase()
        } else {
            a.country.to_string()
        };
        let mut t = format!("---\ntrend: {}\n", a.trend);
        if let Some(au) = &a.author {
            writeln!(t, "author: {}", q(au)).unwrap();
        }
        writeln!(t, "---\n{}", a.body).unwrap();
        w(
            &format!("content/digests/{cc}/{}-{:02}.md", a.month.0, a.month.1),
            &t,
        );
    }
}

// ------------------------------------------------------------------ running

/// Generates, writes and builds the site of `seed`; returns it and its output folder.
fn build_seed(seed: u64, dir: &Path) -> Result<(Site, PathBuf), String> {
    let site = generate(seed);
    let root = dir.join("site");
    let _ = std::fs::remove_dir_all(&root);
    write_site(&site, &root);
    let out = dir.join("public");
    let opts = briefwerk::BuildOptions {
        output: Some(out.clone()),
        ..Default::default()
    };
    match briefwerk::build(&root, &opts) {
        Ok(_) => Ok((site, out)),
        Err(e) => Err(format!(
            "seed {seed}: the generated site does not build: {e}\n{e:#?}"
        )),
    }
}

fn seeds() -> Vec<u64> {
    if let Some(s) = std::env::var("ORACLE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        return vec![s];
    }
    let n: u64 = std::env::var("ORACLE_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    (0..n).collect()
}

/// Builds and checks one seed: the differences found (with the seed to rerun) and the cases
/// it exercised.
fn run_seed(seed: u64) -> (Option<String>, BTreeMap<&'static str, usize>) {
    let keep = std::env::var("ORACLE_SEED").is_ok();
    let tmp = tempfile::tempdir().unwrap();
    let dir = if keep {
        PathBuf::from(format!("/tmp/briefwerk-oracle-{seed}"))
    } else {
        tmp.path().to_path_buf()
    };
    match build_seed(seed, &dir) {
        Err(e) => (Some(e), BTreeMap::new()),
        Ok((site, out)) => {
            let (errs, cases) = check_site(&site, &out);
            let failure = (!errs.is_empty()).then(|| {
                format!(
                    "seed {seed} (rerun with ORACLE_SEED={seed}): {} differences\n  {}",
                    errs.len(),
                    errs.join("\n  ")
                )
            });
            (failure, cases)
        }
    }
}

#[test]
fn every_figure_word_and_export_agrees_with_an_independent_count() {
    let seeds = seeds();
    // Seeds are independent: a few at a time keep both cores busy while one site is in a
    // single-threaded stage of its build.
    let workers = 3.min(seeds.len()).max(1);
    let results: Vec<(u64, Option<String>, BTreeMap<&'static str, usize>)> =
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..workers)
                .map(|w| {
                    let mine: Vec<u64> = seeds.iter().copied().skip(w).step_by(workers).collect();
                    s.spawn(move || {
                        mine.into_iter()
                            .map(|seed| {
                                let (f, c) = run_seed(seed);
                                (seed, f, c)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
    let mut results = results;
    results.sort_by_key(|r| r.0);
    let mut failures: Vec<String> = Vec::new();
    let mut seen: BTreeMap<&'static str, usize> = BTreeMap::new();
    for (_, f, cases) in results {
        failures.extend(f);
        for (k, n) in cases {
            *seen.entry(k).or_default() += n;
        }
    }
    if seeds.len() >= 20 {
        let missing: Vec<&&str> = CASES.iter().filter(|k| !seen.contains_key(**k)).collect();
        if !missing.is_empty() {
            failures.push(format!("no seed exercised {missing:?}; seen: {seen:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ------------------------------------------------------------------ the independent count

/// A total of one figure over some incidents, added up here by the rules of
/// docs/content.md (*Casualties*): lower and upper bounds apart, "at least" when any figure
/// is open, `unknown` and absent figures in no sum but counted as "no figure", and "not
/// known" (never 0) when no incident gives a number.
#[derive(Debug, Clone, Default, PartialEq)]
struct Sum {
    /// Incidents the total is taken over.
    n: usize,
    /// Of them, those giving a number.
    given: usize,
    /// Of them, those giving the figure in any form (a number or `unknown`).
    mentioned: usize,
    min: u64,
    max: u64,
    open: bool,
}

impl Sum {
    fn add(&mut self, f: Option<&Fig>) {
        self.n += 1;
        let Some(f) = f else { return };
        self.mentioned += 1;
        let Some(lo) = f.min() else { return };
        self.given += 1;
        self.min += u64::from(lo);
        match f.max() {
            Some(hi) => self.max += u64::from(hi),
            None => self.open = true,
        }
    }

    fn over<'a>(incs: impl IntoIterator<Item = &'a Incident>, k: usize) -> Sum {
        let mut s = Sum::default();
        for i in incs {
            s.add(i.figs[k].as_ref());
        }
        s
    }

    /// The total alone.
    fn total(&self) -> String {
        if self.n > 0 && self.given == 0 {
            "not known".into()
        } else if self.open {
            format!("at least {}", self.min)
        } else if self.min == self.max {
            self.min.to_string()
        } else {
            format!("{}–{}", self.min, self.max)
        }
    }

    fn no_figure(&self) -> usize {
        self.n - self.given
    }

    /// "2 incidents give no figure", when some do.
    fn note(&self) -> Option<String> {
        match self.no_figure() {
            0 => None,
            1 => Some("1 incident gives no figure".into()),
            n => Some(format!("{n} incidents give no figure")),
        }
    }

    /// As a figures panel or a table cell reads: "at least 30; 2 incidents give no figure".
    fn cell(&self) -> String {
        match self.note() {
            Some(n) => format!("{}; {n}", self.total()),
            None => self.total(),
        }
    }

    /// As a sentence reads: "at least 30 (2 incidents give no figure)".
    fn full(&self) -> String {
        match self.note() {
            Some(n) => format!("{} ({n})", self.total()),
            None => self.total(),
        }
    }
}

fn incidents_word(n: usize) -> String {
    if n == 1 {
        "1 incident".into()
    } else {
        format!("{n} incidents")
    }
}

/// The site as the oracle sees it: the generator's records, and the rules.
struct Oracle<'a> {
    site: &'a Site,
    /// Published incidents (drafts left out), in the site's order: date at its precision,
    /// then id.
    published: Vec<&'a Incident>,
}

impl<'a> Oracle<'a> {
    fn new(site: &'a Site) -> Oracle<'a> {
        let mut published: Vec<&Incident> = site.incidents.iter().filter(|i| !i.draft).collect();
        published.sort_by(|a, b| a.date.key().cmp(&b.date.key()).then(a.id.cmp(&b.id)));
        Oracle { site, published }
    }

    fn after_cutoff(&self, i: &Incident) -> bool {
        self.site.cutoff.as_ref().is_some_and(|c| i.date.after(c))
    }

    /// Counted in totals: not after the cutoff, not repeating another record.
    fn counted(&self, i: &Incident) -> bool {
        !self.after_cutoff(i) && i.same_event_as.is_none()
    }

    fn counted_of(&self, pred: impl Fn(&Incident) -> bool) -> Vec<&'a Incident> {
        self.published
            .iter()
            .copied()
            .filter(|i| self.counted(i) && pred(i))
            .collect()
    }

    fn published_of(&self, pred: impl Fn(&Incident) -> bool) -> Vec<&'a Incident> {
        self.published.iter().copied().filter(|i| pred(i)).collect()
    }

    fn group(&self, id: &str) -> &'a Group {
        self.site.groups.iter().find(|g| g.id == id).expect("group")
    }

    /// Location precision as written, or derived (docs/content.md, *Places*).
    fn precision(i: &Incident) -> &'static str {
        i.precision.unwrap_or(if i.coords.is_some() {
            "exact"
        } else if i.place.is_some() {
            "near"
        } else if i.admin1.is_some() {
            "region"
        } else {
            "country"
        })
    }
}

fn tie_of(i: &Incident, group: &str) -> Option<Tie> {
    i.ties.iter().find(|t| t.id == group).map(|t| t.tie)
}

fn names(i: &Incident, group: &str) -> bool {
    tie_of(i, group).is_some()
}

/// Deaths not separated into victims and attackers, counted only where neither part gives
/// a number (docs/content.md, *Casualties*).
fn fatalities_only(i: &Incident) -> bool {
    i.figs[FATALITIES].is_some()
        && i.figs[KILLED].and_then(|f| f.min()).is_none()
        && i.figs[ATTACKERS].and_then(|f| f.min()).is_none()
}

// ------------------------------------------------------------------ reading the output

fn css(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// An element's text as a reader reads it: text nodes joined, whitespace collapsed.
fn text(e: ElementRef<'_>) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A table row as a reader reads it: its cells' texts, one space apart.
fn row_text(tr: ElementRef<'_>) -> String {
    tr.select(&css("th, td"))
        .map(text)
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn row_texts(doc: &Html, s: &str) -> Vec<String> {
    doc.select(&css(s)).map(row_text).collect()
}

fn texts(doc: &Html, s: &str) -> Vec<String> {
    doc.select(&css(s)).map(text).collect()
}

/// Ids of the incident pages linked from inside `e`, in order, without repeats.
fn linked_ids(e: ElementRef<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in e.select(&css("a[href]")) {
        let h = a.value().attr("href").unwrap_or_default();
        let Some(k) = h.find("incidents/") else {
            continue;
        };
        let id = h[k + "incidents/".len()..].trim_end_matches('/');
        if id.is_empty() || id.contains('/') || id.contains('.') {
            continue;
        }
        if !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    }
    out
}

/// The `dt` → `dd` pairs of a page's first figures panel.
fn figures(doc: &Html) -> Vec<(String, String)> {
    let Some(panel) = doc.select(&css("dl.figures")).next() else {
        return Vec::new();
    };
    panel
        .select(&css(".figure"))
        .filter_map(|f| {
            let dt = f.select(&css("dt")).next()?;
            let dd = f.select(&css("dd")).next()?;
            Some((text(dt), text(dd)))
        })
        .collect()
}

/// Collects every difference found on one site, and which cases the site exercised.
struct Check<'a> {
    out: &'a Path,
    errs: Vec<String>,
    seen: BTreeMap<&'static str, usize>,
}

impl Check<'_> {
    /// Notes that a case was exercised (the test requires every case on some seed).
    fn saw(&mut self, case: &'static str) {
        *self.seen.entry(case).or_default() += 1;
    }

    fn eq<T: PartialEq + std::fmt::Debug>(
        &mut self,
        what: impl std::fmt::Display,
        got: T,
        want: T,
    ) {
        if got != want {
            self.errs.push(format!(
                "{what}:\n      built:    {got:?}\n      expected: {want:?}"
            ));
        }
    }

    fn fail(&mut self, what: impl std::fmt::Display) {
        self.errs.push(what.to_string());
    }

    fn page(&mut self, rel: &str) -> Option<Html> {
        match std::fs::read_to_string(self.out.join(rel)) {
            Ok(t) => Some(Html::parse_document(&t)),
            Err(e) => {
                self.fail(format!("{rel}: {e}"));
                None
            }
        }
    }

    fn has(&self, rel: &str) -> bool {
        self.out.join(rel).is_file()
    }
}

/// Every case the generator must produce on some seed, so that no rule goes unchecked
/// because the generator stopped writing the records that exercise it.
const CASES: &[&str] = &[
    "exact figure",
    "exact zero",
    "range",
    "at least",
    "unknown",
    "figure absent",
    "captured",
    "attackers killed",
    "fatalities alone",
    "fatalities beside its parts",
    "after the cutoff",
    "same event as another",
    "distinct from another",
    "draft",
    "single claim",
    "joint claim",
    "competing claim",
    "several claims without `claims`",
    "claimed figure",
    "suspected tie",
    "disputed tie",
    "tie without attribution",
    "typed target naming a group",
    "month precision",
    "year precision",
    "several records in one file",
    "area-only country",
    "analyst assessment",
    "total not known",
    "digest: first month",
    "digest: too few",
    "digest: incomplete",
    "digest: trend",
];

fn note_cases(o: &Oracle<'_>, c: &mut Check<'_>) {
    for i in &o.site.incidents {
        if i.draft {
            c.saw("draft");
            continue;
        }
        for f in i.figs.iter().take(FATALITIES).flatten() {
            c.saw(match f {
                Fig::Exact(0) => "exact zero",
                Fig::Exact(_) => "exact figure",
                Fig::Range(..) => "range",
                Fig::AtLeast(_) => "at least",
                Fig::Unknown => "unknown",
            });
        }
        if i.figs[KILLED].is_none() {
            c.saw("figure absent");
        }
        if i.figs[CAPTURED].is_some() {
            c.saw("captured");
        }
        if i.figs[ATTACKERS].is_some() {
            c.saw("attackers killed");
        }
        if i.figs[FATALITIES].is_some() {
            c.saw(if fatalities_only(i) {
                "fatalities alone"
            } else {
                "fatalities beside its parts"
            });
        }
        if o.after_cutoff(i) {
            c.saw("after the cutoff");
        }
        if i.same_event_as.is_some() {
            c.saw("same event as another");
        }
        if !i.distinct_from.is_empty() {
            c.saw("distinct from another");
        }
        let claimants = i.ties.iter().filter(|t| t.tie == Tie::Claimed).count();
        c.saw(match (claimants, i.relation) {
            (0, _) => "no claim",
            (1, _) => "single claim",
            (_, Some("joint")) => "joint claim",
            (_, Some(_)) => "competing claim",
            (_, None) => "several claims without `claims`",
        });
        for t in &i.ties {
            c.saw(match t.tie {
                Tie::Claimed => "claimed tie",
                Tie::Suspected => "suspected tie",
                Tie::Disputed => "disputed tie",
                Tie::Unattributed => "tie without attribution",
            });
            if t.claimed.iter().any(Option::is_some) {
                c.saw("claimed figure");
            }
        }
        if i.targets.iter().any(|t| t.group.is_some()) {
            c.saw("typed target naming a group");
        }
        match i.date.precision() {
            0 => c.saw("year precision"),
            1 => c.saw("month precision"),
            _ => {}
        }
        if i.in_batch {
            c.saw("several records in one file");
        }
    }
    if o.site
        .groups
        .iter()
        .any(|g| g.area.iter().any(|a| AREA_ONLY.iter().any(|(x, _)| x == a)))
    {
        c.saw("area-only country");
    }
    if !o.site.assessments.is_empty() {
        c.saw("analyst assessment");
    }
    for g in &o.site.groups {
        let counted = o.counted_of(|i| names(i, &g.id));
        for k in [KILLED, WOUNDED] {
            if Sum::over(counted.iter().copied(), k).total() == "not known" {
                c.saw("total not known");
            }
        }
    }
}

fn check_site(site: &Site, out: &Path) -> (Vec<String>, BTreeMap<&'static str, usize>) {
    let o = Oracle::new(site);
    let mut c = Check {
        out,
        errs: Vec::new(),
        seen: BTreeMap::new(),
    };
    note_cases(&o, &mut c);
    check_home(&o, &mut c);
    check_groups(&o, &mut c);
    check_countries(&o, &mut c);
    check_chronology(&o, &mut c);
    check_digests(&o, &mut c);
    check_incident_pages(&o, &mut c);
    check_exports(&o, &mut c);
    (c.errs, c.seen)
}

// ------------------------------------------------------------------ pages

/// Deaths not separated, totalled over the incidents that give only that figure
/// (docs/content.md, *Casualties*): "9 (1 incident gives only this figure)".
fn fatalities_sum(incs: &[&Incident]) -> Option<(String, String)> {
    let only: Vec<&Incident> = incs
        .iter()
        .copied()
        .filter(|i| fatalities_only(i))
        .collect();
    if only.is_empty() {
        return None;
    }
    let s = Sum::over(only.iter().copied(), FATALITIES);
    let total = if s.given == 0 {
        "not known".to_string()
    } else {
        s.total()
    };
    let note = match only.len() {
        1 => "1 incident gives only this figure".to_string(),
        n => format!("{n} incidents give only this figure"),
    };
    Some((total, note))
}

/// Every total shown for `incs` (counted incidents), in order, as (label, total, note):
/// killed and wounded always; captured, attackers killed and deaths not separated when
/// some incident mentions them.
fn expected_totals(incs: &[&Incident]) -> Vec<(&'static str, String, Option<String>)> {
    let sum = |k| Sum::over(incs.iter().copied(), k);
    let mut f = vec![
        ("Killed", sum(KILLED).total(), sum(KILLED).note()),
        ("Wounded", sum(WOUNDED).total(), sum(WOUNDED).note()),
    ];
    for (label, k) in [("Captured", CAPTURED), ("Attackers killed", ATTACKERS)] {
        if sum(k).mentioned > 0 {
            f.push((label, sum(k).total(), sum(k).note()));
        }
    }
    if let Some((total, note)) = fatalities_sum(incs) {
        f.push(("Dead in all, not separated", total, Some(note)));
    }
    f
}

/// As a figures panel reads them: "at least 30; 2 incidents give no figure".
fn expected_figures(incs: &[&Incident], labels: &[&str]) -> Vec<(String, String)> {
    expected_totals(incs)
        .into_iter()
        .filter(|(l, _, _)| labels.contains(l))
        .map(|(l, t, n)| {
            (
                l.to_string(),
                match n {
                    Some(n) => format!("{t}; {n}"),
                    None => t,
                },
            )
        })
        .collect()
}

const ALL_FIGURES: &[&str] = &[
    "Killed",
    "Wounded",
    "Captured",
    "Attackers killed",
    "Dead in all, not separated",
];

/// The figures the home page shows.
const HOME_FIGURES: &[&str] = &["Killed", "Attackers killed", "Dead in all, not separated"];

/// Only the figures whose label is in `labels`, in order.
fn only(f: &[(String, String)], labels: &[&str]) -> Vec<(String, String)> {
    f.iter()
        .filter(|(l, _)| {
            labels.contains(&l.as_str())
                || l.starts_with("Claimed by")
                || l.starts_with("Blamed on")
        })
        .cloned()
        .collect()
}

const TOTAL_LABELS: &[&str] = &[
    "Incidents",
    "Killed",
    "Wounded",
    "Captured",
    "Attackers killed",
    "Dead in all, not separated",
    "Disputed",
];

/// Under totals: the records they leave out because each repeats another record of the
/// same event (a repeat after the cutoff is left out as after the cutoff).
fn check_repeats(
    o: &Oracle<'_>,
    c: &mut Check<'_>,
    rel: &str,
    doc: &Html,
    scope: impl Fn(&Incident) -> bool,
) {
    let n = o
        .published_of(|i| scope(i) && i.same_event_as.is_some() && !o.after_cutoff(i))
        .len();
    let want = match n {
        0 => None,
        1 => Some(
            "1 record repeats another record of the same event: it is published but not counted."
                .to_string(),
        ),
        n => Some(format!(
            "{n} records repeat other records of the same events: they are published but not counted."
        )),
    };
    c.eq(
        format!("{rel}: repeats left out"),
        texts(doc, ".left-out").first().cloned(),
        want,
    );
}

fn check_home(o: &Oracle<'_>, c: &mut Check<'_>) {
    let Some(doc) = c.page("index.html") else {
        return;
    };
    let counted = o.counted_of(|_| true);
    let mut want = vec![("Incidents".to_string(), counted.len().to_string())];
    want.extend(expected_figures(&counted, HOME_FIGURES));
    c.eq("home: totals", only(&figures(&doc), TOTAL_LABELS), want);
    let countries: BTreeSet<&str> = o.published.iter().map(|i| i.country.code).collect();
    let got = figures(&doc);
    let get = |l: &str| got.iter().find(|(k, _)| k == l).map(|(_, v)| v.clone());
    c.eq(
        "home: Countries",
        get("Countries"),
        Some(countries.len().to_string()),
    );
    c.eq(
        "home: Armed groups",
        get("Armed groups"),
        Some(o.site.groups.len().to_string()),
    );
    let years: BTreeSet<i32> = counted.iter().map(|i| i.date.y).collect();
    let heading = match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("The record, {a}–{b}"),
        (Some(a), _) => format!("The record, {a}"),
        _ => "The record".into(),
    };
    c.eq(
        "home: heading",
        texts(&doc, ".figures-panel h2").first().cloned(),
        Some(heading),
    );
    check_repeats(o, c, "home", &doc, |_| true);
}

fn check_groups(o: &Oracle<'_>, c: &mut Check<'_>) {
    // /groups/: each profile with its counted incidents.
    if let Some(doc) = c.page("groups/index.html") {
        let mut got: BTreeMap<String, String> = BTreeMap::new();
        for row in doc.select(&css(".groups-table tbody tr")) {
            let href = row
                .select(&css("th a"))
                .next()
                .and_then(|a| a.value().attr("href"))
                .unwrap_or_default()
                .to_string();
            let n = row
                .select(&css("td.num"))
                .next()
                .map(text)
                .unwrap_or_default();
            got.insert(
                href.trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                n,
            );
        }
        let want: BTreeMap<String, String> = o
            .site
            .groups
            .iter()
            .map(|g| {
                (
                    g.id.clone(),
                    o.counted_of(|i| names(i, &g.id)).len().to_string(),
                )
            })
            .collect();
        c.eq("/groups/: incidents per group", got, want);
    }
    for g in &o.site.groups {
        let rel = format!("groups/{}/index.html", g.id);
        let Some(doc) = c.page(&rel) else { continue };
        let counted = o.counted_of(|i| names(i, &g.id));
        let count = |t: Tie| {
            counted
                .iter()
                .filter(|i| tie_of(i, &g.id) == Some(t))
                .count()
        };
        if counted.is_empty() {
            c.eq(format!("{rel}: no totals panel"), figures(&doc), vec![]);
        } else {
            let mut want = vec![
                ("Incidents".to_string(), counted.len().to_string()),
                (
                    format!("Claimed by {}", g.label()),
                    count(Tie::Claimed).to_string(),
                ),
                (
                    format!("Blamed on {} (suspected)", g.label()),
                    count(Tie::Suspected).to_string(),
                ),
                ("Disputed".into(), count(Tie::Disputed).to_string()),
            ];
            want.extend(expected_figures(&counted, ALL_FIGURES));
            c.eq(
                format!("{rel}: totals"),
                only(&figures(&doc), TOTAL_LABELS),
                want,
            );
            check_repeats(o, c, &rel, &doc, |i| names(i, &g.id));
            // Killed by the group's own tie: a claim and a suspicion never in one figure.
            let split: Vec<String> = [Tie::Claimed, Tie::Suspected, Tie::Disputed]
                .iter()
                .map(|&t| {
                    let of: Vec<&Incident> = counted
                        .iter()
                        .copied()
                        .filter(|i| tie_of(i, &g.id) == Some(t))
                        .collect();
                    format!("{} {}", of.len(), Sum::over(of, KILLED).full())
                })
                .collect();
            let got: Vec<String> = doc
                .select(&css(".split-table tbody tr"))
                .map(|r| r.select(&css("td")).map(text).collect::<Vec<_>>().join(" "))
                .collect();
            c.eq(format!("{rel}: killed by tie"), got, split);
            let un = count(Tie::Unattributed);
            let note = texts(&doc, ".totals .note").join(" ");
            let said = match un {
                0 => None,
                1 => Some("1 of them names the group without any attribution.".to_string()),
                n => Some(format!(
                    "{n} of them name the group without any attribution."
                )),
            };
            if let Some(s) = said {
                if !note.contains(&s) {
                    c.fail(format!("{rel}: the note does not say `{s}`: {note:?}"));
                }
            } else if note.contains("without any attribution") {
                c.fail(format!(
                    "{rel}: no incident names it without attribution: {note:?}"
                ));
            }
        }
        // Its chronology lists every published incident naming it, year by year, with the
        // group's own tie on each row.
        let listed = o.published_of(|i| names(i, &g.id));
        let mut want: Vec<(String, Vec<String>)> = Vec::new();
        for i in &listed {
            let y = i.date.y.to_string();
            if want.last().is_none_or(|(yy, _)| *yy != y) {
                want.push((y.clone(), Vec::new()));
            }
            want.last_mut().unwrap().1.push(i.id.clone());
        }
        c.eq(format!("{rel}: chronology"), chronology_blocks(&doc), want);
        // Incidents in which the group was the target, apart from its own.
        let want: Vec<String> = o
            .published_of(|i| {
                i.targets
                    .iter()
                    .any(|t| t.group.as_deref() == Some(g.id.as_str()))
            })
            .iter()
            .map(|i| i.id.clone())
            .collect();
        c.eq(format!("{rel}: targeted in"), targeted_in(&doc), want);
        for row in doc.select(&css(".chronology .incidents-table tbody tr")) {
            let ids = linked_ids(row);
            let Some(id) = ids.first() else { continue };
            let Some(i) = listed.iter().find(|i| &i.id == id) else {
                continue;
            };
            let role = row
                .select(&css(".col-role"))
                .next()
                .map(text)
                .unwrap_or_default();
            let tie = tie_of(i, &g.id).unwrap();
            let claimants = i.ties.iter().filter(|t| t.tie == Tie::Claimed).count();
            let mut want_role = tie.word().to_string();
            match i.relation.filter(|_| claimants >= 2) {
                Some("competing") => want_role.push_str(" competing claims"),
                Some("joint") if tie == Tie::Claimed => want_role.push_str(" joint claim"),
                _ => {}
            }
            c.eq(format!("{rel}: {id}: the group's own tie"), role, want_role);
        }
    }
}

/// Ids of the incidents listed under "Targeted in" on a group's page.
fn targeted_in(doc: &Html) -> Vec<String> {
    doc.select(&css("section.targeted-in"))
        .flat_map(linked_ids)
        .collect()
}

/// Year headings of a chronology section and the incidents listed under each.
fn chronology_blocks(doc: &Html) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let Some(sec) = doc.select(&css("section.chronology")).next() else {
        return out;
    };
    for e in sec.select(&css("h3.year-heading, table.incidents-table")) {
        if e.value().name() == "h3" {
            let y = e.select(&css("a")).next().map(text).unwrap_or_default();
            out.push((y, Vec::new()));
        } else if let Some(last) = out.last_mut() {
            last.1.extend(linked_ids(e));
        }
    }
    out
}

fn by_name_key(s: &str) -> String {
    // The few accented letters the generator uses, folded as a reader alphabetises them.
    s.to_lowercase().replace(['é', 'É'], "e").replace('ô', "o")
}

fn check_countries(o: &Oracle<'_>, c: &mut Check<'_>) {
    let with_incidents: BTreeSet<&str> = o.published.iter().map(|i| i.country.code).collect();
    // /countries/: only countries with incidents, by name.
    if let Some(doc) = c.page("countries/index.html") {
        let mut want: Vec<(String, String)> = with_incidents
            .iter()
            .map(|&cc| {
                let counted = o.counted_of(|i| i.country.code == cc);
                let later = o
                    .published_of(|i| i.country.code == cc && o.after_cutoff(i))
                    .len();
                let n = if later > 0 {
                    format!("{} +{later} later", counted.len())
                } else {
                    counted.len().to_string()
                };
                (
                    country_name(cc).to_string(),
                    format!("{n} {}", Sum::over(counted, KILLED).cell()),
                )
            })
            .collect();
        want.sort_by_key(|(n, _)| by_name_key(n));
        // Countries with analysts' assessments only come after, with nothing counted.
        let assessed_only: BTreeSet<&str> = o
            .site
            .assessments
            .iter()
            .map(|a| a.country)
            .filter(|cc| !with_incidents.contains(cc))
            .collect();
        let mut more: Vec<(String, String)> = assessed_only
            .iter()
            .map(|cc| (country_name(cc).to_string(), "0 0".to_string()))
            .collect();
        more.sort_by_key(|(n, _)| by_name_key(n));
        want.extend(more);
        let got: Vec<(String, String)> = doc
            .select(&css(".countries-table tbody tr"))
            .map(|r| {
                let name = r.select(&css("th")).next().map(text).unwrap_or_default();
                let cells: Vec<String> = r.select(&css("td.num")).map(text).collect();
                (name, cells.join(" "))
            })
            .collect();
        c.eq("/countries/: rows", got, want);
        c.eq(
            "/countries/: lede",
            texts(&doc, ".lede").first().cloned(),
            Some({
                let mut l = match with_incidents.len() {
                    1 => "1 country with recorded incidents.".to_string(),
                    n => format!("{n} countries with recorded incidents."),
                };
                if !assessed_only.is_empty() {
                    write!(
                        l,
                        " {} more with analysts' assessments only.",
                        assessed_only.len()
                    )
                    .unwrap();
                }
                l
            }),
        );
    }
    for (cc, _) in AREA_ONLY {
        let rel = format!("countries/{}/index.html", cc.to_lowercase());
        if c.has(&rel) {
            c.fail(format!(
                "{rel}: a country named only in a group's area has a page"
            ));
        }
    }
    for cc in &with_incidents {
        let rel = format!("countries/{}/index.html", cc.to_lowercase());
        let Some(doc) = c.page(&rel) else { continue };
        let name = country_name(cc);
        let counted = o.counted_of(|i| i.country.code == *cc);
        // Groups named in counted incidents here, most incidents first, ties by id.
        let mut named: BTreeMap<&str, usize> = BTreeMap::new();
        for i in &counted {
            for t in &i.ties {
                *named.entry(t.id.as_str()).or_default() += 1;
            }
        }
        let mut want = vec![("Incidents".to_string(), counted.len().to_string())];
        want.extend(expected_figures(&counted, ALL_FIGURES));
        c.eq(
            format!("{rel}: totals"),
            only(&figures(&doc), TOTAL_LABELS),
            want,
        );
        check_repeats(o, c, &rel, &doc, |i| i.country.code == *cc);
        let got = figures(&doc);
        c.eq(
            format!("{rel}: Groups"),
            got.iter()
                .find(|(l, _)| l == "Groups")
                .map(|(_, v)| v.clone()),
            Some(named.len().to_string()),
        );
        let mut rows: Vec<(&str, usize)> = named.iter().map(|(g, n)| (*g, *n)).collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let want_rows: Vec<String> = rows
            .iter()
            .map(|(g, n)| {
                let g = o.group(g);
                match &g.short {
                    Some(s) if *s != g.name => format!("{} {s} {n}", g.name),
                    _ => format!("{} {n}", g.name),
                }
            })
            .collect();
        let got_rows = row_texts(&doc, ".groups-count-table tbody tr");
        c.eq(format!("{rel}: groups named here"), got_rows, want_rows);
        let mut also: Vec<&Group> = o
            .site
            .groups
            .iter()
            .filter(|g| g.area.contains(cc) && !named.contains_key(g.id.as_str()))
            .collect();
        also.sort_by_key(|g| by_name_key(g.label()));
        let also_words = also
            .iter()
            .map(|g| g.label())
            .collect::<Vec<_>>()
            .join(", ");
        let want_also = if also.is_empty() {
            None
        } else if named.is_empty() {
            Some(format!(
                "No incident counted in {name} names a group. Also active here, by their profiles: {also_words}."
            ))
        } else {
            Some(format!(
                "Also active here, by their profiles, but named in no incident counted in {name}: {also_words}."
            ))
        };
        c.eq(
            format!("{rel}: also active"),
            texts(&doc, ".also-active").first().cloned(),
            want_also,
        );
        // The chronology lists every published incident in the country.
        let listed = o.published_of(|i| i.country.code == *cc);
        let mut want: Vec<(String, Vec<String>)> = Vec::new();
        for i in &listed {
            let y = i.date.y.to_string();
            if want.last().is_none_or(|(yy, _)| *yy != y) {
                want.push((y.clone(), Vec::new()));
            }
            want.last_mut().unwrap().1.push(i.id.clone());
        }
        c.eq(format!("{rel}: chronology"), chronology_blocks(&doc), want);
    }
}

fn check_chronology(o: &Oracle<'_>, c: &mut Check<'_>) {
    let years: BTreeSet<i32> = o.published.iter().map(|i| i.date.y).collect();
    if let Some(doc) = c.page("chronology/index.html") {
        let want: Vec<String> = years
            .iter()
            .map(|&y| {
                let counted = o.counted_of(|i| i.date.y == y);
                format!(
                    "{y} {} {}",
                    counted.len(),
                    Sum::over(counted, KILLED).cell()
                )
            })
            .collect();
        let got = row_texts(&doc, ".years-table tbody tr");
        c.eq("/chronology/: years", got, want);
    }
    for &y in &years {
        let rel = format!("chronology/{y}/index.html");
        let Some(doc) = c.page(&rel) else { continue };
        let counted = o.counted_of(|i| i.date.y == y);
        let later = o.published_of(|i| i.date.y == y && o.after_cutoff(i)).len();
        // Records repeating another are not incidents; those after the cutoff are, but are
        // not counted (a repeat after the cutoff is said once, as after the cutoff).
        let mut lede = incidents_word(counted.len() + later);
        if later > 0 {
            write!(lede, " ({later} after the data cutoff, not counted)").unwrap();
        }
        lede.push('.');
        for (label, total, note) in expected_totals(&counted) {
            match note {
                Some(n) => write!(lede, " {label}: {total} ({n}).").unwrap(),
                None => write!(lede, " {label}: {total}.").unwrap(),
            }
        }
        c.eq(
            format!("{rel}: lede"),
            texts(&doc, ".lede").first().cloned(),
            Some(lede),
        );
        check_repeats(o, c, &rel, &doc, |i| i.date.y == y);
        // Month by month: every published incident of the year.
        let mut got: Vec<String> = Vec::new();
        for sec in doc.select(&css("section.month")) {
            got.extend(linked_ids(sec));
        }
        let want: Vec<String> = o
            .published_of(|i| i.date.y == y)
            .iter()
            .map(|i| i.id.clone())
            .collect();
        c.eq(format!("{rel}: incidents listed, oldest first"), got, want);
    }
}

/// What a digest concludes about a month against the month before (docs/content.md,
/// *Monthly digests*), recomputed: at least 3 counted incidents in both months, a killed
/// figure on every one, and a change counts only when it is at least a quarter of the
/// larger of the two values.
#[derive(Debug, Clone, PartialEq)]
enum Verdict {
    First,
    TooFew,
    Incomplete,
    Trend(&'static str),
}

fn movement(now: u64, before: u64) -> i32 {
    let (hi, lo) = (now.max(before), now.min(before));
    if hi == lo || (hi - lo) * 4 < hi {
        0
    } else if now > before {
        1
    } else {
        -1
    }
}

fn verdict(now: &[&Incident], before: &[&Incident], first: bool) -> Verdict {
    if first {
        return Verdict::First;
    }
    if now.len() < 3 || before.len() < 3 {
        return Verdict::TooFew;
    }
    let gives = |i: &&Incident| i.figs[KILLED].and_then(|f| f.min()).is_some();
    if !now.iter().all(gives) || !before.iter().all(gives) {
        return Verdict::Incomplete;
    }
    let k = |v: &[&Incident]| Sum::over(v.iter().copied(), KILLED).min;
    let score = movement(now.len() as u64, before.len() as u64) + movement(k(now), k(before));
    Verdict::Trend(match score.signum() {
        1 => "deteriorated",
        -1 => "improved",
        _ => "unchanged",
    })
}

fn month_label((y, m): (i32, u32)) -> String {
    format!("{} {y}", MONTHS[m as usize - 1])
}

fn month_before((y, m): (i32, u32)) -> (i32, u32) {
    if m == 1 { (y - 1, 12) } else { (y, m - 1) }
}

fn check_digests(o: &Oracle<'_>, c: &mut Check<'_>) {
    let mut countries: BTreeSet<&str> = o.published.iter().map(|i| i.country.code).collect();
    countries.extend(o.site.assessments.iter().map(|a| a.country));
    for cc in countries {
        let in_month = |ym: (i32, u32)| {
            o.counted_of(|i| i.country.code == cc && i.date.m.is_some_and(|m| (i.date.y, m) == ym))
        };
        // A digest for every month with a counted incident dated at least to the month,
        // and for every month an analyst assessed.
        let mut months: BTreeSet<(i32, u32)> = o
            .counted_of(|i| i.country.code == cc && i.date.m.is_some())
            .iter()
            .map(|i| (i.date.y, i.date.m.unwrap()))
            .collect();
        let assessed = |ym: (i32, u32)| {
            o.site
                .assessments
                .iter()
                .find(|a| a.country == cc && a.month == ym)
        };
        months.extend(
            o.site
                .assessments
                .iter()
                .filter(|a| a.country == cc)
                .map(|a| a.month),
        );
        let first = months.first().copied();
        let base = format!("countries/{}/", cc.to_lowercase());
        let mut archive: Vec<String> = Vec::new();
        for &ym in months.iter().rev() {
            let now = in_month(ym);
            let prev = month_before(ym);
            let before = in_month(prev);
            let v = verdict(&now, &before, Some(ym) == first);
            let a = assessed(ym);
            c.saw(match v {
                Verdict::First => "digest: first month",
                Verdict::TooFew => "digest: too few",
                Verdict::Incomplete => "digest: incomplete",
                Verdict::Trend(_) => "digest: trend",
            });
            let mut line = format!("{} {}", month_label(ym), incidents_word(now.len()));
            match (a, &v) {
                (Some(a), _) => write!(line, " · {} (analyst's assessment)", a.trend).unwrap(),
                (None, Verdict::First) => {}
                (None, Verdict::TooFew) => line.push_str(" · too few incidents to compare"),
                (None, Verdict::Incomplete) => {
                    line.push_str(" · figures too incomplete to compare")
                }
                (None, Verdict::Trend(t)) => write!(line, " · {t}").unwrap(),
            }
            archive.push(line);
            let rel = format!("{base}{}-{:02}/index.html", ym.0, ym.1);
            let Some(doc) = c.page(&rel) else { continue };
            let lede = match (a, &v) {
                (Some(a), _) => format!("Analyst's assessment: the situation {}.", a.trend),
                (None, Verdict::First) => format!(
                    "The first month on record for {}: there is no earlier month to compare.",
                    country_name(cc)
                ),
                (None, Verdict::TooFew) => {
                    format!("Too few incidents to compare with {}.", month_label(prev))
                }
                (None, Verdict::Incomplete) => {
                    format!(
                        "Figures too incomplete to compare with {}.",
                        month_label(prev)
                    )
                }
                (None, Verdict::Trend(t)) => format!(
                    "Compared with {}, the situation {t}, by the counts below.",
                    month_label(prev)
                ),
            };
            c.eq(
                format!("{rel}: lede"),
                texts(&doc, ".lede").first().cloned(),
                Some(lede),
            );
            // The analyst's assessment, marked as such, and the computed word apart.
            let verdict_words = texts(&doc, ".assessment__verdict").first().cloned();
            let computed = texts(&doc, ".computed-trend").first().cloned();
            match a {
                Some(a) => {
                    let by = match &a.author {
                        Some(n) => format!("in the assessment of {n}"),
                        None => "in an analyst's assessment".into(),
                    };
                    c.eq(
                        format!("{rel}: assessment"),
                        verdict_words,
                        Some(format!("The situation {}, {by}.", a.trend)),
                    );
                    let body = texts(&doc, ".assessment__body").join(" ");
                    if body != a.body {
                        c.fail(format!(
                            "{rel}: assessment body {body:?}, expected {:?}",
                            a.body
                        ));
                    }
                    c.eq(
                        format!("{rel}: the computed word beside the assessment"),
                        computed,
                        match v {
                            Verdict::Trend(t) => {
                                Some(format!("By the counts alone, the month would read {t}."))
                            }
                            _ => None,
                        },
                    );
                }
                None => {
                    c.eq(format!("{rel}: no assessment"), verdict_words, None);
                    c.eq(format!("{rel}: no second computed word"), computed, None);
                }
            }
            // A month that counted no incident recorded no deaths: it says so, never 0.
            let s = |v: &[&Incident], k| Sum::over(v.iter().copied(), k);
            let cell = |v: &[&Incident], k| {
                if v.is_empty() {
                    "no incident counted".to_string()
                } else {
                    Sum::over(v.iter().copied(), k).cell()
                }
            };
            let rows = vec![
                format!("Incidents {} {}", now.len(), before.len()),
                format!("Killed {} {}", cell(&now, KILLED), cell(&before, KILLED)),
            ];
            c.eq(
                format!("{rel}: the month against the one before"),
                row_texts(&doc, ".digest-table tbody tr"),
                rows,
            );
            if !now.is_empty() {
                let mut also = format!(
                    "Also in {}: wounded, {}",
                    month_label(ym),
                    s(&now, WOUNDED).full()
                );
                if s(&now, CAPTURED).mentioned > 0 {
                    write!(also, "; captured, {}", s(&now, CAPTURED).full()).unwrap();
                }
                if s(&now, ATTACKERS).mentioned > 0 {
                    write!(
                        also,
                        "; attackers killed (not counted with the victims), {}",
                        s(&now, ATTACKERS).full()
                    )
                    .unwrap();
                }
                if let Some((total, note)) = fatalities_sum(&now) {
                    write!(also, "; dead in all, not separated, {total} ({note})").unwrap();
                }
                also.push('.');
                let notes = texts(&doc, ".totals .note");
                if !notes.contains(&also) {
                    c.fail(format!("{rel}: no note {also:?} among {notes:?}"));
                }
            }
            let listed: Vec<String> = doc
                .select(&css(".incidents-table"))
                .flat_map(linked_ids)
                .collect();
            let want: Vec<String> = now.iter().map(|i| i.id.clone()).collect();
            c.eq(format!("{rel}: incidents of the month"), listed, want);
        }
        if let Some(doc) = c.page(&format!("{base}index.html")) {
            c.eq(
                format!("{base}: digest archive"),
                texts(&doc, ".archive li"),
                archive,
            );
        }
    }
}

// ------------------------------------------------------------------ incident pages

/// "A", "A and B", "A, B and C".
fn list_words(xs: &[&str]) -> String {
    match xs.len() {
        0 => String::new(),
        1 => xs[0].to_string(),
        n => format!("{} and {}", xs[..n - 1].join(", "), xs[n - 1]),
    }
}

/// " on 19 June 2017 in a statement": when and how a group claimed it.
fn claim_details(t: &GroupTie) -> String {
    let mut d = String::new();
    if let Some(date) = &t.claim_date {
        if date.precision() == 2 {
            write!(d, " on {}", date.display()).unwrap();
        } else {
            write!(d, " in {}", date.display()).unwrap();
        }
    }
    if let Some(m) = &t.claim_medium {
        let article = if m.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) {
            "an"
        } else {
            "a"
        };
        write!(d, " in {article} {m}").unwrap();
    }
    d
}

/// Who did it, as the incident page must say it (docs/content.md, *How the site shows
/// it*): claims as the record relates them, then suspected, disputed and unattributed ties.
fn who_sentence(o: &Oracle<'_>, i: &Incident) -> String {
    if i.ties.is_empty() {
        return match i.attribution {
            Some(Tie::Claimed) => "Claimed, by a group not on record.",
            Some(Tie::Suspected) => "A group not on record is suspected.",
            Some(Tie::Disputed) => "Its attribution is disputed.",
            _ => "Unattributed: no group claimed it and none is blamed.",
        }
        .to_string();
    }
    let label = |t: &GroupTie| o.group(&t.id).label().to_string();
    let of = |tie: Tie| i.ties.iter().filter(|t| t.tie == tie).collect::<Vec<_>>();
    let mut clauses: Vec<String> = Vec::new();
    let claimed = of(Tie::Claimed);
    match (claimed.len(), i.relation) {
        (0, _) => {}
        (1, _) => clauses.push(format!(
            "Claimed by {}{}",
            label(claimed[0]),
            claim_details(claimed[0])
        )),
        (_, Some("joint")) => {
            let names: Vec<String> = claimed.iter().map(|t| label(t)).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let mut c = format!("Jointly claimed by {}", list_words(&names));
            let details: Vec<String> = claimed.iter().map(|t| claim_details(t)).collect();
            if details.iter().all(|d| *d == details[0]) {
                c.push_str(&details[0]);
            } else {
                let parts: Vec<String> = claimed
                    .iter()
                    .zip(&details)
                    .filter(|(_, d)| !d.is_empty())
                    .map(|(t, d)| format!("{}{d}", label(t)))
                    .collect();
                write!(c, " ({})", parts.join("; ")).unwrap();
            }
            clauses.push(c);
        }
        (_, Some(_)) => clauses.push(format!(
            "Competing claims: {}",
            claimed
                .iter()
                .map(|t| format!("{} claimed it{}", label(t), claim_details(t)))
                .collect::<Vec<_>>()
                .join("; ")
        )),
        (n, None) => {
            let mut c = String::from("Claimed by ");
            for (k, t) in claimed.iter().enumerate() {
                if k > 0 {
                    c.push_str(if k + 1 == n { " and by " } else { ", by " });
                }
                write!(c, "{}{}", label(t), claim_details(t)).unwrap();
            }
            clauses.push(c);
        }
    }
    for (tie, lead, one, many) in [
        (Tie::Suspected, "", " is suspected", " are suspected"),
        (
            Tie::Disputed,
            "the role of ",
            " is disputed",
            " are disputed",
        ),
        (
            Tie::Unattributed,
            "",
            " is named without a firm attribution",
            " are named without a firm attribution",
        ),
    ] {
        let ts = of(tie);
        if ts.is_empty() {
            continue;
        }
        let names: Vec<String> = ts.iter().map(|t| label(t)).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        clauses.push(format!(
            "{lead}{}{}",
            list_words(&names),
            if ts.len() == 1 { one } else { many }
        ));
    }
    let mut out = clauses.join("; ");
    if let Some(f) = out.get(0..1) {
        out = f.to_uppercase() + &out[1..];
    }
    out.push('.');
    out
}

/// "claimed 12 killed, at least 20 wounded and 2 captured": a group's own figures.
fn claimed_words(t: &GroupTie) -> Option<String> {
    let parts: Vec<String> = ["killed", "wounded", "captured"]
        .iter()
        .zip(&t.claimed)
        .filter_map(|(what, f)| {
            f.map(|f| match f {
                Fig::Unknown => format!("an unknown number {what}"),
                f => format!("{} {what}", f.words()),
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

fn capitalised(s: &str) -> String {
    match s.get(0..1) {
        Some(f) => f.to_uppercase() + &s[1..],
        None => String::new(),
    }
}

fn check_incident_pages(o: &Oracle<'_>, c: &mut Check<'_>) {
    // The incidents list: every published record, newest first (one page at this size),
    // each row marked as the record relates its claims, and as a repeat or after the cutoff.
    if let Some(doc) = c.page("incidents/index.html") {
        let rows: Vec<ElementRef<'_>> = doc.select(&css(".incidents-table tbody tr")).collect();
        let got: Vec<String> = rows
            .iter()
            .flat_map(|r| linked_ids(*r).into_iter().take(1))
            .collect();
        let want: Vec<String> = o.published.iter().rev().map(|i| i.id.clone()).collect();
        c.eq(
            "/incidents/: every published incident, newest first",
            got,
            want,
        );
        for r in rows {
            let Some(id) = linked_ids(r).into_iter().next() else {
                continue;
            };
            let Some(i) = o.published.iter().find(|i| i.id == id) else {
                continue;
            };
            let has = |s: &str| r.select(&css(s)).next().is_some();
            let claimants = i.ties.iter().filter(|t| t.tie == Tie::Claimed).count();
            let rel = i.relation.filter(|_| claimants >= 2);
            c.eq(
                format!("/incidents/: {id}: competing mark"),
                has(".attr--competing"),
                rel == Some("competing"),
            );
            c.eq(
                format!("/incidents/: {id}: joint mark"),
                has(".attr--joint"),
                rel == Some("joint"),
            );
            if rel != Some("competing") && row_text(r).to_lowercase().contains("competing") {
                c.fail(format!(
                    "/incidents/: {id}: reads \"competing\" without `claims: competing`"
                ));
            }
            c.eq(
                format!("/incidents/: {id}: repeat mark"),
                has(".badge--repeat"),
                i.same_event_as.is_some(),
            );
            c.eq(
                format!("/incidents/: {id}: after-cutoff mark"),
                has(".badge--cutoff"),
                o.after_cutoff(i),
            );
        }
    }
    for i in &o.site.incidents {
        let rel = format!("incidents/{}/index.html", i.id);
        if i.draft {
            if c.has(&rel) {
                c.fail(format!("{rel}: a draft is published"));
            }
            continue;
        }
        let Some(doc) = c.page(&rel) else { continue };
        c.eq(
            format!("{rel}: who did it"),
            texts(&doc, ".who").join(" "),
            who_sentence(o, i),
        );
        let notice = !texts(&doc, ".notice--cutoff").is_empty();
        c.eq(
            format!("{rel}: after-the-cutoff notice"),
            notice,
            o.after_cutoff(i),
        );
        // Casualties: "unknown" is not 0, and a figure not given is "not recorded".
        let got: Vec<String> = texts(
            &doc,
            "ul.casualties:not(.casualties--attackers):not(.casualties--all-dead) li",
        );
        let want: Vec<String> = [
            ("Killed", KILLED),
            ("Wounded", WOUNDED),
            ("Captured", CAPTURED),
        ]
        .iter()
        .map(|(l, k)| match i.figs[*k] {
            Some(f) => format!("{l} {}", f.words()),
            None => format!("{l} not recorded"),
        })
        .collect();
        c.eq(format!("{rel}: casualties"), got, want);
        // Deaths not separated: said as such, and how they are counted.
        let all_dead = texts(&doc, "ul.casualties--all-dead li");
        let words = texts(&doc, ".facts__note.fatalities").first().cloned();
        match i.figs[FATALITIES] {
            Some(f) => {
                c.eq(
                    format!("{rel}: dead in all"),
                    all_dead,
                    vec![format!("Dead in all {}", f.words())],
                );
                let mut w = match f {
                    Fig::Unknown => {
                        "Dead in all not known; victims and attackers not separated.".to_string()
                    }
                    f => format!(
                        "{} dead in all; victims and attackers not separated.",
                        capitalised(&f.words())
                    ),
                };
                if o.counted(i) {
                    w.push_str(if fatalities_only(i) {
                        " Counted apart, never with the victims."
                    } else {
                        " Victims and attackers killed are counted as given above, not this figure."
                    });
                }
                c.eq(
                    format!("{rel}: deaths not separated, in words"),
                    words,
                    Some(w),
                );
            }
            None => {
                c.eq(format!("{rel}: no dead-in-all figure"), all_dead, vec![]);
                c.eq(format!("{rel}: no dead-in-all words"), words, None);
            }
        }
        // A group's own figures, beside the independent ones.
        let want: Vec<String> = i
            .ties
            .iter()
            .filter_map(|t| claimed_words(t).map(|w| format!("{} {w}", o.group(&t.id).label())))
            .collect();
        c.eq(
            format!("{rel}: claimed figures"),
            texts(&doc, ".claimed-figures li"),
            want,
        );
        // Targets with their kind in words, a profiled group linked.
        let want: Vec<String> = i
            .targets
            .iter()
            .map(|t| match t.kind {
                Some(k) => format!("{} ({})", t.actor, k.replace('_', " ")),
                None => t.actor.clone(),
            })
            .collect();
        c.eq(format!("{rel}: targets"), texts(&doc, ".targets li"), want);
        let linked: Vec<String> = doc
            .select(&css(".targets li a[href]"))
            .filter_map(|a| a.value().attr("href"))
            .map(|h| {
                h.trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        let want: Vec<String> = i.targets.iter().filter_map(|t| t.group.clone()).collect();
        c.eq(format!("{rel}: targeted groups linked"), linked, want);
        // The same event, both ways.
        let repeat = doc.select(&css(".notice--repeat")).next();
        match &i.same_event_as {
            Some(other) => match repeat {
                Some(n) => {
                    c.eq(
                        format!("{rel}: repeats"),
                        linked_ids(n),
                        vec![other.clone()],
                    );
                }
                None => c.fail(format!("{rel}: does not say it repeats {other}")),
            },
            None => {
                if repeat.is_some() {
                    c.fail(format!("{rel}: says it repeats another record"));
                }
            }
        }
        let by: Vec<String> = o
            .published_of(|x| x.same_event_as.as_deref() == Some(i.id.as_str()))
            .iter()
            .map(|x| x.id.clone())
            .collect();
        let got = doc
            .select(&css(".notice--repeated"))
            .next()
            .map(linked_ids)
            .unwrap_or_default();
        c.eq(format!("{rel}: repeated by"), got, by);
    }
}

// ------------------------------------------------------------------ exports

fn read_json(c: &mut Check<'_>, rel: &str) -> Option<Value> {
    let t = std::fs::read_to_string(c.out.join(rel))
        .map_err(|e| c.fail(format!("{rel}: {e}")))
        .ok()?;
    serde_json::from_str(&t)
        .map_err(|e| c.fail(format!("{rel}: {e}")))
        .ok()
}

/// Rows of a CSV file as header → cell maps.
fn read_csv(c: &mut Check<'_>, rel: &str) -> Option<Vec<BTreeMap<String, String>>> {
    let mut r = csv::Reader::from_path(c.out.join(rel))
        .map_err(|e| c.fail(format!("{rel}: {e}")))
        .ok()?;
    let head: Vec<String> = r.headers().ok()?.iter().map(str::to_string).collect();
    Some(
        r.records()
            .filter_map(Result::ok)
            .map(|rec| {
                head.iter()
                    .cloned()
                    .zip(rec.iter().map(str::to_string))
                    .collect()
            })
            .collect(),
    )
}

fn opt_str(s: Option<&str>) -> Value {
    s.map_or(Value::Null, |s| Value::String(s.to_string()))
}

fn fig_json(f: Option<&Fig>) -> Value {
    f.map_or(Value::Null, Fig::json)
}

/// The parts of an incident's JSON export the model decides (spec-15 §4, docs/data.md).
fn expected_json(o: &Oracle<'_>, i: &Incident) -> Value {
    let groups: Vec<Value> = i
        .ties
        .iter()
        .map(|t| {
            serde_json::json!({
                "id": t.id,
                "name": o.group(&t.id).name,
                "attribution": t.tie.word(),
                "claim_date": t.claim_date.map(|d| d.iso()),
                "claim_medium": t.claim_medium,
                "claimed_killed": fig_json(t.claimed[0].as_ref()),
                "claimed_wounded": fig_json(t.claimed[1].as_ref()),
                "claimed_captured": fig_json(t.claimed[2].as_ref()),
            })
        })
        .collect();
    let targets: Vec<Value> = i
        .targets
        .iter()
        .map(|t| serde_json::json!({"actor": t.actor, "kind": t.kind, "group": t.group}))
        .collect();
    let mut cas = serde_json::Map::new();
    for (k, f) in FIG_KEYS.iter().zip(&i.figs) {
        cas.insert(k.to_string(), fig_json(f.as_ref()));
    }
    serde_json::json!({
        "id": i.id,
        "title": i.title,
        "date": i.date.iso(),
        "end_date": i.end_date.map(|d| d.iso()),
        "date_precision": i.date.precision_word(),
        "event_type": i.event_type,
        "claims": i.relation,
        "groups": groups,
        "location": {
            "place": i.place,
            "admin1": i.admin1,
            "admin2": Value::Null,
            "country": i.country.code,
            "country_name": i.country.name,
            "lat": i.coords.map(|c| c.0),
            "lon": i.coords.map(|c| c.1),
            "precision": Oracle::precision(i),
        },
        "targets": targets,
        "casualties": cas,
        "after_cutoff": o.after_cutoff(i),
        "same_event_as": opt_str(i.same_event_as.as_deref()),
        "distinct_from": i.distinct_from,
    })
}

/// `expected` restricted to the keys it names (nested objects compared whole).
fn subset_diff(got: &Value, want: &Value) -> Vec<String> {
    let mut d = Vec::new();
    if let (Some(g), Some(w)) = (got.as_object(), want.as_object()) {
        for (k, wv) in w {
            match g.get(k) {
                None => d.push(format!("missing `{k}`")),
                Some(gv) if gv != wv => d.push(format!("`{k}`: {gv} (expected {wv})")),
                _ => {}
            }
        }
    } else if got != want {
        d.push(format!("{got} (expected {want})"));
    }
    d
}

/// A figure in the CSV's `id=figure` cells: `12`, `10-12`, `5+`, `unknown`.
fn fig_csv(f: &Fig) -> String {
    match *f {
        Fig::Exact(n) => n.to_string(),
        Fig::Range(a, b) if a == b => a.to_string(),
        Fig::Range(a, b) => format!("{a}-{b}"),
        Fig::AtLeast(a) => format!("{a}+"),
        Fig::Unknown => "unknown".into(),
    }
}

fn expected_csv(o: &Oracle<'_>, i: &Incident) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    let mut put = |k: &str, v: String| {
        m.insert(k.to_string(), v);
    };
    put("event_id", i.id.clone());
    put("event_date", i.date.iso());
    put("date_precision", i.date.precision_word().into());
    put("end_date", i.end_date.map(|d| d.iso()).unwrap_or_default());
    let ids = |t: Tie| {
        i.ties
            .iter()
            .filter(|x| x.tie == t)
            .map(|x| x.id.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    put(
        "actor_ids",
        i.ties
            .iter()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>()
            .join("; "),
    );
    put("groups_claimed", ids(Tie::Claimed));
    put("groups_suspected", ids(Tie::Suspected));
    put("groups_disputed", ids(Tie::Disputed));
    put("claims", i.relation.unwrap_or_default().into());
    for (n, key) in ["claimed_killed", "claimed_wounded", "claimed_captured"]
        .iter()
        .enumerate()
    {
        put(
            key,
            i.ties
                .iter()
                .filter_map(|t| t.claimed[n].map(|f| format!("{}={}", t.id, fig_csv(&f))))
                .collect::<Vec<_>>()
                .join("; "),
        );
    }
    put("iso", i.country.code.into());
    put("country", i.country.name.into());
    put("admin1", i.admin1.unwrap_or_default().into());
    put("location", i.place.clone().unwrap_or_default());
    put("location_precision", Oracle::precision(i).into());
    for (k, f) in FIG_KEYS.iter().zip(&i.figs) {
        put(
            &format!("{k}_min"),
            f.and_then(|f| f.min())
                .map(|n| n.to_string())
                .unwrap_or_default(),
        );
        put(
            &format!("{k}_max"),
            f.and_then(|f| f.max())
                .map(|n| n.to_string())
                .unwrap_or_default(),
        );
        put(
            &format!("{k}_unknown"),
            (f == &Some(Fig::Unknown)).to_string(),
        );
    }
    // The distinct kinds, in alphabetical order.
    let kinds: BTreeSet<&str> = i.targets.iter().filter_map(|t| t.kind).collect();
    put(
        "target_kinds",
        kinds.into_iter().collect::<Vec<_>>().join("; "),
    );
    put(
        "target_groups",
        i.targets
            .iter()
            .filter_map(|t| t.group.as_deref())
            .collect::<Vec<_>>()
            .join("; "),
    );
    put("after_cutoff", o.after_cutoff(i).to_string());
    put("same_event_as", i.same_event_as.clone().unwrap_or_default());
    put("distinct_from", i.distinct_from.join("; "));
    m
}

/// ACLED's `fatalities` (docs/data.md): every death, conservatively: the lower bound of the
/// record's all-deaths figure when it gives one, else the lower bounds of victims and
/// attackers killed added; empty (never 0) when none is known.
fn expected_acled_fatalities(i: &Incident) -> String {
    if let Some(n) = i.figs[FATALITIES].and_then(|f| f.min()) {
        return n.to_string();
    }
    let parts: Vec<u32> = [i.figs[KILLED], i.figs[ATTACKERS]]
        .iter()
        .filter_map(|f| f.and_then(|f| f.min()))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        parts.iter().sum::<u32>().to_string()
    }
}

fn check_exports(o: &Oracle<'_>, c: &mut Check<'_>) {
    let mut sets: Vec<(String, Vec<&Incident>)> = vec![("data/".into(), o.published.clone())];
    for g in &o.site.groups {
        sets.push((
            format!("groups/{}/", g.id),
            o.published_of(|i| names(i, &g.id)),
        ));
    }
    let countries: BTreeSet<&str> = o.published.iter().map(|i| i.country.code).collect();
    for cc in countries {
        sets.push((
            format!("countries/{}/", cc.to_lowercase()),
            o.published_of(|i| i.country.code == cc),
        ));
    }
    for (base, incs) in &sets {
        let want_ids: Vec<&str> = incs.iter().map(|i| i.id.as_str()).collect();
        // JSON.
        if let Some(Value::Array(rows)) = read_json(c, &format!("{base}incidents.json")) {
            let ids: Vec<&str> = rows
                .iter()
                .map(|r| r["id"].as_str().unwrap_or("?"))
                .collect();
            c.eq(format!("{base}incidents.json: rows"), ids, want_ids.clone());
            for (r, i) in rows.iter().zip(incs) {
                for d in subset_diff(r, &expected_json(o, i)) {
                    c.fail(format!("{base}incidents.json: {}: {d}", i.id));
                }
            }
        }
        // GeoJSON: the same records, with or without a point.
        if let Some(v) = read_json(c, &format!("{base}incidents.geojson")) {
            let feats = v["features"].as_array().cloned().unwrap_or_default();
            let ids: Vec<&str> = feats
                .iter()
                .map(|f| f["properties"]["id"].as_str().unwrap_or("?"))
                .collect();
            c.eq(
                format!("{base}incidents.geojson: features"),
                ids,
                want_ids.clone(),
            );
            for (f, i) in feats.iter().zip(incs) {
                let geometry = match i.coords {
                    Some((lat, lon)) => {
                        serde_json::json!({"type": "Point", "coordinates": [lon, lat]})
                    }
                    None => Value::Null,
                };
                c.eq(
                    format!("{base}incidents.geojson: {}: geometry", i.id),
                    &f["geometry"],
                    &geometry,
                );
                for d in subset_diff(&f["properties"], &expected_json(o, i)) {
                    c.fail(format!("{base}incidents.geojson: {}: {d}", i.id));
                }
            }
        }
        // CSV.
        if let Some(rows) = read_csv(c, &format!("{base}incidents.csv")) {
            let ids: Vec<&str> = rows
                .iter()
                .map(|r| r.get("event_id").map_or("?", |s| s.as_str()))
                .collect();
            c.eq(format!("{base}incidents.csv: rows"), ids, want_ids.clone());
            for (r, i) in rows.iter().zip(incs) {
                for (k, w) in expected_csv(o, i) {
                    match r.get(&k) {
                        None => c.fail(format!("{base}incidents.csv: no column `{k}`")),
                        Some(g) if *g != w => c.fail(format!(
                            "{base}incidents.csv: {}: `{k}` is {g:?}, expected {w:?}",
                            i.id
                        )),
                        _ => {}
                    }
                }
            }
        }
    }
    if let Some(rows) = read_csv(c, "data/acled.csv") {
        let ids: Vec<&str> = rows
            .iter()
            .map(|r| r.get("event_id_cnty").map_or("?", |s| s.as_str()))
            .collect();
        let want: Vec<&str> = o.published.iter().map(|i| i.id.as_str()).collect();
        c.eq("data/acled.csv: rows", ids, want);
        for (r, i) in rows.iter().zip(&o.published) {
            c.eq(
                format!("data/acled.csv: {}: fatalities", i.id),
                r.get("fatalities").cloned().unwrap_or_default(),
                expected_acled_fatalities(i),
            );
        }
    }
}
