//! Rating bash scripts: `risk` parses a script once with [`crate::shell`],
//! normalizes every simple command against its program's option grammar
//! ([`programs`]), rates it, applies the [`Policy`] and derives the decision
//! and network use from that one parse. It is pure (no filesystem, clock or
//! environment) and it never executes.
//!
//! `safe` means proven read-only: a known program, the system's copy, only
//! options its spec lists as reading, no option or program from a dynamic
//! word, no write redirection outside harmless devices. Anything else is at
//! least `moderate` with a reason a person can read.
//!
//! Order: forbids (policy rules and built-in structural checks such as fork
//! bombs or writes to disks) always win; then policy rules; then the level
//! (`safe` → allow when `auto_approve_safe`, otherwise prompt). A policy
//! `allow` can lift the prompt of a safe or moderate command, never of a
//! destructive one; `prompt` rules only ever tighten.

mod paths;
mod programs;
pub(crate) use programs::carries_code;

use std::path::PathBuf;

use serde::Serialize;

use crate::plan::{Decision, SafetyLevel};
use crate::policy::Policy;
use crate::shell::{ParseError, Script, SimpleCommand, parse_script};

pub use paths::{
    WriteTarget, classify_write, is_critical, is_home_word, is_secret, is_system_dir, resolve,
};
pub use programs::{canonical_flags, normalize};

/// Where a script runs and where it may write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Working directory relative paths resolve against.
    pub cwd: PathBuf,
    /// The user's home (`~`, `$HOME`).
    pub home: PathBuf,
    /// Directories the job may change.
    pub write_roots: Vec<PathBuf>,
    /// The job's private temp dir (one of the write roots), deleted when the
    /// job ends: nothing may be moved into it. `None` outside a job.
    pub temp_dir: Option<PathBuf>,
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
    /// A command in it talks to the network (the sandbox denies TCP otherwise).
    #[serde(skip)]
    pub network: bool,
}

