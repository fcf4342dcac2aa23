//! Planning through the real `aws-sdk-bedrockruntime` client against the fake
//! Bedrock endpoint: model choice, the request on the wire, usage rows and
//! costs, throttling retries, the retry/escalation path and budgets.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use engine::models::schema::plan_schema;
use engine::models::{
    BedrockProvider, BedrockSettings, Budgets, ModelRouter, ModelsConfig, ModelsError,
    ModelsOverrides, PlanningRequest, PromptInput, ProviderError, ProviderKind, Secret,
    plan_with_models,
};
use engine::planner::{BuiltinOutcome, CONFIDENCE_THRESHOLD, PlanRequest, plan_builtin};
use engine::store::Store;
use engine::store::usage::UsageEntry;
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

use super::models_fake_bedrock::{FakeBedrock, Reply};

const REQUEST: &str = "draft a short haiku about autumn leaves in poem.txt";
const NOW: i64 = 1_795_612_455; // 2026-11-25T13:14:15Z

pub fn plan_json() -> Value {
    json!({
        "interpretation": "Create a notes folder",
        "steps": [{"kind": "fs", "action": {"op": "mkdir", "path": "notes"},
                   "description": "Create notes", "safety_level": "moderate"}],
        "explanation": "A typed mkdir is undoable.",
        "risks": [],
    })
}

pub fn budgets(per_job_micros: i64) -> Budgets {
    Budgets {
        per_job_micros,
        daily_micros: 1_000_000,
        monthly_micros: 20_000_000,
    }
}

pub async fn store(dir: &Path) -> Store {
    Store::open(dir).await.unwrap()
}

async fn router(fake: &FakeBedrock, streaming: bool, per_job_micros: i64) -> ModelRouter {
    let overrides = ModelsOverrides {
        providers: Some("bedrock".into()),
        ..ModelsOverrides::default()
    };
    let config = ModelsConfig::load_default(&overrides).unwrap();
    let provider = BedrockProvider::new(&BedrockSettings {
        endpoint_url: Some(fake.url.clone()),
        region: Some("us-east-1".into()),
        static_credentials: Some(("AKIDEXAMPLE".into(), Secret::new("dummy-secret"))),
        streaming,
        timeout: Duration::from_secs(10),
        max_attempts: 3,
        initial_backoff: Duration::from_millis(1),
    })
    .await;
    ModelRouter::new(config, budgets(per_job_micros))
        .with_provider(ProviderKind::Bedrock, Arc::new(provider))
}

/// Plans `REQUEST` as job 7, returning the result and the streamed text.
async fn plan(
    router: &ModelRouter,
    store: &Store,
) -> (Result<engine::models::ModelPlan, ModelsError>, String) {
    let streamed = Mutex::new(String::new());
    let request = PlanningRequest {
        job_id: Some(7),
        prompt: PromptInput {
            request: REQUEST,
            context: &json!({"cwd": "/home/u"}),
            preferences: &[],
        },
        now_at: NOW,
        budgets: None,
    };
    let on_text = |text: &str| streamed.lock().unwrap().push_str(text);
    let result = plan_with_models(router, store, &request, &on_text).await;
    let text = streamed.lock().unwrap().clone();
    (result, text)
}

fn entry(
    model: &str,
    tokens: (i64, i64),
    estimate: i64,
    actual: i64,
    outcome: &str,
    detail: &str,
) -> UsageEntry {
    UsageEntry {
        provider: "bedrock".into(),
        model: model.into(),
        input_tokens: tokens.0,
        output_tokens: tokens.1,
        estimated_cost_micros: estimate,
        actual_cost_micros: actual,
        outcome: outcome.into(),
        detail: detail.into(),
    }
}

