//! The planning stage: the built-in planner first; when it cannot plan a
//! request and models are configured, the model router (cheapest fitting
//! model within budget), with the model's text streamed to the job card.

use std::path::Path;
use std::sync::Arc;

use protocol::{LiveEvent, LogStream};

use super::Engine;
use crate::context::{ContextSnapshot, ProcessDetail, SnapshotRequest};
use crate::job::{JobId, JobStatus};
use crate::models::cost::micros_to_usd;
use crate::models::{ModelsError, PlanningRequest, PromptInput, plan_with_models};
use crate::plan::Plan;
use crate::planner::{BuiltinOutcome, PlanRequest, plan_builtin};
use crate::store::now_unix;
use crate::{Error, Result};

/// A plan and who made it.
pub(super) struct Planned {
    pub plan: Plan,
    /// `builtin` or the model id.
    pub planner: String,
    pub model_used: Option<String>,
    pub estimated_cost_micros: i64,
}

impl Engine {
    /// The context snapshot for `text` in `cwd` (see
    /// [`ContextEngine::snapshot_for`](crate::context::ContextEngine::snapshot_for)),
    /// built off the async runtime because a folder outside the index is
    /// walked and processes may be refreshed. `None` when no context engine runs.
    pub async fn context_snapshot(
        &self,
        cwd: &Path,
        text: &str,
        processes: ProcessDetail,
        token_budget: usize,
    ) -> Result<Option<ContextSnapshot>> {
        let Some(context) = &self.context else {
            return Ok(None);
        };
        let (context, cwd, text) = (Arc::clone(context), cwd.to_path_buf(), text.to_owned());
        let snapshot = tokio::task::spawn_blocking(move || {
            context.snapshot_for(&SnapshotRequest {
                cwd: &cwd,
                text: &text,
                token_budget,
                processes,
            })
        })
        .await
        .map_err(|error| Error::Task(format!("context snapshot: {error}")))?;
        Ok(Some(snapshot))
    }

    /// Makes `dir` a workspace root for everyone on this DevOS: watched and
    /// indexed from now on, and after a restart (it is recorded, with
    /// `user` as the one who added it). Refuses `/`, system directories,
    /// paths that are not UTF-8 and folders inside or around a root already
    /// followed. Returns the folder as followed (symlinks resolved).
    pub async fn add_workspace_root(&self, user: i64, dir: &Path) -> Result<std::path::PathBuf> {
        let Some(context) = &self.context else {
            return Err(Error::Conflict(
                "the context engine is not running, so no folder can be watched".to_owned(),
            ));
        };
        let dir = std::fs::canonicalize(dir)
            .map_err(|error| Error::Invalid(format!("{}: {error}", dir.display())))?;
        if dir.to_str().is_none() {
            return Err(Error::Invalid(format!(
                "{} is not valid UTF-8 and cannot be recorded",
                dir.display()
            )));
        }
        if dir == Path::new("/") || crate::risk::is_system_dir(&dir) {
            return Err(Error::Invalid(format!(
                "{} is a system directory; watch a project folder instead",
                dir.display()
            )));
        }
        context.add_root(&dir)?;
        self.store.add_workspace_root(&dir, user).await?;
        tracing::info!(root = %dir.display(), user, "workspace root added");
        Ok(dir)
    }

    /// The redacted, budget-trimmed context snapshot for a job, stored with it
    /// so the card can show exactly what a planner saw.
    async fn context_for(
        &self,
        job: JobId,
        cwd: &Path,
        request: &str,
    ) -> Result<Option<ContextSnapshot>> {
        let budget = usize::try_from(self.config.context.token_budget).unwrap_or(usize::MAX);
        let Some(snapshot) = self
            .context_snapshot(cwd, request, ProcessDetail::WhenAsked, budget)
            .await?
        else {
            return Ok(None);
        };
        if let Ok(json) = serde_json::to_string(&snapshot) {
            self.store.set_job_context(job, &json).await?;
        }
        Ok(Some(snapshot))
    }

    /// Plans `request`; `Ok(None)` when planning failed and the job was marked failed.
    pub(super) async fn make_plan(
        &self,
        job: JobId,
        user_id: i64,
        request: &str,
        cwd: &Path,
    ) -> Result<Option<Planned>> {
        let snapshot = self.context_for(job, cwd, request).await?;
        let outcome = plan_builtin(&PlanRequest {
            text: request,
            cwd,
            home: &self.home,
            account_home: crate::typed_path::account_home,
            context: snapshot.as_ref(),
        });
        let (message, suggestions) = match outcome {
            BuiltinOutcome::Planned { plan, .. } => {
                return Ok(Some(Planned {
                    plan,
                    planner: "builtin".into(),
                    model_used: None,
                    estimated_cost_micros: 0,
                }));
            }
            BuiltinOutcome::NotUnderstood {
                message,
                suggestions,
            } => (message, suggestions),
        };
        let Some(router) = &self.models else {
            let mut text = message;
            if !suggestions.is_empty() {
                text.push_str("\nYou could try: ");
                text.push_str(&suggestions.join(" · "));
            }
            text.push_str("\nTo plan requests like this with a language model, enable one with DEVOS_PROVIDERS.");
            self.fail(job, JobStatus::Planning, &text).await?;
            return Ok(None);
        };
        let preferences: Vec<String> = self
            .store
            .rules(user_id)
            .await?
            .iter()
            .filter(|rule| rule.enabled)
            .map(|rule| {
                format!(
                    "{} `{}` in {}",
                    rule.decision.as_str(),
                    rule.pattern.display(),
                    rule.scope.display()
                )
            })
            .collect();
        let context = snapshot.as_ref().map_or_else(
            || serde_json::json!({ "cwd": cwd }),
            |snapshot| {
                serde_json::to_value(snapshot).unwrap_or_else(|_| serde_json::json!({ "cwd": cwd }))
            },
        );
        let events = self.events.clone();
        let on_text = move |text: &str| {
            events.publish(
                user_id,
                LiveEvent::PlanText {
                    job_id: job,
                    text: text.to_owned(),
                },
            );
        };
        let planning = PlanningRequest {
            job_id: Some(job.0),
            prompt: PromptInput {
                request,
                context: &context,
                preferences: &preferences,
            },
            now_at: now_unix(),
            budgets: Some(self.budgets_for(user_id).await?),
        };
        match plan_with_models(router, &self.store, &planning, &on_text).await {
            Ok(model_plan) => {
                let note = format!(
                    "planned by {} ({}; estimated at most ${:.6})",
                    model_plan.model_used,
                    model_plan.complexity_reason,
                    micros_to_usd(model_plan.estimated_cost_micros)
                );
                self.store
                    .append_logs(job, 0, &[(LogStream::Info, &note)])
                    .await?;
                Ok(Some(Planned {
                    plan: model_plan.plan,
                    planner: model_plan.model_used.clone(),
                    model_used: Some(model_plan.model_used),
                    estimated_cost_micros: model_plan.estimated_cost_micros,
                }))
            }
            Err(error) => {
                let text = match &error {
                    ModelsError::InvalidPlan { reply, .. } => {
                        format!("{error}\n--- the model's reply ---\n{reply}")
                    }
                    ModelsError::Refused(refusal) => refusal.message(),
                    ModelsError::NoModel(_)
                    | ModelsError::Provider { .. }
                    | ModelsError::Store(_) => error.to_string(),
                };
                self.fail(job, JobStatus::Planning, &text).await?;
                Ok(None)
            }
        }
    }
}
