//! Deterministic synthetic corpus generator for the briefwerk benchmarks.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --incidents N --seed S --out DIR [--hugo DIR2]
//!     [--hugo-layouts scripts/bench/hugo-layouts]
//! ```
//!
//! Writes a briefwerk site of N synthetic incidents, 30 group profiles, N/200 (at least 2)
//! briefings and an about page under `DIR`; with `--hugo DIR2` it also writes the same corpus as
//! a Hugo site (taxonomies groups/countries/tags/years, group profiles as term pages) and copies
//! the benchmark layouts into `DIR2/layouts`.
//!
//! Only `std` is used (own splitmix64 PRNG, integer fixed-point coordinates) so that the same
//! `--seed` and `--incidents` give byte-identical files on every machine, and so that this
//! example adds no dependency to the crate. Every incident draws from its own PRNG stream, so
//! incident `i` is the same whatever N is. All people, incidents, sources and URLs are
//! invented; group names and founding dates are only loosely modelled on the Sahel conflict.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// ---------------------------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------------------------

/// splitmix64; `Rng::stream(seed, kind, index)` gives independent streams per entity.
struct Rng(u64);

fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    fn stream(seed: u64, kind: u64, index: u64) -> Rng {
        Rng(mix64(seed.wrapping_add(0x9E37_79B9_7F4A_7C15))
            ^ mix64((kind << 48) ^ index ^ 0x5851_F42D_4C95_7F2D))
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }
    /// True with probability `per_mille / 1000`.
    fn chance(&mut self, per_mille: usize) -> bool {
        self.below(1000) < per_mille
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut r = self.below(total as usize) as u64;
        for (i, &w) in weights.iter().enumerate() {
            if r < u64::from(w) {
                return i;
            }
            r -= u64::from(w);
        }
        weights.len() - 1
    }
    /// `k` distinct indices out of `0..n`, in drawing order.
    fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::with_capacity(k);
        while out.len() < k.min(n) {
            let i = self.below(n);
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

/// A possibly partial date: month/day 0 means "not given".
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct PDate {
    y: u32,
    m: u32,
    d: u32,
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

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl PDate {
    fn full(y: u32, m: u32, d: u32) -> PDate {
        PDate { y, m, d }
    }
    /// "YYYY", "YYYY-MM" or "YYYY-MM-DD".
    fn iso(self) -> String {
        match (self.m, self.d) {
            (0, _) => format!("{:04}", self.y),
            (m, 0) => format!("{:04}-{:02}", self.y, m),
            (m, d) => format!("{:04}-{:02}-{:02}", self.y, m, d),
        }
    }
    /// The first day the date can mean, always full.
    fn floor(self) -> PDate {
        PDate::full(self.y, self.m.max(1), self.d.max(1))
    }
    /// "19 July 2016", "July 2016" or "2016".
    fn human(self) -> String {
        match (self.m, self.d) {
            (0, _) => format!("{}", self.y),
            (m, 0) => format!("{} {}", MONTHS[m as usize - 1], self.y),
            (m, d) => format!("{} {} {}", d, MONTHS[m as usize - 1], self.y),
        }
    }
    /// "on 19 July 2016", "in July 2016" or "in 2016".
    fn on(self) -> String {
        if self.d == 0 {
            format!("in {}", self.human())
        } else {
            format!("on {}", self.human())
        }
    }
    fn add_days(self, n: u32) -> PDate {
        let mut r = self.floor();
        for _ in 0..n {
            r.d += 1;
            if r.d > days_in_month(r.y, r.m) {
                r.d = 1;
                r.m += 1;
                if r.m > 12 {
                    r.m = 1;
                    r.y += 1;
                }
            }
        }
        r
    }
    fn precision(self) -> &'static str {
        match (self.m, self.d) {
            (0, _) => "year",
            (_, 0) => "month",
            _ => "day",
        }
    }
}

fn random_full_date_in_year(rng: &mut Rng, y: u32) -> PDate {
    let m = rng.range(1, 12) as u32;
    let d = rng.range(1, i64::from(days_in_month(y, m))) as u32;
    PDate::full(y, m, d)
}

// ---------------------------------------------------------------------------------------------
// Static tables
// ---------------------------------------------------------------------------------------------

struct Country {
    code: &'static str,
    name: &'static str,
    demonym: &'static str,
    army: &'static str,
    places: &'static [Place],
}

/// A town: name, ASCII slug, first-level admin area, lat/lon in 1e-4 degrees.
struct Place(&'static str, &'static str, &'static str, i32, i32);

const COUNTRIES: [Country; 3] = [
    Country {
        code: "ML",
        name: "Mali",
        demonym: "Malian",
        army: "Malian Armed Forces (FAMa)",
        places: &[
            Place("Bamako", "bamako", "Bamako", 126_392, -80_029),
            Place("Mopti", "mopti", "Mopti", 144_843, -41_830),
            Place("Ségou", "segou", "Ségou", 134_317, -62_157),
            Place("Timbuktu", "timbuktu", "Tombouctou", 167_666, -30_026),
            Place("Gao", "gao", "Gao", 162_666, -400),
            Place("Kidal", "kidal", "Kidal", 184_411, 14_078),
            Place("Ménaka", "menaka", "Ménaka", 159_182, 24_022),
            Place("Nampala", "nampala", "Ségou", 152_833, -55_500),
            Place("Boni", "boni", "Mopti", 150_667, -19_500),
            Place("Djenné", "djenne", "Mopti", 139_061, -45_533),
            Place("Sévaré", "sevare", "Mopti", 145_333, -41_000),
            Place("Tessalit", "tessalit", "Kidal", 201_986, 9_856),
            Place("Aguelhok", "aguelhok", "Kidal", 194_614, 8_589),
            Place("Ansongo", "ansongo", "Gao", 156_597, 5_022),
            Place("Léré", "lere", "Tombouctou", 157_167, -49_167),
            Place("Douentza", "douentza", "Mopti", 150_019, -29_497),
            Place("Bandiagara", "bandiagara", "Mopti", 143_500, -36_100),
            Place("Niono", "niono", "Ségou", 142_526, -59_930),
            Place("Kati", "kati", "Koulikoro", 127_441, -80_726),
            Place("Ténenkou", "tenenkou", "Mopti", 144_572, -49_169),
            Place("Sikasso", "sikasso", "Sikasso", 113_176, -56_665),
            Place("Kayes", "kayes", "Kayes", 144_469, -114_445),
        ],
    },
    Country {
        code: "BF",
        name: "Burkina Faso",
        demonym: "Burkinabe",
        army: "Burkinabe Armed Forces",
        places: &[
            Place("Ouagadougou", "ouagadougou", "Centre", 123_714, -15_197),
            Place("Djibo", "djibo", "Sahel", 141_022, -16_306),
            Place("Dori", "dori", "Sahel", 140_354, -345),
            Place("Arbinda", "arbinda", "Sahel", 142_333, -8_667),
            Place("Gorom-Gorom", "gorom-gorom", "Sahel", 144_439, -2_361),
            Place("Kaya", "kaya", "Centre-Nord", 130_917, -10_844),
            Place("Barsalogho", "barsalogho", "Centre-Nord", 134_167, -10_667),
            Place("Fada N'Gourma", "fada-ngourma", "Est", 120_616, 3_584),
            Place("Diapaga", "diapaga", "Est", 120_708, 17_889),
            Place("Ouahigouya", "ouahigouya", "Nord", 135_828, -24_216),
            Place("Titao", "titao", "Nord", 137_667, -20_667),
            Place("Solenzo", "solenzo", "Boucle du Mouhoun", 121_833, -40_833),
            Place(
                "Dédougou",
                "dedougou",
                "Boucle du Mouhoun",
                124_634,
                -34_608,
            ),
            Place("Tougan", "tougan", "Boucle du Mouhoun", 130_667, -30_667),
            Place("Sebba", "sebba", "Sahel", 134_364, 5_304),
            Place("Koudougou", "koudougou", "Centre-Ouest", 122_526, -23_627),
            Place(
                "Bobo-Dioulasso",
                "bobo-dioulasso",
                "Hauts-Bassins",
                111_771,
                -42_979,
            ),
            Place("Pama", "pama", "Est", 112_500, 7_000),
        ],
    },
    Country {
        code: "NE",
        name: "Niger",
        demonym: "Nigerien",
        army: "Nigerien Armed Forces (FAN)",
        places: &[
            Place("Niamey", "niamey", "Niamey", 135_116, 21_254),
            Place("Tillabéri", "tillaberi", "Tillabéri", 142_117, 14_531),
            Place("Ayorou", "ayorou", "Tillabéri", 147_308, 9_174),
            Place("Ouallam", "ouallam", "Tillabéri", 143_183, 20_860),
            Place("Diffa", "diffa", "Diffa", 133_154, 126_113),
            Place("Bosso", "bosso", "Diffa", 136_977, 133_104),
            Place("Tahoua", "tahoua", "Tahoua", 148_888, 52_692),
            Place("Agadez", "agadez", "Agadez", 169_742, 79_865),
            Place("Arlit", "arlit", "Agadez", 187_369, 73_853),
            Place("Zinder", "zinder", "Zinder", 138_053, 89_881),
            Place("Maradi", "maradi", "Maradi", 135_000, 71_017),
            Place("Dosso", "dosso", "Dosso", 130_490, 31_937),
            Place("Téra", "tera", "Tillabéri", 140_078, 7_531),
            Place("Abala", "abala", "Tillabéri", 149_333, 34_333),
            Place("Banibangou", "banibangou", "Tillabéri", 150_400, 27_000),
            Place("Torodi", "torodi", "Tillabéri", 131_167, 18_000),
            Place("Tassara", "tassara", "Tahoua", 168_167, 56_500),
            Place("Filingué", "filingue", "Tillabéri", 143_521, 33_168),
        ],
    },
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Active,
    Merged,
    Defunct,
}

/// A group profile; leaders and body text are generated.
struct GroupDef {
    id: &'static str,
    name: &'static str,
    short: &'static str,
    aliases: &'static [&'static str],
    founded: &'static str,
    status: Status,
    merged_into: Option<&'static str>,
    /// Last year the group appears in incidents.
    until: u32,
    area: &'static [&'static str],
    affiliations: &'static [&'static str],
    ideology: &'static str,
    /// Relative share of incidents.
    weight: u32,
}

