//! `devos ask --local`: runs the request in this process, on the same
//! database as the server (the browser sees the job after a reload, not live)
//! and with the same context read on demand.

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::bail;
use engine::config::Config;
use engine::context::{ContextEngine, ContextSettings};
use engine::job::JobStatus;
use engine::pipeline::{ApprovalDecision, Engine, EngineSetup, NewJob};
use engine::policy::Policy;
use engine::store::{StepRecord, Store};
use tokio::sync::broadcast::error::RecvError;

use super::render::{PlannedStep, confirm, print_plan, use_color};
use crate::serve::Host;

fn planned(step: &StepRecord) -> PlannedStep {
    PlannedStep {
        level: step.level,
        description: step.description.clone(),
        detail: step.preview.clone(),
        reasons: step.reasons.clone(),
    }
}

/// Plans, asks when needed, runs, prints the output; returns the final status.
pub async fn run(
    config: Config,
    host: Host,
    request: String,
    cwd: PathBuf,
    yes: bool,
    user: Option<String>,
) -> anyhow::Result<JobStatus> {
    let store = Store::open(&config.storage.data_dir).await?;
    let user = match user {
        Some(name) => store.user_by_name(&name).await?,
        None => store.first_user().await?,
    };
    let Some(user) = user else {
        bail!("no such account; create one with `devos user add NAME --password-stdin`");
    };
    let models = crate::serve::build_models(&config, &host.models).await?;
    crate::serve::start_reaper();
    // No index, nothing watched: this process lives for one job, so the
    // job's folder, git and processes are read on demand when it is planned,
    // as the server reads a folder outside its workspace roots.
    let context = ContextEngine::start(ContextSettings {
        watch: false,
        ..ContextSettings::new(Vec::new())
    })
    .ok();
    let engine = Engine::start(EngineSetup {
        store,
        config: Arc::new(config),
        policy: Arc::new(Policy::load(host.user_policy.as_deref())?),
        home: host.home,
        parent_env: std::env::vars_os().collect(),
        models,
        context,
    })
    .await?;
    let mut events = engine.subscribe();
    let detail = engine
        .submit(
            user.id,
            NewJob {
                request,
                cwd: Some(cwd),
                approval_timeout: None,
            },
        )
        .await?;
    let job = detail.job.id;
    let steps: Vec<PlannedStep> = detail.steps.iter().map(planned).collect();
    let mut out = std::io::stdout().lock();
    print_plan(
        &mut out,
        use_color(),
        job.0,
        &detail.job.interpretation,
        &steps,
    )?;
    if detail.job.status == JobStatus::Pending {
        let approved = yes || confirm(&mut out)?;
        engine
            .decide(
                user.id,
                job,
                ApprovalDecision {
                    approved,
                    note: "from the terminal".into(),
                    ..ApprovalDecision::default()
                },
            )
            .await?;
    }
    drop(out);
    loop {
        let current = engine.detail(job, user.id).await?;
        if current.job.status.is_final() {
            let mut out = std::io::stdout().lock();
            if let Some(result) = &current.job.result {
                write!(out, "{result}")?;
            }
            writeln!(out, "job {job}: {}", current.job.status)?;
            if let Some(error) = &current.job.error {
                writeln!(std::io::stderr().lock(), "{error}")?;
            }
            return Ok(current.job.status);
        }
        match events.recv().await {
            Ok(_) | Err(RecvError::Lagged(_)) => {}
            Err(RecvError::Closed) => bail!("the engine stopped"),
        }
    }
}
