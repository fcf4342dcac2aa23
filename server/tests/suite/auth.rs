//! Login, rate limiting, first-run setup, sessions and API tokens.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use pretty_assertions::assert_eq;

use super::harness::{PASSWORD, TestServer, assert_status, body_json, body_text, session_cookie};

#[tokio::test]
async fn right_password_starts_a_session_that_opens_pages() {
    let server = TestServer::new().await;
    server.add_user("alice").await;
    let response = server.login("alice", PASSWORD).await;
    assert!(
        response.status().is_success() || response.status().is_redirection(),
        "{:?} {:?}",
        response.status(),
        response.headers()
    );
    let cookie = session_cookie(&response).expect("a session cookie");
    let set_cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Strict"), "{set_cookie}");

    let page = server.get("/settings", Some(&cookie)).await;
    assert_status(&page, StatusCode::OK);
    assert!(body_text(page).await.contains("Settings"));
    let me = server.get("/api/v1/me", Some(&cookie)).await;
    assert_eq!(body_json(me).await["user"], "alice");
}

#[tokio::test]
async fn wrong_password_is_refused_without_a_session() {
    let server = TestServer::new().await;
    server.add_user("alice").await;
    let response = server.login("alice", "not the password").await;
    assert!(!response.status().is_success(), "{:?}", response.status());
    let cookie = session_cookie(&response);
    let text = body_text(response).await;
    assert!(text.contains("wrong user name or password"), "{text}");
    let me = server.get("/api/v1/me", cookie.as_deref()).await;
    assert_status(&me, StatusCode::UNAUTHORIZED);
    assert_eq!(
        server
            .state
            .ctx
            .store
            .count_audit("login_failed")
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn unknown_user_gets_the_same_answer_as_a_wrong_password() {
    let server = TestServer::new().await;
    let text = body_text(server.login("nobody", PASSWORD).await).await;
    assert!(text.contains("wrong user name or password"), "{text}");
}

#[tokio::test]
async fn five_failures_block_even_the_right_password_for_a_minute() {
    let server = TestServer::new().await;
    server.add_user("alice").await;
    for attempt in 0..5 {
        let text = body_text(server.login("alice", "bad guess").await).await;
        assert!(
            text.contains("wrong user name or password"),
            "attempt {attempt}: {text}"
        );
    }
    let response = server.login("alice", PASSWORD).await;
    assert!(session_cookie(&response).is_none());
    let text = body_text(response).await;
    assert!(text.contains("too many failed logins"), "{text}");
}

#[tokio::test]
async fn parallel_guesses_are_limited_like_sequential_ones() {
    let server = TestServer::new().await;
    server.add_user("alice").await;
    let guesses = (0..12).map(|_| server.login("alice", "bad guess"));
    let answers = futures_util::future::join_all(guesses).await;
    let mut checked = 0;
    for answer in answers {
        if body_text(answer)
            .await
            .contains("wrong user name or password")
        {
            checked += 1;
        }
    }
    assert_eq!(
        checked, 5,
        "only five of twelve parallel guesses are checked"
    );
    let text = body_text(server.login("alice", PASSWORD).await).await;
    assert!(text.contains("devos user unlock alice"), "{text}");
}

#[tokio::test]
async fn failures_of_other_names_from_the_same_address_do_not_lock_the_owner_out() {
    let server = TestServer::new().await;
    server.add_user("alice").await;
    for name in ["a1", "a2", "a3", "a4", "a5", "a6"] {
        server.login(name, "guess").await;
    }
    let response = server.login("alice", PASSWORD).await;
    assert!(session_cookie(&response).is_some());
}

#[tokio::test]
async fn unlocking_an_account_lets_the_owner_in_at_once() {
    let server = TestServer::new().await;
    server.add_user("alice").await;
    for _ in 0..6 {
        server.login("Alice", "bad guess").await;
    }
    assert!(session_cookie(&server.login("alice", PASSWORD).await).is_none());
    let store = &server.state.ctx.store;
    let account = engine::auth::login_account_key("ALICE ");
    assert!(store.clear_login_failures(&account).await.unwrap());
    assert!(session_cookie(&server.login("alice", PASSWORD).await).is_some());
}

#[tokio::test]
async fn logout_ends_the_session() {
    let server = TestServer::new().await;
    server.add_user("alice").await;
    let cookie = session_cookie(&server.login("alice", PASSWORD).await).unwrap();
    server
        .post_form("/api/auth/logout", "", Some(&cookie))
        .await;
    let me = server.get("/api/v1/me", Some(&cookie)).await;
    assert_status(&me, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn setup_link_creates_the_first_account_once() {
    let server = TestServer::new().await;
    let token = server
        .setup_token
        .clone()
        .expect("no users, so a setup token");
    let wrong = server
        .post_form(
            "/api/auth/setup",
            &format!("token=wrong&username=root&password={PASSWORD}&confirm={PASSWORD}"),
            None,
        )
        .await;
    assert!(body_text(wrong).await.contains("no longer valid"));

    let form = format!("token={token}&username=root&password=longenough&confirm=longenough");
    let first = server.post_form("/api/auth/setup", &form, None).await;
    let cookie = session_cookie(&first).expect("setup logs the new user in");
    let me = server.get("/api/v1/me", Some(&cookie)).await;
    assert_eq!(body_json(me).await["user"], "root");

    let again = server
        .post_form(
            "/api/auth/setup",
            &form.replace("username=root", "username=mallory"),
            None,
        )
        .await;
    assert!(body_text(again).await.contains("no longer valid"));
    assert_eq!(server.state.ctx.store.count_users().await.unwrap(), 1);
}

#[tokio::test]
async fn a_concurrent_double_use_of_the_setup_link_creates_one_account() {
    let server = TestServer::new().await;
    let token = server.setup_token.clone().unwrap();
    let forms: Vec<String> = ["root", "mallory"]
        .iter()
        .map(|name| format!("token={token}&username={name}&password=longenough&confirm=longenough"))
        .collect();
    let answers = futures_util::future::join_all(
        forms
            .iter()
            .map(|form| server.post_form("/api/auth/setup", form, None)),
    )
    .await;
    let logged_in = answers
        .iter()
        .filter(|a| session_cookie(a).is_some())
        .count();
    assert_eq!(logged_in, 1);
    assert_eq!(server.state.ctx.store.count_users().await.unwrap(), 1);
}

#[tokio::test]
async fn setup_typo_keeps_the_link_usable() {
    let server = TestServer::new().await;
    let token = server.setup_token.clone().unwrap();
    let mismatch = server
        .post_form(
            "/api/auth/setup",
            &format!("token={token}&username=root&password=longenough&confirm=different1"),
            None,
        )
        .await;
    assert!(body_text(mismatch).await.contains("differ"));
    let ok = server
        .post_form(
            "/api/auth/setup",
            &format!("token={token}&username=root&password=longenough&confirm=longenough"),
            None,
        )
        .await;
    assert!(session_cookie(&ok).is_some());
}

#[tokio::test]
async fn no_setup_token_when_an_account_exists() {
    let server = TestServer::new().await;
    server.add_user("alice").await;
    let host = server::serve::Host {
        home: server.state.ctx.engine.home().to_path_buf(),
        user_policy: None,
        models: engine::models::ModelsOverrides::default(),
    };
    let (_, token) = server::serve::build_state((*server.state.ctx.config).clone(), host)
        .await
        .unwrap();
    assert_eq!(token, None);
}

#[tokio::test]
async fn bearer_token_authenticates_rest_calls() {
    let server = TestServer::new().await;
    server.add_user("alice").await;
    let token = engine::auth::create_token(&server.state.ctx.store, "alice", "ci")
        .await
        .unwrap();
    let request = |value: String| {
        Request::get("/api/v1/me")
            .header(header::HOST, "localhost:8080")
            .header(header::AUTHORIZATION, value)
            .body(Body::empty())
            .unwrap()
    };
    let ok = server.send(request(format!("Bearer {token}"))).await;
    assert_status(&ok, StatusCode::OK);
    assert_eq!(body_json(ok).await["user"], "alice");

    let bad = server.send(request(format!("Bearer {token}x"))).await;
    assert_status(&bad, StatusCode::UNAUTHORIZED);
    let body = body_json(bad).await;
    assert_eq!(body["error"]["code"], "unauthorized");

    let not_bearer = server.send(request(format!("Basic {token}"))).await;
    assert_status(&not_bearer, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn tokens_are_stored_hashed() {
    let server = TestServer::new().await;
    server.add_user("alice").await;
    let token = engine::auth::create_token(&server.state.ctx.store, "alice", "ci")
        .await
        .unwrap();
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM api_tokens")
        .fetch_all(server.state.ctx.store.pool())
        .await
        .unwrap();
    assert_eq!(stored, vec![engine::auth::token_hash(&token)]);
    assert!(!stored[0].contains(&token));
}
