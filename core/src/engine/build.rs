//! Building an engine: resolve parameters through the layers, read each rule's metadata
//! without running it, compile every script once.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rhai::Dynamic;

use super::{CategoryInfo, CompiledRule, Engine, Limits, effective_weight, sandbox};
use crate::pack::overlay::{self, Layering};
use crate::pack::{
    BuildError, CategoryHistory, Origin, Pack, PackError, PackSet, ParamHistory, ParamStep,
    ParamValue, RuleHistory, RuleMeta,
};
use crate::types::{
    ChangeKind, DerogationEntry, DerogationTarget, OverlayChain, PackInfo, PackRef, ParamUse,
    Provenance,
};

/// Builds an [`Engine`] from packs; consumes itself.
///
/// The built-in packs with the Zhejiang overlays, evaluated under the Binjiang district's
/// chain (Binjiang extends Hangzhou, which extends Zhejiang):
///
/// ```
/// use icgs::Engine;
/// use icgs::pack::Pack;
///
/// let mut packs = Pack::embedded()?;
/// packs.extend(Pack::discover("../policies/overlays")?);
/// let engine = Engine::builder().packs(packs).overlay("binjiang").build()?;
/// let chain: Vec<&str> = engine.overlay_chain().overlays.iter().map(String::as_str).collect();
/// assert_eq!(chain.len(), 3);
/// assert!(chain[2].starts_with("binjiang@"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct EngineBuilder {
    packs: PackSet,
    plugins: Vec<std::sync::Arc<crate::plugin::Plugin>>,
    limits: Limits,
    options: super::EvalOptions,
    overlay: Option<String>,
    place: Option<(Option<String>, Option<String>)>,
}

/// A parameter after resolution: value, unit and the layer that set it.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub value: ParamValue,
    pub unit: Option<String>,
    pub layer: PackRef,
    pub origin: Origin,
    pub source: Option<String>,
}

pub(crate) fn param_to_dynamic(value: &ParamValue) -> Dynamic {
    match value {
        ParamValue::Bool(b) => (*b).into(),
        ParamValue::Int(i) => (*i).into(),
        ParamValue::Decimal(d) => Dynamic::from_decimal(*d),
        ParamValue::Text(t) => t.clone().into(),
        ParamValue::List(l) => {
            let a: rhai::Array = l.iter().map(|s| Dynamic::from(s.clone())).collect();
            a.into()
        }
        ParamValue::Calendar(c) => Dynamic::from(std::sync::Arc::new((**c).clone())),
    }
}

impl EngineBuilder {
    /// An empty builder with default limits.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds packs; a pack with the id of one already added replaces it.
    #[must_use]
    pub fn packs(mut self, packs: impl IntoIterator<Item = Pack>) -> Self {
        self.packs.extend(packs);
        self
    }

    /// Adds a loaded native plugin: its parameters, categories and rules join the packs'.
    #[must_use]
    pub fn plugin(mut self, plugin: std::sync::Arc<crate::plugin::Plugin>) -> Self {
        self.plugins.push(plugin);
        self
    }

    /// Sets the sandbox limits.
    #[must_use]
    pub const fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Sets what every evaluation of the engine uses unless told otherwise: an evaluation
    /// date instead of each profile's `as_of`, and waivers besides each profile's own.
    #[must_use]
    pub fn options(mut self, options: super::EvalOptions) -> Self {
        self.options = options;
        self
    }

    /// Uses the overlay `id` and the overlays it `extends`, and no other overlay loaded
    /// (`--overlay`). Without it or [`Self::place`], the overlays loaded must form one line.
    #[must_use]
    pub fn overlay(mut self, id: impl Into<String>) -> Self {
        self.overlay = Some(id.into());
        self
    }

    /// Uses the overlays whose `applies_to` matches a community of `city` and `district`
    /// (and those that declare none), which must lie on one line; see [`PackSet::for_place`].
    #[must_use]
    pub fn place(mut self, city: Option<&str>, district: Option<&str>) -> Self {
        self.place = Some((city.map(str::to_owned), district.map(str::to_owned)));
        self
    }

