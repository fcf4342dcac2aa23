//! Parsing bash into the simple commands it would run. `shell` parses; it never
//! rates or executes (that is `risk` and the sandbox).
//!
//! The parser is tree-sitter-bash and it fails closed: only node kinds listed
//! here are accepted, and a syntax error or an unknown kind is a [`ParseError`]
//! that callers must treat as destructive. It descends into pipelines, lists,
//! subshells, control flow, command and process substitutions, and sees through
//! wrappers (`sudo`, `env`, `timeout`, `xargs`, `find -exec`, `bash -c`,
//! `eval`, …) so that the command that really runs is the one reported.

use tree_sitter::{Node, Parser};

/// How deeply `bash -c` / `eval` strings may nest before we give up.
const MAX_DEPTH: usize = 8;

/// One simple command with its flags normalized, ready to be rated or matched.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimpleCommand {
    /// Program name: the basename of the unquoted first word (`\rm`, `/bin/rm`
    /// and `r""m` are all `rm`). Contains `$` or `` ` `` when it is computed.
    pub program: String,
    /// Normalized flags in order of appearance, without duplicates.
    pub flags: Vec<Flag>,
    /// Positional arguments (operands and subcommands), unquoted.
    pub args: Vec<String>,
    /// Redirections on this command or on a compound statement around it.
    pub redirects: Vec<Redirect>,
    /// Wrappers seen through, outermost first (`sudo`, `env`, `xargs`, `bash -c`, …).
    pub wrappers: Vec<String>,
    /// Names of `NAME=value` assignments made for this command.
    pub assignments: Vec<String>,
    /// Program of the previous pipeline stage when this command reads a pipe.
    pub stdin_from: Option<String>,
    /// Name of the shell function whose body contains this command.
    pub in_function: Option<String>,
    /// More arguments are supplied at run time (`xargs`, `find -exec … {}`).
    pub has_runtime_args: bool,
}

/// A normalized flag: `-r`, `--recursive` and `-R` of `rm` are all `-r`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// Canonical name with its dashes (`-r`, `--hard`, `-exec` for `find`).
    pub name: String,
    /// The flag's value when it takes one (`-m msg`, `--output=f`).
    pub value: Option<String>,
}

/// What a redirection does with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectKind {
    /// `<`, here-documents and here-strings.
    Read,
    /// `>`, `>|`, `&>`, `<>`: creates or truncates the target.
    Write,
    /// `>>`, `&>>`: appends to the target.
    Append,
    /// `>&2`, `2>&1`, `<&0`: duplicates a descriptor, touches no file.
    Duplicate,
}

/// One redirection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// What it does.
    pub kind: RedirectKind,
    /// The unquoted target word (a path, a descriptor number, or the here-doc text).
    pub target: String,
}

impl RedirectKind {
    /// Whether the target file is created or modified.
    pub fn is_write(self) -> bool {
        matches!(self, Self::Write | Self::Append)
    }
}

/// Why a script could not be understood. Callers treat it as destructive.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The script has a syntax error (tree-sitter found an error or missing node).
    #[error("the script has a syntax error near `{0}`")]
    Syntax(String),
    /// The script uses shell syntax the engine does not analyse.
    #[error("unsupported shell syntax: {0}")]
    Unsupported(String),
    /// `bash -c`/`eval` strings nest deeper than the engine follows.
    #[error("shell strings nest more than {MAX_DEPTH} levels deep")]
    TooDeep,
    /// The parser could not be set up or gave no tree; retrying does not help.
    #[error("the shell parser failed")]
    Parser,
}

impl SimpleCommand {
    /// Whether the normalized flag `name` is present.
    pub fn has_flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f.name == name)
    }

    /// The value of the first flag called `name`, if it has one.
    pub fn flag_value(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .find(|f| f.name == name)
            .and_then(|f| f.value.as_deref())
    }

    /// The first positional argument, usually a subcommand (`git push`).
    pub fn subcommand(&self) -> Option<&str> {
        self.args.first().map(String::as_str)
    }
}

/// Whether a word's value is only known at run time (expansions, substitutions).
pub fn is_dynamic(word: &str) -> bool {
    word.contains('$') || word.contains('`') || word.contains("<(") || word.contains(">(")
}

