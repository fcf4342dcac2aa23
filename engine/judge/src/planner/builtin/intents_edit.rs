//! Intents that change one named file or a set of files in place: copy to a
//! new name, add a prefix or suffix, permissions, symlinks and replacing a
//! value. These are bash steps the engine rates (there is no typed action
//! for them); every piece of user text is quoted and operands follow `--`.

use std::path::{Path, PathBuf};

use crate::plan::{Plan, SafetyLevel};

use super::intent::{Effect, Intent};
use super::query::Query;
use super::quote::quote;
use super::steps::{arg, bash, plan, read, text};

/// The in-place file intents.
pub(super) const INTENTS: &[Intent] = &[
    Intent {
        name: "copy_as",
        effect: Effect::Copies,
        examples: &[
            "copy notes.txt to notes-backup.txt",
            "duplicate config.yaml as config.local.yaml",
        ],
        all: &[
            &["copy", "cp", "duplicate", "make a copy"],
            &["<file>"],
            &["<new_name>"],
        ],
        any: &["file"],
        none: &["branch*", "commit*", "<glob>"],
        build: copy_as,
    },
    Intent {
        name: "backup_file",
        effect: Effect::Copies,
        examples: &["make a backup of notes.txt", "back up config.yaml"],
        all: &[&["backup", "back up", "backup copy"], &["<file>"]],
        any: &["make", "copy"],
        none: &[
            "<new_name>",
            "<archive>",
            "zip",
            "tar*",
            "compress",
            "archive",
            "folder",
            "directory",
            "restore",
            "into",
            "to",
        ],
        build: backup_file,
    },
    Intent {
        name: "rename_affix",
        effect: Effect::Changes,
        examples: &[
            "add the prefix old_ to every .txt file",
            "add a suffix _v2 to all the pdfs",
        ],
        all: &[
            &[
                "prefix",
                "suffix",
                "prepend",
                "append",
                "start with",
                "end with",
            ],
            &["<pattern>", "file*", "everything", "all"],
        ],
        any: &["rename", "add"],
        none: &["line*", "branch*", "commit*"],
        build: rename_affix,
    },
    Intent {
        name: "change_extension",
        effect: Effect::Changes,
        examples: &[
            "rename all .txt files to .md",
            "change the extension of the .jpeg files to .jpg",
        ],
        all: &[&["rename", "change", "switch"], &["<extension_change>"]],
        any: &["extension*", "files", "all", "every"],
        // Converting a format is not renaming it.
        none: &["convert*", "prefix", "suffix", "branch*", "commit*"],
        build: change_extension,
    },
    Intent {
        name: "set_permissions",
        effect: Effect::Changes,
        examples: &[
            "make deploy.sh executable",
            "chmod 644 notes.txt",
            "give everyone full access to uploads recursively",
        ],
        all: &[&[
            "executable",
            "chmod",
            "permission*",
            "full access",
            "world writable",
            "world-writable",
            "read only",
            "read-only",
            "readonly",
            "+x",
            "runnable",
        ]],
        any: &["make", "file", "set", "give", "change"],
        none: &[
            "which", "list", "find", "show", "what are", "whats", "check",
        ],
        build: set_permissions,
    },
    Intent {
        name: "symlink",
        effect: Effect::Changes,
        examples: &[
            "create a symlink to /opt/tool/bin/tool called tool",
            "symlink config/dev.toml as config.toml",
        ],
        all: &[&[
            "symlink",
            "symbolic link",
            "soft link",
            "softlink",
            "ln -s",
            "link",
            "shortcut",
        ]],
        any: &["create", "make", "called", "named"],
        none: &[
            "hard link",
            "hardlink",
            "broken",
            "list",
            "find",
            "show",
            "which",
        ],
        build: symlink,
    },
];

/// The token after "to"/"as"/"into"/"called"/"named" when it is a file name
/// with an extension: a new name rather than a folder.
pub(super) fn new_name(query: &Query<'_>) -> Option<(usize, PathBuf)> {
    (0..query.tokens.len())
        .filter(|&index| {
            matches!(
                query.lower(index),
                "to" | "as" | "into" | "called" | "named"
            )
        })
        .map(|index| index + 1)
        .find(|&index| {
            query.tokens.get(index).is_some_and(|token| {
                query.is_path_like(index)
                    && !token.raw.ends_with('/')
                    && Path::new(&token.raw).extension().is_some()
                    && !query.is_glob(index)
            })
        })
        .map(|index| (index, query.resolve(&query.tokens[index].raw)))
}

