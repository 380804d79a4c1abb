//! The report: one structure, serialised as the JSON contract of `REPORT.md` and rendered
//! by the CLI into text and other formats.

mod score;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use score::{ScoreCard, score};

/// Version of the report format.
pub const REPORT_VERSION: &str = "1";

/// The result of one rule for one profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The clause is met.
    Pass,
    /// The clause is not met.
    Fail,
    /// The clause's condition does not hold (e.g. another category's clause).
    NotApplicable,
    /// An input the rule needs is missing; never a silent pass.
    InsufficientData,
    /// An evidence clause without current evidence: a person must check it.
    Manual,
    /// A failure covered by an approved, unexpired waiver.
    Waived,
    /// The rule could not be evaluated (script or plugin failure).
    Error,
}

impl Outcome {
    /// `Pass` when `ok`, else `Fail`.
    #[must_use]
    pub const fn pass_if(ok: bool) -> Self {
        if ok { Self::Pass } else { Self::Fail }
    }

    /// The outcome as spelt in reports.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::NotApplicable => "not-applicable",
            Self::InsufficientData => "insufficient-data",
            Self::Manual => "manual",
            Self::Waived => "waived",
            Self::Error => "error",
        }
    }
}

/// Bilingual text in a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Message {
    /// Chinese (authoritative).
    pub zh: String,
    /// English.
    pub en: String,
}

/// A parameter the rule read, with the layer that set it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamUse {
    /// The value.
    pub value: Value,
    /// Unit, when the parameter has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Which layer set the value: `<pack id>@<version>`.
    pub layer: String,
}

/// Where a rule failed at run time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleError {
    /// What went wrong.
    pub message: String,
    /// The script file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

/// One rule's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleResult {
    /// Rule id.
    pub rule: String,
    /// Clause id.
    pub clause: String,
    /// `shall`, `shall-not`, `should` or `may`.
    pub level: crate::pack::Level,
    /// Scoring dimension.
    pub dimension: crate::pack::Dimension,
    /// The outcome.
    pub outcome: Outcome,
    /// The value the check saw.
    pub observed: Value,
    /// What it was held against.
    pub required: Value,
    /// The result in words.
    pub message: Message,
    /// JSON pointers to the inputs.
    pub evidence: Vec<String>,
    /// Each parameter the rule read.
    pub params: BTreeMap<String, ParamUse>,
    /// The waiver applied, when the outcome is `waived`.
    pub waiver: Option<Value>,
    /// Where the rule failed, when the outcome is `error`.
    pub error: Option<RuleError>,
    /// The rule's title.
    pub title: Message,
    /// What to do when it fails.
    pub remedy: Message,
    /// The pack that defined the rule.
    pub pack: String,
    /// Weight within the dimension (0 for `may`).
    pub weight: u32,
}

/// The engine that produced a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineInfo {
    /// `icgs`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// The profile a report is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileInfo {
    /// Community id.
    pub id: String,
    /// Community name.
    pub name: Option<String>,
    /// Reference date.
    pub as_of: String,
    /// Primary category.
    pub category: Option<String>,
    /// Secondary categories.
    pub secondary_categories: Vec<String>,
    /// SHA-256 of the input bytes, when read from bytes.
    pub sha256: Option<String>,
}

/// A pack that took part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackInfo {
    /// Pack id.
    pub id: String,
    /// Pack version.
    pub version: String,
    /// `standard`, `category`, `overlay` or `plugin`.
    pub layer: String,
    /// Directory or `embedded:…`.
    pub source: String,
}

/// Counts of outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[allow(missing_docs, reason = "one field per outcome")]
pub struct Counts {
    pub pass: u32,
    pub fail: u32,
    #[serde(rename = "not-applicable")]
    pub not_applicable: u32,
    #[serde(rename = "insufficient-data")]
    pub insufficient_data: u32,
    pub manual: u32,
    pub waived: u32,
    pub error: u32,
}

impl Counts {
    /// Counts the outcomes of `results`.
    #[must_use]
    pub fn of(results: &[RuleResult]) -> Self {
        let mut c = Self::default();
        for r in results {
            *match r.outcome {
                Outcome::Pass => &mut c.pass,
                Outcome::Fail => &mut c.fail,
                Outcome::NotApplicable => &mut c.not_applicable,
                Outcome::InsufficientData => &mut c.insufficient_data,
                Outcome::Manual => &mut c.manual,
                Outcome::Waived => &mut c.waived,
                Outcome::Error => &mut c.error,
            } += 1;
        }
        c
    }
}

/// Score of one dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DimensionScore {
    /// Score points earned, out of `weight`.
    pub score: f64,
    /// The dimension's weight.
    pub weight: u32,
    /// Σ weight of passed rules.
    pub passed_weight: u32,
    /// Σ weight of applicable rules.
    pub applicable_weight: u32,
}

/// The summary of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Outcome counts.
    pub counts: Counts,
    /// Failed shall / shall-not rules.
    pub non_conformities: u32,
    /// Failed should rules.
    pub deviations: u32,
    /// 0–100.
    pub score: f64,
    /// Per dimension.
    pub dimensions: BTreeMap<String, DimensionScore>,
    /// `excellent`, `good`, `qualified` or `unqualified`.
    pub grade: String,
    /// The grade the score alone earns, before caps and vetoes.
    pub score_grade: String,
    /// Why the grade is capped below the score's grade, if it is.
    pub caps: Vec<Message>,
    /// Veto reasons; empty when none applies.
    pub veto: Vec<Message>,
}

/// One step of the improvement plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanItem {
    /// Rule id.
    pub rule: String,
    /// Clause id.
    pub clause: String,
    /// Level.
    pub level: crate::pack::Level,
    /// What to do.
    pub action: Message,
    /// Observed vs required, in words.
    pub gap: Message,
    /// Score points gained if fixed.
    pub gain: f64,
}

/// The conformity report for one profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Report format version.
    pub report_version: String,
    /// The engine.
    pub engine: EngineInfo,
    /// The profile.
    pub profile: ProfileInfo,
    /// The packs, in layer order.
    pub packs: Vec<PackInfo>,
    /// One result per rule, in clause order.
    pub results: Vec<RuleResult>,
    /// Counts, score, grade.
    pub summary: Summary,
    /// Non-conformities first, then by gain.
    pub improvement_plan: Vec<PlanItem>,
    /// Problems found while reading the profile that did not stop the evaluation.
    pub profile_problems: Vec<ProfileProblem>,
}

/// A problem of the profile that did not stop the evaluation (see [`crate::validate`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileProblem {
    /// JSON pointer.
    pub pointer: String,
    /// Stable problem code, e.g. `dangling-reference`.
    pub code: String,
    /// What is wrong.
    pub message: String,
}

impl Report {
    /// The report as pretty JSON (the `REPORT.md` contract), with a final newline.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Whether some shall rule failed.
    #[must_use]
    pub const fn has_non_conformities(&self) -> bool {
        self.summary.non_conformities > 0
    }
}
