//! What a model receives about a job's folder: the real server and the real
//! AWS SDK against the fake Bedrock endpoint, asserting on the recorded
//! request bodies. A folder outside every workspace root is read on demand
//! (entries, git state); a request about a server gets fresh listeners and
//! top processes; secrets in `.env` files and command lines never get there.

use std::path::Path;

use serde_json::Value;

use super::fake_bedrock::{FakeBedrock, Reply};
use super::live::LiveServer;
use super::models::{bedrock_env, haiku_plan};
use super::proc_support::python_listener;

const MARKER: &str = "Context of this job (a snapshot; secrets removed):\n";

/// The context JSON inside the system prompt of a recorded Converse body.
fn sent_context(body: &Value) -> Value {
    fn find(value: &Value) -> Option<&str> {
        match value {
            Value::String(text) if text.contains(MARKER) => Some(text),
            Value::Array(items) => items.iter().find_map(find),
            Value::Object(map) => map.values().find_map(find),
            _ => None,
        }
    }
    let system = find(body).unwrap_or_else(|| panic!("no context in {body}"));
    let line = system.split(MARKER).nth(1).unwrap().lines().next().unwrap();
    serde_json::from_str(line).unwrap_or_else(|e| panic!("context is not JSON ({e}): {line}"))
}

/// Plans `request` in `cwd` through the fake model; returns the recorded body.
async fn model_body(server: &LiveServer, fake: &FakeBedrock, request: &str, cwd: &Path) -> Value {
    let job = server.submit(request, cwd).await;
    assert_ne!(
        job["model_used"], "builtin",
        "the model must plan this: {job}"
    );
    server.wait_final(&job["job_id"]).await;
    let requests = fake.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests[0].body.clone()
}

fn fake_script() -> Vec<Reply> {
    vec![Reply::Tool {
        input: haiku_plan(),
        tokens: (100, 20),
    }]
}

#[tokio::test]
async fn a_folder_outside_every_root_sends_its_entries_and_git_state() {
    let fake = FakeBedrock::start(fake_script()).await;
    let server = LiveServer::start_with(bedrock_env(&fake, &[])).await;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let repo = git2::Repository::init(root).unwrap();
    std::fs::create_dir(root.join("Screenshots")).unwrap();
    std::fs::write(root.join("Screenshots/Screenshot 2026-11-24.png"), "png").unwrap();
    std::fs::write(root.join("notes.md"), "notes").unwrap();
    std::fs::write(root.join(".env"), "DB_PASSWORD=hunter2-env-value\n").unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(Path::new("notes.md")).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let author = git2::Signature::now("Ann", "ann@example.com").unwrap();
    repo.commit(Some("HEAD"), &author, &author, "Add notes", &tree, &[])
        .unwrap();

    let body = model_body(
        &server,
        &fake,
        "write a haiku about the screenshots into the terminal",
        root,
    )
    .await;
    let context = sent_context(&body);
    assert_eq!(context["is_read_on_demand"], true, "{context}");
    let names = |list: &str| -> Vec<String> {
        let mut names: Vec<String> = context[list]
            .as_array()
            .unwrap_or_else(|| panic!("no {list} in {context}"))
            .iter()
            .filter_map(|e| e["name"].as_str().map(str::to_owned))
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        names("matching"),
        vec!["Screenshots", "Screenshots/Screenshot 2026-11-24.png"]
    );
    let entries = names("entries");
    for name in [".env", "notes.md"] {
        assert!(entries.iter().any(|e| e == name), "{name} in {entries:?}");
    }
    assert_eq!(context["repo"]["commits"][0]["summary"], "Add notes");
    assert_eq!(context["repo"]["untracked"]["count"], 2, "{context}");
    assert_eq!(context["environment"]["aws"]["region"], "us-east-1");
    assert_eq!(context["processes"], Value::Null, "not asked about");
    let text = body.to_string();
    for secret in ["hunter2-env-value", "not-a-real-secret", "AKIDEXAMPLETEST"] {
        assert!(!text.contains(secret), "{secret} reached the model");
    }
}

