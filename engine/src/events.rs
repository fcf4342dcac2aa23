//! The event bus: typed events every live stream (WebSocket, tests) reads.
//! Publishing never blocks; slow subscribers miss events and resync.

use serde::Serialize;
use tokio::sync::broadcast;

use crate::job::{JobId, JobStatus};

/// One event, serialized as `{"type": "job_update", ...}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A job changed status or progressed.
    JobUpdate {
        /// Which job.
        job_id: JobId,
        /// Owner, so streams only forward a user's own jobs.
        #[serde(skip)]
        user_id: i64,
        /// The new status.
        status: JobStatus,
        /// Steps finished / steps in the plan, 0.0 to 1.0.
        progress: f32,
    },
    /// A plan waits for approval.
    ApprovalRequest {
        /// Which job.
        job_id: JobId,
        /// Owner.
        #[serde(skip)]
        user_id: i64,
        /// What the plan does, in one sentence.
        summary: String,
        /// Why it needs approval.
        risks: Vec<String>,
    },
    /// Text a model is streaming while it plans the job.
    PlanText {
        /// Which job.
        job_id: JobId,
        /// Owner.
        #[serde(skip)]
        user_id: i64,
        /// The next piece of text.
        text: String,
    },
    /// A line of step output.
    Log {
        /// Which job.
        job_id: JobId,
        /// Owner.
        #[serde(skip)]
        user_id: i64,
        /// Step index (0-based).
        step: usize,
        /// `stdout`, `stderr` or `info`.
        stream: &'static str,
        /// The line, without its newline.
        line: String,
    },
}

impl Event {
    /// The user whose job this event is about.
    pub fn user_id(&self) -> i64 {
        match self {
            Self::JobUpdate { user_id, .. }
            | Self::ApprovalRequest { user_id, .. }
            | Self::PlanText { user_id, .. }
            | Self::Log { user_id, .. } => *user_id,
        }
    }
}

/// The bus.
#[derive(Debug, Clone)]
pub struct EventBus {
    sender: broadcast::Sender<Event>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(1024).0,
        }
    }
}

impl EventBus {
    /// Publishes to whoever listens (nobody listening is fine).
    pub fn publish(&self, event: Event) {
        // An error only means there is no subscriber right now.
        let _ = self.sender.send(event);
    }

    /// A new subscription from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }
}
