//! Amazon Bedrock through the AWS SDK's `Converse` and `ConverseStream` APIs.
//! Region, credentials and endpoint come from the standard AWS chain (env,
//! profiles, SSO, IMDS; `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` included), unless
//! [`BedrockSettings`] pins them (tests do, so they never touch the process
//! environment). The plan is asked for through a forced tool call whose input
//! schema is the plan schema. Throttling is retried by the SDK with backoff.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_bedrockruntime::Client;
use aws_sdk_bedrockruntime::config::{Credentials, Region};
use aws_sdk_bedrockruntime::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_bedrockruntime::types::{
    ContentBlock, ContentBlockDelta, ConversationRole, ConverseOutput, ConverseStreamOutput,
    InferenceConfiguration, Message, SpecificToolChoice, SystemContentBlock, TokenUsage, Tool,
    ToolChoice, ToolConfiguration, ToolInputSchema, ToolSpecification,
};
use aws_smithy_types::{Document, Number};
use serde_json::Value;

use super::config::{JsonMode, ModelSpec, Secret};
use super::provider::{ModelProvider, ModelReply, Prompt, ProviderError, TextSink, snippet};
use super::schema::PLAN_TOOL_NAME;

/// How to reach Bedrock. `Default` means: the standard AWS chain, streaming,
/// two minutes per call, four attempts on throttling.
#[derive(Debug, Clone)]
pub struct BedrockSettings {
    /// Endpoint override (else `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` or the regional endpoint).
    pub endpoint_url: Option<String>,
    /// Region override (else `AWS_REGION` / the profile).
    pub region: Option<String>,
    /// Static access key id and secret (else the credential chain).
    pub static_credentials: Option<(String, Secret)>,
    /// Use `ConverseStream` (text arrives as it is generated) rather than `Converse`.
    pub streaming: bool,
    /// Deadline for one call, stream included.
    pub timeout: Duration,
    /// Attempts per call when throttled or on transient errors (1 = no retry).
    pub max_attempts: u32,
    /// First backoff between attempts; it grows exponentially with jitter.
    pub initial_backoff: Duration,
}

impl Default for BedrockSettings {
    fn default() -> Self {
        Self {
            endpoint_url: None,
            region: None,
            static_credentials: None,
            streaming: true,
            timeout: Duration::from_secs(120),
            max_attempts: 4,
            initial_backoff: Duration::from_secs(1),
        }
    }
}

/// The Bedrock provider; one client serves every Bedrock model.
#[derive(Debug, Clone)]
pub struct BedrockProvider {
    client: Client,
    streaming: bool,
    timeout: Duration,
}

