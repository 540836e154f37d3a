//! Publishes the rendered site. The only module that writes to the output directory.
//!
//! Three promises, and how they are kept:
//!
//! - **Only files briefwerk wrote are ever removed.** Beside the output directory `public/`
//!   lives briefwerk's work directory `.public.briefwerk/`, whose `manifest` lists every file
//!   the last build published with its size, mtime and a hash of its bytes. A file counts as
//!   briefwerk's only while it still matches that entry; everything else in the output
//!   directory (a `CNAME`, `photos/`, a `.git`) is carried into every new build untouched. A
//!   non-empty directory without a manifest is refused unless the caller adopts it
//!   (`--force`), and a file of someone else's where the site wants to write is an error.
//! - **Readers see the old site or the new one, never a mix.** Nothing is written into the
//!   live directory. The new site is assembled in a standby tree (`.public.briefwerk/tree/`)
//!   and swapped with the live directory in one `renameat2(RENAME_EXCHANGE)`; where the file
//!   system cannot exchange, two renames (the site is briefly absent, never mixed). A process
//!   killed at any instant leaves the old or the new site; the next build finishes or undoes
//!   what it left (`recover`), and a second build cannot run at the same time (a lock).
//! - **Unchanged files keep their bytes and mtime, and are not read back.** A live file that
//!   still has the size and mtime the manifest gives it is compared by the manifest's hash;
//!   `serve`, which renders again only what an edit can change, carries the other files over
//!   with [`Writer::keep`]. The disk is spared too: the standby tree
//!   is kept between builds as a mirror of the live site made of hard links (no extra space
//!   but its folders). A build links each unchanged file, writes each changed one, swaps, then
//!   brings the retired tree up to date: work proportional to what changed, instead of
//!   deleting and recreating the whole tree, which on ext4 without a journal makes creating
//!   files soon after deleting many quadratic.
//!
//! Nothing follows a symlink: the trees are scanned without following links, writes create
//! new files in folders briefwerk made, and a symlink met where a folder is needed is removed
//! (the link, not its target) in the standby tree, or refused in the live one.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{self, File};
use std::hash::Hasher;
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::render::{OutputFile, Sink};
use crate::site_files::real_path as resolve;

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

/// Writes `files` so that `out` holds exactly them afterwards (besides files that were not
/// briefwerk's, which are kept).
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<WriteStats, Error> {
    let w = Writer::begin(out, false)?;
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

fn check_relative(path: &str) -> Result<(), String> {
    let p = Path::new(path);
    let bad = path.is_empty()
        || p.is_absolute()
        || path.chars().any(char::is_control)
        || p.components().any(|c| match c {
            Component::Normal(n) => n.eq_ignore_ascii_case(".git"),
            _ => true,
        });
    if bad {
        return Err(format!(
            "refusing to write `{}`: not a plain path inside the output directory",
            path.escape_debug()
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// What is on disk
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dir,
    File,
    /// A symlink, socket, FIFO or device: never followed, never opened.
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    kind: Kind,
    /// Inode number (0 where the platform has none: then files are never taken as linked).
    ino: u64,
    /// For a folder of the live site a commit remembers: its modification and change times
    /// right after the switch (see [`Published`]); zero otherwise.
    stamp: Stamp,
}

/// A folder's modification and change times (ns). Adding, removing or renaming an entry in a
/// folder sets both to the current time, and nobody can set the change time back, so a
/// folder whose stamp and inode are as recorded holds the entries it held then.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Stamp {
    mtime: i128,
    ctime: i128,
}

impl Entry {
    fn file(ino: u64) -> Entry {
        Entry {
            kind: Kind::File,
            ino,
            stamp: Stamp::default(),
        }
    }

    fn dir() -> Entry {
        Entry {
            kind: Kind::Dir,
            ino: 0,
            stamp: Stamp::default(),
        }
    }

    /// Whether this stamped folder is the folder `e` recorded, with the same entries.
    fn same_folder(&self, e: &Entry) -> bool {
        self.ino == e.ino && self.stamp == e.stamp
    }

    /// A folder as the metadata `m` shows it now.
    fn stamped(m: &fs::Metadata) -> Entry {
        Entry {
            kind: Kind::Dir,
            ino: meta_ino(m),
            stamp: Stamp {
                mtime: mtime_ns(m),
                ctime: ctime_ns(m),
            },
        }
    }
}

/// Every entry under a folder by relative path (sorted: a folder comes right before what it
/// holds), found without following symlinks. `.git` folders are listed but never entered.
#[derive(Debug, Default)]
struct Tree(BTreeMap<PathBuf, Entry>);

impl Tree {
    fn scan(dir: &Path) -> Result<Tree, Error> {
        let mut map = BTreeMap::new();
        let mut it = walkdir::WalkDir::new(dir).min_depth(1).into_iter();
        while let Some(e) = it.next() {
            let e = e.map_err(|e| {
                let path = e.path().unwrap_or(dir).to_path_buf();
                Error::io(path, e.into())
            })?;
            let ft = e.file_type();
            let kind = if ft.is_dir() {
                Kind::Dir
            } else if ft.is_file() {
                Kind::File
            } else {
                Kind::Other
            };
            if kind == Kind::Dir && e.file_name().eq_ignore_ascii_case(".git") {
                it.skip_current_dir();
            }
            let Ok(rel) = e.path().strip_prefix(dir) else {
                continue;
            };
            map.insert(
                rel.to_path_buf(),
                Entry {
                    kind,
                    ino: entry_ino(&e),
                    stamp: Stamp::default(),
                },
            );
        }
        Ok(Tree(map))
    }

    fn get(&self, rel: &Path) -> Option<Entry> {
        self.0.get(rel).copied()
    }

    /// The entries under the folder `dir`.
    fn under<'a>(&'a self, dir: &'a Path) -> impl Iterator<Item = (&'a PathBuf, &'a Entry)> {
        self.0
            .range::<Path, _>((std::ops::Bound::Excluded(dir), std::ops::Bound::Unbounded))
            .take_while(move |(p, _)| p.starts_with(dir))
    }
}

#[cfg(unix)]
fn entry_ino(e: &walkdir::DirEntry) -> u64 {
    walkdir::DirEntryExt::ino(e)
}

#[cfg(not(unix))]
fn entry_ino(_: &walkdir::DirEntry) -> u64 {
    0
}

#[cfg(unix)]
fn meta_ino(m: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(m)
}

#[cfg(not(unix))]
fn meta_ino(_: &fs::Metadata) -> u64 {
    0
}

#[cfg(unix)]
fn ctime_ns(m: &fs::Metadata) -> i128 {
    use std::os::unix::fs::MetadataExt;
    i128::from(m.ctime()) * 1_000_000_000 + i128::from(m.ctime_nsec())
}

/// Without a change time, the modification time alone (which a user could set back).
#[cfg(not(unix))]
fn ctime_ns(_: &fs::Metadata) -> i128 {
    0
}

#[cfg(unix)]
fn same_device(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    std::os::unix::fs::MetadataExt::dev(a) == std::os::unix::fs::MetadataExt::dev(b)
}

#[cfg(not(unix))]
fn same_device(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    true
}

/// Reads a file without following a symlink in its last component.
fn read_nofollow(path: &Path) -> io::Result<Vec<u8>> {
    let mut o = fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    let mut f = o.open(path)?;
    let mut buf = Vec::new();
    f.read_to_end(&mut buf)?;
    Ok(buf)
}

fn mtime_ns(m: &fs::Metadata) -> i128 {
    match m.modified() {
        Ok(t) => match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        },
        Err(_) => 0,
    }
}

/// SipHash-1-3 with fixed keys: stable across versions (the manifest outlives a binary) and
/// fast; not meant to resist forgery (a forged match only makes a file count as ours when
/// its bytes equal what briefwerk wrote there).
fn hash(bytes: &[u8]) -> u64 {
    let mut h =
        siphasher::sip::SipHasher13::new_with_keys(0x6272_6965_6677_6572, 0x6b2d_6f75_7470_7574);
    h.write(bytes);
    h.finish()
}

// ---------------------------------------------------------------------------------------
// The manifest
// ---------------------------------------------------------------------------------------

const MANIFEST_HEADER: &str = "briefwerk output manifest 1";

/// Proof that a file is the one briefwerk wrote: size and mtime (cheap), or size and hash
/// (when a copy or a checkout changed the mtime but not the bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Proof {
    size: u64,
    mtime: i128,
    hash: u64,
}

