//! The router's shared state: Leptos options plus the app context.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use app::server::AppContext;

/// State handed to every handler.
#[derive(Debug, Clone, FromRef)]
pub struct AppState {
    /// Site root, output name, address.
    pub leptos_options: LeptosOptions,
    /// Store, config and auth helpers shared with server functions.
    pub ctx: AppContext,
}
