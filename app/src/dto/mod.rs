//! Plain data the browser receives. Never secrets, hashes or raw context.

use protocol::{Decision, JobStatus, LogStream, SafetyLevel, StepStatus};
use serde::{Deserialize, Serialize};

mod costs;
mod history;

pub use costs::{
    BudgetBarView, BudgetsView, CostlyJobView, CostsView, DaySpendView, SavingsView, SpendRowView,
};
pub use history::{
    ApprovalView, HistoryRowView, HistoryView, JobPageView, LogLineView, LogPageView,
    ModelCallView, TextPart,
};

/// The logged-in user, as pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    /// Login name.
    pub name: String,
}

/// A job waiting for approval, for the tab title and notifications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingView {
    /// Job id.
    pub id: i64,
    /// What was asked.
    pub request: String,
}

/// An API token in the Settings list (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenView {
    /// Row id, for revoking.
    pub id: i64,
    /// The label given at creation.
    pub label: String,
    /// "3 days ago".
    pub created: String,
    /// "used 5 minutes ago" or "never used".
    pub last_used: String,
}

/// An open browser session in the Settings list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// Row id, for signing it out.
    pub id: i64,
    /// "Chrome on Linux".
    pub browser: String,
    /// The client address at login.
    pub address: String,
    /// "3 hours ago".
    pub started: String,
    /// "just now".
    pub last_seen: String,
    /// Whether it is the session showing the page.
    pub current: bool,
}

/// A token just created: the only time its secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTokenView {
    /// The label given.
    pub label: String,
    /// The bearer token.
    pub secret: String,
}

/// A job card's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobView {
    /// Job id.
    pub id: i64,
    /// What the user asked.
    pub request: String,
    /// Directory it runs in.
    pub cwd: String,
    /// Where the job is.
    pub status: JobStatus,
    /// What the planner understood.
    pub interpretation: String,
    /// `builtin` or the model.
    pub planner: String,
    /// Risks for the approval card.
    pub risks: Vec<String>,
    /// The steps.
    pub steps: Vec<StepView>,
    /// Recent output.
    pub logs: Vec<LogView>,
    /// Output of a finished job.
    pub result: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
    /// Steps finished / planned.
    pub progress: f32,
    /// Whether Undo has something to revert.
    pub can_undo: bool,
    /// Whether the last undo can be redone.
    pub can_redo: bool,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds, once running.
    pub started_at: Option<i64>,
    /// Unix seconds, once final.
    pub finished_at: Option<i64>,
    /// Pending jobs expire then (Unix seconds).
    pub approval_deadline_at: Option<i64>,
    /// The context snapshot it was planned with (pretty JSON, redacted).
    pub context: String,
    /// Text a model streamed while planning (live only).
    #[serde(default)]
    pub plan_text: String,
    /// Estimated model cost in US dollars.
    pub estimated_cost: f64,
    /// Folders besides its own where the job may write, fixed when it was decided.
    #[serde(default)]
    pub write_roots: Vec<String>,
}

impl JobView {
    /// An empty card for job `id`, shown until its details arrive.
    pub fn placeholder(id: i64) -> Self {
        Self {
            id,
            request: String::new(),
            cwd: String::new(),
            status: JobStatus::Planning,
            interpretation: String::new(),
            planner: String::new(),
            risks: Vec::new(),
            steps: Vec::new(),
            logs: Vec::new(),
            result: None,
            error: None,
            progress: 0.0,
            can_undo: false,
            can_redo: false,
            created_at: 0,
            started_at: None,
            finished_at: None,
            approval_deadline_at: None,
            context: String::new(),
            plan_text: String::new(),
            estimated_cost: 0.0,
            write_roots: Vec::new(),
        }
    }

    /// Whether the job waits for a decision.
    pub fn is_pending(&self) -> bool {
        self.status == JobStatus::Pending
    }

    /// Whether the job can still be cancelled.
    pub fn is_active(&self) -> bool {
        !self.status.is_final()
    }
}

/// One step on a card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepView {
    /// What it does.
    pub description: String,
    /// `bash`, `python`, `fs`.
    pub kind: String,
    /// The command or a description of the file action.
    pub command: String,
    /// How much harm it can do.
    pub level: SafetyLevel,
    /// What the engine decided for it.
    pub decision: Decision,
    /// Why.
    pub reasons: Vec<String>,
    /// Files it touches.
    pub preview: String,
    /// Whether undo can revert it.
    pub undoable: bool,
    /// Where the step is.
    pub status: StepStatus,
}

