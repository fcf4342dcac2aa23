//! Undo of shell steps against a real `devos` process: a bash step that
//! edits, deletes, re-modes, re-links, renames and creates files is undone
//! byte for byte from the snapshot taken before it, a file edited by hand
//! afterwards is refused and kept, and redo brings the job's result back.
//! A python step planned by a (fake) model is undone the same way.

use std::fs;
use std::os::unix::fs::{PermissionsExt as _, symlink};
use std::path::Path;

use pretty_assertions::assert_eq;
use serde_json::{Value, json};

use super::fake_bedrock::{FakeBedrock, Reply};
use super::live::LiveServer;
use super::models::bedrock_env;

/// Every entry under `root`: relative path, kind, mode and content or link target.
fn tree(root: &Path) -> Vec<(String, &'static str, u32, Vec<u8>)> {
    let mut out = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for item in fs::read_dir(&dir).unwrap() {
            let path = item.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            let rel = path.strip_prefix(root).unwrap().display().to_string();
            let mode = meta.permissions().mode() & 0o7777;
            if meta.file_type().is_symlink() {
                let target = fs::read_link(&path).unwrap();
                out.push((rel, "link", 0, target.into_os_string().into_encoded_bytes()));
            } else if meta.is_dir() {
                out.push((rel, "dir", mode, Vec::new()));
                pending.push(path);
            } else {
                out.push((rel, "file", mode, fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn without(
    mut tree: Vec<(String, &'static str, u32, Vec<u8>)>,
    rel: &str,
) -> Vec<(String, &'static str, u32, Vec<u8>)> {
    tree.retain(|(path, ..)| path != rel);
    tree
}

async fn approve_and_finish(server: &LiveServer, job: &Value) -> Value {
    assert_eq!(job["requires_approval"], true, "{job}");
    let (status, body) = server
        .act(&job["job_id"], "approve", &json!({ "approved": true }))
        .await;
    assert_eq!(status, 200, "{body}");
    server.wait_final(&job["job_id"]).await
}

#[tokio::test]
async fn a_bash_step_is_undone_byte_for_byte_a_hand_edit_is_kept_and_redo_brings_it_back() {
    let server = LiveServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("src/nested")).unwrap();
    fs::create_dir_all(root.join("keep/empty")).unwrap();
    fs::create_dir_all(root.join("node_modules/pkg")).unwrap();
    fs::write(root.join("src/main.rs"), "fn main() {}\n").unwrap();
    fs::write(root.join("src/nested/lib.rs"), "pub fn lib() {}\n").unwrap();
    fs::write(root.join("notes.txt"), "old words\nold lines\n").unwrap();
    fs::write(root.join("config.ini"), "mode = old\n").unwrap();
    fs::write(root.join("run.sh"), "#!/bin/sh\necho run\n").unwrap();
    fs::set_permissions(root.join("run.sh"), fs::Permissions::from_mode(0o755)).unwrap();
    fs::write(root.join("a"), "I am a\n").unwrap();
    fs::write(root.join("node_modules/pkg/index.js"), "x").unwrap();
    symlink("src/main.rs", root.join("current")).unwrap();
    let before = tree(root);

    let script = "sed -i s/old/new/g notes.txt config.ini && rm -rf src && chmod -x run.sh \
                  && ln -sf notes.txt current && mv a b && rmdir keep/empty \
                  && mkdir -p out/deeper && echo made > out/new.txt";
    let job = server.submit(&format!("run this: {script}"), root).await;
    let (_, pending) = server
        .get(&format!("/api/v1/command/{}/status", job["job_id"]))
        .await;
    let reasons = pending["steps"][0]["reasons"].to_string();
    assert!(reasons.contains("snapshotted before it runs"), "{reasons}");
    assert!(reasons.contains("node_modules"), "{reasons}");
    let done = approve_and_finish(&server, &job).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["can_undo"], true, "{done}");
    assert!(!root.join("src").exists());
    assert_eq!(
        fs::read_to_string(root.join("config.ini")).unwrap(),
        "mode = new\n"
    );
    let after = tree(root);

    // Someone edits one of the job's files by hand afterwards.
    fs::write(root.join("notes.txt"), "my own words\n").unwrap();

    let (status, report) = server.act(&job["job_id"], "undo", &json!({})).await;
    assert_eq!(status, 200, "{report}");
    let notes = root.join("notes.txt").display().to_string();
    assert_eq!(
        report["refused"],
        json!([format!("{notes}: changed since the job, left as it is")]),
        "{report}"
    );
    let removed: Vec<&str> = report["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for created in ["out/new.txt", "out/deeper", "out", "b"] {
        let path = root.join(created).display().to_string();
        assert!(removed.contains(&path.as_str()), "{path} not in {report}");
    }
    assert!(
        report["restored"].as_array().unwrap().len() >= 6,
        "{report}"
    );
    assert_eq!(
        without(tree(root), "notes.txt"),
        without(before.clone(), "notes.txt")
    );
    assert_eq!(
        fs::read_to_string(root.join("notes.txt")).unwrap(),
        "my own words\n"
    );

    let status = server.status(&job["job_id"]).await;
    assert_eq!(
        (status["can_undo"].clone(), status["can_redo"].clone()),
        (json!(false), json!(true))
    );
    let (again, _) = server.act(&job["job_id"], "undo", &json!({})).await;
    assert_eq!(again, 409, "nothing left to undo");

    let (status, redone) = server.act(&job["job_id"], "redo", &json!({})).await;
    assert_eq!(status, 200, "{redone}");
    assert_eq!(
        redone["refused"],
        json!([format!("{notes}: changed since the job, left as it is")]),
        "{redone}"
    );
    assert_eq!(
        without(tree(root), "notes.txt"),
        without(after, "notes.txt")
    );
    assert_eq!(
        fs::read_to_string(root.join("notes.txt")).unwrap(),
        "my own words\n"
    );
    let status = server.status(&job["job_id"]).await;
    assert_eq!(status["can_undo"], true, "{status}");
}

#[tokio::test]
async fn a_python_step_that_rewrites_a_json_file_is_undone() {
    let plan = json!({
        "interpretation": "Turn debug on in settings.json",
        "steps": [{
            "kind": "python",
            "command": "import json\nd = json.load(open('settings.json'))\nd['debug'] = True\njson.dump(d, open('settings.json', 'w'), indent=4)\nopen('settings.json.bak', 'w').write('x')\n",
            "description": "Rewrite settings.json",
            "safety_level": "moderate"
        }],
        "explanation": "python rewrites the file",
        "risks": []
    });
    let fake = FakeBedrock::start(vec![Reply::Tool {
        input: plan,
        tokens: (900, 80),
    }])
    .await;
    let server = LiveServer::start_with(bedrock_env(&fake, &[])).await;
    let dir = tempfile::tempdir().unwrap();
    let original = "{\"debug\": false, \"name\": \"app\"}\n";
    fs::write(dir.path().join("settings.json"), original).unwrap();
    let job = server
        .submit(
            "turn on debugging in the settings file using a python script",
            dir.path(),
        )
        .await;
    let done = approve_and_finish(&server, &job).await;
    assert_eq!(done["status"], "completed", "{done}");
    let rewritten = fs::read_to_string(dir.path().join("settings.json")).unwrap();
    assert!(rewritten.contains("\"debug\": true"), "{rewritten}");

    let (status, report) = server.act(&job["job_id"], "undo", &json!({})).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["refused"], json!([]), "{report}");
    assert_eq!(
        fs::read_to_string(dir.path().join("settings.json")).unwrap(),
        original
    );
    assert!(!dir.path().join("settings.json.bak").exists());
}

#[tokio::test]
async fn a_typed_organize_job_is_undone_and_redone_through_rest() {
    let server = LiveServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("photo.jpg"), "jpeg").unwrap();
    fs::write(root.join("report.pdf"), "pdf").unwrap();
    let before = tree(root);
    let job = server.submit("organize the files by type", root).await;
    let done = server.wait_final(&job["job_id"]).await;
    assert_eq!(done["status"], "completed", "{done}");
    let organized = tree(root);
    assert_ne!(organized, before, "the job moved something");

    let (status, undone) = server.act(&job["job_id"], "undo", &json!({})).await;
    assert_eq!(
        (status, undone["refused"].clone()),
        (200, json!([])),
        "{undone}"
    );
    assert_eq!(tree(root), before);
    let state = server.status(&job["job_id"]).await;
    assert_eq!(
        (state["can_undo"].clone(), state["can_redo"].clone()),
        (json!(false), json!(true)),
        "{state}"
    );

    let (status, redone) = server.act(&job["job_id"], "redo", &json!({})).await;
    assert_eq!(
        (status, redone["refused"].clone()),
        (200, json!([])),
        "{redone}"
    );
    assert_eq!(tree(root), organized, "redo brings the job's result back");
    let state = server.status(&job["job_id"]).await;
    assert_eq!(
        (state["can_undo"].clone(), state["can_redo"].clone()),
        (json!(true), json!(false)),
        "{state}"
    );
    let (again, _) = server.act(&job["job_id"], "redo", &json!({})).await;
    assert_eq!(again, 409, "nothing left to redo");
}
