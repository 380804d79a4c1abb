//! `icgs test PACK_DIR...`: run the test cases packs ship, optionally with coverage.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use icgs_tools::catalogue::{ClauseStatus, RuleKind};
use icgs_tools::testing::{self, CaseReport, CaseStatus, Coverage, Need, Suite};
use rayon::prelude::*;

use super::{EXIT_ERROR, EXIT_FAILED, EXIT_OK};

/// Arguments of `icgs test`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Pack directories, or directories of packs such as `policies/`, whose `tests/` cases run;
    /// in layer order (an overlay after the pack it extends)
    #[arg(required = true, value_name = "PACK_DIR")]
    dirs: Vec<PathBuf>,
    /// A pack loaded but not tested, e.g. the base of an overlay under test; repeatable
    #[arg(long = "pack", value_name = "DIR")]
    context: Vec<PathBuf>,
    /// Output format (with `junit`, coverage goes to standard error)
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Show, per rule, which outcomes the cases show and, per clause, how it is checked
    #[arg(long)]
    coverage: bool,
    /// Fail (exit 1) when fewer than N percent of the rules are fully covered
    #[arg(long, value_name = "N")]
    min_coverage: Option<f64>,
    /// Run only the cases whose path contains TEXT (e.g. `5.1.1`)
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// Print only the cases that fail, and only the rules coverage misses
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    plugins: super::plugin::PluginArgs,
    #[command(flatten)]
    lang: super::LangArg,
}

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One line per case, a diff under each failing one, a summary
    Text,
    /// JUnit XML for CI systems: one test suite per pack, one test case per case file
    Junit,
}

struct Paint {
    on: bool,
}

impl Paint {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// `n word` or `n words`.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// A case path for people: relative to the pack directory.
fn relative(path: &Path, dir: &Path) -> String {
    path.strip_prefix(dir).unwrap_or(path).display().to_string()
}

/// Runs the cases and prints the results.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let plugins = args.plugins.load_all()?;
    let suites = match testing::suites_with_plugins(&args.dirs, &args.context, &plugins) {
        Ok(s) => s,
        Err(e) => {
            super::write_stderr_line(&format!("error: {e}"));
            return Ok(ExitCode::from(EXIT_ERROR));
        }
    };
    let results: Vec<Vec<CaseReport>> = suites
        .iter()
        .map(|suite| {
            suite
                .cases
                .par_iter()
                .filter(|c| {
                    args.filter
                        .as_deref()
                        .is_none_or(|f| c.display().to_string().contains(f))
                })
                .map(|c| testing::run_case(&suite.engine, c))
                .collect()
        })
        .collect();
    let all: Vec<&CaseReport> = results.iter().flatten().collect();
    if let Some(filter) = &args.filter
        && all.is_empty()
    {
        super::write_stderr_line(&format!(
            "error: no case of the packs matches `--filter {filter}`"
        ));
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    let count = |s: CaseStatus| all.iter().filter(|r| r.status == s).count();
    let (passed, failed, broken) = (
        count(CaseStatus::Passed),
        count(CaseStatus::Failed),
        count(CaseStatus::Broken),
    );

    let paint = Paint {
        on: args.format == Format::Text && crate::render::colour(),
    };
    let mut out = String::new();
    match args.format {
        Format::Junit => {
            let pairs: Vec<(&Suite, &[CaseReport])> = suites
                .iter()
                .zip(&results)
                .map(|(s, r)| (s, r.as_slice()))
                .collect();
            out.push_str(&testing::junit(&pairs));
        }
        Format::Text => {
            for (suite, reports) in suites.iter().zip(&results) {
                let _ = writeln!(
                    out,
                    "{} {} ({})",
                    paint.paint("1", &suite.name()),
                    suite.dir.display(),
                    plural(reports.len(), "case")
                );
                for r in reports {
                    case_lines(&mut out, r, suite, args.quiet, &paint);
                }
            }
            let verdict = if failed + broken == 0 {
                paint.paint("32", "ok")
            } else {
                paint.paint("31", "FAILED")
            };
            let _ = writeln!(
                out,
                "test result: {verdict}. {passed} passed; {failed} failed; {broken} broken ({} in {})",
                plural(all.len(), "case"),
                plural(suites.len(), "pack")
            );
        }
    }

    let below = coverage(args, &suites, &all, &mut out)?;
    super::write_stdout(&out)?;

    let code = if broken > 0 {
        EXIT_ERROR
    } else if failed > 0 || below.is_some() {
        EXIT_FAILED
    } else {
        EXIT_OK
    };
    Ok(ExitCode::from(code))
}

/// With `--coverage` or `--min-coverage`: the coverage lines (to stderr beside JUnit) and,
/// when it is below the minimum, `(coverage, minimum)`.
fn coverage(
    args: &Args,
    suites: &[Suite],
    all: &[&CaseReport],
    out: &mut String,
) -> anyhow::Result<Option<(f64, f64)>> {
    if !args.coverage && args.min_coverage.is_none() {
        return Ok(None);
    }
    let mut below = None;
    let reports: Vec<CaseReport> = all.iter().map(|r| (*r).clone()).collect();
    let coverage = testing::coverage(suites, &reports)?;
    let mut text = String::new();
    if args.coverage {
        coverage_lines(&mut text, &coverage, args.quiet);
    }
    let percent = coverage.percent();
    let _ = writeln!(
        text,
        "rule coverage: {}/{} rules fully covered ({percent:.1} %)",
        coverage.complete_rules(),
        coverage.rules.len()
    );
    if let Some(min) = args.min_coverage
        && percent < min
    {
        below = Some((percent, min));
        let _ = writeln!(
            text,
            "error: rule coverage {percent:.1} % is below --min-coverage {min}"
        );
    }
    if args.format == Format::Junit {
        for line in text.lines() {
            super::write_stderr_line(line);
        }
    } else {
        out.push_str(&text);
    }
    Ok(below)
}

fn case_lines(out: &mut String, r: &CaseReport, suite: &Suite, quiet: bool, paint: &Paint) {
    let path = relative(&r.path, &suite.dir);
    match r.status {
        CaseStatus::Passed => {
            if !quiet {
                let _ = writeln!(out, "{}   {path}", paint.paint("32", "PASS"));
            }
        }
        CaseStatus::Failed | CaseStatus::Broken => {
            let label = if r.status == CaseStatus::Failed {
                "FAIL"
            } else {
                "BROKEN"
            };
            let description = if r.description.is_empty() {
                String::new()
            } else {
                format!(" — {}", r.description)
            };
            let _ = writeln!(out, "{} {path}{description}", paint.paint("31", label));
            for line in r.diff().lines() {
                // Expected (`-`) and actual (`+`) values sit in column 20 of a diff line.
                let styled = match line.chars().nth(19) {
                    Some('-') => paint.paint("31", line),
                    Some('+') => paint.paint("32", line),
                    _ => line.to_owned(),
                };
                let _ = writeln!(out, "       {styled}");
            }
        }
    }
}

fn need(n: Need) -> &'static str {
    match n {
        Need::Covered => "ok",
        Need::Missing => "MISSING",
        Need::NotNeeded => "-",
    }
}

