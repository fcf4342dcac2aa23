//! `devos serve`: opens the store, prints the first-run setup link when no
//! account exists, binds (loopback by default) and serves until SIGINT/SIGTERM,
//! then stops the running jobs' steps before it exits.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use engine::auth::SetupToken;
use engine::config::{Config, Overrides};
use engine::context::{ContextEngine, ContextSettings};
use engine::models::{
    BedrockProvider, BedrockSettings, Budgets, ModelProvider, ModelRouter, ModelsConfig,
    ModelsOverrides, OpenAiProvider, OpenAiSettings, ProviderKind,
};
use engine::pipeline::{Engine, EngineSetup};
use engine::policy::Policy;
use engine::store::{DataDirLock, Store};
use leptos::config::LeptosOptions;
use tower_sessions::ExpiredDeletion as _;
use tower_sessions_sqlx_store::SqliteStore;
use tower_sessions_sqlx_store::sqlx::SqlitePool;

use app::server::AppContext;

use crate::router::router;
use crate::state::AppState;
use crate::systemd::Notifier;

/// What start-up needs besides the configuration.
#[derive(Debug, Clone, Default)]
pub struct Host {
    /// The user's home directory.
    pub home: PathBuf,
    /// User policy rules (`security.toml` beside `DEVOS_CONFIG`), on top of the defaults.
    pub user_policy: Option<String>,
    /// `DEVOS_PROVIDERS`, `DEVOS_OPENAI_*`.
    pub models: ModelsOverrides,
}

impl Host {
    /// Reads the home directory and the user's policy file.
    pub fn detect(overrides: &Overrides) -> anyhow::Result<Self> {
        let home = overrides.home.clone().unwrap_or_else(|| PathBuf::from("/"));
        let policy_path = overrides
            .config_file
            .as_deref()
            .and_then(std::path::Path::parent)
            .map(|dir| dir.join("security.toml"))
            .filter(|path| path.is_file());
        let user_policy = policy_path
            .map(|path| {
                std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))
            })
            .transpose()?;
        Ok(Self {
            home,
            user_policy,
            models: ModelsOverrides::from_env(),
        })
    }
}

/// Builds the shared state: store opened and migrated, engine started,
/// setup token issued when no account exists.
pub async fn build_state(config: Config, host: Host) -> anyhow::Result<(AppState, Option<String>)> {
    let store = Store::open(&config.storage.data_dir)
        .await
        .with_context(|| {
            format!(
                "opening the database in {}",
                config.storage.data_dir.display()
            )
        })?;
    let policy = Policy::load(host.user_policy.as_deref()).context("loading security.toml")?;
    let setup = Arc::new(SetupToken::default());
    let setup_token = (store.count_users().await? == 0).then(|| setup.issue());
    let models = build_models(&config, &host.models).await?;
    let config = Arc::new(config);
    let engine = Engine::start(EngineSetup {
        store: store.clone(),
        config: Arc::clone(&config),
        policy: Arc::new(policy),
        home: host.home,
        parent_env: std::env::vars_os().collect(),
        models,
        context: start_context(&config, store.workspace_roots().await?),
    })
    .await?;
    let ctx = AppContext {
        store,
        config,
        setup,
        engine,
        tokens: Arc::default(),
    };
    let leptos_options = leptos_options(ctx.config.server.addr);
    Ok((
        AppState {
            leptos_options,
            ctx,
        },
        setup_token,
    ))
}

/// Starts the context engine over the workspace roots of the config and
/// those added from the console (`added`); DevOS works without it (plans
/// just lack context), so a failure is logged, not fatal.
fn start_context(config: &Config, added: Vec<std::path::PathBuf>) -> Option<Arc<ContextEngine>> {
    let mut settings = ContextSettings::from_config(config);
    for root in added {
        let overlaps = settings
            .roots
            .iter()
            .any(|known| root.starts_with(known) || known.starts_with(&root));
        if !overlaps {
            settings.roots.push(root);
        }
    }
    let roots: Vec<String> = settings
        .roots
        .iter()
        .map(|r| r.display().to_string())
        .collect();
    match ContextEngine::start(settings) {
        Ok(engine) => {
            tracing::info!(?roots, "context engine watching the workspace roots");
            Some(engine)
        }
        Err(error) => {
            tracing::warn!(%error, "context engine not started; plans will have no context");
            None
        }
    }
}

/// The model router for the enabled providers, or `None` (built-in planner only).
pub async fn build_models(
    config: &Config,
    overrides: &ModelsOverrides,
) -> anyhow::Result<Option<Arc<ModelRouter>>> {
    let models = ModelsConfig::load_default(overrides)?;
    if models.enabled_providers.is_empty() {
        tracing::info!(
            "no model provider enabled (DEVOS_PROVIDERS); the built-in planner plans alone"
        );
        return Ok(None);
    }
    let enabled = models.enabled_providers.clone();
    let openai = OpenAiSettings {
        base_url: models.openai_base_url.clone(),
        api_key: models.openai_api_key.clone(),
        timeout: Duration::from_secs(120),
        max_attempts: 4,
        initial_backoff: Duration::from_millis(500),
    };
    let mut router = ModelRouter::new(models, Budgets::from_config(&config.budgets));
    for kind in enabled {
        let provider: Arc<dyn ModelProvider> = match kind {
            ProviderKind::Bedrock => {
                Arc::new(BedrockProvider::new(&BedrockSettings::default()).await)
            }
            ProviderKind::Openai => Arc::new(OpenAiProvider::new(&openai)?),
        };
        router = router.with_provider(kind, provider);
    }
    let ids: Vec<&str> = router.models().iter().map(|m| m.id.as_str()).collect();
    tracing::info!(models = ?ids, "model providers enabled");
    Ok(Some(Arc::new(router)))
}

