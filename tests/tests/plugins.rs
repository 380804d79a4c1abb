//! Native plugins end to end: the example biomedical category, every refusal of the
//! handshake, misbehaviour during evaluation, and two threads through one plugin.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::sync::Arc;

use icgs::plugin::{LoadOptions, Plugin, PluginError, PluginFile};
use icgs::report::Outcome;
use icgs::types::{Layer, PackRef};
use icgs::{Engine, ReadOptions};
use icgs_tests::plugins::plugin_library;

fn load(package: &str) -> Result<Plugin, PluginError> {
    let path = plugin_library(package).unwrap();
    // SAFETY: the workspace's own plugin, just built.
    #[allow(unsafe_code, reason = "loading the test plugins")]
    unsafe {
        Plugin::load(path, &LoadOptions::default())
    }
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!("{:x}", sha2::Sha256::digest(bytes))
}

/// A scratch directory for one test under the system's temporary directory.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("icgs-plugins-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn engine_with(plugin: Plugin) -> Engine {
    Engine::builder()
        .packs(icgs::pack::Pack::embedded().unwrap())
        .plugin(Arc::new(plugin))
        .build()
        .unwrap()
}

fn example(name: &str) -> Vec<u8> {
    std::fs::read(
        icgs_tests::workspace_root()
            .join("examples/profiles/plugins")
            .join(name),
    )
    .unwrap()
}

#[test]
fn the_biomedical_plugin_loads_and_its_category_and_rules_apply() {
    let plugin = load("icgs-plugin-biomedical").unwrap();
    assert_eq!(plugin.id(), "binjiang-biomedical");
    assert_eq!(
        plugin.abi(),
        (icgs_plugin_api::ABI_MAJOR, icgs_plugin_api::ABI_MINOR)
    );
    assert!(plugin.thread_safe());
    assert_eq!(plugin.manifest().rules.len(), 4);
    let engine = engine_with(plugin);
    assert!(engine.categories().any(|c| c.id == "biomedical"));

    let report = engine
        .check_bytes(
            "bm",
            &example("binjiang-biomedical.json"),
            &ReadOptions::default(),
        )
        .unwrap();
    let by = |id: &str| report.results.iter().find(|r| r.rule == id).unwrap();
    assert_eq!(
        by("4.2.2").outcome,
        Outcome::Pass,
        "the plugin registers the category"
    );
    assert_eq!(by("C.BM.1").outcome, Outcome::Pass);
    assert_eq!(by("C.BM.1").observed, serde_json::json!(4));
    assert_eq!(
        by("C.BM.2").outcome,
        Outcome::Fail,
        "one drill in 12 months, two required"
    );
    assert_eq!(
        by("C.BM.2").params["bm_biosafety_drills_min"].layer,
        PackRef::new("binjiang-biomedical", "1.0.0")
    );
    assert_eq!(by("C.BM.3").outcome, Outcome::Pass);
    assert_eq!(by("C.BM.4").outcome, Outcome::Pass);
    assert!(
        by("C.BM.1")
            .message
            .zh
            .contains("近12个月危险废物专项检查 4 次"),
        "{}",
        by("C.BM.1").message.zh
    );
    // The category tightens a standard parameter for biomedical communities only.
    let inspections = by("7.3.1");
    assert_eq!(
        inspections.params["inspections_min"].value,
        serde_json::json!(24)
    );
    assert_eq!(
        inspections.params["inspections_min"].layer,
        PackRef::new("binjiang-biomedical", "1.0.0")
    );
    // The report records the digest of the plugin's bytes; packs have none.
    let file = std::fs::read(plugin_library("icgs-plugin-biomedical").unwrap()).unwrap();
    let plugin_info = report
        .packs
        .iter()
        .find(|p| p.id == "binjiang-biomedical" && p.layer == Layer::Plugin)
        .unwrap();
    assert_eq!(plugin_info.sha256.as_deref(), Some(sha256(&file).as_str()));
    assert!(
        report
            .packs
            .iter()
            .filter(|p| p.layer != Layer::Plugin)
            .all(|p| p.sha256.as_ref().is_some_and(|s| s.len() == 64) && !p.modified)
    );
    // Another category's community: the plugin's rules do not apply, standard values stay.
    let other = std::fs::read(
        icgs_tests::workspace_root().join("examples/profiles/binjiang-tech-innovation.json"),
    )
    .unwrap();
    let report = engine
        .check_bytes("ti", &other, &ReadOptions::default())
        .unwrap();
    let r = report.results.iter().find(|r| r.rule == "C.BM.1").unwrap();
    assert_eq!(r.outcome, Outcome::NotApplicable);
    let r = report.results.iter().find(|r| r.rule == "7.3.1").unwrap();
    assert_eq!(r.params["inspections_min"].value, serde_json::json!(12));
}

