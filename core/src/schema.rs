//! The JSON Schema of the community profile, generated from the model types.

use crate::model::CommunityProfile;

/// The JSON Schema (draft 2020-12) of a community profile, as committed at
/// `core/schema/community-profile.schema.json`.
#[must_use]
pub fn profile_schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(CommunityProfile);
    schema.insert(
        "$id".into(),
        "https://icgs.example/schema/community-profile.schema.json".into(),
    );
    schema.to_value()
}

/// [`profile_schema`] as pretty-printed JSON with a final newline.
#[must_use]
pub fn profile_schema_json() -> String {
    let mut text = serde_json::to_string_pretty(&profile_schema()).unwrap_or_default();
    text.push('\n');
    text
}
