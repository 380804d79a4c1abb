//! Building an engine: resolve parameters through the layers, read each rule's metadata
//! without running it, compile every script once.

use std::collections::BTreeMap;

use rhai::Dynamic;

use super::{CategoryInfo, CompiledRule, Engine, Limits, effective_weight, sandbox};
use crate::pack::{Pack, PackError, ParamValue, RuleMeta};
use crate::report::{PackInfo, ParamUse};

/// Builds an [`Engine`] from packs; consumes itself.
#[derive(Debug, Default)]
pub struct EngineBuilder {
    packs: Vec<Pack>,
    limits: Limits,
}

/// A parameter after resolution: value, unit and the layer that set it.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub value: ParamValue,
    pub unit: Option<String>,
    pub layer: String,
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
        for pack in packs {
            self.packs.retain(|p| p.manifest.id != pack.manifest.id);
            self.packs.push(pack);
        }
        self
    }

    /// Sets the sandbox limits.
    #[must_use]
    pub const fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Compiles every rule.
    ///
    /// # Errors
    /// A pack's engine requirement is not met, a script does not compile, its metadata is
    /// missing or invalid, it reads an undeclared parameter, or ids collide.
    pub fn build(self) -> Result<Engine, PackError> {
        let Self { mut packs, limits } = self;
        packs.sort_by_key(|p| p.manifest.layer);
        let version =
            semver::Version::parse(super::ENGINE_VERSION).unwrap_or(semver::Version::new(0, 0, 0));

        let mut rhai = sandbox::hardened(&limits);
        super::verdict::register(&mut rhai);
        super::subject::register(&mut rhai);

        // Parameters: declared once, then changed by overlays in layer order.
        let mut params: BTreeMap<String, Resolved> = BTreeMap::new();
        let mut declared_in: BTreeMap<String, String> = BTreeMap::new();
        let mut categories: BTreeMap<String, CategoryInfo> = BTreeMap::new();
        let mut scoring = None;
        let mut infos = Vec::new();
        for pack in &packs {
            let m = &pack.manifest;
            if !m.requires.matches(&version) {
                return Err(PackError::EngineVersion {
                    pack: m.id.clone(),
                    requires: m.requires.to_string(),
                    version: version.to_string(),
                });
            }
            let layer = format!("{}@{}", m.id, m.version);
            infos.push(PackInfo {
                id: m.id.clone(),
                version: m.version.to_string(),
                layer: m.layer.as_str().to_owned(),
                source: pack.source.clone(),
            });
            for (name, def) in &m.params {
                if let Some(first) = declared_in.insert(name.clone(), pack.source.clone()) {
                    return Err(PackError::Duplicate {
                        what: "parameter",
                        id: name.clone(),
                        file: pack.source.clone(),
                        first,
                    });
                }
                params.insert(
                    name.clone(),
                    Resolved {
                        value: def.default.clone(),
                        unit: def.unit.clone(),
                        layer: layer.clone(),
                    },
                );
            }
            if let Some(s) = &m.scoring {
                scoring = Some(s.clone());
            }
            if let Some(cat) = &m.category {
                if let Some(first) = categories.get(&cat.id) {
                    return Err(PackError::Duplicate {
                        what: "category",
                        id: cat.id.clone(),
                        file: pack.source.clone(),
                        first: first.pack.clone(),
                    });
                }
                categories.insert(
                    cat.id.clone(),
                    CategoryInfo {
                        id: cat.id.clone(),
                        name: cat.name.clone(),
                        spaces: cat.spaces.clone(),
                        pack: pack.source.clone(),
                        set_params: m
                            .set_params
                            .iter()
                            .map(|(k, v)| (k.clone(), (v.clone(), layer.clone())))
                            .collect(),
                    },
                );
            } else {
                for (name, value) in &m.set_params {
                    let Some(p) = params.get_mut(name) else {
                        return Err(PackError::Manifest {
                            file: format!("{}/pack.toml", pack.source),
                            message: format!("set_params: unknown parameter `{name}`"),
                        });
                    };
                    p.value = value.clone();
                    p.layer = layer.clone();
                }
            }
        }
        // Category parameter changes must name known parameters too.
        for cat in categories.values() {
            if let Some(name) = cat.set_params.keys().find(|n| !params.contains_key(*n)) {
                return Err(PackError::Manifest {
                    file: format!("{}/pack.toml", cat.pack),
                    message: format!("set_params: unknown parameter `{name}`"),
                });
            }
        }
        let scoring = scoring.ok_or_else(|| PackError::Manifest {
            file: packs.first().map(|p| p.source.clone()).unwrap_or_default(),
            message: "no pack defines `[scoring]` (the standard pack does)".into(),
        })?;

        let mut rules: Vec<CompiledRule> = Vec::new();
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for pack in &packs {
            let pack_id = format!("{}@{}", pack.manifest.id, pack.manifest.version);
            for (file, text) in &pack.rules {
                let mut rule = compile(&rhai, file, text)?;
                if let Some(first) = seen.insert(rule.id.clone(), file.clone()) {
                    return Err(PackError::Duplicate {
                        what: "rule",
                        id: rule.id,
                        file: file.clone(),
                        first,
                    });
                }
                if let Some(cat) = &pack.manifest.category
                    && !rule.categories.contains(&cat.id)
                {
                    rule.categories.push(cat.id.clone());
                }
                let mut map = rhai::Map::new();
                let mut uses = BTreeMap::new();
                for name in &rule.params {
                    let Some(p) = params.get(name) else {
                        return Err(PackError::Metadata {
                            file: file.clone(),
                            rule: rule.id.clone(),
                            message: format!("reads parameter `{name}`, which no pack declares"),
                        });
                    };
                    map.insert(name.as_str().into(), param_to_dynamic(&p.value));
                    uses.insert(
                        name.clone(),
                        ParamUse {
                            value: p.value.to_json(),
                            unit: p.unit.clone(),
                            layer: p.layer.clone(),
                        },
                    );
                }
                let (ast, meta) = (rule.ast, rule.meta);
                let message = (
                    super::evaluate::Template::parse(&meta.message.zh),
                    super::evaluate::Template::parse(&meta.message.en),
                );
                rules.push(CompiledRule {
                    weight: effective_weight(&meta, &scoring),
                    meta: RuleMeta {
                        categories: rule.categories,
                        ..meta
                    },
                    ast,
                    file: file.clone(),
                    message,
                    check_line: text
                        .lines()
                        .position(|l| l.trim_start().starts_with("fn check"))
                        .map(|i| i + 1),
                    pack: pack_id.clone(),
                    params: Dynamic::from_map(map).into_shared(),
                    param_uses: uses,
                });
            }
        }
        rules.sort_by(|a, b| {
            super::clause_order(&a.meta.clause, &b.meta.clause)
                .then_with(|| super::clause_order(&a.meta.id, &b.meta.id))
        });
        Ok(Engine {
            rhai,
            rules,
            packs: infos,
            categories,
            scoring,
            limits,
        })
    }
}

