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
fn the_building_partition_is_a_set() {
    let f = facts(json!({
        "enterprises": { "count": 10, "buildings": ["B1", "B2", "B3", "B1"] },
        "grids": { "items": [
            { "id": "1", "buildings": ["B1", "B1"] },
            { "id": "2", "buildings": ["B2", "B9"] },
            { "id": "3", "buildings": [] }
        ]}
    }));
    // B3 in no grid, B9 not on the building list; B1 twice in one grid is one grid.
    assert_eq!(f.building_partition_faults, Some(2));
}

fn slots() -> Vec<String> {
    [
        "grid-worker:full-time",
        "grid-worker:part-time",
        "grid-supervisor",
    ]
    .map(String::from)
    .to_vec()
}

fn person(id: &str, roles: &[&str], employment: &str) -> Value {
    json!({ "id": id, "roles": roles, "employment": employment, "certificate": "none" })
}

fn staffed(grids: Value) -> Facts {
    facts(json!({
        "staff": [
            person("chief", &["grid-chief"], "part-time"),
            person("ft", &["grid-worker"], "full-time"),
            person("pt", &["grid-worker"], "part-time"),
            person("sup", &["grid-supervisor"], "seconded"),
            person("both", &["grid-worker", "grid-supervisor"], "full-time"),
            person("other", &["grid-chief"], "full-time"),
            person("ft", &["grid-supervisor"], "seconded")
        ],
        "grids": { "items": grids }
    }))
}

#[test]
fn one_grid_chief_and_three_distinct_people_fill_the_slots() {
    let f = staffed(json!([
        { "id": "ok", "one": ["chief", "chief"], "three": ["ft", "pt", "sup", "other"], "n": [] },
        { "id": "matched", "one": ["chief"], "three": ["both", "ft", "pt"] },
        { "id": "one-person-one-slot", "one": ["chief"], "three": ["both", "pt"] },
        { "id": "two-chiefs", "one": ["chief", "other"], "three": ["ft", "pt", "sup"] },
        { "id": "not-a-chief", "one": ["ft"], "three": ["ft", "pt", "sup"] },
        { "id": "unresolved", "one": ["x1"], "three": ["ft", "pt", "sup", "x2"], "n": ["x2", "x3"] }
    ]));
    let s = f.grid_staffing(&slots()).unwrap();
    assert_eq!(s.grids, 6);
    let ids: Vec<&str> = s.gaps.iter().map(|g| g.grid.as_str()).collect();
    assert_eq!(
        ids,
        [
            "one-person-one-slot",
            "two-chiefs",
            "not-a-chief",
            "unresolved"
        ],
        "the same id twice is one chief; extra people are allowed; a person with two roles takes the slot nobody else can fill; the first staff record of an id decides"
    );
    assert_eq!(
        s.gaps[0].unfilled,
        [2],
        "both fills one slot: the supervisor's stays empty"
    );
    assert!(s.gaps[1].several_chiefs && !s.gaps[1].no_chief);
    assert!(s.gaps[2].no_chief);
    assert_eq!(s.gaps[3].unresolved, ["x1", "x2", "x3"]);
    assert!(
        !s.gaps[3].no_chief,
        "an unresolved chief is named as unresolved"
    );
    assert_eq!(f.grid_unresolved_ids(), Some(3));
}

#[test]
fn the_gap_names_grids_and_roles_in_chinese() {
    let f = staffed(json!([
        { "id": "g-01", "one": ["chief"], "three": ["ft", "sup"] },
        { "id": "g-02", "one": ["chief"], "three": ["ft", "pt", "sup"] },
        { "id": "g-03", "one": [], "three": ["ft", "pt", "sup"] },
        { "id": "g-04", "one": ["chief"], "three": ["ft", "pt", "sup"], "n": ["s-99"] }
    ]));
    let (zh, en) = f.grid_staffing(&slots()).unwrap().describe().unwrap();
    assert_eq!(
        zh,
        "未按“1+3+N”配置的网格 3 个（共 4 个）——网格长未配备：第3个网格；兼职网格员未配备：第1个网格；人员名单中无此人：s-99（第4个网格）"
    );
    assert_eq!(
        en,
        "3 of 4 grids not staffed on the \"1+3+N\" model — no grid chief: grid g-03; no part-time grid worker: grid g-01; not in the staff list: s-99 (grid g-04)"
    );
    let none = staffed(json!([]));
    let s = none.grid_staffing(&slots()).unwrap();
    assert_eq!((s.grids, s.gaps.len()), (0, 0));
    assert!(s.describe().unwrap().0.starts_with("未设网格"));
    let all = staffed(json!([{ "id": "g", "one": ["chief"], "three": ["ft", "pt", "sup"] }]));
    assert_eq!(all.grid_staffing(&slots()).unwrap().describe(), None);
}