    /// Compiles every rule.
    ///
    /// # Errors
    /// A pack's engine requirement is not met ([`BuildError::EngineVersion`]), a plugin is
    /// refused ([`BuildError::Plugin`]), a script does not compile, its metadata is
    /// missing or invalid, it reads an undeclared parameter ([`BuildError::Pack`]), ids
    /// collide ([`BuildError::Duplicate`]), or an overlay entry cannot be layered on the
    /// packs below it ([`BuildError::Overlay`]: a missing or mismatched base, a cycle, an
    /// unknown rule or parameter, a wrong value, a loosening not declared a derogation), or
    /// the overlays cannot be one chain ([`BuildError::Branches`],
    /// [`BuildError::UnknownOverlay`]).
    pub fn build(self) -> Result<Engine, BuildError> {
        let Self {
            packs: set,
            plugins,
            limits,
            options,
            overlay,
            place,
        } = self;
        // One chain of overlays, never two siblings stacked.
        let chain = match (overlay, place) {
            (Some(id), _) => set.named(&id)?,
            (None, Some((city, district))) => {
                set.for_place(city.as_deref(), district.as_deref())?
            }
            (None, None) => set.only()?,
        };
        // Layers: standard, categories, overlays, each pack after the pack it extends.
        let packs = overlay::order(chain.packs)?;
        let mut rhai = sandbox::hardened(&limits);
        super::verdict::register(&mut rhai);
        super::subject::register(&mut rhai);

        let Stack {
            mut infos,
            scoring,
            derogations,
        } = stack(&packs)?;
        // Parameters and categories: declared once, then changed layer by layer; each value
        // keeps its provenance and every change is judged tightening or loosening.
        let mut layering = Layering::resolve(&packs)?;
        layering.derogations.extend(derogations);
        let (params, categories) = declare(&packs, &plugins, &mut layering, &mut infos)?;
        let scoring = scoring.ok_or_else(|| PackError::Manifest {
            file: packs.first().map(|p| p.source.clone()).unwrap_or_default(),
            position: None,
            message: "no pack defines `[scoring]` (the standard pack does)".into(),
        })?;

        let defs = Defs {
            params: &params,
            scoring: &scoring,
        };
        let mut rules = compile_packs(&rhai, &limits, &packs, defs, &mut layering)?;
        add_plugin_rules(&mut rules, &plugins, defs)?;
        check_weights(
            &rules,
            &scoring,
            packs.iter().rev().find(|p| p.manifest.scoring.is_some()),
        )?;
        finish_rules(&mut rules, &packs, &scoring, &mut layering)?;
        let layers = Layers::new(layering, &mut rules);
        Ok(Engine {
            rhai,
            rules,
            plugins,
            packs: infos,
            categories,
            scoring,
            limits,
            layers,
            options,
            chain: chain.overlays,
        })
    }
}

/// What the packs say before any rule is compiled: who they are, and the scoring model
/// with the loosenings of it that the layers declare.
struct Stack {
    infos: Vec<PackInfo>,
    scoring: Option<crate::pack::Scoring>,
    derogations: Vec<(DerogationEntry, overlay::Window)>,
}

/// Checks each pack's engine requirement, digests it, and judges each `[scoring]` against
/// the model below it.
fn stack(packs: &[Pack]) -> Result<Stack, BuildError> {
    let version =
        semver::Version::parse(super::ENGINE_VERSION).unwrap_or(semver::Version::new(0, 0, 0));
    let mut out = Stack {
        infos: Vec::new(),
        scoring: None,
        derogations: Vec::new(),
    };
    for pack in packs {
        let m = &pack.manifest;
        if !m.requires.matches(&version) {
            return Err(BuildError::EngineVersion {
                pack: m.id.clone(),
                requires: m.requires.to_string(),
                version: version.to_string(),
            });
        }
        let sha256 = pack_digest(pack);
        out.infos.push(PackInfo {
            id: m.id.clone(),
            version: m.version.to_string(),
            layer: m.layer,
            source: pack.source.clone(),
            modified: is_modified_builtin(pack, &sha256),
            sha256: Some(sha256),
            document: Some(m.document_or_edition().to_owned()),
        });
        for (l, d) in crate::pack::scoring_judge(pack, out.scoring.as_ref())? {
            out.derogations.push(scoring_derogation(pack, l, d)?);
        }
        if let Some(s) = &m.scoring {
            out.scoring = Some(s.clone());
        }
    }
    Ok(out)
}

