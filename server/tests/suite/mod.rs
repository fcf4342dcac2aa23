//! Test cases and the shared harness.

mod access;
mod ask;
mod auth;
mod aws;
mod check_command;
mod context;
mod costs;
mod disk_full;
mod events;
#[path = "../../../engine/tests/suite/models_fake_bedrock.rs"]
mod fake_bedrock;
mod golden;
mod harness;
mod history;
mod hostile;
mod jobs;
mod lifetime;
mod live;
mod load;
mod models;
mod operations;
mod preferences;
#[path = "../../../engine/tests/suite/proc_support.rs"]
mod proc_support;
mod resilience;
mod rest_properties;
mod security;
mod seed;
mod trash;
mod undo;
