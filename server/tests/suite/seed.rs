//! The four scenarios of the seed's integration suite
//! (`test_basic_commands.py`), sent over the wire the way its client sends
//! them: `localhost` as the host, the same JSON bodies, the same checks, and
//! a wait that, like the seed's, stops at `completed`, `failed` or
//! `rejected`. The one addition is the bearer token: the seed's client sends
//! no credentials, and REST v1 answers `401` without them (README, REST API).

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use pretty_assertions::assert_eq;
use serde_json::{Value, json};

use super::live::LiveServer;

/// What the seed's `httpx.AsyncClient(base_url=…)` does, plus the token.
struct SeedClient {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl SeedClient {
    fn new(server: &LiveServer) -> Self {
        Self {
            base: server.base.replace("127.0.0.1", "localhost"),
            token: server.token.clone(),
            http: reqwest::Client::new(),
        }
    }

    async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> Value {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        response.json().await.unwrap()
    }

    /// `POST /api/v1/command`, checked as every seed test checks it: `200`
    /// and exactly the five keys the MVP answers with.
    async fn command(&self, body: &Value) -> Value {
        let (status, data) = self.post("/api/v1/command", body).await;
        assert_eq!(status, 200, "{body}: {data}");
        let keys: BTreeSet<&str> = data
            .as_object()
            .unwrap_or_else(|| panic!("not an object: {data}"))
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            BTreeSet::from([
                "estimated_cost",
                "job_id",
                "model_used",
                "requires_approval",
                "status"
            ]),
            "{data}"
        );
        data
    }

    /// The seed's `_wait_for_completion`, waiting on the condition (polling
    /// the status) instead of one-second sleeps; then the status it reads.
    async fn wait_for_completion(&self, job_id: &Value) -> Value {
        let path = format!("/api/v1/command/{job_id}/status");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let data = self.get(&path).await;
            if matches!(
                data["status"].as_str(),
                Some("completed" | "failed" | "rejected")
            ) {
                return self.get(&path).await;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "job {job_id} did not complete within 30 seconds: {data}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

fn touch(dir: &Path, name: &str) {
    std::fs::write(dir.join(name), "").unwrap();
}

#[tokio::test]
async fn seed_file_listing() {
    let server = LiveServer::start().await;
    let client = SeedClient::new(&server);
    let temp_dir = tempfile::tempdir().unwrap();
    let test_files = ["file1.txt", "file2.py", "file3.md"];
    for name in test_files {
        touch(temp_dir.path(), name);
    }
    let dir = temp_dir.path().display().to_string();
    let data = client
        .command(&json!({
            "command": format!("list files in {dir}"),
            "context": {"cwd": dir},
        }))
        .await;
    assert_eq!(data["requires_approval"], false, "{data}");
    let result = client.wait_for_completion(&data["job_id"]).await;
    assert_eq!(result["status"], "completed", "{result}");
    let text = result["result"].to_string();
    for name in test_files {
        assert!(text.contains(name), "{name} missing from {text}");
    }
}

#[tokio::test]
async fn seed_file_organization() {
    let server = LiveServer::start().await;
    let client = SeedClient::new(&server);
    let temp_dir = tempfile::tempdir().unwrap();
    for name in ["document.pdf", "image.jpg", "script.py", "data.csv"] {
        touch(temp_dir.path(), name);
    }
    let dir = temp_dir.path().display().to_string();
    let data = client
        .command(&json!({
            "command": format!("organize files in {dir} by type"),
            "context": {"cwd": dir},
        }))
        .await;
    let result = client.wait_for_completion(&data["job_id"]).await;
    assert_eq!(result["status"], "completed", "{result}");
    // The seed leaves the layout to the implementation; ours sorts by kind.
    for moved in [
        "documents/document.pdf",
        "images/image.jpg",
        "code/script.py",
    ] {
        assert!(temp_dir.path().join(moved).is_file(), "{moved}: {result}");
    }
    assert!(!temp_dir.path().join("data.csv").exists(), "{result}");
}

#[tokio::test]
async fn seed_git_status() {
    let server = LiveServer::start().await;
    let client = SeedClient::new(&server);
    let temp_dir = tempfile::tempdir().unwrap();
    let init = std::process::Command::new("git")
        .arg("init")
        .current_dir(temp_dir.path())
        .output()
        .unwrap();
    assert!(init.status.success(), "{init:?}");
    std::fs::write(temp_dir.path().join("README.md"), "# Test Repo").unwrap();
    let data = client
        .command(&json!({
            "command": "show git status",
            "context": {"cwd": temp_dir.path().display().to_string()},
        }))
        .await;
    let result = client.wait_for_completion(&data["job_id"]).await;
    assert_eq!(result["status"], "completed", "{result}");
    assert!(
        result["result"].to_string().contains("README.md"),
        "{result}"
    );
}

#[tokio::test]
async fn seed_approval_workflow() {
    let server = LiveServer::start().await;
    let client = SeedClient::new(&server);
    // The seed sends no `cwd`, so the job runs where DevOS does: the test
    // server's home. It assumes there is something temporary to delete.
    touch(server.home.path(), "leftover.tmp");
    let data = client
        .command(&json!({
            "command": "delete all temporary files",
            "context": {},
        }))
        .await;
    assert_eq!(data["requires_approval"], true, "{data}");
    assert_eq!(data["status"], "pending", "{data}");
    let job_id = &data["job_id"];
    let (status, approval) = client
        .post(
            &format!("/api/v1/command/{job_id}/approve"),
            &json!({"approved": true, "remember": false}),
        )
        .await;
    assert_eq!(status, 200, "{approval}");
    let result = client.wait_for_completion(job_id).await;
    assert_eq!(result["status"], "completed", "{result}");
    assert!(
        !server.home.path().join("leftover.tmp").exists(),
        "{result}"
    );
}
