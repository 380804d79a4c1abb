//! `icgs check`, `icgs rules`, `icgs explain`: output and exit codes (0 no non-conformity,
//! 1 some non-conformity, 2 an input or pack could not be used).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::{icgs, icgs_env, root, scratch, stderr, stdout};
use std::path::Path;

fn example(name: &str) -> String {
    root()
        .join("examples/profiles")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn a_conforming_community_exits_0_with_a_chinese_table_by_default() {
    let o = icgs(&["check", &example("binjiang-tech-innovation.json")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("4 总则"), "{out}");
    assert!(out.contains("8 评价与改进"));
    assert!(out.contains("等级 优秀"), "{out}");
    assert!(out.contains("改进计划"));
    assert!(!out.contains("\x1b["), "no colour when not a terminal");
}

#[test]
fn a_non_conformity_exits_1_and_english_text_names_it() {
    let o = icgs(&[
        "check",
        &example("qiantang-smart-manufacturing.json"),
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("C.SM.2"));
    assert!(out.contains("1 non-conformities"), "{out}");
    // C.SM.2 is a proposal: its failure loses its points but caps the grade only when
    // `proposals_cap_grade` is set, and the report names the cap it would have put.
    assert!(out.contains("Grade excellent"), "{out}");
    // The text is wrapped to 80 columns: read it as one paragraph.
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("proposed clauses C.SM.2 count as non-conformities and lose their points, but would have capped the grade at qualified"),
        "{out}"
    );
}

#[test]
fn json_output_follows_the_report_contract() {
    let o = icgs(&[
        "check",
        &example("xihu-cultural-creative.json"),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["report_version"], "2");
    assert_eq!(v["engine"]["name"], "icgs");
    assert_eq!(v["profile"]["category"], "cultural-creative");
    assert_eq!(v["profile"]["sha256"].as_str().unwrap().len(), 64);
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 84);
    let r = results.iter().find(|r| r["rule"] == "6.4.3").unwrap();
    for key in [
        "clause",
        "level",
        "dimension",
        "outcome",
        "observed",
        "required",
        "message",
        "evidence",
        "params",
        "title",
        "remedy",
        "pack",
    ] {
        assert!(r.get(key).is_some(), "result lacks `{key}`");
    }
    // Version 2 leaves out nulls and what the report holds once (docs/reports.md).
    for key in ["waiver", "error", "provenance"] {
        assert!(r.get(key).is_none(), "result has `{key}`");
    }
    assert!(
        r["params"]["social_workers_per_10k"]
            .get("set_by")
            .is_none()
    );
    assert!(v["packs"][0]["document"].is_string());
    assert_eq!(r["outcome"], "fail");
    assert_eq!(
        r["params"]["social_workers_per_10k"]["layer"],
        "standard@1.0.0"
    );
    for key in [
        "counts",
        "non_conformities",
        "deviations",
        "score",
        "dimensions",
        "grade",
        "veto",
    ] {
        assert!(v["summary"].get(key).is_some(), "summary lacks `{key}`");
    }
    assert!(
        v["improvement_plan"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["rule"] == "6.4.3")
    );
}

#[test]
fn several_profiles_give_a_json_array_and_the_worst_exit_code() {
    let o = icgs(&[
        "check",
        &example("binjiang-tech-innovation.json"),
        &example("weak-community.json"),
        "--format",
        "json",
        "--allow-invalid",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[1]["summary"]["grade"], "unqualified");
    assert_eq!(v[1]["profile_problems"].as_array().unwrap().len(), 5);
}

/// REVISION-2 section E: one profile with three invalid values.
fn invalid_profile() -> std::path::PathBuf {
    let mut p: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(example("binjiang-tech-innovation.json")).unwrap(),
    )
    .unwrap();
    p["premises"][0]["opening_hours"][0]["close"] = "25:00".into();
    // The latest evaluation (8.2.2 reads it): 0.88 fails, 1.5 would pass.
    p["evaluations"][2]["satisfaction"]["employee_rate"] = 1.5.into();
    p["staff"][0]["org_ids"] = serde_json::json!(["no-such-organisation"]);
    let path = common::scratch("check-invalid").join("invalid.json");
    std::fs::write(&path, serde_json::to_vec(&p).unwrap()).unwrap();
    path
}

#[test]
fn invalid_values_are_absent_for_the_rules_that_read_them() {
    let path = invalid_profile();
    let o = icgs(&["check", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "profile problems exit 2");
    assert!(stderr(&o).contains("允许无效数据的选项"), "{}", stderr(&o));
    let en = icgs(&[
        "check",
        path.to_str().unwrap(),
        "--format",
        "json",
        "--lang",
        "en",
    ]);
    assert!(stderr(&en).contains("--allow-invalid"), "{}", stderr(&en));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let result = |rule: &str| {
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == rule)
            .unwrap()
            .clone()
    };
    // A result names its problems by their index in the report's list.
    let problem = |r: &serde_json::Value, i: usize| {
        let index = r["profile_problems"][i].as_u64().unwrap();
        v["profile_problems"][usize::try_from(index).unwrap()].clone()
    };
    // 8.2.2 passed on an employee rate of 1.5; now the rate is absent.
    let r = result("8.2.2");
    assert_eq!(r["outcome"], "insufficient-data", "{r}");
    assert_eq!(
        problem(&r, 0)["pointer"],
        "/evaluations/2/satisfaction/employee_rate"
    );
    // A closing time of 25:00 takes the premises with it: no premise without its hours.
    for rule in ["5.1.1", "5.2.3", "5.2.4"] {
        let r = result(rule);
        assert_eq!(r["outcome"], "insufficient-data", "{rule}: {r}");
        assert_eq!(problem(&r, 0)["absent"], "/premises", "{rule}: {r}");
    }
    // A dangling organisation id in a staff record: the staff list is absent.
    for rule in ["6.4.2", "6.6.1"] {
        assert_eq!(result(rule)["outcome"], "insufficient-data", "{rule}");
    }
    // Rules that read none of them list no problem.
    assert!(result("4.1.1").get("profile_problems").is_none());
    let problems = v["profile_problems"].as_array().unwrap();
    assert_eq!(problems.len(), 3, "{problems:?}");

    let o = icgs(&["check", path.to_str().unwrap(), "--allow-invalid"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    // Wrapped to 80 columns: compare without the white space wrapping moves.
    let flat: String = out.split_whitespace().collect();
    assert!(
        flat.contains("⚠数据无效（格式不符），已按缺失处理：配套用房第1项›开放时间第1项›结束时间"),
        "{out}"
    );
}

#[test]
fn an_unreadable_profile_exits_2_with_every_problem_and_the_others_are_still_checked() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("check-unreadable");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        "{\"id\": \"x\", \"as_of\": \"2026-06-30\", \"premises\": 5, \"staff\": \"none\"}",
    )
    .unwrap();
    let o = icgs(&[
        "check",
        bad.to_str().unwrap(),
        &example("binjiang-tech-innovation.json"),
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("/premises"), "{err}");
    assert!(err.contains("/staff"), "{err}");
    assert!(
        stdout(&o).contains("Score"),
        "the readable profile is still reported"
    );
}

#[test]
fn a_pack_from_disk_replaces_the_embedded_one_and_a_broken_pack_exits_2() {
    let standard = root().join("policies/standard").display().to_string();
    let o = icgs(&[
        "check",
        &example("binjiang-tech-innovation.json"),
        "--pack",
        &standard,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let packs = v["packs"].as_array().unwrap();
    let source = packs.iter().find(|p| p["id"] == "standard").unwrap()["source"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(source.ends_with("policies/standard"), "{source}");

    let broken = root()
        .join("core/tests/fixtures/packs/broken")
        .display()
        .to_string();
    let o = icgs(&[
        "check",
        &example("binjiang-tech-innovation.json"),
        "--pack",
        &broken,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("B.1.rhai:8:13"), "{}", stderr(&o));
}

#[test]
fn rules_and_explain() {
    let o = icgs(&["rules", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("84 rules"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("C.SM.2") && l.contains("smart-manufacturing"))
    );

    let o = icgs(&["explain", "5.1.1"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("配套用房建筑面积应不少于1500 m²。"), "{out}");
    assert!(out.contains("premises_min_m2 = 1500 m2"), "{out}");

    let o = icgs(&["explain", "5.1.9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("错误：没有编号为“5.1.9”的规则；是否应为“5.1.1”？"),
        "{}",
        stderr(&o)
    );
    let o = icgs(&["explain", "5.1.9", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("error: no rule `5.1.9`; did you mean `5.1.1`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn proposals_are_marked_in_rules_explain_and_every_report_format() {
    let legend_zh = "编制说明未规定，待标准正文确认";
    let legend_en = "not fixed by the explanatory note; to be confirmed by the published text";

    let out = stdout(&icgs(&["rules", "--lang", "en"]));
    let row = |id: &str| {
        out.lines()
            .find(|l| l.starts_with(&format!("{id} ")))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(row("4.1.3").contains(" P "), "{out}");
    assert!(!row("5.1.1").contains(" P "), "{out}");
    assert!(out.contains(legend_en), "{out}");
    let out = stdout(&icgs(&["rules"]));
    assert!(out.contains(&format!("拟 = 拟定：{legend_zh}")), "{out}");
    let rules: serde_json::Value =
        serde_json::from_slice(&icgs(&["rules", "--json"]).stdout).unwrap();
    let by = |id: &str| {
        rules
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(by("8.3.1")["origin"], "proposal");
    assert_eq!(by("6.7.1")["origin"], "note");
    assert_eq!(by("C.TI.3")["origin"], "proposal");

    let out = stdout(&icgs(&["explain", "8.4.1"]));
    assert!(out.contains("Origin proposal"), "{out}");
    assert!(out.contains(legend_zh) && out.contains(legend_en), "{out}");
    let out = stdout(&icgs(&["explain", "5.1.1"]));
    assert!(out.contains("Origin note · 编制说明 3.2.2"), "{out}");
    assert!(out.contains("premises_min_m2 = 1500 m2"), "{out}");
    assert!(
        out.contains("编制说明 note (编制说明 3.2.2 第2项)"),
        "{out}"
    );

    let weak = example("weak-community.json");
    let text = stdout(&icgs(&["check", &weak]));
    assert!(text.contains(&format!("拟 = 拟定：{legend_zh}")), "{text}");
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("4.1.3   拟应")),
        "{text}"
    );
    let markdown = stdout(&icgs(&[
        "check", &weak, "--format", "markdown", "--lang", "en",
    ]));
    assert!(markdown.contains("| Rule | Origin | Level |"), "{markdown}");
    assert!(markdown.contains("| 4.1.3 | P | shall |"), "{markdown}");
    assert!(markdown.contains(legend_en), "{markdown}");
    let html = stdout(&icgs(&["check", &weak, "--format", "html"]));
    assert!(html.contains("<td title=\"拟定\">拟</td>"), "{html}");
    let csv = stdout(&icgs(&["check", &weak, "--format", "csv"]));
    let header = csv.lines().next().unwrap_or_default();
    assert!(header.contains(",level,origin,origin_source,"), "{header}");
    assert!(
        csv.lines()
            .any(|l| l.contains(",4.1.3,4.1.3,shall,proposal,")),
        "{csv}"
    );
    assert!(
        csv.lines()
            .any(|l| l.contains(",5.1.1,5.1.1,shall,note,编制说明")),
        "{csv}"
    );
    let report: serde_json::Value =
        serde_json::from_slice(&icgs(&["check", &weak, "--format", "json"]).stdout).unwrap();
    let result = |id: &str| {
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(result("4.1.3")["origin"], "proposal");
    assert_eq!(result("4.1.1")["origin"], "note");
    assert_eq!(
        result("4.1.1")["params"]["population_min"]["origin"],
        "note"
    );
    assert_eq!(result("6.5.3")["origin"], "note");
    assert_eq!(
        result("6.5.3")["params"]["troika_meetings_min"]["origin"],
        "proposal",
        "an N / P row: the clause is the note's, its number a proposal"
    );
    assert_eq!(report["summary"]["model"]["proposals_cap_grade"], false);
    assert_eq!(
        report["summary"]["model"]["origin"]["veto_rules"],
        "proposal"
    );
}

#[test]
fn an_overlay_may_let_proposals_cap_the_grade() {
    let dir = scratch("proposals-cap-overlay");
    std::fs::write(
        dir.join("pack.toml"),
        r#"id = "strict"
name = { zh = "严格示例", en = "Strict example" }
version = "1.0.0"
requires = ">=0.1, <2"
edition = "杭州 2025 团体标准（征求意见稿编号待定）"
layer = "overlay"
extends = { id = "standard", version = "^1" }

[set_params]
proposals_cap_grade = true
"#,
    )
    .unwrap();
    let profile = example("qiantang-smart-manufacturing.json");
    let json = |args: &[&str]| -> serde_json::Value {
        serde_json::from_slice(&icgs(args).stdout).unwrap()
    };
    let plain = json(&["check", &profile, "--format", "json"]);
    let strict = json(&[
        "check",
        &profile,
        "--format",
        "json",
        "--pack",
        &dir.display().to_string(),
    ]);
    // C.SM.2 (a proposal, shall) fails: by default it caps nothing and is named apart.
    assert_eq!(plain["summary"]["model"]["proposals_cap_grade"], false);
    assert_eq!(plain["summary"]["grade"], "excellent");
    assert_eq!(plain["summary"]["caps"], serde_json::json!([]));
    assert_eq!(
        plain["summary"]["proposal_caps"][0]["rules"],
        serde_json::json!(["C.SM.2"])
    );
    // Under the overlay it caps like a clause of the note.
    assert_eq!(strict["summary"]["model"]["proposals_cap_grade"], true);
    assert_eq!(strict["summary"]["grade"], "qualified");
    assert_eq!(
        strict["summary"]["caps"][0]["rules"],
        serde_json::json!(["C.SM.2"])
    );
    assert!(strict["summary"].get("proposal_caps").is_none());
    assert_eq!(
        strict["summary"]["score"], plain["summary"]["score"],
        "the points are lost either way"
    );
}

#[test]
fn the_language_defaults_to_icgs_lang_then_the_locale() {
    let file = example("qiantang-smart-manufacturing.json");
    let args = ["check", file.as_str(), "--quiet"];
    let en = stdout(&icgs_env(&args, &[("ICGS_LANG", "en")]));
    assert!(en.contains("non-conformities"), "{en}");
    let locale = stdout(&icgs_env(&args, &[("LANG", "en_GB.UTF-8")]));
    assert!(locale.contains("non-conformities"), "{locale}");
    // ICGS_LANG wins over the locale, and --lang over both.
    let zh = stdout(&icgs_env(
        &args,
        &[("ICGS_LANG", "zh"), ("LANG", "en_US.UTF-8")],
    ));
    assert!(zh.contains("不符合项"), "{zh}");
    let flag = stdout(&icgs_env(
        &["check", file.as_str(), "--quiet", "--lang", "zh"],
        &[("ICGS_LANG", "en")],
    ));
    assert!(flag.contains("不符合项"), "{flag}");
    assert_eq!(zh.lines().count(), 1, "--quiet prints one line: {zh}");
}

#[test]
fn top_limits_the_fixes_listed_first_and_the_grade_leads() {
    let file = example("weak-community.json");
    let o = icgs(&["check", file.as_str(), "--allow-invalid", "--top", "3"]);
    let out = stdout(&o);
    assert!(out.contains("首要整改（"), "{out}");
    assert!(out.contains("用 --top 0 显示全部"), "{out}");
    assert!(out.lines().next().is_some_and(|l| l.contains("青禾")));
    let grade = out
        .lines()
        .position(|l| l.starts_with("等级 "))
        .unwrap_or(99);
    assert!(grade < 5, "the grade leads: {out}");
    // The width is measured with Unicode East Asian Width in render/tests/plain_words.rs.
}

#[test]
fn explain_matches_rule_ids_in_any_case() {
    let o = icgs(&["explain", "c.sm.2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("C.SM.2"));
}

#[test]
fn help_documents_the_exit_codes() {
    let out = stdout(&icgs(&["--help"]));
    assert!(out.contains("退出码 / Exit codes"), "{out}");
    assert!(out.contains("ICGS_LANG"), "{out}");
}