#[test]
fn grids_without_a_staff_list_cannot_be_checked() {
    let f = facts(json!({ "grids": { "items": [{ "id": "g", "one": ["a"] }] } }));
    assert_eq!(f.grid_staffing(&slots()), None);
    assert_eq!(f.grid_unresolved_ids(), None);
    let f = facts(json!({ "grids": { "items": [] } }));
    assert_eq!(f.grid_staffing(&slots()).map(|s| s.grids), Some(0));
    assert_eq!(facts(json!({})).grid_staffing(&slots()), None);
}

#[test]
fn slots_read_role_and_employment() {
    let s = Slot::parse("grid-worker:full-time").unwrap();
    assert_eq!(
        (s.zh(), s.en()),
        ("专职网格员".to_owned(), "full-time grid worker".to_owned())
    );
    assert_eq!(Slot::parse("grid-supervisor").unwrap().zh(), "网格指导员");
    assert_eq!(Slot::parse("grid-worker:sometimes"), None);
    assert_eq!(Slot::parse("mayor"), None);
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
fn drills_are_records_on_or_before_as_of() {
    let f = facts(json!({
        "safety": { "emergency_plans": [
            { "name": "a", "drills": ["2025-06-30", "2026-07-01"] },
            { "name": "b", "drills": ["2026-01-01", "2026-01-01"] },
            { "name": "c" },
            { "drills": ["2025-07-01", "2026-06-30", "2026-02-30"] }
        ]},
        "service_catalogue": { "published_on": "2025-06-29", "items": [] }
    }));
    assert_eq!(
        f.days_since_last_drill,
        Some(0),
        "the drill on as_of is the latest; the one after as_of has not happened"
    );
    let undrilled = f.plans_undrilled(365).unwrap();
    assert_eq!(undrilled.plans, 4);
    assert_eq!(
        undrilled.short,
        [("c".to_owned(), 0)],
        "exactly 365 days is within"
    );
    let names: Vec<String> = f
        .plans_undrilled(182)
        .unwrap()
        .short
        .into_iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(names, ["a", "c"]);
    let fewer = f.plans_drilled_fewer_than(2, 12).unwrap();
    assert_eq!(
        fewer.short,
        [("a".to_owned(), 0), ("c".to_owned(), 0)],
        "the same date twice is two drills; 2025-06-30 is outside the 12 months; an unnamed plan is #4"
    );
    let (zh, en) = fewer.describe_fewer(2, 12).unwrap();
    assert_eq!(
        zh,
        "近 12 个月演练不足 2 次的应急预案 2 项：a（0 次）、c（0 次）"
    );
    assert_eq!(
        en,
        "2 emergency plan(s) drilled fewer than 2 times in the last 12 months: a (0), c (0)"
    );
    assert_eq!(
        f.months_since_catalogue_published,
        Some(13),
        "12 months and a day is past 12"
    );
    let none = facts(json!({ "safety": { "emergency_plans": [] } }));
    assert_eq!(
        none.plans_undrilled(365)
            .unwrap()
            .describe_undrilled(365)
            .unwrap()
            .0,
        "未制定突发事件应急预案"
    );
}

#[test]
fn joint_meetings_count_once_per_date_on_troika_kinds() {
    let joint = |d: &str| json!({ "date": d, "kind": "joint" });
    let f = facts(json!({ "organizations": [
        { "id": "p", "kind": "party-organization", "meetings": [joint("2026-01-10"), joint("2026-02-10"), joint("2025-06-30")] },
        { "id": "c", "kind": "governance-committee", "meetings": [joint("2026-01-10"), joint("2026-03-10"), { "date": "2026-04-10", "kind": "regular" }] },
        { "id": "s", "kind": "enterprise-social-work-station", "meetings": [joint("2026-05-10")] }
    ]}));
    let troika = [
        OrgKind::PartyOrganization,
        OrgKind::GovernanceCommittee,
        OrgKind::PublicServiceCenter,
    ];
    assert_eq!(f.joint_meeting_dates(&troika, 12), 3);
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
