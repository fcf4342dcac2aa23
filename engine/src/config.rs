//! Loading and validating `devos.toml`: built-in defaults (the embedded
//! `config/devos.toml`), then the user's file, then environment overrides.
//! Errors name the file, the key and the problem. It reads no environment
//! itself: callers pass the overrides in, so tests never touch the process env.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The documented defaults, shipped in the binary.
pub const DEFAULT_CONFIG: &str = include_str!("../../config/devos.toml");

/// The whole configuration.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where and how the web server listens.
    pub server: ServerConfig,
    /// Where DevOS keeps its database and trash.
    pub storage: StorageConfig,
    /// Which directories DevOS works in by default.
    pub workspace: WorkspaceConfig,
    /// How approvals behave.
    pub approval: ApprovalConfig,
    /// Limits for every executed step.
    pub sandbox: SandboxConfig,
    /// Spending limits for model calls, in US dollars.
    pub budgets: BudgetConfig,
    /// How long and how much DevOS keeps in its trash.
    #[serde(default)]
    pub trash: TrashConfig,
    /// Undo snapshots taken before shell steps: caps, left-out folders, keeping.
    #[serde(default)]
    pub snapshots: SnapshotConfig,
    /// How the context engine watches the workspace.
    #[serde(default)]
    pub context: ContextConfig,
    /// Every value with where it came from, for the Settings page.
    #[serde(skip)]
    pub origins: Vec<ConfigOrigin>,
}

/// One effective configuration value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigOrigin {
    /// Dotted key, e.g. `sandbox.timeout_secs`.
    pub key: String,
    /// The value as TOML writes it (secret-looking keys masked).
    pub value: String,
    /// `default`, `file`, `environment` or `derived`.
    pub source: &'static str,
    /// The file, variable or rule it came from.
    pub from: String,
}

/// `[server]`
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Socket address to bind; loopback by default.
    pub addr: SocketAddr,
    /// Extra host names accepted in the Host header besides the loopback names.
    pub allowed_hosts: Vec<String>,
    /// A login session ends after this many hours without activity.
    pub session_idle_hours: u32,
    /// Failed logins of one account before it is locked (for a minute,
    /// doubling with each further failure up to an hour).
    #[serde(alias = "login_failures_per_minute")]
    pub login_failures_before_lockout: u32,
}

/// `[storage]`
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StorageConfig {
    /// Data directory; empty means `$XDG_DATA_HOME/devos` (or `~/.local/share/devos`).
    pub data_dir: PathBuf,
}

/// `[workspace]`
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceConfig {
    /// Directories jobs run in and the context engine watches. Empty means the home directory.
    pub roots: Vec<PathBuf>,
}

/// `[approval]`
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ApprovalConfig {
    /// A pending job expires after this many seconds without a decision.
    pub timeout_secs: u64,
    /// Run steps rated safe without asking.
    pub auto_approve_safe: bool,
}

/// `[sandbox]`
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SandboxConfig {
    /// Wall-clock limit per step; the whole process group is killed after it.
    pub timeout_secs: u64,
    /// Captured stdout+stderr per step, in bytes, before it is truncated.
    pub output_cap_bytes: u64,
    /// CPU seconds per step.
    pub cpu_secs: u64,
    /// Address space per process, in MiB.
    pub memory_mb: u64,
    /// Largest file a step may write, in MiB.
    pub file_size_mb: u64,
    /// Processes per step.
    pub max_processes: u64,
    /// Memory of all of a running job's processes together, in MiB (where
    /// the kernel offers a control group; see Settings).
    pub job_memory_mb: u64,
    /// Refuse to run process steps when the kernel lacks Landlock. When
    /// false, they run with rlimits only and every non-safe step needs approval.
    pub require_landlock: bool,
    /// Use Landlock when the kernel has it; `false` behaves as a kernel without it.
    pub landlock: bool,
    /// Environment variables passed to steps beyond `PATH`, `HOME`, `LANG`,
    /// `LC_*`, `TERM`, `USER`, `LOGNAME`, `SHELL` and `TZ`.
    pub pass_env: Vec<String>,
}

/// `[budgets]`, in US dollars.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BudgetConfig {
    /// Largest estimated model cost of one job.
    pub per_job_usd: f64,
    /// Model spending per calendar day (UTC).
    pub daily_usd: f64,
    /// Model spending per calendar month (UTC).
    pub monthly_usd: f64,
}

