//! The JSON report (version 2, `docs/reports.md`): nothing per result that the report
//! holds once, and a report read back from its JSON equals the report written, less the
//! remedies of results that need none. Version 1 reports are still read; other versions are
//! refused naming the version.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::path::{Path, PathBuf};

use icgs::pack::Pack;
use icgs::report::{Outcome, Report};
use icgs::{Engine, ReadOptions};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The embedded packs and the example overlay chain, so that some results and parameters
/// carry an overlay's provenance.
fn engine() -> Engine {
    let mut packs = Pack::embedded().unwrap();
    packs.extend(Pack::discover(root().join("policies/overlays")).unwrap());
    Engine::builder().packs(packs).build().unwrap()
}

/// Every example's report, with an overlay chain where the example's district has one.
fn reports() -> Vec<(String, Report)> {
    let engine = engine();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples/profiles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 7, "the seven examples");
    files
        .iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(path).unwrap();
            let report = engine
                .check_bytes(&name, &bytes, &ReadOptions::default())
                .unwrap();
            (name, report)
        })
        .collect()
}

/// The report as it reads back: results that need no fix carry no remedy or record hint.
fn without_unneeded_remedies(mut report: Report) -> Report {
    for r in &mut report.results {
        if matches!(r.outcome, Outcome::Pass | Outcome::NotApplicable) {
            r.remedy = icgs::report::Message::default();
            r.record_hint = None;
        }
    }
    report
}

#[test]
fn every_example_report_reads_back_as_written() {
    let mut overlaid = 0;
    for (name, report) in reports() {
        let json = serde_json::to_string(&report).unwrap();
        let back: Report = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(back, without_unneeded_remedies(report.clone()), "{name}");
        assert_eq!(serde_json::to_string(&back).unwrap(), json, "{name}");
        assert_eq!(
            report.to_json().unwrap(),
            back.to_json().unwrap(),
            "{name}: pretty JSON"
        );
        overlaid += usize::from(!report.overlay_chain.overlays.is_empty());
    }
    assert!(overlaid > 0, "an example evaluated with the overlay chain");
}

/// Every `null` in a JSON value, by pointer.
fn nulls(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::Null => out.push(at.to_owned()),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                nulls(x, &format!("{at}/{i}"), out);
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                nulls(x, &format!("{at}/{k}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_json_holds_nothing_twice() {
    let mut saw = (0, 0, 0, 0);
    for (name, report) in reports() {
        let v: Value = serde_json::to_value(&report).unwrap();
        assert_eq!(v["report_version"], "2");
        let mut found = Vec::new();
        nulls(&v, "", &mut found);
        assert!(found.is_empty(), "{name}: nulls at {found:?}");
        // The standard's document once, in `packs`.
        assert!(v["packs"][0]["document"].is_string(), "{name}");
        let problems = v["profile_problems"].as_array().unwrap().len();
        for (r, x) in report.results.iter().zip(v["results"].as_array().unwrap()) {
            let at = format!("{name} {}", r.rule);
            let needs = !matches!(r.outcome, Outcome::Pass | Outcome::NotApplicable);
            assert_eq!(x.get("remedy").is_some(), needs, "{at}: remedy");
            if r.record_hint.is_some() {
                assert_eq!(x.get("record_hint").is_some(), needs, "{at}: record hint");
            }
            let changed = r.provenance.changed_by.is_some();
            if changed {
                saw.0 += 1;
                assert!(x["provenance"]["changed_by"].is_object(), "{at}");
            } else if r.provenance.defined_by.effective_from.is_none()
                && r.provenance.defined_by.effective_until.is_none()
            {
                assert!(x.get("provenance").is_none(), "{at}: unchanged provenance");
            }
            for (p, used) in r.params.iter() {
                let y = &x["params"][p];
                assert_eq!(y["value"], used.value, "{at} {p}");
                let plain = used.set_by.effective_from.is_none()
                    && used.set_by.effective_until.is_none()
                    && report.packs.iter().any(|k| {
                        k.pack_ref() == used.layer
                            && k.id == used.set_by.pack
                            && k.version == used.set_by.version
                            && k.layer == used.set_by.layer
                            && k.document == used.set_by.document
                    });
                assert_eq!(y.get("set_by").is_none(), plain, "{at} {p}: set_by");
                saw.1 += usize::from(!plain);
            }
            for (i, p) in r.profile_problems.iter().enumerate() {
                let index = x["profile_problems"][i].as_u64().unwrap();
                assert!(usize::try_from(index).unwrap() < problems, "{at}");
                assert_eq!(report.profile_problems[usize::try_from(index).unwrap()], *p);
                saw.2 += 1;
            }
        }
        for item in v["improvement_plan"].as_array().unwrap() {
            let keys: Vec<&String> = item.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["gain", "rule"], "{name}: a plan step names its rule");
            saw.3 += 1;
        }
    }
    assert!(
        saw.0 > 0,
        "a rule changed by an overlay keeps its provenance"
    );
    assert!(saw.1 > 0, "a parameter an overlay set keeps its set_by");
    assert!(saw.2 > 0, "a result with profile problems");
    assert!(saw.3 > 0, "an improvement plan");
}

fn fixture_v1() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reports/weak-community.v1.json"),
    )
    .unwrap()
}

