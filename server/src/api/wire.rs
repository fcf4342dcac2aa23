//! REST v1 wire types: request bodies and answers, frozen by golden tests.
//! Kept apart from engine types so the wire can stay stable while they evolve.

use engine::models::cost::micros_to_usd;
use engine::pipeline::JobDetail;
use engine::store::{LogLine, StepRecord};
use protocol::{Decision, JobStatus, LogStream, SafetyLevel, StepStatus};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/command` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandRequest {
    /// The request in plain language.
    pub command: String,
    /// Where to run it.
    #[serde(default)]
    pub context: Option<CommandContext>,
    /// Seconds to wait for an approval.
    #[serde(default)]
    pub approval_timeout: Option<u64>,
}

/// `context` of a command request.
#[derive(Debug, Default, Deserialize)]
pub struct CommandContext {
    /// Absolute directory (or `~/…`).
    #[serde(default)]
    pub cwd: Option<String>,
}

/// `POST /api/v1/command` answer.
#[derive(Debug, Serialize)]
pub struct CommandResponse {
    /// Job id.
    pub job_id: i64,
    /// Status once planned.
    pub status: JobStatus,
    /// Whether it waits for approval.
    pub requires_approval: bool,
    /// Estimated model cost in US dollars.
    pub estimated_cost: f64,
    /// `builtin` or the model that planned it.
    pub model_used: String,
}

/// `POST /api/v1/command/{id}/approve` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApproveRequest {
    /// Run it or not.
    pub approved: bool,
    /// Remember the decision for similar commands.
    #[serde(default)]
    pub remember: bool,
    /// A note kept with the decision.
    #[serde(default)]
    pub note: Option<String>,
}

/// One step in a status answer.
#[derive(Debug, Serialize)]
pub struct StepView {
    /// 0-based index.
    pub index: usize,
    /// What it does.
    pub description: String,
    /// `bash`, `python`, `fs` or `aws`.
    pub kind: &'static str,
    /// The command, or the file action or AWS call as JSON.
    pub command: String,
    /// `safe`, `moderate`, `destructive`.
    pub level: SafetyLevel,
    /// `allow`, `prompt`, `forbid`.
    pub decision: Decision,
    /// Why.
    pub reasons: Vec<String>,
    /// Files it touches.
    pub preview: String,
    /// Whether undo can revert it.
    pub undoable: bool,
    /// `pending`, `running`, `done`, `failed`, `skipped`, `cancelled`, `interrupted`.
    pub status: StepStatus,
    /// Exit code of a process step.
    pub exit_code: Option<i32>,
}

/// One output line.
#[derive(Debug, Serialize)]
pub struct LogView {
    /// Step index.
    pub step: usize,
    /// `stdout`, `stderr`, `info`.
    pub stream: LogStream,
    /// Text.
    pub line: String,
}

/// `GET /api/v1/command/{id}/status` answer (and list items).
#[derive(Debug, Serialize)]
pub struct StatusResponse {
    /// Job id.
    pub job_id: i64,
    /// The request.
    pub command: String,
    /// Status.
    pub status: JobStatus,
    /// What the planner understood.
    pub interpretation: String,
    /// Output of the job.
    pub result: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
    /// Recent output lines.
    pub logs: Vec<LogView>,
    /// 0.0 to 1.0.
    pub progress: f32,
    /// Always `null`: the key stays for the MVP's clients, which read it, but
    /// DevOS does not estimate finishing times (README, REST API).
    pub estimated_completion: Option<i64>,
    /// The steps.
    pub steps: Vec<StepView>,
    /// Whether it waited for approval.
    pub requires_approval: bool,
    /// Pending jobs expire at this Unix time.
    pub approval_deadline_at: Option<i64>,
    /// `builtin` or the model.
    pub model_used: String,
    /// Estimated model cost in US dollars.
    pub estimated_cost: f64,
    /// Whether `undo` has something to revert.
    pub can_undo: bool,
    /// Whether the last undo can be redone (`POST /api/v1/command/{id}/redo`).
    pub can_redo: bool,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds, once final.
    pub finished_at: Option<i64>,
}

fn step_view(step: StepRecord) -> StepView {
    let (kind, command) = match step.action {
        engine::plan::StepAction::Bash { command } => ("bash", command),
        engine::plan::StepAction::Python { command } => ("python", command),
        engine::plan::StepAction::Fs { action } => {
            ("fs", serde_json::to_string(&action).unwrap_or_default())
        }
        action @ engine::plan::StepAction::Aws { .. } => {
            ("aws", serde_json::to_string(&action).unwrap_or_default())
        }
    };
    StepView {
        index: step.idx,
        description: step.description,
        kind,
        command,
        level: step.level,
        decision: step.decision,
        reasons: step.reasons,
        preview: step.preview,
        undoable: step.undoable,
        status: step.status,
        exit_code: step.exit_code,
    }
}

fn log_view(line: LogLine) -> LogView {
    LogView {
        step: line.step,
        stream: line.stream,
        line: line.line,
    }
}

impl From<JobDetail> for StatusResponse {
    fn from(detail: JobDetail) -> Self {
        let progress = detail.progress();
        let job = detail.job;
        Self {
            job_id: job.id.0,
            command: job.request,
            status: job.status,
            interpretation: job.interpretation,
            result: job.result,
            error: job.error,
            logs: detail.logs.into_iter().map(log_view).collect(),
            progress,
            estimated_completion: None,
            steps: detail.steps.into_iter().map(step_view).collect(),
            requires_approval: job.requires_approval,
            approval_deadline_at: job.approval_deadline_at,
            model_used: job.model_used.unwrap_or_else(|| job.planner.clone()),
            estimated_cost: micros_to_usd(job.estimated_cost_micros),
            can_undo: detail.can_undo,
            can_redo: detail.can_redo,
            created_at: job.created_at,
            finished_at: job.finished_at,
        }
    }
}

impl From<&JobDetail> for CommandResponse {
    fn from(detail: &JobDetail) -> Self {
        Self {
            job_id: detail.job.id.0,
            status: detail.job.status,
            requires_approval: detail.job.requires_approval,
            estimated_cost: micros_to_usd(detail.job.estimated_cost_micros),
            model_used: detail
                .job
                .model_used
                .clone()
                .unwrap_or_else(|| detail.job.planner.clone()),
        }
    }
}
