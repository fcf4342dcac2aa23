//! A request the built-in planner cannot plan goes to Bedrock: the real
//! server process and the real AWS SDK against a fake endpoint given by
//! `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`, with dummy credentials.

use pretty_assertions::assert_eq;
use serde_json::json;

use super::fake_bedrock::{FakeBedrock, Reply};
use super::live::LiveServer;

const REQUEST: &str = "write a haiku about rust into the terminal";

pub(super) fn bedrock_env(fake: &FakeBedrock, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = [
        ("DEVOS_PROVIDERS", "bedrock"),
        ("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake.url.as_str()),
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLETEST"),
        ("AWS_SECRET_ACCESS_KEY", "not-a-real-secret"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    env.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    env
}

pub(super) fn haiku_plan() -> serde_json::Value {
    json!({
        "interpretation": "Print a haiku about Rust",
        "steps": [{
            "kind": "bash",
            "command": "echo 'borrow checker hums'",
            "description": "Print the haiku",
            "safety_level": "safe"
        }],
        "explanation": "echo prints it",
        "risks": []
    })
}

#[tokio::test]
async fn bedrock_plans_what_the_builtin_planner_cannot_and_the_usage_is_recorded() {
    let fake = FakeBedrock::start(vec![Reply::Tool {
        input: haiku_plan(),
        tokens: (1234, 56),
    }])
    .await;
    let server = LiveServer::start_with(bedrock_env(&fake, &[])).await;
    let dir = tempfile::tempdir().unwrap();
    let job = server.submit(REQUEST, dir.path()).await;
    let model = job["model_used"].as_str().unwrap().to_owned();
    assert_ne!(model, "builtin", "{job}");
    let done = server.wait_final(&job["job_id"]).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert!(
        done["result"]
            .as_str()
            .unwrap()
            .contains("borrow checker hums")
    );

    let requests = fake.requests();
    assert_eq!(requests.len(), 1);
    let body = requests[0].body.to_string();
    assert!(body.contains(REQUEST), "the request reached the model");
    assert!(
        !body.contains("not-a-real-secret"),
        "no secret in the prompt"
    );

    let models =
        engine::models::ModelsConfig::load_default(&engine::models::ModelsOverrides::default())
            .unwrap();
    let spec = models.model(&model).unwrap();
    let expected = engine::models::cost::cost_micros(spec, 1234, 56);
    let (status, usage) = server.get("/api/v1/usage?group=model").await;
    assert_eq!(status, 200, "{usage}");
    let row = &usage["rows"][0];
    assert_eq!(row["key"], model);
    assert_eq!(
        (row["input_tokens"].as_i64(), row["output_tokens"].as_i64()),
        (Some(1234), Some(56))
    );
    let actual = row["actual_cost"].as_f64().unwrap();
    let expected = engine::models::cost::micros_to_usd(expected);
    assert!((actual - expected).abs() < 1e-12, "{actual} vs {expected}");
}

#[tokio::test]
async fn a_tiny_per_job_budget_blocks_the_call() {
    let fake = FakeBedrock::start(vec![Reply::Tool {
        input: haiku_plan(),
        tokens: (10, 10),
    }])
    .await;
    let config_dir = tempfile::tempdir().unwrap();
    let config = config_dir.path().join("devos.toml");
    std::fs::write(&config, "[budgets]\nper_job_usd = 0.000001\n").unwrap();
    let env = bedrock_env(&fake, &[("DEVOS_CONFIG", config.to_str().unwrap())]);
    let server = LiveServer::start_with(env).await;
    let dir = tempfile::tempdir().unwrap();
    let job = server.submit(REQUEST, dir.path()).await;
    assert_eq!(job["status"], "failed", "{job}");
    let detail = server.status(&job["job_id"]).await;
    let error = detail["error"].as_str().unwrap();
    assert!(
        error.contains("per-job budget") || error.contains("per_job_usd"),
        "{error}"
    );
    assert_eq!(fake.requests().len(), 0, "no call was made");
}

#[tokio::test]
async fn throttling_is_retried_and_the_converse_stream_api_is_used() {
    let fake = FakeBedrock::start(vec![
        Reply::Throttle,
        Reply::Tool {
            input: haiku_plan(),
            tokens: (100, 20),
        },
    ])
    .await;
    let server = LiveServer::start_with(bedrock_env(&fake, &[])).await;
    let dir = tempfile::tempdir().unwrap();
    let job = server.submit(REQUEST, dir.path()).await;
    let done = server.wait_final(&job["job_id"]).await;
    assert_eq!(done["status"], "completed", "{done}");
    let paths: Vec<String> = fake.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(
        paths
            .iter()
            .all(|p| p.starts_with("/model/") && p.ends_with("/converse-stream")),
        "{paths:?}"
    );
}

#[tokio::test]
async fn garbage_replies_and_denied_access_fail_the_job_with_a_clear_error() {
    let prose = |n: u32| Reply::Text {
        text: format!("Sure! Here is my plan, number {n}, in prose."),
        tokens: (10, 10),
    };
    let cases: Vec<(Vec<Reply>, &str)> = vec![
        (
            vec![prose(1), prose(2), prose(3), prose(4)],
            "did not return a valid plan",
        ),
        (vec![Reply::Denied], "access"),
        (
            vec![
                Reply::Garbage,
                Reply::Garbage,
                Reply::Garbage,
                Reply::Garbage,
            ],
            "",
        ),
    ];
    for (script, expected) in cases {
        let fake = FakeBedrock::start(script).await;
        let server = LiveServer::start_with(bedrock_env(&fake, &[])).await;
        let dir = tempfile::tempdir().unwrap();
        let job = server.submit(REQUEST, dir.path()).await;
        assert_eq!(job["status"], "failed", "{job}");
        let error = server.status(&job["job_id"]).await["error"]
            .as_str()
            .unwrap()
            .to_lowercase();
        assert!(!error.is_empty());
        assert!(error.contains(expected), "{expected}: {error}");
        assert!(!error.contains("not-a-real-secret"), "{error}");
    }
}
