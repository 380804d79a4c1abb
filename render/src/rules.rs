//! Rules as JSON: the list of `icgs rules --json` and `GET /v1/rules`, the detail of
//! `GET /v1/rules/{id}` (what `icgs explain` shows), and the closest id to a wrong one.

use icgs::Engine;
use icgs::RuleInfo;
use icgs::pack::{RuleHistory, RuleStepKind};
use serde_json::{Value, json};

/// id, clause, level, origin, dimension, title, categories, pack and weight of one rule.
pub fn summary(r: &RuleInfo<'_>) -> Value {
    json!({
        "id": r.meta.id, "clause": r.meta.clause, "level": r.meta.level,
        "origin": r.meta.origin.unwrap_or_default(), "source": r.meta.source,
        "dimension": r.meta.dimension, "title": r.meta.title,
        "categories": r.meta.categories, "pack": r.pack, "weight": r.weight,
    })
}

/// Everything `icgs explain` shows: the metadata with the clause text, check and remedy, the
/// file, the parameters with the layer that set each value, and the layers that defined and
/// changed the rule.
pub fn detail(engine: &Engine, r: &RuleInfo<'_>) -> Value {
    let mut doc = json!({
        "rule": r.meta,
        "pack": r.pack,
        "file": r.file,
        "weight": r.weight,
        "params": r.params,
    });
    if let Some(h) = engine.rule_history(&r.meta.id) {
        doc["layers"] = layers(h);
    }
    doc
}

fn layers(h: &RuleHistory) -> Value {
    let steps: Vec<Value> = h
        .steps
        .iter()
        .map(|step| {
            let change = match step.change {
                RuleStepKind::Level(l) => json!({ "level": l }),
                RuleStepKind::Disabled(d) => json!({ "disabled": d }),
                RuleStepKind::Waivable(w) => json!({ "waivable": w }),
                _ => Value::Null,
            };
            json!({
                "by": step.by,
                "change": change,
                "justification": step.justification,
                "derogation": step.derogation,
            })
        })
        .collect();
    json!({
        "defined_by": h.defined_by,
        "level": h.level,
        "waivable": h.waivable,
        "changes": steps,
    })
}

/// The known rule id closest to `wanted` ([`icgs::suggest::closest`]).
pub fn nearest(engine: &Engine, wanted: &str) -> Option<String> {
    icgs::suggest::closest(wanted, engine.rules().map(|r| r.meta.id.as_str())).map(str::to_owned)
}
