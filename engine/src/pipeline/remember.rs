//! Remembered approvals on the engine side: turning a decided job into
//! rules, creating rules from a command, and measuring what a rule would
//! have matched in past jobs.

use std::path::Path;

use serde::Serialize;

use super::Engine;
use crate::job::JobId;
use crate::plan::{Decision, StepAction};
use crate::rules::{self, Rule, RuleDecision};
use crate::store::{JobFilter, JobRecord, StepRecord};
use crate::{Error, Result};

/// How many past jobs are searched when measuring a rule.
const HISTORY_SCAN: u32 = 200;

/// A rule with how often it would have applied to past jobs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleUsage {
    /// The rule.
    pub rule: Rule,
    /// Past jobs with a step it matches.
    pub matched_jobs: usize,
    /// A few of them: (job id, request).
    pub examples: Vec<(i64, String)>,
}

/// A rule's scope is a directory subtree, so it must be absolute.
fn require_absolute(scope: &Path) -> Result<()> {
    if scope.is_absolute() {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "`scope` must be an absolute directory, not `{}`",
            scope.display()
        )))
    }
}

impl Engine {
    /// Makes rules from the steps of `job` that needed the decision.
    pub(super) async fn remember(
        &self,
        user_id: i64,
        job: &JobRecord,
        approved: bool,
    ) -> Result<()> {
        let decision = if approved {
            RuleDecision::Allow
        } else {
            RuleDecision::Deny
        };
        let mut settings = self.store.user_settings(user_id).await?;
        // Rules are about the job as it was decided.
        settings.write_roots.clone_from(&job.write_roots);
        let scope = self.scope(job.id, &job.cwd, &settings);
        for step in self.store.steps(job.id).await? {
            if step.decision != Decision::Prompt {
                continue;
            }
            let subjects = match (&step.action, decision) {
                // A rejection is about what made the step ask, not its harmless neighbours.
                (StepAction::Bash { command }, RuleDecision::Deny) => {
                    crate::risk::parse(command).ok().and_then(|script| {
                        rules::subjects_of(&script, |c| {
                            crate::risk::command_decision(&self.policy, &scope, c)
                                != Decision::Allow
                        })
                    })
                }
                _ => rules::subjects(&step.action),
            };
            for subject in subjects.unwrap_or_default() {
                self.store
                    .upsert_rule(user_id, &subject, &job.cwd, decision, Some(job.id.0))
                    .await?;
            }
        }
        Ok(())
    }

    /// Creates rules from a shell command (one per simple command in it).
    pub async fn create_rules(
        &self,
        user_id: i64,
        command: &str,
        scope: &Path,
        decision: RuleDecision,
    ) -> Result<Vec<i64>> {
        require_absolute(scope)?;
        let action = StepAction::Bash {
            command: command.to_owned(),
        };
        let subjects = rules::subjects(&action)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "`{command}` is not a shell command DevOS can parse"
                ))
            })?;
        let mut ids = Vec::new();
        for subject in subjects {
            ids.push(
                self.store
                    .upsert_rule(user_id, &subject, scope, decision, None)
                    .await?,
            );
        }
        Ok(ids)
    }

    /// The user's rules with their matches in recent jobs; `scope_override`
    /// previews a rule's matches under an edited scope before saving it.
    pub async fn rule_usage(
        &self,
        user_id: i64,
        scope_override: Option<(i64, &Path)>,
    ) -> Result<Vec<RuleUsage>> {
        let history: Vec<JobRecord> = self
            .store
            .list_jobs(
                user_id,
                &JobFilter {
                    limit: HISTORY_SCAN,
                    ..JobFilter::default()
                },
            )
            .await?
            .into_iter()
            .map(|with_undo| with_undo.job)
            .collect();
        let ids: Vec<JobId> = history.iter().map(|job| job.id).collect();
        let mut steps_of = self.store.steps_of(&ids).await?;
        let steps: Vec<Vec<StepRecord>> = ids
            .iter()
            .map(|id| steps_of.remove(id).unwrap_or_default())
            .collect();
        let mut usage = Vec::new();
        for mut rule in self.store.rules(user_id).await? {
            if let Some((id, scope)) = scope_override
                && id == rule.id
            {
                rule.scope = scope.to_path_buf();
            }
            let mut probe = rule.clone();
            probe.enabled = true;
            let matched: Vec<(i64, String)> = history
                .iter()
                .zip(&steps)
                .filter(|(job, job_steps)| {
                    job_steps.iter().any(|step| {
                        rules::subjects(&step.action).is_some_and(|subjects| {
                            subjects.iter().any(|s| rules::matches(&probe, s, &job.cwd))
                        })
                    })
                })
                .map(|(job, _)| (job.id.0, job.request.clone()))
                .collect();
            usage.push(RuleUsage {
                matched_jobs: matched.len(),
                examples: matched.into_iter().take(3).collect(),
                rule,
            });
        }
        Ok(usage)
    }

    /// Edits a rule's scope and enabled flag.
    pub async fn update_rule(
        &self,
        user_id: i64,
        id: i64,
        scope: &Path,
        enabled: bool,
    ) -> Result<()> {
        require_absolute(scope)?;
        if self.store.update_rule(user_id, id, scope, enabled).await? {
            Ok(())
        } else {
            Err(Error::NotFound(format!("rule {id}")))
        }
    }

    /// Deletes a rule.
    pub async fn delete_rule(&self, user_id: i64, id: i64) -> Result<()> {
        if self.store.delete_rule(user_id, id).await? {
            Ok(())
        } else {
            Err(Error::NotFound(format!("rule {id}")))
        }
    }
}
