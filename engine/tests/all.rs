//! The engine's integration tests, as one binary.

mod suite;
