//! How AWS results read in the job log: one line per item, UTC times in
//! RFC 3339, sizes in decimal units.

use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;

/// The output lines of one AWS call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lines(pub Vec<String>);

impl Lines {
    /// Adds a line.
    pub fn push(&mut self, line: impl Into<String>) {
        self.0.push(line.into());
    }
}

/// `2026-12-01T10:00:00Z`.
pub fn when(time: &DateTime) -> String {
    time.fmt(Format::DateTime).unwrap_or_default()
}

/// A time given in milliseconds since the epoch (`CloudWatch` Logs).
pub fn when_millis(millis: i64) -> String {
    when(&DateTime::from_millis(millis))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_utc_rfc3339() {
        assert_eq!(when_millis(1_764_583_200_000), "2025-12-01T10:00:00Z");
    }
}