/// Resolved parameters by name.
type Params = BTreeMap<String, Resolved>;

/// The parameters and categories in force without a date or category, the plugins' own
/// declared beside the packs'; the layering adopts the plugins' ones too.
fn declare(
    packs: &[Pack],
    plugins: &[std::sync::Arc<crate::plugin::Plugin>],
    layering: &mut Layering,
    infos: &mut Vec<PackInfo>,
) -> Result<(Params, BTreeMap<String, CategoryInfo>), BuildError> {
    let mut params: BTreeMap<String, Resolved> = layering
        .params
        .iter()
        .filter_map(|(name, h)| Some((name.clone(), resolved(h)?)))
        .collect();
    let mut declared_in: BTreeMap<String, String> = packs
        .iter()
        .flat_map(|p| {
            p.manifest
                .params
                .keys()
                .map(|n| (n.clone(), p.source.clone()))
        })
        .collect();
    let mut categories: BTreeMap<String, CategoryInfo> = layering
        .categories
        .values()
        .map(|c| (c.id.clone(), category_info(c, layering)))
        .collect();
    for plugin in plugins {
        super::plugins::declare(
            plugin,
            &mut params,
            &mut declared_in,
            &mut categories,
            infos,
        )?;
    }
    for (name, p) in &params {
        layering.adopt_param(name, &p.value, p.unit.as_ref(), &p.layer, p.origin);
    }
    for (id, c) in &categories {
        let changes = c.set_params.iter().map(|(n, (v, l))| (n, v, l));
        layering.adopt_category(id, &c.name, &c.spaces, &c.pack, changes)?;
    }
    // Category parameter changes must name known parameters too.
    for cat in categories.values() {
        if let Some(name) = cat.set_params.keys().find(|n| !params.contains_key(*n)) {
            return Err(PackError::Manifest {
                file: format!("{}/pack.toml", cat.pack),
                position: None,
                message: format!("set_params: unknown parameter `{name}`"),
            }
            .into());
        }
    }
    Ok((params, categories))
}

/// What every rule is compiled against: the parameters in force and the scoring model.
#[derive(Clone, Copy)]
struct Defs<'a> {
    params: &'a BTreeMap<String, Resolved>,
    scoring: &'a crate::pack::Scoring,
}

/// Compiles every pack's scripts and defines each rule in the layering.
///
/// Parsing the scripts is most of the start-up and each is independent: they are parsed
/// on every core, then taken in pack and file order, so that the first error reported is
/// the one a sequential build would report.
fn compile_packs(
    rhai: &rhai::Engine,
    limits: &Limits,
    packs: &[Pack],
    defs: Defs<'_>,
    layering: &mut Layering,
) -> Result<Vec<CompiledRule>, BuildError> {
    let mut parsed: Vec<Vec<Result<Parsed, PackError>>> = packs
        .par_iter()
        .map(|pack| {
            pack.rules
                .par_iter()
                .map(|(file, text)| compile(rhai, limits, file, text))
                .collect()
        })
        .collect();
    let mut rules: Vec<CompiledRule> = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for ((index, pack), parsed) in packs.iter().enumerate().zip(parsed.iter_mut()) {
        for ((file, text), rule) in pack.rules.iter().zip(parsed.drain(..)) {
            let rule = rule?;
            if let Some(first) = seen.insert(rule.id.clone(), file.clone()) {
                return Err(BuildError::Duplicate {
                    what: "rule",
                    id: rule.id,
                    file: file.clone(),
                    first,
                });
            }
            let window = rule.window;
            let rule = compiled_rule(pack, file, text, rule, defs)?;
            layering.define_rule(
                pack,
                index,
                &rule.meta.id,
                rule.meta.level,
                waivable(&rule.meta, defs.scoring),
                window,
            )?;
            rules.push(rule);
        }
    }
    Ok(rules)
}

