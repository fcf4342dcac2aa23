//! `devos doctor`: checks what DevOS needs (configuration, data dir,
//! database, sandbox, model providers, git, disk space, inotify limits, the
//! service) and prints, for each problem, what to do about it. Exits 1 when
//! any check fails; warnings do not fail.

use std::fmt::Write as _;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use engine::config::{Config, Overrides};
use engine::sandbox::LandlockStatus;
use engine::store::{DataDirLock, database_path, inspect_database};

use crate::serve::Host;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Fine.
    Ok,
    /// Works, but worth fixing.
    Warn,
    /// DevOS will not work (well) until fixed.
    Fail,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// What was checked.
    pub name: &'static str,
    /// How it came out.
    pub verdict: Verdict,
    /// What was found.
    pub detail: String,
    /// What to do, for warnings and failures.
    pub fix: Option<String>,
}

impl Check {
    fn ok(name: &'static str, detail: impl Into<String>) -> Self {
        Self {
            name,
            verdict: Verdict::Ok,
            detail: detail.into(),
            fix: None,
        }
    }

    fn warn(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            name,
            verdict: Verdict::Warn,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }

    fn fail(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            name,
            verdict: Verdict::Fail,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }
}

/// Runs every check. A broken configuration is reported, and the other
/// checks then run on the built-in defaults.
pub async fn run_checks(overrides: &Overrides) -> Vec<Check> {
    let (config, mut checks) = match Config::load(overrides) {
        Ok(config) => {
            let source = overrides.config_file.as_ref().map_or_else(
                || "built-in defaults (DEVOS_CONFIG not set)".to_owned(),
                |path| path.display().to_string(),
            );
            (config, vec![Check::ok("config", source)])
        }
        Err(error) => {
            let defaults = Overrides {
                config_file: None,
                ..overrides.clone()
            };
            let check = Check::fail(
                "config",
                error.to_string(),
                "fix that key (config/devos.toml lists every key with its default); the checks below use the defaults",
            );
            match Config::load(&defaults) {
                Ok(config) => (config, vec![check]),
                Err(error) => {
                    return vec![
                        check,
                        Check::fail(
                            "config",
                            error.to_string(),
                            "fix DEVOS_ADDR / DEVOS_DATA_DIR",
                        ),
                    ];
                }
            }
        }
    };
    checks.push(address(&config));
    checks.extend(data_dir(&config.storage.data_dir).await);
    checks.push(sandbox());
    checks.push(step_processes());
    checks.extend(providers(&config, overrides).await);
    checks.push(git());
    checks.push(disk_space(&config.storage.data_dir));
    checks.push(inotify());
    checks.extend(workspace_roots(&config));
    checks.push(service());
    checks
}

fn address(config: &Config) -> Check {
    let addr = config.server.addr;
    if addr.ip().is_loopback() {
        Check::ok("address", format!("http://{addr} (loopback)"))
    } else {
        Check::warn(
            "address",
            format!(
                "{addr} is reachable from other machines; `devos serve` refuses it without --i-know-this-is-public"
            ),
            "set server.addr = \"127.0.0.1:8080\" and use an SSH tunnel (README, Remote use)",
        )
    }
}

async fn data_dir(dir: &Path) -> Vec<Check> {
    let mut checks = Vec::new();
    if !dir.exists() {
        checks.push(Check::ok(
            "data dir",
            format!("{} (created at the first start)", dir.display()),
        ));
        return checks;
    }
    let probe = dir.join(".doctor-write-test");
    let writable = std::fs::write(&probe, b"").and_then(|()| std::fs::remove_file(&probe));
    let mode = std::fs::metadata(dir).map(|m| m.permissions().mode() & 0o777);
    checks.push(match (writable, mode) {
        (Err(error), _) => Check::fail(
            "data dir",
            format!("{} is not writable: {error}", dir.display()),
            format!("chown $USER {0} && chmod 700 {0}", dir.display()),
        ),
        (Ok(()), Ok(mode)) if mode & 0o077 != 0 => Check::warn(
            "data dir",
            format!(
                "{} has mode {mode:o}: other users can read job logs",
                dir.display()
            ),
            format!("chmod 700 {}", dir.display()),
        ),
        (Ok(()), _) => Check::ok("data dir", dir.display().to_string()),
    });
    let database = database_path(dir);
    if database.exists() {
        checks.push(match inspect_database(&database).await {
            Ok(jobs) => Check::ok("database", format!("integrity ok, {jobs} jobs")),
            Err(error) => Check::fail(
                "database",
                error.to_string(),
                "restore the last good backup with `devos restore FILE` (DevOS stopped)",
            ),
        });
    }
    checks.push(Check::ok(
        "server",
        if DataDirLock::is_held(dir) {
            "running on this data dir"
        } else {
            "not running"
        },
    ));
    checks
}

fn step_processes() -> Check {
    match engine::lifetime::cgroup::support().summary() {
        (detail, true) => Check::ok("steps", detail),
        (detail, false) => Check::warn(
            "steps",
            detail,
            "run DevOS where it may make control groups: the installed service unit has Delegate=yes",
        ),
    }
}

fn sandbox() -> Check {
    match engine::sandbox::landlock_status() {
        LandlockStatus::Available { abi, network } => Check::ok(
            "sandbox",
            format!(
                "Landlock ABI {abi}{}",
                if network { ", network rules" } else { "" }
            ),
        ),
        LandlockStatus::Unavailable { reason } => Check::warn(
            "sandbox",
            format!(
                "Landlock unavailable ({reason}): steps get rlimits only and every non-safe step asks"
            ),
            "use a kernel 5.13 or later with `landlock` in the lsm= boot parameter",
        ),
    }
}

