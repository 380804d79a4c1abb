//! `--plugin` and `icgs plugin inspect`: the example plugin end to end, refusals, and the
//! clear error for a category nobody registers.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

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
    // The command line names the flags that load a local category.
    assert!(
        err.contains("a local category needs its pack (`--pack`) or plugin (`--plugin`)"),
        "{err}"
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

/// The code blocks of `docs/plugin-authoring.md` marked `<!-- file: NAME -->`, unindented.
fn doc_files(doc: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .trim()
            .strip_prefix("<!-- file: ")
            .and_then(|r| r.strip_suffix(" -->"))
        else {
            continue;
        };
        let fence = lines.next().unwrap();
        let indent = fence.len() - fence.trim_start().len();
        assert!(fence.trim_start().starts_with("```"), "{name}: {fence}");
        let mut text = String::new();
        for l in lines.by_ref() {
            if l.trim() == "```" {
                break;
            }
            text.push_str(l.get(indent..).unwrap_or(""));
            text.push('\n');
        }
        files.push((name.to_owned(), text));
    }
    files
}

/// The first ```json block after `heading`.
fn doc_json_after(doc: &str, heading: &str) -> serde_json::Value {
    let rest = &doc[doc.find(heading).unwrap()..];
    let start = rest.find("```json\n").unwrap() + "```json\n".len();
    let end = rest[start..].find("```").unwrap();
    serde_json::from_str(&rest[start..start + end]).unwrap()
}

