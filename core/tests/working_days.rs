//! The working-day calendar as pack data (REVISION-2 D): what rules 7.2.3 and 7.2.4 say when
//! a year is missing or requests are late, and how overlays add local dates.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::path::{Path, PathBuf};

use icgs::pack::{BuildError, Manifest, Pack, ParamValue};
use icgs::report::{Outcome, Report, RuleResult};
use icgs::{Engine, ReadOptions};
use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn overlay(body: &str) -> Pack {
    let text = format!(
        "id = \"local\"\nname = {{ zh = \"测试\", en = \"Test\" }}\nversion = \"1.0.0\"\nrequires = \"*\"\nedition = \"test\"\nlayer = \"overlay\"\nextends = {{ id = \"standard\", version = \"*\" }}\n{body}"
    );
    Pack {
        manifest: Manifest::parse(&text, "local/pack.toml").unwrap(),
        source: "local".to_owned(),
        rules: Vec::new(),
    }
}

fn engine(extra: Vec<Pack>) -> Result<Engine, BuildError> {
    let mut packs = Pack::embedded().unwrap();
    packs.extend(extra);
    Engine::builder().packs(packs).build()
}

/// The standard pack's test base with `cases` (and `as_of`, when given) replaced.
fn evaluate(engine: &Engine, cases: Value, as_of: Option<&str>) -> Report {
    let text = std::fs::read_to_string(root().join("policies/standard/tests/base.json")).unwrap();
    let mut profile: Value = serde_json::from_str(&text).unwrap();
    profile["cases"] = cases;
    if let Some(d) = as_of {
        profile["as_of"] = json!(d);
    }
    let bytes = serde_json::to_vec(&profile).unwrap();
    let (profile, _) = icgs::read_profile("test", &bytes, &ReadOptions::default()).unwrap();
    engine.evaluate(profile).unwrap()
}

fn result<'a>(report: &'a Report, rule: &str) -> &'a RuleResult {
    report.results.iter().find(|r| r.rule == rule).unwrap()
}

fn case(id: &str, received: &str, responded: Option<&str>, closed: Option<&str>) -> Value {
    let mut c = json!({ "id": id, "kind": "enterprise-request", "source": "platform", "received_at": received });
    if let Some(r) = responded {
        c["responded_at"] = json!(r);
    }
    if let Some(x) = closed {
        c["closed_at"] = json!(x);
    }
    c
}

#[test]
fn the_standard_pack_carries_2025_and_2026_with_their_notices() {
    let packs = Pack::embedded().unwrap();
    let standard = packs.iter().find(|p| p.manifest.id == "standard").unwrap();
    let ParamValue::Calendar(c) = &standard.manifest.params["calendar"].default else {
        panic!("`calendar` is not a calendar");
    };
    assert_eq!(
        c.years.keys().copied().collect::<Vec<_>>(),
        vec![2025, 2026]
    );
    assert!(c.years[&2026].notice.contains("2026年部分节假日安排"));
    assert_eq!(c.years[&2026].date, "2025-11-04");
    assert_eq!(c.years[&2025].date, "2024-11-12");
    let d = |s: &str| icgs::facts::parse_date(s).unwrap();
    // 2026: Spring Festival 2-15…2-23 (9 days), 调休 2-14 and 2-28; National Day 10-1…10-7.
    assert_eq!(
        c.holidays.range(d("2026-02-01")..d("2026-03-01")).count(),
        9
    );
    assert!(c.is_working_day(d("2026-02-28")).unwrap());
    assert!(!c.is_working_day(d("2026-10-07")).unwrap());
    assert!(c.is_working_day(d("2026-10-10")).unwrap());
    // 2025: Spring Festival 1-28…2-4 (8 days), National Day and Mid-Autumn 10-1…10-8.
    assert!(!c.is_working_day(d("2025-02-04")).unwrap());
    assert!(c.is_working_day(d("2025-01-26")).unwrap());
    assert!(!c.is_working_day(d("2025-10-08")).unwrap());
    assert_eq!(c.holidays.len(), 28 + 33);
    assert_eq!(c.adjusted_workdays.len(), 11);
}

#[test]
fn a_missing_year_is_named_in_the_message() {
    let engine = engine(Vec::new()).unwrap();
    let report = evaluate(
        &engine,
        json!([case(
            "K1",
            "2026-12-28T10:00:00+08:00",
            Some("2026-12-28T11:00:00+08:00"),
            Some("2026-12-29T17:00:00+08:00")
        )]),
        Some("2026-12-31"),
    );
    let r = result(&report, "7.2.4");
    assert_eq!(r.outcome, Outcome::InsufficientData);
    assert!(
        r.message.zh.contains("工作日历未收录的年份：2027"),
        "{}",
        r.message.zh
    );
    assert!(r.message.en.contains("2027"), "{}", r.message.en);
    assert_eq!(result(&report, "7.2.3").outcome, Outcome::Pass);

    let report = evaluate(
        &engine,
        json!([case(
            "K1",
            "2024-06-03T09:00:00+08:00",
            Some("2024-06-03T10:00:00+08:00"),
            None
        )]),
        None,
    );
    let r = result(&report, "7.2.3");
    assert_eq!(r.outcome, Outcome::InsufficientData);
    assert!(r.message.zh.contains("2024"), "{}", r.message.zh);
}

