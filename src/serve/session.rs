//! A `serve` session: builds the site again after each batch of changes and publishes it
//! into the private output directory through [`output::Writer`], the one writer.
//!
//! Takes the build options `serve` uses (its private output, its base URL) and the changed
//! paths; returns the pipeline's [`Report`] for the build loop to report. The pipeline's session renders
//! only the pages an edit can change; every other file of the site is carried over with
//! [`Writer::keep`](output::Writer::keep), and a rendered file whose bytes did not change
//! is recognised by the hash in the writer's manifest without being read back. Between
//! builds the session holds what the last commit knew ([`output::Published`]: manifest,
//! both trees, a stamp per live folder, the lock), so an edit neither scans the output nor
//! looks at the files it keeps: its cost follows what it changed. Readers see the old site
//! or the new one (the writer's switch), and only files briefwerk wrote are ever removed.
//! Must not write anything itself.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::config::BuildOptions;
use crate::error::Error;
use crate::output;
use crate::pipeline::Report;

/// Builds the site and publishes it.
pub(super) struct Session {
    pipeline: crate::pipeline::Session,
    out: PathBuf,
    /// What the last commit published, for the next build's writer (`None` before the first
    /// build, and after one the writer could not vouch for: then the next writer scans).
    published: Option<output::Published>,
}

impl Session {
    /// A session for the site at `root` (canonical), built with `opts` into `out`; nothing
    /// is read until the first build.
    pub(super) fn new(root: &Path, opts: BuildOptions, out: &Path) -> Session {
        Session {
            pipeline: crate::pipeline::Session::new(root, opts),
            out: out.to_path_buf(),
            published: None,
        }
    }

    /// Builds after `changed` (root-relative paths) changed and publishes the result.
    /// Its stage timings end with `write`.
    pub(super) fn build(&mut self, changed: &[String]) -> Result<Report, Error> {
        let start = Instant::now();
        let writer = self.begin()?;
        let mut report = match self.pipeline.build(changed, &writer) {
            Ok(r) => r,
            Err(e) => {
                // A broken edit publishes nothing; usually nothing was staged either.
                self.published = writer.abandon();
                return Err(e);
            }
        };
        let kept = report.skipped.iter().try_for_each(|p| writer.keep(p));
        let mut report = match kept {
            Ok(()) => {
                let (written, published) =
                    report.timings.stage("write", || writer.commit_and_keep())?;
                report.written = written;
                self.published = published;
                report
            }
            // A file the partial render relies on is not in the output as briefwerk wrote it
            // (someone removed it): the staged build is undone and the site built whole.
            Err(_) => {
                drop(writer);
                self.pipeline.reset();
                self.full()?
            }
        };
        report.elapsed = start.elapsed();
        Ok(report)
    }

    /// Opens the writer: resumed from the last commit, or begun afresh. Nothing but this session publishes into its private folder, yet the
    /// last build's lock may outlive that build for a moment: a process forked meanwhile by
    /// another thread holds a copy of the lock's descriptor until it execs (seen in the test
    /// harness under load). So a busy folder is tried again for up to a second.
    fn begin(&mut self) -> Result<output::Writer, Error> {
        if let Some(p) = self.published.take() {
            return output::Writer::resume(p);
        }
        let mut tries = 0;
        loop {
            match output::Writer::begin(&self.out, false) {
                Err(Error::Busy { .. }) if tries < 20 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                other => return other,
            }
        }
    }

    /// Renders and publishes every file.
    fn full(&mut self) -> Result<Report, Error> {
        let writer = self.begin()?;
        let mut report = self.pipeline.build(&[], &writer)?;
        let (written, published) = report.timings.stage("write", || writer.commit_and_keep())?;
        report.written = written;
        self.published = published;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(dir: &Path) -> PathBuf {
        let root = dir.join("site");
        crate::init::init(&root, false).unwrap();
        root.canonicalize().unwrap()
    }

    /// serve used to patch its output with a second writer of its own; now a rebuild goes
    /// through `output::Writer`: files it did not write are kept, stale ones of its own go,
    /// and an unchanged file keeps its inode.
    #[cfg(unix)]
    #[test]
    fn rebuilds_publish_through_the_one_writer() {
        let dir = tempfile::tempdir().unwrap();
        let root = site(dir.path());
        let out = dir.path().join("out/public");
        let opts = BuildOptions {
            output: Some(out.clone()),
            ..BuildOptions::default()
        };
        let mut s = Session::new(&root, opts, &out);
        let first = s.build(&[]).unwrap();
        assert!(first.written.written > 0 && first.written.removed == 0);
        assert!(dir.path().join("out/.public.briefwerk/manifest").is_file());
        std::fs::write(out.join("CNAME"), "example.org").unwrap();
        let css = walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .find(|e| e.path().extension().is_some_and(|x| x == "css"))
            .unwrap()
            .into_path();
        let ino = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
        let before = ino(&css);
        let page = walkdir::WalkDir::new(root.join("content/pages"))
            .into_iter()
            .filter_map(Result::ok)
            .find(|e| e.path().extension().is_some_and(|x| x == "md"))
            .unwrap()
            .into_path();
        let text = std::fs::read_to_string(&page).unwrap();
        std::fs::write(&page, format!("{text}\nOne more line.\n")).unwrap();
        let rel = page
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let again = s.build(&[rel]).unwrap();
        assert!(again.rendered < again.pages, "a partial render");
        assert!(again.written.written >= 1, "{:?}", again.written);
        assert_eq!(
            std::fs::read_to_string(out.join("CNAME")).unwrap(),
            "example.org"
        );
        assert_eq!(ino(&css), before, "an unchanged file is not written again");
        // A file the partial render did not produce, removed behind the writer's back: the
        // next rebuild notices and builds the site whole.
        std::fs::remove_file(out.join("404.html")).unwrap();
        std::fs::write(&page, format!("{text}\nAnother line.\n")).unwrap();
        let rel = page
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        s.build(&[rel]).unwrap();
        assert!(out.join("404.html").is_file());
    }

    /// Every file under `out`: (inode, mtime) by relative path.
    #[cfg(unix)]
    fn files(out: &Path) -> std::collections::BTreeMap<PathBuf, (u64, std::time::SystemTime)> {
        walkdir::WalkDir::new(out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let m = e.metadata().unwrap();
                let rel = e.path().strip_prefix(out).unwrap().to_path_buf();
                (
                    rel,
                    (
                        std::os::unix::fs::MetadataExt::ino(&m),
                        m.modified().unwrap(),
                    ),
                )
            })
            .collect()
    }

