//! Landlock network rules on real processes: TCP connect and bind are
//! denied unless the step may use the network.

#![cfg(target_os = "linux")]

use std::net::TcpListener;
use std::time::Duration;

use engine::sandbox::{LandlockStatus, job_write_roots, landlock_status};
use pretty_assertions::assert_eq;
use tempfile::TempDir;

use super::sandbox_support::{confined, has_landlock, policy, run};

const TIMEOUT: Duration = Duration::from_secs(20);

/// Whether the kernel can deny TCP (Landlock ABI 4); prints why not.
fn has_landlock_network(test: &str) -> bool {
    if !has_landlock(test) {
        return false;
    }
    let is_network = matches!(
        landlock_status(),
        LandlockStatus::Available { network: true, .. }
    );
    if !is_network {
        eprintln!("skipping {test}: the kernel's Landlock ABI is older than 4 (no TCP rules)");
    }
    is_network
}

/// Connects to a local listener, then tries to bind a port.
const SCRIPT: &str = r#"
    if exec 3<>"/dev/tcp/127.0.0.1/$PORT"; then echo connect=ok; else echo connect=denied; fi
    python3 -c 'import socket; socket.socket().bind(("127.0.0.1", 0)); print("bind=ok")' 2>/dev/null || echo bind=denied
"#;

#[tokio::test]
async fn tcp_connect_and_bind_are_denied_without_network_permission() {
    if !has_landlock_network("tcp_connect_and_bind_are_denied_without_network_permission") {
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let (cwd, tmp) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let roots = job_write_roots(cwd.path(), tmp.path(), false);
    let command = confined(SCRIPT, cwd.path(), tmp.path(), roots, &[("PORT", &port)]);
    let outcome = run(&command, TIMEOUT).await;
    assert_eq!(
        outcome.stdout, "connect=denied\nbind=denied\n",
        "{outcome:?}"
    );
    assert!(outcome.sandbox.unwrap().network_denied);
}

#[tokio::test]
async fn tcp_connect_and_bind_work_with_network_permission() {
    if !has_landlock_network("tcp_connect_and_bind_work_with_network_permission") {
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let (cwd, tmp) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let roots = job_write_roots(cwd.path(), tmp.path(), false);
    let mut command = confined(SCRIPT, cwd.path(), tmp.path(), roots, &[("PORT", &port)]);
    policy(&mut command).allow_network = true;
    let outcome = run(&command, TIMEOUT).await;
    assert_eq!(outcome.stdout, "connect=ok\nbind=ok\n", "{outcome:?}");
    assert!(!outcome.sandbox.unwrap().network_denied);
}
