//! Profile format 2.0 (REVISION-2 C): the version check and the fields of 6.1.2, 7.4.2, 7.7.3
//! and 7.7.4, on the `valid.json` fixture changed one field at a time.

#![allow(clippy::unwrap_used, clippy::panic, reason = "tests fail loudly")]

use std::path::Path;

use icgs::{ProblemCode, ProfileError, ReadOptions, Validation, read_profile, validate};

fn valid() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/validate/valid.json");
    std::fs::read_to_string(path).unwrap()
}

/// `valid.json` with `from` replaced by `to` (which must occur).
fn changed(from: &str, to: &str) -> String {
    let text = valid();
    assert!(text.contains(from), "`{from}` is not in valid.json");
    text.replacen(from, to, 1)
}

fn problems(text: &str) -> Validation {
    validate("p.json", text.as_bytes(), &ReadOptions::default())
}

const ENTERPRISES: &str = r#""enterprises": { "count": 120, "key": [{ "id": "ent-1", "visits": ["2026-05-12"] }], "buildings": ["b1", "b2"] },"#;

#[test]
fn a_1_0_profile_is_refused_naming_icgs_migrate() {
    let text = changed(r#""schema_version": "2.0""#, r#""schema_version": "1.0""#);
    let v = problems(&text);
    assert_eq!(v.problems.len(), 1, "only the version is reported");
    let p = &v.problems[0];
    assert_eq!(p.code(), ProblemCode::SchemaVersion);
    assert_eq!((p.pointer(), p.line()), ("/schema_version", Some(2)));
    assert!(
        p.message_zh().starts_with("档案为 1.0 格式"),
        "in Chinese: {}",
        p.message_zh()
    );
    assert!(
        p.message_zh().contains("icgs migrate"),
        "{}",
        p.message_zh()
    );
    assert!(p.message().contains("icgs migrate"), "{p}");
    assert!(p.message().contains("format 1.0"), "{p}");
    assert!(v.profile.is_none());
    match read_profile("p.json", text.as_bytes(), &ReadOptions::default()) {
        Err(e @ ProfileError::Version(_)) => assert!(e.to_string().contains("icgs migrate")),
        other => panic!("expected a refused version, got {other:?}"),
    }
}

#[test]
fn an_unknown_version_is_refused_too() {
    let v = problems(&changed(
        r#""schema_version": "2.0""#,
        r#""schema_version": "3.1""#,
    ));
    assert_eq!(v.problems.len(), 1);
    assert_eq!(v.problems[0].code(), ProblemCode::SchemaVersion);
    assert!(v.problems[0].message().contains("`3.1`"));
}

#[test]
fn the_2_0_fixture_is_valid() {
    let v = problems(&valid());
    assert!(v.is_valid(), "{:?}", v.problems);
}

#[test]
fn a_key_enterprise_id_instead_of_an_object_does_not_fit() {
    let v = problems(&changed(
        ENTERPRISES,
        r#""enterprises": { "count": 120, "key": ["ent-1"] },"#,
    ));
    let p = v
        .problems
        .iter()
        .find(|p| p.pointer() == "/enterprises/key/0")
        .unwrap();
    assert_eq!(p.code(), ProblemCode::Type, "{p}");
}

#[test]
fn key_enterprise_visits_are_required_real_and_not_after_as_of() {
    let v = problems(&changed(
        ENTERPRISES,
        r#""enterprises": { "count": 120, "key": [{ "id": "ent-1" }, { "id": "ent-2", "visits": ["2026-02-30", "2026-07-01"] }, { "id": "ent-1", "visits": [] }] },"#,
    ));
    let found: Vec<(ProblemCode, &str)> =
        v.problems.iter().map(|p| (p.code(), p.pointer())).collect();
    assert!(
        found.contains(&(ProblemCode::MissingField, "/enterprises/key/0")),
        "{found:?}"
    );
    assert!(
        found.contains(&(ProblemCode::Format, "/enterprises/key/1/visits/0")),
        "{found:?}"
    );
    assert!(
        found.contains(&(ProblemCode::DateAfterAsOf, "/enterprises/key/1/visits/1")),
        "{found:?}"
    );
    assert!(
        found.contains(&(ProblemCode::DuplicateId, "/enterprises/key/2/id")),
        "{found:?}"
    );
    assert!(v.profile.is_some(), "still evaluated");
}

#[test]
fn served_12m_above_the_count_is_a_range_problem() {
    let at = |served: u32| {
        problems(&changed(
            ENTERPRISES,
            &format!(r#""enterprises": {{ "count": 120, "served_12m": {served}, "key": [] }},"#),
        ))
    };
    assert!(at(120).is_valid(), "equal to the count is valid");
    let v = at(121);
    assert_eq!(v.problems.len(), 1, "{:?}", v.problems);
    let p = &v.problems[0];
    assert_eq!(
        (p.code(), p.pointer()),
        (ProblemCode::Range, "/enterprises/served_12m")
    );
    assert!(
        p.message().contains("`121`") && p.message().contains("`120`"),
        "{p}"
    );
}

#[test]
fn party_members_is_a_whole_number_on_an_organisation() {
    let text = valid();
    let at = text.find(r#""kind": "party-organization""#).unwrap();
    let mut with = text.clone();
    with.insert_str(at, r#""party_members": 64, "#);
    assert!(problems(&with).is_valid());
    let mut wrong = text;
    wrong.insert_str(at, r#""party_members": "64", "#);
    let v = problems(&wrong);
    assert_eq!(v.problems[0].code(), ProblemCode::Type);
    assert_eq!(v.problems[0].suggestion(), Some("64"));
}

#[test]
fn indicators_outside_the_vocabulary_get_a_suggestion_in_either_language() {
    let platform = r#""platform": { "name": "平台", "dashboard_indicators": ["产业人口", "enterprise", "事件/诉求", "budget", "party-building"] },"#;
    let v = problems(&changed(
        ENTERPRISES,
        &format!("{ENTERPRISES}\n  {platform}"),
    ));
    let suggestions: Vec<(&str, Option<&str>)> = v
        .problems
        .iter()
        .filter(|p| p.code() == ProblemCode::Enum)
        .map(|p| (p.pointer(), p.suggestion()))
        .collect();
    assert_eq!(
        suggestions,
        [
            ("/platform/dashboard_indicators/0", Some("population")),
            ("/platform/dashboard_indicators/1", Some("enterprises")),
            ("/platform/dashboard_indicators/2", Some("cases")),
            ("/platform/dashboard_indicators/3", None),
        ]
    );
    assert!(
        v.profile.is_some(),
        "free text does not make the profile unreadable"
    );
}