/// `[context]`
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ContextConfig {
    /// Follow file events; `false` rescans the roots every `rescan_secs` instead.
    pub watch: bool,
    /// File events are batched for this many milliseconds.
    pub debounce_ms: u64,
    /// Seconds between rescans of a root that cannot be watched.
    pub rescan_secs: u64,
    /// Seconds between process refreshes while someone looks at the context.
    pub process_interval_secs: u64,
    /// Largest context snapshot given to a planner, in tokens.
    pub token_budget: u64,
    /// Recently changed files remembered.
    pub recent_capacity: usize,
    /// A folder outside the watched roots is read on demand: at most this many entries…
    pub walk_max_entries: usize,
    /// …or this many milliseconds.
    pub walk_max_ms: u64,
    /// Seconds an on-demand read of a folder is reused by the next job there.
    pub walk_cache_secs: u64,
}

impl Default for ContextConfig {
    fn default() -> Self {
        Self {
            watch: true,
            debounce_ms: 200,
            rescan_secs: 30,
            process_interval_secs: 5,
            token_budget: 1500,
            recent_capacity: 256,
            walk_max_entries: 10_000,
            walk_max_ms: 40,
            walk_cache_secs: 30,
        }
    }
}

/// `[trash]`: deleted files are kept here until they are older or larger than this.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct TrashConfig {
    /// Trashed files older than this many days are removed for good (0: never).
    pub max_age_days: u64,
    /// When the trash holds more than this many MiB, the oldest jobs' files go first (0: no limit).
    pub max_size_mb: u64,
}

impl Default for TrashConfig {
    fn default() -> Self {
        Self {
            max_age_days: 30,
            max_size_mb: 2048,
        }
    }
}

/// `[snapshots]`: what DevOS copies before a bash or python step so that the job can be undone.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SnapshotConfig {
    /// A write root with more files than this is not snapshotted (the step cannot be undone there).
    pub max_files: u64,
    /// …nor one whose files hold more than this many MiB.
    pub max_size_mb: u64,
    /// Longest walk of a write root before approval, in milliseconds; a longer one is "too big".
    pub walk_max_ms: u64,
    /// Folder names left out wherever they appear: rebuildable outputs and git's own store.
    pub skip: Vec<String>,
    /// Snapshots older than this many days are dropped, and their jobs' undo with them (0: never).
    pub max_age_days: u64,
    /// When the snapshot store grows beyond this many MiB, the oldest jobs' snapshots go first (0: no limit).
    pub max_store_mb: u64,
}

impl Default for SnapshotConfig {
    fn default() -> Self {
        Self {
            max_files: 200_000,
            max_size_mb: 2048,
            walk_max_ms: 2000,
            skip: [
                ".git",
                "node_modules",
                "target",
                ".venv",
                "venv",
                "__pycache__",
                ".mypy_cache",
                ".pytest_cache",
                ".tox",
                ".gradle",
                ".next",
                "dist",
                "build",
            ]
            .map(String::from)
            .to_vec(),
            max_age_days: 30,
            max_store_mb: 4096,
        }
    }
}

/// Values from the environment that win over the file (`DEVOS_ADDR`, `DEVOS_DATA_DIR`).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `DEVOS_CONFIG`: path of the user's devos.toml.
    pub config_file: Option<PathBuf>,
    /// `DEVOS_ADDR`.
    pub addr: Option<String>,
    /// `DEVOS_DATA_DIR`.
    pub data_dir: Option<PathBuf>,
    /// The user's home, used to resolve the default data dir and workspace roots.
    pub home: Option<PathBuf>,
    /// `XDG_DATA_HOME`.
    pub xdg_data_home: Option<PathBuf>,
    /// The directory DevOS was started in (the default workspace root when
    /// the home has no projects folder).
    pub cwd: Option<PathBuf>,
}

/// Folders under the home tried, in order, as the default workspace root.
const PROJECT_FOLDERS: [&str; 5] = ["projects", "src", "code", "dev", "workspace"];

impl Overrides {
    /// Reads the overrides from the process environment (used once, in `main`).
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        Self {
            config_file: var("DEVOS_CONFIG").map(PathBuf::from),
            addr: var("DEVOS_ADDR").map(|v| v.to_string_lossy().into_owned()),
            data_dir: var("DEVOS_DATA_DIR").map(PathBuf::from),
            home: var("HOME").map(PathBuf::from),
            xdg_data_home: var("XDG_DATA_HOME").map(PathBuf::from),
            cwd: std::env::current_dir().ok(),
        }
    }
}

