//! What the fuzz target runs, shared by the libFuzzer build and the stable mutation loop.
//!
//! An input is one byte choosing the kind of file (incident, incident list, group, briefing,
//! page) followed by the file's bytes, which go through the loader's UTF-8 step, the
//! front-matter split, the YAML record parser and validation as one file of a site.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use briefwerk::load::{self, Kind, SourceFile, Sources};

const KINDS: [(Kind, &str); 5] = [
    (Kind::Incident, "content/incidents/x.md"),
    (Kind::IncidentList, "content/incidents/x.yaml"),
    (Kind::Group, "content/groups/x.md"),
    (Kind::Briefing, "content/briefings/x.md"),
    (Kind::Page, "content/pages/x.md"),
];

/// The kind byte for a file name (for seeding a corpus from fixture files).
pub fn kind_byte(path: &Path) -> u8 {
    let s = path.to_string_lossy();
    if s.ends_with(".yaml") || s.ends_with(".yml") {
        1
    } else if s.contains("/groups/") {
        2
    } else if s.contains("/briefings/") {
        3
    } else if s.contains("/pages/") {
        4
    } else {
        0
    }
}

/// Parses and validates one input; panics only if briefwerk does.
pub fn run(data: &[u8]) {
    let Some((&k, rest)) = data.split_first() else {
        return;
    };
    let (kind, rel) = KINDS[usize::from(k) % KINDS.len()];
    // The loader refuses invalid UTF-8 with its own diagnostic; past it, text is valid.
    let text = String::from_utf8_lossy(rest).into_owned();
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    let sources = Sources {
        files: vec![SourceFile {
            rel: rel.to_string(),
            stem: "x".to_string(),
            kind,
            text,
        }],
        unreadable: Vec::new(),
    };
    let (raw, parse_diags) = load::parse(&sources);
    // Bodies go through Markdown with `@` links that resolve to nothing, so that every
    // link is reported and placed (list-file bodies are searched for in the file).
    struct NoLinks;
    impl briefwerk::markdown::LinkResolver for NoLinks {
        fn resolve(&self, _: &str, _: &str) -> Option<String> {
            None
        }
        fn candidates(&self, _: &str) -> Vec<&str> {
            vec!["jnim"]
        }
    }
    for rec in &raw.incidents {
        let f = &sources.files[rec.loc.file];
        let src = briefwerk::markdown::BodySource {
            rel: &f.rel,
            file_text: &f.text,
            body_offset: rec.loc.body_offset,
        };
        let mut link_diags = Vec::new();
        let html_policy = briefwerk::config::RawHtml::Sanitize;
        let _ = briefwerk::markdown::render(
            &rec.body,
            &src,
            "../../",
            &NoLinks,
            html_policy,
            &mut link_diags,
        );
        for d in &link_diags {
            let _ = briefwerk::diagnostic::render_one(d, false);
        }
    }
    let config = briefwerk::config::parse(
        Path::new("/tmp/fuzz-site"),
        "title: Fuzz\n",
        &Default::default(),
    )
    .expect("a fixed config parses");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date");
    let (_, diags) = briefwerk::validate::validate(raw, &sources, &config, today);
    let _ = parse_diags.render(false);
    let _ = parse_diags.to_json_lines();
    let _ = diags.render(true);
    let _ = diags.summary();
}

/// Seed inputs: every content file of the check fixtures, with its kind byte.
pub fn seeds() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/check");
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = vec![root];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(p.extension().and_then(|x| x.to_str()), Some("md" | "yaml"))
                && let Ok(bytes) = std::fs::read(&p)
            {
                let mut input = vec![kind_byte(&p)];
                input.extend(bytes);
                out.push(input);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// xorshift64*: small, seedable, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const TOKENS: &[&str] = &[
    ":",
    ": ",
    "-",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\"",
    "'",
    "#",
    "&a ",
    "*a",
    "!!str ",
    "!!binary ",
    "|",
    ">",
    "?",
    "? ",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "  ",
    "    ",
    "---\n",
    "...\n",
    "\u{feff}",
    "é",
    "—",
    "𝔸",
    "%YAML 1.2\n",
    "@",
    "`",
    "\0",
    "~",
    "null",
    "<<: ",
    "[[[[[[[[",
    "{{{{",
    "- - - - ",
    "\\u0000",
    "\"\\x",
    "2017-02-30",
    "-5",
    "1e400",
    ".nan",
    "0x1F",
    "id: ../x\n",
    "groups: [",
    "location: {",
    "casualties: {killed: {min: ",
    "@incident/",
    "](",
];

