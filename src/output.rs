//! Writes the rendered site. The only module that writes to the output directory.
//!
//! A build reaches this stage only when every page rendered, so a failed build never
//! touches the previous output. A first build writes into a temporary sibling directory and
//! renames it into place. Later builds update the existing tree in place: unchanged files are
//! left alone (so rsync or an S3 sync ships only real changes, and the disk is spared the
//! cost of deleting and recreating a whole tree), changed files are written to a temporary
//! name and renamed over the old one (so no reader ever sees half a file), and files the new
//! build no longer produces are removed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::Error;
use crate::render::OutputFile;

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
    for f in files {
        check_relative(&f.path)?;
    }
    let fresh = match std::fs::read_dir(out) {
        Ok(mut d) => d.next().is_none(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
        Err(e) => return Err(Error::io(out, e)),
    };
    if fresh {
        write_fresh(out, files)
    } else {
        sync(out, files)
    }
}

fn tmp_sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

fn create_dirs(base: &Path, files: &[OutputFile]) -> Result<(), Error> {
    let dirs: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| base.join(p)))
        .collect();
    for d in dirs {
        std::fs::create_dir_all(&d).map_err(|e| Error::io(&d, e))?;
    }
    Ok(())
}

fn write_fresh(out: &Path, files: &[OutputFile]) -> Result<WriteStats, Error> {
    let tmp = tmp_sibling(out, "tmp");
    let result = (|| {
        if let Some(parent) = out.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::create_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
        create_dirs(&tmp, files)?;
        files.par_iter().try_for_each(|f| {
            let p = tmp.join(&f.path);
            std::fs::write(&p, &f.bytes).map_err(|e| Error::io(&p, e))
        })?;
        if out.exists() {
            // An empty directory (checked by the caller) can be replaced.
            std::fs::remove_dir(out).map_err(|e| Error::io(out, e))?;
        }
        std::fs::rename(&tmp, out).map_err(|e| Error::io(out, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result.map(|()| WriteStats {
        written: files.len(),
        unchanged: 0,
        removed: 0,
    })
}

fn sync(out: &Path, files: &[OutputFile]) -> Result<WriteStats, Error> {
    create_dirs(out, files)?;
    let changed: Vec<bool> = files
        .par_iter()
        .map(|f| {
            let p = out.join(&f.path);
            let same = match std::fs::metadata(&p) {
                Ok(m) if m.is_file() && m.len() == f.bytes.len() as u64 => {
                    std::fs::read(&p).map(|old| old == f.bytes).unwrap_or(false)
                }
                _ => false,
            };
            if same {
                return Ok(false);
            }
            if p.is_dir() {
                std::fs::remove_dir_all(&p).map_err(|e| Error::io(&p, e))?;
            }
            let tmp = p.with_file_name(format!(
                ".{}.tmp-{}",
                p.file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                std::process::id()
            ));
            std::fs::write(&tmp, &f.bytes).map_err(|e| Error::io(&tmp, e))?;
            std::fs::rename(&tmp, &p).map_err(|e| Error::io(&p, e))?;
            Ok(true)
        })
        .collect::<Result<Vec<bool>, Error>>()?;
    let written = changed.iter().filter(|c| **c).count();
    let keep: BTreeSet<PathBuf> = files.iter().map(|f| out.join(&f.path)).collect();
    let mut removed = 0;
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(out).min_depth(1).contents_first(true) {
        let entry =
            entry.map_err(|e| Error::Other(format!("cannot scan {}: {e}", out.display())))?;
        let p = entry.path();
        if entry.file_type().is_dir() {
            dirs.push(p.to_path_buf());
        } else if !keep.contains(p) {
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
        unchanged: files.len() - written,
        removed,
    })
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
    fn refuses_escaping_paths() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_site(&dir.path().join("o"), &[f("../evil", "x")]).is_err());
        assert!(!dir.path().join("evil").exists());
    }
}
