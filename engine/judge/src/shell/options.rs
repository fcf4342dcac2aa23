//! Command-line option grammars and a getopt-compatible parser. `options`
//! reads arguments the way GNU `getopt_long` does (short clusters, attached
//! and separate values, optional values, `--name=value`, unambiguous long
//! abbreviations, `--`) against a spec written like a `--help` page. It knows
//! nothing about what an option does beyond the effect its spec names, and it
//! never rates or executes.
//!
//! A spec entry lists one option's spellings and, optionally, its value and
//! effect: `"-o --output=FILE !write"`. `=X` means a required value, `[=X]`
//! an optional one (attached only, as getopt wants), and `!write`, `!exec`,
//! `!net`, `!change` name what the option does; no tag means it only reads.

use std::collections::HashMap;

use super::Word;

/// Whether an option takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    /// A switch.
    None,
    /// The value is attached or the next word.
    Required,
    /// The value can only be attached (`-i.bak`, `--color=auto`).
    Optional,
}

/// What an option does, as its spec says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Only changes what is read or printed.
    Read,
    /// Writes the file named by its value (or changes files, without a value).
    Write,
    /// Runs a program or code.
    Exec,
    /// Talks to the network.
    Net,
    /// Changes the system in a way that is not a file (signals, clock, sockets).
    Change,
}

/// One option of a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionDef {
    /// The first spelling in the spec (`-o`), used as the canonical name.
    pub name: String,
    /// Whether it takes a value.
    pub arity: Arity,
    /// What it does.
    pub effect: Effect,
}

/// A program's option grammar, built once from its spec strings.
#[derive(Debug, Clone, Default)]
pub struct OptionSpec {
    defs: Vec<OptionDef>,
    short: HashMap<char, usize>,
    long: Vec<(String, usize)>,
    /// Options end at the first operand (wrappers, `find`), as with `POSIXLY_CORRECT`.
    pub stops_at_operand: bool,
    /// `-5` is a number option (`head -5`, `nice -5`), not a cluster.
    pub numeric_short: bool,
}

/// A spec string that cannot be read: a bug in a built-in table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("option spec `{0}` is malformed")]
pub struct SpecError(pub String);

impl OptionSpec {
    /// Builds a spec from entries such as `"-n --lines=N"` or `"--pre=CMD !exec"`.
    pub fn parse(entries: &[&str]) -> Result<Self, SpecError> {
        let mut spec = Self::default();
        for entry in entries {
            spec.add(entry)?;
        }
        Ok(spec)
    }

    fn add(&mut self, entry: &str) -> Result<(), SpecError> {
        let bad = || SpecError((*entry).to_owned());
        let mut arity = Arity::None;
        let mut effect = Effect::Read;
        let mut spellings = Vec::new();
        for part in entry.split_whitespace() {
            if let Some(tag) = part.strip_prefix('!') {
                effect = match tag {
                    "write" => Effect::Write,
                    "exec" => Effect::Exec,
                    "net" => Effect::Net,
                    "change" => Effect::Change,
                    _ => return Err(bad()),
                };
                continue;
            }
            let (name, value) = match part.find(['=', '[']) {
                Some(at) => part.split_at(at),
                None => (part, ""),
            };
            if value.starts_with("[=") {
                arity = Arity::Optional;
            } else if value.starts_with('=') {
                arity = Arity::Required;
            }
            if !name.starts_with('-') || name.len() < 2 {
                return Err(bad());
            }
            spellings.push(name.to_owned());
        }
        let Some(first) = spellings.first() else {
            return Err(bad());
        };
        let index = self.defs.len();
        self.defs.push(OptionDef {
            name: first.clone(),
            arity,
            effect,
        });
        for spelling in spellings {
            if let Some(long) = spelling.strip_prefix("--") {
                self.long.push((long.to_owned(), index));
            } else {
                let mut chars = spelling.chars().skip(1);
                match (chars.next(), chars.next()) {
                    (Some(c), None) => {
                        self.short.insert(c, index);
                    }
                    // Single-dash long names (`find -name`) are matched whole.
                    _ => self.long.push((spelling.clone(), index)),
                }
            }
        }
        Ok(())
    }

    /// The option a long spelling names: an exact match or an unambiguous
    /// abbreviation, as getopt accepts (`--in-pla` is `--in-place`).
    fn find_long(&self, name: &str) -> Result<usize, String> {
        if let Some((_, index)) = self.long.iter().find(|(long, _)| long == name) {
            return Ok(*index);
        }
        let mut found: Option<usize> = None;
        for (long, index) in &self.long {
            if long.starts_with(name) && !long.starts_with('-') {
                match found {
                    Some(other) if other != *index => {
                        return Err(format!("--{name} is ambiguous"));
                    }
                    _ => found = Some(*index),
                }
            }
        }
        found.ok_or_else(|| format!("--{name} is not an option the engine knows"))
    }

