//! Choosing a model and getting a valid plan from it. The choice is pure:
//! judge the request's complexity, estimate each enabled model's worst-case
//! cost, take the cheapest whose tier fits. [`plan_with_models`] then calls it
//! within the budgets, retries an invalid plan once with the reason, escalates
//! once to the next tier, and records every call in the usage ledger.
//!
//! The built-in planner comes first: callers run
//! [`crate::planner::plan_builtin`] and call [`plan_with_models`] only when it
//! is not confident ([`crate::planner::CONFIDENCE_THRESHOLD`]).

use std::sync::Arc;

use crate::calendar::{day_start, month_start};
use crate::plan::Plan;
use crate::store::Store;
use crate::store::usage::{NewUsage, UsageOutcome};

use super::config::{ModelSpec, ModelsConfig, ProviderKind, Tier};
use super::cost::{
    BudgetRefusal, Budgets, Spent, check_budgets, cost_micros, estimate_input_tokens,
    estimate_micros,
};
use super::prompt::{PromptInput, build_prompt, with_correction};
use super::provider::{ModelProvider, Prompt, ProviderError, TextSink};
use super::validate::parse_plan;

/// How demanding a request is, and why we think so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complexity {
    /// The least tier that should plan it.
    pub tier: Tier,
    /// For people: "medium: steps joined by 'then'".
    pub reason: String,
}

const SEQUENCE_WORDS: &[&str] = &[
    "then",
    "afterwards",
    "after that",
    "finally",
    "next",
    "also",
];
const CODE_WORDS: &[&str] = &[
    "script", "function", "regex", "parse", "json", "csv", "yaml", "python", "compile", "build",
    "test", "tests", "docker", "cron", "loop", "convert", "code",
];
const LARGE_WORDS: &[&str] = &[
    "refactor",
    "rewrite",
    "migrate",
    "implement",
    "debug",
    "architecture",
    "optimize",
    "port",
];

/// Judges a request by its length, sequencing words and code words.
pub fn judge_complexity(request: &str) -> Complexity {
    let lower = request.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let text = format!(" {} ", words.join(" "));
    let found = |list: &[&str]| -> Vec<String> {
        list.iter()
            .filter(|w| text.contains(&format!(" {w} ")))
            .map(|w| format!("'{w}'"))
            .collect()
    };
    // "a; then b" is one boundary, so take the larger count, not the sum.
    let sequence_words: usize = SEQUENCE_WORDS
        .iter()
        .map(|w| text.matches(&format!(" {w} ")).count())
        .sum();
    let steps = sequence_words.max(lower.matches(';').count());
    let (code, large) = (found(CODE_WORDS), found(LARGE_WORDS));
    let mut tier = Tier::Small;
    let mut reasons = Vec::new();
    let mut raise = |to: Tier, why: String| {
        tier = tier.max(to);
        reasons.push(why);
    };
    if !large.is_empty() {
        raise(Tier::Large, format!("asks for {}", large.join(", ")));
    }
    if steps >= 3 {
        raise(Tier::Large, format!("{} parts in sequence", steps + 1));
    } else if steps > 0 {
        raise(Tier::Medium, format!("{} parts in sequence", steps + 1));
    }
    if !code.is_empty() {
        raise(Tier::Medium, format!("mentions code ({})", code.join(", ")));
    }
    let chars = request.chars().count();
    if chars > 400 {
        raise(Tier::Large, format!("long request ({chars} characters)"));
    } else if chars > 160 {
        raise(
            Tier::Medium,
            format!("longish request ({chars} characters)"),
        );
    }
    if reasons.is_empty() {
        reasons.push(format!("one short request ({} words)", words.len()));
    }
    Complexity {
        tier,
        reason: format!("{}: {}", tier.as_str(), reasons.join("; ")),
    }
}

/// A model that could take the request, with its estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate<'a> {
    /// The model.
    pub model: &'a ModelSpec,
    /// Estimated input tokens.
    pub input_tokens: u64,
    /// Worst-case cost, micro-dollars.
    pub estimate_micros: i64,
}

/// Every model whose context window holds the prompt, cheapest first.
pub fn candidates<'a>(models: &[&'a ModelSpec], prompt: &Prompt) -> Vec<Candidate<'a>> {
    let input_tokens = estimate_input_tokens(prompt);
    let mut list: Vec<Candidate<'a>> = models
        .iter()
        .filter(|m| input_tokens + m.max_output_tokens <= m.context_window)
        .map(|m| Candidate {
            model: m,
            input_tokens,
            estimate_micros: estimate_micros(m, input_tokens),
        })
        .collect();
    list.sort_by(|a, b| {
        (a.estimate_micros, a.model.tier, &a.model.id).cmp(&(
            b.estimate_micros,
            b.model.tier,
            &b.model.id,
        ))
    });
    list
}

