//! Pages, one file each.

pub mod console;
pub mod costs;
pub mod history;
pub mod login;
pub mod preferences;
pub mod settings;
pub mod settings_access;
pub mod setup;
