//! `devos ask` through the running server: REST v1 with the saved token, the
//! log streamed over `/ws/events`. The job is the server's, so open browsers
//! show it live, exactly like one typed into the console.

use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context as _, anyhow};
use futures_util::StreamExt as _;
use protocol::{JobStatus, LiveEvent, LogStream, SafetyLevel};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

use super::render::{PlannedStep, confirm, print_plan, use_color};

/// Where the server is and who we are to it.
#[derive(Debug, Clone)]
pub struct Remote {
    /// `http://127.0.0.1:8080`, no trailing slash.
    pub base: String,
    /// The bearer token.
    pub token: String,
}

/// What one `ask` does.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The request in plain language.
    pub text: &'a str,
    /// Directory to run in.
    pub cwd: &'a Path,
    /// Approve without asking.
    pub yes: bool,
    /// Print the final status as JSON on stdout (everything else on stderr).
    pub json: bool,
}

/// Why `ask` could not get a job to a final state.
#[derive(Debug, thiserror::Error)]
pub enum AskError {
    /// Nothing listens at the address.
    #[error(
        "DevOS is not running at {0}. Start it with `devos serve` (or `systemctl --user start devos`), or run the request in this process with `devos ask --local`."
    )]
    NotRunning(String),
    /// Anything else, with its explanation.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

#[derive(Debug, Deserialize)]
struct Submitted {
    job_id: i64,
}

#[derive(Debug, Deserialize)]
struct JobView {
    job_id: i64,
    status: JobStatus,
    interpretation: String,
    steps: Vec<StepView>,
}

#[derive(Debug, Deserialize)]
struct StepView {
    description: String,
    command: String,
    level: SafetyLevel,
    reasons: Vec<String>,
    preview: String,
}

