//! The smallest set of fixes that reaches the next grade.
//!
//! Fixing a failed rule turns a `fail` into a `pass`: its weight was already in its
//! dimension's denominator, and no dimension enters or leaves the total, so the total after
//! fixing a set `S` is `T₀ + Σ_{r∈S} gᵣ` (before the one rounding), with `gᵣ` the rule's gain
//! in the plan. The grade after the fixes is the band of that total, unless
//! - a failed veto rule remains (the lowest grade), or a serious incident falls in the veto
//!   window (the lowest grade, and no fix of a rule lifts it), or
//! - a failed shall rule remains and the target is above the shall-failure cap.
//!
//! So every set that reaches the target contains the *forced* fixes `F` (the failed veto
//! rules; and every failed shall rule when the target is above the cap), and its other
//! members only add points. Among the remaining failed rules, the `k` largest gains give
//! the largest total that any `k` of them can give; the total is monotone in the set's gain
//! and the band is monotone in the total. Hence the smallest set is `F` plus the fewest
//! largest gains whose total reaches the band: scanning `k = 0, 1, …` with the top `k` is
//! exact, not a heuristic. (A greedy by gain alone, blind to `F`, is optimal only when no
//! cap or veto applies: with a cap it would spend fixes on large `should` gains and still
//! stay capped.) Each candidate set is checked by rescoring the results with the real
//! scorer, so the answer agrees with the report the fixes would produce, rounding
//! included. Among sets of the smallest size the top gains also give the highest total;
//! equal gains are broken by clause order.

use super::score::{Computed, caps_grade, compute, exact_gain, plan_order};
use super::{
    FixReason, Message, NextGrade, NextGradeFix, NextGradeStatus, Outcome, RuleResult, ScoringModel,
};
use crate::pack::GradeBand;

/// The answer for the current results; `None` at the best grade.
pub(super) fn plan(
    results: &[RuleResult],
    model: &ScoringModel,
    serious_incidents: Option<u64>,
    now: &Computed,
) -> Option<NextGrade> {
    let bands = model.grades.bands();
    let target = match model.grades.rank(&now.grade) {
        0 => return None,
        usize::MAX => bands.last()?,
        n => bands.get(n - 1)?,
    };
    if serious_incidents.is_some_and(|n| n > 0) {
        return Some(vetoed(model, target, now));
    }
    let (forced, rest) = candidates(results, model, target, now);
    let with = |k: usize| {
        let mut chosen = vec![false; results.len()];
        for i in forced
            .iter()
            .map(|(i, _)| *i)
            .chain(rest.iter().take(k).copied())
        {
            if let Some(c) = chosen.get_mut(i) {
                *c = true;
            }
        }
        compute(results, model, serious_incidents, &|i| {
            chosen.get(i).copied().unwrap_or(false)
        })
    };
    let target_rank = model.grades.rank(&target.grade);
    for k in 0..=rest.len() {
        let after = with(k);
        if model.grades.rank(&after.grade) <= target_rank {
            let chosen = forced
                .iter()
                .copied()
                .chain(rest.iter().take(k).map(|&i| (i, FixReason::Points)));
            return Some(reachable(results, model, target, now, &after, chosen));
        }
    }
    Some(short_of_points(results, model, target, &with(rest.len())))
}

/// The failed rules every set reaching `target` must fix (the veto rules; the capping
/// shall rules when `target` is above the cap), and the others, largest gain first
/// (equal gains in clause order), by index into `results`.
fn candidates(
    results: &[RuleResult],
    model: &ScoringModel,
    target: &GradeBand,
    now: &Computed,
) -> (Vec<(usize, FixReason)>, Vec<usize>) {
    let cap_applies =
        model.grades.rank(&target.grade) < model.grades.rank(&model.shall_failure_cap);
    let mut forced: Vec<(usize, FixReason)> = Vec::new();
    let mut rest: Vec<usize> = Vec::new();
    for (i, r) in results.iter().enumerate() {
        if r.outcome != Outcome::Fail {
            continue;
        }
        if model.is_veto_rule(&r.rule) {
            forced.push((i, FixReason::Veto));
        } else if cap_applies && r.level.is_requirement() && caps_grade(model, r) {
            forced.push((i, FixReason::Cap));
        } else {
            rest.push(i);
        }
    }
    let gain = |i: usize| gain_of(results, now, i);
    rest.sort_by(|&a, &b| {
        gain(b)
            .total_cmp(&gain(a))
            .then_with(|| match (results.get(a), results.get(b)) {
                (Some(x), Some(y)) => crate::types::clause_order(&x.rule, &y.rule),
                _ => a.cmp(&b),
            })
    });
    (forced, rest)
}