fn coverage_lines(out: &mut String, coverage: &Coverage, quiet: bool) {
    if !quiet || coverage.rules.iter().any(|r| !r.complete()) {
        let _ = writeln!(
            out,
            "\ncoverage by rule (pass · fail, or manual for an evidence clause · insufficient-data where an input can be missing)"
        );
        let _ = writeln!(
            out,
            "rule      level      kind        pass     fail     insufficient-data cases"
        );
    }
    for r in &coverage.rules {
        if quiet && r.complete() {
            continue;
        }
        let fail = match (r.kind, r.fail) {
            (RuleKind::Evidence, Need::Covered) => "manual",
            (_, n) => need(n),
        };
        let _ = writeln!(
            out,
            "{:<9} {:<10} {:<11} {:<8} {:<8} {:<17} {}",
            r.rule,
            r.level.as_str(),
            r.kind.as_str(),
            need(r.pass),
            fail,
            need(r.insufficient),
            r.cases
        );
    }
    let counts = coverage.clause_counts();
    let n = |s: ClauseStatus| counts.get(&s).copied().unwrap_or(0);
    let _ = writeln!(
        out,
        "\nclauses: {} — automated {}, evidence (manual) {}, permission {}, missing {}",
        coverage.clauses.len(),
        n(ClauseStatus::Automated),
        n(ClauseStatus::Evidence),
        n(ClauseStatus::Permission),
        n(ClauseStatus::Missing)
    );
    for c in coverage
        .clauses
        .iter()
        .filter(|c| c.status == ClauseStatus::Missing)
    {
        let _ = writeln!(out, "  missing: clause {} is encoded by no rule", c.clause);
    }
    for r in coverage.rules.iter().filter(|r| !r.complete()) {
        let _ = writeln!(
            out,
            "  incomplete: rule {} has no case where it gives {}",
            r.rule,
            r.missing().join(", ")
        );
    }
}
