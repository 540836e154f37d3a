//! Watching the site's sources, and folding an editor's burst of events into one rebuild.
//!
//! Takes the site root and the channel the build loop reads; sends it [`Msg::Files`] for
//! every change notify reports (reads excepted) and [`Msg::WatchError`] for its problems.
//! [`settle`] turns a burst of messages into one batch of paths, [`relevant`] keeps the
//! paths a rebuild cares about (`content/`, `themes/`, `templates/`, `static/`,
//! `site.yaml`, without editors' swap files). Must not read or build anything itself.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher as _};

use super::{Event, Msg};
use crate::error::Error;

/// Quiet time after the last file event before a rebuild starts. Long enough to fold an
/// editor's write-temp/rename/chmod into one batch, short enough to feel immediate.
const DEBOUNCE: Duration = Duration::from_millis(150);
/// Longest a rebuild waits for events to settle.
const MAX_DEBOUNCE: Duration = Duration::from_secs(1);

/// Collects the paths of `first` and of the messages that follow it until the events stop
/// for [`DEBOUNCE`] (an editor's save is several: write a temporary file, rename it over the
/// old one, change its mode), but never longer than [`MAX_DEBOUNCE`], so a stream of changes
/// cannot hold rebuilds back. Watch errors go to `on_event` as they come. `None` when asked
/// to stop.
pub(super) fn settle(
    rx: &Receiver<Msg>,
    first: Msg,
    on_event: &mut dyn FnMut(Event),
) -> Option<BTreeSet<PathBuf>> {
    let mut paths = BTreeSet::new();
    let started = Instant::now();
    let mut next = Some(first);
    while let Some(msg) = next.take() {
        match msg {
            Msg::Files(p) => paths.extend(p),
            Msg::WatchError(e) => on_event(Event::WatchError(e)),
            Msg::Stop => return None,
        }
        if started.elapsed() > MAX_DEBOUNCE {
            break;
        }
        next = rx.recv_timeout(DEBOUNCE).ok();
    }
    Some(paths)
}

/// Watches the sources of the site.
pub(super) struct Watcher {
    watcher: notify::RecommendedWatcher,
    watched: BTreeSet<PathBuf>,
    /// Folders whose watch failed (reported once, retried at every rebuild).
    failed: BTreeSet<PathBuf>,
}

/// Folders watched recursively, when they exist.
const WATCHED_DIRS: &[&str] = &["content", "themes", "templates", "static"];

impl Watcher {
    /// Watches `root` itself (not recursively) and reports to `tx`; the source folders are
    /// added by [`Watcher::add_new_dirs`].
    pub(super) fn new(root: &Path, tx: Sender<Msg>) -> Result<Watcher, Error> {
        let handler = move |res: notify::Result<notify::Event>| {
            let msg = match res {
                // Reads are not changes: inotify reports every open, including the build's
                // own, which would otherwise rebuild forever. A close after writing is kept.
                Ok(e) if is_read(&e.kind) => return,
                Ok(e) => Msg::Files(e.paths),
                Err(e) => Msg::WatchError(e.to_string()),
            };
            let _ = tx.send(msg);
        };
        let watcher = notify::recommended_watcher(handler).map_err(|source| Error::Watch {
            what: "the site".into(),
            source,
        })?;
        let mut w = Watcher {
            watcher,
            watched: BTreeSet::new(),
            failed: BTreeSet::new(),
        };
        // The root itself, not recursively: `site.yaml` is often replaced by a rename, which
        // a watch on the file alone would miss; folders created later show up here too.
        w.watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|source| Error::Watch {
                what: root.display().to_string(),
                source,
            })?;
        Ok(w)
    }

    /// Starts watching source folders that did not exist before, or that were replaced (a
    /// folder deleted and created again, as a branch switch may do, loses its watch).
    /// Returns the problems not reported before.
    pub(super) fn add_new_dirs(&mut self, root: &Path) -> Vec<String> {
        let mut problems = Vec::new();
        for d in WATCHED_DIRS {
            let p = root.join(d);
            if !p.is_dir() {
                if self.watched.remove(&p) {
                    let _ = self.watcher.unwatch(&p);
                }
                self.failed.remove(&p);
                continue;
            }
            if self.watched.contains(&p) {
                continue;
            }
            match self.watcher.watch(&p, RecursiveMode::Recursive) {
                Ok(()) => {
                    self.failed.remove(&p);
                    self.watched.insert(p);
                }
                Err(e) => {
                    if self.failed.insert(p) {
                        problems.push(format!(
                            "cannot watch {d}/ ({e}); edits there will not rebuild the site \
                             (on Linux, raise fs.inotify.max_user_watches)"
                        ));
                    }
                }
            }
        }
        problems
    }
}

fn is_read(kind: &notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, EventKind};
    matches!(kind, EventKind::Access(a) if !matches!(a, AccessKind::Close(AccessMode::Write)))
}

/// The path of a changed file relative to the root, if a change there can change the site.
pub(super) fn relevant(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut comps = rel.components();
    let top = comps.next()?.as_os_str().to_str()?;
    let deeper = comps.next().is_some();
    if !(WATCHED_DIRS.contains(&top) || (top == "site.yaml" && !deeper)) {
        return None;
    }
    let name = rel.file_name()?.to_str()?;
    // Editors' swap, backup and probe files (vim writes `4913` to test a folder).
    let noise = name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913";
    if noise {
        return None;
    }
    Some(rel.to_string_lossy().replace('\\', "/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_source_changes_count() {
        let root = Path::new("/site");
        assert_eq!(
            relevant(root, Path::new("/site/content/incidents/a.md")).as_deref(),
            Some("content/incidents/a.md")
        );
        // A translation file is content like its record (issue 17).
        assert_eq!(
            relevant(root, Path::new("/site/content/groups/jnim.fr.md")).as_deref(),
            Some("content/groups/jnim.fr.md")
        );
        assert_eq!(
            relevant(root, Path::new("/site/site.yaml")).as_deref(),
            Some("site.yaml")
        );
        assert_eq!(relevant(root, Path::new("/site/public/index.html")), None);
        assert_eq!(
            relevant(root, Path::new("/site/content/incidents/.a.md.swp")),
            None
        );
        assert_eq!(
            relevant(root, Path::new("/site/content/incidents/a.md~")),
            None
        );
        assert_eq!(relevant(root, Path::new("/site/content/4913")), None);
        assert_eq!(relevant(root, Path::new("/elsewhere/content/a.md")), None);
    }
}
