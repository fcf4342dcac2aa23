//! History's server functions and the log download through a real server:
//! a search finds a job by its output, filters are checked, a job page
//! carries its decisions, and an unknown job is not found.

use pretty_assertions::assert_eq;
use serde_json::{Value, json};

use super::live::LiveServer;

async fn history(server: &LiveServer, cookie: &str, filters: &[(&str, &str)]) -> (u16, String) {
    let form: Vec<(String, &str)> = filters
        .iter()
        .map(|(key, value)| (format!("filters[{key}]"), *value))
        .collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    server.server_fn(cookie, "/api/history/page", &form).await
}

#[tokio::test]
async fn history_search_job_page_and_log_download() {
    let server = LiveServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("nebula-notes.txt"), "x").unwrap();
    let listed = server.submit("list the files here", dir.path()).await;
    server.wait_final(&listed["job_id"]).await;
    let gated = server
        .submit("delete all temporary files", dir.path())
        .await;
    let (status, _) = server
        .act(
            &gated["job_id"],
            "approve",
            &json!({"approved": false, "note": "not now"}),
        )
        .await;
    assert_eq!(status, 200);
    let cookie = server.session_cookie().await;

    let (status, body) = history(&server, &cookie, &[("q", "nebula")]).await;
    assert_eq!(status, 200, "{body}");
    let page: Value = serde_json::from_str(&body).unwrap();
    let rows = page["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{body}");
    assert_eq!(rows[0]["id"], listed["job_id"]);
    assert!(
        rows[0]["snippet"]
            .as_array()
            .unwrap()
            .iter()
            .any(|part| part["matched"] == true
                && part["text"]
                    .as_str()
                    .unwrap()
                    .eq_ignore_ascii_case("nebula")),
        "{body}"
    );

    let (status, body) = history(&server, &cookie, &[("status", "rejected")]).await;
    assert_eq!(status, 200, "{body}");
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["rows"][0]["id"], gated["job_id"], "{body}");
    let (status, body) = history(&server, &cookie, &[("from", "2026-02-30")]).await;
    assert_ne!(status, 200);
    assert!(body.contains("is not YYYY-MM-DD"), "{body}");

    let id = gated["job_id"].to_string();
    let (status, body) = server
        .server_fn(&cookie, "/api/history/job", &[("id", id.as_str())])
        .await;
    assert_eq!(status, 200, "{body}");
    let job: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(job["approvals"][0]["by"], "tester", "{body}");
    assert_eq!(job["approvals"][0]["decision"], "rejected");
    assert_eq!(job["approvals"][0]["note"], "not now");
    let (status, body) = server
        .server_fn(&cookie, "/api/history/job", &[("id", "999999")])
        .await;
    assert_eq!((status, body.as_str()), (200, "null"));

    let log = reqwest::Client::new()
        .get(server.url(&format!("/api/v1/command/{}/log", listed["job_id"])))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(log.status(), 200);
    assert!(
        log.text().await.unwrap().contains("stdout] "),
        "the listing is in the log"
    );
    let (status, _) = server.get("/api/v1/command/999999/log").await;
    assert_eq!(status, 404);
}
