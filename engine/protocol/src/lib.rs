//! The vocabulary DevOS's server and browser share: job and step statuses,
//! safety levels, decisions, log streams and the live events of
//! `/ws/events`. Serde only, no I/O, so it compiles for wasm too; the wire
//! names are fixed by the golden tests in `tests/wire.rs`.

mod event;
mod job;
mod risk;

pub use event::{ClientMessage, LiveEvent, LogStream};
pub use job::{JobId, JobStatus, StepStatus};
pub use risk::{Decision, SafetyLevel};

/// The member of `all` whose wire name is `text`; otherwise an error that
/// names the `kind` and lists the names it accepts.
pub(crate) fn by_name<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    kind: &str,
    text: &str,
) -> Result<T, String> {
    all.iter()
        .copied()
        .find(|&item| name(item) == text)
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|&item| name(item)).collect();
            format!(
                "unknown {kind} `{text}`; expected one of {}",
                names.join(", ")
            )
        })
}

/// `Display` and `FromStr` through the type's `as_str` and `ALL`.
macro_rules! wire_name {
    ($type:ty, $kind:literal) => {
        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $type {
            type Err = String;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                $crate::by_name(&Self::ALL, Self::as_str, $kind, text)
            }
        }
    };
}
pub(crate) use wire_name;
