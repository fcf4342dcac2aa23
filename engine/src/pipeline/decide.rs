//! Decide: the plan assessed step by step (risk, policy, remembered rules,
//! the sandbox this machine gives, AWS checks, undo limits), saved with the
//! write roots it was decided with, then pending, approved or failed.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use protocol::LiveEvent;

use super::{Engine, assess, snapshots, undo_limits};
use crate::Result;
use crate::job::{JobId, JobStatus};
use crate::plan::Decision;
use crate::sandbox;
use crate::store::{SavedPlan, UserSettings, now_unix};

impl Engine {
    /// Plans the job, assesses every step with the write roots, network and
    /// undo limits it will run with, stores all of it, and then asks for
    /// approval, runs it, or fails it as the decision says.
    pub(super) async fn plan_and_decide(
        self: &Arc<Self>,
        job: JobId,
        user_id: i64,
        request: &str,
        cwd: &Path,
        timeout: Duration,
        settings: &UserSettings,
    ) -> Result<()> {
        let Some(planned) = self.make_plan(job, user_id, request, cwd).await? else {
            return Ok(());
        };
        let plan = planned.plan;
        let remembered = self.store.rules(user_id).await?;
        let scope = self.scope(job, cwd, settings);
        let from_builtin = planned.planner == "builtin";
        let assessed =
            assess::assess_plan(&self.policy, &scope, &remembered, &plan).map(|assessed| {
                if from_builtin {
                    assess::allow_requested_reads(assessed, request, scope.auto_approve_safe)
                } else {
                    assessed
                }
            });
        let confined = self.config.sandbox.landlock && sandbox::is_confining();
        let mut assessed = match assessed {
            Ok(assessed) if confined => assessed,
            Ok(assessed) => assess::without_sandbox(assessed, from_builtin),
            Err(error) => {
                return self
                    .fail(
                        job,
                        JobStatus::Planning,
                        &format!("cannot plan this: {error}"),
                    )
                    .await;
            }
        };
        if let Err(message) = self.check_aws_steps(&mut assessed, &plan, &scope).await {
            return self
                .fail(
                    job,
                    JobStatus::Planning,
                    &format!("cannot plan this: {message}"),
                )
                .await;
        }
        let assessed = if snapshots::needs_snapshots(&assessed.steps) {
            let roots = snapshots::snapshot_roots(cwd, &settings.write_roots);
            let coverage = self.snapshot_coverage(roots).await;
            undo_limits::with_undo_limits(assessed, &coverage, confined)
        } else {
            assessed
        };
        let needs_approval = assessed.decision == Decision::Prompt;
        let deadline = needs_approval
            .then(|| now_unix() + i64::try_from(timeout.as_secs()).unwrap_or(i64::MAX / 2));
        self.store
            .save_plan(
                job,
                &SavedPlan {
                    planner: &planned.planner,
                    interpretation: &plan.interpretation,
                    explanation: &plan.explanation,
                    risks: &assessed.risks,
                    requires_approval: needs_approval,
                    approval_deadline_at: deadline,
                    estimated_cost_micros: planned.estimated_cost_micros,
                    model_used: planned.model_used.as_deref(),
                    steps: &assessed.steps,
                    write_roots: &settings.write_roots,
                },
            )
            .await?;
        self.store.record_rule_hits(&assessed.rule_hits).await?;
        match assessed.decision {
            Decision::Forbid => {
                let reasons: Vec<String> = assessed
                    .steps
                    .iter()
                    .filter(|s| s.decision == Decision::Forbid)
                    .map(|s| format!("step {}: {}", s.idx + 1, s.reasons.join("; ")))
                    .collect();
                self.fail(
                    job,
                    JobStatus::Planning,
                    &format!(
                        "refused by policy, this can never run: {}",
                        reasons.join(" | ")
                    ),
                )
                .await
            }
            Decision::Prompt => {
                if self
                    .set_status(job, JobStatus::Planning, JobStatus::Pending, None)
                    .await?
                {
                    self.publish(
                        user_id,
                        LiveEvent::ApprovalRequest {
                            job_id: job,
                            summary: plan.interpretation.clone(),
                            risks: assessed.risks,
                        },
                    );
                }
                Ok(())
            }
            Decision::Allow => {
                if self
                    .set_status(job, JobStatus::Planning, JobStatus::Approved, None)
                    .await?
                {
                    self.spawn_run(job, user_id);
                }
                Ok(())
            }
        }
    }
}
