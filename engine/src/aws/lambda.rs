//! Lambda through the SDK: functions with runtime, memory and last change,
//! one invocation with a JSON payload, and a function's recent error lines
//! from its log group.

use aws_sdk_lambda::Client;
use aws_sdk_lambda::primitives::Blob;

use super::call::LambdaCall;
use super::errors::{self, AwsError};
use super::format::Lines;
use super::logs;
use super::session::Session;

/// Longest answer shown from an invocation.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Runs `call`.
pub async fn run(session: &Session, call: &LambdaCall, now_millis: i64) -> Result<Lines, AwsError> {
    let client = Client::new(&session.config);
    let mut out = Lines::default();
    match call {
        LambdaCall::ListFunctions => {
            let mut pages = client.list_functions().into_paginator().send();
            let mut count = 0;
            while let Some(page) = pages.next().await {
                let page =
                    page.map_err(|e| errors::explain(&e, session.subject("list_functions", "")))?;
                for function in page.functions() {
                    count += 1;
                    out.push(format!(
                        "{}  {}  {} MB  modified {}",
                        function.function_name().unwrap_or("-"),
                        function.runtime().map_or("-", |r| r.as_str()),
                        function.memory_size().unwrap_or_default(),
                        function.last_modified().unwrap_or("-"),
                    ));
                }
            }
            out.push(format!("{count} function(s) in {}", session.region));
        }
        LambdaCall::Invoke { function, payload } => {
            let body = payload.clone().unwrap_or_else(|| "{}".to_owned());
            let resource = format!("function {function}");
            let answer = client
                .invoke()
                .function_name(function)
                .payload(Blob::new(body))
                .send()
                .await
                .map_err(|e| errors::explain(&e, session.subject("invoke", &resource)))?;
            out.push(format!(
                "{function} answered with status {}",
                answer.status_code()
            ));
            if let Some(payload) = answer.payload() {
                let bytes = payload.as_ref();
                let shown = &bytes[..bytes.len().min(MAX_ANSWER_BYTES)];
                out.push(crate::context::redact(&String::from_utf8_lossy(shown)));
            }
            if let Some(error) = answer.function_error() {
                return Err(AwsError::new(format!(
                    "{function} failed ({error}): {}",
                    out.0.join(" ")
                )));
            }
        }
        LambdaCall::RecentErrors {
            function,
            minutes,
            limit,
        } => {
            let log_group = format!("/aws/lambda/{function}");
            let query = logs::Query {
                log_group: &log_group,
                pattern: None,
                keep: logs::is_error_line,
                minutes: *minutes,
                limit: *limit,
            };
            return logs::newest(session, query, now_millis).await;
        }
    }
    Ok(out)
}
