//! Reading and validating community profiles: one fixture per kind of problem under
//! `tests/fixtures/validate/`, plus generated hostile inputs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::path::Path;

use icgs::{Problem, ProblemCode, ProfileError, ReadOptions, Validation, read_profile, validate};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/validate")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn check(name: &str) -> Validation {
    validate(name, &fixture(name), &ReadOptions::default())
}

fn listing(v: &Validation) -> String {
    v.problems
        .iter()
        .map(|p| format!("  {p} [{}]\n", p.code()))
        .collect()
}

/// The only problem of a validation, which must have `code`.
fn only(v: &Validation, code: ProblemCode) -> &Problem {
    assert_eq!(
        v.problems.len(),
        1,
        "expected one problem, got:\n{}",
        listing(v)
    );
    let problem = &v.problems[0];
    assert_eq!(problem.code(), code, "{problem}");
    problem
}

/// The problem with `code` at `pointer`.
fn find<'v>(v: &'v Validation, code: ProblemCode, pointer: &str) -> &'v Problem {
    v.problems
        .iter()
        .find(|p| p.code() == code && p.pointer() == pointer)
        .unwrap_or_else(|| panic!("no {code} at `{pointer}` among:\n{}", listing(v)))
}

fn codes_and_pointers(v: &Validation) -> Vec<(ProblemCode, &str)> {
    v.problems.iter().map(|p| (p.code(), p.pointer())).collect()
}

fn unreadable(name: &str, bytes: &[u8], opts: &ReadOptions) -> Vec<Problem> {
    match read_profile(name, bytes, opts) {
        Err(e @ ProfileError::Unreadable(_)) => e.into_problems(),
        other => panic!("expected an unreadable profile, got {other:?}"),
    }
}

fn invalid(name: &str) -> Vec<Problem> {
    match read_profile(name, &fixture(name), &ReadOptions::default()) {
        Err(e @ ProfileError::Invalid(_)) => e.into_problems(),
        other => panic!("expected a profile that does not fit the model, got {other:?}"),
    }
}

/// Read for evaluation despite its problems, which are returned.
fn readable(name: &str) -> Vec<Problem> {
    match read_profile(name, &fixture(name), &ReadOptions::default()) {
        Ok((_, problems)) => problems,
        Err(e) => panic!("expected a readable profile, got {e}"),
    }
}

#[test]
fn valid_profile_has_no_problems() {
    let v = check("valid.json");
    assert!(v.is_valid(), "{}", listing(&v));
    let profile = v.profile.expect("the typed profile");
    assert_eq!(profile.id, "test-small-valid");
    assert_eq!(profile.as_of, "2026-06-30");

    let (profile, problems) = read_profile(
        "valid.json",
        &fixture("valid.json"),
        &ReadOptions::default(),
    )
    .unwrap();
    assert!(problems.is_empty());
    assert_eq!(profile.premises.map(|p| p.len()), Some(1));
}

#[test]
fn valid_profile_with_a_byte_order_mark_is_valid() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(fixture("valid.json"));
    let v = validate("bom.json", &bytes, &ReadOptions::default());
    assert!(v.is_valid(), "{}", listing(&v));
}

#[test]
fn syntax_error_has_exact_line_and_column() {
    let v = check("syntax.json");
    let p = only(&v, ProblemCode::Syntax);
    assert_eq!((p.line(), p.column()), (Some(4), Some(3)));
    assert!(p.message().contains("comma"), "{p}");
    assert!(
        p.to_string()
            .starts_with("syntax.json:4:3: /: expected `,` or `}`"),
        "{p}"
    );
    assert!(v.profile.is_none());
    assert_eq!(
        unreadable(
            "syntax.json",
            &fixture("syntax.json"),
            &ReadOptions::default()
        )
        .len(),
        1
    );
}

