//! `icgs test`, `icgs lint`, `icgs doc`: output and exit codes (0 fine, 1 a failing case, a
//! lint error or coverage below the minimum, 2 unusable input).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;

use common::{icgs, icgs_env, root, scratch, stderr, stdout};

fn path(relative: &str) -> String {
    root().join(relative).display().to_string()
}

fn fixture(name: &str) -> String {
    path(&format!("core/tests/fixtures/packs/{name}"))
}

// --- icgs test ---

#[test]
fn test_runs_the_cases_of_a_clause_and_exits_0() {
    let o = icgs(&["test", &path("policies/standard"), "--filter", "/5.1.1/"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("standard@1.0.0 "), "{out}");
    assert!(
        out.contains("PASS   tests/5.1.1/exactly-1500-passes.json"),
        "{out}"
    );
    assert!(out.contains("test result: ok. "), "{out}");
    assert!(out.contains(" 0 failed; 0 broken"), "{out}");
}

#[test]
fn a_failing_case_exits_1_with_a_diff() {
    let o = icgs(&[
        "test",
        &fixture("test-cases"),
        "--filter",
        "expects-wrongly",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains(
            "FAIL tests/T.C.1/expects-wrongly.json — open 4 days, expected (wrongly) to pass"
        ),
        "{out}"
    );
    assert!(out.contains("T.C.1    outcome   - pass"), "{out}");
    assert!(out.contains("                   + fail"), "{out}");
    assert!(
        out.contains("message     每周开放 4 天，宜不少于 5 天"),
        "{out}"
    );
    assert!(
        out.contains("test result: FAILED. 0 passed; 1 failed; 0 broken"),
        "{out}"
    );
}

#[test]
fn a_broken_case_exits_2_and_the_others_still_run() {
    let o = icgs(&["test", &fixture("test-cases")]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(out.contains("BROKEN tests/T.C.1/broken.json"), "{out}");
    assert!(
        out.contains("broken.json:3:3: expected `,` or `}`"),
        "{out}"
    );
    assert!(
        out.contains("test result: FAILED. 2 passed; 2 failed; 1 broken"),
        "{out}"
    );
}

#[test]
fn quiet_prints_only_what_fails() {
    let o = icgs(&["test", &fixture("test-cases"), "--quiet"]);
    let out = stdout(&o);
    assert!(!out.contains("PASS"), "{out}");
    assert!(out.contains("FAIL tests/T.C.1/unknown-rule.json"), "{out}");
}

#[test]
fn junit_is_one_document_and_coverage_goes_to_stderr() {
    let o = icgs(&[
        "test",
        &fixture("test-cases"),
        "--format",
        "junit",
        "--coverage",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"icgs test\" tests=\"5\" failures=\"2\" errors=\"1\">"), "{out}");
    assert!(out.trim_end().ends_with("</testsuites>"), "{out}");
    assert!(
        out.contains("<testsuite name=\"test-cases@0.1.0\""),
        "{out}"
    );
    assert!(!out.contains("coverage"), "{out}");
    assert!(stderr(&o).contains("rule coverage: 0/1 rules fully covered (0.0 %)"));
}

#[test]
fn coverage_names_missing_outcomes_and_min_coverage_fails_below() {
    let o = icgs(&[
        "test",
        &fixture("test-cases"),
        "--filter",
        "passes",
        "--coverage",
        "--min-coverage",
        "100",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("T.C.1     should     automated   ok       MISSING  MISSING"),
        "{out}"
    );
    assert!(
        out.contains("incomplete: rule T.C.1 has no case where it gives fail, insufficient-data"),
        "{out}"
    );
    assert!(
        out.contains("clauses: 1 — automated 1, evidence (manual) 0, permission 0, missing 0"),
        "{out}"
    );
    assert!(
        out.contains("error: rule coverage 0.0 % is below --min-coverage 100"),
        "{out}"
    );
}

#[test]
fn min_coverage_below_the_coverage_passes() {
    let o = icgs(&[
        "test",
        &fixture("test-cases"),
        "--filter",
        "passes",
        "--min-coverage",
        "0",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("rule coverage: 0/1 rules fully covered"));
}

#[test]
fn a_filter_that_matches_nothing_is_an_error_not_a_pass() {
    let o = icgs(&["test", &path("policies/standard"), "--filter", "/9.9.9/"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no case of the packs matches `--filter /9.9.9/`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn test_without_a_pack_is_unusable_input() {
    let o = icgs(&["test", &path("examples/profiles")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no `pack.toml`"), "{}", stderr(&o));
    let o = icgs(&["test"]);
    assert_eq!(o.status.code(), Some(2), "PACK_DIR is required");
}

// --- icgs lint ---

#[test]
fn the_shipped_packs_are_lint_clean() {
    let o = icgs(&["lint", &path("policies"), "--deny-warnings"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).starts_with("lint: ok — "), "{}", stdout(&o));
}

#[test]
fn lint_errors_exit_1_rendered_like_a_compiler() {
    let o = icgs(&["lint", &fixture("lint-properties")]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("lint::unknown-property"), "{out}");
    assert!(
        out.contains("× the community has no property `populaton`"),
        "{out}"
    );
    assert!(out.contains("rules/L.P.1.rhai:16:16]"), "{out}");
    assert!(
        out.contains(" 16 │     at_least(c.populaton, 10000).at(\"/population/industrial\")"),
        "{out}"
    );
    assert!(out.contains("╰── did you mean `population`?"), "{out}");
    assert!(
        out.trim_end()
            .ends_with("lint: 5 errors, 0 warnings in 1 pack (5 rules)"),
        "{out}"
    );
}

#[test]
fn columns_count_characters_after_chinese_text() {
    let o = icgs(&["lint", &fixture("lint-placeholders")]);
    let out = stdout(&o);
    // `en: "…"` follows a Chinese string on the same line: column 54 in characters.
    assert!(out.contains("rules/L.M.2.rhai:11:54]"), "{out}");
}

#[test]
fn warnings_pass_unless_denied() {
    let o = icgs(&["lint", &fixture("lint-warnings")]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("⚠ parameter `never_read` is declared but no rule reads it"));
    assert!(stdout(&o).contains("lint: 0 errors, 3 warnings in 1 pack (2 rules)"));
    let o = icgs(&["lint", &fixture("lint-warnings"), "--deny-warnings"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn lint_json_lists_every_problem_with_its_position() {
    let o = icgs(&["lint", &fixture("lint-levels"), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let problems: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let first = &problems[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "level-text");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(5), Some(12))
    );
    assert!(
        first["file"]
            .as_str()
            .unwrap()
            .ends_with("rules/L.L.1.rhai")
    );
    assert_eq!(problems.as_array().unwrap().len(), 6);
}

#[test]
fn lint_pack_resolves_an_overlay_chain_as_check_does() {
    let binjiang = path("policies/overlays/binjiang");
    // Alone, the district's `extends` does not resolve: the message points to `--pack`.
    let o = icgs(&["lint", &binjiang]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.contains("lint::load"), "{out}");
    assert!(out.contains("give its directory with `--pack`"), "{out}");
    assert!(out.contains("binjiang/pack.toml:9:1]"), "{out}");
    // With its bases given, it is clean; the bases are read, not linted.
    let o = icgs(&[
        "lint",
        &binjiang,
        "--pack",
        &path("policies/overlays/zhejiang"),
        "--pack",
        &path("policies/overlays/hangzhou"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).starts_with("lint: ok — 1 pack, "),
        "{}",
        stdout(&o)
    );
    // `--overlay` builds that chain only, as in `check`; an unknown one is named.
    let overlays = path("policies/overlays");
    let o = icgs(&["lint", &overlays, "--overlay", "binjiang"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = icgs(&["lint", &overlays, "--overlay", "binjang"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("did you mean `binjiang`?"),
        "{}",
        stdout(&o)
    );
    // A `--pack` that holds no pack is unusable input.
    let o = icgs(&["lint", &binjiang, "--pack", &path("examples")]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("--pack"), "{}", stderr(&o));
}

#[test]
fn an_engine_refusal_is_shown_at_the_entry_it_names() {
    let o = icgs(&["lint", &fixture("lint-load")]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.contains("lint-load/pack.toml:14:1]"), "{out}");
    assert!(out.contains(" 14 │ premises_min_m2 = 1200"), "{out}");
    // `check` names the same line.
    let o = icgs(&[
        "check",
        "--pack",
        &fixture("lint-load"),
        &path("examples/profiles/weak-community.json"),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("lint-load/pack.toml:14:1"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_case_naming_an_unknown_rule_gets_a_suggestion_in_test_and_lint() {
    let o = icgs(&["test", &fixture("lint-cases"), "--filter", "typo"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("L.C.2    no such rule in the packs under test; did you mean `L.C.1`?"),
        "{out}"
    );
    let o = icgs(&["lint", &fixture("lint-cases")]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    for code in [
        "lint::case-unknown-rule",
        "lint::case-other-pack",
        "lint::case-ignored",
        "lint::case-format",
    ] {
        assert!(out.contains(code), "{code}: {out}");
    }
    assert!(out.contains("tests/L.C.1/typo.json:6:5]"), "{out}");
    assert!(out.contains("╰── did you mean `L.C.1`?"), "{out}");
    assert!(
        out.contains("it is outside the pack's `tests/` folder"),
        "{out}"
    );
}

#[test]
fn lint_of_a_directory_without_packs_exits_2() {
    let o = icgs(&["lint", &path("examples")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no `pack.toml`"), "{}", stderr(&o));
}

// --- icgs doc ---

#[test]
fn doc_of_the_embedded_packs_is_docs_clauses_md() {
    let o = icgs(&["doc"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let committed = std::fs::read_to_string(root().join("docs/clauses.md")).unwrap();
    assert!(
        stdout(&o) == committed,
        "docs/clauses.md is stale: run `cargo run -p icgs-cli -- doc policies/standard policies/categories --output docs/clauses.md`"
    );
}

#[test]
fn doc_of_the_packs_on_disk_equals_the_embedded_catalogue() {
    let embedded = icgs(&["doc", "--format", "html"]);
    let disk = icgs(&[
        "doc",
        &path("policies/standard"),
        &path("policies/categories"),
        "--format",
        "html",
    ]);
    assert_eq!(disk.status.code(), Some(0), "{}", stderr(&disk));
    assert_eq!(stdout(&embedded), stdout(&disk));
    assert!(stdout(&disk).contains("<article id=\"clause-5-1-1\">"));
}

#[test]
fn doc_output_writes_the_file_whole() {
    let dir = scratch("doc-output");
    let file = dir.join("clauses.md");
    let o = icgs(&["doc", "--output", &file.display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(written, stdout(&icgs(&["doc"])));
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
}

#[test]
fn doc_of_a_missing_directory_exits_2() {
    let o = icgs(&["doc", &path("no/such/pack")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/pack"), "{}", stderr(&o));
}

#[test]
fn completions_man_page_and_help_speak_both_languages() {
    for shell in ["bash", "zsh", "fish"] {
        let o = icgs(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        assert!(
            script.contains("icgs") && script.contains("check") && script.contains("lang"),
            "{shell}: {script}"
        );
    }
    let bad = icgs(&["completions", "cmd.exe"]);
    assert_eq!(bad.status.code(), Some(2));
    let man = icgs(&["man"]);
    assert_eq!(man.status.code(), Some(0), "{}", stderr(&man));
    let page = stdout(&man);
    assert!(
        page.starts_with(".ie") && page.contains(".TH icgs 1"),
        "{page}"
    );
    assert!(page.contains("icgs\\-check"), "every subcommand is listed");
    let help = stdout(&icgs(&["--help"]));
    assert!(help.contains("按标准评价社区档案") && help.contains("Check community profiles"));
    assert!(help.contains("退出码 / Exit codes"));
}

#[test]
fn help_and_usage_errors_follow_the_language() {
    let zh = stdout(&icgs(&["check", "--help"]));
    assert!(zh.contains("用法：icgs check"), "{zh}");
    assert!(zh.contains("输出格式（可选：text、json"), "{zh}");
    assert!(zh.contains("退出码"), "{zh}");
    assert!(
        !zh.contains("Output format") && !zh.contains("Options:"),
        "{zh}"
    );
    let en = stdout(&icgs(&["check", "--help", "--lang", "en"]));
    assert!(
        en.contains("Usage: icgs check") && en.contains("Output format"),
        "{en}"
    );
    let from_locale = stdout(&icgs_env(&["validate", "-h"], &[("LANG", "en_US.UTF-8")]));
    assert!(
        from_locale.contains("Largest accepted profile in bytes"),
        "{from_locale}"
    );

    let bad = icgs(&["check", "--format", "yaml", "x.json"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).starts_with("错误：--format <FORMAT> 的取值“yaml”无效；可选：text、"),
        "{}",
        stderr(&bad)
    );
    let bad = icgs(&["check", "--lang", "en", "--format", "yaml", "x.json"]);
    assert!(
        stderr(&bad).starts_with("error: invalid value 'yaml'"),
        "{}",
        stderr(&bad)
    );
}