#[test]
fn a_version_1_report_still_reads() {
    let text = fixture_v1();
    let old: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(old["report_version"], "1");
    let report: Report = serde_json::from_str(&text).unwrap();
    assert_eq!(report.report_version, "2", "read into this version's shape");
    assert_eq!(
        report.results.len(),
        old["results"].as_array().unwrap().len()
    );
    // Everything version 1 wrote in full is kept, the plan's copies included.
    for (r, x) in report
        .results
        .iter()
        .zip(old["results"].as_array().unwrap())
    {
        assert_eq!(serde_json::to_value(&r.remedy).unwrap(), x["remedy"]);
        assert_eq!(
            serde_json::to_value(&r.provenance).unwrap()["defined_by"]["pack"],
            x["provenance"]["defined_by"]["pack"]
        );
        assert_eq!(
            r.profile_problems.len(),
            x.get("profile_problems")
                .map_or(0, |p| p.as_array().unwrap().len())
        );
    }
    assert!(!report.improvement_plan.is_empty());
    for (item, x) in report
        .improvement_plan
        .iter()
        .zip(old["improvement_plan"].as_array().unwrap())
    {
        assert_eq!(item.rule, x["rule"].as_str().unwrap());
        assert_eq!(serde_json::to_value(&item.title).unwrap(), x["title"]);
        assert_eq!(serde_json::to_value(&item.action).unwrap(), x["action"]);
        assert_eq!(serde_json::to_value(&item.gap).unwrap(), x["gap"]);
        assert_eq!(item.veto, x["veto"].as_bool().unwrap());
    }
    // Written again as version 2, it reads back the same.
    let again: Report = serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap();
    assert_eq!(again, without_unneeded_remedies(report));
}

#[test]
fn another_version_is_refused_naming_it() {
    let text = fixture_v1().replacen("\"report_version\":\"1\"", "\"report_version\":\"3\"", 1);
    let err = serde_json::from_str::<Report>(&text)
        .unwrap_err()
        .to_string();
    assert!(err.contains("report_version `3`"), "{err}");
    assert!(err.contains("reads 1 and 2"), "{err}");
    assert!(err.contains("line 1 column"), "{err}: where");
}

#[test]
fn a_dangling_reference_is_an_error_naming_it() {
    let (_, report) = reports()
        .into_iter()
        .find(|(_, r)| !r.improvement_plan.is_empty() && !r.profile_problems.is_empty())
        .unwrap();
    let mut v = serde_json::to_value(&report).unwrap();
    v["improvement_plan"][0]["rule"] = "9.9.9".into();
    let err = serde_json::from_value::<Report>(v).unwrap_err().to_string();
    assert!(
        err.contains("`improvement_plan` names rule `9.9.9`"),
        "{err}"
    );

    let mut v = serde_json::to_value(&report).unwrap();
    let r = v["results"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r.get("profile_problems").is_some())
        .unwrap();
    r["profile_problems"][0] = 99.into();
    let err = serde_json::from_value::<Report>(v).unwrap_err().to_string();
    assert!(
        err.contains("profile problem 99 is not in `profile_problems`"),
        "{err}"
    );
}

/// A portfolio merged from one builder per report (as `icgs check DIR` summarises each
/// report on the thread that made it) is the portfolio built from all the reports in turn.
#[test]
fn portfolio_merged_from_builders_equals_one_builder() {
    use icgs::report::PortfolioBuilder;
    let engine = Engine::standard().unwrap();
    let reports: Vec<(String, Report)> = icgs_tests::example_profiles()
        .iter()
        .map(|(name, bytes)| {
            let report = engine
                .check_bytes(name, bytes, &ReadOptions::default())
                .unwrap();
            (name.clone(), report)
        })
        .collect();
    let failures = [("missing.json", "cannot be read")];
    let mut whole = PortfolioBuilder::default();
    let mut merged = PortfolioBuilder::default();
    for (name, report) in &reports {
        whole.add(name, report);
        let mut one = PortfolioBuilder::default();
        one.add(name, report);
        merged.merge(one);
    }
    let whole = whole.finish(&failures);
    assert!(whole.failing_clauses.iter().any(|f| f.count > 1));
    assert_eq!(
        merged.finish(&failures).to_json().unwrap(),
        whole.to_json().unwrap()
    );
}
