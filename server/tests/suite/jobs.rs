//! Jobs end to end against a real `devos` process: plan, decide, run,
//! cancel, undo, restart, and bad input.

use std::fs;
use std::path::Path;

use pretty_assertions::assert_eq;
use serde_json::json;

use super::live::{LiveServer, listing};

fn write(dir: &Path, name: &str, content: &str) {
    fs::write(dir.join(name), content).unwrap();
}

#[tokio::test]
async fn listing_files_runs_without_approval_and_names_every_file() {
    let server = LiveServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    for name in ["alpha.txt", "beta.rs", "gamma.md"] {
        write(dir.path(), name, name);
    }
    let job = server.submit("list the files here", dir.path()).await;
    assert_eq!(job["requires_approval"], false, "{job}");
    assert_eq!(job["model_used"], "builtin");
    let done = server.wait_final(&job["job_id"]).await;
    assert_eq!(done["status"], "completed", "{done}");
    let result = done["result"].as_str().unwrap();
    for name in ["alpha.txt", "beta.rs", "gamma.md"] {
        assert!(result.contains(name), "{name} missing from {result}");
    }
}

#[tokio::test]
async fn every_output_line_is_stored_once_and_in_order() {
    let server = LiveServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let job = server.submit("run this: `seq 1 5000`", dir.path()).await;
    assert_eq!(job["requires_approval"], false, "{job}");
    let done = server.wait_final(&job["job_id"]).await;
    assert_eq!(done["status"], "completed", "{done}");
    let (status, log) = server
        .get_text(&format!("/api/v1/command/{}/log", job["job_id"]))
        .await;
    assert_eq!(status, 200, "{log}");
    let printed: Vec<u32> = log
        .lines()
        .filter_map(|line| line.strip_prefix("[step 1 stdout] "))
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(printed, (1..=5000).collect::<Vec<_>>());
}

#[tokio::test]
async fn organizing_by_type_moves_files_and_journals_them_and_undo_restores() {
    let server = LiveServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in [
        ("photo.jpg", "jpg"),
        ("notes.pdf", "pdf"),
        ("main.rs", "fn main() {}"),
        ("song.mp3", "mp3"),
        ("misc.xyz", "?"),
    ] {
        write(dir.path(), name, content);
    }
    let before = listing(dir.path());
    let job = server
        .submit(
            &format!("organize {} by file type", dir.path().display()),
            dir.path(),
        )
        .await;
    assert_eq!(job["requires_approval"], false, "{job}");
    let done = server.wait_final(&job["job_id"]).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert!(dir.path().join("images/photo.jpg").is_file());
    assert!(dir.path().join("documents/notes.pdf").is_file());
    assert!(dir.path().join("code/main.rs").is_file());
    assert!(dir.path().join("audio/song.mp3").is_file());
    assert!(dir.path().join("other/misc.xyz").is_file());
    assert_eq!(done["can_undo"], true);

    let (status, report) = server.act(&job["job_id"], "undo", &json!({})).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["refused"], json!([]), "{report}");
    assert_eq!(listing(dir.path()), before);
    let (again, _) = server.act(&job["job_id"], "undo", &json!({})).await;
    assert_eq!(again, 409);
}

#[tokio::test]
async fn a_shown_secret_is_redacted_in_the_result_as_in_the_log() {
    let server = LiveServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let key = "sk-abcdef1234567890abcdef";
    write(dir.path(), ".env", &format!("API_KEY={key}\nDEBUG=1\n"));
    let job = server.submit("what's in the .env file", dir.path()).await;
    let done = server.wait_final(&job["job_id"]).await;
    assert_eq!(done["status"], "completed", "{done}");
    let result = done["result"].as_str().unwrap();
    assert!(result.contains("DEBUG=1"), "{result}");
    assert!(result.contains("API_KEY=[redacted]"), "{result}");
    let (_, log) = server
        .get_text(&format!("/api/v1/command/{}/log", job["job_id"]))
        .await;
    assert!(!format!("{done}{log}").contains(key), "{done}\n{log}");
}

