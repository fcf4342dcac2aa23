//! The job pipeline: request → plan → assessment → decision → (approval) →
//! execution, with every transition persisted and published on the event
//! bus. [`Engine`] is the only stateful, async piece of the engine.

mod assess;
mod aws_steps;
mod decisions;
mod interrupt;
mod planning;
mod remember;
mod run;
mod snapshot_keeper;
mod snapshots;
mod spending;
mod trash;
mod undo;
mod undo_limits;

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use tokio_util::sync::CancellationToken;

pub use assess::{AssessError, AssessedPlan, assess_plan};
pub use remember::RuleUsage;
pub use snapshot_keeper::SnapshotUsage;
pub use spending::Savings;
pub use trash::{Emptied, TrashedJob};

use crate::config::Config;
use crate::context::ContextEngine;
use crate::events::{Event, EventBus};
use crate::job::{JobId, JobStatus};
use crate::models::ModelRouter;
use crate::plan::Decision;
use crate::policy::Policy;
use crate::risk::Scope;
use crate::sandbox;
use crate::snapshot::SnapshotStore;
use crate::store::{
    JobCardRows, JobFilter, JobRecord, JobWithUndo, LogLine, Outcome, SavedPlan, StepRecord, Store,
    UserSettings, now_unix,
};
use crate::{Error, Result};

/// Longest request accepted, in characters.
pub const MAX_REQUEST_CHARS: usize = 4000;
/// Longest approval timeout a request may ask for.
pub const MAX_APPROVAL_TIMEOUT: Duration = Duration::from_secs(7 * 24 * 3600);
/// Output lines kept in a job view.
const VIEW_LOG_LINES: u32 = 500;

/// What a caller asks for.
#[derive(Debug, Clone, Default)]
pub struct NewJob {
    /// The request in plain language.
    pub request: String,
    /// Where to run; the first workspace root when `None`.
    pub cwd: Option<PathBuf>,
    /// Overrides `approval.timeout_secs` for this job.
    pub approval_timeout: Option<Duration>,
}

/// A person's decision on a pending job.
#[derive(Debug, Clone, Default)]
pub struct ApprovalDecision {
    /// Run it (`true`) or not.
    pub approved: bool,
    /// Remember the decision for similar commands.
    pub remember: bool,
    /// Free note kept with the approval.
    pub note: String,
}

/// A job with its steps and recent output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobDetail {
    /// The job row.
    pub job: JobRecord,
    /// The assessed steps.
    pub steps: Vec<StepRecord>,
    /// The last output lines.
    pub logs: Vec<LogLine>,
    /// Whether Undo has something to revert.
    pub can_undo: bool,
    /// Whether the last undo can be redone.
    pub can_redo: bool,
}

impl JobDetail {
    /// Steps finished / steps planned.
    pub fn progress(&self) -> f32 {
        progress(&self.steps)
    }
}

fn progress(steps: &[StepRecord]) -> f32 {
    if steps.is_empty() {
        return 0.0;
    }
    let done = steps.iter().filter(|s| s.status.is_final()).count();
    #[expect(clippy::cast_precision_loss, reason = "step counts are tiny")]
    let fraction = done as f32 / steps.len() as f32;
    fraction
}

/// What undo (or redo) did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UndoOutcome {
    /// Every item put back: typed changes reverted, then `restored` and `removed`.
    pub reverted: Vec<String>,
    /// Paths a snapshot wrote back (content, mode, link) or recreated.
    pub restored: Vec<String>,
    /// Paths moved to the trash because they were not there before.
    pub removed: Vec<String>,
    /// Items left alone, with reasons.
    pub refused: Vec<String>,
}

/// Start-up inputs of the engine.
#[derive(Debug, Clone)]
pub struct EngineSetup {
    /// The database.
    pub store: Store,
    /// Configuration.
    pub config: Arc<Config>,
    /// Command policy.
    pub policy: Arc<Policy>,
    /// The user's home directory.
    pub home: PathBuf,
    /// Environment steps start from (secrets are removed per step).
    pub parent_env: Vec<(OsString, OsString)>,
    /// Language models for requests the built-in planner cannot plan.
    pub models: Option<Arc<ModelRouter>>,
    /// Warm context (files, git, processes) for planning.
    pub context: Option<Arc<ContextEngine>>,
}

