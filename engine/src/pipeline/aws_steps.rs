//! The pipeline's side of `aws` steps: checking each one against AWS before
//! the decision (account, region, exactly what a change touches) and running
//! it, with downloads placed through the undo journal.

use std::path::PathBuf;

use protocol::LogStream;

use super::Engine;
use super::assess::{self, AssessedPlan};
use super::run::{JobRun, StepEnd};
use crate::aws::{AwsCall, Local};
use crate::fsops;
use crate::plan::{Plan, StepAction};
use crate::risk::Scope;
use crate::sandbox;
use crate::store::StepRecord;
use crate::{Error, Result};

impl Engine {
    /// Checks every AWS step of `plan` and puts the findings on its card.
    /// `Err` carries the sentence the job fails with.
    pub(super) async fn check_aws_steps(
        &self,
        assessed: &mut AssessedPlan,
        plan: &Plan,
        scope: &Scope,
    ) -> std::result::Result<(), String> {
        for (idx, step) in plan.steps.iter().enumerate() {
            let StepAction::Aws { region, call } = &step.action else {
                continue;
            };
            let checked = self
                .aws
                .prepare(
                    call.clone(),
                    region.as_deref(),
                    &scope.cwd,
                    &scope.write_roots,
                )
                .await
                .map_err(|error| format!("step {}: {error}", idx + 1))?;
            assess::apply_aws(
                assessed,
                idx,
                step.safety_level,
                checked,
                scope.auto_approve_safe,
            );
        }
        Ok(())
    }

    /// Runs one AWS step; its output lines go to the log as they would for a process.
    pub(super) async fn run_aws(
        &self,
        run: &JobRun<'_>,
        step: &StepRecord,
        region: Option<&str>,
        call: &AwsCall,
    ) -> Result<StepEnd> {
        let part_dir = self.job_tmp_dir(run.job);
        let mut roots = sandbox::job_write_roots(run.cwd, &part_dir, false);
        roots.extend(run.extra_roots.iter().cloned());
        let store = self.store.clone();
        let (job, idx) = (run.job, step.idx);
        let place = move |part: PathBuf,
                          to: PathBuf|
              -> futures::future::BoxFuture<'static, Result<PathBuf>> {
            let store = store.clone();
            // Checked again now, as typed file steps are: a symlink planted
            // since the card (or a key's folder that is one) must not lead out.
            let contained = fsops::is_contained(&to, &roots, false);
            Box::pin(async move {
                if !contained {
                    return Err(Error::Conflict(format!(
                        "{} leads outside the write roots through a symlink; nothing was saved",
                        to.display()
                    )));
                }
                let handle = tokio::runtime::Handle::current();
                tokio::task::spawn_blocking(move || {
                    let mut journal = |entry: &fsops::JournalEntry| {
                        handle.block_on(store.insert_journal(job, idx, entry))
                    };
                    fsops::adopt(&part, &to, &mut journal)
                })
                .await
                .map_err(|e| Error::Task(e.to_string()))?
            })
        };
        let local = Local {
            cwd: run.cwd,
            part_dir: &part_dir,
            place: &place,
        };
        let outcome = tokio::select! {
            outcome = self.aws.run(call, region, &local) => outcome,
            () = run.cancel.cancelled() => return Ok(StepEnd::Cancelled),
        };
        match outcome {
            Ok(lines) => {
                let mut output = String::new();
                for line in &lines {
                    self.log_to(run.job, run.user_id, idx, LogStream::Stdout, line)
                        .await?;
                    output.push_str(line);
                    output.push('\n');
                }
                Ok(StepEnd::Done(output))
            }
            Err(error) => Ok(StepEnd::Failed(error.to_string(), None)),
        }
    }
}
