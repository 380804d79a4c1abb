//! The overlay parts of a manifest: what a layer changes in the layers below it.
//!
//! ```toml
//! extends = { id = "hangzhou", version = "^1" }
//! document = "滨江区……（文号）"
//! effective_from = 2026-03-01
//!
//! [set_params.emergency_response_minutes_max]  # a stricter value: allowed
//! value = 20
//!
//! [set_params.population_max]              # a looser value: only as a derogation
//! value = 50000
//! derogation = { justification = "…", document = "…" }
//!
//! [rules."6.4.3"]                          # should → shall
//! level = "shall"
//!
//! [categories.tech-innovation]             # one more required 5.2.2 space
//! spaces = ["maker", "exhibition"]
//! ```

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Level, ParamValue, Text};
use crate::types::LineIndex;

/// Which way a parameter's value is stricter: how a change by a later layer is judged
/// (tightening is allowed, loosening only as a declared derogation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stricter {
    /// A higher value is stricter: a floor such as `premises_min_m2` (a lower value loosens).
    Higher,
    /// A lower value is stricter: a ceiling or time limit such as `emergency_response_minutes_max`, or
    /// a threshold from which more is required such as `party_committee_min`.
    Lower,
    /// A list of which every element is required (`required_spaces`): adding elements is
    /// stricter, removing any loosens. For a working-day calendar: more working days is
    /// stricter, so adding an adjusted working day tightens and adding a holiday loosens.
    More,
    /// A list of allowed values: removing elements is stricter, adding any loosens.
    Fewer,
    /// No order is known: every change loosens (needs a derogation). The default, so a
    /// parameter whose direction nobody declared cannot be loosened by accident.
    #[default]
    None,
}

impl Stricter {
    /// The direction as spelt in `pack.toml`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Higher => "higher",
            Self::Lower => "lower",
            Self::More => "more",
            Self::Fewer => "fewer",
            Self::None => "none",
        }
    }
}

/// `extends = { id = "…", version = "…" }`: the pack this one is layered on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extends {
    /// The base pack's id.
    pub id: String,
    /// The base versions this pack was written for (semver requirement).
    pub version: semver::VersionReq,
}

/// A declared loosening of the standard: why, and the document that authorises it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Derogation {
    /// Why the layer loosens the standard.
    pub justification: String,
    /// The document that authorises it (文号, article).
    pub document: String,
}

/// A change of a parameter's value: `name = value`, or a table with the value and where it
/// comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamChange {
    /// The new value.
    pub value: ParamValue,
    /// The unit the value is written in; must equal the declared unit when given.
    pub unit: Option<String>,
    /// The document that sets the value (defaults to the pack's `document`).
    pub document: Option<String>,
    /// First day the value applies (`YYYY-MM-DD`, inclusive).
    pub effective_from: Option<NaiveDate>,
    /// Last day the value applies (inclusive).
    pub effective_until: Option<NaiveDate>,
    /// Present when the change loosens the standard.
    pub derogation: Option<Derogation>,
}

impl ParamChange {
    /// A change to `value` with nothing else said.
    #[must_use]
    pub const fn to(value: ParamValue) -> Self {
        Self {
            value,
            unit: None,
            document: None,
            effective_from: None,
            effective_until: None,
            derogation: None,
        }
    }

    fn is_bare(&self) -> bool {
        self.unit.is_none()
            && self.document.is_none()
            && self.effective_from.is_none()
            && self.effective_until.is_none()
            && self.derogation.is_none()
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamChangeTable {
    value: ParamValue,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    document: Option<String>,
    #[serde(
        default,
        deserialize_with = "date::optional",
        serialize_with = "date::serialize",
        skip_serializing_if = "Option::is_none"
    )]
    effective_from: Option<NaiveDate>,
    #[serde(
        default,
        deserialize_with = "date::optional",
        serialize_with = "date::serialize",
        skip_serializing_if = "Option::is_none"
    )]
    effective_until: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    derogation: Option<Derogation>,
}