/// Applies 1–8 random edits: token insertions, byte flips, deletions, duplications,
/// truncation, and splicing in a piece of another seed.
fn mutate(rng: &mut Rng, input: &[u8], seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..=rng.below(8) {
        let len = b.len();
        match rng.below(7) {
            0 | 1 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let i = rng.below(len + 1);
                b.splice(i..i, t.iter().copied());
            }
            2 => {
                if len > 1 {
                    let i = 1 + rng.below(len - 1);
                    b[i] ^= 1 << rng.below(8);
                }
            }
            3 => {
                let i = rng.below(len + 1);
                let end = (i + 1 + rng.below(32)).min(len);
                if i < end {
                    b.drain(i..end);
                }
            }
            4 => {
                let i = rng.below(len + 1);
                let end = (i + 1 + rng.below(64)).min(len);
                if i < end {
                    let chunk = b[i..end].to_vec();
                    for _ in 0..=rng.below(3) {
                        b.splice(end..end, chunk.iter().copied());
                    }
                }
            }
            5 => b.truncate(1.max(rng.below(len + 1))),
            _ => {
                let other = &seeds[rng.below(seeds.len())];
                let i = rng.below(other.len());
                let end = (i + 1 + rng.below(200)).min(other.len());
                let at = rng.below(len + 1);
                b.splice(at..at, other[i..end].iter().copied());
            }
        }
    }
    if b.is_empty() {
        b.push(0);
    }
    b
}

/// Runs the mutation loop for `argv[1]` seconds (default 60), seed `argv[2]` (default from
/// the clock). Crashing or slow (> 2 s) inputs are written to `fuzz/artifacts/stable/` and
/// the loop goes on; a summary is printed at the end and every minute.
pub fn stable_loop() {
    let mut args = std::env::args().skip(1);
    let secs: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(60);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
            | 1
    });
    let seeds = seeds();
    assert!(!seeds.is_empty(), "no seed files found");
    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts/stable");
    std::fs::create_dir_all(&artifacts).expect("artifacts dir");
    // Panics are caught and counted; keep their messages off the terminal.
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed);
    let mut corpus: Vec<Vec<u8>> = seeds.clone();
    let start = Instant::now();
    let deadline = start + Duration::from_secs(secs);
    let (mut runs, mut crashes, mut slow) = (0u64, 0u64, 0u64);
    let mut last_report = start;
    eprintln!(
        "stable fuzz loop: {} seeds, {secs} s, rng seed {seed}",
        seeds.len()
    );
    while Instant::now() < deadline {
        let base = &corpus[rng.below(corpus.len())];
        let input = mutate(&mut rng, base, &seeds);
        let t = Instant::now();
        let result = std::panic::catch_unwind(|| run(&input));
        let took = t.elapsed();
        runs += 1;
        let name = format!("{:016x}", fnv(&input));
        if result.is_err() {
            crashes += 1;
            let _ = std::fs::write(artifacts.join(format!("crash-{name}")), &input);
        } else if took > Duration::from_secs(2) {
            slow += 1;
            let _ = std::fs::write(artifacts.join(format!("slow-{name}")), &input);
        } else if rng.below(50) == 0 && corpus.len() < 5000 {
            // Keep some mutants as bases so that edits accumulate.
            corpus.push(input);
        }
        if last_report.elapsed() > Duration::from_secs(60) {
            last_report = Instant::now();
            eprintln!(
                "  {:>4} s: {runs} runs, {crashes} crashes, {slow} slow",
                start.elapsed().as_secs()
            );
        }
    }
    println!(
        "stable fuzz loop: {runs} runs in {} s ({} runs/s), {crashes} crashes, {slow} slow inputs, rng seed {seed}",
        start.elapsed().as_secs(),
        runs / start.elapsed().as_secs().max(1)
    );
}

fn fnv(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
