//! What an S3 call would touch, checked before approval: a deletion's
//! selection resolved to its exact keys, an upload or copy over an
//! existing object made destructive, a huge download made to ask.

use std::path::Path;

use aws_sdk_s3::Client;

use super::{
    AwsError, LARGE_DOWNLOAD_BYTES, MAX_KEYS, MAX_PRESIGN_SECS, Object, PREVIEWED, Prepared,
    S3Call, SafetyLevel, Session, client, errors, file_name, human_bytes, list, when,
};

/// Checks what a changing call would touch, before approval.
pub async fn prepare(
    session: &Session,
    call: S3Call,
    cwd: &Path,
) -> Result<Prepared<S3Call>, AwsError> {
    let client = client(session);
    match call {
        S3Call::DeleteObjects {
            bucket,
            keys,
            prefix,
            pattern,
        } => {
            let objects = select(
                &client,
                session,
                &bucket,
                &keys,
                prefix.as_deref(),
                pattern.as_deref(),
            )
            .await?;
            let (preview, level) = deletion_preview(&bucket, &objects);
            let mut prepared = Prepared::plain(S3Call::DeleteObjects {
                bucket,
                keys: objects.into_iter().map(|o| o.key).collect(),
                prefix: None,
                pattern: None,
            });
            prepared.preview = preview;
            prepared.level = level;
            Ok(prepared)
        }
        S3Call::DeleteBucket { bucket, empty, .. } => {
            let (objects, more) = list(&client, session, &bucket, "", MAX_KEYS).await?;
            if more {
                return Err(AwsError::new(format!(
                    "s3://{bucket} has more than {MAX_KEYS} objects; DevOS deletes at most that many in one step."
                )));
            }
            if !empty && !objects.is_empty() {
                return Err(AwsError::new(format!(
                    "s3://{bucket} is not empty ({} objects); ask to empty and delete it to remove them too.",
                    objects.len()
                )));
            }
            let (mut preview, _) = deletion_preview(&bucket, &objects);
            preview.insert(0, format!("deletes the bucket s3://{bucket}"));
            let mut prepared = Prepared::plain(S3Call::DeleteBucket {
                bucket,
                empty,
                keys: objects.into_iter().map(|o| o.key).collect(),
            });
            prepared.preview = preview;
            Ok(prepared)
        }
        S3Call::Download {
            bucket,
            key,
            prefix,
            to,
        } => {
            let objects = match (&key, &prefix) {
                (Some(key), None) => vec![head(&client, session, &bucket, key).await?],
                (None, Some(prefix)) => {
                    let (objects, more) = list(&client, session, &bucket, prefix, MAX_KEYS).await?;
                    if more {
                        return Err(AwsError::new(format!(
                            "more than {MAX_KEYS} objects are under s3://{bucket}/{prefix}; download a narrower prefix."
                        )));
                    }
                    objects
                }
                _ => {
                    return Err(AwsError::new(
                        "a download names either one `key` or a `prefix`, not both or neither",
                    ));
                }
            };
            let total: u64 = objects.iter().map(|o| o.size).sum();
            let dest = cwd.join(&to);
            let mut prepared = Prepared::plain(S3Call::Download {
                bucket: bucket.clone(),
                key,
                prefix,
                to,
            });
            prepared.preview = vec![format!(
                "downloads {} object(s), {} in all, into {}",
                objects.len(),
                human_bytes(total),
                dest.display()
            )];
            prepared.preview.extend(
                objects
                    .iter()
                    .take(PREVIEWED)
                    .map(|o| format!("  s3://{bucket}/{} ({})", o.key, human_bytes(o.size))),
            );
            if total > LARGE_DOWNLOAD_BYTES {
                prepared.ask = Some(format!(
                    "it downloads {} to this machine",
                    human_bytes(total)
                ));
            }
            Ok(prepared)
        }
        S3Call::Upload { path, bucket, key } => {
            let local = cwd.join(&path);
            let meta = std::fs::metadata(&local)
                .map_err(|e| AwsError::new(format!("cannot upload {}: {e}", local.display())))?;
            if !meta.is_file() {
                return Err(AwsError::new(format!("{} is not a file", local.display())));
            }
            let key = key.unwrap_or_else(|| file_name(&local));
            let mut prepared = Prepared::plain(S3Call::Upload {
                path,
                bucket: bucket.clone(),
                key: Some(key.clone()),
            });
            prepared.preview = vec![format!(
                "uploads {} ({}) to s3://{bucket}/{key}",
                local.display(),
                human_bytes(meta.len())
            )];
            replaces(&client, session, &bucket, &key, &mut prepared).await?;
            Ok(prepared)
        }
        S3Call::Copy {
            bucket,
            key,
            to_bucket,
            to_key,
        } => {
            let source = head(&client, session, &bucket, &key).await?;
            let mut prepared = Prepared::plain(S3Call::Copy {
                bucket: bucket.clone(),
                key: key.clone(),
                to_bucket: to_bucket.clone(),
                to_key: to_key.clone(),
            });
            prepared.preview = vec![format!(
                "copies s3://{bucket}/{key} ({}) to s3://{to_bucket}/{to_key}",
                human_bytes(source.size)
            )];
            replaces(&client, session, &to_bucket, &to_key, &mut prepared).await?;
            Ok(prepared)
        }
        S3Call::Presign {
            bucket,
            key,
            expires_secs,
        } => {
            if expires_secs == 0 || expires_secs > MAX_PRESIGN_SECS {
                return Err(AwsError::new(
                    "a presigned link lasts between 1 second and 7 days",
                ));
            }
            let object = head(&client, session, &bucket, &key).await?;
            let mut prepared = Prepared::plain(S3Call::Presign {
                bucket: bucket.clone(),
                key: key.clone(),
                expires_secs,
            });
            prepared.preview = vec![format!(
                "a link to s3://{bucket}/{key} ({}) that works for {} minutes",
                human_bytes(object.size),
                expires_secs.div_ceil(60)
            )];
            Ok(prepared)
        }
        other @ (S3Call::ListBuckets | S3Call::ListObjects { .. } | S3Call::HeadObject { .. }) => {
            Ok(Prepared::plain(other))
        }
    }
}