#[test]
fn syntax_error_columns_count_characters_not_bytes() {
    // `名` is three bytes in UTF-8 but one column; the parser stops at `}` (byte 12).
    let v = validate(
        "c.json",
        "{\"名\": tru}".as_bytes(),
        &ReadOptions::default(),
    );
    let p = only(&v, ProblemCode::Syntax);
    assert_eq!((p.line(), p.column()), (Some(1), Some(10)), "{p}");
}

#[test]
fn unknown_field_suggests_the_closest_field() {
    let v = check("unknown-field.json");
    let p = find(&v, ProblemCode::UnknownField, "");
    assert_eq!(p.suggestion(), Some("premises"));
    assert_eq!(p.message(), "unknown field `premisses`");
    assert_eq!((p.line(), p.column()), (Some(22), Some(3)));
    assert_eq!(
        p.to_string(),
        "unknown-field.json:22:3: /: unknown field `premisses`; did you mean `premises`?"
    );
    // The real field is now missing, which is reported too.
    let missing = find(&v, ProblemCode::MissingField, "");
    assert!(missing.message().contains("`premises`"), "{missing}");
    // Neither blocks an evaluation.
    assert_eq!(readable("unknown-field.json").len(), 2);
}

#[test]
fn misspelt_enum_value_suggests_the_closest_value() {
    let v = check("enum.json");
    let p = only(&v, ProblemCode::Enum);
    assert_eq!(p.pointer(), "/premises/0/ownership");
    assert_eq!(p.suggestion(), Some("government"));
    assert!(p.message().contains("`goverment`"), "{p}");
    assert!(
        p.message().contains("`park-operator`"),
        "lists the allowed values: {p}"
    );
    assert_eq!((p.line(), p.column()), (Some(28), Some(20)));
    // Section E: the unknown value is absent, the rest of the profile is read.
    let profile = v.profile.expect("the profile without the unknown value");
    assert_eq!(
        profile.premises.as_deref().map(|p| p[0].ownership),
        Some(None)
    );
    let (_, problems) = read_profile("enum.json", &fixture("enum.json"), &ReadOptions::default())
        .expect("readable");
    assert_eq!(problems[0].absent_pointer(), Some("/premises/0/ownership"));
}

#[test]
fn wrong_type_names_the_expected_type() {
    let v = check("type.json");
    let p = only(&v, ProblemCode::Type);
    assert_eq!(p.pointer(), "/premises/0/floor_area_m2");
    assert!(p.message().contains("must be a number"), "{p}");
    assert!(p.message().contains("\"1200\""), "{p}");
    assert_eq!(p.suggestion(), Some("1200"));
    assert_eq!(invalid("type.json").len(), 1);
}

#[test]
fn missing_required_field_does_not_block_evaluation() {
    let v = check("missing-field.json");
    let p = only(&v, ProblemCode::MissingField);
    assert_eq!(p.pointer(), "");
    assert!(p.message().contains("`city`"), "{p}");
    assert!(v.profile.as_ref().is_some_and(|p| p.city.is_none()));
    let problems = readable("missing-field.json");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code(), ProblemCode::MissingField);
}

#[test]
fn missing_id_blocks_evaluation() {
    let text =
        String::from_utf8(fixture("valid.json"))
            .unwrap()
            .replacen("\"id\": \"hall\",", "", 1);
    let v = validate("no-id.json", text.as_bytes(), &ReadOptions::default());
    let p = only(&v, ProblemCode::MissingField);
    assert_eq!(p.pointer(), "/premises/0");
    assert!(p.message().contains("`id`"), "{p}");
    assert!(v.profile.is_none());
}

