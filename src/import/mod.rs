//! Importers: turn other datasets into briefwerk content files (issue 6).
//!
//! An importer reads the site (to match names to groups and to know which records exist), reads
//! the foreign file, and writes only files it owns, so that running it again is safe. It never
//! prints; it returns a report for the command line to show.

pub mod acled;

pub use acled::{ImportReport, RowProblem, Skipped, UnmatchedActor, import_acled};
