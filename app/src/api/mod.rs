//! Server functions, one file per resource. Each is a public HTTP endpoint
//! under `/api/<resource>/<action>` and starts with the auth guard.

pub mod access;
pub mod auth;
pub mod context;
pub mod history;
pub mod jobs;
pub mod overview;
pub mod preferences;
pub mod rules;
pub mod snapshots;
pub mod trash;
