//! `GET /api/v1/usage?from=&to=&group=day|model`: the model usage ledger.

use axum::Json;
use axum::extract::{Query, State};
use engine::models::cost::micros_to_usd;
use engine::store::now_unix;
use engine::store::usage::UsageGroup;
use serde::{Deserialize, Serialize};

use app::server::AppContext;

use crate::auth::ApiUser;
use crate::error::ApiError;

/// Query parameters; `from`/`to` are Unix seconds or `YYYY-MM-DD` (UTC).
#[derive(Debug, Deserialize)]
pub struct UsageQuery {
    from: Option<String>,
    to: Option<String>,
    group: Option<String>,
}

/// One group of the report.
#[derive(Debug, Serialize)]
pub struct UsageLine {
    /// Day or model id.
    pub key: String,
    /// Calls, refused ones included.
    pub calls: i64,
    /// Input tokens.
    pub input_tokens: i64,
    /// Output tokens.
    pub output_tokens: i64,
    /// Estimated cost, US dollars.
    pub estimated_cost: f64,
    /// Actual cost, US dollars.
    pub actual_cost: f64,
}

/// The report.
#[derive(Debug, Serialize)]
pub struct UsageReport {
    /// Start, Unix seconds (inclusive).
    pub from: i64,
    /// End, Unix seconds (exclusive).
    pub to: i64,
    /// `day` or `model`.
    pub group: String,
    /// The groups.
    pub rows: Vec<UsageLine>,
    /// Actual cost over all rows, US dollars.
    pub total_cost: f64,
}

/// Parses Unix seconds or a `YYYY-MM-DD` UTC date.
pub fn parse_time(name: &str, raw: &str) -> Result<i64, ApiError> {
    if let Ok(seconds) = raw.parse::<i64>() {
        return Ok(seconds);
    }
    let parts: Vec<&str> = raw.split('-').collect();
    let invalid = || {
        ApiError::Invalid(format!(
            "`{name}` must be Unix seconds or YYYY-MM-DD, not `{raw}`"
        ))
    };
    let [year, month, day] = parts.as_slice() else {
        return Err(invalid());
    };
    let (year, month, day): (i64, i64, i64) = (
        year.parse().map_err(|_| invalid())?,
        month.parse().map_err(|_| invalid())?,
        day.parse().map_err(|_| invalid())?,
    );
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Err(invalid());
    }
    Ok(days_from_civil(year, month, day) * 86_400)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// `GET /api/v1/usage`
pub async fn usage(
    State(ctx): State<AppContext>,
    ApiUser(_user): ApiUser,
    Query(query): Query<UsageQuery>,
) -> Result<Json<UsageReport>, ApiError> {
    let now = now_unix();
    let from = query
        .from
        .as_deref()
        .map_or(Ok(now - 30 * 86_400), |raw| parse_time("from", raw))?;
    let to = query
        .to
        .as_deref()
        .map_or(Ok(now + 1), |raw| parse_time("to", raw))?;
    let (group, name) = match query.group.as_deref() {
        None | Some("day") => (UsageGroup::Day, "day"),
        Some("model") => (UsageGroup::Model, "model"),
        Some(other) => {
            return Err(ApiError::Invalid(format!(
                "`group` must be `day` or `model`, not `{other}`"
            )));
        }
    };
    let totals = ctx.engine.store().usage_report(from, to, group).await?;
    let rows: Vec<UsageLine> = totals
        .into_iter()
        .map(|t| UsageLine {
            key: t.key,
            calls: t.calls,
            input_tokens: t.input_tokens,
            output_tokens: t.output_tokens,
            estimated_cost: micros_to_usd(t.estimated_cost_micros),
            actual_cost: micros_to_usd(t.actual_cost_micros),
        })
        .collect();
    let total_cost = rows.iter().map(|r| r.actual_cost).sum();
    Ok(Json(UsageReport {
        from,
        to,
        group: name.to_owned(),
        rows,
        total_cost,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_seconds_parse() {
        assert_eq!(parse_time("from", "1970-01-01").unwrap(), 0);
        assert_eq!(parse_time("from", "2026-11-25").unwrap(), 1_795_564_800);
        assert_eq!(parse_time("from", "2000-03-01").unwrap(), 951_868_800);
        assert_eq!(parse_time("from", "12345").unwrap(), 12345);
        assert!(parse_time("from", "2026-13-01").is_err());
        assert!(parse_time("from", "yesterday").is_err());
    }
}
