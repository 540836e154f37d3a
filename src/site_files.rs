//! Reading the site's own files safely: nothing from outside the site, nothing that is not
//! a regular file, nothing unbounded.
//!
//! A site is often a pull request from someone outside the newsroom, built in CI with the
//! CI's secrets in the environment. A symbolic link in it (`static/ -> /etc`,
//! `site.yaml -> /proc/self/environ`, `content/x.md -> /dev/zero`) must not publish, print
//! or hang on anything outside the site. Every read of `site.yaml`, `content/`, `static/`,
//! `templates/`, `themes/` and `archetypes/` goes through [`SiteDir`]: a path is followed
//! only when its real path lies inside the site's real root, a FIFO, socket or device is
//! refused without being opened, and a read stops at a size limit. Refusals are
//! [`Diagnostic`]s naming the link and its target (never the target's bytes).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location};
use crate::error::Error;

/// The real path of `p`: absolute, every symlink followed and `.`/`..` resolved on the way.
/// The part that does not exist yet is kept as written (it will be created as plain folders).
/// A dangling symlink is an error. Every guard on where briefwerk writes compares real paths,
/// so a symlinked `--root`, output folder or `content/` cannot pass for another place.
pub fn real_path(p: &Path) -> std::io::Result<PathBuf> {
    let abs = std::path::absolute(p)?;
    let mut out = PathBuf::new();
    let mut exists = true;
    for c in abs.components() {
        match c {
            std::path::Component::Prefix(_) | std::path::Component::RootDir => {
                out.push(c.as_os_str())
            }
            std::path::Component::CurDir => {}
            // `out` is real at this point, so its parent is the real parent.
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::Normal(n) => {
                out.push(n);
                if !exists {
                    continue;
                }
                match std::fs::symlink_metadata(&out) {
                    Ok(m) if m.file_type().is_symlink() => {
                        out = std::fs::canonicalize(&out).map_err(|e| {
                            std::io::Error::new(
                                e.kind(),
                                format!("{} is a symlink that leads nowhere: {e}", out.display()),
                            )
                        })?;
                    }
                    Ok(_) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => exists = false,
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(out)
}

/// The site root, as given and as its real (canonical) path.
#[derive(Debug, Clone)]
pub struct SiteDir {
    root: PathBuf,
    real: PathBuf,
}

/// What kind of non-regular file a path is, for messages (`None` for files and folders).
fn special_kind(t: &std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
    }
    (!t.is_file() && !t.is_dir() && !t.is_symlink()).then_some("not a regular file")
}

/// A file accepted by [`SiteDir::walk`].
#[derive(Debug, Clone)]
pub struct Found {
    /// The path as reached under the walked folder (through any links inside the site).
    pub path: PathBuf,
    /// Its real path, inside the site: what to open.
    pub real: PathBuf,
}

impl SiteDir {
    /// The site at `root`, which must exist.
    pub fn new(root: &Path) -> Result<SiteDir, Error> {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let real = root.canonicalize().map_err(|e| Error::io(&root, e))?;
        Ok(SiteDir { root, real })
    }

    /// The root as given (absolute).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `path` relative to the root, with `/` separators, as diagnostics show it.
    pub fn rel(&self, path: &Path) -> String {
        let r = path
            .strip_prefix(&self.root)
            .or_else(|_| path.strip_prefix(&self.real))
            .unwrap_or(path);
        r.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Whether a real (canonical) path lies inside the site.
    pub fn contains_real(&self, real: &Path) -> bool {
        real.starts_with(&self.real)
    }

    /// The real path of `path` (under the root) when it exists, `None` when it does not;
    /// an error when it, or the deepest of its folders that exists, leads out of the site.
    /// Writers (`new`, `import`) call this on the folder they are about to write into.
    pub fn resolve(&self, path: &Path) -> Result<Option<PathBuf>, Diagnostic> {
        let mut probe = path;
        loop {
            match probe.canonicalize() {
                Ok(real) if self.contains_real(&real) => {
                    return Ok((probe == path).then_some(real));
                }
                Ok(real) => return Err(self.outside(path, &real)),
                Err(_) => match probe.parent() {
                    // A dangling link: refuse it rather than create through it later.
                    _ if probe.is_symlink() => {
                        return Err(self.outside(path, probe));
                    }
                    Some(p) if p.starts_with(&self.root) && p != probe => probe = p,
                    _ => return Ok(None),
                },
            }
        }
    }

    /// The refusal of `path`, whose real path `real` lies outside the site: names the first
    /// link on the way and what it points to.
    fn outside(&self, path: &Path, real: &Path) -> Diagnostic {
        let rel_in = path.strip_prefix(&self.root).unwrap_or(path);
        let mut link = self.root.clone();
        let mut found = None;
        for c in rel_in.components() {
            link.push(c);
            if link.is_symlink() {
                found = Some(link.clone());
                break;
            }
        }
        let (link, target) = match found {
            Some(l) => {
                let t = std::fs::read_link(&l).unwrap_or_else(|_| real.to_path_buf());
                (l, t)
            }
            None => (path.to_path_buf(), real.to_path_buf()),
        };
        let rel = self.rel(&link);
        Diagnostic::error(
            "symlink-outside",
            format!(
                "`{rel}` is a symbolic link to `{}`, outside the site",
                target.display()
            ),
        )
        .at(Location::file(&rel), "")
        .help("copy what it points to into the site instead of linking to it")
    }

    /// Reads the regular file `path` (under the root) of at most `max` bytes. Refuses links
    /// out of the site, FIFOs, sockets and devices (never opened, so never waited on), and
    /// larger files (never read past `max`).
    pub fn read(&self, path: &Path, max: u64) -> Result<Vec<u8>, Diagnostic> {
        let rel = self.rel(path);
        match self.resolve(path)? {
            Some(real) => read_regular(&real, &rel, max),
            None => {
                let e = std::io::Error::from(std::io::ErrorKind::NotFound);
                Err(unreadable(&rel, &e))
            }
        }
    }

    /// Every regular file under `dir` (a folder of the site), sorted by path, skipping
    /// files (not folders) whose names `skip` is true for (editor swap files). A link is followed only when its
    /// real path is inside the site; one that leads out, a FIFO, a socket or a device is a
    /// diagnostic and is neither listed nor descended into. `dir` itself may be a link.
    pub fn walk(&self, dir: &Path, skip: &dyn Fn(&str) -> bool) -> (Vec<Found>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut files = Vec::new();
        // Walk the real folder: paths below it hold no link unless a link was followed.
        let real_dir = match self.resolve(dir) {
            Ok(Some(r)) => r,
            Ok(None) => return (files, diags),
            Err(d) => return (files, vec![d]),
        };
        // What the user calls `p`: the same path under `dir` as they wrote it.
        let shown = |p: &Path| dir.join(p.strip_prefix(&real_dir).unwrap_or(p));
        // Folders reached through a link (inside the site): files below them are opened by
        // their real path.
        let mut linked: Vec<PathBuf> = Vec::new();
        let walker = walkdir::WalkDir::new(&real_dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                // Only files are skipped by name: `static/.well-known/…` is still walked.
                let name = e.file_name().to_string_lossy();
                if e.depth() > 0 && !e.file_type().is_dir() && skip(&name) {
                    return false;
                }
                if !e.path_is_symlink() {
                    return true;
                }
                match e.path().canonicalize() {
                    Ok(real) if self.contains_real(&real) => true,
                    Ok(real) => {
                        diags.push(self.outside(&shown(e.path()), &real));
                        false
                    }
                    // Broken links are reported as entry errors below.
                    Err(_) => true,
                }
            });
        let mut more = Vec::new();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    // A link to a folder above it is a loop to walkdir, before the filter
                    // sees it; when it leads out of the site, say that.
                    if let Some(p) = e.path().filter(|p| p.is_symlink())
                        && let Ok(real) = p.canonicalize()
                        && !self.contains_real(&real)
                    {
                        more.push(self.outside(&shown(p), &real));
                        continue;
                    }
                    let rel = self.rel(&e.path().map_or_else(|| dir.to_path_buf(), shown));
                    more.push(
                        Diagnostic::error("unreadable", format!("cannot read `{rel}`: {e}"))
                            .at(Location::file(&rel), "")
                            .help("remove the broken link or point it at a file of the site"),
                    );
                    continue;
                }
            };
            let t = entry.file_type();
            if t.is_dir() {
                if entry.path_is_symlink() {
                    linked.push(entry.path().to_path_buf());
                }
                continue;
            }
            let path = shown(entry.path());
            let rel = self.rel(&path);
            if !t.is_file() {
                more.push(special_file(
                    &rel,
                    special_kind(&t).unwrap_or("not a regular file"),
                ));
                continue;
            }
            let via_link =
                entry.path_is_symlink() || linked.iter().any(|d| entry.path().starts_with(d));
            let real = if via_link {
                match entry.path().canonicalize() {
                    Ok(r) if self.contains_real(&r) => r,
                    Ok(r) => {
                        more.push(self.outside(&path, &r));
                        continue;
                    }
                    Err(e) => {
                        more.push(unreadable(&rel, &e));
                        continue;
                    }
                }
            } else {
                entry.into_path()
            };
            files.push(Found { path, real });
        }
        diags.extend(more);
        (files, diags)
    }
}