/// The job engine.
#[derive(Debug)]
pub struct Engine {
    store: Store,
    config: Arc<Config>,
    policy: Arc<Policy>,
    home: PathBuf,
    parent_env: Vec<(OsString, OsString)>,
    models: Option<Arc<ModelRouter>>,
    context: Option<Arc<ContextEngine>>,
    aws: crate::aws::Aws,
    /// Undo snapshots; one lock so a sweep never races a snapshot being recorded.
    snapshots: Arc<tokio::sync::Mutex<SnapshotStore>>,
    events: EventBus,
    running: Mutex<HashMap<JobId, CancellationToken>>,
    /// Set once by [`Engine::shutdown`]: cancelled steps then end `interrupted`.
    shutting_down: AtomicBool,
    /// Woken whenever a job's run ends (and leaves `running`).
    run_ended: tokio::sync::Notify,
    /// Ballast freed when the disk fills, so a job's failure can be recorded.
    disk_reserve: crate::store::DiskReserve,
}

/// How often the trash and snapshot keepers apply their age and size limits.
const KEEPER_PERIOD: Duration = Duration::from_secs(3600);

impl Engine {
    /// Builds the engine and settles jobs a previous run left behind.
    pub async fn start(setup: EngineSetup) -> Result<Arc<Self>> {
        let snapshots = SnapshotStore::open(&setup.config.storage.data_dir.join("snapshots"))?;
        let disk_reserve = crate::store::DiskReserve::new(&setup.config.storage.data_dir);
        if !disk_reserve.refill() {
            tracing::warn!(dir = %disk_reserve.dir().display(), "no room for the disk reserve; a full disk may leave a job unrecorded");
        }
        let engine = Arc::new(Self {
            store: setup.store,
            config: setup.config,
            policy: setup.policy,
            home: setup.home,
            parent_env: setup.parent_env,
            models: setup.models,
            context: setup.context,
            aws: crate::aws::Aws::new(),
            snapshots: Arc::new(tokio::sync::Mutex::new(snapshots)),
            events: EventBus::default(),
            running: Mutex::new(HashMap::new()),
            disk_reserve,
            shutting_down: AtomicBool::new(false),
            run_ended: tokio::sync::Notify::new(),
        });
        tracing::info!(landlock = ?sandbox::landlock_status(), "sandbox");
        engine.recover().await?;
        engine.spawn_every(
            Duration::from_secs(2),
            "expiring pending jobs",
            |engine| async move { engine.expire_due().await },
        );
        engine.spawn_every(
            KEEPER_PERIOD,
            "applying the trash limits",
            |engine| async move { engine.enforce_trash_limits().await.map(drop) },
        );
        engine.spawn_every(
            KEEPER_PERIOD,
            "applying the snapshot limits",
            |engine| async move { engine.enforce_snapshot_limits().await.map(drop) },
        );
        Ok(engine)
    }

