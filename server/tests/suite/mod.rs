//! Test cases and the shared harness.

mod auth;
mod harness;
mod jobs;
mod live;
mod security;
