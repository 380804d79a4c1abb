//! The pack test-case runner (`icgs_tools::testing`, shared by `icgs test` and `cargo test`): case
//! statuses, diffs, broken cases, coverage.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::path::{Path, PathBuf};

use icgs_tools::catalogue::{ClauseStatus, RuleKind};
use icgs_tools::testing::{self, CaseReport, CaseStatus, Field, Need, Suite};
use serde_json::Value;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/packs/test-cases")
}

fn run_fixture() -> (Vec<Suite>, Vec<CaseReport>) {
    let suites = testing::suites(&[fixture()], &[]).unwrap();
    let reports = suites
        .iter()
        .flat_map(|s| s.cases.iter().map(|c| testing::run_case(&s.engine, c)))
        .collect();
    (suites, reports)
}

fn report<'a>(reports: &'a [CaseReport], name: &str) -> &'a CaseReport {
    reports
        .iter()
        .find(|r| r.path.ends_with(name))
        .unwrap_or_else(|| panic!("no case {name}"))
}

#[test]
fn cases_are_the_json_files_under_tests_except_profiles() {
    let files = testing::case_files(&fixture()).unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "broken.json",
            "expects-wrongly.json",
            "passes.json",
            "patched-base-passes.json",
            "unknown-rule.json"
        ]
    );
}

#[test]
fn a_passing_case_passes_with_an_inline_profile_or_a_patched_base() {
    let (_, reports) = run_fixture();
    for name in ["passes.json", "patched-base-passes.json"] {
        let r = report(&reports, name);
        assert_eq!(r.status, CaseStatus::Passed, "{name}: {}", r.diff());
        assert!(r.diff().is_empty());
    }
}

#[test]
fn a_failing_case_shows_expected_and_actual_per_field() {
    let (_, reports) = run_fixture();
    let r = report(&reports, "expects-wrongly.json");
    assert_eq!(r.status, CaseStatus::Failed);
    let fields: Vec<Field> = r.mismatches.iter().map(|m| m.field).collect();
    assert_eq!(fields, [Field::Outcome, Field::Observed]);
    let diff = r.diff();
    assert!(diff.contains("T.C.1    outcome   - pass"), "{diff}");
    assert!(diff.contains("                   + fail"), "{diff}");
    assert!(diff.contains("observed  - 5"), "{diff}");
    assert!(diff.contains("                   + 4"), "{diff}");
    assert!(
        diff.contains("open 4 days a week, at least 5 recommended"),
        "{diff}"
    );
    assert!(diff.contains("每周开放 4 天"), "{diff}");
}

#[test]
fn a_rule_the_packs_do_not_have_fails_the_case() {
    let (_, reports) = run_fixture();
    let r = report(&reports, "unknown-rule.json");
    assert_eq!(r.status, CaseStatus::Failed);
    assert_eq!(r.mismatches[0].field, Field::Rule);
    assert!(
        r.diff()
            .contains("T.C.9    no such rule in the packs under test; did you mean `T.C.1`?"),
        "{}",
        r.diff()
    );
}

#[test]
fn a_malformed_case_is_broken_with_its_position() {
    let (_, reports) = run_fixture();
    let r = report(&reports, "broken.json");
    assert_eq!(r.status, CaseStatus::Broken);
    let error = r.error.as_deref().unwrap();
    assert!(
        error.contains("broken.json:3:3: expected `,` or `}`"),
        "{error}"
    );
}

#[test]
fn coverage_names_what_no_case_shows() {
    let (suites, reports) = run_fixture();
    let coverage = testing::coverage(&suites, &reports).unwrap();
    assert_eq!(coverage.rules.len(), 1, "only the tested pack's rules");
    let rule = &coverage.rules[0];
    assert_eq!(rule.rule, "T.C.1");
    assert_eq!(rule.kind, RuleKind::Automated);
    assert_eq!(rule.pass, Need::Covered);
    // The wrong expectation does not count: no case shows a failure.
    assert_eq!(rule.fail, Need::Missing);
    // The probe (no premises) gives insufficient-data: an input can be missing.
    assert_eq!(rule.insufficient, Need::Missing);
    assert_eq!(rule.missing(), ["fail", "insufficient-data"]);
    assert!(coverage.percent().abs() < f64::EPSILON);
    assert_eq!(coverage.clauses[0].status, ClauseStatus::Automated);
}

