//! Builds the whole axum router: pages, server functions, REST v1, static
//! files, and the security and session layers around them.

use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Request, State};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::{get, patch, post};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list, handle_server_fns_with_context};
use time::Duration;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::SqliteStore;

use app::{App, shell};

use crate::api::json::MAX_BODY_BYTES;
use crate::api::{commands, events::events, health::health, me::me, rules, usage};
use crate::auth::require_page_session;
use crate::security::{AllowedHosts, check_host_and_origin, security_headers};
use crate::state::AppState;

/// Name of the login session cookie.
pub const SESSION_COOKIE: &str = "devos_session";

/// The complete application router for `state`.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let ctx = state.ctx.clone();
    let allowed_hosts = AllowedHosts::new(&ctx.config.server.allowed_hosts);
    let session_layer = SessionManagerLayer::new(SqliteStore::new(ctx.store.pool().clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(false)
        .with_expiry(Expiry::OnInactivity(Duration::hours(i64::from(
            ctx.config.server.session_idle_hours,
        ))));
    let leptos_options = state.leptos_options.clone();

    Router::new()
        .route("/health", get(health))
        .route("/api/v1/me", get(me))
        .route("/api/v1/command", post(commands::submit))
        .route("/api/v1/command/{id}/status", get(commands::status))
        .route("/api/v1/command/{id}/approve", post(commands::approve))
        .route("/api/v1/command/{id}/cancel", post(commands::cancel))
        .route("/api/v1/command/{id}/undo", post(commands::undo))
        .route("/api/v1/command/{id}/redo", post(commands::redo))
        .route("/api/v1/command/{id}/log", get(commands::log))
        .route("/api/v1/jobs", get(commands::list))
        .route("/api/v1/rules", get(rules::list).post(rules::create))
        .route(
            "/api/v1/rules/{id}",
            patch(rules::update).delete(rules::delete),
        )
        .route("/api/v1/usage", get(usage::usage))
        .route("/api/v1/usage/export", get(usage::export))
        .route("/ws/events", get(events))
        .route(
            "/api/{*fn_name}",
            get(server_fn_handler).post(server_fn_handler),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let ctx = ctx.clone();
                move || provide_context(ctx.clone())
            },
            move || shell(leptos_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(from_fn_with_state(ctx, require_page_session))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(session_layer)
        .layer(from_fn(security_headers))
        .layer(from_fn_with_state(allowed_hosts, check_host_and_origin))
        .with_state(state)
}

async fn server_fn_handler(
    State(state): State<AppState>,
    request: Request<Body>,
) -> impl IntoResponse {
    let ctx = state.ctx.clone();
    handle_server_fns_with_context(move || provide_context(ctx.clone()), request).await
}
