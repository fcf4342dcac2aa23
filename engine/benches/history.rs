//! History at scale: fills a database with realistic jobs (1,000,000 by
//! default) through the real migrations, then times the queries History's
//! server function makes: the first page, a search, a filter and a deep
//! page. A bench binary, not criterion: filling takes minutes, so the
//! database is kept in `DEVOS_HISTORY_DB_DIR` and reused when it holds the
//! asked number of jobs.
//!
//! `cargo bench -p engine --bench history` (docs/BENCHMARKS.md);
//! `DEVOS_HISTORY_JOBS` sets the count.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use engine::job::{JobId, JobStatus};
use engine::store::{HistoryQuery, PageAt, Store};

type BenchResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// (request, interpretation, command, first output line) of everyday jobs.
const TEMPLATES: [(&str, &str, &str, &str); 16] = [
    (
        "list the files here",
        "List the folder",
        "ls -la",
        "total 48",
    ),
    (
        "show git status",
        "Show the repository status",
        "git status",
        "On branch main",
    ),
    (
        "organize downloads by type",
        "Move files into folders by kind",
        "mv *.png images/",
        "moved 12 files",
    ),
    (
        "find large files over 100 MB",
        "Find files over 100 MB",
        "find . -size +100M",
        "./videos/talk.mp4",
    ),
    (
        "what is listening on port 8080",
        "Show the process on port 8080",
        "ss -ltnp 'sport = :8080'",
        "LISTEN 0 128 127.0.0.1:8080",
    ),
    (
        "delete all temporary files",
        "Move .tmp files to the trash",
        "trash *.tmp",
        "3 files, 1.2 MB",
    ),
    (
        "show disk usage",
        "Show free space per file system",
        "df -h",
        "/dev/vda 252G 11G 80G 13% /",
    ),
    (
        "count lines in main.rs",
        "Count the lines of main.rs",
        "wc -l src/main.rs",
        "412 src/main.rs",
    ),
    (
        "show the last 5 commits",
        "Show recent commits",
        "git log -5 --oneline",
        "a50ef1d fix the parser",
    ),
    (
        "search for TODO in src",
        "Find TODO in src",
        "grep -rn TODO src",
        "src/lib.rs:12: TODO handle errors",
    ),
    (
        "compress the logs folder",
        "Create logs.tar.gz",
        "tar czf logs.tar.gz logs",
        "logs/app.log",
    ),
    (
        "which python version is installed",
        "Show the python version",
        "python3 --version",
        "Python 3.11.7",
    ),
    (
        "show memory usage",
        "Show memory in use",
        "free -h",
        "Mem: 23Gi 4.1Gi",
    ),
    (
        "kill the node process",
        "Stop node",
        "pkill node",
        "sent SIGTERM to 4121",
    ),
    (
        "show the current branch",
        "Show the branch",
        "git branch --show-current",
        "main",
    ),
    (
        "list running docker containers",
        "List containers",
        "docker ps",
        "CONTAINER ID IMAGE",
    ),
];

const FOLDERS: [&str; 8] = [
    "/home/dev/src/devos",
    "/home/dev/src/website",
    "/home/dev/Downloads",
    "/home/dev/src/devos/engine",
    "/home/dev/notes",
    "/home/dev/src/api-server",
    "/home/dev/photos",
    "/home/dev",
];

fn fill_sql() -> String {
    let templates: Vec<String> = TEMPLATES
        .iter()
        .enumerate()
        .map(|(k, (request, interpretation, command, output))| {
            let quote = |s: &str| s.replace('\'', "''");
            format!(
                "({k}, '{}', '{}', '{}', '{}')",
                quote(request),
                quote(interpretation),
                quote(command),
                quote(output)
            )
        })
        .collect();
    let folders: Vec<String> = FOLDERS
        .iter()
        .enumerate()
        .map(|(k, folder)| format!("({k}, '{folder}')"))
        .collect();
    format!(
        "CREATE TABLE IF NOT EXISTS bench_templates (k INTEGER PRIMARY KEY, request TEXT, \
             interpretation TEXT, command TEXT, output TEXT);
         INSERT OR IGNORE INTO bench_templates VALUES {};
         CREATE TABLE IF NOT EXISTS bench_folders (k INTEGER PRIMARY KEY, path TEXT);
         INSERT OR IGNORE INTO bench_folders VALUES {};",
        templates.join(", "),
        folders.join(", ")
    )
}

