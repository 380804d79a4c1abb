//! The crate's vocabulary: the small types every other module speaks of — bilingual
//! [`Text`], the provision [`Level`], the scoring [`Dimension`], a [`Grade`] id, rule ids in clause order
//! ([`RuleId`]), the [`Outcome`] of a rule, the [`Layer`] of a pack and a pack's
//! [`PackRef`], the [`Provenance`] of what a layer set, and [`Location`]s in source text.
//!
//! This module depends on nothing else in the crate (only `std`, `serde`, `serde_json` and
//! `schemars`): validation, facts, packs and the report build on it, the engine on them. So
//! a type two of those modules share lives here, and no cycle between modules passes
//! through it (`tests/tests/architecture.rs` holds the module graph to that).

mod date;
mod dimension;
mod grade;
pub(crate) mod json_positions;
mod layer;
mod level;
mod location;
mod outcome;
mod provenance;
mod rule_id;
mod text;

pub use date::parse_date;
pub use dimension::Dimension;
pub use grade::Grade;
pub(crate) use json_positions::JsonPositions;
pub use layer::{Layer, PackRef};
pub use level::{Level, Origin};
pub use location::{LineIndex, Location};
pub use outcome::Outcome;
pub use provenance::{
    ChangeKind, ChosenBy, DerogationEntry, DerogationTarget, OverlayChain, PackInfo, ParamUse,
    Provenance, RuleChangeInfo, RuleProvenance,
};
pub use rule_id::{RuleId, clause_order};
pub use text::Text;
