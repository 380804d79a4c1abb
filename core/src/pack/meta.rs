use serde::{Deserialize, Serialize};

use crate::types::{Dimension, Level, Origin, Text};

/// The legend printed beside proposals, in Chinese.
pub const PROPOSAL_LEGEND_ZH: &str = "编制说明未规定，待标准正文确认";
/// The legend printed beside proposals, in English.
pub const PROPOSAL_LEGEND_EN: &str =
    "not fixed by the explanatory note; to be confirmed by the published text";

/// A rule's metadata, declared by the script's literal `const RULE = #{ … };` and read
/// without running the script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    /// Rule id: the clause id for the standard's rules (`6.4.3`), `C.<cat>.<n>` for
    /// category rules.
    pub id: String,
    /// Clause id in the standard edition.
    pub clause: String,
    /// Provision type.
    pub level: Level,
    /// Scoring dimension.
    pub dimension: Dimension,
    /// Weight within the dimension; the scoring model's level weight when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    /// Parameters the rule reads (declared by some pack).
    #[serde(default)]
    pub params: Vec<String>,
    /// Categories the rule applies to; empty = every community. A category pack's rules
    /// apply to its category.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Short title.
    pub title: Text,
    /// The clause text.
    pub text: Text,
    /// How the rule checks the clause, for the generated catalogue.
    pub check: Text,
    /// Result message; `{observed}`, `{required}` and `{detail}` (the verdict's gap in
    /// words) are filled in.
    pub message: Text,
    /// What to do when it fails, in the words of the people who do it (no field names);
    /// `{param.NAME}` shows the value of a parameter the rule reads, as in force.
    pub remedy: Text,
    /// How to record the fix in the profile (数据填报说明): the fields to fill. Kept apart
    /// from the remedy so that field names never appear in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_hint: Option<Text>,
    /// First day the rule applies (`YYYY-MM-DD`, inclusive); before it the rule is
    /// `not-applicable`. Judged against the profile's `as_of`, never the wall clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_from: Option<String>,
    /// Last day the rule applies (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_until: Option<String>,
    /// Whether waivers may cover the rule; absent: every rule except the veto rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waivable: Option<bool>,
    /// The clause's origin, for a rule whose clause no `clauses.toml` lists (local and
    /// plugin rules). Where a clause list declares the clause, a rule may only say
    /// `proposal` of a `note` clause (its reading goes beyond the note), never the reverse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// Where the origin is stated (a document and section).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl RuleMeta {
    /// The first bilingual field (`title`, `text`, `check`, `message`, `remedy`) that lacks
    /// its Chinese or English text.
    #[must_use]
    pub fn missing_language(&self) -> Option<&'static str> {
        [
            ("title", &self.title),
            ("text", &self.text),
            ("check", &self.check),
            ("message", &self.message),
            ("remedy", &self.remedy),
        ]
        .into_iter()
        .find(|(_, t)| t.zh.trim().is_empty() || t.en.trim().is_empty())
        .map(|(field, _)| field)
    }
}
