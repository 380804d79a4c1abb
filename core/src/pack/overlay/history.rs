//! The history of every parameter, rule and category: each step a layer took, with its
//! provenance and window, and what is in force at a date.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::Value;

use super::judge::combine;
use super::window::{Point, Window};
use crate::pack::changes::{Derogation, Stricter};
use crate::pack::{Level, Origin, ParamValue, Text};
use crate::types::{ChangeKind, DerogationEntry, Provenance, RuleChangeInfo};

/// The history of one parameter: its declaration, then every change in layer order.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ParamHistory {
    /// Parameter name.
    pub name: String,
    /// Unit.
    pub unit: Option<String>,
    /// Which way the value is stricter.
    pub stricter: Stricter,
    /// What it means.
    pub description: Text,
    /// Whether the explanatory note fixes the value (`proposal` when undeclared).
    pub origin: Origin,
    /// Where the origin is stated.
    pub source: Option<String>,
    /// The declaration (first) and each change, in layer order.
    pub steps: Vec<ParamStep>,
}

/// One value of a parameter set by one layer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ParamStep {
    /// The value.
    pub value: ParamValue,
    /// The category it is limited to (a category pack's or `[categories.<id>.set_params]`).
    pub category: Option<String>,
    /// The layer that set it, with document and effective dates.
    pub by: Provenance,
    /// The derogation, when the value loosens the one below.
    pub derogation: Option<Derogation>,
    pub(crate) window: Window,
}

impl ParamHistory {
    /// The step in force at `as_of` for a community of `categories`. Steps apply in layer
    /// order: a step for every community replaces what came before; a step for one category
    /// replaces that category's earlier value. When several of the community's categories
    /// set the parameter, the strictest value wins (by `stricter`; for `none`, where no
    /// value is stricter, the first category listed), so a secondary category can never
    /// loosen what another category requires. A later step for every community (an overlay,
    /// judged against each category's value) decides over them all.
    pub fn at(&self, as_of: NaiveDate, categories: &[&str]) -> Option<Cow<'_, ParamStep>> {
        let mut base: Option<&ParamStep> = None;
        let mut per_category: Vec<&ParamStep> = Vec::new();
        for step in self.steps.iter().filter(|s| s.window.contains(as_of)) {
            match step.category.as_deref() {
                None => {
                    base = Some(step);
                    per_category.clear();
                }
                Some(c) if categories.contains(&c) => {
                    per_category.retain(|s| s.category != step.category);
                    per_category.push(step);
                }
                Some(_) => {}
            }
        }
        // The community's categories in the order it lists them (primary first).
        let rank = |s: &ParamStep| {
            categories
                .iter()
                .position(|c| s.category.as_deref() == Some(*c))
                .unwrap_or(usize::MAX)
        };
        per_category.sort_by_key(|s| rank(s));
        let mut decided: Option<Cow<'_, ParamStep>> = None;
        for step in per_category {
            decided = Some(match decided {
                None => Cow::Borrowed(step),
                Some(d) => combine(self.stricter, d, step),
            });
        }
        decided.or_else(|| base.map(Cow::Borrowed))
    }

    /// The index in [`Self::steps`] of the value in force on `as_of` for a community of no
    /// category: the last step for every community whose dates include `as_of`.
    #[must_use]
    pub fn step_in_force(&self, as_of: NaiveDate) -> Option<usize> {
        self.steps
            .iter()
            .rposition(|s| s.category.is_none() && s.in_force(as_of))
    }

    /// The same value for every community on every date: no dated or category step.
    pub(crate) fn is_static(&self) -> bool {
        self.steps
            .iter()
            .all(|s| s.category.is_none() && s.window.is_always())
    }
}

/// What a layer changed in a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuleStepKind {
    /// A new level.
    Level(Level),
    /// Disabled (`true`) or enabled again (`false`).
    Disabled(bool),
    /// Waivable or not.
    Waivable(bool),
}

impl ParamStep {
    /// Whether the value applies on `as_of` (its layer's and its own effective dates).
    #[must_use]
    pub fn in_force(&self, as_of: NaiveDate) -> bool {
        self.window.contains(as_of)
    }
}

impl RuleStepKind {
    pub(super) const fn kind(self) -> ChangeKind {
        match self {
            Self::Level(_) => ChangeKind::Level,
            Self::Disabled(_) => ChangeKind::Disabled,
            Self::Waivable(_) => ChangeKind::Waivable,
        }
    }

    pub(super) fn value(self) -> Value {
        match self {
            Self::Level(l) => Value::String(l.as_str().to_owned()),
            Self::Disabled(b) | Self::Waivable(b) => Value::Bool(b),
        }
    }
}

/// One change of a rule by one layer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RuleStep {
    /// What changed.
    pub change: RuleStepKind,
    /// The layer that changed it.
    pub by: Provenance,
    /// Why, when the layer says (required to disable a rule).
    pub justification: Option<String>,
    /// The derogation, when the change loosens the rule.
    pub derogation: Option<Derogation>,
    pub(crate) window: Window,
}

