//! Server integration tests: one binary, cases in `suite/`.
#![cfg(feature = "ssr")]

#[cfg(test)]
mod suite;
