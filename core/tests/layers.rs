//! Every value that reaches a rule through a layer is judged: category parameters through
//! secondary categories (the strictest wins), the scoring model (validated and judged for
//! loosening), and a modified copy of the standard (named in every report).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::path::{Path, PathBuf};

use icgs::pack::{Manifest, OverlayErrorKind, Pack, PackError};
use icgs::report::{Outcome, Report};
use icgs::{Engine, ReadOptions};
use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// An overlay of `extends` from manifest text (the common header is added).
fn overlay(id: &str, extends: &str, body: &str) -> Pack {
    let text = format!(
        "id = \"{id}\"\nname = {{ zh = \"测试\", en = \"Test\" }}\nversion = \"1.0.0\"\nrequires = \"*\"\nedition = \"test\"\nlayer = \"overlay\"\nextends = {{ id = \"{extends}\", version = \"*\" }}\n{body}"
    );
    Pack {
        manifest: Manifest::parse(&text, &format!("{id}/pack.toml")).unwrap(),
        source: id.to_owned(),
        rules: Vec::new(),
    }
}

fn build_with(extra: Vec<Pack>) -> Result<Engine, PackError> {
    let mut packs = Pack::embedded().unwrap();
    packs.extend(extra);
    Engine::builder().packs(packs).build()
}

fn base_profile() -> Value {
    let text = std::fs::read_to_string(root().join("policies/standard/tests/base.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn evaluate(engine: &Engine, profile: &Value) -> Report {
    let bytes = serde_json::to_vec(profile).unwrap();
    let (profile, _) = icgs::read_profile("test", &bytes, &ReadOptions::default()).unwrap();
    engine.evaluate(&profile).unwrap()
}

fn result<'a>(report: &'a Report, rule: &str) -> &'a icgs::report::RuleResult {
    report
        .results
        .iter()
        .find(|r| r.rule == rule)
        .unwrap_or_else(|| panic!("no result for {rule}"))
}

fn overlay_kind(err: &PackError) -> Option<OverlayErrorKind> {
    match err {
        PackError::Overlay(e) => Some(e.kind()),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Category parameters through secondary categories.

/// Two categories set `premises_min_m2`; the one set later in layer order is the looser.
fn two_category_minimums() -> Engine {
    build_with(vec![
        overlay(
            "strict-ti",
            "standard",
            "[categories.tech-innovation.set_params]\npremises_min_m2 = 2000\n",
        ),
        overlay(
            "mild-sm",
            "strict-ti",
            "[categories.smart-manufacturing.set_params]\npremises_min_m2 = 1550\n",
        ),
    ])
    .unwrap()
}

#[test]
fn a_secondary_category_with_a_looser_value_does_not_loosen_the_primary() {
    let engine = two_category_minimums();
    // 1,600 m² of premises: enough for 1,550, not for 2,000.
    let mut profile = base_profile();
    profile["category"] = json!("tech-innovation");
    profile["secondary_categories"] = json!(["smart-manufacturing"]);
    let report = evaluate(&engine, &profile);
    let r = result(&report, "5.1.1");
    assert_eq!(r.outcome, Outcome::Fail, "{r:?}");
    let used = &r.params["premises_min_m2"];
    assert_eq!(used.value, json!(2000));
    assert_eq!(used.category.as_deref(), Some("tech-innovation"));
    assert_eq!(used.set_by.pack, "strict-ti");
}

#[test]
fn the_strictest_category_value_wins_whichever_category_is_primary() {
    let engine = two_category_minimums();
    let mut profile = base_profile();
    profile["category"] = json!("smart-manufacturing");
    profile["secondary_categories"] = json!(["tech-innovation"]);
    let r = result(&evaluate(&engine, &profile), "5.1.1").clone();
    assert_eq!(r.outcome, Outcome::Fail, "{r:?}");
    assert_eq!(r.params["premises_min_m2"].value, json!(2000));
    // A community of the milder category alone gets its value, and passes.
    profile["secondary_categories"] = json!([]);
    let r = result(&evaluate(&engine, &profile), "5.1.1").clone();
    assert_eq!(r.outcome, Outcome::Pass, "{r:?}");
    assert_eq!(r.params["premises_min_m2"].value, json!(1550));
    assert_eq!(
        r.params["premises_min_m2"].category.as_deref(),
        Some("smart-manufacturing")
    );
}

#[test]
fn required_lists_of_two_categories_are_united() {
    let engine = build_with(vec![overlay(
        "spaces",
        "standard",
        "[categories.tech-innovation.set_params]\nrequired_spaces = [\"maker\", \"social\", \"governance\", \"exhibition\"]\n\
         [categories.smart-manufacturing.set_params]\nrequired_spaces = [\"maker\", \"social\", \"governance\", \"pilot-line\"]\n",
    )])
    .unwrap();
    let mut profile = base_profile();
    profile["category"] = json!("tech-innovation");
    profile["secondary_categories"] = json!(["smart-manufacturing"]);
    let r = result(&evaluate(&engine, &profile), "5.2.1").clone();
    let used = &r.params["required_spaces"];
    assert_eq!(
        used.value,
        json!(["maker", "social", "governance", "exhibition", "pilot-line"])
    );
    assert_eq!(
        used.category.as_deref(),
        Some("tech-innovation+smart-manufacturing")
    );
    // No pilot line in the profile: the united list is not met.
    assert_eq!(r.outcome, Outcome::Fail, "{r:?}");
}

#[test]
fn an_overlay_value_for_every_community_decides_over_category_values() {
    // A later uncategorised value that loosens a category's needs a derogation; with it, it
    // decides for every community.
    let strict = overlay(
        "strict-ti",
        "standard",
        "[categories.tech-innovation.set_params]\npremises_min_m2 = 2000\n",
    );
    let err = build_with(vec![
        strict.clone(),
        overlay(
            "all-1550",
            "strict-ti",
            "[set_params]\npremises_min_m2 = 1550\n",
        ),
    ])
    .unwrap_err();
    assert_eq!(overlay_kind(&err), Some(OverlayErrorKind::Loosens), "{err}");
    let engine = build_with(vec![
        strict,
        overlay(
            "all-1550",
            "strict-ti",
            "[set_params.premises_min_m2]\nvalue = 1550\nderogation = { justification = \"试点\", document = \"某文号\" }\n",
        ),
    ])
    .unwrap();
    let mut profile = base_profile();
    profile["category"] = json!("tech-innovation");
    let r = result(&evaluate(&engine, &profile), "5.1.1").clone();
    assert_eq!(r.outcome, Outcome::Pass, "{r:?}");
    assert_eq!(r.params["premises_min_m2"].category, None);
}
