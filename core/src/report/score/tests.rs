#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use std::collections::BTreeMap;

use super::super::{FixReason, LimitKind, Message, NextGradeStatus, Outcome, RuleResult};
use super::{ScoreCard, ScoringModel, compute, score};
use crate::pack::{GradeBand, GradeScale, Scoring};
use crate::types::{Dimension, Level, Origin, Text};

fn model() -> Scoring {
    let band = |grade: &str, min: f64| GradeBand {
        grade: grade.into(),
        min,
        name: Text {
            zh: grade.into(),
            en: grade.into(),
        },
    };
    Scoring {
        dimensions: [
            ("general", 10),
            ("construction", 15),
            ("organisation", 25),
            ("governance-services", 35),
            ("evaluation", 15),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect(),
        level_weights: BTreeMap::new(),
        grades: GradeScale::new(vec![
            band("excellent", 90.0),
            band("good", 80.0),
            band("qualified", 60.0),
            band("unqualified", 0.0),
        ]),
        veto_rules: Vec::new(),
        veto_incident_months: 12,
        shall_failure_cap: "qualified".into(),
        origin: BTreeMap::new(),
        derogation: None,
    }
}

/// A model with one dimension of weight 100, so totals are plain percentages.
fn flat() -> Scoring {
    let mut s = model();
    s.dimensions = [("general".to_owned(), 100)].into_iter().collect();
    s
}

fn r(rule: &str, dimension: Dimension, level: Level, outcome: Outcome, weight: u32) -> RuleResult {
    RuleResult {
        rule: rule.into(),
        clause: rule.into(),
        level,
        dimension,
        outcome,
        observed: serde_json::Value::Null,
        required: serde_json::Value::Null,
        message: Message::default(),
        evidence: Vec::new(),
        params: Default::default(),
        waiver: None,
        error: None,
        title: Message::default(),
        remedy: Message {
            zh: format!("整改 {rule}"),
            en: format!("fix {rule}"),
        },
        pack: crate::types::PackRef::new("test", "1.0.0"),
        weight,
        ..blank()
    }
}

/// A result with every field empty, so new fields of `RuleResult` need no change here; its
/// clause is one the note states (`proposed` makes it a proposal).
fn blank() -> RuleResult {
    serde_json::from_value(serde_json::json!({
        "rule": "", "clause": "", "level": "should", "dimension": "general",
        "outcome": "pass", "observed": null, "required": null,
        "message": {"zh": "", "en": ""}, "evidence": [], "params": {}, "waiver": null,
        "error": null, "title": {"zh": "", "en": ""}, "remedy": {"zh": "", "en": ""},
        "pack": "", "weight": 0, "origin": "note"
    }))
    .unwrap()
}

fn card(s: &Scoring) -> ScoreCard<'_> {
    ScoreCard {
        scoring: s,
        serious_incidents: Some(0),
        proposals_cap_grade: false,
    }
}

/// `r` of a proposal clause.
fn proposed(r: RuleResult) -> RuleResult {
    RuleResult {
        origin: Origin::Proposal,
        ..r
    }
}

/// `n` rules of the general dimension, weight 1, the first `passed` passing, the others
/// failing at `level`.
fn percent(passed: usize, n: usize, level: Level) -> Vec<RuleResult> {
    (0..n)
        .map(|i| {
            let o = if i < passed {
                Outcome::Pass
            } else {
                Outcome::Fail
            };
            r(&format!("4.{}", i + 1), Dimension::General, level, o, 1)
        })
        .collect()
}

