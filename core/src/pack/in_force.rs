//! Whether a layer's entry applies on a day, for those who list the layers (`icgs doc`).

use chrono::NaiveDate;

use super::{ParamStep, RuleHistory, RuleStep};

impl ParamStep {
    /// Whether this value applies on `day` (its effective dates, both ends inclusive).
    #[must_use]
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        self.window.contains(day)
    }
}

impl RuleStep {
    /// Whether this change applies on `day` (its effective dates, both ends inclusive).
    #[must_use]
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        self.window.contains(day)
    }
}

impl RuleHistory {
    /// Whether the rule itself applies on `day` (its own effective dates).
    #[must_use]
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        self.window.contains(day)
    }
}
