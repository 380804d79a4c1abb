//! The report: one structure, serialised as the JSON contract of `REPORT.md` (its JSON
//! Schema is [`report_schema`]) and rendered by the CLI into text, Markdown, HTML, JUnit
//! and CSV. Scoring and the improvement plan, with the smallest set of fixes that reaches
//! the next grade, are computed here; [`Portfolio`] summarises many reports and [`diff`]
//! compares two reports of one community.

mod diff;
mod next_grade;
mod portfolio;
mod problems;
mod schema;
mod score;
mod scoring_wire;
mod wire;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::types::{Dimension, Level, Origin, RuleId};

pub use crate::pack::Scoring;
// Moved to the pack's scoring model, which the report holds.
pub use crate::pack::{GradeBand as GradeBandInfo, GradeScale};
pub use crate::types::Grade;

pub use diff::{Change, DiffError, DiffSide, ReportDiff, RuleChange, diff};
pub use portfolio::{
    ClauseFailures, GradeCount, NotEvaluated, PORTFOLIO_VERSION, Portfolio, PortfolioBuilder,
    PortfolioRow, PortfolioTotals,
};
pub use problems::{DuplicateIds, Problem, ProblemKind, report_problems, unreadable};
pub use schema::{report_schema, report_schema_json};
pub use score::{ScoreCard, score};

// Moved to the vocabulary module, which packs share without depending on the report.
pub use crate::types::Text as Message;
pub use crate::types::{
    ChangeKind, ChosenBy, DerogationEntry, DerogationTarget, Outcome, OverlayChain, PackInfo,
    ParamUse, Provenance, RuleChangeInfo, RuleProvenance,
};

/// Version of the report format written (`docs/reports.md`, "Changes in version 2"); version
/// 1 is still read.
pub const REPORT_VERSION: &str = "2";

/// Where a rule failed at run time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct RuleResult {
    /// Rule id.
    pub rule: RuleId,
    /// Clause id.
    pub clause: String,
    /// `shall`, `shall-not`, `should` or `may`.
    pub level: Level,
    /// Scoring dimension.
    pub dimension: Dimension,
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
    /// Each parameter the rule read (shared by the results of one rule: `Arc::make_mut`
    /// to change it).
    #[serde(with = "wire::shared")]
    #[schemars(with = "BTreeMap<String, ParamUse>")]
    pub params: std::sync::Arc<BTreeMap<String, ParamUse>>,
    /// The waiver applied, when the outcome is `waived`.
    pub waiver: Option<AppliedWaiver>,
    /// Where the rule failed, when the outcome is `error`.
    pub error: Option<RuleError>,
    /// The rule's title.
    pub title: Message,
    /// What to do when it fails.
    pub remedy: Message,
    /// The pack that defined the rule.
    #[schemars(with = "String")]
    pub pack: crate::types::PackRef,
    /// Weight within the dimension (0 for `may`).
    pub weight: u32,
    /// Which layer defined the rule and which changed it (level, disabled, waivable).
    #[serde(default)]
    pub provenance: RuleProvenance,
    /// `note` when the explanatory note states the clause; `proposal` when it does not
    /// (编制说明未规定，待标准正文确认) or the rule's reading goes beyond it.
    #[serde(default)]
    pub origin: Origin,
    /// Where the origin is stated, when the pack names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The profile's problems at the inputs this rule read (its `evidence`): their values
    /// were treated as absent (REVISION-2 section E). Left out when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profile_problems: Vec<ProfileProblem>,
    /// How to record the fix in the profile (数据填报说明: the fields to fill), apart from
    /// the remedy. Left out when the rule gives none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_hint: Option<Message>,
}

impl RuleResult {
    /// Whether the rule is a category rule (appendix C, ids `C.…`): its clause is one
    /// category's, not the standard's, and reports list such rules apart from the chapters.
    #[must_use]
    pub fn is_category_rule(&self) -> bool {
        self.rule.is_category_rule()
    }
}

