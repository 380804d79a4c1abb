use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::PackError;
use super::changes::{CategoryChange, Extends, Locations, ParamChange, RuleChange, Stricter};
use super::scoring::GradeScale;
use crate::facts::{Calendar, Decimal, exact};
use crate::types::{Grade, Layer, LineIndex, PackRef, Text};

/// `pack.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Pack id, e.g. `standard` or `category-tech-innovation`.
    pub id: String,
    /// Name in both languages.
    pub name: Text,
    /// Pack version (semver).
    pub version: semver::Version,
    /// The icgs versions the pack works with (semver requirement).
    pub requires: semver::VersionReq,
    /// The edition of the standard the pack encodes.
    pub edition: String,
    /// Where the pack sits.
    pub layer: Layer,
    /// The category this pack defines (category units only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<CategoryDef>,
    /// Parameters the pack's rules read, with defaults.
    #[serde(default)]
    pub params: BTreeMap<String, ParamDef>,
    /// Changes to parameters of lower layers: `name = value` or a table with `value`,
    /// `document`, effective dates and a `derogation`. In a category pack they apply only to
    /// communities of that category; in an overlay to all.
    #[serde(default)]
    pub set_params: BTreeMap<String, ParamChange>,
    /// The scoring model (the standard pack).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scoring: Option<Scoring>,
    // Overlays (see `changes.rs` and docs/overlays.md).
    /// The pack this one is layered on, by id and version requirement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<Extends>,
    /// The document the pack implements (文号), named in the provenance of what it sets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// First day the pack's changes and rules apply (inclusive).
    #[serde(
        default,
        deserialize_with = "super::changes::date::optional",
        serialize_with = "super::changes::date::serialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub effective_from: Option<chrono::NaiveDate>,
    /// Last day the pack's changes and rules apply (inclusive).
    #[serde(
        default,
        deserialize_with = "super::changes::date::optional",
        serialize_with = "super::changes::date::serialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub effective_until: Option<chrono::NaiveDate>,
    /// The communities an overlay applies to, by the profile's `city` and `district`
    /// (`docs/overlays.md`, "One chain per evaluation"); absent: every community.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_to: Option<super::AppliesTo>,
    /// Changes to rules of lower layers: `[rules."<id>"]`.
    #[serde(default, rename = "rules", skip_serializing_if = "BTreeMap::is_empty")]
    pub rule_changes: BTreeMap<String, RuleChange>,
    /// New categories and changes to registered ones: `[categories.<id>]`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub categories: BTreeMap<String, CategoryChange>,
    /// Where each key is in `pack.toml`, for messages.
    #[serde(skip)]
    pub locations: Locations,
}

/// A community category (4.2.2) contributed by a pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryDef {
    /// Category id, e.g. `tech-innovation`.
    pub id: String,
    /// Name in both languages.
    pub name: Text,
    /// Category-specific spaces for clause 5.2.2.
    #[serde(default)]
    pub spaces: Vec<String>,
}

/// A parameter declaration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamDef {
    /// The default value.
    pub default: ParamValue,
    /// Unit, e.g. `m2`, `days`, `share`, `persons`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// What it means, in both languages.
    pub description: Text,
    /// Which way the value is stricter; overlays may tighten it freely and loosen it only as
    /// a derogation. Default `none`: every change is a derogation.
    #[serde(default)]
    pub stricter: Stricter,
    /// `note` when the explanatory note fixes the value, else `proposal` (`icgs lint`
    /// requires it; undeclared is read as `proposal`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<super::Origin>,
    /// Where the origin is stated (a document and section).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A parameter value: a number, text, a flag or a list of texts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// A flag.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number with a fraction, held exactly.
    #[serde(with = "decimal_as_f64")]
    Decimal(Decimal),
    /// Text.
    Text(String),
    /// A list of texts, e.g. required space kinds.
    List(Vec<String>),
    /// A working-day calendar: inline dates, or `{ file = "calendar.toml" }`, a file of the
    /// pack read when the pack is read.
    Calendar(Box<Calendar>),
}

impl ParamValue {
    /// The value as JSON.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// A short name of the value's kind, for messages.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Bool(_) => "flag",
            Self::Int(_) | Self::Decimal(_) => "number",
            Self::Text(_) => "text",
            Self::List(_) => "list",
            Self::Calendar(_) => "calendar",
        }
    }
}

mod decimal_as_f64 {
    use super::{Decimal, exact};
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        use rust_decimal::prelude::ToPrimitive;
        s.serialize_f64(d.to_f64().unwrap_or(f64::NAN))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let f = f64::deserialize(d)?;
        exact(f).ok_or_else(|| D::Error::custom(format!("`{f}` cannot be held exactly")))
    }
}

