use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::wire_names;

/// A request or event handled by the community (诉求、事件).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Case {
    /// Unique id among cases.
    pub id: String,
    /// What the case is.
    #[schemars(required)]
    pub kind: Option<CaseKind>,
    /// How it came in.
    #[schemars(required)]
    pub source: Option<CaseSource>,
    /// When it was received (RFC 3339 instant with offset).
    #[schemars(required, extend("format" = "date-time"))]
    pub received_at: Option<String>,
    /// When it was first responded to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date-time"))]
    pub responded_at: Option<String>,
    /// When it was closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date-time"))]
    pub closed_at: Option<String>,
    /// Whether the requester was told the outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback_given: Option<bool>,
    /// Requester's satisfaction, 1 (lowest) to 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 5))]
    pub satisfaction: Option<u8>,
}

impl Case {
    /// A `Case` with only its `id`: every optional field absent, every list empty.
    #[must_use]
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            kind: None,
            source: None,
            received_at: None,
            responded_at: None,
            closed_at: None,
            feedback_given: None,
            satisfaction: None,
        }
    }
}

/// Kinds of case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CaseKind {
    /// A request from an enterprise.
    EnterpriseRequest,
    /// A request from an employee.
    EmployeeRequest,
    /// A labour dispute.
    LabourDispute,
    /// A safety hazard report.
    SafetyHazard,
    /// An emergency (clause 7.3.4).
    Emergency,
    /// A complaint.
    Complaint,
}
wire_names!(CaseKind {
    EnterpriseRequest => "enterprise-request", EmployeeRequest => "employee-request", LabourDispute => "labour-dispute",
    SafetyHazard => "safety-hazard", Emergency => "emergency", Complaint => "complaint",
});

/// How a case came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CaseSource {
    /// Found by grid staff.
    Grid,
    /// Through the platform.
    Platform,
    /// By hotline.
    Hotline,
    /// During a visit.
    Visit,
    /// In person.
    WalkIn,
}
wire_names!(CaseSource { Grid => "grid", Platform => "platform", Hotline => "hotline", Visit => "visit", WalkIn => "walk-in" });