impl BedrockProvider {
    /// Resolves the AWS configuration (this may read env, profile files and
    /// IMDS) and builds the client.
    pub async fn new(settings: &BedrockSettings) -> Self {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(crate::aws::http_client())
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(settings.max_attempts.max(1))
                    .with_initial_backoff(settings.initial_backoff),
            )
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(10))
                    .operation_attempt_timeout(settings.timeout)
                    .build(),
            );
        if let Some(url) = &settings.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        if let Some(region) = &settings.region {
            loader = loader.region(Region::new(region.clone()));
        }
        if let Some((key_id, secret)) = &settings.static_credentials {
            let credentials = Credentials::new(key_id, secret.expose(), None, None, "devos");
            loader = loader.credentials_provider(credentials);
        }
        let config = loader.load().await;
        Self {
            client: Client::new(&config),
            streaming: settings.streaming,
            timeout: settings.timeout,
        }
    }

    fn request_parts(
        model: &ModelSpec,
        prompt: &Prompt,
    ) -> Result<(Vec<SystemContentBlock>, Message, Option<ToolConfiguration>), ProviderError> {
        let build = |e: aws_sdk_bedrockruntime::error::BuildError| {
            ProviderError::Rejected(format!("could not build the request: {e}"))
        };
        let (system, user, tools) = match model.json_mode {
            JsonMode::Tool => {
                let spec = ToolSpecification::builder()
                    .name(PLAN_TOOL_NAME)
                    .description("Submit the plan for the user's request.")
                    .input_schema(ToolInputSchema::Json(to_document(&prompt.schema)))
                    .build()
                    .map_err(build)?;
                let choice = SpecificToolChoice::builder()
                    .name(PLAN_TOOL_NAME)
                    .build()
                    .map_err(build)?;
                let tools = ToolConfiguration::builder()
                    .tools(Tool::ToolSpec(spec))
                    .tool_choice(ToolChoice::Tool(choice))
                    .build()
                    .map_err(build)?;
                let system = vec![SystemContentBlock::Text(prompt.system.clone())];
                (system, prompt.user.clone(), Some(tools))
            }
            // Models without system prompts or tool choice (Titan Text): all in one turn.
            JsonMode::Text => (
                Vec::new(),
                format!("{}\n\n{}", prompt.system, prompt.user),
                None,
            ),
        };
        let message = Message::builder()
            .role(ConversationRole::User)
            .content(ContentBlock::Text(user))
            .build()
            .map_err(build)?;
        Ok((system, message, tools))
    }

    async fn converse(
        &self,
        model: &ModelSpec,
        prompt: &Prompt,
        on_text: &TextSink<'_>,
    ) -> Result<(String, Option<TokenUsage>), ProviderError> {
        let (system, message, tools) = Self::request_parts(model, prompt)?;
        let output = self
            .client
            .converse()
            .model_id(&model.model_id)
            .set_system(Some(system).filter(|s| !s.is_empty()))
            .messages(message)
            .set_tool_config(tools)
            .inference_config(inference(model))
            .send()
            .await
            .map_err(map_sdk_error)?;
        let mut text = String::new();
        let mut tool_input = None;
        if let Some(ConverseOutput::Message(message)) = output.output() {
            for block in message.content() {
                match block {
                    ContentBlock::Text(part) => text.push_str(part),
                    ContentBlock::ToolUse(tool) => {
                        tool_input = Some(from_document(tool.input()).to_string());
                    }
                    _ => {}
                }
            }
        }
        let text = tool_input.unwrap_or(text);
        on_text(&text);
        Ok((text, output.usage().cloned()))
    }

    async fn converse_stream(
        &self,
        model: &ModelSpec,
        prompt: &Prompt,
        on_text: &TextSink<'_>,
    ) -> Result<(String, Option<TokenUsage>), ProviderError> {
        let (system, message, tools) = Self::request_parts(model, prompt)?;
        let mut output = self
            .client
            .converse_stream()
            .model_id(&model.model_id)
            .set_system(Some(system).filter(|s| !s.is_empty()))
            .messages(message)
            .set_tool_config(tools)
            .inference_config(inference(model))
            .send()
            .await
            .map_err(map_sdk_error)?;
        let (mut text, mut tool_input, mut usage) = (String::new(), String::new(), None);
        while let Some(event) = output.stream.recv().await.map_err(map_sdk_error)? {
            match event {
                ConverseStreamOutput::ContentBlockDelta(delta) => match delta.delta() {
                    Some(ContentBlockDelta::Text(part)) => {
                        on_text(part);
                        text.push_str(part);
                    }
                    Some(ContentBlockDelta::ToolUse(part)) => {
                        on_text(part.input());
                        tool_input.push_str(part.input());
                    }
                    _ => {}
                },
                ConverseStreamOutput::Metadata(meta) => usage = meta.usage().cloned(),
                _ => {}
            }
        }
        Ok((
            if tool_input.is_empty() {
                text
            } else {
                tool_input
            },
            usage,
        ))
    }
}

