//! Executes an approved job step by step, as decided: each step's status,
//! the undo snapshot before the first writing step (see `snapshots`), the
//! step itself (`process_steps`, `file_steps`, `aws_steps`), and on the
//! first failure or cancel the rest skipped; `finish` ends the job.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use protocol::{LiveEvent, LogStream};

use super::{Engine, interrupt};
use crate::executor::Interpreter;
use crate::job::{JobId, JobStatus, StepStatus};
use crate::plan::StepAction;
use crate::store::StepRecord;
use crate::{Error, Result};

/// Largest `result` text kept for a job.
const RESULT_CAP_BYTES: usize = 256 * 1024;

/// What every step of one job run shares.
#[derive(Clone, Copy)]
pub(super) struct JobRun<'a> {
    pub(super) job: JobId,
    pub(super) user_id: i64,
    pub(super) cwd: &'a std::path::Path,
    pub(super) extra_roots: &'a [std::path::PathBuf],
    pub(super) cancel: &'a CancellationToken,
}

/// How a step ended.
pub(super) enum StepEnd {
    Done(String),
    Failed(String, Option<i32>),
    Cancelled,
}

impl Engine {
    /// Runs `job` in the background.
    pub(super) fn spawn_run(self: &Arc<Self>, job: JobId, user_id: i64) {
        let token = CancellationToken::new();
        if let Ok(mut running) = self.running.lock() {
            running.insert(job, token.clone());
        }
        // Approved while DevOS shuts down: it ends `interrupted` before its
        // first step. (`shutdown` sets the flag before it cancels the tokens.)
        if self.is_shutting_down() {
            token.cancel();
        }
        // Freed by a full disk earlier; back once there is room again.
        self.disk_reserve.refill();
        let engine = Arc::clone(self);
        tokio::spawn(async move {
            if let Err(error) = engine.run_job(job, user_id, &token).await {
                tracing::error!(%job, %error, "job execution failed");
                let message = if crate::store::is_disk_full(&error) {
                    // Room to record the failure itself.
                    engine.disk_reserve.release();
                    format!(
                        "the disk holding DevOS's data ({}) is full: {error}; free some space and run the job again",
                        engine.disk_reserve.dir().display()
                    )
                } else {
                    format!("execution failed: {error}")
                };
                // Only the transition from the job's actual state succeeds.
                for from in [JobStatus::Executing, JobStatus::Approved] {
                    if let Err(error) = engine.fail(job, from, &message).await {
                        tracing::error!(%job, %error, "could not mark the job failed");
                    }
                }
            }
            if let Ok(mut running) = engine.running.lock() {
                running.remove(&job);
            }
            engine.run_ended.notify_waiters();
        });
    }

    async fn run_job(&self, job: JobId, user_id: i64, cancel: &CancellationToken) -> Result<()> {
        if !self
            .set_status(job, JobStatus::Approved, JobStatus::Executing, None)
            .await?
        {
            return Ok(());
        }
        let record = self.owned(job, user_id).await?;
        let steps = self.store.steps(job).await?;
        let tmp_dir = self.job_tmp_dir(job);
        std::fs::create_dir_all(&tmp_dir).map_err(|e| Error::io(&tmp_dir, e))?;
        // As decided: preferences changed since planning do not reach this job.
        let run = JobRun {
            job,
            user_id,
            cwd: &record.cwd,
            extra_roots: &record.write_roots,
            cancel,
        };
        let mut result = String::new();
        for step in &steps {
            self.store
                .set_step_status(job, step.idx, StepStatus::Running, None)
                .await?;
            self.publish_status(job).await?;
            // Typed file steps do not watch the token, so check between steps.
            let end = if cancel.is_cancelled() {
                StepEnd::Cancelled
            } else {
                self.snapshot_before(job, user_id, (run.cwd, run.extra_roots), &steps, step)
                    .await?;
                self.run_step(&run, step).await?
            };
            match end {
                StepEnd::Done(output) => {
                    self.store
                        .set_step_status(job, step.idx, StepStatus::Done, Some(0))
                        .await?;
                    push_capped(&mut result, &output);
                }
                StepEnd::Failed(error, code) => {
                    self.store
                        .set_step_status(job, step.idx, StepStatus::Failed, code)
                        .await?;
                    self.skip_rest(job, &steps, step.idx).await?;
                    let message = format!("step {} failed: {error}", step.idx + 1);
                    return self
                        .finish(job, JobStatus::Failed, &result, Some(&message))
                        .await;
                }
                StepEnd::Cancelled if self.is_shutting_down() => {
                    self.store
                        .set_step_status(job, step.idx, StepStatus::Interrupted, None)
                        .await?;
                    self.skip_rest(job, &steps, step.idx).await?;
                    self.log_info(job, user_id, step.idx, interrupt::SHUTDOWN_NOTE)
                        .await?;
                    let message = interrupt::interrupted_message(JobStatus::Executing);
                    return self
                        .finish(job, JobStatus::Interrupted, &result, Some(&message))
                        .await;
                }
                StepEnd::Cancelled => {
                    self.store
                        .set_step_status(job, step.idx, StepStatus::Cancelled, None)
                        .await?;
                    self.skip_rest(job, &steps, step.idx).await?;
                    return self
                        .finish(
                            job,
                            JobStatus::Cancelled,
                            &result,
                            Some("cancelled while running"),
                        )
                        .await;
                }
            }
        }
        self.finish(job, JobStatus::Completed, &result, None).await
    }

    /// Runs one step: a process for bash/python, the engine itself for file ops.
    async fn run_step(&self, run: &JobRun<'_>, step: &StepRecord) -> Result<StepEnd> {
        Ok(match &step.action {
            StepAction::Bash { command } => {
                self.run_process(run, step, Interpreter::Bash, command)
                    .await
            }
            StepAction::Python { command } => {
                self.run_process(run, step, Interpreter::Python, command)
                    .await
            }
            StepAction::Fs { .. } => self.run_file_ops(run, step).await?,
            StepAction::Aws { region, call } => {
                self.run_aws(run, step, region.as_deref(), call).await?
            }
        })
    }

    async fn skip_rest(&self, job: JobId, steps: &[StepRecord], failed: usize) -> Result<()> {
        for step in steps.iter().filter(|s| s.idx > failed) {
            self.store
                .set_step_status(job, step.idx, StepStatus::Skipped, None)
                .await?;
        }
        Ok(())
    }

    pub(super) async fn log_info(
        &self,
        job: JobId,
        user_id: i64,
        step: usize,
        line: &str,
    ) -> Result<()> {
        self.log_to(job, user_id, step, LogStream::Info, line).await
    }

    /// Stores one output line of a step and publishes it.
    pub(super) async fn log_to(
        &self,
        job: JobId,
        user_id: i64,
        step: usize,
        stream: LogStream,
        line: &str,
    ) -> Result<()> {
        self.store.append_logs(job, step, &[(stream, line)]).await?;
        self.publish(
            user_id,
            LiveEvent::Log {
                job_id: job,
                step,
                stream,
                line: line.to_owned(),
            },
        );
        Ok(())
    }
}

fn push_capped(result: &mut String, text: &str) {
    let room = RESULT_CAP_BYTES.saturating_sub(result.len());
    if room == 0 {
        return;
    }
    let mut end = text.len().min(room);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    result.push_str(&text[..end]);
}