/// What the last build published, by output path. A path may carry two proofs while a
/// switch is under way (the old file's and the new one's).
#[derive(Debug, Default)]
struct Manifest(HashMap<String, Vec<Proof>>);

impl Manifest {
    fn read(path: &Path) -> Result<Option<Manifest>, Error> {
        let text = match fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(path, e)),
        };
        let mut lines = text.lines();
        if lines.next() != Some(MANIFEST_HEADER) {
            return Ok(None);
        }
        let mut map: HashMap<String, Vec<Proof>> = HashMap::new();
        for line in lines {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let mut it = line.splitn(4, ' ');
            let (Some(size), Some(mtime), Some(h), Some(p)) =
                (it.next(), it.next(), it.next(), it.next())
            else {
                return Ok(None);
            };
            let (Ok(size), Ok(mtime), Ok(hash)) = (
                size.parse::<u64>(),
                mtime.parse::<i128>(),
                u64::from_str_radix(h, 16),
            ) else {
                return Ok(None);
            };
            map.entry(p.to_string())
                .or_default()
                .push(Proof { size, mtime, hash });
        }
        Ok(Some(Manifest(map)))
    }

    /// Writes the proofs of `files` (sorted, so the same site gives the same manifest).
    fn write<'a>(
        path: &Path,
        files: impl Iterator<Item = (&'a String, &'a Proof)>,
    ) -> Result<(), Error> {
        let mut rows: Vec<(&String, &Proof)> = files.collect();
        rows.sort_by(|a, b| a.0.cmp(b.0).then(a.1.mtime.cmp(&b.1.mtime)));
        rows.dedup();
        let mut text = String::with_capacity(rows.len() * 64 + 128);
        text.push_str(MANIFEST_HEADER);
        text.push_str(
            "\n# Files briefwerk published into the output directory beside this folder: size,\n\
             # mtime (ns), SipHash-1-3 of the bytes, path. Only files that still match are ever removed.\n",
        );
        for (p, pr) in rows {
            text.push_str(&format!("{} {} {:016x} {p}\n", pr.size, pr.mtime, pr.hash));
        }
        let tmp = path.with_extension("tmp");
        let mut f = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        if let Err(e) = f.write_all(text.as_bytes()) {
            drop(f);
            let _ = fs::remove_file(&tmp);
            return Err(Error::io(&tmp, e));
        }
        drop(f);
        fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
    }

    /// True when the file at `abs` (metadata `m`, bytes if already read) is one briefwerk
    /// published at `rel`.
    fn owns(&self, rel: &str, abs: &Path, m: &fs::Metadata, bytes: Option<&[u8]>) -> bool {
        self.proof(rel, abs, m, bytes).is_some()
    }

    /// The proof of the file at `rel` when it still has the size and mtime briefwerk
    /// published it with (nothing is read).
    fn published(&self, rel: &str, m: &fs::Metadata) -> Option<Proof> {
        let (size, mtime) = (m.len(), mtime_ns(m));
        self.0
            .get(rel)?
            .iter()
            .find(|p| p.size == size && p.mtime == mtime)
            .copied()
    }

    /// The proof that matches the file, if any.
    fn proof(
        &self,
        rel: &str,
        abs: &Path,
        m: &fs::Metadata,
        bytes: Option<&[u8]>,
    ) -> Option<Proof> {
        let proofs = self.0.get(rel)?;
        if !m.is_file() {
            return None;
        }
        let (size, mtime) = (m.len(), mtime_ns(m));
        if let Some(p) = proofs.iter().find(|p| p.size == size && p.mtime == mtime) {
            return Some(*p);
        }
        if !proofs.iter().any(|p| p.size == size) {
            return None;
        }
        let h = match bytes {
            Some(b) => hash(b),
            None => hash(&read_nofollow(abs).ok()?),
        };
        proofs
            .iter()
            .find(|p| p.size == size && p.hash == h)
            .map(|p| Proof { mtime, ..*p })
    }
}

// ---------------------------------------------------------------------------------------
// Faults for tests
// ---------------------------------------------------------------------------------------

/// Faults a test asks for through the environment variable `BRIEFWERK_TEST_FAULT` (never set
/// in normal use), comma-separated: `enospc-after=N` (the write of the (N+1)th file fails
/// half-way with "no space left on device"), `abort-at=STEP` (the process dies on the spot
/// at a step of the commit: `manifest`, `moved`, `half-switched`, `switched`, `synced`), and
/// `no-exchange` (behave as on a file system without `RENAME_EXCHANGE`).
#[derive(Debug, Default, Clone)]
struct Faults {
    enospc_after: Option<usize>,
    abort_at: Option<String>,
    no_exchange: bool,
}

impl Faults {
    fn from_env() -> Faults {
        let mut f = Faults::default();
        let Ok(spec) = std::env::var("BRIEFWERK_TEST_FAULT") else {
            return f;
        };
        for part in spec.split(',').map(str::trim) {
            if let Some(n) = part.strip_prefix("enospc-after=") {
                f.enospc_after = n.parse().ok();
            } else if let Some(s) = part.strip_prefix("abort-at=") {
                f.abort_at = Some(s.to_string());
            } else if part == "no-exchange" {
                f.no_exchange = true;
            }
        }
        f
    }

    /// Dies here when asked to: as abruptly as SIGKILL (no unwinding, no destructors).
    fn step(&self, name: &str) {
        if self.abort_at.as_deref() == Some(name) {
            std::process::abort();
        }
    }
}

// ---------------------------------------------------------------------------------------
// The writer
// ---------------------------------------------------------------------------------------

/// Receives a build's files as they are rendered and publishes them all at once on
/// [`Writer::commit`] (see the module documentation). Dropping a writer without committing
/// leaves the live site as it was and undoes what it staged.
#[derive(Debug)]
pub struct Writer {
    /// The live output directory, resolved.
    out: PathBuf,
    /// `.NAME.briefwerk/` beside it.
    work: PathBuf,
    /// The standby tree, `.NAME.briefwerk/tree`.
    tree: PathBuf,
    /// Held for the writer's life (and, through [`Published`], between `serve`'s builds):
    /// one build at a time per output directory. `None` only once handed on.
    lock: Option<File>,
    force: bool,
    faults: Faults,
    /// What the last build published (empty when nothing was).
    manifest: Manifest,
    /// The folders that hold those files.
    manifest_dirs: HashSet<PathBuf>,
    /// Whether the work directory held a manifest before this build.
    had_manifest: bool,
    /// The live directory as found (`None` when it does not exist).
    live: Option<Tree>,
    /// The standby tree as found.
    standby: Tree,
    /// Standby folders made sure of in this build.
    made: Mutex<HashSet<PathBuf>>,
    state: Mutex<State>,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    /// Files created so far (for `enospc-after`).
    creates: AtomicUsize,
    /// Set once the new site is live: from then on nothing is undone.
    switched: bool,
    /// The trees and manifest are what the last commit left, checked by [`Writer::resume`]
    /// (one stat per live folder) instead of scanned: a kept file is not looked at.
    known: bool,
    /// The standby tree was changed in this build (so an abandoned build must be undone and
    /// the trees scanned again).
    touched: std::sync::atomic::AtomicBool,
    /// A folder the standby tree no longer needs could not be removed (something appeared in
    /// it): the next build scans.
    untidy: bool,
    /// The output directory's stamp, for a resumed writer.
    root: Option<Entry>,
}