/// The cheapest candidate whose tier is at least `tier`; when none is, the
/// cheapest of the most capable tier available.
pub fn choose<'a>(list: &[Candidate<'a>], tier: Tier) -> Option<Candidate<'a>> {
    list.iter()
        .find(|c| c.model.tier >= tier)
        .copied()
        .or_else(|| {
            let best = list.iter().map(|c| c.model.tier).max()?;
            list.iter().find(|c| c.model.tier == best).copied()
        })
}

/// The cheapest candidate of a higher tier than `current`.
pub fn escalate<'a>(list: &[Candidate<'a>], current: &ModelSpec) -> Option<Candidate<'a>> {
    list.iter().find(|c| c.model.tier > current.tier).copied()
}

/// The enabled models, their providers and the budgets.
#[derive(Clone)]
pub struct ModelRouter {
    config: ModelsConfig,
    providers: Vec<(ProviderKind, Arc<dyn ModelProvider>)>,
    budgets: Budgets,
}

impl std::fmt::Debug for ModelRouter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let models: Vec<&str> = self.models().iter().map(|m| m.id.as_str()).collect();
        f.debug_struct("ModelRouter")
            .field("models", &models)
            .finish_non_exhaustive()
    }
}

impl ModelRouter {
    /// A router over `config`'s routable models; add providers with [`Self::with_provider`].
    pub fn new(config: ModelsConfig, budgets: Budgets) -> Self {
        Self {
            config,
            providers: Vec::new(),
            budgets,
        }
    }

    /// Serves `kind`'s models through `provider`.
    #[must_use]
    pub fn with_provider(mut self, kind: ProviderKind, provider: Arc<dyn ModelProvider>) -> Self {
        self.providers.retain(|(k, _)| *k != kind);
        self.providers.push((kind, provider));
        self
    }

    /// Models that are routable and have a provider.
    pub fn models(&self) -> Vec<&ModelSpec> {
        self.config
            .routable()
            .into_iter()
            .filter(|m| self.provider(m.provider).is_some())
            .collect()
    }

    /// The enabled providers.
    pub(crate) fn providers(&self) -> Vec<(ProviderKind, &Arc<dyn ModelProvider>)> {
        self.providers.iter().map(|(k, p)| (*k, p)).collect()
    }

    fn provider(&self, kind: ProviderKind) -> Option<&Arc<dyn ModelProvider>> {
        self.providers
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, p)| p)
    }
}

/// One planning request.
#[derive(Debug, Clone, Copy)]
pub struct PlanningRequest<'a> {
    /// The job being planned, for the usage ledger and the per-job budget.
    pub job_id: Option<i64>,
    /// What went into the prompt.
    pub prompt: PromptInput<'a>,
    /// Now, Unix seconds (usage rows and the day/month budgets use it).
    pub now_at: i64,
    /// The person's own budgets; the router's (from the config) when `None`.
    pub budgets: Option<Budgets>,
}

/// A plan a model made, and what it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelPlan {
    /// The validated plan.
    pub plan: Plan,
    /// Our id of the model that made it.
    pub model_used: String,
    /// Sum of the worst-case estimates of the calls made.
    pub estimated_cost_micros: i64,
    /// Sum of the actual costs of the calls made.
    pub actual_cost_micros: i64,
    /// How the request's complexity was judged.
    pub complexity_reason: String,
    /// Calls made (1 to 3).
    pub attempts: u32,
}