#[allow(clippy::too_many_arguments)] // one row of the GROUPS table
const fn g(
    id: &'static str,
    name: &'static str,
    short: &'static str,
    aliases: &'static [&'static str],
    founded: &'static str,
    status: Status,
    merged_into: Option<&'static str>,
    until: u32,
    area: &'static [&'static str],
    affiliations: &'static [&'static str],
    ideology: &'static str,
    weight: u32,
) -> GroupDef {
    GroupDef {
        id,
        name,
        short,
        aliases,
        founded,
        status,
        merged_into,
        until,
        area,
        affiliations,
        ideology,
        weight,
    }
}

use Status::{Active, Defunct, Merged};

const SJ: &str = "Salafi-jihadist";
const SEP: &str = "Tuareg separatist";
const MIL: &str = "Communal self-defence militia";

#[rustfmt::skip]
const GROUPS: [GroupDef; 30] = [
    g("aqim", "Al-Qaeda in the Islamic Maghreb", "AQIM", &["Al-Qaida au Maghreb islamique", "AQMI"], "2007-01-24", Active, None, 2025, &["ML", "NE", "BF"], &["jnim"], SJ, 6),
    g("mujao", "Movement for Oneness and Jihad in West Africa", "MUJAO", &["MOJWA", "Tawhid wal Jihad"], "2011", Merged, Some("al-mourabitoun"), 2013, &["ML", "NE"], &["aqim"], SJ, 3),
    g("signed-in-blood", "Al-Muwaqqi'un bil-Dima", "Signed-in-Blood Battalion", &["Those Who Sign with Blood"], "2012-12-01", Merged, Some("al-mourabitoun"), 2013, &["ML", "NE"], &["aqim"], SJ, 2),
    g("al-mourabitoun", "Al-Mourabitoun", "Al-Mourabitoun", &["The Sentinels"], "2013-08-22", Merged, Some("jnim"), 2017, &["ML", "NE", "BF"], &["aqim"], SJ, 4),
    g("ansar-dine", "Ansar Dine", "Ansar Dine", &["Ansar al-Din", "Defenders of the Faith"], "2011-12-01", Merged, Some("jnim"), 2017, &["ML"], &["aqim"], SJ, 5),
    g("katiba-macina", "Katiba Macina", "Katiba Macina", &["Macina Liberation Front", "FLM"], "2015-01-01", Merged, Some("jnim"), 2017, &["ML"], &["ansar-dine"], SJ, 4),
    g("aqim-sahara", "AQIM Sahara Emirate", "Sahara Emirate", &["Idarat al-Sahra"], "2012", Merged, Some("jnim"), 2017, &["ML", "NE"], &["aqim"], SJ, 2),
    g("jnim", "Jama'at Nusrat al-Islam wal-Muslimin", "JNIM", &["Group for the Support of Islam and Muslims", "GSIM"], "2017-03-02", Active, None, 2025, &["ML", "BF", "NE"], &["aqim"], SJ, 30),
    g("isgs", "Islamic State in the Greater Sahara", "ISGS", &["Islamic State Sahel Province", "EIGS"], "2015-05-15", Active, None, 2025, &["ML", "NE", "BF"], &["iswap"], SJ, 20),
    g("ansarul-islam", "Ansarul Islam", "Ansarul Islam", &["Ansar ul Islam lil-Ichad wal Jihad"], "2016-12-01", Active, None, 2025, &["BF"], &["jnim"], SJ, 6),
    g("mnla", "National Movement for the Liberation of Azawad", "MNLA", &["Mouvement national de libération de l'Azawad"], "2011-10-16", Merged, Some("fla"), 2024, &["ML"], &["cma"], SEP, 4),
    g("mia", "Islamic Movement of Azawad", "MIA", &["Mouvement islamique de l'Azawad"], "2013-01-24", Merged, Some("hcua"), 2013, &["ML"], &[], "Tuareg Islamist", 1),
    g("hcua", "High Council for the Unity of Azawad", "HCUA", &["Haut conseil pour l'unité de l'Azawad"], "2013-05-02", Merged, Some("fla"), 2024, &["ML"], &["cma"], SEP, 2),
    g("cma", "Coordination of Azawad Movements", "CMA", &["Coordination des mouvements de l'Azawad"], "2014-10-28", Merged, Some("fla"), 2024, &["ML"], &["mnla", "hcua"], SEP, 3),
    g("fla", "Azawad Liberation Front", "FLA", &["Front de libération de l'Azawad"], "2024-11-30", Active, None, 2025, &["ML"], &[], SEP, 3),
    g("gatia", "Imghad Tuareg Self-Defense Group and Allies", "GATIA", &["Groupe autodéfense touareg Imghad et alliés"], "2014-08-14", Active, None, 2025, &["ML", "NE"], &["maa"], "Pro-government Tuareg militia", 3),
    g("maa", "Arab Movement of Azawad", "MAA", &["Mouvement arabe de l'Azawad"], "2012-04-01", Active, None, 2025, &["ML"], &["gatia"], "Arab communal movement", 2),
    g("msa", "Movement for the Salvation of Azawad", "MSA", &["Mouvement pour le salut de l'Azawad"], "2016-09-02", Active, None, 2025, &["ML", "NE"], &["gatia"], "Tuareg communal movement", 2),
    g("dan-na-ambassagou", "Dan Na Ambassagou", "Dan Na Ambassagou", &["Hunters Who Trust in God"], "2016-12-01", Defunct, None, 2022, &["ML"], &[], MIL, 3),
    g("koglweogo", "Koglweogo", "Koglweogo", &["Guardians of the Bush"], "2014", Active, None, 2025, &["BF"], &["vdp"], MIL, 3),
    g("vdp", "Volunteers for the Defence of the Homeland", "VDP", &["Volontaires pour la défense de la patrie"], "2020-01-21", Active, None, 2025, &["BF"], &["koglweogo"], "Pro-government auxiliary force", 5),
    g("boko-haram", "Jama'atu Ahlis Sunna Lidda'awati wal-Jihad", "JAS", &["Boko Haram"], "2002", Active, None, 2025, &["NE"], &[], SJ, 6),
    g("iswap", "Islamic State West Africa Province", "ISWAP", &["Wilayat Gharb Afriqiyah"], "2016-08-03", Active, None, 2025, &["NE"], &["isgs"], SJ, 6),
    g("ansaru", "Jama'atu Ansarul Muslimina fi Biladis Sudan", "Ansaru", &["Ansaru"], "2012-01-26", Active, None, 2025, &["NE"], &["aqim"], SJ, 1),
    g("katiba-serma", "Katiba Serma", "Katiba Serma", &["Serma Brigade"], "2012", Active, None, 2025, &["ML", "BF"], &["jnim"], SJ, 2),
    g("katiba-gourma", "Katiba Gourma", "Katiba Gourma", &["Gourma Brigade"], "2017-06-01", Active, None, 2025, &["ML", "BF"], &["jnim"], SJ, 2),
    g("katiba-hanifa", "Katiba Hanifa", "Katiba Hanifa", &["Hanifa Brigade"], "2016", Active, None, 2025, &["BF"], &["ansarul-islam", "jnim"], SJ, 2),
    g("lakurawa", "Lakurawa", "Lakurawa", &["Lakurawa fighters"], "2018", Active, None, 2025, &["NE"], &["isgs"], SJ, 2),
    g("ganda-izo", "Ganda Izo", "Ganda Izo", &["Sons of the Land"], "2009-05-01", Active, None, 2025, &["ML"], &["ganda-koy"], MIL, 1),
    g("ganda-koy", "Ganda Koy", "Ganda Koy", &["Masters of the Land"], "1994-05-01", Defunct, None, 2014, &["ML"], &[], MIL, 1),
];

