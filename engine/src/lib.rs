//! DevOS domain core: configuration, storage, authentication and (in later
//! modules) planning, risk and execution. It never imports HTTP or Leptos types;
//! the `server` and `app` crates wire it to the web.

pub mod auth;
pub mod config;
pub mod context;
pub mod error;
pub mod executor;
pub mod fsops;
pub mod plan;
pub mod planner;
pub mod store;

pub use error::{Error, Result};
