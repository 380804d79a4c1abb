//! The scoring dimensions, one per chapter of the standard.

use serde::{Deserialize, Serialize};

/// The scoring dimensions, one per chapter 4–8.
// Exhaustive on purpose: one per chapter of the standard, so a new one comes only with a
// new edition, and the scorer and renderers should not compile until they handle it.
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

    /// The chapter of the standard the dimension scores: `4` to `8`.
    #[must_use]
    pub const fn chapter(self) -> &'static str {
        match self {
            Self::General => "4",
            Self::Construction => "5",
            Self::Organisation => "6",
            Self::GovernanceServices => "7",
            Self::Evaluation => "8",
        }
    }

    /// The dimension of chapter `chapter` (`"6"`), if it is one of chapters 4–8.
    #[must_use]
    pub fn of_chapter(chapter: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.chapter() == chapter)
    }

    /// The dimension of the chapter a clause id lies in (`6.4.3` → organisation); none for
    /// a category clause (`C.TI.3`) or another chapter.
    #[must_use]
    pub fn of_clause(clause: &str) -> Option<Self> {
        Self::of_chapter(clause.split('.').next().unwrap_or(clause))
    }
}

impl std::fmt::Display for Dimension {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Dimension;

    #[test]
    fn chapters_and_clauses_map_to_dimensions() {
        for d in Dimension::ALL {
            assert_eq!(Dimension::of_chapter(d.chapter()), Some(d));
        }
        assert_eq!(Dimension::of_clause("6.4.3"), Some(Dimension::Organisation));
        assert_eq!(Dimension::of_clause("4"), Some(Dimension::General));
        assert_eq!(Dimension::of_clause("C.TI.3"), None);
        assert_eq!(Dimension::of_clause("9.1"), None);
        assert_eq!(Dimension::of_chapter("3"), None);
    }
}
