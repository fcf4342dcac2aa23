//! Undo snapshots on the Settings page: their size, and dropping old ones.

use leptos::prelude::*;

use crate::error::AppError;

/// How many of the user's jobs can be undone from snapshots, and the store's size.
#[server(endpoint = "snapshot/usage")]
pub async fn snapshot_usage() -> Result<String, AppError> {
    use engine::fsops::human_bytes;

    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let usage = app_context()?.engine.snapshot_usage(user.id).await?;
    Ok(format!(
        "{} job(s) can be undone from snapshots; the store takes {}",
        usage.jobs,
        human_bytes(usage.bytes)
    ))
}

/// Drops the user's snapshots older than `days` days: those jobs can no longer be undone.
#[server(endpoint = "snapshot/drop")]
pub async fn drop_snapshots(days: u64) -> Result<String, AppError> {
    use engine::fsops::human_bytes;

    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let dropped = app_context()?.engine.drop_snapshots(user.id, days).await?;
    Ok(format!(
        "dropped the snapshots of {} job(s), freed {}",
        dropped.jobs,
        human_bytes(dropped.bytes)
    ))
}
