//! Job identity and the job state machine. Every status change goes through
//! [`JobStatus::can_become`]; the store refuses any other transition.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A job's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JobId(pub i64);

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Where a job is in its life. REST v1 reports exactly these strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// The request is being turned into a plan.
    Planning,
    /// The plan waits for a person's approval.
    Pending,
    /// Approved (or allowed), about to run.
    Approved,
    /// Steps are running.
    Executing,
    /// Every step succeeded.
    Completed,
    /// Planning or a step failed; `error` says why.
    Failed,
    /// A person rejected the plan.
    Rejected,
    /// A person cancelled the job.
    Cancelled,
    /// Nobody decided before the approval timeout.
    Expired,
    /// The server stopped while the job was running.
    Interrupted,
}

impl JobStatus {
    /// Every status, for filters and tests.
    pub const ALL: [Self; 10] = [
        Self::Planning,
        Self::Pending,
        Self::Approved,
        Self::Executing,
        Self::Completed,
        Self::Failed,
        Self::Rejected,
        Self::Cancelled,
        Self::Expired,
        Self::Interrupted,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planning => "planning",
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Executing => "executing",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Rejected => "rejected",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
            Self::Interrupted => "interrupted",
        }
    }

    /// Whether the job can no longer change.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Completed
                | Self::Failed
                | Self::Rejected
                | Self::Cancelled
                | Self::Expired
                | Self::Interrupted
        )
    }

    /// The legal transitions.
    pub fn can_become(self, next: Self) -> bool {
        use JobStatus::{
            Approved, Cancelled, Completed, Executing, Expired, Failed, Interrupted, Pending,
            Planning, Rejected,
        };
        match self {
            Planning => matches!(next, Pending | Approved | Failed | Cancelled | Interrupted),
            Pending => matches!(next, Approved | Rejected | Cancelled | Expired),
            Approved => matches!(next, Executing | Cancelled | Interrupted | Failed),
            Executing => matches!(next, Completed | Failed | Cancelled | Interrupted),
            Completed | Failed | Rejected | Cancelled | Expired | Interrupted => false,
        }
    }
}

crate::wire_name!(JobStatus, "status");

/// Where one step of a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// Not started.
    Pending,
    /// Running now.
    Running,
    /// Finished successfully.
    Done,
    /// Finished with an error (exit code, timeout, refusal).
    Failed,
    /// Not run because an earlier step ended the job.
    Skipped,
    /// Stopped by a person's cancel.
    Cancelled,
    /// Stopped because DevOS shut down.
    Interrupted,
}

impl StepStatus {
    /// Every status, in the order a step can reach them.
    pub const ALL: [Self; 7] = [
        Self::Pending,
        Self::Running,
        Self::Done,
        Self::Failed,
        Self::Skipped,
        Self::Cancelled,
        Self::Interrupted,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::Skipped => "skipped",
            Self::Cancelled => "cancelled",
            Self::Interrupted => "interrupted",
        }
    }

    /// Whether the step will not change again.
    pub fn is_final(self) -> bool {
        !matches!(self, Self::Pending | Self::Running)
    }
}

crate::wire_name!(StepStatus, "step status");

#[cfg(test)]
mod tests {
    use super::*;
    use JobStatus::{
        Approved, Cancelled, Completed, Executing, Expired, Failed, Interrupted, Pending, Planning,
        Rejected,
    };

    #[test]
    fn legal_transitions_are_exactly_these() {
        let legal = [
            (Planning, Pending),
            (Planning, Approved),
            (Planning, Failed),
            (Planning, Cancelled),
            (Planning, Interrupted),
            (Pending, Approved),
            (Pending, Rejected),
            (Pending, Cancelled),
            (Pending, Expired),
            (Approved, Executing),
            (Approved, Cancelled),
            (Approved, Interrupted),
            (Approved, Failed),
            (Executing, Completed),
            (Executing, Failed),
            (Executing, Cancelled),
            (Executing, Interrupted),
        ];
        for from in JobStatus::ALL {
            for to in JobStatus::ALL {
                assert_eq!(
                    from.can_become(to),
                    legal.contains(&(from, to)),
                    "{from} -> {to}"
                );
            }
        }
    }

    #[test]
    fn final_states_have_no_way_out() {
        for status in [Completed, Failed, Rejected, Cancelled, Expired, Interrupted] {
            assert!(status.is_final());
            assert!(JobStatus::ALL.iter().all(|next| !status.can_become(*next)));
        }
    }
}