async fn providers(config: &Config, overrides: &Overrides) -> Vec<Check> {
    let host = match Host::detect(overrides) {
        Ok(host) => host,
        Err(error) => {
            return vec![Check::fail(
                "providers",
                format!("{error:#}"),
                "fix security.toml beside DEVOS_CONFIG",
            )];
        }
    };
    let router = match crate::serve::build_models(config, &host.models).await {
        Ok(Some(router)) => router,
        Ok(None) => {
            return vec![Check::ok(
                "providers",
                "none enabled: the built-in planner plans alone (DEVOS_PROVIDERS=bedrock,openai adds models)",
            )];
        }
        Err(error) => {
            return vec![Check::fail(
                "providers",
                format!("{error:#}"),
                "check DEVOS_PROVIDERS and the DEVOS_OPENAI_* variables (README, Configuration)",
            )];
        }
    };
    router
        .probe()
        .await
        .into_iter()
        .map(|probe| match probe.outcome {
            Ok(latency) => Check::ok(
                "provider",
                format!(
                    "{} answered through {} in {} ms",
                    probe.provider.as_str(),
                    probe.model,
                    latency.as_millis()
                ),
            ),
            Err(error) => Check::fail(
                "provider",
                format!("{} ({}): {error}", probe.provider.as_str(), probe.model),
                "check the credentials, endpoint and model id of this provider (README, Configuration)",
            ),
        })
        .collect()
}

fn git() -> Check {
    match std::process::Command::new("git").arg("--version").output() {
        Ok(output) if output.status.success() => Check::ok(
            "git",
            String::from_utf8_lossy(&output.stdout).trim().to_owned(),
        ),
        _ => Check::warn(
            "git",
            "git is not on PATH: git requests cannot run",
            "install git (apt install git / dnf install git)",
        ),
    }
}

fn disk_space(dir: &Path) -> Check {
    // The data dir may not exist yet: measure the nearest folder that does.
    let Some(existing) = dir.ancestors().find(|d| d.exists()) else {
        return Check::warn(
            "disk",
            "no existing folder above the data dir",
            "check DEVOS_DATA_DIR",
        );
    };
    match nix::sys::statvfs::statvfs(existing) {
        Ok(stats) => {
            let free = stats.blocks_available() * stats.fragment_size();
            let text = format!(
                "{} free on {}",
                engine::fsops::human_bytes(free),
                existing.display()
            );
            match free {
                0..100_000_000 => Check::fail(
                    "disk",
                    text,
                    "free some space: jobs fail cleanly when logs cannot be written",
                ),
                100_000_000..1_000_000_000 => Check::warn(
                    "disk",
                    text,
                    "free some space, or lower snapshots.max_total_mb and trash.max_total_mb",
                ),
                _ => Check::ok("disk", text),
            }
        }
        Err(error) => Check::warn(
            "disk",
            format!("cannot measure: {error}"),
            "check the data dir's file system",
        ),
    }
}

fn inotify() -> Check {
    let read = |name: &str| {
        std::fs::read_to_string(format!("/proc/sys/fs/inotify/{name}"))
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    match (read("max_user_watches"), read("max_user_instances")) {
        (Some(watches), Some(instances)) if watches < 65_536 || instances < 128 => Check::warn(
            "inotify",
            format!(
                "max_user_watches {watches}, max_user_instances {instances}: large workspaces will not all be watched"
            ),
            "echo fs.inotify.max_user_watches=524288 | sudo tee /etc/sysctl.d/60-devos.conf && sudo sysctl --system",
        ),
        (Some(watches), Some(instances)) => Check::ok(
            "inotify",
            format!("max_user_watches {watches}, max_user_instances {instances}"),
        ),
        _ => Check::warn(
            "inotify",
            "cannot read /proc/sys/fs/inotify",
            "the context engine falls back to no live updates",
        ),
    }
}

fn workspace_roots(config: &Config) -> Vec<Check> {
    config
        .workspace
        .roots
        .iter()
        .map(|root| {
            if root.is_dir() {
                Check::ok("workspace", root.display().to_string())
            } else {
                Check::warn(
                    "workspace",
                    format!("{} does not exist", root.display()),
                    "create it, or change workspace.roots",
                )
            }
        })
        .collect()
}

fn service() -> Check {
    let state = |args: &[&str]| {
        std::process::Command::new("systemctl")
            .args(args)
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    match state(&["--user", "is-enabled", "devos.service"]) {
        None => Check::ok("service", "systemctl not available"),
        Some(enabled) if enabled.is_empty() || enabled == "not-found" => Check::ok(
            "service",
            "no systemd unit (scripts/install.sh installs one)",
        ),
        Some(enabled) => {
            let active = state(&["--user", "is-active", "devos.service"]).unwrap_or_default();
            let detail = format!("devos.service {enabled}, {active}");
            if active == "active" {
                Check::ok("service", detail)
            } else {
                Check::warn(
                    "service",
                    detail,
                    "journalctl --user -u devos -n 50 shows why; systemctl --user restart devos",
                )
            }
        }
    }
}

/// The report, one check per line, fixes indented below.
pub fn render(checks: &[Check]) -> String {
    let mut out = String::new();
    for check in checks {
        let mark = match check.verdict {
            Verdict::Ok => "ok  ",
            Verdict::Warn => "warn",
            Verdict::Fail => "FAIL",
        };
        let _ = writeln!(out, "{mark}  {:<10} {}", check.name, check.detail);
        if let Some(fix) = &check.fix {
            let _ = writeln!(out, "      {:<10} fix: {fix}", "");
        }
    }
    let failed = checks.iter().filter(|c| c.verdict == Verdict::Fail).count();
    let warned = checks.iter().filter(|c| c.verdict == Verdict::Warn).count();
    let _ = writeln!(out, "{failed} failed, {warned} warnings");
    out
}
