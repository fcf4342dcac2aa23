//! Jobs DevOS itself stops: a graceful shutdown (SIGTERM, Ctrl+C, the
//! service stopping) and, at the next start, jobs a stopped or crashed DevOS
//! left behind. Both end such jobs `interrupted` — not `cancelled`, which
//! means a person stopped the job — with the same message, and both make
//! sure the step's processes are gone first.

use std::sync::atomic::Ordering;
use std::time::Duration;

use protocol::LogStream;

use super::Engine;
use crate::job::JobStatus;
use crate::store::Outcome;
use crate::{Error, Result};

/// Logged at the running step when a shutdown stopped it.
pub(super) const SHUTDOWN_NOTE: &str = "the step's processes were stopped when DevOS shut down";

/// The `error` of an interrupted job, whichever way DevOS stopped.
pub(super) fn interrupted_message(status: JobStatus) -> String {
    format!(
        "DevOS stopped while this job was {status}; it was not resumed. \
         Check what its steps changed before running it again."
    )
}

/// Logged at a step whose process group a restart found and stopped.
fn restart_note(still_running: usize) -> String {
    let found = match still_running {
        0 => "none was still running".to_owned(),
        1 => "1 was still running and was killed".to_owned(),
        n => format!("{n} were still running and were killed"),
    };
    format!("the step's processes were stopped when DevOS restarted ({found})")
}

impl Engine {
    /// Whether [`Engine::shutdown`] has begun.
    pub(super) fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::SeqCst)
    }

    /// Stops every running job for a shutdown: each running step's process
    /// group gets SIGTERM, then SIGKILL a second later, and its job ends
    /// `interrupted`. Returns once all runs have ended, or after `grace`
    /// (whatever is left then dies with the process). Jobs approved after
    /// this call end `interrupted` before their first step.
    pub async fn shutdown(&self, grace: Duration) {
        self.shutting_down.store(true, Ordering::SeqCst);
        let tokens: Vec<_> = self
            .running
            .lock()
            .map(|running| running.values().cloned().collect())
            .unwrap_or_default();
        tracing::info!(jobs = tokens.len(), "stopping running jobs for shutdown");
        for token in &tokens {
            token.cancel();
        }
        let all_ended = async {
            loop {
                // Registered before the check, so no wake-up is missed.
                let ended = self.run_ended.notified();
                if self.running.lock().map_or(true, |r| r.is_empty()) {
                    break;
                }
                ended.await;
            }
        };
        if tokio::time::timeout(grace, all_ended).await.is_err() {
            tracing::warn!(?grace, "running jobs did not stop in time");
        }
    }

    /// Jobs a stopped DevOS left running become `interrupted`, after what is
    /// left of their running step's process group is killed; pending jobs
    /// past their deadline become `expired`. A job whose step another live
    /// DevOS process runs (a `devos ask` beside the server) is left alone.
    pub(super) async fn recover(&self) -> Result<()> {
        let stale = [
            JobStatus::Planning,
            JobStatus::Approved,
            JobStatus::Executing,
        ];
        for (job, status, _) in self.store.jobs_in(&stale).await? {
            let processes = self.store.running_step_processes(job).await?;
            if processes.iter().any(|(_, p)| p.is_runner_alive()) {
                tracing::info!(%job, "job is run by another live DevOS process; left alone");
                continue;
            }
            let mut notes = Vec::with_capacity(processes.len());
            for (idx, process) in processes {
                let stopped = tokio::task::spawn_blocking(move || process.stop_leftovers())
                    .await
                    .map_err(|e| Error::Task(e.to_string()))?;
                tracing::warn!(%job, step = idx, stopped, "stopped a step left by the last run");
                notes.push((idx, restart_note(stopped)));
            }
            let message = interrupted_message(status);
            if self
                .set_status(
                    job,
                    status,
                    JobStatus::Interrupted,
                    Some(Outcome::error(&message)),
                )
                .await?
            {
                self.store.settle_interrupted_steps(job).await?;
                for (idx, note) in &notes {
                    self.store
                        .append_logs(job, *idx, &[(LogStream::Info, note)])
                        .await?;
                }
                self.store
                    .append_logs(job, 0, &[(LogStream::Info, &message)])
                    .await?;
                tracing::warn!(%job, "job marked interrupted at start-up");
            }
        }
        self.expire_due().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_say_how_many_processes_a_restart_killed() {
        for (count, expected) in [
            (0, "(none was still running)"),
            (1, "(1 was still running and was killed)"),
            (3, "(3 were still running and were killed)"),
        ] {
            let note = restart_note(count);
            assert!(
                note.starts_with("the step's processes were stopped when DevOS restarted"),
                "{note}"
            );
            assert!(note.ends_with(expected), "{count}: {note}");
        }
    }
}
