//! The outcome of one rule for one profile.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The result of one rule for one profile.
// Exhaustive on purpose (no `#[non_exhaustive]`): the outcomes are the report contract's
// (`docs/reports.md`), a new one is a new report version, and a renderer that matches on
// every outcome should stop compiling then rather than show it as something else.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The clause is met.
    Pass,
    /// The clause is not met.
    Fail,
    /// The clause's condition does not hold (e.g. another category's clause).
    NotApplicable,
    /// An input the rule needs is missing; never a silent pass.
    InsufficientData,
    /// An evidence clause without current evidence: a person must check it.
    Manual,
    /// A failure covered by an approved, unexpired waiver.
    Waived,
    /// The rule could not be evaluated (script or plugin failure).
    Error,
}

impl Outcome {
    /// `Pass` when `ok`, else `Fail`.
    #[must_use]
    pub const fn pass_if(ok: bool) -> Self {
        if ok { Self::Pass } else { Self::Fail }
    }

    /// The outcome as spelt in reports.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::NotApplicable => "not-applicable",
            Self::InsufficientData => "insufficient-data",
            Self::Manual => "manual",
            Self::Waived => "waived",
            Self::Error => "error",
        }
    }
}

/// As spelt in reports: `pass`, `not-applicable`…
impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
