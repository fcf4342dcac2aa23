//! The risk vocabulary: how much harm a step can do and what happens to it.
//! The engine decides both; everything else only shows them.

use serde::{Deserialize, Serialize};

/// How much harm a step can do. Ordered so that the strictest wins with `max()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SafetyLevel {
    /// Reads only.
    Safe,
    /// Changes things in an undoable way, or writes inside the write roots.
    Moderate,
    /// Deletes, overwrites, escapes the write roots, or cannot be understood.
    Destructive,
}

impl SafetyLevel {
    /// Every level, mildest first.
    pub const ALL: [Self; 3] = [Self::Safe, Self::Moderate, Self::Destructive];

    /// The lowercase name used on the wire and on cards.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Safe => "safe",
            Self::Moderate => "moderate",
            Self::Destructive => "destructive",
        }
    }
}

crate::wire_name!(SafetyLevel, "safety level");

/// What happens to a step. Ordered so that the strictest wins with `max()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Runs without asking.
    Allow,
    /// Needs a person's approval.
    Prompt,
    /// Never runs.
    Forbid,
}

impl Decision {
    /// Every decision, most permissive first.
    pub const ALL: [Self; 3] = [Self::Allow, Self::Prompt, Self::Forbid];

    /// The lowercase name used on the wire and on cards.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::Prompt => "prompt",
            Self::Forbid => "forbid",
        }
    }
}

crate::wire_name!(Decision, "decision");
