//! AWS end to end: a real `devos` process, the real AWS SDK and moto (a real
//! AWS emulator) on a loopback port, seeded with buckets, objects,
//! instances, functions and log events by `fixtures/moto_world.py`. Each
//! request goes through REST v1 as a user's would.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

use super::live::LiveServer;

/// The seeded emulator; it stops when dropped.
struct Moto {
    port: u16,
    input: ChildStdin,
    output: Lines<BufReader<ChildStdout>>,
    _child: Child,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

impl Moto {
    async fn start() -> Self {
        let python = workspace_root().join("target/moto-venv/bin/python");
        assert!(
            python.exists(),
            "moto is not installed: run scripts/setup.sh (make test does)"
        );
        let mut child = Command::new(python)
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/moto_world.py"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let input = child.stdin.take().unwrap();
        let mut output = BufReader::new(child.stdout.take().unwrap()).lines();
        let ready = tokio::time::timeout(Duration::from_secs(60), output.next_line())
            .await
            .expect("moto did not start within 60 s")
            .unwrap()
            .expect("moto exited before it was ready");
        let port = ready.strip_prefix("ready ").unwrap().parse().unwrap();
        Self {
            port,
            input,
            output,
            _child: child,
        }
    }

    /// Asks the emulator directly (not through DevOS) what it holds.
    async fn ask(&mut self, command: &str) -> Value {
        self.input
            .write_all(format!("{command}\n").as_bytes())
            .await
            .unwrap();
        let line = self.output.next_line().await.unwrap().unwrap();
        serde_json::from_str(&line).unwrap()
    }

