//! The `devos` server: configuration and start-up wiring, the axum router
//! with its security layers, REST API v1, and the command-line interface.
//! Everything here needs the `ssr` feature; without it the crate is empty.
#![cfg(feature = "ssr")]

pub mod api;
pub mod ask;
pub mod auth;
pub mod cli;
pub mod commands;
pub mod doctor;
pub mod error;
pub mod listen;
pub mod router;
pub mod security;
pub mod serve;
pub mod state;
pub mod systemd;
pub mod token_file;
