//! A `bash` or `python` step: its sandbox (write roots as decided, network
//! only where the step was rated to reach it, resource limits), the process
//! through the executor, each output line stored and published, and the
//! exit turned into how the step ended.

use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use protocol::{LiveEvent, LogStream};

use super::Engine;
use super::run::{JobRun, StepEnd};
use crate::executor::{self, ExecLimits, Interpreter, OutcomeKind, OutputStream, StepCommand};
use crate::plan::SafetyLevel;
use crate::sandbox::{self, ResourceLimits, SandboxPolicy};
use crate::store::StepRecord;

/// Most output lines stored in one transaction.
const LOG_BATCH_LINES: usize = 256;

impl Engine {
    /// Runs one process step to its end.
    pub(super) async fn run_process(
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
            let mut ready = Vec::with_capacity(LOG_BATCH_LINES);
            // Lines that arrived together are stored in one transaction.
            while receiver.recv_many(&mut ready, LOG_BATCH_LINES).await > 0 {
                let lines: Vec<(LogStream, String)> = ready.drain(..).map(log_line).collect();
                if lost > 0 {
                    // The disk is full: count, do not retry every line.
                    lost += lines.len();
                } else {
                    let rows: Vec<(LogStream, &str)> = lines
                        .iter()
                        .map(|(stream, text)| (*stream, text.as_str()))
                        .collect();
                    if let Err(error) = self.store.append_logs(job, step.idx, &rows).await {
                        tracing::warn!(%job, %error, "could not store output lines");
                        if crate::store::is_disk_full(&error) {
                            // Room to record how the job ended.
                            self.disk_reserve.release();
                            lost = lines.len();
                        }
                    }
                }
                for (stream, line) in lines {
                    self.publish(
                        user_id,
                        LiveEvent::Log {
                            job_id: job,
                            step: step.idx,
                            stream,
                            line,
                        },
                    );
                }
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
            OutcomeKind::Exited if outcome.is_success() => {
                StepEnd::Done(crate::context::redact(&outcome.stdout))
            }
            OutcomeKind::Exited
                if outcome.exit_code == Some(1)
                    && outcome.stderr.trim().is_empty()
                    && exit_one_is_an_answer(interpreter, script) =>
            {
                if let Err(error) = self.log_info(job, user_id, step.idx, NO_MATCH_NOTE).await {
                    tracing::warn!(%job, %error, "could not store a step's note");
                }
                StepEnd::Done(crate::context::redact(&outcome.stdout))
            }
            OutcomeKind::Exited => {
                // What the step printed is shown only redacted, as its log lines are.
                let stderr = crate::context::redact(outcome.stderr.trim());
                let stderr = stderr.as_str();
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
                    crate::context::redact(outcome.stderr.trim())
                ),
                None,
            ),
        }
    }
}

/// An output line as stored and shown. What a step prints can hold
/// credentials; logs and pages never show them.
fn log_line(line: executor::OutputLine) -> (LogStream, String) {
    let stream = match line.stream {
        OutputStream::Stdout => LogStream::Stdout,
        OutputStream::Stderr => LogStream::Stderr,
    };
    (stream, crate::context::redact(&line.text))
}

/// Shown when a search ended with "nothing selected".
const NO_MATCH_NOTE: &str = "the search ended with status 1: no line matched the pattern";

/// Whether exit status 1 of `script` is an answer rather than a failure: the
/// script is one plain `grep` (or `egrep`, `fgrep`, `rg`, `git grep`), whose
/// status 1 means "no line selected" (errors are 2). Anything around it
/// (a pipeline, a list, a wrapper) could have failed with 1 itself.
fn exit_one_is_an_answer(interpreter: Interpreter, script: &str) -> bool {
    if interpreter != Interpreter::Bash {
        return false;
    }
    let Ok(parsed) = crate::shell::parse_script(script) else {
        return false;
    };
    let [command] = parsed.commands.as_slice() else {
        return false;
    };
    let searches = match command.program.as_str() {
        "grep" | "egrep" | "fgrep" | "rg" => true,
        "git" => command
            .words
            .first()
            .is_some_and(|word| word.value == "grep"),
        _ => false,
    };
    searches
        && parsed.hazards.is_empty()
        && command.wrappers.is_empty()
        && command.upstream.is_empty()
}

fn command_name(interpreter: Interpreter) -> &'static str {
    match interpreter {
        Interpreter::Bash => "bash",
        Interpreter::Python => "python3",
    }
}

fn tail(text: &str, max: usize) -> &str {
    let mut start = text.len().saturating_sub(max);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}
