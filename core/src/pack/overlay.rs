//! Layer resolution: packs are ordered by layer and `extends`, then each layer's changes are
//! folded onto the layers below it. Every change is judged: tightening is allowed, loosening
//! only as a declared derogation. Every value and rule keeps the layer that set it, its
//! document and its effective dates, so a report can say where each requirement comes from.

mod context;
mod foreign;
mod history;
mod judge;
mod order;
mod resolve;
mod rules;
mod window;

pub(crate) use context::pack_window;
pub(crate) use history::Layering;
pub use history::{
    CategoryHistory, CategoryStep, ParamHistory, ParamStep, RuleHistory, RuleState, RuleStep,
    RuleStepKind,
};
pub(crate) use order::order;
pub(crate) use window::Window;

#[cfg(test)]
mod tests;
