//! Scoring (CLAUSES.md, Scoring): dimension scores, total, grade, caps, vetoes, and the
//! improvement plan ordered by what each fix gains.

use std::collections::BTreeMap;

use super::{DimensionScore, Message, Outcome, PlanItem, RuleResult, Summary};
use crate::pack::{Dimension, Scoring};

/// What the scorer needs besides the results.
#[derive(Debug, Clone, Copy)]
pub struct ScoreCard<'a> {
    /// The scoring model.
    pub scoring: &'a Scoring,
    /// Serious incidents in the veto window (`None`: incidents not reported).
    pub serious_incidents: Option<u64>,
}

/// Whether a result's weight counts in its dimension's denominator: `not-applicable` and
/// `waived` (an approved exception) leave it; `insufficient-data`, `manual` and `error`
/// stay and earn nothing.
const fn counts(outcome: Outcome) -> bool {
    !matches!(outcome, Outcome::NotApplicable | Outcome::Waived)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Scores `results` and plans the fixes.
#[must_use]
pub fn score(results: &[RuleResult], card: ScoreCard<'_>) -> (Summary, Vec<PlanItem>) {
    let s = card.scoring;
    let mut dims: BTreeMap<String, DimensionScore> = BTreeMap::new();
    for d in Dimension::ALL {
        let weight = s.dimensions.get(d.as_str()).copied().unwrap_or(0);
        let (mut passed, mut applicable) = (0, 0);
        for r in results
            .iter()
            .filter(|r| r.dimension == d && counts(r.outcome))
        {
            applicable += r.weight;
            if r.outcome == Outcome::Pass {
                passed += r.weight;
            }
        }
        let score = if applicable == 0 {
            0.0
        } else {
            f64::from(weight) * f64::from(passed) / f64::from(applicable)
        };
        dims.insert(
            d.as_str().to_owned(),
            DimensionScore {
                score: round2(score),
                weight,
                passed_weight: passed,
                applicable_weight: applicable,
            },
        );
    }
    // A dimension with nothing applicable leaves the total; the rest are scaled to 100.
    let live_weight: u32 = dims
        .values()
        .filter(|d| d.applicable_weight > 0)
        .map(|d| d.weight)
        .sum();
    let scale = if live_weight == 0 {
        0.0
    } else {
        100.0 / f64::from(live_weight)
    };
    let earned: f64 = dims
        .values()
        .filter(|d| d.applicable_weight > 0)
        .map(|d| f64::from(d.weight) * f64::from(d.passed_weight) / f64::from(d.applicable_weight))
        .sum();
    let total = round2(earned * scale);

    let band = |score: f64| {
        s.grades
            .iter()
            .find(|g| score >= g.min)
            .or(s.grades.last())
            .map(|g| g.grade.clone())
            .unwrap_or_default()
    };
    let rank = |grade: &str| {
        s.grades
            .iter()
            .position(|g| g.grade == grade)
            .unwrap_or(usize::MAX)
    };
    let score_grade = band(total);
    let mut grade = score_grade.clone();
    let failed = |r: &&RuleResult| r.outcome == Outcome::Fail;
    let non_conformities = results
        .iter()
        .filter(failed)
        .filter(|r| r.level.is_requirement())
        .count() as u32;
    let deviations = results
        .iter()
        .filter(failed)
        .filter(|r| r.level == crate::pack::Level::Should)
        .count() as u32;

    let mut caps = Vec::new();
    if non_conformities > 0 && rank(&grade) < rank(&s.shall_failure_cap) {
        grade = s.shall_failure_cap.clone();
        let name = s
            .grades
            .iter()
            .find(|g| g.grade == s.shall_failure_cap)
            .map(|g| g.name.clone())
            .unwrap_or_default();
        caps.push(Message {
            zh: format!(
                "存在 {non_conformities} 项不符合（应条款未满足），等级最高为{}",
                name.zh
            ),
            en: format!(
                "{non_conformities} non-conformities (failed shall clauses) cap the grade at {}",
                name.en.to_lowercase()
            ),
        });
    }
    let mut veto = Vec::new();
    if card.serious_incidents.is_some_and(|n| n > 0) {
        veto.push(Message {
            zh: format!(
                "评价期前 {} 个月内发生重大及以上安全事件（一票否决）",
                s.veto_incident_months
            ),
            en: format!(
                "a serious incident in the {} months before as_of (veto)",
                s.veto_incident_months
            ),
        });
    }
    for r in results
        .iter()
        .filter(failed)
        .filter(|r| s.veto_rules.contains(&r.rule))
    {
        veto.push(Message {
            zh: format!("一票否决条款 {} 未满足", r.rule),
            en: format!("veto clause {} failed", r.rule),
        });
    }
    if !veto.is_empty() {
        grade = s.grades.last().map(|g| g.grade.clone()).unwrap_or_default();
    }

    // The plan: every failed rule, with what fixing it alone would add to the total.
    let mut plan: Vec<PlanItem> = results
        .iter()
        .filter(failed)
        .map(|r| {
            let d = dims.get(r.dimension.as_str());
            let gain = d.filter(|d| d.applicable_weight > 0).map_or(0.0, |d| {
                f64::from(d.weight) * f64::from(r.weight) / f64::from(d.applicable_weight) * scale
            });
            PlanItem {
                rule: r.rule.clone(),
                clause: r.clause.clone(),
                level: r.level,
                action: r.remedy.clone(),
                gap: r.message.clone(),
                gain: round2(gain),
            }
        })
        .collect();
    plan.sort_by(|a, b| {
        b.level
            .is_requirement()
            .cmp(&a.level.is_requirement())
            .then(b.gain.total_cmp(&a.gain))
            .then_with(|| crate::engine::clause_order(&a.rule, &b.rule))
    });

    let summary = Summary {
        counts: super::Counts::of(results),
        non_conformities,
        deviations,
        score: total,
        dimensions: dims,
        grade,
        score_grade,
        caps,
        veto,
    };
    (summary, plan)
}
