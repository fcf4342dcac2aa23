//! The terminal commands besides `serve`: `check-command`, `ask` and `eval`.
//! They print for people (and scripts) with `writeln!`, never through tracing.

use std::io::{BufRead as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};
use engine::config::Config;
use engine::events::Event;
use engine::pipeline::{ApprovalDecision, Engine, EngineSetup, NewJob};
use engine::policy::Policy;
use engine::risk::{Scope, assess};
use engine::store::Store;

use crate::serve::Host;

fn current_dir(cwd: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match cwd {
        Some(dir) => Ok(dir),
        None => std::env::current_dir().context("reading the current directory"),
    }
}

/// `devos check-command`: one JSON line per input line.
pub fn check_commands(config: &Config, host: &Host, cwd: Option<PathBuf>) -> anyhow::Result<()> {
    let policy = Policy::load(host.user_policy.as_deref()).context("loading security.toml")?;
    let cwd = current_dir(cwd)?;
    let scope = Scope {
        write_roots: vec![cwd.clone()],
        cwd,
        home: host.home.clone(),
        auto_approve_safe: config.approval.auto_approve_safe,
    };
    let stdin = std::io::stdin().lock();
    let mut out = std::io::stdout().lock();
    for line in stdin.lines() {
        let line = line.context("reading stdin")?;
        if line.trim().is_empty() {
            continue;
        }
        let assessment = assess(&policy, &scope, &line);
        writeln!(out, "{}", serde_json::to_string(&assessment)?)?;
    }
    Ok(())
}

/// `devos eval FILE`: runs every case through the in-process engine, each in
/// a fresh temp folder; prints failures, then the summary ending with
/// `N passed, M failed`. Fails (exit status 1) when any case fails.
pub async fn eval(file: &Path, only: Option<&str>) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let cases = engine::eval::parse_cases(&text)
        .map_err(|error| anyhow::anyhow!("{}: {error}", file.display()))?;
    let cases: Vec<_> = cases
        .into_iter()
        .filter(|case| only.is_none_or(|only| case.name.contains(only) || case.category == only))
        .collect();
    let base = std::env::temp_dir();
    let mut outcomes = Vec::with_capacity(cases.len());
    for case in &cases {
        let outcome = engine::eval::run_case(case, &base).await;
        if !outcome.passed {
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "FAIL {} [{}] {:?}",
                case.name, case.category, case.request
            )?;
            for problem in &outcome.problems {
                writeln!(out, "     {problem}")?;
            }
        }
        outcomes.push(outcome);
    }
    let summary = engine::eval::summarize(&cases, &outcomes);
    write!(std::io::stdout().lock(), "{}", summary.render())?;
    if summary.failed > 0 {
        bail!("{} of {} eval cases failed", summary.failed, cases.len());
    }
    Ok(())
}

/// `devos ask "request"`: plans, asks on the terminal when needed, runs and prints output.
pub async fn ask(
    config: Config,
    host: Host,
    request: String,
    cwd: Option<PathBuf>,
    yes: bool,
    user: Option<String>,
) -> anyhow::Result<()> {
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
    let engine = Engine::start(EngineSetup {
        store,
        config: Arc::new(config),
        policy: Arc::new(Policy::load(host.user_policy.as_deref())?),
        home: host.home,
        parent_env: std::env::vars_os().collect(),
        models,
        context: None,
    })
    .await?;
    let mut events = engine.subscribe();
    let detail = engine
        .submit(
            user.id,
            NewJob {
                request,
                cwd: Some(current_dir(cwd)?),
                approval_timeout: None,
            },
        )
        .await?;
    let job = detail.job.id;
    let mut out = std::io::stdout().lock();
    writeln!(out, "job {job}: {}", detail.job.interpretation)?;
    for step in &detail.steps {
        writeln!(out, "  [{}] {}", step.level.as_str(), step.description)?;
        if !step.preview.is_empty() {
            writeln!(out, "        {}", step.preview)?;
        }
    }
    if detail.job.status == engine::job::JobStatus::Pending {
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
                bail!("{error}");
            }
            return Ok(());
        }
        match events.recv().await {
            Ok(
                Event::JobUpdate { .. }
                | Event::Log { .. }
                | Event::PlanText { .. }
                | Event::ApprovalRequest { .. },
            )
            | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
            Err(tokio::sync::broadcast::error::RecvError::Closed) => bail!("the engine stopped"),
        }
    }
}

fn confirm(out: &mut impl std::io::Write) -> anyhow::Result<bool> {
    write!(out, "Run this? [y/N] ")?;
    out.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}
