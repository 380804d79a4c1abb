//! `icgs validate FILE|DIR...`: report every problem of each community profile.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use icgs::{Problem, ReadOptions};
use rayon::prelude::*;
use serde_json::json;

use super::inputs::{Input, expand, read_input};
use super::{EXIT_ERROR, EXIT_FAILED, EXIT_OK};
use crate::render::Lang;

/// Arguments of `icgs validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Profile files, or directories whose `*.json` files are validated (sorted); `-` reads
    /// standard input
    #[arg(required = true, value_name = "FILE|DIR")]
    paths: Vec<PathBuf>,
    /// Largest accepted profile in bytes
    #[arg(long, value_name = "N", default_value_t = ReadOptions::DEFAULT_MAX_BYTES)]
    max_bytes: usize,
    /// Deepest accepted nesting of lists and objects
    #[arg(long, value_name = "N", default_value_t = ReadOptions::DEFAULT_MAX_DEPTH)]
    max_depth: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Language of the text output (JSON carries both: `message` and `message_zh`)
    #[arg(long, value_enum, default_value_t = super::default_lang())]
    lang: Lang,
}

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One line per problem, like a compiler, and a summary line per file
    Text,
    /// One JSON document with every file and problem
    Json,
}

/// The result for one input: its problems, or why it could not be read.
struct Outcome {
    name: String,
    result: Result<Vec<Problem>, String>,
}

/// Validates every input and prints the problems.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let opts = ReadOptions {
        max_bytes: args.max_bytes,
        max_depth: args.max_depth,
    };
    let inputs = expand(&args.paths);
    let outcomes: Vec<Outcome> = inputs
        .par_iter()
        .map(|input| Outcome {
            name: input.name(),
            result: check(input, &opts, args.lang),
        })
        .collect();

    let output = match args.format {
        Format::Text => text_report(&outcomes, args.lang),
        Format::Json => {
            let mut doc = serde_json::to_string_pretty(&json_report(&outcomes))
                .context("cannot write the JSON report")?;
            doc.push('\n');
            doc
        }
    };
    super::write_stdout(&output)?;
    if args.format == Format::Text {
        for outcome in &outcomes {
            if let Err(reason) = &outcome.result {
                super::write_stderr_line(&match args.lang {
                    Lang::Zh => format!("错误：无法读取“{}”：{reason}", outcome.name),
                    Lang::En => format!("error: cannot read `{}`: {reason}", outcome.name),
                });
            }
        }
    }

    let code = if outcomes.iter().any(|o| o.result.is_err()) {
        EXIT_ERROR
    } else if outcomes
        .iter()
        .any(|o| o.result.as_ref().is_ok_and(|p| !p.is_empty()))
    {
        EXIT_FAILED
    } else {
        EXIT_OK
    };
    Ok(ExitCode::from(code))
}

fn check(input: &Input, opts: &ReadOptions, lang: Lang) -> Result<Vec<Problem>, String> {
    let bytes = read_input(input, opts.max_bytes).map_err(|e| e.pick(lang).to_owned())?;
    let problems = icgs::validate(&input.name(), &bytes, opts).problems;
    // Another version of the format is refused, not validated (`icgs migrate` converts it).
    match problems
        .iter()
        .find(|p| p.code() == icgs::ProblemCode::SchemaVersion)
    {
        Some(refusal) => Err(problem_line(refusal, lang)),
        None => Ok(problems),
    }
}

/// One problem on one line, like a compiler, in the language.
fn problem_line(problem: &Problem, lang: Lang) -> String {
    match lang {
        Lang::Zh => problem.to_string_zh(),
        Lang::En => problem.to_string(),
    }
}

fn text_report(outcomes: &[Outcome], lang: Lang) -> String {
    let mut out = String::new();
    for outcome in outcomes {
        let Ok(problems) = &outcome.result else {
            continue;
        };
        for problem in problems {
            let _ = writeln!(out, "{} [{}]", problem_line(problem, lang), problem.code());
        }
        let n = problems.len();
        let summary = match (lang, n) {
            (Lang::Zh, 0) => "通过".to_owned(),
            (Lang::Zh, n) => format!("{n} 个问题"),
            (Lang::En, 0) => "ok".to_owned(),
            (Lang::En, 1) => "1 problem".to_owned(),
            (Lang::En, n) => format!("{n} problems"),
        };
        let _ = writeln!(out, "{}{}{summary}", outcome.name, lang.pick("：", ": "));
    }
    out
}

fn json_report(outcomes: &[Outcome]) -> serde_json::Value {
    let (mut ok, mut invalid, mut unreadable) = (0usize, 0usize, 0usize);
    let files: Vec<serde_json::Value> = outcomes
        .iter()
        .map(|outcome| match &outcome.result {
            Ok(problems) if problems.is_empty() => {
                ok += 1;
                json!({ "source": outcome.name, "status": "ok", "problems": [] })
            }
            Ok(problems) => {
                invalid += 1;
                json!({ "source": outcome.name, "status": "invalid", "problems": problems })
            }
            Err(reason) => {
                unreadable += 1;
                json!({ "source": outcome.name, "status": "unreadable", "error": reason })
            }
        })
        .collect();
    json!({
        "files": files,
        "summary": { "ok": ok, "invalid": invalid, "unreadable": unreadable },
    })
}
