//! Executes an approved job step by step: process steps through the
//! executor (output streamed to the log and the bus), typed file actions
//! through `fsops` with a journal entry written before each change, and the
//! undo snapshots around them (see `snapshots`).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use protocol::{LiveEvent, LogStream};

use super::{Engine, interrupt};
use crate::executor::{self, ExecLimits, Interpreter, OutcomeKind, OutputStream, StepCommand};
use crate::fsops::{self, FileOp};
use crate::job::{JobId, JobStatus, StepStatus};
use crate::plan::{SafetyLevel, StepAction};
use crate::sandbox::{self, ResourceLimits, SandboxPolicy};
use crate::store::{Outcome, StepRecord};
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

    /// Ends an executing job with what its steps printed and, unless it
    /// completed, why.
    async fn finish(
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

    async fn skip_rest(&self, job: JobId, steps: &[StepRecord], failed: usize) -> Result<()> {
        for step in steps.iter().filter(|s| s.idx > failed) {
            self.store
                .set_step_status(job, step.idx, StepStatus::Skipped, None)
                .await?;
        }
        Ok(())
    }

    async fn run_process(
        &self,
        run: &JobRun<'_>,
        step: &StepRecord,
        interpreter: Interpreter,
        script: &str,
    ) -> StepEnd {
        let JobRun {
            job,
            user_id,
            cwd,
            extra_roots,
            cancel,
        } = *run;
        let tmp_dir = self.job_tmp_dir(job);
        let read_only = match step.level {
            SafetyLevel::Safe => true,
            SafetyLevel::Moderate | SafetyLevel::Destructive => false,
        };
        let mut write_roots = sandbox::job_write_roots(cwd, &tmp_dir, read_only);
        if !read_only {
            write_roots.extend(extra_roots.iter().cloned());
        }
        let sandbox = SandboxPolicy {
            write_roots,
            // Network steps always needed a person's approval (or a remembered one).
            allow_network: step.network,
            limits: ResourceLimits::from_config(&self.config.sandbox),
            require_landlock: self.config.sandbox.require_landlock,
            use_landlock: self.config.sandbox.landlock,
        };
        let command = StepCommand {
            interpreter,
            script: script.to_owned(),
            cwd: cwd.to_path_buf(),
            tmp_dir,
            parent_env: self.parent_env.clone(),
            pass_env: self.config.sandbox.pass_env.clone(),
            read_only,
            sandbox: Some(sandbox),
        };
        let limits = ExecLimits {
            timeout: Duration::from_secs(self.config.sandbox.timeout_secs),
            output_cap_bytes: self.config.sandbox.output_cap_bytes,
        };
        let (sender, mut receiver) = mpsc::unbounded_channel::<executor::OutputLine>();
        let forward = async {
            let mut lost = 0_usize;
            while let Some(line) = receiver.recv().await {
                // What a step prints can hold credentials; logs and pages never show them.
                let text = crate::context::redact(&line.text);
                let stream = match line.stream {
                    OutputStream::Stdout => LogStream::Stdout,
                    OutputStream::Stderr => LogStream::Stderr,
                };
                if lost > 0 {
                    // The disk is full: count, do not retry every line.
                    lost += 1;
                } else if let Err(error) = self
                    .store
                    .append_logs(job, step.idx, &[(stream, &text)])
                    .await
                {
                    tracing::warn!(%job, %error, "could not store an output line");
                    if crate::store::is_disk_full(&error) {
                        // Room to record how the job ended.
                        self.disk_reserve.release();
                        lost = 1;
                    }
                }
                self.events.publish(
                    user_id,
                    LiveEvent::Log {
                        job_id: job,
                        step: step.idx,
                        stream,
                        line: text,
                    },
                );
            }
            lost
        };
        let (started, process) = oneshot::channel();
        // Stored so that the next start can stop what a crashed DevOS left.
        let record = async {
            if let Ok(process) = process.await
                && let Err(error) = self.store.set_step_process(job, step.idx, &process).await
            {
                tracing::warn!(%job, %error, "could not record a step's process group");
            }
        };
        let run = async {
            let outcome =
                executor::run_step_reporting(&command, limits, cancel, &sender, started).await;
            drop(sender);
            outcome
        };
        let (outcome, lost, ()) = tokio::join!(run, forward, record);
        if lost > 0 {
            return StepEnd::Failed(
                format!(
                    "the disk holding DevOS's data ({}) is full: {lost} output lines could not be stored; free some space and run the job again",
                    self.disk_reserve.dir().display()
                ),
                outcome.exit_code,
            );
        }
        match outcome.kind {
            OutcomeKind::Exited if outcome.is_success() => StepEnd::Done(outcome.stdout),
            OutcomeKind::Exited => {
                let stderr = outcome.stderr.trim();
                let detail = if stderr.is_empty() {
                    String::new()
                } else {
                    format!(": {}", tail(stderr, 2000))
                };
                let code = outcome.exit_code.map_or_else(
                    || "was killed by a signal".to_owned(),
                    |c| format!("exited with code {c}"),
                );
                StepEnd::Failed(format!("{code}{detail}"), outcome.exit_code)
            }
            OutcomeKind::TimedOut => StepEnd::Failed(
                format!(
                    "timed out after {} s; its processes were killed",
                    self.config.sandbox.timeout_secs
                ),
                None,
            ),
            OutcomeKind::Cancelled => StepEnd::Cancelled,
            OutcomeKind::FailedToStart => StepEnd::Failed(
                format!(
                    "could not start {}: {}",
                    command_name(interpreter),
                    outcome.stderr.trim()
                ),
                None,
            ),
        }
    }

    async fn run_file_ops(&self, run: &JobRun<'_>, step: &StepRecord) -> Result<StepEnd> {
        let (job, user_id) = (run.job, run.user_id);
        if step.ops.is_empty() {
            let line = format!("nothing to do: {}", step.preview);
            self.log_info(job, user_id, step.idx, &line).await?;
            return Ok(StepEnd::Done(line + "\n"));
        }
        let ops = step.ops.clone();
        let trash_dir = self.job_trash_dir(job);
        let temp_dir = self.job_tmp_dir(job);
        let mut roots = sandbox::job_write_roots(run.cwd, &temp_dir, false);
        roots.extend(run.extra_roots.iter().cloned());
        let store = self.store.clone();
        let idx = step.idx;
        let handle = tokio::runtime::Handle::current();
        let applied = tokio::task::spawn_blocking(move || {
            let mut done = Vec::new();
            for op in &ops {
                // Checked again now: a symlink planted since planning must not
                // redirect a write, move or trash out of the write roots.
                let checked = fsops::check_contained(op, &roots)
                    .and_then(|()| fsops::check_not_into_temp(op, &temp_dir));
                if let Err(error) = checked {
                    return (done, Some(error.to_string()));
                }
                let mut journal = |entry: &fsops::JournalEntry| {
                    handle.block_on(store.insert_journal(job, idx, entry))
                };
                if let Err(error) = fsops::apply(op, &trash_dir, &mut journal) {
                    return (done, Some(error.to_string()));
                }
                done.push(describe(op));
            }
            (done, None)
        })
        .await
        .map_err(|e| Error::Task(e.to_string()))?;
        let (done, error) = applied;
        let mut output = String::new();
        for line in &done {
            self.log_info(job, user_id, idx, line).await?;
            output.push_str(line);
            output.push('\n');
        }
        Ok(match error {
            None => StepEnd::Done(output),
            Some(error) => StepEnd::Failed(
                format!(
                    "{error} (the {} change(s) before it can be undone)",
                    done.len()
                ),
                None,
            ),
        })
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
        self.events.publish(
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

fn command_name(interpreter: Interpreter) -> &'static str {
    match interpreter {
        Interpreter::Bash => "bash",
        Interpreter::Python => "python3",
    }
}

/// One line saying what a file op did.
fn describe(op: &FileOp) -> String {
    match op {
        FileOp::Mkdir { path } => format!("created folder {}", path.display()),
        FileOp::Move { from, to } => format!("moved {} → {}", from.display(), to.display()),
        FileOp::Copy { from, to } => format!("copied {} → {}", from.display(), to.display()),
        FileOp::Write { path, content } => {
            format!("wrote {} ({} bytes)", path.display(), content.len())
        }
        FileOp::Trash { path } => format!("moved to trash: {}", path.display()),
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

fn tail(text: &str, max: usize) -> &str {
    let mut start = text.len().saturating_sub(max);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}
