//! AWS requests about compute: EC2 instances (list, start, stop, reboot,
//! terminate), Lambda functions (list, invoke, recent errors) and
//! `CloudWatch` log events, each one typed `aws` step.

use crate::aws::{AwsCall, Ec2Call, LambdaCall, LogsCall};
use crate::plan::Plan;

use super::intent::{Effect, Intent};
use super::intents_aws::{NOT_NAMES, instance_ids, lifetime_secs, name_after, one, region};
use super::query::Query;

/// The EC2, Lambda and log intents.
pub(super) const INTENTS: &[Intent] = &[
    Intent {
        name: "aws_ec2_list",
        effect: Effect::Reads,
        examples: &[
            "list the running EC2 instances in us-west-2",
            "show my ec2 instances",
        ],
        all: &[
            &["ec2", "instance", "instances", "vms", "servers"],
            &[
                "ec2",
                "aws",
                "running",
                "stopped",
                "list",
                "show",
                "which",
                "my",
                "<instance_id>",
            ],
        ],
        any: &["list", "show", "running", "in"],
        none: &[
            "start",
            "stop",
            "reboot",
            "restart",
            "terminate",
            "kill",
            "lambda",
            "bucket*",
        ],
        build: |q| {
            let states: Vec<String> = ["running", "stopped", "pending", "stopping", "terminated"]
                .iter()
                .filter(|s| q.has(s))
                .map(|s| (*s).to_owned())
                .collect();
            let name = name_after(q, &["named", "called"]);
            let call = Ec2Call::DescribeInstances {
                ids: instance_ids(q),
                states,
                name,
                tags: std::collections::BTreeMap::new(),
            };
            Ok(one(
                "List EC2 instances",
                region(q),
                AwsCall::Ec2(call),
                "Lists the instances with id, name, type, state, addresses and launch time.",
            ))
        },
    },
    Intent {
        name: "aws_ec2_start",
        effect: Effect::Changes,
        examples: &["start instance i-0123456789abcdef0"],
        all: &[&["start", "boot"], &["<instance_id>"]],
        any: &["instance", "ec2"],
        none: &["restart", "stop"],
        build: |q| ec2_change(q, "Start", |ids| Ec2Call::StartInstances { ids }),
    },
    Intent {
        name: "aws_ec2_stop",
        effect: Effect::Changes,
        examples: &["stop instance i-0123456789abcdef0"],
        all: &[&["stop", "shut down", "halt"], &["<instance_id>"]],
        any: &["instance", "ec2"],
        none: &["start"],
        build: |q| ec2_change(q, "Stop", |ids| Ec2Call::StopInstances { ids }),
    },
    Intent {
        name: "aws_ec2_reboot",
        effect: Effect::Changes,
        examples: &["reboot instance i-0123456789abcdef0"],
        all: &[&["reboot", "restart"], &["<instance_id>"]],
        any: &["instance", "ec2"],
        none: &[],
        build: |q| ec2_change(q, "Reboot", |ids| Ec2Call::RebootInstances { ids }),
    },
    Intent {
        name: "aws_ec2_terminate",
        effect: Effect::Signals,
        examples: &["terminate instance i-0123456789abcdef0"],
        all: &[&["terminate"], &["<instance_id>"]],
        any: &["instance", "ec2"],
        none: &[],
        build: |q| ec2_change(q, "Terminate", |ids| Ec2Call::TerminateInstances { ids }),
    },
    Intent {
        name: "aws_lambda_list",
        effect: Effect::Reads,
        examples: &["list all the lambda functions in eu-central-1"],
        all: &[
            &["lambda", "lambdas"],
            &["list", "show", "which", "what", "all", "functions", "my"],
        ],
        any: &["functions", "list"],
        none: &[
            "error*",
            "exception*",
            "fail*",
            "invoke",
            "trigger",
            "crash*",
            "logs",
        ],
        build: |q| {
            Ok(one(
                "List the Lambda functions",
                region(q),
                AwsCall::Lambda(LambdaCall::ListFunctions),
                "Lists the functions with runtime, memory and last change.",
            ))
        },
    },
    Intent {
        name: "aws_lambda_errors",
        effect: Effect::Reads,
        examples: &["show the last errors of the thumbnailer lambda"],
        all: &[
            &["lambda", "function"],
            &["error", "errors", "exception*", "fail*", "crash*"],
        ],
        any: &["last", "recent", "show", "latest"],
        none: &["invoke", "trigger"],
        build: |q| {
            let function = function_name(q).ok_or("name the function")?;
            let limit = q.count().unwrap_or(20);
            let call = LambdaCall::RecentErrors {
                function: function.clone(),
                minutes: 24 * 60,
                limit,
            };
            Ok(one(
                format!("Show the recent errors of {function}"),
                region(q),
                AwsCall::Lambda(call),
                "Reads the error lines of the function's log group over the last day.",
            ))
        },
    },
    Intent {
        name: "aws_lambda_invoke",
        effect: Effect::Changes,
        examples: &["invoke the thumbnailer lambda with '{\"id\": 1}'"],
        all: &[&["invoke", "trigger"], &["lambda", "function"]],
        any: &["with", "payload"],
        none: &[],
        build: |q| {
            let function = function_name(q).ok_or("name the function")?;
            let payload = q.quoted().first().map(|text| (*text).to_owned());
            Ok(one(
                format!("Invoke {function}"),
                region(q),
                AwsCall::Lambda(LambdaCall::Invoke { function, payload }),
                "Runs the function once and shows its answer.",
            ))
        },
    },
    Intent {
        name: "aws_log_events",
        effect: Effect::Reads,
        examples: &[
            "show the last 20 events of log group /app/web",
            "cloudwatch logs of /app/web matching 'timeout'",
        ],
        all: &[&["log group", "log-group", "cloudwatch", "loggroup"]],
        any: &["last", "show", "events", "matching", "containing"],
        none: &["lambda"],
        build: |q| {
            let log_group = q
                .tokens
                .iter()
                .map(|t| t.raw.as_str())
                .find(|raw| raw.starts_with('/') && raw.len() > 1)
                .map(str::to_owned)
                .or_else(|| name_after(q, &["group"]))
                .ok_or("name the log group")?;
            let pattern = q.quoted().first().map(|text| (*text).to_owned());
            let limit = q.count().unwrap_or(50);
            let minutes = lifetime_secs(q).map_or(60, |secs| {
                u32::try_from(secs / 60).unwrap_or(u32::MAX).max(1)
            });
            Ok(one(
                format!("Show the newest events of {log_group}"),
                region(q),
                AwsCall::Logs(LogsCall::FilterEvents {
                    log_group,
                    pattern,
                    minutes,
                    limit,
                }),
                "Reads the newest events of the log group over the time range.",
            ))
        },
    },
];

fn ec2_change(q: &Query<'_>, verb: &str, call: fn(Vec<String>) -> Ec2Call) -> Result<Plan, String> {
    let ids = instance_ids(q);
    if ids.is_empty() {
        return Err("name the instances by id (i-…)".to_owned());
    }
    Ok(one(
        format!("{verb} {}", ids.join(", ")),
        region(q),
        AwsCall::Ec2(call(ids)),
        "The card names each instance with its name and state before you decide.",
    ))
}

/// The function: "lambda NAME", "function NAME" or "the NAME lambda".
fn function_name(q: &Query<'_>) -> Option<String> {
    name_after(q, &["lambda", "function"]).or_else(|| {
        let index = (1..q.tokens.len()).find(|&i| matches!(q.lower(i), "lambda" | "function"))?;
        let before = &q.tokens[index - 1];
        (!NOT_NAMES.contains(&before.lower.as_str())).then(|| before.raw.clone())
    })
}
