//! The typed AWS calls an `aws` step can make: plain data naming the
//! service, the operation and its parameters, as planners write them and as
//! the store keeps them. No I/O.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One AWS call. On the wire: `{"service": "s3", "operation": "list_objects", "bucket": …}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "service", rename_all = "snake_case")]
pub enum AwsCall {
    /// Amazon S3.
    S3(S3Call),
    /// AWS STS (identity).
    Sts(StsCall),
    /// Amazon EC2 instances.
    Ec2(Ec2Call),
    /// AWS Lambda functions.
    Lambda(LambdaCall),
    /// Amazon `CloudWatch` Logs.
    Logs(LogsCall),
}

/// S3 operations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "operation", rename_all = "snake_case", deny_unknown_fields)]
pub enum S3Call {
    /// The account's buckets.
    ListBuckets,
    /// Every object under a prefix, with sizes, dates and a total.
    ListObjects {
        /// The bucket.
        bucket: String,
        /// Only keys starting with this (all keys when empty).
        #[serde(default)]
        prefix: String,
    },
    /// One object's metadata.
    HeadObject {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
    },
    /// Downloads one object (`key`) or every object under `prefix` into a
    /// folder of the job's directory. Nothing local is overwritten: a name
    /// already taken gets a suffix, as typed copies do.
    Download {
        /// The bucket.
        bucket: String,
        /// One object.
        #[serde(default)]
        key: Option<String>,
        /// Every object under this prefix (their paths below it are kept).
        #[serde(default)]
        prefix: Option<String>,
        /// The local folder, relative to the job's directory.
        #[serde(default = "here")]
        to: String,
    },
    /// Uploads a local file.
    Upload {
        /// The local file, relative to the job's directory.
        path: String,
        /// The bucket.
        bucket: String,
        /// The key; the file's name when omitted.
        #[serde(default)]
        key: Option<String>,
    },
    /// Copies an object (within or across buckets).
    Copy {
        /// Source bucket.
        bucket: String,
        /// Source key.
        key: String,
        /// Destination bucket.
        to_bucket: String,
        /// Destination key.
        to_key: String,
    },
    /// A time-limited download link for one object.
    Presign {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
        /// How long the link works, in seconds (at most 7 days).
        #[serde(default = "one_hour")]
        expires_secs: u64,
    },
    /// Deletes objects named by key, by prefix or by a `*`/`?` pattern over
    /// whole keys. Before approval the engine lists exactly which keys match
    /// and stores them in `keys`; only those are deleted.
    DeleteObjects {
        /// The bucket.
        bucket: String,
        /// Exact keys.
        #[serde(default)]
        keys: Vec<String>,
        /// Every key under this prefix.
        #[serde(default)]
        prefix: Option<String>,
        /// Keys matching this pattern (`*` any run of characters, `?` one).
        #[serde(default)]
        pattern: Option<String>,
    },
    /// Deletes a bucket; with `empty`, its objects first (listed before approval).
    DeleteBucket {
        /// The bucket.
        bucket: String,
        /// Delete its objects first.
        #[serde(default)]
        empty: bool,
        /// The objects that go with it, filled in before approval.
        #[serde(default)]
        keys: Vec<String>,
    },
}

/// STS operations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "operation", rename_all = "snake_case", deny_unknown_fields)]
pub enum StsCall {
    /// The account, ARN and user id the credentials belong to.
    GetCallerIdentity,
}

/// EC2 operations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "operation", rename_all = "snake_case", deny_unknown_fields)]
pub enum Ec2Call {
    /// Instances, optionally filtered (all filters must hold).
    DescribeInstances {
        /// Instance ids.
        #[serde(default)]
        ids: Vec<String>,
        /// States (`running`, `stopped`, …).
        #[serde(default)]
        states: Vec<String>,
        /// The `Name` tag.
        #[serde(default)]
        name: Option<String>,
        /// Other tags that must match.
        #[serde(default)]
        tags: BTreeMap<String, String>,
    },
    /// Starts stopped instances.
    StartInstances {
        /// Instance ids.
        ids: Vec<String>,
    },
    /// Stops running instances.
    StopInstances {
        /// Instance ids.
        ids: Vec<String>,
    },
    /// Reboots instances.
    RebootInstances {
        /// Instance ids.
        ids: Vec<String>,
    },
    /// Terminates instances: they and their instance-store data are gone.
    TerminateInstances {
        /// Instance ids.
        ids: Vec<String>,
    },
}

