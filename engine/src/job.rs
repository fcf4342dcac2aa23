//! Job identity and the job state machine, from the shared protocol crate:
//! every status change goes through [`JobStatus::can_become`]; the store
//! refuses any other transition.

pub use protocol::{JobId, JobStatus, StepStatus};