impl Remote {
    fn client() -> anyhow::Result<reqwest::Client> {
        // Planning with a model may take a while; the server bounds it. The
        // server closes connections idle for 10 s (its header deadline), and
        // the y/N question can take longer: drop pooled ones before that.
        Ok(reqwest::Client::builder()
            .pool_idle_timeout(Duration::from_secs(5))
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(300))
            .build()?)
    }

    async fn call(
        &self,
        client: &reqwest::Client,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, AskError> {
        let mut request = client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.map_err(|error| {
            if error.is_connect() {
                AskError::NotRunning(self.base.clone())
            } else {
                AskError::Other(anyhow!("talking to DevOS at {}: {error}", self.base))
            }
        })?;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if status.is_success() {
            return Ok(body);
        }
        let message = body["error"]["message"]
            .as_str()
            .map_or_else(|| status.to_string(), str::to_owned);
        if status == reqwest::StatusCode::UNAUTHORIZED {
            return Err(anyhow!(
                "DevOS refused the saved token ({message}); make a new one with `devos token create --user NAME --save`"
            )
            .into());
        }
        Err(anyhow!("DevOS answered {status}: {message}").into())
    }

    async fn job(&self, client: &reqwest::Client, job_id: i64) -> Result<Value, AskError> {
        self.call(
            client,
            reqwest::Method::GET,
            &format!("/api/v1/command/{job_id}/status"),
            None,
        )
        .await
    }

    /// Opens the event stream and waits for its greeting, so no event of the
    /// job submitted next can be missed. Frames go to the returned channel.
    async fn listen(&self) -> Result<mpsc::UnboundedReceiver<LiveEvent>, AskError> {
        let url = format!("{}/ws/events", self.base.replacen("http", "ws", 1));
        let mut request = url
            .as_str()
            .into_client_request()
            .context("building the event stream request")?;
        request.headers_mut().insert(
            "authorization",
            format!("Bearer {}", self.token)
                .parse()
                .context("the token is not a valid header")?,
        );
        let (socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .map_err(|error| match error {
                tokio_tungstenite::tungstenite::Error::Io(_) => {
                    AskError::NotRunning(self.base.clone())
                }
                tokio_tungstenite::tungstenite::Error::Http(response)
                    if response.status() == 401 =>
                {
                    AskError::Other(anyhow!(
                        "DevOS refused the saved token; make a new one with `devos token create --user NAME --save`"
                    ))
                }
                other => AskError::Other(anyhow!("opening the event stream: {other}")),
            })?;
        let (_, mut frames) = socket.split();
        let (sender, mut receiver) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Some(Ok(frame)) = frames.next().await {
                if let Message::Text(text) = frame
                    && let Ok(event) = serde_json::from_str::<LiveEvent>(&text)
                    && sender.send(event).is_err()
                {
                    break;
                }
            }
        });
        match tokio::time::timeout(Duration::from_secs(10), receiver.recv()).await {
            Ok(Some(LiveEvent::Hello)) => Ok(receiver),
            _ => Err(anyhow!("the event stream did not greet within 10 s").into()),
        }
    }

    /// Submits, shows the plan, asks, streams the log; returns the final
    /// status answer (`GET /api/v1/command/{id}/status`).
    pub async fn ask(&self, request: &Request<'_>) -> Result<Value, AskError> {
        let client = Self::client()?;
        let mut events = self.listen().await?;
        let submitted = self
            .call(
                &client,
                reqwest::Method::POST,
                "/api/v1/command",
                Some(json!({ "command": request.text, "context": { "cwd": request.cwd } })),
            )
            .await?;
        let job_id = serde_json::from_value::<Submitted>(submitted)
            .context("reading the submitted job")?
            .job_id;
        let view: JobView =
            serde_json::from_value(self.job(&client, job_id).await?).context("reading the job")?;
        // With --json stdout carries only the final answer.
        let mut human: Box<dyn std::io::Write> = if request.json {
            Box::new(std::io::stderr())
        } else {
            Box::new(std::io::stdout())
        };
        let steps: Vec<PlannedStep> = view.steps.iter().map(planned).collect();
        let color = !request.json && use_color();
        print_plan(&mut human, color, view.job_id, &view.interpretation, &steps)
            .context("writing the plan")?;
        if view.status == JobStatus::Pending {
            let approved = request.yes || confirm(&mut human).context("reading the answer")?;
            let answer = self
                .call(
                    &client,
                    reqwest::Method::POST,
                    &format!("/api/v1/command/{job_id}/approve"),
                    Some(json!({ "approved": approved, "note": "from devos ask" })),
                )
                .await;
            if let Err(error) = answer {
                writeln!(human, "{error}").ok();
            }
        }
        self.follow(&client, &mut events, job_id, request.json, &mut human)
            .await?;
        self.job(&client, job_id).await
    }

    /// Prints the job's output lines as they arrive until it is final;
    /// Ctrl-C cancels the job (and keeps waiting for it to end).
    async fn follow(
        &self,
        client: &reqwest::Client,
        events: &mut mpsc::UnboundedReceiver<LiveEvent>,
        job_id: i64,
        quiet: bool,
        human: &mut dyn std::io::Write,
    ) -> Result<(), AskError> {
        let mut cancelled = false;
        loop {
            let event = tokio::select! {
                event = events.recv() => event,
                _ = tokio::signal::ctrl_c(), if !cancelled => {
                    cancelled = true;
                    writeln!(human, "cancelling job {job_id}…").ok();
                    self.call(client, reqwest::Method::POST, &format!("/api/v1/command/{job_id}/cancel"), None).await?;
                    continue;
                }
            };
            match event {
                Some(LiveEvent::Log {
                    job_id: id,
                    stream,
                    line,
                    ..
                }) if id.0 == job_id && !quiet => print_line(stream, &line),
                Some(LiveEvent::JobUpdate {
                    job_id: id, status, ..
                }) if id.0 == job_id && status.is_final() => {
                    return Ok(());
                }
                Some(LiveEvent::Resync { .. }) => {
                    writeln!(
                        human,
                        "(some output was missed; the job's page has all of it)"
                    )
                    .ok();
                    if self.is_final(client, job_id).await? {
                        return Ok(());
                    }
                }
                None => {
                    // The stream ended (a server restart): poll instead.
                    return self.poll_until_final(client, job_id).await;
                }
                Some(_) => {}
            }
        }
    }

    async fn is_final(&self, client: &reqwest::Client, job_id: i64) -> Result<bool, AskError> {
        let job = self.job(client, job_id).await?;
        Ok(job_status(&job)?.is_final())
    }

    /// After the event stream ended (a restart under systemd): polls the
    /// status, waiting up to 30 s for the server to come back.
    async fn poll_until_final(
        &self,
        client: &reqwest::Client,
        job_id: i64,
    ) -> Result<(), AskError> {
        let mut unreachable_since = None;
        let mut every = tokio::time::interval(Duration::from_millis(500));
        loop {
            every.tick().await;
            match self.is_final(client, job_id).await {
                Ok(true) => return Ok(()),
                Ok(false) => unreachable_since = None,
                Err(AskError::NotRunning(base)) => {
                    let since = *unreachable_since.get_or_insert_with(tokio::time::Instant::now);
                    if since.elapsed() > Duration::from_secs(30) {
                        return Err(anyhow!(
                            "lost DevOS at {base} while job {job_id} was running; its History page shows how it ended once DevOS is back"
                        )
                        .into());
                    }
                }
                Err(other) => return Err(other),
            }
        }
    }
}

fn planned(step: &StepView) -> PlannedStep {
    PlannedStep {
        level: step.level,
        description: step.description.clone(),
        detail: if step.preview.is_empty() {
            step.command.clone()
        } else {
            step.preview.clone()
        },
        reasons: step.reasons.clone(),
    }
}

/// A step's line: stdout to stdout, everything else to stderr.
fn print_line(stream: LogStream, line: &str) {
    let written = if stream == LogStream::Stdout {
        writeln!(std::io::stdout().lock(), "{line}")
    } else {
        writeln!(std::io::stderr().lock(), "{line}")
    };
    // A closed pipe (`devos ask … | head`) is not the job's problem.
    drop(written);
}

/// The error text of a final job, if any.
pub fn job_error(job: &Value) -> Option<&str> {
    job["error"].as_str()
}

/// Reads a status answer's `status`.
pub fn job_status(job: &Value) -> anyhow::Result<JobStatus> {
    let status = job["status"].as_str().unwrap_or_default();
    status
        .parse()
        .map_err(|error| anyhow!("DevOS answered an unknown job status: {error}"))
}
