//! DevOS's trash on the Settings page: list, restore (the job's undo), empty.

use leptos::prelude::*;

use crate::dto::TrashView;
use crate::error::AppError;

/// Restorable trashed files of the current user, by job.
#[server(endpoint = "trash/list")]
pub async fn list_trash() -> Result<Vec<TrashView>, AppError> {
    use engine::fsops::human_bytes;

    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let jobs = app_context()?.engine.trash(user.id).await?;
    Ok(jobs
        .into_iter()
        .map(|job| {
            let names: Vec<String> = job
                .items
                .iter()
                .take(5)
                .map(|(path, _)| path.rsplit('/').next().unwrap_or(path).to_owned())
                .collect();
            let more = if job.items.len() > names.len() {
                ", …"
            } else {
                ""
            };
            TrashView {
                job_id: job.job_id.0,
                request: job.request,
                trashed_at: job.trashed_at,
                summary: format!(
                    "{} item(s), {}: {}{more}",
                    job.items.len(),
                    human_bytes(job.bytes),
                    names.join(", ")
                ),
            }
        })
        .collect())
}

/// Removes for good the trashed files older than `days` days.
#[server(endpoint = "trash/empty")]
pub async fn empty_trash(days: u64) -> Result<String, AppError> {
    use engine::fsops::human_bytes;

    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let emptied = app_context()?.engine.empty_trash(user.id, days).await?;
    Ok(format!(
        "removed the trash of {} job(s), {}",
        emptied.jobs,
        human_bytes(emptied.bytes)
    ))
}
