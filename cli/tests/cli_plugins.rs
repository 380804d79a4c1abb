//! `--plugin` and `icgs plugin inspect`: the example plugin end to end, refusals, and the
//! clear error for a category nobody registers.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::icgs;
use icgs_tests::plugins::plugin_library;

fn lib(package: &str) -> String {
    plugin_library(package).unwrap().display().to_string()
}

fn example() -> String {
    icgs_tests::workspace_root()
        .join("examples/profiles/plugins/binjiang-biomedical.json")
        .display()
        .to_string()
}

#[test]
fn inspect_prints_the_manifest_and_the_handshake() {
    let o = icgs(&["plugin", "inspect", &lib("icgs-plugin-biomedical")]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("binjiang-biomedical 1.0.0"), "{out}");
    assert!(out.contains("handshake: ok (ABI 1.2"), "{out}");
    assert!(out.contains("rule C.BM.2 [shall, proposal]"), "{out}");
    assert!(out.contains("category biomedical"), "{out}");
    assert!(out.contains("sets inspections_min = 24"), "{out}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("rule C.BM.")).count(),
        4,
        "{out}"
    );

    let o = icgs(&[
        "plugin",
        "inspect",
        &lib("icgs-plugin-biomedical"),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["rules"].as_array().unwrap().len(), 4);
}

#[test]
fn inspect_reports_a_refused_handshake_with_exit_2() {
    for (package, says) in [
        (
            "icgs-plugin-fixture-bad-abi",
            "plugin ABI 2.0, this host speaks 1.x",
        ),
        (
            "icgs-plugin-fixture-no-entry",
            "no `icgs_plugin_entry_v1` symbol",
        ),
        ("icgs-plugin-fixture-old-host", "requires icgs `>=9.0`"),
    ] {
        let o = icgs(&["plugin", "inspect", &lib(package)]);
        assert_eq!(o.status.code(), Some(2), "{package}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{package}: {err}");
    }
    let pinned = format!(
        "{}#sha256={}",
        lib("icgs-plugin-biomedical"),
        "0".repeat(64)
    );
    let o = icgs(&["plugin", "inspect", &pinned]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("SHA-256"));
}

#[test]
fn check_with_the_plugin_evaluates_its_category_and_without_it_refuses_clearly() {
    let o = icgs(&[
        "check",
        &example(),
        "--plugin",
        &lib("icgs-plugin-biomedical"),
        "--format",
        "json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "C.BM.2 and the tightened 7.3.1 fail"
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let outcome = |id: &str| {
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == id)
            .unwrap()["outcome"]
            .clone()
    };
    assert_eq!(outcome("4.2.2"), "pass");
    assert_eq!(outcome("C.BM.1"), "pass");
    assert_eq!(outcome("C.BM.2"), "fail");
    assert!(
        v["packs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["layer"] == "plugin")
    );

    let o = icgs(&["check", &example()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("category `biomedical` is registered by no pack or plugin"),
        "{err}"
    );
    assert!(
        err.contains("tech-innovation"),
        "names the known categories: {err}"
    );
}

/// A copy of the tech-innovation example with `extensions.hostile` set to `data`.
fn hostile_profile(name: &str, data: serde_json::Value) -> String {
    let mut profile: serde_json::Value = serde_json::from_slice(
        &std::fs::read(common::root().join("examples/profiles/binjiang-tech-innovation.json"))
            .unwrap(),
    )
    .unwrap();
    profile["extensions"] = serde_json::json!({ "hostile": data });
    let path = common::scratch(name).join("profile.json");
    std::fs::write(&path, serde_json::to_vec(&profile).unwrap()).unwrap();
    path.display().to_string()
}

#[test]
fn a_plugin_calling_exit_0_makes_check_exit_2() {
    let profile = hostile_profile("plugin-exit", serde_json::json!({ "mode": "exit" }));
    let o = icgs(&[
        "check",
        &profile,
        "--plugin",
        &lib("icgs-plugin-fixture-hostile"),
    ]);
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("a native plugin called exit()"), "{err}");
    assert!(err.contains("原生插件"), "{err}");
    // The same plugin answering normally: the guard leaves the exit status alone.
    let profile = hostile_profile("plugin-no-exit", serde_json::json!({ "x": 4 }));
    let o = icgs(&[
        "check",
        &profile,
        "--plugin",
        &lib("icgs-plugin-fixture-hostile"),
        "--format",
        "json",
    ]);
    assert_ne!(o.status.code(), Some(2), "{}", common::stderr(&o));
}

#[test]
fn a_plugin_overrunning_plugin_deadline_is_an_error_result() {
    let profile = hostile_profile("plugin-sleep", serde_json::json!({ "mode": "sleep" }));
    let start = std::time::Instant::now();
    let o = icgs(&[
        "check",
        &profile,
        "--plugin",
        &lib("icgs-plugin-fixture-hostile"),
        "--plugin-deadline",
        "200",
        "--format",
        "json",
    ]);
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let x = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "X.H.1")
        .unwrap();
    assert_eq!(x["outcome"], "error");
    assert!(
        x["error"]["message"]
            .as_str()
            .unwrap()
            .contains("did not answer within 200 ms"),
        "{x}"
    );
}
