//! The built-in planner: deterministic, offline and pure (no I/O, clock or
//! randomness). A table of intents — name, example phrasings, matcher and
//! builder — turns everyday developer requests into plans. File changes are
//! typed [`crate::plan::FsAction`]s; reads are read-only bash with every
//! piece of user text shell-quoted.

mod amounts;
mod intent;
mod intents_aws;
mod intents_aws_compute;
mod intents_changes;
mod intents_delete;
mod intents_destroy;
mod intents_edit;
mod intents_files;
mod intents_git;
mod intents_git_changes;
mod intents_git_compare;
mod intents_git_danger;
mod intents_git_info;
mod intents_git_remote;
mod intents_host;
mod intents_inspect;
mod intents_lines;
mod intents_processes;
mod intents_replace;
mod intents_system;
mod intents_text;
mod literal;
mod prose;
mod query;
mod quote;
mod slot_words;
mod slots;
mod steps;

use std::path::Path;

use crate::context::ContextSnapshot;
use crate::typed_path::AccountHome;

use crate::plan::Plan;

use intent::Intent;
use query::Query;

/// Below this confidence the caller does not use the plan: it routes the
/// request to a model when one is configured, otherwise fails the job with
/// "could not plan this" and the suggestions.
pub const CONFIDENCE_THRESHOLD: f32 = 0.6;

/// What the built-in planner gets.
#[derive(Debug, Clone, Copy)]
pub struct PlanRequest<'a> {
    /// The request as typed.
    pub text: &'a str,
    /// The job's directory; relative paths resolve against it.
    pub cwd: &'a Path,
    /// The user's home; `~` resolves to it.
    pub home: &'a Path,
    /// Finds other accounts' homes, for `~name` (the engine reads
    /// `/etc/passwd`; [`crate::typed_path::no_accounts`] knows none).
    pub account_home: AccountHome,
    /// What the context engine knows about `cwd` (repository state, listening
    /// dev servers), when it runs. Plans use it to pick the right command.
    pub context: Option<&'a ContextSnapshot>,
}

/// What the built-in planner answers.
#[derive(Debug, Clone, PartialEq)]
pub enum BuiltinOutcome {
    /// The request matched an intent.
    Planned {
        /// The plan, with absolute paths.
        plan: Plan,
        /// How sure the matcher is, in `0.0..=1.0`; compare with [`CONFIDENCE_THRESHOLD`].
        confidence: f32,
        /// The intent that matched (`list_files`, `git_commit`, …), for logs and tests.
        intent: &'static str,
    },
    /// No intent fits well enough, or a needed detail (a file name, a commit
    /// message) is missing.
    NotUnderstood {
        /// A sentence for the user, starting "I could not plan this with the built-in planner".
        message: String,
        /// Up to three supported phrasings closest to the request.
        suggestions: Vec<String>,
    },
}

/// Confidence of a plan that runs a command the user wrote.
const LITERAL_CONFIDENCE: f32 = 0.95;

/// Most suggestions offered with [`BuiltinOutcome::NotUnderstood`].
const MAX_SUGGESTIONS: usize = 3;

/// Every intent, grouped by topic; earlier rows win ties.
fn intents() -> impl Iterator<Item = &'static Intent> {
    intents_aws::INTENTS
        .iter()
        .chain(intents_aws_compute::INTENTS)
        .chain(intents_inspect::INTENTS)
        .chain(intents_files::INTENTS)
        .chain(intents_edit::INTENTS)
        .chain(intents_replace::INTENTS)
        .chain(intents_destroy::INTENTS)
        .chain(intents_changes::INTENTS)
        .chain(intents_delete::INTENTS)
        .chain(intents_lines::INTENTS)
        .chain(intents_text::INTENTS)
        .chain(intents_git_compare::INTENTS)
        .chain(intents_git_info::INTENTS)
        .chain(intents_git_changes::INTENTS)
        .chain(intents_git_danger::INTENTS)
        .chain(intents_git_remote::INTENTS)
        .chain(intents_git::INTENTS)
        .chain(intents_system::INTENTS)
        .chain(intents_host::INTENTS)
        .chain(intents_processes::INTENTS)
}

