//! How many SQL statements a job card and a page of cards cost, counted from
//! sqlx's own statement events. Its own test binary, because the counter is
//! the process's global tracing subscriber and must see no other test.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use engine::job::{JobId, StepStatus};
use engine::plan::{Decision, SafetyLevel, StepAction};
use engine::store::{JobFilter, SavedPlan, StepRecord, Store};
use protocol::LogStream;
use tracing_subscriber::layer::{Context, SubscriberExt as _};
use tracing_subscriber::{Layer, Registry};

/// Counts the statements sqlx runs (its `sqlx::query` events), leaving out
/// the `PRAGMA` set-up a new pool connection runs once.
struct CountStatements(Arc<AtomicUsize>);

/// Whether an event's statement summary is a connection's `PRAGMA` set-up.
#[derive(Default)]
struct IsSetup(bool);

impl tracing::field::Visit for IsSetup {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "summary" || field.name() == "db.statement" {
            self.0 |= value
                .trim_start()
                .to_ascii_uppercase()
                .starts_with("PRAGMA");
        }
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.record_str(field, format!("{value:?}").trim_matches('"'));
    }
}

impl<S: tracing::Subscriber> Layer<S> for CountStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let mut setup = IsSetup::default();
        event.record(&mut setup);
        if !setup.0 {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// A planned job with `steps` bash steps and `lines` output lines.
async fn job(store: &Store, user: i64, steps: usize, lines: usize) -> engine::Result<JobId> {
    let id = store.insert_job(user, "count me", "/tmp").await?;
    let steps: Vec<StepRecord> = (0..steps)
        .map(|idx| StepRecord {
            idx,
            description: format!("step {idx}"),
            action: StepAction::Bash {
                command: format!("echo {idx}"),
            },
            ops: Vec::new(),
            level: SafetyLevel::Safe,
            decision: Decision::Allow,
            reasons: Vec::new(),
            preview: String::new(),
            undoable: false,
            network: false,
            status: StepStatus::Done,
            exit_code: Some(0),
        })
        .collect();
    let plan = SavedPlan {
        planner: "builtin",
        interpretation: "count",
        explanation: "",
        risks: &[],
        requires_approval: false,
        approval_deadline_at: None,
        estimated_cost_micros: 0,
        model_used: None,
        steps: &steps,
        write_roots: &[],
    };
    store.save_plan(id, &plan).await?;
    let output: Vec<String> = (0..lines).map(|n| format!("line {n}")).collect();
    let borrowed: Vec<(LogStream, &str)> = output
        .iter()
        .map(|line| (LogStream::Stdout, line.as_str()))
        .collect();
    store.append_logs(id, 0, &borrowed).await?;
    Ok(id)
}

#[tokio::test]
async fn a_card_and_a_page_of_cards_cost_three_statements_however_big() {
    let statements = Arc::new(AtomicUsize::new(0));
    tracing::subscriber::set_global_default(
        Registry::default().with(CountStatements(Arc::clone(&statements))),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let user = store.insert_user("alice", "hash").await.unwrap().id;
    let counted = || statements.load(Ordering::SeqCst);
    let page = JobFilter {
        limit: 50,
        ..JobFilter::default()
    };

    let small = job(&store, user, 1, 1).await.unwrap();
    let before = counted();
    let card = store.job_card(small, user, 20).await.unwrap().unwrap();
    assert_eq!((card.steps.len(), card.logs.len()), (1, 1));
    assert_eq!(counted() - before, 3, "one small card");

    let big = job(&store, user, 40, 300).await.unwrap();
    let before = counted();
    let card = store.job_card(big, user, 20).await.unwrap().unwrap();
    assert_eq!((card.steps.len(), card.logs.len()), (40, 20));
    assert_eq!(
        card.logs.last().unwrap().line,
        "line 299",
        "the newest lines"
    );
    assert_eq!(counted() - before, 3, "one big card");

    let before = counted();
    assert_eq!(store.job_cards(user, &page, 20).await.unwrap().len(), 2);
    assert_eq!(counted() - before, 3, "a page of two cards");

    for n in 0..30 {
        job(&store, user, n % 7, n * 3).await.unwrap();
    }
    let before = counted();
    let cards = store.job_cards(user, &page, 20).await.unwrap();
    assert_eq!(counted() - before, 3, "a page of 32 cards");
    assert_eq!(cards.len(), 32);
    let newest = &cards[0];
    assert_eq!((newest.steps.len(), newest.logs.len()), (29 % 7, 20));
    let with_big = cards.iter().find(|card| card.job.job.id == big).unwrap();
    assert_eq!(with_big.logs.first().unwrap().line, "line 280");
    assert!(
        cards
            .windows(2)
            .all(|pair| pair[0].job.job.id > pair[1].job.job.id),
        "newest first"
    );
}