    /// Runs `work` at once, then every `period`, while the engine lives
    /// (the task holds only a weak reference between rounds). A failure is
    /// logged as `what` and the next round tries again.
    fn spawn_every<F, Fut>(self: &Arc<Self>, period: Duration, what: &'static str, work: F)
    where
        F: Fn(Arc<Self>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<()>> + Send,
    {
        let engine = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut every = tokio::time::interval(period);
            loop {
                every.tick().await;
                let Some(engine) = engine.upgrade() else {
                    break;
                };
                if let Err(error) = work(engine).await {
                    tracing::warn!(%error, "{what} failed");
                }
            }
        });
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The command policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The user's home directory.
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// Ids of the models requests may be routed to (empty: built-in planner only).
    pub fn model_ids(&self) -> Vec<String> {
        self.models.as_ref().map_or_else(Vec::new, |router| {
            router.models().iter().map(|m| m.id.clone()).collect()
        })
    }

    /// One tiny real call to each enabled provider (Settings' test button,
    /// `devos doctor`); empty without providers.
    pub async fn probe_models(&self) -> Vec<crate::models::ProbeResult> {
        match &self.models {
            Some(router) => router.probe().await,
            None => Vec::new(),
        }
    }

    /// The context engine, when one runs.
    pub fn context(&self) -> Option<&Arc<ContextEngine>> {
        self.context.as_ref()
    }

    /// Live events.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    async fn expire_due(&self) -> Result<()> {
        let now = now_unix();
        for (job, _, deadline) in self.store.jobs_in(&[JobStatus::Pending]).await? {
            if deadline.is_some_and(|d| d <= now) {
                self.set_status(
                    job,
                    JobStatus::Pending,
                    JobStatus::Expired,
                    Some(Outcome::error(
                        "nobody approved this job before its approval timeout",
                    )),
                )
                .await?;
            }
        }
        Ok(())
    }

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
        if let Err(error) = self.plan_job(job, user_id, &request, &cwd, timeout).await {
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
        let path = match path.strip_prefix("~") {
            Ok(rest) => self.home.join(rest),
            Err(_) => path.to_path_buf(),
        };
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

    /// Where a job runs and may write: its folder, its temp dir and the
    /// user's extra write roots; the user's auto-approve preference wins over
    /// the config.
    fn scope(&self, job: JobId, cwd: &Path, settings: &UserSettings) -> Scope {
        let temp_dir = self.job_tmp_dir(job);
        let mut write_roots = assess::write_roots(cwd, &temp_dir);
        write_roots.extend(settings.write_roots.iter().cloned());
        Scope {
            cwd: cwd.to_path_buf(),
            home: self.home.clone(),
            write_roots,
            temp_dir: Some(temp_dir),
            auto_approve_safe: settings
                .auto_approve_safe
                .unwrap_or(self.config.approval.auto_approve_safe),
        }
    }

    /// Saves a user's preferences after checking them.
    pub async fn save_settings(&self, user_id: i64, settings: &UserSettings) -> Result<()> {
        if let Some(root) = settings.write_roots.iter().find(|r| !r.is_absolute()) {
            return Err(Error::Invalid(format!(
                "write roots must be absolute directories, not `{}`",
                root.display()
            )));
        }
        if let Some(critical) = settings
            .write_roots
            .iter()
            .find(|r| r.as_path() == Path::new("/") || **r == self.home)
        {
            return Err(Error::Invalid(format!(
                "`{}` is too broad to be a write root for every job",
                critical.display()
            )));
        }
        if settings
            .approval_timeout_secs
            .is_some_and(|t| t == 0 || t > MAX_APPROVAL_TIMEOUT.as_secs())
        {
            return Err(Error::Invalid(format!(
                "the approval timeout must be between 1 and {} seconds",
                MAX_APPROVAL_TIMEOUT.as_secs()
            )));
        }
        self.store.save_user_settings(user_id, settings).await
    }

    fn job_tmp_dir(&self, job: JobId) -> PathBuf {
        self.config
            .storage
            .data_dir
            .join("tmp")
            .join(format!("job-{job}"))
    }

    fn job_trash_dir(&self, job: JobId) -> PathBuf {
        self.config
            .storage
            .data_dir
            .join("trash")
            .join(job.to_string())
    }

    async fn plan_job(
        self: &Arc<Self>,
        job: JobId,
        user_id: i64,
        request: &str,
        cwd: &Path,
        timeout: Duration,
    ) -> Result<()> {
        let Some(planned) = self.make_plan(job, user_id, request, cwd).await? else {
            return Ok(());
        };
        let plan = planned.plan;
        let remembered = self.store.rules(user_id).await?;
        let settings = self.store.user_settings(user_id).await?;
        let scope = self.scope(job, cwd, &settings);
        let from_builtin = planned.planner == "builtin";
        let assessed = assess_plan(&self.policy, &scope, &remembered, &plan).map(|assessed| {
            if from_builtin {
                assess::allow_requested_reads(assessed, request, scope.auto_approve_safe)
            } else {
                assessed
            }
        });
        let confined = self.config.sandbox.landlock && sandbox::is_confining();
        let mut assessed = match assessed {
            Ok(assessed) if confined => assessed,
            Ok(assessed) => assess::without_sandbox(assessed, from_builtin),
            Err(error) => {
                return self
                    .fail(
                        job,
                        JobStatus::Planning,
                        &format!("cannot plan this: {error}"),
                    )
                    .await;
            }
        };
        if let Err(message) = self.check_aws_steps(&mut assessed, &plan, &scope).await {
            return self
                .fail(
                    job,
                    JobStatus::Planning,
                    &format!("cannot plan this: {message}"),
                )
                .await;
        }
        let assessed = if snapshots::needs_snapshots(&assessed.steps) {
            let roots = snapshots::snapshot_roots(cwd, &settings.write_roots);
            let coverage = self.snapshot_coverage(roots).await;
            undo_limits::with_undo_limits(assessed, &coverage, confined)
        } else {
            assessed
        };
        let needs_approval = assessed.decision == Decision::Prompt;
        let deadline = needs_approval
            .then(|| now_unix() + i64::try_from(timeout.as_secs()).unwrap_or(i64::MAX / 2));
        self.store
            .save_plan(
                job,
                &SavedPlan {
                    planner: &planned.planner,
                    interpretation: &plan.interpretation,
                    explanation: &plan.explanation,
                    risks: &assessed.risks,
                    requires_approval: needs_approval,
                    approval_deadline_at: deadline,
                    estimated_cost_micros: planned.estimated_cost_micros,
                    model_used: planned.model_used.as_deref(),
                    steps: &assessed.steps,
                    write_roots: &settings.write_roots,
                },
            )
            .await?;
        self.store.record_rule_hits(&assessed.rule_hits).await?;
        match assessed.decision {
            Decision::Forbid => {
                let reasons: Vec<String> = assessed
                    .steps
                    .iter()
                    .filter(|s| s.decision == Decision::Forbid)
                    .map(|s| format!("step {}: {}", s.idx + 1, s.reasons.join("; ")))
                    .collect();
                self.fail(
                    job,
                    JobStatus::Planning,
                    &format!(
                        "refused by policy, this can never run: {}",
                        reasons.join(" | ")
                    ),
                )
                .await
            }
            Decision::Prompt => {
                if self
                    .set_status(job, JobStatus::Planning, JobStatus::Pending, None)
                    .await?
                {
                    self.events.publish(Event::ApprovalRequest {
                        job_id: job,
                        user_id,
                        summary: plan.interpretation.clone(),
                        risks: assessed.risks,
                    });
                }
                Ok(())
            }
            Decision::Allow => {
                if self
                    .set_status(job, JobStatus::Planning, JobStatus::Approved, None)
                    .await?
                {
                    self.spawn_run(job, user_id);
                }
                Ok(())
            }
        }
    }

    async fn fail(&self, job: JobId, from: JobStatus, message: &str) -> Result<()> {
        self.set_status(job, from, JobStatus::Failed, Some(Outcome::error(message)))
            .await?;
        Ok(())
    }

    /// The one way a job changes status: persisted with its outcome in one
    /// write, then published to the live streams. False when the job was no
    /// longer `from` (another decision, a cancel or the expiry got there
    /// first); nothing is published then.
    async fn set_status(
        &self,
        job: JobId,
        from: JobStatus,
        to: JobStatus,
        outcome: Option<Outcome<'_>>,
    ) -> Result<bool> {
        let changed = self.store.transition(job, from, to, outcome).await?;
        if changed {
            self.publish_status(job).await?;
        }
        Ok(changed)
    }

    async fn owned(&self, job: JobId, user_id: i64) -> Result<JobRecord> {
        self.store
            .job(job, user_id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("job {job}")))
    }