/// Parses a script into every simple command it would run, in source order.
pub fn parse_commands(script: &str) -> Result<Vec<SimpleCommand>, ParseError> {
    parse_nested(script, 0, None)
}

fn parse_nested(
    script: &str,
    depth: usize,
    function: Option<String>,
) -> Result<Vec<SimpleCommand>, ParseError> {
    if depth > MAX_DEPTH {
        return Err(ParseError::TooDeep);
    }
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_bash::LANGUAGE.into())
        .map_err(|_| ParseError::Parser)?;
    let tree = parser.parse(script, None).ok_or(ParseError::Parser)?;
    let mut walker = Walker {
        src: script,
        depth,
        out: Vec::new(),
    };
    let ctx = Ctx {
        redirects: Vec::new(),
        stdin_from: None,
        function,
    };
    walker.walk(tree.root_node(), &ctx)?;
    Ok(walker.out)
}

/// What the surrounding syntax adds to every command below it.
#[derive(Clone)]
struct Ctx {
    redirects: Vec<Redirect>,
    stdin_from: Option<String>,
    function: Option<String>,
}

struct Walker<'s> {
    src: &'s str,
    depth: usize,
    out: Vec<SimpleCommand>,
}

fn children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.children(&mut cursor).collect()
}

impl<'s> Walker<'s> {
    fn text(&self, node: Node<'_>) -> &'s str {
        self.src.get(node.byte_range()).unwrap_or_default()
    }

    fn walk(&mut self, node: Node<'_>, ctx: &Ctx) -> Result<(), ParseError> {
        if node.is_error() || node.is_missing() {
            return Err(ParseError::Syntax(
                self.text(node).chars().take(40).collect(),
            ));
        }
        match node.kind() {
            "program"
            | "list"
            | "compound_statement"
            | "subshell"
            | "do_group"
            | "if_statement"
            | "elif_clause"
            | "else_clause"
            | "while_statement"
            | "for_statement"
            | "c_style_for_statement"
            | "case_statement"
            | "case_item"
            | "negated_command"
            | "test_command"
            | "binary_expression"
            | "unary_expression"
            | "ternary_expression"
            | "postfix_expression"
            | "parenthesized_expression"
            | "arithmetic_expansion"
            | "variable_assignments"
            | "array"
            | "subscript"
            | "string"
            | "concatenation"
            | "expansion"
            | "simple_expansion"
            | "translated_string"
            | "brace_expression"
            | "heredoc_body"
            | "command_name" => self.walk_children(node, ctx),
            "word"
            | "number"
            | "variable_name"
            | "special_variable_name"
            | "comment"
            | "test_operator"
            | "regex"
            | "extglob_pattern"
            | "file_descriptor"
            | "string_content"
            | "raw_string"
            | "ansi_c_string"
            | "heredoc_start"
            | "heredoc_end"
            | "heredoc_content" => Ok(()),
            "command_substitution" | "process_substitution" => {
                let inner = Ctx {
                    redirects: Vec::new(),
                    stdin_from: None,
                    function: ctx.function.clone(),
                };
                self.walk_children(node, &inner)
            }
            "pipeline" => self.walk_pipeline(node, ctx),
            "redirected_statement" => self.walk_redirected(node, ctx),
            "command" => self.walk_command(node, ctx),
            "variable_assignment" => self.walk_assignment(node, ctx),
            "declaration_command" | "unset_command" => self.walk_declaration(node, ctx),
            "function_definition" => self.walk_function(node, ctx),
            "file_redirect" | "heredoc_redirect" | "herestring_redirect" => {
                let redirect = self.redirect(node, ctx)?;
                let mut inner = ctx.clone();
                inner.redirects.push(redirect);
                self.emit(vec![":".to_owned()], Vec::new(), &inner)
            }
            // Anonymous tokens are punctuation and keywords; any other word is syntax we skip.
            kind if !node.is_named() => {
                if kind.chars().any(char::is_alphanumeric) && !KEYWORDS.contains(&kind) {
                    Err(ParseError::Unsupported(format!("`{kind}`")))
                } else {
                    Ok(())
                }
            }
            kind => Err(ParseError::Unsupported(kind.to_owned())),
        }
    }

    fn walk_children(&mut self, node: Node<'_>, ctx: &Ctx) -> Result<(), ParseError> {
        children(node)
            .into_iter()
            .try_for_each(|child| self.walk(child, ctx))
    }

    fn walk_pipeline(&mut self, node: Node<'_>, ctx: &Ctx) -> Result<(), ParseError> {
        let mut stdin_from = ctx.stdin_from.clone();
        for child in children(node) {
            if !child.is_named() {
                continue;
            }
            let start = self.out.len();
            let stage = Ctx {
                stdin_from: stdin_from.clone(),
                ..ctx.clone()
            };
            self.walk(child, &stage)?;
            stdin_from = self.out.get(start).map(|c| c.program.clone());
        }
        Ok(())
    }

    fn walk_redirected(&mut self, node: Node<'_>, ctx: &Ctx) -> Result<(), ParseError> {
        let mut inner = ctx.clone();
        let mut body = None;
        for child in children(node) {
            match child.kind() {
                "file_redirect" | "heredoc_redirect" | "herestring_redirect" => {
                    inner.redirects.push(self.redirect(child, ctx)?);
                }
                _ if child.is_named() => body = Some(child),
                _ => {}
            }
        }
        match body {
            Some(body) => self.walk(body, &inner),
            // `> file` alone truncates the file, like `: > file`.
            None => self.emit(vec![":".to_owned()], Vec::new(), &inner),
        }
    }

    fn redirect(&mut self, node: Node<'_>, ctx: &Ctx) -> Result<Redirect, ParseError> {
        let mut operator = String::new();
        let mut target = None;
        for child in children(node) {
            match child.kind() {
                "file_descriptor" => {}
                "heredoc_start" | "heredoc_body" | "heredoc_end" | "heredoc_content" => {
                    self.walk(child, ctx)?;
                    target.get_or_insert_with(String::new);
                }
                _ if !child.is_named() => operator.push_str(child.kind()),
                _ => {
                    self.walk(child, ctx)?;
                    target = Some(self.word(child)?);
                }
            }
        }
        let target = target.unwrap_or_default();
        let is_fd =
            target == "-" || (!target.is_empty() && target.bytes().all(|b| b.is_ascii_digit()));
        let kind = match operator.as_str() {
            ">&" | "<&" | ">&-" | "<&-" if is_fd => RedirectKind::Duplicate,
            ">" | ">|" | "&>" | "<>" | ">&" => RedirectKind::Write,
            ">>" | "&>>" => RedirectKind::Append,
            "<" | "<<" | "<<-" | "<<<" | "<&" => RedirectKind::Read,
            other => return Err(ParseError::Unsupported(format!("redirection `{other}`"))),
        };
        Ok(Redirect { kind, target })
    }

    fn walk_command(&mut self, node: Node<'_>, ctx: &Ctx) -> Result<(), ParseError> {
        let mut words = Vec::new();
        let mut assignments = Vec::new();
        let mut inner = ctx.clone();
        for child in children(node) {
            match child.kind() {
                "variable_assignment" => {
                    self.walk_children(child, ctx)?;
                    assignments.push(self.assignment_name(child));
                }
                "file_redirect" | "herestring_redirect" | "heredoc_redirect" => {
                    inner.redirects.push(self.redirect(child, ctx)?);
                }
                _ if child.is_named() => {
                    self.walk(child, ctx)?;
                    words.push(self.word(child)?);
                }
                _ => {}
            }
        }
        if words.is_empty() {
            return Ok(());
        }
        self.emit(words, assignments, &inner)
    }

    fn assignment_name(&self, node: Node<'_>) -> String {
        let text = self.text(node);
        text.split(['=', '+', '['])
            .next()
            .unwrap_or(text)
            .to_owned()
    }

    fn walk_assignment(&mut self, node: Node<'_>, ctx: &Ctx) -> Result<(), ParseError> {
        self.walk_children(node, ctx)?;
        let name = self.assignment_name(node);
        self.emit(
            vec!["export".to_owned(), format!("{name}=")],
            Vec::new(),
            ctx,
        )
    }

    fn walk_declaration(&mut self, node: Node<'_>, ctx: &Ctx) -> Result<(), ParseError> {
        let mut words = Vec::new();
        for child in children(node) {
            if child.is_named() {
                self.walk(child, ctx)?;
                words.push(self.word(child)?);
            } else {
                words.push(child.kind().to_owned());
            }
        }
        self.emit(words, Vec::new(), ctx)
    }

    fn walk_function(&mut self, node: Node<'_>, ctx: &Ctx) -> Result<(), ParseError> {
        let name = node
            .child_by_field_name("name")
            .map(|n| self.text(n).to_owned());
        let inner = Ctx {
            function: name,
            ..ctx.clone()
        };
        for child in children(node) {
            if child.is_named() && child.kind() != "word" {
                self.walk(child, &inner)?;
            }
        }
        Ok(())
    }

    /// The unquoted value of a word-like node; expansions keep their `$` form.
    fn word(&self, node: Node<'_>) -> Result<String, ParseError> {
        let text = self.text(node);
        Ok(match node.kind() {
            "word" | "number" => unescape(text),
            "raw_string" => text
                .trim_start_matches('\'')
                .trim_end_matches('\'')
                .to_owned(),
            "ansi_c_string" if !text.contains('\\') => text
                .get(2..text.len().saturating_sub(1))
                .unwrap_or_default()
                .to_owned(),
            "string" | "translated_string" => {
                let mut value = String::new();
                for child in children(node) {
                    match child.kind() {
                        "\"" | "$\"" => {}
                        "string_content" => value.push_str(&unescape_dquoted(self.text(child))),
                        _ => value.push_str(&self.word(child)?),
                    }
                }
                value
            }
            "concatenation" => {
                let mut value = String::new();
                for child in children(node) {
                    value.push_str(&self.word(child)?);
                }
                value
            }
            "command_name" => match node.named_child(0) {
                Some(inner) => self.word(inner)?,
                None => text.to_owned(),
            },
            "expansion" => match node.named_child(0) {
                Some(var) if node.named_child_count() == 1 && var.kind() == "variable_name" => {
                    format!("${}", self.text(var))
                }
                _ => text.to_owned(),
            },
            _ => text.to_owned(),
        })
    }

    /// Sees through wrappers and pushes the command that really runs.
    fn emit(
        &mut self,
        mut words: Vec<String>,
        assignments: Vec<String>,
        ctx: &Ctx,
    ) -> Result<(), ParseError> {
        let mut wrappers = Vec::new();
        let mut has_runtime_args = false;
        loop {
            let Some(first) = words.first() else {
                // A wrapper with nothing to run (`sudo`, `xargs` alone) runs its default.
                words = vec![wrappers.pop().unwrap_or_else(|| ":".to_owned())];
                break;
            };
            let program = basename(first).to_owned();
            let rest = &words[1..];
            let next = match program.as_str() {
                "sudo" | "doas" => {
                    skip_options(rest, "ugpChDrtTU", &["user", "group", "prompt", "chdir"])
                }
                "nice" => skip_options(rest, "n", &["adjustment"]),
                "nohup" | "builtin" | "time" => skip_options(rest, "", &[]),
                "exec" => skip_options(rest, "a", &[]),
                "command" if !rest.iter().any(|w| w == "-v" || w == "-V") => {
                    skip_options(rest, "", &[])
                }
                "timeout" => skip_options(rest, "sk", &["signal", "kill-after"]).map(|i| i + 1),
                "env" => env_command(rest),
                "xargs" => {
                    has_runtime_args = true;
                    skip_options(
                        rest,
                        "IdEsLnPa",
                        &[
                            "replace",
                            "delimiter",
                            "max-args",
                            "max-procs",
                            "arg-file",
                            "max-lines",
                            "eof",
                        ],
                    )
                }
                "bash" | "sh" | "zsh" | "dash" | "ksh" => {
                    if let Some(script) = shell_c_script(rest) {
                        return self.emit_nested(&script, format!("{program} -c"), wrappers, ctx);
                    }
                    None
                }
                "eval" if !rest.is_empty() && !rest.iter().any(|w| is_dynamic(w)) => {
                    return self.emit_nested(&rest.join(" "), "eval".to_owned(), wrappers, ctx);
                }
                "find" => {
                    self.emit_find_actions(rest, &wrappers, ctx)?;
                    None
                }
                _ => None,
            };
            match next {
                Some(start) if start <= rest.len() => {
                    wrappers.push(program);
                    words = words.split_off(start + 1);
                }
                _ => break,
            }
        }
        let program = basename(&words[0]).to_owned();
        let (flags, args) = normalize(&program, &words[1..]);
        self.out.push(SimpleCommand {
            program,
            flags,
            args,
            redirects: ctx.redirects.clone(),
            wrappers,
            assignments,
            stdin_from: ctx.stdin_from.clone(),
            in_function: ctx.function.clone(),
            has_runtime_args,
        });
        Ok(())
    }

    fn emit_nested(
        &mut self,
        script: &str,
        via: String,
        mut wrappers: Vec<String>,
        ctx: &Ctx,
    ) -> Result<(), ParseError> {
        wrappers.push(via);
        for mut command in parse_nested(script, self.depth + 1, ctx.function.clone())? {
            command.wrappers.splice(0..0, wrappers.iter().cloned());
            command.redirects.extend(ctx.redirects.iter().cloned());
            if command.stdin_from.is_none() {
                command.stdin_from.clone_from(&ctx.stdin_from);
            }
            self.out.push(command);
        }
        Ok(())
    }

    /// Pushes the commands `find -exec/-execdir/-ok/-okdir CMD … ;` would run.
    fn emit_find_actions(
        &mut self,
        args: &[String],
        wrappers: &[String],
        ctx: &Ctx,
    ) -> Result<(), ParseError> {
        let mut i = 0;
        while i < args.len() {
            if matches!(args[i].as_str(), "-exec" | "-execdir" | "-ok" | "-okdir") {
                let end = args[i + 1..]
                    .iter()
                    .position(|w| w == ";" || w == "+")
                    .map_or(args.len(), |p| i + 1 + p);
                let inner: Vec<String> = args[i + 1..end]
                    .iter()
                    .filter(|w| *w != "{}")
                    .cloned()
                    .collect();
                if !inner.is_empty() {
                    let start = self.out.len();
                    self.emit(inner, Vec::new(), ctx)?;
                    for command in &mut self.out[start..] {
                        command.wrappers.splice(
                            0..0,
                            wrappers
                                .iter()
                                .cloned()
                                .chain([format!("find {}", args[i])]),
                        );
                        command.has_runtime_args = true;
                    }
                }
                i = end;
            }
            i += 1;
        }
        Ok(())
    }
}

/// Keywords tree-sitter reports as anonymous tokens inside accepted nodes.
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while", "until", "case",
    "esac", "function", "export", "declare", "local", "readonly", "typeset", "unset", "unsetenv",
    "select",
];

