//! Golden tests: the exact JSON of every name and event. A change here is a
//! change of the wire that REST v1 clients, `devos ask` and open browsers read.

use protocol::{
    ClientMessage, Decision, JobId, JobStatus, LiveEvent, LogStream, SafetyLevel, StepStatus,
};
use serde_json::json;

/// `value` serializes to `golden` and `golden` reads back as `value`.
fn round_trips<T>(value: &T, golden: serde_json::Value)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    assert_eq!(serde_json::to_value(value).ok(), Some(golden.clone()));
    assert_eq!(
        serde_json::from_value::<T>(golden).ok().as_ref(),
        Some(value)
    );
}

/// The names of `all`, each checked to agree three ways (`Display`, serde
/// and `FromStr` back).
fn wire_names<T>(all: &[T]) -> Vec<String>
where
    T: serde::Serialize + std::fmt::Display + std::str::FromStr + PartialEq + std::fmt::Debug,
{
    all.iter()
        .map(|item| {
            let shown = item.to_string();
            let serialized = serde_json::to_value(item).ok();
            assert_eq!(serialized, Some(serde_json::Value::String(shown.clone())));
            assert_eq!(shown.parse::<T>().ok().as_ref(), Some(item));
            shown
        })
        .collect()
}

#[test]
fn names_are_fixed() {
    assert_eq!(
        wire_names(&JobStatus::ALL),
        [
            "planning",
            "pending",
            "approved",
            "executing",
            "completed",
            "failed",
            "rejected",
            "cancelled",
            "expired",
            "interrupted"
        ]
    );
    assert_eq!(
        wire_names(&StepStatus::ALL),
        [
            "pending",
            "running",
            "done",
            "failed",
            "skipped",
            "cancelled",
            "interrupted"
        ]
    );
    assert_eq!(
        wire_names(&SafetyLevel::ALL),
        ["safe", "moderate", "destructive"]
    );
    assert_eq!(wire_names(&Decision::ALL), ["allow", "prompt", "forbid"]);
    assert_eq!(wire_names(&LogStream::ALL), ["stdout", "stderr", "info"]);
}

#[test]
fn unknown_names_say_what_is_accepted() {
    let error = "done".parse::<JobStatus>().unwrap_err();
    assert!(error.contains("unknown status `done`"), "{error}");
    assert!(error.contains("planning, pending"), "{error}");
    assert!("Safe".parse::<SafetyLevel>().is_err());
    assert!("block".parse::<Decision>().is_err());
}

#[test]
fn server_frames_are_fixed() {
    round_trips(&LiveEvent::Hello, json!({"type": "hello"}));
    round_trips(
        &LiveEvent::Resync { missed: 3 },
        json!({"type": "resync", "missed": 3}),
    );
    round_trips(
        &LiveEvent::JobUpdate {
            job_id: JobId(7),
            status: JobStatus::Executing,
            progress: 0.5,
        },
        json!({"type": "job_update", "job_id": 7, "status": "executing", "progress": 0.5}),
    );
    round_trips(
        &LiveEvent::ApprovalRequest {
            job_id: JobId(8),
            summary: "Delete 3 files".into(),
            risks: vec!["deletes files".into()],
        },
        json!({"type": "approval_request", "job_id": 8, "summary": "Delete 3 files", "risks": ["deletes files"]}),
    );
    round_trips(
        &LiveEvent::PlanText {
            job_id: JobId(9),
            text: "{\"steps\"".into(),
        },
        json!({"type": "plan_text", "job_id": 9, "text": "{\"steps\""}),
    );
    round_trips(
        &LiveEvent::Log {
            job_id: JobId(10),
            step: 1,
            stream: LogStream::Stderr,
            line: "oops".into(),
        },
        json!({"type": "log", "job_id": 10, "step": 1, "stream": "stderr", "line": "oops"}),
    );
    round_trips(
        &LiveEvent::ContextChanged {
            dir: "/home/me/src".into(),
        },
        json!({"type": "context_changed", "dir": "/home/me/src"}),
    );
}

#[test]
fn client_frames_are_fixed() {
    round_trips(
        &ClientMessage::Follow {
            dir: "/home/me".into(),
        },
        json!({"type": "follow", "dir": "/home/me"}),
    );
    round_trips(&ClientMessage::Unfollow, json!({"type": "unfollow"}));
    assert!(serde_json::from_str::<ClientMessage>(r#"{"type":"shout"}"#).is_err());
}

#[test]
fn a_job_id_is_a_bare_number() {
    round_trips(&JobId(42), json!(42));
    assert_eq!(
        LiveEvent::Log {
            job_id: JobId(4),
            step: 0,
            stream: LogStream::Info,
            line: String::new(),
        }
        .job_id(),
        Some(JobId(4))
    );
    assert_eq!(LiveEvent::Hello.job_id(), None);
}
