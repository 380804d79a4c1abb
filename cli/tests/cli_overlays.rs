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
    // No report: only the problem, at the top of the output.
    let out = stdout(&o);
    assert!(
        out.starts_with("须处理的问题") && !out.contains("等级"),
        "{out}"
    );
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
    let bad = icgs(&["check", "--lang", "en", "--as-of", "2026-02-30", &example()]);
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
        "--overlay",
        "gongshu",
        &example(),
    ]);
    assert_eq!(with.status.code(), Some(1), "{}", stderr(&with));
    assert!(stdout(&with).contains("6.4.3"));
}

/// Copies a pack directory (its manifest, rules and test cases) into `to`.
fn copy_pack(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap().path();
        let dest = to.join(entry.file_name().unwrap());
        if entry.is_dir() {
            copy_pack(&entry, &dest);
        } else {
            std::fs::copy(&entry, &dest).unwrap();
        }
    }
}

#[test]
fn init_overlay_on_a_city_prints_a_next_step_that_runs() {
    let scratch = Scratch::new("init-next");
    for id in ["zhejiang", "hangzhou", "binjiang"] {
        copy_pack(
            &root().join("policies/overlays").join(id),
            &scratch.0.join(id),
        );
    }
    let dir = scratch.0.display().to_string();
    let o = icgs(&[
        "init",
        "overlay",
        "xihu",
        "--dir",
        &dir,
        "--extends",
        "hangzhou",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let line = out.lines().find(|l| l.starts_with("next:")).unwrap();
    let command = line.split('`').nth(1).unwrap();
    assert_eq!(
        command,
        format!("icgs check --pack {dir} --overlay xihu PROFILE")
    );
    let args: Vec<String> = command
        .split_whitespace()
        .skip(1)
        .map(|a| {
            if a == "PROFILE" {
                example()
            } else {
                a.to_owned()
            }
        })
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = icgs(&args);
    // Exit 1: the Hangzhou chain's 6.4.3 fails for the example; never 2 (could not run).
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));

    // Elsewhere the base's directory is not known: the step says what to give.
    let alone = Scratch::new("init-next-alone");
    let o = icgs(&[
        "init",
        "overlay",
        "xihu",
        "--dir",
        &alone.0.display().to_string(),
        "--extends",
        "hangzhou",
    ]);
    assert!(
        stdout(&o).contains("where BASE is the directory holding `hangzhou`"),
        "{}",
        stdout(&o)
    );
}

fn xihu() -> String {
    path("core/tests/fixtures/packs/overlay-sibling-xihu")
}

