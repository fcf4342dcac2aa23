//! Per-user approval preferences override devos.toml and are checked.

use engine::job::JobStatus;
use engine::pipeline::NewJob;
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
