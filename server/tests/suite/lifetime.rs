//! A step never outlives DevOS: a real server running a model-written step
//! that forked a child (`sleep 600 &`), then `kill -9` or SIGTERM of the
//! server. Within a second no process of the step is left; after a restart
//! the job is `interrupted` and its log says the processes were stopped.

use std::time::Duration;

use pretty_assertions::assert_eq;
use serde_json::{Value, json};

use super::fake_bedrock::{FakeBedrock, Reply};
use super::live::LiveServer;
use super::models::bedrock_env;
use super::proc_support::{group_members, is_gone};

/// Nothing the built-in planner knows, so it goes to the (fake) model.
const REQUEST: &str = "hum a long tune with a helper humming along";

/// A step that forks a child in its own group, says who is who, and waits.
fn forking_plan() -> Value {
    json!({
        "interpretation": "Hum for ten minutes with a helper",
        "steps": [{
            "kind": "bash",
            "command": "sleep 600 & echo \"child $!\"; echo \"leader $$\"; wait",
            "description": "Hum along",
            "safety_level": "moderate"
        }],
        "explanation": "sleep stands in for a long task",
        "risks": []
    })
}

/// The step's pids, once its group has both processes.
struct RunningStep {
    job_id: Value,
    leader: i32,
    child: i32,
}

async fn server_with_model() -> (LiveServer, FakeBedrock) {
    let fake = FakeBedrock::start(vec![Reply::Tool {
        input: forking_plan(),
        tokens: (100, 50),
    }])
    .await;
    let server = LiveServer::start_with(bedrock_env(&fake, &[])).await;
    (server, fake)
}

