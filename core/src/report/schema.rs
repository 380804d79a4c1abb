//! The JSON Schema of the report (the `REPORT.md` contract), generated from the types.

use super::Report;

/// The JSON Schema (draft 2020-12) of a report, as committed at
/// `core/schema/report.schema.json`.
#[must_use]
pub fn report_schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(Report);
    schema.insert(
        "$id".into(),
        "https://icgs.example/schema/report.schema.json".into(),
    );
    schema.to_value()
}

/// [`report_schema`] as pretty-printed JSON with a final newline.
#[must_use]
pub fn report_schema_json() -> String {
    let mut text = serde_json::to_string_pretty(&report_schema()).unwrap_or_default();
    text.push('\n');
    text
}