fn unreadable(rel: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error("unreadable", format!("cannot read `{rel}`: {e}")).at(Location::file(rel), "")
}

/// The refusal of a FIFO, socket or device found where a file was expected.
pub fn special_file(rel: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        "special-file",
        format!("`{rel}` is {what}, not a regular file"),
    )
    .at(Location::file(rel), "")
    .help("only regular files are read; remove it or replace it with a file")
}

/// Opens `real` (a path with no link at its end, inside the site) without following a link
/// or waiting on a FIFO, checks that it is a regular file of at most `max` bytes, and reads
/// it, never past `max` (a file may grow while it is read).
pub fn read_regular(real: &Path, rel: &str, max: u64) -> Result<Vec<u8>, Diagnostic> {
    read_regular_meta(real, rel, max).map(|(b, _)| b)
}

/// [`read_regular`], also returning the metadata of the file opened (size and time of the
/// very text read, for reuse checks).
pub fn read_regular_meta(
    real: &Path,
    rel: &str,
    max: u64,
) -> Result<(Vec<u8>, std::fs::Metadata), Diagnostic> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: opening a FIFO put in place since the walk returns at once instead
        // of waiting for a writer. O_NOFOLLOW: a link put in place is refused, not followed.
        opts.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = opts.open(real).map_err(|e| unreadable(rel, &e))?;
    let meta = file.metadata().map_err(|e| unreadable(rel, &e))?;
    if let Some(what) = special_kind(&meta.file_type()).filter(|_| !meta.is_file()) {
        return Err(special_file(rel, what));
    }
    if !meta.is_file() {
        return Err(special_file(rel, "a folder"));
    }
    if meta.len() > max {
        return Err(too_large(rel, meta.len(), max));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    (&file)
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(rel, &e))?;
    if bytes.len() as u64 > max {
        return Err(too_large(rel, bytes.len() as u64, max));
    }
    Ok((bytes, meta))
}

