//! Where a pack sits among the layers, and a pack named by id and version.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Where a pack sits in the resolution order.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Layer {
    /// The standard's own clauses.
    #[default]
    Standard,
    /// A category unit.
    Category,
    /// A province, city or district overlay.
    Overlay,
    /// A native plugin.
    Plugin,
}

impl Layer {
    /// The layer as spelt in reports.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Category => "category",
            Self::Overlay => "overlay",
            Self::Plugin => "plugin",
        }
    }
}

/// As spelt in reports: `standard`, `category`, `overlay`, `plugin`.
impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A pack (or plugin) named by id and version, written `id@version` in reports and
/// messages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct PackRef {
    /// Pack id, e.g. `standard` or `binjiang`.
    pub id: String,
    /// Pack version.
    pub version: String,
}

impl PackRef {
    /// The pack `id` at `version`.
    #[must_use]
    pub fn new(id: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            version: version.into(),
        }
    }

    /// Reads `id@version`; a name without `@` is an id with an empty version.
    #[must_use]
    pub fn parse(text: &str) -> Self {
        let (id, version) = Self::split(text);
        Self::new(id, version)
    }

    /// Splits `id@version` without copying; a name without `@` is an id with an empty
    /// version (which no pack has).
    #[must_use]
    pub fn split(text: &str) -> (&str, &str) {
        text.split_once('@').unwrap_or((text, ""))
    }

    /// The id and the version.
    #[must_use]
    pub fn parts(&self) -> (&str, &str) {
        (&self.id, &self.version)
    }
}

/// `id@version`.
impl fmt::Display for PackRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.id, self.version)
    }
}

/// Compared with its `id@version` spelling.
impl PartialEq<str> for PackRef {
    fn eq(&self, other: &str) -> bool {
        Self::split(other) == self.parts() && other.contains('@')
    }
}

impl PartialEq<&str> for PackRef {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl FromStr for PackRef {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::parse(s))
    }
}

/// Serialised as its `id@version` string.
impl Serialize for PackRef {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PackRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(Self::parse(&text))
    }
}

/// A string, as it is serialised.
impl JsonSchema for PackRef {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "PackRef".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string" })
    }
}

#[cfg(test)]
mod tests {
    use super::PackRef;

    #[test]
    fn a_pack_ref_reads_back_what_it_writes() {
        let r = PackRef::new("binjiang", "2.1.0");
        assert_eq!(r.to_string(), "binjiang@2.1.0");
        assert_eq!(PackRef::parse("binjiang@2.1.0"), r);
        assert_eq!(PackRef::parse("plain"), PackRef::new("plain", ""));
        let json = serde_json::to_string(&r).unwrap_or_default();
        assert_eq!(json, "\"binjiang@2.1.0\"");
        assert_eq!(serde_json::from_str::<PackRef>(&json).ok(), Some(r));
    }
}
