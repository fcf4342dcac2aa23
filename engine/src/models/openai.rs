//! Any OpenAI-compatible `/v1/chat/completions` server (Ollama, llama.cpp
//! server, vLLM, LM Studio): the plan is asked for with a `json_schema`
//! response format and streamed back as server-sent events, usage in the last
//! chunk. The API key is sent only in the `Authorization` header and never
//! appears in errors or logs.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use futures::StreamExt;
use serde_json::{Value, json};

use super::config::{ModelSpec, Secret};
use super::provider::{ModelProvider, ModelReply, Prompt, ProviderError, TextSink, snippet};
use super::schema::PLAN_TOOL_NAME;

/// How to reach the server.
#[derive(Debug, Clone)]
pub struct OpenAiSettings {
    /// Base URL (`http://127.0.0.1:11434/v1`); `/chat/completions` is appended
    /// to one ending in `/v1`, `/v1/chat/completions` to any other.
    pub base_url: String,
    /// Bearer key, for servers that want one.
    pub api_key: Option<Secret>,
    /// Deadline for one call, stream included.
    pub timeout: Duration,
    /// Attempts per call while the server answers 429 or 503 (1 = no retry).
    pub max_attempts: u32,
    /// Wait before the first retry; it doubles each time.
    pub initial_backoff: Duration,
}

/// The OpenAI-compatible provider.
#[derive(Debug, Clone)]
pub struct OpenAiProvider {
    http: reqwest::Client,
    url: String,
    api_key: Option<Secret>,
    max_attempts: u32,
    initial_backoff: Duration,
}

impl OpenAiProvider {
    /// Builds the HTTP client. Fails only when the TLS backend cannot start.
    pub fn new(settings: &OpenAiSettings) -> Result<Self, ProviderError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(settings.timeout)
            .build()
            .map_err(|e| {
                ProviderError::Transport(format!("could not build the HTTP client: {e}"))
            })?;
        let base = settings.base_url.trim_end_matches('/');
        let url = if base.ends_with("/v1") {
            format!("{base}/chat/completions")
        } else {
            format!("{base}/v1/chat/completions")
        };
        Ok(Self {
            http,
            url,
            api_key: settings.api_key.clone(),
            max_attempts: settings.max_attempts.max(1),
            initial_backoff: settings.initial_backoff,
        })
    }
}

/// The request body.
fn request_body(model: &ModelSpec, prompt: &Prompt) -> Value {
    json!({
        "model": model.model_id,
        "messages": [
            {"role": "system", "content": prompt.system},
            {"role": "user", "content": prompt.user},
        ],
        "temperature": 0,
        "max_tokens": model.max_output_tokens,
        "stream": true,
        "stream_options": {"include_usage": true},
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": PLAN_TOOL_NAME, "schema": prompt.schema, "strict": true},
        },
    })
}

fn status_error(status: reqwest::StatusCode, body: &str) -> ProviderError {
    let detail = format!("HTTP {}: {}", status.as_u16(), snippet(body));
    match status.as_u16() {
        429 => ProviderError::Throttled(detail),
        401 | 403 => ProviderError::Auth(detail),
        408 | 504 => ProviderError::Timeout(detail),
        500..=599 => ProviderError::Transport(detail),
        _ => ProviderError::Rejected(detail),
    }
}

fn transport_error(err: reqwest::Error) -> ProviderError {
    // Without the URL: it is ours, and a key could be embedded in a proxy URL.
    let err = err.without_url();
    let err_text = err.to_string();
    if err.is_timeout() {
        ProviderError::Timeout(err_text)
    } else if err.is_decode() || err.is_body() {
        ProviderError::BadReply(err_text)
    } else {
        ProviderError::Transport(err_text)
    }
}

/// What one stream chunk added.
#[derive(Debug, Default, PartialEq)]
struct Chunk {
    text: String,
    usage: Option<(u64, u64)>,
}

