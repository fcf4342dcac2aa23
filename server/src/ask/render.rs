//! How `devos ask` shows a plan and asks for approval in the terminal: one
//! line per step with its risk level (coloured when the output is a terminal
//! and `NO_COLOR` is unset), and a y/N question read from stdin.

use std::io::{BufRead as _, IsTerminal as _, Write};

use protocol::SafetyLevel;

/// What the terminal shows of a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedStep {
    /// How much harm it can do.
    pub level: SafetyLevel,
    /// What it does.
    pub description: String,
    /// The files it touches, or its command.
    pub detail: String,
    /// Why the engine rated it so (shown for steps that are not safe).
    pub reasons: Vec<String>,
}

/// Whether to colour what goes to stdout.
pub fn use_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn paint(level: SafetyLevel, color: bool) -> String {
    let code = match level {
        SafetyLevel::Safe => "32",
        SafetyLevel::Moderate => "33",
        SafetyLevel::Destructive => "31",
    };
    if color {
        format!("\x1b[{code}m{level}\x1b[0m")
    } else {
        level.to_string()
    }
}

/// `job 12: list the files` then the steps, indented.
pub fn print_plan(
    out: &mut impl Write,
    color: bool,
    job_id: i64,
    interpretation: &str,
    steps: &[PlannedStep],
) -> std::io::Result<()> {
    writeln!(out, "job {job_id}: {interpretation}")?;
    for step in steps {
        writeln!(out, "  [{}] {}", paint(step.level, color), step.description)?;
        if !step.detail.is_empty() {
            writeln!(out, "        {}", step.detail)?;
        }
        if step.level != SafetyLevel::Safe {
            for reason in &step.reasons {
                writeln!(out, "        - {reason}")?;
            }
        }
    }
    Ok(())
}

/// Asks `Run this? [y/N]` on `out` and reads one line from stdin; anything
/// but yes (including end of input) is no.
pub fn confirm(out: &mut impl Write) -> std::io::Result<bool> {
    write!(out, "Run this? [y/N] ")?;
    out.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risky_steps_show_their_reasons_and_colour_only_when_asked() {
        let steps = [
            PlannedStep {
                level: SafetyLevel::Safe,
                description: "List the files".into(),
                detail: "ls -la".into(),
                reasons: vec!["read-only: ls".into()],
            },
            PlannedStep {
                level: SafetyLevel::Destructive,
                description: "Delete the logs".into(),
                detail: String::new(),
                reasons: vec!["deletes files".into()],
            },
        ];
        let mut plain = Vec::new();
        print_plan(&mut plain, false, 7, "tidy up", &steps).unwrap();
        let plain = String::from_utf8(plain).unwrap();
        assert_eq!(
            plain,
            "job 7: tidy up\n  [safe] List the files\n        ls -la\n  [destructive] Delete the logs\n        - deletes files\n"
        );
        let mut colored = Vec::new();
        print_plan(&mut colored, true, 7, "tidy up", &steps).unwrap();
        assert!(
            String::from_utf8(colored)
                .unwrap()
                .contains("\x1b[31mdestructive\x1b[0m")
        );
    }
}
