//! History's store queries on a real database: keyset pages that neither
//! skip nor repeat, full-text search over request, plan and output with the
//! matches marked, filters, and per-job cost from the usage ledger.

use engine::job::{JobId, JobStatus, StepStatus};
use engine::plan::{Decision, SafetyLevel, StepAction};
use engine::store::usage::{NewUsage, UsageOutcome};
use engine::store::{
    HistoryQuery, MATCH_END, MATCH_START, Outcome, PageAt, SavedPlan, StepRecord, Store,
};

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    user: i64,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let user = store.insert_user("alice", "hash").await.unwrap().id;
    Fixture {
        _dir: dir,
        store,
        user,
    }
}

/// A planned, finished job with one bash step.
async fn finished_job(
    store: &Store,
    user: i64,
    request: &str,
    cwd: &str,
    command: &str,
    output: &str,
) -> JobId {
    let id = store.insert_job(user, request, cwd).await.unwrap();
    let step = StepRecord {
        idx: 0,
        description: format!("Runs {command}"),
        action: StepAction::Bash {
            command: command.to_owned(),
        },
        ops: Vec::new(),
        level: SafetyLevel::Safe,
        decision: Decision::Allow,
        reasons: Vec::new(),
        preview: String::new(),
        undoable: false,
        network: false,
        status: StepStatus::Pending,
        exit_code: None,
    };
    let plan = SavedPlan {
        planner: "builtin",
        interpretation: &format!("understood: {request}"),
        explanation: "",
        risks: &[],
        requires_approval: false,
        approval_deadline_at: None,
        estimated_cost_micros: 0,
        model_used: None,
        steps: &[step],
        write_roots: &[],
    };
    store.save_plan(id, &plan).await.unwrap();
    for (from, to) in [
        (JobStatus::Planning, JobStatus::Approved),
        (JobStatus::Approved, JobStatus::Executing),
    ] {
        assert!(store.transition(id, from, to, None).await.unwrap());
    }
    let outcome = Outcome {
        result: Some(output),
        error: None,
    };
    assert!(
        store
            .transition(
                id,
                JobStatus::Executing,
                JobStatus::Completed,
                Some(outcome)
            )
            .await
            .unwrap()
    );
    id
}

fn query(page: PageAt, limit: u32) -> HistoryQuery {
    HistoryQuery {
        page,
        limit,
        ..HistoryQuery::default()
    }
}

fn ids(page: &engine::store::HistoryPage) -> Vec<i64> {
    page.jobs.iter().map(|job| job.id.0).collect()
}

#[tokio::test]
async fn pages_walk_every_job_once_newest_first_and_back() {
    let f = fixture().await;
    let mut all = Vec::new();
    for n in 0..25 {
        let id = f
            .store
            .insert_job(f.user, &format!("list files {n}"), "/w")
            .await
            .unwrap();
        all.push(id.0);
    }
    all.reverse();

    let first = f
        .store
        .history(f.user, &query(PageAt::Newest, 10))
        .await
        .unwrap();
    assert_eq!(ids(&first), all[..10]);
    assert_eq!(first.newer, None);
    let second = f
        .store
        .history(f.user, &query(PageAt::Before(first.older.unwrap()), 10))
        .await
        .unwrap();
    assert_eq!(ids(&second), all[10..20]);
    let third = f
        .store
        .history(f.user, &query(PageAt::Before(second.older.unwrap()), 10))
        .await
        .unwrap();
    assert_eq!(ids(&third), all[20..]);
    assert_eq!(third.older, None, "the oldest page has nothing older");

    let back = f
        .store
        .history(f.user, &query(PageAt::After(third.newer.unwrap()), 10))
        .await
        .unwrap();
    assert_eq!(
        ids(&back),
        all[10..20],
        "newer than the third page is the second"
    );
    let top = f
        .store
        .history(f.user, &query(PageAt::After(back.newer.unwrap()), 10))
        .await
        .unwrap();
    assert_eq!(
        ids(&top),
        all[..10],
        "the newest page, full, not a short one"
    );
    assert_eq!(top.newer, None);
}

