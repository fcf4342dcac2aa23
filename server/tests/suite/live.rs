//! A real `devos` process on a temporary data dir and a free port, with a
//! user and an API token made through the real CLI.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use futures_util::StreamExt as _;
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::process::{Child, Command};
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::http::HeaderValue;

/// A live-event socket of the test user.
pub type EventSocket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

const BIN: &str = env!("CARGO_BIN_EXE_devos");

/// A running server and a client for it.
pub struct LiveServer {
    pub base: String,
    pub token: String,
    pub data_dir: TempDir,
    pub home: TempDir,
    env: Vec<(String, String)>,
    child: Child,
    client: reqwest::Client,
}

fn command(data_dir: &Path, home: &Path, env: &[(String, String)]) -> Command {
    let mut command = Command::new(BIN);
    command
        .env_remove("DEVOS_CONFIG")
        .env_remove("DEVOS_PROVIDERS")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .env("DEVOS_DATA_DIR", data_dir)
        .env("HOME", home)
        .env("DEVOS_LOG", "warn,server=info")
        .current_dir(home)
        .kill_on_drop(true);
    command
}

/// Runs `command` with `stdin` as its input; waits at most 60 s.
pub async fn output_with_stdin(command: &mut Command, stdin: &str) -> std::process::Output {
    use tokio::io::AsyncWriteExt as _;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).await.unwrap();
    drop(input);
    tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("the command did not finish within 60 s")
        .unwrap()
}

