//! Intents over the lines of one text file: sort or dedupe (into another file
//! or to the screen), extract matching lines, sum or average a column. Reads
//! print; writing the result goes to a new file named in the request.

use std::path::PathBuf;

use crate::plan::{Plan, SafetyLevel};

use super::intent::{Effect, Intent};
use super::intents_edit::new_name;
use super::intents_text::search_pattern;
use super::query::Query;
use super::quote::quote;
use super::steps::{arg, bash, plan, read, text};

/// The line intents.
pub(super) const INTENTS: &[Intent] = &[
    Intent {
        name: "sort_lines",
        effect: Effect::Changes,
        examples: &[
            "sort names.txt into sorted.txt",
            "remove duplicate lines from emails.txt and save to unique.txt",
        ],
        all: &[
            &[
                "sort",
                "dedup*",
                "duplicate line*",
                "duplicated line*",
                "duplicates",
                "unique",
                "uniq",
                "dupes",
                "repeated line*",
            ],
            &["<file>"],
        ],
        any: &["lines", "save", "into", "alphabetically"],
        none: &[
            "files",
            "by size",
            "largest",
            "biggest",
            "folders",
            "director*",
            "type",
            "organi*",
            "process*",
        ],
        build: sort_lines,
    },
    Intent {
        name: "extract_lines",
        effect: Effect::Changes,
        examples: &[
            "extract the lines containing ERROR from app.log into errors.txt",
            "save lines with timeout in server.log to timeouts.txt",
        ],
        all: &[
            &[
                "extract", "save", "pull out", "copy", "write", "put", "lines", "grep",
            ],
            &["lines", "line"],
            &["<file>"],
            &["<new_name>"],
        ],
        any: &["containing", "with", "matching"],
        none: &[
            "first",
            "last",
            "count",
            "how many",
            "sort",
            "dedup*",
            "duplicate*",
        ],
        build: extract_lines,
    },
    Intent {
        name: "count_matches",
        effect: Effect::Reads,
        examples: &[
            "how many times does TODO appear in src",
            "how many lines contain ERROR in app.log",
        ],
        all: &[
            &["how many", "count", "number of"],
            &[
                "times",
                "matches",
                "occurrences",
                "occurrence",
                "contain",
                "containing",
                "appear*",
                "mention*",
                "with",
                "<line_pattern>",
            ],
        ],
        any: &["in"],
        none: &["files", "file", "words", "<size>", "<age>"],
        build: count_matches,
    },
    Intent {
        name: "sum_column",
        effect: Effect::Reads,
        examples: &[
            "sum the second column of data.csv",
            "average of column 3 in scores.txt",
        ],
        all: &[
            &["sum", "total", "add up", "average", "mean", "avg"],
            &["column", "field", "col"],
            &["<file>"],
        ],
        any: &["of", "in"],
        none: &["size", "lines", "words", "disk"],
        build: sum_column,
    },
];

fn input_and_output(query: &Query<'_>) -> Option<(PathBuf, Option<PathBuf>)> {
    let output = new_name(query);
    let output_index = output.as_ref().map(|(index, _)| *index);
    let input = (0..query.tokens.len())
        .filter(|&index| Some(index) != output_index)
        .find(|&index| query.is_path_like(index) && !query.is_glob(index))
        .map(|index| query.resolve(&query.tokens[index].raw))?;
    Some((input, output.map(|(_, path)| path)))
}

