//! Test cases and the shared harness.

mod auth;
mod check_command;
mod events;
mod harness;
mod jobs;
mod live;
mod security;