/// Leptos options: our address, the site root found beside the binary or in `target/site`.
fn leptos_options(addr: SocketAddr) -> LeptosOptions {
    let site_root = std::env::var("LEPTOS_SITE_ROOT")
        .ok()
        .map(PathBuf::from)
        .or_else(|| {
            let local = PathBuf::from("target/site");
            local.is_dir().then_some(local)
        })
        .or_else(|| {
            // target/<profile>/devos -> target/site
            let exe = std::env::current_exe().ok()?;
            let site = exe.parent()?.parent()?.join("site");
            site.is_dir().then_some(site)
        })
        .unwrap_or_else(|| PathBuf::from("target/site"));
    LeptosOptions::builder()
        .output_name("devos")
        .site_root(site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

/// How long a shutdown waits for running steps to stop (SIGTERM, then
/// SIGKILL a second later) before the process exits anyway; whatever is left
/// then dies with it (parent-death signal, the reaper).
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Starts `devos reap` (this same binary, found through `/proc/self/exe` so a
/// replaced or deleted binary still works), which kills the steps' process
/// groups should this process die. A failure is logged: steps still die with
/// DevOS, only their own children might not.
///
/// Control groups are set up first: DevOS may move itself into a leaf group
/// to hand the memory and pids controllers to its steps, which cgroup v2
/// allows only once no other process is left beside it, so the reaper must
/// start after that move, in the leaf.
pub fn start_reaper() {
    let _ = engine::lifetime::cgroup::support();
    if let Err(error) =
        engine::lifetime::reaper::start(std::path::Path::new("/proc/self/exe"), &["reap"])
    {
        tracing::warn!(%error, "could not start the reaper; a crash could leave a step's children running");
    }
}

/// Refuses an address beyond loopback unless the user said they mean it:
/// DevOS serves plain HTTP, and its pages run commands on this machine.
pub fn check_public_address(addr: SocketAddr, public_ok: bool) -> anyhow::Result<()> {
    if addr.ip().is_loopback() || public_ok {
        return Ok(());
    }
    anyhow::bail!(
        "refusing to listen on {addr}: it is reachable from other machines, and DevOS serves plain HTTP \
         (no TLS) to a page that runs commands here. Keep server.addr on 127.0.0.1 and use an SSH tunnel \
         (README, Remote use), or put a TLS reverse proxy in front and start with --i-know-this-is-public."
    )
}

/// Serves until a shutdown signal arrives. `public_ok` allows an address
/// beyond loopback ([`check_public_address`]).
pub async fn serve(config: Config, host: Host, public_ok: bool) -> anyhow::Result<()> {
    let addr = config.server.addr;
    check_public_address(addr, public_ok)?;
    // Held until exit: `devos restore` refuses to swap the database under us.
    let _data_lock = DataDirLock::acquire(&config.storage.data_dir)?;
    start_reaper();
    let (state, setup_token) = build_state(config, host).await?;
    if !addr.ip().is_loopback() {
        tracing::warn!(%addr, "listening beyond loopback as asked (--i-know-this-is-public)");
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr} (is another DevOS running? set DEVOS_ADDR)"))?;
    let local = listener.local_addr()?;
    tracing::info!(
        address = %local,
        data_dir = %state.ctx.config.storage.data_dir.display(),
        site_root = %state.leptos_options.site_root,
        "DevOS is listening on http://{local}"
    );
    if let Some(token) = setup_token {
        announce_setup_link(local, &token);
    }
    spawn_session_cleanup(state.ctx.store.pool().clone());
    let systemd = Notifier::from_env();
    systemd.notify(&format!("READY=1\nSTATUS=listening on http://{local}"));
    spawn_watchdog(&systemd, state.ctx.store.clone());
    let engine = Arc::clone(&state.ctx.engine);
    crate::listen::serve(listener, router(state), async move {
        shutdown_signal().await;
        systemd.notify("STOPPING=1");
        // Before open connections drain: an event socket can stay open
        // for ever, and consoles should see the jobs end `interrupted`.
        engine.shutdown(SHUTDOWN_GRACE).await;
    })
    .await;
    tracing::info!("DevOS stopped");
    Ok(())
}

/// The setup link goes to stderr, never into the log file or a page.
fn announce_setup_link(local: SocketAddr, token: &str) {
    use std::io::Write as _;
    let host = if local.ip().is_loopback() {
        format!("127.0.0.1:{}", local.port())
    } else {
        local.to_string()
    };
    let mut stderr = std::io::stderr().lock();
    // A failed write to stderr leaves nothing better to report to.
    let _ = writeln!(
        stderr,
        "\n  No account exists yet. Create the first one at this one-time link:\n\n    http://{host}/setup?token={token}\n"
    );
}

/// Pings systemd's watchdog while the runtime runs and the database answers,
/// so a hung DevOS is restarted (`WatchdogSec=` in the unit).
fn spawn_watchdog(systemd: &Notifier, store: Store) {
    let Some(every) = systemd.watchdog_interval() else {
        return;
    };
    let systemd = systemd.clone();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            match store.integrity_probe().await {
                Ok(()) => systemd.notify("WATCHDOG=1"),
                Err(error) => {
                    tracing::warn!(%error, "database not answering; not pinging the watchdog");
                }
            }
        }
    });
}

fn spawn_session_cleanup(pool: SqlitePool) {
    tokio::spawn(async move {
        let store = SqliteStore::new(pool);
        let mut every = tokio::time::interval(Duration::from_secs(15 * 60));
        loop {
            every.tick().await;
            if let Err(error) = store.delete_expired().await {
                tracing::warn!(%error, "could not delete expired sessions");
            }
        }
    });
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        _ = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received, finishing open requests");
}
