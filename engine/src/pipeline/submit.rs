//! Submit: a request checked (length, folder, approval timeout), stored as
//! a `planning` job and shown at once, then planned and decided.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::{Engine, JobDetail, MAX_APPROVAL_TIMEOUT, MAX_REQUEST_CHARS, NewJob};
use crate::job::JobStatus;
use crate::{Error, Result};

impl Engine {
    /// Plans and assesses a request; runs it at once when nothing needs
    /// approval. Answers once the plan and its decision exist.
    pub async fn submit(self: &Arc<Self>, user_id: i64, new: NewJob) -> Result<JobDetail> {
        let request = new.request.trim().to_owned();
        if request.is_empty() {
            return Err(Error::Invalid("`command` must not be empty".into()));
        }
        if request.chars().count() > MAX_REQUEST_CHARS {
            return Err(Error::Invalid(format!(
                "`command` is longer than {MAX_REQUEST_CHARS} characters"
            )));
        }
        let cwd = self.job_cwd(new.cwd.as_deref())?;
        let settings = self.store.user_settings(user_id).await?;
        let timeout = match new.approval_timeout {
            Some(t) if t.is_zero() || t > MAX_APPROVAL_TIMEOUT => {
                return Err(Error::Invalid(format!(
                    "`approval_timeout` must be between 1 and {} seconds",
                    MAX_APPROVAL_TIMEOUT.as_secs()
                )));
            }
            Some(t) => t,
            None => Duration::from_secs(
                settings
                    .approval_timeout_secs
                    .unwrap_or(self.config.approval.timeout_secs),
            ),
        };
        let job = self
            .store
            .insert_job(user_id, &request, &cwd.to_string_lossy())
            .await?;
        // Open consoles show the card while it is still being planned.
        self.publish_status(job).await?;
        if let Err(error) = self
            .plan_and_decide(job, user_id, &request, &cwd, timeout, &settings)
            .await
        {
            tracing::error!(%job, %error, "planning failed");
            self.fail(
                job,
                JobStatus::Planning,
                &format!("planning failed: {error}"),
            )
            .await?;
        }
        self.detail(job, user_id).await
    }

    fn job_cwd(&self, requested: Option<&Path>) -> Result<PathBuf> {
        let Some(path) = requested else {
            return Ok(self.config.default_cwd().to_path_buf());
        };
        let path = path
            .to_str()
            .and_then(|raw| crate::typed_path::expand_tilde(raw, &self.home))
            .unwrap_or_else(|| path.to_path_buf());
        if !path.is_absolute() {
            return Err(Error::Invalid(format!(
                "`context.cwd` must be an absolute path, not `{}`",
                path.display()
            )));
        }
        if !path.is_dir() {
            return Err(Error::Invalid(format!(
                "`context.cwd` `{}` is not an existing directory",
                path.display()
            )));
        }
        Ok(path)
    }
}