#[tokio::test]
async fn streamed_bedrock_plan_is_used_and_recorded() {
    // The caller's order: the built-in planner first, a model only when it is unsure.
    let builtin = plan_builtin(&PlanRequest {
        text: REQUEST,
        cwd: Path::new("/home/u"),
        home: Path::new("/home/u"),
        account_home: engine::typed_path::account_home,
        context: None,
    });
    let confident = matches!(builtin, BuiltinOutcome::Planned { confidence, .. } if confidence >= CONFIDENCE_THRESHOLD);
    assert!(
        !confident,
        "the built-in planner handles this request; pick another"
    );

    let fake = FakeBedrock::start(vec![Reply::Tool {
        input: plan_json(),
        tokens: (1_000, 500),
    }])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let (result, streamed) = plan(&router(&fake, true, 50_000).await, &store).await;
    let planned = result.unwrap();

    assert_eq!(planned.model_used, "nova-micro");
    assert_eq!(planned.plan, serde_json::from_value(plan_json()).unwrap());
    assert_eq!(planned.attempts, 1);
    assert_eq!(
        planned.complexity_reason,
        "small: one short request (10 words)"
    );
    // 1000 input tokens at $0.035/M = 35 micro-dollars; 500 output at $0.14/M = 70.
    assert_eq!(planned.actual_cost_micros, 105);
    assert_eq!(
        serde_json::from_str::<Value>(&streamed).unwrap(),
        plan_json()
    );

    let requests = fake.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].path,
        "/model/amazon.nova-micro-v1%3A0/converse-stream"
    );
    let body = &requests[0].body;
    assert_eq!(
        body["toolConfig"]["tools"][0]["toolSpec"]["inputSchema"]["json"],
        plan_schema()
    );
    assert_eq!(
        body["toolConfig"]["toolChoice"],
        json!({"tool": {"name": "submit_plan"}})
    );
    let user_text = body["messages"][0]["content"][0]["text"].as_str().unwrap();
    assert!(user_text.ends_with(REQUEST), "{user_text}");
    assert!(
        body["system"][0]["text"]
            .as_str()
            .unwrap()
            .contains("Step kinds")
    );

    let estimate = planned.estimated_cost_micros;
    assert_eq!(
        store.usage_of_job(7).await.unwrap(),
        vec![entry("nova-micro", (1_000, 500), estimate, 105, "ok", "")]
    );
}

#[tokio::test]
async fn throttled_calls_are_retried_by_the_sdk() {
    for streaming in [true, false] {
        let fake = FakeBedrock::start(vec![
            Reply::Throttle,
            Reply::Tool {
                input: plan_json(),
                tokens: (2_000, 1_000),
            },
        ])
        .await;
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path()).await;
        let (result, _) = plan(&router(&fake, streaming, 50_000).await, &store).await;
        let planned = result.unwrap();
        assert_eq!(
            (planned.model_used.as_str(), planned.actual_cost_micros),
            ("nova-micro", 70 + 140)
        );
        assert_eq!(fake.requests().len(), 2, "streaming: {streaming}");
    }
}

#[tokio::test]
async fn malformed_plans_are_retried_then_escalated() {
    let fake = FakeBedrock::start(vec![
        Reply::Text {
            text: "Sure! I would create a folder.".into(),
            tokens: (1_000, 10),
        },
        Reply::Tool {
            input: json!({"interpretation": "x", "steps": [], "explanation": "", "risks": []}),
            tokens: (1_100, 20),
        },
        Reply::Tool {
            input: plan_json(),
            tokens: (1_200, 300),
        },
    ])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let (result, _) = plan(&router(&fake, true, 50_000).await, &store).await;
    let planned = result.unwrap();
    assert_eq!(
        (planned.model_used.as_str(), planned.attempts),
        ("claude-3-5-haiku", 3)
    );

    let requests = fake.requests();
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/model/amazon.nova-micro-v1%3A0/converse-stream",
            "/model/amazon.nova-micro-v1%3A0/converse-stream",
            "/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream",
        ]
    );
    let retry_text = requests[1].body["messages"][0]["content"][0]["text"]
        .as_str()
        .unwrap();
    assert!(
        retry_text.contains("not a valid plan: the reply holds no JSON object"),
        "{retry_text}"
    );
    assert!(retry_text.ends_with(REQUEST), "{retry_text}");
    let escalation_text = requests[2].body["messages"][0]["content"][0]["text"]
        .as_str()
        .unwrap();
    assert!(
        escalation_text.contains("steps: a plan needs at least one step"),
        "{escalation_text}"
    );

    let outcomes: Vec<(String, String, i64)> = store
        .usage_of_job(7)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.model, e.outcome, e.actual_cost_micros))
        .collect();
    // claude-3-5-haiku: 1200 × $0.80/M = 960 micros, 300 × $4/M = 1200 micros.
    let expected = [
        ("nova-micro", "invalid", 35 + 2),
        ("nova-micro", "invalid", 39 + 3),
        ("claude-3-5-haiku", "ok", 960 + 1_200),
    ]
    .map(|(m, o, c)| (m.to_owned(), o.to_owned(), c));
    assert_eq!(outcomes, expected);
    assert_eq!(planned.actual_cost_micros, 37 + 42 + 2_160);
}