    /// Between edits the session keeps what the last commit knew: an edit writes the files
    /// whose bytes changed and leaves every other file as it was (same inode, same mtime),
    /// without scanning the output or looking at the files it keeps. A file someone drops
    /// into the output between edits is noticed (its folder changed) and carried into every
    /// later build, never removed.
    #[cfg(unix)]
    #[test]
    fn an_edit_touches_only_what_changed_and_files_dropped_in_survive() {
        let dir = tempfile::tempdir().unwrap();
        let root = site(dir.path());
        let out = dir.path().join("out/public");
        let opts = BuildOptions {
            output: Some(out.clone()),
            ..BuildOptions::default()
        };
        let mut s = Session::new(&root, opts, &out);
        s.build(&[]).unwrap();
        assert!(
            s.published.is_some(),
            "the first build hands on what it published"
        );
        let page = walkdir::WalkDir::new(root.join("content/incidents"))
            .into_iter()
            .filter_map(Result::ok)
            .find(|e| e.path().extension().is_some_and(|x| x == "md"))
            .unwrap()
            .into_path();
        let rel = page
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&page).unwrap();
        // mtimes must be able to differ from the first build's.
        std::thread::sleep(std::time::Duration::from_millis(20));
        let edit = |k: usize, s: &mut Session| {
            std::fs::write(&page, format!("{text}\nA sentence added in edit {k}.\n")).unwrap();
            let before = files(&out);
            let r = s.build(std::slice::from_ref(&rel)).unwrap();
            let after = files(&out);
            (r, before, after)
        };
        for k in 0..3 {
            let (r, before, after) = edit(k, &mut s);
            assert!(r.rendered < r.pages, "a partial render");
            let changed: Vec<&PathBuf> = after
                .iter()
                .filter(|(p, v)| before.get(*p) != Some(*v))
                .map(|(p, _)| p)
                .collect();
            assert_eq!(changed.len(), r.written.written, "{changed:?}");
            assert!((1..10).contains(&changed.len()), "{changed:?}");
            assert_eq!(r.written.written + r.written.unchanged, after.len());
            assert_eq!(before.len(), after.len());
            assert!(
                s.published.is_some(),
                "edit {k} resumes from the last commit"
            );
        }

        // Someone drops files into the output, at the top and deep down.
        let deep = files(&out)
            .into_keys()
            .find(|p| p.starts_with("incidents") && p.components().count() > 2)
            .unwrap();
        let mine = [
            PathBuf::from("notes.txt"),
            deep.parent().unwrap().join("mine.txt"),
        ];
        for m in &mine {
            std::fs::write(out.join(m), "not briefwerk's").unwrap();
        }
        for k in 3..6 {
            let (r, _, after) = edit(k, &mut s);
            assert!(r.written.written >= 1);
            for m in &mine {
                assert!(after.contains_key(m), "edit {k} lost {}", m.display());
                assert_eq!(
                    std::fs::read_to_string(out.join(m)).unwrap(),
                    "not briefwerk's"
                );
            }
        }
        // Gone again: the session goes back to not scanning.
        for m in &mine {
            std::fs::remove_file(out.join(m)).unwrap();
        }
        edit(6, &mut s);
        edit(7, &mut s);
        assert!(s.published.is_some());
    }

    /// A broken edit publishes nothing and costs the next build no scan.
    #[test]
    fn a_broken_edit_publishes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = site(dir.path());
        let out = dir.path().join("out/public");
        let opts = BuildOptions {
            output: Some(out.clone()),
            ..BuildOptions::default()
        };
        let mut s = Session::new(&root, opts, &out);
        s.build(&[]).unwrap();
        let page = walkdir::WalkDir::new(root.join("content/incidents"))
            .into_iter()
            .filter_map(Result::ok)
            .find(|e| e.path().extension().is_some_and(|x| x == "md"))
            .unwrap()
            .into_path();
        let rel = page
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&page).unwrap();
        let listing = |out: &Path| {
            walkdir::WalkDir::new(out)
                .sort_by_file_name()
                .into_iter()
                .map(|e| {
                    let e = e.unwrap();
                    let bytes = e
                        .file_type()
                        .is_file()
                        .then(|| std::fs::read(e.path()).unwrap());
                    (e.path().to_path_buf(), bytes)
                })
                .collect::<Vec<_>>()
        };
        let before = listing(&out);
        std::fs::write(&page, text.replacen("---", "---\ntitle: [unclosed", 1)).unwrap();
        assert!(s.build(std::slice::from_ref(&rel)).is_err());
        assert_eq!(listing(&out), before, "nothing published");
        assert!(
            s.published.is_some(),
            "nothing staged, nothing to scan again"
        );
        std::fs::write(&page, format!("{text}\nFixed.\n")).unwrap();
        let r = s.build(std::slice::from_ref(&rel)).unwrap();
        assert!(r.rendered < r.pages && r.written.written >= 1);
    }
}