fn group_index(id: &str) -> usize {
    GROUPS
        .iter()
        .position(|g| g.id == id)
        .expect("group id in table")
}

fn founded_year(g: &GroupDef) -> u32 {
    g.founded[..4].parse().expect("founded year")
}

const EVENT_TYPES: [&str; 8] = [
    "attack",
    "ambush",
    "bombing",
    "shelling",
    "kidnapping",
    "assassination",
    "massacre",
    "clash",
];
const EVENT_WEIGHTS: [u32; 8] = [30, 18, 12, 6, 8, 5, 6, 15];
const ATTRIBUTIONS: [&str; 3] = ["claimed", "suspected", "unattributed"];
const ATTRIBUTION_WEIGHTS: [u32; 3] = [35, 50, 15];

const TAGS: [&str; 20] = [
    "ied",
    "vbied",
    "suicide-attack",
    "military-base",
    "convoy",
    "civilians",
    "market",
    "place-of-worship",
    "school",
    "peacekeepers",
    "foreign-forces",
    "mercenaries",
    "militia",
    "hostage",
    "displacement",
    "cross-border",
    "drone",
    "gold-mine",
    "road",
    "checkpoint",
];

const TARGETS: [&str; 14] = [
    "army",
    "gendarmerie",
    "police",
    "national guard",
    "civilians",
    "village defence militia",
    "UN peacekeepers",
    "foreign troops",
    "local officials",
    "religious leaders",
    "traders",
    "aid workers",
    "mine workers",
    "telecom infrastructure",
];

const PUBLISHERS: [(&str, &str); 8] = [
    ("Sahel Wire", "sahel-wire.example"),
    ("West Africa Monitor", "wamonitor.example"),
    ("Bamako Daily", "bamako-daily.example"),
    ("Ouagadougou Observer", "ouaga-observer.example"),
    ("Niamey Herald", "niamey-herald.example"),
    ("Long War Briefs", "longwar-briefs.example"),
    ("Conflict Data Desk", "conflict-desk.example"),
    ("Regional Security Review", "rsr.example"),
];

const FIRST_NAMES: [&str; 24] = [
    "Abdou",
    "Ali",
    "Amadou",
    "Boubacar",
    "Hamadou",
    "Ibrahim",
    "Iyad",
    "Mahmoud",
    "Moussa",
    "Oumar",
    "Sidi",
    "Souleymane",
    "Yahya",
    "Adnan",
    "Hassan",
    "Issa",
    "Malik",
    "Mokhtar",
    "Bilal",
    "Djibrilla",
    "Fousseyni",
    "Salif",
    "Tidiane",
    "Youssouf",
];
const LAST_NAMES: [&str; 24] = [
    "ag Ghali",
    "Diallo",
    "Koufa",
    "Maiga",
    "Traoré",
    "Cissé",
    "Touré",
    "Sangaré",
    "Dicko",
    "Barry",
    "ag Intalla",
    "ould Hamaha",
    "Sow",
    "Keïta",
    "Coulibaly",
    "Ouédraogo",
    "Kaboré",
    "Issoufou",
    "Mahamadou",
    "Abdoulaye",
    "Bello",
    "Sawadogo",
    "Tamboura",
    "ag Acherif",
];
const ROLES: [&str; 6] = [
    "emir",
    "deputy emir",
    "military commander",
    "spokesperson",
    "secretary-general",
    "religious adviser",
];
const AUTHORS: [&str; 8] = [
    "Aïcha Traoré",
    "Jonas Keller",
    "Mariam Sow",
    "Pierre Laurent",
    "Fatima Bello",
    "Daniel Okafor",
    "Sophie Martin",
    "Ibrahim Kaboré",
];

// Vocabulary for filler prose.
const ADJ: [&str; 32] = [
    "armed",
    "rural",
    "northern",
    "central",
    "eastern",
    "remote",
    "local",
    "regional",
    "heavy",
    "coordinated",
    "sporadic",
    "renewed",
    "deadly",
    "unverified",
    "official",
    "competing",
    "jihadist",
    "communal",
    "fragile",
    "seasonal",
    "unexpected",
    "recent",
    "persistent",
    "military",
    "humanitarian",
    "porous",
    "contested",
    "informal",
    "sustained",
    "isolated",
    "retaliatory",
    "cross-border",
];
const NOUN: [&str; 40] = [
    "convoy",
    "patrol",
    "checkpoint",
    "village",
    "market",
    "outpost",
    "garrison",
    "road",
    "district",
    "commune",
    "pastoralists",
    "farmers",
    "militants",
    "fighters",
    "residents",
    "officials",
    "sources",
    "authorities",
    "insurgency",
    "blockade",
    "ceasefire",
    "offensive",
    "reprisals",
    "displacement",
    "livestock",
    "motorbikes",
    "tensions",
    "recruitment",
    "taxation",
    "mediation",
    "withdrawal",
    "deployment",
    "governance",
    "curfew",
    "harvest",
    "supply routes",
    "mining sites",
    "border area",
    "security forces",
    "local leaders",
];
const VERB: [&str; 24] = [
    "reported",
    "confirmed",
    "disputed",
    "described",
    "attributed",
    "linked",
    "followed",
    "preceded",
    "targeted",
    "surrounded",
    "raided",
    "blocked",
    "threatened",
    "displaced",
    "strengthened",
    "weakened",
    "exploited",
    "contested",
    "monitored",
    "documented",
    "claimed",
    "denied",
    "reinforced",
    "abandoned",
];
const PREP: [&str; 10] = [
    "near",
    "around",
    "across",
    "along",
    "outside",
    "inside",
    "beyond",
    "within",
    "towards",
    "throughout",
];
const CONNECT: [&str; 10] = [
    "Meanwhile,",
    "According to local sources,",
    "In recent months,",
    "By contrast,",
    "At the same time,",
    "Analysts noted that",
    "Residents said that",
    "Officials claimed that",
    "It remains unclear whether",
    "Observers suggest that",
];

