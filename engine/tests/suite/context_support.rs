//! Shared helpers for the context engine tests: fast settings, a polling
//! wait with a deadline, and a git CLI runner.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use engine::context::ContextSettings;

/// Settings with short intervals so tests finish quickly.
pub fn fast_settings(roots: Vec<PathBuf>) -> ContextSettings {
    ContextSettings {
        debounce: Duration::from_millis(50),
        rescan_interval: Duration::from_millis(200),
        process_interval: Duration::from_millis(200),
        ..ContextSettings::new(roots)
    }
}

/// Polls `probe` until it returns `Some`, failing the test after 15 s.
pub fn wait_for<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs `git` in `dir` with a fixed identity and no user or system config.
pub fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args([
            "-c",
            "user.name=Test Author",
            "-c",
            "user.email=t@example.com",
        ])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
}
