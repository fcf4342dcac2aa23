//! Load: many jobs from concurrent clients all reach a final state with
//! complete logs, and status polls stay fast. `DEVOS_LOAD_JOBS` (default
//! 200) and `DEVOS_LOAD_CLIENTS` (default 50) size it; `make soak` runs
//! 10,000 jobs and prints the latencies.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use super::live::LiveServer;

fn from_env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "an index into a short list"
    )]
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_clients_get_every_job_to_a_final_state_with_its_log() {
    let jobs = from_env("DEVOS_LOAD_JOBS", 200);
    let clients = from_env("DEVOS_LOAD_CLIENTS", 50);
    let server = Arc::new(LiveServer::start().await);
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("marker-file.txt"), "x").unwrap();
    let cwd = work.path().to_path_buf();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..clients {
        let server = Arc::clone(&server);
        let cwd = cwd.clone();
        let share = jobs / clients + usize::from(client < jobs % clients);
        tasks.push(tokio::spawn(async move {
            let mut polls = Vec::new();
            for _ in 0..share {
                let (status, job) = server
                    .post(
                        "/api/v1/command",
                        &json!({ "command": "list the files here", "context": { "cwd": cwd } }),
                    )
                    .await;
                assert_eq!(status, 200, "{job}");
                let id = job["job_id"].clone();
                loop {
                    let asked = Instant::now();
                    let body = server.status(&id).await;
                    polls.push(asked.elapsed());
                    match body["status"].as_str().unwrap_or_default() {
                        "completed" => {
                            let logs = body["logs"].to_string();
                            assert!(logs.contains("marker-file.txt"), "incomplete log: {body}");
                            break;
                        }
                        "planning" | "pending" | "approved" | "executing" => {
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                        other => panic!("job ended {other}: {body}"),
                    }
                }
            }
            polls
        }));
    }
    let mut polls = Vec::new();
    for task in tasks {
        polls.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed();
    polls.sort_unstable();
    let (p50, p99) = (percentile(&polls, 0.50), percentile(&polls, 0.99));
    eprintln!(
        "load: {jobs} jobs from {clients} clients in {elapsed:.1?} ({:.0} jobs/s); {} status polls p50 {p50:?} p99 {p99:?}; server RSS {} KiB",
        f64::from(u32::try_from(jobs).unwrap_or(u32::MAX)) / elapsed.as_secs_f64(),
        polls.len(),
        server.rss_kib()
    );
    let (_, listed) = server
        .get(&format!("/api/v1/jobs?limit={}", jobs.min(100)))
        .await;
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|job| job["status"] == "completed"),
        "{listed}"
    );
    assert!(
        p99 < Duration::from_secs(2),
        "status polls stalled under load: p99 {p99:?}"
    );
}
