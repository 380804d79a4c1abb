//! `icgs lint` on its fixtures, one test per `tests/fixtures/packs/lint-*/` directory: each
//! holds a pack with one kind of defect and `expected.txt`, the problems lint must report
//! (`severity code file:line:column message`, paths relative to the pack). Plus: the shipped packs
//! are lint-clean, and a directory without a pack cannot be linted.
//!
//! After a reviewed change, rewrite the expectations with
//! `ICGS_BLESS=1 cargo test -p icgs-tools --test lint`.

use std::path::{Path, PathBuf};

use icgs_tools::lint::{LintError, lint};
use libtest_mimic::{Arguments, Failed, Trial};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/packs")
}

/// The problems of the pack in `dir`, one line each, paths relative to `dir`.
fn problems(dir: &Path) -> Result<String, Failed> {
    let report = lint(&[dir]).map_err(|e| format!("cannot lint {}: {e}", dir.display()))?;
    let prefix = format!("{}/", dir.display());
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&format!(
            "{:<7} {:<20} {}:{}:{} {}\n",
            d.severity.as_str(),
            d.code,
            d.file.strip_prefix(&prefix).unwrap_or(&d.file),
            d.line,
            d.column,
            d.message
        ));
        // Every located problem carries the text it points into.
        if d.line > 0 {
            let text = report
                .source(&d.file)
                .ok_or_else(|| format!("no source for {}", d.file))?;
            if text.get(d.span.clone()).is_none() {
                return Err(format!("{}: span {:?} is not in the file", d.file, d.span).into());
            }
        }
    }
    Ok(out)
}

fn fixture_trial(dir: PathBuf) -> Trial {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Trial::test(format!("fixtures/packs/{name}"), move || {
        let got = problems(&dir)?;
        let expected_path = dir.join("expected.txt");
        if std::env::var_os("ICGS_BLESS").is_some() {
            std::fs::write(&expected_path, &got).map_err(|e| e.to_string())?;
            return Ok(());
        }
        let expected = std::fs::read_to_string(&expected_path).map_err(|e| {
            format!(
                "{}: {e} (write it with ICGS_BLESS=1)",
                expected_path.display()
            )
        })?;
        if got == expected {
            Ok(())
        } else {
            Err(format!(
                "lint of {} differs from expected.txt\n--- expected\n{expected}--- got\n{got}",
                dir.display()
            )
            .into())
        }
    })
}

fn main() {
    let args = Arguments::from_args();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("lint-"))
                })
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    let mut trials: Vec<Trial> = dirs.into_iter().map(fixture_trial).collect();
    trials.push(Trial::test("the shipped packs are lint-clean", || {
        let policies = Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies");
        let report = lint(&[policies]).map_err(|e| e.to_string())?;
        if report.diagnostics.is_empty() && report.rules >= 84 {
            Ok(())
        } else {
            Err(format!(
                "{} rules, problems: {:#?}",
                report.rules, report.diagnostics
            )
            .into())
        }
    }));
    trials.push(Trial::test(
        "a directory without a pack is no input",
        || match lint(&[fixtures().join("lint-clean/rules")]) {
            Err(LintError::NotAPack { message, .. }) if message.contains("pack.toml") => Ok(()),
            other => Err(format!("expected NotAPack, got {other:?}").into()),
        },
    ));
    trials.push(Trial::test(
        "problems name the misspelt property and its neighbour",
        || {
            let report = lint(&[fixtures().join("lint-properties")]).map_err(|e| e.to_string())?;
            let d = report
                .diagnostics
                .iter()
                .find(|d| d.message.contains("`populaton`"))
                .ok_or("no problem names `populaton`")?;
            let text = report.source(&d.file).unwrap_or_default();
            if text.get(d.span.clone()) == Some("populaton")
                && d.label.as_deref() == Some("did you mean `population`?")
                && (d.line, d.column) == (16, 16)
            {
                Ok(())
            } else {
                Err(format!("{d:#?}").into())
            }
        },
    ));
    trials.push(Trial::test(
        "an oversize script is named with its size, not compiled",
        oversize_script,
    ));
    libtest_mimic::run(&args, trials).exit();
}

/// The `sandbox` fixture pack with its rule made larger than the engine's script limit.
fn oversize_script() -> Result<(), Failed> {
    let dir = std::env::temp_dir().join(format!("icgs-lint-oversize-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(dir.join("rules"))?;
        let fixture = fixtures().join("sandbox");
        std::fs::copy(fixture.join("pack.toml"), dir.join("pack.toml"))?;
        let rule = std::fs::read_to_string(fixture.join("rules/T.5.rhai"))?;
        let head = rule.split("fn check").next().unwrap_or_default();
        let body = "1;".repeat(300_000);
        let text = format!(
            "{}fn check(c, params) {{\n{body}\npass()\n}}\n",
            head.replace("T.5", "G.1")
        );
        std::fs::write(dir.join("rules/G.1.rhai"), text)
    };
    write().map_err(|e| e.to_string())?;
    let report = lint(&[dir.as_path()]).map_err(|e| e.to_string());
    let _ = std::fs::remove_dir_all(&dir);
    let report = report?;
    match report.diagnostics.iter().find(|d| d.code == "too-large") {
        Some(d)
            if d.file.ends_with("G.1.rhai")
                && d.message.contains("more than the limit of 65536 bytes") =>
        {
            Ok(())
        }
        _ => Err(format!("{:#?}", report.diagnostics).into()),
    }
}