#[tokio::test]
async fn search_finds_words_in_the_request_the_plan_and_the_output_and_marks_them() {
    let f = fixture().await;
    let by_request = finished_job(&f.store, f.user, "show disk usage", "/w", "df -h", "ok").await;
    let by_command = finished_job(&f.store, f.user, "what is here", "/w", "ls -la", "ok").await;
    let by_output = finished_job(
        &f.store,
        f.user,
        "count lines",
        "/w",
        "wc -l notes.txt",
        "42 notes.txt\nthe quarterly report is long",
    )
    .await;
    let other = f.store.insert_user("bob", "hash").await.unwrap().id;
    finished_job(&f.store, other, "show disk usage", "/w", "df -h", "ok").await;

    let search = |text: &str| HistoryQuery {
        text: Some(text.to_owned()),
        limit: 50,
        ..HistoryQuery::default()
    };
    let disk = f.store.history(f.user, &search("DISK")).await.unwrap();
    assert_eq!(
        ids(&disk),
        [by_request.0],
        "case-insensitive, and only alice's"
    );
    assert_eq!(
        disk.jobs[0].marked_request.as_deref(),
        Some(format!("show {MATCH_START}disk{MATCH_END} usage").as_str())
    );

    let ls = f.store.history(f.user, &search("ls")).await.unwrap();
    assert_eq!(ids(&ls), [by_command.0], "the step's command is searched");

    let report = f
        .store
        .history(f.user, &search("quarterly rep"))
        .await
        .unwrap();
    assert_eq!(
        ids(&report),
        [by_output.0],
        "output, with the last word as a prefix"
    );
    let snippet = report.jobs[0].snippet.as_deref().unwrap();
    assert!(
        snippet.contains(&format!("{MATCH_START}quarterly{MATCH_END}")),
        "{snippet:?}"
    );
    assert_eq!(
        report.jobs[0].marked_request, None,
        "the request did not match"
    );

    for hostile in ["\"", "NEAR(", "request: *", "a OR", "-", "^x", "x AND NOT"] {
        assert!(
            f.store.history(f.user, &search(hostile)).await.is_ok(),
            "{hostile:?} must search, not fail"
        );
    }
    let nothing = f.store.history(f.user, &search("zebra")).await.unwrap();
    assert!(nothing.jobs.is_empty());
}

#[tokio::test]
async fn filters_narrow_by_status_planner_folder_and_date() {
    let f = fixture().await;
    let done = finished_job(&f.store, f.user, "a", "/home/al/src", "true", "").await;
    let under = finished_job(&f.store, f.user, "b", "/home/al/src/app", "true", "").await;
    let sibling = finished_job(&f.store, f.user, "c", "/home/al/src2", "true", "").await;
    let planning = f.store.insert_job(f.user, "d", "/home/al").await.unwrap();
    sqlx::query("UPDATE jobs SET created_at = 86400 * 10 WHERE id = ?")
        .bind(done.0)
        .execute(f.store.pool())
        .await
        .unwrap();

    let with = |edit: &dyn Fn(&mut HistoryQuery)| {
        let mut q = query(PageAt::Newest, 50);
        edit(&mut q);
        q
    };
    let page = f
        .store
        .history(f.user, &with(&|q| q.status = Some(JobStatus::Planning)))
        .await
        .unwrap();
    assert_eq!(ids(&page), [planning.0]);

    let page = f
        .store
        .history(
            f.user,
            &with(&|q| q.directory = Some("/home/al/src/".into())),
        )
        .await
        .unwrap();
    assert_eq!(
        ids(&page),
        [under.0, done.0],
        "the folder and below, not {sibling}"
    );

    let page = f
        .store
        .history(f.user, &with(&|q| q.planner = Some("builtin".into())))
        .await
        .unwrap();
    assert_eq!(ids(&page), [sibling.0, under.0, done.0]);

    let page = f
        .store
        .history(
            f.user,
            &with(&|q| {
                q.from_at = Some(86_400 * 10);
                q.to_at = Some(86_400 * 11);
            }),
        )
        .await
        .unwrap();
    assert_eq!(ids(&page), [done.0], "only the day it was created");
}

#[tokio::test]
async fn a_row_carries_the_cost_and_tokens_of_its_model_calls() {
    let f = fixture().await;
    let job = finished_job(&f.store, f.user, "plan this", "/w", "true", "").await;
    for cost in [1_500, 2_500] {
        let usage = NewUsage {
            created_at: 1,
            job_id: Some(job.0),
            provider: "bedrock",
            model: "nova-micro",
            input_tokens: 100,
            output_tokens: 20,
            estimated_cost_micros: cost,
            actual_cost_micros: cost,
            latency_ms: 5,
            outcome: UsageOutcome::Ok,
            detail: "",
        };
        f.store.insert_usage(&usage).await.unwrap();
    }
    let page = f
        .store
        .history(f.user, &query(PageAt::Newest, 5))
        .await
        .unwrap();
    assert_eq!(page.jobs[0].cost_micros, 4_000);
    assert_eq!(page.jobs[0].tokens, 240);
}