struct Parsed {
    id: String,
    params: Vec<String>,
    categories: Vec<String>,
    meta: RuleMeta,
    ast: rhai::AST,
}

/// Compiles one script and reads its `RULE` literal without running anything.
fn compile(rhai: &rhai::Engine, file: &str, text: &str) -> Result<Parsed, PackError> {
    let fallback = file
        .rsplit('/')
        .next()
        .unwrap_or(file)
        .trim_end_matches(".rhai")
        .to_owned();
    let ast = rhai.compile(text).map_err(|e| {
        let pos = e.position();
        PackError::Compile {
            file: file.to_owned(),
            rule: fallback.clone(),
            line: pos.line().unwrap_or(0),
            column: pos.position().unwrap_or(0),
            message: e.err_type().to_string(),
        }
    })?;
    let meta_err = |rule: &str, message: String| PackError::Metadata {
        file: file.to_owned(),
        rule: rule.to_owned(),
        message,
    };
    let value = ast
        .iter_literal_variables(true, false)
        .find(|(name, _, _)| *name == "RULE")
        .map(|(_, _, v)| v)
        .ok_or_else(|| {
            meta_err(
                &fallback,
                "no literal `const RULE = #{ … };` at the top level".into(),
            )
        })?;
    let meta: RuleMeta = rhai::serde::from_dynamic(&value)
        .map_err(|e| meta_err(&fallback, format!("invalid `RULE`: {e}")))?;
    for (field, text) in [
        ("title", &meta.title),
        ("text", &meta.text),
        ("check", &meta.check),
        ("message", &meta.message),
        ("remedy", &meta.remedy),
    ] {
        if text.zh.trim().is_empty() || text.en.trim().is_empty() {
            return Err(meta_err(
                &meta.id,
                format!("`{field}` needs both `zh` and `en` text"),
            ));
        }
    }
    if !ast
        .iter_functions()
        .any(|f| f.name == "check" && f.params.len() == 2)
    {
        return Err(meta_err(&meta.id, "no function `check(c, params)`".into()));
    }
    Ok(Parsed {
        id: meta.id.clone(),
        params: meta.params.clone(),
        categories: meta.categories.clone(),
        meta,
        ast,
    })
}
