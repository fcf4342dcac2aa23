//! Snapshots end to end: secrets in files, commits and command lines never
//! reach the serialized snapshot, processes and dev-port listeners appear
//! while someone is interested, and the token budget holds.

use std::net::TcpListener;
use std::process::{Child, Command};

use engine::context::{ContextEngine, DEV_PORTS};

use super::context_support::{fast_settings, git, wait_for};

/// A real process listening on a free dev port, with a secret on its command line.
fn spawn_listener() -> (Child, u16) {
    let port = DEV_PORTS
        .clone()
        .rev()
        .find(|port| TcpListener::bind(("127.0.0.1", *port)).is_ok())
        .unwrap();
    let child = Command::new("perl")
        .args([
            "-MIO::Socket::INET",
            "-e",
            "my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $ARGV[0], \
             Listen => 1, ReuseAddr => 1) or die; sleep 60",
            &port.to_string(),
            "--token=abcSECRETtoken",
        ])
        .spawn()
        .unwrap();
    (child, port)
}

#[test]
fn secrets_never_reach_a_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    git(&root, &["init", "-q"]);
    std::fs::write(
        root.join(".env"),
        "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY\n",
    )
    .unwrap();
    std::fs::write(
        root.join("id_rsa"),
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
    )
    .unwrap();
    git(&root, &["add", "-A"]);
    git(
        &root,
        &[
            "commit",
            "-q",
            "-m",
            "deploy with --token=ghp_abcdefghijklmnopqrstuvwxyz012345 AKIAIOSFODNN7EXAMPLE",
        ],
    );
    let (mut child, port) = spawn_listener();
    let engine = ContextEngine::start(fast_settings(vec![root.clone()])).unwrap();
    let _interest = engine.interest();

    let snapshot = wait_for("repo and listener", || {
        let snapshot = engine.snapshot(&root, 100_000);
        let has_commit = snapshot
            .repo
            .as_ref()
            .is_some_and(|r| !r.commits.is_empty());
        let has_listener = snapshot.processes.as_ref().is_some_and(|p| {
            p.listeners
                .iter()
                .any(|l| l.port == port && l.command.is_some())
        });
        (has_commit && has_listener).then_some(snapshot)
    });
    child.kill().unwrap();
    child.wait().unwrap();

    let json = serde_json::to_string(&snapshot).unwrap();
    for secret in [
        "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY",
        "b3BlbnNzaC1rZXktdjEAAAAA",
        "PRIVATE KEY",
        "ghp_abcdefghijklmnopqrstuvwxyz012345",
        "AKIAIOSFODNN7EXAMPLE",
        "abcSECRETtoken",
    ] {
        assert!(!json.contains(secret), "{secret} leaked: {json}");
    }
    assert!(json.contains("--token=[redacted]"), "{json}");
}

#[test]
fn snapshot_respects_the_token_budget() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let engine = ContextEngine::start(fast_settings(vec![root.clone()])).unwrap();
    wait_for("first index", || engine.status().is_ready.then_some(()));
    for n in 0..40 {
        std::fs::write(
            root.join(format!("a_rather_long_file_name_number_{n}.rs")),
            "x",
        )
        .unwrap();
    }
    wait_for("recent changes", || {
        let directory = engine.snapshot(&root, 100_000).directory?;
        (directory.recent.len() == 20).then_some(())
    });
    for budget in [60, 150, 400] {
        let snapshot = engine.snapshot(&root, budget);
        let json = serde_json::to_string(&snapshot).unwrap();
        assert!(json.len().div_ceil(4) <= budget, "budget {budget}: {json}");
        assert_eq!(snapshot.estimated_tokens, json.len().div_ceil(4));
        assert!(!snapshot.omitted.is_empty(), "budget {budget}");
    }
}
