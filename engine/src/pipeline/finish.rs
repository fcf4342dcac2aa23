//! The last stage of a run: the `after` undo snapshots, the job's temp
//! folder removed, and the final status with what the steps printed and,
//! unless the job completed, why.

use super::Engine;
use crate::Result;
use crate::job::{JobId, JobStatus};
use crate::store::Outcome;

impl Engine {
    /// Ends an executing job with what its steps printed and, unless it
    /// completed, why.
    pub(super) async fn finish(
        &self,
        job: JobId,
        status: JobStatus,
        result: &str,
        error: Option<&str>,
    ) -> Result<()> {
        self.snapshot_after(job).await;
        let tmp_dir = self.job_tmp_dir(job);
        if let Err(error) = std::fs::remove_dir_all(&tmp_dir) {
            tracing::debug!(%job, %error, "job temp dir not removed");
        }
        let outcome = Outcome {
            result: Some(result),
            error,
        };
        self.set_status(job, JobStatus::Executing, status, Some(outcome))
            .await?;
        Ok(())
    }
}
