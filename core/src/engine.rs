//! The policy engine: compiles packs once, evaluates many profiles.
//!
//! ```
//! let engine = icgs::Engine::standard().unwrap();
//! let text = std::fs::read("../examples/profiles/binjiang-tech-innovation.json").unwrap();
//! let (profile, _) = icgs::read_profile("binjiang", &text, &Default::default()).unwrap();
//! let report = engine.evaluate(profile).unwrap();
//! assert!(report.summary.score > 0.0);
//! ```

mod build;
mod evaluate;
mod field;
mod literal;
mod plugins;
mod sandbox;
mod subject;
mod verdict;

use std::collections::BTreeMap;

/// Parameters the host reads itself rather than a rule: the waiver policy (`waiver_max_days`,
/// `non_waivable_rules`). Declared in packs like any other and changed by overlays the same way.
pub const HOST_PARAMS: [&str; 2] = ["waiver_max_days", "non_waivable_rules"];

pub use build::EngineBuilder;
pub use evaluate::{CheckError, EvalOptions, EvaluateError};
pub use evaluate::{PROPOSALS_CAP_GRADE, SHOW_FORMATS};
pub use sandbox::{Limits, MAX_SCRIPT_BYTES};
/// Read-only listing of what scripts can use on `c` (for `icgs lint`).
pub use subject::{CommunityNames, community_names};

use crate::pack::{RuleMeta, Scoring};
use crate::types::{Level, OverlayChain, PackInfo, PackRef, ParamUse, Text};

/// The version of this engine, checked against each pack's `requires`.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A compiled rule set, ready to evaluate profiles. `Send + Sync`: share one engine across
/// threads.
///
/// ```
/// use std::sync::Arc;
///
/// use icgs::Engine;
/// use icgs::model::CommunityProfile;
///
/// let engine = Arc::new(Engine::standard()?);
/// let profile = Arc::new(CommunityProfile::new("hz-demo", "2026-06-30"));
/// let report = std::thread::scope(|s| {
///     let (engine, profile) = (Arc::clone(&engine), Arc::clone(&profile));
///     s.spawn(move || engine.evaluate(profile)).join().unwrap()
/// })?;
/// assert_eq!(report.profile.id, "hz-demo");
/// // One result per rule; with nothing recorded, most lack their data.
/// assert_eq!(report.results.len(), engine.rules().count());
/// assert!(report.summary.counts.insufficient_data > report.summary.counts.pass);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Engine {
    rhai: rhai::Engine,
    rules: Vec<CompiledRule>,
    /// Loaded native plugins; a rule with `plugin: Some(i)` is answered by `plugins[i]`.
    plugins: Vec<std::sync::Arc<crate::plugin::Plugin>>,
    packs: Vec<PackInfo>,
    categories: BTreeMap<String, CategoryInfo>,
    scoring: Scoring,
    limits: Limits,
    /// Parameter, rule and category histories through the layers (overlays).
    pub(crate) layers: build::Layers,
    /// Evaluation date and extra waivers used unless a call gives others.
    pub(crate) options: EvalOptions,
    /// The one chain of overlays the engine was built with.
    chain: OverlayChain,
}

/// A category registered by a pack.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryInfo {
    /// Category id.
    pub id: String,
    /// Name in both languages.
    pub name: Text,
    /// Spaces for clause 5.2.2.
    pub spaces: Vec<String>,
    /// The pack that registers it.
    pub pack: String,
    /// Parameter values that apply to communities of this category.
    pub set_params: BTreeMap<String, (crate::pack::ParamValue, PackRef)>,
}

#[derive(Debug)]
struct CompiledRule {
    meta: RuleMeta,
    /// The script (empty for a plugin rule).
    ast: rhai::AST,
    /// The plugin that answers this rule, instead of a script.
    plugin: Option<usize>,
    file: String,
    /// The message templates (zh, en), split at build time.
    message: (evaluate::Template, evaluate::Template),
    /// Line of `fn check`, named when an error has no position of its own.
    check_line: Option<usize>,
    pack: PackRef,
    weight: u32,
    /// The declared parameters as the script sees them (`params.<name>`).
    params: rhai::Dynamic,
    /// Shared with every result of the rule: a result copies it only when a layer changes
    /// a value for the community (`Arc::make_mut`).
    param_uses: std::sync::Arc<BTreeMap<String, ParamUse>>,
}

/// A rule as listed by [`Engine::rules`].
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo<'a> {
    /// The metadata the script declares.
    pub meta: &'a RuleMeta,
    /// The script file.
    pub file: &'a str,
    /// The pack (`id@version`).
    pub pack: &'a PackRef,
    /// Effective scoring weight.
    pub weight: u32,
    /// Resolved parameters with provenance.
    pub params: &'a BTreeMap<String, ParamUse>,
}

impl Engine {
    /// An engine over the embedded standard pack and the four built-in categories.
    ///
    /// # Errors
    /// Only if the embedded packs are broken (a test guards against that).
    pub fn standard() -> Result<Self, crate::pack::BuildError> {
        EngineBuilder::new()
            .packs(crate::pack::Pack::embedded()?)
            .build()
    }

    /// A builder for engines over other packs or limits.
    #[must_use]
    pub fn builder() -> EngineBuilder {
        EngineBuilder::new()
    }

    /// The rules in clause order.
    pub fn rules(&self) -> impl Iterator<Item = RuleInfo<'_>> {
        self.rules.iter().map(|r| RuleInfo {
            meta: &r.meta,
            file: &r.file,
            pack: &r.pack,
            weight: r.weight,
            params: &r.param_uses,
        })
    }

    /// The packs in layer order.
    #[must_use]
    pub fn packs(&self) -> &[PackInfo] {
        &self.packs
    }

    /// The registered categories.
    pub fn categories(&self) -> impl Iterator<Item = &CategoryInfo> {
        self.categories.values()
    }

    /// The scoring model in force.
    #[must_use]
    pub const fn scoring(&self) -> &Scoring {
        &self.scoring
    }
}

pub use crate::types::clause_order; // moved to types

/// Level weights default from the scoring model; `may` is never scored.
fn effective_weight(meta: &RuleMeta, scoring: &Scoring) -> u32 {
    if meta.level == Level::May {
        return 0;
    }
    meta.weight.unwrap_or_else(|| {
        scoring
            .level_weights
            .get(meta.level.as_str())
            .copied()
            .unwrap_or(0)
    })
}