/// Lambda operations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "operation", rename_all = "snake_case", deny_unknown_fields)]
pub enum LambdaCall {
    /// Functions with runtime, memory and last change.
    ListFunctions,
    /// Runs a function once with a JSON payload and shows its answer.
    Invoke {
        /// Function name or ARN.
        function: String,
        /// The event, as JSON text (`{}` when omitted).
        #[serde(default)]
        payload: Option<String>,
    },
    /// Error lines from the function's log group (`/aws/lambda/NAME`).
    RecentErrors {
        /// Function name.
        function: String,
        /// How far back to look.
        #[serde(default = "one_day_minutes")]
        minutes: u32,
        /// Most lines shown (the newest).
        #[serde(default = "twenty")]
        limit: u32,
    },
}

/// `CloudWatch` Logs operations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "operation", rename_all = "snake_case", deny_unknown_fields)]
pub enum LogsCall {
    /// The newest events of a log group over a time range, optionally
    /// matching a `CloudWatch` filter pattern.
    FilterEvents {
        /// The log group.
        log_group: String,
        /// A `CloudWatch` Logs filter pattern.
        #[serde(default)]
        pattern: Option<String>,
        /// How far back to look.
        #[serde(default = "one_hour_minutes")]
        minutes: u32,
        /// Most events shown (the newest).
        #[serde(default = "fifty")]
        limit: u32,
    },
}

fn here() -> String {
    ".".to_owned()
}

const fn one_hour() -> u64 {
    3600
}

const fn one_hour_minutes() -> u32 {
    60
}

const fn one_day_minutes() -> u32 {
    24 * 60
}

const fn twenty() -> u32 {
    20
}

const fn fifty() -> u32 {
    50
}

