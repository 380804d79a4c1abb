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

use icgs::pack::{BuildError, Manifest, OverlayErrorKind, Pack, PackError};
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

fn build_with(extra: Vec<Pack>) -> Result<Engine, BuildError> {
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
    engine.evaluate(profile).unwrap()
}

fn result<'a>(report: &'a Report, rule: &str) -> &'a icgs::report::RuleResult {
    report
        .results
        .iter()
        .find(|r| r.rule == rule)
        .unwrap_or_else(|| panic!("no result for {rule}"))
}

fn overlay_kind(err: &BuildError) -> Option<OverlayErrorKind> {
    match err {
        BuildError::Overlay(e) => Some(e.kind()),
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

// ---------------------------------------------------------------------------------------
// The scoring model: validated, and judged for loosening.

/// The standard's `[scoring]` table with `edit` applied to its text.
fn scoring_table(edit: impl Fn(String) -> String) -> String {
    let text = std::fs::read_to_string(root().join("policies/standard/pack.toml")).unwrap();
    let start = text.find("[scoring]").unwrap();
    let end = start + text[start..].find("\n[params.").unwrap();
    edit(text[start..end].to_owned())
}

fn scoring_overlay(edit: impl Fn(String) -> String) -> Result<Engine, BuildError> {
    build_with(vec![overlay("scored", "standard", &scoring_table(edit))])
}

fn refused(r: Result<Engine, BuildError>) -> icgs::pack::OverlayError {
    match r {
        Err(BuildError::Overlay(e)) => e,
        Err(other) => panic!("not an overlay error: {other}"),
        Ok(_) => panic!("the engine was built"),
    }
}

#[test]
fn an_unchanged_scoring_table_is_accepted() {
    scoring_overlay(|t| t).unwrap();
}

#[test]
fn lower_grade_thresholds_loosen_the_scoring_model() {
    // 89 keeps the bands sorted (above good's 80) but lowers excellent's threshold.
    let e = refused(scoring_overlay(|t| t.replace("min = 90.0", "min = 89.0")));
    assert_eq!(e.kind(), OverlayErrorKind::Loosens, "{e}");
    assert_eq!(e.entry(), "scoring.grades");
    assert_eq!(e.file(), "scored/pack.toml");
    assert!(e.line().is_some(), "{e}");
    assert!(e.message().contains("excellent"), "{e}");
}

#[test]
fn higher_thresholds_a_lower_cap_and_a_longer_veto_window_tighten() {
    scoring_overlay(|t| {
        t.replace("min = 90.0", "min = 95.0")
            .replace(
                "shall_failure_cap = \"qualified\"",
                "shall_failure_cap = \"unqualified\"",
            )
            .replace("veto_incident_months = 12", "veto_incident_months = 24")
            .replace("veto_rules = []", "veto_rules = [\"7.3.1\"]")
    })
    .unwrap();
}

#[test]
fn each_scoring_loosening_is_refused() {
    let cases: [(&str, &str, &str); 5] = [
        (
            "shall_failure_cap = \"qualified\"",
            "shall_failure_cap = \"excellent\"",
            "scoring.shall_failure_cap",
        ),
        (
            "veto_incident_months = 12",
            "veto_incident_months = 1",
            "scoring.veto_incident_months",
        ),
        (
            "general = 10, construction = 15",
            "general = 15, construction = 10",
            "scoring.dimensions",
        ),
        (
            "shall = 3, shall-not = 3",
            "shall = 2, shall-not = 3",
            "scoring.level_weights",
        ),
        (
            "{ grade = \"good\", min = 80.0, name = { zh = \"良好\", en = \"Good\" } },\n",
            "",
            "scoring.grades",
        ),
    ];
    for (from, to, entry) in cases {
        let e = refused(scoring_overlay(|t| {
            assert!(t.contains(from), "{from}");
            t.replace(from, to)
        }));
        assert_eq!(e.kind(), OverlayErrorKind::Loosens, "{from}: {e}");
        assert_eq!(e.entry(), entry, "{e}");
    }
}

#[test]
fn fewer_veto_rules_loosen_and_a_derogation_is_reported() {
    let strict = overlay(
        "veto",
        "standard",
        &scoring_table(|t| t.replace("veto_rules = []", "veto_rules = [\"7.3.1\"]")),
    );
    let e = refused(build_with(vec![
        strict.clone(),
        overlay("lax", "veto", &scoring_table(|t| t)),
    ]));
    assert_eq!(e.kind(), OverlayErrorKind::Loosens, "{e}");
    assert_eq!(e.entry(), "scoring.veto_rules");
    let derogated = scoring_table(|t| {
        format!("{t}\nderogation = {{ justification = \"试点期间\", document = \"某文号\" }}\n")
    });
    let engine = build_with(vec![strict, overlay("lax", "veto", &derogated)]).unwrap();
    let d: Vec<_> = engine.derogations().collect();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].target, "scoring");
    assert_eq!(d[0].id, "veto_rules");
    assert_eq!(d[0].from, json!(["7.3.1"]));
    // A derogation where nothing loosens is refused.
    let e = refused(build_with(vec![overlay("lax", "standard", &derogated)]));
    assert_eq!(e.kind(), OverlayErrorKind::NotLoosening, "{e}");
}

