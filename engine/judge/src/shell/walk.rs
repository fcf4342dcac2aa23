//! The tree walk: tree-sitter-bash nodes into [`SimpleCommand`]s and
//! [`Hazard`]s. Only the node kinds named in the lists below are accepted;
//! anything else is a [`ParseError`], so new syntax fails closed.

use std::collections::HashSet;

use tree_sitter::{Node, Parser};

use super::words::{
    basename, decode_ansi_c, has_brace_expansion, has_glob, is_dynamic, unescape, unescape_dquoted,
};
use super::wrappers::{Unwrapped, unwrap};
use super::{
    Assignment, Hazard, MAX_DEPTH, ParseError, Redirect, RedirectKind, Script, SimpleCommand, Word,
};

#[path = "walk_emit.rs"]
mod emit;

/// Nodes whose children are walked with nothing else to do.
const CONTAINERS: &[&str] = &[
    "program",
    "list",
    "subshell",
    "do_group",
    "if_statement",
    "elif_clause",
    "else_clause",
    "while_statement",
    "for_statement",
    "case_statement",
    "case_item",
    "negated_command",
    "binary_expression",
    "unary_expression",
    "ternary_expression",
    "postfix_expression",
    "parenthesized_expression",
    "variable_assignments",
    "array",
    "string",
    "concatenation",
    "expansion",
    "simple_expansion",
    "translated_string",
    "brace_expression",
    "heredoc_body",
    "command_name",
];

/// Leaves that carry no command.
const LEAVES: &[&str] = &[
    "word",
    "number",
    "special_variable_name",
    "comment",
    "test_operator",
    "regex",
    "extglob_pattern",
    "file_descriptor",
    "string_content",
    "raw_string",
    "ansi_c_string",
    "heredoc_start",
    "heredoc_end",
    "heredoc_content",
];

/// Keywords tree-sitter reports as anonymous tokens inside accepted nodes.
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while", "until", "case",
    "esac", "function", "export", "declare", "local", "readonly", "typeset", "unset", "unsetenv",
    "select",
];

/// Parses `script` at nesting `depth`; `function` names the enclosing function body.
pub(super) fn parse(
    script: &str,
    depth: usize,
    function: Option<String>,
) -> Result<Script, ParseError> {
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
        script: Script::default(),
        numeric_names: HashSet::new(),
        data_names: HashSet::new(),
    };
    walker.collect_names(tree.root_node());
    let ctx = Ctx {
        redirects: Vec::new(),
        upstream: Vec::new(),
        function,
        in_arith: false,
    };
    walker.walk(tree.root_node(), &ctx)?;
    Ok(walker.script)
}

/// What the surrounding syntax adds to every command below it.
#[derive(Clone)]
struct Ctx {
    redirects: Vec<Redirect>,
    upstream: Vec<String>,
    function: Option<String>,
    /// Inside an arithmetic context, where variables' values are evaluated as expressions.
    in_arith: bool,
}

struct Walker<'s> {
    src: &'s str,
    depth: usize,
    script: Script,
    /// Variables only ever given numbers or arithmetic in this script.
    numeric_names: HashSet<String>,
    /// Variables given any other value (text, command output, `read`, `for … in`).
    data_names: HashSet<String>,
}

fn children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.children(&mut cursor).collect()
}

