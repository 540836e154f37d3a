//! placeholder until the pictures module lands.
