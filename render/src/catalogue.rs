//! The clause catalogue (`icgs doc`, data from `icgs_tools::catalogue`) as Markdown (the
//! format of `docs/clauses.md`) and as one self-contained HTML page: no scripts, no network,
//! printable.
//!
//! ```
//! let packs = icgs::pack::Pack::embedded().unwrap();
//! let engine = icgs::Engine::builder().packs(packs.clone()).build().unwrap();
//! let catalogue = icgs_tools::catalogue::Catalogue::new(&engine, &packs).unwrap();
//! let markdown = icgs_render::catalogue::markdown(&catalogue);
//! assert!(markdown.contains("### 5.1.1 应"));
//! ```

mod html;
mod layers;
mod markdown;

use std::collections::BTreeSet;

use icgs_tools::catalogue::Catalogue;
use serde_json::Value;

/// The catalogue as Markdown (the format of `docs/clauses.md`).
#[must_use]
pub fn markdown(catalogue: &Catalogue) -> String {
    markdown::render(catalogue)
}

/// The catalogue as one self-contained HTML page (no scripts, no network).
#[must_use]
pub fn html(catalogue: &Catalogue) -> String {
    html::render(catalogue)
}

/// The categories a rule applies to, or `None` for every community.
fn applies_to(meta: &icgs::pack::RuleMeta) -> Option<String> {
    (!meta.categories.is_empty()).then(|| {
        meta.categories
            .iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// A JSON value as shown in the catalogue: strings bare, lists joined.
fn show(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(show).collect::<Vec<_>>().join(", "),
        Value::Null => "—".to_owned(),
        // A working-day calendar: the years it covers, not every date.
        Value::Object(m) if m.contains_key("holidays") => {
            let count = |k: &str| m.get(k).and_then(Value::as_array).map_or(0, Vec::len);
            let years = m
                .get("years")
                .and_then(Value::as_object)
                .map(|y| y.keys().cloned().collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            format!(
                "calendar {years} ({} holidays, {} adjusted working days)",
                count("holidays"),
                count("adjusted_workdays")
            )
        }
        other => other.to_string(),
    }
}
