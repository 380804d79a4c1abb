//! Report formats, portfolios, `--output`, `icgs diff` and determinism, end to end through
//! the binary.
//!
//! Golden files: `tests/golden/<example>.<format>` for every example profile and format, and
//! `tests/golden/portfolio.<format>` for the examples directory. After a reviewed change,
//! regenerate them with `ICGS_BLESS=1 cargo test -p icgs-cli --test cli_report` and review
//! `git diff tests/golden`.
//!
//! The HTML pages are opened in headless Chromium (`/usr/bin/chromium`, Debian's package,
//! installed by `.ci/run`); without it that test fails and says how to install it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

mod common;

use common::{icgs, icgs_env, root, scratch, stderr, stdout};
use std::path::Path;
use std::process::Command;

fn examples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("examples/profiles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 7);
    names
}

/// (format argument, extra arguments, golden file extension)
const FORMATS: [(&str, &[&str], &str); 5] = [
    ("text", &[], "txt"),
    ("markdown", &[], "md"),
    ("html", &[], "html"),
    ("junit", &["--lang", "en"], "junit.xml"),
    ("csv", &[], "csv"),
];

fn compare_or_bless(path: &Path, got: &str, stale: &mut Vec<String>) {
    if let Err(e) = icgs_tests::golden::compare_or_bless(path, got) {
        stale.push(e);
    }
}