impl Serialize for ParamChange {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_bare() {
            return self.value.serialize(s);
        }
        ParamChangeTable {
            value: self.value.clone(),
            unit: self.unit.clone(),
            document: self.document.clone(),
            effective_from: self.effective_from,
            effective_until: self.effective_until,
            derogation: self.derogation.clone(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for ParamChange {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ParamChange;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value (number, text, flag, list of texts) or a table with `value`")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                ParamValue::deserialize(v.into_deserializer()).map(ParamChange::to)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                ParamValue::deserialize(v.into_deserializer()).map(ParamChange::to)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                ParamValue::deserialize(v.into_deserializer()).map(ParamChange::to)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                ParamValue::deserialize(v.into_deserializer()).map(ParamChange::to)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                ParamValue::deserialize(v.into_deserializer()).map(ParamChange::to)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                let list = Vec::<String>::deserialize(SeqAccessDeserializer::new(seq))?;
                Ok(ParamChange::to(ParamValue::List(list)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let t = ParamChangeTable::deserialize(MapAccessDeserializer::new(map))?;
                Ok(ParamChange {
                    value: t.value,
                    unit: t.unit,
                    document: t.document,
                    effective_from: t.effective_from,
                    effective_until: t.effective_until,
                    derogation: t.derogation,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// `[rules."<id>"]`: a change to a rule of a lower layer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleChange {
    /// The new level (`shall → should` loosens; `should → shall` tightens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// `true` disables the rule (it reports `not-applicable` with the justification);
    /// `false` enables a rule a lower layer disabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// Whether waivers may cover the rule (`false` tightens, `true` on a non-waivable rule
    /// loosens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waivable: Option<bool>,
    /// Why: required to disable a rule, shown in reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// The document behind the change (defaults to the pack's `document`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// First day the change applies (inclusive).
    #[serde(
        default,
        deserialize_with = "date::optional",
        serialize_with = "date::serialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub effective_from: Option<NaiveDate>,
    /// Last day the change applies (inclusive).
    #[serde(
        default,
        deserialize_with = "date::optional",
        serialize_with = "date::serialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub effective_until: Option<NaiveDate>,
    /// Present when the change loosens the standard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derogation: Option<Derogation>,
}

/// `[categories.<id>]`: a new category, or a change to one a lower layer registered.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryChange {
    /// Name in both languages (required for a new category).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    /// The category's 5.2.2 spaces, the whole new list (removing one loosens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spaces: Option<Vec<String>>,
    /// Parameter values for communities of this category only.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set_params: BTreeMap<String, ParamChange>,
    /// The document behind the change (defaults to the pack's `document`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// First day the change applies (inclusive).
    #[serde(
        default,
        deserialize_with = "date::optional",
        serialize_with = "date::serialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub effective_from: Option<NaiveDate>,
    /// Last day the change applies (inclusive).
    #[serde(
        default,
        deserialize_with = "date::optional",
        serialize_with = "date::serialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub effective_until: Option<NaiveDate>,
    /// Present when the change of `spaces` loosens the standard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derogation: Option<Derogation>,
}

/// Dates in `pack.toml`: a TOML date (`2026-07-01`) or a string (`"2026-07-01"`), read by
/// [`crate::facts::parse_date`] and held as a [`NaiveDate`]; written back as `YYYY-MM-DD`.
pub(crate) mod date {
    use std::fmt;

    use chrono::NaiveDate;
    use serde::de::value::MapAccessDeserializer;
    use serde::de::{self, MapAccess, Visitor};
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = NaiveDate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date like 2026-07-01")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                checked(v).map_err(E::custom)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let dt = toml::value::Datetime::deserialize(MapAccessDeserializer::new(map))?;
                if dt.time.is_some() || dt.offset.is_some() {
                    return Err(de::Error::custom(format!(
                        "`{dt}` is a date-time, expected a date like 2026-07-01"
                    )));
                }
                checked(&dt.to_string()).map_err(de::Error::custom)
            }
        }
        d.deserialize_any(V).map(Some)
    }

    /// Writes a date as `YYYY-MM-DD`, the text it was read from.
    pub(crate) fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.collect_str(&d.format("%Y-%m-%d")),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn checked(text: &str) -> Result<NaiveDate, String> {
        crate::facts::parse_date(text)
            .ok_or_else(|| format!("`{text}` is not a date like 2026-07-01"))
    }
}

/// Where the keys of a manifest are (line and column, 1-based), so a problem found while
/// resolving layers names its place in `pack.toml`. Only an error asks for a place, so the
/// text is walked the first time one is asked for, not when every pack loads.
#[derive(Debug, Clone, Default)]
pub struct Locations {
    text: std::sync::Arc<str>,
    keys: std::sync::OnceLock<BTreeMap<Vec<String>, (usize, usize)>>,
}

impl PartialEq for Locations {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Locations {}

impl Locations {
    /// The key positions of `text` (empty when it does not parse), found on first use.
    #[must_use]
    pub fn of_toml(text: &str) -> Self {
        Self {
            text: text.into(),
            keys: std::sync::OnceLock::new(),
        }
    }

    fn keys(&self) -> &BTreeMap<Vec<String>, (usize, usize)> {
        self.keys.get_or_init(|| {
            let mut out = BTreeMap::new();
            if let Ok(doc) = toml::de::DeTable::parse(&self.text) {
                let index = LineIndex::new(&*self.text);
                walk(doc.get_ref(), &mut Vec::new(), &index, &mut out);
            }
            out
        })
    }

    /// Line and column of the key at `path`, e.g. `["set_params", "premises_min_m2"]`.
    #[must_use]
    pub fn get(&self, path: &[&str]) -> Option<(usize, usize)> {
        let key: Vec<String> = path.iter().map(|s| (*s).to_owned()).collect();
        self.keys().get(&key).copied()
    }
}

fn walk(
    table: &toml::de::DeTable<'_>,
    path: &mut Vec<String>,
    index: &LineIndex<'_>,
    out: &mut BTreeMap<Vec<String>, (usize, usize)>,
) {
    if path.len() >= 4 {
        return;
    }
    for (key, value) in table {
        path.push(key.get_ref().to_string());
        out.insert(path.clone(), index.position(key.span().start));
        if let toml::de::DeValue::Table(t) = value.get_ref() {
            walk(t, path, index, out);
        }
        path.pop();
    }
}