fn basename(word: &str) -> &str {
    if is_dynamic(word) {
        return word;
    }
    word.rsplit('/')
        .next()
        .filter(|b| !b.is_empty())
        .unwrap_or(word)
}

/// Removes backslash escapes from an unquoted word (`\rm` → `rm`).
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Removes the escapes that are special inside double quotes.
fn unescape_dquoted(text: &str) -> String {
    text.replace("\\\"", "\"")
        .replace("\\$", "\u{0}")
        .replace("\\\\", "\\")
        .replace('\u{0}', "\\$")
}

/// Index of the wrapped command's first word in `rest`, after the wrapper's options.
fn skip_options(rest: &[String], valued_short: &str, valued_long: &[&str]) -> Option<usize> {
    let mut i = 0;
    while let Some(word) = rest.get(i) {
        if word == "--" {
            return Some(i + 1);
        }
        if let Some(long) = word.strip_prefix("--") {
            i += if !long.contains('=') && valued_long.contains(&long) {
                2
            } else {
                1
            };
        } else if let Some(short) = word.strip_prefix('-').filter(|s| !s.is_empty()) {
            let takes_value = short
                .chars()
                .next_back()
                .is_some_and(|c| valued_short.contains(c));
            let digits = short.bytes().all(|b| b.is_ascii_digit());
            i += if takes_value && !digits { 2 } else { 1 };
        } else {
            return Some(i);
        }
    }
    Some(i)
}

