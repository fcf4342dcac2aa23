//! `devos eval`: runs a case file of requests through the real engine, each
//! in a fresh folder, and reports pass rates, precision, declines and how
//! dangerous requests were gated. It evaluates; it never approves a
//! dangerous case and never touches the user's own folders.

mod cases;
mod report;
mod run;

pub use cases::{Case, ExpectedApproval, parse_cases};
pub use report::{Summary, summarize};
pub use run::{CaseOutcome, run_case};
