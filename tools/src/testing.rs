//! Pack test cases: one JSON file is one test of what the rules give for one profile.
//!
//! A pack ships its cases under `tests/`: every `tests/**/*.json` except `base.json` and
//! `*.profile.json` (profiles that cases start from) is a case:
//!
//! ```json
//! { "description": "exactly 1500 m² passes (不少于 is ≥)",
//!   "base": "../base.json",
//!   "patch": { "premises": [ { "id": "p1", "floor_area_m2": 1500 } ] },
//!   "expect": { "5.1.1": { "outcome": "pass", "observed": 1500, "required": 1500 } } }
//! ```
//!
//! `base` is a profile file relative to the case file (or `profile` an inline profile),
//! `patch` an RFC 7386 JSON merge patch applied to it (objects merge, arrays are replaced
//! whole, `null` deletes), and `expect` maps rule ids to the outcome and, optionally, the
//! observed and required values (numbers compare by value, `1500 == 1500.0`).
//!
//! `icgs test` and `cargo test` (the `policy_cases` test of the workspace) both run cases
//! with this module:
//!
//! ```
//! use icgs_tools::testing::{self, CaseStatus};
//!
//! let suites = testing::suites(&["../policies/standard"], &[]).unwrap();
//! let suite = &suites[0];
//! let case = suite.cases.iter().find(|c| c.ends_with("5.1.1/exactly-1500-passes.json")).unwrap();
//! let report = testing::run_case(&suite.engine, case);
//! assert_eq!(report.status, CaseStatus::Passed, "{}", report.diff());
//! ```
//!
//! [`coverage`] tells, per rule and per clause, what the cases show.

mod case;
mod coverage;
mod json_patch;
mod junit;
mod run;

pub use case::{Case, CaseError, Expect, ExpectMessage};
pub use coverage::{ClauseCoverage, Coverage, Need, RuleCoverage, coverage};
pub use icgs::model::merge_patch;
pub use junit::junit;
pub use run::{
    CaseReport, CaseStatus, Checked, Field, Mismatch, Suite, TestError, case_files, run_case,
    suites, suites_with_plugins,
};
