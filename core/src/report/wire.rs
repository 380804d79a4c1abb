//! The report as written to JSON (version 2, `docs/reports.md`, "Changes in version 2"):
//! nothing per result that the report already holds once. The in-memory [`Report`] keeps
//! every field filled, for the renderers; this module leaves out on writing what another
//! part of the report holds, and fills it back in on reading, so that a report read from
//! JSON equals the report written (less the remedies of results that need none).
//!
//! - a parameter's `set_by` and a rule's `provenance` only when they are not the plain
//!   provenance of a pack listed in `packs` (its document there, no dates, no change);
//! - `remedy` and `record_hint` only on results that need a fix or data (not `pass`,
//!   `not-applicable`);
//! - a result's `profile_problems` as indexes into the report's `profile_problems`;
//! - the improvement plan and the next-grade fixes name the rule (and their own gain,
//!   reason); title, clause, level, remedy, gap and values are the result's;
//! - nulls, empty `evidence` and empty `params` left out.
//!
//! Versions 1 and 2 are read; any other version is refused naming it.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::{
    DerogationEntry, EngineInfo, Message, OverlayChain, PackInfo, ParamUse, PlanItem, ProfileInfo,
    ProfileProblem, Provenance, REPORT_VERSION, Report, RuleError, RuleProvenance, RuleResult,
    Summary, WaiverProblem,
};
use crate::types::{Dimension, Level, Origin, PackRef};

/// The report versions this build reads: version 1 still has every field in full.
const READS: [&str; 2] = ["1", REPORT_VERSION];

/// The conformity report for one profile.
#[derive(Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Report")]
struct Wire<'a> {
    /// Report format version: `2`.
    #[serde(deserialize_with = "read_version")]
    report_version: Cow<'a, str>,
    /// The engine.
    engine: Cow<'a, EngineInfo>,
    /// The profile.
    profile: Cow<'a, ProfileInfo>,
    /// The packs, in layer order; results and parameters name them as `id@version`.
    packs: Cow<'a, [PackInfo]>,
    /// One result per rule, in clause order.
    results: Vec<WireResult<'a>>,
    /// Counts, score, grade.
    summary: Cow<'a, Summary>,
    /// Every failed rule: non-conformities first, then by gain.
    improvement_plan: Cow<'a, [PlanItem]>,
    /// Problems found while reading the profile that did not stop the evaluation.
    profile_problems: Cow<'a, [ProfileProblem]>,
    /// The reference date the evaluation used: the profile's `as_of`, or the date the
    /// caller gave instead (`--as-of`).
    #[serde(default)]
    evaluated_as_of: Cow<'a, str>,
    /// Every loosening of the standard declared by the layers in force, in layer order.
    #[serde(default)]
    derogations: Cow<'a, [DerogationEntry]>,
    /// Waivers that were not applied because they are invalid at `evaluated_as_of`.
    #[serde(default)]
    waiver_problems: Cow<'a, [WaiverProblem]>,
    /// The one chain of overlays the evaluation used, and how it was chosen.
    #[serde(default)]
    overlay_chain: Cow<'a, OverlayChain>,
}

/// One rule's result.
#[derive(Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "RuleResult")]
struct WireResult<'a> {
    /// Rule id.
    rule: Cow<'a, str>,
    /// Clause id.
    clause: Cow<'a, str>,
    /// `shall`, `shall-not`, `should` or `may`.
    level: Level,
    /// Scoring dimension.
    dimension: Dimension,
    /// The outcome.
    outcome: super::Outcome,
    /// The value the check saw; left out when none.
    #[serde(default, skip_serializing_if = "is_null")]
    observed: Cow<'a, Value>,
    /// What it was held against; left out when nothing.
    #[serde(default, skip_serializing_if = "is_null")]
    required: Cow<'a, Value>,
    /// The result in words.
    message: Cow<'a, Message>,
    /// JSON pointers to the inputs; left out when none.
    #[serde(default, skip_serializing_if = "<[String]>::is_empty")]
    evidence: Cow<'a, [String]>,
    /// Each parameter the rule read; left out when none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    params: BTreeMap<Cow<'a, str>, WireParam<'a>>,
    /// The waiver applied, when the outcome is `waived`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Value>")]
    waiver: Option<Cow<'a, super::AppliedWaiver>>,
    /// Where the rule failed, when the outcome is `error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error: Option<Cow<'a, RuleError>>,
    /// The rule's title.
    title: Cow<'a, Message>,
    /// What to do when it fails; given unless the outcome is `pass` or `not-applicable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    remedy: Option<Cow<'a, Message>>,
    /// The pack that defined the rule (`id@version`, one of `packs`).
    pack: Cow<'a, PackRef>,
    /// Weight within the dimension (0 for `may`).
    weight: u32,
    /// Which layer defined the rule and which changed it (level, disabled, waivable); left
    /// out when the rule's pack defined it, undated, and no layer changed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    provenance: Option<Cow<'a, RuleProvenance>>,
    /// `note` when the explanatory note states the clause; `proposal` when it does not
    /// (编制说明未规定，待标准正文确认) or the rule's reading goes beyond it.
    #[serde(default)]
    origin: Origin,
    /// Where the origin is stated, when the pack names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<Cow<'a, str>>,
    /// The profile's problems at the inputs this rule read (its `evidence`), as indexes
    /// into the report's `profile_problems`: their values were treated as absent
    /// (REVISION-2 section E). Left out when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    profile_problems: Vec<ProblemRef<'a>>,
    /// How to record the fix in the profile (数据填报说明: the fields to fill), apart from
    /// the remedy; given, when the rule has one, unless the outcome is `pass` or
    /// `not-applicable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    record_hint: Option<Cow<'a, Message>>,
}

