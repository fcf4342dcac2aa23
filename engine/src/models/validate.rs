//! Turning a model's reply text into a [`Plan`], or a reason it is not one.
//! Tolerates ```` ```json ```` fences and chatter around the JSON; everything
//! else is strict, because the reason is sent back to the model on retry.
//! It validates shape only: risk is rated by the engine, never trusted here.

use crate::plan::{FsAction, Plan, StepAction};

use super::schema::MAX_STEPS;

/// Longest `interpretation`, `description`, `explanation` or risk, in characters.
const MAX_TEXT: usize = 1_000;
/// Longest command or path.
const MAX_COMMAND: usize = 10_000;
/// Longest `write` content.
const MAX_CONTENT: usize = 200_000;

/// Parses and checks a reply. The error is a short reason fit to show the
/// model ("steps[0].command: must not be empty").
pub fn parse_plan(reply: &str) -> Result<Plan, String> {
    let json = extract_json(reply).ok_or_else(|| "the reply holds no JSON object".to_owned())?;
    let mut de = serde_json::Deserializer::from_str(json);
    let plan: Plan = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." || path == "?" {
            format!("not a valid plan: {inner}")
        } else {
            format!("{path}: {inner}")
        }
    })?;
    check_plan(&plan)?;
    Ok(plan)
}

/// The JSON object inside `reply`: a fenced block's body when there is one,
/// else from the first `{` to the last `}`.
fn extract_json(reply: &str) -> Option<&str> {
    let body = match reply.find("```") {
        Some(open) => {
            let after = &reply[open + 3..];
            let after = after.strip_prefix("json").unwrap_or(after);
            after.find("```").map_or(after, |close| &after[..close])
        }
        None => reply,
    };
    let start = body.find('{')?;
    let end = body.rfind('}')?;
    (start < end).then(|| &body[start..=end])
}

fn check_text(at: &str, text: &str, max: usize) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err(format!("{at}: must not be empty"));
    }
    if text.chars().count() > max {
        return Err(format!("{at}: longer than {max} characters"));
    }
    Ok(())
}

fn check_list(at: &str, items: &[String]) -> Result<(), String> {
    if items.is_empty() {
        return Err(format!("{at}: must name at least one path"));
    }
    items
        .iter()
        .enumerate()
        .try_for_each(|(i, p)| check_text(&format!("{at}[{i}]"), p, MAX_COMMAND))
}

fn check_plan(plan: &Plan) -> Result<(), String> {
    check_text("interpretation", &plan.interpretation, MAX_TEXT)?;
    if plan.steps.is_empty() {
        return Err("steps: a plan needs at least one step".into());
    }
    if plan.steps.len() > MAX_STEPS {
        return Err(format!("steps: more than {MAX_STEPS} steps"));
    }
    if plan.explanation.chars().count() > MAX_TEXT {
        return Err(format!("explanation: longer than {MAX_TEXT} characters"));
    }
    for (i, risk) in plan.risks.iter().enumerate() {
        check_text(&format!("risks[{i}]"), risk, MAX_TEXT)?;
    }
    for (i, step) in plan.steps.iter().enumerate() {
        let at = format!("steps[{i}]");
        check_text(&format!("{at}.description"), &step.description, MAX_TEXT)?;
        match &step.action {
            StepAction::Bash { command } | StepAction::Python { command } => {
                check_text(&format!("{at}.command"), command, MAX_COMMAND)?;
            }
            StepAction::Fs { action } => check_fs(&format!("{at}.action"), action)?,
            StepAction::Aws { .. } => {
                let call = serde_json::to_string(&step.action).unwrap_or_default();
                check_text(&format!("{at}.call"), &call, MAX_COMMAND)?;
            }
        }
    }
    Ok(())
}

fn check_fs(at: &str, action: &FsAction) -> Result<(), String> {
    match action {
        FsAction::Mkdir { path } => check_text(&format!("{at}.path"), path, MAX_COMMAND),
        FsAction::Organize { dir } => check_text(&format!("{at}.dir"), dir, MAX_COMMAND),
        FsAction::Move { from, to_dir } | FsAction::Copy { from, to_dir } => {
            check_list(&format!("{at}.from"), from)?;
            check_text(&format!("{at}.to_dir"), to_dir, MAX_COMMAND)
        }
        FsAction::Rename { from, to } => {
            check_text(&format!("{at}.from"), from, MAX_COMMAND)?;
            check_text(&format!("{at}.to"), to, MAX_COMMAND)
        }
        FsAction::Write { path, content } => {
            check_text(&format!("{at}.path"), path, MAX_COMMAND)?;
            if content.chars().count() > MAX_CONTENT {
                return Err(format!(
                    "{at}.content: longer than {MAX_CONTENT} characters"
                ));
            }
            Ok(())
        }
        FsAction::Trash { paths, .. } => check_list(&format!("{at}.paths"), paths),
    }
}

#[cfg(test)]
mod tests {
    use pretty_assertions::assert_eq;

    use super::*;
    use crate::plan::{SafetyLevel, Step};

    const GOOD: &str = r#"{"interpretation":"Make a folder","steps":[{"kind":"fs","action":{"op":"mkdir","path":"notes"},"description":"Create notes","safety_level":"moderate"}],"explanation":"mkdir","risks":[]}"#;

    #[test]
    fn accepts_fenced_and_chatty_replies() {
        let expected = Plan {
            interpretation: "Make a folder".into(),
            steps: vec![Step {
                description: "Create notes".into(),
                action: StepAction::Fs {
                    action: FsAction::Mkdir {
                        path: "notes".into(),
                    },
                },
                safety_level: SafetyLevel::Moderate,
            }],
            explanation: "mkdir".into(),
            risks: vec![],
        };
        for reply in [
            GOOD.to_owned(),
            format!("```json\n{GOOD}\n```"),
            format!("Here is the plan:\n```\n{GOOD}\n```\nEnjoy!"),
            format!("Sure. {GOOD} Done."),
        ] {
            assert_eq!(parse_plan(&reply), Ok(expected.clone()), "{reply}");
        }
    }

    #[test]
    fn rejects_bad_plans_with_a_reason() {
        let cases = [
            ("", "the reply holds no JSON object"),
            ("I cannot help with that.", "the reply holds no JSON object"),
            (
                "{not json}",
                "not a valid plan: key must be a string at line 1 column 2",
            ),
            (
                r#"{"interpretation":"x","steps":[]}"#,
                "steps: a plan needs at least one step",
            ),
            (
                r#"{"interpretation":"x","steps":[{"kind":"bash","command":"  ","description":"d","safety_level":"safe"}]}"#,
                "steps[0].command: must not be empty",
            ),
            (
                r#"{"interpretation":"x","steps":[{"kind":"perl","command":"1","description":"d","safety_level":"safe"}]}"#,
                "steps[0]: unknown variant `perl`, expected one of `bash`, `python`, `fs`, `aws` at line 1 column 100",
            ),
            (
                r#"{"interpretation":"x","steps":[{"kind":"fs","action":{"op":"move","from":[],"to_dir":"a"},"description":"d","safety_level":"safe"}]}"#,
                "steps[0].action.from: must name at least one path",
            ),
            (
                r#"{"interpretation":"x","steps":[{"kind":"bash","command":"ls","description":"d","safety_level":"harmless"}]}"#,
                "steps[0].safety_level: unknown variant `harmless`, expected one of `safe`, `moderate`, `destructive` at line 1 column 104",
            ),
        ];
        for (reply, reason) in cases {
            assert_eq!(parse_plan(reply), Err(reason.to_owned()), "{reply}");
        }
    }
}
