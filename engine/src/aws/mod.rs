//! The `aws` step kind: typed calls to S3, STS, EC2, Lambda and `CloudWatch`
//! Logs that the engine makes itself through the AWS SDK for Rust. The
//! engine rates each call ([`rate`]), checks before approval what a change
//! would touch (a deletion's exact keys, the instances by name and state)
//! and the account and region it acts in ([`Aws::prepare`]), and runs it
//! ([`Aws::run`]); downloads land in the job's folder through the undo
//! journal.

mod ec2;
mod errors;
mod format;
mod lambda;
mod logs;
mod s3;
mod session;

use std::path::{Path, PathBuf};

use futures::future::BoxFuture;

pub use errors::AwsError;
use judge::aws::call;
pub use judge::aws::{AwsCall, AwsRating, Ec2Call, LambdaCall, LogsCall, S3Call, StsCall, rate};
pub use session::{Aws, Identity, http_client};

use crate::plan::SafetyLevel;

/// What checking a call before approval found.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared<C> {
    /// The call as it will run (a deletion's selection replaced by its exact keys).
    pub call: C,
    /// Preview lines for the card.
    pub preview: Vec<String>,
    /// A level that replaces the rating's (an upload that replaces an object
    /// is destructive; a deletion that matches nothing is safe).
    pub level: Option<SafetyLevel>,
    /// A reason to ask even though the rating would not (a huge download).
    pub ask: Option<String>,
}

impl<C> Prepared<C> {
    fn plain(call: C) -> Self {
        Self {
            call,
            preview: Vec::new(),
            level: None,
            ask: None,
        }
    }
}

/// Moves a finished download (a part file) to its destination through the
/// undo journal, returning where it went.
pub type Place<'a> =
    &'a (dyn Fn(PathBuf, PathBuf) -> BoxFuture<'static, crate::Result<PathBuf>> + Send + Sync);

/// Where a call's local files go.
pub struct Local<'a> {
    /// The job's directory.
    pub cwd: &'a Path,
    /// Where part files are written (the job's temp dir).
    pub part_dir: &'a Path,
    /// Places each finished file.
    pub place: Place<'a>,
}

/// A call checked before approval, with where it acts.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedStep {
    /// The region it runs in (resolved once, stored with the step).
    pub region: String,
    /// The checked call and its preview.
    pub prepared: Prepared<AwsCall>,
    /// The account and identity, for the card.
    pub identity: Identity,
}

impl Aws {
    /// Resolves the region and identity of `call` and checks what it would
    /// touch. Downloads must land inside `write_roots`.
    pub async fn prepare(
        &self,
        call: AwsCall,
        region: Option<&str>,
        cwd: &Path,
        write_roots: &[PathBuf],
    ) -> Result<PreparedStep, AwsError> {
        let session = self.session(region).await?;
        let identity = self.identity(&session).await?;
        if let AwsCall::S3(S3Call::Download { to, .. }) = &call {
            let dest = crate::fsops::normalize(&cwd.join(to));
            if !crate::fsops::is_contained(&dest, write_roots, false) {
                return Err(AwsError::new(format!(
                    "downloads go into the job's folder or a write root; {} is outside them (or reached through a symlink)",
                    dest.display()
                )));
            }
        }
        if let AwsCall::Lambda(LambdaCall::Invoke {
            function,
            payload: Some(payload),
        }) = &call
            && serde_json::from_str::<serde_json::Value>(payload).is_err()
        {
            return Err(AwsError::new(format!(
                "the payload for {function} is not valid JSON"
            )));
        }
        let prepared = match call {
            AwsCall::S3(call) => wrap(s3::prepare(&session, call, cwd).await?, AwsCall::S3),
            AwsCall::Ec2(call) => wrap(ec2::prepare(&session, call).await?, AwsCall::Ec2),
            other @ (AwsCall::Sts(_) | AwsCall::Lambda(_) | AwsCall::Logs(_)) => {
                Prepared::plain(other)
            }
        };
        Ok(PreparedStep {
            region: session.region,
            prepared,
            identity,
        })
    }

    /// Runs `call` in `region`; the output lines go to the job's log.
    pub async fn run(
        &self,
        call: &AwsCall,
        region: Option<&str>,
        local: &Local<'_>,
    ) -> Result<Vec<String>, AwsError> {
        let session = self.session(region).await?;
        let now_millis = crate::store::now_unix() * 1000;
        let lines = match call {
            AwsCall::S3(call) => s3::run(&session, call, local).await?,
            AwsCall::Ec2(call) => ec2::run(&session, call).await?,
            AwsCall::Lambda(call) => lambda::run(&session, call, now_millis).await?,
            AwsCall::Logs(LogsCall::FilterEvents {
                log_group,
                pattern,
                minutes,
                limit,
            }) => {
                let query = logs::Query {
                    log_group,
                    pattern: pattern.as_deref(),
                    keep: logs::everything,
                    minutes: *minutes,
                    limit: *limit,
                };
                logs::newest(&session, query, now_millis).await?
            }
            AwsCall::Sts(StsCall::GetCallerIdentity) => {
                let identity = self.identity(&session).await?;
                format::Lines(vec![
                    format!("account: {}", identity.account),
                    format!("arn: {}", identity.arn),
                    format!("user id: {}", identity.user_id),
                    format!("region: {}", session.region),
                ])
            }
        };
        Ok(lines.0)
    }
}

fn wrap<C>(prepared: Prepared<C>, into: fn(C) -> AwsCall) -> Prepared<AwsCall> {
    Prepared {
        call: into(prepared.call),
        preview: prepared.preview,
        level: prepared.level,
        ask: prepared.ask,
    }
}