#[test]
fn the_biomedical_plugin_declares_the_origin_of_its_rules_and_parameters() {
    let engine = engine_with(load("icgs-plugin-biomedical").unwrap());
    let report = engine
        .check_bytes(
            "bm",
            &example("binjiang-biomedical.json"),
            &ReadOptions::default(),
        )
        .unwrap();
    for id in ["C.BM.1", "C.BM.2", "C.BM.3", "C.BM.4"] {
        let r = report.results.iter().find(|r| r.rule == id).unwrap();
        assert_eq!(r.origin, icgs::pack::Origin::Proposal, "{id}");
        assert!(
            r.source.as_deref().is_some_and(|s| s.contains("滨江区")),
            "{id}: {:?}",
            r.source
        );
        for (name, p) in r.params.iter() {
            assert_eq!(p.origin, icgs::pack::Origin::Proposal, "{id} {name}");
        }
    }
    // A rule of the standard keeps its own origin beside the plugin's.
    let premises = report.results.iter().find(|r| r.rule == "5.1.1").unwrap();
    assert_eq!(premises.origin, icgs::pack::Origin::Note);
}

#[test]
fn a_plugin_built_for_abi_1_0_still_loads_and_its_rules_are_proposals() {
    let plugin = load("icgs-plugin-fixture-abi-1-0").unwrap();
    assert_eq!(plugin.abi(), (1, 0));
    assert!(plugin.manifest().rules[0].origin.is_none());
    let engine = engine_with(plugin);
    let rule = engine.rules().find(|r| r.meta.id == "X.OLD.1").unwrap();
    assert_eq!(rule.meta.origin, Some(icgs::pack::Origin::Proposal));
    let profile = std::fs::read(
        icgs_tests::workspace_root().join("examples/profiles/gongshu-minimal-gaps.json"),
    )
    .unwrap();
    let report = engine
        .check_bytes("old", &profile, &ReadOptions::default())
        .unwrap();
    let r = report.results.iter().find(|r| r.rule == "X.OLD.1").unwrap();
    assert_eq!(r.outcome, Outcome::Pass);
    assert_eq!(r.origin, icgs::pack::Origin::Proposal);
    assert_eq!(r.source, None);
    assert_eq!(r.params["old_min"].origin, icgs::pack::Origin::Proposal);
}

#[test]
fn missing_plugin_data_is_insufficient_not_a_pass() {
    let engine = engine_with(load("icgs-plugin-biomedical").unwrap());
    let mut profile: serde_json::Value =
        serde_json::from_slice(&example("binjiang-biomedical.json")).unwrap();
    profile["extensions"] = serde_json::json!({});
    let report = engine
        .check_bytes(
            "bm",
            &serde_json::to_vec(&profile).unwrap(),
            &ReadOptions::default(),
        )
        .unwrap();
    for id in ["C.BM.1", "C.BM.2", "C.BM.3"] {
        let r = report.results.iter().find(|r| r.rule == id).unwrap();
        assert_eq!(r.outcome, Outcome::InsufficientData, "{id}");
        assert!(
            r.evidence[0].starts_with("/extensions/binjiang-biomedical/"),
            "{:?}",
            r.evidence
        );
    }
}

