//! The terminal commands besides `serve` and `ask`: `check-command` and `eval`.
//! They print for people (and scripts) with `writeln!`, never through tracing.

use std::io::{BufRead as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use engine::config::Config;
use engine::context::{ContextEngine, ContextSettings};
use engine::policy::Policy;
use engine::risk::Scope;

use crate::serve::Host;

fn current_dir(cwd: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match cwd {
        Some(dir) => Ok(dir),
        None => std::env::current_dir().context("reading the current directory"),
    }
}

/// `devos check-command`: one JSON line per input line.
pub fn check_commands(config: &Config, host: &Host, cwd: Option<PathBuf>) -> anyhow::Result<()> {
    let policy = Policy::load(host.user_policy.as_deref()).context("loading security.toml")?;
    let cwd = current_dir(cwd)?;
    let scope = Scope {
        write_roots: vec![cwd.clone()],
        temp_dir: None,
        cwd,
        home: host.home.clone(),
        auto_approve_safe: config.approval.auto_approve_safe,
    };
    let stdin = std::io::stdin().lock();
    let mut out = std::io::stdout().lock();
    for line in stdin.lines() {
        let line = line.context("reading stdin")?;
        if line.trim().is_empty() {
            continue;
        }
        let parsed = engine::risk::parse(&line);
        let assessment = engine::repo_config::assess(&policy, &scope, &line, &parsed);
        writeln!(out, "{}", serde_json::to_string(&assessment)?)?;
    }
    Ok(())
}

/// `devos eval FILE`: runs every case through the in-process engine, each in
/// a fresh temp folder; prints failures, then the summary ending with
/// `N passed, M failed`. Fails (exit status 1) when any case fails.
pub async fn eval(file: &Path, only: Option<&str>) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let cases = engine::eval::parse_cases(&text)
        .map_err(|error| anyhow::anyhow!("{}: {error}", file.display()))?;
    let cases: Vec<_> = cases
        .into_iter()
        .filter(|case| only.is_none_or(|only| case.name.contains(only) || case.category == only))
        .collect();
    let base = std::env::temp_dir();
    // The case folders are outside any root, so they are read on demand, as
    // a folder a user names outside the workspace is.
    let context = ContextEngine::start(ContextSettings {
        watch: false,
        ..ContextSettings::new(Vec::new())
    })
    .context("starting the context engine")?;
    let mut outcomes = Vec::with_capacity(cases.len());
    for case in &cases {
        let outcome = engine::eval::run_case(case, &base, Some(&context)).await;
        if !outcome.passed {
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "FAIL {} [{}] {:?}",
                case.name, case.category, case.request
            )?;
            for problem in &outcome.problems {
                writeln!(out, "     {problem}")?;
            }
        }
        outcomes.push(outcome);
    }
    let summary = engine::eval::summarize(&cases, &outcomes);
    write!(std::io::stdout().lock(), "{}", summary.render())?;
    if summary.failed > 0 {
        bail!("{} of {} eval cases failed", summary.failed, cases.len());
    }
    Ok(())
}