/// `sort`'s field options for "by column 2" / "by the third field" (comma
/// separated in a `.csv`, tab in a `.tsv`); an error for "by age" or any
/// other key it cannot find in the lines, since sorting whole lines instead
/// would not be what was asked.
fn sort_key(query: &Query<'_>, input: &std::path::Path) -> Result<String, String> {
    const WHOLE_LINE_KEYS: [&str; 9] = [
        "number", "numbers", "value", "values", "name", "names", "line", "lines", "alphabet",
    ];
    if let Some(column) = column_number(query).filter(|&column| column > 0) {
        if column > 1000 {
            return Err("that column number is too large.".to_owned());
        }
        let name = text(input).to_lowercase();
        let separator = if name.ends_with(".csv") {
            " -t,"
        } else if name.ends_with(".tsv") {
            " -t$'\\t'"
        } else {
            ""
        };
        return Ok(format!("{separator} -k{column},{column}"));
    }
    let by_key = (0..query.tokens.len())
        .filter(|&index| query.lower(index) == "by")
        .map(|index| {
            let next = query.lower(index + 1);
            if next == "the" {
                query.lower(index + 2)
            } else {
                next
            }
        })
        .find(|key| !WHOLE_LINE_KEYS.contains(key) && !key.is_empty());
    match by_key {
        Some(key) => Err(format!(
            "it sorts whole lines or a numbered column, and cannot tell which column \"{key}\" \
             is; say e.g. \"sort data.csv by column 2\"."
        )),
        None => Ok(String::new()),
    }
}

fn sort_lines(query: &Query<'_>) -> Result<Plan, String> {
    let (input, output) = input_and_output(query)
        .ok_or("say which file, e.g. \"sort names.txt into sorted.txt\".")?;
    let dedupe = query.has_any(&[
        "dedup*",
        "duplicate*",
        "unique",
        "uniq",
        "dupes",
        "repeated",
    ]);
    let only_dedupe = dedupe && !query.has("sort*");
    let mut flags = sort_key(query, &input)?;
    if query.has_any(&["numeric*", "numbers", "by number"]) {
        flags.push_str(" -n");
    }
    if query.has_any(&["reverse", "descending", "z to a", "largest first"]) {
        flags.push_str(" -r");
    }
    if dedupe {
        flags.push_str(" -u");
    }
    let what = match (dedupe, only_dedupe) {
        (true, true) => "Remove duplicate lines from",
        (true, false) => "Sort and dedupe the lines of",
        _ => "Sort the lines of",
    };
    let sorted = format!("sort{flags} -- {}", arg(&input));
    if dedupe && query.has_any(&["how many", "count", "number of"]) {
        let summary = format!("Count the distinct lines of {}", text(&input));
        return Ok(plan(
            summary.clone(),
            vec![read(summary, format!("{sorted} | wc -l"))],
            "Each line is counted once however often it repeats; the file is not changed.",
        ));
    }
    let Some(output) = output else {
        let summary = format!("{what} {} and show the result", text(&input));
        return Ok(plan(
            summary.clone(),
            vec![read(summary, sorted)],
            "The file itself is not changed; name an output file to save the result.",
        ));
    };
    let summary = format!("{what} {} into {}", text(&input), text(&output));
    Ok(plan(
        summary.clone(),
        vec![bash(
            summary,
            format!("{sorted} > {}", arg(&output)),
            SafetyLevel::Moderate,
        )],
        if only_dedupe {
            "Duplicate lines are removed (the result is sorted); the original file is left as it is."
        } else {
            "The original file is left as it is."
        },
    ))
}

fn extract_lines(query: &Query<'_>) -> Result<Plan, String> {
    let missing = || {
        "say the text, the file and where to save, e.g. \"extract lines containing ERROR from app.log into errors.txt\".".to_owned()
    };
    let (input, output) = input_and_output(query).ok_or_else(missing)?;
    let output = output.ok_or_else(missing)?;
    let pattern = query
        .quoted()
        .first()
        .map(|quoted| (*quoted).to_owned())
        .or_else(|| {
            query
                .name_after(&[
                    "containing",
                    "with",
                    "matching",
                    "contain",
                    "mentioning",
                    "have",
                    "has",
                ])
                .filter(|word| !matches!(word.to_lowercase().as_str(), "the" | "a" | "word"))
        })
        .ok_or_else(missing)?;
    let ignore_case = query.has_any(&[
        "ignore case",
        "case insensitive",
        "case-insensitive",
        "any case",
    ]);
    let flag = if ignore_case { " -i" } else { "" };
    let summary = format!(
        "Save the lines of {} containing \"{pattern}\" into {}",
        text(&input),
        text(&output)
    );
    Ok(plan(
        summary.clone(),
        vec![bash(
            summary,
            format!(
                "grep -F{flag} -e {} -- {} > {}",
                quote(&pattern),
                arg(&input),
                arg(&output)
            ),
            SafetyLevel::Moderate,
        )],
        "The text is matched literally; the original file is left as it is.",
    ))
}

