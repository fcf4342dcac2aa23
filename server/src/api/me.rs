//! `GET /api/v1/me`: who the bearer token or session belongs to.

use axum::Json;
use serde_json::{Value, json};

use crate::auth::ApiUser;

/// The caller's user name.
pub async fn me(ApiUser(user): ApiUser) -> Json<Value> {
    Json(json!({ "user": user.name }))
}
