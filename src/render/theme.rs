//! Loads templates and static files: the site's own `templates/` and `static/` override the
//! theme's files one by one, and the theme falls back to the default theme embedded in the
//! binary. The only module of `render` that reads files.

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::error::Error;
use crate::site_files::{SiteDir, read_regular};

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// A template's text and where it came from (for diagnostics).
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Path relative to the site root, or `<embedded default theme>/templates/x.html`.
    pub origin: String,
    /// The template text.
    pub text: String,
}

/// Templates and static files of the active theme after overrides.
#[derive(Debug, Clone, Default)]
pub struct ThemeFiles {
    /// Template name (e.g. `group.html`) → source.
    pub templates: BTreeMap<String, TemplateSource>,
    /// Static file path (relative to `static/`) → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Data files of the theme (e.g. map borders), by path relative to `data/`.
    pub data: BTreeMap<String, Vec<u8>>,
}

/// Files of the embedded default theme, for `init`.
pub fn embedded() -> &'static [(&'static str, &'static [u8])] {
    DEFAULT_THEME
}

/// Largest static or data file copied from a theme or the site's `static/` (a PDF report, a
/// video still fits; a sparse 1 TB file does not).
pub const MAX_STATIC_BYTES: u64 = 256 * 1024 * 1024;

/// Reads the theme named in `config`, with the site's overrides. Files are read only from
/// inside the site: a link out of it, a FIFO, a socket or a device under `themes/`,
/// `templates/` or `static/` is an error naming it (all of them at once), never read.
pub fn load(config: &Config) -> Result<ThemeFiles, Error> {
    let (files, diags) = load_reporting(config)?;
    if diags.has_errors() {
        return Err(Error::Invalid(diags));
    }
    Ok(files)
}

/// [`load`], returning the files that could be read together with the refusals, so that a
/// build reports them alongside the content's errors (one run shows every problem).
pub fn load_reporting(config: &Config) -> Result<(ThemeFiles, Diagnostics), Error> {
    let mut files = ThemeFiles::default();
    // Lowest priority first; later layers replace earlier ones.
    for (rel, bytes) in DEFAULT_THEME {
        add(
            &mut files,
            rel,
            bytes.to_vec(),
            &format!("<embedded default theme>/{rel}"),
        );
    }
    let site = SiteDir::new(&config.root)?;
    let mut diags = Diagnostics::default();
    let theme_dir = config.root.join("themes").join(&config.theme);
    if theme_dir.is_dir() || theme_dir.is_symlink() {
        read_layer(
            &mut files,
            &site,
            &theme_dir,
            &["templates", "static", "data"],
            &mut diags,
        );
    } else if config.theme != "default" {
        diags.push(
            Diagnostic::error(
                "unknown-theme",
                format!("theme `{}` not found", config.theme),
            )
            .at(Location::file("site.yaml"), "")
            .help(format!(
                "create themes/{}/ or remove `theme:` to use the default theme",
                config.theme
            )),
        );
        return Err(Error::Invalid(diags));
    }
    read_layer(
        &mut files,
        &site,
        &config.root,
        &["templates", "static"],
        &mut diags,
    );
    diags.sort();
    Ok((files, diags))
}

fn add(files: &mut ThemeFiles, rel: &str, bytes: Vec<u8>, origin: &str) {
    if let Some(name) = rel.strip_prefix("templates/") {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        files.templates.insert(
            name.to_string(),
            TemplateSource {
                origin: origin.to_string(),
                text,
            },
        );
    } else if let Some(name) = rel.strip_prefix("static/") {
        files.statics.insert(name.to_string(), bytes);
    } else if let Some(name) = rel.strip_prefix("data/") {
        files.data.insert(name.to_string(), bytes);
    }
}

fn read_layer(
    files: &mut ThemeFiles,
    site: &SiteDir,
    dir: &Path,
    subdirs: &[&str],
    diags: &mut Diagnostics,
) {
    let skip = |name: &str| name.starts_with('.') || name.ends_with('~');
    for sub in subdirs {
        let base = dir.join(sub);
        if !base.is_dir() && !base.is_symlink() {
            continue;
        }
        let max = if *sub == "templates" {
            crate::load::MAX_FILE_BYTES
        } else {
            MAX_STATIC_BYTES
        };
        // Hosting files are dotfiles (`.nojekyll`, `.well-known/…`): `static/` publishes
        // them; templates and data have none worth reading.
        let (found, refused) = if *sub == "static" {
            site.walk(&base, &is_litter)
        } else {
            site.walk(&base, &skip)
        };
        refused.into_iter().for_each(|d| diags.push(d));
        for f in found {
            let rel_in_dir = f.path.strip_prefix(dir).unwrap_or(&f.path);
            // Nothing inside a version-control folder is read (a `static/` that is a
            // submodule holds its repository's `.git`).
            if rel_in_dir
                .components()
                .any(|c| is_vcs_dir(&c.as_os_str().to_string_lossy()))
            {
                continue;
            }
            let rel = rel_in_dir
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let origin = site.rel(&f.path);
            match read_regular(&f.real, &origin, max) {
                Ok(bytes) => add(files, &rel, bytes, &origin),
                Err(d) => diags.push(d),
            }
        }
    }
}

/// Hosting files: read from `static/` like any other, published at the output root where
/// static hosts look for them (GitHub Pages' `CNAME` and `.nojekyll`, Netlify's and
/// Cloudflare's `_headers` and `_redirects`, RFC 8615's `.well-known/`).
pub const HOSTING_FILES: &[&str] = &["CNAME", ".nojekyll", "_headers", "_redirects"];

/// Where a file of `static/` (path relative to it) is published: hosting files and
/// `.well-known/` at the output root, everything else under `static/`.
pub fn published_path(static_rel: &str) -> String {
    if HOSTING_FILES.contains(&static_rel) || static_rel.starts_with(".well-known/") {
        static_rel.to_string()
    } else {
        crate::routes::static_file(static_rel)
    }
}

/// `.git`, `.hg`, `.svn`: never read from `static/` or a theme.
fn is_vcs_dir(name: &str) -> bool {
    [".git", ".hg", ".svn"]
        .iter()
        .any(|v| name.eq_ignore_ascii_case(v))
}

/// Files under `static/` that are never published although not hidden by a rule of the
/// site: git's own files, editor temporaries and operating-system litter.
fn is_litter(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with(".git")
        || lower.starts_with(".#")
        || lower.ends_with('~')
        || lower == ".ds_store"
        || lower == "thumbs.db"
        || (lower.starts_with('.') && [".swp", ".swo", ".swx"].iter().any(|s| lower.ends_with(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosting_dotfiles_are_published_and_litter_is_not() {
        for ok in [
            ".nojekyll",
            "CNAME",
            "_headers",
            "_redirects",
            "security.txt",
            ".htaccess",
        ] {
            assert!(!is_litter(ok), "{ok}");
        }
        for no in [
            ".gitignore",
            ".gitkeep",
            ".DS_Store",
            ".index.html.swp",
            ".#notes",
            "a~",
        ] {
            assert!(is_litter(no), "{no}");
        }
        assert!(is_vcs_dir(".git") && is_vcs_dir(".SVN") && !is_vcs_dir(".well-known"));
    }

    #[test]
    fn hosting_files_go_to_the_output_root() {
        assert_eq!(published_path("CNAME"), "CNAME");
        assert_eq!(
            published_path(".well-known/security.txt"),
            ".well-known/security.txt"
        );
        assert_eq!(published_path("style.css"), "static/style.css");
        assert_eq!(published_path("x/CNAME"), "static/x/CNAME");
    }
}