#[tokio::test]
async fn a_model_that_never_plans_fails_the_job_with_its_text() {
    let bad = |n| Reply::Text {
        text: format!("no plan {n}"),
        tokens: (100, 5),
    };
    let fake = FakeBedrock::start(vec![bad(1), bad(2), bad(3), bad(4)]).await;
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let (result, _) = plan(&router(&fake, true, 50_000).await, &store).await;
    match result {
        Err(ModelsError::InvalidPlan {
            model,
            reason,
            reply,
        }) => {
            assert_eq!(
                (model.as_str(), reason.as_str(), reply.as_str()),
                (
                    "claude-3-5-haiku",
                    "the reply holds no JSON object",
                    "no plan 3"
                )
            );
        }
        other => panic!("expected an invalid plan, got {other:?}"),
    }
    assert_eq!(fake.requests().len(), 3);
}

#[tokio::test]
async fn a_tiny_per_job_budget_blocks_the_call_before_any_request() {
    let fake = FakeBedrock::start(vec![Reply::Tool {
        input: plan_json(),
        tokens: (1_000, 500),
    }])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let (result, streamed) = plan(&router(&fake, true, 1).await, &store).await;
    let Err(ModelsError::Refused(refusal)) = result else {
        panic!("expected a refusal, got {result:?}");
    };
    let message = refusal.message();
    for part in [
        "Not calling nova-micro",
        "per-job budget of $0.000001",
        "raise budgets.per_job_usd",
        "use a local model",
    ] {
        assert!(message.contains(part), "{part} missing from: {message}");
    }
    assert_eq!((fake.requests().len(), streamed.as_str()), (0, ""));
    let rows = store.usage_of_job(7).await.unwrap();
    assert_eq!(
        rows,
        vec![entry(
            "nova-micro",
            (0, 0),
            refusal.estimate_micros,
            0,
            "refused",
            &message
        )]
    );
}

#[tokio::test]
async fn service_errors_and_garbage_become_provider_errors() {
    type Check = fn(&ProviderError) -> bool;
    let cases: [(Reply, Check); 2] = [
        (
            Reply::Denied,
            |e| matches!(e, ProviderError::Auth(m) if m.starts_with("AccessDeniedException")),
        ),
        (Reply::Garbage, |e| {
            matches!(e, ProviderError::BadReply(_) | ProviderError::Transport(_))
        }),
    ];
    for (reply, expected) in cases {
        let label = format!("{reply:?}");
        let fake = FakeBedrock::start(vec![reply]).await;
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path()).await;
        let (result, _) = plan(&router(&fake, true, 50_000).await, &store).await;
        match result {
            Err(ModelsError::Provider { model, source }) => {
                assert_eq!(model, "nova-micro");
                assert!(expected(&source), "{label}: {source:?}");
                assert!(!source.to_string().contains("dummy-secret"));
            }
            other => panic!("{label}: expected a provider error, got {other:?}"),
        }
        let rows = store.usage_of_job(7).await.unwrap();
        assert_eq!(
            rows.iter().map(|r| r.outcome.as_str()).collect::<Vec<_>>(),
            ["error"],
            "{label}"
        );
    }
}