/// `env [-i] [-u NAME] [NAME=value]… CMD`: the index of CMD, if there is one
/// and `env` does nothing we cannot follow (`-S` splits a string into a command).
fn env_command(rest: &[String]) -> Option<usize> {
    if rest
        .iter()
        .any(|w| w.starts_with("-S") || w.starts_with("--split-string"))
    {
        return None;
    }
    let start = skip_options(rest, "uC", &["unset", "chdir"])?;
    let skip = rest[start..]
        .iter()
        .take_while(|w| w.contains('=') && !w.starts_with('='))
        .count();
    Some(start + skip).filter(|&i| i < rest.len())
}

/// The script of `bash -c SCRIPT` when it is static text.
fn shell_c_script(rest: &[String]) -> Option<String> {
    let mut i = 0;
    while let Some(word) = rest.get(i) {
        let short = word.strip_prefix('-').filter(|s| !s.starts_with('-'))?;
        if short.contains('c') {
            return rest.get(i + 1).filter(|s| !is_dynamic(s)).cloned();
        }
        i += if short == "o" || short == "O" { 2 } else { 1 };
    }
    None
}

/// Per-program flag knowledge: aliases to a canonical name and flags that take a value.
struct FlagSpec {
    programs: &'static [&'static str],
    /// `(alias, canonical)`: `--recursive` → `-r`, `-R` → `-r`.
    aliases: &'static [(&'static str, &'static str)],
    /// Short flags whose value follows (attached or as the next word).
    valued_short: &'static str,
    /// Short flags whose optional value can only be attached (`sed -i.bak`).
    attached_only: &'static str,
    /// Long flags (canonical or not) whose value is the next word when not given with `=`.
    valued_long: &'static [&'static str],
}