#[test]
fn refusals_name_the_reason() {
    match load("icgs-plugin-fixture-bad-abi") {
        Err(PluginError::AbiMismatch {
            major: 2,
            host_major: 1,
            ..
        }) => {}
        other => panic!("expected an ABI mismatch, got {other:?}"),
    }
    match load("icgs-plugin-fixture-no-entry") {
        Err(e @ PluginError::MissingEntry { .. }) => {
            assert!(e.to_string().contains("icgs_plugin_entry_v1"), "{e}")
        }
        other => panic!("expected a missing entry symbol, got {other:?}"),
    }
    match load("icgs-plugin-fixture-old-host") {
        Err(e @ PluginError::HostVersion { .. }) => {
            assert!(e.to_string().contains("requires icgs `>=9.0`"), "{e}")
        }
        other => panic!("expected a host version refusal, got {other:?}"),
    }
    #[allow(
        unsafe_code,
        reason = "loading files that are not plugins: refused before running code"
    )]
    let (missing, dir, text) = unsafe {
        let dir = std::env::temp_dir();
        let text = icgs_tests::workspace_root().join("README.md");
        (
            Plugin::load(dir.join("no-such-plugin.so"), &LoadOptions::default()),
            Plugin::load(&dir, &LoadOptions::default()),
            Plugin::load(&text, &LoadOptions::default()),
        )
    };
    assert!(
        matches!(missing, Err(PluginError::NotFound { .. })),
        "{missing:?}"
    );
    assert!(matches!(dir, Err(PluginError::NotAFile { .. })), "{dir:?}");
    assert!(
        matches!(text, Err(PluginError::NotALibrary { .. })),
        "{text:?}"
    );
}

#[test]
fn a_pinned_digest_is_checked_before_loading() {
    use sha2::Digest;
    let path = plugin_library("icgs-plugin-biomedical").unwrap();
    let digest = format!("{:x}", sha2::Sha256::digest(std::fs::read(&path).unwrap()));
    #[allow(unsafe_code, reason = "loading the test plugin")]
    let (good, bad) = unsafe {
        (
            Plugin::load(
                &path,
                &LoadOptions {
                    sha256: Some(digest.to_uppercase()),
                    ..LoadOptions::default()
                },
            ),
            Plugin::load(
                &path,
                &LoadOptions {
                    sha256: Some("0".repeat(64)),
                    ..LoadOptions::default()
                },
            ),
        )
    };
    assert!(good.is_ok(), "{good:?}");
    match bad {
        Err(PluginError::Digest { actual, .. }) => assert_eq!(actual, digest),
        other => panic!("expected a digest mismatch, got {other:?}"),
    }
}

#[test]
fn duplicate_ids_are_refused() {
    let a = Arc::new(load("icgs-plugin-biomedical").unwrap());
    let err = Engine::builder()
        .packs(icgs::pack::Pack::embedded().unwrap())
        .plugin(Arc::clone(&a))
        .plugin(a)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("binjiang-biomedical"), "{err}");
}

fn misbehaving(mode: &str) -> icgs::report::Report {
    let engine = engine_with(load("icgs-plugin-fixture-misbehaving").unwrap());
    let mut profile: serde_json::Value = serde_json::from_slice(
        &std::fs::read(
            icgs_tests::workspace_root().join("examples/profiles/binjiang-tech-innovation.json"),
        )
        .unwrap(),
    )
    .unwrap();
    profile["extensions"] = serde_json::json!({ "misbehaving": { "mode": mode } });
    engine
        .check_bytes(
            mode,
            &serde_json::to_vec(&profile).unwrap(),
            &ReadOptions::default(),
        )
        .unwrap()
}

