//! `icgs validate` and `icgs schema`: output and exit codes (0 valid, 1 invalid, 2 unreadable
//! or usage error).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;

use common::{icgs, icgs_env, scratch, stdout};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/validate")
}

fn fixture(name: &str) -> String {
    fixtures().join(name).display().to_string()
}

#[test]
fn valid_profile_exits_0() {
    let out = icgs(&["validate", "--lang", "en", &fixture("valid.json")]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).trim_end().ends_with("valid.json: ok"),
        "{}",
        stdout(&out)
    );
    // Chinese by default.
    let out = icgs(&["validate", &fixture("valid.json")]);
    assert!(
        stdout(&out).trim_end().ends_with("valid.json：通过"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn problems_are_worded_in_the_language_asked_for() {
    let path = fixture("several.json");
    let zh = stdout(&icgs(&["validate", &path]));
    assert!(
        zh.lines().any(|l| l
            == format!(
                "{path}:240:3: 档案顶层：未知字段“premisses”；是否应为“premises”？ [unknown-field]"
            )),
        "{zh}"
    );
    assert!(zh.trim_end().ends_with("：6 个问题"), "{zh}");
    let from_env = stdout(&icgs_env(&["validate", &path], &[("ICGS_LANG", "en")]));
    assert!(from_env.contains("unknown field `premisses`"), "{from_env}");
    let doc: serde_json::Value =
        serde_json::from_str(&stdout(&icgs(&["validate", "--format", "json", &path]))).unwrap();
    let unknown = doc["files"][0]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "unknown-field")
        .cloned()
        .unwrap_or_default();
    assert_eq!(unknown["message"], "unknown field `premisses`");
    assert_eq!(unknown["message_zh"], "未知字段“premisses”");
}

#[test]
fn invalid_profile_exits_1_with_one_line_per_problem() {
    let path = fixture("several.json");
    let out = icgs(&["validate", "--lang", "en", &path]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 7, "{text}");
    assert!(
        lines.iter().any(|l| *l
            == format!(
                "{path}:240:3: /: unknown field `premisses`; did you mean `premises`? [unknown-field]"
            )),
        "{text}"
    );
    assert_eq!(
        lines.last().copied(),
        Some(format!("{path}: 6 problems").as_str())
    );
}

#[test]
fn missing_file_exits_2() {
    let out = icgs(&["validate", "--lang", "en", &fixture("no-such-file.json")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot read") && err.contains("no-such-file.json"),
        "{err}"
    );
    let out = icgs(&["validate", &fixture("no-such-file.json")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("错误：无法读取“") && err.contains("文件或目录不存在"),
        "{err}"
    );
}

#[test]
fn unreadable_file_wins_over_invalid_ones() {
    let out = icgs(&[
        "validate",
        "--lang",
        "en",
        &fixture("enum.json"),
        &fixture("no-such-file.json"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout(&out).contains("enum.json: 1 problem\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(icgs(&["validate"]).status.code(), Some(2));
    assert_eq!(
        icgs(&["validate", "--format", "xml", "x.json"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(icgs(&["no-such-command"]).status.code(), Some(2));
}

#[test]
fn directory_means_its_json_files_sorted() {
    let dir = scratch("validate-dir");
    std::fs::copy(fixtures().join("valid.json"), dir.join("b.json")).unwrap();
    std::fs::copy(fixtures().join("enum.json"), dir.join("a.json")).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a profile").unwrap();
    let out = icgs(&["validate", "--lang", "en", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let summaries: Vec<&str> = text
        .lines()
        .filter(|l| l.ends_with(": ok") || l.ends_with("problem"))
        .collect();
    assert_eq!(summaries.len(), 2, "{text}");
    assert!(summaries[0].ends_with("a.json: 1 problem"), "{text}");
    assert!(summaries[1].ends_with("b.json: ok"), "{text}");
    assert!(!text.contains("notes.txt"));
}

#[test]
fn empty_directory_exits_2() {
    let dir = scratch("validate-empty-dir");
    let out = icgs(&["validate", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn max_bytes_limits_the_size() {
    let out = icgs(&["validate", "--max-bytes", "64", &fixture("valid.json")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("[too-large]"), "{}", stdout(&out));
}

#[test]
fn json_format_lists_every_file_and_problem() {
    let out = icgs(&[
        "validate",
        "--format",
        "json",
        &fixture("valid.json"),
        &fixture("dangling-reference.json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    assert_eq!(doc["summary"]["ok"], 1);
    assert_eq!(doc["summary"]["invalid"], 1);
    assert_eq!(doc["files"][0]["status"], "ok");
    let problems = doc["files"][1]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 6);
    let first = &problems[0];
    assert_eq!(first["code"], "dangling-reference");
    assert_eq!(first["pointer"], "/governance_model/party_lead/1");
    assert_eq!(first["line"], 38);
    assert_eq!(first["column"], 7);
    assert_eq!(first["suggestion"], "party");
}

#[test]
fn stdin_is_read_with_a_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_icgs"))
        .args(["validate", "--lang", "en", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"[]").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("<stdin>:1:1: /: the top level must be an object"));
}

#[test]
fn schema_prints_the_committed_schema() {
    let out = icgs(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), icgs::profile_schema_json());
}

#[test]
fn a_1_0_profile_is_refused_by_validate_and_check_naming_icgs_migrate() {
    let text = std::fs::read_to_string(fixtures().join("valid.json"))
        .unwrap()
        .replacen(
            r#""schema_version": "2.0""#,
            r#""schema_version": "1.0""#,
            1,
        );
    let path = scratch("format-1-0").join("old.json");
    std::fs::write(&path, text).unwrap();
    let path = path.display().to_string();
    for command in ["validate", "check"] {
        let out = icgs(&[command, &path]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        let err = common::stderr(&out);
        assert!(err.contains("档案为 1.0 格式"), "{command}: {err}");
        assert!(err.contains("icgs migrate"), "{command}: {err}");
    }
}
