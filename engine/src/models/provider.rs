//! The seam between the router and a model service: the [`ModelProvider`]
//! trait, what goes in ([`Prompt`]) and what comes out ([`ModelReply`],
//! [`ProviderError`]). Providers send and stream; they never validate plans,
//! price calls or decide budgets.

use std::time::Duration;

use async_trait::async_trait;

use super::config::ModelSpec;

/// What is sent to a model: instructions, the user turn and the plan schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    /// The system prompt (schema, step kinds, safety levels, context, preferences).
    pub system: String,
    /// The user turn; the request itself is always its last part.
    pub user: String,
    /// The plan JSON schema, sent as a tool input schema or response format.
    pub schema: serde_json::Value,
}

/// A model's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelReply {
    /// The whole reply text (for tool use: the tool input as JSON text).
    pub text: String,
    /// Input tokens the service reported.
    pub input_tokens: u64,
    /// Output tokens the service reported.
    pub output_tokens: u64,
    /// From sending the request to the last byte of the reply.
    pub latency: Duration,
}

/// Why a call failed. Messages are for people and never contain secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// The service is rate limiting us (already retried with backoff). Waiting helps.
    #[error("the model service is busy (throttled): {0}; try again in a minute")]
    Throttled(String),
    /// No answer in time. Retrying may help; a smaller request helps more.
    #[error("the model did not answer in time: {0}")]
    Timeout(String),
    /// Credentials are missing, wrong or lack access to the model. Retrying does not help.
    #[error("the model service refused our credentials: {0}")]
    Auth(String),
    /// The service rejected the request (unknown model, validation). Retrying does not help.
    #[error("the model service rejected the request: {0}")]
    Rejected(String),
    /// The answer could not be understood (broken stream, wrong shape).
    #[error("the model service sent a reply we could not read: {0}")]
    BadReply(String),
    /// The service could not be reached (DNS, refused connection, TLS).
    #[error("could not reach the model service: {0}")]
    Transport(String),
}

/// Receives reply text as it arrives (the job card shows it live).
pub type TextSink<'a> = dyn Fn(&str) + Send + Sync + 'a;

/// A model service. Held as `Arc<dyn ModelProvider>`; one instance serves every
/// model of its provider.
#[async_trait]
pub trait ModelProvider: Send + Sync {
    /// Sends `prompt` to `model`, passing reply text to `on_text` as it arrives,
    /// and returns the whole reply with the token counts the service reported.
    async fn complete(
        &self,
        model: &ModelSpec,
        prompt: &Prompt,
        on_text: &TextSink<'_>,
    ) -> Result<ModelReply, ProviderError>;
}

/// Shortens a service's error body for a message: first line, at most 300 chars.
pub(crate) fn snippet(text: &str) -> String {
    let line = text.trim().lines().next().unwrap_or("");
    match line.char_indices().nth(300) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_owned(),
    }
}