/// An invalid configuration: which file, which key, what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid configuration in {file}: key `{key}`: {problem}")]
pub struct ConfigError {
    /// The file (or environment variable) holding the bad value.
    pub file: String,
    /// Dotted key path, e.g. `sandbox.timeout_secs`.
    pub key: String,
    /// What is wrong with it.
    pub problem: String,
}

impl Config {
    /// Loads defaults, then the file named by `overrides.config_file` (if any), then env overrides.
    pub fn load(overrides: &Overrides) -> Result<Self, ConfigError> {
        let mut merged: toml::Table = parse_table("built-in defaults", DEFAULT_CONFIG)?;
        let mut source = "built-in defaults".to_owned();
        let mut from_file = toml::Table::new();
        if let Some(path) = &overrides.config_file {
            source = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
                file: source.clone(),
                key: "(file)".into(),
                problem: format!("cannot read the file: {e}"),
            })?;
            from_file = parse_table(&source, &text)?;
            merge(&mut merged, from_file.clone());
        }
        let mut origins = Vec::new();
        flatten("", &merged, &mut |key, value| {
            let in_file = lookup(&from_file, key).is_some();
            origins.push(ConfigOrigin {
                key: key.to_owned(),
                value: shown_value(key, value),
                source: if in_file { "file" } else { "default" },
                from: if in_file {
                    source.clone()
                } else {
                    "built-in defaults".to_owned()
                },
            });
        });
        let mut config: Config = serde_path_to_error::deserialize(toml::Value::Table(merged))
            .map_err(|e| ConfigError {
                file: source.clone(),
                key: e.path().to_string(),
                problem: e.inner().to_string(),
            })?;
        config.validate(&source)?;
        let derived = config.apply(overrides)?;
        for (key, value, source, from) in derived {
            match origins.iter_mut().find(|origin| origin.key == key) {
                Some(origin) => {
                    origin.value = value;
                    origin.source = source;
                    origin.from = from;
                }
                None => origins.push(ConfigOrigin {
                    key: key.to_owned(),
                    value,
                    source,
                    from,
                }),
            }
        }
        config.origins = origins;
        Ok(config)
    }

    fn validate(&self, file: &str) -> Result<(), ConfigError> {
        let positive = [
            ("approval.timeout_secs", self.approval.timeout_secs),
            ("sandbox.timeout_secs", self.sandbox.timeout_secs),
            ("sandbox.output_cap_bytes", self.sandbox.output_cap_bytes),
            ("sandbox.cpu_secs", self.sandbox.cpu_secs),
            ("sandbox.memory_mb", self.sandbox.memory_mb),
            ("sandbox.file_size_mb", self.sandbox.file_size_mb),
            ("sandbox.max_processes", self.sandbox.max_processes),
            ("sandbox.job_memory_mb", self.sandbox.job_memory_mb),
            (
                "server.session_idle_hours",
                u64::from(self.server.session_idle_hours),
            ),
            (
                "server.login_failures_before_lockout",
                u64::from(self.server.login_failures_before_lockout),
            ),
        ];
        let error = |key: &str, problem: &str| ConfigError {
            file: file.to_owned(),
            key: key.to_owned(),
            problem: problem.to_owned(),
        };
        if let Some((key, _)) = positive.iter().find(|(_, value)| *value == 0) {
            return Err(error(key, "must be greater than 0"));
        }
        let budgets = [
            ("budgets.per_job_usd", self.budgets.per_job_usd),
            ("budgets.daily_usd", self.budgets.daily_usd),
            ("budgets.monthly_usd", self.budgets.monthly_usd),
        ];
        if let Some((key, _)) = budgets
            .iter()
            .find(|(_, value)| !value.is_finite() || *value < 0.0)
        {
            return Err(error(key, "must be a number of dollars, 0 or more"));
        }
        if let Some(root) = self.workspace.roots.iter().find(|r| r.is_relative()) {
            return Err(error(
                "workspace.roots",
                &format!("`{}` must be an absolute path", root.display()),
            ));
        }
        Ok(())
    }

    /// Applies the environment and fills derived defaults; returns each
    /// value it set as (key, value, source, from).
    fn apply(&mut self, overrides: &Overrides) -> Result<Vec<Applied>, ConfigError> {
        let mut applied = Vec::new();
        if let Some(addr) = &overrides.addr {
            self.server.addr = addr.parse().map_err(|e| ConfigError {
                file: "environment variable DEVOS_ADDR".into(),
                key: "server.addr".into(),
                problem: format!("`{addr}` is not a socket address like 127.0.0.1:8080 ({e})"),
            })?;
            applied.push((
                "server.addr",
                addr.clone(),
                "environment",
                "DEVOS_ADDR".into(),
            ));
        }
        if let Some(dir) = &overrides.data_dir {
            self.storage.data_dir.clone_from(dir);
            let value = toml_string(&dir.display().to_string());
            applied.push((
                "storage.data_dir",
                value,
                "environment",
                "DEVOS_DATA_DIR".into(),
            ));
        }
        if self.storage.data_dir.as_os_str().is_empty() {
            let (dir, rule) = match (&overrides.xdg_data_home, &overrides.home) {
                (Some(xdg), _) => (xdg.join("devos"), "$XDG_DATA_HOME/devos"),
                (None, Some(home)) => (home.join(".local/share/devos"), "~/.local/share/devos"),
                (None, None) => (PathBuf::from(".devos"), ".devos (no home known)"),
            };
            let value = toml_string(&dir.display().to_string());
            applied.push(("storage.data_dir", value, "derived", rule.into()));
            self.storage.data_dir = dir;
        }
        if self.workspace.roots.is_empty() {
            // Never the whole home by default: the context engine watches these.
            let projects = overrides.home.as_ref().and_then(|home| {
                PROJECT_FOLDERS
                    .iter()
                    .map(|name| home.join(name))
                    .find(|dir| dir.is_dir())
            });
            if let Some(root) = projects
                .or_else(|| overrides.cwd.clone())
                .or_else(|| overrides.home.clone())
            {
                let value = format!("[{}]", toml_string(&root.display().to_string()));
                let rule = "the first of ~/projects, ~/src, ~/code, ~/dev, ~/workspace, else the start folder";
                applied.push(("workspace.roots", value, "derived", rule.into()));
                self.workspace.roots.push(root);
            }
        }
        Ok(applied)
    }

    /// The directory jobs run in when the request gives none.
    pub fn default_cwd(&self) -> &Path {
        self.workspace
            .roots
            .first()
            .map_or_else(|| Path::new("/"), PathBuf::as_path)
    }
}

