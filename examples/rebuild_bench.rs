//! Times what `serve` does after an edit, against a full build of the same site, in one run.
//!
//! `cargo run --release --example rebuild_bench -- SITE_ROOT [EDITS]`
//!
//! Copies nothing: it edits incident files of SITE_ROOT in place (appending a sentence to a
//! body, then changing a title) and puts each back afterwards. Prints the median of the full
//! builds and of the rebuilds, with the stages of a typical rebuild.

#![allow(clippy::print_stdout)] // a benchmark reports on stdout

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use briefwerk::BuildOptions;
use briefwerk::pipeline::Session;
use briefwerk::render::{OutputFile, Sink};

/// Counts files and bytes, as a writer would receive them, without keeping them.
#[derive(Default)]
struct Count(std::sync::atomic::AtomicUsize);

impl Sink for Count {
    fn put(&self, file: OutputFile) -> Result<(), briefwerk::Error> {
        self.0
            .fetch_add(file.bytes.len(), std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn incident_files(root: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/incidents"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().to_path_buf())
        .collect();
    v.sort();
    v
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = PathBuf::from(args.get(1).expect("usage: rebuild_bench SITE_ROOT [EDITS]"));
    let edits: usize = args
        .get(2)
        .map_or(5, |n| n.parse().expect("EDITS is a number"));
    let opts = BuildOptions {
        output: Some(std::env::temp_dir().join("rebuild-bench-unused")),
        ..BuildOptions::default()
    };
    let files = incident_files(&root);
    assert!(
        !files.is_empty(),
        "no incident files under {}",
        root.display()
    );

    let mut fulls = Vec::new();
    let mut session = Session::new(&root, opts.clone());
    for _ in 0..3 {
        session.reset();
        let t = Instant::now();
        let b = session.build(&[], &Count::default()).expect("full build");
        fulls.push(t.elapsed());
        assert!(b.full);
    }
    let mut rebuilds = Vec::new();
    let mut rendered = Vec::new();
    let mut last_timings = None;
    for k in 0..edits {
        // Spread the edits over the corpus: early, middle and late incidents.
        let f = &files[(k * 7919 + files.len() / 3) % files.len()];
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let before = std::fs::read_to_string(f).unwrap();
        let edited = if k % 2 == 0 {
            format!("{before}\nA sentence added in edit {k}.\n")
        } else {
            before.replacen("title: \"", &format!("title: \"Edit {k}: "), 1)
        };
        std::fs::write(f, &edited).unwrap();
        let t = Instant::now();
        let b = session
            .build(std::slice::from_ref(&rel), &Count::default())
            .expect("rebuild");
        rebuilds.push(t.elapsed());
        rendered.push(b.rendered);
        last_timings = Some(b.timings);
        std::fs::write(f, &before).unwrap();
        session
            .build(std::slice::from_ref(&rel), &Count::default())
            .expect("rebuild after restoring");
    }
    let full = median(fulls);
    let rebuild = median(rebuilds);
    println!("site: {}", root.display());
    println!(
        "full build (render, no write), median of 3: {} ms",
        full.as_millis()
    );
    println!(
        "rebuild after one incident edit, median of {edits}: {} ms ({:.1}% of a full build), pages rendered again: {:?}",
        rebuild.as_millis(),
        100.0 * rebuild.as_secs_f64() / full.as_secs_f64(),
        rendered
    );
    if let Some(t) = last_timings {
        let stages: Vec<String> =
            t.0.iter()
                .map(|(n, d)| format!("{n} {} ms", d.as_millis()))
                .collect();
        println!("stages of the last rebuild: {}", stages.join(", "));
    }
}