#[async_trait]
impl ModelProvider for BedrockProvider {
    async fn complete(
        &self,
        model: &ModelSpec,
        prompt: &Prompt,
        on_text: &TextSink<'_>,
    ) -> Result<ModelReply, ProviderError> {
        let started = Instant::now();
        let call = async {
            if self.streaming {
                self.converse_stream(model, prompt, on_text).await
            } else {
                self.converse(model, prompt, on_text).await
            }
        };
        let (text, usage) = tokio::time::timeout(self.timeout, call)
            .await
            .map_err(|_| {
                ProviderError::Timeout(format!("no full reply within {:?}", self.timeout))
            })??;
        let count = |n: i32| u64::try_from(n).unwrap_or(0);
        Ok(ModelReply {
            text,
            input_tokens: usage.as_ref().map_or(0, |u| count(u.input_tokens())),
            output_tokens: usage.as_ref().map_or(0, |u| count(u.output_tokens())),
            latency: started.elapsed(),
        })
    }
}

fn inference(model: &ModelSpec) -> InferenceConfiguration {
    InferenceConfiguration::builder()
        .max_tokens(i32::try_from(model.max_output_tokens).unwrap_or(i32::MAX))
        .temperature(0.0)
        .build()
}

/// Sorts an SDK error into our kinds, by the service's error code when it sent one.
fn map_sdk_error<E, R>(err: SdkError<E, R>) -> ProviderError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let described = snippet(&DisplayErrorContext(&err).to_string());
    match &err {
        SdkError::ServiceError(service) => {
            let e = service.err();
            let code = e.code().unwrap_or("UnknownError");
            let detail = format!("{code}: {}", e.message().unwrap_or("no message"));
            match code {
                "ThrottlingException"
                | "ServiceQuotaExceededException"
                | "ServiceUnavailableException"
                | "TooManyRequestsException" => ProviderError::Throttled(detail),
                "AccessDeniedException"
                | "UnrecognizedClientException"
                | "ExpiredTokenException"
                | "InvalidSignatureException"
                | "MissingAuthenticationTokenException" => ProviderError::Auth(detail),
                "ModelTimeoutException" => ProviderError::Timeout(detail),
                "ModelStreamErrorException" | "InternalServerException" | "ModelErrorException" => {
                    ProviderError::BadReply(detail)
                }
                _ => ProviderError::Rejected(detail),
            }
        }
        SdkError::TimeoutError(_) => ProviderError::Timeout(described),
        SdkError::DispatchFailure(failure) if failure.is_timeout() => {
            ProviderError::Timeout(described)
        }
        SdkError::ResponseError(_) => ProviderError::BadReply(described),
        _ => ProviderError::Transport(described),
    }
}

/// JSON to the SDK's document type (tool input schemas).
fn to_document(value: &Value) -> Document {
    match value {
        Value::Null => Document::Null,
        Value::Bool(b) => Document::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Document::Number(Number::PosInt(u)),
            (None, Some(i)) => Document::Number(Number::NegInt(i)),
            (None, None) => Document::Number(Number::Float(n.as_f64().unwrap_or(0.0))),
        },
        Value::String(s) => Document::String(s.clone()),
        Value::Array(items) => Document::Array(items.iter().map(to_document).collect()),
        Value::Object(map) => Document::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), to_document(v)))
                .collect(),
        ),
    }
}

/// The SDK's document type to JSON (tool inputs in Converse replies).
fn from_document(doc: &Document) -> Value {
    match doc {
        Document::Null => Value::Null,
        Document::Bool(b) => Value::Bool(*b),
        Document::Number(Number::PosInt(u)) => Value::from(*u),
        Document::Number(Number::NegInt(i)) => Value::from(*i),
        Document::Number(Number::Float(f)) => {
            serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
        }
        Document::String(s) => Value::String(s.clone()),
        Document::Array(items) => Value::Array(items.iter().map(from_document).collect()),
        Document::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), from_document(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use pretty_assertions::assert_eq;
    use serde_json::json;

    use super::*;

    #[test]
    fn documents_round_trip_json() {
        let value = json!({"a": [1, -2, 2.5, true, null, "x"], "b": {"c": "d"}});
        assert_eq!(from_document(&to_document(&value)), value);
    }
}