/// Whether a rule may be waived: as it says, else unless the scoring model vetoes it.
fn waivable(meta: &RuleMeta, scoring: &crate::pack::Scoring) -> bool {
    meta.waivable
        .unwrap_or_else(|| !scoring.is_veto_rule(&meta.id))
}

/// One parsed script of `pack` as the engine runs it: in the pack's category, with its
/// parameters bound and its message split.
fn compiled_rule(
    pack: &Pack,
    file: &str,
    text: &str,
    rule: Parsed,
    defs: Defs<'_>,
) -> Result<CompiledRule, BuildError> {
    let Parsed {
        id,
        params,
        mut categories,
        meta,
        ast,
        ..
    } = rule;
    if let Some(cat) = &pack.manifest.category
        && !categories.contains(&cat.id)
    {
        categories.push(cat.id.clone());
    }
    let (map, uses) = bind_params(&params, defs.params).map_err(|name| PackError::Metadata {
        file: file.to_owned(),
        rule: id.clone(),
        message: format!("reads parameter `{name}`, which no pack declares"),
    })?;
    let message = (
        super::evaluate::Template::parse(&meta.message.zh, true),
        super::evaluate::Template::parse(&meta.message.en, false),
    );
    Ok(CompiledRule {
        weight: effective_weight(&meta, defs.scoring),
        meta: RuleMeta { categories, ..meta },
        ast,
        plugin: None,
        file: file.to_owned(),
        message,
        check_line: text
            .lines()
            .position(|l| l.trim_start().starts_with("fn check"))
            .map(|i| i + 1),
        pack: pack.manifest.pack_ref(),
        params: map,
        param_uses: uses.into(),
    })
}

/// Adds each plugin's rules after the packs' ones; a rule id may not repeat.
fn add_plugin_rules(
    rules: &mut Vec<CompiledRule>,
    plugins: &[std::sync::Arc<crate::plugin::Plugin>],
    defs: Defs<'_>,
) -> Result<(), BuildError> {
    let mut seen: BTreeMap<String, String> = rules
        .iter()
        .map(|r| (r.meta.id.clone(), r.file.clone()))
        .collect();
    for (index, plugin) in plugins.iter().enumerate() {
        for rule in super::plugins::rules(plugin, index, defs.params, defs.scoring, &seen)? {
            seen.insert(rule.meta.id.clone(), rule.file.clone());
            rules.push(rule);
        }
    }
    Ok(())
}

/// Gives the rules no pack defines (plugin rules) a history, applies the layers' rule
/// changes, stamps each rule's origin from the clause lists, and sorts the rules in clause
/// order.
fn finish_rules(
    rules: &mut [CompiledRule],
    packs: &[Pack],
    scoring: &crate::pack::Scoring,
    layering: &mut Layering,
) -> Result<(), BuildError> {
    for rule in rules.iter() {
        if !layering.rules.contains_key(&rule.meta.id) {
            layering.define_foreign_rule(
                &rule.meta.id,
                &rule.pack,
                rule.meta.level,
                waivable(&rule.meta, scoring),
            );
        }
    }
    layering.change_rules(packs)?;
    let clauses = clause_origins(packs)?;
    for rule in rules.iter_mut() {
        let (origin, source) = rule_origin(&rule.meta, &clauses);
        rule.meta.origin = Some(origin);
        rule.meta.source = source;
    }
    rules.sort_by(|a, b| {
        super::clause_order(&a.meta.clause, &b.meta.clause)
            .then_with(|| super::clause_order(&a.meta.id, &b.meta.id))
    });
    Ok(())
}

impl Engine {
    /// The engine with other [`EvalOptions`](super::EvalOptions): an evaluation date, extra waivers.
    #[must_use]
    pub fn with_options(mut self, options: super::EvalOptions) -> Self {
        self.options = options;
        self
    }

