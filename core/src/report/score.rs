//! Scoring (CLAUSES.md, Scoring): dimension scores, total, grade, caps, vetoes, and the
//! improvement plan ordered by what each fix gains.
//!
//! Every number comes from the pack's `[scoring]` table ([`Scoring`]): dimension weights,
//! level weights (applied when the engine is built), grade bands, veto rules, the veto
//! incident window and the cap a failed shall puts on the grade.

use std::collections::BTreeMap;

use super::{
    Counts, DimensionScore, GradeLimit, LimitKind, Message, Outcome, PlanItem, RuleResult,
    ScoringModel, Summary, Unscored,
};
use crate::pack::Scoring;
use crate::types::{Dimension, Grade, Level, Origin, RuleId};

/// What the scorer needs besides the results.
#[derive(Debug, Clone, Copy)]
pub struct ScoreCard<'a> {
    /// The scoring model.
    pub scoring: &'a Scoring,
    /// Serious incidents in the veto window (`None`: incidents not reported).
    pub serious_incidents: Option<u64>,
    /// The `proposals_cap_grade` parameter in force.
    pub proposals_cap_grade: bool,
}

/// Whether a result's weight counts in its dimension's denominator: `not-applicable` and
/// `waived` (an approved exception) leave it; `insufficient-data`, `manual` and `error`
/// stay and earn nothing.
const fn counts(outcome: Outcome) -> bool {
    !matches!(outcome, Outcome::NotApplicable | Outcome::Waived)
}

pub(super) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One evaluation of the model over the results, with some failed rules taken as fixed.
pub(super) struct Computed {
    pub dims: BTreeMap<Dimension, DimensionScore>,
    /// `100 ÷ Σ weights of counted dimensions`.
    pub scale: f64,
    pub total: f64,
    pub score_grade: Grade,
    pub grade: Grade,
    pub caps: Vec<GradeLimit>,
    pub proposal_caps: Vec<GradeLimit>,
    pub veto: Vec<GradeLimit>,
    pub non_conformities: u32,
    pub deviations: u32,
}

/// Scores `results` as if the results whose index `fixed` accepts had passed: the
/// dimension scores and total, then the grade the total earns, lowered by the caps and
/// vetoes that apply.
pub(super) fn compute(
    results: &[RuleResult],
    model: &ScoringModel,
    serious_incidents: Option<u64>,
    fixed: &dyn Fn(usize) -> bool,
) -> Computed {
    // Each result's outcome once: the dimensions and the failures below all read it.
    let outcomes: Vec<Outcome> = results
        .iter()
        .enumerate()
        .map(|(i, r)| {
            if r.outcome == Outcome::Fail && fixed(i) {
                Outcome::Pass
            } else {
                r.outcome
            }
        })
        .collect();
    let (dims, scale, total) = dimension_scores(results, model, &outcomes);
    let score_grade = model
        .grades
        .band_of(total)
        .map(|g| g.grade.clone())
        .unwrap_or_default();
    let failed: Vec<&RuleResult> = results
        .iter()
        .zip(&outcomes)
        .filter(|&(_, o)| *o == Outcome::Fail)
        .map(|(r, _)| r)
        .collect();
    let shall_failed: Vec<&RuleResult> = failed
        .iter()
        .copied()
        .filter(|r| r.level.is_requirement())
        .collect();
    let non_conformities = u32::try_from(shall_failed.len()).unwrap_or(u32::MAX);
    let deviations = u32::try_from(failed.iter().filter(|r| r.level == Level::Should).count())
        .unwrap_or(u32::MAX);
    let (caps, proposal_caps) = shall_caps(model, &shall_failed, &score_grade);
    let veto = vetoes(model, &failed, serious_incidents);
    let grade = if let Some(v) = veto.first() {
        v.grade.clone()
    } else if let Some(c) = caps.first() {
        c.grade.clone()
    } else {
        score_grade.clone()
    };
    Computed {
        dims,
        scale,
        total,
        score_grade,
        grade,
        caps,
        proposal_caps,
        veto,
        non_conformities,
        deviations,
    }
}

