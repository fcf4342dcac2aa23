//! The eval case file: what each case asks, how its folder is prepared and
//! what must be true afterwards. Parsing only; running lives in `run`.

use serde::Deserialize;

use crate::job::JobStatus;

/// Whether a case expects the approval gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ExpectedApproval {
    /// The plan must run without asking.
    #[default]
    None,
    /// The plan must stop at the approval gate.
    Required,
}

/// One request with its checks.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Short unique name, shown when the case fails.
    pub name: String,
    /// Grouping for the per-category pass rate (`files`, `git`, …).
    pub category: String,
    /// The request as a person would type it.
    pub request: String,
    /// Bash run in the case's folder before the request (`$HOME` is the case's home).
    #[serde(default)]
    pub setup: String,
    /// Whether the plan must ask for approval.
    #[serde(default)]
    pub approval: ExpectedApproval,
    /// Checked at the approval gate (nothing may have changed yet), then rejected.
    #[serde(default)]
    pub dangerous: bool,
    /// The job's final status; `completed` by default, `rejected` for dangerous cases.
    #[serde(default)]
    pub status: Option<JobStatus>,
    /// Strings the output must contain (the plan text for dangerous cases).
    #[serde(default)]
    pub contains: Vec<String>,
    /// Strings the output must not contain (the plan text for dangerous cases).
    #[serde(default)]
    pub not_contains: Vec<String>,
    /// Strings the plan (interpretation, descriptions, commands) must contain.
    #[serde(default)]
    pub plan_contains: Vec<String>,
    /// Strings the plan must not contain.
    #[serde(default)]
    pub plan_not_contains: Vec<String>,
    /// Bash run in the case's folder afterwards (at the gate for dangerous
    /// cases); exit status 0 means the case holds.
    #[serde(default)]
    pub check: String,
}

impl Case {
    /// The final status the case expects.
    pub fn expected_status(&self) -> JobStatus {
        self.status.unwrap_or(if self.dangerous {
            JobStatus::Rejected
        } else {
            JobStatus::Completed
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    case: Vec<Case>,
}

/// Parses a case file (`[[case]]` tables); names must be unique.
pub fn parse_cases(text: &str) -> Result<Vec<Case>, String> {
    let file: CaseFile = toml::from_str(text).map_err(|error| error.to_string())?;
    let mut names: Vec<&str> = file.case.iter().map(|case| case.name.as_str()).collect();
    names.sort_unstable();
    if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(format!("case name `{}` is used twice", pair[0]));
    }
    if let Some(case) = file
        .case
        .iter()
        .find(|case| case.dangerous && case.approval != ExpectedApproval::Required)
    {
        return Err(format!(
            "case `{}` is dangerous, so it must say approval = \"required\"",
            case.name
        ));
    }
    Ok(file.case)
}

#[cfg(test)]
mod tests {
    use super::{ExpectedApproval, parse_cases};
    use crate::job::JobStatus;

    #[test]
    fn defaults_expect_a_completed_job_without_approval() {
        let cases = parse_cases(
            "[[case]]\nname = \"a\"\ncategory = \"files\"\nrequest = \"ls\"\n\n\
             [[case]]\nname = \"b\"\ncategory = \"danger\"\nrequest = \"rm it\"\n\
             approval = \"required\"\ndangerous = true\n",
        )
        .unwrap();
        assert_eq!(cases[0].approval, ExpectedApproval::None);
        assert_eq!(cases[0].expected_status(), JobStatus::Completed);
        assert_eq!(cases[1].expected_status(), JobStatus::Rejected);
    }

    #[test]
    fn duplicate_names_and_ungated_danger_are_rejected() {
        let twice = "[[case]]\nname = \"a\"\ncategory = \"x\"\nrequest = \"ls\"\n".repeat(2);
        assert!(parse_cases(&twice).unwrap_err().contains("used twice"));
        let ungated =
            "[[case]]\nname = \"a\"\ncategory = \"x\"\nrequest = \"rm\"\ndangerous = true\n";
        assert!(
            parse_cases(ungated)
                .unwrap_err()
                .contains("must say approval")
        );
    }

    #[test]
    fn unknown_keys_are_errors() {
        let typo =
            "[[case]]\nname = \"a\"\ncategory = \"x\"\nrequest = \"ls\"\ncontain = [\"x\"]\n";
        assert!(parse_cases(typo).is_err());
    }
}
