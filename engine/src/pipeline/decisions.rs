//! A person's actions on a job after planning: approve or reject (with
//! remember) and cancel (killing a running step). Undo is in `undo`.

use std::sync::Arc;
use std::time::Duration;

use protocol::LiveEvent;

use super::{ApprovalDecision, Engine, JobDetail};
use crate::events::Event;
use crate::job::{JobId, JobStatus};
use crate::store::{Outcome, now_unix};
use crate::{Error, Result};

impl Engine {
    /// Approves or rejects a pending job.
    pub async fn decide(
        self: &Arc<Self>,
        user_id: i64,
        job: JobId,
        decision: ApprovalDecision,
    ) -> Result<JobDetail> {
        let record = self.owned(job, user_id).await?;
        if record.status == JobStatus::Pending
            && record.approval_deadline_at.is_some_and(|d| d <= now_unix())
        {
            self.expire_due().await?;
            return Err(Error::Conflict(format!(
                "job {job} expired before the decision arrived"
            )));
        }
        if record.status != JobStatus::Pending {
            return Err(Error::Conflict(format!(
                "job {job} is {}, not pending: there is nothing to approve",
                record.status
            )));
        }
        let next = if decision.approved {
            JobStatus::Approved
        } else {
            JobStatus::Rejected
        };
        let note = if decision.note.trim().is_empty() {
            "rejected".to_owned()
        } else {
            format!("rejected: {}", decision.note.trim())
        };
        let outcome = (!decision.approved).then(|| Outcome::error(&note));
        if !self
            .set_status(job, JobStatus::Pending, next, outcome)
            .await?
        {
            return Err(Error::Conflict(format!(
                "job {job} changed while deciding; reload it"
            )));
        }
        self.store
            .insert_approval(
                job,
                user_id,
                decision.approved,
                decision.remember,
                &decision.note,
            )
            .await?;
        if decision.remember {
            self.remember(user_id, &record, decision.approved).await?;
        }
        if decision.approved {
            self.spawn_run(job, user_id);
        }
        self.detail(job, user_id).await
    }

    /// Cancels a job that has not finished; a running step's process group is killed.
    pub async fn cancel(&self, user_id: i64, job: JobId) -> Result<JobDetail> {
        let record = self.owned(job, user_id).await?;
        if record.status.is_final() {
            return Err(Error::Conflict(format!(
                "job {job} is already {}",
                record.status
            )));
        }
        let token = self
            .running
            .lock()
            .ok()
            .and_then(|map| map.get(&job).cloned());
        if let Some(token) = token {
            let mut events = self.subscribe();
            token.cancel();
            // The run loop finishes the transition once the group is dead.
            let finished = tokio::time::timeout(Duration::from_secs(15), async {
                loop {
                    match events.recv().await {
                        Ok(Event {
                            live: LiveEvent::JobUpdate { job_id, status, .. },
                            ..
                        }) if job_id == job && status.is_final() => {
                            break;
                        }
                        Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                        _ => {}
                    }
                }
            })
            .await;
            if finished.is_err() {
                tracing::warn!(%job, "cancelled job did not stop within 15 s");
            }
        } else {
            self.set_status(
                job,
                record.status,
                JobStatus::Cancelled,
                Some(Outcome::error("cancelled")),
            )
            .await?;
        }
        self.detail(job, user_id).await
    }
}
