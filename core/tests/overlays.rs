//! Overlays, derogations, effective dates, provenance and waivers.
//!
//! Refusals are data: each `tests/fixtures/packs/overlay-refuse-*/` directory holds the
//! pack(s) of one refused overlay and `expect.json` (file, entry, line, a part of the
//! message); its test names the error kind. The example chain `policies/overlays/`
//! (Zhejiang → Hangzhou → Binjiang) is evaluated end to end (its test cases run on the
//! chain: the `testing` test of icgs-tools).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::path::{Path, PathBuf};

use icgs::facts::parse_date;
use icgs::pack::{BuildError, Manifest, OverlayErrorKind, Pack};
use icgs::report::{Outcome, Report, WaiverProblemKind};
use icgs::{Engine, EvalOptions, ReadOptions, WaiverSet};
use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs")
}

fn chain_dir() -> PathBuf {
    root().join("policies/overlays")
}

/// The embedded packs plus every pack found in `dirs`, in the order given.
fn build(dirs: &[PathBuf]) -> Result<Engine, BuildError> {
    let mut packs = Pack::embedded().unwrap();
    for dir in dirs {
        for pack in Pack::discover(dir)? {
            packs.retain(|p| p.manifest.id != pack.manifest.id);
            packs.push(pack);
        }
    }
    Engine::builder().packs(packs).build()
}

/// An overlay of the standard from manifest text (the common header is added).
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

// ---------------------------------------------------------------------------------------
// Refusals, one fixture directory each.

/// The overlay of fixture `name` is refused with an error of `kind`, naming the file, entry,
/// line and a part of the message its `expect.json` gives.
fn refused(name: &str, kind: OverlayErrorKind) {
    let dir = fixtures().join(name);
    let expect: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expect.json")).unwrap()).unwrap();
    let err = match build(std::slice::from_ref(&dir)) {
        Ok(_) => panic!("{name}: was accepted"),
        Err(BuildError::Overlay(e)) => e,
        Err(other) => panic!("{name}: another error: {other}"),
    };
    assert_eq!(err.kind(), kind, "{err}");
    let want_file = expect["file"].as_str().unwrap_or("pack.toml");
    assert!(
        err.file().ends_with(&format!("{name}/{want_file}")),
        "file {}, expected …/{name}/{want_file}",
        err.file()
    );
    assert_eq!(err.entry(), expect["entry"].as_str().unwrap());
    if let Some(line) = expect["line"].as_u64() {
        assert_eq!(err.line(), Some(line as usize), "{err}");
    }
    let message = err.to_string();
    assert!(
        message.contains(expect["message"].as_str().unwrap()),
        "message `{message}` lacks {}",
        expect["message"]
    );
    // The message names the file, the line and the entry, compiler style.
    let line = err.line().map(|l| format!(":{l}:")).unwrap_or_default();
    assert!(
        message.contains(&line) && message.contains(err.entry()),
        "{err}"
    );
}

/// One test per refusal fixture, each with the error kind it must be refused with; a
/// fixture directory without a test here fails `every_refusal_fixture_has_a_test`.
macro_rules! refusals {
    ($($test:ident: $dir:literal => $kind:ident,)*) => {
        $(
            #[test]
            fn $test() {
                refused($dir, OverlayErrorKind::$kind);
            }
        )*
        const REFUSAL_FIXTURES: &[&str] = &[$($dir),*];
    };
}

refusals! {
    calendar_holiday: "overlay-refuse-calendar-holiday" => Loosens,
    calendar_outside_years: "overlay-refuse-calendar-outside-years" => OutOfRange,
    cycle: "overlay-refuse-cycle" => Cycle,
    dates_reversed: "overlay-refuse-dates-reversed" => Dates,
    derogation_not_loosening: "overlay-refuse-derogation-not-loosening" => NotLoosening,
    derogation_without_document: "overlay-refuse-derogation-without-document" => MissingJustification,
    disable_shall: "overlay-refuse-disable-shall" => Loosens,
    disable_without_justification: "overlay-refuse-disable-without-justification" => MissingJustification,
    extends_version: "overlay-refuse-extends-version" => BaseVersion,
    fraction_for_count: "overlay-refuse-fraction-for-count" => WrongType,
    higher_maximum: "overlay-refuse-higher-maximum" => Loosens,
    looser_than_a_category: "overlay-refuse-looser-than-a-category" => Loosens,
    lower_minimum: "overlay-refuse-lower-minimum" => Loosens,
    missing_base: "overlay-refuse-missing-base" => MissingBase,
    new_category_without_name: "overlay-refuse-new-category-without-name" => MissingName,
    remove_category_space: "overlay-refuse-remove-category-space" => Loosens,
    shall_to_shall_not: "overlay-refuse-shall-to-shall-not" => Conflict,
    shall_to_should: "overlay-refuse-shall-to-should" => Loosens,
    share_as_percent: "overlay-refuse-share-as-percent" => OutOfRange,
    shorter_list: "overlay-refuse-shorter-list" => Loosens,
    unknown_parameter: "overlay-refuse-unknown-parameter" => UnknownParameter,
    unknown_rule: "overlay-refuse-unknown-rule" => UnknownRule,
    wrong_type: "overlay-refuse-wrong-type" => WrongType,
    wrong_unit: "overlay-refuse-wrong-unit" => WrongUnit,
}

#[test]
fn every_refusal_fixture_has_a_test() {
    let mut dirs: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("overlay-refuse-"))
        .collect();
    dirs.sort();
    assert_eq!(dirs, REFUSAL_FIXTURES);
}

#[test]
fn a_date_that_is_not_a_date_is_refused_with_its_position() {
    let text = "id = \"x\"\nname = { zh = \"x\", en = \"x\" }\nversion = \"1.0.0\"\nrequires = \"*\"\nedition = \"t\"\nlayer = \"overlay\"\neffective_from = \"2026-13-01\"\n";
    let err = Manifest::parse(text, "x/pack.toml").unwrap_err();
    let message = err.to_string();
    assert!(message.starts_with("x/pack.toml: 7:"), "{message}");
    assert!(message.contains("`2026-13-01` is not a date"), "{message}");
    // A TOML date-time is not a date either.
    let text = text.replace("\"2026-13-01\"", "2026-07-01T08:00:00");
    let message = Manifest::parse(&text, "x/pack.toml")
        .unwrap_err()
        .to_string();
    assert!(message.contains("is a date-time"), "{message}");
    // A TOML date and a string date read alike, as a typed date, and write back as text.
    for date in ["2026-07-01", "\"2026-07-01\""] {
        let text = text.replace("2026-07-01T08:00:00", date);
        let m = Manifest::parse(&text, "x/pack.toml").unwrap();
        assert_eq!(m.effective_from, parse_date("2026-07-01"));
        assert_eq!(
            serde_json::to_value(&m).unwrap()["effective_from"],
            "2026-07-01"
        );
    }
}

