#![doc = include_str!("../../README.md")]
#![deny(missing_docs)]

mod error;
pub mod facts;
pub mod model;
mod schema;
mod validate;

pub use error::{ProfileError, ProfileProblems};
pub use schema::{profile_schema, profile_schema_json};
pub use validate::{Problem, ProblemCode, ReadOptions, Validation, read_profile, validate};