/// The engine that produced a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct EngineInfo {
    /// `icgs`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// The profile a report is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ProfileInfo {
    /// Community id.
    pub id: String,
    /// Community name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Reference date.
    pub as_of: String,
    /// Primary category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Secondary categories.
    pub secondary_categories: Vec<String>,
    /// SHA-256 of the input bytes, when read from bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// English name, when the profile gives one (shown with `--lang en`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// District (区), when the profile gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    /// Street (街道), when the profile gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
}

/// Counts of outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, JsonSchema)]
#[allow(missing_docs, reason = "one field per outcome")]
#[non_exhaustive]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct DimensionScore {
    /// Score points earned, out of `weight`: `weight × passed_weight ÷ applicable_weight`,
    /// rounded to two decimals.
    pub score: f64,
    /// The dimension's weight (a pack parameter).
    pub weight: u32,
    /// Σ weight of passed rules.
    pub passed_weight: u32,
    /// Σ weight of applicable rules: every scored rule except `not-applicable` and
    /// `waived` ones.
    pub applicable_weight: u32,
    /// Whether the dimension counts in the total: `false` when no rule of it is applicable
    /// (the other dimensions' weights are then scaled up to 100).
    #[serde(default = "yes")]
    pub counted: bool,
    /// Points the dimension adds to the total (`score` scaled), rounded to two decimals.
    #[serde(default)]
    pub points: f64,
    /// The most points the dimension can add to the total (`weight` scaled).
    #[serde(default)]
    pub max_points: f64,
}

/// Writes a map keyed by dimension in the order of the dimensions' ids (not chapter
/// order): the order reports have always written such maps in.
pub(crate) fn dimensions_by_name<V: Serialize, S: serde::Serializer>(
    map: &BTreeMap<Dimension, V>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut entries: Vec<(&str, &V)> = map.iter().map(|(d, v)| (d.as_str(), v)).collect();
    entries.sort_by_key(|(k, _)| *k);
    s.collect_map(entries)
}

const fn yes() -> bool {
    true
}

/// What limits a grade below the grade its score earns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum LimitKind {
    /// A failed shall / shall-not rule caps the grade (`shall_failure_cap`).
    ShallFailureCap,
    /// A failed rule listed in the pack's `veto_rules` (一票否决).
    VetoRule,
    /// A serious incident in the veto window before `as_of` (一票否决); no fix of a rule
    /// lifts it.
    SeriousIncident,
}

/// A cap or veto on the grade, with the rules that cause it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct GradeLimit {
    /// What kind of limit.
    pub kind: LimitKind,
    /// The best grade the limit allows.
    pub grade: Grade,
    /// The failed rules that cause it (empty for a serious incident).
    pub rules: Vec<RuleId>,
    /// The limit in words.
    #[serde(flatten)]
    pub message: Message,
    /// Whether the limit itself is stated by the explanatory note: the veto (一票否决) and
    /// the scoring model are proposals.
    #[serde(default)]
    pub origin: Origin,
}

/// Rules that earn nothing although they are not failures: listed apart so that missing
/// data is never mistaken for a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[non_exhaustive]
pub struct Unscored {
    /// Rules whose input is missing.
    #[serde(rename = "insufficient-data")]
    pub insufficient_data: Vec<RuleId>,
    /// Rules a person must check.
    pub manual: Vec<RuleId>,
    /// Rules that could not be evaluated.
    pub error: Vec<RuleId>,
}

impl Unscored {
    /// Whether no rule is listed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.insufficient_data.is_empty() && self.manual.is_empty() && self.error.is_empty()
    }
}

/// The scoring model the report was scored with: the [`Scoring`] in force (every number a
/// pack parameter: `[scoring]` of the standard pack, changed by overlays) and the run's
/// `proposals_cap_grade` parameter. It reads as the [`Scoring`] it holds. In JSON one
/// object (`summary.model`): the model's keys, `proposals_cap_grade`, and the origin of
/// every scoring parameter.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ScoringModel {
    /// The model, with the origin of every parameter filled in and no derogation (the
    /// report lists derogations apart).
    pub scoring: Scoring,
    /// Whether a failed shall rule of a `proposal` clause caps the grade too (the
    /// `proposals_cap_grade` parameter; false: it loses its points but caps nothing).
    pub proposals_cap_grade: bool,
}

