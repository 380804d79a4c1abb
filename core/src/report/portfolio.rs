//! A portfolio: the reports of many communities (a district, a city) summarised — one row
//! per community, the grade distribution, the clauses that fail most often, and the
//! inputs that could not be evaluated.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Grade, Message, Outcome, Report};
use crate::types::{Dimension, RuleId};

/// Version of the portfolio format.
pub const PORTFOLIO_VERSION: &str = "1";

/// One community of a portfolio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct PortfolioRow {
    /// Community id.
    pub id: String,
    /// Community name.
    pub name: Option<String>,
    /// Where the profile came from (a file name).
    pub source: String,
    /// Reference date.
    pub as_of: String,
    /// Primary category.
    pub category: Option<String>,
    /// Score, 0–100.
    pub score: f64,
    /// Grade.
    pub grade: Grade,
    /// Failed shall rules.
    pub non_conformities: u32,
    /// Failed should rules.
    pub deviations: u32,
    /// Rules that earn nothing without failing (missing data, manual, error).
    pub unscored: u32,
    /// Whether a veto applies.
    pub vetoed: bool,
    /// Whether the grade is capped below its score's grade.
    pub capped: bool,
    /// Fixes in the smallest set that reaches the next grade (`null` at the best grade or
    /// when no set of fixes reaches it).
    pub fixes_to_next_grade: Option<u32>,
    /// Per dimension: the share of the dimension's points earned, 0–100 (`null` when the
    /// dimension does not count).
    #[serde(serialize_with = "super::dimensions_by_name")]
    #[schemars(with = "BTreeMap<String, Option<f64>>")]
    pub dimensions: BTreeMap<Dimension, Option<f64>>,
    /// English name, when the profile gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// District (区), when the profile gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    /// Street (街道), when the profile gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
}

/// How many communities have one grade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct GradeCount {
    /// Grade id.
    pub grade: Grade,
    /// Name in both languages.
    pub name: Message,
    /// Communities with that grade.
    pub count: u32,
}

/// A clause and how many communities fail it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ClauseFailures {
    /// Rule id.
    pub rule: RuleId,
    /// Clause id.
    pub clause: String,
    /// Level.
    pub level: crate::types::Level,
    /// The rule's title.
    pub title: Message,
    /// Communities failing it.
    pub count: u32,
    /// Their ids, in portfolio order.
    pub communities: Vec<String>,
}

/// An input that could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct NotEvaluated {
    /// The input (a file name).
    pub source: String,
    /// Why, with every problem found.
    pub error: String,
}

impl NotEvaluated {
    /// The input `source` that could not be evaluated, and why.
    #[must_use]
    pub fn new(source: impl Into<String>, error: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            error: error.into(),
        }
    }
}

/// Averages over the evaluated communities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct PortfolioTotals {
    /// Inputs given.
    pub inputs: u32,
    /// Communities evaluated.
    pub evaluated: u32,
    /// Communities with at least one non-conformity.
    pub with_non_conformities: u32,
    /// Σ non-conformities.
    pub non_conformities: u32,
    /// Σ deviations.
    pub deviations: u32,
    /// Mean score (two decimals), `null` when nothing was evaluated.
    pub mean_score: Option<f64>,
    /// Per dimension: mean share of the dimension's points earned, 0–100, over the
    /// communities where it counts.
    #[serde(serialize_with = "super::dimensions_by_name")]
    #[schemars(with = "BTreeMap<String, Option<f64>>")]
    pub dimensions: BTreeMap<Dimension, Option<f64>>,
}

/// The summary of many reports.
///
/// ```
/// use icgs::model::CommunityProfile;
/// use icgs::report::Portfolio;
///
/// let engine = icgs::Engine::standard()?;
/// let a = engine.evaluate(CommunityProfile::new("a", "2026-06-30"))?;
/// let b = engine.evaluate(CommunityProfile::new("b", "2026-06-30"))?;
/// let portfolio = Portfolio::new(&[("a.json", &a), ("b.json", &b)], &[("c.json", "not JSON")]);
/// assert_eq!((portfolio.totals.inputs, portfolio.totals.evaluated), (3, 2));
/// let counted: u32 = portfolio.grades.iter().map(|g| g.count).sum();
/// assert_eq!(counted, 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Portfolio {
    /// Portfolio format version.
    pub portfolio_version: String,
    /// One row per evaluated community, in input order.
    pub communities: Vec<PortfolioRow>,
    /// Every grade of the scoring model, best first, with its count.
    pub grades: Vec<GradeCount>,
    /// Clauses failed by at least one community: most often first, then clause order.
    pub failing_clauses: Vec<ClauseFailures>,
    /// Inputs that could not be evaluated.
    pub not_evaluated: Vec<NotEvaluated>,
    /// Counts and averages.
    pub totals: PortfolioTotals,
    /// The grade scale the communities were graded on, for a renderer that shows a share
    /// by its band. Not in JSON (`grades` names the bands): empty in a portfolio read back.
    #[serde(skip)]
    #[schemars(skip)]
    pub scale: super::GradeScale,
}

fn share(d: &super::DimensionScore) -> Option<f64> {
    (d.counted && d.applicable_weight > 0).then(|| {
        super::score::round2(100.0 * f64::from(d.passed_weight) / f64::from(d.applicable_weight))
    })
}

impl Portfolio {
    /// Summarises `reports` (each with the name of its input) and the inputs that could not
    /// be evaluated (name, reason). The order of `reports` is kept.
    #[must_use]
    pub fn new(reports: &[(&str, &Report)], failures: &[(&str, &str)]) -> Self {
        let mut builder = PortfolioBuilder::default();
        for (source, report) in reports {
            builder.add(source, report);
        }
        builder.finish(failures)
    }