    /// The overlays this engine uses, lowest first, and how they were chosen.
    #[must_use]
    pub const fn overlay_chain(&self) -> &OverlayChain {
        &self.chain
    }

    /// The options every evaluation uses unless a call gives others.
    #[must_use]
    pub const fn options(&self) -> &super::EvalOptions {
        &self.options
    }

    /// Who defined rule `id` and how each layer changed it.
    #[must_use]
    pub fn rule_history(&self, id: &str) -> Option<&RuleHistory> {
        self.layers.layering.rules.get(id)
    }

    /// Parameter `name`'s declaration and every change of it, in layer order.
    #[must_use]
    pub fn param_history(&self, name: &str) -> Option<&ParamHistory> {
        self.layers.layering.params.get(name)
    }

    /// Every rule's history, by rule id.
    pub fn rule_histories(&self) -> impl Iterator<Item = &RuleHistory> {
        self.layers.layering.rules.values()
    }

    /// Every parameter's history, by name.
    pub fn param_histories(&self) -> impl Iterator<Item = &ParamHistory> {
        self.layers.layering.params.values()
    }

    /// Who registered category `id` and how each layer changed it.
    #[must_use]
    pub fn category_history(&self, id: &str) -> Option<&CategoryHistory> {
        self.layers.layering.categories.get(id)
    }

    /// The loosenings the layers declare, in layer order (`in_effect` is decided per
    /// evaluation, in each report).
    pub fn derogations(&self) -> impl Iterator<Item = &DerogationEntry> {
        self.layers.layering.derogations.iter().map(|(d, _)| d)
    }
}

