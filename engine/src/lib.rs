//! DevOS domain core: configuration, storage, authentication and (in later
//! modules) planning, risk and execution. It never imports HTTP or Leptos types;
//! the `server` and `app` crates wire it to the web.

pub mod auth;
pub mod config;
pub mod error;
pub mod plan;
pub mod policy;
pub mod risk;
pub mod shell;
pub mod store;

pub use error::{Error, Result};
