//! `GET /health`: liveness without authentication.

use axum::Json;
use serde_json::{Value, json};

/// `{"status":"ok","version":…}`.
pub async fn health() -> Json<Value> {
    Json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}