/// A parameter the rule read, with the layer that set it.
#[derive(Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "ParamUse")]
struct WireParam<'a> {
    /// The value.
    value: Cow<'a, Value>,
    /// Unit, when the parameter has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit: Option<Cow<'a, str>>,
    /// Which layer set the value: `<pack id>@<version>`, one of `packs`.
    layer: Cow<'a, PackRef>,
    /// The layer that set the value, with its document and effective dates; left out when
    /// it is the pack of `layer` with the pack's document and no dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    set_by: Option<Cow<'a, Provenance>>,
    /// Whether the explanatory note fixes the parameter (`note`) or we proposed it.
    #[serde(default)]
    origin: Origin,
    /// Where the origin is stated, when the pack names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<Cow<'a, str>>,
    /// The community category whose value decided, when the value is one category's (for
    /// a community of several categories, the strictest; `a+b` when their lists combine).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    category: Option<Cow<'a, str>>,
}

/// A profile problem of a result: the index of the report's problem (version 2), or the
/// problem itself (version 1, or a problem the report does not list).
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
enum ProblemRef<'a> {
    /// Index into the report's `profile_problems`.
    Index(usize),
    /// The problem in full.
    Problem(Cow<'a, ProfileProblem>),
}

#[allow(
    clippy::ptr_arg,
    reason = "`skip_serializing_if` passes the field itself"
)]
fn is_null(v: &Cow<'_, Value>) -> bool {
    v.is_null()
}

fn read_version<'de, 'a, D: Deserializer<'de>>(d: D) -> Result<Cow<'a, str>, D::Error> {
    let version = String::deserialize(d)?;
    if READS.contains(&version.as_str()) {
        Ok(Cow::Owned(version))
    } else {
        Err(serde::de::Error::custom(format!(
            "report_version `{version}` is not a version this icgs reads (it reads {} and \
             writes {REPORT_VERSION}); check the profile again with this icgs to write the \
             report anew",
            READS.join(" and ")
        )))
    }
}

/// The plain provenance of the pack `id@version`: what a version 2 report leaves out.
fn pack_provenance(packs: &[PackInfo], (id, version): (&str, &str)) -> Option<Provenance> {
    let p = packs.iter().find(|p| p.id == id && p.version == version)?;
    Some(Provenance {
        pack: p.id.clone(),
        version: p.version.clone(),
        layer: p.layer,
        document: p.document.clone(),
        effective_from: None,
        effective_until: None,
    })
}

/// A rule's provenance when its pack defined it and no layer changed it.
fn plain_rule_provenance(packs: &[PackInfo], pack: &PackRef) -> Option<RuleProvenance> {
    Some(RuleProvenance {
        defined_by: pack_provenance(packs, pack.parts())?,
        changed_by: None,
        changes: Vec::new(),
    })
}

/// Whether `p` is [`pack_provenance`] of the pack `id@version`, compared without building
/// it (every result and parameter is asked when a report is written).
fn is_pack_provenance(p: &Provenance, packs: &[PackInfo], (id, version): (&str, &str)) -> bool {
    p.effective_from.is_none()
        && p.effective_until.is_none()
        && packs
            .iter()
            .find(|k| k.id == id && k.version == version)
            .is_some_and(|k| {
                p.pack == k.id
                    && p.version == k.version
                    && p.layer == k.layer
                    && p.document == k.document
            })
}

