//! The catalogue's section on the overlay chain (`icgs doc --overlay X [--as-of DATE]`):
//! each layer's parameter values, rule changes, added rules and derogations, with their
//! dates; on a date, whether each is in force. `icgs-render` writes it.

use chrono::NaiveDate;
use serde_json::Value;

use icgs::Engine;
use icgs::pack::{Derogation, Text};
use icgs::types::{PackRef, Provenance};

/// One overlay of the chain and what it changes.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerDoc {
    /// `id@version`.
    pub pack: String,
    /// Its name.
    pub name: Text,
    /// Its changes, in the order parameters, rule changes, added rules.
    pub entries: Vec<LayerEntry>,
}

/// One change a layer makes.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerEntry {
    /// `parameter`, `rule` (a change of a lower layer's rule) or `new rule`.
    pub what: &'static str,
    /// The parameter or rule id (with the category a value is limited to).
    pub id: String,
    /// The new value or level (`disabled`, `waivable` changes as `disabled = true` …).
    pub value: String,
    /// First and last day, when limited.
    pub from: Option<String>,
    /// Last day, when limited.
    pub until: Option<String>,
    /// The derogation's justification and document, when the change loosens.
    pub derogation: Option<String>,
    /// Whether it is in force on the catalogue's date (`None` without a date).
    pub in_force: Option<bool>,
}

impl LayerEntry {
    /// A change set `by` a layer, dated as the layer dates it.
    fn new(
        what: &'static str,
        id: String,
        value: String,
        by: &Provenance,
        derogation: Option<&Derogation>,
        in_force: Option<bool>,
    ) -> Self {
        Self {
            what,
            id,
            value,
            from: by.effective_from.map(|d| d.to_string()),
            until: by.effective_until.map(|d| d.to_string()),
            derogation: derogation.map(|d| format!("{}（{}）", d.justification, d.document)),
            in_force,
        }
    }
}

fn short(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The layers of the engine's overlay chain.
pub(super) fn layers(engine: &Engine, as_of: Option<NaiveDate>) -> Vec<LayerDoc> {
    let chain = engine.overlay_chain();
    chain
        .overlays
        .iter()
        .zip(&chain.names)
        .map(|(pack, name)| {
            let (id, _) = PackRef::split(pack);
            let mut entries = Vec::new();
            for history in engine.param_histories() {
                let param = history.name.as_str();
                for step in history.steps.iter().filter(|s| s.by.pack == id) {
                    entries.push(LayerEntry::new(
                        "parameter",
                        step.category
                            .as_ref()
                            .map_or_else(|| param.to_owned(), |c| format!("{param} ({c})")),
                        short(&step.value.to_json()),
                        &step.by,
                        step.derogation.as_ref(),
                        as_of.map(|d| step.in_force(d)),
                    ));
                }
            }
            for history in engine.rule_histories() {
                let rule = history.rule.as_str();
                for step in history.steps.iter().filter(|s| s.by.pack == id) {
                    let info = step.info();
                    entries.push(LayerEntry::new(
                        "rule",
                        rule.to_owned(),
                        format!("{} = {}", info.change, short(&info.value)),
                        &step.by,
                        step.derogation.as_ref(),
                        as_of.map(|d| step.in_force(d)),
                    ));
                }
                if history.defined_by.pack == id {
                    entries.push(LayerEntry::new(
                        "new rule",
                        rule.to_owned(),
                        history.level.as_str().to_owned(),
                        &history.defined_by,
                        None,
                        as_of.map(|d| history.in_force(d)),
                    ));
                }
            }
            LayerDoc {
                pack: pack.clone(),
                name: Text {
                    zh: name.zh.clone(),
                    en: name.en.clone(),
                },
                entries,
            }
        })
        .collect()
}
