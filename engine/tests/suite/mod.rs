//! Integration test cases, one file per area.

mod context_files;
mod context_git;
mod context_snapshot;
mod context_support;
mod exec_run;
mod fsops_apply_undo;
mod fsops_resolve_rate;
mod planner_phrasings;