impl ScoringModel {
    /// The model `scoring` as a report holds it, for a run whose `proposals_cap_grade`
    /// parameter is `proposals_cap_grade`.
    #[must_use]
    pub fn new(scoring: &Scoring, proposals_cap_grade: bool) -> Self {
        let origin = Scoring::PARAMETERS
            .iter()
            .map(|p| ((*p).to_owned(), scoring.origin_of(p)))
            .collect();
        Self {
            scoring: Scoring {
                origin,
                derogation: None,
                ..scoring.clone()
            },
            proposals_cap_grade,
        }
    }
}

impl std::ops::Deref for ScoringModel {
    type Target = Scoring;

    fn deref(&self) -> &Scoring {
        &self.scoring
    }
}

/// Why a fix is part of the smallest set that reaches the next grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum FixReason {
    /// A failed veto rule: the grade stays at the lowest until it is fixed.
    Veto,
    /// A failed shall rule: while any remains the grade is capped below the target.
    Cap,
    /// Its points are needed to reach the target band.
    Points,
}

/// One fix of the smallest set that reaches the next grade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct NextGradeFix {
    /// Rule id.
    pub rule: RuleId,
    /// Clause id (in JSON, the result's).
    #[serde(default, skip_serializing)]
    #[schemars(skip)]
    pub clause: String,
    /// Level (in JSON, the result's).
    #[serde(default = "default_level", skip_serializing)]
    #[schemars(skip)]
    pub level: Level,
    /// Score points the fix adds.
    pub gain: f64,
    /// Why it is in the set.
    pub reason: FixReason,
}

/// Whether the next grade can be reached by fixing failed rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum NextGradeStatus {
    /// `fixes` reaches it.
    Reachable,
    /// A serious incident vetoes every grade above the lowest; no fix of a rule lifts it.
    SeriousIncident,
    /// Even with every failed rule fixed the score stays below the band: the points are in
    /// rules that lack data, need a manual check or could not be evaluated.
    ShortOfPoints,
}

/// The answer to "what is the smallest set of fixes that reaches the next grade?".
///
/// Exact: fixing a failed rule never changes a denominator, so the total is the current
/// total plus the gains of the fixed rules. Every set that reaches the target holds the
/// failed veto rules and, when the target is above the shall-failure cap, every failed
/// shall rule; among the remaining failed rules the `k` with the largest gains give the
/// largest total any `k` of them can give, so the smallest set is those forced fixes plus
/// the fewest largest gains that reach the band (ties: the higher total, then clause
/// order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct NextGrade {
    /// The grade one above the current one.
    pub target: Grade,
    /// The lowest score of the target band.
    pub target_min: f64,
    /// Whether and why not.
    pub status: NextGradeStatus,
    /// The smallest set of fixes, in plan order (empty unless reachable).
    pub fixes: Vec<NextGradeFix>,
    /// The score with those fixes (with every failed rule fixed when short of points).
    pub score_after: f64,
    /// The grade with those fixes (at least `target` when reachable).
    pub grade_after: Grade,
    /// The answer in words.
    pub message: Message,
}

