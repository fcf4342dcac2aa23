//! REST API v1 and the health check.

pub mod health;
pub mod me;
