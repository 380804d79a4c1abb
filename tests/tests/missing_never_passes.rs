//! Missing never passes (REVISION-2 section E, issue "Missing or invalid never passes"): for
//! every example profile, delete one field at a time — every object key at every depth — and
//! evaluate what is left as `check --allow-invalid` does (profile problems listed, the
//! evaluation goes on). No rule may move to `pass` from any other outcome of the unmodified
//! profile: an absent value is insufficient data, never a silent exclusion.
//!
//! Array elements themselves are not deleted: removing a record (an incident, a finding, a
//! premise) states a different fact, which may rightly pass; deleting the whole list, and
//! every field of its records, is covered. The example profiles hold about 14,000 keys; to
//! keep the run to seconds in a debug build, each list's records beyond the first two and
//! the last are skipped (they repeat the first ones' shape), and the remaining deletions are
//! taken with a deterministic stride so that at most `BUDGET` are evaluated per profile.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use icgs::report::Outcome;
use icgs::{Engine, EvalOptions, ReadOptions};
use serde_json::Value;

/// Deletions evaluated per profile at most.
const BUDGET: usize = 60;

fn profiles() -> Vec<(String, Value)> {
    let root = icgs_tests::workspace_root().join("examples/profiles");
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [root.clone(), root.join("plugins")] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 7, "the example profiles");
    files
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (
                name,
                serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap(),
            )
        })
        .collect()
}

/// JSON pointers of the object keys to delete, depth first.
fn keys(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                keys(child, &p, out);
            }
        }
        Value::Array(items) => {
            let n = items.len();
            for (i, child) in items.iter().enumerate() {
                if i < 2 || i + 1 == n {
                    keys(child, &format!("{at}/{i}"), out);
                }
            }
        }
        _ => {}
    }
}

fn delete(doc: &Value, pointer: &str) -> Value {
    let mut doc = doc.clone();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let key = key.replace("~1", "/").replace("~0", "~");
    if let Some(Value::Object(map)) = doc.pointer_mut(parent) {
        map.remove(&key);
    }
    doc
}

/// Each rule's outcome, evaluated with profile problems listed (`--allow-invalid`); `None`
/// when the bytes cannot become a profile at all (nothing is evaluated, nothing passes).
fn outcomes(engine: &Engine, doc: &Value) -> Option<BTreeMap<String, Outcome>> {
    let bytes = serde_json::to_vec(doc).unwrap();
    let (profile, problems) = icgs::read_profile("p", &bytes, &ReadOptions::default()).ok()?;
    let report = engine
        .evaluate_read(
            std::sync::Arc::new(profile),
            &EvalOptions::default(),
            &problems,
        )
        .ok()?;
    Some(
        report
            .results
            .into_iter()
            .map(|r| (r.rule.to_string(), r.outcome))
            .collect(),
    )
}

#[test]
fn deleting_any_field_never_turns_a_rule_into_a_pass() {
    let engine = Engine::standard().unwrap();
    let mut failures = Vec::new();
    let mut evaluated = 0;
    for (name, doc) in profiles() {
        let before = outcomes(&engine, &doc).unwrap();
        let mut all = Vec::new();
        keys(&doc, "", &mut all);
        let stride = all.len().div_ceil(BUDGET).max(1);
        for pointer in all.iter().step_by(stride) {
            let Some(after) = outcomes(&engine, &delete(&doc, pointer)) else {
                continue;
            };
            evaluated += 1;
            for (rule, outcome) in &after {
                let was = before.get(rule).copied();
                if *outcome == Outcome::Pass && was.is_some_and(|w| w != Outcome::Pass) {
                    failures.push(format!(
                        "{name}: deleting {pointer} turns {rule} from {was:?} to pass"
                    ));
                }
            }
        }
    }
    assert!(evaluated >= 300, "only {evaluated} deletions evaluated");
    assert!(
        failures.is_empty(),
        "{} regressions:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