/// What one command was rated, before the policy is applied.
#[derive(Debug, Default)]
pub(crate) struct Rating {
    level: Option<SafetyLevel>,
    reasons: Vec<String>,
    forbidden: bool,
    network: bool,
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

/// Parses a script and normalizes every command's options: the one parse
/// that rating, policy, remembered rules and network use all share.
pub fn parse(script: &str) -> Result<Script, ParseError> {
    let mut parsed = parse_script(script)?;
    for command in &mut parsed.commands {
        normalize(command);
    }
    Ok(parsed)
}

/// The decision a level gets when no rule says more.
pub fn decision_for_level(level: SafetyLevel, auto_approve_safe: bool) -> Decision {
    match level {
        SafetyLevel::Safe if auto_approve_safe => Decision::Allow,
        SafetyLevel::Safe | SafetyLevel::Moderate | SafetyLevel::Destructive => Decision::Prompt,
    }
}

/// Rates a script. Unparseable scripts are destructive and prompt.
pub fn assess(policy: &Policy, scope: &Scope, script: &str) -> Assessment {
    match parse(script) {
        Ok(parsed) => assess_parsed(policy, scope, script, &parsed),
        Err(error) => unparseable(script, &error),
    }
}

/// The assessment of a script that could not be parsed.
pub fn unparseable(script: &str, error: &ParseError) -> Assessment {
    Assessment {
        command: script.to_owned(),
        level: SafetyLevel::Destructive,
        decision: Decision::Prompt,
        reasons: vec![format!("cannot be analysed: {error}")],
        network: false,
    }
}

/// Rates an already parsed script.
pub fn assess_parsed(policy: &Policy, scope: &Scope, text: &str, script: &Script) -> Assessment {
    let mut level = SafetyLevel::Safe;
    let mut decision = Decision::Allow;
    let mut reasons: Vec<String> = Vec::new();
    let mut read_only = Vec::new();
    let mut network = false;
    let mut cwd = Some(scope.cwd.clone());
    for hazard in &script.hazards {
        level = SafetyLevel::Destructive;
        decision = decision.max(Decision::Prompt);
        reasons.push(hazard.reason.clone());
    }
    for command in &script.commands {
        let (rating, command_level, command_decision) =
            judge(policy, scope, cwd.as_deref(), command);
        cwd = next_cwd(command, scope, cwd);
        if rating.reasons.is_empty() {
            read_only.push(command.program.clone());
        }
        network |= rating.network;
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
        command: text.to_owned(),
        level,
        decision,
        reasons,
        network,
    }
}

/// The decision on one command on its own, in `scope`'s working directory
/// (remembering a rejection keeps only the commands that made it prompt).
pub fn command_decision(policy: &Policy, scope: &Scope, command: &SimpleCommand) -> Decision {
    judge(policy, scope, Some(&scope.cwd), command).2
}

/// Rates one command and applies the policy: its rating, level and decision.
fn judge(
    policy: &Policy,
    scope: &Scope,
    cwd: Option<&std::path::Path>,
    command: &SimpleCommand,
) -> (Rating, SafetyLevel, Decision) {
    let mut rating = Rating::default();
    programs::rate(command, scope, cwd, &mut rating);
    let rule = policy.check(command);
    if let Some(rule) = &rule {
        if rule.decision == Decision::Forbid {
            rating.forbid(format!("{} (rule {})", rule.justification, rule.id));
        } else {
            rating.reasons.push(format!(
                "{}: {} (rule {})",
                programs::describe(command),
                rule.justification,
                rule.id
            ));
        }
    }
    let level = rating.level.unwrap_or(SafetyLevel::Safe);
    let by_level = decision_for_level(level, scope.auto_approve_safe);
    let mut decision = match rule.map(|r| r.decision) {
        _ if rating.forbidden => Decision::Forbid,
        Some(Decision::Allow) if level < SafetyLevel::Destructive => Decision::Allow,
        Some(other) => other.max(by_level),
        None => by_level,
    };
    if rating.network {
        decision = decision.max(Decision::Prompt);
    }
    (rating, level, decision)
}

/// Where the next command runs after `command`: `cd DIR` moves, `cd -`,
/// `pushd`, `popd` and `cd $VAR` lose track.
fn next_cwd(command: &SimpleCommand, scope: &Scope, cwd: Option<PathBuf>) -> Option<PathBuf> {
    match command.program.as_str() {
        "cd" => {
            let dir = cwd?;
            let words = command.word_values();
            match words.as_slice() {
                [] => Some(scope.home.clone()),
                [arg] if !arg.starts_with('-') && !command.words[0].dynamic => {
                    resolve(scope, &dir, arg)
                }
                _ => None,
            }
        }
        "pushd" | "popd" => None,
        _ => cwd,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The corpus scope: cwd `/home/u/project`, home `/home/u`.
    pub(crate) fn scope() -> Scope {
        Scope {
            cwd: "/home/u/project".into(),
            home: "/home/u".into(),
            write_roots: vec!["/home/u/project".into(), "/tmp/devos-job".into()],
            temp_dir: Some("/tmp/devos-job".into()),
            auto_approve_safe: true,
        }
    }

    fn rate(command: &str) -> Assessment {
        let policy = Policy::load(None).expect("built-in policy");
        assess(&policy, &scope(), command)
    }

    /// The level of `command` in the corpus scope, for table tests.
    pub(crate) fn level_of(command: &str) -> &'static str {
        rate(command).level.as_str()
    }

    /// Why `command` got its level in the corpus scope, for table tests.
    pub(crate) fn reasons_of(command: &str) -> Vec<String> {
        rate(command).reasons
    }

    /// The decision on `command` in the corpus scope, for table tests.
    pub(crate) fn decision_of(command: &str) -> &'static str {
        rate(command).decision.as_str()
    }

    #[test]
    fn program_paths_outside_system_dirs_are_unknown_programs() {
        for command in ["./ls", "/tmp/x/cat f", "bin/grep x"] {
            assert_eq!(level_of(command), "destructive", "{command}");
        }
        for command in ["/bin/ls", "/usr/bin/cat f"] {
            assert_eq!(level_of(command), "safe", "{command}");
        }
    }

    #[test]
    fn the_working_directory_is_lost_after_cd_minus() {
        assert_eq!(
            decision_of("cd ~ && cd /elsewhere && cd - && rm -rf *"),
            "prompt"
        );
        assert_ne!(level_of("cd - && cat notes"), "safe");
    }

    #[test]
    fn network_use_comes_from_the_same_parse() {
        assert!(rate("curl -s https://example.com").network);
        assert!(rate("cd repo && git pull").network);
        assert!(!rate("git status").network);
        assert!(!rate("echo 'curl x'").network);
    }
}
