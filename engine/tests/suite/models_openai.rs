//! Planning through an OpenAI-compatible server: a fake `/v1/chat/completions`
//! (axum on 127.0.0.1:0) streaming server-sent events, usage in the last chunk.
//! Also the usage report over the rows these calls leave.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use engine::models::schema::plan_schema;
use engine::models::{
    ModelPlan, ModelRouter, ModelsConfig, ModelsError, ModelsOverrides, OpenAiProvider,
    OpenAiSettings, PlanningRequest, PromptInput, ProviderError, ProviderKind, Secret,
    plan_with_models,
};
use engine::store::Store;
use engine::store::usage::{UsageGroup, UsageTotal};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

use super::models_bedrock::{budgets, plan_json, store};

const REQUEST: &str = "write a python script that totals the csv columns";
const NOW: i64 = 1_795_612_455; // 2026-11-25T13:14:15Z

#[derive(Default)]
struct Seen {
    bodies: Vec<Value>,
    authorization: Vec<String>,
}

/// Starts the fake; it answers every request with `status` and, on 200, the
/// plan in three SSE chunks plus a usage chunk and `[DONE]`.
async fn fake_openai(status: StatusCode) -> (String, Arc<Mutex<Seen>>) {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let shared = seen.clone();
    let app = axum::Router::new().route(
        "/v1/chat/completions",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let seen = shared.clone();
            async move {
                let mut seen = seen.lock().unwrap();
                seen.bodies.push(serde_json::from_slice(&body).unwrap());
                let auth = headers
                    .get("authorization")
                    .map(|v| v.to_str().unwrap().to_owned());
                seen.authorization.push(auth.unwrap_or_default());
                respond(status)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

fn respond(status: StatusCode) -> Response {
    if status != StatusCode::OK {
        let error = json!({"error": {"message": "slow down", "type": "rate_limit"}});
        return (status, error.to_string()).into_response();
    }
    let text = plan_json().to_string();
    let (a, rest) = text.split_at(10);
    let (b, c) = rest.split_at(rest.len() / 2);
    let mut sse = String::new();
    for part in [a, b, c] {
        let chunk = json!({"id": "c1", "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": {"content": part}, "finish_reason": null}], "usage": null});
        sse.push_str(&format!("data: {chunk}\n\n"));
    }
    let last = json!({"id": "c1", "object": "chat.completion.chunk", "choices": [],
        "usage": {"prompt_tokens": 2_000, "completion_tokens": 400, "total_tokens": 2_400}});
    sse.push_str(&format!("data: {last}\n\ndata: [DONE]\n\n"));
    ([("content-type", "text/event-stream")], sse).into_response()
}

/// The shipped catalogue plus a priced hosted model, openai enabled.
fn config(base_url: &str, model: &str) -> ModelsConfig {
    let priced = r#"
[[model]]
id = "hosted-mini"
provider = "openai"
model_id = "gpt-4o-mini"
tier = "medium"
context_window = 128000
max_output_tokens = 2048
input_usd_per_mtok = 0.15
output_usd_per_mtok = 0.60
json_mode = "text"
"#;
    let text =
        engine::models::config::DEFAULT_MODELS.replace("[openai]", &format!("{priced}\n[openai]"));
    let text = text.replace(r#"openai = ["local"]"#, &format!(r#"openai = ["{model}"]"#));
    let overrides = ModelsOverrides {
        providers: Some("openai".into()),
        openai_base_url: Some(format!("{base_url}/v1")),
        openai_model: None,
        openai_api_key: Some(Secret::new("sk-test-123")),
    };
    ModelsConfig::parse("test models", &text, &overrides).unwrap()
}

async fn plan(
    url: &str,
    model: &str,
    per_job: i64,
    store: &Store,
) -> (Result<ModelPlan, ModelsError>, String) {
    let config = config(url, model);
    let provider = OpenAiProvider::new(&OpenAiSettings {
        base_url: config.openai_base_url.clone(),
        api_key: config.openai_api_key.clone(),
        timeout: Duration::from_secs(10),
        max_attempts: 3,
        initial_backoff: Duration::from_millis(5),
    })
    .unwrap();
    assert!(!format!("{provider:?}").contains("sk-test-123"));
    let router = ModelRouter::new(config, budgets(per_job))
        .with_provider(ProviderKind::Openai, Arc::new(provider));
    let streamed = Mutex::new(String::new());
    let on_text = |text: &str| streamed.lock().unwrap().push_str(text);
    let request = PlanningRequest {
        job_id: Some(3),
        prompt: PromptInput {
            request: REQUEST,
            context: &json!({"cwd": "/home/u/data"}),
            preferences: &["Prefer python3 over awk".to_owned()],
        },
        now_at: NOW,
        budgets: None,
    };
    let result = plan_with_models(&router, store, &request, &on_text).await;
    let text = streamed.lock().unwrap().clone();
    (result, text)
}

#[tokio::test]
async fn streamed_plan_from_a_local_server_costs_nothing() {
    let (url, seen) = fake_openai(StatusCode::OK).await;
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let (result, streamed) = plan(&url, "local", 50_000, &store).await;
    let planned = result.unwrap();
    assert_eq!(
        (
            planned.model_used.as_str(),
            planned.actual_cost_micros,
            planned.estimated_cost_micros
        ),
        ("local", 0, 0)
    );
    assert_eq!(
        planned.complexity_reason,
        "medium: mentions code ('script', 'csv', 'python')"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&streamed).unwrap(),
        plan_json()
    );

    let (authorization, bodies) = {
        let seen = seen.lock().unwrap();
        (seen.authorization.clone(), seen.bodies.clone())
    };
    assert_eq!(authorization, ["Bearer sk-test-123"]);
    let body = &bodies[0];
    assert_eq!(body["model"], "llama3.1:8b");
    assert_eq!(
        (&body["stream"], &body["stream_options"]),
        (&json!(true), &json!({"include_usage": true}))
    );
    assert_eq!(
        body["response_format"],
        json!({"type": "json_schema", "json_schema": {"name": "submit_plan", "schema": plan_schema(), "strict": true}})
    );
    let messages = body["messages"].as_array().unwrap();
    assert_eq!(messages.last().unwrap()["role"], "user");
    assert!(
        messages.last().unwrap()["content"]
            .as_str()
            .unwrap()
            .ends_with(REQUEST)
    );
    assert!(
        messages[0]["content"]
            .as_str()
            .unwrap()
            .contains("- Prefer python3 over awk")
    );

    let rows = store.usage_of_job(3).await.unwrap();
    let row = &rows[0];
    assert_eq!(
        (
            rows.len(),
            row.provider.as_str(),
            row.input_tokens,
            row.output_tokens,
            row.outcome.as_str()
        ),
        (1, "openai", 2_000, 400, "ok")
    );
}

#[tokio::test]
async fn priced_model_costs_come_from_the_price_table_and_reach_the_report() {
    let (url, _) = fake_openai(StatusCode::OK).await;
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let (result, _) = plan(&url, "hosted-mini", 50_000, &store).await;
    // 2000 × $0.15/M = 300 micro-dollars; 400 × $0.60/M = 240.
    assert_eq!(result.unwrap().actual_cost_micros, 540);
    let estimated = store.usage_of_job(3).await.unwrap()[0].estimated_cost_micros;
    let total = |key: &str| UsageTotal {
        key: key.into(),
        calls: 1,
        input_tokens: 2_000,
        output_tokens: 400,
        estimated_cost_micros: estimated,
        actual_cost_micros: 540,
    };
    let day = NOW - NOW % 86_400;
    assert_eq!(
        store
            .usage_report(day, day + 86_400, UsageGroup::Day)
            .await
            .unwrap(),
        [total("2026-11-25")]
    );
    assert_eq!(
        store
            .usage_report(day, day + 86_400, UsageGroup::Model)
            .await
            .unwrap(),
        [total("hosted-mini")]
    );
    assert_eq!(
        store.usage_report(0, day, UsageGroup::Day).await.unwrap(),
        []
    );
    assert_eq!(store.usage_cost_since(day).await.unwrap(), 540);
}

#[tokio::test]
async fn tiny_budget_blocks_a_priced_model_without_a_request() {
    let (url, seen) = fake_openai(StatusCode::OK).await;
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let (result, _) = plan(&url, "hosted-mini", 1, &store).await;
    let Err(ModelsError::Refused(refusal)) = result else {
        panic!("expected a refusal, got {result:?}");
    };
    assert!(
        refusal.message().contains("per-job budget of $0.000001"),
        "{refusal}"
    );
    assert_eq!(seen.lock().unwrap().bodies.len(), 0);
}

#[tokio::test]
async fn rate_limited_server_is_retried_then_a_throttled_error() {
    let (url, seen) = fake_openai(StatusCode::TOO_MANY_REQUESTS).await;
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let (result, _) = plan(&url, "local", 50_000, &store).await;
    match result {
        Err(ModelsError::Provider {
            model,
            source: ProviderError::Throttled(detail),
        }) => {
            assert_eq!(model, "local");
            assert!(detail.starts_with("HTTP 429"), "{detail}");
            assert!(!detail.contains("sk-test-123"));
        }
        other => panic!("expected throttling, got {other:?}"),
    }
    assert_eq!(store.usage_of_job(3).await.unwrap()[0].outcome, "error");
    assert_eq!(
        seen.lock().unwrap().bodies.len(),
        3,
        "three attempts with backoff"
    );
}