/// The score of each dimension, the scale of the counted ones to 100, and the total.
fn dimension_scores(
    results: &[RuleResult],
    model: &ScoringModel,
    outcomes: &[Outcome],
) -> (BTreeMap<Dimension, DimensionScore>, f64, f64) {
    // (passed, applicable) per dimension, in the order of `Dimension::ALL`, in one pass.
    let mut sums = [(0_u32, 0_u32); Dimension::ALL.len()];
    for (r, &o) in results.iter().zip(outcomes) {
        let sum = Dimension::ALL
            .iter()
            .position(|d| *d == r.dimension)
            .and_then(|k| sums.get_mut(k));
        // Checked arithmetic: weights are bounded when the engine is built, but a
        // result read back from JSON carries any u32; saturating keeps passed ≤ applicable.
        if let Some((passed, applicable)) = sum
            && counts(o)
        {
            *applicable = r.weight.saturating_add(*applicable);
            if o == Outcome::Pass {
                *passed = r.weight.saturating_add(*passed);
            }
        }
    }
    let raw: Vec<(Dimension, u32, u32, u32)> = Dimension::ALL
        .iter()
        .zip(sums)
        .map(|(&d, (passed, applicable))| {
            let weight = model.dimensions.get(d.as_str()).copied().unwrap_or(0);
            (d, weight, passed, applicable)
        })
        .collect();
    // A dimension with nothing applicable leaves the total; the rest are scaled to 100.
    let live_weight: u32 = raw
        .iter()
        .filter(|(_, _, _, a)| *a > 0)
        .map(|(_, w, _, _)| *w)
        .fold(0_u32, u32::saturating_add);
    let scale = if live_weight == 0 {
        0.0
    } else {
        100.0 / f64::from(live_weight)
    };
    let exact = |w: u32, p: u32, a: u32| {
        if a == 0 {
            0.0
        } else {
            f64::from(w) * f64::from(p) / f64::from(a)
        }
    };
    let earned: f64 = raw.iter().map(|&(_, w, p, a)| exact(w, p, a)).sum();
    let total = round2(earned * scale);
    let dims = raw
        .iter()
        .map(|&(d, weight, passed, applicable)| {
            let counted = applicable > 0;
            (
                d,
                DimensionScore {
                    score: round2(exact(weight, passed, applicable)),
                    weight,
                    passed_weight: passed,
                    applicable_weight: applicable,
                    counted,
                    points: round2(exact(weight, passed, applicable) * scale),
                    max_points: if counted {
                        round2(f64::from(weight) * scale)
                    } else {
                        0.0
                    },
                },
            )
        })
        .collect();
    (dims, scale, total)
}

/// The cap failed shall rules put on `grade` (the score's grade), and the cap failed shall
/// rules of proposal clauses would put on it but do not (REVISION-2 A: a failed shall of a
/// proposal clause is a non-conformity and loses its points, but caps the grade only when
/// `proposals_cap_grade` says so). Both empty when the grade is not above the cap.
fn shall_caps(
    model: &ScoringModel,
    shall_failed: &[&RuleResult],
    grade: &Grade,
) -> (Vec<GradeLimit>, Vec<GradeLimit>) {
    let (capping, proposed): (Vec<&RuleResult>, Vec<&RuleResult>) =
        shall_failed.iter().partition(|r| caps_grade(model, r));
    let cap = &model.shall_failure_cap;
    let name = model.grade_name(cap);
    let mut caps = Vec::new();
    let mut proposal_caps = Vec::new();
    if model.grades.rank(grade) >= model.grades.rank(cap) {
        return (caps, proposal_caps);
    }
    if !capping.is_empty() {
        let n = capping.len();
        caps.push(GradeLimit {
            kind: LimitKind::ShallFailureCap,
            grade: cap.clone(),
            rules: ids(&capping),
            message: Message {
                zh: format!("存在 {n} 项不符合（应条款未满足），等级最高为{}", name.zh),
                en: format!(
                    "{n} non-conformities (failed shall clauses) cap the grade at {}",
                    name.en.to_lowercase()
                ),
            },
            origin: model.origin_of("shall_failure_cap"),
        });
    }
    if !proposed.is_empty() {
        let list = ids(&proposed);
        proposal_caps.push(GradeLimit {
            kind: LimitKind::ShallFailureCap,
            grade: cap.clone(),
            message: Message {
                zh: format!(
                    "拟定应条款 {} 未满足，计为不符合并扣分；因评分规则未设定拟定条款限制等级，等级未限制为{}",
                    RuleId::join(&list, "、"),
                    name.zh
                ),
                en: format!(
                    "failed shall rule(s) of proposed clauses {} count as non-conformities and lose their points, but would have capped the grade at {} only if proposals_cap_grade were true",
                    RuleId::join(&list, ", "),
                    name.en.to_lowercase()
                ),
            },
            rules: list,
            origin: Origin::Proposal,
        });
    }
    (caps, proposal_caps)
}

fn ids(rs: &[&RuleResult]) -> Vec<RuleId> {
    rs.iter().map(|r| r.rule.clone()).collect()
}