#[test]
fn dangling_references_of_every_kind() {
    let v = check("dangling-reference.json");
    let expected = [
        ("/governance_model/party_lead/1", Some("party")),
        ("/staff/1/org_ids/0", Some("station")),
        ("/grids/items/0/three/1", None),
        ("/service_catalogue/items/0/provider_org", Some("station")),
        ("/improvement_actions/1/evaluation_id", Some("ev-2025")),
        ("/improvement_actions/2/finding_id", None),
    ];
    for (pointer, suggestion) in expected {
        let p = find(&v, ProblemCode::DanglingReference, pointer);
        assert_eq!(p.suggestion(), suggestion, "{p}");
        assert!(p.line().is_some(), "{p}");
    }
    assert_eq!(v.problems.len(), expected.len(), "{}", listing(&v));
    // Dangling ids do not block an evaluation.
    assert!(v.profile.is_some());
}

#[test]
fn grid_buildings_outside_the_enterprise_buildings_are_left_to_clause_6_7_2() {
    let text = String::from_utf8(fixture("valid.json")).unwrap().replacen(
        "\"buildings\": [\"b1\", \"b2\"], \"enterprises\"",
        "\"buildings\": [\"b1\", \"b9\"], \"enterprises\"",
        1,
    );
    assert!(text.contains("b9"));
    let v = validate("grid.json", text.as_bytes(), &ReadOptions::default());
    assert!(v.is_valid(), "{}", listing(&v));
}

#[test]
fn duplicate_ids_in_every_list() {
    let v = check("duplicate-id.json");
    let pointers = [
        "/premises/1/id",
        "/organizations/3/id",
        "/staff/2/id",
        "/grids/items/1/id",
        "/cases/1/id",
        "/service_catalogue/items/2/id",
        "/evaluations/0/findings/1/id",
        "/evaluations/1/id",
        "/improvement_actions/1/id",
    ];
    for pointer in pointers {
        find(&v, ProblemCode::DuplicateId, pointer);
    }
    assert_eq!(v.problems.len(), pointers.len(), "{}", listing(&v));
    let p = find(&v, ProblemCode::DuplicateId, "/premises/1/id");
    assert!(
        p.message().contains("/premises/0"),
        "names the first use: {p}"
    );
}

#[test]
fn impossible_date_is_reported() {
    let v = check("impossible-date.json");
    let p = only(&v, ProblemCode::Format);
    assert_eq!(p.pointer(), "/safety/inspections/0/date");
    assert!(p.message().contains("not a real calendar date"), "{p}");
}

#[test]
fn impossible_dates_are_caught_even_in_leap_years_edges() {
    for (date, ok) in [
        ("2024-02-29", true),
        ("2025-02-29", false),
        ("2026-04-31", false),
    ] {
        let text = String::from_utf8(fixture("valid.json")).unwrap().replacen(
            "\"date\": \"2026-06-15\"",
            &format!("\"date\": \"{date}\""),
            1,
        );
        let v = validate("d.json", text.as_bytes(), &ReadOptions::default());
        assert_eq!(v.is_valid(), ok, "{date}:\n{}", listing(&v));
    }
}

#[test]
fn dates_of_past_events_after_as_of_are_reported() {
    let v = check("date-after-as-of.json");
    let pointers = [
        "/organizations/0/meetings/0/date",
        "/cases/0/received_at",
        "/cases/0/responded_at",
        "/cases/0/closed_at",
        "/evaluations/0/date",
        // A drill after as_of has not happened (REVISION-2 G, 7.3.2).
        "/safety/emergency_plans/0/drills/0",
    ];
    for pointer in pointers {
        let p = find(&v, ProblemCode::DateAfterAsOf, pointer);
        assert!(p.message().contains("`2026-06-30`"), "{p}");
    }
    // A due date after as_of is allowed.
    assert_eq!(v.problems.len(), pointers.len(), "{}", listing(&v));
    assert!(v.profile.is_some());
}

#[test]
fn instant_without_offset_is_reported() {
    let text = String::from_utf8(fixture("valid.json")).unwrap().replacen(
        "\"received_at\": \"2026-06-01T09:00:00+08:00\"",
        "\"received_at\": \"2026-06-01T09:00:00\"",
        1,
    );
    let v = validate("i.json", text.as_bytes(), &ReadOptions::default());
    let p = only(&v, ProblemCode::Format);
    assert_eq!(p.pointer(), "/cases/0/received_at");
    assert!(p.message().contains("offset"), "{p}");
}

