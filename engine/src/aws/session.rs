//! Where AWS calls get their configuration: the SDK's own credential chain,
//! profiles, region and endpoint resolution (so `AWS_PROFILE`, `AWS_REGION`,
//! `AWS_ENDPOINT_URL` and `endpoint_url` in `~/.aws/config` all work, and
//! missing files are simply absent), standard retries and bounded timeouts. One loaded configuration per region, and the caller's identity,
//! are cached.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use tokio::sync::Mutex;

use super::errors::{self, AwsError, Subject};

/// How long a caller identity is reused for cards.
const IDENTITY_TTL: Duration = Duration::from_secs(300);

/// The account an AWS call acts in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The 12-digit account id.
    pub account: String,
    /// The caller's ARN.
    pub arn: String,
    /// The caller's unique id.
    pub user_id: String,
}

/// AWS access for the engine.
#[derive(Debug)]
pub struct Aws {
    profile: String,
    configs: Mutex<HashMap<Option<String>, SdkConfig>>,
    identity: Mutex<Option<(Instant, Identity)>>,
}

/// A loaded configuration and what it resolved to.
#[derive(Debug, Clone)]
pub struct Session {
    /// The SDK configuration.
    pub config: SdkConfig,
    /// The region it acts in.
    pub region: String,
    /// The profile name in use.
    pub profile: String,
}

impl Session {
    /// The subject of an error about `operation` on `resource`.
    pub fn subject<'a>(&'a self, operation: &'a str, resource: &'a str) -> Subject<'a> {
        Subject {
            operation,
            resource,
            region: &self.region,
            profile: &self.profile,
        }
    }
}

/// The HTTPS client every AWS SDK client of DevOS uses: rustls with ring, the
/// same TLS stack as reqwest, instead of building aws-lc.
pub fn http_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

impl Default for Aws {
    fn default() -> Self {
        Self::new()
    }
}

impl Aws {
    /// AWS access configured from this process's environment.
    pub fn new() -> Self {
        let profile = std::env::var("AWS_PROFILE")
            .or_else(|_| std::env::var("AWS_DEFAULT_PROFILE"))
            .ok()
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "default".to_owned());
        Self {
            profile,
            configs: Mutex::new(HashMap::new()),
            identity: Mutex::new(None),
        }
    }

    /// The configuration for `region` (the profile's or the environment's
    /// when `None`); fails when no region is configured anywhere.
    pub async fn session(&self, region: Option<&str>) -> Result<Session, AwsError> {
        let key = region.map(str::to_owned);
        let mut configs = self.configs.lock().await;
        let config = match configs.get(&key) {
            Some(config) => config.clone(),
            None => {
                let mut loader = aws_config::defaults(BehaviorVersion::latest())
                    .http_client(http_client())
                    .retry_config(RetryConfig::standard().with_max_attempts(3))
                    .timeout_config(
                        TimeoutConfig::builder()
                            .connect_timeout(Duration::from_secs(5))
                            .operation_attempt_timeout(Duration::from_secs(30))
                            .operation_timeout(Duration::from_secs(90))
                            .build(),
                    );
                if let Some(region) = region {
                    loader = loader.region(Region::new(region.to_owned()));
                }
                let config = loader.load().await;
                configs.insert(key, config.clone());
                config
            }
        };
        let Some(region) = config.region().map(ToString::to_string) else {
            return Err(AwsError::new(format!(
                "No AWS region is configured: name one in the request (\"in us-east-1\"), set AWS_REGION, \
                 or set `region` for profile {} in ~/.aws/config.",
                self.profile
            )));
        };
        Ok(Session {
            config,
            region,
            profile: self.profile.clone(),
        })
    }

    /// Who the credentials belong to (cached for a few minutes).
    pub async fn identity(&self, session: &Session) -> Result<Identity, AwsError> {
        let mut cached = self.identity.lock().await;
        if let Some((at, identity)) = cached.as_ref()
            && at.elapsed() < IDENTITY_TTL
        {
            return Ok(identity.clone());
        }
        let client = aws_sdk_sts::Client::new(&session.config);
        let answer = client
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| errors::explain(&e, session.subject("get_caller_identity", "")))?;
        let identity = Identity {
            account: answer.account().unwrap_or_default().to_owned(),
            arn: answer.arn().unwrap_or_default().to_owned(),
            user_id: answer.user_id().unwrap_or_default().to_owned(),
        };
        *cached = Some((Instant::now(), identity.clone()));
        Ok(identity)
    }
}
