#![doc = include_str!("../../README.md")]
#![deny(missing_docs)]

#[cfg(feature = "engine")]
mod engine;
pub mod facts;
mod migrate;
pub mod model;
#[cfg(feature = "engine")]
pub mod pack;
#[cfg(feature = "engine")]
pub mod plugin;
#[cfg(feature = "engine")]
pub mod report;
mod schema;
pub mod suggest;
#[cfg(test)]
mod test_rng;
pub mod types;
mod validate;
pub mod vocab;
#[cfg(feature = "engine")]
pub mod waiver;
#[cfg(feature = "engine")]
mod walk;

pub use migrate::{CURRENT_FORMAT, MigrateError, Migration, MigrationNote, migrate};
pub use schema::{profile_schema, profile_schema_json};
pub use validate::{
    MAX_PROBLEMS, Problem, ProblemCode, ProfileError, ProfileProblems, ReadOptions, Validation,
    prepare_validation, read_profile, validate,
};

#[cfg(feature = "engine")]
pub use engine::EvalOptions;
#[cfg(feature = "engine")]
pub use engine::MAX_SCRIPT_BYTES;
#[cfg(feature = "engine")]
pub use engine::{
    CategoryInfo, CheckError, ENGINE_VERSION, Engine, EngineBuilder, EvaluateError, Limits,
    RuleInfo, clause_order,
};
#[cfg(feature = "engine")]
pub use waiver::{WaiverError, WaiverSet};

/// What `icgs-tools` (lint, catalogue, pack test runner) reads of the engine's internals.
/// Not a public API: it follows `icgs-tools` of the same version and may change in any
/// release.
#[cfg(feature = "engine")]
#[doc(hidden)]
pub mod __tools {
    pub use crate::engine::{
        CommunityNames, HOST_PARAMS, PROPOSALS_CAP_GRADE, SHOW_FORMATS, community_names,
    };
    pub use crate::suggest::closest;
    pub use crate::walk::files;
}