const FLAG_SPECS: &[FlagSpec] = &[
    FlagSpec {
        programs: &["rm"],
        aliases: &[
            ("--recursive", "-r"),
            ("-R", "-r"),
            ("--force", "-f"),
            ("--dir", "-d"),
            ("--verbose", "-v"),
            ("--interactive", "-i"),
        ],
        valued_short: "",
        attached_only: "",
        valued_long: &[],
    },
    FlagSpec {
        programs: &["cp", "mv"],
        aliases: &[
            ("--recursive", "-r"),
            ("-R", "-r"),
            ("--force", "-f"),
            ("--target-directory", "-t"),
            ("--no-clobber", "-n"),
            ("--interactive", "-i"),
            ("--update", "-u"),
            ("--archive", "-a"),
            ("--backup", "-b"),
            ("--verbose", "-v"),
        ],
        valued_short: "tS",
        attached_only: "",
        valued_long: &["--target-directory", "--suffix"],
    },
    FlagSpec {
        programs: &["chmod", "chown", "chgrp"],
        aliases: &[
            ("--recursive", "-R"),
            ("--verbose", "-v"),
            ("--changes", "-c"),
            ("--silent", "-f"),
            ("--quiet", "-f"),
        ],
        valued_short: "",
        attached_only: "",
        valued_long: &["--reference", "--from"],
    },
    FlagSpec {
        programs: &["git"],
        aliases: &[
            ("--force", "-f"),
            ("--delete", "-d"),
            ("--all", "-a"),
            ("--message", "-m"),
            ("--verbose", "-v"),
            ("--quiet", "-q"),
            ("--max-count", "-n"),
            ("--dry-run", "-n"),
        ],
        valued_short: "CcmnbBFeo",
        attached_only: "",
        valued_long: &[
            "--message",
            "--max-count",
            "--format",
            "--pretty",
            "--author",
            "--since",
            "--until",
            "--git-dir",
            "--work-tree",
        ],
    },
    FlagSpec {
        programs: &["sed"],
        aliases: &[
            ("--in-place", "-i"),
            ("--expression", "-e"),
            ("--file", "-f"),
            ("--quiet", "-n"),
            ("--silent", "-n"),
            ("--regexp-extended", "-E"),
            ("-r", "-E"),
        ],
        valued_short: "efl",
        attached_only: "i",
        valued_long: &["--expression", "--file"],
    },
    FlagSpec {
        programs: &["tar"],
        aliases: &[
            ("--list", "-t"),
            ("--extract", "-x"),
            ("--get", "-x"),
            ("--create", "-c"),
            ("--file", "-f"),
            ("--directory", "-C"),
            ("--append", "-r"),
            ("--update", "-u"),
            ("--gzip", "-z"),
            ("--bzip2", "-j"),
            ("--xz", "-J"),
            ("--verbose", "-v"),
        ],
        valued_short: "fCTXbN",
        attached_only: "",
        valued_long: &["--file", "--directory"],
    },
    FlagSpec {
        programs: &["find"],
        aliases: &[],
        valued_short: "",
        attached_only: "",
        valued_long: &[],
    },
    FlagSpec {
        programs: &["grep", "egrep", "fgrep"],
        aliases: &[
            ("--recursive", "-r"),
            ("-R", "-r"),
            ("--regexp", "-e"),
            ("--file", "-f"),
            ("--max-count", "-m"),
        ],
        valued_short: "efmABCdD",
        attached_only: "",
        valued_long: &[
            "--regexp",
            "--file",
            "--max-count",
            "--include",
            "--exclude",
            "--exclude-dir",
        ],
    },
    FlagSpec {
        programs: &["rg"],
        aliases: &[
            ("--regexp", "-e"),
            ("--replace", "-r"),
            ("--glob", "-g"),
            ("--type", "-t"),
        ],
        valued_short: "efmABCgtTrjM",
        attached_only: "",
        valued_long: &["--regexp", "--replace", "--glob", "--type", "--type-not"],
    },
    FlagSpec {
        programs: &["head", "tail"],
        aliases: &[("--lines", "-n"), ("--bytes", "-c"), ("--follow", "-f")],
        valued_short: "nc",
        attached_only: "",
        valued_long: &["--lines", "--bytes"],
    },
    FlagSpec {
        programs: &["sort"],
        aliases: &[
            ("--output", "-o"),
            ("--key", "-k"),
            ("--field-separator", "-t"),
            ("--reverse", "-r"),
        ],
        valued_short: "koStT",
        attached_only: "",
        valued_long: &["--output", "--key"],
    },
    FlagSpec {
        programs: &["awk", "gawk", "mawk"],
        aliases: &[
            ("--file", "-f"),
            ("--assign", "-v"),
            ("--field-separator", "-F"),
        ],
        valued_short: "fvF",
        attached_only: "",
        valued_long: &[],
    },
    FlagSpec {
        programs: &["kill", "pkill", "killall"],
        aliases: &[("--signal", "-s")],
        valued_short: "sunUgGPt",
        attached_only: "",
        valued_long: &[],
    },
    FlagSpec {
        programs: &["date"],
        aliases: &[("--set", "-s"), ("--date", "-d")],
        valued_short: "sdrf",
        attached_only: "",
        valued_long: &["--set", "--date"],
    },
    FlagSpec {
        programs: &["tee"],
        aliases: &[("--append", "-a")],
        valued_short: "",
        attached_only: "",
        valued_long: &[],
    },
    FlagSpec {
        programs: &["curl", "wget"],
        aliases: &[("--output", "-o"), ("--output-document", "-O")],
        valued_short: "oXdHuAeE",
        attached_only: "",
        valued_long: &["--output", "--output-document", "--data", "--header"],
    },
    FlagSpec {
        programs: &["unzip"],
        aliases: &[],
        valued_short: "dx",
        attached_only: "",
        valued_long: &[],
    },
    FlagSpec {
        programs: &["du"],
        aliases: &[("--max-depth", "-d"), ("--summarize", "-s")],
        valued_short: "dBt",
        attached_only: "",
        valued_long: &["--max-depth", "--threshold"],
    },
    FlagSpec {
        programs: &["cut"],
        aliases: &[
            ("--delimiter", "-d"),
            ("--fields", "-f"),
            ("--bytes", "-b"),
            ("--characters", "-c"),
        ],
        valued_short: "dfbc",
        attached_only: "",
        valued_long: &["--delimiter", "--fields"],
    },
    FlagSpec {
        programs: &["ls"],
        aliases: &[("--all", "-a"), ("--almost-all", "-A")],
        valued_short: "wIT",
        attached_only: "",
        valued_long: &["--ignore", "--width"],
    },
    FlagSpec {
        programs: &["ps"],
        aliases: &[],
        valued_short: "opuUtgGC",
        attached_only: "",
        valued_long: &["--sort", "--format", "--pid"],
    },
    FlagSpec {
        programs: &["top"],
        aliases: &[("--batch", "-b")],
        valued_short: "dnpuo",
        attached_only: "",
        valued_long: &[],
    },
    FlagSpec {
        programs: &["mkdir", "install"],
        aliases: &[("--parents", "-p"), ("--mode", "-m"), ("--verbose", "-v")],
        valued_short: "m",
        attached_only: "",
        valued_long: &["--mode"],
    },
    FlagSpec {
        programs: &["ln"],
        aliases: &[
            ("--symbolic", "-s"),
            ("--force", "-f"),
            ("--target-directory", "-t"),
        ],
        valued_short: "tS",
        attached_only: "",
        valued_long: &["--target-directory", "--suffix"],
    },
    FlagSpec {
        programs: &["touch"],
        aliases: &[
            ("--no-create", "-c"),
            ("--date", "-d"),
            ("--reference", "-r"),
        ],
        valued_short: "dtr",
        attached_only: "",
        valued_long: &["--date", "--reference"],
    },
];