/// The summary of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Summary {
    /// Outcome counts.
    pub counts: Counts,
    /// Failed shall / shall-not rules.
    pub non_conformities: u32,
    /// Failed should rules.
    pub deviations: u32,
    /// 0–100: Σ over counted dimensions of `weight × passed ÷ applicable`, scaled so the
    /// counted weights add up to 100, rounded to two decimals.
    pub score: f64,
    /// Per dimension, keyed by dimension id.
    #[serde(serialize_with = "dimensions_by_name")]
    #[schemars(with = "BTreeMap<String, DimensionScore>")]
    pub dimensions: BTreeMap<Dimension, DimensionScore>,
    /// `excellent`, `good`, `qualified` or `unqualified` (the bands of the model).
    pub grade: Grade,
    /// The grade the score alone earns, before caps and vetoes.
    pub score_grade: Grade,
    /// Why the grade is capped below the score's grade, if it is.
    pub caps: Vec<GradeLimit>,
    /// Veto reasons; empty when none applies.
    pub veto: Vec<GradeLimit>,
    /// The cap failed shall rules of `proposal` clauses would put on the grade, not applied
    /// because `proposals_cap_grade` is false: it names the rules that would have capped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proposal_caps: Vec<GradeLimit>,
    /// Rules that earn nothing without having failed, by outcome.
    #[serde(default)]
    pub unscored: Unscored,
    /// Serious incidents in the veto window (left out: the profile reports no incidents).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serious_incidents: Option<u64>,
    /// The scoring model in force.
    #[serde(default)]
    pub model: ScoringModel,
    /// The smallest set of fixes that reaches the next grade; left out at the best grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_grade: Option<NextGrade>,
}

/// One step of the improvement plan. In JSON it names the rule and gives its own gain, in
/// plan order; the rest is the rule's result (title, clause, level, remedy as the action,
/// message as the gap, values) and `summary.model.veto_rules`, filled in when read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct PlanItem {
    /// Rule id: the result this step fixes.
    pub rule: RuleId,
    /// Clause id.
    #[serde(default, skip_serializing)]
    #[schemars(skip)]
    pub clause: String,
    /// Level.
    #[serde(default = "default_level", skip_serializing)]
    #[schemars(skip)]
    pub level: Level,
    /// What to do: the rule's remedy.
    #[serde(default, skip_serializing)]
    #[schemars(skip)]
    pub action: Message,
    /// Observed vs required, in words: the result's message.
    #[serde(default, skip_serializing)]
    #[schemars(skip)]
    pub gap: Message,
    /// Score points gained if this rule alone is fixed.
    pub gain: f64,
    /// Scoring dimension.
    #[serde(default = "default_dimension", skip_serializing)]
    #[schemars(skip)]
    pub dimension: Dimension,
    /// The rule's title.
    #[serde(default, skip_serializing)]
    #[schemars(skip)]
    pub title: Message,
    /// The value the check saw.
    #[serde(default, skip_serializing)]
    #[schemars(skip)]
    pub observed: Value,
    /// What it was held against.
    #[serde(default, skip_serializing)]
    #[schemars(skip)]
    pub required: Value,
    /// Whether the rule is a veto rule (its failure makes the grade the lowest).
    #[serde(default, skip_serializing)]
    #[schemars(skip)]
    pub veto: bool,
}

const fn default_level() -> Level {
    Level::Shall
}

const fn default_dimension() -> Dimension {
    Dimension::General
}

/// The conformity report for one profile. Its JSON form (`Serialize`, `Deserialize`,
/// `JsonSchema`, in `report/wire.rs`) leaves out what the report holds elsewhere and fills
/// it back in when read.
///
/// ```
/// use icgs::model::CommunityProfile;
/// use icgs::report::{Outcome, Report};
///
/// let engine = icgs::Engine::standard()?;
/// let report = engine.evaluate(CommunityProfile::new("hz-demo", "2026-06-30"))?;
/// // Missing data earns nothing and is listed apart, never counted as a pass.
/// assert_eq!(
///     report.summary.unscored.insufficient_data.len(),
///     report.results.iter().filter(|r| r.outcome == Outcome::InsufficientData).count()
/// );
/// let json = report.to_json()?;
/// let back: Report = serde_json::from_str(&json)?;
/// assert_eq!(back.summary, report.summary);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
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
    /// The reference date the evaluation used: the profile's `as_of`, or the date the
    /// caller gave instead (`--as-of`).
    pub evaluated_as_of: String,
    /// Every loosening of the standard declared by the layers in force, in layer order.
    pub derogations: Vec<DerogationEntry>,
    /// Waivers that were not applied because they are invalid at `evaluated_as_of`.
    pub waiver_problems: Vec<WaiverProblem>,
    /// The one chain of overlays the evaluation used, and how it was chosen.
    pub overlay_chain: OverlayChain,
}