// ---------------------------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------------------------

/// A YAML double-quoted scalar.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn yaml_list(items: &[&str]) -> String {
    let v: Vec<String> = items.iter().map(|s| q(s)).collect();
    format!("[{}]", v.join(", "))
}

/// Fixed-point 1e-4 degrees as a decimal string.
fn coord(v: i32) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    format!("{}{}.{:04}", sign, a / 10_000, a % 10_000)
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// One filler sentence built from the vocabulary; `bold` wraps a phrase in `**`.
fn filler_sentence(rng: &mut Rng, bold: bool) -> String {
    let phrase = format!("{} {}", rng.pick(&ADJ), rng.pick(&NOUN));
    let phrase = if bold {
        format!("**{phrase}**")
    } else {
        phrase
    };
    match rng.below(6) {
        0 => format!(
            "{} the {} {} {} the {} {}.",
            rng.pick(&CONNECT),
            phrase,
            rng.pick(&VERB),
            rng.pick(&PREP),
            rng.pick(&ADJ),
            rng.pick(&NOUN)
        ),
        1 => format!(
            "{} {} {} the {} {} after the {} {}.",
            capitalize(rng.pick::<&str>(&ADJ)),
            rng.pick(&NOUN),
            rng.pick(&VERB),
            phrase,
            rng.pick(&PREP),
            rng.pick(&ADJ),
            rng.pick(&NOUN)
        ),
        2 => format!(
            "The {} has been {} by {} {} and {} {} for several weeks.",
            phrase,
            rng.pick(&VERB),
            rng.pick(&ADJ),
            rng.pick(&NOUN),
            rng.pick(&ADJ),
            rng.pick(&NOUN)
        ),
        3 => format!(
            "{} {} {} remain {} {} the {} {}, which {} the {}.",
            rng.pick(&CONNECT),
            rng.pick(&ADJ),
            rng.pick(&NOUN),
            rng.pick(&ADJ),
            rng.pick(&PREP),
            phrase,
            rng.pick(&NOUN),
            rng.pick(&VERB),
            rng.pick(&NOUN)
        ),
        4 => format!(
            "Several {} {} {} {} the {} in {} days.",
            rng.pick(&ADJ),
            rng.pick(&NOUN),
            rng.pick(&VERB),
            phrase,
            rng.pick(&NOUN),
            rng.range(2, 12)
        ),
        _ => format!(
            "Reports of {} {} {} the {} could not be independently {}.",
            rng.pick(&ADJ),
            rng.pick(&NOUN),
            rng.pick(&PREP),
            phrase,
            rng.pick(&VERB)
        ),
    }
}

/// A paragraph of `n` filler sentences appended to `lead`.
fn paragraph(rng: &mut Rng, lead: &str, n: usize) -> String {
    let mut p = String::from(lead);
    for _ in 0..n {
        if !p.is_empty() {
            p.push(' ');
        }
        let bold = rng.chance(120);
        p.push_str(&filler_sentence(rng, bold));
    }
    p
}

// ---------------------------------------------------------------------------------------------
// Groups
// ---------------------------------------------------------------------------------------------

struct Leader {
    name: String,
    role: &'static str,
    from: String,
    to: Option<String>,
}

fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(&FIRST_NAMES), rng.pick(&LAST_NAMES))
}

fn group_leaders(rng: &mut Rng, gd: &GroupDef) -> Vec<Leader> {
    let start = founded_year(gd);
    let end = gd.until.max(start);
    let n = rng.range(1, 4) as usize;
    let mut leaders = Vec::with_capacity(n);
    let mut from = random_full_date_in_year(rng, start);
    if gd.founded.len() == 10 {
        from = PDate::full(
            start,
            gd.founded[5..7].parse().expect("month"),
            gd.founded[8..10].parse().expect("day"),
        );
    }
    for i in 0..n {
        let last = i + 1 == n;
        let span = end.saturating_sub(from.y) / (n - i) as u32;
        let to_year = (from.y + span.max(1)).min(end.max(from.y));
        let mut to = random_full_date_in_year(rng, to_year);
        if to <= from {
            to = from.add_days(rng.range(30, 300) as u32);
        }
        let role = if i == 0 || rng.chance(600) {
            "emir"
        } else {
            rng.pick(&ROLES)
        };
        let open = last && gd.status == Status::Active;
        let from_s = if rng.chance(200) {
            PDate { d: 0, ..from }.iso()
        } else {
            from.iso()
        };
        leaders.push(Leader {
            name: person(rng),
            role,
            from: from_s,
            to: if open { None } else { Some(to.iso()) },
        });
        from = to;
    }
    leaders
}

fn group_body(rng: &mut Rng, gd: &GroupDef) -> String {
    let target = rng.range(150, 300) as usize;
    let mut paras = vec![paragraph(
        rng,
        &format!(
            "**{}** ({}) is a synthetic profile of a {} group first reported in {}.",
            gd.name,
            gd.short,
            gd.ideology.to_lowercase(),
            &gd.founded[..4]
        ),
        2,
    )];
    if let Some(t) = gd.merged_into {
        let tg = &GROUPS[group_index(t)];
        paras.push(format!(
            "In {} the group merged into {}; see [its profile](@group/{}).",
            gd.until, tg.name, tg.id
        ));
    }
    let mut words: usize = paras.iter().map(|p| word_count(p)).sum();
    while words < target {
        let n = rng.range(2, 4) as usize;
        let p = paragraph(rng, "", n);
        words += word_count(&p);
        paras.push(p);
    }
    paras.join("\n\n")
}

struct GroupData {
    leaders: Vec<Leader>,
    body: String,
    merged_from: Vec<&'static str>,
}

fn make_groups(seed: u64) -> Vec<GroupData> {
    GROUPS
        .iter()
        .enumerate()
        .map(|(i, gd)| {
            let mut rng = Rng::stream(seed, 1, i as u64);
            let merged_from = GROUPS
                .iter()
                .filter(|o| o.merged_into == Some(gd.id))
                .map(|o| o.id)
                .collect();
            GroupData {
                leaders: group_leaders(&mut rng, gd),
                body: group_body(&mut rng, gd),
                merged_from,
            }
        })
        .collect()
}

