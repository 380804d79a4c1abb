//! Output files and exit codes that cannot be gamed: `-o` writes only regular files, never an
//! input, never through a symbolic link without `--force`; every problem shows at the top and
//! exits 2; profile text cannot inject Markdown or spreadsheet formulas.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::{icgs, root, scratch, stderr, stdout};
use std::fs;
use std::path::{Path, PathBuf};

fn example(name: &str) -> PathBuf {
    root().join("examples/profiles").join(name)
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// A copy of a conforming example in `dir`.
fn copy_example(dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    fs::copy(example("binjiang-tech-innovation.json"), &to).unwrap();
    to
}

#[cfg(unix)]
#[test]
fn output_onto_a_fifo_or_a_directory_is_refused() {
    use std::os::unix::fs::FileTypeExt as _;
    let dir = scratch("outputs-fifo");
    let fifo = dir.join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let profile = s(&example("binjiang-tech-innovation.json"));
    let o = icgs(&["check", &profile, "-o", &s(&fifo)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());

    let o = icgs(&["check", &profile, "-o", &s(&dir)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a directory"), "{}", stderr(&o));
}

#[test]
fn output_onto_the_input_is_refused_and_the_profile_is_kept() {
    let dir = scratch("outputs-input");
    let profile = copy_example(&dir, "p.json");
    let before = fs::read(&profile).unwrap();
    let o = icgs(&["check", &s(&profile), "-o", &s(&profile)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("input"), "{}", stderr(&o));
    assert_eq!(fs::read(&profile).unwrap(), before);

    // Another spelling of the same file, through a directory input.
    let other = dir.join(".").join("p.json");
    let o = icgs(&["check", &s(&dir), "-o", &s(&other), "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(fs::read(&profile).unwrap(), before);

    let o = icgs(&["migrate", &s(&profile), "-o", &s(&other)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(fs::read(&profile).unwrap(), before);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_replaced_only_with_force_and_its_target_is_untouched() {
    let dir = scratch("outputs-symlink");
    let victim = dir.join("victim.txt");
    fs::write(&victim, "keep me").unwrap();
    let link = dir.join("report.txt");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let profile = s(&example("binjiang-tech-innovation.json"));

    for cmd in [
        vec!["check", profile.as_str(), "-o"],
        vec!["doc", "--output"],
    ] {
        let mut args = cmd.clone();
        let target = s(&link);
        args.push(&target);
        let o = icgs(&args);
        assert_eq!(o.status.code(), Some(2), "{cmd:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("report.txt"),
            "names the target: {}",
            stderr(&o)
        );
        assert!(!stderr(&o).contains(".icgs-"), "{}", stderr(&o));
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");
    }

    let o = icgs(&["check", &profile, "-o", &s(&link), "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");
    let names: Vec<_> = fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(names.len(), 2, "no temporary file is left behind");
}

#[cfg(unix)]
#[test]
fn a_setuid_bit_is_not_kept() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = scratch("outputs-setuid");
    let out = dir.join("report.txt");
    fs::write(&out, "old").unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o4755)).unwrap();
    let profile = s(&example("binjiang-tech-innovation.json"));
    let o = icgs(&["check", &profile, "-o", &s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mode = fs::metadata(&out).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode, 0o755);
    assert!(!stdout(&o).contains("old"));
}

/// An overlay pack in `dir` with one local rule that always throws.
fn throwing_pack(dir: &Path) -> PathBuf {
    let pack = dir.join("throws");
    fs::create_dir_all(pack.join("rules")).unwrap();
    fs::write(
        pack.join("pack.toml"),
        r#"id = "throws"
name = { zh = "出错测试", en = "Error test" }
version = "0.1.0"
requires = ">=0.1, <2"
edition = "test"
layer = "overlay"
extends = { id = "standard", version = ">=1.0, <2" }
"#,
    )
    .unwrap();
    fs::write(
        pack.join("rules/L.X.1.rhai"),
        r#"const RULE = #{
    id: "L.X.1", clause: "L.X.1", level: "shall", dimension: "organisation",
    origin: "proposal",
    title: #{ zh: "出错", en: "throws" }, text: #{ zh: "出错", en: "throws" },
    check: #{ zh: "出错", en: "throws" }, message: #{ zh: "{observed}", en: "{observed}" },
    remedy: #{ zh: "无", en: "none" },
};
fn check(c, params) { throw "boom"; }
"#,
    )
    .unwrap();
    pack
}

#[test]
fn a_rule_ending_in_error_exits_2_and_leads_text_markdown_and_html() {
    let dir = scratch("outputs-rule-error");
    let pack = s(&throwing_pack(&dir));
    let profile = s(&example("binjiang-tech-innovation.json"));
    let text = icgs(&["check", "--pack", &pack, &profile]);
    assert_eq!(text.status.code(), Some(2), "{}", stderr(&text));
    let out = stdout(&text);
    assert!(out.starts_with("须处理的问题（1 项）\n"), "{out}");
    assert!(
        out.lines().nth(1).unwrap().contains("规则 L.X.1 执行出错"),
        "{out}"
    );
    assert!(
        stderr(&text).contains("错误：“滨江区物联现代产业社区”：规则 L.X.1 执行出错"),
        "{}",
        stderr(&text)
    );

    let en = icgs(&[
        "check", "--pack", &pack, &profile, "--lang", "en", "--format", "markdown",
    ]);
    assert_eq!(en.status.code(), Some(2));
    assert!(
        stdout(&en).starts_with("> **Problems (1)**"),
        "{}",
        stdout(&en)
    );

    let html = icgs(&["check", "--pack", &pack, &profile, "--format", "html"]);
    assert_eq!(html.status.code(), Some(2));
    let page = stdout(&html);
    let block = page.find("class=\"problems\"").expect("a problems block");
    assert!(
        block < page.find("class=\"report\"").unwrap(),
        "the block leads"
    );
}

#[test]
fn a_refused_waiver_exits_2_and_shows_in_text() {
    let dir = scratch("outputs-waiver");
    let file = dir.join("waivers.json");
    fs::write(
        &file,
        r#"[{ "clause": "6.4.3", "justification": "j", "requested_by": "x", "approved_by": "x",
    "approved_on": "2026-05-01", "expires_on": "2026-09-30" }]"#,
    )
    .unwrap();
    let profile = s(&example("binjiang-tech-innovation.json"));
    let o = icgs(&["check", "--waivers", &s(&file), &profile, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("Problems (1)\n"), "{out}");
    assert!(
        out.contains("the waiver of rule 6.4.3 was refused"),
        "{out}"
    );
}

#[test]
fn duplicate_community_ids_in_a_portfolio_exit_2() {
    let dir = scratch("outputs-duplicates");
    copy_example(&dir, "a.json");
    copy_example(&dir, "b.json");
    let o = icgs(&["check", &s(&dir)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("须处理的问题（1 项）\n"), "{out}");
    assert!(out.contains("出现在 2 份档案中"), "{out}");
    // Standard error follows the language too.
    assert!(
        stderr(&o).contains("错误：社区编号“") && stderr(&o).contains("出现在 2 份档案中"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn nothing_is_written_when_no_input_could_be_evaluated() {
    let dir = scratch("outputs-nothing");
    let bad = dir.join("bad.json");
    fs::write(&bad, "{ not json").unwrap();
    let out = dir.join("report.json");
    let o = icgs(&["check", &s(&bad), "-o", &s(&out), "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!out.exists(), "no report of nothing");
    assert!(stderr(&o).contains("错误：未写入“"), "{}", stderr(&o));
    assert!(stderr(&o).contains("错误：无法检查“"), "{}", stderr(&o));

    // One readable input among several: the report is written, the problem leads it.
    let good = copy_example(&dir, "good.json");
    let md = dir.join("report.md");
    let o = icgs(&[
        "check",
        &s(&good),
        &s(&bad),
        "-o",
        &s(&md),
        "--format",
        "markdown",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let written = fs::read_to_string(&md).unwrap();
    assert!(
        written.starts_with("> **须处理的问题（1 项）**"),
        "{written}"
    );
    assert!(written.contains("bad.json"), "{written}");
}

#[test]
fn check_help_lists_the_exit_codes() {
    let o = icgs(&["check", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("Exit codes (退出码):"), "{out}");
    assert!(out.contains("a waiver was refused"), "{out}");
}

/// A copy of a conforming example whose id and name carry Markdown, HTML and a formula.
fn hostile_profile(dir: &Path, file: &str, id: &str) -> PathBuf {
    let text = fs::read_to_string(example("binjiang-tech-innovation.json")).unwrap();
    let mut profile: serde_json::Value = serde_json::from_str(&text).unwrap();
    profile["id"] = id.into();
    profile["name"] = "=HYPERLINK(\"http://x\")|<img src=x onerror=alert(1)>\n# h".into();
    let path = dir.join(file);
    fs::write(&path, serde_json::to_vec(&profile).unwrap()).unwrap();
    path
}

/// Every `<` of `md` is escaped, but for the `<br>` line breaks of table cells.
fn assert_no_raw_html(md: &str) {
    for (i, _) in md.match_indices('<') {
        let escaped = md[..i].ends_with('\\');
        assert!(
            escaped || md[i..].starts_with("<br>"),
            "raw HTML at {i}: {md}"
        );
    }
}

#[test]
fn profile_text_cannot_inject_markdown_html_or_formulas() {
    let dir = scratch("outputs-escaping");
    let one = hostile_profile(&dir, "a.json", "<b>x</b>|*y*");
    hostile_profile(&dir, "b.json", "@SUM(1)");
    let md = stdout(&icgs(&["check", &s(&one), "--format", "markdown"]));
    assert_no_raw_html(&md);
    assert!(md.contains(r"\<b\>x\</b\>\|\*y\*"), "{md}");
    assert!(
        !md.contains("\n# h"),
        "a line break in a name starts no heading: {md}"
    );

    let portfolio = stdout(&icgs(&["check", &s(&dir), "--format", "markdown"]));
    assert_no_raw_html(&portfolio);
    assert!(portfolio.contains(r"\<b\>x\</b\>"), "{portfolio}");

    let csv = stdout(&icgs(&["check", &s(&dir), "--format", "csv"]));
    let mut rows = ::csv::Reader::from_reader(csv.as_bytes());
    let cells: Vec<Vec<String>> = rows
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(
        cells[0][1],
        "'=HYPERLINK(\"http://x\")|<img src=x onerror=alert(1)>\n# h"
    );
    assert_eq!(cells[1][0], "'@SUM(1)");
    for row in &cells {
        for cell in row {
            assert!(!cell.starts_with(['=', '+', '@', '\t', '\r']), "{cell}");
        }
    }
}

/// Runs `icgs` in the workspace root, killed after 60 s: `None` when it had to be.
fn icgs_within_a_minute(args: &[&str]) -> Option<std::process::Output> {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_icgs"))
        .args(args)
        .current_dir(root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    Some(child.wait_with_output().unwrap())
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_under_rules_and_tests_are_errors_not_hangs() {
    let dir = scratch("outputs-loops");
    let pack = throwing_pack(&dir);
    fs::create_dir_all(pack.join("tests/L.X.1")).unwrap();
    std::os::unix::fs::symlink(&pack, pack.join("rules/up")).unwrap();
    std::os::unix::fs::symlink(pack.join("tests"), pack.join("tests/L.X.1/again")).unwrap();
    let profile = s(&example("binjiang-tech-innovation.json"));
    let pack = s(&pack);
    for args in [
        vec!["check", "--pack", pack.as_str(), profile.as_str()],
        vec!["lint", pack.as_str()],
        vec!["test", pack.as_str()],
    ] {
        let o = icgs_within_a_minute(&args).expect("finishes within a minute, no endless walk");
        assert_ne!(o.status.code(), Some(0), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr).into_owned() + &stdout(&o);
        assert!(err.contains("loops back"), "{args:?}: {err}");
    }
}

#[test]
fn a_case_base_outside_the_pack_or_too_large_is_refused() {
    let dir = scratch("outputs-base");
    let pack = throwing_pack(&dir);
    let cases = pack.join("tests/L.X.1");
    fs::create_dir_all(&cases).unwrap();
    fs::write(dir.join("outside.json"), "{}").unwrap();
    let case = |base: &str| {
        format!(
            r#"{{ "description": "d", "base": "{base}", "expect": {{ "L.X.1": {{ "outcome": "error" }} }} }}"#
        )
    };
    fs::write(cases.join("dotdot.json"), case("../../../outside.json")).unwrap();
    fs::write(cases.join("absolute.json"), case("/dev/zero")).unwrap();
    let o = icgs_within_a_minute(&["test", &s(&pack)]).expect("/dev/zero is not read forever");
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o) + &String::from_utf8_lossy(&o.stderr);
    assert!(out.contains("dotdot.json"), "{out}");
    assert!(out.contains("is outside the pack"), "{out}");
    assert_eq!(out.matches("is outside the pack").count(), 2, "{out}");

    // A base inside the pack larger than a profile may be is refused too.
    let big = pack.join("tests/big.profile.json");
    fs::write(&big, vec![b' '; 16 * 1024 * 1024 + 1]).unwrap();
    fs::remove_file(cases.join("dotdot.json")).unwrap();
    fs::remove_file(cases.join("absolute.json")).unwrap();
    fs::write(cases.join("big.json"), case("../big.profile.json")).unwrap();
    let o = icgs(&["test", &s(&pack)]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o) + &stderr(&o);
    assert!(out.contains("larger than 16777216 bytes"), "{out}");
}