/// The first named file other than the token at `skip`.
fn source_file(query: &Query<'_>, skip: Option<usize>) -> Option<PathBuf> {
    (0..query.tokens.len())
        .filter(|&index| Some(index) != skip)
        .find(|&index| {
            query.is_path_like(index)
                && !query.is_glob(index)
                && !query.tokens[index].raw.ends_with('/')
        })
        .map(|index| query.resolve(&query.tokens[index].raw))
}

fn copy_as(query: &Query<'_>) -> Result<Plan, String> {
    let (to_index, to) =
        new_name(query).ok_or("say the new name, e.g. \"copy a.txt to b.txt\".")?;
    let from = source_file(query, Some(to_index))
        .ok_or("say which file to copy, e.g. \"copy a.txt to b.txt\".")?;
    // A bare new name goes beside the original.
    let raw_to = &query.tokens[to_index].raw;
    let to = if raw_to.contains('/') || raw_to.starts_with('~') {
        to
    } else {
        from.parent().map_or(to, |parent| parent.join(raw_to))
    };
    Ok(copy_without_overwriting(
        &from,
        &to,
        "cp -n never overwrites: if the new name is taken, nothing is copied.",
    ))
}

/// One `cp -n` step from `from` to `to`.
fn copy_without_overwriting(from: &Path, to: &Path, explanation: &str) -> Plan {
    let summary = format!("Copy {} to {}", text(from), text(to));
    plan(
        summary.clone(),
        vec![bash(
            summary,
            format!("cp -n -- {} {}", arg(from), arg(to)),
            SafetyLevel::Moderate,
        )],
        explanation,
    )
}

fn backup_file(query: &Query<'_>) -> Result<Plan, String> {
    let from = source_file(query, None).ok_or("say which file, e.g. \"back up notes.txt\".")?;
    let name = from
        .file_name()
        .map(|name| format!("{}.bak", name.to_string_lossy()))
        .ok_or("say which file, e.g. \"back up notes.txt\".")?;
    let to = from.with_file_name(name);
    Ok(copy_without_overwriting(
        &from,
        &to,
        "The copy sits beside the original; cp -n never overwrites an older backup.",
    ))
}

fn rename_affix(query: &Query<'_>) -> Result<Plan, String> {
    let is_suffix = query.has_any(&["suffix", "append", "end with"]);
    let cue = if is_suffix {
        ["suffix", "append", "with"]
    } else {
        ["prefix", "prepend", "with"]
    };
    let affix = query
        .quoted()
        .first()
        .map(|quoted| (*quoted).to_owned())
        .or_else(|| affix_after(query, &cue))
        .ok_or("say the text to add, e.g. \"add the prefix old_ to every .txt file\".")?;
    if affix.contains('/') || affix.is_empty() {
        return Err("a prefix or suffix cannot contain `/`.".to_owned());
    }
    let dir = query.location();
    let patterns = query.name_patterns();
    let globs: Vec<String> = if patterns.is_empty() {
        vec!["*".to_owned()]
    } else {
        patterns
    };
    let glob_words: Vec<String> = globs.iter().map(|glob| glob_word(glob)).collect();
    let affix_word = quote(&affix);
    let new_name = if is_suffix {
        // "a.txt" becomes "a_v2.txt"; a name without an extension gets it at the end.
        format!(
            "case \"$f\" in *.*) n=\"${{f%.*}}\"{affix_word}.\"${{f##*.}}\" ;; *) n=\"$f\"{affix_word} ;; esac"
        )
    } else {
        format!("n={affix_word}\"$f\"")
    };
    let command = format!(
        "cd {} && for f in {}; do [ -f \"$f\" ] || continue; {new_name}; mv -n -- \"$f\" \"$n\"; done",
        arg(&dir),
        glob_words.join(" ")
    );
    let place = if is_suffix { "suffix" } else { "prefix" };
    let summary = format!(
        "Add the {place} {affix} to the names of {} in {}",
        globs.join(", "),
        text(&dir)
    );
    Ok(plan(
        summary.clone(),
        vec![
            read(
                format!("List the files that would be renamed in {}", text(&dir)),
                format!(
                    "find {} -maxdepth 1 -type f \\( {} \\)",
                    arg(&dir),
                    globs
                        .iter()
                        .map(|glob| format!("-name {}", quote(glob)))
                        .collect::<Vec<_>>()
                        .join(" -o ")
                ),
            ),
            bash(summary, command, SafetyLevel::Moderate),
        ],
        "Only files directly in the folder are renamed; mv -n never overwrites an existing name.",
    ))
}

