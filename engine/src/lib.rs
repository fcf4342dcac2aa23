//! DevOS domain core: configuration, storage, authentication, context,
//! orchestration, the sandbox, models and undo. Judging (shell parsing,
//! risk, policy, rules, plans and the built-in planner) is the pure `judge`
//! crate, re-exported here under the same paths. It never imports HTTP or
//! Leptos types; the `server` and `app` crates wire it to the web.

pub mod auth;
pub mod aws;
pub mod calendar;
pub mod config;
pub mod context;
pub mod error;
pub mod eval;
pub mod events;
pub mod executor;
pub mod fsops;
pub mod job;
pub mod lifetime;
pub mod models;
pub mod pipeline;
pub mod repo_config;
pub mod sandbox;
pub mod snapshot;
pub mod store;
pub mod typed_path;

pub use error::{Error, Result};
pub use judge::{plan, planner, policy, risk, rules, shell};
