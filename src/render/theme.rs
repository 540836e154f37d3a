//! Loads templates and static files: the site's own `templates/` and `static/` override the
//! theme's files one by one, and the theme falls back to the default theme embedded in the
//! binary. The only module of `render` that reads files.

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::error::Error;

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

/// Reads the theme named in `config`, with the site's overrides.
pub fn load(config: &Config) -> Result<ThemeFiles, Error> {
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
    let theme_dir = config.root.join("themes").join(&config.theme);
    if theme_dir.is_dir() {
        read_layer(
            &mut files,
            &theme_dir,
            &config.root,
            &["templates", "static", "data"],
        )?;
    } else if config.theme != "default" {
        let mut d = Diagnostics::default();
        d.push(
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
        return Err(Error::Invalid(d));
    }
    read_layer(
        &mut files,
        &config.root,
        &config.root,
        &["templates", "static"],
    )?;
    Ok(files)
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
    dir: &Path,
    root: &Path,
    subdirs: &[&str],
) -> Result<(), Error> {
    for sub in subdirs {
        let base = dir.join(sub);
        if !base.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&base).sort_by_file_name() {
            let entry =
                entry.map_err(|e| Error::Other(format!("cannot read {}: {e}", base.display())))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let name = entry.file_name().to_string_lossy();
            if name.starts_with('.') || name.ends_with('~') {
                continue;
            }
            let path = entry.path();
            let rel_in_dir = path.strip_prefix(dir).unwrap_or(path);
            let rel = rel_in_dir
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let origin = path
                .strip_prefix(root)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            add(files, &rel, bytes, &origin);
        }
    }
    Ok(())
}
