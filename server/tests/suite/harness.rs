//! A real router on a temporary data dir, driven with `oneshot`.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, Response, StatusCode, header};
use engine::config::{Config, Overrides};
use http_body_util::BodyExt as _;
use tempfile::TempDir;
use tower::ServiceExt as _;

use server::state::AppState;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestServer {
    pub router: Router,
    pub state: AppState,
    pub setup_token: Option<String>,
    _data_dir: TempDir,
    _home: TempDir,
}

impl TestServer {
    /// Waits (on the engine's events, 20 s at most) until `job` has ended.
    pub async fn wait_final(&self, user_id: i64, job: engine::job::JobId) {
        let engine = &self.state.ctx.engine;
        let mut events = engine.subscribe();
        while !engine
            .detail(job, user_id)
            .await
            .unwrap()
            .job
            .status
            .is_final()
        {
            tokio::time::timeout(std::time::Duration::from_secs(20), events.recv())
                .await
                .expect("the job finishes")
                .unwrap();
        }
    }

    pub async fn new() -> Self {
        Self::with_client("127.0.0.1:40000").await
    }

    pub async fn with_client(client: &str) -> Self {
        let data_dir = tempfile::tempdir().unwrap();
        let home = tempfile::tempdir().unwrap();
        Self::build(data_dir, home, client).await
    }

    /// The same data dir and home served anew, as after a restart.
    pub async fn restarted(self) -> Self {
        let Self {
            _data_dir, _home, ..
        } = self;
        Self::build(_data_dir, _home, "127.0.0.1:40000").await
    }

    async fn build(data_dir: TempDir, home: TempDir, client: &str) -> Self {
        let config = Config::load(&Overrides {
            data_dir: Some(data_dir.path().to_path_buf()),
            home: Some(home.path().to_path_buf()),
            ..Overrides::default()
        })
        .unwrap();
        let host = server::serve::Host {
            home: home.path().to_path_buf(),
            user_policy: None,
            models: engine::models::ModelsOverrides::default(),
        };
        let (state, setup_token) = server::serve::build_state(config, host).await.unwrap();
        let client: SocketAddr = client.parse().unwrap();
        let router = server::router::router(state.clone()).layer(MockConnectInfo(client));
        Self {
            router,
            state,
            setup_token,
            _data_dir: data_dir,
            _home: home,
        }
    }

    pub async fn send(&self, request: Request<Body>) -> Response<Body> {
        self.router.clone().oneshot(request).await.unwrap()
    }

    /// Creates a user directly in the store.
    pub async fn add_user(&self, name: &str) -> engine::store::User {
        engine::auth::create_user(&self.state.ctx.store, name, PASSWORD)
            .await
            .unwrap()
    }

    /// Posts a form to a server function like a browser on this origin would.
    pub async fn post_form(&self, path: &str, form: &str, cookie: Option<&str>) -> Response<Body> {
        let mut request = Request::post(path)
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::ORIGIN, "http://127.0.0.1:8080")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(form.to_owned())).unwrap())
            .await
    }

    pub async fn login(&self, user: &str, password: &str) -> Response<Body> {
        self.post_form(
            "/api/auth/login",
            &format!("username={user}&password={}", urlencode(password)),
            None,
        )
        .await
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Response<Body> {
        let mut request = Request::get(path).header(header::HOST, "127.0.0.1:8080");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }
}

pub fn urlencode(text: &str) -> String {
    text.replace('%', "%25")
        .replace(' ', "+")
        .replace('&', "%26")
}

/// The `name=value` of the session cookie a response sets, if any.
pub fn session_cookie(response: &Response<Body>) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("devos_session="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

pub async fn body_text(response: Response<Body>) -> String {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8_lossy(&bytes).into_owned()
}

pub async fn body_json(response: Response<Body>) -> serde_json::Value {
    let text = body_text(response).await;
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

pub fn assert_status(response: &Response<Body>, status: StatusCode) {
    assert_eq!(
        response.status(),
        status,
        "headers: {:?}",
        response.headers()
    );
}
