//! Planning with language models: the model catalogue and its prices, the
//! providers (Bedrock, OpenAI-compatible servers), the prompt, reply
//! validation, cost estimates and budgets, and the router that ties them
//! together. It plans; it never executes, and never trusts a model's risk
//! rating beyond using it as a floor.

pub mod bedrock;
pub mod config;
pub mod cost;
pub mod openai;
pub mod probe;
pub mod prompt;
pub mod provider;
pub mod router;
pub mod schema;
pub mod validate;

pub use bedrock::{BedrockProvider, BedrockSettings};
pub use config::{JsonMode, ModelSpec, ModelsConfig, ModelsOverrides, ProviderKind, Secret, Tier};
pub use cost::{BudgetKind, BudgetRefusal, Budgets, Spent};
pub use openai::{OpenAiProvider, OpenAiSettings};
pub use probe::ProbeResult;
pub use prompt::{PromptInput, build_prompt};
pub use provider::{ModelProvider, ModelReply, Prompt, ProviderError, TextSink};
pub use router::{ModelPlan, ModelRouter, ModelsError, PlanningRequest, plan_with_models};
pub use validate::parse_plan;
