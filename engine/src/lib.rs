//! DevOS domain core: configuration, storage, authentication and (in later
//! modules) planning, risk and execution. It never imports HTTP or Leptos types;
//! the `server` and `app` crates wire it to the web.

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
pub mod plan;
pub mod planner;
pub mod policy;
pub mod risk;
pub mod rules;
pub mod sandbox;
pub mod shell;
pub mod snapshot;
pub mod store;
pub mod typed_path;

pub use error::{Error, Result};