/// Ordinal and cardinal words for small column numbers.
const ORDINALS: [(&str, u32); 10] = [
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("last", 0),
];

fn column_number(query: &Query<'_>) -> Option<u32> {
    for (index, token) in query.tokens.iter().enumerate() {
        let word = token.lower.as_str();
        if let Some((_, n)) = ORDINALS.iter().find(|(name, _)| *name == word) {
            return Some(*n);
        }
        let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let is_ordinal =
            digits.len() < word.len() && matches!(&word[digits.len()..], "st" | "nd" | "rd" | "th");
        if is_ordinal && let Ok(n) = digits.parse::<u32>() {
            return Some(n);
        }
        if matches!(
            query.lower(index.wrapping_sub(1)),
            "column" | "field" | "col"
        ) && let Ok(n) = word.parse::<u32>()
        {
            return Some(n);
        }
    }
    None
}

fn sum_column(query: &Query<'_>) -> Result<Plan, String> {
    let file = query
        .file_index()
        .map(|index| query.resolve(&query.tokens[index].raw))
        .ok_or("say which file, e.g. \"sum the second column of data.csv\".")?;
    let column = column_number(query)
        .ok_or("say which column, e.g. \"sum the second column of data.csv\".")?;
    if column > 1000 {
        return Err("that column number is too large.".to_owned());
    }
    let is_average = query.has_any(&["average", "mean", "avg"]);
    let name = text(&file).to_lowercase();
    let separator = if name.ends_with(".csv") {
        " -F,"
    } else if name.ends_with(".tsv") {
        " -F'\\t'"
    } else {
        ""
    };
    let field = if column == 0 {
        "$NF".to_owned()
    } else {
        format!("${column}")
    };
    let which = if column == 0 {
        "last".to_owned()
    } else {
        format!("number {column}")
    };
    let program = if is_average {
        format!("{{ s += {field}; n++ }} END {{ if (n) print s / n }}")
    } else {
        format!("{{ s += {field} }} END {{ print s }}")
    };
    let what = if is_average { "Average" } else { "Sum" };
    let summary = format!("{what} of column {which} in {}", text(&file));
    Ok(plan(
        summary.clone(),
        vec![read(
            summary,
            format!("awk{separator} {} {}", quote(&program), arg(&file)),
        )],
        "Values that are not numbers (a header row, say) count as 0.",
    ))
}

/// The words between the counting words and "lines" in "how many ERROR
/// lines", "the number of ERROR or WARN lines", "how many blank lines".
pub(super) enum LineQualifier {
    /// A pattern to count: (text, whether it is an extended regex, whether
    /// case is ignored).
    Pattern(String, bool, bool),
    /// A word this planner cannot count by ("long lines", "unique lines").
    Unclear,
}

