//! One clear sentence, with what to do, for every way an AWS call fails:
//! missing or expired credentials, access denied, unknown resources, the
//! wrong region, throttling and unreachable endpoints. SDK error chains are
//! never shown, and AWS's own messages pass through redaction.

use std::error::Error as StdError;

use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

/// A failed AWS call, explained for the card.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct AwsError(pub String);

impl AwsError {
    /// An error with a message of our own.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

/// What the failing call was about, for the sentence.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// The operation, as in plans (`list_objects`).
    pub operation: &'a str,
    /// The resource it named (`bucket releases`, `function thumbnailer`), or "".
    pub resource: &'a str,
    /// The region it acted in.
    pub region: &'a str,
    /// The profile in use, for sign-in advice.
    pub profile: &'a str,
}

/// Explains an SDK error.
pub fn explain<E, R>(error: &SdkError<E, R>, subject: Subject<'_>) -> AwsError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    let chain = DisplayErrorContext(error).to_string();
    let code = error.code().unwrap_or_default();
    let message = error.message().unwrap_or_default();
    let kind = match error {
        SdkError::ServiceError(_) | SdkError::ResponseError(_) => Failure::Answered,
        _ if is_missing_credentials(&chain) => Failure::NoCredentials,
        _ if chain.contains("while loading credentials")
            || chain.contains("credentials provider timed out") =>
        {
            Failure::CredentialsBroken
        }
        SdkError::TimeoutError(_) => Failure::Timeout,
        SdkError::DispatchFailure(_) => Failure::Unreachable,
        _ => Failure::Other,
    };
    AwsError(sentence(kind, code, message, &chain, subject))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    Timeout,
    Unreachable,
    NoCredentials,
    CredentialsBroken,
    Answered,
    Other,
}

/// The SDK's words for "no provider in the chain had credentials".
fn is_missing_credentials(chain: &str) -> bool {
    [
        "no providers in chain provided credentials",
        "the credential provider was not enabled",
    ]
    .iter()
    .any(|needle| chain.contains(needle))
}

fn sentence(kind: Failure, code: &str, message: &str, chain: &str, subject: Subject<'_>) -> String {
    let Subject {
        operation,
        resource,
        region,
        profile,
    } = subject;
    let about = if resource.is_empty() {
        operation.to_owned()
    } else {
        format!("{operation} on {resource}")
    };
    let sign_in = format!(
        "sign in again (for SSO: `aws sso login --profile {profile}`) or refresh the keys of profile {profile}"
    );
    match kind {
        Failure::NoCredentials => {
            return "No AWS credentials were found: set AWS_PROFILE to a configured profile, run \
                    `aws configure` (or `aws sso login`), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \
                    where DevOS starts."
                .to_owned();
        }
        Failure::CredentialsBroken => {
            return format!(
                "The AWS credentials of profile {profile} could not be loaded: {sign_in}."
            );
        }
        Failure::Timeout => {
            return format!(
                "AWS did not answer {about} in time ({region}); check the network and try again."
            );
        }
        Failure::Unreachable => {
            let reason = if chain.contains("Connection refused") {
                "connection refused"
            } else if chain.contains("dns error") || chain.contains("failed to lookup") {
                "the host name does not resolve"
            } else {
                "the connection failed"
            };
            return format!(
                "Could not reach AWS for {about} in {region} ({reason}); check the network, or AWS_ENDPOINT_URL if you set one."
            );
        }
        Failure::Answered | Failure::Other => {}
    }
    let detail = crate::context::redact(message);
    match code {
        "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" | "TokenRefreshRequired" => {
            format!("Your AWS session has expired: {sign_in}.")
        }
        "InvalidClientTokenId"
        | "InvalidAccessKeyId"
        | "SignatureDoesNotMatch"
        | "UnrecognizedClientException"
        | "AuthFailure"
        | "InvalidToken" => format!(
            "AWS did not accept the credentials of profile {profile} (unknown key or wrong secret): {sign_in}."
        ),
        "AccessDenied"
        | "AccessDeniedException"
        | "UnauthorizedOperation"
        | "AuthorizationError"
        | "Forbidden" => format!(
            "AWS denied {about}: the identity in use lacks that permission. Ask for it, or use a profile that has it."
        ),
        "NoSuchBucket" => format!("There is no {resource} (or it belongs to another account)."),
        "NoSuchKey" | "NotFound" => format!("There is no such object: {resource}."),
        "BucketNotEmpty" => format!(
            "The bucket {resource} still has objects (new ones may have arrived since the preview); nothing more was deleted."
        ),
        "PermanentRedirect"
        | "AuthorizationHeaderMalformed"
        | "IllegalLocationConstraintException"
        | "301" => format!(
            "{resource} is in another region than {region}; say which region it is in (for example \"in eu-west-1\")."
        ),
        "Throttling"
        | "ThrottlingException"
        | "TooManyRequestsException"
        | "SlowDown"
        | "RequestLimitExceeded" => {
            "AWS is throttling requests; wait a minute and try again.".to_owned()
        }
        "InvalidInstanceID.NotFound" | "InvalidInstanceID.Malformed" => {
            format!("No such instance in {region}: {detail}")
        }
        "ResourceNotFoundException" => format!("{resource} does not exist in {region}."),
        "IncorrectInstanceState" => {
            format!("The instance is not in a state that allows this: {detail}")
        }
        _ if !code.is_empty() => format!("AWS refused {about} ({code}): {detail}"),
        _ => format!("{about} failed in {region}; AWS gave no reason."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUBJECT: Subject<'static> = Subject {
        operation: "list_objects",
        resource: "bucket logs",
        region: "us-east-1",
        profile: "work",
    };

    #[test]
    fn every_known_code_gets_a_sentence_with_what_to_do() {
        for (code, needle) in [
            ("ExpiredToken", "aws sso login --profile work"),
            ("AccessDenied", "lacks that permission"),
            ("NoSuchBucket", "There is no bucket logs"),
            ("PermanentRedirect", "another region"),
            ("SlowDown", "wait a minute"),
            ("InvalidAccessKeyId", "did not accept the credentials"),
        ] {
            let text = sentence(Failure::Answered, code, "x", "", SUBJECT);
            assert!(text.contains(needle), "{code}: {text}");
        }
    }

    #[test]
    fn missing_credentials_and_dead_endpoints_are_told_apart() {
        let none = sentence(Failure::NoCredentials, "", "", "", SUBJECT);
        assert!(none.contains("No AWS credentials"), "{none}");
        let refused = sentence(
            Failure::Unreachable,
            "",
            "",
            "dispatch failure: io error: Connection refused (os error 111)",
            SUBJECT,
        );
        assert!(refused.contains("connection refused"), "{refused}");
        assert!(!refused.contains("os error"), "{refused}");
    }

    #[test]
    fn aws_messages_are_redacted() {
        let text = sentence(
            Failure::Answered,
            "Weird",
            "token AKIAABCDEFGHIJKLMNOP leaked",
            "",
            SUBJECT,
        );
        assert!(!text.contains("AKIAABCDEFGHIJKLMNOP"), "{text}");
    }
}