/// Plans `req` with the built-in intent table.
pub fn plan_builtin(req: &PlanRequest<'_>) -> BuiltinOutcome {
    match literal::literal(req.text) {
        literal::Literal::Run(command) => return run_written(&command),
        literal::Literal::Decline => {
            return BuiltinOutcome::NotUnderstood {
                message: "I could not plan this with the built-in planner: the request quotes a command but does \
                          not ask to run it. To run it, write \"run this: <command>\"."
                    .to_owned(),
                suggestions: vec!["run this: ls -la".to_owned()],
            };
        }
        literal::Literal::None => {}
    }
    match literal::bare_command(req.text) {
        Some(command) => run_written(&command),
        None => plan_with_intents(req),
    }
}

/// The plan that runs a command the user wrote, as written.
fn run_written(command: &str) -> BuiltinOutcome {
    BuiltinOutcome::Planned {
        plan: literal::run_plan(command),
        confidence: LITERAL_CONFIDENCE,
        intent: "run_command",
    }
}

/// Plans `req` with the best-scoring intent, or says why none fits.
fn plan_with_intents(req: &PlanRequest<'_>) -> BuiltinOutcome {
    let mut query = Query::new(req.text, req.cwd, req.home);
    query.account_home = req.account_home;
    query.context = req.context;
    query.join_known_names();
    query.effects = intent::asked_effects(&query);
    query.asks_change = intent::asks_change(&query);
    let is_unsupported = intent::asks_unsupported(&query);
    let about_aws = intents_aws::is_about_aws(&query);
    let mut scored: Vec<(f32, &Intent)> = intents()
        .map(|intent| {
            // A request about S3, EC2 or Lambda is never answered on this machine.
            let is_aws = intent.name.starts_with("aws_");
            let score = if about_aws && !is_aws {
                0.0
            } else {
                intent.score(&query)
            };
            // Still ranked for suggestions, but never above the threshold.
            let score = if is_unsupported {
                score.min(0.3)
            } else {
                score
            };
            (score, intent)
        })
        .collect();
    // Stable sort: among equal scores the earlier (more specific) row stays first.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let suggestions: Vec<String> = scored
        .iter()
        .filter(|(score, _)| *score > 0.0)
        // Cloud calls are suggested only to a request about the cloud.
        .filter(|(_, intent)| about_aws || !intent.name.starts_with("aws_"))
        .filter_map(|(_, intent)| intent.examples.first().map(|example| (*example).to_owned()))
        .take(MAX_SUGGESTIONS)
        .collect();
    let suggestions = if suggestions.is_empty() {
        default_suggestions()
    } else {
        suggestions
    };
    let Some((confidence, intent)) = scored
        .first()
        .filter(|(score, _)| *score >= CONFIDENCE_THRESHOLD)
    else {
        return BuiltinOutcome::NotUnderstood {
            message: "I could not plan this with the built-in planner. Try one of the suggestions, or configure a model \
                      for open-ended requests."
                .to_owned(),
            suggestions,
        };
    };
    // What this intent's own phrases and slots take in, not another row's.
    query.forget_negation_reads();
    intent.score(&query);
    let built = (intent.build)(&query);
    if let (Ok(_), Some(word)) = (&built, query.unread_negation()) {
        return BuiltinOutcome::NotUnderstood {
            message: format!(
                "I could not plan this with the built-in planner: it cannot leave out what \
                 \"{word} …\" leaves out. Ask only for what to do, or configure a model for \
                 requests like this."
            ),
            suggestions,
        };
    }
    match built {
        Ok(mut plan) => {
            prose::shorten_paths(&mut plan, req.cwd, req.home);
            BuiltinOutcome::Planned {
                plan,
                confidence: *confidence,
                intent: intent.name,
            }
        }
        Err(missing) => BuiltinOutcome::NotUnderstood {
            message: format!("I could not plan this with the built-in planner: {missing}"),
            suggestions: intent
                .examples
                .iter()
                .take(MAX_SUGGESTIONS)
                .map(|example| (*example).to_owned())
                .collect(),
        },
    }
}

fn default_suggestions() -> Vec<String> {
    [
        "list the files in ~/Downloads",
        "show git status",
        "what is listening on port 8080",
    ]
    .map(str::to_owned)
    .to_vec()
}

/// Each intent's name and example phrasings, for help screens and docs.
pub fn supported_phrasings() -> Vec<(&'static str, &'static [&'static str])> {
    intents()
        .map(|intent| (intent.name, intent.examples))
        .collect()
}
