//! The `rules` table: remembered approvals per user.

use std::path::{Path, PathBuf};

use super::{Store, now_unix};
use crate::rules::{Rule, RuleDecision, Subject};
use crate::{Error, Result};

/// A `rules` row as SQLite stores it.
struct RuleRow {
    id: i64,
    program: String,
    wrappers: String,
    flags: String,
    args: String,
    writes: String,
    scope: String,
    decision: String,
    enabled: i64,
    created_from_job: Option<i64>,
    hit_count: i64,
    last_used_at: Option<i64>,
    created_at: i64,
}

fn json_list(column: &str, text: &str) -> Result<Vec<String>> {
    serde_json::from_str(text).map_err(|e| Error::Invalid(format!("stored rule {column}: {e}")))
}

impl TryFrom<RuleRow> for Rule {
    type Error = Error;

    fn try_from(row: RuleRow) -> Result<Self> {
        Ok(Self {
            id: row.id,
            pattern: Subject {
                program: row.program,
                wrappers: json_list("wrappers", &row.wrappers)?,
                flags: json_list("flags", &row.flags)?,
                args: json_list("args", &row.args)?,
                writes: json_list("writes", &row.writes)?,
            },
            scope: PathBuf::from(row.scope),
            decision: if row.decision == "deny" {
                RuleDecision::Deny
            } else {
                RuleDecision::Allow
            },
            enabled: row.enabled != 0,
            created_from_job: row.created_from_job,
            hit_count: row.hit_count,
            last_used_at: row.last_used_at,
            created_at: row.created_at,
        })
    }
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
        let decision = decision.as_str();
        let now = now_unix();
        Ok(sqlx::query_scalar!(
            r#"INSERT INTO rules (user_id, program, wrappers, flags, args, writes, scope, decision,
                created_from_job, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (user_id, program, wrappers, flags, args, writes, scope)
             DO UPDATE SET decision = excluded.decision, enabled = 1
             RETURNING id AS "id!""#,
            user_id,
            pattern.program,
            wrappers,
            flags,
            args,
            writes,
            scope,
            decision,
            created_from_job,
            now,
        )
        .fetch_one(&self.pool)
        .await?)
    }

    /// A user's rules, newest first.
    pub async fn rules(&self, user_id: i64) -> Result<Vec<Rule>> {
        let rows = sqlx::query_as!(
            RuleRow,
            r#"SELECT id AS "id!", program, wrappers, flags, args, writes, scope, decision, enabled,
                created_from_job, hit_count, last_used_at, created_at
             FROM rules WHERE user_id = ? ORDER BY id DESC"#,
            user_id
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Rule::try_from).collect()
    }

    /// Counts a use of each rule.
    pub async fn record_rule_hits(&self, ids: &[i64]) -> Result<()> {
        let now = now_unix();
        for id in ids {
            sqlx::query!(
                "UPDATE rules SET hit_count = hit_count + 1, last_used_at = ? WHERE id = ?",
                now,
                id
            )
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }

    /// Changes a rule's scope and whether it is enabled; `false` when the
    /// user has no such rule, a conflict when the same pattern already has
    /// a rule in the new scope.
    pub async fn update_rule(
        &self,
        user_id: i64,
        id: i64,
        scope: &Path,
        enabled: bool,
    ) -> Result<bool> {
        let scope = scope.to_string_lossy();
        let updated = sqlx::query!(
            "UPDATE rules SET scope = ?, enabled = ? WHERE id = ? AND user_id = ?",
            scope,
            enabled,
            id,
            user_id
        )
        .execute(&self.pool)
        .await;
        match updated {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(Error::Conflict(
                format!("another rule for the same command already applies in `{scope}`"),
            )),
            other => Ok(other?.rows_affected() == 1),
        }
    }

    /// Deletes a rule; `false` when the user has no such rule.
    pub async fn delete_rule(&self, user_id: i64, id: i64) -> Result<bool> {
        let deleted = sqlx::query!(
            "DELETE FROM rules WHERE id = ? AND user_id = ?",
            id,
            user_id
        )
        .execute(&self.pool)
        .await?;
        Ok(deleted.rows_affected() == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject(program: &str, args: &[&str]) -> Subject {
        Subject {
            program: program.to_owned(),
            wrappers: Vec::new(),
            flags: Vec::new(),
            args: args.iter().map(|&a| a.to_owned()).collect(),
            writes: Vec::new(),
        }
    }

    async fn store_with_user() -> (tempfile::TempDir, Store, i64) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        let user = store.insert_user("alice", "hash").await.unwrap();
        (dir, store, user.id)
    }

    #[tokio::test]
    async fn remembering_a_pattern_many_times_at_once_keeps_one_rule_with_the_last_decision() {
        let (_dir, store, user) = store_with_user().await;
        let pattern = subject("make", &["build"]);
        let scope = Path::new("/work/project");
        let upserts =
            (0..16).map(|_| store.upsert_rule(user, &pattern, scope, RuleDecision::Allow, None));
        let ids = futures::future::try_join_all(upserts).await.unwrap();
        assert!(ids.iter().all(|&id| id == ids[0]), "{ids:?}");
        store.update_rule(user, ids[0], scope, false).await.unwrap();
        let again = store
            .upsert_rule(user, &pattern, scope, RuleDecision::Deny, None)
            .await
            .unwrap();
        assert_eq!(again, ids[0]);
        let rules = store.rules(user).await.unwrap();
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].decision, RuleDecision::Deny);
        assert!(rules[0].enabled, "remembering again enables the rule");
    }

    #[tokio::test]
    async fn moving_a_rule_onto_the_same_pattern_in_another_scope_is_a_conflict() {
        let (_dir, store, user) = store_with_user().await;
        let pattern = subject("make", &["build"]);
        let (here, there) = (Path::new("/work/a"), Path::new("/work/b"));
        let first = store
            .upsert_rule(user, &pattern, here, RuleDecision::Allow, None)
            .await
            .unwrap();
        store
            .upsert_rule(user, &pattern, there, RuleDecision::Allow, None)
            .await
            .unwrap();
        let moved = store.update_rule(user, first, there, true).await;
        assert!(matches!(moved, Err(Error::Conflict(_))), "{moved:?}");
        assert_eq!(store.rules(user).await.unwrap().len(), 2, "nothing lost");
        assert!(
            !store
                .update_rule(user, first + 100, there, true)
                .await
                .unwrap()
        );
    }
}