#[test]
fn weekday_out_of_range() {
    let v = check("weekday.json");
    let p = only(&v, ProblemCode::Range);
    assert_eq!(p.pointer(), "/premises/0/opening_hours/1/weekday");
    assert!(p.message().contains("between 1 and 7"), "{p}");
    assert!(v.profile.is_some());
}

#[test]
fn closing_time_not_after_opening_time() {
    let v = check("time-order.json");
    let p = only(&v, ProblemCode::TimeOrder);
    assert_eq!(p.pointer(), "/premises/0/opening_hours/1/close");
    assert!(
        p.message().contains("`09:00`") && p.message().contains("`12:00`"),
        "{p}"
    );
}

#[test]
fn case_answered_before_it_was_received() {
    let v = check("case-time-order.json");
    let p = only(&v, ProblemCode::TimeOrder);
    assert_eq!(p.pointer(), "/cases/0/responded_at");
}

#[test]
fn rate_above_one() {
    let v = check("rate.json");
    let p = only(&v, ProblemCode::Range);
    assert_eq!(p.pointer(), "/evaluations/0/satisfaction/enterprise_rate");
    assert!(p.message().contains("between 0 and 1"), "{p}");
    assert!(p.message().contains("1.5"), "{p}");
}

#[test]
fn negative_area() {
    let v = check("negative-area.json");
    let p = only(&v, ProblemCode::Range);
    assert_eq!(p.pointer(), "/premises/0/floor_area_m2");
    assert!(p.message().contains("-1200"), "{p}");
}

#[test]
fn too_large_input_is_refused_before_parsing() {
    let opts = ReadOptions {
        max_bytes: 100,
        ..ReadOptions::default()
    };
    let problems = unreadable("valid.json", &fixture("valid.json"), &opts);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code(), ProblemCode::TooLarge);
    assert!(problems[0].message().contains("100 bytes"));
    assert_eq!(problems[0].line(), None);
    // Exactly at the limit is fine.
    let exact = ReadOptions {
        max_bytes: 2,
        ..ReadOptions::default()
    };
    assert_ne!(
        validate("x.json", b"{}", &exact).problems[0].code(),
        ProblemCode::TooLarge
    );
}

#[test]
fn too_deep_input_is_refused_without_recursion() {
    let depth = 200_000;
    let mut text = "[".repeat(depth);
    text.push_str(&"]".repeat(depth));
    let problems = unreadable("deep.json", text.as_bytes(), &ReadOptions::default());
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code(), ProblemCode::TooDeep);
    // The 65th bracket goes past the default limit of 64.
    assert_eq!(
        (problems[0].line(), problems[0].column()),
        (Some(1), Some(65))
    );
}

#[test]
fn deep_extension_data_is_refused_too() {
    let nested = format!("{}1{}", "[".repeat(70), "]".repeat(70));
    let text = String::from_utf8(fixture("valid.json")).unwrap().replacen(
        "  \"waivers\": [",
        &format!("  \"extensions\": {{ \"x\": {nested} }},\n  \"waivers\": ["),
        1,
    );
    let v = validate("deep.json", text.as_bytes(), &ReadOptions::default());
    only(&v, ProblemCode::TooDeep);
    // With a higher limit it is read (serde_json's own limit of 128 is not reached).
    let opts = ReadOptions {
        max_depth: 100,
        ..ReadOptions::default()
    };
    assert!(validate("deep.json", text.as_bytes(), &opts).is_valid());
}

#[test]
fn depth_limit_above_the_parser_limit_is_still_a_clear_problem() {
    let text = format!("{{\"x\": {}{}}}", "[".repeat(300), "]".repeat(300));
    let opts = ReadOptions {
        max_depth: 10_000,
        ..ReadOptions::default()
    };
    let v = validate("deep.json", text.as_bytes(), &opts);
    only(&v, ProblemCode::TooDeep);
}

