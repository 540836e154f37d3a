//! Writes the rendered site. The only module that writes to the output directory.
//!
//! Pages stream in from `render` as they are rendered (so memory holds a few pages, not the
//! site), but nothing is published until the whole build has succeeded: a failed build never
//! touches the previous output. A first build writes into a temporary sibling directory and
//! renames it into place. Later builds update the existing tree in place: unchanged files are
//! left alone (so rsync or an S3 sync ships only real changes, and the disk is spared the
//! cost of deleting and recreating a whole tree), changed files are written beside the old
//! ones under a temporary name and renamed over them at the end (so no reader ever sees half
//! a file), and files the new build no longer produces are removed.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::Error;
use crate::render::{OutputFile, Sink};

/// What a write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Files written (new or changed).
    pub written: usize,
    /// Files left alone because their bytes were already right.
    pub unchanged: usize,
    /// Stale files removed.
    pub removed: usize,
}

fn check_relative(path: &str) -> Result<(), Error> {
    let p = Path::new(path);
    let bad = path.is_empty()
        || p.is_absolute()
        || p.components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)));
    if bad {
        return Err(Error::Other(format!(
            "refusing to write outside the output directory: `{path}`"
        )));
    }
    Ok(())
}

/// Writes `files` so that `out` holds exactly them afterwards.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<WriteStats, Error> {
    let w = Writer::begin(out)?;
    for f in files {
        w.put(f.clone())?;
    }
    w.commit()
}

/// Counts files and throws them away (`check`).
#[derive(Debug, Default)]
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _file: OutputFile) -> Result<(), Error> {
        Ok(())
    }
}

/// Writes a build's files as they arrive, and publishes them all at once on [`Writer::commit`].
///
/// Into an empty or missing output directory, files go into a temporary sibling that is
/// renamed into place. Into an existing site, each changed file is written beside its old
/// version under a temporary name and every one is renamed over its old version only on
/// commit; unchanged files are not touched. Dropping a writer without committing removes
/// everything it wrote, so a failed build leaves the previous output as it was.
#[derive(Debug)]
pub struct Writer {
    out: PathBuf,
    /// `Some(temporary sibling)` when building from scratch.
    fresh: Option<PathBuf>,
    /// Folders known to exist (so each is created once).
    dirs: Mutex<HashSet<PathBuf>>,
    /// Folders this writer created inside an existing site (removed again on failure).
    created: Mutex<Vec<PathBuf>>,
    /// Changed files waiting to be renamed into place: (temporary, final).
    staged: Mutex<Vec<(PathBuf, PathBuf)>>,
    /// Every path received, to find stale files and duplicates.
    seen: Mutex<HashSet<String>>,
    unchanged: AtomicUsize,
    written: AtomicUsize,
    committed: bool,
}