/// Inserts jobs `first..first + count` (with one step, three log lines,
/// and a model call for the 10% a model planned) in one transaction.
async fn fill_chunk(store: &Store, user: i64, first: i64, count: i64, total: i64) -> BenchResult {
    // Three years of history, oldest first, so ids and times rise together.
    let start = engine::store::now_unix() - 3 * 365 * 86_400;
    let spacing = (3 * 365 * 86_400) / total.max(1);
    let mut tx = store.pool().begin().await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 + ?2 - 1)
         INSERT INTO jobs (id, user_id, request, cwd, status, planner, interpretation, explanation,
             requires_approval, estimated_cost_micros, model_used, result, error,
             created_at, updated_at, started_at, finished_at)
         SELECT i, ?3,
             t.request || CASE WHEN i % 3 = 0 THEN ' please' ELSE '' END,
             f.path || CASE WHEN i % 5 = 0 THEN '/project-' || (i % 97) ELSE '' END,
             CASE WHEN i % 100 < 85 THEN 'completed' WHEN i % 100 < 93 THEN 'failed'
                  WHEN i % 100 < 96 THEN 'rejected' WHEN i % 100 < 98 THEN 'cancelled'
                  WHEN i % 100 < 99 THEN 'expired' ELSE 'interrupted' END,
             CASE WHEN i % 10 = 0 THEN 'nova-micro' WHEN i % 31 = 0 THEN 'llama-local' ELSE 'builtin' END,
             t.interpretation, 'Read-only; runs in ' || f.path,
             t.k = 5, 0, NULL,
             t.output || char(10) || 'line 2 of job ' || i || char(10) || 'done',
             CASE WHEN i % 100 BETWEEN 85 AND 92 THEN 'exit status 1: permission denied' END,
             ?4 + i * ?5, ?4 + i * ?5 + 2, ?4 + i * ?5 + 1, ?4 + i * ?5 + 2
         FROM n JOIN bench_templates t ON t.k = i % 16 JOIN bench_folders f ON f.k = (i / 16) % 8",
    )
    .bind(first)
    .bind(count)
    .bind(user)
    .bind(start)
    .bind(spacing)
    .execute(&mut *tx)
    .await
    ?;
    sqlx::query(
        "INSERT INTO steps (job_id, idx, description, action, level, decision, status, exit_code)
         SELECT j.id, 0, 'Runs ' || t.command, json_object('kind', 'bash', 'command', t.command),
             CASE WHEN t.k = 5 THEN 'destructive' ELSE 'safe' END,
             CASE WHEN t.k = 5 THEN 'prompt' ELSE 'allow' END, 'done', 0
         FROM jobs j JOIN bench_templates t ON t.k = j.id % 16 WHERE j.id BETWEEN ?1 AND ?1 + ?2 - 1",
    )
    .bind(first)
    .bind(count)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO job_logs (job_id, step, stream, line, at)
         SELECT j.id, 0, s.stream, s.line, j.finished_at FROM jobs j,
             (SELECT 'info' AS stream, 'running' AS line UNION ALL
              SELECT 'stdout', 'output line' UNION ALL SELECT 'stderr', 'a warning') s
         WHERE j.id BETWEEN ?1 AND ?1 + ?2 - 1",
    )
    .bind(first)
    .bind(count)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO usage (created_at, job_id, provider, model, input_tokens, output_tokens,
             estimated_cost_micros, actual_cost_micros, latency_ms, outcome)
         SELECT created_at, id, 'bedrock', planner, 1800, 240, 130, 110, 700, 'ok'
         FROM jobs WHERE id BETWEEN ?1 AND ?1 + ?2 - 1 AND planner = 'nova-micro'",
    )
    .bind(first)
    .bind(count)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The jobs were written in bulk, past the triggers' UPDATE path: index
/// them for search in one pass, as the migration does for older jobs.
async fn index_for_search(store: &Store) -> BenchResult {
    sqlx::query("DELETE FROM job_search")
        .execute(store.pool())
        .await?;
    sqlx::query(
        "INSERT INTO job_search (rowid, request, plan, output)
         SELECT j.id, j.request, p.plan, coalesce(j.result, '') || char(10) || coalesce(j.error, '')
         FROM jobs j JOIN job_plan_text p ON p.id = j.id",
    )
    .execute(store.pool())
    .await?;
    Ok(())
}

