//! Overlays on the command line: `check --pack` in layer order, `--as-of`, `--waivers`,
//! `explain` showing the chain, `init overlay`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::{icgs, root, stderr, stdout};
use serde_json::Value;

fn path(rel: &str) -> String {
    root().join(rel).display().to_string()
}

fn example() -> String {
    path("examples/profiles/binjiang-tech-innovation.json")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(o)))
}

/// A fresh directory under the system's temporary directory, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("icgs-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn result<'a>(report: &'a Value, rule: &str) -> &'a Value {
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule}"))
}

#[test]
fn the_chain_runs_from_repeated_packs_in_any_order_with_the_same_report() {
    let layers =
        ["zhejiang", "hangzhou", "binjiang"].map(|l| path(&format!("policies/overlays/{l}")));
    let run = |order: [usize; 3]| {
        let mut args = vec!["check".to_owned(), "--format".into(), "json".into()];
        for i in order {
            args.push("--pack".into());
            args.push(layers[i].clone());
        }
        args.push(example());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        icgs(&args)
    };
    let forward = run([0, 1, 2]);
    // The chain is stricter than the standard: 6.4.3 becomes a requirement the example
    // community does not meet (9 social workers for 28,000 people at 3 per 10,000).
    assert_eq!(forward.status.code(), Some(1), "{}", stderr(&forward));
    let backward = run([2, 1, 0]);
    assert_eq!(
        forward.stdout, backward.stdout,
        "byte-identical whatever the order"
    );
    let dir = icgs(&[
        "check",
        "--format",
        "json",
        "--pack",
        &path("policies/overlays"),
        &example(),
    ]);
    assert_eq!(forward.stdout, dir.stdout);

    let report = json(&forward);
    let packs: Vec<&str> = report["packs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(
        packs.ends_with(&["zhejiang", "hangzhou", "binjiang"]),
        "{packs:?}"
    );
    assert_eq!(report["derogations"][0]["id"], "population_max");
    assert_eq!(report["derogations"][0]["by"]["pack"], "binjiang");
    assert_eq!(result(&report, "6.4.3")["level"], "shall");
    assert_eq!(
        result(&report, "6.4.3")["provenance"]["changed_by"]["pack"],
        "zhejiang"
    );
    assert_eq!(result(&report, "L.BJ.1")["outcome"], "pass");
    assert_eq!(result(&report, "6.4.3")["outcome"], "fail");
    assert_eq!(result(&report, "6.4.3")["required"], 9);
    let plain = json(&icgs(&["check", "--format", "json", &example()]));
    assert_eq!(result(&plain, "6.4.3")["outcome"], "pass");
    let p = &result(&report, "7.3.4")["params"]["emergency_response_minutes_max"];
    assert_eq!(p["value"], 20);
    assert_eq!(p["set_by"]["pack"], "hangzhou");
    assert_eq!(p["set_by"]["effective_from"], "2026-03-01");
}