/// Submits the forking step (approving it when asked) and waits until both
/// of its processes run.
async fn start_forking_step(server: &LiveServer, dir: &std::path::Path) -> RunningStep {
    let job = server.submit(REQUEST, dir).await;
    let job_id = job["job_id"].clone();
    if job["status"] == "pending" {
        let (status, body) = server
            .post(
                &format!("/api/v1/command/{job_id}/approve"),
                &json!({ "approved": true }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let pid_of = |detail: &Value, name: &str| -> Option<i32> {
        detail["logs"].as_array()?.iter().find_map(|log| {
            log["line"]
                .as_str()?
                .strip_prefix(name)?
                .trim()
                .parse()
                .ok()
        })
    };
    let (leader, child) = server
        .until("the step to print its pids", || async {
            let detail = server.status(&job_id).await;
            Some((pid_of(&detail, "leader")?, pid_of(&detail, "child")?))
        })
        .await;
    let mut members = group_members(leader);
    members.sort_unstable();
    let mut expected = vec![leader, child];
    expected.sort_unstable();
    assert_eq!(members, expected, "the step's group: bash and its child");
    RunningStep {
        job_id,
        leader,
        child,
    }
}

/// Waits (at most a second) until no process of the step is left.
async fn assert_gone_within_a_second(step: &RunningStep) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
    loop {
        let left = group_members(step.leader);
        if left.is_empty() && is_gone(step.leader) && is_gone(step.child) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "still alive a second after the server exited: {left:?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn log_lines(detail: &Value) -> Vec<String> {
    detail["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|log| log["line"].as_str().unwrap().to_owned())
        .collect()
}

/// Checks the restarted server's view of the job.
async fn assert_interrupted_with_note(server: &LiveServer, step: &RunningStep, note: &str) {
    let after = server.status(&step.job_id).await;
    assert_eq!(after["status"], "interrupted", "{after}");
    assert_eq!(after["steps"][0]["status"], "interrupted", "{after}");
    assert!(
        after["error"].as_str().unwrap().contains("not resumed"),
        "{after}"
    );
    let lines = log_lines(&after);
    assert!(
        lines.iter().any(|line| line.starts_with(note)),
        "no `{note}` in {lines:#?}"
    );
}

#[tokio::test]
async fn kill_9_of_the_server_takes_the_step_and_its_child_with_it() {
    let (mut server, _fake) = server_with_model().await;
    let dir = tempfile::tempdir().unwrap();
    let step = start_forking_step(&server, dir.path()).await;
    server.stop_with("KILL").await;
    assert_gone_within_a_second(&step).await;
    let database = server.data_dir.path().join("devos.db");
    engine::store::inspect_database(&database)
        .await
        .expect("the database is sound after kill -9");
    server.restart().await;
    assert_interrupted_with_note(
        &server,
        &step,
        "the step's processes were stopped when DevOS restarted",
    )
    .await;
}

#[tokio::test]
async fn sigterm_stops_the_step_and_its_child_and_the_job_ends_interrupted() {
    let (mut server, _fake) = server_with_model().await;
    let dir = tempfile::tempdir().unwrap();
    let step = start_forking_step(&server, dir.path()).await;
    server.stop_with("TERM").await;
    assert_gone_within_a_second(&step).await;
    server.restart().await;
    assert_interrupted_with_note(
        &server,
        &step,
        "the step's processes were stopped when DevOS shut down",
    )
    .await;
}

/// The children (pid, command line) of `parent`.
fn children_of(parent: i32) -> Vec<(i32, String)> {
    let mut children = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let ppid = stat
            .rsplit(')')
            .next()
            .and_then(|rest| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<i32>().ok());
        if ppid == Some(parent) {
            let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
            children.push((pid, String::from_utf8_lossy(&cmdline).replace('\0', " ")));
        }
    }
    children
}

#[tokio::test]
async fn a_restart_kills_what_a_crash_left_when_the_reaper_was_gone_too() {
    let (mut server, _fake) = server_with_model().await;
    let dir = tempfile::tempdir().unwrap();
    let step = start_forking_step(&server, dir.path()).await;
    let reapers: Vec<i32> = children_of(server.pid())
        .into_iter()
        .filter(|(_, cmdline)| cmdline.trim_end().ends_with(" reap"))
        .map(|(pid, _)| pid)
        .collect();
    assert_eq!(reapers.len(), 1, "{:?}", children_of(server.pid()));
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &reapers[0].to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    server.stop_with("KILL").await;

    // The parent-death signal ends bash; its child, with nobody left to
    // kill the group, lives on until a DevOS starts again: this one's
    // restart, or — where steps get control groups — any DevOS starting on
    // this machine (other tests start servers meanwhile), which removes the
    // groups of DevOS processes that are gone.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
    while !is_gone(step.leader) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "bash outlived DevOS"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let left = group_members(step.leader);
    assert!(
        left == vec![step.child] || left.is_empty(),
        "only the child may be left: {left:?}"
    );

    server.restart().await;
    assert_gone_within_a_second(&step).await;
    // Who killed the child depends on the machine: the restart's recovery
    // (its process group), or — where steps get control groups — any DevOS
    // starting on this machine, which removes the groups of DevOS processes
    // that are gone. Either way it is gone and the job says why.
    assert_interrupted_with_note(
        &server,
        &step,
        "the step's processes were stopped when DevOS restarted (",
    )
    .await;
}

/// A model endpoint that accepts connections and never answers, so a job
/// stays in planning for as long as the test wants.
async fn silent_model() -> (tokio::net::TcpListener, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    (listener, url)
}

#[tokio::test]
async fn kill_9_during_planning_loses_no_job_and_leaves_a_sound_database() {
    let (listener, url) = silent_model().await;
    // Keep accepted connections open without a word.
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open.push(stream);
        }
    });
    let fake_env = [
        ("DEVOS_PROVIDERS", "bedrock"),
        ("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", url.as_str()),
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLETEST"),
        ("AWS_SECRET_ACCESS_KEY", "not-a-real-secret"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    let env = fake_env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let mut server = LiveServer::start_with(env).await;
    let done = server
        .submit("list the files here", server.home.path())
        .await;
    server.wait_final(&done["job_id"]).await;
    let dir = tempfile::tempdir().unwrap();
    let (base, token) = (server.base.clone(), server.token.clone());
    let cwd = dir.path().to_path_buf();
    let submitting = tokio::spawn(async move {
        // Answers only once planned: it never will, the server dies first.
        let _ = reqwest::Client::new()
            .post(format!("{base}/api/v1/command"))
            .bearer_auth(token)
            .json(&json!({ "command": REQUEST, "context": { "cwd": cwd } }))
            .send()
            .await;
    });
    let planning = wait_for_status(&server, "planning").await;
    server.stop_with("KILL").await;
    submitting.abort();
    let database = server.data_dir.path().join("devos.db");
    let jobs = engine::store::inspect_database(&database)
        .await
        .expect("the database is sound after kill -9");
    assert_eq!(jobs, 2);
    server.restart().await;
    let job = server.status(&planning).await;
    assert_eq!(job["status"], "interrupted", "{job}");
    assert_eq!(server.status(&done["job_id"]).await["status"], "completed");
    held.abort();
}

/// Waits (on the user's events) until a job has `status`; returns its id.
async fn wait_for_status(server: &LiveServer, status: &str) -> Value {
    server
        .until(&format!("a job to get to {status}"), || async {
            let (_, jobs) = server.get("/api/v1/jobs").await;
            let job = jobs
                .as_array()
                .into_iter()
                .flatten()
                .find(|job| job["status"] == status)?;
            Some(job["job_id"].clone())
        })
        .await
}
