#![doc = include_str!("../../README.md")]
#![deny(missing_docs)]

#[cfg(feature = "engine")]
pub mod catalogue;
#[cfg(feature = "engine")]
mod engine;
pub mod facts;
#[cfg(feature = "engine")]
pub mod lint;
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
#[cfg(feature = "engine")]
pub mod testing;
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
    read_profile, validate,
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
