//! Integration test cases, one file per area.

mod context_files;
mod context_fresh;
mod context_git;
mod context_snapshot;
mod context_support;
mod exec_run;
mod fsops_apply_undo;
mod fsops_resolve_rate;
mod models_bedrock;
mod models_fake_bedrock;
mod models_openai;
mod planner_context;
mod planner_phrasings;
mod planner_precision;
mod planner_risk;
mod proc_support;
mod risk_corpus;
mod risk_properties;
mod rules_corpus;
mod sandbox_cgroup;
mod sandbox_files;
mod sandbox_git;
mod sandbox_limits;
mod sandbox_network;
mod sandbox_support;
mod shell_parse;
