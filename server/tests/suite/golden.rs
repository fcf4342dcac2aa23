//! REST v1 bodies frozen as golden files: a change to the wire shows up as a
//! snapshot diff to review (`cargo insta review`), never silently.

use serde_json::{Value, json};

use super::live::LiveServer;

/// The JSON with the temp dir and the per-run numbers replaced by placeholders.
fn stable(value: &Value, dir: &std::path::Path) -> Value {
    let text = value
        .to_string()
        .replace(&dir.display().to_string(), "<dir>");
    let mut value: Value = serde_json::from_str(&text).unwrap();
    for key in [
        "job_id",
        "created_at",
        "approval_deadline_at",
        "finished_at",
    ] {
        if value.get(key).is_some_and(|v| !v.is_null()) {
            value[key] = json!(format!("<{key}>"));
        }
    }
    value
}

#[tokio::test]
async fn a_pending_job_on_the_wire() {
    let server = LiveServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.tmp"), "x").unwrap();
    let created = server
        .submit("delete all temporary files", dir.path())
        .await;
    insta::assert_json_snapshot!("command_created_pending", stable(&created, dir.path()));
    let status = server.status(&created["job_id"]).await;
    insta::assert_json_snapshot!("command_status_pending", stable(&status, dir.path()));
}
