//! `devos ask` against a real server: the plan on the terminal, the approval
//! answered on stdin, the log streamed, the exit status telling how it ended.

use std::process::Output;

use serde_json::Value;

use super::live::{LiveServer, output_with_stdin};

async fn save_token(server: &LiveServer) {
    let output = server
        .devos()
        .args(["token", "create", "--user", "tester", "--save"])
        .output()
        .await
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let saved = server.home.path().join(".config/devos/token");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&saved).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
}

async fn ask(server: &LiveServer, args: &[&str], stdin: &str) -> Output {
    output_with_stdin(server.devos().arg("ask").args(args), stdin).await
}

fn text_of(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn an_approval_answered_on_stdin_runs_the_job_on_the_server() {
    let server = LiveServer::start().await;
    save_token(&server).await;
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("old.tmp"), "x").unwrap();
    std::fs::write(work.path().join("keep.txt"), "x").unwrap();
    let cwd = work.path().to_str().unwrap();

    let refused = ask(
        &server,
        &["delete all temporary files", "--cwd", cwd],
        "n\n",
    )
    .await;
    let out = text_of(&refused.stdout);
    assert_eq!(
        refused.status.code(),
        Some(3),
        "{out}\n{}",
        text_of(&refused.stderr)
    );
    assert!(out.contains("Run this? [y/N]"), "{out}");
    assert!(out.contains("rejected"), "{out}");
    assert!(work.path().join("old.tmp").exists());

    let approved = ask(
        &server,
        &["delete all temporary files", "--cwd", cwd],
        "y\n",
    )
    .await;
    let out = text_of(&approved.stdout);
    assert_eq!(
        approved.status.code(),
        Some(0),
        "{out}\n{}",
        text_of(&approved.stderr)
    );
    assert!(out.contains("completed"), "{out}");
    assert!(!work.path().join("old.tmp").exists(), "{out}");
    assert!(work.path().join("keep.txt").exists());

    // The jobs are the server's own, not a second process's.
    let (_, jobs) = server.get("/api/v1/jobs").await;
    let statuses: Vec<&str> = jobs
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|job| job["status"].as_str())
        .collect();
    assert_eq!(statuses, ["completed", "rejected"], "{jobs}");
}

#[tokio::test]
async fn json_output_is_the_final_status_and_the_log_streams_to_stdout() {
    let server = LiveServer::start().await;
    save_token(&server).await;
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("notes.md"), "hello").unwrap();
    let cwd = work.path().to_str().unwrap();

    let streamed = ask(&server, &["list the files here", "--cwd", cwd], "").await;
    assert_eq!(
        streamed.status.code(),
        Some(0),
        "{}",
        text_of(&streamed.stderr)
    );
    assert!(
        text_of(&streamed.stdout).contains("notes.md"),
        "{}",
        text_of(&streamed.stdout)
    );

    let output = ask(
        &server,
        &["list the files here", "--cwd", cwd, "--json"],
        "",
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", text_of(&output.stderr));
    let job: Value = serde_json::from_slice(&output.stdout).expect("stdout is one JSON document");
    assert_eq!(job["status"], "completed", "{job}");
    assert!(
        text_of(&output.stderr).contains("job "),
        "the plan goes to stderr"
    );
}

#[tokio::test]
async fn without_a_server_or_a_token_ask_says_what_to_do() {
    let mut server = LiveServer::start().await;
    let no_token = ask(&server, &["list the files"], "").await;
    assert_eq!(no_token.status.code(), Some(2));
    assert!(
        text_of(&no_token.stderr).contains("devos token create"),
        "{}",
        text_of(&no_token.stderr)
    );

    save_token(&server).await;
    server.stop_with("TERM").await;
    let stopped = ask(&server, &["list the files"], "").await;
    assert_eq!(stopped.status.code(), Some(2));
    let message = text_of(&stopped.stderr);
    assert!(
        message.contains("not running") && message.contains("--local"),
        "{message}"
    );
}

#[tokio::test]
async fn tokens_are_listed_and_revoked_from_the_terminal() {
    let server = LiveServer::start().await;
    save_token(&server).await;
    let listed = output_with_stdin(
        server.devos().args(["token", "list", "--user", "tester"]),
        "",
    )
    .await;
    let text = String::from_utf8_lossy(&listed.stdout).into_owned();
    // The harness's token and the saved one.
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(!text.contains("dvs_"), "never a secret: {text}");
    let newest = text
        .lines()
        .next()
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_owned();
    let revoked = output_with_stdin(
        server
            .devos()
            .args(["token", "revoke", "--user", "tester", &newest]),
        "",
    )
    .await;
    assert!(revoked.status.success(), "{revoked:?}");
    let refused = ask(&server, &["list the files"], "").await;
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text_of(&refused.stderr).contains("refused the saved token"),
        "{}",
        text_of(&refused.stderr)
    );
    let again = output_with_stdin(
        server
            .devos()
            .args(["token", "revoke", "--user", "tester", &newest]),
        "",
    )
    .await;
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text_of(&again.stderr).starts_with("devos: tester has no token"),
        "{}",
        text_of(&again.stderr)
    );
}
