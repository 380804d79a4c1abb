//! The committed JSON Schema must be exactly what the model generates.

use std::path::Path;

#[test]
fn committed_schema_matches_the_model() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/community-profile.schema.json");
    let committed = std::fs::read_to_string(&path)
        .unwrap_or_default()
        .replace("\r\n", "\n");
    let generated = icgs::profile_schema_json();
    assert!(
        committed == generated,
        "core/schema/community-profile.schema.json is out of date with the model types \
         (or missing); regenerate it from the workspace root with\n\n    \
         cargo run -p icgs-cli -- schema > core/schema/community-profile.schema.json\n"
    );
}

#[test]
fn committed_schema_is_a_2020_12_schema_with_an_id() {
    let schema = icgs::profile_schema();
    assert_eq!(
        schema.get("$schema").and_then(|v| v.as_str()),
        Some("https://json-schema.org/draft/2020-12/schema")
    );
    assert!(schema.get("$id").and_then(|v| v.as_str()).is_some());
}
