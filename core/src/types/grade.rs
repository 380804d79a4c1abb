//! Grade ids of the scoring model.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

/// A grade id (`excellent`, `good`, `qualified`, `unqualified` in the standard pack). The
/// pack names its grades, so this is an id, not an enum; in JSON the id as written. It
/// dereferences to that text, so it reads wherever a grade was a `&str`; the order of
/// grades is the scale's (`GradeScale::rank` in the pack), never this type's.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Grade(String);

impl Grade {
    /// The grade `id`.
    #[must_use]
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The id as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// In a schema, a plain string where it is used (as grades were before the type).
impl schemars::JsonSchema for Grade {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Grade".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

impl Deref for Grade {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Grade {
    fn from(id: &str) -> Self {
        Self::new(id)
    }
}

impl From<String> for Grade {
    fn from(id: String) -> Self {
        Self(id)
    }
}

impl AsRef<str> for Grade {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Grade {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<String> for Grade {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<&str> for Grade {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

#[cfg(test)]
mod tests {
    use super::Grade;

    #[test]
    fn a_grade_is_its_id_in_json_and_in_words() {
        let g = Grade::new("good");
        let json = serde_json::to_string(&g).unwrap_or_default();
        assert_eq!(json, "\"good\"");
        assert_eq!(serde_json::from_str::<Grade>(&json).ok(), Some(g.clone()));
        assert_eq!(g.to_string(), "good");
        assert!(g == "good" && g != "excellent");
    }
}
