//! Planning: turning a request into a [`crate::plan::Plan`]. This module
//! plans; it never executes, rates risk authoritatively or calls a model
//! itself. Only the built-in planner lives here so far.

pub mod builtin;

pub use builtin::{BuiltinOutcome, CONFIDENCE_THRESHOLD, PlanRequest, plan_builtin};