impl Writer {
    /// Prepares to write into `out`; touches nothing on disk yet.
    pub fn begin(out: &Path) -> Result<Writer, Error> {
        let fresh = match std::fs::read_dir(out) {
            Ok(mut d) => d.next().is_none(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
            Err(e) => return Err(Error::io(out, e)),
        };
        Ok(Writer {
            out: out.to_path_buf(),
            fresh: fresh.then(|| tmp_sibling(out, "tmp")),
            dirs: Mutex::default(),
            created: Mutex::default(),
            staged: Mutex::default(),
            seen: Mutex::default(),
            unchanged: AtomicUsize::new(0),
            written: AtomicUsize::new(0),
            committed: false,
        })
    }

    fn base(&self) -> &Path {
        self.fresh.as_deref().unwrap_or(&self.out)
    }

    /// Creates `dir` (and its parents) once.
    fn ensure_dir(&self, dir: &Path) -> Result<(), Error> {
        if lock(&self.dirs).contains(dir) {
            return Ok(());
        }
        if self.fresh.is_none() {
            // Remember which folders are new, outermost first, to remove them on failure.
            let mut missing = Vec::new();
            let mut d = Some(dir);
            while let Some(x) = d {
                if x == self.out || x.is_dir() {
                    break;
                }
                missing.push(x.to_path_buf());
                d = x.parent();
            }
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            lock(&self.created).extend(missing.into_iter().rev());
        } else {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        lock(&self.dirs).insert(dir.to_path_buf());
        Ok(())
    }

    /// Publishes everything written: renames the new tree or the changed files into place
    /// and removes files this build no longer produces.
    pub fn commit(mut self) -> Result<WriteStats, Error> {
        let written = self.written.load(Ordering::Relaxed);
        let unchanged = self.unchanged.load(Ordering::Relaxed);
        if let Some(tmp) = self.fresh.clone() {
            std::fs::create_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
            if let Some(parent) = self.out.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            if self.out.exists() {
                // An empty directory (checked in `begin`) can be replaced.
                std::fs::remove_dir(&self.out).map_err(|e| Error::io(&self.out, e))?;
            }
            std::fs::rename(&tmp, &self.out).map_err(|e| Error::io(&self.out, e))?;
            self.committed = true;
            return Ok(WriteStats {
                written,
                unchanged,
                removed: 0,
            });
        }
        let staged = std::mem::take(&mut *lock(&self.staged));
        for (tmp, dest) in &staged {
            if dest.is_dir() {
                std::fs::remove_dir_all(dest).map_err(|e| Error::io(dest, e))?;
            }
            std::fs::rename(tmp, dest).map_err(|e| Error::io(dest, e))?;
        }
        self.committed = true;
        let seen = std::mem::take(&mut *lock(&self.seen));
        let mut removed = 0;
        let mut dirs = Vec::new();
        for entry in walkdir::WalkDir::new(&self.out)
            .min_depth(1)
            .contents_first(true)
        {
            let entry = entry
                .map_err(|e| Error::Other(format!("cannot scan {}: {e}", self.out.display())))?;
            let p = entry.path();
            if entry.file_type().is_dir() {
                dirs.push(p.to_path_buf());
                continue;
            }
            let rel = p
                .strip_prefix(&self.out)
                .ok()
                .and_then(|r| r.to_str())
                .map(|r| r.replace('\\', "/"));
            if rel.is_none_or(|r| !seen.contains(&r)) {
                std::fs::remove_file(p).map_err(|e| Error::io(p, e))?;
                removed += 1;
            }
        }
        for d in dirs {
            // Only empty directories go; errors mean "not empty".
            let _ = std::fs::remove_dir(&d);
        }
        Ok(WriteStats {
            written,
            unchanged,
            removed,
        })
    }
}

impl Sink for Writer {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        check_relative(&file.path)?;
        if !lock(&self.seen).insert(file.path.clone()) {
            return Err(Error::Other(format!(
                "two outputs want the same path `{}`",
                file.path
            )));
        }
        let dest = self.base().join(&file.path);
        if let Some(parent) = dest.parent() {
            self.ensure_dir(parent)?;
        }
        if self.fresh.is_some() {
            std::fs::write(&dest, &file.bytes).map_err(|e| Error::io(&dest, e))?;
            self.written.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        let same = match std::fs::metadata(&dest) {
            Ok(m) if m.is_file() && m.len() == file.bytes.len() as u64 => std::fs::read(&dest)
                .map(|old| old == file.bytes)
                .unwrap_or(false),
            _ => false,
        };
        if same {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        let tmp = dest.with_file_name(format!(
            ".{}.tmp-{}",
            dest.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        std::fs::write(&tmp, &file.bytes).map_err(|e| Error::io(&tmp, e))?;
        lock(&self.staged).push((tmp, dest));
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        if let Some(tmp) = &self.fresh {
            let _ = std::fs::remove_dir_all(tmp);
            return;
        }
        for (tmp, _) in lock(&self.staged).drain(..) {
            let _ = std::fs::remove_file(tmp);
        }
        for d in lock(&self.created).iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
}

fn tmp_sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(path: &str, s: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: s.as_bytes().to_vec(),
        }
    }

    #[test]
    fn rewrites_only_changes_and_removes_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let s = write_site(&out, &[f("index.html", "a"), f("x/index.html", "b")]).unwrap();
        assert_eq!(s.written, 2);
        let s = write_site(&out, &[f("index.html", "a"), f("y/index.html", "c")]).unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (1, 1, 1));
        assert!(!out.join("x").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("y/index.html")).unwrap(),
            "c"
        );
    }

    #[test]
    fn an_abandoned_write_leaves_no_trace() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[f("index.html", "a")]).unwrap();
        let before: Vec<_> = walkdir::WalkDir::new(dir.path())
            .into_iter()
            .map(|e| e.unwrap().path().to_path_buf())
            .collect();
        {
            let w = Writer::begin(&out).unwrap();
            w.put(f("index.html", "changed")).unwrap();
            w.put(f("new/deep/index.html", "n")).unwrap();
            // Dropped without commit, as when a later page fails to render.
        }
        let after: Vec<_> = walkdir::WalkDir::new(dir.path())
            .into_iter()
            .map(|e| e.unwrap().path().to_path_buf())
            .collect();
        assert_eq!(before, after);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "a"
        );
        // A first build abandoned leaves no temporary sibling either.
        let out2 = dir.path().join("fresh");
        {
            let w = Writer::begin(&out2).unwrap();
            w.put(f("index.html", "x")).unwrap();
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn the_same_path_twice_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let w = Writer::begin(&dir.path().join("o")).unwrap();
        w.put(f("a.html", "1")).unwrap();
        assert!(w.put(f("a.html", "2")).is_err());
    }

    #[test]
    fn refuses_escaping_paths() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_site(&dir.path().join("o"), &[f("../evil", "x")]).is_err());
        assert!(!dir.path().join("evil").exists());
    }
}