/// What a commit knows of the site it published, handed from one `serve` build to the next
/// ([`Writer::commit_and_keep`], [`Writer::resume`]) so that an edit costs work in
/// proportion to what it changed: the manifest, both trees (mirrors of each other, every file
/// linked in both) and a stamp of every live folder taken right after the switch. It holds
/// the output directory's lock all along, so no other build can change the trees meanwhile.
#[derive(Debug)]
pub struct Published {
    out: PathBuf,
    work: PathBuf,
    tree: PathBuf,
    lock: File,
    force: bool,
    manifest: Manifest,
    manifest_dirs: HashSet<PathBuf>,
    /// The live site, its folders stamped.
    live: Tree,
    standby: Tree,
    /// The output directory itself, stamped.
    root: Entry,
}

impl Published {
    /// Whether the live site is still as the commit left it: the output directory and every
    /// folder in it have the inode and stamp recorded (one stat each, nothing read), and the
    /// standby tree is there. A file dropped in, removed or renamed anywhere changes a
    /// folder's stamp; a file changed in place is the same file in both trees.
    fn unchanged(&self) -> bool {
        let same = |abs: &Path, e: &Entry| {
            fs::symlink_metadata(abs).is_ok_and(|m| m.is_dir() && Entry::stamped(&m).same_folder(e))
        };
        same(&self.out, &self.root)
            && fs::symlink_metadata(&self.tree).is_ok_and(|m| m.is_dir())
            && self
                .live
                .0
                .iter()
                .filter(|(_, e)| e.kind == Kind::Dir)
                .all(|(p, e)| same(&self.out.join(p), e))
    }
}

#[derive(Debug, Default)]
struct State {
    /// Every path received, with the proof of what will be published there.
    proofs: HashMap<String, Proof>,
    /// Paths whose standby entry is a file new in this build (not the live one), with its
    /// inode: linked back into the retired tree after the switch, removed if the build fails.
    fresh: Vec<(String, u64)>,
    /// Standby folders created in this build (removed if the build fails).
    new_dirs: Vec<PathBuf>,
    /// Files of someone else's where the site wants to write.
    collisions: Vec<String>,
}