#[tokio::test]
async fn git_status_waits_for_approval_when_the_repository_config_runs_a_program() {
    let server = LiveServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("fsmonitor-ran");
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&[
        "config",
        "core.fsmonitor",
        &format!("touch {}", marker.display()),
    ]);
    let job = server.submit("show git status", dir.path()).await;
    assert_eq!(job["requires_approval"], true, "{job}");
    let (_, detail) = server
        .get(&format!("/api/v1/command/{}/status", job["job_id"]))
        .await;
    assert!(
        detail.to_string().contains("core.fsmonitor"),
        "the card says why: {detail}"
    );
    assert!(
        !marker.exists(),
        "the repository's program ran before approval"
    );
}

#[tokio::test]
async fn git_status_names_an_untracked_file() {
    let server = LiveServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let init = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(init.success());
    write(dir.path(), "README.md", "# hi");
    let job = server.submit("show git status", dir.path()).await;
    let done = server.wait_final(&job["job_id"]).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert!(
        done["result"].as_str().unwrap().contains("README.md"),
        "{done}"
    );
}

#[tokio::test]
async fn a_search_that_finds_nothing_completes_and_a_broken_one_fails() {
    let server = LiveServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes.txt", "hello\n");
    let none = server
        .submit("run this: `grep absent notes.txt`", dir.path())
        .await;
    let none = server.wait_final(&none["job_id"]).await;
    assert_eq!(none["status"], "completed", "{none}");
    let (_, log) = server
        .get_text(&format!("/api/v1/command/{}/log", none["job_id"]))
        .await;
    assert!(log.contains("no line matched the pattern"), "{log}");
    // Status 2 is an error, and a 1 from a pipeline may be any stage's.
    for written in [
        "grep absent missing.txt",
        "grep hello notes.txt | grep absent",
    ] {
        let job = server
            .submit(&format!("run this: `{written}`"), dir.path())
            .await;
        let done = server.wait_final(&job["job_id"]).await;
        assert_eq!(done["status"], "failed", "{written}: {done}");
    }
}

fn temp_files_fixture(dir: &Path) {
    for name in ["a.tmp", "b.bak", "keep.txt", "c~"] {
        write(dir, name, name);
    }
}