    /// Whether every option only reads (then operands cannot become harmful options).
    pub fn is_read_only(&self) -> bool {
        self.defs.iter().all(|d| d.effect == Effect::Read)
    }

    /// Parses `words` (the arguments after the program) against this spec.
    pub fn parse_args(&self, words: &[Word]) -> ParsedArgs {
        let mut parsed = ParsedArgs::default();
        let mut i = 0;
        let mut operands_only = false;
        while let Some(word) = words.get(i) {
            i += 1;
            let text = word.value.as_str();
            if operands_only || text == "-" || !text.starts_with('-') || word.dynamic {
                // `$x`, `$(…)` or a brace expansion may turn into any option.
                parsed.dynamic_option |= word.dynamic && !operands_only && text != "-";
                parsed.operands.push(word.clone());
                if self.stops_at_operand {
                    operands_only = true;
                    parsed.rest_at.get_or_insert(i - 1);
                }
                continue;
            }
            if text == "--" {
                operands_only = true;
                parsed.saw_double_dash = true;
                parsed.double_dash_at.get_or_insert(parsed.operands.len());
                parsed.rest_at.get_or_insert(i);
                continue;
            }
            if self.numeric_short && text[1..].bytes().all(|b| b.is_ascii_digit()) {
                parsed.push("-NUM", Some(text[1..].to_owned()), Effect::Read);
                continue;
            }
            if let Some(long) = text.strip_prefix("--") {
                let (name, value) = match long.split_once('=') {
                    Some((name, value)) => (name, Some(value.to_owned())),
                    None => (long, None),
                };
                match self.find_long(name) {
                    Ok(index) => {
                        let def = &self.defs[index];
                        let value = match (def.arity, value) {
                            (Arity::None, Some(_)) => {
                                parsed.errors.push(format!("--{name} takes no value"));
                                None
                            }
                            (Arity::Required, None) => {
                                let next = take_value(words, &mut i, &mut parsed);
                                if next.is_none() {
                                    parsed.errors.push(format!("--{name} needs a value"));
                                }
                                next
                            }
                            (_, value) => value,
                        };
                        parsed.push(&def.name, value, def.effect);
                    }
                    Err(error) => parsed.errors.push(error),
                }
                continue;
            }
            // Single-dash long names (`find -name`, `java -jar`) before clusters.
            if let Some(index) = self.long_single_dash(text) {
                let def = &self.defs[index];
                let value = if def.arity == Arity::Required {
                    let next = take_value(words, &mut i, &mut parsed);
                    if next.is_none() {
                        parsed.errors.push(format!("{text} needs a value"));
                    }
                    next
                } else {
                    None
                };
                parsed.push(&def.name, value, def.effect);
                continue;
            }
            let cluster = &text[1..];
            for (at, c) in cluster.char_indices() {
                let Some(&index) = self.short.get(&c) else {
                    parsed
                        .errors
                        .push(format!("-{c} is not an option the engine knows"));
                    break;
                };
                let def = &self.defs[index];
                let rest = &cluster[at + c.len_utf8()..];
                match def.arity {
                    Arity::None => parsed.push(&def.name, None, def.effect),
                    Arity::Optional => {
                        parsed.push(
                            &def.name,
                            Some(rest.to_owned()).filter(|r| !r.is_empty()),
                            def.effect,
                        );
                        break;
                    }
                    Arity::Required => {
                        let value = if rest.is_empty() {
                            take_value(words, &mut i, &mut parsed)
                        } else {
                            Some(rest.to_owned())
                        };
                        if value.is_none() {
                            parsed.errors.push(format!("-{c} needs a value"));
                        }
                        parsed.push(&def.name, value, def.effect);
                        break;
                    }
                }
            }
        }
        parsed
    }

    fn long_single_dash(&self, text: &str) -> Option<usize> {
        if text.starts_with("--") || text.chars().count() <= 2 {
            return None;
        }
        let name = text.split_once('=').map_or(text, |(name, _)| name);
        self.long
            .iter()
            .find(|(long, _)| long.starts_with('-') && long == name)
            .map(|(_, index)| *index)
    }
}

/// Takes `words[*i]` as an option's value (the next word), noting when it
/// is only known at run time.
fn take_value(words: &[Word], i: &mut usize, parsed: &mut ParsedArgs) -> Option<String> {
    let next = words.get(*i)?;
    *i += 1;
    parsed.dynamic_value |= next.dynamic;
    Some(next.value.clone())
}