/// An upload or copy onto an existing key replaces it: that is destructive.
async fn replaces(
    client: &Client,
    session: &Session,
    bucket: &str,
    key: &str,
    prepared: &mut Prepared<S3Call>,
) -> Result<(), AwsError> {
    match client.head_object().bucket(bucket).key(key).send().await {
        Ok(existing) => {
            let size = existing
                .content_length()
                .and_then(|s| u64::try_from(s).ok())
                .unwrap_or(0);
            prepared.preview.push(format!(
                "replaces the existing s3://{bucket}/{key} ({}, modified {})",
                human_bytes(size),
                existing.last_modified().map(when).unwrap_or_default()
            ));
            prepared.level = Some(SafetyLevel::Destructive);
            Ok(())
        }
        Err(error)
            if error
                .as_service_error()
                .is_some_and(aws_sdk_s3::operation::head_object::HeadObjectError::is_not_found) =>
        {
            Ok(())
        }
        Err(error) => Err(errors::explain(
            &error,
            session.subject("head_object", &format!("s3://{bucket}/{key}")),
        )),
    }
}

/// One object's metadata; a missing object is "There is no object …".
pub(super) async fn head_output(
    client: &Client,
    session: &Session,
    bucket: &str,
    key: &str,
) -> Result<aws_sdk_s3::operation::head_object::HeadObjectOutput, AwsError> {
    let resource = format!("s3://{bucket}/{key}");
    client
        .head_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .map_err(|e| {
            if e.as_service_error()
                .is_some_and(aws_sdk_s3::operation::head_object::HeadObjectError::is_not_found)
            {
                AwsError::new(format!("There is no object {resource}."))
            } else {
                errors::explain(&e, session.subject("head_object", &resource))
            }
        })
}

async fn head(
    client: &Client,
    session: &Session,
    bucket: &str,
    key: &str,
) -> Result<Object, AwsError> {
    let answer = head_output(client, session, bucket, key).await?;
    Ok(Object {
        key: key.to_owned(),
        size: answer
            .content_length()
            .and_then(|s| u64::try_from(s).ok())
            .unwrap_or(0),
        modified: answer.last_modified().map(when).unwrap_or_default(),
    })
}

/// The objects a deletion names: exact keys (those that exist), or a
/// prefix, or a pattern matched against whole keys.
async fn select(
    client: &Client,
    session: &Session,
    bucket: &str,
    keys: &[String],
    prefix: Option<&str>,
    pattern: Option<&str>,
) -> Result<Vec<Object>, AwsError> {
    if !keys.is_empty() {
        if keys.len() > MAX_KEYS {
            return Err(AwsError::new(format!(
                "at most {MAX_KEYS} keys can be deleted in one step"
            )));
        }
        let mut found = Vec::new();
        for key in keys {
            match head(client, session, bucket, key).await {
                Ok(object) => found.push(object),
                Err(error) if error.0.starts_with("There is no object") => {}
                Err(error) => return Err(error),
            }
        }
        return Ok(found);
    }
    let (listed_prefix, matcher) = match (prefix, pattern) {
        (Some(prefix), None) => (prefix.to_owned(), None),
        (None, Some(pattern)) => {
            let literal: String = pattern
                .chars()
                .take_while(|c| !matches!(c, '*' | '?'))
                .collect();
            (literal, Some(pattern))
        }
        (None, None) => {
            return Err(AwsError::new(
                "say which objects to delete: keys, a prefix or a pattern (an empty bucket is emptied with delete_bucket)",
            ));
        }
        (Some(_), Some(_)) => {
            return Err(AwsError::new("give a prefix or a pattern, not both"));
        }
    };
    let (objects, more) = list(client, session, bucket, &listed_prefix, MAX_KEYS).await?;
    if more {
        return Err(AwsError::new(format!(
            "more than {MAX_KEYS} objects are under s3://{bucket}/{listed_prefix}; narrow the selection"
        )));
    }
    Ok(objects
        .into_iter()
        .filter(|o| matcher.is_none_or(|pattern| wildcard_match(pattern, &o.key)))
        .collect())
}

/// What a deletion removes, key by key, and `Safe` when it removes nothing.
fn deletion_preview(bucket: &str, objects: &[Object]) -> (Vec<String>, Option<SafetyLevel>) {
    if objects.is_empty() {
        let nothing = format!("no objects in s3://{bucket} match; nothing will be deleted");
        return (vec![nothing], Some(SafetyLevel::Safe));
    }
    let total: u64 = objects.iter().map(|o| o.size).sum();
    let mut preview = vec![format!(
        "deletes {} object(s), {} in all, from s3://{bucket}:",
        objects.len(),
        human_bytes(total)
    )];
    preview.extend(
        objects
            .iter()
            .take(PREVIEWED)
            .map(|o| format!("  {} ({}, {})", o.key, human_bytes(o.size), o.modified)),
    );
    if objects.len() > PREVIEWED {
        preview.push(format!("  … and {} more", objects.len() - PREVIEWED));
    }
    (preview, None)
}

/// `*` matches any run of characters (slashes too), `?` one character.
pub(super) fn wildcard_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}
