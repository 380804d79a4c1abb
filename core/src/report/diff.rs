//! Progress between two evaluation cycles of one community: what was fixed, what failed
//! anew, what regressed, what is unchanged, and how the score moved.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Grade, Message, Outcome, Report, RuleResult};
use crate::types::RuleId;

/// Two reports cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DiffError {
    /// The reports are about different communities.
    #[error(
        "the reports are of different communities: `{old}` (old) and `{new}` (new); compare two reports of one community"
    )]
    DifferentCommunities {
        /// The old report's community id.
        old: String,
        /// The new report's community id.
        new: String,
    },
}

/// How a rule's result moved between the two reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Change {
    /// Failed before, passes (or no longer applies, or is waived) now.
    Fixed,
    /// Fails now and was not known to fail before (no data, manual, error, or a new rule).
    New,
    /// Passed (or did not apply, or was waived) before, fails now.
    Regressed,
    /// The same outcome.
    Unchanged,
    /// Any other move, e.g. a pass that now lacks data, or a rule only in the old report.
    Changed,
}

/// One rule in a diff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct RuleChange {
    /// Rule id.
    pub rule: RuleId,
    /// Clause id.
    pub clause: String,
    /// Level.
    pub level: crate::types::Level,
    /// How it moved.
    pub change: Change,
    /// The outcome in the old report (`null`: no such rule there).
    pub old: Option<Outcome>,
    /// The outcome in the new report (`null`: no such rule there).
    pub new: Option<Outcome>,
    /// The rule's title.
    pub title: Message,
    /// The newer result in words.
    pub message: Message,
}

/// One side of a diff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct DiffSide {
    /// Reference date.
    pub as_of: String,
    /// SHA-256 of the profile, when known.
    pub sha256: Option<String>,
    /// Score.
    pub score: f64,
    /// Grade.
    pub grade: Grade,
    /// Failed shall rules.
    pub non_conformities: u32,
    /// Failed should rules.
    pub deviations: u32,
}

/// The progress between two reports of one community.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ReportDiff {
    /// The community id.
    pub community: String,
    /// The community name (from the new report).
    pub name: Option<String>,
    /// The old report.
    pub old: DiffSide,
    /// The new report.
    pub new: DiffSide,
    /// `new.score − old.score`, rounded to two decimals.
    pub score_change: f64,
    /// Every rule of either report, in clause order.
    pub rules: Vec<RuleChange>,
}

impl ReportDiff {
    /// The rules that moved in the given way.
    pub fn with(&self, change: Change) -> impl Iterator<Item = &RuleChange> {
        self.rules.iter().filter(move |r| r.change == change)
    }

    /// How many rules moved in the given way.
    #[must_use]
    pub fn count(&self, change: Change) -> usize {
        self.with(change).count()
    }

    /// The diff as pretty JSON with a final newline.
    ///
    /// # Errors
    /// Serialisation fails (never silently an empty document); see [`Report::to_json`].
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let mut s = serde_json::to_string_pretty(self)?;
        s.push('\n');
        Ok(s)
    }
}

/// 0 passing or exempt, 1 failing, 2 unknown.
const fn standing(o: Outcome) -> u8 {
    match o {
        Outcome::Pass | Outcome::NotApplicable | Outcome::Waived => 0,
        Outcome::Fail => 1,
        Outcome::InsufficientData | Outcome::Manual | Outcome::Error => 2,
    }
}

fn classify(old: Option<Outcome>, new: Option<Outcome>) -> Change {
    match (old, new) {
        (Some(a), Some(b)) if a == b => Change::Unchanged,
        (Some(a), Some(b)) => match (standing(a), standing(b)) {
            (1, 0) => Change::Fixed,
            (0, 1) => Change::Regressed,
            (2, 1) => Change::New,
            _ => Change::Changed,
        },
        (None, Some(Outcome::Fail)) => Change::New,
        _ => Change::Changed,
    }
}

fn side(r: &Report) -> DiffSide {
    DiffSide {
        as_of: r.profile.as_of.clone(),
        sha256: r.profile.sha256.clone(),
        score: r.summary.score,
        grade: r.summary.grade.clone(),
        non_conformities: r.summary.non_conformities,
        deviations: r.summary.deviations,
    }
}

/// Compares two reports of one community, rule by rule.
///
/// # Errors
/// [`DiffError::DifferentCommunities`] when the profile ids differ.
pub fn diff(old: &Report, new: &Report) -> Result<ReportDiff, DiffError> {
    if old.profile.id != new.profile.id {
        return Err(DiffError::DifferentCommunities {
            old: old.profile.id.clone(),
            new: new.profile.id.clone(),
        });
    }
    let find = |report: &'_ Report, rule: &str| -> Option<RuleResult> {
        report.results.iter().find(|r| r.rule == rule).cloned()
    };
    let mut ids: Vec<&str> = old
        .results
        .iter()
        .chain(&new.results)
        .map(|r| r.rule.as_str())
        .collect();
    ids.sort_by(|a, b| crate::types::clause_order(a, b));
    ids.dedup();
    let rules = ids
        .into_iter()
        .filter_map(|id| {
            let (o, n) = (find(old, id), find(new, id));
            let newest = n.as_ref().or(o.as_ref())?;
            Some(RuleChange {
                rule: newest.rule.clone(),
                clause: newest.clause.clone(),
                level: newest.level,
                change: classify(o.as_ref().map(|r| r.outcome), n.as_ref().map(|r| r.outcome)),
                old: o.as_ref().map(|r| r.outcome),
                new: n.as_ref().map(|r| r.outcome),
                title: newest.title.clone(),
                message: newest.message.clone(),
            })
        })
        .collect();
    Ok(ReportDiff {
        community: new.profile.id.clone(),
        name: new
            .profile
            .name
            .clone()
            .or_else(|| old.profile.name.clone()),
        old: side(old),
        new: side(new),
        score_change: super::score::round2(new.summary.score - old.summary.score),
        rules,
    })
}

#[cfg(test)]
mod tests {
    use super::{Change, classify};
    use crate::report::Outcome::*;

    #[test]
    fn moves_are_classified_by_standing() {
        assert_eq!(classify(Some(Fail), Some(Pass)), Change::Fixed);
        assert_eq!(classify(Some(Fail), Some(Waived)), Change::Fixed);
        assert_eq!(classify(Some(Pass), Some(Fail)), Change::Regressed);
        assert_eq!(classify(Some(InsufficientData), Some(Fail)), Change::New);
        assert_eq!(classify(None, Some(Fail)), Change::New);
        assert_eq!(classify(None, Some(Pass)), Change::Changed);
        assert_eq!(classify(Some(Pass), None), Change::Changed);
        assert_eq!(
            classify(Some(Pass), Some(InsufficientData)),
            Change::Changed
        );
        assert_eq!(classify(Some(Fail), Some(Fail)), Change::Unchanged);
    }
}
