//! Per-user approval preferences override devos.toml and are checked.

use engine::job::JobStatus;
use engine::pipeline::{ApprovalDecision, NewJob};
use engine::store::UserSettings;

use super::harness::TestServer;

#[tokio::test]
async fn turning_off_auto_approve_makes_safe_jobs_wait_with_the_chosen_timeout() {
    let server = TestServer::new().await;
    let user = server.add_user("alice").await;
    let engine = &server.state.ctx.engine;
    let dir = tempfile::tempdir().unwrap();
    let submit = || {
        engine.submit(
            user.id,
            NewJob {
                request: "list the files here".into(),
                cwd: Some(dir.path().to_path_buf()),
                approval_timeout: None,
            },
        )
    };
    let first = submit().await.unwrap().job;
    assert_ne!(first.status, JobStatus::Pending);
    // One job at a time: the second is planned with nothing else running.
    server.wait_final(user.id, first.id).await;

    let settings = UserSettings {
        auto_approve_safe: Some(false),
        approval_timeout_secs: Some(42),
        write_roots: Vec::new(),
    };
    engine.save_settings(user.id, &settings).await.unwrap();
    let waiting = submit().await.unwrap();
    assert_eq!(
        waiting.job.status,
        JobStatus::Pending,
        "{:?}",
        waiting.job.error
    );
    let deadline = waiting.job.approval_deadline_at.unwrap() - waiting.job.created_at;
    assert!((41..=43).contains(&deadline), "{deadline}");
}

#[tokio::test]
async fn broad_or_relative_write_roots_and_bad_timeouts_are_refused() {
    let server = TestServer::new().await;
    let user = server.add_user("alice").await;
    let engine = &server.state.ctx.engine;
    for (roots, timeout) in [
        (vec!["relative/dir".into()], Some(60)),
        (vec!["/".into()], Some(60)),
        (vec![engine.home().to_path_buf()], Some(60)),
        (Vec::new(), Some(0)),
    ] {
        let settings = UserSettings {
            auto_approve_safe: None,
            approval_timeout_secs: timeout,
            write_roots: roots,
        };
        let error = engine.save_settings(user.id, &settings).await.unwrap_err();
        assert!(matches!(error, engine::Error::Invalid(_)), "{error}");
    }
    assert_eq!(
        server.state.ctx.store.user_settings(user.id).await.unwrap(),
        UserSettings::default(),
        "nothing was saved"
    );
}

#[tokio::test]
async fn write_roots_are_fixed_when_the_plan_is_decided() {
    let server = TestServer::new().await;
    let user = server.add_user("alice").await;
    let engine = &server.state.ctx.engine;
    let (dir, before, added) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    std::fs::write(dir.path().join("old.tmp"), "x").unwrap();
    let roots = |roots: Vec<std::path::PathBuf>| UserSettings {
        auto_approve_safe: None,
        approval_timeout_secs: None,
        write_roots: roots,
    };
    let decided = vec![before.path().to_path_buf()];
    engine
        .save_settings(user.id, &roots(decided.clone()))
        .await
        .unwrap();
    let waiting = engine
        .submit(
            user.id,
            NewJob {
                request: "delete all temporary files".into(),
                cwd: Some(dir.path().to_path_buf()),
                approval_timeout: None,
            },
        )
        .await
        .unwrap()
        .job;
    assert_eq!(waiting.status, JobStatus::Pending, "{:?}", waiting.error);
    assert_eq!(waiting.write_roots, decided);

    // A folder added while the card waits does not reach the approved job.
    let widened = vec![before.path().to_path_buf(), added.path().to_path_buf()];
    engine
        .save_settings(user.id, &roots(widened))
        .await
        .unwrap();
    engine
        .decide(
            user.id,
            waiting.id,
            ApprovalDecision {
                approved: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    server.wait_final(user.id, waiting.id).await;
    let done = engine.detail(waiting.id, user.id).await.unwrap().job;
    assert_eq!(done.status, JobStatus::Completed, "{:?}", done.error);
    assert_eq!(done.write_roots, decided, "executed as decided");
    assert!(!dir.path().join("old.tmp").exists());
}
