//! The words of a built-in plan as a person reads them: paths in the
//! interpretation, step descriptions and explanation are shown relative to
//! the job's folder (`src/main.rs`, "this folder") and the home as `~`.
//! Commands and typed actions keep their absolute paths; only prose changes.

use std::path::Path;

use crate::plan::Plan;

/// What the job's folder itself is called in prose.
const THIS_FOLDER: &str = "this folder";

/// Rewrites the prose of `plan` with paths relative to `cwd` and `home`.
pub(super) fn shorten_paths(plan: &mut Plan, cwd: &Path, home: &Path) {
    let shorten = |text: &str| shorten(text, cwd, home);
    plan.interpretation = shorten(&plan.interpretation);
    plan.explanation = shorten(&plan.explanation);
    for step in &mut plan.steps {
        step.description = shorten(&step.description);
    }
    for risk in &mut plan.risks {
        *risk = shorten(risk);
    }
}

/// `text` with every whole occurrence of `cwd` (then of `home`) replaced:
/// `cwd/x` becomes `x` and `cwd` alone "this folder"; `home/x` becomes
/// `~/x` and `home` alone `~`. A root path (`/`) is left alone.
fn shorten(text: &str, cwd: &Path, home: &Path) -> String {
    let mut text = text.to_owned();
    for (base, inside, alone) in [(cwd, "", THIS_FOLDER), (home, "~/", "~")] {
        let Some(base) = base.to_str().map(|b| b.trim_end_matches('/')) else {
            continue;
        };
        if !base.is_empty() {
            text = replace_path(&text, base, inside, alone);
        }
    }
    text
}

/// Replaces `base` where it stands as a whole path: not inside a longer
/// path (`/tmp/xy`, `/var/tmp/x`) and followed by `/` or a non-path character.
fn replace_path(text: &str, base: &str, inside: &str, alone: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(base) {
        let before = rest.get(..at).unwrap_or_default();
        let after = rest.get(at + base.len()..).unwrap_or_default();
        let starts_word = before.chars().next_back().is_none_or(|c| !is_path_char(c));
        out.push_str(before);
        if starts_word && let Some(tail) = after.strip_prefix('/') {
            let ends_here = ends_path(tail);
            out.push_str(if ends_here { alone } else { inside });
            rest = tail;
        } else if starts_word && ends_path(after) {
            out.push_str(alone);
            rest = after;
        } else {
            out.push_str(base);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Whether a path ends where `after` starts: at the end, at a character no
/// path continues with, or at a full stop that ends the sentence.
fn ends_path(after: &str) -> bool {
    let mut chars = after.chars();
    match chars.next() {
        None => true,
        Some('.') => chars.next().is_none_or(char::is_whitespace),
        Some(c) => !is_path_char(c),
    }
}

/// A character that can continue a path in prose.
fn is_path_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '~' | '+' | '@' | '*' | '?' | '[')
}

#[cfg(test)]
mod tests {
    use pretty_assertions::assert_eq;

    use super::*;

    #[test]
    fn paths_read_relative_to_the_job_folder_and_home() {
        let (cwd, home) = (Path::new("/home/u/proj"), Path::new("/home/u"));
        for (text, want) in [
            ("List files in /home/u/proj", "List files in this folder"),
            ("List files in /home/u/proj.", "List files in this folder."),
            ("Show /home/u/proj/src/main.rs", "Show src/main.rs"),
            ("Move /home/u/proj/ out", "Move this folder out"),
            ("Move /home/u/proj/*.log away", "Move *.log away"),
            ("Sort /home/u/Downloads", "Sort ~/Downloads"),
            ("Clean /home/u", "Clean ~"),
            ("Read /home/u/project/x", "Read ~/project/x"),
            ("Read /home/u/proj2/x", "Read ~/proj2/x"),
            (
                "Copy a.txt to /tmp/home/u/proj/b",
                "Copy a.txt to /tmp/home/u/proj/b",
            ),
            (
                "From /home/u/proj/a into \"/home/u/proj/my dir\"",
                "From a into \"my dir\"",
            ),
            ("Nothing here", "Nothing here"),
        ] {
            assert_eq!(shorten(text, cwd, home), want, "text: {text}");
        }
    }

    #[test]
    fn a_root_job_folder_leaves_prose_alone() {
        assert_eq!(
            shorten("List /etc and /", Path::new("/"), Path::new("/root")),
            "List /etc and /"
        );
    }
}