impl Writer {
    /// Prepares to publish into `out`: takes the lock, finishes or undoes what an interrupted
    /// build left, and refuses a non-empty directory briefwerk did not create unless `force`
    /// (then files briefwerk did not write are kept, and replaced only where the site has a
    /// file of the same path). Writes nothing into `out`.
    pub fn begin(out: &Path, force: bool) -> Result<Writer, Error> {
        let faults = Faults::from_env();
        let out = resolve(out).map_err(|e| Error::io(out, e))?;
        let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
            return Err(refusal(&out, "it is a filesystem root", None));
        };
        if out
            .components()
            .any(|c| c.as_os_str().eq_ignore_ascii_case(".git"))
        {
            return Err(refusal(
                &out,
                "it lies inside a `.git` folder",
                Some("build into a folder outside the repository's `.git`"),
            ));
        }
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let work = parent.join(format!(".{}.briefwerk", name.to_string_lossy()));
        let created = open_work(&work)?;
        let opened = Self::open(out.clone(), work.clone(), force, faults);
        if opened.is_err() && created {
            // A refusal leaves nothing behind.
            let _ = fs::remove_dir_all(&work);
        }
        opened
    }

    /// Prepares the next build from what the last commit left ([`Writer::commit_and_keep`]):
    /// when every live folder is as that commit left it, neither tree is scanned and files
    /// carried over with [`Writer::keep`] are not looked at; otherwise (someone dropped a
    /// file in, removed one) it prepares as [`Writer::begin`] does, scanning both trees, so
    /// every promise of the module holds either way.
    pub fn resume(p: Published) -> Result<Writer, Error> {
        let faults = Faults::from_env();
        if !p.unchanged() {
            return Self::load(p.out, p.work, p.lock, p.force, faults);
        }
        Ok(Writer {
            out: p.out,
            work: p.work,
            tree: p.tree,
            lock: Some(p.lock),
            force: p.force,
            faults,
            manifest: p.manifest,
            manifest_dirs: p.manifest_dirs,
            had_manifest: true,
            live: Some(p.live),
            standby: p.standby,
            made: Mutex::default(),
            state: Mutex::default(),
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            creates: AtomicUsize::new(0),
            switched: false,
            known: true,
            touched: Default::default(),
            untidy: false,
            root: Some(p.root),
        })
    }

    /// Gives up this build without publishing (a broken edit), handing on what the writer
    /// knew when it staged nothing; otherwise undoes what it staged (as dropping it does)
    /// and returns `None`.
    pub fn abandon(mut self) -> Option<Published> {
        let st = lock(&self.state);
        let untouched = self.known
            && !self.touched.load(Ordering::Relaxed)
            && st.fresh.is_empty()
            && st.new_dirs.is_empty();
        drop(st);
        if !untouched {
            return None;
        }
        // Nothing in either tree changed: there is nothing for `drop` to undo.
        self.switched = true;
        let root = self.root?;
        let (live, standby) = (self.live.take()?, std::mem::take(&mut self.standby));
        Some(Published {
            out: self.out.clone(),
            work: self.work.clone(),
            tree: self.tree.clone(),
            lock: self.lock.take()?,
            force: self.force,
            manifest: std::mem::take(&mut self.manifest),
            manifest_dirs: std::mem::take(&mut self.manifest_dirs),
            live,
            standby,
            root,
        })
    }

    fn open(out: PathBuf, work: PathBuf, force: bool, faults: Faults) -> Result<Writer, Error> {
        let lock = take_lock(&work, &out)?;
        Self::load(out, work, lock, force, faults)
    }

    /// Prepares to publish with the lock held: recovers, scans both trees, reads the manifest.
    fn load(
        out: PathBuf,
        work: PathBuf,
        lock: File,
        force: bool,
        faults: Faults,
    ) -> Result<Writer, Error> {
        let tree = work.join("tree");
        // The lock is ours, so whoever left these is dead.
        recover(&work, &out, &tree)?;

        let live = match fs::symlink_metadata(&out) {
            Ok(m) if m.is_dir() => {
                let parent = out.parent().unwrap_or(&out);
                let pm = fs::symlink_metadata(parent).map_err(|e| Error::io(parent, e))?;
                if !same_device(&m, &pm) {
                    return Err(refusal(
                        &out,
                        "it is a mount point, and briefwerk publishes by swapping the folder with a new one beside it",
                        Some(
                            "mount the folder above it instead, or build into a folder inside the mount",
                        ),
                    ));
                }
                Some(Tree::scan(&out)?)
            }
            Ok(_) => return Err(refusal(&out, "it is not a folder", None)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(&out, e)),
        };
        let manifest = Manifest::read(&work.join("manifest"))?;
        let had_manifest = manifest.is_some();
        if let Some(t) = &live
            && !t.0.is_empty()
            && manifest.is_none()
            && !force
        {
            return Err(not_ours(&out, t));
        }
        let standby = match fs::symlink_metadata(&tree) {
            Ok(m) if m.is_dir() => Tree::scan(&tree)?,
            Ok(_) => {
                // Not a folder (a symlink planted there?): remove the entry, never its target.
                fs::remove_file(&tree).map_err(|e| Error::io(&tree, e))?;
                fs::create_dir(&tree).map_err(|e| Error::io(&tree, e))?;
                Tree::default()
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir(&tree).map_err(|e| Error::io(&tree, e))?;
                Tree::default()
            }
            Err(e) => return Err(Error::io(&tree, e)),
        };
        let manifest = manifest.unwrap_or_default();
        let manifest_dirs = ancestors(manifest.0.keys().map(Path::new));
        Ok(Writer {
            out,
            work,
            tree,
            lock: Some(lock),
            force,
            faults,
            manifest,
            manifest_dirs,
            had_manifest,
            live,
            standby,
            made: Mutex::default(),
            state: Mutex::default(),
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            creates: AtomicUsize::new(0),
            switched: false,
            known: false,
            touched: Default::default(),
            untidy: false,
            root: None,
        })
    }

    /// True when every file in the live folder `dir` is one briefwerk published.
    fn only_ours_under(&self, dir: &Path) -> bool {
        let Some(live) = &self.live else {
            return true;
        };
        live.under(dir).all(|(p, e)| {
            if e.kind == Kind::Dir {
                return self.manifest_dirs.contains(p);
            }
            {
                let abs = self.out.join(p);
                p.to_str().is_some_and(|r| {
                    fs::symlink_metadata(&abs).is_ok_and(|m| self.manifest.owns(r, &abs, &m, None))
                })
            }
        })
    }

    /// Makes sure the standby folder `dir` (relative) and its parents are real folders.
    fn make_dirs(&self, dir: Option<&Path>) -> Result<(), Error> {
        let Some(dir) = dir.filter(|d| !d.as_os_str().is_empty()) else {
            return Ok(());
        };
        let mut made = lock(&self.made);
        if made.contains(dir) {
            return Ok(());
        }
        let mut cur = PathBuf::new();
        for c in dir.components() {
            cur.push(c.as_os_str());
            if made.contains(&cur) {
                continue;
            }
            let abs = self.tree.join(&cur);
            let create = match fs::symlink_metadata(&abs) {
                Ok(m) if m.is_dir() => false,
                Ok(_) => {
                    fs::remove_file(&abs).map_err(|e| Error::io(&abs, e))?;
                    true
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => true,
                Err(e) => return Err(Error::io(&abs, e)),
            };
            if create {
                fs::create_dir(&abs).map_err(|e| Error::io(&abs, e))?;
                lock(&self.state).new_dirs.push(cur.clone());
            }
            made.insert(cur.clone());
        }
        Ok(())
    }

    /// Creates a new file in the standby tree (never writing into an existing inode, which
    /// may be shared with the live site). On failure nothing is left behind.
    fn create(&self, abs: &Path, bytes: &[u8]) -> Result<fs::Metadata, Error> {
        clear(abs)?;
        let n = self.creates.fetch_add(1, Ordering::Relaxed);
        let mut f = File::create_new(abs).map_err(|e| Error::io(abs, e))?;
        let res = if self.faults.enospc_after.is_some_and(|k| n >= k) {
            f.write_all(&bytes[..bytes.len() / 2]).and_then(|()| {
                Err(io::Error::new(
                    io::ErrorKind::StorageFull,
                    "no space left on device (BRIEFWERK_TEST_FAULT)",
                ))
            })
        } else {
            f.write_all(bytes)
        };
        match res.and_then(|()| f.metadata()) {
            Ok(m) => Ok(m),
            Err(e) => {
                drop(f);
                let _ = fs::remove_file(abs);
                Err(Error::io(abs, e))
            }
        }
    }

    /// Publishes everything received: carries the files that are not briefwerk's into the
    /// new tree, swaps it with the live directory, then updates the retired tree to serve as
    /// the next build's standby.
    pub fn commit(self) -> Result<WriteStats, Error> {
        self.publish(false).map(|(stats, _)| stats)
    }

    /// Publishes like [`Writer::commit`] and hands on what this writer knows of the site it
    /// published, for [`Writer::resume`] (`serve`, between edits). `None` when it cannot vouch
    /// for the trees (files of someone else's in the output, a tidy-up that failed): the next
    /// build then begins afresh.
    pub fn commit_and_keep(self) -> Result<(WriteStats, Option<Published>), Error> {
        self.publish(true)
    }

    fn publish(mut self, keep: bool) -> Result<(WriteStats, Option<Published>), Error> {
        let (proofs, fresh, collisions) = {
            let mut st = lock(&self.state);
            (
                std::mem::take(&mut st.proofs),
                st.fresh.clone(),
                st.collisions.clone(),
            )
        };
        if !collisions.is_empty() {
            return Err(collision_error(&self.out, &collisions));
        }
        let plan = self.plan(&proofs)?;
        self.prepare_and_switch(&proofs, &plan)?;
        // The new site is live. What follows only tidies; a failure there is repaired by
        // the next build, which compares the standby tree with the live one.
        let new_dirs = lock(&self.state).new_dirs.clone();
        if !keep {
            // Kept for `serve`, the manifest written before the switch (old and new files)
            // stays: it is read again only by a later build, which takes either proof.
            let _ = Manifest::write(&self.work.join("manifest"), proofs.iter());
        }
        if keep && self.live.as_ref().is_none_or(|t| t.0.is_empty()) {
            // The first site went live by a rename, taking the standby tree with it: make the
            // mirror now (every file is new, so `resync` links them all) rather than in the
            // next build, so that `serve`'s first edit costs what the later ones do.
            let _ = fs::create_dir(&self.tree);
        }
        let synced = fs::symlink_metadata(&self.tree).is_ok_and(|m| m.is_dir())
            && self.resync(&fresh, &plan);
        self.faults.step("synced");
        let stats = WriteStats {
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
            removed: plan.removed,
        };
        let published = match keep && synced && !self.untidy {
            true => self.remember(proofs, &fresh, new_dirs, plan),
            false => None,
        };
        Ok((stats, published))
    }

    /// What the live site is after a commit that left both trees mirrors of it: the last
    /// live tree with the dropped entries gone and the new ones added, every folder stamped.
    fn remember(
        &mut self,
        proofs: HashMap<String, Proof>,
        fresh: &[(String, u64)],
        new_dirs: Vec<PathBuf>,
        plan: Plan,
    ) -> Option<Published> {
        if !plan.carry_files.is_empty() || !plan.carry_dirs.is_empty() {
            // Someone else's entries move or link differently each build: scan.
            return None;
        }
        let mut tree = self.live.take().unwrap_or_default();
        for p in &plan.drop {
            tree.0.remove(p);
        }
        for d in &plan.old_dirs {
            if !plan.need_dirs.contains(d) {
                tree.0.remove(d);
            }
        }
        for d in new_dirs {
            tree.0.insert(d, Entry::dir());
        }
        for (p, ino) in fresh {
            tree.0.insert(PathBuf::from(p), Entry::file(*ino));
        }
        // Exactly the site's files and folders, or the record went wrong somewhere: scan.
        if tree.0.len() != proofs.len() + plan.need_dirs.len() {
            return None;
        }
        let standby = Tree(tree.0.clone());
        for (p, e) in tree.0.iter_mut() {
            if e.kind == Kind::Dir {
                let m = fs::symlink_metadata(self.out.join(p)).ok()?;
                if !m.is_dir() {
                    return None;
                }
                *e = Entry::stamped(&m);
            } else if !proofs.contains_key(p.to_str()?) {
                return None;
            }
        }
        let root = fs::symlink_metadata(&self.out).ok()?;
        let manifest = Manifest(proofs.into_iter().map(|(p, v)| (p, vec![v])).collect());
        Some(Published {
            out: self.out.clone(),
            work: self.work.clone(),
            tree: self.tree.clone(),
            lock: self.lock.take()?,
            force: self.force,
            manifest,
            manifest_dirs: plan.need_dirs,
            live: tree,
            standby,
            root: Entry::stamped(&root),
        })
    }

    /// Sorts every entry of the live directory into: kept as the new site's, carried over as
    /// someone else's, or dropped (briefwerk's and no longer produced).
    fn plan(&self, proofs: &HashMap<String, Proof>) -> Result<Plan, Error> {
        let mut plan = Plan {
            need_dirs: ancestors(proofs.keys().map(Path::new)),
            ..Plan::default()
        };
        let Some(live) = &self.live else {
            return Ok(plan);
        };
        let mut collisions = Vec::new();
        let mut carried_dir: Option<&PathBuf> = None;
        for p in live.0.keys() {
            if carried_dir.is_some_and(|d| p.starts_with(d)) {
                continue;
            }
            let e = live.0[p];
            let rel = p.to_str();
            let in_new = rel.is_some_and(|r| proofs.contains_key(r));
            if in_new {
                // `put` decided (and refused a folder in the way).
                continue;
            }
            if e.kind == Kind::Dir {
                if plan.need_dirs.contains(p) || self.manifest_dirs.contains(p) {
                    plan.old_dirs.push(p.clone());
                    continue;
                }
                plan.carry_dirs.push(p.clone());
                carried_dir = Some(p);
                continue;
            }
            let abs = self.out.join(p);
            let ours = rel.is_some_and(|r| {
                fs::symlink_metadata(&abs).is_ok_and(|m| self.manifest.owns(r, &abs, &m, None))
            });
            if ours {
                plan.drop.push(p.clone());
                plan.removed += 1;
            } else if plan.need_dirs.contains(p) {
                if self.force {
                    plan.drop.push(p.clone());
                } else {
                    collisions.push(p.to_string_lossy().into_owned());
                }
            } else {
                plan.carry_files.push(p.clone());
            }
        }
        if !collisions.is_empty() {
            return Err(collision_error(&self.out, &collisions));
        }
        plan.keep_dirs = ancestors(
            plan.carry_files
                .iter()
                .chain(&plan.carry_dirs)
                .map(PathBuf::as_path),
        );
        Ok(plan)
    }

    /// Everything up to and including the switch. On error the live site is as it was.
    fn prepare_and_switch(
        &mut self,
        proofs: &HashMap<String, Proof>,
        plan: &Plan,
    ) -> Result<(), Error> {
        // Someone else's files go into the new tree as hard links: the same file, so they
        // stay in the live site throughout. Where a link is impossible they move at the switch.
        let mut moves: Vec<PathBuf> = plan.carry_dirs.clone();
        for p in &plan.carry_files {
            self.make_dirs(p.parent())?;
            let (src, dst) = (self.out.join(p), self.tree.join(p));
            let already = match (
                self.live.as_ref().and_then(|t| t.get(p)),
                self.standby.get(p),
            ) {
                (Some(l), Some(s)) => l.ino != 0 && l.ino == s.ino,
                _ => false,
            };
            if already {
                continue;
            }
            clear(&dst)?;
            if fs::hard_link(&src, &dst).is_err() {
                moves.push(p.clone());
            }
        }
        for p in &plan.carry_dirs {
            self.make_dirs(p.parent())?;
            clear(&self.tree.join(p))?;
        }
        // What the standby tree holds that the new site does not need goes.
        let carry_set: HashSet<&PathBuf> = plan.carry_files.iter().collect();
        let mut removed_dir: Option<&PathBuf> = None;
        // A resumed writer removes only entries it knows of: a folder that still holds
        // something it does not know stays, and the next build scans.
        let mut emptied: Vec<&PathBuf> = Vec::new();
        for p in self.standby.0.keys() {
            if removed_dir.is_some_and(|d| p.starts_with(d)) {
                continue;
            }
            let is_wanted = p.to_str().is_some_and(|r| proofs.contains_key(r))
                || plan.need_dirs.contains(p.as_path())
                || plan.keep_dirs.contains(p.as_path())
                || carry_set.contains(p);
            if is_wanted {
                continue;
            }
            let abs = self.tree.join(p);
            if self.standby.0[p].kind == Kind::Dir && self.known {
                // Its files are listed too and go one by one; the folder goes once empty.
                emptied.push(p);
            } else if self.standby.0[p].kind == Kind::Dir {
                removed_dir = Some(p);
                match fs::remove_dir_all(&abs) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(Error::io(&abs, e)),
                }
            } else {
                match fs::remove_file(&abs) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(Error::io(&abs, e)),
                }
            }
        }
        emptied.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        let untidy = emptied
            .into_iter()
            .fold(false, |u, d| u | !gone(fs::remove_dir(self.tree.join(d))));
        self.untidy |= untidy;

        // The manifest names both the old and the new files until the switch is done, so
        // that whichever site a crash leaves live, its files are known as briefwerk's.
        let union = self
            .manifest
            .0
            .iter()
            .flat_map(|(p, v)| v.iter().map(move |pr| (p, pr)))
            .chain(proofs.iter());
        Manifest::write(&self.work.join("manifest"), union)?;
        self.faults.step("manifest");

        if !moves.is_empty() {
            let journal = self.work.join("moving");
            let mut text = String::new();
            for m in &moves {
                // Paths of someone else's may hold anything but a newline (one per line).
                let s = m.to_string_lossy();
                if s.contains('\n') || m.to_str().is_none() {
                    return Err(Error::Foreign {
                        why: format!(
                            "cannot carry {} into the new site: its name is not plain UTF-8 text on one line",
                            self.out.join(m).display()
                        ),
                        path: self.out.join(m),
                    });
                }
                text.push_str(&s);
                text.push('\n');
            }
            fs::write(&journal, text).map_err(|e| Error::io(&journal, e))?;
            for m in &moves {
                if let Err(e) = fs::rename(self.out.join(m), self.tree.join(m)) {
                    let _ = recover_moves(&self.work, &self.out, &self.tree);
                    return Err(Error::io(self.out.join(m), e));
                }
            }
            self.faults.step("moved");
        }

        // Into a missing or empty folder a rename is enough (it replaces an empty folder).
        let empty = self.live.as_ref().is_none_or(|t| t.0.is_empty());
        let result = if !empty {
            switch(&self.out, &self.tree, &self.work, &self.faults)
        } else {
            fs::rename(&self.tree, &self.out).map_err(|e| Error::io(&self.out, e))
        };
        if let Err(e) = result {
            let _ = recover_moves(&self.work, &self.out, &self.tree);
            return Err(e);
        }
        self.switched = true;
        self.faults.step("switched");
        let _ = fs::remove_file(self.work.join("moving"));
        Ok(())
    }

    /// After the switch the standby path holds the retired site: link the new and changed
    /// files into it and remove what the new site dropped, so that it mirrors the live site
    /// again and the next build starts from there. Best effort: the next build checks.
    /// Returns whether the retired tree is a mirror of the live site again.
    fn resync(&mut self, fresh: &[(String, u64)], plan: &Plan) -> bool {
        lock(&self.made).clear();
        lock(&self.state).new_dirs.clear();
        let mut mirror = true;
        for (p, _) in fresh {
            let rel = Path::new(p);
            if self.make_dirs(rel.parent()).is_err() {
                mirror = false;
                continue;
            }
            let dst = self.tree.join(rel);
            mirror &= clear(&dst).is_ok() && fs::hard_link(self.out.join(rel), &dst).is_ok();
        }
        for p in &plan.drop {
            mirror &= gone(fs::remove_file(self.tree.join(p)));
        }
        // Folders of the old site the new one no longer has, deepest first; one that is not
        // empty (something appeared during the build) stays.
        let mut old: Vec<&PathBuf> = plan
            .old_dirs
            .iter()
            .filter(|d| !plan.need_dirs.contains(*d) && !plan.keep_dirs.contains(*d))
            .collect();
        old.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for d in old {
            mirror &= gone(fs::remove_dir(self.tree.join(d)));
        }
        mirror
    }
}

