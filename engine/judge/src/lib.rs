//! DevOS's judgement core: what a request means, what a command does and
//! how risky it is. Shell parsing, the risk engine, the policy, remembered
//! rules, the plan type and the built-in planner live here, and are pure:
//! no clock, no I/O, no network, no database. They are given what they
//! judge (the request, the context snapshot, the account homes) and answer
//! with values, so they build and test in seconds and `check-command` can
//! reuse them. The `engine` crate gathers context, stores, runs and undoes.

pub mod aws;
pub mod context;
pub mod plan;
pub mod planner;
pub mod policy;
pub mod risk;
pub mod rules;
pub mod shell;
pub mod typed_path;
