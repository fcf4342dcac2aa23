//! The Settings and Costs pages: how DevOS is set up, what it spent, and
//! the one thing Costs edits, the person's budgets.

use leptos::prelude::*;

use crate::dto::{CostsView, SettingsView};
use crate::error::AppError;

/// Sandbox, context, models, budgets and limits as they are now.
#[server(endpoint = "settings/overview")]
pub async fn settings_overview() -> Result<SettingsView, AppError> {
    use engine::sandbox::{LandlockStatus, landlock_status};

    use crate::dto::BudgetLimits;
    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let ctx = app_context()?;
    let config = &ctx.config;
    let (sandbox, sandbox_ok) = match landlock_status() {
        LandlockStatus::Available { abi, network } => (
            format!(
                "Landlock ABI {abi}: writes confined to the job's folder{}",
                if network {
                    ", network denied unless approved"
                } else {
                    ""
                }
            ),
            true,
        ),
        LandlockStatus::Unavailable { reason } => (
            format!("Landlock unavailable ({reason}): every step above safe needs approval"),
            false,
        ),
    };
    let (roots, indexed_files) = ctx.engine.context().map_or_else(
        || (vec!["context engine not running".to_owned()], 0),
        |context| {
            let status = context.status();
            let roots = status
                .roots
                .iter()
                .map(|root| {
                    format!(
                        "{} — {:?}, {} files",
                        root.path.display(),
                        root.status,
                        root.files
                    )
                })
                .collect();
            (roots, status.indexed_files)
        },
    );
    let (step_control, step_control_ok) = engine::lifetime::cgroup::support().summary();
    let models = ctx.engine.model_ids();
    let budgets = ctx.engine.budgets_for(user.id).await?;
    let usd = engine::models::cost::micros_to_usd;
    let sandbox_config = &config.sandbox;
    Ok(SettingsView {
        sandbox,
        sandbox_ok,
        step_control,
        step_control_ok,
        roots,
        indexed_files,
        models,
        budgets: BudgetLimits {
            per_job: usd(budgets.per_job_micros),
            daily: usd(budgets.daily_micros),
            monthly: usd(budgets.monthly_micros),
        },
        data_dir: config.storage.data_dir.display().to_string(),
        approval_timeout_secs: config.approval.timeout_secs,
        auto_approve_safe: config.approval.auto_approve_safe,
        limits: format!(
            "{} s wall clock, {} s CPU, {} MiB memory per process, {} MiB per job, {} MiB files, \
             {} processes, {} output",
            sandbox_config.timeout_secs,
            sandbox_config.cpu_secs,
            sandbox_config.memory_mb,
            sandbox_config.job_memory_mb,
            sandbox_config.file_size_mb,
            sandbox_config.max_processes,
            engine::fsops::human_bytes(sandbox_config.output_cap_bytes)
        ),
        config: config
            .origins
            .iter()
            .map(|origin| crate::dto::ConfigValueView {
                key: origin.key.clone(),
                value: origin.value.clone(),
                source: origin.source.to_owned(),
                from: origin.from.clone(),
            })
            .collect(),
    })
}

