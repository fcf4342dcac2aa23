//! Masks secrets in text that came from outside DevOS (commit messages,
//! author names, process command lines) before it enters a context snapshot.
//! It only rewrites strings; it never reads files. File contents are never
//! indexed at all, so `.env` values and private keys cannot reach a snapshot
//! through the file index.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// What replaces a secret.
pub const REDACTED: &str = "[redacted]";

/// Pattern and replacement pairs, applied in order. Replacements keep the
/// key name (`--password=`, `API_KEY=`) so the reader still sees what was there.
const RULES: &[(&str, &str)] = &[
    // PEM private key blocks, whole.
    (
        r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)",
        "[redacted private key]",
    ),
    // `--password=x`, `--token x`, `--api-key=x` and friends.
    (
        r"(?i)(--?[a-z0-9_-]*(?:password|passwd|passphrase|token|secret|api[_-]?key|access[_-]?key|credentials?)[a-z0-9_-]*)(=|\s+)([^\s]+)",
        "${1}${2}[redacted]",
    ),
    // `SOME_SECRET=value`, `api_key: value`, `"token": "value"`.
    (
        r#"(?i)\b([a-z0-9_.-]*(?:password|passwd|passphrase|token|secret|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)[a-z0-9_.-]*)("?\s*[:=]\s*"?)([^\s"',;]+)"#,
        "${1}${2}[redacted]",
    ),
    // `Authorization: Bearer x`, `bearer x`, `Basic x`.
    (
        r"(?i)\b(bearer|basic)\s+[a-z0-9._~+/=-]{8,}",
        "${1} [redacted]",
    ),
    // Credentials inside URLs: `https://user:pass@host`.
    (
        r"(?i)([a-z][a-z0-9+.-]*://[^/\s:@]+):[^@\s/]+@",
        "${1}:[redacted]@",
    ),
    // Passwords given as the next word or glued to a short flag by tools
    // that take them that way: `mysql -pX`, `sshpass -p X`, `redis-cli -a X`,
    // `openssl … -passin pass:X`, `curl -u user:pass`.
    (
        r"\b((?:mysql|mariadb|mysqldump|mysqladmin)\b[^\n]*?\s-p)([^\s-][^\s]*)",
        "${1}[redacted]",
    ),
    (r"\b(sshpass\s+-p)\s*([^\s]+)", "${1} [redacted]"),
    (r"\b(redis-cli\b[^\n]*?\s-a)\s+([^\s]+)", "${1} [redacted]"),
    (r"(-pass(?:in|out)\s+pass:)([^\s]+)", "${1}[redacted]"),
    (
        r"((?:^|\s)(?:-u|--user)(?:\s+|=))([^\s:]+):([^\s]+)",
        "${1}${2}:[redacted]",
    ),
    // `aws configure set aws_secret_access_key X`.
    (
        r"(?i)\b(aws_secret_access_key|aws_session_token)(\s+)([^\s]+)",
        "${1}${2}[redacted]",
    ),
    // AWS access key ids.
    (r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", "[redacted]"),
    // GitHub tokens.
    (
        r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})",
        "[redacted]",
    ),
    // OpenAI / Anthropic style keys.
    (r"\bsk-[A-Za-z0-9_-]{16,}", "[redacted]"),
    // Slack tokens.
    (r"\bxox[abprs]-[A-Za-z0-9-]{10,}", "[redacted]"),
    // JSON web tokens.
    (
        r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
        "[redacted]",
    ),
];

static COMPILED: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    RULES
        .iter()
        .map(|(pattern, replacement)| {
            #[expect(
                clippy::expect_used,
                reason = "the patterns are constants; every one is exercised by the unit tests"
            )]
            let regex = Regex::new(pattern).expect("redaction pattern compiles");
            (regex, *replacement)
        })
        .collect()
});

/// Returns `text` with anything that looks like a credential masked:
/// `KEY=value` pairs whose key names a secret, `--password=…`/`--token …`
/// flags, bearer tokens, URL passwords, AWS key ids (`AKIA…`), GitHub
/// (`ghp_…`), OpenAI-style (`sk-…`) and Slack (`xoxb-…`) tokens, JWTs and PEM
/// private keys. Cheap enough to run on every cached string, not on every
/// snapshot.
pub fn redact(text: &str) -> String {
    let mut current = Cow::Borrowed(text);
    for (regex, replacement) in COMPILED.iter() {
        if let Cow::Owned(replaced) = regex.replace_all(&current, *replacement) {
            current = Cow::Owned(replaced);
        }
    }
    current.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn secrets_are_masked_and_plain_text_is_kept() {
        let cases = [
            ("cargo build --release", "cargo build --release"),
            ("fix: parse tokens in lexer", "fix: parse tokens in lexer"),
            (
                "node server.js --token=abc123",
                "node server.js --token=[redacted]",
            ),
            (
                "mysql --password hunter2 db",
                "mysql --password [redacted] db",
            ),
            ("app --api-key=k1", "app --api-key=[redacted]"),
            (
                "env AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG python x.py",
                "env AWS_SECRET_ACCESS_KEY=[redacted] python x.py",
            ),
            ("DB_PASSWORD=pw ./run", "DB_PASSWORD=[redacted] ./run"),
            (r#"{"token": "t0ps3cret"}"#, r#"{"token": "[redacted]"}"#),
            ("key AKIAIOSFODNN7EXAMPLE here", "key [redacted] here"),
            (
                "push with ghp_abcdefghijklmnopqrstuvwxyz0123456789",
                "push with [redacted]",
            ),
            ("use sk-proj-abcdefghijklmnop1234", "use [redacted]"),
            ("xoxb-1234567890-abcdefghij", "[redacted]"),
            (
                "curl -H 'Authorization: Bearer abcdefghijkl.mnop'",
                "curl -H 'Authorization: Bearer [redacted]'",
            ),
            (
                "git clone https://bob:s3cret@example.com/r.git",
                "git clone https://bob:[redacted]@example.com/r.git",
            ),
            (
                "t eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijkl",
                "t [redacted]",
            ),
            (
                "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----",
                "[redacted private key]",
            ),
            (
                "mysql -u root -phunter2 db",
                "mysql -u root -p[redacted] db",
            ),
            (
                "sshpass -p s3cret ssh host",
                "sshpass -p [redacted] ssh host",
            ),
            (
                "curl -u alice:pa55 https://x",
                "curl -u alice:[redacted] https://x",
            ),
            (
                "openssl rsa -in k.pem -passin pass:hunter2",
                "openssl rsa -in k.pem -passin pass:[redacted]",
            ),
            (
                "redis-cli -h h -a hunter2 ping",
                "redis-cli -h h -a [redacted] ping",
            ),
            (
                "aws configure set aws_secret_access_key wJalrXUtnFEMI",
                "aws configure set aws_secret_access_key [redacted]",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(redact(input), expected, "input: {input}");
        }
    }

    #[test]
    fn every_rule_compiles() {
        assert_eq!(COMPILED.len(), RULES.len());
    }
}
