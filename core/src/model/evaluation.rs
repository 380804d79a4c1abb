use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::wire_names;

/// An evaluation of the community (评价, clause 8.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Evaluation {
    /// Unique id among evaluations.
    pub id: String,
    /// Period evaluated, e.g. `2025`.
    #[schemars(required)]
    pub period: Option<String>,
    /// Date of the evaluation.
    #[schemars(required, extend("format" = "date"))]
    pub date: Option<String>,
    /// Who evaluated.
    #[schemars(required)]
    pub kind: Option<EvaluationKind>,
    /// The evaluating body.
    #[schemars(required)]
    pub evaluator: Option<String>,
    /// Scores, 0–100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<EvaluationScores>,
    /// Satisfaction surveys (clause 8.2).
    #[schemars(required)]
    pub satisfaction: Option<Satisfaction>,
    /// Whether a veto item (一票否决) was applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub veto_triggered: Option<bool>,
    /// Problems found.
    #[serde(default)]
    pub findings: Vec<Finding>,
}

impl Evaluation {
    /// A `Evaluation` with only its `id`: every optional field absent, every list empty.
    #[must_use]
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            period: None,
            date: None,
            kind: None,
            evaluator: None,
            scores: None,
            satisfaction: None,
            veto_triggered: None,
            findings: Vec::new(),
        }
    }
}

/// Who carried out an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EvaluationKind {
    /// 自我评价.
    #[serde(rename = "self")]
    SelfAssessment,
    /// 第三方评价.
    ThirdParty,
    /// By a superior authority.
    Superior,
}
wire_names!(EvaluationKind { SelfAssessment => "self", ThirdParty => "third-party", Superior => "superior" });

/// Scores of an evaluation, 0–100 each.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct EvaluationScores {
    /// 服务内容.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 100))]
    pub content: Option<f64>,
    /// 服务质量.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 100))]
    pub quality: Option<f64>,
    /// 组织绩效.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 100))]
    pub performance: Option<f64>,
    /// Total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 100))]
    pub total: Option<f64>,
}

/// Satisfaction survey results.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Satisfaction {
    /// Share of satisfied enterprises, 0–1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 1))]
    pub enterprise_rate: Option<f64>,
    /// Share of satisfied employees, 0–1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 1))]
    pub employee_rate: Option<f64>,
    /// Enterprises surveyed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_n: Option<u64>,
    /// Employees surveyed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_n: Option<u64>,
}

/// A problem found by an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Finding {
    /// Unique id within its evaluation.
    pub id: String,
    /// The clause concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    /// What was found.
    #[schemars(required)]
    pub text: Option<String>,
}

impl Finding {
    /// A `Finding` with only its `id`: every optional field absent, every list empty.
    #[must_use]
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            clause: None,
            text: None,
        }
    }
}

/// An improvement action answering a finding (整改措施, clause 8.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ImprovementAction {
    /// Unique id among actions.
    pub id: String,
    /// The evaluation whose finding it answers.
    #[schemars(required)]
    pub evaluation_id: Option<String>,
    /// The finding it answers.
    #[schemars(required)]
    pub finding_id: Option<String>,
    /// What will be done.
    #[schemars(required)]
    pub action: Option<String>,
    /// Who is responsible (责任人).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Due date (完成时限).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub due_on: Option<String>,
    /// Date closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub closed_on: Option<String>,
    /// Whether closing was verified (复核).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
}

impl ImprovementAction {
    /// A `ImprovementAction` with only its `id`: every optional field absent, every list empty.
    #[must_use]
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            evaluation_id: None,
            finding_id: None,
            action: None,
            owner: None,
            due_on: None,
            closed_on: None,
            verified: None,
        }
    }
}

/// Evidence for a clause checked on documents (7.1.1, 7.9.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Evidence {
    /// The clause or rule id the evidence supports.
    pub clause: String,
    /// What the evidence is.
    #[schemars(required)]
    pub kind: Option<EvidenceKind>,
    /// Title.
    #[schemars(required)]
    pub title: Option<String>,
    /// Date of the evidence.
    #[schemars(required, extend("format" = "date"))]
    pub date: Option<String>,
    /// Where it can be found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// SHA-256 of the document, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    pub sha256: Option<String>,
}

impl Evidence {
    /// A `Evidence` with only its `clause`: every optional field absent, every list empty.
    #[must_use]
    pub fn new(clause: impl Into<String>) -> Self {
        Self {
            clause: clause.into(),
            kind: None,
            title: None,
            date: None,
            uri: None,
            sha256: None,
        }
    }
}

/// Kinds of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs, reason = "the names are the documentation")]
pub enum EvidenceKind {
    Document,
    Minutes,
    Photo,
    Record,
    Certificate,
}
wire_names!(EvidenceKind { Document => "document", Minutes => "minutes", Photo => "photo", Record => "record", Certificate => "certificate" });

/// An approved exception to a failing clause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Waiver {
    /// The rule id waived.
    pub clause: String,
    /// Why.
    #[schemars(required)]
    pub justification: Option<String>,
    /// Who approved; must differ from the requester.
    #[schemars(required)]
    pub approved_by: Option<String>,
    /// Who asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_by: Option<String>,
    /// Date approved.
    #[schemars(required, extend("format" = "date"))]
    pub approved_on: Option<String>,
    /// Last day the waiver applies.
    #[schemars(required, extend("format" = "date"))]
    pub expires_on: Option<String>,
}

impl Waiver {
    /// A `Waiver` with only its `clause`: every optional field absent, every list empty.
    #[must_use]
    pub fn new(clause: impl Into<String>) -> Self {
        Self {
            clause: clause.into(),
            justification: None,
            approved_by: None,
            requested_by: None,
            approved_on: None,
            expires_on: None,
        }
    }
}