#[test]
fn a_misbehaving_plugin_gives_error_results_and_every_other_rule_still_runs() {
    let ok = misbehaving("ok");
    let x = ok.results.iter().find(|r| r.rule == "X.1").unwrap();
    assert_eq!(x.outcome, Outcome::Pass);
    let baseline: Vec<(icgs::types::RuleId, Outcome)> = ok
        .results
        .iter()
        .filter(|r| r.rule != "X.1")
        .map(|r| (r.rule.clone(), r.outcome))
        .collect();
    for (mode, says) in [
        ("panic", "panicked"),
        ("malformed", "malformed JSON"),
        ("foreign", "answered for rule `5.1.1`"),
        ("error", "no laboratory register"),
    ] {
        let report = misbehaving(mode);
        let x = report.results.iter().find(|r| r.rule == "X.1").unwrap();
        assert_eq!(x.outcome, Outcome::Error, "{mode}");
        let message = &x.error.as_ref().unwrap().message;
        assert!(message.contains(says), "{mode}: {message}");
        let others: Vec<(icgs::types::RuleId, Outcome)> = report
            .results
            .iter()
            .filter(|r| r.rule != "X.1")
            .map(|r| (r.rule.clone(), r.outcome))
            .collect();
        assert_eq!(others, baseline, "{mode}: the other rules are unaffected");
    }
}

#[test]
fn two_threads_evaluate_through_one_loaded_plugin() {
    let engine = engine_with(load("icgs-plugin-biomedical").unwrap());
    let bytes = example("binjiang-biomedical.json");
    let first = engine
        .check_bytes("bm", &bytes, &ReadOptions::default())
        .unwrap()
        .to_json()
        .unwrap();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    (0..25)
                        .map(|_| {
                            engine
                                .check_bytes("bm", &bytes, &ReadOptions::default())
                                .unwrap()
                                .to_json()
                                .unwrap()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            for json in h.join().unwrap() {
                assert_eq!(json, first);
            }
        }
    });
    // The non-thread-safe fixture is serialised by the host, and still answers correctly.
    let engine = engine_with(load("icgs-plugin-fixture-misbehaving").unwrap());
    let bytes = std::fs::read(
        icgs_tests::workspace_root().join("examples/profiles/binjiang-tech-innovation.json"),
    )
    .unwrap();
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for _ in 0..25 {
                    let r = engine
                        .check_bytes("x", &bytes, &ReadOptions::default())
                        .unwrap();
                    assert_eq!(
                        r.results.iter().find(|r| r.rule == "X.1").unwrap().outcome,
                        Outcome::Pass
                    );
                }
            });
        }
    });
}

#[test]
fn the_bytes_hashed_are_the_bytes_loaded_when_the_file_is_swapped_in_between() {
    let dir = scratch("swap");
    let good = std::fs::read(plugin_library("icgs-plugin-biomedical").unwrap()).unwrap();
    let other = std::fs::read(plugin_library("icgs-plugin-fixture-misbehaving").unwrap()).unwrap();
    let path = dir.join("plugin.so");
    let pin = LoadOptions {
        sha256: Some(sha256(&good)),
        ..LoadOptions::default()
    };
    // Replaced by a rename (a new file at the path) and rewritten in place (the same file).
    for swap in ["rename", "in place"] {
        std::fs::write(&path, &good).unwrap();
        let read = PluginFile::read(&path, &pin).unwrap();
        assert_eq!(read.sha256(), sha256(&good));
        if swap == "rename" {
            std::fs::write(dir.join("swap.so"), &other).unwrap();
            std::fs::rename(dir.join("swap.so"), &path).unwrap();
        } else {
            std::fs::write(&path, &other).unwrap();
        }
        // SAFETY: the workspace's own plugins.
        #[allow(unsafe_code, reason = "loading the test plugins")]
        let loaded = unsafe { read.load() }.unwrap();
        assert_eq!(
            loaded.id(),
            "binjiang-biomedical",
            "{swap}: the pinned library ran"
        );
        assert_eq!(loaded.sha256(), sha256(&good), "{swap}");
        // The file now at the path no longer matches the pin.
        assert!(matches!(
            PluginFile::read(&path, &pin),
            Err(PluginError::Digest { .. })
        ));
    }
    let _ = std::fs::remove_dir_all(dir);
}

