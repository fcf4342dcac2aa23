//! Host allow-list, Origin checks, security headers, redirects and health.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use pretty_assertions::assert_eq;

use super::harness::{TestServer, assert_status, body_json};

#[tokio::test]
async fn foreign_host_is_refused() {
    let server = TestServer::new().await;
    for host in ["evil.example", "evil.example:8080", "127.0.0.1.nip.io:8080"] {
        let response = server
            .send(
                Request::get("/health")
                    .header(header::HOST, host)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(response.status(), StatusCode::MISDIRECTED_REQUEST, "{host}");
    }
}

#[tokio::test]
async fn a_tunnel_on_another_local_port_is_accepted() {
    // `ssh -L 9000:127.0.0.1:8080 host`: the browser says localhost:9000.
    let server = TestServer::new().await;
    server.add_user("alice").await;
    for authority in ["localhost:9000", "127.0.0.1:18080"] {
        let response = server
            .send(
                Request::post("/api/auth/login")
                    .header(header::HOST, authority)
                    .header(header::ORIGIN, format!("http://{authority}"))
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from("username=alice&password=wrong+password"))
                    .unwrap(),
            )
            .await;
        let status = response.status();
        let text = super::harness::body_text(response).await;
        assert!(
            text.contains("wrong user name or password"),
            "{authority}: {status} {text}"
        );
    }
}

#[tokio::test]
async fn health_answers_without_auth() {
    let server = TestServer::new().await;
    let response = server.get("/health", None).await;
    assert_status(&response, StatusCode::OK);
    let body = body_json(response).await;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn foreign_origin_cannot_post() {
    let server = TestServer::new().await;
    server.add_user("alice").await;
    for origin in [
        "http://evil.example",
        "null",
        "http://127.0.0.1:9999",
        "http://localhost.evil:8080",
    ] {
        let response = server
            .send(
                Request::post("/api/auth/login")
                    .header(header::HOST, "127.0.0.1:8080")
                    .header(header::ORIGIN, origin)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from("username=alice&password=x"))
                    .unwrap(),
            )
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{origin}");
        assert_eq!(body_json(response).await["error"]["code"], "forbidden");
    }
}

#[tokio::test]
async fn cross_site_fetch_metadata_is_refused() {
    let server = TestServer::new().await;
    let response = server
        .send(
            Request::post("/api/auth/logout")
                .header(header::HOST, "127.0.0.1:8080")
                .header("sec-fetch-site", "cross-site")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_status(&response, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn websocket_upgrade_from_foreign_origin_is_refused() {
    let server = TestServer::new().await;
    let response = server
        .send(
            Request::get("/ws/events")
                .header(header::HOST, "127.0.0.1:8080")
                .header(header::ORIGIN, "http://evil.example")
                .header(header::UPGRADE, "websocket")
                .header(header::CONNECTION, "upgrade")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_status(&response, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn logged_out_pages_redirect_to_login_with_next() {
    let server = TestServer::new().await;
    let response = server.get("/history?q=x", None).await;
    assert_status(&response, StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()[header::LOCATION],
        "/login?next=/history%3Fq%3Dx"
    );
    let login = server.get("/login", None).await;
    assert_status(&login, StatusCode::OK);
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_nonce_csp() {
    let server = TestServer::new().await;
    let response = server.get("/login", None).await;
    let headers = response.headers();
    assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("script-src 'self' 'nonce-"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
}

#[tokio::test]
async fn server_functions_need_a_session() {
    let server = TestServer::new().await;
    let response = server.post_form("/api/auth/me", "", None).await;
    // `me` answers null for logged-out callers; REST answers 401.
    assert_status(&response, StatusCode::OK);
    assert_eq!(body_json(response).await, serde_json::Value::Null);
    let rest = server.get("/api/v1/me", None).await;
    assert_status(&rest, StatusCode::UNAUTHORIZED);
}
