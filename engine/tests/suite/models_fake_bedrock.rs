//! A fake Amazon Bedrock runtime endpoint: an axum server on 127.0.0.1:0
//! speaking the real `Converse` (JSON) and `ConverseStream`
//! (`application/vnd.amazon.eventstream`) wire formats, answering from a
//! script and recording every request it gets.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use aws_smithy_eventstream::frame::write_message_to;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use axum::body::{Body, Bytes};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde_json::{Value, json};

/// One scripted answer.
#[derive(Debug, Clone)]
pub enum Reply {
    /// The plan (any JSON) as the forced tool call's input.
    Tool { input: Value, tokens: (u64, u64) },
    /// Plain text content.
    Text { text: String, tokens: (u64, u64) },
    /// `429` with `x-amzn-errortype: ThrottlingException`.
    Throttle,
    /// `403` with `x-amzn-errortype: AccessDeniedException`.
    Denied,
    /// A 200 with a body that is not an event stream at all.
    Garbage,
}

/// A request the fake received.
#[derive(Debug, Clone)]
pub struct Captured {
    /// Path as sent (model id percent-encoded).
    pub path: String,
    /// JSON body.
    pub body: Value,
}

#[derive(Default)]
struct State {
    script: VecDeque<Reply>,
    requests: Vec<Captured>,
}

/// The running fake.
#[derive(Clone)]
pub struct FakeBedrock {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl FakeBedrock {
    /// Starts the fake with a script of replies, served in order.
    pub async fn start(script: Vec<Reply>) -> Self {
        let state = Arc::new(Mutex::new(State {
            script: script.into(),
            requests: Vec::new(),
        }));
        let shared = state.clone();
        let app = axum::Router::new().fallback(move |uri: Uri, body: Bytes| {
            let state = shared.clone();
            async move { answer(&state, &uri, &body) }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { url, state }
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Captured> {
        self.state.lock().unwrap().requests.clone()
    }
}

fn answer(state: &Mutex<State>, uri: &Uri, body: &[u8]) -> Response {
    let path = uri.path().to_owned();
    let reply = {
        let mut state = state.lock().unwrap();
        state.requests.push(Captured {
            path: path.clone(),
            body: serde_json::from_slice(body).unwrap_or(Value::Null),
        });
        state.script.pop_front()
    };
    let streaming = path.ends_with("/converse-stream");
    match reply {
        Some(Reply::Tool { input, tokens }) => success(streaming, Content::Tool(input), tokens),
        Some(Reply::Text { text, tokens }) => success(streaming, Content::Text(text), tokens),
        Some(Reply::Throttle) => error(
            StatusCode::TOO_MANY_REQUESTS,
            "ThrottlingException",
            "Too many requests, please wait before trying again.",
        ),
        Some(Reply::Denied) => error(
            StatusCode::FORBIDDEN,
            "AccessDeniedException",
            "You don't have access to the model with the specified model ID.",
        ),
        Some(Reply::Garbage) => Response::builder()
            .header("content-type", "application/vnd.amazon.eventstream")
            .body(Body::from(&b"\x00\x00\x00\x10not an event stream"[..]))
            .unwrap(),
        None => error(
            StatusCode::BAD_REQUEST,
            "ValidationException",
            "script exhausted",
        ),
    }
}

enum Content {
    Tool(Value),
    Text(String),
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header(
            "x-amzn-errortype",
            format!("{code}:http://internal.amazon.com/coral/com.amazon.bedrock/"),
        )
        .header("x-amzn-requestid", "fake-request")
        .body(Body::from(json!({"message": message}).to_string()))
        .unwrap()
}

fn usage((input, output): (u64, u64)) -> Value {
    json!({"inputTokens": input, "outputTokens": output, "totalTokens": input + output})
}

fn success(streaming: bool, content: Content, tokens: (u64, u64)) -> Response {
    if !streaming {
        let (block, stop) = match content {
            Content::Tool(input) => (
                json!({"toolUse": {"toolUseId": "tooluse_1", "name": "submit_plan", "input": input}}),
                "tool_use",
            ),
            Content::Text(text) => (json!({"text": text}), "end_turn"),
        };
        let body = json!({
            "output": {"message": {"role": "assistant", "content": [block]}},
            "stopReason": stop,
            "usage": usage(tokens),
            "metrics": {"latencyMs": 42},
        });
        return Response::builder()
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
    }
    let mut events = vec![("messageStart", json!({"role": "assistant"}))];
    let stop = match content {
        Content::Tool(input) => {
            events.push((
                "contentBlockStart",
                json!({"contentBlockIndex": 0, "start": {"toolUse": {"toolUseId": "tooluse_1", "name": "submit_plan"}}}),
            ));
            // Real streams cut the tool input JSON into arbitrary pieces.
            let text = input.to_string();
            let (head, tail) = text.split_at(text.len() / 2);
            for part in [head, tail] {
                events.push((
                    "contentBlockDelta",
                    json!({"contentBlockIndex": 0, "delta": {"toolUse": {"input": part}}}),
                ));
            }
            "tool_use"
        }
        Content::Text(text) => {
            events.push((
                "contentBlockDelta",
                json!({"contentBlockIndex": 0, "delta": {"text": text}}),
            ));
            "end_turn"
        }
    };
    events.push(("contentBlockStop", json!({"contentBlockIndex": 0})));
    events.push(("messageStop", json!({"stopReason": stop})));
    events.push((
        "metadata",
        json!({"usage": usage(tokens), "metrics": {"latencyMs": 42}}),
    ));
    let mut body = Vec::new();
    for (event_type, payload) in events {
        let message = Message::new(payload.to_string().into_bytes())
            .add_header(Header::new(
                ":event-type",
                HeaderValue::String(event_type.to_owned().into()),
            ))
            .add_header(Header::new(
                ":content-type",
                HeaderValue::String("application/json".to_owned().into()),
            ))
            .add_header(Header::new(
                ":message-type",
                HeaderValue::String("event".to_owned().into()),
            ));
        write_message_to(&message, &mut body).unwrap();
    }
    Response::builder()
        .header("content-type", "application/vnd.amazon.eventstream")
        .body(Body::from(body))
        .unwrap()
}