#[test]
fn a_direction_that_does_not_fit_the_value_is_a_declaration_error() {
    let pack = overlay(
        "bad-decl",
        "standard",
        "[params.kinds]\ndefault = [\"a\"]\nstricter = \"higher\"\ndescription = { zh = \"x\", en = \"x\" }\n",
    );
    let Err(BuildError::Overlay(e)) = build_with(vec![pack]) else {
        panic!("accepted")
    };
    assert_eq!(e.kind(), OverlayErrorKind::Declaration);
    assert_eq!(e.entry(), "params.kinds");
    assert_eq!(e.line(), Some(8));
}

#[test]
fn a_rule_of_a_later_layer_cannot_be_changed() {
    // `a` changes L.T.1, which `local` (a later layer: it extends `a`) defines: unknown
    // below `a`.
    let a = overlay("a", "standard", "[rules.\"L.T.1\"]\nlevel = \"should\"\n");
    let mut packs = vec![a];
    for mut local in Pack::discover(fixtures().join("overlay-local")).unwrap() {
        local.manifest.extends = Some(icgs::pack::Extends {
            id: "a".into(),
            version: "*".parse().unwrap(),
        });
        packs.push(local);
    }
    let Err(BuildError::Overlay(e)) = build_with(packs) else {
        panic!("accepted")
    };
    assert_eq!(e.kind(), OverlayErrorKind::UnknownRule);
    assert!(e.message().contains("a later layer"), "{e}");
}

// ---------------------------------------------------------------------------------------
// Tighten or loosen, per parameter kind.