/// One output line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogView {
    /// Step index.
    pub step: usize,
    /// Which stream the line came from.
    pub stream: LogStream,
    /// Text.
    pub line: String,
}

/// What Undo did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndoView {
    /// Items put back.
    pub reverted: Vec<String>,
    /// Paths written back from the snapshot taken before the job.
    pub restored: Vec<String>,
    /// Paths the job had created, moved to the trash.
    pub removed: Vec<String>,
    /// Items left alone, with reasons.
    pub refused: Vec<String>,
}

impl JobView {
    /// Whether the job has ended: its view then holds every output line.
    pub fn is_final(&self) -> bool {
        self.status.is_final()
    }
}

#[cfg(feature = "ssr")]
mod convert {
    //! Engine → DTO conversions (server only).

    use engine::models::cost::micros_to_usd;
    use engine::pipeline::{JobDetail, UndoOutcome};
    use engine::plan::{FsAction, StepAction};
    use engine::store::{LogLine, StepRecord, User};

    use super::{JobView, LogView, StepView, UndoView, UserView};

    impl From<User> for UserView {
        fn from(user: User) -> Self {
            Self { name: user.name }
        }
    }

    fn describe_action(action: &StepAction) -> (&'static str, String) {
        match action {
            StepAction::Bash { command } => ("bash", command.clone()),
            StepAction::Python { command } => ("python", command.clone()),
            StepAction::Fs { action } => ("fs", describe_fs(action)),
            StepAction::Aws { region, call } => (
                "aws",
                match region {
                    Some(region) => format!("{} ({region})", call.summary()),
                    None => call.summary(),
                },
            ),
        }
    }

    fn describe_fs(action: &FsAction) -> String {
        match action {
            FsAction::Mkdir { path } => format!("mkdir {path}"),
            FsAction::Organize { dir } => format!("organize {dir} by type"),
            FsAction::Move { from, to_dir } => format!("move {} → {to_dir}", from.join(" ")),
            FsAction::Rename { from, to } => format!("rename {from} → {to}"),
            FsAction::Copy { from, to_dir } => format!("copy {} → {to_dir}", from.join(" ")),
            FsAction::Write { path, content } => {
                format!("write {path} ({} bytes)", content.len())
            }
            FsAction::Trash { paths, recursive } => format!(
                "trash {}{}",
                paths.join(" "),
                if *recursive { " (recursive)" } else { "" }
            ),
        }
    }

    impl From<StepRecord> for StepView {
        fn from(step: StepRecord) -> Self {
            let (kind, command) = describe_action(&step.action);
            Self {
                description: step.description,
                kind: kind.to_owned(),
                command,
                level: step.level,
                decision: step.decision,
                reasons: step.reasons,
                preview: step.preview,
                undoable: step.undoable,
                status: step.status,
            }
        }
    }

    impl From<LogLine> for LogView {
        fn from(line: LogLine) -> Self {
            Self {
                step: line.step,
                stream: line.stream,
                line: line.line,
            }
        }
    }

    impl From<JobDetail> for JobView {
        fn from(detail: JobDetail) -> Self {
            let progress = detail.progress();
            let job = detail.job;
            Self {
                id: job.id.0,
                request: job.request,
                cwd: job.cwd.display().to_string(),
                status: job.status,
                interpretation: job.interpretation,
                planner: job.model_used.unwrap_or(job.planner),
                risks: job.risks,
                steps: detail.steps.into_iter().map(StepView::from).collect(),
                logs: detail.logs.into_iter().map(LogView::from).collect(),
                result: job.result,
                error: job.error,
                progress,
                can_undo: detail.can_undo,
                can_redo: detail.can_redo,
                created_at: job.created_at,
                started_at: job.started_at,
                finished_at: job.finished_at,
                approval_deadline_at: job.approval_deadline_at,
                context: pretty(&job.context),
                plan_text: String::new(),
                estimated_cost: micros_to_usd(job.estimated_cost_micros),
                write_roots: job
                    .write_roots
                    .iter()
                    .map(|root| root.display().to_string())
                    .collect(),
            }
        }
    }

    fn pretty(json: &str) -> String {
        serde_json::from_str::<serde_json::Value>(json)
            .ok()
            .and_then(|value| serde_json::to_string_pretty(&value).ok())
            .unwrap_or_default()
    }

    impl From<UndoOutcome> for UndoView {
        fn from(outcome: UndoOutcome) -> Self {
            Self {
                reverted: outcome.reverted,
                restored: outcome.restored,
                removed: outcome.removed,
                refused: outcome.refused,
            }
        }
    }
}

