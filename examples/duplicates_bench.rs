//! Times the `possible-duplicate` search (`briefwerk::validate::duplicates::pairs`) on N
//! incidents made in memory with the spread of `examples/gen_corpus.rs` (three countries,
//! towns in a few regions, 2012–2025, 3 % year and 10 % month precision, multi-day events,
//! half with coordinates), so that its growth can be checked at a million incidents without
//! writing a million files. Prints the median of the runs.
//!
//! usage: cargo run --release --example duplicates_bench -- [N] [RUNS]
//! (scripts/bench-duplicates.sh runs it at 10k, 100k and 1M.)

use std::time::Instant;

use briefwerk::content::{Incident, Location, Origin, PartialDate, PlacePrecision};

/// A small deterministic generator (xorshift), so that every run sees the same incidents.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A town: (first-level region, latitude, longitude).
type Town = (&'static str, f64, f64);

/// (country, towns).
const PLACES: [(&str, &[Town]); 3] = [
    (
        "ML",
        &[
            ("Bamako", 12.64, -8.0),
            ("Mopti", 14.48, -4.18),
            ("Ségou", 13.43, -6.22),
            ("Tombouctou", 16.77, -3.0),
            ("Gao", 16.27, -0.04),
            ("Kidal", 18.44, 1.41),
            ("Ménaka", 15.92, 2.4),
            ("Ségou", 15.28, -5.55),
            ("Mopti", 15.07, -1.95),
            ("Mopti", 13.91, -4.55),
            ("Kidal", 20.2, 0.99),
            ("Gao", 15.66, 0.5),
            ("Koulikoro", 12.74, -8.07),
            ("Sikasso", 11.32, -5.67),
        ],
    ),
    (
        "BF",
        &[
            ("Centre", 12.37, -1.52),
            ("Sahel", 14.1, -1.63),
            ("Sahel", 14.04, -0.03),
            ("Nord", 13.58, -2.42),
            ("Est", 12.06, 0.36),
            ("Boucle du Mouhoun", 12.46, -3.46),
        ],
    ),
    (
        "NE",
        &[
            ("Niamey", 13.51, 2.11),
            ("Tillabéri", 14.21, 1.45),
            ("Tillabéri", 14.9, 0.9),
            ("Diffa", 13.32, 12.61),
            ("Tahoua", 14.89, 5.27),
        ],
    ),
];

fn make(n: usize) -> Vec<Incident> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out: Vec<Incident> = (0..n)
        .map(|i| {
            let (country, places) = PLACES[[0, 0, 0, 0, 0, 1, 1, 1, 2, 2][rng.below(10) as usize]];
            let (admin1, lat, lon) = places[rng.below(places.len() as u64) as usize];
            let year = 2012 + rng.below(14) as i32;
            let month = 1 + rng.below(12) as u32;
            let day = 1 + rng.below(28) as u32;
            let p = rng.below(100);
            let text = if p < 3 {
                format!("{year}")
            } else if p < 13 {
                format!("{year}-{month:02}")
            } else {
                format!("{year}-{month:02}-{day:02}")
            };
            let date = PartialDate::parse(&text).unwrap();
            let end_date = (p >= 13 && rng.below(100) < 60).then(|| {
                let d = date.first_day() + chrono::Duration::days(1 + rng.below(3) as i64);
                PartialDate::parse(&d.format("%Y-%m-%d").to_string()).unwrap()
            });
            let coords = (rng.below(2) == 0).then(|| {
                let j = |r: &mut Rng| (r.below(1000) as f64 - 500.0) / 10_000.0;
                (lat + j(&mut rng), lon + j(&mut rng))
            });
            // Eight groups per country, the first ones far more active.
            let g = |r: &mut Rng| format!("{}-g{}", country, r.below(8).min(r.below(8)));
            let mut groups = vec![g(&mut rng)];
            if rng.below(200) == 0 {
                groups.push(g(&mut rng));
            }
            Incident {
                id: format!("{text}-{i:07}"),
                title: String::new(),
                date,
                end_date,
                location: Location {
                    place: None,
                    admin1: Some(admin1.to_string()),
                    admin2: None,
                    country: country.to_string(),
                    coords,
                    precision: PlacePrecision::Exact,
                },
                groups,
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
        })
        .collect();
    out.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let incidents = make(n);
    let mut times = Vec::new();
    let mut found = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        found = briefwerk::validate::duplicates::pairs(&incidents);
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let warned = briefwerk::validate::duplicates::by_record(&incidents, &found);
    let median = times[times.len() / 2];
    // The bench's one line of output, read by scripts/bench-duplicates.sh.
    #[allow(clippy::print_stdout)]
    {
        println!(
            "n={n} runs={runs} median={median:.3}s pairs={} warned_records={}",
            found.len(),
            warned.len()
        );
    }
}