/// How the live directory's entries are sorted out at commit.
#[derive(Debug, Default)]
struct Plan {
    /// Every folder the new site has.
    need_dirs: HashSet<PathBuf>,
    /// Folders kept because they hold someone else's entries.
    keep_dirs: HashSet<PathBuf>,
    /// Folders of the old site that are, or were, briefwerk's.
    old_dirs: Vec<PathBuf>,
    /// Entries that are not briefwerk's, carried into the new site.
    carry_files: Vec<PathBuf>,
    carry_dirs: Vec<PathBuf>,
    /// Live files the new site drops.
    drop: Vec<PathBuf>,
    /// How many of those were briefwerk's stale files.
    removed: usize,
}

impl Sink for Writer {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        self.reserve(&file.path)?;
        let rel = Path::new(&file.path);
        let live_entry = self.live.as_ref().and_then(|t| t.get(rel));
        let lpath = self.out.join(rel);
        let live = self.compare_live(&file.path, &file.bytes, live_entry, &lpath);
        if let Some(e) = live_entry
            && !live.same
            && self.in_the_way(&file.path, e, &lpath, &live)
        {
            lock(&self.state).collisions.push(file.path.clone());
            return Ok(());
        }
        let (proof, fresh) = match (live.same, live_entry, &live.meta) {
            (true, Some(e), Some(m)) => {
                let hash = self
                    .manifest
                    .proof(&file.path, &lpath, m, Some(&file.bytes))
                    .map_or_else(|| hash(&file.bytes), |p| p.hash);
                let proof = Proof {
                    size: m.len(),
                    mtime: mtime_ns(m),
                    hash,
                };
                self.link_unchanged(rel, e, &lpath, proof, Some(&file.bytes))?
            }
            _ => self.stage_new(rel, live_entry, &file.bytes)?,
        };
        self.record(file.path, proof, fresh);
        Ok(())
    }
}

