//! A `serve` session: builds the site again after each batch of changes and publishes it
//! into the private output directory through [`output::Writer`], the one writer.
//!
//! Takes the build options `serve` uses (its private output, its base URL) and the changed
//! paths; returns the pipeline's [`Report`] for the build loop to report. The pipeline's session renders
//! only the pages an edit can change; every other file of the site is carried over with
//! [`Writer::keep`](output::Writer::keep), and a rendered file whose bytes did not change
//! is recognised by the hash in the writer's manifest without being read back. Readers see
//! the old site or the new one (the writer's switch), and only files briefwerk wrote are
//! ever removed. Must not write anything itself.

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
}

impl Session {
    /// A session for the site at `root` (canonical), built with `opts` into `out`; nothing
    /// is read until the first build.
    pub(super) fn new(root: &Path, opts: BuildOptions, out: &Path) -> Session {
        Session {
            pipeline: crate::pipeline::Session::new(root, opts),
            out: out.to_path_buf(),
        }
    }

    /// Builds after `changed` (root-relative paths) changed and publishes the result.
    /// Its stage timings end with `write`.
    pub(super) fn build(&mut self, changed: &[String]) -> Result<Report, Error> {
        let start = Instant::now();
        let writer = self.begin()?;
        let mut report = self.pipeline.build(changed, &writer)?;
        let kept = report.skipped.iter().try_for_each(|p| writer.keep(p));
        let mut report = match kept {
            Ok(()) => {
                report.written = report.timings.stage("write", || writer.commit())?;
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

    /// Opens the writer. Nothing but this session publishes into its private folder, yet the
    /// last build's lock may outlive that build for a moment: a process forked meanwhile by
    /// another thread holds a copy of the lock's descriptor until it execs (seen in the test
    /// harness under load). So a busy folder is tried again for up to a second.
    fn begin(&self) -> Result<output::Writer, Error> {
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
        report.written = report.timings.stage("write", || writer.commit())?;
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
}
