//! The `settings` table: a user's preferences and budgets over the config defaults.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{Store, now_unix};
use crate::models::cost::Budgets;
use crate::{Error, Result};

/// A user's preferences; `None` keeps the value from devos.toml.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSettings {
    /// Run safe (read-only) steps without asking.
    pub auto_approve_safe: Option<bool>,
    /// Seconds a job waits for approval.
    pub approval_timeout_secs: Option<u64>,
    /// Directories every job may change besides its own folder.
    pub write_roots: Vec<PathBuf>,
}

impl Store {
    /// The user's preferences (defaults when never saved).
    pub async fn user_settings(&self, user_id: i64) -> Result<UserSettings> {
        let row = sqlx::query!(
            r#"SELECT auto_approve_safe AS "auto_approve_safe?: bool",
                approval_timeout_secs AS "approval_timeout_secs?", write_roots
             FROM settings WHERE user_id = ?"#,
            user_id
        )
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(UserSettings::default());
        };
        Ok(UserSettings {
            auto_approve_safe: row.auto_approve_safe,
            approval_timeout_secs: row
                .approval_timeout_secs
                .and_then(|t| u64::try_from(t).ok()),
            write_roots: serde_json::from_str(&row.write_roots)
                .map_err(|e| Error::Invalid(format!("stored write roots are unreadable: {e}")))?,
        })
    }

    /// Saves the user's preferences.
    pub async fn save_user_settings(&self, user_id: i64, settings: &UserSettings) -> Result<()> {
        let roots = serde_json::to_string(&settings.write_roots)
            .map_err(|e| Error::Task(format!("serializing write roots: {e}")))?;
        let timeout = settings
            .approval_timeout_secs
            .and_then(|t| i64::try_from(t).ok());
        let now = now_unix();
        sqlx::query!(
            "INSERT INTO settings (user_id, auto_approve_safe, approval_timeout_secs, write_roots, updated_at)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT(user_id) DO UPDATE SET auto_approve_safe = excluded.auto_approve_safe,
                approval_timeout_secs = excluded.approval_timeout_secs,
                write_roots = excluded.write_roots, updated_at = excluded.updated_at",
            user_id,
            settings.auto_approve_safe,
            timeout,
            roots,
            now,
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The budgets the user saved on the Costs page, if they ever did.
    pub async fn user_budgets(&self, user_id: i64) -> Result<Option<Budgets>> {
        let row = sqlx::query!(
            r#"SELECT budget_per_job_micros AS "per_job?", budget_daily_micros AS "daily?",
                budget_monthly_micros AS "monthly?"
             FROM settings WHERE user_id = ?"#,
            user_id
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row.map(|row| (row.per_job, row.daily, row.monthly)) {
            Some((Some(per_job_micros), Some(daily_micros), Some(monthly_micros))) => {
                Some(Budgets {
                    per_job_micros,
                    daily_micros,
                    monthly_micros,
                })
            }
            _ => None,
        })
    }

    /// Saves the user's budgets (their other preferences stay as they are).
    pub async fn save_user_budgets(&self, user_id: i64, budgets: Budgets) -> Result<()> {
        let now = now_unix();
        sqlx::query!(
            "INSERT INTO settings (user_id, budget_per_job_micros, budget_daily_micros,
                budget_monthly_micros, updated_at)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT(user_id) DO UPDATE SET
                budget_per_job_micros = excluded.budget_per_job_micros,
                budget_daily_micros = excluded.budget_daily_micros,
                budget_monthly_micros = excluded.budget_monthly_micros,
                updated_at = excluded.updated_at",
            user_id,
            budgets.per_job_micros,
            budgets.daily_micros,
            budgets.monthly_micros,
            now,
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
