//! Web hardening layers: the Host allow-list (defeats DNS rebinding), the
//! Origin check on state-changing requests and WebSocket upgrades (defeats
//! cross-site requests), and the security headers on every response.

use std::collections::HashSet;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// Host names (without port) the server answers to.
#[derive(Debug, Clone)]
pub struct AllowedHosts(Arc<HashSet<String>>);

impl AllowedHosts {
    /// The loopback names plus `extra` (from `server.allowed_hosts`).
    pub fn new(extra: &[String]) -> Self {
        let names = ["localhost", "127.0.0.1", "[::1]"]
            .into_iter()
            .map(str::to_owned)
            .chain(extra.iter().map(|h| h.to_ascii_lowercase()))
            .collect();
        Self(Arc::new(names))
    }

    /// Whether an authority (`host[:port]`) names an allowed host.
    pub fn allows(&self, authority: &str) -> bool {
        self.0.contains(&host_of(authority).to_ascii_lowercase())
    }
}

/// The host part of `host[:port]`, keeping IPv6 brackets.
fn host_of(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority
            .find(']')
            .map_or(authority, |end| &authority[..=end]);
    }
    authority.split(':').next().unwrap_or(authority)
}

/// Refuses requests for a foreign Host (421) and state-changing requests or
/// WebSocket upgrades from a foreign Origin (403).
pub async fn check_host_and_origin(
    State(allowed): State<AllowedHosts>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(ToString::to_string));
    let Some(host) = host else {
        return (StatusCode::BAD_REQUEST, "missing Host header").into_response();
    };
    if !allowed.allows(&host) {
        tracing::warn!(%host, "refused a request for a foreign Host (DNS rebinding guard)");
        return (
            StatusCode::MISDIRECTED_REQUEST,
            "this DevOS only answers to localhost; use an SSH tunnel for remote access",
        )
            .into_response();
    }
    let changes_state = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if (changes_state || is_websocket_upgrade(headers))
        && let Err(reason) = check_origin(headers, &host, &allowed)
    {
        tracing::warn!(%reason, "refused a cross-origin request");
        return ApiError::Forbidden(reason).into_response();
    }
    next.run(request).await
}

fn is_websocket_upgrade(headers: &HeaderMap) -> bool {
    headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// Browsers always send Origin on these requests; a missing one means a
/// non-browser client (curl with a token), which cannot be a forged request.
fn check_origin(headers: &HeaderMap, host: &str, allowed: &AllowedHosts) -> Result<(), String> {
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site")
    {
        return Err("cross-site requests are not accepted".into());
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().unwrap_or("null");
    let authority = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    match authority {
        Some(authority) if authority.eq_ignore_ascii_case(host) && allowed.allows(authority) => {
            Ok(())
        }
        _ => Err(format!("requests from origin `{origin}` are not accepted")),
    }
}

/// Adds nosniff, frame denial, referrer policy and a default CSP (pages set
/// their own, stricter one with the script nonce).
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        ));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_matched_without_port_and_case() {
        let allowed = AllowedHosts::new(&["devbox.lan".into()]);
        for ok in [
            "localhost:8080",
            "127.0.0.1",
            "[::1]:8080",
            "LOCALHOST",
            "devbox.lan:1",
        ] {
            assert!(allowed.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8080",
            "127.0.0.2:8080",
            "localhost.evil",
        ] {
            assert!(!allowed.allows(bad), "{bad}");
        }
    }
}
