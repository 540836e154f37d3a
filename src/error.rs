//! The library's error type. Content problems travel as [`Diagnostics`]; everything else
//! (I/O, templates that cannot even be loaded) as the other variants.

use std::path::PathBuf;

use crate::diagnostic::Diagnostics;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The site's content, configuration or templates have errors (all of them listed).
    #[error("{}", .0.summary())]
    Invalid(Diagnostics),
    /// Anything else that stops a command, with a human explanation.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// Wraps an I/O error with its path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