/// Whether a result of this outcome carries its remedy and record hint.
const fn needs_remedy(outcome: super::Outcome) -> bool {
    !matches!(
        outcome,
        super::Outcome::Pass | super::Outcome::NotApplicable
    )
}

impl<'a> WireResult<'a> {
    fn new(r: &'a RuleResult, packs: &[PackInfo], problems: &[ProfileProblem]) -> Self {
        let needs = needs_remedy(r.outcome);
        let plain = r.provenance.changed_by.is_none()
            && r.provenance.changes.is_empty()
            && is_pack_provenance(&r.provenance.defined_by, packs, r.pack.parts());
        let provenance = (!plain).then_some(Cow::Borrowed(&r.provenance));
        Self {
            rule: Cow::Borrowed(&r.rule),
            clause: Cow::Borrowed(&r.clause),
            level: r.level,
            dimension: r.dimension,
            outcome: r.outcome,
            observed: Cow::Borrowed(&r.observed),
            required: Cow::Borrowed(&r.required),
            message: Cow::Borrowed(&r.message),
            evidence: Cow::Borrowed(&r.evidence),
            params: r
                .params
                .iter()
                .map(|(name, p)| (Cow::Borrowed(name.as_str()), WireParam::new(p, packs)))
                .collect(),
            waiver: r.waiver.as_ref().map(Cow::Borrowed),
            error: r.error.as_ref().map(Cow::Borrowed),
            title: Cow::Borrowed(&r.title),
            remedy: needs.then_some(Cow::Borrowed(&r.remedy)),
            pack: Cow::Borrowed(&r.pack),
            weight: r.weight,
            provenance,
            origin: r.origin,
            source: r.source.as_deref().map(Cow::Borrowed),
            profile_problems: r
                .profile_problems
                .iter()
                .map(|p| {
                    problems
                        .iter()
                        .position(|q| q == p)
                        .map_or(ProblemRef::Problem(Cow::Borrowed(p)), ProblemRef::Index)
                })
                .collect(),
            record_hint: r.record_hint.as_ref().filter(|_| needs).map(Cow::Borrowed),
        }
    }

    fn into_result(
        self,
        packs: &[PackInfo],
        problems: &[ProfileProblem],
    ) -> Result<RuleResult, String> {
        let pack = self.pack.into_owned();
        let provenance = match self.provenance {
            Some(p) => p.into_owned(),
            None => plain_rule_provenance(packs, &pack)
                .ok_or_else(|| format!("rule `{}`: pack `{pack}` is not in `packs`", self.rule))?,
        };
        let rule: crate::types::RuleId = self.rule.into_owned().into();
        let params = self
            .params
            .into_iter()
            .map(|(name, p)| Ok((name.into_owned(), p.into_param(packs, &rule)?)))
            .collect::<Result<BTreeMap<_, _>, String>>()?
            .into();
        let profile_problems = self
            .profile_problems
            .into_iter()
            .map(|p| match p {
                ProblemRef::Index(i) => problems.get(i).cloned().ok_or_else(|| {
                    format!(
                        "rule `{rule}`: profile problem {i} is not in `profile_problems` ({} listed)",
                        problems.len()
                    )
                }),
                ProblemRef::Problem(p) => Ok(p.into_owned()),
            })
            .collect::<Result<_, String>>()?;
        Ok(RuleResult {
            rule,
            clause: self.clause.into_owned(),
            level: self.level,
            dimension: self.dimension,
            outcome: self.outcome,
            observed: self.observed.into_owned(),
            required: self.required.into_owned(),
            message: self.message.into_owned(),
            evidence: self.evidence.into_owned(),
            params,
            waiver: self.waiver.map(Cow::into_owned),
            error: self.error.map(Cow::into_owned),
            title: self.title.into_owned(),
            remedy: self.remedy.map(Cow::into_owned).unwrap_or_default(),
            pack,
            weight: self.weight,
            provenance,
            origin: self.origin,
            source: self.source.map(Cow::into_owned),
            profile_problems,
            record_hint: self.record_hint.map(Cow::into_owned),
        })
    }
}

impl<'a> WireParam<'a> {
    fn new(p: &'a ParamUse, packs: &[PackInfo]) -> Self {
        Self {
            value: Cow::Borrowed(&p.value),
            unit: p.unit.as_deref().map(Cow::Borrowed),
            layer: Cow::Borrowed(&p.layer),
            set_by: (!is_pack_provenance(&p.set_by, packs, p.layer.parts()))
                .then_some(Cow::Borrowed(&p.set_by)),
            origin: p.origin,
            source: p.source.as_deref().map(Cow::Borrowed),
            category: p.category.as_deref().map(Cow::Borrowed),
        }
    }

