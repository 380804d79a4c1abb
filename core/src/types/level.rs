//! Provision levels and the origin of a clause.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Provision type after GB/T 1.1-2020 Annex C.
// Exhaustive on purpose: GB/T 1.1 knows these four and no other.
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

    /// How strongly the level binds: `may` 0, `should` 1, `shall` and `shall-not` 2. A
    /// change to a weaker level loosens the standard (a derogation).
    #[must_use]
    pub const fn strength(self) -> u8 {
        match self {
            Self::May => 0,
            Self::Should => 1,
            Self::Shall | Self::ShallNot => 2,
        }
    }
}

/// As spelt in reports: `shall`, `shall-not`, `should`, `may`.
impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