#[tokio::test]
async fn deleting_temporary_files_waits_for_approval_then_trashes_only_them() {
    let server = LiveServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    temp_files_fixture(dir.path());
    let job = server
        .submit("delete all temporary files", dir.path())
        .await;
    assert_eq!(job["status"], "pending", "{job}");
    assert_eq!(job["requires_approval"], true);
    let pending = server.status(&job["job_id"]).await;
    let preview = pending["steps"][0]["preview"].as_str().unwrap();
    assert!(preview.contains("3 files"), "{preview}");
    assert!(
        dir.path().join("a.tmp").exists(),
        "nothing runs before approval"
    );

    let (status, _) = server
        .act(
            &job["job_id"],
            "approve",
            &json!({ "approved": true, "note": "yes, clean up" }),
        )
        .await;
    assert_eq!(status, 200);
    let done = server.wait_final(&job["job_id"]).await;
    assert_eq!(done["status"], "completed", "{done}");
    let remaining: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(remaining, vec!["keep.txt".to_owned()]);
    let trash = server.data_dir.path().join("trash");
    let trashed: Vec<_> = listing(&trash)
        .into_iter()
        .filter(|(_, size, _)| *size > 0)
        .map(|(path, _, _)| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(trashed.len(), 3, "{trashed:?}");

    let (conflict, body) = server
        .act(&job["job_id"], "approve", &json!({ "approved": true }))
        .await;
    assert_eq!(conflict, 409, "{body}");
    assert_eq!(body["error"]["code"], "conflict");
}

#[tokio::test]
async fn rejecting_leaves_everything_in_place() {
    let server = LiveServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    temp_files_fixture(dir.path());
    let before = listing(dir.path());
    let job = server
        .submit("delete all temporary files", dir.path())
        .await;
    let (status, body) = server
        .act(
            &job["job_id"],
            "approve",
            &json!({ "approved": false, "note": "not now" }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "rejected");
    assert_eq!(listing(dir.path()), before);
}

/// A named pipe nobody writes to: reading it blocks until the reader is killed,
/// so a read-only step on it runs until cancelled.
fn never_ending_input(dir: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(dir.join("pipe.txt"))
        .status()
        .unwrap();
    assert!(status.success());
}

#[tokio::test]
async fn cancelling_a_running_step_kills_it() {
    let server = LiveServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    never_ending_input(dir.path());
    let job = server.submit("count lines in pipe.txt", dir.path()).await;
    server.wait_for(&job["job_id"], |s| s == "executing").await;
    let (status, body) = server.act(&job["job_id"], "cancel", &json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "cancelled", "{body}");
    assert_eq!(body["steps"][0]["status"], "cancelled", "{body}");
    let (again, _) = server.act(&job["job_id"], "cancel", &json!({})).await;
    assert_eq!(again, 409);
}

#[tokio::test]
async fn a_job_running_when_the_server_dies_is_interrupted_after_restart() {
    let mut server = LiveServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    never_ending_input(dir.path());
    let job = server.submit("count lines in pipe.txt", dir.path()).await;
    server.wait_for(&job["job_id"], |s| s == "executing").await;
    server.kill_and_restart().await;
    let after = server.status(&job["job_id"]).await;
    assert_eq!(after["status"], "interrupted", "{after}");
    assert!(
        after["error"].as_str().unwrap().contains("not resumed"),
        "{after}"
    );
    release_readers(dir.path());
}

/// Lets a reader the killed server left behind see end-of-file and exit.
/// Non-blocking, so it fails instead of waiting when no reader is left.
fn release_readers(dir: &Path) {
    use std::os::unix::fs::OpenOptionsExt as _;
    const O_NONBLOCK: i32 = 0o4000;
    let _writer = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(O_NONBLOCK)
        .open(dir.join("pipe.txt"));
}

#[tokio::test]
async fn bad_input_gets_clear_errors_and_creates_no_job() {
    let server = LiveServer::start().await;
    let client = reqwest::Client::new();
    let post_raw = |body: &'static str| {
        client
            .post(server.url("/api/v1/command"))
            .bearer_auth(&server.token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let malformed = post_raw("{not json").await.unwrap();
    assert_eq!(malformed.status(), 400);
    let body: serde_json::Value = malformed.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");

    let missing = post_raw(r#"{"context": {}}"#).await.unwrap();
    assert_eq!(missing.status(), 422);

    let (empty, body) = server
        .post("/api/v1/command", &json!({ "command": "  " }))
        .await;
    assert_eq!(
        (empty, body["error"]["code"].as_str()),
        (422, Some("invalid"))
    );

    let (bad_cwd, body) = server
        .post(
            "/api/v1/command",
            &json!({ "command": "list files", "context": { "cwd": "/no/such/dir" } }),
        )
        .await;
    assert_eq!(bad_cwd, 422, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("/no/such/dir")
    );

    let huge = format!(r#"{{"command": "{}"}}"#, "x".repeat(100_000));
    let too_large = client
        .post(server.url("/api/v1/command"))
        .bearer_auth(&server.token)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(too_large.status(), 413);

    let (listed, jobs) = server.get("/api/v1/jobs").await;
    assert_eq!((listed, jobs), (200, json!([])), "no half-made jobs");

    for path in ["/api/v1/command/999/status", "/api/v1/command/abc/status"] {
        let (status, body) = server.get(path).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body["error"]["code"], "not_found");
    }
    let (status, _) = server
        .post("/api/v1/command/999/approve", &json!({ "approved": true }))
        .await;
    assert_eq!(status, 404);
    let (status, _) = server.get("/api/v1/jobs?status=bogus").await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn requests_the_builtin_planner_cannot_plan_fail_with_suggestions() {
    let server = LiveServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let job = server
        .submit("write me a sonnet about kubernetes", dir.path())
        .await;
    assert_eq!(job["status"], "failed", "{job}");
    let detail = server.status(&job["job_id"]).await;
    let error = detail["error"].as_str().unwrap();
    assert!(error.contains("could not plan"), "{error}");
    assert!(error.contains("You could try"), "{error}");
}

#[tokio::test]
async fn jobs_list_filters_by_status_and_text() {
    let server = LiveServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    temp_files_fixture(dir.path());
    let listed = server.submit("list the files here", dir.path()).await;
    server.wait_final(&listed["job_id"]).await;
    let pending = server
        .submit("delete all temporary files", dir.path())
        .await;
    let (_, only_pending) = server.get("/api/v1/jobs?status=pending").await;
    let ids: Vec<_> = only_pending
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["job_id"].clone())
        .collect();
    assert_eq!(ids, vec![pending["job_id"].clone()]);
    let (_, by_text) = server.get("/api/v1/jobs?q=list%20the").await;
    let ids: Vec<_> = by_text
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["job_id"].clone())
        .collect();
    assert_eq!(ids, vec![listed["job_id"].clone()]);
}
