//! The `rules` table: remembered approvals per user.

use std::path::{Path, PathBuf};

use sqlx::Row as _;

use super::{Store, now_unix};
use crate::rules::{Rule, RuleDecision, Subject};
use crate::{Error, Result};

const RULE_COLUMNS: &str = "id, program, wrappers, flags, args, writes, scope, decision, enabled, \
     created_from_job, hit_count, last_used_at, created_at";

fn json_list(row: &sqlx::sqlite::SqliteRow, column: &str) -> Result<Vec<String>> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text).map_err(|e| Error::Invalid(format!("stored rule {column}: {e}")))
}

fn rule_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<Rule> {
    let decision: String = row.try_get("decision")?;
    Ok(Rule {
        id: row.try_get("id")?,
        pattern: Subject {
            program: row.try_get("program")?,
            wrappers: json_list(row, "wrappers")?,
            flags: json_list(row, "flags")?,
            args: json_list(row, "args")?,
            writes: json_list(row, "writes")?,
        },
        scope: PathBuf::from(row.try_get::<String, _>("scope")?),
        decision: if decision == "deny" {
            RuleDecision::Deny
        } else {
            RuleDecision::Allow
        },
        enabled: row.try_get("enabled")?,
        created_from_job: row.try_get("created_from_job")?,
        hit_count: row.try_get("hit_count")?,
        last_used_at: row.try_get("last_used_at")?,
        created_at: row.try_get("created_at")?,
    })
}

fn to_json(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".to_owned())
}

impl Store {
    /// Stores a rule; an identical pattern and scope of the same user is
    /// updated (decision, enabled again) instead of duplicated.
    pub async fn upsert_rule(
        &self,
        user_id: i64,
        pattern: &Subject,
        scope: &Path,
        decision: RuleDecision,
        created_from_job: Option<i64>,
    ) -> Result<i64> {
        let (wrappers, flags, args, writes) = (
            to_json(&pattern.wrappers),
            to_json(&pattern.flags),
            to_json(&pattern.args),
            to_json(&pattern.writes),
        );
        let scope = scope.to_string_lossy();
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM rules WHERE user_id = ? AND program = ? AND wrappers = ? AND flags = ?
               AND args = ? AND writes = ? AND scope = ?",
        )
        .bind(user_id)
        .bind(&pattern.program)
        .bind(&wrappers)
        .bind(&flags)
        .bind(&args)
        .bind(&writes)
        .bind(scope.as_ref())
        .fetch_optional(&self.pool)
        .await?;
        if let Some(id) = existing {
            sqlx::query("UPDATE rules SET decision = ?, enabled = 1 WHERE id = ?")
                .bind(decision.as_str())
                .bind(id)
                .execute(&self.pool)
                .await?;
            return Ok(id);
        }
        Ok(sqlx::query_scalar(
            "INSERT INTO rules (user_id, program, wrappers, flags, args, writes, scope, decision,
                created_from_job, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(user_id)
        .bind(&pattern.program)
        .bind(wrappers)
        .bind(flags)
        .bind(args)
        .bind(writes)
        .bind(scope.as_ref())
        .bind(decision.as_str())
        .bind(created_from_job)
        .bind(now_unix())
        .fetch_one(&self.pool)
        .await?)
    }

    /// A user's rules, newest first.
    pub async fn rules(&self, user_id: i64) -> Result<Vec<Rule>> {
        let rows = sqlx::query(&format!(
            "SELECT {RULE_COLUMNS} FROM rules WHERE user_id = ? ORDER BY id DESC"
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rule_from_row).collect()
    }

    /// Counts a use of each rule.
    pub async fn record_rule_hits(&self, ids: &[i64]) -> Result<()> {
        for id in ids {
            sqlx::query(
                "UPDATE rules SET hit_count = hit_count + 1, last_used_at = ? WHERE id = ?",
            )
            .bind(now_unix())
            .bind(id)
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }

    /// Changes a rule's scope and whether it is enabled; `false` when the user has no such rule.
    pub async fn update_rule(
        &self,
        user_id: i64,
        id: i64,
        scope: &Path,
        enabled: bool,
    ) -> Result<bool> {
        Ok(
            sqlx::query("UPDATE rules SET scope = ?, enabled = ? WHERE id = ? AND user_id = ?")
                .bind(scope.to_string_lossy().as_ref())
                .bind(enabled)
                .bind(id)
                .bind(user_id)
                .execute(&self.pool)
                .await?
                .rows_affected()
                == 1,
        )
    }

    /// Deletes a rule; `false` when the user has no such rule.
    pub async fn delete_rule(&self, user_id: i64, id: i64) -> Result<bool> {
        Ok(
            sqlx::query("DELETE FROM rules WHERE id = ? AND user_id = ?")
                .bind(id)
                .bind(user_id)
                .execute(&self.pool)
                .await?
                .rows_affected()
                == 1,
        )
    }
}