/// Spending against the budgets, per day, model and provider, the costliest
/// jobs and what the built-in planner saved.
#[server(endpoint = "costs/overview")]
pub async fn costs_overview() -> Result<CostsView, AppError> {
    use engine::calendar::{day_start, format_date, month_start};
    use engine::models::cost::format_usd;
    use engine::store::now_unix;
    use engine::store::usage::{UsageGroup, UsageTotal};

    use crate::dto::{
        BudgetBarView, BudgetsView, CostlyJobView, DaySpendView, SavingsView, SpendRowView,
    };
    use crate::server::{app_context, require_user};
    /// Days the chart shows.
    const DAYS: i64 = 30;
    let user = require_user().await?;
    let ctx = app_context()?;
    let store = ctx.engine.store();
    let now = now_unix();
    let rows = |totals: Vec<UsageTotal>| -> Vec<SpendRowView> {
        totals
            .into_iter()
            .map(|t| SpendRowView {
                key: t.key,
                calls: t.calls,
                input_tokens: t.input_tokens,
                output_tokens: t.output_tokens,
                cost: format_usd(t.actual_cost_micros),
            })
            .collect()
    };
    let first_day = day_start(now) - (DAYS - 1) * 86_400;
    let per_day = store
        .usage_report(first_day, now + 1, UsageGroup::Day)
        .await?;
    let days = (0..DAYS)
        .map(|n| {
            let day = format_date(first_day + n * 86_400);
            let total = per_day.iter().find(|t| t.key == day);
            let micros = total.map_or(0, |t| t.actual_cost_micros);
            DaySpendView {
                cost: format_usd(micros),
                calls: total.map_or(0, |t| t.calls),
                micros,
                day,
            }
        })
        .collect();
    let month = month_start(now);
    let by_model = rows(
        store
            .usage_report(month, now + 1, UsageGroup::Model)
            .await?,
    );
    let by_provider = rows(
        store
            .usage_report(month, now + 1, UsageGroup::Provider)
            .await?,
    );
    let costliest = store.costliest_jobs(user.id, 10).await?;
    let (budgets, own) = ctx.engine.budgets_and_source(user.id).await?;
    let bar = |label: &str, spent: i64, limit: i64| BudgetBarView {
        label: label.to_owned(),
        spent: format_usd(spent),
        limit: format_usd(limit),
        percent: match (spent, limit) {
            (0, _) => 0,
            (_, 0) => 100,
            _ => u32::try_from((spent.saturating_mul(100) / limit).clamp(0, 100)).unwrap_or(100),
        },
    };
    let bars = vec![
        bar(
            "Today",
            store.usage_cost_since(day_start(now)).await?,
            budgets.daily_micros,
        ),
        bar(
            "This month",
            store.usage_cost_since(month).await?,
            budgets.monthly_micros,
        ),
        bar(
            "Costliest job",
            costliest.first().map_or(0, |job| job.cost_micros),
            budgets.per_job_micros,
        ),
    ];
    let savings = ctx.engine.builtin_savings(user.id, now).await?;
    let saved = |jobs: i64| format_usd(jobs.saturating_mul(savings.per_request_micros));
    let dollars = |micros: i64| format!("{:.2}", engine::models::cost::micros_to_usd(micros));
    Ok(CostsView {
        bars,
        all_time: format_usd(store.usage_cost_since(0).await?),
        days,
        by_model,
        by_provider,
        costliest: costliest
            .into_iter()
            .map(|job| CostlyJobView {
                id: job.id.0,
                request: job.request,
                cost: format_usd(job.cost_micros),
            })
            .collect(),
        savings: SavingsView {
            jobs: savings.jobs,
            jobs_this_month: savings.jobs_this_month,
            saved: saved(savings.jobs),
            saved_this_month: saved(savings.jobs_this_month),
            basis: format!(
                "each priced at {} ({} input and {} output tokens: {}), {} a request",
                savings.model,
                savings.tokens.0,
                savings.tokens.1,
                savings.tokens_from,
                format_usd(savings.per_request_micros)
            ),
        },
        budgets: BudgetsView {
            per_job: dollars(budgets.per_job_micros),
            daily: dollars(budgets.daily_micros),
            monthly: dollars(budgets.monthly_micros),
            own,
        },
    })
}

/// Saves the user's budgets (US dollars); the next model call is held to them.
#[server(endpoint = "costs/budgets")]
pub async fn save_budgets(
    per_job: String,
    daily: String,
    monthly: String,
) -> Result<String, AppError> {
    use engine::models::config::usd_to_micros;

    use crate::server::{app_context, require_user};
    let user = require_user().await?;
    let micros = |name: &str, value: &str| -> Result<i64, AppError> {
        let text = value.trim().trim_start_matches('$');
        text.parse::<f64>()
            .ok()
            .and_then(usd_to_micros)
            .ok_or_else(|| {
                AppError::Invalid(format!(
                    "the {name} budget must be an amount of US dollars like 0.50, not {value:?}"
                ))
            })
    };
    let budgets = engine::models::Budgets {
        per_job_micros: micros("per-job", &per_job)?,
        daily_micros: micros("daily", &daily)?,
        monthly_micros: micros("monthly", &monthly)?,
    };
    app_context()?.engine.set_budgets(user.id, budgets).await?;
    Ok("Budgets saved: the next model call is held to them.".to_owned())
}

/// Makes one tiny real call to each enabled model provider and says how it
/// went: latency, or the error.
#[server(endpoint = "settings/test_providers")]
pub async fn test_providers() -> Result<Vec<String>, AppError> {
    use crate::server::{app_context, require_user};
    require_user().await?;
    let results = app_context()?.engine.probe_models().await;
    if results.is_empty() {
        return Ok(vec![
            "no model provider is enabled: the built-in planner plans alone".to_owned(),
        ]);
    }
    Ok(results
        .into_iter()
        .map(|probe| match probe.outcome {
            Ok(latency) => format!(
                "{} ({}): answered in {} ms",
                probe.provider.as_str(),
                probe.model,
                latency.as_millis()
            ),
            Err(error) => format!("{} ({}): {error}", probe.provider.as_str(), probe.model),
        })
        .collect())
}
