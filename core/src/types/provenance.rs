//! Which layer set what: the provenance of parameter values, rules and their changes, the
//! declared loosenings of the standard, and the packs and overlay chain of an evaluation.
//! Packs compute it while they resolve the layers; reports carry it.

use std::fmt;

use chrono::NaiveDate;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Layer, Origin, PackRef, Text as Message};

/// A parameter the rule read, with the layer that set it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ParamUse {
    /// The value.
    pub value: Value,
    /// Unit, when the parameter has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Which layer set the value: `<pack id>@<version>`.
    #[schemars(with = "String")]
    pub layer: PackRef,
    /// The layer that set the value, with its document and effective dates.
    #[serde(default)]
    pub set_by: Provenance,
    /// Whether the explanatory note fixes the parameter (`note`) or we proposed it.
    #[serde(default)]
    pub origin: Origin,
    /// Where the origin is stated, when the pack names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The community category whose value decided, when the value is one category's (for
    /// a community of several categories, the strictest; `a+b` when their lists combine).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// A pack that took part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PackInfo {
    /// Pack id.
    pub id: String,
    /// Pack version.
    pub version: String,
    /// `standard`, `category`, `overlay` or `plugin`.
    #[schemars(with = "String")]
    pub layer: Layer,
    /// Directory or `embedded:…`.
    pub source: String,
    /// SHA-256 (lower-case hex): for a plugin, of the very bytes loaded; for a pack, of its
    /// manifest and rule scripts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// True when the pack has the id and version of a pack built into icgs (the standard,
    /// a built-in category) but other content: a modified copy, named as such in every report.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub modified: bool,
    /// The document the pack implements (文号, else its edition), which parameters and rules
    /// it sets name unless they give their own. Left out for a plugin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

impl PackInfo {
    /// The pack as `id@version`.
    #[must_use]
    pub fn pack_ref(&self) -> PackRef {
        PackRef::new(self.id.clone(), self.version.clone())
    }

    /// `id@version`, and for a modified copy of a built-in pack
    /// `id@version (modified: sha256 <first 12 hex>)`.
    #[must_use]
    pub fn label(&self) -> String {
        match (&self.sha256, self.modified) {
            (Some(sha), true) => format!(
                "{} (modified: sha256 {})",
                self.pack_ref(),
                sha.get(..12).unwrap_or(sha)
            ),
            _ => self.pack_ref().to_string(),
        }
    }
}

/// The overlays of one evaluation: one `extends` line, never two sibling districts
/// (`docs/overlays.md`, "One chain per evaluation").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct OverlayChain {
    /// The overlays, lowest first, as `id@version`; empty when none applied.
    pub overlays: Vec<String>,
    /// Their names, in the same order.
    #[serde(default)]
    pub names: Vec<Message>,
    /// How they were chosen: `named` (`--overlay`), `applies-to` (the profile's `city` and
    /// `district` matched each overlay's `applies_to`), `only-chain` (the overlays loaded
    /// form one line), `none` (no overlay loaded or applicable).
    #[schemars(with = "String")]
    pub chosen_by: ChosenBy,
}

/// Which layer set something: a parameter value, a rule, a change of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Provenance {
    /// Pack id, e.g. `standard` or `binjiang`.
    pub pack: String,
    /// Pack version.
    pub version: String,
    /// `standard`, `category`, `overlay` or `plugin`.
    #[schemars(with = "String")]
    pub layer: Layer,
    /// The document behind it (文号 or edition), when the pack names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// First day it applies, when limited.
    #[serde(
        default,
        with = "super::date::optional",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<String>")]
    pub effective_from: Option<NaiveDate>,
    /// Last day it applies, when limited.
    #[serde(
        default,
        with = "super::date::optional",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<String>")]
    pub effective_until: Option<NaiveDate>,
}

/// Which layer defined a rule and which layers changed it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct RuleProvenance {
    /// The layer that defined the rule.
    pub defined_by: Provenance,
    /// The last layer whose change of the rule is in force, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_by: Option<Provenance>,
    /// Every change of the rule in force, in layer order.
    pub changes: Vec<RuleChangeInfo>,
}

/// One change of a rule by a layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RuleChangeInfo {
    /// The layer that made it.
    pub by: Provenance,
    /// What changed: `level`, `disabled` or `waivable`.
    #[schemars(with = "String")]
    pub change: ChangeKind,
    /// The new value (`"shall"`, `true`…).
    pub value: Value,
    /// Why, when the layer says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// Whether the change is a declared derogation.
    pub derogation: bool,
}

/// A declared loosening of the standard by a layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DerogationEntry {
    /// The layer that declares it.
    pub by: Provenance,
    /// `parameter`, `rule` or `category`.
    #[schemars(with = "String")]
    pub target: DerogationTarget,
    /// The parameter name, rule id or category id.
    pub id: String,
    /// For a parameter changed for one category only, that category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// What changed: `value`, `level`, `disabled`, `waivable` or `spaces`.
    #[schemars(with = "String")]
    pub change: ChangeKind,
    /// The value before the layer (the first one it loosens).
    pub from: Value,
    /// The layer's value.
    pub to: Value,
    /// Why.
    pub justification: String,
    /// The document that authorises it.
    pub document: String,
    /// Whether it applies at the report's `evaluated_as_of`.
    pub in_effect: bool,
}

/// A string enum with its spelling in reports, serialised as that string (`ProblemCode`'s
/// pattern: one place lists each value and its name), displayed and compared as it.
macro_rules! spelt {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)*
        }

        impl $name {
            /// As spelt in reports.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)*
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        spelt!(@eq $name);
    };
    // Compared with its spelling, as `http::Method` is: `change == "level"`.
    (@eq $name:ty) => {
        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

spelt! {
    /// What a layer changed: a parameter's value, a rule's level, whether a rule is disabled
    /// or waivable, a category's spaces.
    pub enum ChangeKind {
        /// A parameter's (or scoring parameter's) value.
        Value = "value",
        /// A rule's level.
        Level = "level",
        /// Whether a rule is disabled.
        Disabled = "disabled",
        /// Whether waivers may cover a rule.
        Waivable = "waivable",
        /// The spaces a category requires.
        Spaces = "spaces",
    }
}

spelt! {
    /// What a derogation loosens.
    pub enum DerogationTarget {
        /// A parameter.
        Parameter = "parameter",
        /// A rule.
        Rule = "rule",
        /// A category.
        Category = "category",
        /// The scoring model.
        Scoring = "scoring",
    }
}

spelt! {
    /// How the overlays of an evaluation were chosen.
    pub enum ChosenBy {
        /// Named by the caller (`--overlay`).
        Named = "named",
        /// The profile's `city` and `district` matched each overlay's `applies_to`.
        AppliesTo = "applies-to",
        /// The overlays loaded form one line.
        OnlyChain = "only-chain",
        /// No overlay was loaded or applicable.
        None = "none",
    }
}

/// No overlay: what an evaluation without overlays reports.
impl Default for ChosenBy {
    fn default() -> Self {
        Self::None
    }
}

spelt!(@eq super::Layer);

impl Provenance {
    /// The pack as `id@version`.
    #[must_use]
    pub fn pack_ref(&self) -> PackRef {
        PackRef::new(self.pack.clone(), self.version.clone())
    }
}
