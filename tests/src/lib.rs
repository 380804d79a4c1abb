//! Data-driven test cases of the policy packs: one JSON file is one test.
//!
//! A case lives in `policies/<pack>/tests/**/<name>.json`:
//! ```json
//! { "description": "exactly 1500 m² passes",
//!   "base": "../base.json",
//!   "patch": { "premises": [ … ] },
//!   "expect": { "5.1.1": { "outcome": "pass", "observed": 1500, "required": 1500 } } }
//! ```
//! `base` is a profile path relative to the case file, `patch` an RFC 7386 merge patch
//! applied to it (arrays are replaced whole), and `expect` maps rule ids to the outcome and,
//! optionally, the observed and required values.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

/// One case file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// What the case shows.
    pub description: String,
    /// Base profile, relative to the case file.
    pub base: String,
    /// Merge patch applied to the base.
    #[serde(default)]
    pub patch: Value,
    /// Expected results by rule id.
    pub expect: BTreeMap<String, Expect>,
}

/// What one rule must give.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The outcome.
    pub outcome: String,
    /// The observed value, when checked.
    #[serde(default)]
    pub observed: Option<Value>,
    /// The required value, when checked.
    #[serde(default)]
    pub required: Option<Value>,
}

/// The workspace root.
#[must_use]
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// RFC 7386 JSON merge patch.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(t) = target {
        for (k, v) in patch {
            if v.is_null() {
                t.remove(k);
            } else {
                merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    }
}

/// Every case file under `policies/*/tests` and `policies/categories/*/tests`, sorted.
#[must_use]
pub fn case_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "json")
                && p.components().any(|c| c.as_os_str() == "tests")
                && p.file_name().is_some_and(|n| n != "base.json")
            {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&workspace_root().join("policies"), &mut out);
    out.sort();
    out
}

/// Runs one case file against `engine`; `Err` says what differed.
///
/// # Errors
/// The case cannot be read, or a result differs from its expectation.
pub fn run_case(engine: &icgs::Engine, path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let case: Case = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let base_path = path.parent().unwrap_or(Path::new(".")).join(&case.base);
    let base =
        std::fs::read_to_string(&base_path).map_err(|e| format!("{}: {e}", base_path.display()))?;
    let mut profile: Value =
        serde_json::from_str(&base).map_err(|e| format!("{}: {e}", base_path.display()))?;
    merge_patch(&mut profile, &case.patch);
    let bytes = serde_json::to_vec(&profile).map_err(|e| e.to_string())?;
    let (profile, _) = icgs::read_profile(
        &path.display().to_string(),
        &bytes,
        &icgs::ReadOptions::default(),
    )
    .map_err(|e| format!("patched profile cannot be read: {e}"))?;
    let report = engine.evaluate(&profile).map_err(|e| e.to_string())?;
    let mut diffs = Vec::new();
    for (rule, expect) in &case.expect {
        let Some(r) = report.results.iter().find(|r| &r.rule == rule) else {
            diffs.push(format!("rule {rule}: no such rule in the packs"));
            continue;
        };
        let got = r.outcome.as_str();
        if got != expect.outcome {
            diffs.push(format!(
                "rule {rule}: expected {}, got {got} (observed {}, required {}; {}){}",
                expect.outcome,
                r.observed,
                r.required,
                r.message.en,
                r.error
                    .as_ref()
                    .map(|e| format!(" error: {} at {:?}:{:?}", e.message, e.line, e.column))
                    .unwrap_or_default()
            ));
        }
        for (what, want, got) in [
            ("observed", &expect.observed, &r.observed),
            ("required", &expect.required, &r.required),
        ] {
            if let Some(want) = want
                && !json_eq(want, got)
            {
                diffs.push(format!("rule {rule}: {what} expected {want}, got {got}"));
            }
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} ({})\n  {}",
            path.display(),
            case.description,
            diffs.join("\n  ")
        ))
    }
}

/// JSON equality with numbers compared by value (1500 == 1500.0).
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        _ => a == b,
    }
}
