//! The end of the walk for one command: each word's value (quotes,
//! escapes, expansions known only at run time), the [`SimpleCommand`] with
//! its wrappers seen through, and the scripts it runs itself (`bash -c`,
//! `eval`, `find -exec`), walked one level deeper.

use tree_sitter::Node;

use super::{
    Assignment, Ctx, ParseError, Redirect, RedirectKind, SimpleCommand, Unwrapped, Walker, Word,
    basename, children, decode_ansi_c, has_brace_expansion, has_glob, is_dynamic, parse, unescape,
    unescape_dquoted, unwrap,
};

impl<'s> Walker<'s> {
    /// The unquoted value of a word-like node, and whether it is only known at run time.
    pub(super) fn word(&self, node: Node<'_>) -> Result<Word, ParseError> {
        let text = self.text(node);
        Ok(match node.kind() {
            "word" | "number" => Word {
                value: unescape(text),
                dynamic: has_brace_expansion(text)
                    || (has_glob(text) && text.starts_with(['*', '?', '[', '-'])),
            },
            "raw_string" => Word::literal(text.trim_start_matches('\'').trim_end_matches('\'')),
            "ansi_c_string" => {
                let body = text
                    .get(2..text.len().saturating_sub(1))
                    .unwrap_or_default();
                match decode_ansi_c(body) {
                    Some(value) => Word::literal(value),
                    None => Word::dynamic(text),
                }
            }
            "string" | "translated_string" => {
                let mut value = String::new();
                let mut dynamic = false;
                for child in children(node) {
                    match child.kind() {
                        "\"" | "$\"" => {}
                        "string_content" => value.push_str(&unescape_dquoted(self.text(child))),
                        _ => {
                            let part = self.word(child)?;
                            dynamic |= part.dynamic;
                            value.push_str(&part.value);
                        }
                    }
                }
                Word { value, dynamic }
            }
            "concatenation" => {
                let mut value = String::new();
                let mut dynamic = has_brace_expansion(text);
                for child in children(node) {
                    let part = self.word(child)?;
                    dynamic |= part.dynamic;
                    value.push_str(&part.value);
                }
                Word { value, dynamic }
            }
            "command_name" => match node.named_child(0) {
                Some(inner) => self.word(inner)?,
                None => Word::literal(text),
            },
            "expansion" => match node.named_child(0) {
                Some(var) if node.named_child_count() == 1 && var.kind() == "variable_name" => {
                    Word::dynamic(format!("${}", self.text(var)))
                }
                _ => Word::dynamic(text),
            },
            // `<(…)` becomes a `/dev/fd/N` path: never an option, but no known file either.
            "process_substitution" => Word::literal(text),
            "simple_expansion"
            | "command_substitution"
            | "arithmetic_expansion"
            | "brace_expression" => Word::dynamic(text),
            _ => Word {
                value: text.to_owned(),
                dynamic: is_dynamic(text),
            },
        })
    }

    /// Sees through wrappers and pushes the command that really runs.
    pub(super) fn emit(
        &mut self,
        mut words: Vec<Word>,
        mut assignments: Vec<Assignment>,
        substituted: Vec<String>,
        ctx: &Ctx,
    ) -> Result<(), ParseError> {
        let mut wrappers = Vec::new();
        let mut has_runtime_args = false;
        let mut redirects = ctx.redirects.clone();
        loop {
            match unwrap(&words) {
                Unwrapped::NotWrapper => break,
                Unwrapped::Runs {
                    start,
                    label,
                    assignments: more,
                    runtime_args,
                    reads,
                } => {
                    redirects.extend(reads.into_iter().map(|target| Redirect {
                        kind: RedirectKind::Read,
                        target,
                    }));
                    wrappers.push(label);
                    assignments.extend(more);
                    has_runtime_args |= runtime_args;
                    if start >= words.len() {
                        // `xargs` alone runs `echo` with its input.
                        words = vec![Word::literal("echo")];
                        break;
                    }
                    words = words.split_off(start);
                }
                Unwrapped::Script { script, label } => {
                    wrappers.push(label);
                    return self.emit_nested(&script, wrappers, assignments, ctx);
                }
                Unwrapped::Unknown(reason) => {
                    self.hazard(reason);
                    break;
                }
            }
        }
        let Some(first) = words.first() else {
            return Ok(());
        };
        let program = basename(&first.value).to_owned();
        let program = if first.dynamic && !is_dynamic(&program) {
            format!("${program}")
        } else {
            program
        };
        let program_path = first.value.contains('/').then(|| first.value.clone());
        let words = words.split_off(1);
        if program == "find" {
            self.emit_find_actions(&words, &wrappers, ctx)?;
        }
        let mut upstream = ctx.upstream.clone();
        upstream.extend(substituted);
        self.script.commands.push(SimpleCommand {
            program,
            program_path,
            args: words.iter().map(|w| w.value.clone()).collect(),
            words,
            flags: Vec::new(),
            redirects,
            wrappers,
            assignments,
            upstream,
            in_function: ctx.function.clone(),
            has_runtime_args,
        });
        Ok(())
    }

    pub(super) fn emit_nested(
        &mut self,
        script: &str,
        wrappers: Vec<String>,
        assignments: Vec<Assignment>,
        ctx: &Ctx,
    ) -> Result<(), ParseError> {
        let nested = parse(script, self.depth + 1, ctx.function.clone())?;
        for mut command in nested.commands {
            command.wrappers.splice(0..0, wrappers.iter().cloned());
            command
                .assignments
                .splice(0..0, assignments.iter().cloned());
            command.redirects.extend(ctx.redirects.iter().cloned());
            command.upstream.splice(0..0, ctx.upstream.iter().cloned());
            self.script.commands.push(command);
        }
        for hazard in nested.hazards {
            self.hazard(hazard.reason);
        }
        Ok(())
    }

    /// Pushes the commands `find -exec/-execdir/-ok/-okdir CMD … ;` would run.
    pub(super) fn emit_find_actions(
        &mut self,
        args: &[Word],
        wrappers: &[String],
        ctx: &Ctx,
    ) -> Result<(), ParseError> {
        let mut i = 0;
        while i < args.len() {
            let action = args[i].value.as_str();
            if matches!(action, "-exec" | "-execdir" | "-ok" | "-okdir") {
                let end = args[i + 1..]
                    .iter()
                    .position(|w| w.value == ";" || w.value == "+")
                    .map_or(args.len(), |p| i + 1 + p);
                // `{}` is each found path, supplied at run time; where it
                // stands as the program (`-exec {} ;`, `-exec env {} +`) the
                // program itself is only known at run time.
                let mut named_program = false;
                let inner: Vec<Word> = args[i + 1..end]
                    .iter()
                    .filter_map(|w| {
                        if w.value == "{}" {
                            return (!named_program).then(|| Word::dynamic("$FOUND_PATH"));
                        }
                        let launcher = w.value.starts_with('-')
                            || w.value.contains('=')
                            || crate::shell::LAUNCHERS.contains(&w.value.as_str());
                        named_program |= !launcher;
                        Some(w.clone())
                    })
                    .collect();
                if !inner.is_empty() {
                    let start = self.script.commands.len();
                    self.emit(inner, Vec::new(), Vec::new(), ctx)?;
                    let label = format!("find {action}");
                    for command in &mut self.script.commands[start..] {
                        command
                            .wrappers
                            .splice(0..0, wrappers.iter().cloned().chain([label.clone()]));
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