/// The scoring model (CLAUSES.md, Scoring): `[scoring]` of the standard pack, changed by
/// overlays, and in a report the model the report was scored with
/// ([`crate::report::ScoringModel`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// Weight of each dimension; they add up to 100.
    pub dimensions: BTreeMap<String, u32>,
    /// Default rule weight by level (`shall`, `shall-not`, `should`); `may` is unscored.
    pub level_weights: BTreeMap<String, u32>,
    /// Grade bands, highest first (as written; [`GradeScale`] sorts them once).
    #[serde(deserialize_with = "super::scoring::strict_bands")]
    pub grades: GradeScale,
    /// Rules whose failure vetoes the grade.
    #[serde(default)]
    pub veto_rules: Vec<crate::types::RuleId>,
    /// Months before as_of in which a serious incident vetoes the grade.
    pub veto_incident_months: u32,
    /// The best grade a community with a failed shall rule can get.
    pub shall_failure_cap: Grade,
    /// The origin of each scoring parameter (`dimensions`, `level_weights`, `grades`,
    /// `veto_rules`, `veto_incident_months`, `shall_failure_cap`); undeclared is read as
    /// `proposal`.
    #[serde(default)]
    pub origin: BTreeMap<String, super::Origin>,
    /// Present when an overlay's model loosens the one below it (`docs/policy-authoring.md`,
    /// *Scoring*).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derogation: Option<super::Derogation>,
}

impl Scoring {
    /// The scoring parameters, as named in `[scoring]`.
    pub const PARAMETERS: [&'static str; 6] = [
        "dimensions",
        "level_weights",
        "grades",
        "veto_rules",
        "veto_incident_months",
        "shall_failure_cap",
    ];

    /// The origin of scoring parameter `name` (`proposal` when undeclared).
    #[must_use]
    pub fn origin_of(&self, name: &str) -> super::Origin {
        self.origin.get(name).copied().unwrap_or_default()
    }

    /// The origin of the veto (一票否决): a proposal when either of its parameters is.
    #[must_use]
    pub fn veto_origin(&self) -> super::Origin {
        self.origin_of("veto_rules")
            .and(self.origin_of("veto_incident_months"))
    }

    /// Whether the failure of rule `rule` vetoes the grade (it is one of `veto_rules`).
    #[must_use]
    pub fn is_veto_rule(&self, rule: &str) -> bool {
        self.veto_rules.iter().any(|v| v == rule)
    }

    /// The display name of `grade`, or the id when the model does not name it.
    #[must_use]
    pub fn grade_name(&self, grade: &str) -> Text {
        self.grades.get(grade).map_or_else(
            || Text {
                zh: grade.to_owned(),
                en: grade.to_owned(),
            },
            |g| g.name.clone(),
        )
    }
}

impl Manifest {
    /// The pack as `id@version`.
    #[must_use]
    pub fn pack_ref(&self) -> PackRef {
        PackRef::new(self.id.clone(), self.version.to_string())
    }

    /// Parses `pack.toml` text; `file` names it in errors.
    ///
    /// # Errors
    /// When the text is not valid TOML or does not match the manifest format.
    pub fn parse(text: &str, file: &str) -> Result<Self, PackError> {
        let mut manifest: Self = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
        manifest.locations = Locations::of_toml(text);
        Ok(manifest)
    }

    /// The document that what the pack sets is attributed to: its `document`, else its
    /// edition.
    #[must_use]
    pub fn document_or_edition(&self) -> &str {
        self.document.as_deref().unwrap_or(&self.edition)
    }

    /// Replaces each calendar given as `{ file = "…" }` (a parameter's default or a
    /// `set_params` value) by the calendar in that file of the pack in `dir`; `read`
    /// returns a file's text.
    ///
    /// # Errors
    /// A file name that is not a plain name in the pack directory, a file that cannot be
    /// read, or one that is not a valid calendar (with line and column).
    pub fn load_files(
        &mut self,
        dir: &str,
        read: impl Fn(&str) -> Result<String, PackError>,
    ) -> Result<(), PackError> {
        let values = self
            .params
            .values_mut()
            .map(|d| &mut d.default)
            .chain(self.set_params.values_mut().map(|c| &mut c.value));
        for value in values {
            let ParamValue::Calendar(calendar) = value else {
                continue;
            };
            let Some(name) = calendar.file.clone() else {
                continue;
            };
            if name.contains(['/', '\\']) || name.starts_with('.') {
                return Err(PackError::Manifest {
                    file: format!("{dir}/pack.toml"),
                    position: None,
                    message: format!(
                        "calendar file `{name}`: name a file beside pack.toml, without a directory"
                    ),
                });
            }
            let text = read(&name)?;
            let loaded: Calendar = toml::from_str(&text)
                .map_err(|e| toml_error(&format!("{dir}/{name}"), &text, &e))?;
            **calendar = loaded;
        }
        Ok(())
    }
}

/// A TOML error of `file` (whose text is `text`), at its line and column when known.
pub(crate) fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> PackError {
    PackError::Manifest {
        file: file.to_owned(),
        position: e
            .span()
            .map(|span| LineIndex::line_column(text, span.start)),
        message: e.message().to_owned(),
    }
}