/// Why no model plan came back.
#[derive(Debug, thiserror::Error)]
pub enum ModelsError {
    /// No provider is enabled, or no enabled model can hold the prompt. Configuration fixes it.
    #[error("{0}")]
    NoModel(String),
    /// A call could exceed a budget, so it was not made. The message says what to do.
    #[error("{0}")]
    Refused(BudgetRefusal),
    /// The model service failed; see the error for whether retrying helps.
    #[error("{model}: {source}")]
    Provider {
        /// Our id of the model called.
        model: String,
        /// What went wrong.
        source: ProviderError,
    },
    /// After a retry and an escalation the reply was still not a valid plan.
    #[error("{model} did not return a valid plan: {reason}")]
    InvalidPlan {
        /// The last model called.
        model: String,
        /// Why its reply was rejected.
        reason: String,
        /// Its reply, attached to the failed job.
        reply: String,
    },
    /// The usage ledger could not be read or written.
    #[error("{0}")]
    Store(#[from] crate::Error),
}

/// Plans `request` with the cheapest fitting model within the budgets (see
/// the module docs for the retry and escalation rules), streaming reply text
/// to `on_text` and recording every call, refused ones included, in `store`.
pub async fn plan_with_models(
    router: &ModelRouter,
    store: &Store,
    request: &PlanningRequest<'_>,
    on_text: &TextSink<'_>,
) -> Result<ModelPlan, ModelsError> {
    let first_prompt = build_prompt(&request.prompt);
    let complexity = judge_complexity(request.prompt.request);
    let models = router.models();
    if models.is_empty() {
        return Err(ModelsError::NoModel(
            "No model provider is enabled, and the built-in planner could not plan this. \
             Set DEVOS_PROVIDERS (bedrock, openai) to let a model plan it."
                .into(),
        ));
    }
    let list = candidates(&models, &first_prompt);
    let Some(mut pick) = choose(&list, complexity.tier) else {
        return Err(ModelsError::NoModel(
            "The request and its context are too long for every enabled model.".into(),
        ));
    };
    let mut prompt = first_prompt.clone();
    let (mut retried, mut escalated) = (false, false);
    let (mut attempts, mut estimated, mut actual) = (0_u32, 0_i64, 0_i64);
    loop {
        let model = pick.model;
        let input_tokens = estimate_input_tokens(&prompt);
        let estimate = estimate_micros(model, input_tokens);
        let mut row = NewUsage {
            created_at: request.now_at,
            job_id: request.job_id,
            provider: model.provider.as_str(),
            model: &model.id,
            input_tokens: 0,
            output_tokens: 0,
            estimated_cost_micros: estimate,
            actual_cost_micros: 0,
            latency_ms: 0,
            outcome: UsageOutcome::Refused,
            detail: "",
        };
        let spent = Spent {
            job_micros: match request.job_id {
                Some(id) => store.usage_cost_of_job(id).await?,
                None => actual,
            },
            day_micros: store.usage_cost_since(day_start(request.now_at)).await?,
            month_micros: store.usage_cost_since(month_start(request.now_at)).await?,
        };
        let budgets = request.budgets.unwrap_or(router.budgets);
        if let Err(refusal) = check_budgets(&model.id, estimate, spent, budgets) {
            let detail = refusal.message();
            store
                .insert_usage(&NewUsage {
                    detail: &detail,
                    ..row
                })
                .await?;
            return Err(ModelsError::Refused(refusal));
        }
        let Some(provider) = router.provider(model.provider) else {
            return Err(ModelsError::NoModel(format!(
                "no provider for {}",
                model.id
            )));
        };
        attempts += 1;
        estimated += estimate;
        tracing::info!(model = %model.id, estimate, attempts, "calling model");
        let reply = match provider.complete(model, &prompt, on_text).await {
            Ok(reply) => reply,
            Err(source) => {
                let detail = source.to_string();
                row.outcome = UsageOutcome::Error;
                store
                    .insert_usage(&NewUsage {
                        detail: &detail,
                        ..row
                    })
                    .await?;
                return Err(ModelsError::Provider {
                    model: model.id.clone(),
                    source,
                });
            }
        };
        let cost = cost_micros(model, reply.input_tokens, reply.output_tokens);
        actual += cost;
        row.input_tokens = reply.input_tokens;
        row.output_tokens = reply.output_tokens;
        row.actual_cost_micros = cost;
        row.latency_ms = u64::try_from(reply.latency.as_millis()).unwrap_or(u64::MAX);
        match parse_plan(&reply.text) {
            Ok(plan) => {
                row.outcome = UsageOutcome::Ok;
                store.insert_usage(&row).await?;
                return Ok(ModelPlan {
                    plan,
                    model_used: model.id.clone(),
                    estimated_cost_micros: estimated,
                    actual_cost_micros: actual,
                    complexity_reason: complexity.reason,
                    attempts,
                });
            }
            Err(reason) => {
                row.outcome = UsageOutcome::Invalid;
                store
                    .insert_usage(&NewUsage {
                        detail: &reason,
                        ..row
                    })
                    .await?;
                tracing::warn!(model = %model.id, %reason, "invalid plan");
                let next = if retried {
                    escalate(&list, model).filter(|_| !escalated)
                } else {
                    Some(pick)
                };
                let Some(next) = next else {
                    return Err(ModelsError::InvalidPlan {
                        model: model.id.clone(),
                        reason,
                        reply: reply.text,
                    });
                };
                escalated = retried;
                retried = true;
                pick = next;
                prompt =
                    with_correction(&first_prompt, request.prompt.request, &reason, &reply.text);
            }
        }
    }
}

#[cfg(test)]
#[path = "router_tests.rs"]
mod tests;