/// What fixing `results[i]` alone adds to the current total.
fn gain_of(results: &[RuleResult], now: &Computed, i: usize) -> f64 {
    results
        .get(i)
        .map_or(0.0, |r| exact_gain(r, &now.dims, now.scale))
}

/// A serious incident in the veto window: no fix of a rule reaches `target`.
fn vetoed(model: &ScoringModel, target: &GradeBand, now: &Computed) -> NextGrade {
    let name = model.grade_name(&target.grade);
    NextGrade {
        target: target.grade.clone(),
        target_min: target.min,
        status: NextGradeStatus::SeriousIncident,
        fixes: Vec::new(),
        score_after: now.total,
        grade_after: now.grade.clone(),
        message: Message {
            zh: format!(
                "评价基准日前 {} 个月内发生重大及以上安全事件，一票否决：整改条款无法达到{}，须待事件移出评价期",
                model.veto_incident_months, name.zh
            ),
            en: format!(
                "a serious incident in the {} months before as_of vetoes the grade: no fix of a rule reaches {}; the incident must leave the window",
                model.veto_incident_months,
                name.en.to_lowercase()
            ),
        },
    }
}

/// The fixes `chosen` (index into `results`, reason) reach `target`, giving `after`.
fn reachable(
    results: &[RuleResult],
    model: &ScoringModel,
    target: &GradeBand,
    now: &Computed,
    after: &Computed,
    chosen: impl Iterator<Item = (usize, FixReason)>,
) -> NextGrade {
    let mut fixes: Vec<(&RuleResult, f64, FixReason)> = chosen
        .filter_map(|(i, reason)| {
            results
                .get(i)
                .map(|r| (r, gain_of(results, now, i), reason))
        })
        .collect();
    fixes.sort_by(|a, b| plan_order((a.0, a.1), (b.0, b.1)));
    let n = fixes.len();
    // The grade named is the grade reached (fixing a cap can skip the band aimed at).
    let grade_name = model.grade_name(&after.grade);
    NextGrade {
        target: target.grade.clone(),
        target_min: target.min,
        status: NextGradeStatus::Reachable,
        fixes: fixes
            .into_iter()
            .map(|(r, g, reason)| NextGradeFix {
                rule: r.rule.clone(),
                clause: r.clause.clone(),
                level: r.level,
                gain: super::score::round2(g),
                reason,
            })
            .collect(),
        score_after: after.total,
        grade_after: after.grade.clone(),
        message: Message {
            zh: format!(
                "整改 {n} 项即可达到{}：得分 {:.2} → {:.2}",
                grade_name.zh, now.total, after.total
            ),
            en: format!(
                "fixing {n} rule(s) reaches {}: score {:.2} → {:.2}",
                grade_name.en.to_lowercase(),
                now.total,
                after.total
            ),
        },
    }
}

/// Even with every failed rule fixed (giving `all`) the score stays below `target`.
fn short_of_points(
    results: &[RuleResult],
    model: &ScoringModel,
    target: &GradeBand,
    all: &Computed,
) -> NextGrade {
    let name = model.grade_name(&target.grade);
    let unscored = results
        .iter()
        .filter(|r| {
            matches!(
                r.outcome,
                Outcome::InsufficientData | Outcome::Manual | Outcome::Error
            )
        })
        .count();
    NextGrade {
        target: target.grade.clone(),
        target_min: target.min,
        status: NextGradeStatus::ShortOfPoints,
        fixes: Vec::new(),
        score_after: all.total,
        grade_after: all.grade.clone(),
        message: Message {
            zh: format!(
                "即使整改全部未满足条款，得分仅 {:.2}，达不到{}（{} 分）：其余分值在 {unscored} 项数据不足、需人工核查或执行错误的条款中",
                all.total, name.zh, target.min
            ),
            en: format!(
                "fixing every failed rule gives only {:.2}, short of {} ({}): the other points are in {unscored} rules that lack data, need a manual check or could not be evaluated",
                all.total,
                name.en.to_lowercase(),
                target.min
            ),
        },
    }
}
