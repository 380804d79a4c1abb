//! Each rule of counting, pinned (READINGS G3–G8 and the rule rows).

#![allow(clippy::unwrap_used, reason = "tests")]

use serde_json::{Value, json};

use super::*;

fn facts(profile: Value) -> Facts {
    let mut base = json!({ "id": "t", "as_of": "2026-06-30" });
    if let (Value::Object(b), Value::Object(p)) = (&mut base, profile) {
        b.extend(p);
    }
    Facts::derive(&serde_json::from_value(base).unwrap()).unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn premise(id: &str, area: Value, ownership: &str, agreement: Value, spaces: Value) -> Value {
    json!({ "id": id, "floor_area_m2": area, "ownership": ownership, "shared_agreement": agreement, "spaces": spaces })
}

#[test]
fn shared_space_counts_toward_premises_only_with_a_written_agreement() {
    let f = facts(json!({ "premises": [
        premise("a", json!(1000), "government", Value::Null, json!([])),
        premise("b", json!(400), "shared", json!(true), json!([])),
        premise("c", json!(300), "shared", json!(false), json!([])),
        premise("d", json!(200), "shared", Value::Null, json!([])),
    ]}));
    assert_eq!(f.supporting_area_m2, Some(dec("1400")));
    assert_eq!(
        f.shared_without_agreement,
        Some(2),
        "an absent agreement is no agreement (G3)"
    );
}

#[test]
fn a_missing_area_of_a_counted_premise_leaves_the_sum_unknown() {
    let f = facts(json!({ "premises": [
        premise("a", json!(1600), "government", Value::Null, json!([])),
        premise("b", Value::Null, "leased", Value::Null, json!([])),
    ]}));
    assert_eq!(
        f.supporting_area_m2, None,
        "G4: even though 1600 alone would decide"
    );
    // An uncounted premise's area is not needed.
    let f = facts(json!({ "premises": [
        premise("a", json!(1600), "government", Value::Null, json!([])),
        premise("b", Value::Null, "shared", Value::Null, json!([])),
    ]}));
    assert_eq!(f.supporting_area_m2, Some(dec("1600")));
}

#[test]
fn activity_area_counts_only_service_activity_spaces_of_counted_premises() {
    let f = facts(json!({ "premises": [
        premise("a", json!(1000), "government", Value::Null, json!([
            { "kind": "maker", "area_m2": 500.5, "service_activity": true },
            { "kind": "service-hall", "area_m2": 100, "service_activity": false },
            { "kind": "social", "area_m2": 99.5 }
        ])),
        premise("b", json!(300), "shared", Value::Null, json!([
            { "kind": "maker", "area_m2": 300, "service_activity": true }
        ])),
    ]}));
    assert_eq!(f.activity_area_m2, Some(dec("500.5")));
    assert_eq!(f.activity_share, Some(0.5005));
    // Maker area and space kinds take every premise, shared ones without agreement too.
    assert_eq!(f.maker_area_m2, Some(dec("800.5")));
    assert_eq!(
        f.space_kinds,
        Some(vec![
            crate::model::SpaceKind::Maker,
            crate::model::SpaceKind::Social,
            crate::model::SpaceKind::ServiceHall
        ])
    );
}

#[test]
fn absent_premises_are_missing_and_an_empty_list_is_zero() {
    let f = facts(json!({}));
    assert_eq!(
        (f.supporting_area_m2, f.open_weekdays, f.space_kinds.clone()),
        (None, None, None)
    );
    let f = facts(json!({ "premises": [] }));
    assert_eq!(f.supporting_area_m2, Some(Decimal::ZERO));
    assert_eq!(f.activity_share, None, "zero supporting area has no share");
    assert_eq!(f.open_weekdays, Some(0));
}

#[test]
fn opening_days_are_distinct_and_offpeak_sessions_count_once_per_premise() {
    let hours = |h: Value| json!({ "id": "p", "floor_area_m2": 1, "ownership": "government", "opening_hours": h });
    let weekday = |d: u8, o: &str, c: &str| json!({ "weekday": d, "open": o, "close": c });
    let f = facts(json!({ "premises": [
        hours(json!([
            weekday(1, "08:30", "18:30"),   // spans lunch: off-peak
            weekday(1, "08:30", "18:30"),   // identical: counted once
            weekday(2, "09:00", "12:00"),   // morning only
            weekday(3, "13:00", "18:00"),   // closes at 18:00: not after 18:00
            weekday(4, "13:00", "18:01"),   // after 18:00
            weekday(6, "10:00", "11:00"),   // weekend
        ])),
        hours(json!([ weekday(1, "08:30", "18:30") ])), // another premise counts again
    ]}));
    assert_eq!(f.open_weekdays, Some(5));
    assert_eq!(f.offpeak_sessions, Some(4));
    assert!(
        is_offpeak(2, "12:00", "13:30"),
        "open across 12:00–13:30, both ends inclusive"
    );
    assert!(!is_offpeak(2, "12:01", "13:30"));
}

#[test]
fn staff_counts() {
    let f = facts(json!({
        "organizations": [{ "id": "st", "kind": "enterprise-social-work-station" }],
        "staff": [
            { "id": "a", "roles": ["social-worker"], "employment": "full-time", "certificate": "assistant", "org_ids": ["st"] },
            { "id": "b", "roles": ["social-worker"], "employment": "full-time", "certificate": "none", "org_ids": ["st"] },
            { "id": "c", "roles": ["social-worker"], "employment": "part-time", "certificate": "senior", "org_ids": ["st"] },
            { "id": "d", "roles": ["grid-worker"], "employment": "full-time", "certificate": "intermediate" },
            { "id": "e", "roles": ["social-worker"], "employment": "full-time", "certificate": "senior", "org_ids": ["other"] }
        ]
    }));
    assert_eq!(f.full_time_staff, Some(4));
    assert_eq!(f.full_time_certified, Some(3), "any role counts (6.6.2)");
    assert_eq!(f.certified_share, Some(0.75));
    assert_eq!(
        f.full_time_social_workers,
        Some(3),
        "certificate not required (6.4.3)"
    );
    assert_eq!(
        f.station_certified_social_workers,
        Some(2),
        "certified, linked to a station, any employment (6.4.2)"
    );
}

#[test]
fn grids_one_is_the_first_staff_record_and_the_partition_is_a_set() {
    let f = facts(json!({
        "enterprises": { "count": 10, "buildings": ["B1", "B2", "B3", "B1"] },
        "staff": [
            { "id": "g", "roles": ["grid-worker"], "employment": "full-time", "certificate": "none" },
            { "id": "g", "roles": ["volunteer"], "employment": "volunteer", "certificate": "none" },
            { "id": "h", "roles": ["volunteer"], "employment": "volunteer", "certificate": "none" }
        ],
        "grids": { "items": [
            { "id": "1", "one": ["g"], "three": ["x", "x", "x"], "buildings": ["B1", "B1"], "visits_12m": 4 },
            { "id": "2", "one": ["h"], "three": ["a", "b", "c"], "buildings": ["B2", "B9"], "visits_12m": 6 },
            { "id": "3", "one": ["g", "g"], "three": ["a", "b", "c"], "buildings": [] }
        ]}
    }));
    assert_eq!(
        f.grids_not_1_3_n,
        Some(2),
        "grid 2: not a grid worker; grid 3: two in `one`"
    );
    // B3 in no grid, B9 not on the building list; B1 twice in one grid is one grid.
    assert_eq!(f.building_partition_faults, Some(2));
    assert_eq!(f.grid_visits_12m, None, "grid 3 lacks visits_12m (G4)");
}

#[test]
fn cases_timings() {
    let f = facts(json!({ "cases": [
        { "id": "1", "kind": "emergency", "received_at": "2026-06-26T17:00:00+08:00", "responded_at": "2026-06-26T09:30:00Z", "closed_at": "2026-07-03T10:00:00+08:00", "feedback_given": true },
        { "id": "2", "received_at": "2026-06-26T10:00:00+08:00", "closed_at": "2026-06-29T10:00:00+08:00" },
        { "id": "3", "received_at": "not a time" }
    ]}));
    assert_eq!(
        f.closed_without_feedback,
        Some(1),
        "absent feedback_given is false"
    );
    assert_eq!(f.late_emergencies(dec("30")), Some(0));
    let calendar: super::Calendar = serde_json::from_value(json!({
        "holidays": [], "adjusted_workdays": [],
        "years": { "2026": { "notice": "n", "date": "2025-11-04" } }
    }))
    .unwrap();
    assert_eq!(
        f.requests_answered_in_time(&calendar),
        None,
        "case 2 has no kind, case 3 no valid received_at (G4)"
    );
}

#[test]
fn requests_counted_against_working_days() {
    let f = facts(json!({ "cases": [
        // Answered Monday 09:00 after a Friday 17:30 receipt: on time.
        { "id": "a", "kind": "complaint", "received_at": "2026-06-26T17:30:00+08:00", "responded_at": "2026-06-29T09:00:00+08:00", "closed_at": "2026-07-03T10:00:00+08:00" },
        // Unanswered, deadline 2026-06-30 = as_of: left out of 7.2.3; open and not due.
        { "id": "b", "kind": "enterprise-request", "received_at": "2026-06-29T10:00:00+08:00" },
        // Unanswered, deadline 2026-06-23 before as_of: late; due 06-29: late.
        { "id": "c", "kind": "employee-request", "received_at": "2026-06-22T10:00:00+08:00" },
        // Emergencies and labour disputes count for neither.
        { "id": "e", "kind": "emergency", "received_at": "2026-06-01T10:00:00+08:00" },
        { "id": "l", "kind": "labour-dispute", "received_at": "2026-06-01T10:00:00+08:00", "responded_at": "2026-06-01T11:00:00+08:00" }
    ]}));
    let calendar: super::Calendar = serde_json::from_value(json!({
        "holidays": [], "adjusted_workdays": [],
        "years": { "2026": { "notice": "n", "date": "2025-11-04" } }
    }))
    .unwrap();
    let answered = f.requests_answered_in_time(&calendar).unwrap().unwrap();
    assert_eq!(
        (answered.in_time, answered.counted),
        (2, 3),
        "a, l on time; c late"
    );
    assert_eq!(answered.late, vec!["c".to_owned()]);
    let ordinary = [
        CaseKind::EnterpriseRequest,
        CaseKind::EmployeeRequest,
        CaseKind::Complaint,
    ];
    let closed = f
        .requests_closed_in_time(&calendar, &ordinary, 5)
        .unwrap()
        .unwrap();
    assert_eq!(
        (closed.in_time, closed.counted),
        (1, 2),
        "a in time; c late; b not due"
    );
    let outside = f
        .requests_closed_in_time(&calendar, &ordinary, 200)
        .unwrap();
    assert_eq!(outside.unwrap_err().year, 2027);
}

#[test]
fn the_latest_evaluation_is_the_greatest_valid_date_ties_to_the_first() {
    let f = facts(json!({ "evaluations": [
        { "id": "a", "date": "2025-12-01" },
        { "id": "b", "date": "2026-03-01" },
        { "id": "c", "date": "2026-03-01" },
        { "id": "d", "date": "2026-02-30" },
        { "id": "e" }
    ]}));
    assert_eq!(f.latest_evaluation, Some(1));
    assert_eq!(
        f.previous_evaluation,
        Some(0),
        "strictly before the latest's date"
    );
}

#[test]
fn drills_and_the_catalogue_age() {
    let f = facts(json!({
        "safety": { "emergency_plans": [
            { "name": "a", "last_drill_on": "2025-06-30" },
            { "name": "b", "last_drill_on": "2026-01-01" },
            { "name": "c" }
        ]},
        "service_catalogue": { "published_on": "2025-06-29", "items": [] }
    }));
    assert_eq!(f.days_since_last_drill, Some(180));
    assert_eq!(
        f.plans_not_drilled_within(365),
        Some(1),
        "an undrilled plan is not drilled"
    );
    assert_eq!(f.plans_not_drilled_within(182), Some(2));
    assert_eq!(
        f.months_since_catalogue_published,
        Some(13),
        "12 months and a day is past 12"
    );
}

#[test]
fn hazards_sum_and_a_missing_count_is_unknown() {
    let f = facts(json!({ "safety": { "inspections": [
        { "date": "2026-01-10", "hazards_found": 3, "hazards_closed": 3 },
        { "date": "2025-06-30", "hazards_found": 2, "hazards_closed": 1 }
    ]}}));
    assert_eq!((f.hazards_found, f.hazards_closed), (Some(5), Some(4)));
    assert_eq!(
        f.inspections_in_last_months(12),
        Some(1),
        "the window's first day is outside"
    );
    let f = facts(
        json!({ "safety": { "inspections": [ { "date": "2026-01-10", "hazards_found": 3 } ]}}),
    );
    assert_eq!(f.hazards_closed, None);
}