/// A value `apply` set: key, value as TOML, source, and where from.
type Applied = (&'static str, String, &'static str, String);

/// Calls `each` with every leaf of `table` and its dotted key.
fn flatten(prefix: &str, table: &toml::Table, each: &mut impl FnMut(&str, &toml::Value)) {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match value {
            toml::Value::Table(inner) => flatten(&key, inner, each),
            leaf => each(&key, leaf),
        }
    }
}

/// The value at dotted `key` in `table`, if set there.
fn lookup<'t>(table: &'t toml::Table, key: &str) -> Option<&'t toml::Value> {
    let mut parts = key.split('.');
    let mut value = table.get(parts.next()?)?;
    for part in parts {
        value = value.as_table()?.get(part)?;
    }
    Some(value)
}

/// A value as Settings shows it; keys that name a secret are masked.
fn shown_value(key: &str, value: &toml::Value) -> String {
    let name = key.rsplit('.').next().unwrap_or(key).to_ascii_lowercase();
    let secret = ["secret", "password", "token", "api_key", "credential"]
        .iter()
        .any(|word| name.contains(word));
    if secret {
        "••••••".to_owned()
    } else {
        value.to_string()
    }
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn parse_table(file: &str, text: &str) -> Result<toml::Table, ConfigError> {
    text.parse::<toml::Table>().map_err(|e| ConfigError {
        file: file.to_owned(),
        key: "(syntax)".into(),
        problem: e.message().to_owned()
            + &e.span()
                .map(|span| format!(" (at line {})", line_of(text, span.start)))
                .unwrap_or_default(),
    })
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(0, |t| t.matches('\n').count()) + 1
}

/// Overlays `top` on `base`, table by table, so a user file may set a single key.
fn merge(base: &mut toml::Table, top: toml::Table) {
    for (key, value) in top {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(base_table)), toml::Value::Table(top_table)) => {
                merge(base_table, top_table);
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
