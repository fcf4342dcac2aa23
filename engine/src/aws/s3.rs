//! S3 through the SDK: listing buckets and objects, metadata, downloads into
//! the job's folder, uploads, copies, presigned links and deletions, plus
//! the preview a deletion shows before approval (exactly which keys go).

use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use aws_sdk_s3::Client;
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{Delete, ObjectIdentifier};
use tokio::io::AsyncWriteExt as _;

use super::call::S3Call;
use super::errors::{self, AwsError};
use super::format::{Lines, when};
use super::session::Session;
use super::{Local, Prepared};
use crate::fsops::human_bytes;
use crate::plan::SafetyLevel;

#[path = "s3_prepare.rs"]
mod checks;

use checks::head_output;
pub use checks::prepare;
#[cfg(test)]
use checks::wildcard_match;

/// Most keys one deletion or prefix download may cover.
pub const MAX_KEYS: usize = 10_000;
/// Objects listed one per line; the rest are counted.
const LISTED: usize = 1000;
/// Keys named on a deletion preview; the rest are counted.
const PREVIEWED: usize = 50;
/// A prefix download bigger than this asks first.
const LARGE_DOWNLOAD_BYTES: u64 = 1_000_000_000;
/// Longest presigned link S3 accepts (7 days).
const MAX_PRESIGN_SECS: u64 = 7 * 24 * 3600;

fn client(session: &Session) -> Client {
    let mut config = aws_sdk_s3::config::Builder::from(&session.config);
    // Emulators and S3-compatible stores behind an endpoint override serve
    // buckets as paths, not as host names.
    if session.config.endpoint_url().is_some() {
        config = config.force_path_style(true);
    }
    Client::from_conf(config.build())
}

/// One object of a listing.
#[derive(Debug, Clone)]
struct Object {
    key: String,
    size: u64,
    modified: String,
}

/// Lists up to `cap` objects under `prefix` (all pages), stopping early.
async fn list(
    client: &Client,
    session: &Session,
    bucket: &str,
    prefix: &str,
    cap: usize,
) -> Result<(Vec<Object>, bool), AwsError> {
    let resource = format!("bucket {bucket}");
    let mut pages = client
        .list_objects_v2()
        .bucket(bucket)
        .prefix(prefix)
        .into_paginator()
        .send();
    let mut objects = Vec::new();
    while let Some(page) = pages.next().await {
        let page =
            page.map_err(|e| errors::explain(&e, session.subject("list_objects", &resource)))?;
        for object in page.contents() {
            if objects.len() == cap {
                return Ok((objects, true));
            }
            objects.push(Object {
                key: object.key().unwrap_or_default().to_owned(),
                size: object
                    .size()
                    .and_then(|s| u64::try_from(s).ok())
                    .unwrap_or(0),
                modified: object.last_modified().map(when).unwrap_or_default(),
            });
        }
    }
    Ok((objects, false))
}

