//! `summary.model` in JSON: the [`Scoring`] the report holds and the run's
//! `proposals_cap_grade`, as one object whose keys are in the order reports have always
//! written them; the bands best first.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{GradeBandInfo, GradeScale, Scoring, ScoringModel};
use crate::types::{Grade, Origin, RuleId};

/// The scoring model the report was scored with: every number is a pack parameter
/// (`[scoring]` of the standard pack, changed by overlays).
#[derive(Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "ScoringModel")]
struct ModelWire<'a> {
    /// Weight of each dimension.
    dimensions: Cow<'a, BTreeMap<String, u32>>,
    /// Default rule weight by level; `may` is unscored.
    level_weights: Cow<'a, BTreeMap<String, u32>>,
    /// Grade bands, best first.
    grades: Cow<'a, [GradeBandInfo]>,
    /// Rules whose failure vetoes the grade.
    veto_rules: Cow<'a, [RuleId]>,
    /// Months before `as_of` in which a serious incident vetoes the grade.
    veto_incident_months: u32,
    /// The best grade a community with a failed shall rule can get.
    shall_failure_cap: Cow<'a, Grade>,
    /// Whether a failed shall rule of a `proposal` clause caps the grade too (the
    /// `proposals_cap_grade` parameter; false: it loses its points but caps nothing).
    #[serde(default)]
    proposals_cap_grade: bool,
    /// The origin of each scoring parameter.
    #[serde(default)]
    origin: Cow<'a, BTreeMap<String, Origin>>,
}

impl Serialize for ScoringModel {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = &self.scoring;
        ModelWire {
            dimensions: Cow::Borrowed(&m.dimensions),
            level_weights: Cow::Borrowed(&m.level_weights),
            grades: Cow::Borrowed(m.grades.bands()),
            veto_rules: Cow::Borrowed(&m.veto_rules),
            veto_incident_months: m.veto_incident_months,
            shall_failure_cap: Cow::Borrowed(&m.shall_failure_cap),
            proposals_cap_grade: self.proposals_cap_grade,
            origin: Cow::Borrowed(&m.origin),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for ScoringModel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = ModelWire::deserialize(d)?;
        Ok(Self {
            scoring: Scoring {
                dimensions: w.dimensions.into_owned(),
                level_weights: w.level_weights.into_owned(),
                grades: GradeScale::new(w.grades.into_owned()),
                veto_rules: w.veto_rules.into_owned(),
                veto_incident_months: w.veto_incident_months,
                shall_failure_cap: w.shall_failure_cap.into_owned(),
                origin: w.origin.into_owned(),
                derogation: None,
            },
            proposals_cap_grade: w.proposals_cap_grade,
        })
    }
}

impl JsonSchema for ScoringModel {
    fn schema_name() -> Cow<'static, str> {
        ModelWire::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        ModelWire::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        ModelWire::json_schema(generator)
    }
}
