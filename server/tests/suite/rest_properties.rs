//! Property tests over REST v1 bodies: whatever JSON (or not JSON) arrives,
//! the server answers with a JSON error of the right status and never a
//! 5xx or a panic; the body limit holds for every endpoint.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;

use super::harness::{TestServer, body_json};

/// Any JSON value, nested a few levels, with the field names the endpoints
/// know mixed in so that bodies come close to valid ones.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,40}".prop_map(Value::String),
        Just(Value::String("/".into())),
        Just(Value::String("list the files".into())),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        let key = prop_oneof![
            Just("command".to_owned()),
            Just("context".to_owned()),
            Just("cwd".to_owned()),
            Just("approval_timeout".to_owned()),
            Just("approved".to_owned()),
            Just("remember".to_owned()),
            Just("note".to_owned()),
            Just("scope".to_owned()),
            Just("decision".to_owned()),
            Just("enabled".to_owned()),
            "[a-z_]{1,12}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key, inner, 0..5)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// The endpoints that take a body, with a job or rule id that may not exist.
fn endpoint() -> impl Strategy<Value = (Method, String)> {
    let id = prop_oneof![
        Just("1".to_owned()),
        Just("999999".to_owned()),
        Just("x".to_owned()),
        Just("-1".to_owned())
    ];
    prop_oneof![
        Just((Method::POST, "/api/v1/command".to_owned())),
        id.clone()
            .prop_map(|id| (Method::POST, format!("/api/v1/command/{id}/approve"))),
        id.clone()
            .prop_map(|id| (Method::POST, format!("/api/v1/command/{id}/cancel"))),
        Just((Method::POST, "/api/v1/rules".to_owned())),
        id.prop_map(|id| (Method::PATCH, format!("/api/v1/rules/{id}"))),
    ]
}

/// A body: JSON text, or bytes that are mostly not JSON.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => any_json().prop_map(|v| v.to_string().into_bytes()),
        1 => prop::collection::vec(any::<u8>(), 0..200),
        1 => any_json().prop_map(|v| {
            let mut bytes = v.to_string().into_bytes();
            bytes.truncate(bytes.len() / 2);
            bytes
        }),
    ]
}

fn check(status: StatusCode, json: &Value) -> Result<(), TestCaseError> {
    prop_assert!(!status.is_server_error(), "{status}: {json}");
    if !status.is_success() {
        prop_assert!(
            [400, 404, 409, 413, 415, 422].contains(&status.as_u16()),
            "{status}: {json}"
        );
        prop_assert!(json["error"]["code"].is_string(), "{status}: {json}");
        prop_assert!(json["error"]["message"].is_string(), "{status}: {json}");
    }
    Ok(())
}

#[test]
fn any_body_gets_a_json_answer_and_never_a_server_error() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (server, token) = runtime.block_on(async {
        let server = TestServer::new().await;
        server.add_user("alice").await;
        let token = engine::auth::create_token(&server.state.ctx.store, "alice", "props")
            .await
            .unwrap();
        (server, token)
    });
    let mut runner = TestRunner::new(Config {
        cases: 300,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&(endpoint(), body()), |((method, path), bytes)| {
            let request = Request::builder()
                .method(method)
                .uri(&path)
                .header(header::HOST, "127.0.0.1:8080")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(bytes))
                .unwrap();
            let (status, json) = runtime.block_on(async {
                let response = server.send(request).await;
                let status = response.status();
                (status, body_json(response).await)
            });
            check(status, &json)
        })
        .unwrap();
}

#[tokio::test]
async fn every_body_endpoint_refuses_an_oversize_body_with_413() {
    let server = TestServer::new().await;
    server.add_user("alice").await;
    let token = engine::auth::create_token(&server.state.ctx.store, "alice", "props")
        .await
        .unwrap();
    let big = format!("{{\"command\":\"{}\"}}", "x".repeat(200 * 1024));
    for (method, path) in [
        (Method::POST, "/api/v1/command"),
        (Method::POST, "/api/v1/command/1/approve"),
        (Method::POST, "/api/v1/rules"),
        (Method::PATCH, "/api/v1/rules/1"),
    ] {
        let response = server
            .send(
                Request::builder()
                    .method(method)
                    .uri(path)
                    .header(header::HOST, "127.0.0.1:8080")
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(big.clone()))
                    .unwrap(),
            )
            .await;
        let status = response.status();
        let json = body_json(response).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{path}: {json}");
        assert_eq!(json["error"]["code"], "payload_too_large", "{path}: {json}");
    }
}