#[test]
fn a_dimension_with_nothing_applicable_leaves_the_total_and_the_rest_scale_to_100() {
    use Dimension::*;
    let s = model();
    let results = vec![
        r("4.1", General, Level::Shall, Outcome::NotApplicable, 3),
        r("4.2", General, Level::Should, Outcome::NotApplicable, 1),
        r("5.1", Construction, Level::Shall, Outcome::Pass, 3),
        r("6.1", Organisation, Level::Shall, Outcome::Pass, 3),
        r("7.1", GovernanceServices, Level::Shall, Outcome::Pass, 3),
        r("8.1", Evaluation, Level::Shall, Outcome::Pass, 3),
    ];
    let (summary, plan) = score(&results, card(&s));
    let general = &summary.dimensions[&Dimension::General];
    assert!(!general.counted);
    assert_eq!(general.applicable_weight, 0);
    assert_eq!(general.max_points, 0.0);
    assert_eq!(
        summary.score, 100.0,
        "90 points of 90 counted, scaled to 100"
    );
    assert_eq!(
        summary.dimensions[&Dimension::Construction].max_points,
        16.67
    );
    assert_eq!(summary.grade, "excellent");
    assert!(plan.is_empty());
    assert!(summary.next_grade.is_none(), "already the best grade");
}

#[test]
fn nothing_applicable_at_all_scores_zero_without_dividing_by_zero() {
    let s = model();
    let results = vec![r(
        "4.1",
        Dimension::General,
        Level::Shall,
        Outcome::NotApplicable,
        3,
    )];
    let (summary, _) = score(&results, card(&s));
    assert_eq!(summary.score, 0.0);
    assert_eq!(summary.grade, "unqualified");
}

#[test]
fn missing_data_manual_and_error_stay_in_the_denominator_and_are_listed_apart() {
    let s = flat();
    let mut results = percent(7, 7, Level::Shall);
    results.push(r(
        "4.8",
        Dimension::General,
        Level::Shall,
        Outcome::InsufficientData,
        1,
    ));
    results.push(r(
        "4.9",
        Dimension::General,
        Level::Should,
        Outcome::Manual,
        1,
    ));
    results.push(r(
        "4.10",
        Dimension::General,
        Level::Shall,
        Outcome::Error,
        1,
    ));
    results.push(r(
        "4.11",
        Dimension::General,
        Level::Shall,
        Outcome::Waived,
        1,
    ));
    results.push(r(
        "4.12",
        Dimension::General,
        Level::Shall,
        Outcome::NotApplicable,
        1,
    ));
    let (summary, plan) = score(&results, card(&s));
    assert_eq!(
        summary.dimensions[&Dimension::General].applicable_weight,
        10
    );
    assert_eq!(summary.score, 70.0);
    assert_eq!(summary.non_conformities, 0, "missing data is not a failure");
    assert!(plan.is_empty());
    assert_eq!(summary.unscored.insufficient_data, ["4.8"]);
    assert_eq!(summary.unscored.manual, ["4.9"]);
    assert_eq!(summary.unscored.error, ["4.10"]);
    let next = summary.next_grade.unwrap();
    assert_eq!(next.status, NextGradeStatus::ShortOfPoints);
    assert_eq!(next.target, "good");
    assert_eq!(next.score_after, 70.0);
}

#[test]
fn band_boundaries_are_inclusive_at_the_lower_end() {
    let m = ScoringModel::new(&model(), false);
    assert_eq!(m.grades.band_of(90.0).unwrap().grade, "excellent");
    assert_eq!(m.grades.band_of(89.99).unwrap().grade, "good");
    assert_eq!(m.grades.band_of(80.0).unwrap().grade, "good");
    assert_eq!(m.grades.band_of(79.99).unwrap().grade, "qualified");
    assert_eq!(m.grades.band_of(60.0).unwrap().grade, "qualified");
    assert_eq!(m.grades.band_of(59.99).unwrap().grade, "unqualified");
    assert_eq!(m.grades.band_of(0.0).unwrap().grade, "unqualified");
}

