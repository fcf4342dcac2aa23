//! `devos check-command`: one JSON line per input line, in the frozen shape.

use std::io::Write as _;
use std::process::{Command, Stdio};

use pretty_assertions::assert_eq;
use serde_json::{Value, json};

fn check(lines: &str) -> Vec<Value> {
    let home = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_devos"))
        .args(["check-command", "--cwd", "/home/u/project"])
        .env("HOME", home.path())
        .env_remove("DEVOS_CONFIG")
        .env("DEVOS_DATA_DIR", home.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn prints_one_json_object_per_command_in_the_documented_shape() {
    let out = check("ls -la\nrm -rf /\n\necho 'rm -rf /'\n");
    assert_eq!(out.len(), 3, "blank lines are skipped: {out:?}");
    for line in &out {
        let keys: Vec<_> = line.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, vec!["command", "decision", "level", "reasons"]);
    }
    assert_eq!(
        (&out[0]["command"], &out[0]["level"], &out[0]["decision"]),
        (&json!("ls -la"), &json!("safe"), &json!("allow"))
    );
    assert_eq!(
        (&out[1]["level"], &out[1]["decision"]),
        (&json!("destructive"), &json!("forbid"))
    );
    assert!(!out[1]["reasons"].as_array().unwrap().is_empty());
    assert_eq!(
        out[2]["decision"], "allow",
        "a quoted look-alike is only echoed"
    );
}
