//! AWS requests about identity and storage: who am I, buckets and objects
//! (list, metadata, download, upload, copy, presigned links, deletion), and
//! the slots every AWS intent reads (region, names, instance ids). Each
//! request becomes one typed `aws` step; the engine rates it and previews
//! what a change touches.

use std::sync::LazyLock;

use regex::Regex;

use crate::aws::{AwsCall, S3Call, StsCall};
use crate::plan::{Plan, SafetyLevel, Step, StepAction};

use super::intent::{Effect, Intent};
use super::query::Query;
use super::slots::{compile, is_match};
use super::steps::plan;

static REGION: LazyLock<Option<Regex>> = LazyLock::new(|| {
    compile(
        r"^[a-z]{2}(-gov)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-[1-9]$",
    )
});
static INSTANCE_ID: LazyLock<Option<Regex>> = LazyLock::new(|| compile(r"^i-[0-9a-f]{8,17}$"));
static BUCKET_NAME: LazyLock<Option<Regex>> =
    LazyLock::new(|| compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"));

/// Words never taken as a bucket, function or group name.
pub(super) const NOT_NAMES: &[&str] = &[
    "the", "my", "a", "an", "s3", "aws", "this", "that", "in", "of", "from", "to", "all", "every",
    "each", "some", "called", "named", "lambda", "function", "bucket", "objects", "files", "show",
    "list", "delete", "remove", "empty", "with", "and", "its", "under", "me", "for", "last",
    "recent", "latest", "errors", "logs", "on", "what", "whats", "is",
];

/// The AWS intents.
pub(super) const INTENTS: &[Intent] = &[
    Intent {
        name: "aws_whoami",
        effect: Effect::Reads,
        examples: &[
            "who am i on aws",
            "which AWS account and IAM identity am I using?",
        ],
        all: &[
            &["aws", "iam", "sts"],
            &[
                "who am i",
                "whoami",
                "identity",
                "which account",
                "what account",
                "account id",
                "caller",
                "logged in",
            ],
        ],
        any: &["using", "which", "what"],
        none: &[],
        build: |_| {
            Ok(one(
                "Show the AWS account and identity in use",
                None,
                AwsCall::Sts(StsCall::GetCallerIdentity),
                "Asks AWS STS who the credentials belong to.",
            ))
        },
    },
    Intent {
        name: "aws_list_buckets",
        effect: Effect::Reads,
        examples: &["list my s3 buckets", "which buckets do i have"],
        all: &[
            &["bucket", "buckets"],
            &["s3", "aws", "my", "all", "list", "which"],
        ],
        any: &["list", "show", "my"],
        none: &["<s3>", "instance*", "lambda"],
        build: |q| {
            Ok(one(
                "List the S3 buckets",
                region(q),
                AwsCall::S3(S3Call::ListBuckets),
                "Lists every bucket of the account with its creation date.",
            ))
        },
    },
    Intent {
        name: "aws_list_objects",
        effect: Effect::Reads,
        examples: &[
            "what's in s3://my-bucket/releases/",
            "show what's in the s3 bucket assets under images/",
        ],
        all: &[&["<s3>"]],
        any: &[
            "list", "show", "whats", "what", "contents", "objects", "files", "in", "under",
        ],
        none: &[
            "download*",
            "upload*",
            "metadata",
            "presign*",
            "link",
            "url",
            "empty",
            "copy",
        ],
        build: |q| {
            let (bucket, prefix) = s3_location(q).ok_or("name the bucket")?;
            Ok(one(
                format!("List the objects under s3://{bucket}/{prefix}"),
                region(q),
                AwsCall::S3(S3Call::ListObjects { bucket, prefix }),
                "Lists every object under the prefix with size and date, and the total.",
            ))
        },
    },
    Intent {
        name: "aws_head_object",
        effect: Effect::Reads,
        examples: &["show the metadata of s3://my-bucket/app.tar.gz"],
        all: &[
            &["<s3>"],
            &[
                "metadata",
                "size of",
                "how big",
                "details",
                "content type",
                "info",
            ],
        ],
        any: &["show", "object"],
        none: &["download*", "upload*"],
        build: |q| {
            let (bucket, key) = s3_location(q)
                .filter(|(_, key)| !key.is_empty() && !key.ends_with('/'))
                .ok_or("name the object as s3://bucket/key")?;
            Ok(one(
                format!("Show the metadata of s3://{bucket}/{key}"),
                region(q),
                AwsCall::S3(S3Call::HeadObject { bucket, key }),
                "Reads the object's size, date, type and metadata.",
            ))
        },
    },
    Intent {
        name: "aws_download",
        effect: Effect::Changes,
        examples: &[
            "download s3://my-bucket/reports/q3.pdf here",
            "download everything under s3://my-bucket/logs/",
        ],
        all: &[&["download*", "fetch", "pull down", "grab"], &["<s3>"]],
        any: &["here", "into", "to"],
        none: &["upload*"],
        build: |q| {
            let (bucket, path) =
                s3_location(q).ok_or("name what to download as s3://bucket/key")?;
            let whole_prefix = path.is_empty()
                || path.ends_with('/')
                || q.has_any(&["everything", "all", "folder", "prefix"]);
            let (key, prefix) = if whole_prefix {
                (None, Some(path.clone()))
            } else {
                (Some(path.clone()), None)
            };
            let to = q
                .path_after(&["into", "to"])
                .and_then(|(_, dir)| {
                    dir.strip_prefix(q.cwd)
                        .ok()
                        .map(|rest| rest.display().to_string())
                })
                .filter(|rest| !rest.is_empty())
                .unwrap_or_else(|| ".".to_owned());
            Ok(one(
                format!("Download s3://{bucket}/{path} into {to}"),
                region(q),
                AwsCall::S3(S3Call::Download {
                    bucket,
                    key,
                    prefix,
                    to,
                }),
                "Downloads into the job's folder without overwriting anything; undo removes the files.",
            ))
        },
    },
    Intent {
        name: "aws_upload",
        effect: Effect::Changes,
        examples: &["upload report.pdf to s3://my-bucket/reports/"],
        all: &[&["upload*", "put"], &["<s3>"], &["<file>"]],
        any: &["to"],
        none: &["download*"],
        build: |q| {
            let (bucket, prefix) =
                s3_location(q).ok_or("name where to upload as s3://bucket/prefix")?;
            let index = q.file_index().ok_or("name the file to upload")?;
            let file = q.tokens[index].raw.clone();
            let name = std::path::Path::new(&file)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let key = if prefix.is_empty() || prefix.ends_with('/') {
                format!("{prefix}{name}")
            } else {
                prefix
            };
            Ok(one(
                format!("Upload {file} to s3://{bucket}/{key}"),
                region(q),
                AwsCall::S3(S3Call::Upload {
                    path: file,
                    bucket,
                    key: Some(key),
                }),
                "Uploads the file; replacing an existing object is rated destructive.",
            ))
        },
    },
    Intent {
        name: "aws_copy",
        effect: Effect::Copies,
        examples: &["copy s3://my-bucket/app.tar.gz to s3://backup-bucket/app.tar.gz"],
        all: &[&["copy", "cp", "duplicate"], &["<s3>"]],
        any: &["to", "into"],
        none: &["download*", "upload*"],
        build: |q| {
            let locations: Vec<(String, String)> = q
                .tokens
                .iter()
                .filter_map(|t| t.raw.strip_prefix("s3://"))
                .filter_map(|rest| rest.split_once('/'))
                .map(|(bucket, key)| (bucket.to_owned(), key.to_owned()))
                .collect();
            let [(bucket, key), (to_bucket, to_key)] = locations.as_slice() else {
                return Err(
                    "name the object and where it goes as s3://bucket/key … to s3://bucket/key"
                        .to_owned(),
                );
            };
            if key.is_empty() || key.ends_with('/') {
                return Err("name one object to copy (s3://bucket/key)".to_owned());
            }
            let file = key.rsplit('/').next().unwrap_or(key);
            let to_key = if to_key.is_empty() || to_key.ends_with('/') {
                format!("{to_key}{file}")
            } else {
                to_key.clone()
            };
            let call = S3Call::Copy {
                bucket: bucket.clone(),
                key: key.clone(),
                to_bucket: to_bucket.clone(),
                to_key: to_key.clone(),
            };
            Ok(one(
                format!("Copy s3://{bucket}/{key} to s3://{to_bucket}/{to_key}"),
                region(q),
                AwsCall::S3(call),
                "Copies the object inside S3; replacing an existing object is rated destructive.",
            ))
        },
    },
    Intent {
        name: "aws_presign",
        effect: Effect::Reads,
        examples: &["make a share link for s3://my-bucket/build.zip"],
        all: &[
            &[
                "presign*",
                "share link",
                "download link",
                "shareable link",
                "temporary link",
                "signed url",
                "signed link",
                "link",
                "url",
            ],
            &["<s3>"],
        ],
        any: &["make", "create", "share"],
        none: &[],
        build: |q| {
            let (bucket, key) = s3_location(q)
                .filter(|(_, key)| !key.is_empty())
                .ok_or("name the object as s3://bucket/key")?;
            let expires_secs = lifetime_secs(q).unwrap_or(3600);
            Ok(one(
                format!("Make a link to s3://{bucket}/{key}"),
                region(q),
                AwsCall::S3(S3Call::Presign {
                    bucket,
                    key,
                    expires_secs,
                }),
                "Makes a presigned link; anyone with it can download the object until it expires.",
            ))
        },
    },
    Intent {
        name: "aws_s3_delete",
        effect: Effect::Deletes,
        examples: &[
            "delete the nightly/ objects in bucket my-bucket",
            "delete s3://my-bucket/old/*.log",
            "empty the bucket scratch-data",
        ],
        all: &[&["<s3>"]],
        any: &["objects", "files", "keys", "bucket", "empty"],
        none: &["download*", "upload*"],
        build: delete_objects,
    },
];

/// A one-step AWS plan; the engine rates the step itself.
pub(super) fn one(
    description: impl Into<String>,
    region: Option<String>,
    call: AwsCall,
    explanation: &str,
) -> Plan {
    let description = description.into();
    plan(
        description.clone(),
        vec![Step {
            description,
            action: StepAction::Aws { region, call },
            safety_level: SafetyLevel::Safe,
        }],
        explanation,
    )
}

/// A region named in the request (`us-west-2`).
pub(super) fn region(q: &Query<'_>) -> Option<String> {
    q.tokens
        .iter()
        .map(|t| t.lower.as_str())
        .find(|word| is_match(&REGION, word))
        .map(str::to_owned)
}

pub(super) fn instance_ids(q: &Query<'_>) -> Vec<String> {
    q.tokens
        .iter()
        .map(|t| t.lower.clone())
        .filter(|word| is_match(&INSTANCE_ID, word))
        .collect()
}

/// Whether the request is about AWS: an `s3://` location, an instance id or
/// an AWS service named as a word.
pub(super) fn is_about_aws(q: &Query<'_>) -> bool {
    names_instances(q)
        || q.tokens.iter().any(|t| t.raw.starts_with("s3://"))
        || q.has_any(&[
            "s3",
            "aws",
            "ec2",
            "lambda",
            "lambdas",
            "cloudwatch",
            "bucket",
            "buckets",
            "log group",
        ])
}

/// Whether the request names EC2 instances ("reboot instance i-…" is not a machine reboot).
pub(super) fn names_instances(q: &Query<'_>) -> bool {
    !instance_ids(q).is_empty()
}

/// The word after one of `words`, when it can be a name.
pub(super) fn name_after(q: &Query<'_>, words: &[&str]) -> Option<String> {
    let index = (0..q.tokens.len()).find(|&i| words.contains(&q.lower(i)))?;
    let token = q.tokens.get(index + 1)?;
    (!NOT_NAMES.contains(&token.lower.as_str())).then(|| token.raw.clone())
}

/// The bucket and key or prefix: `s3://bucket/path`, or "bucket NAME" /
/// "the NAME bucket" with a prefix word ending in `/` ("releases/").
pub(super) fn s3_location(q: &Query<'_>) -> Option<(String, String)> {
    if let Some(rest) = q.tokens.iter().find_map(|t| t.raw.strip_prefix("s3://")) {
        let (bucket, path) = rest.split_once('/').unwrap_or((rest, ""));
        return is_match(&BUCKET_NAME, bucket).then(|| (bucket.to_owned(), path.to_owned()));
    }
    let bucket = (0..q.tokens.len()).find_map(|i| {
        if q.lower(i) != "bucket" {
            return None;
        }
        let candidates = [
            q.tokens.get(i + 1),
            i.checked_sub(1).and_then(|b| q.tokens.get(b)),
        ];
        let after_named = matches!(q.lower(i + 1), "named" | "called")
            .then(|| q.tokens.get(i + 2))
            .flatten();
        after_named
            .into_iter()
            .chain(candidates.into_iter().flatten())
            .find(|t| !NOT_NAMES.contains(&t.lower.as_str()) && is_match(&BUCKET_NAME, &t.raw))
            .map(|t| t.raw.clone())
    })?;
    let prefix = q
        .tokens
        .iter()
        .map(|t| t.raw.as_str())
        .find(|raw| raw.ends_with('/') && raw.len() > 1 && !raw.starts_with('/'))
        .unwrap_or("")
        .to_owned();
    Some((bucket, prefix))
}

/// "for 2 hours", "for 30 minutes", "last 3 days": a span in seconds.
pub(super) fn lifetime_secs(q: &Query<'_>) -> Option<u64> {
    (1..q.tokens.len()).find_map(|i| {
        let number: u64 = q.lower(i - 1).parse().ok()?;
        let unit = match q.lower(i).trim_end_matches('s') {
            "minute" | "min" => 60,
            "hour" | "hr" => 3600,
            "day" => 86_400,
            _ => return None,
        };
        Some(number * unit)
    })
}

fn delete_objects(q: &Query<'_>) -> Result<Plan, String> {
    let (bucket, path) = s3_location(q).ok_or("name the bucket")?;
    let pattern = path.contains(['*', '?']).then(|| path.clone()).or_else(|| {
        q.tokens
            .iter()
            .map(|t| t.raw.as_str())
            .find(|raw| raw.contains('*') && !raw.starts_with("s3://"))
            .map(str::to_owned)
    });
    let empties = q.has("empty")
        || q.has_any(&[
            "everything in",
            "all objects",
            "all the objects",
            "all files",
        ]);
    let deletes_bucket = !q.has("empty")
        && path.is_empty()
        && pattern.is_none()
        && q.has("bucket")
        && !q.has_any(&["objects", "files", "keys", "contents"]);
    let call = if deletes_bucket {
        S3Call::DeleteBucket {
            bucket: bucket.clone(),
            empty: q.has_any(&[
                "and everything",
                "and its contents",
                "and all",
                "with everything",
                "force",
            ]),
            keys: Vec::new(),
        }
    } else if let Some(pattern) = pattern {
        S3Call::DeleteObjects {
            bucket: bucket.clone(),
            keys: Vec::new(),
            prefix: None,
            pattern: Some(pattern),
        }
    } else if path.is_empty() && !empties {
        return Err(
            "say which objects to delete: a prefix (logs/), a pattern (*.tmp) or a key".to_owned(),
        );
    } else if path.is_empty() || path.ends_with('/') {
        S3Call::DeleteObjects {
            bucket: bucket.clone(),
            keys: Vec::new(),
            prefix: Some(path.clone()),
            pattern: None,
        }
    } else {
        S3Call::DeleteObjects {
            bucket: bucket.clone(),
            keys: vec![path.clone()],
            prefix: None,
            pattern: None,
        }
    };
    let what = match &call {
        S3Call::DeleteBucket { .. } => format!("Delete the bucket {bucket}"),
        _ if path.is_empty() => format!("Delete every object in s3://{bucket}"),
        _ => format!("Delete s3://{bucket}/{path}"),
    };
    Ok(one(
        what,
        region(q),
        AwsCall::S3(call),
        "The card lists exactly which objects would go, with their count and total size, before you decide.",
    ))
}
