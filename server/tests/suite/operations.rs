//! Daily operations through the real binary: backup while serving and
//! restore while stopped, the refusal of a public address, `devos doctor`.

use std::time::Duration;

use super::live::LiveServer;

async fn run(command: &mut tokio::process::Command) -> (Option<i32>, String, String) {
    let output = tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .expect("the command did not finish within 60 s")
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn job_ids(server: &LiveServer) -> Vec<i64> {
    let (status, jobs) = server.get("/api/v1/jobs").await;
    assert_eq!(status, 200, "{jobs}");
    jobs.as_array()
        .unwrap()
        .iter()
        .map(|job| job["job_id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_the_jobs_of_that_moment() {
    let mut server = LiveServer::start().await;
    let work = tempfile::tempdir().unwrap();
    for _ in 0..3 {
        let job = server.submit("list the files here", work.path()).await;
        server.wait_final(&job["job_id"]).await;
    }
    let kept = job_ids(&server).await;
    let backup = work.path().join("devos-backup.db");
    let (code, out, err) = run(server.devos().arg("backup").arg(&backup)).await;
    assert_eq!(code, Some(0), "{out}{err}");

    let later = server.submit("list the files here", work.path()).await;
    server.wait_final(&later["job_id"]).await;
    let (code, _, err) = run(server.devos().arg("restore").arg(&backup)).await;
    assert_ne!(code, Some(0), "a restore under a running server is refused");
    assert!(err.contains("is running"), "{err}");

    server.stop_with("TERM").await;
    let (code, out, err) = run(server.devos().arg("restore").arg(&backup)).await;
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("3 jobs"), "{out}");
    server.restart().await;
    assert_eq!(job_ids(&server).await, kept);
    let finished = server.status(&serde_json::json!(kept[0])).await;
    assert_eq!(finished["status"], "completed", "{finished}");
}

#[tokio::test]
async fn a_public_address_is_refused_unless_asked_for() {
    let server = LiveServer::start().await;
    let (code, _, err) = run(server.devos().arg("serve").env("DEVOS_ADDR", "0.0.0.0:0")).await;
    assert_ne!(code, Some(0));
    assert!(err.contains("refusing to listen on 0.0.0.0:0"), "{err}");
    assert!(err.contains("--i-know-this-is-public"), "{err}");
}

#[tokio::test]
async fn doctor_reports_a_broken_config_and_still_checks_the_rest() {
    let server = LiveServer::start().await;
    let config = server.home.path().join("devos.toml");
    std::fs::write(&config, "[server]\naddr = \"nonsense\"\n").unwrap();
    let (code, out, err) = run(server.devos().arg("doctor").env("DEVOS_CONFIG", &config)).await;
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("FAIL  config"), "{out}");
    assert!(out.contains("server.addr"), "{out}");
    assert!(out.contains("fix:"), "{out}");
    assert!(out.contains("database   integrity ok"), "{out}");
    assert!(out.contains("server     running on this data dir"), "{out}");

    let (code, out, _) = run(server.devos().arg("doctor")).await;
    assert_eq!(code, Some(0), "a sound setup passes: {out}");
    assert!(out.contains("0 failed"), "{out}");
    // This machine lets DevOS give each step a control group.
    assert!(
        out.lines()
            .any(|line| line.contains("steps") && line.contains("a control group per step")),
        "{out}"
    );
}

#[tokio::test]
async fn doctor_makes_one_tiny_call_to_each_provider() {
    use super::fake_bedrock::{FakeBedrock, Reply};

    let fake = FakeBedrock::start(vec![Reply::Tool {
        input: serde_json::json!({ "ok": true }),
        tokens: (20, 3),
    }])
    .await;
    let server = LiveServer::start_with(super::models::bedrock_env(&fake, &[])).await;
    let (code, out, err) = run(server.devos().arg("doctor")).await;
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("bedrock answered through"), "{out}");
    assert_eq!(fake.requests().len(), 1, "exactly one call");

    // With the fake gone, the provider check fails and says what to check.
    drop(fake);
    let (code, out, _) = run(server.devos().arg("doctor")).await;
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("FAIL  provider"), "{out}");
}

#[tokio::test]
async fn the_settings_test_button_calls_each_provider_once() {
    use super::fake_bedrock::{FakeBedrock, Reply};

    let fake = FakeBedrock::start(vec![Reply::Tool {
        input: serde_json::json!({ "ok": true }),
        tokens: (20, 3),
    }])
    .await;
    let server = LiveServer::start_with(super::models::bedrock_env(&fake, &[])).await;
    let cookie = server.session_cookie().await;
    let (status, answer) = server
        .server_fn(&cookie, "/api/settings/test_providers", &[("", "")])
        .await;
    assert_eq!(status, 200, "{answer}");
    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
    let lines = answer.to_string();
    assert!(
        lines.contains("bedrock (") && lines.contains("answered in"),
        "{lines}"
    );
    assert_eq!(fake.requests().len(), 1, "exactly one call");
}
