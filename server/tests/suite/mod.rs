//! Test cases and the shared harness.

mod auth;
mod check_command;
mod context;
mod events;
#[path = "../../../engine/tests/suite/models_fake_bedrock.rs"]
mod fake_bedrock;
mod golden;
mod harness;
mod jobs;
mod live;
mod models;
mod preferences;
mod security;
mod trash;
