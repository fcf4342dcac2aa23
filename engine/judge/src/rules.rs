//! Remembered approvals: semantic rules (program, wrappers, normalized flags,
//! argument patterns, written files, directory scope) matched against parsed
//! commands, never against strings. A remembered `git push origin main` does
//! not match `git push --force origin main`; `rm *.tmp` in a project does not
//! match `rm -rf ~`. A subject keeps the program's path as written, every
//! wrapper with its options and every environment assignment, and the
//! here-document or here-string a command reads (hashed), so a rule never
//! widens to a command that differs in any of them. Pure: no I/O.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use sha2::{Digest, Sha256};

use crate::plan::{FsAction, StepAction};
use crate::shell::{RedirectKind, Script, SimpleCommand};

/// What a rule does when it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleDecision {
    /// Run without asking.
    Allow,
    /// Never run.
    Deny,
}

impl RuleDecision {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::Deny => "deny",
        }
    }
}

/// The normalized shape of one command (or typed file action) a rule is
/// matched against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    /// Program (`git`, `rm`) or typed action (`fs:trash`).
    pub program: String,
    /// Environment assignments (`NAME=value`), then wrappers with their
    /// options, outermost first.
    pub wrappers: Vec<String>,
    /// Sorted normalized flags, `-f` or `-m=msg`.
    pub flags: Vec<String>,
    /// Positional arguments.
    pub args: Vec<String>,
    /// Files written by redirections, then `<<sha256:…` for each
    /// here-document, here-string or file the command reads.
    pub writes: Vec<String>,
}

/// A stored rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// Row id.
    pub id: i64,
    /// What it matches (arguments may be globs).
    pub pattern: Subject,
    /// Directory subtree it applies in.
    pub scope: PathBuf,
    /// Allow or deny.
    pub decision: RuleDecision,
    /// Disabled rules never match.
    pub enabled: bool,
    /// The job whose approval created it.
    pub created_from_job: Option<i64>,
    /// How often it decided a step.
    pub hit_count: i64,
    /// When it last decided a step.
    pub last_used_at: Option<i64>,
    /// When it was made.
    pub created_at: i64,
}

impl Subject {
    fn from_command(command: &SimpleCommand) -> Self {
        let mut flags: Vec<String> = command
            .flags
            .iter()
            .map(|flag| match &flag.value {
                Some(value) => format!("{}={value}", flag.name),
                None => flag.name.clone(),
            })
            .collect();
        flags.sort();
        flags.dedup();
        let wrappers = command
            .assignments
            .iter()
            .map(|a| format!("{}={}", a.name, a.value))
            .chain(command.wrappers.iter().cloned())
            .collect();
        let writes = command
            .redirects
            .iter()
            .filter(|r| r.kind.is_write())
            .map(|r| r.target.clone())
            .chain(
                command
                    .redirects
                    .iter()
                    .filter(|r| r.kind == RedirectKind::Read)
                    .map(|r| {
                        format!(
                            "<<sha256:{}",
                            hex::encode(Sha256::digest(r.target.as_bytes()))
                        )
                    }),
            )
            .collect();
        Self {
            program: command
                .program_path
                .clone()
                .unwrap_or_else(|| command.program.clone()),
            wrappers,
            flags,
            args: command.args.clone(),
            writes,
        }
    }

    fn from_fs(action: &FsAction) -> Self {
        let (op, mut args, flags): (&str, Vec<String>, Vec<String>) = match action {
            FsAction::Mkdir { path } => ("mkdir", vec![path.clone()], Vec::new()),
            FsAction::Organize { dir } => ("organize", vec![dir.clone()], Vec::new()),
            FsAction::Move { from, to_dir } => {
                ("move", from.clone(), vec![format!("--to={to_dir}")])
            }
            FsAction::Copy { from, to_dir } => {
                ("copy", from.clone(), vec![format!("--to={to_dir}")])
            }
            FsAction::Rename { from, to } => {
                ("rename", vec![from.clone()], vec![format!("--to={to}")])
            }
            FsAction::Write { path, .. } => ("write", vec![path.clone()], Vec::new()),
            FsAction::Trash { paths, recursive } => (
                "trash",
                paths.clone(),
                if *recursive {
                    vec!["--recursive".to_owned()]
                } else {
                    Vec::new()
                },
            ),
        };
        args.sort();
        Self {
            program: format!("fs:{op}"),
            wrappers: Vec::new(),
            flags,
            args,
            writes: Vec::new(),
        }
    }

