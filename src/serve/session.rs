//! A `serve` session: builds the site again after each batch of changes and publishes what
//! changed into the private output directory.
//!
//! Takes the site root, the build options `serve` uses (its private output, its base URL)
//! and the changed paths; returns a [`Rebuilt`] for the build loop to report. Keeps the
//! hash of every published file, so that a rebuild writes only the files whose bytes
//! changed. Must not touch anything outside the private output directory.

use std::collections::HashMap;
use std::hash::{Hash as _, Hasher as _};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use super::Rebuilt;
use crate::config::BuildOptions;
use crate::error::Error;
use crate::output::{self, WriteStats};
use crate::render::OutputFile;

/// Builds the site and writes what changed since the previous build.
pub(super) struct Session {
    root: PathBuf,
    opts: BuildOptions,
    session: crate::rebuild::Session,
    out: PathBuf,
    /// Hash of every file of the last written build, by output path.
    hashes: HashMap<String, u64>,
}

fn hash_bytes(b: &[u8]) -> u64 {
    // SipHash with fixed keys: not for adversaries, only to notice that a page changed.
    let mut h = std::hash::DefaultHasher::new();
    b.hash(&mut h);
    h.finish()
}

/// Keeps the hash of every file and the bytes of those that differ from the last build.
struct Changes<'a> {
    old: &'a HashMap<String, u64>,
    hashes: Mutex<HashMap<String, u64>>,
    changed: Mutex<Vec<OutputFile>>,
}

impl crate::render::Sink for Changes<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        let h = hash_bytes(&file.bytes);
        let same = self.old.get(&file.path) == Some(&h);
        self.hashes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(file.path.clone(), h);
        if !same {
            self.changed
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(file);
        }
        Ok(())
    }
}

impl Session {
    /// A session for the site at `root` (canonical), built with `opts` into `out`; nothing
    /// is read until the first build.
    pub(super) fn new(root: &Path, opts: BuildOptions, out: &Path) -> Session {
        Session {
            root: root.to_path_buf(),
            session: crate::rebuild::Session::new(root, opts.clone()),
            opts,
            out: out.to_path_buf(),
            hashes: HashMap::new(),
        }
    }

    /// Builds after `changed` (root-relative paths) changed, writing what differs.
    pub(super) fn build(&mut self, first: bool, changed: &[String]) -> Result<Rebuilt, Error> {
        let start = Instant::now();
        let changes = Changes {
            old: &self.hashes,
            hashes: Mutex::default(),
            changed: Mutex::default(),
        };
        let built = self.session.build(changed, &changes)?;
        let render = start.elapsed();
        let start = Instant::now();
        let mut new = changes
            .hashes
            .into_inner()
            .unwrap_or_else(|p| p.into_inner());
        // Files not rendered this time are as they were.
        for page in &built.skipped {
            if !new.contains_key(page)
                && let Some(h) = self.hashes.get(page)
            {
                new.insert(page.clone(), *h);
            }
        }
        let mut files = changes
            .changed
            .into_inner()
            .unwrap_or_else(|p| p.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let written = if self.hashes.is_empty() {
            output::write_site(&self.out, &files)?
        } else {
            match write_changed(&self.out, &files, &self.hashes, &new) {
                Ok(s) => s,
                // Something unexpected on disk (a file where a folder should be, say): a
                // full build's comparison with the disk sorts it out.
                Err(_) => {
                    self.hashes.clear();
                    self.session.reset();
                    crate::build(&self.root, &self.opts).map(|r| r.written)?
                }
            }
        };
        self.hashes = new;
        Ok(Rebuilt {
            first,
            pages: built.pages,
            rendered: built.rendered,
            written,
            render,
            write: start.elapsed(),
            warnings: built.warnings,
        })
    }
}

/// Writes the files whose hash changed (to a temporary name, then renamed, so a request never
/// sees half a file) and removes those the new build no longer has.
fn write_changed(
    out: &Path,
    files: &[OutputFile],
    old: &HashMap<String, u64>,
    new: &HashMap<String, u64>,
) -> std::io::Result<WriteStats> {
    let mut stats = WriteStats::default();
    for f in files {
        if old.get(&f.path) == new.get(&f.path) && out.join(&f.path).is_file() {
            stats.unchanged += 1;
            continue;
        }
        if !safe_relative(&f.path) {
            return Err(std::io::Error::other(format!(
                "unsafe output path {}",
                f.path
            )));
        }
        let path = output::checked_target(out, &f.path)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
        std::fs::write(&tmp, &f.bytes)?;
        std::fs::rename(&tmp, &path)?;
        stats.written += 1;
    }
    for gone in old.keys().filter(|p| !new.contains_key(*p)) {
        let path = output::checked_target(out, gone)?;
        match std::fs::remove_file(&path) {
            Ok(()) => stats.removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        // Empty folders go with their last file; a non-empty one refuses, which is fine.
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == out || std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(stats)
}

fn safe_relative(p: &str) -> bool {
    let path = Path::new(p);
    !p.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_changed_files_and_removes_stale_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("o");
        let f = |p: &str, s: &str| OutputFile {
            path: p.into(),
            bytes: s.as_bytes().to_vec(),
        };
        let hashes = |fs: &[OutputFile]| {
            fs.iter()
                .map(|f| (f.path.clone(), hash_bytes(&f.bytes)))
                .collect::<HashMap<_, _>>()
        };
        let one = vec![
            f("index.html", "a"),
            f("x/index.html", "b"),
            f("y/z/index.html", "c"),
        ];
        output::write_site(&out, &one).unwrap();
        let two = vec![
            f("index.html", "a"),
            f("x/index.html", "B"),
            f("w/index.html", "d"),
        ];
        let s = write_changed(&out, &two, &hashes(&one), &hashes(&two)).unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (2, 1, 1));
        assert_eq!(
            std::fs::read_to_string(out.join("x/index.html")).unwrap(),
            "B"
        );
        assert!(!out.join("y").exists(), "empty folders go");
    }
}
