use serde::{Deserialize, Serialize};

use super::Text;

/// Provision type after GB/T 1.1-2020 Annex C.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// 应: a requirement; a failure is a non-conformity.
    Shall,
    /// 不应: a prohibition; a failure is a non-conformity.
    ShallNot,
    /// 宜: a recommendation; a failure is a deviation.
    Should,
    /// 可: a permission; never fails.
    May,
}

impl Level {
    /// The level as spelt in reports.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Shall => "shall",
            Self::ShallNot => "shall-not",
            Self::Should => "should",
            Self::May => "may",
        }
    }

    /// The Chinese modal verb.
    #[must_use]
    pub const fn zh(self) -> &'static str {
        match self {
            Self::Shall => "应",
            Self::ShallNot => "不应",
            Self::Should => "宜",
            Self::May => "可",
        }
    }

    /// Whether a failure is a non-conformity (shall, shall-not).
    #[must_use]
    pub const fn is_requirement(self) -> bool {
        matches!(self, Self::Shall | Self::ShallNot)
    }
}

/// Where a clause or parameter comes from (REVISION-2 A): what the explanatory note states,
/// or our reconstruction of what it leaves open. A standards body that confirms a proposal
/// flips one value in the pack.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// 编制说明: the explanatory note states it.
    Note,
    /// 拟定: a topic, threshold or reading the note does not fix. The default, so that
    /// nothing undeclared is presented as the standard.
    #[default]
    Proposal,
}

impl Origin {
    /// The origin as spelt in packs and reports.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Note => "note",
            Self::Proposal => "proposal",
        }
    }

    /// The origin in Chinese.
    #[must_use]
    pub const fn zh(self) -> &'static str {
        match self {
            Self::Note => "编制说明",
            Self::Proposal => "拟定",
        }
    }

    /// The origin in English.
    #[must_use]
    pub const fn en(self) -> &'static str {
        match self {
            Self::Note => "explanatory note",
            Self::Proposal => "proposal",
        }
    }

    /// Whether this is a proposal.
    #[must_use]
    pub const fn is_proposal(self) -> bool {
        matches!(self, Self::Proposal)
    }

    /// The stricter of two origins: a proposal wins, since one proposed part makes the
    /// whole a proposal.
    #[must_use]
    pub const fn and(self, other: Self) -> Self {
        if self.is_proposal() || other.is_proposal() {
            Self::Proposal
        } else {
            Self::Note
        }
    }
}

/// The legend printed beside proposals, in Chinese.
pub const PROPOSAL_LEGEND_ZH: &str = "编制说明未规定，待标准正文确认";
/// The legend printed beside proposals, in English.
pub const PROPOSAL_LEGEND_EN: &str =
    "not fixed by the explanatory note; to be confirmed by the published text";

/// The scoring dimensions, one per chapter 4–8.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Dimension {
    /// 4 总则.
    General,
    /// 5 建设要求.
    Construction,
    /// 6 运行组织.
    Organisation,
    /// 7 治理与服务.
    GovernanceServices,
    /// 8 评价与改进.
    Evaluation,
}

impl Dimension {
    /// Every dimension, in chapter order.
    pub const ALL: [Self; 5] = [
        Self::General,
        Self::Construction,
        Self::Organisation,
        Self::GovernanceServices,
        Self::Evaluation,
    ];

    /// The dimension as spelt in reports.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::General => "general",
            Self::Construction => "construction",
            Self::Organisation => "organisation",
            Self::GovernanceServices => "governance-services",
            Self::Evaluation => "evaluation",
        }
    }

    /// The chapter's Chinese title.
    #[must_use]
    pub const fn zh(self) -> &'static str {
        match self {
            Self::General => "总则",
            Self::Construction => "建设要求",
            Self::Organisation => "运行组织",
            Self::GovernanceServices => "治理与服务",
            Self::Evaluation => "评价与改进",
        }
    }

    /// The chapter's English title.
    #[must_use]
    pub const fn en(self) -> &'static str {
        match self {
            Self::General => "General",
            Self::Construction => "Establishment requirements",
            Self::Organisation => "Operating organisation",
            Self::GovernanceServices => "Governance and services",
            Self::Evaluation => "Evaluation and improvement",
        }
    }
}

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