#[test]
fn brackets_inside_strings_do_not_count_as_depth() {
    let text = format!("{{\"x\": \"{}\\\"{}\"}}", "[".repeat(100), "{".repeat(100));
    let v = validate("s.json", text.as_bytes(), &ReadOptions::default());
    assert!(
        v.problems.iter().all(|p| p.code() != ProblemCode::TooDeep),
        "{}",
        listing(&v)
    );
}

#[test]
fn non_utf8_input_is_located() {
    let problems = unreadable(
        "latin1.json",
        b"{\"name\": \"caf\xE9\"}",
        &ReadOptions::default(),
    );
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code(), ProblemCode::NotUtf8);
    assert_eq!(
        (problems[0].line(), problems[0].column()),
        (Some(1), Some(14))
    );
    assert!(problems[0].message().contains("0xE9"), "{}", problems[0]);
}

#[test]
fn utf16_input_is_named() {
    let problems = unreadable("utf16.json", b"\xFF\xFE{\x00}\x00", &ReadOptions::default());
    assert_eq!(problems[0].code(), ProblemCode::NotUtf8);
    assert!(problems[0].message().contains("UTF-16"));
}

#[test]
fn empty_input() {
    let v = check("empty.json");
    only(&v, ProblemCode::Empty);
    let v = validate("blank.json", b" \n\t\r\n", &ReadOptions::default());
    only(&v, ProblemCode::Empty);
}

#[test]
fn top_level_array_or_scalar_is_not_a_profile() {
    let v = check("top-level-array.json");
    let p = only(&v, ProblemCode::NotAnObject);
    assert_eq!((p.line(), p.column()), (Some(1), Some(1)));
    assert!(p.message().contains("found a list"), "{p}");
    for scalar in ["42", "\"profile\"", "null", "  true"] {
        let v = validate("s.json", scalar.as_bytes(), &ReadOptions::default());
        only(&v, ProblemCode::NotAnObject);
    }
}

#[test]
fn number_too_large_for_a_double() {
    let v = check("number-out-of-range.json");
    let p = only(&v, ProblemCode::Range);
    assert_eq!(p.pointer(), "/premises/0/floor_area_m2");
    assert_eq!((p.line(), p.column()), (Some(26), Some(24)));
    assert!(p.message().contains("`1e400`"), "{p}");
    assert!(v.profile.is_none());
}

#[test]
fn integer_above_u64() {
    let v = check("huge-integer.json");
    let p = only(&v, ProblemCode::Range);
    assert_eq!(p.pointer(), "/population/industrial");
    assert!(p.message().contains("`18446744073709551616`"), "{p}");
    // Section E: the number is absent, the rest of the profile is read.
    let profile = v.profile.expect("the profile without the number");
    assert_eq!(profile.population.and_then(|p| p.industrial), None);
}

#[test]
fn several_problems_in_one_file_are_all_reported() {
    let v = check("several.json");
    let mut found = codes_and_pointers(&v);
    found.sort();
    let mut expected = vec![
        (ProblemCode::MissingField, ""),
        (ProblemCode::UnknownField, ""),
        (ProblemCode::Enum, "/organizations/0/kind"),
        (ProblemCode::DanglingReference, "/staff/0/org_ids/0"),
        (ProblemCode::DateAfterAsOf, "/safety/incidents/0/date"),
        (
            ProblemCode::Range,
            "/evaluations/0/satisfaction/employee_rate",
        ),
    ];
    expected.sort();
    assert_eq!(found, expected, "{}", listing(&v));
    // Ordered by position, all located.
    let positions: Vec<(usize, usize)> = v
        .problems
        .iter()
        .map(|p| (p.line().unwrap(), p.column().unwrap()))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] <= w[1]), "{positions:?}");
    // Section E: the bad values are absent and the rest is read; the organisation whose
    // kind is unknown cannot stand without it, so the organisations are absent.
    let profile = v.profile.expect("readable without the bad values");
    assert!(profile.organizations.is_none());
    assert!(profile.staff.is_none(), "its org_ids dangle");
}