/// The live file at a path, as [`Writer::compare_live`] found it.
#[derive(Debug, Default)]
struct LiveFile {
    /// Its metadata, when it is a plain file (found without following a link).
    meta: Option<fs::Metadata>,
    /// Its bytes, when they had to be read.
    bytes: Option<Vec<u8>>,
    /// Whether it already holds the new bytes.
    same: bool,
}

impl Writer {
    /// Reserves `rel` for one file of the new site, so that a second file of the same path
    /// is an error at once.
    fn reserve(&self, rel: &str) -> Result<(), Error> {
        check_relative(rel).map_err(Error::Output)?;
        let mut st = lock(&self.state);
        if st.proofs.contains_key(rel) {
            return Err(Error::Output(format!(
                "two outputs want the same path `{rel}`"
            )));
        }
        let none = Proof {
            size: 0,
            mtime: 0,
            hash: 0,
        };
        st.proofs.insert(rel.to_string(), none);
        Ok(())
    }

    /// Records what will be published at `rel`, and whether the standby file is new in this
    /// build (`fresh`: linked back into the retired tree after the switch).
    /// `fresh` is the inode of a standby file new in this build.
    fn record(&self, rel: String, proof: Proof, fresh: Option<u64>) {
        let mut st = lock(&self.state);
        st.proofs.insert(rel.clone(), proof);
        if let Some(ino) = fresh {
            st.fresh.push((rel, ino));
        }
    }

    /// Whether the live file at `lpath` already holds `bytes`. A file that still has the size
    /// and mtime the manifest gives it is decided by the manifest's hash, without reading it
    /// back; any other is read. Only a plain file found without following a link is looked at.
    fn compare_live(&self, rel: &str, bytes: &[u8], e: Option<Entry>, lpath: &Path) -> LiveFile {
        if !e.is_some_and(|e| e.kind == Kind::File) {
            return LiveFile::default();
        }
        let Some(m) = fs::symlink_metadata(lpath)
            .ok()
            .filter(fs::Metadata::is_file)
        else {
            return LiveFile::default();
        };
        if m.len() != bytes.len() as u64 {
            return LiveFile {
                meta: Some(m),
                ..LiveFile::default()
            };
        }
        if let Some(p) = self.manifest.published(rel, &m) {
            return LiveFile {
                meta: Some(m),
                bytes: None,
                same: p.hash == hash(bytes),
            };
        }
        let read = read_nofollow(lpath).ok();
        LiveFile {
            same: read.as_deref() == Some(bytes),
            meta: Some(m),
            bytes: read,
        }
    }

    /// Whether the live entry `e` at `rel` keeps the new file out: someone else's file
    /// (unless adopting), or a folder holding anything but briefwerk's own stale files.
    fn in_the_way(&self, rel: &str, e: Entry, lpath: &Path, live: &LiveFile) -> bool {
        if e.kind == Kind::Dir {
            return !self.only_ours_under(Path::new(rel));
        }
        let ours = live
            .meta
            .as_ref()
            .is_some_and(|m| self.manifest.owns(rel, lpath, m, live.bytes.as_deref()));
        !ours && !self.force
    }

    /// Puts the unchanged live file at `rel` (proven by `proof`) into the standby tree: a hard
    /// link to it (same inode, bytes and mtime), or a copy where no link is possible. Returns
    /// the proof of what will be published and whether the standby file is new.
    fn link_unchanged(
        &self,
        rel: &Path,
        live: Entry,
        lpath: &Path,
        proof: Proof,
        bytes: Option<&[u8]>,
    ) -> Result<(Proof, Option<u64>), Error> {
        self.unchanged.fetch_add(1, Ordering::Relaxed);
        let linked = self
            .standby
            .get(rel)
            .is_some_and(|s| s.kind == Kind::File && live.ino != 0 && live.ino == s.ino);
        if linked {
            // Already the same file in both trees: nothing to look at or write.
            return Ok((proof, None));
        }
        self.make_dirs(rel.parent())?;
        let spath = self.tree.join(rel);
        self.touched.store(true, Ordering::Relaxed);
        clear(&spath)?;
        if fs::hard_link(lpath, &spath).is_ok() {
            return Ok((proof, None));
        }
        // No link possible (another file system under a mount, a link limit): a copy, which
        // loses only the mtime.
        let read;
        let bytes = match bytes {
            Some(b) => b,
            None => {
                read = read_nofollow(lpath).map_err(|e| Error::io(lpath, e))?;
                &read
            }
        };
        let m = self.create(&spath, bytes)?;
        Ok((
            Proof {
                mtime: mtime_ns(&m),
                ..proof
            },
            Some(meta_ino(&m)),
        ))
    }

    /// Stages `bytes` as the new file at `rel`: a new file in the standby tree, or the one an
    /// interrupted or failed build left there with these very bytes.
    fn stage_new(
        &self,
        rel: &Path,
        live: Option<Entry>,
        bytes: &[u8],
    ) -> Result<(Proof, Option<u64>), Error> {
        self.make_dirs(rel.parent())?;
        let spath = self.tree.join(rel);
        self.touched.store(true, Ordering::Relaxed);
        // A file of its own in the standby tree, not a link to the live one.
        let kept = self.standby.get(rel).filter(|s| {
            s.kind == Kind::File && !live.is_some_and(|l| l.ino != 0 && l.ino == s.ino)
        });
        let kept = kept.and_then(|_| {
            let m = fs::symlink_metadata(&spath).ok()?;
            (m.is_file() && m.len() == bytes.len() as u64).then_some(())?;
            (read_nofollow(&spath).ok()? == bytes).then_some(m)
        });
        let m = match kept {
            Some(m) => m,
            None => self.create(&spath, bytes)?,
        };
        self.written.fetch_add(1, Ordering::Relaxed);
        let proof = Proof {
            size: m.len(),
            mtime: mtime_ns(&m),
            hash: hash(bytes),
        };
        Ok((proof, Some(meta_ino(&m))))
    }

    /// Carries the file briefwerk published at `rel` into the new site as it is, without
    /// being handed its bytes: for a caller that knows it cannot have changed (`serve`
    /// renders again only the pages an edit can change). An error unless the live file is
    /// one the manifest proves briefwerk's; the caller then drops the writer and renders
    /// everything. A resumed writer takes the last commit's word for it (its folders are as
    /// that commit left them, so the file is the one it published, linked in both trees):
    /// nothing is looked at.
    pub fn keep(&self, rel: &str) -> Result<(), Error> {
        self.reserve(rel)?;
        let path = Path::new(rel);
        let lpath = self.out.join(path);
        let live = self
            .live
            .as_ref()
            .and_then(|t| t.get(path))
            .filter(|e| e.kind == Kind::File);
        let proof = live.and_then(|_| {
            if self.known {
                return self.manifest.0.get(rel).and_then(|v| v.first()).copied();
            }
            let m = fs::symlink_metadata(&lpath)
                .ok()
                .filter(fs::Metadata::is_file)?;
            self.manifest.proof(rel, &lpath, &m, None)
        });
        let (Some(live), Some(proof)) = (live, proof) else {
            return Err(Error::Output(format!(
                "`{rel}` was not rendered again and the output holds no file briefwerk wrote there"
            )));
        };
        let (proof, fresh) = self.link_unchanged(path, live, &lpath, proof, None)?;
        self.record(rel.to_string(), proof, fresh);
        Ok(())
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        if self.switched || self.work.join("moving").exists() {
            // Published, or someone else's folders still to move back: the next build's
            // recovery needs the work directory as it is.
            return;
        }
        if !self.had_manifest {
            // Nothing was ever published from here: the whole work directory goes.
            let _ = fs::remove_dir_all(&self.work);
            return;
        }
        // Keep the standby tree a mirror of the live site: remove what this build staged.
        let st = std::mem::take(&mut *lock(&self.state));
        for (p, _) in &st.fresh {
            let _ = fs::remove_file(self.tree.join(p));
        }
        for d in st.new_dirs.iter().rev() {
            let _ = fs::remove_dir(self.tree.join(d));
        }
        // An empty standby tree is made again when needed.
        let _ = fs::remove_dir(&self.tree);
    }
}