/// SHA-256 (hex) of a pack's content: its manifest as data and each rule script by its
/// path inside the pack, so the same pack read from a directory or embedded has one digest.
fn pack_digest(pack: &Pack) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(serde_json::to_vec(&pack.manifest).unwrap_or_default());
    for (file, text) in &pack.rules {
        let inside = file.find("rules/").map_or(file.as_str(), |i| &file[i..]);
        h.update(inside.as_bytes());
        h.update([0]);
        h.update(text.as_bytes());
        h.update([0]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `pack` claims the id and version of a pack built into icgs but differs from it.
fn is_modified_builtin(pack: &Pack, digest: &str) -> bool {
    static BUILTIN: std::sync::OnceLock<Vec<(String, String, String)>> = std::sync::OnceLock::new();
    if pack.source.starts_with("embedded:") {
        return false;
    }
    let builtin = BUILTIN.get_or_init(|| {
        Pack::embedded()
            .unwrap_or_default()
            .iter()
            .map(|p| {
                (
                    p.manifest.id.clone(),
                    p.manifest.version.to_string(),
                    pack_digest(p),
                )
            })
            .collect()
    });
    builtin.iter().any(|(id, version, sha)| {
        *id == pack.manifest.id && *version == pack.manifest.version.to_string() && sha != digest
    })
}

/// A declared loosening of the scoring model, as the report lists derogations.
fn scoring_derogation(
    pack: &Pack,
    l: crate::pack::ScoringLoosening,
    d: crate::pack::Derogation,
) -> Result<(DerogationEntry, overlay::Window), BuildError> {
    let m = &pack.manifest;
    let window = overlay::pack_window(pack)?;
    Ok((
        DerogationEntry {
            by: Provenance {
                pack: m.id.clone(),
                version: m.version.to_string(),
                layer: m.layer,
                document: m.document.clone().or_else(|| Some(m.edition.clone())),
                effective_from: window.from,
                effective_until: window.until,
            },
            target: DerogationTarget::Scoring,
            id: l.key.to_owned(),
            category: None,
            change: ChangeKind::Value,
            from: l.from,
            to: l.to,
            justification: d.justification,
            document: d.document,
            in_effect: false,
        },
        window,
    ))
}

/// Every rule's own weight within [`crate::pack::WEIGHT_RANGE`], and every veto rule a
/// rule of the packs (a misspelt id would silently drop the veto).
fn check_weights(
    rules: &[CompiledRule],
    scoring: &crate::pack::Scoring,
    scoring_pack: Option<&Pack>,
) -> Result<(), BuildError> {
    let range = crate::pack::WEIGHT_RANGE;
    for rule in rules {
        let err = |message: String| -> BuildError {
            PackError::Metadata {
                file: rule.file.clone(),
                rule: rule.meta.id.clone(),
                message,
            }
            .into()
        };
        if let Some(w) = rule.meta.weight
            && !range.contains(&w)
        {
            return Err(err(format!(
                "`weight: {w}` is out of range: expected {} to {}",
                range.start(),
                range.end()
            )));
        }
        // A scored rule whose dimension or level the model does not weigh would silently
        // drop out of the score.
        let dimension = rule.meta.dimension.as_str();
        if rule.weight > 0 && !scoring.dimensions.contains_key(dimension) {
            return Err(err(format!(
                "its dimension `{dimension}` has no weight in `[scoring] dimensions`, so the rule would not count"
            )));
        }
        let level = rule.meta.level.as_str();
        if rule.meta.weight.is_none()
            && crate::pack::LEVELS.contains(&level)
            && !scoring.level_weights.contains_key(level)
        {
            return Err(err(format!(
                "its level `{level}` has no weight in `[scoring] level_weights` and the rule gives none"
            )));
        }
    }
    if let (Some(id), Some(pack)) = (
        scoring
            .veto_rules
            .iter()
            .find(|id| !rules.iter().any(|r| &r.meta.id == *id)),
        scoring_pack,
    ) {
        return Err(crate::pack::scoring_error(
            pack,
            "veto_rules",
            crate::pack::OverlayErrorKind::Scoring,
            format!("`{id}` is not a rule of the packs loaded"),
        ));
    }
    Ok(())
}

/// What the layers resolved to, kept by the engine for evaluation and `explain`.
#[derive(Debug, Default)]
pub(crate) struct Layers {
    /// Parameter, rule and category histories and the declared derogations.
    pub layering: Layering,
    /// Per compiled rule, in the same order.
    pub per_rule: Vec<RuleLayer>,
}

/// One compiled rule's layers.
#[derive(Debug)]
pub(crate) struct RuleLayer {
    /// Who defined and changed the rule.
    pub history: Option<RuleHistory>,
    /// Whether a parameter it reads depends on the date or the community's categories, so
    /// it is resolved at each evaluation.
    pub dynamic: bool,
    /// The remedy with the parameters' permanent values, filled once: every result whose
    /// parameters no layer changed shows it.
    pub remedy: crate::types::Text,
}

impl Layers {
    /// Stamps every parameter use with the provenance of its permanent value.
    fn new(layering: Layering, rules: &mut [CompiledRule]) -> Self {
        let mut per_rule = Vec::with_capacity(rules.len());
        for rule in rules.iter_mut() {
            let mut dynamic = false;
            for (name, used) in std::sync::Arc::make_mut(&mut rule.param_uses) {
                if let Some(h) = layering.params.get(name) {
                    if let Some(step) = permanent(h) {
                        used.set_by = step.by.clone();
                    }
                    dynamic |= !h.is_static();
                }
            }
            per_rule.push(RuleLayer {
                history: layering.rules.get(&rule.meta.id).cloned(),
                dynamic,
                remedy: super::evaluate::remedy(&rule.meta.remedy, &rule.param_uses),
            });
        }
        Self { layering, per_rule }
    }
}

/// The value a parameter has for every community whatever the date: the last change that
/// is neither dated nor limited to a category.
fn permanent(h: &ParamHistory) -> Option<&ParamStep> {
    h.steps
        .iter()
        .rev()
        .find(|s| s.category.is_none() && s.window.is_always())
}

fn resolved(h: &ParamHistory) -> Option<Resolved> {
    let step = permanent(h)?;
    Some(Resolved {
        value: step.value.clone(),
        unit: h.unit.clone(),
        layer: step.by.pack_ref(),
        origin: h.origin,
        source: h.source.clone(),
    })
}

/// A clause's declared origin and source, from the clause lists of the packs.
type ClauseOrigins = BTreeMap<String, (Option<Origin>, Option<String>)>;

/// The origins the packs' `clauses.toml` declare, by clause id.
fn clause_origins(packs: &[Pack]) -> Result<ClauseOrigins, BuildError> {
    let mut out = ClauseOrigins::new();
    for pack in packs {
        if let Some(list) = crate::pack::ClauseList::for_pack(pack)? {
            for c in list.clauses {
                out.insert(c.id, (c.origin, c.source));
            }
        }
    }
    Ok(out)
}

/// A rule's origin: its clause's, made `proposal` when the rule says its reading is one;
/// the rule's own for a clause no list declares; `proposal` when nobody declares it.
fn rule_origin(meta: &RuleMeta, clauses: &ClauseOrigins) -> (Origin, Option<String>) {
    match clauses.get(&meta.clause) {
        Some((clause, source)) => (
            clause
                .unwrap_or_default()
                .and(meta.origin.unwrap_or(Origin::Note)),
            meta.source.clone().or_else(|| source.clone()),
        ),
        None => (meta.origin.unwrap_or_default(), meta.source.clone()),
    }
}

fn category_info(c: &CategoryHistory, layering: &Layering) -> CategoryInfo {
    let mut set_params = BTreeMap::new();
    for h in layering.params.values() {
        if let Some(step) = h
            .steps
            .iter()
            .rev()
            .find(|s| s.category.as_deref() == Some(c.id.as_str()))
        {
            set_params.insert(h.name.clone(), (step.value.clone(), step.by.pack_ref()));
        }
    }
    let spaces = c
        .steps
        .iter()
        .rev()
        .filter(|s| s.window.is_always())
        .find_map(|s| s.spaces.clone())
        .unwrap_or_else(|| c.spaces.clone());
    CategoryInfo {
        id: c.id.clone(),
        name: c.current_name().clone(),
        spaces,
        pack: c.source.clone(),
        set_params,
    }
}

/// The rule's parameters as the script sees them (`params.<name>`) and with their
/// provenance; `Err(name)` for a parameter nobody declares. The map is a plain value, never
/// a Rhai shared value: one compiled rule runs on several threads at once, and Rhai refuses a
/// call whose argument another thread holds locked ("Data race detected"), which made a rule's
/// outcome depend on thread timing. Each call gets its own copy (a handful of entries).
pub(crate) fn bind_params(
    names: &[String],
    params: &BTreeMap<String, Resolved>,
) -> Result<(Dynamic, BTreeMap<String, ParamUse>), String> {
    let mut map = rhai::Map::new();
    let mut uses = BTreeMap::new();
    for name in names {
        let p = params.get(name).ok_or_else(|| name.clone())?;
        map.insert(name.as_str().into(), param_to_dynamic(&p.value));
        uses.insert(
            name.clone(),
            ParamUse {
                value: p.value.to_json(),
                unit: p.unit.clone(),
                layer: p.layer.clone(),
                set_by: provenance_of(&p.layer),
                origin: p.origin,
                source: p.source.clone(),
                category: None,
            },
        );
    }
    Ok((Dynamic::from_map(map), uses))
}

/// Provenance from the pack that set a value (until the layering stamps the full
/// provenance).
pub(crate) fn provenance_of(layer: &PackRef) -> Provenance {
    Provenance {
        pack: layer.id.clone(),
        version: layer.version.clone(),
        ..Provenance::default()
    }
}

struct Parsed {
    /// The rule's own effective dates.
    window: overlay::Window,
    id: String,
    params: Vec<String>,
    categories: Vec<String>,
    meta: RuleMeta,
    ast: rhai::AST,
}

/// Compiles one script and reads its `RULE` literal without running anything: the literal
/// by [`super::literal`] and the rest by Rhai when it keeps to the plain subset, else the
/// whole script by Rhai.
fn compile(
    rhai: &rhai::Engine,
    limits: &super::Limits,
    file: &str,
    text: &str,
) -> Result<Parsed, PackError> {
    let fast = (text.len() <= sandbox::MAX_SCRIPT_BYTES)
        .then(|| super::literal::split(text, limits))
        .flatten()
        .and_then(|(value, script)| Some((sandbox::compile(rhai, &script).ok()?, value)));
    let (ast, value) = match fast {
        Some(read) => read,
        None => compile_whole(rhai, file, text)?,
    };
    let fallback = stem(file);
    let meta_err = |rule: &str, message: String| PackError::Metadata {
        file: file.to_owned(),
        rule: rule.to_owned(),
        message,
    };
    let meta: RuleMeta = rhai::serde::from_dynamic(&value)
        .map_err(|e| meta_err(&fallback, format!("invalid `RULE`: {e}")))?;
    if let Some(field) = meta.missing_language() {
        return Err(meta_err(
            &meta.id,
            format!("`{field}` needs both `zh` and `en` text"),
        ));
    }
    let date = |field: &str, text: Option<&String>| match text {
        None => Ok(None),
        Some(d) => crate::pack::changes_date_checked(d)
            .map(Some)
            .map_err(|why| meta_err(&meta.id, format!("`{field}`: {why}"))),
    };
    let window = overlay::Window {
        from: date("effective_from", meta.effective_from.as_ref())?,
        until: date("effective_until", meta.effective_until.as_ref())?,
    };
    if let (Some(from), Some(until)) = (&meta.effective_from, &meta.effective_until)
        && window.is_empty()
    {
        return Err(meta_err(
            &meta.id,
            format!("`effective_until` {until} is before `effective_from` {from}"),
        ));
    }
    if !ast
        .iter_functions()
        .any(|f| f.name == "check" && f.params.len() == 2)
    {
        return Err(meta_err(&meta.id, "no function `check(c, params)`".into()));
    }
    Ok(Parsed {
        window,
        id: meta.id.clone(),
        params: meta.params.clone(),
        categories: meta.categories.clone(),
        meta,
        ast,
    })
}

/// The rule a script file names before its metadata is read: `4.2.1` for `rules/4.2.1.rhai`.
fn stem(file: &str) -> String {
    file.rsplit('/')
        .next()
        .unwrap_or(file)
        .trim_end_matches(".rhai")
        .to_owned()
}

/// Compiles the whole script with Rhai and finds its `RULE` literal.
pub(super) fn compile_whole(
    rhai: &rhai::Engine,
    file: &str,
    text: &str,
) -> Result<(rhai::AST, rhai::Dynamic), PackError> {
    let fallback = stem(file);
    let ast = sandbox::compile(rhai, text).map_err(|e| match e {
        sandbox::CompileError::TooLarge(bytes) => PackError::ScriptTooLarge {
            file: file.to_owned(),
            bytes,
            limit: sandbox::MAX_SCRIPT_BYTES,
        },
        sandbox::CompileError::Parse(e) => {
            let pos = e.position();
            PackError::Compile {
                file: file.to_owned(),
                rule: fallback.clone(),
                line: pos.line().unwrap_or(0),
                column: pos.position().unwrap_or(0),
                message: e.err_type().to_string(),
            }
        }
    })?;
    let value = ast
        .iter_literal_variables(true, false)
        .find(|(name, _, _)| *name == "RULE")
        .map(|(_, _, v)| v)
        .ok_or_else(|| PackError::Metadata {
            file: file.to_owned(),
            rule: fallback,
            message: "no literal `const RULE = #{ … };` at the top level".into(),
        })?;
    Ok((ast, value))
}

#[cfg(test)]
mod bind_params_tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    #[test]
    fn parameters_are_a_plain_map_that_threads_never_share() {
        let packs = crate::pack::Pack::embedded().unwrap();
        let engine = crate::Engine::builder().packs(packs).build().unwrap();
        let mut seen = 0;
        for rule in engine.rules.iter() {
            assert!(
                !rule.params.is_shared(),
                "{}: parameters are a shared value",
                rule.meta.id
            );
            assert!(
                rule.params.is_map(),
                "{}: parameters are not a map",
                rule.meta.id
            );
            seen += 1;
        }
        assert!(seen > 80, "only {seen} rules compiled");
    }
}
