//! The `aws` command line: global options are followed to the service and
//! operation, and the pair is rated with the same split as typed `aws`
//! steps: listing, describing and getting reads (`safe`, though it still
//! reaches the network, which always asks), credentials printed are
//! `moderate`, anything else changes the account and is `destructive`.

use super::system::plain;
use super::{Ctx, Program};

/// The `aws` CLI.
pub(super) const CLOUD: &[Program] = &[plain(&["aws"], rate_aws)];

/// Global options that take the next word as their value.
const GLOBAL_WITH_VALUE: &[&str] = &[
    "--region",
    "--profile",
    "--output",
    "--endpoint-url",
    "--query",
    "--color",
    "--ca-bundle",
    "--cli-read-timeout",
    "--cli-connect-timeout",
    "--cli-binary-format",
];

/// Global options without a value.
const GLOBAL_FLAGS: &[&str] = &[
    "--debug",
    "--no-verify-ssl",
    "--no-paginate",
    "--no-sign-request",
    "--no-cli-pager",
    "--cli-auto-prompt",
    "--no-cli-auto-prompt",
    "--version",
];

/// `get-…` operations that write their answer to a local file operand.
const WRITES_OUTFILE: &[&str] = &[
    "get-object",
    "get-object-torrent",
    "get-media",
    "get-clip",
    "get-export",
    "get-sdk",
];

/// Words in an operation's name that mean it prints credentials or secrets.
const PRINTS_SECRETS: &[&str] = &["secret", "password", "token", "credentials", "parameter"];

fn rate_aws(ctx: &mut Ctx<'_>) {
    ctx.rating.network = true;
    let words: Vec<(String, bool)> = ctx
        .cmd
        .words
        .iter()
        .map(|w| (w.value.clone(), w.dynamic))
        .collect();
    if words.iter().any(|(_, dynamic)| *dynamic) {
        ctx.destructive("aws arguments known only at run time cannot be rated");
        return;
    }
    let mut positional: Vec<&str> = Vec::new();
    let mut rest = words.iter().map(|(value, _)| value.as_str());
    while positional.len() < 2 {
        let Some(word) = rest.next() else { break };
        if !word.starts_with("--") {
            positional.push(word);
            continue;
        }
        let name = word.split('=').next().unwrap_or(word);
        if GLOBAL_WITH_VALUE.contains(&name) {
            if !word.contains('=') {
                rest.next();
            }
        } else if !GLOBAL_FLAGS.contains(&name) {
            ctx.destructive(format!(
                "aws {word} before the operation cannot be followed"
            ));
            return;
        }
    }
    let (service, operation) = match positional.as_slice() {
        [] => return,
        [only] if matches!(*only, "help") => return,
        [service] => (*service, "help"),
        [service, operation, ..] => (*service, *operation),
    };
    match verdict(service, operation) {
        Verdict::Reads => {}
        Verdict::PrintsSecrets => ctx.moderate(format!(
            "aws {service} {operation} prints credentials or secrets"
        )),
        Verdict::Changes => ctx.destructive(format!(
            "aws {service} {operation} changes things in your AWS account; DevOS cannot undo it"
        )),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Reads,
    PrintsSecrets,
    Changes,
}

fn verdict(service: &str, operation: &str) -> Verdict {
    let known_read = matches!(
        (service, operation),
        ("s3", "ls")
            | ("logs", "tail")
            | ("configure", "list" | "list-profiles")
            | (_, "help" | "wait")
    );
    if service == "configure" {
        return if known_read {
            Verdict::Reads
        } else {
            Verdict::Changes
        };
    }
    let reads_by_name = operation.starts_with("describe-")
        || operation.starts_with("list-")
        || (operation.starts_with("get-") && !WRITES_OUTFILE.contains(&operation));
    if !(reads_by_name || known_read) {
        Verdict::Changes
    } else if PRINTS_SECRETS.iter().any(|word| operation.contains(word)) {
        Verdict::PrintsSecrets
    } else {
        Verdict::Reads
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_secrets_and_changes_are_told_apart() {
        for (service, operation, want) in [
            ("s3", "ls", Verdict::Reads),
            ("ec2", "describe-instances", Verdict::Reads),
            ("lambda", "list-functions", Verdict::Reads),
            ("sts", "get-caller-identity", Verdict::Reads),
            ("logs", "tail", Verdict::Reads),
            ("s3api", "get-bucket-location", Verdict::Reads),
            ("s3api", "get-object", Verdict::Changes),
            ("secretsmanager", "get-secret-value", Verdict::PrintsSecrets),
            ("ecr", "get-login-password", Verdict::PrintsSecrets),
            ("sts", "get-session-token", Verdict::PrintsSecrets),
            ("sts", "assume-role", Verdict::Changes),
            ("s3", "rm", Verdict::Changes),
            ("s3", "sync", Verdict::Changes),
            ("ec2", "terminate-instances", Verdict::Changes),
            ("configure", "set", Verdict::Changes),
            ("configure", "list", Verdict::Reads),
        ] {
            assert_eq!(verdict(service, operation), want, "{service} {operation}");
        }
    }
}