/// Takes the work directory's lock: one build at a time per output directory.
fn take_lock(work: &Path, out: &Path) -> Result<File, Error> {
    let lock_path = work.join("lock");
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| Error::io(&lock_path, e))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            let pid = fs::read_to_string(&lock_path).unwrap_or_default();
            return Err(Error::Busy {
                pid: pid.trim().to_string(),
                out: out.to_path_buf(),
            });
        }
        Err(fs::TryLockError::Error(e)) => return Err(Error::io(&lock_path, e)),
    }
    // Who holds it, for the message above (the lock itself is what counts).
    let _ = lock.set_len(0);
    let _ = (&lock).write_all(format!("{}\n", std::process::id()).as_bytes());
    Ok(lock)
}

/// Every folder that holds one of `paths` (relative), at any depth.
fn ancestors<'a>(paths: impl Iterator<Item = &'a Path>) -> HashSet<PathBuf> {
    let mut set = HashSet::new();
    for p in paths {
        let mut a = p.parent();
        while let Some(d) = a.filter(|d| !d.as_os_str().is_empty()) {
            if !set.insert(d.to_path_buf()) {
                break;
            }
            a = d.parent();
        }
    }
    set
}

/// Whether a removal left nothing there (done, or nothing to remove).
fn gone(r: io::Result<()>) -> bool {
    r.is_ok() || r.is_err_and(|e| e.kind() == io::ErrorKind::NotFound)
}

/// Removes whatever is at `abs` in the standby tree (a symlink itself, never its target).
fn clear(abs: &Path) -> Result<(), Error> {
    match fs::symlink_metadata(abs) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(abs).map_err(|e| Error::io(abs, e)),
        Ok(_) => fs::remove_file(abs).map_err(|e| Error::io(abs, e)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(abs, e)),
    }
}

/// Creates the work directory (true) or checks that the one there is a real folder.
fn open_work(work: &Path) -> Result<bool, Error> {
    let mut created = false;
    match fs::symlink_metadata(work) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(Error::Foreign {
                why: format!(
                    "{} is not a folder (a symlink?); briefwerk keeps its work files there: remove it",
                    work.display()
                ),
                path: work.to_path_buf(),
            });
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir(work).map_err(|e| Error::io(work, e))?;
            created = true;
        }
        Err(e) => return Err(Error::io(work, e)),
    }
    // git ignores a folder whose own .gitignore says `*`, so the work directory never shows
    // up as untracked next to an ignored `public/`.
    let ignore = work.join(".gitignore");
    if !ignore.exists() {
        fs::write(
            &ignore,
            "# briefwerk's work files for the output directory beside this one.\n*\n",
        )
        .map_err(|e| Error::io(&ignore, e))?;
    }
    Ok(created)
}

/// Swaps the live directory and the standby tree in one step; where the file system cannot,
/// in three renames through `work/old` (the site is briefly absent, never mixed).
fn switch(out: &Path, tree: &Path, work: &Path, faults: &Faults) -> Result<(), Error> {
    if !faults.no_exchange {
        match exchange(out, tree) {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            Err(e) => return Err(Error::io(out, e)),
        }
    }
    let old = work.join("old");
    fs::rename(out, &old).map_err(|e| Error::io(out, e))?;
    faults.step("half-switched");
    if let Err(e) = fs::rename(tree, out) {
        let _ = fs::rename(&old, out);
        return Err(Error::io(out, e));
    }
    let _ = fs::rename(&old, tree);
    Ok(())
}

/// `renameat2(a, b, RENAME_EXCHANGE)`: `Ok(false)` when the system or file system has none.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e) if e == Errno::INVAL || e == Errno::NOSYS || e == Errno::NOTSUP => Ok(false),
        Err(e) => Err(io::Error::from(e)),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Finishes or undoes what a build killed during its commit left (called with the lock held,
/// so that build is dead): a half-done fallback switch is completed, and folders of someone
/// else's moved into the standby tree go back where they were.
fn recover(work: &Path, out: &Path, tree: &Path) -> Result<(), Error> {
    let old = work.join("old");
    if fs::symlink_metadata(&old).is_ok() {
        // `old` is the previous site, `tree` the complete new one (the switch only starts
        // once every file is written).
        if fs::symlink_metadata(out).is_err() && fs::symlink_metadata(tree).is_ok() {
            fs::rename(tree, out).map_err(|e| Error::io(out, e))?;
        }
        if fs::symlink_metadata(tree).is_err() {
            fs::rename(&old, tree).map_err(|e| Error::io(tree, e))?;
        } else {
            fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        }
    }
    recover_moves(work, out, tree)
}

/// Moves back into the live directory every journaled entry that is in the standby tree
/// and missing from the live one.
fn recover_moves(work: &Path, out: &Path, tree: &Path) -> Result<(), Error> {
    let journal = work.join("moving");
    let text = match fs::read_to_string(&journal) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(&journal, e)),
    };
    for line in text.lines().filter(|l| !l.is_empty()) {
        let (from, to) = (tree.join(line), out.join(line));
        if fs::symlink_metadata(&from).is_ok() && fs::symlink_metadata(&to).is_err() {
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            fs::rename(&from, &to).map_err(|e| Error::io(&to, e))?;
        }
    }
    fs::remove_file(&journal).map_err(|e| Error::io(&journal, e))
}

fn refusal(out: &Path, why: &str, help: Option<&str>) -> Error {
    let mut d = Diagnostic::error(
        "unsafe-output",
        format!("refusing to build into `{}`: {why}", out.display()),
    );
    if let Some(h) = help {
        d = d.help(h);
    }
    let mut ds = Diagnostics::default();
    ds.push(d);
    Error::Invalid(ds)
}

fn not_ours(out: &Path, live: &Tree) -> Error {
    let mut top: Vec<String> = live
        .0
        .iter()
        .filter(|(p, _)| p.components().count() == 1)
        .map(|(p, e)| {
            let s = p.to_string_lossy().into_owned();
            if e.kind == Kind::Dir { s + "/" } else { s }
        })
        .collect();
    top.sort();
    let n = top.len();
    let shown = top.iter().take(5).cloned().collect::<Vec<_>>().join("`, `");
    let more = if n > 5 {
        format!(" and {} more", n - 5)
    } else {
        String::new()
    };
    refusal(
        out,
        &format!("it is not empty and briefwerk did not create it (it holds `{shown}`{more})"),
        Some(
            "build into a new or empty folder, or pass `--force` to publish into this one: briefwerk then \
             writes its own files, keeps every other file and never touches `.git`",
        ),
    )
}

