//! `icgs migrate`: 1.0 profiles rewritten as 2.0, all or nothing, with a log on stderr.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;

use std::fs;

use common::{icgs, root, scratch, stderr, stdout};

const FIXTURES: &str = "core/tests/fixtures/profile-1.0";

/// Copies the 1.0 fixtures into a fresh directory.
fn v1_copies(name: &str) -> std::path::PathBuf {
    let dir = scratch(name);
    for entry in fs::read_dir(root().join(FIXTURES)).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    dir
}

#[test]
fn one_file_goes_to_stdout_and_the_log_to_stderr() {
    let o = icgs(&["migrate", &format!("{FIXTURES}/weak-community.json")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("a JSON profile");
    assert_eq!(out["schema_version"], "2.0");
    assert!(out["grids"]["items"][0].get("visits_12m").is_none());
    let log = stderr(&o);
    assert!(log.contains("1.0 → 2.0"), "{log}");
    assert!(log.contains("待填写  /enterprises/served_12m"), "{log}");
    assert!(
        log.contains("已改写  /safety/emergency_plans/0/drills"),
        "{log}"
    );

    let en = icgs(&[
        "migrate",
        "--lang",
        "en",
        &format!("{FIXTURES}/weak-community.json"),
    ]);
    assert!(
        stderr(&en).contains("to fill  /enterprises/served_12m"),
        "{}",
        stderr(&en)
    );
    assert_eq!(
        stdout(&en),
        stdout(&o),
        "the profile does not depend on the log's language"
    );
}

#[test]
fn every_migrated_example_validates_as_2_0_with_the_problems_it_had() {
    let dir = v1_copies("migrate-validate");
    let out = dir.join("out");
    let o = icgs(&[
        "migrate",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for entry in fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        let v = icgs(&["validate", "--format", "json", path.to_str().unwrap()]);
        let doc: serde_json::Value = serde_json::from_str(&stdout(&v)).unwrap();
        let pointers: Vec<&str> = doc["files"][0]["problems"]
            .as_array()
            .map(|ps| ps.iter().filter_map(|p| p["pointer"].as_str()).collect())
            .unwrap_or_default();
        let expected: &[&str] = if path.ends_with("weak-community.json") {
            // The weak example's own problems, unchanged by the migration.
            &[
                "/governance_model/society/0",
                "/organizations/1/meetings/1/date",
                "/staff/2/org_ids/0",
                "/cases/9/id",
                "/evaluations/0",
            ]
        } else {
            &[]
        };
        assert_eq!(pointers, expected, "{}: {}", path.display(), stdout(&v));
    }
}

#[test]
fn several_inputs_need_a_target() {
    let o = icgs(&["migrate", FIXTURES]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--in-place"), "{}", stderr(&o));
}

#[test]
fn in_place_rewrites_atomically_and_leaves_2_0_untouched() {
    let dir = v1_copies("migrate-in-place");
    let o = icgs(&["migrate", "--in-place", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let file = dir.join("binjiang-tech-innovation.json");
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.contains("\"schema_version\": \"2.0\""));
    let mtime = fs::metadata(&file).unwrap().modified().unwrap();
    let again = icgs(&["migrate", "--in-place", file.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(0));
    assert!(
        stderr(&again).contains("已是 2.0 格式，未改动"),
        "{}",
        stderr(&again)
    );
    assert_eq!(fs::metadata(&file).unwrap().modified().unwrap(), mtime);
    assert_eq!(fs::read_to_string(&file).unwrap(), text);
    // No temporary file is left behind.
    let stray: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn one_bad_input_writes_nothing() {
    let dir = v1_copies("migrate-bad");
    fs::write(dir.join("broken.json"), "{\n  \"id\": \"x\",,\n}").unwrap();
    let before = fs::read_to_string(dir.join("gongshu-minimal-gaps.json")).unwrap();
    let o = icgs(&["migrate", "--in-place", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let log = stderr(&o);
    assert!(
        log.contains("broken.json: not JSON at line 2, column 13"),
        "{log}"
    );
    assert!(log.contains("未写入任何文件"), "{log}");
    assert_eq!(
        fs::read_to_string(dir.join("gongshu-minimal-gaps.json")).unwrap(),
        before
    );
}

#[test]
fn an_unknown_format_is_refused() {
    let dir = scratch("migrate-unknown");
    let file = dir.join("p.json");
    fs::write(&file, r#"{"schema_version": "3.0", "id": "x"}"#).unwrap();
    let o = icgs(&["migrate", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot migrate from profile format `3.0`"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty());
}
