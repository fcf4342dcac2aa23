//! What the Costs page receives: spend against each budget, spend per day,
//! per model and per provider, the costliest jobs, what the built-in
//! planner saved, and the budgets as the form edits them.

use serde::{Deserialize, Serialize};

/// Spend of one period against its budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetBarView {
    /// "Today", "This month", "Costliest job this month".
    pub label: String,
    /// "$0.0123".
    pub spent: String,
    /// "$1.00".
    pub limit: String,
    /// How full the bar is, 0 to 100.
    pub percent: u32,
}

/// One day of the spend chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySpendView {
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    /// Actual cost, micro-dollars (the bar's height).
    pub micros: i64,
    /// "$0.0012".
    pub cost: String,
    /// Calls that day.
    pub calls: i64,
}

/// One row of a spend table (by model or by provider).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpendRowView {
    /// Model id or provider.
    pub key: String,
    /// Calls, refused ones included.
    pub calls: i64,
    /// Input tokens.
    pub input_tokens: i64,
    /// Output tokens.
    pub output_tokens: i64,
    /// "$0.0012".
    pub cost: String,
}

/// A job among the costliest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostlyJobView {
    /// Job id.
    pub id: i64,
    /// What was asked.
    pub request: String,
    /// "$0.0012".
    pub cost: String,
}

/// What the built-in planner saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavingsView {
    /// Requests it planned, ever.
    pub jobs: i64,
    /// This month.
    pub jobs_this_month: i64,
    /// "$0.0480".
    pub saved: String,
    /// This month.
    pub saved_this_month: String,
    /// How it was priced, in words.
    pub basis: String,
}

/// The budgets, in dollars as the form shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetsView {
    /// Per job.
    pub per_job: String,
    /// Per UTC day.
    pub daily: String,
    /// Per UTC month.
    pub monthly: String,
    /// Whether they are the person's own (else the config's).
    pub own: bool,
}

/// The Costs page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostsView {
    /// Today, this month, the costliest job this month.
    pub bars: Vec<BudgetBarView>,
    /// Spent since the first call.
    pub all_time: String,
    /// The last 30 days, oldest first, every day present.
    pub days: Vec<DaySpendView>,
    /// This month by model.
    pub by_model: Vec<SpendRowView>,
    /// This month by provider.
    pub by_provider: Vec<SpendRowView>,
    /// The costliest jobs.
    pub costliest: Vec<CostlyJobView>,
    /// What the built-in planner saved.
    pub savings: SavingsView,
    /// The budgets in force.
    pub budgets: BudgetsView,
}