/// Runs `call`; downloads go through `local`.
pub async fn run(session: &Session, call: &S3Call, local: &Local<'_>) -> Result<Lines, AwsError> {
    let client = client(session);
    let mut out = Lines::default();
    match call {
        S3Call::ListBuckets => {
            let answer = client
                .list_buckets()
                .send()
                .await
                .map_err(|e| errors::explain(&e, session.subject("list_buckets", "")))?;
            for bucket in answer.buckets() {
                out.push(format!(
                    "{}  {}",
                    bucket.creation_date().map(when).unwrap_or_default(),
                    bucket.name().unwrap_or_default()
                ));
            }
            out.push(format!("{} bucket(s)", answer.buckets().len()));
        }
        S3Call::ListObjects { bucket, prefix } => {
            let (objects, more) = list(&client, session, bucket, prefix, MAX_KEYS * 10).await?;
            let total: u64 = objects.iter().map(|o| o.size).sum();
            for object in objects.iter().take(LISTED) {
                out.push(format!(
                    "{}  {:>9}  {}",
                    object.modified,
                    human_bytes(object.size),
                    object.key
                ));
            }
            if objects.len() > LISTED {
                out.push(format!("… {} more not shown", objects.len() - LISTED));
            }
            out.push(format!(
                "{}{} object(s), {} in all, under s3://{bucket}/{prefix}",
                if more { "at least " } else { "" },
                objects.len(),
                human_bytes(total)
            ));
        }
        S3Call::HeadObject { bucket, key } => {
            let answer = head_output(&client, session, bucket, key).await?;
            out.push(format!("s3://{bucket}/{key}"));
            let size = answer
                .content_length()
                .and_then(|s| u64::try_from(s).ok())
                .unwrap_or(0);
            out.push(format!("size: {} ({size} bytes)", human_bytes(size)));
            out.push(format!(
                "modified: {}",
                answer.last_modified().map(when).unwrap_or_default()
            ));
            for (label, value) in [
                ("content type", answer.content_type()),
                ("etag", answer.e_tag()),
                (
                    "storage class",
                    answer
                        .storage_class()
                        .map(aws_sdk_s3::types::StorageClass::as_str),
                ),
            ] {
                if let Some(value) = value {
                    out.push(format!("{label}: {value}"));
                }
            }
            if let Some(metadata) = answer.metadata() {
                let mut pairs: Vec<_> = metadata.iter().collect();
                pairs.sort();
                for (name, value) in pairs {
                    out.push(format!("metadata {name}: {value}"));
                }
            }
        }
        S3Call::Download {
            bucket,
            key,
            prefix,
            to,
        } => {
            let dest = local.cwd.join(to);
            let targets: Vec<(String, PathBuf)> = match (key, prefix) {
                (Some(key), _) => vec![(key.clone(), dest.join(file_name(Path::new(key))))],
                (None, Some(prefix)) => {
                    let (objects, _) = list(&client, session, bucket, prefix, MAX_KEYS).await?;
                    objects
                        .into_iter()
                        .filter(|o| !o.key.ends_with('/'))
                        .map(|o| {
                            let relative = safe_relative(
                                o.key.strip_prefix(prefix.as_str()).unwrap_or(&o.key),
                            );
                            (o.key, relative.map(|r| dest.join(r)))
                        })
                        .filter_map(|(key, path)| path.map(|p| (key, p)))
                        .collect()
                }
                (None, None) => Vec::new(),
            };
            let mut total = 0u64;
            for (key, path) in &targets {
                let (placed, size) = download(&client, session, bucket, key, path, local).await?;
                total += size;
                out.push(format!(
                    "downloaded s3://{bucket}/{key} → {} ({})",
                    placed.display(),
                    human_bytes(size)
                ));
            }
            out.push(format!(
                "{} file(s), {} in all",
                targets.len(),
                human_bytes(total)
            ));
        }
        S3Call::Upload { path, bucket, key } => {
            let local_path = local.cwd.join(path);
            let key = key.clone().unwrap_or_else(|| file_name(&local_path));
            let body = ByteStream::from_path(&local_path)
                .await
                .map_err(|e| AwsError::new(format!("cannot read {}: {e}", local_path.display())))?;
            let resource = format!("s3://{bucket}/{key}");
            client
                .put_object()
                .bucket(bucket)
                .key(&key)
                .body(body)
                .send()
                .await
                .map_err(|e| errors::explain(&e, session.subject("upload", &resource)))?;
            out.push(format!("uploaded {} → {resource}", local_path.display()));
        }
        S3Call::Copy {
            bucket,
            key,
            to_bucket,
            to_key,
        } => {
            let resource = format!("s3://{bucket}/{key}");
            client
                .copy_object()
                .copy_source(format!("{bucket}/{}", encode_key(key)))
                .bucket(to_bucket)
                .key(to_key)
                .send()
                .await
                .map_err(|e| errors::explain(&e, session.subject("copy", &resource)))?;
            out.push(format!("copied {resource} → s3://{to_bucket}/{to_key}"));
        }
        S3Call::Presign {
            bucket,
            key,
            expires_secs,
        } => {
            let config = PresigningConfig::expires_in(Duration::from_secs(*expires_secs))
                .map_err(|e| AwsError::new(format!("invalid link lifetime: {e}")))?;
            let resource = format!("s3://{bucket}/{key}");
            let link = client
                .get_object()
                .bucket(bucket)
                .key(key)
                .presigned(config)
                .await
                .map_err(|e| errors::explain(&e, session.subject("presign", &resource)))?;
            out.push(format!(
                "link to {resource}, valid for {} minutes:",
                expires_secs.div_ceil(60)
            ));
            out.push(link.uri().to_owned());
        }
        S3Call::DeleteObjects { bucket, keys, .. } => {
            delete_keys(&client, session, bucket, keys, &mut out).await?;
        }
        S3Call::DeleteBucket { bucket, keys, .. } => {
            delete_keys(&client, session, bucket, keys, &mut out).await?;
            let resource = format!("bucket {bucket}");
            client
                .delete_bucket()
                .bucket(bucket)
                .send()
                .await
                .map_err(|e| errors::explain(&e, session.subject("delete_bucket", &resource)))?;
            out.push(format!("deleted the bucket s3://{bucket}"));
        }
    }
    Ok(out)
}

