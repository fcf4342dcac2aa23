//! Test cases and the shared harness.

mod auth;
mod harness;
mod security;