/// The group's fields, shared by briefwerk's top level and Hugo's `params`.
fn group_fields(gd: &GroupDef, data: &GroupData, indent: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{indent}short_name: {}", q(gd.short));
    let _ = writeln!(s, "{indent}aliases: {}", yaml_list(gd.aliases));
    let _ = writeln!(s, "{indent}founded: {}", q(gd.founded));
    let status = match gd.status {
        Status::Active => "active",
        Status::Merged => "merged",
        Status::Defunct => "defunct",
    };
    let _ = writeln!(s, "{indent}status: {status}");
    if !gd.affiliations.is_empty() {
        let _ = writeln!(s, "{indent}affiliations: {}", yaml_list(gd.affiliations));
    }
    if let Some(t) = gd.merged_into {
        let _ = writeln!(s, "{indent}merged_into: {t}");
    }
    if !data.merged_from.is_empty() {
        let _ = writeln!(s, "{indent}merged_from: {}", yaml_list(&data.merged_from));
    }
    let _ = writeln!(s, "{indent}leaders:");
    for l in &data.leaders {
        let _ = writeln!(s, "{indent}  - name: {}", q(&l.name));
        let _ = writeln!(s, "{indent}    role: {}", q(l.role));
        let _ = writeln!(s, "{indent}    from: {}", q(&l.from));
        if let Some(to) = &l.to {
            let _ = writeln!(s, "{indent}    to: {}", q(to));
        }
    }
    let _ = writeln!(s, "{indent}area: {}", yaml_list(gd.area));
    let _ = writeln!(s, "{indent}ideology: {}", q(gd.ideology));
    s
}

// ---------------------------------------------------------------------------------------------
// Incidents
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy)]
enum Count {
    Exact(u32),
    Range(u32, u32),
}

impl Count {
    fn yaml(self) -> String {
        match self {
            Count::Exact(n) => n.to_string(),
            Count::Range(a, b) => format!("{{min: {a}, max: {b}}}"),
        }
    }
    fn human(self) -> String {
        match self {
            Count::Exact(n) => n.to_string(),
            Count::Range(a, b) => format!("between {a} and {b}"),
        }
    }
}

struct Source {
    title: String,
    url: String,
    publisher: &'static str,
    date: String,
}

struct Incident {
    id: String,
    title: String,
    date: PDate,
    end_date: Option<PDate>,
    country: &'static Country,
    place: &'static Place,
    latlon: Option<(i32, i32)>,
    groups: Vec<usize>,
    attribution: &'static str,
    event_type: &'static str,
    targets: Vec<&'static str>,
    killed: Count,
    wounded: Count,
    captured: Count,
    tags: Vec<&'static str>,
    summary: String,
    sources: Vec<Source>,
    body: String,
}

/// Relative incident intensity per year, 2012..=2025.
const YEAR_WEIGHTS: [u32; 14] = [3, 3, 2, 3, 4, 6, 8, 10, 11, 12, 13, 12, 11, 9];
const FIRST_YEAR: u32 = 2012;

fn casualty(rng: &mut Rng, scale: u32) -> Count {
    let r = rng.below(100);
    let n = if r < 40 {
        rng.range(0, 3)
    } else if r < 75 {
        rng.range(3, 15)
    } else if r < 95 {
        rng.range(15, 50)
    } else {
        rng.range(50, 200)
    } as u32
        / scale;
    if rng.chance(100) {
        let hi = n + rng.range(1, i64::from(n / 2 + 3)) as u32;
        Count::Range(n, hi)
    } else {
        Count::Exact(n)
    }
}

fn event_title(rng: &mut Rng, event: &str, target: &str, place: &str) -> String {
    match event {
        "attack" => format!("Attack on {target} near {place}"),
        "ambush" => format!("Ambush on {target} convoy near {place}"),
        "bombing" => format!(
            "{} bombing targets {target} in {place}",
            if rng.chance(300) { "Suicide" } else { "IED" }
        ),
        "shelling" => format!("Mortar fire hits {place}"),
        "kidnapping" => format!("Kidnapping of {target} near {place}"),
        "assassination" => format!("Killing of {target} figure in {place}"),
        "massacre" => format!("Massacre of civilians near {place}"),
        _ => format!("Clashes with {target} around {place}"),
    }
}

fn event_verb(event: &str) -> &'static str {
    match event {
        "attack" => "attacked",
        "ambush" => "ambushed",
        "bombing" => "bombed",
        "shelling" => "shelled",
        "kidnapping" => "abducted",
        "assassination" => "assassinated",
        "massacre" => "killed",
        _ => "clashed with",
    }
}