/// A remembered rule on the Preferences page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleView {
    /// Rule id.
    pub id: i64,
    /// `allow` or `deny`.
    pub decision: String,
    /// What it matches, as a command line.
    pub pattern: String,
    /// Directory subtree.
    pub scope: String,
    /// Whether it is active.
    pub enabled: bool,
    /// Steps it decided.
    pub hit_count: i64,
    /// Unix seconds of its last use.
    pub last_used_at: Option<i64>,
    /// The job it came from.
    pub created_from_job: Option<i64>,
    /// Past jobs it would have matched.
    pub matched_jobs: usize,
    /// A few of them.
    pub examples: Vec<RuleExample>,
}

/// A past job a rule would have matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleExample {
    /// The job's id.
    pub job_id: i64,
    /// What it asked.
    pub request: String,
}

#[cfg(feature = "ssr")]
impl From<engine::pipeline::RuleUsage> for RuleView {
    fn from(usage: engine::pipeline::RuleUsage) -> Self {
        let rule = usage.rule;
        Self {
            id: rule.id,
            decision: rule.decision.as_str().to_owned(),
            pattern: rule.pattern.display(),
            scope: rule.scope.display().to_string(),
            enabled: rule.enabled,
            hit_count: rule.hit_count,
            last_used_at: rule.last_used_at,
            created_from_job: rule.created_from_job,
            matched_jobs: usage.matched_jobs,
            examples: usage
                .examples
                .into_iter()
                .map(|(job_id, request)| RuleExample { job_id, request })
                .collect(),
        }
    }
}

/// Budgets in US dollars.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BudgetLimits {
    /// Per job.
    pub per_job: f64,
    /// Per UTC day.
    pub daily: f64,
    /// Per UTC month.
    pub monthly: f64,
}

/// The console's side panel: live context of the current directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ContextPanelView {
    /// The directory shown.
    pub cwd: String,
    /// One line about the directory (files, folders, size, kinds).
    pub directory: Option<String>,
    /// One line about its repository (branch, upstream, changes).
    pub repo: Option<String>,
    /// The active AWS profile and region, when any is configured.
    pub aws: Option<String>,
    /// The directory's newest entries (`name/` for folders, `name (size)` for files).
    pub entries: Vec<String>,
    /// Recently changed files, newest first.
    pub recent: Vec<String>,
    /// Busiest processes.
    pub processes: Vec<String>,
    /// Why the panel is empty, or how it was read, when that matters.
    pub note: Option<String>,
    /// The folder is read on demand (outside the workspace roots) and can be
    /// made a root ("Watch this folder").
    pub can_watch: bool,
}

/// The Settings page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingsView {
    /// Sandbox state in words.
    pub sandbox: String,
    /// Whether steps are confined by Landlock.
    pub sandbox_ok: bool,
    /// How a step's processes are ended and limited together, in words.
    pub step_control: String,
    /// Whether nothing a step starts can outlive it (a control group per step).
    pub step_control_ok: bool,
    /// Workspace roots with their watch state and file count.
    pub roots: Vec<String>,
    /// Files in the context index.
    pub indexed_files: u64,
    /// Model ids a request may be routed to.
    pub models: Vec<String>,
    /// The budgets in force.
    pub budgets: BudgetLimits,
    /// Data directory.
    pub data_dir: String,
    /// Approval timeout in seconds.
    pub approval_timeout_secs: u64,
    /// Whether safe steps run without asking.
    pub auto_approve_safe: bool,
    /// Per-step limits in words.
    pub limits: String,
    /// Every configuration value and where it came from.
    pub config: Vec<ConfigValueView>,
}

/// One configuration value on the Settings page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigValueView {
    /// Dotted key.
    pub key: String,
    /// The value as TOML writes it; secrets masked.
    pub value: String,
    /// `default`, `file`, `environment` or `derived`.
    pub source: String,
    /// The file, variable or rule.
    pub from: String,
}

/// Trashed files of one job, on the Settings page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrashView {
    /// The job that deleted them.
    pub job_id: i64,
    /// Its request.
    pub request: String,
    /// Unix seconds.
    pub trashed_at: i64,
    /// "3 files, 1.2 MB: a.tmp, b.bak, …".
    pub summary: String,
}

/// Approval preferences on the Preferences page (effective values).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreferencesView {
    /// Safe steps run without asking.
    pub auto_approve_safe: bool,
    /// Seconds a pending job waits.
    pub approval_timeout_secs: u64,
    /// Extra directories every job may change, one per line.
    pub write_roots: String,
}