/// The old and the new extension of "rename the .txt files to .md" or
/// "change the extension from jpeg to jpg", without dots: two different
/// extensions with "to" (or "into") between them.
pub(super) fn extension_change(query: &Query<'_>) -> Option<(String, String)> {
    let names_extensions = query.has_any(&["extension", "extensions"]);
    let extension_at = |index: usize| {
        let token = query.tokens.get(index)?;
        let lower = token.raw.to_lowercase();
        let bare = lower.trim_start_matches('*');
        let ext = match bare.strip_prefix('.') {
            Some(ext) => ext,
            // A bare word is an extension only in "from jpeg to jpg".
            None if names_extensions
                && index.checked_sub(1).is_some_and(|before| {
                    matches!(query.lower(before), "from" | "to" | "into")
                }) =>
            {
                bare
            }
            None => return None,
        };
        let is_extension = (1..=8).contains(&ext.len())
            && ext.chars().all(|c| c.is_ascii_alphanumeric())
            && !token.is_quoted;
        is_extension.then(|| ext.to_owned())
    };
    let to = (0..query.tokens.len()).find(|&index| matches!(query.lower(index), "to" | "into"))?;
    let old = (0..to).rev().find_map(extension_at)?;
    let new = extension_at(to + 1)?;
    (old != new).then_some((old, new))
}

fn change_extension(query: &Query<'_>) -> Result<Plan, String> {
    let (old, new) = extension_change(query)
        .ok_or("say both extensions, e.g. \"rename all .txt files to .md\".")?;
    if query.has_any(&["recursive*", "subfolders", "subdirectories", "everywhere"]) {
        return Err(
            "the built-in planner renames extensions directly in one folder, not in its subfolders."
                .to_owned(),
        );
    }
    let dir = query.location();
    let glob = format!("*.{old}");
    let summary = format!("Rename the .{old} files in {} to .{new}", text(&dir));
    // Both extensions are letters and digits only, so they read the same in
    // bash's `${f%.old}` as typed.
    let command = format!(
        "cd {} && for f in {}; do [ -f \"$f\" ] || continue; mv -n -- \"$f\" \"${{f%.{old}}}.{new}\"; done",
        arg(&dir),
        glob_word(&glob),
    );
    Ok(plan(
        summary.clone(),
        vec![
            read(
                format!("List the .{old} files in {}", text(&dir)),
                format!(
                    "find {} -maxdepth 1 -type f -name {}",
                    arg(&dir),
                    quote(&glob)
                ),
            ),
            bash(summary, command, SafetyLevel::Moderate),
        ],
        "Only the extension changes, for files directly in the folder; mv -n never overwrites a name that is taken.",
    ))
}

/// A glob as a bash word that still expands: quote everything but `*` and `?`.
fn glob_word(glob: &str) -> String {
    let mut word = String::new();
    let mut plain = String::new();
    for c in glob.chars() {
        if matches!(c, '*' | '?') {
            if !plain.is_empty() {
                word.push_str(&quote(&plain));
                plain.clear();
            }
            word.push(c);
        } else {
            plain.push(c);
        }
    }
    if !plain.is_empty() {
        word.push_str(&quote(&plain));
    }
    word
}

fn affix_after(query: &Query<'_>, cues: &[&str]) -> Option<String> {
    const SKIP: [&str; 5] = ["the", "a", "an", "of", "with"];
    const NOT_AFFIXES: [&str; 9] = [
        "to", "on", "for", "every", "all", "files", "file", "them", "their",
    ];
    (0..query.tokens.len())
        .filter(|&index| cues.contains(&query.lower(index)))
        .find_map(|anchor| {
            query
                .tokens
                .iter()
                .skip(anchor + 1)
                .find(|token| token.is_quoted || !SKIP.contains(&token.lower.as_str()))
                .filter(|token| {
                    token.is_quoted
                        || !(NOT_AFFIXES.contains(&token.lower.as_str())
                            || token.lower.starts_with('*')
                            || token.lower.starts_with('.'))
                })
                .map(|token| token.raw.clone())
        })
}

fn set_permissions(query: &Query<'_>) -> Result<Plan, String> {
    let recursive = query.has_any(&[
        "recursively",
        "recursive",
        "-r",
        "subfolders",
        "everything in",
    ]);
    let mode = permission_mode(query).ok_or(
        "say the permission, e.g. \"make deploy.sh executable\" or \"chmod 644 notes.txt\".",
    )?;
    let target = permission_target(query)
        .ok_or("say which file or folder, e.g. \"make deploy.sh executable\".")?;
    let flag = if recursive { "-R " } else { "" };
    let level = if mode == "777" || mode == "666" || recursive {
        SafetyLevel::Destructive
    } else {
        SafetyLevel::Moderate
    };
    let summary = format!(
        "Set the permissions of {}{} to {mode}",
        text(&target),
        if recursive {
            " and everything under it"
        } else {
            ""
        }
    );
    let mut result = plan(
        summary.clone(),
        vec![bash(
            summary,
            format!("chmod {flag}{mode} -- {}", arg(&target)),
            level,
        )],
        "chmod changes permission bits only; contents are untouched.",
    );
    if mode == "777" || mode == "666" {
        result
            .risks
            .push("Everyone on this machine could then change these files.".to_owned());
    }
    Ok(result)
}