impl RuleStep {
    /// Whether the change applies on `as_of` (its layer's and its own effective dates).
    #[must_use]
    pub fn in_force(&self, as_of: NaiveDate) -> bool {
        self.window.contains(as_of)
    }

    /// The change as a report states it.
    #[must_use]
    pub fn info(&self) -> RuleChangeInfo {
        RuleChangeInfo {
            by: self.by.clone(),
            change: self.change.kind(),
            value: self.change.value(),
            justification: self.justification.clone(),
            derogation: self.derogation.is_some(),
        }
    }
}

/// The history of one rule: who defined it, its own effective dates, and every change.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RuleHistory {
    /// Rule id.
    pub rule: String,
    /// The layer that defined the rule (with the rule's own effective dates).
    pub defined_by: Provenance,
    /// The level the rule was defined with.
    pub level: Level,
    /// Whether waivers may cover it as defined (veto rules may not, unless it says).
    pub waivable: bool,
    /// Changes by later layers, in layer order.
    pub steps: Vec<RuleStep>,
    pub(crate) window: Window,
    pub(crate) pack_index: usize,
}

/// A rule as it stands at one date ([`RuleHistory::state_at`]): every change in force
/// applied in layer order.
#[derive(Debug)]
#[non_exhaustive]
pub struct RuleState<'a> {
    /// The level in force.
    pub level: Level,
    /// The change that disabled the rule, when it is disabled.
    pub disabled: Option<&'a RuleStep>,
    /// Whether waivers may cover it.
    pub waivable: bool,
    /// The changes in force, in layer order.
    pub active: Vec<&'a RuleStep>,
}

impl RuleHistory {
    pub(super) fn fold(&self, upto: usize, p: Point) -> RuleState<'_> {
        let mut state = RuleState {
            level: self.level,
            disabled: None,
            waivable: self.waivable,
            active: Vec::new(),
        };
        for step in self.steps.iter().take(upto).filter(|s| s.window.at(p)) {
            match step.change {
                RuleStepKind::Level(l) => state.level = l,
                RuleStepKind::Disabled(true) => state.disabled = Some(step),
                RuleStepKind::Disabled(false) => state.disabled = None,
                RuleStepKind::Waivable(w) => state.waivable = w,
            }
            state.active.push(step);
        }
        state
    }

    /// The rule as it stands at `as_of`: its level, whether it is disabled and waivable,
    /// after the changes in force that day.
    #[must_use]
    pub fn state_at(&self, as_of: NaiveDate) -> RuleState<'_> {
        self.fold(self.steps.len(), Some(as_of))
    }

    /// Whether the rule itself is in force at `as_of` (its and its pack's dates).
    #[must_use]
    pub fn in_force(&self, as_of: NaiveDate) -> bool {
        self.window.contains(as_of)
    }
}

/// The history of one category: who registered it and every change of its spaces or name.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CategoryHistory {
    /// Category id.
    pub id: String,
    /// Name as registered.
    pub name: Text,
    /// 5.2.2 spaces as registered.
    pub spaces: Vec<String>,
    /// The layer that registered it.
    pub registered_by: Provenance,
    /// The source of the registering pack (a directory or `embedded:…`).
    pub source: String,
    /// Changes by later layers.
    pub steps: Vec<CategoryStep>,
}

/// One change of a category by one layer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CategoryStep {
    /// A new name.
    pub name: Option<Text>,
    /// The new list of spaces.
    pub spaces: Option<Vec<String>>,
    /// The layer that changed it.
    pub by: Provenance,
    /// The derogation, when spaces were removed.
    pub derogation: Option<Derogation>,
    pub(crate) window: Window,
}

impl CategoryHistory {
    pub(super) fn spaces_before(&self, upto: usize, p: Point) -> &[String] {
        self.steps
            .iter()
            .take(upto)
            .rev()
            .filter(|s| s.window.at(p))
            .find_map(|s| s.spaces.as_deref())
            .unwrap_or(&self.spaces)
    }

    /// The spaces in force at `as_of`.
    pub(crate) fn spaces_at(&self, as_of: NaiveDate) -> &[String] {
        self.spaces_before(self.steps.len(), Some(as_of))
    }

    /// The name in force (the last change, dates aside).
    pub(crate) fn current_name(&self) -> &Text {
        self.steps
            .iter()
            .rev()
            .find_map(|s| s.name.as_ref())
            .unwrap_or(&self.name)
    }
}

/// Everything the layers resolve to, before and after rules are compiled.
#[derive(Debug, Clone, Default)]
pub(crate) struct Layering {
    pub params: BTreeMap<String, ParamHistory>,
    pub categories: BTreeMap<String, CategoryHistory>,
    pub rules: BTreeMap<String, RuleHistory>,
    pub derogations: Vec<(DerogationEntry, Window)>,
}
