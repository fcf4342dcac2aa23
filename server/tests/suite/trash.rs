//! The trash: deleted files are listed by job, restorable, and emptied only
//! when asked or past the configured limits.

use engine::job::JobStatus;
use engine::pipeline::{ApprovalDecision, NewJob};

use super::harness::TestServer;

#[tokio::test]
async fn trashed_files_are_listed_then_emptied_for_good() {
    let server = TestServer::new().await;
    let user = server.add_user("alice").await;
    let engine = &server.state.ctx.engine;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.tmp"), "12345").unwrap();
    let detail = engine
        .submit(
            user.id,
            NewJob {
                request: "delete all temporary files".into(),
                cwd: Some(dir.path().to_path_buf()),
                approval_timeout: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(detail.job.status, JobStatus::Pending);
    let job = detail.job.id;
    engine
        .decide(
            user.id,
            job,
            ApprovalDecision {
                approved: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    server.wait_final(user.id, job).await;

    let trash = engine.trash(user.id).await.unwrap();
    assert_eq!(trash.len(), 1);
    assert_eq!(trash[0].job_id, job);
    assert_eq!(trash[0].bytes, 5);
    assert!(trash[0].items[0].0.ends_with("old.tmp"));

    let kept = engine.empty_trash(user.id, 30).await.unwrap();
    assert_eq!(kept.jobs, 0, "recent trash stays");
    let emptied = engine.empty_trash(user.id, 0).await.unwrap();
    assert_eq!((emptied.jobs, emptied.bytes), (1, 5));
    assert!(engine.trash(user.id).await.unwrap().is_empty());
    assert!(!engine.detail(job, user.id).await.unwrap().can_undo);
    assert!(
        !server
            .state
            .ctx
            .config
            .storage
            .data_dir
            .join("trash")
            .join(job.to_string())
            .exists()
    );
}
