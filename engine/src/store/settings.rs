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
        let row: Option<(Option<bool>, Option<i64>, String)> = sqlx::query_as(
            "SELECT auto_approve_safe, approval_timeout_secs, write_roots FROM settings WHERE user_id = ?",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some((auto_approve_safe, timeout, roots)) = row else {
            return Ok(UserSettings::default());
        };
        Ok(UserSettings {
            auto_approve_safe,
            approval_timeout_secs: timeout.and_then(|t| u64::try_from(t).ok()),
            write_roots: serde_json::from_str(&roots)
                .map_err(|e| Error::Invalid(format!("stored write roots are unreadable: {e}")))?,
        })
    }

    /// Saves the user's preferences.
    pub async fn save_user_settings(&self, user_id: i64, settings: &UserSettings) -> Result<()> {
        let roots = serde_json::to_string(&settings.write_roots)
            .map_err(|e| Error::Task(format!("serializing write roots: {e}")))?;
        sqlx::query(
            "INSERT INTO settings (user_id, auto_approve_safe, approval_timeout_secs, write_roots, updated_at)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT(user_id) DO UPDATE SET auto_approve_safe = excluded.auto_approve_safe,
                approval_timeout_secs = excluded.approval_timeout_secs,
                write_roots = excluded.write_roots, updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(settings.auto_approve_safe)
        .bind(settings.approval_timeout_secs.and_then(|t| i64::try_from(t).ok()))
        .bind(roots)
        .bind(now_unix())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The budgets the user saved on the Costs page, if they ever did.
    pub async fn user_budgets(&self, user_id: i64) -> Result<Option<Budgets>> {
        let row: Option<(Option<i64>, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT budget_per_job_micros, budget_daily_micros, budget_monthly_micros
             FROM settings WHERE user_id = ?",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
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
        sqlx::query(
            "INSERT INTO settings (user_id, budget_per_job_micros, budget_daily_micros,
                budget_monthly_micros, updated_at)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT(user_id) DO UPDATE SET
                budget_per_job_micros = excluded.budget_per_job_micros,
                budget_daily_micros = excluded.budget_daily_micros,
                budget_monthly_micros = excluded.budget_monthly_micros,
                updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(budgets.per_job_micros)
        .bind(budgets.daily_micros)
        .bind(budgets.monthly_micros)
        .bind(now_unix())
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
