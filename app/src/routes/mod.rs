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

/// Answers 404 to the server render of a page for something missing.
pub fn set_not_found() {
    #[cfg(feature = "ssr")]
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
}
