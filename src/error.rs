//! The library's error type, and the one place that maps errors to exit statuses.
//!
//! Takes nothing; every fallible library function returns [`Error`]. Content problems travel
//! as [`Diagnostics`] ([`Error::Invalid`]); every other variant says what happened, so that a
//! caller decides by the variant and never by which function raised it or by its text. Must
//! not print: the binary shows the error and exits with [`Error::exit_code`].

use std::net::IpAddr;
use std::path::PathBuf;

use crate::diagnostic::Diagnostics;

/// Exit status of a command whose input must change: content, configuration or template
/// errors, or a refusal (see docs/workflow.md, *Exit statuses*).
pub const EXIT_INVALID: u8 = 1;
/// Exit status of a command that could not run: I/O, a busy output folder, a port in use.
pub const EXIT_COULD_NOT_RUN: u8 = 2;

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
    /// The site's content, configuration or templates have errors, or the output folder was
    /// refused (all of them listed, located where they can be).
    #[error("{}", .0.summary())]
    Invalid(Diagnostics),
    /// What was asked was refused and nothing was written (`init` into a folder that is not
    /// empty, `import` into a folder outside `content/incidents`). The text says what to do.
    #[error("{0}")]
    Refused(String),
    /// A file where a command would read or write is not one briefwerk wrote (or not a plain
    /// file): it is left alone.
    #[error("{}", why)]
    Foreign {
        /// The file.
        path: PathBuf,
        /// What is wrong with it and what to do, naming the path.
        why: String,
    },
    /// Another briefwerk build holds the lock of the output folder.
    #[error(
        "another briefwerk build (process {pid}) is publishing into {}; wait for it to finish",
        out.display()
    )]
    Busy {
        /// The output folder.
        out: PathBuf,
        /// The process holding the lock, as it wrote it (may be empty).
        pid: String,
    },
    /// `serve` could not listen on the address asked for.
    #[error("{}", bind_message(*addr, *port, source))]
    Bind {
        /// The address.
        addr: IpAddr,
        /// The port.
        port: u16,
        /// The OS error.
        source: std::io::Error,
    },
    /// `serve` could not watch the site for changes.
    #[error("cannot watch {what} for changes: {source}")]
    Watch {
        /// What was to be watched (`the site`, a folder).
        what: String,
        /// The watcher's error.
        source: notify::Error,
    },
    /// The build found warnings and `--deny-warnings` was given: nothing was published.
    #[error("{} (denied by --deny-warnings)", .0.summary())]
    Denied(Diagnostics),
    /// An option's value cannot be used (`--allow-host` that is not a host name).
    #[error("{0}")]
    BadArgument(String),
    /// An input the command reads is not what it expects (a CSV that is not an ACLED
    /// export, a missing archetype).
    #[error("{0}")]
    Input(String),
    /// A rendered file cannot be published where it says (two files of one path, a path
    /// leaving the output folder): a fault of the theme or of briefwerk, not of the content.
    #[error("{0}")]
    Output(String),
    /// Something briefwerk relies on failed (a thread could not start, YAML could not be
    /// written).
    #[error("{0}")]
    Internal(String),
}

fn bind_message(addr: IpAddr, port: u16, e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::AddrInUse {
        format!(
            "port {port} is already in use on {addr}; pass another `--port`, or `--port 0` for any free one"
        )
    } else {
        format!("cannot listen on {addr}:{port}: {e}")
    }
}

impl Error {
    /// Wraps an I/O error with its path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The process exit status this error ends a command with: [`EXIT_INVALID`] when what
    /// the user wrote or asked for must change, [`EXIT_COULD_NOT_RUN`] otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Invalid(_) | Error::Denied(_) | Error::Refused(_) | Error::Foreign { .. } => {
                EXIT_INVALID
            }
            Error::Io { .. }
            | Error::Busy { .. }
            | Error::Bind { .. }
            | Error::Watch { .. }
            | Error::BadArgument(_)
            | Error::Input(_)
            | Error::Output(_)
            | Error::Internal(_) => EXIT_COULD_NOT_RUN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/workflow.md's table: 1 when the input must change, 2 when the command could not
    /// run. `init` into a non-empty folder used to be 1 and a file the importer did not
    /// write 2, because the caller decided by which function returned `Error::Other`.
    #[test]
    fn exit_statuses_follow_what_happened() {
        let io = || std::io::Error::from(std::io::ErrorKind::AddrInUse);
        assert_eq!(Error::Invalid(Diagnostics::default()).exit_code(), 1);
        assert_eq!(Error::Denied(Diagnostics::default()).exit_code(), 1);
        assert_eq!(Error::Refused("not empty".into()).exit_code(), 1);
        let foreign = Error::Foreign {
            path: "a".into(),
            why: "`a` was not written by briefwerk".into(),
        };
        assert_eq!(foreign.exit_code(), 1);
        assert_eq!(Error::io("a", io()).exit_code(), 2);
        let bind = Error::Bind {
            addr: IpAddr::from([127, 0, 0, 1]),
            port: 1111,
            source: io(),
        };
        assert_eq!(bind.exit_code(), 2);
        assert_eq!(
            bind.to_string(),
            "port 1111 is already in use on 127.0.0.1; pass another `--port`, or `--port 0` for any free one"
        );
        let busy = Error::Busy {
            out: "public".into(),
            pid: "42".into(),
        };
        assert_eq!(busy.exit_code(), 2);
        assert!(busy.to_string().contains("process 42"), "{busy}");
    }
}
