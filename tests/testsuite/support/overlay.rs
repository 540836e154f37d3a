//! The `check` fixtures (tests/fixtures/check/, issue 16): one small valid site in `base/`
//! and one folder per case in `cases/` holding only what that case changes, so that a case's
//! defect is the whole of its folder. A case folder has
//!
//! - the files the case changes or adds, each at its path in the site;
//! - `removed.txt`, optional: base files the case deletes, one path a line;
//! - its snapshots: `expected.txt` (what `check` prints) and `diagnostics.txt` (one line per
//!   diagnostic: place, severity, code, message), compared by snapbox.
//!
//! `materialise` lays a case over the base in a temporary folder, so `check` still runs on a
//! whole site.

use std::path::{Path, PathBuf};

/// Names at the top of a case folder that are not files of the site.
pub const NOT_SITE: &[&str] = &["expected.txt", "diagnostics.txt", "removed.txt"];

/// tests/fixtures/check/
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check")
}

/// The base site every case is laid over.
pub fn base() -> PathBuf {
    root().join("base")
}

/// The folder of case `name`.
pub fn case_dir(name: &str) -> PathBuf {
    root().join("cases").join(name)
}

/// Every case name, sorted.
pub fn cases() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("cases"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort_unstable();
    names
}

/// The site files of a case folder (what it changes or adds), as `/`-separated paths
/// relative to the site root, sorted.
pub fn overlay_files(overlay: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(overlay)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(overlay).unwrap();
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .filter(|rel| !NOT_SITE.contains(&rel.as_str()))
        .collect();
    files.sort_unstable();
    files
}

/// The base files a case folder deletes (its `removed.txt`), in the order listed.
pub fn removed_files(overlay: &Path) -> Vec<String> {
    match std::fs::read_to_string(overlay.join("removed.txt")) {
        Ok(text) => text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => panic!("{}: {e}", overlay.join("removed.txt").display()),
    }
}

/// Writes the site `base` with `overlay` laid over it into `to`: the overlay's files replace
/// or add, and the paths in its `removed.txt` are deleted (each must be a base file, so a
/// typo there fails instead of removing nothing). Bytes are copied as they are: CRLF, a
/// byte-order mark and invalid UTF-8 are test cases.
pub fn materialise(base: &Path, overlay: &Path, to: &Path) {
    super::copy_dir(base, to);
    for rel in removed_files(overlay) {
        let path = to.join(&rel);
        assert!(
            base.join(&rel).is_file(),
            "{}: `{rel}` is not a file of the base site {}",
            overlay.join("removed.txt").display(),
            base.display()
        );
        std::fs::remove_file(&path).unwrap();
    }
    for rel in overlay_files(overlay) {
        let dest = to.join(&rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(overlay.join(&rel), &dest).unwrap();
    }
}

/// Compares `actual` with the snapshot `file` of case `name`; `SNAPSHOTS=overwrite` rewrites
/// the snapshot instead (snapbox's standard workflow). Only line endings are normalised:
/// none of snapbox's `[..]` wildcards or path filters apply to these snapshots.
#[track_caller]
pub fn assert_snapshot(name: &str, file: &str, actual: &str) {
    let path = case_dir(name).join(file);
    snapbox::Assert::new()
        .action_env(snapbox::assert::DEFAULT_ACTION_ENV)
        .eq(
            actual,
            snapbox::Data::read_from(&path, Some(snapbox::data::DataFormat::Text)).raw(),
        );
}
