//! Tools for the authors of policy packs, apart from the evaluation library `icgs`: a
//! platform that embeds [`icgs::Engine`] needs none of them.
//!
//! - [`lint`]: `icgs lint`, pack problems with file, line and column;
//! - [`catalogue`]: `icgs doc`, the clause catalogue generated from the packs (rendered by
//!   `icgs-render`);
//! - [`testing`]: pack test cases and coverage, shared by `icgs test` and `cargo test`.
#![deny(missing_docs)]

pub mod catalogue;
pub mod lint;
mod script;
pub mod testing;