#[test]
fn a_total_of_exactly_90_is_excellent_and_one_rule_less_is_good() {
    let s = flat();
    let (summary, _) = score(&percent(9, 10, Level::Should), card(&s));
    assert_eq!(summary.score, 90.0);
    assert_eq!(summary.grade, "excellent");
    // 8999 of 10000 weight: 89.99.
    let results = vec![
        r(
            "4.1",
            Dimension::General,
            Level::Should,
            Outcome::Pass,
            8999,
        ),
        r(
            "4.2",
            Dimension::General,
            Level::Should,
            Outcome::Fail,
            1001,
        ),
    ];
    let (summary, plan) = score(&results, card(&s));
    assert_eq!(summary.score, 89.99);
    assert_eq!(summary.grade, "good");
    assert_eq!(plan[0].gain, 10.01);
    let next = summary.next_grade.unwrap();
    assert_eq!(next.target, "excellent");
    assert_eq!(next.fixes.len(), 1);
    assert_eq!(next.score_after, 100.0);
}

#[test]
fn the_bands_may_be_listed_in_any_order() {
    let mut s = flat();
    s.grades = GradeScale::new(s.grades.bands().iter().rev().cloned().collect());
    let (summary, _) = score(&percent(85, 100, Level::Should), card(&s));
    assert_eq!(summary.grade, "good");
    let m = ScoringModel::new(&s, false);
    assert_eq!(m.grades.rank("excellent"), 0);
    assert_eq!(m.grades.rank("unqualified"), 3);
    assert_eq!(
        m.grades.rank("outstanding"),
        usize::MAX,
        "unknown grades rank last"
    );
    let order: Vec<&str> = m.grades.bands().iter().map(|g| g.grade.as_str()).collect();
    assert_eq!(order, ["excellent", "good", "qualified", "unqualified"]);
    // Written back as the pack wrote it; read back, sorted again.
    let mut bands = serde_json::to_value(&m.grades).unwrap();
    assert_eq!(bands[0]["grade"], "unqualified");
    bands.as_array_mut().unwrap().reverse();
    let back: GradeScale = serde_json::from_value(bands).unwrap();
    assert_eq!(back.bands(), m.grades.bands());
    // A report writes its model's bands best first.
    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(json["grades"][0]["grade"], "excellent");
    assert_eq!(super::super::GradeScale::default().band_of(50.0), None);
}

#[test]
fn a_failed_shall_caps_the_grade_and_names_the_rules() {
    let s = flat();
    let mut results = percent(97, 99, Level::Should);
    results.push(r("5.1", Dimension::General, Level::Shall, Outcome::Fail, 1));
    let (summary, plan) = score(&results, card(&s));
    assert_eq!(summary.score, 97.0);
    assert_eq!(summary.score_grade, "excellent");
    assert_eq!(summary.grade, "qualified");
    assert_eq!(summary.caps.len(), 1);
    assert_eq!(summary.caps[0].kind, LimitKind::ShallFailureCap);
    assert_eq!(summary.caps[0].rules, ["5.1"]);
    assert!(
        summary.caps[0]
            .message
            .en
            .contains("cap the grade at qualified")
    );
    assert_eq!(plan[0].rule, "5.1", "non-conformities first");
    // Next grade: the shall fix alone lifts the cap (98 is excellent, beyond good).
    let next = summary.next_grade.unwrap();
    assert_eq!(next.target, "good");
    assert_eq!(next.fixes.len(), 1);
    assert_eq!(next.fixes[0].rule, "5.1");
    assert_eq!(next.fixes[0].reason, FixReason::Cap);
    assert_eq!(next.grade_after, "excellent");
}

#[test]
fn the_cap_is_a_pack_parameter() {
    let mut s = flat();
    s.shall_failure_cap = "good".into();
    let mut results = percent(97, 99, Level::Should);
    results.push(r("5.1", Dimension::General, Level::Shall, Outcome::Fail, 1));
    let (summary, _) = score(&results, card(&s));
    assert_eq!(summary.grade, "good");
}