    /// A server whose AWS configuration is the environment a user would set.
    async fn server(&self) -> LiveServer {
        LiveServer::start_with(vec![
            (
                "AWS_ENDPOINT_URL".into(),
                format!("http://127.0.0.1:{}", self.port),
            ),
            ("AWS_ACCESS_KEY_ID".into(), "testing".into()),
            ("AWS_SECRET_ACCESS_KEY".into(), "testing-secret".into()),
            ("AWS_REGION".into(), "us-east-1".into()),
            ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
        ])
        .await
    }
}

/// Submits `request` in `cwd` and waits until it is final or waiting for approval.
async fn settle(server: &LiveServer, request: &str, cwd: &Path) -> Value {
    let job = server.submit(request, cwd).await;
    let status = server
        .wait_for(&job["job_id"], |s| {
            !matches!(s, "planning" | "approved" | "executing")
        })
        .await;
    assert_eq!(status["steps"][0]["kind"], "aws", "{request}: {status}");
    status
}

fn output(status: &Value) -> String {
    status["result"].as_str().unwrap_or_default().to_owned()
}

async fn decide(server: &LiveServer, status: &Value, approved: bool) -> Value {
    let id = &status["job_id"];
    let (code, body) = server
        .post(
            &format!("/api/v1/command/{id}/approve"),
            &json!({"approved": approved, "remember": false}),
        )
        .await;
    assert_eq!(code, 200, "{body}");
    server.wait_final(id).await
}

#[tokio::test]
async fn aws_reads_run_at_once_and_show_what_is_there() {
    let moto = Moto::start().await;
    let server = moto.server().await;
    let cwd = tempfile::tempdir().unwrap();
    for (request, present, absent) in [
        (
            "list my s3 buckets",
            &["releases-bucket", "scratch-bucket", "2 bucket(s)"][..],
            &[][..],
        ),
        (
            "show what's in the s3 bucket releases-bucket under releases/",
            &[
                "releases/app-1.0.tar.gz",
                "releases/notes/readme.txt",
                "3 object(s), 4.0 kB in all",
            ],
            &["nightly/"],
        ),
        (
            "which AWS account and IAM identity am I using?",
            &["account: 123456789012", "arn: arn:aws:"],
            &["testing-secret"],
        ),
        (
            "list the running EC2 instances in us-west-2",
            &["web-1", "web-2", "t3.micro", "2 instance(s) in us-west-2"],
            &["t3.small"],
        ),
        (
            "list all the lambda functions in eu-central-1",
            &["thumbnailer", "resizer", "python3.12", "256 MB"],
            &[],
        ),
        (
            "show the last errors of the thumbnailer lambda in eu-central-1",
            &["UnidentifiedImageError", "1 of 1 matching"],
            &["START RequestId"],
        ),
    ] {
        let status = settle(&server, request, cwd.path()).await;
        assert_eq!(status["status"], "completed", "{request}: {status}");
        assert_eq!(status["steps"][0]["level"], "safe", "{request}");
        assert!(
            status["steps"][0]["reasons"][0]
                .as_str()
                .unwrap()
                .contains("account 123456789012"),
            "the card names the account: {status}"
        );
        let text = output(&status);
        let logged: Vec<&str> = status["logs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|line| line["line"].as_str().unwrap())
            .collect();
        assert_eq!(
            logged,
            text.lines().collect::<Vec<_>>(),
            "{request}: the log is the output"
        );
        for want in present {
            assert!(text.contains(want), "{request}: no {want:?} in {text}");
        }
        for unwanted in absent {
            assert!(
                !text.contains(unwanted),
                "{request}: {unwanted:?} in {text}"
            );
        }
    }
}

#[tokio::test]
async fn a_deletion_previews_exactly_what_goes_and_only_approval_deletes_it() {
    let mut moto = Moto::start().await;
    let server = moto.server().await;
    let cwd = tempfile::tempdir().unwrap();
    let before = moto.ask("keys releases-bucket").await;
    let request = "delete the nightly/ objects in bucket releases-bucket";

    let pending = settle(&server, request, cwd.path()).await;
    assert_eq!(pending["status"], "pending", "{pending}");
    let step = &pending["steps"][0];
    assert_eq!(step["level"], "destructive");
    let preview = step["preview"].as_str().unwrap();
    assert!(
        preview.contains("deletes 2 object(s), 5 B in all"),
        "{preview}"
    );
    assert!(preview.contains("nightly/build-1.zip") && preview.contains("nightly/build-2.zip"));
    assert!(!preview.contains("keep/me.txt") && !preview.contains("releases/"));
    let rejected = decide(&server, &pending, false).await;
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(moto.ask("keys releases-bucket").await, before);

    let pending = settle(&server, request, cwd.path()).await;
    let done = decide(&server, &pending, true).await;
    assert_eq!(done["status"], "completed", "{done}");
    let after = moto.ask("keys releases-bucket").await;
    let mut expected: Vec<Value> = before
        .as_array()
        .unwrap()
        .iter()
        .filter(|key| !key.as_str().unwrap().starts_with("nightly/"))
        .cloned()
        .collect();
    expected.sort_by_key(|key| key.as_str().unwrap().to_owned());
    assert_eq!(after, Value::Array(expected));
}

#[tokio::test]
async fn a_download_lands_in_the_job_folder_without_asking_and_undo_removes_it() {
    let moto = Moto::start().await;
    let server = moto.server().await;
    let cwd = tempfile::tempdir().unwrap();
    std::fs::write(cwd.path().join("readme.txt"), "mine").unwrap();
    let status = settle(
        &server,
        "download s3://releases-bucket/releases/notes/readme.txt here",
        cwd.path(),
    )
    .await;
    assert_eq!(status["status"], "completed", "{status}");
    assert_eq!(status["steps"][0]["level"], "moderate");
    // The user's own readme.txt is kept; the download takes the next free name.
    assert_eq!(
        std::fs::read_to_string(cwd.path().join("readme.txt")).unwrap(),
        "mine"
    );
    let downloaded = cwd.path().join("readme (1).txt");
    assert_eq!(
        std::fs::read_to_string(&downloaded).unwrap(),
        "hello from s3\n"
    );
    let id = &status["job_id"];
    let (code, undo) = server
        .post(&format!("/api/v1/command/{id}/undo"), &json!({}))
        .await;
    assert_eq!(code, 200, "{undo}");
    assert!(!downloaded.exists(), "{undo}");
    assert!(cwd.path().join("readme.txt").exists());
}

#[tokio::test]
async fn a_download_never_follows_a_symlink_out_of_the_job_folder() {
    let moto = Moto::start().await;
    let server = moto.server().await;
    let cwd = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), cwd.path().join("out")).unwrap();
    let job = server
        .submit(
            "download s3://releases-bucket/keep/me.txt into out",
            cwd.path(),
        )
        .await;
    let status = server.wait_final(&job["job_id"]).await;
    assert_eq!(status["status"], "failed", "{status}");
    let error = status["error"].as_str().unwrap();
    assert!(error.contains("reached through a symlink"), "{error}");
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn instance_changes_ask_naming_each_instance_and_only_approval_changes_it() {
    let mut moto = Moto::start().await;
    let server = moto.server().await;
    let cwd = tempfile::tempdir().unwrap();
    let states = moto.ask("states").await;
    let running: Vec<String> = states
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, state)| *state == "running")
        .map(|(id, _)| id.clone())
        .collect();

    let stop = settle(
        &server,
        &format!("stop instance {} in us-west-2", running[0]),
        cwd.path(),
    )
    .await;
    assert_eq!(stop["status"], "pending", "{stop}");
    assert_eq!(stop["steps"][0]["level"], "moderate");
    let preview = stop["steps"][0]["preview"].as_str().unwrap();
    assert!(
        preview.contains(&running[0]) && preview.contains("running"),
        "{preview}"
    );
    assert!(
        preview.contains("web-"),
        "the card names the instance: {preview}"
    );
    let done = decide(&server, &stop, true).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(moto.ask("states").await[&running[0]], "stopped");

    let terminate = settle(
        &server,
        &format!("terminate instance {} in us-west-2", running[1]),
        cwd.path(),
    )
    .await;
    assert_eq!(terminate["steps"][0]["level"], "destructive", "{terminate}");
    decide(&server, &terminate, false).await;
    assert_eq!(moto.ask("states").await[&running[1]], "running");
}