fn too_large(rel: &str, len: u64, max: u64) -> Diagnostic {
    let mb = |n: u64| n.div_ceil(1024 * 1024);
    Diagnostic::error(
        "file-too-large",
        format!(
            "`{rel}` is {} MB; files here may be at most {} MB",
            mb(len),
            mb(max)
        ),
    )
    .at(Location::file(rel), "")
    .help("make it smaller or split it")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn site() -> (tempfile::TempDir, SiteDir) {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("site/static/sub")).unwrap();
        std::fs::write(d.path().join("site/static/sub/a.txt"), "a").unwrap();
        std::fs::write(d.path().join("outside.txt"), "secret").unwrap();
        let s = SiteDir::new(&d.path().join("site")).unwrap();
        (d, s)
    }

    #[test]
    fn links_inside_the_site_are_followed_and_links_out_refused_by_name() {
        let (d, s) = site();
        let root = d.path().join("site");
        symlink("sub/a.txt", root.join("static/inside.txt")).unwrap();
        symlink(d.path().join("outside.txt"), root.join("static/out.txt")).unwrap();
        symlink(d.path(), root.join("static/updir")).unwrap();
        let (files, diags) = s.walk(&root.join("static"), &|_| false);
        let rels: Vec<_> = files.iter().map(|f| s.rel(&f.path)).collect();
        assert_eq!(rels, ["static/inside.txt", "static/sub/a.txt"]);
        let msgs: Vec<_> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(msgs[0].starts_with("`static/out.txt` is a symbolic link to `"));
        assert!(msgs[0].ends_with("outside.txt`, outside the site"));
        assert!(
            msgs[1].starts_with("`static/updir` is a symbolic link"),
            "{msgs:?}"
        );
        assert!(!msgs.iter().any(|m| m.contains("secret")));
    }

    #[test]
    fn a_linked_folder_out_of_the_site_is_refused_before_it_is_walked() {
        let (d, s) = site();
        let root = d.path().join("site");
        symlink("/", root.join("templates")).unwrap();
        let (files, diags) = s.walk(&root.join("templates"), &|_| false);
        assert!(files.is_empty());
        assert_eq!(diags.len(), 1);
        assert_eq!(
            diags[0].message,
            "`templates` is a symbolic link to `/`, outside the site"
        );
    }

    #[test]
    fn fifos_and_devices_are_refused_without_being_opened() {
        let (d, s) = site();
        let root = d.path().join("site");
        let fifo = root.join("static/pipe");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        // A link to /dev/zero leads out of the site; opened directly it is a device.
        let (files, diags) = s.walk(&root.join("static"), &|_| false);
        assert_eq!(files.len(), 1);
        assert_eq!(diags[0].code, "special-file", "{:?}", diags[0].message);
        assert!(diags[0].message.contains("FIFO"));
        let e = read_regular(Path::new("/dev/zero"), "x", 10).unwrap_err();
        assert_eq!(e.code, "special-file");
        let e = read_regular(&fifo, "static/pipe", 10).unwrap_err();
        assert_eq!(e.code, "special-file");
    }

    #[test]
    fn reads_stop_at_the_limit() {
        let (d, s) = site();
        let p = d.path().join("site/static/big");
        std::fs::write(&p, vec![b'x'; 100]).unwrap();
        assert_eq!(s.read(&p, 100).unwrap().len(), 100);
        assert_eq!(s.read(&p, 99).unwrap_err().code, "file-too-large");
    }

    #[test]
    fn resolve_refuses_writing_through_a_link_out_even_when_the_target_is_missing() {
        let (d, s) = site();
        let root = d.path().join("site");
        std::fs::create_dir(root.join("content")).unwrap();
        symlink(d.path(), root.join("content/incidents")).unwrap();
        let e = s
            .resolve(&root.join("content/incidents/new/x.md"))
            .unwrap_err();
        assert!(
            e.message
                .starts_with("`content/incidents` is a symbolic link")
        );
        symlink("/nonexistent/x", root.join("content/groups")).unwrap();
        assert!(s.resolve(&root.join("content/groups/a.md")).is_err());
        assert_eq!(s.resolve(&root.join("content/pages/a.md")).unwrap(), None);
    }
}