fn make_incident(seed: u64, i: usize, width: usize) -> Incident {
    let mut rng = Rng::stream(seed, 2, i as u64);
    let year = FIRST_YEAR + rng.weighted(&YEAR_WEIGHTS) as u32;
    let full = random_full_date_in_year(&mut rng, year);
    let r = rng.below(100);
    let date = if r < 3 {
        PDate { m: 0, d: 0, ..full }
    } else if r < 13 {
        PDate { d: 0, ..full }
    } else {
        full
    };
    let end_date = if date.d != 0 && rng.chance(60) {
        Some(date.add_days(rng.range(1, 4) as u32))
    } else {
        None
    };
    let ci = rng.weighted(&[50, 30, 20]);
    let country = &COUNTRIES[ci];
    let place = rng.pick(country.places);
    let latlon = if rng.chance(50) {
        None
    } else {
        Some((
            place.3 + rng.range(-500, 500) as i32,
            place.4 + rng.range(-500, 500) as i32,
        ))
    };

    // Groups active that year in that country (fallback: active anywhere).
    // Active on the incident's date, compared at the coarser precision of the two (as
    // `check` does), so that no record is dated before its group was founded.
    let active = |g: &GroupDef| {
        let fy = founded_year(g);
        let started = fy < year
            || (fy == year && {
                let fm: u32 = g.founded.get(5..7).map_or(0, |m| m.parse().expect("month"));
                let fd: u32 = g.founded.get(8..10).map_or(0, |d| d.parse().expect("day"));
                date.m == 0
                    || fm == 0
                    || fm < date.m
                    || (fm == date.m && (date.d == 0 || fd == 0 || fd <= date.d))
            });
        started && g.until >= year
    };
    let mut pool: Vec<usize> = (0..GROUPS.len())
        .filter(|&k| active(&GROUPS[k]) && GROUPS[k].area.contains(&country.code))
        .collect();
    if pool.is_empty() {
        pool = (0..GROUPS.len()).filter(|&k| active(&GROUPS[k])).collect();
    }
    let weights: Vec<u32> = pool.iter().map(|&k| GROUPS[k].weight).collect();
    let mut groups = vec![pool[rng.weighted(&weights)]];
    if pool.len() > 1 && rng.chance(200) {
        loop {
            let k = pool[rng.weighted(&weights)];
            if k != groups[0] {
                groups.push(k);
                break;
            }
        }
    }
    let attribution = ATTRIBUTIONS[rng.weighted(&ATTRIBUTION_WEIGHTS)];
    let event_type = EVENT_TYPES[rng.weighted(&EVENT_WEIGHTS)];
    let nt = rng.range(1, 3) as usize;
    let targets: Vec<&str> = rng
        .distinct(TARGETS.len(), nt)
        .into_iter()
        .map(|k| TARGETS[k])
        .collect();
    let killed = casualty(&mut rng, 1);
    let wounded = casualty(&mut rng, 1);
    let captured = if event_type == "kidnapping" {
        casualty(&mut rng, 2)
    } else {
        Count::Exact(if rng.chance(150) {
            rng.range(1, 8) as u32
        } else {
            0
        })
    };
    let ntags = rng.range(2, 5) as usize;
    let mut tag_idx = rng.distinct(TAGS.len(), ntags);
    tag_idx.sort_unstable();
    let tags: Vec<&str> = tag_idx.into_iter().map(|k| TAGS[k]).collect();

    let id = format!("{}-{}-{:0width$}", date.iso(), place.1, i + 1);
    let target0 = targets[0];
    let title = event_title(&mut rng, event_type, target0, place.0);
    let g0 = &GROUPS[groups[0]];
    let who = match attribution {
        "claimed" => format!("{} claimed that its fighters", g0.short),
        "suspected" => format!("Suspected {} fighters", g0.short),
        _ => "Unidentified gunmen".to_string(),
    };
    let summary = format!(
        "{} {} {} near {}, {}, {}; {} killed and {} wounded were reported.",
        who,
        event_verb(event_type),
        target0,
        place.0,
        place.2,
        country.name,
        killed.human(),
        wounded.human()
    );

    let nsrc = rng.range(1, 3) as usize;
    let mut sources = Vec::with_capacity(nsrc);
    for (k, pi) in rng.distinct(PUBLISHERS.len(), nsrc).into_iter().enumerate() {
        let (publisher, domain) = PUBLISHERS[pi];
        let base = if date.d == 0 {
            let m = if date.m == 0 {
                rng.range(1, 12) as u32
            } else {
                date.m
            };
            PDate::full(
                date.y,
                m,
                rng.range(1, i64::from(days_in_month(date.y, m))) as u32,
            )
        } else {
            date.add_days(rng.range(0, 3) as u32)
        };
        sources.push(Source {
            title: format!(
                "{} {} in {}: {} reports",
                capitalize(event_type),
                if k == 0 { "reported" } else { "update" },
                place.0,
                country.demonym
            ),
            url: format!(
                "https://{}/{}/{:02}/{}-{}",
                domain,
                base.y,
                base.m,
                event_type,
                mix64(seed ^ ((i as u64) << 8) ^ k as u64) % 1_000_000
            ),
            publisher,
            date: base.iso(),
        });
    }

    // Body: ~250 words, paragraphs, bold, a list, sometimes an @group link.
    let mut body = String::new();
    let lead = format!(
        "{}, {} {} {} near **{}** in the {} region of {}.",
        capitalize(&date.on()),
        if attribution == "unattributed" {
            "unidentified gunmen".to_string()
        } else {
            format!("fighters of {}", g0.name)
        },
        event_verb(event_type),
        target0,
        place.0,
        place.2,
        country.name
    );
    body.push_str(&paragraph(&mut rng, &lead, 3));
    body.push_str("\n\n");
    let cas = format!(
        "Local sources reported {} killed, {} wounded and {} captured. The {} said it had reinforced positions in the area.",
        killed.human(),
        wounded.human(),
        captured.human(),
        country.army
    );
    body.push_str(&paragraph(&mut rng, &cas, 2));
    body.push_str("\n\nKey points:\n\n");
    let _ = writeln!(
        body,
        "- Location: {}, {} ({})",
        place.0, place.2, country.name
    );
    let _ = writeln!(body, "- Attribution: {attribution} ({})", g0.short);
    let _ = writeln!(body, "- Targets: {}", targets.join(", "));
    let _ = writeln!(body, "- First reported by {}", sources[0].publisher);
    body.push('\n');
    let link = if rng.chance(250) {
        let gl = &GROUPS[*rng.pick(&groups)];
        format!(
            "For the background of {} [see the group](@group/{}).",
            gl.short, gl.id
        )
    } else {
        String::new()
    };
    let mut words = word_count(&body);
    let mut last = paragraph(&mut rng, &link, 2);
    words += word_count(&last);
    while words < 240 {
        let s = filler_sentence(&mut rng, false);
        words += word_count(&s);
        last.push(' ');
        last.push_str(&s);
    }
    body.push_str(&last);
    body.push('\n');

    Incident {
        id,
        title,
        date,
        end_date,
        country,
        place,
        latlon,
        groups,
        attribution,
        event_type,
        targets,
        killed,
        wounded,
        captured,
        tags,
        summary,
        sources,
        body,
    }
}

/// Incident fields common to both formats (everything but title/date/groups/tags/summary).
fn incident_detail_fields(inc: &Incident, indent: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{indent}location:");
    let _ = writeln!(s, "{indent}  place: {}", q(inc.place.0));
    let _ = writeln!(s, "{indent}  admin1: {}", q(inc.place.2));
    let _ = writeln!(s, "{indent}  country: {}", inc.country.code);
    if let Some((lat, lon)) = inc.latlon {
        let _ = writeln!(s, "{indent}  lat: {}", coord(lat));
        let _ = writeln!(s, "{indent}  lon: {}", coord(lon));
    }
    let _ = writeln!(s, "{indent}attribution: {}", inc.attribution);
    let _ = writeln!(s, "{indent}event_type: {}", inc.event_type);
    let _ = writeln!(s, "{indent}targets: {}", yaml_list(&inc.targets));
    let _ = writeln!(s, "{indent}casualties:");
    let _ = writeln!(s, "{indent}  killed: {}", inc.killed.yaml());
    let _ = writeln!(s, "{indent}  wounded: {}", inc.wounded.yaml());
    let _ = writeln!(s, "{indent}  captured: {}", inc.captured.yaml());
    let _ = writeln!(s, "{indent}sources:");
    for src in &inc.sources {
        let _ = writeln!(s, "{indent}  - title: {}", q(&src.title));
        let _ = writeln!(s, "{indent}    url: {}", q(&src.url));
        let _ = writeln!(s, "{indent}    publisher: {}", q(src.publisher));
        let _ = writeln!(s, "{indent}    date: {}", q(&src.date));
    }
    s
}

fn group_ids(inc: &Incident) -> Vec<&'static str> {
    inc.groups.iter().map(|&k| GROUPS[k].id).collect()
}

fn incident_briefwerk(inc: &Incident) -> String {
    let mut s = String::with_capacity(4096);
    s.push_str("---\n");
    let _ = writeln!(s, "title: {}", q(&inc.title));
    let _ = writeln!(s, "date: {}", q(&inc.date.iso()));
    if let Some(e) = inc.end_date {
        let _ = writeln!(s, "end_date: {}", q(&e.iso()));
    }
    s.push_str(&incident_detail_fields(inc, ""));
    let _ = writeln!(s, "groups: {}", yaml_list(&group_ids(inc)));
    let _ = writeln!(s, "tags: {}", yaml_list(&inc.tags));
    let _ = writeln!(s, "summary: {}", q(&inc.summary));
    s.push_str("---\n\n");
    s.push_str(&inc.body);
    s
}

fn incident_hugo(inc: &Incident) -> String {
    let mut s = String::with_capacity(4096);
    s.push_str("---\n");
    let _ = writeln!(s, "title: {}", q(&inc.title));
    let _ = writeln!(s, "date: {}", inc.date.floor().iso());
    let _ = writeln!(s, "summary: {}", q(&inc.summary));
    let _ = writeln!(s, "groups: {}", yaml_list(&group_ids(inc)));
    let _ = writeln!(s, "countries: [{}]", q(inc.country.code));
    let _ = writeln!(s, "tags: {}", yaml_list(&inc.tags));
    let _ = writeln!(s, "chronology: [{}]", q(&inc.date.y.to_string()));
    s.push_str("params:\n");
    let _ = writeln!(s, "  date_text: {}", q(&inc.date.iso()));
    let _ = writeln!(s, "  date_precision: {}", inc.date.precision());
    if let Some(e) = inc.end_date {
        let _ = writeln!(s, "  end_date: {}", q(&e.iso()));
    }
    s.push_str(&incident_detail_fields(inc, "  "));
    s.push_str("---\n\n");
    s.push_str(&inc.body);
    s
}

// ---------------------------------------------------------------------------------------------
// Briefings
// ---------------------------------------------------------------------------------------------

/// What a briefing needs to know about an incident.
struct IncidentRef {
    id: String,
    date: PDate,
    place: &'static str,
    country: usize,
    groups: Vec<usize>,
    tags: Vec<&'static str>,
}

