//! `--as-of` (`EvalOptions::as_of`): evaluating at another date gives the report of the
//! profile dated then, and scripts see that date, without the profile being copied.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::path::Path;

use icgs::model::CommunityProfile;
use icgs::pack::Pack;
use icgs::{Engine, EvalOptions};
use serde_json::json;

fn examples() -> Vec<(String, CommunityProfile)> {
    icgs_tests::example_profiles()
        .into_iter()
        .map(|(name, bytes)| (name, serde_json::from_slice(&bytes).unwrap()))
        .collect()
}

#[test]
fn another_date_gives_the_report_of_the_profile_dated_then() {
    let engine = Engine::standard().unwrap();
    let examples = examples();
    assert!(examples.len() >= 7, "{} examples", examples.len());
    for (name, profile) in examples {
        for date in ["2025-01-31", "2026-12-31", "2028-02-29"] {
            let options = EvalOptions::new().as_of(date).unwrap();
            let given = engine.evaluate_with(profile.clone(), &options).unwrap();
            let dated = engine
                .evaluate(CommunityProfile {
                    as_of: date.to_owned(),
                    ..profile.clone()
                })
                .unwrap();
            assert_eq!(given.evaluated_as_of, date, "{name}");
            assert_eq!(given.profile.as_of, date, "{name}");
            assert_eq!(
                given.to_json().unwrap(),
                dated.to_json().unwrap(),
                "{name} at {date}"
            );
        }
    }
}

#[test]
fn scripts_see_the_evaluation_date() {
    let pack =
        Pack::from_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs/as-of"))
            .unwrap();
    let engine = Engine::builder().packs([pack]).build().unwrap();
    let profile: CommunityProfile =
        serde_json::from_value(json!({ "id": "dated", "as_of": "2026-06-30" })).unwrap();
    let seen = |options: &EvalOptions| {
        let report = engine.evaluate_with(profile.clone(), options).unwrap();
        report.results[0].observed.clone()
    };
    assert_eq!(
        seen(&EvalOptions::new()),
        json!(["2026-06-30", "2026-06-30"])
    );
    assert_eq!(
        seen(&EvalOptions::new().as_of("2027-01-31").unwrap()),
        json!(["2027-01-31", "2027-01-31"])
    );
}

#[test]
fn a_profile_with_an_unreadable_date_is_evaluated_at_the_date_given() {
    let engine = Engine::standard().unwrap();
    let (_, mut profile) = examples().remove(0);
    profile.as_of = "someday".into();
    assert!(engine.evaluate(profile.clone()).is_err());
    let options = EvalOptions::new().as_of("2026-06-30").unwrap();
    let report = engine.evaluate_with(profile, &options).unwrap();
    assert_eq!(report.evaluated_as_of, "2026-06-30");
}