/// A problem of the profile that did not stop the evaluation (see [`crate::validate`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ProfileProblem {
    /// JSON pointer.
    pub pointer: String,
    /// Stable problem code, e.g. `dangling-reference`.
    #[schemars(with = "String")]
    pub code: crate::ProblemCode,
    /// What is wrong.
    pub message: String,
    /// What is wrong, in Chinese (the same detail: what was expected and what was found).
    /// Left out by reports written before it existed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message_zh: String,
    /// The value treated as absent because of the problem: the value at `pointer`, or the
    /// list or record that could not be read without it. Left out when nothing was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absent: Option<String>,
}

impl ProfileProblem {
    /// Whether a rule whose inputs are at `evidence` read the value of this problem: one
    /// pointer is the other or contains it.
    #[must_use]
    pub fn touches(&self, evidence: &[String]) -> bool {
        let related = |a: &str, b: &str| {
            a == b
                || a.strip_prefix(b).is_some_and(|r| r.starts_with('/'))
                || b.strip_prefix(a).is_some_and(|r| r.starts_with('/'))
        };
        evidence.iter().any(|e| {
            related(e, &self.pointer) || self.absent.as_deref().is_some_and(|a| related(e, a))
        })
    }
}

impl Report {
    /// The report as pretty JSON (the `REPORT.md` contract), with a final newline.
    ///
    /// # Errors
    /// Serialisation fails: a non-finite number or a map with non-string keys in a value a
    /// plugin gave (never silently an empty document).
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let mut s = serde_json::to_string_pretty(self)?;
        s.push('\n');
        Ok(s)
    }

    /// Whether some shall rule failed.
    #[must_use]
    pub const fn has_non_conformities(&self) -> bool {
        self.summary.non_conformities > 0
    }
}

// Overlays, provenance and waivers (docs/overlays.md).

/// Why a waiver was not applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum WaiverProblemKind {
    /// It is written in the profile, and profile waivers are not trusted for this evaluation.
    Untrusted,
    /// It names no rule of the packs in force.
    UnknownRule,
    /// The rule may not be waived (a veto rule, or marked so by a pack).
    NonWaivable,
    /// No requester is named.
    NoRequester,
    /// No justification is given.
    NoJustification,
    /// No approver is named.
    NoApprover,
    /// The approver is the requester.
    SelfApproved,
    /// `approved_on` or `expires_on` is absent or not a date.
    InvalidDate,
    /// It expires before it was approved.
    InvalidPeriod,
    /// It runs longer than `waiver_max_days`.
    TooLong,
    /// It is approved after the evaluation date.
    Future,
    /// It expired before the evaluation date.
    Expired,
}

/// A waiver that was not applied, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct WaiverProblem {
    /// `profile`, or the waiver file it came from.
    pub source: String,
    /// JSON pointer of the waiver in its source.
    pub pointer: String,
    /// The rule it names.
    pub rule: String,
    /// Why it was not applied.
    pub problem: WaiverProblemKind,
    /// The problem in words.
    pub message: Message,
}

/// The waiver applied to a result whose outcome became `waived` (`RuleResult::waiver`).
/// Its fields are in alphabetical order, the order reports have always written them in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct AppliedWaiver {
    /// Who approved.
    pub approved_by: String,
    /// Date approved.
    pub approved_on: String,
    /// The rule waived.
    pub clause: String,
    /// Last day it applies.
    pub expires_on: String,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// JSON pointer of the waiver in its source.
    pub pointer: String,
    /// Who asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_by: Option<String>,
    /// `profile`, or the waiver file it came from.
    pub source: String,
    /// The outcome the rule gave before the waiver (always `fail`).
    pub waived_outcome: Outcome,
}
