//! Bilingual text.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

/// Text in both languages; Chinese is authoritative. Packs write it (`name`, a rule's
/// `title`…), reports carry it (a result's `message`, a grade's name).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Chinese (authoritative).
    pub zh: String,
    /// English.
    pub en: String,
}

impl Text {
    /// The text in Chinese and English.
    #[must_use]
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// Written by hand so that the report schema keeps the `Message` definition it had before
/// packs and reports shared this type (serde's `deny_unknown_fields` would add
/// `additionalProperties: false` to it).
impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Message".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Bilingual text in a report.",
            "type": "object",
            "properties": {
                "zh": { "description": "Chinese (authoritative).", "type": "string" },
                "en": { "description": "English.", "type": "string" }
            },
            "required": ["zh", "en"]
        })
    }
}
