//! A typed file step: its exact, approved operations applied by the engine
//! itself, each checked against the write roots again and journaled before
//! it changes anything, so undo can revert it.

use super::Engine;
use super::run::{JobRun, StepEnd};
use crate::fsops::{self, FileOp};
use crate::sandbox;
use crate::store::StepRecord;
use crate::{Error, Result};

impl Engine {
    /// Applies one file step's operations in order, stopping at the first failure.
    pub(super) async fn run_file_ops(
        &self,
        run: &JobRun<'_>,
        step: &StepRecord,
    ) -> Result<StepEnd> {
        let (job, user_id) = (run.job, run.user_id);
        if step.ops.is_empty() {
            let line = format!("nothing to do: {}", step.preview);
            self.log_info(job, user_id, step.idx, &line).await?;
            return Ok(StepEnd::Done(line + "\n"));
        }
        let ops = step.ops.clone();
        let trash_dir = self.job_trash_dir(job);
        let temp_dir = self.job_tmp_dir(job);
        let mut roots = sandbox::job_write_roots(run.cwd, &temp_dir, false);
        roots.extend(run.extra_roots.iter().cloned());
        let store = self.store.clone();
        let idx = step.idx;
        let handle = tokio::runtime::Handle::current();
        let applied = tokio::task::spawn_blocking(move || {
            let mut done = Vec::new();
            for op in &ops {
                // Checked again now: a symlink planted since planning must not
                // redirect a write, move or trash out of the write roots.
                let checked = fsops::check_contained(op, &roots)
                    .and_then(|()| fsops::check_not_into_temp(op, &temp_dir));
                if let Err(error) = checked {
                    return (done, Some(error.to_string()));
                }
                let mut journal = |entry: &fsops::JournalEntry| {
                    handle.block_on(store.insert_journal(job, idx, entry))
                };
                if let Err(error) = fsops::apply(op, &trash_dir, &mut journal) {
                    return (done, Some(error.to_string()));
                }
                done.push(describe(op));
            }
            (done, None)
        })
        .await
        .map_err(|e| Error::Task(e.to_string()))?;
        let (done, error) = applied;
        let mut output = String::new();
        for line in &done {
            self.log_info(job, user_id, idx, line).await?;
            output.push_str(line);
            output.push('\n');
        }
        Ok(match error {
            None => StepEnd::Done(output),
            Some(error) => StepEnd::Failed(
                format!(
                    "{error} (the {} change(s) before it can be undone)",
                    done.len()
                ),
                None,
            ),
        })
    }
}

/// One line saying what a file op did.
fn describe(op: &FileOp) -> String {
    match op {
        FileOp::Mkdir { path } => format!("created folder {}", path.display()),
        FileOp::Move { from, to } => format!("moved {} → {}", from.display(), to.display()),
        FileOp::Copy { from, to } => format!("copied {} → {}", from.display(), to.display()),
        FileOp::Write { path, content } => {
            format!("wrote {} ({} bytes)", path.display(), content.len())
        }
        FileOp::Trash { path } => format!("moved to trash: {}", path.display()),
    }
}
