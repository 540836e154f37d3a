//! Placeholder: filled in by the publishing work (issue 6).

use super::{Inputs, OutputFile};

/// Extra output files of this kind.
pub fn render(_inputs: &Inputs<'_>) -> Vec<OutputFile> {
    Vec::new()
}