/// Reads one `data:` payload. `Ok(None)` is the `[DONE]` marker.
fn parse_chunk(data: &str) -> Result<Option<Chunk>, ProviderError> {
    if data == "[DONE]" {
        return Ok(None);
    }
    let value: Value = serde_json::from_str(data).map_err(|e| {
        ProviderError::BadReply(format!("bad stream chunk ({e}): {}", snippet(data)))
    })?;
    if let Some(error) = value.get("error") {
        let message = error
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("unknown error");
        return Err(ProviderError::Rejected(snippet(message)));
    }
    let text = value
        .pointer("/choices/0/delta/content")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let usage = value.get("usage").filter(|u| !u.is_null()).map(|u| {
        let count = |key: &str| u.get(key).and_then(Value::as_u64).unwrap_or(0);
        (count("prompt_tokens"), count("completion_tokens"))
    });
    Ok(Some(Chunk { text, usage }))
}

#[async_trait]
impl ModelProvider for OpenAiProvider {
    async fn complete(
        &self,
        model: &ModelSpec,
        prompt: &Prompt,
        on_text: &TextSink<'_>,
    ) -> Result<ModelReply, ProviderError> {
        let started = Instant::now();
        let body = request_body(model, prompt);
        let mut backoff = self.initial_backoff;
        let mut attempt = 1;
        let response = loop {
            let mut request = self.http.post(&self.url).json(&body);
            if let Some(key) = &self.api_key {
                request = request.bearer_auth(key.expose());
            }
            let response = request.send().await.map_err(transport_error)?;
            let status = response.status();
            if status.is_success() {
                break response;
            }
            let busy = matches!(status.as_u16(), 429 | 503);
            if busy && attempt < self.max_attempts {
                // A throttled local server usually frees up within seconds.
                tokio::time::sleep(backoff).await;
                backoff = backoff.saturating_mul(2);
                attempt += 1;
                continue;
            }
            let text = response.text().await.unwrap_or_default();
            return Err(status_error(status, &text));
        };
        let mut stream = response.bytes_stream();
        let (mut buffer, mut text, mut usage) = (Vec::<u8>::new(), String::new(), None);
        let mut done = false;
        while !done {
            let Some(bytes) = stream.next().await else {
                break;
            };
            buffer.extend_from_slice(&bytes.map_err(transport_error)?);
            while let Some(end) = buffer.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = buffer.drain(..=end).collect();
                let line = String::from_utf8_lossy(&line);
                let Some(data) = line.trim().strip_prefix("data:") else {
                    continue;
                };
                match parse_chunk(data.trim())? {
                    Some(chunk) => {
                        if !chunk.text.is_empty() {
                            on_text(&chunk.text);
                            text.push_str(&chunk.text);
                        }
                        usage = chunk.usage.or(usage);
                    }
                    None => done = true,
                }
            }
        }
        // Servers that ignore `include_usage` get a chars/4 estimate.
        let estimate = |s: &str| u64::try_from(s.chars().count().div_ceil(4)).unwrap_or(u64::MAX);
        let (input_tokens, output_tokens) = usage.unwrap_or_else(|| {
            (
                estimate(&prompt.system) + estimate(&prompt.user),
                estimate(&text),
            )
        });
        Ok(ModelReply {
            text,
            input_tokens,
            output_tokens,
            latency: started.elapsed(),
        })
    }
}

#[cfg(test)]
mod tests {
    use pretty_assertions::assert_eq;

    use super::*;

    #[test]
    fn parses_stream_chunks() {
        let cases = [
            (
                r#"{"choices":[{"delta":{"content":"{\"a\""}}]}"#,
                Some(Chunk {
                    text: "{\"a\"".into(),
                    usage: None,
                }),
            ),
            (
                r#"{"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4}}"#,
                Some(Chunk {
                    text: String::new(),
                    usage: Some((9, 4)),
                }),
            ),
            ("[DONE]", None),
        ];
        for (data, expected) in cases {
            assert_eq!(parse_chunk(data), Ok(expected), "{data}");
        }
        assert!(matches!(
            parse_chunk("garbage"),
            Err(ProviderError::BadReply(_))
        ));
    }
}