#[test]
fn a_failed_veto_rule_makes_the_grade_unqualified_and_must_be_in_the_next_grade_set() {
    let mut s = flat();
    s.veto_rules = vec!["4.100".into()];
    let mut results = percent(95, 99, Level::Should);
    results.push(r(
        "4.100",
        Dimension::General,
        Level::Should,
        Outcome::Fail,
        1,
    ));
    let (summary, plan) = score(&results, card(&s));
    assert_eq!(summary.score, 95.0);
    assert_eq!(summary.grade, "unqualified");
    assert_eq!(summary.veto.len(), 1);
    assert_eq!(summary.veto[0].kind, LimitKind::VetoRule);
    assert_eq!(summary.veto[0].rules, ["4.100"]);
    assert!(plan.iter().any(|p| p.rule == "4.100" && p.veto));
    let next = summary.next_grade.unwrap();
    assert_eq!(next.target, "qualified");
    assert_eq!(next.fixes.len(), 1);
    assert_eq!(next.fixes[0].rule, "4.100");
    assert_eq!(next.fixes[0].reason, FixReason::Veto);
    assert_eq!(next.grade_after, "excellent");
}

#[test]
fn a_serious_incident_vetoes_and_no_fix_lifts_it() {
    let s = flat();
    let results = percent(95, 100, Level::Should);
    let (summary, _) = score(
        &results,
        ScoreCard {
            scoring: &s,
            serious_incidents: Some(1),
            proposals_cap_grade: false,
        },
    );
    assert_eq!(summary.grade, "unqualified");
    assert_eq!(summary.veto[0].kind, LimitKind::SeriousIncident);
    assert!(summary.veto[0].message.en.contains("12 months"));
    let next = summary.next_grade.unwrap();
    assert_eq!(next.status, NextGradeStatus::SeriousIncident);
    assert!(next.fixes.is_empty());
    assert!(next.message.en.contains("no fix of a rule"));
    // Unreported incidents veto nothing (the window is the pack's, the count the profile's).
    let (summary, _) = score(
        &results,
        ScoreCard {
            scoring: &s,
            serious_incidents: None,
            proposals_cap_grade: false,
        },
    );
    assert!(summary.veto.is_empty());
    assert_eq!(summary.serious_incidents, None);
}

#[test]
fn the_plan_puts_non_conformities_first_then_larger_gains_then_clause_order() {
    use Dimension::*;
    let s = model();
    let results = vec![
        r("4.1", General, Level::Should, Outcome::Fail, 1),
        r("4.2", General, Level::Should, Outcome::Pass, 1),
        r("5.1", Construction, Level::Shall, Outcome::Fail, 3),
        r("5.2", Construction, Level::Shall, Outcome::Pass, 3),
        r("7.10", GovernanceServices, Level::Should, Outcome::Fail, 1),
        r("7.9", GovernanceServices, Level::Should, Outcome::Fail, 1),
        r("7.8", GovernanceServices, Level::Shall, Outcome::Pass, 3),
        r("6.1", Organisation, Level::Shall, Outcome::Fail, 3),
        r("6.2", Organisation, Level::Shall, Outcome::Pass, 6),
        r("8.1", Evaluation, Level::Shall, Outcome::Pass, 3),
    ];
    let (summary, plan) = score(&results, card(&s));
    let order: Vec<&str> = plan.iter().map(|p| p.rule.as_str()).collect();
    // shall: 6.1 gains 25×3/9 = 8.33, 5.1 gains 15×3/6 = 7.5; should: 7.9 and 7.10 gain
    // 35/5 = 7 each (clause order: 7.9 before 7.10), 4.1 gains 10/2 = 5.
    assert_eq!(order, ["6.1", "5.1", "7.9", "7.10", "4.1"]);
    assert_eq!(plan[0].gain, 8.33);
    assert_eq!(plan[0].action.en, "fix 6.1");
    assert!(
        plan.windows(2)
            .all(|w| w[0].level.is_requirement() >= w[1].level.is_requirement())
    );
    let dims: f64 = summary.dimensions.values().map(|d| d.points).sum();
    assert!(
        (dims - summary.score).abs() < 0.05,
        "{dims} vs {}",
        summary.score
    );
}

