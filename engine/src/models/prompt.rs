//! Building the [`Prompt`] a model plans from: the plan schema, the step kinds
//! (typed file actions preferred), the safety levels, the job's context
//! snapshot and the user's remembered preferences, with the request last.
//! The context arrives already trimmed and redacted; this module never reads
//! files, the environment or secrets.

use super::provider::Prompt;
use super::schema::{PLAN_TOOL_NAME, plan_schema};

/// What a prompt is built from.
#[derive(Debug, Clone, Copy)]
pub struct PromptInput<'a> {
    /// The user's request, verbatim.
    pub request: &'a str,
    /// The job's context snapshot (cwd, files, git, processes), already redacted.
    pub context: &'a serde_json::Value,
    /// Remembered preferences that matter for this request, in words.
    pub preferences: &'a [String],
}

const INSTRUCTIONS: &str = "\
You are the planner of DevOS, an assistant that turns a request about the \
user's own computer into a short plan of steps. You only plan: the engine \
rates every step's risk itself, asks the user for approval and runs the steps \
in a sandbox. Reply with the plan only, as one JSON object matching the schema \
below (through the `submit_plan` tool when it is offered), with no other text.

Step kinds:
- `fs`: a typed file action the engine performs itself, journaled so it can \
be undone. `action.op` is one of: `mkdir` {path}; `move` {from: [paths or \
globs], to_dir}; `rename` {from, to}; `copy` {from: [paths or globs], to_dir}; \
`write` {path, content} (the full new content); `organize` {dir} (sorts \
the files directly in dir into images/, documents/, code/, data/, archives/, \
audio/, video/ and other/); `trash` {paths, recursive} (moves into DevOS's \
trash, never deletes). Always prefer these for creating, \
moving, copying, renaming, writing or deleting files.
- `bash`: a script run by `bash -c` in the job's directory. Use it to read and \
inspect (ls, find, grep, git status, du) and for what no typed action covers.
- `python`: a program run by `python3 -c`, for data work that is awkward in bash.
- `aws`: a call the engine makes itself through the AWS SDK with the user's \
credentials: `service` and `operation` as in the schema, its parameters \
beside them, and `region` (null for the user's configured region, shown in \
the context). Always prefer it to the `aws` CLI. Deletions name keys, a \
prefix or a pattern; the engine shows the user exactly what would go.

Safety levels (the engine may raise yours, never lower it):
- `safe`: only reads.
- `moderate`: changes things in an undoable way inside the working directory.
- `destructive`: deletes, overwrites, changes things outside the working \
directory, or cannot be undone.

Rules: paths are relative to the job's directory (`cwd` in the context) unless \
absolute; `~` is the user's home. Keep plans short: one step when one step \
does it, at most 20. Never include secrets in commands. If the request cannot \
be done safely, return one `bash` step that echoes why, rated `safe`.";

/// Builds the prompt. Deterministic: the same input gives the same text.
pub fn build_prompt(input: &PromptInput<'_>) -> Prompt {
    let schema = plan_schema();
    // Compact: the schema is the largest part of every prompt, and tokens cost money.
    let schema_text = schema.to_string();
    // Compact too: the snapshot was trimmed to the token budget as compact JSON.
    let context_text = input.context.to_string();
    let preferences = if input.preferences.is_empty() {
        "- (none)".to_owned()
    } else {
        input
            .preferences
            .iter()
            .map(|p| format!("- {p}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let system = format!(
        "{INSTRUCTIONS}\n\nPlan JSON schema (tool `{PLAN_TOOL_NAME}`):\n{schema_text}\n\n\
         Context of this job (a snapshot; secrets removed):\n{context_text}\n\n\
         The user's remembered preferences:\n{preferences}"
    );
    Prompt {
        system,
        user: format!("Request: {}", input.request.trim()),
        schema,
    }
}

/// The prompt for a second try: the first prompt plus why the reply was
/// rejected and the rejected text, with the request repeated last.
pub fn with_correction(prompt: &Prompt, request: &str, reason: &str, reply: &str) -> Prompt {
    let shown = match reply.char_indices().nth(4_000) {
        Some((cut, _)) => &reply[..cut],
        None => reply,
    };
    Prompt {
        system: prompt.system.clone(),
        user: format!(
            "Your previous reply was not a valid plan: {reason}\n\
             Previous reply:\n{shown}\n\n\
             Reply again with only the corrected plan JSON.\n\n\
             Request: {}",
            request.trim()
        ),
        schema: prompt.schema.clone(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn prompt_for_a_fixed_input() {
        let context = json!({
            "cwd": "/home/u/proj",
            "files": {"rs": 12, "toml": 2},
            "git": {"branch": "main", "dirty": ["src/lib.rs"]},
        });
        let preferences = ["Use trash instead of rm".to_owned()];
        let prompt = build_prompt(&PromptInput {
            request: "rename every .jpeg to .jpg then list them",
            context: &context,
            preferences: &preferences,
        });
        assert!(
            prompt
                .user
                .ends_with("rename every .jpeg to .jpg then list them")
        );
        insta::assert_snapshot!("system", prompt.system);
        insta::assert_snapshot!("user", prompt.user);
    }

    #[test]
    fn correction_keeps_the_request_last() {
        let first = build_prompt(&PromptInput {
            request: "tidy up",
            context: &json!({}),
            preferences: &[],
        });
        let retry = with_correction(
            &first,
            "tidy up",
            "steps: a plan needs at least one step",
            "{}",
        );
        assert!(retry.user.contains("steps: a plan needs at least one step"));
        assert!(retry.user.ends_with("Request: tidy up"));
        assert_eq!(retry.system, first.system);
    }
}