#[test]
fn an_overlay_without_its_base_exits_2_naming_the_file_and_entry() {
    let o = icgs(&[
        "check",
        "--pack",
        &path("policies/overlays/binjiang"),
        &example(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("binjiang/pack.toml:9:1: `extends`"), "{err}");
    assert!(
        err.contains("extends `hangzhou` `^1`, which is not among the packs loaded"),
        "{err}"
    );
    assert!(stdout(&o).is_empty());
}

#[test]
fn a_loosening_overlay_exits_2_with_line_and_column() {
    let o = icgs(&[
        "rules",
        "--pack",
        &path("core/tests/fixtures/packs/overlay-refuse-lower-minimum"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("overlay-refuse-lower-minimum/pack.toml:11:1: `set_params.premises_min_m2`: `1200` loosens `1500`"),
        "{err}"
    );
}

#[test]
fn as_of_moves_the_evaluation_date_and_is_checked() {
    let june = json(&icgs(&[
        "check",
        "--format",
        "json",
        "--pack",
        &path("policies/overlays"),
        &example(),
    ]));
    let july = icgs(&[
        "check",
        "--format",
        "json",
        "--pack",
        &path("policies/overlays"),
        "--as-of",
        "2026-07-01",
        &example(),
    ]);
    let july = json(&july);
    let premises = |r: &Value| result(r, "5.1.1")["params"]["premises_min_m2"]["value"].clone();
    assert_eq!(premises(&june), 1500);
    assert_eq!(premises(&july), 2000);
    assert_eq!(july["evaluated_as_of"], "2026-07-01");
    let bad = icgs(&["check", "--as-of", "2026-02-30", &example()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("--as-of: the evaluation date `2026-02-30` is not a date"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn profile_waivers_apply_only_when_trusted() {
    let scratch = Scratch::new("profile-waivers");
    let weak = path("examples/profiles/weak-community.json");
    let before = json(&icgs(&["check", "--format", "json", &weak]));
    // A failing rule outside chapter 4 (whose shall rules are not waivable).
    let rule = before["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["outcome"] == "fail" && !r["rule"].as_str().unwrap().starts_with("4."))
        .map(|r| r["rule"].as_str().unwrap().to_owned())
        .expect("the weak example fails some rule outside chapter 4");
    let mut profile: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/profiles/weak-community.json")).unwrap(),
    )
    .unwrap();
    profile["waivers"] = serde_json::json!([{
        "clause": rule, "justification": "waiting for the district's decision",
        "requested_by": "community office", "approved_by": "district office",
        "approved_on": "2026-01-10", "expires_on": "2026-12-31"
    }]);
    let file = scratch.0.join("weak-with-waiver.json");
    std::fs::write(&file, serde_json::to_vec(&profile).unwrap()).unwrap();
    let file = file.display().to_string();

    let untrusted = json(&icgs(&["check", "--format", "json", &file]));
    assert_eq!(result(&untrusted, &rule)["outcome"], "fail");
    assert_eq!(untrusted["waiver_problems"][0]["problem"], "untrusted");
    let trusted = json(&icgs(&[
        "check",
        "--format",
        "json",
        "--trust-profile-waivers",
        &file,
    ]));
    assert_eq!(result(&trusted, &rule)["outcome"], "waived");
    assert!(trusted["waiver_problems"].as_array().unwrap().is_empty());
}

#[test]
fn waiver_files_waive_failures_and_report_problems() {
    let scratch = Scratch::new("waivers");
    let file = scratch.0.join("district-waivers.json");
    std::fs::write(
        &file,
        r#"[
  { "clause": "C.SM.2", "justification": "drill rescheduled after the plant expansion",
    "requested_by": "community office", "approved_by": "district emergency bureau",
    "approved_on": "2026-05-01", "expires_on": "2026-09-30" },
  { "clause": "6.4.3", "justification": "j", "requested_by": "x", "approved_by": "x",
    "approved_on": "2026-05-01", "expires_on": "2026-09-30" }
]
"#,
    )
    .unwrap();
    let profile = path("examples/profiles/qiantang-smart-manufacturing.json");
    let before = json(&icgs(&["check", "--format", "json", &profile]));
    assert_eq!(result(&before, "C.SM.2")["outcome"], "fail");
    let o = icgs(&[
        "check",
        "--format",
        "json",
        "--waivers",
        &file.display().to_string(),
        &profile,
    ]);
    let report = json(&o);
    let r = result(&report, "C.SM.2");
    assert_eq!(r["outcome"], "waived");
    assert_eq!(r["waiver"]["waived_outcome"], "fail");
    assert_eq!(r["waiver"]["pointer"], "/0");
    assert_eq!(report["waiver_problems"][0]["problem"], "self-approved");
    assert_eq!(report["waiver_problems"][0]["pointer"], "/1");

    std::fs::write(&file, "[{ \"clause\": \"6.4.3\", \"aproved_by\": \"x\" }]").unwrap();
    let o = icgs(&["check", "--waivers", &file.display().to_string(), &profile]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("district-waivers.json:1:23: /0/aproved_by: unknown field `aproved_by`"),
        "{err}"
    );
}

#[test]
fn explain_shows_the_chain_behind_a_rule() {
    let o = icgs(&[
        "explain",
        "4.1.1",
        "--pack",
        &path("policies/overlays"),
        "--as-of",
        "2026-06-30",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("defined by standard@1.0.0 (standard)"),
        "{out}"
    );
    assert!(
        out.contains("population_max persons (stricter: lower)"),
        "{out}"
    );
    assert!(
        out.contains("50000        binjiang@1.0.0 (overlay)"),
        "{out}"
    );
    assert!(
        out.contains("derogation: 滨江区产业社区以高层商务楼宇群为主"),
        "{out}"
    );
    assert!(out.contains("← in force on 2026-06-30"), "{out}");

    let o = icgs(&["explain", "6.4.3", "--pack", &path("policies/overlays")]);
    let out = stdout(&o);
    assert!(out.contains("changed by zhejiang@1.0.0 (overlay) · 浙江省现代产业社区建设指引（示例文件）第三条 · from 2026-01-01: level → shall"), "{out}");

    let o = icgs(&[
        "explain",
        "5.1.1",
        "--pack",
        &path("policies/overlays"),
        "--as-of",
        "2026-07-01",
    ]);
    let out = stdout(&o);
    let marked: Vec<&str> = out.lines().filter(|l| l.contains("← in force")).collect();
    assert_eq!(marked.len(), 1, "{out}");
    assert!(marked[0].contains("hangzhou@1.0.0"), "{out}");
}

#[test]
fn init_overlay_scaffolds_a_loadable_layer_and_never_overwrites() {
    let scratch = Scratch::new("init");
    let dir = scratch.0.display().to_string();
    let o = icgs(&["init", "overlay", "xihu", "--dir", &dir]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pack = scratch.0.join("xihu");
    for file in ["pack.toml", "README.md", "rules", "tests"] {
        assert!(pack.join(file).exists(), "{file}");
    }
    let manifest = std::fs::read_to_string(pack.join("pack.toml")).unwrap();
    assert!(manifest.contains("id = \"xihu\""));
    assert!(manifest.contains("extends = { id = \"standard\", version = \"^1\" }"));
    // As scaffolded it loads and changes nothing.
    let plain = icgs(&["check", "--format", "json", &example()]);
    let with = icgs(&[
        "check",
        "--format",
        "json",
        "--pack",
        &pack.display().to_string(),
        &example(),
    ]);
    assert_eq!(with.status.code(), Some(0), "{}", stderr(&with));
    assert_eq!(json(&plain)["summary"], json(&with)["summary"]);

    // A second time: refused, the existing pack untouched, no staging left behind.
    std::fs::write(pack.join("pack.toml"), "# filled in by the city\n").unwrap();
    let again = icgs(&["init", "overlay", "xihu", "--dir", &dir]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read_to_string(pack.join("pack.toml")).unwrap(),
        "# filled in by the city\n"
    );
    let left: Vec<_> = std::fs::read_dir(&scratch.0).unwrap().collect();
    assert_eq!(left.len(), 1);

    let bad = icgs(&["init", "overlay", "Xi Hu", "--dir", &dir]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("is not a pack id"));
    // On top of a city layer.
    let o = icgs(&[
        "init",
        "overlay",
        "gongshu",
        "--dir",
        &dir,
        "--extends",
        "hangzhou",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let with = icgs(&[
        "check",
        "--pack",
        &path("policies/overlays"),
        "--pack",
        &scratch.0.join("gongshu").display().to_string(),
        &example(),
    ]);
    assert_eq!(with.status.code(), Some(1), "{}", stderr(&with));
    assert!(stdout(&with).contains("6.4.3"));
}