#[test]
fn an_unsound_scoring_model_is_refused_naming_the_key() {
    let cases: [(&str, &str, &str); 8] = [
        ("min = 90.0", "min = nan", "scoring.grades"),
        ("min = 90.0", "min = inf", "scoring.grades"),
        ("min = 80.0", "min = 95.0", "scoring.grades"),
        (
            "shall_failure_cap = \"qualified\"",
            "shall_failure_cap = \"passable\"",
            "scoring.shall_failure_cap",
        ),
        (
            "governance-services = 35",
            "governance-service = 35",
            "scoring.dimensions",
        ),
        ("general = 10", "general = 11", "scoring.dimensions"),
        ("should = 1", "should = 4294967279", "scoring.level_weights"),
        (
            "veto_rules = []",
            "veto_rules = [\"9.9.9\"]",
            "scoring.veto_rules",
        ),
    ];
    for (from, to, entry) in cases {
        let e = refused(scoring_overlay(|t| {
            assert!(t.contains(from), "{from}");
            t.replacen(from, to, 1)
        }));
        assert_eq!(e.kind(), OverlayErrorKind::Scoring, "{to}: {e}");
        assert_eq!(e.entry(), entry, "{e}");
        assert!(e.line().is_some(), "{e}");
    }
    let empty = scoring_table(|t| {
        let start = t.find("grades = [").unwrap();
        let end = start + t[start..].find("]\n").unwrap() + 2;
        format!("{}grades = []\n{}", &t[..start], &t[end..])
    });
    let e = refused(build_with(vec![overlay("scored", "standard", &empty)]));
    assert_eq!(e.kind(), OverlayErrorKind::Scoring, "{e}");
    assert!(e.message().contains("empty"), "{e}");
}

#[test]
fn a_rule_weight_beyond_the_range_is_refused() {
    let mut pack = overlay("heavy", "standard", "");
    let script = r#"const RULE = #{
    id: "L.H.1", clause: "L.H.1", level: "shall", dimension: "general", weight: 4294967279,
    title: #{ zh: "测试", en: "Test" }, text: #{ zh: "应测试。", en: "Shall test." },
    check: #{ zh: "测试", en: "test" }, message: #{ zh: "测试", en: "test" },
    remedy: #{ zh: "测试", en: "test" },
};
fn check(c, params) { pass() }
"#;
    pack.rules
        .push(("heavy/rules/L.H.1.rhai".into(), script.into()));
    let err = build_with(vec![pack]).unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err, BuildError::Pack(PackError::Metadata { .. })),
        "{text}"
    );
    assert!(
        text.contains("L.H.1") && text.contains("4294967279"),
        "{text}"
    );
}

#[test]
fn a_rule_whose_chapter_the_model_does_not_weigh_is_refused() {
    // Even declared a derogation, a model that drops a chapter would leave its rules unscored.
    let body = scoring_table(|t| {
        let t = t.replace(
            "general = 10, construction = 15, organisation = 25, governance-services = 35, evaluation = 15",
            "general = 25, organisation = 25, governance-services = 35, evaluation = 15",
        );
        format!("{t}\nderogation = {{ justification = \"试点\", document = \"某文号\" }}\n")
    });
    let err = build_with(vec![overlay("scored", "standard", &body)]).unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err, BuildError::Pack(PackError::Metadata { .. })),
        "{text}"
    );
    assert!(text.contains("`construction`"), "{text}");
}

// ---------------------------------------------------------------------------------------
// A modified copy of the standard is named as such.

fn with_standard(standard: Pack) -> Engine {
    let mut packs = Pack::embedded().unwrap();
    packs.retain(|p| p.manifest.id != "standard");
    packs.push(standard);
    Engine::builder().packs(packs).build().unwrap()
}

fn standard_copy() -> Pack {
    let mut pack = Pack::embedded()
        .unwrap()
        .into_iter()
        .find(|p| p.manifest.id == "standard")
        .unwrap();
    pack.source = "copies/standard".into();
    pack
}

#[test]
fn a_modified_copy_of_the_standard_is_named_with_its_digest() {
    let mut copy = standard_copy();
    copy.manifest
        .params
        .get_mut("premises_min_m2")
        .unwrap()
        .default = icgs::pack::ParamValue::Int(1000);
    let report = evaluate(&with_standard(copy), &base_profile());
    let info = report.packs.iter().find(|p| p.id == "standard").unwrap();
    assert!(info.modified, "{info:?}");
    let sha = info.sha256.as_deref().unwrap();
    assert_eq!(sha.len(), 64);
    assert_eq!(
        info.label(),
        format!("standard@1.0.0 (modified: sha256 {})", &sha[..12])
    );
    let json = serde_json::to_value(&report).unwrap();
    let listed = json["packs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "standard")
        .unwrap();
    assert_eq!(listed["modified"], json!(true));
}

#[test]
fn an_unchanged_copy_and_the_embedded_standard_are_not_modified() {
    let embedded = evaluate(&Engine::standard().unwrap(), &base_profile());
    let copy = evaluate(&with_standard(standard_copy()), &base_profile());
    let a = embedded.packs.iter().find(|p| p.id == "standard").unwrap();
    let b = copy.packs.iter().find(|p| p.id == "standard").unwrap();
    assert!(!a.modified && !b.modified);
    assert_eq!(a.sha256, b.sha256);
    assert_eq!(a.label(), "standard@1.0.0");
}

/// The library names what is missing in its own words; the command line adds its flags.
#[test]
fn an_unknown_category_is_named_without_command_line_advice() {
    let engine = build_with(Vec::new()).unwrap();
    let bytes =
        std::fs::read(root().join("examples/profiles/plugins/binjiang-biomedical.json")).unwrap();
    let err = engine
        .check_bytes("t", &bytes, &ReadOptions::default())
        .unwrap_err();
    assert!(
        matches!(&err, icgs::CheckError::Evaluate(icgs::EvaluateError::UnknownCategory { category, .. }) if category == "biomedical"),
        "{err}"
    );
    let text = err.to_string();
    assert!(
        text.ends_with("a local category needs its pack or plugin loaded"),
        "{text}"
    );
    assert!(!text.contains("--"), "{text}");
}
