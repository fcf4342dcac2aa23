//! Rating bash scripts: `risk` parses a script with [`crate::shell`], rates
//! every simple command, applies the [`Policy`] and derives the decision. It
//! is pure (no filesystem, clock or environment) and it never executes.
//!
//! Order: forbids (policy rules and built-in structural checks such as fork
//! bombs or writes to disks) always win; then policy rules; then the level
//! (`safe` → allow when `auto_approve_safe`, otherwise prompt). A policy
//! `allow` can lift the prompt of a safe or moderate command, never of a
//! destructive one; `prompt` rules only ever tighten.

mod paths;
mod programs;

use std::path::PathBuf;

use serde::Serialize;

use crate::plan::{Decision, SafetyLevel};
use crate::policy::Policy;
use crate::shell::{SimpleCommand, parse_commands};

pub use paths::{WriteTarget, classify_write, resolve};

/// Where a script runs and where it may write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Working directory relative paths resolve against.
    pub cwd: PathBuf,
    /// The user's home (`~`, `$HOME`).
    pub home: PathBuf,
    /// Directories the job may change.
    pub write_roots: Vec<PathBuf>,
    /// Run safe (read-only) scripts without asking.
    pub auto_approve_safe: bool,
}

/// The verdict on one script; serialized it is one `check-command` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// The script as given.
    pub command: String,
    /// The strictest level of any command in it.
    pub level: SafetyLevel,
    /// What happens to it.
    pub decision: Decision,
    /// Why, in plain words, without duplicates.
    pub reasons: Vec<String>,
}

/// What one command was rated, before the policy is applied.
#[derive(Debug, Default)]
struct Rating {
    level: Option<SafetyLevel>,
    reasons: Vec<String>,
    forbidden: bool,
}

impl Rating {
    fn raise(&mut self, level: SafetyLevel, reason: impl Into<String>) {
        self.level = self.level.max(Some(level));
        self.reasons.push(reason.into());
    }

    fn forbid(&mut self, reason: impl Into<String>) {
        self.forbidden = true;
        self.raise(SafetyLevel::Destructive, reason);
    }
}

/// Rates a script. Unparseable scripts are destructive and prompt.
pub fn assess(policy: &Policy, scope: &Scope, script: &str) -> Assessment {
    let commands = match parse_commands(script) {
        Ok(commands) => commands,
        Err(error) => {
            return Assessment {
                command: script.to_owned(),
                level: SafetyLevel::Destructive,
                decision: Decision::Prompt,
                reasons: vec![format!("cannot be analysed: {error}")],
            };
        }
    };
    let mut level = SafetyLevel::Safe;
    let mut decision = Decision::Allow;
    let mut reasons: Vec<String> = Vec::new();
    let mut read_only = Vec::new();
    let mut cwd = Some(scope.cwd.clone());
    for command in &commands {
        let mut rating = Rating::default();
        programs::rate(command, scope, cwd.as_deref(), &mut rating);
        if matches!(command.program.as_str(), "cd" | "pushd") {
            cwd = cwd.and_then(|dir| match command.args.first() {
                None => Some(scope.home.clone()),
                Some(arg) => resolve(scope, &dir, arg),
            });
        }
        let rule = policy.check(command);
        if let Some(rule) = &rule {
            if rule.decision == Decision::Forbid {
                rating.forbid(format!("{} (rule {})", rule.justification, rule.id));
            } else {
                rating.reasons.push(format!(
                    "{}: {} (rule {})",
                    describe(command),
                    rule.justification,
                    rule.id
                ));
            }
        }
        let command_level = rating.level.unwrap_or(SafetyLevel::Safe);
        let by_level = match command_level {
            SafetyLevel::Safe if scope.auto_approve_safe => Decision::Allow,
            SafetyLevel::Safe | SafetyLevel::Moderate | SafetyLevel::Destructive => {
                Decision::Prompt
            }
        };
        let command_decision = match rule.map(|r| r.decision) {
            _ if rating.forbidden => Decision::Forbid,
            Some(Decision::Allow) if command_level < SafetyLevel::Destructive => Decision::Allow,
            Some(other) => other.max(by_level),
            None => by_level,
        };
        if rating.reasons.is_empty() {
            read_only.push(command.program.clone());
        }
        level = level.max(command_level);
        decision = decision.max(command_decision);
        for reason in rating.reasons {
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        }
    }
    if reasons.is_empty() {
        read_only.dedup();
        let list = if read_only.is_empty() {
            "nothing".to_owned()
        } else {
            read_only.join(", ")
        };
        reasons.push(format!("read-only: {list}"));
    }
    Assessment {
        command: script.to_owned(),
        level,
        decision,
        reasons,
    }
}

/// `rm -r -f`: the program and its normalized flags, for reasons.
fn describe(command: &SimpleCommand) -> String {
    let mut text = command.program.clone();
    for flag in &command.flags {
        text.push(' ');
        text.push_str(&flag.name);
    }
    text
}
