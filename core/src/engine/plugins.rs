//! Native plugins inside the engine: their parameters, categories and rules join the
//! packs' at build time; at evaluation each plugin is called once per profile with the rules
//! of it that apply, and its answers are checked before they become results.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::build::{Resolved, bind_params};
use super::subject::Subject;
use super::verdict::Verdict;
use super::{CategoryInfo, CompiledRule, Engine, effective_weight};
use crate::pack::{BuildError, ParamValue, RuleMeta, Scoring};
use crate::plugin::{Plugin, PluginError};
use crate::types::{Layer, Origin, Outcome, PackInfo, PackRef, Text};

/// Each plugin rule's verdict, or why there is none.
pub(crate) type Answers = HashMap<String, Result<Verdict, String>>;

fn layer(plugin: &Plugin) -> PackRef {
    PackRef::new(plugin.id(), plugin.version().to_string())
}

fn invalid(plugin: &Plugin, message: String) -> BuildError {
    PluginError::Manifest {
        path: plugin.path().display().to_string(),
        message,
    }
    .into()
}

fn value(plugin: &Plugin, what: &str, v: &serde_json::Value) -> Result<ParamValue, BuildError> {
    serde_json::from_value(v.clone()).map_err(|e| {
        invalid(
            plugin,
            format!("{what}: `{v}` is not a number, text, flag or list of texts: {e}"),
        )
    })
}

/// An origin as a plugin spells it; `None` for anything else (the manifest check names it).
fn origin(text: &str) -> Option<Origin> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
}

/// Declares the plugin's parameters and categories, and lists it among the packs.
pub(super) fn declare(
    plugin: &Plugin,
    params: &mut BTreeMap<String, Resolved>,
    declared_in: &mut BTreeMap<String, String>,
    categories: &mut BTreeMap<String, CategoryInfo>,
    infos: &mut Vec<PackInfo>,
) -> Result<(), BuildError> {
    let m = plugin.manifest();
    let layer = layer(plugin);
    let source = plugin.path().display().to_string();
    if let Some(first) = infos.iter().find(|p| p.id == m.id) {
        return Err(PluginError::Duplicate {
            plugin: m.id.clone(),
            what: "pack or plugin",
            id: m.id.clone(),
            first: first.source.clone(),
        }
        .into());
    }
    infos.push(PackInfo {
        id: m.id.clone(),
        version: plugin.version().to_string(),
        layer: Layer::Plugin,
        source: source.clone(),
        sha256: Some(plugin.sha256().to_owned()),
        modified: false,
        document: None,
    });
    for (name, p) in &m.params {
        if let Some(first) = declared_in.insert(name.clone(), source.clone()) {
            return Err(PluginError::Duplicate {
                plugin: m.id.clone(),
                what: "parameter",
                id: name.clone(),
                first,
            }
            .into());
        }
        let v = value(plugin, &format!("parameter `{name}`"), &p.default)?;
        // A plugin built before origins existed (ABI 1.0) declares none: a proposal.
        let declared = p.origin.as_deref().map(|o| {
            origin(o).ok_or_else(|| {
                invalid(
                    plugin,
                    format!("parameter `{name}`: origin `{o}` is neither `note` nor `proposal`"),
                )
            })
        });
        params.insert(
            name.clone(),
            Resolved {
                value: v,
                unit: p.unit.clone(),
                layer: layer.clone(),
                origin: declared.transpose()?.unwrap_or_default(),
                source: p.source.clone(),
            },
        );
    }
    for cat in &m.categories {
        if let Some(first) = categories.get(&cat.id) {
            return Err(PluginError::Duplicate {
                plugin: m.id.clone(),
                what: "category",
                id: cat.id.clone(),
                first: first.pack.clone(),
            }
            .into());
        }
        let mut set_params = BTreeMap::new();
        for (name, v) in &cat.set_params {
            set_params.insert(
                name.clone(),
                (
                    value(
                        plugin,
                        &format!("category `{}`: set_params `{name}`", cat.id),
                        v,
                    )?,
                    layer.clone(),
                ),
            );
        }
        categories.insert(
            cat.id.clone(),
            CategoryInfo {
                id: cat.id.clone(),
                name: Text {
                    zh: cat.name.zh.clone(),
                    en: cat.name.en.clone(),
                },
                spaces: cat.spaces.clone(),
                pack: source.clone(),
                set_params,
            },
        );
    }
    Ok(())
}

