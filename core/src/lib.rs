#![doc = include_str!("../../README.md")]
#![deny(missing_docs)]

pub mod model;
mod schema;

pub use schema::{profile_schema, profile_schema_json};