/// One option as found in a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundOption {
    /// Canonical name (`-o` for `--output`, `--outp`, `-o`).
    pub name: String,
    /// Its value, when it has one.
    pub value: Option<String>,
    /// What the spec says it does.
    pub effect: Effect,
}

/// The result of [`OptionSpec::parse_args`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedArgs {
    /// Options in order.
    pub options: Vec<FoundOption>,
    /// Operands in order (for specs that stop at the first operand: all words from it on).
    pub operands: Vec<Word>,
    /// Unknown, ambiguous or malformed options.
    pub errors: Vec<String>,
    /// A word only known at run time stood where an option could be.
    pub dynamic_option: bool,
    /// An option's value is only known at run time.
    pub dynamic_value: bool,
    /// `--` ended the options.
    pub saw_double_dash: bool,
    /// How many operands came before `--`.
    pub double_dash_at: Option<usize>,
    /// Index in the words of the first word after the options (stopping specs).
    pub rest_at: Option<usize>,
}

impl ParsedArgs {
    fn push(&mut self, name: &str, value: Option<String>, effect: Effect) {
        self.options.push(FoundOption {
            name: name.to_owned(),
            value,
            effect,
        });
    }

    /// Whether the option `name` (canonical) was given.
    pub fn has(&self, name: &str) -> bool {
        self.options.iter().any(|o| o.name == name)
    }

    /// The value of the first `name` option that has one.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .filter(|o| o.name == name)
            .find_map(|o| o.value.as_deref())
    }

    /// The operands' values.
    pub fn operand_values(&self) -> Vec<String> {
        self.operands.iter().map(|w| w.value.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Word> {
        line.split_whitespace().map(Word::literal).collect()
    }

    fn spec() -> OptionSpec {
        OptionSpec::parse(&[
            "-i --in-place[=SUFFIX] !write",
            "-e --expression=SCRIPT",
            "-n --quiet --silent",
            "--posix",
        ])
        .unwrap()
    }

    #[test]
    fn accepts_getopt_spellings() {
        for line in [
            "-n -i x",
            "-ni x",
            "--quiet --in-place x",
            "--qui --in-pla x",
            "x -n --in-place",
        ] {
            let parsed = spec().parse_args(&words(line));
            assert!(parsed.errors.is_empty(), "{line}: {:?}", parsed.errors);
            assert!(parsed.has("-i") && parsed.has("-n"), "{line}");
            assert_eq!(parsed.operand_values(), vec!["x"], "{line}");
        }
    }

    #[test]
    fn values_attach_or_follow() {
        let parsed = spec().parse_args(&words("-es/a/b/ --expression s/c/d/ -i.bak f"));
        assert_eq!(parsed.value("-e"), Some("s/a/b/"));
        assert_eq!(parsed.options[1].value.as_deref(), Some("s/c/d/"));
        assert_eq!(parsed.value("-i"), Some(".bak"));
        assert_eq!(parsed.operand_values(), vec!["f"]);
    }

    #[test]
    fn rejects_unknown_and_ambiguous_options() {
        assert!(!spec().parse_args(&words("-z f")).errors.is_empty());
        assert!(
            !spec()
                .parse_args(&words("--frobnicate f"))
                .errors
                .is_empty()
        );
        // `--p` could be `--posix` only; `--` plus nothing known fails.
        assert!(spec().parse_args(&words("--p f")).errors.is_empty());
        let ambiguous = OptionSpec::parse(&["--output=F", "--outline"]).unwrap();
        assert!(!ambiguous.parse_args(&words("--out x")).errors.is_empty());
    }

    #[test]
    fn dynamic_words_may_be_options() {
        let mut args = words("-n");
        args.push(Word::dynamic("$X"));
        assert!(spec().parse_args(&args).dynamic_option);
        let mut after = words("--");
        after.push(Word::dynamic("$X"));
        assert!(!spec().parse_args(&after).dynamic_option);
    }

    #[test]
    fn stopping_specs_end_at_the_first_operand() {
        let mut wrapper = OptionSpec::parse(&["-k --kill-after=D", "-s --signal=S"]).unwrap();
        wrapper.stops_at_operand = true;
        let parsed = wrapper.parse_args(&words("-k5s 10 rm -rf ."));
        assert_eq!(parsed.value("-k"), Some("5s"));
        assert_eq!(parsed.rest_at, Some(1));
        assert_eq!(parsed.operand_values(), vec!["10", "rm", "-rf", "."]);
    }
}