/// The plugin's rules, with metadata checked like a script's.
pub(super) fn rules(
    plugin: &Plugin,
    index: usize,
    params: &BTreeMap<String, Resolved>,
    scoring: &Scoring,
    seen: &BTreeMap<String, String>,
) -> Result<Vec<CompiledRule>, BuildError> {
    let source = plugin.path().display().to_string();
    let mut out = Vec::new();
    for rule in &plugin.manifest().rules {
        let meta: RuleMeta = serde_json::to_value(rule)
            .and_then(serde_json::from_value)
            .map_err(|e| invalid(plugin, format!("rule `{}`: {e}", rule.id)))?;
        if let Some(field) = meta.missing_language() {
            return Err(invalid(
                plugin,
                format!(
                    "rule `{}`: `{field}` needs both `zh` and `en` text",
                    meta.id
                ),
            ));
        }
        if let Some(first) = seen.get(&meta.id).or_else(|| {
            out.iter()
                .find(|r: &&CompiledRule| r.meta.id == meta.id)
                .map(|r| &r.file)
        }) {
            return Err(PluginError::Duplicate {
                plugin: plugin.id().into(),
                what: "rule",
                id: meta.id.clone(),
                first: first.clone(),
            }
            .into());
        }
        let (map, uses) = bind_params(&meta.params, params).map_err(|name| {
            invalid(
                plugin,
                format!(
                    "rule `{}` reads parameter `{name}`, which no pack or plugin declares",
                    meta.id
                ),
            )
        })?;
        out.push(CompiledRule {
            weight: effective_weight(&meta, scoring),
            message: (
                super::evaluate::Template::parse(&meta.message.zh, true),
                super::evaluate::Template::parse(&meta.message.en, false),
            ),
            meta,
            ast: rhai::AST::empty(),
            plugin: Some(index),
            file: source.clone(),
            check_line: None,
            pack: layer(plugin),
            params: map,
            param_uses: uses.into(),
        });
    }
    Ok(out)
}

/// `api::EvaluateInput`, borrowed.
#[derive(serde::Serialize)]
struct Input<'a> {
    profile: InputProfile<'a>,
    facts: &'a crate::facts::Facts,
    rules: Vec<&'a str>,
    params: BTreeMap<String, serde_json::Value>,
}

/// The profile a plugin reads: the model as read, or, evaluated at another date
/// (`--as-of`), its JSON with that `as_of`.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum InputProfile<'a> {
    Read(&'a crate::model::CommunityProfile),
    Dated(serde_json::Value),
}

impl<'a> InputProfile<'a> {
    fn of(subject: &'a Subject) -> Result<Self, String> {
        if subject.as_of == subject.profile.as_of {
            return Ok(Self::Read(&subject.profile));
        }
        let mut json = serde_json::to_value(&*subject.profile)
            .map_err(|e| format!("cannot encode the plugin's input: {e}"))?;
        json["as_of"] = subject.as_of.clone().into();
        Ok(Self::Dated(json))
    }
}