fn overlays_of(report: &Value) -> Vec<&str> {
    report["overlay_chain"]["overlays"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect()
}

#[test]
fn a_sibling_district_never_applies_to_a_binjiang_community() {
    let alone = json(&icgs(&[
        "check",
        "--format",
        "json",
        "--pack",
        &path("policies/overlays"),
        &example(),
    ]));
    let o = icgs(&[
        "check",
        "--format",
        "json",
        "--pack",
        &path("policies/overlays"),
        "--pack",
        &xihu(),
        &example(),
    ]);
    let beside = json(&o);
    assert_eq!(beside["summary"]["score"], alone["summary"]["score"]);
    assert_eq!(
        overlays_of(&beside),
        ["zhejiang@1.0.0", "hangzhou@1.0.0", "binjiang@1.0.0"]
    );
    assert_eq!(beside["overlay_chain"]["chosen_by"], "applies-to");
    assert!(
        beside["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["rule"] != "L.XH.1")
    );
    assert_eq!(beside["derogations"].as_array().unwrap().len(), 1);
    let packs = beside["packs"].as_array().unwrap();
    assert!(packs.iter().all(|p| p["id"] != "xihu"), "{packs:?}");
}

#[test]
fn a_portfolio_gives_each_community_the_chain_of_its_district() {
    let o = icgs(&[
        "check",
        "--format",
        "json",
        "--view",
        "reports",
        "--allow-invalid",
        "--pack",
        &path("policies/overlays"),
        "--pack",
        &xihu(),
        &path("examples/profiles"),
    ]);
    let reports = json(&o);
    let chain = |id: &str| {
        let r = reports
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["profile"]["id"] == id)
            .unwrap_or_else(|| panic!("no {id}: {}", stderr(&o)));
        overlays_of(r).join(" ")
    };
    assert_eq!(
        chain("hz-binjiang-wulian"),
        "zhejiang@1.0.0 hangzhou@1.0.0 binjiang@1.0.0"
    );
    assert_eq!(
        chain("hz-xihu-zhijiang-yichuang"),
        "zhejiang@1.0.0 hangzhou@1.0.0 xihu@1.0.0"
    );
    assert_eq!(
        chain("hz-gongshu-yunhe-wenchuang"),
        "zhejiang@1.0.0 hangzhou@1.0.0"
    );
}

#[test]
fn overlay_names_the_chain_for_every_community_and_suggests_a_near_id() {
    let o = icgs(&[
        "check",
        "--format",
        "json",
        "--pack",
        &path("policies/overlays"),
        "--pack",
        &xihu(),
        "--overlay",
        "xihu",
        &example(),
    ]);
    let report = json(&o);
    assert_eq!(
        overlays_of(&report),
        ["zhejiang@1.0.0", "hangzhou@1.0.0", "xihu@1.0.0"]
    );
    assert_eq!(report["overlay_chain"]["chosen_by"], "named");
    assert_eq!(result(&report, "L.XH.1")["outcome"], "fail");

    let o = icgs(&[
        "check",
        "--pack",
        &path("policies/overlays"),
        "--overlay",
        "binjang",
        &example(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("--overlay `binjang`"), "{err}");
    assert!(err.contains("did you mean `binjiang`?"), "{err}");
}

#[test]
fn two_districts_without_applies_to_are_refused_naming_both() {
    let scratch = Scratch::new("siblings");
    for (id, from) in [
        ("zhejiang", path("policies/overlays/zhejiang")),
        ("hangzhou", path("policies/overlays/hangzhou")),
        ("binjiang", path("policies/overlays/binjiang")),
        ("xihu", xihu()),
    ] {
        let dir = scratch.0.join(id);
        std::fs::create_dir_all(dir.join("rules")).unwrap();
        let manifest = std::fs::read_to_string(format!("{from}/pack.toml")).unwrap();
        let manifest: String = manifest
            .lines()
            .filter(|l| !l.starts_with("applies_to"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(dir.join("pack.toml"), manifest).unwrap();
        for rule in std::fs::read_dir(format!("{from}/rules"))
            .into_iter()
            .flatten()
        {
            let rule = rule.unwrap().path();
            std::fs::copy(&rule, dir.join("rules").join(rule.file_name().unwrap())).unwrap();
        }
    }
    let o = icgs(&[
        "check",
        "--pack",
        &scratch.0.display().to_string(),
        &example(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("xihu/pack.toml:9:1: `extends`: overlays `binjiang` and `xihu` both apply but are not one chain (both build on `hangzhou`)"),
        "{err}"
    );
    // Named, the chain is one again.
    let o = icgs(&[
        "check",
        "--format",
        "json",
        "--pack",
        &scratch.0.display().to_string(),
        "--overlay",
        "binjiang",
        &example(),
    ]);
    assert_eq!(
        overlays_of(&json(&o)),
        ["zhejiang@1.0.0", "hangzhou@1.0.0", "binjiang@1.0.0"]
    );
}

#[test]
fn coverage_counts_every_district_rule_and_agrees_with_lint() {
    let o = icgs(&[
        "test",
        &path("policies/overlays"),
        &xihu(),
        "--coverage",
        "--min-coverage",
        "100",
    ]);
    // Xihu's rule has no case: below the minimum.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = format!("{}{}", stdout(&o), stderr(&o));
    assert!(out.contains("L.XH.1"), "{out}");
    assert!(out.contains("L.BJ.1"), "{out}");
    assert!(out.contains("rule coverage: 1/2 rules"), "{out}");
    let lint = icgs(&["lint", &path("policies/overlays"), &xihu()]);
    assert!(stdout(&lint).contains(", 2 rules"), "{}", stdout(&lint));

    // The overlays alone: Binjiang's rule, not 0/0.
    let o = icgs(&["test", &path("policies/overlays"), "--coverage"]);
    assert!(
        stdout(&o).contains("rule coverage: 1/1 rules"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn doc_shows_each_layer_with_its_dates_and_what_is_in_force() {
    let doc = |as_of: Option<&str>| {
        let mut args = vec![
            "doc".to_owned(),
            path("policies/overlays"),
            path("core/tests/fixtures/packs/overlay-sibling-xihu"),
            "--overlay".into(),
            "binjiang".into(),
        ];
        if let Some(d) = as_of {
            args.extend(["--as-of".to_owned(), d.to_owned()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = icgs(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let undated = doc(None);
    assert!(
        undated.contains("## 地方规范层 · Local layers"),
        "{undated}"
    );
    // The dated Hangzhou value is shown with its date, not dropped.
    assert!(
        undated.contains("| parameter | `premises_min_m2` | 2000 | 2026-07-01 | — | — |"),
        "{undated}"
    );
    assert!(
        undated.contains("| rule | `4.3.2` | level = shall |"),
        "{undated}"
    );
    assert!(
        undated.contains("| new rule | `L.BJ.1` | shall |"),
        "{undated}"
    );
    assert!(undated.contains("`population_max` | 50000"), "{undated}");
    // Never the sibling district.
    assert!(!undated.contains("L.XH.1"), "{undated}");
    let before = doc(Some("2026-06-30"));
    assert!(
        before.contains("| parameter | `premises_min_m2` | 2000 | 2026-07-01 | — | — | 否 no |"),
        "{before}"
    );
    let after = doc(Some("2026-07-01"));
    assert!(
        after.contains("| parameter | `premises_min_m2` | 2000 | 2026-07-01 | — | — | 是 yes |"),
        "{after}"
    );
    let bad = icgs(&["doc", "--as-of", "2026-02-30"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("--as-of: `2026-02-30` is not a date like `2026-07-01`"),
        "{}",
        stderr(&bad)
    );
    // The one date reader: a date not written `YYYY-MM-DD` is refused the same way.
    let loose = icgs(&["doc", "--as-of", "2026-7-1"]);
    assert_eq!(loose.status.code(), Some(2));
    assert!(
        stderr(&loose).contains("is not a date like"),
        "{}",
        stderr(&loose)
    );
}

#[test]
fn the_html_catalogue_shows_the_same_layers_as_the_markdown() {
    let doc = |as_of: &str| {
        let o = icgs(&[
            "doc",
            "--format",
            "html",
            &path("policies/overlays"),
            &path("core/tests/fixtures/packs/overlay-sibling-xihu"),
            "--overlay",
            "binjiang",
            "--as-of",
            as_of,
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let before = doc("2026-06-30");
    let section = before
        .split("<section id=\"layers\">")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap_or_else(|| panic!("no layers section: {before}"));
    // Each layer of the chain, lowest first, Chinese name first; never the sibling district.
    let zj = section
        .find("浙江省现代产业社区建设要求（示例） · Zhejiang")
        .unwrap();
    let hz = section
        .find("杭州市现代产业社区建设补充要求（示例） · Hangzhou")
        .unwrap();
    let bj = section
        .find("滨江区现代产业社区建设实施细则（示例） · Binjiang")
        .unwrap();
    assert!(zj < hz && hz < bj, "{section}");
    assert!(!before.contains("L.XH.1"), "{section}");
    // The dated Hangzhou value with its date, not in force the day before.
    assert!(
        section.contains("<tr><td>参数 parameter</td><td><code>premises_min_m2</code></td><td>2000</td><td>2026-07-01</td><td>—</td><td>—</td><td class=\"not-in-force\">否 no</td></tr>"),
        "{section}"
    );
    assert!(
        section.contains(
            "<td>规则变更 rule change</td><td><code>4.3.2</code></td><td>level = shall</td>"
        ),
        "{section}"
    );
    assert!(
        section.contains("<td>新增规则 new rule</td><td><code>L.BJ.1</code></td><td>shall</td>"),
        "{section}"
    );
    // The derogation, with its document.
    assert!(
        section.contains("<td><code>population_max</code></td><td>50000</td>"),
        "{section}"
    );
    assert!(
        section.contains("滨江区人民政府关于产业社区规模的批复（示例文件）"),
        "{section}"
    );
    let after = doc("2026-07-01");
    assert!(
        after.contains("<td>2026-07-01</td><td>—</td><td>—</td><td class=\"in-force\">是 yes</td>"),
        "{after}"
    );
    // The value in force on that day, in the parameter table.
    assert!(after.contains("2000 (hangzhou@1.0.0)"), "{after}");
    assert!(!before.contains("2000 (hangzhou@1.0.0)"), "{before}");
}

#[test]
fn every_human_format_names_the_chain_and_the_derogations_in_force() {
    let run = |format: &str, lang: &str| {
        let o = icgs(&[
            "check",
            "--format",
            format,
            "--lang",
            lang,
            "--pack",
            &path("policies/overlays"),
            &example(),
        ]);
        stdout(&o)
    };
    // The text report wraps at 80 columns: compare without the white space wrapping moves.
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let zh = run("text", "zh");
    assert!(
        squeeze(&zh).contains(&squeeze("地方规范层：浙江省现代产业社区建设要求（示例） → 杭州市现代产业社区建设补充要求（示例） → 滨江区现代产业社区建设实施细则（示例）；生效的偏离：1 项，依据滨江区人民政府关于产业社区规模的批复（示例文件）")),
        "{zh}"
    );
    let en = run("text", "en").replace('\n', " ");
    assert!(
        en.contains("derogations in force: population_max 30,000 → 50,000"),
        "{en}"
    );
    assert!(run("markdown", "zh").contains("| 地方规范层与偏离 | 地方规范层："));
    assert!(run("html", "zh").contains("地方规范层："));
    let junit = run("junit", "zh");
    assert!(
        junit.contains(r#"<property name="overlay_chain" value="zhejiang@1.0.0 &gt; hangzhou@1.0.0 &gt; binjiang@1.0.0"/>"#),
        "{junit}"
    );
    assert!(
        junit.contains(r#"<property name="derogations" value="population_max 30000 → 50000"/>"#),
        "{junit}"
    );
    let csv = run("csv", "zh");
    let header = csv.lines().next().unwrap();
    assert!(header.ends_with(",overlay_chain,derogations"), "{header}");
    assert!(
        csv.lines().nth(1).unwrap().ends_with(
            ",zhejiang@1.0.0 > hangzhou@1.0.0 > binjiang@1.0.0,population_max 30000 → 50000"
        ),
        "{csv}"
    );
    // The standard alone: no line.
    let plain = icgs(&["check", &example()]);
    assert!(!stdout(&plain).contains("地方规范层"));
}

/// Under the chain, 6.4.3 is a shall (the province's 应) at 3 per 10,000: text, Markdown and
/// HTML show the level in force beside the rule, and its message and remedy quote 3; without
/// the chain the same rows show 宜 and 2.
#[test]
fn text_markdown_and_html_show_the_level_and_values_in_force() {
    let layers =
        ["zhejiang", "hangzhou", "binjiang"].map(|l| path(&format!("policies/overlays/{l}")));
    let run = |chain: bool, format: &str| {
        let mut args = vec!["check", "--lang", "zh", "--format", format];
        if chain {
            for l in &layers {
                args.extend(["--pack", l.as_str()]);
            }
        }
        let example = example();
        args.push(&example);
        stdout(&icgs(&args))
    };
    for (chain, level, ratio) in [(true, "应", "3"), (false, "宜", "2")] {
        let remedy = format!("按每万产业人口不少于 {ratio} 名增配专职社会工作者");
        let message = format!("按每万产业人口 {ratio} 名计{level}不少于");
        let text = run(chain, "text");
        let row = text
            .lines()
            .find(|l| l.trim_start().starts_with("6.4.3 "))
            .unwrap_or_else(|| panic!("no 6.4.3 row:\n{text}"));
        assert!(row.contains(level), "text, chain {chain}: {row}");
        let markdown = run(chain, "markdown");
        let md_row = markdown
            .lines()
            .find(|l| l.starts_with("| 6.4.3 |") && l.contains("专职社会工作者配备比例"))
            .unwrap_or_else(|| panic!("no 6.4.3 row:\n{markdown}"));
        assert!(
            md_row.contains(&format!("| {level} |")),
            "markdown, chain {chain}: {md_row}"
        );
        assert!(
            md_row.contains(&message),
            "markdown, chain {chain}: {md_row}"
        );
        let html = run(chain, "html");
        let html_row = html
            .lines()
            .find(|l| l.starts_with("<tr><td>6.4.3</td>") && l.contains("class=\"outcome"))
            .unwrap_or_else(|| panic!("no 6.4.3 row in the HTML"));
        assert!(
            html_row.contains(&format!("<td>{level}</td>")),
            "html, chain {chain}: {html_row}"
        );
        assert!(
            html_row.contains(&message),
            "html, chain {chain}: {html_row}"
        );
        if chain {
            // The plan names the fix with the ratio in force.
            assert!(
                text.contains(&remedy) || markdown.contains(&remedy),
                "{markdown}"
            );
            assert!(html.contains(&remedy), "remedy with {ratio} in the HTML");
        }
    }
}