#[test]
fn the_standard_pack_is_fully_covered_and_presence_checks_need_no_insufficient_data() {
    let policies = Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies");
    let suites = testing::suites(
        &[policies.join("standard"), policies.join("categories")],
        &[],
    )
    .unwrap();
    let reports: Vec<CaseReport> = suites
        .iter()
        .flat_map(|s| s.cases.iter().map(|c| testing::run_case(&s.engine, c)))
        .collect();
    assert!(reports.iter().all(|r| r.status == CaseStatus::Passed));
    let coverage = testing::coverage(&suites, &reports).unwrap();
    assert_eq!(coverage.rules.len(), 84);
    assert!((coverage.percent() - 100.0).abs() < f64::EPSILON);
    let rule = |id: &str| coverage.rules.iter().find(|r| r.rule == id).unwrap();
    // 4.1.3 is a presence check (READINGS G2): absence fails, it never lacks data. (7.5.1 is
    // one too, but a publication date that fails validation is taken out by the host and
    // makes it insufficient-data, REVISION-2 E, and a case pins that.)
    assert_eq!(rule("4.1.3").insufficient, Need::NotNeeded);
    assert_eq!(rule("7.5.1").insufficient, Need::Covered);
    assert_eq!(rule("7.1.1").kind, RuleKind::Evidence);
    assert_eq!(rule("4.2.3").kind, RuleKind::Permission);
    assert_eq!(rule("4.2.3").fail, Need::NotNeeded);
    let statuses = coverage.clause_counts();
    assert_eq!(statuses.get(&ClauseStatus::Missing), None);
    assert_eq!(statuses.get(&ClauseStatus::Evidence), Some(&2));
    assert_eq!(coverage.clauses.len(), 84);
}

#[test]
fn junit_has_one_testcase_per_case_and_a_failure_with_the_diff() {
    let (suites, reports) = run_fixture();
    let xml = testing::junit(&[(&suites[0], reports.as_slice())]);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"icgs test\" tests=\"5\" failures=\"2\" errors=\"1\">"), "{xml}");
    assert_eq!(xml.matches("<testcase ").count(), 5);
    assert!(
        xml.contains("<testcase classname=\"test-cases.tests.T.C.1\" name=\"passes.json\"/>"),
        "{xml}"
    );
    assert!(
        xml.contains(
            "<failure message=\"open 4 days, expected (wrongly) to pass\">T.C.1    outcome   - pass"
        ),
        "{xml}"
    );
    assert!(
        xml.contains("<error message=\"the case cannot be run\">"),
        "{xml}"
    );
}

fn chain_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies/overlays")
}

/// The embedded packs with the packs of `dir` in their place.
fn build(dirs: &[PathBuf]) -> Result<icgs::Engine, icgs::pack::BuildError> {
    let mut packs = icgs::pack::Pack::embedded()?;
    for dir in dirs {
        for pack in icgs::pack::Pack::discover(dir)? {
            packs.retain(|p| p.manifest.id != pack.manifest.id);
            packs.push(pack);
        }
    }
    icgs::Engine::builder().packs(packs).build()
}

fn evaluate(engine: &icgs::Engine, profile: &Value) -> icgs::report::Report {
    let bytes = serde_json::to_vec(profile).unwrap();
    let options = icgs::ReadOptions::default();
    let (profile, _) = icgs::read_profile("test", &bytes, &options).unwrap();
    engine.evaluate(profile).unwrap()
}

fn result<'a>(report: &'a icgs::report::Report, rule: &str) -> &'a icgs::report::RuleResult {
    report
        .results
        .iter()
        .find(|r| r.rule == rule)
        .unwrap_or_else(|| panic!("no result for {rule}"))
}

/// An independent check of the runner: the example chain's cases, evaluated directly.
#[test]
fn the_example_chains_test_cases_pass_on_the_chain() {
    let engine = build(&[chain_dir()]).unwrap();
    let mut cases = Vec::new();
    for pack in ["zhejiang", "hangzhou", "binjiang"] {
        cases.extend(testing::case_files(&chain_dir().join(pack)).unwrap());
    }
    cases.sort();
    assert!(cases.len() >= 6, "{} cases", cases.len());
    let mut failures = Vec::new();
    for path in &cases {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        // The case's own patch (a merge patch, or a JSON Patch for one array element).
        let bytes = testing::Case::read(path)
            .and_then(|c| c.profile_bytes(path))
            .unwrap();
        let profile: Value = serde_json::from_slice(&bytes).unwrap();
        let report = evaluate(&engine, &profile);
        for (rule, want) in case["expect"].as_object().unwrap() {
            let r = result(&report, rule);
            if r.outcome.as_str() != want["outcome"] {
                failures.push(format!(
                    "{}: {rule} gave {}",
                    path.display(),
                    r.outcome.as_str()
                ));
            }
            for field in ["observed", "required"] {
                let got = if field == "observed" {
                    &r.observed
                } else {
                    &r.required
                };
                if let Some(w) = want.get(field)
                    && w != got
                {
                    failures.push(format!(
                        "{}: {rule} {field} {got}, expected {w}",
                        path.display()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
