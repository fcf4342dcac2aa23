//! Read-only overviews: the Settings and Costs pages.

use leptos::prelude::*;

use crate::dto::{CostsView, SettingsView};
use crate::error::AppError;

/// Sandbox, context, models, budgets and limits as they are now.
#[server(endpoint = "settings/overview")]
pub async fn settings_overview() -> Result<SettingsView, AppError> {
    use engine::sandbox::{LandlockStatus, landlock_status};

    use crate::server::{app_context, require_user};
    let _user = require_user().await?;
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
    let budgets = &config.budgets;
    let sandbox_config = &config.sandbox;
    Ok(SettingsView {
        sandbox,
        sandbox_ok,
        step_control,
        step_control_ok,
        roots,
        indexed_files,
        models,
        budgets: (budgets.per_job_usd, budgets.daily_usd, budgets.monthly_usd),
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
    })
}

/// Model spending by day and by model, against the budgets.
#[server(endpoint = "costs/overview")]
pub async fn costs_overview() -> Result<CostsView, AppError> {
    use engine::models::cost::{day_start, micros_to_usd, month_start};
    use engine::store::now_unix;
    use engine::store::usage::UsageGroup;

    use crate::server::{app_context, require_user};
    let _user = require_user().await?;
    let ctx = app_context()?;
    let store = ctx.engine.store();
    let now = now_unix();
    let rows = |totals: Vec<engine::store::usage::UsageTotal>| {
        totals
            .into_iter()
            .map(|t| {
                (
                    t.key,
                    t.calls,
                    t.input_tokens,
                    t.output_tokens,
                    micros_to_usd(t.actual_cost_micros),
                )
            })
            .collect()
    };
    let by_day = rows(
        store
            .usage_report(now - 30 * 86_400, now + 1, UsageGroup::Day)
            .await?,
    );
    let by_model = rows(
        store
            .usage_report(month_start(now), now + 1, UsageGroup::Model)
            .await?,
    );
    let budgets = &ctx.config.budgets;
    Ok(CostsView {
        by_day,
        by_model,
        today: micros_to_usd(store.usage_cost_since(day_start(now)).await?),
        month: micros_to_usd(store.usage_cost_since(month_start(now)).await?),
        budgets: (budgets.per_job_usd, budgets.daily_usd, budgets.monthly_usd),
    })
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