async fn delete_keys(
    client: &Client,
    session: &Session,
    bucket: &str,
    keys: &[String],
    out: &mut Lines,
) -> Result<(), AwsError> {
    let resource = format!("bucket {bucket}");
    let mut failed = Vec::new();
    for batch in keys.chunks(1000) {
        let objects = batch
            .iter()
            .map(|key| ObjectIdentifier::builder().key(key).build())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AwsError::new(format!("invalid key: {e}")))?;
        let delete = Delete::builder()
            .set_objects(Some(objects))
            .quiet(true)
            .build()
            .map_err(|e| AwsError::new(format!("invalid deletion: {e}")))?;
        let answer = client
            .delete_objects()
            .bucket(bucket)
            .delete(delete)
            .send()
            .await
            .map_err(|e| errors::explain(&e, session.subject("delete_objects", &resource)))?;
        failed.extend(answer.errors().iter().map(|e| {
            format!(
                "{}: {}",
                e.key().unwrap_or_default(),
                e.message().or(e.code()).unwrap_or("not deleted")
            )
        }));
    }
    out.push(format!(
        "deleted {} object(s) from s3://{bucket}",
        keys.len() - failed.len()
    ));
    if failed.is_empty() {
        Ok(())
    } else {
        Err(AwsError::new(format!(
            "{} object(s) were not deleted: {}",
            failed.len(),
            failed.join("; ")
        )))
    }
}

/// Streams one object into a part file, then places it (never overwriting).
async fn download(
    client: &Client,
    session: &Session,
    bucket: &str,
    key: &str,
    path: &Path,
    local: &Local<'_>,
) -> Result<(PathBuf, u64), AwsError> {
    let resource = format!("s3://{bucket}/{key}");
    let mut answer = client
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .map_err(|e| errors::explain(&e, session.subject("download", &resource)))?;
    let part = local
        .part_dir
        .join(format!("download-{}", rand::random::<u64>()));
    let io = |e: std::io::Error| AwsError::new(format!("could not save {resource} locally: {e}"));
    let mut file = tokio::fs::File::create_new(&part).await.map_err(io)?;
    let mut size = 0u64;
    while let Some(chunk) = answer.body.next().await {
        let chunk = chunk
            .map_err(|e| AwsError::new(format!("the download of {resource} broke off: {e}")))?;
        size += chunk.len() as u64;
        file.write_all(&chunk).await.map_err(io)?;
    }
    file.sync_all().await.map_err(io)?;
    drop(file);
    let placed = (local.place)(part, path.to_path_buf())
        .await
        .map_err(|e| AwsError::new(format!("could not save {resource}: {e}")))?;
    Ok((placed, size))
}

/// A key's path below the download folder, refusing `..`, absolute paths
/// and empty names, so an object can never land outside it.
fn safe_relative(key: &str) -> Option<PathBuf> {
    let path = Path::new(key.trim_start_matches('/'));
    let ok = path.components().all(|c| matches!(c, Component::Normal(_)));
    (ok && path.file_name().is_some()).then(|| path.to_path_buf())
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || "download".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Percent-encodes a key for `x-amz-copy-source`, keeping `/`.
fn encode_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for byte in key.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_whole_keys() {
        assert!(wildcard_match(
            "nightly/*.tar.gz",
            "nightly/2026-11-30.tar.gz"
        ));
        assert!(wildcard_match("*.log", "a/b/c.log"));
        assert!(!wildcard_match("*.log", "a.log.gz"));
        assert!(wildcard_match("build-?.zip", "build-7.zip"));
        assert!(!wildcard_match("build-?.zip", "build-17.zip"));
    }

    #[test]
    fn keys_never_leave_the_download_folder() {
        assert_eq!(safe_relative("a/b.txt"), Some(PathBuf::from("a/b.txt")));
        assert_eq!(safe_relative("/a.txt"), Some(PathBuf::from("a.txt")));
        assert_eq!(safe_relative("../../etc/passwd"), None);
        assert_eq!(safe_relative("a/../../b"), None);
        assert_eq!(safe_relative(""), None);
    }

    #[test]
    fn copy_sources_are_percent_encoded() {
        assert_eq!(encode_key("a b/c+d.txt"), "a%20b/c%2Bd.txt");
    }
}