/// Splits and canonicalizes flags: `-rf`, `-r -f`, `-fr` and `--recursive --force` agree.
pub fn normalize(program: &str, words: &[String]) -> (Vec<Flag>, Vec<String>) {
    let spec = FLAG_SPECS.iter().find(|s| s.programs.contains(&program));
    let mut flags: Vec<Flag> = Vec::new();
    let mut args = Vec::new();
    let mut pending = false;
    let mut operands_only = false;
    let canonical = |name: &str| -> String {
        spec.and_then(|s| s.aliases.iter().find(|(alias, _)| *alias == name))
            .map_or_else(|| name.to_owned(), |(_, canon)| (*canon).to_owned())
    };
    for (index, word) in words.iter().enumerate() {
        if pending {
            pending = false;
            if let Some(last) = flags.last_mut() {
                last.value = Some(word.clone());
            }
            continue;
        }
        // `tar xzf a.tgz` means `tar -xzf a.tgz`.
        let word = if program == "tar"
            && index == 0
            && !word.starts_with('-')
            && !word.is_empty()
            && word.chars().all(|c| c.is_ascii_alphabetic())
        {
            format!("-{word}")
        } else {
            word.clone()
        };
        if operands_only || word == "-" || !word.starts_with('-') || is_dynamic(&word) {
            args.push(word);
        } else if word == "--" {
            // Kept as an operand: `git checkout -- .` differs from `git checkout .` only by it.
            operands_only = true;
            args.push(word);
        } else if word.starts_with("--") || program == "find" {
            let (name, value) = match word.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (word.as_str(), None),
            };
            pending = value.is_none() && spec.is_some_and(|s| s.valued_long.contains(&name));
            push_flag(
                &mut flags,
                Flag {
                    name: canonical(name),
                    value,
                },
            );
        } else if word[1..].bytes().all(|b| b.is_ascii_digit()) {
            push_flag(
                &mut flags,
                Flag {
                    name: word.clone(),
                    value: None,
                },
            );
        } else {
            let cluster = &word[1..];
            for (at, c) in cluster.char_indices() {
                let name = canonical(&format!("-{c}"));
                let rest = &cluster[at + c.len_utf8()..];
                let valued = spec.is_some_and(|s| s.valued_short.contains(c));
                let attached = spec.is_some_and(|s| s.attached_only.contains(c));
                if valued || attached {
                    let value = (!rest.is_empty()).then(|| rest.to_owned());
                    pending = valued && value.is_none();
                    push_flag(&mut flags, Flag { name, value });
                    break;
                }
                push_flag(&mut flags, Flag { name, value: None });
            }
        }
    }
    (flags, args)
}

fn push_flag(flags: &mut Vec<Flag>, flag: Flag) {
    if !flags.contains(&flag) {
        flags.push(flag);
    }
}