#[tokio::test]
async fn invoking_a_function_asks_first_and_shows_its_answer() {
    let moto = Moto::start().await;
    let server = moto.server().await;
    let cwd = tempfile::tempdir().unwrap();
    let pending = settle(
        &server,
        r#"invoke the thumbnailer lambda in eu-central-1 with '{"id": 7}'"#,
        cwd.path(),
    )
    .await;
    assert_eq!(pending["status"], "pending", "{pending}");
    let done = decide(&server, &pending, true).await;
    assert_eq!(done["status"], "completed", "{done}");
    let text = output(&done);
    assert!(
        text.contains("status 200") && text.contains(r#"{"id": 7}"#),
        "{text}"
    );
}

#[tokio::test]
async fn aws_failures_are_one_clear_sentence() {
    let moto = Moto::start().await;
    let server = moto.server().await;
    let cwd = tempfile::tempdir().unwrap();
    let missing = settle(&server, "what's in s3://no-such-bucket/", cwd.path()).await;
    assert_eq!(missing["status"], "failed", "{missing}");
    let error = missing["error"].as_str().unwrap();
    assert!(
        error.contains("There is no bucket no-such-bucket"),
        "{error}"
    );

    // No credentials anywhere: the sentence says how to provide them.
    let bare = LiveServer::start_with(vec![
        (
            "AWS_ENDPOINT_URL".into(),
            format!("http://127.0.0.1:{}", moto.port),
        ),
        ("AWS_REGION".into(), "us-east-1".into()),
        ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
    ])
    .await;
    let job = bare.submit("list my s3 buckets", cwd.path()).await;
    let failed = bare.wait_final(&job["job_id"]).await;
    assert_eq!(failed["status"], "failed", "{failed}");
    let error = failed["error"].as_str().unwrap();
    assert!(error.contains("No AWS credentials were found"), "{error}");
    assert!(
        !error.contains("Error {") && !error.contains("source:"),
        "{error}"
    );
}

#[tokio::test]
async fn the_other_actions_run_end_to_end_and_change_only_what_was_approved() {
    let mut moto = Moto::start().await;
    let server = moto.server().await;
    let cwd = tempfile::tempdir().unwrap();
    std::fs::write(cwd.path().join("notes.txt"), "uploaded by devos").unwrap();

    let head = settle(
        &server,
        "show the metadata of s3://releases-bucket/keep/me.txt",
        cwd.path(),
    )
    .await;
    assert_eq!(head["status"], "completed", "{head}");
    assert!(output(&head).contains("size: 4 B (4 bytes)"), "{head}");

    let events = settle(
        &server,
        "show the last 20 events of log group /aws/lambda/thumbnailer in eu-central-1",
        cwd.path(),
    )
    .await;
    assert_eq!(events["status"], "completed", "{events}");
    assert!(output(&events).contains("START RequestId: 1"), "{events}");

    let upload = settle(
        &server,
        "upload notes.txt to s3://scratch-bucket/up/",
        cwd.path(),
    )
    .await;
    assert_eq!(upload["status"], "pending", "{upload}");
    decide(&server, &upload, true).await;
    assert_eq!(
        moto.ask("keys scratch-bucket").await,
        json!(["tmp/a.tmp", "up/notes.txt"])
    );

    let copy = settle(
        &server,
        "copy s3://releases-bucket/keep/me.txt to s3://scratch-bucket/copies/",
        cwd.path(),
    )
    .await;
    assert_eq!(copy["status"], "pending", "{copy}");
    assert_eq!(
        copy["steps"][0]["level"], "moderate",
        "a new key replaces nothing"
    );
    decide(&server, &copy, true).await;
    assert_eq!(
        moto.ask("keys scratch-bucket").await,
        json!(["copies/me.txt", "tmp/a.tmp", "up/notes.txt"])
    );

    let link = settle(
        &server,
        "make a share link for s3://releases-bucket/keep/me.txt",
        cwd.path(),
    )
    .await;
    assert_eq!(link["status"], "pending", "{link}");
    let done = decide(&server, &link, true).await;
    assert!(output(&done).contains("X-Amz-Signature="), "{done}");

    let empty = settle(&server, "empty the bucket scratch-bucket", cwd.path()).await;
    let preview = empty["steps"][0]["preview"].as_str().unwrap();
    assert!(preview.contains("deletes 3 object(s)"), "{preview}");
    decide(&server, &empty, true).await;
    assert_eq!(moto.ask("keys scratch-bucket").await, json!([]));

    let drop = settle(&server, "delete the bucket scratch-bucket", cwd.path()).await;
    assert_eq!(drop["steps"][0]["level"], "destructive", "{drop}");
    decide(&server, &drop, true).await;
    assert_eq!(moto.ask("buckets").await, json!(["releases-bucket"]));

    let stopped = moto
        .ask("states")
        .await
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, state)| *state == "stopped")
        .map(|(id, _)| id.clone())
        .unwrap();
    let start = settle(
        &server,
        &format!("start instance {stopped} in us-west-2"),
        cwd.path(),
    )
    .await;
    assert_eq!(start["status"], "pending", "{start}");
    decide(&server, &start, true).await;
    assert_eq!(moto.ask("states").await[&stopped], "running");
    let reboot = settle(
        &server,
        &format!("reboot instance {stopped} in us-west-2"),
        cwd.path(),
    )
    .await;
    let rebooted = decide(&server, &reboot, true).await;
    assert!(output(&rebooted).contains("reboot requested"), "{rebooted}");
}
