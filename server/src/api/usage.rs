//! `GET /api/v1/usage?from=&to=&group=day|model|provider`: the model usage
//! ledger in totals; `GET /api/v1/usage/export`: every row of it as CSV.

use std::fmt::Write as _;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse as _, Response};
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
    raw.parse::<i64>()
        .ok()
        .or_else(|| engine::calendar::parse_date(raw))
        .ok_or_else(|| {
            ApiError::Invalid(format!(
                "`{name}` must be Unix seconds or YYYY-MM-DD, not `{raw}`"
            ))
        })
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
        Some("provider") => (UsageGroup::Provider, "provider"),
        Some(other) => {
            return Err(ApiError::Invalid(format!(
                "`group` must be `day`, `model` or `provider`, not `{other}`"
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

/// A CSV field: quoted when it holds a comma, quote or line break, and
/// prefixed with `'` when a spreadsheet would read it as a formula.
fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// `GET /api/v1/usage/export`: the whole usage ledger as a CSV download.
pub async fn export(
    State(ctx): State<AppContext>,
    ApiUser(_user): ApiUser,
) -> Result<Response, ApiError> {
    /// Rows read per query.
    const SLICE: u32 = 5_000;
    let store = ctx.engine.store();
    let mut csv = String::from(
        "id,time_utc,job_id,provider,model,input_tokens,output_tokens,estimated_usd,actual_usd,latency_ms,outcome,detail\n",
    );
    let mut after = 0;
    loop {
        let rows = store.ledger_after(after, SLICE).await?;
        let Some(last) = rows.last() else {
            break;
        };
        after = last.id;
        for row in rows {
            // Writing to a String cannot fail.
            let _ = writeln!(
                csv,
                "{},{},{},{},{},{},{},{:.6},{:.6},{},{},{}",
                row.id,
                engine::calendar::format_minute(row.created_at),
                row.job_id.map(|id| id.to_string()).unwrap_or_default(),
                csv_field(&row.call.provider),
                csv_field(&row.call.model),
                row.call.input_tokens,
                row.call.output_tokens,
                micros_to_usd(row.call.estimated_cost_micros),
                micros_to_usd(row.call.actual_cost_micros),
                row.latency_ms,
                csv_field(&row.call.outcome),
                csv_field(&row.call.detail),
            );
        }
    }
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
        (
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"devos-usage.csv\"",
        ),
    ];
    Ok((headers, csv).into_response())
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
        assert!(parse_time("from", "2026-02-30").is_err());
        assert!(parse_time("from", "yesterday").is_err());
    }

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("nova-micro"), "nova-micro");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_field("line\nbreak"), "\"line\nbreak\"");
    }
}
