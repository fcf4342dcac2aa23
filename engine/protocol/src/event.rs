//! The live stream of `/ws/events`: what the server sends (`LiveEvent`),
//! what a client may send back (`ClientMessage`), and the output streams a
//! log line comes from.

use serde::{Deserialize, Serialize};

use crate::job::{JobId, JobStatus};

/// Where a line of a job's log came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogStream {
    /// A step's standard output.
    Stdout,
    /// A step's standard error.
    Stderr,
    /// DevOS's own note about the job (a decline, an interruption, an undo).
    Info,
}

impl LogStream {
    /// Every stream.
    pub const ALL: [Self; 3] = [Self::Stdout, Self::Stderr, Self::Info];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stdout => "stdout",
            Self::Stderr => "stderr",
            Self::Info => "info",
        }
    }
}

crate::wire_name!(LogStream, "log stream");

/// One frame the server sends, as `{"type": "job_update", ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveEvent {
    /// Sent on every (re)connect: refetch whatever you show.
    Hello,
    /// The server dropped `missed` events for this client: refetch.
    Resync {
        /// How many events were dropped.
        missed: u64,
    },
    /// A job changed status or progressed.
    JobUpdate {
        /// Which job.
        job_id: JobId,
        /// The new status.
        status: JobStatus,
        /// Steps finished / steps in the plan, 0.0 to 1.0.
        progress: f32,
    },
    /// A plan waits for approval.
    ApprovalRequest {
        /// Which job.
        job_id: JobId,
        /// What the plan does, in one sentence.
        summary: String,
        /// Why it needs approval.
        risks: Vec<String>,
    },
    /// Text a model is streaming while it plans the job.
    PlanText {
        /// Which job.
        job_id: JobId,
        /// The next piece of text.
        text: String,
    },
    /// A line of step output.
    Log {
        /// Which job.
        job_id: JobId,
        /// Step index (0-based).
        step: usize,
        /// Which stream the line came from.
        stream: LogStream,
        /// The line, without its newline.
        line: String,
    },
    /// Files, git or processes changed in `dir`, which is inside the
    /// directory this client follows.
    ContextChanged {
        /// The directory that changed.
        dir: String,
    },
}

impl LiveEvent {
    /// The job this event is about, if it is about one.
    pub fn job_id(&self) -> Option<JobId> {
        match self {
            Self::JobUpdate { job_id, .. }
            | Self::ApprovalRequest { job_id, .. }
            | Self::PlanText { job_id, .. }
            | Self::Log { job_id, .. } => Some(*job_id),
            Self::Hello | Self::Resync { .. } | Self::ContextChanged { .. } => None,
        }
    }
}

/// One frame a client sends, as `{"type": "follow", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// Send `context_changed` for changes under `dir` (the console's working
    /// directory; empty for the default workspace root) and nowhere else.
    Follow {
        /// The directory to follow.
        dir: String,
    },
    /// Send no `context_changed` at all (the console was left).
    Unfollow,
}