#[test]
fn every_format_of_every_example_matches_its_golden_file() {
    let mut stale = Vec::new();
    for name in examples() {
        let input = format!("examples/profiles/{name}.json");
        for (format, extra, ext) in FORMATS {
            // The weak example has validation problems by design (section E).
            let mut args = vec![
                "check",
                input.as_str(),
                "--allow-invalid",
                "--format",
                format,
            ];
            args.extend_from_slice(extra);
            let o = icgs(&args);
            assert!(
                matches!(o.status.code(), Some(0 | 1)),
                "{name} {format}: {}",
                stderr(&o)
            );
            let path = root().join(format!("tests/golden/{name}.{ext}"));
            compare_or_bless(&path, &stdout(&o), &mut stale);
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nreview, then regenerate with ICGS_BLESS=1 cargo test -p icgs-cli --test cli_report",
        stale.join("\n")
    );
}

#[test]
fn the_portfolio_of_the_examples_matches_its_golden_files() {
    let mut stale = Vec::new();
    for (format, ext) in [
        ("text", "txt"),
        ("markdown", "md"),
        ("html", "html"),
        ("csv", "csv"),
        ("json", "json"),
        ("junit", "junit.xml"),
    ] {
        let mut args = vec![
            "check",
            "examples/profiles",
            "--allow-invalid",
            "--view",
            "portfolio",
            "--format",
            format,
            "--lang",
            "en",
        ];
        // Indented, so that a change reads as a diff of lines.
        if format == "json" {
            args.push("--pretty");
        }
        let o = icgs(&args);
        assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
        let path = root().join(format!("tests/golden/portfolio.{ext}"));
        compare_or_bless(&path, &stdout(&o), &mut stale);
    }
    assert!(
        stale.is_empty(),
        "{}\nreview, then regenerate with ICGS_BLESS=1 cargo test -p icgs-cli --test cli_report",
        stale.join("\n")
    );
}

#[test]
fn outputs_are_byte_identical_across_runs_and_thread_counts() {
    for args in [
        vec!["check", "examples/profiles", "--format", "json"],
        vec!["check", "examples/profiles", "--format", "markdown"],
        vec!["check", "examples/profiles", "--format", "html"],
        vec!["check", "examples/profiles", "--format", "csv"],
        vec![
            "check",
            "examples/profiles",
            "--format",
            "csv",
            "--view",
            "reports",
        ],
        vec![
            "check",
            "examples/profiles",
            "--format",
            "html",
            "--view",
            "reports",
        ],
        vec![
            "check",
            "examples/profiles/weak-community.json",
            "--format",
            "html",
        ],
    ] {
        let one = icgs_env(&args, &[("RAYON_NUM_THREADS", "1")]);
        let many = icgs_env(&args, &[("RAYON_NUM_THREADS", "4")]);
        let again = icgs(&args);
        assert!(!one.stdout.is_empty(), "{args:?}");
        assert_eq!(one.stdout, many.stdout, "{args:?}: one thread vs four");
        assert_eq!(one.stdout, again.stdout, "{args:?}: two runs");
    }
}

#[test]
fn the_json_report_answers_the_next_grade_question() {
    let o = icgs(&[
        "check",
        "examples/profiles/qiantang-smart-manufacturing.json",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let s = &v["summary"];
    // C.SM.2 is a proposal: by default its failure caps nothing and is named apart.
    assert_eq!(s["grade"], "excellent");
    assert_eq!(
        s["proposal_caps"][0]["rules"],
        serde_json::json!(["C.SM.2"])
    );
    assert!(s["next_grade"].is_null(), "excellent is the best grade");
    assert_eq!(v["improvement_plan"][0]["rule"], "C.SM.2");

    // With `proposals_cap_grade` set by an overlay it caps, and the next grade needs it.
    let dir = scratch("next-grade-proposals-cap");
    std::fs::write(
        dir.join("pack.toml"),
        "id = \"strict\"\nname = { zh = \"严格\", en = \"Strict\" }\nversion = \"1.0.0\"\n\
         requires = \">=0.1, <2\"\nedition = \"杭州 2025 团体标准（征求意见稿编号待定）\"\nlayer = \"overlay\"\n\
         extends = { id = \"standard\", version = \"^1\" }\n\n[set_params]\nproposals_cap_grade = true\n",
    )
    .unwrap();
    let o = icgs(&[
        "check",
        "examples/profiles/qiantang-smart-manufacturing.json",
        "--format",
        "json",
        "--pack",
        &dir.display().to_string(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let s = &v["summary"];
    assert_eq!(s["grade"], "qualified");
    assert_eq!(s["score_grade"], "excellent");
    assert_eq!(s["caps"][0]["kind"], "shall-failure-cap");
    assert_eq!(s["caps"][0]["rules"], serde_json::json!(["C.SM.2"]));
    let next = &s["next_grade"];
    assert_eq!(next["target"], "good");
    assert_eq!(next["status"], "reachable");
    assert_eq!(next["fixes"].as_array().unwrap().len(), 1);
    assert_eq!(next["fixes"][0]["rule"], "C.SM.2");
    assert_eq!(next["fixes"][0]["reason"], "cap");
    assert_eq!(next["grade_after"], "excellent");
    // The model in force is in the report, every number of it.
    assert_eq!(s["model"]["dimensions"]["governance-services"], 35);
    assert_eq!(s["model"]["shall_failure_cap"], "qualified");
    assert_eq!(s["model"]["veto_incident_months"], 12);
    // The plan: non-conformities first; a step names its result, which has the observed
    // and required values and the remedy.
    let plan = v["improvement_plan"].as_array().unwrap();
    assert_eq!(plan[0]["rule"], "C.SM.2");
    let result = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == plan[0]["rule"])
        .unwrap();
    assert!(result.get("observed").is_some() && result.get("required").is_some());
    assert!(result["remedy"]["zh"].is_string());
}

#[test]
fn the_weak_community_lists_unscored_rules_apart_and_needs_many_fixes() {
    let o = icgs(&[
        "check",
        "examples/profiles/weak-community.json",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let s = &v["summary"];
    let unscored = s["unscored"]["insufficient-data"].as_array().unwrap();
    assert_eq!(
        unscored.len() as u64,
        s["counts"]["insufficient-data"].as_u64().unwrap()
    );
    let next = &s["next_grade"];
    assert_eq!(next["target"], "qualified");
    let fixes = next["fixes"].as_array().unwrap();
    assert!(next["score_after"].as_f64().unwrap() >= 60.0);
    // Taking the largest gains: no fix outside the set gains more than the smallest inside.
    let plan = v["improvement_plan"].as_array().unwrap();
    let min_in = fixes
        .iter()
        .map(|f| f["gain"].as_f64().unwrap())
        .fold(f64::MAX, f64::min);
    for p in plan {
        if !fixes.iter().any(|f| f["rule"] == p["rule"]) {
            assert!(p["gain"].as_f64().unwrap() <= min_in, "{p}");
        }
    }
}

#[test]
fn junit_has_a_case_per_rule_with_failures_skips_and_totals() {
    let o = icgs(&[
        "check",
        "examples/profiles/qiantang-smart-manufacturing.json",
        "--format",
        "junit",
        "--lang",
        "en",
    ]);
    let xml = stdout(&o);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut cases, mut failures, mut skipped, mut depth) = (0, 0, 0, 0_i32);
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) => {
                depth += 1;
                match e.name().as_ref() {
                    "testcase" => cases += 1,
                    "failure" => failures += 1,
                    _ => {}
                }
            }
            quick_xml::events::Event::Empty(e) => match e.name().as_ref() {
                "testcase" => cases += 1,
                "skipped" => skipped += 1,
                _ => {}
            },
            quick_xml::events::Event::End(_) => depth -= 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
    assert_eq!(cases, 84);
    assert_eq!(failures, 2);
    assert_eq!(skipped, 10, "the other categories' rules");
    assert!(xml.contains("type=\"non-conformity\""));
    assert!(xml.contains("<testsuites name=\"icgs\" tests=\"84\" failures=\"2\""));
}

#[test]
fn csv_has_a_row_per_rule_and_a_row_per_community() {
    let o = icgs(&[
        "check",
        "examples/profiles/xihu-cultural-creative.json",
        "--format",
        "csv",
    ]);
    let mut r = csv::Reader::from_reader(o.stdout.as_slice());
    let header = r.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 84);
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let r643 = rows.iter().find(|x| &x[col("rule")] == "6.4.3").unwrap();
    assert_eq!(&r643[col("outcome")], "fail");
    assert!(!r643[col("gain")].is_empty());
    assert!(r643[col("message_zh")].chars().any(|c| c >= '\u{4e00}'));

    let o = icgs(&["check", "examples/profiles", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(o.stdout.as_slice());
    assert!(
        r.headers()
            .unwrap()
            .iter()
            .any(|h| h == "fixes_to_next_grade")
    );
    assert_eq!(r.records().count(), examples().len());
}

#[test]
fn a_portfolio_with_a_broken_profile_reports_it_and_evaluates_the_rest() {
    let dir = scratch("portfolio-broken");
    for name in ["binjiang-tech-innovation", "weak-community"] {
        std::fs::copy(
            root().join(format!("examples/profiles/{name}.json")),
            dir.join(format!("{name}.json")),
        )
        .unwrap();
    }
    std::fs::write(dir.join("broken.json"), "{\"id\": \"x\",").unwrap();
    let d = dir.to_str().unwrap();

    let o = icgs(&["check", d, "--format", "json", "--view", "portfolio"]);
    assert_eq!(o.status.code(), Some(2), "an unreadable input exits 2");
    assert!(stderr(&o).contains("broken.json"), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["communities"].as_array().unwrap().len(), 2);
    assert_eq!(v["totals"]["inputs"], 3);
    assert!(
        v["not_evaluated"][0]["source"]
            .as_str()
            .unwrap()
            .ends_with("broken.json")
    );
    let grades: u64 = v["grades"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["count"].as_u64().unwrap())
        .sum();
    assert_eq!(grades, 2);

    let o = icgs(&["check", d, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(
        out.contains("Portfolio: 2 communities evaluated (3 inputs)"),
        "{out}"
    );
    assert!(out.contains("Inputs not evaluated (1)"), "{out}");
    assert!(out.contains("Grade distribution"));

    let o = icgs(&["check", d, "--format", "junit"]);
    let xml = stdout(&o);
    assert!(xml.contains("name=\"not-evaluated\""), "{xml}");
    assert!(xml.contains("type=\"unreadable-profile\""));
}

#[test]
fn output_is_written_atomically_and_errors_name_the_file() {
    let dir = scratch("output");
    let target = dir.join("report.md");
    std::fs::write(&target, "old").unwrap();
    let o = icgs(&[
        "check",
        "examples/profiles/binjiang-tech-innovation.json",
        "--format",
        "markdown",
        "--output",
        target.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "nothing on stdout with --output");
    let direct = icgs(&[
        "check",
        "examples/profiles/binjiang-tech-innovation.json",
        "--format",
        "markdown",
    ]);
    assert_eq!(std::fs::read(&target).unwrap(), direct.stdout);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no temporary file is left: {leftovers:?}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "an ordinary file, not owner-only");
    }

    let missing = dir.join("no/such/dir/report.html");
    let o = icgs(&[
        "check",
        "examples/profiles/binjiang-tech-innovation.json",
        "--format",
        "html",
        "-o",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("report.html"), "{}", stderr(&o));
    assert!(!missing.exists());

    let o = icgs(&[
        "check",
        "examples/profiles/binjiang-tech-innovation.json",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a directory"), "{}", stderr(&o));
}

fn report_json(name: &str) -> serde_json::Value {
    let o = icgs(&[
        "check",
        &format!("examples/profiles/{name}.json"),
        "--format",
        "json",
    ]);
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn diff_shows_fixed_new_regressed_and_the_score_change() {
    let dir = scratch("diff");
    let old = report_json("qiantang-smart-manufacturing");
    let mut new = old.clone();
    for r in new["results"].as_array_mut().unwrap() {
        match r["rule"].as_str().unwrap() {
            "C.SM.2" => r["outcome"] = "pass".into(),
            "4.1.1" => r["outcome"] = "fail".into(),
            _ => {}
        }
    }
    new["profile"]["as_of"] = "2027-06-30".into();
    new["summary"]["score"] = 98.92.into();
    let (a, b) = (dir.join("old.json"), dir.join("new.json"));
    std::fs::write(&a, serde_json::to_string_pretty(&old).unwrap()).unwrap();
    std::fs::write(&b, serde_json::to_string_pretty(&new).unwrap()).unwrap();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());

    let o = icgs(&["diff", a, b, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "a regression exits 1");
    let d: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(d["community"], "hz-qiantang-xiasha-zhizao");
    assert_eq!(d["score_change"], 1.0);
    let change = |rule: &str| {
        d["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == rule)
            .unwrap()["change"]
            .clone()
    };
    assert_eq!(change("C.SM.2"), "fixed");
    assert_eq!(change("4.1.1"), "regressed");
    assert_eq!(change("5.1.1"), "unchanged");

    let o = icgs(&["diff", a, b, "--lang", "en"]);
    let out = stdout(&o);
    assert!(out.contains("Fixed (1)"), "{out}");
    assert!(out.contains("Regressed (1)"), "{out}");
    assert!(out.contains("(+1.00)"), "{out}");
    assert!(
        out.contains("grade Excellent → Excellent"),
        "grades in words: {out}"
    );

    let zh = stdout(&icgs(&["diff", a, b, "--lang", "zh"]));
    assert!(
        zh.contains("等级 优秀 → 优秀"),
        "grades in words, never codes: {zh}"
    );

    let o = icgs(&["diff", a, a]);
    assert_eq!(o.status.code(), Some(0), "nothing got worse");
}

#[test]
fn diff_refuses_reports_of_different_communities_and_non_reports() {
    let dir = scratch("diff-refuse");
    let (a, b) = (dir.join("a.json"), dir.join("b.json"));
    std::fs::write(&a, report_json("binjiang-tech-innovation").to_string()).unwrap();
    std::fs::write(&b, report_json("xihu-cultural-creative").to_string()).unwrap();
    let o = icgs(&["diff", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("different communities"), "{err}");
    assert!(err.contains("`hz-binjiang-wulian`"), "{err}");

    let profile = root().join("examples/profiles/xihu-cultural-creative.json");
    let o = icgs(&["diff", profile.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("xihu-cultural-creative.json`:"), "{err}");
    assert!(err.contains("not a JSON report"), "{err}");
}

#[test]
fn diff_reads_a_version_1_report_and_refuses_another_version_naming_it() {
    let dir = scratch("diff-versions");
    let v1 = root().join("core/tests/fixtures/reports/weak-community.v1.json");
    let v2 = dir.join("v2.json");
    let o = icgs(&[
        "check",
        "examples/profiles/weak-community.json",
        "--format",
        "json",
        "--allow-invalid",
        "-o",
        v2.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = icgs(&[
        "diff",
        v1.to_str().unwrap(),
        v2.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let d: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(d["community"], "hz-example-weak-qinghe");
    assert_eq!(d["old"]["score"], 14.72, "the version 1 report's own score");
    assert!(d["rules"].as_array().unwrap().len() >= 84);

    let v3 = dir.join("v3.json");
    let text = std::fs::read_to_string(&v1).unwrap().replacen(
        "\"report_version\":\"1\"",
        "\"report_version\":\"3\"",
        1,
    );
    std::fs::write(&v3, text).unwrap();
    let o = icgs(&["diff", v3.to_str().unwrap(), v2.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("v3.json`:1:"), "the file and line: {err}");
    assert!(err.contains("report_version `3`"), "{err}");
}

/// Opens an HTML file in headless Chromium and returns the DOM after rendering.
fn chromium_dom(file: &Path) -> String {
    let chromium = Path::new("/usr/bin/chromium");
    assert!(
        chromium.exists(),
        "this test opens the HTML report in headless Chromium, which is missing: install \
         Debian's package with `apt-get install -y chromium` (CI's .ci/run does)"
    );
    let profile = scratch(&format!(
        "chromium-profile-{}",
        file.file_stem().unwrap().to_string_lossy()
    ));
    let o = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(file)
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success() && dom.contains("</html>"),
        "chromium failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    dom
}

/// A page that needs nothing from the network: no linked scripts, links, images or
/// imports (the dashboard's one script is inline).
fn assert_self_contained(html: &str) {
    for needle in ["<link", "<img", "src=", "href=", "@import", "url(", "http"] {
        assert!(!html.contains(needle), "the page holds `{needle}`");
    }
    assert_eq!(
        html.matches("<script").count(),
        html.matches("<script>").count(),
        "scripts are inline"
    );
}

#[test]
fn the_html_report_renders_in_chromium_with_its_grade_and_chart() {
    let dir = scratch("html");
    let file = dir.join("qiantang.html");
    let o = icgs(&[
        "check",
        "examples/profiles/qiantang-smart-manufacturing.json",
        "--format",
        "html",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_self_contained(&std::fs::read_to_string(&file).unwrap());
    let dom = chromium_dom(&file);
    // The grade and score the JSON report gives for the same profile.
    let json = icgs(&[
        "check",
        "examples/profiles/qiantang-smart-manufacturing.json",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let grade = report["summary"]["grade"].as_str().unwrap();
    let name = match grade {
        "excellent" => "优秀",
        "good" => "良好",
        "qualified" => "合格",
        _ => "不合格",
    };
    assert!(
        dom.contains(&format!("data-grade=\"{grade}\">{name}</span>")),
        "the grade is shown"
    );
    let score = format!("{:.2}", report["summary"]["score"].as_f64().unwrap());
    assert!(dom.contains(&score), "the score {score} is shown");
    assert!(
        dom.contains("data-chart=\"bars\""),
        "the dimension chart is there"
    );
    assert!(dom.contains("6 运行组织</text>"), "the chart is labelled");
    assert!(dom.contains("<rect class=\"excellent\""), "with bars");
    assert!(dom.contains("C.SM.2"), "the plan is there");
}

#[test]
fn the_district_dashboard_renders_in_chromium_with_its_charts() {
    let dir = scratch("dashboard");
    let file = dir.join("dashboard.html");
    let o = icgs(&[
        "check",
        "examples/profiles",
        "--allow-invalid",
        "--format",
        "html",
        "--lang",
        "en",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_self_contained(&std::fs::read_to_string(&file).unwrap());
    let dom = chromium_dom(&file);
    assert!(dom.contains("Industrial community evaluation dashboard"));
    assert!(
        dom.contains("data-chart=\"ring\""),
        "the grade distribution"
    );
    assert!(dom.contains("Clauses failed most often"));
    assert!(dom.contains("data-kpi=\"evaluated\">7<"), "{dom}");
    assert!(dom.contains("data-grade=\"unqualified\""));
}

#[test]
fn csv_opens_with_a_bom_and_has_district_street_and_the_english_name() {
    for view in ["reports", "portfolio"] {
        let zh = icgs(&[
            "check",
            "examples/profiles",
            "--format",
            "csv",
            "--view",
            view,
        ]);
        assert!(
            zh.stdout.starts_with("\u{feff}community,".as_bytes()),
            "{view}: Excel in a Chinese locale needs the UTF-8 BOM"
        );
        let en = icgs(&[
            "check",
            "examples/profiles",
            "--format",
            "csv",
            "--view",
            view,
            "--lang",
            "en",
        ]);
        let read = |bytes: &[u8]| {
            let mut r = csv::Reader::from_reader(bytes);
            let header = r.headers().unwrap().clone();
            let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
            let col = |n: &str| header.iter().position(|h| h == n).unwrap();
            let row = rows
                .iter()
                .find(|x| &x[col("community")] == "hz-binjiang-wulian")
                .unwrap()
                .clone();
            (
                row[col("community_name")].to_owned(),
                row[col("district")].to_owned(),
                row[col("street")].to_owned(),
            )
        };
        let (name, district, street) = read(&zh.stdout);
        assert!(name.starts_with("滨江区"), "{view}: {name}");
        assert_eq!(district, "滨江区");
        assert_eq!(street, "西兴街道");
        let (name, district, _) = read(&en.stdout);
        assert_eq!(
            name, "Wulian Modern Industrial Community, Binjiang",
            "{view}"
        );
        assert_eq!(
            district, "滨江区",
            "{view}: the district is data, not translated"
        );
    }
}

#[test]
fn diff_of_two_portfolios_names_grades_in_words_and_lists_who_moved() {
    let dir = scratch("diff-portfolio");
    let o = icgs(&[
        "check",
        "examples/profiles",
        "--allow-invalid",
        "--format",
        "json",
        "--view",
        "portfolio",
    ]);
    let old: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let mut new = old.clone();
    let communities = new["communities"].as_array_mut().unwrap();
    communities.retain(|c| c["id"] != "hz-yuhang-cangqian-zhichuang");
    let wulian = communities
        .iter_mut()
        .find(|c| c["id"] == "hz-binjiang-wulian")
        .unwrap();
    assert_eq!(wulian["grade"], "excellent");
    wulian["grade"] = "qualified".into();
    let score = wulian["score"].as_f64().unwrap();
    wulian["score"] = (score - 20.0).into();
    wulian["non_conformities"] = 2.into();
    let mut added = communities[0].clone();
    added["id"] = "hz-new".into();
    communities.push(added);
    let (a, b) = (dir.join("old.json"), dir.join("new.json"));
    std::fs::write(&a, old.to_string()).unwrap();
    std::fs::write(&b, new.to_string()).unwrap();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());

    let o = icgs(&["diff", a, b, "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a grade lost exits 1: {}",
        stderr(&o)
    );
    let d: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(d["added"], serde_json::json!(["hz-new"]));
    assert_eq!(
        d["removed"],
        serde_json::json!(["hz-yuhang-cangqian-zhichuang"])
    );
    let moved = d["communities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["community"] == "hz-binjiang-wulian")
        .unwrap();
    assert_eq!(
        moved["grade_change"], -2,
        "excellent → qualified is two grades down"
    );
    assert_eq!(moved["score_change"], -20.0);

    let zh = stdout(&icgs(&["diff", a, b]));
    assert!(zh.contains("降级 1 个"), "{zh}");
    assert!(zh.contains("：优秀 "), "{zh}");
    assert!(zh.contains("→ 合格 "), "{zh}");
    assert!(!zh.contains("excellent"), "no grade code in Chinese: {zh}");
    let en = stdout(&icgs(&["diff", a, b, "--lang", "en"]));
    assert!(en.contains("1 down"), "{en}");
    assert!(
        en.contains("Removed (1): hz-yuhang-cangqian-zhichuang"),
        "{en}"
    );

    // Two directories of JSON reports.
    let (old_dir, new_dir) = (dir.join("old"), dir.join("new"));
    for d in [&old_dir, &new_dir] {
        std::fs::create_dir_all(d).unwrap();
        for name in ["binjiang-tech-innovation", "xihu-cultural-creative"] {
            std::fs::write(
                d.join(format!("{name}.json")),
                report_json(name).to_string(),
            )
            .unwrap();
        }
    }
    let o = icgs(&[
        "diff",
        old_dir.to_str().unwrap(),
        new_dir.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "nothing moved: {}", stderr(&o));
    let d: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(d["communities"].as_array().unwrap().len(), 2);

    std::fs::write(new_dir.join("broken.json"), "{").unwrap();
    let o = icgs(&["diff", old_dir.to_str().unwrap(), new_dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("broken.json`:1:"), "{}", stderr(&o));
}

#[test]
fn json_is_compact_off_a_terminal_and_indented_with_pretty() {
    for args in [
        &["check", "examples/profiles/weak-community.json"][..],
        &["check", "examples/profiles"][..],
        &["check", "examples/profiles", "--view", "portfolio"][..],
    ] {
        let run = |pretty: bool| {
            let mut a = args.to_vec();
            a.extend(["--allow-invalid", "--format", "json"]);
            if pretty {
                a.push("--pretty");
            }
            let o = icgs(&a);
            assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
            stdout(&o)
        };
        let (compact, pretty) = (run(false), run(true));
        assert_eq!(compact.lines().count(), 1, "{args:?}");
        assert!(
            compact.ends_with("}\n") || compact.ends_with("]\n"),
            "{args:?}"
        );
        assert!(pretty.lines().count() > 100, "{args:?}");
        let a: serde_json::Value = serde_json::from_str(&compact).unwrap();
        let b: serde_json::Value = serde_json::from_str(&pretty).unwrap();
        assert_eq!(a, b, "{args:?}");
    }
}

#[test]
fn the_reports_of_a_directory_come_in_input_order_with_every_window() {
    // More profiles than one window of the streaming loop (eight per thread), and one
    // unreadable file among them: order kept, the broken one named, the rest evaluated.
    let dir = tempfile::tempdir().unwrap();
    let base: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/profiles/weak-community.json")).unwrap(),
    )
    .unwrap();
    let n = 70;
    for i in 0..n {
        let mut v = base.clone();
        v["id"] = format!("c-{i:03}").into();
        std::fs::write(dir.path().join(format!("c{i:03}.json")), v.to_string()).unwrap();
    }
    std::fs::write(dir.path().join("c035b.json"), "{").unwrap();
    let d = dir.path().to_str().unwrap();
    let o = icgs(&["check", d, "--allow-invalid", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("c035b.json"), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["profile"]["id"].as_str().unwrap())
        .collect();
    let want: Vec<String> = (0..n).map(|i| format!("c-{i:03}")).collect();
    assert_eq!(ids, want);
    let o = icgs(&[
        "check",
        d,
        "--allow-invalid",
        "--format",
        "json",
        "--view",
        "portfolio",
    ]);
    let p: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rows: Vec<&str> = p["communities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rows, want);
    assert_eq!(p["totals"]["inputs"], n + 1);
    assert_eq!(p["not_evaluated"].as_array().unwrap().len(), 1);
}
