//! Loading `config/models.toml`: the model catalogue (tiers, context windows,
//! prices), the default routing per provider and the OpenAI-compatible server,
//! then the `DEVOS_*` overrides. It reads no environment itself except in
//! [`ModelsOverrides::from_env`], which only `main` calls.

use std::fmt;

use serde::Deserialize;

use crate::config::ConfigError;

/// The documented catalogue, shipped in the binary.
pub const DEFAULT_MODELS: &str = include_str!("../../../config/models.toml");

/// A secret (an API key). Its `Debug` and `Display` print `[redacted]`, so it
/// cannot leak into logs, errors or pages by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value, for the one place that must send it (an HTTP header).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Which service a model is reached through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    /// Amazon Bedrock through the AWS SDK.
    Bedrock,
    /// Any OpenAI-compatible `/v1/chat/completions` server.
    Openai,
}

impl ProviderKind {
    /// The lowercase name used in config, env and usage rows.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bedrock => "bedrock",
            Self::Openai => "openai",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        match name {
            "bedrock" => Some(Self::Bedrock),
            "openai" => Some(Self::Openai),
            _ => None,
        }
    }
}

/// How capable a model is, and how demanding a request is. Ordered, so a model
/// fits a request when `model.tier >= request tier`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// One obvious step.
    Small,
    /// A few steps, or some code.
    Medium,
    /// Refactoring, debugging, long multi-part requests.
    Large,
}

impl Tier {
    /// The lowercase name used in config and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Small => "small",
            Self::Medium => "medium",
            Self::Large => "large",
        }
    }
}

/// How the plan JSON is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JsonMode {
    /// A forced tool call whose input schema is the plan schema.
    Tool,
    /// Plain JSON text, for models without tool choice or system prompts.
    Text,
}

/// One model the router may call.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelSpec {
    /// Our short name (`nova-micro`), used in routing, usage rows and `model_used`.
    pub id: String,
    /// The service it is reached through.
    pub provider: ProviderKind,
    /// The provider's model or inference-profile id.
    pub model_id: String,
    /// How capable it is.
    pub tier: Tier,
    /// Input plus output tokens it accepts.
    pub context_window: u64,
    /// Largest reply asked for; estimates assume all of it is used.
    pub max_output_tokens: u64,
    /// Price of 1M input tokens, in micro-dollars.
    pub input_micros_per_mtok: i64,
    /// Price of 1M output tokens, in micro-dollars.
    pub output_micros_per_mtok: i64,
    /// How the plan JSON is asked for.
    pub json_mode: JsonMode,
}

/// Environment overrides, passed in so the loader stays pure.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelsOverrides {
    /// `DEVOS_PROVIDERS`, unsplit (`openai,bedrock`). `None` enables no provider.
    pub providers: Option<String>,
    /// `DEVOS_OPENAI_BASE_URL`.
    pub openai_base_url: Option<String>,
    /// `DEVOS_OPENAI_MODEL`: replaces the model id of every `openai` model.
    pub openai_model: Option<String>,
    /// `DEVOS_OPENAI_API_KEY`.
    pub openai_api_key: Option<Secret>,
}

impl ModelsOverrides {
    /// Reads the overrides from the process environment (used once, in `main`).
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Self {
            providers: var("DEVOS_PROVIDERS"),
            openai_base_url: var("DEVOS_OPENAI_BASE_URL"),
            openai_model: var("DEVOS_OPENAI_MODEL"),
            openai_api_key: var("DEVOS_OPENAI_API_KEY").map(Secret::new),
        }
    }
}