    /// A job with steps and output, when `user_id` owns it: three queries
    /// (the job with its undo state, its steps, its last log lines).
    pub async fn detail(&self, job: JobId, user_id: i64) -> Result<JobDetail> {
        self.store
            .job_card(job, user_id, VIEW_LOG_LINES)
            .await?
            .map(card_detail)
            .ok_or_else(|| Error::NotFound(format!("job {job}")))
    }

    /// A user's jobs, newest first, with their steps and output: three
    /// queries for the whole page.
    pub async fn list(&self, user_id: i64, filter: &JobFilter) -> Result<Vec<JobDetail>> {
        let cards = self
            .store
            .job_cards(user_id, filter, VIEW_LOG_LINES)
            .await?;
        Ok(cards.into_iter().map(card_detail).collect())
    }

    async fn publish_status(&self, job: JobId) -> Result<()> {
        let Some(user_id) = self.store.job_owner(job).await? else {
            return Ok(());
        };
        let Some(record) = self.store.job(job, user_id).await? else {
            return Ok(());
        };
        let steps = self.store.steps(job).await?;
        self.events.publish(Event::JobUpdate {
            job_id: job,
            user_id,
            status: record.status,
            progress: progress(&steps),
        });
        Ok(())
    }
}

/// A job card's rows as a [`JobDetail`], with what Undo and Redo can do.
fn card_detail(card: JobCardRows) -> JobDetail {
    let JobCardRows {
        job:
            JobWithUndo {
                job: record,
                last_snapshot,
                has_journal,
                has_undone_journal,
            },
        steps,
        logs,
    } = card;
    let snapshot_undo = undo::snapshot_undo_after(last_snapshot);
    let is_final = record.status.is_final();
    JobDetail {
        job: record,
        steps,
        logs,
        can_undo: is_final && (snapshot_undo == undo::SnapshotUndo::CanUndo || has_journal),
        can_redo: is_final && undo::can_redo(snapshot_undo, has_journal, has_undone_journal),
    }
}