async fn cli(data_dir: &Path, home: &Path, args: &[&str], stdin: &str) -> String {
    let output = output_with_stdin(command(data_dir, home, &[]).args(args), stdin).await;
    assert!(
        output.status.success(),
        "devos {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

impl LiveServer {
    pub async fn start() -> Self {
        Self::start_with(Vec::new()).await
    }

    /// Starts a server with extra environment variables (providers, AWS endpoint, config).
    pub async fn start_with(env: Vec<(String, String)>) -> Self {
        let data_dir = tempfile::tempdir().unwrap();
        let home = tempfile::tempdir().unwrap();
        cli(
            data_dir.path(),
            home.path(),
            &["user", "add", "tester", "--password-stdin"],
            "long enough password\n",
        )
        .await;
        let token = cli(
            data_dir.path(),
            home.path(),
            &["token", "create", "--user", "tester"],
            "",
        )
        .await
        .trim()
        .to_owned();
        let (child, base) = spawn(data_dir.path(), home.path(), &env).await;
        Self {
            base,
            token,
            data_dir,
            home,
            env,
            child,
            // The server closes connections idle for 10 s (its header deadline):
            // drop pooled ones before that.
            client: reqwest::Client::builder()
                .pool_idle_timeout(Duration::from_secs(5))
                .build()
                .unwrap(),
        }
    }

    /// Kills the server without letting it finish anything, then starts it again.
    pub async fn kill_and_restart(&mut self) {
        self.stop_with("KILL").await;
        self.restart().await;
    }

    /// The server's resident memory in KiB (`VmRSS`).
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }

    /// The server's pid.
    pub fn pid(&self) -> i32 {
        i32::try_from(self.child.id().unwrap()).unwrap()
    }

    /// Sends `signal` (`KILL`, `TERM`, …) to the server and waits until it
    /// has exited, failing after 30 s.
    pub async fn stop_with(&mut self, signal: &str) {
        let sent = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.pid().to_string())
            .status()
            .unwrap();
        assert!(sent.success(), "kill -{signal} failed");
        tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .expect("the server did not exit within 30 s")
            .unwrap();
    }

    /// Starts the server again on the same data dir (after [`Self::stop_with`]).
    pub async fn restart(&mut self) {
        let (child, base) = spawn(self.data_dir.path(), self.home.path(), &self.env).await;
        self.child = child;
        self.base = base;
    }

    /// A `devos` command line on this server's data dir and home, with
    /// `DEVOS_URL` pointing at it and the token saved where `ask` reads it.
    pub fn devos(&self) -> Command {
        let mut command = command(self.data_dir.path(), self.home.path(), &self.env);
        command
            .env("DEVOS_URL", &self.base)
            .env("XDG_CONFIG_HOME", self.home.path().join(".config"));
        command
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let response = self
            .client
            .post(self.url(path))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// `POST /api/v1/command/{job}/{action}`: `approve`, `cancel`, `undo`, `redo`.
    pub async fn act(&self, job_id: &Value, action: &str, body: &Value) -> (u16, Value) {
        self.post(&format!("/api/v1/command/{job_id}/{action}"), body)
            .await
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let response = self.get_response(path).await;
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// A `GET` whose answer is text (a log download).
    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.get_response(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    /// A `GET` with the tester's token.
    async fn get_response(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
    }

    /// Logs the tester in through the login server function, as a browser
    /// does; the session cookie (`devos_session=…`).
    pub async fn session_cookie(&self) -> String {
        let login = self
            .client
            .post(self.url("/api/auth/login"))
            .header("origin", &self.base)
            .header("accept", "application/json")
            .form(&[("username", "tester"), ("password", "long enough password")])
            .send()
            .await
            .unwrap();
        login
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| {
                v.split(';')
                    .next()
                    .filter(|c| c.starts_with("devos_session="))
            })
            .expect("a session cookie")
            .to_owned()
    }

    /// Calls a server function (`/api/…`) with a form body and `cookie`, as
    /// the browser does; the status and the body text.
    pub async fn server_fn(
        &self,
        cookie: &str,
        path: &str,
        form: &[(&str, &str)],
    ) -> (u16, String) {
        let response = self
            .client
            .post(self.url(path))
            .header("origin", &self.base)
            .header("accept", "application/json")
            .header("cookie", cookie)
            .form(form)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    pub async fn submit(&self, command: &str, cwd: &Path) -> Value {
        let (status, body) = self
            .post(
                "/api/v1/command",
                &json!({ "command": command, "context": { "cwd": cwd } }),
            )
            .await;
        assert_eq!(status, 200, "{command}: {body}");
        body
    }

    pub async fn status(&self, job_id: &Value) -> Value {
        let (status, body) = self.get(&format!("/api/v1/command/{job_id}/status")).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// Waits until `done(status)` holds, failing after 20 s: checks the
    /// status, then again after each event of the user's socket, which was
    /// open before the first check, so no change goes unseen.
    pub async fn wait_for(&self, job_id: &Value, done: impl Fn(&str) -> bool) -> Value {
        self.until("the job to get there", || async {
            let body = self.status(job_id).await;
            done(body["status"].as_str().unwrap_or_default()).then_some(body)
        })
        .await
    }

    /// The user's live-event socket, past its `hello`.
    pub async fn events(&self) -> EventSocket {
        let mut request = self
            .url("/ws/events")
            .replace("http://", "ws://")
            .into_client_request()
            .unwrap();
        request.headers_mut().insert(
            "authorization",
            HeaderValue::from_str(&format!("Bearer {}", self.token)).unwrap(),
        );
        let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
        let hello = next_json(&mut socket).await;
        assert_eq!(hello["type"], "hello", "{hello}");
        socket
    }

    /// Runs `probe` now and after every event the server sends this user
    /// until it answers `Some`, failing after 20 s (with `what`). Waits on
    /// events, never on a timer.
    pub async fn until<T, Probe>(&self, what: &str, mut probe: impl FnMut() -> Probe) -> T
    where
        Probe: std::future::Future<Output = Option<T>>,
    {
        let mut socket = self.events().await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(found) = probe().await {
                return found;
            }
            match tokio::time::timeout_at(deadline, socket.next()).await {
                Ok(Some(Ok(_))) => {}
                Ok(other) => panic!("the event socket ended while waiting for {what}: {other:?}"),
                Err(_) => panic!("waited 20 s for {what}"),
            }
        }
    }

    pub async fn wait_final(&self, job_id: &Value) -> Value {
        self.wait_for(job_id, |s| {
            matches!(
                s,
                "completed" | "failed" | "rejected" | "cancelled" | "expired" | "interrupted"
            )
        })
        .await
    }
}

/// The next frame of an event socket as JSON, within 10 s.
pub async fn next_json(socket: &mut EventSocket) -> Value {
    let message = tokio::time::timeout(Duration::from_secs(10), socket.next())
        .await
        .expect("an event within 10 s")
        .expect("the socket stays open")
        .expect("a valid frame");
    serde_json::from_str(message.to_text().unwrap()).unwrap()
}

/// Starts `devos serve` on a free port and waits until it listens.
async fn spawn(data_dir: &Path, home: &Path, env: &[(String, String)]) -> (Child, String) {
    let mut child = command(data_dir, home, env)
        .arg("serve")
        .env("DEVOS_ADDR", "127.0.0.1:0")
        .env("DEVOS_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = listening_base(&mut child).await;
    (child, base)
}

/// Reads a starting server's stderr until it says where it listens, then
/// keeps draining it (so the server never blocks on a full pipe).
pub async fn listening_base(child: &mut Child) -> String {
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let base = tokio::time::timeout(Duration::from_secs(30), async {
        let mut said = Vec::new();
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(rest) = line.split("listening on ").nth(1) {
                return rest.split_whitespace().next().unwrap().to_owned();
            }
            said.push(line);
        }
        panic!("server exited before listening:\n{}", said.join("\n"));
    })
    .await
    .expect("server did not start within 30 s");
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    base
}

/// A listing of a tree: relative path, size and content hash, sorted.
pub fn listing(root: &Path) -> Vec<(PathBuf, u64, u64)> {
    use std::hash::{DefaultHasher, Hash as _, Hasher as _};
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path.clone());
                out.push((path.strip_prefix(root).unwrap().to_path_buf(), 0, 0));
            } else {
                let bytes = std::fs::read(&path).unwrap();
                let mut hasher = DefaultHasher::new();
                bytes.hash(&mut hasher);
                out.push((
                    path.strip_prefix(root).unwrap().to_path_buf(),
                    bytes.len() as u64,
                    hasher.finish(),
                ));
            }
        }
    }
    out.sort();
    out
}
