//! Codecs shared by the exporters ([`crate::render::export`]) and the importers
//! ([`crate::import`]): how a value of ours is written into a foreign format's cells and read
//! back, in one place so that the two directions cannot drift apart.
//!
//! Pure functions and tables: they take values and return cells (or the reverse), never read
//! or write files and never report diagnostics; the modules that call them decide what a bad
//! cell means.

pub mod acled;
pub mod cell;