/// The loaded catalogue with overrides applied.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelsConfig {
    /// Every model in the file, in file order.
    pub models: Vec<ModelSpec>,
    /// Providers switched on by `DEVOS_PROVIDERS`, sorted.
    pub enabled_providers: Vec<ProviderKind>,
    /// Model ids offered to the router per provider (`[routing]`).
    pub routing: Vec<(ProviderKind, Vec<String>)>,
    /// Base URL of the OpenAI-compatible server.
    pub openai_base_url: String,
    /// Its API key, when it needs one.
    pub openai_api_key: Option<Secret>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileModels {
    model: Vec<FileModel>,
    openai: FileOpenai,
    routing: std::collections::BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileModel {
    id: String,
    provider: ProviderKind,
    model_id: String,
    tier: Tier,
    context_window: u64,
    max_output_tokens: u64,
    input_usd_per_mtok: f64,
    output_usd_per_mtok: f64,
    json_mode: JsonMode,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileOpenai {
    base_url: String,
}

impl ModelsConfig {
    /// Parses a models file (`file` names it in errors) and applies the overrides.
    pub fn parse(file: &str, text: &str, overrides: &ModelsOverrides) -> Result<Self, ConfigError> {
        let err = |key: &str, problem: String| ConfigError {
            file: file.to_owned(),
            key: key.to_owned(),
            problem,
        };
        let raw: FileModels = serde_path_to_error::deserialize(toml::Deserializer::new(text))
            .map_err(|e| err(&e.path().to_string(), e.inner().message().to_owned()))?;
        let mut models = Vec::with_capacity(raw.model.len());
        for (i, m) in raw.model.into_iter().enumerate() {
            if m.id.is_empty() || models.iter().any(|s: &ModelSpec| s.id == m.id) {
                return Err(err(
                    &format!("model[{i}].id"),
                    "empty or repeated id".into(),
                ));
            }
            if m.max_output_tokens == 0 || m.max_output_tokens >= m.context_window {
                let problem = "must be above 0 and below context_window".into();
                return Err(err(&format!("model[{i}].max_output_tokens"), problem));
            }
            let model_id = match (m.provider, &overrides.openai_model) {
                (ProviderKind::Openai, Some(name)) => name.clone(),
                _ => m.model_id,
            };
            models.push(ModelSpec {
                input_micros_per_mtok: usd_to_micros(m.input_usd_per_mtok)
                    .ok_or_else(|| err(&format!("model[{i}].input_usd_per_mtok"), bad_price()))?,
                output_micros_per_mtok: usd_to_micros(m.output_usd_per_mtok)
                    .ok_or_else(|| err(&format!("model[{i}].output_usd_per_mtok"), bad_price()))?,
                id: m.id,
                provider: m.provider,
                model_id,
                tier: m.tier,
                context_window: m.context_window,
                max_output_tokens: m.max_output_tokens,
                json_mode: m.json_mode,
            });
        }
        let mut routing = Vec::new();
        for (name, ids) in raw.routing {
            let key = format!("routing.{name}");
            let provider = ProviderKind::parse(&name)
                .ok_or_else(|| err(&key, "unknown provider (expected bedrock or openai)".into()))?;
            for id in &ids {
                let Some(spec) = models.iter().find(|m| &m.id == id) else {
                    return Err(err(&key, format!("unknown model `{id}`")));
                };
                if spec.provider != provider {
                    return Err(err(&key, format!("model `{id}` is not a {name} model")));
                }
            }
            routing.push((provider, ids));
        }
        let enabled_providers =
            parse_providers(overrides.providers.as_deref()).map_err(|problem| ConfigError {
                file: "DEVOS_PROVIDERS".into(),
                key: "DEVOS_PROVIDERS".into(),
                problem,
            })?;
        Ok(Self {
            models,
            enabled_providers,
            routing,
            openai_base_url: overrides
                .openai_base_url
                .clone()
                .unwrap_or(raw.openai.base_url),
            openai_api_key: overrides.openai_api_key.clone(),
        })
    }

    /// The embedded catalogue with the overrides applied.
    pub fn load_default(overrides: &ModelsOverrides) -> Result<Self, ConfigError> {
        Self::parse("config/models.toml", DEFAULT_MODELS, overrides)
    }

    /// Models of enabled providers listed in `[routing]`: what the router may call.
    pub fn routable(&self) -> Vec<&ModelSpec> {
        self.routing
            .iter()
            .filter(|(provider, _)| self.enabled_providers.contains(provider))
            .flat_map(|(_, ids)| ids)
            .filter_map(|id| self.model(id))
            .collect()
    }

    /// The model with our id `id`.
    pub fn model(&self, id: &str) -> Option<&ModelSpec> {
        self.models.iter().find(|m| m.id == id)
    }
}

fn bad_price() -> String {
    "must be a finite, non-negative number of US dollars".into()
}

/// Dollars to whole micro-dollars, rounded to the nearest; `None` when negative
/// or not finite.
pub fn usd_to_micros(usd: f64) -> Option<i64> {
    if !usd.is_finite() || !(0.0..=1e12).contains(&usd) {
        return None;
    }
    #[expect(
        clippy::cast_possible_truncation,
        reason = "bounded above by 1e18 micro-dollars, inside i64"
    )]
    Some((usd * 1_000_000.0).round() as i64)
}

/// Splits `DEVOS_PROVIDERS`; unknown names are an error (a typo must not
/// silently leave the user on the built-in planner).
fn parse_providers(value: Option<&str>) -> Result<Vec<ProviderKind>, String> {
    let mut providers = Vec::new();
    for name in value.unwrap_or("").split(',').map(str::trim) {
        match name {
            "" | "builtin" => {}
            _ => {
                let kind = ProviderKind::parse(name).ok_or_else(|| {
                    format!("unknown provider `{name}` (expected bedrock, openai or builtin)")
                })?;
                providers.push(kind);
            }
        }
    }
    providers.sort();
    providers.dedup();
    Ok(providers)
}

#[cfg(test)]
mod tests {
    use pretty_assertions::assert_eq;

    use super::*;

    #[test]
    fn default_catalogue_loads_and_routes_nothing_without_providers() {
        let config = ModelsConfig::load_default(&ModelsOverrides::default()).unwrap();
        assert_eq!(config.models.len(), 11);
        assert!(config.routable().is_empty());
        let micro = config.model("nova-micro").unwrap();
        assert_eq!(
            (micro.input_micros_per_mtok, micro.output_micros_per_mtok),
            (35_000, 140_000)
        );
    }

    #[test]
    fn overrides_enable_providers_and_replace_the_local_model() {
        let overrides = ModelsOverrides {
            providers: Some("openai, bedrock".into()),
            openai_base_url: Some("http://10.0.0.2:8000/v1".into()),
            openai_model: Some("qwen2.5-coder".into()),
            openai_api_key: Some(Secret::new("sk-very-secret")),
        };
        let config = ModelsConfig::load_default(&overrides).unwrap();
        let ids: Vec<&str> = config.routable().iter().map(|m| m.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "nova-micro",
                "claude-3-5-haiku",
                "claude-sonnet-4-5",
                "local"
            ]
        );
        assert_eq!(config.model("local").unwrap().model_id, "qwen2.5-coder");
        assert_eq!(config.openai_base_url, "http://10.0.0.2:8000/v1");
        assert!(!format!("{config:?}").contains("sk-very-secret"));
    }

    #[test]
    fn unknown_provider_in_env_is_an_error() {
        let overrides = ModelsOverrides {
            providers: Some("bedrok".into()),
            ..ModelsOverrides::default()
        };
        let err = ModelsConfig::load_default(&overrides).unwrap_err();
        assert!(err.problem.contains("unknown provider `bedrok`"), "{err}");
    }
}
