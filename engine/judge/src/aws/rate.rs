//! The engine's own rating of an AWS call, whatever the planner said: reads
//! are `safe`, a download is a `moderate` undoable local write, calls that
//! change the account ask, and deleting or terminating is `destructive`.

use super::call::{AwsCall, Ec2Call, LambdaCall, LogsCall, S3Call, StsCall};
use crate::plan::SafetyLevel;

/// How an AWS call is judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsRating {
    /// Its level.
    pub level: SafetyLevel,
    /// Whether it needs a person's approval whatever the level.
    pub needs_approval: bool,
    /// Why, for the card.
    pub reasons: Vec<String>,
    /// Whether DevOS can undo it (only downloads).
    pub undoable: bool,
}

/// Why a change in the account is never undoable.
const REMOTE: &str = "it acts in your AWS account; DevOS cannot undo it";

/// Rates `call`.
pub fn rate(call: &AwsCall) -> AwsRating {
    use Effect::{Changes, Deletes, DownloadsHere, Reads};
    let effect = match call {
        AwsCall::S3(call) => match call {
            S3Call::ListBuckets | S3Call::ListObjects { .. } | S3Call::HeadObject { .. } => Reads,
            S3Call::Download { .. } => DownloadsHere,
            S3Call::Upload { .. } | S3Call::Copy { .. } => Changes("it writes objects to S3"),
            S3Call::Presign { .. } => Changes(
                "it makes a link that lets anyone who has it download the object until it expires",
            ),
            S3Call::DeleteObjects { .. } => Deletes("it deletes S3 objects"),
            S3Call::DeleteBucket { .. } => Deletes("it deletes an S3 bucket"),
        },
        AwsCall::Sts(StsCall::GetCallerIdentity)
        | AwsCall::Lambda(LambdaCall::ListFunctions | LambdaCall::RecentErrors { .. })
        | AwsCall::Logs(LogsCall::FilterEvents { .. }) => Reads,
        AwsCall::Ec2(call) => match call {
            Ec2Call::DescribeInstances { .. } => Reads,
            Ec2Call::StartInstances { .. } => Changes("it starts EC2 instances (they cost money)"),
            Ec2Call::StopInstances { .. } => Changes("it stops EC2 instances"),
            Ec2Call::RebootInstances { .. } => Changes("it reboots EC2 instances"),
            Ec2Call::TerminateInstances { .. } => {
                Deletes("it terminates EC2 instances: they and their local disks are gone")
            }
        },
        AwsCall::Lambda(LambdaCall::Invoke { .. }) => {
            Changes("it runs the function, which can do anything its code does")
        }
    };
    match effect {
        Reads => AwsRating {
            level: SafetyLevel::Safe,
            needs_approval: false,
            reasons: vec!["reads from AWS with your credentials; nothing is changed".to_owned()],
            undoable: false,
        },
        DownloadsHere => AwsRating {
            level: SafetyLevel::Moderate,
            needs_approval: false,
            reasons: vec![
                "downloads into the job's folder without overwriting anything; undo removes the files"
                    .to_owned(),
            ],
            undoable: true,
        },
        Changes(what) => AwsRating {
            level: SafetyLevel::Moderate,
            needs_approval: true,
            reasons: vec![what.to_owned(), REMOTE.to_owned()],
            undoable: false,
        },
        Deletes(what) => AwsRating {
            level: SafetyLevel::Destructive,
            needs_approval: true,
            reasons: vec![what.to_owned(), REMOTE.to_owned()],
            undoable: false,
        },
    }
}

enum Effect {
    Reads,
    DownloadsHere,
    Changes(&'static str),
    Deletes(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> AwsCall {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn reads_are_safe_and_never_ask() {
        for json in [
            r#"{"service":"s3","operation":"list_buckets"}"#,
            r#"{"service":"s3","operation":"list_objects","bucket":"b"}"#,
            r#"{"service":"sts","operation":"get_caller_identity"}"#,
            r#"{"service":"ec2","operation":"describe_instances","states":["running"]}"#,
            r#"{"service":"lambda","operation":"list_functions"}"#,
            r#"{"service":"logs","operation":"filter_events","log_group":"g"}"#,
        ] {
            let rating = rate(&parse(json));
            assert_eq!(rating.level, SafetyLevel::Safe, "{json}");
            assert!(!rating.needs_approval, "{json}");
        }
    }

    #[test]
    fn changes_ask_and_deletions_are_destructive() {
        let ask = [
            r#"{"service":"s3","operation":"upload","path":"a","bucket":"b"}"#,
            r#"{"service":"ec2","operation":"stop_instances","ids":["i-1"]}"#,
            r#"{"service":"lambda","operation":"invoke","function":"f"}"#,
            r#"{"service":"s3","operation":"presign","bucket":"b","key":"k"}"#,
        ];
        for json in ask {
            let rating = rate(&parse(json));
            assert_eq!(rating.level, SafetyLevel::Moderate, "{json}");
            assert!(rating.needs_approval, "{json}");
        }
        for json in [
            r#"{"service":"s3","operation":"delete_objects","bucket":"b","prefix":"x/"}"#,
            r#"{"service":"s3","operation":"delete_bucket","bucket":"b"}"#,
            r#"{"service":"ec2","operation":"terminate_instances","ids":["i-1"]}"#,
        ] {
            let rating = rate(&parse(json));
            assert_eq!(rating.level, SafetyLevel::Destructive, "{json}");
            assert!(rating.needs_approval, "{json}");
        }
    }

    #[test]
    fn a_download_is_an_undoable_local_write() {
        let rating = rate(&parse(
            r#"{"service":"s3","operation":"download","bucket":"b","key":"k"}"#,
        ));
        assert_eq!(rating.level, SafetyLevel::Moderate);
        assert!(rating.undoable && !rating.needs_approval);
    }
}