/// A chmod mode: an octal number, `+x`-style symbols or the words people use.
fn permission_mode(query: &Query<'_>) -> Option<String> {
    let octal = query.tokens.iter().find(|token| {
        (3..=4).contains(&token.lower.len())
            && token.lower.chars().all(|c| ('0'..='7').contains(&c))
    });
    if let Some(token) = octal {
        return Some(token.lower.clone());
    }
    let symbolic = query.tokens.iter().find(|token| {
        let raw = token.raw.as_str();
        raw.len() <= 6 && raw.contains(['+', '=']) && raw.chars().all(|c| "ugoa+-=rwxX".contains(c))
    });
    if let Some(token) = symbolic {
        return Some(token.raw.clone());
    }
    if query.has_any(&[
        "full access",
        "world writable",
        "world-writable",
        "everyone",
    ]) {
        return Some("777".to_owned());
    }
    if query.has_any(&["not executable", "non-executable", "remove execute"]) {
        return Some("-x".to_owned());
    }
    if query.has_any(&[
        "executable",
        "runnable",
        "execute permission*",
        "run permission*",
    ]) {
        return Some("+x".to_owned());
    }
    if query.has_any(&["read only", "read-only", "readonly"]) {
        return Some("a-w".to_owned());
    }
    None
}

fn permission_target(query: &Query<'_>) -> Option<PathBuf> {
    let is_mode = |raw: &str| raw.chars().all(|c| "ugoa+-=rwxX01234567".contains(c));
    (0..query.tokens.len())
        .find(|&index| {
            query.is_path_like(index) && !query.is_glob(index) && !is_mode(&query.tokens[index].raw)
        })
        .map(|index| query.resolve(&query.tokens[index].raw))
        .or_else(|| {
            query
                .path_after(&["on", "of", "to", "for", "in", "make"])
                .map(|(_, path)| path)
        })
        .or_else(|| {
            let mode = (0..query.tokens.len()).rev().find(|&index| {
                let raw = &query.tokens[index].raw;
                raw.chars().any(|c| c.is_ascii_digit() || c == '+') && is_mode(raw)
            })?;
            let token = query.tokens.get(mode + 1)?;
            let is_word = token
                .lower
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
            (is_word && !token.lower.is_empty()).then(|| query.resolve(&token.raw))
        })
}

fn symlink(query: &Query<'_>) -> Result<Plan, String> {
    let missing = || {
        "say what the link points to, e.g. \"create a symlink to /opt/tool/bin/tool called tool\"."
            .to_owned()
    };
    let named = query.path_after(&["called", "named", "as", "at"]);
    let named_index = named.as_ref().map(|(index, _)| *index);
    let from_to = query.path_after(&["from"]);
    // "symlink docs as documentation": the word after the verb is the target.
    let pointing = query.path_after(&["to", "for", "pointing"]).or_else(|| {
        query
            .path_after(&["symlink", "link", "ln", "-s"])
            .filter(|(index, _)| Some(*index) != named_index)
    });
    let (link, target) = match (from_to, pointing, named) {
        (Some((_, link)), Some((_, target)), _) => (link, target),
        (_, Some((target_index, target)), Some((link_index, link)))
            if target_index != link_index =>
        {
            (link, target)
        }
        (_, Some((target_index, target)), None) => {
            let name = query.tokens[target_index].raw.trim_end_matches('/');
            let base = Path::new(name).file_name().ok_or_else(missing)?;
            (query.resolve(".").join(base), target)
        }
        _ => {
            let target = source_file(query, None).ok_or_else(missing)?;
            let base = target.file_name().ok_or_else(missing)?.to_owned();
            (query.resolve(".").join(base), target)
        }
    };
    if link == target {
        return Err(missing());
    }
    let summary = format!(
        "Create the symbolic link {} → {}",
        text(&link),
        text(&target)
    );
    Ok(plan(
        summary.clone(),
        vec![bash(
            summary,
            format!("ln -s -- {} {}", arg(&target), arg(&link)),
            SafetyLevel::Moderate,
        )],
        "ln -s refuses when the link name is already taken.",
    ))
}

#[cfg(test)]
mod tests {
    use super::glob_word;

    #[test]
    fn glob_words_quote_all_but_wildcards() {
        assert_eq!(glob_word("*.txt"), "*.txt");
        assert_eq!(glob_word("my file*.txt"), "'my file'*.txt");
    }
}
