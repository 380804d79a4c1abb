//! What the cases show: per rule, whether some case makes it pass, fail (or ask for a manual
//! check) and, where an input can be missing, give insufficient-data; per clause, whether it
//! is automated, evidence-based, a permission or not encoded at all.

use std::collections::{BTreeMap, BTreeSet};

use super::run::{CaseReport, Suite};
use crate::catalogue::{ClauseList, ClauseStatus, RuleKind};
use crate::script;
use icgs::pack::{Level, PackError};
use icgs::report::Outcome;

/// Whether the cases show one outcome of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Need {
    /// Some case expects the outcome and the rule gives it.
    Covered,
    /// The rule should be shown giving it; no case does.
    Missing,
    /// The outcome cannot or need not be shown (a permission never fails).
    NotNeeded,
}

/// The coverage of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCoverage {
    /// Rule id.
    pub rule: String,
    /// Clause id.
    pub clause: String,
    /// Its level.
    pub level: Level,
    /// How it checks its clause.
    pub kind: RuleKind,
    /// Some case where it passes.
    pub pass: Need,
    /// Some case where it fails; for an evidence clause, where it asks for a manual check.
    pub fail: Need,
    /// Some case where it gives insufficient-data; needed when an input can be missing.
    pub insufficient: Need,
    /// How many passing case expectations name the rule.
    pub cases: usize,
}

impl RuleCoverage {
    /// Whether every outcome it needs is shown.
    #[must_use]
    pub fn complete(&self) -> bool {
        [self.pass, self.fail, self.insufficient]
            .iter()
            .all(|n| *n != Need::Missing)
    }

    /// The outcomes still to be shown, e.g. `["fail", "insufficient-data"]`.
    #[must_use]
    pub fn missing(&self) -> Vec<&'static str> {
        let fail = if self.kind == RuleKind::Evidence {
            "manual"
        } else {
            "fail"
        };
        [
            (self.pass, "pass"),
            (self.fail, fail),
            (self.insufficient, "insufficient-data"),
        ]
        .into_iter()
        .filter(|(n, _)| *n == Need::Missing)
        .map(|(_, o)| o)
        .collect()
    }
}

/// The coverage of one clause of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseCoverage {
    /// Clause id.
    pub clause: String,
    /// Automated, evidence, permission or missing.
    pub status: ClauseStatus,
    /// The rules that encode it.
    pub rules: Vec<String>,
}

/// Coverage of the packs under test.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Coverage {
    /// Every rule of the packs under test, in clause order.
    pub rules: Vec<RuleCoverage>,
    /// Every clause: those the packs' `clauses.toml` list, and those their rules name.
    pub clauses: Vec<ClauseCoverage>,
}

impl Coverage {
    /// Rules whose every needed outcome is shown.
    #[must_use]
    pub fn complete_rules(&self) -> usize {
        self.rules.iter().filter(|r| r.complete()).count()
    }

    /// Rule coverage in percent: complete rules ÷ rules × 100 (100 with no rules).
    #[must_use]
    #[allow(clippy::cast_precision_loss, reason = "rule counts are far below 2^52")]
    pub fn percent(&self) -> f64 {
        if self.rules.is_empty() {
            return 100.0;
        }
        self.complete_rules() as f64 * 100.0 / self.rules.len() as f64
    }

    /// Clauses by status.
    #[must_use]
    pub fn clause_counts(&self) -> BTreeMap<ClauseStatus, usize> {
        let mut m = BTreeMap::new();
        for c in &self.clauses {
            *m.entry(c.status).or_insert(0) += 1;
        }
        m
    }
}

/// The profile of the probe: nothing but an id and a date, so every input is missing.
const PROBE: &str = r#"{"id": "coverage-probe", "as_of": "2025-06-30"}"#;

