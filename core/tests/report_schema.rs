//! The committed JSON Schema of the report must be exactly what the report types generate,
//! and the golden reports must satisfy it.
//!
//! Regenerate the committed schema after a reviewed change of the report types with
//! `ICGS_BLESS=1 cargo test -p icgs --test report_schema`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn validator() -> jsonschema::Validator {
    jsonschema::options()
        .should_ignore_unknown_formats(true)
        .build(&icgs::report::report_schema())
        .unwrap()
}

#[test]
fn committed_report_schema_matches_the_report_types() {
    let path = root().join("core/schema/report.schema.json");
    let generated = icgs::report::report_schema_json();
    assert_eq!(
        icgs_tests::golden::compare_or_bless(&path, &generated),
        Ok(()),
        "core/schema/report.schema.json is out of date with the report types (or missing); \
         review the change, then regenerate it with\n\n    \
         ICGS_BLESS=1 cargo test -p icgs --test report_schema\n"
    );
}

#[test]
fn the_report_schema_is_a_2020_12_schema_with_an_id() {
    let schema = icgs::report::report_schema();
    assert_eq!(
        schema.get("$schema").and_then(|v| v.as_str()),
        Some("https://json-schema.org/draft/2020-12/schema")
    );
    assert_eq!(
        schema.get("$id").and_then(|v| v.as_str()),
        Some("https://icgs.example/schema/report.schema.json")
    );
}

#[test]
fn every_golden_report_satisfies_the_schema() {
    let validator = validator();
    let dir = root().join("tests/golden");
    let mut checked = 0;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".report.json"))
        .collect();
    entries.sort();
    for path in entries {
        let value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{}:\n{}",
            path.display(),
            errors.join("\n")
        );
        checked += 1;
    }
    assert!(
        checked >= 7,
        "expected the golden reports of the seven examples"
    );
}

#[test]
fn the_schema_rejects_a_report_with_an_unknown_outcome() {
    let validator = validator();
    let path = root().join("tests/golden/binjiang-tech-innovation.report.json");
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    value["results"][0]["outcome"] = "maybe".into();
    assert!(!validator.is_valid(&value));
}