#[test]
fn a_city_crate_outside_the_workspace_built_as_the_doc_shows_runs_with_check() {
    let root = common::root();
    let doc = std::fs::read_to_string(root.join("docs/plugin-authoring.md")).unwrap();
    let files = doc_files(&doc);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Cargo.toml", "src/lib.rs"]);
    let dir = std::env::temp_dir().join(format!("icgs-city-plugin-{}", std::process::id()));
    assert!(!dir.starts_with(&root), "outside the workspace");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let api = root.join("plugins/api").display().to_string();
    for (name, text) in &files {
        let text = if name == "Cargo.toml" {
            assert!(text.contains(r#"path = "../icgs/plugins/api""#), "{text}");
            text.replace("../icgs/plugins/api", &api)
        } else {
            text.clone()
        };
        std::fs::write(dir.join(name), text).unwrap();
    }
    // The versions this checkout was built with, so that the offline build finds them; the
    // shared target directory reuses what is already compiled.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .args([
            "build",
            "--offline",
            "--message-format=json-render-diagnostics",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lib = out
        .stdout
        .split(|b| *b == b'\n')
        .filter_map(|l| serde_json::from_slice::<serde_json::Value>(l).ok())
        .filter(|v| v["reason"] == "compiler-artifact" && v["target"]["name"] == "xihu_lab")
        .flat_map(|v| v["filenames"].as_array().cloned().unwrap_or_default())
        .filter_map(|f| f.as_str().map(str::to_owned))
        .find(|f| f.ends_with(std::env::consts::DLL_EXTENSION))
        .unwrap();

    // The manifest the doc shows in full is the one the crate declares.
    let o = icgs(&["plugin", "inspect", &lib, "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let declared: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(declared, doc_json_after(&doc, "### The manifest"));

    let mut profile: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root.join("examples/profiles/plugins/binjiang-biomedical.json")).unwrap(),
    )
    .unwrap();
    profile["category"] = serde_json::json!("xihu-lab");
    let mut outcome_of = |officers: serde_json::Value| {
        profile["extensions"] = serde_json::json!({ "xihu-lab": { "safety_officers": officers } });
        let path = dir.join("community.json");
        std::fs::write(&path, serde_json::to_vec(&profile).unwrap()).unwrap();
        let o = icgs(&[
            "check",
            "--plugin",
            &lib,
            &path.display().to_string(),
            "--format",
            "json",
        ]);
        let v: serde_json::Value =
            serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", common::stderr(&o)));
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == "C.XL.1")
            .unwrap()
            .clone()
    };
    assert_eq!(outcome_of(serde_json::json!(3))["outcome"], "pass");
    assert_eq!(outcome_of(serde_json::json!(1))["outcome"], "fail");
    let wrong = outcome_of(serde_json::json!("3"));
    assert_eq!(wrong["outcome"], "error");
    assert!(
        wrong["error"]["message"].as_str().unwrap().contains(
            r#"expected a whole number, zero or more at /extensions/xihu-lab/safety_officers, found the string "3""#
        ),
        "{wrong}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn inspect_runs_every_check_of_check_and_exits_2_on_what_it_would_refuse() {
    let misbehaving = lib("icgs-plugin-fixture-misbehaving");
    for (variant, says) in [
        ("must", "rule `X.1`: unknown variant `must`"),
        ("undeclared", "reads parameter `nowhere_declared`"),
        ("set-unknown", "unknown parameter `nowhere_declared`"),
        ("duplicate", "`5.1.1`"),
    ] {
        let o = common::icgs_env(
            &["plugin", "inspect", &misbehaving],
            &[("ICGS_MISBEHAVING_MANIFEST", variant)],
        );
        let err = common::stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{variant}: {err}");
        assert!(err.contains(says), "{variant}: {err}");
        assert!(!common::stdout(&o).contains("handshake: ok"), "{variant}");
        // `check` refuses the same plugin.
        let o = common::icgs_env(
            &["check", &example(), "--plugin", &misbehaving],
            &[("ICGS_MISBEHAVING_MANIFEST", variant)],
        );
        assert_eq!(o.status.code(), Some(2), "{variant}");
    }
    let o = icgs(&["plugin", "inspect", &misbehaving]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let out = common::stdout(&o);
    assert!(out.contains("engine: ok"), "{out}");
    assert!(out.contains("sha256: "), "{out}");
}

/// A pack whose rule reads the biomedical plugin's parameter, with one test case.
fn pack_reading_a_plugin_parameter() -> String {
    let dir = common::scratch("pack-with-plugin").join("bm-local");
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    std::fs::create_dir_all(dir.join("tests/L.BM.1")).unwrap();
    std::fs::copy(
        common::root().join("policies/standard/tests/base.json"),
        dir.join("tests/base.json"),
    )
    .unwrap();
    std::fs::write(
        dir.join("pack.toml"),
        r#"id = "bm-local"
name = { zh = "生物医药本地细则（示例）", en = "Local biomedical rules (example)" }
version = "1.0.0"
requires = ">=0.1, <2"
edition = "杭州 2025 团体标准（征求意见稿编号待定）"
layer = "overlay"
document = "本地细则（示例文件）"
"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("rules/L.BM.1.rhai"),
        r#"// L.BM.1 应 — reads the biomedical plugin's parameter.
const RULE = #{
    id: "L.BM.1",
    clause: "L.BM.1",
    level: "shall",
    dimension: "governance-services",
    params: ["bm_biosafety_drills_min"],
    origin: "proposal",
    source: "本地细则（示例文件）",
    title: #{ zh: "演练次数要求", en: "Drill requirement" },
    text: #{ zh: "演练次数要求应不少于2次。", en: "The drill requirement shall be at least two." },
    check: #{ zh: "演练次数要求不少于2次", en: "the drill requirement is at least two" },
    message: #{ zh: "要求演练 {observed} 次，至少 {required} 次", en: "{observed} drills required, at least {required}" },
    remedy: #{ zh: "按插件的要求设置演练次数", en: "Set the drill requirement as the plugin does" },
};

fn check(c, params) {
    at_least(params.bm_biosafety_drills_min, 2)
}
"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("tests/L.BM.1/passes.json"),
        r#"{
  "description": "the plugin's default of two drills meets the local rule",
  "base": "../base.json",
  "expect": { "L.BM.1": { "outcome": "pass" } }
}
"#,
    )
    .unwrap();
    dir.display().to_string()
}

#[test]
fn test_lint_and_doc_take_plugin() {
    let pack = pack_reading_a_plugin_parameter();
    let plugin = lib("icgs-plugin-biomedical");
    for command in ["test", "lint", "doc"] {
        let without = icgs(&[command, &pack]);
        assert_ne!(
            without.status.code(),
            Some(0),
            "{command} without the plugin: the parameter is undeclared"
        );
        let with = icgs(&[command, &pack, "--plugin", &plugin]);
        assert_eq!(
            with.status.code(),
            Some(0),
            "{command}: {}{}",
            common::stdout(&with),
            common::stderr(&with)
        );
        if command == "doc" {
            let out = common::stdout(&with);
            assert!(out.contains("C.BM.1") && out.contains("L.BM.1"), "{out}");
        }
    }
}