struct Briefing {
    id: String,
    title: String,
    date: PDate,
    authors: Vec<&'static str>,
    summary: String,
    groups: Vec<&'static str>,
    incidents: Vec<String>,
    tags: Vec<&'static str>,
    body: String,
}

fn make_briefing(seed: u64, b: usize, refs: &[IncidentRef]) -> Briefing {
    let mut rng = Rng::stream(seed, 3, b as u64);
    // Focus on the incidents of one group in one year-ish window.
    let anchor = &refs[rng.below(refs.len())];
    let focus_group = anchor.groups[0];
    let country = &COUNTRIES[anchor.country];
    let mut chosen: Vec<usize> = Vec::new();
    let want = rng.range(5, 12) as usize;
    let mut tries = 0;
    while chosen.len() < want && tries < 4000 {
        tries += 1;
        let k = rng.below(refs.len());
        let r = &refs[k];
        let related = r.groups.contains(&focus_group) || r.country == anchor.country;
        if (related || tries > 2000) && !chosen.contains(&k) {
            chosen.push(k);
        }
    }
    chosen.sort_by(|&a, &b| refs[a].date.cmp(&refs[b].date).then(a.cmp(&b)));
    let latest = chosen
        .iter()
        .map(|&k| refs[k].date.floor())
        .max()
        .unwrap_or(anchor.date.floor());
    let date = latest
        .add_days(rng.range(3, 40) as u32)
        .min(PDate::full(2025, 12, 31));
    let gd = &GROUPS[focus_group];
    let id = format!(
        "{}-{}-{}-{:04}",
        date.iso(),
        gd.id,
        country.code.to_lowercase(),
        b + 1
    );
    let title = format!(
        "{} in {}: {} {}",
        gd.short,
        country.name,
        rng.pick(&[
            "the pattern behind",
            "what changed in",
            "reading",
            "notes on",
            "a closer look at"
        ]),
        rng.pick(&[
            "recent attacks",
            "the latest offensive",
            "rural violence",
            "the road war",
            "the border zone"
        ])
    );
    let na = rng.range(1, 2) as usize;
    let authors: Vec<&str> = rng
        .distinct(AUTHORS.len(), na)
        .into_iter()
        .map(|k| AUTHORS[k])
        .collect();
    let mut groups: Vec<&'static str> = vec![gd.id];
    for &k in &chosen {
        for &gk in &refs[k].groups {
            if !groups.contains(&GROUPS[gk].id) && groups.len() < 4 {
                groups.push(GROUPS[gk].id);
            }
        }
    }
    let mut tags: Vec<&'static str> = Vec::new();
    for &k in &chosen {
        for &t in &refs[k].tags {
            if !tags.contains(&t) && tags.len() < 6 {
                tags.push(t);
            }
        }
    }
    tags.sort_unstable();
    let incidents: Vec<String> = chosen.iter().map(|&k| refs[k].id.clone()).collect();
    let summary = format!(
        "A synthetic analysis of {} incidents linked to {} in {} up to {}.",
        incidents.len(),
        gd.short,
        country.name,
        latest.human()
    );

    // ~500 words with @incident links.
    let mut paras: Vec<String> = Vec::new();
    paras.push(paragraph(
        &mut rng,
        &format!(
            "This briefing reviews **{}** activity in {} between {} and {}.",
            gd.name,
            country.name,
            refs[chosen[0]].date.human(),
            latest.human()
        ),
        3,
    ));
    for chunk in chosen.chunks(3) {
        let mut lead = String::new();
        for &k in chunk {
            let r = &refs[k];
            let _ = write!(
                lead,
                "{}, [the {} incident](@incident/{}) {} the {} {}. ",
                capitalize(&r.date.on()),
                r.place,
                r.id,
                rng.pick(&VERB),
                rng.pick(&ADJ),
                rng.pick(&NOUN)
            );
        }
        let lead = lead.trim_end().to_string();
        paras.push(paragraph(&mut rng, &lead, 2));
    }
    let mut list = String::from("## Incidents covered\n\n");
    for &k in &chosen {
        let r = &refs[k];
        let _ = writeln!(
            list,
            "- [{} ({})](@incident/{})",
            r.place,
            r.date.iso(),
            r.id
        );
    }
    paras.push(list.trim_end().to_string());
    paras.push(String::from("## Outlook"));
    let mut words: usize = paras.iter().map(|p| word_count(p)).sum();
    while words < 500 {
        let n = rng.range(3, 5) as usize;
        let p = paragraph(&mut rng, "", n);
        words += word_count(&p);
        paras.push(p);
    }
    let mut body = paras.join("\n\n");
    body.push('\n');
    Briefing {
        id,
        title,
        date,
        authors,
        summary,
        groups,
        incidents,
        tags,
        body,
    }
}

fn briefing_file(b: &Briefing, hugo: bool) -> String {
    let mut s = String::with_capacity(4096);
    s.push_str("---\n");
    let _ = writeln!(s, "title: {}", q(&b.title));
    if hugo {
        let _ = writeln!(s, "date: {}", b.date.iso());
        let _ = writeln!(s, "summary: {}", q(&b.summary));
        let _ = writeln!(s, "groups: {}", yaml_list(&b.groups));
        let _ = writeln!(s, "tags: {}", yaml_list(&b.tags));
        s.push_str("params:\n");
        let _ = writeln!(s, "  authors: {}", yaml_list(&b.authors));
        let ids: Vec<&str> = b.incidents.iter().map(String::as_str).collect();
        let _ = writeln!(s, "  incidents: {}", yaml_list(&ids));
    } else {
        let _ = writeln!(s, "date: {}", q(&b.date.iso()));
        let _ = writeln!(s, "authors: {}", yaml_list(&b.authors));
        let _ = writeln!(s, "summary: {}", q(&b.summary));
        let _ = writeln!(s, "groups: {}", yaml_list(&b.groups));
        s.push_str("incidents:\n");
        for id in &b.incidents {
            let _ = writeln!(s, "  - {id}");
        }
        let _ = writeln!(s, "tags: {}", yaml_list(&b.tags));
    }
    s.push_str("---\n\n");
    s.push_str(&b.body);
    s
}

// ---------------------------------------------------------------------------------------------
// Site-level files
// ---------------------------------------------------------------------------------------------

const SITE_TITLE: &str = "Sahel Incident Monitor (benchmark)";
const SITE_DESCRIPTION: &str =
    "Synthetic briefings and incident records used to benchmark briefwerk. Not real data.";
const SITE_AUTHOR: &str = "briefwerk benchmark generator";
const BASE_URL: &str = "https://example.org/bench/";

fn site_yaml() -> String {
    format!(
        "title: {}\ndescription: {}\nbase_url: {}\nlanguage: en\nauthor: {}\npaginate_by: 50\n",
        q(SITE_TITLE),
        q(SITE_DESCRIPTION),
        q(BASE_URL),
        q(SITE_AUTHOR)
    )
}

fn hugo_config() -> String {
    format!(
        "baseURL: {}\nlanguageCode: en\ntitle: {}\n\
         disableKinds: [rss, sitemap, robotstxt]\n\
         enableRobotsTXT: false\n\
         disableAliases: true\n\
         taxonomies:\n  group: groups\n  country: countries\n  tag: tags\n  year: chronology\n\
         pagination:\n  pagerSize: 50\n\
         params:\n  description: {}\n  author: {}\n  countries:\n    ml: \"Mali\"\n    bf: \"Burkina Faso\"\n    ne: \"Niger\"\n",
        q(BASE_URL),
        q(SITE_TITLE),
        q(SITE_DESCRIPTION),
        q(SITE_AUTHOR)
    )
}

