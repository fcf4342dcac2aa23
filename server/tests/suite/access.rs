//! Settings → Access through the server functions a browser calls: tokens
//! (a revoked one is refused at once), the password change and signing out
//! other sessions (both end every other session, never the current one),
//! and the list of open sessions with signing out one of them.

use axum::http::StatusCode;
use pretty_assertions::assert_eq;

use super::harness::{PASSWORD, TestServer, assert_status, body_json, body_text, session_cookie};

async fn bearer_status(server: &TestServer, token: &str) -> StatusCode {
    let response = server
        .send(
            axum::http::Request::get("/api/v1/me")
                .header(axum::http::header::HOST, "127.0.0.1:8080")
                .header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    response.status()
}

async fn logged_in(server: &TestServer, password: &str) -> String {
    session_cookie(&server.login("alice", password).await).expect("logged in")
}

#[tokio::test]
async fn a_token_made_in_settings_works_until_it_is_revoked() {
    let server = TestServer::new().await;
    server.add_user("alice").await;
    let cookie = logged_in(&server, PASSWORD).await;
    let created = body_json(
        server
            .post_form("/api/access/create_token", "label=laptop", Some(&cookie))
            .await,
    )
    .await;
    let secret = created["secret"]
        .as_str()
        .expect("the secret is shown once")
        .to_owned();
    assert_eq!(bearer_status(&server, &secret).await, StatusCode::OK);

    let listed = body_json(
        server
            .post_form("/api/access/tokens", "", Some(&cookie))
            .await,
    )
    .await;
    let tokens = listed.as_array().unwrap();
    assert_eq!(tokens.len(), 1, "{listed}");
    assert_eq!(tokens[0]["label"], "laptop");
    assert!(
        !listed.to_string().contains(&secret),
        "the list never shows a secret"
    );

    let id = tokens[0]["id"].as_i64().unwrap();
    let revoked = server
        .post_form(
            "/api/access/revoke_token",
            &format!("id={id}"),
            Some(&cookie),
        )
        .await;
    assert_status(&revoked, StatusCode::OK);
    assert_eq!(
        bearer_status(&server, &secret).await,
        StatusCode::UNAUTHORIZED
    );
    let again = server
        .post_form(
            "/api/access/revoke_token",
            &format!("id={id}"),
            Some(&cookie),
        )
        .await;
    let text = body_text(again).await;
    assert!(text.contains("NotFound"), "{text}");
}

#[tokio::test]
async fn a_password_change_signs_out_the_other_sessions_only() {
    let server = TestServer::new().await;
    server.add_user("alice").await;
    let here = logged_in(&server, PASSWORD).await;
    let elsewhere = logged_in(&server, PASSWORD).await;
    let wrong = server
        .post_form(
            "/api/access/change_password",
            "current=not+it&new=brand+new+secret&confirm=brand+new+secret",
            Some(&here),
        )
        .await;
    assert!(body_text(wrong).await.contains("current password is wrong"));
    assert_status(
        &server.get("/api/v1/me", Some(&elsewhere)).await,
        StatusCode::OK,
    );

    let changed = server
        .post_form(
            "/api/access/change_password",
            &format!(
                "current={}&new=brand+new+secret&confirm=brand+new+secret",
                super::harness::urlencode(PASSWORD)
            ),
            Some(&here),
        )
        .await;
    assert!(body_text(changed).await.contains("password changed"));
    assert_status(&server.get("/api/v1/me", Some(&here)).await, StatusCode::OK);
    assert_status(
        &server.get("/api/v1/me", Some(&elsewhere)).await,
        StatusCode::UNAUTHORIZED,
    );
    assert!(session_cookie(&server.login("alice", PASSWORD).await).is_none());
    assert!(session_cookie(&server.login("alice", "brand new secret").await).is_some());
}

#[tokio::test]
async fn signing_out_other_sessions_keeps_this_one() {
    let server = TestServer::new().await;
    server.add_user("alice").await;
    let here = logged_in(&server, PASSWORD).await;
    let elsewhere = logged_in(&server, PASSWORD).await;
    let done = server
        .post_form("/api/access/sign_out_others", "", Some(&here))
        .await;
    assert!(body_text(done).await.contains("signed out (1 was open)"));
    assert_status(&server.get("/api/v1/me", Some(&here)).await, StatusCode::OK);
    assert_eq!(sessions(&server, &here).await.len(), 1);
    assert_status(
        &server.get("/api/v1/me", Some(&elsewhere)).await,
        StatusCode::UNAUTHORIZED,
    );
}

async fn sessions(server: &TestServer, cookie: &str) -> Vec<serde_json::Value> {
    let listed = server
        .post_form("/api/access/sessions", "", Some(cookie))
        .await;
    assert_status(&listed, StatusCode::OK);
    body_json(listed).await.as_array().unwrap().clone()
}

#[tokio::test]
async fn open_sessions_are_listed_and_each_can_be_signed_out() {
    let server = TestServer::new().await;
    server.add_user("alice").await;
    let here = logged_in(&server, PASSWORD).await;
    let elsewhere = logged_in(&server, PASSWORD).await;
    let listed = sessions(&server, &here).await;
    assert_eq!(listed.len(), 2, "{listed:?}");
    let current: Vec<bool> = listed.iter().map(|s| s["current"] == true).collect();
    assert_eq!(current.iter().filter(|c| **c).count(), 1, "{listed:?}");
    assert_eq!(listed[0]["browser"], "an unnamed client");
    assert_eq!(listed[0]["current"], true, "this session comes first");
    let other = listed.iter().find(|s| s["current"] == false).unwrap()["id"]
        .as_i64()
        .unwrap();
    let mine = listed.iter().find(|s| s["current"] == true).unwrap()["id"]
        .as_i64()
        .unwrap();

    // This session cannot sign itself out here, and unknown ids are named.
    let (on, from) = (&server, here.as_str());
    let end = |id: i64| async move {
        let answer = on
            .post_form("/api/access/end_session", &format!("id={id}"), Some(from))
            .await;
        body_text(answer).await
    };
    assert!(end(mine).await.contains("Log out"));
    assert!(end(999_999).await.contains("no open session 999999"));
    assert!(end(other).await.contains("signed out"));
    assert_status(
        &server.get("/api/v1/me", Some(&elsewhere)).await,
        StatusCode::UNAUTHORIZED,
    );
    assert_status(&server.get("/api/v1/me", Some(&here)).await, StatusCode::OK);
    let left: Vec<i64> = sessions(&server, &here)
        .await
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(left, vec![mine]);

    // Logging out ends the session's row too: it leaves the list.
    let third = logged_in(&server, PASSWORD).await;
    assert_eq!(sessions(&server, &here).await.len(), 2);
    server.post_form("/api/auth/logout", "", Some(&third)).await;
    assert_eq!(sessions(&server, &here).await.len(), 1);
}
