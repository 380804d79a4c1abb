#![allow(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

use super::*;

fn notes(list: &[MigrationNote]) -> Vec<&str> {
    list.iter().map(|n| n.pointer.as_str()).collect()
}

const V1: &str = r#"{
  "schema_version": "1.0",
  "id": "x",
  "as_of": "2026-06-30",
  "enterprises": {"count": 40, "key": ["e1", "e2"]},
  "organizations": [
    {"id": "p", "kind": "party-organization", "troika": true, "level": "branch"},
    {"id": "c", "kind": "governance-committee", "troika": false}
  ],
  "staff": [{"id": "s1", "roles": ["grid-worker"]}],
  "grids": {"model": "1+3+N", "items": [{"id": "g1", "one": ["s1"], "visits_12m": 7}]},
  "safety": {"emergency_plans": [
    {"name": "a", "approved_on": "2025-01-01", "last_drill_on": "2026-03-01"},
    {"name": "b", "approved_on": "2025-01-01"}
  ]},
  "platform": {"dashboard_indicators": ["产业人口", "services", "园区GDP"]}
}"#;

#[test]
fn rewrites_every_retired_shape_and_keeps_key_order() {
    let m = migrate(V1.as_bytes()).expect("a 1.0 profile");
    assert_eq!(m.from, "1.0");
    assert!(!m.was_current());
    let out: serde_json::Value = serde_json::from_str(&m.profile).expect("JSON out");
    assert_eq!(out["schema_version"], "2.0");
    assert_eq!(
        out["enterprises"]["key"],
        serde_json::json!([{"id": "e1", "visits": []}, {"id": "e2", "visits": []}])
    );
    assert!(out["organizations"][0].get("troika").is_none());
    assert!(out["organizations"][1].get("troika").is_none());
    assert!(out["grids"]["items"][0].get("visits_12m").is_none());
    let plans = &out["safety"]["emergency_plans"];
    assert_eq!(plans[0]["drills"], serde_json::json!(["2026-03-01"]));
    assert!(plans[0].get("last_drill_on").is_none());
    assert_eq!(plans[1]["drills"], serde_json::json!([]));
    assert_eq!(
        out["platform"]["dashboard_indicators"],
        serde_json::json!(["population", "services", "other"])
    );
    // Keys keep the order they were written in.
    let keys: Vec<&str> = m
        .profile
        .lines()
        .filter(|l| l.starts_with("  \""))
        .map(|l| l.trim().split('"').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        keys,
        [
            "schema_version",
            "id",
            "as_of",
            "enterprises",
            "organizations",
            "staff",
            "grids",
            "safety",
            "platform"
        ]
    );
}

#[test]
fn logs_every_change_and_everything_left_to_fill() {
    let m = migrate(V1.as_bytes()).expect("a 1.0 profile");
    assert_eq!(
        notes(&m.changes),
        [
            "/schema_version",
            "/enterprises/key",
            "/organizations/0/troika",
            "/organizations/1/troika",
            "/grids/items/0/visits_12m",
            "/safety/emergency_plans/0/drills",
            "/platform/dashboard_indicators/0",
        ]
    );
    assert_eq!(
        notes(&m.to_fill),
        [
            "/enterprises/key/0/visits",
            "/enterprises/key/1/visits",
            "/enterprises/served_12m",
            "/organizations/0/party_members",
            "/grids/items",
            "/safety/emergency_plans/0/drills",
            "/safety/emergency_plans/1/drills",
            "/platform/dashboard_indicators/2",
            "/staff",
        ]
    );
    // The retired values survive in the log; the unmatched indicator is named.
    let log: String = m
        .changes
        .iter()
        .chain(&m.to_fill)
        .map(|n| n.zh.clone())
        .collect();
    assert!(log.contains("原值 7"), "{log}");
    assert!(log.contains("园区GDP"), "{log}");
    assert!(m.changes.iter().chain(&m.to_fill).all(|n| !n.en.is_empty()));
}

#[test]
fn a_current_profile_is_returned_unchanged() {
    let v2 = "{\"schema_version\": \"2.0\", \"id\": \"x\"}\n";
    let m = migrate(v2.as_bytes()).expect("a 2.0 profile");
    assert!(m.was_current());
    assert_eq!(m.profile, v2);
    assert!(m.changes.is_empty() && m.to_fill.is_empty());
}

#[test]
fn no_version_is_1_0_and_an_unknown_version_is_refused() {
    let m = migrate(br#"{"id": "x"}"#).expect("no version is 1.0");
    assert_eq!(m.from, "1.0");
    assert!(m.profile.contains("\"schema_version\": \"2.0\""));
    assert_eq!(
        migrate(br#"{"schema_version": "3.1"}"#),
        Err(MigrateError::UnknownFormat("3.1".to_owned()))
    );
    assert_eq!(
        migrate(br#"{"schema_version": 1}"#),
        Err(MigrateError::UnknownFormat("1".to_owned()))
    );
}

#[test]
fn bad_input_is_named() {
    match migrate(b"{\n  \"id\": \"x\",,\n}") {
        Err(MigrateError::Syntax { line, column, .. }) => assert_eq!((line, column), (2, 13)),
        other => panic!("expected a syntax error, got {other:?}"),
    }
    assert_eq!(
        migrate(b"[1]"),
        Err(MigrateError::NotAnObject { found: "an array" })
    );
}

#[test]
fn indicators_map_codes_chinese_names_and_synonyms() {
    assert_eq!(indicator_code("grids"), "grids");
    assert_eq!(indicator_code(" 满意度 "), "satisfaction");
    assert_eq!(indicator_code("事件/诉求"), "cases");
    assert_eq!(indicator_code("党建"), "party-building");
    assert_eq!(indicator_code("某个新指标"), "other");
}