/// Coverage of the rules of the packs in `suites`, shown by `reports` (the case reports of
/// any of the suites).
///
/// The outcomes a rule needs: `pass`; `fail` unless it is a permission (可, never fails) —
/// for an evidence clause (its script calls `manual()`) `manual` instead; and
/// `insufficient-data` when an input it reads can be missing: when its script says
/// `insufficient_data()`, or when it gives insufficient-data on the *probe*, a profile with
/// nothing but an id and a date (and the rule's category). An outcome counts as shown when a
/// case expects it and the rule gives it.
///
/// # Errors
/// A pack's `clauses.toml` cannot be read or parsed.
pub fn coverage(suites: &[Suite], reports: &[CaseReport]) -> Result<Coverage, PackError> {
    if suites.is_empty() {
        return Ok(Coverage::default());
    }
    let scripts: BTreeMap<&str, &str> = suites
        .iter()
        .flat_map(|s| s.pack.rules.iter().map(|(f, t)| (f.as_str(), t.as_str())))
        .collect();

    let mut shown: BTreeMap<&str, BTreeMap<Outcome, usize>> = BTreeMap::new();
    for report in reports {
        for c in &report.checked {
            if c.actual == Some(c.expected) {
                *shown
                    .entry(c.rule.as_str())
                    .or_default()
                    .entry(c.expected)
                    .or_insert(0) += 1;
            }
        }
    }

    // Each pack's rules are counted on the engine of its own suite: a district's rules are
    // in its chain only, never in a sibling's.
    let mut rules = Vec::new();
    let mut kinds: BTreeMap<String, Vec<(String, RuleKind)>> = BTreeMap::new();
    let mut kinded: BTreeSet<String> = BTreeSet::new();
    for suite in suites {
        let name = suite.name();
        let mut probe = None;
        for rule in suite.engine.rules() {
            let script = script::analyse(scripts.get(rule.file).copied().unwrap_or_default());
            let kind = RuleKind::of(rule.meta, &script);
            if kinded.insert(rule.meta.id.clone()) {
                kinds
                    .entry(rule.meta.clause.clone())
                    .or_default()
                    .push((rule.meta.id.clone(), kind));
            }
            if *rule.pack != *name {
                continue;
            }
            let probe = probe.get_or_insert_with(|| self::probe(&suite.engine));
            let seen = shown.get(rule.meta.id.as_str());
            let has = |o: Outcome| seen.is_some_and(|s| s.contains_key(&o));
            let need = |needed: bool, o: Outcome| match (needed, has(o)) {
                (_, true) => Need::Covered,
                (true, false) => Need::Missing,
                (false, false) => Need::NotNeeded,
            };
            let missing_input = script.says_insufficient()
                || probe.get(rule.meta.id.as_str()) == Some(&Outcome::InsufficientData);
            let fail = match kind {
                RuleKind::Automated => need(true, Outcome::Fail),
                RuleKind::Evidence => need(true, Outcome::Manual),
                RuleKind::Permission => Need::NotNeeded,
            };
            rules.push(RuleCoverage {
                rule: rule.meta.id.clone(),
                clause: rule.meta.clause.clone(),
                level: rule.meta.level,
                kind,
                pass: need(true, Outcome::Pass),
                fail,
                insufficient: need(missing_input, Outcome::InsufficientData),
                cases: seen.map_or(0, |s| s.values().sum()),
            });
        }
    }
    rules.sort_by(|a, b| {
        icgs::clause_order(&a.clause, &b.clause).then_with(|| icgs::clause_order(&a.rule, &b.rule))
    });

    // Clauses: those of the tested packs' rules and of their `clauses.toml`.
    let mut clause_ids: BTreeSet<String> = rules.iter().map(|r| r.clause.clone()).collect();
    for suite in suites {
        if let Some(list) = ClauseList::for_pack(&suite.pack)? {
            clause_ids.extend(list.clauses.into_iter().map(|c| c.id));
        }
    }
    let mut clause_ids: Vec<String> = clause_ids.into_iter().collect();
    clause_ids.sort_by(|a, b| icgs::clause_order(a, b));
    let clauses = clause_ids
        .into_iter()
        .map(|clause| {
            let encoded = kinds.get(&clause).cloned().unwrap_or_default();
            let k: Vec<RuleKind> = encoded.iter().map(|(_, k)| *k).collect();
            ClauseCoverage {
                status: ClauseStatus::of(&k),
                rules: encoded.into_iter().map(|(id, _)| id).collect(),
                clause,
            }
        })
        .collect();
    Ok(Coverage { rules, clauses })
}

/// Each rule's outcome on the probe profile; a category rule is probed with its category.
fn probe(engine: &icgs::Engine) -> BTreeMap<String, Outcome> {
    let mut by_category: BTreeMap<Option<String>, BTreeMap<String, Outcome>> = BTreeMap::new();
    let categories = std::iter::once(None).chain(engine.categories().map(|c| Some(c.id.clone())));
    for category in categories {
        let mut profile: serde_json::Value =
            serde_json::from_str(PROBE).unwrap_or(serde_json::Value::Null);
        if let (Some(cat), Some(obj)) = (&category, profile.as_object_mut()) {
            obj.insert("category".into(), serde_json::Value::String(cat.clone()));
        }
        let bytes = serde_json::to_vec(&profile).unwrap_or_default();
        let report = icgs::read_profile("coverage-probe", &bytes, &icgs::ReadOptions::default())
            .ok()
            .and_then(|(profile, _)| engine.evaluate(profile).ok());
        if let Some(report) = report {
            by_category.insert(
                category,
                report
                    .results
                    .into_iter()
                    .map(|r| (r.rule.to_string(), r.outcome))
                    .collect(),
            );
        }
    }
    engine
        .rules()
        .filter_map(|rule| {
            let category = rule.meta.categories.first().cloned();
            let outcome = by_category.get(&category)?.get(&rule.meta.id)?;
            Some((rule.meta.id.clone(), *outcome))
        })
        .collect()
}
