//! One tiny real call per enabled provider, to its cheapest model: proves
//! credentials, endpoint and model id work (`devos doctor`, Settings' test).

use std::time::Duration;

use super::config::ProviderKind;
use super::provider::Prompt;
use super::router::ModelRouter;

/// How one provider answered.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeResult {
    /// The provider.
    pub provider: ProviderKind,
    /// Our id of the model called.
    pub model: String,
    /// The reply's latency, or the error in words.
    pub outcome: Result<Duration, String>,
}

fn tiny_prompt() -> Prompt {
    Prompt {
        system: "You check that a connection works. Reply with {\"ok\": true} and nothing else."
            .to_owned(),
        user: "Is the connection working?".to_owned(),
        schema: serde_json::json!({
            "type": "object",
            "properties": { "ok": { "type": "boolean" } },
            "required": ["ok"],
        }),
    }
}

impl ModelRouter {
    /// Calls each provider's cheapest model once with a few-token prompt.
    /// Not recorded in the usage ledger: it costs a fraction of a cent.
    pub async fn probe(&self) -> Vec<ProbeResult> {
        let prompt = tiny_prompt();
        let mut results = Vec::new();
        for (kind, provider) in self.providers() {
            let cheapest = self
                .models()
                .into_iter()
                .filter(|m| m.provider == kind)
                .min_by_key(|m| m.input_micros_per_mtok + m.output_micros_per_mtok);
            let Some(model) = cheapest else {
                continue;
            };
            let outcome = provider
                .complete(model, &prompt, &|_| {})
                .await
                .map(|reply| reply.latency)
                .map_err(|e| e.to_string());
            results.push(ProbeResult {
                provider: kind,
                model: model.id.clone(),
                outcome,
            });
        }
        results
    }
}
