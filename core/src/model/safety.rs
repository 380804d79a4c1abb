use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::wire_names;

/// Safety records (clause 7.3).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Safety {
    /// Hazard inspections (隐患排查).
    #[schemars(required)]
    pub inspections: Option<Vec<Inspection>>,
    /// Emergency plans (应急预案).
    #[schemars(required)]
    pub emergency_plans: Option<Vec<EmergencyPlan>>,
    /// Incidents.
    #[schemars(required)]
    pub incidents: Option<Vec<Incident>>,
}

/// One hazard inspection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Inspection {
    /// Date.
    #[schemars(required, extend("format" = "date"))]
    pub date: Option<String>,
    /// What was inspected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Hazards found.
    #[schemars(required)]
    pub hazards_found: Option<u64>,
    /// Of those, hazards closed.
    #[schemars(required)]
    pub hazards_closed: Option<u64>,
}

/// One emergency plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct EmergencyPlan {
    /// Name.
    #[schemars(required)]
    pub name: Option<String>,
    /// Date approved.
    #[schemars(required, extend("format" = "date"))]
    pub approved_on: Option<String>,
    /// Dates of the drills held (演练), one entry per drill: the same date twice is two
    /// drills (clauses 7.3.2, C.SM.2). A date after `as_of` is a validation problem.
    #[serde(default)]
    #[schemars(extend("items" = { "type": "string", "format": "date" }))]
    pub drills: Vec<String>,
}

/// A safety incident.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Incident {
    /// Date.
    #[schemars(required, extend("format" = "date"))]
    pub date: Option<String>,
    /// Severity; `serious` triggers the veto (clause 8.3.1).
    #[schemars(required)]
    pub severity: Option<Severity>,
    /// What happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Incident severity (一般、较大、重大).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// 一般.
    General,
    /// 较大.
    Major,
    /// 重大 and above.
    Serious,
}
wire_names!(Severity { General => "general", Major => "major", Serious => "serious" });
