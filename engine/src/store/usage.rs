//! The `usage` table: one row per model call (made or refused), the sums the
//! budgets are checked against, and the report behind `GET /api/v1/usage`.
//! Money is integer micro-dollars throughout.

use super::Store;
use crate::Result;

/// How a model call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageOutcome {
    /// A valid plan came back.
    Ok,
    /// A reply came back but was not a valid plan.
    Invalid,
    /// The call failed (throttled, timeout, auth, transport).
    Error,
    /// The call was not made: it could have exceeded a budget.
    Refused,
}

impl UsageOutcome {
    /// The value stored in `usage.outcome`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Invalid => "invalid",
            Self::Error => "error",
            Self::Refused => "refused",
        }
    }
}

/// One call to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUsage<'a> {
    /// When, Unix seconds.
    pub created_at: i64,
    /// The job it planned, if any.
    pub job_id: Option<i64>,
    /// `bedrock` or `openai`.
    pub provider: &'a str,
    /// Our model id (`nova-micro`).
    pub model: &'a str,
    /// Input tokens the service reported (0 when no reply).
    pub input_tokens: u64,
    /// Output tokens the service reported.
    pub output_tokens: u64,
    /// Worst-case estimate made before the call.
    pub estimated_cost_micros: i64,
    /// Cost of the reported tokens.
    pub actual_cost_micros: i64,
    /// Wall time of the call, milliseconds.
    pub latency_ms: u64,
    /// How it ended.
    pub outcome: UsageOutcome,
    /// Why it failed or was refused; empty when ok.
    pub detail: &'a str,
}

/// How [`Store::usage_report`] groups rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageGroup {
    /// By UTC day, keyed `YYYY-MM-DD`.
    Day,
    /// By model id.
    Model,
    /// By provider (`bedrock`, `openai`).
    Provider,
}

/// Totals for one group of the usage report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageTotal {
    /// The day (`2026-11-25`) or model id.
    pub key: String,
    /// Calls, refused ones included.
    pub calls: i64,
    /// Input tokens.
    pub input_tokens: i64,
    /// Output tokens.
    pub output_tokens: i64,
    /// Sum of the estimates.
    pub estimated_cost_micros: i64,
    /// Sum of the actual costs.
    pub actual_cost_micros: i64,
}

/// One recorded call, as a job card lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageEntry {
    /// `bedrock` or `openai`.
    pub provider: String,
    /// Our model id.
    pub model: String,
    /// Input tokens.
    pub input_tokens: i64,
    /// Output tokens.
    pub output_tokens: i64,
    /// Worst-case estimate made before the call.
    pub estimated_cost_micros: i64,
    /// Cost of the reported tokens.
    pub actual_cost_micros: i64,
    /// `ok`, `invalid`, `error` or `refused`.
    pub outcome: String,
    /// Why it failed or was refused.
    pub detail: String,
}

fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

impl Store {
    /// Appends a usage row and returns its id.
    pub async fn insert_usage(&self, usage: &NewUsage<'_>) -> Result<i64> {
        let (input_tokens, output_tokens, latency_ms) = (
            to_i64(usage.input_tokens),
            to_i64(usage.output_tokens),
            to_i64(usage.latency_ms),
        );
        let (estimated, actual) = (
            usage.estimated_cost_micros.max(0),
            usage.actual_cost_micros.max(0),
        );
        let outcome = usage.outcome.as_str();
        let id = sqlx::query!(
            "INSERT INTO usage (created_at, job_id, provider, model, input_tokens, output_tokens,
                estimated_cost_micros, actual_cost_micros, latency_ms, outcome, detail)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            usage.created_at,
            usage.job_id,
            usage.provider,
            usage.model,
            input_tokens,
            output_tokens,
            estimated,
            actual,
            latency_ms,
            outcome,
            usage.detail,
        )
        .execute(&self.pool)
        .await?
        .last_insert_rowid();
        Ok(id)
    }

    /// Actual spend of calls made at or after `from_at` (a day's or month's start).
    pub async fn usage_cost_since(&self, from_at: i64) -> Result<i64> {
        Ok(sqlx::query_scalar!(
            r#"SELECT COALESCE(SUM(actual_cost_micros), 0) AS "cost!: i64" FROM usage
             WHERE created_at >= ?"#,
            from_at
        )
        .fetch_one(&self.pool)
        .await?)
    }

    /// Actual spend of one job's calls.
    pub async fn usage_cost_of_job(&self, job_id: i64) -> Result<i64> {
        Ok(sqlx::query_scalar!(
            r#"SELECT COALESCE(SUM(actual_cost_micros), 0) AS "cost!: i64" FROM usage
             WHERE job_id = ?"#,
            job_id
        )
        .fetch_one(&self.pool)
        .await?)
    }

    /// A job's calls, oldest first.
    pub async fn usage_of_job(&self, job_id: i64) -> Result<Vec<UsageEntry>> {
        Ok(sqlx::query_as!(
            UsageEntry,
            "SELECT provider, model, input_tokens, output_tokens, estimated_cost_micros,
                actual_cost_micros, outcome, detail
             FROM usage WHERE job_id = ? ORDER BY id",
            job_id
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Totals of calls with `from_at <= created_at < to_at`, grouped, in key order.
    pub async fn usage_report(
        &self,
        from_at: i64,
        to_at: i64,
        group: UsageGroup,
    ) -> Result<Vec<UsageTotal>> {
        let group = match group {
            UsageGroup::Day => "day",
            UsageGroup::Model => "model",
            UsageGroup::Provider => "provider",
        };
        Ok(sqlx::query_as!(
            UsageTotal,
            r#"SELECT CASE ?3 WHEN 'day' THEN date(created_at, 'unixepoch')
                    WHEN 'model' THEN model ELSE provider END AS "key!: String",
                COUNT(*) AS "calls!: i64",
                SUM(input_tokens) AS "input_tokens!: i64",
                SUM(output_tokens) AS "output_tokens!: i64",
                SUM(estimated_cost_micros) AS "estimated_cost_micros!: i64",
                SUM(actual_cost_micros) AS "actual_cost_micros!: i64"
             FROM usage WHERE created_at >= ?1 AND created_at < ?2
             GROUP BY 1 ORDER BY 1"#,
            from_at,
            to_at,
            group
        )
        .fetch_all(&self.pool)
        .await?)
    }
}
