//! What the Costs page reads beyond the usage report: the costliest jobs,
//! how many jobs the built-in planner answered, the tokens a real model
//! call takes on average, and the whole ledger for the CSV export.

use super::Store;
use super::usage::UsageEntry;
use crate::Result;
use crate::job::JobId;

/// A job and what its model calls cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostlyJob {
    /// The job.
    pub id: JobId,
    /// What was asked.
    pub request: String,
    /// Actual cost of its calls, micro-dollars.
    pub cost_micros: i64,
}

/// One row of the usage ledger, as exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    /// Row id (export order).
    pub id: i64,
    /// Unix seconds.
    pub created_at: i64,
    /// The job, if the call planned one.
    pub job_id: Option<i64>,
    /// Wall time, milliseconds.
    pub latency_ms: i64,
    /// The call: provider, model, tokens, costs, outcome.
    pub call: UsageEntry,
}

impl Store {
    /// `user_id`'s jobs whose model calls cost the most, costliest first.
    pub async fn costliest_jobs(&self, user_id: i64, limit: u32) -> Result<Vec<CostlyJob>> {
        let rows = sqlx::query!(
            r#"SELECT j.id AS "id!", j.request, SUM(u.actual_cost_micros) AS "cost!: i64"
             FROM usage u JOIN jobs j ON j.id = u.job_id
             WHERE j.user_id = ? GROUP BY j.id HAVING SUM(u.actual_cost_micros) > 0
             ORDER BY 3 DESC, j.id DESC LIMIT ?"#,
            user_id,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| CostlyJob {
                id: JobId(row.id),
                request: row.request,
                cost_micros: row.cost,
            })
            .collect())
    }

    /// Jobs of `user_id` the built-in planner planned: all of them, and those since `since_at`.
    pub async fn builtin_job_counts(&self, user_id: i64, since_at: i64) -> Result<(i64, i64)> {
        let row = sqlx::query!(
            r#"SELECT COUNT(*) AS "all!: i64", COALESCE(SUM(created_at >= ?), 0) AS "since!: i64"
             FROM jobs WHERE user_id = ? AND planner = 'builtin'"#,
            since_at,
            user_id
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((row.all, row.since))
    }

    /// Average input and output tokens of the model calls that returned a
    /// plan, or `None` before the first one.
    pub async fn average_plan_tokens(&self) -> Result<Option<(i64, i64)>> {
        let row = sqlx::query!(
            r#"SELECT COUNT(*) AS "calls!: i64",
                CAST(AVG(input_tokens) AS INTEGER) AS "input?: i64",
                CAST(AVG(output_tokens) AS INTEGER) AS "output?: i64"
             FROM usage WHERE outcome = 'ok'"#
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(match (row.calls, row.input, row.output) {
            (calls, Some(input), Some(output)) if calls > 0 => Some((input, output)),
            _ => None,
        })
    }

    /// Up to `limit` ledger rows after row `after_id`, oldest first.
    pub async fn ledger_after(&self, after_id: i64, limit: u32) -> Result<Vec<LedgerRow>> {
        let rows = sqlx::query!(
            r#"SELECT id AS "id!", created_at, job_id, provider, model, input_tokens, output_tokens,
                estimated_cost_micros, actual_cost_micros, latency_ms, outcome, detail
             FROM usage WHERE id > ? ORDER BY id LIMIT ?"#,
            after_id,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| LedgerRow {
                id: row.id,
                created_at: row.created_at,
                job_id: row.job_id,
                latency_ms: row.latency_ms,
                call: UsageEntry {
                    provider: row.provider,
                    model: row.model,
                    input_tokens: row.input_tokens,
                    output_tokens: row.output_tokens,
                    estimated_cost_micros: row.estimated_cost_micros,
                    actual_cost_micros: row.actual_cost_micros,
                    outcome: row.outcome,
                    detail: row.detail,
                },
            })
            .collect())
    }
}