impl AwsCall {
    /// The service's short name (`s3`, `ec2`, …).
    pub fn service(&self) -> &'static str {
        match self {
            Self::S3(_) => "s3",
            Self::Sts(_) => "sts",
            Self::Ec2(_) => "ec2",
            Self::Lambda(_) => "lambda",
            Self::Logs(_) => "logs",
        }
    }

    /// The operation's name, as written in plans.
    pub fn operation(&self) -> &'static str {
        match self {
            Self::S3(call) => match call {
                S3Call::ListBuckets => "list_buckets",
                S3Call::ListObjects { .. } => "list_objects",
                S3Call::HeadObject { .. } => "head_object",
                S3Call::Download { .. } => "download",
                S3Call::Upload { .. } => "upload",
                S3Call::Copy { .. } => "copy",
                S3Call::Presign { .. } => "presign",
                S3Call::DeleteObjects { .. } => "delete_objects",
                S3Call::DeleteBucket { .. } => "delete_bucket",
            },
            Self::Sts(StsCall::GetCallerIdentity) => "get_caller_identity",
            Self::Ec2(call) => match call {
                Ec2Call::DescribeInstances { .. } => "describe_instances",
                Ec2Call::StartInstances { .. } => "start_instances",
                Ec2Call::StopInstances { .. } => "stop_instances",
                Ec2Call::RebootInstances { .. } => "reboot_instances",
                Ec2Call::TerminateInstances { .. } => "terminate_instances",
            },
            Self::Lambda(call) => match call {
                LambdaCall::ListFunctions => "list_functions",
                LambdaCall::Invoke { .. } => "invoke",
                LambdaCall::RecentErrors { .. } => "recent_errors",
            },
            Self::Logs(LogsCall::FilterEvents { .. }) => "filter_events",
        }
    }

    /// A one-line summary for cards and logs: `s3 list_objects s3://b/releases/`.
    pub fn summary(&self) -> String {
        let target = match self {
            Self::S3(call) => match call {
                S3Call::ListBuckets => String::new(),
                S3Call::ListObjects { bucket, prefix } => format!("s3://{bucket}/{prefix}"),
                S3Call::HeadObject { bucket, key } | S3Call::Presign { bucket, key, .. } => {
                    format!("s3://{bucket}/{key}")
                }
                S3Call::Download {
                    bucket,
                    key,
                    prefix,
                    to,
                } => format!(
                    "s3://{bucket}/{} → {to}",
                    key.as_deref().or(prefix.as_deref()).unwrap_or_default()
                ),
                S3Call::Upload { path, bucket, key } => {
                    format!("{path} → s3://{bucket}/{}", key.as_deref().unwrap_or(""))
                }
                S3Call::Copy {
                    bucket,
                    key,
                    to_bucket,
                    to_key,
                } => format!("s3://{bucket}/{key} → s3://{to_bucket}/{to_key}"),
                S3Call::DeleteObjects {
                    bucket,
                    keys,
                    prefix,
                    pattern,
                } => match (prefix, pattern) {
                    (Some(prefix), _) => format!("s3://{bucket}/{prefix}"),
                    (None, Some(pattern)) => format!("s3://{bucket}/{pattern}"),
                    (None, None) => format!("s3://{bucket} ({} keys)", keys.len()),
                },
                S3Call::DeleteBucket { bucket, empty, .. } => {
                    format!(
                        "s3://{bucket}{}",
                        if *empty { " and its objects" } else { "" }
                    )
                }
            },
            Self::Sts(StsCall::GetCallerIdentity) => String::new(),
            Self::Ec2(call) => match call {
                Ec2Call::DescribeInstances {
                    ids,
                    states,
                    name,
                    tags,
                } => {
                    let mut parts: Vec<String> = ids.clone();
                    parts.extend(states.iter().map(|s| format!("state={s}")));
                    parts.extend(name.iter().map(|n| format!("name={n}")));
                    parts.extend(tags.iter().map(|(k, v)| format!("tag:{k}={v}")));
                    parts.join(" ")
                }
                Ec2Call::StartInstances { ids }
                | Ec2Call::StopInstances { ids }
                | Ec2Call::RebootInstances { ids }
                | Ec2Call::TerminateInstances { ids } => ids.join(" "),
            },
            Self::Lambda(call) => match call {
                LambdaCall::ListFunctions => String::new(),
                LambdaCall::Invoke { function, .. } | LambdaCall::RecentErrors { function, .. } => {
                    function.clone()
                }
            },
            Self::Logs(LogsCall::FilterEvents {
                log_group, pattern, ..
            }) => match pattern {
                Some(pattern) => format!("{log_group} matching {pattern}"),
                None => log_group.clone(),
            },
        };
        let head = format!("{} {}", self.service(), self.operation());
        if target.is_empty() {
            head
        } else {
            format!("{head} {target}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_and_operation_sit_beside_the_parameters_on_the_wire() {
        let call: AwsCall = serde_json::from_str(
            r#"{"service":"s3","operation":"list_objects","bucket":"b","prefix":"releases/"}"#,
        )
        .unwrap();
        assert_eq!(
            call,
            AwsCall::S3(S3Call::ListObjects {
                bucket: "b".into(),
                prefix: "releases/".into()
            })
        );
        let back = serde_json::to_value(&call).unwrap();
        assert_eq!(back["service"], "s3");
        assert_eq!(back["operation"], "list_objects");
        assert_eq!(call.summary(), "s3 list_objects s3://b/releases/");
    }

    #[test]
    fn unknown_operations_and_parameters_are_refused() {
        for bad in [
            r#"{"service":"s3","operation":"put_bucket_policy","bucket":"b"}"#,
            r#"{"service":"s3","operation":"list_objects","bucket":"b","acl":"public"}"#,
            r#"{"service":"iam","operation":"list_users"}"#,
            r#"{"service":"ec2","operation":"terminate_instances"}"#,
        ] {
            assert!(serde_json::from_str::<AwsCall>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn defaults_fill_in_what_a_planner_may_leave_out() {
        let call: AwsCall = serde_json::from_str(
            r#"{"service":"logs","operation":"filter_events","log_group":"/app"}"#,
        )
        .unwrap();
        assert_eq!(
            call,
            AwsCall::Logs(LogsCall::FilterEvents {
                log_group: "/app".into(),
                pattern: None,
                minutes: 60,
                limit: 50
            })
        );
    }
}
