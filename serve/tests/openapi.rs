//! `docs/openapi.json` is the document the server generates and serves: regenerate it with
//! `ICGS_BLESS=1 cargo test -p icgs-serve --test openapi` and review the diff.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::path::Path;

#[test]
fn the_committed_openapi_document_is_the_generated_one() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json");
    let generated = icgs_serve::openapi::json();
    assert_eq!(
        icgs_tests::golden::compare_or_bless(&path, &generated),
        Ok(()),
        "docs/openapi.json is out of date: review, then regenerate with ICGS_BLESS=1 cargo test -p icgs-serve --test openapi"
    );
    let committed = std::fs::read_to_string(&path).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&committed).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1."));
}
