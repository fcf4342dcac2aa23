//! Editing the text of one file in place: replacing a value (`sed -i` with
//! the old and new text escaped as literals) and appending a line. The
//! engine asks for approval like for any in-place edit, and Undo restores
//! the file from the job's snapshot.

use crate::plan::{Plan, SafetyLevel};

use super::intent::{Effect, Intent};
use super::query::Query;
use super::quote::quote;
use super::steps::{arg, bash, plan, read, text};

/// The intents of this module.
pub(super) const INTENTS: &[Intent] = &[
    Intent {
        name: "replace_in_file",
        effect: Effect::Changes,
        examples: &[
            "replace localhost with 127.0.0.1 in config.ini",
            "change 'debug = true' to 'debug = false' in settings.toml",
        ],
        all: &[
            &["replace", "substitute", "change", "swap", "sed"],
            &["with", "to", "by", "for"],
            &["<file>"],
        ],
        any: &["every", "all", "occurrence*"],
        none: &[
            "name of",
            "rename",
            "permission*",
            "branch*",
            "directory",
            "owner",
            // "change the extension of notes.md to .txt" renames.
            "extension*",
        ],
        build: replace_in_file,
    },
    Intent {
        name: "append_text",
        effect: Effect::Changes,
        examples: &[
            "append 'hello world' to notes.txt",
            "add the line 'export EDITOR=vim' to ~/.bashrc",
        ],
        all: &[
            &["append", "add"],
            &["<quoted>"],
            &["to", "into", "end of"],
            // `~/.bashrc` is a path, not a name with an extension.
            &["<file>", "<path>"],
        ],
        any: &["line", "text", "end"],
        none: &[
            "prefix", "suffix", "name*", "branch*", "commit*", "git", "stage", "tag*", "remote",
        ],
        build: append_text,
    },
];

fn append_text(query: &Query<'_>) -> Result<Plan, String> {
    let quoted = query.quoted();
    let [line] = quoted.as_slice() else {
        return Err(
            "quote the one line to add, e.g. \"append 'hello world' to notes.txt\".".to_owned(),
        );
    };
    let file = query
        .path_after(&["to", "into", "of"])
        .map(|(_, path)| path)
        .ok_or("say which file gets the line, e.g. \"append 'hello world' to notes.txt\".")?;
    let summary = format!("Add the line {} at the end of {}", quote(line), text(&file));
    Ok(plan(
        summary.clone(),
        vec![bash(
            summary,
            format!("printf '%s\\n' {} >> {}", quote(line), arg(&file)),
            SafetyLevel::Moderate,
        )],
        "The line is added after the last one; a missing file is created with just that line.",
    ))
}

fn replace_in_file(query: &Query<'_>) -> Result<Plan, String> {
    let missing = || {
        "say what to replace, with what and in which file, e.g. \"replace localhost with 127.0.0.1 in config.ini\".".to_owned()
    };
    let file_index = query.file_index().ok_or_else(missing)?;
    let file = query.resolve(&query.tokens[file_index].raw);
    let quoted = query.quoted();
    let (old, new) = if quoted.len() >= 2 {
        (quoted[0].to_owned(), quoted[1].to_owned())
    } else {
        let start = (0..query.tokens.len())
            .find(|&index| {
                matches!(
                    query.lower(index),
                    "replace" | "substitute" | "change" | "swap" | "sed"
                )
            })
            .ok_or_else(missing)?;
        let joiner = (start + 1..query.tokens.len())
            .find(|&index| matches!(query.lower(index), "with" | "to" | "by" | "for"))
            .ok_or_else(missing)?;
        let old = value_words(query, start + 1, joiner, file_index);
        let end = (joiner + 1..query.tokens.len())
            .find(|&index| {
                index == file_index || matches!(query.lower(index), "in" | "inside" | "within")
            })
            .unwrap_or(query.tokens.len());
        let new = value_words(query, joiner + 1, end, file_index);
        (old.ok_or_else(missing)?, new.ok_or_else(missing)?)
    };
    if old.contains('\n') || new.contains('\n') {
        return Err("replacing across lines is not supported.".to_owned());
    }
    let expression = format!("s/{}/{}/g", sed_pattern(&old), sed_replacement(&new));
    let summary = format!("Replace every \"{old}\" with \"{new}\" in {}", text(&file));
    Ok(plan(
        summary.clone(),
        vec![
            read(
                format!("Show the lines of {} that contain \"{old}\"", text(&file)),
                format!("grep -n -F -e {} -- {}", quote(&old), arg(&file)),
            ),
            bash(
                summary,
                format!("sed -i -e {} -- {}", quote(&expression), arg(&file)),
                SafetyLevel::Moderate,
            ),
        ],
        "The text is matched literally; every occurrence in the file is replaced.",
    ))
}

/// The words between `start` and `end` (a value to replace), skipping
/// "every"/"all"/"the word" and the file name; `None` when nothing is left.
fn value_words(query: &Query<'_>, start: usize, end: usize, file_index: usize) -> Option<String> {
    const SKIP: [&str; 9] = [
        "every",
        "all",
        "the",
        "word",
        "string",
        "text",
        "value",
        "occurrences",
        "of",
    ];
    let words: Vec<&str> = (start..end)
        .filter(|&index| index != file_index)
        .filter_map(|index| query.tokens.get(index))
        .filter(|token| token.is_quoted || !SKIP.contains(&token.lower.as_str()))
        .map(|token| token.raw.as_str())
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// `text` as a literal basic regular expression for sed with `/` delimiters.
fn sed_pattern(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if matches!(c, '\\' | '/' | '.' | '*' | '[' | ']' | '^' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `text` as a literal sed replacement.
fn sed_replacement(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if matches!(c, '\\' | '/' | '&') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{sed_pattern, sed_replacement};

    #[test]
    fn sed_values_are_literal() {
        assert_eq!(sed_pattern("a.b/c*"), r"a\.b\/c\*");
        assert_eq!(sed_replacement("x&y/z"), r"x\&y\/z");
    }
}
