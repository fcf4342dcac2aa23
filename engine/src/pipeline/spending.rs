//! Each person's model budgets (the ones they saved on the Costs page, or
//! `[budgets]` of the config until they do; checked before every model
//! call), and what the built-in planner saved them.

use super::Engine;
use crate::calendar::month_start;
use crate::models::cost::{Budgets, cost_micros, estimate_input_tokens, format_usd};
use crate::models::{ModelSpec, ModelsConfig, ModelsOverrides, PromptInput, build_prompt};
use crate::{Error, Result};

/// Tokens of a plan reply, before any model call has been recorded.
const TYPICAL_REPLY_TOKENS: i64 = 300;

/// What the built-in planner saved: the requests it planned, each priced
/// as the cheapest paid model would have charged for planning it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Savings {
    /// Jobs the built-in planner planned, ever.
    pub jobs: i64,
    /// Of those, this month (UTC).
    pub jobs_this_month: i64,
    /// The model they are priced at.
    pub model: String,
    /// Input and output tokens one request is priced with.
    pub tokens: (i64, i64),
    /// Where the token counts come from, in words.
    pub tokens_from: String,
    /// The price of one request at that model, micro-dollars.
    pub per_request_micros: i64,
}

/// The most a budget may be set to: $1,000,000.
const MAX_BUDGET_MICROS: i64 = 1_000_000 * 1_000_000;

impl Engine {
    /// The budgets `user_id`'s model calls are held to.
    pub async fn budgets_for(&self, user_id: i64) -> Result<Budgets> {
        Ok(self.budgets_and_source(user_id).await?.0)
    }

    /// The budgets `user_id`'s model calls are held to, and whether they are
    /// the user's own (true) or the configuration's (false).
    pub async fn budgets_and_source(&self, user_id: i64) -> Result<(Budgets, bool)> {
        Ok(match self.store.user_budgets(user_id).await? {
            Some(own) => (own, true),
            None => (Budgets::from_config(&self.config.budgets), false),
        })
    }

    /// What the built-in planner saved `user_id` up to `now_at`.
    pub async fn builtin_savings(&self, user_id: i64, now_at: i64) -> Result<Savings> {
        let (jobs, jobs_this_month) = self
            .store
            .builtin_job_counts(user_id, month_start(now_at))
            .await?;
        let (tokens, tokens_from) = match self.store.average_plan_tokens().await? {
            Some(average) => (
                average,
                "the average of the model calls recorded here".to_owned(),
            ),
            None => {
                let prompt = build_prompt(&PromptInput {
                    request: "list the files here",
                    context: &serde_json::json!({ "cwd": "/" }),
                    preferences: &[],
                });
                let input = i64::try_from(estimate_input_tokens(&prompt))
                    .unwrap_or(i64::MAX)
                    .saturating_add(
                        i64::try_from(self.config.context.token_budget).unwrap_or(i64::MAX),
                    );
                (
                    (input, TYPICAL_REPLY_TOKENS),
                    "DevOS's prompt with a full context snapshot and a typical reply".to_owned(),
                )
            }
        };
        let price = |model: &ModelSpec| {
            cost_micros(
                model,
                u64::try_from(tokens.0).unwrap_or(0),
                u64::try_from(tokens.1).unwrap_or(0),
            )
        };
        let enabled: Vec<ModelSpec> = self.models.as_ref().map_or_else(Vec::new, |router| {
            router.models().into_iter().cloned().collect()
        });
        let paid = |models: &[ModelSpec]| {
            models
                .iter()
                .filter(|model| price(model) > 0)
                .min_by_key(|model| price(model))
                .cloned()
        };
        let cheapest = match paid(&enabled) {
            Some(model) => Some(model),
            None => paid(
                &ModelsConfig::load_default(&ModelsOverrides::default())
                    .map_err(|e| Error::Invalid(e.to_string()))?
                    .models,
            ),
        };
        let (model, per_request_micros) = cheapest.map_or((String::new(), 0), |model| {
            (model.id.clone(), price(&model))
        });
        Ok(Savings {
            jobs,
            jobs_this_month,
            model,
            tokens,
            tokens_from,
            per_request_micros,
        })
    }

    /// Saves `user_id`'s budgets; the next model call is held to them.
    /// A job may not be allowed more than a day, nor a day more than a month.
    pub async fn set_budgets(&self, user_id: i64, budgets: Budgets) -> Result<()> {
        check_budget_order(budgets)?;
        self.store.save_user_budgets(user_id, budgets).await
    }
}

fn check_budget_order(budgets: Budgets) -> Result<()> {
    let named = [
        ("per-job", budgets.per_job_micros),
        ("daily", budgets.daily_micros),
        ("monthly", budgets.monthly_micros),
    ];
    for (name, micros) in named {
        if !(0..=MAX_BUDGET_MICROS).contains(&micros) {
            return Err(Error::Invalid(format!(
                "the {name} budget must be between $0 and {}",
                format_usd(MAX_BUDGET_MICROS)
            )));
        }
    }
    if budgets.per_job_micros > budgets.daily_micros {
        return Err(Error::Invalid(format!(
            "the per-job budget ({}) is more than the daily one ({}): one job could never spend it",
            format_usd(budgets.per_job_micros),
            format_usd(budgets.daily_micros)
        )));
    }
    if budgets.daily_micros > budgets.monthly_micros {
        return Err(Error::Invalid(format!(
            "the daily budget ({}) is more than the monthly one ({})",
            format_usd(budgets.daily_micros),
            format_usd(budgets.monthly_micros)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budgets(per_job_micros: i64, daily_micros: i64, monthly_micros: i64) -> Budgets {
        Budgets {
            per_job_micros,
            daily_micros,
            monthly_micros,
        }
    }

    #[test]
    fn budgets_must_nest_and_stay_in_range() {
        assert!(check_budget_order(budgets(0, 0, 0)).is_ok());
        assert!(check_budget_order(budgets(100_000, 1_000_000, 20_000_000)).is_ok());
        let refused = [
            (budgets(2, 1, 5), "per-job budget"),
            (budgets(1, 6, 5), "daily budget"),
            (budgets(-1, 1, 5), "between $0"),
            (
                budgets(1, 1, MAX_BUDGET_MICROS + 1),
                "monthly budget must be between",
            ),
        ];
        for (value, message) in refused {
            let error = check_budget_order(value).unwrap_err().to_string();
            assert!(error.contains(message), "{value:?}: {error}");
        }
    }
}