#[tokio::test]
async fn a_request_about_a_server_sends_fresh_listeners_and_top_processes() {
    let fake = FakeBedrock::start(fake_script()).await;
    let server = LiveServer::start_with(bedrock_env(&fake, &[])).await;
    let (mut child, port) = python_listener("--token=ghp_abcdefghijklmnopqrstuvwxyz0123456789");
    let dir = tempfile::tempdir().unwrap();

    let body = model_body(
        &server,
        &fake,
        "write a haiku about my dev server into the terminal",
        dir.path(),
    )
    .await;
    child.kill().unwrap();
    child.wait().unwrap();
    let context = sent_context(&body);
    let processes = &context["processes"];
    let listener = processes["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["port"] == port)
        .unwrap_or_else(|| panic!("port {port} not in {processes}"));
    assert_eq!(listener["pid"], child.id(), "{listener}");
    assert_eq!(listener["process"], "python3", "{listener}");
    let command = listener["command"].as_str().unwrap();
    assert!(command.contains("--token=[redacted]"), "{command}");
    assert!(
        !processes["top"].as_array().unwrap().is_empty(),
        "{processes}"
    );
    assert!(
        !body
            .to_string()
            .contains("ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
        "the key reached the model"
    );
}

async fn panel_of(server: &super::harness::TestServer, form: &str, cookie: &str) -> Value {
    let response = server
        .post_form("/api/context/panel", form, Some(cookie))
        .await;
    super::harness::body_json(response).await
}

async fn alice_cookie(server: &super::harness::TestServer) -> String {
    let response = server.login("alice", super::harness::PASSWORD).await;
    super::harness::session_cookie(&response).unwrap()
}

/// Polls the panel of `form`'s folder until it comes from the index.
async fn until_indexed(server: &super::harness::TestServer, form: &str, cookie: &str) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let panel = panel_of(server, form, cookie).await;
        if panel["can_watch"] == false {
            return panel;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never indexed: {panel}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// The console's "Watch this folder": a folder read on demand becomes a
/// workspace root, indexed at once, and stays one after a restart.
#[tokio::test]
async fn a_folder_watched_from_the_console_is_indexed_and_stays_a_root() {
    use super::harness::{TestServer, body_json, body_text, urlencode};

    let mut server = TestServer::new().await;
    server.add_user("alice").await;
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("notes.md"), "notes").unwrap();
    let form = format!("cwd={}", urlencode(&folder.path().display().to_string()));
    let cookie = alice_cookie(&server).await;
    let before = panel_of(&server, &form, &cookie).await;
    assert_eq!(before["can_watch"], true, "{before}");

    let watched = body_json(
        server
            .post_form("/api/context/watch", &form, Some(&cookie))
            .await,
    )
    .await;
    let root = std::fs::canonicalize(folder.path()).unwrap();
    assert_eq!(watched, root.display().to_string());
    let indexed = until_indexed(&server, &form, &cookie).await;
    assert!(
        indexed["directory"]
            .as_str()
            .unwrap_or_default()
            .contains("1 file"),
        "{indexed}"
    );
    // A second time, or a system directory, is refused with the reason.
    let again = server
        .post_form("/api/context/watch", &form, Some(&cookie))
        .await;
    assert!(!again.status().is_success());
    let refused = body_text(again).await;
    assert!(
        refused.contains("already inside the workspace root"),
        "{refused}"
    );
    let system = server
        .post_form("/api/context/watch", "cwd=%2Fusr", Some(&cookie))
        .await;
    assert!(!system.status().is_success());
    let refused = body_text(system).await;
    assert!(refused.contains("is a system directory"), "{refused}");

    server = server.restarted().await;
    let status = server.state.ctx.engine.context().unwrap().status();
    assert!(
        status.roots.iter().any(|r| r.path == root),
        "{:?}",
        status.roots
    );
    let cookie = alice_cookie(&server).await;
    until_indexed(&server, &form, &cookie).await;
}
