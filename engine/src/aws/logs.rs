//! `CloudWatch` Logs through the SDK: the newest events of a log group over a
//! time range, optionally matching a filter pattern or a local test (a
//! Lambda function's error lines).

use std::collections::VecDeque;

use aws_sdk_cloudwatchlogs::Client;

use super::errors::{self, AwsError};
use super::format::{Lines, when_millis};
use super::session::Session;

/// Pages read at most (the newest events are at the end).
const MAX_PAGES: usize = 50;
/// Longest message line shown.
const MAX_MESSAGE_CHARS: usize = 2000;

/// What to read.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    /// The log group.
    pub log_group: &'a str,
    /// A `CloudWatch` filter pattern, applied by AWS.
    pub pattern: Option<&'a str>,
    /// A test applied here to each message.
    pub keep: fn(&str) -> bool,
    /// How far back, in minutes.
    pub minutes: u32,
    /// Most events kept (the newest).
    pub limit: u32,
}

/// Every message passes.
pub fn everything(_: &str) -> bool {
    true
}

/// Reads the newest events of `query`.
pub async fn newest(
    session: &Session,
    query: Query<'_>,
    now_millis: i64,
) -> Result<Lines, AwsError> {
    let client = Client::new(&session.config);
    let start = now_millis - i64::from(query.minutes) * 60_000;
    let resource = format!("log group {}", query.log_group);
    let mut pages = client
        .filter_log_events()
        .log_group_name(query.log_group)
        .set_filter_pattern(query.pattern.map(str::to_owned))
        .start_time(start)
        .into_paginator()
        .send();
    let limit = usize::try_from(query.limit.max(1)).unwrap_or(usize::MAX);
    let mut kept = VecDeque::with_capacity(limit.min(1000));
    let mut pages_read = 0;
    let mut seen = 0usize;
    while let Some(page) = pages.next().await {
        let page =
            page.map_err(|e| errors::explain(&e, session.subject("filter_events", &resource)))?;
        for event in page.events() {
            let message = event.message().unwrap_or_default().trim_end();
            if !(query.keep)(message) {
                continue;
            }
            seen += 1;
            if kept.len() == limit {
                kept.pop_front();
            }
            let message: String = crate::context::redact(message)
                .chars()
                .take(MAX_MESSAGE_CHARS)
                .collect();
            kept.push_back(format!(
                "{}  {}  {message}",
                event.timestamp().map(when_millis).unwrap_or_default(),
                event.log_stream_name().unwrap_or("-"),
            ));
        }
        pages_read += 1;
        if pages_read == MAX_PAGES {
            break;
        }
    }
    let mut out = Lines(kept.into_iter().collect());
    let shown = out.0.len();
    out.push(format!(
        "{shown} of {seen} matching event(s) in {} over the last {} minutes{}",
        query.log_group,
        query.minutes,
        if pages_read == MAX_PAGES {
            " (stopped after the first pages)"
        } else {
            ""
        }
    ));
    Ok(out)
}

/// Whether a Lambda log line reports an error.
pub fn is_error_line(message: &str) -> bool {
    const MARKERS: [&str; 6] = [
        "ERROR",
        "Error",
        "Exception",
        "Traceback",
        "Task timed out",
        "FATAL",
    ];
    MARKERS.iter().any(|marker| message.contains(marker))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_lines_are_recognised_and_others_are_not() {
        assert!(is_error_line("2026-12-01 [ERROR] boom"));
        assert!(is_error_line("Task timed out after 3.00 seconds"));
        assert!(!is_error_line("START RequestId: 1 Version: $LATEST"));
    }
}
