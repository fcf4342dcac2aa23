//! A full disk under the data dir: the job that hits it fails with a clear
//! error (the disk reserve makes room to record that), and the server keeps
//! serving. The data dir is a 12 MiB tmpfs in a private mount namespace
//! (`unshare -rm`), so no privileges are needed.

use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_devos");

/// Copies the prepared folder into a fresh tmpfs mounted over it, then
/// starts the server there.
const ON_SMALL_DISK: &str = r#"set -e
seed=$(mktemp -d)
cp -a "$DEVOS_SMALL/." "$seed/"
mount -t tmpfs -o size=12m devos-small "$DEVOS_SMALL"
cp -a "$seed/." "$DEVOS_SMALL/"
rm -rf "$seed"
mkdir -p "$DEVOS_SMALL/work"
exec "$0" serve"#;

fn can_mount_privately() -> bool {
    std::process::Command::new("unshare")
        .args(["-rm", "true"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

async fn devos(root: &std::path::Path, args: &[&str], stdin: &str) -> String {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env("DEVOS_DATA_DIR", root.join("data"))
        .env("HOME", root.join("home"))
        .env_remove("DEVOS_CONFIG")
        .env_remove("DEVOS_PROVIDERS");
    let output = super::live::output_with_stdin(&mut command, stdin).await;
    assert!(output.status.success(), "devos {args:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

#[tokio::test]
async fn a_full_disk_fails_the_job_cleanly_and_the_server_keeps_serving() {
    if !can_mount_privately() {
        eprintln!("not run: this machine refuses private mount namespaces (unshare -rm)");
        return;
    }
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("home")).unwrap();
    devos(
        root.path(),
        &["user", "add", "tester", "--password-stdin"],
        "long enough password\n",
    )
    .await;
    let token = devos(root.path(), &["token", "create", "--user", "tester"], "").await;
    let mut server = Command::new("unshare")
        .args(["-rm", "sh", "-c", ON_SMALL_DISK, BIN])
        .env("DEVOS_SMALL", root.path())
        .env("DEVOS_DATA_DIR", root.path().join("data"))
        .env("HOME", root.path().join("home"))
        .env("DEVOS_ADDR", "127.0.0.1:0")
        .env("DEVOS_LOG", "info")
        .env_remove("DEVOS_CONFIG")
        .env_remove("DEVOS_PROVIDERS")
        .current_dir(root.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let base = super::live::listening_base(&mut server).await;

    let client = reqwest::Client::new();
    let call = |method: reqwest::Method, path: String, body: Option<Value>| {
        let mut request = client
            .request(method, format!("{base}{path}"))
            .bearer_auth(&token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (
                status,
                response.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let work = root.path().join("work");
    let (status, job) = call(
        reqwest::Method::POST,
        "/api/v1/command".into(),
        Some(json!({
            "command": "run this: `head -c 32M /dev/zero > fill.bin; seq 1 20000`",
            "context": { "cwd": work },
        })),
    )
    .await;
    assert_eq!(status, 200, "{job}");
    let id = job["job_id"].clone();
    if job["status"] == "pending" {
        let (status, body) = call(
            reqwest::Method::POST,
            format!("/api/v1/command/{id}/approve"),
            Some(json!({ "approved": true })),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let finished = loop {
        let (_, body) = call(
            reqwest::Method::GET,
            format!("/api/v1/command/{id}/status"),
            None,
        )
        .await;
        let state = body["status"].as_str().unwrap_or_default().to_owned();
        if !matches!(
            state.as_str(),
            "planning" | "pending" | "approved" | "executing"
        ) {
            break body;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the job never ended: {body}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(finished["status"], "failed", "{finished}");
    let error = finished["error"].as_str().unwrap_or_default();
    assert!(error.contains("is full"), "{finished}");
    let (status, health) = call(reqwest::Method::GET, "/health".into(), None).await;
    assert_eq!(status, 200, "{health}");
    let (status, jobs) = call(reqwest::Method::GET, "/api/v1/jobs".into(), None).await;
    assert_eq!(status, 200, "{jobs}");
}