/// Calls each plugin once with its applicable rules and checks what comes back.
pub(super) fn answer(
    engine: &Engine,
    subject: &Arc<Subject>,
    applicable: &[&str],
    registered: &[&CategoryInfo],
) -> Answers {
    let mut answers = Answers::new();
    if engine.plugins.is_empty() {
        return answers;
    }
    for (index, plugin) in engine.plugins.iter().enumerate() {
        let rules: Vec<&CompiledRule> = engine
            .rules
            .iter()
            .filter(|r| r.plugin == Some(index))
            .filter(|r| {
                r.meta.categories.is_empty()
                    || r.meta
                        .categories
                        .iter()
                        .any(|c| applicable.contains(&c.as_str()))
            })
            .collect();
        if rules.is_empty() {
            continue;
        }
        let mut params = BTreeMap::new();
        for r in &rules {
            for (name, used) in r.param_uses.iter() {
                // The value in force for this community's categories (the strictest).
                let changed = engine
                    .param_at(name, subject.facts.as_of, registered)
                    .map(|v| v.to_json());
                params.insert(name.clone(), changed.unwrap_or_else(|| used.value.clone()));
            }
        }
        // Written straight from the model: no intermediate JSON tree of the profile.
        let reply = InputProfile::of(subject)
            .and_then(|profile| {
                let input = Input {
                    profile,
                    facts: &subject.facts,
                    rules: rules.iter().map(|r| r.meta.id.as_str()).collect(),
                    params,
                };
                serde_json::to_vec(&input)
                    .map_err(|e| format!("cannot encode the plugin's input: {e}"))
            })
            .and_then(|bytes| plugin.call_evaluate(bytes).map_err(|e| e.to_string()))
            .and_then(|bytes| {
                serde_json::from_slice::<Reply>(&bytes)
                    .map_err(|e| format!("the plugin returned malformed JSON: {e}"))
            });
        match reply {
            Ok(output) => {
                let asked: Vec<&str> = rules.iter().map(|r| r.meta.id.as_str()).collect();
                // A plugin speaks only for its own rules: one foreign answer voids the reply.
                if let Some(foreign) = output
                    .results
                    .iter()
                    .find(|r| !asked.contains(&r.rule.as_str()))
                {
                    let why = format!(
                        "the plugin answered for rule `{}`, which it was not asked to evaluate; its answers are rejected",
                        foreign.rule
                    );
                    for id in asked {
                        answers.insert(id.to_owned(), Err(why.clone()));
                    }
                    continue;
                }
                for r in output.results {
                    answers.insert(r.rule.clone(), verdict(r));
                }
            }
            Err(why) => {
                for r in &rules {
                    answers.insert(r.meta.id.clone(), Err(why.clone()));
                }
            }
        }
    }
    answers
}

/// `api::EvaluateOutput` as the host reads it: outcomes as text, so that one unknown outcome
/// voids that rule's answer only.
#[derive(serde::Deserialize)]
struct Reply {
    results: Vec<Answer>,
}

/// `api::RuleResult`, read leniently.
#[derive(serde::Deserialize)]
struct Answer {
    rule: String,
    outcome: String,
    #[serde(default)]
    observed: serde_json::Value,
    #[serde(default)]
    required: serde_json::Value,
    #[serde(default)]
    evidence: Vec<String>,
    /// ABI 1.2: the data is there but wrong.
    #[serde(default)]
    error: Option<String>,
}

fn verdict(r: Answer) -> Result<Verdict, String> {
    if let Some(wrong) = r.error {
        return Err(format!("the plugin cannot judge wrong data: {wrong}"));
    }
    let outcome = match r.outcome.as_str() {
        "pass" => Outcome::Pass,
        "fail" => Outcome::Fail,
        "not-applicable" => Outcome::NotApplicable,
        "insufficient-data" => Outcome::InsufficientData,
        "manual" => Outcome::Manual,
        other => {
            return Err(format!(
                "the plugin gave outcome `{other}`; expected pass, fail, not-applicable, insufficient-data or manual"
            ));
        }
    };
    let mut v = Verdict::new(outcome);
    if !matches!(outcome, Outcome::NotApplicable | Outcome::InsufficientData) {
        v.observed = r.observed;
        v.required = r.required;
    }
    v.evidence = r.evidence;
    Ok(v)
}