fn about_body(seed: u64) -> String {
    let mut rng = Rng::stream(seed, 4, 0);
    let mut s = String::from(
        "This site is a **synthetic** corpus generated for benchmarking. All incidents, \
         people, sources and figures are invented.\n\n",
    );
    for _ in 0..3 {
        s.push_str(&paragraph(&mut rng, "", 4));
        s.push_str("\n\n");
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

fn write(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}

fn ensure_empty(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        let mut entries =
            fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        if entries.next().is_some() {
            return Err(format!(
                "{} exists and is not empty; pick a new directory (never regenerate in place)",
                dir.display()
            ));
        }
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    let mut entries: Vec<_> = fs::read_dir(from)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if e.file_type()?.is_dir() {
            copy_tree(&src, &dst)?;
        } else {
            fs::copy(&src, &dst)?;
        }
    }
    Ok(())
}

struct Args {
    incidents: usize,
    seed: u64,
    out: PathBuf,
    hugo: Option<PathBuf>,
    hugo_layouts: PathBuf,
}

const USAGE: &str = "usage: gen_corpus --incidents N --seed S --out DIR [--hugo DIR2] \
                     [--hugo-layouts DIR (default scripts/bench/hugo-layouts)]";

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let (mut incidents, mut seed, mut out, mut hugo) = (None, None, None, None);
    let mut hugo_layouts = PathBuf::from("scripts/bench/hugo-layouts");
    while let Some(a) = it.next() {
        let mut val = || {
            it.next()
                .ok_or_else(|| format!("{a} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--incidents" => {
                incidents = Some(
                    val()?
                        .parse::<usize>()
                        .map_err(|e| format!("--incidents: {e}"))?,
                )
            }
            "--seed" => seed = Some(val()?.parse::<u64>().map_err(|e| format!("--seed: {e}"))?),
            "--out" => out = Some(PathBuf::from(val()?)),
            "--hugo" => hugo = Some(PathBuf::from(val()?)),
            "--hugo-layouts" => hugo_layouts = PathBuf::from(val()?),
            "-h" | "--help" => return Err(USAGE.to_string()),
            _ => return Err(format!("unknown argument {a}\n{USAGE}")),
        }
    }
    let incidents = incidents.ok_or_else(|| format!("--incidents is required\n{USAGE}"))?;
    if incidents == 0 {
        return Err("--incidents must be at least 1".into());
    }
    Ok(Args {
        incidents,
        seed: seed.ok_or_else(|| format!("--seed is required\n{USAGE}"))?,
        out: out.ok_or_else(|| format!("--out is required\n{USAGE}"))?,
        hugo,
        hugo_layouts,
    })
}

fn run(args: &Args) -> Result<(), String> {
    let err = |e: io::Error| e.to_string();
    ensure_empty(&args.out)?;
    if let Some(h) = &args.hugo {
        ensure_empty(h)?;
        if !args.hugo_layouts.is_dir() {
            return Err(format!(
                "Hugo layouts not found at {} (run from the repository root or pass --hugo-layouts)",
                args.hugo_layouts.display()
            ));
        }
    }
    let out = &args.out;
    let hugo = args.hugo.as_deref();
    let seed = args.seed;

    write(&out.join("site.yaml"), &site_yaml()).map_err(err)?;
    let about_title = "About this corpus";
    let about = about_body(seed);
    write(
        &out.join("content/pages/about.md"),
        &format!("---\ntitle: {}\n---\n\n{}", q(about_title), about),
    )
    .map_err(err)?;

    let groups = make_groups(seed);
    for (gd, data) in GROUPS.iter().zip(&groups) {
        let fields = group_fields(gd, data, "");
        write(
            &out.join(format!("content/groups/{}.md", gd.id)),
            &format!(
                "---\nname: {}\n{}---\n\n{}\n",
                q(gd.name),
                fields,
                data.body
            ),
        )
        .map_err(err)?;
        if let Some(h) = hugo {
            let fields = group_fields(gd, data, "  ");
            write(
                &h.join(format!("content/groups/{}/_index.md", gd.id)),
                &format!(
                    "---\ntitle: {}\nparams:\n  name: {}\n{}---\n\n{}\n",
                    q(gd.name),
                    q(gd.name),
                    fields,
                    data.body
                ),
            )
            .map_err(err)?;
        }
    }

    let width = args.incidents.to_string().len().max(5);
    let mut refs = Vec::with_capacity(args.incidents);
    let (mut in_bytes, mut hugo_bytes) = (0usize, 0usize);
    for i in 0..args.incidents {
        let inc = make_incident(seed, i, width);
        let text = incident_briefwerk(&inc);
        in_bytes += text.len();
        write(
            &out.join(format!("content/incidents/{}/{}.md", inc.date.y, inc.id)),
            &text,
        )
        .map_err(err)?;
        if let Some(h) = hugo {
            let text = incident_hugo(&inc);
            hugo_bytes += text.len();
            write(&h.join(format!("content/incidents/{}.md", inc.id)), &text).map_err(err)?;
        }
        refs.push(IncidentRef {
            id: inc.id,
            date: inc.date,
            place: inc.place.0,
            country: COUNTRIES
                .iter()
                .position(|c| c.code == inc.country.code)
                .unwrap_or(0),
            groups: inc.groups,
            tags: inc.tags,
        });
    }

    let nbrief = (args.incidents / 200).max(2);
    for b in 0..nbrief {
        let br = make_briefing(seed, b, &refs);
        write(
            &out.join(format!("content/briefings/{}.md", br.id)),
            &briefing_file(&br, false),
        )
        .map_err(err)?;
        if let Some(h) = hugo {
            write(
                &h.join(format!("content/briefings/{}.md", br.id)),
                &briefing_file(&br, true),
            )
            .map_err(err)?;
        }
    }

    if let Some(h) = hugo {
        write(&h.join("hugo.yaml"), &hugo_config()).map_err(err)?;
        write(
            &h.join("content/_index.md"),
            &format!("---\ntitle: {}\n---\n", q(SITE_TITLE)),
        )
        .map_err(err)?;
        write(
            &h.join("content/incidents/_index.md"),
            "---\ntitle: \"Incidents\"\n---\n",
        )
        .map_err(err)?;
        write(
            &h.join("content/briefings/_index.md"),
            "---\ntitle: \"Briefings\"\n---\n",
        )
        .map_err(err)?;
        write(
            &h.join("content/pages/about.md"),
            &format!(
                "---\ntitle: {}\nurl: /about/\n---\n\n{}",
                q(about_title),
                about
            ),
        )
        .map_err(err)?;
        write(
            &h.join("content/pages/_index.md"),
            "---\ntitle: \"Pages\"\nbuild:\n  render: never\n  list: never\n---\n",
        )
        .map_err(err)?;
        for c in &COUNTRIES {
            write(
                &h.join(format!(
                    "content/countries/{}/_index.md",
                    c.code.to_lowercase()
                )),
                &format!("---\ntitle: {}\n---\n", q(c.name)),
            )
            .map_err(err)?;
        }
        copy_tree(&args.hugo_layouts, &h.join("layouts")).map_err(err)?;
    }

    println!(
        "gen_corpus: {} incidents, {} groups, {} briefings, seed {} -> {} ({} MiB of incident files){}",
        args.incidents,
        GROUPS.len(),
        nbrief,
        seed,
        out.display(),
        in_bytes >> 20,
        match hugo {
            Some(h) => format!("; hugo site -> {} ({} MiB)", h.display(), hugo_bytes >> 20),
            None => String::new(),
        }
    );
    Ok(())
}

fn main() -> ExitCode {
    match parse_args().and_then(|a| run(&a)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::from(2)
        }
    }
}