    /// How the subject reads on a card or the Preferences page.
    pub fn display(&self) -> String {
        let mut words: Vec<&str> = self.wrappers.iter().map(String::as_str).collect();
        words.push(&self.program);
        words.extend(self.flags.iter().map(String::as_str));
        words.extend(self.args.iter().map(String::as_str));
        let mut text = words.join(" ");
        for target in &self.writes {
            text.push_str(" > ");
            text.push_str(target);
        }
        text
    }
}

/// The subjects of a step: one per simple command of a bash script, one for
/// a typed file action. `None` when the step cannot be parsed (or is python):
/// such steps are never decided by remembered rules.
pub fn subjects(action: &StepAction) -> Option<Vec<Subject>> {
    match action {
        StepAction::Bash { command } => crate::risk::parse(command)
            .ok()
            .and_then(|script| subjects_of(&script, |_| true)),
        // Never decided by remembered rules: each AWS change is judged on its own preview.
        StepAction::Python { .. } | StepAction::Aws { .. } => None,
        StepAction::Fs { action } => Some(vec![Subject::from_fs(action)]),
    }
}

/// The subjects of the commands of a parsed script that `keep` selects;
/// `None` when the script has hazards: such scripts are never decided by
/// remembered rules.
pub fn subjects_of(script: &Script, keep: impl Fn(&SimpleCommand) -> bool) -> Option<Vec<Subject>> {
    script.hazards.is_empty().then(|| {
        script
            .commands
            .iter()
            .filter(|command| keep(command))
            .map(Subject::from_command)
            .collect()
    })
}

/// Whether `rule` matches `subject` run in `cwd`.
pub fn matches(rule: &Rule, subject: &Subject, cwd: &Path) -> bool {
    let pattern = &rule.pattern;
    rule.enabled
        && cwd.starts_with(&rule.scope)
        && pattern.program == subject.program
        && pattern.wrappers == subject.wrappers
        && pattern.flags == subject.flags
        && pattern.writes == subject.writes
        && pattern.args.len() == subject.args.len()
        && pattern
            .args
            .iter()
            .zip(&subject.args)
            .all(|(pattern, arg)| arg_matches(pattern, arg))
}

/// An argument pattern is the exact word, or a glob when it contains `*`, `?`
/// or `[` (a glob never matches `~`, `/` or a path that leaves the scope by `..`).
fn arg_matches(pattern: &str, arg: &str) -> bool {
    if pattern == arg {
        return true;
    }
    let is_glob = pattern.contains(['*', '?', '[']);
    // An unexpanded word (`$HOME`, `${X:-}`, `$(…)`) could be anything at run time.
    let unexpanded = crate::shell::is_dynamic(arg);
    if !is_glob || unexpanded || arg.starts_with('~') || arg.starts_with('/') || arg.contains("..")
    {
        return false;
    }
    glob::Pattern::new(pattern).is_ok_and(|p| {
        p.matches_with(
            arg,
            glob::MatchOptions {
                case_sensitive: true,
                require_literal_separator: true,
                require_literal_leading_dot: true,
            },
        )
    })
}

/// What remembered rules say about one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// No rule decides it.
    Undecided,
    /// Every command is allowed by a rule (ids of the rules used).
    Allowed(Vec<i64>),
    /// A command is denied by this rule.
    Denied(i64),
}

/// Applies `rules` to a step run in `cwd`: any deny wins; allow needs every
/// command of the step covered.
pub fn verdict(rules: &[Rule], action: &StepAction, cwd: &Path) -> Verdict {
    match subjects(action) {
        Some(subjects) => verdict_for(rules, &subjects, cwd),
        None => Verdict::Undecided,
    }
}

/// Applies `rules` to the subjects of one step run in `cwd`.
pub fn verdict_for(rules: &[Rule], subjects: &[Subject], cwd: &Path) -> Verdict {
    if subjects.is_empty() {
        return Verdict::Undecided;
    }
    let mut used = Vec::new();
    for subject in subjects {
        let mut allowed_by = None;
        for rule in rules.iter().filter(|rule| matches(rule, subject, cwd)) {
            match rule.decision {
                RuleDecision::Deny => return Verdict::Denied(rule.id),
                RuleDecision::Allow => allowed_by = allowed_by.or(Some(rule.id)),
            }
        }
        match allowed_by {
            Some(id) => used.push(id),
            None => return Verdict::Undecided,
        }
    }
    used.sort_unstable();
    used.dedup();
    Verdict::Allowed(used)
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
