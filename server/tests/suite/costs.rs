//! The Costs page's server functions against a real server whose model
//! calls go to a fake Bedrock: spend per day, model and provider, the
//! costliest job, what the built-in planner saved, the CSV ledger, and a
//! budget edited on the page that refuses the next model call at once.

use pretty_assertions::assert_eq;
use serde_json::Value;

use super::fake_bedrock::{FakeBedrock, Reply};
use super::live::LiveServer;
use super::models::{bedrock_env, haiku_plan};

const MODEL_REQUEST: &str = "write a haiku about rust into the terminal";

async fn overview(server: &LiveServer, cookie: &str) -> Value {
    let (status, body) = server
        .server_fn(cookie, "/api/costs/overview", &[("", "")])
        .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

#[tokio::test]
async fn costs_show_real_spend_and_a_budget_saved_there_refuses_the_next_call() {
    let fake = FakeBedrock::start(vec![
        Reply::Tool {
            input: haiku_plan(),
            tokens: (1234, 56),
        };
        2
    ])
    .await;
    let server = LiveServer::start_with(bedrock_env(&fake, &[])).await;
    let dir = tempfile::tempdir().unwrap();
    let builtin = server.submit("list the files here", dir.path()).await;
    server.wait_final(&builtin["job_id"]).await;
    let paid = server.submit(MODEL_REQUEST, dir.path()).await;
    let done = server.wait_final(&paid["job_id"]).await;
    assert_eq!(done["status"], "completed", "{done}");
    let cookie = server.session_cookie().await;

    let costs = overview(&server, &cookie).await;
    let today = costs["days"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(today["calls"], 1, "{costs}");
    assert!(today["micros"].as_i64().unwrap() > 0, "{today}");
    assert_eq!(costs["bars"][0]["label"], "Today");
    assert_eq!(costs["bars"][0]["spent"], today["cost"]);
    assert_eq!(costs["by_provider"][0]["key"], "bedrock");
    assert_eq!(costs["by_model"][0]["input_tokens"], 1234);
    assert_eq!(costs["costliest"][0]["id"], paid["job_id"]);
    assert_eq!(
        costs["savings"]["jobs"], 1,
        "one request planned without a model"
    );
    let basis = costs["savings"]["basis"].as_str().unwrap();
    assert!(basis.contains("1234 input and 56 output tokens"), "{basis}");

    let (status, body) = server
        .server_fn(
            &cookie,
            "/api/costs/budgets",
            &[("per_job", "2"), ("daily", "1"), ("monthly", "10")],
        )
        .await;
    assert_ne!(status, 200);
    assert!(body.contains("more than the daily one"), "{body}");
    let (status, body) = server
        .server_fn(
            &cookie,
            "/api/costs/budgets",
            &[("per_job", "lots"), ("daily", "1"), ("monthly", "10")],
        )
        .await;
    assert_ne!(status, 200);
    assert!(body.contains("an amount of US dollars"), "{body}");

    let (status, body) = server
        .server_fn(
            &cookie,
            "/api/costs/budgets",
            &[("per_job", "$0.000001"), ("daily", "1"), ("monthly", "10")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let costs = overview(&server, &cookie).await;
    assert_eq!(costs["budgets"]["own"], true);
    assert_eq!(
        costs["bars"][2]["percent"], 100,
        "the costliest job is over the new per-job budget"
    );

    let refused = server
        .submit(&format!("{MODEL_REQUEST} again"), dir.path())
        .await;
    let refused = server.wait_final(&refused["job_id"]).await;
    assert_eq!(refused["status"], "failed", "{refused}");
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("per-job budget"),
        "{refused}"
    );
    assert_eq!(fake.requests().len(), 1, "the refused call was never made");

    let csv = reqwest::Client::new()
        .get(server.url("/api/v1/usage/export"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].starts_with("id,time_utc,job_id,provider,model"),
        "{csv}"
    );
    assert_eq!(
        lines.len(),
        3,
        "header, the call made and the one refused: {csv}"
    );
    assert!(
        lines[1].contains(",bedrock,") && lines[1].contains(",1234,56,"),
        "{csv}"
    );
    assert!(
        lines[2].contains(",refused,") && lines[2].contains("per-job budget"),
        "{csv}"
    );
}
