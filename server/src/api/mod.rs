//! REST API v1, the event socket and the health check.

pub mod commands;
pub mod events;
pub mod health;
pub mod json;
pub mod me;
pub mod rules;
pub mod usage;
pub mod wire;