#[test]
fn tighten_and_loosen_are_told_apart_for_every_kind_of_parameter() {
    // (what, [set_params] body, allowed without a derogation)
    let standard: &[(&str, &str, bool)] = &[
        ("higher: a raised minimum", "premises_min_m2 = 2000", true),
        ("higher: the same minimum", "premises_min_m2 = 1500", true),
        (
            "higher: a minimum lowered by one",
            "premises_min_m2 = 1499",
            false,
        ),
        ("higher: a raised share", "activity_share_min = 0.65", true),
        (
            "higher: a share lowered by 0.0001",
            "activity_share_min = 0.5999",
            false,
        ),
        (
            "higher: a whole number for a share",
            "activity_share_min = 1",
            true,
        ),
        (
            "lower: a shorter time limit",
            "emergency_response_minutes_max = 20",
            true,
        ),
        (
            "lower: a longer time limit",
            "emergency_response_minutes_max = 31",
            false,
        ),
        (
            "lower: a maximum raised by one",
            "grid_enterprises_max = 301",
            false,
        ),
        (
            "lower: a threshold from which more is required, lowered",
            "party_committee_min = 80",
            true,
        ),
        (
            "lower: the same threshold, raised",
            "party_committee_min = 120",
            false,
        ),
        (
            "more: one more required element",
            "required_spaces = [\"maker\", \"social\", \"governance\", \"training\"]",
            true,
        ),
        (
            "more: the same elements reordered",
            "required_spaces = [\"governance\", \"maker\", \"social\"]",
            true,
        ),
        (
            "more: one element removed",
            "required_spaces = [\"maker\", \"social\"]",
            false,
        ),
        (
            "more: one element replaced",
            "required_spaces = [\"maker\", \"social\", \"training\"]",
            false,
        ),
    ];
    let kinds_base = Pack::from_dir(fixtures().join("overlay-kinds-base")).unwrap();
    let fixture: &[(&str, &str, bool)] = &[
        (
            "fewer: one allowed value removed",
            "allowed_channels = [\"platform\"]",
            true,
        ),
        (
            "fewer: one allowed value added",
            "allowed_channels = [\"platform\", \"app\", \"website\"]",
            false,
        ),
        ("none: the same value", "label = \"A\"", true),
        ("none: another value", "label = \"B\"", false),
        ("flag: false → true", "require_flag = true", true),
    ];
    let mut wrong = Vec::new();
    for (what, body, allowed) in standard {
        let got = build_with(vec![overlay(
            "t",
            "standard",
            &format!("[set_params]\n{body}\n"),
        )]);
        check_kind(what, got, *allowed, &mut wrong);
    }
    for (what, body, allowed) in fixture {
        let got = build_with(vec![
            kinds_base.clone(),
            overlay("t", "kinds-base", &format!("[set_params]\n{body}\n")),
        ]);
        check_kind(what, got, *allowed, &mut wrong);
    }
    // A flag set by a lower overlay cannot be switched back.
    let got = build_with(vec![
        kinds_base.clone(),
        overlay("t1", "kinds-base", "[set_params]\nrequire_flag = true\n"),
        overlay("t2", "t1", "[set_params]\nrequire_flag = false\n"),
    ]);
    check_kind("flag: true → false", got, false, &mut wrong);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn check_kind(what: &str, got: Result<Engine, BuildError>, allowed: bool, wrong: &mut Vec<String>) {
    match (got, allowed) {
        (Ok(_), true) => {}
        (Err(BuildError::Overlay(e)), false) if e.kind() == OverlayErrorKind::Loosens => {}
        (Ok(_), false) => wrong.push(format!("{what}: accepted, expected a loosening")),
        (Err(e), _) => wrong.push(format!("{what}: {e}")),
    }
}

#[test]
fn level_disabling_and_waivability_changes_are_judged() {
    let cases: &[(&str, &str, Option<OverlayErrorKind>)] = &[
        (
            "should → shall",
            "[rules.\"6.4.3\"]\nlevel = \"shall\"",
            None,
        ),
        (
            "may → should",
            "[rules.\"4.2.3\"]\nlevel = \"should\"",
            None,
        ),
        (
            "should → may",
            "[rules.\"6.4.3\"]\nlevel = \"may\"",
            Some(OverlayErrorKind::Loosens),
        ),
        (
            "shall → should",
            "[rules.\"5.1.1\"]\nlevel = \"should\"",
            Some(OverlayErrorKind::Loosens),
        ),
        (
            "shall → should as a derogation",
            "[rules.\"5.1.1\"]\nlevel = \"should\"\nderogation = { justification = \"j\", document = \"d\" }",
            None,
        ),
        (
            "shall-not → shall",
            "[rules.\"4.1.4\"]\nlevel = \"shall\"",
            Some(OverlayErrorKind::Conflict),
        ),
        (
            "disable a should rule with a justification",
            "[rules.\"5.2.4\"]\ndisabled = true\njustification = \"why\"",
            None,
        ),
        (
            "disable a shall rule as a derogation",
            "[rules.\"5.1.1\"]\ndisabled = true\nderogation = { justification = \"j\", document = \"d\" }",
            None,
        ),
        (
            "disabled and a level at once",
            "[rules.\"5.2.4\"]\ndisabled = true\nlevel = \"shall\"\njustification = \"j\"",
            Some(OverlayErrorKind::Conflict),
        ),
        (
            "a change that changes nothing",
            "[rules.\"5.2.4\"]\ndocument = \"d\"",
            Some(OverlayErrorKind::Conflict),
        ),
        ("not waivable", "[rules.\"7.3.4\"]\nwaivable = false", None),
        (
            "a level raised as a derogation",
            "[rules.\"6.4.3\"]\nlevel = \"shall\"\nderogation = { justification = \"j\", document = \"d\" }",
            Some(OverlayErrorKind::NotLoosening),
        ),
    ];
    let mut wrong = Vec::new();
    for (what, body, want) in cases {
        let got = build_with(vec![overlay("t", "standard", &format!("{body}\n"))]);
        match (got, want) {
            (Ok(_), None) => {}
            (Err(BuildError::Overlay(e)), Some(k)) if e.kind() == *k => {}
            (Ok(_), Some(k)) => wrong.push(format!("{what}: accepted, expected {k:?}")),
            (Err(e), _) => wrong.push(format!("{what}: {e}")),
        }
    }
    // Waivable again after a lower layer said no: a loosening.
    let got = build_with(vec![
        overlay("t1", "standard", "[rules.\"7.3.4\"]\nwaivable = false\n"),
        overlay("t2", "t1", "[rules.\"7.3.4\"]\nwaivable = true\n"),
    ]);
    assert!(
        matches!(&got, Err(BuildError::Overlay(e)) if e.kind() == OverlayErrorKind::Loosens),
        "{:?}",
        got.err()
    );
    // Enabling again what a lower layer disabled tightens.
    let got = build_with(vec![
        overlay(
            "t1",
            "standard",
            "[rules.\"5.2.4\"]\ndisabled = true\njustification = \"j\"\n",
        ),
        overlay("t2", "t1", "[rules.\"5.2.4\"]\ndisabled = false\n"),
    ]);
    assert!(got.is_ok(), "{:?}", got.err());
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn loosening_is_judged_on_every_date_a_change_applies() {
    let province = overlay(
        "province",
        "standard",
        "[set_params.premises_min_m2]\nvalue = 2000\neffective_from = 2026-07-01\n",
    );
    // 1800 before July tightens the standard's 1500; from July it loosens the province's 2000.
    let until_june = overlay(
        "city",
        "province",
        "[set_params.premises_min_m2]\nvalue = 1800\neffective_until = 2026-06-30\n",
    );
    assert!(build_with(vec![province.clone(), until_june]).is_ok());
    let always = overlay("city", "province", "[set_params]\npremises_min_m2 = 1800\n");
    let Err(BuildError::Overlay(e)) = build_with(vec![province.clone(), always]) else {
        panic!("accepted")
    };
    assert_eq!(e.kind(), OverlayErrorKind::Loosens);
    assert!(
        e.message()
            .contains("`1800` loosens `2000` set by province@1.0.0"),
        "{e}"
    );
    // A layer in force from a date is judged from that date only.
    let city_from_july = overlay(
        "city",
        "province",
        "effective_from = 2026-08-01\n[set_params]\npremises_min_m2 = 2100\n",
    );
    assert!(build_with(vec![province, city_from_july]).is_ok());
}

// ---------------------------------------------------------------------------------------
// Resolution of the example chain, evaluation through the layers, provenance.

#[test]
fn the_example_chain_resolves_in_extends_order_whatever_the_order_given() {
    let dirs: Vec<PathBuf> = ["binjiang", "zhejiang", "hangzhou"]
        .iter()
        .map(|d| chain_dir().join(d))
        .collect();
    let engine = build(&dirs).unwrap();
    let ids: Vec<&str> = engine.packs().iter().map(|p| p.id.as_str()).collect();
    let n = ids.len();
    assert_eq!(
        ids.get(n - 3..).unwrap(),
        ["zhejiang", "hangzhou", "binjiang"]
    );
    assert_eq!(ids.first(), Some(&"standard"));
    let ordered = Pack::in_layer_order(
        dirs.iter()
            .flat_map(|d| Pack::discover(d).unwrap())
            .chain(Pack::embedded().unwrap())
            .collect(),
    )
    .unwrap();
    assert_eq!(
        ordered
            .iter()
            .map(|p| p.manifest.id.as_str())
            .collect::<Vec<_>>(),
        engine
            .packs()
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>()
    );
}

#[test]
fn the_chain_changes_values_levels_categories_and_lists_its_derogation() {
    let engine = build(&[chain_dir()]).unwrap();
    let report = evaluate(&engine, &base_profile());

    // Zhejiang: 6.4.3 宜 → 应 and 3 social workers per 10,000.
    let r = result(&report, "6.4.3");
    assert_eq!(r.level, icgs::pack::Level::Shall);
    assert_eq!(r.weight, 3);
    let changed = r.provenance.changed_by.as_ref().unwrap();
    assert_eq!(
        (changed.pack.as_str(), changed.version.as_str()),
        ("zhejiang", "1.0.0")
    );
    assert_eq!(r.provenance.defined_by.pack, "standard");
    assert_eq!(r.provenance.changes.len(), 1);
    assert_eq!(r.provenance.changes[0].change, "level");
    assert_eq!(r.provenance.changes[0].value, json!("shall"));
    let p = &r.params["social_workers_per_10k"];
    assert_eq!(p.value, json!(3));
    assert_eq!(p.layer, "zhejiang@1.0.0");
    assert_eq!(
        p.set_by.document.as_deref(),
        Some("浙江省现代产业社区建设指引（示例文件）")
    );
    assert_eq!(p.set_by.effective_from, parse_date("2026-01-01"));
    assert_eq!(p.set_by.layer, "overlay");

    // Hangzhou: 20 minutes; premises 2000 m² only from 2026-07-01 (as_of is 2026-06-30).
    assert_eq!(
        result(&report, "7.3.4").params["emergency_response_minutes_max"].value,
        json!(20)
    );
    let premises = &result(&report, "5.1.1").params["premises_min_m2"];
    assert_eq!(premises.value, json!(1500));
    assert_eq!(premises.set_by.pack, "standard");
    assert_eq!(
        premises.set_by.document.as_deref(),
        Some("杭州 2025 团体标准（征求意见稿编号待定）")
    );
    assert_eq!(result(&report, "4.3.2").level, icgs::pack::Level::Shall);
    // Tech-innovation communities need maker and training spaces.
    assert_eq!(
        result(&report, "5.2.2").required,
        json!(["maker", "training"])
    );

    // Binjiang: a local rule, and the derogation listed in every report.
    assert_eq!(result(&report, "L.BJ.1").outcome, Outcome::Pass);
    assert_eq!(
        result(&report, "L.BJ.1").provenance.defined_by.pack,
        "binjiang"
    );
    assert_eq!(report.derogations.len(), 1);
    let d = &report.derogations[0];
    assert_eq!(
        (d.target.as_str(), d.id.as_str()),
        ("parameter", "population_max")
    );
    assert_eq!((d.from.clone(), d.to.clone()), (json!(30000), json!(50000)));
    assert!(d.justification.contains("楼宇群"));
    assert!(d.document.contains("批复"));
    assert_eq!(d.by.pack, "binjiang");
    assert!(d.in_effect);
    assert_eq!(result(&report, "4.1.1").required, json!([20000, 50000]));
    assert_eq!(report.evaluated_as_of, "2026-06-30");
}

#[test]
fn values_and_rules_follow_the_evaluation_date_never_the_clock() {
    let engine = build(&[chain_dir()]).unwrap();
    let on = |date: &str| {
        let mut p = base_profile();
        p["as_of"] = json!(date);
        evaluate(&engine, &p)
    };
    let june = on("2026-06-30");
    let july = on("2026-07-01");
    let premises = |r: &Report| result(r, "5.1.1").params["premises_min_m2"].clone();
    assert_eq!(premises(&june).value, json!(1500));
    assert_eq!(premises(&july).value, json!(2000));
    assert_eq!(premises(&july).set_by.pack, "hangzhou");
    assert_eq!(
        premises(&july).set_by.effective_from,
        parse_date("2026-07-01")
    );
    assert_eq!(
        premises(&july).set_by.document.as_deref(),
        Some("杭州市现代产业社区建设三年行动方案（示例文件）附件2")
    );
    // Before Binjiang's layer is in force (2026-04-01), its rule and derogation do not apply.
    let march = on("2026-03-31");
    assert_eq!(result(&march, "L.BJ.1").outcome, Outcome::NotApplicable);
    assert!(
        result(&march, "L.BJ.1")
            .message
            .en
            .contains("not in force on 2026-03-31")
    );
    assert!(!march.derogations[0].in_effect);
    assert_eq!(result(&march, "4.1.1").required, json!([20000, 30000]));
    // The same through EvalOptions: the profile says June, the option says July.
    let engine_july = build(&[chain_dir()])
        .unwrap()
        .with_options(EvalOptions::new().as_of("2026-07-01").unwrap());
    let report = evaluate(&engine_july, &base_profile());
    assert_eq!(report.evaluated_as_of, "2026-07-01");
    assert_eq!(report.profile.as_of, "2026-07-01");
    assert_eq!(premises(&report).value, json!(2000));
    assert!(EvalOptions::new().as_of("2026-02-30").is_err());
    assert!(EvalOptions::new().as_of("2026-7-1").is_err());
}

#[test]
fn disabled_derogated_and_dated_rules_evaluate_through_the_layers() {
    let engine = build(&[fixtures().join("overlay-local")]).unwrap();
    let june = evaluate(&engine, &base_profile());

    // Disabled, with its justification in the message and the provenance.
    let r = result(&june, "5.2.4");
    assert_eq!(r.outcome, Outcome::NotApplicable);
    assert!(
        r.message
            .en
            .contains("disabled by local@2.1.0 (no off-peak demand"),
        "{}",
        r.message.en
    );
    assert_eq!(r.provenance.changes[0].change, "disabled");
    assert_eq!(
        r.provenance.changes[0].justification.as_deref(),
        Some("no off-peak demand in this test district")
    );

    // 6.6.1 应 → 宜 as a derogation: a failure is a deviation, not a non-conformity.
    let mut few_staff = base_profile();
    let staff: Vec<Value> = few_staff["staff"]
        .as_array()
        .unwrap()
        .iter()
        .take(3)
        .cloned()
        .collect();
    few_staff["staff"] = Value::Array(staff);
    let report = evaluate(&engine, &few_staff);
    let r = result(&report, "6.6.1");
    assert_eq!(r.outcome, Outcome::Fail);
    assert_eq!(r.level, icgs::pack::Level::Should);
    assert_eq!(r.weight, 1);
    assert!(r.provenance.changes[0].derogation);
    assert!(report.derogations.iter().any(|d| d.id == "6.6.1"
        && d.change == "level"
        && d.from == json!("shall")
        && d.to == json!("should")
        && d.in_effect));

    // A local rule and a level change in force from 2026-07-01.
    assert_eq!(result(&june, "L.T.1").outcome, Outcome::NotApplicable);
    assert_eq!(result(&june, "6.4.3").level, icgs::pack::Level::Should);
    assert!(result(&june, "6.4.3").provenance.changed_by.is_none());
    let mut july = base_profile();
    july["as_of"] = json!("2026-07-01");
    let july = evaluate(&engine, &july);
    assert_eq!(result(&july, "L.T.1").outcome, Outcome::Pass);
    assert_eq!(
        result(&july, "L.T.1").provenance.defined_by.effective_from,
        parse_date("2026-07-01")
    );
    assert_eq!(result(&july, "6.4.3").level, icgs::pack::Level::Shall);
    // A value in force until 2026-12-31 only.
    assert_eq!(
        result(&july, "5.2.3").params["open_days_min"].value,
        json!(6)
    );
    let mut next_year = base_profile();
    next_year["as_of"] = json!("2027-01-01");
    let next_year = evaluate(&engine, &next_year);
    assert_eq!(
        result(&next_year, "5.2.3").params["open_days_min"].value,
        json!(5)
    );
    assert_eq!(
        result(&next_year, "5.2.3").params["open_days_min"]
            .set_by
            .pack,
        "standard"
    );
}

#[test]
fn an_overlay_can_add_a_category_with_values_for_its_communities() {
    let pack = overlay(
        "bio",
        "standard",
        "[categories.biomedical]\nname = { zh = \"生物医药型\", en = \"Biomedical\" }\nspaces = [\"training\"]\nset_params = { inspections_min = 24 }\n",
    );
    let engine = build_with(vec![pack]).unwrap();
    let mut p = base_profile();
    p["category"] = json!("biomedical");
    // The profile schema knows the four built-in categories only: evaluate the typed model.
    let profile: icgs::model::CommunityProfile = serde_json::from_value(p).unwrap();
    let report = engine.evaluate(profile).unwrap();
    assert_eq!(
        result(&report, "4.2.2").outcome,
        Outcome::Pass,
        "registered by the overlay"
    );
    assert_eq!(result(&report, "5.2.2").required, json!(["training"]));
    let used = &result(&report, "7.3.1").params["inspections_min"];
    assert_eq!(used.value, json!(24));
    assert_eq!(used.set_by.pack, "bio");
    // Other communities keep the standard's value.
    let report = evaluate(&engine, &base_profile());
    assert_eq!(
        result(&report, "7.3.1").params["inspections_min"].value,
        json!(12)
    );
    assert_eq!(
        engine
            .category_history("biomedical")
            .unwrap()
            .registered_by
            .pack,
        "bio"
    );
}

/// The example chain's own test cases (`policies/overlays/*/tests`), run on the chain.
#[test]
fn explain_data_shows_each_layer_of_a_parameter_and_a_rule() {
    let engine = build(&[chain_dir()]).unwrap();
    let h = engine.param_history("premises_min_m2").unwrap();
    let packs: Vec<&str> = h.steps.iter().map(|s| s.by.pack.as_str()).collect();
    assert_eq!(packs, ["standard", "hangzhou"]);
    assert_eq!(h.stricter, icgs::pack::Stricter::Higher);
    let h = engine.param_history("population_max").unwrap();
    assert!(h.steps.last().unwrap().derogation.is_some());
    let r = engine.rule_history("6.4.3").unwrap();
    assert_eq!(r.level, icgs::pack::Level::Should);
    assert_eq!(r.steps.len(), 1);
    assert_eq!(r.steps[0].by.pack, "zhejiang");
    assert_eq!(engine.derogations().count(), 1);
}

#[test]
fn the_history_api_says_what_is_in_force_on_a_date() {
    let engine = build(&[fixtures().join("overlay-local")]).unwrap();
    let day = |d: &str| icgs::facts::parse_date(d).unwrap();

    // 6.4.3 becomes `shall` from 2026-07-01; the day before, the standard's level holds.
    let h = engine.rule_history("6.4.3").unwrap();
    assert!(!h.steps[0].in_force(day("2026-06-30")));
    assert!(h.steps[0].in_force(day("2026-07-01")));
    let before = h.state_at(day("2026-06-30"));
    assert_eq!(before.level, icgs::pack::Level::Should);
    assert!(before.active.is_empty());
    let after = h.state_at(day("2026-07-01"));
    assert_eq!(after.level, icgs::pack::Level::Shall);
    assert_eq!(after.active.len(), 1);

    // Disabled and not waivable, on every date.
    let disabled = engine.rule_history("5.2.4").unwrap();
    assert!(disabled.state_at(day("2026-01-01")).disabled.is_some());
    assert!(
        disabled.in_force(day("2026-01-01")),
        "the rule itself is in force"
    );
    let veto = engine.rule_history("7.3.4").unwrap();
    assert!(!veto.state_at(day("2026-01-01")).waivable);

    // A dated value: the standard's until the day before, then the overlay's.
    let h = engine.param_history("premises_min_m2").unwrap();
    let last = h.steps.len() - 1;
    assert_eq!(h.step_in_force(day("2026-07-01")), Some(last));
    let earlier = h.step_in_force(day("2026-06-30")).unwrap();
    assert!(earlier < last);
    assert_eq!(h.steps[earlier].by.pack, "standard");
    // A value until the end of 2026, then the standard's again.
    let h = engine.param_history("open_days_min").unwrap();
    let local = h.steps.iter().position(|s| s.by.pack == "local").unwrap();
    assert_eq!(h.step_in_force(day("2026-12-31")), Some(local));
    assert_ne!(h.step_in_force(day("2027-01-01")), Some(local));

    // Every history is listed, by id.
    assert_eq!(engine.rule_histories().count(), engine.rules().count());
    assert!(
        engine
            .param_histories()
            .any(|p| p.name == "local_min_staff")
    );
}

#[test]
fn the_default_packs_have_no_derogation_and_full_provenance() {
    let engine = Engine::standard().unwrap();
    let report = evaluate(&engine, &base_profile());
    assert!(report.derogations.is_empty());
    assert!(report.waiver_problems.is_empty());
    for r in &report.results {
        assert!(r.provenance.changed_by.is_none(), "{}", r.rule);
        assert!(!r.provenance.defined_by.pack.is_empty(), "{}", r.rule);
        for (name, p) in r.params.iter() {
            assert_eq!(p.set_by.pack_ref(), p.layer, "{name}");
            assert!(p.set_by.document.is_some(), "{name}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Waivers.

fn waiver(rule: &str, approved: &str, expires: &str) -> Value {
    json!({
        "clause": rule, "justification": "recruiting in progress",
        "requested_by": "community office", "approved_by": "district office",
        "approved_on": approved, "expires_on": expires
    })
}

/// `engine` applying the profile's own waivers (`--trust-profile-waivers`).
fn trusting(engine: Engine) -> Engine {
    engine.with_options(EvalOptions::new().trust_profile_waivers(true))
}

/// The base profile with 6.4.3 failing (one full-time social worker) and `waivers`.
fn failing_643(waivers: Value) -> Value {
    let mut p = base_profile();
    let mut kept = false;
    let staff: Vec<Value> = p["staff"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| {
            let sw = s["roles"]
                .as_array()
                .is_some_and(|r| r.contains(&json!("social-worker")))
                && s["employment"] == "full-time";
            let keep = !sw || !kept;
            kept |= sw;
            keep
        })
        .cloned()
        .collect();
    p["staff"] = Value::Array(staff);
    p["waivers"] = waivers;
    p
}

#[test]
fn waivers_are_judged_against_the_evaluation_date() {
    let engine = trusting(Engine::standard().unwrap());
    assert_eq!(
        result(&evaluate(&engine, &failing_643(json!([]))), "6.4.3").outcome,
        Outcome::Fail,
        "the fixture must fail 6.4.3"
    );
    // (what, waiver, waived?, problem)
    let cases: Vec<(&str, Value, bool, Option<WaiverProblemKind>)> = vec![
        (
            "valid",
            waiver("6.4.3", "2026-01-10", "2026-12-31"),
            true,
            None,
        ),
        (
            "valid on its last day",
            waiver("6.4.3", "2026-01-10", "2026-06-30"),
            true,
            None,
        ),
        (
            "approved on as_of",
            waiver("6.4.3", "2026-06-30", "2026-12-31"),
            true,
            None,
        ),
        (
            "expired the day before as_of",
            waiver("6.4.3", "2026-01-10", "2026-06-29"),
            false,
            Some(WaiverProblemKind::Expired),
        ),
        (
            "approved after as_of",
            waiver("6.4.3", "2026-07-01", "2026-12-31"),
            false,
            Some(WaiverProblemKind::Future),
        ),
        (
            "self-approved",
            {
                let mut w = waiver("6.4.3", "2026-01-10", "2026-12-31");
                w["approved_by"] = json!("community office");
                w
            },
            false,
            Some(WaiverProblemKind::SelfApproved),
        ),
        (
            "no approver",
            {
                let mut w = waiver("6.4.3", "2026-01-10", "2026-12-31");
                w.as_object_mut().unwrap().remove("approved_by");
                w
            },
            false,
            Some(WaiverProblemKind::NoApprover),
        ),
        (
            "unknown rule",
            waiver("6.4.9", "2026-01-10", "2026-12-31"),
            false,
            Some(WaiverProblemKind::UnknownRule),
        ),
        (
            "expires before approval",
            waiver("6.4.3", "2026-05-10", "2026-05-01"),
            false,
            Some(WaiverProblemKind::InvalidPeriod),
        ),
        (
            "a term of exactly 365 days",
            waiver("6.4.3", "2026-01-10", "2027-01-10"),
            true,
            None,
        ),
        (
            "a term of 366 days",
            waiver("6.4.3", "2026-01-10", "2027-01-11"),
            false,
            Some(WaiverProblemKind::TooLong),
        ),
        (
            "until 9999",
            waiver("6.4.3", "2026-01-10", "9999-12-31"),
            false,
            Some(WaiverProblemKind::TooLong),
        ),
        (
            "no requester",
            {
                let mut w = waiver("6.4.3", "2026-01-10", "2026-12-31");
                w.as_object_mut().unwrap().remove("requested_by");
                w
            },
            false,
            Some(WaiverProblemKind::NoRequester),
        ),
        (
            "no justification",
            {
                let mut w = waiver("6.4.3", "2026-01-10", "2026-12-31");
                w.as_object_mut().unwrap().remove("justification");
                w
            },
            false,
            Some(WaiverProblemKind::NoJustification),
        ),
        (
            "a blank justification",
            {
                let mut w = waiver("6.4.3", "2026-01-10", "2026-12-31");
                w["justification"] = json!(" \u{200b} ");
                w
            },
            false,
            Some(WaiverProblemKind::NoJustification),
        ),
        (
            "self-approved, trailing space and case",
            {
                let mut w = waiver("6.4.3", "2026-01-10", "2026-12-31");
                w["approved_by"] = json!("Community Office ");
                w
            },
            false,
            Some(WaiverProblemKind::SelfApproved),
        ),
        (
            "self-approved, full-width",
            {
                let mut w = waiver("6.4.3", "2026-01-10", "2026-12-31");
                w["approved_by"] = json!("ｃｏｍｍｕｎｉｔｙ　ｏｆｆｉｃｅ");
                w
            },
            false,
            Some(WaiverProblemKind::SelfApproved),
        ),
        (
            "self-approved, zero-width space",
            {
                let mut w = waiver("6.4.3", "2026-01-10", "2026-12-31");
                w["approved_by"] = json!("community\u{200b} office");
                w
            },
            false,
            Some(WaiverProblemKind::SelfApproved),
        ),
        (
            "a chapter 4 shall rule",
            waiver("4.2.1", "2026-01-10", "2026-12-31"),
            false,
            Some(WaiverProblemKind::NonWaivable),
        ),
    ];
    for (what, w, waived, problem) in cases {
        let report = evaluate(&engine, &failing_643(json!([w])));
        let r = result(&report, "6.4.3");
        if waived {
            assert_eq!(r.outcome, Outcome::Waived, "{what}");
            let applied = r.waiver.clone().unwrap();
            assert_eq!(applied.waived_outcome, Outcome::Fail, "{what}");
            assert_eq!(
                (applied.source.as_str(), applied.pointer.as_str()),
                ("profile", "/waivers/0")
            );
            assert!(
                r.observed.is_number() && r.required.is_number(),
                "{what}: values kept"
            );
            assert!(report.waiver_problems.is_empty(), "{what}");
            assert_eq!(report.summary.counts.waived, 1);
        } else {
            assert_eq!(r.outcome, Outcome::Fail, "{what}");
            assert!(r.waiver.is_none());
            let found: Vec<_> = report.waiver_problems.iter().map(|p| p.problem).collect();
            assert_eq!(found, vec![problem.unwrap()], "{what}");
            assert_eq!(report.waiver_problems[0].pointer, "/waivers/0");
            assert!(!report.waiver_problems[0].message.zh.is_empty());
        }
    }
}

#[test]
fn non_waivable_rules_are_not_waived() {
    // Veto rules cannot be waived by default; a pack can say otherwise, or mark any rule.
    let veto = Pack::from_dir(fixtures().join("overlay-veto")).unwrap();
    let engine = Engine::builder().packs([veto.clone()]).build().unwrap();
    let profile: icgs::model::CommunityProfile = serde_json::from_value(json!({
        "id": "v", "as_of": "2026-06-30",
        "waivers": [waiver("V.1", "2026-01-10", "2026-12-31"), waiver("V.2", "2026-01-10", "2026-12-31")]
    }))
    .unwrap();
    let report = trusting(engine).evaluate(profile).unwrap();
    assert_eq!(result(&report, "V.1").outcome, Outcome::Fail);
    assert_eq!(result(&report, "V.2").outcome, Outcome::Waived);
    assert_eq!(report.waiver_problems.len(), 1);
    assert_eq!(
        report.waiver_problems[0].problem,
        WaiverProblemKind::NonWaivable
    );
    assert_eq!(report.waiver_problems[0].rule, "V.1");
    // A layer makes 7.3.4 non-waivable.
    let engine = trusting(build(&[fixtures().join("overlay-local")]).unwrap());
    let mut p = base_profile();
    p["waivers"] = json!([waiver("7.3.4", "2026-01-10", "2026-12-31")]);
    let report = evaluate(&engine, &p);
    assert_eq!(
        report.waiver_problems[0].problem,
        WaiverProblemKind::NonWaivable
    );
}

#[test]
fn a_profile_cannot_waive_its_own_failures_unless_trusted() {
    let profile = failing_643(json!([waiver("6.4.3", "2026-01-10", "2026-12-31")]));
    let report = evaluate(&Engine::standard().unwrap(), &profile);
    assert_eq!(result(&report, "6.4.3").outcome, Outcome::Fail);
    let found: Vec<_> = report.waiver_problems.iter().map(|p| p.problem).collect();
    assert_eq!(found, vec![WaiverProblemKind::Untrusted]);
    assert!(report.waiver_problems[0].message.zh.contains("--waivers"));
    let trusted = evaluate(&trusting(Engine::standard().unwrap()), &profile);
    assert_eq!(result(&trusted, "6.4.3").outcome, Outcome::Waived);
}

#[test]
fn an_overlay_changes_the_waiver_term_and_the_non_waivable_rules() {
    let engine = trusting(
        build_with(vec![overlay(
            "strict",
            "standard",
            "[set_params]\nwaiver_max_days = 90\nnon_waivable_rules = [\"4.1.2\", \"4.1.3\", \"4.1.4\", \"4.2.1\", \"4.2.2\", \"4.3.1\", \"6.4.3\"]\n",
        )])
        .unwrap(),
    );
    let long = evaluate(
        &engine,
        &failing_643(json!([waiver("7.3.4", "2026-01-10", "2026-06-30")])),
    );
    assert_eq!(long.waiver_problems[0].problem, WaiverProblemKind::TooLong);
    let listed = evaluate(
        &engine,
        &failing_643(json!([waiver("6.4.3", "2026-05-10", "2026-06-30")])),
    );
    assert_eq!(result(&listed, "6.4.3").outcome, Outcome::Fail);
    assert_eq!(
        listed.waiver_problems[0].problem,
        WaiverProblemKind::NonWaivable
    );
    // Loosening the term is a derogation, refused without justification.
    let err = build_with(vec![overlay(
        "loose",
        "standard",
        "[set_params]\nwaiver_max_days = 3650\n",
    )]);
    assert!(err.is_err(), "a longer waiver term loosens the standard");
}

#[test]
fn waiver_files_add_to_the_profiles_waivers() {
    let file = serde_json::to_vec(&json!([
        waiver("6.4.3", "2026-01-10", "2026-05-31"),
        { "clause": "6.4.3", "justification": "j", "requested_by": "a", "approved_by": "b",
          "approved_on": "2026-02-01", "expires_on": "2026-12-31", "community": "another" },
        { "clause": "6.4.3", "justification": "j", "requested_by": "a", "approved_by": "b",
          "approved_on": "2026-02-01", "expires_on": "2026-12-31", "community": "base" },
    ]))
    .unwrap();
    let set = WaiverSet::from_json("district-waivers.json", &file).unwrap();
    assert_eq!(set.len(), 3);
    let engine = Engine::standard()
        .unwrap()
        .with_options(EvalOptions::new().waivers(set));
    let mut p = failing_643(json!([]));
    p["id"] = json!("base");
    let report = evaluate(&engine, &p);
    let r = result(&report, "6.4.3");
    assert_eq!(r.outcome, Outcome::Waived);
    let applied = r.waiver.clone().unwrap();
    assert_eq!(
        (applied.source.as_str(), applied.pointer.as_str()),
        ("district-waivers.json", "/2")
    );
    // The expired entry is reported; the one for another community is not this report's.
    assert_eq!(report.waiver_problems.len(), 1);
    assert_eq!(
        report.waiver_problems[0].problem,
        WaiverProblemKind::Expired
    );
    assert_eq!(report.waiver_problems[0].source, "district-waivers.json");
    assert_eq!(report.waiver_problems[0].pointer, "/0");
}

#[test]
fn a_malformed_waiver_file_is_refused_with_line_column_and_pointer() {
    let cases: &[(&str, &str, &str)] = &[
        ("[{ \"clause\": \"6.4.3\",", "waivers.json:1:", "EOF"),
        (
            "{ \"clause\": \"6.4.3\" }",
            "waivers.json:1:1: : expected a list",
            "",
        ),
        (
            "[\n  {\n    \"clause\": \"6.4.3\",\n    \"justification\": \"j\",\n    \"requested_by\": \"a\", \"approved_by\": \"b\",\n    \"approved_on\": \"2026-02-30\",\n    \"expires_on\": \"2026-12-31\"\n  }\n]",
            "waivers.json:6:5: /0/approved_on: `2026-02-30` is not a date",
            "",
        ),
        (
            "[\n  { \"clause\": \"6.4.3\", \"justification\": \"j\", \"approver\": \"b\",\n    \"approved_on\": \"2026-02-01\", \"expires_on\": \"2026-12-31\" }\n]",
            "waivers.json:2:46: /0/approver: unknown field `approver` (did you mean `approved_by`?)",
            "",
        ),
        (
            "[{ \"clause\": \"6.4.3\", \"justification\": \"j\", \"requested_by\": \"a\", \"approved_on\": \"2026-02-01\", \"expires_on\": \"2026-12-31\" }]",
            "waivers.json:1:2: /0: missing field `approved_by`",
            "",
        ),
        (
            "[{ \"clause\": \"6.4.3\", \"justification\": \"j\", \"approved_by\": \"b\", \"approved_on\": \"2026-02-01\", \"expires_on\": \"2026-12-31\" }]",
            "waivers.json:1:2: /0: missing field `requested_by`",
            "",
        ),
        ("[1]", "waivers.json:1:2: /0: expected a waiver object", ""),
        (
            "[{ \"clause\": 643, \"justification\": \"j\", \"approved_by\": \"b\", \"approved_on\": \"2026-02-01\", \"expires_on\": \"2026-12-31\" }]",
            "/0/clause: `clause` must be a text",
            "",
        ),
    ];
    for (text, want, also) in cases {
        let err = WaiverSet::from_json("waivers.json", text.as_bytes()).unwrap_err();
        let message = err.to_string();
        assert!(message.contains(want), "{message}\n  expected {want}");
        assert!(message.contains(also), "{message}");
    }
}

// ---------------------------------------------------------------------------------------
// Determinism.

#[test]
fn the_same_inputs_give_byte_identical_json() {
    let file = serde_json::to_vec(&json!([waiver("6.4.3", "2026-01-10", "2026-12-31")])).unwrap();
    let make = |dirs: &[&str]| {
        let dirs: Vec<PathBuf> = dirs.iter().map(|d| chain_dir().join(d)).collect();
        build(&dirs).unwrap().with_options(
            EvalOptions::new()
                .as_of("2026-07-01")
                .unwrap()
                .trust_profile_waivers(true)
                .waivers(WaiverSet::from_json("w.json", &file).unwrap()),
        )
    };
    let a = make(&["zhejiang", "hangzhou", "binjiang"]);
    let b = make(&["binjiang", "hangzhou", "zhejiang"]);
    let profile = failing_643(json!([waiver("6.4.3", "2026-08-01", "2026-12-31")]));
    let bytes = serde_json::to_vec(&profile).unwrap();
    let once = a
        .check_bytes("p.json", &bytes, &ReadOptions::default())
        .unwrap()
        .to_json()
        .unwrap();
    let again = a
        .check_bytes("p.json", &bytes, &ReadOptions::default())
        .unwrap()
        .to_json()
        .unwrap();
    let other_order = b
        .check_bytes("p.json", &bytes, &ReadOptions::default())
        .unwrap()
        .to_json()
        .unwrap();
    assert_eq!(once, again);
    // Only the pack sources differ with the order given: the same directories, so no.
    assert_eq!(once, other_order);
    let parsed: Value = serde_json::from_str(&once).unwrap();
    assert_eq!(parsed["evaluated_as_of"], "2026-07-01");
    assert_eq!(parsed["waiver_problems"][0]["problem"], "future");
    assert_eq!(parsed["derogations"][0]["id"], "population_max");
}

/// The example chain plus a second district on Hangzhou (Xihu), as library users load them.
fn with_sibling() -> Vec<Pack> {
    let mut packs = Pack::embedded().unwrap();
    packs.extend(Pack::discover(chain_dir()).unwrap());
    packs.extend(Pack::discover(fixtures().join("overlay-sibling-xihu")).unwrap());
    packs
}

#[test]
fn the_library_never_stacks_two_districts_and_makes_the_choice_explicit() {
    let err = Engine::builder().packs(with_sibling()).build().unwrap_err();
    let BuildError::Branches {
        leaf,
        other,
        shared,
        ..
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(
        (leaf.as_str(), other.as_str(), shared.as_deref()),
        ("binjiang", "xihu", Some("hangzhou"))
    );
    assert_eq!(err.overlay_kind(), Some(OverlayErrorKind::Branches));
    assert!(err.to_string().contains("`binjiang` and `xihu`"), "{err}");
    // The library names its own way to choose, never a command-line flag.
    assert!(
        err.to_string()
            .contains("choose one with `EngineBuilder::overlay`, or declare `applies_to`"),
        "{err}"
    );
    assert!(!err.to_string().contains("--overlay"), "{err}");
    assert_eq!(err.location().unwrap().pointer.as_deref(), Some("extends"));

    let named = Engine::builder()
        .packs(with_sibling())
        .overlay("binjiang")
        .build()
        .unwrap();
    assert_eq!(
        named.overlay_chain().overlays,
        ["zhejiang@1.0.0", "hangzhou@1.0.0", "binjiang@1.0.0"]
    );
    assert_eq!(named.overlay_chain().chosen_by, "named");
    assert!(named.rules().all(|r| r.meta.id != "L.XH.1"));

    let placed = Engine::builder()
        .packs(with_sibling())
        .place(Some("杭州市"), Some("西湖区"))
        .build()
        .unwrap();
    assert_eq!(
        placed.overlay_chain().overlays,
        ["zhejiang@1.0.0", "hangzhou@1.0.0", "xihu@1.0.0"]
    );
    assert_eq!(placed.overlay_chain().chosen_by, "applies-to");
    // Elsewhere only the overlays without `applies_to` apply: the province.
    let elsewhere = Engine::builder()
        .packs(with_sibling())
        .place(Some("宁波市"), None)
        .build()
        .unwrap();
    assert_eq!(elsewhere.overlay_chain().overlays, ["zhejiang@1.0.0"]);
}

#[test]
fn applies_to_matches_city_and_district_and_a_missing_place_matches_no_key() {
    let pack = overlay(
        "two-districts",
        "standard",
        "applies_to = { city = \"杭州市\", district = [\"滨江区\", \"西湖区\"] }",
    );
    let a = pack.manifest.applies_to.unwrap();
    assert!(a.matches(Some("杭州市"), Some("西湖区")));
    assert!(!a.matches(Some("杭州市"), Some("拱墅区")));
    assert!(!a.matches(None, Some("滨江区")));
    assert!(!a.matches(Some("杭州市"), None));
    assert!(icgs::pack::AppliesTo::default().matches(None, None));
    let text = "id = \"p\"\nname = { zh = \"测试\", en = \"Test\" }\nversion = \"1.0.0\"\nrequires = \"*\"\nedition = \"test\"\nlayer = \"overlay\"\napplies_to = { province = \"浙江省\" }\n";
    let err = Manifest::parse(text, "p/pack.toml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("province"), "{err}");
}
