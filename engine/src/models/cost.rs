//! Token and cost estimates and budget checks: pure functions over prices and
//! amounts passed in. Money is integer micro-dollars; estimates round up and
//! assume the whole output cap is used, so a call that passes the budget check
//! cannot exceed a budget however long its answer.

use crate::config::BudgetConfig;

use super::config::{ModelSpec, usd_to_micros};
use super::provider::Prompt;

/// Tokens added per call for message framing and the tool definition wrapper.
const OVERHEAD_TOKENS: u64 = 64;

/// Rough input tokens of a prompt: characters / 4, plus framing overhead.
/// The schema is counted once more because providers send it as a tool or
/// response format besides the system text.
pub fn estimate_input_tokens(prompt: &Prompt) -> u64 {
    let schema_chars = prompt.schema.to_string().chars().count();
    let chars = prompt.system.chars().count() + prompt.user.chars().count() + schema_chars;
    u64::try_from(chars.div_ceil(4)).unwrap_or(u64::MAX) + OVERHEAD_TOKENS
}

/// Cost of a call in micro-dollars, rounded up to the next micro-dollar.
pub fn cost_micros(model: &ModelSpec, input_tokens: u64, output_tokens: u64) -> i64 {
    let part = |tokens: u64, price: i64| -> i128 {
        let total = i128::from(tokens) * i128::from(price.max(0));
        (total + 999_999) / 1_000_000
    };
    let sum = part(input_tokens, model.input_micros_per_mtok)
        + part(output_tokens, model.output_micros_per_mtok);
    i64::try_from(sum).unwrap_or(i64::MAX)
}

/// Worst-case cost of sending `input_tokens` to `model`: the whole output cap used.
pub fn estimate_micros(model: &ModelSpec, input_tokens: u64) -> i64 {
    cost_micros(model, input_tokens, model.max_output_tokens)
}

/// Budgets in micro-dollars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budgets {
    /// Largest spend of one job.
    pub per_job_micros: i64,
    /// Spend per UTC day.
    pub daily_micros: i64,
    /// Spend per UTC month.
    pub monthly_micros: i64,
}

impl Budgets {
    /// Converts `[budgets]` from dollars; a negative or non-finite value counts as 0.
    pub fn from_config(config: &BudgetConfig) -> Self {
        let micros = |usd: f64| usd_to_micros(usd).unwrap_or(0);
        Self {
            per_job_micros: micros(config.per_job_usd),
            daily_micros: micros(config.daily_usd),
            monthly_micros: micros(config.monthly_usd),
        }
    }
}

/// What has been spent already, in micro-dollars.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Spent {
    /// By this job (earlier attempts included).
    pub job_micros: i64,
    /// Today (UTC).
    pub day_micros: i64,
    /// This month (UTC).
    pub month_micros: i64,
}

/// Which budget a call would break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetKind {
    /// `budgets.per_job_usd`.
    PerJob,
    /// `budgets.daily_usd`.
    Daily,
    /// `budgets.monthly_usd`.
    Monthly,
}

/// A call that was not made because it could exceed a budget.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct BudgetRefusal {
    /// The budget that would be exceeded.
    pub kind: BudgetKind,
    /// The model that would have been called.
    pub model: String,
    /// Its worst-case cost.
    pub estimate_micros: i64,
    /// Already spent against that budget.
    pub spent_micros: i64,
    /// The budget.
    pub limit_micros: i64,
}

impl BudgetRefusal {
    /// Says which budget, the estimate and what the user can do.
    pub fn message(&self) -> String {
        let (name, key, wait) = match self.kind {
            BudgetKind::PerJob => (
                "per-job",
                "per_job_usd",
                "split the request into smaller ones",
            ),
            BudgetKind::Daily => ("daily", "daily_usd", "wait until tomorrow (UTC)"),
            BudgetKind::Monthly => ("monthly", "monthly_usd", "wait until next month (UTC)"),
        };
        format!(
            "Not calling {model}: it could cost up to {estimate}, and with {spent} already spent \
             that would exceed the {name} budget of {limit}. You can raise budgets.{key} in \
             Settings or devos.toml, {wait}, or use a local model (DEVOS_PROVIDERS=openai), \
             which costs nothing.",
            model = self.model,
            estimate = format_usd(self.estimate_micros),
            spent = format_usd(self.spent_micros),
            limit = format_usd(self.limit_micros),
        )
    }
}