    fn into_param(self, packs: &[PackInfo], rule: &str) -> Result<ParamUse, String> {
        let layer = self.layer.into_owned();
        let set_by = match self.set_by {
            Some(p) => p.into_owned(),
            None => pack_provenance(packs, layer.parts()).ok_or_else(|| {
                format!("rule `{rule}`: parameter layer `{layer}` is not in `packs`")
            })?,
        };
        Ok(ParamUse {
            value: self.value.into_owned(),
            unit: self.unit.map(Cow::into_owned),
            layer,
            set_by,
            origin: self.origin,
            source: self.source.map(Cow::into_owned),
            category: self.category.map(Cow::into_owned),
        })
    }
}

impl<'a> Wire<'a> {
    fn new(r: &'a Report) -> Self {
        Self {
            report_version: Cow::Borrowed(&r.report_version),
            engine: Cow::Borrowed(&r.engine),
            profile: Cow::Borrowed(&r.profile),
            packs: Cow::Borrowed(&r.packs),
            results: r
                .results
                .iter()
                .map(|x| WireResult::new(x, &r.packs, &r.profile_problems))
                .collect(),
            summary: Cow::Borrowed(&r.summary),
            improvement_plan: Cow::Borrowed(&r.improvement_plan),
            profile_problems: Cow::Borrowed(&r.profile_problems),
            evaluated_as_of: Cow::Borrowed(&r.evaluated_as_of),
            derogations: Cow::Borrowed(&r.derogations),
            waiver_problems: Cow::Borrowed(&r.waiver_problems),
            overlay_chain: Cow::Borrowed(&r.overlay_chain),
        }
    }

    fn into_report(self) -> Result<Report, String> {
        let packs = self.packs.into_owned();
        let problems = self.profile_problems.into_owned();
        let results = self
            .results
            .into_iter()
            .map(|x| x.into_result(&packs, &problems))
            .collect::<Result<Vec<_>, String>>()?;
        let mut summary = self.summary.into_owned();
        let mut improvement_plan = self.improvement_plan.into_owned();
        fill_plan(&mut improvement_plan, &results, &summary)?;
        if let Some(next) = &mut summary.next_grade {
            for fix in &mut next.fixes {
                let r = result_of(&results, &fix.rule, "summary.next_grade.fixes")?;
                fix.clause.clone_from(&r.clause);
                fix.level = r.level;
            }
        }
        Ok(Report {
            // The report in memory has the shape of this version, whatever it was read from.
            report_version: REPORT_VERSION.to_owned(),
            engine: self.engine.into_owned(),
            profile: self.profile.into_owned(),
            packs,
            results,
            summary,
            improvement_plan,
            profile_problems: problems,
            evaluated_as_of: self.evaluated_as_of.into_owned(),
            derogations: self.derogations.into_owned(),
            waiver_problems: self.waiver_problems.into_owned(),
            overlay_chain: self.overlay_chain.into_owned(),
        })
    }
}

fn result_of<'r>(
    results: &'r [RuleResult],
    rule: &str,
    at: &str,
) -> Result<&'r RuleResult, String> {
    results
        .iter()
        .find(|r| r.rule == rule)
        .ok_or_else(|| format!("`{at}` names rule `{rule}`, which has no result"))
}

/// Each plan item's copy of its result: the plan names the rule and its own gain.
fn fill_plan(
    plan: &mut [PlanItem],
    results: &[RuleResult],
    summary: &Summary,
) -> Result<(), String> {
    for item in plan {
        let r = result_of(results, &item.rule, "improvement_plan")?;
        item.clause.clone_from(&r.clause);
        item.level = r.level;
        item.action.clone_from(&r.remedy);
        item.gap.clone_from(&r.message);
        item.dimension = r.dimension;
        item.title.clone_from(&r.title);
        item.observed.clone_from(&r.observed);
        item.required.clone_from(&r.required);
        item.veto = summary.model.is_veto_rule(&item.rule);
    }
    Ok(())
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Wire::new(self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Report {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Wire::deserialize(d)?
            .into_report()
            .map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Report {
    fn schema_name() -> Cow<'static, str> {
        "Report".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        Wire::json_schema(generator)
    }
}

/// Serde for a value shared by `Arc` (serde's `rc` feature is off): written and read as
/// the value itself.
pub(super) mod shared {
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<T: Serialize, S: Serializer>(
        value: &Arc<T>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        T::serialize(value, s)
    }

    pub(crate) fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Arc<T>, D::Error> {
        T::deserialize(d).map(Arc::new)
    }
}
