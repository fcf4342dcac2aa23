//! What a job card shows — the job with its undo state, its steps and its
//! last output lines — in a fixed number of queries: three for one job and
//! three for a whole page, however many jobs, steps and lines there are.

use super::Store;
use super::jobs::JobFilter;
use super::logs::LogLine;
use super::steps::StepRecord;
use super::undo_state::JobWithUndo;
use crate::Result;
use crate::job::JobId;

/// The stored parts of one job card.
#[derive(Debug, Clone, PartialEq)]
pub struct JobCardRows {
    /// The job and what its undo can do.
    pub job: JobWithUndo,
    /// Its steps, in order.
    pub steps: Vec<StepRecord>,
    /// Its last output lines, in order.
    pub logs: Vec<LogLine>,
}

impl Store {
    /// The card of `job` when `user_id` owns it, with up to `log_lines` lines.
    pub async fn job_card(
        &self,
        job: JobId,
        user_id: i64,
        log_lines: u32,
    ) -> Result<Option<JobCardRows>> {
        let Some(with_undo) = self.job_with_undo_state(job, user_id).await? else {
            return Ok(None);
        };
        Ok(Some(JobCardRows {
            job: with_undo,
            steps: self.steps(job).await?,
            logs: self.logs(job, log_lines).await?,
        }))
    }

    /// The cards of a user's jobs matching `filter`, newest first.
    pub async fn job_cards(
        &self,
        user_id: i64,
        filter: &JobFilter,
        log_lines: u32,
    ) -> Result<Vec<JobCardRows>> {
        let jobs = self.list_jobs(user_id, filter).await?;
        let ids: Vec<JobId> = jobs.iter().map(|with_undo| with_undo.job.id).collect();
        let mut steps = self.steps_of(&ids).await?;
        let mut logs = self.last_logs_of(&ids, log_lines).await?;
        Ok(jobs
            .into_iter()
            .map(|with_undo| {
                let id = with_undo.job.id;
                JobCardRows {
                    job: with_undo,
                    steps: steps.remove(&id).unwrap_or_default(),
                    logs: logs.remove(&id).unwrap_or_default(),
                }
            })
            .collect())
    }
}
