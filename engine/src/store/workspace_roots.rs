//! The `workspace_roots` table: folders added as workspace roots at run
//! time, watched beside the config's `[workspace] roots`.

use std::path::{Path, PathBuf};

use super::{Store, now_unix};
use crate::Result;

impl Store {
    /// Records `path` as a workspace root added by `user`; `false` when it
    /// was already recorded.
    pub async fn add_workspace_root(&self, path: &Path, user: i64) -> Result<bool> {
        let (path, now) = (path.to_string_lossy(), now_unix());
        let added = sqlx::query!(
            "INSERT INTO workspace_roots (path, added_by, added_at) VALUES (?, ?, ?)
             ON CONFLICT (path) DO NOTHING",
            path,
            user,
            now,
        )
        .execute(&self.pool)
        .await?;
        Ok(added.rows_affected() == 1)
    }

    /// The added workspace roots, oldest first.
    pub async fn workspace_roots(&self) -> Result<Vec<PathBuf>> {
        let paths = sqlx::query_scalar!("SELECT path FROM workspace_roots ORDER BY added_at, path")
            .fetch_all(&self.pool)
            .await?;
        Ok(paths.into_iter().map(PathBuf::from).collect())
    }
}