    /// The communities ranked: best score first, then id.
    #[must_use]
    pub fn ranked(&self) -> Vec<&PortfolioRow> {
        let mut rows: Vec<&PortfolioRow> = self.communities.iter().collect();
        rows.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        rows
    }

    /// The portfolio as pretty JSON with a final newline.
    ///
    /// # Errors
    /// Serialisation fails (never silently an empty document); see [`Report::to_json`].
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let mut s = serde_json::to_string_pretty(self)?;
        s.push('\n');
        Ok(s)
    }
}

/// A [`Portfolio`] built one report at a time, so that a portfolio of any size is summarised
/// without holding its reports: [`PortfolioBuilder::add`] keeps a row and the failed rules of
/// each report, [`PortfolioBuilder::finish`] computes the rest.
#[derive(Debug, Default)]
pub struct PortfolioBuilder {
    communities: Vec<PortfolioRow>,
    /// The grade scale of the first report's model (one engine checks a portfolio).
    scale: Option<super::GradeScale>,
    failing: BTreeMap<RuleId, ClauseFailures>,
}

impl PortfolioBuilder {
    /// Adds the report of the input named `source`; reports are kept in the order added.
    pub fn add(&mut self, source: &str, r: &Report) {
        let s = &r.summary;
        self.communities.push(PortfolioRow {
            id: r.profile.id.clone(),
            name: r.profile.name.clone(),
            source: source.to_owned(),
            as_of: r.profile.as_of.clone(),
            category: r.profile.category.clone(),
            score: s.score,
            grade: s.grade.clone(),
            non_conformities: s.non_conformities,
            deviations: s.deviations,
            unscored: s.counts.insufficient_data + s.counts.manual + s.counts.error,
            vetoed: !s.veto.is_empty(),
            capped: !s.caps.is_empty(),
            fixes_to_next_grade: s
                .next_grade
                .as_ref()
                .filter(|n| n.status == super::NextGradeStatus::Reachable)
                .map(|n| u32::try_from(n.fixes.len()).unwrap_or(u32::MAX)),
            dimensions: s.dimensions.iter().map(|(k, d)| (*k, share(d))).collect(),
            name_en: r.profile.name_en.clone(),
            district: r.profile.district.clone(),
            street: r.profile.street.clone(),
        });
        if self.scale.is_none() {
            self.scale = Some(s.model.grades.clone());
        }
        for res in r.results.iter().filter(|x| x.outcome == Outcome::Fail) {
            let entry = self
                .failing
                .entry(res.rule.clone())
                .or_insert_with(|| ClauseFailures {
                    rule: res.rule.clone(),
                    clause: res.clause.clone(),
                    level: res.level,
                    title: res.title.clone(),
                    count: 0,
                    communities: Vec::new(),
                });
            entry.count += 1;
            entry.communities.push(r.profile.id.clone());
        }
    }

    /// Adds what `other` holds after what this builder holds: a report can be summarised
    /// on the thread that made it (and freed there) and merged in input order.
    pub fn merge(&mut self, other: Self) {
        self.communities.extend(other.communities);
        if self.scale.is_none() {
            self.scale = other.scale;
        }
        for (rule, theirs) in other.failing {
            match self.failing.entry(rule) {
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(theirs);
                }
                std::collections::btree_map::Entry::Occupied(mut slot) => {
                    let mine = slot.get_mut();
                    mine.count += theirs.count;
                    mine.communities.extend(theirs.communities);
                }
            }
        }
    }

    /// The portfolio, with the inputs that could not be evaluated (name, reason).
    #[must_use]
    pub fn finish(self, failures: &[(&str, &str)]) -> Portfolio {
        let communities = self.communities;
        let scale = self.scale.unwrap_or_default();
        let grades = scale
            .bands()
            .iter()
            .map(|b| GradeCount {
                grade: b.grade.clone(),
                name: b.name.clone(),
                count: u32::try_from(communities.iter().filter(|c| c.grade == b.grade).count())
                    .unwrap_or(u32::MAX),
            })
            .collect();
        let mut failing_clauses: Vec<ClauseFailures> = self.failing.into_values().collect();
        failing_clauses.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| crate::types::clause_order(&a.rule, &b.rule))
        });
        let n = communities.len();
        let mean = |xs: Vec<f64>| {
            (!xs.is_empty()).then(|| {
                #[allow(clippy::cast_precision_loss, reason = "counts are small")]
                let len = xs.len() as f64;
                super::score::round2(xs.iter().sum::<f64>() / len)
            })
        };
        let mut dims: BTreeMap<Dimension, Option<f64>> = BTreeMap::new();
        for d in crate::types::Dimension::ALL {
            let xs: Vec<f64> = communities
                .iter()
                .filter_map(|c| c.dimensions.get(&d).copied().flatten())
                .collect();
            dims.insert(d, mean(xs));
        }
        let totals = PortfolioTotals {
            inputs: u32::try_from(n + failures.len()).unwrap_or(u32::MAX),
            evaluated: u32::try_from(n).unwrap_or(u32::MAX),
            with_non_conformities: u32::try_from(
                communities
                    .iter()
                    .filter(|c| c.non_conformities > 0)
                    .count(),
            )
            .unwrap_or(u32::MAX),
            non_conformities: communities.iter().map(|c| c.non_conformities).sum(),
            deviations: communities.iter().map(|c| c.deviations).sum(),
            mean_score: mean(communities.iter().map(|c| c.score).collect()),
            dimensions: dims,
        };
        Portfolio {
            portfolio_version: PORTFOLIO_VERSION.to_owned(),
            communities,
            grades,
            failing_clauses,
            not_evaluated: failures
                .iter()
                .map(|(source, error)| NotEvaluated::new(*source, *error))
                .collect(),
            totals,
            scale,
        }
    }
}
