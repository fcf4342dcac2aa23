//! The `job_logs` table: what each step printed, line by line.

use std::collections::HashMap;

use serde::Serialize;

use protocol::LogStream;

use super::jobs::to_json;
use super::{Store, now_unix};
use crate::job::JobId;
use crate::{Error, Result};

/// One stored output line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogLine {
    /// Step index.
    pub step: usize,
    /// Which stream the line came from.
    pub stream: LogStream,
    /// The text.
    pub line: String,
    /// When.
    pub at: i64,
}

impl Store {
    /// Appends output lines of a step.
    pub async fn append_logs(
        &self,
        job: JobId,
        step: usize,
        lines: &[(LogStream, &str)],
    ) -> Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        let now = now_unix();
        let step = i64::try_from(step).unwrap_or(i64::MAX);
        for (stream, line) in lines {
            let stream = stream.as_str();
            sqlx::query!(
                "INSERT INTO job_logs (job_id, step, stream, line, at) VALUES (?, ?, ?, ?, ?)",
                job.0,
                step,
                stream,
                line,
                now,
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
    /// The last `limit` output lines of a job, in order.
    pub async fn logs(&self, job: JobId, limit: u32) -> Result<Vec<LogLine>> {
        let rows = sqlx::query!(
            r#"SELECT step AS "step!", stream AS "stream!", line AS "line!", at AS "at!" FROM (
                SELECT id, step, stream, line, at FROM job_logs WHERE job_id = ?
                ORDER BY id DESC LIMIT ?
             ) ORDER BY id"#,
            job.0,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| log_line(row.step, &row.stream, row.line, row.at))
            .collect()
    }
    /// The last `limit` output lines of each of `jobs`, in order, in one
    /// query; a job without output has no entry.
    pub async fn last_logs_of(
        &self,
        jobs: &[JobId],
        limit: u32,
    ) -> Result<HashMap<JobId, Vec<LogLine>>> {
        let ids: Vec<i64> = jobs.iter().map(|job| job.0).collect();
        let ids = to_json(&ids)?;
        let rows = sqlx::query!(
            r#"SELECT job_id AS "job_id!", step AS "step!", stream AS "stream!",
                line AS "line!", at AS "at!" FROM (
                SELECT job_id, id, step, stream, line, at,
                    ROW_NUMBER() OVER (PARTITION BY job_id ORDER BY id DESC) AS from_end
                FROM job_logs WHERE job_id IN (SELECT value FROM json_each(?))
             ) WHERE from_end <= ? ORDER BY job_id, id"#,
            ids,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        let mut by_job: HashMap<JobId, Vec<LogLine>> = HashMap::new();
        for row in rows {
            by_job.entry(JobId(row.job_id)).or_default().push(log_line(
                row.step,
                &row.stream,
                row.line,
                row.at,
            )?);
        }
        Ok(by_job)
    }

    /// Up to `limit` output lines of a job stored after line `after_id`
    /// (0 for the first), oldest first, each with its row id to continue from.
    pub async fn logs_after(
        &self,
        job: JobId,
        after_id: i64,
        limit: u32,
    ) -> Result<Vec<(i64, LogLine)>> {
        let rows = sqlx::query!(
            r#"SELECT id AS "id!", step, stream, line, at FROM job_logs
             WHERE job_id = ? AND id > ? ORDER BY id LIMIT ?"#,
            job.0,
            after_id,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| Ok((row.id, log_line(row.step, &row.stream, row.line, row.at)?)))
            .collect()
    }
}

/// A stored row as a [`LogLine`]; an unknown stream name is an error.
fn log_line(step: i64, stream: &str, line: String, at: i64) -> Result<LogLine> {
    Ok(LogLine {
        step: usize::try_from(step).unwrap_or(0),
        stream: stream.parse().map_err(Error::Invalid)?,
        line,
        at,
    })
}
