//! I/O floor for the briefwerk benchmarks: the least work any static-site generator must do.
//!
//! ```text
//! rustc --edition 2024 -O scripts/bench/io_floor.rs -o target/bench/bin/io_floor
//! io_floor --input SITE/content --manifest MANIFEST.tsv --out FRESH_DIR [--threads N]
//! ```
//!
//! Reads every file under `--input` (as a generator must), then recreates the output tree
//! described by `--manifest` (lines `relative/path<TAB>size`, as written by
//! `find OUT -type f -printf '%P\t%s\n'` on a real build): the same directories, the same number
//! of files and the same bytes, filled with input bytes. No parsing, no templating, no fsync
//! (neither Hugo nor a plain `fs::write` fsyncs). Work is split over `--threads` (default: all
//! cores) like the generators it is compared to. `--out` must not exist: a fresh tree every run.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn read_tree(dir: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            read_tree(&entry.path(), files)?;
        } else {
            files.push(entry.path());
        }
    }
    Ok(())
}

fn run() -> Result<String, String> {
    let mut args = std::env::args().skip(1);
    let (mut input, mut manifest, mut out) = (None, None, None);
    let mut threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    while let Some(a) = args.next() {
        let v = args.next().ok_or_else(|| format!("{a} needs a value"))?;
        match a.as_str() {
            "--input" => input = Some(PathBuf::from(v)),
            "--manifest" => manifest = Some(PathBuf::from(v)),
            "--out" => out = Some(PathBuf::from(v)),
            "--threads" => threads = v.parse().map_err(|e| format!("--threads: {e}"))?,
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    let usage = "usage: io_floor --input DIR --manifest FILE --out NEW_DIR [--threads N]";
    let input = input.ok_or(usage)?;
    let manifest = manifest.ok_or(usage)?;
    let out = out.ok_or(usage)?;
    if out.exists() {
        return Err(format!(
            "{} already exists; pass a fresh directory",
            out.display()
        ));
    }
    let threads = threads.max(1);

    // 1. Read all inputs (in parallel, like the generators).
    let mut inputs = Vec::new();
    read_tree(&input, &mut inputs).map_err(|e| format!("{}: {e}", input.display()))?;
    inputs.sort();
    let chunk = inputs.len().div_ceil(threads).max(1);
    let read: Vec<(Vec<u8>, u64)> = std::thread::scope(|s| {
        let handles: Vec<_> = inputs
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    let mut sample = Vec::new();
                    let mut total = 0u64;
                    for p in part {
                        let bytes = fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
                        total += bytes.len() as u64;
                        if sample.len() < (1 << 20) {
                            sample.extend_from_slice(&bytes);
                        }
                    }
                    Ok::<_, String>((sample, total))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("reader thread"))
            .collect::<Result<_, _>>()
    })?;
    let in_bytes: u64 = read.iter().map(|r| r.1).sum();
    let mut fill: Vec<u8> = read.into_iter().flat_map(|r| r.0).collect();
    if fill.is_empty() {
        fill.push(b'x');
    }

    // 2. Write the manifest's tree.
    let text = fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let mut entries: Vec<(&str, usize)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.is_empty() {
            continue;
        }
        let (path, size) = line
            .rsplit_once('\t')
            .ok_or_else(|| format!("{}:{}: expected PATH<TAB>SIZE", manifest.display(), n + 1))?;
        let size = size
            .parse()
            .map_err(|e| format!("{}:{}: {e}", manifest.display(), n + 1))?;
        entries.push((path, size));
    }
    let max = entries.iter().map(|e| e.1).max().unwrap_or(0);
    while fill.len() < max {
        let again = fill.clone();
        fill.extend_from_slice(&again);
    }
    fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let chunk = entries.len().div_ceil(threads).max(1);
    let fill = &fill;
    let out_ref = &out;
    std::thread::scope(|s| {
        let handles: Vec<_> = entries
            .chunks(chunk)
            .enumerate()
            .map(|(t, part)| {
                s.spawn(move || {
                    let mut last_dir: Option<PathBuf> = None;
                    for (i, &(rel, size)) in part.iter().enumerate() {
                        let path = out_ref.join(rel);
                        if let Some(dir) = path.parent() {
                            if last_dir.as_deref() != Some(dir) {
                                fs::create_dir_all(dir)
                                    .map_err(|e| format!("{}: {e}", dir.display()))?;
                                last_dir = Some(dir.to_path_buf());
                            }
                        }
                        let start = (t * 7919 + i * 104_729) % (fill.len() - size + 1);
                        fs::write(&path, &fill[start..start + size])
                            .map_err(|e| format!("{}: {e}", path.display()))?;
                    }
                    Ok::<_, String>(())
                })
            })
            .collect();
        handles
            .into_iter()
            .try_for_each(|h| h.join().expect("writer thread"))
    })?;
    let out_bytes: usize = entries.iter().map(|e| e.1).sum();
    Ok(format!(
        "io_floor: read {} files ({} bytes), wrote {} files ({} bytes) with {} threads",
        inputs.len(),
        in_bytes,
        entries.len(),
        out_bytes,
        threads
    ))
}

fn main() -> ExitCode {
    match run() {
        Ok(msg) => {
            println!("{msg}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("io_floor: {e}");
            ExitCode::from(2)
        }
    }
}
