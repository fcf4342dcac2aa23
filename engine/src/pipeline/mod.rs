//! The job pipeline: request → plan → assessment → decision → (approval) →
//! execution, with every transition persisted and published on the event
//! bus. [`Engine`] is the only stateful, async piece of the engine.

mod assess;
mod aws_steps;
mod decide;
mod decisions;
mod file_steps;
mod finish;
mod interrupt;
mod planning;
mod process_steps;
mod remember;
mod run;
mod snapshot_keeper;
mod snapshots;
mod spending;
mod status_cache;
mod submit;
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

use protocol::LiveEvent;

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
use crate::policy::Policy;
use crate::risk::Scope;
use crate::sandbox;
use crate::snapshot::SnapshotStore;
use crate::store::{
    JobCardRows, JobFilter, JobRecord, JobWithUndo, LogLine, Outcome, StepRecord, Store,
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
    let ended = steps.iter().filter(|s| s.status.is_final()).count();
    fraction(ended, steps.len())
}

/// `ended` of `total` steps as a fraction; 0 for a job without steps.
fn fraction(ended: usize, total: usize) -> f32 {
    if total == 0 {
        return 0.0;
    }
    #[expect(clippy::cast_precision_loss, reason = "step counts are tiny")]
    let fraction = ended as f32 / total as f32;
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
    /// Status answers between changes; every publish about a job forgets its own.
    status_cache: status_cache::StatusCache<JobDetail>,
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
            status_cache: status_cache::StatusCache::default(),
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
    /// (the job with its undo state, its steps, its last log lines), or
    /// none while the answer to the last such call is still true
    /// (`status_cache`).
    pub async fn detail(&self, job: JobId, user_id: i64) -> Result<JobDetail> {
        if let Some(kept) = self.status_cache.get(job, user_id) {
            return Ok(kept);
        }
        let start = self.status_cache.start_read();
        let detail = self
            .store
            .job_card(job, user_id, VIEW_LOG_LINES)
            .await?
            .map(card_detail)
            .ok_or_else(|| Error::NotFound(format!("job {job}")))?;
        self.status_cache.keep(start, job, user_id, detail.clone());
        Ok(detail)
    }

    /// Publishes `live` to the owner's streams, first forgetting the kept
    /// status answer of the job it is about.
    fn publish(&self, user_id: i64, live: LiveEvent) {
        if let Some(job) = live.job_id() {
            self.status_cache.forget(job);
        }
        self.events.publish(user_id, live);
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

    /// Tells the owner's streams where `job` is now (one statement).
    async fn publish_status(&self, job: JobId) -> Result<()> {
        let Some(known) = self.store.job_progress(job).await? else {
            return Ok(());
        };
        let count = |n: i64| usize::try_from(n).unwrap_or(0);
        self.publish(
            known.user_id,
            LiveEvent::JobUpdate {
                job_id: job,
                status: known.status,
                progress: fraction(count(known.ended_steps), count(known.steps)),
            },
        );
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