fn collision_error(out: &Path, paths: &[String]) -> Error {
    let mut sorted = paths.to_vec();
    sorted.sort();
    let mut ds = Diagnostics::default();
    for p in sorted.iter().take(20) {
        ds.push(
            Diagnostic::error(
                "unsafe-output",
                format!(
                    "`{}` is in the way: briefwerk did not write it and the site needs this path",
                    out.join(p).display()
                ),
            )
            .help(
                "move it out of the output folder (or, for a file, pass `--force` to replace it)",
            ),
        );
    }
    if sorted.len() > 20 {
        ds.push(Diagnostic::error(
            "unsafe-output",
            format!("{} more paths are in the way", sorted.len() - 20),
        ));
    }
    Error::Invalid(ds)
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

    fn listing(dir: &Path) -> Vec<PathBuf> {
        walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap().path().to_path_buf())
            .collect()
    }

    /// `serve` carries the files a partial render did not produce with `keep`: only a file
    /// the manifest proves briefwerk's may be kept, and a kept file stays as it was.
    #[test]
    fn keep_carries_only_files_briefwerk_published() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("o");
        write_site(&out, &[f("index.html", "a"), f("x/index.html", "b")]).unwrap();
        std::fs::write(out.join("CNAME"), "mine").unwrap();
        let w = Writer::begin(&out, false).unwrap();
        assert!(matches!(w.keep("CNAME"), Err(Error::Output(_))));
        assert!(matches!(w.keep("missing.html"), Err(Error::Output(_))));
        drop(w);
        let w = Writer::begin(&out, false).unwrap();
        w.put(f("index.html", "A")).unwrap();
        w.keep("x/index.html").unwrap();
        let s = w.commit().unwrap();
        assert_eq!((s.written, s.unchanged, s.removed), (1, 1, 0));
        assert_eq!(fs::read_to_string(out.join("x/index.html")).unwrap(), "b");
        assert_eq!(fs::read_to_string(out.join("CNAME")).unwrap(), "mine");
        // A file changed behind briefwerk's back (other size) is no longer its to keep.
        fs::write(out.join("x/index.html"), "edited").unwrap();
        let w = Writer::begin(&out, false).unwrap();
        assert!(w.keep("x/index.html").is_err());
    }

    /// `serve` hands what a commit knew to the next build: a resumed writer publishes the
    /// files handed to it, keeps the others without touching them, removes what the site
    /// dropped, and notices a file someone dropped into the output (it is carried over, and
    /// the writer scans again while such a file is there).
    #[cfg(unix)]
    #[test]
    fn a_resumed_writer_touches_only_what_changed() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("o");
        let w = Writer::begin(&out, false).unwrap();
        for file in [f("a.html", "1"), f("x/b.html", "b"), f("y/z/c.html", "c")] {
            w.put(file).unwrap();
        }
        let (_, p) = w.commit_and_keep().unwrap();
        let meta = |p: &str| fs::metadata(out.join(p)).unwrap();
        let (b, c) = (meta("x/b.html"), meta("y/z/c.html"));
        std::thread::sleep(std::time::Duration::from_millis(20));
        let mut p = p.expect("nothing of someone else's: the commit vouches for the trees");
        for round in 0..3 {
            let w = Writer::resume(p).unwrap();
            assert!(
                w.known,
                "round {round}: nothing changed the output, nothing scanned"
            );
            w.put(f("a.html", &format!("a{round}"))).unwrap();
            w.put(f("x/b.html", "b")).unwrap();
            w.keep("y/z/c.html").unwrap();
            let (s, next) = w.commit_and_keep().unwrap();
            assert_eq!((s.written, s.unchanged, s.removed), (1, 2, 0));
            assert_eq!(
                fs::read_to_string(out.join("a.html")).unwrap(),
                format!("a{round}")
            );
            for (path, was) in [("x/b.html", &b), ("y/z/c.html", &c)] {
                let now = meta(path);
                assert_eq!(
                    (now.ino(), now.modified().unwrap()),
                    (was.ino(), was.modified().unwrap())
                );
            }
            p = next.unwrap();
        }
        // The site drops a page and its folder.
        let w = Writer::resume(p).unwrap();
        w.put(f("a.html", "a")).unwrap();
        w.keep("x/b.html").unwrap();
        let (s, p) = w.commit_and_keep().unwrap();
        assert_eq!(s.removed, 1);
        assert!(!out.join("y").exists());
        // Someone drops a file into a folder of the site between two builds.
        fs::write(out.join("x/mine.txt"), "mine").unwrap();
        let w = Writer::resume(p.unwrap()).unwrap();
        assert!(!w.known, "a folder changed: the trees are scanned");
        w.put(f("a.html", "a2")).unwrap();
        w.keep("x/b.html").unwrap();
        let (_, p) = w.commit_and_keep().unwrap();
        assert!(p.is_none(), "someone else's file: the next build scans too");
        assert_eq!(fs::read_to_string(out.join("x/mine.txt")).unwrap(), "mine");
        let w = Writer::begin(&out, false).unwrap();
        w.put(f("a.html", "a3")).unwrap();
        let (s, _) = w.commit_and_keep().unwrap();
        assert_eq!(s.removed, 1, "x/b.html, not x/mine.txt");
        assert_eq!(fs::read_to_string(out.join("x/mine.txt")).unwrap(), "mine");
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
        let before = listing(dir.path());
        {
            let w = Writer::begin(&out, false).unwrap();
            w.put(f("index.html", "changed")).unwrap();
            w.put(f("new/deep/index.html", "n")).unwrap();
            // Dropped without commit, as when a later page fails to render.
        }
        assert_eq!(before, listing(dir.path()));
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "a"
        );
        // A first build abandoned leaves nothing at all.
        let out2 = dir.path().join("fresh");
        {
            let w = Writer::begin(&out2, false).unwrap();
            w.put(f("index.html", "x")).unwrap();
        }
        assert!(!out2.exists());
        assert!(!dir.path().join(".fresh.briefwerk").exists());
    }

    #[test]
    fn the_same_path_twice_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let w = Writer::begin(&dir.path().join("o"), false).unwrap();
        w.put(f("a.html", "1")).unwrap();
        assert!(w.put(f("a.html", "2")).is_err());
    }

    #[test]
    fn refuses_escaping_paths() {
        let dir = tempfile::tempdir().unwrap();
        for bad in [
            "../evil",
            "/etc/x",
            "a/../../evil",
            ".git/config",
            "a/.GIT/x",
            "a\nb",
        ] {
            assert!(
                write_site(&dir.path().join("o"), &[f(bad, "x")]).is_err(),
                "{bad:?} accepted"
            );
        }
        assert!(!dir.path().join("evil").exists());
    }

    #[test]
    fn a_folder_of_its_own_may_become_a_file_but_not_someone_elses() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[f("a/index.html", "1"), f("b/index.html", "2")]).unwrap();
        write_site(&out, &[f("a", "now a file"), f("b/index.html", "2")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a")).unwrap(),
            "now a file"
        );
        // Someone keeps notes (or a repository) in the site's folder `b/`.
        std::fs::create_dir_all(out.join("b/.git")).unwrap();
        std::fs::write(out.join("b/.git/HEAD"), "ref").unwrap();
        let r = write_site(&out, &[f("a", "now a file"), f("b", "x")]);
        assert!(matches!(r, Err(Error::Invalid(_))), "{r:?}");
        assert_eq!(
            std::fs::read_to_string(out.join("b/.git/HEAD")).unwrap(),
            "ref"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("b/index.html")).unwrap(),
            "2"
        );
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_keep_their_inode_and_mtime() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[f("a.html", "same"), f("b.html", "old")]).unwrap();
        let before = std::fs::metadata(out.join("a.html")).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        for round in 0..3 {
            let s = write_site(
                &out,
                &[f("a.html", "same"), f("b.html", &format!("new {round}"))],
            )
            .unwrap();
            assert_eq!((s.written, s.unchanged), (1, 1));
            let after = std::fs::metadata(out.join("a.html")).unwrap();
            assert_eq!(after.ino(), before.ino());
            assert_eq!(after.modified().unwrap(), before.modified().unwrap());
        }
    }

    #[test]
    fn resolve_follows_links_and_keeps_the_missing_tail() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&real, dir.path().join("link")).unwrap();
        let base = resolve(dir.path()).unwrap();
        #[cfg(unix)]
        assert_eq!(
            resolve(&dir.path().join("link/a/../b")).unwrap(),
            base.join("real/b")
        );
        assert_eq!(
            resolve(&dir.path().join("real/./x/../y")).unwrap(),
            base.join("real/y")
        );
    }
}