#[test]
fn duplicate_keys_are_reported() {
    let text = String::from_utf8(fixture("valid.json")).unwrap().replacen(
        "\"city\": \"杭州市\",",
        "\"city\": \"杭州市\", \"city\": \"宁波市\",",
        1,
    );
    let v = validate("dup.json", text.as_bytes(), &ReadOptions::default());
    let p = only(&v, ProblemCode::DuplicateField);
    assert!(p.message().contains("`city`"), "{p}");
}

#[test]
fn problems_display_like_compiler_diagnostics() {
    let v = check("enum.json");
    assert_eq!(
        v.problems[0].to_string(),
        "enum.json:28:20: /premises/0/ownership: text `goverment` is not an allowed value for \
         `ownership`; allowed: `government`, `park-operator`, `enterprise`, `leased`, `shared`; \
         did you mean `government`?"
    );
    let v = validate("", b"", &ReadOptions::default());
    assert_eq!(
        v.problems[0].to_string(),
        "/: the file is empty; a profile is a JSON object `{…}`"
    );
}

#[test]
fn profile_error_messages_follow_the_style() {
    let err =
        read_profile("type.json", &fixture("type.json"), &ReadOptions::default()).unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with("profile `type.json` does not fit the profile model: 26:24: "),
        "{message}"
    );
    assert!(!message.ends_with('.'));
    assert_eq!(err.source_name(), "type.json");
    assert_eq!(err.problems().len(), 1);
}