/// The vetoes (一票否决) that make the grade the lowest: serious incidents in the window,
/// then each failed veto rule.
fn vetoes(
    model: &ScoringModel,
    failed: &[&RuleResult],
    serious_incidents: Option<u64>,
) -> Vec<GradeLimit> {
    let lowest = model
        .grades
        .lowest()
        .map(|g| g.grade.clone())
        .unwrap_or_default();
    let mut veto = Vec::new();
    if let Some(n) = serious_incidents.filter(|n| *n > 0) {
        veto.push(GradeLimit {
            kind: LimitKind::SeriousIncident,
            grade: lowest.clone(),
            rules: Vec::new(),
            message: Message {
                zh: format!(
                    "评价基准日前 {} 个月内发生 {n} 起重大及以上安全事件（一票否决）",
                    model.veto_incident_months
                ),
                en: format!(
                    "{n} serious incident(s) in the {} months before as_of (veto)",
                    model.veto_incident_months
                ),
            },
            origin: model.veto_origin(),
        });
    }
    for r in failed.iter().filter(|r| model.is_veto_rule(&r.rule)) {
        veto.push(GradeLimit {
            kind: LimitKind::VetoRule,
            grade: lowest.clone(),
            rules: vec![r.rule.clone()],
            message: Message {
                zh: format!("一票否决条款 {} 未满足", r.rule),
                en: format!("veto clause {} failed", r.rule),
            },
            origin: model.veto_origin(),
        });
    }
    veto
}

/// Whether failed shall rule `r` caps the grade: always for a clause the note states; for
/// a proposal only when the model's `proposals_cap_grade` is true.
pub(super) fn caps_grade(model: &ScoringModel, r: &RuleResult) -> bool {
    model.proposals_cap_grade || !r.origin.is_proposal()
}

/// What fixing the failed rule `r` alone adds to the total, unrounded: a fix turns a fail
/// into a pass and changes no denominator.
pub(super) fn exact_gain(
    r: &RuleResult,
    dims: &BTreeMap<Dimension, DimensionScore>,
    scale: f64,
) -> f64 {
    dims.get(&r.dimension)
        .filter(|d| d.applicable_weight > 0)
        .map_or(0.0, |d| {
            f64::from(d.weight) * f64::from(r.weight) / f64::from(d.applicable_weight) * scale
        })
}

/// The plan order: non-conformities first, then by gain (largest first), then clause order.
pub(super) fn plan_order(a: (&RuleResult, f64), b: (&RuleResult, f64)) -> std::cmp::Ordering {
    b.0.level
        .is_requirement()
        .cmp(&a.0.level.is_requirement())
        .then(b.1.total_cmp(&a.1))
        .then_with(|| crate::types::clause_order(&a.0.rule, &b.0.rule))
}

/// Scores `results` and plans the fixes.
#[must_use]
pub fn score(results: &[RuleResult], card: ScoreCard<'_>) -> (Summary, Vec<PlanItem>) {
    let model = ScoringModel::new(card.scoring, card.proposals_cap_grade);
    let now = compute(results, &model, card.serious_incidents, &|_| false);

    // The plan: every failed rule, with what fixing it alone would add to the total.
    let mut failed: Vec<(&RuleResult, f64)> = results
        .iter()
        .filter(|r| r.outcome == Outcome::Fail)
        .map(|r| (r, exact_gain(r, &now.dims, now.scale)))
        .collect();
    failed.sort_by(|a, b| plan_order(*a, *b));
    let plan = failed
        .iter()
        .map(|&(r, gain)| PlanItem {
            rule: r.rule.clone(),
            clause: r.clause.clone(),
            level: r.level,
            action: r.remedy.clone(),
            gap: r.message.clone(),
            gain: round2(gain),
            dimension: r.dimension,
            title: r.title.clone(),
            observed: r.observed.clone(),
            required: r.required.clone(),
            veto: model.is_veto_rule(&r.rule),
        })
        .collect();

    let next_grade = super::next_grade::plan(results, &model, card.serious_incidents, &now);
    let mut unscored = Unscored::default();
    for r in results {
        match r.outcome {
            Outcome::InsufficientData => unscored.insufficient_data.push(r.rule.clone()),
            Outcome::Manual => unscored.manual.push(r.rule.clone()),
            Outcome::Error => unscored.error.push(r.rule.clone()),
            _ => {}
        }
    }
    let summary = Summary {
        counts: Counts::of(results),
        non_conformities: now.non_conformities,
        deviations: now.deviations,
        score: now.total,
        dimensions: now.dims,
        grade: now.grade,
        score_grade: now.score_grade,
        caps: now.caps,
        proposal_caps: now.proposal_caps,
        veto: now.veto,
        unscored,
        serious_incidents: card.serious_incidents,
        model,
        next_grade,
    };
    (summary, plan)
}

#[cfg(test)]
mod tests;
