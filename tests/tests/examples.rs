//! The example profiles end to end: golden reports, outcomes derived independently by hand
//! from the clause catalogue, and determinism.
//!
//! Regenerate the golden reports after a reviewed change with
//! `ICGS_BLESS=1 cargo test -p icgs-tests --test examples`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use icgs::{Engine, ReadOptions};

fn examples() -> Vec<(String, Vec<u8>)> {
    let dir = icgs_tests::workspace_root().join("examples/profiles");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    assert!(files.len() >= 7, "expected the seven example profiles");
    files
        .into_iter()
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn report_json(engine: &Engine, name: &str, bytes: &[u8]) -> String {
    engine
        .check_bytes(
            &format!("examples/profiles/{name}.json"),
            bytes,
            &ReadOptions::default(),
        )
        .unwrap()
        .to_json()
        .unwrap()
}

#[test]
fn golden_reports() {
    let engine = Engine::standard().unwrap();
    let mut stale = Vec::new();
    for (name, bytes) in examples() {
        let got = report_json(&engine, &name, &bytes);
        let path = icgs_tests::workspace_root().join(format!("tests/golden/{name}.report.json"));
        if let Err(e) = icgs_tests::golden::compare_or_bless(&path, &got) {
            stale.push(e);
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nreview, then regenerate with ICGS_BLESS=1",
        stale.join("\n")
    );
}

/// `tests/expected/example-outcomes.json` was worked out clause by clause from CLAUSES.md and
/// READINGS.md when the examples were written, independently of the engine.
#[test]
fn outcomes_match_the_independent_derivation() {
    let engine = Engine::standard().unwrap();
    let text = std::fs::read_to_string(
        icgs_tests::workspace_root().join("tests/expected/example-outcomes.json"),
    )
    .unwrap();
    let expected: BTreeMap<String, BTreeMap<String, String>> = serde_json::from_str(&text).unwrap();
    let mut diffs = Vec::new();
    for (name, bytes) in examples() {
        let want = expected
            .get(&name)
            .unwrap_or_else(|| panic!("no expected outcomes for {name}"));
        let report = engine
            .check_bytes(&name, &bytes, &ReadOptions::default())
            .unwrap();
        for r in &report.results {
            match want.get(r.rule.as_str()) {
                Some(o) if o == r.outcome.as_str() => {}
                Some(o) => diffs.push(format!(
                    "{name} {}: expected {o}, engine {}",
                    r.rule,
                    r.outcome.as_str()
                )),
                // Category rules of other categories are not listed: they must not apply.
                None => {
                    if r.outcome != icgs::report::Outcome::NotApplicable {
                        diffs.push(format!(
                            "{name} {}: unlisted rule gives {}",
                            r.rule,
                            r.outcome.as_str()
                        ));
                    }
                }
            }
        }
        for rule in want.keys() {
            if !report.results.iter().any(|r| &r.rule == rule) {
                diffs.push(format!("{name} {rule}: expected but no such rule"));
            }
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn the_weak_community_is_invalid_but_still_evaluated() {
    let engine = Engine::standard().unwrap();
    let (_, bytes) = examples()
        .into_iter()
        .find(|(n, _)| n == "weak-community")
        .unwrap();
    let report = engine
        .check_bytes("weak", &bytes, &ReadOptions::default())
        .unwrap();
    assert_eq!(report.profile_problems.len(), 5);
    assert_eq!(report.summary.grade, "unqualified");
    assert!(
        report.summary.non_conformities >= 30,
        "{}",
        report.summary.non_conformities
    );
}

#[test]
fn the_same_inputs_give_byte_identical_reports_on_any_thread() {
    let engine = Engine::standard().unwrap();
    let examples = examples();
    let first: Vec<String> = examples
        .iter()
        .map(|(n, b)| report_json(&engine, n, b))
        .collect();
    let again: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = examples
            .iter()
            .map(|(n, b)| s.spawn(|| report_json(&engine, n, b)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(first, again);
}