/// Checks a worst-case estimate against every budget, per job first.
pub fn check_budgets(
    model: &str,
    estimate_micros: i64,
    spent: Spent,
    budgets: Budgets,
) -> Result<(), BudgetRefusal> {
    let checks = [
        (BudgetKind::PerJob, spent.job_micros, budgets.per_job_micros),
        (BudgetKind::Daily, spent.day_micros, budgets.daily_micros),
        (
            BudgetKind::Monthly,
            spent.month_micros,
            budgets.monthly_micros,
        ),
    ];
    for (kind, spent_micros, limit_micros) in checks {
        if spent_micros.saturating_add(estimate_micros) > limit_micros {
            return Err(BudgetRefusal {
                kind,
                model: model.to_owned(),
                estimate_micros,
                spent_micros,
                limit_micros,
            });
        }
    }
    Ok(())
}

/// Micro-dollars as a dollar amount for wire formats and pages (JSON numbers).
#[expect(
    clippy::cast_precision_loss,
    reason = "money amounts are far below 2^52 micro-dollars"
)]
pub fn micros_to_usd(micros: i64) -> f64 {
    micros as f64 / 1_000_000.0
}

/// Micro-dollars as dollars for people: `$0.000035`, `$0.0123`, `$1.50`.
pub fn format_usd(micros: i64) -> String {
    let sign = if micros < 0 { "-" } else { "" };
    let abs = micros.unsigned_abs();
    let (whole, frac) = (abs / 1_000_000, abs % 1_000_000);
    let frac = format!("{frac:06}");
    let trimmed = frac.trim_end_matches('0');
    let shown = if trimmed.len() < 2 {
        &frac[..2]
    } else {
        trimmed
    };
    format!("{sign}${whole}.{shown}")
}

#[cfg(test)]
mod tests {
    use pretty_assertions::assert_eq;

    use super::*;
    use crate::models::config::{JsonMode, ProviderKind, Tier};

    fn model(input: i64, output: i64) -> ModelSpec {
        ModelSpec {
            id: "m".into(),
            provider: ProviderKind::Bedrock,
            model_id: "m".into(),
            tier: Tier::Small,
            context_window: 10_000,
            max_output_tokens: 1_000,
            input_micros_per_mtok: input,
            output_micros_per_mtok: output,
            json_mode: JsonMode::Tool,
        }
    }

    #[test]
    fn costs_round_up_to_the_micro_dollar() {
        let nova_micro = model(35_000, 140_000);
        let cases = [
            ((0, 0), 0),
            ((1, 0), 1),
            ((1_000, 0), 35),
            ((1_000_000, 1_000_000), 175_000),
            ((2_000, 500), 70 + 70),
        ];
        for ((input, output), micros) in cases {
            assert_eq!(
                cost_micros(&nova_micro, input, output),
                micros,
                "{input}/{output}"
            );
        }
        assert_eq!(cost_micros(&model(0, 0), 50_000, 50_000), 0);
    }

    #[test]
    fn budgets_refuse_with_the_budget_named() {
        let budgets = Budgets {
            per_job_micros: 1,
            daily_micros: 1_000_000,
            monthly_micros: 20_000_000,
        };
        let refusal = check_budgets("nova-micro", 35, Spent::default(), budgets).unwrap_err();
        assert_eq!(refusal.kind, BudgetKind::PerJob);
        assert!(
            refusal.message().contains("per-job budget of $0.000001"),
            "{refusal}"
        );
        assert!(refusal.message().contains("up to $0.000035"), "{refusal}");
        let spent = Spent {
            job_micros: 0,
            day_micros: 999_990,
            month_micros: 0,
        };
        let roomy = Budgets {
            per_job_micros: 50_000,
            ..budgets
        };
        let refusal = check_budgets("nova-micro", 35, spent, roomy).unwrap_err();
        assert_eq!(refusal.kind, BudgetKind::Daily);
        assert_eq!(check_budgets("nova-micro", 10, spent, roomy), Ok(()));
    }

    #[test]
    fn formats_dollars() {
        for (micros, text) in [
            (0, "$0.00"),
            (35, "$0.000035"),
            (12_300, "$0.0123"),
            (1_500_000, "$1.50"),
        ] {
            assert_eq!(format_usd(micros), text);
        }
    }
}