impl<'s> Walker<'s> {
    fn text(&self, node: Node<'_>) -> &'s str {
        self.src.get(node.byte_range()).unwrap_or_default()
    }

    fn hazard(&mut self, reason: impl Into<String>) {
        let reason = reason.into();
        if !self.script.hazards.iter().any(|h| h.reason == reason) {
            self.script.hazards.push(Hazard { reason });
        }
    }

    /// First pass: which variables hold only numbers, so arithmetic on them is safe.
    fn collect_names(&mut self, node: Node<'_>) {
        match node.kind() {
            "variable_assignment" => {
                let name = self.assignment_name(node);
                let numeric = node
                    .child_by_field_name("value")
                    .is_some_and(|v| v.kind() == "number" || self.is_literal_arith(v));
                if numeric {
                    self.numeric_names.insert(name);
                } else {
                    self.data_names.insert(name);
                }
            }
            "for_statement" => {
                if let Some(var) = node.child_by_field_name("variable") {
                    let name = self.text(var).to_owned();
                    // `for PATH in /tmp/evil; do ls; done` runs /tmp/evil/ls.
                    if crate::risk::carries_code(&name) {
                        self.hazard(format!("the loop assigns {name}, which changes what runs"));
                    }
                    self.data_names.insert(name);
                }
            }
            "c_style_for_statement" => {
                if let Some(init) = node.child_by_field_name("initializer") {
                    self.collect_arith_targets(init);
                }
            }
            "command" => {
                // `read NAME`, `mapfile NAME`, `printf -v NAME`, `getopts … NAME` store data.
                let words: Vec<&str> = children(node)
                    .into_iter()
                    .filter(|c| c.is_named() && c.kind() != "variable_assignment")
                    .map(|c| self.text(c))
                    .collect();
                if let Some(first) = words.first()
                    && matches!(
                        *first,
                        "read" | "mapfile" | "readarray" | "printf" | "getopts"
                    )
                {
                    for word in &words[1..] {
                        self.data_names
                            .insert(word.trim_matches(['\'', '"']).to_owned());
                    }
                }
            }
            _ => {}
        }
        for child in children(node) {
            self.collect_names(child);
        }
    }

    fn collect_arith_targets(&mut self, node: Node<'_>) {
        if node.kind() == "variable_name" {
            self.numeric_names.insert(self.text(node).to_owned());
        }
        for child in children(node) {
            self.collect_arith_targets(child);
        }
    }

    /// `$((1 + 2))`: arithmetic over literals only.
    fn is_literal_arith(&self, node: Node<'_>) -> bool {
        node.kind() == "arithmetic_expansion"
            && children(node).iter().all(|c| {
                matches!(
                    c.kind(),
                    "number" | "binary_expression" | "$((" | "))" | "+" | "-" | "*" | "/"
                ) && !self
                    .text(*c)
                    .contains(|ch: char| ch.is_alphabetic() || ch == '$')
            })
    }

    fn walk(&mut self, node: Node<'_>, ctx: &Ctx) -> Result<(), ParseError> {
        if node.is_error() || node.is_missing() {
            return Err(ParseError::Syntax(
                self.text(node).chars().take(40).collect(),
            ));
        }
        let kind = node.kind();
        if ctx.in_arith {
            self.check_arith_operand(node);
        }
        if kind == "expansion" {
            self.check_expansion(node);
        }
        match kind {
            _ if CONTAINERS.contains(&kind) => self.walk_children(node, ctx),
            _ if LEAVES.contains(&kind) => {
                if kind == "heredoc_start" {
                    self.check_heredoc_delimiter(node)?;
                }
                Ok(())
            }
            "variable_name" => Ok(()),
            "compound_statement" => {
                let is_arith = children(node).first().is_some_and(|c| c.kind() == "((");
                self.walk_children(
                    node,
                    &Ctx {
                        in_arith: ctx.in_arith || is_arith,
                        ..ctx.clone()
                    },
                )
            }
            "arithmetic_expansion" | "c_style_for_statement" => self.walk_children(
                node,
                &Ctx {
                    in_arith: true,
                    ..ctx.clone()
                },
            ),
            "subscript" => self.walk_subscript(node, ctx),
            "test_command" => self.walk_test(node, ctx),
            "command_substitution" | "process_substitution" => {
                let inner = Ctx {
                    redirects: Vec::new(),
                    upstream: Vec::new(),
                    function: ctx.function.clone(),
                    in_arith: false,
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
                self.emit(vec![Word::literal(":")], Vec::new(), Vec::new(), &inner)
            }
            // Anonymous tokens are punctuation and keywords; any other word is syntax we skip.
            _ if !node.is_named() => {
                if kind.chars().any(char::is_alphanumeric) && !KEYWORDS.contains(&kind) {
                    Err(ParseError::Unsupported(format!("`{kind}`")))
                } else {
                    Ok(())
                }
            }
            _ => Err(ParseError::Unsupported(kind.to_owned())),
        }
    }

    /// `${!name}` looks up the name a variable holds, and a subscript in it
    /// is evaluated (`y='a[$(cmd)]'; echo "${!y}"` runs `cmd`); the offset
    /// and length of `${s:offset:length}` are arithmetic; `${NAME:=value}`
    /// assigns NAME for every later command.
    fn check_expansion(&mut self, node: Node<'_>) {
        let text = self.text(node);
        let Some(body) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) else {
            return;
        };
        // `${!arr[@]}` and `${!prefix*}` list keys or names; nothing is looked up.
        let lists_names = ["[@]", "[*]", "*", "@"]
            .iter()
            .any(|end| body.ends_with(end));
        if body.starts_with('!') && !lists_names {
            self.hazard(
                "`${!name}` expands a name held in a variable (a subscript in it can run commands)",
            );
            return;
        }
        let name_end = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(body.len());
        let rest = &body[name_end..];
        if rest.starts_with(":=") || rest.starts_with('=') {
            self.hazard("`${NAME:=value}` assigns a variable that later commands see");
        } else if let Some(range) = rest.strip_prefix(':')
            && !range.starts_with(['-', '=', '+', '?'])
            && !range
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ':' | ' ' | '-' | '+'))
        {
            self.hazard(
                "`${s:offset}` evaluates an offset that is not a literal number (it could run commands)",
            );
        }
    }

    /// In arithmetic, a variable holding text is evaluated as an expression,
    /// and `a[$(cmd)]` inside that text runs `cmd`.
    fn check_arith_operand(&mut self, node: Node<'_>) {
        let name = match node.kind() {
            "variable_name" => self.text(node),
            "simple_expansion" | "expansion" => {
                match node.named_child(0).filter(|c| c.kind() == "variable_name") {
                    Some(var) => self.text(var),
                    None if node
                        .named_child(0)
                        .is_some_and(|c| c.kind() == "special_variable_name") =>
                    {
                        return;
                    }
                    None => "",
                }
            }
            "command_substitution" => "",
            _ => return,
        };
        let proven_number = !name.is_empty()
            && self.numeric_names.contains(name)
            && !self.data_names.contains(name);
        if !proven_number {
            self.hazard(
                "arithmetic evaluates a value that is not a literal number (it could run commands)",
            );
        }
    }

    fn walk_subscript(&mut self, node: Node<'_>, ctx: &Ctx) -> Result<(), ParseError> {
        for child in children(node) {
            let is_index = node
                .child_by_field_name("index")
                .is_some_and(|i| i.id() == child.id());
            let inner = Ctx {
                in_arith: ctx.in_arith || is_index,
                ..ctx.clone()
            };
            self.walk(child, &inner)?;
        }
        Ok(())
    }

    /// `[ … ]` is the `[` command: `>` and `<` in it are redirections.
    /// `[[ … ]]` compares arithmetically with `-eq` and friends, and `-v`
    /// evaluates a subscript.
    fn walk_test(&mut self, node: Node<'_>, ctx: &Ctx) -> Result<(), ParseError> {
        let is_single = children(node).first().is_some_and(|c| c.kind() == "[");
        let text = self.text(node);
        if is_single && (text.contains('>') || text.contains('<')) {
            self.hazard(
                "`[ … > … ]` redirects to a file (it is the `[` command, not a comparison)",
            );
        }
        let arith_ops = ["-eq", "-ne", "-lt", "-le", "-gt", "-ge"];
        let (mut compares, mut tests_variable) = (false, false);
        self.find_test_ops(node, &mut |op| {
            compares |= arith_ops.contains(&op);
            tests_variable |= op == "-v";
        });
        if compares || tests_variable {
            self.check_test_operands(node, compares);
        }
        let inner = Ctx {
            in_arith: ctx.in_arith || compares,
            ..ctx.clone()
        };
        self.walk_children(node, &inner)
    }

    /// Operands of `-eq`-style comparisons are evaluated as arithmetic
    /// (a bare name reads the variable's value as an expression); `-v NAME[…]`
    /// evaluates the subscript. Literal numbers and proven-numeric names pass.
    fn check_test_operands(&mut self, node: Node<'_>, compares: bool) {
        for child in children(node) {
            match child.kind() {
                "word" | "raw_string" | "string" | "concatenation" | "number" => {
                    let text = self.text(child).trim_matches(['\'', '"']);
                    let is_number =
                        !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'-');
                    let is_name = !text.is_empty()
                        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
                    let numeric_name =
                        self.numeric_names.contains(text) && !self.data_names.contains(text);
                    if text.contains('[') {
                        self.hazard("a test evaluates a subscript that could run commands");
                    } else if compares && !is_number && !(is_name && numeric_name) {
                        self.hazard(
                            "an arithmetic comparison evaluates a value that is not a literal number (it could run commands)",
                        );
                    }
                }
                "binary_expression" | "unary_expression" | "parenthesized_expression" => {
                    self.check_test_operands(child, compares);
                }
                _ => {}
            }
        }
    }

    fn find_test_ops(&self, node: Node<'_>, found: &mut impl FnMut(&str)) {
        if node.kind() == "test_operator" {
            found(self.text(node));
        }
        for child in children(node) {
            self.find_test_ops(child, found);
        }
    }

    /// bash ends a here-document at the delimiter with quotes removed; a quote
    /// after the first character (`E"O"F`) is where parsers disagree.
    fn check_heredoc_delimiter(&self, node: Node<'_>) -> Result<(), ParseError> {
        let text = self.text(node);
        if text.chars().skip(1).any(|c| matches!(c, '"' | '\'' | '\\')) {
            return Err(ParseError::Unsupported(format!(
                "a here-document delimiter with quotes inside it: {text}"
            )));
        }
        Ok(())
    }

    fn walk_children(&mut self, node: Node<'_>, ctx: &Ctx) -> Result<(), ParseError> {
        children(node)
            .into_iter()
            .try_for_each(|child| self.walk(child, ctx))
    }

    fn walk_pipeline(&mut self, node: Node<'_>, ctx: &Ctx) -> Result<(), ParseError> {
        let mut upstream = ctx.upstream.clone();
        for child in children(node) {
            if !child.is_named() {
                continue;
            }
            let start = self.script.commands.len();
            let stage = Ctx {
                upstream: upstream.clone(),
                ..ctx.clone()
            };
            self.walk(child, &stage)?;
            for command in &self.script.commands[start..] {
                upstream.push(command.program.clone());
            }
        }
        Ok(())
    }

    fn walk_redirected(&mut self, node: Node<'_>, ctx: &Ctx) -> Result<(), ParseError> {
        let mut inner = ctx.clone();
        let mut body = None;
        for child in children(node) {
            match child.kind() {
                "file_redirect" | "heredoc_redirect" | "herestring_redirect" => {
                    let start = self.script.commands.len();
                    inner.redirects.push(self.redirect(child, ctx)?);
                    // `bash < <(curl …)`: what a substitution in a redirection
                    // prints feeds the statement.
                    for command in &self.script.commands[start..] {
                        inner.upstream.push(command.program.clone());
                    }
                }
                _ if child.is_named() => body = Some(child),
                _ => {}
            }
        }
        match body {
            Some(body) => self.walk(body, &inner),
            // `> file` alone truncates the file, like `: > file`.
            None => self.emit(vec![Word::literal(":")], Vec::new(), Vec::new(), &inner),
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
                    let body = target.get_or_insert_with(String::new);
                    if child.kind() == "heredoc_body" {
                        body.push_str(self.text(child));
                    }
                }
                _ if !child.is_named() => operator.push_str(child.kind()),
                _ => {
                    self.walk(child, ctx)?;
                    target = Some(self.word(child)?.value);
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
        let mut substituted = Vec::new();
        let mut inner = ctx.clone();
        for child in children(node) {
            let start = self.script.commands.len();
            match child.kind() {
                "variable_assignment" => {
                    self.walk_children(child, ctx)?;
                    assignments.push(self.assignment(child)?);
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
            // What a substitution in this command prints feeds the command.
            for command in &self.script.commands[start..] {
                substituted.push(command.program.clone());
            }
        }
        if words.is_empty() {
            return Ok(());
        }
        self.emit(words, assignments, substituted, &inner)
    }

    fn assignment_name(&self, node: Node<'_>) -> String {
        let text = self.text(node);
        text.split(['=', '+', '['])
            .next()
            .unwrap_or(text)
            .to_owned()
    }

    fn assignment(&self, node: Node<'_>) -> Result<Assignment, ParseError> {
        let value = match node.child_by_field_name("value") {
            Some(value) => self.word(value)?.value,
            None => String::new(),
        };
        Ok(Assignment {
            name: self.assignment_name(node),
            value,
        })
    }

    fn walk_assignment(&mut self, node: Node<'_>, ctx: &Ctx) -> Result<(), ParseError> {
        self.walk_children(node, ctx)?;
        let assignment = self.assignment(node)?;
        self.emit(
            vec![
                Word::literal("export"),
                Word::literal(format!("{}=", assignment.name)),
            ],
            vec![assignment],
            Vec::new(),
            ctx,
        )
    }

    fn walk_declaration(&mut self, node: Node<'_>, ctx: &Ctx) -> Result<(), ParseError> {
        let mut words = Vec::new();
        let mut assignments = Vec::new();
        for child in children(node) {
            if child.kind() == "variable_assignment" {
                self.walk_children(child, ctx)?;
                let assignment = self.assignment(child)?;
                words.push(Word::literal(format!(
                    "{}={}",
                    assignment.name, assignment.value
                )));
                assignments.push(assignment);
            } else if child.is_named() {
                self.walk(child, ctx)?;
                words.push(self.word(child)?);
            } else {
                words.push(Word::literal(child.kind()));
            }
        }
        self.emit(words, assignments, Vec::new(), ctx)
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
}