#[test]
fn a_failure_names_the_late_requests() {
    let engine = engine(Vec::new()).unwrap();
    let report = evaluate(
        &engine,
        json!([
            case(
                "K1",
                "2026-06-01T09:00:00+08:00",
                Some("2026-06-01T10:00:00+08:00"),
                Some("2026-06-02T10:00:00+08:00")
            ),
            case(
                "K2",
                "2026-06-01T09:00:00+08:00",
                Some("2026-06-03T10:00:00+08:00"),
                Some("2026-06-20T10:00:00+08:00")
            ),
            case("K3", "2026-06-22T09:00:00+08:00", None, None),
        ]),
        None,
    );
    let r = result(&report, "7.2.3");
    assert_eq!(r.outcome, Outcome::Fail);
    assert!(
        r.message.zh.contains("超时的诉求：K2、K3"),
        "{}",
        r.message.zh
    );
    assert!(
        r.message.en.contains("late requests: K2, K3"),
        "{}",
        r.message.en
    );
    let r = result(&report, "7.2.4");
    assert_eq!(r.outcome, Outcome::Fail);
    assert!(
        r.message.zh.contains("逾期的诉求：K2、K3"),
        "{}",
        r.message.zh
    );
}

#[test]
fn an_overlay_adjusted_working_day_tightens_and_applies() {
    // Received Friday 2026-06-12 10:00, answered Monday 06-15 09:00: on time nationally;
    // late when the overlay makes Saturday 06-13 a working day.
    let cases = json!([case(
        "K1",
        "2026-06-12T10:00:00+08:00",
        Some("2026-06-15T09:00:00+08:00"),
        None
    )]);
    let national = evaluate(&engine(Vec::new()).unwrap(), cases.clone(), None);
    assert_eq!(result(&national, "7.2.3").outcome, Outcome::Pass);
    let local = engine(vec![overlay(
        "[set_params.calendar]\nvalue = { adjusted_workdays = [\"2026-06-13\"] }\n",
    )])
    .unwrap();
    let report = evaluate(&local, cases, None);
    let r = result(&report, "7.2.3");
    assert_eq!(r.outcome, Outcome::Fail);
    let used = &r.params["calendar"];
    assert_eq!(used.layer.to_string(), "local@1.0.0");
    // The national dates are kept: the overlay adds to them.
    let workdays = used.value["adjusted_workdays"].as_array().unwrap();
    assert!(workdays.contains(&json!("2026-06-13")));
    assert!(workdays.contains(&json!("2026-02-14")));
    assert!(report.derogations.is_empty());
}

#[test]
fn an_overlay_holiday_is_a_derogation() {
    let body = "[set_params.calendar]\nvalue = { holidays = [\"2026-06-15\"] }\n";
    let err = engine(vec![overlay(body)]).unwrap_err().to_string();
    assert!(
        err.contains("loosens") && err.contains("derogation"),
        "{err}"
    );
    let with = format!(
        "{body}derogation = {{ justification = \"地方节日\", document = \"某区人民政府通知\" }}\n"
    );
    let engine = engine(vec![overlay(&with)]).unwrap();
    // Received Friday 06-12 10:00, answered Tuesday 06-16 09:00: late nationally, on time
    // when Monday 06-15 is a local holiday.
    let report = evaluate(
        &engine,
        json!([case(
            "K1",
            "2026-06-12T10:00:00+08:00",
            Some("2026-06-16T09:00:00+08:00"),
            None
        )]),
        None,
    );
    assert_eq!(result(&report, "7.2.3").outcome, Outcome::Pass);
    assert_eq!(report.derogations.len(), 1);
    assert_eq!(report.derogations[0].id, "calendar");
}

#[test]
fn a_calendar_file_must_be_valid_and_beside_the_manifest() {
    let dir = std::env::temp_dir().join(format!("icgs-calendar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let manifest = "id = \"local\"\nname = { zh = \"测试\", en = \"Test\" }\nversion = \"1.0.0\"\nrequires = \"*\"\nedition = \"test\"\nlayer = \"overlay\"\nextends = { id = \"standard\", version = \"*\" }\n[set_params.calendar]\nvalue = { file = \"local.toml\" }\n";
    std::fs::write(dir.join("pack.toml"), manifest).unwrap();
    std::fs::write(
        dir.join("local.toml"),
        "adjusted_workdays = [\"2026-06-10\"]\n",
    )
    .unwrap();
    let err = Pack::from_dir(&dir).unwrap_err().to_string();
    assert!(
        err.contains("local.toml") && err.contains("only a Saturday or Sunday"),
        "{err}"
    );
    std::fs::write(
        dir.join("local.toml"),
        "adjusted_workdays = [\"2026-06-13\"]\n",
    )
    .unwrap();
    let pack = Pack::from_dir(&dir).unwrap();
    assert!(engine(vec![pack]).is_ok());
    std::fs::write(
        dir.join("pack.toml"),
        manifest.replace("local.toml", "../local.toml"),
    )
    .unwrap();
    let err = Pack::from_dir(&dir).unwrap_err().to_string();
    assert!(err.contains("without a directory"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
