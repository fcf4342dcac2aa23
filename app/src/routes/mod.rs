//! Pages, one file each.

pub mod console;
pub mod costs;
pub mod history;
pub mod job;
pub mod job_log;
pub mod login;
pub mod preferences;
pub mod settings;
pub mod settings_access;
pub mod setup;