#[test]
fn the_next_grade_takes_the_fewest_largest_gains() {
    let s = flat();
    // 70 points passed; failures worth 2, 5, 3 and 20: one fix (20) reaches 90 from 70.
    let results = vec![
        r("4.1", Dimension::General, Level::Should, Outcome::Pass, 70),
        r("4.2", Dimension::General, Level::Should, Outcome::Fail, 2),
        r("4.3", Dimension::General, Level::Should, Outcome::Fail, 5),
        r("4.4", Dimension::General, Level::Should, Outcome::Fail, 3),
        r("4.5", Dimension::General, Level::Should, Outcome::Fail, 20),
    ];
    let (summary, _) = score(&results, card(&s));
    assert_eq!(summary.grade, "qualified");
    let next = summary.next_grade.unwrap();
    assert_eq!(next.target, "good");
    let rules: Vec<&str> = next.fixes.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules, ["4.5"]);
    assert_eq!(next.score_after, 90.0);
    assert_eq!(next.grade_after, "excellent");
}

#[test]
fn with_a_cap_every_failed_shall_is_forced_even_when_gains_elsewhere_are_larger() {
    let s = flat();
    // 85 passed; a shall worth 1 and a should worth 14. Target good (above the cap):
    // the should's 14 points are useless while the shall fails; the shall alone reaches 86.
    let results = vec![
        r("4.1", Dimension::General, Level::Should, Outcome::Pass, 85),
        r("4.2", Dimension::General, Level::Shall, Outcome::Fail, 1),
        r("4.3", Dimension::General, Level::Should, Outcome::Fail, 14),
    ];
    let (summary, _) = score(&results, card(&s));
    assert_eq!(summary.grade, "qualified");
    let next = summary.next_grade.unwrap();
    let rules: Vec<&str> = next.fixes.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules, ["4.2"]);
    assert_eq!(next.grade_after, "good");
}