async fn open_filled(dir: &Path, jobs: i64) -> BenchResult<(Store, i64)> {
    let store = Store::open(dir).await?;
    let user = match store.user_by_name("bench").await? {
        Some(user) => user.id,
        None => store.insert_user("bench", "x").await?.id,
    };
    let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs")
        .fetch_one(store.pool())
        .await?;
    if have == jobs {
        eprintln!("reusing {} with {jobs} jobs", dir.display());
        return Ok((store, user));
    }
    assert_eq!(
        have,
        0,
        "{} holds {have} jobs, not {jobs}: remove it",
        dir.display()
    );
    let started = Instant::now();
    sqlx::raw_sql(&fill_sql()).execute(store.pool()).await?;
    let chunk = 100_000;
    let mut first = 1;
    while first <= jobs {
        let count = chunk.min(jobs - first + 1);
        fill_chunk(&store, user, first, count, jobs).await?;
        first += count;
        eprintln!("  {} jobs written ({:.0?})", first - 1, started.elapsed());
    }
    index_for_search(&store).await?;
    sqlx::query("ANALYZE").execute(store.pool()).await?;
    eprintln!("filled {jobs} jobs in {:.1?}", started.elapsed());
    Ok((store, user))
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

async fn time(store: &Store, user: i64, name: &str, query: &HistoryQuery) -> BenchResult {
    const RUNS: usize = 50;
    let mut samples = Vec::with_capacity(RUNS);
    let mut rows = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let page = store.history(user, query).await?;
        samples.push(started.elapsed());
        rows = page.jobs.len();
    }
    samples.sort();
    eprintln!(
        "| {name} | {rows} | {:.2} ms | {:.2} ms |",
        percentile(&samples, 50).as_secs_f64() * 1e3,
        percentile(&samples, 99).as_secs_f64() * 1e3
    );
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> BenchResult {
    let jobs: i64 = std::env::var("DEVOS_HISTORY_JOBS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let dir = std::env::var_os("DEVOS_HISTORY_DB_DIR").map_or_else(
        || std::env::temp_dir().join(format!("devos-history-{jobs}")),
        PathBuf::from,
    );
    let (store, user) = open_filled(&dir, jobs).await?;
    let base = HistoryQuery {
        limit: 50,
        ..HistoryQuery::default()
    };
    let with = |edit: &dyn Fn(&mut HistoryQuery)| {
        let mut query = base.clone();
        edit(&mut query);
        query
    };
    eprintln!("| query ({jobs} jobs) | rows | p50 | p99 |");
    eprintln!("|---|---|---|---|");
    time(&store, user, "first page", &base).await?;
    time(
        &store,
        user,
        "search `git` (3 jobs in 16)",
        &with(&|q| q.text = Some("git".into())),
    )
    .await?;
    time(
        &store,
        user,
        "search `permission denied` (failed jobs)",
        &with(&|q| {
            q.text = Some("permission denied".into());
        }),
    )
    .await?;
    time(
        &store,
        user,
        "search `docker contai` (prefix, 1 in 16)",
        &with(&|q| {
            q.text = Some("docker contai".into());
        }),
    )
    .await?;
    time(
        &store,
        user,
        "search with no match",
        &with(&|q| q.text = Some("zebra".into())),
    )
    .await?;
    time(
        &store,
        user,
        "status = interrupted (1%)",
        &with(&|q| {
            q.status = Some(JobStatus::Interrupted);
        }),
    )
    .await?;
    time(
        &store,
        user,
        "planner = nova-micro (10%)",
        &with(&|q| {
            q.planner = Some("nova-micro".into());
        }),
    )
    .await?;
    time(
        &store,
        user,
        "folder /home/dev/photos",
        &with(&|q| {
            q.directory = Some("/home/dev/photos".into());
        }),
    )
    .await?;
    time(
        &store,
        user,
        "page in the middle (before id N/2)",
        &with(&|q| {
            q.page = PageAt::Before(JobId(jobs / 2));
        }),
    )
    .await?;
    time(
        &store,
        user,
        "search `git` in the middle",
        &with(&|q| {
            q.text = Some("git".into());
            q.page = PageAt::Before(JobId(jobs / 2));
        }),
    )
    .await?;
    Ok(())
}
