//! Validation messages in Chinese: every problem of every validation fixture, and of the
//! hostile inputs, is worded in Chinese (what was expected, what was found), not the
//! English sentence behind a Chinese label.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::path::Path;

use icgs::{Problem, ProblemCode, ReadOptions, validate};

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/validate");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("the validation fixtures")
        .map(|e| e.expect("an entry").path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("a fixture"))
        })
        .collect();
    files.sort();
    files
}

/// Inputs that stop validation early, one per kind.
fn hostile() -> Vec<(String, Vec<u8>)> {
    let deep = format!("{{\"a\":{}{}}}", "[".repeat(100), "]".repeat(100));
    [
        ("empty", b"".to_vec()),
        ("blank", b"  \n ".to_vec()),
        ("utf16", vec![0xFF, 0xFE, b'{', 0, b'}', 0]),
        ("latin1", b"{\"name\": \"caf\xE9\"}".to_vec()),
        ("deep", deep.into_bytes()),
        ("syntax", b"{\"id\": \"a\",}".to_vec()),
        ("comma", b"{\"id\": \"a\" \"name\": \"b\"}".to_vec()),
        ("array", b"[1, 2]".to_vec()),
        ("version-1", br#"{"schema_version": "1.0"}"#.to_vec()),
        ("version-9", br#"{"schema_version": "9"}"#.to_vec()),
        ("huge", br#"{"area_km2": 1e400}"#.to_vec()),
        (
            "whole",
            br#"{"population": {"industrial": 99999999999999999999}}"#.to_vec(),
        ),
        ("digits", br#"{"area_km2": 1.2345678901234567891}"#.to_vec()),
    ]
    .into_iter()
    .map(|(n, b)| (n.to_owned(), b))
    .collect()
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

#[test]
fn every_problem_is_worded_in_chinese() {
    let mut seen = std::collections::BTreeSet::new();
    for (name, bytes) in fixtures().into_iter().chain(hostile()) {
        for p in validate(&name, &bytes, &ReadOptions::default()).problems {
            let zh = p.message_zh();
            seen.insert(p.code());
            assert!(zh.chars().any(is_cjk), "{name}: {p}: not Chinese: {zh}");
            // The fallback is the label followed by the English message.
            assert!(
                !zh.contains(p.message()),
                "{name}: {p}: no Chinese wording of its own: {zh}"
            );
            assert!(!zh.contains('`'), "{name}: backticks in Chinese: {zh}");
            assert!(!p.to_string_zh().contains("：："), "{}", p.to_string_zh());
        }
    }
    // The fixtures reach most codes; a new code needs a fixture here too.
    assert!(seen.len() >= 16, "{seen:?}");
}

fn problems(json: &str) -> Vec<Problem> {
    validate("p.json", json.as_bytes(), &ReadOptions::default()).problems
}

fn at<'p>(problems: &'p [Problem], code: ProblemCode, pointer: &str) -> &'p Problem {
    problems
        .iter()
        .find(|p| p.code() == code && p.pointer() == pointer)
        .unwrap_or_else(|| panic!("no {code} at {pointer}: {problems:#?}"))
}

#[test]
fn chinese_messages_say_what_was_expected_and_what_was_found() {
    let ps = problems(
        r#"{"schema_version": "2.0", "id": "x", "as_of": "2026-06-30", "bogus": 1,
            "area_km2": -5, "population": {"industrial": "x12"},
            "premises": [{"id": "p1", "ownership": "leesed"}]}"#,
    );
    let unknown = at(&ps, ProblemCode::UnknownField, "");
    assert_eq!(unknown.message_zh(), "未知字段“bogus”");
    assert!(
        unknown
            .to_string_zh()
            .ends_with(": 档案顶层：未知字段“bogus”"),
        "{}",
        unknown.to_string_zh()
    );
    let negative = at(&ps, ProblemCode::Range, "/area_km2");
    assert_eq!(negative.message_zh(), "不得小于 0，实际为 -5");
    assert!(
        negative.to_string_zh().contains("面积（平方千米）："),
        "{}",
        negative.to_string_zh()
    );
    let text = at(&ps, ProblemCode::Type, "/population/industrial");
    assert_eq!(text.message_zh(), "应为整数，实际为文本“x12”");
    let choice = at(&ps, ProblemCode::Enum, "/premises/0/ownership");
    assert!(
        choice
            .message_zh()
            .starts_with("文本“leesed”不是允许的取值；允许："),
        "{}",
        choice.message_zh()
    );
    assert!(
        choice.to_string_zh().ends_with("；是否应为“leased”？"),
        "{}",
        choice.to_string_zh()
    );
    let missing = at(&ps, ProblemCode::MissingField, "");
    assert!(
        missing.message_zh().starts_with("缺少必填字段“"),
        "{}",
        missing.message_zh()
    );
}

#[test]
fn dates_and_references_in_chinese() {
    let ps = problems(
        r#"{"schema_version": "2.0", "id": "x", "as_of": "2026-02-30",
            "organizations": [{"id": "org-main"}], "staff": [{"id": "s1", "org_ids": ["org-mian"]}],
            "established_on": "30/06/2020"}"#,
    );
    let impossible = at(&ps, ProblemCode::Format, "/as_of");
    assert_eq!(impossible.message_zh(), "“2026-02-30”不是真实存在的日期");
    let shape = at(&ps, ProblemCode::Format, "/established_on");
    assert!(
        shape.message_zh().starts_with("应为 YYYY-MM-DD 格式的日期"),
        "{}",
        shape.message_zh()
    );
    let dangling = at(&ps, ProblemCode::DanglingReference, "/staff/0/org_ids/0");
    assert!(
        dangling
            .message_zh()
            .starts_with("“org-mian”不是“organizations”"),
        "{}",
        dangling.message_zh()
    );
    assert_eq!(dangling.suggestion(), Some("org-main"));
}