fn hostile(deadline_ms: u64, data: serde_json::Value) -> icgs::report::Report {
    let path = plugin_library("icgs-plugin-fixture-hostile").unwrap();
    let options = LoadOptions {
        deadline: Some(std::time::Duration::from_millis(deadline_ms)),
        ..LoadOptions::default()
    };
    // SAFETY: the workspace's own fixture.
    #[allow(unsafe_code, reason = "loading the test plugin")]
    let plugin = unsafe { Plugin::load(path, &options) }.unwrap();
    let engine = engine_with(plugin);
    let mut profile: serde_json::Value = serde_json::from_slice(
        &std::fs::read(
            icgs_tests::workspace_root().join("examples/profiles/binjiang-tech-innovation.json"),
        )
        .unwrap(),
    )
    .unwrap();
    profile["extensions"] = serde_json::json!({ "hostile": data });
    engine
        .check_bytes(
            "hostile",
            &serde_json::to_vec(&profile).unwrap(),
            &ReadOptions::default(),
        )
        .unwrap()
}

fn x_h_1(report: &icgs::report::Report) -> &icgs::report::RuleResult {
    report.results.iter().find(|r| r.rule == "X.H.1").unwrap()
}

#[test]
fn a_plugin_that_overruns_its_deadline_gives_error_results_in_time() {
    let start = std::time::Instant::now();
    let report = hostile(300, serde_json::json!({ "mode": "sleep" }));
    assert!(
        start.elapsed() < std::time::Duration::from_secs(10),
        "the sleeping call (30 s) was abandoned, not awaited: {:?}",
        start.elapsed()
    );
    let r = x_h_1(&report);
    assert_eq!(r.outcome, Outcome::Error);
    let message = &r.error.as_ref().unwrap().message;
    assert!(
        message.contains("did not answer within 300 ms"),
        "{message}"
    );
    let premises = report.results.iter().find(|r| r.rule == "5.1.1").unwrap();
    assert_ne!(
        premises.outcome,
        Outcome::Error,
        "the other rules still run"
    );
}

#[test]
fn a_panic_message_reaches_the_result() {
    let report = hostile(5_000, serde_json::json!({ "mode": "panic" }));
    let r = x_h_1(&report);
    assert_eq!(r.outcome, Outcome::Error);
    let message = &r.error.as_ref().unwrap().message;
    assert!(
        message.contains("panicked")
            && message.contains("no laboratory register for this community"),
        "{message}"
    );
}

#[test]
fn wrong_typed_extension_data_is_wrong_not_missing() {
    let r = hostile(5_000, serde_json::json!({ "x": "4" }));
    let r = x_h_1(&r);
    assert_eq!(r.outcome, Outcome::Error);
    let message = &r.error.as_ref().unwrap().message;
    assert!(
        message.contains(r#"expected a number at /extensions/hostile/x, found the string "4""#),
        "{message}"
    );
    let r = hostile(5_000, serde_json::json!({ "x": 4 }));
    assert_eq!(x_h_1(&r).outcome, Outcome::Pass);
    let r = hostile(5_000, serde_json::json!({ "x": 0 }));
    assert_eq!(x_h_1(&r).outcome, Outcome::Fail);
    let r = hostile(5_000, serde_json::json!({}));
    assert_eq!(x_h_1(&r).outcome, Outcome::InsufficientData);

    // The example plugin reads its lists the same way: a count where a list of dates belongs.
    let engine = engine_with(load("icgs-plugin-biomedical").unwrap());
    let mut profile: serde_json::Value =
        serde_json::from_slice(&example("binjiang-biomedical.json")).unwrap();
    profile["extensions"]["binjiang-biomedical"]["biosafety_drills"] = serde_json::json!(2);
    let report = engine
        .check_bytes(
            "bm",
            &serde_json::to_vec(&profile).unwrap(),
            &ReadOptions::default(),
        )
        .unwrap();
    let r = report.results.iter().find(|r| r.rule == "C.BM.2").unwrap();
    assert_eq!(r.outcome, Outcome::Error);
    let message = &r.error.as_ref().unwrap().message;
    assert!(
        message.contains("expected a list of texts at /extensions/binjiang-biomedical/biosafety_drills, found the number 2"),
        "{message}"
    );
    let r = report.results.iter().find(|r| r.rule == "C.BM.1").unwrap();
    assert_eq!(
        r.outcome,
        Outcome::Pass,
        "the other rules of the plugin still answer"
    );
}
