//! The plan a planner produces (built-in or model) and the risk vocabulary
//! shared by every stage: safety levels and decisions. Plain data, no I/O.

use serde::{Deserialize, Serialize};

use crate::aws::AwsCall;

pub use protocol::{Decision, SafetyLevel};

/// A plan: what the planner understood and the steps to do it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// One sentence: what the request was understood to mean.
    pub interpretation: String,
    /// The steps, run in order.
    pub steps: Vec<Step>,
    /// Why these steps do what was asked.
    #[serde(default)]
    pub explanation: String,
    /// Risks the planner sees (the engine adds its own).
    #[serde(default)]
    pub risks: Vec<String>,
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// What this step does, for people.
    pub description: String,
    /// What runs.
    #[serde(flatten)]
    pub action: StepAction,
    /// The planner's own rating; the engine can only raise it.
    pub safety_level: SafetyLevel,
}

/// The kinds of step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepAction {
    /// A shell script run by `bash -c` in the job's directory.
    Bash {
        /// The script.
        command: String,
    },
    /// A Python program run by `python3 -c`.
    Python {
        /// The program text.
        command: String,
    },
    /// A typed file action the engine performs itself, journaled for undo.
    Fs {
        /// The action.
        action: FsAction,
    },
    /// A call to AWS that the engine makes itself through the AWS SDK.
    Aws {
        /// The region; the profile's or the environment's when omitted. The
        /// engine fills it in before approval, so a step runs where its card said.
        #[serde(default)]
        region: Option<String>,
        /// The service, the operation and its parameters.
        #[serde(flatten)]
        call: AwsCall,
    },
}

/// Typed file actions. Paths are relative to the job's directory unless absolute;
/// `~` means the user's home. Sources may be globs (`*.tmp`), which match regular
/// files only, non-recursively, and skip dotfiles unless the pattern starts with `.`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum FsAction {
    /// Create a directory (and missing parents).
    Mkdir {
        /// Directory to create.
        path: String,
    },
    /// Move files into a directory (created when missing), keeping their names.
    /// A name already taken gets a suffix (`a (1).txt`); nothing is overwritten.
    Move {
        /// Paths or globs to move.
        from: Vec<String>,
        /// Destination directory.
        to_dir: String,
    },
    /// Rename one file or directory; refuses when the new name is taken.
    Rename {
        /// Current path.
        from: String,
        /// New path.
        to: String,
    },
    /// Copy files into a directory, with the same collision rule as `move`.
    Copy {
        /// Paths or globs to copy.
        from: Vec<String>,
        /// Destination directory.
        to_dir: String,
    },
    /// Write a text file; an existing file is overwritten only after approval,
    /// and its previous content is kept for undo.
    Write {
        /// File to write.
        path: String,
        /// The full new content.
        content: String,
    },
    /// Sort the regular files directly in `dir` (dotfiles stay) into one
    /// folder per type, created as needed: `images`, `documents`, `code`,
    /// `data`, `archives`, `audio`, `video` and `other` (see
    /// [`FileCategory`](crate::context::FileCategory)). Names are kept, with
    /// the same collision rule as `move`.
    Organize {
        /// The folder to sort.
        dir: String,
    },
    /// Move files into DevOS's trash (never unlinked). Globs are expanded in the
    /// directory they name and, when `recursive`, in all its subdirectories.
    Trash {
        /// Paths or globs to trash.
        paths: Vec<String>,
        /// Also match globs in subdirectories.
        #[serde(default)]
        recursive: bool,
    },
}