#[test]
fn garbage_never_panics() {
    let inputs: [&[u8]; 12] = [
        b"{",
        b"}",
        b"{\"a\":",
        b"{\"a\" 1}",
        b"{\"as_of\": \"2026-06-30\", \"id\": 1}",
        b"{\"\\ud800\": 1}",
        b"\"\\",
        b"-",
        b"{\"premises\": [{\"opening_hours\": [{\"weekday\": 1e400}]}]}",
        b"{\"premises\": [null, 1, \"x\", []]}",
        b"{\"evaluations\": [{\"findings\": 5}], \"improvement_actions\": [{\"evaluation_id\": 5}]}",
        b"\x00\x01\x02",
    ];
    for input in inputs {
        let v = validate("g.json", input, &ReadOptions::default());
        assert!(
            !v.problems.is_empty(),
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
}

#[test]
fn decimals_a_double_cannot_hold_are_refused_not_rounded() {
    let text = String::from_utf8(fixture("valid.json")).unwrap();
    let text = text.replacen(
        "\"floor_area_m2\": 1200",
        "\"floor_area_m2\": 1499.99999999999999999",
        1,
    );
    let v = validate("inexact.json", text.as_bytes(), &ReadOptions::default());
    let p = only(&v, ProblemCode::Range);
    assert_eq!(p.pointer(), "/premises/0/floor_area_m2");
    assert_eq!((p.line(), p.column()), (Some(26), Some(24)));
    assert!(
        p.message().contains("`1499.99999999999999999`")
            && p.message().contains("would be read as 1500"),
        "{p}"
    );
    // What a double holds exactly, however written, is fine.
    for fine in [
        "1499.99",
        "0.30000000000000004",
        "1.5e3",
        "1500.000000000000000000",
        "-0.0",
    ] {
        let text = text.replacen("1499.99999999999999999", fine, 1);
        let v = validate("fine.json", text.as_bytes(), &ReadOptions::default());
        assert!(v.problems.is_empty(), "{fine}:\n{}", listing(&v));
    }
    // Below the smallest double: read as 0.
    let text = text.replacen("1499.99999999999999999", "1e-400", 1);
    let v = validate("tiny.json", text.as_bytes(), &ReadOptions::default());
    assert!(only(&v, ProblemCode::Range).message().contains("read as 0"));
}

/// 899.99999999999999999 + 600 m² is below 1500 m²: read as 900 it passed 5.1.1.
#[test]
fn a_rounded_decimal_never_passes_a_threshold() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies/standard/tests");
    let read = |p: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let mut profile = read(&dir.join("base.json"));
    let case = read(&dir.join("5.1.1/1499.99-fails.json"));
    profile["premises"] = case["patch"]["premises"].clone();
    profile["premises"][0]["floor_area_m2"] = serde_json::json!(899.125);
    let text =
        serde_json::to_string(&profile)
            .unwrap()
            .replacen("899.125", "899.99999999999999999", 1);
    let engine = icgs::Engine::standard().unwrap();
    let report = engine
        .check_bytes("inexact.json", text.as_bytes(), &ReadOptions::default())
        .unwrap();
    let r = report.results.iter().find(|r| r.rule == "5.1.1").unwrap();
    assert_eq!(
        r.outcome,
        icgs::report::Outcome::InsufficientData,
        "{:?}",
        r.message
    );
    assert!(
        report
            .profile_problems
            .iter()
            .any(|p| p.pointer == "/premises/0/floor_area_m2")
    );
}

/// The weak example with `edit` applied.
fn weak_with(edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/profiles/weak-community.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    edit(&mut v);
    serde_json::to_vec(&v).unwrap()
}

#[test]
fn problems_beyond_the_limit_are_counted_in_one_last_problem() {
    let bytes = weak_with(|v| {
        for k in 0..3_000 {
            v[format!("x{k}")] = 1.into();
        }
    });
    let v = validate("many.json", &bytes, &ReadOptions::default());
    assert_eq!(v.problems.len(), icgs::MAX_PROBLEMS + 1);
    let last = v.problems.last().unwrap();
    assert_eq!(last.code(), ProblemCode::TooManyProblems);
    let listed_unknown = v
        .problems
        .iter()
        .filter(|p| p.code() == ProblemCode::UnknownField)
        .count();
    // The weak example has problems of its own; every unknown field is either listed or
    // counted.
    let more: usize = last
        .message()
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(
        last.message_zh()
            .starts_with(&format!("另有 {more} 个问题未列出")),
        "{}",
        last.message_zh()
    );
    assert!(listed_unknown + more >= 3_000, "{last}");
    assert_eq!(
        v.problems
            .iter()
            .filter(|p| p.code() == ProblemCode::TooManyProblems)
            .count(),
        1
    );
}

#[test]
fn many_dangling_references_are_all_found_and_still_absent_for_the_rules() {
    // 20,000 staff each naming an organisation that does not exist: every reference is a
    // problem (linear lookups, suggestions within a budget), the list is capped, and the
    // profile is still read with the bad values taken out.
    let n = 20_000;
    let bytes = weak_with(|v| {
        let staff: Vec<serde_json::Value> = (0..n)
            .map(|i| {
                serde_json::json!({
                    "id": format!("st-x{i}"),
                    "roles": ["community-worker"],
                    "employment": "full-time",
                    "certificate": "none",
                    "org_ids": [format!("org-missing-{i}")],
                    "training_hours_12m": 8
                })
            })
            .collect();
        v["staff"] = staff.into();
    });
    let (_, problems) = read_profile("dangling.json", &bytes, &ReadOptions::default()).unwrap();
    assert_eq!(problems.len(), icgs::MAX_PROBLEMS + 1);
    assert!(
        problems
            .iter()
            .take(icgs::MAX_PROBLEMS)
            .filter(|p| p.code() == ProblemCode::DanglingReference)
            .count()
            > 900
    );
    assert_eq!(
        problems.last().map(Problem::code),
        Some(ProblemCode::TooManyProblems)
    );
}