/// A small deterministic generator (no dependency, same cases on every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// The next-grade answer equals an exhaustive search over every subset of failed rules,
/// rescored with the real scorer: same size, and the best total among sets of that size.
#[test]
fn the_next_grade_answer_matches_an_exhaustive_search() {
    let mut rng = Lcg(20_250_630);
    let levels = [Level::Shall, Level::ShallNot, Level::Should];
    let outcomes = [
        Outcome::Pass,
        Outcome::Pass,
        Outcome::Pass,
        Outcome::Fail,
        Outcome::Fail,
        Outcome::NotApplicable,
        Outcome::InsufficientData,
    ];
    let mut checked = 0;
    for case in 0..400 {
        let mut s = model();
        let n = 6 + rng.next(10) as usize;
        let mut results: Vec<RuleResult> = (0..n)
            .map(|i| {
                let d = Dimension::ALL[rng.next(5) as usize];
                let level = levels[rng.next(3) as usize];
                let weight = if level == Level::Should { 1 } else { 3 } + rng.next(3) as u32;
                let o = outcomes[rng.next(outcomes.len() as u64) as usize];
                r(
                    &format!("{}.{}", 4 + rng.next(5), i + 1),
                    d,
                    level,
                    o,
                    weight,
                )
            })
            .collect();
        // Enough passes that every band occurs.
        for (i, d) in Dimension::ALL.iter().enumerate() {
            let w = rng.next(12) as u32;
            results.push(r(&format!("9.{i}"), *d, Level::Should, Outcome::Pass, w));
        }
        if case % 5 == 0
            && let Some(f) = results.iter().find(|r| r.outcome == Outcome::Fail)
        {
            s.veto_rules.push(f.rule.clone());
        }
        if case % 7 == 0 {
            s.shall_failure_cap = "good".into();
        }
        let (summary, _) = score(&results, card(&s));
        let Some(next) = summary.next_grade.clone() else {
            continue;
        };
        let m = ScoringModel::new(&s, false);
        let failed: Vec<usize> = (0..results.len())
            .filter(|&i| results[i].outcome == Outcome::Fail)
            .collect();
        let target = m.grades.rank(&next.target);
        let mut best: Option<(usize, f64)> = None;
        for mask in 0u32..(1 << failed.len()) {
            let chosen: Vec<usize> = failed
                .iter()
                .enumerate()
                .filter(|(b, _)| mask & (1 << b) != 0)
                .map(|(_, i)| *i)
                .collect();
            let c = compute(&results, &m, Some(0), &|i| chosen.contains(&i));
            if m.grades.rank(&c.grade) <= target {
                let size = chosen.len();
                best = match best {
                    Some((k, t)) if k < size || (k == size && t >= c.total) => Some((k, t)),
                    _ => Some((size, c.total)),
                };
            }
        }
        match best {
            None => assert_eq!(next.status, NextGradeStatus::ShortOfPoints, "case {case}"),
            Some((k, total)) => {
                assert_eq!(next.status, NextGradeStatus::Reachable, "case {case}");
                assert_eq!(next.fixes.len(), k, "case {case}: {next:?}");
                assert_eq!(next.score_after, total, "case {case}");
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} reachable cases");
}

/// 95 passing should rules and one failed shall of weight 5 (score 95 / 100).
fn one_failed_shall(origin_proposal: bool) -> Vec<RuleResult> {
    let mut results = percent(95, 95, Level::Should);
    let failed = r("4.100", Dimension::General, Level::Shall, Outcome::Fail, 5);
    results.push(if origin_proposal {
        proposed(failed)
    } else {
        failed
    });
    results
}

#[test]
fn a_failed_proposed_shall_loses_its_points_but_caps_nothing_by_default() {
    let s = flat();
    let (summary, plan) = score(&one_failed_shall(true), card(&s));
    assert_eq!(summary.score, 95.0, "the failed rule earns nothing");
    assert_eq!(summary.non_conformities, 1, "it is still a non-conformity");
    assert_eq!(summary.grade, "excellent", "but it does not cap the grade");
    assert!(summary.caps.is_empty());
    // The report names the rule that would have capped, and the cap.
    assert_eq!(summary.proposal_caps.len(), 1);
    assert_eq!(summary.proposal_caps[0].rules, ["4.100"]);
    assert_eq!(summary.proposal_caps[0].grade, "qualified");
    assert!(summary.proposal_caps[0].message.zh.contains("4.100"));
    assert!(!summary.model.proposals_cap_grade);
    // It stays first in the plan: a non-conformity all the same.
    assert_eq!(plan[0].rule, "4.100");
    assert!(summary.next_grade.is_none(), "excellent is the best grade");
}

#[test]
fn a_failed_shall_of_a_note_clause_caps_as_before() {
    let s = flat();
    let (summary, _) = score(&one_failed_shall(false), card(&s));
    assert_eq!(summary.grade, "qualified");
    assert_eq!(summary.caps[0].rules, ["4.100"]);
    assert!(summary.proposal_caps.is_empty());
}

#[test]
fn proposals_cap_grade_true_makes_a_failed_proposed_shall_cap() {
    let s = flat();
    let (summary, _) = score(
        &one_failed_shall(true),
        ScoreCard {
            proposals_cap_grade: true,
            ..card(&s)
        },
    );
    assert_eq!(summary.grade, "qualified");
    assert_eq!(summary.caps[0].rules, ["4.100"]);
    assert!(summary.proposal_caps.is_empty());
    assert!(summary.model.proposals_cap_grade);
    let next = summary.next_grade.unwrap();
    assert_eq!(next.fixes[0].rule, "4.100");
    assert_eq!(next.fixes[0].reason, FixReason::Cap);
}

#[test]
fn only_note_failures_are_named_in_the_cap_and_the_next_grade_does_not_force_proposals() {
    // Score 90 with one failed note shall (weight 5) and one failed proposed shall (5).
    let s = flat();
    let mut results = percent(90, 90, Level::Should);
    results.push(r(
        "4.91",
        Dimension::General,
        Level::Shall,
        Outcome::Fail,
        5,
    ));
    results.push(proposed(r(
        "4.92",
        Dimension::General,
        Level::Shall,
        Outcome::Fail,
        5,
    )));
    let (summary, _) = score(&results, card(&s));
    assert_eq!(summary.non_conformities, 2);
    assert_eq!(summary.grade, "qualified");
    assert_eq!(summary.caps[0].rules, ["4.91"]);
    assert!(summary.caps[0].message.en.starts_with("1 non-conformities"));
    assert_eq!(summary.proposal_caps[0].rules, ["4.92"]);
    let next = summary.next_grade.unwrap();
    assert_eq!(next.target, "good");
    let forced: Vec<&str> = next
        .fixes
        .iter()
        .filter(|f| f.reason == FixReason::Cap)
        .map(|f| f.rule.as_str())
        .collect();
    assert_eq!(forced, ["4.91"], "only the note failure is forced");
}

#[test]
fn the_veto_is_marked_a_proposal_and_still_vetoes() {
    let mut s = flat();
    s.origin.insert("veto_rules".into(), Origin::Proposal);
    s.origin
        .insert("veto_incident_months".into(), Origin::Proposal);
    let (summary, _) = score(
        &percent(95, 100, Level::Should),
        ScoreCard {
            serious_incidents: Some(1),
            ..card(&s)
        },
    );
    assert_eq!(summary.grade, "unqualified");
    assert_eq!(summary.veto[0].origin, Origin::Proposal);
    s.origin.insert("veto_rules".into(), Origin::Note);
    s.origin.insert("veto_incident_months".into(), Origin::Note);
    let (summary, _) = score(
        &percent(95, 100, Level::Should),
        ScoreCard {
            serious_incidents: Some(1),
            ..card(&s)
        },
    );
    assert_eq!(summary.veto[0].origin, Origin::Note);
}

#[test]
fn the_report_holds_the_pack_model_with_every_origin_and_no_derogation() {
    let mut s = model();
    s.origin.insert("grades".into(), Origin::Note);
    s.derogation = Some(crate::pack::Derogation {
        justification: "j".into(),
        document: "d".into(),
    });
    let m = ScoringModel::new(&s, true);
    assert!(
        m.scoring.derogation.is_none(),
        "derogations are listed apart"
    );
    assert_eq!(m.origin.len(), Scoring::PARAMETERS.len());
    assert_eq!(m.origin_of("grades"), Origin::Note);
    assert_eq!(m.origin_of("veto_rules"), Origin::Proposal);
    let json = serde_json::to_string(&m).unwrap();
    // The keys in the order reports have always written them.
    let at = |k: &str| json.find(&format!("\"{k}\"")).unwrap();
    let keys = [
        "dimensions",
        "level_weights",
        "grades",
        "veto_rules",
        "veto_incident_months",
        "shall_failure_cap",
        "proposals_cap_grade",
        "origin",
    ];
    assert!(keys.windows(2).all(|w| at(w[0]) < at(w[1])), "{json}");
    let back: ScoringModel = serde_json::from_str(&json).unwrap();
    assert_eq!(back, m);
}

#[test]
fn dimension_scores_are_written_in_the_order_of_their_ids() {
    let s = model();
    let (summary, _) = score(&percent(1, 2, Level::Should), card(&s));
    let text = serde_json::to_string(&summary).unwrap();
    let at = |k: &str| text.find(&format!("\"{k}\":{{")).unwrap();
    // Chapter order would put general first.
    assert!(at("construction") < at("evaluation"));
    assert!(at("evaluation") < at("general"));
    assert!(at("governance-services") < at("organisation"));
}