/// The qualifier of the counted lines; `None` when nothing stands between
/// the counting words and "lines" or it names a kind of file ("rust
/// lines", "lines of code").
pub(super) fn line_qualifier(query: &Query<'_>) -> Option<LineQualifier> {
    const FILLER: [&str; 5] = ["the", "all", "of", "total", "are"];
    const LOG_LEVELS: [&str; 9] = [
        "error", "errors", "warn", "warning", "info", "debug", "fatal", "critical", "trace",
    ];
    let lines =
        (1..query.tokens.len()).find(|&index| matches!(query.lower(index), "lines" | "line"))?;
    let start = (0..lines)
        .rev()
        .find(|&index| matches!(query.lower(index), "many" | "count" | "number"))?;
    let words: Vec<&super::query::Token> = query.tokens[start + 1..lines]
        .iter()
        .filter(|token| !FILLER.contains(&token.lower.as_str()))
        .collect();
    if words.is_empty()
        || words.iter().any(|token| {
            matches!(token.lower.as_str(), "code" | "source")
                || !super::slots::extensions_for(&token.lower, true).is_empty()
        })
    {
        return None;
    }
    if let [only] = words.as_slice() {
        match only.lower.as_str() {
            "blank" | "empty" => {
                return Some(LineQualifier::Pattern(
                    "^[[:space:]]*$".to_owned(),
                    true,
                    false,
                ));
            }
            "non-empty" | "nonempty" | "non-blank" | "nonblank" => {
                return Some(LineQualifier::Pattern(
                    "[^[:space:]]".to_owned(),
                    true,
                    false,
                ));
            }
            _ => {}
        }
    }
    let terms: Vec<&super::query::Token> = words
        .into_iter()
        .filter(|token| !matches!(token.lower.as_str(), "and" | "or"))
        .collect();
    // A term is text to find when it is quoted, not plain lowercase
    // ("ERROR", "E0308", "#[test]") or a log level; "long" or "unique"
    // describe lines instead.
    let is_text = |token: &&super::query::Token| {
        token.is_quoted
            || token.raw != token.lower
            || !token.lower.chars().all(char::is_alphabetic)
            || LOG_LEVELS.contains(&token.lower.as_str())
    };
    if terms.is_empty() || !terms.iter().all(is_text) {
        return Some(LineQualifier::Unclear);
    }
    let ignore_case = terms
        .iter()
        .all(|token| !token.is_quoted && LOG_LEVELS.contains(&token.raw.as_str()));
    Some(match terms.as_slice() {
        [one] => LineQualifier::Pattern(one.raw.clone(), false, ignore_case),
        several => LineQualifier::Pattern(
            several
                .iter()
                .map(|term| super::intents_text::ere_literal(&term.raw))
                .collect::<Vec<_>>()
                .join("|"),
            true,
            ignore_case,
        ),
    })
}

fn count_matches(query: &Query<'_>) -> Result<Plan, String> {
    let (pattern, is_regex, ignore_case) = match line_qualifier(query) {
        Some(LineQualifier::Pattern(found, is_regex, ignore_case)) => {
            (found, is_regex, ignore_case)
        }
        Some(LineQualifier::Unclear) => {
            return Err("say the text the lines contain, in quotes, e.g. how many lines contain \"ERROR\" in app.log.".to_owned());
        }
        None => {
            let (found, is_regex) = search_pattern(query)?;
            (found, is_regex, false)
        }
    };
    let flag = match (is_regex, ignore_case) {
        (true, false) => "-E",
        (false, false) => "-F",
        (true, true) => "-E -i",
        (false, true) => "-F -i",
    };
    let per_line = query.has_any(&["lines", "line"]);
    if let Some(index) = query.file_index() {
        let file = query.resolve(&query.tokens[index].raw);
        let (what, command) = if per_line {
            (
                format!(
                    "Count the lines of {} containing \"{pattern}\"",
                    text(&file)
                ),
                format!("grep -c {flag} -e {} -- {}", quote(&pattern), arg(&file)),
            )
        } else {
            (
                format!("Count the occurrences of \"{pattern}\" in {}", text(&file)),
                format!(
                    "grep -o {flag} -e {} -- {} | wc -l",
                    quote(&pattern),
                    arg(&file)
                ),
            )
        };
        return Ok(plan(
            what.clone(),
            vec![read(what, command)],
            "grep finds the matches, nothing is changed.",
        ));
    }
    let dir = query
        .path_after(&["in", "under", "inside", "within"])
        .map_or_else(|| query.resolve("."), |(_, dir)| dir);
    let what = format!(
        "Count the occurrences of \"{pattern}\" in the files under {}",
        text(&dir)
    );
    Ok(plan(
        what.clone(),
        vec![read(
            what,
            format!(
                "grep -r -o {flag} -e {} -- {} | wc -l",
                quote(&pattern),
                arg(&dir)
            ),
        )],
        "grep finds the matches, nothing is changed.",
    ))
}
